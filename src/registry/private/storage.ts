// How a RegistryStorage reaches the registry: the driver section of its
// configuration, the environment variables with credentials (from Secrets,
// never in the ConfigMap) and the volumes.
//
// Sources (distribution/distribution v3.0.0):
// - registry/storage/driver/s3-aws/s3.go: accesskey/secretkey omitted (or
//   empty) means the AWS SDK's default chain (web identity for IRSA, the
//   instance role); region, regionendpoint, forcepathstyle, encrypt,
//   rootdirectory;
// - registry/storage/driver/gcs/gcs.go and docs/content/storage-drivers/gcs.md:
//   keyfile, or Google application default credentials without it;
// - registry/storage/driver/azure/parser.go and auth.go: accountname,
//   container, realm, credentials.type; in v3.0.0 `default_credentials`
//   takes the shared-key path (fixed by ea6ab3652 in v3.1.0), so only
//   `shared_key` with accountkey works;
// - configuration/parser.go (overwriteFields/overwriteMap): an environment
//   variable REGISTRY_A_B_C overrides the key a.b.c, also inside the driver's
//   parameter map, so REGISTRY_STORAGE_S3_ACCESSKEY reaches storage.s3.accesskey
//   (the variables twuni/docker-registry.helm templates/_helpers.tpl sets too,
//   with REGISTRY_STORAGE_AZURE_ACCOUNTKEY and REGISTRY_HTTP_SECRET).
import { ISecret, k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { ClusterStorage, StorageClassRef } from '../../cluster/storage';
import { check } from '../../core/errors';
import { secretKey, secretRef } from '../../core/validate';
import { WorkloadIdentity, WorkloadIdentityProvider } from '../../core/workload-identity';
import {
  RegistryAzureStorageOptions, RegistryGcsStorageOptions, RegistryS3StorageOptions, RegistryStorage, RegistryStorageKind,
  RegistryVolumeOptions,
} from '../registry-storage';
import { REGISTRY_PATHS } from './config';

/** Where the GCS key file is mounted. */
export const GCS_KEY_DIR = '/etc/distribution/gcs';
const GCS_KEY_FILE = `${GCS_KEY_DIR}/key.json`;

/** A checked storage choice, ready to render. */
export interface ResolvedStorage {
  readonly kind: RegistryStorageKind;
  readonly objectStorage: boolean;
  /** The claim to emit: its size in MiB and class. */
  readonly newClaim?: { readonly storageMib: number; readonly storageClass?: StorageClassRef };
  /** The name of a claim the user owns. */
  readonly existingClaim?: string;
  /** The `storage.<driver>` section, without credentials. */
  readonly driver: { [driver: string]: { [key: string]: unknown } };
  /** `storage.redirect.disable`, for object stores. */
  readonly disableRedirect?: boolean;
  /** Credentials from Secrets. */
  readonly env: k8s.EnvVar[];
  /** A Secret volume (the GCS key file). */
  readonly keyFile?: { readonly secret: ISecret; readonly key: string };
}

const fromSecret = (name: string, secret: ISecret, key: string): k8s.EnvVar =>
  ({ name, valueFrom: { secretKeyRef: { name: secret.name, key } } });

/**
 * Checks `storage` for the registry `scope` and resolves it.
 * @param volume the volume the legacy `storageSize`/`storageClass` props ask for, when `storage` is not given
 * @param checkSize checks the claim's size and returns MiB
 */
export function resolveStorage(scope: IConstruct, storage: RegistryStorage | undefined, legacy: RegistryVolumeOptions,
  identity: WorkloadIdentity | undefined, checkSize: (options: RegistryVolumeOptions) => number): ResolvedStorage {
  if (storage === undefined) {
    return resolveVolume(scope, 'storageClass', legacy, checkSize);
  }
  check(RegistryStorage.isRegistryStorage(storage), scope, 'storage', typeof storage,
    'a RegistryStorage, e.g. RegistryStorage.s3({...}) or RegistryStorage.persistentVolume()');
  check(legacy.size === undefined && legacy.storageClass === undefined, scope, 'storageSize/storageClass', 'set beside storage',
    'unset when storage is given: give them to RegistryStorage.persistentVolume({ size, storageClass })');
  const options = storage._options;
  switch (storage.kind) {
    case RegistryStorageKind.PERSISTENT_VOLUME:
      return resolveVolume(scope, 'storage.storageClass', options, checkSize);
    case RegistryStorageKind.EXISTING_CLAIM:
      return { kind: storage.kind, objectStorage: false, existingClaim: options.claim.name, driver: filesystem(), env: [] };
    case RegistryStorageKind.S3:
      return resolveS3(scope, options, identity);
    case RegistryStorageKind.GCS:
      return resolveGcs(scope, options, identity);
    default:
      return resolveAzure(scope, options);
  }
}

function filesystem() {
  return { filesystem: { rootdirectory: REGISTRY_PATHS.data } };
}

function resolveVolume(scope: IConstruct, classProperty: string, options: RegistryVolumeOptions,
  checkSize: (options: RegistryVolumeOptions) => number): ResolvedStorage {
  const storageMib = checkSize(options);
  const storageClass = options.storageClass !== undefined ? ClusterStorage.use(scope, classProperty, options.storageClass) : undefined;
  ClusterStorage.checkClaims(scope);
  return { kind: RegistryStorageKind.PERSISTENT_VOLUME, objectStorage: false, newClaim: { storageMib, storageClass }, driver: filesystem(), env: [] };
}

/** Keyless object storage uses the cloud's default credentials: a given identity must be that cloud's. */
function checkKeylessIdentity(scope: IConstruct, identity: WorkloadIdentity | undefined, provider: WorkloadIdentityProvider, what: string): void {
  check(identity === undefined || identity.provider === provider, scope, 'identity', identity?.provider,
    `a WorkloadIdentity of ${provider} (or none): ${what} without keys authenticates with that cloud's default credentials`);
}

function objectCommon(o: { rootDirectory?: string }): { [key: string]: unknown } {
  return o.rootDirectory !== undefined ? { rootdirectory: o.rootDirectory } : {};
}

function resolveS3(scope: IConstruct, o: RegistryS3StorageOptions, identity: WorkloadIdentity | undefined): ResolvedStorage {
  const env: k8s.EnvVar[] = [];
  if (o.credentials !== undefined) {
    const secret = secretRef(scope, 'storage.credentials.secret', o.credentials.secret);
    env.push(
      fromSecret('REGISTRY_STORAGE_S3_ACCESSKEY', secret, secretKey(scope, 'storage.credentials.accessKeyKey', o.credentials.accessKeyKey ?? 'accessKey')),
      fromSecret('REGISTRY_STORAGE_S3_SECRETKEY', secret, secretKey(scope, 'storage.credentials.secretKeyKey', o.credentials.secretKeyKey ?? 'secretKey')),
    );
  } else if (o.regionEndpoint === undefined) {
    checkKeylessIdentity(scope, identity, WorkloadIdentityProvider.AWS, 'Amazon S3');
  }
  for (const flag of ['forcePathStyle', 'encrypt'] as const) {
    check(o[flag] === undefined || typeof o[flag] === 'boolean', scope, `storage.${flag}`, o[flag], 'true or false');
  }
  return {
    kind: RegistryStorageKind.S3,
    objectStorage: true,
    driver: {
      s3: {
        region: o.region,
        bucket: o.bucket,
        ...(o.regionEndpoint !== undefined ? { regionendpoint: o.regionEndpoint } : {}),
        forcepathstyle: o.forcePathStyle ?? false,
        // Server-side encryption by default on Amazon S3; S3-compatible services often lack it.
        encrypt: o.encrypt ?? o.regionEndpoint === undefined,
        ...objectCommon(o),
      },
    },
    disableRedirect: o.disableRedirect ?? false,
    env,
  };
}

function resolveGcs(scope: IConstruct, o: RegistryGcsStorageOptions, identity: WorkloadIdentity | undefined): ResolvedStorage {
  let keyFile: ResolvedStorage['keyFile'];
  if (o.keyFile !== undefined) {
    keyFile = { secret: secretRef(scope, 'storage.keyFile.secret', o.keyFile.secret), key: secretKey(scope, 'storage.keyFile.key', o.keyFile.key) };
  } else {
    checkKeylessIdentity(scope, identity, WorkloadIdentityProvider.GCP, 'Google Cloud Storage');
  }
  return {
    kind: RegistryStorageKind.GCS,
    objectStorage: true,
    driver: { gcs: { bucket: o.bucket, ...(keyFile ? { keyfile: GCS_KEY_FILE } : {}), ...objectCommon(o) } },
    disableRedirect: o.disableRedirect ?? false,
    env: [],
    keyFile,
  };
}

function resolveAzure(scope: IConstruct, o: RegistryAzureStorageOptions): ResolvedStorage {
  const secret = secretRef(scope, 'storage.accountKey.secret', o.accountKey?.secret);
  const key = secretKey(scope, 'storage.accountKey.key', o.accountKey.key);
  return {
    kind: RegistryStorageKind.AZURE,
    objectStorage: true,
    driver: {
      azure: {
        accountname: o.accountName,
        container: o.container,
        ...(o.realm !== undefined ? { realm: o.realm } : {}),
        credentials: { type: 'shared_key' },
        ...objectCommon(o),
      },
    },
    disableRedirect: o.disableRedirect ?? false,
    env: [fromSecret('REGISTRY_STORAGE_AZURE_ACCOUNTKEY', secret, key)],
  };
}
