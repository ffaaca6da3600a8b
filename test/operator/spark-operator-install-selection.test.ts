import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ISparkJob, ScheduledSparkApplication, SparkApplication, SparkApplicationProps, SparkApplicationType, SparkJobs, SparkOperator, SparkOperatorInstall,
  SparkOperatorInstallProps, SparkOperatorUiIngressOptions, SparkTenant, TenantApiServerAccess,
} from '../../src';
import { synthValid } from '../harness/manifests';

// Flags and behaviour of kubeflow/spark-operator v2.5.2: cmd/operator/controller/start.go
// (--namespace-selector, --ingress-*), cmd/operator/webhook/start.go (no selector: --namespaces only),
// pkg/util/namespace.go (the selector ORs with --namespaces; both empty = all namespaces),
// internal/controller/sparkapplication/driveringress.go (the UI Ingress, read back through the cached client).

/** A minimal operator-managed job. */
class FakeJob extends Construct implements ISparkJob {
  constructor(scope: Construct, id: string, public readonly jobNamespace: string, public readonly managedByOperator = true) {
    super(scope, id);
    SparkJobs.register(this);
  }
}

const SELECTOR = { 'spark.example.com/jobs': 'enabled' };
const PI: SparkApplicationProps = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};
const API = TenantApiServerAccess.toCidrs(['192.168.10.10/32']);

function setup(props: SparkOperatorInstallProps = {}, jobNamespaces: string[] = ['spark-jobs']) {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  jobNamespaces.forEach((ns, i) => new FakeJob(chart, `Job${i}`, ns));
  const install = new SparkOperatorInstall(chart, 'Operator', props);
  return { app, chart, install };
}

/** A Namespace the app creates, with labels. */
const namespace = (scope: Construct, name: string, labels: { [key: string]: string } = {}) =>
  new k8s.KubeNamespace(scope, `Ns-${name}`, { metadata: { name, labels } });

const find = (manifests: any[], kind: string, name?: string) =>
  manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
const one = (manifests: any[], kind: string, name?: string) => {
  const found = find(manifests, kind, name);
  expect(found).toHaveLength(1);
  return found[0];
};
const args = (manifests: any[], name: string): string[] => one(manifests, 'Deployment', name).spec.template.spec.containers[0].args;
const verbsOn = (rules: any[], group: string, resource: string) =>
  rules.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs).sort();

const synthError = (app: { synthYaml: () => unknown }): string => {
  try {
    app.synthYaml();
  } catch (e) {
    return (e as Error).message;
  }
  return '(synthesized without error)';
};

