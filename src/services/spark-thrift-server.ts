import { Chart, Size, SizeRoundingBehavior, Yaml } from 'cdk8s';
import { ContainerResources, Cpu, EnvValue, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HiveMetastore, HiveMetastoreKind, HiveSecretSetting } from './hive-metastore';
import { ThriftServerAuthentication, ThriftAuthenticationMode } from './thrift-server-authentication';
import { brand, isBranded } from '../core/brand';
import {
  ClientModeDriverOptions, clientModeDriverConf, clientModeDriverPodNameArgs, clientModeDriverService, driverPodNameEnv,
} from '../core/client-mode';
import { requireConfKeysKnown } from '../core/compatibility-spark';
import { isCredentialConfKey, isCredentialEnvName, refuseCredentialUrl } from '../core/credentials';
import { check } from '../core/errors';
import { EventLogStore } from '../core/event-log-store';
import { requireJobImageFacts } from '../core/image-facts';
import { ADAPTIVE_EXECUTION_KEYS, DYNAMIC_ALLOCATION_KEYS, refuseManagedConfKey } from '../core/job-conf-keys';
import { resolveNamespace } from '../core/kube-ref-checks';
import { INamespaceRef } from '../core/kube-refs';
import { StandardLabels } from '../core/labels';
import { guardLateChange } from '../core/late-change';
import { DnsNames } from '../core/names';
import { PodBuilder, PodContainerOptions } from '../core/pod-builder';
import { ResolvedPodOptions, resolvePodOptions } from '../core/pod-options';
import { renderResources } from '../core/resources';
import { singlePodDeployment } from '../core/single-pod-deployment';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';
import { SparkMemory } from '../core/spark-memory';
import { labels as checkLabels, millicores, nodePort as checkNodePort, secretKey, unprivilegedPort, typed } from '../core/validate';
import { WorkloadPodOptions } from '../core/workload-pod-options';
import { SparkJobs } from '../jobs/spark-job';
import { ISparkJob, SparkJobKind } from '../jobs/spark-job-kind';
import { ISparkServiceAccount, SparkServiceAccount } from '../jobs/spark-service-account';
import { AdaptiveQueryExecution, ExecutorDynamicAllocation, SparkTuning } from '../jobs/spark-tuning';
import { EXECUTOR_CONTAINER_NAME, executorPodTemplate } from './private/thrift/executor-template';
import { hiveSiteEnvName, hiveSiteScript } from './private/thrift/hive-site-script';

// The driver runs in the server's pod (client mode): its address and ports are the pod's.
const CLIENT_MODE = 'nothing: the driver runs in the server\'s pod (client mode), on the ports its Service and NetworkPolicy open';
/** Keys the typed props set, refused in sparkConf (the prop is named instead). */
const THRIFT_MANAGED_KEYS: { readonly [key: string]: string } = {
  ...Object.fromEntries(['spark.master', 'spark.submit.deployMode', 'spark.driver.host', 'spark.driver.bindAddress', 'spark.ui.enabled']
    .map((k) => [k, CLIENT_MODE])),
  'spark.driver.port': 'ports.driver',
  'spark.blockManager.port': 'ports.blockManager',
  'spark.ui.port': 'ports.ui',
  'spark.kubernetes.namespace': 'the namespace prop',
  'spark.kubernetes.container.image': 'the image prop (SparkImage)',
  'spark.kubernetes.container.image.pullPolicy': 'the pullPolicy of the image prop (SparkImage)',
  'spark.kubernetes.container.image.pullSecrets': 'the pullSecrets of the image prop (SparkImage)',
  'spark.kubernetes.executor.podNamePrefix': 'the name prop',
  'spark.kubernetes.executor.podTemplateFile': 'nothing: the server mounts its own executor pod template (executor props)',
  'spark.kubernetes.executor.podTemplateContainerName': 'nothing: the server mounts its own executor pod template (executor props)',
  'spark.sql.catalogImplementation': 'nothing: the server always uses the Hive catalog of its metastore prop',
  'spark.driver.memory': 'driver.memory',
  'spark.driver.extraJavaOptions': 'driver.javaOptions',
  'spark.driver.extraClassPath': 'nothing: it holds the generated hive-site.xml and metastore.driverJar',
  'spark.executor.cores': 'executor.cores',
  'spark.executor.memory': 'executor.memory',
  'spark.executor.memoryOverhead': 'executor.memoryOverhead',
  'spark.kubernetes.executor.request.cores': 'executor.coreRequest',
  'spark.kubernetes.executor.limit.cores': 'executor.coreLimit',
  'spark.executor.extraJavaOptions': 'executor.javaOptions',
  'spark.executor.instances': 'executor.instances',
  ...Object.fromEntries(DYNAMIC_ALLOCATION_KEYS.map((k) => [k, 'the dynamicAllocation prop'])),
  ...Object.fromEntries(ADAPTIVE_EXECUTION_KEYS.map((k) => [k, 'the adaptiveExecution prop'])),
  'spark.jars': 'the jars prop (and metastore.driverJar)',
  'spark.sql.warehouse.dir': 'the warehouseDir prop',
  'spark.eventLog.enabled': 'the eventLog prop (EventLogStore)',
  'spark.eventLog.dir': 'the eventLog prop (EventLogStore)',
  'spark.eventLog.rolling.enabled': 'the eventLog prop (EventLogStore)',
  'spark.eventLog.rolling.maxFileSize': 'the eventLogRollingMaxFileSize prop',
};
/** The Thrift server's main class, run by `spark-submit` in client mode. */
export const HIVE_THRIFT_SERVER_CLASS = 'org.apache.spark.sql.hive.thriftserver.HiveThriftServer2';

/**
 * The longest Thrift server name: it is also the executors' pod name prefix,
 * which Spark limits to 47 characters (`<prefix>-exec-<id>` within 63).
 */
export const SPARK_THRIFT_SERVER_NAME_MAX = 47;

/** How clients talk to the Thrift server (`hive.server2.transport.mode`); one server serves one mode. */
export enum ThriftTransportMode {
  /** Thrift over TCP, port 10000 by default: beeline, JDBC and ODBC drivers. */
  BINARY = 'binary',
  /** Thrift over HTTP, port 10001 and path `cliservice` by default: for HTTP proxies and load balancers. */
  HTTP = 'http',
}

