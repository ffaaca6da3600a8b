// Spark Connect: one shared Spark driver, run by the Spark operator, that
// clients drive remotely through the DataFrame API over gRPC (port 15002) —
// here a Job with the lightweight Python client. The server lives in an
// isolated tenant namespace: its executors come and go with the load, and
// only the client's pods may dial the server. A second server beside it,
// SparkConnectDeployment, runs the same driver without the operator (a
// one-pod Deployment running start-connect-server.sh), with a client of its own.
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  NetworkPeer, SecurityDefaults, SparkConnectDeployment, SparkConnectServer, SparkImage, SparkMemory, SparkOperatorInstall, SparkTenant,
  StandardLabels, TenantApiServerAccess, TenantEgress, TenantIngress,
} from '../../src';

export const NAMESPACE = 'analytics';
const SPARK = SparkImage.apache('4.0.4');
// The Spark Connect Python client (PyPI `pyspark-client`, no JVM) of the server's release line.
const CLIENT_PACKAGE = 'pyspark-client==4.0.0';
const CLIENT_IMAGE = 'docker.io/library/python:3.12.11-slim-bookworm';
const CLIENT_LABELS = { 'app.kubernetes.io/name': 'connect-client' };

const CLIENT_SCRIPT = [
  'import os',
  'from pyspark.sql import SparkSession',
  'spark = SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).getOrCreate()',
  'print(spark.range(1000000).selectExpr("sum(id) AS total").first().total)',
  'spark.stop()',
].join('\n');

export function buildApp(app: App = new App()): App {
  const operator = new Chart(app, 'spark-operator');
  new SparkOperatorInstall(operator, 'Operator');

  const chart = new Chart(app, 'connect', { namespace: NAMESPACE });
  chart.addDependency(operator);
  const tenant = new SparkTenant(chart, 'Analytics', {
    namespace: NAMESPACE,
    // The control plane's address: drivers create their executors through the API server.
    apiServer: TenantApiServerAccess.toCidrs(['192.168.10.10/32']),
    // The client's pods dial the server; the server admits them (its pod is labelled spark-role=connect-server).
    egress: [
      TenantEgress.toNamespace('spark-connect', NAMESPACE, [15002], { 'spark-role': 'connect-server' }),
      // The client installs its package from PyPI when it starts (a mirror's addresses are tighter).
      TenantEgress.toCidr('pypi', '0.0.0.0/0', [443]),
    ],
    ingress: [TenantIngress.sparkConnect(NetworkPeer.namespace(NAMESPACE, CLIENT_LABELS))],
  });

  const server = new SparkConnectServer(chart, 'Connect', {
    name: 'spark-connect',
    image: SPARK,
    serviceAccount: tenant.serviceAccount,
    // The driver holds every session's plans and the results sent back to clients.
    server: { cores: 2, memory: SparkMemory.gibibytes(4) },
    executor: { cores: 2, memory: SparkMemory.gibibytes(4) },
    // Idle, the server keeps no executor; busy, it grows to six.
    dynamicAllocation: { minExecutors: 0, maxExecutors: 6 },
  });

  // Without the operator: the same server props, run by a Deployment the server's driver lives in.
  // Its pod carries spark-role=connect-server too, so the tenant's policies let the clients in.
  const native = new SparkConnectDeployment(chart, 'NativeConnect', {
    name: 'spark-connect-native',
    image: SPARK,
    serviceAccount: tenant.serviceAccount,
    server: { cores: 1, memory: SparkMemory.gibibytes(2) },
    executor: { cores: 1, memory: SparkMemory.gibibytes(2) },
    dynamicAllocation: { minExecutors: 0, maxExecutors: 2 },
  });

  // A client of each: any pod with the Spark Connect client and the server's URL.
  clientJob(chart, 'Client', 'connect-client', server.connectUrl);
  clientJob(chart, 'NativeClient', 'connect-native-client', native.connectUrl);
  return app;
}

/** A Job running the Python client against the server at `url` (its pods labelled as the tenant admits them). */
function clientJob(chart: Chart, id: string, name: string, url: string): k8s.KubeJob {
  const labels = { ...StandardLabels.of(chart, { name: 'connect-client', component: 'client' }).all(), ...CLIENT_LABELS };
  return new k8s.KubeJob(chart, id, {
    metadata: { name, labels },
    spec: {
      // The server may still be starting: the Job retries.
      backoffLimit: 6,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: SecurityDefaults.restrictedPod({ runAsUser: 1000 }),
          containers: [{
            name: 'client',
            image: CLIENT_IMAGE,
            command: ['sh', '-c', `pip install --quiet --no-cache-dir --target /tmp/deps '${CLIENT_PACKAGE}' && python -c "$CLIENT_SCRIPT"`],
            env: [
              { name: 'SPARK_REMOTE', value: url },
              { name: 'CLIENT_SCRIPT', value: CLIENT_SCRIPT },
              { name: 'PYTHONPATH', value: '/tmp/deps' },
              { name: 'HOME', value: '/tmp' },
            ],
            resources: {
              requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('512Mi') },
              limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('512Mi') },
            },
            securityContext: SecurityDefaults.restrictedContainer({ runAsUser: 1000 }),
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  });
}

if (require.main === module) {
  buildApp().synth();
}
