// A user's app on cdk8s-plus-33 (what `cdk8s init` gives today): the objects it
// makes with its own cdk8s-plus line go into every prop that takes a cdk8s-plus
// type, type-check (this file is compiled by `npm test`'s typecheck) and render.
// cdk8s-plus-33 is a dev dependency for this test only; the library builds on
// cdk8s-plus-28, its peer.
import * as fs from 'fs';
import { ApiObject, ApiObjectMetadata, App, Chart, Size, Testing, Yaml } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import {
  ClusterStorage, EventLogStore, HistoryLocalStore, HiveMetastore, INamespaceRef, IServiceAccountRef, LocalPathProvisioner,
  RegistryMirror, RegistryTls, RegistryUpstream, SparkApplication, SparkApplicationType, StorageClassRef,
  SparkHistoryServer, SparkImage, SparkOperatorInstall, SparkServiceAccount, SparkSubmitJob, SparkStandaloneCluster, SparkTenant,
  SparkThriftServer, StandaloneAuthentication, ZeppelinNotebook,
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

// Namespaces and ServiceAccounts are passed as objects: the job runs in the
// Namespace and as the account, and its objects apply after them.
const PI = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};
const THRIFT = { metastore: HiveMetastore.thrift('thrift://metastore.hive:9083'), warehouseDir: 'hdfs://namenode.hadoop:8020/warehouse' };

/** What these tests need of a cdk8s-plus line: both lines' classes must fit (a type error here means our interfaces do not). */
interface PlusLine {
  readonly Namespace: new (scope: Construct, id: string, props?: { metadata?: ApiObjectMetadata }) => INamespaceRef;
  readonly ServiceAccount: new (scope: Construct, id: string, props?: { metadata?: ApiObjectMetadata }) => IServiceAccountRef;
}
const LINES: Array<[string, PlusLine]> = [['cdk8s-plus-33', kplus], ['cdk8s-plus-28', kplus28]];

/**
 * The jobs' chart is made first, the Namespace and the account's chart
 * second: without dependencies cdk8s would write `jobs` before `base`
 * (alphabetical files, applied in that order by `kubectl apply -f dir/`).
 */
function refsApp(plus: PlusLine, withRefs: boolean) {
  const app = Testing.app();
  const jobs = new Chart(app, 'jobs');
  const base = new Chart(app, 'base');
  const ns = new plus.Namespace(base, 'Etl', { metadata: { name: 'etl' } });
  const sa = new plus.ServiceAccount(base, 'Driver', { metadata: { name: 'etl-driver', namespace: 'etl' } });
  // The driver's permissions, granted with cdk8s-plus-33 (fromServiceAccount emits none).
  const role = new kplus.Role(base, 'DriverRole', { metadata: { namespace: 'etl' } });
  role.allow(['create', 'delete', 'deletecollection', 'get', 'list', 'watch'], kplus.ApiResource.PODS);
  role.allow(['create', 'delete', 'deletecollection', 'get', 'list'], kplus.ApiResource.CONFIG_MAPS, kplus.ApiResource.SERVICES,
    kplus.ApiResource.PERSISTENT_VOLUME_CLAIMS);
  role.bind(kplus.ServiceAccount.fromServiceAccountName(base, 'DriverSubject', 'etl-driver', { namespaceName: 'etl' }));

  new SparkOperatorInstall(jobs, 'Operator', { jobNamespaces: ['etl'] });
  const where = withRefs ? { namespaceRef: ns } : { namespace: 'etl' };
  const serviceAccount = withRefs ? SparkServiceAccount.fromServiceAccount(jobs, 'DriverAccount', sa)
    : SparkServiceAccount.fromName(jobs, 'DriverAccount', 'etl-driver', 'etl');
  const application = new SparkApplication(jobs, 'Pi', { ...PI, ...where, serviceAccount });
  const submit = new SparkSubmitJob(jobs, 'Submit', { ...PI, ...where, serviceAccount });
  const thrift = new SparkThriftServer(jobs, 'Thrift', { ...THRIFT, ...where, serviceAccount });
  const history = new SparkHistoryServer(jobs, 'History', { store: EventLogStore.hdfs('hdfs://namenode.hadoop:8020/logs'), ...where });
  const account = new SparkServiceAccount(jobs, 'Own', { ...where, name: 'own-driver' });
  return { app, jobs, base, ns, sa, application, submit, thrift, history, account };
}

/** The synthesized files in the order cdk8s names them (the order `kubectl apply -f dir/` applies them), with their objects. */
function synthFiles(app: App): Array<[string, any[]]> {
  app.synth();
  return fs.readdirSync(app.outdir).sort().map((f) => [f, Yaml.load(`${app.outdir}/${f}`).filter((m: any) => m)]);
}

