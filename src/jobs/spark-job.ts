import { IConstruct } from 'constructs';
import { declaredJobNamespaces, declareJobNamespace, notifyJobRegistered } from './job-events';
import { ISparkJob } from './spark-job-kind';
import { AppSlot } from '../core/app-context';
import { attachClusterModel } from '../core/cluster-model';
import { DnsNames } from '../core/names';

/**
 * The registry of Spark jobs in an app. Jobs register themselves on
 * creation; the operator derives the namespaces it watches from it, tenants
 * find their jobs in it.
 */
export class SparkJobs {
  /** Registers a job. Jobs call this from their constructor. */
  public static register(job: ISparkJob): void {
    const jobs = JOBS.of(job);
    if (jobs.set.has(job)) {
      return;
    }
    jobs.set.add(job);
    attachClusterModel(job);
    jobs.list.push(job);
    notifyJobRegistered(job);
  }

  /** All jobs in the app that contains `scope`, in registration order. */
  public static all(scope: IConstruct): ISparkJob[] {
    return [...JOBS.of(scope).list];
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
   * @jsii suppress reserved-word see docs/jsii-languages.md
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

/** The app's jobs, in registration order, and as a set for an O(1) duplicate test (an app may hold thousands). */
const JOBS = new AppSlot('spark-jobs', () => ({ list: [] as ISparkJob[], set: new Set<ISparkJob>() }));
