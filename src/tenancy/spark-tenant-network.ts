import { k8s, Protocol } from 'cdk8s-plus-28';
import { ClusterNetwork } from '../cluster/cluster-network';
import { brand, isBranded } from '../core/brand';
import { contains, parseCidr } from '../core/cidr';
import { check } from '../core/errors';
import { EventLogStore } from '../core/event-log-store';
import { DnsNames } from '../core/names';
import { SPARK_ROLE_LABEL, validateLabels } from '../core/tenant-labels';
import { port as checkPort } from '../core/validate';
import { RemoteShuffleService } from '../shuffle/remote-shuffle-service';

/** Port of the Spark web UI on the driver. */
const SPARK_UI_PORT = 4040;
/** The gRPC port of a Spark Connect server (kubeflow/spark-operator v2.5.2 sparkconnect/reconciler.go). */
const SPARK_CONNECT_PORT = 15002;
/** Port of the Hive metastore's Thrift service. */
const METASTORE_PORT = 9083;
// Longest name of an extra rule: policy names are `allow-egress-<name>` / `allow-ingress-<name>`.
const RULE_NAME_MAX = 40;
const PROTOCOLS = [Protocol.TCP, Protocol.UDP, Protocol.SCTP] as string[];
const CIDR_RULE = 'an IPv4 network in CIDR notation with no host bits set, e.g. "10.0.0.0/8"';

/**
 * The other end of a tenant's network traffic: pods selected by namespace
 * (and labels), or addresses. Used for the tenant's NetworkPolicies.
 *
 * NetworkPolicies select pods and IP blocks only, never DNS names: an
 * endpoint outside the cluster (an S3 service, a database) is reached through
 * its addresses.
 */
export class NetworkPeer {
  /** True when `x` is a NetworkPeer (from any copy of this library). */
  public static isNetworkPeer(x: any): x is NetworkPeer {
    return isBranded(x, 'NetworkPeer');
  }

  /**
   * Addresses in `cidr`, except those in the `excluding` blocks.
   *
   * @param cidr IPv4 network, e.g. '10.20.0.0/16' or '203.0.113.7/32'
   * @param excluding sub-networks of `cidr` to leave out
   */
  public static cidr(cidr: string, excluding: string[] = []): NetworkPeer {
    const where = 'NetworkPeer.cidr';
    const block = parseCidr(cidr);
    check(block !== undefined, where, 'cidr', cidr, CIDR_RULE);
    for (const inner of excluding) {
      const sub = parseCidr(inner);
      check(sub !== undefined, where, 'excluding', inner, CIDR_RULE);
      check(sub!.prefix > block!.prefix && contains(block!, sub!.network), where, 'excluding', inner,
        `a network strictly inside ${cidr}`);
    }
    return new NetworkPeer(`cidr ${cidr}`, { ipBlock: { cidr, ...(excluding.length > 0 ? { except: [...excluding] } : {}) } });
  }

  /**
   * Pods of another namespace: all of them, or those carrying `podLabels`.
   * The namespace is selected by its `kubernetes.io/metadata.name` label,
   * which Kubernetes sets on every namespace.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public static namespace(namespace: string, podLabels?: { [key: string]: string }): NetworkPeer {
    const where = 'NetworkPeer.namespace';
    check(typeof namespace === 'string' && DnsNames.isLabel(namespace), where, 'namespace', namespace,
      'a namespace name (a DNS-1123 label)');
    validateLabels(where, 'podLabels', podLabels);
    return new NetworkPeer(`namespace ${namespace}`, {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
      ...(podLabels && Object.keys(podLabels).length > 0 ? { podSelector: { matchLabels: { ...podLabels } } } : {}),
    });
  }

  /** What the peer is, for messages. */
  public readonly description: string;
  private readonly peer: k8s.NetworkPolicyPeer;

  private constructor(description: string, peer: k8s.NetworkPolicyPeer) {
    brand(this, 'NetworkPeer');
    this.description = description;
    this.peer = peer;
  }

  /** @internal The NetworkPolicy peer. */
  public _toPeer(): k8s.NetworkPolicyPeer {
    return this.peer;
  }
}

/**
 * Traffic a tenant's pods may send beyond what every tenant gets (DNS, the
 * API server, Spark pods among themselves): to an event-log store, a
 * metastore, a database... Each becomes a NetworkPolicy `allow-egress-<name>`
 * that applies to every pod of the tenant.
 */
