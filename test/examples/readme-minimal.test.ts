// The README's minimal app, kept working.
import * as fs from 'fs';
import { App, Chart, Testing } from 'cdk8s';
import { Namespace } from 'cdk8s-plus-28';
import { SparkApplication, SparkApplicationType, SparkOperatorInstall } from '../../src';
import { expectValidManifests } from '../harness/manifests';

test('the README minimal app: the operator watches the job namespace, the job gets a driver ServiceAccount', () => {
  const app: App = Testing.app();
  const operatorChart = new Chart(app, 'operator');
  new Namespace(operatorChart, 'JobNamespace', { metadata: { name: 'spark-jobs' } });
  new SparkOperatorInstall(operatorChart, 'Operator');
  const jobsChart = new Chart(app, 'jobs');
  jobsChart.addDependency(operatorChart);
  new SparkApplication(jobsChart, 'Pi', {
    namespace: 'spark-jobs',
    type: SparkApplicationType.SCALA,
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
  });
  const [operator, jobs] = app.charts.map((c) => Testing.synth(c));
  // Applied in order on an empty cluster: the job namespace before anything in it, the CRDs before the job.
  const nsIndex = operator.findIndex((m) => m.kind === 'Namespace' && m.metadata.name === 'spark-jobs');
  expect(nsIndex).toBeGreaterThanOrEqual(0);
  expect(operator.findIndex((m) => m.metadata.namespace === 'spark-jobs')).toBeGreaterThan(nsIndex);
  expect(app.charts.map((c) => c.node.id)).toEqual(['operator', 'jobs']);
  app.synth();
  expect(fs.readdirSync(app.outdir).sort()).toEqual(['0000-operator.k8s.yaml', '0001-jobs.k8s.yaml']);
  const crds = operator.filter((m) => m.kind === 'CustomResourceDefinition');
  expectValidManifests(operator);
  expectValidManifests(jobs, { crds });
  const controller = operator.find((m) => m.kind === 'Deployment' && m.metadata.name === 'spark-operator-controller');
  expect(controller.spec.template.spec.containers[0].args).toContain('--namespaces=spark-jobs');
  expect(operator.filter((m) => m.kind === 'Role' && m.metadata.namespace === 'spark-jobs').length).toBeGreaterThan(0);
  const job = jobs.find((m) => m.kind === 'SparkApplication');
  expect(job.metadata.namespace).toBe('spark-jobs');
  const sa = jobs.find((m) => m.kind === 'ServiceAccount');
  expect(job.spec.driver.serviceAccount).toBe(sa.metadata.name);
  expect(jobs.find((m) => m.kind === 'Role').rules.map((r: any) => r.resources).flat()).not.toContain('secrets');
  expect(job.spec.driver.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
});
