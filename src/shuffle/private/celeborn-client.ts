import { check, Where } from '../../core/errors';
import { SparkConf } from '../../core/spark-conf';

/** What a job adds for its remote shuffle service. */
export interface CelebornJobParts {
  /** Keys merged into the job's Spark conf. */
  readonly sparkConf: SparkConf;
  /** Maven coordinates added to `deps.packages`. */
  readonly packages: string[];
  /** Jars added to `deps.jars`. */
  readonly jars: string[];
  /** Whether dynamic allocation still needs shuffle tracking (false with Celeborn). */
  readonly shuffleTracking: boolean;
}

/** The Celeborn release whose Spark client is pinned by default (apache/celeborn tag v0.7.0, pom.xml `project.version`). */
export const CELEBORN_RELEASE = '0.7.0';

/** The client options, as plain data (the public types import this module). */
export interface CelebornClientSpec {
  readonly endpoints: ReadonlyArray<{ readonly host: string; readonly port: number }>;
  readonly shuffleWriter?: string;
  readonly replicate?: boolean;
  readonly sparkConf?: SparkConf;
  /** Maven Central release of the client, when it comes from there. */
  readonly jarVersion?: string;
  /** URL of the client jar, when it is downloaded. */
  readonly jarUrl?: string;
}

/** The job's Spark line and whether it scales its executors. */
export interface CelebornJobContext {
  readonly sparkMajor: number;
  readonly sparkMinor: number;
  readonly dynamicAllocation: boolean;
}

// Class names and keys: apache/celeborn v0.7.0 README.md "Spark Configuration"
// and client-spark/spark-3/src/main/java/org/apache/spark/shuffle/celeborn/
// (SparkShuffleManager.java, CelebornShuffleDataIO.java).
const SHUFFLE_MANAGER = 'org.apache.spark.shuffle.celeborn.SparkShuffleManager';
const SHUFFLE_DATA_IO = 'org.apache.spark.shuffle.celeborn.CelebornShuffleDataIO';
const KRYO = 'org.apache.spark.serializer.KryoSerializer';

/** Keys the typed options set, with the option to use instead. */
const TYPED_KEYS: { readonly [key: string]: string } = {
  'spark.celeborn.master.endpoints': 'masterEndpoints',
  'spark.celeborn.client.spark.shuffle.writer': 'shuffleWriter',
  'spark.celeborn.client.push.replicate.enabled': 'replicate',
};

/**
 * The conf, jars and shuffle-tracking rule of a Celeborn client for the job
 * at `where` whose prop is `property`; when the service is created, `where`
 * is the factory and `property` empty.
 */
export function celebornJobParts(where: Where, property: string, options: CelebornClientSpec,
  ctx: CelebornJobContext): CelebornJobParts {
  const source = typeof where === 'string' ? where : `${where.node.path} ${property}`;
  const prop = (name: string) => property ? `${property}.${name}` : name;
  const conf = new SparkConf()
    .set('spark.shuffle.manager', SHUFFLE_MANAGER, source)
    // The relocated (shaded) client needs a serializer that supports relocation of serialized objects.
    .set('spark.serializer', KRYO, source)
    .set('spark.celeborn.master.endpoints', options.endpoints.map((e) => `${e.host}:${e.port}`).join(','), source)
    // Celeborn serves the shuffle data: Spark's own external shuffle service is not used.
    .setBoolean('spark.shuffle.service.enabled', false, source);
  if (options.shuffleWriter !== undefined) {
    check(Object.values(WRITERS).includes(options.shuffleWriter), where, prop('shuffleWriter'), options.shuffleWriter, 'hash or sort');
    conf.set('spark.celeborn.client.spark.shuffle.writer', options.shuffleWriter, source);
  }
  if (options.replicate !== undefined) {
    conf.setBoolean('spark.celeborn.client.push.replicate.enabled', options.replicate, source);
  }
  for (const key of options.sparkConf?.keys ?? []) {
    const typed = TYPED_KEYS[key];
    check(typed === undefined, where, prop('sparkConf key'), key, `a key no typed option sets; set it through ${typed}`);
    check(key.startsWith('spark.celeborn.'), where, prop('sparkConf key'), key,
      'a Celeborn client key "spark.celeborn.*" (apache/celeborn docs/configuration/client.md); other keys go to the job\'s sparkConf');
    conf.set(key, options.sparkConf!.get(key)!, source);
  }
  let shuffleTracking = true;
  if (ctx.dynamicAllocation) {
    // Spark 3.5 lets a ShuffleDataIO declare reliable storage (SPARK-42689), and
    // then scales executors down without shuffle tracking; Celeborn's
    // CelebornShuffleDataIO does (apache/celeborn README.md "Support Spark
    // Dynamic Resource Allocation": Spark 3.5.0 or later).
    check(ctx.sparkMajor > 3 || (ctx.sparkMajor === 3 && ctx.sparkMinor >= 5), where, 'dynamicAllocation', `Spark ${ctx.sparkMajor}.${ctx.sparkMinor}`,
      'Spark 3.5 or later with a remote shuffle service: older releases need a patched Spark to release executors whose shuffle data '
      + 'Celeborn holds; use a fixed executor count or a Spark 3.5+ image');
    conf.set('spark.shuffle.sort.io.plugin.class', SHUFFLE_DATA_IO, source);
    shuffleTracking = false;
  }
  const packages: string[] = [];
  const jars: string[] = [];
  if (options.jarVersion !== undefined) {
    const version = options.jarVersion;
    const line = ctx.sparkMajor >= 4 ? 'spark-4-shaded_2.13' : 'spark-3-shaded_2.12';
    packages.push(`org.apache.celeborn:celeborn-client-${line}:${version}`);
  } else if (options.jarUrl !== undefined) {
    jars.push(options.jarUrl);
  }
  return { sparkConf: conf, packages, jars, shuffleTracking };
}

const WRITERS = { HASH: 'hash', SORT: 'sort' };
