import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IPersistentVolumeClaim, ISecret, k8s, PersistentVolumeAccessMode, PersistentVolumeClaim } from 'cdk8s-plus-28';
import { brand, isBranded } from './brand';
import { check, Where } from './errors';
import { PodBinding } from './pod-builder';
import { abfsAuth, AbfsAuthSpec, checkGuid, gcsAuth, GcsAuthSpec, secretAndKey, StoreAuth } from './private/event-log-auth';
import { SparkConf } from './spark-conf';
import { isPort, secretKey, secretRef } from './validate';
import { WorkloadIdentity, WorkloadIdentityProvider } from './workload-identity';

/** The kind of storage an {@link EventLogStore} writes to. */
export enum EventLogStoreKind {
  /** An S3-compatible object store, through Hadoop's S3A connector. */
  S3 = 's3',
  /** Google Cloud Storage, through the Cloud Storage connector (`gs://`). */
  GCS = 'gcs',
  /** Azure Data Lake Storage Gen2, through hadoop-azure's ABFS connector (`abfss://`). */
  ABFS = 'abfs',
  /** HDFS. */
  HDFS = 'hdfs',
  /** A ReadWriteMany PersistentVolumeClaim mounted into the pods. */
  PVC = 'pvc',
  /** A directory of the pod's own filesystem (tests and single-pod setups only). */
  LOCAL = 'local',
}

/** Access keys of an S3-compatible store, read from a Secret the user owns. */
export interface S3Credentials {
  /** The Secret holding the keys. */
  readonly secret: ISecret;
  /**
   * Key of the access key id in the Secret.
   * @default 'AWS_ACCESS_KEY_ID'
   */
  readonly accessKeyIdKey?: string;
  /**
   * Key of the secret access key in the Secret.
   * @default 'AWS_SECRET_ACCESS_KEY'
   */
  readonly secretAccessKeyKey?: string;
}

/** Options of {@link EventLogStore.s3}. */
export interface S3EventLogStoreOptions {
  /** The bucket. */
  readonly bucket: string;
  /**
   * The key prefix ("directory") inside the bucket, without leading or trailing slash.
   * @default 'spark-events'
   */
  readonly prefix?: string;
  /**
   * The endpoint of an S3-compatible service (`https://minio.storage.svc:9000`).
   * @default - AWS S3, endpoint chosen by the region
   */
  readonly endpoint?: string;
  /**
   * Address buckets as `endpoint/bucket` instead of `bucket.endpoint`, as most
   * S3-compatible services (MinIO, Ceph) require.
   * @default false
   */
  readonly pathStyleAccess?: boolean;
  /**
   * The region of the bucket.
   * @default - the S3A connector's default (resolved by the AWS SDK)
   */
  readonly region?: string;
  /**
   * Access keys, passed as `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`
   * environment variables from the Secret (S3A's default credential chain reads them).
   * @default - no keys: the default chain (web identity, instance profile...)
   */
  readonly credentials?: S3Credentials;
}

/** Options of {@link GcsCredentials.keyFile}. */
export interface GcsKeyFileOptions {
  /** The Secret holding the Google service account's JSON key. */
  readonly secret: ISecret;
  /**
   * Key of the JSON key file in the Secret.
   * @default 'key.json'
   */
  readonly key?: string;
}

/**
 * How a {@link EventLogStore.gcs} store authenticates: a Google service
 * account's JSON key from a Secret, or GKE workload identity.
 */
export class GcsCredentials {
  /** True when `x` is a {@link GcsCredentials} (also from another copy of the library). */
  public static isGcsCredentials(x: any): x is GcsCredentials {
    return isBranded(x, 'GcsCredentials');
  }

  /**
   * A JSON key file of a Google service account, mounted read-only from a
   * Secret into every pod that reads or writes the store
   * (`fs.gs.auth.type=SERVICE_ACCOUNT_JSON_KEYFILE`).
   */
  public static keyFile(options: GcsKeyFileOptions): GcsCredentials {
    return new GcsCredentials({ keyFile: secretAndKey('GcsCredentials.keyFile', 'options', options?.secret, options?.key ?? 'key.json') });
  }

