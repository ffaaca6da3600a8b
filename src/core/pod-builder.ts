import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { check, Where } from './errors';
import type { ResolvedPodOptions } from './pod-options';
import { isEmptyRuntime, mergeRuntime, ResolvedPodRuntime, runtimeSpecFields, withRuntimeSecurity } from './pod-runtime';
import { clashingPort, portText, ResolvedExtraContainer } from './private/extra-containers';
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
 * The few node-level daemons that cannot be restricted (a CNI, a node-local
 * storage helper) ask for that by name, {@link PodBuilder.nodeSystemPod}.
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
   * Grace period on termination, in seconds: the least the user's pod
   * options may give (the construct needs it to stop cleanly).
   * @default - the API server's default (30)
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Runtime options the construct takes from its own props (a client-mode
   * driver's), before the user's pod options; both giving one field is refused.
   * @default - none
   */
  readonly runtime?: ResolvedPodRuntime;
  /**
   * Where no group is given (here or by a container), leave `runAsGroup`
   * unset, so that the process gets the user's primary group from the
   * image's `/etc/passwd`: for images whose group (not the user's number)
   * owns the application's writable files.
   * @default false - the group is runAsUser's number
   */
  readonly keepImageGroup?: boolean;
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

/**
 * A node-level system pod: a daemon that must run as root or with access to
 * the node (host network, host paths, network capabilities), which the
 * restricted Pod Security Standard forbids, in a namespace labelled
 * `privileged`. Every grant beyond the restricted standard is stated here,
 * and every container states its whole security context
 * ({@link PodContainerOptions.nodeSystemSecurity}); the builder adds nothing
 * of its own (no default token, service-link or seccomp setting), so the
 * emitted pod is exactly what was asked for. Never privileged containers,
 * never privilege escalation.
 */
export interface NodeSystemPodOptions extends PodSchedulingOptions {
  /**
   * Run in the node's network namespace.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * The node paths the pod may mount as `hostPath` volumes; any other
   * `hostPath` is refused.
   * @default - none
   */
  readonly hostPaths?: string[];
  /**
   * The capabilities containers may add to the container runtime's default set.
   * @default - none
   */
  readonly capabilities?: string[];
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
   * Mount an API token.
   * @default - not set: the ServiceAccount decides (Kubernetes mounts one unless it says otherwise)
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Inject the `<SERVICE>_PORT` variables of the namespace's Services.
   * @default - not set: the kubelet injects them
   */
  readonly enableServiceLinks?: boolean;
  /**
   * Give the pod the container runtime's default seccomp profile.
   * @default false - not set: the kubelet's default (Unconfined unless its seccompDefault is on)
   */
  readonly runtimeDefaultSeccomp?: boolean;
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
  /** Hooks run after the container starts and before it stops. @default - none */
  readonly lifecycle?: k8s.Lifecycle;
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
  /**
   * The container's whole security context in a node system pod
   * ({@link PodBuilder.nodeSystemPod}), where it is required and must set
   * `allowPrivilegeEscalation: false`; refused in a restricted pod.
   * @default - none: a restricted pod's containers get the restricted context
   */
  readonly nodeSystemSecurity?: k8s.SecurityContext;
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

/** The request for a node system pod: {@link PodBuilder.nodeSystemPod}. */
export interface NodeSystemPodRequest {
  /** What the node system pod is granted. */
  readonly nodeSystem: NodeSystemPodOptions;
}

/**
 * A pod under construction: restricted (see {@link PodBuilderOptions}), or a
 * node system pod asked for by name with {@link PodBuilder.nodeSystemPod}.
 */
export class PodBuilder {
  /**
   * A node-level system pod (see {@link NodeSystemPodOptions}): the only way
   * to build a pod that does not meet the restricted standard.
   */
  public static nodeSystemPod(where: Where, options: NodeSystemPodOptions): PodBuilder {
    return new PodBuilder(where, { nodeSystem: options });
  }

  private readonly containers: ContainerState[] = [];
  private readonly initContainers: ContainerState[] = [];
  private readonly volumes: k8s.Volume[] = [];
  private readonly annotations: { [key: string]: string } = {};
  private spreadSelector?: { [key: string]: string };
  /** The user's pod options of the workload, merged into what the construct set. */
  private podOptions?: ResolvedPodOptions;
  /** Exactly one of the two: a restricted pod's options or a node system pod's grants. */
  private readonly options?: PodBuilderOptions;
  private readonly system?: NodeSystemPodOptions;

  constructor(where: Where, options: PodBuilderOptions);
  constructor(where: Where, options: NodeSystemPodRequest);
  constructor(private readonly where: Where, options: PodBuilderOptions | NodeSystemPodRequest) {
    if ('nodeSystem' in options) {
      this.system = checkNodeSystem(where, options.nodeSystem);
    } else {
      this.options = options;
    }
  }

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
    this.checkHostPath(volume);
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
        this.checkHostPath(volume);
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

  /**
   * Applies the user's {@link WorkloadPodOptions} (checked by
   * resolvePodOptions): they add to what the construct set, and may not
   * replace it (a node label it selects, its priority class or affinity, its
   * labels and annotations, its containers' names and ports). The user's
   * init containers and sidecars come after the construct's own.
   */
  public applyPodOptions(options: ResolvedPodOptions | undefined): void {
    check(this.podOptions === undefined, this.where, 'pod options', options?.prop, 'pod options applied once');
    this.podOptions = options;
  }

  /** Spreads the pods selected by `selector` over the nodes (a soft constraint). */
  public spreadAcrossNodes(selector: { [key: string]: string }): void {
    this.spreadSelector = { ...selector };
  }

  /** The pod's annotations, or undefined when it has none. */
  public renderAnnotations(): { [key: string]: string } | undefined {
    const user = this.podOptions;
    for (const key of Object.keys(user?.annotations ?? {})) {
      check(!(key in this.annotations), this.where, `${user!.prop}.annotations key`, key,
        'an annotation the construct does not set itself (it sets it to roll or describe its pods)');
    }
    const all = { ...this.annotations, ...user?.annotations };
    return Object.keys(all).length > 0 ? all : undefined;
  }

  /** The pod spec. */
  public renderSpec(): k8s.PodSpec {
    const o: PodBuilderOptions | NodeSystemPodOptions = this.withPodOptions(this.system ?? this.restricted);
    const pullSecrets = [...new Set(o.pullSecrets ?? [])];
    const nodeSelector = this.nodeSelector();
    const spread = [
      ...(this.spreadSelector ? [{
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { ...this.spreadSelector } },
      }] : []),
      ...(this.podOptions?.topologySpreadConstraints ?? []),
    ];
    // The API server refuses two constraints with the same topologyKey and whenUnsatisfiable
    // (kubernetes/kubernetes pkg/apis/core/validation, validateTopologySpreadConstraints).
    spread.forEach((c, i) => check(!spread.slice(0, i).some((e) => e.topologyKey === c.topologyKey && e.whenUnsatisfiable === c.whenUnsatisfiable),
      this.where, `${this.podOptions?.prop}.topologySpreadConstraints`, `${c.topologyKey}/${c.whenUnsatisfiable}`,
      'a topologyKey and whenUnsatisfiable pair not already used (the construct spreads its replicas over kubernetes.io/hostname, ScheduleAnyway)'));
    const extra = this.extraContainers();
    const initContainers = [...this.initContainers.map((c) => this.renderContainer(this.withUserContainerOptions(c))), ...extra.init];
    const volumes = this.allVolumes();
    const runtime = this.runtime();
    return {
      ...scheduling(o, 'priorityClassName'),
      ...(this.system ? nodeSystemIdentity(this.system) : {
        ...(o.serviceAccountName !== undefined ? { serviceAccountName: o.serviceAccountName } : {}),
        automountServiceAccountToken: this.restricted.automountServiceAccountToken ?? false,
        // Services in the namespace would otherwise inject <NAME>_PORT=tcp://... variables, which
        // daemons such as Spark's read as their own settings.
        enableServiceLinks: false,
        ...(this.restricted.restartPolicy !== undefined ? { restartPolicy: this.restricted.restartPolicy } : {}),
      }),
      ...scheduling(o, 'affinity'),
      ...(this.system?.hostNetwork ? { hostNetwork: true } : {}),
      ...scheduling(o, 'tolerations'),
      ...(this.system ? nodeSystemPodSecurity(this.system)
        : { securityContext: withRuntimeSecurity(this.where, this.restricted.userPodSecurityContext ?? this.restrictedPodSecurity(), runtime) }),
      ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map((name) => ({ name })) } : {}),
      ...(nodeSelector !== undefined ? { nodeSelector } : {}),
      ...(spread.length > 0 ? { topologySpreadConstraints: spread } : {}),
      ...runtimeSpecFields(runtime),
      ...(initContainers.length > 0 ? { initContainers } : {}),
      containers: [...this.containers.map((c) => this.renderContainer(this.withUserContainerOptions(c))), ...extra.sidecars],
      ...(volumes.length > 0 ? { volumes: volumes.map((v) => ({ ...v })) } : {}),
    };
  }

  /** The pod template: `labels`, the annotations, the spec. */
  public renderTemplate(labels: { [key: string]: string }): k8s.PodTemplateSpec {
    const annotations = this.renderAnnotations();
    const user = this.podOptions;
    for (const key of Object.keys(user?.labels ?? {})) {
      check(!(key in labels), this.where, `${user!.prop}.labels key`, key,
        'a label the construct does not set itself (its Services and policies select its pods by them)');
    }
    return {
      metadata: { labels: { ...labels, ...user?.labels }, ...(annotations ? { annotations } : {}) },
      spec: this.renderSpec(),
    };
  }

  /**
   * The construct's runtime options (its grace period, a client-mode
   * driver's props) with the user's added: a grace period shorter than the
   * construct's own is refused, and none of them in a node system pod, which
   * states all it does.
   */
  private runtime(): ResolvedPodRuntime | undefined {
    const user = this.podOptions?.runtime;
    if (this.system) {
      check(isEmptyRuntime(user), this.where, user?.prop ?? 'pod', 'runtime options',
        'no hostAliases, terminationGracePeriod, schedulerName, supplementalGroups, sysctls, seLinuxOptions or hostUsers '
        + 'on a node system pod, which states everything it runs with');
      return undefined;
    }
    const merged = mergeRuntime(this.where, this.restricted.runtime, user);
    const own = this.restricted.terminationGracePeriodSeconds;
    const given = merged?.terminationGracePeriodSeconds;
    check(own === undefined || given === undefined || given >= own, this.where, `${merged?.prop}.terminationGracePeriod`, `${given} s`,
      `at least the construct's own grace period, ${own} s, which it needs to stop cleanly`);
    if (own === undefined || given !== undefined) {
      return merged;
    }
    return { ...(merged ?? { prop: 'pod', hostAliases: [], supplementalGroups: [], sysctls: [] }), terminationGracePeriodSeconds: own };
  }

  /** The construct's scheduling options with the user's pod options added. */
  private withPodOptions<T extends PodSchedulingOptions & { pullSecrets?: string[] }>(o: T): T {
    const user = this.podOptions;
    if (user === undefined) {
      return o;
    }
    check(o.priorityClassName === undefined || user.priorityClassName === undefined, this.where, `${user.prop}.priorityClassName`,
      user.priorityClassName, `no priority class: the pod already has ${o.priorityClassName} (from the construct or another of its props)`);
    check(o.affinity === undefined || user.affinity === undefined, this.where, `${user.prop}.affinity`, 'set',
      'no affinity: the pod already has one (from the construct or another of its props)');
    return {
      ...o,
      priorityClassName: o.priorityClassName ?? user.priorityClassName,
      affinity: o.affinity ?? user.affinity,
      tolerations: o.tolerations === undefined && user.tolerations.length === 0 ? undefined
        : [...(o.tolerations ?? []), ...user.tolerations].map((t) => ({ ...t })),
      pullSecrets: [...(o.pullSecrets ?? []), ...user.pullSecrets],
    };
  }

  /**
   * The construct's volumes and the user's (those of the pod-wide mounts and
   * of the extra containers, each once); a name the construct uses is refused.
   */
  private allVolumes(): k8s.Volume[] {
    const user = this.podOptions;
    if (user === undefined) {
      return [...this.volumes];
    }
    const given: Array<[string, k8s.Volume]> = [
      ...user.volumes.map((v): [string, k8s.Volume] => [`${user.prop}.volumeMounts`, v]),
      ...[...user.initContainers, ...user.sidecars].flatMap((c) => c.volumes.map((v): [string, k8s.Volume] => [`${c.property}.volumeMounts`, v])),
    ];
    const added = new Map<string, k8s.Volume>();
    for (const [property, volume] of given) {
      this.checkHostPath(volume);
      check(!this.volumes.some((v) => v.name === volume.name), this.where, property, volume.name,
        `a volume name the construct does not use (it uses ${this.volumes.map((v) => v.name).join(', ')})`);
      added.set(volume.name, volume);
    }
    return [...this.volumes, ...added.values()];
  }

  /**
   * The user's init containers and sidecars, rendered with the restricted
   * container context; a name or port of the construct's containers is refused.
   */
  private extraContainers(): { init: k8s.Container[]; sidecars: k8s.Container[] } {
    const user = this.podOptions;
    const extras = [...(user?.initContainers ?? []), ...(user?.sidecars ?? [])];
    if (user === undefined || extras.length === 0) {
      return { init: [], sidecars: [] };
    }
    check(this.system === undefined, this.where, extras[0].property, extras[0].name,
      'extra containers only in a restricted pod: a node system pod states the whole context of each of its containers');
    const restartPolicy = this.restricted.restartPolicy;
    // Plain containers in `containers`: one that never exits keeps a Job's pod running, so the Job never completes.
    check(user.sidecars.length === 0 || restartPolicy === undefined || restartPolicy === 'Always', this.where, `${user.prop}.sidecars`,
      user.sidecars.map((c) => c.name), `no sidecars on a pod that runs to completion (restartPolicy ${restartPolicy}: a Job's pod), `
      + 'which a container that keeps running would never let finish; give steps that end as initContainers');
    const own = [...this.initContainers, ...this.containers].map((c) => ({ name: c.options.name, ports: c.options.ports }));
    for (const c of extras) {
      check(!own.some((o) => o.name === c.name), this.where, `${c.property}.name`, c.name,
        `a name the workload's own containers do not use (they are ${own.map((o) => o.name).join(', ')})`);
      c.ports.forEach((p, j) => {
        const clash = clashingPort(own, p);
        check(clash === undefined, this.where, `${c.property}.ports[${j}]`, portText(p), `a port not already used in the pod (${clash})`);
      });
    }
    const render = (c: ResolvedExtraContainer) => this.renderContainer({
      options: {
        name: c.name,
        image: c.image,
        command: c.command,
        args: c.args,
        envFrom: c.envFrom.length > 0 ? c.envFrom : undefined,
        ports: c.ports,
        resources: c.resources,
        security: { readOnlyRootFilesystem: c.readOnlyRootFilesystem },
      },
      env: c.env,
      volumeMounts: c.volumeMounts,
    });
    return { init: user.initContainers.map(render), sidecars: user.sidecars.map(render) };
  }

  /** A container with the user's variables, env sources and mounts added; what the construct set cannot be replaced. */
  private withUserContainerOptions(state: ContainerState): ContainerState {
    const user = this.podOptions;
    if (user === undefined) {
      return state;
    }
    for (const e of user.env) {
      check(!state.env.some((own) => own.name === e.name), this.where, `${user.prop}.env`, e.name,
        `a variable the construct does not set in container ${state.options.name}`);
    }
    for (const m of user.volumeMounts) {
      check(!state.volumeMounts.some((own) => own.mountPath === m.mountPath), this.where, `${user.prop}.volumeMounts`, m.mountPath,
        `a path the construct mounts nothing at in container ${state.options.name}`);
    }
    const envFrom = [...(state.options.envFrom ?? []), ...user.envFrom];
    return {
      options: { ...state.options, envFrom: envFrom.length > 0 ? envFrom : undefined },
      env: [...state.env, ...user.env],
      volumeMounts: [...state.volumeMounts, ...user.volumeMounts],
    };
  }

  /** The construct's node selector with the user's added; a key selected with another value is refused. */
  private nodeSelector(): { [key: string]: string } | undefined {
    const own = this.options?.nodeSelector;
    const user = this.podOptions;
    for (const [key, value] of Object.entries(user?.nodeSelector ?? {})) {
      check(own?.[key] === undefined || own[key] === value, this.where, `${user!.prop}.nodeSelector["${key}"]`, value,
        `the value the pod already selects, ${own?.[key]} (from the construct or another of its props), or another label`);
    }
    return own === undefined && user?.nodeSelector === undefined ? undefined : { ...own, ...user?.nodeSelector };
  }

  private add(list: ContainerState[], container: PodContainerOptions): string {
    check([...this.containers, ...this.initContainers].every((c) => c.options.name !== container.name), this.where,
      'containers', container.name, 'distinct container names in one pod');
    if (this.system) {
      checkNodeSystemContainer(this.where, this.system, container);
      // Checked now, so copied now: a later change of the caller's object cannot add a capability.
      container = { ...container, nodeSystemSecurity: copySecurity(container.nodeSystemSecurity!) };
    } else {
      check(container.nodeSystemSecurity === undefined, this.where, 'nodeSystemSecurity', container.name,
        'a security context of its own only in a node system pod (PodBuilder.nodeSystemPod); a restricted pod\'s '
        + 'containers get the restricted context, adjusted by `security`');
    }
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

  /** hostPath volumes: none in a restricted pod, only the granted paths in a node system pod. */
  private checkHostPath(volume: k8s.Volume): void {
    if (volume.hostPath === undefined) {
      return;
    }
    check(this.system !== undefined, this.where, 'volumes', `${volume.name} (hostPath ${volume.hostPath.path})`,
      'no hostPath volume in a restricted pod; a node daemon that needs one is a node system pod (PodBuilder.nodeSystemPod)');
    check((this.system!.hostPaths ?? []).includes(volume.hostPath.path), this.where, 'volumes',
      `${volume.name} (hostPath ${volume.hostPath.path})`, `one of the node system pod's hostPaths (${(this.system!.hostPaths ?? []).join(', ') || 'none'})`);
  }

  /** The options of a restricted pod (never read in a node system pod). */
  private get restricted(): PodBuilderOptions {
    if (this.options === undefined) {
      throw new Error('PodBuilder: a node system pod has no restricted options');
    }
    return this.options;
  }

  /** The restricted pod context; with keepImageGroup and no group given, without runAsGroup. */
  private restrictedPodSecurity(): k8s.PodSecurityContext {
    const o = this.restricted;
    const context = {
      ...SecurityDefaults.restrictedPod({ runAsUser: o.runAsUser, runAsGroup: o.runAsGroup, fsGroup: o.fsGroup }),
      ...(o.fsGroupChangePolicy !== undefined ? { fsGroupChangePolicy: o.fsGroupChangePolicy } : {}),
    };
    return o.keepImageGroup && o.runAsGroup === undefined ? withoutGroup(context) : context;
  }

  private renderContainer(state: ContainerState): k8s.Container {
    const c = state.options;
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
      ...(c.lifecycle !== undefined ? { lifecycle: c.lifecycle } : {}),
      securityContext: this.system ? copySecurity(c.nodeSystemSecurity!) : (c.userSecurityContext ?? this.restrictedContainerSecurity(c)),
      ...(state.volumeMounts.length > 0 ? { volumeMounts: state.volumeMounts.map((m) => ({ ...m })) } : {}),
    };
  }

  /** The restricted container context over the pod's user and group; with keepImageGroup and no group given, without runAsGroup. */
  private restrictedContainerSecurity(c: PodContainerOptions): k8s.SecurityContext {
    const o = this.restricted;
    const context = SecurityDefaults.restrictedContainer({
      runAsUser: o.runAsUser,
      runAsGroup: o.runAsGroup,
      readOnlyRootFilesystem: true,
      ...c.security,
    });
    return o.keepImageGroup && (c.security?.runAsGroup ?? o.runAsGroup) === undefined ? withoutGroup(context) : context;
  }
}

