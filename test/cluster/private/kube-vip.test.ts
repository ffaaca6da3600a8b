import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import {
  KUBE_VIP_IMAGE, KUBE_VIP_INTERFACE, KUBE_VIP_KUBECONFIG, renderKubeVipManifest,
} from '../../../src/cluster/private/kube-vip';
import { API_SERVER_PORT } from '../../../src/cluster/private/kubeadm-config';

const ADDRESS = '192.168.10.100';
const manifest = () => renderKubeVipManifest(ADDRESS, KUBE_VIP_IMAGE);
const pod = () => parse(manifest());
const container = () => pod().spec.containers[0];
const envOf = () => Object.fromEntries(container().env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));

describe('cluster/private/kube-vip', () => {
  // The variables kube-vip v1.2.3 reads (kube-vip/kube-vip pkg/kubevip/config_envvar.go,
  // parsed in pkg/kubevip/config_environment.go: booleans with strconv.ParseBool, port with
  // strconv.ParseUint(.., 16), the lease timings as integers of seconds).
  test.each<[string, string]>([
    ['vip_arp', 'true'],
    ['port', String(API_SERVER_PORT)],
    ['vip_interface', KUBE_VIP_INTERFACE],
    ['vip_subnet', '32'],
    ['cp_enable', 'true'],
    ['cp_namespace', 'kube-system'],
    ['vip_leaderelection', 'true'],
    ['vip_leasename', 'plndr-cp-lock'],
    // kube-vip's own defaults (cmd/kube-vip.go: leaseDuration 15, leaseRenewDuration 10, leaseRetry 2).
    ['vip_leaseduration', '15'],
    ['vip_renewdeadline', '10'],
    ['vip_retryperiod', '2'],
    ['address', ADDRESS],
  ])('env %s is the string %p', (name, value) => {
    // Kubernetes refuses a non-string env value, so numbers and booleans must stay quoted in the YAML.
    expect(envOf()[name]).toBe(value);
    expect(typeof envOf()[name]).toBe('string');
  });

  test('no variable is set twice; the node name comes from the downward API', () => {
    const names = container().env.map((e: any) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(container().env.find((e: any) => e.name === 'vip_nodename'))
      .toEqual({ name: 'vip_nodename', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
  });

  // Modelled on kube-vip's generator (pkg/kubevip/config_generator.go): `manager`, the kubeconfig
  // at /etc/kubernetes/admin.conf, `kubernetes` resolving to 127.0.0.1, NET_ADMIN and NET_RAW.
  test('a static pod on the host network that reaches the local API server and may assign the address', () => {
    const p = pod();
    expect(p).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-vip', namespace: 'kube-system' } });
    expect(p.spec.hostNetwork).toBe(true);
    expect(p.spec.hostAliases).toEqual([{ ip: '127.0.0.1', hostnames: ['kubernetes'] }]);
    expect(p.spec.priorityClassName).toBe('system-node-critical');
    const c = container();
    expect(c.image).toBe(KUBE_VIP_IMAGE);
    expect(c.args).toEqual(['manager']);
    expect(c.securityContext.capabilities).toEqual({ add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] });
    expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(c.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(c.resources.requests).toBeDefined();
    expect(c.resources.limits).toBeDefined();
    expect(c.volumeMounts).toEqual([{ name: 'kubeconfig', mountPath: '/etc/kubernetes/admin.conf', readOnly: true }]);
    expect(p.spec.volumes).toEqual([{ name: 'kubeconfig', hostPath: { path: KUBE_VIP_KUBECONFIG, type: 'File' } }]);
  });

  test('the image is pinned to a release tag and passed through', () => {
    expect(KUBE_VIP_IMAGE).toMatch(/^ghcr\.io\/kube-vip\/kube-vip:v\d+\.\d+\.\d+$/);
    expect(parse(renderKubeVipManifest(ADDRESS, 'mirror.example.com/kube-vip/kube-vip:v1.2.3')).spec.containers[0].image)
      .toBe('mirror.example.com/kube-vip/kube-vip:v1.2.3');
  });

  // The node scripts fill the placeholders with bash pattern substitution
  // (src/cluster/private/node-scripts/sh/kube-vip.sh, write_kube_vip_manifest).
  test('the placeholders are the ones kube-vip.sh replaces, each once, and the result is the pod kubelet reads', () => {
    const script = fs.readFileSync(path.join(__dirname, '../../../src/cluster/private/node-scripts/sh/kube-vip.sh'), 'utf8');
    expect(script).toContain(`\${KUBE_VIP_MANIFEST//${KUBE_VIP_INTERFACE}/$iface}`);
    expect(script).toContain(`\${manifest//${KUBE_VIP_KUBECONFIG}/$1}`);
    const text = manifest();
    expect(text.split(KUBE_VIP_INTERFACE).length - 1).toBe(1);
    expect(text.split(KUBE_VIP_KUBECONFIG).length - 1).toBe(1);

    const filled = execFileSync('bash', ['-c', [
      'iface=enp1s0; set -- /etc/kubernetes/super-admin.conf',
      `manifest=\${KUBE_VIP_MANIFEST//${KUBE_VIP_INTERFACE}/$iface}`,
      `manifest=\${manifest//${KUBE_VIP_KUBECONFIG}/$1}`,
      'printf "%s\\n" "$manifest"',
    ].join('\n')], { encoding: 'utf8', input: '', env: { PATH: process.env.PATH, KUBE_VIP_MANIFEST: text } });
    const p = parse(filled);
    expect(p.spec.containers[0].env.find((e: any) => e.name === 'vip_interface').value).toBe('enp1s0');
    expect(p.spec.volumes[0].hostPath.path).toBe('/etc/kubernetes/super-admin.conf');
    expect(filled).not.toContain('@@');
  });
});
