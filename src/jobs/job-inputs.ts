import { IConstruct } from 'constructs';
import { refuseJobCredentials } from './job-credentials';
import type { SparkJobSpecOptions, SparkPodProps } from './spark-job-spec';
import { requireSparkFeature, SPARK_FEATURES } from '../core/compatibility-spark';
import { check } from '../core/errors';
import { EventLogStore } from '../core/event-log-store';
import { guardLateChange } from '../core/late-change';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';
import { SparkMemory } from '../core/spark-memory';
import { refusePrometheusMetricsKey } from '../core/spark-prometheus';
import { secretRef, typed } from '../core/validate';
import { RemoteShuffleService } from '../shuffle/remote-shuffle-service';

// A job copies its props when it is built (they are checked, and shape other
// objects). A later change of a passed array, map or SparkConf would be
// silently ignored: these guards fail synthesis instead, naming the prop and
// the mutator that makes the change take effect.

const MAP_FIX = 'pass the complete value when creating the job';

/** Guards the arguments and the SparkConf every kind of job takes. */
export function guardArgumentsAndConf(job: IConstruct, props: { readonly arguments?: string[]; readonly sparkConf?: SparkConf }): void {
  if (props.arguments !== undefined) {
    const args = props.arguments;
    // The array itself: its JSON text is that of a copy.
    guardLateChange(job, 'props.arguments', () => args, 'call addArgument() on the job instead of changing the array');
  }
  if (props.sparkConf !== undefined) {
    const conf = props.sparkConf;
    guardLateChange(job, 'props.sparkConf', () => conf._revision,
      'call addSparkConf() on the job, or finish the SparkConf before passing it');
  }
}

/**
 * Guards every collection of {@link SparkJobSpecOptions} a job copied, and
 * the collections of its own kind (`more`: prop name to a snapshot of it).
 */
export function guardSpecInputs(job: IConstruct, props: SparkJobSpecOptions, more: { readonly [property: string]: () => unknown } = {}): void {
  guardArgumentsAndConf(job, props);
  const maps: Array<[string, () => unknown]> = [
    ['props.hadoopConf', () => props.hadoopConf],
    ['props.nodeSelector', () => props.nodeSelector],
    ['props.deps', () => props.deps],
    ['props.dynamicAllocation', () => props.dynamicAllocation],
    ...Object.entries(more).map(([property, snapshot]) => [`props.${property}`, snapshot] as [string, () => unknown]),
  ];
  for (const [property, snapshot] of maps) {
    if (snapshot() !== undefined) {
      guardLateChange(job, property, snapshot, MAP_FIX);
    }
  }
  for (const [role, pod] of [['driver', props.driver], ['executor', props.executor]] as const) {
    if (pod !== undefined) {
      guardLateChange(job, `props.${role}`, () => podSnapshot(pod), MAP_FIX);
    }
  }
}

/** What of a pod's props can change in place: its maps and arrays (labels, env, mounts...). */
function podSnapshot(pod: SparkPodProps): unknown {
  return {
    labels: pod.labels,
    annotations: pod.annotations,
    nodeSelector: pod.nodeSelector,
    env: Object.entries(pod.env ?? {}).map(([name, v]) => [name, v.value, v.valueFrom]),
    envFromSecrets: (pod.envFromSecrets ?? []).map((s) => s.name),
    envFromConfigMaps: (pod.envFromConfigMaps ?? []).map((c) => c.name),
    volumeMounts: (pod.volumeMounts ?? []).map((m) => [m.volume.name, m.path, m.readOnly, m.subPath]),
    tolerations: pod.tolerations,
    hostAliases: pod.hostAliases,
    supplementalGroups: pod.supplementalGroups,
    sysctls: pod.sysctls,
    seLinuxOptions: pod.seLinuxOptions,
  };
}

/**
 * Refuses values of the wrong kind where {@link SparkJobSpecOptions} takes
 * one of the library's classes or a Secret, as plain JavaScript can pass
 * them (a string for a SparkMemory would otherwise fail deep inside with a
 * TypeError, a string for a Secret would render a reference without a name).
 */
