import { ApiObject, Chart, Size } from 'cdk8s';
import { ContainerResources, Cpu, ISecret, k8s, ServiceType, StatefulSetUpdateStrategy } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { DaemonLifecycleHooks } from './daemon-lifecycle';
import { SparkStandaloneSubmit, SparkStandaloneSubmitOptions } from './spark-standalone-submit';
import { StandaloneAuthentication } from './standalone-authentication';
import { ISparkStandaloneCluster } from './standalone-cluster-ref';
import { StandaloneVolumeClaimTemplate } from './volume-claim-template';
import { WorkerStorage, WorkerStorageKind } from './worker-storage';
import { ClusterStorage } from '../cluster/storage';
import { brand, isBranded } from '../core/brand';
import { requireConfKeysKnown } from '../core/compatibility-spark';
import { refuseCredentialConf } from '../core/credentials';
import { check } from '../core/errors';
import { headlessService } from '../core/headless-service';
import { ImageNeed, requireImageFacts } from '../core/image-facts';
import { refuseManagedConfKey } from '../core/job-conf-keys';
import { StandardLabels } from '../core/labels';
import { guardLateChange } from '../core/late-change';
import { MonitorKind, PrometheusMonitoringOptions } from '../core/monitoring';
import { DnsNames } from '../core/names';
import { PodBuilder } from '../core/pod-builder';
import { resolvePodOptions } from '../core/pod-options';
import { checkMonitoring, emitMonitoring, monitorKind, PrometheusAlert, targetSelector, targetsDown } from '../core/prometheus';
import { memoryQuantity } from '../core/quantities';
import { renderResources } from '../core/resources';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';
import { SparkMemory } from '../core/spark-memory';
import { SPARK_ROLE_LABEL } from '../core/tenant-labels';
import { dnsSubdomain, httpPath, mebibytes, millicores, nodePort, unprivilegedPort, typed } from '../core/validate';
import { WorkloadIdentity } from '../core/workload-identity';
import { WorkloadPodOptions } from '../core/workload-pod-options';
import { checkClaimsAgainstPod, ResolvedClaim, resolveClaimTemplates } from './private/claims';
import { daemonLifecycle } from './private/lifecycle';
import { ClusterNames, clusterNames, ClusterPorts, WorkerScaling } from './private/plan';
import {
  AUTH_SECRET_ENV, CONF_CHECKSUM_ANNOTATION, containerPort, DEFAULTS_FILE, distinctPorts, httpProbe,
  servicePort, SPARK_CONF_DIR, tcpProbe,
} from './private/pod';
import { describeBudget, floorMebibytes, largestWorkerMemory, workerBudget } from './private/sizing';

// Object names append at most '-master-headless' (16) to the cluster name, and
// StatefulSet names should stay within 52 characters (the pods' controller-revision-hash label).
const NAME_MAX = 40;
const WORK_MOUNT = '/opt/spark/work';
/**
 * The default Spark of a standalone cluster: one the default Zeppelin image
 * can run as a client-mode driver. apache/spark:3.5.7 carries Scala 2.12 and
 * Java 11 (apache/spark-docker versions.json: tag 3.5.7 = scala2.12-java11-python3-ubuntu);
 * apache/zeppelin:0.12.0 runs Java 11 (apache/zeppelin scripts/docker/zeppelin/bin/Dockerfile,
 * openjdk-11) and accepts Spark 3.3 to 3.5 (spark/interpreter SparkVersion.java,
 * UNSUPPORTED_FUTURE_VERSION = 4.0.0). Spark 4 needs Java 17, which no Zeppelin image has.
 */
const DEFAULT_STANDALONE_SPARK_VERSION = '3.5.7';
const RECOVERY_MOUNT = '/opt/spark/recovery';
// Drivers in client mode need spark.authenticate.secret *set* (SecurityManager.initializeAuth
// refuses to start a non-YARN, non-Kubernetes driver without it), but Spark reads the secret
// itself from the _SPARK_AUTH_SECRET environment variable first (SecurityManager.getSecretKey).
// So the shared configuration carries this marker, and the real secret only ever lives in the
// Secret and in the environment of the pods that need it: never in a ConfigMap or a command line.
const AUTH_SECRET_MARKER = 'taken-from-the-_SPARK_AUTH_SECRET-environment-variable';
const SERVICE_TYPES = [ServiceType.CLUSTER_IP, ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER] as string[];

/** Spark's PrometheusServlet sink (`spark.metrics.conf.<instance>.sink.prometheusServlet.*`), for every instance. */
const METRICS_SINK = 'spark.metrics.conf.*.sink.prometheusServlet';
/** Where each daemon serves its metrics: the master's own and its applications', and every other instance's. */
const MASTER_METRICS_PATHS = ['/metrics/master/prometheus', '/metrics/applications/prometheus'] as const;
const WORKER_METRICS_PATH = '/metrics/prometheus';

/** Keys the typed props set, refused in sparkConf (the prop is named instead). */
const STANDALONE_MANAGED_KEYS: { readonly [key: string]: string } = {
  'spark.authenticate': 'the authentication prop (StandaloneAuthentication)',
  'spark.authenticate.secret': 'the authentication prop (StandaloneAuthentication.sharedSecret, from a Secret)',
  'spark.network.crypto.enabled': 'the networkEncryption option of StandaloneAuthentication.sharedSecret',
  'spark.ui.reverseProxy': 'the reverseProxy prop',
  'spark.ui.reverseProxyUrl': 'the reverseProxy prop (with an ingress)',
  'spark.master.rest.enabled': 'master.restServer',
  'spark.master.rest.port': 'master.restPort',
  'spark.deploy.recoveryMode': 'master.recovery',
  'spark.deploy.recoveryDirectory': 'master.recovery',
  'spark.worker.cleanup.enabled': 'workers.cleanup',
  'spark.master': 'nothing: the cluster\'s master URL (masterUrl) is set for every client',
};
/** Recovery of the master's state across restarts (`spark.deploy.recoveryMode=FILESYSTEM`). */
export interface MasterRecoveryOptions {
  /**
   * Size of the master's PersistentVolumeClaim (created from the
   * StatefulSet's volume claim template, kept when the pod is replaced).
   * @default Size.gibibytes(1)
   */
  readonly storage?: Size;

  /**
   * StorageClass of the claim.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

/** An Ingress to the master's web UI. */
export interface SparkMasterIngressOptions {
  /** The host name the UI is served on, e.g. `spark.example.com`. */
  readonly host: string;

  /**
   * The path prefix. The Spark UI generates absolute links, so a prefix other
   * than '/' needs an ingress controller that strips it (and usually
   * `reverseProxy` on the cluster).
   * @default '/'
   */
  readonly path?: string;

  /**
   * The IngressClass.
   * @default - the cluster's default IngressClass
   */
  readonly ingressClassName?: string;

  /**
   * A `kubernetes.io/tls` Secret for the host, in the cluster's namespace.
   * @default - no TLS
   */
  readonly tlsSecret?: ISecret;

  /**
   * Annotations of the Ingress (for example the controller's authentication settings).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** NodePorts of the master Service (only with `ServiceType.NODE_PORT` or `LOAD_BALANCER`). */
export interface SparkMasterNodePorts {
  /**
   * NodePort of the master's RPC port.
   * @default - allocated by the API server
   */
  readonly spark?: number;

  /**
   * NodePort of the web UI.
   * @default - allocated by the API server
   */
  readonly webUi?: number;

  /**
   * NodePort of the REST submission server (when enabled).
   * @default - allocated by the API server
   */
  readonly rest?: number;
}

/** Settings of the master. */
export interface SparkMasterOptions {
  /**
   * The master's RPC port, which workers, drivers and `spark-submit` connect to.
   * @default 7077
   */
  readonly port?: number;