  /**
   * GKE workload identity: the connector asks the metadata server
   * (`fs.gs.auth.type=COMPUTE_ENGINE`), which answers for the Google service
   * account of the pod's ServiceAccount. The jobs and the history server must
   * run as ServiceAccounts with a {@link WorkloadIdentity.gcp} identity.
   */
  public static workloadIdentity(): GcsCredentials {
    return new GcsCredentials({});
  }

  /** @internal */
  public readonly _spec: GcsAuthSpec;

  private constructor(spec: GcsAuthSpec) {
    brand(this, 'GcsCredentials');
    this._spec = spec;
  }
}

/** Options of {@link EventLogStore.gcs}. */
export interface GcsEventLogStoreOptions {
  /** The bucket. */
  readonly bucket: string;
  /**
   * The object prefix ("directory") inside the bucket, without leading or trailing slash.
   * @default 'spark-events'
   */
  readonly prefix?: string;
  /**
   * How the pods authenticate.
   * @default GcsCredentials.workloadIdentity()
   */
  readonly credentials?: GcsCredentials;
}

/** Options of {@link AbfsCredentials.sharedKey}. */
export interface AbfsSharedKeyOptions {
  /** The Secret holding the storage account's access key. */
  readonly secret: ISecret;
  /**
   * Key of the account key in the Secret.
   * @default 'account-key'
   */
  readonly key?: string;
}

/** Options of {@link AbfsCredentials.clientSecret}. */
export interface AbfsClientSecretOptions {
  /** The Microsoft Entra tenant id (a GUID). */
  readonly tenantId: string;
  /** The client (application) id of the service principal (a GUID). */
  readonly clientId: string;
  /** The Secret holding the client secret. */
  readonly secret: ISecret;
  /**
   * Key of the client secret in the Secret.
   * @default 'client-secret'
   */
  readonly key?: string;
}

/**
 * How a {@link EventLogStore.abfs} store authenticates: the account key or
 * a service principal's client secret from a Secret, or Azure workload
 * identity. Secrets reach the pods as variables that the store's Hadoop
 * settings name (`${env.NAME}`, resolved by Hadoop), never as values in the
 * configuration.
 */
export class AbfsCredentials {
  /** True when `x` is an {@link AbfsCredentials} (also from another copy of the library). */
  public static isAbfsCredentials(x: any): x is AbfsCredentials {
    return isBranded(x, 'AbfsCredentials');
  }

  /** The storage account's access key (`SharedKey`), as variable `ABFS_ACCOUNT_KEY` from the Secret. */
  public static sharedKey(options: AbfsSharedKeyOptions): AbfsCredentials {
    return new AbfsCredentials({ sharedKey: secretAndKey('AbfsCredentials.sharedKey', 'options', options?.secret, options?.key ?? 'account-key') });
  }

  /**
   * A service principal (OAuth 2.0 client credentials, hadoop-azure's
   * `ClientCredsTokenProvider`); its secret as variable `ABFS_CLIENT_SECRET` from the Secret.
   */
  public static clientSecret(options: AbfsClientSecretOptions): AbfsCredentials {
    const where = 'AbfsCredentials.clientSecret';
    return new AbfsCredentials({
      clientSecret: {
        tenantId: checkGuid(where, 'tenantId', options?.tenantId),
        clientId: checkGuid(where, 'clientId', options?.clientId),
        ...secretAndKey(where, 'options', options?.secret, options?.key ?? 'client-secret'),
      },
    });
  }

  /**
   * Azure workload identity (hadoop-azure's `WorkloadIdentityTokenProvider`,
   * Hadoop 3.4.1 and later: Spark 4.0 and later). The jobs and the history
   * server must run as ServiceAccounts with a {@link WorkloadIdentity.azure}
   * identity; the webhook gives their pods the client id, tenant and token
   * file the store reads.
   */
  public static workloadIdentity(): AbfsCredentials {
    return new AbfsCredentials({});
  }

  /** @internal */
  public readonly _spec: AbfsAuthSpec;

  private constructor(spec: AbfsAuthSpec) {
    brand(this, 'AbfsCredentials');
    this._spec = spec;
  }
}