export function checkSpecTypes(job: IConstruct, props: SparkJobSpecOptions): void {
  typed(job, 'image', props.image, SparkImage.isSparkImage, 'a SparkImage, e.g. SparkImage.apache("3.5.7")');
  typed(job, 'sparkConf', props.sparkConf, SparkConf.isSparkConf, 'a SparkConf, e.g. SparkConf.of({ ... })');
  typed(job, 'eventLog', props.eventLog, EventLogStore.isEventLogStore, 'an EventLogStore, e.g. EventLogStore.s3({ ... })');
  typed(job, 'shuffle', props.shuffle, RemoteShuffleService.isRemoteShuffleService,
    'a RemoteShuffleService, e.g. RemoteShuffleService.fromEndpoints({ masterEndpoints: [...] })');
  const account = props.serviceAccount;
  check(account === undefined || (typeof account?.name === 'string' && typeof account?.namespace === 'string' && account.node !== undefined),
    job, 'serviceAccount', typeof account, 'an ISparkServiceAccount: a SparkServiceAccount, SparkServiceAccount.fromServiceAccount(...) or SparkServiceAccount.fromName(...)');
  for (const [role, pod] of [['driver', props.driver], ['executor', props.executor]] as const) {
    for (const field of ['memory', 'memoryOverhead', 'memoryLimit'] as const) {
      typed(job, `${role}.${field}`, pod?.[field], SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
    }
    (pod?.envFromSecrets ?? []).forEach((secret, i) => secretRef(job, `${role}.envFromSecrets[${i}]`, secret));
  }
}

/**
 * Spark keys the typed props of every job kind (operator and spark-submit)
 * set, with the prop: in `sparkConf` they would be set twice (the operator
 * would silently let the typed field win), so they are refused there.
 */
const TYPED_PROP_KEYS: { readonly [key: string]: string } = {
  'spark.driver.cores': 'driver.cores',
  'spark.executor.cores': 'executor.cores',
  'spark.driver.memory': 'driver.memory',
  'spark.executor.memory': 'executor.memory',
  'spark.driver.memoryOverhead': 'driver.memoryOverhead',
  'spark.executor.memoryOverhead': 'executor.memoryOverhead',
  'spark.kubernetes.driver.request.cores': 'driver.coreRequest',
  'spark.kubernetes.executor.request.cores': 'executor.coreRequest',
  'spark.kubernetes.driver.limit.cores': 'driver.coreLimit',
  'spark.kubernetes.executor.limit.cores': 'executor.coreLimit',
  'spark.kubernetes.memoryOverheadFactor': 'memoryOverheadFactor',
  'spark.jars': 'deps.jars',
  'spark.files': 'deps.files',
  'spark.submit.pyFiles': 'deps.pyFiles',
  'spark.archives': 'deps.archives',
  'spark.jars.packages': 'deps.packages',
  'spark.jars.repositories': 'deps.repositories',
};

/** Refuses a `sparkConf` key that a typed prop of the job sets, naming the prop. */
export function refuseTypedPropKey(job: IConstruct, key: string): void {
  const prop = TYPED_PROP_KEYS[key];
  check(prop === undefined, job, 'sparkConf key', key, `a key no typed prop sets: set it through the ${prop} prop, which sets it for every kind of job`);
}

/**
 * The checks every Kubernetes runner (operator and spark-submit) makes of its
 * props before rendering: kinds of values, keys the typed props own, and
 * credentials in any channel.
 */
export function checkSpecInputs(job: IConstruct, props: SparkJobSpecOptions): void {
  checkSpecTypes(job, props);
  (props.sparkConf?.keys ?? []).forEach((key) => refuseTypedPropKey(job, key));
  refuseJobCredentials(job, props);
  if ((props.deps?.archives ?? []).length > 0 && props.image !== undefined) {
    requireSparkFeature(job, 'deps.archives', props.image, SPARK_FEATURES.archives);
  }
  check(props.prometheusMetrics === undefined || typeof props.prometheusMetrics === 'boolean', job, 'prometheusMetrics',
    props.prometheusMetrics, 'true or false');
  if (props.prometheusMetrics) {
    requireSparkFeature(job, 'prometheusMetrics', props.image ?? SparkImage.apache(), SPARK_FEATURES.prometheusEndpoints);
    (props.sparkConf?.keys ?? []).forEach((key) => refusePrometheusMetricsKey(job, key));
  }
}
