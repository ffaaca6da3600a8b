import { IConstruct } from 'constructs';
import { CELEBORN_RELEASE, celebornJobParts, CelebornClientSpec, CelebornJobParts } from './private/celeborn-client';
import { brand, isBranded } from '../core/brand';
import { check } from '../core/errors';
import { validateHostPort } from '../core/host-port';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';
import { port } from '../core/validate';

/**
 * How a Celeborn shuffle writer buffers map output
 * (`spark.celeborn.client.spark.shuffle.writer`, apache/celeborn README.md "Spark Configuration").
 */
export enum CelebornShuffleWriter {
  /** One buffer per partition: fast, memory grows with the partition count. */
  HASH = 'hash',
  /** Sorts in one buffer: less memory when there are many partitions. */
  SORT = 'sort',
}

/**
 * Where the driver and the executors find Celeborn's Spark client (the
 * shaded `celeborn-client-spark-3` or `-spark-4` jar).
 */
export class CelebornClientJar {
  /** The Celeborn release pinned by default (apache/celeborn tag v0.7.0). */
  public static readonly DEFAULT_VERSION: string = CELEBORN_RELEASE;

  /**
   * Resolved from Maven Central when the job starts (`deps.packages`): the
   * artifact matching the job's Spark line, `org.apache.celeborn:celeborn-client-spark-3-shaded_2.12`
   * for Spark 3 and `org.apache.celeborn:celeborn-client-spark-4-shaded_2.13`
   * for Spark 4 (apache/celeborn client-spark/spark-3-shaded/pom.xml,
   * client-spark/spark-4-shaded/pom.xml; Scala 2.12 and 2.13 as the
   * spark-3.x and spark-4.x profiles of pom.xml, and as apache/spark images ship).
   * @param version the Celeborn release; it must match the servers' line
   */
  public static mavenCentral(version: string = CELEBORN_RELEASE): CelebornClientJar {
    check(typeof version === 'string' && /^\d+\.\d+\.\d+$/.test(version), 'CelebornClientJar.mavenCentral', 'version', version,
      'a Celeborn release "major.minor.patch", e.g. "0.7.0"');
    return new CelebornClientJar(version, undefined);
  }

  /**
   * Downloaded from a URL (or `local://` in the image) when the job starts (`deps.jars`).
   * @param url `https://`, `s3a://`... or `local:///path/in/image.jar`
   */
  public static fromUrl(url: string): CelebornClientJar {
    check(typeof url === 'string' && /^[a-z][a-z0-9+.-]*:\/\/\S+\.jar$/i.test(url) && !url.includes(','), 'CelebornClientJar.fromUrl', 'url', url,
      'the URL of a jar, e.g. "https://repo.example.com/celeborn-client-spark-3-shaded_2.12-0.7.0.jar" or "local:///opt/celeborn/client.jar"');
    return new CelebornClientJar(undefined, url);
  }

  /** Already on the class path of the image (e.g. copied into `$SPARK_HOME/jars`): nothing is added. */
  public static inImage(): CelebornClientJar {
    return new CelebornClientJar(undefined, undefined);
  }

  private constructor(
    /** @internal */ public readonly _mavenVersion: string | undefined,
    /** @internal */ public readonly _url: string | undefined,
  ) {}
}

/** What a Spark job sets as a client of Celeborn, besides the masters. */
export interface CelebornClientOptions {
  /**
   * Where the jobs find the Celeborn client.
   * @default CelebornClientJar.mavenCentral()
   */
  readonly clientJar?: CelebornClientJar;
  /**
   * The shuffle writer.
   * @default - Celeborn's default (hash)
   */
  readonly shuffleWriter?: CelebornShuffleWriter;
  /**
   * Push every shuffle block to two workers
   * (`spark.celeborn.client.push.replicate.enabled`), so that losing one
   * worker loses no shuffle data; it needs at least two workers.
   * @default false
   */
  readonly replicate?: boolean;
  /**
   * More Celeborn client keys, all under `spark.celeborn.` (apache/celeborn
   * docs/configuration/client.md); a key the typed props set is refused.
   * @default - none
   */
  readonly sparkConf?: SparkConf;
}

/** An existing Celeborn installation, by its masters. */
export interface CelebornEndpointsProps extends CelebornClientOptions {
  /**
   * The masters' RPC endpoints `host:port` (port 9097 in Celeborn's
   * examples and chart), e.g. `celeborn-master-0.celeborn-master-svc.shuffle:9097`.
   */
  readonly masterEndpoints: string[];
  /**
   * The ports the workers listen on for the jobs: RPC, push and fetch
   * (`celeborn.worker.rpc.port`, `.push.port`, `.fetch.port`, apache/celeborn
   * docs/configuration/worker.md). Celeborn picks random ones unless they are
   * set, and a NetworkPolicy needs them fixed: only
   * {@link TenantEgress.toShuffleService} reads them.
   * @default - unknown: TenantEgress.toShuffleService refuses the service
   */
  readonly workerPorts?: number[];
}

