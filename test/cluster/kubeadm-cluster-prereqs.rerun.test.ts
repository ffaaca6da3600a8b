// KubeadmClusterPrereqs' node scripts in the sandbox, for the ways they went
// wrong on real Debian machines (issue 16): re-runs with held packages and a
// rebuilt package on the mirror, secrets on command lines and in files
// briefly readable by others, a package mirror that is down, missing
// commands, a containerd release too old for the Kubernetes version.
import * as fs from 'fs';
import { build, HA_ENDPOINT, HA_NODES, scriptsOf, VIP } from './kubeadm-fixtures';
import { ContainerdSource } from '../../src';
import { disposableSandboxes, SANDBOX_CA_HASH, Sandbox, SandboxRun } from '../harness/sandbox';
import { Scenarios } from '../harness/scenarios';
import { checkScripts } from '../harness/scripts';
import { parseYamlDocuments } from '../harness/yaml';

const TOKEN = 'abcdef.0123456789abcdef';
/** Stub invocations that change a machine (as in kubeadm-cluster-prereqs.scripts.test.ts). */
const MUTATING = new RegExp('^(' + [
  'apt-get (update|install)', 'apt-mark hold', 'dnf install', 'yum install',
  'systemctl (enable|disable|start|stop|restart|mask|daemon-reload)', 'modprobe', 'sysctl --system', 'swapoff',
  'hostnamectl', 'setenforce', 'firewall-cmd .*--(add|remove)-', 'firewall-cmd --reload', 'ufw (allow|route|disable)',
  'curl', 'kubeadm (init|join|token create|token delete)', 'chown',
].join('|') + ')');
const mutations = (run: SandboxRun) => run.commands.filter((c) => MUTATING.test(c));

