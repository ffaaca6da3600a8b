import { Chart, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  EventLogStore, HiveMetastore, LocalPathProvisioner, RegistryMirror, RegistryTls, RegistryUpstream, SparkHistoryServer,
  SparkOperatorInstall, SparkStandaloneCluster, StandaloneAuthentication, WebhookCertificate, WorkerStorage, WorkloadIdentity,
} from '../../src';

// A second copy of the library marks its instances with the same global symbols
// (Symbol.for), so an object marked by "another copy" is simulated by marking it here.
const fromAnotherCopy = (kind: string) => ({ [Symbol.for(`cdk8s-spark.${kind}`)]: true });

describe('isX checks instead of instanceof', () => {
  test.each<[string, (x: unknown) => boolean, () => unknown]>([
    ['StandaloneAuthentication', StandaloneAuthentication.isStandaloneAuthentication, () => StandaloneAuthentication.none()],
    ['WorkerStorage', WorkerStorage.isWorkerStorage, () => WorkerStorage.emptyDir()],
    ['WorkloadIdentity', WorkloadIdentity.isWorkloadIdentity, () => WorkloadIdentity.gcp('spark-jobs@my-project.iam.gserviceaccount.com')],
    ['RegistryTls', RegistryTls.isRegistryTls, () => RegistryTls.plainHttp()],
    ['RegistryUpstream', RegistryUpstream.isRegistryUpstream, () => RegistryUpstream.dockerHub()],
    ['HiveMetastore', HiveMetastore.isHiveMetastore, () => HiveMetastore.thrift('thrift://hms:9083')],
    ['EventLogStore', EventLogStore.isEventLogStore, () => EventLogStore.s3({ bucket: 'logs' })],
    ['WebhookCertificate', WebhookCertificate.isWebhookCertificate, () => WebhookCertificate.selfGenerated()],
    ['SparkStandaloneCluster', SparkStandaloneCluster.isSparkStandaloneCluster, () => new SparkStandaloneCluster(
      new Chart(Testing.app(), 'c'), 'Cluster', { authentication: StandaloneAuthentication.none() })],
    ['RegistryMirror', RegistryMirror.isRegistryMirror, () => {
      const c = new Chart(Testing.app(), 'c');
      return new RegistryMirror(c, 'R', { tls: RegistryTls.fromSecret(Secret.fromSecretName(c, 'T', 't')) });
    }],
    ['SparkOperatorInstall', SparkOperatorInstall.isSparkOperatorInstall, () => new SparkOperatorInstall(new Chart(Testing.app(), 'c'), 'Op')],
    ['LocalPathProvisioner', LocalPathProvisioner.isLocalPathProvisioner, () => new LocalPathProvisioner(new Chart(Testing.app(), 'c'), 'L')],
    ['SparkHistoryServer', SparkHistoryServer.isSparkHistoryServer, () => new SparkHistoryServer(
      new Chart(Testing.app(), 'c'), 'H', { store: EventLogStore.hdfs('hdfs://nn:8020/spark-events') })],
  ])('%s: true for its instances and for another copy\'s, false otherwise', (kind, isX, make) => {
    expect(isX(make())).toBe(true);
    expect(isX(fromAnotherCopy(kind))).toBe(true);
    expect(isX(fromAnotherCopy('SomethingElse'))).toBe(false);
    expect(isX({})).toBe(false);
    expect(isX(undefined)).toBe(false);
  });
});
