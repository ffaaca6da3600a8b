import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import { ConfigMap, EnvValue, k8s, Namespace, PersistentVolumeClaim, Secret, ServiceAccount, Volume } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ArgoCdSyncWaves, DeployMode, EventLogStore, HiveMetastore, ISparkJob, ScheduledSparkApplication, ScheduledSparkSubmitJob, SparkApplication,
  SparkApplicationType, SparkConf, SparkImage, SparkJobBase, SparkJobKind, SparkJobs, SparkJobSpecOptions, SparkServiceAccount, SparkSubmitJob,
  SparkImageFacts, SparkOperatorCrds, SparkThriftServer,
} from '../../src';
import { synthValid as synthValidWithout } from '../harness/manifests';

let crdCache: any[] | undefined;
/** Synthesizes and checks the manifests against their schemas, the operator's CRDs included. */
function synthValid(chart: Chart): any[] {
  if (!crdCache) {
    const crdChart = new Chart(Testing.app(), 'crds');
    new SparkOperatorCrds(crdChart, 'Crds');
    crdCache = Testing.synth(crdChart);
  }
  return synthValidWithout(chart, { crds: crdCache });
}

// One job model: every kind of job shares identity, registration, the
// ServiceAccount, the mutators and the late-change guards.

const BASE: SparkJobSpecOptions = {
  type: SparkApplicationType.SCALA,
  image: SparkImage.apache(),
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.13-4.0.4.jar',
};

type Make = (scope: Construct, id: string, props: SparkJobSpecOptions) => SparkJobBase;
const KINDS: Array<[string, Make]> = [
  ['SparkApplication', (s, id, p) => new SparkApplication(s, id, p)],
  ['ScheduledSparkApplication', (s, id, p) => new ScheduledSparkApplication(s, id, { ...p, schedule: '0 2 * * *' })],
  ['SparkSubmitJob', (s, id, p) => new SparkSubmitJob(s, id, p)],
  ['ScheduledSparkSubmitJob', (s, id, p) => new ScheduledSparkSubmitJob(s, id, { ...p, schedule: '0 2 * * *' })],
];

function chartOf(app: App = Testing.app()): Chart {
  return new Chart(app, 'test', { namespace: 'analytics' });
}