describe.each(LINES)('%s Namespace and ServiceAccount objects', (_line, plus) => {
  test('the jobs, servers and accounts run in the Namespace and as the account', () => {
    const { application, submit, thrift, history, account } = refsApp(plus, true);
    for (const c of [application, submit, thrift, history, account]) {
      expect(c.namespace).toBe('etl');
    }
    expect(application.serviceAccount.name).toBe('etl-driver');
    expect(application.serviceAccount.namespace).toBe('etl');
    expect(thrift.serviceAccount.name).toBe('etl-driver');
  });

  test('they apply first: their chart file is numbered before the jobs\', and every object of the jobs depends on them', () => {
    const { app, jobs, base, ns, sa, application, submit, thrift, history, account } = refsApp(plus, true);
    const files = synthFiles(app);
    expect(files.map(([f]) => f)).toEqual(['0000-base.k8s.yaml', '0001-jobs.k8s.yaml']);
    const all = files.flatMap(([, objects]) => objects);
    expectValidManifests(all);
    expect(files[0][1].map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(expect.arrayContaining(['Namespace/etl', 'ServiceAccount/etl-driver']));
    const job = files[1][1].find((m) => m.kind === 'SparkApplication');
    expect(job.metadata.namespace).toBe('etl');
    expect(job.spec.driver.serviceAccount).toBe('etl-driver');
    expect(jobs.node.dependencies).toContain(base);
    // Every object of the jobs' chart then depends on every object of base (cdk8s's rule for charts that depend on each other).
    const paths = (o: ApiObject) => o.node.dependencies.map((d) => d.node.path);
    for (const c of [application, submit, thrift, history, account]) {
      const objects = c.node.findAll().filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === jobs);
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) {
        expect(paths(o)).toEqual(expect.arrayContaining([ApiObject.of(ns).node.path, ApiObject.of(sa).node.path]));
      }
    }
  });

  test('by name instead, nothing orders them: the same objects, the jobs\' file first', () => {
    const { app } = refsApp(plus, false);
    const files = synthFiles(app);
    expect(files.map(([f]) => f)).toEqual(['base.k8s.yaml', 'jobs.k8s.yaml']);
    expectValidManifests(files.flatMap(([, objects]) => objects));
  });

  test('in one chart: a job\'s objects after the Namespace and the account, a server given only the Namespace after it alone', () => {
    const chart = new Chart(Testing.app(), 'one');
    // cdk8s writes a chart's objects in construction-tree order unless dependencies say otherwise: A's before B's.
    const jobScope = new Construct(chart, 'A');
    const refScope = new Construct(chart, 'B');
    const ns = new plus.Namespace(refScope, 'Ns', { metadata: { name: 'etl' } });
    const sa = new plus.ServiceAccount(refScope, 'Sa', { metadata: { name: 'etl-driver', namespace: 'etl' } });
    new SparkApplication(jobScope, 'Pi', { ...PI, namespaceRef: ns, serviceAccount: SparkServiceAccount.fromServiceAccount(jobScope, 'Account', sa) });
    const history = new SparkHistoryServer(jobScope, 'History', { store: EventLogStore.hdfs('hdfs://namenode.hadoop:8020/logs'), namespaceRef: ns });
    const order = Testing.synth(chart).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(order.indexOf('Namespace/etl')).toBeLessThan(order.findIndex((k) => k.startsWith('SparkApplication/')));
    expect(order.indexOf('ServiceAccount/etl-driver')).toBeLessThan(order.findIndex((k) => k.startsWith('SparkApplication/')));
    const deployment = history.node.findAll().find((x): x is ApiObject => ApiObject.isApiObject(x) && x.kind === 'Deployment')!;
    const paths = deployment.node.dependencies.map((d) => d.node.path);
    expect(paths).toContain(ApiObject.of(ns).node.path);
    expect(paths).not.toContain(ApiObject.of(sa).node.path);
    expect(order.indexOf('Namespace/etl')).toBeLessThan(order.findIndex((k) => k.startsWith('Deployment/')));
  });
});

test('a SparkTenant\'s namespaceObject is a Namespace object too: jobs of another chart apply after the tenant\'s chart', () => {
  const app = Testing.app();
  const jobs = new Chart(app, 'jobs');
  const tenant = new SparkTenant(new Chart(app, 'tenants'), 'Etl', { namespace: 'etl', networkIsolation: false });
  new SparkOperatorInstall(jobs, 'Operator');
  const job = new SparkApplication(jobs, 'Pi', { ...PI, namespaceRef: tenant.namespaceObject });
  expect(job.namespace).toBe('etl');
  const files = synthFiles(app);
  expect(files.map(([f]) => f)).toEqual(['0000-tenants.k8s.yaml', '0001-jobs.k8s.yaml']);
  expectValidManifests(files.flatMap(([, objects]) => objects));
});

