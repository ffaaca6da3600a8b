import { Chart, Testing } from 'cdk8s';
import { ClusterNetwork, ClusterNetworkProps, ClusterNode, NodeRole } from '../../src';
import { synthValid } from '../harness/manifests';

const cp = (name: string, ip: string): ClusterNode => ({ name, ip, role: NodeRole.CONTROL_PLANE });
const worker = (name: string, ip: string): ClusterNode => ({ name, ip, role: NodeRole.WORKER });
const NODES = [cp('cp-1', '192.168.56.10'), worker('worker-1', '192.168.56.11'), worker('worker-2', '192.168.56.12')];

function network(props: ClusterNetworkProps = {}): ClusterNetwork {
  return new ClusterNetwork(Testing.chart(), 'Net', props);
}

function publicValues(n: ClusterNetwork) {
  return {
    podCidr: n.podCidr,
    serviceCidr: n.serviceCidr,
    dnsDomain: n.dnsDomain,
    nodeSubnetLength: n.nodeSubnetLength,
    nodes: n.nodes,
    controlPlaneNodes: n.controlPlaneNodes,
    workerNodes: n.workerNodes,
    maxNodes: n.maxNodes,
    apiServerServiceIp: n.apiServerServiceIp,
    dnsServiceIp: n.dnsServiceIp,
  };
}

