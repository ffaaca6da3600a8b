import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Size, Testing } from 'cdk8s';
import {
  ClusterNetwork, ClusterNetworkProps, ContainerdMajorVersion, ContainerdMirror, ContainerdSource, FirewallMode, FirewallProtocol,
  ImageRegistryOverride, KubeadmClusterPrereqs, KubeadmClusterPrereqsProps, NodeRole, PackageRepository,
} from '../src';
import { synthValid } from './harness/manifests';
import { KEY_FINGERPRINTS, SANDBOX_CA_HASH, Sandbox, SandboxOptions, SandboxRun } from './harness/sandbox';
import { checkScript } from './harness/scripts';
import { parseYamlDocuments } from './harness/yaml';

const NODES = [
  { name: 'cp1', ip: '192.168.56.10', role: NodeRole.CONTROL_PLANE },
  { name: 'w1', ip: '192.168.56.11', role: NodeRole.WORKER },
  { name: 'w2', ip: '192.168.56.12', role: NodeRole.WORKER },
];
const SCRIPTS = ['prepare-node.sh', 'control-plane.sh', 'worker.sh', 'new-join-command.sh'];
const TOKEN = 'abcdef.0123456789abcdef';
const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2FjZXJ0\n-----END CERTIFICATE-----\n';
/** A pull-through cache of Docker Hub with a private CA, and a private registry over plain HTTP. */
const MIRRORS = [
  ContainerdMirror.of({ registry: 'docker.io', endpoint: '10.96.0.50:5000', caCertificate: CA }),
  ContainerdMirror.of({ registry: '10.96.0.60:5000', insecurePlainHttp: true }),
];
const udp = (port: number) => ({ port, protocol: FirewallProtocol.UDP, description: 'cni' });

function build(props: Partial<KubeadmClusterPrereqsProps> = {}, networkProps: ClusterNetworkProps = { nodes: NODES },
  app: App = Testing.app()) {
  const chart = new Chart(app, 'cluster');
  const network = new ClusterNetwork(chart, 'Network', networkProps);
  const prereqs = new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1', ...props });
  return { app, chart, network, prereqs };
}

function scriptsOf(p: KubeadmClusterPrereqs): Record<string, string> {
  return {
    'prepare-node.sh': p.prepareNodeScript,
    'control-plane.sh': p.controlPlaneScript,
    'worker.sh': p.workerScript,
    'new-join-command.sh': p.newJoinCommandScript,
  };
}

/** The synth-time part of a script: everything before the static library. */
function settingsOf(script: string): string {
  return script.slice(0, script.indexOf('# ---- library'));
}

function docsOf(yaml: string): any[] {
  return parseYamlDocuments(yaml);
}

/** Stub invocations that change a machine. */
const MUTATING = new RegExp('^(' + [
  'apt-get (update|install)', 'apt-mark hold', 'dnf install', 'yum install',
  'systemctl (enable|disable|start|stop|restart|mask|daemon-reload)', 'modprobe', 'sysctl --system', 'swapoff',
  'hostnamectl', 'setenforce', 'firewall-cmd .*--(add|remove)-', 'firewall-cmd --reload', 'ufw (allow|route|disable)',
  'curl', 'kubeadm (init|join|token create)', 'chown',
].join('|') + ')');

function mutations(run: SandboxRun): string[] {
  return run.commands.filter((c) => MUTATING.test(c));
}

