import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { ArgoCdSparkHealthChecks } from '../../src';
import { LUA, luaTestFor, runHealth } from '../harness/lua';
import { synthValid } from '../harness/manifests';
import { referencePath } from '../harness/reference';

// Argo CD runs health checks with gopher-lua (Lua 5.1); test/harness/lua runs
// them under a real Lua 5.1 interpreter when one is installed (else 5.4).
const luaTest = luaTestFor('argo-cd-health.test.ts');

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
      // Merged, never replaced or deleted (issue #15): Argo CD applies it server-side as a partial
      // object and never prunes or deletes it (argoproj/argo-cd docs/user-guide/sync-options.md:
      // "Server-Side Apply" - patching existing resources with a partial yaml, "No Prune Resources",
      // "No Resource Deletion").
      annotations: { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=false' },
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
      'Progressing | RUNNING: the driver is running, waiting for the executors',
      'Progressing | SUCCEEDING: the driver succeeded, waiting for the executors to finish',
      'Healthy | COMPLETED: the application completed',
      'Degraded | FAILING: the driver failed, the operator decides whether to retry',
      'Progressing | PENDING_RERUN: waiting to be submitted again',
      'Progressing | INVALIDATING: the spec changed, the running attempt is being stopped',
      'Degraded | FAILED: the application failed (driver container failed with ExitCode: 1)',
      'Degraded | SUBMISSION_FAILED: spark-submit failed',
      'Progressing | UNKNOWN: the driver or an executor is in an unknown state',
      'Suspended | SUSPENDED: suspended',
      'Unknown | unrecognized application state SOMETHING_NEW',
    ]);
  });

  luaTest('SparkApplication: RUNNING is Healthy once the executors run (fixed, static, dynamic, streaming, unspecified)', () => {
    const running = (spec: object, executors: string[]) => ({
      ...app('RUNNING'),
      spec,
      status: { applicationState: { state: 'RUNNING' }, executorState: Object.fromEntries(executors.map((e, i) => [`exec-${i}`, e])) },
    });
    const R = 'RUNNING';
    const out = runHealth(ArgoCdSparkHealthChecks.sparkApplicationLua(), [
      running({ executor: { instances: 2 } }, [R, R]),
      running({ executor: { instances: 2 } }, [R, 'PENDING']),
      running({ executor: { instances: 2 }, dynamicAllocation: { enabled: true, minExecutors: 1, maxExecutors: 3 } }, [R, R, R]),
      running({ executor: { instances: 2 }, dynamicAllocation: { enabled: true, minExecutors: 1, maxExecutors: 3 } }, [R, R, R, R]),
      running({ executor: { instances: 2 }, dynamicAllocation: { enabled: true } }, [R, R, R, R, R]),
      running({ sparkConf: { 'spark.dynamicAllocation.enabled': 'true', 'spark.dynamicAllocation.minExecutors': '3' } }, [R, R]),
      running({ sparkConf: { 'spark.streaming.dynamicAllocation.enabled': 'true', 'spark.streaming.dynamicAllocation.maxExecutors': '4' } }, [R]),
      running({}, [R]),
      running({}, []),
      { ...app('RUNNING'), spec: { executor: { instances: 1 } } },
    ]);
    expect(out.map((line) => line.split(' | ')[0])).toEqual([
      'Healthy', 'Progressing', 'Healthy', 'Progressing', 'Healthy', 'Progressing', 'Healthy', 'Healthy', 'Progressing', 'Progressing',
    ]);
    expect(out[0]).toBe('Healthy | RUNNING: the driver and its executors are running');
  });

  // Argo CD's own check and its test cases: argoproj/argo-cd
  // resource_customizations/sparkoperator.k8s.io/SparkApplication/{health.lua,health_test.yaml,testdata/}.
  const upstream = referencePath('argo-cd-health.test.ts', 'argo-cd-3.6.0', 'health', 'SparkApplication');
  const upstreamTest = LUA && upstream ? test : test.skip;

  upstreamTest('SparkApplication: the same status as Argo CD\'s built-in check in each of its test cases', () => {
    const cases: Array<{ healthStatus: { status: string; message: string }; inputPath: string }> =
      parse(fs.readFileSync(path.join(upstream!, 'health_test.yaml'), 'utf8')).tests;
    expect(cases.length).toBeGreaterThanOrEqual(7);
    const objects = cases.map((c) => parse(fs.readFileSync(path.join(upstream!, c.inputPath), 'utf8')));
    const ours = runHealth(ArgoCdSparkHealthChecks.sparkApplicationLua(), objects);
    const theirs = runHealth(fs.readFileSync(path.join(upstream!, 'health.lua'), 'utf8'), objects);
    cases.forEach((c, i) => {
      const [status, message] = ours[i].split(' | ');
      expect(`${c.inputPath}: ${status}`).toBe(`${c.inputPath}: ${c.healthStatus.status}`);
      expect(theirs[i].split(' | ')[0]).toBe(c.healthStatus.status); // the harness runs their check as Argo CD does
      if (c.healthStatus.status === 'Degraded') {
        expect(message).toContain(c.healthStatus.message); // the operator's error message is kept
      }
    });
  });

  upstreamTest('SparkApplication: our own cases agree with the built-in check, apart from the documented states', () => {
    const objects = ['', 'SUBMITTED', 'RUNNING', 'SUCCEEDING', 'COMPLETED', 'FAILING', 'FAILED', 'SUBMISSION_FAILED', 'PENDING_RERUN', 'UNKNOWN']
      .map((state) => ({ ...app(state), spec: { executor: { instances: 1 } }, status: { applicationState: { state, errorMessage: 'boom' }, executorState: { e: 'RUNNING' } } }));
    const status = (lines: string[]) => lines.map((l) => l.split(' | ')[0]);
    expect(status(runHealth(ArgoCdSparkHealthChecks.sparkApplicationLua(), objects)))
      .toEqual(status(runHealth(fs.readFileSync(path.join(upstream!, 'health.lua'), 'utf8'), objects)));
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
