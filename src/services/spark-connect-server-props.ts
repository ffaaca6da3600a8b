import { EnvValue, k8s } from 'cdk8s-plus-28';
import { EventLogJobOptions, EventLogStore } from '../core/event-log-store';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';
import { SparkMemory } from '../core/spark-memory';
import { SparkDynamicAllocation } from '../jobs/spark-job-spec';
import { ISparkServiceAccount } from '../jobs/spark-service-account';

// The vocabulary of a Spark Connect server, apart from the construct so that
// its renderer and the construct both depend on it and not on each other.

/** What the server pod and the executor pods both take. */
export interface SparkConnectPodCommonProps {
  /**
   * Environment variables of the role's container.
   * @default - none
   */
  readonly env?: { [name: string]: EnvValue };
  /**
   * Labels of the role's pods.
   * @default - none besides Spark's and the operator's own
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the role's pods.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Node labels the role's pods must be scheduled on.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Taints the role's pods tolerate.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];
}

/** The server pod, which the operator creates: the Spark driver, in client mode. */
export interface SparkConnectServerPodProps extends SparkConnectPodCommonProps {
  /**
   * CPU cores of the driver (`spark.driver.cores`), requested by the pod.
   * @default 1
   */
  readonly cores?: number;
  /**
   * CPU limit of the pod, as a Kubernetes quantity.
   * @default - no CPU limit (limits throttle the JVM's GC and JIT threads)
   */
  readonly coreLimit?: string;
  /**
   * JVM heap of the driver (`spark.driver.memory`). It holds the sessions'
   * plans and the results sent back to clients.
   * @default 1 GiB
   */
  readonly memory?: SparkMemory;
  /**
   * Memory of the pod on top of the heap (the operator creates the pod
   * itself, so the library sizes it: heap + overhead, request and limit).
   * @default - Spark's rule: max(10% of the heap, 384 MiB)
   */
  readonly memoryOverhead?: SparkMemory;
  /**
   * PriorityClass of the pod.
   * @default - the cluster default
   */
  readonly priorityClassName?: string;
}

/** The executors, which the server creates through the Kubernetes API. */
export interface SparkConnectExecutorProps extends SparkConnectPodCommonProps {
  /**
   * Number of executors (`spark.executor.instances`). Not together with `dynamicAllocation`.
   * @default 1 (without dynamic allocation)
   */
  readonly instances?: number;
  /**
   * Task slots of an executor (`spark.executor.cores`).
   * @default 1
   */
  readonly cores?: number;
  /**
   * JVM heap of an executor (`spark.executor.memory`).
   * @default 1 GiB
   */
  readonly memory?: SparkMemory;
  /**
   * `spark.executor.memoryOverhead`.
   * @default - Spark's rule: max(10% of the heap, 384 MiB)
   */
  readonly memoryOverhead?: SparkMemory;
}

/** The type of the Service in front of the server. */
export enum SparkConnectServiceType {
  /** Reachable inside the cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** Also through a cloud load balancer (which then also exposes the driver's RPC and UI ports). */
  LOAD_BALANCER = 'LoadBalancer',
}

/**
 * The Service the operator creates in front of the server (`spec.server.service`).
 * Its ports are the operator's: 15002 (gRPC), 4040 (UI), 7078 and 7079 (driver).
 */
export interface SparkConnectServiceOptions {
  /**
   * The Service's name.
   * @default - `<name>-server` (the operator's)
   */
  readonly name?: string;
  /**
   * The Service's type.
   * @default SparkConnectServiceType.CLUSTER_IP
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly type?: SparkConnectServiceType;
  /**
   * Labels of the Service, besides the operator's.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the Service (e.g. for a load balancer).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** Properties of {@link SparkConnectServer}. */
export interface SparkConnectServerProps {
  /**
   * Name of the SparkConnect: a DNS-1035 label of at most 47 characters.
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * Namespace of the server and its executors.
   * @default - the chart's namespace, else 'default'
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace?: string;
  /**
   * The image of the server and the executors: Spark 4.0 or later, whose
   * distribution holds the Spark Connect server.
   * @default SparkImage.apache()
   */
  readonly image?: SparkImage;
  /**
   * The server pod.
   * @default - 1 core, 1 GiB heap, restricted security context
   */
  readonly server?: SparkConnectServerPodProps;
  /**
   * The executors.
   * @default - 1 executor of 1 core and 1 GiB heap, restricted security context
   */
  readonly executor?: SparkConnectExecutorProps;
  /**
   * Dynamic allocation of executors (shuffle tracking on).
   * @default - a fixed number of executors
   */
  readonly dynamicAllocation?: SparkDynamicAllocation;
  /**
   * Spark configuration. Keys the typed props or the operator set are refused.
   * @default - none
   */
  readonly sparkConf?: SparkConf;
  /**
   * Hadoop configuration, keys without the `spark.hadoop.` prefix.
   * @default - none
   */
  readonly hadoopConf?: { [key: string]: string };
  /**
   * Where the server writes the event logs of its sessions, for a SparkHistoryServer.
   * @default - no event log
   */
  readonly eventLog?: EventLogStore;
  /**
   * How the event log is written; only with `eventLog`.
   * @default - one event log file
   */
  readonly eventLogOptions?: EventLogJobOptions;
  /**
   * The server's ServiceAccount (it creates the executors); in the server's namespace.
   * @default SparkServiceAccount.forNamespace(this, namespace)
   */
  readonly serviceAccount?: ISparkServiceAccount;
  /**
   * The Service in front of the server.
   * @default - the operator's: ClusterIP `<name>-server`
   */
  readonly service?: SparkConnectServiceOptions;
}
