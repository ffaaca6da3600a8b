/**
 * The Kubernetes rows of the compatibility table (see `Compatibility`):
 * which Kubernetes releases the node scripts install, and what each needs
 * from kubeadm's configuration API, containerd and the package repository.
 */

/** Oldest and newest Kubernetes minor versions the node scripts and the kubeadm configuration are written for. */
export const KUBERNETES_MINORS = { min: 28, max: 37 } as const;

/**
 * kubeadm's configuration API by Kubernetes minor: v1beta4 from 1.31 on,
 * v1beta3 before (kubernetes/kubernetes cmd/kubeadm/app/apis/kubeadm/v1beta4
 * doc.go: "introduced in Kubernetes v1.31"; v1beta3 is still read by 1.31+
 * but deprecated).
 */
export function kubeadmApiVersion(minor: number): string {
  return minor >= 31 ? 'kubeadm.k8s.io/v1beta4' : 'kubeadm.k8s.io/v1beta3';
}

/**
 * The oldest containerd release of each branch that containerd recommends for
 * a Kubernetes minor version: the "Kubernetes Support" table of RELEASES.md in
 * containerd/containerd (main, August 2026: rows 1.32-1.36; rows 1.28-1.31 from
 * its earlier versions, before they were dropped). A branch missing from a row
 * (e.g. 1.6 for 1.35) is not supported for that minor. Minors newer than the
 * table use its newest row.
 */
const CONTAINERD_MINIMUMS: { readonly [minor: number]: readonly string[] } = {
  28: ['1.7.0', '1.6.15'],
  29: ['1.7.11', '1.6.27'],
  30: ['2.1.0', '2.0.0', '1.7.13', '1.6.28'],
  31: ['2.1.0', '2.0.0', '1.7.20', '1.6.34'],
  32: ['2.1.0', '2.0.1', '1.7.24', '1.6.36'],
  33: ['2.1.0', '2.0.4', '1.7.24', '1.6.36'],
  34: ['2.1.3', '2.0.6', '1.7.28', '1.6.39'],
  35: ['2.2.0', '2.1.5', '1.7.28'],
  36: ['2.3.0', '2.2.0'],
};

/** The containerd minimums for a Kubernetes minor version (the newest row for minors beyond the table). */
export function containerdMinimums(minor: number): readonly string[] {
  const known = Object.keys(CONTAINERD_MINIMUMS).map(Number);
  return CONTAINERD_MINIMUMS[Math.min(Math.max(minor, Math.min(...known)), Math.max(...known))];
}

/** The pkgs.k8s.io repository of a Kubernetes minor version (`1.33`): one repository per minor. */
export function pkgsK8sIoBase(minor: string): string {
  return `https://pkgs.k8s.io/core:/stable:/v${minor}`;
}

/**
 * The Kubernetes minor versions (`1.33`) a package repository URL names in a
 * path segment such as `/v1.33/` (the pkgs.k8s.io layout, kept by mirrors).
 */
export function minorsInRepositoryUrl(url: string): string[] {
  return [...url.matchAll(/\/v?(1\.\d+)(?=\/|$)/g)].map((m) => m[1]);
}
