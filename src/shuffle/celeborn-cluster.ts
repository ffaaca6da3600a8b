import { ApiObject, App, Chart, JsonPatch, Size, SizeRoundingBehavior } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CelebornDiskKind, CelebornDisks } from './celeborn-disks';
import {
  CELEBORN_HOME, CELEBORN_UID, CONF_DIR, containerPort, DEFAULT_CELEBORN_IMAGE, diskPaths, LOG4J2_XML, masterCommand, PORTS, RATIS_DIR,
  serverConf, servicePort, tcpProbe, TYPED_SERVER_KEYS, workerCommand,
} from './private/celeborn-server';
import { CelebornClientOptions, RemoteShuffleService } from './remote-shuffle-service';
import { ClusterStorage, StorageClassRef } from '../cluster/storage';
import { brand, isBranded } from '../core/brand';
import { check } from '../core/errors';
import { headlessService } from '../core/headless-service';
import { requirePinned } from '../core/image-name';
import { ImageRegistryOverride } from '../core/image-registry-override';
import { StandardLabels } from '../core/labels';
import { DnsNames } from '../core/names';
import { PodBuilder } from '../core/pod-builder';
import { resolvePodOptions } from '../core/pod-options';
import { renderResources } from '../core/resources';
import { checkOwnNamespace, restrictedNamespace } from '../core/restricted-namespace';
import { SparkMemory } from '../core/spark-memory';
import { integer, kibibytes, mebibytes, typed } from '../core/validate';
import { WorkloadPodOptions } from '../core/workload-pod-options';

const NAME_MAX = 40;
const CONF_CHECKSUM_ANNOTATION = 'checksum/config';

