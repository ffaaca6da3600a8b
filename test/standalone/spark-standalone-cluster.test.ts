import { Chart, Size, Testing } from 'cdk8s';
import { Cpu, ISecret, Secret, ServiceType } from 'cdk8s-plus-28';
import {
  ClusterStorage, StorageClassRef,
  ImageRegistryOverride, SparkConf, SparkImage, SparkImageFacts, SparkMemory, SparkStandaloneCluster,
  SparkStandaloneClusterProps, SparkStandaloneSubmitOptions, StandaloneAuthentication, WorkerStorage,
} from '../../src';
import { synthValid } from '../harness/manifests';

const PI: SparkStandaloneSubmitOptions = {
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.7.jar',
  arguments: ['1000'],
};

function setup(props: Partial<SparkStandaloneClusterProps> = {}, chartNamespace?: string) {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: chartNamespace });
  const secret = Secret.fromSecretName(chart, 'AuthSecret', 'spark-auth');
  const cluster = new SparkStandaloneCluster(chart, 'Cluster', {
    authentication: StandaloneAuthentication.sharedSecret({ secret }),
    ...props,
  });
  return { app, chart, cluster, secret };
}

const find = (manifests: any[], kind: string, name?: string) =>
  manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
const one = (manifests: any[], kind: string, name?: string) => {
  const found = find(manifests, kind, name);
  expect(found).toHaveLength(1);
  return found[0];
};
const podOf = (m: any) => m.spec.template.spec;
const containerOf = (m: any) => podOf(m).containers[0];
const envOf = (container: any): { [name: string]: any } =>
  Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
