import { Duration } from 'cdk8s';
import { SparkJobSpecOptions } from './spark-job-spec';
import { check } from '../core/errors';
import { integer, wholeSeconds } from '../core/validate';
import { IPodVolume } from '../core/volume-mount';

// The vocabulary of operator jobs (SparkApplication, ScheduledSparkApplication).

/** Options of {@link RestartPolicy.onFailure}. */
export interface OnFailureRestartOptions {
  /**
   * Retries after a failed run.
   * @default 3
   */
  readonly retries?: number;
  /**
   * Wait between retries after a failed run (whole seconds).
   * @default Duration.seconds(10)
   */
  readonly retryInterval?: Duration;
  /**
   * Retries after a failed submission.
   * @default 3
   */
  readonly submissionRetries?: number;
  /**
   * Wait between retries after a failed submission (whole seconds).
   * @default Duration.seconds(20)
   */
  readonly submissionRetryInterval?: Duration;
}

/** Options of {@link RestartPolicy.always}. */
export interface AlwaysRestartOptions {
  /**
   * Wait before re-running (whole seconds).
   * @default Duration.seconds(10)
   */
  readonly retryInterval?: Duration;
  /**
   * Retries after a failed submission.
   * @default 3
   */
  readonly submissionRetries?: number;
  /**
   * Wait between retries after a failed submission (whole seconds).
   * @default Duration.seconds(20)
   */
  readonly submissionRetryInterval?: Duration;
}

/** When the operator runs an application again. */
export class RestartPolicy {
  /** Run once, whatever the outcome. */
  public static never(): RestartPolicy {
    return new RestartPolicy({ type: 'Never' });
  }

  /** Re-run after a failure, a bounded number of times. */
  public static onFailure(options: OnFailureRestartOptions = {}): RestartPolicy {
    const where = 'RestartPolicy.onFailure';
    return new RestartPolicy({
      type: 'OnFailure',
      onFailureRetries: integer(where, 'retries', options.retries ?? 3),
      onFailureRetryInterval: wholeSeconds(where, 'retryInterval', options.retryInterval ?? Duration.seconds(10)),
      onSubmissionFailureRetries: integer(where, 'submissionRetries', options.submissionRetries ?? 3),
      onSubmissionFailureRetryInterval: wholeSeconds(where, 'submissionRetryInterval', options.submissionRetryInterval ?? Duration.seconds(20)),
    });
  }

  /** Re-run whenever the application ends (a streaming job). */
  public static always(options: AlwaysRestartOptions = {}): RestartPolicy {
    const where = 'RestartPolicy.always';
    return new RestartPolicy({
      type: 'Always',
      onFailureRetryInterval: wholeSeconds(where, 'retryInterval', options.retryInterval ?? Duration.seconds(10)),
      onSubmissionFailureRetries: integer(where, 'submissionRetries', options.submissionRetries ?? 3),
      onSubmissionFailureRetryInterval: wholeSeconds(where, 'submissionRetryInterval', options.submissionRetryInterval ?? Duration.seconds(20)),
    });
  }

  /**
   * The policy type: `Never`, `OnFailure` or `Always`.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly type: string;

  private constructor(private readonly spec: { [key: string]: any }) {
    this.type = spec.type;
  }

  /** @internal */
  public _toSpec(): { [key: string]: any } {
    return { ...this.spec };
  }
}

/** The Prometheus JMX exporter java agent, which must be in the image. */
export interface PrometheusJmxExporter {
  /** Path of the exporter jar inside the image. */
  readonly jmxExporterJar: string;
  /**
   * Port the exporter listens on (1024 or above: pods run as non-root).
   * @default 8090 (the operator's default)
   */
  readonly port?: number;
  /**
   * Name of the exporter port.
   * @default 'jmx-exporter' (the operator's default)
   */
  readonly portName?: string;
  /**
   * Exporter configuration (YAML content).
   * @default - the operator's built-in configuration, unless configFile is given
   */
  readonly configuration?: string;
  /**
   * Path of an exporter configuration file inside the image.
   * @default - none
   */
  readonly configFile?: string;
}

/** Metrics of a Spark application. */
export interface SparkMonitoring {
  /**
   * Expose driver metrics.
   * @default true
   */
  readonly exposeDriverMetrics?: boolean;
  /**
   * Expose executor metrics.
   * @default true
   */
  readonly exposeExecutorMetrics?: boolean;
  /**
   * Scrape through the Prometheus JMX exporter.
   * @default - no exporter (e.g. use Spark's PrometheusServlet through sparkConf)
   */
  readonly prometheus?: PrometheusJmxExporter;
  /**
   * Content of Spark's `metrics.properties`.
   * @default - the operator's default when an exporter is configured
   */
  readonly metricsProperties?: string;
  /**
   * Path of `metrics.properties` inside the image.
   * @default - none
   */
  readonly metricsPropertiesFile?: string;
}

/** Options of a batch scheduler. */
export interface BatchSchedulerOptions {
  /**
   * Queue the application is submitted to.
   * @default - the scheduler's default queue
   */
  readonly queue?: string;
  /**
   * PriorityClass of the pod group.
   * @default - none
   */
  readonly priorityClassName?: string;
  /**
   * Resources reserved for the whole pod group, as Kubernetes quantities (`cpu: '4'`, `memory: '8Gi'`).
   * @default - computed by the operator from the driver and executors
   */
  readonly resources?: { [resource: string]: string };
}

