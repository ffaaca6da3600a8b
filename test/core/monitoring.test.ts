// Issue #19, monitoring: ServiceMonitor / PodMonitor and PrometheusRule for the
// operator, the registry, the standalone cluster, the jobs (test/jobs/job-monitoring.test.ts)
// and the history server, opt-in per construct and once on the platform; the Grafana dashboard.
// The objects are validated against the Prometheus operator's CRDs
// (../shared/reference/prometheus-operator-0.93.0); that part skips without them.
import { Chart, Duration, Testing } from 'cdk8s';
import { Secret } from 'cdk8s-plus-28';
import {
  ClusterStorage, EventLogStore, NetworkPeer, RegistryMirror, RegistryTls, RegistryUpstream, SparkGrafanaDashboard, SparkHistoryServer,
  SparkJobMonitoring, SparkOperatorInstall, SparkPlatform, SparkStandaloneCluster, StandaloneAuthentication, StorageClassRef,
  TenantApiServerAccess,
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

  test('a scrape timeout reaches the endpoint; without one, Prometheus\'s global timeout applies', () => {
    const timed = operator({ monitoring: { interval: Duration.seconds(30), scrapeTimeout: Duration.seconds(30) } });
    expect(timed.find((m) => m.kind === 'ServiceMonitor').spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '30s' }]);
    expect(operator({ monitoring: {} }).find((m) => m.kind === 'ServiceMonitor').spec.endpoints[0]).not.toHaveProperty('scrapeTimeout');
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
    ['a scrape timeout longer than the interval', { monitoring: { interval: Duration.seconds(15), scrapeTimeout: Duration.seconds(20) } },
      'ops/Operator: invalid monitoring.scrapeTimeout "20s": at most the interval (15s)'],
    ['a scrape timeout of a fraction of a second', { monitoring: { scrapeTimeout: Duration.millis(500) } },
      'ops/Operator: invalid monitoring.scrapeTimeout'],
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
    expect(alerts.map((r: any) => r.alert)).toEqual(['RegistryMirrorDown', 'RegistryMirrorServerErrors', 'RegistryMirrorStorageFull']);
    // prometheus-operator names a PodMonitor's job <namespace>/<name>.
    expect(alerts[0].expr).toContain(`up{job="registry/${monitor.metadata.name}"}`);
    // The kubelet's volume statistics of exactly the registry's claim (kubernetes/kubernetes
    // pkg/kubelet/metrics/collectors/volume_stats.go: labels namespace and persistentvolumeclaim).
    const claim = manifests.find((m) => m.kind === 'PersistentVolumeClaim').metadata.name;
    const volume = `{namespace="registry", persistentvolumeclaim="${claim}"}`;
    expect(alerts[2]).toMatchObject({
      expr: `kubelet_volume_stats_available_bytes${volume} / kubelet_volume_stats_capacity_bytes${volume} < 0.1`,
      for: '15m',
      labels: { severity: 'warning' },
    });
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

function historyServer(props: object = {}) {
  const chart = new Chart(Testing.app(), 'history', { namespace: 'spark' });
  new SparkHistoryServer(chart, 'History', { store: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs'), ...props });
  return Testing.synth(chart);
}

describe('extra endpoints', () => {
  const sidecar = {
    name: 'exporter', image: 'quay.io/prometheus/statsd-exporter:v0.28.0', ports: [{ name: 'exporter', number: 9102 }],
  };

  test('a sidecar\'s metrics port, scraped beside the workload\'s own on each of its monitors', () => {
    const manifests = standalone({
      monitoring: { extraEndpoints: [{ port: 'exporter' }] },
      master: { pod: { sidecars: [sidecar] } },
      workers: { pod: { sidecars: [sidecar] } },
    });
    for (const monitor of manifests.filter((m) => m.kind === 'PodMonitor')) {
      expect(monitor.spec.podMetricsEndpoints.at(-1)).toEqual({ port: 'exporter', path: '/metrics', interval: '30s' });
    }
  });

  test('a port no selected pod declares fails synthesis: Prometheus would scrape nothing', () => {
    expect(() => standalone({ monitoring: { extraEndpoints: [{ port: 'exporter' }] }, master: { pod: { sidecars: [sidecar] } } }))
      .toThrow(/PodMonitor analytics\/spark-worker .*endpoint port "exporter" is declared by none of the pods it selects \(StatefulSet analytics\/spark-worker .*: worker, webui\)/s);
  });

  test.each<[string, object, string]>([
    ['a port name that is not one', { extraEndpoints: [{ port: 'Exporter' }] }, 'ops/Operator: invalid monitoring.extraEndpoints[0].port "Exporter": a port name'],
    ['a relative path', { extraEndpoints: [{ port: 'metrics', path: 'stats' }] }, 'ops/Operator: invalid monitoring.extraEndpoints[0].path "stats"'],
    ['the workload\'s own endpoint again', { extraEndpoints: [{ port: 'metrics' }] },
      'ops/Operator/Monitoring: invalid monitoring.extraEndpoints "metrics/metrics": endpoints other than the workload\'s own (metrics/metrics) and each other'],
  ])('refuses %s', (_name, monitoring, message) => {
    expect(() => operator({ monitoring })).toThrow(message);
  });

  test('the platform refuses them: they name one workload\'s ports', () => {
    expect(() => new SparkPlatform(Testing.app(), 'platform', { monitoring: { extraEndpoints: [{ port: 'exporter' }] } }))
      .toThrow('platform: invalid monitoring.extraEndpoints "given": left out here');
  });
});

describe('the history server', () => {
  // Spark's history server has no metrics system (MetricsSystemInstances: master, applications, worker,
  // executor, driver, shuffleService, applicationMaster): the alert reads kube-state-metrics.
  test('nothing to scrape: a rule on kube-state-metrics\' series of its Deployment, firing too when they are absent', () => {
    const manifests = historyServer({ monitoring: { labels: { release: 'prometheus' } } });
    const monitoring = manifests.filter((m) => m.apiVersion === 'monitoring.coreos.com/v1');
    expect(monitoring.map((m) => m.kind)).toEqual(['PrometheusRule']);
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    const [rule] = monitoring[0].spec.groups[0].rules;
    const series = `kube_deployment_status_replicas_available{namespace="spark", deployment="${deployment.metadata.name}"}`;
    expect(rule).toMatchObject({ alert: 'SparkHistoryServerDown', expr: `${series} < 1 or absent(${series})`, for: '10m', labels: { severity: 'warning' } });
    expect(monitoring[0].metadata).toMatchObject({ namespace: 'spark', labels: { release: 'prometheus' } });
  });

  test('without monitoring, or without alerts, nothing', () => {
    expect(historyServer().filter((m) => m.apiVersion === 'monitoring.coreos.com/v1')).toEqual([]);
    expect(historyServer({ monitoring: { alerts: false } }).filter((m) => m.apiVersion === 'monitoring.coreos.com/v1')).toEqual([]);
  });

  test('refuses a bad label', () => {
    expect(() => historyServer({ monitoring: { labels: { 'a b': 'x' } } })).toThrow('history/History: invalid monitoring.labels key "a b"');
  });
});

function dashboard(props: object = {}) {
  const chart = new Chart(Testing.app(), 'dash', { namespace: 'monitoring' });
  new SparkGrafanaDashboard(chart, 'Dashboard', props);
  const configMap = Testing.synth(chart)[0];
  return { configMap, json: JSON.parse(configMap.data['spark-applications.json']) };
}

// Metric names the panels may read: the operator's application counters (kubeflow/spark-operator
// v2.5.2 pkg/common/metrics.go) and what the jobs' endpoints serve (apache/spark PrometheusResource.scala;
// the driver's ExecutorMetrics gauge through PrometheusServlet, named after the application id).
const OPERATOR_METRICS = ['spark_application_running_count', 'spark_application_success_count', 'spark_application_failure_count',
  'spark_application_failed_submission_count'];
const JOB_METRICS = ['metrics_executor_totalCores', 'metrics_executor_failedTasks_total', 'metrics_.+_driver_ExecutorMetrics_JVMHeapMemory_Value'];

describe('the Grafana dashboard', () => {
  test('a ConfigMap the Grafana sidecar loads: labelled grafana_dashboard=1, one dashboard JSON', () => {
    const { configMap, json } = dashboard();
    expect(configMap.metadata).toMatchObject({ name: 'spark-applications-dashboard', namespace: 'monitoring', labels: { grafana_dashboard: '1' } });
    expect(Object.keys(configMap.data)).toEqual(['spark-applications.json']);
    expect(json).toMatchObject({ uid: 'cdk8s-spark-applications', title: 'Spark applications' });
    expect(json.templating.list.map((v: any) => [v.name, v.type])).toEqual([['datasource', 'datasource'], ['namespace', 'query']]);
  });

  test('panels: operator application counts and failures, driver JVM heap, active executors, failed tasks; on a grid without overlaps', () => {
    const { json } = dashboard();
    expect(json.panels.map((p: any) => p.title)).toEqual(['Running applications', 'Applications ended, per hour', 'Driver JVM heap',
      'Active executors', 'Failed tasks, per 5 minutes']);
    const exprs: string[] = json.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
    // Every metric a query names is one the sources serve, and each source's is used.
    // The names: a __name__ regex, and what is left once label matchers, grouping and ranges are cut, less the functions.
    const named = exprs.flatMap((e) => [
      ...[...e.matchAll(/__name__=~"([^"]+)"/g)].map((m) => m[1]),
      ...(e.replace(/\{[^}]*\}/g, '').replace(/by \([^)]*\)/g, '').replace(/\[[^\]]*\]/g, '').match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [])
        .filter((n) => !['sum', 'count', 'increase'].includes(n)),
    ]);
    expect(new Set(named)).toEqual(new Set([...OPERATOR_METRICS, ...JOB_METRICS]));
    expect(json.panels.every((p: any) => p.datasource.uid === '${datasource}' && p.targets.every((t: any) => t.datasource.uid === '${datasource}'))).toBe(true);
    const cells = new Set<string>();
    for (const { gridPos: g } of json.panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
    expect(new Set(json.panels.map((p: any) => p.id)).size).toBe(json.panels.length);
  });

  test('the operator\'s metric prefix reaches its queries, and only those', () => {
    const { json } = dashboard({ operatorMetricsPrefix: 'team_a_' });
    const exprs: string[] = json.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
    expect(exprs.filter((e) => e.includes('spark_application_')).every((e) => /team_a_spark_application_/.test(e))).toBe(true);
    expect(exprs.filter((e) => e.includes('team_a_')).length).toBe(4);
  });

  test.each<[string, object, string]>([
    ['a prefix Prometheus cannot take', { operatorMetricsPrefix: '1-team' }, 'dash/Dashboard: invalid operatorMetricsPrefix "1-team"'],
    ['a bad label', { labels: { 'a b': 'x' } }, 'dash/Dashboard: invalid labels key "a b"'],
  ])('refuses %s', (_name, props, message) => {
    expect(() => dashboard(props)).toThrow(message);
  });
});

describe('the platform', () => {
  const API = TenantApiServerAccess.toCidrs(['10.0.0.1/32'], [6443]);
  const PROMETHEUS = NetworkPeer.namespace('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
  const monitoringObjects = (app: any) => app.charts.flatMap((c: Chart) => Testing.synth(c))
    .filter((m: any) => m.apiVersion === 'monitoring.coreos.com/v1');

  test('monitoring once for the operator, every registry, the history server and every tenant', () => {
    const app = Testing.app();
    const platform = new SparkPlatform(app, 'platform', {
      monitoring: { labels: { release: 'prometheus' }, prometheus: PROMETHEUS },
      registries: { mirrors: [{ clusterIp: '10.96.0.50', tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() } }] },
      storage: { storageClass: StorageClassRef.clusterDefault() },
      eventLog: EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs'),
      tenants: [{ namespace: 'etl', apiServer: API }],
    });
    // A tenant added later gets it too; one given its own keeps it.
    platform.addTenant('Ml', { namespace: 'ml', apiServer: API });
    platform.addTenant('Bi', { namespace: 'bi', apiServer: API, monitoring: { prometheus: PROMETHEUS, labels: { release: 'other' } } });
    const kinds = monitoringObjects(app).map((m: any) => `${m.kind}/${m.metadata.namespace}/${m.metadata.labels.release}`).sort();
    expect(kinds).toEqual([
      'PodMonitor/bi/other', 'PodMonitor/etl/prometheus', 'PodMonitor/ml/prometheus', 'PodMonitor/registry-mirrors/prometheus',
      'PrometheusRule/bi/other', 'PrometheusRule/etl/prometheus', 'PrometheusRule/ml/prometheus', 'PrometheusRule/registry-mirrors/prometheus',
      'PrometheusRule/spark-operator/prometheus', 'PrometheusRule/spark-platform/prometheus', 'ServiceMonitor/spark-operator/prometheus',
    ]);
    expect(platform.tenants.map((t) => t.networkPolicies.some((p) => p.metadata.name === 'allow-ingress-spark-metrics'))).toEqual([true, true, true]);
  });

  test('the platform\'s scrape timeout reaches every monitor, the tenants\' included', () => {
    const app = Testing.app();
    new SparkPlatform(app, 'platform', {
      monitoring: { prometheus: PROMETHEUS, interval: Duration.seconds(20), scrapeTimeout: Duration.seconds(5) },
      registries: { mirrors: [{ clusterIp: '10.96.0.50', tls: RegistryTls.plainHttp(), proxy: { upstream: RegistryUpstream.dockerHub() } }] },
      storage: { storageClass: StorageClassRef.clusterDefault() },
      tenants: [{ namespace: 'etl', apiServer: API }],
    });
    const monitors = monitoringObjects(app).filter((m: any) => m.kind !== 'PrometheusRule');
    expect(monitors.map((m: any) => `${m.kind}/${m.metadata.namespace}`).sort()).toEqual([
      'PodMonitor/etl', 'PodMonitor/registry-mirrors', 'ServiceMonitor/spark-operator',
    ]);
    for (const m of monitors) {
      const endpoints = m.spec.endpoints ?? m.spec.podMetricsEndpoints;
      expect(endpoints.map((e: any) => [e.interval, e.scrapeTimeout])).toEqual(endpoints.map(() => ['20s', '5s']));
    }
  });

  test('an isolated tenant needs to know where Prometheus runs', () => {
    expect(() => new SparkPlatform(Testing.app(), 'platform', {
      monitoring: { labels: { release: 'prometheus' } }, tenants: [{ namespace: 'etl', apiServer: API }],
    })).toThrow('platform/tenants/Tenant0: invalid monitoring.prometheus (undefined): where Prometheus runs');
  });

  test('a Grafana dashboard on request, reading the installed operator\'s metric prefix', () => {
    const app = Testing.app();
    const platform = new SparkPlatform(app, 'platform', {
      monitoring: { grafanaDashboard: {} }, operator: { metrics: { prefix: 'ops_' }, jobNamespaces: ['etl'] },
    });
    const configMap = Testing.synth(platform.servicesChart).find((m) => m.kind === 'ConfigMap');
    expect(configMap.metadata).toMatchObject({ namespace: 'spark-platform', labels: { grafana_dashboard: '1' } });
    expect(configMap.data['spark-applications.json']).toContain('sum(ops_spark_application_running_count)');
    expect(platform.grafanaDashboard?.configMap).toBeDefined();
    // Elsewhere when asked (Grafana's namespace), with no namespace made for it.
    const other = new SparkPlatform(Testing.app(), 'platform', {
      monitoring: { grafanaDashboard: { namespace: 'grafana' } }, existingOperator: { jobNamespaces: ['etl'] },
    });
    expect(Testing.synth(other.servicesChart).map((m) => `${m.kind}/${m.metadata.namespace}`)).toEqual(['ConfigMap/grafana']);
  });
});

(crdsPresent ? describe : describe.skip)('against the Prometheus operator CRDs', () => {
  test('every monitor and rule is in the real schemas', () => {
    const jobs = new Chart(Testing.app(), 'jobs', { namespace: 'etl' });
    new SparkJobMonitoring(jobs, 'Monitoring', { labels: { release: 'prometheus' } });
    const manifests = [
      ...operator({ monitoring: { labels: { release: 'prometheus' } } }),
      ...registry({ monitoring: {} }),
      ...standalone({ monitoring: {} }),
      ...Testing.synth(jobs),
      ...historyServer({ monitoring: {} }),
    ].filter((m) => m.apiVersion === 'monitoring.coreos.com/v1');
    expect(manifests.map((m) => m.kind).sort()).toEqual(['PodMonitor', 'PodMonitor', 'PodMonitor', 'PodMonitor', 'PrometheusRule', 'PrometheusRule',
      'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'ServiceMonitor']);
    expect(validateManifests(manifests, { crds: prometheusOperatorCrds() })).toEqual([]);
  });
});
