import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { cronProblem, timeZoneProblem } from '../core/cron';
import { check } from '../core/errors';
import { createCheckedJobObject, renderSparkApplicationSpec, resolveJobIdentity } from './private/operator-render';
import { SPARK_APPLICATION_NAME_MAX, SPARK_OPERATOR_API_VERSION, SparkApplicationSpecProps } from './spark-application';
import { ISparkJob, SparkJobs } from './spark-job';
import { SparkServiceAccount } from './spark-service-account';
import { SCHEDULED_SPARK_APPLICATION_SPEC } from '../operator/model/spark-application-model';

/**
 * The longest ScheduledSparkApplication name: each run is a SparkApplication
 * named `<name>-<timestamp>`, the timestamp taking up to 19 digits (Unix
 * nanoseconds, the operator's longest precision), and the run's name must
 * itself fit {@link SPARK_APPLICATION_NAME_MAX}.
 */
export const SCHEDULED_SPARK_APPLICATION_NAME_MAX = SPARK_APPLICATION_NAME_MAX - '-'.length - 19;

/** What happens when a run is due while the previous one is still running. */
export enum ConcurrencyPolicy {
  /** Start it anyway; runs may overlap. */
  ALLOW = 'Allow',
  /** Skip it. */
  FORBID = 'Forbid',
  /** Stop the running one and start the new one. */
  REPLACE = 'Replace',
}

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
 */
export class ScheduledSparkApplication extends Construct implements ISparkJob {
  /** The ScheduledSparkApplication object. */
  public readonly apiObject: ApiObject;
  /** Name of the scheduled application. */
  public readonly name: string;
  /** Namespace of the scheduled application and its runs. */
  public readonly namespace: string;
  /** The namespace the runs' drivers and executors run in. */
  public readonly jobNamespace: string;
  /** Always true: the operator runs it. */
  public readonly managedByOperator = true;
  /** The drivers' ServiceAccount. */
  public readonly serviceAccount: SparkServiceAccount;

  constructor(scope: Construct, id: string, props: ScheduledSparkApplicationProps) {
    super(scope, id);
    ({ name: this.name, namespace: this.namespace, serviceAccount: this.serviceAccount }
      = resolveJobIdentity(this, props, SCHEDULED_SPARK_APPLICATION_NAME_MAX));
    this.jobNamespace = this.namespace;

    const cron = cronProblem(props.schedule);
    check(cron === undefined, this, 'schedule', props.schedule, cron!);
    if (props.timeZone !== undefined) {
      const tz = timeZoneProblem(props.timeZone);
      check(tz === undefined, this, 'timeZone', props.timeZone, tz!);
    }
    for (const [property, value] of [['successfulRunHistoryLimit', props.successfulRunHistoryLimit], ['failedRunHistoryLimit', props.failedRunHistoryLimit]] as const) {
      check(value === undefined || (Number.isInteger(value) && value >= 0), this, property, value, 'a whole number of runs, at least 0');
    }

    const template = renderSparkApplicationSpec(this, props, this.serviceAccount);
    this.apiObject = createCheckedJobObject(this, {
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
    }, SCHEDULED_SPARK_APPLICATION_SPEC, (spec) => spec?.template);
    SparkJobs.register(this);
  }
}
