import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { TZDATA_VERSION } from '../../../src/imports/tz/time-zones';
import { checkSchedule, ScheduleInput, ScheduleRules } from '../../../src/jobs/private/schedule';

const scope = () => new Construct(new Chart(Testing.app(), 'test'), 'Job');
// The two rule sets the scheduled job kinds use (src/jobs/scheduled-spark-application.ts,
// src/jobs/scheduled-spark-submit-job.ts).
const OPERATOR: ScheduleRules = { runs: 'runs', limits: { successfulRunHistoryLimit: undefined, failedRunHistoryLimit: undefined } };
const CRONJOB: ScheduleRules = { runs: 'Jobs', refuseLocal: true, limits: { successfulJobsHistoryLimit: undefined, failedJobsHistoryLimit: undefined } };
const limits = (rules: ScheduleRules, values: Array<number | undefined>): ScheduleRules =>
  ({ ...rules, limits: Object.fromEntries(Object.keys(rules.limits!).map((k, i) => [k, values[i]])) });

describe('jobs/private/schedule', () => {
  // Five fields or a descriptor: robfig/cron v3's ParseStandard, which the operator calls
  // (kubeflow/spark-operator v2.5.2 internal/controller/scheduledsparkapplication/controller.go,
  // after time.LoadLocation of the time zone) and the CronJob controller uses.
  test.each<[string, ScheduleInput, ScheduleRules]>([
    ['five fields', { schedule: '0 3 * * *' }, OPERATOR],
    ['ranges, steps, lists and names', { schedule: '*/15 8-18 1,15 jan-jun mon-fri' }, CRONJOB],
    ['a descriptor', { schedule: '@daily' }, CRONJOB],
    ['@every (the operator accepts it)', { schedule: '@every 1h30m' }, OPERATOR],
    ['an IANA time zone', { schedule: '0 3 * * *', timeZone: 'Europe/Paris' }, CRONJOB],
    ['UTC', { schedule: '0 3 * * *', timeZone: 'UTC' }, CRONJOB],
    ['"Local" for the operator (Go\'s time.LoadLocation accepts it)', { schedule: '0 3 * * *', timeZone: 'Local' }, OPERATOR],
    ['history limits of 0 and more', { schedule: '@hourly' }, limits(CRONJOB, [0, 10])],
  ])('accepts %s', (_name, input, rules) => {
    expect(() => checkSchedule(scope(), input, rules)).not.toThrow();
  });

  // Every refusal names the construct path, the property, the value and what is allowed (core/errors).
  test.each<[string, ScheduleInput, ScheduleRules, string]>([
    ['an empty schedule', { schedule: ' ' }, OPERATOR, 'test/Job: invalid schedule " ": a non-empty schedule'],
    ['four fields', { schedule: '0 3 * *' }, OPERATOR, 'invalid schedule "0 3 * *": five fields (minute hour day-of-month month day-of-week) separated by spaces; got 4'],
    ['six fields (seconds are not parsed)', { schedule: '0 0 3 * * *' }, CRONJOB, 'got 6'],
    ['a minute out of range', { schedule: '60 3 * * *' }, CRONJOB, 'the minute field has "60", outside 0-59'],
    ['a descending range', { schedule: '0 18-8 * * *' }, CRONJOB, 'the hour field has a descending range "18-8"'],
    ['a zero step', { schedule: '*/0 * * * *' }, CRONJOB, 'the minute field has a bad step in "*/0"'],
    ['an unknown descriptor', { schedule: '@fortnightly' }, OPERATOR, 'invalid schedule "@fortnightly": one of @yearly'],
    ['@every without a Go duration', { schedule: '@every 1 hour' }, OPERATOR, '"@every <duration>" with a Go duration such as 30m or 1h30m (got "1 hour")'],
    ['a CRON_TZ= prefix', { schedule: 'CRON_TZ=UTC 0 3 * * *' }, CRONJOB, 'a schedule without a CRON_TZ= or TZ= prefix; give the time zone through the timeZone prop'],
    ['a time zone that does not exist', { schedule: '@daily', timeZone: 'Mars/Olympus' }, OPERATOR,
      'test/Job: invalid timeZone "Mars/Olympus": an IANA time zone name, written exactly as in the tz database'],
    // Go's time.LoadLocation is case-sensitive, ICU (which reads the name here) is not.
    ['a time zone in the wrong case', { schedule: '@daily', timeZone: 'europe/paris' }, CRONJOB,
      `test/Job: invalid timeZone "europe/paris": an IANA time zone name, written exactly as in the tz database (${TZDATA_VERSION}), `
      + 'such as "Europe/Paris" or "UTC"; names are case-sensitive: "Europe/Paris"'],
    // kubernetes/kubernetes pkg/apis/batch/validation/validation.go validateTimeZone:
    // "timeZone must be an explicit time zone" for Local.
    ['"Local" for a CronJob', { schedule: '@daily', timeZone: 'Local' }, CRONJOB,
      'test/Job: invalid timeZone "Local": an explicit IANA time zone name; Kubernetes refuses "Local"'],
    ['a negative history limit', { schedule: '@daily' }, limits(OPERATOR, [-1, 1]),
      'test/Job: invalid successfulRunHistoryLimit -1: a whole number of runs, at least 0'],
    ['a fractional history limit', { schedule: '@daily' }, limits(CRONJOB, [1, 1.5]),
      'test/Job: invalid failedJobsHistoryLimit 1.5: a whole number of Jobs, at least 0'],
  ])('refuses %s', (_name, input, rules, message) => {
    expect(() => checkSchedule(scope(), input, rules)).toThrow(message);
  });

  test('the schedule is checked before the time zone, the time zone before the limits', () => {
    expect(() => checkSchedule(scope(), { schedule: 'bad', timeZone: 'Mars/Olympus' }, limits(OPERATOR, [-1, -1])))
      .toThrow('invalid schedule "bad"');
    expect(() => checkSchedule(scope(), { schedule: '@daily', timeZone: 'Mars/Olympus' }, limits(OPERATOR, [-1, -1])))
      .toThrow('invalid timeZone "Mars/Olympus"');
  });
});
