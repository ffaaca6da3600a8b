import { ApiObject } from 'cdk8s';
import { EnvValue } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { declareJobUiNeeds } from './job-events';
import { checkSpecInputs, guardSpecInputs, refuseTypedPropKey } from './job-inputs';
import { addOperatorArgument, addOperatorEnv, addOperatorSparkConf, addOperatorVolumeMount, JobApiObject } from './private/operator-render';
import { SparkApplicationSpecProps } from './spark-application-spec';
import { SparkJobBase } from './spark-job-base';
import { SparkPodRole } from './spark-job-spec';
import { ISparkServiceAccount } from './spark-service-account';
import { SparkImage } from '../core/spark-image';
import { refusePrometheusMetricsKey } from '../core/spark-prometheus';
import { SparkVolumeMount } from '../core/volume-mount';

/** What an operator runner gives {@link SparkOperatorJobBase}. */
export interface SparkOperatorJobBaseProps {
  /**
   * Name of the job.
   * @default - derived from the construct path
   */
  readonly name?: string;
  /** The longest name the runner allows. */
  readonly maxNameLength: number;
  /** What the operator runs. */
  readonly spec: SparkApplicationSpecProps;
}

/**
 * The Spark operator runner, shared by {@link SparkApplication} and
 * {@link ScheduledSparkApplication}: the driver ServiceAccount, the image,
 * the guarded inputs and the mutators, which edit the checked object the
 * runner hands over with {@link adoptResource}.
 */
export abstract class SparkOperatorJobBase extends SparkJobBase {
  /** The driver's ServiceAccount. */
  public readonly serviceAccount: ISparkServiceAccount;
  /** The image of the driver and executors. */
  protected readonly image: SparkImage;
  private resource?: JobApiObject;
  /** How many variables of each role the user gave (props, then adds): added ones go after them, before the library's own. */
  private readonly userEnvCount: { [role: string]: number };
  /** The same for volume mounts, and for the volumes. */
  private readonly userMountCount: { [role: string]: number };
  private userVolumeCount: number;
  /** The job serves Prometheus metrics: its keys are refused in added conf. */
  private readonly prometheusMetrics: boolean;

  protected constructor(scope: Construct, id: string, props: SparkOperatorJobBaseProps) {
    const spec = props.spec;
    super(scope, id, {
      name: props.name, namespace: spec.namespace, namespaceRef: spec.namespaceRef, maxNameLength: props.maxNameLength, managedByOperator: true,
    });
    checkSpecInputs(this, spec);
    this.serviceAccount = this.resolveServiceAccount('the application\'s', spec.serviceAccount);
    this.image = spec.image ?? SparkImage.apache();
    this.prometheusMetrics = spec.prometheusMetrics === true;
    this.userEnvCount = {
      [SparkPodRole.DRIVER]: Object.keys(spec.driver?.env ?? {}).length,
      [SparkPodRole.EXECUTOR]: Object.keys(spec.executor?.env ?? {}).length,
    };
    this.userMountCount = {
      [SparkPodRole.DRIVER]: spec.driver?.volumeMounts?.length ?? 0,
      [SparkPodRole.EXECUTOR]: spec.executor?.volumeMounts?.length ?? 0,
    };
    const mounted = [spec.driver, spec.executor].flatMap((p) => (p?.volumeMounts ?? []).map((m) => m.volume));
    this.userVolumeCount = new Set([...spec.volumes ?? [], ...mounted].map((v) => v.name)).size;
    guardSpecInputs(this, spec, {
      volumes: () => spec.volumes?.map((v) => v.name),
      monitoring: () => spec.monitoring,
      uiService: () => spec.uiService,
      uiIngress: () => spec.uiIngress,
    });
    if (spec.uiService !== undefined || spec.uiIngress !== undefined) {
      // The app's operator install checks that it creates what these ask for.
      declareJobUiNeeds({ job: this, service: spec.uiService !== undefined, ingress: spec.uiIngress !== undefined });
    }
  }

  /** The SparkApplication or ScheduledSparkApplication object. */
  public get apiObject(): ApiObject {
    return this.checkedResource();
  }

  /** Takes the runner's checked object (made with the internal renderer); the mutators edit it. */
  protected adoptResource(resource: ApiObject): void {
    this.resource = resource as JobApiObject;
  }

  protected applyArgument(argument: string): void {
    addOperatorArgument(this.checkedResource(), argument);
  }

  protected applySparkConf(key: string, value: string): void {
    refuseTypedPropKey(this, key);
    if (this.prometheusMetrics) {
      refusePrometheusMetricsKey(this, key);
    }
    addOperatorSparkConf(this, this.checkedResource(), this.image, key, value);
  }

  protected applyEnv(role: SparkPodRole, name: string, value: EnvValue): void {
    addOperatorEnv(this, this.checkedResource(), role === SparkPodRole.DRIVER ? 'driver' : 'executor', name, value, this.userEnvCount[role]);
    this.userEnvCount[role]++;
  }

  protected applyVolumeMount(role: SparkPodRole, mount: SparkVolumeMount): void {
    const index = { mount: this.userMountCount[role], volume: this.userVolumeCount };
    if (addOperatorVolumeMount(this, this.checkedResource(), role === SparkPodRole.DRIVER ? 'driver' : 'executor', mount, index)) {
      this.userVolumeCount++;
    }
    this.userMountCount[role]++;
  }

  private checkedResource(): JobApiObject {
    if (this.resource === undefined) {
      throw new Error(`${this.node.path}: the runner has not adopted its resource yet`);
    }
    return this.resource;
  }
}
