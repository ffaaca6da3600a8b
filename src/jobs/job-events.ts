import { IConstruct } from 'constructs';
import type { ISparkJob } from './spark-job';

// Constructs that serve jobs (the operator install, tenants) hear about jobs
// declared after them, so declaration order in an app does not matter.
// Internal: jsii cannot express callbacks in the public API.

type Listener = (job: ISparkJob) => void;
const listeners = new WeakMap<IConstruct, Listener[]>();

/** Calls `listener` for every job registered later in the app that contains `scope`. */
export function onJobRegistered(scope: IConstruct, listener: Listener): void {
  const root = scope.node.root;
  listeners.set(root, [...(listeners.get(root) ?? []), listener]);
}

export function notifyJobRegistered(job: ISparkJob): void {
  for (const listener of listeners.get(job.node.root) ?? []) {
    listener(job);
  }
}

// Namespaces declared for operator-managed jobs before any job exists there
// (tenants): the operator watches them like the namespaces of its jobs.

/** A namespace declared for operator-managed jobs, and the construct that declared it. */
export interface DeclaredJobNamespace {
  readonly namespace: string;
  readonly declaredBy: IConstruct;
}

type NamespaceListener = (declared: DeclaredJobNamespace) => void;
const declared = new WeakMap<IConstruct, DeclaredJobNamespace[]>();
const namespaceListeners = new WeakMap<IConstruct, NamespaceListener[]>();

/** Records a declaration and tells the listeners of the app (idempotent per namespace and declarer). */
export function declareJobNamespace(declaredBy: IConstruct, namespace: string): void {
  const root = declaredBy.node.root;
  const list = declared.get(root) ?? [];
  if (list.some((d) => d.namespace === namespace && d.declaredBy === declaredBy)) {
    return;
  }
  const entry = { namespace, declaredBy };
  declared.set(root, [...list, entry]);
  for (const listener of namespaceListeners.get(root) ?? []) {
    listener(entry);
  }
}

/** The declarations in the app that contains `scope`, in declaration order. */
export function declaredJobNamespaces(scope: IConstruct): DeclaredJobNamespace[] {
  return [...(declared.get(scope.node.root) ?? [])];
}

/** Calls `listener` for every namespace declared later in the app that contains `scope`. */
export function onJobNamespaceDeclared(scope: IConstruct, listener: NamespaceListener): void {
  const root = scope.node.root;
  namespaceListeners.set(root, [...(namespaceListeners.get(root) ?? []), listener]);
}
