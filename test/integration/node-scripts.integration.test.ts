// KubeadmClusterPrereqs' node scripts, run as an operator would on throwaway
// Debian bookworm root file systems (debootstrap: real apt, dpkg, containerd,
// chrony) against a local signed mirror laid out like pkgs.k8s.io, inside
// fresh namespaces with kernel- and service-facing commands replaced by
// recorders (see rootfs.ts). Slow (minutes), so not part of `npm test`: run
// it with `npx projen test:integration` (CI: .ci/run). It skips, printing why,
// where namespaces or debootstrap are unavailable.
//
// CDK8S_SPARK_IT_SRC=/path/to/other/tree/src runs it against another tree's scripts.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PackageMirror } from './mirror';
import { baseRootfs, changedPaths, MIRROR_PORT, NodeRun, TestNode, unsupportedReason, workDir } from './rootfs';

const REPO = path.join(__dirname, '..', '..');
const SRC = process.env.CDK8S_SPARK_IT_SRC ?? path.join(REPO, 'src');
/**
 * The Kubernetes version of the main flows: one whose containerd minimum
 * Debian bookworm's containerd (1.6.20) meets (1.6.15+ for Kubernetes 1.28 in
 * the scripts' table, taken from containerd's RELEASES.md); for 1.34 the table
 * asks for a containerd Debian does not ship, which the refusal test uses.
 */
const KUBERNETES = '1.28.15';
const KUBERNETES_NEW = '1.34.1';
const CP1 = { name: 'cp1', ip: '192.168.56.10', role: 'control-plane' };
const CP2 = { name: 'cp2', ip: '192.168.56.11', role: 'control-plane' };
const CP3 = { name: 'cp3', ip: '192.168.56.12', role: 'control-plane' };
const W1 = { name: 'w1', ip: '192.168.56.21', role: 'worker' };
const W2 = { name: 'w2', ip: '192.168.56.22', role: 'worker' };
/** Paths a run may change without changing the machine: the kernel's, the harness's, scratch space. */
const VOLATILE = ['/proc', '/run/it', '/run/it-cluster', '/tmp', '/dev',
  // apt's binary caches: any read-only apt-cache query (re)builds them.
  '/var/cache/apt/pkgcache.bin', '/var/cache/apt/srcpkgcache.bin'];
const LONG = 20 * 60_000;

let skip = unsupportedReason();
let base = '';
let work = '';
let mirror: PackageMirror | undefined;
let mirrorNew: PackageMirror | undefined;
const nodes: TestNode[] = [];

/** Synthesizes the test app from SRC; returns the files of its nodes/ directory. */
function synth(name: string, nodeList: object[], props: Record<string, unknown> = {}, repo = mirror!): Record<string, string> {
  const out = path.join(work, `synth-${name}`);
  const spec = {
    kubernetesVersion: repo === mirror ? KUBERNETES : KUBERNETES_NEW,
    debUrl: `http://127.0.0.1:${MIRROR_PORT}${repo.debPath}`,
    keyFingerprint: repo.fingerprint,
    nodes: nodeList,
    props,
  };
  const json = execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
    path.join(__dirname, 'synth-node-scripts.ts'), SRC, out, JSON.stringify(spec)], { encoding: 'utf8', cwd: REPO });
  return JSON.parse(json);
}

async function newNode(name: string, hostname: string, addresses: string[], clusterDir: string): Promise<TestNode> {
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  const node = new TestNode(work, { name, hostname, addresses, clusterDir, mirrorRoot: mirror!.root });
  nodes.push(node);
  await node.create(base);
  return node;
}

/** Secrets the fake kubeadm made (tokens, certificate keys) in CLUSTER_DIR. */
function secretsOf(clusterDir: string): string[] {
  const file = path.join(clusterDir, 'secrets');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((s) => s !== '') : [];
}

/** Everything about RUN on NODE that could expose one of SECRETS. */
function exposures(node: TestNode, run: NodeRun, secrets: string[]): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    if (run.stdout.includes(s) || run.stderr.includes(s)) found.push(`secret ${s.slice(0, 6)}… in the script's output`);
    for (const line of run.processLists.split('\n')) {
      // Without the PID (and the '--- ' of a kubeadm-time list), so that one command line is reported once.
      const args = line.trim().replace(/^(\d+|---) /, '');
      if (args.includes(s)) found.push(`secret ${s.slice(0, 6)}… on a command line: ${args.slice(0, 160)}`);
    }
    for (const line of run.commands) {
      if (line.includes(s)) found.push(`secret ${s.slice(0, 6)}… in the argv of ${line.split('\t')[0]}`);
    }
  }
  found.push(...run.exposures);
  found.push(...run.joinConfigModes.filter((l) => !/ [0-7]00 /.test(l)).map((l) => `kubeadm read a configuration holding a secret, readable by group or others: ${l}`));
  found.push(...node.secretFilesReadableByOthers(secrets).map((f) => `readable by others: ${f}`));
  return [...new Set(found)];
}

