// Steps of the user's in the node scripts: addPreparationStep (before kubeadm),
// addPostInitStep (control-plane.sh, after kubeadm init),
// addPostControlPlaneJoinStep (control-plane-join.sh) and addPostWorkerJoinStep
// (worker.sh), each after kubeadm join. Rendered at synth (late additions take
// effect), refused when malformed, and run in the sandbox where they belong:
// as root, with the admin kubeconfig on control-plane nodes only.
import { App, Chart } from 'cdk8s';
import { build, HA_ENDPOINT, HA_NODES, NODES, scriptsOf, synthesizedFiles, tempApp } from './kubeadm-fixtures';
import { ClusterNetwork, KubeadmClusterPrereqs } from '../../src';
import { disposableSandboxes } from '../harness/sandbox';
import { Scenarios } from '../harness/scenarios';
import { checkScripts } from '../harness/scripts';

type StepMethod = 'addPreparationStep' | 'addPostInitStep' | 'addPostControlPlaneJoinStep' | 'addPostWorkerJoinStep';
const METHODS: StepMethod[] = ['addPreparationStep', 'addPostInitStep', 'addPostControlPlaneJoinStep', 'addPostWorkerJoinStep'];

/** The steps the sandbox runs. They write below $ROOT only (the sandbox's root; '' on a real machine). */
function addSteps(p: KubeadmClusterPrereqs, order: 'as-read' | 'interleaved' = 'as-read') {
  const calls: Array<() => void> = [
    () => p.addPostInitStep('label the control plane', 'kubectl label node "$NODE_NAME" example.com/pool=system --overwrite'),
    () => p.addPostInitStep('record how post-init steps run',
      'mkdir -p "$ROOT/var/tmp"', 'printf \'%s %s %s\\n\' "$(id -u)" "$NODE_NAME" "$KUBECONFIG" >"$ROOT/var/tmp/post-init"'),
    () => p.addPostControlPlaneJoinStep('label the joined control plane',
      'kubectl label node "$NODE_NAME" example.com/pool=system --overwrite'),
    () => p.addPostWorkerJoinStep('record how post-join steps run',
      'mkdir -p "$ROOT/var/tmp"', 'printf \'%s %s\\n\' "$NODE_NAME" "${KUBECONFIG:-unset}" >"$ROOT/var/tmp/post-join"'),
  ];
  // Interleaved: other groups between the steps of one group; each group keeps its own order.
  (order === 'as-read' ? calls : [calls[3], calls[0], calls[2], calls[1]]).forEach((c) => c());
}

const newApp = (): App => tempApp('cdk8s-spark-steps-');
const synthesized = synthesizedFiles;

