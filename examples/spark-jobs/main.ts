// Spark jobs run by the Spark operator: a Scala batch job, a PySpark job, a
// job whose jar is downloaded when it starts, and a nightly scheduled job.
// The operator and its CRDs come from the platform; this app only holds jobs.
import { App, Chart, ChartProps, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ConcurrencyPolicy, RestartPolicy, ScheduledSparkApplication, SparkApplication, SparkApplicationType, SparkConf, SparkImage,
  SparkMemory,
} from '../../src';

const SPARK = SparkImage.apache('4.0.4');

export class SparkJobsChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'spark-jobs', ...props });

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
  new SparkJobsChart(app, 'spark-jobs');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
