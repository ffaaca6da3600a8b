import { Construct } from 'constructs';
import { AppSlot } from '../core/app-context';
import { brand, isBranded } from '../core/brand';
import { contains, formatIpv4, Ipv4Cidr, overlaps, parseCidr, parseIpv4, size, SPECIAL_PURPOSE } from '../core/cidr';
import { check } from '../core/errors';
import { guardLateChange } from '../core/late-change';
import { DnsNames } from '../core/names';
import { enumValue } from '../core/validate';

const SPECIAL_RANGES = SPECIAL_PURPOSE.map((r) => r.text).join(', ');

/** The role of a node in a kubeadm cluster. */
export enum NodeRole {
  /** Runs the API server, etcd, scheduler and controller manager. */
  CONTROL_PLANE = 'control-plane',
  /** Runs workloads only. */
  WORKER = 'worker',
}

/** A machine of the cluster. */
export interface ClusterNode {
  /** Host name, also the Kubernetes node name (a DNS-1123 label). */
  readonly name: string;
  /** The IPv4 address other nodes reach it on. */
  readonly ip: string;
  /** Its role. */
  readonly role: NodeRole;
}

/**
 * Properties of {@link ClusterNetwork}.
 */
export interface ClusterNetworkProps {
  /**
   * The pod network: kubeadm's `podSubnet` and flannel's `Network`.
   * @default '10.244.0.0/16'
   */
  readonly podCidr?: string;

  /**
   * The Service network: kubeadm's `serviceSubnet`.
   * @default '10.96.0.0/12'
   */
  readonly serviceCidr?: string;

  /**
   * The cluster DNS domain.
   * @default 'cluster.local'
   */
  readonly dnsDomain?: string;

  /**
   * Prefix length of the pod subnet each node gets out of the pod network
   * (kube-controller-manager's `--node-cidr-mask-size`, flannel's `SubnetLen`).
   * @default 24
   */
  readonly nodeSubnetLength?: number;

  /**
   * The machines of the cluster (copied; add more with `addNode`).
   * @default - none declared (scripts then cannot write /etc/hosts entries)
   */
  readonly nodes?: ClusterNode[];
}

/**
 * The cluster's addressing, in one place.
 *
 * Both the kubeadm configuration and the flannel configuration are rendered
 * from this object, so flannel's `Network` can never differ from kubeadm's
 * `podSubnet`. IPv4 single-stack. Its users read the nodes when the app
 * synthesizes, so a node added with `addNode` after them reaches them too.
 *
 * @example
 * const net = new ClusterNetwork(cluster, 'Network', {
 *   podCidr: '10.244.0.0/16',
 *   serviceCidr: '10.96.0.0/12',
 *   nodes: [{ name: 'cp1', ip: '192.168.1.10', role: NodeRole.CONTROL_PLANE }],
 * });
 * net.addNode({ name: 'worker1', ip: '192.168.1.11', role: NodeRole.WORKER });
 */
export class ClusterNetwork extends Construct {
  /** True when `x` is a ClusterNetwork (of any copy of this library). */
  public static isClusterNetwork(x: any): x is ClusterNetwork {
    return isBranded(x, 'ClusterNetwork');
  }

  /** The pod network CIDR. */
  public readonly podCidr: string;
  /** The Service network CIDR. */
  public readonly serviceCidr: string;
  /** The cluster DNS domain. */
  public readonly dnsDomain: string;
  /** Prefix length of each node's pod subnet. */
  public readonly nodeSubnetLength: number;
  /**
   * The declared nodes, in declaration order. Add nodes with `addNode`; a node
   * pushed here directly is checked when the app synthesizes.
   */
  public readonly nodes: ClusterNode[];

  private readonly pod: Ipv4Cidr;
  private readonly service: Ipv4Cidr;

  constructor(scope: Construct, id: string, props: ClusterNetworkProps = {}) {
    super(scope, id);
    brand(this, 'ClusterNetwork');
    const cidrRule = 'an IPv4 network in CIDR notation with no host bits set, e.g. "10.244.0.0/16"';

    this.podCidr = props.podCidr ?? '10.244.0.0/16';
    const pod = parseCidr(this.podCidr);
    check(pod !== undefined, this, 'podCidr', this.podCidr, cidrRule);
    check(pod!.prefix >= 8 && pod!.prefix <= 28, this, 'podCidr', this.podCidr, 'a prefix length from /8 to /28');
    check(!SPECIAL_PURPOSE.some((r) => overlaps(r, pod!)), this, 'podCidr', this.podCidr,
      `a network outside the special-purpose ranges ${SPECIAL_RANGES}`);

    this.serviceCidr = props.serviceCidr ?? '10.96.0.0/12';
    const service = parseCidr(this.serviceCidr);
    check(service !== undefined, this, 'serviceCidr', this.serviceCidr, cidrRule);
    // The API server refuses Service networks with more than 2^20 addresses.
    check(service!.prefix >= 12 && service!.prefix <= 28, this, 'serviceCidr', this.serviceCidr,
      'a prefix length from /12 to /28 (kube-apiserver allows at most 2^20 Service addresses)');
    check(!SPECIAL_PURPOSE.some((r) => overlaps(r, service!)), this, 'serviceCidr', this.serviceCidr,
      `a network outside the special-purpose ranges ${SPECIAL_RANGES}`);
    check(!overlaps(pod!, service!), this, 'serviceCidr', this.serviceCidr,
      `a network that does not overlap podCidr ${this.podCidr}`);
    this.service = service!;

    this.dnsDomain = props.dnsDomain ?? 'cluster.local';
    DnsNames.validateSubdomain(this, 'dnsDomain', this.dnsDomain);

    this.nodeSubnetLength = props.nodeSubnetLength ?? 24;
    check(Number.isInteger(this.nodeSubnetLength) && this.nodeSubnetLength > pod!.prefix && this.nodeSubnetLength <= 30,
      this, 'nodeSubnetLength', this.nodeSubnetLength,
      `an integer greater than the pod network's prefix length (${pod!.prefix}) and at most 30`);

    this.pod = pod!;
    this.nodes = [...(props.nodes ?? [])];
    this.checkNodes();
    // The array is copied (a node changed in place is seen): a node pushed into
    // or replaced in the caller's array would be missed.
    const given = props.nodes;
    guardLateChange(this, 'nodes', () => given?.map((n) => this.nodes.includes(n)), 'call addNode() on the ClusterNetwork instead');
    NETWORKS.of(this).push(this);
    this.node.addValidation({ validate: () => this.disagreements() });
    // Nodes pushed into `nodes` directly skipped addNode's checks: check them all at synth.
    this.node.addValidation({
      validate: () => {
        try {
          this.checkNodes();
          return [];
        } catch (e) {
          return [(e as Error).message];
        }
      },
    });
  }

