import { IConstruct } from 'constructs';
import type { ISparkJob } from './spark-job-kind';
import { AppSlot } from '../core/app-context';

// Constructs that serve jobs (the operator install, tenants) hear about jobs
// declared after them, so declaration order in an app does not matter.
// Internal: jsii cannot express callbacks in the public API.

type Listener = (job: ISparkJob) => void;

/** A namespace declared for operator-managed jobs, and the construct that declared it. */
export interface DeclaredJobNamespace {
  readonly namespace: string;
  readonly declaredBy: IConstruct;
}

type NamespaceListener = (declared: DeclaredJobNamespace) => void;

/**
 * What an operator-managed job asks of the Services and Ingresses its
 * operator creates for the Spark UI (its `uiService` and `uiIngress`
 * props): the operator installed by the app checks that it creates them.
 */
export interface JobUiNeeds {
  readonly job: ISparkJob;
  /** The job sets options of the UI Service. */
  readonly service: boolean;
  /** The job sets options of the UI Ingress. */
  readonly ingress: boolean;
}

/** The job events of one app. */
interface JobEvents {
  readonly jobListeners: Listener[];
  // Namespaces declared for operator-managed jobs before any job exists there
  // (tenants): the operator watches them like the namespaces of its jobs.
  readonly declared: DeclaredJobNamespace[];
  readonly namespaceListeners: NamespaceListener[];
  readonly uiNeeds: JobUiNeeds[];
}

const EVENTS = new AppSlot<JobEvents>('job-events', () => ({ jobListeners: [], declared: [], namespaceListeners: [], uiNeeds: [] }));

/** Calls `listener` for every job registered later in the app that contains `scope`. */
export function onJobRegistered(scope: IConstruct, listener: Listener): void {
  EVENTS.of(scope).jobListeners.push(listener);
}

export function notifyJobRegistered(job: ISparkJob): void {
  // A listener may register another listener: only those present now hear this job.
  for (const listener of [...EVENTS.of(job).jobListeners]) {
    listener(job);
  }
}

/** Records a declaration and tells the listeners of the app (idempotent per namespace and declarer). */
export function declareJobNamespace(declaredBy: IConstruct, namespace: string): void {
  const events = EVENTS.of(declaredBy);
  if (events.declared.some((d) => d.namespace === namespace && d.declaredBy === declaredBy)) {
    return;
  }
  const entry = { namespace, declaredBy };
  events.declared.push(entry);
  for (const listener of [...events.namespaceListeners]) {
    listener(entry);
  }
}

/** The declarations in the app that contains `scope`, in declaration order. */
export function declaredJobNamespaces(scope: IConstruct): DeclaredJobNamespace[] {
  return [...EVENTS.of(scope).declared];
}

/** Calls `listener` for every namespace declared later in the app that contains `scope`. */
export function onJobNamespaceDeclared(scope: IConstruct, listener: NamespaceListener): void {
  EVENTS.of(scope).namespaceListeners.push(listener);
}

/** Records what a job asks of its operator's UI Services and Ingresses (once, from the job's constructor). */
export function declareJobUiNeeds(needs: JobUiNeeds): void {
  EVENTS.of(needs.job).uiNeeds.push(needs);
}

/** The UI needs of the jobs in the app that contains `scope`. */
export function jobUiNeeds(scope: IConstruct): JobUiNeeds[] {
  return [...EVENTS.of(scope).uiNeeds];
}
