import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ArgoCdSparkHealthChecks } from '../src';
import { synthValid } from './harness/manifests';

/**
 * Argo CD runs health checks with gopher-lua (Lua 5.1). The checks run here
 * under a real Lua 5.1 interpreter when one is installed (else 5.4).
 */
const LUA = ['lua5.1', 'lua5.4', 'lua'].find((bin) => {
  try {
    execFileSync(bin, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
if (!LUA) {
  // eslint-disable-next-line no-console
  console.log('argo-cd-health.test.ts: no Lua interpreter (apt-get install lua5.1), skipping the Lua runs');
}
const luaTest = LUA ? test : test.skip;

/** A JSON value as a Lua table constructor. */
function toLua(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `{ ${value.map(toLua).join(', ')} }`;
  return `{ ${Object.entries(value as object).map(([k, v]) => `[${JSON.stringify(k)}] = ${toLua(v)}`).join(', ')} }`;
}

/** Runs `script` once per object (one interpreter for all) and returns "status | message" per object. */
function runHealth(script: string, objects: unknown[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'argo-health-'));
  try {
    fs.writeFileSync(path.join(dir, 'check.lua'), script);
    const driver = [
      `local check = assert(loadfile(${JSON.stringify(path.join(dir, 'check.lua'))}))`,
      `local objects = { ${objects.map(toLua).join(',\n')} }`,
      'for i = 1, #objects do',
      '  obj = objects[i]',
      '  local hs = check()',
      '  io.write(hs.status, " | ", hs.message, "\\n")',
      'end',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'driver.lua'), driver);
    return execFileSync(LUA!, [path.join(dir, 'driver.lua')], { encoding: 'utf8' }).trimEnd().split('\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const app = (state: string | undefined, extra: object = {}) =>
  ({ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', spec: {}, ...(state === undefined ? {} : { status: { applicationState: { state } } }), ...extra });

describe('ArgoCdSparkHealthChecks', () => {
  test('defaults (snapshot)', () => {
    const chart = new Chart(Testing.app(), 'test');
    new ArgoCdSparkHealthChecks(chart, 'Health');
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('an argocd-cm with the two health keys and Argo CD\'s labels', () => {
    const chart = new Chart(Testing.app(), 'test');
    const checks = new ArgoCdSparkHealthChecks(chart, 'Health', { namespace: 'gitops' });
    const [cm] = synthValid(chart);
    expect(cm.metadata).toEqual({
      name: 'argocd-cm',
      namespace: 'gitops',
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    });
    expect(Object.keys(cm.data).sort()).toEqual([
      'resource.customizations.health.sparkoperator.k8s.io_ScheduledSparkApplication',
      'resource.customizations.health.sparkoperator.k8s.io_SparkApplication',
    ]);
    expect(cm.data).toEqual(checks.data);
    expect(cm.data[ArgoCdSparkHealthChecks.SPARK_APPLICATION_KEY]).toBe(ArgoCdSparkHealthChecks.sparkApplicationLua());
    expect(() => new ArgoCdSparkHealthChecks(chart, 'Bad', { namespace: 'Argo' }))
      .toThrow('test/Bad: invalid namespace "Argo": a DNS-1123 label');
  });

  luaTest('SparkApplication: every operator state maps to an Argo CD health status', () => {
    const out = runHealth(ArgoCdSparkHealthChecks.sparkApplicationLua(), [
      { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', spec: {} },
      app(''),
      app('', { spec: { suspend: true } }),
      app('SUBMITTED'),
      app('RUNNING'),
      app('SUCCEEDING'),
      app('COMPLETED'),
      app('FAILING'),
      app('PENDING_RERUN'),
      app('INVALIDATING'),
      { ...app('FAILED'), status: { applicationState: { state: 'FAILED', errorMessage: 'driver container failed with ExitCode: 1' } } },
      app('SUBMISSION_FAILED'),
      app('UNKNOWN'),
      app('SUSPENDED'),
      app('SOMETHING_NEW'),
    ]);
    expect(out).toEqual([
      'Progressing | waiting for the Spark operator to submit the application',
      'Progressing | waiting for the Spark operator to submit the application',
      'Suspended | suspended before submission',
      'Progressing | SUBMITTED: submitted, waiting for the driver to run',
      'Progressing | RUNNING: the driver is running',
      'Progressing | SUCCEEDING: the driver succeeded, waiting for the executors to finish',
      'Healthy | COMPLETED: the application completed',
      'Progressing | FAILING: the driver failed, the operator decides whether to retry',
      'Progressing | PENDING_RERUN: waiting to be submitted again',
      'Progressing | INVALIDATING: the spec changed, the running attempt is being stopped',
      'Degraded | FAILED: the application failed (driver container failed with ExitCode: 1)',
      'Degraded | SUBMISSION_FAILED: spark-submit failed',
      'Unknown | UNKNOWN: the operator lost track of the driver',
      'Suspended | SUSPENDED: suspended',
      'Unknown | unrecognized application state SOMETHING_NEW',
    ]);
  });

  luaTest('ScheduledSparkApplication: suspension, validation, schedule and the last run', () => {
    const sched = (status?: object, spec: object = {}) =>
      ({ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'ScheduledSparkApplication', spec, ...(status ? { status } : {}) });
    const objects = [
      sched(),
      sched({ scheduleState: 'Validating' }),
      sched({ scheduleState: 'Scheduled', nextRun: '2025-01-01T03:00:00Z' }),
      sched({ scheduleState: 'Scheduled', lastRunName: 'nightly-2', pastSuccessfulRunNames: ['nightly-2'], pastFailedRunNames: ['nightly-1'] }),
      sched({ scheduleState: 'Scheduled', lastRunName: 'nightly-2', pastFailedRunNames: ['nightly-1', 'nightly-2'] }),
      sched({ scheduleState: 'FailedValidation', reason: 'invalid cron schedule' }),
      sched({ scheduleState: 'FailedValidation' }, { suspend: true }),
      sched({ scheduleState: 'Other' }),
    ];
    expect(runHealth(ArgoCdSparkHealthChecks.scheduledSparkApplicationLua(), objects)).toEqual([
      'Progressing | waiting for the Spark operator to validate the schedule',
      'Progressing | waiting for the Spark operator to validate the schedule',
      'Healthy | scheduled, next run at 2025-01-01T03:00:00Z',
      'Healthy | scheduled',
      'Degraded | the last run nightly-2 failed',
      'Degraded | the schedule is invalid: invalid cron schedule',
      'Suspended | runs are suspended',
      'Unknown | unrecognized schedule state Other',
    ]);
    // Without degradeOnFailedLastRun a failed run does not change the health.
    expect(runHealth(ArgoCdSparkHealthChecks.scheduledSparkApplicationLua(false), [objects[4]]))
      .toEqual(['Healthy | scheduled']);
  });
});
