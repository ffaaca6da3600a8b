import { IConstruct } from 'constructs';
import { declaredJobNamespaces, declareJobNamespace, notifyJobRegistered } from './job-events';
import { attachClusterModel } from '../core/cluster-model';
import { DnsNames } from '../core/names';
import { PerApp } from '../core/per-app';

/**
 * A Spark job of any kind (operator `SparkApplication`, `ScheduledSparkApplication`,
 * native `spark-submit` Job): what the rest of the platform needs to know
 * about it to serve it.
 */
export interface ISparkJob extends IConstruct {
  /** The namespace the job's driver and executors run in. */
  readonly jobNamespace: string;

  /**
   * True when the Spark operator runs this job (it must then watch the job's
   * namespace); false for jobs submitted with `spark-submit` directly.
   */
  readonly managedByOperator: boolean;
}

/**
 * The registry of Spark jobs in an app. Jobs register themselves on
 * creation; the operator derives the namespaces it watches from it, tenants
 * find their jobs in it.
 */
export class SparkJobs {
  /** Registers a job. Jobs call this from their constructor. */
  public static register(job: ISparkJob): void {
    if (registered.has(job)) {
      return;
    }
    registered.add(job);
    attachClusterModel(job);
    JOBS.of(job).push(job);
    notifyJobRegistered(job);
  }

  /** All jobs in the app that contains `scope`, in registration order. */
  public static all(scope: IConstruct): ISparkJob[] {
    return [...JOBS.of(scope)];
  }

  /** The sorted, distinct namespaces of the operator-managed jobs in the app containing `scope`. */
  public static operatorNamespaces(scope: IConstruct): string[] {
    const namespaces = SparkJobs.all(scope).filter((j) => j.managedByOperator).map((j) => j.jobNamespace);
    return [...new Set(namespaces)].sort();
  }

  /**
   * Declares `namespace` as a namespace where the Spark operator runs jobs,
   * before (or without) any job there: an operator install that derives its
   * namespaces from the app watches it and grants its Roles there, and an
   * install with an explicit `jobNamespaces` list that leaves it out fails
   * synthesis. Tenants call this. Idempotent.
   *
   * @param scope the declaring construct (named in errors)
   * @param namespace the namespace
   */
  public static declareNamespace(scope: IConstruct, namespace: string): void {
    DnsNames.validateLabel(scope, 'namespace', namespace);
    declareJobNamespace(scope, namespace);
  }

  /** The sorted, distinct namespaces declared with {@link SparkJobs.declareNamespace} in the app containing `scope`. */
  public static declaredNamespaces(scope: IConstruct): string[] {
    return [...new Set(declaredJobNamespaces(scope).map((d) => d.namespace))].sort();
  }

  private constructor() {}
}

/** The app's jobs, in registration order. */
const JOBS = new PerApp<ISparkJob[]>(() => []);
// Registered jobs, for an O(1) duplicate test (an app may hold thousands).
const registered = new WeakSet<ISparkJob>();
