import { Size, Yaml } from 'cdk8s';
import { Cpu, EnvValue, k8s, Volume } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  clusterModeScript, DRIVER_TEMPLATE_FILE, EXECUTOR_TEMPLATE_FILE, OWNER_NAME_PLACEHOLDER, OWNER_UID_PLACEHOLDER, SCRIPT_ENV, SCRIPT_FILE,
} from './script';
import {
  clientModeDriverConf, clientModeDriverPodNameArgs, clientModeDriverService, DRIVER_POD_NAME_ENV, driverPodNameEnv, IN_CLUSTER_MASTER,
} from '../../../core/client-mode';
import { check, invalidInput } from '../../../core/errors';
import { requireJobImageFacts } from '../../../core/image-facts';
import { JOB_PROP_CONF_KEYS } from '../../../core/job-conf-keys';
import { StandardLabels } from '../../../core/labels';
import { renderResources } from '../../../core/resources';
import { SecurityDefaults } from '../../../core/security';
import { SparkConf } from '../../../core/spark-conf';
import { SparkImage } from '../../../core/spark-image';
import { SparkMemory } from '../../../core/spark-memory';
import { enumValue, unprivilegedPort, wholeSeconds } from '../../../core/validate';
import { DeployMode, SparkApplicationType } from '../../spark-job-spec';
import type { SparkPodProps } from '../../spark-job-spec';
import type { ISparkServiceAccount } from '../../spark-service-account';
import type { SparkSubmitJobSpecProps } from '../../spark-submit-job-spec';

type Json = { [key: string]: any };

/** Where the ConfigMap (pod templates, wrapper script) is mounted in the submit pod. */
export const CONFIG_DIR = '/etc/spark-submit';
/** Where the wrapper writes the driver pod template it completes (on the /tmp emptyDir). */
export const WORK_DIR = '/tmp/spark-submit';
const SUBMIT_CONTAINER = 'spark-submit';
const DRIVER_CONTAINER = 'spark-kubernetes-driver';
const EXECUTOR_CONTAINER = 'spark-kubernetes-executor';
const LABEL_NAME = 'spark-submit-job';

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

// A URI with a scheme: `local:///opt/...`, `https://...`, `s3a://bucket/key`.
const URI = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(\S+)$/;
const CLASS_NAME = /^[\p{L}_$][\p{L}\p{N}_$]*(\.[\p{L}_$][\p{L}\p{N}_$]*)*$/u;
const MAVEN = /^[^:\s,]+:[^:\s,]+:[^:\s,]+$/;
const MAVEN_EXCLUDE = /^[^:\s,]+:[^:\s,]+$/;
const CPU_QUANTITY = /^(\d+(\.\d+)?|\.\d+)m?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const PVC_CLAIM_CONF = /^spark\.kubernetes\.driver\.volumes\.persistentVolumeClaim\.[^.]+\.options\.claimName$/;

/** The identity of the job, resolved by the job itself. */
export interface SubmitIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly driverServiceAccount: ISparkServiceAccount;
}

/** Everything both forms of the Job share. */
export interface RenderedSubmit {
  readonly mode: DeployMode;
  /** Labels of the Job or CronJob. */
  readonly labels: { [key: string]: string };
  readonly jobSpec: k8s.JobSpec;
  readonly serviceAccount?: k8s.KubeServiceAccount;
  readonly role?: k8s.KubeRole;
  readonly roleBinding?: k8s.KubeRoleBinding;
  readonly configMap: k8s.KubeConfigMap;
  readonly driverService?: k8s.KubeService;
  /** The configuration passed to spark-submit (besides the per-run driver pod name), as it is now. */
  conf(): SparkConf;
  /** Appends an argument of the application (checked by the caller). */
  addArgument(argument: string): void;
  /** Adds a Spark conf key, checked as the sparkConf prop's keys are. */
  addSparkConf(key: string, value: string): void;
  /** Adds an environment variable of the driver or the executors. */
  addEnv(role: 'driver' | 'executor', name: string, value: EnvValue): void;
}

