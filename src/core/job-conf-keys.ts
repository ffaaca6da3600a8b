import { IConstruct } from 'constructs';
import { check } from './errors';

/**
 * Spark keys that every typed Spark job (operator or spark-submit) sets from
 * its props, with the prop to use instead; a job conf setting one is refused.
 */
export const JOB_PROP_CONF_KEYS: { readonly [key: string]: string } = {
  'spark.submit.deployMode': 'the mode prop',
  'spark.app.name': 'the name prop',
  'spark.kubernetes.namespace': 'the namespace prop',
  'spark.kubernetes.container.image': 'the image prop (SparkImage)',
  'spark.kubernetes.driver.container.image': 'the image prop (SparkImage)',
  'spark.kubernetes.executor.container.image': 'the image prop (SparkImage)',
  'spark.kubernetes.container.image.pullPolicy': 'the pullPolicy of the image prop (SparkImage)',
  'spark.kubernetes.container.image.pullSecrets': 'the pullSecrets of the image prop (SparkImage)',
  'spark.kubernetes.authenticate.driver.serviceAccountName': 'the serviceAccount prop (SparkServiceAccount)',
  'spark.executor.instances': 'executor.instances',
  'spark.dynamicAllocation.enabled': 'the dynamicAllocation prop',
};

/**
 * Refuses a `sparkConf` key that a typed prop of the construct at `scope`
 * sets (`managed`: key → the prop, or `nothing: <why>`): in free-form conf it
 * would bypass the prop, or collide with it only when both are set.
 */
export function refuseManagedConfKey(scope: IConstruct, key: string, managed: { readonly [key: string]: string }): void {
  const prop = Object.prototype.hasOwnProperty.call(managed, key) ? managed[key] : undefined;
  check(prop === undefined, scope, 'sparkConf key', key, prop?.startsWith('nothing: ')
    ? `a key the library manages, which cannot be set: ${prop.slice('nothing: '.length)}`
    : `the key is managed by the library; set it through ${prop}`);
}

/** Keys of `SparkTuning.dynamicAllocationConf`, owned by a `dynamicAllocation` prop. */
export const DYNAMIC_ALLOCATION_KEYS = [
  'spark.dynamicAllocation.enabled', 'spark.dynamicAllocation.shuffleTracking.enabled', 'spark.dynamicAllocation.shuffleTracking.timeout',
  'spark.dynamicAllocation.minExecutors', 'spark.dynamicAllocation.initialExecutors', 'spark.dynamicAllocation.maxExecutors',
  'spark.dynamicAllocation.executorIdleTimeout', 'spark.dynamicAllocation.cachedExecutorIdleTimeout',
  'spark.dynamicAllocation.schedulerBacklogTimeout',
];

/** Keys of `SparkTuning.adaptiveExecutionConf`, owned by an `adaptiveExecution` prop. */
export const ADAPTIVE_EXECUTION_KEYS = [
  'spark.sql.adaptive.enabled', 'spark.sql.adaptive.coalescePartitions.enabled', 'spark.sql.adaptive.coalescePartitions.initialPartitionNum',
  'spark.sql.adaptive.coalescePartitions.minPartitionSize', 'spark.sql.adaptive.advisoryPartitionSizeInBytes',
  'spark.sql.adaptive.skewJoin.enabled', 'spark.sql.adaptive.skewJoin.skewedPartitionFactor',
  'spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes',
];
