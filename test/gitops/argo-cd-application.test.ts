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

  test('refuses bad input', () => {
    const chart = new Chart(Testing.app(), 'test');
    const make = (id: string, props: Partial<ArgoCdApplicationProps>) => () => new ArgoCdApplication(chart, id, { ...PROPS, ...props });
    expect(make('A', { repoUrl: 'github.com/acme/x' })).toThrow('test/A: invalid repoUrl "github.com/acme/x": a Git repository URL');
    expect(make('B', { repoUrl: 'https://git.example.com/a b' })).toThrow('test/B: invalid repoUrl');
    expect(make('C', { path: '/dist' })).toThrow('test/C: invalid path "/dist": a directory relative to the repository root');
    expect(make('D', { path: 'a/../b' })).toThrow('test/D: invalid path "a/../b"');
    expect(make('E', { path: 'a//b' })).toThrow('test/E: invalid path "a//b"');
    expect(make('F', { targetRevision: 'main branch' })).toThrow('test/F: invalid targetRevision "main branch"');
    expect(make('G', { destinationServer: 'kubernetes.default.svc' })).toThrow('test/G: invalid destinationServer "kubernetes.default.svc"');
    expect(make('H', { name: 'Spark' })).toThrow('test/H: invalid name "Spark": a DNS-1123 subdomain');
    expect(make('I', { automated: false, prune: true })).toThrow('test/I: invalid automated false: true when prune or selfHeal are given');
    expect(make('J', { syncOptions: [ArgoCdSyncOption.PRUNE_LAST, ArgoCdSyncOption.PRUNE_LAST] }))
      .toThrow('test/J: invalid syncOptions ["PruneLast=true","PruneLast=true"]: distinct options');
    expect(make('K', { retry: { limit: -1 } })).toThrow('test/K: invalid retry.limit -1: an integer from 0 to 100');
    expect(make('L', { retry: { backoff: Duration.millis(500) } })).toThrow('test/L: invalid retry.backoff "0.5s"');
    expect(make('M', { retry: { backoff: Duration.minutes(5) } })).toThrow('test/M: invalid retry.maxBackoff "180s": at least retry.backoff (300s)');
    expect(make('N', { ignoreDifferences: [{ kind: 'Deployment' }] })).toThrow('test/N: invalid ignoreDifferences {"kind":"Deployment"}: at least one of');
    expect(make('O', { ignoreDifferences: [{ kind: 'Deployment', jsonPointers: ['spec/replicas'] }] }))
      .toThrow('test/O: invalid ignoreDifferences.jsonPointers "spec/replicas": a JSON pointer');
    expect(make('P', { ignoreDifferences: [{ kind: 'deployment', jsonPointers: ['/spec'] }] }))
      .toThrow('test/P: invalid ignoreDifferences.kind "deployment"');
    expect(make('Q', { ignoreDifferences: [{ kind: 'Deployment', jqPathExpressions: ['spec.replicas'] }] }))
      .toThrow('test/Q: invalid ignoreDifferences.jqPathExpressions "spec.replicas"');
    expect(() => ArgoCdSyncOption.of('CreateNamespace')).toThrow('ArgoCdSyncOption.of: invalid option "CreateNamespace": a sync option "Name=value"');
  });
});
