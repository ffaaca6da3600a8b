// KubeadmClusterPrereqs' node scripts: bash -n, shellcheck and shfmt, then runs
// in a sandbox (a fake root with stub commands). Apart from the construct's
// unit tests because they run external tools and the real bash scripts, which
// takes seconds, not milliseconds.
import * as fs from 'fs';
import * as path from 'path';
import { build, CA, MIRRORS, scriptsOf } from './kubeadm-fixtures';
import { ContainerdMirror, ContainerdSource, FirewallMode } from '../../src';
import { disposableSandboxes, KEY_FINGERPRINTS, SANDBOX_CA_HASH, Sandbox, SandboxOptions, SandboxRun } from '../harness/sandbox';
import { Scenarios } from '../harness/scenarios';
import { checkScripts } from '../harness/scripts';
import { parseYamlDocuments } from '../harness/yaml';

const TOKEN = 'abcdef.0123456789abcdef';
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

test('every script passes bash -n, shellcheck and shfmt as emitted', async () => {
  // With registry mirrors, so that multi-line settings are checked too.
  const { prereqs } = build({ registryMirrors: MIRRORS });
  await checkScripts(scriptsOf(prereqs));
}, 180_000);

describe('node scripts, run in a sandbox', () => {
  const scripts = scriptsOf(build().prereqs);
  const sandbox = disposableSandboxes();

  // Scenarios that need no other scenario's sandbox run side by side (each in
  // its own sandbox); a test reads its scenario's result.
  const scenarios = new Scenarios();
  beforeAll(() => scenarios.run(), 300_000);

  /** Runs a script twice, recording the file snapshot before and after each run. */
  async function twice(s: Sandbox, name: string, args: string[] = [], env: Record<string, string> = {}) {
    const initial = s.snapshot();
    const first = await s.run(name, scripts[name], args, env);
    const afterFirst = s.snapshot();
    const second = await s.run(name, scripts[name], args, env);
    return { s, initial, first, afterFirst, second, afterSecond: s.snapshot() };
  }

  /** Runs a script once in a new sandbox, recording the file snapshot before and after. */
  async function once(options: SandboxOptions, name: string, args: string[] = [], env: Record<string, string> = {}) {
    const s = sandbox(options);
    const before = s.snapshot();
    const run = await s.run(name, scripts[name], args, env);
    return { s, before, run, after: s.snapshot() };
  }

  const joinEnv = { KUBEADM_JOIN_TOKEN: TOKEN, KUBEADM_JOIN_CA_HASH: SANDBOX_CA_HASH };
  // The longest scenarios first.
  const mirrorRuns = scenarios.add(async () => {
    const s = sandbox({ os: 'ubuntu', ips: ['192.168.56.11'], containerdVersion: '2.1.4', hostname: 'w1' });
    const withMirrors = build({ registryMirrors: MIRRORS }).prereqs.prepareNodeScript;
    // A host configuration the user wrote by hand is never touched.
    const own = 'server = "https://quay.io"\n';
    s.write('etc/containerd/certs.d/quay.io/hosts.toml', own);
    const before = s.snapshot();
    const first = await s.run('prepare-node.sh', withMirrors);
    const files = {
      dockerHosts: s.read('etc/containerd/certs.d/docker.io/hosts.toml'),
      dockerCa: s.read('etc/containerd/certs.d/docker.io/cdk8s-spark-ca.crt'),
      privateHosts: s.read('etc/containerd/certs.d/10.96.0.60:5000/hosts.toml'),
      privateCaExists: s.exists('etc/containerd/certs.d/10.96.0.60:5000/cdk8s-spark-ca.crt'),
      dockerHostsMode: s.mode('etc/containerd/certs.d/docker.io/hosts.toml'),
      containerdConfig: s.read('etc/containerd/config.toml'),
    };
    const afterFirst = s.snapshot();
    const second = await s.run('prepare-node.sh', withMirrors);
    const afterSecond = s.snapshot();
    // Drop the Docker Hub mirror and trust the private registry by a CA file instead.
    const fewer = build({ registryMirrors: [ContainerdMirror.of({ registry: '10.96.0.60:5000', caFile: '/etc/pki/lab-ca.pem' })] })
      .prereqs.prepareNodeScript;
    const planned = await s.run('prepare-node.sh', fewer, ['--dry-run']);
    const afterPlanned = s.snapshot();
    const pruned = await s.run('prepare-node.sh', fewer);
    return { s, own, before, first, files, afterFirst, second, afterSecond, planned, afterPlanned, pruned };
  });
  const cpRuns = scenarios.add(() => twice(sandbox({ os: 'debian', ips: ['192.168.56.10'] }), 'control-plane.sh'));
  const rhelRuns = scenarios.add(() => twice(sandbox({ os: 'rocky', ips: ['10.0.2.15', '192.168.56.10'], containerdVersion: '1.7.27' }),
    'control-plane.sh', ['--node-name', 'cp1'], { SUDO_USER: 'alice' }));
  const workerRuns = scenarios.add(() => twice(sandbox({ os: 'ubuntu', ips: ['192.168.56.11'], containerdVersion: '2.1.4', hostname: 'w1' }),
    'worker.sh', [], joinEnv));
  const dryRuns = scenarios.add(() => once({ os: 'debian', ips: ['192.168.56.10'] }, 'control-plane.sh', ['--dry-run']));
  const noNodesRuns = scenarios.add(async () => {
    const { prereqs } = build({ firewall: FirewallMode.DISABLE, containerdSource: ContainerdSource.osPackages() }, {});
    const s = sandbox({ os: 'rocky', without: ['dnf'] });
    const missingRole = await s.run('prepare-node.sh', prereqs.prepareNodeScript);
    const run = await s.run('prepare-node.sh', prereqs.prepareNodeScript, ['--role', 'worker']);
    return { s, missingRole, run };
  });
  const wrongKeyRun = scenarios.add(() => once({ os: 'debian', ips: ['192.168.56.10'], keyFingerprint: 'A'.repeat(40) }, 'control-plane.sh'));

  /** A refusal: the script exits 1 with the message, changing no file and running no mutating command. */
  type Refusal = Awaited<ReturnType<typeof once>>;
  const refusal = (options: SandboxOptions, name: string, args: string[] = [], env: Record<string, string> = {}) =>
    scenarios.add(() => once(options, name, args, env));
  function expectRefused(r: Refusal, message: string): SandboxRun {
    expect(r.run.stderr).toContain(message);
    expect(r.run.status).toBe(1);
    expect(r.after).toEqual(r.before);
    expect(mutations(r.run)).toEqual([]);
    return r.run;
  }
  const refusals = {
    noJoinParameters: refusal({ os: 'debian', ips: ['192.168.56.11'] }, 'worker.sh'),
    malformedToken: refusal({ os: 'debian', ips: ['192.168.56.11'] }, 'worker.sh',
      ['--discovery-token-ca-cert-hash', SANDBOX_CA_HASH], { KUBEADM_JOIN_TOKEN: 'NOT-A-TOKEN-secret' }),
    tokenArgument: refusal({ os: 'debian', ips: ['192.168.56.11'] }, 'worker.sh',
      ['--token', TOKEN, '--discovery-token-ca-cert-hash', SANDBOX_CA_HASH]),
    notRoot: refusal({ os: 'debian', ips: ['192.168.56.10'], uid: 1000 }, 'control-plane.sh'),
    littleMemory: refusal({ os: 'debian', ips: ['192.168.56.10'], memoryMib: 1024 }, 'control-plane.sh'),
    fewCpus: refusal({ os: 'debian', ips: ['192.168.56.10'], cpus: 1 }, 'control-plane.sh'),
    portInUse: refusal({ os: 'rocky', ips: ['192.168.56.10'], listeningPorts: [22, 6443] }, 'control-plane.sh'),
    alpine: refusal({ os: 'alpine', ips: ['192.168.56.10'] }, 'control-plane.sh'),
    undeclaredAddress: refusal({ os: 'debian', ips: ['10.9.9.9'] }, 'control-plane.sh'),
    workerAddress: refusal({ os: 'debian', ips: ['192.168.56.11'] }, 'control-plane.sh'),
    otherNodeName: refusal({ os: 'debian', ips: ['192.168.56.11'] }, 'control-plane.sh', ['--node-name', 'cp1']),
    clonedHostname: refusal({ os: 'debian', ips: ['192.168.56.11'], hostname: 'cp1' }, 'worker.sh', [], joinEnv),
  };

  test('control-plane.sh on Debian prepares the node and initializes the control plane', () => {
    const cp = cpRuns();
    const debian = cp.s;
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
      `kubeadm init --config ${debian.root}/etc/kubernetes/kubeadm-config.yaml --skip-token-print`,
    ]);
    expect(debian.read('root/.kube/config')).toBe(debian.read('etc/kubernetes/admin.conf'));
    expect(debian.mode('root/.kube/config')).toBe('600');
    // Token 1 is kubeadm init's own, token 2 the join command's.
    expect(debian.read('etc/kubernetes/join-command')).toMatch(
      new RegExp(`^kubeadm join 192.168.56.10:6443 --token abcd02.0123456789abcd02 --discovery-token-ca-cert-hash ${SANDBOX_CA_HASH}`));
    expect(debian.mode('etc/kubernetes/join-command')).toBe('600');
    expect(cp.first.stderr).not.toContain('0123456789abcd02');
    expect(cp.first.stderr).toMatch(/done: \d+ change\(s\)\n$/);
  });

  test('a second run of control-plane.sh changes nothing and does not re-run kubeadm init', () => {
    const cp = cpRuns();
    expect(cp.second.status).toBe(0);
    expect(cp.afterSecond).toEqual(cp.afterFirst);
    expect(mutations(cp.second)).toEqual([]);
    expect(cp.second.stderr).toContain('kubeadm init skipped');
    expect(cp.second.stderr).toMatch(/done: nothing to change\n$/);
    // The first run did change files, so the comparison above is meaningful.
    expect(Object.keys(cp.afterFirst).length).toBeGreaterThan(Object.keys(cp.initial).length);
  });

  test('control-plane.sh on Rocky Linux: dnf, SELinux, firewalld, repository excludes', () => {
    const rhel = rhelRuns();
    const rocky = rhel.s;
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
    const rhel = rhelRuns();
    expect(rhel.second.status).toBe(0);
    expect(rhel.afterSecond).toEqual(rhel.afterFirst);
    expect(mutations(rhel.second)).toEqual([]);
    expect(rhel.second.stderr).toMatch(/done: nothing to change\n$/);
  });

  test('worker.sh on Ubuntu with containerd 2.x joins once, with parameters from the environment', () => {
    const worker = workerRuns();
    const ubuntu = worker.s;
    expect(worker.first.status).toBe(0);
    const containerd = ubuntu.read('etc/containerd/config.toml');
    expect(containerd).toMatch(/^version = 3\n/);
    // containerd 2.x prints no SystemdCgroup key: it is added to the runc options table.
    expect(containerd).toMatch(/\[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options\]\n\s+BinaryName = ''\n\s+ShimCgroup = ''\n\s+SystemdCgroup = true\n/);
    expect(containerd).toMatch(/\[plugins.'io.containerd.cri.v1.images'.pinned_images\]\n\s+sandbox = "registry.k8s.io\/pause:3.10"\n/);
    expect(containerd).toMatch(/\[plugins.'io.containerd.cri.v1.images'.registry\]\n\s+config_path = "\/etc\/containerd\/certs.d"\n/);
    expect(ubuntu.read('etc/apt/sources.list.d/docker.list')).toBe(
      'deb [arch=amd64 signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/ubuntu noble stable\n');
    // The token reaches kubeadm in a JoinConfiguration file (the stub checked its mode 600), never in argv or the log.
    expect(worker.first.commands.filter((c) => c.startsWith('kubeadm join'))).toEqual([
      expect.stringMatching(/^kubeadm join --config \/\S+\/join-configuration.yaml$/),
    ]);
    expect(worker.first.commands.join('\n')).not.toContain(TOKEN);
    expect(worker.first.stderr).toContain('run: kubeadm join --config ');
    expect(worker.first.stderr).not.toContain(TOKEN);
    expect(parseYamlDocuments(ubuntu.stateOf('join-configuration')!)).toEqual([{
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'JoinConfiguration',
      discovery: { bootstrapToken: { apiServerEndpoint: '192.168.56.10:6443', token: TOKEN, caCertHashes: [SANDBOX_CA_HASH] } },
      nodeRegistration: { criSocket: 'unix:///var/run/containerd/containerd.sock', name: 'w1' },
    }]);
    // The file is gone with the work directory.
    const join = worker.first.commands.find((c) => c.startsWith('kubeadm join'))!;
    expect(fs.existsSync(join.split(' ').pop()!)).toBe(false);
    // Worker ports only.
    expect(ubuntu.stateOf('ufw-rules')).not.toContain('6443');
    expect(ubuntu.stateOf('ufw-rules')).toContain('ufw allow 10250/tcp');
    expect(worker.first.commands.some((c) => c.startsWith('kubeadm init'))).toBe(false);
  });

  test('a second worker.sh run changes nothing and does not join again', () => {
    const worker = workerRuns();
    expect(worker.second.status).toBe(0);
    expect(worker.afterSecond).toEqual(worker.afterFirst);
    expect(mutations(worker.second)).toEqual([]);
    expect(worker.second.stderr).toContain('kubeadm join skipped');
  });

  test('--dry-run prints the plan and changes nothing', () => {
    const dryRun = dryRuns();
    const dry = dryRun.s;
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

  // Runs here, after the tests above have read the Debian sandbox, because it renews the join command there.
  test('new-join-command.sh prints the join parameters, making a new token only when the old one expired', async () => {
    const debian = cpRuns().s;
    const run = (args: string[] = []) => debian.run('new-join-command.sh', scripts['new-join-command.sh'], args);
    const line = (n: string) => '# Join parameters (secret: readable by root only, never on a command line).\n'
      + `KUBEADM_JOIN_ENDPOINT=192.168.56.10:6443\nKUBEADM_JOIN_TOKEN=abcd${n}.0123456789abcd${n}\nKUBEADM_JOIN_CA_HASH=${SANDBOX_CA_HASH}\n`;
    const before = debian.snapshot();
    const valid = await run();
    expect(valid.status).toBe(0);
    expect(valid.stdout).toBe(line('02'));
    expect(valid.stderr).toContain('is still valid (its token expires in 23h)');
    expect(mutations(valid)).toEqual([]);
    expect(debian.snapshot()).toEqual(before);

    fs.writeFileSync(path.join(debian.state, 'expired-tokens'), '2\n');
    const planned = await run(['--dry-run']);
    expect(planned.status).toBe(0);
    expect(planned.stdout).toBe('');
    expect(planned.stderr).toContain('dry-run: would run: kubeadm token create --print-join-command');
    expect(mutations(planned)).toEqual([]);
    const renewed = await run();
    expect(renewed.status).toBe(0);
    expect(renewed.stdout).toBe(line('03'));
    expect(renewed.commands).toContain('kubeadm token create --print-join-command --description cdk8s-spark join command '
      + `--kubeconfig ${debian.root}/etc/kubernetes/admin.conf`);
    expect(debian.read('etc/kubernetes/join-command')).toContain('--token abcd03.0123456789abcd03');
    expect(debian.mode('etc/kubernetes/join-command')).toBe('600');
    expect(renewed.stderr).not.toContain('0123456789abcd03');
    // No command ever had a token in its arguments (the old awk -v token=... did).
    expect([...valid.commands, ...renewed.commands].join('\n')).not.toMatch(/0123456789abcd\d\d/);
    const forced = await run(['--force']);
    expect(forced.stdout).toBe(line('04'));
    // What it prints is what worker.sh reads.
    const joined = await sandbox({ os: 'debian', ips: ['192.168.56.12'], hostname: 'w2' })
      .run('worker.sh', scripts['worker.sh'], ['--join-file', '-'], {}, forced.stdout);
    expect(joined.status).toBe(0);
    expect(joined.commands.join('\n')).not.toContain('0123456789abcd04');
  }, 180_000);

  test('prepare-node.sh without declared nodes: --role, yum fallback, firewall disabled', () => {
    const { s, missingRole, run } = noNodesRuns();
    expect(missingRole.status).toBe(1);
    expect(missingRole.stderr).toContain('error: cannot tell whether this is a control-plane or a worker node; pass --role');
    expect(run.status).toBe(0);
    expect(run.commands).toContain('systemctl disable --now firewalld');
    expect(run.commands).toContain('yum install -y containerd');
    expect(run.commands).toContain('yum install -y --disableexcludes=kubernetes kubelet-1.33.1 kubeadm-1.33.1 kubectl-1.33.1');
    expect(s.read('etc/hosts')).toBe('127.0.0.1 localhost\n127.0.1.1 rocky-box\n');
    expect(s.read('etc/hostname')).toBe('rocky-box\n');
    expect(s.exists('etc/sysconfig/kubelet')).toBe(false);
    expect(s.exists('etc/yum.repos.d/docker-ce.repo')).toBe(false);
  });

  test('prepare-node.sh writes hosts.toml for each mirror, idempotently, and removes what is no longer declared', () => {
    const { s, own, before, first, files, afterFirst, second, afterSecond, planned, afterPlanned, pruned } = mirrorRuns();
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('prepare-node.sh: step: registry mirrors in /etc/containerd/certs.d');
    expect(files.dockerHosts).toBe(`${MIRRORS[0].hostsToml}\n`);
    expect(files.dockerCa).toBe(CA);
    expect(files.privateHosts).toBe(
      '# Generated by cdk8s-spark (KubeadmClusterPrereqs); prepare-node.sh rewrites this file.\nserver = "http://10.96.0.60:5000"\n');
    expect(files.privateCaExists).toBe(false);
    expect(files.dockerHostsMode).toBe('644');
    // config_path points containerd 2.x at these files.
    expect(files.containerdConfig).toMatch(/\[plugins.'io.containerd.cri.v1.images'.registry\]\n\s+config_path = "\/etc\/containerd\/certs.d"\n/);
    expect(Object.keys(afterFirst).length).toBeGreaterThan(Object.keys(before).length);

    expect(second.status).toBe(0);
    expect(afterSecond).toEqual(afterFirst);
    expect(mutations(second)).toEqual([]);
    expect(second.stderr).toMatch(/done: nothing to change\n$/);

    expect(planned.status).toBe(0);
    expect(planned.stderr).toContain('registry docker.io is no longer declared: removing the files this script wrote for it');
    expect(planned.stderr).toContain(`dry-run: would run: rm -f ${s.root}/etc/containerd/certs.d/docker.io/hosts.toml `
      + `${s.root}/etc/containerd/certs.d/docker.io/cdk8s-spark-ca.crt`);
    expect(planned.stderr).toContain('dry-run: would write /etc/containerd/certs.d/10.96.0.60:5000/hosts.toml (mode 0644)');
    expect(afterPlanned).toEqual(afterFirst);

    expect(pruned.status).toBe(0);
    expect(s.exists('etc/containerd/certs.d/docker.io')).toBe(false);
    expect(s.read('etc/containerd/certs.d/10.96.0.60:5000/hosts.toml')).toContain('\nca = "/etc/pki/lab-ca.pem"\n');
    expect(s.read('etc/containerd/certs.d/quay.io/hosts.toml')).toBe(own);
  });

  describe('refusals', () => {
    test('worker.sh without join parameters', () => {
      const run = expectRefused(refusals.noJoinParameters(),
        'worker.sh: error: missing join parameters: KUBEADM_JOIN_TOKEN KUBEADM_JOIN_CA_HASH (or --discovery-token-ca-cert-hash); '
        + 'run new-join-command.sh on the control-plane node and pass its output with --join-file - (standard input) or --join-file FILE');
      expect(run.commands).toEqual([]);
    });

    test('worker.sh with a malformed token, without echoing it', () => {
      const run = expectRefused(refusals.malformedToken(),
        'error: invalid bootstrap token: expected 6 and 16 lowercase letters or digits joined by a dot');
      expect(run.stderr).not.toContain('NOT-A-TOKEN-secret');
    });

    test('worker.sh --token, without echoing the token', () => {
      const run = expectRefused(refusals.tokenArgument(),
        'worker.sh: error: --token is not accepted: a command-line argument is visible to every user of this machine (ps). '
        + 'Pass the join parameters on standard input');
      expect(run.stderr).not.toContain(TOKEN);
      expect(run.commands).toEqual([]);
    });

    test('not root', () => {
      expectRefused(refusals.notRoot(), 'control-plane.sh: error: must run as root');
    });

    test('too little memory, too few CPUs', () => {
      expectRefused(refusals.littleMemory(), 'error: 1024 MiB memory found; a control-plane node needs at least 1700 MiB');
      expectRefused(refusals.fewCpus(), 'error: 1 CPU(s) found; a control-plane node needs at least 2');
    });

    test('a required port in use', () => {
      expectRefused(refusals.portInUse(), 'error: TCP port 6443 is already in use; Kubernetes needs it');
    });

    test('unsupported operating system', () => {
      expectRefused(refusals.alpine(), 'error: unsupported operating system \'Alpine Linux v3.20\'');
    });

    test('a machine that is not a declared node, or the wrong one', () => {
      expectRefused(refusals.undeclaredAddress(),
        'error: this machine has none of the declared node addresses (192.168.56.10 192.168.56.11 192.168.56.12); pass --node-name NAME');
      expectRefused(refusals.workerAddress(),
        'error: node w1 is declared as a worker node; control-plane.sh prepares control-plane nodes');
      expectRefused(refusals.otherNodeName(),
        'error: node cp1 is declared with address 192.168.56.10, which this machine does not have');
      expectRefused(refusals.clonedHostname(),
        'error: host name cp1 belongs to declared node cp1 (192.168.56.10), not to this machine; was it cloned?');
    });

    test('a signing key with the wrong fingerprint is not installed', () => {
      const { s, run } = wrongKeyRun();
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`error: the key at https://pkgs.k8s.io/core:/stable:/v1.33/deb/Release.key has fingerprint ${'A'.repeat(40)}, `
        + `expected ${KEY_FINGERPRINTS.kubernetes}; refusing to trust it`);
      expect(s.exists('etc/apt/keyrings/kubernetes-apt-keyring.asc')).toBe(false);
      expect(s.exists('etc/apt/sources.list.d/kubernetes.list')).toBe(false);
    });
  });
});
