import { Chart, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import { HiveMetastore, HiveMetastoreKind } from '../../src';

const chart = new Chart(Testing.app(), 'test');
const secret = Secret.fromSecretName(chart, 'Db', 'metastore-db');
const MYSQL = {
  url: 'jdbc:mysql://mysql.metastore.svc:3306/hive',
  driver: 'com.mysql.cj.jdbc.Driver',
  user: 'hive',
  password: { secret, key: 'password' },
};

describe('HiveMetastore', () => {
  test('thrift: hive.metastore.uris, several URIs in order', () => {
    const m = HiveMetastore.thrift('thrift://hms-0.hive.svc:9083', 'thrift://hms-1.hive.svc:9083');
    expect(m.kind).toBe(HiveMetastoreKind.THRIFT);
    expect(m.hiveConf()).toEqual({ 'hive.metastore.uris': 'thrift://hms-0.hive.svc:9083,thrift://hms-1.hive.svc:9083' });
    expect(m.secretHiveConf()).toEqual([]);
    expect(m.driverJar).toBeUndefined();
  });

  test('jdbc: URL, driver and user as settings, the password only as a Secret reference', () => {
    const m = HiveMetastore.jdbc({ ...MYSQL, driverJar: 'local:///opt/spark/extra/mysql-connector-j-8.4.0.jar', autoCreateSchema: true });
    expect(m.kind).toBe(HiveMetastoreKind.JDBC);
    expect(m.hiveConf()).toEqual({
      'javax.jdo.option.ConnectionURL': 'jdbc:mysql://mysql.metastore.svc:3306/hive',
      'javax.jdo.option.ConnectionDriverName': 'com.mysql.cj.jdbc.Driver',
      'javax.jdo.option.ConnectionUserName': 'hive',
      'datanucleus.schema.autoCreateAll': 'true',
      'hive.metastore.schema.verification': 'false',
    });
    const [pw] = m.secretHiveConf();
    expect(pw.key).toBe('javax.jdo.option.ConnectionPassword');
    expect(pw.value.secret).toBe(secret);
    expect(pw.value.key).toBe('password');
    expect(m.driverJar).toBe('local:///opt/spark/extra/mysql-connector-j-8.4.0.jar');
    // No schema shortcuts unless asked for.
    expect(Object.keys(HiveMetastore.jdbc(MYSQL).hiveConf())).toHaveLength(3);
  });

  test('embedded: no settings (Derby in the working directory)', () => {
    const m = HiveMetastore.embedded();
    expect(m.kind).toBe(HiveMetastoreKind.EMBEDDED);
    expect(m.hiveConf()).toEqual({});
  });

  const allowed = 'a JDBC URL without credentials: give the password as `password: { secret, key }`, a key of a Kubernetes Secret';
  test.each<[string, () => unknown, string]>([
    ['a password in the URL query', () => HiveMetastore.jdbc({ ...MYSQL, url: 'jdbc:mysql://db:3306/hive?user=hive&password=hunter2' }),
      `HiveMetastore.jdbc: invalid url "jdbc:mysql://db:3306/hive?user=hive&password=***": ${allowed}`],
    ['a PWD= property in the URL', () => HiveMetastore.jdbc({ ...MYSQL, url: 'jdbc:postgresql://db/hive;PWD=x' }), '"jdbc:postgresql://db/hive;PWD=***"'],
    ['user:password@ in the URL', () => HiveMetastore.jdbc({ ...MYSQL, url: 'jdbc:mysql://hive:hunter2@db:3306/hive' }),
      'HiveMetastore.jdbc: invalid url "jdbc:mysql://***@db:3306/hive"'],
    ['a literal password', () => HiveMetastore.jdbc({ ...MYSQL, password: 'hunter2' as any }),
      'HiveMetastore.jdbc: invalid password "(a literal string)": a Secret reference `{ secret, key }`'],
    ['a bad Secret key', () => HiveMetastore.jdbc({ ...MYSQL, password: { secret, key: 'bad key' } }), 'invalid password.key "bad key": a Secret key'],
    ['a URL that is not JDBC', () => HiveMetastore.jdbc({ ...MYSQL, url: 'mysql://db/hive' }), 'HiveMetastore.jdbc: invalid url "mysql://db/hive"'],
    ['a driver that is not a qualified class name', () => HiveMetastore.jdbc({ ...MYSQL, driver: 'Driver' }), 'HiveMetastore.jdbc: invalid driver "Driver"'],
    ['a user with a space', () => HiveMetastore.jdbc({ ...MYSQL, user: 'a b' }), 'HiveMetastore.jdbc: invalid user "a b"'],
    ['a driver jar on the submitter\'s file system', () => HiveMetastore.jdbc({ ...MYSQL, driverJar: 'file:///x.jar' }),
      'HiveMetastore.jdbc: invalid driverJar "file:///x.jar"'],
    ['no Thrift URI', () => HiveMetastore.thrift(), 'HiveMetastore.thrift: invalid uris []: at least one'],
    ['an http:// metastore URI', () => HiveMetastore.thrift('http://hms:9083'), 'HiveMetastore.thrift: invalid uri "http://hms:9083"'],
    ['a Thrift URI without a port', () => HiveMetastore.thrift('thrift://hms'), 'invalid uri "thrift://hms"'],
    ['a Thrift port above 65535', () => HiveMetastore.thrift('thrift://hms:70000'), 'invalid uri "thrift://hms:70000"'],
  ])('refuses %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
