import { EnvValue } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check, CREDENTIAL_PARAMETER_WORDS } from './errors';

/**
 * One classifier for every channel a credential could take into the
 * manifests: Spark, Hadoop (S3A, GCS, ABFS), Hive and SSL configuration keys,
 * environment variable names, and URLs. Constructs refuse a literal value for
 * what it flags and name the Secret-based way instead; error messages mask
 * what it flags (see core/errors `maskCredentials`).
 */

// A Spark key that passes a Hadoop setting through (`spark.hadoop.fs.s3a.secret.key`)
// is classified as the Hadoop key it becomes.
const SPARK_HADOOP = /^spark\.hadoop\./;

// Keys that name where a credential is, or how to reach it, not the credential
// itself: files, key stores, providers, Secret references, switches.
const REFERENCE = [
  /\.(file|path|keyfile|keystore|truststore|provider|providers|type|enabled|mechanism|algorithm)$/i,
  /\.(keyStore|trustStore)$/,
  /(^|\.)credential\.provider\.path$/i,
  /^spark\.kubernetes\.(driver|executor)\.(secrets|secretKeyRef)\./,
  /^spark\.kubernetes\.authenticate\./,
];

// Keys whose value is a credential.
const CREDENTIAL_KEYS = [
  // Spark: the RPC shared secret, SSL key and store passwords.
  /^spark\.authenticate\.secret(\..+)?$/,
  /^spark\.ssl\.(.+\.)?(keyPassword|keyStorePassword|trustStorePassword)$/,
  // S3A: access and secret keys, session tokens, encryption keys, per bucket too.
  /^fs\.s3a\.(bucket\.[^.]+\.)?(access\.key|secret\.key|session\.token|encryption\.key|server-side-encryption\.key)$/,
  // GCS connector: a service account's private key (and its id).
  /^fs\.gs\.auth\.service\.account\.private\.key(\.id)?$/,
  /^fs\.gs\.auth\.client\.secret$/,
  // ABFS: account keys, OAuth client secrets, SAS tokens.
  /^fs\.azure\.account\.key(\..+)?$/,
  /^fs\.azure\.account\.oauth2\.client\.secret(\..+)?$/,
  /^fs\.azure\.sas\..+$/,
  // Hive: the metastore database password, LDAP bind password, keystore passwords.
  /^javax\.jdo\.option\.ConnectionPassword$/,
  /^hive\.server2\.authentication\.ldap\.bindpw$/,
  // Any other key whose last part says it is a password, secret, token or private key.
  /(^|\.)[\w-]*(password|passwd|passphrase|bindpw|secret|token|privatekey|private\.key|accesskey|access\.key|secretkey|secret\.key)$/i,
];

/**
 * True when `key` (a Spark, Hadoop or Hive configuration key) holds a
 * credential: a literal value for it would land in a ConfigMap, a manifest or
 * a command line.
 */
export function isCredentialConfKey(key: string): boolean {
  const hadoopKey = key.replace(SPARK_HADOOP, '');
  if (REFERENCE.some((r) => r.test(hadoopKey))) {
    return false;
  }
  return CREDENTIAL_KEYS.some((r) => r.test(hadoopKey));
}

// Variables whose value is a credential (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
// AZURE_CLIENT_SECRET, PGPASSWORD, ...), and the access key id that pairs with a
// secret key (as fs.s3a.access.key does: the pair comes from one Secret). Variables
// that name a file (…_FILE, GOOGLE_APPLICATION_CREDENTIALS, a path) are references.
const CREDENTIAL_ENV = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|SECRET_KEY|PRIVATE_KEY|ACCOUNT_KEY|ACCESS_KEY|ACCESS_KEY_ID|API_KEY|SAS)$/i;
const REFERENCE_ENV = /(_FILE|_PATH|_DIR|^GOOGLE_APPLICATION_CREDENTIALS)$/i;

/** True when the environment variable `name` holds a credential. */
export function isCredentialEnvName(name: string): boolean {
  return !REFERENCE_ENV.test(name) && CREDENTIAL_ENV.test(name);
}

