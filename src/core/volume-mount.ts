/**
 * A pod volume. A cdk8s-plus `Volume` of any 2.x line (cdk8s-plus-28 up to
 * cdk8s-plus-33) is one: make it with that line's factories, e.g.
 * `Volume.fromPersistentVolumeClaim(scope, 'Data', claim)`.
 */
export interface IPodVolume {
  /** The volume's name in the pod. */
  readonly name: string;
}

/** A volume mounted into a container: a Spark driver or executor, or a workload's (WorkloadPodOptions). */
export interface SparkVolumeMount {
  /** The volume (it is added to the application's volumes). */
  readonly volume: IPodVolume;
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