describe('ClusterNetwork', () => {
  test('defaults', () => {
    const chart = Testing.chart();
    const n = new ClusterNetwork(chart, 'Net');
    expect(publicValues(n)).toMatchSnapshot();
    // Pure configuration: it emits no manifests of its own.
    expect(synthValid(chart)).toEqual([]);
  });

  test('kubeadm defaults and derived addresses', () => {
    const n = network();
    expect(n.podCidr).toBe('10.244.0.0/16');
    expect(n.serviceCidr).toBe('10.96.0.0/12');
    expect(n.dnsDomain).toBe('cluster.local');
    expect(n.nodeSubnetLength).toBe(24);
    expect(n.maxNodes).toBe(256);
    expect(n.apiServerServiceIp).toBe('10.96.0.1');
    expect(n.dnsServiceIp).toBe('10.96.0.10');
    expect(n.nodes).toEqual([]);
  });

  test('custom networks', () => {
    const n = network({ podCidr: '172.16.0.0/20', serviceCidr: '172.20.128.0/24', nodeSubnetLength: 26, dnsDomain: 'spark.internal' });
    expect(n.maxNodes).toBe(64);
    expect(n.apiServerServiceIp).toBe('172.20.128.1');
    expect(n.dnsServiceIp).toBe('172.20.128.10');
    expect(n.dnsDomain).toBe('spark.internal');
  });

  test('control-plane / worker split keeps declaration order', () => {
    const nodes = [worker('w-b', '10.0.0.3'), cp('cp-a', '10.0.0.1'), worker('w-a', '10.0.0.2'), cp('cp-b', '10.0.0.4')];
    const n = network({ nodes });
    expect(n.nodes.map((x) => x.name)).toEqual(['w-b', 'cp-a', 'w-a', 'cp-b']);
    expect(n.controlPlaneNodes.map((x) => x.name)).toEqual(['cp-a', 'cp-b']);
    expect(n.workerNodes.map((x) => x.name)).toEqual(['w-b', 'w-a']);
  });

  test('the node list is copied', () => {
    const nodes = [...NODES];
    const n = network({ nodes });
    nodes.push(worker('late', '192.168.56.99'));
    expect(n.nodes).toHaveLength(3);
  });

  test('exactly as many nodes as the pod network holds', () => {
    const nodes = [cp('n0', '192.168.0.10'), ...[1, 2, 3].map((i) => worker(`n${i}`, `192.168.0.${10 + i}`))];
    expect(network({ podCidr: '10.244.0.0/22', nodes }).maxNodes).toBe(4);
  });

  const CIDR_RULE = 'an IPv4 network in CIDR notation with no host bits set';
  test.each<[string, ClusterNetworkProps, string]>([
    ['bad syntax', { podCidr: 'banana' }, `invalid podCidr "banana": ${CIDR_RULE}`],
    ['missing prefix', { podCidr: '10.244.0.0' }, `invalid podCidr "10.244.0.0": ${CIDR_RULE}`],
    ['octet out of range', { podCidr: '10.256.0.0/16' }, `invalid podCidr "10.256.0.0/16": ${CIDR_RULE}`],
    ['host bits set', { podCidr: '10.244.0.1/16' }, `invalid podCidr "10.244.0.1/16": ${CIDR_RULE}`],
    ['prefix over 32', { podCidr: '10.244.0.0/33' }, `invalid podCidr "10.244.0.0/33": ${CIDR_RULE}`],
    ['prefix with a leading zero', { podCidr: '10.0.0.0/08' }, `invalid podCidr "10.0.0.0/08": ${CIDR_RULE}`],
    ['pod prefix too short', { podCidr: '10.0.0.0/7' }, 'invalid podCidr "10.0.0.0/7": a prefix length from /8 to /28'],
    ['pod prefix too long', { podCidr: '10.244.0.0/29' }, 'invalid podCidr "10.244.0.0/29": a prefix length from /8 to /28'],
    ['bad service syntax', { serviceCidr: '10.96.0.0/x' }, `invalid serviceCidr "10.96.0.0/x": ${CIDR_RULE}`],
    ['service host bits set', { serviceCidr: '10.96.0.1/12' }, `invalid serviceCidr "10.96.0.1/12": ${CIDR_RULE}`],
    ['service network too large', { serviceCidr: '10.96.0.0/11' },
      'invalid serviceCidr "10.96.0.0/11": a prefix length from /12 to /28 (kube-apiserver allows at most 2^20 Service addresses)'],
    ['loopback pod network', { podCidr: '127.0.0.0/16' },
      'invalid podCidr "127.0.0.0/16": a network outside the special-purpose ranges 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16, 224.0.0.0/3'],
    ['multicast service network', { serviceCidr: '224.0.0.0/16' },
      'invalid serviceCidr "224.0.0.0/16": a network outside the special-purpose ranges'],
  ])('rejects an invalid CIDR: %s', (_, props, message) => {
    expect(() => network(props)).toThrow(`test/Net: ${message}`);
  });

  test.each<[ClusterNetworkProps, string]>([
    [{ podCidr: '10.0.0.0/8' }, 'invalid serviceCidr "10.96.0.0/12": a network that does not overlap podCidr 10.0.0.0/8'],
    [{ podCidr: '10.96.0.0/16' }, 'invalid serviceCidr "10.96.0.0/12": a network that does not overlap podCidr 10.96.0.0/16'],
    [{ serviceCidr: '10.244.128.0/24' }, 'invalid serviceCidr "10.244.128.0/24": a network that does not overlap podCidr 10.244.0.0/16'],
  ])('rejects overlapping pod and service networks %j', (props, message) => {
    expect(() => network(props)).toThrow(`test/Net: ${message}`);
  });

  test.each<[ClusterNetworkProps, string]>([
    [{ nodeSubnetLength: 16 }, 'invalid nodeSubnetLength 16: an integer greater than the pod network\'s prefix length (16) and at most 30'],
    [{ nodeSubnetLength: 31 }, 'invalid nodeSubnetLength 31: an integer greater than the pod network\'s prefix length (16) and at most 30'],
    [{ nodeSubnetLength: 24.5 }, 'invalid nodeSubnetLength 24.5: an integer'],
  ])('rejects the node subnet length %j', (props, message) => {
    expect(() => network(props)).toThrow(`test/Net: ${message}`);
  });

  test('rejects a pod network too small for the declared nodes', () => {
    const nodes = [cp('n0', '192.168.0.10'), ...[1, 2, 3, 4].map((i) => worker(`n${i}`, `192.168.0.${10 + i}`))];
    expect(() => network({ podCidr: '10.244.0.0/22', nodeSubnetLength: 24, nodes })).toThrow(
      'test/Net: invalid nodes "5 nodes": at most 4 nodes: podCidr 10.244.0.0/22 holds 4 subnets of /24; '
      + 'use a larger pod network or a longer nodeSubnetLength');
  });

  test.each<[string, ClusterNode[], string]>([
    ['duplicate names', [cp('node-1', '10.0.0.1'), worker('node-1', '10.0.0.2')],
      'invalid nodes[1].name "node-1": a node name not used by another node'],
    ['duplicate IPs', [cp('node-1', '10.0.0.1'), worker('node-2', '10.0.0.1')],
      'invalid nodes[1].ip "10.0.0.1": an address not used by another node'],
    ['an IP in the pod network', [cp('node-1', '10.244.3.4')],
      'invalid nodes[0].ip "10.244.3.4": a node address outside podCidr 10.244.0.0/16 and serviceCidr 10.96.0.0/12'],
    ['an IP in the service network', [cp('node-1', '10.100.0.1')],
      'invalid nodes[0].ip "10.100.0.1": a node address outside podCidr 10.244.0.0/16 and serviceCidr 10.96.0.0/12'],
    ['a malformed IP', [cp('node-1', '192.168.1.256')],
      'invalid nodes[0].ip "192.168.1.256": an IPv4 address, e.g. "192.168.1.10"'],
    ['a loopback IP', [cp('node-1', '127.0.0.1')],
      'invalid nodes[0].ip "127.0.0.1": an address outside the special-purpose ranges 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16, 224.0.0.0/3'],
    ['the broadcast address', [cp('node-1', '255.255.255.255')],
      'invalid nodes[0].ip "255.255.255.255": an address outside the special-purpose ranges'],
    ['no control-plane node', [worker('w-1', '10.0.0.1'), worker('w-2', '10.0.0.2')],
      'invalid nodes "w-1,w-2": at least one node with role NodeRole.CONTROL_PLANE'],
    ['an upper-case name', [cp('Node-1', '10.0.0.1')], 'invalid nodes[0].name "Node-1": a DNS-1123 label'],
    ['a name with an underscore', [cp('node_1', '10.0.0.1')], 'invalid nodes[0].name "node_1": a DNS-1123 label'],
    ['an empty name', [cp('', '10.0.0.1')], 'invalid nodes[0].name ""'],
    ['an unknown role', [{ name: 'node-1', ip: '10.0.0.1', role: 'master' as NodeRole }],
      'invalid nodes[0].role "master": one of control-plane, worker'],
  ])('rejects nodes: %s', (_, nodes, message) => {
    expect(() => network({ nodes })).toThrow(`test/Net: ${message}`);
  });

  test.each([
    ['Cluster.Local', 'test/Net: invalid dnsDomain "Cluster.Local": a DNS-1123 subdomain'],
    ['cluster..local', 'test/Net: invalid dnsDomain "cluster..local"'],
  ])('rejects the DNS domain %s', (dnsDomain, message) => {
    expect(() => network({ dnsDomain })).toThrow(message);
  });

  test.each<[string, (net: ClusterNetwork) => unknown, string]>([
    ['a second node with one name', (net) => net.addNode(cp('cp1', '10.0.0.2')), 'test/Net: invalid nodes[1].name "cp1": a node name not used by another node'],
    ['a node in the pod network', (net) => net.addNode({ name: 'w1', ip: '10.244.0.5', role: NodeRole.WORKER }),
      'test/Net: invalid nodes[1].ip "10.244.0.5": a node address outside podCidr'],
  ])('addNode refuses %s, and leaves the nodes as they were', (_name, add, message) => {
    const net = network({ nodes: [cp('cp1', '10.0.0.1')] });
    expect(() => add(net)).toThrow(message);
    expect(net.nodes.map((n) => n.name)).toEqual(['cp1']);
  });

  test('workers may be added before their control plane; a network without one fails synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const net = new ClusterNetwork(chart, 'Net');
    net.addNode({ name: 'w1', ip: '10.0.0.2', role: NodeRole.WORKER });
    expect(() => app.synth()).toThrow('test/Net: invalid nodes "w1": at least one node with role NodeRole.CONTROL_PLANE');
    net.addNode(cp('cp1', '10.0.0.1'));
    expect(net.controlPlaneNodes.map((n) => n.name)).toEqual(['cp1']);
    expect(ClusterNetwork.isClusterNetwork(net)).toBe(true);
    expect(ClusterNetwork.isClusterNetwork({ nodes: [] })).toBe(false);
  });
});

