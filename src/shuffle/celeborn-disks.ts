import { Size } from 'cdk8s';
import { StorageClassRef } from '../cluster/storage';
import { brand, isBranded } from '../core/brand';
import { check } from '../core/errors';
import { integer, mebibytes } from '../core/validate';

/** Where a Celeborn worker keeps its shuffle data. */
export enum CelebornDiskKind {
  /** A PersistentVolumeClaim per disk and worker (a StatefulSet claim template): the data outlives the pod. */
  PERSISTENT_VOLUME_CLAIM = 'persistent-volume-claim',
  /** An emptyDir per disk on the node's own storage, with a size limit: the data goes with the pod. */
  EMPTY_DIR = 'empty-dir',
}

/** Options of {@link CelebornDisks.persistentVolumeClaims}. */
export interface CelebornPersistentDisksOptions {
  /**
   * Number of disks of each worker, mounted at `/mnt/disk1`, `/mnt/disk2`...
   * @default 1
   */
  readonly count?: number;
  /**
   * Size of each claim, also the capacity the worker is told.
   * @default Size.gibibytes(50)
   */
  readonly size?: Size;
  /**
   * Storage class of the claims.
   * @default - the cluster's `storageClass`
   */
  readonly storageClass?: StorageClassRef;
}

/** Options of {@link CelebornDisks.emptyDir}. */
export interface CelebornEmptyDirDisksOptions {
  /**
   * Number of disks of each worker, mounted at `/mnt/disk1`, `/mnt/disk2`...
   * @default 1
   */
  readonly count?: number;
  /**
   * Size of each disk: the emptyDir's `sizeLimit` (the kubelet evicts the pod
   * beyond it) and the capacity the worker is told, so it stops taking data
   * before. The worker requests this much ephemeral storage per disk.
   * @default Size.gibibytes(50)
   */
  readonly size?: Size;
}

/**
 * The shuffle disks of each Celeborn worker: claims that keep the data when a
 * pod is replaced, or the node's own storage (faster where the node has local
 * SSDs, no storage provider needed) whose data is lost with the pod. With
 * emptyDir disks, let the jobs push every block to a second worker
 * (`client: { replicate: true }` on the CelebornCluster, which sets
 * `celeborn.client.push.replicate.enabled`, apache/celeborn
 * docs/configuration/client.md) so losing one worker loses no map output.
 *
 * @example
 * new CelebornCluster(chart, 'Celeborn', {
 *   storageClass: StorageClassRef.existing('standard'), // the masters' Raft logs
 *   workers: { replicas: 4, shuffleDisks: CelebornDisks.emptyDir({ count: 2, size: Size.gibibytes(200) }) },
 *   client: { replicate: true },
 * });
 */
export class CelebornDisks {
  /** One PersistentVolumeClaim per disk and worker (the default: one 50 GiB claim). */
  public static persistentVolumeClaims(options: CelebornPersistentDisksOptions = {}): CelebornDisks {
    const where = 'CelebornDisks.persistentVolumeClaims';
    check(options.storageClass === undefined || StorageClassRef.isStorageClassRef(options.storageClass), where, 'storageClass',
      typeof options.storageClass, 'a StorageClassRef, e.g. StorageClassRef.existing("fast-ssd")');
    return new CelebornDisks(CelebornDiskKind.PERSISTENT_VOLUME_CLAIM, where, options.count, options.size, options.storageClass);
  }

  /**
   * One emptyDir per disk on the node's storage, limited to `size`: lost when
   * the pod goes (a restart keeps it, a rescheduling or a node failure does not).
   */
  public static emptyDir(options: CelebornEmptyDirDisksOptions = {}): CelebornDisks {
    return new CelebornDisks(CelebornDiskKind.EMPTY_DIR, 'CelebornDisks.emptyDir', options.count, options.size, undefined);
  }

  /** True when `x` is a CelebornDisks (also from another copy of the library). */
  public static isCelebornDisks(x: any): x is CelebornDisks {
    return isBranded(x, 'CelebornDisks');
  }

  /** Where the data lives. */
  public readonly kind: CelebornDiskKind;
  /** Number of disks of each worker. */
  public readonly count: number;
  /** Size of each disk. */
  public readonly size: Size;
  /** Storage class of the claims, when given (claims only). */
  public readonly storageClass?: StorageClassRef;

  private constructor(kind: CelebornDiskKind, where: string, count: number | undefined, size: Size | undefined,
    storageClass: StorageClassRef | undefined) {
    brand(this, 'CelebornDisks');
    this.kind = kind;
    this.count = integer(where, 'count', count ?? 1, { min: 1, max: 16 });
    this.size = size ?? Size.gibibytes(50);
    mebibytes(where, 'size', this.size);
    this.storageClass = storageClass;
  }
}
