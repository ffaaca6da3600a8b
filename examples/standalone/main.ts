// A Spark standalone cluster on Kubernetes: a master with recovery, three
// workers sized from their containers, a Zeppelin notebook whose Spark
// interpreter runs on the cluster, and spark-pi submitted as a Kubernetes Job.
// RPC between all of them is authenticated and encrypted with a shared secret.
import { App, Chart, Duration, Size } from 'cdk8s';
import { k8s, Secret } from 'cdk8s-plus-28';
import {
  ClusterStorage, SparkImage, SparkMemory, SparkStandaloneCluster, StandaloneAuthentication, StandardLabels, StorageClassRef, WorkerStorage,
  ZeppelinNotebook,
} from '../../src';

const NAMESPACE = 'spark-standalone';
// Zeppelin 0.12.0's Spark interpreter runs Spark 3.x, and a driver must run the
// cluster's Spark version: the cluster runs Spark 3.5.
const SPARK = SparkImage.apache('3.5.7');

export function buildApp(app: App = new App()): App {
  const chart = new Chart(app, 'standalone', { namespace: NAMESPACE });
  // The master's and the notebook's claims name no class: this cluster has a default
  // StorageClass (on kubeadm, add a LocalPathProvisioner instead).
  ClusterStorage.declare(chart, StorageClassRef.clusterDefault());

  new k8s.KubeNamespace(chart, 'Namespace', {
    metadata: {
      name: NAMESPACE,
      labels: {
        ...StandardLabels.of(chart, { name: NAMESPACE, component: 'namespace' }).all(),
        'pod-security.kubernetes.io/enforce': 'restricted',
      },
    },
  });

  // The shared RPC secret lives outside Git, created once:
  //   kubectl -n spark-standalone create secret generic spark-auth \
  //     --from-literal=secret="$(openssl rand -hex 32)"
  const authSecret = Secret.fromSecretName(chart, 'AuthSecret', 'spark-auth');

  const cluster = new SparkStandaloneCluster(chart, 'Spark', {
    image: SPARK,
    authentication: StandaloneAuthentication.sharedSecret({ secret: authSecret }),
    // A restarted master recovers its workers and applications from its volume.
    master: { recovery: { storage: Size.gibibytes(1) } },
    workers: {
      replicas: 3,
      cores: 2,
      // The containers get 4g + the JVM overheads + the worker daemon (5401Mi).
      memory: SparkMemory.gibibytes(4),
      workDir: WorkerStorage.emptyDir({ sizeLimit: Size.gibibytes(50) }),
    },
  });

  new ZeppelinNotebook(chart, 'Notebook', { cluster, notebookStorage: Size.gibibytes(5) });

  // The driver runs in the Job's pod; the Job fails if the application fails.
  cluster.submitJob('SparkPi', {
    name: 'spark-pi',
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.7.jar',
    arguments: ['1000'],
    totalExecutorCores: 4,
    activeDeadline: Duration.hours(1),
  });

  return app;
}

if (require.main === module) {
  buildApp().synth();
}
