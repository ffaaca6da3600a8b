import * as fs from 'fs';
import { k8s } from 'cdk8s-plus-28';
import { parse } from 'yaml';
import {
  controllerClusterRules, controllerJobRules, leaderElectionRules, webhookConfigurationRules, webhookJobRules, webhookSecretRules,
} from '../../../src/operator/private/rbac';
import { referencePath } from '../../harness/reference';

/** Every (apiGroup, resource, verb, resourceName) a rule list grants, as sorted strings. */
function grants(rules: k8s.PolicyRule[]): string[] {
  const out = new Set<string>();
  for (const rule of rules) {
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        for (const verb of rule.verbs) {
          for (const name of rule.resourceNames ?? ['*']) {
            out.add(`${group || 'core'} ${resource} ${verb} ${name}`);
          }
        }
      }
    }
  }
  return [...out].sort();
}
/** The verbs a rule list grants on one resource (any name). */
const verbsOn = (rules: k8s.PolicyRule[], group: string, resource: string) => [...new Set(rules
  .filter((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource) && !r.resourceNames)
  .flatMap((r) => r.verbs))].sort();

const JOB = { batchScheduler: false, kubeSchedulers: false };

describe('operator/private/rbac', () => {
  // What the operator v2.5.2's controllers do with each resource in a job namespace: the
  // kubebuilder markers of kubeflow/spark-operator internal/controller/sparkapplication/controller.go,
  // scheduledsparkapplication/controller.go and sparkconnect/reconciler.go (the union over the three),
  // plus list and watch where controller-runtime's cached client reads the type.
  test.each<[string, string, string[]]>([
    ['', 'pods', ['create', 'delete', 'get', 'list', 'update', 'watch']],
    ['', 'configmaps', ['create', 'get', 'list', 'patch', 'update', 'watch']],
    ['', 'services', ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']],
    ['', 'events', ['create', 'patch', 'update']],
    ['networking.k8s.io', 'ingresses', ['create', 'delete', 'get', 'update']],
    // ScheduledSparkApplication creates and deletes the SparkApplications of its runs.
    ['sparkoperator.k8s.io', 'sparkapplications', ['create', 'delete', 'get', 'list', 'watch']],
    ['sparkoperator.k8s.io', 'scheduledsparkapplications', ['get', 'list', 'watch']],
    ['sparkoperator.k8s.io', 'sparkconnects', ['get', 'list', 'watch']],
    ['sparkoperator.k8s.io', 'sparkapplications/status', ['update']],
    ['sparkoperator.k8s.io', 'scheduledsparkapplications/status', ['update']],
    ['sparkoperator.k8s.io', 'sparkconnects/status', ['update']],
    ['sparkoperator.k8s.io', 'sparkapplications/finalizers', ['update']],
    ['sparkoperator.k8s.io', 'scheduledsparkapplications/finalizers', ['update']],
    ['sparkoperator.k8s.io', 'sparkconnects/finalizers', ['update']],
  ])('controller in a job namespace: %s %s', (group, resource, verbs) => {
    expect(verbsOn(controllerJobRules(JOB), group, resource)).toEqual(verbs);
  });

  test('controller in a job namespace: nothing on Secrets, and the batch scheduler PodGroups only when enabled', () => {
    const base = grants(controllerJobRules(JOB));
    expect(base.filter((g) => / secrets /.test(g))).toEqual([]);
    expect(base.filter((g) => /podgroups/.test(g))).toEqual([]);
    // Volcano (scheduling.volcano.sh and its older groups) and scheduler-plugins (scheduling.x-k8s.io,
    // v2.5.2 internal/scheduler/kubescheduler/scheduler.go: Get, Create, Update, Delete of PodGroups).
    const volcano = controllerJobRules({ batchScheduler: true, kubeSchedulers: false });
    expect(volcano.filter((r) => r.resources?.includes('podgroups')).flatMap((r) => r.apiGroups))
      .toEqual(['scheduling.incubator.k8s.io', 'scheduling.sigs.dev', 'scheduling.volcano.sh']);
    const plugins = controllerJobRules({ batchScheduler: false, kubeSchedulers: true });
    expect(verbsOn(plugins, 'scheduling.x-k8s.io', 'podgroups')).toEqual(['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']);
    expect(grants(controllerJobRules({ batchScheduler: true, kubeSchedulers: true })))
      .toEqual([...new Set([...grants(volcano), ...grants(plugins)])].sort());
  });

  test('cluster-wide, the controller only checks for optional CRDs', () => {
    expect(grants(controllerClusterRules(false))).toContain('apiextensions.k8s.io customresourcedefinitions get *');
  });

  test('with a namespace selector the controller also reads Namespaces (an informer: get, list and watch)', () => {
    expect(grants(controllerClusterRules(true))).toEqual([
      'apiextensions.k8s.io customresourcedefinitions get *',
      'core namespaces get *', 'core namespaces list *', 'core namespaces watch *',
    ]);
  });

  test('with a UI Ingress the controller may list and watch Ingresses, nothing else changes', () => {
    const withIngress = controllerJobRules({ ...JOB, uiIngress: true });
    expect(verbsOn(withIngress, 'networking.k8s.io', 'ingresses')).toEqual(['create', 'delete', 'get', 'list', 'update', 'watch']);
    expect(grants(withIngress).filter((g) => !g.startsWith('networking.k8s.io ingresses')))
      .toEqual(grants(controllerJobRules(JOB)).filter((g) => !g.startsWith('networking.k8s.io ingresses')));
  });

  test('leader election: create any Lease, get and update only the lock, events', () => {
    expect(leaderElectionRules('spark-operator-controller-lock')).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['spark-operator-controller-lock'], verbs: ['get', 'update'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch'] },
    ]);
  });

  test('the webhook only reads in job namespaces', () => {
    const rules = webhookJobRules();
    expect(rules.every((r) => r.verbs.every((v) => ['get', 'list', 'watch'].includes(v)))).toBe(true);
    expect(verbsOn(rules, '', 'pods')).toEqual(['get', 'list', 'watch']);
    expect(verbsOn(rules, '', 'resourcequotas')).toEqual(['get', 'list', 'watch']);
    // v2.5.2 admits SparkConnects too (internal/webhook/sparkconnect_defaulter.go, sparkconnect_validator.go).
    for (const resource of ['sparkapplications', 'scheduledsparkapplications', 'sparkconnects']) {
      expect(verbsOn(rules, 'sparkoperator.k8s.io', resource)).toEqual(['get', 'list', 'watch']);
    }
  });

  test.each<[string, boolean, k8s.PolicyRule[]]>([
    ['self-generated: create any Secret, get and update its own', true, [
      { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['spark-operator-webhook-certs'], verbs: ['get', 'update'] },
    ]],
    ['cert-manager: only read its own', false, [
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['spark-operator-webhook-certs'], verbs: ['get'] },
    ]],
  ])('webhook certificate Secret, %s', (_name, selfGenerated, expected) => {
    expect(webhookSecretRules('spark-operator-webhook-certs', selfGenerated)).toEqual(expected);
  });

  test('webhook configurations: list and watch all (an informer), get and update only its own', () => {
    const rules = webhookConfigurationRules('spark-operator-webhook');
    expect(grants(rules)).toEqual([
      'admissionregistration.k8s.io mutatingwebhookconfigurations get spark-operator-webhook',
      'admissionregistration.k8s.io mutatingwebhookconfigurations list *',
      'admissionregistration.k8s.io mutatingwebhookconfigurations update spark-operator-webhook',
      'admissionregistration.k8s.io mutatingwebhookconfigurations watch *',
      'admissionregistration.k8s.io validatingwebhookconfigurations get spark-operator-webhook',
      'admissionregistration.k8s.io validatingwebhookconfigurations list *',
      'admissionregistration.k8s.io validatingwebhookconfigurations update spark-operator-webhook',
      'admissionregistration.k8s.io validatingwebhookconfigurations watch *',
    ]);
  });

  // Conformance with the operator's own Helm chart (kubeflow/spark-operator v2.5.2
  // charts/spark-operator-chart/templates/controller/_helpers.tpl and rbac.yaml).
  const chart = referencePath('rbac.test.ts', 'spark-operator-v2.5.2', 'chart', 'templates');
  const chartTest = chart ? test : test.skip;
  /** The static YAML of a `define` in a chart helper, up to its first template directive. */
  const defined = (file: string, name: string): k8s.PolicyRule[] => {
    const text = fs.readFileSync(`${chart}/${file}`, 'utf8');
    const body = text.slice(text.indexOf(`{{- define "${name}" -}}`)).split('\n').slice(1);
    return parse(body.slice(0, body.findIndex((l) => l.includes('{{'))).join('\n'));
  };

  chartTest('the controller\'s job-namespace rules grant exactly what the chart grants (ingresses of the removed extensions group aside)', () => {
    const upstream = grants(defined('controller/_helpers.tpl', 'spark-operator.controller.policyRules'))
      .filter((g) => !g.startsWith('extensions ')); // extensions/v1beta1 Ingress was removed in Kubernetes 1.22
    expect(upstream.length).toBeGreaterThan(20);
    expect(grants(controllerJobRules(JOB))).toEqual(upstream);
  });

  chartTest('the controller\'s cluster-wide rules are the chart\'s ClusterRole without the job rules', () => {
    // With job namespaces the chart's ClusterRole holds only the CRD lookup
    // (controller/rbac.yaml); its chart tests assert "Should not grant any permissions on nodes in ClusterRole".
    const rbac = fs.readFileSync(`${chart}/controller/rbac.yaml`, 'utf8');
    expect(rbac).toMatch(/- apiGroups:\n {2}- apiextensions\.k8s\.io\n {2}resources:\n {2}- customresourcedefinitions\n {2}verbs:\n {2}- get\n/);
    expect(grants(controllerClusterRules(false))).toEqual(['apiextensions.k8s.io customresourcedefinitions get *']);
  });

  chartTest('the Namespace rule is the one the chart adds with spark.jobNamespaceSelector', () => {
    const rbac = fs.readFileSync(`${chart}/controller/rbac.yaml`, 'utf8');
    const block = rbac.slice(rbac.indexOf('{{- if .Values.spark.jobNamespaceSelector }}'));
    const rules: k8s.PolicyRule[] = parse(block.split('\n').slice(1, block.split('\n').findIndex((l, i) => i > 0 && l.includes('{{'))).join('\n'));
    expect(grants(rules)).toEqual(['core namespaces get *', 'core namespaces list *', 'core namespaces watch *']);
    expect(grants(controllerClusterRules(true))).toEqual(expect.arrayContaining(grants(rules)));
  });

  chartTest('the webhook reads no less in job namespaces than the chart grants it', () => {
    const upstream = grants(defined('webhook/_helpers.tpl', 'spark-operator.webhook.policyRules'));
    expect(upstream.length).toBeGreaterThan(3);
    expect(grants(webhookJobRules())).toEqual(expect.arrayContaining(upstream));
  });
});