const confOf = (manifests: any[], name: string): { [key: string]: string } => {
  const content: string = one(manifests, 'ConfigMap', name).data['spark-defaults.conf'];
  return Object.fromEntries(content.trim().split('\n').map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
};

describe('SparkStandaloneCluster', () => {
  test('defaults (snapshot)', () => {
    const { chart, cluster } = setup();
    cluster.submitJob('Pi', PI);
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('breaker 4: client-mode drivers advertise their pod IP, not the bare pod hostname', () => {
    // Spark's spark.driver.host defaults to Utils.localCanonicalHostName() (apache/spark
    // core/src/main/scala/org/apache/spark/internal/config/package.scala), i.e. SPARK_LOCAL_HOSTNAME
    // or the pod's own hostname (kubelet's /etc/hosts), which executors on the workers cannot resolve.
    const { chart, cluster } = setup({}, 'analytics');
    cluster.submitJob('Pi', PI);
    const manifests = synthValid(chart);
    const job = one(manifests, 'Job');
    expect(envOf(containerOf(job)).SPARK_LOCAL_HOSTNAME).toEqual({ fieldRef: { fieldPath: 'status.podIP' } });
    expect(cluster.clientEnv().map((e) => e.name)).toContain('SPARK_LOCAL_HOSTNAME');
  });

  test('master: StatefulSet in the foreground with a stable name, headless and client Services', () => {
    const { chart, cluster } = setup({}, 'analytics');
    const manifests = synthValid(chart);
    expect(cluster.namespace).toBe('analytics');
    expect(cluster.masterUrl).toBe('spark://spark-master.analytics.svc.cluster.local:7077');
    expect(cluster.masterUiUrl).toBe('http://spark-master.analytics.svc.cluster.local:8080');
    expect(cluster.masterRestUrl).toBeUndefined();

    const sts = one(manifests, 'StatefulSet', 'spark-master');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('spark-master-headless');
    expect(sts.spec.volumeClaimTemplates).toBeUndefined();
    const master = containerOf(sts);
    expect(master.command).toEqual([
      '/opt/spark/bin/spark-class', 'org.apache.spark.deploy.master.Master',
      '--host', 'spark-master-0.spark-master-headless.analytics.svc.cluster.local', '--port', '7077', '--webui-port', '8080',
    ]);
    expect(master.image).toBe('docker.io/apache/spark:3.5.7');
    expect(master.ports.map((p: any) => `${p.name}:${p.containerPort}`)).toEqual(['spark:7077', 'webui:8080']);
    expect(master.readinessProbe.httpGet).toMatchObject({ path: '/', port: 'webui' });
    expect(master.livenessProbe.tcpSocket.port).toBe('spark');
    expect(master.startupProbe.tcpSocket.port).toBe('spark');
    expect(envOf(master)).toMatchObject({ SPARK_CONF_DIR: '/opt/spark/conf', SPARK_DAEMON_MEMORY: '512m' });
    expect(master.resources).toEqual({ requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } });

    const headless = one(manifests, 'Service', 'spark-master-headless');
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    const service = one(manifests, 'Service', 'spark-master');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['spark:7077', 'webui:8080']);
    expect(service.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(cluster.masterService).toBeDefined();
    expect(cluster.masterStatefulSet.name).toBe('spark-master');
    expect(cluster.workerStatefulSet.name).toBe('spark-worker');
    expect(cluster.statefulSets.map((o) => o.name)).toEqual(['spark-master', 'spark-worker']);
    expect(cluster.services.map((o) => o.name)).toEqual(['spark-master', 'spark-master-headless', 'spark-worker-headless']);
    expect(find(manifests, 'Ingress')).toEqual([]);
  });

  test('workers: cores and memory derived from the container, work dir on a sized emptyDir, PDB', () => {
    const { chart, cluster } = setup();
    const manifests = synthValid(chart);
    const sts = one(manifests, 'StatefulSet', 'spark-worker');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.serviceName).toBe('spark-worker-headless');
    const worker = containerOf(sts);
    expect(worker.command).toEqual([
      '/opt/spark/bin/spark-class', 'org.apache.spark.deploy.worker.Worker',
      '--host', '$(POD_NAME).spark-worker-headless.default.svc.cluster.local', cluster.masterUrl,
    ]);
    // 4096 MiB = 2816 (executors) + 384 (their JVM overhead) + 512 (daemon heap) + 384 (daemon overhead).
    expect(envOf(worker)).toMatchObject({
      POD_NAME: { fieldRef: { fieldPath: 'metadata.name' } },
      SPARK_WORKER_CORES: '2',
      SPARK_WORKER_MEMORY: '2816m',
      SPARK_DAEMON_MEMORY: '512m',
      SPARK_WORKER_PORT: '7078',
      SPARK_WORKER_WEBUI_PORT: '8081',
      SPARK_WORKER_DIR: '/opt/spark/work/apps',
      SPARK_LOCAL_DIRS: '/opt/spark/work/local',
    });
    expect(cluster.workerCores).toBe(2);
    expect(cluster.workerMemory.toSparkString()).toBe('2816m');
    // Guaranteed QoS.
    expect(worker.resources).toEqual({ requests: { cpu: '2000m', memory: '4Gi' }, limits: { cpu: '2000m', memory: '4Gi' } });
    expect(podOf(sts).volumes).toContainEqual({ name: 'work', emptyDir: { sizeLimit: '20Gi' } });
    expect(worker.volumeMounts).toContainEqual({ name: 'work', mountPath: '/opt/spark/work' });
    expect(podOf(sts).topologySpreadConstraints[0].labelSelector.matchLabels).toEqual(sts.spec.selector.matchLabels);
    expect(confOf(manifests, 'spark-worker-conf')['spark.worker.cleanup.enabled']).toBe('true');

    const pdb = one(manifests, 'PodDisruptionBudget', 'spark-worker');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: sts.spec.selector.matchLabels } });
    expect(find(manifests, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  test('worker memory given: the container is sized to hold it; container given: the memory is derived', () => {
    const explicit = setup({ workers: { memory: SparkMemory.gibibytes(6), cores: 3 } });
    const w1 = containerOf(one(synthValid(explicit.chart), 'StatefulSet', 'spark-worker'));
    // 6144 + 614 + 512 + 384
    expect(w1.resources).toEqual({ requests: { cpu: '3000m', memory: '7654Mi' }, limits: { cpu: '3000m', memory: '7654Mi' } });
    expect(envOf(w1)).toMatchObject({ SPARK_WORKER_MEMORY: '6g', SPARK_WORKER_CORES: '3' });

    const derived = setup({
      workers: { resources: { cpu: { limit: Cpu.millis(3500) }, memory: { limit: Size.gibibytes(16) } }, daemonMemory: SparkMemory.gibibytes(1) },
    });
    const w2 = containerOf(one(synthValid(derived.chart), 'StatefulSet', 'spark-worker'));
    // 16384 - 1024 - 384 = 14976 = w + floor(w / 10) -> w = 13615 (13615 + 1361 = 14976).
    expect(envOf(w2)).toMatchObject({ SPARK_WORKER_MEMORY: '13615m', SPARK_WORKER_CORES: '3', SPARK_DAEMON_MEMORY: '1g' });
    expect(derived.cluster.workerMemory.toMebibytes()).toBe(13615);
    expect(w2.resources.limits).toEqual({ cpu: '3500m', memory: '16Gi' });
  });

  test('authentication: the secret reaches every Spark process through the environment only', () => {
    const { chart, cluster } = setup();
    cluster.submitJob('Pi', PI);
    const manifests = synthValid(chart);
    const secretRef = { secretKeyRef: { name: 'spark-auth', key: 'secret', optional: false } };
    for (const m of [...find(manifests, 'StatefulSet'), ...find(manifests, 'Job')]) {
      expect(envOf(containerOf(m))._SPARK_AUTH_SECRET).toEqual(secretRef);
    }
    for (const name of ['spark-master-conf', 'spark-worker-conf', 'spark-client-conf']) {
      const conf = confOf(manifests, name);
      expect(conf['spark.authenticate']).toBe('true');
      expect(conf['spark.network.crypto.enabled']).toBe('true');
    }
    // Drivers must have the key set; Spark takes the value from the environment first.
    expect(confOf(manifests, 'spark-client-conf')['spark.authenticate.secret']).toMatch(/_SPARK_AUTH_SECRET/);
    expect(confOf(manifests, 'spark-master-conf')['spark.authenticate.secret']).toBeUndefined();
    expect(JSON.stringify(one(manifests, 'Job').spec)).not.toContain('spark.authenticate.secret');
    expect(cluster.authenticated).toBe(true);
    expect(cluster.authSecretKey).toBe('secret');

    const custom = setup({
      authentication: StandaloneAuthentication.sharedSecret({
        secret: Secret.fromSecretName(new Chart(Testing.app(), 'x'), 'S', 'other'), key: 'rpc-key', networkEncryption: false,
      }),
    });
    const m2 = synthValid(custom.chart);
    expect(envOf(containerOf(one(m2, 'StatefulSet', 'spark-master')))._SPARK_AUTH_SECRET.secretKeyRef)
      .toEqual({ name: 'other', key: 'rpc-key', optional: false });
    expect(confOf(m2, 'spark-master-conf')['spark.network.crypto.enabled']).toBe('false');
  });

  test('restricted pods: non-root, no token, no service links, read-only root filesystem', () => {
    // An image with a user for uid 1001 (the apache/spark images have one for 185 only).
    const image = SparkImage.of({ repository: 'registry.example.com/spark', tag: '4.0.4', uid: 1001, facts: SparkImageFacts.of({ passwdUids: [1001] }) });
    const { chart, cluster } = setup({ image });
    cluster.submitJob('Pi', PI);
    const manifests = synthValid(chart);
    for (const m of [...find(manifests, 'StatefulSet'), ...find(manifests, 'Job')]) {
      const pod = podOf(m);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.enableServiceLinks).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001, fsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' } });
      const sc = containerOf(m).securityContext;
      expect(sc).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(containerOf(m).volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    }
  });

  test('master recovery on a volume claim template', () => {
    const { chart } = setup({ master: { recovery: { storage: Size.gibibytes(2), storageClassName: 'fast' } } });
    ClusterStorage.declare(chart, StorageClassRef.existing('fast'));
    const manifests = synthValid(chart);
    const sts = one(manifests, 'StatefulSet', 'spark-master');
    expect(sts.spec.volumeClaimTemplates).toEqual([expect.objectContaining({
      metadata: expect.objectContaining({ name: 'recovery' }),
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '2Gi' } } },
    })]);
    expect(containerOf(sts).volumeMounts).toContainEqual({ name: 'recovery', mountPath: '/opt/spark/recovery' });
    expect(confOf(manifests, 'spark-master-conf')).toMatchObject({
      'spark.deploy.recoveryMode': 'FILESYSTEM',
      'spark.deploy.recoveryDirectory': '/opt/spark/recovery',
    });
    expect(confOf(manifests, 'spark-worker-conf')['spark.deploy.recoveryMode']).toBeUndefined();
  });

  test('work directory on persistent volumes, deleted with their worker', () => {
    const { chart } = setup({ workers: { workDir: WorkerStorage.persistentVolume({ size: Size.gibibytes(100), storageClassName: 'local-nvme' }) } });
    ClusterStorage.declare(chart, StorageClassRef.existing('local-nvme'));
    const sts = one(synthValid(chart), 'StatefulSet', 'spark-worker');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'], storageClassName: 'local-nvme', resources: { requests: { storage: '100Gi' } },
    });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Delete' });
    expect(podOf(sts).volumes.map((v: any) => v.name)).not.toContain('work');
  });

  test('autoscaling: an autoscaling/v2 HPA owns the replica count', () => {
    const { chart, cluster } = setup({ workers: { replicas: 3, autoscaling: { maxReplicas: 10, cpuUtilization: 70 } } });
    const manifests = synthValid(chart);
    const sts = one(manifests, 'StatefulSet', 'spark-worker');
    expect(sts.spec.replicas).toBeUndefined();
    const hpa = one(manifests, 'HorizontalPodAutoscaler', 'spark-worker');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'spark-worker' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(hpa.spec.behavior.scaleDown.policies).toEqual([{ type: 'Pods', value: 1, periodSeconds: 120 }]);
    expect(cluster.workerAutoscaler).toBeDefined();
  });

  test('REST server, NodePorts and custom ports', () => {
    const { chart, cluster } = setup({
      authentication: StandaloneAuthentication.none(),
      master: {
        port: 17077,
        webUiPort: 18080,
        restServer: true,
        restPort: 16066,
        serviceType: ServiceType.NODE_PORT,
        nodePorts: { spark: 30077, webUi: 30080, rest: 30066 },
      },
      workers: { port: 17078, webUiPort: 18081 },
    });
    const manifests = synthValid(chart);
    expect(cluster.masterRestUrl).toBe('spark://spark-master.default.svc.cluster.local:16066');
    expect(cluster.authenticated).toBe(false);
    const service = one(manifests, 'Service', 'spark-master');
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.ports.map((p: any) => `${p.name}:${p.port}:${p.nodePort}`))
      .toEqual(['spark:17077:30077', 'webui:18080:30080', 'rest:16066:30066']);
    expect(confOf(manifests, 'spark-master-conf')).toEqual({ 'spark.master.rest.enabled': 'true', 'spark.master.rest.port': '16066' });
    expect(confOf(manifests, 'spark-client-conf')).toEqual({ 'spark.master': 'spark://spark-master.default.svc.cluster.local:17077' });
    const worker = containerOf(one(manifests, 'StatefulSet', 'spark-worker'));
    expect(envOf(worker)).toMatchObject({ SPARK_WORKER_PORT: '17078', SPARK_WORKER_WEBUI_PORT: '18081' });
    expect(envOf(worker)._SPARK_AUTH_SECRET).toBeUndefined();
  });

  test('Ingress to the master UI, with TLS and the reverse proxy', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const cluster = new SparkStandaloneCluster(chart, 'Cluster', {
      authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'A', 'spark-auth') }),
      reverseProxy: true,
      master: {
        ingress: {
          host: 'spark.example.com',
          ingressClassName: 'nginx',
          tlsSecret: Secret.fromSecretName(chart, 'Tls', 'spark-tls'),
          annotations: { 'nginx.ingress.kubernetes.io/auth-url': 'https://auth.example.com/oauth2/auth' },
        },
      },
    });
    const manifests = synthValid(chart);
    const ingress = one(manifests, 'Ingress', 'spark-master');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/auth-url': 'https://auth.example.com/oauth2/auth' });
    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['spark.example.com'], secretName: 'spark-tls' }],
      rules: [{
        host: 'spark.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'spark-master', port: { name: 'webui' } } } }] },
      }],
    });
    for (const name of ['spark-master-conf', 'spark-worker-conf', 'spark-client-conf']) {
      expect(confOf(manifests, name)).toMatchObject({ 'spark.ui.reverseProxy': 'true', 'spark.ui.reverseProxyUrl': 'https://spark.example.com' });
    }
    expect(cluster.masterIngress).toBeDefined();
  });

  test('user conf joins every role; a changed conf rolls the pods', () => {
    const checksums = (conf?: SparkConf) => {
      const { chart } = setup({ sparkConf: conf });
      const manifests = synthValid(chart);
      return find(manifests, 'StatefulSet').map((m) => m.spec.template.metadata.annotations['checksum/spark-conf']);
    };
    const { chart } = setup({ sparkConf: SparkConf.of({ 'spark.io.encryption.enabled': 'true' }) });
    const manifests = synthValid(chart);
    for (const name of ['spark-master-conf', 'spark-worker-conf', 'spark-client-conf']) {
      expect(confOf(manifests, name)['spark.io.encryption.enabled']).toBe('true');
    }
    const before = checksums();
    const after = checksums(SparkConf.of({ 'spark.io.encryption.enabled': 'true' }));
    expect(before[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
  });

  test('images go through the registry override; pull secrets reach the pods', () => {
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('mirror.example:5000'));
    const chart = new Chart(app, 'test');
    const pull: ISecret = Secret.fromSecretName(chart, 'Pull', 'regcred');
    const cluster = new SparkStandaloneCluster(chart, 'Cluster', {
      authentication: StandaloneAuthentication.none(),
      image: SparkImage.apache('4.0.4', { pullSecrets: [pull] }),
    });
    cluster.submitJob('Pi', PI);
    for (const m of [...find(synthValid(chart), 'StatefulSet'), ...find(synthValid(chart), 'Job')]) {
      expect(containerOf(m).image).toBe('mirror.example:5000/apache/spark:4.0.4');
      expect(podOf(m).imagePullSecrets).toEqual([{ name: 'regcred' }]);
    }
  });

  const refusalChart = new Chart(Testing.app(), 'test');
  const refusalSecret = Secret.fromSecretName(refusalChart, 'S', 'spark-auth');
  const auth = { authentication: StandaloneAuthentication.sharedSecret({ secret: refusalSecret }) };
  const none = { authentication: StandaloneAuthentication.none() };
  test.each<[string, () => SparkStandaloneClusterProps, string]>([
    ['NoAuth', () => ({} as SparkStandaloneClusterProps),
      'test/NoAuth: invalid authentication (undefined): StandaloneAuthentication.sharedSecret({ secret })'],
    ['PlainAuth', () => ({ authentication: { secret: refusalSecret } as any }),
      'test/PlainAuth: invalid authentication [object Object]: StandaloneAuthentication.sharedSecret'],
    ['Both', () => ({ ...auth, allowUnauthenticated: true }),
      'test/Both: invalid allowUnauthenticated true: false (or unset) when authentication is a shared secret'],
    ['NoneDisagrees', () => ({ ...none, allowUnauthenticated: false }),
      'test/NoneDisagrees: invalid allowUnauthenticated false: true (or unset) with StandaloneAuthentication.none()'],
    ['Name', () => ({ ...auth, name: 'Spark' }),
      'test/Name: invalid name "Spark": a DNS-1035 label'],
    ['LongName', () => ({ ...auth, name: 'a'.repeat(41) }),
      'test/LongName: invalid name'],
    ['Zero', () => ({ ...auth, workers: { replicas: 0 } }),
      'test/Zero: invalid workers.replicas 0: an integer from 1 to 1000 (a cluster without workers runs nothing)'],
    ['TooMuch', () => ({ ...auth, workers: { memory: SparkMemory.gibibytes(8), resources: { memory: { limit: Size.gibibytes(8) } } } }),
      'test/TooMuch: invalid workers.memory "8g": at most 6633m fits the container memory limit of 8192 MiB, which must hold ' + '8g for executors + 819m executor JVM overhead + 512m worker daemon heap + 384m daemon JVM overhead = 9907 MiB'],
    ['Tiny', () => ({ ...auth, workers: { resources: { memory: { limit: Size.mebibytes(1200) } } } }),
      'test/Tiny: invalid workers.resources.memory.limit "1200 MiB": more than 1280 MiB'],
    ['Cores', () => ({ ...auth, workers: { cores: 4, resources: { cpu: { limit: Cpu.units(2) } } } }),
      'test/Cores: invalid workers.cores 4: at most the container\'s CPU limit (2000m)'],
    ['HalfCore', () => ({ ...auth, workers: { resources: { cpu: { limit: Cpu.millis(500), request: Cpu.millis(500) } } } }),
      'test/HalfCore: invalid workers.resources.cpu.limit "500m": at least 1 core'],
    ['Fraction', () => ({ ...auth, workers: { cores: 1.5 } }),
      'test/Fraction: invalid workers.cores 1.5'],
    ['Unavailable', () => ({ ...auth, workers: { maxUnavailable: 0 } }),
      'test/Unavailable: invalid workers.maxUnavailable 0'],
    ['Hpa', () => ({ ...auth, workers: { replicas: 4, autoscaling: { maxReplicas: 2 } } }),
      'test/Hpa: invalid workers.autoscaling.maxReplicas 2: an integer from minReplicas (4) to 1000'],
    ['Util', () => ({ ...auth, workers: { autoscaling: { maxReplicas: 4, cpuUtilization: 150 } } }),
      'test/Util: invalid workers.autoscaling.cpuUtilization 150'],
    ['Daemon', () => ({ ...auth, master: { daemonMemory: SparkMemory.gibibytes(1) } }),
      'test/Daemon: invalid master.daemonMemory "1g": at most what the master\'s memory limit (1024 MiB) holds'],
    ['Rest', () => ({ ...auth, master: { restServer: true } }),
      'test/Rest: invalid master.restServer true: false when authentication is on'],
    ['RestPort', () => ({ ...none, master: { restPort: 6067 } }),
      'test/RestPort: invalid master.restPort 6067: only with restServer: true'],
    ['Low', () => ({ ...auth, master: { port: 80 } }),
      'test/Low: invalid master.port 80: a port from 1024 to 65535'],
    ['High', () => ({ ...auth, workers: { webUiPort: 70000 } }),
      'test/High: invalid workers.webUiPort 70000'],
    ['Clash', () => ({ ...auth, master: { webUiPort: 7077 } }),
      'test/Clash: invalid master ports {"port":7077,"webUiPort":7077}: distinct ports: port and webUiPort both use 7077'],
    ['WorkerClash', () => ({ ...auth, workers: { port: 8081 } }),
      'test/WorkerClash: invalid workers ports'],
    ['NodePort', () => ({ ...auth, master: { serviceType: ServiceType.NODE_PORT, nodePorts: { webUi: 10080 } } }),
      'test/NodePort: invalid master.nodePorts.webUi 10080: a NodePort from 30000 to 32767'],
    ['NodePortClash', () => ({ ...auth, master: { serviceType: ServiceType.NODE_PORT, nodePorts: { webUi: 30080, spark: 30080 } } }),
      'test/NodePortClash: invalid master.nodePorts'],
    ['ClusterIpNodePort', () => ({ ...auth, master: { nodePorts: { webUi: 30080 } } }),
      'test/ClusterIpNodePort: invalid master.nodePorts {"webUi":30080}: only with serviceType NodePort or LoadBalancer'],
    ['ExternalName', () => ({ ...auth, master: { serviceType: ServiceType.EXTERNAL_NAME } }),
      'test/ExternalName: invalid master.serviceType "ExternalName"'],
    ['Host', () => ({ ...auth, master: { ingress: { host: 'Spark.Example.com' } } }),
      'test/Host: invalid master.ingress.host'],
    ['Path', () => ({ ...auth, master: { ingress: { host: 'spark.example.com', path: 'spark' } } }),
      'test/Path: invalid master.ingress.path "spark"'],
    ['Conflict', () => ({ ...auth, sparkConf: SparkConf.of({ 'spark.authenticate': 'false' }, 'team conf') }),
      'test/Conflict: invalid sparkConf key "spark.authenticate": the key is managed by the library; set it through the authentication prop (StandaloneAuthentication)'],
    ['Domain', () => ({ ...auth, clusterDomain: 'Cluster.Local' }),
      'test/Domain: invalid clusterDomain'],
  ])('refuses bad input: %s', (id, props, message) => {
    expect(() => new SparkStandaloneCluster(refusalChart, id, props())).toThrow(message);
  });

  test.each<[string, () => unknown, string]>([
    ['StandaloneAuthentication.sharedSecret', () => StandaloneAuthentication.sharedSecret({ secret: refusalSecret, key: 'a b' }),
      'StandaloneAuthentication.sharedSecret: invalid key "a b": a Secret key'],
    ['StandaloneAuthentication.sharedSecret', () => StandaloneAuthentication.sharedSecret({} as any),
      'StandaloneAuthentication.sharedSecret: invalid secret (undefined): an ISecret'],
    ['WorkerStorage.emptyDir', () => WorkerStorage.emptyDir({ sizeLimit: Size.kibibytes(10) }),
      'WorkerStorage.emptyDir: invalid sizeLimit'],
    ['WorkerStorage.persistentVolume', () => WorkerStorage.persistentVolume({ size: Size.gibibytes(1), storageClassName: 'Fast_SSD' }),
      'WorkerStorage.persistentVolume: invalid storageClassName "Fast_SSD"'],
  ])('refuses bad input to %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