/**
 * Renders the resources of a spark-submit Job under `scope` (ServiceAccount
 * and RBAC of the submitter, the ConfigMap of pod templates, the client-mode
 * driver Service) and returns the Job spec that runs the submission.
 */
export function renderSubmit(scope: Construct, props: SparkSubmitJobSpecProps, identity: SubmitIdentity): RenderedSubmit {
  const { name, namespace, driverServiceAccount } = identity;
  const image = props.image ?? SparkImage.apache();
  const mode = props.mode ?? DeployMode.CLUSTER;
  check(mode === DeployMode.CLUSTER || mode === DeployMode.CLIENT, scope, 'mode', mode, 'DeployMode.CLUSTER or DeployMode.CLIENT');
  const client = mode === DeployMode.CLIENT;
  check(client || props.clientMode === undefined, scope, 'clientMode', props.clientMode, 'clientMode only together with mode: DeployMode.CLIENT');
  check(!client || props.submitterResources === undefined, scope, 'submitterResources', props.submitterResources,
    'no submitter resources in client mode: the submit pod is the driver, size it with the driver props');
  const source = `${scope.node.path} props`;

  checkApplication(scope, props, client);
  const deps = props.deps ?? {};
  requireJobImageFacts(scope, image, {
    loginBy: client ? 'spark-submit with the driver, and the executors,' : 'spark-submit, the driver and the executors',
    submitWrapper: !client,
    eventLog: props.eventLog,
    uris: [props.mainApplicationFile, ...(deps.jars ?? []), ...(deps.files ?? []), ...(deps.pyFiles ?? []), ...(deps.archives ?? [])],
    packages: deps.packages,
    conf: props.sparkConf,
  });
  const job = jobSettings(scope, props);
  const driver: SparkPodProps = props.driver ?? {};
  const executor = props.executor ?? {};
  const nonJvm = props.type === SparkApplicationType.PYTHON || props.type === SparkApplicationType.R;
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

  const labels = StandardLabels.of(scope, { name: LABEL_NAME, instance: name });
  const driverLabels = labels.forComponent(scope, 'driver');
  const resourceName = `${name}-submit`;
  const driverServiceName = `${name}-driver`;

  // --- Spark configuration -------------------------------------------------
  const conf = new SparkConf();
  let ports: { driver: number; blockManager: number; ui?: number } | undefined;
  if (client) {
    ports = clientPorts(scope, props);
    const driverConf = clientModeDriverConf({
      serviceName: driverServiceName,
      namespace,
      selector: driverLabels.selector(),
      labels: driverLabels.all(),
      ports,
    }, source);
    for (const key of driverConf.keys) {
      conf.set(key, driverConf.get(key)!, source);
    }
  } else {
    conf.set('spark.master', IN_CLUSTER_MASTER, source)
      .set('spark.submit.deployMode', 'cluster', source)
      .set('spark.kubernetes.namespace', namespace, source)
      .setBoolean('spark.kubernetes.submission.waitAppCompletion', true, source)
      .set('spark.kubernetes.driver.podTemplateFile', `${WORK_DIR}/${DRIVER_TEMPLATE_FILE}`, source)
      .set('spark.kubernetes.driver.podTemplateContainerName', DRIVER_CONTAINER, source);
  }
  conf.set('spark.app.name', name, source)
    .set('spark.kubernetes.container.image', image.imageFor(scope), source)
    .set('spark.kubernetes.container.image.pullPolicy', image.pullPolicy, source);
  if (image.pullSecrets.length > 0) {
    conf.set('spark.kubernetes.container.image.pullSecrets', image.pullSecrets.map((s) => s.name).join(','), source);
  }
  conf.set('spark.kubernetes.authenticate.driver.serviceAccountName', driverServiceAccount.name, source)
    .set('spark.kubernetes.executor.podTemplateFile', `${CONFIG_DIR}/${EXECUTOR_TEMPLATE_FILE}`, source)
    .set('spark.kubernetes.executor.podTemplateContainerName', EXECUTOR_CONTAINER, source);
  podConf(conf, 'driver', driver, client, source);
  podConf(conf, 'executor', executor, false, source);
  if (props.memoryOverheadFactor !== undefined) {
    const factor = String(props.memoryOverheadFactor);
    if (image.isAtLeast(3, 3)) {
      conf.set('spark.driver.memoryOverheadFactor', factor, source).set('spark.executor.memoryOverheadFactor', factor, source);
    } else {
      conf.set('spark.kubernetes.memoryOverheadFactor', factor, source);
    }
  }
  executorCountConf(scope, conf, props, source);
  depsConf(scope, conf, props, client, source);
  // Spark copies spark.hadoop.<key> into the Hadoop configuration (apache/spark
  // docs/configuration.md, "Custom Hadoop/Hive Configuration").
  for (const [key, value] of Object.entries(props.hadoopConf ?? {})) {
    check(!key.startsWith('spark.hadoop.'), scope, 'hadoopConf key', key, 'a Hadoop key without the "spark.hadoop." prefix, which the construct adds');
    conf.set(`spark.hadoop.${key}`, value, `${source} hadoopConf`);
  }
  // spark.kubernetes.node.selector.<label> applies to the driver and the executors
  // (apache/spark docs/running-on-kubernetes.md); in client mode the driver is the
  // submit pod, whose own nodeSelector gets the labels below.
  for (const [label, value] of Object.entries(props.nodeSelector ?? {})) {
    conf.set(`spark.kubernetes.node.selector.${label}`, value, `${source} nodeSelector`);
  }

  // Event log: the driver writes it, so its credentials and volume go to the
  // driver — as Secret references and a claim, never as literal values.
  const eventLogEnv: k8s.EnvVar[] = [];
  const eventLogVolumes: k8s.Volume[] = [];
  const eventLogMounts: k8s.VolumeMount[] = [];
  let merged = conf;
  if (props.eventLog) {
    const store = props.eventLog;
    merged = merged.merge(store.jobConf(props.eventLogOptions ?? {}), scope);
    if (client) {
      eventLogEnv.push(...store.env());
      eventLogVolumes.push(...store.volumes());
      eventLogMounts.push(...store.volumeMounts());
    } else {
      const storeConf = new SparkConf();
      const storeSource = `EventLogStore ${store.logDirectory}`;
      for (const e of store.env()) {
        const ref = e.valueFrom?.secretKeyRef;
        check(ref !== undefined, scope, 'eventLog', e.name, 'a store whose environment comes from Secret keys');
        storeConf.set(`spark.kubernetes.driver.secretKeyRef.${e.name}`, `${ref!.name}:${ref!.key}`, storeSource);
      }
      const mounts = store.volumeMounts();
      for (const v of store.volumes()) {
        const claim = v.persistentVolumeClaim;
        check(claim !== undefined || v.emptyDir !== undefined, scope, 'eventLog', v.name,
          'a store whose volumes are PersistentVolumeClaims or emptyDirs');
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
      merged = merged.merge(storeConf, scope);
    }
  }
  const checkUserKeys = (userConf: SparkConf) => {
    for (const key of userConf.keys) {
      const instead = MANAGED_KEYS[key];
      check(instead === undefined, scope, 'sparkConf key', key, `the key is managed by the construct; set it through ${instead}`);
    }
  };
  if (props.sparkConf) {
    checkUserKeys(props.sparkConf);
    merged = merged.merge(props.sparkConf, scope);
  }
  // Defaults the user conf (or addSparkConf) may override.
  const finalConf = (): SparkConf => {
    if (!client && !merged.has('spark.kubernetes.report.interval')) {
      // spark-submit logs the driver's phase at this interval while it waits (1s by default).
      return merged.merge(new SparkConf().set('spark.kubernetes.report.interval', '30s', source));
    }
    return merged;
  };

  // --- Pod templates ---------------------------------------------------------
  // The templates are rendered again (in place: the ConfigMap renders this
  // object at synth) when addDriverEnv or addExecutorEnv adds a variable.
  const podEnv = { driver: { ...(driver.env ?? {}) }, executor: { ...(executor.env ?? {}) } };
  const data: { [file: string]: string } = client ? {} : { [SCRIPT_FILE]: clusterModeScript() };
  const renderTemplates = () => {
    if (!client) {
      const owner = { apiVersion: 'v1', kind: 'Pod', name: OWNER_NAME_PLACEHOLDER, uid: OWNER_UID_PLACEHOLDER };
      data[DRIVER_TEMPLATE_FILE] = Yaml.stringify(podTemplate(scope, 'driver', { ...driver, env: podEnv.driver }, image, driverLabels.all(),
        DRIVER_CONTAINER, { owner }));
    }
    data[EXECUTOR_TEMPLATE_FILE] = Yaml.stringify(podTemplate(scope, 'executor', { ...executor, env: podEnv.executor }, image,
      labels.forComponent(scope, 'executor').all(), EXECUTOR_CONTAINER, { automountServiceAccountToken: false }));
  };
  renderTemplates();
  const configMap = new k8s.KubeConfigMap(scope, 'ConfigMap', {
    metadata: { name: resourceName, namespace, labels: labels.all() },
    data,
  });

  // --- Submitter identity (cluster mode) -----------------------------------
  const rules: k8s.PolicyRule[] = [];
  let serviceAccount: k8s.KubeServiceAccount | undefined;
  let role: k8s.KubeRole | undefined;
  let roleBinding: k8s.KubeRoleBinding | undefined;
  if (!client) {
    const metadata = { name: resourceName, namespace, labels: labels.forComponent(scope, 'submitter').all() };
    serviceAccount = new k8s.KubeServiceAccount(scope, 'ServiceAccount', { metadata });
    role = new k8s.KubeRole(scope, 'Role', { metadata, rules });
    roleBinding = new k8s.KubeRoleBinding(scope, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: resourceName },
      subjects: [{ kind: 'ServiceAccount', name: resourceName, namespace }],
    });
  }

  // --- Submit pod ------------------------------------------------------------
  // The arguments and the Role's rules are arrays the objects render at synth:
  // addArgument and addSparkConf rebuild them in place.
  const userArgs = [...(props.arguments ?? [])];
  const args: string[] = [];
  const renderArgs = () => {
    const current = finalConf();
    args.splice(0, args.length,
      '--master', current.get('spark.master')!,
      '--deploy-mode', current.get('spark.submit.deployMode')!,
      // Unique per run: the kubelet expands the submit pod's own name here.
      ...clientModeDriverPodNameArgs(),
      // Everything else reaches spark-submit verbatim. --proxy-user: spark-submit
      // impersonates the user (SparkSubmitArguments; SPARK-25355 passes it on to
      // a Kubernetes cluster-mode driver).
      ...[
        ...(props.proxyUser !== undefined ? ['--proxy-user', props.proxyUser] : []),
        ...(props.mainClass !== undefined ? ['--class', props.mainClass] : []),
        ...confArgs(current),
        props.mainApplicationFile,
        ...userArgs,
      ].map(literal));
    if (!client) {
      rules.splice(0, rules.length, ...submitterRules(image, current));
    }
  };
  renderArgs();

  const podVolumes: k8s.Volume[] = [
    { name: 'tmp', emptyDir: {} },
    { name: 'spark-submit', configMap: { name: resourceName, defaultMode: 0o444 } },
  ];
  const mounts: k8s.VolumeMount[] = [
    { name: 'tmp', mountPath: '/tmp' },
    { name: 'spark-submit', mountPath: CONFIG_DIR, readOnly: true },
  ];
  const fieldEnv = (envName: string, fieldPath: string): k8s.EnvVar => ({ name: envName, valueFrom: { fieldRef: { fieldPath } } });
  // Ivy (deps.packages) and the JVM write under $HOME, which the image does not provide writable.
  const env: k8s.EnvVar[] = [{ name: 'HOME', value: '/tmp' }];
  let container: k8s.Container;
  let pod: Json = {};
  if (client) {
    env.push(driverPodNameEnv(), ...eventLogEnv, ...userEnv(driver));
    podVolumes.push(...eventLogVolumes, ...userVolumes(scope, 'driver', driver));
    mounts.push(...eventLogMounts, ...userMounts(driver));
    const memory = SparkMemory.containerMemoryFor(driver.memory ?? SparkMemory.mebibytes(512), {
      overhead: driver.memoryOverhead,
      factor: props.memoryOverheadFactor ?? (nonJvm ? 0.4 : undefined),
    });
    container = {
      name: SUBMIT_CONTAINER,
      image: image.imageFor(scope),
      imagePullPolicy: image.pullPolicy,
      command: ['/opt/spark/bin/spark-submit'],
      args,
      env,
      envFrom: userEnvFrom(driver),
      ports: [
        { name: 'driver-rpc', containerPort: ports!.driver, protocol: 'TCP' },
        { name: 'blockmanager', containerPort: ports!.blockManager, protocol: 'TCP' },
        ...(ports!.ui !== undefined ? [{ name: 'spark-ui', containerPort: ports!.ui, protocol: 'TCP' }] : []),
      ],
      resources: {
        requests: {
          cpu: k8s.Quantity.fromString(driver.coreRequest ?? String(driver.cores ?? 1)),
          memory: k8s.Quantity.fromString(memory.toQuantity()),
        },
        limits: {
          ...(driver.coreLimit !== undefined ? { cpu: k8s.Quantity.fromString(driver.coreLimit) } : {}),
          memory: k8s.Quantity.fromString(memory.toQuantity()),
        },
      },
      securityContext: driver.securityContext ?? SecurityDefaults.restrictedContainer({ runAsUser: image.uid }),
      volumeMounts: mounts,
    };
    pod = {
      nodeSelector: driver.nodeSelector ?? (props.nodeSelector ? { ...props.nodeSelector } : undefined),
      tolerations: driver.tolerations,
      affinity: driver.affinity,
      priorityClassName: driver.priorityClassName,
    };
  } else {
    env.push(
      fieldEnv(SCRIPT_ENV.podName, 'metadata.name'),
      fieldEnv(SCRIPT_ENV.podUid, 'metadata.uid'),
      fieldEnv(SCRIPT_ENV.namespace, 'metadata.namespace'),
      { name: DRIVER_POD_NAME_ENV, value: `$(${SCRIPT_ENV.podName})-driver` },
      { name: SCRIPT_ENV.configDir, value: CONFIG_DIR },
      { name: SCRIPT_ENV.workDir, value: WORK_DIR },
      // spark-submit's JVM gets no -Xmx in cluster mode: size its heap by the container.
      { name: 'SPARK_SUBMIT_OPTS', value: '-XX:MaxRAMPercentage=75.0' },
    );
    container = {
      name: SUBMIT_CONTAINER,
      image: image.imageFor(scope),
      imagePullPolicy: image.pullPolicy,
      command: ['/bin/bash', `${CONFIG_DIR}/${SCRIPT_FILE}`],
      args,
      env,
      resources: renderResources(scope, 'submitterResources', props.submitterResources, {
        cpuRequest: Cpu.millis(100),
        cpuLimit: Cpu.units(1),
        memoryRequest: Size.mebibytes(512),
        memoryLimit: Size.mebibytes(512),
      }),
      securityContext: SecurityDefaults.restrictedContainer({ runAsUser: image.uid }),
      volumeMounts: mounts,
    };
  }

  const podLabels = client
    ? { ...driverLabels.all(), ...(driver.labels ?? {}) }
    : labels.forComponent(scope, 'submitter').all();
  const podTemplateSpec: k8s.PodTemplateSpec = {
    metadata: {
      labels: podLabels,
      ...(client && driver.annotations ? { annotations: driver.annotations } : {}),
    },
    spec: {
      serviceAccountName: client ? driverServiceAccount.name : resourceName,
      // The submit pod talks to the API server: that is its job.
      automountServiceAccountToken: true,
      enableServiceLinks: false,
      restartPolicy: 'Never',
      securityContext: (client ? driver.podSecurityContext : undefined) ?? SecurityDefaults.restrictedPod({ runAsUser: image.uid }),
      imagePullSecrets: image.pullSecrets.length > 0 ? image.pullSecrets.map((s) => ({ name: s.name })) : undefined,
      containers: [container],
      volumes: podVolumes,
      ...pod,
    },
  };

  let driverService: k8s.KubeService | undefined;
  if (client) {
    driverService = clientModeDriverService(scope, 'DriverService', {
      serviceName: driverServiceName,
      namespace,
      selector: driverLabels.selector(),
      labels: driverLabels.all(),
      ports: ports!,
    });
  }

  return {
    mode,
    labels: labels.all(),
    jobSpec: {
      backoffLimit: job.backoffLimit,
      activeDeadlineSeconds: job.activeDeadlineSeconds,
      ttlSecondsAfterFinished: job.ttlSecondsAfterFinished,
      podFailurePolicy: props.podFailurePolicy,
      template: podTemplateSpec,
    },
    conf: finalConf,
    addArgument: (argument) => {
      userArgs.push(argument);
      renderArgs();
    },
    addEnv: (podRole, envName, value) => {
      check(ENV_NAME.test(envName), scope, `${podRole}.env`, envName,
        'an environment variable name of letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
      check(podEnv[podRole][envName] === undefined, scope, `${podRole}.env`, envName, 'a variable not set yet (by the props or an earlier add)');
      podEnv[podRole][envName] = value;
      if (client && podRole === 'driver') {
        // The submit pod is the driver: its container's env, rendered at synth.
        env.push(...userEnv({ env: { [envName]: value } }));
      } else {
        renderTemplates();
      }
    },
    addSparkConf: (key, value) => {
      const added = new SparkConf().set(key, value, `${scope.node.path} addSparkConf`);
      checkUserKeys(added);
      requireJobImageFacts(scope, image, { loginBy: 'spark-submit, the driver and the executors', conf: added });
      merged = merged.merge(added, scope);
      renderArgs();
    },
    serviceAccount,
    role,
    roleBinding,
    configMap,
    driverService,
  };
}

