import { ISecret, k8s } from 'cdk8s-plus-28';
import { check } from '../errors';
import { secretKey, secretRef } from '../validate';
import { WorkloadIdentityProvider } from '../workload-identity';

// Internal to the library: how the GCS and ABFS event-log stores authenticate
// (the Hadoop keys, the variables from Secrets, the mounted key file, the
// workload identity the pods need). Every value of a credential key is a
// `${env.NAME}` reference that Hadoop's Configuration resolves from the
// container's environment when the key is read (apache/hadoop
// hadoop-common Configuration.java substituteVars: `${env.NAME}` and
// `${env.NAME:-default}`, since 3.0.0, HADOOP-9642); the variables come from
// Secrets, so no credential is ever written into a conf map or ConfigMap.

/** How a GCS or ABFS store authenticates. */
export interface StoreAuth {
  readonly hadoop: Array<[string, string]>;
  readonly env: k8s.EnvVar[];
  /** A Secret volume holding a key file, and where it is mounted. */
  readonly volume?: k8s.Volume;
  readonly mount?: k8s.VolumeMount;
  /** The cloud whose workload identity the reading and writing pods need. */
  readonly identity?: WorkloadIdentityProvider;
  /** The first Spark release whose Hadoop has what this needs, and why. */
  readonly minSpark?: { readonly version: string; readonly why: string };
}

/** The spec of a GcsCredentials. */
export interface GcsAuthSpec {
  readonly keyFile?: { readonly secret: ISecret; readonly key: string };
}

/** The spec of an AbfsCredentials. */
export interface AbfsAuthSpec {
  readonly sharedKey?: { readonly secret: ISecret; readonly key: string };
  readonly clientSecret?: { readonly tenantId: string; readonly clientId: string; readonly secret: ISecret; readonly key: string };
}

/** The volume of a store's mounted key file (other than the PVC and local stores' `spark-event-logs`). */
export const CREDENTIALS_VOLUME = 'spark-event-log-credentials';
/** Where the GCS key file's Secret is mounted. */
export const GCS_KEY_DIR = '/etc/spark-event-logs/gcs';

/** A Secret reference and key, checked. */
export function secretAndKey(where: string, property: string, secret: ISecret, key: string): { secret: ISecret; key: string } {
  secretRef(where, `${property}.secret`, secret);
  secretKey(where, `${property}.key`, key);
  return { secret, key };
}

/**
 * The Cloud Storage connector's auth keys (GoogleCloudDataproc/hadoop-connectors
 * gcs/CONFIGURATION.md and util-hadoop HadoopCredentialsConfiguration.java).
 * The 3.x line reads `fs.gs.auth.type` (default COMPUTE_ENGINE: the metadata
 * server, which GKE workload identity answers for the pod's Google service
 * account) and, for SERVICE_ACCOUNT_JSON_KEYFILE, the file named by
 * `fs.gs.auth.service.account.json.keyfile`. The 2.2.x line (the one Spark's
 * hadoop-cloud module bundles, hadoop3-2.2.x) has no `fs.gs.auth.type`, uses
 * the same keyfile key when set and the metadata server otherwise: the keys
 * below work with both.
 */
export function gcsAuth(spec: GcsAuthSpec): StoreAuth {
  if (spec.keyFile) {
    const { secret, key } = spec.keyFile;
    return {
      hadoop: [
        ['fs.gs.auth.type', 'SERVICE_ACCOUNT_JSON_KEYFILE'],
        ['fs.gs.auth.service.account.json.keyfile', `${GCS_KEY_DIR}/${key}`],
      ],
      env: [],
      volume: { name: CREDENTIALS_VOLUME, secret: { secretName: secret.name, items: [{ key, path: key }] } },
      mount: { name: CREDENTIALS_VOLUME, mountPath: GCS_KEY_DIR, readOnly: true },
    };
  }
  return { hadoop: [['fs.gs.auth.type', 'COMPUTE_ENGINE']], env: [], identity: WorkloadIdentityProvider.GCP };
}

