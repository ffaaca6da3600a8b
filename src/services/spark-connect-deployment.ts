import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { executorTemplateFile, EXECUTOR_TEMPLATE_FILE, nativeConnectConf, nativeServerParts, serverPodLabels } from './private/connect/native';
import { checkConnectProps, guardConnectInputs, serverPodSpec } from './private/connect/render';
import { SPARK_CONNECT_PORT, SPARK_CONNECT_SERVER_NAME_MAX } from './spark-connect-server';
import { SparkConnectServerProps, SparkConnectServiceType } from './spark-connect-server-props';
import { brand, isBranded } from '../core/brand';
import { clientModeDriverService } from '../core/client-mode';
import { check } from '../core/errors';
import { StandardLabels } from '../core/labels';
import { DnsNames } from '../core/names';
import { singlePodDeployment } from '../core/single-pod-deployment';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';
import { annotations, enumValue, labels as checkLabels } from '../core/validate';
import { SparkJobs } from '../jobs/spark-job';
import { ISparkJob, SparkJobKind } from '../jobs/spark-job-kind';
import { ISparkServiceAccount, SparkServiceAccount } from '../jobs/spark-service-account';

/**
 * A Spark Connect server without the Spark operator: a one-pod Deployment
 * running `start-connect-server.sh` in the foreground as a client-mode
 * driver, with the executor pod template in a ConfigMap, a headless Service
 * its executors dial back, and the Service clients connect to at
 * {@link connectUrl}. It takes the props of {@link SparkConnectServer} and
 * renders the same pods: sized server (heap + overhead), restricted
 * contexts, executors without an API token.
 *
 * @example
 * const connect = new SparkConnectDeployment(chart, 'Connect', {
 *   namespace: 'analytics',
 *   executor: { cores: 2, memory: SparkMemory.gibibytes(4) },
 *   dynamicAllocation: { minExecutors: 0, maxExecutors: 8 },
 * });
 * // connect.connectUrl: 'sc://<name>.analytics.svc.cluster.local:15002'
 */
export class SparkConnectDeployment extends Construct implements ISparkJob {
  /** True when `x` is a SparkConnectDeployment (from any copy of the library). */
  public static isSparkConnectDeployment(x: any): x is SparkConnectDeployment {
    return isBranded(x, 'SparkConnectDeployment');
  }

  /** Name of the Deployment, the executors' prefix, and by default the client Service. */
  public readonly name: string;
  /**
   * Namespace of the server.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The namespace the server and its executors run in. */
  public readonly jobNamespace: string;
  /** Always false: the server runs spark-submit itself. */
  public readonly managedByOperator = false;
  /** Always SERVICE: it serves until deleted. */
  public readonly jobKind?: SparkJobKind = SparkJobKind.SERVICE;
  /** The server's ServiceAccount. */
  public readonly serviceAccount: ISparkServiceAccount;
  /** The name of the Service clients connect to. */
  public readonly serviceName: string;
  /** Where clients connect inside the cluster: `sc://<service>.<namespace>.svc.cluster.local:15002`. */
  public readonly connectUrl: string;
  /** The Spark configuration the server starts with (read-only). */
  public readonly sparkConf: SparkConf;
  /** The Deployment running the server. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service clients connect to. */
  public readonly service: k8s.KubeService;
  /** The headless Service the executors reach the driver through. */
  public readonly driverService: k8s.KubeService;
  /** The ConfigMap holding the executor pod template. */
  public readonly executorPodTemplate: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: SparkConnectServerProps = {}) {
    super(scope, id);
    brand(this, 'SparkConnectDeployment');
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    this.jobNamespace = this.namespace;
    this.name = DnsNames.validateDns1035Label(this, 'name',
      props.name ?? DnsNames.generate(this, { maxLength: SPARK_CONNECT_SERVER_NAME_MAX }), SPARK_CONNECT_SERVER_NAME_MAX);
    const image = props.image ?? SparkImage.apache();
    checkConnectProps(this, props, image);
    this.serviceAccount = props.serviceAccount ?? SparkServiceAccount.forNamespace(this, this.namespace);
    check(this.serviceAccount.namespace === this.namespace, this, 'serviceAccount', this.serviceAccount.node.path,
      `a SparkServiceAccount in the server's namespace "${this.namespace}" (it is in "${this.serviceAccount.namespace}")`);
    this.serviceName = props.service?.name !== undefined ? DnsNames.validateDns1035Label(this, 'service.name', props.service.name) : this.name;
    check(this.serviceName !== `${this.name}-driver`, this, 'service.name', this.serviceName, 'a name other than the driver\'s headless Service');
    this.connectUrl = `sc://${this.serviceName}.${this.namespace}.svc.cluster.local:${SPARK_CONNECT_PORT}`;

    const labels = StandardLabels.of(this, { name: 'spark-connect', instance: this.name, component: 'server' });
    const ctx = { image, serviceAccount: this.serviceAccount, name: this.name };
    const driver = {
      serviceName: `${this.name}-driver`,
      namespace: this.namespace,
      selector: labels.selector(),
      labels: labels.all(),
      ports: { driver: 7078, blockManager: 7079, ui: 4040 },
    };
    this.sparkConf = nativeConnectConf(this, props, ctx, driver);
    this.executorPodTemplate = new k8s.KubeConfigMap(this, 'ExecutorTemplate', {
      metadata: { name: `${this.name}-executor-template`, namespace: this.namespace, labels: labels.all() },
      data: { [EXECUTOR_TEMPLATE_FILE]: executorTemplateFile(this, props, ctx) },
    });
    const spec = serverPodSpec(this, props, ctx, nativeServerParts(this.sparkConf, this.executorPodTemplate.name));
    checkLabels(this, 'server.labels', props.server?.labels);
    const podAnnotations = annotations(this, 'server.annotations', props.server?.annotations);
    this.deployment = singlePodDeployment(this, this.name, this.namespace, labels, {
      metadata: {
        labels: serverPodLabels(labels.selector(), { ...labels.all(), ...props.server?.labels }),
        ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}),
      },
      spec,
    });
    this.driverService = clientModeDriverService(this, 'DriverService', driver);
    this.service = this.clientService(props, labels);
    guardConnectInputs(this, props);
    SparkJobs.register(this);
  }

  private clientService(props: SparkConnectServerProps, labels: StandardLabels): k8s.KubeService {
    const service = props.service ?? {};
    checkLabels(this, 'service.labels', service.labels);
    const notes = annotations(this, 'service.annotations', service.annotations);
    return new k8s.KubeService(this, 'Service', {
      metadata: {
        name: this.serviceName,
        namespace: this.namespace,
        labels: { ...labels.all(), ...service.labels },
        ...(Object.keys(notes).length > 0 ? { annotations: notes } : {}),
      },
      spec: {
        type: enumValue(this, 'service.type', service.type ?? SparkConnectServiceType.CLUSTER_IP, SparkConnectServiceType),
        selector: labels.selector(),
        ports: [
          { name: 'spark-connect', port: SPARK_CONNECT_PORT, targetPort: k8s.IntOrString.fromNumber(SPARK_CONNECT_PORT), protocol: 'TCP', appProtocol: 'grpc' },
          { name: 'web-ui', port: 4040, targetPort: k8s.IntOrString.fromNumber(4040), protocol: 'TCP' },
        ],
      },
    });
  }
}
