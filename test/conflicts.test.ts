// Issue #18, conflicts: a key a typed prop sets is refused in free-form
// sparkConf on every job kind and service, naming the prop, whether or not
// the prop is set (set, the two would collide; unset, the conf would bypass it).
import { Chart, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  EventLogStore, HiveMetastore, ScheduledSparkApplication, ScheduledSparkSubmitJob, SparkApplication, SparkApplicationType, SparkConf,
  SparkHistoryServer, SparkStandaloneCluster, SparkStandaloneSubmit, SparkSubmitJob, SparkThriftServer, StandaloneAuthentication,
} from '../src';

const JOB = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};
const RUNNERS: Array<[string, (chart: Chart, conf: SparkConf) => unknown]> = [
  ['SparkApplication', (c, sparkConf) => new SparkApplication(c, 'X', { ...JOB, sparkConf })],
  ['ScheduledSparkApplication', (c, sparkConf) => new ScheduledSparkApplication(c, 'X', { ...JOB, schedule: '0 2 * * *', sparkConf })],
  ['SparkSubmitJob', (c, sparkConf) => new SparkSubmitJob(c, 'X', { ...JOB, sparkConf })],
  ['ScheduledSparkSubmitJob', (c, sparkConf) => new ScheduledSparkSubmitJob(c, 'X', { ...JOB, schedule: '0 2 * * *', sparkConf })],
];

// Keys every job kind's typed props set, with the prop the message names.
const JOB_KEYS: Array<[string, string]> = [
  ['spark.driver.cores', 'driver.cores'], ['spark.executor.cores', 'executor.cores'],
  ['spark.driver.memory', 'driver.memory'], ['spark.executor.memory', 'executor.memory'],
  ['spark.driver.memoryOverhead', 'driver.memoryOverhead'], ['spark.executor.memoryOverhead', 'executor.memoryOverhead'],
  ['spark.kubernetes.driver.request.cores', 'driver.coreRequest'], ['spark.kubernetes.executor.request.cores', 'executor.coreRequest'],
  ['spark.kubernetes.driver.limit.cores', 'driver.coreLimit'], ['spark.kubernetes.executor.limit.cores', 'executor.coreLimit'],
  ['spark.kubernetes.memoryOverheadFactor', 'memoryOverheadFactor'],
  ['spark.jars', 'deps.jars'], ['spark.files', 'deps.files'], ['spark.submit.pyFiles', 'deps.pyFiles'], ['spark.archives', 'deps.archives'],
  ['spark.jars.packages', 'deps.packages'], ['spark.jars.repositories', 'deps.repositories'],
  ['spark.submit.deployMode', 'the mode prop'], ['spark.app.name', 'the name prop'], ['spark.kubernetes.namespace', 'the namespace prop'],
  ['spark.kubernetes.container.image', 'the image prop'], ['spark.kubernetes.driver.container.image', 'the image prop'],
  ['spark.kubernetes.executor.container.image', 'the image prop'],
  ['spark.kubernetes.container.image.pullPolicy', 'the pullPolicy of the image prop'],
  ['spark.kubernetes.container.image.pullSecrets', 'the pullSecrets of the image prop'],
  ['spark.kubernetes.authenticate.driver.serviceAccountName', 'the serviceAccount prop'],
  ['spark.executor.instances', 'executor.instances'], ['spark.dynamicAllocation.enabled', 'the dynamicAllocation prop'],
];

describe('jobs: keys of typed props in sparkConf', () => {
  test.each(RUNNERS.flatMap(([runner, make]) => JOB_KEYS.map(([key, prop]) => [runner, key, prop, make] as const)))(
    '%s refuses %s, naming %s', (_runner, key, prop, make) => {
      expect(() => make(new Chart(Testing.app(), 'test'), SparkConf.of({ [key]: '2' }))).toThrow(/test\/X: invalid (sparkConf|Spark conf) key/);
      expect(() => make(new Chart(Testing.app(), 'test'), SparkConf.of({ [key]: '2' }))).toThrow(prop);
    });
});

