import { Duration } from 'cdk8s';
import { ContainerResources, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { EventLogStore } from '../core/event-log-store';
import { renderSubmit } from './private/submit/render';
import { EXIT_DRIVER_FAILED, EXIT_OUTCOME_UNKNOWN } from './private/submit/script';
import {
  DeployMode, SparkApplicationType, SparkDependencies, SparkDriverProps, SparkDynamicAllocation, SparkExecutorProps,
} from './spark-application';
import { ISparkJob, SparkJobs } from './spark-job';
import { SparkServiceAccount } from './spark-service-account';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';

/**
 * The longest SparkSubmitJob name. The submit pod is named
 * `<job>-<5 random characters>` and the driver pod `<submit pod>-driver`,
 * which must stay a DNS label of at most 63 characters.
 */
export const SPARK_SUBMIT_JOB_NAME_MAX = 63 - '-driver'.length - '-xxxxx'.length;

/** Where a client-mode driver listens (it runs in the submit pod). */
export interface SparkSubmitClientModeOptions {
  /**
   * `spark.driver.port`: executors connect to the driver here (1024-65535).
   * @default 7078
   */
  readonly driverPort?: number;
  /**
   * `spark.blockManager.port` of the driver (1024-65535).
   * @default 7079
   */
  readonly blockManagerPort?: number;
  /**
   * Serve the Spark UI.
   * @default true
   */
  readonly ui?: boolean;
  /**
   * `spark.ui.port` (1024-65535).
   * @default 4040
   */
  readonly uiPort?: number;
}

/**
 * What a `spark-submit` Job runs and how: shared by {@link SparkSubmitJob}
 * and the job template of {@link ScheduledSparkSubmitJob}.
 */
export interface SparkSubmitJobSpecProps {
  /**
   * Namespace of the Job; the driver and executors run there too.
   * @default - the chart's namespace, else 'default'
   */
  readonly namespace?: string;
  /** The language. */
  readonly type: SparkApplicationType;
  /**
   * Where the driver runs: in its own pod created by spark-submit (cluster),
   * or inside the submit pod itself (client).
   * @default DeployMode.CLUSTER
   */
  readonly mode?: DeployMode;
  /**
   * Ports of the driver in client mode; only with `mode: DeployMode.CLIENT`.
   * @default - driver 7078, block manager 7079, UI on 4040
   */
  readonly clientMode?: SparkSubmitClientModeOptions;
  /**
   * The image of the submit pod, the driver and the executors. Its facts
   * are checked at synth: cluster mode needs `bash` and curl or wget in it
   * (the wrapper reads the driver's outcome with them), and every mode a
   * passwd entry for its uid (Hadoop's login in spark-submit, the driver and
   * the executors). The Apache Spark images have all of them.
   * @default SparkImage.apache()
   */
  readonly image?: SparkImage;
  /**
   * Entry class of a Scala or Java application (required for them:
   * spark-submit cannot read the manifest of a jar it does not hold).
   * @default - none (Python and R applications)
   */
  readonly mainClass?: string;
  /**
   * The application jar, Python or R file: `local:///...` inside the image,
   * or a URL Spark downloads (`https://`, `s3a://`, `hdfs://`...).
   */
  readonly mainApplicationFile: string;
  /**
   * Arguments passed to the application.
   * @default - none
   */
  readonly arguments?: string[];
  /**
   * Spark configuration, merged with what the props set; a key set to two
   * different values is an error. Keys the construct manages (`spark.master`,
   * image, namespace, service account, pod names and templates...) are refused.
   * @default - none
   */
  readonly sparkConf?: SparkConf;
  /**
   * Dependencies fetched at start.
   * @default - none
   */
  readonly deps?: SparkDependencies;
  /**
   * The driver. In cluster mode these props shape the driver pod (through a
   * pod template); in client mode, the submit pod, which is the driver.
   * `memoryLimit` is not supported (Spark sets the limit to the request), nor
   * `template` in client mode.
   * @default - 1 core, 512 MiB heap, restricted security context
   */
  readonly driver?: SparkDriverProps;
  /**
   * The executors (shaped through a pod template; `memoryLimit` is not supported).
   * @default - 1 executor of 1 core and 512 MiB heap, restricted security context
   */
  readonly executor?: SparkExecutorProps;
  /**
   * Dynamic allocation of executors.
   * @default - a fixed number of executors
   */
  readonly dynamicAllocation?: SparkDynamicAllocation;
  /**
   * Fraction of the heap added as memory overhead when none is given.
   * @default - Spark's: 0.1, 0.4 for Python and R
   */
  readonly memoryOverheadFactor?: number;
  /**
   * The driver's ServiceAccount; it must be in the Job's namespace.
   * @default SparkServiceAccount.forNamespace(this, namespace)
   */
  readonly serviceAccount?: SparkServiceAccount;
  /**
   * Write the application's event log here (for a history server reading
   * the same store). Credentials reach the driver as Secret references.
   * @default - no event log
   */
  readonly eventLog?: EventLogStore;
  /**
   * Retries of a failed submit pod. Each retry runs the whole application
   * again, so it is off by default.
   * @default 0
   */
  readonly backoffLimit?: number;
  /**
   * Stop the Job (and, through ownership, its driver and executors) after
   * this long (whole seconds).
   * @default - no deadline
   */
  readonly activeDeadline?: Duration;
  /**
   * Delete the finished Job this long after it ends (whole seconds); the
   * driver and executor pods go with it.
   * @default - kept until deleted
   */
  readonly ttlAfterFinished?: Duration;
  /**
   * How pod failures count against `backoffLimit`, e.g. fail the Job at once
   * on exit code {@link SparkSubmitJob.EXIT_DRIVER_FAILED}.
   * @default - every failure counts
   */
  readonly podFailurePolicy?: k8s.PodFailurePolicy;
  /**
   * Resources of the submit container in cluster mode (in client mode the
   * driver props size it).
   * @default - requests 100m CPU / 512 MiB, limits 1 CPU / 512 MiB
   */
  readonly submitterResources?: ContainerResources;
}

/** Properties of {@link SparkSubmitJob}. */
export interface SparkSubmitJobProps extends SparkSubmitJobSpecProps {
  /**
   * Name of the Job (and of `spark.app.name`): a DNS-1035 label of at most
   * 50 characters.
   * @default - derived from the construct path
   */
  readonly name?: string;
}

/**
 * A Spark application submitted with `spark-submit` from a Kubernetes Job,
 * without the Spark operator: one submit pod per run, talking to the
 * in-cluster API server.
 *
 * In cluster mode the submit pod (its own least-privilege ServiceAccount)
 * creates the driver pod and waits for it, then exits non-zero when the
 * driver failed, so the Job's status is the application's. The driver pod is
 * owned by the submit pod and the executors by the driver, so deleting the Job
 * cleans up everything. In client mode the submit pod is the driver, reached
 * by its executors through a headless Service.
 *
 * Driver and executor pods get restricted security contexts through pod
 * templates kept in a ConfigMap.
 */
export class SparkSubmitJob extends Construct implements ISparkJob {
  /** Exit code of the submit pod when the driver pod failed (cluster mode). */
  public static readonly EXIT_DRIVER_FAILED: number = EXIT_DRIVER_FAILED;
  /** Exit code of the submit pod when the driver's outcome could not be read (cluster mode). */
  public static readonly EXIT_OUTCOME_UNKNOWN: number = EXIT_OUTCOME_UNKNOWN;

  /** The Job. */
  public readonly job: k8s.KubeJob;
  /** Name of the Job and of the Spark application. */
  public readonly name: string;
  /** Namespace of the Job. */
  public readonly namespace: string;
  /** The namespace the driver and executors run in (same as `namespace`). */
  public readonly jobNamespace: string;
  /** Always false: spark-submit runs it, not the operator. */
  public readonly managedByOperator = false;
  /** Where the driver runs. */
  public readonly mode: DeployMode;
  /** The submit pod's ServiceAccount (cluster mode; in client mode the submit pod uses the driver's). */
  public readonly submitterServiceAccount?: k8s.KubeServiceAccount;
  /** The submit pod's Role (cluster mode). */
  public readonly role?: k8s.KubeRole;
  /** The submit pod's RoleBinding (cluster mode). */
  public readonly roleBinding?: k8s.KubeRoleBinding;
  /** The driver's ServiceAccount. */
  public readonly driverServiceAccount: SparkServiceAccount;
  /** The configuration passed to spark-submit (besides the per-run driver pod name). */
  public readonly conf: SparkConf;
  /** The event log store, if any. */
  public readonly eventLog?: EventLogStore;
  /** The ConfigMap holding the pod templates (and the cluster-mode wrapper script). */
  public readonly configMap: k8s.KubeConfigMap;
  /** The headless Service of the client-mode driver. */
  public readonly driverService?: k8s.KubeService;

  constructor(scope: Construct, id: string, props: SparkSubmitJobProps) {
    super(scope, id);
    const r = renderSubmit(this, props, SPARK_SUBMIT_JOB_NAME_MAX);
    this.name = r.name;
    this.namespace = r.namespace;
    this.jobNamespace = r.namespace;
    this.mode = r.mode;
    this.submitterServiceAccount = r.serviceAccount;
    this.role = r.role;
    this.roleBinding = r.roleBinding;
    this.driverServiceAccount = r.driverServiceAccount;
    this.conf = r.conf;
    this.eventLog = props.eventLog;
    this.configMap = r.configMap;
    this.driverService = r.driverService;

    this.job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: r.labels },
      spec: r.jobSpec,
    });
    SparkJobs.register(this);
  }
}
