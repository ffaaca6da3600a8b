// A user's app on cdk8s-plus-33 (what `cdk8s init` gives today): the objects it
// makes with its own cdk8s-plus line go into every prop that takes a cdk8s-plus
// type, type-check (this file is compiled by `npm test`'s typecheck) and render.
// cdk8s-plus-33 is a dev dependency for this test only; the library builds on
// cdk8s-plus-28, its peer.
import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  ClusterStorage, EventLogStore, HistoryLocalStore, HiveMetastore, LocalPathProvisioner, RegistryMirror, RegistryTls, RegistryUpstream,
  SparkApplication, SparkApplicationType, StorageClassRef,
  SparkHistoryServer, SparkImage, SparkOperatorInstall, SparkSubmitJob, SparkStandaloneCluster, SparkThriftServer, StandaloneAuthentication,
  ZeppelinNotebook,
} from '../../src';
import { cdk8sPlusService } from '../../src/interop/cdk8s-plus-service';
import { expectValidManifests } from '../harness/manifests';

interface Plus33App {
  readonly app: App;
  readonly chart: Chart;
  readonly history: SparkHistoryServer;
}

function plus33App(): Plus33App {
  const app = Testing.app();
  const chart = new Chart(app, 'plus33', { namespace: 'spark' });
  // The cluster's default StorageClass: claims below name none.
  new LocalPathProvisioner(chart, 'Storage');
  // The event logs need shared storage: a class the cluster has.
  ClusterStorage.declare(chart, StorageClassRef.existing('nfs-client'));
  const creds = kplus.Secret.fromSecretName(chart, 'Creds', 's3-creds');
  const pull = kplus.Secret.fromSecretName(chart, 'Pull', 'regcred');
  const jobEnv = kplus.ConfigMap.fromConfigMapName(chart, 'JobEnv', 'job-env');
  const logs = new kplus.PersistentVolumeClaim(chart, 'Logs', {
    metadata: { name: 'spark-logs' },
    storageClassName: 'nfs-client',
    accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_MANY],
    storage: Size.gibibytes(20),
  });
  const data = kplus.Volume.fromPersistentVolumeClaim(chart, 'DataVolume', kplus.PersistentVolumeClaim.fromClaimName(chart, 'Data', 'data'));
  const scratch = kplus.Volume.fromEmptyDir(chart, 'Scratch', 'scratch', { sizeLimit: Size.gibibytes(2) });

  new SparkOperatorInstall(chart, 'Operator', { controller: { pod: { imagePullSecrets: [pull] } } });
  const image = SparkImage.apache('3.5.5', { pullSecrets: [pull], pullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT });
  const store = EventLogStore.pvc({ claim: logs });
  const history = new SparkHistoryServer(chart, 'History', {
    store,
    image,
    localStore: HistoryLocalStore.persistentVolumeClaim({ claim: new kplus.PersistentVolumeClaim(chart, 'HistoryCache', { storage: Size.gibibytes(8) }) }),
    resources: {
      cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) },
      memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) },
    },
    pod: { envFromConfigMaps: [jobEnv], env: { TZ: kplus.EnvValue.fromValue('UTC') }, volumeMounts: [{ volume: scratch, path: '/scratch' }] },
  });
  new SparkApplication(chart, 'Job', {
    type: SparkApplicationType.SCALA,
    image,
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    eventLog: store,
    driver: {
      envFromSecrets: [creds],
      envFromConfigMaps: [jobEnv],
      env: { TOKEN: kplus.EnvValue.fromSecretValue({ secret: creds, key: 'token' }) },
      volumeMounts: [{ volume: data, path: '/data', readOnly: true }],
    },
    executor: { instances: 2, volumeMounts: [{ volume: data, path: '/data', readOnly: true }] },
    volumes: [scratch],
  });
  new SparkSubmitJob(chart, 'Submit', {
    type: SparkApplicationType.SCALA,
    image,
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    driver: { volumeMounts: [{ volume: data, path: '/data', readOnly: true }], env: { TZ: kplus.EnvValue.fromValue('UTC') } },
    submitterPod: { imagePullSecrets: [pull], tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] },
  });
  new RegistryMirror(chart, 'Registry', {
    tls: RegistryTls.fromSecret(kplus.Secret.fromSecretName(chart, 'Tls', 'registry-tls')),
    auth: { secret: kplus.Secret.fromSecretName(chart, 'Users', 'registry-htpasswd') },
    proxy: { upstream: RegistryUpstream.dockerHub(), credentials: { secret: creds } },
  });
  new SparkThriftServer(chart, 'Thrift', { image, metastore: HiveMetastore.thrift('thrift://metastore.hive:9083'), warehouseDir: 'hdfs://namenode.hadoop:8020/warehouse' });
  const standalone = new SparkStandaloneCluster(chart, 'Standalone', {
    image,
    authentication: StandaloneAuthentication.sharedSecret({ secret: creds, key: 'auth' }),
    master: { serviceType: kplus.ServiceType.CLUSTER_IP },
  });
  new ZeppelinNotebook(chart, 'Zeppelin', { cluster: standalone, imagePullSecrets: [pull] });
  // A cdk8s-plus-33 Ingress in front of the history server's Service.
  const ingress = new kplus.Ingress(chart, 'HistoryIngress', { className: 'nginx' });
  ingress.addHostRule('spark-history.example.com', '/', kplus.IngressBackend.fromService(cdk8sPlusService(kplus, history.service)));
  return { app, chart, history };
}

