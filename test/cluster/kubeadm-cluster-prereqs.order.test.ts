// Wiring that does not depend on construction order (issue #17): the node
// scripts and kubeadm-config.yaml render at synth, so nodes, mirrors and steps
// added after KubeadmClusterPrereqs are in them, byte for byte as if they had
// been there first; a copy that cannot follow a later change fails synth.
import * as fs from 'fs';
import { App, Chart } from 'cdk8s';
import { CA, NODES, synthesizedFiles, tempApp } from './kubeadm-fixtures';
import {
  ClusterNetwork, ContainerdMirror, KubeadmClusterPrereqs, NodeRole, RegistryMirrorSet, RegistryTls, RegistryUpstream, StorageClassRef,
} from '../../src';
import { checkScripts } from '../harness/scripts';

const PLAIN = { tls: RegistryTls.plainHttp(), storageClass: StorageClassRef.clusterDefault() };

const newApp = (): App => tempApp('cdk8s-spark-order-');
const synthesized = synthesizedFiles;

function hub(set: RegistryMirrorSet) {
  set.addMirror('Hub', { ...PLAIN, clusterIp: '10.96.0.50', proxy: { upstream: RegistryUpstream.dockerHub() } });
}
function ghcr(set: RegistryMirrorSet) {
  set.addMirror('Ghcr', { ...PLAIN, clusterIp: '10.96.0.52', proxy: { upstream: RegistryUpstream.ghcr() } });
}