/** The Celeborn masters: a Raft group keeping the cluster's metadata. */
export interface CelebornMasterOptions {
  /**
   * Number of masters: odd (a Raft group needs a majority), 1 without high availability.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Size of each master's Ratis log and snapshots (a PersistentVolumeClaim per master).
   * @default Size.gibibytes(1)
   */
  readonly storage?: Size;
  /**
   * Keep the masters on different nodes: true requires it (a master stays
   * Pending while no node without one is free), false only prefers it. A
   * node lost then takes one Raft member, not the majority. The term is added
   * to `pod.affinity`; the chart of the same release requires it
   * (charts/celeborn values.yaml, master.affinity).
   * @default false
   */
  readonly requireSeparateNodes?: boolean;
  /**
   * JVM heap of a master (`CELEBORN_MASTER_MEMORY`).
   * @default SparkMemory.gibibytes(1)
   */
  readonly memory?: SparkMemory;
  /**
   * Requests and limits of a master container.
   * @default - 250m to 1 CPU; memory: the heap plus 512 MiB
   */
  readonly resources?: ContainerResources;
  /**
   * Where and how the masters' pods run (node selector, tolerations, affinity,
   * priority class, labels, annotations, image pull secrets).
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;
}

/** The Celeborn workers: they store the shuffle data on their disks. */
export interface CelebornWorkerOptions {
  /**
   * Number of workers (at least 2 when the jobs replicate their shuffle data).
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Shuffle disks of each worker: one PersistentVolumeClaim each, mounted at `/mnt/disk<n>`.
   * Shorthand for `shuffleDisks: CelebornDisks.persistentVolumeClaims({ count })`; refused with `shuffleDisks`.
   * @default 1
   */
  readonly disks?: number;
  /**
   * Size of each shuffle disk. Shorthand for
   * `shuffleDisks: CelebornDisks.persistentVolumeClaims({ size })`; refused with `shuffleDisks`.
   * @default Size.gibibytes(50)
   */
  readonly diskSize?: Size;
  /**
   * The shuffle disks: claims (`CelebornDisks.persistentVolumeClaims(...)`) or
   * the node's storage (`CelebornDisks.emptyDir(...)`, lost with the pod).
   * Each is given to the worker with its size as capacity.
   * @default - from `disks` and `diskSize`: one 50 GiB claim
   */
  readonly shuffleDisks?: CelebornDisks;
  /**
   * JVM heap of a worker (`CELEBORN_WORKER_MEMORY`).
   * @default SparkMemory.gibibytes(1)
   */
  readonly memory?: SparkMemory;
  /**
   * Off-heap memory of a worker for its push and fetch buffers (`CELEBORN_WORKER_OFFHEAP_MEMORY`).
   * @default SparkMemory.gibibytes(2)
   */
  readonly offHeapMemory?: SparkMemory;
  /**
   * Requests and limits of a worker container.
   * @default - 500m to 2 CPUs; memory: heap, off-heap and 512 MiB
   */
  readonly resources?: ContainerResources;
  /**
   * Where and how the workers' pods run (node selector, tolerations, affinity,
   * priority class, labels, annotations, image pull secrets).
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;
}

/** Properties of {@link CelebornCluster}. */
export interface CelebornClusterProps {
  /**
   * Name of the cluster's objects (`<name>-master`, `<name>-worker`...).
   * @default 'celeborn'
   */
  readonly name?: string;
  /**
   * Namespace of the cluster.
   * @default - the chart's namespace, else 'celeborn'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;
  /**
   * Emit the Namespace, enforcing the restricted Pod Security Standard the
   * masters and workers satisfy. Set false when the namespace is made
   * elsewhere (a SparkTenant, your own manifests).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * The Celeborn image, pinned by tag or digest.
   * @default 'docker.io/apache/celeborn:0.7.0'
   */
  readonly image?: string;
  /**
   * The cluster's DNS domain, in the masters' addresses.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * Storage class of the masters' and the workers' claims.
   * @default - the app's stated default (see ClusterStorage)
   */
  readonly storageClass?: StorageClassRef;
  /**
   * The masters.
   * @default - 3 masters
   */
  readonly masters?: CelebornMasterOptions;
  /**
   * The workers.
   * @default - 3 workers with one 50 GiB disk each
   */
  readonly workers?: CelebornWorkerOptions;
  /**
   * More server keys (`celeborn.*`, apache/celeborn docs/configuration) for
   * `celeborn-defaults.conf`; keys the typed props set are refused.
   * @default - none
   */
  readonly conf?: { [key: string]: string };
  /**
   * How the jobs using {@link shuffleService} are configured.
   * @default - the client from Maven Central, Celeborn's defaults
   */
  readonly client?: CelebornClientOptions;
}

/**
 * An Apache Celeborn remote shuffle service in a namespace of its own
 * (restricted Pod Security): masters (a StatefulSet, a Raft
 * group with its log on persistent storage), workers (a StatefulSet with
 * sized shuffle disks: claims, or the node's storage, see CelebornDisks),
 * their headless Services, PodDisruptionBudgets
 * and the `celeborn-defaults.conf` ConfigMap. Jobs use it as
 * `shuffle: cluster.shuffleService`. Layout and ports after the chart of the
 * same release (apache/celeborn charts/celeborn, 0.7.0).
 *
 * @example
 * const celeborn = new CelebornCluster(chart, 'Celeborn', {
 *   namespace: 'shuffle',
 *   storageClass: StorageClassRef.existing('fast-ssd'),
 *   workers: { replicas: 4, disks: 2, diskSize: Size.gibibytes(200) },
 * });
 * new SparkApplication(chart, 'Etl', {
 *   namespace: 'etl',
 *   type: SparkApplicationType.SCALA,
 *   mainClass: 'org.apache.spark.examples.SparkPi',
 *   mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
 *   shuffle: celeborn.shuffleService,
 *   dynamicAllocation: { maxExecutors: 20 },
 * });
 */
export class CelebornCluster extends Construct {
  /** True when `x` is a CelebornCluster (also across copies of the library). */
  public static isCelebornCluster(x: any): x is CelebornCluster {
    return isBranded(x, 'CelebornCluster');
  }

  /** Name of the cluster. */
  public readonly name: string;
  /**
   * Namespace of the cluster.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The Namespace, when the cluster emits it (`createNamespace`). */
  public readonly namespaceObject?: ApiObject;
  /** The service to give the jobs as `shuffle`. */
  public readonly shuffleService: RemoteShuffleService;
  /** The masters' StatefulSet (the cluster's `node.defaultChild`). */
  public readonly masterStatefulSet: ApiObject;
  /** The workers' StatefulSet. */
  public readonly workerStatefulSet: ApiObject;
  /** The ConfigMap holding `celeborn-defaults.conf`. */
  public readonly configMap: ApiObject;

  private readonly labels: StandardLabels;
  private readonly imageRef: string;

