// Fixtures shared by the KubeadmClusterPrereqs unit tests and its sandbox runs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import {
  ClusterNetwork, ClusterNetworkProps, ContainerdMirror, KubeadmClusterPrereqs, KubeadmClusterPrereqsProps, NodeRole,
} from '../../src';

export const NODES = [
  { name: 'cp1', ip: '192.168.56.10', role: NodeRole.CONTROL_PLANE },
  { name: 'w1', ip: '192.168.56.11', role: NodeRole.WORKER },
  { name: 'w2', ip: '192.168.56.12', role: NodeRole.WORKER },
];
/** A highly available cluster: three control-plane nodes behind a load balancer, two workers. */
export const HA_NODES = [
  { name: 'cp1', ip: '192.168.56.10', role: NodeRole.CONTROL_PLANE },
  { name: 'cp2', ip: '192.168.56.20', role: NodeRole.CONTROL_PLANE },
  { name: 'cp3', ip: '192.168.56.30', role: NodeRole.CONTROL_PLANE },
  { name: 'w1', ip: '192.168.56.11', role: NodeRole.WORKER },
  { name: 'w2', ip: '192.168.56.12', role: NodeRole.WORKER },
];
export const HA_ENDPOINT = 'k8s-api.lab.internal:6443';
/** A free address on the nodes' network for kube-vip. */
export const VIP = '192.168.56.100';
export const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2FjZXJ0\n-----END CERTIFICATE-----\n';
/** A pull-through cache of Docker Hub with a private CA, and a private registry over plain HTTP. */
export const MIRRORS = [
  ContainerdMirror.of({ registry: 'docker.io', endpoint: '10.96.0.50:5000', caCertificate: CA }),
  ContainerdMirror.of({ registry: '10.96.0.60:5000', insecurePlainHttp: true }),
];

export function build(props: Partial<KubeadmClusterPrereqsProps> = {}, networkProps: ClusterNetworkProps = { nodes: NODES },
  app: App = Testing.app()) {
  const chart = new Chart(app, 'cluster');
  const network = new ClusterNetwork(chart, 'Network', networkProps);
  const prereqs = new KubeadmClusterPrereqs(chart, 'Nodes', { network, kubernetesVersion: '1.33.1', ...props });
  return { app, chart, network, prereqs };
}

export function scriptsOf(p: KubeadmClusterPrereqs): Record<string, string> {
  return {
    'prepare-node.sh': p.prepareNodeScript,
    'control-plane.sh': p.controlPlaneScript,
    'worker.sh': p.workerScript,
    'new-join-command.sh': p.newJoinCommandScript,
    'control-plane-join.sh': p.controlPlaneJoinScript,
  };
}

/** An App writing to a fresh temporary directory (named with `prefix`). */
export function tempApp(prefix: string): App {
  return new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), prefix)) });
}

/** Every file the app writes (manifests and generated files), by path; the output directory is removed. */
export function synthesizedFiles(app: App): Record<string, string> {
  app.synth();
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(full);
      } else {
        files[path.relative(app.outdir, full)] = fs.readFileSync(full, 'utf8');
      }
    }
  };
  walk(app.outdir);
  fs.rmSync(app.outdir, { recursive: true, force: true });
  return files;
}
