import { Duration } from 'cdk8s';
import { ContainerResources, Cpu, EnvValue, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { requireConfKeysKnown } from '../core/compatibility-spark';
import { IVY_CACHE_DIR } from '../core/ivy-cache';
import { refuseManagedConfKey } from '../core/job-conf-keys';
import { containerPort } from './private/pod';
import { floorMebibytes } from './private/sizing';
import { ISparkStandaloneCluster } from './standalone-cluster-ref';
import { check } from '../core/errors';
import { EventLogStore } from '../core/event-log-store';
import { renderResources } from '../core/resources';
import { SecurityDefaults } from '../core/security';
import { SparkConf } from '../core/spark-conf';
import { SparkMemory } from '../core/spark-memory';
import { SPARK_ROLE_LABEL } from '../core/tenant-labels';
import { wholeSeconds } from '../core/validate';
import { SparkVolumeMount } from '../core/volume-mount';
import { refuseJobCredentials } from '../jobs/job-credentials';
import { guardArgumentsAndConf } from '../jobs/job-inputs';
import { SparkJobBase } from '../jobs/spark-job-base';
import { SparkPodRole } from '../jobs/spark-job-spec';

const JAVA_CLASS = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const APPLICATION_FILE = /^(?:(?:local|file|https?|s3a|hdfs|gs|abfss?|wasbs?):\/\/\S+|\/\S+)$/;
// A client-mode driver's fixed ports (its pod's own; nothing else listens there).
const DRIVER_PORT = 7078;
const DRIVER_BLOCK_MANAGER_PORT = 7079;
// The Job's name, within what the pods' names must leave room for.
const NAME_MAX = 52;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Keys the typed props (and the client-mode layout) set, refused in sparkConf: spark-submit's own options would silently win. */
const SUBMIT_MANAGED_KEYS: { readonly [key: string]: string } = {
  'spark.driver.memory': 'driverMemory',
  'spark.executor.memory': 'executorMemory',
  'spark.executor.cores': 'executorCores',
  'spark.cores.max': 'totalExecutorCores',
  'spark.app.name': 'the name prop',
  'spark.master': 'nothing: the job submits to its cluster (the cluster prop)',
  'spark.submit.deployMode': 'nothing: the driver runs in the job\'s pod (client mode)',
  'spark.driver.port': 'nothing: the driver listens on the fixed ports its pod opens',
  'spark.driver.blockManager.port': 'nothing: the driver listens on the fixed ports its pod opens',
  'spark.eventLog.enabled': 'the eventLog prop (EventLogStore)',
  'spark.eventLog.dir': 'the eventLog prop (EventLogStore)',
};
/** Options of {@link SparkStandaloneCluster.submitJob}. */
export interface SparkStandaloneSubmitOptions {
  /**
   * The application: a jar or Python file, e.g.
   * `local:///opt/spark/examples/jars/spark-examples_2.13-4.0.4.jar` (`local://`
   * is a path inside the image).
   */
  readonly mainApplicationFile: string;

  /**
   * The main class of a jar application.
   * @default - none (Python applications, or a jar whose manifest names it)
   */
  readonly mainClass?: string;

  /**
   * Arguments of the application.
   * @default - none
   */
  readonly arguments?: string[];

  /**
   * Name of the Job (and of the Spark application).
   * @default - generated from the construct path
   */
  readonly name?: string;

  /**
   * Further Spark configuration, passed as `--conf`. Keys the cluster or the
   * job set may not be set to other values.
   * @default - none
   */
  readonly sparkConf?: SparkConf;

  /**
   * Heap of the driver (which runs in the Job's pod).
   * @default SparkMemory.gibibytes(1)
   */
  readonly driverMemory?: SparkMemory;

  /**
   * Heap of each executor; at most the workers' memory.
   * @default SparkMemory.gibibytes(1)
   */
  readonly executorMemory?: SparkMemory;

  /**
   * Cores of each executor; at most the workers' cores.
   * @default - all the cores of a worker (one executor per worker)
   */
  readonly executorCores?: number;

  /**
   * Cores the application takes from the whole cluster (`spark.cores.max`).
   * @default - all free cores (the master's `spark.deploy.defaultCores`)
   */
  readonly totalExecutorCores?: number;

  /**
   * Requests and limits of the driver container. The memory limit must hold
   * the driver heap plus Spark's overhead (max(10 %, 384 MiB)).
   * @default - cpu 500m request, 1 limit; memory heap + overhead, request and limit
   */
  readonly resources?: ContainerResources;

  /**
   * Write the application's event log here (for a history server).
   * @default - no event log
   */
  readonly eventLog?: EventLogStore;

  /**
   * Retries of a failed submission (`backoffLimit`). Each retry runs the
   * whole application again.
   * @default 0
   */
  readonly backoffLimit?: number;

  /**
   * Time after which the Job is stopped and failed (`activeDeadlineSeconds`).
   * @default - no deadline
   */
  readonly activeDeadline?: Duration;

  /**
   * Time after which a finished Job is deleted (`ttlSecondsAfterFinished`).
   * @default Duration.days(1)
   */
  readonly ttlAfterFinished?: Duration;
}

/** Properties of {@link SparkStandaloneSubmit}. */
export interface SparkStandaloneSubmitProps extends SparkStandaloneSubmitOptions {
  /** The cluster the application runs on. */
  readonly cluster: ISparkStandaloneCluster;
}

/**
 * A Kubernetes Job running `spark-submit --master spark://<master>:7077
 * --deploy-mode client`: the driver runs in the Job's pod, the executors on
 * the cluster's workers, and the Job succeeds or fails with the application.
 * The driver gets the cluster's configuration and shared secret the same way
 * the daemons do.
 */
export class SparkStandaloneSubmit extends SparkJobBase {
  /** The Job. */
  public readonly job: k8s.KubeJob;
  private readonly cluster: ISparkStandaloneCluster;
  /** The container's command: rebuilt in place by the mutators. */
  private readonly command: string[];
  /** spark-submit and its options before the `--conf` ones. */
  private readonly args: string[];
  /** The application file and its arguments. */
  private readonly appArgs: string[];
  /** The driver container's environment: addDriverEnv adds to it. */
  private readonly env: k8s.EnvVar[];
  private conf: SparkConf;

  constructor(scope: Construct, id: string, props: SparkStandaloneSubmitProps) {
    const cluster = props.cluster;
    super(scope, id, {
      name: props.name,
      namespace: isStandaloneCluster(cluster) ? cluster.namespace : undefined,
      maxNameLength: NAME_MAX,
      managedByOperator: false,
    });
    check(isStandaloneCluster(cluster), this, 'cluster', cluster, 'a SparkStandaloneCluster');
    this.cluster = cluster;
    this.command = [];
    this.env = [
      ...cluster.clientEnv(),
      // The image user's home directory does not exist (or is read-only).
      { name: 'HOME', value: '/tmp' },
      ...(props.eventLog?.env() ?? []),
    ];
    checkApplication(this, props);

    const driverMemory = props.driverMemory ?? SparkMemory.gibibytes(1);
    const executorMemory = props.executorMemory ?? SparkMemory.gibibytes(1);
    checkExecutors(this, props, executorMemory);
    const backoffLimit = props.backoffLimit ?? 0;
    check(Number.isInteger(backoffLimit) && backoffLimit >= 0 && backoffLimit <= 100, this, 'backoffLimit', backoffLimit,
      'an integer from 0 to 100');
    const deadline = props.activeDeadline !== undefined ? wholeSeconds(this, 'activeDeadline', props.activeDeadline) : undefined;
    const ttl = wholeSeconds(this, 'ttlAfterFinished', props.ttlAfterFinished ?? Duration.days(1), { min: 0 });
    const resources = driverResources(this, props, driverMemory);

    const source = `SparkStandaloneSubmit ${this.node.path}`;
    const jobConf = new SparkConf()
      // The driver listens on fixed ports of its own pod; executors reach it at the pod's IP.
      .setInteger('spark.driver.port', DRIVER_PORT, source)
      .setInteger('spark.driver.blockManager.port', DRIVER_BLOCK_MANAGER_PORT, source)
      // Ivy's cache (for --packages) where the driver can write it (core/ivy-cache.ts).
      .set('spark.jars.ivy', IVY_CACHE_DIR, source);
    (props.sparkConf?.keys ?? []).forEach((key) => refuseManagedConfKey(this, key, SUBMIT_MANAGED_KEYS));
    let conf = props.eventLog ? jobConf.merge(props.eventLog.jobConf(), this) : jobConf;
    conf = props.sparkConf ? conf.merge(props.sparkConf, this) : conf;
    // Everything the cluster sets (security, master) must not be overridden by the job.
    cluster.clientConf.merge(conf, this);
    refuseJobCredentials(this, props);
    requireConfKeysKnown(this, cluster.image, conf);
    this.conf = conf;

    this.args = [
      '/opt/spark/bin/spark-submit',
      '--master', cluster.masterUrl,
      '--deploy-mode', 'client',
      '--name', this.name,
      ...(props.mainClass ? ['--class', props.mainClass] : []),
      '--driver-memory', driverMemory.toSparkString(),
      '--executor-memory', executorMemory.toSparkString(),
      ...(props.executorCores !== undefined ? ['--executor-cores', String(props.executorCores)] : []),
      ...(props.totalExecutorCores !== undefined ? ['--total-executor-cores', String(props.totalExecutorCores)] : []),
    ];
    this.appArgs = [props.mainApplicationFile, ...(props.arguments ?? [])];
    this.renderCommand();

    const labels = cluster.componentLabels(this, 'submit');
    const uid = cluster.image.uid;
    this.job = new k8s.KubeJob(this, 'Resource', {
      metadata: { name: this.name, namespace: this.jobNamespace, labels: labels.all() },
      spec: {
        backoffLimit,
        ...(deadline !== undefined ? { activeDeadlineSeconds: deadline } : {}),
        ttlSecondsAfterFinished: ttl,
        template: {
          metadata: { labels: { ...labels.all(), [SPARK_ROLE_LABEL]: 'driver' } },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: SecurityDefaults.restrictedPod({ runAsUser: uid, runAsGroup: uid, fsGroup: uid }),
            ...(cluster.image.pullSecrets.length > 0
              ? { imagePullSecrets: cluster.image.pullSecrets.map((s) => ({ name: s.name })) } : {}),
            containers: [this.container(props.eventLog, resources)],
            volumes: [
              ...cluster.clientVolumes(),
              { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('4Gi') } },
              ...(props.eventLog?.volumes() ?? []),
            ],
          },
        },
      },
    });
    guardArgumentsAndConf(this, props);
    this.registerJob();
  }

  /** The job's own Spark configuration, passed as `--conf` (the cluster's comes from its ConfigMap), with what addSparkConf added so far. */
  public get sparkConf(): SparkConf {
    return this.conf;
  }

  protected applyArgument(argument: string): void {
    this.appArgs.push(argument);
    this.renderCommand();
  }

  protected applySparkConf(key: string, value: string): void {
    const conf = this.conf.merge(new SparkConf().set(key, value, `${this.node.path} addSparkConf`), this);
    this.cluster.clientConf.merge(conf, this);
    this.conf = conf;
    this.renderCommand();
  }

  /**
   * Refused: the driver's pod takes no volumes from the job (it gets the
   * cluster's client configuration only), and the executors run inside the
   * standalone workers, whose volumes are the cluster's.
   */
  protected applyVolumeMount(role: SparkPodRole, mount: SparkVolumeMount): void {
    check(false, this, `${role === SparkPodRole.DRIVER ? 'driver' : 'executor'}.volumeMounts`, mount?.volume?.name,
      'no volume mounts on a standalone job: its executors run in the cluster\'s workers, which take no volumes from a job; '
      + 'run it with SparkSubmitJob or SparkApplication to mount volumes');
  }

  protected applyEnv(role: SparkPodRole, name: string, value: EnvValue): void {
    check(ENV_NAME.test(name), this, `${role}.env`, name,
      'an environment variable name of letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
    if (role === SparkPodRole.DRIVER) {
      // The driver is the Job's container: its env array is rendered at synth.
      check(!this.env.some((e) => e.name === name), this, 'driver.env', name, 'a variable the cluster, the job or an earlier add does not set');
      this.env.push({
        name,
        ...(value.value !== undefined ? { value: value.value } : {}),
        ...(value.valueFrom !== undefined ? { valueFrom: value.valueFrom } : {}),
      });
      return;
    }
    // Executors run on the cluster's workers: the driver passes them spark.executorEnv.* (literal values only).
    check(value.value !== undefined, this, 'executor.env', name,
      'a literal value: executors on a standalone cluster get variables through spark.executorEnv, which cannot reference Secrets');
    this.applySparkConf(`spark.executorEnv.${name}`, value.value!);
  }

  /** Rebuilds the command in place: the Job renders the same array at synth. */
  private renderCommand(): void {
    this.command.splice(0, this.command.length, ...this.args, ...this.conf.toArgs(), ...this.appArgs);
  }

  private container(eventLog: EventLogStore | undefined, resources: k8s.ResourceRequirements): k8s.Container {
    const cluster = this.cluster;
    const uid = cluster.image.uid;
    return {
      name: 'spark-submit',
      image: cluster.image.imageFor(this),
      imagePullPolicy: cluster.image.pullPolicy,
      command: this.command,
      env: this.env,
      ports: [
        containerPort('driver-rpc', DRIVER_PORT),
        containerPort('blockmanager', DRIVER_BLOCK_MANAGER_PORT),
        containerPort('spark-ui', 4040),
      ],
      resources,
      securityContext: SecurityDefaults.restrictedContainer({ runAsUser: uid, runAsGroup: uid, readOnlyRootFilesystem: true }),
      volumeMounts: [
        ...cluster.clientVolumeMounts(),
        { name: 'tmp', mountPath: '/tmp' },
        ...(eventLog?.volumeMounts() ?? []),
      ],
    };
  }
}

