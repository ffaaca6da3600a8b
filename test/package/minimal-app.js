// The README's minimal app in plain JavaScript, for scripts/test-package.sh:
// `node minimal-app.js <module>` synthesizes it with the library loaded from
// <module> (the installed package, or the sources through ts-node) and prints
// every chart's manifests as JSON, after checking what a user would check
// with a snapshot test: the namespace first, the job and its account.
const assert = require('assert');
const { App, Chart, Testing } = require('cdk8s');
const { Namespace } = require('cdk8s-plus-28');
const { SparkApplication, SparkApplicationType, SparkOperatorInstall } = require(process.argv[2]);

const app = Testing.app();
const operator = new Chart(app, 'operator');
new Namespace(operator, 'JobNamespace', { metadata: { name: 'spark-jobs' } });
new SparkOperatorInstall(operator, 'Operator');
const jobs = new Chart(app, 'jobs');
jobs.addDependency(operator);
new SparkApplication(jobs, 'Pi', {
  namespace: 'spark-jobs',
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
});
const charts = app.charts.map((chart) => Testing.synth(chart));
assert.ok(app instanceof App);
assert.strictEqual(charts[0][0].kind, 'Namespace');
const job = charts[1].find((m) => m.kind === 'SparkApplication');
assert.strictEqual(job.spec.driver.serviceAccount, charts[1].find((m) => m.kind === 'ServiceAccount').metadata.name);
process.stdout.write(`${JSON.stringify(charts, null, 1)}\n`);
