import { Construct } from 'constructs';
import { checkUri } from './checks';
import { DRIVER_TEMPLATE_FILE, EXECUTOR_TEMPLATE_FILE } from './script';
import { ClientModeDriverOptions, clientModeDriverConf, clientModeDriverPodNameArgs, IN_CLUSTER_MASTER } from '../../../core/client-mode';
import { check } from '../../../core/errors';
import { requireJobImageFacts } from '../../../core/image-facts';
import { withIvyCache } from '../../../core/ivy-cache';
import { JOB_PROP_CONF_KEYS } from '../../../core/job-conf-keys';
import { SparkConf } from '../../../core/spark-conf';
import { SparkImage } from '../../../core/spark-image';
import { SparkMemory } from '../../../core/spark-memory';
import { prometheusMetricsConf } from '../../../core/spark-prometheus';
import { SparkApplicationType } from '../../spark-job-spec';
import type { SparkDependencies, SparkPodProps } from '../../spark-job-spec';
import type { SparkSubmitJobSpecProps } from '../../spark-submit-job-spec';
import { jobShuffle } from '../shuffle';

// The Spark configuration a spark-submit Job passes to spark-submit.

/** Where the ConfigMap (pod templates, wrapper script) is mounted in the submit pod. */
export const CONFIG_DIR = '/etc/spark-submit';
/** Where the wrapper writes the driver pod template it completes (on the /tmp emptyDir). */
export const WORK_DIR = '/tmp/spark-submit';
/** The container names Spark looks up in the pod templates. */
export const DRIVER_CONTAINER = 'spark-kubernetes-driver';
export const EXECUTOR_CONTAINER = 'spark-kubernetes-executor';

/**
 * Spark keys the construct sets itself (or, like the driver pod name, per
 * run); a user conf setting them is refused, naming what to use instead.
 */
const MANAGED_KEYS: { readonly [key: string]: string } = {
  'spark.master': 'nothing: the Job submits to the in-cluster API server',
  ...JOB_PROP_CONF_KEYS,
  'spark.kubernetes.driver.pod.name': 'nothing: each run names its driver pod after its submit pod',
  'spark.kubernetes.submission.waitAppCompletion': 'nothing: the Job waits for the application to report its outcome',
  'spark.kubernetes.driver.podTemplateFile': 'the driver props (they are rendered into the driver pod template)',
  'spark.kubernetes.executor.podTemplateFile': 'the executor props (they are rendered into the executor pod template)',
  'spark.kubernetes.driver.podTemplateContainerName': 'the driver props',
  'spark.kubernetes.executor.podTemplateContainerName': 'the executor props',
  'spark.driver.host': 'nothing: Spark (cluster mode) or the driver Service (client mode) sets it',
  'spark.driver.bindAddress': 'nothing: Spark (cluster mode) or the construct (client mode) sets it',
  'spark.driver.port': 'clientMode.driverPort',
  'spark.blockManager.port': 'clientMode.blockManagerPort',
};

const MAVEN = /^[^:\s,]+:[^:\s,]+:[^:\s,]+$/;
const MAVEN_EXCLUDE = /^[^:\s,]+:[^:\s,]+$/;

/** What the configuration of a submission depends on besides the props. */
export interface SubmitConfContext {
  readonly scope: Construct;
  readonly props: SparkSubmitJobSpecProps;
  readonly image: SparkImage;
  readonly name: string;
  readonly namespace: string;
  readonly driverServiceAccountName: string;
  /** The client-mode driver's Service, ports and labels; undefined in cluster mode. */
  readonly clientDriver?: ClientModeDriverOptions;
}

/**
 * The configuration of a submission, as the props give it, and what
 * addSparkConf adds later: {@link current} is what spark-submit gets.
 */
export class SubmitConf {
  private merged: SparkConf;

