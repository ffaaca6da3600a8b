import { Yaml } from 'cdk8s';
import { GARBAGE_COLLECT_REPLICAS_SCRIPT, GARBAGE_COLLECT_SCRIPT, RUN_REGISTRY_SCRIPT } from './scripts';

/** Paths inside the registry container. */
export const REGISTRY_PATHS = {
  configDir: '/etc/distribution/config',
  config: '/etc/distribution/config/config.yml',
  readOnlyConfig: '/etc/distribution/config/config-read-only.yml',
  runScript: '/etc/distribution/config/run-registry.sh',
  gcScript: '/etc/distribution/config/garbage-collect.sh',
  gcReplicasScript: '/etc/distribution/config/garbage-collect-replicas.sh',
  /** Where the object-storage collection finds the registry binary, copied from the registry image. */
  gcBinDir: '/gc-bin',
  authDir: '/etc/distribution/auth',
  htpasswd: '/etc/distribution/auth/htpasswd',
  tlsDir: '/etc/distribution/tls',
  certificate: '/etc/distribution/tls/tls.crt',
  privateKey: '/etc/distribution/tls/tls.key',
  data: '/var/lib/registry',
  maintenance: '/var/lib/registry/cdk8s-spark-maintenance',
  /** On an object store: each pod keeps its lease (from READ_ONLY_UNTIL) in its own scratch space. */
  podMaintenance: '/tmp/cdk8s-spark-maintenance',
  tmp: '/tmp',
};

export const REGISTRY_PORT = 5000;
export const METRICS_PORT = 5001;
export const METRICS_PATH = '/metrics';

export interface RegistryConfigOptions {
  readonly logLevel: string;
  /** The debug server's port (metrics); undefined: no debug server. */
  readonly metricsPort?: number;
  readonly tls: boolean;
  readonly htpasswdRealm?: string;
  /** Pull-through cache: upstream URL and TTL as a Go duration. */
  readonly proxy?: { readonly remoteUrl: string; readonly ttl: string };
  /** The storage driver's section (see ./storage.ts). */
  readonly driver: { [driver: string]: { [key: string]: unknown } };
  /** `storage.redirect.disable`, for object stores. */
  readonly disableRedirect?: boolean;
}

/**
 * The registry's configuration (distribution 3.x format), read-write and
 * read-only. Upstream credentials are not in it: they come from a Secret
 * through REGISTRY_PROXY_USERNAME / REGISTRY_PROXY_PASSWORD.
 */
export function renderRegistryConfig(o: RegistryConfigOptions): { readWrite: string; readOnly: string } {
  const render = (readOnly: boolean) => Yaml.stringify({
    version: '0.1',
    log: { level: o.logLevel, formatter: 'text' },
    storage: {
      ...o.driver,
      delete: { enabled: true },
      maintenance: {
        // Purging stale uploads writes, so it is off while read-only.
        uploadpurging: readOnly ? { enabled: false } : { enabled: true, age: '168h', interval: '24h', dryrun: false },
        readonly: { enabled: readOnly },
      },
      // The descriptor cache lives in the process; the restart that ends a
      // read-only window also empties it, so garbage collection never leaves
      // it pointing at deleted blobs.
      cache: { blobdescriptor: 'inmemory' },
      ...(o.disableRedirect !== undefined ? { redirect: { disable: o.disableRedirect } } : {}),
    },
    http: {
      addr: `:${REGISTRY_PORT}`,
      ...(o.tls ? { tls: { certificate: REGISTRY_PATHS.certificate, key: REGISTRY_PATHS.privateKey, minimumtls: 'tls1.2' } } : {}),
      headers: { 'X-Content-Type-Options': ['nosniff'] },
      ...(o.metricsPort !== undefined ? { debug: { addr: `:${o.metricsPort}`, prometheus: { enabled: true, path: METRICS_PATH } } } : {}),
    },
    ...(o.htpasswdRealm !== undefined ? { auth: { htpasswd: { realm: o.htpasswdRealm, path: REGISTRY_PATHS.htpasswd } } } : {}),
    health: { storagedriver: { enabled: true, interval: '10s', threshold: 3 } },
    ...(o.proxy ? { proxy: { remoteurl: o.proxy.remoteUrl, ttl: o.proxy.ttl } } : {}),
  });
  return { readWrite: render(false), readOnly: render(true) };
}

/**
 * The registry ConfigMap's data: the configuration, its read-only variant,
 * the registry's entrypoint and the garbage collection's script: on a volume
 * the lease-file switch, on an object store the rollout switch (see
 * ./scripts.ts).
 */
export function registryConfigData(o: RegistryConfigOptions, objectStorage: boolean): { [key: string]: string } {
  const rendered = renderRegistryConfig(o);
  return {
    'config.yml': rendered.readWrite,
    'config-read-only.yml': rendered.readOnly,
    'run-registry.sh': RUN_REGISTRY_SCRIPT,
    ...(objectStorage ? { 'garbage-collect-replicas.sh': GARBAGE_COLLECT_REPLICAS_SCRIPT } : { 'garbage-collect.sh': GARBAGE_COLLECT_SCRIPT }),
  };
}
