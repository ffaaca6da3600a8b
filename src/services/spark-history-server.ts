import { Chart, Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { ContainerResources, Cpu, IPersistentVolumeClaim, ISecret, k8s, PersistentVolumeClaim } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterStorage } from '../cluster/storage';
import { brand, isBranded } from '../core/brand';
import { requireConfKeysKnown, requireSparkFeature, SPARK_FEATURES } from '../core/compatibility-spark';
import { refuseCredentialConf } from '../core/credentials';
import { check } from '../core/errors';
import { EventLogStore } from '../core/event-log-store';
import { ImageNeed, requireImageFacts, requireStoreImage } from '../core/image-facts';
import { refuseManagedConfKey } from '../core/job-conf-keys';
import { resolveNamespace } from '../core/kube-ref-checks';
import { INamespaceRef } from '../core/kube-refs';
import { StandardLabels } from '../core/labels';
import { guardLateChange } from '../core/late-change';
import { PrometheusMonitoringOptions } from '../core/monitoring';
import { DnsNames } from '../core/names';
import { PodBuilder } from '../core/pod-builder';
import { ResolvedPodOptions, resolvePodOptions } from '../core/pod-options';
import { checkMonitoring, emitRules, refuseScrapeOptions } from '../core/prometheus';
import { renderResources } from '../core/resources';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';
import { SparkMemory } from '../core/spark-memory';
import { httpPath, mebibytes, nodePort, wholeSeconds, typed } from '../core/validate';
import { WorkloadIdentity } from '../core/workload-identity';
import { WorkloadPodOptions } from '../core/workload-pod-options';

/** The port the history server listens on and its Service exposes. */
export const SPARK_HISTORY_SERVER_PORT = 18080;

const MAIN_CLASS = 'org.apache.spark.deploy.history.HistoryServer';
const CONF_DIR = '/etc/spark-history';
const STORE_PATH = '/var/lib/spark-history';
// One store lookup through the REST API: answers once Jetty and the listing
// store are up, without rendering HTML or waiting for the log scan to finish.
const PROBE_PATH = '/api/v1/applications?limit=1';

/**
 * Keys the typed props manage: set in sparkConf they would change what the
 * pod must provide (a writable store, a read-write log mount...), so they are refused.
 */
const MANAGED_KEYS: { readonly [key: string]: string } = {
  'spark.history.fs.logDirectory': 'the store prop (EventLogStore)',
  'spark.history.ui.port': `nothing: the server listens on ${SPARK_HISTORY_SERVER_PORT}, exposed by its Service`,
  'spark.history.fs.cleaner.enabled': 'the cleaner prop',
  'spark.history.fs.cleaner.interval': 'cleaner.interval',
  'spark.history.fs.cleaner.maxAge': 'cleaner.maxAge',
  'spark.history.fs.cleaner.maxNum': 'cleaner.maxNumFiles',
  'spark.history.retainedApplications': 'the retainedApplications prop',
  'spark.history.fs.update.interval': 'the updateInterval prop',
  'spark.history.store.path': 'the localStore prop (HistoryLocalStore)',
  'spark.history.store.maxDiskUsage': 'the maxDiskUsage option of localStore',
  'spark.history.store.hybridStore.enabled': 'the hybrid option of localStore',
  'spark.history.store.hybridStore.maxMemoryUsage': 'the hybridMaxMemory option of localStore',
};
// Event log compaction rewrites files in the log directory.
const COMPACTION_KEY = 'spark.history.fs.eventLog.rolling.maxFilesToRetain';

/** Settings of the history server's cleaner, which deletes old event logs from the store. */
export interface HistoryCleanerOptions {
  /**
   * Run the cleaner. It then needs write access to the store (a volume store
   * is mounted read-write; object store credentials must allow deletes).
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How often the cleaner runs (whole seconds).
   * @default - Spark's default (1 day)
   */
  readonly interval?: Duration;
  /**
   * Event logs older than this are deleted (whole seconds).
   * @default - Spark's default (7 days)
   */
  readonly maxAge?: Duration;
  /**
   * At most this many event logs are kept; the oldest are deleted first.
   * @default - no limit
   */
  readonly maxNumFiles?: number;
}

