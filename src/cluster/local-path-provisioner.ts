import { Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterStorage, StorageClassRef } from './storage';
import { brand, isBranded } from '../core/brand';
import { check } from '../core/errors';
import { ImageRegistryOverride } from '../core/image-registry-override';
import { StandardLabels } from '../core/labels';
import { DnsNames } from '../core/names';
import { DEFAULT_CLASS_ANNOTATION, LOCAL_PATH_PROVISIONER, SETUP_SCRIPT, TEARDOWN_SCRIPT } from './private/local-path';
import { PodBuilder } from '../core/pod-builder';
import { ResolvedPodOptions, resolvePodOptions } from '../core/pod-options';
import { renderResources } from '../core/resources';
import { enumValue } from '../core/validate';
import { WorkloadPodOptions } from '../core/workload-pod-options';

// Facts from rancher/local-path-provisioner v0.0.37 (deploy/local-path-storage.yaml,
// main.go, provisioner.go, util.go, package/Dockerfile).
const VERSION = 'v0.0.37';
const DEFAULT_IMAGE = `docker.io/rancher/local-path-provisioner:${VERSION}`;
// The helper pods run the setup/teardown scripts with /bin/sh: any small shell image.
const DEFAULT_HELPER_IMAGE = 'docker.io/library/busybox:1.37.0';
const PROVISIONER = LOCAL_PATH_PROVISIONER;
/** The binary in the image (a scratch image: no shell, no user database). */
const BINARY = '/usr/bin/local-path-provisioner';
const CONFIG_DIR = '/etc/config/';
const HEALTH_PORT = 8080;
// The image has no passwd entry, so the numeric "nobody" id.
const PROVISIONER_UID = 65534;

/** What happens to a volume's directory when its claim is deleted. */
export enum LocalPathReclaimPolicy {
  /** The directory is removed (the teardown script runs in a helper pod). */
  DELETE = 'Delete',
  /** The PersistentVolume and its directory stay until removed by hand. */
  RETAIN = 'Retain',
}

/**
 * Options of {@link LocalPathProvisioner}: everything a composite (such as SparkPlatform) may forward to it.
 */
export interface LocalPathProvisionerOptions {
  /**
   * Name of the StorageClass.
   * @default 'local-path'
   */
  readonly storageClassName?: string;

  /**
   * Make the StorageClass the cluster's default (claims that name no class
   * get it). Only one class should be the default.
   * @default true
   */
  readonly defaultClass?: boolean;

  /**
   * Directory on every node under which volumes are created, one
   * subdirectory per volume.
   * @default '/opt/local-path-provisioner'
   */
  readonly nodePath?: string;

  /**
   * What happens to a volume when its claim is deleted.
   * @default LocalPathReclaimPolicy.DELETE
   */
  readonly reclaimPolicy?: LocalPathReclaimPolicy;

  /**
   * The provisioner image (pinned).
   * @default 'docker.io/rancher/local-path-provisioner:v0.0.37'
   */
  readonly image?: string;

  /**
   * The image of the helper pods that create and remove volume directories
   * (pinned; needs `/bin/sh`, `mkdir` and `rm`).
   * @default 'docker.io/library/busybox:1.37.0'
   */
  readonly helperImage?: string;

  /**
   * Resources of the provisioner container.
   * @default - requests 20m CPU and 32 MiB, limits 500m CPU and 128 MiB
   */
  readonly resources?: ContainerResources;

  /**
   * Resources of the helper pods' container.
   * @default - requests 10m CPU and 16 MiB, limits 200m CPU and 64 MiB
   */
  readonly helperResources?: ContainerResources;

  /**
   * Where and how the provisioner's pod runs (node selector, tolerations,
   * affinity, priority class, labels, annotations, image pull secrets, extra
   * containers). Its helper pods, which it places on the volume's node
   * itself, get only the tolerations and the image pull secrets.
   * @default - none beyond the construct's own
   */
  readonly pod?: WorkloadPodOptions;
}

/**
 * Properties of {@link LocalPathProvisioner}: its options plus what a composite supplies itself (the namespace and whether to emit it).
 */