  constructor(scope: Construct, id: string, props: CelebornClusterProps = {}) {
    super(scope, id);
    brand(this, 'CelebornCluster');
    for (const [property, value] of [['masters.memory', props.masters?.memory], ['workers.memory', props.workers?.memory],
      ['workers.offHeapMemory', props.workers?.offHeapMemory]] as const) {
      typed(this, property, value, SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
    }
    this.name = DnsNames.validateDns1035Label(this, 'name', props.name ?? 'celeborn', NAME_MAX);
    this.namespace = DnsNames.validateLabel(this, 'namespace', props.namespace ?? Chart.of(this).namespace ?? 'celeborn');
    const createNamespace = props.createNamespace ?? true;
    if (createNamespace) {
      checkOwnNamespace(this, this.namespace);
    }
    const domain = DnsNames.validateSubdomain(this, 'clusterDomain', props.clusterDomain ?? 'cluster.local');
    this.imageRef = props.image ?? DEFAULT_CELEBORN_IMAGE;
    const image = requirePinned(this, 'image', this.imageRef);
    const masters = props.masters ?? {};
    const workers = props.workers ?? {};
    const masterCount = integer(this, 'masters.replicas', masters.replicas ?? 3, { min: 1, max: 7 });
    check(masterCount % 2 === 1, this, 'masters.replicas', masterCount, 'an odd number of masters (a Raft group needs a majority): 1, 3, 5 or 7');
    const workerCount = integer(this, 'workers.replicas', workers.replicas ?? 3, { min: 1 });
    const disks = this.shuffleDisks(workers);
    if (props.storageClass !== undefined) {
      ClusterStorage.use(this, 'storageClass', props.storageClass);
    }
    ClusterStorage.checkClaims(this);
    const extra = this.extraConf(props.conf);

    const masterName = `${this.name}-master`;
    const masterService = `${this.name}-master-svc`;
    const workerName = `${this.name}-worker`;
    const masterHosts = Array.from({ length: masterCount }, (_, i) => `${masterName}-${i}.${masterService}.${this.namespace}.svc.${domain}`);
    const conf = serverConf({ masterHosts, disks: disks.count, diskMebibytes: disks.size.toMebibytes(), extra });
    this.labels = StandardLabels.of(this, { name: 'celeborn', instance: this.name, version: image.tag });
    if (createNamespace) {
      this.namespaceObject = restrictedNamespace(this, this.namespace, this.labels);
      // cdk8s gives every object the chart's namespace; a Namespace has none.
      if (Chart.of(this).namespace !== undefined) {
        this.namespaceObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      }
      this.node.addValidation({ validate: () => this.otherNamespaceObjects() });
    }
    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: `${this.name}-conf`, namespace: this.namespace, labels: this.labels.all() },
      data: { 'celeborn-defaults.conf': conf, 'log4j2.xml': LOG4J2_XML },
    });
    const checksum = conf + LOG4J2_XML;

    const masterScope = new Construct(this, 'Master');
    const masterLabels = this.labels.forComponent(this, 'master');
    headlessService(masterScope, this.namespace, masterService, masterLabels,
      [servicePort('rpc', PORTS.masterRpc), servicePort('ratis', PORTS.masterRatis), servicePort('http', PORTS.masterHttp)]);
    this.masterStatefulSet = this.masterStatefulSetFor(masterScope, masters, masterName, masterService, masterCount, masterHosts, checksum,
      props.storageClass);
    this.node.defaultChild = this.masterStatefulSet;
    this.disruptionBudget(masterScope, masterName, masterLabels, { minAvailable: k8s.IntOrString.fromNumber(Math.floor(masterCount / 2) + 1) });

    const workerScope = new Construct(this, 'Worker');
    const workerLabels = this.labels.forComponent(this, 'worker');
    const workerService = `${this.name}-worker-svc`;
    headlessService(workerScope, this.namespace, workerService, workerLabels, [
      servicePort('rpc', PORTS.workerRpc), servicePort('push', PORTS.workerPush), servicePort('fetch', PORTS.workerFetch),
      servicePort('replicate', PORTS.workerReplicate), servicePort('http', PORTS.workerHttp),
    ]);
    this.workerStatefulSet = this.workerStatefulSetFor(workerScope, workers, workerName, workerService, workerCount, disks, checksum,
      props.storageClass);
    this.disruptionBudget(workerScope, workerName, workerLabels, { maxUnavailable: k8s.IntOrString.fromNumber(1) });

