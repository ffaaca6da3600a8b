/**
 * The rows of the compatibility table (see `Compatibility`) for the
 * applications the constructs install around Spark: the Spark operator and
 * Zeppelin.
 */
import { Where, check } from './errors';
import { ReleaseRange, compareReleases, parseRelease } from './versions';

/**
 * The Spark operator releases whose image `SparkOperatorInstall` runs: our
 * CRDs are those of v2.5.2 (byte-identical to v2.4.0's), and the controller
 * and webhook flags, webhook paths and defaulting we model are v2.5's
 * (kubeflow/spark-operator cmd/operator/{controller,webhook}/start.go,
 * internal/webhook at v2.5.2). 1.x images take other flags altogether.
 */
export const OPERATOR_RELEASES = new ReleaseRange('2.5.0', '2.6.0');

/** The operator release installed by default, and the Spark its image submits with (its Dockerfile's SPARK_IMAGE). */
export const OPERATOR_DEFAULT = { release: '2.5.2', sparkSubmit: '4.0.4' } as const;

/** The release an operator image's tag names (`2.5.2`, `v2.5.2`, `2.5.2-rc1`), or undefined. */
export function operatorImageRelease(tag: string | undefined): string | undefined {
  return tag !== undefined && /^v?\d+\.\d+\.\d+($|-)/.test(tag) ? tag.replace(/^v/, '') : undefined;
}

/** The release an operator image's tag names; refuses a tag that names no supported release. */
export function checkOperatorImage(where: Where, property: string, reference: string, tag: string | undefined): string {
  const release = operatorImageRelease(tag);
  check(release !== undefined && OPERATOR_RELEASES.contains(release), where, property, reference,
    `a Spark operator image tagged with its release, ${OPERATOR_RELEASES} (e.g. ghcr.io/kubeflow/spark-operator/controller:${OPERATOR_DEFAULT.release}): `
    + 'the CRDs, flags and webhooks this construct emits are those of that release; 1.x images (tags like v1beta2-1.3.8-3.1.1) '
    + 'take other flags');
  return release!;
}

/** A Zeppelin release line and the Spark releases its Spark interpreter runs. */
export interface ZeppelinSparkRow {
  readonly zeppelin: ReleaseRange;
  readonly spark: ReleaseRange;
  readonly note: string;
}

/**
 * Zeppelin ↔ Spark, from each release's supported-version check
 * (apache/zeppelin spark/interpreter/src/main/java/org/apache/zeppelin/spark/SparkVersion.java,
 * MIN_SUPPORTED_VERSION and UNSUPPORTED_FUTURE_VERSION) and its image
 * (scripts/docker/zeppelin/bin/Dockerfile: Java 8 up to 0.11, Java 11 in
 * 0.12; Spark 4 needs Java 17). Releases before 0.9.0 lack ZEPPELIN_RUN_MODE,
 * which the notebook sets; Spark before 3.0.0 is outside every construct's range.
 */
export const ZEPPELIN_SPARK: readonly ZeppelinSparkRow[] = [
  { zeppelin: new ReleaseRange('0.9.0', '0.10.0'), spark: new ReleaseRange('3.0.0', '3.1.0'), note: 'SparkVersion: < 3.1.0' },
  { zeppelin: new ReleaseRange('0.10.0', '0.10.1'), spark: new ReleaseRange('3.0.0', '3.2.0'), note: 'SparkVersion: < 3.2.0' },
  { zeppelin: new ReleaseRange('0.10.1', '0.11.0'), spark: new ReleaseRange('3.0.0', '3.3.0'), note: 'SparkVersion: < 3.3.0' },
  { zeppelin: new ReleaseRange('0.11.0', '0.12.0'), spark: new ReleaseRange('3.2.0', '4.0.0'), note: 'SparkVersion: 3.2.0 to < 4.0.0' },
  { zeppelin: new ReleaseRange('0.12.0', '0.12.1'), spark: new ReleaseRange('3.3.0', '4.0.0'), note: 'SparkVersion: 3.3.0 to < 4.0.0' },
  {
    zeppelin: new ReleaseRange('0.12.1', '0.12.2'),
    spark: new ReleaseRange('3.3.0', '4.0.0'),
    note: 'SparkVersion accepts < 4.1.0, but the image\'s Java 11 cannot run Spark 4 (Java 17)',
  },
  { zeppelin: new ReleaseRange('0.12.2'), spark: new ReleaseRange('3.3.0', '5.0.0'), note: 'newer than this table: as 0.12.1, with Spark 4' },
];

/** The oldest Zeppelin release the notebook's environment works with. */
export const ZEPPELIN_MIN = '0.9.0';

/** The row of a Zeppelin release, or undefined for a release before {@link ZEPPELIN_MIN}. */
export function zeppelinRow(release: string): ZeppelinSparkRow | undefined {
  return ZEPPELIN_SPARK.find((row) => row.zeppelin.contains(release));
}

/** The release a Zeppelin image's tag names (`0.12.0`), or undefined. */
export function zeppelinImageRelease(tag: string | undefined): string | undefined {
  const parts = parseRelease(tag);
  return parts !== undefined && /^\d+\.\d+\.\d+($|[-+._])/.test(tag!) ? parts.join('.') : undefined;
}

/** Sorted for the table: oldest Zeppelin first. */
export function zeppelinRows(): readonly ZeppelinSparkRow[] {
  return [...ZEPPELIN_SPARK].sort((a, b) => compareReleases(a.zeppelin.min, b.zeppelin.min));
}
