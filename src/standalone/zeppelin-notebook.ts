import { ApiObject, Size, SizeRoundingBehavior } from 'cdk8s';
import { ContainerResources, Cpu, ISecret, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SparkStandaloneCluster } from './spark-standalone-cluster';
import { ClusterStorage, StorageClassRef } from '../cluster/storage';
import { brand, isBranded } from '../core/brand';
import { ZEPPELIN_MIN, zeppelinImageRelease, zeppelinRow } from '../core/compatibility-apps';
import { check } from '../core/errors';
import { requirePinned } from '../core/image-name';
import { ImageRegistryOverride } from '../core/image-registry-override';
import { StandardLabels } from '../core/labels';
import { guardLateChange } from '../core/late-change';
import { DnsNames } from '../core/names';
import { PodBuilder } from '../core/pod-builder';
import { resolvePodOptions } from '../core/pod-options';
import { memoryQuantity } from '../core/quantities';
import { renderResources } from '../core/resources';
import { singlePodDeployment } from '../core/single-pod-deployment';
import { SPARK_ROLE_LABEL } from '../core/tenant-labels';
import { unprivilegedPort } from '../core/validate';
import { WorkloadPodOptions } from '../core/workload-pod-options';
import { containerPort, httpProbe, servicePort, tcpProbe } from './private/pod';

/** The Zeppelin release this construct is built and tested with. */
export const DEFAULT_ZEPPELIN_IMAGE = 'docker.io/apache/zeppelin:0.12.0';
/** The numeric user of the Apache Zeppelin images. */
export const ZEPPELIN_IMAGE_UID = 1000;

// The Spark distribution the notebook's Spark interpreter runs (copied from the cluster's image).
const SPARK_HOME = '/opt/spark';
const NOTEBOOK_DIR = '/var/lib/zeppelin/notebook';
const NAME_MAX = 50;

/** Properties of {@link ZeppelinNotebook}. */
export interface ZeppelinNotebookProps {
  /** The Spark standalone cluster the notebook's Spark interpreter runs on. */
  readonly cluster: SparkStandaloneCluster;

  /**
   * Name of the notebook's objects.
   * @default - `<cluster name>-zeppelin`
   */
  readonly name?: string;

  /**
   * The Zeppelin image, tagged with its release (0.9.0 or later). Its Spark
   * interpreter must run the cluster's Spark release: Zeppelin 0.12 runs
   * Spark 3.3 to 3.5 (the standalone cluster's default 3.5.7 works), not 4
   * (see the Zeppelin rows of Compatibility).
   * @default 'docker.io/apache/zeppelin:0.12.0'
   */
  readonly image?: string;

  /**
   * Secrets for pulling the Zeppelin image (the cluster image's pull secrets are added).
   * @default - none
   */
  readonly imagePullSecrets?: ISecret[];

  /**
   * Where and how the notebook's pod runs (node selector, tolerations,
   * affinity, priority class, labels, annotations, image pull secrets).
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;

  /**
   * The numeric user of the Zeppelin image.
   * @default 1000
   */
  readonly uid?: number;

  /**
   * The numeric group the container runs as.
   * @default - the image's group for the user
   */
  readonly gid?: number;

  /**
   * Port of the Zeppelin web UI.
   * @default 8080
   */
  readonly port?: number;

  /**
   * Requests and limits of the Zeppelin container, which also runs the Spark
   * interpreter (the driver, with Zeppelin's `spark.driver.memory`, 1g by default).
   * @default - cpu 500m request, 2 limit; memory 4Gi request and limit
   */
  readonly resources?: ContainerResources;

  /**
   * Keep the notebooks on a PersistentVolumeClaim of this size.
   * @default - an `emptyDir`: notebooks are lost when the pod is replaced
   */
  readonly notebookStorage?: Size;

  /**
   * StorageClass of the notebook claim (only with `notebookStorage`).
   * @default - the claim names no class and gets the cluster's default one:
   *            the app must emit a default StorageClass (a LocalPathProvisioner)
   *            or state one with `StorageClassRef.clusterDefault()`
   */
  readonly storageClass?: StorageClassRef;
}

/**
 * An Apache Zeppelin notebook whose Spark interpreter runs on a
 * {@link SparkStandaloneCluster}: the interpreter (the driver) runs in the
 * notebook's pod, in client mode, with the cluster's configuration and shared
 * secret. The Spark distribution comes from the cluster's own image (copied
 * by an init container), so the driver always matches the cluster's Spark version.
 *
 * Zeppelin has no authentication by default and its users run code on the
 * cluster (and can read the shared secret from the interpreter's
 * environment): keep the Service internal, or configure Zeppelin's Shiro
 * authentication before exposing it.
 *
 * @example
 * const spark = new SparkStandaloneCluster(chart, 'Spark', {
 *   image: SparkImage.apache('3.5.7'),
 *   authentication: StandaloneAuthentication.sharedSecret({ secret: authSecret }),
 * });
 * new ZeppelinNotebook(chart, 'Notebook', {
 *   cluster: spark,
 *   notebookStorage: Size.gibibytes(5),
 *   storageClass: StorageClassRef.existing('standard'), // a class of your cluster
 * });
 */
