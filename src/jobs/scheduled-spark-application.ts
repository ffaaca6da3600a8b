import { Construct } from 'constructs';
import { createCheckedJobObject, renderSparkApplicationSpec } from './private/operator-render';
import { checkSchedule } from './private/schedule';
import { SPARK_APPLICATION_NAME_MAX, SPARK_OPERATOR_API_VERSION } from './spark-application';
import { SparkApplicationSpecProps } from './spark-application-spec';
import { ConcurrencyPolicy } from './spark-job-spec';
import { SparkOperatorJobBase } from './spark-operator-job-base';
import { SCHEDULED_SPARK_APPLICATION_SPEC } from '../operator/model/spark-application-model';

/**
 * The longest ScheduledSparkApplication name: each run is a SparkApplication
 * named `<name>-<timestamp>`, the timestamp taking up to 19 digits (Unix
 * nanoseconds, the operator's longest precision), and the run's name must
 * itself fit {@link SPARK_APPLICATION_NAME_MAX}.
 */
export const SCHEDULED_SPARK_APPLICATION_NAME_MAX = SPARK_APPLICATION_NAME_MAX - '-'.length - 19;

/**
 * Properties of {@link ScheduledSparkApplication}.
 */
export interface ScheduledSparkApplicationProps extends SparkApplicationSpecProps {
  /**
   * Name of the scheduled application: a DNS-1035 label of at most 36
   * characters (runs append a timestamp, then the operator `-ui-svc`).
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * When to run: five cron fields (`minute hour day-of-month month day-of-week`),
   * or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`, `@annually`,
   * `@midnight`, `@every <Go duration>`.
   */
  readonly schedule: string;
  /**
   * IANA time zone the schedule is read in.
   * @default - the operator's local time zone (UTC in its image)
   */
  readonly timeZone?: string;
  /**
   * What happens when a run is due while the previous one runs.
   * @default ConcurrencyPolicy.FORBID (a batch job overlapping itself usually corrupts its output)
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Stop starting runs.
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * Successful runs kept.
   * @default - the operator's default (1)
   */
  readonly successfulRunHistoryLimit?: number;
  /**
   * Failed runs kept.
   * @default - the operator's default (1)
   */
  readonly failedRunHistoryLimit?: number;
}

/**
 * A Spark job the operator runs on a cron schedule: a
 * `sparkoperator.k8s.io/v1beta2` ScheduledSparkApplication whose template is
 * rendered and checked exactly like a {@link SparkApplication}.
 *
 * @example
 * new ScheduledSparkApplication(chart, 'Nightly', {
 *   namespace: 'spark-jobs',
 *   schedule: '0 2 * * *',
 *   timeZone: 'Europe/Paris',
 *   concurrencyPolicy: ConcurrencyPolicy.FORBID,
 *   type: SparkApplicationType.SCALA,
 *   mainClass: 'org.apache.spark.examples.SparkPi',
 *   mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
 * });
 */
export class ScheduledSparkApplication extends SparkOperatorJobBase {
  constructor(scope: Construct, id: string, props: ScheduledSparkApplicationProps) {
    super(scope, id, { name: props.name, maxNameLength: SCHEDULED_SPARK_APPLICATION_NAME_MAX, spec: props });
    checkSchedule(this, props, {
      runs: 'runs',
      limits: { successfulRunHistoryLimit: props.successfulRunHistoryLimit, failedRunHistoryLimit: props.failedRunHistoryLimit },
    });

    const template = renderSparkApplicationSpec(this, props, this.serviceAccount);
    this.adoptResource(createCheckedJobObject(this, {
      apiVersion: SPARK_OPERATOR_API_VERSION,
      kind: 'ScheduledSparkApplication',
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone,
        concurrencyPolicy: props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID,
        suspend: props.suspend,
        successfulRunHistoryLimit: props.successfulRunHistoryLimit,
        failedRunHistoryLimit: props.failedRunHistoryLimit,
        template,
      },
    }, SCHEDULED_SPARK_APPLICATION_SPEC, (spec) => spec?.template));
    this.registerJob();
  }
}