describe('KubeadmClusterPrereqs', () => {
  test('defaults: kubeadm configuration and the settings of every script', () => {
    const { prereqs } = build();
    expect(prereqs.kubeadmConfig).toMatchSnapshot('kubeadm-config.yaml');
    for (const [name, content] of Object.entries(scriptsOf(prereqs))) {
      expect(settingsOf(content)).toMatchSnapshot(name);
    }
  });

  test('writes four executable scripts and kubeadm-config.yaml into the output directory', () => {
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

  test('every script passes bash -n, shellcheck and shfmt as emitted', () => {
    // With registry mirrors, so that multi-line settings are checked too.
    const { prereqs } = build({ registryMirrors: MIRRORS });
    for (const [name, content] of Object.entries(scriptsOf(prereqs))) {
      checkScript(content, name);
    }
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

    test('package mirror URLs and fingerprint', () => {
      const ok = { debUrl: 'https://m.corp/deb/', rpmUrl: 'https://m.corp/rpm/' };
      expect(() => PackageRepository.mirror({ ...ok, debUrl: 'http://m.corp/deb/' }))
        .toThrow('PackageRepository.mirror: invalid debUrl "http://m.corp/deb/": an https:// URL; plain http:// only with allowInsecureHttp: true');
      expect(() => PackageRepository.mirror({ ...ok, rpmUrl: 'ftp://m.corp/rpm/' }))
        .toThrow(/PackageRepository.mirror: invalid rpmUrl "ftp:\/\/m.corp\/rpm\/": an absolute https:\/\/ URL/);
      expect(() => PackageRepository.mirror({ ...ok, debUrl: "https://m.corp/deb/'; reboot; '" }))
        .toThrow(/invalid debUrl .*no spaces, quotes or query string/);
      expect(() => PackageRepository.mirror({ ...ok, debKeyUrl: 'https://m.corp/key?x=1' }))
        .toThrow(/invalid debKeyUrl "https:\/\/m.corp\/key\?x=1"/);
      expect(() => PackageRepository.mirror({ ...ok, rpmUrl: 'https://m.corp:99999/rpm/' }))
        .toThrow(/invalid rpmUrl "https:\/\/m.corp:99999\/rpm\/": a URL with a port from 1 to 65535/);
      expect(() => PackageRepository.mirror({ ...ok, keyFingerprint: 'DE15B144' }))
        .toThrow('PackageRepository.mirror: invalid keyFingerprint "DE15B144": an OpenPGP v4 fingerprint: 40 hex digits');
      expect(() => ContainerdSource.dockerRepository({ baseUrl: 'http://docker.mirror/linux' }))
        .toThrow('ContainerdSource.dockerRepository: invalid baseUrl "http://docker.mirror/linux": an https:// URL');
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
      expect(attempt({ cniPorts })).toThrow('invalid cniPorts[0].protocol "sctp": tcp or udp');
    });

    test('requirements', () => {
      expect(attempt({ controlPlaneRequirements: { cpus: 0 } }))
        .toThrow('cluster/Nodes: invalid controlPlaneRequirements.cpus 0: a whole number of CPUs from 1 to 1024');
      expect(attempt({ workerRequirements: { memory: Size.mebibytes(100) } }))
        .toThrow('cluster/Nodes: invalid workerRequirements.memory "100 MiB": a whole number of mebibytes, at least 256');
      expect(attempt({ workerRequirements: { memory: Size.kibibytes(1500 * 1024 + 1) } }))
        .toThrow(/invalid workerRequirements.memory .*a whole number of mebibytes/);
    });

    test.each([
      ['https://registry.example.com/k8s', /cluster\/Nodes: invalid imageRepository "https:\/\/registry.example.com\/k8s": a registry host/],
      ['registry.example.com/K8S', /invalid imageRepository "registry.example.com\/K8S"/],
      ['registry.k8s.io/pause:3.10', /invalid imageRepository "registry.k8s.io\/pause:3.10"/],
    ])('imageRepository %s', (imageRepository, message) => {
      expect(attempt({ imageRepository })).toThrow(message);
    });

    test('registry mirrors', () => {
      expect(attempt({ registryMirrors: [MIRRORS[0], ContainerdMirror.of({ registry: 'docker.io', endpoint: 'other:5000' })] }))
        .toThrow('cluster/Nodes: invalid registryMirrors[1].registry "docker.io": a registry not configured twice (also registryMirrors[0])');
      expect(attempt({ registryMirrors: [{ registry: 'docker.io' } as any] }))
        .toThrow('cluster/Nodes: invalid registryMirrors[0] "object": a ContainerdMirror from ContainerdMirror.of()');
    });

    test.each([['../nodes'], ['/nodes'], [''], ['./nodes'], ['a/../b'], ['nodes dir']])('outputDirectory %j', (outputDirectory) => {
      expect(attempt({ outputDirectory })).toThrow(`cluster/Nodes: invalid outputDirectory ${JSON.stringify(outputDirectory)}: a relative directory`);
    });

    test('enums, and two constructs writing one directory', () => {
      expect(attempt({ firewall: 'off' as FirewallMode }))
        .toThrow('cluster/Nodes: invalid firewall "off": one of open-ports, disable, unmanaged');
      expect(attempt({ containerdVersion: '3' as ContainerdMajorVersion }))
        .toThrow('cluster/Nodes: invalid containerdVersion "3": one of detect, 1, 2');
      expect(() => new KubeadmClusterPrereqs(Testing.chart(), 'Nodes', { network: undefined as any, kubernetesVersion: '1.33.1' }))
        .toThrow('Nodes: invalid network "undefined": a ClusterNetwork construct');
      const { app, chart, network } = build();
      new KubeadmClusterPrereqs(chart, 'Again', { network, kubernetesVersion: '1.33.1' });
      expect(() => app.synth()).toThrow(/generated file path "nodes\/worker.sh" is also written by/);
    });
  });
});

describe('node scripts, run in a sandbox', () => {
  const scripts = scriptsOf(build().prereqs);
  const sandboxes: Sandbox[] = [];
  const sandbox = (options: SandboxOptions) => {
    const s = new Sandbox(options);
    sandboxes.push(s);
    return s;
  };
  afterAll(() => sandboxes.forEach((s) => s.dispose()));

  /** Runs a script twice, recording the file snapshot before and after each run. */
  async function twice(s: Sandbox, name: string, args: string[] = [], env: Record<string, string> = {}) {
    const initial = s.snapshot();
    const first = await s.run(name, scripts[name], args, env);
    const afterFirst = s.snapshot();
    const second = await s.run(name, scripts[name], args, env);
    return { initial, first, afterFirst, second, afterSecond: s.snapshot() };
  }

  const debian = sandbox({ os: 'debian', ips: ['192.168.56.10'] });
  const rocky = sandbox({ os: 'rocky', ips: ['10.0.2.15', '192.168.56.10'], containerdVersion: '1.7.27' });
  const ubuntu = sandbox({ os: 'ubuntu', ips: ['192.168.56.11'], containerdVersion: '2.1.4', hostname: 'w1' });
  const dry = sandbox({ os: 'debian', ips: ['192.168.56.10'] });
  let cp: Awaited<ReturnType<typeof twice>>;
  let rhel: Awaited<ReturnType<typeof twice>>;
  let worker: Awaited<ReturnType<typeof twice>>;
  let dryRun: { before: Record<string, string>; run: SandboxRun; after: Record<string, string> };

  beforeAll(async () => {
    const joinEnv = { KUBEADM_JOIN_TOKEN: TOKEN, KUBEADM_JOIN_CA_HASH: SANDBOX_CA_HASH };
    [cp, rhel, worker, dryRun] = await Promise.all([
      twice(debian, 'control-plane.sh'),
      twice(rocky, 'control-plane.sh', ['--node-name', 'cp1'], { SUDO_USER: 'alice' }),
      twice(ubuntu, 'worker.sh', [], joinEnv),
      (async () => {
        const before = dry.snapshot();
        const run = await dry.run('control-plane.sh', scripts['control-plane.sh'], ['--dry-run']);
        return { before, run, after: dry.snapshot() };
      })(),
    ]);
  }, 30_000);

  test('control-plane.sh on Debian prepares the node and initializes the control plane', () => {
    expect(cp.first.stderr).toContain('control-plane.sh: step: preflight checks');
    expect(cp.first.status).toBe(0);
    expect(debian.read('etc/hostname')).toBe('cp1\n');
    expect(debian.read('etc/hosts')).toBe('127.0.0.1 localhost\n127.0.1.1 debian-box\n# BEGIN cdk8s-spark cluster nodes\n'
      + '192.168.56.10 cp1\n192.168.56.11 w1\n192.168.56.12 w2\n# END cdk8s-spark cluster nodes\n');
    expect(debian.read('etc/fstab')).toContain('\n#/swap.img none swap sw 0 0\n');
    expect(debian.read('etc/fstab')).toContain('\nUUID=1111-aaaa / ext4 errors=remount-ro 0 1\n');
    expect(debian.read('proc/swaps').trim().split('\n')).toHaveLength(1);
    expect(debian.stateOf('systemd/masked/swap.img.swap')).toBe('');
    expect(debian.read('etc/modules-load.d/kubernetes.conf')).toBe('overlay\nbr_netfilter\n');
    expect(debian.exists('sys/module/br_netfilter') && debian.exists('sys/module/overlay')).toBe(true);
    expect(debian.read('etc/sysctl.d/99-kubernetes.conf')).toBe('net.bridge.bridge-nf-call-iptables = 1\n'
      + 'net.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n');
    expect(debian.read('proc/sys/net/ipv4/ip_forward')).toBe('1\n');
    expect(debian.read('proc/sys/net/bridge/bridge-nf-call-iptables')).toBe('1\n');
    // Repositories: signed-by keys verified by fingerprint, packages pinned and held.
    expect(debian.read('etc/apt/sources.list.d/kubernetes.list')).toBe(
      'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.asc] https://pkgs.k8s.io/core:/stable:/v1.33/deb/ /\n');
    expect(debian.read('etc/apt/keyrings/kubernetes-apt-keyring.asc')).toContain(`fingerprint:${KEY_FINGERPRINTS.kubernetes}`);
    expect(debian.read('etc/apt/sources.list.d/docker.list')).toBe(
      'deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable\n');
    expect(cp.first.commands).toContain('apt-get install -y kubelet=1.33.1-1.1 kubeadm=1.33.1-1.1 kubectl=1.33.1-1.1');
    expect(cp.first.commands).toContain('apt-get install -y containerd.io');
    expect(debian.stateOf('held')).toBe('kubelet\nkubeadm\nkubectl\n');
    expect(cp.first.commands.filter((c) => c.startsWith('curl '))).toEqual([
      expect.stringMatching(/^curl -fsSL --proto =https .* https:\/\/pkgs.k8s.io\/core:\/stable:\/v1.33\/deb\/Release.key$/),
      expect.stringMatching(/^curl -fsSL --proto =https .* https:\/\/download.docker.com\/linux\/debian\/gpg$/),
    ]);
    // containerd 1.x layout.
    const containerd = debian.read('etc/containerd/config.toml');
    expect(containerd).toMatch(/\[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options\]\n\s+BinaryName = ""\n\s+SystemdCgroup = true\n/);
    expect(containerd).toContain('    sandbox_image = "registry.k8s.io/pause:3.10"\n');
    expect(containerd).toMatch(/\[plugins."io.containerd.grpc.v1.cri".registry\]\n\s+config_path = "\/etc\/containerd\/certs.d"\n/);
    expect(containerd).not.toContain('SystemdCgroup = false');
    expect(debian.exists('etc/containerd/certs.d')).toBe(true);
    expect(debian.read('etc/crictl.yaml')).toContain('runtime-endpoint: unix:///run/containerd/containerd.sock');
    expect(debian.read('etc/default/kubelet')).toBe('KUBELET_EXTRA_ARGS=--node-ip=192.168.56.10\n');
    for (const unit of ['containerd', 'kubelet', 'chrony']) {
      expect(debian.stateOf(`systemd/enabled/${unit}`)).toBe('');
    }
    // Firewall: ufw is active, so ports are opened in ufw.
    expect(debian.stateOf('ufw-rules')!.split('\n')).toEqual(expect.arrayContaining([
      'ufw allow 6443/tcp', 'ufw allow 2379:2380/tcp', 'ufw allow 10250/tcp', 'ufw allow 10257/tcp', 'ufw allow 10259/tcp',
      'ufw allow 30000:32767/tcp', 'ufw allow 8472/udp', 'ufw allow from 10.244.0.0/16',
    ]));
    expect(debian.stateOf('ufw-active')).toBe('');
    // kubeadm: configuration installed, init run once, admin kubeconfig, join command for root only.
    expect(debian.read('etc/kubernetes/kubeadm-config.yaml')).toBe(build().prereqs.kubeadmConfig);
    expect(cp.first.commands.filter((c) => c.startsWith('kubeadm init'))).toEqual([
      `kubeadm init --config ${debian.root}/etc/kubernetes/kubeadm-config.yaml`,
    ]);
    expect(debian.read('root/.kube/config')).toBe(debian.read('etc/kubernetes/admin.conf'));
    expect(debian.mode('root/.kube/config')).toBe('600');
    expect(debian.read('etc/kubernetes/join-command')).toMatch(
      new RegExp(`^kubeadm join 192.168.56.10:6443 --token abcdef.0123456789abcd01 --discovery-token-ca-cert-hash ${SANDBOX_CA_HASH}`));
    expect(debian.mode('etc/kubernetes/join-command')).toBe('600');
    expect(cp.first.stderr).not.toContain('abcdef.0123456789abcd01');
    expect(cp.first.stderr).toMatch(/done: \d+ change\(s\)\n$/);
  });

  test('a second run of control-plane.sh changes nothing and does not re-run kubeadm init', () => {
    expect(cp.second.status).toBe(0);
    expect(cp.afterSecond).toEqual(cp.afterFirst);
    expect(mutations(cp.second)).toEqual([]);
    expect(cp.second.stderr).toContain('kubeadm init skipped');
    expect(cp.second.stderr).toMatch(/done: nothing to change\n$/);
    // The first run did change files, so the comparison above is meaningful.
    expect(Object.keys(cp.afterFirst).length).toBeGreaterThan(Object.keys(cp.initial).length);
  });

  test('control-plane.sh on Rocky Linux: dnf, SELinux, firewalld, repository excludes', () => {
    expect(rhel.first.status).toBe(0);
    expect(rocky.read('etc/yum.repos.d/kubernetes.repo')).toBe('[kubernetes]\nname=Kubernetes 1.33\n'
      + 'baseurl=https://pkgs.k8s.io/core:/stable:/v1.33/rpm/\nenabled=1\ngpgcheck=1\n'
      + 'gpgkey=file:///etc/pki/rpm-gpg/kubernetes.asc\nexclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n');
    expect(rocky.read('etc/pki/rpm-gpg/kubernetes.asc')).toContain(`fingerprint:${KEY_FINGERPRINTS.kubernetes}`);
    expect(rocky.read('etc/yum.repos.d/docker-ce.repo')).toContain(
      'baseurl=https://download.docker.com/linux/centos/$releasever/$basearch/stable\n');
    expect(rocky.read('etc/pki/rpm-gpg/docker.asc')).toContain(`fingerprint:${KEY_FINGERPRINTS.dockerRpm}`);
    expect(rhel.first.commands).toContain('dnf install -y --disableexcludes=kubernetes kubelet-1.33.1 kubeadm-1.33.1 kubectl-1.33.1');
    expect(rhel.first.commands).toContain('setenforce 0');
    expect(rocky.read('etc/selinux/config')).toBe('SELINUX=permissive\nSELINUXTYPE=targeted\n');
    expect(rocky.stateOf('firewalld/ports')!.trim().split('\n').sort()).toEqual(
      ['10250/tcp', '10256/tcp', '10257/tcp', '10259/tcp', '2379-2380/tcp', '30000-32767/tcp', '30000-32767/udp', '6443/tcp', '8472/udp']);
    expect(rocky.stateOf('firewalld/sources')).toBe('10.244.0.0/16\n10.96.0.0/12\n');
    expect(rocky.stateOf('systemd/active/firewalld')).toBe('');
    expect(rocky.stateOf('systemd/enabled/chronyd')).toBe('');
    expect(rocky.read('etc/sysconfig/kubelet')).toBe('KUBELET_EXTRA_ARGS=--node-ip=192.168.56.10\n');
    expect(rocky.read('etc/containerd/config.toml')).toContain('SystemdCgroup = true');
    // The admin kubeconfig goes to the user who ran sudo, owned by them.
    expect(rocky.read('home/alice/.kube/config')).toBe(rocky.read('etc/kubernetes/admin.conf'));
    expect(rhel.first.commands).toContain(`chown 1000:1000 ${rocky.root}/home/alice/.kube ${rocky.root}/home/alice/.kube/config`);
    expect(rocky.exists('root/.kube/config')).toBe(false);
  });

  test('a second run on Rocky Linux changes nothing', () => {
    expect(rhel.second.status).toBe(0);
    expect(rhel.afterSecond).toEqual(rhel.afterFirst);
    expect(mutations(rhel.second)).toEqual([]);
    expect(rhel.second.stderr).toMatch(/done: nothing to change\n$/);
  });

  test('worker.sh on Ubuntu with containerd 2.x joins once, with parameters from the environment', () => {
    expect(worker.first.status).toBe(0);
    const containerd = ubuntu.read('etc/containerd/config.toml');
    expect(containerd).toMatch(/^version = 3\n/);
    // containerd 2.x prints no SystemdCgroup key: it is added to the runc options table.
    expect(containerd).toMatch(/\[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options\]\n\s+BinaryName = ''\n\s+ShimCgroup = ''\n\s+SystemdCgroup = true\n/);
    expect(containerd).toMatch(/\[plugins.'io.containerd.cri.v1.images'.pinned_images\]\n\s+sandbox = "registry.k8s.io\/pause:3.10"\n/);
    expect(containerd).toMatch(/\[plugins.'io.containerd.cri.v1.images'.registry\]\n\s+config_path = "\/etc\/containerd\/certs.d"\n/);
    expect(ubuntu.read('etc/apt/sources.list.d/docker.list')).toBe(
      'deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu noble stable\n');
    expect(worker.first.commands.filter((c) => c.startsWith('kubeadm join'))).toEqual([
      `kubeadm join 192.168.56.10:6443 --token ${TOKEN} --discovery-token-ca-cert-hash ${SANDBOX_CA_HASH}`,
    ]);
    // The token is never logged.
    expect(worker.first.stderr).toContain('run: kubeadm join 192.168.56.10:6443 --token <redacted>');
    expect(worker.first.stderr).not.toContain(TOKEN);
    // Worker ports only.
    expect(ubuntu.stateOf('ufw-rules')).not.toContain('6443');
    expect(ubuntu.stateOf('ufw-rules')).toContain('ufw allow 10250/tcp');
    expect(worker.first.commands.some((c) => c.startsWith('kubeadm init'))).toBe(false);
  });

  test('a second worker.sh run changes nothing and does not join again', () => {
    expect(worker.second.status).toBe(0);
    expect(worker.afterSecond).toEqual(worker.afterFirst);
    expect(mutations(worker.second)).toEqual([]);
    expect(worker.second.stderr).toContain('kubeadm join skipped');
  });

  test('--dry-run prints the plan and changes nothing', () => {
    expect(dryRun.run.status).toBe(0);
    expect(dryRun.after).toEqual(dryRun.before);
    expect(mutations(dryRun.run)).toEqual([]);
    const out = dryRun.run.stderr;
    expect(out).toContain('dry-run: would run: hostnamectl set-hostname cp1');
    expect(out).toContain('dry-run: would run: swapoff -a');
    expect(out).toContain('dry-run: would write /etc/sysctl.d/99-kubernetes.conf (mode 0644)');
    expect(out).toContain('dry-run: would download https://pkgs.k8s.io/core:/stable:/v1.33/deb/Release.key, check that its '
      + `fingerprint is ${KEY_FINGERPRINTS.kubernetes}`);
    expect(out).toContain('dry-run: would run: apt-get install -y kubelet=1.33.1-* kubeadm=1.33.1-* kubectl=1.33.1-*');
    expect(out).toContain('dry-run: would write /etc/containerd/config.toml');
    expect(out).toContain('+            SystemdCgroup = true');
    expect(out).toContain(`dry-run: would run: kubeadm init --config ${dry.root}/etc/kubernetes/kubeadm-config.yaml`);
    expect(out).toMatch(/done \(dry run\): \d+ change\(s\) planned, none made\n$/);
  });

  test('new-join-command.sh prints the join parameters, making a new token only when the old one expired', async () => {
    const run = (args: string[] = []) => debian.run('new-join-command.sh', scripts['new-join-command.sh'], args);
    const line = (n: string) =>
      `sudo ./worker.sh --endpoint 192.168.56.10:6443 --token abcdef.0123456789abcd${n} --discovery-token-ca-cert-hash ${SANDBOX_CA_HASH}\n`;
    const before = debian.snapshot();
    const valid = await run();
    expect(valid.status).toBe(0);
    expect(valid.stdout).toBe(line('01'));
    expect(valid.stderr).toContain('is still valid (its token expires in 23h)');
    expect(mutations(valid)).toEqual([]);
    expect(debian.snapshot()).toEqual(before);

    fs.writeFileSync(path.join(debian.state, 'expired-tokens'), '1\n');
    const planned = await run(['--dry-run']);
    expect(planned.status).toBe(0);
    expect(planned.stdout).toBe('');
    expect(planned.stderr).toContain('dry-run: would run: kubeadm token create --print-join-command');
    expect(mutations(planned)).toEqual([]);
    const renewed = await run();
    expect(renewed.status).toBe(0);
    expect(renewed.stdout).toBe(line('02'));
    expect(renewed.commands).toContain(`kubeadm token create --print-join-command --kubeconfig ${debian.root}/etc/kubernetes/admin.conf`);
    expect(debian.read('etc/kubernetes/join-command')).toContain('--token abcdef.0123456789abcd02');
    expect(debian.mode('etc/kubernetes/join-command')).toBe('600');
    expect(renewed.stderr).not.toContain('abcdef.0123456789abcd02');
    const forced = await run(['--force']);
    expect(forced.stdout).toBe(line('03'));
  });

  test('prepare-node.sh without declared nodes: --role, yum fallback, firewall disabled', async () => {
    const { prereqs } = build({ firewall: FirewallMode.DISABLE, containerdSource: ContainerdSource.osPackages() }, {});
    const s = sandbox({ os: 'rocky', without: ['dnf'] });
    const missingRole = await s.run('prepare-node.sh', prereqs.prepareNodeScript);
    expect(missingRole.status).toBe(1);
    expect(missingRole.stderr).toContain('error: cannot tell whether this is a control-plane or a worker node; pass --role');
    const run = await s.run('prepare-node.sh', prereqs.prepareNodeScript, ['--role', 'worker']);
    expect(run.status).toBe(0);
    expect(run.commands).toContain('systemctl disable --now firewalld');
    expect(run.commands).toContain('yum install -y containerd');
    expect(run.commands).toContain('yum install -y --disableexcludes=kubernetes kubelet-1.33.1 kubeadm-1.33.1 kubectl-1.33.1');
    expect(s.read('etc/hosts')).toBe('127.0.0.1 localhost\n127.0.1.1 rocky-box\n');
    expect(s.read('etc/hostname')).toBe('rocky-box\n');
    expect(s.exists('etc/sysconfig/kubelet')).toBe(false);
    expect(s.exists('etc/yum.repos.d/docker-ce.repo')).toBe(false);
  });

  test('prepare-node.sh writes hosts.toml for each mirror, idempotently, and removes what is no longer declared', async () => {
    const s = sandbox({ os: 'ubuntu', ips: ['192.168.56.11'], containerdVersion: '2.1.4', hostname: 'w1' });
    const withMirrors = build({ registryMirrors: MIRRORS }).prereqs.prepareNodeScript;
    // A host configuration the user wrote by hand is never touched.
    const own = 'server = "https://quay.io"\n';
    s.write('etc/containerd/certs.d/quay.io/hosts.toml', own);

    const before = s.snapshot();
    const first = await s.run('prepare-node.sh', withMirrors);
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('prepare-node.sh: step: registry mirrors in /etc/containerd/certs.d');
    expect(s.read('etc/containerd/certs.d/docker.io/hosts.toml')).toBe(`${MIRRORS[0].hostsToml}\n`);
    expect(s.read('etc/containerd/certs.d/docker.io/cdk8s-spark-ca.crt')).toBe(CA);
    expect(s.read('etc/containerd/certs.d/10.96.0.60:5000/hosts.toml')).toBe(
      '# Generated by cdk8s-spark (KubeadmClusterPrereqs); prepare-node.sh rewrites this file.\nserver = "http://10.96.0.60:5000"\n');
    expect(s.exists('etc/containerd/certs.d/10.96.0.60:5000/cdk8s-spark-ca.crt')).toBe(false);
    expect(s.mode('etc/containerd/certs.d/docker.io/hosts.toml')).toBe('644');
    // config_path points containerd 2.x at these files.
    expect(s.read('etc/containerd/config.toml')).toMatch(/\[plugins.'io.containerd.cri.v1.images'.registry\]\n\s+config_path = "\/etc\/containerd\/certs.d"\n/);
    const afterFirst = s.snapshot();
    expect(Object.keys(afterFirst).length).toBeGreaterThan(Object.keys(before).length);

    const second = await s.run('prepare-node.sh', withMirrors);
    expect(second.status).toBe(0);
    expect(s.snapshot()).toEqual(afterFirst);
    expect(mutations(second)).toEqual([]);
    expect(second.stderr).toMatch(/done: nothing to change\n$/);

    // Drop the Docker Hub mirror and trust the private registry by a CA file instead.
    const fewer = build({ registryMirrors: [ContainerdMirror.of({ registry: '10.96.0.60:5000', caFile: '/etc/pki/lab-ca.pem' })] })
      .prereqs.prepareNodeScript;
    const planned = await s.run('prepare-node.sh', fewer, ['--dry-run']);
    expect(planned.status).toBe(0);
    expect(planned.stderr).toContain('registry docker.io is no longer declared: removing the files this script wrote for it');
    expect(planned.stderr).toContain(`dry-run: would run: rm -f ${s.root}/etc/containerd/certs.d/docker.io/hosts.toml `
      + `${s.root}/etc/containerd/certs.d/docker.io/cdk8s-spark-ca.crt`);
    expect(planned.stderr).toContain('dry-run: would write /etc/containerd/certs.d/10.96.0.60:5000/hosts.toml (mode 0644)');
    expect(s.snapshot()).toEqual(afterFirst);

    const pruned = await s.run('prepare-node.sh', fewer);
    expect(pruned.status).toBe(0);
    expect(s.exists('etc/containerd/certs.d/docker.io')).toBe(false);
    expect(s.read('etc/containerd/certs.d/10.96.0.60:5000/hosts.toml')).toContain('\nca = "/etc/pki/lab-ca.pem"\n');
    expect(s.read('etc/containerd/certs.d/quay.io/hosts.toml')).toBe(own);
  }, 30_000);

  describe('refusals', () => {
    const refuse = async (options: SandboxOptions, name: string, args: string[], message: string, env: Record<string, string> = {}) => {
      const s = sandbox(options);
      const before = s.snapshot();
      const run = await s.run(name, scripts[name], args, env);
      expect(run.stderr).toContain(message);
      expect(run.status).toBe(1);
      expect(s.snapshot()).toEqual(before);
      expect(mutations(run)).toEqual([]);
      return run;
    };

    test('worker.sh without join parameters', async () => {
      const run = await refuse({ os: 'debian', ips: ['192.168.56.11'] }, 'worker.sh', [],
        'worker.sh: error: missing join parameters: --token (KUBEADM_JOIN_TOKEN) --discovery-token-ca-cert-hash (KUBEADM_JOIN_CA_HASH); '
        + 'run new-join-command.sh on the control-plane node to get them');
      expect(run.commands).toEqual([]);
    });

    test('worker.sh with a malformed token, without echoing it', async () => {
      const run = await refuse({ os: 'debian', ips: ['192.168.56.11'] }, 'worker.sh',
        ['--token', 'NOT-A-TOKEN-secret', '--discovery-token-ca-cert-hash', SANDBOX_CA_HASH],
        'error: invalid bootstrap token: expected 6 and 16 lowercase letters or digits joined by a dot');
      expect(run.stderr).not.toContain('NOT-A-TOKEN-secret');
    });

    test('not root', async () => {
      await refuse({ os: 'debian', ips: ['192.168.56.10'], uid: 1000 }, 'control-plane.sh', [],
        'control-plane.sh: error: must run as root');
    });

    test('too little memory, too few CPUs', async () => {
      await refuse({ os: 'debian', ips: ['192.168.56.10'], memoryMib: 1024 }, 'control-plane.sh', [],
        'error: 1024 MiB memory found; a control-plane node needs at least 1700 MiB');
      await refuse({ os: 'debian', ips: ['192.168.56.10'], cpus: 1 }, 'control-plane.sh', [],
        'error: 1 CPU(s) found; a control-plane node needs at least 2');
    });

    test('a required port in use', async () => {
      await refuse({ os: 'rocky', ips: ['192.168.56.10'], listeningPorts: [22, 6443] }, 'control-plane.sh', [],
        'error: TCP port 6443 is already in use; Kubernetes needs it');
    });

    test('unsupported operating system', async () => {
      await refuse({ os: 'alpine', ips: ['192.168.56.10'] }, 'control-plane.sh', [],
        'error: unsupported operating system \'Alpine Linux v3.20\'');
    });

    test('a machine that is not a declared node, or the wrong one', async () => {
      await refuse({ os: 'debian', ips: ['10.9.9.9'] }, 'control-plane.sh', [],
        'error: this machine has none of the declared node addresses (192.168.56.10 192.168.56.11 192.168.56.12); pass --node-name NAME');
      await refuse({ os: 'debian', ips: ['192.168.56.11'] }, 'control-plane.sh', [],
        'error: node w1 is declared as a worker node; control-plane.sh prepares control-plane nodes');
      await refuse({ os: 'debian', ips: ['192.168.56.11'] }, 'control-plane.sh', ['--node-name', 'cp1'],
        'error: node cp1 is declared with address 192.168.56.10, which this machine does not have');
      await refuse({ os: 'debian', ips: ['192.168.56.11'], hostname: 'cp1' }, 'worker.sh', ['--token', TOKEN,
        '--discovery-token-ca-cert-hash', SANDBOX_CA_HASH],
      'error: host name cp1 belongs to declared node cp1 (192.168.56.10), not to this machine; was it cloned?');
    });

    test('a signing key with the wrong fingerprint is not installed', async () => {
      const s = sandbox({ os: 'debian', ips: ['192.168.56.10'], keyFingerprint: 'A'.repeat(40) });
      const run = await s.run('control-plane.sh', scripts['control-plane.sh']);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`error: the key at https://pkgs.k8s.io/core:/stable:/v1.33/deb/Release.key has fingerprint ${'A'.repeat(40)}, `
        + `expected ${KEY_FINGERPRINTS.kubernetes}; refusing to trust it`);
      expect(s.exists('etc/apt/keyrings/kubernetes-apt-keyring.asc')).toBe(false);
      expect(s.exists('etc/apt/sources.list.d/kubernetes.list')).toBe(false);
    });
  });
});
