// Issue #18: the credential rule of core/credentials on the constructs that render Spark
// configuration into ConfigMaps or command lines (the jobs are in test/jobs/job-credentials.test.ts).
import { Chart, Testing } from 'cdk8s';
import { EnvValue } from 'cdk8s-plus-28';
import {
  ArgoCdApplication, EventLogStore, HiveMetastore, SparkConf, SparkHistoryServer, SparkStandaloneCluster, SparkThriftServer, StandaloneAuthentication,
} from '../src';

const PLANTED = 'PLANTED-s3cr3t-4c3b2a';
const thrift = (c: Chart, props: object) => new SparkThriftServer(c, 'X', {
  metastore: HiveMetastore.thrift('thrift://metastore.hive.svc:9083'), warehouseDir: 'hdfs://nn:8020/warehouse', ...props,
});
const history = (c: Chart, props: object) => new SparkHistoryServer(c, 'X', { store: EventLogStore.hdfs('hdfs://nn:8020/logs'), ...props });
const standalone = (c: Chart, props: object) => new SparkStandaloneCluster(c, 'X', { authentication: StandaloneAuthentication.none(), ...props });

const KEYS = ['spark.hadoop.fs.s3a.secret.key', 'spark.ssl.keyStorePassword', 'spark.hadoop.fs.azure.account.key.a.dfs.core.windows.net',
  'spark.hadoop.fs.gs.auth.service.account.private.key'];
const CONSTRUCTS: Array<[string, (c: Chart, props: object) => unknown]> = [
  ['SparkHistoryServer', history], ['SparkThriftServer', thrift], ['SparkStandaloneCluster', standalone],
];

describe('a credential key in sparkConf', () => {
  test.each(CONSTRUCTS.flatMap(([name, make]) => KEYS.map((key) => [name, key, make] as const)))('%s refuses %s', (_name, key, make) => {
    let error: Error | undefined;
    try {
      make(new Chart(Testing.app(), 'test'), { sparkConf: SparkConf.of({ [key]: PLANTED }) });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(`test/X: invalid sparkConf key "${key}"`);
    expect(error?.message).not.toContain(PLANTED);
  });

  test.each(CONSTRUCTS)('%s accepts keys that only point at credentials', (_name, make) => {
    const conf = SparkConf.of({ 'spark.hadoop.hadoop.security.credential.provider.path': 'jceks://file/etc/creds/c.jceks', 'spark.ssl.keyStore': '/etc/ks.p12' });
    expect(() => make(new Chart(Testing.app(), 'test'), { sparkConf: conf })).not.toThrow();
  });
});

describe('SparkThriftServer: hiveConf and env', () => {
  test.each<[string, object, string]>([
    ['a hiveConf password', { hiveConf: { 'javax.jdo.option.ConnectionPassword': PLANTED } }, 'invalid hiveConf key "javax.jdo.option.ConnectionPassword"'],
    ['a hiveConf LDAP bind password', { hiveConf: { 'hive.server2.authentication.ldap.bindpw': PLANTED } }, 'invalid hiveConf key "hive.server2.authentication.ldap.bindpw"'],
  ])('refuses %s', (_name, props, message) => {
    let error: Error | undefined;
    try {
      thrift(new Chart(Testing.app(), 'test'), props);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(`test/X: ${message}`);
    expect(error?.message).not.toContain(PLANTED);
  });

  test('a literal credential variable', () => {
    expect(() => thrift(new Chart(Testing.app(), 'test'), { env: { AWS_SECRET_ACCESS_KEY: EnvValue.fromValue(PLANTED) } }))
      .toThrow('test/X: invalid env AWS_SECRET_ACCESS_KEY "(a literal value)"');
  });
});

describe('URLs with credentials', () => {
  test.each<[string, () => unknown, string]>([
    ['ArgoCdApplication repoUrl with user and token', () => new ArgoCdApplication(new Chart(Testing.app(), 'test'), 'X', {
      repoUrl: `https://ci:${PLANTED}@git.example.com/platform.git`, path: 'dist',
    }), 'test/X: invalid repoUrl "https://***@git.example.com/platform.git": a URL without credentials'],
    ['ArgoCdApplication repoUrl with a token as the user', () => new ArgoCdApplication(new Chart(Testing.app(), 'test'), 'X', {
      repoUrl: `https://${PLANTED}@git.example.com/platform.git`, path: 'dist',
    }), 'test/X: invalid repoUrl "https://***@git.example.com/platform.git"'],
    ['SparkThriftServer warehouseDir with keys', () => thrift(new Chart(Testing.app(), 'test'), { warehouseDir: `hdfs://etl:${PLANTED}@namenode:8020/warehouse` }),
      'test/X: invalid warehouseDir "hdfs://***@namenode:8020/warehouse": a URL without credentials'],
    ['SparkThriftServer jars with a token parameter', () => thrift(new Chart(Testing.app(), 'test'), { jars: [`https://repo.example.com/x.jar?token=${PLANTED}`] }),
      'test/X: invalid jars "https://repo.example.com/x.jar?token=***"'],
  ])('refuses %s, never repeating it', (_name, make, message) => {
    let error: Error | undefined;
    try {
      make();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(message);
    expect(error?.message).not.toContain(PLANTED);
  });

  test('an ssh repository URL names its account, not a credential', () => {
    for (const repoUrl of ['ssh://git@github.com/org/platform.git', 'git@github.com:org/platform.git']) {
      expect(() => new ArgoCdApplication(new Chart(Testing.app(), 'test'), 'X', { repoUrl, path: 'dist' })).not.toThrow();
    }
  });
});
