// Issue #19, monitoring rows of the three charts: the monitor kind (operator `prometheus.podMonitor.*`,
// registry `metrics.serviceMonitor.enabled`), the job label, monitors and rules in another namespace
// (Bitnami `metrics.podMonitor.namespace`, `metrics.prometheusRule.namespace`), the user's alerts
// (`metrics.prometheusRule.rules`), the endpoint scheme, the registry's storage alert and debug server.
// Every new object is validated against the Prometheus operator's CRDs (../shared/reference).
import { Chart, Duration, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  AlertSeverity, ClusterStorage, EventLogStore, MetricsScheme, MonitorKind, NetworkPeer, RegistryMirror, RegistryTls, RegistryUpstream,
  SparkHistoryServer, SparkJobMonitoring, SparkOperatorInstall, SparkPlatform, SparkStandaloneCluster, SparkTenant, StandaloneAuthentication,
  StorageClassRef, TenantApiServerAccess,
} from '../../src';
import { validateManifests } from '../harness/manifests';
import { referencePath } from '../harness/reference';
import { prometheusOperatorCrds } from '../harness/third-party-crds';

const crdsPresent = referencePath('monitoring-kinds.test.ts', 'prometheus-operator-0.93.0') !== undefined;
const API = TenantApiServerAccess.toCidrs(['10.0.0.1/32'], [6443]);
const PROMETHEUS = NetworkPeer.namespace('monitoring', { 'app.kubernetes.io/name': 'prometheus' });

function operator(props: object = {}) {
  const chart = new Chart(Testing.app(), 'ops');
  new SparkOperatorInstall(chart, 'Operator', { jobNamespaces: ['jobs'], ...props });
  return Testing.synth(chart);
}

function registry(props: object = {}) {
  const chart = new Chart(Testing.app(), 'reg');
  ClusterStorage.declare(chart, StorageClassRef.clusterDefault());
  new RegistryMirror(chart, 'Cache', {
    name: 'cache', namespace: 'registry', clusterIp: '10.96.0.60', tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() }, ...props,
  });
  return Testing.synth(chart);
}

function standalone(props: object = {}) {
  const chart = new Chart(Testing.app(), 'spark', { namespace: 'analytics' });
  new SparkStandaloneCluster(chart, 'Cluster', {
    authentication: StandaloneAuthentication.sharedSecret({ secret: Secret.fromSecretName(chart, 'Auth', 'spark-auth') }), ...props,
  });
  return Testing.synth(chart);
}

function jobs(props: object = {}) {
  const chart = new Chart(Testing.app(), 'jobs', { namespace: 'etl' });
  new SparkJobMonitoring(chart, 'Monitoring', props);
  return Testing.synth(chart);
}