export interface LocalPathProvisionerProps extends LocalPathProvisionerOptions {
  /**
   * Namespace of the provisioner and its helper pods.
   * @default 'local-path-storage'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * Emit the Namespace. Its Pod Security level is `privileged`: the helper
   * pods mount the node directory (hostPath), which `baseline` forbids.
   * @default true
   */
  readonly createNamespace?: boolean;
}

/**
 * Dynamic provisioning of node-local volumes for clusters without a storage
 * provider (kubeadm on bare machines): Rancher's local-path provisioner,
 * pinned, with a StorageClass (`rancher.io/local-path`,
 * `WaitForFirstConsumer`), by default the cluster's default one.
 *
 * A claim of the class is bound once its first pod is scheduled: the
 * provisioner then starts a helper pod on that pod's node, which creates a
 * directory under `nodePath`, and binds the claim to a PersistentVolume
 * pinned to that node. The data lives on that node only: the pod cannot move
 * to another node, and the data is lost with the node's disk.
 *
 * Security: the provisioner runs non-root, read-only, without capabilities,
 * with a ClusterRole limited to what it reads and the PersistentVolumes it
 * writes, and a Role for the pods in its own namespace. The helper pods must
 * run as root to create and remove directories that pods of any user own, and
 * mount the node directory, so the namespace is `privileged`; they get no
 * service account token, no privilege escalation and the RuntimeDefault
 * seccomp profile (the provisioner refuses helper templates that add
 * capabilities).
 *
 * @example
 * // Claims naming no class get node-local volumes.
 * const storage = new LocalPathProvisioner(cluster, 'Storage');
 * new RegistryMirror(registries, 'Registry', { namespace: 'registry', tls, storageClass: storage.storageClass });
 */
export class LocalPathProvisioner extends Construct {
  /** True when `x` is a {@link LocalPathProvisioner} (also from another copy of the library, where `instanceof` fails). */
  public static isLocalPathProvisioner(x: any): x is LocalPathProvisioner {
    return isBranded(x, 'LocalPathProvisioner');
  }