/** Options shared by every kind of {@link HistoryLocalStore}. */
export interface HistoryLocalStoreOptions {
  /**
   * Disk space the application stores may take (`spark.history.store.maxDiskUsage`);
   * least recently used ones are evicted above it.
   * @default - 80% of the emptyDir size limit or of the claim's storage request; Spark's 10 GiB when the claim's size is unknown
   */
  readonly maxDiskUsage?: Size;
  /**
   * Use the hybrid store (`spark.history.store.hybridStore.enabled`): an
   * application is parsed into memory first and then written to disk, which
   * loads large applications faster at the cost of heap.
   * @default false
   */
  readonly hybrid?: boolean;
  /**
   * Heap the hybrid store may take (`spark.history.store.hybridStore.maxMemoryUsage`);
   * less than the server's heap. Only with `hybrid`.
   * @default - a quarter of the heap
   */
  readonly hybridMaxMemory?: Size;
}

/** Options of {@link HistoryLocalStore.emptyDir}. */
export interface EmptyDirHistoryLocalStoreOptions extends HistoryLocalStoreOptions {
  /**
   * Size limit of the emptyDir; the kubelet evicts the pod above it.
   * @default Size.gibibytes(10)
   */
  readonly sizeLimit?: Size;
}

/** Options of {@link HistoryLocalStore.persistentVolumeClaim}. */
export interface PvcHistoryLocalStoreOptions extends HistoryLocalStoreOptions {
  /** The claim (ReadWriteOnce is enough: only the history server mounts it). */
  readonly claim: IPersistentVolumeClaim;
}

/**
 * Where the history server keeps parsed applications on disk
 * (`spark.history.store.path`) instead of in its heap, so that it restarts
 * without replaying every event log (with a claim) and serves large
 * applications without running out of memory.
 */
export class HistoryLocalStore {
  /** A sized emptyDir: lost when the pod goes, so a restart replays the logs. */
  public static emptyDir(options: EmptyDirHistoryLocalStoreOptions = {}): HistoryLocalStore {
    const sizeLimit = options.sizeLimit ?? Size.gibibytes(10);
    const sizeMib = mebibytes('HistoryLocalStore.emptyDir', 'sizeLimit', sizeLimit);
    return new HistoryLocalStore('HistoryLocalStore.emptyDir', options, sizeMib, undefined);
  }

  /** A claim: the parsed applications survive restarts. The server then updates with `Recreate`. */
  public static persistentVolumeClaim(options: PvcHistoryLocalStoreOptions): HistoryLocalStore {
    const where = 'HistoryLocalStore.persistentVolumeClaim';
    check(options.claim !== undefined && options.claim !== null && typeof options.claim.name === 'string', where, 'claim',
      options.claim, 'a PersistentVolumeClaim');
    // A claim made here (any cdk8s-plus line: not `instanceof`) states its size; an imported one does not.
    const storage = (options.claim as Partial<PersistentVolumeClaim>).storage;
    const sizeMib = storage instanceof Size ? Math.floor(storage.toMebibytes({ rounding: SizeRoundingBehavior.NONE })) : undefined;
    return new HistoryLocalStore(where, options, sizeMib, options.claim);
  }

  /** True when `x` is a {@link HistoryLocalStore} (also from another copy of the library). */
  public static isHistoryLocalStore(x: any): x is HistoryLocalStore {
    return isBranded(x, 'HistoryLocalStore');
  }

  /** The claim, for a persistent store. */
  public readonly claim?: IPersistentVolumeClaim;
  /** True when the store is a claim that survives restarts. */
  public readonly persistent: boolean;
  /** Use the hybrid store. */
  public readonly hybrid: boolean;
  private readonly sizeMib?: number;
  private readonly maxDiskMib?: number;
  private readonly hybridMaxMemoryMib?: number;

  private constructor(where: string, options: HistoryLocalStoreOptions, sizeMib: number | undefined,
    claim: IPersistentVolumeClaim | undefined) {
    brand(this, 'HistoryLocalStore');
    this.claim = claim;
    this.persistent = claim !== undefined;
    this.hybrid = options.hybrid ?? false;
    this.sizeMib = sizeMib;
    if (options.maxDiskUsage !== undefined) {
      this.maxDiskMib = mebibytes(where, 'maxDiskUsage', options.maxDiskUsage);
      check(sizeMib === undefined || this.maxDiskMib <= sizeMib, where, 'maxDiskUsage', `${this.maxDiskMib} MiB`,
        `at most the size of the volume (${sizeMib} MiB); leave headroom for the listing database`);
    } else if (sizeMib !== undefined) {
      this.maxDiskMib = Math.max(1, Math.floor(sizeMib * 0.8));
    }
    if (options.hybridMaxMemory !== undefined) {
      check(this.hybrid, where, 'hybridMaxMemory', options.hybridMaxMemory.toMebibytes({ rounding: SizeRoundingBehavior.NONE }),
        'only with hybrid: true (it sizes the hybrid store)');
      this.hybridMaxMemoryMib = mebibytes(where, 'hybridMaxMemory', options.hybridMaxMemory);
    }
  }