describe('steps after kubeadm init and join', () => {
  const { prereqs } = build({ controlPlaneEndpoint: HA_ENDPOINT }, { nodes: HA_NODES });
  addSteps(prereqs);
  const scripts = scriptsOf(prereqs);

  test('each group lands in its own script, after the kubeadm phase it follows', () => {
    const cp = scripts['control-plane.sh'];
    expect(cp).toContain("added_post_init_steps() {\n  added_admin_step 'label the control plane' added_post_init_step_1\n"
      + "  added_admin_step 'record how post-init steps run' added_post_init_step_2\n}");
    expect(cp).toContain('added_post_init_step_1() {\n  kubectl label node "$NODE_NAME" example.com/pool=system --overwrite\n}');
    expect(cp).toMatch(/\n {2}init_control_plane\n {2}added_post_init_steps\n {2}finish\n\}/);
    const cpJoin = scripts['control-plane-join.sh'];
    expect(cpJoin).toContain("added_post_control_plane_join_steps() {\n  added_admin_step 'label the joined control plane' "
      + 'added_post_control_plane_join_step_1\n}');
    expect(cpJoin).toMatch(/\n {2}join_control_plane\n {2}install_admin_kubeconfig\n {2}added_post_control_plane_join_steps\n {2}finish\n\}/);
    const worker = scripts['worker.sh'];
    // Worker steps run through added_step: no admin kubeconfig.
    expect(worker).toContain("added_post_worker_join_steps() {\n  added_step 'record how post-join steps run' added_post_worker_join_step_1\n}");
    expect(worker).toMatch(/\n {2}join_cluster\n {2}added_post_worker_join_steps\n {2}finish\n\}/);
    // Each group only where it belongs.
    for (const [name, content] of Object.entries(scripts)) {
      expect({ name, postInit: content.includes('added_post_init_step_1') }).toEqual({ name, postInit: name === 'control-plane.sh' });
      expect({ name, cpJoin: content.includes('added_post_control_plane_join_step_1') })
        .toEqual({ name, cpJoin: name === 'control-plane-join.sh' });
      expect({ name, workerJoin: content.includes('added_post_worker_join_step_1') }).toEqual({ name, workerJoin: name === 'worker.sh' });
    }
  });

  test('without steps, each group is an empty function', () => {
    const plain = scriptsOf(build().prereqs);
    expect(plain['control-plane.sh']).toContain('added_post_init_steps() {\n  return 0\n}');
    expect(plain['control-plane-join.sh']).toContain('added_post_control_plane_join_steps() {\n  return 0\n}');
    expect(plain['worker.sh']).toContain('added_post_worker_join_steps() {\n  return 0\n}');
  });

  test('scripts with steps pass bash -n, shellcheck and shfmt', async () => {
    await checkScripts(Object.fromEntries(Object.entries(scripts).map(([n, s]) => [`post-steps-${n}`, s])));
  }, 180_000);

  test('steps added after the nodes, in any interleaving of the groups, give the same files byte for byte', () => {
    const first = newApp();
    {
      const chart = new Chart(first, 'c');
      const network = new ClusterNetwork(chart, 'Network', { nodes: HA_NODES });
      const p = new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1', controlPlaneEndpoint: HA_ENDPOINT });
      addSteps(p);
    }
    const later = newApp();
    {
      const chart = new Chart(later, 'c');
      const network = new ClusterNetwork(chart, 'Network');
      const p = new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1', controlPlaneEndpoint: HA_ENDPOINT });
      addSteps(p, 'interleaved');
      HA_NODES.forEach((n) => network.addNode(n));
    }
    const a = synthesized(first);
    const b = synthesized(later);
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    for (const file of Object.keys(a)) {
      expect({ file, content: b[file] }).toEqual({ file, content: a[file] });
    }
    expect(a['nodes/control-plane.sh']).toContain('added_post_init_step_2() {');
    expect(a['nodes/worker.sh']).toContain('added_post_worker_join_step_1() {');
  });

  test('a step added after the files were read is in the next synth', () => {
    const app = newApp();
    const chart = new Chart(app, 'c');
    const network = new ClusterNetwork(chart, 'Network', { nodes: NODES });
    const p = new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1' });
    expect(synthesized(app)['nodes/control-plane.sh']).toContain('added_post_init_steps() {\n  return 0\n}');
    p.addPostInitStep('apply the CNI', 'kubectl apply -f /srv/cni.yaml');
    expect(synthesized(app)['nodes/control-plane.sh']).toContain("added_admin_step 'apply the CNI' added_post_init_step_1");
  });

  const refusals: Array<[string, string[], string]> = [
    ['an empty description', [' ', 'true'], '.description " ": a one-line description'],
    ['a two-line description', ['a\nb', 'true'], '.description "a\\nb": a one-line description'],
    ['no commands', ['step'], '.commands []: at least one command'],
    ['an empty command', ['step', 'true', ' '], '.commands[1] " ": a non-empty bash command'],
  ];
  test.each(METHODS.flatMap((method) => refusals.map(([name, args, message]) => [method, name, args, message] as const)))(
    '%s refuses %s', (method, _name, args, message) => {
      const { prereqs: p } = build();
      // The index counts the steps of this group only.
      p[method]('a valid step', 'true');
      const [description, ...commands] = args;
      expect(() => p[method](description, ...commands)).toThrow(`cluster/Nodes: invalid ${method}[1]${message}`);
    });
});

