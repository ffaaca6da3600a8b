/**
 * The Spark rows of the compatibility table (see `Compatibility`): which
 * Spark releases the constructs accept, from which release each feature
 * they rely on exists, and which apache/spark tags exist.
 */
import { IConstruct } from 'constructs';
import { check, invalidInput } from './errors';
import type { SparkConf } from './spark-conf';
import { ReleaseRange, compareReleases, parseRelease, releaseAtLeast } from './versions';
import { OFFICIAL_SPARK_IMAGE_TAGS, OfficialSparkImage, SPARK_DOCKER_REVISION } from '../imports/spark-docker/image-tags';

/**
 * The Spark releases every Spark construct accepts: the Kubernetes backend's
 * pod templates, shuffle tracking and rolling event logs, which the
 * constructs rely on, exist from 3.0.0; a new major release may change what
 * they emit, so it waits for a release of this library.
 */
export const SPARK_RELEASES = new ReleaseRange('3.0.0', '5.0.0');

/** A Spark capability the constructs rely on, with the release it appeared in. */
export interface SparkFeatureFacts {
  /** The first Spark release with it. */
  readonly since: string;
  /** The configuration keys that carry it (their `.version(...)` in Spark's ConfigBuilder definitions). */
  readonly keys: readonly string[];
  /** What it is, for the table. */
  readonly what: string;
  /** The apache/spark file that defines the keys. */
  readonly source: string;
}

const CORE = 'apache/spark core/src/main/scala/org/apache/spark/internal/config/package.scala';
const HISTORY = 'apache/spark core/src/main/scala/org/apache/spark/internal/config/History.scala';
const K8S = 'apache/spark resource-managers/kubernetes/core/src/main/scala/org/apache/spark/deploy/k8s/Config.scala';
const SQL = 'apache/spark sql/catalyst/src/main/scala/org/apache/spark/sql/internal/SQLConf.scala';
const CONNECT = 'apache/spark sql/connect/server/src/main/scala/org/apache/spark/sql/connect/config/Connect.scala';
const UI = 'apache/spark core/src/main/scala/org/apache/spark/internal/config/UI.scala';

/**
 * Spark features by first release. Releases are the `.version(...)` of the
 * keys in apache/spark core/src/main/scala/org/apache/spark/internal/config
 * (package.scala, History.scala, UI.scala), resource-managers/kubernetes/core/.../k8s/Config.scala
 * and sql/catalyst/.../internal/SQLConf.scala.
 */
export const SPARK_FEATURES = {
  podTemplates: {
    since: '3.0.0',
    keys: ['spark.kubernetes.driver.podTemplateFile', 'spark.kubernetes.executor.podTemplateFile',
      'spark.kubernetes.driver.podTemplateContainerName', 'spark.kubernetes.executor.podTemplateContainerName'],
    what: 'driver and executor pod templates (SparkSubmitJob, SparkThriftServer, a SparkApplication\'s pod templates)',
    source: K8S,
  },
  shuffleTracking: {
    since: '3.0.0',
    keys: ['spark.dynamicAllocation.shuffleTracking.enabled', 'spark.dynamicAllocation.shuffleTracking.timeout'],
    what: 'dynamic allocation without an external shuffle service (every job\'s dynamicAllocation)',
    source: CORE,
  },
  rollingEventLogs: {
    since: '3.0.0',
    keys: ['spark.eventLog.rolling.enabled', 'spark.eventLog.rolling.maxFileSize', 'spark.history.fs.eventLog.rolling.maxFilesToRetain'],
    what: 'rolling event logs and their compaction (EventLogStore, SparkHistoryServer)',
    source: CORE,
  },
  driverCoreRequest: {
    since: '3.0.0',
    keys: ['spark.kubernetes.driver.request.cores'],
    what: 'a driver CPU request apart from its cores (driver.coreRequest)',
    source: K8S,
  },
  prometheusEndpoints: {
    // Internal (experimental) in 3.x and off by default; on by default from 4.0.0 (SPARK-46886).
    since: '3.0.0',
    keys: ['spark.ui.prometheus.enabled'],
    what: 'the executors\' metrics in Prometheus format on the driver\'s UI (a job\'s prometheusMetrics)',
    source: UI,
  },
  archives: {
    since: '3.1.0',
    keys: ['spark.archives'],
    what: 'archives unpacked into the working directory (deps.archives)',
    source: CORE,
  },
  hybridHistoryStore: {
    since: '3.1.0',
    keys: ['spark.history.store.hybridStore.enabled', 'spark.history.store.hybridStore.maxMemoryUsage'],
    what: 'the history server\'s hybrid store (localStore hybrid)',
    source: HISTORY,
  },
  decommissioning: {
    since: '3.1.0',
    keys: ['spark.decommission.enabled', 'spark.storage.decommission.enabled',
      'spark.storage.decommission.shuffleBlocks.enabled', 'spark.storage.decommission.rddBlocks.enabled'],
    what: 'graceful executor decommissioning',
    source: CORE,
  },
  executorServiceAccount: {
    since: '3.1.0',
    keys: ['spark.kubernetes.authenticate.executor.serviceAccountName'],
    what: 'a service account of the executors\' own',
    source: K8S,
  },
  minPartitionSize: {
    since: '3.2.0',
    keys: ['spark.sql.adaptive.coalescePartitions.minPartitionSize'],
    what: 'the smallest coalesced partition (SparkTuning minPartitionSize)',
    source: SQL,
  },
  perRoleMemoryOverheadFactor: {
    since: '3.3.0',
    keys: ['spark.driver.memoryOverheadFactor', 'spark.executor.memoryOverheadFactor'],
    what: 'memory overhead factors per role; older releases get spark.kubernetes.memoryOverheadFactor',
    source: CORE,
  },
  sparkConnect: {
    since: '3.4.0',
    keys: ['spark.connect.grpc.binding.port'],
    what: 'the Spark Connect server',
    source: CONNECT,
  },
} satisfies { readonly [name: string]: SparkFeatureFacts };