/** The ports of the Thrift server pod. All must differ and be 1024 or above (the pod runs as non-root). */
export interface SparkThriftServerPorts {
  /**
   * The Thrift (JDBC/ODBC) port.
   * @default 10000 with binary transport, 10001 with HTTP transport
   */
  readonly thrift?: number;
  /**
   * The Spark UI (with its JDBC/ODBC Server tab).
   * @default 4040
   */
  readonly ui?: number;
  /**
   * `spark.driver.port`: executors connect to the driver here.
   * @default 7078
   */
  readonly driver?: number;
  /**
   * `spark.blockManager.port`.
   * @default 7079
   */
  readonly blockManager?: number;
}

/** The driver: the Thrift server pod itself. */
export interface ThriftServerDriverProps {
  /**
   * JVM heap of the driver (`spark.driver.memory`). It holds query plans,
   * broadcast tables and the result sets sent to clients.
   * @default 2 GiB
   */
  readonly memory?: SparkMemory;
  /**
   * Memory the container gets on top of the heap.
   * @default - Spark's rule: max(10% of the heap, 384 MiB)
   */
  readonly memoryOverhead?: SparkMemory;
  /**
   * Requests and limits of the container. The memory limit must cover heap + overhead.
   * @default - CPU 1 requested / 2 limit; memory heap + overhead, requested and limit
   */
  readonly resources?: ContainerResources;
  /**
   * `spark.driver.extraJavaOptions`.
   * @default - none
   */
  readonly javaOptions?: string;
  /**
   * Node labels the pod must be scheduled on.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Taints the pod tolerates.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];
}

/** The executors, created by the driver through the Kubernetes API. */
export interface ThriftServerExecutorProps {
  /**
   * Number of executors (`spark.executor.instances`). Not together with dynamic allocation.
   * @default 2 (without dynamic allocation)
   */
  readonly instances?: number;
  /**
   * Task slots per executor (`spark.executor.cores`).
   * @default 1
   */
  readonly cores?: number;
  /**
   * CPU request of an executor pod (`spark.kubernetes.executor.request.cores`).
   * @default - `cores`
   */
  readonly coreRequest?: Cpu;
  /**
   * CPU limit of an executor pod (`spark.kubernetes.executor.limit.cores`).
   * @default - no CPU limit
   */
  readonly coreLimit?: Cpu;
  /**
   * JVM heap of an executor (`spark.executor.memory`).
   * @default 2 GiB
   */
  readonly memory?: SparkMemory;
  /**
   * `spark.executor.memoryOverhead`.
   * @default - Spark's rule: max(10% of the heap, 384 MiB)
   */
  readonly memoryOverhead?: SparkMemory;
  /**
   * The executor pods' memory limit. Spark sets request and limit to heap +
   * overhead itself; give this only to have that checked at synth.
   * @default - heap + overhead
   */
  readonly memoryLimit?: SparkMemory;
  /**
   * `spark.executor.extraJavaOptions`.
   * @default - none
   */
  readonly javaOptions?: string;
  /**
   * Node labels executor pods must be scheduled on.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Taints executor pods tolerate.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];
}

/**
 * Options of {@link SparkThriftServer}: everything a composite (such as SparkPlatform) may forward to it.
 */
export interface SparkThriftServerOptions {
  /** Where the databases and tables are kept. */
  readonly metastore: HiveMetastore;

  /**
   * `spark.sql.warehouse.dir`: where managed tables are written, e.g.
   * `s3a://lake/warehouse` or `hdfs://namenode:8020/warehouse`: storage every
   * executor and the next driver pod can reach. Required: Spark's default,
   * `spark-warehouse` in the working directory, is on the driver pod's own
   * disk (read-only here), so tables would be lost with the pod or not written.
   */
  readonly warehouseDir: string;

  /**
   * Name of the Deployment and the client Service (`<name>-driver` is the
   * driver's headless Service); also the executors' pod name prefix.
   * @default - generated from the construct path
   */
  readonly name?: string;

  /**
   * The identity the server runs as; it creates, watches and deletes the
   * executors: a {@link SparkServiceAccount} of the server's namespace, a
   * cdk8s-plus ServiceAccount ({@link SparkServiceAccount.fromServiceAccount}:
   * the server's objects apply after it), or one made elsewhere
   * ({@link SparkServiceAccount.fromName}).
   * @default SparkServiceAccount.forNamespace(this, namespace)
   */
  readonly serviceAccount?: ISparkServiceAccount;

  /**
   * Binary or HTTP transport.
   * @default ThriftTransportMode.BINARY
   */
  readonly transportMode?: ThriftTransportMode;

  /**
   * How clients authenticate.
   * @default ThriftServerAuthentication.none()
   */
  readonly authentication?: ThriftServerAuthentication;

  /**
   * The pod's ports.
   * @default - Thrift 10000 (binary) or 10001 (HTTP), UI 4040, driver 7078, block manager 7079
   */
  readonly ports?: SparkThriftServerPorts;

  /**
   * Expose the Thrift port on every node at this port (the client Service
   * becomes a NodePort Service).
   * @default - ClusterIP only
   */
  readonly nodePort?: number;

  /**
   * Expose the Spark UI on every node at this port.
   * @default - ClusterIP only
   */
  readonly uiNodePort?: number;

  /**
   * Where and how the server's pod (the driver) runs: node selector,
   * tolerations, affinity, priority class, labels, annotations, image pull
   * secrets (the executors, which pull the same image, get these too), extra
   * containers (the server's pod only: the executors are placed by
   * `executor`); added to `driver.nodeSelector` and `driver.tolerations`.
   * The executors share the runtime options of the server's pod (host
   * aliases, supplementary groups, sysctls, SELinux labels, user namespace:
   * they reach the same stores), not its grace period or scheduler.
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;

  /**
   * The driver (Thrift server pod).
   * @default - 2 GiB heap, 1-2 CPUs
   */
  readonly driver?: ThriftServerDriverProps;

  /**
   * The executors.
   * @default - 2 executors of 1 core and 2 GiB heap
   */
  readonly executor?: ThriftServerExecutorProps;

