import { Construct } from 'constructs';
import { ClientModeDriverPorts } from '../../../core/client-mode';
import { check } from '../../../core/errors';
import { SparkMemory } from '../../../core/spark-memory';
import { enumValue, unprivilegedPort, wholeSeconds } from '../../../core/validate';
import { DeployMode, SparkApplicationType } from '../../spark-job-spec';
import type { SparkPodProps } from '../../spark-job-spec';
import type { SparkSubmitJobSpecProps } from '../../spark-submit-job-spec';

// The checks of a spark-submit Job's props that do not shape any output.

// A URI with a scheme: `local:///opt/...`, `https://...`, `s3a://bucket/key`.
const URI = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\S+)$/;
const CLASS_NAME = /^[\p{L}_$][\p{L}\p{N}_$]*(\.[\p{L}_$][\p{L}\p{N}_$]*)*$/u;
const CPU_QUANTITY = /^(\d+(\.\d+)?|\.\d+)m?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** The deploy mode, checked with the props that depend on it. */
export function checkMode(scope: Construct, props: SparkSubmitJobSpecProps): DeployMode {
  const mode = props.mode ?? DeployMode.CLUSTER;
  check(mode === DeployMode.CLUSTER || mode === DeployMode.CLIENT, scope, 'mode', mode, 'DeployMode.CLUSTER or DeployMode.CLIENT');
  const client = mode === DeployMode.CLIENT;
  check(client || props.clientMode === undefined, scope, 'clientMode', props.clientMode, 'clientMode only together with mode: DeployMode.CLIENT');
  check(!client || props.submitterResources === undefined, scope, 'submitterResources', props.submitterResources,
    'no submitter resources in client mode: the submit pod is the driver, size it with the driver props');
  return mode;
}

/** The driver and executor props and what may not be combined with them. */
export function checkPods(scope: Construct, props: SparkSubmitJobSpecProps, client: boolean): void {
  const driver = props.driver ?? {};
  const executor = props.executor ?? {};
  const nonJvm = isNonJvm(props);
  checkPod(scope, 'driver', driver, props.memoryOverheadFactor, nonJvm);
  checkPod(scope, 'executor', executor, props.memoryOverheadFactor, nonJvm);
  for (const [role, pod] of [['driver', driver], ['executor', executor]] as const) {
    // As the operator does: Spark would merge the two maps, hiding which one a label came from.
    check(isEmpty(props.nodeSelector) || isEmpty(pod.nodeSelector), scope, `${role}.nodeSelector`, pod.nodeSelector,
      'a node selector on the application and on the driver or executor at once; set one of them');
  }
  check(props.proxyUser === undefined || (typeof props.proxyUser === 'string' && /^[^\s\0]+$/.test(props.proxyUser)), scope, 'proxyUser',
    props.proxyUser, 'a user name without blanks');
  check(props.eventLogOptions === undefined || props.eventLog !== undefined, scope, 'eventLogOptions', props.eventLogOptions,
    'options of an event log: set eventLog (an EventLogStore) too');
  check(!client || driver.template === undefined, scope, 'driver.template', '(a pod template)',
    'no driver template in client mode: the submit pod is the driver, shape it with the other driver props');
}

/** Python and R applications: Spark's default overhead factor is 0.4 for them. */
export function isNonJvm(props: SparkSubmitJobSpecProps): boolean {
  return props.type === SparkApplicationType.PYTHON || props.type === SparkApplicationType.R;
}

/** The Job-level settings, checked. */
export function jobSettings(scope: Construct, props: SparkSubmitJobSpecProps) {
  const backoffLimit = props.backoffLimit ?? 0;
  check(Number.isInteger(backoffLimit) && backoffLimit >= 0 && backoffLimit < 2 ** 31, scope, 'backoffLimit', backoffLimit,
    'a whole number of retries, at least 0 (each retry runs the application again)');
  return {
    backoffLimit,
    activeDeadlineSeconds: props.activeDeadline !== undefined ? wholeSeconds(scope, 'activeDeadline', props.activeDeadline) : undefined,
    ttlSecondsAfterFinished: props.ttlAfterFinished !== undefined ? wholeSeconds(scope, 'ttlAfterFinished', props.ttlAfterFinished, { min: 0 }) : undefined,
  };
}