describe('SparkOperatorInstall: job namespaces selected by label', () => {
  test('the controller selects the namespaces, the webhook serves all and its configurations pick the labelled ones', () => {
    const { chart, install } = setup({ jobNamespaceSelector: { team: 'data', ...SELECTOR } }, ['team-a']);
    const manifests = synthValid(chart);
    const controller = args(manifests, 'spark-operator-controller');
    // Keys in order, as labels.Parse reads `k=v,k=v`.
    expect(controller).toContain('--namespace-selector=spark.example.com/jobs=enabled,team=data');
    expect(controller.filter((a) => a.startsWith('--namespaces'))).toEqual([]);
    // The webhook binary has no selector flag: without --namespaces it serves every namespace.
    expect(args(manifests, 'spark-operator-webhook').filter((a) => /^--namespace/.test(a))).toEqual([]);
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      for (const webhook of one(manifests, kind).webhooks) {
        expect(webhook.namespaceSelector).toEqual({ matchLabels: { 'spark.example.com/jobs': 'enabled', 'team': 'data' } });
      }
    }
    expect(install.jobNamespaceSelector).toEqual({ 'spark.example.com/jobs': 'enabled', 'team': 'data' });
    expect(install.jobNamespaces).toEqual([]);
    expect(install.watchesAllNamespaces).toBe(false);
  });

  test('RBAC: job rules through ClusterRoles (the namespaces are not known in advance), Namespaces readable by the controller', () => {
    const { chart, install } = setup({ jobNamespaceSelector: SELECTOR }, ['team-a']);
    install.watchNamespace('team-b');
    const manifests = synthValid(chart);
    // No Role outside the operator's namespace.
    expect(find(manifests, 'Role').map((r) => r.metadata.namespace)).toEqual(['spark-operator', 'spark-operator']);
    expect(verbsOn(one(manifests, 'ClusterRole', 'spark-operator-controller-jobs').rules, '', 'pods'))
      .toEqual(['create', 'delete', 'get', 'list', 'update', 'watch']);
    expect(one(manifests, 'ClusterRoleBinding', 'spark-operator-controller-jobs').subjects[0].name).toBe('spark-operator-controller');
    expect(verbsOn(one(manifests, 'ClusterRole', 'spark-operator-webhook-jobs').rules, '', 'pods')).toEqual(['get', 'list', 'watch']);
    // The chart grants the same when spark.jobNamespaceSelector is set (templates/controller/rbac.yaml).
    expect(verbsOn(one(manifests, 'ClusterRole', 'spark-operator-controller').rules, '', 'namespaces')).toEqual(['get', 'list', 'watch']);
  });

  test('without a selector the controller reads no Namespace', () => {
    const manifests = synthValid(setup().chart);
    expect(verbsOn(one(manifests, 'ClusterRole', 'spark-operator-controller').rules, '', 'namespaces')).toEqual([]);
  });

  test('the namespaces the app creates are matched against the selector, the API server\'s name label included', () => {
    const { chart, install } = setup({ jobNamespaceSelector: SELECTOR }, []);
    namespace(chart, 'labelled', SELECTOR);
    namespace(chart, 'plain', { team: 'data' });
    expect(install.watchesNamespace('labelled')).toBe(true);
    expect(install.watchesNamespace('plain')).toBe(false);
    // Not created by the app: its labels are not known here.
    expect(install.watchesNamespace('elsewhere')).toBe(true);
    const byName = setup({ jobNamespaceSelector: { 'kubernetes.io/metadata.name': 'plain' } }, []);
    namespace(byName.chart, 'plain');
    expect(byName.install.watchesNamespace('plain')).toBe(true);
  });

  test('a job or tenant in a labelled namespace synthesizes; tenants label their namespace', () => {
    const { app, chart } = setup({ jobNamespaceSelector: SELECTOR }, ['elsewhere']);
    new SparkTenant(chart, 'Tenant', { namespace: 'etl', apiServer: API, labels: SELECTOR });
    new SparkApplication(chart, 'Pi', { ...PI, namespace: 'etl' });
    expect(synthError(app)).toBe('(synthesized without error)');
  });

  // One row per app that fails synthesis: how it is made, and the message.
  const failures: Array<[string, (chart: Chart) => void, string]> = [
    ['a job in a namespace the app creates without the labels', (c) => {
      namespace(c, 'plain');
      new FakeJob(c, 'Late', 'plain');
    }, 'test/Late: namespace "plain" is not watched by the Spark operator test/Operator, which runs jobs in the namespaces labelled '
      + 'spark.example.com/jobs=enabled: label the namespace spark.example.com/jobs=enabled'],
    ['a tenant whose namespace lacks the labels', (c) => new SparkTenant(c, 'Tenant', { namespace: 'etl', apiServer: API }),
      'test/Tenant: namespace "etl" is declared for Spark operator jobs but not watched by the Spark operator test/Operator, '
      + 'which runs jobs in the namespaces labelled spark.example.com/jobs=enabled: label the namespace'],
    ['watchNamespace of a namespace the app creates without the labels', (c) => {
      namespace(c, 'plain');
      SparkOperatorInstall.find(c)!.watchNamespace('plain');
    }, 'test/Operator: namespace "plain" is to be watched (watchNamespace), but the app creates it without the labels '
      + 'spark.example.com/jobs=enabled the operator selects its namespaces by: label it'],
    ['a second install whose selector a namespace can also match',
      (c) => new SparkOperatorInstall(c, 'Second', { name: 'second', namespace: 'second', installCrds: false, jobNamespaceSelector: { team: 'data' } }),
      'test/Second: the Spark operators test/Operator and test/Second both select namespaces by label (spark.example.com/jobs=enabled; team=data) '
      + 'and a namespace may carry both'],
    ['a second install that watches all namespaces',
      (c) => new SparkOperatorInstall(c, 'Second', { name: 'second', namespace: 'second', installCrds: false, watchAllNamespaces: true }),
      'test/Second: the Spark operators test/Operator and test/Second overlap: test/Second watches all namespaces, including those '
      + 'test/Operator selects (spark.example.com/jobs=enabled)'],
    ['a second install listing a namespace the app labels for the first', (c) => {
      namespace(c, 'labelled', SELECTOR);
      new SparkOperatorInstall(c, 'Second', { name: 'second', namespace: 'second', installCrds: false, jobNamespaces: ['labelled'] });
    }, 'test/Second: the Spark operators test/Operator and test/Second both watch namespace "labelled" (labelled spark.example.com/jobs=enabled)'],
  ];
  test.each(failures)('synthesis fails for %s', (_name, add, message) => {
    const { app, chart } = setup({ jobNamespaceSelector: SELECTOR }, []);
    add(chart);
    expect(synthError(app)).toContain(message);
  });

  test('no overlap with a selector of another value, or with a list of namespaces whose labels are unknown', () => {
    const { app, chart } = setup({ jobNamespaceSelector: SELECTOR }, []);
    new SparkOperatorInstall(chart, 'Second', {
      name: 'second', namespace: 'second', installCrds: false, jobNamespaceSelector: { 'spark.example.com/jobs': 'legacy' },
    });
    new SparkOperatorInstall(chart, 'Third', { name: 'third', namespace: 'third', installCrds: false, jobNamespaces: ['elsewhere'] });
    expect(synthError(app)).toBe('(synthesized without error)');
  });

  test('an install with a selector needs no namespace to be named', () => {
    const { app } = setup({ jobNamespaceSelector: SELECTOR }, []);
    expect(synthError(app)).toBe('(synthesized without error)');
  });

  test('a change of the selector after construction fails synthesis', () => {
    const selector: { [key: string]: string } = { ...SELECTOR };
    const { app } = setup({ jobNamespaceSelector: selector });
    selector.team = 'data';
    expect(synthError(app)).toContain('test/Operator: props changed after test/Operator was created, so the change would be ignored');
  });

  test.each<[string, SparkOperatorInstallProps, string]>([
    ['with jobNamespaces', { jobNamespaceSelector: SELECTOR, jobNamespaces: ['a'] },
      'test/Operator: invalid jobNamespaces ["a"]: leave jobNamespaces unset when jobNamespaceSelector is given'],
    ['with watchAllNamespaces', { jobNamespaceSelector: SELECTOR, watchAllNamespaces: true },
      'test/Operator: invalid watchAllNamespaces true: false (or unset) when jobNamespaceSelector is given'],
    ['without labels', { jobNamespaceSelector: {} }, 'test/Operator: invalid jobNamespaceSelector {}: at least one label'],
    ['given as a string (plain JavaScript)', { jobNamespaceSelector: 'spark=on' as any }, 'test/Operator: invalid jobNamespaceSelector "spark=on": at least one label'],
    ['a bad key', { jobNamespaceSelector: { 'spark jobs': 'on' } }, 'test/Operator: invalid jobNamespaceSelector key "spark jobs": a label key'],
    ['a bad value', { jobNamespaceSelector: { spark: 'on/off' } }, 'test/Operator: invalid jobNamespaceSelector["spark"] "on/off": a label value'],
  ])('refuses a selector %s', (_name, props, message) => {
    expect(() => setup(props)).toThrow(message);
  });
});