  /**
   * Port of the master's web UI.
   * @default 8080
   */
  readonly webUiPort?: number;

  /**
   * Run the REST submission server (`spark.master.rest.enabled`). It does
   * not authenticate its callers, so it cannot be combined with
   * `authentication`.
   * @default false
   */
  readonly restServer?: boolean;

  /**
   * Port of the REST submission server.
   * @default 6066
   */
  readonly restPort?: number;

  /**
   * Heap of the master JVM (`SPARK_DAEMON_MEMORY`).
   * @default SparkMemory.mebibytes(512)
   */
  readonly daemonMemory?: SparkMemory;

  /**
   * Requests and limits of the master container. Fields not given keep their
   * default. The memory limit must hold the daemon heap plus its JVM overhead.
   * @default - cpu 250m request, 1 limit; memory 1Gi request and limit
   */
  readonly resources?: ContainerResources;

  /**
   * Keep the master's state (registered workers, applications, drivers) on a
   * PersistentVolumeClaim, so that a restarted master recovers it and running
   * applications carry on.
   * @default - no recovery: a restarted master starts empty and workers and
   *            applications re-register
   */
  readonly recovery?: MasterRecoveryOptions;

  /**
   * Type of the master Service.
   * @default ServiceType.CLUSTER_IP
   */
  readonly serviceType?: ServiceType;

  /**
   * NodePorts of the master Service.
   * @default - allocated by the API server
   */
  readonly nodePorts?: SparkMasterNodePorts;

  /**
   * An Ingress to the web UI. The UI has no authentication of its own:
   * protect the Ingress (for example with the controller's authentication).
   * @default - no Ingress
   */
  readonly ingress?: SparkMasterIngressOptions;

  /**
   * Where and how its pods run (node selector, tolerations, affinity,
   * priority class, labels, annotations, image pull secrets).
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;

  /**
   * Claims the master's pod gets its own of, mounted into its container,
   * beside the construct's own (`recovery`).
   * @default - none
   */
  readonly volumeClaimTemplates?: StandaloneVolumeClaimTemplate[];

  /**
   * Commands run in the master's container after it starts and before it stops.
   * @default - none
   */
  readonly lifecycleHooks?: DaemonLifecycleHooks;

  /**
   * How a change of the pod template reaches the master's pod:
   * `StatefulSetUpdateStrategy.onDelete()` waits until the pod is deleted by
   * hand (e.g. between jobs).
   * @default - StatefulSetUpdateStrategy.rollingUpdate(): replaced at once
   */
  readonly updateStrategy?: StatefulSetUpdateStrategy;
}

/** Autoscaling of the workers by CPU utilization (autoscaling/v2). */
export interface WorkerAutoscalingOptions {
  /**
   * The fewest workers.
   * @default - `workers.replicas`
   */
  readonly minReplicas?: number;

  /** The most workers. */
  readonly maxReplicas: number;

  /**
   * Target average CPU utilization of the workers, in percent of their CPU request.
   * @default 80
   */
  readonly cpuUtilization?: number;
}

/** Settings of the workers. */
export interface SparkWorkerOptions {
  /**
   * Number of workers (the initial number when autoscaling).
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Cores each worker offers to executors (`SPARK_WORKER_CORES`). At most the
   * container's CPU limit, so executors are never throttled below what they were promised.
   * @default - the CPU limit in whole cores
   */
  readonly cores?: number;

  /**
   * Memory each worker offers to executors' heaps (`SPARK_WORKER_MEMORY`).
   * The container must also hold the executors' JVM overhead
   * (max(10 %, 384 MiB) of this), the worker daemon heap and its JVM overhead.
   * @default - the largest amount that fits the container's memory limit
   */
  readonly memory?: SparkMemory;

  /**
   * Heap of the worker daemon JVM (`SPARK_DAEMON_MEMORY`).
   * @default SparkMemory.mebibytes(512)
   */
  readonly daemonMemory?: SparkMemory;

  /**
   * Requests and limits of the worker container. Fields not given keep their
   * default; requests default to the limits (Guaranteed QoS).
   * @default - cpu 2; memory 4Gi, or what `memory` needs when given
   */
  readonly resources?: ContainerResources;

  /**
   * The worker's RPC port.
   * @default 7078
   */
  readonly port?: number;

  /**
   * Port of the worker's web UI.
   * @default 8081
   */
  readonly webUiPort?: number;

  /**
   * Storage of the work directory.
   * @default WorkerStorage.emptyDir()
   */
  readonly workDir?: WorkerStorage;

  /**
   * Delete the work directories of finished applications periodically
   * (`spark.worker.cleanup.enabled`), so long-running workers do not fill their storage.
   * @default true
   */
  readonly cleanup?: boolean;

  /**
   * Scale the workers with a HorizontalPodAutoscaler. The StatefulSet then
   * leaves `replicas` to the autoscaler. Removing a worker kills its
   * executors; their tasks run again elsewhere.
   * @default - a fixed number of workers
   */
  readonly autoscaling?: WorkerAutoscalingOptions;

  /**
   * Workers a voluntary disruption (a node drain) may take down at once
   * (their PodDisruptionBudget).
   * @default 1
   */
  readonly maxUnavailable?: number;

  /**
   * Where and how its pods run (node selector, tolerations, affinity,
   * priority class, labels, annotations, image pull secrets).
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;

  /**
   * Claims each worker pod gets its own of, mounted into its container,
   * beside the construct's own (`work`, with a persistent `workDir`). They
   * are kept when the workers are deleted or scaled down (the StatefulSet's
   * default); claim retention is one policy per StatefulSet, so with them
   * the work directory's claims are kept too (without them, those are
   * deleted with their worker).
   * @default - none
   */
  readonly volumeClaimTemplates?: StandaloneVolumeClaimTemplate[];

  /**
   * Commands run in each worker's container after it starts and before it
   * stops (e.g. a preStop that waits for running executors).
   * @default - none
   */
  readonly lifecycleHooks?: DaemonLifecycleHooks;

  /**
   * How a change of the pod template reaches the workers:
   * `StatefulSetUpdateStrategy.rollingUpdate({ partition })` stages it (only
   * workers with an ordinal at least `partition` are replaced), `onDelete()`
   * waits until each worker is deleted by hand.
   * @default - StatefulSetUpdateStrategy.rollingUpdate(): all workers, one at a time
   */
  readonly updateStrategy?: StatefulSetUpdateStrategy;

  /**
   * A cloud identity for the workers (IRSA, GKE or Azure Workload
   * Identity), for the executors they run (and drivers submitted in cluster
   * mode) to reach cloud storage without keys: the workers then run as a
   * ServiceAccount of their own, `<name>-worker`, with the identity's
   * annotations (and, for Azure, its label on their pods), still without an
   * API token. The master never reads the application's data and keeps none.
   * @default - no ServiceAccount of their own: the namespace's default, without an API token
   */
  readonly identity?: WorkloadIdentity;

  /**
   * Annotations of the workers' ServiceAccount; given, the workers get a
   * ServiceAccount of their own as with `identity`, which refuses its keys
   * here.
   * @default - none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };
}

/**
 * Options of {@link SparkStandaloneCluster}: everything a composite (such as SparkPlatform) may forward to it.
 */
export interface SparkStandaloneClusterOptions {
  /**
   * Prefix of every object name (`<name>-master`, `<name>-worker`...).
   * @default 'spark'
   */
  readonly name?: string;

