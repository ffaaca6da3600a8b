import { Testing } from 'cdk8s';
import { buildApp, buildArgoCd, REPO_PATH } from '../../examples/multi-tenant/main';
import { expectValidManifests } from '../harness/manifests';
import { argoCdCrds } from '../harness/third-party-crds';

describe('examples/multi-tenant', () => {
  const app = Testing.app();
  const platform = buildApp(app);
  const charts = Object.fromEntries(app.charts.map((c) => [c.node.id, Testing.synth(c)]));
  const argocd = Testing.synth(buildArgoCd(Testing.app(), platform).charts[0]);

  test('synthesizes valid manifests (snapshot)', () => {
    expect(Object.keys(charts)).toEqual(['tenants', 'spark-operator', 'spark-services', 'jobs']);
    const crds = charts['spark-operator'].filter((m) => m.kind === 'CustomResourceDefinition');
    for (const manifests of Object.values(charts)) {
      expectValidManifests(manifests, { crds });
    }
    expectValidManifests(argocd, { crds: argoCdCrds() });
    expect({ ...charts, argocd }).toMatchSnapshot();
  });

  test('three departments, each throttled by its own quota and isolated by default-deny policies', () => {
    const tenants = charts.tenants;
    const quotas = Object.fromEntries(tenants.filter((m) => m.kind === 'ResourceQuota').map((m) => [m.metadata.namespace, m.spec.hard]));
    expect(Object.keys(quotas)).toEqual(['analytics', 'data-science', 'finance']);
    expect(quotas.finance).toMatchObject({ 'requests.cpu': '8', 'limits.memory': '32Gi', 'count/sparkapplications.sparkoperator.k8s.io': 5 });
    for (const ns of Object.keys(quotas)) {
      const policies = tenants.filter((m) => m.kind === 'NetworkPolicy' && m.metadata.namespace === ns);
      const deny = policies.find((p) => p.metadata.name === 'default-deny');
      expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      // The event-log store (MinIO on 9000) is reachable, nothing else beyond the defaults.
      expect(JSON.stringify(policies)).toContain('"port":9000');
    }
  });

  test('jobs write to the store the history server reads; Argo CD syncs dist/ and ignores the webhook caBundle', () => {
    const history = charts['spark-services'].find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'spark-history-server-config');
    expect(history.data['spark-defaults.conf']).toContain('s3a://spark-events/spark-events');
    for (const job of charts.jobs.filter((m) => m.kind === 'SparkApplication')) {
      expect(job.spec.sparkConf['spark.eventLog.dir']).toBe('s3a://spark-events/spark-events');
      // Keys from the Secret, never literal.
      expect(job.spec.driver.env.find((e: any) => e.name === 'AWS_SECRET_ACCESS_KEY').valueFrom.secretKeyRef.name).toBe('event-log-s3');
    }
    const application = argocd.find((m) => m.kind === 'Application');
    expect(application.spec.source.path).toBe(REPO_PATH);
    expect(application.spec.ignoreDifferences.map((d: any) => d.kind)).toEqual(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
    const waves = (chart: string) => charts[chart].map((m) => Number(m.metadata.annotations?.['argocd.argoproj.io/sync-wave']));
    expect(Math.max(...waves('spark-operator'))).toBeLessThan(Math.min(...waves('jobs')));
  });
});