/** Options of {@link EventLogStore.abfs}. */
export interface AbfsEventLogStoreOptions {
  /** The storage account (3-24 lowercase letters and digits); it must have a hierarchical namespace (ADLS Gen2). */
  readonly account: string;
  /** The container (file system). */
  readonly container: string;
  /**
   * The directory inside the container, without leading or trailing slash.
   * @default 'spark-events'
   */
  readonly prefix?: string;
  /**
   * How the pods authenticate.
   * @default AbfsCredentials.workloadIdentity()
   */
  readonly credentials?: AbfsCredentials;
}

/** Options of {@link EventLogStore.pvc}. */
export interface PvcEventLogStoreOptions {
  /** The claim; it must be ReadWriteMany, since the history server and every driver mount it. */
  readonly claim: IPersistentVolumeClaim;
  /**
   * Where the claim is mounted in the pods.
   * @default '/var/spark-events'
   */
  readonly mountPath?: string;
  /**
   * A directory inside the volume to mount instead of its root.
   * @default - the root of the volume
   */
  readonly subPath?: string;
}

/** How a job writes its event log. */
export interface EventLogJobOptions {
  /**
   * Roll the event log into files of at most this size, so that a long-running
   * application (a Thrift server, a streaming job) can be compacted and read
   * by the history server while it runs.
   * @default - one file per application
   */
  readonly rollingMaxFileSize?: Size;
}

/** The name of the volume a PVC store is mounted from. */
const VOLUME_NAME = 'spark-event-logs';

