// Schedule syntax of the operator's cron library (robfig/cron v3 with its
// standard parser): five fields, or a descriptor.

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
// Go's time.ParseDuration: a sequence of decimal numbers with units.
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

const FIELDS: Array<{ name: string; min: number; max: number; names?: string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** Returns why `schedule` is not a valid schedule, or undefined when it is. */
export function cronProblem(schedule: string): string | undefined {
  if (typeof schedule !== 'string' || schedule.trim() === '') {
    return 'a non-empty schedule';
  }
  let text = schedule.trim();
  const tz = /^(CRON_TZ|TZ)=\S+\s+/.exec(text);
  if (tz) {
    return 'a schedule without a CRON_TZ= or TZ= prefix; give the time zone through the timeZone prop';
  }
  if (text.startsWith('@')) {
    if (DESCRIPTORS.has(text)) {
      return undefined;
    }
    if (text.startsWith('@every ')) {
      const d = text.slice('@every '.length).trim();
      return GO_DURATION.test(d) ? undefined : `"@every <duration>" with a Go duration such as 30m or 1h30m (got "${d}")`;
    }
    return `one of ${[...DESCRIPTORS].join(', ')}, "@every <duration>", or five cron fields`;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) {
    return `five fields (minute hour day-of-month month day-of-week) separated by spaces; got ${parts.length}`;
  }
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i], FIELDS[i]);
    if (problem) {
      return `five valid cron fields; the ${FIELDS[i].name} field ${problem}`;
    }
  }
  return undefined;
}

function fieldProblem(field: string, spec: { min: number; max: number; names?: string[] }): string | undefined {
  for (const item of field.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || (step !== undefined && !/^\d+$/.test(step)) || (step !== undefined && parseInt(step, 10) === 0)) {
      return `has a bad step in "${item}"`;
    }
    if (range === '*' || range === '?') {
      continue;
    }
    const bounds = range.split('-');
    if (bounds.length > 2) {
      return `has a bad range "${range}"`;
    }
    const values = bounds.map((b) => value(b, spec));
    if (values.some((v) => v === undefined)) {
      return `has "${range}", outside ${spec.min}-${spec.max}`;
    }
    if (values.length === 2 && values[0]! > values[1]!) {
      return `has a descending range "${range}"`;
    }
  }
  return undefined;
}

function value(text: string, spec: { min: number; max: number; names?: string[] }): number | undefined {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) {
    return named + spec.min;
  }
  if (!/^\d+$/.test(text)) {
    return undefined;
  }
  const n = parseInt(text, 10);
  return n >= spec.min && n <= spec.max ? n : undefined;
}

/** Returns why `zone` is not an IANA time zone name, or undefined when it is. */
export function timeZoneProblem(zone: string): string | undefined {
  if (zone === 'UTC' || zone === 'Local') {
    return undefined;
  }
  const supported: string[] | undefined = (Intl as any).supportedValuesOf?.('timeZone');
  if (supported?.includes(zone)) {
    return undefined;
  }
  let resolved: string;
  try {
    // Accepts canonical and alias names the ICU data knows (e.g. Etc/UTC).
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return 'an IANA time zone name such as "Europe/Paris" or "UTC"';
  }
  if (!/^[A-Za-z][A-Za-z0-9]*(?:[/_+-][A-Za-z0-9]+)*$/.test(zone)) {
    return 'an IANA time zone name such as "Europe/Paris" or "UTC"';
  }
  // ICU ignores case, Go's time.LoadLocation (the API server's CronJob
  // validation, the operator's schedule check) does not (go src/time/
  // zoneinfo_read.go: a file of that exact name, or an exact zip entry name):
  // "europe/paris" or "utc" would be refused there.
  const sameCase = [resolved, ...(supported ?? [])].find((z) => z.toLowerCase() === zone.toLowerCase());
  return sameCase === undefined || sameCase === zone ? undefined : `an IANA time zone name in its exact case, "${sameCase}"`;
}