  /**
   * The cluster's DNS domain, used in the master and worker host names.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;

  /**
   * RPC authentication, a required choice:
   * `StandaloneAuthentication.sharedSecret({ secret })`, or the explicit
   * `StandaloneAuthentication.none()` for throw-away clusters.
   */
  readonly authentication: StandaloneAuthentication;

  /**
   * Redundant with `authentication: StandaloneAuthentication.none()`, kept for
   * existing code: when set, it must agree with `authentication`.
   * @default - whatever `authentication` says
   * @deprecated use `authentication: StandaloneAuthentication.none()`
   */
  readonly allowUnauthenticated?: boolean;

  /**
   * Further `spark-defaults.conf` entries for the master, the workers and the
   * drivers. Keys the cluster sets itself may not be set to other values.
   * @default - none
   */
  readonly sparkConf?: SparkConf;

  /**
   * Let the master's UI proxy the workers' and applications' UIs
   * (`spark.ui.reverseProxy`), so that one Service (or Ingress) shows them all.
   * @default false
   */
  readonly reverseProxy?: boolean;

  /**
   * Monitoring by the Prometheus operator: Spark's PrometheusServlet on the
   * master's and the workers' web UI (`/metrics/master/prometheus`,
   * `/metrics/applications/prometheus`, `/metrics/prometheus`), a PodMonitor
   * for each (`kind` SERVICE_MONITOR is refused), and alerts when the master
   * or a worker is down; `extraAlerts` go in the master's rule.
   * @default - none
   */
  readonly monitoring?: PrometheusMonitoringOptions;

  /**
   * Master settings.
   * @default - see SparkMasterOptions
   */
  readonly master?: SparkMasterOptions;

  /**
   * Worker settings.
   * @default - see SparkWorkerOptions
   */
  readonly workers?: SparkWorkerOptions;
}

/**
 * Properties of {@link SparkStandaloneCluster}: its options plus what a composite supplies itself (the namespace, the image).
 */
export interface SparkStandaloneClusterProps extends SparkStandaloneClusterOptions {
  /**
   * Namespace of the cluster's objects.
   * @default - the chart's namespace, else 'default'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * The Spark image of the master, the workers and the drivers submitted with
   * {@link SparkStandaloneCluster.submitJob}.
   * @default SparkImage.apache('3.5.7'): the newest Spark the default ZeppelinNotebook image can drive
   */
  readonly image?: SparkImage;
}

/**
 * A Spark standalone cluster: a master and a set of workers, each a
 * StatefulSet with a headless Service giving its pods stable DNS names, the
 * master behind a Service on its RPC port (7077) and web UI (8080).
 *
 * - Workers offer executors the cores and memory their containers hold
 *   (`SPARK_WORKER_CORES`, `SPARK_WORKER_MEMORY`), checked at synthesis.
 * - RPC is authenticated with a shared secret from a Secret you own, and
 *   encrypted by default; the secret is never written to a ConfigMap or a
 *   command line.
 * - `spark-defaults.conf` comes from ConfigMaps; a change rolls the pods.
 * - Every container runs as the image's non-root user, with all capabilities
 *   dropped and a read-only root filesystem (writable `emptyDir`s for `/tmp`
 *   and the work directory).
 * - Optional: master recovery on a PersistentVolumeClaim, worker autoscaling,
 *   an Ingress to the UI, the REST submission server (without authentication).
 *
 * Drivers connect with {@link SparkStandaloneCluster.masterUrl}; run one as a
 * Kubernetes Job with {@link SparkStandaloneCluster.submitJob}, or wire your
 * own pod with {@link SparkStandaloneCluster.clientEnv},
 * {@link SparkStandaloneCluster.clientVolumes} and
 * {@link SparkStandaloneCluster.clientVolumeMounts}.
 *
 * @example
 * const spark = new SparkStandaloneCluster(chart, 'Spark', {
 *   image: SparkImage.apache('3.5.7'),
 *   authentication: StandaloneAuthentication.sharedSecret({ secret: authSecret }),
 *   workers: { replicas: 3, cores: 2, memory: SparkMemory.gibibytes(4) },
 * });
 * spark.submitJob('Pi', {
 *   mainClass: 'org.apache.spark.examples.SparkPi',
 *   mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.7.jar',
 * });
 */
export class SparkStandaloneCluster extends Construct implements ISparkStandaloneCluster {
  /** True when `x` is a {@link SparkStandaloneCluster} (also from another copy of the library, where `instanceof` fails). */
  public static isSparkStandaloneCluster(x: any): x is SparkStandaloneCluster {
    return isBranded(x, 'SparkStandaloneCluster');
  }

  /** Prefix of the object names. */
  public readonly name: string;
  /**
   * Namespace of the cluster.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The Spark image of the cluster. */
  public readonly image: SparkImage;
  /** The master URL drivers connect to, e.g. `spark://spark-master.default.svc.cluster.local:7077`. */
  public readonly masterUrl: string;
  /** The master's web UI inside the cluster, e.g. `http://spark-master.default.svc.cluster.local:8080`. */
  public readonly masterUiUrl: string;
  /** The master's REST submission URL, when the REST server runs. */
  public readonly masterRestUrl?: string;
  /** Cores each worker offers (`SPARK_WORKER_CORES`). */
  public readonly workerCores: number;
  /** Memory each worker offers to executors (`SPARK_WORKER_MEMORY`). */
  public readonly workerMemory: SparkMemory;
  /** The cluster's RPC authentication. */
  public readonly authentication: StandaloneAuthentication;
  /** True when RPC is authenticated. */
  public readonly authenticated: boolean;
  /** The Secret holding the shared secret, when authenticated. */
  public readonly authSecret?: ISecret;
  /** The key of the shared secret in `authSecret`. */
  public readonly authSecretKey?: string;
  /**
   * The `spark-defaults.conf` entries the master, the workers and the drivers
   * share: the cluster's own settings and the `sparkConf` prop (read-only:
   * pass keys in the prop).
   */
  public readonly sparkConf: SparkConf;
  /**
   * The configuration drivers of this cluster use (what `clientConfigMap`
   * holds): {@link sparkConf}, the master URL and the security settings
   * (read-only).
   */
  public readonly clientConf: SparkConf;

  /** The master Service (RPC, web UI, REST when enabled). */
  public readonly masterService: ApiObject;
  /** The headless Service giving the master pod its DNS name. */
  public readonly masterHeadlessService: ApiObject;
  /** The headless Service giving each worker pod its DNS name. */
  public readonly workerHeadlessService: ApiObject;
  /** The master StatefulSet: the cluster's `node.defaultChild`, what escape hatches reach first. */
  public readonly masterStatefulSet: ApiObject;
  /** The worker StatefulSet. */
  public readonly workerStatefulSet: ApiObject;
  /** The master's configuration. */
  public readonly masterConfigMap: ApiObject;
  /** The workers' configuration. */
  public readonly workerConfigMap: ApiObject;
  /** The drivers' configuration; mount it with {@link clientVolumes}/{@link clientVolumeMounts}. */
  public readonly clientConfigMap: ApiObject;
  /** The workers' PodDisruptionBudget. */
  public readonly workerDisruptionBudget: ApiObject;
  /** The workers' HorizontalPodAutoscaler, when autoscaling. */
  public readonly workerAutoscaler?: ApiObject;
  /** The Ingress to the master UI, when requested. */
  public readonly masterIngress?: ApiObject;

  private readonly labels: StandardLabels;

