import { SecretValue } from 'cdk8s-plus-28';
import { brand, isBranded } from '../core/brand';
import { check } from '../core/errors';
import { isDnsSubdomain, isPort, secretKey } from '../core/validate';

/** Where a Hive-enabled Spark driver keeps its table catalog. */
export enum HiveMetastoreKind {
  /** A remote Hive metastore service, reached over Thrift. */
  THRIFT = 'thrift',
  /** The metastore database itself, reached over JDBC by a metastore client embedded in the driver. */
  JDBC = 'jdbc',
  /** Embedded Derby in the pod's working directory: lost with the pod, for tests only. */
  EMBEDDED = 'embedded',
}

/** Options of {@link HiveMetastore.jdbc}. */
export interface JdbcHiveMetastoreOptions {
  /**
   * The JDBC URL of the metastore database, without credentials, e.g.
   * `jdbc:mysql://mysql.metastore.svc:3306/hive`.
   */
  readonly url: string;
  /** The JDBC driver class, e.g. `com.mysql.cj.jdbc.Driver`. */
  readonly driver: string;
  /** The database user. */
  readonly user: string;
  /**
   * The database password: a key of a Secret the user owns. It never appears
   * in a manifest or a command line (see the Thrift server's documentation
   * for how it reaches the metastore client).
   */
  readonly password: SecretValue;
  /**
   * The JDBC driver jar, when the image does not carry it. A `local://`
   * path (a jar in the image) goes onto the driver's JVM class path
   * (`spark.driver.extraClassPath`); an `https://`, `s3a://` or `hdfs://` URL
   * is fetched at start through `spark.jars`.
   * @default - the driver is already on the image's class path (e.g. in /opt/spark/jars)
   */
  readonly driverJar?: string;
  /**
   * Let the metastore client create a missing schema
   * (`datanucleus.schema.autoCreateAll`) and skip the schema version check
   * (`hive.metastore.schema.verification`). Meant for a first start against
   * an empty database; prefer Hive's `schematool -initSchema`.
   * @default false
   */
  readonly autoCreateSchema?: boolean;
}

/** A Hive setting whose value comes from a Secret. */
export interface HiveSecretSetting {
  /** The Hive configuration key. */
  readonly key: string;
  /** The Secret key holding the value. */
  readonly value: SecretValue;
}

