import { IConstruct } from 'constructs';

/** Whether a Spark workload runs to an end or serves until stopped. */
export enum SparkJobKind {
  /** A batch job: it runs, ends, and its outcome is the application's. */
  BATCH = 'batch',
  /** A long-running service (e.g. the Thrift server): it runs until stopped. */
  SERVICE = 'service',
}

/**
 * A Spark workload of any kind (operator `SparkApplication`,
 * `ScheduledSparkApplication`, native `spark-submit` Job, standalone submit,
 * Thrift server): what the rest of the platform needs to know about it to
 * serve it.
 */
export interface ISparkJob extends IConstruct {
  /** The namespace the job's driver and executors run in. */
  readonly jobNamespace: string;

  /**
   * True when the Spark operator runs this job (it must then watch the job's
   * namespace); false for jobs submitted with `spark-submit` directly.
   */
  readonly managedByOperator: boolean;

  /**
   * A batch job or a long-running service: sync waves put services with the
   * other services, batch jobs after them.
   * @default SparkJobKind.BATCH
   */
  readonly jobKind?: SparkJobKind;
}
