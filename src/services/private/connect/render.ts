import { EnvValue, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkSparkConnectRules } from './rules';
import { refuseCredentialConf, refuseCredentialEnv } from '../../../core/credentials';
import { check, invalidInput } from '../../../core/errors';
import { EventLogStore } from '../../../core/event-log-store';
import { requireJobImageFacts } from '../../../core/image-facts';
import { withIvyCache } from '../../../core/ivy-cache';
import { JOB_PROP_CONF_KEYS, refuseManagedConfKey } from '../../../core/job-conf-keys';
import { guardLateChange } from '../../../core/late-change';
import { SecurityDefaults } from '../../../core/security';
import { SparkConf } from '../../../core/spark-conf';
import { SparkImage } from '../../../core/spark-image';
import { SparkMemory } from '../../../core/spark-memory';
import { annotations, enumValue, labels, typed } from '../../../core/validate';
import { ISparkServiceAccount } from '../../../jobs/spark-service-account';
import { SparkConnectExecutorProps, SparkConnectServerPodProps, SparkConnectServerProps, SparkConnectServiceType } from '../../spark-connect-server-props';

type Json = { [key: string]: any };

/** The container names the operator and Spark look for (kubeflow/spark-operator v2.5.2 pkg/common/spark.go). */
export const SERVER_CONTAINER_NAME = 'spark-kubernetes-driver';
export const EXECUTOR_CONTAINER_NAME = 'spark-kubernetes-executor';

// Ports of the server pod as the operator's Service names them
// (internal/controller/sparkconnect/reconciler.go mutateServerService).
const SERVER_PORTS: ReadonlyArray<[string, number]> = [
  ['spark-connect', 15002], ['driver-rpc', 7078], ['blockmanager', 7079], ['web-ui', 4040],
];

export const DEFAULT_MEMORY = SparkMemory.gibibytes(1);

/** Where the executors' writable emptyDirs go (their root filesystem is read-only). */
const EXECUTOR_WRITABLE: ReadonlyArray<[string, string]> = [['tmp', '/tmp'], ['work-dir', '/opt/spark/work-dir']];

/** Pod labels Spark sets on its pods (apache/spark Constants.scala) and the operator on the server pod (sparkconnect/util.go). */
const OWNED_LABELS = ['spark-role', 'spark-app-selector', 'spark-app-name', 'spark-exec-id', 'spark-exec-resourceprofile-id', 'spark-version'];

const OPERATOR = 'nothing: the operator sets it when it starts the server (internal/controller/sparkconnect/options.go)';

/** Keys the typed props or the operator set, refused in `sparkConf`, with what sets them. */
export function connectManagedConf(): { readonly [key: string]: string } {
  return {
    ...JOB_PROP_CONF_KEYS,
    'spark.submit.deployMode': 'nothing: the server is a client-mode driver',
    'spark.app.name': 'nothing: start-connect-server.sh names the application',
    'spark.kubernetes.driver.master': OPERATOR,
    'spark.master': OPERATOR,
    'spark.driver.host': OPERATOR,
    'spark.driver.bindAddress': OPERATOR,
    'spark.driver.port': OPERATOR,
    'spark.driver.blockManager.port': OPERATOR,
    'spark.kubernetes.driver.pod.name': OPERATOR,
    'spark.kubernetes.executor.podNamePrefix': 'the name prop',
    'spark.kubernetes.executor.podTemplateFile': 'the executor prop (the operator mounts the template)',
    'spark.kubernetes.executor.podTemplateContainerName': 'the executor prop (the operator mounts the template)',
    'spark.kubernetes.authenticate.executor.serviceAccountName': 'nothing: executors run without API access',
    'spark.driver.cores': 'server.cores',
    'spark.driver.memory': 'server.memory',
    'spark.driver.memoryOverhead': 'server.memoryOverhead',
    'spark.executor.cores': 'executor.cores',
    'spark.executor.memory': 'executor.memory',
    'spark.executor.memoryOverhead': 'executor.memoryOverhead',
    'spark.connect.grpc.binding.port': 'nothing: the operator\'s Service forwards port 15002',
    'spark.dynamicAllocation.initialExecutors': 'the dynamicAllocation prop',
    'spark.dynamicAllocation.minExecutors': 'the dynamicAllocation prop',
    'spark.dynamicAllocation.maxExecutors': 'the dynamicAllocation prop',
    'spark.dynamicAllocation.shuffleTracking.enabled': 'the dynamicAllocation prop',
    'spark.dynamicAllocation.shuffleTracking.timeout': 'the dynamicAllocation prop',
  };
}