/** True for a standalone cluster as drivers see it (any object with its members, from any copy of the library). */
function isStandaloneCluster(x: any): x is ISparkStandaloneCluster {
  return typeof x === 'object' && x !== null && typeof x.masterUrl === 'string' && typeof x.namespace === 'string'
    && typeof x.clientEnv === 'function' && typeof x.componentLabels === 'function';
}

function checkApplication(scope: Construct, props: SparkStandaloneSubmitOptions): void {
  check(typeof props.mainApplicationFile === 'string' && APPLICATION_FILE.test(props.mainApplicationFile), scope,
    'mainApplicationFile', props.mainApplicationFile,
    'a URI such as "local:///opt/spark/examples/jars/spark-examples.jar", "https://...", "s3a://..." or an absolute path');
  // The submit pod (the driver) runs with no cloud identity of its own.
  check(props.eventLog?.workloadIdentity === undefined, scope, 'eventLog', props.eventLog?.logDirectory,
    'a store reached without workload identity (credentials from a Secret, a volume, HDFS): the submit pod runs with no cloud identity');
  if (props.mainClass !== undefined) {
    check(JAVA_CLASS.test(props.mainClass), scope, 'mainClass', props.mainClass, 'a Java class name such as "org.apache.spark.examples.SparkPi"');
  }
  for (const arg of props.arguments ?? []) {
    check(typeof arg === 'string' && !/[\0]/.test(arg), scope, 'arguments', arg, 'strings without NUL characters');
  }
}

