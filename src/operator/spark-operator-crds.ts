import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { attachClusterModel } from '../core/cluster-model';
import { StandardLabels } from '../core/labels';
import { resourceSchema } from './model/schema';
import {
  SCHEDULED_SPARK_APPLICATION_SPEC, SPARK_APPLICATION_SPEC, STATUS,
} from './model/spark-application-model';

const GROUP = 'sparkoperator.k8s.io';
const VERSION = 'v1beta2';
const API_APPROVED = 'api-approved.kubernetes.io';
const API_APPROVAL = 'https://github.com/kubeflow/spark-operator/pull/1298';

/**
 * Properties of {@link SparkOperatorCrds}.
 */
export interface SparkOperatorCrdsProps {
  /**
   * Extra labels of the CustomResourceDefinitions.
   * @default - the standard labels only
   */
  readonly labels?: { [key: string]: string };
}

/**
 * The Spark operator's CustomResourceDefinitions, SparkApplication and
 * ScheduledSparkApplication (`sparkoperator.k8s.io/v1beta2`), with schemas
 * generated from the library's own model of the operator's API, and the
 * SparkConnect CRD (`v1alpha1`) the operator also watches.
 *
 * Kubernetes core types inside the specs (affinity, volumes, security
 * contexts, pod templates...) are kept as given instead of being spelled out,
 * so nothing the operator reads is pruned and each CRD stays around 25 kB
 * of JSON (25006 and 25756 bytes when measured):
 * far below the 262144-byte annotation limit of client-side `kubectl apply`,
 * so either apply mode works (upstream's CRDs, ~430 kB of JSON each, need
 * server-side apply).
 */
export class SparkOperatorCrds extends Construct {
  /** The SparkApplication CRD. */
  public readonly sparkApplication: ApiObject;
  /** The ScheduledSparkApplication CRD. */
  public readonly scheduledSparkApplication: ApiObject;
  /**
   * The SparkConnect CRD (`v1alpha1`). The 2.5 controller watches this kind
   * unconditionally and fails to start without it. Its spec and status are
   * kept as given here; SparkConnectServer checks the spec it renders.
   */
  public readonly sparkConnect: ApiObject;

  constructor(scope: Construct, id: string, props: SparkOperatorCrdsProps = {}) {
    super(scope, id);
    attachClusterModel(this);
    const labels = {
      ...StandardLabels.of(this, { name: 'spark-operator', component: 'crd' }).all(),
      ...props.labels,
    };

    this.sparkApplication = crd(this, 'SparkApplication', labels, {
      kind: 'SparkApplication',
      plural: 'sparkapplications',
      shortName: 'sparkapp',
      version: VERSION,
      schema: resourceSchema('A Spark application run by the Spark operator.', SPARK_APPLICATION_SPEC, STATUS),
      columns: [
        { jsonPath: '.spec.suspend', name: 'Suspend', type: 'boolean' },
        { jsonPath: '.status.applicationState.state', name: 'Status', type: 'string' },
        { jsonPath: '.status.executionAttempts', name: 'Attempts', type: 'string' },
        { jsonPath: '.status.lastSubmissionAttemptTime', name: 'Start', type: 'string' },
        { jsonPath: '.status.terminationTime', name: 'Finish', type: 'string' },
        { jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' },
      ],
    });
    this.scheduledSparkApplication = crd(this, 'ScheduledSparkApplication', labels, {
      kind: 'ScheduledSparkApplication',
      plural: 'scheduledsparkapplications',
      shortName: 'scheduledsparkapp',
      version: VERSION,
      schema: resourceSchema('A Spark application the Spark operator runs on a cron schedule.', SCHEDULED_SPARK_APPLICATION_SPEC, STATUS),
      columns: [
        { jsonPath: '.spec.schedule', name: 'Schedule', type: 'string' },
        { jsonPath: '.spec.timeZone', name: 'TimeZone', type: 'string' },
        { jsonPath: '.spec.suspend', name: 'Suspend', type: 'string' },
        { jsonPath: '.status.lastRun', name: 'Last Run', type: 'date' },
        { jsonPath: '.status.lastRunName', name: 'Last Run Name', type: 'string' },
        { jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' },
      ],
    });
    const opaque = { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
    this.sparkConnect = crd(this, 'SparkConnect', labels, {
      kind: 'SparkConnect',
      plural: 'sparkconnects',
      shortName: 'sparkconn',
      version: 'v1alpha1',
      schema: {
        type: 'object',
        description: 'A Spark Connect server run by the Spark operator (not modeled by this library: kept as given).',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { type: 'object' },
          spec: opaque,
          status: opaque,
        },
      },
      columns: [
        { jsonPath: '.metadata.creationTimestamp', name: 'Age', type: 'date' },
        { jsonPath: '.status.state', name: 'Status', type: 'string' },
        { jsonPath: '.status.server.podName', name: 'PodName', type: 'string' },
      ],
    });
  }
}

interface CrdOptions {
  readonly kind: string;
  readonly plural: string;
  readonly shortName: string;
  readonly version: string;
  readonly schema: { [key: string]: unknown };
  readonly columns: Array<{ jsonPath: string; name: string; type: string }>;
}

function crd(scope: Construct, id: string, labels: { [key: string]: string }, options: CrdOptions): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${options.plural}.${GROUP}`,
      labels,
      // The API server refuses CRDs in a *.k8s.io group without this annotation
      // (apiextensions-apiserver pkg/apihelpers/helpers.go); upstream's CRDs
      // (kubeflow/spark-operator config/crd/bases) carry this very value.
      annotations: { [API_APPROVED]: API_APPROVAL },
    },
    spec: {
      group: GROUP,
      names: {
        kind: options.kind,
        listKind: `${options.kind}List`,
        plural: options.plural,
        singular: options.kind.toLowerCase(),
        shortNames: [options.shortName],
      },
      scope: 'Namespaced',
      versions: [{
        name: options.version,
        served: true,
        storage: true,
        additionalPrinterColumns: options.columns,
        subresources: { status: {} },
        schema: { openAPIV3Schema: options.schema },
      }],
    },
  });
}
