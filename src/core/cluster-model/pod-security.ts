import { describe, ModelObject, namespaceOf, podSpecOf, Rule } from './objects';
import { SafeSysctl, SeLinuxType } from '../pod-runtime-options';
import { sparkPods } from './spark-pods';

// Pod Security admission by namespace label
// (https://kubernetes.io/docs/concepts/security/pod-security-standards/ and
// kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_*.go).
// The checks below are the ones a pod of ours can trip; each names its control.

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim',
  'projected', 'secret']);

type Level = 'privileged' | 'baseline' | 'restricted';

/** What a pod spec breaks at `level`, one line per control. */
export function podSecurityViolations(spec: any, level: Level): string[] {
  if (level === 'privileged' || !spec) {
    return [];
  }
  const out: string[] = [];
  const containers: any[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  const pod = spec.securityContext ?? {};
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[host] === true) out.push(`${host}: true (Host Namespaces)`);
  }
  for (const v of spec.volumes ?? []) {
    if (v.hostPath) out.push(`volume ${v.name} is a hostPath (HostPath Volumes)`);
  }
  // check_seccompProfile_baseline.go: the pod's own Unconfined profile is refused too.
  if (pod.seccompProfile?.type === 'Unconfined') out.push('the pod sets seccomp Unconfined (Seccomp)');
  // check_sysctls.go: only the safe set.
  const safe: string[] = Object.values(SafeSysctl);
  for (const s of pod.sysctls ?? []) {
    if (!safe.includes(s?.name)) out.push(`the pod sets sysctl ${s?.name} (Sysctls)`);
  }
  // check_seLinuxOptions.go: the allowed types, no user, no role; pod-wide and per container.
  const badSeLinux = (o: any) => o !== undefined && o !== null
    && (!['', ...Object.values(SeLinuxType) as string[]].includes(o.type ?? '') || (o.user ?? '') !== '' || (o.role ?? '') !== '');
  if (badSeLinux(pod.seLinuxOptions)) out.push(`the pod sets seLinuxOptions ${JSON.stringify(pod.seLinuxOptions)} (SELinux)`);
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    if (sc.privileged === true) out.push(`container ${c.name} is privileged (Privileged Containers)`);
    for (const cap of sc.capabilities?.add ?? []) {
      if (!BASELINE_CAPABILITIES.has(cap)) out.push(`container ${c.name} adds capability ${cap} (Capabilities)`);
    }
    for (const p of c.ports ?? []) {
      if (p.hostPort !== undefined && p.hostPort !== 0) out.push(`container ${c.name} uses hostPort ${p.hostPort} (Host Ports)`);
    }
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp === 'Unconfined') out.push(`container ${c.name} runs with seccomp Unconfined (Seccomp)`);
    if (badSeLinux(sc.seLinuxOptions)) out.push(`container ${c.name} sets seLinuxOptions ${JSON.stringify(sc.seLinuxOptions)} (SELinux)`);
  }
  if (level !== 'restricted') {
    return out;
  }
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type !== undefined && !RESTRICTED_VOLUMES.has(type) && type !== 'hostPath') {
      out.push(`volume ${v.name} has type ${type} (Volume Types)`);
    }
  }
  // check_runAsNonRoot.go, check_runAsUser.go: a bad pod-level value is refused
  // even when every container overrides it.
  // A pod in its own user namespace need not run as non-root (relaxPolicyForUserNamespacePod, KEP-127).
  const userNamespace = spec.hostUsers === false;
  if (pod.runAsNonRoot === false && !userNamespace) out.push('the pod sets runAsNonRoot: false (Running as Non-root)');
  if (pod.runAsUser === 0) out.push('the pod sets runAsUser: 0 (Running as Non-root user)');
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) {
      out.push(`container ${c.name} does not set allowPrivilegeEscalation: false (Privilege Escalation)`);
    }
    if (!userNamespace && sc.runAsNonRoot !== false && (sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
      out.push(`container ${c.name} does not set runAsNonRoot: true, in its own or the pod's securityContext (Running as Non-root)`);
    }
    if (sc.runAsNonRoot === false && !userNamespace) {
      out.push(`container ${c.name} sets runAsNonRoot: false (Running as Non-root)`);
    }
    if (sc.runAsUser === 0) {
      out.push(`container ${c.name} runs as uid 0 (Running as Non-root user)`);
    }
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
      out.push(`container ${c.name} has no seccompProfile RuntimeDefault or Localhost, in its own or the pod's securityContext (Seccomp)`);
    }
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) out.push(`container ${c.name} does not drop ALL capabilities (Capabilities)`);
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap !== 'NET_BIND_SERVICE') out.push(`container ${c.name} adds capability ${cap}; restricted allows only NET_BIND_SERVICE (Capabilities)`);
    }
  }
  return out;
}


/**
 * Every pod the app runs (its workloads and the operator's Spark pods) meets
 * the Pod Security level its namespace enforces, when the app labels that namespace.
 */
export const podSecurityRule: Rule = (objects) => {
  const levels = new Map<string, { level: Level; from: ModelObject }>();
  for (const o of objects) {
    const level = o.json?.kind === 'Namespace' ? o.json.metadata?.labels?.['pod-security.kubernetes.io/enforce'] : undefined;
    if (level === 'baseline' || level === 'restricted' || level === 'privileged') {
      levels.set(o.json.metadata.name, { level, from: o });
    }
  }
  if (levels.size === 0) {
    return [];
  }
  const out: string[] = [];
  const check = (what: string, namespace: string, spec: any) => {
    const enforced = levels.get(namespace);
    if (!enforced) return;
    const problems = podSecurityViolations(spec, enforced.level);
    if (problems.length > 0) {
      out.push(`${what}: Namespace ${namespace} (${enforced.from.path ?? 'labels'}) enforces Pod Security "${enforced.level}" `
        + `and the API server would refuse the pods: ${problems.join('; ')}`);
    }
  };
  for (const o of objects) {
    const spec = podSpecOf(o.json);
    if (spec) check(`${describe(o)} pods`, namespaceOf(o.json), spec);
  }
  for (const pod of sparkPods(objects)) {
    if (pod.podSpec) check(`${describe(pod.owner)} ${pod.role} pods`, pod.namespace, pod.podSpec);
  }
  return out;
};
