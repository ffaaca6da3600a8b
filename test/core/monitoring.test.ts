// Issue #19, monitoring: ServiceMonitor / PodMonitor and PrometheusRule for the
// operator and the registry, opt-in per construct and once on the platform.
// The objects are validated against the Prometheus operator's CRDs
// (../shared/reference/prometheus-operator-0.93.0); that part skips without them.
import { Chart, Duration, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  ClusterStorage, RegistryMirror, RegistryTls, RegistryUpstream, SparkOperatorInstall, SparkPlatform, SparkStandaloneCluster,
  StandaloneAuthentication, StorageClassRef, TenantApiServerAccess,
} from '../../src';
import { validateManifests } from '../harness/manifests';
import { referencePath } from '../harness/reference';
import { prometheusOperatorCrds } from '../harness/third-party-crds';

const crdsPresent = referencePath('monitoring.test.ts', 'prometheus-operator-0.93.0') !== undefined;

function operator(props: object = {}) {
  const chart = new Chart(Testing.app(), 'ops');
  new SparkOperatorInstall(chart, 'Operator', { jobNamespaces: ['jobs'], ...props });
  return Testing.synth(chart);
}

function registry(props: object = {}) {
  const chart = new Chart(Testing.app(), 'reg');
  ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
  new RegistryMirror(chart, 'Cache', {
    namespace: 'registry', clusterIp: '10.96.0.60', tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() }, ...props,
  });
  return Testing.synth(chart);
}

const matches = (selector: { [key: string]: string }, labels: { [key: string]: string } = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('the operator', () => {
  test('a ServiceMonitor that selects the metrics Service and its metrics port, and the operator alerts', () => {
    const manifests = operator({ monitoring: { labels: { release: 'prometheus' }, interval: Duration.seconds(15) } });
    const monitor = manifests.find((m) => m.kind === 'ServiceMonitor');
    expect(monitor.metadata.labels.release).toBe('prometheus');
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s' }]);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [monitor.metadata.namespace] });
    const selected = manifests.filter((m) => m.kind === 'Service' && matches(monitor.spec.selector.matchLabels, m.metadata.labels)
      && m.metadata.namespace === monitor.metadata.namespace);
    // Only Services with a port named "metrics" yield targets.
    expect(selected.filter((s) => s.spec.ports.some((p: any) => p.name === 'metrics')).map((s) => s.metadata.name)).toEqual(['spark-operator-metrics']);
    const rule = manifests.find((m) => m.kind === 'PrometheusRule');
    const alerts = rule.spec.groups[0].rules;
    expect(alerts.map((r: any) => r.alert)).toEqual(['SparkOperatorDown', 'SparkOperatorWebhookErrors', 'SparkApplicationsFailing',
      'SparkApplicationSubmissionsFailing']);
    // The Service the monitor scrapes is the one the alerts name.
    expect(alerts[0].expr).toBe('absent(up{namespace="spark-operator", service="spark-operator-metrics"}) or '
      + 'up{namespace="spark-operator", service="spark-operator-metrics"} == 0');
    expect(alerts.every((r: any) => ['warning', 'critical'].includes(r.labels.severity) && r.annotations.summary)).toBe(true);
  });

  test('the metric prefix reaches the alerts', () => {
    const rule = operator({ monitoring: {}, metrics: { prefix: 'team_a_' } }).find((m) => m.kind === 'PrometheusRule');
    expect(rule.spec.groups[0].rules[2].expr).toContain('increase(team_a_spark_application_failure_count{');
  });

  test('alerts can be left out; without monitoring nothing is emitted', () => {
    expect(operator({ monitoring: { alerts: false } }).map((m) => m.kind)).not.toContain('PrometheusRule');
    expect(operator().filter((m) => m.apiVersion === 'monitoring.coreos.com/v1')).toEqual([]);
  });

  test.each<[string, object, string]>([
    ['monitoring without metrics', { metrics: { enabled: false }, monitoring: {} },
      'ops/Operator: invalid monitoring "set": metrics enabled (metrics.enabled true)'],
    ['a bad label', { monitoring: { labels: { 'a b': 'x' } } }, 'ops/Operator: invalid monitoring.labels key "a b"'],
    ['a zero interval', { monitoring: { interval: Duration.seconds(0) } }, 'ops/Operator: invalid monitoring.interval'],
    ['options that are a string', { monitoring: 'prometheus' }, 'ops/Operator: invalid monitoring "prometheus": PrometheusMonitoringOptions'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => operator(props)).toThrow(message);
  });
});

describe('the registry', () => {
  test('a PodMonitor on the registry pod\'s metrics port, and the registry alerts', () => {
    const manifests = registry({ monitoring: { labels: { release: 'prometheus' } } });
    const monitor = manifests.find((m) => m.kind === 'PodMonitor');
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(matches(monitor.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    const ports = deployment.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []);
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    expect(ports.map((p: any) => p.name)).toContain('metrics');
    const alerts = manifests.find((m) => m.kind === 'PrometheusRule').spec.groups[0].rules;
    expect(alerts.map((r: any) => r.alert)).toEqual(['RegistryMirrorDown', 'RegistryMirrorServerErrors']);
    // prometheus-operator names a PodMonitor's job <namespace>/<name>.
    expect(alerts[0].expr).toContain(`up{job="registry/${monitor.metadata.name}"}`);
  });
});

function standalone(props: object = {}) {
  const chart = new Chart(Testing.app(), 'spark', { namespace: 'analytics' });
  new SparkStandaloneCluster(chart, 'Cluster', {
    authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }), ...props,
  });
  return Testing.synth(chart);
}