describe.each(KINDS)('%s: order independence', (_kind, make) => {
  test('addArgument and addSparkConf after construction render byte for byte what the props give', () => {
    const given = Testing.app();
    make(chartOf(given), 'Job', {
      ...BASE, arguments: ['100', '200'], sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '64', 'spark.ui.enabled': 'false' }),
    });

    const added = Testing.app();
    const job = make(chartOf(added), 'Job', { ...BASE, arguments: ['100'], sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '64' }) });
    job.addArgument('200');
    job.addSparkConf('spark.ui.enabled', 'false');

    expect(added.synthYaml()).toEqual(given.synthYaml());
  });

  test('addDriverEnv and addExecutorEnv after construction render byte for byte what the props give', () => {
    const secretRef = EnvValue.fromValue('from-props');
    const given = Testing.app();
    make(chartOf(given), 'Job', {
      ...BASE,
      driver: { env: { A: secretRef, B: EnvValue.fromValue('2') } },
      executor: { env: { C: EnvValue.fromValue('3') } },
    });
    const added = Testing.app();
    const job = make(chartOf(added), 'Job', { ...BASE, driver: { env: { A: secretRef } } });
    job.addDriverEnv('B', EnvValue.fromValue('2'));
    job.addExecutorEnv('C', EnvValue.fromValue('3'));
    expect(added.synthYaml()).toEqual(given.synthYaml());
  });

  test.each([
    ['a name starting with a digit', '1X', 'invalid driver.env "1X": an environment variable name'],
    ['a name the props set', 'A', 'invalid driver.env "A": a variable not set yet'],
  ])('addDriverEnv refuses %s', (_case, name, message) => {
    const job = make(chartOf(), 'Job', { ...BASE, driver: { env: { A: EnvValue.fromValue('1') } } });
    expect(() => job.addDriverEnv(name, EnvValue.fromValue('x'))).toThrow(message);
  });

  test('an added argument or conf reaches the manifest', () => {
    const app = Testing.app();
    const chart = chartOf(app);
    const job = make(chart, 'Job', BASE);
    job.addArgument('--verbose');
    job.addSparkConf('spark.sql.adaptive.enabled', 'true');
    const yaml = app.synthYaml();
    expect(yaml).toContain('--verbose');
    expect(yaml).toContain('spark.sql.adaptive.enabled');
    synthValid(chart);
  });

  test.each([
    ['a managed key', 'spark.app.name', 'x', 'invalid sparkConf key "spark.app.name": the key is managed by the'],
    ['a key the props set to another value', 'spark.sql.shuffle.partitions', '8',
      'invalid Spark conf key "spark.sql.shuffle.partitions" "8": it is set to "64" by'],
    ['a blank key', 'spark app', 'x', 'invalid conf key "spark app"'],
    ['a multi-line value', 'spark.x', 'a\nb', 'a single-line string'],
  ])('addSparkConf refuses %s', (_case, key, value, message) => {
    const job = make(chartOf(), 'Job', { ...BASE, sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '64' }) });
    expect(() => job.addSparkConf(key, value)).toThrow(message);
  });

  test('addArgument refuses a NUL character', () => {
    const job = make(chartOf(), 'Job', BASE);
    expect(() => job.addArgument('a\0b')).toThrow('test/Job: invalid arguments "a\\u0000b": strings without NUL characters');
  });

  test.each<[string, (p: {
    args: string[];
    conf: SparkConf;
    labels: { [k: string]: string };
    env: { [k: string]: EnvValue };
    hadoop: { [k: string]: string };
    selector: { [k: string]: string };
  }) => void, string]>([
      ['an argument pushed into the passed array', (p) => p.args.push('300'), 'props.arguments changed after test/Job was created'],
      ['SparkConf.set on the passed conf', (p) => p.conf.set('spark.ui.enabled', 'false'), 'props.sparkConf changed after test/Job was created'],
      ['labels changed on the passed object', (p) => { p.labels.team = 'b'; }, 'props.driver changed after test/Job was created'],
      ['an env var added to the passed map', (p) => {
        p.env.LATE = EnvValue.fromValue('1');
      }, 'props.executor changed after test/Job was created'],
      ['hadoopConf changed', (p) => { p.hadoop['fs.s3a.path.style.access'] = 'true'; }, 'props.hadoopConf changed after test/Job was created'],
      ['nodeSelector changed', (p) => { p.selector.zone = 'b'; }, 'props.nodeSelector changed after test/Job was created'],
    ])('a late change fails synth: %s', (_case, change, message) => {
      const p = {
        args: ['100'],
        conf: SparkConf.of({ 'spark.sql.shuffle.partitions': '64' }),
        labels: { team: 'a' },
        env: { EARLY: EnvValue.fromValue('1') },
        hadoop: { 'fs.s3a.endpoint': 'http://minio:9000' },
        selector: { zone: 'a' },
      };
      const chart = chartOf();
      make(chart, 'Job', {
        ...BASE,
        arguments: p.args,
        sparkConf: p.conf,
        driver: { labels: p.labels },
        executor: { env: p.env },
        hadoopConf: p.hadoop,
        nodeSelector: p.selector,
      });
      expect(() => Testing.synth(chart)).not.toThrow();
      change(p);
      expect(() => Testing.synth(chart)).toThrow(message);
    });

  test('setting a key of the passed SparkConf again to its value is no change', () => {
    const conf = SparkConf.of({ 'spark.sql.shuffle.partitions': '64' });
    const chart = chartOf();
    make(chart, 'Job', { ...BASE, sparkConf: conf });
    conf.set('spark.sql.shuffle.partitions', '64');
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('is a SparkJobBase, registered once, a batch job', () => {
    const chart = chartOf();
    const job = make(chart, 'Job', BASE);
    expect(SparkJobBase.isSparkJobBase(job)).toBe(true);
    expect(SparkJobBase.isSparkJobBase(chart)).toBe(false);
    expect(job.jobKind).toBe(SparkJobKind.BATCH);
    expect(SparkJobs.all(chart)).toEqual([job]);
  });
});

