import { Chart, Duration, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  ConcurrencyPolicy, DeployMode, ScheduledSparkSubmitJob, ScheduledSparkSubmitJobProps, SparkApplicationType, SparkImage, SparkJobs, SparkSubmitJob,
} from '../../src';
import { synthValid } from '../harness/manifests';

const PI: ScheduledSparkSubmitJobProps = {
  type: SparkApplicationType.SCALA,
  image: SparkImage.apache(),
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.13-4.0.4.jar',
  schedule: '0 2 * * *',
};

function setup(props: Partial<ScheduledSparkSubmitJobProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const job = new ScheduledSparkSubmitJob(chart, 'Nightly', { ...PI, ...props } as ScheduledSparkSubmitJobProps);
  return { chart, job };
}

describe('ScheduledSparkSubmitJob', () => {
  test('defaults (snapshot)', () => {
    const { chart } = setup();
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('a CronJob whose Job template submits like a SparkSubmitJob; Forbid and history limits by default', () => {
    const { chart, job } = setup({ timeZone: 'Europe/Paris', startingDeadline: Duration.minutes(5) });
    const manifests = synthValid(chart);
    const cron = manifests.find((m) => m.kind === 'CronJob');
    expect(cron.apiVersion).toBe('batch/v1');
    expect(job.name).toMatch(/^test-nightly-[0-9a-f]{8}$/);
    expect(job.cronJob).toBeInstanceOf(k8s.KubeCronJob);
    expect(cron.spec).toMatchObject({
      schedule: '0 2 * * *',
      timeZone: 'Europe/Paris',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      startingDeadlineSeconds: 300,
    });
    // The same Job spec a SparkSubmitJob of the same name renders.
    const single = new Chart(Testing.app(), 'test');
    new SparkSubmitJob(single, 'Nightly', { ...PI, name: job.name });
    const jobSpec = synthValid(single).find((m) => m.kind === 'Job').spec;
    expect(cron.spec.jobTemplate.spec).toEqual(jobSpec);
    // Each run names its driver pod after its own submit pod: no fixed driver name.
    const args: string[] = cron.spec.jobTemplate.spec.template.spec.containers[0].args;
    expect(args).toContain('spark.kubernetes.driver.pod.name=$(SPARK_DRIVER_POD_NAME)');
    expect(job.conf.get('spark.app.name')).toBe(job.name);
    expect(job.submitterServiceAccount!.name).toBe(`${job.name}-submit`);
    expect(SparkJobs.all(chart)).toEqual([job]);
    expect(job.managedByOperator).toBe(false);
  });

  test('options: Allow, suspend, history limits, @-descriptors; client mode with Forbid', () => {
    const { chart } = setup({
      schedule: '@hourly', concurrencyPolicy: ConcurrencyPolicy.ALLOW, suspend: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5,
    });
    expect(synthValid(chart).find((m) => m.kind === 'CronJob').spec).toMatchObject({
      schedule: '@hourly', concurrencyPolicy: 'Allow', suspend: true, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5,
    });
    const client = setup({ mode: DeployMode.CLIENT });
    expect(client.job.driverService).toBeDefined();
    expect(synthValid(client.chart).map((m) => m.kind)).toContain('Service');
  });

  test.each<[string, Partial<ScheduledSparkSubmitJobProps>, string]>([
    ['four cron fields', { schedule: '0 2 * *' }, 'test/Nightly: invalid schedule "0 2 * *": five fields'],
    ['an hour out of range', { schedule: '0 25 * * *' }, 'invalid schedule "0 25 * * *": five valid cron fields; the hour field has "25", outside 0-23'],
    ['a time zone in the schedule', { schedule: 'TZ=UTC 0 2 * * *' }, 'give the time zone through the timeZone prop'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'invalid timeZone "Mars/Olympus": an IANA time zone name, written exactly'],
    ['the Local time zone', { timeZone: 'Local' }, 'invalid timeZone "Local": an explicit IANA time zone name; Kubernetes refuses "Local"'],
    ['a negative history limit', { failedJobsHistoryLimit: -1 }, 'invalid failedJobsHistoryLimit -1: a whole number of Jobs'],
    ['a starting deadline below 10 s', { startingDeadline: Duration.seconds(5) }, 'invalid startingDeadline "5000 ms": a whole number of seconds, at least 10'],
    ['overlapping client-mode runs', { mode: DeployMode.CLIENT, concurrencyPolicy: ConcurrencyPolicy.ALLOW },
      'invalid concurrencyPolicy "Allow": ConcurrencyPolicy.FORBID in client mode'],
    ['an unknown concurrency policy', { concurrencyPolicy: 'Sometimes' as ConcurrencyPolicy },
      'invalid concurrencyPolicy "Sometimes": one of Allow, Forbid, Replace'],
    ['a name too long', { name: 'a'.repeat(42) }, 'test/Nightly: invalid name'],
    ['negative retries', { backoffLimit: -2 }, 'test/Nightly: invalid backoffLimit -2'],
  ])('refuses %s', (_case, props, message) => {
    expect(() => setup(props)).toThrow(message);
  });
});