/** dpkg's status of PACKAGE in NODE: 'hold ok installed 1.34.1-1.1'. */
function dpkgStatus(node: TestNode, pkg: string): string {
  const status = fs.readFileSync(node.path('/var/lib/dpkg/status'), 'utf8');
  const stanza = status.split('\n\n').find((s) => s.startsWith(`Package: ${pkg}\n`)) ?? '';
  const field = (f: string) => new RegExp(`^${f}: (.*)$`, 'm').exec(stanza)?.[1] ?? '';
  return `${field('Status')} ${field('Version')}`.trim();
}

function describeRun(run: NodeRun): string {
  return `exit ${run.status}\n--- stderr (tail) ---\n${run.stderr.split('\n').slice(-25).join('\n')}`;
}

/**
 * Joins NODE with SCRIPT the way the scripts tell the operator to, given the
 * output of new-join-command.sh on the control plane: piped into
 * `SCRIPT --join-file -` where the script takes a join file, otherwise the
 * printed command line run as printed. Either way bash reads it from a 0600
 * file, so the harness puts no secret on a command line itself.
 */
async function join(node: TestNode, script: string, output: string): Promise<NodeRun> {
  const help = await node.run(['bash', `/root/nodes/${script}`, '--help']);
  let instructions = `cd /root/nodes\n${output}`;
  if (/--join-file/.test(help.stdout + help.stderr)) {
    fs.writeFileSync(path.join(node.itDir, 'join-input'), output, { mode: 0o600 });
    instructions = `cd /root/nodes\nsudo ./${script} --join-file - </run/it/join-input\n`;
  }
  fs.writeFileSync(path.join(node.itDir, 'instructions.sh'), instructions, { mode: 0o600 });
  return node.run(['bash', '/run/it/instructions.sh']);
}

/** A test that runs only where the harness can; elsewhere it prints why and passes. */
function itTest(name: string, fn: () => Promise<void>, timeout = LONG) {
  test(name, async () => {
    if (skip) {
      console.log(`skipped: ${skip}`);
      return;
    }
    await fn();
  }, timeout);
}

beforeAll(async () => {
  if (!skip) {
    const started = Date.now();
    const result = await baseRootfs();
    if ('skip' in result) {
      skip = result.skip;
    } else {
      base = result.path;
      console.log(`base root file system ${base} (${result.built ? `built in ${Math.round((Date.now() - started) / 1000)} s` : 'cached'})`);
    }
  }
  if (skip) {
    console.log(`node-scripts integration test skipped: ${skip}`);
    return;
  }
  work = workDir();
  const root = path.join(work, 'www');
  mirror = new PackageMirror({ dir: path.join(work, 'mirror'), root, kubernetesVersion: KUBERNETES });
  mirror.publish('1.1');
  mirrorNew = new PackageMirror({ dir: path.join(work, 'mirror-new'), root, kubernetesVersion: KUBERNETES_NEW });
  mirrorNew.publish('1.1');
}, 40 * 60_000);

afterAll(() => {
  mirror?.dispose();
  mirrorNew?.dispose();
  if (work && !process.env.CDK8S_SPARK_IT_KEEP) {
    fs.rmSync(work, { recursive: true, force: true });
  } else if (work) {
    console.log(`kept ${work}`);
  }
});

