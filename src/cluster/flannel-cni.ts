import { ApiObject, Chart, Duration, JsonPatch, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterNetwork } from './cluster-network';
import { FirewallPort, FirewallProtocol } from './firewall-port';
import { brand, isBranded } from '../core/brand';
import { parseIpv4 } from '../core/cidr';
import { check, Where } from '../core/errors';
import { reservedNodePort } from '../core/host-port';
import { ImageRegistryOverride } from '../core/image-registry-override';
import { StandardLabels } from '../core/labels';
import { DnsNames } from '../core/names';
import { PodBuilder } from '../core/pod-builder';
import { renderResources } from '../core/resources';
import { enumValue, port as checkPort, wholeSeconds } from '../core/validate';

/** The flannel release the defaults follow. */
const FLANNEL_VERSION = 'v0.28.9';
const DEFAULT_IMAGE = `ghcr.io/flannel-io/flannel:${FLANNEL_VERSION}`;
const DEFAULT_CNI_PLUGIN_IMAGE = 'ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3';
// Upstream's names, kept so that flannel's documentation and tooling apply unchanged.
const SERVICE_ACCOUNT = 'flannel';
const CONFIG_MAP = 'kube-flannel-cfg';
const DAEMON_SET = 'kube-flannel-ds';
// Namespaces that exist in every cluster: emitting them here would relabel them privileged.
const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
// Linux interface names: IFNAMSIZ is 16 bytes including the terminating NUL.
const MAX_INTERFACE_NAME = 15;
const VXLAN_DEVICE_PREFIX = 'flannel.';

/** The kinds of flannel backend this library renders. */
export enum FlannelBackendType {
  /** In-kernel VXLAN encapsulation. */
  VXLAN = 'vxlan',
  /** Plain routes to the other nodes' pod subnets; needs layer-2 adjacency. */
  HOST_GW = 'host-gw',
  /** In-kernel WireGuard: encapsulated and encrypted. */
  WIREGUARD = 'wireguard',
}

/** Options of {@link FlannelBackend.vxlan}. */
export interface FlannelVxlanOptions {
  /**
   * VXLAN network identifier. flannel names the device `flannel.<VNI>`, and
   * Linux interface names have at most 15 characters, so the VNI has at most
   * 7 digits.
   * @default 1
   */
  readonly vni?: number;

  /**
   * UDP port of the VXLAN traffic between nodes.
   * @default 8472 - the Linux kernel's VXLAN port, which flannel uses when none is set
   */
  readonly port?: number;

  /**
   * Route directly, without encapsulation, to nodes on the same subnet.
   * @default false
   */
  readonly directRouting?: boolean;

  /**
   * Enable VXLAN Group Based Policy.
   * @default false
   */
  readonly gbp?: boolean;

  /**
   * MTU of the VXLAN device.
   * @default - derived by flannel from the node interface's MTU
   */
  readonly mtu?: number;
}

/** How the WireGuard backend handles address families. */
export enum WireguardMode {
  /** One tunnel per address family (flannel's default). */
  SEPARATE = 'separate',
  /** One tunnel; the peer address family is chosen automatically. */
  AUTO = 'auto',
  /** One tunnel over IPv4 peer addresses. */
  IPV4 = 'ipv4',
  /** One tunnel over IPv6 peer addresses. */
  IPV6 = 'ipv6',
}

/** Options of {@link FlannelBackend.wireguard}. */
export interface FlannelWireguardOptions {
  /**
   * UDP port WireGuard listens on.
   * @default 51820
   */
  readonly listenPort?: number;

  /**
   * Interval of keepalive packets, for peers behind NAT. Whole seconds.
   * @default - no keepalives
   */
  readonly persistentKeepaliveInterval?: Duration;

  /**
   * Address family handling.
   * @default - flannel's default, WireguardMode.SEPARATE
   */
  readonly mode?: WireguardMode;

  /**
   * MTU of the WireGuard device.
   * @default - derived by flannel from the node interface's MTU
   */
  readonly mtu?: number;
}

/**
 * How flannel carries pod traffic between nodes: the `Backend` section of
 * `net-conf.json`, plus the ports it needs opened between nodes.
 *
 * Do not change the backend of a running cluster: flannel does not migrate.
 */
