import { Testing } from 'cdk8s';
import { SparkApplication, SparkApplicationType, SparkConf } from '../../src';
import { JOB_PROP_CONF_KEYS } from '../../src/core/job-conf-keys';

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
