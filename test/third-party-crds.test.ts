// What we emit for Argo CD and cert-manager, validated against the real upstream CRDs
// (../shared/reference: argoproj/argo-cd manifests/crds at 3.6.0, cert-manager/cert-manager
// deploy/crds at 1.21, prometheus-operator example/prometheus-operator-crd at 0.93.0), and the
// minimal hand-written schemas the tests fall back to without them kept true to upstream.
import { Chart, Duration, Testing } from 'cdk8s';
import {
  ArgoCdApplication, ArgoCdSyncOption, CertManagerIssuerKind, ClusterStorage, RegistryMirror, RegistryTls, SparkOperatorInstall,
  StorageClassRef, WebhookCertificate,
} from '../src';
import { validateManifests } from './harness/manifests';
import { referencePath } from './harness/reference';
import { MINIMAL_ARGO_CD_APPLICATION_CRD, MINIMAL_CERT_MANAGER_CRDS, upstreamCrds } from './harness/third-party-crds';

const present = referencePath('third-party-crds.test.ts', 'argo-cd-3.6.0') !== undefined
  && referencePath('third-party-crds.test.ts', 'cert-manager-1.21') !== undefined;
const conformance = present ? describe : describe.skip;

conformance('against the upstream CRDs', () => {
  const argo = () => upstreamCrds('argo-cd-3.6.0/crds', ['application-crd.yaml', 'appproject-crd.yaml'])!;
  const certManager = () => upstreamCrds('cert-manager-1.21/crds',
    ['cert-manager.io_certificates.yaml', 'cert-manager.io_issuers.yaml', 'cert-manager.io_clusterissuers.yaml'])!;

  test('every Argo CD Application option we emit is in the real Application schema', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'argocd');
    const operator = new SparkOperatorInstall(new Chart(app, 'platform'), 'Operator', { jobNamespaces: ['jobs'] });
    new ArgoCdApplication(chart, 'Full', {
      name: 'full',
      repoUrl: 'git@git.example.com:data/spark.git',
      path: 'dist',
      targetRevision: 'v1.2.3',
      recurse: true,
      destinationNamespace: 'jobs',
      syncOptions: [ArgoCdSyncOption.CREATE_NAMESPACE, ArgoCdSyncOption.SERVER_SIDE_APPLY, ArgoCdSyncOption.of('PrunePropagationPolicy=foreground')],
      ignoreDifferences: [
        { group: 'apps', kind: 'Deployment', name: 'x', namespace: 'jobs', jsonPointers: ['/spec/replicas'], managedFieldsManagers: ['hpa'] },
      ],
      sparkOperator: operator,
      retry: { limit: 3, backoff: Duration.seconds(10), factor: 3, maxBackoff: Duration.minutes(5) },
      cascadeDelete: true,
      labels: { team: 'data' },
    });
    new ArgoCdApplication(chart, 'Manual', { repoUrl: 'https://git.example.com/x.git', path: '.', automated: false, syncOptions: [] });
    expect(validateManifests(Testing.synth(chart), { crds: argo() })).toEqual([]);
  });

  test('the real schema is in force: a wrong type and an unknown field are reported', () => {
    const chart = new Chart(Testing.app(), 'argocd');
    const application = new ArgoCdApplication(chart, 'A', { repoUrl: 'https://git.example.com/x.git', path: 'dist' });
    const [manifest] = Testing.synth(chart).filter((m) => m.metadata.name === application.name);
    manifest.spec.syncPolicy.automated.selfHeal = 'yes';
    manifest.spec.source.recursive = true;
    const problems = validateManifests([manifest], { crds: argo() });
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('spec.syncPolicy.automated.selfHeal: must be boolean'),
      expect.stringContaining('spec.source.recursive: unknown field'),
    ]));
  });

  test('cert-manager objects of the operator webhook and the registries are in the real schemas', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'certs');
    ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
    new SparkOperatorInstall(chart, 'Operator', {
      jobNamespaces: ['jobs'],
      webhook: { certificate: WebhookCertificate.certManager({ duration: Duration.days(30), renewBefore: Duration.days(10) }) },
    });
    new RegistryMirror(chart, 'Registry', {
      namespace: 'registry',
      clusterIp: '10.96.0.60',
      tls: RegistryTls.certManager({ issuer: { name: 'lab-ca', kind: CertManagerIssuerKind.CLUSTER_ISSUER } }),
    });
    const manifests = Testing.synth(chart);
    expect(manifests.filter((m) => m.apiVersion === 'cert-manager.io/v1').map((m) => m.kind).sort())
      .toEqual(['Certificate', 'Certificate', 'Issuer']);
    expect(validateManifests(manifests, { crds: certManager() })).toEqual([]);
  });

  test('the Prometheus operator CRDs load (test/core/monitoring.test.ts validates what we emit against them)', () => {
    const crds = upstreamCrds('prometheus-operator-0.93.0/crds', [
      'monitoring.coreos.com_servicemonitors.yaml', 'monitoring.coreos.com_podmonitors.yaml', 'monitoring.coreos.com_prometheusrules.yaml',
    ]);
    expect(crds?.map((c) => c.spec.names.kind).sort()).toEqual(['PodMonitor', 'PrometheusRule', 'ServiceMonitor']);
  });

  test('the minimal fallback schemas declare only fields of the real ones, with the same types', () => {
    const real = [...argo(), ...certManager()];
    const mismatches: string[] = [];
    for (const minimal of [MINIMAL_ARGO_CD_APPLICATION_CRD, ...MINIMAL_CERT_MANAGER_CRDS]) {
      const upstream = real.find((c) => c.metadata.name === minimal.metadata.name);
      expect(upstream).toBeDefined();
      const version = minimal.spec.versions[0].name;
      const upstreamSchema = upstream.spec.versions.find((v: any) => v.name === version).schema.openAPIV3Schema;
      compare(minimal.spec.versions[0].schema.openAPIV3Schema, upstreamSchema, minimal.metadata.name, mismatches);
    }
    expect(mismatches).toEqual([]);
  });
});

/** Reports where `minimal` declares a property or type the upstream schema does not. */
function compare(minimal: any, upstream: any, at: string, out: string[]): void {
  if (minimal.type !== undefined && upstream.type !== undefined && minimal.type !== upstream.type) {
    out.push(`${at}: type ${minimal.type}, upstream ${upstream.type}`);
  }
  for (const [key, child] of Object.entries<any>(minimal.properties ?? {})) {
    const other = upstream.properties?.[key];
    if (other === undefined) {
      if (!['apiVersion', 'kind', 'metadata'].includes(key)) {
        out.push(`${at}.${key}: not in the upstream schema`);
      }
    } else {
      compare(child, other, `${at}.${key}`, out);
    }
  }
  if (minimal.items && upstream.items) {
    compare(minimal.items, upstream.items, `${at}[]`, out);
  }
}