describe('steps after kubeadm init and join, run in the sandbox', () => {
  const sandbox = disposableSandboxes();
  const { prereqs } = build({ controlPlaneEndpoint: HA_ENDPOINT }, { nodes: HA_NODES });
  addSteps(prereqs);
  const scripts = scriptsOf(prereqs);
  const scenarios = new Scenarios();
  beforeAll(() => scenarios.run(), 300_000);

  const cluster = scenarios.add(async () => {
    const cp1 = sandbox({ os: 'debian', ips: ['192.168.56.10'] });
    const init = await cp1.run('control-plane.sh', scripts['control-plane.sh']);
    const postInit = cp1.exists('var/tmp/post-init') ? cp1.read('var/tmp/post-init') : undefined;
    const again = await cp1.run('control-plane.sh', scripts['control-plane.sh']);
    const params = await cp1.run('new-join-command.sh', scripts['new-join-command.sh'], ['--control-plane']);

    // cp2 sees the cluster cp1 made: its uploaded certificates, etcd member and Nodes.
    const cp2 = sandbox({ os: 'debian', ips: ['192.168.56.20'], hostname: 'cp2' });
    for (const file of ['certificate-keys', 'etcd-members', 'nodes', 'labels']) {
      cp2.setState(file, cp1.stateOf(file)!);
    }
    const cpJoin = await cp2.run('control-plane-join.sh', scripts['control-plane-join.sh'], ['--join-file', '-'], {}, params.stdout);

    const w1 = sandbox({ os: 'ubuntu', ips: ['192.168.56.11'], containerdVersion: '2.1.4', hostname: 'w1' });
    const workerJoin = await w1.run('worker.sh', scripts['worker.sh'], ['--join-file', '-'], {}, params.stdout);
    return {
      cp1,
      init,
      postInit,
      again,
      cp2,
      cpJoin,
      w1,
      workerJoin,
      labels1: cp1.stateOf('labels'),
      labels2: cp2.stateOf('labels'),
    };
  });

  const failing = scenarios.add(async () => {
    // A worker has no admin kubeconfig: kubectl falls back to localhost:8080 and the step fails, stopping the script.
    const p = build().prereqs;
    p.addPostWorkerJoinStep('label from the worker', 'kubectl label node "$NODE_NAME" example.com/pool=spark');
    const w1 = sandbox({ os: 'debian', ips: ['192.168.56.11'], hostname: 'w1' });
    return w1.run('worker.sh', p.workerScript, [], { KUBEADM_JOIN_TOKEN: 'abcdef.0123456789abcdef', KUBEADM_JOIN_CA_HASH: `sha256:${'0'.repeat(64)}` });
  });

  const dryRun = scenarios.add(async () => {
    const s = sandbox({ os: 'debian', ips: ['192.168.56.10'] });
    const before = s.snapshot();
    const run = await s.run('control-plane.sh', scripts['control-plane.sh'], ['--dry-run']);
    return { run, before, after: s.snapshot() };
  });

  test('control-plane.sh runs the post-init steps after kubeadm init, as root, with the admin kubeconfig', () => {
    const { cp1, init, postInit, labels1 } = cluster();
    expect(init.status).toBe(0);
    expect(postInit).toBe(`0 cp1 ${cp1.root}/etc/kubernetes/admin.conf\n`);
    expect(labels1).toBe('cp1 example.com/pool=system\n');
    expect(init.stdout).toContain('node/cp1 labeled\n');
    // After kubeadm init and the join command, in the order added, before the summary.
    const kubectl = init.commands.indexOf('kubectl label node cp1 example.com/pool=system --overwrite');
    expect(kubectl).toBeGreaterThan(init.commands.findIndex((c) => c.startsWith('kubeadm init --config')));
    expect(kubectl).toBeGreaterThan(init.commands.findIndex((c) => c.startsWith('kubeadm token create')));
    const log = init.stderr;
    expect(log.indexOf('control-plane.sh: step: join command for new nodes')).toBeGreaterThan(0);
    expect(log.indexOf('control-plane.sh: step: label the control plane'))
      .toBeGreaterThan(log.indexOf('control-plane.sh: step: join command for new nodes'));
    expect(log.indexOf('control-plane.sh: step: record how post-init steps run'))
      .toBeGreaterThan(log.indexOf('control-plane.sh: step: label the control plane'));
    expect(log).toMatch(/step: record how post-init steps run\ncontrol-plane.sh: done: \d+ change\(s\)\n$/);
  });

  test('a second run of control-plane.sh runs the steps again; a repeatable step changes nothing', () => {
    const { again, labels1 } = cluster();
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('kubeadm init skipped');
    expect(again.stderr).toContain('control-plane.sh: step: label the control plane');
    expect(again.stdout).toContain('node/cp1 not labeled\n');
    expect(labels1).toBe('cp1 example.com/pool=system\n');
  });

  test('control-plane-join.sh runs its steps after the join, with the admin kubeconfig kubeadm wrote there', () => {
    const { cpJoin, labels2 } = cluster();
    expect(cpJoin.status).toBe(0);
    expect(labels2).toBe('cp1 example.com/pool=system\ncp2 example.com/pool=system\n');
    const log = cpJoin.stderr;
    expect(log.indexOf('control-plane-join.sh: step: label the joined control plane'))
      .toBeGreaterThan(log.indexOf('control-plane-join.sh: step: admin kubeconfig'));
    expect(cpJoin.commands.indexOf('kubectl label node cp2 example.com/pool=system --overwrite'))
      .toBeGreaterThan(cpJoin.commands.findIndex((c) => c.startsWith('kubeadm join')));
    // The post-init steps are control-plane.sh's only.
    expect(log).not.toContain('label the control plane\n');
  });

  test('worker.sh runs its steps after the join, as root, without cluster credentials', () => {
    const { w1, workerJoin } = cluster();
    expect(workerJoin.status).toBe(0);
    expect(w1.read('var/tmp/post-join')).toBe('w1 unset\n');
    expect(workerJoin.stderr.indexOf('worker.sh: step: record how post-join steps run'))
      .toBeGreaterThan(workerJoin.stderr.indexOf('worker.sh: step: kubeadm join'));
    expect(workerJoin.commands.some((c) => c.startsWith('kubectl'))).toBe(false);
  });

  test('a failing step stops the script, naming the step', () => {
    const run = failing();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('The connection to the server localhost:8080 was refused');
    expect(run.stderr).toContain("worker.sh: error: step 'label from the worker' failed (exit status 1); its output is above");
    expect(run.stderr).toContain("the changes of the steps before 'label from the worker' are kept");
  });

  test('--dry-run names the post-init steps and runs none of their commands', () => {
    const { run, before, after } = dryRun();
    expect(run.status).toBe(0);
    expect(after).toEqual(before);
    expect(run.stderr).toContain("dry-run: would run the commands of the added step 'label the control plane'");
    expect(run.stderr).toContain("dry-run: would run the commands of the added step 'record how post-init steps run'");
    expect(run.commands.some((c) => c.startsWith('kubectl'))).toBe(false);
  });
});
