import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { buildApp, JOB_NAMESPACE } from '../../examples/platform/main';
import { FlannelCni, GeneratedFile, KubeadmClusterPrereqs } from '../../src';
import { expectValidManifests } from '../harness/manifests';

describe('examples/platform', () => {
  const app = buildApp(Testing.app());
  const charts = Object.fromEntries(app.charts.map((chart) => [chart.node.id, Testing.synth(chart)]));

  test('synthesizes valid manifests in dependency order (snapshot)', () => {
    expect(Object.keys(charts)).toEqual(['cluster', 'spark-operator', 'spark-jobs']);
    const crds = charts['spark-operator'].filter((m) => m.kind === 'CustomResourceDefinition');
    for (const manifests of Object.values(charts)) {
      expectValidManifests(manifests, { crds });
    }
    expect(charts).toMatchSnapshot();
  });

  test('kubeadm and flannel agree on the network, and the nodes open the flannel port', () => {
    const cluster = app.node.findChild('cluster');
    const nodes = cluster.node.findChild('Nodes') as KubeadmClusterPrereqs;
    const flannel = cluster.node.findChild('Flannel') as FlannelCni;
    const netConf = JSON.parse(charts.cluster.find((m) => m.kind === 'ConfigMap').data['net-conf.json']);
    expect(netConf.Network).toBe('10.244.0.0/16');
    expect(nodes.kubeadmConfig).toContain('podSubnet: 10.244.0.0/16');
    expect(flannel.firewallPorts.map((p) => `${p.port}/${p.protocol}`)).toEqual(['8472/udp']);
    expect(nodes.nodePorts).toContain('8472/udp');
  });

  test('writes the node scripts next to the manifests', () => {
    app.synth();
    const files = GeneratedFile.allOf(app).map((f) => f.path);
    expect([...files].sort()).toEqual([
      'nodes/control-plane.sh', 'nodes/kubeadm-config.yaml', 'nodes/new-join-command.sh', 'nodes/prepare-node.sh', 'nodes/worker.sh',
    ]);
    for (const file of files) {
      expect(fs.existsSync(path.join(app.outdir, file))).toBe(true);
    }
  });

  test('the operator watches the jobs namespace', () => {
    const controller = charts['spark-operator'].find((m) => m.kind === 'Deployment' && m.metadata.name === 'spark-operator-controller');
    expect(controller.spec.template.spec.containers[0].args).toContain(`--namespaces=${JOB_NAMESPACE}`);
  });
});
