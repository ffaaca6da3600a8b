import { ApiObject, Duration } from 'cdk8s';
import { EnvValue, IConfigMap, ISecret, k8s, Volume } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ISparkJob, SparkJobs } from './spark-job';
import { SparkServiceAccount } from './spark-service-account';
import { check } from '../core/errors';
import { EventLogJobOptions, EventLogStore } from '../core/event-log-store';
import { createCheckedJobObject, renderSparkApplicationSpec, resolveJobIdentity } from './private/operator-render';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';
import { SparkMemory } from '../core/spark-memory';
import { SPARK_APPLICATION_SPEC } from '../operator/model/spark-application-model';

/** The API version of the Spark operator's custom resources. */
export const SPARK_OPERATOR_API_VERSION = 'sparkoperator.k8s.io/v1beta2';

/**
 * The longest SparkApplication name: the operator names the UI Service
 * `<name>-ui-svc`, a DNS-1035 label of at most 63 characters (the driver pod
 * `<name>-driver` then fits too).
 */
export const SPARK_APPLICATION_NAME_MAX = 63 - '-ui-svc'.length;

/** The language of a Spark application. */
export enum SparkApplicationType {
  /** A Scala application (a jar with a main class). */
  SCALA = 'Scala',
  /** A Java application (a jar with a main class). */
  JAVA = 'Java',
  /** A PySpark application. */
  PYTHON = 'Python',
  /** A SparkR application. */
  R = 'R',
}

/** Where the driver runs. */
export enum DeployMode {
  /** In its own pod (the normal case). */
  CLUSTER = 'cluster',
  /** In the submitting process (the operator's submission pod); for special cases only. */
  CLIENT = 'client',
}

/** Dependencies Spark fetches when the application starts. */
export interface SparkDependencies {
  /**
   * Jars added to the driver and executor class paths (`local://`, `https://`, `s3a://`...).
   * @default - none
   */
  readonly jars?: string[];
  /**
   * Files placed in the working directory of the driver and executors.
   * @default - none
   */
  readonly files?: string[];
  /**
   * Python files, zips or eggs added to the Python path.
   * @default - none
   */
  readonly pyFiles?: string[];
  /**
   * Maven coordinates `group:artifact:version` resolved with their dependencies.
   * @default - none
   */
  readonly packages?: string[];
  /**
   * Maven coordinates `group:artifact` left out of the resolution of `packages`.
   * @default - none
   */
  readonly excludePackages?: string[];
  /**
   * Extra Maven repositories for `packages`.
   * @default - Maven Central
   */
  readonly repositories?: string[];
  /**
   * Archives extracted into the working directory.
   * @default - none
   */
  readonly archives?: string[];
}

/** A volume mounted into the driver or executor container. */
export interface SparkVolumeMount {
  /** The volume (it is added to the application's volumes). */
  readonly volume: Volume;
  /** Where it is mounted in the container. */
  readonly path: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * A path inside the volume to mount instead of its root.
   * @default - the root of the volume
   */
  readonly subPath?: string;
}

/** What the driver and the executors have in common. */
export interface SparkPodProps {
  /**
   * CPU cores Spark gives the process (task slots of an executor).
   * @default 1
   */
  readonly cores?: number;
  /**
   * CPU request of the pod as a Kubernetes quantity (e.g. `500m`), when it
   * should differ from `cores`.
   * @default - `cores`
   */
  readonly coreRequest?: string;
  /**
   * CPU limit of the pod as a Kubernetes quantity.
   * @default - no CPU limit (limits throttle the JVM's GC and JIT threads)
   */
  readonly coreLimit?: string;
  /**
   * JVM heap.
   * @default 512 MiB
   */
  readonly memory?: SparkMemory;
  /**
   * Off-heap memory added to the container on top of the heap.
   * @default - Spark's rule: max(10% of the heap, 384 MiB)
   */
  readonly memoryOverhead?: SparkMemory;
  /**
   * Memory limit of the container; it must cover heap + overhead.
   * @default - the request (heap + overhead), as Spark sets it
   */
  readonly memoryLimit?: SparkMemory;
  /**
   * Extra JVM options.
   * @default - none
   */
  readonly javaOptions?: string;
  /**
   * Environment variables (`EnvValue.fromValue`, `EnvValue.fromSecretValue`...).
   * @default - none
   */
  readonly env?: { [name: string]: EnvValue };
  /**
   * Secrets whose keys all become environment variables.
   * @default - none
   */
  readonly envFromSecrets?: ISecret[];
  /**
   * ConfigMaps whose keys all become environment variables.
   * @default - none
   */
  readonly envFromConfigMaps?: IConfigMap[];
  /**
   * Volumes mounted into the container.
   * @default - none
   */
  readonly volumeMounts?: SparkVolumeMount[];
  /**
   * Labels of the pod.
   * @default - none besides Spark's own
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the pod.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Node labels the pod must be scheduled on. Not together with the
   * application's `nodeSelector`.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Taints the pod tolerates.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];
  /**
   * Affinity of the pod.
   * @default - none
   */
  readonly affinity?: k8s.Affinity;
  /**
   * Security context of the container. The root filesystem stays writable by
   * default because Spark's entrypoint writes its JVM options under /tmp.
   * @default - restricted: non-root (the image's uid), no privilege escalation, all capabilities dropped, RuntimeDefault seccomp
   */
  readonly securityContext?: k8s.SecurityContext;
  /**
   * Security context of the pod.
   * @default - restricted: non-root, the image's uid and gid, fsGroup, RuntimeDefault seccomp
   */
  readonly podSecurityContext?: k8s.PodSecurityContext;
  /**
   * PriorityClass of the pod.
   * @default - the cluster default
   */
  readonly priorityClassName?: string;
  /**
   * A pod template Spark merges into the pod, for what the other props do not
   * cover (Spark 3.0 or later). Resources in it are ignored by Spark.
   * @default - none
   */
  readonly template?: k8s.PodTemplateSpec;
}