  /**
   * Scale the executors with the query load instead of a fixed count.
   * @default - a fixed number of executors
   */
  readonly dynamicAllocation?: ExecutorDynamicAllocation;

  /**
   * Adaptive query execution settings.
   * @default - Spark's defaults (enabled since Spark 3.2)
   */
  readonly adaptiveExecution?: AdaptiveQueryExecution;

  /**
   * Roll the event log into files of this size, so that the history server
   * can show and compact the log of this long-running application.
   * @default 128 MiB (when `eventLog` is set)
   */
  readonly eventLogRollingMaxFileSize?: Size;

  /**
   * Environment variables of the driver and the executors, e.g.
   * `AWS_ACCESS_KEY_ID` from a Secret for an `s3a://` warehouse
   * (`EnvValue.fromSecretValue`). Credentials must come from Secrets.
   * @default - none
   */
  readonly env?: { [name: string]: EnvValue };

  /**
   * Jars added to the driver and the executors (`spark.jars`).
   * @default - none
   */
  readonly jars?: string[];

  /**
   * Further Spark configuration. Keys this construct sets must not be set
   * to other values, and Hive settings belong in `hiveConf`.
   * @default - none
   */
  readonly sparkConf?: SparkConf;

  /**
   * Further Hive settings (`--hiveconf key=value`).
   * @default - none
   */
  readonly hiveConf?: { [key: string]: string };

  /**
   * Hive settings whose values come from Secrets (e.g. `hive.server2.keystore.password`).
   * They are written to a hive-site.xml at pod start and never appear in a manifest.
   * @default - none besides the metastore password
   */
  readonly hiveSecrets?: HiveSecretSetting[];
}

/**
 * Properties of {@link SparkThriftServer}: its options plus what a composite supplies itself (the namespace, the image, the event log store).
 */
export interface SparkThriftServerProps extends SparkThriftServerOptions {
  /**
   * Namespace of the server and its executors.
   * @default - the chart's namespace, else `default`
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * The namespace as an object: a cdk8s-plus Namespace of any 2.x line, or a
   * KubeNamespace (e.g. a SparkTenant's `namespaceObject`). Its name is the
   * namespace (`namespace`, if given too, must repeat it), and when the app
   * emits it, it is applied before the server's objects.
   * @default - `namespace` names it
   */
  readonly namespaceRef?: INamespaceRef;

  /**
   * The Spark image (driver and executors). It must contain the
   * hive-thriftserver module; the Apache images do.
   * @default SparkImage.apache()
   */
  readonly image?: SparkImage;

  /**
   * Write the event log here, for the history server.
   * @default - no event log
   */
  readonly eventLog?: EventLogStore;
}

/** The pod's ports after defaults. */
interface ResolvedPorts {
  readonly thrift: number;
  readonly ui: number;
  readonly driver: number;
  readonly blockManager: number;
}

/** Default ports. */
const BINARY_PORT = 10000;
const HTTP_PORT = 10001;
const THRIFT_HTTP_PATH = 'cliservice';
const UI_PORT = 4040;
const DRIVER_PORT = 7078;
const BLOCK_MANAGER_PORT = 7079;

const SPARK_SUBMIT = '/opt/spark/bin/spark-submit';
const TEMPLATE_DIR = '/opt/spark/pod-templates';
const TEMPLATE_FILE = 'executor.yaml';
/** The generated hive-site.xml lives here; the directory is put on the driver's class path. */
const HIVE_CONF_DIR = '/opt/spark/thrift-conf';
const WORK_DIR = '/opt/spark/work-dir';
const SOURCE = 'SparkThriftServer';

const HIVE_KEY = /^[A-Za-z][\w.-]*$/;
// Spark keys that reach Hive's configuration: they would silently override --hiveconf.
const HIVE_VIA_SPARK = /^spark\.(hadoop\.)?(hive\.|javax\.jdo\.|datanucleus\.)/;

/**
 * The Spark Thrift server (HiveServer2 protocol): a JDBC/ODBC SQL endpoint
 * that runs queries on Spark executors in Kubernetes.
 *
 * The Thrift server cannot run in cluster deploy mode, so the driver runs
 * in client mode in a pod of its own: a one-replica Deployment with the
 * Recreate strategy (two drivers would share the executors' names and the
 * metastore), running `spark-submit --class HiveThriftServer2 ... spark-internal`
 * in the foreground. A headless Service gives the driver a stable name
 * (`spark.driver.host`) on fixed driver and block-manager ports; executors
 * are created through the Kubernetes API and owned by the driver pod, so
 * they go when it goes. Executors get a restricted pod template.
 *
 * Hive settings are passed as `--hiveconf` arguments, the only channel
 * every part of the server reads (Spark's LDAP authenticator reads a fresh
 * Hive configuration, which ignores `spark.hadoop.*`). Settings from
 * Secrets — the metastore database password — are written by an init
 * container into a hive-site.xml on an in-memory volume on the driver's class
 * path: they appear in no manifest, no command line and no environment of
 * the server container.
 *
 * @example
 * const sql = new SparkThriftServer(chart, 'Sql', {
 *   name: 'spark-sql',
 *   warehouseDir: 'hdfs://namenode.hadoop.svc:8020/warehouse',
 *   metastore: HiveMetastore.thrift('thrift://hive-metastore.metastore.svc:9083'),
 *   dynamicAllocation: { minExecutors: 1, maxExecutors: 10 },
 * });
 * sql.jdbcUrl; // jdbc:hive2://spark-sql.<namespace>.svc:10000/default
 */
export class SparkThriftServer extends Construct implements ISparkJob {
  /** True when `x` is a {@link SparkThriftServer} (also from another copy of the library, where `instanceof` fails). */
  public static isSparkThriftServer(x: any): x is SparkThriftServer {
    return isBranded(x, 'SparkThriftServer');
  }