const CLASS_NAME = /^[\p{L}_$][\p{L}\p{N}_$]*(\.[\p{L}_$][\p{L}\p{N}_$]*)+$/u;
const THRIFT_URI = /^thrift:\/\/([^:/?#]+):(\d{1,5})$/;
const JAR = /^(local:\/\/\/|https?:\/\/|s3a:\/\/|hdfs:\/\/|gs:\/\/|abfss?:\/\/)[^\s,]+\.jar$/;
// Credentials written into a JDBC URL: `password=`/`pwd=` parameters or `user:password@host`.
const URL_CREDENTIALS = /(?:[?&;:(\s]|^)(?:password|pwd|passwd)\s*=|\/\/[^/@\s]*:[^/@\s]*@/i;

/**
 * The Hive metastore a Spark SQL endpoint keeps its databases and tables in.
 *
 * Credentials are taken only as Secret references: there is no way to give
 * the metastore database password as text.
 */
export class HiveMetastore {
  /** True when `x` is a {@link HiveMetastore} (also from another copy of the library, where `instanceof` fails). */
  public static isHiveMetastore(x: any): x is HiveMetastore {
    return isBranded(x, 'HiveMetastore');
  }

  /**
   * A Hive metastore service (`hive.metastore.uris`).
   * @param uris one or more `thrift://host:port` URIs, tried in order
   */
  public static thrift(...uris: string[]): HiveMetastore {
    check(uris.length > 0, 'HiveMetastore.thrift', 'uris', uris, 'at least one "thrift://host:port" URI');
    for (const uri of uris) {
      const m = typeof uri === 'string' ? THRIFT_URI.exec(uri) : null;
      check(m !== null && isDnsSubdomain(m[1]) && isPort(Number(m[2])), 'HiveMetastore.thrift', 'uri', uri,
        'a URI "thrift://<host>:<port>" with a lowercase DNS host and a port 1-65535, e.g. "thrift://hive-metastore.hive.svc:9083"');
    }
    return new HiveMetastore(HiveMetastoreKind.THRIFT, [['hive.metastore.uris', uris.join(',')]], []);
  }

  /**
   * The metastore database, reached over JDBC by the metastore client
   * embedded in the driver. The database user's password comes from a Secret.
   */
  public static jdbc(options: JdbcHiveMetastoreOptions): HiveMetastore {
    const where = 'HiveMetastore.jdbc';
    const url = options.url;
    check(typeof url === 'string' && /^jdbc:[a-z0-9]+:\S+$/i.test(url), where, 'url', url,
      'a JDBC URL without blanks, e.g. "jdbc:mysql://mysql.metastore.svc:3306/hive"');
    check(!URL_CREDENTIALS.test(url), where, 'url', redactUrl(url),
      'a JDBC URL without credentials: give the password as `password: { secret, key }`, a key of a Kubernetes Secret');
    check(typeof options.driver === 'string' && CLASS_NAME.test(options.driver), where, 'driver', options.driver,
      'a fully qualified JDBC driver class, e.g. "com.mysql.cj.jdbc.Driver"');
    check(typeof options.user === 'string' && /^\S+$/.test(options.user), where, 'user', options.user, 'a database user name without blanks');
    const password = options.password;
    check(password !== undefined && typeof password === 'object' && password.secret !== undefined
      && typeof password.key === 'string', where, 'password',
    typeof password === 'string' ? '(a literal string)' : password?.key,
    'a Secret reference `{ secret, key }`; passwords are never given as text');
    secretKey(where, 'password.key', password.key);
    if (options.driverJar !== undefined) {
      check(JAR.test(options.driverJar), where, 'driverJar', options.driverJar,
        'a .jar URL: "local:///path/in/image.jar" or an https://, s3a://, hdfs://, gs:// or abfs(s):// URL, without commas or blanks');
    }
    const hive: Array<[string, string]> = [
      ['javax.jdo.option.ConnectionURL', url],
      ['javax.jdo.option.ConnectionDriverName', options.driver],
      ['javax.jdo.option.ConnectionUserName', options.user],
    ];
    if (options.autoCreateSchema) {
      hive.push(['datanucleus.schema.autoCreateAll', 'true'], ['hive.metastore.schema.verification', 'false']);
    }
    return new HiveMetastore(HiveMetastoreKind.JDBC, hive,
      [{ key: 'javax.jdo.option.ConnectionPassword', value: { secret: password.secret, key: password.key } }], options.driverJar);
  }

  /**
   * An embedded Derby database in the driver pod's working directory
   * (an emptyDir): every restart starts with an empty catalog, and only one
   * process can open it. For tests and demos only.
   */
  public static embedded(): HiveMetastore {
    return new HiveMetastore(HiveMetastoreKind.EMBEDDED, [], []);
  }

  /** The kind of metastore. */
  public readonly kind: HiveMetastoreKind;
  /** The JDBC driver jar to add to the driver, if any. */
  public readonly driverJar?: string;

  private readonly hive: Array<[string, string]>;
  private readonly secretSettings: HiveSecretSetting[];

  private constructor(kind: HiveMetastoreKind, hive: Array<[string, string]>, secrets: HiveSecretSetting[], driverJar?: string) {
    brand(this, 'HiveMetastore');
    this.kind = kind;
    this.hive = hive;
    this.secretSettings = secrets;
    this.driverJar = driverJar;
  }

  /** The plain (non-secret) Hive settings, as `{ key: value }` in order. */
  public hiveConf(): { [key: string]: string } {
    return Object.fromEntries(this.hive);
  }

  /** The Hive settings whose values come from Secrets. */
  public secretHiveConf(): HiveSecretSetting[] {
    return this.secretSettings.map((s) => ({ key: s.key, value: { secret: s.value.secret, key: s.value.key } }));
  }
}

/** The URL with any credentials masked, for error messages. */
function redactUrl(url: string): string {
  return url
    .replace(/((?:password|pwd|passwd)\s*=)[^&;)\s]*/gi, '$1***')
    .replace(/(\/\/[^/@\s:]*:)[^/@\s]*@/, '$1***@');
}