// `scheme://user[:password]@host`: a URL that carries its own credentials. A user
// name alone is one for http(s) (tokens travel as the user name) but not for ssh,
// where it names the account and the key stays elsewhere (`ssh://git@host/repo`),
// nor for Azure storage, where it names the container.
const URL_WITH_USERINFO = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]*)@/i;
// Query parameters that carry credentials (`?token=…`, presigned `X-Amz-Signature=…`).
const URL_CREDENTIAL_QUERY = new RegExp(`[?&;][^=&\\s#]*(?:${CREDENTIAL_PARAMETER_WORDS})=`, 'i');

/** True when `url` carries a credential (user info, or a credential query parameter). */
export function urlHasCredentials(url: string): boolean {
  const userinfo = URL_WITH_USERINFO.exec(url);
  const sshUser = userinfo !== null && /^(ssh|git\+ssh)$/i.test(userinfo[1]) && !userinfo[2].includes(':');
  // abfs(s)://<container>@<account host>/ and wasb(s)://: the user part names the container (hadoop-azure).
  const azureContainer = userinfo !== null && /^(abfss?|wasbs?)$/i.test(userinfo[1]) && !userinfo[2].includes(':');
  return (userinfo !== null && !sshUser && !azureContainer) || URL_CREDENTIAL_QUERY.test(url);
}

/**
 * The Secret-based way to give what `key` holds, for refusal messages.
 */
export function credentialConfHint(key: string): string {
  const k = key.replace(SPARK_HADOOP, '');
  if (k.startsWith('fs.s3a.')) {
    return 'S3A reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment: give them from a Secret '
      + '(driver.env and executor.env with EnvValue.fromSecretValue, or EventLogStore.s3({ credentials }))';
  }
  if (k.startsWith('spark.authenticate.secret')) {
    return 'leave it unset: on Kubernetes Spark makes a secret per application and hands it to the executors itself '
      + '(set only spark.authenticate=true); a shared secret comes from a mounted Secret through spark.authenticate.secret.file';
  }
  if (k.startsWith('fs.gs.')) {
    return 'a service account key file from a mounted Secret (fs.gs.auth.service.account.json.keyfile), or workload identity';
  }
  if (k.startsWith('fs.azure.')) {
    return 'a Hadoop credential provider in a mounted Secret (hadoop.security.credential.provider.path), or workload identity';
  }
  if (k === 'javax.jdo.option.ConnectionPassword') {
    return 'HiveMetastore.jdbc({ password: { secret, key } })';
  }
  return 'a Secret: a Hadoop credential provider in a mounted Secret (hadoop.security.credential.provider.path), '
    + 'or a variable from a Secret (EnvValue.fromSecretValue) read by what needs it';
}

/** Refuses a configuration key that holds a credential (its value is never shown). */
export function refuseCredentialConf(scope: IConstruct, property: string, key: string): void {
  check(!isCredentialConfKey(key), scope, property, key,
    `a key without a credential: its value would be stored in the manifest in clear; instead, ${credentialConfHint(key)}`);
}

/** Refuses a literal value for a variable that holds a credential. */
export function refuseCredentialEnv(scope: IConstruct, property: string, name: string, value: EnvValue): void {
  check(!(isCredentialEnvName(name) && value?.valueFrom === undefined), scope, property, name,
    'a value from a Secret for a variable holding a credential (EnvValue.fromSecretValue({ secret, key })): '
    + 'a literal value would be stored in the manifest in clear');
}

/** Refuses a URL (or an argument holding one) that carries credentials; the message masks them. */
export function refuseCredentialUrl(scope: IConstruct, property: string, value: string): void {
  check(typeof value !== 'string' || !urlHasCredentials(value), scope, property, value,
    'a URL without credentials (user info or a token parameter would be stored in the manifest in clear): '
    + 'reach private storage with credentials from a Secret (variables or a mounted file) or workload identity');
}