  /** The name of the Deployment, the client Service and the executors' prefix. */
  public readonly name: string;
  /**
   * The namespace.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The namespace the driver and executors run in. */
  public readonly jobNamespace: string;
  /** Always false: the server runs `spark-submit` itself. */
  public readonly managedByOperator = false;
  /** Always SERVICE: it serves until stopped (Argo CD sync waves put it with the services). */
  public readonly jobKind?: SparkJobKind = SparkJobKind.SERVICE;
  /** The identity of the driver. */
  public readonly serviceAccount: ISparkServiceAccount;
  /** The transport mode. */
  public readonly transportMode: ThriftTransportMode;
  /** The Thrift (JDBC/ODBC) port. */
  public readonly thriftPort: number;
  /** The name of the Service clients connect to. */
  public readonly serviceName: string;
  /**
   * The JDBC URL of the server inside the cluster, for beeline and JDBC
   * clients, e.g. `jdbc:hive2://sql.analytics.svc:10000/default`.
   */
  public readonly jdbcUrl: string;
  /** The Spark configuration the driver is started with (read-only: pass keys in the sparkConf prop). */
  public readonly sparkConf: SparkConf;
  /** The Hive settings passed as `--hiveconf` (no secrets). */
  public readonly hiveConf: { [key: string]: string };
  /** The Deployment running the driver. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service clients connect to. */
  public readonly service: k8s.KubeService;
  /** The headless Service executors reach the driver through. */
  public readonly driverService: k8s.KubeService;
  /** The ConfigMap holding the executor pod template. */
  public readonly executorPodTemplate: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: SparkThriftServerProps) {
    super(scope, id);
    brand(this, 'SparkThriftServer');
    checkPropKinds(this, props);
    check(HiveMetastore.isHiveMetastore(props.metastore), this, 'metastore', props.metastore,
      'a HiveMetastore: HiveMetastore.thrift(...), HiveMetastore.jdbc({...}) or HiveMetastore.embedded() for tests');

    this.namespace = DnsNames.validateLabel(this, 'namespace',
      resolveNamespace(this, props.namespace, props.namespaceRef) ?? Chart.of(this).namespace ?? 'default');
    this.jobNamespace = this.namespace;
    this.name = DnsNames.validateDns1035Label(this, 'name',
      props.name ?? DnsNames.generate(this, { maxLength: SPARK_THRIFT_SERVER_NAME_MAX }), SPARK_THRIFT_SERVER_NAME_MAX);
    this.serviceName = this.name;

    const image = props.image ?? SparkImage.apache();
    requireJobImageFacts(this, image, {
      loginBy: 'the server (the driver) and its executors',
      eventLog: props.eventLog,
      uris: [props.warehouseDir, ...(props.jars ?? [])],
      conf: props.sparkConf,
    });

    this.serviceAccount = props.serviceAccount ?? SparkServiceAccount.forNamespace(this, this.namespace);
    check(this.serviceAccount.namespace === this.namespace, this, 'serviceAccount', this.serviceAccount.node.path,
      `a SparkServiceAccount in the server's namespace "${this.namespace}" (it is in "${this.serviceAccount.namespace}")`);
    SparkServiceAccount._applyAfter(this, this.serviceAccount);

    this.transportMode = props.transportMode ?? ThriftTransportMode.BINARY;
    const ports = this.resolvePorts(props);
    this.thriftPort = ports.thrift;

    // The driver pod and its executors; selectors match the driver only.
    const labels = StandardLabels.of(this, { name: 'spark-thrift-server', instance: this.name, component: 'driver' });
    const executorLabels = labels.forComponent(this, 'executor');
    const driverOptions = {
      serviceName: `${this.name}-driver`,
      namespace: this.namespace,
      selector: labels.selector(),
      labels: labels.all(),
      ports: { driver: ports.driver, blockManager: ports.blockManager, ui: ports.ui },
    };

    // Hive settings: plain ones as --hiveconf, Secret ones through hive-site.xml.
    const secrets = [...props.metastore.secretHiveConf(), ...(props.hiveSecrets ?? [])];
    this.hiveConf = this.hiveSettings(props, ports.thrift, secrets);

    const driver = props.driver ?? {};
    const driverMemory = driver.memory ?? SparkMemory.gibibytes(2);
    const resources = this.driverResources(driver, driverMemory);
    this.sparkConf = this.buildSparkConf(props, image, driverOptions, driverMemory, secrets.length > 0)
      ._seal(`SparkThriftServer ${this.node.path}`);

    // The executor pod template, read by the driver at start.
    const userEnv = this.userEnv(props);
    const podOptions = resolvePodOptions(this, 'pod', props.pod);
    // Executors run as the server's account: both pods carry what its identity needs.
    const identityLabels = { ...(this.serviceAccount.identity?.podLabels ?? {}) };
    const template = Yaml.stringify(executorPodTemplate({
      labels: { ...executorLabels.all(), ...identityLabels },
      env: userEnv,
      uid: image.uid,
      nodeSelector: validLabels(this, 'executor.nodeSelector', props.executor?.nodeSelector),
      tolerations: props.executor?.tolerations,
      // The executors pull the server's image: from where the server's pod does.
      imagePullSecrets: podOptions?.pullSecrets,
      runtime: podOptions?.runtime,
    }));
    this.executorPodTemplate = this.createExecutorPodTemplate(template, executorLabels);

    // Services: headless for the executors, the client Service for JDBC/ODBC and the UI.
    this.driverService = clientModeDriverService(this, 'DriverService', driverOptions);
    const http = this.transportMode === ThriftTransportMode.HTTP;
    const thriftPortName = http ? 'thrift-http' : 'thrift-binary';
    this.service = this.createClientService(props, labels, thriftPortName, ports.thrift, ports.ui);

    // The pod: the server container, volumes, init containers, environment.
    const imageRef = image.imageFor(this);
    const pod = this.driverPod(props, image, imageRef, secrets, userEnv,
      this.serverContainer(image, imageRef, ports, thriftPortName, resources), podOptions);
    // The driver reads the template at start only: a new template restarts it.
    pod.addChecksum('checksum/executor-pod-template', template);
    // spark-role=driver: what tenant network policies know Spark drivers by.
    const podTemplate = pod.renderTemplate({ ...labels.all(), 'spark-role': 'driver', ...identityLabels });
    // Never two drivers at once: they would share executor names and the metastore.
    this.deployment = singlePodDeployment(this, this.name, this.namespace, labels, podTemplate);

    this.jdbcUrl = this.jdbcUrlFor(props, ports.thrift, http);

    this.guardInputs(props);
    SparkJobs.register(this);
  }

