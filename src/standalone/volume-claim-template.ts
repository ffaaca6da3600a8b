import { Size } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-28';

/**
 * A PersistentVolumeClaim each pod of a StatefulSet gets its own of (a volume
 * claim template), mounted into the daemon's container: it stays with the pod
 * across restarts and reschedules, e.g. a worker's cache of downloaded jars.
 */
export interface StandaloneVolumeClaimTemplate {
  /**
   * The template's name, which is also the pod's volume name (the claims
   * are named `<name>-<pod>`): a DNS label no other volume of the pod uses.
   */
  readonly name: string;
  /** Storage requested by each claim (whole mebibytes, e.g. `Size.gibibytes(10)`). */
  readonly size: Size;
  /** Where the daemon's container mounts it (absolute, a path nothing else is mounted at). */
  readonly mountPath: string;
  /**
   * The claims' StorageClass.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * The claims' access modes.
   * @default [PersistentVolumeAccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: PersistentVolumeAccessMode[];
  /**
   * Mount it read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}