export class FlannelBackend {
  /** True when `x` is a FlannelBackend (of any copy of this library). */
  public static isFlannelBackend(x: any): x is FlannelBackend {
    return isBranded(x, 'FlannelBackend');
  }

  /** VXLAN encapsulation, the recommended backend. */
  public static vxlan(options: FlannelVxlanOptions = {}): FlannelBackend {
    const where = 'FlannelBackend.vxlan';
    checkKnownKeys(where, options, ['vni', 'port', 'directRouting', 'gbp', 'mtu']);
    const vni = options.vni ?? 1;
    check(Number.isInteger(vni) && vni >= 1 && (VXLAN_DEVICE_PREFIX + vni).length <= MAX_INTERFACE_NAME, where, 'vni', vni,
      'an integer from 1 to 9999999 (flannel names the device flannel.<vni>, and Linux interface names have at most 15 characters)');
    const port = options.port ?? 8472;
    checkPort(where, 'port', port);
    checkMtu(where, options.mtu);
    const config: { [key: string]: any } = { Type: FlannelBackendType.VXLAN, VNI: vni, Port: port };
    if (options.directRouting !== undefined) {
      config.DirectRouting = options.directRouting;
    }
    if (options.gbp !== undefined) {
      config.GBP = options.gbp;
    }
    if (options.mtu !== undefined) {
      config.MTU = options.mtu;
    }
    return new FlannelBackend(FlannelBackendType.VXLAN, config,
      [{ port, protocol: FirewallProtocol.UDP, description: 'flannel VXLAN' }]);
  }

  /**
   * Routes through the other nodes' addresses, without encapsulation. Every
   * node must reach every other node directly on one layer-2 network (the
   * usual case on bare metal; rarely so in clouds).
   */
  public static hostGw(): FlannelBackend {
    return new FlannelBackend(FlannelBackendType.HOST_GW, { Type: FlannelBackendType.HOST_GW }, []);
  }

  /**
   * WireGuard tunnels: pod traffic between nodes is encrypted. Needs the
   * WireGuard kernel module (built into Linux 5.6 and later). flannel keeps
   * each node's private key in `/run/flannel/wgkey` on the host.
   */
  public static wireguard(options: FlannelWireguardOptions = {}): FlannelBackend {
    const where = 'FlannelBackend.wireguard';
    checkKnownKeys(where, options, ['listenPort', 'persistentKeepaliveInterval', 'mode', 'mtu']);
    const listenPort = options.listenPort ?? 51820;
    checkPort(where, 'listenPort', listenPort);
    checkMtu(where, options.mtu);
    if (options.mode !== undefined) {
      enumValue(where, 'mode', options.mode, WireguardMode);
    }
    const config: { [key: string]: any } = { Type: FlannelBackendType.WIREGUARD, ListenPort: listenPort };
    if (options.persistentKeepaliveInterval !== undefined) {
      // WireGuard stores the interval as a 16-bit number of seconds.
      config.PersistentKeepaliveInterval = wholeSeconds(where, 'persistentKeepaliveInterval', options.persistentKeepaliveInterval, { max: 65535 });
    }
    if (options.mode !== undefined) {
      config.Mode = options.mode;
    }
    if (options.mtu !== undefined) {
      config.MTU = options.mtu;
    }
    return new FlannelBackend(FlannelBackendType.WIREGUARD, config,
      [{ port: listenPort, protocol: FirewallProtocol.UDP, description: 'flannel WireGuard' }]);
  }

  /**
   * The backend type (`Backend.Type`).
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly type: FlannelBackendType;

  /** Ports every node must accept from the other nodes for this backend. */
  public readonly firewallPorts: FirewallPort[];

  private readonly config: { [key: string]: any };

  private constructor(type: FlannelBackendType, config: { [key: string]: any }, firewallPorts: FirewallPort[]) {
    brand(this, 'FlannelBackend');
    this.type = type;
    this.config = config;
    this.firewallPorts = firewallPorts;
  }