  /** The JDBC URL clients connect with, in the Service's namespace. */
  private jdbcUrlFor(props: SparkThriftServerProps, thriftPort: number, http: boolean): string {
    const auth = (props.authentication ?? ThriftServerAuthentication.none()).mode;
    return `jdbc:hive2://${this.serviceName}.${this.namespace}.svc:${thriftPort}/default`
      + (http ? `;transportMode=http;httpPath=${THRIFT_HTTP_PATH}` : '')
      // In HTTP mode the JDBC driver has no SASL layer to switch off.
      + (auth === ThriftAuthenticationMode.NOSASL && !http ? ';auth=noSasl' : '');
  }

  /** The ConfigMap holding the executor pod template the driver reads at start. */
  private createExecutorPodTemplate(template: string, executorLabels: StandardLabels): k8s.KubeConfigMap {
    return new k8s.KubeConfigMap(this, 'ExecutorPodTemplate', {
      metadata: { name: `${this.name}-executor-pod-template`, namespace: this.namespace, labels: executorLabels.all() },
      data: { [TEMPLATE_FILE]: template },
    });
  }

  /** The client Service: JDBC/ODBC on the Thrift port, and the Spark UI. */
  private createClientService(props: SparkThriftServerProps, labels: StandardLabels, thriftPortName: string,
    thriftPort: number, uiPort: number): k8s.KubeService {
    const servicePort = (name: string, port: number, nodePort?: number): k8s.ServicePort =>
      ({ name, port, targetPort: k8s.IntOrString.fromNumber(port), protocol: 'TCP', nodePort });
    return new k8s.KubeService(this, 'Service', {
      metadata: { name: this.serviceName, namespace: this.namespace, labels: labels.all() },
      spec: {
        type: props.nodePort !== undefined || props.uiNodePort !== undefined ? 'NodePort' : 'ClusterIP',
        selector: labels.selector(),
        ports: [servicePort(thriftPortName, thriftPort, props.nodePort), servicePort('spark-ui', uiPort, props.uiNodePort)],
      },
    });
  }

  /** The server container: spark-submit running HiveThriftServer2 in client mode, probed on the Thrift port. */
  private serverContainer(image: SparkImage, imageRef: string, ports: ResolvedPorts, thriftPortName: string,
    resources: k8s.ResourceRequirements): PodContainerOptions {
    const args = [
      '--class', HIVE_THRIFT_SERVER_CLASS,
      '--name', this.name,
      ...this.sparkConf.toArgs().map(literalArg),
      ...clientModeDriverPodNameArgs(),
      ...Object.entries(this.hiveConf).flatMap(([key, value]) => ['--hiveconf', literalArg(`${key}=${value}`)]),
      'spark-internal',
    ];
    const probe = (periodSeconds: number, failureThreshold: number, timeoutSeconds: number): k8s.Probe => ({
      tcpSocket: { port: k8s.IntOrString.fromNumber(ports.thrift) },
      periodSeconds,
      failureThreshold,
      timeoutSeconds,
    });
    return {
      name: 'thrift-server',
      image: imageRef,
      imagePullPolicy: image.pullPolicy,
      command: [SPARK_SUBMIT],
      args,
      ports: [
        { name: thriftPortName, containerPort: ports.thrift, protocol: 'TCP' },
        { name: 'spark-ui', containerPort: ports.ui, protocol: 'TCP' },
        { name: 'driver-rpc', containerPort: ports.driver, protocol: 'TCP' },
        { name: 'blockmanager', containerPort: ports.blockManager, protocol: 'TCP' },
      ],
      // The port opens once the SparkSession and the metastore connection are up.
      startupProbe: probe(10, 60, 5),
      readinessProbe: probe(10, 3, 5),
      livenessProbe: probe(30, 5, 10),
      resources,
    };
  }

  /** The inputs copied into the manifests: a later change of them fails synth instead of vanishing. */
  private guardInputs(props: SparkThriftServerProps): void {
    const fix = 'give the final value when creating the SparkThriftServer';
    guardLateChange(this, 'sparkConf', () => props.sparkConf?.toDefaultsFile(),
      'set every key before passing the SparkConf to the SparkThriftServer (its arguments and executor template are rendered from it)');
    for (const [property, value] of Object.entries({
      'jars': () => props.jars,
      'hiveConf': () => props.hiveConf,
      'hiveSecrets': () => props.hiveSecrets?.map((h) => [h.key, h.value.key]),
      'env': () => props.env,
      'driver.nodeSelector': () => props.driver?.nodeSelector,
      'driver.tolerations': () => props.driver?.tolerations,
      'executor.nodeSelector': () => props.executor?.nodeSelector,
      'executor.tolerations': () => props.executor?.tolerations,
    })) {
      guardLateChange(this, property, value, fix);
    }
  }

  /** The pod's ports, checked: non-root, distinct; NodePorts in range. */
  private resolvePorts(props: SparkThriftServerProps): ResolvedPorts {
    const http = this.transportMode === ThriftTransportMode.HTTP;
    const ports: ResolvedPorts = {
      thrift: props.ports?.thrift ?? (http ? HTTP_PORT : BINARY_PORT),
      ui: props.ports?.ui ?? UI_PORT,
      driver: props.ports?.driver ?? DRIVER_PORT,
      blockManager: props.ports?.blockManager ?? BLOCK_MANAGER_PORT,
    };
    const seen = new Map<number, string>();
    for (const [key, port] of Object.entries(ports)) {
      unprivilegedPort(this, `ports.${key}`, port);
      check(!seen.has(port), this, `ports.${key}`, port, `a port not already used by ports.${seen.get(port)}`);
      seen.set(port, key);
    }
    const nodePorts: Array<[string, number | undefined]> = [['nodePort', props.nodePort], ['uiNodePort', props.uiNodePort]];
    for (const [property, port] of nodePorts) {
      if (port !== undefined) {
        checkNodePort(this, property, port);
      }
    }
    check(props.nodePort === undefined || props.nodePort !== props.uiNodePort, this, 'uiNodePort', props.uiNodePort,
      'a NodePort other than nodePort');
    return ports;
  }

