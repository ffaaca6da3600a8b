import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { checkConnectProps, guardConnectInputs, renderConnectSpec } from './private/connect/render';
import { checkSparkConnectRules } from './private/connect/rules';
import { SparkConnectServerProps } from './spark-connect-server-props';
import { brand, isBranded } from '../core/brand';
import { check, invalidInput } from '../core/errors';
import { DnsNames } from '../core/names';
import { SparkImage } from '../core/spark-image';
import { SparkJobs } from '../jobs/spark-job';
import { ISparkJob, SparkJobKind } from '../jobs/spark-job-kind';
import { ISparkServiceAccount, SparkServiceAccount } from '../jobs/spark-service-account';

/** The API version of the Spark operator's SparkConnect resource (kubeflow/spark-operator v2.5.2 api/v1alpha1). */
export const SPARK_CONNECT_API_VERSION = 'sparkoperator.k8s.io/v1alpha1';

/** The gRPC port of a Spark Connect server, which clients dial (`spark.connect.grpc.binding.port`'s default; the operator's Service). */
export const SPARK_CONNECT_PORT = 15002;

/**
 * The longest SparkConnectServer name: the operator makes it the executors'
 * pod name prefix (`spark.kubernetes.executor.podNamePrefix`,
 * internal/controller/sparkconnect/options.go), which Spark limits to 47
 * characters (`<prefix>-exec-<id>` within 63). The webhook's own limit, 56
 * (`<name>-server`, internal/webhook/sparkconnect_validator.go), then holds too.
 */
export const SPARK_CONNECT_SERVER_NAME_MAX = 47;

/**
 * A Spark Connect server run by the Spark operator: a
 * `sparkoperator.k8s.io/v1alpha1` SparkConnect. The operator creates the
 * server pod `<name>-server` (a client-mode driver running
 * `start-connect-server.sh`), a ConfigMap with the executor pod template,
 * and the Service clients dial at {@link connectUrl}.
 *
 * The pod templates carry restricted security contexts with the image's
 * uid, the server's resources (heap + overhead) and its ServiceAccount; the
 * executors get no API token. The spec is checked against the operator's
 * webhook rules and what its controller does with it.
 *
 * @example
 * const connect = new SparkConnectServer(chart, 'Connect', {
 *   namespace: 'analytics',
 *   executor: { cores: 2, memory: SparkMemory.gibibytes(4) },
 *   dynamicAllocation: { minExecutors: 0, maxExecutors: 8 },
 * });
 * // connect.connectUrl: 'sc://<name>-server.analytics.svc.cluster.local:15002'
 */
export class SparkConnectServer extends Construct implements ISparkJob {
  /** True when `x` is a SparkConnectServer (from any copy of the library). */
  public static isSparkConnectServer(x: any): x is SparkConnectServer {
    return isBranded(x, 'SparkConnectServer');
  }

  /** Name of the SparkConnect. */
  public readonly name: string;
  /**
   * Namespace of the server.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The namespace the server and its executors run in. */
  public readonly jobNamespace: string;
  /** Always true: the Spark operator runs the server. */
  public readonly managedByOperator = true;
  /** Always SERVICE: it serves until deleted (Argo CD sync waves put it with the services). */
  public readonly jobKind?: SparkJobKind = SparkJobKind.SERVICE;
  /** The server's ServiceAccount. */
  public readonly serviceAccount: ISparkServiceAccount;
  /** The name of the Service the operator creates. */
  public readonly serviceName: string;
  /** The name of the server pod the operator creates (`<name>-server`). */
  public readonly serverPodName: string;
  /** Where clients connect inside the cluster: `sc://<service>.<namespace>.svc.cluster.local:15002`. */
  public readonly connectUrl: string;
  /** The SparkConnect object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: SparkConnectServerProps = {}) {
    super(scope, id);
    brand(this, 'SparkConnectServer');
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    this.jobNamespace = this.namespace;
    this.name = DnsNames.validateDns1035Label(this, 'name',
      props.name ?? DnsNames.generate(this, { maxLength: SPARK_CONNECT_SERVER_NAME_MAX }), SPARK_CONNECT_SERVER_NAME_MAX);
    const image = props.image ?? SparkImage.apache();
    checkConnectProps(this, props, image);
    this.serviceAccount = props.serviceAccount ?? SparkServiceAccount.forNamespace(this, this.namespace);
    check(this.serviceAccount.namespace === this.namespace, this, 'serviceAccount', this.serviceAccount.node.path,
      `a SparkServiceAccount in the server's namespace "${this.namespace}" (it is in "${this.serviceAccount.namespace}")`);
    this.serverPodName = `${this.name}-server`;
    this.serviceName = props.service?.name !== undefined
      ? DnsNames.validateDns1035Label(this, 'service.name', props.service.name) : `${this.name}-server`;
    this.connectUrl = `sc://${this.serviceName}.${this.namespace}.svc.cluster.local:${SPARK_CONNECT_PORT}`;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: SPARK_CONNECT_API_VERSION,
      kind: 'SparkConnect',
      metadata: { name: this.name, namespace: this.namespace },
      spec: renderConnectSpec(this, props, { image, serviceAccount: this.serviceAccount, name: this.name }),
    });
    // Escape hatches may change the spec after construction: its rules are checked again at synth.
    this.node.addValidation({
      validate: () => checkSparkConnectRules(this.apiObject.toJson().spec, this.name)
        .map((p) => invalidInput(this, p.path, p.value, p.message).message),
    });
    guardConnectInputs(this, props);
    SparkJobs.register(this);
  }
}