  constructor(private readonly c: SubmitConfContext) {
    const { scope, props } = c;
    let merged = managedConf(c);
    if (props.eventLog) {
      merged = merged.merge(props.eventLog.jobConf(props.eventLogOptions ?? {}), scope);
      if (!c.clientDriver) {
        merged = merged.merge(driverEventLogConf(c), scope);
      }
    }
    if (props.sparkConf) {
      checkUserKeys(scope, props.sparkConf);
      merged = merged.merge(props.sparkConf, scope);
    }
    this.merged = merged;
  }

  /** Adds a key, checked as the sparkConf prop's keys are. */
  public add(key: string, value: string): void {
    const { scope, image } = this.c;
    const added = new SparkConf().set(key, value, `${scope.node.path} addSparkConf`);
    checkUserKeys(scope, added);
    requireJobImageFacts(scope, image, { loginBy: 'spark-submit, the driver and the executors', conf: added });
    this.merged = this.merged.merge(added, scope);
  }

  /** The configuration now, with the defaults the user conf (or addSparkConf) may override. */
  public current(): SparkConf {
    const source = `${this.c.scope.node.path} props`;
    // Ivy's cache where spark-submit (and, in cluster mode, the driver) can write it (core/ivy-cache.ts).
    let conf = withIvyCache(this.merged, this.merged.get('spark.jars.packages')?.split(','), `${this.c.scope.node.path} deps.packages (Ivy's cache)`)!;
    if (!this.c.clientDriver && !conf.has('spark.kubernetes.report.interval')) {
      // spark-submit logs the driver's phase at this interval while it waits (1s by default).
      conf = conf.merge(new SparkConf().set('spark.kubernetes.report.interval', '30s', source));
    }
    return conf;
  }
}

/** `--conf key=value` for every key but those given as flags. */
function confArgs(conf: SparkConf): string[] {
  const out: string[] = [];
  for (const key of conf.keys) {
    if (key === 'spark.master' || key === 'spark.submit.deployMode') continue;
    out.push('--conf', `${key}=${conf.get(key)}`);
  }
  return out;
}

