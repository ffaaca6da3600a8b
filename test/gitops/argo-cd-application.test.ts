import { Chart, Duration, Testing } from 'cdk8s';
import {
  ArgoCdApplication, ArgoCdApplicationProps, ArgoCdSyncOption, SparkOperatorInstall, WebhookCertificate,
} from '../../src';
import { synthValid } from '../harness/manifests';
import { argoCdCrds } from '../harness/third-party-crds';

const PROPS: ArgoCdApplicationProps = { repoUrl: 'https://git.example.com/platform/spark.git', path: 'dist' };

function synth(chart: Chart): any[] {
  return synthValid(chart, { crds: argoCdCrds() });
}

describe('ArgoCdApplication', () => {
  test('defaults (snapshot)', () => {
    const chart = new Chart(Testing.app(), 'test');
    new ArgoCdApplication(chart, 'Platform', { ...PROPS, name: 'spark-platform' });
    expect(synth(chart)).toMatchSnapshot();
  });

  test('automated sync with prune and self-heal, prune last, retries', () => {
    const chart = new Chart(Testing.app(), 'test');
    const application = new ArgoCdApplication(chart, 'Platform', { ...PROPS, name: 'spark-platform' });
    const [app] = synth(chart);
    expect(app.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(app.kind).toBe('Application');
    expect(app.metadata).toEqual({ name: 'spark-platform', namespace: 'argocd' });
    expect(app.spec).toEqual({
      project: 'default',
      source: { repoURL: 'https://git.example.com/platform/spark.git', path: 'dist', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['PruneLast=true', 'RespectIgnoreDifferences=true'],
        retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '180s' } },
      },
    });
    expect(application.ignoreDifferences).toEqual([]);
    expect(application.name).toBe('spark-platform');
  });

  test('ignores the webhook caBundle of a Spark operator install', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const install = new SparkOperatorInstall(chart, 'Operator', { jobNamespaces: ['jobs'] });
    const gitops = new Chart(app, 'gitops');
    const application = new ArgoCdApplication(gitops, 'Platform', { ...PROPS, sparkOperator: install });
    const expected = [
      {
        group: 'admissionregistration.k8s.io',
        kind: 'MutatingWebhookConfiguration',
        name: 'spark-operator-webhook',
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      },
      {
        group: 'admissionregistration.k8s.io',
        kind: 'ValidatingWebhookConfiguration',
        name: 'spark-operator-webhook',
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      },
    ];
    expect(ArgoCdApplication.webhookCaBundleDifferences(install)).toEqual(expected);
    expect(application.ignoreDifferences).toEqual(expected);
    const [synthesized] = synth(gitops);
    expect(synthesized.spec.ignoreDifferences).toEqual(expected);
    // The names match the synthesized configurations.
    const configs = Testing.synth(chart).filter((m) => m.kind.endsWith('WebhookConfiguration'));
    expect(configs.map((c) => `${c.kind}/${c.metadata.name}`)).toEqual(expected.map((e) => `${e.kind}/${e.name}`));
    // Adding the same entries again changes nothing.
    application.ignoreWebhookCaBundle(install);
    expect(application.ignoreDifferences).toHaveLength(2);

    const noWebhook = new SparkOperatorInstall(new Chart(Testing.app(), 'x'), 'Op', { jobNamespaces: ['jobs'], webhook: { enabled: false } });
    expect(ArgoCdApplication.webhookCaBundleDifferences(noWebhook)).toEqual([]);
    const certManager = new SparkOperatorInstall(new Chart(Testing.app(), 'y'), 'Op', {
      name: 'spark', jobNamespaces: ['jobs'], webhook: { certificate: WebhookCertificate.certManager() },
    });
    expect(ArgoCdApplication.webhookCaBundleDifferences(certManager).map((e) => e.name)).toEqual(['spark-webhook', 'spark-webhook']);
  });

  test('all options', () => {
    const chart = new Chart(Testing.app(), 'test');
    const application = new ArgoCdApplication(chart, 'Platform', {
      repoUrl: 'git@github.com:acme/platform.git',
      path: 'clusters/prod/dist',
      targetRevision: 'v1.4.0',
      recurse: true,
      name: 'prod-spark',
      namespace: 'gitops',
      project: 'data-platform',
      destinationServer: 'https://10.0.0.10:6443',
      destinationNamespace: 'spark',
      prune: false,
      selfHeal: false,
      syncOptions: [ArgoCdSyncOption.CREATE_NAMESPACE, ArgoCdSyncOption.SERVER_SIDE_APPLY, ArgoCdSyncOption.of('PrunePropagationPolicy=foreground')],
      ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }],
      retry: { limit: 2, backoff: Duration.seconds(10), factor: 3, maxBackoff: Duration.minutes(1) },
      cascadeDelete: true,
      labels: { team: 'data' },
    });
    application.addIgnoreDifference({ kind: 'ConfigMap', namespace: 'spark', name: 'x', managedFieldsManagers: ['kube-controller-manager'] });
    const [app] = synth(chart);
    expect(app.metadata).toEqual({
      name: 'prod-spark', namespace: 'gitops', labels: { team: 'data' }, finalizers: ['resources-finalizer.argocd.argoproj.io'],
    });
    expect(app.spec).toEqual({
      project: 'data-platform',
      source: { repoURL: 'git@github.com:acme/platform.git', path: 'clusters/prod/dist', targetRevision: 'v1.4.0', directory: { recurse: true } },
      destination: { server: 'https://10.0.0.10:6443', namespace: 'spark' },
      syncPolicy: {
        automated: { prune: false, selfHeal: false },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'PrunePropagationPolicy=foreground'],
        retry: { limit: 2, backoff: { duration: '10s', factor: 3, maxDuration: '60s' } },
      },
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        { kind: 'ConfigMap', name: 'x', namespace: 'spark', managedFieldsManagers: ['kube-controller-manager'] },
      ],
    });
  });

  test('manual sync and the repository root', () => {
    const chart = new Chart(Testing.app(), 'test');
    new ArgoCdApplication(chart, 'App', { ...PROPS, path: '.', automated: false, syncOptions: [] });
    const [app] = synth(chart);
    expect(app.spec.source.path).toBe('.');
    expect(app.spec.syncPolicy).toEqual({ retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '180s' } } });
    expect(app.metadata.name).toMatch(/^test-app-[0-9a-f]{8}$/);
  });

  // One row per refusal: the props that differ from a valid Application, and the message.
  const refusals: Array<[string, Partial<ArgoCdApplicationProps>, string]> = [
    ['a repository URL without a scheme', { repoUrl: 'github.com/acme/x' }, 'invalid repoUrl "github.com/acme/x": a Git repository URL'],
    ['a repository URL with a blank', { repoUrl: 'https://git.example.com/a b' }, 'invalid repoUrl'],
    ['an absolute path', { path: '/dist' }, 'invalid path "/dist": a directory relative to the repository root'],
    ['a path with ..', { path: 'a/../b' }, 'invalid path "a/../b"'],
    ['a path with an empty segment', { path: 'a//b' }, 'invalid path "a//b"'],
    ['a revision with a blank', { targetRevision: 'main branch' }, 'invalid targetRevision "main branch"'],
    ['a server without a scheme', { destinationServer: 'kubernetes.default.svc' }, 'invalid destinationServer "kubernetes.default.svc"'],
    ['an upper-case name', { name: 'Spark' }, 'invalid name "Spark": a DNS-1123 subdomain'],
    ['prune without automated sync', { automated: false, prune: true }, 'invalid automated false: true when prune or selfHeal are given'],
    ['a sync option twice', { syncOptions: [ArgoCdSyncOption.PRUNE_LAST, ArgoCdSyncOption.PRUNE_LAST] },
      'invalid syncOptions ["PruneLast=true","PruneLast=true"]: distinct options'],
    ['a sync option that is not one', { syncOptions: [{ value: 'PruneLast=true' } as ArgoCdSyncOption] },
      'invalid syncOptions {"value":"PruneLast=true"}: ArgoCdSyncOption values'],
    ['a negative retry limit', { retry: { limit: -1 } }, 'invalid retry.limit -1: an integer from 0 to 100'],
    ['a sub-second backoff', { retry: { backoff: Duration.millis(500) } }, 'invalid retry.backoff "500 ms": a whole number of seconds, at least 1'],
    ['a backoff above its maximum', { retry: { backoff: Duration.minutes(5) } }, 'invalid retry.maxBackoff "180s": at least retry.backoff (300s)'],
    ['an ignoreDifferences entry without fields', { ignoreDifferences: [{ kind: 'Deployment' }] }, 'invalid ignoreDifferences {"kind":"Deployment"}: at least one of'],
    ['a JSON pointer without a leading slash', { ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['spec/replicas'] }] },
      'invalid ignoreDifferences.jsonPointers "spec/replicas": a JSON pointer'],
    ['a lower-case kind', { ignoreDifferences: [{ kind: 'deployment', jsonPointers: ['/spec'] }] }, 'invalid ignoreDifferences.kind "deployment"'],
    ['a jq path without a leading dot', { ignoreDifferences: [{ kind: 'Deployment', jqPathExpressions: ['spec.replicas'] }] },
      'invalid ignoreDifferences.jqPathExpressions "spec.replicas"'],
  ];
  test.each(refusals)('refuses %s', (_name, props, message) => {
    const chart = new Chart(Testing.app(), 'test');
    expect(() => new ArgoCdApplication(chart, 'A', { ...PROPS, ...props })).toThrow(`test/A: ${message}`);
  });

  test.each([
    ['a sync option without a value', () => ArgoCdSyncOption.of('CreateNamespace'), 'ArgoCdSyncOption.of: invalid option "CreateNamespace": a sync option "Name=value"'],
    ['a caBundle of something that is not an operator', () => ArgoCdApplication.webhookCaBundleDifferences({} as any),
      'ArgoCdApplication.webhookCaBundleDifferences: invalid install "object": a SparkOperatorInstall'],
  ])('refuses %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });

  test('ignoreDifferences added after construction render the same as those given as props', () => {
    const entry = { kind: 'Deployment', jsonPointers: ['/spec/replicas'] };
    const viaProps = new Chart(Testing.app(), 'test');
    new ArgoCdApplication(viaProps, 'A', { ...PROPS, ignoreDifferences: [entry] });
    const viaMutator = new Chart(Testing.app(), 'test');
    new ArgoCdApplication(viaMutator, 'A', PROPS).addIgnoreDifference(entry);
    expect(Testing.synth(viaMutator)).toEqual(Testing.synth(viaProps));
  });

  test('sync options are recognised by mark (isArgoCdSyncOption)', () => {
    expect(ArgoCdSyncOption.isArgoCdSyncOption(ArgoCdSyncOption.PRUNE_LAST)).toBe(true);
    expect(ArgoCdSyncOption.isArgoCdSyncOption(ArgoCdSyncOption.of('A=b'))).toBe(true);
    expect(ArgoCdSyncOption.isArgoCdSyncOption({ value: 'A=b' })).toBe(false);
  });
});
