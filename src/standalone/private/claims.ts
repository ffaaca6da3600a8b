import { k8s, PersistentVolumeAccessMode } from 'cdk8s-plus-28';
import { check, Where } from '../../core/errors';
import { StandardLabels } from '../../core/labels';
import { memoryQuantity } from '../../core/quantities';
import { dnsLabel, dnsSubdomain, enumValue, mebibytes } from '../../core/validate';
import type { StandaloneVolumeClaimTemplate } from '../volume-claim-template';

/** A user's volume claim template, checked: the claim template and the daemon container's mount. */
export interface ResolvedClaim {
  readonly template: k8s.KubePersistentVolumeClaimProps;
  readonly mount: k8s.VolumeMount;
}

/** Checks the claim templates given as `prop` (names, sizes, classes, modes, paths). */
export function resolveClaimTemplates(where: Where, prop: string, given: StandaloneVolumeClaimTemplate[] | undefined,
  labels: StandardLabels): ResolvedClaim[] {
  const list = given ?? [];
  check(Array.isArray(list), where, prop, list, 'a list of StandaloneVolumeClaimTemplate');
  return list.map((c, i) => {
    const at = `${prop}[${i}]`;
    check(c !== null && typeof c === 'object', where, at, c, '{ name, size, mountPath }');
    // The claim is `<name>-<pod>`: a DNS subdomain the API server checks, and the pod's volume name a DNS label.
    dnsLabel(where, `${at}.name`, c.name);
    check(!list.slice(0, i).some((o) => o.name === c.name), where, `${at}.name`, c.name, 'distinct template names');
    const mib = mebibytes(where, `${at}.size`, c.size);
    check(typeof c.mountPath === 'string' && c.mountPath.startsWith('/') && !c.mountPath.split('/').includes('..'), where, `${at}.mountPath`,
      c.mountPath, 'an absolute path without ".." segments');
    if (c.storageClassName !== undefined) {
      dnsSubdomain(where, `${at}.storageClassName`, c.storageClassName);
    }
    const modes = c.accessModes ?? [PersistentVolumeAccessMode.READ_WRITE_ONCE];
    check(Array.isArray(modes) && modes.length > 0, where, `${at}.accessModes`, modes, 'at least one access mode');
    modes.forEach((m, j) => enumValue(where, `${at}.accessModes[${j}]`, m, PersistentVolumeAccessMode));
    check(c.readOnly === undefined || typeof c.readOnly === 'boolean', where, `${at}.readOnly`, c.readOnly, 'true or false');
    return {
      template: {
        metadata: { name: c.name, labels: labels.all() },
        spec: {
          accessModes: [...new Set(modes)],
          ...(c.storageClassName !== undefined ? { storageClassName: c.storageClassName } : {}),
          resources: { requests: { storage: k8s.Quantity.fromString(memoryQuantity(mib * 1024)) } },
        },
      },
      mount: { name: c.name, mountPath: c.mountPath, ...(c.readOnly ? { readOnly: true } : {}) },
    };
  });
}

/**
 * Refuses a claim whose name is a volume of the rendered pod (the
 * StatefulSet controller would put the claim in that volume's place) or
 * whose path the container mounts something else at.
 */
export function checkClaimsAgainstPod(where: Where, prop: string, claims: ResolvedClaim[], spec: k8s.PodSpec, container: string): void {
  const volumes = (spec.volumes ?? []).map((v) => v.name);
  const mounts = spec.containers.find((c) => c.name === container)?.volumeMounts ?? [];
  claims.forEach((c, i) => {
    check(!volumes.includes(c.mount.name), where, `${prop}[${i}].name`, c.mount.name,
      `a name no volume of the pod has (it has ${volumes.join(', ')})`);
    check(mounts.filter((m) => m.mountPath === c.mount.mountPath).length === 1, where, `${prop}[${i}].mountPath`, c.mount.mountPath,
      `a path nothing else is mounted at in container ${container}`);
  });
}