/** What the construct sets from the props. */
function managedConf(c: SubmitConfContext): SparkConf {
  const { scope, props, image } = c;
  const source = `${scope.node.path} props`;
  const conf = new SparkConf();
  if (c.clientDriver) {
    const driverConf = clientModeDriverConf(c.clientDriver, source);
    for (const key of driverConf.keys) {
      conf.set(key, driverConf.get(key)!, source);
    }
  } else {
    conf.set('spark.master', IN_CLUSTER_MASTER, source)
      .set('spark.submit.deployMode', 'cluster', source)
      .set('spark.kubernetes.namespace', c.namespace, source)
      .setBoolean('spark.kubernetes.submission.waitAppCompletion', true, source)
      .set('spark.kubernetes.driver.podTemplateFile', `${WORK_DIR}/${DRIVER_TEMPLATE_FILE}`, source)
      .set('spark.kubernetes.driver.podTemplateContainerName', DRIVER_CONTAINER, source);
  }
  conf.set('spark.app.name', c.name, source)
    .set('spark.kubernetes.container.image', image.imageFor(scope), source)
    .set('spark.kubernetes.container.image.pullPolicy', image.pullPolicy, source);
  if (image.pullSecrets.length > 0) {
    conf.set('spark.kubernetes.container.image.pullSecrets', image.pullSecrets.map((s) => s.name).join(','), source);
  }
  conf.set('spark.kubernetes.authenticate.driver.serviceAccountName', c.driverServiceAccountName, source)
    .set('spark.kubernetes.executor.podTemplateFile', `${CONFIG_DIR}/${EXECUTOR_TEMPLATE_FILE}`, source)
    .set('spark.kubernetes.executor.podTemplateContainerName', EXECUTOR_CONTAINER, source);
  podConf(conf, 'driver', props.driver ?? {}, c.clientDriver !== undefined, source);
  podConf(conf, 'executor', props.executor ?? {}, false, source);
  if (props.memoryOverheadFactor !== undefined) {
    const factor = String(props.memoryOverheadFactor);
    if (image.isAtLeast(3, 3)) {
      conf.set('spark.driver.memoryOverheadFactor', factor, source).set('spark.executor.memoryOverheadFactor', factor, source);
    } else {
      conf.set('spark.kubernetes.memoryOverheadFactor', factor, source);
    }
  }
  const shuffle = jobShuffle(scope, props, image);
  executorCountConf(scope, conf, props, shuffle.shuffleTracking, source);
  depsConf(scope, conf, props, shuffle.deps ?? {}, c.clientDriver !== undefined, source);
  for (const key of shuffle.sparkConf?.keys ?? []) {
    conf.set(key, shuffle.sparkConf!.get(key)!, shuffle.sparkConf!.sourceOf(key));
  }
  if (props.prometheusMetrics) {
    for (const [key, value] of Object.entries(prometheusMetricsConf(`${source} prometheusMetrics`).toRecord())) {
      conf.set(key, value, `${source} prometheusMetrics`);
    }
  }
  // Spark copies spark.hadoop.<key> into the Hadoop configuration (apache/spark
  // docs/configuration.md, "Custom Hadoop/Hive Configuration").
  for (const [key, value] of Object.entries(props.hadoopConf ?? {})) {
    check(!key.startsWith('spark.hadoop.'), scope, 'hadoopConf key', key, 'a Hadoop key without the "spark.hadoop." prefix, which the construct adds');
    conf.set(`spark.hadoop.${key}`, value, `${source} hadoopConf`);
  }
  // spark.kubernetes.node.selector.<label> applies to the driver and the executors
  // (apache/spark docs/running-on-kubernetes.md); in client mode the driver is the
  // submit pod, whose own nodeSelector gets the labels.
  for (const [label, value] of Object.entries(props.nodeSelector ?? {})) {
    conf.set(`spark.kubernetes.node.selector.${label}`, value, `${source} nodeSelector`);
  }
  return conf;
}

/**
 * The event log in cluster mode: the driver writes it, so its credentials and
 * volume go to the driver pod through Spark's conf — as Secret references
 * and a claim, never as literal values. (In client mode the submit pod is the
 * driver and binds the store itself.)
 */
function driverEventLogConf(c: SubmitConfContext): SparkConf {
  const { scope } = c;
  const store = c.props.eventLog!;
  const storeConf = new SparkConf();
  const storeSource = `EventLogStore ${store.logDirectory}`;
  for (const e of store.env()) {
    const ref = e.valueFrom?.secretKeyRef;
    check(ref !== undefined, scope, 'eventLog', e.name, 'a store whose environment comes from Secret keys');
    storeConf.set(`spark.kubernetes.driver.secretKeyRef.${e.name}`, `${ref!.name}:${ref!.key}`, storeSource);
  }
  const mounts = store.volumeMounts();
  for (const v of store.volumes()) {
    if (v.secret) {
      // A key file: Spark mounts the whole Secret at the path, its keys as files
      // (apache/spark resource-managers/kubernetes MountSecretsFeatureStep, spark.kubernetes.driver.secrets.*).
      for (const m of mounts.filter((mount) => mount.name === v.name)) {
        storeConf.set(`spark.kubernetes.driver.secrets.${v.secret.secretName}`, m.mountPath, storeSource);
      }
      continue;
    }
    const claim = v.persistentVolumeClaim;
    check(claim !== undefined || v.emptyDir !== undefined, scope, 'eventLog', v.name,
      'a store whose volumes are PersistentVolumeClaims, emptyDirs or Secrets');
    const prefix = `spark.kubernetes.driver.volumes.${claim ? 'persistentVolumeClaim' : 'emptyDir'}.${v.name}`;
    if (claim) {
      storeConf.set(`${prefix}.options.claimName`, claim.claimName, storeSource);
    }
    for (const m of mounts.filter((mount) => mount.name === v.name)) {
      storeConf.set(`${prefix}.mount.path`, m.mountPath, storeSource);
      if (m.subPath !== undefined) {
        storeConf.set(`${prefix}.mount.subPath`, m.subPath, storeSource);
      }
      storeConf.setBoolean(`${prefix}.mount.readOnly`, m.readOnly ?? false, storeSource);
    }
  }
  return storeConf;
}

