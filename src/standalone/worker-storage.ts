import { Size } from 'cdk8s';
import { brand, isBranded } from '../core/brand';
import { dnsSubdomain, mebibytes } from '../core/validate';


/** The kind of storage of the workers' work directories. */
export enum WorkerStorageKind {
  /** An `emptyDir` on the node, deleted with the pod. */
  EMPTY_DIR = 'emptyDir',
  /** A PersistentVolumeClaim per worker, from a volume claim template. */
  PERSISTENT_VOLUME = 'persistentVolume',
}

/** Options of {@link WorkerStorage.emptyDir}. */
export interface EmptyDirWorkerStorageOptions {
  /**
   * Size limit of the `emptyDir`; the kubelet evicts a worker whose executors
   * write more (logs, shuffle files, spills).
   * @default Size.gibibytes(20)
   */
  readonly sizeLimit?: Size;
}

/** Options of {@link WorkerStorage.persistentVolume}. */
export interface PersistentWorkerStorageOptions {
  /** Size of each worker's claim. */
  readonly size: Size;

  /**
   * StorageClass of the claims (a fast local class suits shuffle data).
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

/**
 * Where a worker keeps its work directory: the executors' working
 * directories, logs and jars, and Spark's local directories (shuffle files,
 * spills).
 */
export class WorkerStorage {
  /** An `emptyDir` on the node (the default): fast, deleted with the pod. */
  public static emptyDir(options: EmptyDirWorkerStorageOptions = {}): WorkerStorage {
    const size = options.sizeLimit ?? Size.gibibytes(20);
    mebibytes('WorkerStorage.emptyDir', 'sizeLimit', size);
    return new WorkerStorage(WorkerStorageKind.EMPTY_DIR, size, undefined);
  }

  /**
   * A PersistentVolumeClaim per worker. The claims are deleted when the
   * StatefulSet is deleted or scaled down (the directory is scratch space).
   */
  public static persistentVolume(options: PersistentWorkerStorageOptions): WorkerStorage {
    mebibytes('WorkerStorage.persistentVolume', 'size', options.size);
    if (options.storageClassName !== undefined) {
      dnsSubdomain('WorkerStorage.persistentVolume', 'storageClassName', options.storageClassName);
    }
    return new WorkerStorage(WorkerStorageKind.PERSISTENT_VOLUME, options.size, options.storageClassName);
  }

  /** True when `x` is a {@link WorkerStorage} (also from another copy of the library). */
  public static isWorkerStorage(x: any): x is WorkerStorage {
    return isBranded(x, 'WorkerStorage');
  }

  /** The kind of storage. */
  public readonly kind: WorkerStorageKind;
  /** The size (limit of the emptyDir, or size of each claim). */
  public readonly size: Size;
  /** StorageClass of the claims, when given. */
  public readonly storageClassName?: string;

  private constructor(kind: WorkerStorageKind, size: Size, storageClassName: string | undefined) {
    brand(this, 'WorkerStorage');
    this.kind = kind;
    this.size = size;
    this.storageClassName = storageClassName;
  }
}