    this.shuffleService = RemoteShuffleService._forCluster(masterHosts.map((host) => ({ host, port: PORTS.masterRpc })),
      [PORTS.workerRpc, PORTS.workerPush, PORTS.workerFetch], props.client ?? {});
  }

  /** A memory limit the JVM fits in (heap and, for workers, off-heap), or the container is killed. */
  private checkLimit(role: string, given: ContainerResources | undefined, jvmMib: number): void {
    const limit = given?.memory?.limit;
    if (limit !== undefined) {
      const kib = kibibytes(this, `${role}.resources.memory.limit`, limit);
      check(kib > jvmMib * 1024, this, `${role}.resources.memory.limit`, `${Math.floor(kib / 1024)} MiB`,
        `more than the ${jvmMib} MiB of heap${role === 'workers' ? ' and off-heap memory' : ''} the JVM takes`);
    }
  }

  /** Another object of the app emitting the same Namespace (a tenant, a second cluster) would make two. */
  private otherNamespaceObjects(): string[] {
    return App.of(this).node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && c !== this.namespaceObject && c.kind === 'Namespace' && c.name === this.namespace)
      .map((other) => `${this.node.path}: namespace "${this.namespace}" is also emitted by ${other.node.path}; `
        + 'set createNamespace: false on the CelebornCluster');
  }

  /** The workers' disks: `shuffleDisks`, or a claim set from the `disks` and `diskSize` shorthands (not both). */
  private shuffleDisks(workers: CelebornWorkerOptions): CelebornDisks {
    const given = typed(this, 'workers.shuffleDisks', workers.shuffleDisks, CelebornDisks.isCelebornDisks,
      'a CelebornDisks, e.g. CelebornDisks.emptyDir({ count: 2, size: Size.gibibytes(100) })');
    if (given === undefined) {
      const count = integer(this, 'workers.disks', workers.disks ?? 1, { min: 1, max: 16 });
      check(workers.diskSize === undefined || workers.diskSize instanceof Size, this, 'workers.diskSize', typeof workers.diskSize,
        'a cdk8s Size, e.g. Size.gibibytes(100)');
      mebibytes(this, 'workers.diskSize', workers.diskSize ?? Size.gibibytes(50));
      return CelebornDisks.persistentVolumeClaims({ count, size: workers.diskSize });
    }
    for (const [property, value] of [['workers.disks', workers.disks], ['workers.diskSize', workers.diskSize]] as const) {
      check(value === undefined, this, property, value instanceof Size ? `${value.toMebibytes({ rounding: SizeRoundingBehavior.NONE })} MiB` : value,
        'nothing with workers.shuffleDisks: give the count and size to CelebornDisks');
    }
    if (given.storageClass !== undefined) {
      ClusterStorage.use(this, 'workers.shuffleDisks.storageClass', given.storageClass);
    }
    return given;
  }

  /** The user's server keys, refusing those the typed props set. */
  private extraConf(given: { [key: string]: string } | undefined): { [key: string]: string } {
    const out: { [key: string]: string } = {};
    for (const [key, value] of Object.entries(given ?? {})) {
      check(/^celeborn\.[a-zA-Z0-9.<>_-]+$/.test(key), this, 'conf key', key, 'a Celeborn key "celeborn.*"');
      const owner = Object.entries(TYPED_SERVER_KEYS).find(([k]) => (k.endsWith('.') ? key.startsWith(k) : key === k))?.[1];
      check(owner === undefined, this, 'conf key', key, owner?.startsWith('nothing: ')
        ? `a key the construct manages: ${owner.slice('nothing: '.length)}` : `a key no typed prop sets; set it through ${owner}`);
      check(typeof value === 'string' && !/[\r\n]/.test(value), this, `conf "${key}"`, value, 'a one-line string value');
      out[key] = value;
    }
    return out;
  }


  private disruptionBudget(scope: Construct, name: string, labels: StandardLabels, spec: Omit<k8s.PodDisruptionBudgetSpec, 'selector'>): ApiObject {
    return new k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
      metadata: { name, namespace: this.namespace, labels: labels.all() },
      spec: { ...spec, selector: { matchLabels: labels.selector() } },
    });
  }

  private masterStatefulSetFor(scope: Construct, masters: CelebornMasterOptions, name: string, service: string, replicas: number,
    hosts: string[], checksum: string, storageClass: StorageClassRef | undefined): ApiObject {
    const labels = this.labels.forComponent(this, 'master');
    const memory = masters.memory ?? SparkMemory.gibibytes(1);
    const storage = masters.storage ?? Size.gibibytes(1);
    mebibytes(this, 'masters.storage', storage);
    this.checkLimit('masters', masters.resources, memory.toMebibytes());
    const resources = renderResources(this, 'masters.resources', masters.resources, {
      cpuRequest: Cpu.millis(250),
      cpuLimit: Cpu.units(1),
      memoryRequest: Size.mebibytes(memory.toMebibytes() + 512),
      memoryLimit: Size.mebibytes(memory.toMebibytes() + 512),
    });
    const pod = this.daemonPod('master', masterCommand(hosts), [
      { name: 'CELEBORN_MASTER_MEMORY', value: memory.toSparkString() },
    ], [
      containerPort('rpc', PORTS.masterRpc), containerPort('ratis', PORTS.masterRatis), containerPort('http', PORTS.masterHttp),
    ], resources, checksum);
    const required = masters.requireSeparateNodes ?? false;
    check(typeof required === 'boolean', this, 'masters.requireSeparateNodes', required, 'true or false');
    const options = resolvePodOptions(this, 'masters.pod', masters.pod);
    const affinity = replicas > 1 ? separateNodes(options?.affinity, labels.selector(), required) : options?.affinity;
    pod.applyPodOptions(options !== undefined ? { ...options, affinity } : resolvePodOptions(this, 'masters.pod', { affinity }));
    pod.addVolumeMount('master', { name: 'ratis', mountPath: RATIS_DIR });
    return this.statefulSet(scope, name, service, replicas, labels, pod, [claim('ratis', labels, storage, storageClass)]);
  }

  private workerStatefulSetFor(scope: Construct, workers: CelebornWorkerOptions, name: string, service: string, replicas: number,
    disks: CelebornDisks, checksum: string, storageClass: StorageClassRef | undefined): ApiObject {
    const labels = this.labels.forComponent(this, 'worker');
    const memory = workers.memory ?? SparkMemory.gibibytes(1);
    const offHeap = workers.offHeapMemory ?? SparkMemory.gibibytes(2);
    const total = memory.toMebibytes() + offHeap.toMebibytes() + 512;
    this.checkLimit('workers', workers.resources, memory.toMebibytes() + offHeap.toMebibytes());
    const local = disks.kind === CelebornDiskKind.EMPTY_DIR;
    const resources = renderResources(this, 'workers.resources', local ? withDiskRequest(workers.resources, disks) : workers.resources, {
      cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(2), memoryRequest: Size.mebibytes(total), memoryLimit: Size.mebibytes(total),
    });
    const pod = this.daemonPod('worker', workerCommand(), [
      { name: 'CELEBORN_WORKER_MEMORY', value: memory.toSparkString() },
      { name: 'CELEBORN_WORKER_OFFHEAP_MEMORY', value: offHeap.toSparkString() },
    ], [
      containerPort('rpc', PORTS.workerRpc), containerPort('push', PORTS.workerPush), containerPort('fetch', PORTS.workerFetch),
      containerPort('replicate', PORTS.workerReplicate), containerPort('http', PORTS.workerHttp),
    ], resources, checksum);
    pod.applyPodOptions(resolvePodOptions(this, 'workers.pod', workers.pod));
    const paths = diskPaths(disks.count);
    const mib = disks.size.toMebibytes();
    paths.forEach((mountPath, i) => {
      if (local) {
        pod.addScratch(`disk${i + 1}`, mountPath, ['worker'], { sizeLimit: k8s.Quantity.fromString(`${mib}Mi`) });
      } else {
        pod.addVolumeMount('worker', { name: `disk${i + 1}`, mountPath });
      }
    });
    const claims = local ? [] : paths.map((_, i) => claim(`disk${i + 1}`, labels, disks.size, disks.storageClass ?? storageClass));
    return this.statefulSet(scope, name, service, replicas, labels, pod, claims);
  }

  private statefulSet(scope: Construct, name: string, service: string, replicas: number, labels: StandardLabels, pod: PodBuilder,
    claims: k8s.KubePersistentVolumeClaimProps[]): ApiObject {
    return new k8s.KubeStatefulSet(scope, 'Resource', {
      metadata: { name, namespace: this.namespace, labels: labels.all() },
      spec: {
        serviceName: service,
        replicas,
        // All masters must be up to elect a leader: start them together.
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: labels.selector() },
        template: pod.renderTemplate(labels.all()),
        ...(claims.length > 0 ? { volumeClaimTemplates: claims } : {}),
      },
    });
  }

  /**
   * A daemon's pod: the image's user, the configuration at CONF_DIR (a change
   * rolls the pods), writable /tmp and log directory on a read-only root.
   */
  private daemonPod(role: string, command: string[], env: k8s.EnvVar[], ports: k8s.ContainerPort[], resources: k8s.ResourceRequirements,
    checksum: string): PodBuilder {
    const pod = new PodBuilder(this, { runAsUser: CELEBORN_UID, fsGroupChangePolicy: 'OnRootMismatch' });
    pod.addContainer({
      name: role,
      image: ImageRegistryOverride.resolve(this, this.imageRef),
      command,
      env: [
        { name: 'CELEBORN_CONF_DIR', value: CONF_DIR },
        { name: 'CELEBORN_NO_DAEMONIZE', value: 'true' },
        { name: 'CELEBORN_LOG_DIR', value: `${CELEBORN_HOME}/logs` },
        { name: 'CELEBORN_PID_DIR', value: '/tmp' },
        ...env,
      ],
      ports,
      resources,
      startupProbe: tcpProbe('rpc', 5, 60),
      readinessProbe: tcpProbe('rpc', 10, 3),
      livenessProbe: tcpProbe('rpc', 20, 3),
    });
    pod.addVolume({ name: 'conf', configMap: { name: `${this.name}-conf` } });
    pod.addVolumeMount(role, { name: 'conf', mountPath: CONF_DIR, readOnly: true });
    pod.addScratch('tmp', '/tmp', [role], { sizeLimit: k8s.Quantity.fromString('1Gi') });
    pod.addScratch('logs', `${CELEBORN_HOME}/logs`, [role], { sizeLimit: k8s.Quantity.fromString('1Gi') });
    pod.addChecksum(CONF_CHECKSUM_ANNOTATION, checksum);
    pod.spreadAcrossNodes(this.labels.forComponent(this, role).selector());
    return pod;
  }
}