  /** The `Backend` object of `net-conf.json`. */
  public toNetConf(): { [key: string]: any } {
    return { ...this.config };
  }
}

/**
 * Options of {@link FlannelCni}: everything but the network, which a
 * composite (such as SparkPlatform) supplies; it forwards all of these.
 */
export interface FlannelCniOptions {
  /**
   * How pod traffic travels between nodes.
   * @default FlannelBackend.vxlan()
   */
  readonly backend?: FlannelBackend;

  /**
   * Namespace of flannel's objects. Created by this construct and labelled
   * for the `privileged` Pod Security level (flannel needs host networking
   * and host paths).
   * @default 'kube-flannel'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;

  /**
   * Name of the node interface flannel uses between nodes (`--iface`), for
   * nodes with several interfaces where the default route is not the cluster
   * network (e.g. VirtualBox NAT). Takes precedence over `interfaceRegex`.
   * @default - the interface of the default route, unless interfaceRegex matches
   */
  readonly interfaceName?: string;

  /**
   * Regular expression (Go RE2 syntax) matched against interface names and
   * addresses to pick the interface (`--iface-regex`), e.g. `^192\.168\.56\.`.
   * @default - the interface of the default route
   */
  readonly interfaceRegex?: string;

  /**
   * The flannel daemon image (also runs the `install-cni` init container).
   * Rewritten by an applied {@link ImageRegistryOverride}.
   * @default 'ghcr.io/flannel-io/flannel:v0.28.9'
   */
  readonly image?: string;

  /**
   * The image carrying the flannel CNI plugin binary.
   * Rewritten by an applied {@link ImageRegistryOverride}.
   * @default 'ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3'
   */
  readonly cniPluginImage?: string;

  /**
   * Resources of the flannel daemon. Fields not given keep their default.
   * @default - requests 100m CPU and 50Mi memory, limits 500m CPU and 256Mi memory
   */
  readonly resources?: ContainerResources;

  /**
   * Resources of each of the two init containers (which only copy files).
   * Fields not given keep their default.
   * @default - requests 10m CPU and 16Mi memory, limits 100m CPU and 64Mi memory
   */
  readonly initContainerResources?: ContainerResources;

  /**
   * Host port of flannel's health endpoint (`--healthz-port`), probed by the
   * kubelet on the node itself. flannel listens on all addresses of the node.
   * @default 8081
   */
  readonly healthzPort?: number;

  /**
   * Masquerade traffic from pods to destinations outside the pod network
   * (`--ip-masq`).
   * @default true
   */
  readonly ipMasq?: boolean;

  /**
   * Program nftables instead of iptables (`EnableNFTables`).
   * @default false
   */
  readonly enableNftables?: boolean;
}

/**
 * Properties of {@link FlannelCni}: its options and the network.
 */
export interface FlannelCniProps extends FlannelCniOptions {
  /**
   * The cluster's addressing: flannel's `Network` is its pod CIDR and
   * `SubnetLen` its node subnet length, the values kubeadm is given.
   */
  readonly network: ClusterNetwork;
}

/**
 * The flannel pod network (CNI plugin) of a kubeadm cluster, as upstream
 * flannel v0.28.9 installs it: namespace, RBAC, configuration and the
 * node DaemonSet.
 *
 * The pod network comes from the {@link ClusterNetwork} that also configures
 * kubeadm, so the two cannot disagree.
 *
 * @example
 * // WireGuard encrypts the pod traffic between nodes.
 * new FlannelCni(cluster, 'Flannel', { network, backend: FlannelBackend.wireguard() });
 */
export class FlannelCni extends Construct {
  /** The cluster addressing flannel was rendered from. */
  public readonly network: ClusterNetwork;
  /** The backend. */
  public readonly backend: FlannelBackend;
  /**
   * Namespace of flannel's objects.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public readonly namespace: string;
  /** Ports every node must accept from the other nodes (the backend's). */
  public readonly firewallPorts: FirewallPort[];
  /** Host port of the health endpoint. */
  public readonly healthzPort: number;
  /** The flannel image, as emitted. */
  public readonly image: string;
  /** The CNI plugin image, as emitted. */
  public readonly cniPluginImage: string;
  /** The ConfigMap holding `cni-conf.json` and `net-conf.json`. */
  public readonly configMap: ApiObject;
  /** The node DaemonSet. */
  public readonly daemonSet: ApiObject;

