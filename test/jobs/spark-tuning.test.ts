import { Duration, Size } from 'cdk8s';
import { SparkTuning } from '../../src';

describe('SparkTuning', () => {
  test('adaptive execution: only the given knobs, sizes in Spark notation', () => {
    expect(SparkTuning.adaptiveExecutionConf({}).toRecord()).toEqual({ 'spark.sql.adaptive.enabled': 'true' });
    expect(SparkTuning.adaptiveExecutionConf({
      coalescePartitions: true,
      advisoryPartitionSize: Size.mebibytes(128),
      minPartitionSize: Size.kibibytes(1536),
      initialPartitionNum: 400,
      skewJoin: true,
      skewedPartitionFactor: 2.5,
      skewedPartitionThreshold: Size.gibibytes(1),
    }).toRecord()).toEqual({
      'spark.sql.adaptive.enabled': 'true',
      'spark.sql.adaptive.coalescePartitions.enabled': 'true',
      'spark.sql.adaptive.advisoryPartitionSizeInBytes': '128m',
      'spark.sql.adaptive.coalescePartitions.minPartitionSize': '1536k',
      'spark.sql.adaptive.coalescePartitions.initialPartitionNum': '400',
      'spark.sql.adaptive.skewJoin.enabled': 'true',
      'spark.sql.adaptive.skewJoin.skewedPartitionFactor': '2.5',
      'spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes': '1024m',
    });
    expect(SparkTuning.adaptiveExecutionConf({ enabled: false }).toRecord()).toEqual({ 'spark.sql.adaptive.enabled': 'false' });
  });

  test('dynamic allocation: shuffle tracking always on, counts and timeouts', () => {
    expect(SparkTuning.dynamicAllocationConf({ maxExecutors: 4 }).toRecord()).toEqual({
      'spark.dynamicAllocation.enabled': 'true',
      'spark.dynamicAllocation.shuffleTracking.enabled': 'true',
      'spark.dynamicAllocation.minExecutors': '0',
      'spark.dynamicAllocation.maxExecutors': '4',
    });
    expect(SparkTuning.dynamicAllocationConf({
      minExecutors: 1,
      initialExecutors: 2,
      maxExecutors: 10,
      executorIdleTimeout: Duration.seconds(60),
      cachedExecutorIdleTimeout: Duration.minutes(30),
      schedulerBacklogTimeout: Duration.millis(500),
      shuffleTrackingTimeout: Duration.hours(1),
    }).toRecord()).toMatchObject({
      'spark.dynamicAllocation.minExecutors': '1',
      'spark.dynamicAllocation.initialExecutors': '2',
      'spark.dynamicAllocation.maxExecutors': '10',
      'spark.dynamicAllocation.shuffleTracking.timeout': '1h',
      'spark.dynamicAllocation.executorIdleTimeout': '1min',
      'spark.dynamicAllocation.cachedExecutorIdleTimeout': '30min',
      'spark.dynamicAllocation.schedulerBacklogTimeout': '500ms',
    });
  });

  test.each<[string, () => unknown, string]>([
    ['skew join with adaptive execution off', () => SparkTuning.adaptiveExecutionConf({ enabled: false, skewJoin: true }),
      'AdaptiveQueryExecution: invalid enabled false: true, or leave out skewJoin: Spark ignores them while adaptive execution is off'],
    ['a skewed partition factor below 1', () => SparkTuning.adaptiveExecutionConf({ skewedPartitionFactor: 0.5 }), 'invalid skewedPartitionFactor 0.5'],
    ['no initial partitions', () => SparkTuning.adaptiveExecutionConf({ initialPartitionNum: 0 }), 'invalid initialPartitionNum 0'],
    ['a maximum of no executors', () => SparkTuning.dynamicAllocationConf({ maxExecutors: 0 }), 'ExecutorDynamicAllocation: invalid maxExecutors 0: at least 1 executor'],
    ['min executors above max', () => SparkTuning.dynamicAllocationConf({ minExecutors: 5, maxExecutors: 2 }),
      'ExecutorDynamicAllocation: invalid minExecutors 5: at most maxExecutors (2)'],
    ['initial executors outside min..max', () => SparkTuning.dynamicAllocationConf({ minExecutors: 1, initialExecutors: 9, maxExecutors: 4 }),
      'ExecutorDynamicAllocation: invalid initialExecutors 9: from minExecutors (1) to maxExecutors (4)'],
    ['a fractional executor count', () => SparkTuning.dynamicAllocationConf({ maxExecutors: 2.5 }), 'invalid maxExecutors 2.5: a whole number of executors'],
    ['a zero idle timeout', () => SparkTuning.dynamicAllocationConf({ maxExecutors: 2, executorIdleTimeout: Duration.millis(0) }),
      'invalid executorIdleTimeout "0 ms": a positive duration'],
  ])('refuses %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