function checkExecutors(job: SparkStandaloneSubmit, props: SparkStandaloneSubmitProps, executorMemory: SparkMemory): void {
  const cluster = props.cluster;
  check(!executorMemory.isGreaterThan(cluster.workerMemory), job, 'executorMemory', executorMemory.toSparkString(),
    `at most the workers' memory (${cluster.workerMemory.toSparkString()}): no worker could start a larger executor, `
    + 'and the application would wait forever');
  if (props.executorCores !== undefined) {
    check(Number.isInteger(props.executorCores) && props.executorCores >= 1 && props.executorCores <= cluster.workerCores,
      job, 'executorCores', props.executorCores,
      `a whole number from 1 to the workers' cores (${cluster.workerCores}); no worker could start a larger executor`);
  }
  if (props.totalExecutorCores !== undefined) {
    check(Number.isInteger(props.totalExecutorCores) && props.totalExecutorCores >= 1, job, 'totalExecutorCores',
      props.totalExecutorCores, 'a whole number of at least 1');
  }
}

function driverResources(scope: Construct, props: SparkStandaloneSubmitOptions, driverMemory: SparkMemory): k8s.ResourceRequirements {
  const driverContainerMemory = SparkMemory.containerMemoryFor(driverMemory);
  const givenLimit = props.resources?.memory?.limit;
  if (givenLimit !== undefined) {
    check(floorMebibytes(givenLimit) >= driverContainerMemory.toMebibytes(), scope, 'resources.memory.limit',
      `${floorMebibytes(givenLimit)} MiB`, `at least ${driverContainerMemory.toMebibytes()} MiB: the driver heap `
      + `(${driverMemory.toSparkString()}) plus Spark's overhead (max(10 %, 384 MiB))`);
  }
  return renderResources(scope, 'resources', props.resources, {
    cpuRequest: Cpu.millis(500),
    cpuLimit: Cpu.units(1),
    memoryRequest: driverContainerMemory.toSize(),
    memoryLimit: driverContainerMemory.toSize(),
  });
}