  constructor(scope: Construct, id: string, props: FlannelCniProps) {
    super(scope, id);
    check(ClusterNetwork.isClusterNetwork(props?.network), this, 'network', props?.network === undefined ? undefined : 'object',
      'a ClusterNetwork');
    checkKnownKeys(this, props, ['network', 'backend', 'namespace', 'interfaceName', 'interfaceRegex', 'image',
      'cniPluginImage', 'resources', 'initContainerResources', 'healthzPort', 'ipMasq', 'enableNftables']);
    this.network = props.network;
    this.backend = props.backend ?? FlannelBackend.vxlan();
    check(FlannelBackend.isFlannelBackend(this.backend), this, 'backend', 'object',
      'a FlannelBackend from FlannelBackend.vxlan(), .hostGw() or .wireguard()');
    this.firewallPorts = [...this.backend.firewallPorts];

    this.namespace = props.namespace ?? 'kube-flannel';
    DnsNames.validateLabel(this, 'namespace', this.namespace);
    check(!RESERVED_NAMESPACES.includes(this.namespace), this, 'namespace', this.namespace,
      `a namespace of flannel's own: ${RESERVED_NAMESPACES.join(', ')} exist already and would be relabelled privileged`);

    this.healthzPort = props.healthzPort ?? 8081;
    checkPort(this, 'healthzPort', this.healthzPort);
    // flannel runs on the host network: its health endpoint binds the node's port.
    const owner = reservedNodePort(this.healthzPort);
    check(owner === undefined, this, 'healthzPort', this.healthzPort,
      `a port Kubernetes does not use on the nodes (${owner} listens on it); flannel's default is 8081`);
    const ifaceArgs = interfaceArgs(this, props.interfaceName, props.interfaceRegex);

    this.image = ImageRegistryOverride.resolve(this, props.image ?? DEFAULT_IMAGE);
    this.cniPluginImage = ImageRegistryOverride.resolve(this, props.cniPluginImage ?? DEFAULT_CNI_PLUGIN_IMAGE);
    const mainResources = renderResources(this, 'resources', props.resources,
      { cpuRequest: Cpu.millis(100), cpuLimit: Cpu.millis(500), memoryRequest: Size.mebibytes(50), memoryLimit: Size.mebibytes(256) });
    const initResources = renderResources(this, 'initContainerResources', props.initContainerResources,
      { cpuRequest: Cpu.millis(10), cpuLimit: Cpu.millis(100), memoryRequest: Size.mebibytes(16), memoryLimit: Size.mebibytes(64) });

    const labels = StandardLabels.of(this, { name: 'flannel' });
    // `k8s-app` and `app`/`tier` are upstream's labels, kept so flannel's
    // troubleshooting commands (`kubectl -l app=flannel`) work unchanged.
    const objectLabels = { ...labels.all(), 'k8s-app': 'flannel' };
    const metadata: FlannelMetadata = (name, namespaced, extra = {}) => ({
      name,
      ...(namespaced ? { namespace: this.namespace } : {}),
      labels: { ...objectLabels, ...extra },
    });

    const namespace = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: metadata(this.namespace, false, { 'pod-security.kubernetes.io/enforce': 'privileged' }),
    });

    const clusterScoped = [namespace, ...this.createIdentity(metadata)];
    // cdk8s gives every object the chart's namespace; cluster-scoped objects must have none.
    if (Chart.of(this).namespace !== undefined) {
      for (const object of clusterScoped) {
        object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
      }
    }

    const podLabels = { app: 'flannel', tier: 'node' };
    this.configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: metadata(CONFIG_MAP, true, podLabels),
      data: {
        'cni-conf.json': json(cniConf()),
        'net-conf.json': json({
          Network: this.network.podCidr,
          SubnetLen: this.network.nodeSubnetLength,
          EnableNFTables: props.enableNftables ?? false,
          Backend: this.backend.toNetConf(),
        }),
      },
    });

    this.daemonSet = new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: metadata(DAEMON_SET, true, podLabels),
      spec: {
        selector: { matchLabels: labels.selector() },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels: { ...labels.all(), ...podLabels } },
          spec: flannelPodSpec(this, {
            image: this.image,
            cniPluginImage: this.cniPluginImage,
            healthzPort: this.healthzPort,
            ipMasq: props.ipMasq ?? true,
            interfaceArgs: ifaceArgs,
            resources: mainResources,
            initResources,
          }),
        },
      },
    });
  }

  /**
   * The ServiceAccount and exactly upstream's grants: flannel reads its pod,
   * watches nodes for their pod CIDRs and lease annotations, and patches its
   * own node's status. Returns the cluster-scoped objects.
   */
  private createIdentity(metadata: FlannelMetadata): ApiObject[] {
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: metadata(SERVICE_ACCOUNT, true) });
    const clusterRole = new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: metadata(SERVICE_ACCOUNT, false),
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
      ],
    });
    const clusterRoleBinding = new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: metadata(SERVICE_ACCOUNT, false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace: this.namespace }],
    });
    return [clusterRole, clusterRoleBinding];
  }
}

