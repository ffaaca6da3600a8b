import { cronProblem, timeZoneProblem } from '../../src/core/cron';

// The operator schedules with robfig/cron v3's standard parser (robfig/cron
// parser.go: five fields or a descriptor; "*" and "?" as wildcards; named
// months and weekdays; "beginning of range beyond end of range" and "step of
// range should be a positive number" refusals; "@every" takes Go's
// time.ParseDuration syntax; weekdays 0-6).

describe('cronProblem', () => {
  test.each([
    '0 3 * * *',
    '*/15 * * * *',
    '0 0 1 1 *',
    '59 23 31 12 6',
    '0 9-17 * * mon-fri',
    '0 0 ? * SUN',
    '0 0 1,15 jan,jul *',
    '5-55/10 0 * * *',
    '  0 3 * * *  ',
    '@daily', '@hourly', '@weekly', '@monthly', '@yearly', '@annually', '@midnight',
    '@every 30m', '@every 1h30m', '@every 1.5h', '@every 500ms',
  ])('accepts %j', (schedule) => {
    expect(cronProblem(schedule)).toBeUndefined();
  });

  test.each<[string, string]>([
    ['', 'a non-empty schedule'],
    ['   ', 'a non-empty schedule'],
    ['CRON_TZ=Europe/Paris 0 3 * * *', 'without a CRON_TZ= or TZ= prefix'],
    ['TZ=UTC 0 3 * * *', 'without a CRON_TZ= or TZ= prefix'],
    ['@reboot', 'one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly'],
    ['@every', 'one of @yearly'],
    ['@every 1d', '"@every <duration>" with a Go duration such as 30m or 1h30m (got "1d")'],
    ['@every 30', '(got "30")'],
    ['0 3 * *', 'five fields (minute hour day-of-month month day-of-week) separated by spaces; got 4'],
    ['0 0 3 * * *', 'got 6'],
    ['60 * * * *', 'the minute field has "60", outside 0-59'],
    ['0 24 * * *', 'the hour field has "24", outside 0-23'],
    ['0 0 0 * *', 'the day of month field has "0", outside 1-31'],
    ['0 0 32 * *', 'the day of month field has "32", outside 1-31'],
    ['0 0 * 13 *', 'the month field has "13", outside 1-12'],
    ['0 0 * * 7', 'the day of week field has "7", outside 0-6'],
    ['0 0 * * funday', 'the day of week field has "funday"'],
    ['*/0 * * * *', 'the minute field has a bad step in "*/0"'],
    ['*/x * * * *', 'has a bad step in "*/x"'],
    ['1/2/3 * * * *', 'has a bad step in "1/2/3"'],
    ['30-10 * * * *', 'the minute field has a descending range "30-10"'],
    ['1-2-3 * * * *', 'has a bad range "1-2-3"'],
    ['-1 * * * *', 'the minute field has'],
  ])('refuses %j', (schedule, problem) => {
    expect(cronProblem(schedule)).toContain(problem);
  });

  test('refuses what is not a string', () => {
    expect(cronProblem(undefined as any)).toBe('a non-empty schedule');
  });
});

describe('timeZoneProblem', () => {
  test.each(['UTC', 'Local', 'Europe/Paris', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])('accepts %j', (zone) => {
    expect(timeZoneProblem(zone)).toBeUndefined();
  });
  test.each(['Mars/Olympus', 'Europe/Paris ', '', 'europe paris'])('refuses %j', (zone) => {
    expect(timeZoneProblem(zone)).toBe('an IANA time zone name such as "Europe/Paris" or "UTC"');
  });
  // Go's time.LoadLocation is case-sensitive (kube-apiserver's CronJob validation and the
  // operator's ScheduledSparkApplication check both call it); ICU is not.
  test.each<[string, string]>([
    ['europe/paris', 'Europe/Paris'],
    ['utc', 'UTC'],
    ['EUROPE/PARIS', 'Europe/Paris'],
    ['America/New_york', 'America/New_York'],
  ])('refuses %j, naming the exact case %j', (zone, exact) => {
    expect(timeZoneProblem(zone)).toBe(`an IANA time zone name in its exact case, "${exact}"`);
  });
});
