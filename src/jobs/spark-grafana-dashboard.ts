import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { sparkDashboard } from './private/dashboard';
import { check } from '../core/errors';
import { StandardLabels } from '../core/labels';
import { DnsNames } from '../core/names';
import { labels as checkLabels } from '../core/validate';

/**
 * Label of the ConfigMaps the Grafana sidecar loads dashboards from, and its
 * value: the grafana chart's `sidecar.dashboards.label` (grafana/helm-charts
 * charts/grafana/values.yaml, any value by default) as kube-prometheus-stack
 * sets it (prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml:
 * value "1", searched in every namespace).
 */
const SIDECAR_LABEL = 'grafana_dashboard';
const SIDECAR_LABEL_VALUE = '1';

/** Options of {@link SparkGrafanaDashboard} that a composite (SparkPlatform) forwards. */
export interface SparkGrafanaDashboardOptions {
  /**
   * Namespace of the ConfigMap: one the Grafana sidecar searches
   * (kube-prometheus-stack's searches every namespace; the grafana chart's,
   * by default, only Grafana's own).
   * @default - the chart's namespace, else 'default'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;
  /**
   * Name of the ConfigMap (a DNS-1123 subdomain).
   * @default 'spark-applications-dashboard'
   */
  readonly name?: string;
  /**
   * More labels of the ConfigMap, e.g. the label a differently configured
   * sidecar looks for.
   * @default - the standard labels and `grafana_dashboard: "1"`
   */
  readonly labels?: { [key: string]: string };
}

/** Properties of {@link SparkGrafanaDashboard}. */
export interface SparkGrafanaDashboardProps extends SparkGrafanaDashboardOptions {
  /**
   * The prefix of the Spark operator's metrics (its `metrics.prefix`).
   * @default '' (the operator's default)
   */
  readonly operatorMetricsPrefix?: string;
}

/**
 * A Grafana dashboard of the Spark applications, in a ConfigMap labelled
 * `grafana_dashboard: "1"` for the Grafana sidecar: the operator's running,
 * completed and failed applications and failed submissions (from the
 * operator install's `monitoring`), and per running driver its JVM heap,
 * its live executors and their failed tasks (from the jobs with
 * `prometheusMetrics` that a {@link SparkJobMonitoring} scrapes). A
 * `datasource` variable picks the Prometheus data source, a `namespace`
 * variable the jobs' namespaces.
 */
export class SparkGrafanaDashboard extends Construct {
  /** The ConfigMap. */
  public readonly configMap: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: SparkGrafanaDashboardProps = {}) {
    super(scope, id);
    const namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    const name = DnsNames.validateSubdomain(this, 'name', props.name ?? 'spark-applications-dashboard');
    checkLabels(this, 'labels', props.labels);
    const prefix = props.operatorMetricsPrefix ?? '';
    // As the operator install checks metrics.prefix: a Prometheus metric name prefix.
    check(/^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/.test(prefix), this, 'operatorMetricsPrefix', prefix,
      'a Prometheus metric name prefix: letters, digits, \'_\' and \':\', not starting with a digit');
    const labels = StandardLabels.of(this, { name: 'spark-grafana-dashboard', instance: name });
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name, namespace, labels: { ...labels.all(), [SIDECAR_LABEL]: SIDECAR_LABEL_VALUE, ...props.labels } },
      data: { 'spark-applications.json': JSON.stringify(sparkDashboard({ operatorMetricsPrefix: prefix }), undefined, 2) },
    });
  }
}
