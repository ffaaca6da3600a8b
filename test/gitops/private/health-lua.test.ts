import { scheduledSparkApplicationLua, SPARK_APPLICATION_LUA } from '../../../src/gitops/private/health-lua';
import { luaTestFor, runHealth } from '../../harness/lua';

// The checks run under a real Lua 5.1 interpreter (Argo CD's gopher-lua
// implements 5.1), against status objects shaped as the Spark operator v2.5.2
// writes them: kubeflow/spark-operator api/v1beta2/sparkapplication_types.go
// (SparkApplicationStatus: applicationState {state, errorMessage}, executorState
// map of executor pod name to PENDING/RUNNING/COMPLETED/FAILED/UNKNOWN) and
// api/v1beta2/scheduledsparkapplication_types.go (ScheduledSparkApplicationStatus:
// scheduleState "", Validating, Scheduled, FailedValidation; reason; lastRunName;
// pastFailedRunNames; nextRun, a metav1.Time that is JSON null until set).
const luaTest = luaTestFor('health-lua.test.ts');

const APP = { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'pi', namespace: 'spark' } };
const application = (spec: object, status?: object) => ({ ...APP, spec, ...(status ? { status } : {}) });
const executors = (...states: string[]) => Object.fromEntries(states.map((s, i) => [`pi-exec-${i + 1}`, s]));

describe('gitops/private/health-lua: SparkApplication', () => {
  // Every ApplicationStateType constant of api/v1beta2/sparkapplication_types.go (v2.5.2), with the status it gets.
  luaTest.each<[string, string, string]>([
    ['', 'Progressing', 'waiting for the Spark operator to submit the application'],
    ['SUBMITTED', 'Progressing', 'SUBMITTED: submitted, waiting for the driver to run'],
    ['RUNNING', 'Progressing', 'RUNNING: the driver is running, waiting for the executors'],
    ['COMPLETED', 'Healthy', 'COMPLETED: the application completed'],
    ['FAILED', 'Degraded', 'FAILED: the application failed'],
    ['SUBMISSION_FAILED', 'Degraded', 'SUBMISSION_FAILED: spark-submit failed'],
    ['PENDING_RERUN', 'Progressing', 'PENDING_RERUN: waiting to be submitted again'],
    ['INVALIDATING', 'Progressing', 'INVALIDATING: the spec changed, the running attempt is being stopped'],
    ['SUCCEEDING', 'Progressing', 'SUCCEEDING: the driver succeeded, waiting for the executors to finish'],
    ['FAILING', 'Degraded', 'FAILING: the driver failed, the operator decides whether to retry'],
    ['SUSPENDING', 'Progressing', 'SUSPENDING: being suspended'],
    ['SUSPENDED', 'Suspended', 'SUSPENDED: suspended'],
    ['RESUMING', 'Progressing', 'RESUMING: being resumed'],
    ['UNKNOWN', 'Progressing', 'UNKNOWN: the driver or an executor is in an unknown state'],
  ])('state %p is %s', (state, status, message) => {
    // Executors that do not satisfy spec.executor.instances, so RUNNING stays Progressing.
    expect(runHealth(SPARK_APPLICATION_LUA, [application({ executor: { instances: 3 } }, {
      applicationState: { state }, executorState: executors('RUNNING', 'PENDING'),
    })])).toEqual([`${status} | ${message}`]);
  });

  luaTest('no status yet, and a state the operator may add later', () => {
    expect(runHealth(SPARK_APPLICATION_LUA, [
      application({}),
      application({ suspend: true }),
      application({}, { applicationState: { state: 'NEW_STATE' } }),
    ])).toEqual([
      'Progressing | waiting for the Spark operator to submit the application',
      'Suspended | suspended before submission',
      'Unknown | unrecognized application state NEW_STATE',
    ]);
  });

  luaTest('the operator\'s errorMessage is kept in the message', () => {
    expect(runHealth(SPARK_APPLICATION_LUA, [
      application({}, { applicationState: { state: 'FAILED', errorMessage: 'driver container failed with ExitCode: 137, Reason: OOMKilled' } }),
      application({}, { applicationState: { state: 'SUBMISSION_FAILED', errorMessage: '' } }),
    ])).toEqual([
      'Degraded | FAILED: the application failed (driver container failed with ExitCode: 137, Reason: OOMKilled)',
      'Degraded | SUBMISSION_FAILED: spark-submit failed',
    ]);
  });

  // RUNNING becomes Healthy when the executors the spec asks for run. Executors in
  // other states (PENDING, COMPLETED, FAILED, UNKNOWN) do not count.
  const R = 'RUNNING';
  luaTest.each<[string, object, string[], string]>([
    ['fixed instances, all running', { executor: { instances: 2 } }, [R, R], 'Healthy'],
    ['fixed instances, one pending', { executor: { instances: 2 } }, [R, 'PENDING'], 'Progressing'],
    ['fixed instances, one failed', { executor: { instances: 2 } }, [R, 'FAILED'], 'Progressing'],
    ['fixed instances, no executor yet', { executor: { instances: 1 } }, [], 'Progressing'],
    ['dynamicAllocation within min..max', { dynamicAllocation: { enabled: true, minExecutors: 1, maxExecutors: 3 } }, [R, R], 'Healthy'],
    ['dynamicAllocation below min', { dynamicAllocation: { enabled: true, minExecutors: 2, maxExecutors: 3 } }, [R, 'COMPLETED'], 'Progressing'],
    ['dynamicAllocation above max', { dynamicAllocation: { enabled: true, minExecutors: 1, maxExecutors: 2 } }, [R, R, R], 'Progressing'],
    ['dynamicAllocation without bounds', { dynamicAllocation: { enabled: true } }, [], 'Healthy'],
    ['dynamicAllocation disabled falls back to instances', { executor: { instances: 1 }, dynamicAllocation: { enabled: false } }, [R], 'Healthy'],
    ['spark.dynamicAllocation conf', { sparkConf: { 'spark.dynamicAllocation.enabled': 'true', 'spark.dynamicAllocation.minExecutors': '2' } }, [R, R], 'Healthy'],
    ['spark.dynamicAllocation conf below min', { sparkConf: { 'spark.dynamicAllocation.enabled': 'true', 'spark.dynamicAllocation.minExecutors': '2' } }, [R], 'Progressing'],
    ['streaming dynamic allocation max', { sparkConf: { 'spark.streaming.dynamicAllocation.enabled': 'true', 'spark.streaming.dynamicAllocation.maxExecutors': '1' } }, [R, R], 'Progressing'],
    ['nothing specified, one running', {}, [R], 'Healthy'],
    ['nothing specified, none running', {}, ['PENDING'], 'Progressing'],
  ])('RUNNING with %s: %s', (_name, spec, states, status) => {
    const [line] = runHealth(SPARK_APPLICATION_LUA, [application(spec, { applicationState: { state: 'RUNNING' }, executorState: executors(...states) })]);
    expect(line.split(' | ')[0]).toBe(status);
  });

  luaTest('RUNNING without an executorState map is Progressing whatever the spec', () => {
    expect(runHealth(SPARK_APPLICATION_LUA, [
      application({}, { applicationState: { state: 'RUNNING' } }),
      application({ dynamicAllocation: { enabled: true } }, { applicationState: { state: 'RUNNING' } }),
    ]).map((l) => l.split(' | ')[0])).toEqual(['Progressing', 'Progressing']);
  });
});

