import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from '../../core/errors';

/** Where every Spark container of the standalone cluster reads `spark-defaults.conf`. */
export const SPARK_CONF_DIR = '/opt/spark/conf';
/** The key of the configuration file in the ConfigMaps. */
export const DEFAULTS_FILE = 'spark-defaults.conf';
/** The environment variable Spark reads the shared authentication secret from (SecurityManager.ENV_AUTH_SECRET). */
export const AUTH_SECRET_ENV = '_SPARK_AUTH_SECRET';
/** The pod annotation carrying a hash of the configuration, so that a changed conf rolls the pods. */
export const CONF_CHECKSUM_ANNOTATION = 'checksum/spark-conf';

/** Throws when two of the named ports are equal. */
export function distinctPorts(scope: IConstruct, property: string, ports: { [name: string]: number }): void {
  const seen = new Map<number, string>();
  for (const [name, port] of Object.entries(ports)) {
    const other = seen.get(port);
    check(other === undefined, scope, property, ports, `distinct ports: ${other} and ${name} both use ${port}`);
    seen.set(port, name);
  }
}

/** A short hash of configuration content, for {@link CONF_CHECKSUM_ANNOTATION}. */
export function checksum(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A TCP probe on a named container port. */
export function tcpProbe(port: string, periodSeconds: number, failureThreshold: number): k8s.Probe {
  return {
    tcpSocket: { port: k8s.IntOrString.fromString(port) },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  };
}

/** An HTTP GET probe on a named container port. */
export function httpProbe(port: string, path: string, periodSeconds: number, failureThreshold: number): k8s.Probe {
  return {
    httpGet: { path, port: k8s.IntOrString.fromString(port), scheme: 'HTTP' },
    periodSeconds,
    timeoutSeconds: 5,
    failureThreshold,
  };
}

/** A TCP container port. */
export function containerPort(name: string, port: number): k8s.ContainerPort {
  return { name, containerPort: port, protocol: 'TCP' };
}

/** A TCP Service port targeting the container port of the same name. */
export function servicePort(name: string, port: number, nodePortNumber?: number): k8s.ServicePort {
  return {
    name,
    port,
    targetPort: k8s.IntOrString.fromString(name),
    protocol: 'TCP',
    ...(nodePortNumber !== undefined ? { nodePort: nodePortNumber } : {}),
  };
}