export class TenantEgress {
  /** True when `x` is a TenantEgress (from any copy of this library). */
  public static isTenantEgress(x: any): x is TenantEgress {
    return isBranded(x, 'TenantEgress');
  }

  /**
   * Traffic to `peer` on `ports`.
   *
   * @param name names the NetworkPolicy (`allow-egress-<name>`): a DNS-1123 label of at most 40 characters
   * @param peer where the traffic goes
   * @param ports destination ports (1-65535)
   * @param protocol the ports' protocol
   */
  public static toPeer(name: string, peer: NetworkPeer, ports: number[], protocol: Protocol = Protocol.TCP): TenantEgress {
    return new TenantEgress('TenantEgress.toPeer', name, peer, ports, protocol);
  }

  /** TCP traffic to the addresses in `cidr` on `ports`. */
  public static toCidr(name: string, cidr: string, ports: number[]): TenantEgress {
    return new TenantEgress('TenantEgress.toCidr', name, NetworkPeer.cidr(cidr), ports, Protocol.TCP);
  }

  /**
   * TCP traffic to the pods of another namespace (or those carrying `podLabels`) on `ports`.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  public static toNamespace(name: string, namespace: string, ports: number[], podLabels?: { [key: string]: string }): TenantEgress {
    return new TenantEgress('TenantEgress.toNamespace', name, NetworkPeer.namespace(namespace, podLabels), ports, Protocol.TCP);
  }

  /**
   * Traffic to a Hive metastore's Thrift port (NetworkPolicy `allow-egress-metastore`).
   * @param port the metastore port
   */
  public static toMetastore(peer: NetworkPeer, port: number = METASTORE_PORT): TenantEgress {
    return new TenantEgress('TenantEgress.toMetastore', 'metastore', peer, [port], Protocol.TCP);
  }

  /**
   * Traffic to an event-log store reached over the network, on its
   * `endpointPort` (the S3, GCS or ABFS endpoint, 443 for the clouds' own, or the HDFS namenode), NetworkPolicy
   * `allow-egress-event-log-store`. NetworkPolicies cannot name hosts, so
   * `peer` says where the store is (its addresses, or its namespace when it
   * runs in the cluster). HDFS clients also connect to the datanodes: pass
   * their ports (e.g. 9866) in `additionalPorts`.
   */
  public static toEventLogStore(store: EventLogStore, peer: NetworkPeer, additionalPorts: number[] = []): TenantEgress {
    const where = 'TenantEgress.toEventLogStore';
    check(EventLogStore.isEventLogStore(store) && store.endpointPort !== undefined, where, 'store', store?.logDirectory,
      'an event-log store reached over the network (S3, GCS, ABFS or HDFS); volume and local stores need no egress');
    return new TenantEgress(where, 'event-log-store', peer, [store.endpointPort!, ...additionalPorts], Protocol.TCP);
  }

  /**
   * Traffic to a remote shuffle service (the jobs' `shuffle`): its masters'
   * RPC ports and its workers' `workerPorts` (NetworkPolicy
   * `allow-egress-shuffle`). `peer` says where it runs (its namespace, or
   * its addresses).
   */
  public static toShuffleService(service: RemoteShuffleService, peer: NetworkPeer): TenantEgress {
    const where = 'TenantEgress.toShuffleService';
    check(RemoteShuffleService.isRemoteShuffleService(service), where, 'service', service, 'a RemoteShuffleService');
    check(service.workerPorts.length > 0, where, 'service.workerPorts', service.workerPorts,
      'the ports the workers listen on (Celeborn picks random ones unless celeborn.worker.rpc.port, '
      + '.push.port and .fetch.port are set): give workerPorts to RemoteShuffleService.fromEndpoints');
    const ports = [...new Set([...service.masterEndpoints.map((e) => e.port), ...service.workerPorts])];
    return new TenantEgress(where, 'shuffle', peer, ports, Protocol.TCP);
  }

  /** Names the NetworkPolicy (`allow-egress-<name>`). */
  public readonly name: string;
  /** Where the traffic goes. */
  public readonly peer: NetworkPeer;
  /** Destination ports. */
  public readonly ports: number[];
  /** Protocol of the ports. */
  public readonly protocol: Protocol;