describe('node scripts: re-runs, secrets, failures', () => {
  const scripts = scriptsOf(build().prereqs);
  const sandbox = disposableSandboxes();
  const scenarios = new Scenarios();
  beforeAll(() => scenarios.run(), 300_000);

  const rebuilt = scenarios.add(async () => {
    const s = sandbox({ os: 'debian', ips: ['192.168.56.11'], hostname: 'w1' });
    const first = await s.run('prepare-node.sh', scripts['prepare-node.sh']);
    const afterFirst = s.snapshot();
    // pkgs.k8s.io publishes a new build of the same version, as it did with 1.28.14-2.1.
    s.offerBuild('2.1');
    const second = await s.run('prepare-node.sh', scripts['prepare-node.sh']);
    const fresh = sandbox({ os: 'debian', ips: ['192.168.56.12'], hostname: 'w2', offeredBuild: '2.1' });
    const freshRun = await fresh.run('prepare-node.sh', scripts['prepare-node.sh']);
    return { s, first, afterFirst, second, afterSecond: s.snapshot(), freshRun };
  });

  const dpkgStates = scenarios.add(async () => {
    const s = sandbox({
      os: 'debian',
      ips: ['192.168.56.11'],
      hostname: 'w1',
      dpkgPackages: {
        'chrony': { version: '4.3-2+deb12u1', status: 'config-files' },
        'containerd.io': { version: '1.7.24-1', status: 'not-installed' },
        'kubelet': { version: '1.33.1-1.1', status: 'installed' },
        'curl': { version: '7.88.1-10+deb12u12', status: 'installed' },
      },
    });
    return { s, run: await s.run('prepare-node.sh', scripts['prepare-node.sh']) };
  });

  const controlPlane = scenarios.add(async () => {
    const s = sandbox({ os: 'debian', ips: ['192.168.56.10'] });
    const run = await s.run('control-plane.sh', scripts['control-plane.sh'], [], { SUDO_USER: 'alice' });
    return { s, run };
  });

  const dryRunSecrets = scenarios.add(async () => {
    const s = sandbox({ os: 'debian', ips: ['192.168.56.10'] });
    await s.run('control-plane.sh', scripts['control-plane.sh']);
    // The admin credentials changed (e.g. renewed certificates): a dry run must not print them.
    s.write('etc/kubernetes/admin.conf', 'apiVersion: v1\nkind: Config\nclient-key-data: U0VDUkVULUtFWQ==\n');
    return { s, run: await s.run('control-plane.sh', scripts['control-plane.sh'], ['--dry-run']) };
  });

  const joinFile = scenarios.add(async () => {
    const s = sandbox({ os: 'debian', ips: ['192.168.56.11'], hostname: 'w1' });
    const content = `KUBEADM_JOIN_ENDPOINT=192.168.56.10:6443\nKUBEADM_JOIN_TOKEN=${TOKEN}\nKUBEADM_JOIN_CA_HASH=${SANDBOX_CA_HASH}\n`;
    const loose = `${s.root}/../join.env`;
    fs.writeFileSync(loose, content, { mode: 0o644 });
    const refused = await s.run('worker.sh', scripts['worker.sh'], ['--join-file', loose]);
    fs.chmodSync(loose, 0o600);
    const joined = await s.run('worker.sh', scripts['worker.sh'], ['--join-file', loose]);
    const again = await s.run('worker.sh', scripts['worker.sh'], ['--join-file', loose]);
    return { s, refused, joined, again };
  });

  const mirrorDown = scenarios.add(async () => {
    const s = sandbox({ os: 'debian', ips: ['192.168.56.11'], hostname: 'w1', kubernetesMirror: 'down' });
    return { s, run: await s.run('prepare-node.sh', scripts['prepare-node.sh']) };
  });
  const mirrorAfterKey = scenarios.add(async () => {
    const s = sandbox({ os: 'debian', ips: ['192.168.56.11'], hostname: 'w1', kubernetesMirror: 'after-key' });
    const run = await s.run('prepare-node.sh', scripts['prepare-node.sh']);
    return { s, run, after: s.snapshot() };
  });
  const mirrorAfterKeyRocky = scenarios.add(async () => {
    const s = sandbox({ os: 'rocky', ips: ['192.168.56.11'], hostname: 'w1', kubernetesMirror: 'after-key' });
    return { s, run: await s.run('prepare-node.sh', scripts['prepare-node.sh']) };
  });
  const noIp = scenarios.add(async () => {
    const s = sandbox({ os: 'debian', ips: ['192.168.56.11'], hostname: 'w1', without: ['ip', 'ss'] });
    const before = s.snapshot();
    return { s, before, run: await s.run('prepare-node.sh', scripts['prepare-node.sh']), after: s.snapshot() };
  });
  const noIpRocky = scenarios.add(async () => {
    const s = sandbox({ os: 'rocky', ips: ['192.168.56.11'], hostname: 'w1', without: ['ip'] });
    return { s, run: await s.run('prepare-node.sh', scripts['prepare-node.sh']) };
  });

  const k134 = (props: Parameters<typeof build>[0]) => build({ kubernetesVersion: '1.34.1', ...props }).prereqs.prepareNodeScript;
  const bookworm = scenarios.add(async () => {
    const s = sandbox({ os: 'debian', ips: ['192.168.56.11'], hostname: 'w1', containerdVersion: '1.6.20', offeredKubernetesVersion: '1.34.1' });
    return { s, run: await s.run('prepare-node.sh', k134({ containerdSource: ContainerdSource.osPackages() })) };
  });
  const preinstalledOld = scenarios.add(async () => {
    const s = sandbox({ os: 'rocky', ips: ['192.168.56.11'], hostname: 'w1', containerdVersion: '1.7.24', offeredKubernetesVersion: '1.34.1' });
    return { s, run: await s.run('prepare-node.sh', k134({ containerdSource: ContainerdSource.preinstalled() })) };
  });
  const supported = scenarios.add(async () => {
    const s = sandbox({ os: 'debian', ips: ['192.168.56.11'], hostname: 'w1', containerdVersion: '2.1.4', offeredKubernetesVersion: '1.34.1' });
    return { s, run: await s.run('prepare-node.sh', k134({})) };
  });

  test('a re-run with held packages is a no-op, even after the mirror published a new build of the version', () => {
    const { s, first, afterFirst, second, afterSecond, freshRun } = rebuilt();
    expect(first.status).toBe(0);
    expect(first.commands).toContain('apt-get install -y kubelet=1.33.1-1.1 kubeadm=1.33.1-1.1 kubectl=1.33.1-1.1');
    expect(s.stateOf('held')).toBe('kubelet\nkubeadm\nkubectl\n');
    // Before the fix, 'hold ok installed' did not count as installed: apt-get update, then
    // "E: Held packages were changed and -y was used without --allow-change-held-packages" (exit 100).
    expect(second.stderr).not.toContain('Held packages were changed');
    expect(second.status).toBe(0);
    expect(second.commands.filter((c) => c.startsWith('apt-get'))).toEqual([]);
    expect(mutations(second)).toEqual([]);
    expect(afterSecond).toEqual(afterFirst);
    expect(second.stderr).toMatch(/done: nothing to change\n$/);
    // A new node gets the newest build of the pinned version.
    expect(freshRun.status).toBe(0);
    expect(freshRun.commands).toContain('apt-get install -y kubelet=1.33.1-2.1 kubeadm=1.33.1-2.1 kubectl=1.33.1-2.1');
  });

  test("dpkg's states: config-files and not-installed are not installed; an installed package is kept", () => {
    const { run } = dpkgStates();
    expect(run.status).toBe(0);
    expect(run.commands).toContain('apt-get install -y ca-certificates gpg chrony');
    expect(run.commands).toContain('apt-get install -y containerd.io');
    // kubelet 1.33.1 is installed: only the other two are installed, and all three held.
    expect(run.commands).toContain('apt-get install -y kubeadm=1.33.1-1.1 kubectl=1.33.1-1.1');
    expect(run.commands.filter((c) => c.startsWith('apt-mark hold'))).toEqual(['apt-mark hold kubelet', 'apt-mark hold kubeadm', 'apt-mark hold kubectl']);
  });

  test('control-plane.sh: init prints no token, its token is deleted, secret files are 0600 before any byte', () => {
    const { s, run } = controlPlane();
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(/0123456789abcd\d\d/);
    expect(run.commands).toContain(`kubeadm token delete abcd01 --kubeconfig ${s.root}/etc/kubernetes/admin.conf`);
    // Token 1 (kubeadm init's) is gone; token 2 (the join command's) stays.
    expect(s.stateOf('deleted-tokens')).toBe('1\n');
    expect(s.stateOf('token-descriptions')).toBe('1 kubeadm init token, deleted by control-plane.sh\n2 cdk8s-spark join command\n');
    for (const file of ['etc/kubernetes/join-command', 'home/alice/.kube/config']) {
      expect(s.mode(file)).toBe('600');
      const chmods = s.stateOf('chmod.log')!.split('\n').filter((l) => l.startsWith(`${s.root}/${file} `));
      expect(chmods.length).toBeGreaterThan(0);
      // "path mode-before size-before new-mode": never a group/other-readable file with content.
      for (const line of chmods) {
        const [, modeBefore, sizeBefore] = line.split(' ');
        // The last two octal digits are the group and other permissions.
        expect({ line, exposed: parseInt(sizeBefore, 10) > 0 && !modeBefore.endsWith('00') }).toEqual({ line, exposed: false });
      }
    }
  });

  test('--dry-run shows no contents of files readable by root only', () => {
    const { run } = dryRunSecrets();
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('dry-run: would write /root/.kube/config (mode 0600)');
    expect(run.stderr).toContain('dry-run: contents of /root/.kube/config not shown (readable by root only)');
    expect(run.stderr).not.toContain('U0VDUkVULUtFWQ==');
  });

  test('worker.sh --join-file: refused while readable by others; joins once; the token in no argv', () => {
    const { refused, joined, again } = joinFile();
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/error: the join file \S+join.env has mode 644: it holds a secret, so it must be readable by its owner only/);
    expect(refused.commands).toEqual([]);
    expect(joined.status).toBe(0);
    expect(joined.commands.filter((c) => c.startsWith('kubeadm join'))).toHaveLength(1);
    expect([...joined.commands, ...again.commands].join('\n')).not.toContain(TOKEN);
    expect(joined.stderr + again.stderr).not.toContain(TOKEN);
    expect(again.status).toBe(0);
    expect(mutations(again)).toEqual([]);
  });

  test('a package mirror that is down: curl failure noticed, nothing of the repository left behind', () => {
    const { s, run } = mirrorDown();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error: cannot download the signing key https://pkgs.k8s.io/core:/stable:/v1.33/deb/Release.key '
      + '(curl exit status 7; its message is above); /etc/apt/keyrings/kubernetes-apt-keyring.asc was left as it was');
    expect(run.stderr).not.toContain('fingerprint (none');
    expect(s.exists('etc/apt/keyrings/kubernetes-apt-keyring.asc')).toBe(false);
    expect(s.exists('etc/apt/sources.list.d/kubernetes.list')).toBe(false);
  });

  test('a mirror failing after the key download: key and sources this run added are removed', () => {
    const { s, run } = mirrorAfterKey();
    expect(run.status).toBe(1);
    expect(run.commands).toContain('apt-get update -o APT::Update::Error-Mode=any');
    expect(run.stderr).toContain('error: apt-get update failed (exit status 100; its messages are above): a package repository is unreachable or broken');
    for (const file of ['/etc/apt/keyrings/kubernetes-apt-keyring.asc', '/etc/apt/sources.list.d/kubernetes.list',
      '/etc/apt/keyrings/docker.asc', '/etc/apt/sources.list.d/docker.list']) {
      expect(run.stderr).toContain(`rolled back: removed ${file}, which this run had added`);
      expect(s.exists(file.slice(1))).toBe(false);
    }
    expect(run.stderr).toContain("the changes of the steps before 'containerd (docker)' are kept; run the script again once the cause is fixed");
    expect(run.commands.some((c) => c.startsWith('apt-get install -y containerd.io'))).toBe(false);
  });

  test('RHEL family: dnf failing on the mirror rolls back the yum repository and key this run added', () => {
    const { s, run } = mirrorAfterKeyRocky();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("Error: Failed to download metadata for repo 'kubernetes'");
    expect(run.stderr).toContain('error: dnf install containerd.io failed (exit status 1; its messages are above)');
    for (const file of ['/etc/pki/rpm-gpg/kubernetes.asc', '/etc/yum.repos.d/kubernetes.repo', '/etc/pki/rpm-gpg/docker.asc',
      '/etc/yum.repos.d/docker-ce.repo']) {
      expect(run.stderr).toContain(`rolled back: removed ${file}, which this run had added`);
      expect(s.exists(file.slice(1))).toBe(false);
    }
  });

  test('missing commands are named with their packages before anything changes', () => {
    const { before, run, after } = noIp();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error: missing commands: ip (package iproute2) ss (package iproute2); '
      + 'install them (e.g. apt-get install iproute2) and run again; nothing was changed');
    expect(run.stderr).not.toContain('command not found');
    expect(after).toEqual(before);
    expect(mutations(run)).toEqual([]);
    expect(noIpRocky().run.stderr).toContain('error: missing commands: ip (package iproute); install them (e.g. dnf install iproute)');
  });

  // containerd/containerd RELEASES.md, "Kubernetes Support": 1.34 needs 2.1.3+, 2.0.6+, 1.7.28+ or 1.6.39+.
  test("containerd older than containerd's table for the Kubernetes minor is refused, with the way out", () => {
    const { run } = bookworm();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('error: containerd 1.6.20 (package containerd from the distribution) is too old for Kubernetes 1.34: '
      + "containerd's RELEASES.md recommends 2.1.3+ 2.0.6+ 1.7.28+ 1.6.39+ for it. Install containerd.io from Docker's repository "
      + '(ContainerdSource.dockerRepository(), the default) or a newer backport');
    expect(run.commands.some((c) => c.startsWith('apt-get install -y containerd'))).toBe(false);
    const old = preinstalledOld().run;
    expect(old.status).toBe(1);
    expect(old.stderr).toContain('error: containerd 1.7.24 (installed) is too old for Kubernetes 1.34');
    const ok = supported().run;
    expect(ok.status).toBe(0);
    expect(ok.stderr).toContain('containerd 2.1.4 (package containerd.io from Docker\'s repository) is supported for Kubernetes 1.34');
  });
});