describe('single control plane and a worker', () => {
  let scripts: Record<string, string> = {};
  let cp: TestNode;
  let worker: TestNode;
  const clusterDir = () => path.join(work, 'cluster-single');
  const runControlPlane = () => cp.run(['bash', '/root/nodes/control-plane.sh'], { env: { SUDO_USER: 'ops' } });
  let joinOutput = '';
  const runWorker = () => join(worker, 'worker.sh', joinOutput);

  itTest('dry run changes nothing and makes no network call', async () => {
    scripts = synth('single', [CP1, W1]);
    cp = await newNode('cp1', 'debian-a', [CP1.ip], clusterDir());
    cp.addScript('control-plane.sh', scripts['control-plane.sh']);
    cp.addScript('prepare-node.sh', scripts['prepare-node.sh']);
    const before = cp.digest('/', VOLATILE);
    for (const script of ['prepare-node.sh', 'control-plane.sh']) {
      const run = await cp.run(['bash', `/root/nodes/${script}`, '--dry-run']);
      expect({ script, status: run.status }).toEqual({ script, status: 0 });
      expect(run.stderr).toMatch(/dry run/);
      expect(changedPaths(before, cp.digest('/', VOLATILE))).toEqual([]);
      expect(run.accessLog).toEqual([]);
    }
  });

  itTest('control-plane.sh: first run succeeds', async () => {
    const run = await runControlPlane();
    if (run.status !== 0) throw new Error(describeRun(run));
    expect(dpkgStatus(cp, 'kubelet')).toBe(`hold ok installed ${KUBERNETES}-1.1`);
    expect(fs.existsSync(cp.path('/etc/kubernetes/admin.conf'))).toBe(true);
    expect(fs.existsSync(cp.path('/home/ops/.kube/config'))).toBe(true);
    expect(run.commands).toContainEqual(expect.stringMatching(/^kubeadm\tinit\t/));
    // The checks below are not vacuous: the mirror served this run, the process lists saw the script.
    expect(run.accessLog).toContainEqual(expect.stringMatching(/^GET \S+\/InRelease 200$/));
    expect(run.processLists).toMatch(/control-plane\.sh/);
    expect(fs.readFileSync(cp.path('/etc/containerd/config.toml'), 'utf8')).toMatch(/SystemdCgroup = true/);
    expect(exposures(cp, run, secretsOf(clusterDir()))).toEqual([]);
  });

  itTest('control-plane.sh: second run changes nothing and makes no network call', async () => {
    const before = cp.digest('/etc');
    const run = await runControlPlane();
    if (run.status !== 0) throw new Error(describeRun(run));
    expect(changedPaths(before, cp.digest('/etc'))).toEqual([]);
    expect(run.accessLog).toEqual([]);
    expect(run.commands.filter((c) => /^kubeadm\t(init|join)/.test(c))).toEqual([]);
    expect(exposures(cp, run, secretsOf(clusterDir()))).toEqual([]);
  });

  itTest('dry run on the initialized node changes nothing and prints no secret', async () => {
    const before = cp.digest('/', VOLATILE);
    const run = await cp.run(['bash', '/root/nodes/control-plane.sh', '--dry-run'], { env: { SUDO_USER: 'ops' } });
    if (run.status !== 0) throw new Error(describeRun(run));
    expect(changedPaths(before, cp.digest('/', VOLATILE))).toEqual([]);
    expect(run.accessLog).toEqual([]);
    expect(exposures(cp, run, secretsOf(clusterDir()))).toEqual([]);
  });

  itTest('new-join-command.sh\'s instructions, followed literally, join a worker; no secret exposed', async () => {
    scripts = synth('single', [CP1, W1]);
    cp.addScript('new-join-command.sh', scripts['new-join-command.sh']);
    const instructions = await cp.run(['bash', '/root/nodes/new-join-command.sh']);
    if (instructions.status !== 0) throw new Error(describeRun(instructions));
    worker = await newNode('w1', 'debian-b', [W1.ip], clusterDir());
    worker.addScript('worker.sh', scripts['worker.sh']);
    joinOutput = instructions.stdout;
    const run = await runWorker();
    if (run.status !== 0) throw new Error(describeRun(run));
    expect(run.commands).toContainEqual(expect.stringMatching(/^kubeadm\tjoin/));
    expect(fs.existsSync(worker.path('/etc/kubernetes/kubelet.conf'))).toBe(true);
    expect(run.processLists).toMatch(/worker\.sh/);
    expect(instructions.processLists).toMatch(/new-join-command\.sh/);
    expect([
      // Its output is meant to carry the join parameters to the operator; nothing else may.
      ...exposures(cp, { ...instructions, stdout: '' }, secretsOf(clusterDir())).map((e) => `new-join-command.sh: ${e}`),
      ...exposures(worker, run, secretsOf(clusterDir())).map((e) => `worker.sh: ${e}`),
    ]).toEqual([]);
  });

  itTest('worker.sh: second run changes nothing and makes no network call', async () => {
    const before = worker.digest('/etc');
    const again = await runWorker();
    if (again.status !== 0) throw new Error(describeRun(again));
    expect(changedPaths(before, worker.digest('/etc'))).toEqual([]);
    expect(again.accessLog).toEqual([]);
    expect(again.commands.filter((c) => /^kubeadm\t(init|join)/.test(c))).toEqual([]);
  });

  itTest('a new build of the same version on the mirror does not break a re-run', async () => {
    mirror!.publish('2.1');
    for (const [node, script, rerun] of [[cp, 'control-plane.sh', runControlPlane], [worker, 'worker.sh', runWorker]] as const) {
      const before = node.digest('/etc');
      const run = await rerun();
      if (run.status !== 0) throw new Error(`${script}: ${describeRun(run)}`);
      expect(changedPaths(before, node.digest('/etc'))).toEqual([]);
      expect(dpkgStatus(node, 'kubelet')).toBe(`hold ok installed ${KUBERNETES}-1.1`);
    }
  });
});

