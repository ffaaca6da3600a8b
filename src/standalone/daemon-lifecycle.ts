/**
 * Commands run in a standalone daemon's container (master or worker) when
 * it starts and before it stops: exec hooks, each a command and its
 * arguments, run as the daemon's user with its environment.
 */
export interface DaemonLifecycleHooks {
  /**
   * Run right after the container starts, next to the daemon (not before
   * it): the container counts as started only once it ends, and is
   * restarted if it fails.
   * @default - none
   */
  readonly postStart?: string[];
  /**
   * Run before the container gets SIGTERM (e.g. to wait for a worker's
   * executors to finish), within the pod's grace period
   * (`pod.terminationGracePeriod`), after which the container is killed.
   * @default - none
   */
  readonly preStop?: string[];
}
