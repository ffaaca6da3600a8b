// Spark jobs run by the Spark operator: a Scala batch job, a PySpark job, a
// job whose jar is downloaded when it starts, and a nightly scheduled job,
// plus the operator itself (CRDs, controller, webhook), which watches exactly
// the namespaces these jobs use.
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ConcurrencyPolicy, RestartPolicy, ScheduledSparkApplication, SparkApplication, SparkApplicationType, SparkConf, SparkImage,
  SparkMemory, SparkOperatorInstall, StandardLabels,
} from '../../src';

const SPARK = SparkImage.apache('4.0.4');

export class SparkJobsChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'spark-jobs', ...props });

    new k8s.KubeNamespace(this, 'Namespace', {
      metadata: {
        name: 'spark-jobs',
        labels: {
          ...StandardLabels.of(this, { name: 'spark-jobs', component: 'namespace' }).all(),
          'pod-security.kubernetes.io/enforce': 'restricted',
        },
      },
    });

    // The classic: estimate pi with the examples jar shipped in the image.
    new SparkApplication(this, 'SparkPi', {
      name: 'spark-pi',
      type: SparkApplicationType.SCALA,
      image: SPARK,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      arguments: ['1000'],
      executor: { instances: 2 },
      timeToLive: Duration.hours(1),
    });

    // PySpark, scaling its executors with the load.
    new SparkApplication(this, 'PySparkPi', {
      name: 'pyspark-pi',
      type: SparkApplicationType.PYTHON,
      image: SPARK,
      mainApplicationFile: 'local:///opt/spark/examples/src/main/python/pi.py',
      arguments: ['100'],
      executor: { memory: SparkMemory.gibibytes(1) },
      dynamicAllocation: { minExecutors: 1, maxExecutors: 4 },
      timeToLive: Duration.hours(1),
    });

    // A jar fetched over HTTPS when the job starts (no custom image or
    // entrypoint): Spark downloads the main jar and its extra jars itself.
    new SparkApplication(this, 'RemoteJar', {
      name: 'word-count',
      type: SparkApplicationType.JAVA,
      image: SPARK,
      mainClass: 'org.apache.spark.examples.JavaWordCount',
      mainApplicationFile: 'https://repo1.maven.org/maven2/org/apache/spark/spark-examples_2.13/3.5.7/spark-examples_2.13-3.5.7.jar',
      arguments: ['/opt/spark/README.md'],
      deps: {
        jars: ['https://repo1.maven.org/maven2/org/apache/commons/commons-text/1.12.0/commons-text-1.12.0.jar'],
      },
      restartPolicy: RestartPolicy.onFailure({ retries: 2, retryInterval: Duration.seconds(30) }),
      timeToLive: Duration.hours(1),
    });

    // Every night at 02:00 Paris time; never two runs at once.
    new ScheduledSparkApplication(this, 'Nightly', {
      name: 'nightly-pi',
      schedule: '0 2 * * *',
      timeZone: 'Europe/Paris',
      concurrencyPolicy: ConcurrencyPolicy.FORBID,
      successfulRunHistoryLimit: 3,
      failedRunHistoryLimit: 3,
      type: SparkApplicationType.SCALA,
      image: SPARK,
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '16' }),
      restartPolicy: RestartPolicy.onFailure({ retries: 1 }),
    });
  }
}

export function buildApp(app: App = new App()): App {
  const operator = new Chart(app, 'spark-operator');
  new SparkOperatorInstall(operator, 'Operator');
  const jobs = new SparkJobsChart(app, 'spark-jobs');
  // The CRDs and the webhook before the jobs.
  jobs.addDependency(operator);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
