import { Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { connectConf, DEFAULT_MEMORY, EXECUTOR_CONTAINER_NAME, executorPodSpec, NativeServerParts, podTemplate, RenderContext } from './render';
import { ClientModeDriverOptions, clientModeDriverConf, clientModeDriverPodNameArgs, driverPodNameEnv, IN_CLUSTER_MASTER } from '../../../core/client-mode';
import { SparkConf } from '../../../core/spark-conf';
import { SparkConnectServerProps } from '../../spark-connect-server-props';

// A Spark Connect server without the operator: what the operator's
// controller does (kubeflow/spark-operator v2.5.2 internal/controller/sparkconnect:
// start-connect-server.sh with SPARK_NO_DAEMONIZE, the driver's ports, the
// executor pod template file), done by the library in a Deployment.

/** Where the executor pod template is mounted in the server pod. */
export const EXECUTOR_TEMPLATE_DIR = '/opt/spark/executor-template';
export const EXECUTOR_TEMPLATE_FILE = 'executor-pod-template.yaml';
const START_SCRIPT = '/opt/spark/sbin/start-connect-server.sh';
const WRITABLE: ReadonlyArray<[string, string]> = [['tmp', '/tmp'], ['work-dir', '/opt/spark/work-dir']];

/** The kubelet expands `$(VAR)` in arguments: a literal `$` is written `$$`. */
function literalArg(arg: string): string {
  return arg.replace(/\$/g, '$$$$');
}

/** The server's whole Spark configuration, as start-connect-server.sh passes it to spark-submit. */
export function nativeConnectConf(scope: Construct, props: SparkConnectServerProps, ctx: RenderContext,
  driver: ClientModeDriverOptions): SparkConf {
  const source = `${scope.node.path} props`;
  const server = props.server ?? {};
  const executor = props.executor ?? {};
  const typed = clientModeDriverConf(driver, source)
    .set('spark.kubernetes.container.image', ctx.image.imageFor(scope), source)
    .set('spark.kubernetes.executor.podNamePrefix', ctx.name, source)
    .set('spark.kubernetes.executor.podTemplateFile', `${EXECUTOR_TEMPLATE_DIR}/${EXECUTOR_TEMPLATE_FILE}`, source)
    .set('spark.kubernetes.executor.podTemplateContainerName', EXECUTOR_CONTAINER_NAME, source)
    .setInteger('spark.driver.cores', server.cores ?? 1, source)
    .setMemory('spark.driver.memory', server.memory ?? DEFAULT_MEMORY, source)
    .setInteger('spark.executor.cores', executor.cores ?? 1, source)
    .setMemory('spark.executor.memory', executor.memory ?? DEFAULT_MEMORY, source);
  const da = props.dynamicAllocation;
  if (da) {
    typed.setBoolean('spark.dynamicAllocation.enabled', true, source)
      .setBoolean('spark.dynamicAllocation.shuffleTracking.enabled', true, source)
      .setInteger('spark.dynamicAllocation.maxExecutors', da.maxExecutors, source);
    if (da.minExecutors !== undefined) typed.setInteger('spark.dynamicAllocation.minExecutors', da.minExecutors, source);
    if (da.initialExecutors !== undefined) typed.setInteger('spark.dynamicAllocation.initialExecutors', da.initialExecutors, source);
    if (da.shuffleTrackingTimeout) typed.setDuration('spark.dynamicAllocation.shuffleTracking.timeout', da.shuffleTrackingTimeout, source);
  } else {
    typed.setInteger('spark.executor.instances', executor.instances ?? 1, source);
  }
  for (const [key, value] of Object.entries(props.hadoopConf ?? {})) {
    typed.set(`spark.hadoop.${key}`, value, source);
  }
  return connectConf(scope, props, false).merge(typed, scope);
}

/** The server container's command, arguments, environment and volumes. */
export function nativeServerParts(conf: SparkConf, templateConfigMap: string): NativeServerParts {
  const confArgs = conf.keys.filter((key) => key !== 'spark.master').flatMap((key) => ['--conf', literalArg(`${key}=${conf.get(key)}`)]);
  return {
    containerName: 'spark-connect',
    command: [START_SCRIPT],
    args: ['--master', IN_CLUSTER_MASTER, ...confArgs, ...clientModeDriverPodNameArgs()],
    env: [
      driverPodNameEnv(),
      // spark-daemon.sh runs the server in the foreground (the operator sets the same).
      { name: 'SPARK_NO_DAEMONIZE', value: 'true' },
      // Its log and pid files go to the writable emptyDir (the root filesystem is read-only).
      { name: 'SPARK_LOG_DIR', value: '/tmp/spark-logs' },
      { name: 'SPARK_PID_DIR', value: '/tmp' },
    ],
    volumeMounts: [
      ...WRITABLE.map(([name, mountPath]) => ({ name, mountPath })),
      { name: 'executor-template', mountPath: EXECUTOR_TEMPLATE_DIR, readOnly: true },
    ],
    volumes: [
      ...WRITABLE.map(([name]) => ({ name, emptyDir: {} })),
      { name: 'executor-template', configMap: { name: templateConfigMap } },
    ],
  };
}

/** The executor pod template file (a Pod, as Spark loads it). */
export function executorTemplateFile(scope: Construct, props: SparkConnectServerProps, ctx: RenderContext): string {
  const executor = props.executor ?? {};
  const template = podTemplate(scope, 'executor', executor, executorPodSpec(scope, executor, ctx.image));
  return Yaml.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: template.metadata ?? {}, spec: template.spec });
}

/** The labels of the server pod: the Deployment's selector, the user's, and Spark's role label for NetworkPolicies. */
export function serverPodLabels(selector: { [key: string]: string }, given: { [key: string]: string } | undefined): { [key: string]: string } {
  return { ...(given ?? {}), ...selector, 'spark-role': 'connect-server' };
}
