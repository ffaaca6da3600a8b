// Issue #18: from plain JavaScript (no compiler), a value of the wrong kind where a construct
// takes one of the library's classes is refused with the usual message (construct path,
// property, value, what to give), never a TypeError from deep inside. The jobs' props are in
// test/jobs/job-types.test.ts.
import { Chart, Testing } from 'cdk8s';
import {
  ClusterStorage, EventLogStore, HiveMetastore, RegistryMirror, SparkHistoryServer, SparkServiceAccount, SparkStandaloneCluster, SparkTenant,
  SparkThriftServer,
  StandaloneAuthentication, StorageClassRef, ZeppelinNotebook,
} from '../src';

const chart = () => new Chart(Testing.app(), 'test');
const store = () => EventLogStore.hdfs('hdfs://nn:8020/logs');
const thrift = (props: object) => new SparkThriftServer(chart(), 'X', {
  metastore: HiveMetastore.thrift('thrift://metastore:9083'), warehouseDir: 'hdfs://nn:8020/w', ...props,
});
const standalone = (props: object) => new SparkStandaloneCluster(chart(), 'X', { authentication: StandaloneAuthentication.none(), ...props });

test.each<[string, () => unknown, string]>([
  ['SparkHistoryServer: a string for store', () => new SparkHistoryServer(chart(), 'X', { store: 'hdfs://x' as any }), 'invalid store "hdfs://x": an EventLogStore'],
  ['SparkHistoryServer: a string for image', () => new SparkHistoryServer(chart(), 'X', { store: store(), image: 'apache/spark:3.5.7' as any }),
    'invalid image "apache/spark:3.5.7": a SparkImage'],
  ['SparkHistoryServer: a plain object for sparkConf', () => new SparkHistoryServer(chart(), 'X', { store: store(), sparkConf: { a: 'b' } as any }),
    'invalid sparkConf {"a":"b"}: a SparkConf'],
  ['SparkHistoryServer: a string for memory', () => new SparkHistoryServer(chart(), 'X', { store: store(), memory: '2g' as any }),
    'invalid memory "2g": a SparkMemory, e.g. SparkMemory.gibibytes(2)'],
  ['SparkHistoryServer: a string for identity', () => new SparkHistoryServer(chart(), 'X', { store: store(), identity: 'arn:aws:iam::123456789012:role/x' as any }),
    'invalid identity "arn:aws:iam::123456789012:role/x": a WorkloadIdentity'],
  ['SparkServiceAccount: a plain object for identity', () => new SparkServiceAccount(chart(), 'X', { namespace: 'a', identity: { roleArn: 'x' } as any }),
    'invalid identity "(another object)": a WorkloadIdentity'],
  ['SparkThriftServer: a string for metastore', () => thrift({ metastore: 'thrift://x:9083' }), 'invalid metastore "thrift://x:9083": a HiveMetastore'],
  ['SparkThriftServer: a string for image', () => thrift({ image: 'x:1' }), 'invalid image "x:1": a SparkImage'],
  ['SparkThriftServer: a string for eventLog', () => thrift({ eventLog: 's3a://x' }), 'invalid eventLog "s3a://x": an EventLogStore'],
  ['SparkThriftServer: a plain object for sparkConf', () => thrift({ sparkConf: { a: 'b' } }), 'invalid sparkConf "(another object)": a SparkConf'],
  ['SparkThriftServer: a string for driver.memory', () => thrift({ driver: { memory: '2g' } }), 'invalid driver.memory "2g": a SparkMemory'],
  ['SparkThriftServer: a number for executor.memoryLimit', () => thrift({ executor: { memoryLimit: 4096 } }), 'invalid executor.memoryLimit 4096: a SparkMemory'],
  ['SparkStandaloneCluster: a string for authentication', () => new SparkStandaloneCluster(chart(), 'X', { authentication: 'none' as any }),
    'invalid authentication "none": StandaloneAuthentication.sharedSecret'],
  ['SparkStandaloneCluster: a string for image', () => standalone({ image: 'x:1' }), 'invalid image "x:1": a SparkImage'],
  ['SparkStandaloneCluster: a plain object for sparkConf', () => standalone({ sparkConf: { a: 'b' } }), 'invalid sparkConf "(another object)": a SparkConf'],
  ['SparkStandaloneCluster: a string for workers.memory', () => standalone({ workers: { memory: '2g' } }), 'invalid workers.memory "2g": a SparkMemory'],
  ['SparkStandaloneCluster: a string for master.daemonMemory', () => standalone({ master: { daemonMemory: '1g' } }),
    'invalid master.daemonMemory "1g": a SparkMemory'],
  ['ZeppelinNotebook: a string for cluster', () => new ZeppelinNotebook(chart(), 'X', { cluster: 'spark' as any }), 'invalid cluster "spark": a SparkStandaloneCluster'],
  ['RegistryMirror: a string for tls', () => {
    const c = chart();
    ClusterStorage.declare(c, StorageClassRef.clusterDefault());
    return new RegistryMirror(c, 'X', { tls: 'plain' as any });
  }, 'invalid tls "plain": RegistryTls.fromSecret()'],
  ['SparkTenant: a string for apiServer', () => new SparkTenant(chart(), 'X', { namespace: 'a', apiServer: '10.0.0.1' as any }),
    'invalid apiServer "10.0.0.1"'],
])('%s is refused with the usual message', (_name, make, message) => {
  expect(make).toThrow(`test/X: ${message}`);
  expect(make).not.toThrow(TypeError);
});