/** The driver of a Spark application. */
export interface SparkDriverProps extends SparkPodProps {}

/** The executors of a Spark application. */
export interface SparkExecutorProps extends SparkPodProps {
  /**
   * Number of executors (the initial number under dynamic allocation).
   * @default 1
   */
  readonly instances?: number;
  /**
   * Delete executor pods when they end (keep them to read their logs when false).
   * @default - true (the operator's default)
   */
  readonly deleteOnTermination?: boolean;
}

/**
 * Dynamic allocation of executors. Shuffle tracking is always on: Kubernetes
 * has no external shuffle service, so executors holding shuffle data must be kept.
 */
export interface SparkDynamicAllocation {
  /**
   * Least number of executors.
   * @default 0
   */
  readonly minExecutors?: number;
  /**
   * Executors at start.
   * @default - minExecutors
   */
  readonly initialExecutors?: number;
  /** Largest number of executors (required: an unbounded job could take the cluster). */
  readonly maxExecutors: number;
  /**
   * How long executors holding shuffle data are kept while idle.
   * @default - as long as the shuffle data is referenced
   */
  readonly shuffleTrackingTimeout?: Duration;
}

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
      onFailureRetries: count(where, 'retries', options.retries ?? 3),
      onFailureRetryInterval: seconds(where, 'retryInterval', options.retryInterval ?? Duration.seconds(10)),
      onSubmissionFailureRetries: count(where, 'submissionRetries', options.submissionRetries ?? 3),
      onSubmissionFailureRetryInterval: seconds(where, 'submissionRetryInterval', options.submissionRetryInterval ?? Duration.seconds(20)),
    });
  }

  /** Re-run whenever the application ends (a streaming job). */
  public static always(options: AlwaysRestartOptions = {}): RestartPolicy {
    const where = 'RestartPolicy.always';
    return new RestartPolicy({
      type: 'Always',
      onFailureRetryInterval: seconds(where, 'retryInterval', options.retryInterval ?? Duration.seconds(10)),
      onSubmissionFailureRetries: count(where, 'submissionRetries', options.submissionRetries ?? 3),
      onSubmissionFailureRetryInterval: seconds(where, 'submissionRetryInterval', options.submissionRetryInterval ?? Duration.seconds(20)),
    });
  }

  /** The policy type: `Never`, `OnFailure` or `Always`. */
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

/**
 * What a Spark application runs and how: shared by {@link SparkApplication}
 * and the template of {@link ScheduledSparkApplication}.
 */