const KEY_SINCE: ReadonlyMap<string, string> = new Map(
  Object.values(SPARK_FEATURES).flatMap((f: SparkFeatureFacts) => f.keys.map((k) => [k, f.since] as [string, string])));

/** The Spark release a configuration key appeared in, when the table knows it. */
export function sparkConfKeySince(key: string): string | undefined {
  return KEY_SINCE.get(key);
}

/** What the checks read of a SparkImage (structurally, so the image's module can use this one). */
export interface SparkRelease {
  readonly sparkVersion: string;
  readonly reference: string;
}

/** Refuses a Spark release outside {@link SPARK_RELEASES}. */
export function checkSparkRelease(where: IConstruct | string, property: string, version: string): void {
  check(SPARK_RELEASES.contains(version), where, property, version,
    `a Spark release ${SPARK_RELEASES} (see Compatibility in the README)`);
}

/** Refuses a feature the image's Spark release does not have, naming the prop that asks for it. */
export function requireSparkFeature(scope: IConstruct, property: string, image: SparkRelease, feature: SparkFeatureFacts): void {
  if (!releaseAtLeast(image.sparkVersion, feature.since)) {
    throw invalidInput(scope, property, `Spark ${image.sparkVersion}`,
      `Spark ${feature.since} or later for ${feature.what}: image ${image.reference} carries Spark ${image.sparkVersion}`);
  }
}

/**
 * Refuses every key of `conf` that the image's Spark release does not know:
 * Spark keeps a spark.* key it does not know in its configuration without
 * reading it (spark-submit warns only about keys outside spark.*:
 * SparkSubmitArguments ignoreNonSparkProperties), so the
 * setting would silently do nothing.
 */
export function requireConfKeysKnown(scope: IConstruct, image: SparkRelease, conf: SparkConf | undefined): void {
  for (const key of conf?.keys ?? []) {
    const since = KEY_SINCE.get(key);
    if (since !== undefined && !releaseAtLeast(image.sparkVersion, since)) {
      throw invalidInput(scope, `Spark conf key "${key}" (set by ${conf!.sourceOf(key)})`, `Spark ${image.sparkVersion}`,
        `Spark ${since} or later, where ${key} exists: image ${image.reference} carries Spark ${image.sparkVersion}, which would ignore it`);
    }
  }
}

/** The official apache/spark image a tag names, when apache/spark-docker lists it. */
export function officialSparkImage(tag: string): OfficialSparkImage | undefined {
  return Object.prototype.hasOwnProperty.call(OFFICIAL_SPARK_IMAGE_TAGS, tag) ? OFFICIAL_SPARK_IMAGE_TAGS[tag] : undefined;
}

const OFFICIAL_RELEASES: readonly string[] = [...new Set(Object.values(OFFICIAL_SPARK_IMAGE_TAGS).map((i) => i.version))]
  .filter((v) => /^\d+\.\d+\.\d+$/.test(v)).sort(compareReleases);

/** The Spark releases with official apache/spark images, oldest first. */
export function officialSparkReleases(): readonly string[] {
  return OFFICIAL_RELEASES;
}

/**
 * Whether apache/spark may have a tag the list does not know: a release newer
 * than every known release of its `major.minor` line (published after the
 * list was made). A known line's older releases, and lines older than the
 * oldest image, have no image.
 */
export function mayBeNewerOfficialRelease(version: string): boolean {
  const [major, minor] = parseRelease(version) ?? [];
  if (major === undefined) return false;
  const line = OFFICIAL_RELEASES.filter((v) => v.startsWith(`${major}.${minor}.`));
  if (line.length > 0) return compareReleases(version, line[line.length - 1]) > 0;
  return compareReleases(version, OFFICIAL_RELEASES[OFFICIAL_RELEASES.length - 1]) > 0;
}

/** Where the list of official tags comes from, for messages and the table. */
export const OFFICIAL_TAGS_SOURCE = `apache/spark-docker versions.json up to ${SPARK_DOCKER_REVISION}`;