  /**
   * The addressing this network and the app's first ClusterNetwork disagree
   * on: kubeadm, flannel and the tenants' policies each read the network they
   * were given, so two that differ would configure one cluster two ways.
   */
  private disagreements(): string[] {
    const first = NETWORKS.of(this)[0];
    if (first === this) {
      return [];
    }
    const fields = ['podCidr', 'serviceCidr', 'dnsDomain', 'nodeSubnetLength'] as const;
    return fields.filter((f) => this[f] !== first[f]).map((f) =>
      `${this.node.path}: invalid ${f} ${JSON.stringify(this[f])}: the value of the app's other ClusterNetwork ${first.node.path} `
      + `(${JSON.stringify(first[f])}): one cluster has one network; share one ClusterNetwork object between kubeadm, flannel `
      + 'and the tenants (a second cluster belongs in an app of its own)');
  }

  /**
   * Adds a machine to the cluster. Every user of this network (node scripts,
   * kubeadm configuration) sees it, whenever they were created.
   */
  public addNode(node: ClusterNode): void {
    this.nodes.push(node);
    try {
      // A worker may come before its control plane: that one is checked at synth.
      this.checkNodes(false);
    } catch (e) {
      this.nodes.pop();
      throw e;
    }
  }

  private checkNodes(requireControlPlane = true): void {
    const pod = this.pod;
    const service = this.service;
    const maxNodes = this.maxNodes;
    check(this.nodes.length <= maxNodes, this, 'nodes', `${this.nodes.length} nodes`,
      `at most ${maxNodes} nodes: podCidr ${this.podCidr} holds ${maxNodes} subnets of /${this.nodeSubnetLength}; `
      + 'use a larger pod network or a longer nodeSubnetLength');

    const names = new Set<string>();
    const ips = new Set<number>();
    this.nodes.forEach((node, i) => {
      DnsNames.validateLabel(this, `nodes[${i}].name`, node.name);
      check(!names.has(node.name), this, `nodes[${i}].name`, node.name, 'a node name not used by another node');
      names.add(node.name);
      const ip = parseIpv4(node.ip);
      check(ip !== undefined, this, `nodes[${i}].ip`, node.ip, 'an IPv4 address, e.g. "192.168.1.10"');
      check(!SPECIAL_PURPOSE.some((r) => contains(r, ip!)), this, `nodes[${i}].ip`, node.ip,
        `an address outside the special-purpose ranges ${SPECIAL_RANGES}`);
      check(!ips.has(ip!), this, `nodes[${i}].ip`, node.ip, 'an address not used by another node');
      ips.add(ip!);
      check(!contains(pod, ip!) && !contains(service, ip!), this, `nodes[${i}].ip`, node.ip,
        `a node address outside podCidr ${this.podCidr} and serviceCidr ${this.serviceCidr}`);
      enumValue(this, `nodes[${i}].role`, node.role, NodeRole);
    });
    if (requireControlPlane && this.nodes.length > 0) {
      check(this.controlPlaneNodes.length > 0, this, 'nodes', this.nodes.map((n) => n.name).join(','),
        'at least one node with role NodeRole.CONTROL_PLANE');
    }
  }

  /** How many node subnets the pod network holds. */
  public get maxNodes(): number {
    return size(parseCidr(this.podCidr)!.prefix) / size(this.nodeSubnetLength);
  }

  /** The control-plane nodes. */
  public get controlPlaneNodes(): ClusterNode[] {
    return this.nodes.filter((n) => n.role === NodeRole.CONTROL_PLANE);
  }

  /** The worker nodes. */
  public get workerNodes(): ClusterNode[] {
    return this.nodes.filter((n) => n.role === NodeRole.WORKER);
  }

  /** The `kubernetes` Service's address: the first address of the Service network. */
  public get apiServerServiceIp(): string {
    return formatIpv4(this.service.network + 1);
  }

  /** The cluster DNS Service's address, the tenth of the Service network, as kubeadm assigns it. */
  public get dnsServiceIp(): string {
    return formatIpv4(this.service.network + 10);
  }
}

/** The app's ClusterNetworks, in construction order. */
const NETWORKS = new AppSlot('cluster-networks', () => [] as ClusterNetwork[]);
