import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { check, Where } from './errors';
import type { PrometheusMonitoringOptions } from './monitoring';
import { httpPath, labels as checkLabels, wholeSeconds } from './validate';

// Kubernetes' port names (apimachinery validation.go IsValidPortName).
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** The monitoring options, checked. */
export interface CheckedMonitoring {
  readonly labels: { [key: string]: string };
  readonly interval: string;
  readonly scrapeTimeout?: string;
  readonly alerts: boolean;
  readonly extraEndpoints: Array<{ readonly port: string; readonly path: string }>;
  /** The prop the extra endpoints came as (for messages). */
  readonly extraProperty: string;
}

/** Checks monitoring options given as `prop` (empty: the construct's own props). */
export function checkMonitoring(where: Where, prop: string, options: PrometheusMonitoringOptions | undefined): CheckedMonitoring | undefined {
  if (options === undefined) {
    return undefined;
  }
  const field = (name: string) => (prop === '' ? name : `${prop}.${name}`);
  check(options !== null && typeof options === 'object', where, prop || 'props', options, 'PrometheusMonitoringOptions, e.g. { labels: { release: "prometheus" } }');
  checkLabels(where, field('labels'), options.labels);
  const seconds = wholeSeconds(where, field('interval'), options.interval ?? Duration.seconds(30), { min: 1 });
  const timeout = options.scrapeTimeout === undefined ? undefined : wholeSeconds(where, field('scrapeTimeout'), options.scrapeTimeout, { min: 1 });
  // Prometheus rejects the whole configuration otherwise (config/config.go: scrape timeout greater than scrape interval).
  check(timeout === undefined || timeout <= seconds, where, field('scrapeTimeout'), `${timeout}s`, `at most the interval (${seconds}s)`);
  const extra = options.extraEndpoints ?? [];
  check(Array.isArray(extra), where, field('extraEndpoints'), typeof extra, 'a list of MetricsEndpoint');
  const extraEndpoints = extra.map((e, i) => {
    const at = field(`extraEndpoints[${i}]`);
    check(e !== null && typeof e === 'object' && typeof e.port === 'string' && IANA_SVC_NAME.test(e.port) && /[a-z]/.test(e.port)
      && !e.port.includes('--'), where, `${at}.port`, e?.port,
    'a port name: at most 15 lowercase letters, digits and \'-\', with a letter, no \'-\' at either end, no \'--\'');
    return { port: e.port, path: httpPath(where, `${at}.path`, e.path ?? '/metrics') };
  });
  return {
    extraEndpoints,
    extraProperty: field('extraEndpoints'),
    labels: { ...options.labels },
    interval: `${seconds}s`,
    ...(timeout !== undefined ? { scrapeTimeout: `${timeout}s` } : {}),
    alerts: options.alerts ?? true,
  };
}

/**
 * PromQL that is true while the targets a label `selector` picks (e.g.
 * `job="ns/name"`) are down, or gone: with no target left there is no `up`
 * series to be 0, hence the `absent`.
 */
export function targetsDown(selector: string): string {
  return `absent(up{${selector}}) or up{${selector}} == 0`;
}

/** One alert of a PrometheusRule. */
export interface PrometheusAlert {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly severity: 'warning' | 'critical';
  readonly summary: string;
}

/** The PrometheusRule of a workload. */
export interface RuleSpec {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the objects (the workload's), to which the user's are added. */
  readonly labels: { [key: string]: string };
  readonly alerts: PrometheusAlert[];
}

/** The ServiceMonitor or PodMonitor and the PrometheusRule of a workload. */
export interface MonitorSpec extends RuleSpec {
  readonly kind: 'ServiceMonitor' | 'PodMonitor';
  /** Labels of the Services (ServiceMonitor) or pods (PodMonitor) to scrape. */
  readonly selector: { [key: string]: string };
  /** The named port and path of each endpoint. */
  readonly endpoints: Array<{ readonly port: string; readonly path: string }>;
  /**
   * Pod labels copied onto every series (PodMonitor `podTargetLabels`;
   * prometheus-operator pkg/prometheus/promcfg.go names each target label
   * after the pod label, with every character a label name cannot hold as `_`).
   */
  readonly podTargetLabels?: string[];
}

/** Emits the monitor (and the rule, unless alerts are off) under `scope`. */
export function emitMonitoring(scope: Construct, monitoring: CheckedMonitoring, spec: MonitorSpec): void {
  const metadata = monitoringMetadata(monitoring, spec);
  // Targets differ by their labels, and the path is not one: endpoints sharing a port would write the
  // same series (up, scrape_*) from two scrape loops. Their path (Prometheus's `__metrics_path__`
  // target label, which relabeling sees) becomes a label.
  const all = [...spec.endpoints, ...monitoring.extraEndpoints];
  const keys = all.map((e) => `${e.port}${e.path}`);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  check(twice === undefined, scope, monitoring.extraProperty, twice,
    `endpoints other than the workload's own (${spec.endpoints.map((e) => `${e.port}${e.path}`).join(', ')}) and each other: one would be scraped twice`);
  const sharedPort = (port: string) => all.filter((e) => e.port === port).length > 1;
  const endpoints = all.map((e) => ({
    port: e.port,
    path: e.path,
    interval: monitoring.interval,
    ...(monitoring.scrapeTimeout ? { scrapeTimeout: monitoring.scrapeTimeout } : {}),
    ...(sharedPort(e.port) ? { relabelings: [{ sourceLabels: ['__metrics_path__'], targetLabel: 'metrics_path' }] } : {}),
  }));
  new ApiObject(scope, spec.kind, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: spec.kind,
    metadata,
    spec: {
      selector: { matchLabels: { ...spec.selector } },
      namespaceSelector: { matchNames: [spec.namespace] },
      ...(spec.kind === 'ServiceMonitor' ? { endpoints } : { podMetricsEndpoints: endpoints }),
      ...(spec.podTargetLabels && spec.podTargetLabels.length > 0 ? { podTargetLabels: [...spec.podTargetLabels] } : {}),
    },
  });
  emitRules(scope, monitoring, spec);
}

/**
 * Emits the PrometheusRule of a workload under `scope` (unless alerts are
 * off); alone for a workload with nothing to scrape, whose alerts read
 * other series (kube-state-metrics').
 */
export function emitRules(scope: Construct, monitoring: CheckedMonitoring, spec: RuleSpec): void {
  if (monitoring.alerts && spec.alerts.length > 0) {
    new ApiObject(scope, 'PrometheusRule', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: monitoringMetadata(monitoring, spec),
      spec: {
        groups: [{
          name: `${spec.namespace}.${spec.name}`,
          rules: spec.alerts.map((a) => ({
            alert: a.alert,
            expr: a.expr,
            for: a.for,
            labels: { severity: a.severity },
            annotations: { summary: a.summary },
          })),
        }],
      },
    });
  }
}

function monitoringMetadata(monitoring: CheckedMonitoring, spec: RuleSpec) {
  return { name: spec.name, namespace: spec.namespace, labels: { ...spec.labels, ...monitoring.labels } };
}