  /** @internal The volume of the store. */
  public _volume(name: string): k8s.Volume {
    return this.claim
      ? { name, persistentVolumeClaim: { claimName: this.claim.name } }
      : { name, emptyDir: { sizeLimit: k8s.Quantity.fromString(SparkMemory.mebibytes(this.sizeMib!).toQuantity()) } };
  }

  /** @internal The store's configuration for a server with a heap of `heap`. */
  public _conf(scope: Construct, heap: SparkMemory, source: string): SparkConf {
    const conf = new SparkConf().set('spark.history.store.path', STORE_PATH, source);
    if (this.maxDiskMib !== undefined) {
      conf.set('spark.history.store.maxDiskUsage', SparkMemory.mebibytes(this.maxDiskMib).toSparkString(), source);
    }
    if (this.hybrid) {
      const mib = this.hybridMaxMemoryMib ?? Math.floor(heap.toMebibytes() / 4);
      check(mib >= 1 && mib < heap.toMebibytes(), scope, 'localStore.hybridMaxMemory', `${mib} MiB`,
        `less than the heap (memory, ${heap.toMebibytes()} MiB): the hybrid store lives in it`);
      conf.setBoolean('spark.history.store.hybridStore.enabled', true, source);
      conf.set('spark.history.store.hybridStore.maxMemoryUsage', SparkMemory.mebibytes(mib).toSparkString(), source);
    }
    return conf;
  }
}

/** An Ingress in front of the history server. */
export interface SparkHistoryServerIngressOptions {
  /**
   * Host name the Ingress answers for.
   * @default - any host
   */
  readonly host?: string;
  /**
   * Path prefix. Other than `/`, the ingress controller must strip it before
   * forwarding (e.g. a rewrite annotation); the server then writes its links
   * under it (`APPLICATION_WEB_PROXY_BASE`).
   * @default '/'
   */
  readonly path?: string;
  /**
   * A `kubernetes.io/tls` Secret to terminate TLS with; requires `host`.
   * @default - plain HTTP
   */
  readonly tlsSecret?: ISecret;
  /**
   * IngressClass of the Ingress.
   * @default - the cluster's default IngressClass
   */
  readonly ingressClassName?: string;
  /**
   * Annotations of the Ingress (controller-specific settings).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * Options of {@link SparkHistoryServer}: everything a composite (such as SparkPlatform) may forward to it.
 */
export interface SparkHistoryServerOptions {
  /**
   * Name of the Deployment, Service, ServiceAccount and Ingress (a DNS-1035 label).
   * @default 'spark-history-server'
   */
  readonly name?: string;

  /**
   * More Spark configuration for the server (`spark.history.*`,
   * `spark.hadoop.*`...). Keys the typed props manage are refused, and keys
   * the store sets may only repeat its values.
   * @default - none
   */
  readonly sparkConf?: SparkConf;

  /**
   * Delete old event logs.
   * @default - no cleaner: event logs are kept forever, and a volume store is mounted read-only
   */
  readonly cleaner?: HistoryCleanerOptions;

  /**
   * Application UIs kept in memory (`spark.history.retainedApplications`).
   * @default - Spark's default (50)
   */
  readonly retainedApplications?: number;

  /**
   * How often the store is scanned for new or updated logs (`spark.history.fs.update.interval`, whole seconds).
   * @default - Spark's default (10 seconds)
   */
  readonly updateInterval?: Duration;

  /**
   * Keep parsed applications on disk.
   * @default - in the heap
   */
  readonly localStore?: HistoryLocalStore;

  /**
   * JVM heap (`SPARK_DAEMON_MEMORY`).
   * @default SparkMemory.mebibytes(1536)
   */
  readonly memory?: SparkMemory;

  /**
   * Memory of the container beyond the heap (metaspace, threads, direct
   * buffers, the disk store's native memory); at most `memory`.
   * @default SparkMemory.mebibytes(512)
   */
  readonly memoryOverhead?: SparkMemory;

  /**
   * Requests and limits of the server container. The memory limit must
   * cover `memory` + `memoryOverhead`.
   * @default - cpu 250m request, 1 limit; memory request and limit `memory` + `memoryOverhead` (2Gi)
   */
  readonly resources?: ContainerResources;

  /**
   * Extra JVM options (`SPARK_HISTORY_OPTS`); no `-Xmx` (use `memory`).
   * @default - only -XX:+ExitOnOutOfMemoryError
   */
  readonly javaOptions?: string;

