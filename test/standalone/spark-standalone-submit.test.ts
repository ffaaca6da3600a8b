import { Chart, Duration, Size, Testing } from 'cdk8s';
import { EnvValue, Secret, Volume } from 'cdk8s-plus-28';
import {
  EventLogStore, SparkConf, SparkJobBase, SparkJobs, SparkMemory, SparkStandaloneCluster, SparkStandaloneClusterProps, SparkStandaloneSubmit,
  SparkStandaloneSubmitOptions, StandaloneAuthentication,
} from '../../src';
import { synthValid } from '../harness/manifests';

const PI: SparkStandaloneSubmitOptions = {
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.7.jar',
  arguments: ['1000'],
};

function setup(props: Partial<SparkStandaloneClusterProps> = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  const secret = Secret.fromSecretName(chart, 'AuthSecret', 'spark-auth');
  const cluster = new SparkStandaloneCluster(chart, 'Cluster', { authentication: StandaloneAuthentication.sharedSecret({ secret }), ...props });
  return { app, chart, cluster };
}

const one = (manifests: any[], kind: string, name: string) => {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0];
};
const podOf = (m: any) => m.spec.template.spec;
const containerOf = (m: any) => podOf(m).containers[0];

describe('SparkStandaloneSubmit', () => {
  test('a Job running spark-submit in client mode against the master', () => {
    const { chart, cluster } = setup();
    const job = cluster.submitJob('Pi', { ...PI, name: 'spark-pi', executorCores: 1, totalExecutorCores: 4 });
    const manifests = synthValid(chart);
    const m = one(manifests, 'Job', 'spark-pi');
    expect(m.metadata.namespace).toBe('default');
    expect(m.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 86400 });
    expect(podOf(m).restartPolicy).toBe('Never');
    const c = containerOf(m);
    expect(c.command).toEqual([
      '/opt/spark/bin/spark-submit', '--master', 'spark://spark-master.default.svc.cluster.local:7077', '--deploy-mode', 'client',
      '--name', 'spark-pi', '--class', 'org.apache.spark.examples.SparkPi', '--driver-memory', '1g', '--executor-memory', '1g',
      '--executor-cores', '1', '--total-executor-cores', '4',
      '--conf', 'spark.driver.port=7078', '--conf', 'spark.driver.blockManager.port=7079', '--conf', 'spark.jars.ivy=/tmp/.ivy2',
      'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.7.jar', '1000',
    ]);
    // Driver heap + max(10 %, 384 MiB).
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '1408Mi' }, limits: { cpu: '1000m', memory: '1408Mi' } });
    expect(c.volumeMounts).toContainEqual({ name: 'spark-conf', mountPath: '/opt/spark/conf', readOnly: true });
    expect(podOf(m).volumes).toContainEqual({ name: 'spark-conf', configMap: { name: 'spark-client-conf' } });
    expect(job.jobNamespace).toBe('default');
    expect(job.managedByOperator).toBe(false);
    expect(SparkJobs.all(chart)).toContain(job);
    expect(SparkJobBase.isSparkJobBase(job)).toBe(true);
    expect(job.sparkConf.get('spark.driver.port')).toBe('7078');
  });

  test('event log, conf, deadline and retries', () => {
    const { chart, cluster } = setup();
    cluster.submitJob('Etl', {
      ...PI,
      name: 'etl',
      eventLog: EventLogStore.local('/tmp/spark-events'),
      sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '64' }),
      backoffLimit: 2,
      activeDeadline: Duration.hours(2),
      ttlAfterFinished: Duration.minutes(10),
    });
    const m = one(synthValid(chart), 'Job', 'etl');
    expect(m.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 600 });
    const command: string[] = containerOf(m).command;
    expect(command).toEqual(expect.arrayContaining(['spark.eventLog.enabled=true', 'spark.sql.shuffle.partitions=64']));
  });

  test('the runner on its own: new SparkStandaloneSubmit(scope, id, { cluster }) is what submitJob makes', () => {
    const a = setup();
    a.cluster.submitJob('Pi', PI);
    const b = setup();
    new SparkStandaloneSubmit(b.cluster, 'Pi', { ...PI, cluster: b.cluster });
    expect(b.app.synthYaml()).toEqual(a.app.synthYaml());
  });

  test.each<[string, Partial<SparkStandaloneSubmitOptions>, string]>([
    ['an executor larger than a worker', { executorMemory: SparkMemory.gibibytes(3) },
      'test/Cluster/Job: invalid executorMemory "3g": at most the workers\' memory (2g)'],
    ['more executor cores than a worker has', { executorCores: 3 },
      'test/Cluster/Job: invalid executorCores 3: a whole number from 1 to the workers\' cores (2)'],
    ['no total cores', { totalExecutorCores: 0 }, 'test/Cluster/Job: invalid totalExecutorCores 0: a whole number of at least 1'],
    ['a bad class name', { mainClass: 'not a class' }, 'test/Cluster/Job: invalid mainClass "not a class"'],
    ['a relative application file', { mainApplicationFile: 'spark-examples.jar' }, 'test/Cluster/Job: invalid mainApplicationFile "spark-examples.jar"'],
    ['a NUL in an argument', { arguments: ['a\0b'] }, 'test/Cluster/Job: invalid arguments "a\\u0000b": strings without NUL characters'],
    ['a driver limit below heap + overhead', { driverMemory: SparkMemory.gibibytes(2), resources: { memory: { limit: Size.gibibytes(2) } } },
      'test/Cluster/Job: invalid resources.memory.limit "2048 MiB": at least 2432 MiB'],
    ['the shared secret in the job conf', { sparkConf: SparkConf.of({ 'spark.authenticate.secret': 'hunter2' }, 'job conf') },
      'test/Cluster/Job: invalid Spark conf key "spark.authenticate.secret"'],
    ['another driver port', { sparkConf: SparkConf.of({ 'spark.driver.port': '9999' }, 'job conf') },
      'test/Cluster/Job: invalid sparkConf key "spark.driver.port": a key the library manages, which cannot be set: the driver listens'],
    ['a bad name', { name: 'Pi' }, 'test/Cluster/Job: invalid name "Pi"'],
    ['negative retries', { backoffLimit: -1 }, 'test/Cluster/Job: invalid backoffLimit -1'],
    ['a fractional deadline', { activeDeadline: Duration.millis(1500) }, 'test/Cluster/Job: invalid activeDeadline "1500 ms"'],
  ])('refuses %s', (_case, options, message) => {
    const { cluster } = setup({ workers: { memory: SparkMemory.gibibytes(2), cores: 2 } });
    expect(() => cluster.submitJob('Job', { ...PI, ...options })).toThrow(message);
  });

  test('refuses a cluster that is not one', () => {
    const { chart } = setup();
    expect(() => new SparkStandaloneSubmit(chart, 'Job', { ...PI, cluster: {} as any }))
      .toThrow('test/Job: invalid cluster {}: a SparkStandaloneCluster');
  });
});

