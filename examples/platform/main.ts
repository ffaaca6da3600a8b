// The Spark platform, end to end: machines to running jobs. It grows with every
// capability of the library.
//
//   dist/nodes/*.sh, dist/nodes/kubeadm-config.yaml  run on the machines (kubeadm)
//   dist/*cluster.k8s.yaml                            flannel, applied right after `kubeadm init`
//   dist/*spark-operator.k8s.yaml                     the Spark operator and its CRDs
//   dist/*spark-jobs.k8s.yaml                         the jobs' namespace and jobs
import { App, Chart, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  ClusterNetwork, FlannelBackend, FlannelCni, KubeadmClusterPrereqs, NodeRole, SparkApplication, SparkApplicationType,
  SparkImage, SparkOperatorInstall, StandardLabels,
} from '../../src';

export const KUBERNETES_VERSION = '1.34.1';
export const JOB_NAMESPACE = 'spark-jobs';

export function buildApp(app: App = new App()): App {
  // The cluster layer: one network description feeds kubeadm and flannel.
  const cluster = new Chart(app, 'cluster');
  const network = new ClusterNetwork(cluster, 'Network', {
    podCidr: '10.244.0.0/16',
    serviceCidr: '10.96.0.0/12',
    nodes: [
      { name: 'spark-master', ip: '192.168.1.10', role: NodeRole.CONTROL_PLANE },
      { name: 'spark-worker-1', ip: '192.168.1.11', role: NodeRole.WORKER },
      { name: 'spark-worker-2', ip: '192.168.1.12', role: NodeRole.WORKER },
    ],
  });
  const flannel = new FlannelCni(cluster, 'Flannel', { network, backend: FlannelBackend.vxlan() });
  new KubeadmClusterPrereqs(cluster, 'Nodes', {
    network,
    kubernetesVersion: KUBERNETES_VERSION,
    cniPorts: flannel.firewallPorts,
  });

  // The Spark operator watches the namespaces of the jobs below.
  const operator = new Chart(app, 'spark-operator');
  new SparkOperatorInstall(operator, 'Operator');
  operator.addDependency(cluster);

  const jobs = new Chart(app, 'spark-jobs', { namespace: JOB_NAMESPACE });
  new k8s.KubeNamespace(jobs, 'Namespace', {
    metadata: {
      name: JOB_NAMESPACE,
      labels: {
        ...StandardLabels.of(jobs, { name: JOB_NAMESPACE, component: 'namespace' }).all(),
        'pod-security.kubernetes.io/enforce': 'restricted',
      },
    },
  });
  new SparkApplication(jobs, 'SparkPi', {
    name: 'spark-pi',
    type: SparkApplicationType.SCALA,
    image: SparkImage.apache('4.0.4'),
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    arguments: ['1000'],
    executor: { instances: 2 },
    timeToLive: Duration.hours(1),
  });
  jobs.addDependency(operator);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
