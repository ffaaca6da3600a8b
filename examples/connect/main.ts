// Spark Connect: one shared Spark driver, run by the Spark operator, that
// clients drive remotely through the DataFrame API over gRPC (port 15002) —
// here a Job with the lightweight Python client. The server lives in an
// isolated tenant namespace: its executors come and go with the load, and
// only the client's pods may dial the server.
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  NetworkPeer, SecurityDefaults, SparkConnectServer, SparkImage, SparkMemory, SparkOperatorInstall, SparkTenant, StandardLabels,
  TenantApiServerAccess, TenantEgress, TenantIngress,
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

  // A client: any pod with the Spark Connect client and the server's URL.
  const labels = { ...StandardLabels.of(chart, { name: 'connect-client', component: 'client' }).all(), ...CLIENT_LABELS };
  new k8s.KubeJob(chart, 'Client', {
    metadata: { name: 'connect-client', labels },
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
              { name: 'SPARK_REMOTE', value: server.connectUrl },
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
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