describe('gitops/private/health-lua: ScheduledSparkApplication', () => {
  const scheduled = (status?: object, spec: object = { schedule: '@daily' }) =>
    ({ apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'ScheduledSparkApplication', spec, ...(status ? { status } : {}) });

  test('the degradeOnFailedLastRun switch is written into the script as a Lua boolean', () => {
    expect(scheduledSparkApplicationLua(true)).toContain('local degradeOnFailedLastRun = true\n');
    expect(scheduledSparkApplicationLua(false)).toContain('local degradeOnFailedLastRun = false\n');
    expect(scheduledSparkApplicationLua(true).replace('= true\n', '= false\n')).toBe(scheduledSparkApplicationLua(false));
  });

  const failedLast = { scheduleState: 'Scheduled', lastRunName: 'nightly-1700000000', pastFailedRunNames: ['nightly-1700000000'], nextRun: null };
  luaTest.each<[string, object | undefined, object | undefined, boolean, string]>([
    ['no status yet', undefined, undefined, true, 'Progressing | waiting for the Spark operator to validate the schedule'],
    ['Validating', { scheduleState: 'Validating', nextRun: null }, undefined, true,
      'Progressing | waiting for the Spark operator to validate the schedule'],
    ['Scheduled with nextRun', { scheduleState: 'Scheduled', nextRun: '2026-12-05T00:00:00Z' }, undefined, true,
      'Healthy | scheduled, next run at 2026-12-05T00:00:00Z'],
    ['Scheduled, nextRun null', { scheduleState: 'Scheduled', nextRun: null }, undefined, true, 'Healthy | scheduled'],
    ['the last run failed', failedLast, undefined, true, 'Degraded | the last run nightly-1700000000 failed'],
    ['the last run failed, not degrading', failedLast, undefined, false, 'Healthy | scheduled'],
    ['an earlier run failed', { ...failedLast, lastRunName: 'nightly-1700086400' }, undefined, true, 'Healthy | scheduled'],
    ['FailedValidation with a reason', { scheduleState: 'FailedValidation', reason: 'expected exactly 5 fields, found 4: [* * * *]' }, undefined, true,
      'Degraded | the schedule is invalid: expected exactly 5 fields, found 4: [* * * *]'],
    ['FailedValidation without a reason', { scheduleState: 'FailedValidation' }, undefined, true, 'Degraded | the schedule is invalid'],
    ['suspended, whatever the state', { scheduleState: 'FailedValidation' }, { schedule: '@daily', suspend: true }, true, 'Suspended | runs are suspended'],
    ['an unknown state', { scheduleState: 'Paused' }, undefined, true, 'Unknown | unrecognized schedule state Paused'],
  ])('%s', (_name, status, spec, degrade, expected) => {
    expect(runHealth(scheduledSparkApplicationLua(degrade), [scheduled(status, spec)])).toEqual([expected]);
  });
});