  /** The container's requests and limits: the memory limit must hold the driver's heap and overhead. */
  private driverResources(driver: ThriftServerDriverProps, heap: SparkMemory): k8s.ResourceRequirements {
    const container = SparkMemory.containerMemoryFor(heap, { overhead: driver.memoryOverhead });
    const givenLimit = driver.resources?.memory?.limit?.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    check(givenLimit === undefined || givenLimit >= container.toMebibytes(), this, 'driver.resources.memory.limit',
      `${givenLimit} MiB`, `at least the driver heap ${heap.toSparkString()} plus overhead `
      + `${SparkMemory.overheadFor(heap, { overhead: driver.memoryOverhead }).toSparkString()} `
      + `(${container.toQuantity()}): the driver runs in this container`);
    return renderResources(this, 'driver.resources', driver.resources, {
      cpuRequest: Cpu.units(1),
      cpuLimit: Cpu.units(2),
      memoryRequest: container.toSize(),
      memoryLimit: container.toSize(),
    });
  }

  /** The driver's Spark configuration: client mode, executors, tuning, dependencies, event log, then the user's. */
  private buildSparkConf(props: SparkThriftServerProps, image: SparkImage, driverOptions: ClientModeDriverOptions,
    driverMemory: SparkMemory, hiveSite: boolean): SparkConf {
    const driver = props.driver ?? {};
    const conf = clientModeDriverConf(driverOptions, SOURCE)
      .set('spark.kubernetes.container.image', image.imageFor(this), SOURCE)
      .set('spark.kubernetes.container.image.pullPolicy', image.pullPolicy, SOURCE)
      .set('spark.kubernetes.executor.podNamePrefix', this.name, SOURCE)
      .set('spark.kubernetes.executor.podTemplateFile', `${TEMPLATE_DIR}/${TEMPLATE_FILE}`, SOURCE)
      .set('spark.kubernetes.executor.podTemplateContainerName', EXECUTOR_CONTAINER_NAME, SOURCE)
      .setMemory('spark.driver.memory', driverMemory, SOURCE)
      .set('spark.sql.catalogImplementation', 'hive', SOURCE);
    if (image.pullSecrets.length > 0) {
      conf.set('spark.kubernetes.container.image.pullSecrets', image.pullSecrets.map((s) => s.name).join(','), SOURCE);
    }
    if (driver.javaOptions !== undefined) {
      conf.set('spark.driver.extraJavaOptions', driver.javaOptions, SOURCE);
    }
    this.executorConf(conf, props);
    if (props.adaptiveExecution) {
      mergeInto(conf, SparkTuning.adaptiveExecutionConf(props.adaptiveExecution, 'adaptiveExecution'), this);
    }

    // The generated hive-site.xml and a jar in the image go on the JVM class
    // path (reliable for the metastore client's JDBC driver); remote jars are fetched.
    const classPath: string[] = hiveSite ? [HIVE_CONF_DIR] : [];
    const jars: string[] = [];
    const driverJar = props.metastore.driverJar;
    if (driverJar !== undefined) {
      if (driverJar.startsWith('local://')) {
        classPath.push(driverJar.slice('local://'.length));
      } else {
        jars.push(driverJar);
      }
    }
    for (const jar of props.jars ?? []) {
      check(typeof jar === 'string' && /^\S+$/.test(jar) && !jar.includes(','), this, 'jars', jar, 'a jar URL without blanks or commas');
      jars.push(jar);
    }
    if (classPath.length > 0) {
      conf.set('spark.driver.extraClassPath', classPath.join(':'), SOURCE);
    }
    if (jars.length > 0) {
      conf.set('spark.jars', jars.join(','), SOURCE);
    }
    // A path or file:// URI is the driver pod's own disk: executors write their
    // task output on their own pods' disks, and the pod's restart loses it all.
    // Only the embedded (test) metastore, itself on that disk, may use one.
    const warehouse = props.warehouseDir;
    const uri = typeof warehouse === 'string' && /^[a-z][a-z0-9+.-]*:\/\/\S+$/.test(warehouse);
    const local = typeof warehouse === 'string' && (/^(file|local):/.test(warehouse) || /^\/\S+$/.test(warehouse));
    check((uri && !local) || (local && props.metastore.kind === HiveMetastoreKind.EMBEDDED), this, 'warehouseDir', warehouse,
      'a URI of shared storage without blanks, e.g. "s3a://lake/warehouse" or "hdfs://namenode:8020/warehouse" '
      + '(a local path only with HiveMetastore.embedded(): each pod would write to its own disk)');
    refuseCredentialUrl(this, 'warehouseDir', warehouse);
    (props.jars ?? []).forEach((jar) => refuseCredentialUrl(this, 'jars', jar));
    conf.set('spark.sql.warehouse.dir', props.warehouseDir, SOURCE);
    if (props.eventLog) {
      mergeInto(conf, props.eventLog.jobConf({ rollingMaxFileSize: props.eventLogRollingMaxFileSize ?? Size.mebibytes(128) }), this);
    } else {
      check(props.eventLogRollingMaxFileSize === undefined, this, 'eventLogRollingMaxFileSize', 'set',
        'left out unless eventLog is set');
    }

    for (const key of props.sparkConf?.keys ?? []) {
      refuseManagedConfKey(this, key, THRIFT_MANAGED_KEYS);
      check(!isCredentialConfKey(key), this, 'sparkConf key', key,
        'a key that carries no credential: give the metastore password as HiveMetastore.jdbc({ password: { secret, key } }) '
        + 'and other secret Hive settings through hiveSecrets, both read from Kubernetes Secrets');
      check(!HIVE_VIA_SPARK.test(key), this, 'sparkConf key', key,
        'a Spark key: Hive settings go in hiveConf (passed as --hiveconf, which every part of the Thrift server reads)');
    }
    const merged = props.sparkConf ? conf.merge(props.sparkConf, this) : conf;
    requireConfKeysKnown(this, image, merged);
    return merged;
  }

