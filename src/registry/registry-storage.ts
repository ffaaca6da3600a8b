import { Size } from 'cdk8s';
import { IPersistentVolumeClaim, ISecret } from 'cdk8s-plus-28';
import { StorageClassRef } from '../cluster/storage';
import { brand, isBranded } from '../core/brand';
import { check } from '../core/errors';
import { isHostName } from '../core/host-port';
import { dnsSubdomain } from '../core/validate';

/** The kind of storage a {@link RegistryStorage} is. */
export enum RegistryStorageKind {
  /** A PersistentVolumeClaim the registry emits. */
  PERSISTENT_VOLUME = 'persistent-volume',
  /** A PersistentVolumeClaim the user owns. */
  EXISTING_CLAIM = 'existing-claim',
  /** Amazon S3 or an S3-compatible service. */
  S3 = 's3',
  /** Google Cloud Storage. */
  GCS = 'gcs',
  /** Azure Blob Storage. */
  AZURE = 'azure',
}

/** Options of {@link RegistryStorage.persistentVolume}. */
export interface RegistryVolumeOptions {
  /**
   * Size of the PersistentVolumeClaim (ReadWriteOnce).
   * @default Size.gibibytes(20)
   */
  readonly size?: Size;

  /**
   * StorageClass of the claim (see `RegistryMirrorOptions.storageClass`).
   * @default - the cluster's default class
   */
  readonly storageClass?: StorageClassRef;
}

/** A key of a Secret the user owns. */
export interface RegistrySecretKeyRef {
  /** The Secret. */
  readonly secret: ISecret;
  /** The key in the Secret. */
  readonly key: string;
}

/** What every object store shares. */
export interface RegistryObjectStorageOptions {
  /**
   * A prefix of every object the registry writes, to share a bucket.
   * @default - the bucket's (container's) root
   */
  readonly rootDirectory?: string;

  /**
   * Serve blobs through the registry instead of redirecting clients to a
   * pre-signed URL of the object store (`storage.redirect.disable`). Needed
   * when clients (the nodes) cannot reach the object store themselves, e.g.
   * an S3-compatible service only the cluster network resolves.
   * @default false - clients download blobs from the object store directly
   */
  readonly disableRedirect?: boolean;
}

/** Access keys of an S3 user, from a Secret. */
export interface RegistryS3Credentials {
  /** The Secret. */
  readonly secret: ISecret;

  /**
   * Key of the access key id in the Secret.
   * @default 'accessKey'
   */
  readonly accessKeyKey?: string;

  /**
   * Key of the secret access key in the Secret.
   * @default 'secretKey'
   */
  readonly secretKeyKey?: string;
}

/** Options of {@link RegistryStorage.s3}. */
export interface RegistryS3StorageOptions extends RegistryObjectStorageOptions {
  /** The bucket, which must exist. */
  readonly bucket: string;

  /** The region, e.g. `eu-central-1` (any name with an S3-compatible `regionEndpoint`). */
  readonly region: string;

  /**
   * The endpoint of an S3-compatible service (e.g. `https://minio.example.com`).
   * @default - Amazon S3
   */
  readonly regionEndpoint?: string;

  /**
   * Path-style addressing (`<endpoint>/<bucket>`), which most S3-compatible
   * services need.
   * @default false
   */
  readonly forcePathStyle?: boolean;

  /**
   * Server-side encryption of the objects.
   * @default - true on Amazon S3; false with a `regionEndpoint` (S3-compatible
   *            services often lack server-side encryption)
   */
  readonly encrypt?: boolean;

  /**
   * Access keys from a Secret.
   * @default - the AWS default credential chain: the registry's `identity`
   *            (IRSA, `WorkloadIdentity.aws(...)`) or the node's instance role
   */
  readonly credentials?: RegistryS3Credentials;
}

/** Options of {@link RegistryStorage.gcs}. */
export interface RegistryGcsStorageOptions extends RegistryObjectStorageOptions {
  /** The bucket, which must exist (and with `rootDirectory`, the prefix too). */
  readonly bucket: string;

  /**
   * A service account key file (JSON) from a Secret.
   * @default - Google application default credentials: the registry's
   *            `identity` (GKE Workload Identity, `WorkloadIdentity.gcp(...)`)
   *            or the node's service account
   */
  readonly keyFile?: RegistrySecretKeyRef;
}

/** Options of {@link RegistryStorage.azure}. */
export interface RegistryAzureStorageOptions extends RegistryObjectStorageOptions {
  /** The storage account. */
  readonly accountName: string;

  /** The blob container, which must exist. */
  readonly container: string;

  /**
   * The storage account's access key (shared-key authentication), from a
   * Secret. Required: the registry 3.0.0 cannot use Azure default
   * credentials (workload identity), see docs/registry-mirror.md.
   */
  readonly accountKey: RegistrySecretKeyRef;

  /**
   * The domain suffix of the storage service, e.g. `core.chinacloudapi.cn`.
   * @default 'core.windows.net'
   */
  readonly realm?: string;
}

