// Issue #17: every construct that emits a primary object names it `Resource` (or points
// node.defaultChild at it), so escape hatches (`Include`-free patches through
// `node.defaultChild`) work the same everywhere. Composites that run several equal parts
// point it at the part users patch first (the operator's controller, the standalone master).
import { ApiObject, Chart, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  ArgoCdApplication, ArgoCdSparkHealthChecks, ClusterNetwork, ClusterStorage, EventLogStore, FlannelCni, HiveMetastore, LocalPathProvisioner,
  RegistryMirror, RegistryTls, ScheduledSparkApplication, ScheduledSparkSubmitJob, SparkApplication, SparkApplicationType, SparkHistoryServer,
  SparkOperatorInstall, SparkServiceAccount, SparkStandaloneCluster, SparkSubmitJob, SparkTenant, SparkThriftServer, StandaloneAuthentication,
  StorageClassRef, TenantApiServerAccess, ZeppelinNotebook,
} from '../src';

const PI = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};
const standalone = (c: Chart) => new SparkStandaloneCluster(c, 'Cluster', { authentication: StandaloneAuthentication.none() });

// [construct, make it, its primary object as its own API exposes it, the primary's kind]
const CASES: Array<[string, (c: Chart) => IConstruct, (x: any) => ApiObject, string]> = [
  ['SparkApplication', (c) => new SparkApplication(c, 'J', PI), (x) => x.apiObject, 'SparkApplication'],
  ['ScheduledSparkApplication', (c) => new ScheduledSparkApplication(c, 'J', { ...PI, schedule: '0 2 * * *' }), (x) => x.apiObject,
    'ScheduledSparkApplication'],
  ['SparkSubmitJob', (c) => new SparkSubmitJob(c, 'J', PI), (x) => x.job, 'Job'],
  ['ScheduledSparkSubmitJob', (c) => new ScheduledSparkSubmitJob(c, 'J', { ...PI, schedule: '0 2 * * *' }), (x) => x.cronJob, 'CronJob'],
  ['SparkStandaloneSubmit', (c) => standalone(c).submitJob('Pi', PI), (x) => x.job, 'Job'],
  ['SparkStandaloneCluster', standalone, (x) => x.masterStatefulSet, 'StatefulSet'],
  ['ZeppelinNotebook', (c) => new ZeppelinNotebook(c, 'Z', { cluster: standalone(c) }), (x) => x.deployment, 'Deployment'],
  ['SparkHistoryServer', (c) => new SparkHistoryServer(c, 'H', { store: EventLogStore.hdfs('hdfs://nn:8020/e') }), (x) => x.deployment, 'Deployment'],
  ['SparkThriftServer', (c) => new SparkThriftServer(c, 'T', {
    metastore: HiveMetastore.thrift('thrift://metastore.hive.svc:9083'), warehouseDir: 'hdfs://nn:8020/warehouse',
  }), (x) => x.deployment, 'Deployment'],
  ['SparkOperatorInstall', (c) => new SparkOperatorInstall(c, 'O'), (x) => x.controllerDeployment, 'Deployment'],
  ['SparkServiceAccount', (c) => new SparkServiceAccount(c, 'Sa', { namespace: 'etl' }), (x) => x.serviceAccount, 'ServiceAccount'],
  ['SparkTenant', (c) => new SparkTenant(c, 'T', { namespace: 'etl', apiServer: TenantApiServerAccess.toCidrs(['10.0.0.1/32']) }),
    (x) => x.namespaceObject, 'Namespace'],
  ['RegistryMirror', (c) => {
    ClusterStorage.declare(c, StorageClassRef.clusterDefault());
    return new RegistryMirror(c, 'R', { tls: RegistryTls.plainHttp() });
  }, (x) => x.deployment, 'Deployment'],
  ['LocalPathProvisioner', (c) => new LocalPathProvisioner(c, 'L'), (x) => x.deployment, 'Deployment'],
  ['FlannelCni', (c) => new FlannelCni(c, 'F', { network: new ClusterNetwork(c, 'N') }), (x) => x.daemonSet, 'DaemonSet'],
  ['ArgoCdApplication', (c) => new ArgoCdApplication(c, 'A', { repoUrl: 'https://git.example.com/p.git', path: 'dist' }),
    (x) => x.apiObject, 'Application'],
  ['ArgoCdSparkHealthChecks', (c) => new ArgoCdSparkHealthChecks(c, 'H'), (x) => x.configMap, 'ConfigMap'],
];

describe('node.defaultChild is the primary object', () => {
  test.each(CASES)('%s', (_name, make, primary, kind) => {
    const construct = make(new Chart(Testing.app(), 'test'));
    expect(construct.node.defaultChild).toBeDefined();
    expect(construct.node.defaultChild).toBe(primary(construct));
    expect((construct.node.defaultChild as ApiObject).kind).toBe(kind);
  });
});