function checkUserKeys(scope: Construct, userConf: SparkConf): void {
  for (const key of userConf.keys) {
    const instead = MANAGED_KEYS[key];
    check(instead === undefined, scope, 'sparkConf key', key, `the key is managed by the construct; set it through ${instead}`);
  }
}

/** Cores, memory and JVM options of the driver or the executors. */
function podConf(conf: SparkConf, role: 'driver' | 'executor', p: SparkPodProps, clientDriver: boolean, source: string): void {
  conf.setMemory(`spark.${role}.memory`, p.memory ?? SparkMemory.mebibytes(512), source);
  if (p.javaOptions !== undefined) {
    conf.set(`spark.${role}.extraJavaOptions`, p.javaOptions, source);
  }
  if (clientDriver) {
    // The submit pod is the driver: its own resources carry cores and overhead.
    return;
  }
  conf.setInteger(`spark.${role}.cores`, p.cores ?? 1, source);
  if (p.memoryOverhead !== undefined) {
    conf.setMemory(`spark.${role}.memoryOverhead`, p.memoryOverhead, source);
  }
  if (p.coreRequest !== undefined) {
    conf.set(`spark.kubernetes.${role}.request.cores`, p.coreRequest, source);
  }
  if (p.coreLimit !== undefined) {
    conf.set(`spark.kubernetes.${role}.limit.cores`, p.coreLimit, source);
  }
}

function executorCountConf(scope: Construct, conf: SparkConf, props: SparkSubmitJobSpecProps, shuffleTracking: boolean, source: string): void {
  const executor = props.executor ?? {};
  const da = props.dynamicAllocation;
  if (executor.instances !== undefined || !da) {
    const instances = executor.instances ?? 1;
    check(Number.isInteger(instances) && instances >= 1, scope, 'executor.instances', instances, 'a whole number of executors, at least 1');
    conf.setInteger('spark.executor.instances', instances, source);
  }
  if (executor.deleteOnTermination !== undefined) {
    conf.setBoolean('spark.kubernetes.executor.deleteOnTermination', executor.deleteOnTermination, source);
  }
  if (!da) {
    return;
  }
  const min = da.minExecutors ?? 0;
  const order: Array<[string, number | undefined]> = [['minExecutors', min], ['initialExecutors', da.initialExecutors], ['maxExecutors', da.maxExecutors]];
  for (const [property, value] of order) {
    check(value === undefined || (Number.isInteger(value) && value >= 0), scope, `dynamicAllocation.${property}`, value, 'a whole number of executors');
  }
  check(da.maxExecutors >= 1, scope, 'dynamicAllocation.maxExecutors', da.maxExecutors, 'at least 1 executor');
  const given = order.filter(([, v]) => v !== undefined) as Array<[string, number]>;
  for (let i = 1; i < given.length; i++) {
    check(given[i - 1][1] <= given[i][1], scope, 'dynamicAllocation', { min, initial: da.initialExecutors, max: da.maxExecutors },
      `minExecutors <= initialExecutors <= maxExecutors; ${given[i - 1][0]} ${given[i - 1][1]} exceeds ${given[i][0]} ${given[i][1]}`);
  }
  conf.setBoolean('spark.dynamicAllocation.enabled', true, source)
    // No external shuffle service on Kubernetes: keep executors holding shuffle
    // data, unless a remote shuffle service (the shuffle prop) holds it.
    .setBoolean('spark.dynamicAllocation.shuffleTracking.enabled', shuffleTracking, source)
    .setInteger('spark.dynamicAllocation.minExecutors', min, source)
    .setInteger('spark.dynamicAllocation.maxExecutors', da.maxExecutors, source);
  if (da.initialExecutors !== undefined) {
    conf.setInteger('spark.dynamicAllocation.initialExecutors', da.initialExecutors, source);
  }
  if (da.shuffleTrackingTimeout !== undefined) {
    conf.setDuration('spark.dynamicAllocation.shuffleTracking.timeout', da.shuffleTrackingTimeout, source);
  }
}