/** A parsed master endpoint. */
export interface RemoteShuffleEndpoint {
  /** DNS name or IPv4 address. */
  readonly host: string;
  /** The RPC port. */
  readonly port: number;
}

/**
 * A remote shuffle service that Spark jobs write their shuffle data to, given
 * to a job as `shuffle`: executors then hold no shuffle data, so dynamic
 * allocation releases them without shuffle tracking.
 *
 * @example
 * const shuffle = RemoteShuffleService.fromEndpoints({
 *   masterEndpoints: ['celeborn-master-0.celeborn-master-svc.shuffle:9097', 'celeborn-master-1.celeborn-master-svc.shuffle:9097',
 *     'celeborn-master-2.celeborn-master-svc.shuffle:9097'],
 *   workerPorts: [9091, 9092, 9093],
 * });
 * new SparkApplication(chart, 'Etl', {
 *   type: SparkApplicationType.SCALA,
 *   mainClass: 'org.apache.spark.examples.SparkPi',
 *   mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
 *   shuffle,
 *   dynamicAllocation: { maxExecutors: 10 },
 * });
 */
export class RemoteShuffleService {
  /**
   * An Apache Celeborn installation made elsewhere (e.g. by its Helm chart),
   * reached at its masters' endpoints.
   */
  public static fromEndpoints(props: CelebornEndpointsProps): RemoteShuffleService {
    const where = 'RemoteShuffleService.fromEndpoints';
    check(Array.isArray(props.masterEndpoints) && props.masterEndpoints.length > 0, where, 'masterEndpoints', props.masterEndpoints,
      'at least one master endpoint "host:port"');
    const endpoints = props.masterEndpoints.map((e) => {
      const parsed = validateHostPort(where, 'masterEndpoints', e, true);
      return { host: parsed.host, port: parsed.port! };
    });
    const seen = new Set<string>();
    for (const e of props.masterEndpoints) {
      check(!seen.has(e), where, 'masterEndpoints', e, 'distinct endpoints; this one is listed twice');
      seen.add(e);
    }
    const workerPorts = props.workerPorts ?? [];
    for (const p of workerPorts) {
      port(where, 'workerPorts', p);
    }
    return new RemoteShuffleService(endpoints, workerPorts, props);
  }

  /** @internal The service of a CelebornCluster. */
  public static _forCluster(endpoints: RemoteShuffleEndpoint[], workerPorts: number[], options: CelebornClientOptions): RemoteShuffleService {
    return new RemoteShuffleService(endpoints, workerPorts, options);
  }

  /** True when `x` is a RemoteShuffleService (also across copies of the library). */
  public static isRemoteShuffleService(x: any): x is RemoteShuffleService {
    return isBranded(x, 'RemoteShuffleService');
  }

  /** The masters the jobs register with. */
  public readonly masterEndpoints: RemoteShuffleEndpoint[];
  /** The workers' ports the jobs connect to; empty when unknown. */
  public readonly workerPorts: number[];
  private readonly spec: CelebornClientSpec;

  private constructor(endpoints: RemoteShuffleEndpoint[], workerPorts: number[], options: CelebornClientOptions) {
    brand(this, 'RemoteShuffleService');
    this.masterEndpoints = endpoints.map((e) => ({ host: e.host, port: e.port }));
    this.workerPorts = [...new Set(workerPorts)];
    const jar = options.clientJar ?? CelebornClientJar.mavenCentral();
    this.spec = {
      endpoints: this.masterEndpoints,
      shuffleWriter: options.shuffleWriter,
      replicate: options.replicate,
      // A copy: a later change of the caller's SparkConf does not reach the jobs.
      sparkConf: options.sparkConf ? new SparkConf().merge(options.sparkConf) : undefined,
      jarVersion: jar._mavenVersion,
      jarUrl: jar._url,
    };
    // Bad options fail here, where they are given, not at the first job.
    celebornJobParts('RemoteShuffleService', '', this.spec, { sparkMajor: 4, sparkMinor: 0, dynamicAllocation: false });
  }

  /**
   * @internal What a job of `image` at `scope` adds: its Spark conf, the
   * client jar, and whether dynamic allocation still needs shuffle tracking.
   */
  public _jobParts(scope: IConstruct, property: string, image: SparkImage, dynamicAllocation: boolean): CelebornJobParts {
    const [sparkMajor, sparkMinor] = image.sparkMajorMinor;
    return celebornJobParts(scope, property, this.spec, { sparkMajor, sparkMinor, dynamicAllocation });
  }
}