describe('highly available control plane: three control-plane nodes, two workers', () => {
  const { app, prereqs } = build({ controlPlaneEndpoint: HA_ENDPOINT }, { nodes: HA_NODES });
  const scripts = scriptsOf(prereqs);
  const sandboxes: Sandbox[] = [];
  afterAll(() => sandboxes.forEach((s) => s.dispose()));

  test('synthesizes every script, control-plane-join.sh included, each passing bash -n, shellcheck and shfmt', async () => {
    app.synth();
    expect(fs.readdirSync(`${app.outdir}/nodes`).sort()).toEqual(['control-plane-join.sh', 'control-plane.sh', 'kubeadm-config.yaml',
      'new-join-command.sh', 'prepare-node.sh', 'worker.sh']);
    expect(prereqs.kubeadmConfig).toContain(`controlPlaneEndpoint: ${HA_ENDPOINT}\n`);
    await checkScripts(scripts);
    // With kube-vip, whose static pod is a multi-line setting.
    const withVip = scriptsOf(build({ kubeVip: { address: VIP } }, { nodes: HA_NODES }).prereqs);
    await checkScripts(Object.fromEntries(Object.entries(withVip).map(([name, content]) => [`vip-${name}`, content])));
  }, 180_000);

  test('cp1 initializes; cp2 joins the control plane with the certificate key from stdin, once', async () => {
    const cp1 = new Sandbox({ os: 'debian', ips: ['192.168.56.10'] });
    const cp2 = new Sandbox({ os: 'debian', ips: ['192.168.56.20'], hostname: 'cp2' });
    sandboxes.push(cp1, cp2);
    const init = await cp1.run('control-plane.sh', scripts['control-plane.sh']);
    expect(init.status).toBe(0);
    // kubeadm init uploads the certificates with a key made beforehand, passed in a 0600 copy of the configuration.
    const generated = cp1.stateOf('generated-keys')!.trim();
    expect(init.commands).toContain('kubeadm certs certificate-key');
    expect(init.commands.filter((c) => c.startsWith('kubeadm init'))).toEqual([
      expect.stringMatching(/^kubeadm init --config \/\S+\/init-configuration.yaml --skip-token-print --upload-certs --skip-certificate-key-print$/),
    ]);
    expect(cp1.stateOf('certificate-keys')).toBe(`${generated}\n`);
    expect(init.stdout + init.stderr + init.commands.join('\n')).not.toContain(generated);
    expect(cp1.read('etc/kubernetes/cdk8s-spark-certificate-key')).toBe(`${generated}\n`);
    expect(cp1.mode('etc/kubernetes/cdk8s-spark-certificate-key')).toBe('600');

    const params = await cp1.run('new-join-command.sh', scripts['new-join-command.sh'], ['--control-plane']);
    expect(params.status).toBe(0);
    const key = /^KUBEADM_JOIN_CERTIFICATE_KEY=([a-f0-9]{64})$/m.exec(params.stdout)![1];
    // Within 100 minutes of the upload, the key of init's upload is reused: nothing changes.
    expect(key).toBe(generated);
    expect(params.stderr).toMatch(/done: nothing to change\n$/);
    // Later, the certificates are uploaded again with a new key.
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000);
    fs.utimesSync(`${cp1.root}/etc/kubernetes/cdk8s-spark-certificate-key`, threeHoursAgo, threeHoursAgo);
    const later = await cp1.run('new-join-command.sh', scripts['new-join-command.sh'], ['--control-plane']);
    expect(later.commands).toContain(`kubeadm init phase upload-certs --upload-certs --kubeconfig ${cp1.root}/etc/kubernetes/admin.conf`);
    const newKey = /^KUBEADM_JOIN_CERTIFICATE_KEY=([a-f0-9]{64})$/m.exec(later.stdout)![1];
    expect(newKey).not.toBe(generated);
    expect(cp1.read('etc/kubernetes/cdk8s-spark-certificate-key')).toBe(`${newKey}\n`);
    expect(later.stderr).not.toContain(newKey);
    // The cluster's state as cp2 sees it: the uploaded certificates and one etcd member.
    cp2.setState('certificate-keys', cp1.stateOf('certificate-keys')!);
    cp2.setState('etcd-members', cp1.stateOf('etcd-members')!);

    const joined = await cp2.run('control-plane-join.sh', scripts['control-plane-join.sh'], ['--join-file', '-'], {}, later.stdout);
    expect(joined.status).toBe(0);
    const config = parseYamlDocuments(cp2.stateOf('join-configuration')!)[0];
    expect(config.controlPlane).toEqual({ certificateKey: newKey, localAPIEndpoint: { advertiseAddress: '192.168.56.20', bindPort: 6443 } });
    expect(config.nodeRegistration.name).toBe('cp2');
    for (const secret of [newKey, config.discovery.bootstrapToken.token]) {
      expect(joined.commands.join('\n')).not.toContain(secret);
      expect(joined.stderr + joined.stdout).not.toContain(secret);
    }
    expect(joined.stderr).toContain('etcd has 2 member(s); 3 control-plane node(s) are declared');
    expect(joined.stderr).toContain('warning: 2 etcd members tolerate no more failures than 1');
    expect(cp2.read('root/.kube/config')).toBe(cp2.read('etc/kubernetes/admin.conf'));
    // Control-plane ports are opened on cp2 too.
    expect(cp2.stateOf('ufw-rules')).toContain('ufw allow 2379:2380/tcp\n');

    const afterJoin = cp2.snapshot();
    const again = await cp2.run('control-plane-join.sh', scripts['control-plane-join.sh']);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('kubeadm join skipped');
    expect(mutations(again)).toEqual([]);
    expect(cp2.snapshot()).toEqual(afterJoin);

    // The same parameters piped into worker.sh join a worker: the certificate key is dropped.
    const w1 = new Sandbox({ os: 'debian', ips: ['192.168.56.11'], hostname: 'w1' });
    sandboxes.push(w1);
    const worker = await w1.run('worker.sh', scripts['worker.sh'], ['--join-file', '-'], {}, params.stdout);
    expect(worker.status).toBe(0);
    expect(worker.stderr).toContain('ignoring KUBEADM_JOIN_CERTIFICATE_KEY: worker.sh joins this machine as a worker');
    expect(parseYamlDocuments(w1.stateOf('join-configuration')!)[0].controlPlane).toBeUndefined();

    // A stale member beyond the declared three is reported, not ignored.
    cp2.setState('etcd-members', '4\n');
    const stale = await cp2.run('control-plane-join.sh', scripts['control-plane-join.sh']);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('error: etcd has 4 members but only 3 control-plane nodes are declared');
  }, 180_000);

  test('refused without a load balancer endpoint, or with an even number of control-plane nodes', () => {
    expect(() => build({}, { nodes: HA_NODES })).toThrow('cluster/Nodes: invalid controlPlaneEndpoint (undefined): a load balancer or DNS name '
      + 'in front of all 3 control-plane nodes (cp1, cp2, cp3), e.g. "k8s-api.example.com:6443", or kubeVip: required with more than one');
    expect(() => build({ controlPlaneEndpoint: HA_ENDPOINT }, { nodes: HA_NODES.filter((n) => n.name !== 'cp3') }))
      .toThrow('cluster/Nodes: invalid network "2 control-plane nodes": an odd number of control-plane nodes (1, 3, 5)');
  });
});

