// The seeds' platform, end to end: machines prepared with kubeadm, flannel,
// a private registry with pull-through caches, the Spark operator, a history
// server, and spark-pi run both through spark-submit and through the operator,
// each writing its event log where the history server reads it.
//
//   dist/nodes/*.sh, dist/nodes/kubeadm-config.yaml  run on the machines (kubeadm)
//   dist/images/build-spark-images.sh                 builds and pushes the Spark images to the registry
//   dist/*cluster.k8s.yaml                            flannel and the local-path provisioner, applied right after `kubeadm init`
//   dist/*registries.k8s.yaml                         the private registry and the caches
//   dist/*spark-operator.k8s.yaml                     the Spark operator and its CRDs
//   dist/*spark-jobs.k8s.yaml                         namespace, history server and jobs
import { App, Chart, Duration } from 'cdk8s';
import { k8s, Secret } from 'cdk8s-plus-28';
import {
  ClusterNetwork, EventLogStore, FlannelBackend, FlannelCni, KubeadmClusterPrereqs, LocalPathProvisioner, NodeRole, RegistryMirrorSet, RegistryTls,
  RegistryUpstream, SparkApplication, SparkApplicationType, SparkHistoryServer, SparkImageBuildScript, SparkOperatorInstall,
  SparkSubmitJob, StandardLabels,
} from '../../src';

export const KUBERNETES_VERSION = '1.34.1';
export const JOB_NAMESPACE = 'spark-jobs';
/** Where every job writes its event log and the history server reads it (the seeds use HDFS). */
export const EVENT_LOG = EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs');

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
  // A kubeadm cluster has no StorageClass: without a provisioner the registries'
  // claims stay Pending. Its class is the default one, so claims naming none get it.
  const storage = new LocalPathProvisioner(cluster, 'Storage');

  // Registries: caches of the public registries the nodes cannot reach, and a
  // private registry for the Spark images. Nodes reach them on fixed Service
  // IPs; TLS and the users' htpasswd come from Secrets created outside Git.
  const registries = new Chart(app, 'registries');
  const tls = RegistryTls.fromSecret(Secret.fromSecretName(registries, 'RegistryTls', 'registry-tls'));
  const mirrors = new RegistryMirrorSet(registries, 'Mirrors', { namespace: 'registry', network });
  // Each registry's volume is a directory on the node its pod first lands on. On a cloud, the
  // private registry could use an object store and several replicas instead:
  // storage: RegistryStorage.s3({ bucket, region }), replicas: 3, httpSecret: { secret, key }.
  const storageClass = storage.storageClass;
  mirrors.addMirror('DockerHub', { tls, storageClass, clusterIp: '10.96.0.50', proxy: { upstream: RegistryUpstream.dockerHub() } });
  mirrors.addMirror('K8s', { tls, storageClass, clusterIp: '10.96.0.51', proxy: { upstream: RegistryUpstream.registryK8s() } });
  mirrors.addMirror('Ghcr', { tls, storageClass, clusterIp: '10.96.0.52', proxy: { upstream: RegistryUpstream.ghcr() } });
  const registry = mirrors.addMirror('Spark', {
    tls,
    storageClass,
    clusterIp: '10.96.0.53',
    auth: { secret: Secret.fromSecretName(registries, 'RegistryUsers', 'registry-htpasswd') },
  });
  // cdk8s writes charts in creation order and numbers the files once a chart
  // depends on another. Each later chart depends on the first one only: a
  // chain of dependencies costs far more (README, "Performance").
  registries.addDependency(cluster);

  new KubeadmClusterPrereqs(cluster, 'Nodes', {
    network,
    kubernetesVersion: KUBERNETES_VERSION,
    cniPorts: flannel.firewallPorts,
    // containerd on every node tries the caches first (hosts.toml), trusting the registry CA.
    // The set is read when the app synthesizes: a mirror added to it later reaches the nodes too.
    registryMirrorSets: [mirrors],
    registryMirrorSetOptions: { caFile: '/etc/pki/registry-ca.pem' },
  });

  // The Spark operator watches the namespaces of the operator's jobs below.
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
  // The Spark images, built from a Spark distribution and pushed to the private registry.
  const images = new SparkImageBuildScript(registries, 'SparkImages', {
    registry,
    pullSecrets: [Secret.fromSecretName(jobs, 'RegistryPull', 'registry-pull')],
  });

  const history = new SparkHistoryServer(jobs, 'HistoryServer', {
    store: EVENT_LOG,
    namespace: JOB_NAMESPACE,
    image: images.jvmImage,
    nodePort: 30080,
    cleaner: { maxAge: Duration.days(14) },
  });

  // The seeds' production pattern: one Job per run whose pod runs spark-submit
  // in cluster mode and fails when the application fails.
  new SparkSubmitJob(jobs, 'SparkPiSubmit', {
    name: 'spark-pi-submit',
    type: SparkApplicationType.SCALA,
    namespace: JOB_NAMESPACE,
    image: images.jvmImage,
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    arguments: ['1000'],
    executor: { instances: 2 },
    eventLog: history.store,
    activeDeadline: Duration.hours(1),
    ttlAfterFinished: Duration.days(1),
  });

  // The same application through the operator.
  new SparkApplication(jobs, 'SparkPi', {
    name: 'spark-pi',
    type: SparkApplicationType.SCALA,
    image: images.jvmImage,
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
    arguments: ['1000'],
    executor: { instances: 2 },
    eventLog: history.store,
    timeToLive: Duration.hours(1),
  });
  jobs.addDependency(cluster);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