// apache/hadoop hadoop-tools/hadoop-azure .../azurebfs/oauth2/.
const OAUTH2 = 'org.apache.hadoop.fs.azurebfs.oauth2';
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Checks the tenant and client ids of an OAuth client. */
export function checkGuid(where: string, property: string, value: string): string {
  check(typeof value === 'string' && GUID.test(value), where, property, value,
    'a GUID such as "00000000-0000-0000-0000-000000000000"');
  return value;
}

/**
 * hadoop-azure's ABFS keys for one account (`<key>.<account>.dfs.core.windows.net`,
 * which AbfsConfiguration reads before the account-agnostic key), from
 * apache/hadoop hadoop-tools/hadoop-azure ConfigurationKeys.java and
 * AbfsConfiguration.getTokenProvider:
 * - SharedKey (the default auth type): `fs.azure.account.key`, read by SimpleKeyProvider;
 * - OAuth with ClientCredsTokenProvider: client endpoint, id and secret;
 * - OAuth with WorkloadIdentityTokenProvider (HADOOP-18610, in 3.4.1): tenant,
 *   client id, token file and authority, taken here from the variables the Azure
 *   workload identity webhook injects (Azure/azure-workload-identity
 *   pkg/webhook/consts.go: AZURE_CLIENT_ID, AZURE_TENANT_ID,
 *   AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST). The token file moved
 *   in webhook v1.6.0 (/var/run/secrets/azure/wi/...), away from hadoop-azure's
 *   default (/var/run/secrets/azure/tokens/azure-identity-token), so it is
 *   always taken from the variable.
 */
export function abfsAuth(host: string, spec: AbfsAuthSpec): StoreAuth {
  const k = (key: string) => `${key}.${host}`;
  if (spec.sharedKey) {
    const { secret, key } = spec.sharedKey;
    return {
      hadoop: [[k('fs.azure.account.auth.type'), 'SharedKey'], [k('fs.azure.account.key'), '${env.ABFS_ACCOUNT_KEY}']],
      env: [secretEnv('ABFS_ACCOUNT_KEY', secret, key)],
    };
  }
  if (spec.clientSecret) {
    const { tenantId, clientId, secret, key } = spec.clientSecret;
    return {
      hadoop: [
        [k('fs.azure.account.auth.type'), 'OAuth'],
        [k('fs.azure.account.oauth.provider.type'), `${OAUTH2}.ClientCredsTokenProvider`],
        [k('fs.azure.account.oauth2.client.endpoint'), `https://login.microsoftonline.com/${tenantId}/oauth2/token`],
        [k('fs.azure.account.oauth2.client.id'), clientId],
        [k('fs.azure.account.oauth2.client.secret'), '${env.ABFS_CLIENT_SECRET}'],
      ],
      env: [secretEnv('ABFS_CLIENT_SECRET', secret, key)],
    };
  }
  return {
    hadoop: [
      [k('fs.azure.account.auth.type'), 'OAuth'],
      [k('fs.azure.account.oauth.provider.type'), `${OAUTH2}.WorkloadIdentityTokenProvider`],
      [k('fs.azure.account.oauth2.msi.tenant'), '${env.AZURE_TENANT_ID}'],
      [k('fs.azure.account.oauth2.client.id'), '${env.AZURE_CLIENT_ID}'],
      [k('fs.azure.account.oauth2.token.file'), '${env.AZURE_FEDERATED_TOKEN_FILE}'],
      // The webhook sets AZURE_AUTHORITY_HOST only when configured with one; the public cloud's otherwise.
      [k('fs.azure.account.oauth2.msi.authority'), '${env.AZURE_AUTHORITY_HOST:-https://login.microsoftonline.com/}'],
    ],
    env: [],
    identity: WorkloadIdentityProvider.AZURE,
    // apache/hadoop PR #6881 backported WorkloadIdentityTokenProvider to branch-3.4 for 3.4.1;
    // Spark ships Hadoop 3.4.1 from 4.0.0 (SPARK-49550), 3.3.x before.
    minSpark: { version: '4.0.0', why: 'hadoop-azure\'s WorkloadIdentityTokenProvider exists from Hadoop 3.4.1, which Spark ships from 4.0.0' },
  };
}

function secretEnv(name: string, secret: ISecret, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret.name, key } } };
}