/** Checks what the props hold before anything is rendered: kinds of values, the Spark release, keys and credentials. */
export function checkConnectProps(scope: Construct, props: SparkConnectServerProps, image: SparkImage): void {
  typed(scope, 'image', props.image, SparkImage.isSparkImage, 'a SparkImage, e.g. SparkImage.apache("4.0.4")');
  typed(scope, 'sparkConf', props.sparkConf, SparkConf.isSparkConf, 'a SparkConf, e.g. SparkConf.of({ ... })');
  typed(scope, 'eventLog', props.eventLog, EventLogStore.isEventLogStore, 'an EventLogStore, e.g. EventLogStore.s3({ ... })');
  for (const [role, pod] of [['server', props.server], ['executor', props.executor]] as const) {
    for (const field of ['memory', 'memoryOverhead'] as const) {
      typed(scope, `${role}.${field}`, pod?.[field], SparkMemory.isSparkMemory, 'a SparkMemory, e.g. SparkMemory.gibibytes(2)');
    }
    for (const [name, value] of Object.entries(pod?.env ?? {})) {
      refuseCredentialEnv(scope, `${role}.env`, name, value);
    }
  }
  // The Spark 4 distribution holds the Connect server (sql/connect/server is a
  // built-in module there); 3.4 and 3.5 need it fetched with --packages, which
  // a SparkConnect cannot pass. The operator's own example runs 4.0.4.
  // Sources: apache/spark#38109 (SPARK-40665) kept the server out of the 3.x
  // binary release; apache/iceberg-python#2887 lists
  // /opt/spark/jars/spark-connect_2.13-4.0.1.jar in the apache/spark:4.0.1 image.
  const major = parseInt(image.sparkVersion.split('.')[0], 10);
  check(major >= 4, scope, 'image', image.sparkVersion,
    'a Spark 4.0 or later image: earlier distributions do not ship the Spark Connect server that start-connect-server.sh runs');
  const managed = connectManagedConf();
  for (const key of props.sparkConf?.keys ?? []) {
    refuseCredentialConf(scope, 'sparkConf key', key);
    refuseManagedConfKey(scope, key, managed);
  }
  for (const key of Object.keys(props.hadoopConf ?? {})) {
    refuseCredentialConf(scope, 'hadoopConf key', `spark.hadoop.${key}`);
    check(!key.startsWith('spark.hadoop.'), scope, 'hadoopConf key', key, 'a Hadoop key without the "spark.hadoop." prefix, which the operator adds');
  }
  check(props.eventLogOptions === undefined || props.eventLog !== undefined, scope, 'eventLogOptions', props.eventLogOptions,
    'options of an event log: set eventLog (an EventLogStore) too');
  requireJobImageFacts(scope, image, { loginBy: 'the server and its executors', eventLog: props.eventLog, conf: props.sparkConf });
  const instances = props.executor?.instances;
  check(instances === undefined || props.dynamicAllocation === undefined, scope, 'executor.instances', instances,
    'no fixed number of executors together with dynamicAllocation (give dynamicAllocation.initialExecutors)');
  check(instances === undefined || (Number.isInteger(instances) && instances >= 0), scope, 'executor.instances', instances,
    'a whole number of executors, 0 or more');
  for (const [role, pod] of [['server', props.server], ['executor', props.executor]] as const) {
    const cores = pod?.cores;
    check(cores === undefined || (Number.isInteger(cores) && cores >= 1), scope, `${role}.cores`, cores, 'a whole number of cores, at least 1');
  }
  for (const [role, pod] of [['server', props.server], ['executor', props.executor]] as const) {
    for (const key of Object.keys(pod?.labels ?? {})) {
      // Spark and the operator set these on the pods (and select the pods by them): a given value would be overwritten or break the selection.
      check(!OWNED_LABELS.includes(key) && !key.startsWith('sparkoperator.k8s.io/'), scope, `${role}.labels key`, key,
        `a label Spark and the operator do not set (they own ${OWNED_LABELS.join(', ')} and sparkoperator.k8s.io/*)`);
    }
  }
  const coreLimit = props.server?.coreLimit;
  check(coreLimit === undefined || /^(\d+(\.\d+)?|\.\d+)m?$/.test(coreLimit), scope, 'server.coreLimit', coreLimit,
    'a Kubernetes CPU quantity such as "500m", "0.5" or "2"');
}

