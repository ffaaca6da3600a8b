import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { check, Where } from './errors';
import { RestrictedSecurityOptions, SecurityDefaults } from './security';

/** Pod-wide scheduling of a {@link PodBuilder}'s pod, restricted or node system. */
export interface PodSchedulingOptions {
  /**
   * The pod's PriorityClass (e.g. `system-node-critical` for what a node cannot work without).
   * @default - none: the cluster's default priority
   */
  readonly priorityClassName?: string;
  /**
   * Taints the pod tolerates.
   * @default - none
   */
  readonly tolerations?: k8s.Toleration[];
  /**
   * Node and pod affinity.
   * @default - none
   */
  readonly affinity?: k8s.Affinity;
}

/**
 * The one internal model of the pods this library runs (servers, daemons,
 * controllers, caches): every pod gets the restricted security contexts, its
 * image pull secrets, no API token and no service links unless asked, and
 * every container the restricted container context. Constructs describe what
 * differs (containers, volumes, writable directories, bindings) and render the
 * spec once, at the end of their constructor or lazily at synth.
 *
 * Not exported from the package: the constructs' props are the public face.
 * It is where pod-wide options (node selectors, tolerations, affinity,
 * priority classes) plug in for every workload at once.
 */
export interface PodBuilderOptions extends PodSchedulingOptions {
  /** The numeric user every container runs as (restricted: non-root). */
  readonly runAsUser: number;
  /**
   * The numeric primary group.
   * @default - runAsUser
   */
  readonly runAsGroup?: number;
  /**
   * The group owning mounted volumes.
   * @default - runAsGroup
   */
  readonly fsGroup?: number;
  /**
   * `fsGroupChangePolicy` of the pod (`OnRootMismatch` skips the recursive
   * chown of large volumes on every start).
   * @default - the kubelet's default (Always)
   */
  readonly fsGroupChangePolicy?: string;
  /**
   * Names of the image pull Secrets (duplicates are dropped).
   * @default - none
   */
  readonly pullSecrets?: string[];
  /**
   * The pod's ServiceAccount.
   * @default - the namespace's default ServiceAccount
   */
  readonly serviceAccountName?: string;
  /**
   * Mount an API token: only for pods that talk to the API server.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Grace period on termination, in seconds.
   * @default - the API server's default (30)
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * `restartPolicy` of the pod: a Job's pods need `Never` or `OnFailure`.
   * @default - the API server's default (Always)
   */
  readonly restartPolicy?: string;
  /**
   * A pod security context the user gave in a prop, used as given instead of
   * the restricted one. Only ever a user's explicit choice, passed through:
   * the restricted default is never weakened by the construct itself.
   * @default - the restricted pod context
   */
  readonly userPodSecurityContext?: k8s.PodSecurityContext;
  /**
   * Node labels the pod must be scheduled on.
   * @default - any node
   */
  readonly nodeSelector?: { [key: string]: string };
}

/** A container of a {@link PodBuilder}. */
export interface PodContainerOptions {
  readonly name: string;
  readonly image: string;
  /** @default - the API server's default */
  readonly imagePullPolicy?: string;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's arguments */
  readonly args?: string[];
  /** @default - none */
  readonly env?: k8s.EnvVar[];
  /** Sources of environment variables (rendered when given, as given). @default - none */
  readonly envFrom?: k8s.EnvFromSource[];
  /** @default - none */
  readonly ports?: k8s.ContainerPort[];
  /** @default - none */
  readonly resources?: k8s.ResourceRequirements;
  /** @default - none */
  readonly startupProbe?: k8s.Probe;
  /** @default - none */
  readonly readinessProbe?: k8s.Probe;
  /** @default - none */
  readonly livenessProbe?: k8s.Probe;
  /** @default - none */
  readonly volumeMounts?: k8s.VolumeMount[];
  /**
   * Options of the restricted container context, over the pod's user and group.
   * @default - the pod's user and group, read-only root filesystem
   */
  readonly security?: RestrictedSecurityOptions;
  /**
   * A container security context the user gave in a prop, used as given
   * instead of the restricted one (and of `security`). Only ever a user's
   * explicit choice, passed through: the restricted default is never weakened
   * by the construct itself.
   * @default - the restricted container context
   */
  readonly userSecurityContext?: k8s.SecurityContext;
}