// S3 bucket names (3-63 of lowercase letters, digits, dots, hyphens); GCS
// allows underscores too; Azure containers are lowercase letters, digits and
// single hyphens, 3-63 characters; storage accounts 3-24 lowercase letters
// and digits.
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const AZURE_CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const AZURE_ACCOUNT = /^[a-z0-9]{3,24}$/;
const REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ROOT_DIRECTORY = /^\/?[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/?$/;
const HTTP_URL = /^https?:\/\/([^/:\s]+)(:\d{1,5})?\/?$/;

/**
 * Where a {@link RegistryMirror} keeps its blobs: a volume (one replica) or
 * an object store (several replicas possible). Credentials of object stores
 * come only from Secrets the user owns, or from the registry's cloud identity.
 */
export class RegistryStorage {
  /** A ReadWriteOnce PersistentVolumeClaim the registry emits (the default). */
  public static persistentVolume(options: RegistryVolumeOptions = {}): RegistryStorage {
    return new RegistryStorage(RegistryStorageKind.PERSISTENT_VOLUME, { ...options });
  }

  /**
   * A PersistentVolumeClaim the user owns (e.g. `PersistentVolumeClaim.fromClaimName(...)`):
   * the registry emits none and runs one replica on it.
   */
  public static existingClaim(claim: IPersistentVolumeClaim): RegistryStorage {
    check(typeof claim?.name === 'string', 'RegistryStorage.existingClaim', 'claim', typeof claim, 'a PersistentVolumeClaim');
    dnsSubdomain('RegistryStorage.existingClaim', 'claim', claim.name);
    return new RegistryStorage(RegistryStorageKind.EXISTING_CLAIM, { claim });
  }

  /** Amazon S3 or an S3-compatible service (distribution's `s3` driver). */
  public static s3(options: RegistryS3StorageOptions): RegistryStorage {
    const where = 'RegistryStorage.s3';
    check(typeof options?.bucket === 'string' && S3_BUCKET.test(options.bucket), where, 'bucket', options?.bucket,
      'an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens');
    check(typeof options.region === 'string' && REGION.test(options.region), where, 'region', options.region, 'a region name, e.g. "eu-central-1"');
    if (options.regionEndpoint !== undefined) {
      const url = HTTP_URL.exec(options.regionEndpoint);
      check(url !== null && isHostName(url[1]), where, 'regionEndpoint', options.regionEndpoint,
        'an http(s) URL of a host without a path, e.g. "https://minio.example.com:9000"');
    }
    checkObjectOptions(where, options);
    return new RegistryStorage(RegistryStorageKind.S3, { ...options });
  }

  /** Google Cloud Storage (distribution's `gcs` driver). */
  public static gcs(options: RegistryGcsStorageOptions): RegistryStorage {
    const where = 'RegistryStorage.gcs';
    check(typeof options?.bucket === 'string' && GCS_BUCKET.test(options.bucket), where, 'bucket', options?.bucket,
      'a GCS bucket name: lowercase letters, digits, dots, hyphens and underscores');
    checkObjectOptions(where, options);
    return new RegistryStorage(RegistryStorageKind.GCS, { ...options });
  }

  /** Azure Blob Storage (distribution's `azure` driver, shared-key authentication). */
  public static azure(options: RegistryAzureStorageOptions): RegistryStorage {
    const where = 'RegistryStorage.azure';
    check(typeof options?.accountName === 'string' && AZURE_ACCOUNT.test(options.accountName), where, 'accountName', options?.accountName,
      'a storage account name: 3-24 lowercase letters and digits');
    check(typeof options.container === 'string' && AZURE_CONTAINER.test(options.container), where, 'container', options.container,
      'a container name: 3-63 lowercase letters, digits and single hyphens');
    check(options.accountKey !== undefined, where, 'accountKey', options.accountKey,
      'a Secret key: the registry 3.0.0 authenticates to Azure with the account key only (its default_credentials type used the shared key until distribution v3.1.0)');
    if (options.realm !== undefined) {
      check(typeof options.realm === 'string' && isHostName(options.realm), where, 'realm', options.realm, 'a DNS suffix, e.g. "core.windows.net"');
    }
    checkObjectOptions(where, options);
    return new RegistryStorage(RegistryStorageKind.AZURE, { ...options });
  }

  /** True when `x` is a {@link RegistryStorage} (also from another copy of the library). */
  public static isRegistryStorage(x: any): x is RegistryStorage {
    return isBranded(x, 'RegistryStorage');
  }

  /** The kind of storage. */
  public readonly kind: RegistryStorageKind;

  /** @internal the factory's options, as given */
  public readonly _options: any;

  private constructor(kind: RegistryStorageKind, options: any) {
    brand(this, 'RegistryStorage');
    this.kind = kind;
    this._options = options;
  }

  /** True for an object store (S3, GCS, Azure), which several replicas can share. */
  public get isObjectStorage(): boolean {
    return this.kind === RegistryStorageKind.S3 || this.kind === RegistryStorageKind.GCS || this.kind === RegistryStorageKind.AZURE;
  }
}

function checkObjectOptions(where: string, options: RegistryObjectStorageOptions): void {
  if (options.rootDirectory !== undefined) {
    check(typeof options.rootDirectory === 'string' && ROOT_DIRECTORY.test(options.rootDirectory) && !options.rootDirectory.split('/').includes('..'),
      where, 'rootDirectory', options.rootDirectory, 'a path of letters, digits, ".", "_" and "-" segments, e.g. "registry/prod"');
  }
  if (options.disableRedirect !== undefined) {
    check(typeof options.disableRedirect === 'boolean', where, 'disableRedirect', options.disableRedirect, 'true or false');
  }
}