// S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens, alphanumeric at both ends.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// Prefix segments: no empty segments, no dot segments, no blanks or URI-special characters.
const PATH_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._=+-]+$/;
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const ENDPOINT = /^(https?):\/\/([^/:?#]+)(?::(\d{1,5}))?\/?$/;
// GCS bucket names: 3-63 lowercase letters, digits, '-', '_' and '.', alphanumeric at both ends, not starting with "goog".
const GCS_BUCKET = /^(?!goog)[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
// Azure storage accounts: 3-24 lowercase letters and digits; containers: 3-63 lowercase letters, digits and single hyphens.
const AZURE_ACCOUNT = /^[a-z0-9]{3,24}$/;
const AZURE_CONTAINER = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
const HDFS_URI = /^hdfs:\/\/([^/:?#]+)(?::(\d{1,5}))?(\/[^?#\s]*)$/;

/**
 * Where Spark event logs live: written by every job that opts in
 * (`spark.eventLog.dir`) and read by the history server
 * (`spark.history.fs.logDirectory`). Jobs and the history server take the same
 * object, so the two locations cannot diverge.
 *
 * Credentials only ever come from Secrets the user owns.
 */
export class EventLogStore {
  /** True when `x` is a {@link EventLogStore} (also from another copy of the library, where `instanceof` fails). */
  public static isEventLogStore(x: any): x is EventLogStore {
    return isBranded(x, 'EventLogStore');
  }

  /**
   * An S3-compatible bucket, through Hadoop's S3A connector (`s3a://`). The
   * Spark image must carry `hadoop-aws` and the AWS SDK bundle; the Apache
   * Spark images do not.
   */
  public static s3(options: S3EventLogStoreOptions): EventLogStore {
    const where = 'EventLogStore.s3';
    check(typeof options.bucket === 'string' && BUCKET.test(options.bucket) && !options.bucket.includes('..'), where, 'bucket', options.bucket,
      'an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit');
    const prefix = checkedPrefix(where, options.prefix);

    const hadoop: Array<[string, string]> = [];
    let endpointPort = 443;
    if (options.endpoint !== undefined) {
      const m = ENDPOINT.exec(options.endpoint);
      const port = m?.[3] !== undefined ? Number(m[3]) : undefined;
      check(m !== null && HOST.test(m[2]) && (port === undefined || isPort(port)), where, 'endpoint', options.endpoint,
        'an http:// or https:// URL of a host with an optional port (1-65535) and no path, e.g. "https://minio.storage.svc:9000"');
      endpointPort = port ?? (m![1] === 'https' ? 443 : 80);
      hadoop.push(['fs.s3a.endpoint', options.endpoint.replace(/\/$/, '')]);
      hadoop.push(['fs.s3a.connection.ssl.enabled', m![1] === 'https' ? 'true' : 'false']);
    }
    if (options.pathStyleAccess) {
      hadoop.push(['fs.s3a.path.style.access', 'true']);
    }
    if (options.region !== undefined) {
      check(/^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/.test(options.region), where, 'region', options.region,
        'a region name such as "eu-west-1" (lowercase letters, digits and hyphens)');
      hadoop.push(['fs.s3a.endpoint.region', options.region]);
    }

    const env: k8s.EnvVar[] = [];
    if (options.credentials) {
      const c = options.credentials;
      secretRef(where, 'credentials.secret', c.secret);
      const idKey = c.accessKeyIdKey ?? 'AWS_ACCESS_KEY_ID';
      const accessKeyKey = c.secretAccessKeyKey ?? 'AWS_SECRET_ACCESS_KEY';
      for (const [property, key] of [['credentials.accessKeyIdKey', idKey], ['credentials.secretAccessKeyKey', accessKeyKey]]) {
        secretKey(where, property, key);
      }
      env.push(secretEnv('AWS_ACCESS_KEY_ID', c.secret, idKey), secretEnv('AWS_SECRET_ACCESS_KEY', c.secret, accessKeyKey));
    }

    return new EventLogStore({
      kind: EventLogStoreKind.S3,
      logDirectory: `s3a://${options.bucket}/${prefix}`,
      hadoop,
      env,
      endpointPort,
      hadoopMkdir: true,
    });
  }

  /**
   * A Google Cloud Storage bucket (`gs://bucket/prefix`), through the Cloud
   * Storage connector. The Spark image must carry the connector (the shaded
   * `com.google.cloud.bigdataoss:gcs-connector` jar, classifier `shaded`);
   * the Apache Spark images do not. Jobs and the history server reach
   * `storage.googleapis.com` over HTTPS (443).
   */
  public static gcs(options: GcsEventLogStoreOptions): EventLogStore {
    const where = 'EventLogStore.gcs';
    check(typeof options?.bucket === 'string' && GCS_BUCKET.test(options.bucket) && !options.bucket.includes('..'), where, 'bucket',
      options?.bucket, 'a Cloud Storage bucket name: 3-63 lowercase letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit, not starting with "goog"');
    const prefix = checkedPrefix(where, options.prefix);
    const credentials = options.credentials ?? GcsCredentials.workloadIdentity();
    check(GcsCredentials.isGcsCredentials(credentials), where, 'credentials', typeof credentials,
      'GcsCredentials.keyFile({ secret }) or GcsCredentials.workloadIdentity()');
    // The connector registers gs:// through java.util.ServiceLoader; the classes are named
    // for tools that read the keys (GoogleCloudDataproc/hadoop-connectors gcs/INSTALL.md,
    // gcs/src/main/resources/META-INF/services/org.apache.hadoop.fs.FileSystem).
    const connector: Array<[string, string]> = [
      ['fs.gs.impl', 'com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem'],
      ['fs.AbstractFileSystem.gs.impl', 'com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS'],
    ];
    return EventLogStore.cloud(EventLogStoreKind.GCS, `gs://${options.bucket}/${prefix}`, connector, gcsAuth(credentials._spec));
  }

  /**
   * A directory of an Azure Data Lake Storage Gen2 container
   * (`abfss://container@account.dfs.core.windows.net/prefix`), through
   * hadoop-azure's ABFS connector over TLS. The Spark image must carry
   * hadoop-azure of its Hadoop version and its dependencies; the Apache
   * Spark images do not. Jobs and the history server reach
   * `<account>.dfs.core.windows.net` (and, with OAuth, `login.microsoftonline.com`) over HTTPS (443).
   */
  public static abfs(options: AbfsEventLogStoreOptions): EventLogStore {
    const where = 'EventLogStore.abfs';
    check(typeof options?.account === 'string' && AZURE_ACCOUNT.test(options.account), where, 'account', options?.account,
      'a storage account name: 3-24 lowercase letters and digits');
    check(typeof options.container === 'string' && AZURE_CONTAINER.test(options.container), where, 'container', options.container,
      'a container name: 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, without "--"');
    const prefix = checkedPrefix(where, options.prefix);
    const credentials = options.credentials ?? AbfsCredentials.workloadIdentity();
    check(AbfsCredentials.isAbfsCredentials(credentials), where, 'credentials', typeof credentials,
      'AbfsCredentials.sharedKey({ secret }), AbfsCredentials.clientSecret({ ... }) or AbfsCredentials.workloadIdentity()');
    const host = `${options.account}.dfs.core.windows.net`;
    return EventLogStore.cloud(EventLogStoreKind.ABFS, `abfss://${options.container}@${host}/${prefix}`, [], abfsAuth(host, credentials._spec));
  }

  /**
   * A directory in HDFS, e.g. `hdfs://namenode:8020/spark-logs`. The cluster's
   * Hadoop client configuration (HA name services, Kerberos) is up to the image
   * or the jobs' own configuration.
   */
  public static hdfs(uri: string): EventLogStore {
    const m = typeof uri === 'string' ? HDFS_URI.exec(uri) : null;
    const port = m?.[2] !== undefined ? Number(m[2]) : 8020;
    const path = m?.[3] ?? '';
    check(m !== null && HOST.test(m[1]) && isPort(port)
      && path.split('/').slice(1).every((s) => s === '' || PATH_SEGMENT.test(s)) && !path.includes('//'),
    'EventLogStore.hdfs', 'uri', uri,
    'an absolute HDFS URI "hdfs://<namenode>[:<port>]/<path>" with a lowercase host, a port 1-65535 and a path without blanks or empty segments');
    return new EventLogStore({
      kind: EventLogStoreKind.HDFS,
      logDirectory: uri.length > 1 && uri.endsWith('/') && path !== '/' ? uri.slice(0, -1) : uri,
      hadoop: [],
      env: [],
      endpointPort: port,
      hadoopMkdir: true,
    });
  }

  /**
   * A ReadWriteMany PersistentVolumeClaim mounted into the history server and
   * every driver (executors do not write event logs).
   */
  public static pvc(options: PvcEventLogStoreOptions): EventLogStore {
    const where = 'EventLogStore.pvc';
    check(typeof options.claim?.name === 'string' && options.claim.name.length > 0, where, 'claim', typeof options.claim,
      'an IPersistentVolumeClaim, e.g. PersistentVolumeClaim.fromClaimName(scope, "Id", "name")');
    // A claim made here (any cdk8s-plus line: not `instanceof`) states its modes; an imported one cannot be checked.
    if ('accessModes' in options.claim) {
      const modes = (options.claim as PersistentVolumeClaim).accessModes ?? [];
      check(modes.includes(PersistentVolumeAccessMode.READ_WRITE_MANY), where, 'claim.accessModes', modes,
        'ReadWriteMany: the history server and the drivers on other nodes mount the claim at the same time');
    }
    const mountPath = absolutePath(where, 'mountPath', options.mountPath ?? '/var/spark-events');
    if (options.subPath !== undefined) {
      check(options.subPath.split('/').every((s) => PATH_SEGMENT.test(s)), where, 'subPath', options.subPath,
        'a relative path inside the volume, without empty or dot segments');
    }
    return new EventLogStore({
      kind: EventLogStoreKind.PVC,
      logDirectory: `file://${mountPath}`,
      hadoop: [],
      env: [],
      claim: options.claim,
      mountPath,
      subPath: options.subPath,
    });
  }

  /**
   * An emptyDir of each pod, mounted at `directory`. Jobs and the history
   * server do not share it, so it only suits tests and single-pod setups.
   * @param directory absolute path
   */
  public static local(directory: string = '/tmp/spark-events'): EventLogStore {
    const path = absolutePath('EventLogStore.local', 'directory', directory);
    return new EventLogStore({
      kind: EventLogStoreKind.LOCAL,
      logDirectory: `file://${path}`,
      hadoop: [],
      env: [],
      mountPath: path,
    });
  }

  private static cloud(kind: EventLogStoreKind, logDirectory: string, connector: Array<[string, string]>, auth: StoreAuth): EventLogStore {
    return new EventLogStore({
      kind,
      logDirectory,
      hadoop: [...connector, ...auth.hadoop],
      env: auth.env,
      endpointPort: 443,
      hadoopMkdir: true,
      credentialVolume: auth.volume,
      credentialMount: auth.mount,
      workloadIdentity: auth.identity,
      minSpark: auth.minSpark,
    });
  }

  /** The kind of storage. */
  public readonly kind: EventLogStoreKind;
  /** The log directory as a Hadoop URI (`s3a://bucket/prefix`, `hdfs://nn:8020/path`, `file:///var/spark-events`). */
  public readonly logDirectory: string;
  /** The TCP port jobs and the history server connect to (S3, GCS or ABFS endpoint, HDFS namenode); none for volumes. */
  public readonly endpointPort?: number;
  /**
   * The cloud whose workload identity the pods reading and writing the store
   * need (GCS and ABFS stores with workload identity); undefined otherwise.
   */
  public readonly workloadIdentity?: WorkloadIdentityProvider;
  /** The claim of a PVC store. */
  public readonly claim?: IPersistentVolumeClaim;
  /** Where a PVC or local store is mounted. */
  public readonly mountPath?: string;

  private readonly hadoop: Array<[string, string]>;
  private readonly envVars: k8s.EnvVar[];
  private readonly subPath?: string;
  private readonly hadoopMkdir: boolean;
  private readonly credentialVolume?: k8s.Volume;
  private readonly credentialMount?: k8s.VolumeMount;
  private readonly minSpark?: { readonly version: string; readonly why: string };

  private constructor(spec: StoreSpec) {
    brand(this, 'EventLogStore');
    this.kind = spec.kind;
    this.logDirectory = spec.logDirectory;
    this.endpointPort = spec.endpointPort;
    this.claim = spec.claim;
    this.mountPath = spec.mountPath;
    this.hadoop = spec.hadoop;
    this.envVars = spec.env;
    this.subPath = spec.subPath;
    this.hadoopMkdir = spec.hadoopMkdir ?? false;
    this.credentialVolume = spec.credentialVolume;
    this.credentialMount = spec.credentialMount;
    this.workloadIdentity = spec.workloadIdentity;
    this.minSpark = spec.minSpark;
  }

  /** The configuration of a job writing its event log here. */
  public jobConf(options: EventLogJobOptions = {}): SparkConf {
    const source = `EventLogStore ${this.logDirectory}`;
    const conf = new SparkConf()
      .setBoolean('spark.eventLog.enabled', true, source)
      .set('spark.eventLog.dir', this.logDirectory, source);
    if (options.rollingMaxFileSize !== undefined) {
      const mib = options.rollingMaxFileSize.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
      // Spark refuses rolling files under 10 MiB.
      check(Number.isInteger(mib) && mib >= 10, 'EventLogStore.jobConf', 'rollingMaxFileSize', `${mib} MiB`,
        'at least 10 MiB, in whole MiB');
      conf.setBoolean('spark.eventLog.rolling.enabled', true, source);
      conf.set('spark.eventLog.rolling.maxFileSize', `${mib}m`, source);
    }
    return this.withHadoop(conf, source);
  }

  /** The configuration of a history server reading this store. */
  public historyConf(): SparkConf {
    const source = `EventLogStore ${this.logDirectory}`;
    return this.withHadoop(new SparkConf().set('spark.history.fs.logDirectory', this.logDirectory, source), source);
  }

  /** Environment variables the writing and reading containers need (credentials from Secrets). */
  public env(): k8s.EnvVar[] {
    return this.envVars.map((e) => ({ ...e, valueFrom: { secretKeyRef: { ...e.valueFrom!.secretKeyRef! } } }));
  }

  /**
   * The pod volumes the store needs: a PVC store's claim, a local store's
   * emptyDir, the Secret of a GCS key file; none otherwise.
   */
  public volumes(readOnly: boolean = false): k8s.Volume[] {
    if (this.credentialVolume) {
      return [JSON.parse(JSON.stringify(this.credentialVolume))];
    }
    if (this.claim) {
      return [{ name: VOLUME_NAME, persistentVolumeClaim: { claimName: this.claim.name, ...(readOnly ? { readOnly } : {}) } }];
    }
    return this.kind === EventLogStoreKind.LOCAL ? [{ name: VOLUME_NAME, emptyDir: {} }] : [];
  }

  /** The container volume mounts the store needs (PVC and local stores, a GCS key file, always read-only; none otherwise). */
  public volumeMounts(readOnly: boolean = false): k8s.VolumeMount[] {
    if (this.credentialMount) {
      return [{ ...this.credentialMount }];
    }
    if (this.mountPath === undefined) {
      return [];
    }
    return [{
      name: VOLUME_NAME,
      mountPath: this.mountPath!,
      ...(this.subPath !== undefined ? { subPath: this.subPath } : {}),
      ...(readOnly ? { readOnly } : {}),
    }];
  }

  /**
   * @internal Everything a container reading or writing the store needs (its
   * volume, mount and credentials), for `PodBuilder.bind`.
   */
  public _podBinding(readOnly: boolean = false): PodBinding {
    return { volumes: this.volumes(readOnly), volumeMounts: this.volumeMounts(readOnly), env: this.env() };
  }

  /**
   * A command, run in a Spark image with {@link env}, that creates the log
   * directory if it is missing — so that a history server on a fresh bucket
   * or HDFS starts instead of failing. Undefined for volume stores, whose
   * mount point always exists.
   */
  public mkdirCommand(): string[] | undefined {
    if (this.hadoopMkdir) {
      // Hadoop's shell takes generic -D options before the command, like the
      // spark.hadoop.* keys the jobs use.
      return [
        '/opt/spark/bin/spark-class', 'org.apache.hadoop.fs.FsShell',
        ...this.hadoop.flatMap(([key, value]) => ['-D', `${key}=${value}`]),
        '-mkdir', '-p', this.logDirectory,
      ];
    }
    return undefined;
  }

  /**
   * Refuses to run pods reading or writing a workload-identity store as a
   * ServiceAccount without an identity of the store's cloud (`identity`,
   * named `property` at `where`).
   * @internal
   */
  public _checkIdentity(where: Where, property: string, identity: WorkloadIdentity | undefined): void {
    const needed = this.workloadIdentity;
    if (needed === undefined) {
      return;
    }
    check(identity !== undefined && identity.provider === needed, where, property,
      identity === undefined ? 'no workload identity' : `WorkloadIdentity.${identity.provider}`,
      `a ServiceAccount whose identity is WorkloadIdentity.${needed}(...): the event log store ${this.logDirectory} `
      + `is reached with ${needed === WorkloadIdentityProvider.GCP ? 'GKE' : 'Azure'} workload identity`);
  }

  /**
   * The first Spark release whose Hadoop serves this store as configured, and why; undefined when any does.
   * @internal
   */
  public get _minSpark(): { readonly version: string; readonly why: string } | undefined {
    return this.minSpark;
  }

  private withHadoop(conf: SparkConf, source: string): SparkConf {
    for (const [key, value] of this.hadoop) {
      conf.set(`spark.hadoop.${key}`, value, source);
    }
    return conf;
  }
}

interface StoreSpec {
  readonly kind: EventLogStoreKind;
  readonly logDirectory: string;
  readonly hadoop: Array<[string, string]>;
  readonly env: k8s.EnvVar[];
  readonly endpointPort?: number;
  readonly claim?: IPersistentVolumeClaim;
  readonly mountPath?: string;
  readonly subPath?: string;
  readonly hadoopMkdir?: boolean;
  readonly credentialVolume?: k8s.Volume;
  readonly credentialMount?: k8s.VolumeMount;
  readonly workloadIdentity?: WorkloadIdentityProvider;
  readonly minSpark?: { readonly version: string; readonly why: string };
}

function secretEnv(name: string, secret: ISecret, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret.name, key } } };
}

function checkedPrefix(where: string, given: string | undefined): string {
  const prefix = given ?? 'spark-events';
  check(typeof prefix === 'string' && prefix.split('/').every((s) => PATH_SEGMENT.test(s)), where, 'prefix', prefix,
    'a key prefix without leading, trailing or double slashes, made of letters, digits and . _ = + -');
  return prefix;
}

function absolutePath(where: string, property: string, path: string): string {
  check(typeof path === 'string' && path.startsWith('/') && path.length > 1
    && path.slice(1).replace(/\/$/, '').split('/').every((s) => PATH_SEGMENT.test(s)), where, property, path,
  'an absolute path such as "/var/spark-events", without empty or dot segments');
  return path.replace(/\/$/, '');
}
