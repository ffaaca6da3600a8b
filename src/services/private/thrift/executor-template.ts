import { k8s } from 'cdk8s-plus-28';
import { ResolvedPodRuntime, runtimeSpecFields, withRuntimeSecurity } from '../../../core/pod-runtime';
import { SecurityDefaults } from '../../../core/security';

/** Spark's name for the executor container, used to pick it out of the template. */
export const EXECUTOR_CONTAINER_NAME = 'spark-kubernetes-executor';

/** Where the executors' writable emptyDirs go (the root filesystem is read-only). */
const WRITABLE_PATHS: Array<[string, string]> = [['tmp', '/tmp'], ['work-dir', '/opt/spark/work-dir']];

export interface ExecutorTemplateOptions {
  readonly labels: { [key: string]: string };
  readonly uid: number;
  readonly env?: k8s.EnvVar[];
  readonly nodeSelector?: { [key: string]: string };
  readonly tolerations?: k8s.Toleration[];
  /** Pull secrets beyond the image's (Spark adds those from spark.kubernetes.container.image.pullSecrets). */
  readonly imagePullSecrets?: string[];
  /**
   * The server pod's runtime options the executors share (hosts entries,
   * groups, sysctls, SELinux, user namespace); its grace period and
   * scheduler stay the server's.
   */
  readonly runtime?: ResolvedPodRuntime;
}

/**
 * The executor pod template (`spark.kubernetes.executor.podTemplateFile`):
 * Spark fills in image, command, resources and ports, and keeps what is set
 * here — the restricted security contexts, no API token (executors never
 * call the API server), writable emptyDirs for the read-only root
 * filesystem, placement and the user's environment variables.
 */
export function executorPodTemplate(options: ExecutorTemplateOptions): { [key: string]: any } {
  const spec: k8s.PodSpec = {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: withRuntimeSecurity('SparkThriftServer', SecurityDefaults.restrictedPod({ runAsUser: options.uid }), options.runtime),
    ...runtimeSpecFields(options.runtime && { ...options.runtime, terminationGracePeriodSeconds: undefined, schedulerName: undefined }),
    ...(options.nodeSelector && Object.keys(options.nodeSelector).length > 0 ? { nodeSelector: { ...options.nodeSelector } } : {}),
    ...(options.tolerations?.length ? { tolerations: options.tolerations } : {}),
    ...(options.imagePullSecrets?.length ? { imagePullSecrets: options.imagePullSecrets.map((name) => ({ name })) } : {}),
    containers: [{
      name: EXECUTOR_CONTAINER_NAME,
      ...(options.env?.length ? { env: options.env } : {}),
      securityContext: SecurityDefaults.restrictedContainer({ runAsUser: options.uid, readOnlyRootFilesystem: true }),
      volumeMounts: WRITABLE_PATHS.map(([name, mountPath]) => ({ name, mountPath })),
    }],
    volumes: WRITABLE_PATHS.map(([name]) => ({ name, emptyDir: {} })),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels: { ...options.labels } },
    spec: k8s.toJson_PodSpec(spec),
  };
}
