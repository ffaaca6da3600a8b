import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { cronProblem, timeZoneProblem } from '../core/cron';
import { renderSubmit, wholeSeconds } from './private/submit/render';
import { ConcurrencyPolicy } from './scheduled-spark-application';
import { DeployMode } from './spark-application';
import { ISparkJob, SparkJobs } from './spark-job';
import { SparkServiceAccount } from './spark-service-account';
import { SPARK_SUBMIT_JOB_NAME_MAX, SparkSubmitJobSpecProps } from './spark-submit-job';
import { check } from '../core/errors';
import { EventLogStore } from '../core/event-log-store';
import { SparkConf } from '../core/spark-conf';

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
export class ScheduledSparkSubmitJob extends Construct implements ISparkJob {
  /** The CronJob. */
  public readonly cronJob: k8s.KubeCronJob;
  /** Name of the CronJob and of the Spark application. */
  public readonly name: string;
  /** Namespace of the CronJob. */
  public readonly namespace: string;
  /** The namespace the drivers and executors run in (same as `namespace`). */
  public readonly jobNamespace: string;
  /** Always false: spark-submit runs it, not the operator. */
  public readonly managedByOperator = false;
  /** Where the driver runs. */
  public readonly mode: DeployMode;
  /** The submit pods' ServiceAccount (cluster mode; in client mode the submit pod uses the driver's). */
  public readonly submitterServiceAccount?: k8s.KubeServiceAccount;
  /** The submit pods' Role (cluster mode). */
  public readonly role?: k8s.KubeRole;
  /** The submit pods' RoleBinding (cluster mode). */
  public readonly roleBinding?: k8s.KubeRoleBinding;
  /** The drivers' ServiceAccount. */
  public readonly driverServiceAccount: SparkServiceAccount;
  /** The configuration passed to spark-submit (besides the per-run driver pod name). */
  public readonly conf: SparkConf;
  /** The event log store, if any. */
  public readonly eventLog?: EventLogStore;
  /** The ConfigMap holding the pod templates (and the cluster-mode wrapper script). */
  public readonly configMap: k8s.KubeConfigMap;
  /** The headless Service of the client-mode driver. */
  public readonly driverService?: k8s.KubeService;

  constructor(scope: Construct, id: string, props: ScheduledSparkSubmitJobProps) {
    super(scope, id);
    const cron = cronProblem(props.schedule);
    check(cron === undefined, this, 'schedule', props.schedule, cron!);
    if (props.timeZone !== undefined) {
      const tz = props.timeZone === 'Local' ? 'an explicit IANA time zone name; Kubernetes refuses "Local"' : timeZoneProblem(props.timeZone);
      check(tz === undefined, this, 'timeZone', props.timeZone, tz!);
    }
    for (const [property, value] of [['successfulJobsHistoryLimit', props.successfulJobsHistoryLimit], ['failedJobsHistoryLimit', props.failedJobsHistoryLimit]] as const) {
      check(value === undefined || (Number.isInteger(value) && value >= 0), this, property, value, 'a whole number of Jobs, at least 0');
    }
    const concurrencyPolicy = props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID;
    check(Object.values(ConcurrencyPolicy).includes(concurrencyPolicy), this, 'concurrencyPolicy', concurrencyPolicy,
      'ConcurrencyPolicy.ALLOW, FORBID or REPLACE');
    check((props.mode ?? DeployMode.CLUSTER) !== DeployMode.CLIENT || concurrencyPolicy === ConcurrencyPolicy.FORBID, this, 'concurrencyPolicy',
      concurrencyPolicy, 'ConcurrencyPolicy.FORBID in client mode: overlapping runs would share the driver Service');
    const startingDeadlineSeconds = props.startingDeadline !== undefined
      ? wholeSeconds(this, 'startingDeadline', props.startingDeadline, 10) : undefined;

    const r = renderSubmit(this, props, SCHEDULED_SPARK_SUBMIT_JOB_NAME_MAX);
    this.name = r.name;
    this.namespace = r.namespace;
    this.jobNamespace = r.namespace;
    this.mode = r.mode;
    this.submitterServiceAccount = r.serviceAccount;
    this.role = r.role;
    this.roleBinding = r.roleBinding;
    this.driverServiceAccount = r.driverServiceAccount;
    this.conf = r.conf;
    this.eventLog = props.eventLog;
    this.configMap = r.configMap;
    this.driverService = r.driverService;

    this.cronJob = new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: r.labels },
      spec: {
        schedule: props.schedule.trim(),
        timeZone: props.timeZone,
        concurrencyPolicy,
        suspend: props.suspend,
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit ?? 1,
        startingDeadlineSeconds,
        jobTemplate: { metadata: { labels: r.labels }, spec: r.jobSpec },
      },
    });
    SparkJobs.register(this);
  }
}
