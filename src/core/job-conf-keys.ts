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
