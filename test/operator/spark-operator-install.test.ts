import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  CertManagerIssuerKind, ImageRegistryOverride, ISparkJob, SparkBatchScheduler, SparkJobs, SparkOperatorInstall,
  SparkOperatorFeatureGate, SparkOperatorInstallProps, SparkOperatorLogFormat, SparkOperatorLogLevel, WebhookCertificate, WebhookFailurePolicy,
} from '../../src';
import { synthValid } from '../harness/manifests';
import { certManagerCrds } from '../harness/third-party-crds';

/** A minimal operator-managed job (the real job constructs live elsewhere). */
class FakeJob extends Construct implements ISparkJob {
  constructor(scope: Construct, id: string, public readonly jobNamespace: string, public readonly managedByOperator = true) {
    super(scope, id);
    SparkJobs.register(this);
  }
}

function setup(props: SparkOperatorInstallProps = {}, jobNamespaces: string[] = ['spark-jobs']) {
  const app = Testing.app();
  const chart = new Chart(app, 'test');
  jobNamespaces.forEach((ns, i) => new FakeJob(chart, `Job${i}`, ns));
  const install = new SparkOperatorInstall(chart, 'Operator', props);
  return { app, chart, install };
}

const find = (manifests: any[], kind: string, name?: string, namespace?: string) =>
  manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name)
    && (namespace === undefined || m.metadata.namespace === namespace));
const one = (manifests: any[], kind: string, name?: string, namespace?: string) => {
  const found = find(manifests, kind, name, namespace);
  expect(found).toHaveLength(1);
  return found[0];
};
const container = (manifests: any[], name: string) => one(manifests, 'Deployment', name).spec.template.spec.containers[0];
const args = (manifests: any[], name: string): string[] => container(manifests, name).args;

