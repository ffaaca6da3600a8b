// RegistryMirror on object storage (RegistryStorage.s3/gcs/azure), on a claim the user owns, with
// several replicas. The driver keys come from distribution/distribution v3.0.0
// registry/storage/driver/{s3-aws/s3.go,gcs/gcs.go,azure/parser.go}; http.secret from
// docs/content/about/configuration.md ("the secret is the same for all registries" behind a load balancer).
import { ApiObject, Chart, Duration, Size, Testing } from 'cdk8s';
import { PersistentVolumeClaim, Secret } from 'cdk8s-plus-28';
import { parse } from 'yaml';
import {
  ClusterStorage, RegistryMirror, RegistryMirrorProps, RegistryStorage, RegistryStorageKind, RegistryTls, RegistryUpstream, StorageClassRef,
  WorkloadIdentity,
} from '../../src';
import { checkCluster } from '../../src/core/cluster-model';
import { synthValid } from '../harness/manifests';

const PLAIN = { tls: RegistryTls.plainHttp() };

function build(props: (chart: Chart) => RegistryMirrorProps) {
  const chart = new Chart(Testing.app(), 'test');
  ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
  const mirror = new RegistryMirror(chart, 'Registry', props(chart));
  return { chart, mirror };
}
const secret = (chart: Chart, name: string) => Secret.fromSecretName(chart, `Secret-${name}`, name);
const manifestsOf = (props: (chart: Chart) => RegistryMirrorProps) => {
  const { chart, mirror } = build(props);
  return { mirror, chart, manifests: synthValid(chart) };
};
const find = (m: any[], kind: string) => {
  const found = m.filter((x) => x.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const podSpec = (m: any[]) => find(m, 'Deployment').spec.template.spec;
const container = (m: any[]) => podSpec(m).containers[0];
const envOf = (m: any[]) => Object.fromEntries(container(m).env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
const storageOf = (m: any[]) => parse(find(m, 'ConfigMap').data['config.yml']).storage;
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
};
const s3WithKeys = (chart: Chart) => RegistryStorage.s3({
  bucket: 'images', region: 'eu-central-1', rootDirectory: 'registry/prod', credentials: { secret: secret(chart, 's3-keys') },
});
const modelObjects = (chart: Chart) => chart.node.findAll().filter(ApiObject.isApiObject).map((o) => ({ json: o.toJson() }));

describe('RegistryMirror storage', () => {
  describe('garbage collection on object storage (opt-in)', () => {
    const httpSecret = (chart: Chart) => ({ secret: secret(chart, 'registry-http'), key: 'http-secret' });
    const gcManifests = (props: Partial<RegistryMirrorProps> = {}) => manifestsOf((chart) => ({
      ...PLAIN, storage: s3WithKeys(chart), replicas: 3, httpSecret: httpSecret(chart), garbageCollection: { enabled: true }, ...props,
    }));
    const { manifests, mirror } = gcManifests();
    const cronJob = find(manifests, 'CronJob');
    const gcPod = cronJob.spec.jobTemplate.spec.template.spec;
    const gcEnv = Object.fromEntries(gcPod.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

    test('a CronJob that switches the Deployment with kubectl and collects with the registry binary', () => {
      expect(mirror.garbageCollection).toBeDefined();
      expect(cronJob.metadata.name).toBe('registry-gc');
      expect(cronJob.spec).toMatchObject({ concurrencyPolicy: 'Forbid', schedule: '30 3 * * 0' });
      expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 3600 });
      // Its own token, its own ServiceAccount; no affinity to a volume's node.
      expect(gcPod).toMatchObject({ serviceAccountName: 'registry-gc', automountServiceAccountToken: true, restartPolicy: 'Never' });
      expect(gcPod.affinity).toBeUndefined();
      expect(gcPod.initContainers).toEqual([expect.objectContaining({
        name: 'registry-binary', image: 'docker.io/library/registry:3.0.0', command: ['cp', '/bin/registry', '/gc-bin/registry'],
      })]);
      const main = gcPod.containers[0];
      expect(main.image).toBe('registry.k8s.io/kubectl:v1.34.1');
      expect(main.command).toEqual(['/bin/sh', '/etc/distribution/config/garbage-collect-replicas.sh']);
      expect(main.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(main.resources.limits).toEqual({ cpu: '1000m', memory: '1Gi' });
      const selector = find(manifests, 'Deployment').spec.selector.matchLabels;
      expect(gcEnv).toMatchObject({
        NAMESPACE: 'registry',
        DEPLOYMENT: 'registry',
        CONTAINER: 'registry',
        LEASE_SECONDS: '3600',
        ROLLOUT_TIMEOUT_SECONDS: '1200',
        SKEW_SECONDS: '60',
        DELETE_UNTAGGED: 'true',
        REGISTRY_BIN: '/gc-bin/registry',
        REGISTRY_CONFIG: '/etc/distribution/config/config.yml',
        HOME: '/tmp',
      });
      // kubectl's -l selects exactly the Deployment's pods.
      expect(gcEnv.POD_SELECTOR.split(',').sort()).toEqual(Object.entries(selector).map(([k, v]) => `${k}=${v}`).sort());
      // The same object-store credentials as the registry, from the same Secret.
      expect(gcEnv.REGISTRY_STORAGE_S3_ACCESSKEY).toEqual(envOf(manifests).REGISTRY_STORAGE_S3_ACCESSKEY);
      expect(gcEnv.REGISTRY_STORAGE_S3_SECRETKEY).toEqual({ secretKeyRef: { name: 's3-keys', key: 'secretKey' } });
      expect(gcPod.volumes.map((v: any) => v.name).sort()).toEqual(['config', 'gc-bin', 'tmp']);
      // The registry pods still get no API token.
      expect(podSpec(manifests).automountServiceAccountToken).toBe(false);
    });

    test('least privilege: only get/patch/list/watch on this Deployment by name, and list pods', () => {
      expect(find(manifests, 'Role')).toMatchObject({
        metadata: { name: 'registry-gc', namespace: 'registry' },
        rules: [
          { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['registry'], verbs: ['get', 'patch', 'list', 'watch'] },
          { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
        ],
      });
      expect(find(manifests, 'RoleBinding')).toMatchObject({
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'registry-gc' },
        subjects: [{ kind: 'ServiceAccount', name: 'registry-gc', namespace: 'registry' }],
      });
      expect(find(manifests, 'ServiceAccount')).toMatchObject({ metadata: { name: 'registry-gc' }, automountServiceAccountToken: false });
      expect(manifests.map((m) => m.kind)).not.toContain('ClusterRole');
    });

    test('a keyless identity: the collection\'s ServiceAccount carries the same annotations and pod labels', () => {
      const { manifests: m } = gcManifests({
        storage: RegistryStorage.s3({ bucket: 'images', region: 'eu-central-1' }),
        identity: WorkloadIdentity.aws('arn:aws:iam::123456789012:role/registry'),
      });
      const accounts = m.filter((x) => x.kind === 'ServiceAccount');
      expect(accounts.map((a) => a.metadata.name).sort()).toEqual(['registry', 'registry-gc']);
      expect(accounts[0].metadata.annotations).toEqual(accounts[1].metadata.annotations);
      expect(accounts[0].metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/registry' });
    });

    test('default: off on object storage (no CronJob, no RBAC); a pull-through cache keeps untagged manifests', () => {
      const { manifests: off } = gcManifests({ garbageCollection: undefined });
      expect(off.map((x) => x.kind)).not.toEqual(expect.arrayContaining(['CronJob']));
      expect(off.map((x) => x.kind)).not.toContain('Role');
      const { manifests: cache } = gcManifests({ replicas: 1, httpSecret: undefined, proxy: { upstream: RegistryUpstream.dockerHub() } });
      const env = find(cache, 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].env;
      expect(env).toContainEqual({ name: 'DELETE_UNTAGGED', value: 'false' });
    });
  });

  test('S3 with three replicas: no claim and no collection, rolling without a gap, spread, a PDB, credentials only from Secrets', () => {
    const { manifests, mirror } = manifestsOf((chart) => ({
      ...PLAIN, storage: s3WithKeys(chart), replicas: 3, httpSecret: { secret: secret(chart, 'registry-http'), key: 'http-secret' },
    }));
    expect(manifests.map((m) => m.kind)).toEqual(['Namespace', 'ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Service']);
    expect(mirror.claim).toBeUndefined();
    expect(mirror.garbageCollection).toBeUndefined();
    expect(mirror.replicas).toBe(3);
    const deployment = find(manifests, 'Deployment');
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    const selector = deployment.spec.selector.matchLabels;
    expect(podSpec(manifests).topologySpreadConstraints).toEqual([expect.objectContaining({
      topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector },
    })]);
    expect(find(manifests, 'PodDisruptionBudget').spec).toEqual({ minAvailable: 2, selector: { matchLabels: selector } });
    // The entrypoint turns READ_ONLY_UNTIL (set only by a collection) into a lease in the pod's own scratch space.
    expect(container(manifests).command).toEqual(['/bin/sh', '/etc/distribution/config/run-registry.sh']);
    expect(envOf(manifests)).toMatchObject({
      MAINTENANCE_DIR: '/tmp/cdk8s-spark-maintenance', REGISTRY_READ_ONLY_CONFIG: '/etc/distribution/config/config-read-only.yml',
    });
    expect(envOf(manifests)).not.toHaveProperty('READ_ONLY_UNTIL');
    expect(Object.keys(find(manifests, 'ConfigMap').data).sort()).toEqual([
      'config-read-only.yml', 'config.yml', 'garbage-collect-replicas.sh', 'run-registry.sh',
    ]);
    expect(parse(find(manifests, 'ConfigMap').data['config-read-only.yml']).storage.maintenance.readonly).toEqual({ enabled: true });
    expect(podSpec(manifests).volumes.map((v: any) => v.name)).not.toContain('data');
    expect(storageOf(manifests)).toEqual({
      s3: { region: 'eu-central-1', bucket: 'images', forcepathstyle: false, encrypt: true, rootdirectory: 'registry/prod' },
      delete: { enabled: true },
      maintenance: expect.objectContaining({ readonly: { enabled: false } }),
      cache: { blobdescriptor: 'inmemory' },
      redirect: { disable: false },
    });
    const env = envOf(manifests);
    expect(env.REGISTRY_STORAGE_S3_ACCESSKEY).toEqual({ secretKeyRef: { name: 's3-keys', key: 'accessKey' } });
    expect(env.REGISTRY_STORAGE_S3_SECRETKEY).toEqual({ secretKeyRef: { name: 's3-keys', key: 'secretKey' } });
    expect(env.REGISTRY_HTTP_SECRET).toEqual({ secretKeyRef: { name: 'registry-http', key: 'http-secret' } });
    expect(env.REGISTRY_READ_ONLY_CONFIG).toBe('/etc/distribution/config/config-read-only.yml');
  });

  test('S3 without keys: IRSA through the identity; an S3-compatible service: path style, no encryption, no redirect', () => {
    const irsa = manifestsOf(() => ({
      ...PLAIN,
      storage: RegistryStorage.s3({ bucket: 'images', region: 'us-east-1' }),
      identity: WorkloadIdentity.aws('arn:aws:iam::123456789012:role/registry'),
    })).manifests;
    expect(Object.keys(envOf(irsa)).filter((n) => n.startsWith('REGISTRY_STORAGE'))).toEqual([]);
    expect(find(irsa, 'ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/registry' });
    expect(podSpec(irsa).serviceAccountName).toBe('registry');
    const minio = manifestsOf((chart) => ({
      ...PLAIN,
      storage: RegistryStorage.s3({
        bucket: 'images',
        region: 'minio',
        regionEndpoint: 'http://minio.storage.svc:9000',
        forcePathStyle: true,
        disableRedirect: true,
        credentials: { secret: secret(chart, 'minio'), accessKeyKey: 'user', secretKeyKey: 'password' },
      }),
    })).manifests;
    expect(storageOf(minio).s3).toEqual({
      region: 'minio', bucket: 'images', regionendpoint: 'http://minio.storage.svc:9000', forcepathstyle: true, encrypt: false,
    });
    expect(storageOf(minio).redirect).toEqual({ disable: true });
    expect(envOf(minio).REGISTRY_STORAGE_S3_ACCESSKEY).toEqual({ secretKeyRef: { name: 'minio', key: 'user' } });
  });

  test('GCS: a key file mounted from a Secret, or default credentials (GKE Workload Identity)', () => {
    const keyed = manifestsOf((chart) => ({
      ...PLAIN, storage: RegistryStorage.gcs({ bucket: 'my_images', keyFile: { secret: secret(chart, 'gcs'), key: 'sa.json' } }),
    })).manifests;
    expect(storageOf(keyed).gcs).toEqual({ bucket: 'my_images', keyfile: '/etc/distribution/gcs/key.json' });
    expect(podSpec(keyed).volumes).toContainEqual({ name: 'gcs-key', secret: { secretName: 'gcs', items: [{ key: 'sa.json', path: 'key.json' }] } });
    expect(container(keyed).volumeMounts).toContainEqual({ name: 'gcs-key', mountPath: '/etc/distribution/gcs', readOnly: true });
    const keyless = manifestsOf(() => ({
      ...PLAIN,
      storage: RegistryStorage.gcs({ bucket: 'images' }),
      identity: WorkloadIdentity.gcp('registry@my-project.iam.gserviceaccount.com'),
    })).manifests;
    expect(storageOf(keyless).gcs).toEqual({ bucket: 'images' });
    expect(podSpec(keyless).volumes.map((v: any) => v.name)).not.toContain('gcs-key');
  });

  test('Azure: shared key from a Secret (what registry 3.0.0 supports)', () => {
    const { manifests } = manifestsOf((chart) => ({
      ...PLAIN,
      storage: RegistryStorage.azure({
        accountName: 'registryimages', container: 'images', realm: 'core.chinacloudapi.cn', accountKey: { secret: secret(chart, 'azure'), key: 'key' },
      }),
    }));
    expect(storageOf(manifests).azure).toEqual({
      accountname: 'registryimages', container: 'images', realm: 'core.chinacloudapi.cn', credentials: { type: 'shared_key' },
    });
    expect(envOf(manifests).REGISTRY_STORAGE_AZURE_ACCOUNTKEY).toEqual({ secretKeyRef: { name: 'azure', key: 'key' } });
    expect(find(manifests, 'ConfigMap').data['config.yml']).not.toMatch(/accountkey/);
  });

  test('an existing claim: none emitted, the registry and its collection mount the user\'s, one replica, Recreate', () => {
    const { manifests, mirror } = manifestsOf((chart) => ({
      ...PLAIN, storage: RegistryStorage.existingClaim(PersistentVolumeClaim.fromClaimName(chart, 'Claim', 'registry-images')),
    }));
    expect(manifests.map((m) => m.kind)).toEqual(['Namespace', 'ConfigMap', 'Deployment', 'Service', 'CronJob']);
    expect(mirror.claim).toBeUndefined();
    expect(find(manifests, 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
    const claimOf = (spec: any) => spec.volumes.find((v: any) => v.name === 'data').persistentVolumeClaim.claimName;
    expect(claimOf(podSpec(manifests))).toBe('registry-images');
    expect(claimOf(find(manifests, 'CronJob').spec.jobTemplate.spec.template.spec)).toBe('registry-images');
    expect(storageOf(manifests).filesystem).toEqual({ rootdirectory: '/var/lib/registry' });
  });

  test('RegistryStorage.persistentVolume() renders what storageSize and storageClass render', () => {
    const viaStorage = manifestsOf(() => ({
      ...PLAIN, storage: RegistryStorage.persistentVolume({ size: Size.gibibytes(50), storageClass: StorageClassRef.existing('fast') }),
    })).manifests;
    const legacy = manifestsOf(() => ({ ...PLAIN, storageSize: Size.gibibytes(50), storageClass: StorageClassRef.existing('fast') })).manifests;
    expect(viaStorage).toEqual(legacy);
    expect(find(viaStorage, 'PersistentVolumeClaim').spec.resources.requests.storage).toBe('50Gi');
    expect(RegistryStorage.persistentVolume().kind).toBe(RegistryStorageKind.PERSISTENT_VOLUME);
  });

  test('a pull-through cache on S3 keeps one replica and Recreate (one expiry schedule)', () => {
    const { manifests } = manifestsOf((chart) => ({ ...PLAIN, proxy: { upstream: RegistryUpstream.dockerHub() }, storage: s3WithKeys(chart) }));
    expect(find(manifests, 'Deployment').spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(manifests.map((m) => m.kind)).not.toContain('PodDisruptionBudget');
  });

  test('the runtime-truth model passes S3 with replicas and IRSA, GCS and an existing claim', () => {
    for (const props of [
      (chart: Chart): RegistryMirrorProps => ({
        ...PLAIN,
        storage: RegistryStorage.s3({ bucket: 'images', region: 'us-east-1' }),
        replicas: 2,
        httpSecret: { secret: secret(chart, 'http'), key: 'secret' },
        identity: WorkloadIdentity.aws('arn:aws:iam::123456789012:role/registry'),
      }),
      (): RegistryMirrorProps => ({ ...PLAIN, storage: RegistryStorage.gcs({ bucket: 'images' }) }),
      (chart: Chart): RegistryMirrorProps => ({ ...PLAIN, storage: RegistryStorage.existingClaim(PersistentVolumeClaim.fromClaimName(chart, 'C', 'data')) }),
    ]) {
      expect(checkCluster(modelObjects(build(props).chart))).toEqual([]);
    }
  });

  describe('refusals', () => {
    test.each<[string, (chart: Chart) => RegistryMirrorProps, string]>([
      ['several replicas on a volume', () => ({ ...PLAIN, replicas: 2 }), 'test/Registry: invalid replicas 2: 1 with a volume'],
      ['several replicas of a pull-through cache', (chart) => ({
        ...PLAIN,
        proxy: { upstream: RegistryUpstream.dockerHub() },
        storage: s3WithKeys(chart),
        replicas: 2,
        httpSecret: { secret: secret(chart, 'h'), key: 'k' },
      }), 'test/Registry: invalid replicas 2: 1 for a pull-through cache: each replica keeps the cache\'s expiry schedule in memory'],
      ['several replicas without a shared http.secret', (chart) => ({ ...PLAIN, storage: s3WithKeys(chart), replicas: 2 }),
        'test/Registry: invalid httpSecret'],
      ['no replica', () => ({ ...PLAIN, replicas: 0 }), 'test/Registry: invalid replicas 0'],
      ['a collection window too short on object storage', (chart) => ({
        ...PLAIN, storage: s3WithKeys(chart), garbageCollection: { enabled: true, maxDuration: Duration.minutes(4) },
      }), 'test/Registry: invalid garbageCollection.maxDuration "240s": from 5 minutes to 24 hours'],
      ['a bad schedule on object storage', (chart) => ({
        ...PLAIN, storage: s3WithKeys(chart), garbageCollection: { enabled: true, schedule: '61 * * * *' },
      }), 'test/Registry: invalid garbageCollection.schedule'],
      ['storage beside storageClass', () => ({ ...PLAIN, storage: RegistryStorage.persistentVolume(), storageClass: StorageClassRef.existing('x') }),
        'test/Registry: invalid storageSize/storageClass'],
      ['keyless S3 with a GKE identity', () => ({
        ...PLAIN,
        storage: RegistryStorage.s3({ bucket: 'images', region: 'us-east-1' }),
        identity: WorkloadIdentity.gcp('registry@my-project.iam.gserviceaccount.com'),
      }), 'test/Registry: invalid identity "gcp"'],
      ['keyless GCS with an AWS identity', () => ({
        ...PLAIN, storage: RegistryStorage.gcs({ bucket: 'images' }), identity: WorkloadIdentity.aws('arn:aws:iam::123456789012:role/r'),
      }), 'test/Registry: invalid identity "aws"'],
      ['a bad http.secret key', (chart) => ({ ...PLAIN, httpSecret: { secret: secret(chart, 'h'), key: '../x' } }),
        'test/Registry: invalid httpSecret.key'],
      ['a bad S3 key name', (chart) => ({
        ...PLAIN, storage: RegistryStorage.s3({ bucket: 'images', region: 'us-east-1', credentials: { secret: secret(chart, 's'), accessKeyKey: 'a b' } }),
      }), 'test/Registry: invalid storage.credentials.accessKeyKey'],
      ['not a RegistryStorage', () => ({ ...PLAIN, storage: { kind: 's3' } as any }), 'test/Registry: invalid storage'],
    ])('%s', (_what, props, message) => {
      expect(errorOf(() => build(props))).toContain(message);
    });

    test.each<[string, () => unknown, string]>([
      ['an S3 bucket with capitals', () => RegistryStorage.s3({ bucket: 'Images', region: 'us-east-1' }), 'RegistryStorage.s3: invalid bucket "Images"'],
      ['an S3 region with spaces', () => RegistryStorage.s3({ bucket: 'images', region: 'eu central' }), 'RegistryStorage.s3: invalid region'],
      ['an S3 endpoint with a path', () => RegistryStorage.s3({ bucket: 'images', region: 'x', regionEndpoint: 'https://minio/x' }),
        'RegistryStorage.s3: invalid regionEndpoint'],
      ['a root directory leaving the bucket', () => RegistryStorage.gcs({ bucket: 'images', rootDirectory: 'a/../b' }),
        'RegistryStorage.gcs: invalid rootDirectory'],
      ['an Azure account with capitals', () => RegistryStorage.azure({ accountName: 'Registry', container: 'images', accountKey: {} as any }),
        'RegistryStorage.azure: invalid accountName'],
      ['Azure without an account key', () => RegistryStorage.azure({ accountName: 'registry', container: 'images' } as any),
        'RegistryStorage.azure: invalid accountKey'],
      ['an existing claim without a name', () => RegistryStorage.existingClaim({} as any), 'RegistryStorage.existingClaim: invalid claim'],
    ])('%s', (_what, f, message) => {
      expect(errorOf(f)).toContain(message);
    });

    test('S3 keys stay out of the ConfigMap (they reach the registry as environment variables from the Secret)', () => {
      const { manifests } = manifestsOf((chart) => ({ ...PLAIN, storage: s3WithKeys(chart) }));
      expect(find(manifests, 'ConfigMap').data['config.yml']).not.toMatch(/accesskey|secretkey/);
    });
  });
});

describe('RegistryMirror storage alerts (monitoring)', () => {
  // kubelet_volume_stats_* carry the claim's namespace and name (kubernetes/kubernetes
  // pkg/kubelet/metrics/collectors/volume_stats.go); an object store has no volume the kubelet measures.
  const alertsOf = (props: (chart: Chart) => RegistryMirrorProps) => {
    // Rendered only: the rule's CRD schema is checked in test/core/monitoring*.test.ts (it needs ../shared).
    const { chart } = build((c) => ({ ...props(c), monitoring: {} }));
    return find(Testing.synth(chart), 'PrometheusRule').spec.groups.flatMap((g: any) => g.rules);
  };
  const storageAlert = (rules: any[]) => rules.find((r: any) => r.alert === 'RegistryMirrorStorageFull');

  test('the registry\'s own claim and a claim the user owns are watched; an object store is not', () => {
    expect(storageAlert(alertsOf(() => PLAIN)).expr).toContain('persistentvolumeclaim="registry-data"');
    const existing = storageAlert(alertsOf((chart) => ({
      ...PLAIN, storage: RegistryStorage.existingClaim(PersistentVolumeClaim.fromClaimName(chart, 'Claim', 'registry-images')),
    })));
    expect(existing.expr).toBe('kubelet_volume_stats_available_bytes{namespace="registry", persistentvolumeclaim="registry-images"}'
      + ' / kubelet_volume_stats_capacity_bytes{namespace="registry", persistentvolumeclaim="registry-images"} < 0.1');
    const s3 = alertsOf((chart) => ({ ...PLAIN, storage: s3WithKeys(chart) }));
    expect(storageAlert(s3)).toBeUndefined();
    expect(s3.map((r: any) => r.alert)).toEqual(['RegistryMirrorDown', 'RegistryMirrorServerErrors']);
  });
});
