import { Yaml } from 'cdk8s';
import { kubeadmApiVersion } from '../../core/compatibility-kubernetes';

/** What the kubeadm configuration is rendered from. */
export interface KubeadmConfigInput {
  /** e.g. `1.33.1` */
  readonly kubernetesVersion: string;
  readonly minor: number;
  readonly controlPlaneEndpoint?: string;
  readonly imageRepository: string;
  readonly podSubnet: string;
  readonly serviceSubnet: string;
  readonly dnsDomain: string;
  readonly nodeCidrMaskSize: number;
  /** The node `kubeadm init` runs on, when the nodes are declared. */
  readonly initNode?: { readonly name: string; readonly ip: string };
}

/** The API server's port on every control-plane node (kubeadm's default). */
export const API_SERVER_PORT = 6443;

/**
 * Description of the bootstrap token \`kubeadm init\` creates (kubeadm always
 * creates one: an empty bootstrapTokens list is defaulted to one token, see
 * kubernetes/kubernetes cmd/kubeadm/app/apis/kubeadm/v1beta4/defaults.go,
 * SetDefaults_BootstrapTokens). control-plane.sh deletes the token with this
 * description once its own join command exists; its TTL bounds it otherwise.
 */
export const INIT_TOKEN_DESCRIPTION = 'kubeadm init token, deleted by control-plane.sh';
/** Lifetime of that token, should a run stop between kubeadm init and deleting it. */
export const INIT_TOKEN_TTL = '15m0s';

/** containerd's CRI socket, as kubeadm expects it (a unix:// URL). */
export const CRI_SOCKET = 'unix:///var/run/containerd/containerd.sock';


/**
 * Component flags in the shape of the API version: a map in v1beta3, a list
 * of `{name, value}` in v1beta4 (which allows repeating a flag).
 */
function extraArgs(minor: number, args: Record<string, string>): unknown {
  return minor >= 31 ? Object.entries(args).map(([name, value]) => ({ name, value })) : { ...args };
}

/**
 * The kubeadm configuration for `kubeadm init`: InitConfiguration,
 * ClusterConfiguration and KubeletConfiguration as one multi-document YAML.
 * The one bootstrap token has no value, so kubeadm generates it and nothing
 * secret is ever part of the synthesized output.
 */
export function renderKubeadmConfig(input: KubeadmConfigInput): string {
  const apiVersion = kubeadmApiVersion(input.minor);
  const init: Record<string, unknown> = {
    apiVersion,
    kind: 'InitConfiguration',
    bootstrapTokens: [{ description: INIT_TOKEN_DESCRIPTION, ttl: INIT_TOKEN_TTL }],
  };
  if (input.initNode) {
    init.localAPIEndpoint = { advertiseAddress: input.initNode.ip, bindPort: API_SERVER_PORT };
  }
  init.nodeRegistration = {
    ...(input.initNode ? { name: input.initNode.name } : {}),
    criSocket: CRI_SOCKET,
  };

  const cluster: Record<string, unknown> = {
    apiVersion,
    kind: 'ClusterConfiguration',
    kubernetesVersion: `v${input.kubernetesVersion}`,
    ...(input.controlPlaneEndpoint ? { controlPlaneEndpoint: input.controlPlaneEndpoint } : {}),
    imageRepository: input.imageRepository,
    networking: {
      dnsDomain: input.dnsDomain,
      podSubnet: input.podSubnet,
      serviceSubnet: input.serviceSubnet,
    },
    // kube-controller-manager hands each node a pod subnet of this size; flannel
    // reads it from the node (its SubnetLen must agree).
    controllerManager: {
      extraArgs: extraArgs(input.minor, { 'node-cidr-mask-size': String(input.nodeCidrMaskSize) }),
    },
  };

  const kubelet = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // Must match containerd's SystemdCgroup = true.
    cgroupDriver: 'systemd',
  };

  return [
    `# kubeadm configuration for Kubernetes ${input.kubernetesVersion} (${apiVersion}),`,
    '# rendered by cdk8s-spark (KubeadmClusterPrereqs); control-plane.sh installs it',
    '# as /etc/kubernetes/kubeadm-config.yaml and runs kubeadm init with it.',
    Yaml.stringify(init, cluster, kubelet),
  ].join('\n');
}
