// Issue #19, monitoring of the jobs: prometheusMetrics turns on Spark's own
// Prometheus endpoints on a job's driver and labels the driver; a
// SparkJobMonitoring (a tenant's `monitoring`) scrapes the labelled drivers of
// its namespace, and an isolated tenant lets Prometheus in. The PodMonitor and
// rule are checked against the Prometheus operator's CRDs in
// test/core/monitoring.test.ts.
import { Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  DeployMode, NetworkPeer, ScheduledSparkApplication, ScheduledSparkSubmitJob, SparkApplication, SparkApplicationType, SparkConf,
  SparkJobMonitoring, SparkOperatorCrds, SparkSubmitJob, SparkTenant, TenantApiServerAccess,
} from '../../src';
import { PolicyModel } from '../../src/core/cluster-model/network-policy';
import { requireSparkFeature, SPARK_FEATURES } from '../../src/core/compatibility-spark';
import { expectValidManifests } from '../harness/manifests';
import { pairsAfter } from '../harness/spark-operator';
import { parseYamlDocuments } from '../harness/yaml';

const JOB = {
  type: SparkApplicationType.SCALA,
  mainClass: 'org.apache.spark.examples.SparkPi',
  mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
};
const API = TenantApiServerAccess.toCidrs(['192.168.10.10/32']);
const PROMETHEUS = NetworkPeer.namespace('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
// The keys prometheusMetrics sets (apache/spark conf/metrics.properties.template's PrometheusServlet
// lines, for the driver instance, and UI.scala's spark.ui.prometheus.enabled).
const METRICS_CONF = {
  'spark.ui.prometheus.enabled': 'true',
  'spark.metrics.conf.driver.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
  'spark.metrics.conf.driver.sink.prometheusServlet.path': '/metrics/prometheus',
};

let operatorCrds: any[] | undefined;
const isMonitoring = (m: any) => m.apiVersion === 'monitoring.coreos.com/v1';
/** The manifests, every one but the Prometheus operator's objects checked by the harness. */
function synth(chart: Chart): any[] {
  operatorCrds ??= Testing.synth(((c) => (new SparkOperatorCrds(c, 'Crds'), c))(new Chart(Testing.app(), 'crds')));
  const manifests = Testing.synth(chart);
  expectValidManifests(manifests.filter((m) => !isMonitoring(m)), { crds: operatorCrds });
  return manifests;
}

function jobsChart(namespace = 'etl') {
  return new Chart(Testing.app(), 'jobs', { namespace });
}

/** The `--conf` pairs of the spark-submit arguments. */
function submitConf(job: any): { [key: string]: string } {
  return pairsAfter(job.spec.template.spec.containers[0].args, '--conf');
}

const matches = (selector: { [key: string]: string }, labels: { [key: string]: string } = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('prometheusMetrics on a SparkApplication', () => {
  test('the endpoints\' keys in sparkConf, merged with the user\'s, and the label on the driver only', () => {
    const chart = jobsChart();
    new SparkApplication(chart, 'Pi', {
      ...JOB, prometheusMetrics: true, sparkConf: SparkConf.of({ 'spark.sql.shuffle.partitions': '8' }), driver: { labels: { team: 'a' } },
    });
    const spec = synth(chart).find((m) => m.kind === 'SparkApplication').spec;
    expect(spec.sparkConf).toEqual({ 'spark.sql.shuffle.partitions': '8', ...METRICS_CONF });
    expect(spec.driver.labels).toEqual({ 'team': 'a', 'spark-metrics': 'prometheus' });
    expect(spec.executor.labels).toBeUndefined();
  });

  test('off by default: no keys, no label', () => {
    const chart = jobsChart();
    new SparkApplication(chart, 'Pi', JOB);
    const spec = synth(chart).find((m) => m.kind === 'SparkApplication').spec;
    expect(spec.sparkConf).toBeUndefined();
    expect(spec.driver.labels).toBeUndefined();
  });

  test('a ScheduledSparkApplication\'s runs serve them too', () => {
    const chart = jobsChart();
    new ScheduledSparkApplication(chart, 'Nightly', { ...JOB, schedule: '0 2 * * *', prometheusMetrics: true });
    const template = synth(chart).find((m) => m.kind === 'ScheduledSparkApplication').spec.template;
    expect(template.sparkConf).toEqual(METRICS_CONF);
    expect(template.driver.labels).toEqual({ 'spark-metrics': 'prometheus' });
  });

  test('while off, the keys are the user\'s to set (e.g. for a scraper of their own)', () => {
    const chart = jobsChart();
    new SparkApplication(chart, 'Pi', { ...JOB, sparkConf: SparkConf.of({ 'spark.ui.prometheus.enabled': 'true' }) });
    expect(synth(chart).find((m) => m.kind === 'SparkApplication').spec.sparkConf).toEqual({ 'spark.ui.prometheus.enabled': 'true' });
  });

  test.each<[string, object, string]>([
    ['a key it sets, in sparkConf', { sparkConf: SparkConf.of({ 'spark.ui.prometheus.enabled': 'false' }) },
      'jobs/Pi: invalid sparkConf key "spark.ui.prometheus.enabled": the key is managed by the library; set it through the prometheusMetrics prop'],
    ['the sink path, in sparkConf', { sparkConf: SparkConf.of({ 'spark.metrics.conf.driver.sink.prometheusServlet.path': '/m' }) },
      'invalid sparkConf key "spark.metrics.conf.driver.sink.prometheusServlet.path": the key is managed by the library'],
    ['the UI turned off', { sparkConf: SparkConf.of({ 'spark.ui.enabled': 'false' }) },
      'invalid sparkConf key "spark.ui.enabled": a key the library manages, which cannot be set: prometheusMetrics serves the metrics on the driver\'s web UI'],
    ['client mode', { mode: DeployMode.CLIENT }, 'jobs/Pi: invalid prometheusMetrics true: cluster mode only'],
    ['another value of its driver label', { driver: { labels: { 'spark-metrics': 'jmx' } } },
      'jobs/Pi: invalid driver.labels "spark-metrics" "jmx": "prometheus" (prometheusMetrics labels the driver so; leave the label out)'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => new SparkApplication(jobsChart(), 'Pi', { ...JOB, prometheusMetrics: true, ...props })).toThrow(message);
  });

  test('refuses a value that is not a boolean', () => {
    expect(() => new SparkApplication(jobsChart(), 'Pi', { ...JOB, prometheusMetrics: 'yes' as any }))
      .toThrow('jobs/Pi: invalid prometheusMetrics "yes": true or false');
  });

  test('addSparkConf cannot take its keys back while it is on, and can while it is off', () => {
    const on = new SparkApplication(jobsChart(), 'Pi', { ...JOB, prometheusMetrics: true });
    expect(() => on.addSparkConf('spark.ui.enabled', 'false')).toThrow('jobs/Pi: invalid sparkConf key "spark.ui.enabled"');
    expect(() => on.addSparkConf('spark.ui.prometheus.enabled', 'true')).toThrow('set it through the prometheusMetrics prop');
    const off = new SparkApplication(jobsChart(), 'Pi', JOB);
    expect(() => off.addSparkConf('spark.ui.prometheus.enabled', 'true')).not.toThrow();
  });

  test('the table gates the feature by Spark release (every release SparkImage takes has it)', () => {
    expect(SPARK_FEATURES.prometheusEndpoints).toMatchObject({ since: '3.0.0', keys: ['spark.ui.prometheus.enabled'] });
    const scope = new Construct(Testing.app(), 'old');
    expect(() => requireSparkFeature(scope, 'prometheusMetrics', { sparkVersion: '2.4.8', reference: 'example/spark:2.4.8' },
      SPARK_FEATURES.prometheusEndpoints)).toThrow('old: invalid prometheusMetrics "Spark 2.4.8": Spark 3.0.0 or later');
  });
});

describe('prometheusMetrics on a SparkSubmitJob', () => {
  test('cluster mode: the keys on spark-submit\'s command line, the label in the driver pod template only', () => {
    const chart = jobsChart();
    new SparkSubmitJob(chart, 'Pi', { ...JOB, prometheusMetrics: true });
    const manifests = synth(chart);
    const job = manifests.find((m) => m.kind === 'Job');
    expect(submitConf(job)).toMatchObject(METRICS_CONF);
    const templates = manifests.find((m) => m.kind === 'ConfigMap').data;
    expect(parseYamlDocuments(templates['driver-pod-template.yaml'])[0].metadata.labels['spark-metrics']).toBe('prometheus');
    expect(parseYamlDocuments(templates['executor-pod-template.yaml'])[0].metadata.labels['spark-metrics']).toBeUndefined();
    // The submit pod is not the driver.
    expect(job.spec.template.metadata.labels['spark-metrics']).toBeUndefined();
  });

  test('client mode: the submit pod is the driver, labelled, with its UI port named spark-ui', () => {
    const chart = jobsChart();
    new SparkSubmitJob(chart, 'Pi', { ...JOB, mode: DeployMode.CLIENT, prometheusMetrics: true, clientMode: { uiPort: 4050 } });
    const job = synth(chart).find((m) => m.kind === 'Job');
    expect(job.spec.template.metadata.labels['spark-metrics']).toBe('prometheus');
    expect(job.spec.template.spec.containers[0].ports).toContainEqual({ name: 'spark-ui', containerPort: 4050, protocol: 'TCP' });
    expect(submitConf(job)).toMatchObject(METRICS_CONF);
  });

  test('a ScheduledSparkSubmitJob\'s runs serve them too', () => {
    const chart = jobsChart();
    new ScheduledSparkSubmitJob(chart, 'Nightly', { ...JOB, schedule: '0 2 * * *', prometheusMetrics: true });
    const cron = synth(chart).find((m) => m.kind === 'CronJob');
    expect(submitConf(cron.spec.jobTemplate)).toMatchObject(METRICS_CONF);
  });

  test.each<[string, object, string]>([
    ['a client-mode driver without its UI', { mode: DeployMode.CLIENT, clientMode: { ui: false } },
      'jobs/Pi: invalid prometheusMetrics true: a driver that serves its web UI: in client mode clientMode.ui must stay true'],
    ['a key it sets, in sparkConf', { sparkConf: SparkConf.of({ 'spark.metrics.conf.driver.sink.prometheusServlet.class': 'x.Y' }) },
      'jobs/Pi: invalid sparkConf key "spark.metrics.conf.driver.sink.prometheusServlet.class": the key is managed by the library'],
    ['another value of its driver label', { driver: { labels: { 'spark-metrics': 'off' } } }, 'jobs/Pi: invalid driver.labels "spark-metrics" "off"'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => new SparkSubmitJob(jobsChart(), 'Pi', { ...JOB, prometheusMetrics: true, ...props })).toThrow(message);
  });

  test('addSparkConf cannot turn the UI off', () => {
    const job = new SparkSubmitJob(jobsChart(), 'Pi', { ...JOB, prometheusMetrics: true });
    expect(() => job.addSparkConf('spark.ui.enabled', 'false')).toThrow('jobs/Pi: invalid sparkConf key "spark.ui.enabled"');
  });
});

describe('SparkJobMonitoring', () => {
  test('one PodMonitor selects the labelled drivers of every job kind, on both endpoints of the UI port', () => {
    const chart = jobsChart();
    new SparkJobMonitoring(chart, 'Monitoring', { labels: { release: 'prometheus' }, interval: Duration.seconds(15) });
    new SparkApplication(chart, 'Op', { ...JOB, prometheusMetrics: true });
    new SparkSubmitJob(chart, 'Native', { ...JOB, prometheusMetrics: true });
    new SparkSubmitJob(chart, 'Client', { ...JOB, mode: DeployMode.CLIENT, prometheusMetrics: true });
    new SparkApplication(chart, 'Quiet', JOB);
    const manifests = synth(chart);
    const monitor = manifests.find((m) => m.kind === 'PodMonitor');
    expect(monitor.metadata).toMatchObject({ name: 'spark-jobs', namespace: 'etl', labels: { release: 'prometheus' } });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['etl'] });
    // Two paths on one port: each scrape's `up` and series get the path as a label.
    const relabel = [{ sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path' }];
    expect(monitor.spec.podMetricsEndpoints).toEqual([
      { port: 'spark-ui', path: '/metrics/prometheus', interval: '15s', relabelings: relabel },
      { port: 'spark-ui', path: '/metrics/executors/prometheus', interval: '15s', relabelings: relabel },
    ]);
    expect(monitor.spec.podTargetLabels).toEqual(['spark-app-selector', 'spark-role', 'sparkoperator.k8s.io/app-name']);
    const selector = monitor.spec.selector.matchLabels;
    // The drivers as their runners label them: the operator's spec, the driver pod template, the client-mode submit pod.
    const apps = manifests.filter((m) => m.kind === 'SparkApplication');
    expect(apps.map((a) => matches(selector, a.spec.driver.labels))).toEqual([true, false]);
    expect(apps.every((a) => !matches(selector, a.spec.executor.labels))).toBe(true);
    const driverTemplate = parseYamlDocuments(manifests.find((m) => m.kind === 'ConfigMap'
      && m.data['driver-pod-template.yaml']).data['driver-pod-template.yaml'])[0];
    expect(matches(selector, driverTemplate.metadata.labels)).toBe(true);
    const clientPod = manifests.filter((m) => m.kind === 'Job').map((j) => j.spec.template).find((t) => t.spec.containers[0].ports);
    expect(matches(selector, clientPod.metadata.labels)).toBe(true);
    expect(clientPod.spec.containers[0].ports.map((p: any) => p.name)).toContain('spark-ui');
  });

  test('alerts: a running driver that cannot be scraped, failing tasks; scoped to the monitor\'s job', () => {
    const chart = jobsChart();
    new SparkJobMonitoring(chart, 'Monitoring');
    const rules = synth(chart).find((m) => m.kind === 'PrometheusRule').spec.groups[0].rules;
    expect(rules.map((r: any) => [r.alert, r.labels.severity, r.for])).toEqual([
      ['SparkDriverMetricsUnreachable', 'warning', '15m'], ['SparkTasksFailing', 'warning', '0m'],
    ]);
    // prometheus-operator names a PodMonitor's job <namespace>/<name>.
    expect(rules[0].expr).toBe('up{job="etl/spark-jobs"} == 0');
    expect(rules[1].expr).toBe('sum by (namespace, pod) (increase(metrics_executor_failedTasks_total{job="etl/spark-jobs"}[15m])) > 0');
  });

  test('alerts can be left out; the namespace may be given', () => {
    const chart = jobsChart();
    new SparkJobMonitoring(chart, 'Monitoring', { namespace: 'ml', alerts: false });
    const manifests = synth(chart);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.namespace}`)).toEqual(['PodMonitor/ml']);
  });

  test.each<[string, (chart: Chart) => void, string]>([
    ['a second one in a namespace', (c) => {
      new SparkJobMonitoring(c, 'A'); new SparkJobMonitoring(c, 'B');
    }, 'jobs/B: invalid namespace "etl": a namespace without another SparkJobMonitoring (jobs/A monitors it)'],
    ['a bad label', (c) => new SparkJobMonitoring(c, 'A', { labels: { 'a b': 'x' } }), 'jobs/A: invalid labels key "a b"'],
    ['a zero interval', (c) => new SparkJobMonitoring(c, 'A', { interval: Duration.seconds(0) }), 'jobs/A: invalid interval'],
    ['a bad namespace', (c) => new SparkJobMonitoring(c, 'A', { namespace: 'Not_A_Name' }), 'jobs/A: invalid namespace "Not_A_Name"'],
  ])('refuses %s', (_name, build, message) => {
    expect(() => build(jobsChart())).toThrow(message);
  });
});

describe('a tenant\'s monitoring', () => {
  function tenant(props: object) {
    const chart = jobsChart();
    const t = new SparkTenant(chart, 'Etl', { namespace: 'etl', apiServer: API, ...props });
    new SparkApplication(chart, 'Pi', { ...JOB, prometheusMetrics: true });
    return { chart, tenant: t };
  }

  test('its SparkJobMonitoring, and the policy that lets Prometheus reach the drivers\' UI port by name', () => {
    const { chart, tenant: t } = tenant({ monitoring: { prometheus: PROMETHEUS, labels: { release: 'prometheus' } } });
    const manifests = synth(chart);
    expect(t.monitoring?.namespace).toBe('etl');
    expect(manifests.filter(isMonitoring).map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.labels.release}`))
      .toEqual(['PodMonitor/etl/prometheus', 'PrometheusRule/etl/prometheus']);
    const policy = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'allow-ingress-spark-metrics');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'spark-metrics': 'prometheus' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [PROMETHEUS._toPeer()], ports: [{ protocol: 'TCP', port: 'spark-ui' }] }],
    });
  });

  // The driver as Spark creates it: the spec's labels plus spark-role, its UI port named spark-ui
  // (apache/spark BasicDriverFeatureStep; any spark.ui.port).
  const driverOf = (manifests: any[], uiPort: number) => ({
    namespace: 'etl',
    labels: { ...manifests.find((m) => m.kind === 'SparkApplication').spec.driver.labels, 'spark-role': 'driver' },
    ports: { 'spark-ui': uiPort },
  });
  const prometheusPod = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };

  test('under the tenant\'s policies Prometheus reaches a monitored driver, and nothing else gets in', () => {
    const manifests = synth(tenant({ monitoring: { prometheus: PROMETHEUS } }).chart);
    const model = new PolicyModel(manifests.map((json) => ({ json })));
    expect(model.allows(prometheusPod, driverOf(manifests, 4040), 4040)).toBe(true);
    expect(model.allows(prometheusPod, driverOf(manifests, 4050), 4050)).toBe(true);
    expect(model.allows(prometheusPod, driverOf(manifests, 4040), 7078)).toBe(false);
    expect(model.allows({ namespace: 'other', labels: {} }, driverOf(manifests, 4040), 4040)).toBe(false);
  });

  test('without it the default-deny policy drops the scrapes (what the policy is for)', () => {
    const manifests = synth(tenant({}).chart);
    const model = new PolicyModel(manifests.map((json) => ({ json })));
    expect(model.allows(prometheusPod, driverOf(manifests, 4040), 4040)).toBe(false);
    expect(manifests.filter(isMonitoring)).toEqual([]);
  });

  test('without network isolation no policy, and no Prometheus peer needed', () => {
    const chart = jobsChart();
    new SparkTenant(chart, 'Etl', { namespace: 'etl', networkIsolation: false, monitoring: {} });
    const manifests = synth(chart);
    expect(manifests.filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
    expect(manifests.filter(isMonitoring).map((m) => m.kind)).toEqual(['PodMonitor', 'PrometheusRule']);
  });

  test.each<[string, object, string]>([
    ['an isolated tenant without the Prometheus peer', { monitoring: {} },
      'jobs/Etl: invalid monitoring.prometheus (undefined): where Prometheus runs, e.g. NetworkPeer.namespace("monitoring"'],
    ['a peer that is not a NetworkPeer', { monitoring: { prometheus: 'monitoring' } }, 'jobs/Etl: invalid monitoring.prometheus "monitoring": a NetworkPeer'],
    ['a bad label', { monitoring: { prometheus: PROMETHEUS, labels: { 'a b': 'x' } } }, 'jobs/Etl: invalid monitoring.labels key "a b"'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => new SparkTenant(jobsChart(), 'Etl', { namespace: 'etl', apiServer: API, ...props })).toThrow(message);
  });

  test('a later change of the options fails synthesis', () => {
    const monitoring = { prometheus: PROMETHEUS, labels: { release: 'a' } };
    const chart = jobsChart();
    new SparkTenant(chart, 'Etl', { namespace: 'etl', apiServer: API, monitoring });
    monitoring.labels.release = 'b';
    expect(() => Testing.synth(chart)).toThrow('props.monitoring changed after');
  });
});
