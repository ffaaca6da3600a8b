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
   * Emit the PrometheusRule with the workload's alerts.
   * @default true
   */
  readonly alerts?: boolean;
}
