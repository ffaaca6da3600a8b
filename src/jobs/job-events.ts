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

/** The job events of one app. */
interface JobEvents {
  readonly jobListeners: Listener[];
  // Namespaces declared for operator-managed jobs before any job exists there
  // (tenants): the operator watches them like the namespaces of its jobs.
  readonly declared: DeclaredJobNamespace[];
  readonly namespaceListeners: NamespaceListener[];
}

const EVENTS = new AppSlot<JobEvents>('job-events', () => ({ jobListeners: [], declared: [], namespaceListeners: [] }));

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