describe('KubeadmClusterPrereqs in any construction order', () => {
  test('mirrors added to a RegistryMirrorSet after the prereqs reach every node script', () => {
    const options = { insecurePlainHttp: true };
    const first = newApp();
    {
      const chart = new Chart(first, 'c');
      const set = new RegistryMirrorSet(chart, 'Mirrors');
      hub(set);
      ghcr(set);
      const network = new ClusterNetwork(chart, 'Network', { nodes: NODES });
      new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1', registryMirrorSets: [set], registryMirrorSetOptions: options });
    }
    const later = newApp();
    {
      const chart = new Chart(later, 'c');
      const set = new RegistryMirrorSet(chart, 'Mirrors');
      const network = new ClusterNetwork(chart, 'Network', { nodes: NODES });
      const prereqs = new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1' });
      prereqs.addRegistryMirrorSet(set, options);
      hub(set);
      ghcr(set);
      expect(prereqs.registryMirrors.map((m) => m.registry)).toEqual(['docker.io', 'ghcr.io']);
      expect(prereqs.prepareNodeScript).toContain("readonly -a REGISTRY_HOSTS=('docker.io' 'ghcr.io')");
    }
    const a = synthesized(first);
    const b = synthesized(later);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    expect(Object.keys(a)).toContain('nodes/prepare-node.sh');
    for (const file of Object.keys(a)) {
      expect({ file, content: b[file] }).toEqual({ file, content: a[file] });
    }
  });

  test('nodes added with addNode after the prereqs are in the scripts and the kubeadm configuration', () => {
    const first = newApp();
    {
      const chart = new Chart(first, 'c');
      const network = new ClusterNetwork(chart, 'Network', { nodes: NODES });
      new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1' });
    }
    const later = newApp();
    {
      const chart = new Chart(later, 'c');
      const network = new ClusterNetwork(chart, 'Network');
      new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1' });
      // A worker first: the control plane may come later, as long as it comes.
      network.addNode(NODES[1]);
      network.addNode(NODES[2]);
      network.addNode(NODES[0]);
      network.nodes.sort((x, y) => NODES.indexOf(x) - NODES.indexOf(y));
    }
    expect(synthesized(later)).toEqual(synthesized(first));
  });

  test('a node pushed into ClusterNetwork.nodes takes effect, and is checked at synth', () => {
    const app = newApp();
    const chart = new Chart(app, 'c');
    const network = new ClusterNetwork(chart, 'Network', { nodes: [NODES[0]] });
    const prereqs = new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1' });
    network.nodes.push(NODES[1]);
    expect(prereqs.workerScript).toContain("readonly -a NODE_NAMES=('cp1' 'w1')");
    network.nodes.push({ name: 'w9', ip: '192.168.56.10', role: NodeRole.WORKER });
    expect(() => app.synth()).toThrow('c/Network: invalid nodes[2].ip "192.168.56.10": an address not used by another node');
  });

  test('a node of the props changed in place is seen (the array is copied, its nodes are not)', () => {
    const app = newApp();
    const chart = new Chart(app, 'c');
    const nodes = NODES.map((n) => ({ ...n }));
    const network = new ClusterNetwork(chart, 'Network', { nodes });
    const prereqs = new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1' });
    (nodes[2] as any).ip = '192.168.56.13';
    expect(prereqs.workerScript).toContain("readonly -a NODE_IPS=('192.168.56.10' '192.168.56.11' '192.168.56.13')");
    expect(() => app.synth()).not.toThrow();
    fs.rmSync(app.outdir, { recursive: true, force: true });
  });

  test('a second control-plane node added later needs an endpoint: synth fails', () => {
    const app = newApp();
    const chart = new Chart(app, 'c');
    const network = new ClusterNetwork(chart, 'Network', { nodes: NODES });
    new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1' });
    network.addNode({ name: 'cp2', ip: '192.168.56.20', role: NodeRole.CONTROL_PLANE });
    expect(() => app.synth()).toThrow(/c\/Nodes: invalid controlPlaneEndpoint \(undefined\): a load balancer or DNS name in front of all 2 control-plane nodes/);
  });

  test('preparation steps land in every preparing script, in order, after the built-in steps', async () => {
    const app = newApp();
    const chart = new Chart(app, 'c');
    const network = new ClusterNetwork(chart, 'Network', { nodes: NODES });
    const prereqs = new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1' });
    prereqs.addPreparationStep('trust the lab CA', 'install -m 0644 /srv/lab-ca.pem /usr/local/share/ca-certificates/lab-ca.crt',
      'update-ca-certificates');
    prereqs.addPreparationStep('tune inotify', 'if ! grep -q max_user_watches /etc/sysctl.d/90-lab.conf; then\n  echo fs.inotify.max_user_watches=524288 >>/etc/sysctl.d/90-lab.conf\nfi');
    const scripts = {
      'prepare-node.sh': prereqs.prepareNodeScript,
      'control-plane.sh': prereqs.controlPlaneScript,
      'worker.sh': prereqs.workerScript,
      'control-plane-join.sh': prereqs.controlPlaneJoinScript,
    };
    for (const script of Object.values(scripts)) {
      const calls = script.indexOf("  added_step 'trust the lab CA' added_step_1\n  added_step 'tune inotify' added_step_2\n}");
      expect(calls).toBeGreaterThan(0);
      expect(script).toContain('added_step_1() {\n  install -m 0644 /srv/lab-ca.pem /usr/local/share/ca-certificates/lab-ca.crt\n  update-ca-certificates\n}');
      expect(script).toContain('added_step_2() {\n  if ! grep -q max_user_watches /etc/sysctl.d/90-lab.conf; then\n'
        + '    echo fs.inotify.max_user_watches=524288 >>/etc/sysctl.d/90-lab.conf\n  fi\n}');
      // Run after the last built-in preparation step.
      expect(script).toMatch(/ {2}configure_kubelet\n {2}added_preparation_steps\n\}/);
    }
    expect(prereqs.newJoinCommandScript).not.toContain('added_step_1');
    await checkScripts(Object.fromEntries(Object.entries(scripts).map(([n, s]) => [`steps-${n}`, s])));
    const files = synthesized(app);
    expect(files['nodes/worker.sh']).toBe(scripts['worker.sh']);
  }, 120_000);

  test.each([
    ['an empty description', () => [' ', 'true'], 'invalid addPreparationStep[0].description " ": a one-line description'],
    ['a two-line description', () => ['a\nb', 'true'], 'invalid addPreparationStep[0].description "a\\nb": a one-line description'],
    ['no commands', () => ['step'], 'invalid addPreparationStep[0].commands []: at least one command'],
    ['an empty command', () => ['step', 'true', ''], 'invalid addPreparationStep[0].commands[1] "": a non-empty bash command'],
  ])('addPreparationStep refuses %s', (_name, args, message) => {
    const chart = new Chart(newApp(), 'c');
    const network = new ClusterNetwork(chart, 'Network', { nodes: NODES });
    const prereqs = new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1' });
    const [description, ...commands] = args() as string[];
    expect(() => prereqs.addPreparationStep(description, ...commands)).toThrow(`c/Nodes: ${message}`);
  });

  describe('late changes that cannot take effect fail synth', () => {
    test.each([
      ['a mirror added to a set after containerdMirrors() copied it', (chart: Chart, network: ClusterNetwork) => {
        const set = new RegistryMirrorSet(chart, 'Mirrors');
        hub(set);
        new KubeadmClusterPrereqs(chart, 'Nodes', {
          network, kubernetesVersion: '1.33.1', registryMirrors: set.containerdMirrors({ insecurePlainHttp: true }),
        });
        ghcr(set);
      }, 'c/Mirrors: containerdMirrors() was called when the set had 1 of its 2 mirrors, so Ghcr would be missing'],
      ['a mirror pushed into the registryMirrors prop', (chart: Chart, network: ClusterNetwork) => {
        const registryMirrors = [ContainerdMirror.of({ registry: 'docker.io', endpoint: '10.96.0.50:5000', caCertificate: CA })];
        new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1', registryMirrors });
        registryMirrors.push(ContainerdMirror.of({ registry: 'ghcr.io' }));
      }, 'c/Nodes: registryMirrors changed after c/Nodes was created, so the change would be ignored: call addRegistryMirror() instead'],
      ['a port pushed into the cniPorts prop', (chart: Chart, network: ClusterNetwork) => {
        const cniPorts = [{ port: 8472, protocol: 'udp' as any, description: 'vxlan' }];
        new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1', cniPorts });
        cniPorts.push({ port: 51820, protocol: 'udp' as any, description: 'wireguard' });
      }, 'c/Nodes: cniPorts changed after c/Nodes was created'],
      ['a node pushed into the nodes prop of ClusterNetwork', (chart: Chart) => {
        const nodes = [NODES[0]];
        const net = new ClusterNetwork(chart, 'Net2', { nodes });
        new KubeadmClusterPrereqs(chart, 'Nodes', { network: net, kubernetesVersion: '1.33.1', outputDirectory: 'n2' });
        nodes.push(NODES[1]);
      }, 'c/Net2: nodes changed after c/Net2 was created, so the change would be ignored: call addNode() on the ClusterNetwork instead'],
      ['kubeVip changed in place', (chart: Chart) => {
        const kubeVip = { address: '192.168.56.100' };
        new KubeadmClusterPrereqs(chart, 'Nodes', { network: new ClusterNetwork(chart, 'Net2', { nodes: NODES }), kubernetesVersion: '1.33.1', kubeVip });
        (kubeVip as any).address = '192.168.56.101';
      }, 'c/Nodes: kubeVip changed after c/Nodes was created'],
      ['workerRequirements changed in place', (chart: Chart, network: ClusterNetwork) => {
        const workerRequirements = { cpus: 2 };
        new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1', workerRequirements });
        (workerRequirements as any).cpus = 4;
      }, 'c/Nodes: workerRequirements changed after c/Nodes was created'],
      ['a registry configured twice across a set and a single mirror', (chart: Chart, network: ClusterNetwork) => {
        const set = new RegistryMirrorSet(chart, 'Mirrors');
        const prereqs = new KubeadmClusterPrereqs(chart, 'Nodes', {
          network, kubernetesVersion: '1.33.1', registryMirrors: [ContainerdMirror.of({ registry: 'docker.io' })],
        });
        prereqs.addRegistryMirrorSet(set, { insecurePlainHttp: true });
        hub(set);
      }, 'c/Nodes: invalid registryMirrors[1].registry "docker.io": a registry not configured twice (also registryMirrors[0])'],
    ])('%s', (_name, build, message) => {
      const app = newApp();
      const chart = new Chart(app, 'c');
      const network = new ClusterNetwork(chart, 'Network', { nodes: NODES });
      build(chart, network);
      expect(() => app.synth()).toThrow(message);
      fs.rmSync(app.outdir, { recursive: true, force: true });
    });
  });
});