  /**
   * Also expose the server on this port of every node (a NodePort Service), 30000-32767.
   * @default - ClusterIP only
   */
  readonly nodePort?: number;

  /**
   * Where and how the server's pod runs (node selector, tolerations,
   * affinity, priority class, labels, annotations, image pull secrets).
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;

  /**
   * An Ingress (networking.k8s.io/v1) in front of the Service.
   * @default - none
   */
  readonly ingress?: SparkHistoryServerIngressOptions;

  /**
   * Annotations of the server's ServiceAccount. For a cloud identity use
   * `identity`, which refuses its keys here.
   * @default - none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };

  /**
   * A cloud identity for the server (IRSA, GKE or Azure Workload Identity),
   * e.g. to read event logs from S3, GCS or Azure storage without keys: its
   * annotations go on the server's ServiceAccount and, for Azure, its label
   * on the server's pod.
   * @default - none
   */
  readonly identity?: WorkloadIdentity;

  /**
   * A PrometheusRule alerting when the server has no available pod. Spark's
   * history server serves no metrics (apache/spark HistoryServer.scala starts
   * no MetricsSystem; MetricsSystemInstances are the master, applications,
   * workers, executors, drivers, shuffle service and YARN's application
   * master), so there is nothing to scrape: the alert reads
   * kube-state-metrics' `kube_deployment_status_replicas_available` of the
   * Deployment, and fires as well when that series is absent, i.e. when
   * Prometheus has no kube-state-metrics (kube-prometheus-stack ships it).
   * `interval` is unused; `kind`, `jobLabel` and `extraEndpoints` are
   * refused; with `alerts: false` nothing is emitted.
   * @default - none
   */
  readonly monitoring?: PrometheusMonitoringOptions;
}

/**
 * Properties of {@link SparkHistoryServer}: its options plus what a composite supplies itself (the store, the namespace, the image).
 */
export interface SparkHistoryServerProps extends SparkHistoryServerOptions {
  /** Where the event logs are: the same store the jobs write to. */
  readonly store: EventLogStore;

  /**
   * Namespace of the server.
   * @default - the chart's namespace, else 'default'
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
   * The Spark image to run. Its facts are checked: a passwd entry for its
   * uid (Hadoop's login) and the store's connector (`hadoop-aws` for S3).
   * @default SparkImage.apache()
   */
  readonly image?: SparkImage;
}

/**
 * The Spark history server: a Deployment running Spark's `HistoryServer` in
 * the foreground, configured by a ConfigMap (`spark-defaults.conf`) built from
 * the {@link EventLogStore} the jobs write to, with a ClusterIP Service (and
 * optionally a NodePort and an Ingress).
 *
 * Defaults are safe: its own ServiceAccount without an API token, the
 * restricted security standard with a read-only root filesystem, explicit
 * resources with the heap sized to the container, probes, and a read-only
 * mount of a volume store unless the cleaner needs to delete. For object
 * stores and HDFS an init container creates the log directory, so the server
 * starts on a fresh bucket.
 *
 * @example
 * // Jobs given the same store write their event logs where the server reads them.
 * const logs = EventLogStore.hdfs('hdfs://namenode.hadoop.svc:8020/spark-logs');
 * new SparkHistoryServer(chart, 'History', { store: logs, cleaner: { maxAge: Duration.days(30) } });
 */
export class SparkHistoryServer extends Construct {
  /** True when `x` is a {@link SparkHistoryServer} (also from another copy of the library, where `instanceof` fails). */
  public static isSparkHistoryServer(x: any): x is SparkHistoryServer {
    return isBranded(x, 'SparkHistoryServer');
  }

  /** Name of the server's objects. */
  public readonly name: string;
  /**
   * Namespace of the server.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The event log store it reads. */
  public readonly store: EventLogStore;
  /** In-cluster URL of the web UI and REST API, e.g. `http://spark-history-server.spark.svc:18080`. */
  public readonly url: string;
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service. */
  public readonly service: k8s.KubeService;
  /** The ConfigMap holding `spark-defaults.conf`. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The server's ServiceAccount. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The server's cloud identity, when given. */
  public readonly identity?: WorkloadIdentity;
  /** The Ingress, when one was asked for. */
  public readonly ingress?: k8s.KubeIngress;
  /** The complete server configuration (read-only: pass keys in the sparkConf prop). */
  public readonly sparkConf: SparkConf;

