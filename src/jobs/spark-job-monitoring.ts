import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppSlot } from '../core/app-context';
import { check } from '../core/errors';
import { StandardLabels } from '../core/labels';
import { MonitorKind, PrometheusMonitoringOptions } from '../core/monitoring';
import { DnsNames } from '../core/names';
import { checkMonitoring, emitMonitoring, monitorKind, PrometheusAlert, targetSelector } from '../core/prometheus';
import {
  DRIVER_METRICS_PATH, EXECUTOR_METRICS_PATH, PROMETHEUS_METRICS_LABEL, PROMETHEUS_METRICS_LABEL_VALUE, SPARK_UI_PORT_NAME,
} from '../core/spark-prometheus';

/** Properties of {@link SparkJobMonitoring}. */
export interface SparkJobMonitoringProps extends PrometheusMonitoringOptions {
  /**
   * The namespace whose jobs are scraped; the monitor and the rule live there
   * unless `monitorNamespace` says otherwise. The monitor is a PodMonitor
   * (`kind` SERVICE_MONITOR is refused: the drivers have no such Service).
   * @default - the chart's namespace, else 'default'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;
}

/** Name of the PodMonitor and of the PrometheusRule. */
const NAME = 'spark-jobs';

/**
 * Pod labels copied onto every series: the application's id (Spark's label
 * on its pods, Constants.scala SPARK_APP_ID_LABEL), the pod's role, and the
 * SparkApplication's name (kubeflow/spark-operator v2.5.2 pkg/common
 * LabelSparkAppName; absent on spark-submit jobs' pods).
 */
const POD_TARGET_LABELS = ['spark-app-selector', 'spark-role', 'sparkoperator.k8s.io/app-name'];

/**
 * Monitoring of the Spark jobs of one namespace by the Prometheus operator:
 * a PodMonitor (`spark-jobs`) scraping the drivers of the jobs with
 * `prometheusMetrics` (the pods labelled `spark-metrics: prometheus`) on
 * their web UI port (named `spark-ui`) at `/metrics/prometheus` and
 * `/metrics/executors/prometheus`, and a PrometheusRule alerting when a
 * running driver cannot be scraped and when tasks fail.
 *
 * One per namespace: the drivers of every job there are scraped by the same
 * monitor. Under NetworkPolicies that isolate the namespace, Prometheus
 * must be let in to the drivers' UI port: a {@link SparkTenant}'s
 * `monitoring` creates this construct and that policy.
 *
 * The driver's own series carry the application id in their names
 * (`metrics_<app id>_driver_...`, Spark's default `spark.metrics.namespace`);
 * the executors' (`metrics_executor_...`) carry it as the `application_id`
 * label. Every series also gets the pod's `spark_app_selector`, `spark_role`
 * and (operator jobs) `sparkoperator_k8s_io_app_name` labels.
 */
export class SparkJobMonitoring extends Construct {
  /**
   * The namespace.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: SparkJobMonitoringProps = {}) {
    super(scope, id);
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    const monitoring = checkMonitoring(this, '', props)!;
    const taken = MONITORED.of(this).get(this.namespace);
    check(taken === undefined, this, 'namespace', this.namespace,
      `a namespace without another SparkJobMonitoring (${taken?.node.path} monitors it): one scrapes every job there`);
    MONITORED.of(this).set(this.namespace, this);
    monitorKind(this, monitoring, MonitorKind.POD_MONITOR, {
      [MonitorKind.SERVICE_MONITOR]: 'the drivers have no Service that exposes their web UI',
    });
    const selector = { [PROMETHEUS_METRICS_LABEL]: PROMETHEUS_METRICS_LABEL_VALUE };
    const labels = StandardLabels.of(this, { name: 'spark-job-monitoring', instance: this.namespace });
    const job = targetSelector(this, monitoring, { kind: MonitorKind.POD_MONITOR, name: NAME, namespace: this.namespace, targetLabels: selector });
    emitMonitoring(this, monitoring, {
      kind: MonitorKind.POD_MONITOR,
      name: NAME,
      namespace: this.namespace,
      labels: labels.all(),
      selector,
      endpoints: [DRIVER_METRICS_PATH, EXECUTOR_METRICS_PATH].map((path) => ({ port: SPARK_UI_PORT_NAME, path })),
      podTargetLabels: POD_TARGET_LABELS,
      alerts: jobAlerts(this.namespace, job),
    });
  }
}

/**
 * The alerts of a namespace's jobs, whose series `job` selects (see
 * targetSelector); a PodMonitor drops finished pods (its endpoints'
 * `filterRunning`, on unless set), so a driver that ended is no target. The
 * executors' counter: apache/spark core/.../status/api/v1/PrometheusResource.scala.
 */
function jobAlerts(namespace: string, job: string): PrometheusAlert[] {
  return [
    {
      alert: 'SparkDriverMetricsUnreachable',
      expr: `up{${job}} == 0`,
      for: '15m',
      severity: 'warning',
      summary: `Prometheus cannot scrape Spark driver {{ $labels.pod }} in ${namespace} ({{ $labels.metrics_path }}): `
        + 'a NetworkPolicy blocks it, or the driver\'s web UI is not up',
    },
    {
      alert: 'SparkTasksFailing',
      expr: `sum by (namespace, pod) (increase(metrics_executor_failedTasks_total{${job}}[15m])) > 0`,
      for: '0m',
      severity: 'warning',
      summary: `Tasks of the Spark application of driver {{ $labels.pod }} in ${namespace} failed in the last 15 minutes`,
    },
  ];
}

/** The namespaces monitored in the app, and by whom. */
const MONITORED = new AppSlot('spark-job-monitoring', () => new Map<string, SparkJobMonitoring>());
