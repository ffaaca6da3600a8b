import { Size, SizeRoundingBehavior } from 'cdk8s';
import { SparkMemory } from '../../core/spark-memory';

/**
 * The memory a standalone worker container holds, from the bottom up:
 *
 *  - the worker daemon's heap (`SPARK_DAEMON_MEMORY`) and that JVM's own
 *    non-heap memory, sized like Spark sizes any JVM's overhead
 *    (max(10 %, 384 MiB));
 *  - the executors' heaps, which is what `SPARK_WORKER_MEMORY` hands out;
 *  - the executors' non-heap memory. Standalone Spark does not count it (only
 *    `-Xmx` is charged against the worker), so the container must hold it on
 *    top: Spark's executor overhead rule applied to the whole worker memory,
 *    which is exact for one executor per worker (the default: an application
 *    gets one executor per worker holding all its cores).
 */
export interface WorkerMemoryBudget {
  readonly workerMemory: SparkMemory;
  readonly daemonMemory: SparkMemory;
  readonly daemonOverhead: SparkMemory;
  readonly executorOverhead: SparkMemory;
  /** What the container needs at least, in MiB. */
  readonly totalMib: number;
}

/** The budget of a worker offering `workerMemory` to executors. */
export function workerBudget(workerMemory: SparkMemory, daemonMemory: SparkMemory): WorkerMemoryBudget {
  const daemonOverhead = SparkMemory.overheadFor(daemonMemory);
  const executorOverhead = SparkMemory.overheadFor(workerMemory);
  return {
    workerMemory,
    daemonMemory,
    daemonOverhead,
    executorOverhead,
    totalMib: workerMemory.toMebibytes() + executorOverhead.toMebibytes()
      + daemonMemory.toMebibytes() + daemonOverhead.toMebibytes(),
  };
}

/**
 * The largest worker memory (MiB) whose budget fits `containerMib`, or
 * undefined when not even 1 MiB fits.
 */
export function largestWorkerMemory(containerMib: number, daemonMemory: SparkMemory): number | undefined {
  const fits = (mib: number) => workerBudget(SparkMemory.mebibytes(mib), daemonMemory).totalMib <= containerMib;
  if (containerMib < 1 || !fits(1)) {
    return undefined;
  }
  // The budget grows with the worker memory: binary search.
  let lo = 1;
  let hi = containerMib;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

/** A Size in whole MiB (rounded down: a limit of 1.5 MiB holds 1 MiB). */
export function floorMebibytes(size: Size): number {
  return Math.floor(size.toMebibytes({ rounding: SizeRoundingBehavior.NONE }));
}

/** Describes a budget for error messages. */
export function describeBudget(budget: WorkerMemoryBudget): string {
  return `${budget.workerMemory.toSparkString()} for executors + ${budget.executorOverhead.toSparkString()} `
    + `executor JVM overhead + ${budget.daemonMemory.toSparkString()} worker daemon heap + `
    + `${budget.daemonOverhead.toSparkString()} daemon JVM overhead = ${budget.totalMib} MiB`;
}
