import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkSchedule } from './private/schedule';
import { ConcurrencyPolicy, DeployMode } from './spark-job-spec';
import { SPARK_SUBMIT_JOB_NAME_MAX } from './spark-submit-job';
import { SparkSubmitJobBase } from './spark-submit-job-base';
import { SparkSubmitJobSpecProps } from './spark-submit-job-spec';
import { check } from '../core/errors';
import { enumValue, wholeSeconds } from '../core/validate';

/**
 * The longest ScheduledSparkSubmitJob name: the CronJob names each run's Job
 * `<name>-<minutes since the epoch>` (8 digits until the year 2160), which
 * must itself fit {@link SPARK_SUBMIT_JOB_NAME_MAX}.
 */
export const SCHEDULED_SPARK_SUBMIT_JOB_NAME_MAX = SPARK_SUBMIT_JOB_NAME_MAX - '-'.length - 8;

/** Properties of {@link ScheduledSparkSubmitJob}. */
export interface ScheduledSparkSubmitJobProps extends SparkSubmitJobSpecProps {
  /**
   * Name of the CronJob (and of `spark.app.name`): a DNS-1035 label of at
   * most 41 characters.
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * When to run: five cron fields (`minute hour day-of-month month day-of-week`),
   * or `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`, `@annually`,
   * `@midnight`, `@every <Go duration>` (what the CronJob controller's parser takes).
   */
  readonly schedule: string;
  /**
   * IANA time zone the schedule is read in.
   * @default - the time zone of the kube-controller-manager
   */
  readonly timeZone?: string;
  /**
   * What happens when a run is due while the previous one still runs. Client
   * mode requires FORBID: two drivers would share the driver Service.
   * @default ConcurrencyPolicy.FORBID (a batch job overlapping itself usually corrupts its output)
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * Stop starting runs.
   * @default false
   */
  readonly suspend?: boolean;
  /**
   * Finished successful Jobs kept (with their driver pods, for the logs).
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Failed Jobs kept (with their driver pods, for the logs).
   * @default 1
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * How late a missed run may still start (whole seconds, at least 10: the
   * controller checks schedules every 10 seconds).
   * @default - no deadline
   */
  readonly startingDeadline?: Duration;
}

/**
 * A {@link SparkSubmitJob} on a cron schedule: a Kubernetes CronJob whose Job
 * template submits the application exactly like a SparkSubmitJob. Each run
 * names its driver pod after its own submit pod, so runs never collide.
 */
export class ScheduledSparkSubmitJob extends SparkSubmitJobBase {
  /** The CronJob. */
  public readonly cronJob: k8s.KubeCronJob;

  constructor(scope: Construct, id: string, props: ScheduledSparkSubmitJobProps) {
    super(scope, id, { name: props.name, maxNameLength: SCHEDULED_SPARK_SUBMIT_JOB_NAME_MAX, spec: props });
    checkSchedule(this, props, {
      runs: 'Jobs',
      refuseLocal: true,
      limits: { successfulJobsHistoryLimit: props.successfulJobsHistoryLimit, failedJobsHistoryLimit: props.failedJobsHistoryLimit },
    });
    const concurrencyPolicy = props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID;
    enumValue(this, 'concurrencyPolicy', concurrencyPolicy, ConcurrencyPolicy);
    check(this.mode !== DeployMode.CLIENT || concurrencyPolicy === ConcurrencyPolicy.FORBID, this, 'concurrencyPolicy',
      concurrencyPolicy, 'ConcurrencyPolicy.FORBID in client mode: overlapping runs would share the driver Service');
    const startingDeadlineSeconds = props.startingDeadline !== undefined
      ? wholeSeconds(this, 'startingDeadline', props.startingDeadline, { min: 10 }) : undefined;

    this.cronJob = new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: this.submitLabels },
      spec: {
        schedule: props.schedule.trim(),
        timeZone: props.timeZone,
        concurrencyPolicy,
        suspend: props.suspend,
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit ?? 1,
        startingDeadlineSeconds,
        jobTemplate: { metadata: { labels: this.submitLabels }, spec: this.submitJobSpec },
      },
    });
    this.registerJob();
  }
}