describe('refusals for Namespace and ServiceAccount objects', () => {
  const setup = () => {
    const chart = new Chart(Testing.app(), 'c');
    const etl = new kplus.Namespace(chart, 'Etl', { metadata: { name: 'etl' } });
    return { chart, etl };
  };

  test.each<[string, (chart: Chart, etl: kplus.Namespace) => void, string | RegExp]>([
    ['a ServiceAccount of another namespace', (chart, etl) => new SparkApplication(chart, 'Job', {
      ...PI,
      namespaceRef: etl,
      serviceAccount: SparkServiceAccount.fromServiceAccount(chart, 'Acc', new kplus.ServiceAccount(chart, 'Sa', { metadata: { namespace: 'other' } })),
    }), 'c/Job: invalid serviceAccount "c/Acc": a SparkServiceAccount in the application\'s namespace "etl" (it is in "other")'],
    ['an imported ServiceAccount left in "default"', (chart, etl) => new SparkSubmitJob(chart, 'Job', {
      ...PI,
      namespaceRef: etl,
      serviceAccount: SparkServiceAccount.fromServiceAccount(chart, 'Acc', kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'spark')),
    }), 'c/Job: invalid serviceAccount "c/Acc": a SparkServiceAccount in the Job\'s namespace "etl" (it is in "default")'],
    ['the Thrift server\'s account in another namespace', (chart, etl) => new SparkThriftServer(chart, 'Sql', {
      ...THRIFT,
      namespaceRef: etl,
      serviceAccount: SparkServiceAccount.fromServiceAccount(chart, 'Acc', new kplus.ServiceAccount(chart, 'Sa', { metadata: { namespace: 'other' } })),
    }), 'c/Sql: invalid serviceAccount "c/Acc": a SparkServiceAccount in the server\'s namespace "etl" (it is in "other")'],
    ['a namespace name that is not the Namespace\'s', (chart, etl) => new SparkApplication(chart, 'Job', { ...PI, namespace: 'etl2', namespaceRef: etl }),
      'c/Job: invalid namespace "etl2": unset, or the name of namespaceRef ("etl", c/Etl): one namespace'],
    ['a ServiceAccount as the Namespace', (chart) => new SparkHistoryServer(chart, 'History', {
      store: EventLogStore.hdfs('hdfs://nn:8020/logs'), namespaceRef: new kplus.ServiceAccount(chart, 'Sa') as any,
    }), 'c/History: invalid namespaceRef "c/Sa (a ServiceAccount)": a Namespace object: a cdk8s-plus Namespace (any 2.x line) or a KubeNamespace'],
    ['a Namespace as the ServiceAccount', (chart, etl) => SparkServiceAccount.fromServiceAccount(chart, 'Acc', etl as any),
      'c/Acc: invalid serviceAccount "c/Etl (a Namespace)": a ServiceAccount object: a cdk8s-plus ServiceAccount (any 2.x line)'],
    ['a plain string as the Namespace (JavaScript)', (chart) => new SparkServiceAccount(chart, 'Own', { namespaceRef: 'etl' as any }),
      'c/Own: invalid namespaceRef "string": a Namespace object'],
    ['a ServiceAccount without a namespace', (chart) => SparkServiceAccount.fromServiceAccount(chart, 'Acc', new kplus.ServiceAccount(chart, 'Sa')),
      /c\/Acc: invalid serviceAccount namespace \(undefined\): a namespace for ServiceAccount "c-sa-\w+" \(c\/Sa\): set its metadata.namespace or its chart's namespace/],
    ['a SparkServiceAccount with no namespace at all', (chart) => new SparkServiceAccount(chart, 'Own', {}),
      'c/Own: invalid namespace (undefined): a namespace: namespace or namespaceRef'],
  ])('refuses %s', (_case, build, message) => {
    const { chart, etl } = setup();
    expect(() => build(chart, etl)).toThrow(message);
  });

  test('a ServiceAccount imported by name adds no dependency; one of another app is taken by name', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const imported = kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'spark', { namespaceName: 'etl' });
    const elsewhere = new kplus.Namespace(new Chart(Testing.app(), 'other'), 'Etl', { metadata: { name: 'etl' } });
    const job = new SparkApplication(chart, 'Job', { ...PI, namespaceRef: elsewhere, serviceAccount: SparkServiceAccount.fromServiceAccount(chart, 'Acc', imported) });
    expect(job.namespace).toBe('etl');
    expect(job.node.dependencies).toEqual([]);
    const manifests = Testing.synth(chart);
    expect(manifests.find((m) => m.kind === 'SparkApplication').spec.driver.serviceAccount).toBe('spark');
  });
});
