// The Grafana dashboard of SparkGrafanaDashboard, built from typed panels
// (Grafana's dashboard JSON model: panels with gridPos, Prometheus targets,
// a data-source variable so that the provisioned dashboard works with any
// Prometheus data source).

type Json = { [key: string]: any };

/** Unit of a panel's values (Grafana's unit ids). */
type Unit = 'short' | 'bytes';

interface Query {
  readonly expr: string;
  readonly legend: string;
}

interface Panel {
  readonly title: string;
  readonly kind: 'stat' | 'timeseries';
  readonly unit: Unit;
  readonly description: string;
  readonly queries: readonly Query[];
}

/** Where the series come from: the operator's metric prefix. */
export interface DashboardInputs {
  readonly operatorMetricsPrefix: string;
}

/** The dashboard's stable id (Grafana keeps a provisioned dashboard by uid). */
export const DASHBOARD_UID = 'cdk8s-spark-applications';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const NAMESPACE = 'namespace=~"$namespace"';
const GRID_WIDTH = 24;
const PANEL_HEIGHT = 8;

/**
 * The panels: the operator's application counters (kubeflow/spark-operator
 * v2.5.2 pkg/common/metrics.go; scraped by the operator install's
 * ServiceMonitor), then the drivers' and executors' series (scraped by a
 * SparkJobMonitoring from the jobs with prometheusMetrics): the driver's
 * current heap from its ExecutorMetrics source (apache/spark docs/monitoring.md,
 * driver instance; the servlet names it `metrics_<app id>_driver_ExecutorMetrics_JVMHeapMemory_Value`),
 * the live executors and their failed tasks from PrometheusResource
 * (`metrics_executor_*`, one series per executor and one for the driver).
 */
function panels(inputs: DashboardInputs): Array<readonly Panel[]> {
  const op = (name: string) => `${inputs.operatorMetricsPrefix}${name}`;
  return [
    [
      {
        title: 'Running applications',
        kind: 'stat',
        unit: 'short',
        description: 'SparkApplications the operator reports running.',
        queries: [{ expr: `sum(${op('spark_application_running_count')})`, legend: 'running' }],
      },
      {
        title: 'Applications ended, per hour',
        kind: 'timeseries',
        unit: 'short',
        description: 'SparkApplications that completed, failed, or could not be submitted in the hour before each point.',
        queries: [
          { expr: `sum(increase(${op('spark_application_success_count')}[1h]))`, legend: 'completed' },
          { expr: `sum(increase(${op('spark_application_failure_count')}[1h]))`, legend: 'failed' },
          { expr: `sum(increase(${op('spark_application_failed_submission_count')}[1h]))`, legend: 'failed submissions' },
        ],
      },
    ],
    [
      {
        title: 'Driver JVM heap',
        kind: 'timeseries',
        unit: 'bytes',
        description: 'Heap used by each running driver (jobs with prometheusMetrics).',
        queries: [{
          expr: `sum by (namespace, pod) ({__name__=~"metrics_.+_driver_ExecutorMetrics_JVMHeapMemory_Value", ${NAMESPACE}})`,
          legend: '{{namespace}}/{{pod}}',
        }],
      },
      {
        title: 'Active executors',
        kind: 'timeseries',
        unit: 'short',
        description: 'Live executors of each running application, by its driver pod.',
        queries: [{ expr: `count by (namespace, pod) (metrics_executor_totalCores{executor_id!="driver", ${NAMESPACE}})`, legend: '{{namespace}}/{{pod}}' }],
      },
      {
        title: 'Failed tasks, per 5 minutes',
        kind: 'timeseries',
        unit: 'short',
        description: 'Tasks that failed on the live executors of each running application.',
        queries: [{ expr: `sum by (namespace, pod) (increase(metrics_executor_failedTasks_total{${NAMESPACE}}[5m]))`, legend: '{{namespace}}/{{pod}}' }],
      },
    ],
  ];
}

/** One panel as Grafana's JSON model has it, at `gridPos`. */
function renderPanel(panel: Panel, id: number, gridPos: Json): Json {
  return {
    id,
    type: panel.kind,
    title: panel.title,
    description: panel.description,
    datasource: DATASOURCE,
    gridPos,
    fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
    targets: panel.queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: q.expr,
      legendFormat: q.legend,
    })),
  };
}

/** The dashboard: each row of panels shares the grid's width. */
export function sparkDashboard(inputs: DashboardInputs): Json {
  let id = 0;
  const rendered = panels(inputs).flatMap((row, r) => {
    const width = Math.floor(GRID_WIDTH / row.length);
    return row.map((panel, i) => renderPanel(panel, ++id, { x: i * width, y: r * PANEL_HEIGHT, w: width, h: PANEL_HEIGHT }));
  });
  return {
    uid: DASHBOARD_UID,
    title: 'Spark applications',
    tags: ['spark', 'cdk8s-spark'],
    editable: false,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' },
        {
          name: 'namespace',
          label: 'Namespace',
          type: 'query',
          datasource: DATASOURCE,
          query: { query: 'label_values(metrics_executor_totalCores, namespace)', refId: 'namespaces' },
          refresh: 2,
          includeAll: true,
          multi: true,
          allValue: '.*',
          current: { text: 'All', value: '$__all' },
        },
      ],
    },
    panels: rendered,
  };
}