describe('volume mounts added after construction', () => {
  // A store with a driver volume, so that the order of the user's and the library's mounts shows.
  const store = (chart: Chart) => EventLogStore.pvc({ claim: PersistentVolumeClaim.fromClaimName(chart, 'Logs', 'spark-logs') });
  test.each(KINDS)('%s: addDriverVolumeMount and addExecutorVolumeMount render byte for byte what the props give', (_n, makeJob) => {
    const build = (added: boolean) => {
      const app = Testing.app();
      const chart = chartOf(app);
      const data = Volume.fromPersistentVolumeClaim(chart, 'Data', PersistentVolumeClaim.fromClaimName(chart, 'DataClaim', 'data'));
      const scratch = Volume.fromEmptyDir(chart, 'Scratch', 'scratch');
      const driverMount = { volume: data, path: '/data', readOnly: true };
      const executorMounts = [{ volume: data, path: '/data', readOnly: true }, { volume: scratch, path: '/scratch' }];
      const job = makeJob(chart, 'Job', {
        ...BASE,
        eventLog: store(chart),
        ...(added ? {} : { driver: { volumeMounts: [driverMount] }, executor: { volumeMounts: executorMounts } }),
      });
      if (added) {
        job.addDriverVolumeMount(driverMount);
        executorMounts.forEach((m) => job.addExecutorVolumeMount(m));
      }
      return app.synthYaml();
    };
    expect(build(true)).toContain('claimName: data');
    expect(build(true)).toEqual(build(false));
  });

  test.each(KINDS)('%s: refuses a relative path and a second volume of one name', (_n, makeJob) => {
    const chart = chartOf();
    const job = makeJob(chart, 'Job', BASE);
    const a = Volume.fromEmptyDir(chart, 'A', 'shared');
    const b = Volume.fromConfigMap(chart, 'B', ConfigMap.fromConfigMapName(chart, 'Cm', 'cm'), { name: 'shared' });
    expect(() => job.addDriverVolumeMount({ volume: a, path: 'relative' })).toThrow('test/Job: invalid driver.volumeMounts "relative": an absolute mount path');
    job.addExecutorVolumeMount({ volume: a, path: '/shared' });
    expect(() => job.addExecutorVolumeMount({ volume: b, path: '/config' })).toThrow('test/Job: invalid executor.volumeMounts "shared": volumes with distinct names');
  });
});

describe('the event log store\'s environment', () => {
  // The event log store adds its credentials to the driver after the user's variables; an added
  // variable belongs with the user's, so the output is the one the props would give.
  test.each(KINDS)('%s: addDriverEnv with an event log store renders what the props give', (_n, makeJob) => {
    const build = (added: boolean) => {
      const app = Testing.app();
      const chart = chartOf(app);
      const store = EventLogStore.s3({ bucket: 'spark-logs', credentials: { secret: Secret.fromSecretName(chart, 'S3', 's3-credentials') } });
      const image = SparkImage.of({ repository: 'registry.example.com/spark-s3', tag: '4.0.4', facts: SparkImageFacts.fromApacheImage({ hadoopAws: true }) });
      const env = { A: EnvValue.fromValue('1') };
      const job = makeJob(chart, 'Job', { ...BASE, image, eventLog: store, driver: added ? {} : { env } });
      if (added) {
        job.addDriverEnv('A', env.A);
      }
      return app.synthYaml();
    };
    expect(build(true)).toContain('AWS_SECRET_ACCESS_KEY');
    expect(build(true)).toEqual(build(false));
  });
});