  constructor(scope: Construct, id: string, props: SparkStandaloneClusterProps) {
    super(scope, id);
    brand(this, 'SparkStandaloneCluster');
    checkPropKinds(this, props);

    this.name = DnsNames.validateDns1035Label(this, 'name', props.name ?? 'spark', NAME_MAX);
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'default');
    this.image = props.image ?? SparkImage.apache(DEFAULT_STANDALONE_SPARK_VERSION);
    requireImageFacts(this, 'image', this.image, [[ImageNeed.PASSWD_ENTRY, 'the master, the workers and their executors log in to Hadoop']]);
    const domain = DnsNames.validateSubdomain(this, 'clusterDomain', props.clusterDomain ?? 'cluster.local');
    const master = props.master ?? {};
    const workers = props.workers ?? {};

    // --- Authentication -----------------------------------------------------
    const authentication = props?.authentication;
    check(StandaloneAuthentication.isStandaloneAuthentication(authentication), this, 'authentication', authentication,
      'StandaloneAuthentication.sharedSecret({ secret }) (a Secret you own holding the shared RPC secret), or the explicit '
      + 'StandaloneAuthentication.none() (without authentication, anyone who reaches the master\'s port can run code on the workers)');
    if (props.allowUnauthenticated !== undefined) {
      check(props.allowUnauthenticated === !authentication.enabled, this, 'allowUnauthenticated', props.allowUnauthenticated,
        authentication.enabled ? 'false (or unset) when authentication is a shared secret' : 'true (or unset) with StandaloneAuthentication.none()');
    }
    this.authentication = authentication;
    this.authenticated = authentication.enabled;
    this.authSecret = authentication.secret;
    this.authSecretKey = authentication.key;

    const ports = this.resolvePorts(master, workers);
    const names = clusterNames(this.name);
    const ns = this.namespace;
    const serviceHost = `${names.master}.${ns}.svc.${domain}`;
    this.masterUrl = `spark://${serviceHost}:${ports.master}`;
    this.masterUiUrl = `http://${serviceHost}:${ports.masterUi}`;
    if (ports.restEnabled) {
      this.masterRestUrl = `spark://${serviceHost}:${ports.rest}`;
    }

    const masterResources = this.masterResources(master);
    const { cores, memory, resources: workerResources } = this.workerSizing(workers);
    this.workerCores = cores;
    this.workerMemory = memory;
    const scaling = this.workerScaling(workers);
    const workDir = workers.workDir ?? WorkerStorage.emptyDir();
    check(WorkerStorage.isWorkerStorage(workDir), this, 'workers.workDir', workers.workDir,
      'WorkerStorage.emptyDir() or WorkerStorage.persistentVolume()');
    if (workDir.kind === WorkerStorageKind.PERSISTENT_VOLUME || master.recovery) {
      ClusterStorage.checkClaims(this); // the app's check that every claim can bind
    }

    const { common, masterFile, workerFile, clientConf } = this.configurations(props, ports);
    this.sparkConf = common._seal(`SparkStandaloneCluster ${this.node.path}`);
    this.clientConf = clientConf._seal(`SparkStandaloneCluster ${this.node.path}`);
    const clientFile = clientConf.toDefaultsFile();
    this.labels = StandardLabels.of(this, { name: 'spark-standalone', instance: this.name, version: this.image.sparkVersion });
    this.masterConfigMap = this.configMap('MasterConf', names.masterConf, this.labels.forComponent(this, 'master'), masterFile);
    this.workerConfigMap = this.configMap('WorkerConf', names.workerConf, this.labels.forComponent(this, 'worker'), workerFile);
    this.clientConfigMap = this.configMap('ClientConf', names.clientConf, this.labels.forComponent(this, 'client'), clientFile);

    const masterScope = new Construct(this, 'Master');
    const masterLabels = this.labels.forComponent(this, 'master');
    this.masterHeadlessService = headlessService(masterScope, this.namespace, names.masterHeadless, masterLabels,
      [servicePort('spark', ports.master), servicePort('webui', ports.masterUi)]);
    this.masterService = new k8s.KubeService(masterScope, 'Service', {
      metadata: { name: names.master, namespace: ns, labels: masterLabels.all() },
      spec: {
        type: ports.serviceType,
        selector: masterLabels.selector(),
        ports: [
          servicePort('spark', ports.master, ports.nodePorts.spark),
          servicePort('webui', ports.masterUi, ports.nodePorts.webUi),
          ...(ports.restEnabled ? [servicePort('rest', ports.rest, ports.nodePorts.rest)] : []),
        ],
      },
    });
    this.masterStatefulSet = this.masterStatefulSetFor(masterScope, master, names, ports, masterResources,
      `${names.master}-0.${names.masterHeadless}.${ns}.svc.${domain}`, masterFile);
    this.node.defaultChild = this.masterStatefulSet;
    if (master.ingress) {
      this.masterIngress = this.masterIngressFor(masterScope, master.ingress, names.master);
    }

    const workerScope = new Construct(this, 'Worker');
    const workerLabels = this.labels.forComponent(this, 'worker');
    this.workerHeadlessService = headlessService(workerScope, this.namespace, names.workerHeadless, workerLabels,
      [servicePort('worker', ports.worker), servicePort('webui', ports.workerUi)]);
    this.workerStatefulSet = this.workerStatefulSetFor(workerScope, workers, names, ports, workerResources, workDir, scaling,
      `$(POD_NAME).${names.workerHeadless}.${ns}.svc.${domain}`, workerFile);
    this.workerDisruptionBudget = new k8s.KubePodDisruptionBudget(workerScope, 'DisruptionBudget', {
      metadata: { name: names.worker, namespace: ns, labels: workerLabels.all() },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(scaling.maxUnavailable), selector: { matchLabels: workerLabels.selector() } },
    });
    if (workers.autoscaling) {
      this.workerAutoscaler = this.workerAutoscalerFor(workerScope, workers.autoscaling, names.worker, scaling, workerLabels);
    }
    this.monitor(props.monitoring, masterLabels, workerLabels);
    guardLateChange(this, 'sparkConf', () => props.sparkConf?.toDefaultsFile(),
      'set every key before passing the SparkConf to the SparkStandaloneCluster (its ConfigMaps are rendered from it)');
    guardLateChange(this, 'master.ingress.annotations', () => master.ingress?.annotations,
      'give the final annotations when creating the SparkStandaloneCluster');
  }

  /** PodMonitors on the master's and the workers' web UI, and their alerts, when asked for. */
  private monitor(options: PrometheusMonitoringOptions | undefined, master: StandardLabels, workers: StandardLabels): void {
    const monitoring = checkMonitoring(this, 'monitoring', options);
    if (monitoring === undefined) {
      return;
    }
    monitorKind(this, monitoring, MonitorKind.POD_MONITOR, {
      [MonitorKind.SERVICE_MONITOR]: 'SparkStandaloneCluster scrapes its master and worker pods with PodMonitors',
    });
    const down = (labels: StandardLabels, name: string, what: string, severity: 'warning' | 'critical'): PrometheusAlert => ({
      alert: `SparkStandalone${what}Down`,
      expr: targetsDown(targetSelector(this, monitoring, {
        kind: MonitorKind.POD_MONITOR, name, namespace: this.namespace, targetLabels: labels.selector(),
      })),
      for: '5m',
      severity,
      summary: `A Spark ${what.toLowerCase()} of ${this.namespace}/${this.name} is down`,
    });
    const spec = (labels: StandardLabels, name: string, paths: readonly string[], what: string, severity: 'warning' | 'critical') => ({
      kind: MonitorKind.POD_MONITOR,
      name,
      namespace: this.namespace,
      labels: labels.all(),
      selector: labels.selector(),
      endpoints: paths.map((path) => ({ port: 'webui', path })),
      alerts: [down(labels, name, what, severity)],
    });
    // The user's alerts go once, in the master's rule.
    emitMonitoring(new Construct(this, 'MasterMonitoring'), monitoring, {
      ...spec(master, `${this.name}-master`, MASTER_METRICS_PATHS, 'Master', 'critical'),
      otherAlertNames: ['SparkStandaloneWorkerDown'],
    });
    emitMonitoring(new Construct(this, 'WorkerMonitoring'), monitoring, {
      ...spec(workers, `${this.name}-worker`, [WORKER_METRICS_PATH], 'Worker', 'warning'),
      extraAlerts: false,
    });
  }

