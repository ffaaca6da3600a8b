import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, PersistentVolumeAccessMode, PersistentVolumeClaim, Secret } from 'cdk8s-plus-28';
import {
  ClusterStorage, EventLogStore, HistoryLocalStore, ImageRegistryOverride, SparkConf, SparkHistoryServer, SparkHistoryServerProps,
  SparkImageFacts, SparkMemory, StorageClassRef,
} from '../../src';
import { s3Image } from '../harness/images';
import { synthValid } from '../harness/manifests';

function chartOf(namespace?: string): Chart {
  const chart = new Chart(Testing.app(), 'test', { namespace });
  // The claims of these tests name no class: the test cluster has a default one (a shared
  // file system for the ReadWriteMany ones).
  ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
  return chart;
}

function s3(chart: Chart): EventLogStore {
  return EventLogStore.s3({
    bucket: 'spark-logs',
    endpoint: 'http://minio.storage.svc:9000',
    pathStyleAccess: true,
    credentials: { secret: Secret.fromSecretName(chart, 'MinioKeys', 'minio-keys') },
  });
}

function rwxClaim(chart: Chart, id = 'Logs'): PersistentVolumeClaim {
  return new PersistentVolumeClaim(chart, id, {
    accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY],
    storage: Size.gibibytes(50),
  });
}

function setup(props: Partial<SparkHistoryServerProps> = {}, namespace = 'spark') {
  const chart = chartOf(namespace);
  const server = new SparkHistoryServer(chart, 'History', { store: s3(chart), image: s3Image(), ...props });
  const manifests = synthValid(chart);
  const find = (kind: string) => manifests.find((m) => m.kind === kind);
  const pod = find('Deployment')?.spec.template.spec;
  return { chart, server, manifests, find, pod, container: pod?.containers[0] };
}

function confLines(find: (kind: string) => any): string[] {
  return find('ConfigMap').data['spark-defaults.conf'].trim().split('\n');
}

