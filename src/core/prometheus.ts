import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { check, Where } from './errors';
import { AlertSeverity, MetricsEndpointTls, MetricsScheme, MonitorKind, PrometheusAlertRule, PrometheusMonitoringOptions } from './monitoring';
import { dnsLabel, dnsSubdomain, enumValue, httpPath, labelKey, labels as checkLabels, secretKey, secretRef, wholeSeconds } from './validate';

// Kubernetes' port names (apimachinery validation.go IsValidPortName).
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** The monitoring options, checked. */
export interface CheckedMonitoring {
  readonly labels: { [key: string]: string };
  readonly interval: string;
  readonly scrapeTimeout?: string;
  readonly alerts: boolean;
  readonly extraEndpoints: CheckedEndpoint[];
  /** The prop the extra endpoints came as (for messages). */
  readonly extraProperty: string;
  /** The kind asked for, if any (see {@link monitorKind}). */
  readonly kind?: MonitorKind;
  readonly jobLabel?: string;
  /** The namespace of the monitors and rules, when not the workload's. */
  readonly monitorNamespace?: string;
  readonly extraAlerts: PrometheusAlert[];
  /** The option names as given (for messages). */
  readonly property: (name: string) => string;
}

/** An endpoint to scrape. */
export interface CheckedEndpoint {
  readonly port: string;
  readonly path: string;
  readonly scheme?: string;
  /** The endpoint's `tlsConfig`. */
  readonly tlsConfig?: { [key: string]: unknown };
}

// Prometheus's classic metric and label names (prometheus/common model/metric.go, labels.go):
// alert names are metric names; label names starting with '__' are reserved for Prometheus.
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

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
    const scheme = e.scheme === undefined ? undefined : enumValue(where, `${at}.scheme`, e.scheme, MetricsScheme);
    const tlsConfig = checkEndpointTls(where, `${at}.tls`, e.tls, scheme);
    return { port: e.port, path: httpPath(where, `${at}.path`, e.path ?? '/metrics'), ...(scheme ? { scheme } : {}), ...(tlsConfig ? { tlsConfig } : {}) };
  });
  const alerts = options.alerts ?? true;
  const extraAlerts = checkAlertRules(where, field('extraAlerts'), options.extraAlerts);
  check(alerts || extraAlerts.length === 0, where, field('extraAlerts'), extraAlerts.map((a) => a.alert).join(', '),
    'none while alerts is false (the PrometheusRule that would hold them is left out)');
  return {
    extraEndpoints,
    extraProperty: field('extraEndpoints'),
    property: field,
    ...(options.kind !== undefined ? { kind: enumValue(where, field('kind'), options.kind, MonitorKind) } : {}),
    ...(options.jobLabel !== undefined ? { jobLabel: labelKey(where, field('jobLabel'), options.jobLabel) } : {}),
    ...(options.monitorNamespace !== undefined ? { monitorNamespace: dnsLabel(where, field('monitorNamespace'), options.monitorNamespace) } : {}),
    extraAlerts,
    labels: { ...options.labels },
    interval: `${seconds}s`,
    ...(timeout !== undefined ? { scrapeTimeout: `${timeout}s` } : {}),
    alerts,
  };
}

/** An endpoint's TLS verification as the monitors' `tlsConfig` (prometheus-operator v0.93.0 SafeTLSConfig: ca, serverName). */
function checkEndpointTls(where: Where, prop: string, tls: MetricsEndpointTls | undefined, scheme: string | undefined) {
  if (tls === undefined) {
    return undefined;
  }
  check(scheme === MetricsScheme.HTTPS, where, prop, 'given', 'only with scheme MetricsScheme.HTTPS');
  check(tls !== null && typeof tls === 'object', where, prop, tls, 'a MetricsEndpointTls');
  check(tls.caKey === undefined || tls.caSecret !== undefined, where, `${prop}.caKey`, tls.caKey, 'only with caSecret');
  const ca = tls.caSecret === undefined ? undefined
    : { secret: { name: secretRef(where, `${prop}.caSecret`, tls.caSecret).name, key: secretKey(where, `${prop}.caKey`, tls.caKey ?? 'ca.crt') } };
  const serverName = tls.serverName === undefined ? undefined : dnsSubdomain(where, `${prop}.serverName`, tls.serverName);
  check(ca !== undefined || serverName !== undefined, where, prop, 'empty', 'a caSecret, a serverName or both (or leave tls out)');
  return { ...(ca ? { ca } : {}), ...(serverName ? { serverName } : {}) };
}