  /** The master's and the workers' ports, checked: unprivileged, distinct; NodePorts in range. */
  private resolvePorts(master: SparkMasterOptions, workers: SparkWorkerOptions): ClusterPorts {
    const masterPort = unprivilegedPort(this, 'master.port', master.port ?? 7077);
    const masterUiPort = unprivilegedPort(this, 'master.webUiPort', master.webUiPort ?? 8080);
    const restEnabled = master.restServer ?? false;
    check(!(restEnabled && this.authenticated), this, 'master.restServer', true,
      'false when authentication is on: the REST submission server does not authenticate its callers, so anyone '
      + 'reaching it could run code on the workers (Spark itself refuses it with spark.authenticate.secret)');
    check(master.restPort === undefined || restEnabled, this, 'master.restPort', master.restPort,
      'only with restServer: true');
    const restPort = unprivilegedPort(this, 'master.restPort', master.restPort ?? 6066);
    distinctPorts(this, 'master ports', {
      port: masterPort, webUiPort: masterUiPort, ...(restEnabled ? { restPort } : {}),
    });
    const workerPort = unprivilegedPort(this, 'workers.port', workers.port ?? 7078);
    const workerUiPort = unprivilegedPort(this, 'workers.webUiPort', workers.webUiPort ?? 8081);
    distinctPorts(this, 'workers ports', { port: workerPort, webUiPort: workerUiPort });

    const serviceType = master.serviceType ?? ServiceType.CLUSTER_IP;
    check(SERVICE_TYPES.includes(serviceType), this, 'master.serviceType', serviceType, `one of ${SERVICE_TYPES.join(', ')}`);
    const nodePorts = master.nodePorts ?? {};
    const exposesNodePorts = serviceType !== ServiceType.CLUSTER_IP;
    check(master.nodePorts === undefined || exposesNodePorts, this, 'master.nodePorts', master.nodePorts,
      'only with serviceType NodePort or LoadBalancer');
    check(nodePorts.rest === undefined || restEnabled, this, 'master.nodePorts.rest', nodePorts.rest, 'only with restServer: true');
    const givenNodePorts: { [name: string]: number } = {};
    for (const key of ['spark', 'webUi', 'rest'] as const) {
      if (nodePorts[key] !== undefined) {
        givenNodePorts[key] = nodePort(this, `master.nodePorts.${key}`, nodePorts[key]!);
      }
    }
    distinctPorts(this, 'master.nodePorts', givenNodePorts);
    return {
      master: masterPort,
      masterUi: masterUiPort,
      restEnabled,
      rest: restPort,
      worker: workerPort,
      workerUi: workerUiPort,
      serviceType,
      nodePorts: givenNodePorts,
    };
  }

  /** The master container's requests and limits; the limit must hold the daemon heap and its JVM overhead. */
  private masterResources(master: SparkMasterOptions): k8s.ResourceRequirements {
    const masterDaemon = this.masterDaemonMemory(master);
    const resources = renderResources(this, 'master.resources', master.resources, {
      cpuRequest: Cpu.millis(250),
      cpuLimit: Cpu.units(1),
      memoryRequest: Size.gibibytes(1),
      memoryLimit: Size.gibibytes(1),
    });
    const masterLimitMib = floorMebibytes(master.resources?.memory?.limit ?? Size.gibibytes(1));
    const masterNeeds = SparkMemory.containerMemoryFor(masterDaemon);
    check(masterNeeds.toMebibytes() <= masterLimitMib, this, 'master.daemonMemory', masterDaemon.toSparkString(),
      `at most what the master's memory limit (${masterLimitMib} MiB) holds with the JVM's overhead: `
      + `${masterDaemon.toSparkString()} needs ${masterNeeds.toMebibytes()} MiB`);
    return resources;
  }

  private masterDaemonMemory(master: SparkMasterOptions): SparkMemory {
    return master.daemonMemory ?? SparkMemory.mebibytes(512);
  }

  /** The workers' replicas, autoscaling bounds and disruption budget, checked. */
  private workerScaling(workers: SparkWorkerOptions): WorkerScaling {
    const replicas = workers.replicas ?? 2;
    check(Number.isInteger(replicas) && replicas >= 1 && replicas <= 1000, this, 'workers.replicas', replicas,
      'an integer from 1 to 1000 (a cluster without workers runs nothing)');
    const autoscaling = workers.autoscaling;
    let minReplicas = replicas;
    if (autoscaling) {
      minReplicas = autoscaling.minReplicas ?? replicas;
      check(Number.isInteger(minReplicas) && minReplicas >= 1 && minReplicas <= 1000, this,
        'workers.autoscaling.minReplicas', minReplicas, 'an integer from 1 to 1000');
      check(Number.isInteger(autoscaling.maxReplicas) && autoscaling.maxReplicas >= minReplicas
        && autoscaling.maxReplicas <= 1000, this, 'workers.autoscaling.maxReplicas', autoscaling.maxReplicas,
      `an integer from minReplicas (${minReplicas}) to 1000`);
      const utilization = autoscaling.cpuUtilization ?? 80;
      check(Number.isInteger(utilization) && utilization >= 1 && utilization <= 100, this,
        'workers.autoscaling.cpuUtilization', utilization, 'a percentage from 1 to 100');
    }
    const maxUnavailable = workers.maxUnavailable ?? 1;
    check(Number.isInteger(maxUnavailable) && maxUnavailable >= 1, this, 'workers.maxUnavailable', maxUnavailable,
      'an integer of at least 1 (0 would block every node drain)');
    return { replicas, minReplicas, maxUnavailable };
  }

  /** The `spark-defaults.conf` of the master, the workers and the drivers, and {@link clientConf}. */
  private configurations(props: SparkStandaloneClusterProps, ports: ClusterPorts) {
    const master = props.master ?? {};
    const source = `SparkStandaloneCluster ${this.node.path}`;
    const shared = new SparkConf();
    if (this.authenticated) {
      shared.setBoolean('spark.authenticate', true, source);
      shared.setBoolean('spark.network.crypto.enabled', this.authentication.networkEncryption, source);
    }
    const ingress = master.ingress;
    const ingressPath = ingress ? this.checkIngress(ingress) : '/';
    if (props.reverseProxy) {
      shared.setBoolean('spark.ui.reverseProxy', true, source);
      if (ingress) {
        const scheme = ingress.tlsSecret ? 'https' : 'http';
        shared.set('spark.ui.reverseProxyUrl', `${scheme}://${ingress.host}${ingressPath.replace(/\/+$/, '')}`, source);
      }
    }
    if (props.monitoring !== undefined) {
      // Spark's PrometheusServlet on each daemon's web UI (apache/spark conf/metrics.properties.template).
      shared.set(`${METRICS_SINK}.class`, 'org.apache.spark.metrics.sink.PrometheusServlet', source)
        .set(`${METRICS_SINK}.path`, WORKER_METRICS_PATH, source);
    }
    // The confs are rendered into ConfigMaps: no credential in them.
    for (const key of props.sparkConf?.keys ?? []) {
      refuseManagedConfKey(this, key, STANDALONE_MANAGED_KEYS);
      refuseCredentialConf(this, 'sparkConf key', key);
    }
    const common = props.sparkConf ? shared.merge(props.sparkConf, this) : shared;
    requireConfKeysKnown(this, this.image, common);

    const masterConf = new SparkConf();
    if (props.monitoring !== undefined) {
      masterConf.set('spark.metrics.conf.master.sink.prometheusServlet.path', MASTER_METRICS_PATHS[0], source)
        .set('spark.metrics.conf.applications.sink.prometheusServlet.path', MASTER_METRICS_PATHS[1], source);
    }
    if (ports.restEnabled) {
      masterConf.setBoolean('spark.master.rest.enabled', true, source).setInteger('spark.master.rest.port', ports.rest, source);
    }
    if (master.recovery) {
      masterConf.set('spark.deploy.recoveryMode', 'FILESYSTEM', source).set('spark.deploy.recoveryDirectory', RECOVERY_MOUNT, source);
    }
    const workerConf = new SparkConf().setBoolean('spark.worker.cleanup.enabled', props.workers?.cleanup ?? true, source);
    const clientConf = new SparkConf().set('spark.master', this.masterUrl, source);
    if (this.authenticated) {
      clientConf.set('spark.authenticate.secret', AUTH_SECRET_MARKER, source);
    }
    const masterFile = common.merge(masterConf, this).toDefaultsFile();
    const workerFile = common.merge(workerConf, this).toDefaultsFile();
    return { common, masterFile, workerFile, clientConf: common.merge(clientConf, this) };
  }

