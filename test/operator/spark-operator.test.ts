import { ApiObject, Chart, Testing } from 'cdk8s';
import {
  ArgoCdApplication, ArgoCdSyncLayer, ArgoCdSyncWaves, ExistingSparkOperatorProps, ISparkOperator, SparkApplication, SparkApplicationType,
  SparkOperator, SparkOperatorInstall, SparkTenant, TenantApiServerAccess,
} from '../../src';

const API = TenantApiServerAccess.toCidrs(['192.168.10.10/32']);
const PI = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};
// A SparkApplication as written by hand, so that the webhook (not the construct) is what refuses it.
const APP = { type: 'Scala', mode: 'cluster', sparkVersion: '3.5.7', image: 'apache/spark:3.5.7', mainClass: PI.mainClass, mainApplicationFile: PI.mainApplicationFile };
const raw = (c: Chart, id: string, spec: any, namespace = 'jobs') => new ApiObject(c, id, {
  apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'job', namespace }, spec,
});

function chart(): Chart {
  return new Chart(Testing.app(), 'test');
}

const synthError = (c: Chart): string => {
  try {
    Testing.synth(c);
  } catch (e) {
    return (e as Error).message;
  }
  return '(synthesized without error)';
};

describe('SparkOperator.fromExisting', () => {
  test('emits nothing and reports the facts it was given', () => {
    const c = chart();
    const op = SparkOperator.fromExisting(c, 'Operator', { namespace: 'kubeflow', jobNamespaces: ['team-b', 'team-a'], resourceQuotaEnforcement: true });
    expect(Testing.synth(c)).toEqual([]);
    expect(op.namespace).toBe('kubeflow');
    expect(op.name).toBe('spark-operator');
    expect(op.jobNamespaces).toEqual(['team-a', 'team-b']);
    expect(op.watchesAllNamespaces).toBe(false);
    expect(op.webhookEnabled).toBe(true);
    expect(op.resourceQuotaEnforcement).toBe(true);
    expect(op.installedByApp).toBe(false);
    expect(op.watchesNamespace('team-a')).toBe(true);
    expect(op.watchesNamespace('team-c')).toBe(false);
    expect(SparkOperator.isSparkOperator(op)).toBe(true);
    expect(SparkOperator.isExisting(op)).toBe(true);
  });

  test('an install is an ISparkOperator with the same facts', () => {
    const c = chart();
    const install: ISparkOperator = new SparkOperatorInstall(c, 'Operator', { jobNamespaces: ['jobs'], webhook: { resourceQuotaEnforcement: true } });
    expect(SparkOperator.isSparkOperator(install)).toBe(true);
    expect(SparkOperator.isExisting(install)).toBe(false);
    expect(install.installedByApp).toBe(true);
    expect(install.webhookEnabled).toBe(true);
    expect(install.resourceQuotaEnforcement).toBe(true);
    expect(install.watchesNamespace('jobs')).toBe(true);
    expect(install.watchesNamespace('other')).toBe(false);
    const plain = new SparkOperatorInstall(chart(), 'Operator', { watchAllNamespaces: true, webhook: { enabled: false } });
    expect(plain.webhookEnabled).toBe(false);
    expect(plain.resourceQuotaEnforcement).toBe(false);
    expect(plain.watchesNamespace('anything')).toBe(true);
  });

  test('jobs and tenants in watched namespaces synthesize; the operator adds no Roles there', () => {
    const c = chart();
    const op = SparkOperator.fromExisting(c, 'Operator', { jobNamespaces: ['team-a'] });
    new SparkTenant(c, 'Tenant', { namespace: 'team-a', apiServer: API, sparkOperator: op });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'team-a' });
    const m = Testing.synth(c);
    expect(m.filter((o) => o.kind === 'Role' && String(o.metadata.name).startsWith('spark-operator'))).toEqual([]);
    expect(m.filter((o) => o.kind === 'SparkApplication')).toHaveLength(1);
  });

  test('watchAllNamespaces accepts jobs anywhere', () => {
    const c = chart();
    SparkOperator.fromExisting(c, 'Operator', { watchAllNamespaces: true });
    new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'anywhere' });
    expect(synthError(c)).toBe('(synthesized without error)');
  });

  // One row per app that fails synthesis: what it adds besides an imported operator watching "team-a", and the message.
  const notWatched: Array<[string, (c: Chart, op: ISparkOperator) => void, string]> = [
    ['a job in another namespace', (c) => new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'team-b' }),
      'test/Pi: namespace "team-b" is not watched by the Spark operator test/Operator, which is installed outside this app and watches team-a'],
    ['a tenant given the operator', (c, op) => new SparkTenant(c, 'Tenant', { namespace: 'team-b', apiServer: API, sparkOperator: op }),
      'test/Operator: namespace "team-b" is not watched by the Spark operator test/Operator'],
    ['a tenant declaring its namespace for operator jobs', (c) => new SparkTenant(c, 'Tenant', { namespace: 'team-b', apiServer: API }),
      'test/Tenant: namespace "team-b" is declared for Spark operator jobs but not watched by the Spark operator test/Operator, '
      + 'which is installed outside this app and watches team-a: '
      + 'add it to the operator\'s own configuration (Helm spark.jobNamespaces) and to jobNamespaces of SparkOperator.fromExisting'],
  ];
  test.each(notWatched)('fails synthesis for %s', (_name, add, message) => {
    const c = chart();
    const op = SparkOperator.fromExisting(c, 'Operator', { jobNamespaces: ['team-a'] });
    add(c, op);
    expect(synthError(c)).toContain(message);
  });

  test('the same whichever is created first: the operator, its tenant or its job', () => {
    const build = (order: string[]) => {
      const c = chart();
      let op: ISparkOperator | undefined;
      const steps: { [k: string]: () => void } = {
        operator: () => { op = SparkOperator.fromExisting(c, 'Operator', { jobNamespaces: ['team-a'] }); },
        tenant: () => new SparkTenant(c, 'Tenant', { namespace: 'team-a', apiServer: API }),
        job: () => new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'team-a' }),
      };
      order.forEach((step) => steps[step]());
      expect(op).toBeDefined();
      return Testing.synth(c).map((o) => JSON.stringify(o)).sort();
    };
    const canonical = build(['operator', 'tenant', 'job']);
    expect(build(['job', 'tenant', 'operator'])).toEqual(canonical);
    expect(build(['tenant', 'job', 'operator'])).toEqual(canonical);
  });

  // The cluster model is given the webhook such an operator runs (kubeflow/spark-operator v2.5.2
  // internal/webhook/sparkapplication_validator.go and resourcequota.go, as for the install).
  test('its webhook\'s refusals are found in the app as for an install', () => {
    const c = chart();
    SparkOperator.fromExisting(c, 'Operator', { jobNamespaces: ['jobs'] });
    raw(c, 'Bad', { ...APP, sparkConf: { 'spark.master': 'local[*]' } });
    const error = synthError(c);
    expect(error).toContain('cluster model: SparkApplication jobs/job (test/Bad): the Spark operator\'s validating webhook '
      + 'validate-sparkoperator-k8s-io-v1beta2-sparkapplication.sparkoperator.k8s.io of ValidatingWebhookConfiguration spark-operator-webhook '
      + '(test/Operator [installed outside this app]) refuses it: spec.sparkConf sets spark.master, which the operator refuses');
  });

  test('no webhook findings outside its job namespaces, or with the webhook off', () => {
    const outside = chart();
    SparkOperator.fromExisting(outside, 'Operator', { jobNamespaces: ['jobs'] });
    raw(outside, 'Elsewhere', { ...APP, sparkConf: { 'spark.master': 'local[*]' } }, 'other');
    expect(synthError(outside)).toBe('(synthesized without error)');
    const off = chart();
    SparkOperator.fromExisting(off, 'Operator', { jobNamespaces: ['jobs'], webhookEnabled: false });
    raw(off, 'Bad', { ...APP, sparkConf: { 'spark.master': 'local[*]' } });
    expect(synthError(off)).toBe('(synthesized without error)');
  });

  test('quota enforcement, when declared, charges the operator\'s estimate against the namespace quota', () => {
    const build = (resourceQuotaEnforcement: boolean) => {
      const c = chart();
      SparkOperator.fromExisting(c, 'Operator', { jobNamespaces: ['jobs'], resourceQuotaEnforcement });
      new ApiObject(c, 'Quota', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'jobs' }, spec: { hard: { 'requests.cpu': '4' } } });
      raw(c, 'Bad', { ...APP, executor: { instances: 4, cores: 1, coreRequest: '500m' } });
      return c;
    };
    expect(synthError(build(false))).toBe('(synthesized without error)');
    expect(synthError(build(true))).toContain('refuses it: its requests.cpu of 5 (the operator\'s own estimate) is above the 4 of ResourceQuota jobs/q');
  });

  test('under Argo CD sync waves a running operator makes no wave finding (it serves before the sync)', () => {
    const c = chart();
    SparkOperator.fromExisting(c, 'Operator', { jobNamespaces: ['jobs'] });
    const job = new SparkApplication(c, 'Pi', { ...PI, name: 'pi', namespace: 'jobs' });
    ArgoCdSyncWaves.apply(c).assign(job, ArgoCdSyncLayer.NAMESPACES);
    expect(synthError(c)).toBe('(synthesized without error)');
  });

  test('Argo CD refuses to ignore the caBundle of an operator it does not sync', () => {
    const c = chart();
    const op = SparkOperator.fromExisting(c, 'Operator', { jobNamespaces: ['jobs'] });
    expect(() => ArgoCdApplication.webhookCaBundleDifferences(op)).toThrow(
      'ArgoCdApplication.webhookCaBundleDifferences: invalid install "test/Operator": a SparkOperatorInstall: an operator installed outside the app');
  });

  test('a namespace pushed into jobNamespaces after the import fails synthesis instead of being ignored', () => {
    const c = chart();
    const props = { jobNamespaces: ['team-a'] };
    SparkOperator.fromExisting(c, 'Operator', props);
    expect(synthError(c)).toBe('(synthesized without error)');
    props.jobNamespaces.push('team-b');
    expect(synthError(c)).toContain('test/Operator: props.jobNamespaces changed after test/Operator was created, so the change would be ignored: '
      + 'give every namespace the operator watches before calling SparkOperator.fromExisting');
  });

  test('a fact changed after the import fails synthesis instead of being ignored', () => {
    const c = chart();
    const props = { jobNamespaces: ['team-a'], webhookEnabled: true };
    SparkOperator.fromExisting(c, 'Operator', props);
    expect(synthError(c)).toBe('(synthesized without error)');
    props.webhookEnabled = false;
    expect(synthError(c)).toContain('test/Operator: props changed after test/Operator was created, so the change would be ignored: '
      + 'give the operator\'s facts before calling SparkOperator.fromExisting');
  });

  const refusals: Array<[string, ExistingSparkOperatorProps, string]> = [
    ['no job namespaces', {}, 'invalid jobNamespaces (undefined): the namespaces the operator was configured to watch'],
    ['an empty list', { jobNamespaces: [] }, 'invalid jobNamespaces []: the namespaces the operator was configured to watch'],
    ['both a list and all namespaces', { jobNamespaces: ['a'], watchAllNamespaces: true }, 'invalid jobNamespaces ["a"]: leave jobNamespaces unset'],
    ['a namespace not a label', { jobNamespaces: ['Team'] }, 'invalid jobNamespaces "Team"'],
    ['a namespace twice', { jobNamespaces: ['a', 'a'] }, 'invalid jobNamespaces ["a","a"]: distinct namespaces'],
    ['a bad operator namespace', { namespace: 'Kube', jobNamespaces: ['a'] }, 'invalid namespace "Kube"'],
    ['a bad name', { name: '1op', jobNamespaces: ['a'] }, 'invalid name "1op"'],
    ['quota enforcement without the webhook', { jobNamespaces: ['a'], webhookEnabled: false, resourceQuotaEnforcement: true },
      'invalid resourceQuotaEnforcement true: false when webhookEnabled is false'],
  ];
  test.each(refusals)('refuses %s', (_name, props, message) => {
    expect(() => SparkOperator.fromExisting(chart(), 'Operator', props)).toThrow(`test/Operator: ${message}`);
  });
});

