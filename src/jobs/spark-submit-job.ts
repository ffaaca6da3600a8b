import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EXIT_DRIVER_FAILED, EXIT_OUTCOME_UNKNOWN } from './private/submit/script';
import { SparkSubmitJobBase } from './spark-submit-job-base';
import { SparkSubmitJobSpecProps } from './spark-submit-job-spec';

/**
 * The longest SparkSubmitJob name. The submit pod is named
 * `<job>-<5 random characters>` and the driver pod `<submit pod>-driver`,
 * which must stay a DNS label of at most 63 characters.
 */
export const SPARK_SUBMIT_JOB_NAME_MAX = 63 - '-driver'.length - '-xxxxx'.length;

/** Properties of {@link SparkSubmitJob}. */
export interface SparkSubmitJobProps extends SparkSubmitJobSpecProps {
  /**
   * Name of the Job (and of `spark.app.name`): a DNS-1035 label of at most
   * 50 characters.
   * @default - derived from the construct path
   */
  readonly name?: string;
}

/**
 * A Spark application submitted with `spark-submit` from a Kubernetes Job,
 * without the Spark operator: one submit pod per run, talking to the
 * in-cluster API server.
 *
 * In cluster mode the submit pod (its own least-privilege ServiceAccount)
 * creates the driver pod and waits for it, then exits non-zero when the
 * driver failed, so the Job's status is the application's. The driver pod is
 * owned by the submit pod and the executors by the driver, so deleting the Job
 * cleans up everything. In client mode the submit pod is the driver, reached
 * by its executors through a headless Service.
 *
 * Driver and executor pods get restricted security contexts through pod
 * templates kept in a ConfigMap.
 *
 * @example
 * new SparkSubmitJob(chart, 'Pi', {
 *   namespace: 'spark-jobs',
 *   type: SparkApplicationType.SCALA,
 *   mainClass: 'org.apache.spark.examples.SparkPi',
 *   mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
 *   eventLog: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs'),
 *   activeDeadline: Duration.hours(1),
 * });
 */
export class SparkSubmitJob extends SparkSubmitJobBase {
  /** Exit code of the submit pod when the driver pod failed (cluster mode). */
  public static readonly EXIT_DRIVER_FAILED: number = EXIT_DRIVER_FAILED;
  /** Exit code of the submit pod when the driver's outcome could not be read (cluster mode). */
  public static readonly EXIT_OUTCOME_UNKNOWN: number = EXIT_OUTCOME_UNKNOWN;

  /** The Job. */
  public readonly job: k8s.KubeJob;

  constructor(scope: Construct, id: string, props: SparkSubmitJobProps) {
    super(scope, id, { name: props.name, maxNameLength: SPARK_SUBMIT_JOB_NAME_MAX, spec: props });
    this.job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: this.submitLabels },
      spec: this.submitJobSpec,
    });
    this.registerJob();
  }
}
