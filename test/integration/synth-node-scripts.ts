/**
 * synth-node-scripts.ts SRC_DIR OUT_DIR SPEC_JSON: synthesizes a test app
 * with KubeadmClusterPrereqs from the library sources in SRC_DIR (this tree's
 * src/ or another worktree's) into OUT_DIR, and prints the generated node
 * files as JSON ({ "prepare-node.sh": "...", ... }). Run with tsx in a child
 * process, so that another tree's sources load with their own dependencies.
 */
import * as fs from 'fs';
import * as path from 'path';

interface Spec {
  readonly kubernetesVersion: string;
  readonly debUrl: string;
  readonly keyFingerprint: string;
  readonly nodes: Array<{ name: string; ip: string; role: string }>;
  readonly props?: Record<string, unknown>;
}

const [src, out, specJson] = process.argv.slice(2);
const spec = JSON.parse(specJson) as Spec;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(path.resolve(src));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdk8s = require(require.resolve('cdk8s', { paths: [path.resolve(src)] }));

const app = new cdk8s.App({ outdir: out });
const chart = new cdk8s.Chart(app, 'cluster');
const network = new lib.ClusterNetwork(chart, 'Network', {
  nodes: spec.nodes.map((n) => ({ ...n, role: n.role === 'control-plane' ? lib.NodeRole.CONTROL_PLANE : lib.NodeRole.WORKER })),
});
new lib.KubeadmClusterPrereqs(chart, 'Nodes', {
  network,
  kubernetesVersion: spec.kubernetesVersion,
  packageRepository: lib.PackageRepository.mirror({
    debUrl: spec.debUrl,
    rpmUrl: spec.debUrl.replace(/\/deb\/$/, '/rpm/'),
    keyFingerprint: spec.keyFingerprint,
    allowInsecureHttp: true,
  }),
  containerdSource: lib.ContainerdSource.osPackages(),
  firewall: lib.FirewallMode.OPEN_PORTS,
  controlPlaneRequirements: { cpus: 1 },
  workerRequirements: { cpus: 1 },
  ...spec.props,
});
app.synth();
const dir = path.join(out, 'nodes');
const files: Record<string, string> = {};
for (const f of fs.readdirSync(dir).sort()) {
  files[f] = fs.readFileSync(path.join(dir, f), 'utf8');
}
process.stdout.write(JSON.stringify(files));