/**
 * What an add-on (an event log store, a Secret, a cluster's client
 * configuration) contributes to a pod and one of its containers: one call,
 * {@link PodBuilder.bind}, instead of every consumer copying the pieces.
 */
export interface PodBinding {
  /** Volumes of the pod (a volume already present under the same name is kept once). */
  readonly volumes?: k8s.Volume[];
  /** Mounts of the container. */
  readonly volumeMounts?: k8s.VolumeMount[];
  /** Environment of the container. */
  readonly env?: k8s.EnvVar[];
}

interface ContainerState {
  readonly options: PodContainerOptions;
  readonly env: k8s.EnvVar[];
  readonly volumeMounts: k8s.VolumeMount[];
}

/** A pod under construction; see {@link PodBuilderOptions}. */
export class PodBuilder {
  private readonly containers: ContainerState[] = [];
  private readonly initContainers: ContainerState[] = [];
  private readonly volumes: k8s.Volume[] = [];
  private readonly annotations: { [key: string]: string } = {};
  private spreadSelector?: { [key: string]: string };

  constructor(private readonly where: Where, private readonly options: PodBuilderOptions) {}

  /** Adds a container; returns its name for {@link bind} and {@link addScratch}. */
  public addContainer(container: PodContainerOptions): string {
    return this.add(this.containers, container);
  }

  /** Adds an init container (run in order, before the containers). */
  public addInitContainer(container: PodContainerOptions): string {
    return this.add(this.initContainers, container);
  }

  /** Adds a volume to the pod. A second volume of the same name is an error. */
  public addVolume(volume: k8s.Volume): void {
    check(!this.volumes.some((v) => v.name === volume.name), this.where, 'volumes', volume.name,
      'distinct volume names in one pod');
    this.volumes.push(volume);
  }

  /** Mounts a volume of the pod into a container. */
  public addVolumeMount(container: string, mount: k8s.VolumeMount): void {
    this.container(container).volumeMounts.push(mount);
  }

  /** Adds environment variables to a container. */
  public addEnv(container: string, ...env: k8s.EnvVar[]): void {
    this.container(container).env.push(...env);
  }

  /**
   * A writable directory on a read-only root filesystem: an `emptyDir`
   * (created once per name) mounted at `mountPath` in each given container.
   */
  public addScratch(name: string, mountPath: string, containers: string[], emptyDir: k8s.EmptyDirVolumeSource = {}): void {
    if (!this.volumes.some((v) => v.name === name)) {
      this.volumes.push({ name, emptyDir });
    }
    for (const container of containers) {
      this.addVolumeMount(container, { name, mountPath });
    }
  }

  /** Wires an add-on's volumes, mounts and environment into a container. */
  public bind(container: string, binding: PodBinding): void {
    for (const volume of binding.volumes ?? []) {
      if (!this.volumes.some((v) => v.name === volume.name)) {
        this.volumes.push(volume);
      }
    }
    this.container(container).volumeMounts.push(...(binding.volumeMounts ?? []));
    this.container(container).env.push(...(binding.env ?? []));
  }

  /** Annotates the pod with a hash of `content`, so that a change of it rolls the pods. */
  public addChecksum(annotation: string, content: string): void {
    this.annotations[annotation] = createHash('sha256').update(content).digest('hex');
  }

  /** Adds a pod annotation. */
  public addAnnotation(key: string, value: string): void {
    this.annotations[key] = value;
  }

  /** Spreads the pods selected by `selector` over the nodes (a soft constraint). */
  public spreadAcrossNodes(selector: { [key: string]: string }): void {
    this.spreadSelector = { ...selector };
  }

  /** The pod's annotations, or undefined when it has none. */
  public renderAnnotations(): { [key: string]: string } | undefined {
    return Object.keys(this.annotations).length > 0 ? { ...this.annotations } : undefined;
  }