describe('one network per cluster', () => {
  // kubeadm, flannel and the tenants' policies each render from the ClusterNetwork they are
  // given; two networks of one app that differ would configure one cluster two ways.
  const two = (second: ClusterNetworkProps) => {
    const app = Testing.app();
    new ClusterNetwork(new Chart(app, 'kubeadm'), 'Network', {});
    new ClusterNetwork(new Chart(app, 'flannel'), 'Network', second);
    return app;
  };
  test.each<[string, ClusterNetworkProps, string]>([
    ['another pod network', { podCidr: '10.200.0.0/16' }, 'flannel/Network: invalid podCidr "10.200.0.0/16": the value of the app\'s other '
      + 'ClusterNetwork kubeadm/Network ("10.244.0.0/16"): one cluster has one network'],
    ['another Service network', { serviceCidr: '10.112.0.0/12' }, 'flannel/Network: invalid serviceCidr "10.112.0.0/12"'],
    ['another DNS domain', { dnsDomain: 'k8s.internal' }, 'flannel/Network: invalid dnsDomain "k8s.internal"'],
    ['another node subnet length', { nodeSubnetLength: 25 }, 'flannel/Network: invalid nodeSubnetLength 25'],
  ])('refuses %s at synth, naming both networks', (_name, second, message) => {
    expect(() => two(second).synth()).toThrow(message);
  });

  test('two networks with the same addressing are one network', () => {
    expect(() => two({ podCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12' }).synth()).not.toThrow();
  });

  test('networks of two apps do not meet', () => {
    new ClusterNetwork(Testing.chart(), 'Network', { podCidr: '10.200.0.0/16' });
    const other = Testing.app();
    new ClusterNetwork(new Chart(other, 'c'), 'Network', {});
    expect(() => other.synth()).not.toThrow();
  });
});