  /**
   * The driver pod: the server container with its scratch directories, the
   * executor pod template, the Hive secrets (rendered into an in-memory
   * hive-site.xml by an init container) and the event log store.
   */
  private driverPod(props: SparkThriftServerProps, image: SparkImage, imageRef: string, secrets: HiveSecretSetting[],
    userEnv: k8s.EnvVar[], server: PodContainerOptions, podOptions?: ResolvedPodOptions): PodBuilder {
    const pod = new PodBuilder(this, {
      runAsUser: image.uid,
      serviceAccountName: this.serviceAccount.name,
      // The driver creates and deletes its executors through the API.
      automountServiceAccountToken: true,
      pullSecrets: image.pullSecrets.map((s) => s.name),
      terminationGracePeriodSeconds: 60,
      nodeSelector: props.driver?.nodeSelector ? validLabels(this, 'driver.nodeSelector', props.driver.nodeSelector) : undefined,
      tolerations: props.driver?.tolerations?.length ? props.driver.tolerations : undefined,
    });
    pod.applyPodOptions(podOptions);
    const init = (name: string, command: string[], env: k8s.EnvVar[], memory: string): string => pod.addInitContainer({
      name,
      image: imageRef,
      imagePullPolicy: image.pullPolicy,
      command,
      env,
      resources: {
        requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString(memory) },
        limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString(memory) },
      },
    });
    pod.addContainer({ ...server, env: [driverPodNameEnv()] });
    pod.addScratch('tmp', '/tmp', [server.name]);
    // Spark's working directory: derby.log, an embedded metastore_db, downloaded files.
    pod.addScratch('work-dir', WORK_DIR, [server.name]);
    pod.addVolume({ name: 'executor-pod-template', configMap: { name: this.executorPodTemplate.name } });
    pod.addVolumeMount(server.name, { name: 'executor-pod-template', mountPath: TEMPLATE_DIR, readOnly: true });

    if (secrets.length > 0) {
      // In memory only, readable by the server's user only; the server container never sees the Secrets.
      pod.addVolume({ name: 'hive-conf', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString('1Mi') } });
      pod.addVolumeMount(server.name, { name: 'hive-conf', mountPath: HIVE_CONF_DIR, readOnly: true });
      const entries = secrets.map((s) => ({ key: s.key, env: hiveSiteEnvName(s.key) }));
      const hiveSite = init('hive-site',
        ['bash', '-c', hiveSiteScript(`${HIVE_CONF_DIR}/hive-site.xml`, entries)],
        secrets.map((s, i) => ({ name: entries[i].env, valueFrom: { secretKeyRef: { name: s.value.secret.name, key: s.value.key } } })),
        '64Mi');
      pod.addVolumeMount(hiveSite, { name: 'hive-conf', mountPath: HIVE_CONF_DIR });
    }

    const env: k8s.EnvVar[] = [driverPodNameEnv()];
    if (props.eventLog) {
      const store = props.eventLog;
      // The server is the driver: it writes the event log as its account.
      store._checkIdentity(this, 'serviceAccount', this.serviceAccount.identity);
      pod.bind(server.name, store._podBinding());
      env.push(...store.env());
      const mkdir = store.mkdirCommand();
      if (mkdir) {
        // Spark refuses to start when the log directory is missing (e.g. a fresh bucket).
        const mkdirInit = init('event-log-dir', mkdir, store.env(), '512Mi');
        pod.addVolumeMount(mkdirInit, { name: 'tmp', mountPath: '/tmp' });
        pod.bind(mkdirInit, { volumeMounts: store.volumeMounts() });
      }
    }
    for (const e of userEnv) {
      check(!env.some((x) => x.name === e.name), this, 'env', e.name,
        `a variable the server does not set itself (${env.map((x) => x.name).join(', ')})`);
    }
    pod.addEnv(server.name, ...userEnv);
    return pod;
  }

  /** The user's environment variables, checked. */
  private userEnv(props: SparkThriftServerProps): k8s.EnvVar[] {
    return Object.entries(props.env ?? {}).map(([name, value]) => {
      check(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name), this, 'env', name,
        'an environment variable name of letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
      check(!(isCredentialEnvName(name) && value.valueFrom === undefined), this, `env ${name}`, '(a literal value)',
        'a value from a Secret (EnvValue.fromSecretValue): credentials are never written into the manifests');
      return {
        name,
        ...(value.value !== undefined ? { value: value.value } : {}),
        ...(value.valueFrom !== undefined ? { valueFrom: value.valueFrom } : {}),
      };
    });
  }

  /** Executor sizing and count (or dynamic allocation). */
  private executorConf(conf: SparkConf, props: SparkThriftServerProps): void {
    const e = props.executor ?? {};
    const cores = e.cores ?? 1;
    check(Number.isInteger(cores) && cores >= 1, this, 'executor.cores', cores, 'a whole number of cores, at least 1');
    const memory = e.memory ?? SparkMemory.gibibytes(2);
    const container = SparkMemory.containerMemoryFor(memory, { overhead: e.memoryOverhead });
    if (e.memoryLimit !== undefined) {
      check(e.memoryLimit.toMebibytes() === container.toMebibytes(), this, 'executor.memoryLimit', e.memoryLimit.toQuantity(),
        `heap ${memory.toSparkString()} + overhead ${SparkMemory.overheadFor(memory, { overhead: e.memoryOverhead }).toSparkString()}`
        + ` = ${container.toQuantity()}: Spark sets the executor pods' memory request and limit to that sum itself`);
    }
    const request = e.coreRequest !== undefined ? millicores(this, 'executor.coreRequest', e.coreRequest) : cores * 1000;
    if (e.coreLimit !== undefined) {
      const limit = millicores(this, 'executor.coreLimit', e.coreLimit);
      check(limit >= request, this, 'executor.coreLimit', e.coreLimit.amount, `at least the CPU request (${request}m)`);
    }
    conf.setInteger('spark.executor.cores', cores, SOURCE).setMemory('spark.executor.memory', memory, SOURCE);
    if (e.memoryOverhead !== undefined) {
      conf.setMemory('spark.executor.memoryOverhead', e.memoryOverhead, SOURCE);
    }
    if (e.coreRequest !== undefined) {
      conf.set('spark.kubernetes.executor.request.cores', e.coreRequest.amount, SOURCE);
    }
    if (e.coreLimit !== undefined) {
      conf.set('spark.kubernetes.executor.limit.cores', e.coreLimit.amount, SOURCE);
    }
    if (e.javaOptions !== undefined) {
      conf.set('spark.executor.extraJavaOptions', e.javaOptions, SOURCE);
    }
    if (props.dynamicAllocation) {
      check(e.instances === undefined, this, 'executor.instances', e.instances,
        'left out with dynamicAllocation (use its minExecutors, initialExecutors and maxExecutors)');
      mergeInto(conf, SparkTuning.dynamicAllocationConf(props.dynamicAllocation, 'dynamicAllocation'), this);
    } else {
      const instances = e.instances ?? 2;
      check(Number.isInteger(instances) && instances >= 1, this, 'executor.instances', instances, 'a whole number of executors, at least 1');
      conf.setInteger('spark.executor.instances', instances, SOURCE);
    }
  }

  /** The --hiveconf settings: transport, authentication, metastore, then the user's. */
  private hiveSettings(props: SparkThriftServerProps, thriftPort: number, secrets: HiveSecretSetting[]): { [key: string]: string } {
    const http = this.transportMode === ThriftTransportMode.HTTP;
    const settings = new Map<string, [string, string]>();
    const add = (entries: { [key: string]: string }, source: string) => {
      for (const [key, value] of Object.entries(entries)) {
        const existing = settings.get(key);
        check(existing === undefined || existing[0] === value, this, `hiveConf key "${key}"`, value,
          `it is set to "${existing?.[0]}" by ${existing?.[1]} and to "${value}" by ${source}; set it in one place only`);
        settings.set(key, [value, source]);
      }
    };
    add({
      'hive.server2.transport.mode': this.transportMode,
      ...(http
        ? { 'hive.server2.thrift.http.port': String(thriftPort), 'hive.server2.thrift.http.path': THRIFT_HTTP_PATH }
        : { 'hive.server2.thrift.port': String(thriftPort) }),
      'hive.server2.thrift.bind.host': '0.0.0.0',
    }, 'the transport settings');
    const auth = props.authentication ?? ThriftServerAuthentication.none();
    add(auth.hiveConf(), `authentication ${auth.mode}`);
    add(props.metastore.hiveConf(), `metastore ${props.metastore.kind}`);

    const user = props.hiveConf ?? {};
    for (const [key, value] of Object.entries(user)) {
      check(HIVE_KEY.test(key), this, 'hiveConf key', key, 'a Hive configuration key such as "hive.server2.idle.session.timeout"');
      check(!isCredentialConfKey(key), this, 'hiveConf key', key,
        'a key that carries no credential: give secret Hive settings through hiveSecrets '
        + '(and the metastore password as HiveMetastore.jdbc({ password: { secret, key } })), read from Kubernetes Secrets');
      check(typeof value === 'string' && !/[\r\n\0]/.test(value), this, `hiveConf value of ${key}`, value, 'a single-line string');
    }
    add(user, 'hiveConf');

    const secretKeys = new Set<string>();
    const variables = new Map<string, string>();
    for (const s of secrets) {
      check(HIVE_KEY.test(s.key), this, 'hiveSecrets key', s.key, 'a Hive configuration key');
      check(s.value?.secret !== undefined && typeof s.value.key === 'string', this,
        `hiveSecrets value of ${s.key}`, s.value?.key, 'a Secret reference { secret, key }');
      secretKey(this, `hiveSecrets value of ${s.key}`, s.value.key);
      check(!settings.has(s.key) && !secretKeys.has(s.key), this, 'hiveSecrets key', s.key,
        'a key set in one place only (it is already set)');
      secretKeys.add(s.key);
      // The hive-site writer reads each value from HIVE_SITE_<KEY>: two keys that differ only in
      // case or punctuation would share one variable, and one value would silently replace the other.
      const variable = hiveSiteEnvName(s.key);
      const shared = variables.get(variable);
      check(shared === undefined, this, 'hiveSecrets key', s.key,
        `a key whose variable ${variable} no other secret setting uses ("${shared}" does)`);
      variables.set(variable, s.key);
    }
    if (props.metastore.kind === HiveMetastoreKind.EMBEDDED) {
      // Derby writes metastore_db and derby.log into the working directory (an emptyDir).
      check(!settings.has('javax.jdo.option.ConnectionURL'), this, 'hiveConf key', 'javax.jdo.option.ConnectionURL',
        'left out with HiveMetastore.embedded(); use HiveMetastore.jdbc for a database');
    }
    return Object.fromEntries([...settings].map(([key, [value]]) => [key, value]));
  }
}