/** The Job-level settings, checked. */
function jobSettings(scope: Construct, props: SparkSubmitJobSpecProps) {
  const backoffLimit = props.backoffLimit ?? 0;
  check(Number.isInteger(backoffLimit) && backoffLimit >= 0 && backoffLimit < 2 ** 31, scope, 'backoffLimit', backoffLimit,
    'a whole number of retries, at least 0 (each retry runs the application again)');
  return {
    backoffLimit,
    activeDeadlineSeconds: props.activeDeadline !== undefined ? wholeSeconds(scope, 'activeDeadline', props.activeDeadline) : undefined,
    ttlSecondsAfterFinished: props.ttlAfterFinished !== undefined ? wholeSeconds(scope, 'ttlAfterFinished', props.ttlAfterFinished, { min: 0 }) : undefined,
  };
}

function checkApplication(scope: Construct, props: SparkSubmitJobSpecProps, client: boolean): void {
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

function checkUri(scope: Construct, property: string, value: string, client: boolean): void {
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
    check(ENV_NAME.test(envName), scope, `${role}.env`, envName,
      'an environment variable name of letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
  }
  for (const m of p.volumeMounts ?? []) {
    check(typeof m.path === 'string' && m.path.startsWith('/'), scope, `${role}.volumeMounts`, m.path, 'an absolute mount path');
  }
}

/** Client-mode ports with their defaults, checked: unprivileged and distinct. */
function clientPorts(scope: Construct, props: SparkSubmitJobSpecProps) {
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

function executorCountConf(scope: Construct, conf: SparkConf, props: SparkSubmitJobSpecProps, source: string): void {
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
    // No external shuffle service on Kubernetes: keep executors holding shuffle data.
    .setBoolean('spark.dynamicAllocation.shuffleTracking.enabled', true, source)
    .setInteger('spark.dynamicAllocation.minExecutors', min, source)
    .setInteger('spark.dynamicAllocation.maxExecutors', da.maxExecutors, source);
  if (da.initialExecutors !== undefined) {
    conf.setInteger('spark.dynamicAllocation.initialExecutors', da.initialExecutors, source);
  }
  if (da.shuffleTrackingTimeout !== undefined) {
    conf.setDuration('spark.dynamicAllocation.shuffleTracking.timeout', da.shuffleTrackingTimeout, source);
  }
}

function depsConf(scope: Construct, conf: SparkConf, props: SparkSubmitJobSpecProps, client: boolean, source: string): void {
  const deps = props.deps ?? {};
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
 * The submitter's permissions, from what spark-submit does in cluster mode:
 * create the driver pod and watch it to its end (the wrapper then reads its
 * phase), create the driver's ConfigMaps (its conf, the executor pod
 * template) and Service, and delete them again when a later step fails.
 * Spark 4 applies the ConfigMaps and the Service server-side (patch);
 * Spark 3 creates or replaces them (update).
 */
function submitterRules(image: SparkImage, conf: SparkConf): k8s.PolicyRule[] {
  const apply = ['create', 'delete', 'get', 'patch', ...(image.isAtLeast(4, 0) ? [] : ['update'])];
  const rules: k8s.PolicyRule[] = [
    { apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['configmaps', 'services'], verbs: apply },
  ];
  // Driver volumes with claimName OnDemand / SPARK_EXTRA are claims the submitter creates.
  if (conf.keys.some((key) => PVC_CLAIM_CONF.test(key) && ['OnDemand', 'SPARK_EXTRA'].includes(conf.get(key)!))) {
    rules.push({ apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: apply });
  }
  return rules;
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

/** Protects `$(NAME)` from the kubelet's expansion of container arguments. */
function literal(arg: string): string {
  return arg.replace(/\$\(/g, () => '$$(');
}

interface TemplateExtras {
  readonly owner?: Json;
  readonly automountServiceAccountToken?: boolean;
}

/**
 * The pod template of the driver or the executors: the user's template (if
 * any) with the props applied on top and restricted security contexts unless
 * given. Spark keeps what it does not set itself (security contexts,
 * volumes, scheduling, owner references).
 */
function podTemplate(scope: Construct, role: 'driver' | 'executor', p: SparkPodProps, image: SparkImage,
  labels: { [key: string]: string }, containerName: string, extras: TemplateExtras): Json {
  const base: Json = (p.template ? k8s.toJson_PodTemplateSpec(p.template) : undefined) ?? {};
  const metadata: Json = { ...(base.metadata ?? {}) };
  metadata.labels = { ...(metadata.labels ?? {}), ...labels, ...(p.labels ?? {}) };
  if (p.annotations || metadata.annotations) {
    metadata.annotations = { ...(metadata.annotations ?? {}), ...(p.annotations ?? {}) };
  }
  if (extras.owner) {
    // Without blockOwnerDeletion: setting that would need the finalizers subresource of the owner.
    metadata.ownerReferences = [...(metadata.ownerReferences ?? []), extras.owner];
  }
  const spec: Json = { ...(base.spec ?? {}) };
  const containers: Json[] = [...(spec.containers ?? [])];
  let index = containers.findIndex((c) => c.name === containerName);
  if (index < 0) {
    containers.unshift({ name: containerName });
    index = 0;
  }
  const c: Json = { ...containers[index] };
  c.securityContext = p.securityContext ? k8s.toJson_SecurityContext(p.securityContext)
    // Spark's entrypoint writes under /tmp and its work dir: the root filesystem stays writable.
    : c.securityContext ?? k8s.toJson_SecurityContext(SecurityDefaults.restrictedContainer({ runAsUser: image.uid, readOnlyRootFilesystem: false }));
  const env = [...(c.env ?? []), ...userEnv(p).map((e) => k8s.toJson_EnvVar(e))];
  if (env.length) c.env = env;
  const envFrom = [...(c.envFrom ?? []), ...userEnvFrom(p).map((e) => k8s.toJson_EnvFromSource(e))];
  if (envFrom.length) c.envFrom = envFrom;
  const mounts = [...(c.volumeMounts ?? []), ...userMounts(p).map((m) => k8s.toJson_VolumeMount(m))];
  if (mounts.length) c.volumeMounts = mounts;
  containers[index] = c;
  spec.containers = containers;

  const volumes = [...(spec.volumes ?? []), ...userVolumes(scope, role, p).map((v) => k8s.toJson_Volume(v))];
  if (volumes.length) spec.volumes = volumes;
  spec.securityContext = p.podSecurityContext ? k8s.toJson_PodSecurityContext(p.podSecurityContext)
    : spec.securityContext ?? k8s.toJson_PodSecurityContext(SecurityDefaults.restrictedPod({ runAsUser: image.uid }));
  if (extras.automountServiceAccountToken !== undefined && spec.automountServiceAccountToken === undefined) {
    // Executors never call the API server.
    spec.automountServiceAccountToken = extras.automountServiceAccountToken;
  }
  if (p.nodeSelector) spec.nodeSelector = { ...p.nodeSelector };
  if (p.tolerations) spec.tolerations = p.tolerations.map((t) => k8s.toJson_Toleration(t));
  if (p.affinity) spec.affinity = k8s.toJson_Affinity(p.affinity);
  if (p.priorityClassName) spec.priorityClassName = p.priorityClassName;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function isEmpty(map: { [key: string]: string } | undefined): boolean {
  return map === undefined || Object.keys(map).length === 0;
}

function userEnv(p: SparkPodProps): k8s.EnvVar[] {
  return Object.entries(p.env ?? {}).map(([envName, value]) => ({
    name: envName,
    ...(value.value !== undefined ? { value: value.value } : {}),
    ...(value.valueFrom !== undefined ? { valueFrom: value.valueFrom } : {}),
  }));
}

function userEnvFrom(p: SparkPodProps): k8s.EnvFromSource[] {
  return [
    ...(p.envFromConfigMaps ?? []).map((cm) => ({ configMapRef: { name: cm.name } })),
    ...(p.envFromSecrets ?? []).map((secret) => ({ secretRef: { name: secret.name } })),
  ];
}

function userMounts(p: SparkPodProps): k8s.VolumeMount[] {
  return (p.volumeMounts ?? []).map((m) => ({
    name: m.volume.name,
    mountPath: m.path,
    ...(m.readOnly !== undefined ? { readOnly: m.readOnly } : {}),
    ...(m.subPath !== undefined ? { subPath: m.subPath } : {}),
  }));
}

function userVolumes(scope: Construct, role: string, p: SparkPodProps): k8s.Volume[] {
  const seen = new Map<string, Volume>();
  for (const m of p.volumeMounts ?? []) {
    const existing = seen.get(m.volume.name);
    if (existing !== undefined && existing !== m.volume) {
      throw invalidInput(scope, `${role}.volumeMounts`, m.volume.name, `volumes with distinct names; "${m.volume.name}" names two different volumes`);
    }
    seen.set(m.volume.name, m.volume);
  }
  return [...seen.values()].map((v) => v._toKube());
}
