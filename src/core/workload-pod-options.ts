import { EnvValue, IConfigMap, ISecret, k8s } from 'cdk8s-plus-28';
import type { ExtraContainer } from './extra-container';
import { PodRuntimeOptions } from './pod-runtime-options';
import { SparkVolumeMount } from './volume-mount';

/**
 * Where and how the pods of a workload run, beyond what the construct
 * decides: one shape for every workload the library runs (the operator's
 * controller and webhook, the history and Thrift servers, the registry, the
 * standalone master and workers, Zeppelin, the storage provisioner). The
 * restricted security contexts stay as they are: the runtime options
 * ({@link PodRuntimeOptions}) add only what the restricted standard allows.
 */
export interface WorkloadPodOptions extends PodRuntimeOptions {
  /**
   * Node labels the pods must be scheduled on.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };

  /**
   * Taints the pods tolerate, e.g. `{ key: 'dedicated', operator: 'Equal',
   * value: 'spark', effect: 'NoSchedule' }`: on a cluster whose nodes are all
   * tainted, nothing runs without them.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];

  /**
   * Node and pod affinity.
   * @default - none
   */
  readonly affinity?: k8s.Affinity;

  /**
   * How the pods spread over zones or nodes, added to the construct's own
   * (several replicas already spread over nodes, softly).
   * @default - the construct's own, if any
   */
  readonly topologySpreadConstraints?: k8s.TopologySpreadConstraint[];

  /**
   * The pods' PriorityClass.
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;

  /**
   * Labels added to the pods (not to their selector). The construct's own
   * labels cannot be replaced.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations added to the pods. The construct's own (e.g. checksums that
   * roll the pods) cannot be replaced.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Secrets of type `kubernetes.io/dockerconfigjson` for pulling the images
   * from a private registry or mirror, added to the construct's own.
   * @default - none
   */
  readonly imagePullSecrets?: ISecret[];

  /**
   * Environment variables added to the workload's containers (init
   * containers included: they run the same tools against the same stores). A variable
   * the construct sets cannot be replaced, and one holding a credential
   * must come from a Secret (`EnvValue.fromSecretValue`).
   * @default - none
   */
  readonly env?: { [name: string]: EnvValue };

  /**
   * Secrets whose keys become environment variables of the containers (init containers included).
   * @default - none
   */
  readonly envFromSecrets?: ISecret[];

  /**
   * ConfigMaps whose keys become environment variables of the containers (init containers included).
   * @default - none
   */
  readonly envFromConfigMaps?: IConfigMap[];

  /**
   * Volumes mounted into the workload's containers, init containers included (e.g. shared storage at
   * `/spark_data` on standalone workers). A path the construct mounts
   * something at cannot be taken.
   * @default - none
   */
  readonly volumeMounts?: SparkVolumeMount[];

  /**
   * Containers of the user's that run, in order, after the workload's own
   * init containers and before its containers start (e.g. waiting for a
   * dependency, fetching files into a shared volume). Each gets the
   * restricted container security context.
   * @default - none
   */
  readonly initContainers?: ExtraContainer[];

  /**
   * Containers of the user's that run next to the workload's (e.g. a log
   * shipper or a proxy), added after them to the pod's `containers`. Each
   * gets the restricted container security context. They are plain
   * containers, not Kubernetes native sidecars (init containers with
   * `restartPolicy: Always`, beta and on by default only from Kubernetes
   * 1.29), so they work on every Kubernetes version the library supports;
   * for the same reason they are refused on a pod that runs to completion (a
   * Job's, e.g. `submitterPod`), which a container that keeps running would
   * never let finish.
   * @default - none
   */
  readonly sidecars?: ExtraContainer[];
}
