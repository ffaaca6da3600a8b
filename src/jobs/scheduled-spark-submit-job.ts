import { Duration } from 'cdk8s';
import { k8s, EnvValue } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { guardSpecInputs } from './job-inputs';
import { checkSchedule } from './private/schedule';
import { RenderedSubmit, renderSubmit } from './private/submit/render';
import { SparkJobBase } from './spark-job-base';
import { ConcurrencyPolicy, DeployMode, SparkPodRole } from './spark-job-spec';
import { ISparkServiceAccount } from './spark-service-account';
import { SPARK_SUBMIT_JOB_NAME_MAX } from './spark-submit-job';
import { SparkSubmitJobSpecProps } from './spark-submit-job-spec';
import { check } from '../core/errors';
import { EventLogStore } from '../core/event-log-store';
import { SparkConf } from '../core/spark-conf';
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
export class ScheduledSparkSubmitJob extends SparkJobBase {
  /** The CronJob. */
  public readonly cronJob: k8s.KubeCronJob;
  /** Where the driver runs. */
  public readonly mode: DeployMode;
  /** The submit pods' ServiceAccount (cluster mode; in client mode the submit pod uses the driver's). */
  public readonly submitterServiceAccount?: k8s.KubeServiceAccount;
  /** The submit pods' Role (cluster mode). */
  public readonly role?: k8s.KubeRole;
  /** The submit pods' RoleBinding (cluster mode). */
  public readonly roleBinding?: k8s.KubeRoleBinding;
  /** The drivers' ServiceAccount. */
  public readonly driverServiceAccount: ISparkServiceAccount;
  /** The event log store, if any. */
  public readonly eventLog?: EventLogStore;
  /** The ConfigMap holding the pod templates (and the cluster-mode wrapper script). */
  public readonly configMap: k8s.KubeConfigMap;
  /** The headless Service of the client-mode driver. */
  public readonly driverService?: k8s.KubeService;
  private readonly rendered: RenderedSubmit;

  constructor(scope: Construct, id: string, props: ScheduledSparkSubmitJobProps) {
    super(scope, id, { name: props.name, namespace: props.namespace, maxNameLength: SCHEDULED_SPARK_SUBMIT_JOB_NAME_MAX, managedByOperator: false });
    checkSchedule(this, props, {
      runs: 'Jobs',
      refuseLocal: true,
      limits: { successfulJobsHistoryLimit: props.successfulJobsHistoryLimit, failedJobsHistoryLimit: props.failedJobsHistoryLimit },
    });
    const concurrencyPolicy = props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID;
    enumValue(this, 'concurrencyPolicy', concurrencyPolicy, ConcurrencyPolicy);
    check((props.mode ?? DeployMode.CLUSTER) !== DeployMode.CLIENT || concurrencyPolicy === ConcurrencyPolicy.FORBID, this, 'concurrencyPolicy',
      concurrencyPolicy, 'ConcurrencyPolicy.FORBID in client mode: overlapping runs would share the driver Service');
    const startingDeadlineSeconds = props.startingDeadline !== undefined
      ? wholeSeconds(this, 'startingDeadline', props.startingDeadline, { min: 10 }) : undefined;

    this.driverServiceAccount = this.resolveServiceAccount('the Job\'s', props.serviceAccount);
    const r = renderSubmit(this, props, { name: this.name, namespace: this.namespace, driverServiceAccount: this.driverServiceAccount });
    this.rendered = r;
    this.mode = r.mode;
    this.submitterServiceAccount = r.serviceAccount;
    this.role = r.role;
    this.roleBinding = r.roleBinding;
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
    guardSpecInputs(this, props, { clientMode: () => props.clientMode, podFailurePolicy: () => props.podFailurePolicy });
    this.registerJob();
  }

  /** The configuration passed to spark-submit (besides the per-run driver pod name), with what addSparkConf added so far. */
  public get conf(): SparkConf {
    return this.rendered.conf();
  }

  protected applyArgument(argument: string): void {
    this.rendered.addArgument(argument);
  }

  protected applySparkConf(key: string, value: string): void {
    this.rendered.addSparkConf(key, value);
  }

  protected applyEnv(role: SparkPodRole, name: string, value: EnvValue): void {
    this.rendered.addEnv(role === SparkPodRole.DRIVER ? 'driver' : 'executor', name, value);
  }
}
