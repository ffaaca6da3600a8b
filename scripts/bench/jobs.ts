// The SparkApplications of the bench's fleet and platform-jobs cases; this
// module loads cdk8s-plus-28 (EnvValue), as a user's app with such jobs does.
import { Chart, Duration } from 'cdk8s';
import { EnvValue } from 'cdk8s-plus-28';
import { IMAGE, MAVEN_MIRROR } from './platform-cases';
import {
  EventLogStore, RestartPolicy, SparkApplication, SparkApplicationProps, SparkApplicationType, SparkConf, SparkMemory,
} from '../../src';

const shared = SparkConf.of({
  'spark.sql.adaptive.enabled': 'true',
  'spark.serializer': 'org.apache.spark.serializer.KryoSerializer',
}, 'platform');

/**
 * Job `i` of a fleet: the jobs vary the way real ones do (language, sizes,
 * conf, dependencies, restart policy, dynamic allocation).
 */
export function sparkApplication(chart: Chart, i: number, overrides: Partial<SparkApplicationProps> = {}): void {
  const python = i % 3 === 0;
  const conf = shared.merge(SparkConf.of({ 'spark.sql.shuffle.partitions': String(50 + (i % 7) * 50) }, `job ${i}`));
  new SparkApplication(chart, `Job${i}`, {
    name: `job-${i}`,
    type: python ? SparkApplicationType.PYTHON : SparkApplicationType.SCALA,
    image: IMAGE,
    mainClass: python ? undefined : 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: python
      ? 'local:///opt/spark/examples/src/main/python/pi.py'
      : 'local:///opt/spark/examples/jars/spark-examples.jar',
    arguments: [String(100 + i)],
    sparkConf: conf,
    hadoopConf: i % 4 === 0 ? { 'fs.s3a.path.style.access': 'true' } : undefined,
    deps: i % 5 === 0 ? { packages: ['org.apache.hadoop:hadoop-aws:3.4.1'] } : undefined,
    driver: {
      cores: 1,
      memory: SparkMemory.mebibytes(512 + (i % 4) * 256),
      // Jobs with packages resolve them from the cluster's Maven mirror.
      env: i % 5 === 0
        ? { JOB_INDEX: EnvValue.fromValue(String(i)), DEFAULT_ARTIFACT_REPOSITORY: EnvValue.fromValue(MAVEN_MIRROR.url) }
        : { JOB_INDEX: EnvValue.fromValue(String(i)) },
      labels: { team: `team-${i % 10}` },
    },
    executor: {
      instances: 1 + (i % 4),
      cores: 1 + (i % 2),
      memory: SparkMemory.gibibytes(1 + (i % 3)),
      memoryLimit: i % 6 === 0 ? SparkMemory.gibibytes(4) : undefined,
    },
    dynamicAllocation: i % 8 === 0 ? { minExecutors: 1, maxExecutors: 10, shuffleTrackingTimeout: Duration.minutes(10) } : undefined,
    restartPolicy: i % 2 === 0 ? RestartPolicy.onFailure({ retries: 2 }) : RestartPolicy.never(),
    timeToLive: Duration.hours(24),
    ...overrides,
  });
}

/** A platform job: a fleet job logging to the platform's event log, without timeToLive (Argo CD would create it again). */
export function platformJob(chart: Chart, i: number, eventLog: EventLogStore): void {
  sparkApplication(chart, i, { eventLog, timeToLive: undefined });
}
