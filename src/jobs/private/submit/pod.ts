import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isNonJvm } from './checks';
import { CONFIG_DIR, WORK_DIR } from './conf';
import { PodEnv, userEnv, userEnvFrom, userMounts, userVolumes } from './pod-props';
import { SCRIPT_ENV, SCRIPT_FILE } from './script';
import { ClientModeDriverPorts, DRIVER_POD_NAME_ENV, driverPodNameEnv } from '../../../core/client-mode';
import { check } from '../../../core/errors';
import { PodBuilder } from '../../../core/pod-builder';
import { resolvePodOptions } from '../../../core/pod-options';
import { resolvePodRuntime } from '../../../core/pod-runtime';
import { renderResources } from '../../../core/resources';
import { SparkImage } from '../../../core/spark-image';
import { SparkMemory } from '../../../core/spark-memory';
import type { SparkVolumeMount } from '../../../core/volume-mount';
import type { SparkSubmitJobSpecProps } from '../../spark-submit-job-spec';

// The submit pod: the pod of the Job, whose one container runs spark-submit.
// In cluster mode it runs the wrapper script under its own ServiceAccount; in
// client mode it is the driver itself, shaped by the driver props.

const SUBMIT_CONTAINER = 'spark-submit';
/**
 * The volumes the submit pod has of its own; a client-mode driver volume of
 * one of these names is refused, naming the prop.
 */
const OWN_VOLUMES = ['tmp', 'spark-submit'];

/** What the submit pod is made of, read when it is rendered. */
export interface SubmitPodInput {
  readonly scope: Construct;
  readonly props: SparkSubmitJobSpecProps;
  readonly image: SparkImage;
  /** The ConfigMap of templates (and script), also the submitter's ServiceAccount in cluster mode. */
  readonly resourceName: string;
  /** The client-mode driver's ports; undefined in cluster mode. */
  readonly ports?: ClientModeDriverPorts;
  /** The ServiceAccount of the driver (the submit pod's own in client mode). */
  readonly driverServiceAccountName: string;
  /** Labels of the pod. */
  readonly labels: { [key: string]: string };
  /** The arguments of spark-submit. */
  readonly args: string[];
  /** The driver's variables (client mode: they are the submit container's). */
  readonly driverEnv: PodEnv;
  /** The driver's volume mounts (client mode: they are the submit container's). */
  readonly driverMounts: SparkVolumeMount[];
}

/** The pod template of the Job. */
export function submitPodTemplate(input: SubmitPodInput): k8s.PodTemplateSpec {
  const pod = input.ports ? clientPod(input, input.ports) : clusterPod(input);
  pod.applyPodOptions(resolvePodOptions(input.scope, 'submitterPod', input.props.submitterPod));
  return pod.renderTemplate(input.labels);
}

function clusterPod(input: SubmitPodInput): PodBuilder {
  const { scope, image } = input;
  const pod = new PodBuilder(scope, {
    runAsUser: image.uid,
    pullSecrets: image.pullSecrets.map((s) => s.name),
    serviceAccountName: input.resourceName,
    // The submit pod talks to the API server: that is its job.
    automountServiceAccountToken: true,
    restartPolicy: 'Never',
  });
  const fieldEnv = (envName: string, fieldPath: string): k8s.EnvVar => ({ name: envName, valueFrom: { fieldRef: { fieldPath } } });
  const container = pod.addContainer({
    name: SUBMIT_CONTAINER,
    image: image.imageFor(scope),
    imagePullPolicy: image.pullPolicy,
    command: ['/bin/bash', `${CONFIG_DIR}/${SCRIPT_FILE}`],
    args: input.args,
    env: [
      // Tools that write under $HOME (the image's user has none). Not Ivy: the JVM takes
      // user.home from the passwd entry; spark.jars.ivy places Ivy's cache (core/ivy-cache.ts).
      { name: 'HOME', value: '/tmp' },
      fieldEnv(SCRIPT_ENV.podName, 'metadata.name'),
      fieldEnv(SCRIPT_ENV.podUid, 'metadata.uid'),
      fieldEnv(SCRIPT_ENV.namespace, 'metadata.namespace'),
      { name: DRIVER_POD_NAME_ENV, value: `$(${SCRIPT_ENV.podName})-driver` },
      { name: SCRIPT_ENV.configDir, value: CONFIG_DIR },
      { name: SCRIPT_ENV.workDir, value: WORK_DIR },
      // spark-submit's JVM gets no -Xmx in cluster mode: size its heap by the container.
      { name: 'SPARK_SUBMIT_OPTS', value: '-XX:MaxRAMPercentage=75.0' },
    ],
    resources: renderResources(scope, 'submitterResources', input.props.submitterResources, {
      cpuRequest: Cpu.millis(100),
      cpuLimit: Cpu.units(1),
      memoryRequest: Size.mebibytes(512),
      memoryLimit: Size.mebibytes(512),
    }),
  });
  addOwnVolumes(pod, container, input.resourceName);
  return pod;
}