describe('SparkStandaloneSubmit: order independence', () => {
  test('addArgument and addSparkConf after construction render byte for byte what the options give', () => {
    const given = setup();
    given.cluster.submitJob('Pi', { ...PI, arguments: ['1000', '2000'], sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '64' }) });
    const added = setup();
    const job = added.cluster.submitJob('Pi', { ...PI, arguments: ['1000'] });
    job.addArgument('2000');
    job.addSparkConf('spark.sql.shuffle.partitions', '64');
    expect(added.app.synthYaml()).toEqual(given.app.synthYaml());
    expect(job.sparkConf.get('spark.sql.shuffle.partitions')).toBe('64');
  });

  test('addDriverEnv reaches the Job\'s container; addExecutorEnv becomes spark.executorEnv.*', () => {
    const { chart, cluster } = setup();
    const job = cluster.submitJob('Pi', { ...PI, name: 'spark-pi' });
    job.addDriverEnv('TZ', EnvValue.fromValue('UTC'));
    job.addExecutorEnv('TZ', EnvValue.fromValue('UTC'));
    const c = containerOf(one(synthValid(chart), 'Job', 'spark-pi'));
    expect(c.env).toContainEqual({ name: 'TZ', value: 'UTC' });
    expect(c.command).toContain('spark.executorEnv.TZ=UTC');
  });

  test.each<[string, (job: SparkStandaloneSubmit) => void, string]>([
    ['a driver variable the job sets', (job) => job.addDriverEnv('HOME', EnvValue.fromValue('/x')),
      'test/Cluster/Pi: invalid driver.env "HOME": a variable the cluster, the job or an earlier add does not set'],
    ['an executor variable from a Secret', (job) => job.addExecutorEnv('KEY', EnvValue.fromSecretValue({ secret: Secret.fromSecretName(job, 'S', 's'), key: 'k' })),
      'test/Cluster/Pi: invalid executor.env "KEY": a literal value'],
    ['a bad name', (job) => job.addDriverEnv('1X', EnvValue.fromValue('x')), 'test/Cluster/Pi: invalid driver.env "1X"'],
    ['a driver volume mount', (job) => job.addDriverVolumeMount({ volume: Volume.fromEmptyDir(job, 'V', 'data'), path: '/data' }),
      'test/Cluster/Pi: invalid driver.volumeMounts "data": no volume mounts on a standalone job'],
    ['an executor volume mount', (job) => job.addExecutorVolumeMount({ volume: Volume.fromEmptyDir(job, 'V', 'data'), path: '/data' }),
      'test/Cluster/Pi: invalid executor.volumeMounts "data": no volume mounts on a standalone job'],
  ])('refuses %s', (_case, add, message) => {
    const { cluster } = setup();
    const job = cluster.submitJob('Pi', PI);
    expect(() => add(job)).toThrow(message);
  });

  test.each([
    ['a key the cluster sets', 'spark.authenticate', 'false', 'invalid Spark conf key "spark.authenticate" "false": it is set to "true"'],
    ['a key the job sets', 'spark.driver.port', '9999', 'invalid Spark conf key "spark.driver.port" "9999": it is set to "7078"'],
  ])('addSparkConf refuses %s', (_case, key, value, message) => {
    const { cluster } = setup();
    const job = cluster.submitJob('Pi', PI);
    expect(() => job.addSparkConf(key, value)).toThrow(message);
  });

  test.each<[string, (args: string[], conf: SparkConf) => void, string]>([
    ['an argument pushed into the passed array', (args) => args.push('2000'), 'props.arguments changed after test/Cluster/Pi was created'],
    ['SparkConf.set on the passed conf', (_args, conf) => conf.set('spark.ui.enabled', 'false'), 'props.sparkConf changed after test/Cluster/Pi was created'],
  ])('a late change fails synth: %s', (_case, change, message) => {
    const { chart, cluster } = setup();
    const args = ['1000'];
    const conf = SparkConf.of({ 'spark.sql.shuffle.partitions': '64' });
    cluster.submitJob('Pi', { ...PI, arguments: args, sparkConf: conf });
    expect(() => Testing.synth(chart)).not.toThrow();
    change(args, conf);
    expect(() => Testing.synth(chart)).toThrow(message);
  });
});