  private constructor(where: string, name: string, peer: NetworkPeer, ports: number[], protocol: Protocol) {
    brand(this, 'TenantEgress');
    this.name = ruleName(where, name);
    check(NetworkPeer.isNetworkPeer(peer), where, 'peer', peer, 'a NetworkPeer (NetworkPeer.cidr or NetworkPeer.namespace)');
    this.peer = peer;
    this.ports = validatePorts(where, ports);
    check(PROTOCOLS.includes(protocol), where, 'protocol', protocol, `one of ${PROTOCOLS.join(', ')}`);
    this.protocol = protocol;
  }

  /** @internal The egress rule. */
  public _toRule(): k8s.NetworkPolicyEgressRule {
    return { to: [this.peer._toPeer()], ports: renderPorts(this.ports, this.protocol) };
  }
}

/**
 * Traffic a tenant's pods may receive from outside the tenant: the Spark UI
 * from an ingress controller, metrics scrapes... Each becomes a
 * NetworkPolicy `allow-ingress-<name>`.
 */
export class TenantIngress {
  /** True when `x` is a TenantIngress (from any copy of this library). */
  public static isTenantIngress(x: any): x is TenantIngress {
    return isBranded(x, 'TenantIngress');
  }

  /**
   * TCP traffic from `peer` to `ports` of the tenant's pods (all of them, or
   * those carrying `podLabels`).
   *
   * @param name names the NetworkPolicy (`allow-ingress-<name>`): a DNS-1123 label of at most 40 characters
   */
  public static fromPeer(name: string, peer: NetworkPeer, ports: number[], podLabels?: { [key: string]: string }): TenantIngress {
    const where = 'TenantIngress.fromPeer';
    validateLabels(where, 'podLabels', podLabels);
    return new TenantIngress(where, name, peer, ports, podLabels ? { ...podLabels } : {});
  }

  /**
   * The Spark web UI of the drivers (port 4040 of the pods labelled
   * `spark-role=driver`) from `peer`, e.g. the ingress controller's
   * namespace (NetworkPolicy `allow-ingress-spark-ui`).
   */
  public static sparkUi(peer: NetworkPeer): TenantIngress {
    return new TenantIngress('TenantIngress.sparkUi', 'spark-ui', peer, [SPARK_UI_PORT], { [SPARK_ROLE_LABEL]: 'driver' });
  }

  /**
   * Spark Connect clients (notebooks, jobs) from `peer` to the gRPC port
   * 15002 of the tenant's Spark Connect servers (the pods the operator labels
   * `spark-role=connect-server`), NetworkPolicy `allow-ingress-spark-connect`.
   * The clients' own namespace must let them out to it.
   */
  public static sparkConnect(peer: NetworkPeer): TenantIngress {
    return new TenantIngress('TenantIngress.sparkConnect', 'spark-connect', peer, [SPARK_CONNECT_PORT],
      { [SPARK_ROLE_LABEL]: 'connect-server' });
  }

  /** Names the NetworkPolicy (`allow-ingress-<name>`). */
  public readonly name: string;
  /** Where the traffic comes from. */
  public readonly peer: NetworkPeer;
  /** Destination ports on the tenant's pods. */
  public readonly ports: number[];
  private readonly podLabels: { [key: string]: string };

  private constructor(where: string, name: string, peer: NetworkPeer, ports: number[], podLabels: { [key: string]: string }) {
    brand(this, 'TenantIngress');
    this.name = ruleName(where, name);
    check(NetworkPeer.isNetworkPeer(peer), where, 'peer', peer, 'a NetworkPeer (NetworkPeer.cidr or NetworkPeer.namespace)');
    this.peer = peer;
    this.ports = validatePorts(where, ports);
    this.podLabels = podLabels;
  }

  /** @internal The pods the rule admits traffic to. */
  public _podSelector(): k8s.LabelSelector {
    return Object.keys(this.podLabels).length > 0 ? { matchLabels: { ...this.podLabels } } : {};
  }

  /** @internal The ingress rule. */
  public _toRule(): k8s.NetworkPolicyIngressRule {
    return { from: [this.peer._toPeer()], ports: renderPorts(this.ports, Protocol.TCP) };
  }
}

/** Options of {@link TenantApiServerAccess.fromClusterNetwork}. */
export interface ClusterNetworkApiServerOptions {
  /**
   * Port the API server listens on, on the control-plane nodes.
   * @default 6443
   */
  readonly port?: number;
}