export class ZeppelinNotebook extends Construct {
  /** True when `x` is a {@link ZeppelinNotebook} (also from another copy of the library, where `instanceof` fails). */
  public static isZeppelinNotebook(x: any): x is ZeppelinNotebook {
    return isBranded(x, 'ZeppelinNotebook');
  }

  /** Name of the notebook's objects. */
  public readonly name: string;
  /**
   * Namespace (the cluster's).
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** The notebook's URL inside the cluster. */
  public readonly url: string;
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The Service (ClusterIP). */
  public readonly service: ApiObject;
  /** The notebook PersistentVolumeClaim, when `notebookStorage` is given. */
  public readonly notebookClaim?: ApiObject;

  constructor(scope: Construct, id: string, props: ZeppelinNotebookProps) {
    super(scope, id);
    brand(this, 'ZeppelinNotebook');
    const cluster = props.cluster;
    check(SparkStandaloneCluster.isSparkStandaloneCluster(cluster), this, 'cluster', cluster, 'a SparkStandaloneCluster');
    this.namespace = cluster.namespace;
    this.name = DnsNames.validateDns1035Label(this, 'name', props.name ?? `${cluster.name}-zeppelin`, NAME_MAX);
    const port = unprivilegedPort(this, 'port', props.port ?? 8080);
    this.url = `http://${this.name}.${this.namespace}.svc:${port}`;

    const imageRef = props.image ?? DEFAULT_ZEPPELIN_IMAGE;
    const image = requirePinned(this, 'image', imageRef);
    const zeppelinVersion = zeppelinImageRelease(image.tag);
    check(zeppelinVersion !== undefined, this, 'image', imageRef,
      `a Zeppelin image tagged with its release (e.g. ${DEFAULT_ZEPPELIN_IMAGE}): which Spark releases it runs depends on it`);
    const row = zeppelinRow(zeppelinVersion!);
    check(row !== undefined, this, 'image', imageRef,
      `a Zeppelin release ${ZEPPELIN_MIN} or later: older releases lack the settings the notebook sets (ZEPPELIN_RUN_MODE)`);
    check(row!.spark.contains(cluster.image.sparkVersion), this, 'image', imageRef,
      `a Zeppelin release that runs Spark ${cluster.image.sparkVersion} (the cluster's image): Zeppelin ${zeppelinVersion} `
      + `runs Spark ${row!.spark} (${row!.note}); pick a cluster image in that range or a Zeppelin release from the `
      + 'Zeppelin ↔ Spark rows of Compatibility in the README');

    const uid = props.uid ?? ZEPPELIN_IMAGE_UID;
    check(Number.isInteger(uid) && uid > 0 && uid < 2 ** 31, this, 'uid', uid, 'a positive integer user id other than 0 (root)');
    if (props.gid !== undefined) {
      check(Number.isInteger(props.gid) && props.gid > 0 && props.gid < 2 ** 31, this, 'gid', props.gid, 'a positive integer group id');
    }
    if (props.notebookStorage !== undefined) {
      const mib = props.notebookStorage.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
      check(Number.isInteger(mib) && mib >= 1, this, 'notebookStorage', `${mib} MiB`, 'at least 1 MiB, in whole MiB');
    }
    check(props.storageClass === undefined || props.notebookStorage !== undefined, this, 'storageClass',
      props.storageClass?.toString(), 'only with notebookStorage');
    const storageClass = props.storageClass !== undefined ? ClusterStorage.use(this, 'storageClass', props.storageClass) : undefined;

    const labels = StandardLabels.of(this, {
      name: 'zeppelin',
      instance: this.name,
      component: 'notebook',
      version: zeppelinVersion,
    });
    const resources = renderResources(this, 'resources', props.resources, {
      cpuRequest: Cpu.millis(500),
      cpuLimit: Cpu.units(2),
      memoryRequest: Size.gibibytes(4),
      memoryLimit: Size.gibibytes(4),
    });

    if (props.notebookStorage !== undefined) {
      ClusterStorage.checkClaims(this);
      const mib = props.notebookStorage.toMebibytes();
      this.notebookClaim = new k8s.KubePersistentVolumeClaim(this, 'Notebooks', {
        metadata: { name: `${this.name}-notebooks`, namespace: this.namespace, labels: labels.all() },
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...storageClass?.claimFields(),
          resources: { requests: { storage: k8s.Quantity.fromString(memoryQuantity(mib * 1024)) } },
        },
      });
    }