describe('an app on cdk8s-plus-33', () => {
  const { chart } = plus33App();
  const manifests = Testing.synth(chart);
  const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);

  test('synthesizes, and every object passes the schema and admission checks', () => {
    expect(manifests.length).toBeGreaterThan(20);
    expectValidManifests(manifests);
  });

  test('its Secrets, ConfigMaps, Volumes and EnvValues reach the job', () => {
    const job = manifests.find((m) => m.kind === 'SparkApplication');
    expect(job.spec.driver.envFrom).toEqual(expect.arrayContaining([{ secretRef: { name: 's3-creds' } }, { configMapRef: { name: 'job-env' } }]));
    expect(job.spec.driver.env).toEqual(expect.arrayContaining([{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's3-creds', key: 'token' } } }]));
    expect(job.spec.volumes).toEqual(expect.arrayContaining([
      { name: 'scratch', emptyDir: { sizeLimit: '2048Mi' } },
      { name: expect.any(String), persistentVolumeClaim: { claimName: 'data', readOnly: false } },
    ]));
    expect(job.spec.executor.volumeMounts).toEqual(expect.arrayContaining([expect.objectContaining({ mountPath: '/data', readOnly: true })]));
    expect(job.spec.imagePullSecrets).toEqual(['regcred']);
    // The spark-submit Job: the volume reaches the driver's pod template.
    const templates = manifests.find((m) => m.kind === 'ConfigMap' && JSON.stringify(m.data ?? {}).includes('claimName: data'));
    expect(templates).toBeDefined();
  });

  test('its PersistentVolumeClaims, Cpu and Size reach the history server', () => {
    const deployment = manifests.find((m) => m.kind === 'Deployment' && m.spec.template.spec.containers[0].args?.some?.((a: string) => /HistoryServer/.test(a)))
      ?? manifests.find((m) => m.kind === 'Deployment' && /history/.test(m.metadata.name));
    const pod = deployment.spec.template.spec;
    expect(pod.volumes).toEqual(expect.arrayContaining([
      expect.objectContaining({ persistentVolumeClaim: expect.objectContaining({ claimName: 'spark-logs' }) }),
      { name: 'scratch', emptyDir: { sizeLimit: '2048Mi' } },
    ]));
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '250m', memory: '2Gi' }, limits: { cpu: '1000m', memory: '2Gi' } });
    expect(pod.containers[0].envFrom).toEqual(expect.arrayContaining([{ configMapRef: { name: 'job-env' } }]));
  });

  test('its pull Secrets reach the operator, registry users and Zeppelin', () => {
    expect(find('Deployment', 'spark-operator-controller').spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    const zeppelin = manifests.find((m) => m.kind === 'Deployment' && /zeppelin/.test(m.metadata.name));
    expect(zeppelin.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    const registry = manifests.find((m) => m.kind === 'Deployment' && m.metadata.namespace === 'registry');
    expect(JSON.stringify(registry.spec.template.spec.volumes)).toContain('registry-htpasswd');
  });
});

