import { Lazy } from 'cdk8s';
import { EnvValue, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkApplication, checkEnvName, checkMode, checkPods, clientPorts, jobSettings } from './checks';
import { submitArgs, SubmitConf } from './conf';
import { SubmitPodInput, submitPodTemplate } from './pod';
import { submitterRbac } from './rbac';
import { PodTemplates } from './templates';
import { ClientModeDriverOptions, ClientModeDriverPorts, clientModeDriverService } from '../../../core/client-mode';
import { check } from '../../../core/errors';
import { EventLogStore } from '../../../core/event-log-store';
import { requireJobImageFacts } from '../../../core/image-facts';
import { StandardLabels } from '../../../core/labels';
import { SparkConf } from '../../../core/spark-conf';
import { SparkImage } from '../../../core/spark-image';
import { PROMETHEUS_METRICS_LABEL, PROMETHEUS_METRICS_LABEL_VALUE } from '../../../core/spark-prometheus';
import { SparkVolumeMount } from '../../../core/volume-mount';
import { WorkloadIdentity } from '../../../core/workload-identity';
import { DeployMode } from '../../spark-job-spec';
import type { ISparkServiceAccount } from '../../spark-service-account';
import type { SparkSubmitJobSpecProps } from '../../spark-submit-job-spec';
import { jobShuffle } from '../shuffle';

const LABEL_NAME = 'spark-submit-job';

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
  /** The Job spec; its pod template is rendered at synth, with what the mutators added. */
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
  /** Adds a volume mount of the driver or the executors. */
  addVolumeMount(role: 'driver' | 'executor', mount: SparkVolumeMount): void;
}

/**
 * Renders the resources of a spark-submit Job under `scope` (ServiceAccount
 * and RBAC of the submitter, the ConfigMap of pod templates, the client-mode
 * driver Service) and returns the Job spec that runs the submission. What
 * the mutators may still change (arguments, conf, variables) is rendered at
 * synth: the submit pod, the templates and the submitter's Role.
 */
export function renderSubmit(scope: Construct, props: SparkSubmitJobSpecProps, identity: SubmitIdentity): RenderedSubmit {
  const { name, namespace, driverServiceAccount } = identity;
  const image = props.image ?? SparkImage.apache();
  const mode = checkMode(scope, props);
  const client = mode === DeployMode.CLIENT;
  checkInputs(scope, props, image, client);
  const job = jobSettings(scope, props);
  checkPods(scope, props, client);

  const labels = StandardLabels.of(scope, { name: LABEL_NAME, instance: name });
  const driverLabels = labels.forComponent(scope, 'driver');
  // Executors run as the driver's account: both pods carry what its identity needs.
  const identityLabels = podIdentityLabels(scope, props, driverServiceAccount);
  const resourceName = `${name}-submit`;
  const ports = client ? clientPorts(scope, props) : undefined;
  const metricsLabels = prometheusMetricsLabels(scope, props, ports);
  const clientDriver: ClientModeDriverOptions | undefined = ports && {
    serviceName: `${name}-driver`, namespace, selector: driverLabels.selector(), labels: driverLabels.all(), ports,
  };
  const conf = new SubmitConf({ scope, props, image, name, namespace, driverServiceAccountName: driverServiceAccount.name, clientDriver });

  const templates = new PodTemplates(scope, {
    driver: props.driver ?? {},
    executor: props.executor ?? {},
    image,
    driverLabels: { ...driverLabels.all(), ...identityLabels, ...metricsLabels },
    executorLabels: { ...labels.forComponent(scope, 'executor').all(), ...identityLabels },
    client,
  });
  const configMap = new k8s.KubeConfigMap(scope, 'ConfigMap', {
    metadata: { name: resourceName, namespace, labels: labels.all() },
    data: Lazy.any({ produce: () => templates.render() }),
  });
  const rbac = client ? undefined : submitterRbac(scope, {
    name: resourceName, namespace, labels: labels.forComponent(scope, 'submitter').all(),
  }, image, () => conf.current());

  const userArgs = [...(props.arguments ?? [])];
  const pod = (): SubmitPodInput => ({
    scope,
    props,
    image,
    resourceName,
    ports,
    driverServiceAccountName: driverServiceAccount.name,
    labels: client ? { ...driverLabels.all(), ...(props.driver?.labels ?? {}), ...identityLabels, ...metricsLabels }
      : labels.forComponent(scope, 'submitter').all(),
    args: submitArgs(props, conf.current(), userArgs),
    driverEnv: templates.env.driver,
    driverMounts: templates.mounts.driver,
  });
  // Rendered once now, so that bad input fails at construction, and again at synth.
  submitPodTemplate(pod());

  return {
    mode,
    labels: labels.all(),
    jobSpec: {
      backoffLimit: job.backoffLimit,
      activeDeadlineSeconds: job.activeDeadlineSeconds,
      ttlSecondsAfterFinished: job.ttlSecondsAfterFinished,
      podFailurePolicy: props.podFailurePolicy,
      template: Lazy.any({ produce: () => submitPodTemplate(pod()) }),
    },
    conf: () => conf.current(),
    addArgument: (argument) => {
      userArgs.push(argument);
    },
    addEnv: (podRole, envName, value) => {
      checkEnvName(scope, `${podRole}.env`, envName);
      templates.addEnv(podRole, envName, value);
    },
    addVolumeMount: (podRole, mount) => {
      templates.addVolumeMount(podRole, mount);
      if (client && podRole === 'driver') {
        // The submit pod is the driver: a clash with its own volumes fails now.
        try {
          submitPodTemplate(pod());
        } catch (e) {
          templates.mounts.driver.pop();
          throw e;
        }
      }
    },
    addSparkConf: (key, value) => conf.add(key, value),
    serviceAccount: rbac?.serviceAccount,
    role: rbac?.role,
    roleBinding: rbac?.roleBinding,
    configMap,
    driverService: clientDriver && clientModeDriverService(scope, 'DriverService', clientDriver),
  };
}

