// Issue #18: callers from plain JavaScript (no compiler) get the usual refusal, naming the
// property and what to give, where a job takes one of the library's classes or a Secret;
// never a TypeError from deep inside, never a Secret reference without a name.
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  EventLogStore, ScheduledSparkApplication, ScheduledSparkSubmitJob, SparkApplication, SparkApplicationType, SparkJobSpecOptions, SparkSubmitJob,
} from '../../src';

const BASE: SparkJobSpecOptions = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};
const RUNNERS: Array<[string, (s: Construct, p: any) => unknown]> = [
  ['SparkApplication', (s, p) => new SparkApplication(s, 'Job', p)],
  ['ScheduledSparkApplication', (s, p) => new ScheduledSparkApplication(s, 'Job', { ...p, schedule: '0 2 * * *' })],
  ['SparkSubmitJob', (s, p) => new SparkSubmitJob(s, 'Job', p)],
  ['ScheduledSparkSubmitJob', (s, p) => new ScheduledSparkSubmitJob(s, 'Job', { ...p, schedule: '0 2 * * *' })],
];
const WRONG: Array<[string, object, string]> = [
  ['a string for driver.memory', { driver: { memory: '2g' } }, 'invalid driver.memory "2g": a SparkMemory, e.g. SparkMemory.gibibytes(2)'],
  ['a number for executor.memoryOverhead', { executor: { memoryOverhead: 512 } }, 'invalid executor.memoryOverhead 512: a SparkMemory'],
  ['a plain object for executor.memoryLimit', { executor: { memoryLimit: { gib: 2 } } }, 'invalid executor.memoryLimit "(another object)": a SparkMemory'],
  ['a string for image', { image: 'apache/spark:3.5.7' }, 'invalid image "apache/spark:3.5.7": a SparkImage, e.g. SparkImage.apache("3.5.7")'],
  ['a plain object for sparkConf', { sparkConf: { 'spark.executor.cores': '2' } }, 'invalid sparkConf "(another object)": a SparkConf'],
  ['a string for eventLog', { eventLog: 's3a://logs/spark' }, 'invalid eventLog "s3a://logs/spark": an EventLogStore'],
  ['a string for serviceAccount', { serviceAccount: 'spark-driver' }, 'invalid serviceAccount "string": an ISparkServiceAccount'],
  ['a string for a Secret', { driver: { envFromSecrets: ['s3-keys'] } }, 'invalid driver.envFromSecrets[0] "string": an ISecret'],
];
const cases = RUNNERS.flatMap(([runner, make]) => WRONG.map(([what, props, message]) => [runner, what, make, props, message] as const));

test.each(cases)('%s refuses %s', (_runner, _what, make, props, message) => {
  expect(() => make(new Chart(Testing.app(), 'test'), { ...BASE, ...props })).toThrow(`test/Job: ${message}`);
});

test.each<[string, () => unknown, string]>([
  ['a string for the S3 credentials Secret', () => EventLogStore.s3({ bucket: 'spark-logs', credentials: { secret: 's3-keys' as any } }),
    'EventLogStore.s3: invalid credentials.secret "string": an ISecret'],
  ['a string for the claim', () => EventLogStore.pvc({ claim: 'spark-logs' as any }), 'EventLogStore.pvc: invalid claim "string": an IPersistentVolumeClaim'],
])('EventLogStore refuses %s', (_what, make, message) => {
  expect(make).toThrow(message);
});