// kubeflow/spark-operator v2.5.2 selects the SparkApplications it reconciles by namespace only
// (pkg/util/namespace.go NamespaceMatcher, used by internal/controller/sparkapplication/event_filter.go;
// an empty --namespaces list means every namespace): the app's operators are checked together.
describe('an install and an imported operator in one app', () => {
  type Step = (c: Chart) => void;
  const install = (props: object = { jobNamespaces: ['team-a'] }): Step => (c) => new SparkOperatorInstall(c, 'Install', props);
  const existing = (props: ExistingSparkOperatorProps = { jobNamespaces: ['team-b'] }, id = 'Existing'): Step =>
    (c) => SparkOperator.fromExisting(c, id, props);
  const job = (namespace: string, id = `Job-${namespace}`): Step => (c) => new SparkApplication(c, id, { ...PI, name: 'pi', namespace });
  const tenant = (namespace: string): Step => (c) => new SparkTenant(c, `Tenant-${namespace}`, { namespace, apiServer: API });
  /** The app built in the order given, and in the reverse order. */
  const bothOrders = (steps: Step[]) => [steps, [...steps].reverse()].map((order) => {
    const c = chart();
    order.forEach((step) => step(c));
    return c;
  });

  test('jobs and tenants of either operator synthesize, the same in any creation order', () => {
    const [forward, reverse] = bothOrders([install(), existing(), job('team-a'), job('team-b'), tenant('team-a'), tenant('team-b')]);
    const yaml = Testing.synth(forward);
    // The same objects, byte for byte (a chart lists its objects in creation order).
    const objects = (manifests: any[]) => manifests.map((o) => JSON.stringify(o)).sort();
    expect(objects(Testing.synth(reverse))).toEqual(objects(yaml));
    // The install's Roles are in its own job namespace only: team-b belongs to the imported operator.
    const roles = yaml.filter((o) => o.kind === 'Role' && String(o.metadata.name).endsWith('-jobs'));
    expect(roles.map((r) => r.metadata.namespace)).toEqual(['team-a', 'team-a']);
  });

  // One row per app that fails synthesis, whichever operator is created first: what it holds, and the message.
  const refusals: Array<[string, Step[], string]> = [
    ['a job neither operator watches', [install(), existing(), job('team-c')],
      'test/Job-team-c: namespace "team-c" is not watched by any Spark operator of the app (test/Existing, which is installed outside this app '
      + 'and watches team-b; test/Install): add it to jobNamespaces (or call watchNamespace) of an install, or add it to the operator\'s own '
      + 'configuration (Helm spark.jobNamespaces) and to jobNamespaces of SparkOperator.fromExisting'],
    ['a tenant neither operator watches', [install(), existing(), tenant('team-c')],
      'test/Tenant-team-c: namespace "team-c" is declared for Spark operator jobs but not watched by any Spark operator of the app'],
    ['a namespace both watch', [install({ jobNamespaces: ['team-a', 'team-b'] }), existing()],
      'test/Install: the Spark operators test/Existing and test/Install both watch namespace "team-b": the operator selects SparkApplications '
      + 'by namespace only, so both would run every application there; give each namespace to one operator only'],
    ['both watching all namespaces', [install({ watchAllNamespaces: true }), existing({ watchAllNamespaces: true })],
      'test/Install: the Spark operators test/Existing and test/Install both watch all namespaces: the operator selects SparkApplications '
      + 'by namespace only, so both would run every application there; let at most one of them watch all namespaces'],
    ['an install watching all namespaces beside one watching some', [install({ watchAllNamespaces: true }), existing()],
      'test/Install: the Spark operators test/Existing and test/Install both watch namespace "team-b"'],
    ['two imported operators sharing namespaces', [existing({ jobNamespaces: ['x', 'y'] }), existing({ jobNamespaces: ['y', 'x'] }, 'Other')],
      'test/Other: the Spark operators test/Existing and test/Other both watch namespaces "x", "y"'],
    ['an install deriving its namespaces beside an imported operator', [install({}), existing(), job('team-b')],
      'test/Install: derives its job namespaces from all the jobs of the app, which has other Spark operators (test/Existing); '
      + 'give it jobNamespaces so that no namespace is watched twice'],
  ];
  test.each(refusals)('refuses %s', (_name, steps, message) => {
    for (const c of bothOrders(steps)) {
      expect(synthError(c)).toContain(message);
    }
  });
});