function historyServer(props: object = {}) {
  const chart = new Chart(Testing.app(), 'history', { namespace: 'spark' });
  new SparkHistoryServer(chart, 'History', { store: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs'), ...props });
  return Testing.synth(chart);
}

const ofKind = (manifests: any[], kind: string) => manifests.filter((m) => m.kind === kind);
const one = (manifests: any[], kind: string) => {
  const found = ofKind(manifests, kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const matches = (selector: { [key: string]: string }, labels: { [key: string]: string } = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
const rules = (manifests: any[]) => one(manifests, 'PrometheusRule').spec.groups[0].rules;
const podTemplates = (manifests: any[]) => manifests.filter((m) => m.spec?.template?.spec?.containers).map((m) => m.spec.template);

describe('the operator: a PodMonitor instead of the ServiceMonitor', () => {
  test('it selects the controller and webhook pods, which declare the metrics port; the alerts select its job', () => {
    const manifests = operator({ monitoring: { kind: MonitorKind.POD_MONITOR } });
    expect(ofKind(manifests, 'ServiceMonitor')).toEqual([]);
    const monitor = one(manifests, 'PodMonitor');
    expect(monitor.metadata).toMatchObject({ name: 'spark-operator', namespace: 'spark-operator' });
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    const selected = podTemplates(manifests).filter((t) => matches(monitor.spec.selector.matchLabels, t.metadata.labels));
    expect(selected.map((t) => t.metadata.labels['app.kubernetes.io/component']).sort()).toEqual(['controller', 'webhook']);
    expect(selected.every((t) => t.spec.containers[0].ports.some((p: any) => p.name === 'metrics'))).toBe(true);
    // prometheus-operator's job of a PodMonitor: <namespace>/<name>; a PodMonitor's targets have no `service` label.
    const alerts = rules(manifests);
    expect(alerts[0].expr).toBe('absent(up{job="spark-operator/spark-operator"}) or up{job="spark-operator/spark-operator"} == 0');
    expect(alerts.every((a: any) => !a.expr.includes('service='))).toBe(true);
  });

  test('the default stays a ServiceMonitor on the metrics Service', () => {
    const manifests = operator({ monitoring: {} });
    expect(ofKind(manifests, 'PodMonitor')).toEqual([]);
    expect(one(manifests, 'ServiceMonitor').spec.jobLabel).toBeUndefined();
  });

  test('a job label the pods carry names the job, and the alerts follow it', () => {
    const manifests = operator({ monitoring: { kind: MonitorKind.POD_MONITOR, jobLabel: 'app.kubernetes.io/name' } });
    expect(one(manifests, 'PodMonitor').spec.jobLabel).toBe('app.kubernetes.io/name');
    // The pods' value of the label (prometheus-operator: __meta_kubernetes_pod_label_<label> → job), in the workload's namespace.
    expect(rules(manifests)[1].expr).toContain('controller_runtime_webhook_requests_total{namespace="spark-operator", job="spark-operator", code=~"5.."}');
  });

  test('on the ServiceMonitor, the job label is a label of the Service; the alerts keep selecting the Service', () => {
    const manifests = operator({ monitoring: { jobLabel: 'app.kubernetes.io/instance' } });
    const monitor = one(manifests, 'ServiceMonitor');
    expect(monitor.spec.jobLabel).toBe('app.kubernetes.io/instance');
    const service = ofKind(manifests, 'Service').find((s) => s.metadata.name === 'spark-operator-metrics');
    expect(service.metadata.labels['app.kubernetes.io/instance']).toBe('spark-operator');
    expect(rules(manifests)[0].expr).toContain('up{namespace="spark-operator", service="spark-operator-metrics"}');
  });

  test.each<[string, object, string]>([
    ['a kind that is none', { monitoring: { kind: 'Probe' } }, 'ops/Operator: invalid monitoring.kind "Probe": one of'],
    ['a job label the pods do not carry', { monitoring: { kind: MonitorKind.POD_MONITOR, jobLabel: 'team' } },
      'ops/Operator: invalid monitoring.jobLabel "team": a label every scraped pod carries with one value (app.kubernetes.io/name, app.kubernetes.io/instance)'],
    ['a job label that is no label key', { monitoring: { jobLabel: 'a b' } }, 'ops/Operator: invalid monitoring.jobLabel "a b"'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => operator(props)).toThrow(message);
  });
});

describe('the registry: a ServiceMonitor on a metrics Service of its own', () => {
  test('the metrics Service exposes the debug port; the registry\'s Service still does not; the monitor selects the former only', () => {
    const manifests = registry({ monitoring: { kind: MonitorKind.SERVICE_MONITOR } });
    expect(ofKind(manifests, 'PodMonitor')).toEqual([]);
    const monitor = one(manifests, 'ServiceMonitor');
    const services = ofKind(manifests, 'Service');
    const byName = Object.fromEntries(services.map((s) => [s.metadata.name, s]));
    expect(byName.cache.spec.ports.map((p: any) => p.name)).toEqual(['registry']);
    expect(byName['cache-metrics'].spec).toMatchObject({
      type: 'ClusterIP', ports: [{ name: 'metrics', port: 5001, targetPort: 'metrics', protocol: 'TCP', appProtocol: 'http' }],
    });
    expect(services.filter((s) => matches(monitor.spec.selector.matchLabels, s.metadata.labels)).map((s) => s.metadata.name)).toEqual(['cache-metrics']);
    // The metrics Service reaches the registry's pod.
    const pod = one(manifests, 'Deployment').spec.template;
    expect(matches(byName['cache-metrics'].spec.selector, pod.metadata.labels)).toBe(true);
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
    const alerts = rules(manifests);
    expect(alerts.map((a: any) => a.alert)).toEqual(['RegistryMirrorDown', 'RegistryMirrorServerErrors', 'RegistryMirrorStorageFull']);
    expect(alerts[0].expr).toBe('absent(up{namespace="registry", service="cache-metrics"}) or up{namespace="registry", service="cache-metrics"} == 0');
  });

  test('by default a PodMonitor and no metrics Service', () => {
    const manifests = registry({ monitoring: {} });
    expect(ofKind(manifests, 'ServiceMonitor')).toEqual([]);
    expect(ofKind(manifests, 'Service').map((s) => s.metadata.name)).toEqual(['cache']);
  });
});

describe('the registry\'s debug server', () => {
  const config = (manifests: any[]) => ofKind(manifests, 'ConfigMap').find((c) => c.data?.['config.yml']).data;

  test('on another port: the configuration, the container port, the scrape annotation and the metrics Service follow', () => {
    const manifests = registry({ metrics: { port: 5050 }, monitoring: { kind: MonitorKind.SERVICE_MONITOR } });
    for (const file of ['config.yml', 'config-read-only.yml']) {
      expect(config(manifests)[file]).toContain('addr: :5050');
    }
    const pod = one(manifests, 'Deployment').spec.template;
    expect(pod.spec.containers[0].ports).toContainEqual({ name: 'metrics', containerPort: 5050, protocol: 'TCP' });
    expect(pod.metadata.annotations['prometheus.io/port']).toBe('5050');
    expect(ofKind(manifests, 'Service').find((s) => s.metadata.name === 'cache-metrics').spec.ports[0].port).toBe(5050);
  });

  test('off: no debug server, no metrics port, no scrape annotations', () => {
    const manifests = registry({ metrics: { enabled: false } });
    expect(config(manifests)['config.yml']).not.toContain('debug');
    const pod = one(manifests, 'Deployment').spec.template;
    expect(pod.spec.containers[0].ports.map((p: any) => p.name)).toEqual(['registry']);
    expect(Object.keys(pod.metadata.annotations ?? {}).filter((k) => k.startsWith('prometheus.io/'))).toEqual([]);
  });

  test.each<[string, object, string]>([
    ['monitoring without the debug server', { metrics: { enabled: false }, monitoring: {} },
      'reg/Cache: invalid monitoring "set": metrics enabled (metrics.enabled true)'],
    ['the registry\'s own port', { metrics: { port: 5000 } }, 'reg/Cache: invalid metrics.port 5000: another port than the registry\'s own (5000)'],
    ['a privileged port', { metrics: { port: 80 } }, 'reg/Cache: invalid metrics.port 80'],
    ['a port while off', { metrics: { enabled: false, port: 5050 } }, 'reg/Cache: invalid metrics.port 5050: left out while metrics.enabled is false'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => registry(props)).toThrow(message);
  });
});

describe('kinds a construct cannot offer', () => {
  test.each<[string, () => unknown, string]>([
    ['a ServiceMonitor of the standalone cluster', () => standalone({ monitoring: { kind: MonitorKind.SERVICE_MONITOR } }),
      'spark/Cluster: invalid monitoring.kind "ServiceMonitor": MonitorKind.POD_MONITOR (SparkStandaloneCluster scrapes its master and worker pods with PodMonitors)'],
    ['a ServiceMonitor of the jobs', () => jobs({ kind: MonitorKind.SERVICE_MONITOR }),
      'jobs/Monitoring: invalid kind "ServiceMonitor": MonitorKind.POD_MONITOR (the drivers have no Service that exposes their web UI)'],
    ['a kind for the history server', () => historyServer({ monitoring: { kind: MonitorKind.POD_MONITOR } }),
      'history/History: invalid monitoring.kind "PodMonitor": left out: the history server is not scraped'],
    ['a job label for the history server', () => historyServer({ monitoring: { jobLabel: 'app' } }),
      'history/History: invalid monitoring.jobLabel "app": left out: the history server is not scraped'],
    ['a job label of the jobs, whose value varies by pod', () => jobs({ jobLabel: 'spark-app-selector' }),
      'jobs/Monitoring: invalid jobLabel "spark-app-selector": a label every scraped pod carries with one value (spark-metrics)'],
  ])('refuses %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('monitors and rules in another namespace', () => {
  test('the registry\'s: there, selecting the registry\'s namespace; the alerts keep its series and claim', () => {
    const manifests = registry({ monitoring: { monitorNamespace: 'monitoring' } });
    const monitor = one(manifests, 'PodMonitor');
    const rule = one(manifests, 'PrometheusRule');
    expect(monitor.metadata).toMatchObject({ name: 'registry-cache', namespace: 'monitoring' });
    expect(rule.metadata).toMatchObject({ name: 'registry-cache', namespace: 'monitoring' });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['registry'] });
    const alerts = rule.spec.groups[0].rules;
    // The job is named after the PodMonitor, where it is.
    expect(alerts[0].expr).toBe('absent(up{job="monitoring/registry-cache"}) or up{job="monitoring/registry-cache"} == 0');
    expect(alerts[2].expr).toContain('kubelet_volume_stats_available_bytes{namespace="registry", persistentvolumeclaim="cache-data"}');
  });

  test('the operator\'s ServiceMonitor', () => {
    const manifests = operator({ monitoring: { monitorNamespace: 'monitoring' } });
    const monitor = one(manifests, 'ServiceMonitor');
    expect(monitor.metadata).toMatchObject({ name: 'spark-operator-spark-operator', namespace: 'monitoring' });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['spark-operator'] });
    expect(rules(manifests)[0].expr).toContain('up{namespace="spark-operator", service="spark-operator-metrics"}');
  });

  test('the same namespace as the workload\'s changes nothing', () => {
    expect(registry({ monitoring: { monitorNamespace: 'registry' } })).toEqual(registry({ monitoring: {} }));
  });

  test('tenants\' job monitors in one monitoring namespace get distinct names; the tenants\' policies still admit Prometheus', () => {
    const chart = new Chart(Testing.app(), 'tenants');
    const tenants = ['etl', 'ml'].map((ns) => new SparkTenant(chart, ns, {
      namespace: ns, apiServer: API, monitoring: { prometheus: PROMETHEUS, monitorNamespace: 'monitoring' },
    }));
    const manifests = Testing.synth(chart);
    expect(ofKind(manifests, 'PodMonitor').map((m) => [m.metadata.namespace, m.metadata.name, m.spec.namespaceSelector.matchNames]))
      .toEqual([['monitoring', 'etl-spark-jobs', ['etl']], ['monitoring', 'ml-spark-jobs', ['ml']]]);
    expect(ofKind(manifests, 'PrometheusRule').map((r) => r.spec.groups[0].rules[0].expr)).toEqual([
      'up{job="monitoring/etl-spark-jobs"} == 0', 'up{job="monitoring/ml-spark-jobs"} == 0',
    ]);
    // Prometheus scrapes from where it runs, whatever namespace holds the monitors.
    expect(tenants.map((t) => t.networkPolicies.some((p) => p.metadata.name === 'allow-ingress-spark-metrics'))).toEqual([true, true]);
  });

  test('the monitor-targets rule still judges a monitor in another namespace by the pods of the namespace it selects', () => {
    expect(() => registry({ monitoring: { monitorNamespace: 'monitoring', extraEndpoints: [{ port: 'exporter' }] } }))
      .toThrow(/PodMonitor monitoring\/registry-cache.*endpoint port "exporter" is declared by none of the pods it selects \(Deployment registry\/cache \(reg\/Cache\/Resource\): registry, metrics\)/s);
  });

  test('and a ServiceMonitor there by the Services of the namespace it selects', () => {
    expect(() => registry({ monitoring: { kind: MonitorKind.SERVICE_MONITOR, monitorNamespace: 'monitoring', extraEndpoints: [{ port: 'exporter' }] } }))
      .toThrow(/ServiceMonitor monitoring\/registry-cache.*endpoint port "exporter" is declared by none of the Services it selects \(Service registry\/cache-metrics .*: metrics\)/s);
  });

  test('the platform puts every monitor and rule there', () => {
    const app = Testing.app();
    new SparkPlatform(app, 'platform', {
      monitoring: { prometheus: PROMETHEUS, monitorNamespace: 'monitoring' },
      registries: { mirrors: [{ clusterIp: '10.96.0.50', tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() } }] },
      storage: { storageClass: StorageClassRef.clusterDefault() },
      eventLog: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs'),
      tenants: [{ namespace: 'etl', apiServer: API }],
    });
    const objects = app.charts.flatMap((c) => Testing.synth(c)).filter((m: any) => m.apiVersion === 'monitoring.coreos.com/v1');
    // Operator, registry and tenant: a monitor and a rule each; the history server: a rule.
    expect(objects.length).toBe(7);
    expect(new Set(objects.map((m: any) => m.metadata.namespace))).toEqual(new Set(['monitoring']));
    expect(objects.filter((m: any) => m.kind !== 'PrometheusRule').map((m: any) => m.spec.namespaceSelector.matchNames[0]).sort())
      .toEqual(['etl', 'registry-mirrors', 'spark-operator']);
  });

  test.each<[string, object, string]>([
    ['a name that is no namespace', { monitorNamespace: 'Monitoring' }, 'reg/Cache: invalid monitoring.monitorNamespace "Monitoring"'],
  ])('refuses %s', (_name, monitoring, message) => {
    expect(() => registry({ monitoring })).toThrow(message);
  });
});

describe('the user\'s alerts', () => {
  const queueFull = {
    alert: 'RegistryUploadsSlow',
    expr: 'histogram_quantile(0.99, sum by (le) (rate(registry_http_request_duration_seconds_bucket{method="PUT"}[5m]))) > 30',
    forDuration: Duration.minutes(10),
    severity: AlertSeverity.CRITICAL,
    summary: 'Pushes are slow',
    description: 'The 99th percentile of PUT requests is above 30 seconds',
    labels: { team: 'platform' },
  };

  test('after the construct\'s own, in its rule, with their forDuration, severity, labels and annotations', () => {
    const alerts = rules(registry({ monitoring: { extraAlerts: [queueFull, { alert: 'Other', expr: 'vector(1)' }] } }));
    expect(alerts.map((a: any) => a.alert)).toEqual(['RegistryMirrorDown', 'RegistryMirrorServerErrors', 'RegistryMirrorStorageFull', 'RegistryUploadsSlow', 'Other']);
    expect(alerts[3]).toEqual({
      alert: 'RegistryUploadsSlow',
      expr: queueFull.expr,
      for: '600s',
      labels: { team: 'platform', severity: 'critical' },
      annotations: { summary: 'Pushes are slow', description: 'The 99th percentile of PUT requests is above 30 seconds' },
    });
    // Defaults: at once, a warning, no annotations.
    expect(alerts[4]).toEqual({ alert: 'Other', expr: 'vector(1)', for: '0s', labels: { severity: 'warning' } });
  });

  test('once for the standalone cluster, in the master\'s rule', () => {
    const manifests = standalone({ monitoring: { extraAlerts: [{ alert: 'AppsWaiting', expr: 'metrics_master_waitingApps_Value > 0' }] } });
    const byName = Object.fromEntries(ofKind(manifests, 'PrometheusRule').map((r) => [r.metadata.name, r.spec.groups[0].rules.map((a: any) => a.alert)]));
    expect(byName).toEqual({ 'spark-master': ['SparkStandaloneMasterDown', 'AppsWaiting'], 'spark-worker': ['SparkStandaloneWorkerDown'] });
  });

  test('on the history server\'s and the jobs\' rules', () => {
    const extra = { extraAlerts: [{ alert: 'Mine', expr: 'vector(1)' }] };
    expect(rules(historyServer({ monitoring: extra })).map((a: any) => a.alert)).toEqual(['SparkHistoryServerDown', 'Mine']);
    expect(rules(jobs(extra)).map((a: any) => a.alert)).toEqual(['SparkDriverMetricsUnreachable', 'SparkTasksFailing', 'Mine']);
  });

  test.each<[string, () => unknown, string]>([
    ['a built-in name', () => registry({ monitoring: { extraAlerts: [{ alert: 'RegistryMirrorDown', expr: 'vector(1)' }] } }),
      'reg/Cache/Monitoring: invalid monitoring.extraAlerts[0].alert "RegistryMirrorDown": a name other than the construct\'s own alerts\' '
      + '(RegistryMirrorDown, RegistryMirrorServerErrors, RegistryMirrorStorageFull)'],
    ['the name of an alert of the other standalone rule', () => standalone({ monitoring: { extraAlerts: [{ alert: 'SparkStandaloneWorkerDown', expr: 'vector(1)' }] } }),
      'spark/Cluster/MasterMonitoring: invalid monitoring.extraAlerts[0].alert "SparkStandaloneWorkerDown"'],
    ['one name twice', () => registry({ monitoring: { extraAlerts: [{ alert: 'A', expr: 'vector(1)' }, { alert: 'A', expr: 'vector(2)' }] } }),
      'reg/Cache: invalid monitoring.extraAlerts[1].alert "A": a name no other extra alert has'],
    ['an empty expression', () => registry({ monitoring: { extraAlerts: [{ alert: 'A', expr: '  ' }] } }),
      'reg/Cache: invalid monitoring.extraAlerts[0].expr "  ": a PromQL expression (not empty)'],
    ['a name Prometheus refuses', () => registry({ monitoring: { extraAlerts: [{ alert: '1-bad', expr: 'vector(1)' }] } }),
      'reg/Cache: invalid monitoring.extraAlerts[0].alert "1-bad": a Prometheus name'],
    ['a label name Prometheus refuses', () => registry({ monitoring: { extraAlerts: [{ alert: 'A', expr: 'vector(1)', labels: { 'my-team': 'x' } }] } }),
      'reg/Cache: invalid monitoring.extraAlerts[0].labels key "my-team": a Prometheus label name'],
    ['a reserved label name', () => registry({ monitoring: { extraAlerts: [{ alert: 'A', expr: 'vector(1)', labels: { __name__: 'x' } }] } }),
      'reg/Cache: invalid monitoring.extraAlerts[0].labels key "__name__"'],
    ['severity as a label', () => registry({ monitoring: { extraAlerts: [{ alert: 'A', expr: 'vector(1)', labels: { severity: 'page' } }] } }),
      'reg/Cache: invalid monitoring.extraAlerts[0].labels key "severity": another label than severity'],
    ['a severity that is none', () => registry({ monitoring: { extraAlerts: [{ alert: 'A', expr: 'vector(1)', severity: 'page' }] } }),
      'reg/Cache: invalid monitoring.extraAlerts[0].severity "page"'],
    ['a fraction of a second', () => registry({ monitoring: { extraAlerts: [{ alert: 'A', expr: 'vector(1)', forDuration: Duration.millis(1500) }] } }),
      'reg/Cache: invalid monitoring.extraAlerts[0].forDuration'],
    ['alerts with alerts off', () => registry({ monitoring: { alerts: false, extraAlerts: [{ alert: 'A', expr: 'vector(1)' }] } }),
      'reg/Cache: invalid monitoring.extraAlerts "A": none while alerts is false'],
  ])('refuses %s', (_name, make, message) => {
    expect(make).toThrow(message);
  });
});

describe('the endpoint scheme', () => {
  test('reaches the extra endpoint; the workload\'s own stays without', () => {
    const sidecar = { name: 'exporter', image: 'quay.io/prometheus/statsd-exporter:v0.28.0', ports: [{ name: 'exporter', number: 9102 }] };
    const monitor = one(registry({ monitoring: { extraEndpoints: [{ port: 'exporter', scheme: MetricsScheme.HTTPS }] }, pod: { sidecars: [sidecar] } }), 'PodMonitor');
    expect(monitor.spec.podMetricsEndpoints.map((e: any) => [e.port, e.scheme])).toEqual([['metrics', undefined], ['exporter', 'https']]);
  });

  test('HTTPS verified against a CA from a Secret, for a server name', () => {
    const chart = new Chart(Testing.app(), 'reg');
    const tls = { caSecret: Secret.fromSecretName(chart, 'Ca', 'exporter-ca'), serverName: 'exporter.registry.svc' };
    const manifests = registry({ monitoring: { extraEndpoints: [{ port: 'metrics', path: '/tls', scheme: MetricsScheme.HTTPS, tls }] } });
    expect(one(manifests, 'PodMonitor').spec.podMetricsEndpoints[1]).toMatchObject({
      port: 'metrics', path: '/tls', scheme: 'https', tlsConfig: { ca: { secret: { name: 'exporter-ca', key: 'ca.crt' } }, serverName: 'exporter.registry.svc' },
    });
    const withKey = registry({ monitoring: { kind: MonitorKind.SERVICE_MONITOR, extraEndpoints: [{ port: 'metrics', path: '/tls', scheme: MetricsScheme.HTTPS, tls: { ...tls, caKey: 'root.pem' } }] } });
    expect(one(withKey, 'ServiceMonitor').spec.endpoints[1].tlsConfig.ca.secret).toEqual({ name: 'exporter-ca', key: 'root.pem' });
  });

  test.each<[string, object, string]>([
    ['TLS over HTTP', { scheme: MetricsScheme.HTTP, tls: { serverName: 'a.b' } }, 'reg/Cache: invalid monitoring.extraEndpoints[0].tls "given": only with scheme MetricsScheme.HTTPS'],
    ['TLS without a scheme', { tls: { serverName: 'a.b' } }, 'reg/Cache: invalid monitoring.extraEndpoints[0].tls "given": only with scheme MetricsScheme.HTTPS'],
    ['a key without a Secret', { scheme: MetricsScheme.HTTPS, tls: { caKey: 'ca.pem' } }, 'reg/Cache: invalid monitoring.extraEndpoints[0].tls.caKey "ca.pem": only with caSecret'],
    ['a Secret given as a name', { scheme: MetricsScheme.HTTPS, tls: { caSecret: 'ca' } }, 'reg/Cache: invalid monitoring.extraEndpoints[0].tls.caSecret "string": an ISecret'],
    ['a server name that is none', { scheme: MetricsScheme.HTTPS, tls: { serverName: 'a b' } }, 'reg/Cache: invalid monitoring.extraEndpoints[0].tls.serverName "a b"'],
    ['empty TLS settings', { scheme: MetricsScheme.HTTPS, tls: {} }, 'reg/Cache: invalid monitoring.extraEndpoints[0].tls "empty": a caSecret, a serverName or both'],
  ])('refuses %s', (_name, endpoint, message) => {
    expect(() => registry({ monitoring: { extraEndpoints: [{ port: 'metrics', path: '/tls', ...endpoint }] } })).toThrow(message);
  });

  test('refuses a scheme that is none', () => {
    expect(() => registry({ monitoring: { extraEndpoints: [{ port: 'metrics', path: '/x', scheme: 'ftp' }] } }))
      .toThrow('reg/Cache: invalid monitoring.extraEndpoints[0].scheme "ftp"');
  });
});

describe('the operator\'s latency histogram buckets', () => {
  const args = (manifests: any[], component: string) => podTemplates(manifests)
    .find((t) => t.metadata.labels['app.kubernetes.io/component'] === component).spec.containers[0].args as string[];

  test('seconds, comma-separated, on the controller only (kubeflow/spark-operator v2.5.2 cmd/operator/controller/start.go)', () => {
    const manifests = operator({
      metrics: {
        jobSubmitLatencyBuckets: [Duration.millis(250), Duration.seconds(1), Duration.minutes(1)],
        jobStartLatencyBuckets: [Duration.seconds(30), Duration.minutes(2), Duration.minutes(10)],
      },
    });
    expect(args(manifests, 'controller')).toEqual(expect.arrayContaining([
      '--metrics-job-submit-latency-buckets=0.25,1,60', '--metrics-job-start-latency-buckets=30,120,600',
    ]));
    expect(args(manifests, 'webhook').filter((a) => a.includes('latency-buckets'))).toEqual([]);
    expect(args(operator(), 'controller').filter((a) => a.includes('latency-buckets'))).toEqual([]);
  });

  test('the start buckets on a 2.5.0 image, which has that flag', () => {
    const manifests = operator({ image: 'ghcr.io/kubeflow/spark-operator/controller:2.5.0', metrics: { jobStartLatencyBuckets: [Duration.seconds(60)] } });
    expect(args(manifests, 'controller')).toContain('--metrics-job-start-latency-buckets=60');
  });

  test.each<[string, object, string]>([
    ['bounds that do not increase', { jobStartLatencyBuckets: [Duration.seconds(60), Duration.seconds(60)] },
      'ops/Operator: invalid metrics.jobStartLatencyBuckets[1] "60s": more than the bucket before it (60s)'],
    ['no bucket', { jobSubmitLatencyBuckets: [] }, 'ops/Operator: invalid metrics.jobSubmitLatencyBuckets'],
    ['a fraction of a millisecond', { jobSubmitLatencyBuckets: [Duration.millis(0.5)] },
      'ops/Operator: invalid metrics.jobSubmitLatencyBuckets[0] "0.5ms": a whole number of milliseconds, at least 1'],
    ['a number', { jobSubmitLatencyBuckets: [5] }, 'ops/Operator: invalid metrics.jobSubmitLatencyBuckets[0] 5: a Duration'],
    ['buckets with metrics off', { enabled: false, jobStartLatencyBuckets: [Duration.seconds(60)] },
      'ops/Operator: invalid metrics.jobStartLatencyBuckets "given": only with metrics enabled'],
  ])('refuses %s', (_name, metrics, message) => {
    expect(() => operator({ metrics })).toThrow(message);
  });

  test('refuses the submit buckets on a 2.5.0 image, which lacks the flag', () => {
    expect(() => operator({ image: 'ghcr.io/kubeflow/spark-operator/controller:2.5.0', metrics: { jobSubmitLatencyBuckets: [Duration.seconds(1)] } }))
      .toThrow('ops/Operator: invalid metrics.jobSubmitLatencyBuckets "given": an operator image of 2.5.1 or later (the image is 2.5.0)');
  });
});

describe('the platform', () => {
  test.each(['kind', 'jobLabel', 'extraAlerts'])('refuses %s, which is one component\'s', (prop) => {
    const value = { kind: MonitorKind.POD_MONITOR, jobLabel: 'app', extraAlerts: [{ alert: 'A', expr: 'vector(1)' }] }[prop];
    expect(() => new SparkPlatform(Testing.app(), 'platform', { monitoring: { [prop]: value } }))
      .toThrow(`platform: invalid monitoring.${prop} "given": left out here`);
  });
});

(crdsPresent ? describe : describe.skip)('against the Prometheus operator CRDs', () => {
  test('every new shape is in the real schemas', () => {
    const caSecret = Secret.fromSecretName(new Chart(Testing.app(), 'secrets'), 'Ca', 'ca');
    const extraAlerts = [{ alert: 'Mine', expr: 'vector(1)', forDuration: Duration.minutes(5), severity: AlertSeverity.INFO, summary: 's', description: 'd', labels: { team: 'a' } }];
    const manifests = [
      ...operator({ monitoring: { kind: MonitorKind.POD_MONITOR, jobLabel: 'app.kubernetes.io/name', monitorNamespace: 'monitoring', extraAlerts } }),
      ...operator({ monitoring: { jobLabel: 'app.kubernetes.io/name', extraAlerts } }),
      ...registry({ monitoring: { kind: MonitorKind.SERVICE_MONITOR, monitorNamespace: 'monitoring', extraAlerts } }),
      ...registry({ monitoring: { extraEndpoints: [{ port: 'metrics', path: '/other', scheme: MetricsScheme.HTTPS, tls: { caSecret, serverName: 'a.b' } }], extraAlerts } }),
      ...registry({ monitoring: { kind: MonitorKind.SERVICE_MONITOR, extraEndpoints: [{ port: 'metrics', path: '/other', scheme: MetricsScheme.HTTPS, tls: { caSecret } }] } }),
      ...standalone({ monitoring: { monitorNamespace: 'monitoring', extraAlerts } }),
      ...jobs({ monitorNamespace: 'monitoring', extraAlerts }),
      ...historyServer({ monitoring: { monitorNamespace: 'monitoring', extraAlerts } }),
    ].filter((m) => m.apiVersion === 'monitoring.coreos.com/v1');
    expect(manifests.map((m) => m.kind).sort()).toEqual(['PodMonitor', 'PodMonitor', 'PodMonitor', 'PodMonitor', 'PodMonitor',
      'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule',
      'ServiceMonitor', 'ServiceMonitor', 'ServiceMonitor']);
    expect(manifests.filter((m) => JSON.stringify(m.spec).includes('"tlsConfig"')).map((m) => m.kind).sort()).toEqual(['PodMonitor', 'ServiceMonitor']);
    expect(validateManifests(manifests, { crds: prometheusOperatorCrds() })).toEqual([]);
  });
});
