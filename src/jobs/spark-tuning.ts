import { Duration, Size } from 'cdk8s';
import { SparkDynamicAllocation } from './spark-job-spec';
import { check } from '../core/errors';
import { SparkConf } from '../core/spark-conf';
import { kibibytes } from '../core/validate';

/**
 * Adaptive query execution (AQE): Spark SQL re-plans a query between stages
 * from the sizes it has measured. On by default since Spark 3.2; these
 * options set its main knobs explicitly.
 */
export interface AdaptiveQueryExecution {
  /**
   * `spark.sql.adaptive.enabled`. When false, no other option may be set
   * (Spark would ignore it).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * `spark.sql.adaptive.coalescePartitions.enabled`: merge small shuffle
   * partitions into partitions of about `advisoryPartitionSize`.
   * @default - Spark's default (true)
   */
  readonly coalescePartitions?: boolean;
  /**
   * `spark.sql.adaptive.advisoryPartitionSizeInBytes`: the target size of a
   * shuffle partition after coalescing, and of the parts a skewed partition is split into.
   * @default - Spark's default (64 MiB)
   */
  readonly advisoryPartitionSize?: Size;
  /**
   * `spark.sql.adaptive.coalescePartitions.minPartitionSize`: coalesced
   * partitions are never smaller than this.
   * @default - Spark's default (1 MiB)
   */
  readonly minPartitionSize?: Size;
  /**
   * `spark.sql.adaptive.coalescePartitions.initialPartitionNum`: the number
   * of shuffle partitions before coalescing.
   * @default - `spark.sql.shuffle.partitions`
   */
  readonly initialPartitionNum?: number;
  /**
   * `spark.sql.adaptive.skewJoin.enabled`: split skewed partitions of sort-merge joins.
   * @default - Spark's default (true)
   */
  readonly skewJoin?: boolean;
  /**
   * `spark.sql.adaptive.skewJoin.skewedPartitionFactor`: a partition is
   * skewed when it is this many times larger than the median (and larger
   * than `skewedPartitionThreshold`).
   * @default - Spark's default (5)
   */
  readonly skewedPartitionFactor?: number;
  /**
   * `spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes`.
   * @default - Spark's default (256 MiB)
   */
  readonly skewedPartitionThreshold?: Size;
}

/**
 * Dynamic allocation of executors, in Spark's own configuration keys (for
 * drivers this library starts with `spark-submit`). Shuffle tracking is
 * always on: Kubernetes has no external shuffle service.
 */
export interface ExecutorDynamicAllocation extends SparkDynamicAllocation {
  /**
   * `spark.dynamicAllocation.executorIdleTimeout`: an executor without tasks
   * (and without shuffle data or cached blocks) is removed after this long.
   * @default - Spark's default (60 s)
   */
  readonly executorIdleTimeout?: Duration;
  /**
   * `spark.dynamicAllocation.cachedExecutorIdleTimeout`: the same for
   * executors holding cached blocks (`CACHE TABLE`).
   * @default - Spark's default (kept as long as the blocks are cached)
   */
  readonly cachedExecutorIdleTimeout?: Duration;
  /**
   * `spark.dynamicAllocation.schedulerBacklogTimeout`: tasks waiting this
   * long make Spark ask for more executors.
   * @default - Spark's default (1 s)
   */
  readonly schedulerBacklogTimeout?: Duration;
}

/**
 * Typed Spark tuning settings rendered to {@link SparkConf}: adaptive query
 * execution and dynamic allocation. Each key is set only when its option is
 * given, so Spark's defaults stay in force otherwise.
 */
