import { Chart, Testing } from 'cdk8s';
import { SparkServiceAccount, WorkloadIdentity } from '../../src';
import { synthValid } from '../harness/manifests';

describe('SparkServiceAccount', () => {
  test('defaults (snapshot)', () => {
    const chart = new Chart(Testing.app(), 'test');
    new SparkServiceAccount(chart, 'Sa', { namespace: 'etl' });
    expect(synthValid(chart)).toMatchSnapshot();
  });

  test('ServiceAccount, least-privilege Role and RoleBinding in the job namespace', () => {
    const chart = new Chart(Testing.app(), 'test');
    const sa = new SparkServiceAccount(chart, 'Sa', { namespace: 'etl', name: 'etl-driver' });
    const manifests = synthValid(chart);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`))
      .toEqual(['ServiceAccount/etl/etl-driver', 'Role/etl/etl-driver', 'RoleBinding/etl/etl-driver']);
    const role = manifests.find((m) => m.kind === 'Role');
    const rules = Object.fromEntries(role.rules.map((r: any) => [r.resources.join(','), r.verbs.join(',')]));
    expect(rules).toEqual({
      pods: 'create,delete,deletecollection,get,list,watch',
      configmaps: 'create,delete,deletecollection,get,list',
      // Spark's KubernetesClusterSchedulerBackend.stop() deletes the app's Services by label
      // (apache/spark resource-managers/kubernetes/core/.../k8s/KubernetesClusterSchedulerBackend.scala).
      services: 'create,delete,deletecollection,get,list',
      persistentvolumeclaims: 'create,delete,deletecollection,get,list',
    });
    // Core API group only; no secrets, no wildcard, no escalation verbs.
    for (const rule of role.rules) {
      expect(rule.apiGroups).toEqual(['']);
      expect(rule.verbs).not.toContain('*');
      expect(rule.verbs).not.toContain('update');
    }
    const binding = manifests.find((m) => m.kind === 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'etl-driver' });
    expect(binding.roleRef.kind).not.toBe('ClusterRole');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'etl-driver', namespace: 'etl' }]);
    expect(sa.name).toBe('etl-driver');
    expect(sa.namespace).toBe('etl');
  });

  test('forNamespace returns one instance per app and namespace, created in the caller\'s chart', () => {
    const app = Testing.app();
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    const first = SparkServiceAccount.forNamespace(a, 'etl');
    expect(SparkServiceAccount.forNamespace(b, 'etl')).toBe(first);
    expect(Chart.of(first)).toBe(a);
    expect(SparkServiceAccount.forNamespace(b, 'ml')).not.toBe(first);
    expect(SparkServiceAccount.forNamespace(new Chart(Testing.app(), 'c'), 'etl')).not.toBe(first);
    // An explicit default-named account becomes the namespace's default.
    const c = new Chart(app, 'c');
    const explicit = new SparkServiceAccount(c, 'Sa', { namespace: 'batch' });
    expect(SparkServiceAccount.forNamespace(a, 'batch').node).toBe(explicit.node);
  });

  test('an explicit default-named account made after a job asked replaces the one made for the job', () => {
    const build = (explicitFirst: boolean) => {
      const app = Testing.app();
      const [accounts, jobs] = ['accounts', 'jobs'].map((id) => new Chart(app, id));
      const explicit = () => new SparkServiceAccount(accounts, 'Driver', { namespace: 'batch' });
      const made = explicitFirst ? explicit() : undefined;
      const ref = SparkServiceAccount.forNamespace(jobs, 'batch');
      const account = made ?? explicit();
      return { app, ref, account, jobs };
    };
    const late = build(false);
    expect(late.ref.node).toBe(late.account.node);
    expect(late.jobs.node.children).toHaveLength(0);
    expect(late.app.synthYaml()).toEqual(build(true).app.synthYaml());
  });

  test('serviceAccountAnnotations: on the ServiceAccount, beside the identity\'s', () => {
    const c = new Chart(Testing.app(), 'test');
    new SparkServiceAccount(c, 'Account', {
      namespace: 'etl',
      identity: WorkloadIdentity.aws('arn:aws:iam::123456789012:role/spark'),
      serviceAccountAnnotations: { 'example.com/owner': 'data-platform' },
    });
    const sa = synthValid(c).find((m) => m.kind === 'ServiceAccount');
    expect(sa.metadata.annotations).toEqual({
      'example.com/owner': 'data-platform',
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/spark',
    });
  });

  test('serviceAccountAnnotations changed after the account was made fail synthesis', () => {
    const c = new Chart(Testing.app(), 'test');
    const given: { [key: string]: string } = { 'example.com/owner': 'a' };
    new SparkServiceAccount(c, 'Account', { namespace: 'etl', serviceAccountAnnotations: given });
    given['example.com/owner'] = 'b';
    expect(() => Testing.synth(c)).toThrow('test/Account: serviceAccountAnnotations changed after test/Account was created');
  });

  const chart = () => new Chart(Testing.app(), 'test');
  test.each<[string, () => unknown, string]>([
    ['a namespace that is not a DNS-1123 label', () => new SparkServiceAccount(chart(), 'Bad', { namespace: 'Etl' }),
      'test/Bad: invalid namespace "Etl": a DNS-1123 label consists of lowercase letters'],
    ['a name that is not a DNS-1123 subdomain', () => new SparkServiceAccount(chart(), 'BadName', { namespace: 'etl', name: 'Driver' }),
      'test/BadName: invalid name "Driver": a DNS-1123 subdomain'],
    ['a name another account of the namespace has', () => {
      const c = chart();
      new SparkServiceAccount(c, 'One', { namespace: 'etl', name: 'x' });
      return new SparkServiceAccount(c, 'Two', { namespace: 'etl', name: 'x' });
    }, 'test/Two: invalid name "x": a name not used by another SparkServiceAccount in namespace "etl" (test/One)'],
    ['an annotation the identity sets', () => new SparkServiceAccount(chart(), 'Both', {
      namespace: 'etl',
      identity: WorkloadIdentity.aws('arn:aws:iam::123456789012:role/spark'),
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/other' },
    }), 'test/Both: invalid serviceAccountAnnotations "eks.amazonaws.com/role-arn": annotations other than those the identity sets'],
    ['an annotation key that is not a qualified name', () => new SparkServiceAccount(chart(), 'BadKey', {
      namespace: 'etl', serviceAccountAnnotations: { 'a b': 'x' },
    }), 'test/BadKey: invalid serviceAccountAnnotations'],
    ['forNamespace with a namespace that is not a DNS-1123 label', () => SparkServiceAccount.forNamespace(chart(), 'Nope'),
      'test: invalid namespace "Nope": a DNS-1123 label'],
  ])('refuses %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});