  /** Checks the master Ingress; returns its path. */
  private checkIngress(ingress: SparkMasterIngressOptions): string {
    dnsSubdomain(this, 'master.ingress.host', ingress.host);
    const ingressPath = ingress.path ?? '/';
    httpPath(this, 'master.ingress.path', ingressPath);
    return ingressPath;
  }


  private masterStatefulSetFor(scope: Construct, master: SparkMasterOptions, names: ClusterNames, ports: ClusterPorts,
    resources: k8s.ResourceRequirements, masterHost: string, masterFile: string): ApiObject {
    const labels = this.labels.forComponent(this, 'master');
    const recovery = master.recovery;
    if (recovery?.storage !== undefined) {
      mebibytes(this, 'master.recovery.storage', recovery.storage);
    }
    if (recovery?.storageClassName !== undefined) {
      DnsNames.validateSubdomain(this, 'master.recovery.storageClassName', recovery.storageClassName);
    }
    const pod = this.daemonPod(names.masterConf, masterFile, {
      name: 'master',
      command: [
        '/opt/spark/bin/spark-class', 'org.apache.spark.deploy.master.Master',
        '--host', masterHost, '--port', String(ports.master), '--webui-port', String(ports.masterUi),
      ],
      env: [
        { name: 'SPARK_CONF_DIR', value: SPARK_CONF_DIR },
        { name: 'SPARK_DAEMON_MEMORY', value: this.masterDaemonMemory(master).toSparkString() },
        ...this.authEnv(),
      ],
      ports: [
        containerPort('spark', ports.master),
        containerPort('webui', ports.masterUi),
        ...(ports.restEnabled ? [containerPort('rest', ports.rest)] : []),
      ],
      resources,
      startupProbe: tcpProbe('spark', 5, 36),
      readinessProbe: httpProbe('webui', '/', 10, 3),
      livenessProbe: tcpProbe('spark', 20, 3),
      lifecycle: daemonLifecycle(this, 'master.lifecycleHooks', master.lifecycleHooks),
    });
    pod.applyPodOptions(resolvePodOptions(this, 'master.pod', master.pod));
    if (recovery) {
      pod.addVolumeMount('master', { name: 'recovery', mountPath: RECOVERY_MOUNT });
    }
    const claims = resolveClaimTemplates(this, 'master.volumeClaimTemplates', master.volumeClaimTemplates, labels);
    const own = recovery ? [claimTemplate('recovery', labels, recovery.storage ?? Size.gibibytes(1), recovery.storageClassName)] : [];
    // spark-role: what a tenant's network policies know Spark pods by
    // (only on the pods, never in the immutable StatefulSet selector).
    const template = this.withClaims(pod, 'master', master, claims, own, { ...labels.all(), [SPARK_ROLE_LABEL]: 'master' });
    const volumeClaimTemplates = [...own, ...claims.map((c) => c.template)];
    return new k8s.KubeStatefulSet(scope, 'Resource', {
      metadata: { name: names.master, namespace: this.namespace, labels: labels.all() },
      spec: {
        serviceName: names.masterHeadless,
        replicas: 1,
        selector: { matchLabels: labels.selector() },
        template,
        ...updateStrategy(this, 'master.updateStrategy', master.updateStrategy),
        ...(volumeClaimTemplates.length > 0 ? { volumeClaimTemplates } : {}),
      },
    });
  }