describe('SparkOperatorInstall: an Ingress per application UI', () => {
  const HOSTS = '{{$appName}}.{{$appNamespace}}.spark.example.com';
  const ingress = (options: Partial<SparkOperatorUiIngressOptions> = {}): SparkOperatorInstallProps =>
    ({ controller: { uiIngress: { urlFormat: HOSTS, ...options } } });

  test('the controller flags, with the TLS and annotations as JSON', () => {
    const { chart } = setup(ingress({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['*.spark.example.com'], secretName: 'spark-ui-tls' }],
      annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m', 'cert-manager.io/cluster-issuer': 'letsencrypt' },
    }));
    const controller = args(synthValid(chart), 'spark-operator-controller');
    expect(controller).toEqual(expect.arrayContaining([
      '--enable-ui-service=true',
      `--ingress-url-format=${HOSTS}`,
      '--ingress-class-name=nginx',
      '--ingress-tls=[{"hosts":["*.spark.example.com"],"secretName":"spark-ui-tls"}]',
      // Keys sorted: the same flag on every synthesis.
      '--ingress-annotations={"cert-manager.io/cluster-issuer":"letsencrypt","nginx.ingress.kubernetes.io/proxy-body-size":"8m"}',
    ]));
    // Only what is given.
    expect(args(synthValid(setup(ingress()).chart), 'spark-operator-controller').filter((a) => a.startsWith('--ingress')))
      .toEqual([`--ingress-url-format=${HOSTS}`]);
    expect(args(synthValid(setup().chart), 'spark-operator-controller').filter((a) => a.startsWith('--ingress'))).toEqual([]);
  });

  test('the controller may list and watch Ingresses in the job namespaces (its cached read starts an informer)', () => {
    const withIngress = synthValid(setup(ingress()).chart);
    expect(verbsOn(one(withIngress, 'Role', 'spark-operator-controller-jobs').rules, 'networking.k8s.io', 'ingresses'))
      .toEqual(['create', 'delete', 'get', 'list', 'update', 'watch']);
    const without = synthValid(setup().chart);
    expect(verbsOn(one(without, 'Role', 'spark-operator-controller-jobs').rules, 'networking.k8s.io', 'ingresses'))
      .toEqual(['create', 'delete', 'get', 'update']);
    const clusterWide = synthValid(setup({ ...ingress(), watchAllNamespaces: true }).chart);
    expect(verbsOn(one(clusterWide, 'ClusterRole', 'spark-operator-controller-jobs').rules, 'networking.k8s.io', 'ingresses'))
      .toEqual(['create', 'delete', 'get', 'list', 'update', 'watch']);
  });

  test.each([
    ['a host per application', HOSTS],
    ['spaces inside the braces, as the operator allows', '{{ $appName }}-{{ $appNamespace }}.spark.example.com'],
    ['a path per application on one host', 'spark.example.com/{{$appNamespace}}/{{$appName}}'],
    ['a scheme', 'https://spark.example.com/ui/{{$appNamespace}}/{{$appName}}'],
  ])('accepts %s', (_name, urlFormat) => {
    expect(args(synthValid(setup(ingress({ urlFormat })).chart), 'spark-operator-controller')).toContain(`--ingress-url-format=${urlFormat}`);
  });

  test.each<[string, SparkOperatorInstallProps, string]>([
    ['an Ingress without the UI Service', { controller: { uiService: false, uiIngress: { urlFormat: HOSTS } } },
      'test/Operator: invalid controller.uiIngress "set": left out when controller.uiService is false'],
    ['an empty URL', ingress({ urlFormat: ' ' }), 'test/Operator: invalid controller.uiIngress.urlFormat " ": a host name and optional path naming the application'],
    ['a URL without the application', ingress({ urlFormat: '{{$appNamespace}}.spark.example.com' }),
      'test/Operator: invalid controller.uiIngress.urlFormat "{{$appNamespace}}.spark.example.com": a URL naming the application with {{$appName}}'],
    ['the application id', ingress({ urlFormat: 'spark.example.com/{{$appId}}/{{$appName}}' }),
      'only {{$appName}} and {{$appNamespace}} as variables (not {{$appId}}, empty when the operator sets the UI\'s proxy base before submission)'],
    ['an unknown variable', ingress({ urlFormat: '{{$appName}}.{{$cluster}}.example.com' }), 'only {{$appName}} and {{$appNamespace}} as variables (not {{$cluster}})'],
    ['a port', ingress({ urlFormat: '{{$appName}}.spark.example.com:8443' }), 'then a host name of lowercase letters, digits, \'-\' and \'.\' (no port'],
    ['capitals in the host', ingress({ urlFormat: '{{$appName}}.Spark.example.com' }), 'invalid controller.uiIngress.urlFormat "{{$appName}}.Spark.example.com"'],
    ['a stray brace', ingress({ urlFormat: '{{$appName}.spark.example.com' }), 'invalid controller.uiIngress.urlFormat'],
    ['a trailing slash', ingress({ urlFormat: 'spark.example.com/{{$appName}}/' }), 'a path without a trailing \'/\''],
    ['a path with a query', ingress({ urlFormat: 'spark.example.com/{{$appName}}?x=1' }), 'invalid controller.uiIngress.urlFormat "spark.example.com/{{$appName}}?x=1": a path of letters, digits'],
    ['a bad class name', ingress({ ingressClassName: 'Nginx' }), 'test/Operator: invalid controller.uiIngress.ingressClassName "Nginx": a DNS-1123 subdomain'],
    ['TLS without hosts', ingress({ tls: [{ hosts: [] }] }), 'test/Operator: invalid controller.uiIngress.tls[0].hosts []: at least one host name'],
    ['a TLS wildcard of two levels', ingress({ tls: [{ hosts: ['*.*.example.com'] }] }), 'invalid controller.uiIngress.tls[0].hosts "*.*.example.com"'],
    ['an annotation that is no string', ingress({ annotations: { a: true as any } }), 'invalid controller.uiIngress.annotations["a"] true: a string'],
    ['annotations given as a string (plain JavaScript)', ingress({ annotations: 'a=b' as any }),
      'invalid controller.uiIngress.annotations "a=b": a map of annotation keys to string values'],
    ['TLS given as one entry (plain JavaScript)', ingress({ tls: { hosts: ['x.example.com'] } as any }), 'invalid controller.uiIngress.tls {"hosts":["x.example.com"]}: a list of TLS entries'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => setup(props)).toThrow(message);
  });

  test('a URL without the namespace fails synthesis once the operator runs jobs in several namespaces', () => {
    const single = setup(ingress({ urlFormat: '{{$appName}}.spark.example.com' }), ['team-a']);
    expect(synthError(single.app)).toBe('(synthesized without error)');
    const several = setup(ingress({ urlFormat: '{{$appName}}.spark.example.com' }), ['team-a', 'team-b']);
    expect(synthError(several.app)).toContain('test/Operator: invalid controller.uiIngress.urlFormat "{{$appName}}.spark.example.com": '
      + 'a URL naming the namespace with {{$appNamespace}} too');
    const selecting = setup({ ...ingress({ urlFormat: '{{$appName}}.spark.example.com' }), jobNamespaceSelector: SELECTOR }, []);
    expect(synthError(selecting.app)).toContain('a URL naming the namespace with {{$appNamespace}} too');
  });
});

