// Fixtures shared by the KubeadmClusterPrereqs unit tests and its sandbox runs.
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