/**
 * The user's affinity with a pod anti-affinity term on the node name for the
 * masters' own labels, required or preferred (weight 100), after the user's terms.
 */
function separateNodes(given: k8s.Affinity | undefined, selector: { [key: string]: string }, required: boolean): k8s.Affinity {
  const term: k8s.PodAffinityTerm = { labelSelector: { matchLabels: { ...selector } }, topologyKey: 'kubernetes.io/hostname' };
  const anti = given?.podAntiAffinity;
  return {
    ...given,
    podAntiAffinity: {
      ...anti,
      ...(required
        ? { requiredDuringSchedulingIgnoredDuringExecution: [...(anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []), term] }
        : {
          preferredDuringSchedulingIgnoredDuringExecution: [...(anti?.preferredDuringSchedulingIgnoredDuringExecution ?? []),
            { weight: 100, podAffinityTerm: term }],
        }),
    },
  };
}

/**
 * The workers' ephemeral-storage request with emptyDir disks: the disks and the
 * 2 GiB of /tmp and logs, so the scheduler picks a node with the room (a given request wins).
 */
function withDiskRequest(given: ContainerResources | undefined, disks: CelebornDisks): ContainerResources {
  const request = given?.ephemeralStorage?.request ?? Size.mebibytes(disks.count * disks.size.toMebibytes() + 2048);
  return { ...given, ephemeralStorage: { ...given?.ephemeralStorage, request } };
}

function claim(name: string, labels: StandardLabels, size: Size, storageClass: StorageClassRef | undefined): k8s.KubePersistentVolumeClaimProps {
  const mib = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  return {
    metadata: { name, labels: labels.all() },
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(storageClass?.storageClassName !== undefined ? { storageClassName: storageClass.storageClassName } : {}),
      resources: { requests: { storage: k8s.Quantity.fromString(`${mib}Mi`) } },
    },
  };
}