describe('HA control plane', () => {
  itTest('init, two control-plane joins and a worker join on four root file systems; joining the third node twice is a no-op', async () => {
    // A load balancer in front of the three API servers (not reachable here: the fake kubeadm does not connect).
    const files = synth('ha', [CP1, CP2, CP3, W1, W2], { controlPlaneEndpoint: '192.168.56.100:6443' });
    if (!files['control-plane-join.sh']) {
      throw new Error(`no control-plane-join.sh among the synthesized files (${Object.keys(files).join(', ')}): the scripts cannot add control-plane nodes`);
    }
    const clusterDir = path.join(work, 'cluster-ha');
    const cp1 = await newNode('ha-cp1', 'debian-f', [CP1.ip], clusterDir);
    for (const f of ['control-plane.sh', 'new-join-command.sh']) cp1.addScript(f, files[f]);
    const init = await cp1.run(['bash', '/root/nodes/control-plane.sh'], { env: { SUDO_USER: 'ops' } });
    if (init.status !== 0) throw new Error(`control-plane.sh: ${describeRun(init)}`);
    expect(exposures(cp1, init, secretsOf(clusterDir))).toEqual([]);

    const help = await cp1.run(['bash', '/root/nodes/new-join-command.sh', '--help']);
    const cpFlag = /--control-plane\b/.test(help.stdout) ? ['--control-plane'] : [];
    const cpInstructions = await cp1.run(['bash', '/root/nodes/new-join-command.sh', ...cpFlag]);
    if (cpInstructions.status !== 0) throw new Error(`new-join-command.sh ${cpFlag.join(' ')}: ${describeRun(cpInstructions)}`);
    expect(exposures(cp1, { ...cpInstructions, stdout: '' }, secretsOf(clusterDir))).toEqual([]);

    // The second and third control-plane nodes join; the third joins twice (the second time: no-op).
    for (const [spec, hostname] of [[CP2, 'debian-g'], [CP3, 'debian-j']] as const) {
      const node = await newNode(`ha-${spec.name}`, hostname, [spec.ip], clusterDir);
      node.addScript('control-plane-join.sh', files['control-plane-join.sh']);
      const cpJoin = await join(node, 'control-plane-join.sh', cpInstructions.stdout);
      if (cpJoin.status !== 0) throw new Error(`control-plane-join.sh on ${spec.name}: ${describeRun(cpJoin)}`);
      expect(cpJoin.commands).toContainEqual(expect.stringMatching(/^kubeadm\tjoin/));
      expect(fs.existsSync(node.path('/etc/kubernetes/admin.conf'))).toBe(true);
      expect(exposures(node, cpJoin, secretsOf(clusterDir))).toEqual([]);
      if (spec === CP3) {
        const before = node.digest('/etc');
        const again = await join(node, 'control-plane-join.sh', cpInstructions.stdout);
        if (again.status !== 0) throw new Error(`control-plane-join.sh again on ${spec.name}: ${describeRun(again)}`);
        expect(changedPaths(before, node.digest('/etc'))).toEqual([]);
        expect(again.accessLog).toEqual([]);
        expect(again.commands.filter((c) => /^kubeadm\tjoin/.test(c))).toEqual([]);
        expect(exposures(node, again, secretsOf(clusterDir))).toEqual([]);
      }
    }

    const workerInstructions = await cp1.run(['bash', '/root/nodes/new-join-command.sh']);
    if (workerInstructions.status !== 0) throw new Error(`new-join-command.sh: ${describeRun(workerInstructions)}`);
    const w1 = await newNode('ha-w1', 'debian-h', [W1.ip], clusterDir);
    w1.addScript('worker.sh', files['worker.sh']);
    const workerJoin = await join(w1, 'worker.sh', workerInstructions.stdout);
    if (workerJoin.status !== 0) throw new Error(`worker.sh: ${describeRun(workerJoin)}`);
    expect(exposures(w1, workerJoin, secretsOf(clusterDir))).toEqual([]);

    const members = fs.readFileSync(path.join(clusterDir, 'members'), 'utf8').trim().split('\n');
    expect(members).toEqual(['cp1 control-plane', 'cp2 control-plane', 'cp3 control-plane', 'w1 worker']);
  });
});