/** The user's alert rules, checked; names are unique among them (the built-in ones are compared when emitted). */
function checkAlertRules(where: Where, prop: string, rules: PrometheusAlertRule[] | undefined): PrometheusAlert[] {
  check(rules === undefined || Array.isArray(rules), where, prop, typeof rules, 'a list of PrometheusAlertRule');
  const out: PrometheusAlert[] = [];
  (rules ?? []).forEach((r, i) => {
    const at = `${prop}[${i}]`;
    check(r !== null && typeof r === 'object', where, at, r, 'a PrometheusAlertRule, e.g. { alert: "HighLoad", expr: "..." }');
    check(typeof r.alert === 'string' && METRIC_NAME.test(r.alert), where, `${at}.alert`, r.alert,
      'a Prometheus name: letters, digits, \'_\' and \':\', not starting with a digit');
    check(!out.some((a) => a.alert === r.alert), where, `${at}.alert`, r.alert, 'a name no other extra alert has');
    check(typeof r.expr === 'string' && r.expr.trim() !== '', where, `${at}.expr`, r.expr, 'a PromQL expression (not empty)');
    const seconds = r.forDuration === undefined ? 0 : wholeSeconds(where, `${at}.forDuration`, r.forDuration);
    const severity = enumValue(where, `${at}.severity`, r.severity ?? AlertSeverity.WARNING, AlertSeverity);
    check(r.labels === undefined || (typeof r.labels === 'object' && r.labels !== null && !Array.isArray(r.labels)), where,
      `${at}.labels`, r.labels, 'a map of label names to string values');
    for (const [key, value] of Object.entries(r.labels ?? {})) {
      check(LABEL_NAME.test(key) && !key.startsWith('__'), where, `${at}.labels key`, key,
        'a Prometheus label name: letters, digits and \'_\', not starting with a digit or \'__\'');
      check(key !== 'severity', where, `${at}.labels key`, key, 'another label than severity (give it as severity)');
      check(typeof value === 'string', where, `${at}.labels["${key}"]`, value, 'a string');
    }
    for (const key of ['summary', 'description'] as const) {
      check(r[key] === undefined || typeof r[key] === 'string', where, `${at}.${key}`, r[key], 'a string');
    }
    out.push({
      alert: r.alert,
      expr: r.expr,
      for: `${seconds}s`,
      severity,
      ...(r.summary !== undefined ? { summary: r.summary } : {}),
      ...(r.description !== undefined ? { description: r.description } : {}),
      ...(r.labels && Object.keys(r.labels).length > 0 ? { labels: { ...r.labels } } : {}),
    });
  });
  return out;
}

/**
 * The kind of monitor of a construct: the one asked for, else its default;
 * `refused` gives, for each kind it cannot offer, why.
 */
export function monitorKind(where: Where, monitoring: CheckedMonitoring, defaultKind: MonitorKind,
  refused: { readonly [kind: string]: string } = {}): MonitorKind {
  const kind = monitoring.kind ?? defaultKind;
  const offered = Object.values(MonitorKind).filter((k) => refused[k] === undefined);
  check(refused[kind] === undefined, where, monitoring.property('kind'), kind,
    `${offered.map((k) => `MonitorKind.${k === MonitorKind.POD_MONITOR ? 'POD_MONITOR' : 'SERVICE_MONITOR'}`).join(' or ')} (${refused[kind]})`);
  return kind;
}

/** Refuses the scrape-only options for a construct that emits only a PrometheusRule. */
export function refuseScrapeOptions(where: Where, monitoring: CheckedMonitoring, reason: string): void {
  check(monitoring.kind === undefined, where, monitoring.property('kind'), monitoring.kind, `left out: ${reason}`);
  check(monitoring.jobLabel === undefined, where, monitoring.property('jobLabel'), monitoring.jobLabel, `left out: ${reason}`);
  check(monitoring.extraEndpoints.length === 0, where, monitoring.extraProperty, monitoring.extraEndpoints.map((e) => e.port).join(', '),
    `none: ${reason}`);
}

/** What a construct's monitor scrapes, for the selector of its alerts. */
export interface ScrapeTarget {
  readonly kind: MonitorKind;
  /** The monitor's name. */
  readonly name: string;
  /** The workload's namespace. */
  readonly namespace: string;
  /** The Service a ServiceMonitor scrapes. */
  readonly service?: string;
  /** The monitor's selector: labels every scraped pod (PodMonitor) or Service (ServiceMonitor) carries, the choices of `jobLabel`. */
  readonly targetLabels: { readonly [key: string]: string };
}

/**
 * The PromQL label selector of the series of a construct's monitor. Targets
 * carry the target's `namespace`; a ServiceMonitor's also the Service's name
 * as `service`. The `job` is `<monitor namespace>/<name>` for a PodMonitor,
 * unless `jobLabel` names a label of the pod, whose value it takes
 * (prometheus-operator v0.93.0 pkg/prometheus/promcfg.go, the pod and
 * service monitor configs).
 */
