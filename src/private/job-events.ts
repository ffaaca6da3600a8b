import { IConstruct } from 'constructs';
import type { ISparkJob } from '../spark-job';

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
