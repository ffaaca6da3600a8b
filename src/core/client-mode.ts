import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SparkConf } from './spark-conf';

/** The Kubernetes API server as seen from inside the cluster, as a Spark master URL. */
export const IN_CLUSTER_MASTER = 'k8s://https://kubernetes.default.svc:443';

/** The environment variable carrying the driver pod's own name (downward API). */
export const DRIVER_POD_NAME_ENV = 'SPARK_DRIVER_POD_NAME';

/** Where a client-mode driver listens. */
export interface ClientModeDriverPorts {
  /** `spark.driver.port`: executors connect to the driver here. */
  readonly driver: number;
  /** `spark.blockManager.port` (the driver's block manager). */
  readonly blockManager: number;
  /** The Spark UI (`spark.ui.port`); none when the UI is off. */
  readonly ui?: number;
}

export interface ClientModeDriverOptions {
  /** Name of the headless Service that gives the driver pod a stable DNS name. */
  readonly serviceName: string;
  readonly namespace: string;
  /** Labels selecting the driver pod (and only it). */
  readonly selector: { [key: string]: string };
  /** Labels of the Service. */
  readonly labels: { [key: string]: string };
  readonly ports: ClientModeDriverPorts;
}

/**
 * The headless Service executors reach a client-mode driver through. It
 * publishes the pod before it is ready: executors register while the driver
 * is still starting, and readiness may depend on them.
 */
export function clientModeDriverService(scope: Construct, id: string, options: ClientModeDriverOptions): k8s.KubeService {
  const ports: k8s.ServicePort[] = [
    { name: 'driver-rpc', port: options.ports.driver, targetPort: k8s.IntOrString.fromNumber(options.ports.driver), protocol: 'TCP' },
    { name: 'blockmanager', port: options.ports.blockManager, targetPort: k8s.IntOrString.fromNumber(options.ports.blockManager), protocol: 'TCP' },
  ];
  if (options.ports.ui !== undefined) {
    ports.push({ name: 'spark-ui', port: options.ports.ui, targetPort: k8s.IntOrString.fromNumber(options.ports.ui), protocol: 'TCP' });
  }
  return new k8s.KubeService(scope, id, {
    metadata: { name: options.serviceName, namespace: options.namespace, labels: options.labels },
    spec: {
      clusterIp: 'None',
      publishNotReadyAddresses: true,
      selector: options.selector,
      ports,
    },
  });
}

/**
 * The configuration of a driver running `spark-submit --deploy-mode client`
 * in a pod: reachable through its headless Service on fixed ports, bound to
 * all of the pod's addresses, and owning its executors (through
 * `spark.kubernetes.driver.pod.name`, see {@link clientModeDriverPodNameArgs})
 * so that they are deleted with it.
 */
export function clientModeDriverConf(options: ClientModeDriverOptions, source: string): SparkConf {
  const conf = new SparkConf()
    .set('spark.master', IN_CLUSTER_MASTER, source)
    .set('spark.submit.deployMode', 'client', source)
    .set('spark.kubernetes.namespace', options.namespace, source)
    .set('spark.driver.host', `${options.serviceName}.${options.namespace}.svc`, source)
    .set('spark.driver.bindAddress', '0.0.0.0', source)
    .setInteger('spark.driver.port', options.ports.driver, source)
    .setInteger('spark.blockManager.port', options.ports.blockManager, source);
  if (options.ports.ui !== undefined) {
    conf.setInteger('spark.ui.port', options.ports.ui, source);
  } else {
    conf.setBoolean('spark.ui.enabled', false, source);
  }
  return conf;
}

/**
 * `--conf spark.kubernetes.driver.pod.name=$(SPARK_DRIVER_POD_NAME)`: the
 * kubelet expands `$(VAR)` in container arguments (not in files), so this must
 * be an argument of a container that has {@link driverPodNameEnv}.
 */
export function clientModeDriverPodNameArgs(): string[] {
  return ['--conf', `spark.kubernetes.driver.pod.name=$(${DRIVER_POD_NAME_ENV})`];
}

/** The environment variable holding the pod's name. */
export function driverPodNameEnv(): k8s.EnvVar {
  return { name: DRIVER_POD_NAME_ENV, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } };
}
