import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { StandardLabels } from '../core/labels';
import { SparkConf } from '../core/spark-conf';
import { SparkImage } from '../core/spark-image';
import { SparkMemory } from '../core/spark-memory';

/**
 * A Spark standalone cluster, as its drivers see it: where the master is,
 * what a worker offers, and the configuration, environment and volumes a
 * driver needs to join it. {@link SparkStandaloneCluster} is one.
 */
export interface ISparkStandaloneCluster extends IConstruct {
  /**
   * Namespace of the cluster; drivers submitted to it run there.
   * @jsii suppress reserved-word see docs/jsii-languages.md
   */
  readonly namespace: string;
  /** The Spark image of the cluster (drivers must run the same Spark). */
  readonly image: SparkImage;
  /** The master URL drivers connect to, e.g. `spark://spark-master.default.svc.cluster.local:7077`. */
  readonly masterUrl: string;
  /** Cores each worker offers. */
  readonly workerCores: number;
  /** Memory each worker offers to executors. */
  readonly workerMemory: SparkMemory;
  /** The configuration drivers of this cluster use: the master URL and the security settings. */
  readonly clientConf: SparkConf;
  /** Environment variables a driver container needs (its address, the shared secret when authenticated). */
  clientEnv(): k8s.EnvVar[];
  /** Volumes a driver pod needs (the drivers' `spark-defaults.conf`). */
  clientVolumes(): k8s.Volume[];
  /** Mounts of {@link clientVolumes} in a driver container. */
  clientVolumeMounts(): k8s.VolumeMount[];
  /** The labels of another component of this cluster, e.g. a job submitted to it. */
  componentLabels(scope: IConstruct, component: string): StandardLabels;
}
