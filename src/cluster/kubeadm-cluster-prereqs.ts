import * as path from 'path';
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterNetwork } from './cluster-network';
import { ContainerdMajorVersion, ContainerdMirror, ContainerdMirrorOptions, ContainerdSource, IContainerdMirrorSource } from './containerd';
import { FirewallPort, FirewallProtocol } from './firewall-port';
import { PackageRepository } from './package-repository';
import { brand, isBranded } from '../core/brand';
import { contains, parseCidr, parseIpv4, SPECIAL_PURPOSE } from '../core/cidr';
import { containerdMinimums, kubeadmApiVersion, KUBERNETES_MINORS, minorsInRepositoryUrl } from '../core/compatibility-kubernetes';
import { check, Where } from '../core/errors';
import { requirePinned } from '../core/image-name';
import { ImageRegistryOverride } from '../core/image-registry-override';
import { guardLateChange } from '../core/late-change';
import { port as checkPort, enumValue, isPort, NODE_PORT_RANGE } from '../core/validate';
import { KUBE_VIP_IMAGE, renderKubeVipManifest } from './private/kube-vip';
import {
  API_SERVER_PORT, CRI_SOCKET, INIT_TOKEN_DESCRIPTION, renderKubeadmConfig,
} from './private/kubeadm-config';
import { LazyFile } from './private/lazy-file';
import { NodeScriptKind, NodeScriptSettings, PreparationStep, renderNodeScript } from './private/node-scripts/render';

/** Docker's signing keys: one for its Debian/Ubuntu repositories, one for CentOS/RHEL/Fedora. */
const DOCKER_DEB_KEY_FINGERPRINT = '9DC858229FC7DD38854AE2D88D81803C0EBFCD88';
const DOCKER_RPM_KEY_FINGERPRINT = '060A61C51B558A7F742B77AAC52FEB6B621E9F35';

/** Ports of every node: kubelet API, kube-proxy health, NodePort Services (TCP and UDP). */
const NODE_PORTS = ['10250/tcp', '10256/tcp', '30000-32767/tcp', '30000-32767/udp'];
/** Ports of control-plane nodes only: API server, etcd, controller manager, scheduler. */
const CONTROL_PLANE_PORTS = [`${API_SERVER_PORT}/tcp`, '2379-2380/tcp', '10257/tcp', '10259/tcp'];
/** flannel's VXLAN backend port. */
const DEFAULT_CNI_PORTS: FirewallPort[] = [{ port: 8472, protocol: FirewallProtocol.UDP, description: 'flannel VXLAN' }];