/** What the flannel pod needs from the construct. */
interface FlannelPodOptions {
  readonly image: string;
  readonly cniPluginImage: string;
  readonly healthzPort: number;
  readonly ipMasq: boolean;
  readonly interfaceArgs: string[];
  readonly resources: k8s.ResourceRequirements;
  readonly initResources: k8s.ResourceRequirements;
}

/**
 * The DaemonSet's pod: upstream's kube-flannel.yml pod, with least privilege
 * and resources. A node system pod: it runs in the host network as root,
 * writes the CNI plugin and configuration into the node's directories, and
 * programs routes, devices and iptables (NET_ADMIN, NET_RAW).
 */
function flannelPodSpec(scope: Construct, o: FlannelPodOptions): k8s.PodSpec {
  const configDir = '/etc/kube-flannel/';
  const configMount = { name: 'flannel-cfg', mountPath: configDir, readOnly: true };
  const hostPaths = { run: '/run/flannel', cniPlugin: '/opt/cni/bin', cni: '/etc/cni/net.d', xtablesLock: '/run/xtables.lock' };
  const pod = PodBuilder.nodeSystemPod(scope, {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }],
        },
      },
    },
    hostNetwork: true,
    priorityClassName: 'system-node-critical',
    // A CNI must run on every node, tainted or not, before anything else can.
    tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
    serviceAccountName: SERVICE_ACCOUNT,
    hostPaths: Object.values(hostPaths),
    // Routes, VXLAN/WireGuard devices and iptables need NET_ADMIN and NET_RAW, not a privileged container.
    capabilities: ['NET_ADMIN', 'NET_RAW'],
  });
  // The init containers only copy files into root-owned host directories.
  const copierSecurity: k8s.SecurityContext = {
    privileged: false,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
  };
  pod.addInitContainer({
    name: 'install-cni-plugin',
    image: o.cniPluginImage,
    command: ['cp'],
    args: ['-f', '/flannel', '/opt/cni/bin/flannel'],
    volumeMounts: [{ name: 'cni-plugin', mountPath: '/opt/cni/bin' }],
    resources: o.initResources,
    nodeSystemSecurity: copierSecurity,
  });
  pod.addInitContainer({
    name: 'install-cni',
    image: o.image,
    command: ['/opt/bin/install-conf'],
    args: [`${configDir}cni-conf.json`, '/etc/cni/net.d/10-flannel.conflist'],
    volumeMounts: [{ name: 'cni', mountPath: '/etc/cni/net.d' }, configMount],
    resources: o.initResources,
    nodeSystemSecurity: copierSecurity,
  });
  const healthz = { path: '/healthz', port: k8s.IntOrString.fromString('healthz') };
  pod.addContainer({
    name: 'kube-flannel',
    image: o.image,
    command: ['/opt/bin/flanneld'],
    args: [
      ...(o.ipMasq ? ['--ip-masq'] : []),
      '--kube-subnet-mgr',
      `--healthz-port=${o.healthzPort}`,
      ...o.interfaceArgs,
    ],
    ports: [{ name: 'healthz', containerPort: o.healthzPort, protocol: 'TCP' }],
    livenessProbe: { httpGet: healthz, initialDelaySeconds: 10, periodSeconds: 30 },
    readinessProbe: { httpGet: { ...healthz, path: '/readyz' }, initialDelaySeconds: 5, periodSeconds: 10 },
    resources: o.resources,
    nodeSystemSecurity: {
      privileged: false,
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_ADMIN', 'NET_RAW'] },
    },
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'EVENT_QUEUE_DEPTH', value: '5000' },
      { name: 'CONT_WHEN_CACHE_NOT_READY', value: 'false' },
    ],
    volumeMounts: [
      { name: 'run', mountPath: '/run/flannel' },
      configMount,
      { name: 'xtables-lock', mountPath: '/run/xtables.lock' },
    ],
  });
  pod.addVolume({ name: 'run', hostPath: { path: hostPaths.run } });
  pod.addVolume({ name: 'cni-plugin', hostPath: { path: hostPaths.cniPlugin } });
  pod.addVolume({ name: 'cni', hostPath: { path: hostPaths.cni } });
  pod.addVolume({ name: 'flannel-cfg', configMap: { name: CONFIG_MAP } });
  pod.addVolume({ name: 'xtables-lock', hostPath: { path: hostPaths.xtablesLock, type: 'FileOrCreate' } });
  return pod.renderSpec();
}

