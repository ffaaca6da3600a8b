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

  test('refuses bad input', () => {
    const bad = (props: Partial<ScheduledSparkSubmitJobProps>) => () => setup(props);
    expect(bad({ schedule: '0 2 * *' })).toThrow('test/Nightly: invalid schedule "0 2 * *": five fields');
    expect(bad({ schedule: '0 25 * * *' })).toThrow('invalid schedule "0 25 * * *": five valid cron fields; the hour field has "25", outside 0-23');
    expect(bad({ schedule: 'TZ=UTC 0 2 * * *' })).toThrow('give the time zone through the timeZone prop');
    expect(bad({ timeZone: 'Mars/Olympus' })).toThrow('invalid timeZone "Mars/Olympus": an IANA time zone name');
    expect(bad({ timeZone: 'Local' })).toThrow('invalid timeZone "Local": an explicit IANA time zone name; Kubernetes refuses "Local"');
    expect(bad({ failedJobsHistoryLimit: -1 })).toThrow('invalid failedJobsHistoryLimit -1: a whole number of Jobs');
    expect(bad({ startingDeadline: Duration.seconds(5) })).toThrow('invalid startingDeadline "5000 ms": a whole number of seconds, at least 10');
    expect(bad({ mode: DeployMode.CLIENT, concurrencyPolicy: ConcurrencyPolicy.ALLOW }))
      .toThrow('invalid concurrencyPolicy "Allow": ConcurrencyPolicy.FORBID in client mode');
    expect(bad({ name: 'a'.repeat(42) })).toThrow('test/Nightly: invalid name');
    expect(bad({ backoffLimit: -2 })).toThrow('test/Nightly: invalid backoffLimit -2');
  });
});
