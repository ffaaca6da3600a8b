import { ContainerResources, EnvValue, IConfigMap, ISecret, Protocol } from 'cdk8s-plus-28';
import type { SparkVolumeMount } from './volume-mount';

/** A port an {@link ExtraContainer} listens on. */
export interface ExtraContainerPort {
  /**
   * The port's name (what Services and probes refer to it by): at most 15
   * lowercase letters, digits and '-', with at least one letter, no '-' at
   * either end and no '--'. Not a name another container of the pod uses.
   */
  readonly name: string;
  /**
   * The port number, 1024-65535: the container runs as non-root with every
   * capability dropped, so it cannot bind a lower one. Not a number another
   * container of the pod listens on with the same protocol (the containers
   * of a pod share one network).
   */
  readonly number: number;
  /**
   * The protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/**
 * A container of the user's added to a workload's pod, as a sidecar or an
 * init container ({@link WorkloadPodOptions.sidecars},
 * {@link WorkloadPodOptions.initContainers}).
 *
 * It always gets the library's restricted container security context (the
 * pod's non-root user, no privilege escalation, every capability dropped,
 * seccomp RuntimeDefault), which cannot be changed, so a namespace enforcing
 * the restricted Pod Security Standard admits the pod. It takes only what is
 * given here: the pod-wide `env`, `envFrom*` and `volumeMounts` of
 * WorkloadPodOptions stay with the workload's own containers. Where the
 * workload's pod mounts its ServiceAccount token (the operator, the Thrift
 * server, the submit pod, the storage provisioner), Kubernetes mounts it
 * into every container of the pod: an extra container there can act with the
 * workload's RBAC permissions.
 */
export interface ExtraContainer {
  /**
   * The container's name: a DNS-1123 label, not used by the workload's own
   * containers or by another extra container of the pod.
   */
  readonly name: string;
  /**
   * The image: pinned, with a version tag other than `latest` or a digest. An
   * ImageRegistryOverride in force rewrites it like every image the library
   * emits.
   */
  readonly image: string;
  /**
   * The command.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * The arguments.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * Environment variables. One holding a credential must come from a Secret
   * (`EnvValue.fromSecretValue`).
   * @default - none
   */
  readonly env?: { [name: string]: EnvValue };
  /**
   * Secrets whose keys become environment variables.
   * @default - none
   */
  readonly envFromSecrets?: ISecret[];
  /**
   * ConfigMaps whose keys become environment variables.
   * @default - none
   */
  readonly envFromConfigMaps?: IConfigMap[];
  /**
   * The ports it listens on. The Services and NetworkPolicies the library
   * writes for the workload do not include them.
   * @default - none
   */
  readonly ports?: ExtraContainerPort[];
  /**
   * Requests and limits; each one not given takes its default, so the
   * container always has both (what a namespace's ResourceQuota requires).
   * @default - requests 50m CPU and 64 MiB, limits 500m CPU and 128 MiB
   */
  readonly resources?: ContainerResources;
  /**
   * Volumes mounted into the container; they are added to the pod. The same
   * volume (same name, same source) may also be mounted by the pod-wide
   * `volumeMounts` or another extra container, to share files with them.
   * @default - none
   */
  readonly volumeMounts?: SparkVolumeMount[];
  /**
   * Mount the root filesystem read-only (give writable paths as volumes, e.g.
   * `Volume.fromEmptyDir`). Turning it off does not weaken the restricted Pod
   * Security Standard, which does not require it.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
}
