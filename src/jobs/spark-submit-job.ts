import { k8s, EnvValue } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { guardSpecInputs } from './job-inputs';
import { EventLogStore } from '../core/event-log-store';
import { RenderedSubmit, renderSubmit } from './private/submit/render';
import { EXIT_DRIVER_FAILED, EXIT_OUTCOME_UNKNOWN } from './private/submit/script';
import { SparkJobBase } from './spark-job-base';
import { DeployMode, SparkPodRole } from './spark-job-spec';
import { ISparkServiceAccount } from './spark-service-account';
import { SparkSubmitJobSpecProps } from './spark-submit-job-spec';
import { SparkConf } from '../core/spark-conf';

/**
 * The longest SparkSubmitJob name. The submit pod is named
 * `<job>-<5 random characters>` and the driver pod `<submit pod>-driver`,
 * which must stay a DNS label of at most 63 characters.
 */
export const SPARK_SUBMIT_JOB_NAME_MAX = 63 - '-driver'.length - '-xxxxx'.length;

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
export class SparkSubmitJob extends SparkJobBase {
  /** Exit code of the submit pod when the driver pod failed (cluster mode). */
  public static readonly EXIT_DRIVER_FAILED: number = EXIT_DRIVER_FAILED;
  /** Exit code of the submit pod when the driver's outcome could not be read (cluster mode). */
  public static readonly EXIT_OUTCOME_UNKNOWN: number = EXIT_OUTCOME_UNKNOWN;

  /** The Job. */
  public readonly job: k8s.KubeJob;
  /** Where the driver runs. */
  public readonly mode: DeployMode;
  /** The submit pod's ServiceAccount (cluster mode; in client mode the submit pod uses the driver's). */
  public readonly submitterServiceAccount?: k8s.KubeServiceAccount;
  /** The submit pod's Role (cluster mode). */
  public readonly role?: k8s.KubeRole;
  /** The submit pod's RoleBinding (cluster mode). */
  public readonly roleBinding?: k8s.KubeRoleBinding;
  /** The driver's ServiceAccount. */
  public readonly driverServiceAccount: ISparkServiceAccount;
  /** The event log store, if any. */
  public readonly eventLog?: EventLogStore;
  /** The ConfigMap holding the pod templates (and the cluster-mode wrapper script). */
  public readonly configMap: k8s.KubeConfigMap;
  /** The headless Service of the client-mode driver. */
  public readonly driverService?: k8s.KubeService;
  private readonly rendered: RenderedSubmit;

  constructor(scope: Construct, id: string, props: SparkSubmitJobProps) {
    super(scope, id, { name: props.name, namespace: props.namespace, maxNameLength: SPARK_SUBMIT_JOB_NAME_MAX, managedByOperator: false });
    this.driverServiceAccount = this.resolveServiceAccount('the Job\'s', props.serviceAccount);
    const r = renderSubmit(this, props, { name: this.name, namespace: this.namespace, driverServiceAccount: this.driverServiceAccount });
    this.rendered = r;
    this.mode = r.mode;
    this.submitterServiceAccount = r.serviceAccount;
    this.role = r.role;
    this.roleBinding = r.roleBinding;
    this.eventLog = props.eventLog;
    this.configMap = r.configMap;
    this.driverService = r.driverService;

    this.job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels: r.labels },
      spec: r.jobSpec,
    });
    guardSpecInputs(this, props, { clientMode: () => props.clientMode, podFailurePolicy: () => props.podFailurePolicy });
    this.registerJob();
  }

  /** The configuration passed to spark-submit (besides the per-run driver pod name), with what addSparkConf added so far. */
  public get conf(): SparkConf {
    return this.rendered.conf();
  }

  protected applyArgument(argument: string): void {
    this.rendered.addArgument(argument);
  }

  protected applySparkConf(key: string, value: string): void {
    this.rendered.addSparkConf(key, value);
  }

  protected applyEnv(role: SparkPodRole, name: string, value: EnvValue): void {
    this.rendered.addEnv(role === SparkPodRole.DRIVER ? 'driver' : 'executor', name, value);
  }
}
