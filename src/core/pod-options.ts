import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check, Where } from './errors';
import type { ExtraContainer } from './extra-container';
import { guardLateChange } from './late-change';
import { ResolvedPodRuntime, resolvePodRuntime } from './pod-runtime';
import { envSources, envVars, volumeMounts as resolveMounts } from './private/container-inputs';
import { ResolvedExtraContainer, resolveExtraContainers } from './private/extra-containers';
import { dnsSubdomain, labelKey, labels as checkLabels, secretRef } from './validate';
import type { WorkloadPodOptions } from './workload-pod-options';

/** {@link WorkloadPodOptions} checked and copied, with the prop they came from (for messages). */
export interface ResolvedPodOptions {
  readonly prop: string;
  readonly nodeSelector?: { [key: string]: string };
  readonly tolerations: k8s.Toleration[];
  readonly affinity?: k8s.Affinity;
  readonly topologySpreadConstraints: k8s.TopologySpreadConstraint[];
  readonly priorityClassName?: string;
  readonly labels: { [key: string]: string };
  readonly annotations: { [key: string]: string };
  readonly pullSecrets: string[];
  readonly env: k8s.EnvVar[];
  readonly envFrom: k8s.EnvFromSource[];
  /** The volumes of `volumeMounts` (the extra containers carry theirs). */
  readonly volumes: k8s.Volume[];
  readonly volumeMounts: k8s.VolumeMount[];
  readonly initContainers: ResolvedExtraContainer[];
  readonly sidecars: ResolvedExtraContainer[];
  /** hostAliases, grace period, scheduler, groups, sysctls, SELinux, user namespace. */
  readonly runtime?: ResolvedPodRuntime;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const WHEN_UNSATISFIABLE = ['DoNotSchedule', 'ScheduleAnyway'];

/**
 * Checks one toleration the way the API server does
 * (kubernetes/kubernetes pkg/apis/core/validation/validation.go,
 * ValidateTolerations): an empty key only with operator Exists, no value with
 * Exists, tolerationSeconds only with effect NoExecute.
 */
function checkToleration(where: Where, property: string, t: k8s.Toleration): void {
  check(t !== null && typeof t === 'object', where, property, t, 'a toleration, e.g. { key: "dedicated", operator: "Equal", value: "spark", effect: "NoSchedule" }');
  const operator = t.operator ?? 'Equal';
  check(operator === 'Equal' || operator === 'Exists', where, `${property}.operator`, t.operator, '"Equal" or "Exists"');
  if (t.key !== undefined && t.key !== '') {
    labelKey(where, `${property}.key`, t.key);
  } else {
    check(operator === 'Exists', where, `${property}.key`, t.key, 'a taint key, or operator "Exists" to tolerate every taint');
  }
  if (operator === 'Exists') {
    check(t.value === undefined || t.value === '', where, `${property}.value`, t.value, 'no value with operator "Exists"');
  } else {
    // No value matches a taint without one.
    const value = t.value ?? '';
    check(typeof value === 'string' && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value) && value.length <= 63,
      where, `${property}.value`, t.value, 'the taint value: a label value');
  }
  check(t.effect === undefined || t.effect === '' || EFFECTS.includes(t.effect), where, `${property}.effect`, t.effect,
    `one of ${EFFECTS.join(', ')}, or none for every effect`);
  check(t.tolerationSeconds === undefined || (t.effect === 'NoExecute' && Number.isInteger(t.tolerationSeconds)),
    where, `${property}.tolerationSeconds`, t.tolerationSeconds, 'a whole number of seconds, only with effect "NoExecute"');
}

function checkSpread(where: Where, property: string, c: k8s.TopologySpreadConstraint): void {
  check(c !== null && typeof c === 'object', where, property, c, 'a topology spread constraint');
  check(Number.isInteger(c.maxSkew) && c.maxSkew >= 1, where, `${property}.maxSkew`, c.maxSkew, 'a whole number, at least 1');
  labelKey(where, `${property}.topologyKey`, c.topologyKey);
  check(WHEN_UNSATISFIABLE.includes(c.whenUnsatisfiable), where, `${property}.whenUnsatisfiable`, c.whenUnsatisfiable,
    WHEN_UNSATISFIABLE.join(' or '));
}

/**
 * Checks and copies the pod options given as `prop` of `scope`. A change of
 * the caller's object after this point fails synthesis instead of being
 * ignored.
 */
