import { IConstruct } from 'constructs';
import { cronProblem, timeZoneProblem } from '../../core/cron';
import { check } from '../../core/errors';

/** The schedule props both scheduled job kinds share. */
export interface ScheduleInput {
  readonly schedule: string;
  readonly timeZone?: string;
}

/** How a scheduled job kind names and bounds its schedule props. */
export interface ScheduleRules {
  /** What the history limits count, e.g. "runs" or "Jobs". */
  readonly runs: string;
  /** The history limits, by prop name. */
  readonly limits?: { readonly [property: string]: number | undefined };
  /** Refuse the time zone "Local" (Kubernetes CronJobs do). */
  readonly refuseLocal?: boolean;
}

/** Checks a schedule, its time zone and history limits: one rule for every scheduled job (core/cron reads the syntax). */
export function checkSchedule(scope: IConstruct, props: ScheduleInput, rules: ScheduleRules): void {
  const cron = cronProblem(props.schedule);
  check(cron === undefined, scope, 'schedule', props.schedule, cron!);
  if (props.timeZone !== undefined) {
    const tz = rules.refuseLocal && props.timeZone === 'Local'
      ? 'an explicit IANA time zone name; Kubernetes refuses "Local"' : timeZoneProblem(props.timeZone);
    check(tz === undefined, scope, 'timeZone', props.timeZone, tz!);
  }
  for (const [property, value] of Object.entries(rules.limits ?? {})) {
    check(value === undefined || (Number.isInteger(value) && value >= 0), scope, property, value, `a whole number of ${rules.runs}, at least 0`);
  }
}
