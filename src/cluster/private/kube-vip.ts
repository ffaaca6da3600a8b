import { Yaml } from 'cdk8s';
import { API_SERVER_PORT } from './kubeadm-config';

/**
 * kube-vip's image: the release tag its release workflow publishes to ghcr.io
 * (kube-vip/kube-vip .github/workflows/release.yaml), v1.2.3 of August 2026.
 */
export const KUBE_VIP_IMAGE = 'ghcr.io/kube-vip/kube-vip:v1.2.3';

/** Placeholders the scripts replace per node. */
export const KUBE_VIP_INTERFACE = '@@INTERFACE@@';
export const KUBE_VIP_KUBECONFIG = '@@KUBECONFIG@@';

/**
 * The kube-vip static pod for the control-plane virtual IP, in ARP mode with
 * Kubernetes leader election: the leader answers ARP for the address, so no
 * port beyond the API server's is needed. Modelled on kube-vip's own
 * generator (kube-vip/kube-vip pkg/kubevip/config_generator.go,
 * generatePodSpec): the kubeconfig is mounted at /etc/kubernetes/admin.conf
 * and `kubernetes` resolves to 127.0.0.1, where kube-vip reaches the local
 * API server before the address is up. It runs as root with NET_ADMIN and
 * NET_RAW only (it assigns the address and sends gratuitous ARP).
 */
export function renderKubeVipManifest(address: string, image: string): string {
  const env: Record<string, string> = {
    vip_arp: 'true',
    port: String(API_SERVER_PORT),
    vip_interface: KUBE_VIP_INTERFACE,
    vip_subnet: '32',
    cp_enable: 'true',
    cp_namespace: 'kube-system',
    vip_leaderelection: 'true',
    vip_leasename: 'plndr-cp-lock',
    // kube-vip's defaults (cmd/kube-vip.go), written out so that they are reviewed.
    vip_leaseduration: '15',
    vip_renewdeadline: '10',
    vip_retryperiod: '2',
    address,
  };
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kube-vip', namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'kube-vip' } },
    spec: {
      hostNetwork: true,
      hostAliases: [{ ip: '127.0.0.1', hostnames: ['kubernetes'] }],
      priorityClassName: 'system-node-critical',
      containers: [{
        name: 'kube-vip',
        image,
        imagePullPolicy: 'IfNotPresent',
        args: ['manager'],
        env: [
          ...Object.entries(env).map(([name, value]) => ({ name, value })),
          { name: 'vip_nodename', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        ],
        resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        securityContext: {
          allowPrivilegeEscalation: false,
          capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
        volumeMounts: [{ name: 'kubeconfig', mountPath: '/etc/kubernetes/admin.conf', readOnly: true }],
      }],
      volumes: [{ name: 'kubeconfig', hostPath: { path: KUBE_VIP_KUBECONFIG, type: 'File' } }],
    },
  };
  return Yaml.stringify(pod);
}