describe('late changes of the props of one job kind fail synth too', () => {
  test.each<[string, (chart: Chart) => () => void, string]>([
    ['a volume pushed into a SparkApplication\'s volumes', (chart) => {
      const volumes = [Volume.fromEmptyDir(chart, 'A', 'a')];
      new SparkApplication(chart, 'Job', { ...BASE, volumes });
      return () => volumes.push(Volume.fromEmptyDir(chart, 'B', 'b'));
    }, 'test/Job: props.volumes changed after test/Job was created'],
    ['a rule pushed into a SparkSubmitJob\'s podFailurePolicy', (chart) => {
      const podFailurePolicy: k8s.PodFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [3] }, onPodConditions: [] }] };
      new SparkSubmitJob(chart, 'Job', { ...BASE, podFailurePolicy });
      return () => podFailurePolicy.rules.push({ action: 'Ignore', onExitCodes: { operator: 'In', values: [4] }, onPodConditions: [] });
    }, 'test/Job: props.podFailurePolicy changed after test/Job was created'],
  ])('%s', (_case, build, message) => {
    const chart = chartOf();
    const change = build(chart);
    expect(() => Testing.synth(chart)).not.toThrow();
    change();
    expect(() => Testing.synth(chart)).toThrow(message);
  });
});

describe('SparkServiceAccount.fromName', () => {
  test('an account made elsewhere: used by every job kind, no objects emitted', () => {
    const app = Testing.app();
    const chart = chartOf(app);
    const sa = SparkServiceAccount.fromName(chart, 'Driver', 'spark-helm-driver', 'analytics');
    expect(SparkServiceAccount.isSparkServiceAccount(sa)).toBe(false);
    for (const [kind, make] of KINDS) {
      make(chart, kind, { ...BASE, serviceAccount: sa });
    }
    const manifests = synthValid(chart);
    // Only the submitters' own accounts (cluster-mode SparkSubmitJobs), none for the drivers.
    const accounts = manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => m.metadata.name);
    expect(accounts).toHaveLength(2);
    expect(accounts.every((name: string) => name.endsWith('-submit'))).toBe(true);
    expect(manifests.some((m) => m.metadata?.name === 'spark-helm-driver')).toBe(false);
    expect(manifests.some((m) => m.kind === 'Role' && m.metadata.name === 'spark-driver')).toBe(false);
    const apps = manifests.filter((m) => m.kind === 'SparkApplication');
    expect(apps[0].spec.driver.serviceAccount).toBe('spark-helm-driver');
    const job = manifests.find((m) => m.kind === 'Job');
    expect(job.spec.template.spec.containers[0].args).toContain('spark.kubernetes.authenticate.driver.serviceAccountName=spark-helm-driver');
  });

  test('in a namespace the app creates, the cluster model refuses it (the account cannot exist there)', () => {
    const chart = chartOf();
    new k8s.KubeNamespace(chart, 'Ns', { metadata: { name: 'analytics' } });
    new SparkApplication(chart, 'Pi', { ...BASE, serviceAccount: SparkServiceAccount.fromName(chart, 'Driver', 'spark-helm-driver', 'analytics') });
    expect(() => Testing.synth(chart)).toThrow('ServiceAccount analytics/spark-helm-driver, which the app does not create in the namespace it creates');
  });

  test.each([
    ['a namespace other than the job\'s', 'spark-helm-driver', 'other',
      'test/Pi: invalid serviceAccount "test/Driver": a SparkServiceAccount in the application\'s namespace "analytics" (it is in "other")'],
    ['a bad name', 'Spark_Driver', 'analytics', 'test/Driver: invalid name "Spark_Driver"'],
    ['a bad namespace', 'spark-driver', 'Analytics', 'test/Driver: invalid namespace "Analytics"'],
  ])('refuses %s', (_case, name, namespace, message) => {
    const chart = chartOf();
    expect(() => new SparkApplication(chart, 'Pi', { ...BASE, serviceAccount: SparkServiceAccount.fromName(chart, 'Driver', name, namespace) }))
      .toThrow(message);
  });
});

