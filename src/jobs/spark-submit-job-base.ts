import { EnvValue, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkSpecInputs, guardSpecInputs, refuseTypedPropKey } from './job-inputs';
import { RenderedSubmit, renderSubmit } from './private/submit/render';
import { SparkJobBase } from './spark-job-base';
import { DeployMode, SparkPodRole } from './spark-job-spec';
import { ISparkServiceAccount } from './spark-service-account';
import { SparkSubmitJobSpecProps } from './spark-submit-job-spec';
import { EventLogStore } from '../core/event-log-store';
import { SparkConf } from '../core/spark-conf';
import { refusePrometheusMetricsKey } from '../core/spark-prometheus';
import { SparkVolumeMount } from '../core/volume-mount';

/** What a native spark-submit runner gives {@link SparkSubmitJobBase}. */
export interface SparkSubmitJobBaseProps {
  /**
   * Name of the job.
   * @default - derived from the construct path
   */
  readonly name?: string;
  /** The longest name the runner allows. */
  readonly maxNameLength: number;
  /** What to submit and how. */
  readonly spec: SparkSubmitJobSpecProps;
}

/**
 * The native spark-submit runner: the submit pod, its RBAC, the pod-template
 * ConfigMap and the client-mode driver Service, shared by
 * {@link SparkSubmitJob} (a Job) and {@link ScheduledSparkSubmitJob} (a
 * CronJob), which wrap {@link submitJobSpec} in their own object.
 */
export abstract class SparkSubmitJobBase extends SparkJobBase {
  /** Where the driver runs. */
  public readonly mode: DeployMode;
  /** The submit pods' ServiceAccount (cluster mode; in client mode the submit pod uses the driver's). */
  public readonly submitterServiceAccount?: k8s.KubeServiceAccount;
  /** The submit pods' Role (cluster mode). */
  public readonly role?: k8s.KubeRole;
  /** The submit pods' RoleBinding (cluster mode). */
  public readonly roleBinding?: k8s.KubeRoleBinding;
  /** The driver's ServiceAccount. */
  public readonly driverServiceAccount: ISparkServiceAccount;
  /** The event log store, if any. */
  public readonly eventLog?: EventLogStore;
  /** The ConfigMap holding the pod templates (and the cluster-mode wrapper script). */
  public readonly configMap: k8s.KubeConfigMap;
  /** The headless Service of the client-mode driver. */
  public readonly driverService?: k8s.KubeService;
  /** Labels of the Job or CronJob. */
  protected readonly submitLabels: { [key: string]: string };
  /** The spec of the Job (or of the CronJob's Job template); its pod template is rendered at synth, with what the mutators added. */
  protected readonly submitJobSpec: k8s.JobSpec;
  private readonly rendered: RenderedSubmit;
  /** The job serves Prometheus metrics: its keys are refused in added conf. */
  private readonly prometheusMetrics: boolean;

  protected constructor(scope: Construct, id: string, props: SparkSubmitJobBaseProps) {
    const spec = props.spec;
    super(scope, id, {
      name: props.name, namespace: spec.namespace, namespaceRef: spec.namespaceRef, maxNameLength: props.maxNameLength, managedByOperator: false,
    });
    checkSpecInputs(this, spec);
    this.driverServiceAccount = this.resolveServiceAccount('the Job\'s', spec.serviceAccount);
    this.prometheusMetrics = spec.prometheusMetrics === true;
    const r = renderSubmit(this, spec, { name: this.name, namespace: this.namespace, driverServiceAccount: this.driverServiceAccount });
    this.rendered = r;
    this.mode = r.mode;
    this.submitterServiceAccount = r.serviceAccount;
    this.role = r.role;
    this.roleBinding = r.roleBinding;
    this.eventLog = spec.eventLog;
    this.configMap = r.configMap;
    this.driverService = r.driverService;
    this.submitLabels = r.labels;
    this.submitJobSpec = r.jobSpec;
    guardSpecInputs(this, spec, { clientMode: () => spec.clientMode, podFailurePolicy: () => spec.podFailurePolicy });
  }

  /** The configuration passed to spark-submit (besides the per-run driver pod name), with what addSparkConf added so far. */
  public get conf(): SparkConf {
    return this.rendered.conf();
  }

  protected applyArgument(argument: string): void {
    this.rendered.addArgument(argument);
  }

  protected applySparkConf(key: string, value: string): void {
    refuseTypedPropKey(this, key);
    if (this.prometheusMetrics) {
      refusePrometheusMetricsKey(this, key);
    }
    this.rendered.addSparkConf(key, value);
  }

  protected applyVolumeMount(role: SparkPodRole, mount: SparkVolumeMount): void {
    this.rendered.addVolumeMount(role === SparkPodRole.DRIVER ? 'driver' : 'executor', mount);
  }

  protected applyEnv(role: SparkPodRole, name: string, value: EnvValue): void {
    this.rendered.addEnv(role === SparkPodRole.DRIVER ? 'driver' : 'executor', name, value);
  }
}
