// A remote shuffle service: Apache Celeborn's masters and workers in a
// namespace of their own keep the shuffle data, so a job's executors can go
// away as soon as they are idle (dynamic allocation without shuffle tracking)
// without losing the map outputs the next stage reads.
import { App, Chart, Size } from 'cdk8s';
import {
  CelebornCluster, CelebornDisks, NetworkPeer, SparkApplication, SparkApplicationType, SparkImage, SparkMemory, SparkOperatorInstall, SparkTenant,
  StorageClassRef, TenantApiServerAccess, TenantEgress,
} from '../../src';

export const NAMESPACE = 'analytics';
export const SHUFFLE_NAMESPACE = 'celeborn';

export function buildApp(app: App = new App()): App {
  const operator = new Chart(app, 'spark-operator');
  new SparkOperatorInstall(operator, 'Operator');

  const shuffle = new Chart(app, 'shuffle');
  // Celeborn runs as its image's user: its namespace (emitted with it) enforces the restricted profile.
  const celeborn = new CelebornCluster(shuffle, 'Celeborn', {
    namespace: SHUFFLE_NAMESPACE,
    // Shuffle disks want local SSDs; the class is the cluster's.
    storageClass: StorageClassRef.existing('fast-ssd'),
    // Claims keep the shuffle data when a worker's pod moves; CelebornDisks.emptyDir(...) would use the
    // node's own storage instead (lost with the pod: then set client: { replicate: true }).
    workers: { replicas: 3, shuffleDisks: CelebornDisks.persistentVolumeClaims({ count: 2, size: Size.gibibytes(100) }) },
  });

  const jobs = new Chart(app, 'jobs', { namespace: NAMESPACE });
  jobs.addDependency(operator);
  jobs.addDependency(shuffle);
  const tenant = new SparkTenant(jobs, 'Analytics', {
    namespace: NAMESPACE,
    // The control plane's address: drivers create their executors through the API server.
    apiServer: TenantApiServerAccess.toCidrs(['192.168.10.10/32']),
    // Drivers and executors reach the masters and push to and fetch from the workers.
    egress: [
      TenantEgress.toShuffleService(celeborn.shuffleService, NetworkPeer.namespace(SHUFFLE_NAMESPACE)),
      // The driver fetches the Celeborn client jar from Maven Central when it starts (deps.packages);
      // a mirror's addresses, or the jar in the image (CelebornClientJar.inImage()), are tighter.
      TenantEgress.toCidr('maven-central', '0.0.0.0/0', [443]),
    ],
  });

  new SparkApplication(jobs, 'Etl', {
    name: 'etl',
    namespace: NAMESPACE,
    serviceAccount: tenant.serviceAccount,
    image: SparkImage.apache('4.0.4'),
    type: SparkApplicationType.SCALA,
    mainClass: 'org.apache.spark.examples.GroupByTest',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    arguments: ['100', '100000', '1000', '100'],
    executor: { cores: 2, memory: SparkMemory.gibibytes(4) },
    shuffle: celeborn.shuffleService,
    dynamicAllocation: { minExecutors: 0, maxExecutors: 20 },
  });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