  constructor(scope: Construct, id: string, props: SparkHistoryServerProps) {
    super(scope, id);
    brand(this, 'SparkHistoryServer');
    checkPropKinds(this, props);
    check(EventLogStore.isEventLogStore(props?.store), this, 'store', props?.store,
      'an EventLogStore (EventLogStore.s3, .gcs, .abfs, .hdfs, .pvc or .local), the same the jobs write their event logs to');
    this.store = props.store;
    if (props.store.claim !== undefined || props.localStore?.claim !== undefined) {
      ClusterStorage.checkClaims(this); // the app's check that the claims it emits can bind
    }
    this.namespace = DnsNames.validateLabel(this, 'namespace',
      resolveNamespace(this, props.namespace, props.namespaceRef) ?? Chart.of(this).namespace ?? 'default');
    this.name = DnsNames.validateDns1035Label(this, 'name', props.name ?? 'spark-history-server');
    const image = props.image ?? SparkImage.apache();
    check(SparkImage.isSparkImage(image), this, 'image', image, 'a SparkImage');
    requireImageFacts(this, 'image', image, [
      [ImageNeed.PASSWD_ENTRY, this.store.mkdirCommand()
        ? 'the server and its init container creating the log directory log in to Hadoop'
        : 'the server logs in to Hadoop'],
    ]);
    requireStoreImage(this, 'image', image, this.store, `the event logs are in ${this.store.logDirectory}`);
    const source = `SparkHistoryServer ${this.node.path}`;

    const heap = props.memory ?? SparkMemory.mebibytes(1536);
    const resources = this.serverResources(props, heap);
    const javaOptions = ['-XX:+ExitOnOutOfMemoryError', ...(props.javaOptions ? [props.javaOptions] : [])].join(' ');
    // Spark's launcher refuses any option string containing Xmx.
    check(!/Xmx/.test(props.javaOptions ?? '') && !/[\r\n]/.test(props.javaOptions ?? ''), this, 'javaOptions', props.javaOptions,
      'JVM options on one line without -Xmx (set the heap with memory)');
    const localStore = props.localStore;
    if (localStore !== undefined) {
      check(HistoryLocalStore.isHistoryLocalStore(localStore), this, 'localStore', localStore,
        'a HistoryLocalStore (HistoryLocalStore.emptyDir or .persistentVolumeClaim)');
    }
    if (localStore?.hybrid) {
      requireSparkFeature(this, 'localStore.hybrid', image, SPARK_FEATURES.hybridHistoryStore);
    }
    const cleanerEnabled = props.cleaner !== undefined && (props.cleaner.enabled ?? true);
    this.sparkConf = this.store.historyConf()
      .merge(this.typedConf(props, cleanerEnabled, source), this)
      .merge(localStore?._conf(this, heap, source) ?? new SparkConf(), this)
      .merge(this.userConf(props), this)
      ._seal(`SparkHistoryServer ${this.node.path}`);
    requireConfKeysKnown(this, image, this.sparkConf);
    // The cleaner deletes logs and compaction rewrites them: only then does the server write to the store.
    const writesStore = cleanerEnabled || this.sparkConf.has(COMPACTION_KEY);
    const ingressPath = this.checkExposure(props);

    // --- Objects ------------------------------------------------------------
    const labels = StandardLabels.of(this, { name: 'spark-history-server', instance: this.name, version: image.sparkVersion });
    const metadata = (name: string) => ({ name, namespace: this.namespace, labels: labels.all() });

    this.serviceAccount = this.createServiceAccount(props, metadata(this.name));
    this.identity = props.identity;
    this.store._checkIdentity(this, 'identity', this.identity);

    const defaultsFile = this.sparkConf.toDefaultsFile();
    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: metadata(`${this.name}-config`),
      data: { 'spark-defaults.conf': defaultsFile },
    });