  /** The pod spec. */
  public renderSpec(): k8s.PodSpec {
    const o = this.options;
    const pullSecrets = [...new Set(o.pullSecrets ?? [])];
    return {
      ...(o.serviceAccountName !== undefined ? { serviceAccountName: o.serviceAccountName } : {}),
      automountServiceAccountToken: o.automountServiceAccountToken ?? false,
      // Services in the namespace would otherwise inject <NAME>_PORT=tcp://... variables, which
      // daemons such as Spark's read as their own settings.
      enableServiceLinks: false,
      ...(o.restartPolicy !== undefined ? { restartPolicy: o.restartPolicy } : {}),
      securityContext: o.userPodSecurityContext ?? {
        ...SecurityDefaults.restrictedPod({ runAsUser: o.runAsUser, runAsGroup: o.runAsGroup, fsGroup: o.fsGroup }),
        ...(o.fsGroupChangePolicy !== undefined ? { fsGroupChangePolicy: o.fsGroupChangePolicy } : {}),
      },
      ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
      ...(o.nodeSelector !== undefined ? { nodeSelector: { ...o.nodeSelector } } : {}),
      ...(o.tolerations !== undefined ? { tolerations: o.tolerations.map((t) => ({ ...t })) } : {}),
      ...(o.affinity !== undefined ? { affinity: o.affinity } : {}),
      ...(o.priorityClassName !== undefined ? { priorityClassName: o.priorityClassName } : {}),
      ...(this.spreadSelector ? {
        topologySpreadConstraints: [{
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { ...this.spreadSelector } },
        }],
      } : {}),
      ...(o.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: o.terminationGracePeriodSeconds } : {}),
      ...(this.initContainers.length > 0 ? { initContainers: this.initContainers.map((c) => this.renderContainer(c)) } : {}),
      containers: this.containers.map((c) => this.renderContainer(c)),
      ...(this.volumes.length > 0 ? { volumes: this.volumes.map((v) => ({ ...v })) } : {}),
    };
  }

  /** The pod template: `labels`, the annotations, the spec. */
  public renderTemplate(labels: { [key: string]: string }): k8s.PodTemplateSpec {
    const annotations = this.renderAnnotations();
    return {
      metadata: { labels: { ...labels }, ...(annotations ? { annotations } : {}) },
      spec: this.renderSpec(),
    };
  }

  private add(list: ContainerState[], container: PodContainerOptions): string {
    check([...this.containers, ...this.initContainers].every((c) => c.options.name !== container.name), this.where,
      'containers', container.name, 'distinct container names in one pod');
    list.push({ options: container, env: [...(container.env ?? [])], volumeMounts: [...(container.volumeMounts ?? [])] });
    return container.name;
  }

  private container(name: string): ContainerState {
    const found = [...this.containers, ...this.initContainers].find((c) => c.options.name === name);
    if (found === undefined) {
      throw new Error(`PodBuilder: no container named ${name}`);
    }
    return found;
  }

  private renderContainer(state: ContainerState): k8s.Container {
    const c = state.options;
    const o = this.options;
    return {
      name: c.name,
      image: c.image,
      ...(c.imagePullPolicy !== undefined ? { imagePullPolicy: c.imagePullPolicy } : {}),
      ...(c.command !== undefined ? { command: [...c.command] } : {}),
      ...(c.args !== undefined ? { args: [...c.args] } : {}),
      ...(state.env.length > 0 ? { env: state.env.map((e) => ({ ...e })) } : {}),
      ...(c.envFrom !== undefined ? { envFrom: c.envFrom.map((e) => ({ ...e })) } : {}),
      ...(c.ports !== undefined && c.ports.length > 0 ? { ports: c.ports.map((p) => ({ ...p })) } : {}),
      ...(c.resources !== undefined ? { resources: c.resources } : {}),
      ...(c.startupProbe !== undefined ? { startupProbe: c.startupProbe } : {}),
      ...(c.readinessProbe !== undefined ? { readinessProbe: c.readinessProbe } : {}),
      ...(c.livenessProbe !== undefined ? { livenessProbe: c.livenessProbe } : {}),
      securityContext: c.userSecurityContext ?? SecurityDefaults.restrictedContainer({
        runAsUser: o.runAsUser,
        runAsGroup: o.runAsGroup,
        readOnlyRootFilesystem: true,
        ...c.security,
      }),
      ...(state.volumeMounts.length > 0 ? { volumeMounts: state.volumeMounts.map((m) => ({ ...m })) } : {}),
    };
  }
}
