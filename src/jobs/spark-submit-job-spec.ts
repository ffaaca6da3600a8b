import { Duration } from 'cdk8s';
import { ContainerResources, k8s } from 'cdk8s-plus-28';
import { SparkJobSpecOptions } from './spark-job-spec';
import type { WorkloadPodOptions } from '../core/workload-pod-options';

// The vocabulary of native spark-submit jobs (SparkSubmitJob, ScheduledSparkSubmitJob).

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
 * and the job template of {@link ScheduledSparkSubmitJob}. The props common
 * to every job kind come from {@link SparkJobSpecOptions}; in cluster mode
 * the driver and executor props shape their pods through pod templates, and
 * cluster mode needs `bash` and curl or wget in the image (the wrapper reads
 * the driver's outcome with them).
 */
export interface SparkSubmitJobSpecProps extends SparkJobSpecOptions {
  /**
   * Ports of the driver in client mode; only with `mode: DeployMode.CLIENT`.
   * @default - driver 7078, block manager 7079, UI on 4040
   */
  readonly clientMode?: SparkSubmitClientModeOptions;
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
  /**
   * Where and how the submit pod runs (node selector, tolerations, affinity,
   * priority class, labels, annotations, image pull secrets, init
   * containers). In client mode the submit pod is the driver: these add to
   * the driver props. Sidecars are refused: the submit pod is a Job's, and a
   * container that keeps running would keep the Job from completing.
   * @default - none beyond the driver props in client mode
   */
  readonly submitterPod?: WorkloadPodOptions;
}
