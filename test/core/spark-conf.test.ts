import { Duration, Testing } from 'cdk8s';
import { SparkConf, SparkMemory } from '../../src';

describe('SparkConf', () => {
  test('keeps insertion order and renders arguments and spark-defaults.conf', () => {
    const conf = SparkConf.of({ 'spark.executor.instances': '2', 'spark.eventLog.enabled': 'true' })
      .setMemory('spark.executor.memory', SparkMemory.parse('4096m'))
      .setDuration('spark.network.timeout', Duration.minutes(5))
      .setBoolean('spark.dynamicAllocation.shuffleTracking.enabled', true)
      .setInteger('spark.sql.shuffle.partitions', 64);
    expect(conf.keys).toEqual([
      'spark.executor.instances',
      'spark.eventLog.enabled',
      'spark.executor.memory',
      'spark.network.timeout',
      'spark.dynamicAllocation.shuffleTracking.enabled',
      'spark.sql.shuffle.partitions',
    ]);
    expect(conf.toArgs().slice(0, 6)).toEqual([
      '--conf', 'spark.executor.instances=2',
      '--conf', 'spark.eventLog.enabled=true',
      '--conf', 'spark.executor.memory=4g',
    ]);
    expect(conf.get('spark.network.timeout')).toBe('5min');
    expect(conf.toDefaultsFile()).toMatchSnapshot();
    expect(conf.toRecord()['spark.sql.shuffle.partitions']).toBe('64');
  });

  test('spark-defaults.conf escapes what Java properties would eat', () => {
    const conf = SparkConf.of({ 'spark.driver.extraJavaOptions': '-Dpath=C:\\tmp', 'spark.x': ' leading' });
    expect(conf.toDefaultsFile()).toBe('spark.driver.extraJavaOptions -Dpath=C:\\\\tmp\nspark.x \\ leading\n');
    expect(new SparkConf().toDefaultsFile()).toBe('');
  });

  test('durations pick the largest exact unit', () => {
    const conf = new SparkConf()
      .setDuration('a', Duration.seconds(90))
      .setDuration('b', Duration.hours(48))
      .setDuration('c', Duration.millis(1500))
      .setDuration('d', Duration.millis(0));
    expect(conf.toRecord()).toEqual({ a: '90s', b: '2d', c: '1500ms', d: '0ms' });
  });

  test('merging agrees on equal values and keeps sources', () => {
    const platform = SparkConf.of({ 'spark.eventLog.enabled': 'true', 'spark.ui.enabled': 'true' }, 'platform');
    const job = SparkConf.of({ 'spark.eventLog.enabled': 'true', 'spark.executor.cores': '2' }, 'job spark-pi');
    const merged = platform.merge(job);
    expect(merged.keys).toEqual(['spark.eventLog.enabled', 'spark.ui.enabled', 'spark.executor.cores']);
    expect(merged.sourceOf('spark.executor.cores')).toBe('job spark-pi');
    expect(merged.has('spark.ui.enabled')).toBe(true);
    // The inputs are not modified.
    expect(platform.has('spark.executor.cores')).toBe(false);
  });

  test('merging conflicting values names the key, both values, both sources and the construct', () => {
    const chart = Testing.chart();
    const platform = SparkConf.of({ 'spark.executor.memory': '2g' }, 'the platform defaults');
    const job = SparkConf.of({ 'spark.executor.memory': '4g' }, 'job spark-pi');
    expect(() => platform.merge(job, chart)).toThrow(
      `${chart.node.path}: invalid Spark conf key "spark.executor.memory" "4g": it is set to "2g" by the platform defaults and to "4g" by job spark-pi`);
    expect(() => platform.merge(job)).toThrow(/^SparkConf.merge: /);
  });

  test('setting a key twice to different values is an error', () => {
    const conf = SparkConf.of({ 'spark.executor.cores': '2' }, 'first');
    expect(() => conf.set('spark.executor.cores', '4', 'second')).toThrow('set to "2" by first and to "4" by second');
    expect(conf.set('spark.executor.cores', '2', 'second').sourceOf('spark.executor.cores')).toBe('first');
  });

  test.each([
    ['', 'x', 'invalid conf key ""'],
    ['spark executor', 'x', 'invalid conf key "spark executor"'],
    ['spark.a=b', 'x', 'invalid conf key "spark.a=b"'],
    ['spark.a', 'line1\nline2', 'invalid value of spark.a "line1\\nline2": a single-line string'],
  ])('rejects key %j value %j', (key, value, message) => {
    expect(() => new SparkConf().set(key, value, 'job x')).toThrow(`SparkConf (job x): ${message}`);
  });

  test('rejects non-integers', () => {
    expect(() => new SparkConf().setInteger('spark.executor.instances', 1.5)).toThrow('invalid value of spark.executor.instances 1.5: an integer');
  });

  test('isSparkConf tells a SparkConf by its mark, not by its class (two copies of the library)', () => {
    expect(SparkConf.isSparkConf(SparkConf.of({ a: 'b' }))).toBe(true);
    expect(SparkConf.isSparkConf(new SparkConf().merge(new SparkConf()))).toBe(true);
    expect(SparkConf.isSparkConf({ entries: new Map() })).toBe(false);
    expect(SparkConf.isSparkConf(undefined)).toBe(false);
    // A copy of the class from another copy of the library marks its instances with the same global symbol.
    const foreign = Object.create(null);
    Object.defineProperty(foreign, Symbol.for('cdk8s-spark.SparkConf'), { value: true });
    expect(SparkConf.isSparkConf(foreign)).toBe(true);
  });
});
