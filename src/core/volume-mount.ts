import { Volume } from 'cdk8s-plus-28';

/** A volume mounted into a container: a Spark driver or executor, or a workload's (WorkloadPodOptions). */
export interface SparkVolumeMount {
  /** The volume (it is added to the application's volumes). */
  readonly volume: Volume;
  /** Where it is mounted in the container. */
  readonly path: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * A path inside the volume to mount instead of its root.
   * @default - the root of the volume
   */
  readonly subPath?: string;
}