export function resolvePodOptions(scope: IConstruct, prop: string, options: WorkloadPodOptions | undefined): ResolvedPodOptions | undefined {
  if (options === undefined) {
    return undefined;
  }
  check(options !== null && typeof options === 'object', scope, prop, options, 'WorkloadPodOptions, e.g. { nodeSelector: { pool: "spark" } }');
  checkLabels(scope, `${prop}.nodeSelector`, options.nodeSelector);
  const tolerations = options.tolerations ?? [];
  check(Array.isArray(tolerations), scope, `${prop}.tolerations`, tolerations, 'a list of tolerations');
  tolerations.forEach((t, i) => checkToleration(scope, `${prop}.tolerations[${i}]`, t));
  check(options.affinity === undefined || (options.affinity !== null && typeof options.affinity === 'object'), scope, `${prop}.affinity`,
    options.affinity, 'an affinity (nodeAffinity, podAffinity, podAntiAffinity)');
  const spread = options.topologySpreadConstraints ?? [];
  check(Array.isArray(spread), scope, `${prop}.topologySpreadConstraints`, spread, 'a list of topology spread constraints');
  spread.forEach((c, i) => checkSpread(scope, `${prop}.topologySpreadConstraints[${i}]`, c));
  if (options.priorityClassName !== undefined) {
    dnsSubdomain(scope, `${prop}.priorityClassName`, options.priorityClassName);
  }
  checkLabels(scope, `${prop}.labels`, options.labels);
  for (const [key, value] of Object.entries(options.annotations ?? {})) {
    labelKey(scope, `${prop}.annotations key`, key);
    check(typeof value === 'string', scope, `${prop}.annotations["${key}"]`, value, 'a string');
  }
  const secrets = options.imagePullSecrets ?? [];
  check(Array.isArray(secrets), scope, `${prop}.imagePullSecrets`, secrets, 'a list of ISecret');
  secrets.forEach((s, i) => secretRef(scope, `${prop}.imagePullSecrets[${i}]`, s));
  const env = envVars(scope, `${prop}.env`, options.env);
  const envFrom = envSources(scope, prop, options.envFromSecrets, options.envFromConfigMaps);
  const volumes = new Map<string, k8s.Volume>();
  const volumeMounts = resolveMounts(scope, `${prop}.volumeMounts`, options.volumeMounts, volumes);
  // Their volumes share the map: a volume mounted by the workload and a sidecar must be the same volume.
  const extra = resolveExtraContainers(scope, prop, options.initContainers, options.sidecars, volumes);
  const runtime = resolvePodRuntime(scope, prop, options);
  const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x));
  const resolved: ResolvedPodOptions = {
    prop,
    nodeSelector: options.nodeSelector ? { ...options.nodeSelector } : undefined,
    tolerations: copy(tolerations),
    affinity: options.affinity ? copy(options.affinity) : undefined,
    topologySpreadConstraints: copy(spread),
    priorityClassName: options.priorityClassName,
    labels: { ...options.labels },
    annotations: { ...options.annotations },
    pullSecrets: secrets.map((s) => s.name),
    env,
    envFrom,
    // Structs as cdk8s-plus renders them (quantities stay objects): the construct's ApiObject converts them.
    volumes: [...new Set(volumeMounts.map((m) => m.name))].map((name) => volumes.get(name)!),
    volumeMounts,
    initContainers: extra.initContainers,
    sidecars: extra.sidecars,
    runtime,
  };
  guardLateChange(scope, prop, () => ({
    ...options,
    imagePullSecrets: (options.imagePullSecrets ?? []).map((s) => s.name),
    envFromSecrets: (options.envFromSecrets ?? []).map((s) => s.name),
    envFromConfigMaps: (options.envFromConfigMaps ?? []).map((c) => c.name),
    volumeMounts: (options.volumeMounts ?? []).map((m) => ({ ...m, volume: m.volume.name })),
    initContainers: (options.initContainers ?? []).map(extraContainerSnapshot),
    sidecars: (options.sidecars ?? []).map(extraContainerSnapshot),
  }),
  `give every ${prop} option when creating the construct`);
  return resolved;
}

/** A JSON-able view of an extra container, for the late-change guard (constructs by name). */
function extraContainerSnapshot(c: ExtraContainer): unknown {
  return c === null || typeof c !== 'object' ? c : {
    ...c,
    envFromSecrets: c.envFromSecrets?.map((x) => x.name),
    envFromConfigMaps: c.envFromConfigMaps?.map((x) => x.name),
    volumeMounts: c.volumeMounts?.map((m) => ({ ...m, volume: m.volume.name })),
  };
}