describe('kube-vip: the control-plane virtual IP as static pods the scripts write', () => {
  const { prereqs } = build({ kubeVip: { address: VIP } }, { nodes: HA_NODES });
  const scripts = scriptsOf(prereqs);
  const sandboxes: Sandbox[] = [];
  afterAll(() => sandboxes.forEach((s) => s.dispose()));

  test('first node: kube-vip with super-admin.conf before kubeadm init, admin.conf after; joined nodes: after the join', async () => {
    const cp1 = new Sandbox({ os: 'debian', ips: ['10.0.2.15', '192.168.56.10'] });
    const cp3 = new Sandbox({ os: 'debian', ips: ['192.168.56.30'], hostname: 'cp3' });
    sandboxes.push(cp1, cp3);
    const init = await cp1.run('control-plane.sh', scripts['control-plane.sh']);
    expect(init.status).toBe(0);
    const atInit = parseYamlDocuments(cp1.stateOf('kube-vip-at-init.yaml')!)[0];
    // Kubernetes 1.33: admin.conf has no rights until kubeadm init grants them.
    expect(atInit.spec.volumes).toEqual([{ name: 'kubeconfig', hostPath: { path: '/etc/kubernetes/super-admin.conf', type: 'File' } }]);
    const env = Object.fromEntries(atInit.spec.containers[0].env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    // The ip stub numbers interfaces from eth2: the node's address is on the second one.
    expect(env).toMatchObject({ address: VIP, vip_interface: 'eth3', port: '6443', vip_arp: 'true', cp_enable: 'true' });
    const after = parseYamlDocuments(cp1.read('etc/kubernetes/manifests/kube-vip.yaml'))[0];
    expect(after.spec.volumes[0].hostPath.path).toBe('/etc/kubernetes/admin.conf');
    expect(cp1.mode('etc/kubernetes/manifests/kube-vip.yaml')).toBe('600');
    expect(cp1.read('etc/kubernetes/kubeadm-config.yaml')).toContain(`controlPlaneEndpoint: ${VIP}:6443\n`);
    // A second run on the first node changes nothing (the manifest already names admin.conf).
    const initAgain = await cp1.run('control-plane.sh', scripts['control-plane.sh']);
    expect(initAgain.status).toBe(0);
    expect(mutations(initAgain)).toEqual([]);
    expect(initAgain.stderr).toMatch(/done: nothing to change\n$/);

    const params = await cp1.run('new-join-command.sh', scripts['new-join-command.sh'], ['--control-plane']);
    cp3.setState('certificate-keys', cp1.stateOf('certificate-keys')!);
    cp3.setState('etcd-members', '2\n');
    // The stub's kubeadm join fails on a non-empty manifests directory, as kubeadm's preflight does.
    const joined = await cp3.run('control-plane-join.sh', scripts['control-plane-join.sh'], ['--join-file', '-'], {}, params.stdout);
    expect(joined.status).toBe(0);
    expect(joined.stderr).toContain('etcd has 3 member(s); 3 control-plane node(s) are declared');
    const cp3Pod = parseYamlDocuments(cp3.read('etc/kubernetes/manifests/kube-vip.yaml'))[0];
    expect(cp3Pod.spec.volumes[0].hostPath.path).toBe('/etc/kubernetes/admin.conf');
    expect(cp3Pod.spec.containers[0].env).toContainEqual({ name: 'vip_interface', value: 'eth2' });
    const again = await cp3.run('control-plane-join.sh', scripts['control-plane-join.sh']);
    expect(again.status).toBe(0);
    expect(mutations(again)).toEqual([]);
  }, 180_000);
});