describe('Namespace and ServiceAccount objects (cdk8s-plus)', () => {
  test('every job kind runs in the Namespace and as the account, and each of its objects depends on both', () => {
    const chart = chartOf();
    const ns = new Namespace(chart, 'Etl', { metadata: { name: 'etl' } });
    const sa = new ServiceAccount(chart, 'Sa', { metadata: { name: 'etl-driver', namespace: 'etl' } });
    const account = SparkServiceAccount.fromServiceAccount(chart, 'Driver', sa);
    expect(SparkServiceAccount.isSparkServiceAccount(account)).toBe(false);
    const jobs = KINDS.map(([kind, make]) => make(chart, kind, { ...BASE, namespaceRef: ns, serviceAccount: account }));
    const manifests = synthValid(chart);
    for (const job of jobs) {
      expect(job.namespace).toBe('etl');
      const objects = job.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c));
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) {
        expect(o.node.dependencies.map((d) => d.node.path)).toEqual(expect.arrayContaining(['test/Etl/Resource', 'test/Sa/Resource']));
        expect(o.toJson().metadata.namespace).toBe('etl');
      }
    }
    // No driver account of the library's own: the jobs run as the given one.
    expect(manifests.filter((m) => m.kind === 'ServiceAccount').map((m) => m.metadata.name).filter((n: string) => !n.endsWith('-submit')))
      .toEqual(['etl-driver']);
    expect(manifests.find((m) => m.kind === 'ScheduledSparkApplication').spec.template.driver.serviceAccount).toBe('etl-driver');
    const cron = manifests.find((m) => m.kind === 'CronJob');
    expect(JSON.stringify(cron.spec.jobTemplate.spec.template.spec.containers[0].args))
      .toContain('spark.kubernetes.authenticate.driver.serviceAccountName=etl-driver');
  });
});

class FakeService extends Construct implements ISparkJob {
  public readonly managedByOperator = false;
  public readonly jobKind = SparkJobKind.SERVICE;
  constructor(scope: Construct, id: string, public readonly jobNamespace: string) {
    super(scope, id);
    new k8s.KubeConfigMap(this, 'Resource', { metadata: { name: 'svc' } });
    SparkJobs.register(this);
  }
}

describe('job kinds and Argo CD sync waves', () => {
  const waveOf = (manifests: any[], kind: string) => manifests.find((m) => m.kind === kind).metadata.annotations['argocd.argoproj.io/sync-wave'];

  test('batch jobs go to the jobs wave, services (jobKind SERVICE) to the services wave', () => {
    const chart = chartOf();
    new SparkApplication(chart, 'Pi', BASE);
    new FakeService(chart, 'Svc', 'analytics');
    ArgoCdSyncWaves.apply(chart);
    const manifests = Testing.synth(chart);
    expect(waveOf(manifests, 'SparkApplication')).toBe('10');
    expect(waveOf(manifests, 'ConfigMap')).toBe('0');
  });

  test('the Thrift server declares itself a service and lands in the services wave, as docs/argo-cd.md says', () => {
    const chart = chartOf();
    const server = new SparkThriftServer(chart, 'Sql', {
      metastore: HiveMetastore.thrift('thrift://hive-metastore.hive.svc:9083'), warehouseDir: 'hdfs://namenode.hadoop.svc:8020/warehouse',
    });
    expect(server.jobKind).toBe(SparkJobKind.SERVICE);
    expect(SparkJobs.all(chart)).toContain(server);
    ArgoCdSyncWaves.apply(chart);
    expect(waveOf(Testing.synth(chart), 'Deployment')).toBe('0');
  });
});