export interface SparkApplicationSpecProps {
  /**
   * Namespace of the application; its driver and executors run there.
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;
  /** The language. */
  readonly type: SparkApplicationType;
  /**
   * Where the driver runs.
   * @default DeployMode.CLUSTER
   */
  readonly mode?: DeployMode;
  /**
   * The image of the driver and executors; its Spark version becomes the
   * application's `sparkVersion`.
   * @default SparkImage.apache()
   */
  readonly image?: SparkImage;
  /**
   * Entry class of a Scala or Java application.
   * @default - the Main-Class of the jar's manifest
   */
  readonly mainClass?: string;
  /** The application jar, Python or R file: `local://` inside the image, or a URL Spark downloads. */
  readonly mainApplicationFile: string;
  /**
   * Arguments passed to the application.
   * @default - none
   */
  readonly arguments?: string[];
  /**
   * Spark configuration. Keys the typed props manage (`spark.master`, image,
   * namespace, service account, app name...) are refused.
   * @default - none
   */
  readonly sparkConf?: SparkConf;
  /**
   * Hadoop configuration, keys without the `spark.hadoop.` prefix.
   * @default - none
   */
  readonly hadoopConf?: { [key: string]: string };
  /**
   * Dependencies fetched at start.
   * @default - none
   */
  readonly deps?: SparkDependencies;
  /**
   * The driver.
   * @default - 1 core, 512 MiB heap, restricted security context
   */
  readonly driver?: SparkDriverProps;
  /**
   * The executors.
   * @default - 1 executor of 1 core and 512 MiB heap, restricted security context
   */
  readonly executor?: SparkExecutorProps;
  /**
   * Volumes available to pod templates besides those the driver and executors mount.
   * @default - only the mounted volumes
   */
  readonly volumes?: Volume[];
  /**
   * Node labels both driver and executors must be scheduled on.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Dynamic allocation of executors.
   * @default - a fixed number of executors
   */
  readonly dynamicAllocation?: SparkDynamicAllocation;
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
   * The driver's ServiceAccount; it must be in the application's namespace.
   * @default SparkServiceAccount.forNamespace(this, namespace)
   */
  readonly serviceAccount?: SparkServiceAccount;
  /**
   * Fraction of the heap added as memory overhead when none is given.
   * @default 0.1 (Spark's default)
   */
  readonly memoryOverheadFactor?: number;
  /**
   * User to impersonate when submitting (Hadoop proxy user).
   * @default - none
   */
  readonly proxyUser?: string;
  /**
   * Where the driver writes the application's event log, for a
   * SparkHistoryServer reading the same store. Its configuration is merged
   * into `sparkConf` (a conflicting key is an error), its credentials become
   * driver environment variables and a volume store is mounted into the driver.
   * @default - no event log
   */
  readonly eventLog?: EventLogStore;
  /**
   * How the event log is written (e.g. rolling files); only with `eventLog`.
   * @default - one event log file per application
   */
  readonly eventLogOptions?: EventLogJobOptions;
}

/**
 * Properties of {@link SparkApplication}.
 */
export interface SparkApplicationProps extends SparkApplicationSpecProps {
  /**
   * Name of the application: a DNS-1035 label of at most 56 characters (the
   * operator appends `-ui-svc`).
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * Create the application suspended (not submitted until set to false).
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * A Spark job run by the Spark operator: a `sparkoperator.k8s.io/v1beta2`
 * SparkApplication.
 *
 * Defaults are safe: restricted security contexts with the image's uid, a
 * least-privilege driver ServiceAccount per namespace, explicit resources.
 * The rendered spec is checked against the operator's API model and its
 * admission rules when constructed and again at synth (after escape hatches).
 */
export class SparkApplication extends Construct implements ISparkJob {
  /** The SparkApplication object. */
  public readonly apiObject: ApiObject;
  /** Name of the application. */
  public readonly name: string;
  /** Namespace of the application. */
  public readonly namespace: string;
  /** The namespace the driver and executors run in (same as `namespace`). */
  public readonly jobNamespace: string;
  /** Always true: the operator runs it. */
  public readonly managedByOperator = true;
  /** The driver's ServiceAccount. */
  public readonly serviceAccount: SparkServiceAccount;

  constructor(scope: Construct, id: string, props: SparkApplicationProps) {
    super(scope, id);
    ({ name: this.name, namespace: this.namespace, serviceAccount: this.serviceAccount }
      = resolveJobIdentity(this, props, SPARK_APPLICATION_NAME_MAX));
    this.jobNamespace = this.namespace;

    const spec = renderSparkApplicationSpec(this, props, this.serviceAccount);
    if (props.suspend !== undefined) {
      spec.suspend = props.suspend;
    }
    this.apiObject = createCheckedJobObject(this, {
      apiVersion: SPARK_OPERATOR_API_VERSION,
      kind: 'SparkApplication',
      metadata: { name: this.name, namespace: this.namespace },
      spec,
    }, SPARK_APPLICATION_SPEC);
    SparkJobs.register(this);
  }
}

function count(where: string, property: string, value: number): number {
  check(Number.isInteger(value) && value >= 0 && value < 2 ** 31, where, property, value, 'a whole number of at least 0');
  return value;
}

function seconds(where: string, property: string, value: Duration): number {
  const ms = value.toMilliseconds();
  check(ms >= 1000 && ms % 1000 === 0, where, property, `${ms} ms`, 'a whole number of seconds, at least 1');
  return ms / 1000;
}