    const pod = this.notebookPod(props, imageRef, uid, port, resources);
    // One pod at a time: the notebook claim is ReadWriteOnce, and two servers would overwrite each other's notes.
    // spark-role=driver: the interpreter is a client-mode driver, which a tenant's network policies know by this label.
    this.deployment = singlePodDeployment(this, this.name, this.namespace, labels,
      pod.renderTemplate({ ...labels.all(), [SPARK_ROLE_LABEL]: 'driver' }));
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name: this.name, namespace: this.namespace, labels: labels.all() },
      spec: { type: 'ClusterIP', selector: labels.selector(), ports: [servicePort('http', port)] },
    });
    guardLateChange(this, 'imagePullSecrets', () => props.imagePullSecrets?.map((s) => s.name),
      'give every pull Secret when creating the ZeppelinNotebook');
  }

  /**
   * The notebook's pod: Spark copied from the cluster's image by an init
   * container (the driver runs the cluster's Spark version), Zeppelin as a
   * client-mode driver with the cluster's client configuration and secret.
   */
  private notebookPod(props: ZeppelinNotebookProps, imageRef: string, uid: number, port: number,
    resources: k8s.ResourceRequirements): PodBuilder {
    const cluster = props.cluster;
    const sparkImage = cluster.image;
    const pod = new PodBuilder(this, {
      runAsUser: uid,
      runAsGroup: props.gid,
      // The image's group owns Zeppelin's writable directories: keep it unless told otherwise.
      keepImageGroup: true,
      pullSecrets: [...(props.imagePullSecrets ?? []), ...sparkImage.pullSecrets].map((s) => s.name),
    });
    pod.addVolume({ name: 'spark-home', emptyDir: { sizeLimit: k8s.Quantity.fromString('2Gi') } });
    pod.addInitContainer({
      // The driver must run the cluster's Spark version: take Spark from the cluster's image.
      name: 'spark-home',
      image: sparkImage.imageFor(this),
      imagePullPolicy: sparkImage.pullPolicy,
      command: ['cp', '-R', `${SPARK_HOME}/bin`, `${SPARK_HOME}/jars`, `${SPARK_HOME}/python`, `${SPARK_HOME}/RELEASE`, '/spark-home/'],
      resources: renderResources(this, 'initResources', undefined, {
        cpuRequest: Cpu.millis(100),
        cpuLimit: Cpu.units(1),
        memoryRequest: Size.mebibytes(128),
        memoryLimit: Size.mebibytes(256),
      }),
      // Only copies into its own emptyDir: the user's number as its group is fine.
      security: { runAsGroup: props.gid ?? uid },
      volumeMounts: [{ name: 'spark-home', mountPath: '/spark-home' }],
    });
    const zeppelin = pod.addContainer({
      name: 'zeppelin',
      image: ImageRegistryOverride.resolve(this, imageRef),
      imagePullPolicy: 'IfNotPresent',
      env: [
        { name: 'ZEPPELIN_ADDR', value: '0.0.0.0' },
        { name: 'ZEPPELIN_PORT', value: String(port) },
        // Run interpreters as processes in this pod (not as pods of their own).
        { name: 'ZEPPELIN_RUN_MODE', value: 'local' },
        { name: 'ZEPPELIN_NOTEBOOK_DIR', value: NOTEBOOK_DIR },
        { name: 'SPARK_HOME', value: SPARK_HOME },
        // The default of the Spark interpreter's spark.master.
        { name: 'SPARK_MASTER', value: cluster.masterUrl },
      ],
      ports: [containerPort('http', port)],
      resources,
      startupProbe: httpProbe('http', '/api/version', 5, 60),
      readinessProbe: httpProbe('http', '/api/version', 10, 3),
      livenessProbe: tcpProbe('http', 20, 3),
      // Zeppelin writes its interpreter settings, logs, PID files and unpacked web app under
      // its home directory, which is part of the image.
      security: { readOnlyRootFilesystem: false },
      volumeMounts: [{ name: 'spark-home', mountPath: SPARK_HOME }],
    });
    // The cluster's client configuration and shared secret.
    pod.bind(zeppelin, { env: cluster.clientEnv(), volumes: cluster.clientVolumes(), volumeMounts: cluster.clientVolumeMounts() });
    pod.addVolume(this.notebookClaim
      ? { name: 'notebooks', persistentVolumeClaim: { claimName: this.notebookClaim.name } }
      : { name: 'notebooks', emptyDir: {} });
    pod.addVolumeMount(zeppelin, { name: 'notebooks', mountPath: NOTEBOOK_DIR });
    pod.applyPodOptions(resolvePodOptions(this, 'pod', props.pod));
    return pod;
  }
}