  /** The StorageClass, for the storage of other constructs. */
  public readonly storageClass: StorageClassRef;
  /**
   * The namespace.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** True when the class is the cluster's default. */
  public readonly isDefaultClass: boolean;
  /** The StorageClass object. */
  public readonly storageClassObject: k8s.KubeStorageClass;
  /** The provisioner Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The ConfigMap with the configuration, scripts and helper pod template. */
  public readonly configMap: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: LocalPathProvisionerProps = {}) {
    super(scope, id);
    brand(this, 'LocalPathProvisioner');
    const ns = DnsNames.validateLabel(this, 'namespace', props.namespace ?? 'local-path-storage');
    this.namespace = ns;
    const className = DnsNames.validateSubdomain(this, 'storageClassName', props.storageClassName ?? 'local-path');
    const nodePath = props.nodePath ?? '/opt/local-path-provisioner';
    check(typeof nodePath === 'string' && /^\/[A-Za-z0-9._\/-]*[A-Za-z0-9._-]$/.test(nodePath)
      && !nodePath.split('/').some((s) => s === '..' || s === '.'), this, 'nodePath', nodePath,
    'an absolute directory path other than "/" (letters, digits, ".", "_", "-" and "/"; no "." or ".." segments)');
    const reclaimPolicy = props.reclaimPolicy ?? LocalPathReclaimPolicy.DELETE;
    enumValue(this, 'reclaimPolicy', reclaimPolicy, LocalPathReclaimPolicy);
    const image = ImageRegistryOverride.resolve(this, props.image ?? DEFAULT_IMAGE);
    const helperImage = ImageRegistryOverride.resolve(this, props.helperImage ?? DEFAULT_HELPER_IMAGE);
    this.isDefaultClass = props.defaultClass ?? true;

    const labels = StandardLabels.of(this, { name: 'local-path-provisioner', instance: className, version: VERSION });
    const names = {
      serviceAccount: 'local-path-provisioner',
      config: 'local-path-config',
      role: 'local-path-provisioner',
      clusterRole: `local-path-provisioner-${className}`.slice(0, 253),
    };

    if (props.createNamespace ?? true) {
      new k8s.KubeNamespace(this, 'Namespace', {
        metadata: {
          name: ns,
          labels: {
            ...labels.forComponent(this, 'namespace').all(),
            // hostPath volumes of the helper pods: allowed only under "privileged".
            'pod-security.kubernetes.io/enforce': 'privileged',
            'pod-security.kubernetes.io/warn': 'baseline',
            'pod-security.kubernetes.io/audit': 'baseline',
          },
        },
      });
    }

    this.rbac(names, labels);

    const helperResources = renderResources(this, 'helperResources', props.helperResources, {
      cpuRequest: Cpu.millis(10),
      cpuLimit: Cpu.millis(200),
      memoryRequest: Size.mebibytes(16),
      memoryLimit: Size.mebibytes(64),
    });
    const podOptions = resolvePodOptions(this, 'pod', props.pod);
    this.configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: { name: names.config, namespace: ns, labels: labels.all() },
      data: {
        'config.json': JSON.stringify({ nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [nodePath] }] }, null, 2),
        'setup': SETUP_SCRIPT,
        'teardown': TEARDOWN_SCRIPT,
        'helperPod.yaml': helperPodTemplate(this, helperImage, helperResources, podOptions),
      },
    });

    this.deployment = this.provisionerDeployment(props, names, labels, image, helperImage, podOptions);

    this.storageClassObject = new k8s.KubeStorageClass(this, 'StorageClass', {
      metadata: {
        name: className,
        labels: labels.all(),
        ...(this.isDefaultClass ? { annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } } : {}),
      },
      provisioner: PROVISIONER,
      // The volume is created on the node the first pod is scheduled to.
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy,
      allowVolumeExpansion: false,
    });
    this.storageClass = StorageClassRef._emitted(className);
    ClusterStorage.checkClaims(this);
  }

  /**
   * Its ServiceAccount and RBAC. In its own namespace: the helper pods it runs
   * and reads the logs of, its ConfigMap (read at start-up and by the
   * readiness check).
   */
  private rbac(names: ProvisionerNames, labels: StandardLabels): void {
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: names.serviceAccount, namespace: this.namespace, labels: labels.all() },
    });
    // In its own namespace: the helper pods it runs and reads the logs of, its ConfigMap
    // (read at start-up and by the readiness check).
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: names.role, namespace: this.namespace, labels: labels.all() },
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: names.role, namespace: this.namespace, labels: labels.all() },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: names.role },
      subjects: [{ kind: 'ServiceAccount', name: names.serviceAccount, namespace: this.namespace }],
    });
    // Cluster-wide: the claims and classes it serves, the nodes it places volumes on, the
    // volumes it creates and deletes, events on the claims. Upstream also grants reading
    // pods and ConfigMaps of every namespace; it only needs its own (the Role above).
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: names.clusterRole, labels: labels.all() },
      rules: [
        { apiGroups: [''], resources: ['nodes', 'persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['persistentvolumes'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: names.clusterRole, labels: labels.all() },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: names.clusterRole },
      subjects: [{ kind: 'ServiceAccount', name: names.serviceAccount, namespace: this.namespace }],
    });
  }

  /** The provisioner Deployment, reading its configuration from the ConfigMap. */
  private provisionerDeployment(props: LocalPathProvisionerProps, names: ProvisionerNames, labels: StandardLabels,
    image: string, helperImage: string, podOptions?: ResolvedPodOptions): k8s.KubeDeployment {
    // It watches claims and runs helper pods: it needs its API token, stated rather than left to the ServiceAccount.
    const pod = new PodBuilder(this, { runAsUser: PROVISIONER_UID, serviceAccountName: names.serviceAccount, automountServiceAccountToken: true });
    pod.applyPodOptions(podOptions);
    const health = (path: string) => ({ httpGet: { path, port: k8s.IntOrString.fromString('health') } });
    const provisioner = pod.addContainer({
      name: 'provisioner',
      image,
      imagePullPolicy: 'IfNotPresent',
      command: [
        BINARY, 'start',
        '--config', `${CONFIG_DIR}config.json`,
        '--helper-pod-file', `${CONFIG_DIR}helperPod.yaml`,
        '--configmap-name', names.config,
        '--service-account-name', names.serviceAccount,
        '--provisioner-name', PROVISIONER,
        '--helper-image', helperImage,
      ],
      env: [
        { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        // Makes the provisioner re-read the helper pod template when the ConfigMap changes.
        { name: 'CONFIG_MOUNT_PATH', value: CONFIG_DIR },
        { name: 'HEALTH_PORT', value: String(HEALTH_PORT) },
      ],
      ports: [{ name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' }],
      startupProbe: { ...health('/health'), periodSeconds: 5, failureThreshold: 12 },
      livenessProbe: { ...health('/health'), periodSeconds: 10 },
      // /ready lists the objects it works on: answers once its RBAC is in place.
      readinessProbe: { ...health('/ready'), periodSeconds: 5 },
      resources: renderResources(this, 'resources', props.resources, {
        cpuRequest: Cpu.millis(20),
        cpuLimit: Cpu.millis(500),
        memoryRequest: Size.mebibytes(32),
        memoryLimit: Size.mebibytes(128),
      }),
    });
    pod.addVolume({ name: 'config', configMap: { name: names.config } });
    pod.addVolumeMount(provisioner, { name: 'config', mountPath: CONFIG_DIR, readOnly: true });
    return new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: 'local-path-provisioner', namespace: this.namespace, labels: labels.all() },
      spec: {
        replicas: 1,
        // The provisioner runs without leader election: never two at once.
        strategy: { type: 'Recreate' },
        revisionHistoryLimit: 3,
        selector: { matchLabels: labels.selector() },
        template: pod.renderTemplate(labels.all()),
      },
    });
  }
}

