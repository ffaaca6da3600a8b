import { Chart, JsonPatch, Testing } from 'cdk8s';
import {
  ConcurrencyPolicy, ScheduledSparkApplication, ScheduledSparkApplicationProps, SparkApplicationType, SparkConf, SparkJobs,
  SparkServiceAccount,
} from '../../src';
import { synthValid } from '../harness/manifests';
import { libraryOperatorCrds } from '../harness/spark-operator';

const crds = libraryOperatorCrds;

const NIGHTLY: ScheduledSparkApplicationProps = {
  schedule: '0 2 * * *',
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};

function setup(props: Partial<ScheduledSparkApplicationProps> = {}) {
  const chart = new Chart(Testing.app(), 'test');
  const job = new ScheduledSparkApplication(chart, 'Nightly', { ...NIGHTLY, ...props });
  return { chart, job };
}

describe('ScheduledSparkApplication', () => {
  test('defaults (snapshot)', () => {
    const { chart } = setup();
    expect(synthValid(chart, { crds: crds() })).toMatchSnapshot();
  });

  test('schedule fields and a template rendered like a SparkApplication', () => {
    const { chart, job } = setup({
      name: 'nightly',
      timeZone: 'Europe/Paris',
      concurrencyPolicy: ConcurrencyPolicy.REPLACE,
      suspend: true,
      successfulRunHistoryLimit: 2,
      failedRunHistoryLimit: 5,
    });
    const manifests = synthValid(chart, { crds: crds() });
    const scheduled = manifests.find((m) => m.kind === 'ScheduledSparkApplication');
    expect(scheduled.apiVersion).toBe('sparkoperator.k8s.io/v1beta2');
    expect(scheduled.metadata).toEqual({ name: 'nightly', namespace: 'default' });
    expect(scheduled.spec).toMatchObject({
      schedule: '0 2 * * *',
      timeZone: 'Europe/Paris',
      concurrencyPolicy: 'Replace',
      suspend: true,
      successfulRunHistoryLimit: 2,
      failedRunHistoryLimit: 5,
    });
    expect(scheduled.spec.template).toMatchObject({
      type: 'Scala',
      sparkVersion: '4.0.4',
      restartPolicy: { type: 'Never' },
      driver: { serviceAccount: 'spark-driver', securityContext: { runAsNonRoot: true } },
    });
    expect(scheduled.spec.template.suspend).toBeUndefined();
    expect(manifests.map((m) => m.kind)).toContain('RoleBinding');
    expect(job.jobNamespace).toBe('default');
    expect(job.managedByOperator).toBe(true);
    expect(SparkJobs.all(chart)).toEqual([job]);
  });

  test('concurrency defaults to Forbid', () => {
    const { chart } = setup();
    expect(synthValid(chart, { crds: crds() }).find((m) => m.kind === 'ScheduledSparkApplication').spec.concurrencyPolicy).toBe('Forbid');
  });

  test.each([
    '*/5 * * * *', '0 0 1 jan-jun mon-fri', '15,45 9-17 * * 1-5', '0 0 * * ?', '@hourly', '@daily', '@midnight', '@weekly',
    '@monthly', '@yearly', '@annually', '@every 3m', '@every 1h30m', '@every 1.5h',
  ])('accepts schedule %s', (schedule) => {
    expect(setup({ schedule }).job.name).toBeDefined();
  });

  test.each([
    ['', 'a non-empty schedule'],
    ['0 2 * *', 'five fields (minute hour day-of-month month day-of-week) separated by spaces; got 4'],
    ['0 2 * * * *', 'got 6'],
    ['60 2 * * *', 'the minute field has "60", outside 0-59'],
    ['0 24 * * *', 'the hour field has "24", outside 0-23'],
    ['0 0 0 * *', 'the day of month field has "0", outside 1-31'],
    ['0 0 * 13 *', 'the month field has "13", outside 1-12'],
    ['0 0 * * 7', 'the day of week field has "7", outside 0-6'],
    ['0 0 * * 5-1', 'has a descending range "5-1"'],
    ['*/0 * * * *', 'has a bad step in "*/0"'],
    ['@every', 'one of @yearly'],
    ['@every 3 minutes', '"@every <duration>" with a Go duration such as 30m or 1h30m (got "3 minutes")'],
    ['@fortnightly', 'one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, "@every <duration>", or five cron fields'],
    ['CRON_TZ=UTC 0 2 * * *', 'give the time zone through the timeZone prop'],
  ])('refuses schedule %j', (schedule, message) => {
    expect(() => setup({ schedule })).toThrow(`test/Nightly: invalid schedule ${JSON.stringify(schedule)}: `);
    expect(() => setup({ schedule })).toThrow(message);
  });

  test('time zones', () => {
    for (const timeZone of ['UTC', 'Etc/UTC', 'America/New_York', 'Asia/Kolkata', 'Local']) {
      expect(setup({ timeZone }).job).toBeDefined();
    }
    for (const timeZone of ['Mars/Olympus', 'utc+2', 'Europe/', '', 'europe/paris', 'utc']) {
      expect(() => setup({ timeZone })).toThrow(`test/Nightly: invalid timeZone ${JSON.stringify(timeZone)}: an IANA time zone name, written exactly as in the tz database`);
    }
  });

  test.each<[string, Partial<ScheduledSparkApplicationProps>, string]>([
    ['a name too long for the runs\' timestamps', { name: 'a'.repeat(37) },
      `test/Nightly: invalid name "${'a'.repeat(37)}": a DNS-1035 label of 1 to 36 characters is required`],
    ['a negative history limit', { successfulRunHistoryLimit: -1 }, 'test/Nightly: invalid successfulRunHistoryLimit -1: a whole number of runs, at least 0'],
    ['a fractional history limit', { failedRunHistoryLimit: 1.5 }, 'test/Nightly: invalid failedRunHistoryLimit 1.5: a whole number of runs, at least 0'],
    ['four cron fields', { schedule: '0 2 * *' }, 'test/Nightly: invalid schedule "0 2 * *": five fields'],
    // Template rules are the SparkApplication's.
    ['a managed key in the template\'s sparkConf', { sparkConf: SparkConf.of({ 'spark.master': 'local' }) },
      'test/Nightly: invalid sparkConf key "spark.master": the key is managed by the library'],
  ])('refuses %s', (_case, props, message) => {
    expect(() => setup(props)).toThrow(message);
  });

  test('the longest name fits; a ServiceAccount of another namespace is refused', () => {
    expect(setup({ name: 'a'.repeat(36) }).job.name).toHaveLength(36);
    const chart = new Chart(Testing.app(), 'test');
    const sa = new SparkServiceAccount(chart, 'Sa', { namespace: 'ml' });
    expect(() => new ScheduledSparkApplication(chart, 'Nightly', { ...NIGHTLY, serviceAccount: sa }))
      .toThrow('test/Nightly: invalid serviceAccount "test/Sa": a SparkServiceAccount in the application\'s namespace "default" (it is in "ml")');
  });

  test('escape-hatch patches are validated at synth', () => {
    const { chart, job } = setup();
    job.apiObject.addJsonPatch(JsonPatch.add('/spec/concurrencyPolicy', 'Sometimes'));
    job.apiObject.addJsonPatch(JsonPatch.add('/spec/template/executor/instances', 0));
    expect(() => Testing.synth(chart)).toThrow(/invalid spec\.concurrencyPolicy "Sometimes": one of "Allow", "Forbid", "Replace"/);
    expect(() => Testing.synth(chart)).toThrow(/invalid spec\.template\.executor\.instances 0: an integer of at least 1/);
  });
});
