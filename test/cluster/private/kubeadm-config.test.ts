import { parseAllDocuments } from 'yaml';
import {
  API_SERVER_PORT, CRI_SOCKET, INIT_TOKEN_DESCRIPTION, INIT_TOKEN_TTL, KubeadmConfigInput, renderKubeadmConfig,
} from '../../../src/cluster/private/kubeadm-config';
import { kubeadmApiVersion } from '../../../src/core/compatibility-kubernetes';

// Field names and shapes from kubeadm's configuration API (kubernetes/kubernetes
// cmd/kubeadm/app/apis/kubeadm/v1beta4/doc.go, whose full example has every field
// used here; v1beta3 differs for these fields only in extraArgs being a map).
const INPUT: KubeadmConfigInput = {
  kubernetesVersion: '1.33.1',
  minor: 33,
  imageRepository: 'registry.k8s.io',
  podSubnet: '10.244.0.0/16',
  serviceSubnet: '10.96.0.0/12',
  dnsDomain: 'cluster.local',
  nodeCidrMaskSize: 24,
};

/** The three documents, parsed (and checked to parse without errors). */
function documents(input: KubeadmConfigInput): any[] {
  const docs = parseAllDocuments(renderKubeadmConfig(input));
  for (const doc of docs) {
    expect(doc.errors).toEqual([]);
  }
  return docs.map((d) => d.toJS());
}
const byKind = (input: KubeadmConfigInput) => Object.fromEntries(documents(input).map((d) => [d.kind, d]));

describe('cluster/private/kubeadm-config', () => {
  // "kubeadm v1.31.x and newer can be used to migrate from v1beta3 to v1beta4" (v1beta4/doc.go):
  // v1beta4 exists from 1.31; the library supports 1.28 to 1.37.
  test.each<[number, string]>([
    [28, 'kubeadm.k8s.io/v1beta3'],
    [30, 'kubeadm.k8s.io/v1beta3'],
    [31, 'kubeadm.k8s.io/v1beta4'],
    [33, 'kubeadm.k8s.io/v1beta4'],
    [37, 'kubeadm.k8s.io/v1beta4'],
  ])('Kubernetes 1.%i uses %s for both kubeadm documents', (minor, apiVersion) => {
    expect(kubeadmApiVersion(minor)).toBe(apiVersion);
    const docs = documents({ ...INPUT, kubernetesVersion: `1.${minor}.2`, minor });
    expect(docs.map((d) => [d.apiVersion, d.kind])).toEqual([
      [apiVersion, 'InitConfiguration'],
      [apiVersion, 'ClusterConfiguration'],
      ['kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration'],
    ]);
    expect(docs[1].kubernetesVersion).toBe(`v1.${minor}.2`);
  });

  // v1beta4 replaced the string maps with lists of {name, value} that allow duplicates (v1beta4/doc.go).
  test.each<[number, unknown]>([
    [30, { 'node-cidr-mask-size': '24' }],
    [31, [{ name: 'node-cidr-mask-size', value: '24' }]],
  ])('controller-manager flags in the shape of 1.%i\'s API version, values as strings', (minor, extraArgs) => {
    expect(byKind({ ...INPUT, minor }).ClusterConfiguration.controllerManager).toEqual({ extraArgs });
  });

  test('the cluster-wide settings kubeadm init reads', () => {
    const cluster = byKind({ ...INPUT, controlPlaneEndpoint: 'api.example.com:6443' }).ClusterConfiguration;
    expect(cluster).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      kubernetesVersion: 'v1.33.1',
      controlPlaneEndpoint: 'api.example.com:6443',
      imageRepository: 'registry.k8s.io',
      networking: { dnsDomain: 'cluster.local', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12' },
      controllerManager: { extraArgs: [{ name: 'node-cidr-mask-size', value: '24' }] },
    });
    // Without an endpoint the field is absent (kubeadm then uses the advertise address).
    expect(byKind(INPUT).ClusterConfiguration).not.toHaveProperty('controlPlaneEndpoint');
  });

  test('one bootstrap token without a value: kubeadm generates it, nothing secret is rendered', () => {
    const init = byKind(INPUT).InitConfiguration;
    expect(init.bootstrapTokens).toEqual([{ description: INIT_TOKEN_DESCRIPTION, ttl: INIT_TOKEN_TTL }]);
    expect(init.bootstrapTokens[0]).not.toHaveProperty('token');
    // A Go duration kubeadm parses (metav1.Duration).
    expect(INIT_TOKEN_TTL).toMatch(/^(\d+h)?(\d+m)?(\d+s)?$/);
    expect(renderKubeadmConfig(INPUT)).not.toMatch(/[a-z0-9]{6}\.[a-z0-9]{16}/);
  });

  test.each<[string, KubeadmConfigInput['initNode'], object]>([
    ['without declared nodes: kubeadm picks the address and the host name', undefined, { nodeRegistration: { criSocket: CRI_SOCKET } }],
    ['with the init node declared: its name and advertise address', { name: 'cp-1', ip: '192.168.10.11' }, {
      localAPIEndpoint: { advertiseAddress: '192.168.10.11', bindPort: API_SERVER_PORT },
      nodeRegistration: { name: 'cp-1', criSocket: CRI_SOCKET },
    }],
  ])('InitConfiguration %s', (_name, initNode, expected) => {
    const init = byKind({ ...INPUT, initNode }).InitConfiguration;
    const { apiVersion, kind, bootstrapTokens, ...rest } = init;
    expect(rest).toEqual(expected);
  });

  test('containerd\'s socket as the unix:// URL kubeadm expects, the API server on 6443, the systemd cgroup driver', () => {
    expect(CRI_SOCKET).toBe('unix:///var/run/containerd/containerd.sock');
    expect(API_SERVER_PORT).toBe(6443);
    // kubelet and containerd must agree on the cgroup driver (containerd is configured with SystemdCgroup = true).
    expect(byKind(INPUT).KubeletConfiguration).toEqual({
      apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', cgroupDriver: 'systemd',
    });
  });

  test('the header comment names the version and the API version, before the first document', () => {
    const text = renderKubeadmConfig(INPUT);
    expect(text.split('\n').slice(0, 3).every((l) => l.startsWith('# '))).toBe(true);
    expect(text).toMatch(/^# kubeadm configuration for Kubernetes 1\.33\.1 \(kubeadm\.k8s\.io\/v1beta4\),\n/);
    expect(text).toContain('\n---\n');
  });
});
