import { Testing } from 'cdk8s';
import { buildApp } from '../../examples/spark-jobs/main';
import { expectValidManifests } from '../harness/manifests';

describe('examples/spark-jobs', () => {
  test('synthesizes valid manifests (snapshot)', () => {
    const app = buildApp(Testing.app());
    const charts = Object.fromEntries(app.charts.map((chart) => [chart.node.id, Testing.synth(chart)]));
    expect(Object.keys(charts)).toEqual(['spark-operator', 'spark-jobs']);
    // The operator chart brings the CRDs the jobs are checked against.
    const crds = charts['spark-operator'].filter((m) => m.kind === 'CustomResourceDefinition');
    expect(crds).toHaveLength(3);
    for (const manifests of Object.values(charts)) {
      expectValidManifests(manifests, { crds });
    }
    const jobs = charts['spark-jobs'];
    expect(jobs.filter((m) => m.apiVersion === 'sparkoperator.k8s.io/v1beta2').map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'SparkApplication/spark-pi', 'SparkApplication/pyspark-pi', 'SparkApplication/word-count', 'ScheduledSparkApplication/nightly-pi',
    ]);
    // One driver ServiceAccount for the namespace, shared by all four jobs.
    expect(jobs.filter((m) => m.kind === 'ServiceAccount').map((m) => m.metadata.name)).toEqual(['spark-driver']);
    const wordCount = jobs.find((m) => m.metadata.name === 'word-count');
    expect(wordCount.spec.mainApplicationFile).toMatch(/^https:\/\//);
    expect(wordCount.spec.deps.jars[0]).toMatch(/^https:\/\//);
    // The operator watches exactly the jobs' namespace.
    const controller = charts['spark-operator'].find((m) => m.kind === 'Deployment' && m.metadata.name === 'spark-operator-controller');
    expect(controller.spec.template.spec.containers[0].args).toContain('--namespaces=spark-jobs');
    expect(charts).toMatchSnapshot();
  });
});
