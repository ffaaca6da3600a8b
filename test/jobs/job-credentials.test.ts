// Issue #18: a credential given as a literal value in any channel of any job runner is refused
// (it would be stored in the manifest in clear), the message names the channel and the key or
// variable, never the value, and the Secret-based way is accepted.
import { Chart, Testing } from 'cdk8s';
import { EnvValue, Secret } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ScheduledSparkApplication, ScheduledSparkSubmitJob, SparkApplication, SparkApplicationType, SparkConf, SparkJobBase, SparkJobSpecOptions,
  SparkStandaloneCluster, SparkSubmitJob, StandaloneAuthentication,
} from '../../src';

const PLANTED = 'PLANTED-s3cr3t-9f8e7d';
const BASE: SparkJobSpecOptions = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

type Make = (scope: Construct, props: SparkJobSpecOptions) => SparkJobBase;
const RUNNERS: Array<[string, Make]> = [
  ['SparkApplication', (s, p) => new SparkApplication(s, 'Job', p)],
  ['ScheduledSparkApplication', (s, p) => new ScheduledSparkApplication(s, 'Job', { ...p, schedule: '0 2 * * *' })],
  ['SparkSubmitJob', (s, p) => new SparkSubmitJob(s, 'Job', p)],
  ['ScheduledSparkSubmitJob', (s, p) => new ScheduledSparkSubmitJob(s, 'Job', { ...p, schedule: '0 2 * * *' })],
];

// [channel, the props that carry the credential, the message's property and named key]
const CHANNELS: Array<[string, () => Partial<SparkJobSpecOptions>, string]> = [
  ['sparkConf: an S3A secret key', () => ({ sparkConf: SparkConf.of({ 'spark.hadoop.fs.s3a.secret.key': PLANTED }) }),
    'invalid sparkConf key "spark.hadoop.fs.s3a.secret.key": a key without a credential'],
  ['sparkConf: the RPC shared secret', () => ({ sparkConf: SparkConf.of({ 'spark.authenticate.secret': PLANTED }) }),
    'invalid sparkConf key "spark.authenticate.secret": a key without a credential'],
  ['sparkConf: an SSL key store password', () => ({ sparkConf: SparkConf.of({ 'spark.ssl.keyStorePassword': PLANTED }) }),
    'invalid sparkConf key "spark.ssl.keyStorePassword"'],
  ['hadoopConf: an S3A secret key', () => ({ hadoopConf: { 'fs.s3a.secret.key': PLANTED } }),
    'invalid hadoopConf key "fs.s3a.secret.key": a key without a credential'],
  ['hadoopConf: an ABFS account key', () => ({ hadoopConf: { 'fs.azure.account.key.logs.dfs.core.windows.net': PLANTED } }),
    'invalid hadoopConf key "fs.azure.account.key.logs.dfs.core.windows.net"'],
  ['driver.env: a literal AWS secret key', () => ({ driver: { env: { AWS_SECRET_ACCESS_KEY: EnvValue.fromValue(PLANTED) } } }),
    'invalid driver.env "AWS_SECRET_ACCESS_KEY": a value from a Secret'],
  ['executor.env: a literal token', () => ({ executor: { env: { GITHUB_TOKEN: EnvValue.fromValue(PLANTED) } } }),
    'invalid executor.env "GITHUB_TOKEN": a value from a Secret'],
  ['mainApplicationFile: user info', () => ({ mainApplicationFile: `https://ci:${PLANTED}@repo.example.com/app.jar` }),
    'invalid mainApplicationFile "https://***@repo.example.com/app.jar": a URL without credentials'],
  ['deps.jars: a token parameter', () => ({ deps: { jars: [`https://repo.example.com/lib.jar?token=${PLANTED}`] } }),
    'invalid deps.jars "https://repo.example.com/lib.jar?token=***": a URL without credentials'],
  ['deps.repositories: user info', () => ({ deps: { packages: ['org.example:lib:1.0'], repositories: [`https://u:${PLANTED}@maven.example.com/r`] } }),
    'invalid deps.repositories "https://***@maven.example.com/r"'],
  ['arguments: a URL with user info', () => ({ arguments: ['--input', `s3a://key:${PLANTED}@bucket/in`] }),
    'invalid arguments "s3a://***@bucket/in": a URL without credentials'],
];

const cases = RUNNERS.flatMap(([runner, make]) => CHANNELS.map(([channel, props, message]) => [runner, channel, make, props, message] as const));

