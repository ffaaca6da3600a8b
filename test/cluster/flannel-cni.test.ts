import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  ClusterNetwork, ClusterNetworkProps, FirewallProtocol, FlannelBackend, FlannelBackendType, FlannelCni, FlannelCniProps,
  ImageRegistryOverride, WireguardMode,
} from '../../src';
import { synthValid } from '../harness/manifests';
import { referencePath } from '../harness/reference';
import { loadYamlFile } from '../harness/yaml';

type Props = Omit<FlannelCniProps, 'network'>;

function synth(props: Props = {}, networkProps: ClusterNetworkProps = {}, chart: Chart = Testing.chart()) {
  const network = new ClusterNetwork(chart, 'Network', networkProps);
  const flannel = new FlannelCni(chart, 'Flannel', { network, ...props });
  return { flannel, network, manifests: synthValid(chart) };
}

function find(manifests: any[], kind: string): any {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

const netConf = (manifests: any[]) => JSON.parse(find(manifests, 'ConfigMap').data['net-conf.json']);
const podSpec = (manifests: any[]) => find(manifests, 'DaemonSet').spec.template.spec;
const mainContainer = (manifests: any[]) => podSpec(manifests).containers[0];
const allContainers = (manifests: any[]) => [...podSpec(manifests).initContainers, ...podSpec(manifests).containers];

/** Builds the construct and returns the error it throws. */
function failure(props: Props, networkProps: ClusterNetworkProps = {}): () => void {
  return () => {
    const chart = Testing.chart();
    new FlannelCni(chart, 'Flannel', { network: new ClusterNetwork(chart, 'Network', networkProps), ...props });
  };
}

describe('FlannelCni', () => {
  test('defaults', () => {
    expect(synth().manifests).toMatchSnapshot();
  });

  test('net-conf.json comes from the ClusterNetwork', () => {
    const { manifests, flannel } = synth({}, { podCidr: '10.32.0.0/12', nodeSubnetLength: 26 });
    expect(netConf(manifests)).toEqual({
      Network: '10.32.0.0/12',
      SubnetLen: 26,
      EnableNFTables: false,
      Backend: { Type: 'vxlan', VNI: 1, Port: 8472 },
    });
    expect(flannel.network.podCidr).toBe('10.32.0.0/12');
  });

  test('every object carries the namespace; only that namespace is privileged', () => {
    const { manifests } = synth({ namespace: 'cni' });
    const namespaces = manifests.filter((m) => m.kind === 'Namespace');
    expect(namespaces.map((n) => n.metadata.name)).toEqual(['cni']);
    expect(namespaces[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    for (const m of manifests.filter((x) => ['ServiceAccount', 'ConfigMap', 'DaemonSet'].includes(x.kind))) {
      expect(m.metadata.namespace).toBe('cni');
    }
    expect(find(manifests, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'flannel', namespace: 'cni' }]);
    expect(manifests.filter((m) => JSON.stringify(m.metadata.labels).includes('pod-security'))).toHaveLength(1);
  });

  test('a namespaced chart leaves cluster-scoped objects without a namespace', () => {
    const { manifests } = synth({}, {}, new Chart(Testing.app(), 'spark', { namespace: 'spark' }));
    const namespaces = Object.fromEntries(manifests.map((m) => [m.kind, m.metadata.namespace]));
    expect(namespaces).toEqual({
      Namespace: undefined,
      ClusterRole: undefined,
      ClusterRoleBinding: undefined,
      ServiceAccount: 'kube-flannel',
      ConfigMap: 'kube-flannel',
      DaemonSet: 'kube-flannel',
    });
  });

  test('ClusterRole grants exactly what flannel needs', () => {
    const { manifests } = synth();
    expect(find(manifests, 'ClusterRole').rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/status'], verbs: ['patch'] },
    ]);
    expect(find(manifests, 'ClusterRoleBinding').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flannel' });
  });

  test('DaemonSet essentials', () => {
    const { manifests } = synth();
    const ds = find(manifests, 'DaemonSet');
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(ds.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'flannel', 'app.kubernetes.io/instance': 'flannel' });
    expect(ds.spec.template.metadata.labels).toMatchObject({ ...ds.spec.selector.matchLabels, app: 'flannel' });
    const spec = podSpec(manifests);
    expect(spec).toMatchObject({
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      serviceAccountName: 'flannel',
      tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
    });
    const main = mainContainer(manifests);
    expect(main.securityContext).toEqual({
      privileged: false, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'] },
    });
    for (const init of spec.initContainers) {
      expect(init.securityContext).toEqual({ privileged: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    }
    expect(main.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'healthz' });
    expect(main.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'healthz' });
    expect(main.ports).toEqual([{ name: 'healthz', containerPort: 8081, protocol: 'TCP' }]);
    expect(main.env.map((e: any) => e.name)).toEqual(['POD_NAME', 'POD_NAMESPACE', 'EVENT_QUEUE_DEPTH', 'CONT_WHEN_CACHE_NOT_READY']);
  });

  test('health port', () => {
    const { manifests, flannel } = synth({ healthzPort: 9808 });
    expect(flannel.healthzPort).toBe(9808);
    expect(mainContainer(manifests).args).toContain('--healthz-port=9808');
    expect(mainContainer(manifests).ports[0].containerPort).toBe(9808);
  });

  test('requests and limits on every container, init containers included', () => {
    const { manifests } = synth();
    const containers = allContainers(manifests);
    expect(containers.map((c) => c.name)).toEqual(['install-cni-plugin', 'install-cni', 'kube-flannel']);
    for (const c of containers) {
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
    }
    expect(mainContainer(manifests).resources).toEqual({
      requests: { cpu: '100m', memory: '50Mi' }, limits: { cpu: '500m', memory: '256Mi' },
    });
  });

  test('resource overrides merge field by field', () => {
    const { manifests } = synth({
      resources: { cpu: { limit: Cpu.units(1.1) }, memory: { request: Size.mebibytes(128), limit: Size.gibibytes(1) } },
      initContainerResources: {
        memory: { limit: Size.kibibytes(100_000) },
        ephemeralStorage: { request: Size.mebibytes(10), limit: Size.mebibytes(20) },
      },
    });
    expect(mainContainer(manifests).resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1100m', memory: '1Gi' },
    });
    for (const init of podSpec(manifests).initContainers) {
      expect(init.resources).toEqual({
        requests: { 'cpu': '10m', 'memory': '16Mi', 'ephemeral-storage': '10Mi' },
        limits: { 'cpu': '100m', 'memory': '100000Ki', 'ephemeral-storage': '20Mi' },
      });
    }
  });

  test('interface selection', () => {
    expect(mainContainer(synth().manifests).args).toEqual(['--ip-masq', '--kube-subnet-mgr', '--healthz-port=8081']);
    const { manifests } = synth({ interfaceName: 'enp0s8', interfaceRegex: '^192\\.168\\.56\\.' });
    expect(mainContainer(manifests).args).toEqual([
      '--ip-masq', '--kube-subnet-mgr', '--healthz-port=8081', '--iface=enp0s8', '--iface-regex=^192\\.168\\.56\\.',
    ]);
    expect(mainContainer(synth({ interfaceRegex: 'eth[0-9]+' }).manifests).args).toContain('--iface-regex=eth[0-9]+');
  });

  test('IP masquerading and nftables can be switched', () => {
    const { manifests } = synth({ ipMasq: false, enableNftables: true });
    expect(mainContainer(manifests).args).not.toContain('--ip-masq');
    expect(netConf(manifests).EnableNFTables).toBe(true);
  });

  test('vxlan options', () => {
    const backend = FlannelBackend.vxlan({ vni: 4096, port: 4789, directRouting: true, gbp: false, mtu: 1400 });
    expect(backend.type).toBe(FlannelBackendType.VXLAN);
    expect(backend.firewallPorts).toEqual([{ port: 4789, protocol: FirewallProtocol.UDP, description: 'flannel VXLAN' }]);
    const { manifests, flannel } = synth({ backend });
    expect(netConf(manifests).Backend).toEqual({ Type: 'vxlan', VNI: 4096, Port: 4789, DirectRouting: true, GBP: false, MTU: 1400 });
    expect(flannel.firewallPorts).toEqual([{ port: 4789, protocol: 'udp', description: 'flannel VXLAN' }]);
    // The largest VNI whose device name (flannel.<VNI>) fits Linux's 15 characters.
    expect(FlannelBackend.vxlan({ vni: 9_999_999 }).toNetConf().VNI).toBe(9_999_999);
  });

  test('the default backend is vxlan on the kernel port', () => {
    const { flannel } = synth();
    expect(flannel.backend.type).toBe(FlannelBackendType.VXLAN);
    expect(flannel.firewallPorts).toEqual([{ port: 8472, protocol: FirewallProtocol.UDP, description: 'flannel VXLAN' }]);
  });

  test('host-gw needs no port', () => {
    const { manifests, flannel } = synth({ backend: FlannelBackend.hostGw() });
    expect(netConf(manifests).Backend).toEqual({ Type: 'host-gw' });
    expect(flannel.firewallPorts).toEqual([]);
  });

  test('wireguard', () => {
    const { manifests, flannel } = synth({ backend: FlannelBackend.wireguard() });
    expect(netConf(manifests).Backend).toEqual({ Type: 'wireguard', ListenPort: 51820 });
    expect(flannel.firewallPorts).toEqual([{ port: 51820, protocol: FirewallProtocol.UDP, description: 'flannel WireGuard' }]);
    // The private key lives in /run/flannel, which is already a host path.
    expect(podSpec(manifests).volumes.find((v: any) => v.name === 'run').hostPath).toEqual({ path: '/run/flannel' });

    const custom = FlannelBackend.wireguard({
      listenPort: 51900, persistentKeepaliveInterval: Duration.seconds(25), mode: WireguardMode.IPV4, mtu: 1420,
    });
    expect(custom.toNetConf()).toEqual({ Type: 'wireguard', ListenPort: 51900, PersistentKeepaliveInterval: 25, Mode: 'ipv4', MTU: 1420 });
    expect(custom.firewallPorts.map((p) => p.port)).toEqual([51900]);
    expect(FlannelBackend.wireguard({ persistentKeepaliveInterval: Duration.minutes(1) }).toNetConf().PersistentKeepaliveInterval).toBe(60);
  });

  test('a node system pod: host network, only its host paths and NET_ADMIN/NET_RAW, nothing privileged', () => {
    const pod = podSpec(synth().manifests);
    expect(pod.hostNetwork).toBe(true);
    expect(pod.volumes.filter((v: any) => v.hostPath).map((v: any) => v.hostPath.path).sort())
      .toEqual(['/etc/cni/net.d', '/opt/cni/bin', '/run/flannel', '/run/xtables.lock']);
    for (const c of allContainers(synth().manifests)) {
      expect(c.securityContext).toMatchObject({ privileged: false, allowPrivilegeEscalation: false });
    }
    expect(allContainers(synth().manifests).map((c) => c.securityContext.capabilities))
      .toEqual([{ drop: ['ALL'] }, { drop: ['ALL'] }, { add: ['NET_ADMIN', 'NET_RAW'] }]);
    // Nothing the builder adds of its own: no pod security context, token or service-link setting.
    expect(pod.securityContext).toBeUndefined();
    expect(pod.automountServiceAccountToken).toBeUndefined();
    expect(pod.enableServiceLinks).toBeUndefined();
  });

  test('toNetConf returns a copy', () => {
    const backend = FlannelBackend.vxlan();
    backend.toNetConf().VNI = 99;
    expect(backend.toNetConf().VNI).toBe(1);
  });

  test('images are pinned and rewritten by a registry mirror', () => {
    const defaults = synth();
    expect(defaults.flannel.image).toBe('ghcr.io/flannel-io/flannel:v0.28.9');
    expect(defaults.flannel.cniPluginImage).toBe('ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3');

    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('mirror.local:5000'));
    const { manifests } = synth({}, {}, new Chart(app, 'mirrored'));
    expect(allContainers(manifests).map((c) => c.image)).toEqual([
      'mirror.local:5000/flannel-io/flannel-cni-plugin:v1.9.1-flannel3',
      'mirror.local:5000/flannel-io/flannel:v0.28.9',
      'mirror.local:5000/flannel-io/flannel:v0.28.9',
    ]);
  });

  test('image overrides', () => {
    const { manifests } = synth({ image: 'registry.example/net/flannel:v0.28.9-patched', cniPluginImage: 'registry.example/net/cni:1.0' });
    expect(allContainers(manifests).map((c) => c.image)).toEqual([
      'registry.example/net/cni:1.0', 'registry.example/net/flannel:v0.28.9-patched', 'registry.example/net/flannel:v0.28.9-patched',
    ]);
  });

  describe('rejects bad input', () => {
    test.each<[string, () => unknown, string]>([
      ['VNI 0', () => FlannelBackend.vxlan({ vni: 0 }), 'FlannelBackend.vxlan: invalid vni 0: an integer from 1 to 9999999 (flannel names the device flannel.<vni>'],
      ['a VNI too long for the device name', () => FlannelBackend.vxlan({ vni: 16_777_215 }), 'FlannelBackend.vxlan: invalid vni 16777215: an integer from 1 to 9999999'],
      ['a fractional VNI', () => FlannelBackend.vxlan({ vni: 1.5 }), 'FlannelBackend.vxlan: invalid vni 1.5'],
      ['VXLAN port 0', () => FlannelBackend.vxlan({ port: 0 }), 'FlannelBackend.vxlan: invalid port 0: a port number from 1 to 65535'],
      ['VXLAN port 65536', () => FlannelBackend.vxlan({ port: 65536 }), 'FlannelBackend.vxlan: invalid port 65536: a port number from 1 to 65535'],
      ['a tiny MTU', () => FlannelBackend.vxlan({ mtu: 100 }), 'FlannelBackend.vxlan: invalid mtu 100: an integer from 576'],
      ['WireGuard port 0', () => FlannelBackend.wireguard({ listenPort: 0 }), 'FlannelBackend.wireguard: invalid listenPort 0: a port number from 1 to 65535'],
      ['a WireGuard MTU too large', () => FlannelBackend.wireguard({ mtu: 70000 }), 'FlannelBackend.wireguard: invalid mtu 70000'],
      ['a fractional keepalive', () => FlannelBackend.wireguard({ persistentKeepaliveInterval: Duration.millis(1500) }),
        'FlannelBackend.wireguard: invalid persistentKeepaliveInterval "1500 ms": a whole number of seconds, at least 1 and at most 65535'],
      ['a zero keepalive', () => FlannelBackend.wireguard({ persistentKeepaliveInterval: Duration.seconds(0) }),
        'FlannelBackend.wireguard: invalid persistentKeepaliveInterval "0 ms": a whole number of seconds, at least 1 and at most 65535'],
      ['a keepalive over 16 bits', () => FlannelBackend.wireguard({ persistentKeepaliveInterval: Duration.days(1) }),
        'FlannelBackend.wireguard: invalid persistentKeepaliveInterval "86400000 ms": a whole number of seconds, at least 1 and at most 65535'],
      ['an unknown WireGuard mode', () => FlannelBackend.wireguard({ mode: 'both' as WireguardMode }),
        'FlannelBackend.wireguard: invalid mode "both": one of separate, auto, ipv4, ipv6'],
      ['an unknown VXLAN option', () => FlannelBackend.vxlan({ prot: 4789 } as any),
        'FlannelBackend.vxlan: invalid option "prot": one of vni, port, directRouting, gbp, mtu'],
      ['an unknown WireGuard option', () => FlannelBackend.wireguard({ psk: 'secret' } as any),
        'FlannelBackend.wireguard: invalid option "psk": one of listenPort, persistentKeepaliveInterval, mode, mtu'],
    ])('backend: %s', (_, build, message) => {
      expect(build).toThrow(message);
    });

    test.each<[string, Props, string]>([
      ['an invalid namespace', { namespace: 'Kube_Flannel' }, 'invalid namespace "Kube_Flannel": a DNS-1123 label'],
      ['kube-system', { namespace: 'kube-system' },
        'invalid namespace "kube-system": a namespace of flannel\'s own: default, kube-system, kube-public, kube-node-lease exist already'],
      ['a long interface name', { interfaceName: 'enp0s31f6-bridge0' }, 'invalid interfaceName "enp0s31f6-bridge0": a Linux interface name: 1 to 15 characters'],
      ['an interface name with a slash', { interfaceName: 'eth0/1' }, 'invalid interfaceName "eth0/1": a Linux interface name'],
      ['an empty interface name', { interfaceName: '' }, 'invalid interfaceName "": a Linux interface name'],
      ['an address as interface', { interfaceName: '192.168.56.10' },
        'invalid interfaceName "192.168.56.10": an interface name, not an address (each node has its own); use interfaceRegex'],
      ['a broken regex', { interfaceRegex: 'eth(' }, 'invalid interfaceRegex "eth(": a non-empty regular expression'],
      ['an empty regex', { interfaceRegex: '' }, 'invalid interfaceRegex "": a non-empty regular expression'],
      ['a lookahead', { interfaceRegex: 'eth(?!0)' }, 'invalid interfaceRegex "eth(?!0)": Go RE2 syntax, which has no lookaround'],
      ['a backreference', { interfaceRegex: '(a)\\1' }, 'invalid interfaceRegex "(a)\\\\1": Go RE2 syntax'],
      ['health port 0', { healthzPort: 0 }, 'invalid healthzPort 0: a port number from 1 to 65535'],
      // flannel runs on the host network: a port Kubernetes listens on there would stop it or the component.
      ['the kubelet API port', { healthzPort: 10250 }, 'invalid healthzPort 10250: a port Kubernetes does not use on the nodes (the kubelet API listens on it)'],
      ['kube-proxy\'s health port', { healthzPort: 10256 }, 'invalid healthzPort 10256: a port Kubernetes does not use on the nodes (kube-proxy\'s health endpoint'],
      ['an etcd port', { healthzPort: 2380 }, 'invalid healthzPort 2380: a port Kubernetes does not use on the nodes (etcd (client and peer)'],
      ['the API server port', { healthzPort: 6443 }, 'invalid healthzPort 6443: a port Kubernetes does not use on the nodes (the API server'],
      ['a NodePort', { healthzPort: 30080 }, 'invalid healthzPort 30080: a port Kubernetes does not use on the nodes (the NodePort range'],
      ['an unknown option', { iface: 'eth1' } as Props, 'invalid option "iface": one of network, backend, namespace, interfaceName, interfaceRegex'],
      ['a CPU request over the limit', { resources: { cpu: { request: Cpu.millis(600) } } },
        'invalid resources.cpu "request 600m, limit 500m": a request no greater than the limit'],
      ['a memory request over the limit', { initContainerResources: { memory: { request: Size.mebibytes(128) } } },
        'invalid initContainerResources.memory "request 131072Ki, limit 65536Ki": a request no greater than the limit'],
      ['zero CPU', { resources: { cpu: { request: Cpu.millis(0) } } },
        'invalid resources.cpu.request "0m": at least 1 millicore, in whole millicores'],
      ['sub-millicore CPU', { resources: { cpu: { limit: Cpu.units(0.0005) } } }, 'invalid resources.cpu.limit "0.0005"'],
      ['an unpinned image', { image: 'ghcr.io/flannel-io/flannel:latest' },
        'invalid image "ghcr.io/flannel-io/flannel:latest": a pinned image'],
      ['an untagged plugin image', { cniPluginImage: 'ghcr.io/flannel-io/flannel-cni-plugin' },
        'invalid image "ghcr.io/flannel-io/flannel-cni-plugin": a pinned image'],
    ])('%s', (_, props, message) => {
      expect(failure(props)).toThrow(`test/Flannel: ${message}`);
    });

    test('a missing network', () => {
      const chart = Testing.chart();
      expect(() => new FlannelCni(chart, 'Flannel', {} as FlannelCniProps)).toThrow('test/Flannel: invalid network (undefined): a ClusterNetwork');
    });
  });
});

