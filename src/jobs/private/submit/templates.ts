import { Yaml } from 'cdk8s';
import { EnvValue, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { DRIVER_CONTAINER, EXECUTOR_CONTAINER } from './conf';
import { PodEnv, userEnv, userEnvFrom, userMounts, userVolumes } from './pod-props';
import { clusterModeScript, DRIVER_TEMPLATE_FILE, EXECUTOR_TEMPLATE_FILE, OWNER_NAME_PLACEHOLDER, OWNER_UID_PLACEHOLDER, SCRIPT_FILE } from './script';
import { check } from '../../../core/errors';
import { resolvePodRuntime, runtimeSpecFields, withRuntimeSecurity } from '../../../core/pod-runtime';
import { SecurityDefaults } from '../../../core/security';
import { SparkImage } from '../../../core/spark-image';
import type { SparkVolumeMount } from '../../../core/volume-mount';
import type { SparkPodProps } from '../../spark-job-spec';

// The driver and executor pod templates Spark merges into the pods it
// creates (spark.kubernetes.{driver,executor}.podTemplateFile).
//
// They are not built with the PodBuilder: they are partial pods, layered
// over the user's own template, that leave to Spark what Spark sets (image,
// resources, service account, the API token of the driver), while a
// PodBuilder pod is complete (token and service links always set); and they
// are written as YAML, where the field order is the output.

type Json = { [key: string]: any };


export interface PodTemplatesOptions {
  readonly driver: SparkPodProps;
  readonly executor: SparkPodProps;
  readonly image: SparkImage;
  readonly driverLabels: { [key: string]: string };
  readonly executorLabels: { [key: string]: string };
  /** In client mode the submit pod is the driver: no driver template, no wrapper script. */
  readonly client: boolean;
}

/**
 * The files of the submit ConfigMap: the pod templates (and the cluster-mode
 * wrapper script). Variables added later are rendered with the rest, at synth.
 */
export class PodTemplates {
  /** The driver's and the executors' variables: the props' first, then the added ones. */
  public readonly env: { readonly driver: PodEnv; readonly executor: PodEnv };
  /** Their volume mounts: the props' first, then the added ones. */
  public readonly mounts: { readonly driver: SparkVolumeMount[]; readonly executor: SparkVolumeMount[] };

  constructor(private readonly scope: Construct, private readonly o: PodTemplatesOptions) {
    this.env = { driver: { ...(o.driver.env ?? {}) }, executor: { ...(o.executor.env ?? {}) } };
    this.mounts = { driver: [...(o.driver.volumeMounts ?? [])], executor: [...(o.executor.volumeMounts ?? [])] };
    // Once now, so that bad input fails at construction.
    this.render();
  }

  /** Adds a variable of the driver or the executors; a name given before is refused. */
  public addEnv(role: 'driver' | 'executor', name: string, value: EnvValue): void {
    check(this.env[role][name] === undefined, this.scope, `${role}.env`, name, 'a variable not set yet (by the props or an earlier add)');
    this.env[role][name] = value;
  }

  /** Adds a volume mount of the driver or the executors, checked as the props' mounts are (render() fails on a clash). */
  public addVolumeMount(role: 'driver' | 'executor', mount: SparkVolumeMount): void {
    check(typeof mount?.path === 'string' && mount.path.startsWith('/'), this.scope, `${role}.volumeMounts`, mount?.path, 'an absolute mount path');
    this.mounts[role].push(mount);
    try {
      this.render();
    } catch (e) {
      this.mounts[role].pop();
      throw e;
    }
  }

  /** The ConfigMap's data. */
  public render(): { [file: string]: string } {
    const o = this.o;
    const data: { [file: string]: string } = o.client ? {} : { [SCRIPT_FILE]: clusterModeScript() };
    if (!o.client) {
      const owner = { apiVersion: 'v1', kind: 'Pod', name: OWNER_NAME_PLACEHOLDER, uid: OWNER_UID_PLACEHOLDER };
      data[DRIVER_TEMPLATE_FILE] = Yaml.stringify(podTemplate(this.scope, 'driver', { ...o.driver, env: this.env.driver, volumeMounts: this.mounts.driver }, o.image,
        o.driverLabels, DRIVER_CONTAINER, { owner }));
    }
    data[EXECUTOR_TEMPLATE_FILE] = Yaml.stringify(podTemplate(this.scope, 'executor', { ...o.executor, env: this.env.executor, volumeMounts: this.mounts.executor }, o.image,
      o.executorLabels, EXECUTOR_CONTAINER, { automountServiceAccountToken: false }));
    return data;
  }
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
  containers[index] = templateContainer(containers[index], p, image);
  spec.containers = containers;

  const volumes = [...(spec.volumes ?? []), ...userVolumes(scope, role, p).map((v) => k8s.toJson_Volume(v))];
  if (volumes.length) spec.volumes = volumes;
  const runtime = resolvePodRuntime(scope, role, p);
  // Kept by Spark, which sets none of them (a pod security context without these fields is the same in JSON).
  spec.securityContext = withRuntimeSecurity(scope, p.podSecurityContext ? k8s.toJson_PodSecurityContext(p.podSecurityContext)
    : spec.securityContext ?? k8s.toJson_PodSecurityContext(SecurityDefaults.restrictedPod({ runAsUser: image.uid })), runtime);
  for (const [field, value] of Object.entries(runtimeSpecFields(runtime))) {
    if (field === 'hostAliases') {
      spec.hostAliases = [...(spec.hostAliases ?? []), ...(value as k8s.HostAlias[])];
      continue;
    }
    check(spec[field] === undefined || spec[field] === value, scope, `${role}.${field === 'terminationGracePeriodSeconds' ? 'terminationGracePeriod' : field}`,
      value, `the value of ${role}.template's spec.${field} (${spec[field]}), or give it in one place`);
    spec[field] = value;
  }
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

/** Spark's container of a template: the template's own, with the props added. */
function templateContainer(given: Json, p: SparkPodProps, image: SparkImage): Json {
  const c: Json = { ...given };
  c.securityContext = p.securityContext ? k8s.toJson_SecurityContext(p.securityContext)
    // Spark's entrypoint writes under /tmp and its work dir: the root filesystem stays writable.
    : c.securityContext ?? k8s.toJson_SecurityContext(SecurityDefaults.restrictedContainer({ runAsUser: image.uid, readOnlyRootFilesystem: false }));
  const env = [...(c.env ?? []), ...userEnv(p).map((e) => k8s.toJson_EnvVar(e))];
  if (env.length) c.env = env;
  const envFrom = [...(c.envFrom ?? []), ...userEnvFrom(p).map((e) => k8s.toJson_EnvFromSource(e))];
  if (envFrom.length) c.envFrom = envFrom;
  const mounts = [...(c.volumeMounts ?? []), ...userMounts(p).map((m) => k8s.toJson_VolumeMount(m))];
  if (mounts.length) c.volumeMounts = mounts;
  return c;
}