/** A context without its runAsGroup (the other fields keep their order). */
function withoutGroup<T extends { runAsGroup?: number }>(context: T): T {
  const { runAsGroup: _group, ...rest } = context;
  return rest as T;
}

/** A scheduling field of the pod, when given. */
function scheduling<K extends keyof PodSchedulingOptions>(options: PodSchedulingOptions, key: K): Pick<PodSchedulingOptions, K> {
  const value = options[key];
  return (value === undefined ? {} : { [key]: Array.isArray(value) ? value.map((x) => ({ ...x })) : value }) as Pick<PodSchedulingOptions, K>;
}

/** A node system pod's account fields: only those given. */
function nodeSystemIdentity(o: NodeSystemPodOptions): Partial<k8s.PodSpec> {
  return {
    ...(o.serviceAccountName !== undefined ? { serviceAccountName: o.serviceAccountName } : {}),
    ...(o.automountServiceAccountToken !== undefined ? { automountServiceAccountToken: o.automountServiceAccountToken } : {}),
    ...(o.enableServiceLinks !== undefined ? { enableServiceLinks: o.enableServiceLinks } : {}),
  };
}

/** A node system pod's pod-level context: the RuntimeDefault seccomp profile when asked, else none. */
function nodeSystemPodSecurity(o: NodeSystemPodOptions): Partial<k8s.PodSpec> {
  return o.runtimeDefaultSeccomp ? { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } : {};
}

