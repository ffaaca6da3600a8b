import { k8s } from 'cdk8s-plus-28';

/** The object names of a standalone cluster, all derived from its name. */
export interface ClusterNames {
  readonly master: string;
  readonly masterHeadless: string;
  readonly worker: string;
  readonly workerHeadless: string;
  readonly masterConf: string;
  readonly workerConf: string;
  readonly clientConf: string;
}

/** The names of a cluster called `name`. */
export function clusterNames(name: string): ClusterNames {
  return {
    master: `${name}-master`,
    masterHeadless: `${name}-master-headless`,
    worker: `${name}-worker`,
    workerHeadless: `${name}-worker-headless`,
    masterConf: `${name}-master-conf`,
    workerConf: `${name}-worker-conf`,
    clientConf: `${name}-client-conf`,
  };
}

/** The checked ports of the master and the workers. */
export interface ClusterPorts {
  readonly master: number;
  readonly masterUi: number;
  readonly restEnabled: boolean;
  readonly rest: number;
  readonly worker: number;
  readonly workerUi: number;
  readonly serviceType: string;
  readonly nodePorts: { readonly [name: string]: number };
}

/** The checked scaling of the workers. */
export interface WorkerScaling {
  readonly replicas: number;
  readonly minReplicas: number;
  readonly maxUnavailable: number;
}

/** The sized worker container. */
export interface WorkerSizing {
  readonly cores: number;
  readonly memory: import('../../core/spark-memory').SparkMemory;
  readonly resources: k8s.ResourceRequirements;
}
