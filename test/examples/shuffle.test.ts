import { Testing } from 'cdk8s';
import { buildApp, NAMESPACE, SHUFFLE_NAMESPACE } from '../../examples/shuffle/main';
import { checkCluster } from '../../src/core/cluster-model';
import { expectValidManifests } from '../harness/manifests';

describe('examples/shuffle', () => {
  const app = buildApp(Testing.app());
  const charts = Object.fromEntries(app.charts.map((chart) => [chart.node.id, Testing.synth(chart)]));
  const find = (chart: string, kind: string, name: string) => charts[chart].find((m: any) => m.kind === kind && m.metadata.name === name);

  test('synthesizes valid manifests (snapshot)', () => {
    expect(Object.keys(charts)).toEqual(['spark-operator', 'shuffle', 'jobs']);
    const crds = charts['spark-operator'].filter((m: any) => m.kind === 'CustomResourceDefinition');
    for (const manifests of Object.values(charts)) {
      expectValidManifests(manifests, { crds });
    }
    expect(charts).toMatchSnapshot();
  });

  test('the runtime-truth model finds nothing in the whole app', () => {
    expect(checkCluster(Object.values(charts).flat().map((json) => ({ json })))).toEqual([]);
  });

  test('the Celeborn namespace comes first in its file, and enforces the restricted profile', () => {
    expect(charts.shuffle[0]).toMatchObject({ kind: 'Namespace', metadata: { name: SHUFFLE_NAMESPACE } });
    expect(charts.shuffle[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('the job shuffles through Celeborn with dynamic allocation and no shuffle tracking', () => {
    const spec = find('jobs', 'SparkApplication', 'etl').spec;
    expect(spec.dynamicAllocation).toMatchObject({ enabled: true, shuffleTrackingEnabled: false, maxExecutors: 20 });
    expect(spec.sparkConf).toMatchObject({
      'spark.shuffle.manager': 'org.apache.spark.shuffle.celeborn.SparkShuffleManager',
      'spark.shuffle.service.enabled': 'false',
    });
    expect(spec.sparkConf['spark.celeborn.master.endpoints']).toContain(`.${SHUFFLE_NAMESPACE}.svc`);
  });

  test('the tenant\'s egress reaches the masters and the workers in the Celeborn namespace', () => {
    const policy = find('jobs', 'NetworkPolicy', 'allow-egress-shuffle');
    expect(policy.metadata.namespace).toBe(NAMESPACE);
    expect(policy.spec.egress[0].to[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': SHUFFLE_NAMESPACE });
    const ports = policy.spec.egress[0].ports.map((p: any) => p.port);
    const masters = find('shuffle', 'StatefulSet', 'celeborn-master').spec.template.spec.containers[0].ports.map((p: any) => p.containerPort);
    expect(ports).toContain(masters.find((p: number) => p === 9097));
    // Jobs use the workers' RPC, push and fetch ports; replication (9094) is between workers, HTTP (9096) for Prometheus.
    const workers = find('shuffle', 'StatefulSet', 'celeborn-worker').spec.template.spec.containers[0].ports
      .map((p: any) => p.containerPort).filter((p: number) => p !== 9094 && p !== 9096);
    expect(ports.slice(1).sort()).toEqual(workers.sort());
    expect(workers.sort()).toEqual([9091, 9092, 9093]);
    // The client jar comes from Maven Central: the driver may reach it.
    expect(find('jobs', 'SparkApplication', 'etl').spec.deps.packages).toEqual(['org.apache.celeborn:celeborn-client-spark-4-shaded_2.13:0.7.0']);
    expect(find('jobs', 'NetworkPolicy', 'allow-egress-maven-central').spec.egress[0].ports).toEqual([{ port: 443, protocol: 'TCP' }]);
  });
});
