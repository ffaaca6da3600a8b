import { Chart, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  EventLogStore, HiveMetastore, RegistryMirror, RegistryTls, SparkConf, SparkHistoryServer, SparkStandaloneCluster,
  SparkThriftServer, StandaloneAuthentication, StorageClassRef, ClusterStorage, ZeppelinNotebook,
} from '../../src';

// Inputs the servers copy into their manifests: a change after construction used to vanish.
// Each case builds with the final input (reference) and with a late change; the late
// change must fail synthesis, naming the construct, the property and the fix.

const store = () => EventLogStore.hdfs('hdfs://nn:8020/spark-events');

type Case = [string, (chart: Chart, late: boolean) => void, string];

const cases: Case[] = [
  ['SparkHistoryServer sparkConf', (chart, late) => {
    const conf = SparkConf.of(late ? {} : { 'spark.history.fs.numReplayThreads': '4' });
    new SparkHistoryServer(chart, 'History', { store: store(), sparkConf: conf });
    if (late) conf.set('spark.history.fs.numReplayThreads', '4');
  }, 'test/History: sparkConf changed after test/History was created'],
  ['SparkHistoryServer serviceAccountAnnotations', (chart, late) => {
    const annotations: { [key: string]: string } = late ? {} : { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' };
    new SparkHistoryServer(chart, 'History', { store: store(), serviceAccountAnnotations: annotations });
    if (late) annotations['eks.amazonaws.com/role-arn'] = 'arn:aws:iam::1:role/x';
  }, 'test/History: serviceAccountAnnotations changed after test/History was created'],
  ['SparkStandaloneCluster sparkConf', (chart, late) => {
    const conf = SparkConf.of(late ? {} : { 'spark.io.encryption.enabled': 'true' });
    new SparkStandaloneCluster(chart, 'Cluster', { authentication: StandaloneAuthentication.none(), sparkConf: conf });
    if (late) conf.set('spark.io.encryption.enabled', 'true');
  }, 'test/Cluster: sparkConf changed after test/Cluster was created'],
  ['SparkThriftServer jars', (chart, late) => {
    const jars = late ? [] : ['https://repo.example/a.jar'];
    new SparkThriftServer(chart, 'Sql', { metastore: HiveMetastore.thrift('thrift://hms:9083'), warehouseDir: 'hdfs://nn:8020/warehouse', jars });
    if (late) jars.push('https://repo.example/a.jar');
  }, 'test/Sql: jars changed after test/Sql was created'],
  ['SparkThriftServer sparkConf', (chart, late) => {
    const conf = SparkConf.of(late ? {} : { 'spark.sql.shuffle.partitions': '8' });
    new SparkThriftServer(chart, 'Sql', { metastore: HiveMetastore.thrift('thrift://hms:9083'), warehouseDir: 'hdfs://nn:8020/warehouse', sparkConf: conf });
    if (late) conf.set('spark.sql.shuffle.partitions', '8');
  }, 'test/Sql: sparkConf changed after test/Sql was created'],
  ['RegistryMirror ingress.annotations', (chart, late) => {
    ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
    const annotations: { [key: string]: string } = late ? {} : { 'nginx.ingress.kubernetes.io/proxy-body-size': '0' };
    new RegistryMirror(chart, 'Registry', { tls: RegistryTls.plainHttp(), ingress: { host: 'registry.example.com', annotations } });
    if (late) annotations['nginx.ingress.kubernetes.io/proxy-body-size'] = '0';
  }, 'test/Registry: ingress.annotations changed after test/Registry was created'],
  ['ZeppelinNotebook imagePullSecrets', (chart, late) => {
    const cluster = new SparkStandaloneCluster(chart, 'Cluster', { authentication: StandaloneAuthentication.none() });
    const pull = Secret.fromSecretName(chart, 'Pull', 'regcred');
    const secrets = late ? [] : [pull];
    new ZeppelinNotebook(chart, 'Notebook', { cluster, imagePullSecrets: secrets });
    if (late) secrets.push(pull);
  }, 'test/Notebook: imagePullSecrets changed after test/Notebook was created'],
];

describe('late changes to copied inputs fail synthesis', () => {
  test.each(cases)('%s', (_name, build, message) => {
    const reference = new Chart(Testing.app(), 'test');
    build(reference, false);
    expect(() => Testing.synth(reference)).not.toThrow();
    const late = new Chart(Testing.app(), 'test');
    build(late, true);
    expect(() => Testing.synth(late)).toThrow(message);
  });

  test('an unchanged input synthesizes exactly as before', () => {
    const make = () => {
      const chart = new Chart(Testing.app(), 'test');
      const conf = SparkConf.of({ 'spark.history.fs.numReplayThreads': '4' });
      new SparkHistoryServer(chart, 'History', { store: store(), sparkConf: conf });
      return Testing.synth(chart);
    };
    expect(make()).toEqual(make());
  });
});