const thrift = (c: Chart, sparkConf: SparkConf) => new SparkThriftServer(c, 'X', {
  metastore: HiveMetastore.thrift('thrift://metastore.hive.svc:9083'), warehouseDir: 'hdfs://nn:8020/warehouse', sparkConf,
});
const history = (c: Chart, sparkConf: SparkConf) => new SparkHistoryServer(c, 'X', { store: EventLogStore.hdfs('hdfs://nn:8020/logs'), sparkConf });
const standalone = (c: Chart, sparkConf: SparkConf, id = 'X') => new SparkStandaloneCluster(c, id, {
  authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(c, 'Auth', 'spark-auth') }), sparkConf,
});

const standaloneSubmit = (c: Chart, sparkConf: SparkConf) => new SparkStandaloneSubmit(c, 'X', {
  cluster: standalone(c, SparkConf.of({}), 'Cluster'), mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar', sparkConf,
});

const CLIENT_MODE = 'nothing: the driver runs in the server\'s pod (client mode)';
const SERVICE_KEYS: Array<[string, (c: Chart, conf: SparkConf) => unknown, string, string]> = [
  ...(['spark.master', 'spark.submit.deployMode', 'spark.driver.host', 'spark.driver.bindAddress', 'spark.ui.enabled'])
    .map((k) => ['SparkThriftServer', thrift, k, CLIENT_MODE] as [string, typeof thrift, string, string]),
  ...([
    ['spark.driver.port', 'ports.driver'], ['spark.blockManager.port', 'ports.blockManager'], ['spark.ui.port', 'ports.ui'],
    ['spark.kubernetes.namespace', 'the namespace prop'], ['spark.kubernetes.container.image', 'the image prop'],
    ['spark.kubernetes.container.image.pullPolicy', 'the pullPolicy of the image prop'],
    ['spark.kubernetes.container.image.pullSecrets', 'the pullSecrets of the image prop'],
    ['spark.kubernetes.executor.podNamePrefix', 'the name prop'],
    ['spark.kubernetes.executor.podTemplateFile', 'executor pod template'], ['spark.kubernetes.executor.podTemplateContainerName', 'executor pod template'],
    ['spark.sql.catalogImplementation', 'Hive catalog'], ['spark.driver.memory', 'driver.memory'],
    ['spark.driver.extraJavaOptions', 'driver.javaOptions'], ['spark.driver.extraClassPath', 'metastore.driverJar'],
    ['spark.executor.cores', 'executor.cores'], ['spark.executor.memory', 'executor.memory'], ['spark.executor.memoryOverhead', 'executor.memoryOverhead'],
    ['spark.kubernetes.executor.request.cores', 'executor.coreRequest'], ['spark.kubernetes.executor.limit.cores', 'executor.coreLimit'],
    ['spark.executor.extraJavaOptions', 'executor.javaOptions'], ['spark.executor.instances', 'executor.instances'],
    ['spark.dynamicAllocation.enabled', 'the dynamicAllocation prop'], ['spark.dynamicAllocation.maxExecutors', 'the dynamicAllocation prop'],
    ['spark.dynamicAllocation.shuffleTracking.timeout', 'the dynamicAllocation prop'],
    ['spark.sql.adaptive.enabled', 'the adaptiveExecution prop'], ['spark.sql.adaptive.skewJoin.skewedPartitionFactor', 'the adaptiveExecution prop'],
    ['spark.jars', 'the jars prop'], ['spark.sql.warehouse.dir', 'the warehouseDir prop'],
    ['spark.eventLog.enabled', 'the eventLog prop'], ['spark.eventLog.dir', 'the eventLog prop'],
    ['spark.eventLog.rolling.enabled', 'the eventLog prop'], ['spark.eventLog.rolling.maxFileSize', 'the eventLogRollingMaxFileSize prop'],
  ] as Array<[string, string]>).map(([k, p]) => ['SparkThriftServer', thrift, k, p] as [string, typeof thrift, string, string]),
  ...([
    ['spark.history.fs.logDirectory', 'the store prop'], ['spark.history.ui.port', 'nothing: the server listens on 18080'],
    ['spark.history.fs.cleaner.enabled', 'the cleaner prop'], ['spark.history.fs.cleaner.interval', 'cleaner.interval'],
    ['spark.history.fs.cleaner.maxAge', 'cleaner.maxAge'], ['spark.history.fs.cleaner.maxNum', 'cleaner.maxNumFiles'],
    ['spark.history.retainedApplications', 'the retainedApplications prop'], ['spark.history.fs.update.interval', 'the updateInterval prop'],
    ['spark.history.store.path', 'the localStore prop'], ['spark.history.store.maxDiskUsage', 'the maxDiskUsage option of localStore'],
    ['spark.history.store.hybridStore.enabled', 'the hybrid option of localStore'],
    ['spark.history.store.hybridStore.maxMemoryUsage', 'the hybridMaxMemory option of localStore'],
  ] as Array<[string, string]>).map(([k, p]) => ['SparkHistoryServer', history, k, p] as [string, typeof history, string, string]),
  ...([
    ['spark.authenticate', 'the authentication prop'], ['spark.network.crypto.enabled', 'networkEncryption'],
    ['spark.ui.reverseProxy', 'the reverseProxy prop'], ['spark.ui.reverseProxyUrl', 'the reverseProxy prop'],
    ['spark.master.rest.enabled', 'master.restServer'], ['spark.master.rest.port', 'master.restPort'],
    ['spark.deploy.recoveryMode', 'master.recovery'], ['spark.deploy.recoveryDirectory', 'master.recovery'],
    ['spark.worker.cleanup.enabled', 'workers.cleanup'], ['spark.master', 'masterUrl'],
  ] as Array<[string, string]>).map(([k, p]) => ['SparkStandaloneCluster', standalone, k, p] as [string, typeof standalone, string, string]),
  ...([
    ['spark.driver.memory', 'driverMemory'], ['spark.executor.memory', 'executorMemory'], ['spark.executor.cores', 'executorCores'],
    ['spark.cores.max', 'totalExecutorCores'], ['spark.app.name', 'the name prop'], ['spark.master', 'the cluster prop'],
    ['spark.submit.deployMode', 'client mode'], ['spark.driver.port', 'fixed ports'], ['spark.driver.blockManager.port', 'fixed ports'],
    ['spark.eventLog.enabled', 'the eventLog prop'], ['spark.eventLog.dir', 'the eventLog prop'],
  ] as Array<[string, string]>).map(([k, p]) => ['SparkStandaloneSubmit', standaloneSubmit, k, p] as [string, typeof standaloneSubmit, string, string]),
];

describe('services: keys of typed props in sparkConf', () => {
  test.each(SERVICE_KEYS.map(([name, make, key, prop]) => [name, key, prop, make] as const))('%s refuses %s, naming %s', (_name, key, prop, make) => {
    let error: Error | undefined;
    try {
      make(new Chart(Testing.app(), 'test'), SparkConf.of({ [key]: 'true' }));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(new RegExp(`^test/X: invalid sparkConf key "${key.replace(/[.*]/g, '\\$&')}": `
      + '(the key is managed by the library; set it through |a key the library manages, which cannot be set: )'));
    expect(error?.message).toContain(prop.replace(/^nothing: /, ''));
  });

  test.each<[string, (c: Chart, conf: SparkConf) => unknown]>([['SparkThriftServer', thrift], ['SparkHistoryServer', history],
    ['SparkStandaloneCluster', standalone], ['SparkStandaloneSubmit', standaloneSubmit]])('%s takes keys no typed prop sets', (_name, make) => {
    expect(() => make(new Chart(Testing.app(), 'test'), SparkConf.of({ 'spark.sql.shuffle.partitions': '400', 'spark.speculation': 'true' })))
      .not.toThrow();
  });
});