const HOST = /^(?=.{1,253}$)[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*$/;
const REPOSITORY = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** What the scripts do with the machine's firewall. */
export enum FirewallMode {
  /**
   * Open the ports Kubernetes and the CNI need in the active firewall
   * (firewalld or ufw), and trust the pod and Service networks; leave
   * everything else as it is.
   */
  OPEN_PORTS = 'open-ports',
  /** Stop and disable firewalld and ufw. */
  DISABLE = 'disable',
  /** Leave the firewall alone (the script logs the ports to open). */
  UNMANAGED = 'unmanaged',
}

/**
 * A virtual IP for the control plane, held by a kube-vip static pod on the
 * control-plane nodes (ARP mode, Kubernetes leader election).
 */
export interface KubeVipOptions {
  /**
   * The virtual IPv4 address: free, on the same layer-2 network as the
   * control-plane nodes, outside the pod and Service networks. The control
   * plane's endpoint becomes `<address>:6443`.
   */
  readonly address: string;

  /**
   * kube-vip's image.
   * @default 'ghcr.io/kube-vip/kube-vip:v1.2.3', rewritten by the ImageRegistryOverride in force
   */
  readonly image?: string;
}

/** Minimum resources of a node, checked before anything is changed. */
export interface NodeRequirements {
  /**
   * CPUs (as `nproc` counts them).
   * @default - 2 for control-plane nodes (kubeadm's own minimum), 1 for workers
   */
  readonly cpus?: number;

  /**
   * Memory (MemTotal).
   * @default - 1700 MiB for control-plane nodes (kubeadm's own minimum), 1 GiB for workers
   */
  readonly memory?: Size;
}

/**
 * Options of {@link KubeadmClusterPrereqs}: everything but the network and
 * the CNI's ports, which a composite (such as SparkPlatform) supplies; it
 * forwards all of these.
 */
export interface KubeadmClusterPrereqsOptions {
  /**
   * The Kubernetes release to install, `MAJOR.MINOR.PATCH` without a leading
   * `v`, e.g. `1.33.1`; from 1.28 through 1.37.
   */
  readonly kubernetesVersion: string;

  /**
   * The control plane's stable address, `host:port` (kubeadm's
   * `controlPlaneEndpoint`), e.g. a load balancer or a DNS name. Required
   * when the network declares more than one control-plane node: a load
   * balancer you run in front of their port 6443.
   * @default - the first control-plane node's address and port 6443, or none when no nodes are declared
   */
  readonly controlPlaneEndpoint?: string;

  /**
   * A virtual IP for the control plane, held by kube-vip: the scripts write
   * its static pod on every control-plane node (the interface is the one
   * holding the node's declared address). Sets the endpoint to
   * `<address>:6443`; an alternative to a load balancer of your own.
   * @default - none
   */
  readonly kubeVip?: KubeVipOptions;

  /**
   * Where kubelet, kubeadm and kubectl come from.
   * @default PackageRepository.kubernetesIo()
   */
  readonly packageRepository?: PackageRepository;

  /**
   * The registry (and path) kubeadm pulls the control-plane images and the
   * pause image from (kubeadm's `imageRepository`, containerd's sandbox image).
   * @default - `registry.k8s.io`, rewritten by the ImageRegistryOverride in force at this scope, if any
   */
  readonly imageRepository?: string;

  /**
   * Where containerd comes from.
   * @default ContainerdSource.dockerRepository()
   */
  readonly containerdSource?: ContainerdSource;

  /**
   * containerd's major version, which decides its configuration layout.
   * @default ContainerdMajorVersion.DETECT
   */
  readonly containerdVersion?: ContainerdMajorVersion;

  /**
   * What to do with the machine's firewall.
   * @default FirewallMode.OPEN_PORTS
   */
  readonly firewall?: FirewallMode;

  /**
   * Minimum resources of control-plane nodes.
   * @default - 2 CPUs and 1700 MiB
   */
  readonly controlPlaneRequirements?: NodeRequirements;

  /**
   * Minimum resources of worker nodes.
   * @default - 1 CPU and 1 GiB
   */
  readonly workerRequirements?: NodeRequirements;

  /**
   * Registry mirrors and registry TLS settings for containerd: the scripts
   * write one `/etc/containerd/certs.d/<registry>/hosts.toml` per entry (from
   * `RegistryMirror.containerdMirror()`, `RegistryMirrorSet.containerdMirrors()`
   * or {@link ContainerdMirror.of}), and remove the files they wrote earlier
   * for registries no longer listed. The list is copied: add more with
   * `addRegistryMirror`, or pass a whole set as `registryMirrorSets` so that
   * mirrors added to it later are configured too.
   * @default - none
   */
  readonly registryMirrors?: ContainerdMirror[];

  /**
   * Sets of registry mirrors (e.g. a `RegistryMirrorSet`) to configure on
   * every node, read when the app synthesizes: a mirror added to a set after
   * this construct is configured too. Same as `addRegistryMirrorSet`.
   * @default - none
   */
  readonly registryMirrorSets?: IContainerdMirrorSource[];

  /**
   * How the nodes reach and trust the mirrors of `registryMirrorSets` (CA, opt-ins).
   * @default - HTTPS, verified with the nodes' trusted CAs
   */
  readonly registryMirrorSetOptions?: ContainerdMirrorOptions;

  /**
   * Directory, relative to the app's output directory, the scripts and
   * `kubeadm-config.yaml` are written to.
   * @default 'nodes'
   */
  readonly outputDirectory?: string;
}

/**
 * Properties of {@link KubeadmClusterPrereqs}: its options, the network and the CNI's ports.
 */
export interface KubeadmClusterPrereqsProps extends KubeadmClusterPrereqsOptions {
  /** The cluster's addressing and nodes. */
  readonly network: ClusterNetwork;

  /**
   * Ports the CNI's data plane uses between nodes (opened on every node):
   * pass `flannel.firewallPorts`.
   * @default - UDP 8472 (flannel's VXLAN backend)
   */
  readonly cniPorts?: FirewallPort[];
}

/**
 * Everything a machine needs before and for `kubeadm init` / `kubeadm join`,
 * as scripts written into the app's output directory at synth time:
 *
 * - `prepare-node.sh`: the common node preparation;
 * - `control-plane.sh`: preparation, then `kubeadm init` (once), the admin
 *   kubeconfig and the worker join command;
 * - `worker.sh`: preparation, then `kubeadm join --config` with a
 *   JoinConfiguration file readable by root only; the join parameters come
 *   from `--join-file FILE|-` or the environment, never from the command line;
 * - `new-join-command.sh`: prints the join parameters for `worker.sh
 *   --join-file -`, with a new token once the old one has expired (and, with
 *   `--control-plane`, a certificate key for `control-plane-join.sh`);
 * - `control-plane-join.sh`: preparation, then `kubeadm join` as a further
 *   control-plane node (with several control-plane nodes declared, which
 *   need `controlPlaneEndpoint`, a load balancer in front of them, or
 *   `kubeVip`, a virtual IP the scripts' kube-vip static pods hold);
 * - `kubeadm-config.yaml`: the kubeadm configuration control-plane.sh uses.
 *
 * Each script is self-contained (it embeds the common part), supports Debian,
 * Ubuntu and the RHEL family (detected at run time), logs every step, has a
 * `--dry-run` mode, and is idempotent: a second run changes nothing.
 *
 * The files are rendered when the app synthesizes: nodes added to the
 * ClusterNetwork, mirrors added to a set given in `registryMirrorSets` and
 * steps added after this construct are in them. Steps of your own run where
 * they belong: `addPreparationStep` (every preparing script, before kubeadm),
 * `addPostInitStep` (control-plane.sh, after `kubeadm init`),
 * `addPostControlPlaneJoinStep` and `addPostWorkerJoinStep` (after `kubeadm
 * join` in control-plane-join.sh and worker.sh).
 *
 * @example
 * const net = new ClusterNetwork(cluster, 'Network', {
 *   podCidr: '10.244.0.0/16',
 *   nodes: [
 *     { name: 'cp1', ip: '192.168.1.10', role: NodeRole.CONTROL_PLANE },
 *     { name: 'worker1', ip: '192.168.1.11', role: NodeRole.WORKER },
 *   ],
 * });
 * const flannel = new FlannelCni(cluster, 'Flannel', { network: net });
 * // dist/nodes/control-plane.sh, worker.sh, ...
 * new KubeadmClusterPrereqs(cluster, 'Nodes', { network: net, kubernetesVersion: '1.34.1', cniPorts: flannel.firewallPorts });
 */
export class KubeadmClusterPrereqs extends Construct {
  /** True when `x` is a KubeadmClusterPrereqs (of any copy of this library). */
  public static isKubeadmClusterPrereqs(x: any): x is KubeadmClusterPrereqs {
    return isBranded(x, 'KubeadmClusterPrereqs');
  }

  /** The Kubernetes version installed, e.g. `1.33.1`. */
  public readonly kubernetesVersion: string;
  /** kubeadm's configuration API version used: `kubeadm.k8s.io/v1beta4` from 1.31, `v1beta3` before. */
  public readonly kubeadmApiVersion: string;
  /** The kube-vip static pod the scripts write (with per-node placeholders), when kubeVip is set. */
  public readonly kubeVipManifest?: string;
  /** The image repository kubeadm and containerd pull from. */
  public readonly imageRepository: string;
  /** The firewall mode. */
  public readonly firewall: FirewallMode;
  /** Ports opened on every node (`port[-port]/protocol`). */
  public readonly nodePorts: string[];
  /** Ports opened on control-plane nodes in addition. */
  public readonly controlPlanePorts: string[];
  /** The output directory, relative to the app's output directory. */
  public readonly outputDirectory: string;

  private readonly network: ClusterNetwork;
  private readonly minor: number;
  private readonly endpoint?: string;
  private readonly kubeVip?: { address: string; image?: string };
  private readonly containerd: ContainerdSource;
  private readonly containerdVersion: ContainerdMajorVersion;
  private readonly packages: PackageRepository;
  private readonly requirements: { controlPlane: MinimumResources; worker: MinimumResources };
  private readonly mirrors: ContainerdMirror[] = [];
  private readonly mirrorSets: { set: IContainerdMirrorSource; options: ContainerdMirrorOptions }[] = [];
  private readonly preparationSteps: PreparationStep[] = [];
  private readonly postInitSteps: PreparationStep[] = [];
  private readonly postControlPlaneJoinSteps: PreparationStep[] = [];
  private readonly postWorkerJoinSteps: PreparationStep[] = [];

  constructor(scope: Construct, id: string, props: KubeadmClusterPrereqsProps) {
    super(scope, id);
    brand(this, 'KubeadmClusterPrereqs');
    const network = props.network;
    check(ClusterNetwork.isClusterNetwork(network), this, 'network', typeof network, 'a ClusterNetwork construct');
    this.network = network;

    this.minor = parseKubernetesVersion(this, props.kubernetesVersion).minor;
    this.kubernetesVersion = props.kubernetesVersion;
    this.kubeadmApiVersion = kubeadmApiVersion(this.minor);

    if (props.controlPlaneEndpoint !== undefined) {
      validateEndpoint(this, props.controlPlaneEndpoint);
    }
    this.endpoint = props.controlPlaneEndpoint;
    this.kubeVip = props.kubeVip === undefined ? undefined : validateKubeVip(this, props.kubeVip, props.controlPlaneEndpoint);
    this.kubeVipManifest = this.kubeVip === undefined ? undefined
      : renderKubeVipManifest(this.kubeVip.address, ImageRegistryOverride.resolve(this, this.kubeVip.image ?? KUBE_VIP_IMAGE));
    // The checks against the nodes run now and again at synth, for nodes added later.
    this.checkNodes();
    this.node.addValidation({ validate: () => messagesOf(() => this.checkNodes()) });

    if (props.imageRepository !== undefined) {
      check(typeof props.imageRepository === 'string' && REPOSITORY.test(props.imageRepository), this, 'imageRepository',
        props.imageRepository, 'a registry host with an optional port and lowercase path, e.g. "registry.example.com:5000/k8s", without scheme or tag');
    }
    this.imageRepository = props.imageRepository
      ?? ImageRegistryOverride.of(this)?.rewriteRepository('registry.k8s.io')
      ?? 'registry.k8s.io';

    this.firewall = props.firewall ?? FirewallMode.OPEN_PORTS;
    enumValue(this, 'firewall', this.firewall, FirewallMode);
    this.containerdVersion = props.containerdVersion ?? ContainerdMajorVersion.DETECT;
    enumValue(this, 'containerdVersion', this.containerdVersion, ContainerdMajorVersion);
    this.containerd = props.containerdSource ?? ContainerdSource.dockerRepository();
    check(ContainerdSource.isContainerdSource(this.containerd), this, 'containerdSource', typeof this.containerd,
      'a ContainerdSource from ContainerdSource.dockerRepository(), .osPackages() or .preinstalled()');
    this.packages = props.packageRepository ?? PackageRepository.kubernetesIo();
    check(PackageRepository.isPackageRepository(this.packages), this, 'packageRepository', typeof this.packages,
      'a PackageRepository from PackageRepository.kubernetesIo() or .mirror()');
    // pkgs.k8s.io has one repository per minor: a mirror URL naming another one would install other packages.
    for (const [prop, url] of this.packages._urlsNamingMinors()) {
      const named = minorsInRepositoryUrl(url).find((m) => m !== `1.${this.minor}`);
      check(named === undefined, this, `packageRepository.${prop}`, url,
        `a repository of Kubernetes 1.${this.minor} (kubernetesVersion ${props.kubernetesVersion}): the URL names v${named}; pkgs.k8s.io keeps one repository per minor version`);
    }

    this.nodePorts = [...NODE_PORTS, ...cniPortKeys(this, props.cniPorts ?? DEFAULT_CNI_PORTS)];
    this.controlPlanePorts = [...CONTROL_PLANE_PORTS];
    guardLateChange(this, 'cniPorts', () => props.cniPorts, 'pass every port when creating KubeadmClusterPrereqs');

    for (const mirror of props.registryMirrors ?? []) {
      this.addRegistryMirror(mirror);
    }
    guardLateChange(this, 'registryMirrors', () => props.registryMirrors, 'call addRegistryMirror() instead');
    for (const set of props.registryMirrorSets ?? []) {
      this.addRegistryMirrorSet(set, props.registryMirrorSetOptions);
    }

    this.requirements = {
      controlPlane: requirements(this, 'controlPlaneRequirements', props.controlPlaneRequirements, 2, 1700),
      worker: requirements(this, 'workerRequirements', props.workerRequirements, 1, 1024),
    };
    this.outputDirectory = props.outputDirectory ?? 'nodes';
    const dir = validateOutputDirectory(this, this.outputDirectory);
    for (const property of ['kubeVip', 'controlPlaneRequirements', 'workerRequirements'] as const) {
      guardLateChange(this, property, () => props[property], 'pass the final value when creating KubeadmClusterPrereqs');
    }

    // The files render when the app synthesizes, so nodes, mirrors and steps
    // added after this construct are in them.
    const script = (fileId: string, kind: NodeScriptKind) =>
      new LazyFile(this, fileId, `${dir}/${kind}`, 0o755, () => this.renderScript(kind));
    script('PrepareNode', NodeScriptKind.PREPARE_NODE);
    script('ControlPlane', NodeScriptKind.CONTROL_PLANE);
    script('Worker', NodeScriptKind.WORKER);
    script('NewJoinCommand', NodeScriptKind.NEW_JOIN_COMMAND);
    script('ControlPlaneJoin', NodeScriptKind.CONTROL_PLANE_JOIN);
    new LazyFile(this, 'KubeadmConfig', `${dir}/kubeadm-config.yaml`, 0o644, () => this.kubeadmConfig);
  }

  /** The control plane's endpoint, if known. */
  public get controlPlaneEndpoint(): string | undefined {
    const initNode = this.network.controlPlaneNodes[0];
    return this.endpoint
      ?? (this.kubeVip ? `${this.kubeVip.address}:${API_SERVER_PORT}` : undefined)
      ?? (initNode ? `${initNode.ip}:${API_SERVER_PORT}` : undefined);
  }

  /**
   * The containerd registry host configurations written to every node: those
   * added one by one, then those of the mirror sets as they are now.
   */
  public get registryMirrors(): ContainerdMirror[] {
    const all = [...this.mirrors, ...this.mirrorSets.flatMap(({ set, options }) => set.currentContainerdMirrors(options))];
    all.forEach((m, i) => {
      const first = all.findIndex((o) => o.registry === m.registry);
      check(first === i, this, `registryMirrors[${i}].registry`, m.registry,
        `a registry not configured twice (also registryMirrors[${first}])`);
    });
    return all;
  }

  /** Content of `prepare-node.sh`. */
  public get prepareNodeScript(): string {
    return this.renderScript(NodeScriptKind.PREPARE_NODE);
  }

  /** Content of `control-plane.sh`. */
  public get controlPlaneScript(): string {
    return this.renderScript(NodeScriptKind.CONTROL_PLANE);
  }

  /** Content of `worker.sh`. */
  public get workerScript(): string {
    return this.renderScript(NodeScriptKind.WORKER);
  }

  /** Content of `new-join-command.sh`. */
  public get newJoinCommandScript(): string {
    return this.renderScript(NodeScriptKind.NEW_JOIN_COMMAND);
  }

  /** Content of `control-plane-join.sh`. */
  public get controlPlaneJoinScript(): string {
    return this.renderScript(NodeScriptKind.CONTROL_PLANE_JOIN);
  }

  /** Content of `kubeadm-config.yaml`. */
  public get kubeadmConfig(): string {
    const initNode = this.network.controlPlaneNodes[0];
    return renderKubeadmConfig({
      kubernetesVersion: this.kubernetesVersion,
      minor: this.minor,
      controlPlaneEndpoint: this.controlPlaneEndpoint,
      imageRepository: this.imageRepository,
      podSubnet: this.network.podCidr,
      serviceSubnet: this.network.serviceCidr,
      dnsDomain: this.network.dnsDomain,
      nodeCidrMaskSize: this.network.nodeSubnetLength,
      initNode: initNode ? { name: initNode.name, ip: initNode.ip } : undefined,
    });
  }

  /**
   * Adds a registry's containerd host configuration, written to
   * `/etc/containerd/certs.d/<registry>/hosts.toml` on every node.
   */
  public addRegistryMirror(mirror: ContainerdMirror): void {
    check(ContainerdMirror.isContainerdMirror(mirror), this, `registryMirrors[${this.mirrors.length}]`, typeof mirror,
      'a ContainerdMirror from ContainerdMirror.of(), RegistryMirror.containerdMirror() or RegistryMirrorSet.containerdMirrors()');
    const first = this.mirrors.findIndex((o) => o.registry === mirror.registry);
    check(first < 0, this, `registryMirrors[${this.mirrors.length}].registry`, mirror.registry,
      `a registry not configured twice (also registryMirrors[${first}])`);
    this.mirrors.push(mirror);
  }

  /**
   * Configures every mirror of a set (e.g. a `RegistryMirrorSet`) on every
   * node. The set is read when the app synthesizes: mirrors added to it later
   * are configured too.
   *
   * @param set the mirrors
   * @param options how the nodes reach and trust them (CA, opt-ins)
   */
  public addRegistryMirrorSet(set: IContainerdMirrorSource, options: ContainerdMirrorOptions = {}): void {
    check(typeof set?.currentContainerdMirrors === 'function', this, `registryMirrorSets[${this.mirrorSets.length}]`, typeof set,
      'a RegistryMirrorSet (or another IContainerdMirrorSource)');
    this.mirrorSets.push({ set, options });
  }

  /**
   * Adds a step to the node preparation of every script that prepares a
   * machine (prepare-node.sh, control-plane.sh, worker.sh,
   * control-plane-join.sh): after the built-in steps, before kubeadm runs,
   * in the order added. Like EC2's `UserData.addCommands`, the commands are
   * bash lines run as they are, as root, under `set -euo pipefail` (a failing
   * command stops the script, naming the step); the scripts run again, so
   * make them safe to repeat. A dry run names the step and runs none of its
   * commands.
   *
   * @param description what the step does, logged as the step's name
   * @param commands bash lines, formatted as `shfmt -i 2 -ci -bn` formats them
   */
  public addPreparationStep(description: string, ...commands: string[]): void {
    this.addStep('addPreparationStep', this.preparationSteps, description, commands);
  }

  /**
   * Adds a step to control-plane.sh that runs on the first control-plane
   * node once the control plane is up: after `kubeadm init`, the admin
   * kubeconfig and the join command, in the order added — e.g. apply the
   * CNI's manifests, install an add-on, label nodes. It runs as root with
   * `KUBECONFIG=/etc/kubernetes/admin.conf` exported (kubeadm's cluster-admin
   * credentials), so `kubectl` and `helm` reach the new cluster; the
   * variables `NODE_NAME` and `NODE_IP` hold the declared node the script
   * runs on (empty when the ClusterNetwork declares no nodes). It runs on
   * every run of control-plane.sh, also when the control plane was
   * initialized before, so make it safe to repeat (`kubectl apply`,
   * `kubectl label --overwrite`). Otherwise as {@link addPreparationStep}.
   *
   * @param description what the step does, logged as the step's name
   * @param commands bash lines, formatted as `shfmt -i 2 -ci -bn` formats them
   */
  public addPostInitStep(description: string, ...commands: string[]): void {
    this.addStep('addPostInitStep', this.postInitSteps, description, commands);
  }

  /**
   * Adds a step to control-plane-join.sh that runs on each further
   * control-plane node once it has joined: after `kubeadm join` and the admin
   * kubeconfig, in the order added. Like {@link addPostInitStep}, it runs as
   * root with `KUBECONFIG=/etc/kubernetes/admin.conf` exported (kubeadm
   * writes it on every control-plane node), on every run. For a step on
   * every control-plane node, add it here and with addPostInitStep.
   *
   * @param description what the step does, logged as the step's name
   * @param commands bash lines, formatted as `shfmt -i 2 -ci -bn` formats them
   */
  public addPostControlPlaneJoinStep(description: string, ...commands: string[]): void {
    this.addStep('addPostControlPlaneJoinStep', this.postControlPlaneJoinSteps, description, commands);
  }

  /**
   * Adds a step to worker.sh that runs on each worker once it has joined:
   * after `kubeadm join`, in the order added, as root, on every run. A worker
   * holds no cluster credentials beyond kubelet's own, which the
   * NodeRestriction admission plugin limits to its own Node and pods (it may
   * not set `node-role.kubernetes.io/*` labels), so the script sets no
   * `KUBECONFIG`: changes to the cluster belong in {@link addPostInitStep}.
   * Otherwise as {@link addPreparationStep}.
   *
   * @param description what the step does, logged as the step's name
   * @param commands bash lines, formatted as `shfmt -i 2 -ci -bn` formats them
   */
  public addPostWorkerJoinStep(description: string, ...commands: string[]): void {
    this.addStep('addPostWorkerJoinStep', this.postWorkerJoinSteps, description, commands);
  }

  private checkNodes(): void {
    const network = this.network;
    const controlPlaneCount = network.controlPlaneNodes.length;
    if (this.kubeVip !== undefined) {
      checkKubeVipAgainstNetwork(this, this.kubeVip.address, network);
    }
    // With several control-plane nodes, the first one's address would be a single
    // point of failure baked into every kubeconfig and kubelet.
    check(controlPlaneCount <= 1 || this.endpoint !== undefined || this.kubeVip !== undefined, this, 'controlPlaneEndpoint',
      this.endpoint, `a load balancer or DNS name in front of all ${controlPlaneCount} control-plane nodes `
      + `(${network.controlPlaneNodes.map((n) => n.name).join(', ')}), e.g. "k8s-api.example.com:6443", or kubeVip: required with more than one`);
    check(controlPlaneCount === 0 || controlPlaneCount % 2 === 1, this, 'network', `${controlPlaneCount} control-plane nodes`,
      'an odd number of control-plane nodes (1, 3, 5): etcd needs a majority, so an even count tolerates no more failures than one less');
  }

  /** Checks and records a step added with one of the addXxxStep methods. */
  private addStep(method: string, steps: PreparationStep[], description: string, commands: string[]): void {
    const at = `${method}[${steps.length}]`;
    check(typeof description === 'string' && /^[^\n\r]+$/.test(description.trim()), this,
      `${at}.description`, description, 'a one-line description');
    check(commands.length > 0, this, `${at}.commands`, commands, 'at least one command');
    commands.forEach((c, i) => check(typeof c === 'string' && c.trim().length > 0, this,
      `${at}.commands[${i}]`, c, 'a non-empty bash command'));
    steps.push({ description: description.trim(), commands: [...commands] });
  }

  private renderScript(kind: NodeScriptKind): string {
    return renderNodeScript(kind, this.settings());
  }

  private settings(): NodeScriptSettings {
    const network = this.network;
    const minor = `1.${this.minor}`;
    const repo = this.packages._forMinor(minor);
    const mirrors = this.registryMirrors;
    const controlPlaneCount = network.controlPlaneNodes.length;
    const { controlPlane: cp, worker } = this.requirements;
    return {
      kubernetesVersion: this.kubernetesVersion,
      controlPlaneEndpoint: this.controlPlaneEndpoint ?? '',
      initNodeName: network.controlPlaneNodes[0]?.name ?? '',
      kubeadmConfig: this.kubeadmConfig,
      steps: {
        preparation: this.preparationSteps,
        postInit: this.postInitSteps,
        postControlPlaneJoin: this.postControlPlaneJoinSteps,
        postWorkerJoin: this.postWorkerJoinSteps,
      },
      prepare: {
        KUBERNETES_VERSION: this.kubernetesVersion,
        KUBERNETES_MINOR: minor,
        IMAGE_REPOSITORY: this.imageRepository,
        K8S_DEB_URL: repo.debUrl,
        K8S_DEB_KEY_URL: repo.debKeyUrl,
        K8S_RPM_URL: repo.rpmUrl,
        K8S_RPM_KEY_URL: repo.rpmKeyUrl,
        K8S_KEY_FINGERPRINT: repo.keyFingerprint,
        CONTAINERD_SOURCE: this.containerd.kind,
        CONTAINERD_LAYOUT: this.containerdVersion,
        DOCKER_BASE_URL: this.containerd.dockerBaseUrl,
        DOCKER_DEB_KEY_FINGERPRINT,
        DOCKER_RPM_KEY_FINGERPRINT,
        FIREWALL_MODE: this.firewall,
        NODE_PORTS: this.nodePorts,
        CONTROL_PLANE_PORTS: this.controlPlanePorts,
        TRUSTED_CIDRS: [network.podCidr, network.serviceCidr],
        NODE_NAMES: network.nodes.map((n) => n.name),
        NODE_IPS: network.nodes.map((n) => n.ip),
        NODE_ROLES: network.nodes.map((n) => n.role),
        CONTROL_PLANE_MIN_CPUS: cp.cpus,
        CONTROL_PLANE_MIN_MEMORY_MIB: cp.memoryMib,
        WORKER_MIN_CPUS: worker.cpus,
        WORKER_MIN_MEMORY_MIB: worker.memoryMib,
        REGISTRY_HOSTS: mirrors.map((m) => m.registry),
        REGISTRY_HOSTS_TOML: mirrors.map((m) => m.hostsToml),
        REGISTRY_CA_CERTIFICATES: mirrors.map((m) => m.caCertificate ?? ''),
        CONTAINERD_MINIMUMS: containerdMinimums(this.minor),
      },
      join: {
        KUBEADM_API_VERSION: this.kubeadmApiVersion,
        CRI_SOCKET,
        API_SERVER_PORT,
      },
      controlPlane: {
        INIT_TOKEN_DESCRIPTION,
        CONTROL_PLANE_NODE_COUNT: controlPlaneCount,
        // From 1.29, admin.conf has no rights until kubeadm init binds them; kube-vip
        // on the first node uses super-admin.conf until then (kube-vip's e2e tests,
        // testing/e2e/cluster.go, do the same).
        KUBE_VIP_INIT_KUBECONFIG: this.minor >= 29 ? '/etc/kubernetes/super-admin.conf' : '/etc/kubernetes/admin.conf',
      },
      controlPlaneJoin: {
        CONTROL_PLANE_NODE_COUNT: controlPlaneCount,
      },
      kubeVip: {
        KUBE_VIP_MANIFEST: this.kubeVipManifest ?? '',
      },
    };
  }
}

interface MinimumResources {
  readonly cpus: number;
  readonly memoryMib: number;
}

/** Runs checks that throw, for a synth-time validation: their messages. */
function messagesOf(checks: () => void): string[] {
  try {
    checks();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

function cniPortKeys(scope: Where, cniPorts: FirewallPort[]): string[] {
  check(Array.isArray(cniPorts), scope, 'cniPorts', cniPorts, 'an array of ports');
  const keys = cniPorts.map((p) => `${p.port}/${p.protocol}`);
  cniPorts.forEach(({ port, protocol }, i) => {
    enumValue(scope, `cniPorts[${i}].protocol`, protocol, FirewallProtocol);
    checkPort(scope, `cniPorts[${i}]`, port);
    check(keys.indexOf(keys[i]) === i, scope, `cniPorts[${i}]`, port, 'a port not listed twice');
    check(port < NODE_PORT_RANGE.min || port > NODE_PORT_RANGE.max, scope, `cniPorts[${i}]`, port,
      `a port outside the NodePort range ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`);
  });
  return keys;
}

function validateOutputDirectory(scope: Where, value: string): string {
  const dir = typeof value === 'string' ? value.replace(/\/+$/, '') : '';
  check(/^[A-Za-z0-9._/-]+$/.test(dir) && !path.posix.isAbsolute(dir) && path.posix.normalize(dir) === dir
    && dir !== '.' && !dir.startsWith('..'),
  scope, 'outputDirectory', value,
  'a relative directory inside the output directory, e.g. "nodes" or "cluster/nodes", without "..", "./" or "\\"');
  return dir;
}

function parseKubernetesVersion(scope: Where, value: string): { minor: number; patch: number } {
  const allowed = `a Kubernetes release version MAJOR.MINOR.PATCH without a leading "v", from 1.${KUBERNETES_MINORS.min}.0 `
    + `through 1.${KUBERNETES_MINORS.max}.x, e.g. "1.33.1"`;
  const match = typeof value === 'string' ? /^1\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/.exec(value) : null;
  check(match !== null, scope, 'kubernetesVersion', value, allowed);
  const minor = parseInt(match![1], 10);
  check(minor >= KUBERNETES_MINORS.min && minor <= KUBERNETES_MINORS.max, scope, 'kubernetesVersion', value,
    `${allowed} (1.${minor} is not supported)`);
  return { minor, patch: parseInt(match![2], 10) };
}

function validateKubeVip(scope: Where, options: KubeVipOptions, endpoint: string | undefined): { address: string; image?: string } {
  const address = options.address;
  const ip = typeof address === 'string' ? parseIpv4(address) : undefined;
  check(ip !== undefined && !SPECIAL_PURPOSE.some((r) => contains(r, ip)), scope, 'kubeVip.address', address,
    'an IPv4 address outside the special-purpose ranges, e.g. "192.168.56.100"');
  if (endpoint !== undefined) {
    const [host, port] = endpoint.split(':');
    check(port === String(API_SERVER_PORT) && (parseIpv4(host) === undefined || host === address), scope, 'controlPlaneEndpoint', endpoint,
      `the kube-vip address ${address}:${API_SERVER_PORT}, or a DNS name for it with port ${API_SERVER_PORT} (kube-vip forwards nothing: the API servers listen there)`);
  }
  if (options.image !== undefined) {
    requirePinned(scope, 'kubeVip.image', options.image);
  }
  return { address, image: options.image };
}

/** The kube-vip address against the network's nodes (now, and at synth for nodes added later). */
function checkKubeVipAgainstNetwork(scope: Where, address: string, network: ClusterNetwork): void {
  const ip = parseIpv4(address)!;
  const node = network.nodes.find((n) => n.ip === address);
  check(node === undefined, scope, 'kubeVip.address', address, `a free address, not node ${node?.name}'s`);
  check(!contains(parseCidr(network.podCidr)!, ip) && !contains(parseCidr(network.serviceCidr)!, ip), scope, 'kubeVip.address', address,
    `an address outside podCidr ${network.podCidr} and serviceCidr ${network.serviceCidr}`);
  check(network.controlPlaneNodes.length > 0, scope, 'kubeVip', address,
    'declared control-plane nodes in the ClusterNetwork (the scripts bind the address to the interface holding each node\'s address)');
}

function validateEndpoint(scope: Where, value: string): void {
  const allowed = 'HOST:PORT, where HOST is an IPv4 address or DNS name and PORT is from 1 to 65535, e.g. "192.168.56.10:6443"';
  const match = typeof value === 'string' ? /^([^:]+):([0-9]{1,5})$/.exec(value) : null;
  check(match !== null && HOST.test(match[1]) && isPort(parseInt(match[2], 10)),
    scope, 'controlPlaneEndpoint', value, allowed);
}


function requirements(scope: Where, property: string, value: NodeRequirements | undefined,
  defaultCpus: number, defaultMib: number): { cpus: number; memoryMib: number } {
  const cpus = value?.cpus ?? defaultCpus;
  check(Number.isInteger(cpus) && cpus >= 1 && cpus <= 1024, scope, `${property}.cpus`, cpus, 'a whole number of CPUs from 1 to 1024');
  const memory = value?.memory;
  check(memory === undefined || memory instanceof Size, scope, `${property}.memory`, memory, 'a cdk8s Size, e.g. Size.mebibytes(1700)');
  let memoryMib = defaultMib;
  if (memory !== undefined) {
    memoryMib = memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    check(Number.isInteger(memoryMib) && memoryMib >= 256, scope, `${property}.memory`, `${memoryMib} MiB`,
      'a whole number of mebibytes, at least 256');
  }
  return { cpus, memoryMib };
}