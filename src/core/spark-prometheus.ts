import { IConstruct } from 'constructs';
import { refuseManagedConfKey } from './job-conf-keys';
import { SparkConf } from './spark-conf';

// Spark's own Prometheus endpoints on a driver's web UI, shared by the jobs
// that serve them (prometheusMetrics), the PodMonitor that scrapes them
// (SparkJobMonitoring) and the tenant policy that lets Prometheus in.
//
// - /metrics/prometheus: the PrometheusServlet sink of the driver's metrics
//   system (apache/spark core/.../metrics/sink/PrometheusServlet.scala; sink
//   name `prometheusServlet`, which MetricsSystem.registerSinks attaches to
//   the UI; keys as in conf/metrics.properties.template, passed as
//   `spark.metrics.conf.<instance>.<key>`, which MetricsConfig.initialize reads).
// - /metrics/executors/prometheus: every live executor's (and the driver's)
//   summary (core/.../status/api/v1/PrometheusResource.scala), served while
//   spark.ui.prometheus.enabled is true (UI.scala; off by default before 4.0.0).

/** Label of the pods that serve the endpoints; the PodMonitor and the tenant's NetworkPolicy select it. */
export const PROMETHEUS_METRICS_LABEL = 'spark-metrics';
/** Its value. */
export const PROMETHEUS_METRICS_LABEL_VALUE = 'prometheus';
/**
 * The name of the driver's UI port: Spark names the driver container's port
 * so (resource-managers/kubernetes/core/.../k8s/Constants.scala UI_PORT_NAME,
 * BasicDriverFeatureStep), whatever spark.ui.port says; so does a
 * client-mode SparkSubmitJob's submit pod.
 */
export const SPARK_UI_PORT_NAME = 'spark-ui';
/** Where the driver's PrometheusServlet answers. */
export const DRIVER_METRICS_PATH = '/metrics/prometheus';
/** Where PrometheusResource answers. */
export const EXECUTOR_METRICS_PATH = '/metrics/executors/prometheus';

/**
 * The sink for the `driver` instance only: executors serve no UI, and a
 * `driver.` key wins over a `*.` one in a metrics.properties file
 * (MetricsConfig fills an instance's missing keys from `*`).
 */
const SINK = 'spark.metrics.conf.driver.sink.prometheusServlet';

/** The configuration that turns the endpoints on. */
export function prometheusMetricsConf(source: string): SparkConf {
  return new SparkConf()
    .setBoolean('spark.ui.prometheus.enabled', true, source)
    .set(`${SINK}.class`, 'org.apache.spark.metrics.sink.PrometheusServlet', source)
    .set(`${SINK}.path`, DRIVER_METRICS_PATH, source);
}

/** Keys that prometheusMetrics owns while it is on: it sets them, or needs them as Spark's defaults leave them. */
const PROMETHEUS_METRICS_KEYS: { readonly [key: string]: string } = {
  'spark.ui.prometheus.enabled': 'the prometheusMetrics prop',
  [`${SINK}.class`]: 'the prometheusMetrics prop',
  [`${SINK}.path`]: 'the prometheusMetrics prop',
  'spark.ui.enabled': 'nothing: prometheusMetrics serves the metrics on the driver\'s web UI, which stays on',
};

/** Refuses a user conf key that prometheusMetrics owns (call only while it is on). */
export function refusePrometheusMetricsKey(scope: IConstruct, key: string): void {
  refuseManagedConfKey(scope, key, PROMETHEUS_METRICS_KEYS);
}
