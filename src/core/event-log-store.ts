import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IPersistentVolumeClaim, ISecret, k8s, PersistentVolumeAccessMode, PersistentVolumeClaim } from 'cdk8s-plus-28';
import { brand, isBranded } from './brand';
import { check } from './errors';
import { PodBinding } from './pod-builder';
import { SparkConf } from './spark-conf';
import { isPort, secretKey, secretRef } from './validate';

/** The kind of storage an {@link EventLogStore} writes to. */
export enum EventLogStoreKind {
  /** An S3-compatible object store, through Hadoop's S3A connector. */
  S3 = 's3',
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
    const prefix = options.prefix ?? 'spark-events';
    check(prefix.split('/').every((s) => PATH_SEGMENT.test(s)), where, 'prefix', prefix,
      'a key prefix without leading, trailing or double slashes, made of letters, digits and . _ = + -');

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

  /** The kind of storage. */
  public readonly kind: EventLogStoreKind;
  /** The log directory as a Hadoop URI (`s3a://bucket/prefix`, `hdfs://nn:8020/path`, `file:///var/spark-events`). */
  public readonly logDirectory: string;
  /** The TCP port jobs and the history server connect to (S3 endpoint, HDFS namenode); none for volumes. */
  public readonly endpointPort?: number;
  /** The claim of a PVC store. */
  public readonly claim?: IPersistentVolumeClaim;
  /** Where a PVC or local store is mounted. */
  public readonly mountPath?: string;

  private readonly hadoop: Array<[string, string]>;
  private readonly envVars: k8s.EnvVar[];
  private readonly subPath?: string;
  private readonly hadoopMkdir: boolean;

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

  /** The pod volumes the store needs: a PVC store's claim, a local store's emptyDir; none otherwise. */
  public volumes(readOnly: boolean = false): k8s.Volume[] {
    if (this.claim) {
      return [{ name: VOLUME_NAME, persistentVolumeClaim: { claimName: this.claim.name, ...(readOnly ? { readOnly } : {}) } }];
    }
    return this.kind === EventLogStoreKind.LOCAL ? [{ name: VOLUME_NAME, emptyDir: {} }] : [];
  }

  /** The container volume mounts the store needs (PVC and local stores; none otherwise). */
  public volumeMounts(readOnly: boolean = false): k8s.VolumeMount[] {
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
}

function secretEnv(name: string, secret: ISecret, key: string): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secret.name, key } } };
}

function absolutePath(where: string, property: string, path: string): string {
  check(typeof path === 'string' && path.startsWith('/') && path.length > 1
    && path.slice(1).replace(/\/$/, '').split('/').every((s) => PATH_SEGMENT.test(s)), where, property, path,
  'an absolute path such as "/var/spark-events", without empty or dot segments');
  return path.replace(/\/$/, '');
}