describe('credentials in a job\'s props', () => {
  test.each(cases)('%s refuses %s', (_runner, _channel, make, props, message) => {
    const chart = new Chart(Testing.app(), 'test');
    let error: Error | undefined;
    try {
      make(chart, { ...BASE, ...props() });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(`test/Job: ${message}`);
    expect(error?.message).not.toContain(PLANTED);
  });
});

// [mutator, call, message]
const MUTATORS: Array<[string, (job: SparkJobBase) => void, string]> = [
  ['addSparkConf with an S3A access key', (j) => j.addSparkConf('spark.hadoop.fs.s3a.access.key', PLANTED), 'invalid sparkConf key "spark.hadoop.fs.s3a.access.key"'],
  ['addDriverEnv with a literal password', (j) => j.addDriverEnv('PGPASSWORD', EnvValue.fromValue(PLANTED)), 'invalid driver.env "PGPASSWORD"'],
  ['addExecutorEnv with a literal secret', (j) => j.addExecutorEnv('AZURE_CLIENT_SECRET', EnvValue.fromValue(PLANTED)), 'invalid executor.env "AZURE_CLIENT_SECRET"'],
  ['addArgument with a URL holding a token', (j) => j.addArgument(`https://api.example.com/x?access_token=${PLANTED}`), 'invalid arguments "https://api.example.com/x?access_token=***"'],
];
const mutatorCases = RUNNERS.flatMap(([runner, make]) => MUTATORS.map(([name, call, message]) => [runner, name, make, call, message] as const));

describe('credentials through the mutators', () => {
  test.each(mutatorCases)('%s refuses %s', (_runner, _name, make, call, message) => {
    const job = make(new Chart(Testing.app(), 'test'), BASE);
    expect(() => call(job)).toThrow(`test/Job: ${message}`);
    try {
      call(job);
    } catch (e) {
      expect((e as Error).message).not.toContain(PLANTED);
    }
  });
});

describe('the Secret-based ways are accepted', () => {
  test.each(RUNNERS)('%s: variables from a Secret, Secret references in the conf, URLs without credentials', (_runner, make) => {
    const chart = new Chart(Testing.app(), 'test');
    const keys = Secret.fromSecretName(chart, 'Keys', 's3-keys');
    const job = make(chart, {
      ...BASE,
      sparkConf: SparkConf.of({ 'spark.hadoop.fs.s3a.endpoint': 'https://minio.storage.svc:9000', 'spark.authenticate': 'true' }),
      hadoopConf: { 'hadoop.security.credential.provider.path': 'jceks://file/opt/secrets/creds.jceks' },
      driver: { env: { AWS_SECRET_ACCESS_KEY: EnvValue.fromSecretValue({ secret: keys, key: 'secret' }) } },
      deps: { jars: ['https://repo.example.com/lib.jar'] },
    });
    job.addExecutorEnv('AWS_SECRET_ACCESS_KEY', EnvValue.fromSecretValue({ secret: keys, key: 'secret' }));
    expect(Testing.synth(chart).length).toBeGreaterThan(0);
  });
});

describe('SparkStandaloneSubmit', () => {
  const cluster = () => new SparkStandaloneCluster(new Chart(Testing.app(), 'test'), 'Cluster', { authentication: StandaloneAuthentication.none() });
  test.each<[string, () => object, string]>([
    ['sparkConf: an S3A secret key', () => ({ sparkConf: SparkConf.of({ 'spark.hadoop.fs.s3a.secret.key': PLANTED }) }),
      'test/Cluster/Job: invalid sparkConf key "spark.hadoop.fs.s3a.secret.key"'],
    ['mainApplicationFile: user info', () => ({ mainApplicationFile: `https://ci:${PLANTED}@repo.example.com/app.jar` }),
      'test/Cluster/Job: invalid mainApplicationFile "https://***@repo.example.com/app.jar"'],
    ['arguments: a URL with user info', () => ({ arguments: [`s3a://key:${PLANTED}@bucket/in`] }),
      'test/Cluster/Job: invalid arguments "s3a://***@bucket/in"'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => cluster().submitJob('Job', { ...BASE, ...props() })).toThrow(message);
  });
  test('addDriverEnv refuses a literal credential', () => {
    const job = cluster().submitJob('Job', BASE);
    expect(() => job.addDriverEnv('AWS_SECRET_ACCESS_KEY', EnvValue.fromValue(PLANTED))).toThrow(
      'test/Cluster/Job: invalid driver.env "AWS_SECRET_ACCESS_KEY": a value from a Secret');
  });
});