/** Fails synthesis when a collection the server copied changed after it was built. */
export function guardConnectInputs(scope: Construct, props: SparkConnectServerProps): void {
  const fix = 'pass the complete value when creating the server';
  if (props.sparkConf !== undefined) {
    const conf = props.sparkConf;
    guardLateChange(scope, 'props.sparkConf', () => conf._revision, 'finish the SparkConf before passing it');
  }
  const snapshots: Array<[string, () => unknown]> = [
    ['props.hadoopConf', () => props.hadoopConf],
    ['props.dynamicAllocation', () => props.dynamicAllocation],
    ['props.service', () => props.service],
    ['props.server', () => podSnapshot(props.server)],
    ['props.executor', () => podSnapshot(props.executor)],
  ];
  for (const [property, snapshot] of snapshots) {
    if (snapshot() !== undefined) {
      guardLateChange(scope, property, snapshot, fix);
    }
  }
}

function podSnapshot(pod: SparkConnectServerPodProps | SparkConnectExecutorProps | undefined): unknown {
  if (pod === undefined) {
    return undefined;
  }
  return {
    ...pod,
    memory: pod.memory?.toSparkString(),
    memoryOverhead: pod.memoryOverhead?.toSparkString(),
    env: Object.entries(pod.env ?? {}).map(([name, v]) => [name, v.value, v.valueFrom]),
  };
}

export interface RenderContext {
  readonly image: SparkImage;
  readonly serviceAccount: ISparkServiceAccount;
  readonly name: string;
}

/** The SparkConnect spec of the props (checked against the webhook's and the controller's rules). */
export function renderConnectSpec(scope: Construct, props: SparkConnectServerProps, ctx: RenderContext): Json {
  const image = ctx.image;
  const server = props.server ?? {};
  const executor = props.executor ?? {};
  const conf = connectConf(scope, props, true);
  const da = props.dynamicAllocation;
  const spec: Json = {
    sparkVersion: image.sparkVersion,
    image: image.imageFor(scope),
    ...(conf.keys.length > 0 ? { sparkConf: conf.toRecord() } : {}),
    ...(props.hadoopConf && Object.keys(props.hadoopConf).length > 0 ? { hadoopConf: hadoopConf(props.hadoopConf) } : {}),
    server: {
      cores: server.cores ?? 1,
      memory: (server.memory ?? DEFAULT_MEMORY).toSparkString(),
      template: serverTemplate(scope, props, ctx),
      ...(props.service ? { service: serviceSpec(scope, props, ctx.name) } : {}),
    },
    executor: {
      ...(da ? {} : { instances: executor.instances ?? 1 }),
      cores: executor.cores ?? 1,
      memory: (executor.memory ?? DEFAULT_MEMORY).toSparkString(),
      template: executorTemplate(scope, executor, image),
    },
    ...(da ? {
      dynamicAllocation: {
        enabled: true,
        ...(da.initialExecutors !== undefined ? { initialExecutors: da.initialExecutors } : {}),
        ...(da.minExecutors !== undefined ? { minExecutors: da.minExecutors } : {}),
        maxExecutors: da.maxExecutors,
        // No external shuffle service on Kubernetes: keep executors holding shuffle data.
        shuffleTrackingEnabled: true,
        ...(da.shuffleTrackingTimeout ? { shuffleTrackingTimeout: da.shuffleTrackingTimeout.toMilliseconds() } : {}),
      },
    } : {}),
  };
  const problem = checkSparkConnectRules(spec, ctx.name)[0];
  if (problem) {
    throw invalidInput(scope, problem.path, problem.value, problem.message);
  }
  return spec;
}

/**
 * The server's conf: the user's, the event log's, and what the typed props
 * set that the SparkConnect spec has no field for. The operator passes each
 * entry to `bash -c` as `--conf key=value` (options.go), so values bash would
 * split or expand are single-quoted (a quoted word is one literal argument).
 */
