import { Construct } from 'constructs';
import { createCheckedJobObject, renderSparkApplicationSpec } from './private/operator-render';
import { SparkApplicationSpecProps } from './spark-application-spec';
import { SparkOperatorJobBase } from './spark-operator-job-base';
import { SPARK_APPLICATION_SPEC } from '../operator/model/spark-application-model';

/** The API version of the Spark operator's custom resources. */
export const SPARK_OPERATOR_API_VERSION = 'sparkoperator.k8s.io/v1beta2';

/**
 * The longest SparkApplication name: the operator names the UI Service
 * `<name>-ui-svc`, a DNS-1035 label of at most 63 characters (the driver pod
 * `<name>-driver` then fits too).
 */
export const SPARK_APPLICATION_NAME_MAX = 63 - '-ui-svc'.length;

/**
 * Properties of {@link SparkApplication}.
 */
export interface SparkApplicationProps extends SparkApplicationSpecProps {
  /**
   * Name of the application: a DNS-1035 label of at most 56 characters (the
   * operator appends `-ui-svc`).
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * Create the application suspended (not submitted until set to false).
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * A Spark job run by the Spark operator: a `sparkoperator.k8s.io/v1beta2`
 * SparkApplication.
 *
 * Defaults are safe: restricted security contexts with the image's uid, a
 * least-privilege driver ServiceAccount per namespace, explicit resources.
 * The rendered spec is checked against the operator's API model and its
 * admission rules when constructed and again at synth (after escape hatches).
 *
 * @example
 * new SparkApplication(chart, 'Pi', {
 *   namespace: 'spark-jobs',
 *   type: SparkApplicationType.SCALA,
 *   mainClass: 'org.apache.spark.examples.SparkPi',
 *   mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
 *   arguments: ['1000'],
 *   executor: { instances: 2, memory: SparkMemory.parse('2g') },
 * });
 */
export class SparkApplication extends SparkOperatorJobBase {
  constructor(scope: Construct, id: string, props: SparkApplicationProps) {
    super(scope, id, { name: props.name, maxNameLength: SPARK_APPLICATION_NAME_MAX, spec: props });
    const spec = renderSparkApplicationSpec(this, props, this.serviceAccount);
    if (props.suspend !== undefined) {
      spec.suspend = props.suspend;
    }
    this.adoptResource(createCheckedJobObject(this, {
      apiVersion: SPARK_OPERATOR_API_VERSION,
      kind: 'SparkApplication',
      metadata: { name: this.name, namespace: this.namespace },
      spec,
    }, SPARK_APPLICATION_SPEC));
    this.registerJob();
  }
}