function depsConf(scope: Construct, conf: SparkConf, props: SparkSubmitJobSpecProps, deps: SparkDependencies, client: boolean, source: string): void {
  const lists: Array<[string, string[] | undefined, string]> = [
    ['jars', deps.jars, 'spark.jars'],
    ['files', deps.files, 'spark.files'],
    ['pyFiles', deps.pyFiles, 'spark.submit.pyFiles'],
    ['archives', deps.archives, 'spark.archives'],
  ];
  for (const [property, values, key] of lists) {
    if (values === undefined || values.length === 0) continue;
    for (const v of values) {
      checkUri(scope, `deps.${property}`, v, client);
      check(!v.includes(','), scope, `deps.${property}`, v, 'a URI without commas (Spark separates the list with commas)');
    }
    conf.set(key, values.join(','), source);
  }
  check(deps.pyFiles === undefined || deps.pyFiles.length === 0 || props.type === SparkApplicationType.PYTHON, scope, 'deps.pyFiles',
    deps.pyFiles, 'Python files only for a Python application');
  const coordinates: Array<[string, string[] | undefined, RegExp, string, string]> = [
    ['packages', deps.packages, MAVEN, 'spark.jars.packages', 'Maven coordinates "group:artifact:version"'],
    ['excludePackages', deps.excludePackages, MAVEN_EXCLUDE, 'spark.jars.excludes', 'Maven coordinates "group:artifact"'],
  ];
  for (const [property, values, pattern, key, allowed] of coordinates) {
    if (values === undefined || values.length === 0) continue;
    for (const v of values) {
      check(typeof v === 'string' && pattern.test(v), scope, `deps.${property}`, v, allowed);
    }
    conf.set(key, values.join(','), source);
  }
  if (deps.repositories !== undefined && deps.repositories.length > 0) {
    for (const v of deps.repositories) {
      check(typeof v === 'string' && /^https?:\/\/[^\s,]+$/.test(v), scope, 'deps.repositories', v, 'an http:// or https:// repository URL without commas');
    }
    conf.set('spark.jars.repositories', deps.repositories.join(','), source);
  }
}

/**
 * The arguments of spark-submit: master and deploy mode as flags, the per-run
 * driver pod name, then everything else verbatim.
 */
export function submitArgs(props: SparkSubmitJobSpecProps, conf: SparkConf, userArgs: string[]): string[] {
  return [
    '--master', conf.get('spark.master')!,
    '--deploy-mode', conf.get('spark.submit.deployMode')!,
    // Unique per run: the kubelet expands the submit pod's own name here.
    ...clientModeDriverPodNameArgs(),
    // Everything else reaches spark-submit verbatim. --proxy-user: spark-submit
    // impersonates the user (SparkSubmitArguments; SPARK-25355 passes it on to
    // a Kubernetes cluster-mode driver).
    ...[
      ...(props.proxyUser !== undefined ? ['--proxy-user', props.proxyUser] : []),
      ...(props.mainClass !== undefined ? ['--class', props.mainClass] : []),
      ...confArgs(conf),
      props.mainApplicationFile,
      ...userArgs,
    ].map(literal),
  ];
}

/** Protects `$(NAME)` from the kubelet's expansion of container arguments. */
function literal(arg: string): string {
  return arg.replace(/\$\(/g, () => '$$(');
}
