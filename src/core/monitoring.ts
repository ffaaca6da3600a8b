import { Duration } from 'cdk8s';
import { ISecret } from 'cdk8s-plus-28';

/**
 * Monitoring by the Prometheus operator (monitoring.coreos.com/v1): a
 * ServiceMonitor or PodMonitor for the workload's metrics endpoint and a
 * PrometheusRule with the alerts that matter for it.
 */
export interface PrometheusMonitoringOptions {
  /**
   * Labels of the monitors and rules, so that the Prometheus instance selects
   * them (its `serviceMonitorSelector`, `podMonitorSelector` and
   * `ruleSelector`; kube-prometheus-stack selects `release: <its release>`).
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * How often Prometheus scrapes the metrics endpoint.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * How long one scrape may take: at most the interval (Prometheus refuses a
   * longer one).
   * @default - Prometheus's global scrape timeout (10s unless configured)
   */
  readonly scrapeTimeout?: Duration;

  /**
   * More endpoints to scrape besides the workload's own, on each of its
   * monitors, e.g. a sidecar's metrics port (`pod.sidecars`): a port name the
   * pods (PodMonitor) or the Service (ServiceMonitor) declare; the app's
   * cluster model refuses one that nothing selected declares.
   * @default - the workload's own endpoints only
   */
  readonly extraEndpoints?: MetricsEndpoint[];

  /**
   * Emit the PrometheusRule with the workload's alerts.
   * @default true
   */
  readonly alerts?: boolean;

  /**
   * The kind of monitor: a ServiceMonitor scrapes the endpoints of a Service,
   * a PodMonitor the pods themselves. Each construct documents the kinds it
   * offers and refuses the others.
   * @default - the construct's own choice (documented on its `monitoring` prop)
   */
  readonly kind?: MonitorKind;

  /**
   * A label of the scraped pods (PodMonitor) or Services (ServiceMonitor)
   * whose value becomes the series' `job` label instead of
   * prometheus-operator's default (`<namespace>/<PodMonitor name>`, or the
   * Service's name). Only a label that the construct puts on every object it
   * scrapes, with one value, is accepted: its alerts select that job.
   * @default - prometheus-operator's job name
   */
  readonly jobLabel?: string;

  /**
   * The namespace of the monitors and the PrometheusRule, when it is not the
   * workload's (e.g. a Prometheus that watches only its own namespace): the
   * monitors select the workload's namespace (`namespaceSelector.matchNames`)
   * and the alerts keep selecting the workload's series. Prometheus still
   * scrapes from wherever it runs, so NetworkPolicies are unchanged. There
   * the objects are named `<workload namespace>-<name>`, so that one
   * construct in several namespaces gives distinct names.
   * @default - the workload's namespace
   */
  readonly monitorNamespace?: string;

  /**
   * Your own alerts, added to the construct's PrometheusRule next to its own
   * (whose names they may not take). Needs `alerts` on.
   * @default - the construct's alerts only
   */
  readonly extraAlerts?: PrometheusAlertRule[];
}

/** The kind of a Prometheus operator monitor (monitoring.coreos.com/v1). */
export enum MonitorKind {
  /** A ServiceMonitor: scrapes the ports of the selected Services' endpoints. */
  SERVICE_MONITOR = 'ServiceMonitor',
  /** A PodMonitor: scrapes the container ports of the selected pods. */
  POD_MONITOR = 'PodMonitor',
}

/** The scheme of a metrics endpoint. */
export enum MetricsScheme {
  /** Plain HTTP. */
  HTTP = 'http',
  /**
   * HTTPS: the server's certificate must verify against the CAs of the
   * Prometheus container (no TLS settings are rendered).
   */
  HTTPS = 'https',
}

/** The severity label of an alert. */
export enum AlertSeverity {
  /** For information: nothing to do now. */
  INFO = 'info',
  /** Needs attention soon. */
  WARNING = 'warning',
  /** Needs attention now. */
  CRITICAL = 'critical',
}

/** An alerting rule of a PrometheusRule (Prometheus's alerting rule fields). */
export interface PrometheusAlertRule {
  /** The alert's name: a Prometheus metric name (letters, digits, '_' and ':', not starting with a digit). */
  readonly alert: string;

  /** The PromQL expression; the alert fires for each series it returns. */
  readonly expr: string;

  /**
   * How long the expression must hold before the alert fires (the rule's
   * `for`, a reserved word in some jsii languages).
   * @default Duration.seconds(0) - at once
   */
  readonly forDuration?: Duration;

  /**
   * The `severity` label.
   * @default AlertSeverity.WARNING
   */
  readonly severity?: AlertSeverity;

  /**
   * The `summary` annotation.
   * @default - none
   */
  readonly summary?: string;

  /**
   * The `description` annotation.
   * @default - none
   */
  readonly description?: string;

  /**
   * More labels of the alert (names as Prometheus allows them; not `severity`,
   * which is its own prop).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** A metrics endpoint: a named port and the path of the metrics. */
export interface MetricsEndpoint {
  /** The name of the port (a container port for a PodMonitor, a Service port for a ServiceMonitor). */
  readonly port: string;
  /**
   * The path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;

  /**
   * The scheme of the endpoint.
   * @default MetricsScheme.HTTP
   */
  readonly scheme?: MetricsScheme;

  /**
   * How Prometheus verifies the endpoint's certificate; only with
   * `scheme: MetricsScheme.HTTPS`.
   * @default - against the CAs of the Prometheus container, for the target's address
   */
  readonly tls?: MetricsEndpointTls;
}

/** The verification of a metrics endpoint's certificate (the monitor endpoint's `tlsConfig`). */
export interface MetricsEndpointTls {
  /**
   * A Secret holding the certificate of the CA that signed the endpoint's
   * certificate. It must be in the namespace of the monitor (the workload's,
   * or `monitorNamespace`): prometheus-operator reads it there.
   * @default - the CAs of the Prometheus container
   */
  readonly caSecret?: ISecret;

  /**
   * The key of the CA certificate in `caSecret`.
   * @default 'ca.crt'
   */
  readonly caKey?: string;

  /**
   * The name the certificate must be valid for.
   * @default - the target's address
   */
  readonly serverName?: string;
}