/** The fixed object names of the provisioner. */
interface ProvisionerNames {
  readonly serviceAccount: string;
  readonly config: string;
  readonly role: string;
  readonly clusterRole: string;
}

/**
 * The helper pod template (YAML, as JSON) the provisioner starts for each
 * volume directory to create or remove: a node system pod, because it runs
 * as the image's root to remove what pods of any user wrote (the runtime's
 * default capabilities, DAC_OVERRIDE among them; the provisioner refuses
 * templates that add capabilities or set runAsUser 0), and the provisioner
 * itself adds the hostPath of the directory (util.go validateHelperPodTemplate,
 * provisioner.go createHelperPod, v0.0.37).
 */
function helperPodTemplate(scope: Construct, image: string, resources: k8s.ResourceRequirements, podOptions?: ResolvedPodOptions): string {
  const pod = PodBuilder.nodeSystemPod(scope, {
    priorityClassName: 'system-node-critical',
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    tolerations: [{ key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' }],
    runtimeDefaultSeccomp: true,
  });
  pod.addContainer({
    name: 'helper',
    image,
    imagePullPolicy: 'IfNotPresent',
    resources,
    // Root (to remove what pods of other users wrote), but no escalation and a read-only image.
    nodeSystemSecurity: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true },
  });
  // The provisioner places each helper pod on the volume's node itself, and the pod runs its own script:
  // only the tolerations and pull secrets apply.
  pod.applyPodOptions(podOptions && {
    ...podOptions,
    nodeSelector: undefined,
    affinity: undefined,
    topologySpreadConstraints: [],
    priorityClassName: undefined,
    labels: {},
    annotations: {},
    env: [],
    envFrom: [],
    volumes: [],
    volumeMounts: [],
    initContainers: [],
    sidecars: [],
    runtime: undefined,
  });
  const spec = pod.renderSpec();
  const quantities = (q: { [key: string]: k8s.Quantity } | undefined) =>
    Object.fromEntries(Object.entries(q ?? {}).map(([k, v]) => [k, v.value]));
  // JSON is YAML: the provisioner reads the template with a YAML parser. Written out by hand, not through
  // an ApiObject: the quantities are the only values to resolve.
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'helper-pod' },
    spec: {
      ...spec,
      containers: spec.containers.map((c) => ({
        ...c,
        resources: { requests: quantities(c.resources?.requests), limits: quantities(c.resources?.limits) },
      })),
    },
  }, null, 2) + '\n';
}
