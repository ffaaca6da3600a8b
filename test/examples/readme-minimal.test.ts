// The README's minimal app, kept working.
import { App, Chart, Testing } from 'cdk8s';
import { SparkApplication, SparkApplicationType, SparkOperatorInstall } from '../../src';
import { expectValidManifests } from '../harness/manifests';

test('the README minimal app: the operator watches the job namespace, the job gets a driver ServiceAccount', () => {
  const app: App = Testing.app();
  new SparkOperatorInstall(new Chart(app, 'operator'), 'Operator');
  new SparkApplication(new Chart(app, 'jobs'), 'Pi', {
    namespace: 'spark-jobs',
    type: SparkApplicationType.SCALA,
    mainClass: 'org.apache.spark.examples.SparkPi',
    mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
  });
  const [operator, jobs] = app.charts.map((c) => Testing.synth(c));
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