/** Merges `other` into `conf`, keeping `conf`'s order; conflicts throw at `scope`. */
function mergeInto(conf: SparkConf, other: SparkConf, scope: Construct): void {
  conf.merge(other, scope);
  for (const key of other.keys) {
    conf.set(key, other.get(key)!, other.sourceOf(key));
  }
}

/**
 * An argument taken literally by the kubelet, which expands `$(VAR)` in
 * container arguments: every `$` is doubled (`$$` reads as `$`).
 */
function literalArg(arg: string): string {
  return arg.replace(/\$/g, '$$$$');
}

function validLabels(scope: Construct, property: string, labels?: { [key: string]: string }): { [key: string]: string } | undefined {
  if (labels === undefined) {
    return undefined;
  }
  checkLabels(scope, property, labels);
  return { ...labels };
}

/** Refuses values of the wrong kind where the props take a class of this library (callers from plain JavaScript). */
function checkPropKinds(scope: Construct, props: SparkThriftServerProps): void {
  typed(scope, 'image', props?.image, SparkImage.isSparkImage, 'a SparkImage, e.g. SparkImage.apache("3.5.7")');
  typed(scope, 'eventLog', props?.eventLog, EventLogStore.isEventLogStore, 'an EventLogStore, e.g. EventLogStore.s3({ ... })');
  typed(scope, 'sparkConf', props?.sparkConf, SparkConf.isSparkConf, 'a SparkConf, e.g. SparkConf.of({ ... })');
  typed(scope, 'driver.memory', props?.driver?.memory, SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
  typed(scope, 'driver.memoryOverhead', props?.driver?.memoryOverhead, SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
  typed(scope, 'executor.memory', props?.executor?.memory, SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
  typed(scope, 'executor.memoryOverhead', props?.executor?.memoryOverhead, SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
  typed(scope, 'executor.memoryLimit', props?.executor?.memoryLimit, SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
}