export function connectConf(scope: Construct, props: SparkConnectServerProps, quote: boolean): SparkConf {
  const source = `${scope.node.path} props`;
  let conf = props.sparkConf ?? new SparkConf();
  if (props.eventLog) {
    conf = conf.merge(props.eventLog.jobConf(props.eventLogOptions ?? {}), scope);
  }
  const typedConf = new SparkConf();
  const image = props.image ?? SparkImage.apache();
  typedConf.set('spark.kubernetes.container.image.pullPolicy', image.pullPolicy, source);
  if (image.pullSecrets.length > 0) {
    typedConf.set('spark.kubernetes.container.image.pullSecrets', image.pullSecrets.map((s) => s.name).join(','), source);
  }
  if (props.executor?.memoryOverhead) {
    typedConf.setMemory('spark.executor.memoryOverhead', props.executor.memoryOverhead, source);
  }
  conf = conf.merge(typedConf, scope);
  // The server resolves spark.jars.packages itself: Ivy's cache where it can write (core/ivy-cache.ts).
  conf = withIvyCache(conf, conf.get('spark.jars.packages')?.split(','), `${scope.node.path} sparkConf spark.jars.packages (Ivy's cache)`)!;
  if (!quote) {
    return conf;
  }
  const out = new SparkConf();
  for (const key of conf.keys) {
    out.set(key, shellWord(conf.get(key)!), conf.sourceOf(key));
  }
  return out;
}

/** The Hadoop conf, each value one bash word (the operator passes it as `--conf spark.hadoop.key=value`). */
function hadoopConf(given: { [key: string]: string }): { [key: string]: string } {
  return Object.fromEntries(Object.entries(given).map(([key, value]) => [key, shellWord(value)]));
}

/** `value` as one bash word: unchanged when bash reads it literally, else single-quoted. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_.,:/=+@%-]*$/.test(value) ? value : `'${value.replace(/'/g, '\'\\\'\'')}'`;
}

function envVars(scope: Construct, property: string, env: { [name: string]: EnvValue } | undefined): k8s.EnvVar[] {
  return Object.entries(env ?? {}).map(([name, value]) => {
    check(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name), scope, property, name,
      'an environment variable name of letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
    return { name, value: value.value, valueFrom: value.valueFrom };
  });
}

/**
 * The server pod template: the operator builds the pod from it (its spec as
 * given, the container named spark-kubernetes-driver completed with the
 * command), so resources, identity and security live here.
 */
function serverTemplate(scope: Construct, props: SparkConnectServerProps, ctx: RenderContext): Json {
  return podTemplate(scope, 'server', props.server ?? {}, serverPodSpec(scope, props, ctx));
}

/** What a Deployment running the server itself adds to its pod (SparkConnectDeployment). */
export interface NativeServerParts {
  readonly containerName: string;
  readonly command: string[];
  readonly args: string[];
  readonly env: k8s.EnvVar[];
  readonly volumeMounts: k8s.VolumeMount[];
  readonly volumes: k8s.Volume[];
}

/** The server pod's spec: sized (heap + overhead), restricted, with its ServiceAccount and the event log's parts. */
export function serverPodSpec(scope: Construct, props: SparkConnectServerProps, ctx: RenderContext, native?: NativeServerParts): k8s.PodSpec {
  const server = props.server ?? {};
  const image = ctx.image;
  labels(scope, 'server.labels', server.labels);
  const heap = server.memory ?? DEFAULT_MEMORY;
  const memory = SparkMemory.containerMemoryFor(heap, { overhead: server.memoryOverhead }).toQuantity();
  const store = props.eventLog;
  const env = [...envVars(scope, 'server.env', server.env), ...(store?.env() ?? []), ...(native?.env ?? [])];
  const names = env.map((e) => e.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  check(twice === undefined, scope, 'server.env', twice, 'a variable the event log store does not set (it sets its credentials itself)');
  const mounts = [...(store?.volumeMounts() ?? []), ...(native?.volumeMounts ?? [])];
  const volumes = [...(store?.volumes() ?? []), ...(native?.volumes ?? [])];
  const container: k8s.Container = {
    name: native?.containerName ?? SERVER_CONTAINER_NAME,
    image: image.imageFor(scope),
    ...(native ? { command: native.command, args: native.args } : {}),
    imagePullPolicy: image.pullPolicy,
    ports: SERVER_PORTS.map(([name, containerPort]) => ({ name, containerPort, protocol: 'TCP' })),
    resources: {
      requests: { cpu: k8s.Quantity.fromString(String(server.cores ?? 1)), memory: k8s.Quantity.fromString(memory) },
      limits: {
        memory: k8s.Quantity.fromString(memory),
        ...(server.coreLimit ? { cpu: k8s.Quantity.fromString(server.coreLimit) } : {}),
      },
    },
    // Ready once clients can connect (the operator's Ready state follows the pod's).
    readinessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(15002) }, periodSeconds: 10 },
    // Spark's scripts write logs under $SPARK_HOME/logs: the operator's pod keeps a writable root
    // filesystem; a native server points them (and every other write) at emptyDirs.
    securityContext: SecurityDefaults.restrictedContainer({ runAsUser: image.uid, readOnlyRootFilesystem: native !== undefined }),
    ...(env.length > 0 ? { env } : {}),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
  };
  const spec: k8s.PodSpec = {
    serviceAccountName: ctx.serviceAccount.name,
    enableServiceLinks: false,
    securityContext: SecurityDefaults.restrictedPod({ runAsUser: image.uid }),
    ...(image.pullSecrets.length > 0 ? { imagePullSecrets: image.pullSecrets.map((s) => ({ name: s.name })) } : {}),
    ...placement(server),
    ...(server.priorityClassName ? { priorityClassName: server.priorityClassName } : {}),
    containers: [container],
    ...(volumes.length > 0 ? { volumes } : {}),
  };
  return spec;
}