/**
 * Where the Kubernetes API server is, for the NetworkPolicy that lets a
 * tenant's pods reach it (Spark drivers create their executors through it).
 *
 * A NetworkPolicy cannot name the API server: it is not a pod, and most
 * network plugins check the policy after the `kubernetes` Service address
 * has been translated to an API server endpoint (a control-plane node
 * address and port 6443 with kubeadm). The policy therefore lists
 * addresses and ports; only the addresses of the control plane keep it tight.
 */
export class TenantApiServerAccess {
  /** True when `x` is a TenantApiServerAccess (from any copy of this library). */
  public static isTenantApiServerAccess(x: any): x is TenantApiServerAccess {
    return isBranded(x, 'TenantApiServerAccess');
  }

  /**
   * Any address on ports 443 and 6443 (the default when nothing better is
   * known). Loose: it also lets the tenant's pods reach any HTTPS endpoint.
   */
  public static anywhere(ports: number[] = [443, 6443]): TenantApiServerAccess {
    const where = 'TenantApiServerAccess.anywhere';
    return new TenantApiServerAccess('any address', [{ cidrs: ['0.0.0.0/0'], ports: validatePorts(where, ports) }]);
  }

  /**
   * The control-plane nodes of `network` on the API server port, and the
   * `kubernetes` Service address on 443 (for plugins that check policies
   * before address translation). The network must declare its nodes.
   */
  public static fromClusterNetwork(network: ClusterNetwork, options: ClusterNetworkApiServerOptions = {}): TenantApiServerAccess {
    const where = 'TenantApiServerAccess.fromClusterNetwork';
    const nodes = network.controlPlaneNodes;
    check(nodes.length > 0, where, 'network', network.node.path,
      'a ClusterNetwork that declares its control-plane nodes (or use TenantApiServerAccess.toCidrs)');
    const port = validatePorts(where, [options.port ?? 6443]);
    return new TenantApiServerAccess(`control plane of ${network.node.path}`, [
      { cidrs: nodes.map((n) => `${n.ip}/32`), ports: port },
      { cidrs: [`${network.apiServerServiceIp}/32`], ports: [443] },
    ]);
  }

  /**
   * The addresses in `cidrs` on `ports`, e.g. the control-plane nodes or a
   * load balancer in front of them.
   */
  public static toCidrs(cidrs: string[], ports: number[] = [443, 6443]): TenantApiServerAccess {
    const where = 'TenantApiServerAccess.toCidrs';
    check(Array.isArray(cidrs) && cidrs.length > 0, where, 'cidrs', cidrs, 'at least one IPv4 network');
    for (const cidr of cidrs) {
      check(parseCidr(cidr) !== undefined, where, 'cidrs', cidr, CIDR_RULE);
    }
    return new TenantApiServerAccess(cidrs.join(', '), [{ cidrs: [...cidrs], ports: validatePorts(where, ports) }]);
  }

  /** What the access covers, for messages. */
  public readonly description: string;
  private readonly targets: Array<{ cidrs: string[]; ports: number[] }>;

  private constructor(description: string, targets: Array<{ cidrs: string[]; ports: number[] }>) {
    brand(this, 'TenantApiServerAccess');
    this.description = description;
    this.targets = targets;
  }

  /** @internal The egress rules. */
  public _toRules(): k8s.NetworkPolicyEgressRule[] {
    return this.targets.map((t) => ({
      to: t.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
      ports: renderPorts(t.ports, Protocol.TCP),
    }));
  }
}

function ruleName(where: string, name: string): string {
  check(typeof name === 'string' && name.length <= RULE_NAME_MAX && DnsNames.isLabel(name), where, 'name', name,
    `a DNS-1123 label of at most ${RULE_NAME_MAX} characters (it names the NetworkPolicy)`);
  return name;
}

function validatePorts(where: string, ports: number[]): number[] {
  check(Array.isArray(ports) && ports.length > 0, where, 'ports', ports, 'at least one port');
  for (const port of ports) {
    checkPort(where, 'ports', port);
  }
  check(new Set(ports).size === ports.length, where, 'ports', ports, 'distinct ports');
  // Frozen: a rule is rendered when a tenant takes it, so a later push must not pass unnoticed.
  return Object.freeze([...ports]) as number[];
}

function renderPorts(ports: number[], protocol: string): k8s.NetworkPolicyPort[] {
  return ports.map((port) => ({ protocol, port: k8s.IntOrString.fromNumber(port) }));
}