function copySecurity(context: k8s.SecurityContext): k8s.SecurityContext {
  return {
    ...context,
    ...(context.capabilities ? {
      capabilities: {
        ...(context.capabilities.add ? { add: [...context.capabilities.add] } : {}),
        ...(context.capabilities.drop ? { drop: [...context.capabilities.drop] } : {}),
      },
    } : {}),
  };
}

const CAPABILITY = /^[A-Z][A-Z0-9_]*$/;

function checkNodeSystem(where: Where, o: NodeSystemPodOptions): NodeSystemPodOptions {
  for (const path of o.hostPaths ?? []) {
    check(typeof path === 'string' && path.startsWith('/') && !path.split('/').some((s) => s === '..'), where, 'hostPaths', path,
      'absolute node paths without ".." segments');
  }
  for (const cap of o.capabilities ?? []) {
    check(CAPABILITY.test(cap) && !cap.startsWith('CAP_'), where, 'capabilities', cap,
      'capability names as Kubernetes writes them (NET_ADMIN, not CAP_NET_ADMIN)');
    // SYS_ADMIN is root in all but name: a daemon that needs it is privileged, which this builder never emits.
    check(cap !== 'SYS_ADMIN' && cap !== 'ALL', where, 'capabilities', cap,
      'named capabilities short of privileged (not ALL or SYS_ADMIN)');
  }
  return {
    ...o,
    ...(o.hostPaths ? { hostPaths: [...o.hostPaths] } : {}),
    ...(o.capabilities ? { capabilities: [...o.capabilities] } : {}),
    ...(o.pullSecrets ? { pullSecrets: [...o.pullSecrets] } : {}),
  };
}