/**
 * The executor pod template (the operator writes it into the `<name>-conf`
 * ConfigMap and points `spark.kubernetes.executor.podTemplateFile` at it):
 * Spark fills in image, command, resources and ports and keeps the rest.
 */
function executorTemplate(scope: Construct, executor: SparkConnectExecutorProps, image: SparkImage): Json {
  return podTemplate(scope, 'executor', executor, executorPodSpec(scope, executor, image));
}

/** The executors' pod spec (a pod template Spark completes with image, command, resources and ports). */
export function executorPodSpec(scope: Construct, executor: SparkConnectExecutorProps, image: SparkImage): k8s.PodSpec {
  labels(scope, 'executor.labels', executor.labels);
  const env = envVars(scope, 'executor.env', executor.env);
  const spec: k8s.PodSpec = {
    // Executors never call the API server.
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: SecurityDefaults.restrictedPod({ runAsUser: image.uid }),
    ...placement(executor),
    containers: [{
      name: EXECUTOR_CONTAINER_NAME,
      ...(env.length > 0 ? { env } : {}),
      securityContext: SecurityDefaults.restrictedContainer({ runAsUser: image.uid, readOnlyRootFilesystem: true }),
      volumeMounts: EXECUTOR_WRITABLE.map(([name, mountPath]) => ({ name, mountPath })),
    }],
    volumes: EXECUTOR_WRITABLE.map(([name]) => ({ name, emptyDir: {} })),
  };
  return spec;
}

function placement(pod: SparkConnectServerPodProps | SparkConnectExecutorProps): Partial<k8s.PodSpec> {
  return {
    ...(pod.nodeSelector && Object.keys(pod.nodeSelector).length > 0 ? { nodeSelector: { ...pod.nodeSelector } } : {}),
    ...(pod.tolerations?.length ? { tolerations: [...pod.tolerations] } : {}),
  };
}

export function podTemplate(scope: Construct, role: string, pod: SparkConnectServerPodProps | SparkConnectExecutorProps, spec: k8s.PodSpec): Json {
  const notes = annotations(scope, `${role}.annotations`, pod.annotations);
  const metadata = {
    ...(pod.labels && Object.keys(pod.labels).length > 0 ? { labels: { ...pod.labels } } : {}),
    ...(Object.keys(notes).length > 0 ? { annotations: notes } : {}),
  };
  return {
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    spec: k8s.toJson_PodSpec(spec),
  };
}

/**
 * `spec.server.service`: the operator creates the Service under this object's
 * name (it has none of its own for a given Service: GetServerServiceName) and
 * sets its ports and selector itself.
 */
function serviceSpec(scope: Construct, props: SparkConnectServerProps, serverName: string): Json {
  const service = props.service!;
  labels(scope, 'service.labels', service.labels);
  const notes = annotations(scope, 'service.annotations', service.annotations);
  return {
    metadata: {
      // The operator names the Service after this field only: without it, it creates none.
      name: service.name ?? `${serverName}-server`,
      ...(service.labels && Object.keys(service.labels).length > 0 ? { labels: { ...service.labels } } : {}),
      ...(Object.keys(notes).length > 0 ? { annotations: notes } : {}),
    },
    spec: { type: enumValue(scope, 'service.type', service.type ?? SparkConnectServiceType.CLUSTER_IP, SparkConnectServiceType) },
  };
}
