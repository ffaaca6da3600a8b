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

  test('the native server runs without the operator, as the tenant\'s driver, with a client of its own', () => {
    const deployment = find('Deployment', 'spark-connect-native');
    const pod = deployment.spec.template;
    const container = pod.spec.containers[0];
    expect(container.command).toEqual(['/opt/spark/sbin/start-connect-server.sh']);
    // A client-mode driver: executors dial back through the headless Service.
    expect(container.args).toEqual(expect.arrayContaining([
      'spark.submit.deployMode=client', `spark.driver.host=spark-connect-native-driver.${NAMESPACE}.svc`, `spark.kubernetes.namespace=${NAMESPACE}`,
      'spark.dynamicAllocation.maxExecutors=2',
    ]));
    expect(find('Service', 'spark-connect-native-driver').spec).toMatchObject({ clusterIP: 'None', selector: deployment.spec.selector.matchLabels });
    expect(find('ConfigMap', 'spark-connect-native-executor-template').data['executor-pod-template.yaml']).toContain('automountServiceAccountToken: false');
    // The tenant's driver account, bound to its driver Role.
    expect(pod.spec.serviceAccountName).toBe('spark-driver');
    const binding = connect.find((m: any) => m.kind === 'RoleBinding' && m.subjects?.[0]?.name === 'spark-driver');
    const rules = find('Role', binding.roleRef.name).rules;
    expect(rules.some((r: any) => r.resources.includes('pods') && r.verbs.includes('create'))).toBe(true);
    // The tenant's ingress policy selects it, so the clients get in.
    expect(pod.metadata.labels['spark-role']).toBe('connect-server');
    const service = find('Service', 'spark-connect-native');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports[0]).toMatchObject({ port: 15002, appProtocol: 'grpc' });
    const client = find('Job', 'connect-native-client').spec.template;
    expect(client.spec.containers[0].env.find((e: any) => e.name === 'SPARK_REMOTE').value)
      .toBe(`sc://spark-connect-native.${NAMESPACE}.svc.cluster.local:15002`);
    expect(client.metadata.labels['app.kubernetes.io/name']).toBe('connect-client');
    // The operator's server is untouched: one SparkConnect, named as before.
    expect(connect.filter((m: any) => m.kind === 'SparkConnect').map((m: any) => m.metadata.name)).toEqual(['spark-connect']);
  });

  test('the operator watches the tenant\'s namespace', () => {
    const controller = charts['spark-operator'].find((m: any) => m.kind === 'Deployment' && m.metadata.name === 'spark-operator-controller');
    expect(controller.spec.template.spec.containers[0].args).toContain(`--namespaces=${NAMESPACE}`);
  });
});