/**
 * The labels the identity of the driver's account needs on the driver and
 * executor pods, refusing driver or executor labels that contradict them.
 */
function podIdentityLabels(scope: Construct, props: SparkSubmitJobSpecProps, account: ISparkServiceAccount): { [key: string]: string } {
  WorkloadIdentity._podLabels(scope, 'driver.labels', props.driver?.labels, account.identity);
  WorkloadIdentity._podLabels(scope, 'executor.labels', props.executor?.labels, account.identity);
  // The driver writes the event log as this account.
  if (EventLogStore.isEventLogStore(props.eventLog)) {
    props.eventLog._checkIdentity(scope, 'serviceAccount', account.identity);
  }
  return { ...(account.identity?.podLabels ?? {}) };
}

/**
 * The label the PodMonitor of a SparkJobMonitoring selects, for the driver
 * (in client mode the submit pod, which must serve the UI), when the job
 * serves Prometheus metrics; a driver label that contradicts it is refused
 * (the driver props' labels are applied last).
 */
function prometheusMetricsLabels(scope: Construct, props: SparkSubmitJobSpecProps,
  ports: ClientModeDriverPorts | undefined): { [key: string]: string } {
  if (!props.prometheusMetrics) {
    return {};
  }
  check(ports === undefined || ports.ui !== undefined, scope, 'prometheusMetrics', true,
    'a driver that serves its web UI: in client mode clientMode.ui must stay true (the metrics are served there)');
  const given = props.driver?.labels?.[PROMETHEUS_METRICS_LABEL];
  check(given === undefined || given === PROMETHEUS_METRICS_LABEL_VALUE, scope, `driver.labels "${PROMETHEUS_METRICS_LABEL}"`, given,
    `"${PROMETHEUS_METRICS_LABEL_VALUE}" (prometheusMetrics labels the driver so; leave the label out)`);
  return { [PROMETHEUS_METRICS_LABEL]: PROMETHEUS_METRICS_LABEL_VALUE };
}

/** The application and what the image must hold for it. */
function checkInputs(scope: Construct, props: SparkSubmitJobSpecProps, image: SparkImage, client: boolean): void {
  checkApplication(scope, props, client);
  const deps = jobShuffle(scope, props, image).deps ?? {};
  requireJobImageFacts(scope, image, {
    loginBy: client ? 'spark-submit with the driver, and the executors,' : 'spark-submit, the driver and the executors',
    submitWrapper: !client,
    eventLog: props.eventLog,
    uris: [props.mainApplicationFile, ...(deps.jars ?? []), ...(deps.files ?? []), ...(deps.pyFiles ?? []), ...(deps.archives ?? [])],
    packages: deps.packages,
    conf: props.sparkConf,
    language: props.type,
  });
}
