import { Duration } from 'cdk8s';
import { EnvValue, IConfigMap, ISecret, k8s } from 'cdk8s-plus-28';
import { ISparkServiceAccount } from './spark-service-account';
import { EventLogJobOptions, EventLogStore } from '../core/event-log-store';
import { INamespaceRef } from '../core/kube-refs';
import { PodRuntimeOptions } from '../core/pod-runtime-options';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';
import { SparkMemory } from '../core/spark-memory';
import { SparkVolumeMount } from '../core/volume-mount';
import { RemoteShuffleService } from '../shuffle/remote-shuffle-service';

// The vocabulary of Spark jobs, shared by every job kind (operator, native
// spark-submit, standalone): it lives apart from the constructs so that the
// renderers and the constructs both depend on it and not on each other.

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
   *
   * spark-submit resolves them with Ivy, and in cluster mode the driver does
   * again. Ivy's cache defaults to the home directory of the image's user,
   * which the official images do not have, so a job with packages gets
   * `spark.jars.ivy` set to `/tmp/.ivy2` unless its sparkConf sets
   * `spark.jars.ivy` (an Ivy settings file does not place Ivy's directory).
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

/**
 * What the driver and the executors have in common. The runtime options
 * ({@link PodRuntimeOptions}) reach a SparkApplication's pods through the
 * operator's fields (hostUsers, which it has no field for, through the pod
 * template), and a SparkSubmitJob's through its pod templates.
 */
export interface SparkPodProps extends PodRuntimeOptions {
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
 * Dynamic allocation of executors. Without a remote shuffle service (the
 * job's `shuffle`), shuffle tracking is on: Kubernetes has no external
 * shuffle service, so executors holding shuffle data must be kept. With one,
 * executors hold no shuffle data and shuffle tracking is off.
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
   * How long executors holding shuffle data are kept while idle; not with a
   * remote shuffle service (`shuffle`), which keeps no shuffle data on executors.
   * @default - as long as the shuffle data is referenced
   */
  readonly shuffleTrackingTimeout?: Duration;
}


/** The two kinds of pods of a Spark application. */
export enum SparkPodRole {
  /** The driver. */
  DRIVER = 'driver',
  /** The executors. */
  EXECUTOR = 'executor',
}

/** What happens when a run of a scheduled job is due while the previous one is still running. */
export enum ConcurrencyPolicy {
  /** Start it anyway; runs may overlap. */
  ALLOW = 'Allow',
  /** Skip it. */
  FORBID = 'Forbid',
  /** Stop the running one and start the new one. */
  REPLACE = 'Replace',
}

/**
 * What every Kubernetes-native Spark job runs and how, whoever submits it:
 * the Spark operator ({@link SparkApplicationSpecProps}) or `spark-submit` in
 * a Job ({@link SparkSubmitJobSpecProps}). Each prop works for both.
 */
export interface SparkJobSpecOptions {
  /**
   * Namespace of the job; its driver and executors run there.
   * @default - the chart's namespace, else 'default'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;
  /**
   * The namespace as an object: a cdk8s-plus Namespace of any 2.x line, or a
   * KubeNamespace (e.g. a SparkTenant's `namespaceObject`). Its name is the
   * namespace (`namespace`, if given too, must repeat it), and when the app
   * emits it, it is applied before the job's objects.
   * @default - `namespace` names it
   */
  readonly namespaceRef?: INamespaceRef;
  /**
   * The language.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly type: SparkApplicationType;
  /**
   * Where the driver runs: in its own pod (cluster), or in the submitting
   * pod (client: the operator's submission pod, or a SparkSubmitJob's submit pod).
   * @default DeployMode.CLUSTER
   */
  readonly mode?: DeployMode;
  /**
   * The image of the driver and executors (and of a SparkSubmitJob's submit
   * pod); its Spark version and facts (uid, tools) are used and checked.
   * @default SparkImage.apache()
   */
  readonly image?: SparkImage;
  /**
   * Entry class of a Scala or Java application. A SparkSubmitJob requires it
   * for them (spark-submit cannot read the manifest of a jar it does not hold).
   * @default - the Main-Class of the jar's manifest (operator); none for Python and R
   */
  readonly mainClass?: string;
  /** The application jar, Python or R file: `local://` inside the image, or a URL Spark downloads. */
  readonly mainApplicationFile: string;
  /**
   * Arguments passed to the application (more with the job's `addArgument`).
   * @default - none
   */
  readonly arguments?: string[];
  /**
   * Spark configuration, merged with what the props set; a key set to two
   * different values is an error. Keys the typed props manage
   * (`spark.master`, image, namespace, service account, app name...) are
   * refused. More with the job's `addSparkConf`.
   * @default - none
   */
  readonly sparkConf?: SparkConf;
  /**
   * Hadoop configuration, keys without the `spark.hadoop.` prefix: Spark
   * copies every `spark.hadoop.<key>` into the Hadoop configuration of the
   * driver and executors (apache/spark docs/configuration.md, "Custom
   * Hadoop/Hive Configuration").
   * @default - none
   */
  readonly hadoopConf?: { [key: string]: string };
  /**
   * Dependencies fetched at start.
   * @default - none
   */
  readonly deps?: SparkDependencies;
  /**
   * The driver. For a SparkSubmitJob in client mode these props shape the
   * submit pod, which is the driver; `memoryLimit` is not supported there
   * (spark-submit sets the limit to the request).
   * @default - 1 core, 512 MiB heap, restricted security context
   */
  readonly driver?: SparkDriverProps;
  /**
   * The executors.
   * @default - 1 executor of 1 core and 512 MiB heap, restricted security context
   */
  readonly executor?: SparkExecutorProps;
  /**
   * Node labels both driver and executors must be scheduled on (for
   * spark-submit: `spark.kubernetes.node.selector.<label>`, apache/spark
   * docs/running-on-kubernetes.md). Not together with the driver's or the
   * executors' own `nodeSelector`.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Dynamic allocation of executors.
   * @default - a fixed number of executors
   */
  readonly dynamicAllocation?: SparkDynamicAllocation;
  /**
   * A remote shuffle service (Apache Celeborn) the executors write their
   * shuffle data to: the job gets its shuffle manager, masters and client
   * jar, Spark's external shuffle service off, and dynamic allocation
   * without shuffle tracking (Spark 3.5 or later). A {@link CelebornCluster}'s
   * `shuffleService`, or {@link RemoteShuffleService.fromEndpoints} for one
   * installed elsewhere.
   * @default - shuffle data stays on the executors
   */
  readonly shuffle?: RemoteShuffleService;
  /**
   * Fraction of the heap added as memory overhead when none is given.
   * @default - Spark's: 0.1, 0.4 for Python and R
   */
  readonly memoryOverheadFactor?: number;
  /**
   * The driver's ServiceAccount; it must be in the job's namespace. A
   * {@link SparkServiceAccount}, a cdk8s-plus ServiceAccount
   * ({@link SparkServiceAccount.fromServiceAccount}: the job's objects apply
   * after it), or one made elsewhere ({@link SparkServiceAccount.fromName}).
   * @default SparkServiceAccount.forNamespace(this, namespace)
   */
  readonly serviceAccount?: ISparkServiceAccount;
  /**
   * User to impersonate when submitting (Hadoop proxy user: the operator's
   * `proxyUser`, spark-submit's `--proxy-user`).
   * @default - none
   */
  readonly proxyUser?: string;
  /**
   * Where the driver writes the application's event log, for a
   * SparkHistoryServer reading the same store. Its configuration is merged
   * into `sparkConf` (a conflicting key is an error); its credentials reach
   * the driver and a volume store is mounted into the driver.
   * @default - no event log
   */
  readonly eventLog?: EventLogStore;
  /**
   * How the event log is written (e.g. rolling files); only with `eventLog`.
   * @default - one event log file per application
   */
  readonly eventLogOptions?: EventLogJobOptions;
  /**
   * Serve the metrics of the driver and the executors in Prometheus format
   * on the driver's web UI: the driver's at `/metrics/prometheus` (Spark's
   * PrometheusServlet sink) and every executor's at
   * `/metrics/executors/prometheus` (`spark.ui.prometheus.enabled`,
   * experimental in Spark 3). The driver pod is labelled
   * `spark-metrics: prometheus`, which the PodMonitor of a
   * {@link SparkJobMonitoring} (e.g. a tenant's `monitoring`) scrapes. While
   * on, the keys it sets and `spark.ui.enabled` are refused in `sparkConf`.
   * @default false
   */
  readonly prometheusMetrics?: boolean;
}