/**
 * A node system pod's container states its whole context, without privilege, escalation, ungranted
 * capabilities or the other relaxations Pod Security's baseline forbids.
 */
function checkNodeSystemContainer(where: Where, o: NodeSystemPodOptions, container: PodContainerOptions): void {
  const context = container.nodeSystemSecurity;
  check(context !== undefined, where, 'nodeSystemSecurity', container.name,
    'a security context stated for every container of a node system pod');
  check(container.security === undefined, where, 'security', container.name,
    'restricted options only in a restricted pod; a node system pod\'s container states nodeSystemSecurity');
  check(context!.privileged !== true, where, 'nodeSystemSecurity.privileged', container.name,
    'no privileged container: grant the node system pod the capabilities it needs');
  check(context!.allowPrivilegeEscalation === false, where, 'nodeSystemSecurity.allowPrivilegeEscalation', container.name,
    'allowPrivilegeEscalation: false, stated');
  // What baseline forbids beyond the named grants (check_seccompProfile_baseline.go, check_procMount.go).
  check(context!.seccompProfile?.type !== 'Unconfined', where, 'nodeSystemSecurity.seccompProfile', container.name,
    'RuntimeDefault, Localhost or none; not Unconfined');
  check(context!.procMount === undefined || context!.procMount === 'Default', where, 'nodeSystemSecurity.procMount', container.name,
    'the Default /proc mount');
  for (const cap of context!.capabilities?.add ?? []) {
    check((o.capabilities ?? []).includes(cap), where, 'nodeSystemSecurity.capabilities.add', `${container.name}: ${cap}`,
      `one of the node system pod's capabilities (${(o.capabilities ?? []).join(', ') || 'none'})`);
  }
}
