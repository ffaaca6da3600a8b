import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { buildApp, EVENT_LOG, JOB_NAMESPACE } from '../../examples/platform/main';
import { FlannelCni, GeneratedFile, KubeadmClusterPrereqs } from '../../src';
import { expectValidManifests } from '../harness/manifests';

describe('examples/platform', () => {
  const app = buildApp(Testing.app());
  const charts = Object.fromEntries(app.charts.map((chart) => [chart.node.id, Testing.synth(chart)]));

  test('synthesizes valid manifests in dependency order (snapshot)', () => {
    expect(Object.keys(charts)).toEqual(['cluster', 'registries', 'spark-operator', 'spark-jobs']);
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
      'images/build-spark-images.sh',
      'nodes/control-plane-join.sh', 'nodes/control-plane.sh', 'nodes/kubeadm-config.yaml', 'nodes/new-join-command.sh', 'nodes/prepare-node.sh', 'nodes/worker.sh',
    ]);
    for (const file of files) {
      expect(fs.existsSync(path.join(app.outdir, file))).toBe(true);
    }
  });

  test('the operator watches the jobs namespace', () => {
    const controller = charts['spark-operator'].find((m) => m.kind === 'Deployment' && m.metadata.name === 'spark-operator-controller');
    expect(controller.spec.template.spec.containers[0].args).toContain(`--namespaces=${JOB_NAMESPACE}`);
  });

  test('both spark-pi runs write their event log where the history server reads it', () => {
    const jobs = charts['spark-jobs'];
    const dir = 'hdfs://namenode.hadoop.svc:8020/spark-logs';
    expect(EVENT_LOG.logDirectory).toBe(dir);
    const historyConf = jobs.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'spark-history-server-config').data['spark-defaults.conf'];
    expect(historyConf).toMatch(new RegExp(`^spark\\.history\\.fs\\.logDirectory\\s*=?\\s*${dir.replace(/[.:/]/g, '\\$&')}$`, 'm'));
    const submit = jobs.find((m) => m.kind === 'Job' && m.metadata.name === 'spark-pi-submit').spec.template.spec.containers[0].args;
    expect(submit).toContain(`spark.eventLog.dir=${dir}`);
    expect(submit).toContain('spark.eventLog.enabled=true');
    expect(submit).toContain('spark.kubernetes.submission.waitAppCompletion=true');
    const operatorApp = jobs.find((m) => m.kind === 'SparkApplication');
    expect(operatorApp.spec.sparkConf).toMatchObject({ 'spark.eventLog.enabled': 'true', 'spark.eventLog.dir': dir });
    // The history server is reachable on a NodePort inside the allowed range (the seed's 10080 is not).
    const svc = jobs.find((m) => m.kind === 'Service' && m.metadata.name === 'spark-history-server');
    expect(svc.spec.ports[0]).toMatchObject({ port: 18080, nodePort: 30080 });
  });

  test('Spark images come from the private registry; the nodes pull through the caches', () => {
    const jobs = charts['spark-jobs'];
    const submit = jobs.find((m) => m.kind === 'Job').spec.template.spec.containers[0].args;
    expect(submit).toContain('spark.kubernetes.container.image=10.96.0.53:5000/apache/spark:4.0.4');
    expect(submit).toContain('spark.kubernetes.container.image.pullSecrets=registry-pull');
    expect(jobs.find((m) => m.kind === 'SparkApplication').spec.image).toBe('10.96.0.53:5000/apache/spark:4.0.4');
    const cluster = app.node.findChild('cluster');
    const nodes = cluster.node.findChild('Nodes') as KubeadmClusterPrereqs;
    expect(nodes.registryMirrors.map((m) => m.registry)).toEqual(['docker.io', 'registry.k8s.io', 'ghcr.io', '10.96.0.53:5000']);
    const registries = charts.registries;
    expect(registries.filter((m) => m.kind === 'Service').map((m) => m.spec.clusterIP)).toEqual(['10.96.0.50', '10.96.0.51', '10.96.0.52', '10.96.0.53']);
  });
});
