import * as path from 'path';
import { parse, parseDocument } from 'yaml';
import {
  METRICS_PATH, METRICS_PORT, REGISTRY_PATHS, REGISTRY_PORT, RegistryConfigOptions, renderRegistryConfig,
} from '../../../src/registry/private/config';

// The keys distribution 3.0 reads (distribution/distribution v3.0.0): configuration/configuration.go
// for version, log, http (addr, tls.certificate/key/minimumtls, headers, debug.addr,
// debug.prometheus), auth, health.storagedriver, proxy (remoteurl, ttl);
// registry/handlers/app.go for storage.delete.enabled, storage.maintenance.uploadpurging
// (enabled, age, interval, dryrun) and .readonly.enabled, storage.cache.blobdescriptor;
// registry/storage/driver/filesystem/driver.go for rootdirectory.
const BASE: RegistryConfigOptions = {
  logLevel: 'info', tls: false, metricsPort: METRICS_PORT, driver: { filesystem: { rootdirectory: REGISTRY_PATHS.data } },
};
const rendered = (o: RegistryConfigOptions) => {
  const { readWrite, readOnly } = renderRegistryConfig(o);
  for (const text of [readWrite, readOnly]) {
    expect(parseDocument(text).errors).toEqual([]);
  }
  return { readWrite: parse(readWrite), readOnly: parse(readOnly), text: readWrite };
};

describe('registry/private/config', () => {
  test('the read-write configuration', () => {
    expect(rendered(BASE).readWrite).toEqual({
      version: '0.1',
      log: { level: 'info', formatter: 'text' },
      storage: {
        filesystem: { rootdirectory: '/var/lib/registry' },
        delete: { enabled: true },
        maintenance: {
          // distribution's own defaults (registry/handlers/app.go, badPurgeUploadConfig), written out.
          uploadpurging: { enabled: true, age: '168h', interval: '24h', dryrun: false },
          readonly: { enabled: false },
        },
        cache: { blobdescriptor: 'inmemory' },
      },
      http: {
        addr: ':5000',
        headers: { 'X-Content-Type-Options': ['nosniff'] },
        debug: { addr: ':5001', prometheus: { enabled: true, path: '/metrics' } },
      },
      health: { storagedriver: { enabled: true, interval: '10s', threshold: 3 } },
    });
  });

  test('without a metrics port, no debug server (RegistryMirror metrics.enabled false)', () => {
    const { metricsPort, ...withoutMetrics } = BASE;
    expect(metricsPort).toBe(5001);
    expect(rendered(withoutMetrics).readWrite.http).toEqual({ addr: ':5000', headers: { 'X-Content-Type-Options': ['nosniff'] } });
    expect(rendered({ ...BASE, metricsPort: 9090 }).readWrite.http.debug.addr).toBe(':9090');
  });

  test('the version is the string "0.1", not a YAML number', () => {
    expect(rendered(BASE).text).toMatch(/^version: "0\.1"$/m);
  });

  test('the read-only configuration differs only in maintenance: read-only, no upload purging (it writes)', () => {
    const { readWrite, readOnly } = rendered({ ...BASE, tls: true, htpasswdRealm: 'mirror', proxy: { remoteUrl: 'https://registry-1.docker.io', ttl: '168h' } });
    expect(readOnly.storage.maintenance).toEqual({ uploadpurging: { enabled: false }, readonly: { enabled: true } });
    expect({ ...readOnly, storage: { ...readOnly.storage, maintenance: undefined } })
      .toEqual({ ...readWrite, storage: { ...readWrite.storage, maintenance: undefined } });
  });

  test.each<[string, Partial<RegistryConfigOptions>, (c: any) => void]>([
    ['TLS: the mounted certificate and key, TLS 1.2 at least', { tls: true }, (c) => expect(c.http.tls).toEqual({
      certificate: '/etc/distribution/tls/tls.crt', key: '/etc/distribution/tls/tls.key', minimumtls: 'tls1.2',
    })],
    ['no TLS: no tls section', { tls: false }, (c) => expect(c.http).not.toHaveProperty('tls')],
    ['htpasswd: the realm and the mounted file', { htpasswdRealm: 'Spark images' }, (c) => expect(c.auth).toEqual({
      htpasswd: { realm: 'Spark images', path: '/etc/distribution/auth/htpasswd' },
    })],
    ['no htpasswd: no auth section (anonymous pulls)', {}, (c) => expect(c).not.toHaveProperty('auth')],
    ['a pull-through cache: remoteurl and ttl, no credentials', { proxy: { remoteUrl: 'https://registry-1.docker.io', ttl: '24h' } },
      (c) => expect(c.proxy).toEqual({ remoteurl: 'https://registry-1.docker.io', ttl: '24h' })],
    ['no upstream: no proxy section (a plain registry)', {}, (c) => expect(c).not.toHaveProperty('proxy')],
    ['the log level', { logLevel: 'debug' }, (c) => expect(c.log.level).toBe('debug')],
  ])('%s', (_name, options, assert) => {
    const { readWrite, readOnly } = rendered({ ...BASE, ...options });
    assert(readWrite);
    assert(readOnly);
  });

  test('upstream credentials never appear: they come from the environment (REGISTRY_PROXY_USERNAME/PASSWORD)', () => {
    const { text } = rendered({ ...BASE, proxy: { remoteUrl: 'https://registry-1.docker.io', ttl: '1h' } });
    expect(text).not.toMatch(/username|password/i);
  });

  test('ports and paths agree with each other', () => {
    expect([REGISTRY_PORT, METRICS_PORT, METRICS_PATH]).toEqual([5000, 5001, '/metrics']);
    for (const key of ['config', 'readOnlyConfig', 'runScript', 'gcScript'] as const) {
      expect(path.posix.dirname(REGISTRY_PATHS[key])).toBe(REGISTRY_PATHS.configDir);
    }
    expect(path.posix.dirname(REGISTRY_PATHS.htpasswd)).toBe(REGISTRY_PATHS.authDir);
    expect(path.posix.dirname(REGISTRY_PATHS.certificate)).toBe(REGISTRY_PATHS.tlsDir);
    expect(path.posix.dirname(REGISTRY_PATHS.privateKey)).toBe(REGISTRY_PATHS.tlsDir);
    // The maintenance markers live on the data volume, so they survive a restart of the container.
    expect(path.posix.dirname(REGISTRY_PATHS.maintenance)).toBe(REGISTRY_PATHS.data);
    // Every path is absolute and distinct.
    const all = Object.values(REGISTRY_PATHS);
    expect(all.every((p) => path.posix.isAbsolute(p))).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });
});