describe('props every job kind shares work for spark-submit too', () => {
  const argsOf = (chart: Chart) => Testing.synth(chart).find((m) => m.kind === 'Job').spec.template.spec.containers[0].args as string[];

  test('hadoopConf becomes spark.hadoop.* (apache/spark docs/configuration.md, Custom Hadoop/Hive Configuration)', () => {
    const chart = chartOf();
    new SparkSubmitJob(chart, 'Job', { ...BASE, hadoopConf: { 'fs.s3a.endpoint': 'http://minio:9000' } });
    expect(argsOf(chart)).toContain('spark.hadoop.fs.s3a.endpoint=http://minio:9000');
  });

  test('nodeSelector becomes spark.kubernetes.node.selector.* (docs/running-on-kubernetes.md); in client mode the submit pod is the driver', () => {
    const chart = chartOf();
    new SparkSubmitJob(chart, 'Job', { ...BASE, nodeSelector: { pool: 'spark' } });
    expect(argsOf(chart)).toContain('spark.kubernetes.node.selector.pool=spark');
    const client = chartOf();
    new SparkSubmitJob(client, 'Job', { ...BASE, mode: DeployMode.CLIENT, nodeSelector: { pool: 'spark' } });
    const job = synthValid(client).find((m) => m.kind === 'Job');
    expect(job.spec.template.spec.nodeSelector).toEqual({ pool: 'spark' });
    expect(job.spec.template.spec.containers[0].args).toContain('spark.kubernetes.node.selector.pool=spark');
  });

  test('proxyUser becomes spark-submit --proxy-user', () => {
    const chart = chartOf();
    new SparkSubmitJob(chart, 'Job', { ...BASE, proxyUser: 'etl' });
    const args = argsOf(chart);
    expect(args.slice(args.indexOf('--proxy-user'), args.indexOf('--proxy-user') + 2)).toEqual(['--proxy-user', 'etl']);
  });

  test('eventLogOptions shape the event log conf', () => {
    const chart = chartOf();
    new SparkSubmitJob(chart, 'Job', { ...BASE, eventLog: EventLogStore.local('/tmp/spark-events'), eventLogOptions: { rollingMaxFileSize: Size.mebibytes(128) } });
    expect(argsOf(chart)).toEqual(expect.arrayContaining(['spark.eventLog.rolling.enabled=true', 'spark.eventLog.rolling.maxFileSize=128m']));
  });

  test.each<[string, Partial<SparkJobSpecOptions>, string]>([
    ['a prefixed hadoopConf key', { hadoopConf: { 'spark.hadoop.fs.defaultFS': 'x' } },
      'test/Job: invalid hadoopConf key "spark.hadoop.fs.defaultFS": a Hadoop key without the "spark.hadoop." prefix'],
    ['hadoopConf against sparkConf', { hadoopConf: { 'fs.defaultFS': 'a' }, sparkConf: SparkConf.of({ 'spark.hadoop.fs.defaultFS': 'b' }) },
      'it is set to "a" by'],
    ['nodeSelector on the job and the driver', { nodeSelector: { pool: 'a' }, driver: { nodeSelector: { pool: 'b' } } },
      'test/Job: invalid driver.nodeSelector {"pool":"b"}: a node selector on the application and on the driver or executor at once'],
    ['nodeSelector against sparkConf', { nodeSelector: { pool: 'a' }, sparkConf: SparkConf.of({ 'spark.kubernetes.node.selector.pool': 'b' }) },
      'it is set to "a" by'],
    ['a blank proxyUser', { proxyUser: 'etl user' }, 'test/Job: invalid proxyUser "etl user": a user name without blanks'],
    ['eventLogOptions without eventLog', { eventLogOptions: {} }, 'test/Job: invalid eventLogOptions {}: options of an event log: set eventLog'],
  ])('SparkSubmitJob refuses %s', (_case, props, message) => {
    expect(() => new SparkSubmitJob(chartOf(), 'Job', { ...BASE, ...props })).toThrow(message);
  });
});

// Issue #18, conflicts: a key a typed prop sets is refused in sparkConf on every job kind (the
// operator would otherwise receive it twice and let the typed field win silently).
describe('keys the typed props set', () => {
  const KEYS: Array<[string, string]> = [
    ['spark.executor.memory', 'executor.memory'], ['spark.driver.cores', 'driver.cores'], ['spark.executor.memoryOverhead', 'executor.memoryOverhead'],
    ['spark.kubernetes.executor.limit.cores', 'executor.coreLimit'], ['spark.jars.packages', 'deps.packages'], ['spark.submit.pyFiles', 'deps.pyFiles'],
  ];
  const cases = KINDS.flatMap(([kind, makeJob]) => KEYS.map(([key, prop]) => [kind, key, prop, makeJob] as const));
  test.each(cases)('%s refuses %s in sparkConf and through addSparkConf, naming %s', (_kind, key, prop, makeJob) => {
    const message = `test/Job: invalid sparkConf key "${key}": a key no typed prop sets: set it through the ${prop} prop`;
    expect(() => makeJob(chartOf(), 'Job', { ...BASE, sparkConf: SparkConf.of({ [key]: '1' }) })).toThrow(message);
    const job = makeJob(chartOf(), 'Job', BASE);
    expect(() => job.addSparkConf(key, '1')).toThrow(message);
  });
});