  private masterIngressFor(scope: Construct, ingress: SparkMasterIngressOptions, service: string): ApiObject {
    const labels = this.labels.forComponent(this, 'master');
    return new k8s.KubeIngress(scope, 'Ingress', {
      metadata: {
        name: service,
        namespace: this.namespace,
        labels: labels.all(),
        ...(ingress.annotations && Object.keys(ingress.annotations).length > 0 ? { annotations: { ...ingress.annotations } } : {}),
      },
      spec: {
        ...(ingress.ingressClassName !== undefined
          ? { ingressClassName: DnsNames.validateSubdomain(this, 'master.ingress.ingressClassName', ingress.ingressClassName) }
          : {}),
        ...(ingress.tlsSecret ? { tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecret.name }] } : {}),
        rules: [{
          host: ingress.host,
          http: {
            paths: [{
              path: ingress.path ?? '/',
              pathType: 'Prefix',
              backend: { service: { name: service, port: { name: 'webui' } } },
            }],
          },
        }],
      },
    });
  }

  private workerStatefulSetFor(scope: Construct, workers: SparkWorkerOptions, names: ClusterNames, ports: ClusterPorts,
    resources: k8s.ResourceRequirements, workDir: WorkerStorage, scaling: WorkerScaling, workerHost: string,
    workerFile: string): ApiObject {
    const labels = this.labels.forComponent(this, 'worker');
    const persistentWorkDir = workDir.kind === WorkerStorageKind.PERSISTENT_VOLUME;
    const identity = WorkloadIdentity._checked(this, 'workers.identity', workers.identity);
    const account = this.workerServiceAccount(scope, names.worker, labels, workers.serviceAccountAnnotations, identity);
    const pod = this.daemonPod(names.workerConf, workerFile, {
      name: 'worker',
      command: [
        '/opt/spark/bin/spark-class', 'org.apache.spark.deploy.worker.Worker',
        '--host', workerHost, this.masterUrl,
      ],
      env: [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'SPARK_CONF_DIR', value: SPARK_CONF_DIR },
        { name: 'SPARK_DAEMON_MEMORY', value: this.workerDaemonMemory(workers).toSparkString() },
        { name: 'SPARK_WORKER_CORES', value: String(this.workerCores) },
        { name: 'SPARK_WORKER_MEMORY', value: this.workerMemory.toSparkString() },
        { name: 'SPARK_WORKER_PORT', value: String(ports.worker) },
        { name: 'SPARK_WORKER_WEBUI_PORT', value: String(ports.workerUi) },
        // Application directories and Spark's local directories side by side on one
        // volume (the cleanup only looks into the first).
        { name: 'SPARK_WORKER_DIR', value: `${WORK_MOUNT}/apps` },
        { name: 'SPARK_LOCAL_DIRS', value: `${WORK_MOUNT}/local` },
        ...this.authEnv(),
      ],
      ports: [containerPort('worker', ports.worker), containerPort('webui', ports.workerUi)],
      resources,
      startupProbe: tcpProbe('worker', 5, 36),
      readinessProbe: httpProbe('webui', '/', 10, 3),
      livenessProbe: tcpProbe('worker', 20, 3),
      lifecycle: daemonLifecycle(this, 'workers.lifecycleHooks', workers.lifecycleHooks),
    }, account);
    pod.applyPodOptions(resolvePodOptions(this, 'workers.pod', workers.pod));
    if (persistentWorkDir) {
      pod.addVolumeMount('worker', { name: 'work', mountPath: WORK_MOUNT });
    } else {
      pod.addScratch('work', WORK_MOUNT, ['worker'], { sizeLimit: quantity(workDir.size) });
    }
    if (workers.autoscaling !== undefined || scaling.replicas > 1) {
      pod.spreadAcrossNodes(labels.selector());
    }
    const claims = resolveClaimTemplates(this, 'workers.volumeClaimTemplates', workers.volumeClaimTemplates, labels);
    const own = persistentWorkDir ? [claimTemplate('work', labels, workDir.size, workDir.storageClassName)] : [];
    const template = this.withClaims(pod, 'worker', workers, claims, own,
      WorkloadIdentity._podLabels(this, 'labels', { ...labels.all(), [SPARK_ROLE_LABEL]: 'worker' }, identity)!);
    const volumeClaimTemplates = [...own, ...claims.map((c) => c.template)];
    return new k8s.KubeStatefulSet(scope, 'Resource', {
      metadata: { name: names.worker, namespace: this.namespace, labels: labels.all() },
      spec: {
        serviceName: names.workerHeadless,
        // With an autoscaler, the replica count is its to set (and a GitOps sync must not reset it).
        ...(workers.autoscaling ? {} : { replicas: scaling.replicas }),
        // Workers are interchangeable: start and stop them all at once.
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: labels.selector() },
        template,
        ...updateStrategy(this, 'workers.updateStrategy', workers.updateStrategy),
        ...(volumeClaimTemplates.length > 0 ? { volumeClaimTemplates } : {}),
        // Scratch space: not worth keeping once its worker is gone. The policy is the StatefulSet's, for
        // every claim: with the user's claims too, they are kept (the default), and so is the work directory's.
        ...(persistentWorkDir && claims.length === 0 ? { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } } : {}),
      },
    });
  }

  /**
   * The pod template with the user's claims mounted into `container`; a
   * claim named like a volume or claim of the construct's, or mounted where
   * something else is, is refused.
   */
  private withClaims(pod: PodBuilder, container: string, given: SparkMasterOptions | SparkWorkerOptions, claims: ResolvedClaim[],
    own: k8s.KubePersistentVolumeClaimProps[], labels: { [key: string]: string }): k8s.PodTemplateSpec {
    const role = container === 'master' ? 'master' : 'workers';
    const prop = `${role}.volumeClaimTemplates`;
    // Copied now: a later change of the caller's lists would be ignored, so it fails synthesis instead.
    for (const key of ['volumeClaimTemplates', 'lifecycleHooks'] as const) {
      if (given[key] !== undefined) {
        guardLateChange(this, `${role}.${key}`, () => given[key], 'give the final value when creating the SparkStandaloneCluster');
      }
    }
    claims.forEach((c, i) => check(!own.some((o) => o.metadata?.name === c.mount.name), this, `${prop}[${i}].name`, c.mount.name,
      `a name the construct's own claim templates do not use (${own.map((o) => o.metadata?.name).join(', ')})`));
    claims.forEach((c) => pod.addVolumeMount(container, c.mount));
    const template = pod.renderTemplate(labels);
    checkClaimsAgainstPod(this, prop, claims, template.spec!, container);
    return template;
  }

  /**
   * The workers' own ServiceAccount, when they have a cloud identity or
   * ServiceAccount annotations: no API token (the daemons never call the API).
   */
  private workerServiceAccount(scope: Construct, name: string, labels: StandardLabels, given: { [key: string]: string } | undefined,
    identity: WorkloadIdentity | undefined): string | undefined {
    if (identity === undefined && given === undefined) {
      return undefined;
    }
    guardLateChange(this, 'workers.serviceAccountAnnotations', () => given, 'give the final annotations when creating the SparkStandaloneCluster');
    const annotations = WorkloadIdentity._serviceAccountAnnotations(this, 'workers.serviceAccountAnnotations', given, identity);
    new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
      metadata: { name, namespace: this.namespace, labels: labels.all(), ...(annotations ? { annotations } : {}) },
      automountServiceAccountToken: false,
    });
    return name;
  }

  private workerAutoscalerFor(scope: Construct, autoscaling: WorkerAutoscalingOptions, worker: string, scaling: WorkerScaling,
    labels: StandardLabels): ApiObject {
    return new k8s.KubeHorizontalPodAutoscalerV2(scope, 'Autoscaler', {
      metadata: { name: worker, namespace: this.namespace, labels: labels.all() },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: worker },
        minReplicas: scaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: [{
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.cpuUtilization ?? 80 } },
        }],
        behavior: {
          // Removing a worker kills its executors: scale down slowly, one worker at a time.
          scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
        },
      },
    });
  }

  /** The cluster's Services: the master Service and the two headless Services. */
  public get services(): ApiObject[] {
    return [this.masterService, this.masterHeadlessService, this.workerHeadlessService];
  }

  /** The cluster's StatefulSets: the master and the workers. */
  public get statefulSets(): ApiObject[] {
    return [this.masterStatefulSet, this.workerStatefulSet];
  }

  /**
   * Environment variables of a driver of this cluster: where its
   * configuration is, the pod IP it advertises to the executors
   * (`SPARK_LOCAL_HOSTNAME`), and the shared secret (from the Secret) when
   * authenticated.
   */
  public clientEnv(): k8s.EnvVar[] {
    return [
      { name: 'SPARK_CONF_DIR', value: SPARK_CONF_DIR },
      // Executors on the workers dial the driver at spark.driver.host, which
      // defaults to Utils.localCanonicalHostName(): the pod's own hostname, which
      // no other pod can resolve. SPARK_LOCAL_HOSTNAME replaces that name
      // (apache/spark core/src/main/scala/org/apache/spark/util/Utils.scala), so
      // the driver advertises, and binds to, its pod IP.
      { name: 'SPARK_LOCAL_HOSTNAME', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      ...this.authEnv(),
    ];
  }

  /** The volume with the drivers' `spark-defaults.conf` ({@link clientConfigMap}). */
  public clientVolumes(): k8s.Volume[] {
    return [{ name: 'spark-conf', configMap: { name: this.clientConfigMap.name } }];
  }

  /** The mount of {@link clientVolumes} at `SPARK_CONF_DIR` (`/opt/spark/conf`). */
  public clientVolumeMounts(): k8s.VolumeMount[] {
    return [{ name: 'spark-conf', mountPath: SPARK_CONF_DIR, readOnly: true }];
  }

  /**
   * A Kubernetes Job that runs `spark-submit --master <masterUrl>` with the
   * driver in its pod (client mode), so the Job succeeds or fails with the application.
   */
  public submitJob(id: string, options: SparkStandaloneSubmitOptions): SparkStandaloneSubmit {
    return new SparkStandaloneSubmit(this, id, { ...options, cluster: this });
  }

  /** The labels of another component of this cluster (a job submitted to it, a notebook). */
  public componentLabels(scope: IConstruct, component: string): StandardLabels {
    return this._labelsFor(scope, component);
  }

  /** @internal The labels of another component of this cluster (e.g. a notebook). */
  public _labelsFor(scope: IConstruct, component: string): StandardLabels {
    return this.labels.forComponent(scope, component);
  }

  private authEnv(): k8s.EnvVar[] {
    if (!this.authSecret) {
      return [];
    }
    return [{
      name: AUTH_SECRET_ENV,
      valueFrom: { secretKeyRef: { name: this.authSecret.name, key: this.authSecretKey!, optional: false } },
    }];
  }

  private workerDaemonMemory(workers: SparkWorkerOptions): SparkMemory {
    return workers.daemonMemory ?? SparkMemory.mebibytes(512);
  }

  private workerSizing(workers: SparkWorkerOptions): { cores: number; memory: SparkMemory; resources: k8s.ResourceRequirements } {
    const daemon = this.workerDaemonMemory(workers);
    const given = workers.resources;

    // Cores: from the CPU limit, or checked against it.
    if (workers.cores !== undefined) {
      check(Number.isInteger(workers.cores) && workers.cores >= 1 && workers.cores <= 1024, this, 'workers.cores',
        workers.cores, 'a whole number of cores from 1 to 1024');
    }
    const cpuLimit = given?.cpu?.limit ?? Cpu.units(workers.cores ?? 2);
    const limitMillis = millicores(this, 'workers.resources.cpu.limit', cpuLimit);
    let cores: number;
    if (workers.cores !== undefined) {
      cores = workers.cores;
      check(cores * 1000 <= limitMillis, this, 'workers.cores', cores,
        `at most the container's CPU limit (${limitMillis}m): executors promised more cores than the limit would be throttled`);
    } else {
      cores = Math.floor(limitMillis / 1000);
      check(cores >= 1, this, 'workers.resources.cpu.limit', cpuLimit.amount,
        'at least 1 core: a worker offers executors whole cores');
    }

    // Memory: the container holds the worker memory plus the daemon and the JVM overheads.
    let memory: SparkMemory;
    let containerMib: number;
    const givenLimit = given?.memory?.limit;
    if (workers.memory !== undefined) {
      check(SparkMemory.isSparkMemory(workers.memory), this, 'workers.memory', workers.memory, 'a SparkMemory, e.g. SparkMemory.gibibytes(4)');
      memory = workers.memory;
      const budget = workerBudget(memory, daemon);
      containerMib = givenLimit ? floorMebibytes(givenLimit) : budget.totalMib;
      if (budget.totalMib > containerMib) {
        const largest = largestWorkerMemory(containerMib, daemon);
        check(false, this, 'workers.memory', memory.toSparkString(),
          `${largest ? `at most ${largest}m` : 'nothing'} fits the container memory limit of ${containerMib} MiB, `
          + `which must hold ${describeBudget(budget)}; raise workers.resources.memory.limit or lower workers.memory`);
      }
    } else {
      containerMib = givenLimit ? floorMebibytes(givenLimit) : 4096;
      const largest = largestWorkerMemory(containerMib, daemon);
      const minimum = workerBudget(SparkMemory.mebibytes(1), daemon).totalMib;
      check(largest !== undefined, this, 'workers.resources.memory.limit', `${containerMib} MiB`,
        `more than ${minimum - 1} MiB: the worker daemon (${daemon.toSparkString()} heap and its JVM overhead) and the `
        + 'executors\' JVM overhead leave nothing for executors');
      memory = SparkMemory.mebibytes(largest!);
    }
    const containerMemory = givenLimit ?? Size.mebibytes(containerMib);
    const resources = renderResources(this, 'workers.resources', given, {
      cpuRequest: cpuLimit,
      cpuLimit,
      memoryRequest: containerMemory,
      memoryLimit: containerMemory,
    });
    return { cores, memory, resources };
  }

  private configMap(id: string, name: string, labels: StandardLabels, content: string): ApiObject {
    return new k8s.KubeConfigMap(this, id, {
      metadata: { name, namespace: this.namespace, labels: labels.all() },
      data: { [DEFAULTS_FILE]: content },
    });
  }

  /**
   * A daemon's pod: the container with the cluster's image, its configuration
   * mounted at SPARK_CONF_DIR (a change rolls the pods), and a writable /tmp.
   */
  private daemonPod(confName: string, confFile: string, container: Omit<PodSpecInput['container'], 'volumeMounts'>,
    serviceAccountName?: string): PodBuilder {
    const uid = this.image.uid;
    const pod = new PodBuilder(this, {
      runAsUser: uid,
      fsGroupChangePolicy: 'OnRootMismatch',
      pullSecrets: this.image.pullSecrets.map((s) => s.name),
      serviceAccountName,
    });
    pod.addContainer({ ...container, image: this.image.imageFor(this), imagePullPolicy: this.image.pullPolicy });
    pod.addVolume({ name: 'spark-conf', configMap: { name: confName } });
    pod.addVolumeMount(container.name, { name: 'spark-conf', mountPath: SPARK_CONF_DIR, readOnly: true });
    pod.addScratch('tmp', '/tmp', [container.name], { sizeLimit: k8s.Quantity.fromString('1Gi') });
    pod.addChecksum(CONF_CHECKSUM_ANNOTATION, confFile);
    return pod;
  }
}

