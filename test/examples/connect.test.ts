import { Testing } from 'cdk8s';
import { buildApp, NAMESPACE } from '../../examples/connect/main';
import { checkCluster } from '../../src/core/cluster-model';
import { expectValidManifests } from '../harness/manifests';

describe('examples/connect', () => {
  const app = buildApp(Testing.app());
  const charts = Object.fromEntries(app.charts.map((chart) => [chart.node.id, Testing.synth(chart)]));
  const connect = charts.connect;
  const find = (kind: string, name: string) => connect.find((m: any) => m.kind === kind && m.metadata.name === name);

  test('synthesizes valid manifests (snapshot)', () => {
    expect(Object.keys(charts)).toEqual(['spark-operator', 'connect']);
    const crds = charts['spark-operator'].filter((m: any) => m.kind === 'CustomResourceDefinition');
    for (const manifests of Object.values(charts)) {
      expectValidManifests(manifests, { crds });
    }
    expect(charts).toMatchSnapshot();
  });

  test('the runtime-truth model finds nothing in the whole app', () => {
    expect(checkCluster(Object.values(charts).flat().map((json) => ({ json })))).toEqual([]);
  });

  test('the client dials the server\'s Service through the tenant\'s policies', () => {
    const job = find('Job', 'connect-client').spec.template;
    const env = Object.fromEntries(job.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.SPARK_REMOTE).toBe(`sc://spark-connect-server.${NAMESPACE}.svc.cluster.local:15002`);
    const ingress = find('NetworkPolicy', 'allow-ingress-spark-connect').spec;
    expect(ingress.podSelector).toEqual({ matchLabels: { 'spark-role': 'connect-server' } });
    expect(ingress.ingress[0].from[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'connect-client' });
    expect(job.metadata.labels['app.kubernetes.io/name']).toBe('connect-client');
    const egress = find('NetworkPolicy', 'allow-egress-spark-connect').spec;
    expect(egress.egress[0].ports).toEqual([{ protocol: 'TCP', port: 15002 }]);
  });

  test('the operator watches the tenant\'s namespace', () => {
    const controller = charts['spark-operator'].find((m: any) => m.kind === 'Deployment' && m.metadata.name === 'spark-operator-controller');
    expect(controller.spec.template.spec.containers[0].args).toContain(`--namespaces=${NAMESPACE}`);
  });
});