export class SparkTuning {
  /**
   * The configuration of adaptive query execution.
   * @param options the options
   * @param source who sets them, named in conf conflict errors
   */
  public static adaptiveExecutionConf(options: AdaptiveQueryExecution, source: string = 'AdaptiveQueryExecution'): SparkConf {
    const where = 'AdaptiveQueryExecution';
    const enabled = options.enabled ?? true;
    const conf = new SparkConf().setBoolean('spark.sql.adaptive.enabled', enabled, source);
    const tuned = Object.entries(options).filter(([key, value]) => key !== 'enabled' && value !== undefined).map(([key]) => key);
    check(enabled || tuned.length === 0, where, 'enabled', enabled,
      `true, or leave out ${tuned.join(', ')}: Spark ignores them while adaptive execution is off`);
    if (options.coalescePartitions !== undefined) {
      conf.setBoolean('spark.sql.adaptive.coalescePartitions.enabled', options.coalescePartitions, source);
    }
    if (options.advisoryPartitionSize !== undefined) {
      conf.set('spark.sql.adaptive.advisoryPartitionSizeInBytes', byteString(where, 'advisoryPartitionSize', options.advisoryPartitionSize), source);
    }
    if (options.minPartitionSize !== undefined) {
      conf.set('spark.sql.adaptive.coalescePartitions.minPartitionSize', byteString(where, 'minPartitionSize', options.minPartitionSize), source);
    }
    if (options.initialPartitionNum !== undefined) {
      check(Number.isInteger(options.initialPartitionNum) && options.initialPartitionNum >= 1, where, 'initialPartitionNum',
        options.initialPartitionNum, 'a whole number of partitions, at least 1');
      conf.setInteger('spark.sql.adaptive.coalescePartitions.initialPartitionNum', options.initialPartitionNum, source);
    }
    if (options.skewJoin !== undefined) {
      conf.setBoolean('spark.sql.adaptive.skewJoin.enabled', options.skewJoin, source);
    }
    if (options.skewedPartitionFactor !== undefined) {
      const factor = options.skewedPartitionFactor;
      check(Number.isFinite(factor) && factor >= 1, where, 'skewedPartitionFactor', factor, 'a number of at least 1, e.g. 5');
      conf.set('spark.sql.adaptive.skewJoin.skewedPartitionFactor', String(factor), source);
    }
    if (options.skewedPartitionThreshold !== undefined) {
      conf.set('spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes',
        byteString(where, 'skewedPartitionThreshold', options.skewedPartitionThreshold), source);
    }
    return conf;
  }

  /**
   * The configuration of dynamic allocation, with shuffle tracking on.
   * @param options the options (a plain {@link SparkDynamicAllocation} works too)
   * @param source who sets them, named in conf conflict errors
   */
  public static dynamicAllocationConf(options: ExecutorDynamicAllocation, source: string = 'ExecutorDynamicAllocation'): SparkConf {
    const where = 'ExecutorDynamicAllocation';
    const count = (property: string, value: number | undefined) => {
      check(value === undefined || (Number.isInteger(value) && value >= 0), where, property, value, 'a whole number of executors');
      return value;
    };
    const min = count('minExecutors', options.minExecutors) ?? 0;
    const max = count('maxExecutors', options.maxExecutors)!;
    const initial = count('initialExecutors', options.initialExecutors);
    check(max !== undefined && max >= 1, where, 'maxExecutors', max, 'at least 1 executor (an unbounded server could take the cluster)');
    check(min <= max, where, 'minExecutors', min, `at most maxExecutors (${max})`);
    check(initial === undefined || (initial >= min && initial <= max), where, 'initialExecutors', initial,
      `from minExecutors (${min}) to maxExecutors (${max})`);

    const conf = new SparkConf()
      .setBoolean('spark.dynamicAllocation.enabled', true, source)
      // No external shuffle service on Kubernetes: keep executors holding shuffle data.
      .setBoolean('spark.dynamicAllocation.shuffleTracking.enabled', true, source)
      .setInteger('spark.dynamicAllocation.minExecutors', min, source)
      .setInteger('spark.dynamicAllocation.maxExecutors', max, source);
    if (initial !== undefined) {
      conf.setInteger('spark.dynamicAllocation.initialExecutors', initial, source);
    }
    const durations: Array<[string, string, Duration | undefined]> = [
      ['shuffleTrackingTimeout', 'spark.dynamicAllocation.shuffleTracking.timeout', options.shuffleTrackingTimeout],
      ['executorIdleTimeout', 'spark.dynamicAllocation.executorIdleTimeout', options.executorIdleTimeout],
      ['cachedExecutorIdleTimeout', 'spark.dynamicAllocation.cachedExecutorIdleTimeout', options.cachedExecutorIdleTimeout],
      ['schedulerBacklogTimeout', 'spark.dynamicAllocation.schedulerBacklogTimeout', options.schedulerBacklogTimeout],
    ];
    for (const [property, key, value] of durations) {
      if (value !== undefined) {
        check(value.toMilliseconds() >= 1, where, property, `${value.toMilliseconds()} ms`, 'a positive duration');
        conf.setDuration(key, value, source);
      }
    }
    return conf;
  }

  private constructor() {}
}

/** Spark's byte notation for a size: whole MiB as `64m`, else whole KiB as `1536k`. */
function byteString(where: string, property: string, size: Size): string {
  const kib = kibibytes(where, property, size);
  return kib % 1024 === 0 ? `${kib / 1024}m` : `${kib}k`;
}
