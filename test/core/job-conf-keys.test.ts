import { Duration, Size, Testing } from 'cdk8s';
import { SparkApplication, SparkApplicationType, SparkConf, SparkTuning } from '../../src';
import { ADAPTIVE_EXECUTION_KEYS, DYNAMIC_ALLOCATION_KEYS, JOB_PROP_CONF_KEYS, refuseManagedConfKey } from '../../src/core/job-conf-keys';

const PI = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

describe('JOB_PROP_CONF_KEYS', () => {
  test('every key is a spark.* key and names the prop to use instead', () => {
    const entries = Object.entries(JOB_PROP_CONF_KEYS);
    expect(entries.length).toBeGreaterThanOrEqual(11);
    for (const [key, prop] of entries) {
      expect(key).toMatch(/^spark\.[A-Za-z0-9.]+$/);
      expect(prop.length).toBeGreaterThan(0);
    }
  });

  // The keys Spark reads for what the job's typed props set (Spark's
  // docs/running-on-kubernetes.md and core config: spark.app.name,
  // spark.submit.deployMode, spark.kubernetes.container.image, ...).
  test.each(Object.entries(JOB_PROP_CONF_KEYS))('a job conf setting %s is refused, pointing to %s', (key, prop) => {
    const chart = Testing.chart();
    expect(() => new SparkApplication(chart, 'Pi', { ...PI, sparkConf: SparkConf.of({ [key]: 'x' }) })).toThrow(prop);
  });
});

describe('keys owned by the tuning props', () => {
  test('DYNAMIC_ALLOCATION_KEYS and ADAPTIVE_EXECUTION_KEYS are every key SparkTuning sets', () => {
    const dynamic = SparkTuning.dynamicAllocationConf({
      minExecutors: 1,
      initialExecutors: 1,
      maxExecutors: 4,
      executorIdleTimeout: Duration.minutes(1),
      cachedExecutorIdleTimeout: Duration.minutes(30),
      schedulerBacklogTimeout: Duration.seconds(1),
      shuffleTrackingTimeout: Duration.minutes(10),
    });
    expect([...dynamic.keys].sort()).toEqual([...DYNAMIC_ALLOCATION_KEYS].sort());
    const adaptive = SparkTuning.adaptiveExecutionConf({
      coalescePartitions: true,
      initialPartitionNum: 400,
      minPartitionSize: Size.mebibytes(1),
      advisoryPartitionSize: Size.mebibytes(64),
      skewJoin: true,
      skewedPartitionFactor: 5,
      skewedPartitionThreshold: Size.mebibytes(256),
    });
    expect([...adaptive.keys].sort()).toEqual([...ADAPTIVE_EXECUTION_KEYS].sort());
  });

  test('refuseManagedConfKey names the prop, and lets other keys through', () => {
    const chart = Testing.chart();
    const managed = { 'spark.executor.memory': 'executor.memory' };
    expect(() => refuseManagedConfKey(chart, 'spark.executor.memory', managed))
      .toThrow('invalid sparkConf key "spark.executor.memory": the key is managed by the library; set it through executor.memory');
    expect(() => refuseManagedConfKey(chart, 'spark.speculation', managed)).not.toThrow();
    // Inherited object members are not keys of the map.
    expect(() => refuseManagedConfKey(chart, 'constructor', managed)).not.toThrow();
  });
});