describe('the standalone cluster', () => {
  test('Spark\'s PrometheusServlet on the daemons\' web UIs, a PodMonitor for the master and one for the workers', () => {
    const manifests = standalone({ monitoring: { labels: { release: 'prometheus' } } });
    const monitors = manifests.filter((m) => m.kind === 'PodMonitor');
    const sets = manifests.filter((m) => m.kind === 'StatefulSet');
    const byName = Object.fromEntries(monitors.map((m) => [m.metadata.name, m]));
    for (const [role, paths] of [['master', ['/metrics/master/prometheus', '/metrics/applications/prometheus']], ['worker', ['/metrics/prometheus']]] as const) {
      const monitor = Object.values(byName).find((m: any) => m.metadata.name.endsWith(`-${role}`)) as any;
      expect(monitor.spec.podMetricsEndpoints.map((e: any) => [e.port, e.path])).toEqual(paths.map((p) => ['webui', p]));
      // Two paths on one port: the path becomes a target label, or their `up` series would be one.
      expect(monitor.spec.podMetricsEndpoints.every((e: any) => (paths.length > 1) === (e.relabelings !== undefined))).toBe(true);
      // Each monitor selects exactly its daemon's pods, which have the port.
      const selected = sets.filter((set) => matches(monitor.spec.selector.matchLabels, set.spec.template.metadata.labels));
      expect(selected.map((set) => set.spec.template.metadata.labels['spark-role'])).toEqual([role]);
      expect(selected[0].spec.template.spec.containers[0].ports.map((p: any) => p.name)).toContain('webui');
    }
    // The sink and its paths, in the daemons' spark-defaults.conf (Spark's metrics.properties.template keys, as spark.metrics.conf.*).
    const conf = (suffix: string) => manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith(suffix)).data['spark-defaults.conf'];
    expect(conf('master-conf')).toContain('spark.metrics.conf.master.sink.prometheusServlet.path /metrics/master/prometheus');
    expect(conf('worker-conf')).toContain('spark.metrics.conf.*.sink.prometheusServlet.class org.apache.spark.metrics.sink.PrometheusServlet');
    expect(conf('worker-conf')).not.toContain('spark.metrics.conf.master.');
    expect(manifests.filter((m) => m.kind === 'PrometheusRule').map((r) => r.spec.groups[0].rules[0].alert).sort())
      .toEqual(['SparkStandaloneMasterDown', 'SparkStandaloneWorkerDown']);
  });

  test('without monitoring, no sink and no monitor', () => {
    const manifests = standalone();
    expect(JSON.stringify(manifests)).not.toContain('prometheusServlet');
    expect(manifests.filter((m) => m.apiVersion === 'monitoring.coreos.com/v1')).toEqual([]);
  });
});

describe('the platform', () => {
  test('monitoring once for the operator and every registry', () => {
    const app = Testing.app();
    new SparkPlatform(app, 'platform', {
      monitoring: { labels: { release: 'prometheus' } },
      registries: { mirrors: [{ clusterIp: '10.96.0.50', tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() } }] },
      storage: { storageClass: StorageClassRef.clusterDefault() },
      tenants: [{ namespace: 'etl', apiServer: TenantApiServerAccess.toCidrs(['10.0.0.1/32'], [6443]) }],
    });
    const kinds = app.charts.flatMap((c) => Testing.synth(c)).filter((m) => m.apiVersion === 'monitoring.coreos.com/v1')
      .map((m) => `${m.kind}/${m.metadata.labels.release}`).sort();
    expect(kinds).toEqual(['PodMonitor/prometheus', 'PrometheusRule/prometheus', 'PrometheusRule/prometheus', 'ServiceMonitor/prometheus']);
  });
});

(crdsPresent ? describe : describe.skip)('against the Prometheus operator CRDs', () => {
  test('every monitor and rule is in the real schemas', () => {
    const manifests = [
      ...operator({ monitoring: { labels: { release: 'prometheus' } } }),
      ...registry({ monitoring: {} }),
      ...standalone({ monitoring: {} }),
    ].filter((m) => m.apiVersion === 'monitoring.coreos.com/v1');
    expect(manifests.map((m) => m.kind).sort()).toEqual(['PodMonitor', 'PodMonitor', 'PodMonitor', 'PrometheusRule', 'PrometheusRule',
      'PrometheusRule', 'PrometheusRule', 'ServiceMonitor']);
    expect(validateManifests(manifests, { crds: prometheusOperatorCrds() })).toEqual([]);
  });
});