/** The CNI network configuration flannel installs on every node (upstream's). */
function cniConf(): { [key: string]: any } {
  return {
    name: 'cbr0',
    cniVersion: '0.3.1',
    plugins: [
      { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, undefined, 2)}\n`;
}

// Typed callers cannot pass unknown options; JavaScript callers with a typo would otherwise be ignored silently.
function checkKnownKeys(where: Where, options: object, known: string[]) {
  for (const key of Object.keys(options ?? {})) {
    check(known.includes(key), where, 'option', key, `one of ${known.join(', ')}`);
  }
}

function checkMtu(where: Where, mtu: number | undefined) {
  if (mtu !== undefined) {
    check(Number.isInteger(mtu) && mtu >= 576 && mtu <= 65535, where, 'mtu', mtu,
      'an integer from 576 (the least every IPv4 host must accept) to 65535');
  }
}

function interfaceArgs(scope: Construct, name: string | undefined, regex: string | undefined): string[] {
  const args: string[] = [];
  if (name !== undefined) {
    check(typeof name === 'string' && name.length >= 1 && name.length <= MAX_INTERFACE_NAME
      && /^[^\s/:]+$/.test(name) && name !== '.' && name !== '..', scope, 'interfaceName', name,
    `a Linux interface name: 1 to ${MAX_INTERFACE_NAME} characters, without whitespace, '/' or ':'`);
    // flannel accepts an address too, but each node has its own: one DaemonSet-wide address fits one node only.
    check(parseIpv4(name) === undefined, scope, 'interfaceName', name,
      'an interface name, not an address (each node has its own); use interfaceRegex to select by address');
    args.push(`--iface=${name}`);
  }
  if (regex !== undefined) {
    check(typeof regex === 'string' && regex.length > 0 && compiles(regex), scope, 'interfaceRegex', regex,
      'a non-empty regular expression');
    // Go's RE2 has neither lookaround nor backreferences; flannel would fail at start-up.
    check(!/\(\?<?[=!]/.test(regex) && !/\\[1-9]/.test(regex), scope, 'interfaceRegex', regex,
      'Go RE2 syntax, which has no lookaround ((?=, (?!, (?<=, (?<!) and no backreferences (\\1)');
    args.push(`--iface-regex=${regex}`);
  }
  return args;
}

function compiles(regex: string): boolean {
  try {
    new RegExp(regex);
    return true;
  } catch {
    return false;
  }
}

/** The metadata of one of flannel's objects: its name, the namespace when namespaced, the common labels plus `extra`. */
type FlannelMetadata = (name: string, namespaced: boolean, extra?: { [key: string]: string }) => k8s.ObjectMeta;