interface PodSpecInput {
  readonly container: {
    readonly name: string;
    readonly command: string[];
    readonly env: k8s.EnvVar[];
    readonly ports: k8s.ContainerPort[];
    readonly resources: k8s.ResourceRequirements;
    readonly startupProbe: k8s.Probe;
    readonly readinessProbe: k8s.Probe;
    readonly livenessProbe: k8s.Probe;
    readonly lifecycle?: k8s.Lifecycle;
    readonly volumeMounts: k8s.VolumeMount[];
  };
  readonly volumes: k8s.Volume[];
  readonly spread?: { [key: string]: string };
}

function quantity(size: Size): k8s.Quantity {
  const mib = size.toMebibytes();
  return k8s.Quantity.fromString(memoryQuantity(mib * 1024));
}

function claimTemplate(name: string, labels: StandardLabels, size: Size, storageClassName: string | undefined): k8s.KubePersistentVolumeClaimProps {
  return {
    metadata: { name, labels: labels.all() },
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(storageClassName !== undefined ? { storageClassName } : {}),
      resources: { requests: { storage: quantity(size) } },
    },
  };
}

/** The StatefulSet's updateStrategy, when given (a partition is a whole number, at least 0). */
function updateStrategy(scope: Construct, prop: string,
  given: StatefulSetUpdateStrategy | undefined): { updateStrategy?: k8s.StatefulSetUpdateStrategy } {
  if (given === undefined) {
    return {};
  }
  check(given instanceof StatefulSetUpdateStrategy, scope, prop, typeof given,
    'a StatefulSetUpdateStrategy, e.g. StatefulSetUpdateStrategy.onDelete() or .rollingUpdate({ partition: 2 })');
  const kube = given._toKube();
  const partition = kube.rollingUpdate?.partition;
  check(partition === undefined || (Number.isInteger(partition) && partition >= 0), scope, `${prop} partition`, partition,
    'a whole number, at least 0');
  return { updateStrategy: kube };
}

/** Refuses values of the wrong kind where the props take a class of this library (callers from plain JavaScript). */
function checkPropKinds(scope: Construct, props: SparkStandaloneClusterProps): void {
  typed(scope, 'image', props?.image, SparkImage.isSparkImage, 'a SparkImage, e.g. SparkImage.apache()');
  typed(scope, 'sparkConf', props?.sparkConf, SparkConf.isSparkConf, 'a SparkConf, e.g. SparkConf.of({ ... })');
  typed(scope, 'master.daemonMemory', props?.master?.daemonMemory, SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
  typed(scope, 'workers.daemonMemory', props?.workers?.daemonMemory, SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
}
