import { Chart, Duration, Testing } from 'cdk8s';
import {
  ClusterStorage, EventLogStore, LocalPathProvisioner, LocalPathProvisionerOptions, RegistryMirror, RegistryMirrorOptions, RegistryTls,
  SparkHistoryServer, SparkHistoryServerOptions, SparkImage, SparkOperatorInstall, SparkOperatorInstallOptions,
  SparkStandaloneCluster, SparkStandaloneClusterOptions, StandaloneAuthentication, StorageClassRef,
} from '../../src';

// XxxProps = XxxOptions (what a composite may forward as the user gave it) + what the composite supplies.
// A composite spreading the options and adding its own part builds the same objects as a direct call.
describe('XxxOptions extended by XxxProps', () => {
  test.each<[string, (chart: Chart, forwarded: boolean) => void]>([
    ['SparkHistoryServer', (chart, forwarded) => {
      const options: SparkHistoryServerOptions = { cleaner: { maxAge: Duration.days(3) }, retainedApplications: 20 };
      const store = EventLogStore.hdfs('hdfs://nn:8020/spark-events');
      new SparkHistoryServer(chart, 'H', forwarded
        ? { ...options, store, namespace: 'spark', image: SparkImage.apache('3.5.7') }
        : { cleaner: { maxAge: Duration.days(3) }, retainedApplications: 20, store, namespace: 'spark', image: SparkImage.apache('3.5.7') });
    }],
    ['SparkStandaloneCluster', (chart, forwarded) => {
      const options: SparkStandaloneClusterOptions = { authentication: StandaloneAuthentication.none(), workers: { replicas: 3 } };
      new SparkStandaloneCluster(chart, 'S', forwarded
        ? { ...options, namespace: 'spark' }
        : { authentication: StandaloneAuthentication.none(), workers: { replicas: 3 }, namespace: 'spark' });
    }],
    ['RegistryMirror', (chart, forwarded) => {
      ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
      const options: RegistryMirrorOptions = { tls: RegistryTls.plainHttp(), clusterIp: '10.96.0.50' };
      new RegistryMirror(chart, 'R', forwarded
        ? { ...options, namespace: 'mirrors', createNamespace: false }
        : { tls: RegistryTls.plainHttp(), clusterIp: '10.96.0.50', namespace: 'mirrors', createNamespace: false });
    }],
    ['SparkOperatorInstall', (chart, forwarded) => {
      const options: SparkOperatorInstallOptions = { jobNamespaces: ['jobs'] };
      new SparkOperatorInstall(chart, 'O', forwarded ? { ...options, namespace: 'ops' } : { jobNamespaces: ['jobs'], namespace: 'ops' });
    }],
    ['LocalPathProvisioner', (chart, forwarded) => {
      const options: LocalPathProvisionerOptions = { nodePath: '/data/local-path' };
      new LocalPathProvisioner(chart, 'L', forwarded ? { ...options, namespace: 'storage' } : { nodePath: '/data/local-path', namespace: 'storage' });
    }],
  ])('%s', (_name, build) => {
    const direct = new Chart(Testing.app(), 'test');
    build(direct, false);
    const forwarded = new Chart(Testing.app(), 'test');
    build(forwarded, true);
    expect(Testing.synth(forwarded)).toEqual(Testing.synth(direct));
  });
});