/** The batch (gang) scheduler of an application's pods; the operator must have it enabled. */
export class BatchScheduler {
  /** Volcano. */
  public static volcano(options: BatchSchedulerOptions = {}): BatchScheduler {
    return new BatchScheduler('volcano', options);
  }

  /** Apache YuniKorn; queues look like `root.default`. */
  public static yunikorn(options: BatchSchedulerOptions = {}): BatchScheduler {
    return new BatchScheduler('yunikorn', options);
  }

  /** The default kube-scheduler with the operator's pod-group support (scheduler-plugins). */
  public static kubeScheduler(options: BatchSchedulerOptions = {}): BatchScheduler {
    return new BatchScheduler('kube-scheduler', options);
  }

  /** The scheduler name the operator knows it by. */
  public readonly name: string;
  /** The options. */
  public readonly options: BatchSchedulerOptions;

  private constructor(name: string, options: BatchSchedulerOptions) {
    this.name = name;
    this.options = options;
    const where = `BatchScheduler.${name}`;
    for (const [resource, value] of Object.entries(options.resources ?? {})) {
      check(typeof value === 'string' && /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/.test(value), where,
        `resources.${resource}`, value, 'a Kubernetes quantity such as "4", "500m" or "8Gi"');
    }
  }
}

/** The type of the Service in front of an application's Spark UI. */
export enum SparkUiServiceType {
  /** Reachable inside the cluster only (through an Ingress, a port-forward...). */
  CLUSTER_IP = 'ClusterIP',
  /** Also on a port of every node. */
  NODE_PORT = 'NodePort',
  /** Also through a cloud load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
}

/**
 * The Service the Spark operator creates in front of an application's Spark
 * UI, `<application>-ui-svc` (`spec.sparkUIOptions`; kubeflow/spark-operator
 * v2.5.2 internal/controller/sparkapplication/web_ui.go). The operator
 * creates it only with its UI Service on (`controller.uiService` of a
 * SparkOperatorInstall, the default).
 */
export interface SparkApplicationUiServiceOptions {
  /**
   * The Service's type.
   * @default SparkUiServiceType.CLUSTER_IP
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly type?: SparkUiServiceType;
  /**
   * The Service's port (it forwards to the UI's port, `spark.ui.port`).
   * @default 4040
   */
  readonly port?: number;
  /**
   * The name of the Service's port (a DNS-1123 label), e.g. `http-ui` for a
   * service mesh that reads the protocol from it.
   * @default 'spark-driver-ui-port'
   */
  readonly portName?: string;
  /**
   * Labels of the Service. Given, they replace the operator's own
   * (`sparkoperator.k8s.io/app-name` and the submission id).
   * @default - the operator's labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the Service.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** TLS of an Ingress in front of Spark UIs: the hosts a certificate covers and where it is. */
export interface SparkUiIngressTls {
  /**
   * Host names the certificate covers (`*.example.com` covers one level of subdomains).
   */
  readonly hosts: string[];
  /**
   * Name of the `kubernetes.io/tls` Secret holding the certificate, in each
   * application's namespace (the Ingress is there).
   * @default - none: the Ingress controller's default certificate
   */
  readonly secretName?: string;
}

/**
 * The Ingress the Spark operator creates in front of an application's UI
 * Service, `<application>-ui-ingress`, at the URL of its `--ingress-url-format`
 * (`spec.sparkUIOptions`). The operator creates it only when it has a UI
 * Ingress (`controller.uiIngress` of a SparkOperatorInstall).
 */
export interface SparkApplicationUiIngressOptions {
  /**
   * Annotations of the Ingress. Given, they replace the operator's default
   * annotations (`controller.uiIngress.annotations`) rather than adding to them.
   * @default - the operator's default annotations
   */
  readonly annotations?: { [key: string]: string };
  /**
   * TLS of the Ingress. Given, it replaces the operator's default
   * (`controller.uiIngress.tls`).
   * @default - the operator's default TLS
   */
  readonly tls?: SparkUiIngressTls[];
}

/**
 * What a Spark application runs and how: shared by {@link SparkApplication}
 * and the template of {@link ScheduledSparkApplication}. The props common to
 * every job kind come from {@link SparkJobSpecOptions}.
 */
export interface SparkApplicationSpecProps extends SparkJobSpecOptions {
  /**
   * Volumes available to pod templates besides those the driver and executors mount.
   * @default - only the mounted volumes
   */
  readonly volumes?: IPodVolume[];
  /**
   * When the operator re-runs the application.
   * @default RestartPolicy.never()
   */
  readonly restartPolicy?: RestartPolicy;
  /**
   * How long after it ends the operator deletes the application (whole seconds).
   * @default - kept until deleted
   */
  readonly timeToLive?: Duration;
  /**
   * Metrics.
   * @default - no metrics exposure
   */
  readonly monitoring?: SparkMonitoring;
  /**
   * Batch scheduler of the pods.
   * @default - the default scheduler, pod by pod
   */
  readonly batchScheduler?: BatchScheduler;
  /**
   * The Service the operator creates in front of the Spark UI. An operator
   * of the app that creates no UI Service (`controller.uiService: false`)
   * fails synthesis.
   * @default - the operator's: ClusterIP, port 4040 named `spark-driver-ui-port`
   */
  readonly uiService?: SparkApplicationUiServiceOptions;
  /**
   * The Ingress the operator creates in front of that Service. An operator
   * of the app without a UI Ingress (`controller.uiIngress`) fails
   * synthesis; one installed elsewhere is not checked.
   * @default - the operator's defaults, when it has a UI Ingress
   */
  readonly uiIngress?: SparkApplicationUiIngressOptions;
}