describe('SparkOperatorInstall', () => {
  test('defaults', () => {
    const { app, chart } = setup();
    const manifests = synthValid(chart);
    expect(() => app.charts.map((c) => c.toJson())).not.toThrow();
    // The CRDs belong to SparkOperatorCrds (and its own snapshot); they are asserted below.
    expect(manifests.filter((m) => m.kind !== 'CustomResourceDefinition')).toMatchSnapshot();
  });

  test('includes the operator CRDs unless told not to', () => {
    const { chart, install } = setup();
    const crds = find(synthValid(chart), 'CustomResourceDefinition').map((c) => c.metadata.name).sort();
    expect(crds).toEqual([
      'scheduledsparkapplications.sparkoperator.k8s.io', 'sparkapplications.sparkoperator.k8s.io', 'sparkconnects.sparkoperator.k8s.io',
    ]);
    expect(install.crds?.node.id).toBe('Crds');
    const without = setup({ installCrds: false });
    expect(find(synthValid(without.chart), 'CustomResourceDefinition')).toEqual([]);
    expect(without.install.crds).toBeUndefined();
  });

  test('derives the job namespaces from the jobs and watches only those', () => {
    const { chart, install } = setup({}, ['team-b', 'team-a', 'team-b']);
    new FakeJob(chart, 'Native', 'batch', false);
    const manifests = synthValid(chart);
    expect(install.jobNamespaces).toEqual(['team-a', 'team-b']);
    expect(args(manifests, 'spark-operator-controller')).toContain('--namespaces=team-a,team-b');
    expect(args(manifests, 'spark-operator-webhook')).toContain('--namespaces=team-a,team-b');

    // A Role and RoleBinding per job namespace for each component, bound to the operator's accounts.
    for (const ns of ['team-a', 'team-b']) {
      const role = one(manifests, 'Role', 'spark-operator-controller-jobs', ns);
      expect(role.rules).toContainEqual(expect.objectContaining({ resources: ['pods'] }));
      const binding = one(manifests, 'RoleBinding', 'spark-operator-controller-jobs', ns);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'spark-operator-controller-jobs' });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'spark-operator-controller', namespace: 'spark-operator' }]);
      const webhookRole = one(manifests, 'Role', 'spark-operator-webhook-jobs', ns);
      // The webhook only reads in job namespaces.
      for (const rule of webhookRole.rules) {
        expect(rule.verbs).toEqual(['get', 'list', 'watch']);
      }
      one(manifests, 'RoleBinding', 'spark-operator-webhook-jobs', ns);
    }
    expect(find(manifests, 'Role').map((r) => r.metadata.namespace).sort())
      .toEqual(['spark-operator', 'spark-operator', 'team-a', 'team-a', 'team-b', 'team-b']);

    // Nothing namespaced is granted cluster-wide.
    const clusterResources = find(manifests, 'ClusterRole').flatMap((r) => r.rules.flatMap((rule: any) => rule.resources));
    expect(clusterResources.sort()).toEqual(['customresourcedefinitions', 'mutatingwebhookconfigurations',
      'mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingwebhookconfigurations']);
    // Named objects are limited by name.
    const webhookCluster = one(manifests, 'ClusterRole', 'spark-operator-webhook');
    expect(webhookCluster.rules.find((r: any) => r.verbs.includes('update')).resourceNames).toEqual(['spark-operator-webhook']);
    const webhookOwn = one(manifests, 'Role', 'spark-operator-webhook', 'spark-operator');
    expect(webhookOwn.rules).toContainEqual({ apiGroups: [''], resources: ['secrets'], resourceNames: ['spark-operator-webhook-certs'], verbs: ['get', 'update'] });
    const controllerOwn = one(manifests, 'Role', 'spark-operator-controller', 'spark-operator');
    expect(controllerOwn.rules).toContainEqual({ apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['spark-operator-controller-lock'], verbs: ['get', 'update'] });
  });

  test('webhook configurations select exactly the job namespaces, including those added after construction', () => {
    const { app, chart, install } = setup({}, ['team-a']);
    // A job declared after a deriving install is watched as soon as it registers.
    new FakeJob(chart, 'Late', 'team-c');
    expect(install.jobNamespaces).toEqual(['team-a', 'team-c']);
    install.watchNamespace('team-b');
    install.watchNamespace('team-b');
    const manifests = synthValid(chart);
    expect(() => app.charts.map((c) => c.toJson())).not.toThrow();
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      const config = one(manifests, kind, 'spark-operator-webhook');
      expect(config.webhooks.length).toBeGreaterThan(0);
      for (const webhook of config.webhooks) {
        expect(webhook.namespaceSelector).toEqual({
          matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['team-a', 'team-b', 'team-c'] }],
        });
        expect(webhook.sideEffects).toBe('None');
        expect(webhook.admissionReviewVersions).toEqual(['v1']);
        expect(webhook.failurePolicy).toBe('Fail');
        expect(webhook.timeoutSeconds).toBe(10);
      }
    }
    const mutating = one(manifests, 'MutatingWebhookConfiguration');
    const podHook = mutating.webhooks.find((w: any) => w.rules[0].resources[0] === 'pods');
    expect(podHook.objectSelector).toEqual({ matchLabels: { 'sparkoperator.k8s.io/launched-by-spark-operator': 'true' } });
    expect(podHook.rules[0].operations).toEqual(['CREATE']);
    expect(mutating.webhooks.map((w: any) => w.rules[0].resources[0]))
      .toEqual(['pods', 'sparkapplications', 'scheduledsparkapplications', 'sparkconnects']);
    expect(args(manifests, 'spark-operator-controller')).toContain('--namespaces=team-a,team-b,team-c');
    expect(find(manifests, 'Role', 'spark-operator-controller-jobs').map((r) => r.metadata.namespace).sort())
      .toEqual(['team-a', 'team-b', 'team-c']);
  });

  test('watchAllNamespaces grants the job rules through ClusterRoles and drops the namespace restrictions', () => {
    const { app, chart, install } = setup({ watchAllNamespaces: true }, ['team-a']);
    install.watchNamespace('team-b');
    const manifests = synthValid(chart);
    expect(() => app.charts.map((c) => c.toJson())).not.toThrow();
    expect(install.jobNamespaces).toEqual([]);
    expect(args(manifests, 'spark-operator-controller').some((a) => a.startsWith('--namespaces'))).toBe(false);
    expect(args(manifests, 'spark-operator-webhook').some((a) => a.startsWith('--namespaces'))).toBe(false);
    expect(find(manifests, 'Role').map((r) => r.metadata.namespace)).toEqual(['spark-operator', 'spark-operator']);
    const jobs = one(manifests, 'ClusterRole', 'spark-operator-controller-jobs');
    expect(jobs.rules).toContainEqual(expect.objectContaining({ resources: ['pods'] }));
    expect(one(manifests, 'ClusterRoleBinding', 'spark-operator-controller-jobs').subjects[0].name).toBe('spark-operator-controller');
    one(manifests, 'ClusterRole', 'spark-operator-webhook-jobs');
    for (const webhook of one(manifests, 'ValidatingWebhookConfiguration').webhooks) {
      expect(webhook.namespaceSelector).toBeUndefined();
    }
  });

  test('webhook Service maps 443 to the webhook port', () => {
    const { chart } = setup({ webhook: { port: 10250, failurePolicy: WebhookFailurePolicy.IGNORE, timeout: Duration.seconds(5) } });
    const manifests = synthValid(chart);
    const service = one(manifests, 'Service', 'spark-operator-webhook-svc', 'spark-operator');
    expect(service.spec.ports).toEqual([{ name: 'webhook', port: 443, targetPort: 'webhook', protocol: 'TCP' }]);
    const webhook = container(manifests, 'spark-operator-webhook');
    expect(webhook.ports).toContainEqual({ name: 'webhook', containerPort: 10250, protocol: 'TCP' });
    expect(webhook.args).toContain('--webhook-port=10250');
    expect(webhook.args).toContain('--webhook-svc-name=spark-operator-webhook-svc');
    expect(service.spec.selector).toEqual(one(manifests, 'Deployment', 'spark-operator-webhook').spec.selector.matchLabels);
    for (const hook of one(manifests, 'MutatingWebhookConfiguration').webhooks) {
      expect(hook.clientConfig.service).toEqual(expect.objectContaining({ name: 'spark-operator-webhook-svc', namespace: 'spark-operator', port: 443 }));
      expect(hook.failurePolicy).toBe('Ignore');
      expect(hook.timeoutSeconds).toBe(5);
    }
  });

  test('disruption budgets never block node drains', () => {
    for (const replicas of [1, 3]) {
      const { chart } = setup({ controller: { replicas }, webhook: { replicas } });
      const manifests = synthValid(chart);
      const budgets = find(manifests, 'PodDisruptionBudget');
      expect(budgets.map((b) => b.metadata.name).sort()).toEqual(['spark-operator-controller', 'spark-operator-webhook']);
      for (const budget of budgets) {
        expect(budget.spec.maxUnavailable).toBe(1);
        expect(budget.spec.minAvailable).toBeUndefined();
        const deployment = one(manifests, 'Deployment', budget.metadata.name);
        expect(budget.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
        expect(deployment.spec.replicas).toBe(replicas);
        // Spread over nodes only when there is more than one pod.
        expect(deployment.spec.template.spec.topologySpreadConstraints !== undefined).toBe(replicas > 1);
      }
    }
  });

  test('every container has requests, limits and a restricted security context', () => {
    const { chart } = setup({
      controller: { resources: { memory: { limit: Size.gibibytes(4) }, cpu: { request: Cpu.millis(500) } } },
    });
    const manifests = synthValid(chart);
    const deployments = find(manifests, 'Deployment');
    expect(deployments).toHaveLength(2);
    for (const deployment of deployments) {
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext).toEqual(expect.objectContaining({
        runAsNonRoot: true, runAsUser: 185, seccompProfile: { type: 'RuntimeDefault' },
      }));
      expect(pod.automountServiceAccountToken).toBe(true);
      for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
        expect(c.securityContext).toEqual(expect.objectContaining({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        }));
        expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'health', scheme: 'HTTP' });
        expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health', scheme: 'HTTP' });
        expect(c.ports).toContainEqual({ name: 'health', containerPort: 8081, protocol: 'TCP' });
      }
    }
    const controller = container(manifests, 'spark-operator-controller');
    expect(controller.resources).toEqual({
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '2000m', memory: '4Gi' },
    });
    // Writable scratch space on the read-only root filesystem.
    expect(controller.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/home/spark']);
    expect(container(manifests, 'spark-operator-webhook').volumeMounts)
      .toEqual([{ name: 'serving-certs', mountPath: '/etc/k8s-webhook-server/serving-certs' }]);
    // The operator's namespace enforces the restricted standard.
    expect(one(manifests, 'Namespace', 'spark-operator').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('the image is pinned and rewritten under a mirror', () => {
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('mirror.example:5000', { pathPrefix: 'proxy' }));
    const chart = new Chart(app, 'test');
    new SparkOperatorInstall(chart, 'Operator', { jobNamespaces: ['spark-jobs'] });
    const manifests = synthValid(chart);
    for (const deployment of find(manifests, 'Deployment')) {
      expect(deployment.spec.template.spec.containers[0].image)
        .toBe('mirror.example:5000/proxy/kubeflow/spark-operator/controller:2.5.2');
    }
    const plain = setup().chart;
    expect(container(synthValid(plain), 'spark-operator-controller').image).toBe('ghcr.io/kubeflow/spark-operator/controller:2.5.2');
    expect(SparkOperatorInstall.VERSION).toBe('2.5.2');
  });

  test('controller flags follow the props', () => {
    const { chart } = setup({
      name: 'spark-ops',
      namespace: 'ops',
      controller: { workers: 30, logLevel: SparkOperatorLogLevel.DEBUG, uiService: false },
      metrics: { port: 9090, endpoint: '/prom', prefix: 'spark_', labels: ['app_type', 'team'] },
      batchScheduler: { defaultScheduler: SparkBatchScheduler.VOLCANO, kubeSchedulerNames: ['coscheduler'] },
    });
    const manifests = synthValid(chart);
    const controllerArgs = args(manifests, 'spark-ops-controller');
    expect(controllerArgs.slice(0, 2)).toEqual(['controller', 'start']);
    expect(controllerArgs).toEqual(expect.arrayContaining([
      '--zap-log-level=debug', '--controller-threads=30', '--enable-ui-service=false',
      '--enable-batch-scheduler=true', '--kube-scheduler-names=coscheduler', '--default-batch-scheduler=volcano',
      '--enable-metrics=true', '--metrics-bind-address=:9090', '--metrics-endpoint=/prom', '--metrics-prefix=spark_',
      '--metrics-labels=app_type,team', '--leader-election=true', '--leader-election-lock-name=spark-ops-controller-lock',
      '--leader-election-lock-namespace=ops',
    ]));
    const rules = one(manifests, 'Role', 'spark-ops-controller-jobs', 'spark-jobs').rules;
    expect(rules).toContainEqual(expect.objectContaining({ apiGroups: ['scheduling.incubator.k8s.io', 'scheduling.sigs.dev', 'scheduling.volcano.sh'] }));
    expect(rules).toContainEqual(expect.objectContaining({ apiGroups: ['scheduling.x-k8s.io'] }));
    const metrics = one(manifests, 'Service', 'spark-ops-metrics', 'ops');
    expect(metrics.spec.ports).toEqual([{ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' }]);
    // One metrics Service for both components.
    expect(metrics.spec.selector).toEqual({ 'app.kubernetes.io/name': 'spark-operator', 'app.kubernetes.io/instance': 'spark-ops' });
    expect(one(manifests, 'RoleBinding', 'spark-ops-controller-jobs', 'spark-jobs').subjects[0].namespace).toBe('ops');
  });

  test('metrics and the webhook can be turned off', () => {
    const { chart, install } = setup({ webhook: { enabled: false }, metrics: { enabled: false }, createNamespace: false });
    const manifests = synthValid(chart);
    expect(install.webhookDeployment).toBeUndefined();
    expect(find(manifests, 'Deployment').map((d) => d.metadata.name)).toEqual(['spark-operator-controller']);
    expect(find(manifests, 'MutatingWebhookConfiguration')).toEqual([]);
    expect(find(manifests, 'Service')).toEqual([]);
    expect(find(manifests, 'Namespace')).toEqual([]);
    expect(find(manifests, 'Role').map((r) => r.metadata.name).sort()).toEqual(['spark-operator-controller', 'spark-operator-controller-jobs']);
    const controllerArgs = args(manifests, 'spark-operator-controller');
    expect(controllerArgs.some((a) => a.startsWith('--enable-metrics'))).toBe(false);
    expect(container(manifests, 'spark-operator-controller').ports).toEqual([{ name: 'health', containerPort: 8081, protocol: 'TCP' }]);
  });

  test('cert-manager issues the webhook certificate on opt-in', () => {
    const certificate30d = WebhookCertificate.certManager({ duration: Duration.days(30), renewBefore: Duration.days(10) });
    const { chart } = setup({ webhook: { certificate: certificate30d } });
    const manifests = synthValid(chart, { crds: certManagerCrds() });
    const issuer = one(manifests, 'Issuer', 'spark-operator-webhook-selfsigned', 'spark-operator');
    expect(issuer.spec).toEqual({ selfSigned: {} });
    const certificate = one(manifests, 'Certificate', 'spark-operator-webhook-cert', 'spark-operator');
    expect(certificate.spec).toEqual(expect.objectContaining({
      secretName: 'spark-operator-webhook-certs',
      dnsNames: ['spark-operator-webhook-svc.spark-operator.svc', 'spark-operator-webhook-svc.spark-operator.svc.cluster.local'],
      issuerRef: { name: 'spark-operator-webhook-selfsigned', kind: 'Issuer', group: 'cert-manager.io' },
      duration: '2592000s',
      renewBefore: '864000s',
    }));
    expect(certificate.spec.privateKey).toEqual(expect.objectContaining({ algorithm: 'RSA', encoding: 'PKCS1' }));
    for (const kind of ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']) {
      expect(one(manifests, kind).metadata.annotations)
        .toEqual({ 'cert-manager.io/inject-ca-from': 'spark-operator/spark-operator-webhook-cert' });
    }
    expect(args(manifests, 'spark-operator-webhook')).toContain('--enable-cert-manager=true');
    // cert-manager writes the caBundle and the Secret: the webhook only reads its Secret.
    expect(find(manifests, 'ClusterRole', 'spark-operator-webhook')).toEqual([]);
    const own = one(manifests, 'Role', 'spark-operator-webhook', 'spark-operator');
    expect(own.rules.filter((r: any) => r.resources.includes('secrets')))
      .toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['spark-operator-webhook-certs'], verbs: ['get'] }]);

    const external = setup({
      webhook: { certificate: WebhookCertificate.certManager({ issuer: { name: 'internal-ca', kind: CertManagerIssuerKind.CLUSTER_ISSUER } }) },
    }).chart;
    const externalManifests = synthValid(external, { crds: certManagerCrds() });
    expect(find(externalManifests, 'Issuer')).toEqual([]);
    expect(one(externalManifests, 'Certificate').spec.issuerRef).toEqual({ name: 'internal-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
  });

  test('find locates the install of the app', () => {
    const { chart, install } = setup();
    expect(SparkOperatorInstall.find(chart)).toBe(install);
    expect(SparkOperatorInstall.find(Testing.chart())).toBeUndefined();
    new SparkOperatorInstall(chart, 'Second', { name: 'second', namespace: 'second', jobNamespaces: ['other'] });
    expect(() => SparkOperatorInstall.find(chart)).toThrow(
      'test: invalid Spark operator install ["test/Operator","test/Second"]: the app has several SparkOperatorInstalls; pass the one to use explicitly');
  });

  // One row per app that fails synthesis: the install's props, the jobs before it, what is added after it, and the message.
  const synthFailures: Array<[string, SparkOperatorInstallProps, string[], (chart: Chart) => void, string]> = [
    ['an operator-managed job in an unwatched namespace', { jobNamespaces: ['team-a'] }, ['team-a', 'team-x'],
      (chart) => new FakeJob(chart, 'Native', 'elsewhere', false),
      'test/Job1: namespace "team-x" is not watched by the Spark operator test/Operator; add it to jobNamespaces (or call watchNamespace)'],
    ['a job declared after an install with an explicit namespace list', { jobNamespaces: ['team-a'] }, ['team-a'],
      (chart) => new FakeJob(chart, 'Late', 'team-late'), 'test/Late: namespace "team-late" is not watched by the Spark operator test/Operator'],
    ['an operator that watches no namespace', {}, [], () => undefined, 'test/Operator: the Spark operator watches no namespace'],
    ['two installs that derive their namespaces', {}, ['spark-jobs'],
      (chart) => new SparkOperatorInstall(chart, 'Second', { name: 'second', namespace: 'second' }),
      'test/Operator: several SparkOperatorInstalls in one app derive their namespaces'],
    ['an install that derives its namespaces beside one with a list', {}, ['spark-jobs'],
      (chart) => new SparkOperatorInstall(chart, 'Second', { name: 'second', namespace: 'second', jobNamespaces: ['other'], installCrds: false }),
      'test/Operator: derives its job namespaces from all the jobs of the app, which has other Spark operators (test/Second)'],
    ['two installs watching one namespace', { jobNamespaces: ['team-a', 'team-b'] }, ['team-a'],
      (chart) => new SparkOperatorInstall(chart, 'Second', { name: 'second', namespace: 'second', jobNamespaces: ['team-b'], installCrds: false }),
      'test/Second: the Spark operators test/Operator and test/Second both watch namespace "team-b"'],
  ];
  test.each(synthFailures)('synthesis fails for %s', (_name, props, jobs, after, message) => {
    const { app, chart } = setup(props, jobs);
    after(chart);
    expect(() => app.synthYaml()).toThrow(message);
  });

  test('synthesis succeeds when another install watches the job', () => {
    const { app, chart } = setup({ jobNamespaces: ['team-a'] }, ['team-a', 'team-b']);
    // The first install brings the CRDs; a second copy would be the same objects twice (the cluster model refuses that).
    new SparkOperatorInstall(chart, 'Second', { name: 'second', namespace: 'second', jobNamespaces: ['team-b'], installCrds: false });
    expect(() => app.synthYaml()).not.toThrow();
  });

  // The props are read at construction: a later change either takes effect through a mutator or fails synthesis.
  test('a namespace watched after construction gives the same YAML as one given in jobNamespaces', () => {
    const late = setup({ jobNamespaces: ['team-a'] }, ['team-a']);
    late.install.watchNamespace('team-b');
    const early = setup({ jobNamespaces: ['team-a', 'team-b'] }, ['team-a']);
    expect(late.app.synthYaml()).toEqual(early.app.synthYaml());
  });

  // One row per late change of the props: the props, the change, and the message (property and fix).
  const lateChanges: Array<[string, SparkOperatorInstallProps, (props: any) => void, string]> = [
    ['a namespace pushed into jobNamespaces', { jobNamespaces: ['spark-jobs'] }, (p) => p.jobNamespaces.push('late'),
      'test/Operator: props.jobNamespaces changed after test/Operator was created, so the change would be ignored: call watchNamespace() on the install instead'],
    ['a label pushed into metrics.labels', { metrics: { labels: ['app_type'] } }, (p) => p.metrics.labels.push('team'),
      'test/Operator: props.metrics.labels changed after test/Operator was created, so the change would be ignored: give every metrics label before creating the install'],
    ['a name pushed into batchScheduler.kubeSchedulerNames', { batchScheduler: { kubeSchedulerNames: ['scheduler-plugins'] } },
      (p) => p.batchScheduler.kubeSchedulerNames.push('other-scheduler'),
      'test/Operator: props.batchScheduler.kubeSchedulerNames changed after test/Operator was created, so the change would be ignored: '
      + 'give every kube-scheduler name before creating the install'],
    ['a nested option changed in place', { controller: { replicas: 1 } }, (p) => { p.controller.replicas = 3; },
      'test/Operator: props changed after test/Operator was created, so the change would be ignored: give the install its options before creating it'],
    ['an option set later', {}, (p) => { p.watchAllNamespaces = true; }, 'test/Operator: props changed after test/Operator was created'],
  ];
  test.each(lateChanges)('synthesis fails for %s', (_name, props, change, message) => {
    const { app } = setup(props);
    expect(() => app.synthYaml()).not.toThrow();
    change(props);
    expect(() => app.synthYaml()).toThrow(message);
  });

  describe('rejects bad input', () => {
    const bad: Array<[string, SparkOperatorInstallProps, string]> = [
      ['namespace', { namespace: 'Spark_Operator' }, 'test/Operator: invalid namespace "Spark_Operator": a DNS-1123 label'],
      ['name', { name: '1spark' }, 'test/Operator: invalid name "1spark": a DNS-1035 label'],
      ['long name', { name: 'a'.repeat(41) },
        `test/Operator: invalid name "${'a'.repeat(41)}": a DNS-1035 label of 1 to 40 characters is required`],
      ['job namespace', { jobNamespaces: ['ok', 'not ok'] }, 'test/Operator: invalid jobNamespaces "not ok": a DNS-1123 label'],
      ['watchAllNamespaces with jobNamespaces', { watchAllNamespaces: true, jobNamespaces: ['a'] },
        'test/Operator: invalid jobNamespaces ["a"]: leave jobNamespaces unset when watchAllNamespaces is true'],
      ['controller replicas', { controller: { replicas: 0 } }, 'test/Operator: invalid controller.replicas 0: an integer from 1 to 10'],
      ['webhook replicas', { webhook: { replicas: 1.5 } }, 'test/Operator: invalid webhook.replicas 1.5: an integer from 1 to 10'],
      ['workers', { controller: { workers: 0 } }, 'test/Operator: invalid controller.workers 0: an integer from 1 to 1000'],
      ['log level', { controller: { logLevel: 'verbose' as SparkOperatorLogLevel } },
        'test/Operator: invalid controller.logLevel "verbose": one of debug, info, error'],
      ['privileged port', { webhook: { port: 443 } }, 'test/Operator: invalid webhook.port 443: a port from 1024 to 65535'],
      ['out-of-range port', { metrics: { port: 70000 } }, 'test/Operator: invalid metrics.port 70000: a port from 1024 to 65535'],
      ['port collision', { metrics: { port: 8081 } }, 'test/Operator: invalid ports {"webhook":9443,"metrics":8081,"health":8081}: distinct ports'],
      ['failure policy', { webhook: { failurePolicy: 'Retry' as WebhookFailurePolicy } },
        'test/Operator: invalid webhook.failurePolicy "Retry": one of Fail, Ignore'],
      ['timeout', { webhook: { timeout: Duration.seconds(31) } }, 'test/Operator: invalid webhook.timeout "31s": from 1 to 30 seconds'],
      ['fractional timeout', { webhook: { timeout: Duration.millis(1500) } },
        'test/Operator: invalid webhook.timeout "1500 ms": a whole number of seconds, at least 1'],
      ['replicas without leader election', { leaderElection: false, controller: { replicas: 2 } },
        'test/Operator: invalid controller.replicas 2: 1 when leaderElection is false'],
      ['resources', { webhook: { resources: { memory: { request: Size.gibibytes(1) } } } },
        'test/Operator: invalid webhook.resources.memory "request 1048576Ki, limit 262144Ki": a request no greater than the limit'],
      ['metrics endpoint', { metrics: { endpoint: 'metrics' } }, 'test/Operator: invalid metrics.endpoint "metrics": an absolute HTTP path'],
      ['metrics prefix', { metrics: { prefix: 'spark-op' } }, 'test/Operator: invalid metrics.prefix "spark-op": a Prometheus metric name prefix'],
      ['metrics label', { metrics: { labels: ['app-type'] } }, 'test/Operator: invalid metrics.labels "app-type": Prometheus label names'],
      ['default scheduler', { batchScheduler: { defaultScheduler: 'kueue' as SparkBatchScheduler } },
        'test/Operator: invalid batchScheduler.defaultScheduler "kueue": one of volcano, yunikorn'],
      ['unpinned image', { image: 'ghcr.io/kubeflow/spark-operator/controller' }, 'test/Operator: invalid image'],
    ];
    test.each(bad)('%s', (_, props, message) => {
      expect(() => setup(props)).toThrow(message);
    });

    test('watchNamespace with an invalid name', () => {
      const { install } = setup();
      expect(() => install.watchNamespace('Team A')).toThrow('test/Operator: invalid namespace "Team A": a DNS-1123 label');
    });

    test('cert-manager options', () => {
      expect(() => WebhookCertificate.certManager({ duration: Duration.minutes(30) })).toThrow(
        'WebhookCertificate.certManager: invalid duration "1800s": at least one hour');
      expect(() => WebhookCertificate.certManager({ duration: Duration.days(1), renewBefore: Duration.days(1) })).toThrow(
        'WebhookCertificate.certManager: invalid renewBefore "86400s": shorter than the certificate duration');
      expect(() => WebhookCertificate.certManager({ issuer: { name: 'My CA' } })).toThrow(
        'WebhookCertificate.certManager: invalid issuer.name "My CA": a DNS-1123 subdomain');
      expect(() => WebhookCertificate.certManager({ issuer: { name: 'ca', kind: 'Vault' as CertManagerIssuerKind } })).toThrow(
        'WebhookCertificate.certManager: invalid issuer.kind "Vault": one of Issuer, ClusterIssuer');
    });
  });
});

// Flags of kubeflow/spark-operator v2.5.2 cmd/operator/controller/start.go and
// cmd/operator/webhook/start.go; --kube-api-qps and --kube-api-burst came with 2.5.1.
describe('SparkOperatorInstall: operator settings', () => {
  test('log format, API rate, leader election timings and feature gates reach both components; tracked executors the controller', () => {
    const { chart } = setup({
      logFormat: SparkOperatorLogFormat.CONSOLE,
      apiQps: 40,
      apiBurst: 80,
      leaderElectionTimings: { leaseDuration: Duration.seconds(30), renewDeadline: Duration.seconds(20), retryPeriod: Duration.seconds(5) },
      featureGates: [SparkOperatorFeatureGate.PARTIAL_RESTART, SparkOperatorFeatureGate.LOAD_SPARK_DEFAULTS],
      controller: { maxTrackedExecutorsPerApp: 200 },
    });
    const manifests = synthValid(chart);
    const common = ['--zap-encoder=console', '--kube-api-qps=40', '--kube-api-burst=80', '--leader-election-lease-duration=30s',
      '--leader-election-renew-deadline=20s', '--leader-election-retry-period=5s'];
    const gates = '--feature-gates=PartialRestart=true,LoadSparkDefaults=true';
    expect(args(manifests, 'spark-operator-controller')).toEqual(expect.arrayContaining([...common, gates, '--max-tracked-executor-per-app=200']));
    expect(args(manifests, 'spark-operator-webhook')).toEqual(expect.arrayContaining(common));
    // The webhook binary has no --feature-gates (v2.5.2 cmd/operator/webhook/start.go): cobra would exit on it.
    expect(args(manifests, 'spark-operator-webhook').filter((a) => /^--(feature-gates|max-tracked)/.test(a))).toEqual([]);
  });

  test('a timing not given keeps each component\'s upstream default (controller 15s/10s/2s, webhook 15s/14s/4s)', () => {
    const manifests = synthValid(setup({ leaderElectionTimings: { leaseDuration: Duration.seconds(20) } }).chart);
    expect(args(manifests, 'spark-operator-controller')).toEqual(expect.arrayContaining(['--leader-election-lease-duration=20s',
      '--leader-election-renew-deadline=10s', '--leader-election-retry-period=2s']));
    expect(args(manifests, 'spark-operator-webhook')).toEqual(expect.arrayContaining(['--leader-election-lease-duration=20s',
      '--leader-election-renew-deadline=14s', '--leader-election-retry-period=4s']));
  });

  test('none of these flags by default: the operator\'s own defaults hold', () => {
    const all = [...args(synthValid(setup().chart), 'spark-operator-controller'), ...args(synthValid(setup().chart), 'spark-operator-webhook')];
    expect(all.filter((a) => /^--(zap-encoder|kube-api|leader-election-(lease|renew|retry)|feature-gates|max-tracked)/.test(a))).toEqual([]);
  });

  test.each<[string, SparkOperatorInstallProps, string]>([
    ['an API rate on a 2.5.0 image', { image: 'ghcr.io/kubeflow/spark-operator/controller:2.5.0', apiQps: 40 },
      'test/Operator: invalid apiQps 40: an operator image of 2.5.1 or later (the image is 2.5.0), which has --kube-api-qps'],
    ['a fractional API rate', { apiQps: 2.5 }, 'test/Operator: invalid apiQps 2.5: a whole number from 1 to 10000'],
    ['a zero burst', { apiBurst: 0 }, 'test/Operator: invalid apiBurst 0: a whole number from 1 to 100000'],
    ['timings without leader election', { leaderElection: false, leaderElectionTimings: {} }, 'invalid leaderElectionTimings "set": only with leaderElection'],
    ['a renew deadline past the lease', { leaderElectionTimings: { leaseDuration: Duration.seconds(10), renewDeadline: Duration.seconds(10) } },
      'test/Operator: invalid leaderElectionTimings "10s/10s/2s": leaseDuration > renewDeadline > 1.2 × retryPeriod for the controller'],
    ['a retry period too close to the renew deadline', { leaderElectionTimings: { retryPeriod: Duration.seconds(9) } },
      'test/Operator: invalid leaderElectionTimings "15s/10s/9s"'],
    ['an unknown feature gate', { featureGates: ['SparkConnect' as SparkOperatorFeatureGate] }, 'test/Operator: invalid featureGates[0] "SparkConnect"'],
    ['a feature gate twice', { featureGates: [SparkOperatorFeatureGate.PARTIAL_RESTART, SparkOperatorFeatureGate.PARTIAL_RESTART] },
      'test/Operator: invalid featureGates ["PartialRestart","PartialRestart"]: distinct feature gates'],
    ['an unknown log format', { logFormat: 'text' as SparkOperatorLogFormat }, 'test/Operator: invalid logFormat "text"'],
    ['no tracked executors', { controller: { maxTrackedExecutorsPerApp: 0 } },
      'test/Operator: invalid controller.maxTrackedExecutorsPerApp 0: a whole number from 1 to 100000'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => setup(props)).toThrow(message);
  });
});
