import { SparkConf } from './spark-conf';

/**
 * Where Ivy keeps what `--packages` (`spark.jars.packages`) resolves, in the
 * pods that resolve them: spark-submit's (the operator's controller, a submit
 * Job's pod) and, in cluster mode, the driver's, which resolves them again
 * (apache/spark core SparkSubmit.scala: resolveMavenDependencies outside
 * standalone cluster mode; `spark.jars.ivy` goes on to the driver).
 *
 * Ivy's default is `.ivy2.5.2` under Java's `user.home` (apache/spark
 * common/utils MavenUtils.scala, processIvyPathArg), which the JVM takes from
 * the passwd entry, not from `$HOME` (OpenJDK java_props_md.c, getpwuid).
 * The apache/spark images' `spark` user has the home directory
 * `/nonexistent` (apache/spark-docker, Dockerfile: `useradd -d /nonexistent`),
 * so resolving fails there. `/tmp` is writable in every pod the library runs
 * spark-submit or a driver in.
 */
export const IVY_CACHE_DIR = '/tmp/.ivy2';

/**
 * The key that places Ivy's directory. An Ivy settings file
 * (`spark.jars.ivySettings`) does not: Spark sets Ivy's directory after
 * loading it, to `spark.jars.ivy` or the default (MavenUtils.loadIvySettings,
 * processIvyPathArg), so the default is needed with one too.
 */
export const IVY_KEY = 'spark.jars.ivy';

/**
 * `conf` with `spark.jars.ivy` at {@link IVY_CACHE_DIR} when there are
 * `packages` to resolve and `conf` does not place Ivy's directory itself;
 * otherwise `conf`. A new conf: `conf` is never changed.
 */
export function withIvyCache(conf: SparkConf | undefined, packages: readonly string[] | undefined, source: string): SparkConf | undefined {
  if (packages === undefined || packages.length === 0 || conf?.has(IVY_KEY)) {
    return conf;
  }
  const ivy = new SparkConf().set(IVY_KEY, IVY_CACHE_DIR, source);
  return conf ? conf.merge(ivy) : ivy;
}