describe('SparkHistoryServer', () => {
  test('defaults (snapshot)', () => {
    expect(setup().manifests).toMatchSnapshot();
  });

  test('defaults: HistoryServer in the foreground from the Apache image, configured by its ConfigMap', () => {
    const { server, find, pod, container } = setup();
    expect(container.image).toBe('registry.example.com/data/spark-s3:4.0.4');
    expect(container.command).toEqual(['/opt/spark/bin/spark-class', 'org.apache.spark.deploy.history.HistoryServer',
      '--properties-file', '/etc/spark-history/spark-defaults.conf']);
    expect(container.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/spark-history', readOnly: true });
    expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: 'spark-history-server-config' } });
    expect(confLines(find)).toEqual([
      'spark.history.fs.logDirectory s3a://spark-logs/spark-events',
      'spark.hadoop.fs.s3a.endpoint http://minio.storage.svc:9000',
      'spark.hadoop.fs.s3a.connection.ssl.enabled false',
      'spark.hadoop.fs.s3a.path.style.access true',
      'spark.history.ui.port 18080',
      'spark.history.fs.cleaner.enabled false',
    ]);
    expect(server.sparkConf.get('spark.history.fs.logDirectory')).toBe(server.store.logDirectory);
    const deployment = find('Deployment');
    expect(deployment.metadata).toMatchObject({ name: 'spark-history-server', namespace: 'spark' });
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(deployment.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  test('heap sized to the container: 1536m + 512m = 2Gi, 250m-1 CPU', () => {
    const { container } = setup();
    expect(container.env).toContainEqual({ name: 'SPARK_DAEMON_MEMORY', value: '1536m' });
    expect(container.env).toContainEqual({ name: 'SPARK_HISTORY_OPTS', value: '-XX:+ExitOnOutOfMemoryError' });
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '2Gi' }, limits: { cpu: '1000m', memory: '2Gi' } });
  });

  test('custom memory and resources', () => {
    const { container } = setup({
      memory: SparkMemory.gibibytes(3),
      memoryOverhead: SparkMemory.gibibytes(1),
      resources: { cpu: { request: Cpu.units(1), limit: Cpu.units(2) } },
      javaOptions: '-XX:+UseG1GC',
    });
    expect(container.env).toContainEqual({ name: 'SPARK_DAEMON_MEMORY', value: '3g' });
    expect(container.env).toContainEqual({ name: 'SPARK_HISTORY_OPTS', value: '-XX:+ExitOnOutOfMemoryError -XX:+UseG1GC' });
    expect(container.resources).toEqual({ requests: { cpu: '1000m', memory: '4Gi' }, limits: { cpu: '2000m', memory: '4Gi' } });
  });

  test('restricted, read-only root filesystem with a writable /tmp, own ServiceAccount without token', () => {
    const { find, pod, container } = setup();
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.serviceAccountName).toBe('spark-history-server');
    expect(find('ServiceAccount')).toMatchObject({ metadata: { name: 'spark-history-server' }, automountServiceAccountToken: false });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185 });
    for (const c of [container, ...pod.initContainers]) {
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 185,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    }
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } });
    expect(find('Role')).toBeUndefined();
  });

  test('probes on the REST API of port 18080, with a startup probe for slow starts', () => {
    const { container } = setup();
    expect(container.ports).toEqual([{ name: 'http', containerPort: 18080, protocol: 'TCP' }]);
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/api/v1/applications?limit=1', port: 'http', scheme: 'HTTP' });
    }
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBe(300);
  });

  test('S3: credentials from the Secret, and an init container creating the log directory', () => {
    const { pod, container } = setup();
    const keys = [
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'minio-keys', key: 'AWS_ACCESS_KEY_ID' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'minio-keys', key: 'AWS_SECRET_ACCESS_KEY' } } },
    ];
    expect(container.env).toEqual(expect.arrayContaining(keys));
    expect(pod.initContainers).toHaveLength(1);
    const init = pod.initContainers[0];
    expect(init.command).toEqual([
      '/opt/spark/bin/spark-class', 'org.apache.hadoop.fs.FsShell',
      '-D', 'fs.s3a.endpoint=http://minio.storage.svc:9000', '-D', 'fs.s3a.connection.ssl.enabled=false',
      '-D', 'fs.s3a.path.style.access=true', '-mkdir', '-p', 's3a://spark-logs/spark-events',
    ]);
    expect(init.env).toEqual([{ name: 'SPARK_DRIVER_MEMORY', value: '256m' }, ...keys]);
    expect(init.resources.limits.memory).toBe('512Mi');
  });

  test('HDFS: an init container creates the directory; no volumes', () => {
    const chart = chartOf();
    const server = new SparkHistoryServer(chart, 'H', { store: EventLogStore.hdfs('hdfs://namenode:8020/spark-logs') });
    const pod = synthValid(chart).find((m) => m.kind === 'Deployment').spec.template.spec;
    expect(pod.initContainers[0].command.slice(-3)).toEqual(['-mkdir', '-p', 'hdfs://namenode:8020/spark-logs']);
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['config', 'tmp']);
    expect(server.url).toBe('http://spark-history-server.default.svc:18080');
  });

  test('a PVC store is mounted read-only without the cleaner, read-write with it; no init container', () => {
    for (const cleaner of [undefined, { maxAge: Duration.days(14) }]) {
      const chart = chartOf();
      const store = EventLogStore.pvc({ claim: rwxClaim(chart) });
      new SparkHistoryServer(chart, 'H', { store, cleaner });
      const pod = synthValid(chart).find((m) => m.kind === 'Deployment').spec.template.spec;
      const readOnly = cleaner === undefined;
      expect(pod.initContainers).toBeUndefined();
      expect(pod.volumes).toContainEqual({
        name: 'spark-event-logs',
        persistentVolumeClaim: { claimName: store.claim!.name, ...(readOnly ? { readOnly: true } : {}) },
      });
      expect(pod.containers[0].volumeMounts).toContainEqual({
        name: 'spark-event-logs', mountPath: '/var/spark-events', ...(readOnly ? { readOnly: true } : {}),
      });
    }
  });

  test('event log compaction set in sparkConf also makes the mount read-write', () => {
    const chart = chartOf();
    new SparkHistoryServer(chart, 'H', {
      store: EventLogStore.pvc({ claim: rwxClaim(chart) }),
      sparkConf: SparkConf.of({ 'spark.history.fs.eventLog.rolling.maxFilesToRetain': '2' }),
    });
    const pod = synthValid(chart).find((m) => m.kind === 'Deployment').spec.template.spec;
    expect(pod.containers[0].volumeMounts.find((m: any) => m.name === 'spark-event-logs').readOnly).toBeUndefined();
  });

  test('a local store gets an emptyDir at its directory', () => {
    const chart = chartOf();
    new SparkHistoryServer(chart, 'H', { store: EventLogStore.local('/var/spark-events') });
    const pod = synthValid(chart).find((m) => m.kind === 'Deployment').spec.template.spec;
    expect(pod.initContainers).toBeUndefined();
    expect(pod.volumes).toContainEqual({ name: 'spark-event-logs', emptyDir: {} });
    // Read-only: without the cleaner the server only reads logs.
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'spark-event-logs', mountPath: '/var/spark-events', readOnly: true });
  });

  test('cleaner, retained applications and update interval become typed conf', () => {
    const { find } = setup({
      cleaner: { interval: Duration.hours(6), maxAge: Duration.days(30), maxNumFiles: 5000 },
      retainedApplications: 20,
      updateInterval: Duration.seconds(30),
      sparkConf: SparkConf.of({ 'spark.history.fs.numReplayThreads': '4' }),
    });
    expect(confLines(find)).toEqual(expect.arrayContaining([
      'spark.history.fs.cleaner.enabled true',
      'spark.history.fs.cleaner.interval 6h',
      'spark.history.fs.cleaner.maxAge 30d',
      'spark.history.fs.cleaner.maxNum 5000',
      'spark.history.retainedApplications 20',
      'spark.history.fs.update.interval 30s',
      'spark.history.fs.numReplayThreads 4',
    ]));
  });

  test('local store on a sized emptyDir, hybrid store within the heap', () => {
    const { find, pod, container } = setup({ localStore: HistoryLocalStore.emptyDir({ sizeLimit: Size.gibibytes(20), hybrid: true }) });
    expect(pod.volumes).toContainEqual({ name: 'local-store', emptyDir: { sizeLimit: '20Gi' } });
    expect(container.volumeMounts).toContainEqual({ name: 'local-store', mountPath: '/var/lib/spark-history' });
    expect(confLines(find)).toEqual(expect.arrayContaining([
      'spark.history.store.path /var/lib/spark-history',
      'spark.history.store.maxDiskUsage 16g',
      'spark.history.store.hybridStore.enabled true',
      'spark.history.store.hybridStore.maxMemoryUsage 384m',
    ]));
    expect(find('Deployment').spec.strategy.type).toBe('RollingUpdate');
  });

  test('local store on a claim: survives restarts, Recreate strategy', () => {
    const chart = chartOf();
    const claim = new PersistentVolumeClaim(chart, 'Store', { storage: Size.gibibytes(10) });
    new SparkHistoryServer(chart, 'H', {
      store: s3(chart),
      image: s3Image(),
      localStore: HistoryLocalStore.persistentVolumeClaim({ claim, hybrid: true, hybridMaxMemory: Size.mebibytes(512) }),
    });
    const manifests = synthValid(chart);
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'local-store', persistentVolumeClaim: { claimName: claim.name } });
    const conf = manifests.find((m) => m.kind === 'ConfigMap').data['spark-defaults.conf'];
    expect(conf).toContain('spark.history.store.maxDiskUsage 8g\n');
    expect(conf).toContain('spark.history.store.hybridStore.maxMemoryUsage 512m\n');
  });

  test('Service: ClusterIP on 18080, NodePort opt-in', () => {
    const { find, server } = setup();
    expect(server.url).toBe('http://spark-history-server.spark.svc:18080');
    expect(find('Service').spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'spark-history-server', 'app.kubernetes.io/instance': 'spark-history-server' },
      ports: [{ name: 'http', port: 18080, targetPort: 'http', protocol: 'TCP' }],
    });
    const nodePort = setup({ nodePort: 30080 }).find('Service').spec;
    expect(nodePort.type).toBe('NodePort');
    expect(nodePort.ports[0].nodePort).toBe(30080);
  });

  test('Ingress with host, path prefix, TLS and class; links follow the prefix', () => {
    const chart = chartOf('spark');
    new SparkHistoryServer(chart, 'H', {
      name: 'history',
      store: s3(chart),
      image: s3Image(),
      ingress: {
        host: 'spark.example.com',
        path: '/history',
        tlsSecret: Secret.fromSecretName(chart, 'Tls', 'spark-tls'),
        ingressClassName: 'nginx',
        annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
      },
    });
    const manifests = synthValid(chart);
    const ingress = manifests.find((m) => m.kind === 'Ingress');
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['spark.example.com'], secretName: 'spark-tls' }],
      rules: [{
        host: 'spark.example.com',
        http: { paths: [{ path: '/history', pathType: 'Prefix', backend: { service: { name: 'history', port: { name: 'http' } } } }] },
      }],
    });
    const container = manifests.find((m) => m.kind === 'Deployment').spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'APPLICATION_WEB_PROXY_BASE', value: '/history' });
  });

  test('image: registry override, pull secrets and policy', () => {
    const chart = chartOf();
    ImageRegistryOverride.apply(chart, ImageRegistryOverride.mirror('mirror.example.com'));
    const image = s3Image('3.5.7', {
      pullSecrets: [Secret.fromSecretName(chart, 'Pull', 'regcred')],
      uid: 1001,
      facts: SparkImageFacts.fromApacheImage({ hadoopAws: true, passwdUids: [185, 1001] }),
    });
    new SparkHistoryServer(chart, 'H', { store: s3(chart), image });
    const pod = synthValid(chart).find((m) => m.kind === 'Deployment').spec.template.spec;
    for (const c of [...pod.containers, ...pod.initContainers]) {
      expect(c.image).toBe('mirror.example.com/data/spark-s3:3.5.7');
      expect(c.securityContext.runAsUser).toBe(1001);
    }
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  describe('refuses bad input', () => {
    const build = (props: Partial<SparkHistoryServerProps>) => {
      const chart = chartOf();
      return new SparkHistoryServer(chart, 'H', { store: EventLogStore.hdfs('hdfs://nn:8020/logs'), ...props });
    };

    test.each<[string, () => unknown, string]>([
      // No store (JavaScript callers).
      ['props without a store', () => new SparkHistoryServer(chartOf(), 'H', {} as any), 'test/H: invalid store (undefined): an EventLogStore'],
      ['no props', () => new SparkHistoryServer(chartOf(), 'H', undefined as any), 'test/H: invalid store (undefined)'],
      ['a store given as a URI string', () => build({ store: 'hdfs://nn/logs' as any }), 'test/H: invalid store "hdfs://nn/logs"'],
      // NodePort outside 30000-32767 (the seed used 10080).
      ['the seed\'s nodePort 10080', () => build({ nodePort: 10080 }), 'test/H: invalid nodePort 10080: a NodePort from 30000 to 32767'],
      ['a nodePort above 32767', () => build({ nodePort: 32768 }), 'test/H: invalid nodePort 32768'],
      ['a fractional nodePort', () => build({ nodePort: 30000.5 }), 'test/H: invalid nodePort 30000.5'],
      // Memory.
      ['a memory overhead larger than memory', () => build({ memory: SparkMemory.mebibytes(512), memoryOverhead: SparkMemory.gibibytes(1) }),
        'test/H: invalid memoryOverhead "1g": at most memory (512m)'],
      ['a memory limit below heap + overhead', () => build({ resources: { memory: { limit: Size.gibibytes(1) } } }),
        'test/H: invalid resources.memory.limit "1024 MiB": at least memory + memoryOverhead (2048 MiB)'],
      ['a memory request other than heap + overhead', () => build({ resources: { memory: { request: Size.gibibytes(3) } } }), 'test/H: invalid resources.memory'],
      ['-Xmx in javaOptions', () => build({ javaOptions: '-Xmx4g' }), 'test/H: invalid javaOptions "-Xmx4g": JVM options on one line without -Xmx'],
      // Durations and cleaner settings.
      ['a cleaner interval in fractional seconds', () => build({ cleaner: { interval: Duration.millis(500) } }),
        'test/H: invalid cleaner.interval "500 ms": a whole number of seconds'],
      ['a cleaner maxAge in fractional seconds', () => build({ cleaner: { maxAge: Duration.millis(90500) } }), 'test/H: invalid cleaner.maxAge "90500 ms"'],
      ['an updateInterval in fractional seconds', () => build({ updateInterval: Duration.millis(1500) }), 'test/H: invalid updateInterval "1500 ms"'],
      ['a cleaner keeping no files', () => build({ cleaner: { maxNumFiles: 0 } }), 'test/H: invalid cleaner.maxNumFiles 0: a whole number of event logs'],
      ['a maxAge for a disabled cleaner', () => build({ cleaner: { enabled: false, maxAge: Duration.days(1) } }),
        'test/H: invalid cleaner.maxAge "1 day": a setting of an enabled cleaner'],
      ['no retained applications', () => build({ retainedApplications: 0 }), 'test/H: invalid retainedApplications 0'],
      // sparkConf keys the props manage, and keys conflicting with the store.
      ['a sparkConf key the cleaner prop manages', () => build({ sparkConf: SparkConf.of({ 'spark.history.fs.cleaner.enabled': 'true' }) }),
        'test/H: invalid sparkConf key "spark.history.fs.cleaner.enabled": the key is managed by the library; set it through the cleaner prop'],
      ['a sparkConf UI port', () => build({ sparkConf: SparkConf.of({ 'spark.history.ui.port': '8080' }) }), 'invalid sparkConf key "spark.history.ui.port"'],
      ['a sparkConf key the store sets otherwise', () => {
        const chart = chartOf();
        return new SparkHistoryServer(chart, 'H', {
          store: s3(chart),
          image: s3Image(),
          sparkConf: SparkConf.of({ 'spark.hadoop.fs.s3a.path.style.access': 'false' }, 'user conf'),
        });
      }, 'test/H: invalid Spark conf key "spark.hadoop.fs.s3a.path.style.access" "false": it is set to "true" by EventLogStore'],
      // Local store options.
      ['a local store using more disk than its volume', () => HistoryLocalStore.emptyDir({ sizeLimit: Size.gibibytes(5), maxDiskUsage: Size.gibibytes(6) }),
        'HistoryLocalStore.emptyDir: invalid maxDiskUsage "6144 MiB": at most the size of the volume (5120 MiB)'],
      ['hybridMaxMemory without hybrid', () => HistoryLocalStore.emptyDir({ hybridMaxMemory: Size.gibibytes(1) }),
        'HistoryLocalStore.emptyDir: invalid hybridMaxMemory 1024: only with hybrid: true'],
      ['a local store volume of 1 KiB', () => HistoryLocalStore.emptyDir({ sizeLimit: Size.kibibytes(1) }), 'HistoryLocalStore.emptyDir: invalid sizeLimit'],
      ['a local store without a claim', () => HistoryLocalStore.persistentVolumeClaim({} as any), 'HistoryLocalStore.persistentVolumeClaim: invalid claim'],
      ['hybridMaxMemory not below the heap', () => build({ localStore: HistoryLocalStore.emptyDir({ hybrid: true, hybridMaxMemory: Size.gibibytes(2) }) }),
        'test/H: invalid localStore.hybridMaxMemory "2048 MiB": less than the heap (memory, 1536 MiB)'],
      // Names and ingress.
      ['a name with capitals', () => build({ name: 'History' }), 'test/H: invalid name "History"'],
      ['a namespace with an underscore', () => build({ namespace: 'a_b' }), 'test/H: invalid namespace "a_b"'],
      ['a relative ingress path', () => build({ ingress: { path: 'history' } }), 'test/H: invalid ingress.path "history": an absolute HTTP path'],
      ['an ingress path with a trailing slash', () => build({ ingress: { path: '/history/' } }), 'test/H: invalid ingress.path "/history/"'],
      ['an ingress host with capitals', () => build({ ingress: { host: 'Spark.example.com' } }), 'test/H: invalid ingress.host "Spark.example.com"'],
      ['an ingress TLS Secret without a host', () => {
        const chart = chartOf();
        return new SparkHistoryServer(chart, 'H', {
          store: s3(chart),
          image: s3Image(),
          ingress: { tlsSecret: Secret.fromSecretName(chart, 'Tls', 'spark-tls') },
        });
      }, 'test/H: invalid ingress.tlsSecret "spark-tls": a TLS Secret together with ingress.host'],
      // Relative or malformed log URIs (through EventLogStore).
      ['a relative local log directory', () => build({ store: EventLogStore.local('spark-events') }), 'EventLogStore.local: invalid directory "spark-events"'],
      ['an HDFS log path without a scheme', () => build({ store: EventLogStore.hdfs('/spark-logs') }), 'EventLogStore.hdfs: invalid uri "/spark-logs"'],
    ])('%s', (_name, make, message) => {
      expect(make).toThrow(message);
    });
  });
});