export function checkApplication(scope: Construct, props: SparkSubmitJobSpecProps, client: boolean): void {
  enumValue(scope, 'type', props.type, SparkApplicationType);
  checkUri(scope, 'mainApplicationFile', props.mainApplicationFile, client);
  const path = props.mainApplicationFile.replace(/[?#].*$/, '');
  if (props.type === SparkApplicationType.PYTHON) {
    // spark-submit tells a Python application by the .py suffix of its file.
    check(path.endsWith('.py'), scope, 'mainApplicationFile', props.mainApplicationFile, 'a Python file ending in .py for a Python application');
  } else if (props.type === SparkApplicationType.R) {
    check(/\.[rR]$/.test(path), scope, 'mainApplicationFile', props.mainApplicationFile, 'an R file ending in .R for an R application');
  }
  const jvm = props.type === SparkApplicationType.SCALA || props.type === SparkApplicationType.JAVA;
  if (jvm) {
    check(props.mainClass !== undefined, scope, 'mainClass', props.mainClass,
      'the entry class of the jar, e.g. "org.apache.spark.examples.SparkPi": spark-submit cannot read the manifest of a jar it does not hold');
  } else {
    check(props.mainClass === undefined, scope, 'mainClass', props.mainClass, `no main class for a ${props.type} application`);
  }
  check(props.mainClass === undefined || CLASS_NAME.test(props.mainClass), scope, 'mainClass', props.mainClass,
    'a fully qualified class name such as "org.apache.spark.examples.SparkPi"');
  for (const arg of props.arguments ?? []) {
    check(typeof arg === 'string' && !arg.includes('\0'), scope, 'arguments', arg, 'strings without NUL characters');
  }
}

export function checkUri(scope: Construct, property: string, value: string, client: boolean): void {
  const m = typeof value === 'string' ? URI.exec(value) : null;
  const allowed = 'an absolute URI with a scheme: "local:///path/in/the/image" or a URL Spark downloads (https://, s3a://, hdfs://...)';
  check(m !== null, scope, property, value, allowed);
  const scheme = m![1].toLowerCase();
  if (scheme === 'local') {
    check(m![2].startsWith('/') && m![2].length > 1, scope, property, value, `${allowed}; local:// takes an absolute path (local:///opt/...)`);
  }
  if (scheme === 'file' && !client) {
    check(false, scope, property, value,
      `${allowed}; file:// names the submit pod's own filesystem, which the driver pod cannot see (use local:// for files in the image)`);
  }
}

/** An environment variable name of the driver or the executors. */
export function checkEnvName(scope: Construct, property: string, name: string): void {
  check(ENV_NAME.test(name), scope, property, name,
    'an environment variable name of letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
}

function checkPod(scope: Construct, role: 'driver' | 'executor', p: SparkPodProps, factor: number | undefined, nonJvm: boolean): void {
  const cores = p.cores ?? 1;
  check(Number.isInteger(cores) && cores >= 1, scope, `${role}.cores`, cores, 'a whole number of cores, at least 1');
  for (const [property, value] of [['coreRequest', p.coreRequest], ['coreLimit', p.coreLimit]] as const) {
    check(value === undefined || CPU_QUANTITY.test(value), scope, `${role}.${property}`, value,
      'a Kubernetes CPU quantity such as "500m", "0.5" or "2"');
  }
  check(p.memoryLimit === undefined, scope, `${role}.memoryLimit`, p.memoryLimit?.toQuantity(),
    'no memory limit: spark-submit sets the limit of the driver and executor pods to their request (memory + overhead)');
  const memory = p.memory ?? SparkMemory.mebibytes(512);
  if (p.memoryOverhead !== undefined) {
    check(!p.memoryOverhead.isGreaterThan(memory), scope, `${role}.memoryOverhead`, p.memoryOverhead.toSparkString(),
      `an overhead no larger than the heap (${role}.memory = ${memory.toSparkString()}); raise the heap or lower the overhead`);
  }
  check(factor === undefined || (factor > 0 && factor < 1), scope, 'memoryOverheadFactor', factor,
    `a fraction greater than 0 and less than 1 (Spark uses 0.1${nonJvm ? ', 0.4 for Python and R' : ''})`);
  for (const envName of Object.keys(p.env ?? {})) {
    checkEnvName(scope, `${role}.env`, envName);
  }
  for (const m of p.volumeMounts ?? []) {
    check(typeof m.path === 'string' && m.path.startsWith('/'), scope, `${role}.volumeMounts`, m.path, 'an absolute mount path');
  }
}

/** Client-mode ports with their defaults, checked: unprivileged and distinct. */
export function clientPorts(scope: Construct, props: SparkSubmitJobSpecProps): ClientModeDriverPorts {
  const o = props.clientMode ?? {};
  const given: Array<[string, number]> = [
    ['clientMode.driverPort', o.driverPort ?? 7078],
    ['clientMode.blockManagerPort', o.blockManagerPort ?? 7079],
  ];
  const ui = o.ui ?? true;
  check(ui || o.uiPort === undefined, scope, 'clientMode.uiPort', o.uiPort, 'no UI port when the UI is off (clientMode.ui: false)');
  if (ui) {
    given.push(['clientMode.uiPort', o.uiPort ?? 4040]);
  }
  for (const [property, port] of given) {
    unprivilegedPort(scope, property, port);
  }
  for (let i = 0; i < given.length; i++) {
    for (let j = 0; j < i; j++) {
      check(given[i][1] !== given[j][1], scope, given[i][0], given[i][1], `a port other than ${given[j][0]} (${given[j][1]})`);
    }
  }
  return { driver: given[0][1], blockManager: given[1][1], ui: ui ? given[2][1] : undefined };
}

function isEmpty(map: { [key: string]: string } | undefined): boolean {
  return map === undefined || Object.keys(map).length === 0;
}