describe('failures end with a clear message and a clean state', () => {
  const KEY = '/etc/apt/keyrings/kubernetes-apt-keyring.asc';
  const SOURCE = '/etc/apt/sources.list.d/kubernetes.list';
  /** Fails, with the run's log, when the repository key or apt source is still on NODE. */
  const expectNoRepositoryLeft = (node: TestNode, run: NodeRun) => {
    const left = [KEY, SOURCE].filter((f) => fs.existsSync(node.path(f)));
    if (left.length > 0) throw new Error(`left behind: ${left.join(', ')}\n${describeRun(run)}`);
  };
  let synthesized: Record<string, string> | undefined;
  const scripts = () => synthesized ??= synth('single', [CP1, W1]);

  itTest('package mirror down: says so, leaves no key or apt source', async () => {
    const node = await newNode('down', 'debian-c', [W1.ip], path.join(work, 'cluster-down'));
    node.addScript('prepare-node.sh', scripts()['prepare-node.sh']);
    const run = await node.run(['bash', '/root/nodes/prepare-node.sh'], { mirror: 'down' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/127\.0\.0\.1:8080/);
    expect(run.stderr).not.toMatch(/not an OpenPGP key/);
    expectNoRepositoryLeft(node, run);
  });

  itTest('package mirror failing after the key download: rolls back key and apt source; the next run completes', async () => {
    const node = await newNode('key-only', 'debian-d', [W1.ip], path.join(work, 'cluster-key-only'));
    node.addScript('prepare-node.sh', scripts()['prepare-node.sh']);
    const run = await node.run(['bash', '/root/nodes/prepare-node.sh'], { mirror: 'key-only' });
    expect(run.status).not.toBe(0);
    expect(run.accessLog.some((l) => / 503$/.test(l))).toBe(true);
    expectNoRepositoryLeft(node, run);
    const next = await node.run(['bash', '/root/nodes/prepare-node.sh']);
    if (next.status !== 0) throw new Error(describeRun(next));
  });

  itTest(`Debian's containerd 1.6 with Kubernetes ${KUBERNETES_NEW}: refused, naming the way out; containerd untouched, apt still clean`, async () => {
    const files = synth('new', [CP1, W1], {}, mirrorNew);
    const node = await newNode('old-containerd', 'debian-i', [W1.ip], path.join(work, 'cluster-old-containerd'));
    node.addScript('prepare-node.sh', files['prepare-node.sh']);
    const run = await node.run(['bash', '/root/nodes/prepare-node.sh']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/containerd 1\.6\.20/);
    expect(run.stderr).toMatch(/ContainerdSource\.(dockerRepository|preinstalled)/);
    expect(dpkgStatus(node, 'containerd')).toMatch(/^install ok installed 1\.6\.20/);
    expect(['kubelet', 'kubeadm', 'kubectl'].map((p) => dpkgStatus(node, p))).toEqual(['', '', '']);
    // The repository step before it succeeded; whatever it kept must leave apt working cleanly.
    const update = await node.run(['apt-get', 'update']);
    expect({ status: update.status, warnings: (update.stdout + update.stderr).split('\n').filter((l) => /^(W|E):/.test(l)) })
      .toEqual({ status: 0, warnings: [] });
  });

  itTest('no iproute2: names the package before changing anything', async () => {
    const node = await newNode('no-iproute2', 'debian-e', [W1.ip], path.join(work, 'cluster-no-iproute2'));
    node.addScript('prepare-node.sh', scripts()['prepare-node.sh']);
    // chrony depends on iproute2: a machine without iproute2 has no chrony either.
    const purge = await node.run(['dpkg', '--purge', 'chrony', 'iproute2'], { mirror: 'down' });
    if (purge.status !== 0) throw new Error(describeRun(purge));
    const before = node.digest('/', VOLATILE);
    const run = await node.run(['bash', '/root/nodes/prepare-node.sh']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/iproute2/);
    expect(changedPaths(before, node.digest('/', VOLATILE))).toEqual([]);
  });
});

// Disposes the nodes of this file as it goes, keeping the disk use bounded.
afterEach(() => {
  if (!process.env.CDK8S_SPARK_IT_KEEP) {
    // Nodes of the single-control-plane flow are reused across its tests; drop the others.
    for (const n of nodes.splice(0).filter((x) => !['cp1', 'w1'].includes(path.basename(path.dirname(x.root))))) {
      n.dispose();
    }
  }
});