// Conformance with upstream's manifest (only when the reference data is present; CDK8S_SPARK_REFERENCE points elsewhere).
const REFERENCE = referencePath('flannel-cni.test.ts', 'flannel-v0.28.9', 'kube-flannel.yml');
const describeRef = REFERENCE !== undefined ? describe : describe.skip;

describeRef('FlannelCni matches upstream kube-flannel.yml v0.28.9', () => {
  let ref: any[];
  let ours: any[];
  let refNet: any;
  beforeAll(() => {
    ref = loadYamlFile(REFERENCE!);
    refNet = JSON.parse(find(ref, 'ConfigMap').data['net-conf.json']);
    ours = synth({}, { podCidr: refNet.Network }).manifests;
  });
  const refPod = () => podSpec(ref);
  const ourPod = () => podSpec(ours);
  const byName = (list: any[]) => Object.fromEntries(list.map((x) => [x.name, x]));

  test('same kinds, names and namespaces', () => {
    const ids = (ms: any[]) => ms.map((m) => `${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`).sort();
    expect(ids(ours)).toEqual(ids(ref));
  });

  test('namespace is labelled privileged', () => {
    expect(find(ref, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(find(ours, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('identical RBAC', () => {
    expect(find(ours, 'ClusterRole').rules).toEqual(find(ref, 'ClusterRole').rules);
    for (const field of ['roleRef', 'subjects']) {
      expect(find(ours, 'ClusterRoleBinding')[field]).toEqual(find(ref, 'ClusterRoleBinding')[field]);
    }
  });

  test('same cni-conf.json', () => {
    const cni = (ms: any[]) => JSON.parse(find(ms, 'ConfigMap').data['cni-conf.json']);
    expect(cni(ours)).toEqual(cni(ref));
  });

  test('same net-conf.json, plus only flannel\'s own defaults made explicit', () => {
    const { Backend: ourBackend, ...ourRest } = netConf(ours);
    const { Backend: refBackend, ...refRest } = refNet;
    // SubnetLen 24 and VXLAN's VNI 1 / port 8472 are what flannel assumes when they are absent.
    expect(ourRest).toEqual({ ...refRest, SubnetLen: 24 });
    expect(ourBackend).toEqual({ ...refBackend, VNI: 1, Port: 8472 });
  });

  test('same pod-level essentials', () => {
    for (const field of ['hostNetwork', 'priorityClassName', 'tolerations', 'serviceAccountName', 'affinity']) {
      expect(ourPod()[field]).toEqual(refPod()[field]);
    }
  });

  test('same init containers', () => {
    const essentials = (c: any) => ({
      name: c.name,
      image: c.image,
      command: c.command,
      args: c.args,
      volumeMounts: c.volumeMounts.map((m: any) => ({ name: m.name, mountPath: m.mountPath })),
    });
    expect(ourPod().initContainers.map(essentials)).toEqual(refPod().initContainers.map(essentials));
  });

  test('same flannel container essentials', () => {
    const [refMain] = refPod().containers;
    const [ourMain] = ourPod().containers;
    expect(ourPod().containers).toHaveLength(refPod().containers.length);
    for (const field of ['name', 'image', 'command', 'args', 'ports', 'livenessProbe', 'readinessProbe', 'env']) {
      expect(ourMain[field]).toEqual(refMain[field]);
    }
    expect(ourMain.securityContext.privileged).toBe(refMain.securityContext.privileged);
    expect(ourMain.securityContext.capabilities.add).toEqual(refMain.securityContext.capabilities.add);
    expect(ourMain.resources.requests).toEqual(refMain.resources.requests);
    const mounts = (c: any) => c.volumeMounts.map((m: any) => ({ name: m.name, mountPath: m.mountPath }));
    expect(mounts(ourMain)).toEqual(mounts(refMain));
  });

  test('same volumes', () => {
    expect(byName(ourPod().volumes)).toEqual(byName(refPod().volumes));
  });
});