export function targetSelector(where: Where, monitoring: CheckedMonitoring, target: ScrapeTarget): string {
  const choices = Object.keys(target.targetLabels);
  const jobLabel = monitoring.jobLabel;
  check(jobLabel === undefined || choices.includes(jobLabel), where, monitoring.property('jobLabel'), jobLabel,
    choices.length === 0 ? 'left out: the scraped objects share no label value to name the job after'
      : `a label every scraped ${target.kind === MonitorKind.POD_MONITOR ? 'pod' : 'Service'} carries with one value (${choices.join(', ')}): the alerts select the job by it`);
  if (target.kind === MonitorKind.SERVICE_MONITOR) {
    return `namespace="${target.namespace}", service="${target.service}"`;
  }
  if (jobLabel !== undefined) {
    return `namespace="${target.namespace}", job="${target.targetLabels[jobLabel]}"`;
  }
  return `job="${monitoring.monitorNamespace ?? target.namespace}/${monitorName(monitoring, target.namespace, target.name)}"`;
}

/**
 * The name of a monitor or rule: in another namespace than the workload's,
 * prefixed with the workload's namespace, so that the same construct in two
 * namespaces does not give two objects one name there.
 */
function monitorName(monitoring: CheckedMonitoring, namespace: string, name: string): string {
  return monitoring.monitorNamespace === undefined || monitoring.monitorNamespace === namespace ? name : `${namespace}-${name}`;
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
  readonly severity: 'info' | 'warning' | 'critical';
  readonly summary?: string;
  readonly description?: string;
  readonly labels?: { [key: string]: string };
}

/** The PrometheusRule of a workload. */
export interface RuleSpec {
  readonly name: string;
  readonly namespace: string;
  /** Labels of the objects (the workload's), to which the user's are added. */
  readonly labels: { [key: string]: string };
  readonly alerts: PrometheusAlert[];
  /**
   * Whether the user's extra alerts go in this rule (false for all but one
   * rule of a construct that emits several).
   * @default true
   */
  readonly extraAlerts?: boolean;
  /** Names of the construct's alerts in its other rules, which the user's may not take either. */
  readonly otherAlertNames?: string[];
}

/** The ServiceMonitor or PodMonitor and the PrometheusRule of a workload. */
export interface MonitorSpec extends RuleSpec {
  readonly kind: MonitorKind;
  /** Labels of the Services (ServiceMonitor) or pods (PodMonitor) to scrape. */
  readonly selector: { [key: string]: string };
  /** The named port and path of each endpoint. */
  readonly endpoints: CheckedEndpoint[];
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
    ...(e.scheme ? { scheme: e.scheme } : {}),
    ...(e.tlsConfig ? { tlsConfig: e.tlsConfig } : {}),
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
      ...(monitoring.jobLabel !== undefined ? { jobLabel: monitoring.jobLabel } : {}),
      ...(spec.kind === MonitorKind.SERVICE_MONITOR ? { endpoints } : { podMetricsEndpoints: endpoints }),
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
  const extra = spec.extraAlerts === false ? [] : monitoring.extraAlerts;
  const builtIn = [...spec.alerts.map((a) => a.alert), ...spec.otherAlertNames ?? []];
  extra.forEach((a, i) => check(!builtIn.includes(a.alert), scope, `${monitoring.property('extraAlerts')}[${i}].alert`, a.alert,
    `a name other than the construct's own alerts' (${builtIn.join(', ')})`));
  const alerts = [...spec.alerts, ...extra];
  if (monitoring.alerts && alerts.length > 0) {
    new ApiObject(scope, 'PrometheusRule', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: monitoringMetadata(monitoring, spec),
      spec: {
        groups: [{
          name: `${spec.namespace}.${spec.name}`,
          rules: alerts.map((a) => ({
            alert: a.alert,
            expr: a.expr,
            for: a.for,
            labels: { ...a.labels, severity: a.severity },
            ...(a.summary !== undefined || a.description !== undefined ? {
              annotations: {
                ...(a.summary !== undefined ? { summary: a.summary } : {}),
                ...(a.description !== undefined ? { description: a.description } : {}),
              },
            } : {}),
          })),
        }],
      },
    });
  }
}

function monitoringMetadata(monitoring: CheckedMonitoring, spec: RuleSpec) {
  return {
    name: monitorName(monitoring, spec.namespace, spec.name),
    namespace: monitoring.monitorNamespace ?? spec.namespace,
    labels: { ...spec.labels, ...monitoring.labels },
  };
}
