import { Duration } from 'cdk8s';

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
}