describe('SparkApplication: the UI Service and Ingress of its operator', () => {
  const app = (operator: (c: Chart) => void, job: Partial<SparkApplicationProps>) => {
    const a = Testing.app();
    const c = new Chart(a, 'test');
    operator(c);
    new SparkApplication(c, 'Pi', { ...PI, namespace: 'etl', ...job });
    return a;
  };
  const install = (props: SparkOperatorInstallProps = {}) => (c: Chart) => new SparkOperatorInstall(c, 'Operator', props);
  const URL = '{{$appName}}.{{$appNamespace}}.spark.example.com';

  test.each<[string, (c: Chart) => void, Partial<SparkApplicationProps>]>([
    ['UI Ingress options with an install that has a UI Ingress', install({ controller: { uiIngress: { urlFormat: URL } } }),
      { uiIngress: { annotations: { a: 'b' } } }],
    ['UI Service options with the default install', install(), { uiService: { portName: 'http-ui' } }],
    // Nothing is known of an operator installed elsewhere.
    ['UI Ingress options with an operator installed elsewhere', (c) => SparkOperator.fromExisting(c, 'Operator', { jobNamespaces: ['etl'] }),
      { uiIngress: { annotations: { a: 'b' } } }],
    ['UI Ingress options with no operator in the app', () => undefined, { uiIngress: {} }],
  ])('synthesizes %s', (_name, operator, job) => {
    expect(synthError(app(operator, job))).toBe('(synthesized without error)');
  });

  test.each<[string, (c: Chart) => void, Partial<SparkApplicationProps>, string]>([
    ['UI Ingress options, the install has no UI Ingress', install(), { uiIngress: { annotations: { a: 'b' } } },
      'test/Pi: invalid uiIngress "set": left out, or a UI Ingress on the Spark operator test/Operator that runs the job (its controller.uiIngress)'],
    ['UI Service options, the install creates no UI Service', install({ controller: { uiService: false } }), { uiService: { port: 80 } },
      'test/Pi: invalid uiService "set": left out, as the Spark operator test/Operator that runs the job creates no UI Service'],
  ])('synthesis fails for %s', (_name, operator, job, message) => {
    expect(synthError(app(operator, job))).toContain(message);
  });

  test('a ScheduledSparkApplication carries the options in its template and is checked the same way', () => {
    const build = (props: SparkOperatorInstallProps) => {
      const a = Testing.app();
      const c = new Chart(a, 'test');
      new SparkOperatorInstall(c, 'Operator', props);
      new ScheduledSparkApplication(c, 'Nightly', { ...PI, namespace: 'etl', schedule: '@daily', uiIngress: { tls: [{ hosts: ['ui.example.com'] }] } });
      return { a, c };
    };
    const { c } = build({ controller: { uiIngress: { urlFormat: URL } } });
    const scheduled = synthValid(c).find((m) => m.kind === 'ScheduledSparkApplication');
    expect(scheduled.spec.template.sparkUIOptions).toEqual({ ingressTLS: [{ hosts: ['ui.example.com'] }] });
    expect(synthError(build({}).a)).toContain('test/Nightly: invalid uiIngress "set": left out, or a UI Ingress on the Spark operator test/Operator');
  });

  test('only the install that runs the job is asked', () => {
    const a = Testing.app();
    const c = new Chart(a, 'test');
    new SparkOperatorInstall(c, 'Operator', { jobNamespaces: ['etl'], controller: { uiIngress: { urlFormat: URL } } });
    new SparkOperatorInstall(c, 'Other', { name: 'other', namespace: 'other', installCrds: false, jobNamespaces: ['ml'] });
    new SparkApplication(c, 'Pi', { ...PI, namespace: 'etl', uiIngress: { annotations: { a: 'b' } } });
    expect(synthError(a)).toBe('(synthesized without error)');
  });

  test('a change of the options after construction fails synthesis', () => {
    const annotations: { [key: string]: string } = { a: 'b' };
    const a = app(install({ controller: { uiIngress: { urlFormat: URL } } }), { uiIngress: { annotations } });
    annotations.c = 'd';
    expect(synthError(a)).toContain('test/Pi: props.uiIngress changed after test/Pi was created');
  });
});