    const pod = this.serverPod(image, {
      podOptions: resolvePodOptions(this, 'pod', props.pod),
      resources,
      writesStore,
      localStore,
      env: [
        { name: 'SPARK_CONF_DIR', value: CONF_DIR },
        { name: 'SPARK_DAEMON_MEMORY', value: heap.toSparkString() },
        { name: 'SPARK_HISTORY_OPTS', value: javaOptions },
        ...(props.ingress && ingressPath !== '/' ? [{ name: 'APPLICATION_WEB_PROXY_BASE', value: ingressPath }] : []),
      ],
    });
    // Roll the pod when the configuration changes.
    pod.addChecksum('checksum/config', defaultsFile);
    const selector = labels.selector();
    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: metadata(this.name),
      spec: {
        replicas: 1,
        // A claim holds the disk store's lock and is usually ReadWriteOnce:
        // the old pod must go before the new one starts.
        strategy: localStore?.persistent
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(1), maxUnavailable: k8s.IntOrString.fromNumber(0) } },
        selector: { matchLabels: selector },
        template: pod.renderTemplate(WorkloadIdentity._podLabels(this, 'labels', labels.all(), this.identity)!),
      },
    });

    this.service = this.createService(metadata(this.name), selector, props.nodePort);
    this.url = `http://${this.name}.${this.namespace}.svc:${SPARK_HISTORY_SERVER_PORT}`;
    if (props.ingress) {
      this.ingress = this.createIngress(props.ingress, ingressPath, metadata(this.name));
    }
    this.monitor(props.monitoring, labels);
    this.guardInputs(props);
  }

  /**
   * The alert that the server is down, from kube-state-metrics' series of
   * its Deployment (kubernetes/kube-state-metrics
   * docs/metrics/workload/deployment-metrics.md: labels `namespace` and
   * `deployment`, the object's own).
   */
  private monitor(options: PrometheusMonitoringOptions | undefined, labels: StandardLabels): void {
    const monitoring = checkMonitoring(this, 'monitoring', options);
    if (monitoring === undefined) {
      return;
    }
    refuseScrapeOptions(this, monitoring, 'the history server is not scraped; its alert reads kube-state-metrics');
    const series = `kube_deployment_status_replicas_available{namespace="${this.namespace}", deployment="${this.name}"}`;
    emitRules(new Construct(this, 'Monitoring'), monitoring, {
      name: this.name,
      namespace: this.namespace,
      labels: labels.all(),
      alerts: [{
        alert: 'SparkHistoryServerDown',
        expr: `${series} < 1 or absent(${series})`,
        for: '10m',
        severity: 'warning',
        summary: `The Spark history server ${this.namespace}/${this.name} has no available pod `
          + '(or Prometheus has no kube-state-metrics series of its Deployment)',
      }],
    });
  }

  /** The Service of the UI, also on a NodePort when one is given. */
  private createService(metadata: k8s.ObjectMeta, selector: { [key: string]: string }, givenNodePort: number | undefined): k8s.KubeService {
    return new k8s.KubeService(this, 'Service', {
      metadata,
      spec: {
        type: givenNodePort !== undefined ? 'NodePort' : 'ClusterIP',
        selector,
        ports: [{
          name: 'http',
          port: SPARK_HISTORY_SERVER_PORT,
          targetPort: k8s.IntOrString.fromString('http'),
          protocol: 'TCP',
          ...(givenNodePort !== undefined ? { nodePort: givenNodePort } : {}),
        }],
      },
    });
  }

  /**
   * The server's ServiceAccount: its annotations and those of its identity.
   * The server never talks to the Kubernetes API: no API token is mounted
   * (the AWS and Azure webhooks project a token of their own audience).
   */
  private createServiceAccount(props: SparkHistoryServerProps, meta: k8s.ObjectMeta): k8s.KubeServiceAccount {
    const identity = typed(this, 'identity', props.identity, WorkloadIdentity.isWorkloadIdentity,
      'a WorkloadIdentity, e.g. WorkloadIdentity.aws("arn:aws:iam::123456789012:role/spark-history")');
    const annotations = identity ? identity._annotationsWith(this, 'serviceAccountAnnotations', props.serviceAccountAnnotations)
      : props.serviceAccountAnnotations;
    return new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { ...meta, ...(annotations ? { annotations } : {}) },
      automountServiceAccountToken: false,
    });
  }

  /** The inputs copied into the manifests: a later change of them fails synth instead of vanishing. */
  private guardInputs(props: SparkHistoryServerProps): void {
    const fix = 'give the final value when creating the SparkHistoryServer';
    guardLateChange(this, 'sparkConf', () => props.sparkConf?.toDefaultsFile(),
      'set every key before passing the SparkConf to the SparkHistoryServer (its spark-defaults.conf is rendered from it)');
    guardLateChange(this, 'serviceAccountAnnotations', () => props.serviceAccountAnnotations, fix);
    guardLateChange(this, 'ingress.annotations', () => props.ingress?.annotations, fix);
    guardLateChange(this, 'monitoring.labels', () => props.monitoring?.labels, fix);
  }

  /** The server container's requests and limits; the memory limit must hold the heap and its overhead. */
  private serverResources(props: SparkHistoryServerProps, heap: SparkMemory): k8s.ResourceRequirements {
    const overhead = props.memoryOverhead ?? SparkMemory.mebibytes(512);
    check(!overhead.isGreaterThan(heap), this, 'memoryOverhead', overhead.toSparkString(),
      `at most memory (${heap.toSparkString()}); raise memory instead`);
    const container = heap.plus(overhead);
    const givenLimit = props.resources?.memory?.limit;
    if (givenLimit !== undefined) {
      const mib = givenLimit.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
      check(mib >= container.toMebibytes(), this, 'resources.memory.limit', `${mib} MiB`,
        `at least memory + memoryOverhead (${container.toMebibytes()} MiB), or the JVM is killed for exceeding its limit`);
    }
    return renderResources(this, 'resources', props.resources, {
      cpuRequest: Cpu.millis(250),
      cpuLimit: Cpu.units(1),
      memoryRequest: container.toSize(),
      memoryLimit: container.toSize(),
    });
  }

  /** The user's configuration: a SparkConf without the keys the typed props manage. */
  private userConf(props: SparkHistoryServerProps): SparkConf {
    const userConf = props.sparkConf ?? new SparkConf();
    check(SparkConf.isSparkConf(userConf), this, 'sparkConf', userConf, 'a SparkConf');
    for (const key of userConf.keys) {
      refuseManagedConfKey(this, key, MANAGED_KEYS);
      // The conf is rendered into a ConfigMap.
      refuseCredentialConf(this, 'sparkConf key', key);
    }
    return userConf;
  }

  /** The configuration the typed props set: port, cleaner, retention, scan interval. */
  private typedConf(props: SparkHistoryServerProps, cleanerEnabled: boolean, source: string): SparkConf {
    const cleaner = props.cleaner;
    const conf = new SparkConf()
      .setInteger('spark.history.ui.port', SPARK_HISTORY_SERVER_PORT, source)
      .setBoolean('spark.history.fs.cleaner.enabled', cleanerEnabled, source);
    if (cleaner !== undefined) {
      const settings = [['interval', cleaner.interval], ['maxAge', cleaner.maxAge], ['maxNumFiles', cleaner.maxNumFiles]] as const;
      for (const [property, value] of settings) {
        check(cleanerEnabled || value === undefined, this, `cleaner.${property}`, value instanceof Duration ? value.toHumanString() : value,
          'a setting of an enabled cleaner: remove it or set cleaner.enabled to true');
      }
      if (cleaner.interval) conf.setDuration('spark.history.fs.cleaner.interval', Duration.seconds(wholeSeconds(this, 'cleaner.interval', cleaner.interval)), source);
      if (cleaner.maxAge) conf.setDuration('spark.history.fs.cleaner.maxAge', Duration.seconds(wholeSeconds(this, 'cleaner.maxAge', cleaner.maxAge)), source);
      if (cleaner.maxNumFiles !== undefined) {
        check(Number.isInteger(cleaner.maxNumFiles) && cleaner.maxNumFiles >= 1 && cleaner.maxNumFiles < 2 ** 31, this,
          'cleaner.maxNumFiles', cleaner.maxNumFiles, 'a whole number of event logs, at least 1');
        conf.setInteger('spark.history.fs.cleaner.maxNum', cleaner.maxNumFiles, source);
      }
    }
    if (props.retainedApplications !== undefined) {
      check(Number.isInteger(props.retainedApplications) && props.retainedApplications >= 1 && props.retainedApplications < 2 ** 31,
        this, 'retainedApplications', props.retainedApplications, 'a whole number of applications, at least 1');
      conf.setInteger('spark.history.retainedApplications', props.retainedApplications, source);
    }
    if (props.updateInterval) {
      conf.setDuration('spark.history.fs.update.interval', Duration.seconds(wholeSeconds(this, 'updateInterval', props.updateInterval)), source);
    }
    return conf;
  }

  /** Checks the NodePort and the Ingress; returns the Ingress path. */
  private checkExposure(props: SparkHistoryServerProps): string {
    if (props.nodePort !== undefined) {
      nodePort(this, 'nodePort', props.nodePort);
    }
    const ingress = props.ingress;
    const ingressPath = ingress?.path ?? '/';
    if (ingress) {
      httpPath(this, 'ingress.path', ingressPath);
      check(ingressPath === '/' || !ingressPath.endsWith('/'), this,
        'ingress.path', ingressPath, 'an absolute HTTP path such as "/" or "/spark-history", without a trailing slash');
      if (ingress.host !== undefined) {
        DnsNames.validateSubdomain(this, 'ingress.host', ingress.host.startsWith('*.') ? ingress.host.slice(2) : ingress.host);
      }
      check(ingress.tlsSecret === undefined || ingress.host !== undefined, this, 'ingress.tlsSecret', ingress.tlsSecret?.name,
        'a TLS Secret together with ingress.host (the certificate is served for that host)');
      if (ingress.ingressClassName !== undefined) {
        DnsNames.validateSubdomain(this, 'ingress.ingressClassName', ingress.ingressClassName);
      }
    }
    return ingressPath;
  }

  /**
   * The server's pod: the server container and, for object stores and HDFS,
   * an init container creating the log directory, which the server refuses
   * to start without (volume stores have none to create).
   */
  private serverPod(image: SparkImage, options: {
    resources: k8s.ResourceRequirements;
    writesStore: boolean;
    localStore?: HistoryLocalStore;
    env: k8s.EnvVar[];
    podOptions?: ResolvedPodOptions;
  }): PodBuilder {
    const pod = new PodBuilder(this, {
      runAsUser: image.uid,
      serviceAccountName: this.name,
      pullSecrets: image.pullSecrets.map((s) => s.name),
    });
    pod.applyPodOptions(options.podOptions);
    const imageRef = image.imageFor(this);
    const mkdir = this.store.mkdirCommand();
    if (mkdir) {
      const init = pod.addInitContainer({
        name: 'create-log-directory',
        image: imageRef,
        imagePullPolicy: image.pullPolicy,
        command: mkdir,
        env: [{ name: 'SPARK_DRIVER_MEMORY', value: '256m' }, ...this.store.env()],
        resources: renderResources(this, 'initResources', undefined, {
          cpuRequest: Cpu.millis(100),
          cpuLimit: Cpu.units(1),
          memoryRequest: Size.mebibytes(512),
          memoryLimit: Size.mebibytes(512),
        }),
      });
      pod.addVolumeMount(init, { name: 'tmp', mountPath: '/tmp' });
      // A key file the Hadoop settings name (GCS).
      pod.bind(init, { volumes: this.store.volumes(true), volumeMounts: this.store.volumeMounts(true) });
    }
    const probe = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path: PROBE_PATH, port: k8s.IntOrString.fromString('http'), scheme: 'HTTP' },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold,
    });
    const server = pod.addContainer({
      name: 'history-server',
      image: imageRef,
      imagePullPolicy: image.pullPolicy,
      // In the foreground (the sbin script would daemonize), logging to the console.
      command: ['/opt/spark/bin/spark-class', MAIN_CLASS, '--properties-file', `${CONF_DIR}/spark-defaults.conf`],
      env: options.env,
      ports: [{ name: 'http', containerPort: SPARK_HISTORY_SERVER_PORT, protocol: 'TCP' }],
      resources: options.resources,
      // Up to 5 minutes to start: opening a large disk store takes a while.
      startupProbe: probe(10, 30),
      readinessProbe: probe(10, 3),
      livenessProbe: probe(20, 6),
    });
    pod.addVolume({ name: 'config', configMap: { name: `${this.name}-config` } });
    pod.addVolumeMount(server, { name: 'config', mountPath: CONF_DIR, readOnly: true });
    // JVM perf data, native libraries the disk store unpacks, Hadoop scratch files.
    pod.addScratch('tmp', '/tmp', [server], { sizeLimit: k8s.Quantity.fromString('1Gi') });
    if (options.localStore) {
      pod.addVolume(options.localStore._volume('local-store'));
      pod.addVolumeMount(server, { name: 'local-store', mountPath: STORE_PATH });
    }
    // A volume store: read-only unless the server deletes or rewrites logs.
    pod.bind(server, this.store._podBinding(!options.writesStore));
    return pod;
  }

  private createIngress(ingress: SparkHistoryServerIngressOptions, ingressPath: string, metadata: k8s.ObjectMeta): k8s.KubeIngress {
    return new k8s.KubeIngress(this, 'Ingress', {
      metadata: { ...metadata, ...(ingress.annotations ? { annotations: ingress.annotations } : {}) },
      spec: {
        ...(ingress.ingressClassName ? { ingressClassName: ingress.ingressClassName } : {}),
        ...(ingress.tlsSecret ? { tls: [{ hosts: [ingress.host!], secretName: ingress.tlsSecret.name }] } : {}),
        rules: [{
          ...(ingress.host ? { host: ingress.host } : {}),
          http: {
            paths: [{
              path: ingressPath,
              pathType: 'Prefix',
              backend: { service: { name: this.name, port: { name: 'http' } } },
            }],
          },
        }],
      },
    });
  }
}

/** Refuses values of the wrong kind where the props take a class of this library (callers from plain JavaScript). */
function checkPropKinds(scope: Construct, props: SparkHistoryServerProps): void {
  typed(scope, 'memory', props?.memory, SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
  typed(scope, 'memoryOverhead', props?.memoryOverhead, SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
}
