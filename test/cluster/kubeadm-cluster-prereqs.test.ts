import * as fs from 'fs';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import { build, CA, HA_ENDPOINT, HA_NODES, MIRRORS, NODES, scriptsOf, VIP } from './kubeadm-fixtures';
import {
  ClusterNetworkProps, ContainerdMajorVersion, ContainerdMirror, ContainerdSource, FirewallMode, FirewallProtocol,
  ImageRegistryOverride, KubeadmClusterPrereqs, KubeadmClusterPrereqsProps, PackageRepository,
} from '../../src';
import { synthValid } from '../harness/manifests';
import { KEY_FINGERPRINTS } from '../harness/sandbox';
import { parseYamlDocuments } from '../harness/yaml';

const SCRIPTS = ['prepare-node.sh', 'control-plane.sh', 'worker.sh', 'new-join-command.sh', 'control-plane-join.sh'];
const udp = (port: number) => ({ port, protocol: FirewallProtocol.UDP, description: 'cni' });
/** The synth-time part of a script: everything before the static library. */
function settingsOf(script: string): string {
  return script.slice(0, script.indexOf('# ---- shared library'));
}

function docsOf(yaml: string): any[] {
  return parseYamlDocuments(yaml);
}

describe('KubeadmClusterPrereqs', () => {
  test('defaults: kubeadm configuration and the settings of every script', () => {
    const { prereqs } = build();
    expect(prereqs.kubeadmConfig).toMatchSnapshot('kubeadm-config.yaml');
    for (const [name, content] of Object.entries(scriptsOf(prereqs))) {
      expect(settingsOf(content)).toMatchSnapshot(name);
    }
  });

  test('writes five executable scripts and kubeadm-config.yaml into the output directory', () => {
    const { app, chart, prereqs } = build();
    app.synth();
    expect(synthValid(chart)).toEqual([]);
    const dir = path.join(app.outdir, 'nodes');
    expect(fs.readdirSync(dir).sort()).toEqual([...SCRIPTS, 'kubeadm-config.yaml'].sort());
    for (const [name, content] of Object.entries(scriptsOf(prereqs))) {
      expect(fs.readFileSync(path.join(dir, name), 'utf8')).toBe(content);
      expect(fs.statSync(path.join(dir, name)).mode % 0o1000).toBe(0o755);
    }
    expect(fs.readFileSync(path.join(dir, 'kubeadm-config.yaml'), 'utf8')).toBe(prereqs.kubeadmConfig);
    expect(fs.statSync(path.join(dir, 'kubeadm-config.yaml')).mode % 0o1000).toBe(0o644);
  });

  test('scripts are self-contained, strict, and carry no join secret', () => {
    const { prereqs } = build();
    for (const [name, content] of Object.entries(scriptsOf(prereqs))) {
      expect(content.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      expect(content).toContain('\nset -euo pipefail\n');
      expect(content).not.toMatch(/^\s*(source|\.)\s+\S/m);
      // No download is ever piped into a shell.
      expect(content).not.toMatch(/curl[^\n]*\|\s*(ba)?sh/);
      expect(content).not.toMatch(/--token\s+[a-z0-9]{6}\.[a-z0-9]{16}/);
      expect(content).not.toMatch(/sha256:[a-f0-9]{64}/);
      expect(content).toContain(`readonly SCRIPT_NAME='${name}'`);
    }
    // control-plane.sh embeds exactly the kubeadm-config.yaml written next to it.
    expect(prereqs.controlPlaneScript).toContain(`cat <<'KUBEADM_CONFIG'\n${prereqs.kubeadmConfig}KUBEADM_CONFIG\n`);
  });

  test('kubeadm v1beta4 from Kubernetes 1.31: extraArgs as name/value lists', () => {
    const { prereqs } = build({ kubernetesVersion: '1.31.0' });
    expect(prereqs.kubeadmApiVersion).toBe('kubeadm.k8s.io/v1beta4');
    const [init, cluster, kubelet] = docsOf(prereqs.kubeadmConfig);
    expect(init).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'InitConfiguration',
      // kubeadm init always makes a token (an empty list defaults to one); this one is short-lived and
      // control-plane.sh deletes it by its description. No token value: nothing secret is synthesized.
      bootstrapTokens: [{ description: 'kubeadm init token, deleted by control-plane.sh', ttl: '15m0s' }],
      localAPIEndpoint: { advertiseAddress: '192.168.56.10', bindPort: 6443 },
      nodeRegistration: { name: 'cp1', criSocket: 'unix:///var/run/containerd/containerd.sock' },
    });
    expect(cluster).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      kubernetesVersion: 'v1.31.0',
      controlPlaneEndpoint: '192.168.56.10:6443',
      imageRepository: 'registry.k8s.io',
      networking: { dnsDomain: 'cluster.local', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12' },
      controllerManager: { extraArgs: [{ name: 'node-cidr-mask-size', value: '24' }] },
    });
    expect(kubelet).toEqual({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', cgroupDriver: 'systemd' });
  });

  test('kubeadm v1beta3 before 1.31: extraArgs as a map; ClusterNetwork values carry over', () => {
    const { prereqs } = build({ kubernetesVersion: '1.30.4' },
      { podCidr: '10.32.0.0/12', serviceCidr: '10.100.0.0/16', dnsDomain: 'spark.internal', nodeSubnetLength: 26, nodes: NODES });
    expect(prereqs.kubeadmApiVersion).toBe('kubeadm.k8s.io/v1beta3');
    const [init, cluster] = docsOf(prereqs.kubeadmConfig);
    expect(init.apiVersion).toBe('kubeadm.k8s.io/v1beta3');
    expect(cluster.apiVersion).toBe('kubeadm.k8s.io/v1beta3');
    expect(cluster.kubernetesVersion).toBe('v1.30.4');
    expect(cluster.networking).toEqual({ dnsDomain: 'spark.internal', podSubnet: '10.32.0.0/12', serviceSubnet: '10.100.0.0/16' });
    expect(cluster.controllerManager).toEqual({ extraArgs: { 'node-cidr-mask-size': '26' } });
    expect(prereqs.controlPlaneScript).toContain("readonly -a TRUSTED_CIDRS=('10.32.0.0/12' '10.100.0.0/16')");
    // The package repository follows the minor version.
    expect(prereqs.workerScript).toContain("readonly K8S_DEB_URL='https://pkgs.k8s.io/core:/stable:/v1.30/deb/'");
    expect(prereqs.workerScript).toContain("readonly K8S_RPM_KEY_URL='https://pkgs.k8s.io/core:/stable:/v1.30/rpm/repodata/repomd.xml.key'");
  });

  test('without declared nodes: no advertise address, no endpoint unless given', () => {
    const none = build({}, {}).prereqs;
    expect(none.controlPlaneEndpoint).toBeUndefined();
    const [init, cluster] = docsOf(none.kubeadmConfig);
    expect(init.localAPIEndpoint).toBeUndefined();
    expect(init.nodeRegistration).toEqual({ criSocket: 'unix:///var/run/containerd/containerd.sock' });
    expect(cluster.controlPlaneEndpoint).toBeUndefined();
    expect(none.controlPlaneScript).toContain('readonly -a NODE_NAMES=()\n');
    expect(none.controlPlaneScript).toContain("readonly INIT_NODE_NAME=''\n");

    const lb = build({ controlPlaneEndpoint: 'k8s-api.example.com:8443' }).prereqs;
    expect(lb.controlPlaneEndpoint).toBe('k8s-api.example.com:8443');
    expect(docsOf(lb.kubeadmConfig)[1].controlPlaneEndpoint).toBe('k8s-api.example.com:8443');
    expect(lb.workerScript).toContain("readonly CONTROL_PLANE_ENDPOINT='k8s-api.example.com:8443'");
  });

  test('image repository: the registry override in force, or an explicit one', () => {
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('mirror.internal:5000', { pathPrefix: 'k8s' }));
    const mirrored = build({}, { nodes: NODES }, app).prereqs;
    expect(mirrored.imageRepository).toBe('mirror.internal:5000/k8s');
    expect(docsOf(mirrored.kubeadmConfig)[1].imageRepository).toBe('mirror.internal:5000/k8s');
    expect(mirrored.prepareNodeScript).toContain("readonly IMAGE_REPOSITORY='mirror.internal:5000/k8s'");

    const explicit = build({ imageRepository: 'harbor.corp/registry.k8s.io' }, { nodes: NODES }, Testing.app()).prereqs;
    expect(explicit.imageRepository).toBe('harbor.corp/registry.k8s.io');
  });

  test('package mirror and containerd source become script settings', () => {
    const { prereqs } = build({
      packageRepository: PackageRepository.mirror({
        debUrl: 'https://nexus.corp/repository/k8s-deb/v1.33',
        rpmUrl: 'http://nexus.corp/repository/k8s-rpm/v1.33/',
        keyFingerprint: 'de15 b144 86cd 377b 9e87  6e1a 2346 54da 9a29 6436',
        allowInsecureHttp: true,
      }),
      containerdSource: ContainerdSource.dockerRepository({ baseUrl: 'https://nexus.corp/repository/docker/linux/' }),
      containerdVersion: ContainerdMajorVersion.CONTAINERD_2,
    });
    const s = prereqs.prepareNodeScript;
    expect(s).toContain("readonly K8S_DEB_URL='https://nexus.corp/repository/k8s-deb/v1.33/'");
    expect(s).toContain("readonly K8S_DEB_KEY_URL='https://nexus.corp/repository/k8s-deb/v1.33/Release.key'");
    expect(s).toContain("readonly K8S_RPM_URL='http://nexus.corp/repository/k8s-rpm/v1.33/'");
    expect(s).toContain("readonly K8S_RPM_KEY_URL='http://nexus.corp/repository/k8s-rpm/v1.33/repodata/repomd.xml.key'");
    expect(s).toContain(`readonly K8S_KEY_FINGERPRINT='${KEY_FINGERPRINTS.kubernetes}'`);
    expect(s).toContain("readonly DOCKER_BASE_URL='https://nexus.corp/repository/docker/linux'");
    expect(s).toContain("readonly CONTAINERD_LAYOUT='2'");
    expect(build({ containerdSource: ContainerdSource.preinstalled() }).prereqs.prepareNodeScript)
      .toContain("readonly CONTAINERD_SOURCE='preinstalled'");
  });

  test('firewall ports: Kubernetes ports, NodePorts and the CNI ports', () => {
    const { prereqs } = build({ cniPorts: [udp(8472), udp(51820)], firewall: FirewallMode.DISABLE });
    expect(prereqs.nodePorts).toEqual(['10250/tcp', '10256/tcp', '30000-32767/tcp', '30000-32767/udp', '8472/udp', '51820/udp']);
    expect(prereqs.controlPlanePorts).toEqual(['6443/tcp', '2379-2380/tcp', '10257/tcp', '10259/tcp']);
    expect(prereqs.workerScript).toContain("readonly FIREWALL_MODE='disable'");
    expect(prereqs.workerScript).toContain("'8472/udp' '51820/udp')");
    expect(build().prereqs.firewall).toBe(FirewallMode.OPEN_PORTS);
  });

  // containerd/containerd RELEASES.md, "Kubernetes Support" table (rows 1.28-1.31 from its history).
  test.each([
    ['1.28.15', "('1.7.0' '1.6.15')"],
    ['1.31.0', "('2.1.0' '2.0.0' '1.7.20' '1.6.34')"],
    ['1.34.1', "('2.1.3' '2.0.6' '1.7.28' '1.6.39')"],
    ['1.35.0', "('2.2.0' '2.1.5' '1.7.28')"],
    ['1.36.2', "('2.3.0' '2.2.0')"],
    // Newer than the table: its newest row.
    ['1.37.0', "('2.3.0' '2.2.0')"],
  ])('Kubernetes %s: the containerd minimums containerd lists for it', (kubernetesVersion, minimums) => {
    expect(build({ kubernetesVersion }).prereqs.prepareNodeScript).toContain(`readonly -a CONTAINERD_MINIMUMS=${minimums}\n`);
  });

  test('worker.sh joins with the JoinConfiguration API of the version', () => {
    expect(build({ kubernetesVersion: '1.30.4' }).prereqs.workerScript).toContain("readonly KUBEADM_API_VERSION='kubeadm.k8s.io/v1beta3'\n");
    expect(build({ kubernetesVersion: '1.31.0' }).prereqs.workerScript).toContain("readonly KUBEADM_API_VERSION='kubeadm.k8s.io/v1beta4'\n");
  });

  test('kube-vip: the endpoint becomes the virtual IP; a pinned static pod with least privilege', () => {
    const { prereqs } = build({ kubeVip: { address: VIP } }, { nodes: HA_NODES });
    expect(prereqs.controlPlaneEndpoint).toBe(`${VIP}:6443`);
    expect(docsOf(prereqs.kubeadmConfig)[1].controlPlaneEndpoint).toBe(`${VIP}:6443`);
    const pod = docsOf(prereqs.kubeVipManifest!)[0];
    expect(pod.metadata).toEqual({ name: 'kube-vip', namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'kube-vip' } });
    const container = pod.spec.containers[0];
    expect(container.image).toBe('ghcr.io/kube-vip/kube-vip:v1.2.3');
    expect(container.args).toEqual(['manager']);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    expect(container.env).toContainEqual({ name: 'address', value: VIP });
    expect(container.env).toContainEqual({ name: 'vip_interface', value: '@@INTERFACE@@' });
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: ['kubernetes'] }]);
    expect(prereqs.controlPlaneScript).toContain("readonly KUBE_VIP_INIT_KUBECONFIG='/etc/kubernetes/super-admin.conf'\n");
    expect(build({ kubeVip: { address: VIP }, kubernetesVersion: '1.28.15' }).prereqs.controlPlaneScript)
      .toContain("readonly KUBE_VIP_INIT_KUBECONFIG='/etc/kubernetes/admin.conf'\n");
    // Only the control-plane scripts carry it.
    expect(prereqs.workerScript).not.toContain('kube-vip');
    expect(prereqs.controlPlaneJoinScript).toContain('readonly KUBE_VIP_MANIFEST=');
    expect(build().prereqs.controlPlaneScript).toContain("readonly KUBE_VIP_MANIFEST=''\n");
    // The registry override applies to it, like every other image.
    const app = Testing.app();
    ImageRegistryOverride.apply(app, ImageRegistryOverride.mirror('mirror.internal:5000'));
    expect(docsOf(build({ kubeVip: { address: VIP } }, { nodes: HA_NODES }, app).prereqs.kubeVipManifest!)[0].spec.containers[0].image)
      .toBe('mirror.internal:5000/kube-vip/kube-vip:v1.2.3');
  });

  test('node requirements become the preflight minimums', () => {
    const { prereqs } = build({
      controlPlaneRequirements: { cpus: 4, memory: Size.gibibytes(8) },
      workerRequirements: { memory: Size.mebibytes(6000) },
    });
    expect(prereqs.prepareNodeScript).toContain("readonly CONTROL_PLANE_MIN_CPUS='4'\nreadonly CONTROL_PLANE_MIN_MEMORY_MIB='8192'\n"
      + "readonly WORKER_MIN_CPUS='1'\nreadonly WORKER_MIN_MEMORY_MIB='6000'\n");
  });

  test('registry mirrors become hosts.toml settings of every preparing script', () => {
    const { prereqs } = build({ registryMirrors: MIRRORS });
    expect(prereqs.registryMirrors).toEqual(MIRRORS);
    const expected = "readonly -a REGISTRY_HOSTS=('docker.io' '10.96.0.60:5000')\n"
      + "readonly -a REGISTRY_HOSTS_TOML=('# Generated by cdk8s-spark (KubeadmClusterPrereqs); prepare-node.sh rewrites this file.\n"
      + 'server = "https://registry-1.docker.io"\n\n[host."https://10.96.0.50:5000"]\n  capabilities = ["pull", "resolve"]\n'
      + '  ca = "/etc/containerd/certs.d/docker.io/cdk8s-spark-ca.crt"\' \'# Generated by cdk8s-spark (KubeadmClusterPrereqs); '
      + 'prepare-node.sh rewrites this file.\nserver = "http://10.96.0.60:5000"\')\n'
      + `readonly -a REGISTRY_CA_CERTIFICATES=('${CA.trim()}' '')\n`;
    for (const script of [prereqs.prepareNodeScript, prereqs.controlPlaneScript, prereqs.workerScript]) {
      expect(settingsOf(script)).toContain(expected);
    }
    expect(build().prereqs.prepareNodeScript).toContain('readonly -a REGISTRY_HOSTS=()\n');
  });

  test('output directory is configurable', () => {
    const { app } = build({ outputDirectory: 'cluster/bootstrap/' });
    app.synth();
    expect(fs.readdirSync(path.join(app.outdir, 'cluster', 'bootstrap'))).toContain('worker.sh');
  });

  describe('bad input', () => {
    const attempt = (props: Partial<KubeadmClusterPrereqsProps>) => () => build(props);

    test.each([
      ['1.33', /cluster\/Nodes: invalid kubernetesVersion "1.33": a Kubernetes release version MAJOR.MINOR.PATCH without a leading "v", from 1.28.0 through 1.37.x/],
      ['v1.33.1', /invalid kubernetesVersion "v1.33.1": .*without a leading "v"/],
      ['1.20.0', /invalid kubernetesVersion "1.20.0": .*\(1.20 is not supported\)/],
      ['1.38.0', /invalid kubernetesVersion "1.38.0": .*\(1.38 is not supported\)/],
      ['1.33.1-rc.0', /invalid kubernetesVersion "1.33.1-rc.0"/],
      ['2.0.0', /invalid kubernetesVersion "2.0.0"/],
    ])('kubernetesVersion %s', (kubernetesVersion, message) => {
      expect(attempt({ kubernetesVersion })).toThrow(message);
    });

    test.each([
      ['cp1', /cluster\/Nodes: invalid controlPlaneEndpoint "cp1": HOST:PORT, where HOST is an IPv4 address or DNS name/],
      ['https://cp1:6443', /invalid controlPlaneEndpoint "https:\/\/cp1:6443": HOST:PORT/],
      ['cp1:70000', /invalid controlPlaneEndpoint "cp1:70000": .*PORT is from 1 to 65535/],
      ['cp1:0', /invalid controlPlaneEndpoint "cp1:0"/],
      ['cp_1:6443', /invalid controlPlaneEndpoint "cp_1:6443"/],
    ])('controlPlaneEndpoint %s', (controlPlaneEndpoint, message) => {
      expect(attempt({ controlPlaneEndpoint })).toThrow(message);
    });

    const ok = { debUrl: 'https://m.corp/deb/', rpmUrl: 'https://m.corp/rpm/' };
    test.each<[string, () => unknown, string | RegExp]>([
      ['http debUrl', () => PackageRepository.mirror({ ...ok, debUrl: 'http://m.corp/deb/' }),
        'PackageRepository.mirror: invalid debUrl "http://m.corp/deb/": an https:// URL; plain http:// only with allowInsecureHttp: true'],
      ['ftp rpmUrl', () => PackageRepository.mirror({ ...ok, rpmUrl: 'ftp://m.corp/rpm/' }),
        /PackageRepository.mirror: invalid rpmUrl "ftp:\/\/m.corp\/rpm\/": an absolute https:\/\/ URL/],
      ['quotes in debUrl', () => PackageRepository.mirror({ ...ok, debUrl: "https://m.corp/deb/'; reboot; '" }),
        /invalid debUrl .*no spaces, quotes or query string/],
      ['a query string in debKeyUrl', () => PackageRepository.mirror({ ...ok, debKeyUrl: 'https://m.corp/key?x=1' }),
        /invalid debKeyUrl "https:\/\/m.corp\/key\?x=1"/],
      ['port 99999 in rpmUrl', () => PackageRepository.mirror({ ...ok, rpmUrl: 'https://m.corp:99999/rpm/' }),
        /invalid rpmUrl "https:\/\/m.corp:99999\/rpm\/": a URL with a port from 1 to 65535/],
      ['a short fingerprint', () => PackageRepository.mirror({ ...ok, keyFingerprint: 'DE15B144' }),
        'PackageRepository.mirror: invalid keyFingerprint "DE15B144": an OpenPGP v4 fingerprint: 40 hex digits'],
      ['an http Docker mirror', () => ContainerdSource.dockerRepository({ baseUrl: 'http://docker.mirror/linux' }),
        'ContainerdSource.dockerRepository: invalid baseUrl "http://docker.mirror/linux": an https:// URL'],
    ])('package sources refuse %s', (_name, make, message) => {
      expect(make).toThrow(message);
    });

    test.each([
      [[0], /cluster\/Nodes: invalid cniPorts\[0\] 0: a port number from 1 to 65535/],
      [[70000], /invalid cniPorts\[0\] 70000: a port number from 1 to 65535/],
      [[8472.5], /invalid cniPorts\[0\] 8472.5/],
      [[8472, 8472], /invalid cniPorts\[1\] 8472: a port not listed twice/],
      [[30080], /invalid cniPorts\[0\] 30080: a port outside the NodePort range 30000-32767/],
    ])('cniPorts %j', (ports, message) => {
      expect(attempt({ cniPorts: ports.map(udp) })).toThrow(message);
    });

    test('a CNI port with an unknown protocol', () => {
      const cniPorts = [{ port: 8472, protocol: 'sctp' as FirewallProtocol, description: 'x' }];
      expect(attempt({ cniPorts })).toThrow('invalid cniPorts[0].protocol "sctp": one of tcp, udp');
    });

    test.each<[string, Partial<KubeadmClusterPrereqsProps>, string | RegExp]>([
      ['no CPUs', { controlPlaneRequirements: { cpus: 0 } },
        'cluster/Nodes: invalid controlPlaneRequirements.cpus 0: a whole number of CPUs from 1 to 1024'],
      ['100 MiB', { workerRequirements: { memory: Size.mebibytes(100) } },
        'cluster/Nodes: invalid workerRequirements.memory "100 MiB": a whole number of mebibytes, at least 256'],
      ['a fraction of a MiB', { workerRequirements: { memory: Size.kibibytes(1500 * 1024 + 1) } },
        /invalid workerRequirements.memory .*a whole number of mebibytes/],
    ])('requirements: %s', (_name, props, message) => {
      expect(attempt(props)).toThrow(message);
    });

    test.each([
      ['https://registry.example.com/k8s', /cluster\/Nodes: invalid imageRepository "https:\/\/registry.example.com\/k8s": a registry host/],
      ['registry.example.com/K8S', /invalid imageRepository "registry.example.com\/K8S"/],
      ['registry.k8s.io/pause:3.10', /invalid imageRepository "registry.k8s.io\/pause:3.10"/],
    ])('imageRepository %s', (imageRepository, message) => {
      expect(attempt({ imageRepository })).toThrow(message);
    });

    test.each<[string, Partial<KubeadmClusterPrereqsProps>, string]>([
      ['one registry twice', { registryMirrors: [MIRRORS[0], ContainerdMirror.of({ registry: 'docker.io', endpoint: 'other:5000' })] },
        'cluster/Nodes: invalid registryMirrors[1].registry "docker.io": a registry not configured twice (also registryMirrors[0])'],
      ['a plain object', { registryMirrors: [{ registry: 'docker.io' } as any] },
        'cluster/Nodes: invalid registryMirrors[0] "object": a ContainerdMirror from ContainerdMirror.of()'],
      ['a set that is not one', { registryMirrorSets: [{} as any] },
        'cluster/Nodes: invalid registryMirrorSets[0] "object": a RegistryMirrorSet (or another IContainerdMirrorSource)'],
    ])('registry mirrors: %s', (_name, props, message) => {
      expect(attempt(props)).toThrow(message);
    });

    test.each([
      [{ address: '192.168.56.300' }, {}, /cluster\/Nodes: invalid kubeVip.address "192.168.56.300": an IPv4 address outside the special-purpose ranges/],
      [{ address: '127.0.0.5' }, {}, /invalid kubeVip.address "127.0.0.5": an IPv4 address outside the special-purpose ranges/],
      [{ address: '192.168.56.20' }, {}, /invalid kubeVip.address "192.168.56.20": a free address, not node cp2's/],
      [{ address: '10.96.0.100' }, {}, /invalid kubeVip.address "10.96.0.100": an address outside podCidr 10.244.0.0\/16 and serviceCidr 10.96.0.0\/12/],
      [{ address: VIP }, { controlPlaneEndpoint: '192.168.56.101:6443' },
        /invalid controlPlaneEndpoint "192.168.56.101:6443": the kube-vip address 192.168.56.100:6443, or a DNS name for it/],
      [{ address: VIP }, { controlPlaneEndpoint: 'k8s-api.lab.internal:8443' }, /invalid controlPlaneEndpoint "k8s-api.lab.internal:8443"/],
      [{ address: VIP, image: 'ghcr.io/kube-vip/kube-vip:latest' }, {}, /invalid kubeVip.image "ghcr.io\/kube-vip\/kube-vip:latest": a pinned image/],
    ])('kubeVip %j with %j', (kubeVip, extra, message) => {
      expect(() => build({ kubeVip, ...extra }, { nodes: HA_NODES })).toThrow(message);
    });

    test.each<[string, Partial<KubeadmClusterPrereqsProps>, ClusterNetworkProps, string | RegExp]>([
      ['kubeVip without declared control-plane nodes', { kubeVip: { address: VIP } }, {},
        'cluster/Nodes: invalid kubeVip "192.168.56.100": declared control-plane nodes in the ClusterNetwork'],
      ['several control-plane nodes without an endpoint', {}, { nodes: HA_NODES },
        /invalid controlPlaneEndpoint \(undefined\): a load balancer or DNS name/],
      ['an even number of control-plane nodes', { controlPlaneEndpoint: HA_ENDPOINT }, { nodes: HA_NODES.filter((n) => n.name !== 'cp3') },
        'cluster/Nodes: invalid network "2 control-plane nodes": an odd number of control-plane nodes (1, 3, 5)'],
    ])('%s', (_name, props, networkProps, message) => {
      expect(() => build(props, networkProps)).toThrow(message);
    });

    test('several control-plane nodes behind an endpoint need no kube-vip', () => {
      expect(build({ controlPlaneEndpoint: HA_ENDPOINT }, { nodes: HA_NODES }).prereqs.kubeVipManifest).toBeUndefined();
    });

    test.each([['../nodes'], ['/nodes'], [''], ['./nodes'], ['a/../b'], ['nodes dir']])('outputDirectory %j', (outputDirectory) => {
      expect(attempt({ outputDirectory })).toThrow(`cluster/Nodes: invalid outputDirectory ${JSON.stringify(outputDirectory)}: a relative directory`);
    });

    test.each<[string, () => unknown, string]>([
      ['an unknown firewall mode', attempt({ firewall: 'off' as FirewallMode }),
        'cluster/Nodes: invalid firewall "off": one of open-ports, disable, unmanaged'],
      ['an unknown containerd version', attempt({ containerdVersion: '3' as ContainerdMajorVersion }),
        'cluster/Nodes: invalid containerdVersion "3": one of detect, 1, 2'],
      ['no network', () => new KubeadmClusterPrereqs(Testing.chart(), 'Nodes', { network: undefined as any, kubernetesVersion: '1.33.1' }),
        'Nodes: invalid network "undefined": a ClusterNetwork construct'],
      ['a containerd source that is not one', attempt({ containerdSource: { kind: 'docker' } as any }),
        'cluster/Nodes: invalid containerdSource "object": a ContainerdSource'],
      ['a package repository that is not one', attempt({ packageRepository: {} as any }),
        'cluster/Nodes: invalid packageRepository "object": a PackageRepository'],
    ])('refuses %s', (_name, make, message) => {
      expect(make).toThrow(message);
    });

    test('two constructs writing one directory fail synth', () => {
      const { app, chart, network } = build();
      new KubeadmClusterPrereqs(chart, 'Again', { network, kubernetesVersion: '1.33.1' });
      expect(() => app.synth()).toThrow(/generated file path "nodes\/worker.sh" is also written by/);
    });
  });
});