function clientPod(input: SubmitPodInput, ports: ClientModeDriverPorts): PodBuilder {
  const { scope, image, props } = input;
  const driver = props.driver ?? {};
  const pod = new PodBuilder(scope, {
    runAsUser: image.uid,
    pullSecrets: image.pullSecrets.map((s) => s.name),
    serviceAccountName: input.driverServiceAccountName,
    // The driver creates and watches its executors.
    automountServiceAccountToken: true,
    restartPolicy: 'Never',
    // The submit pod is the driver: the user's driver contexts, if given, are its own.
    userPodSecurityContext: driver.podSecurityContext,
    nodeSelector: driver.nodeSelector ?? props.nodeSelector,
    tolerations: driver.tolerations,
    affinity: driver.affinity,
    priorityClassName: driver.priorityClassName,
    runtime: resolvePodRuntime(scope, 'driver', driver),
  });
  for (const [key, value] of Object.entries(driver.annotations ?? {})) {
    pod.addAnnotation(key, value);
  }
  const memory = SparkMemory.containerMemoryFor(driver.memory ?? SparkMemory.mebibytes(512), {
    overhead: driver.memoryOverhead,
    factor: props.memoryOverheadFactor ?? (isNonJvm(props) ? 0.4 : undefined),
  });
  const container = pod.addContainer({
    name: SUBMIT_CONTAINER,
    image: image.imageFor(scope),
    imagePullPolicy: image.pullPolicy,
    command: ['/opt/spark/bin/spark-submit'],
    args: input.args,
    env: [{ name: 'HOME', value: '/tmp' }, driverPodNameEnv()],
    envFrom: userEnvFrom(driver),
    ports: [
      { name: 'driver-rpc', containerPort: ports.driver, protocol: 'TCP' },
      { name: 'blockmanager', containerPort: ports.blockManager, protocol: 'TCP' },
      ...(ports.ui !== undefined ? [{ name: 'spark-ui', containerPort: ports.ui, protocol: 'TCP' }] : []),
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
    userSecurityContext: driver.securityContext,
  });
  addOwnVolumes(pod, container, input.resourceName);
  // The driver writes the event log: the store's credentials and volume are its own.
  const store = props.eventLog;
  if (store) {
    pod.bind(container, { volumes: store.volumes(), volumeMounts: store.volumeMounts(), env: store.env() });
  }
  pod.addEnv(container, ...userEnv({ env: input.driverEnv }));
  // A second volume of one name would make the pod invalid: name the prop to change.
  const taken = [...OWN_VOLUMES, ...(store?.volumes() ?? []).map((v) => v.name)];
  const mounted = { volumeMounts: input.driverMounts };
  for (const volume of userVolumes(scope, 'driver', mounted)) {
    check(!taken.includes(volume.name), scope, 'driver.volumeMounts', volume.name,
      `a volume name other than those the submit pod has of its own (${taken.join(', ')})`);
    pod.addVolume(volume);
  }
  for (const mount of userMounts(mounted)) {
    pod.addVolumeMount(container, mount);
  }
  return pod;
}

/** A writable /tmp on the read-only root, and the ConfigMap of templates (and script). */
function addOwnVolumes(pod: PodBuilder, container: string, configMapName: string): void {
  pod.addScratch('tmp', '/tmp', [container]);
  pod.addVolume({ name: 'spark-submit', configMap: { name: configMapName, defaultMode: 0o444 } });
  pod.addVolumeMount(container, { name: 'spark-submit', mountPath: CONFIG_DIR, readOnly: true });
}