describe('a cdk8s-plus-33 Ingress in front of a Service of the library', () => {
  const { chart, history } = plus33App();
  const manifests = Testing.synth(chart);

  test('routes to the Service by its name and port; the stand-in Service is not written', () => {
    const service = history.service.toJson();
    const ingress = manifests.find((m) => m.kind === 'Ingress' && m.metadata.name !== undefined && m.spec.ingressClassName === 'nginx');
    expect(ingress.metadata.namespace).toBe(service.metadata.namespace);
    expect(ingress.spec.rules).toEqual([{
      host: 'spark-history.example.com',
      http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service.metadata.name, port: { number: service.spec.ports[0].port } } } }] },
    }]);
    expect(manifests.filter((m) => m.kind === 'Service' && m.metadata.name === service.metadata.name)).toHaveLength(1);
  });

  test('refuses what is not a Service, or a Service without ports', () => {
    const c = new Chart(Testing.app(), 'c');
    const notService = new ApiObject(c, 'Map', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(() => cdk8sPlusService(kplus, notService)).toThrow('cdk8sPlusService: invalid service c/Map (a ConfigMap): a Service ApiObject of this library');
    const headless = new ApiObject(c, 'Svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: {} });
    expect(() => cdk8sPlusService(kplus, headless)).toThrow('cdk8sPlusService: invalid service c/Svc: a Service with ports');
  });
});

describe('checks that looked at the cdk8s-plus class still run on another line', () => {
  test('a ReadWriteOnce claim made with cdk8s-plus-33 is refused for the event logs', () => {
    const chart = new Chart(Testing.app(), 'c');
    const claim = new kplus.PersistentVolumeClaim(chart, 'Logs', { accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE] });
    expect(() => EventLogStore.pvc({ claim })).toThrow(/EventLogStore\.pvc.*claim\.accessModes.*ReadWriteMany/s);
  });

  test('the size of a history cache claim made with cdk8s-plus-33 bounds the disk usage', () => {
    const chart = new Chart(Testing.app(), 'c');
    const claim = new kplus.PersistentVolumeClaim(chart, 'Cache', { storage: Size.gibibytes(1) });
    expect(() => new SparkHistoryServer(chart, 'History', {
      store: EventLogStore.hdfs('hdfs://nn:8020/logs'),
      localStore: HistoryLocalStore.persistentVolumeClaim({ claim, maxDiskUsage: Size.gibibytes(4) }),
    })).toThrow(/maxDiskUsage/);
  });

  test('a volume field Kubernetes 1.28 does not know is refused, not dropped', () => {
    // What a newer line renders for an image volume (Kubernetes 1.31+, ImageVolumeSource in
    // kubernetes/kubernetes pkg/apis/core/types.go): the 1.28 schema has no `image` field.
    const imageVolume = { name: 'models', _toKube: () => ({ name: 'models', image: { reference: 'registry.example.com/models:1', pullPolicy: 'IfNotPresent' } }) };
    const chart = new Chart(Testing.app(), 'c');
    expect(() => new SparkApplication(chart, 'Job', {
      type: SparkApplicationType.SCALA,
      mainClass: 'x.Main',
      mainApplicationFile: 'local:///opt/app.jar',
      volumes: [imageVolume],
    })).toThrow(/c\/Job.*volumes.*models.*Kubernetes 1\.28.*image would be dropped/s);
  });
});
