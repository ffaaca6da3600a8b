import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cronProblem, timeZoneProblem } from '../../src/core/cron';
import { TIME_ZONE_NAMES, TZDATA_VERSION } from '../../src/imports/tz/time-zones';

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
  // Names as Go's time.LoadLocation finds them (the API server and the operator call it):
  // zones and links (US/Eastern, Asia/Calcutta are links of the tz database's "backward" file).
  test.each(['UTC', 'Local', 'Etc/UTC', 'Europe/Paris', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'US/Eastern', 'Asia/Calcutta'])(
    'accepts %j', (zone) => {
      expect(timeZoneProblem(zone)).toBeUndefined();
    });
  const ANY = `an IANA time zone name, written exactly as in the tz database (${TZDATA_VERSION}), such as "Europe/Paris" or "UTC"`;
  test.each<[string, string]>([
    ['Mars/Olympus', ANY],
    ['Europe/Paris ', ANY],
    ['', ANY],
    ['europe paris', ANY],
    ['Europe/', ANY],
    // LoadLocation is case-sensitive: these names only exist with their own case.
    ['utc', `${ANY}; names are case-sensitive: "UTC"`],
    ['europe/paris', `${ANY}; names are case-sensitive: "Europe/Paris"`],
    ['LOCAL', ANY],
    ['local', ANY],
  ])('refuses %j', (zone, message) => {
    expect(timeZoneProblem(zone)).toBe(message);
  });
});

describe('the generated tz name list', () => {
  test('holds the zones and links of its tz database version, sorted and distinct', () => {
    expect(TZDATA_VERSION).toMatch(/^\d{4}[a-z]$/);
    expect([...TIME_ZONE_NAMES]).toEqual([...new Set(TIME_ZONE_NAMES)].sort());
    expect(TIME_ZONE_NAMES.length).toBeGreaterThan(500);
  });

  const zi = '/usr/share/zoneinfo/tzdata.zi';
  const local = fs.existsSync(zi) ? /^# version (\S+)/m.exec(fs.readFileSync(zi, 'utf8'))?.[1] : undefined;
  const why = local === undefined ? `${zi} is absent (tzdata not installed)` : `the local tzdata is ${local}, the list ${TZDATA_VERSION}`;
  if (local !== TZDATA_VERSION) {
    // eslint-disable-next-line no-console
    console.log(`skipped: comparing the list with the local tz database: ${why}`);
  }
  (local === TZDATA_VERSION ? test : test.skip)('is what scripts/gen-time-zones.mjs makes from the local tz database', () => {
    const result = spawnSync(process.execPath, [path.join(__dirname, '../../scripts/gen-time-zones.mjs'), '--check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
  // Go's time.LoadLocation is case-sensitive (kube-apiserver's CronJob validation and the
  // operator's ScheduledSparkApplication check both call it); ICU is not.
  test.each<[string, string]>([
    ['europe/paris', 'Europe/Paris'],
    ['utc', 'UTC'],
    ['EUROPE/PARIS', 'Europe/Paris'],
    ['America/New_york', 'America/New_York'],
    ['etc/utc', 'Etc/UTC'],
  ])('refuses %j, naming the exact case %j', (zone, exact) => {
    expect(timeZoneProblem(zone)).toContain(`; names are case-sensitive: "${exact}"`);
  });
});
