import { isIP } from 'net';
import { k8s } from 'cdk8s-plus-28';
import { check, Where } from './errors';
import { PodRuntimeOptions, SafeSysctl, SeLinuxType } from './pod-runtime-options';
import { dnsSubdomain, INT32_MAX, wholeSeconds } from './validate';

// PodRuntimeOptions checked once and turned into pod spec fields, for every
// pod kind: the pod builder's pods, the operator's driver and executors
// (SparkApplication fields) and spark-submit's pod templates.

/** {@link PodRuntimeOptions} checked and copied, with the prop they came from (for messages). */
export interface ResolvedPodRuntime {
  readonly prop: string;
  readonly hostAliases: k8s.HostAlias[];
  readonly terminationGracePeriodSeconds?: number;
  readonly schedulerName?: string;
  readonly supplementalGroups: number[];
  readonly sysctls: k8s.Sysctl[];
  readonly seLinuxOptions?: k8s.SeLinuxOptions;
  /** Only ever false (true is the default, rendered as nothing). */
  readonly hostUsers?: boolean;
}

/** The pod security context fields the options set. */
const SECURITY_FIELDS = ['supplementalGroups', 'sysctls', 'seLinuxOptions'] as const;

// An MCS level: a sensitivity (s0) with optional categories (c0 to c1023, ranges with a dot), or a range of two.
const MCS_LEVEL = /^s\d+(:c\d+([.,]c\d+)*)?(-s\d+(:c\d+([.,]c\d+)*)?)?$/;

/** Checks and copies the runtime options of `prop`. */
export function resolvePodRuntime(where: Where, prop: string, o: PodRuntimeOptions): ResolvedPodRuntime {
  const aliases = o.hostAliases ?? [];
  check(Array.isArray(aliases), where, `${prop}.hostAliases`, aliases, 'a list of { ip, hostnames }');
  const hostAliases = aliases.map((a, i) => {
    const at = `${prop}.hostAliases[${i}]`;
    check(a !== null && typeof a === 'object', where, at, a, '{ ip, hostnames }, e.g. { ip: "10.0.0.15", hostnames: ["namenode.example.internal"] }');
    // The API server's checks (pkg/apis/core/validation/validation.go, ValidateHostAliases).
    check(typeof a.ip === 'string' && isIP(a.ip) !== 0, where, `${at}.ip`, a.ip, 'an IPv4 or IPv6 address');
    check(Array.isArray(a.hostnames) && a.hostnames.length > 0, where, `${at}.hostnames`, a.hostnames, 'a non-empty list of host names');
    a.hostnames.forEach((h, j) => dnsSubdomain(where, `${at}.hostnames[${j}]`, h));
    return { ip: a.ip, hostnames: [...a.hostnames] };
  });
  const grace = o.terminationGracePeriod === undefined ? undefined
    : wholeSeconds(where, `${prop}.terminationGracePeriod`, o.terminationGracePeriod, { min: 0 });
  if (o.schedulerName !== undefined) {
    dnsSubdomain(where, `${prop}.schedulerName`, o.schedulerName);
  }
  const groups = o.supplementalGroups ?? [];
  check(Array.isArray(groups), where, `${prop}.supplementalGroups`, groups, 'a list of group ids');
  groups.forEach((g, i) => check(Number.isInteger(g) && g >= 0 && g <= INT32_MAX, where, `${prop}.supplementalGroups[${i}]`, g,
    `a group id from 0 to ${INT32_MAX}`));
  const sysctls = resolveSysctls(where, prop, o);
  const seLinuxOptions = resolveSeLinux(where, prop, o);
  check(o.hostUsers === undefined || typeof o.hostUsers === 'boolean', where, `${prop}.hostUsers`, o.hostUsers, 'true or false');
  const ack = o.acknowledgeUserNamespaces;
  check(ack === undefined || typeof ack === 'boolean', where, `${prop}.acknowledgeUserNamespaces`, ack, 'true or false');
  check(o.hostUsers !== false || ack === true, where, `${prop}.hostUsers`, false,
    'hostUsers: false only with acknowledgeUserNamespaces: true: before Kubernetes 1.33 the UserNamespacesSupport feature is off '
    + 'by default, and the API server then drops the field and runs the pods with the node\'s users');
  check(o.hostUsers === false || ack !== true, where, `${prop}.acknowledgeUserNamespaces`, ack, 'only with hostUsers: false');
  return {
    prop,
    hostAliases,
    terminationGracePeriodSeconds: grace,
    schedulerName: o.schedulerName,
    supplementalGroups: [...new Set(groups)],
    sysctls,
    seLinuxOptions,
    hostUsers: o.hostUsers === false ? false : undefined,
  };
}

function resolveSysctls(where: Where, prop: string, o: PodRuntimeOptions): k8s.Sysctl[] {
  const sysctls = o.sysctls ?? [];
  check(Array.isArray(sysctls), where, `${prop}.sysctls`, sysctls, 'a list of { name, value }');
  const safe = Object.values(SafeSysctl) as string[];
  return sysctls.map((s, i) => {
    const at = `${prop}.sysctls[${i}]`;
    check(s !== null && typeof s === 'object', where, at, s, '{ name, value }, e.g. { name: SafeSysctl.NET_IPV4_IP_LOCAL_PORT_RANGE, value: "1024 65535" }');
    check(safe.includes(s.name), where, `${at}.name`, s.name,
      `a sysctl the Pod Security Standards allow (check_sysctls.go): ${safe.join(', ')}; admission refuses a pod with any other`);
    check(!sysctls.slice(0, i).some((e) => e.name === s.name), where, `${at}.name`, s.name, 'each sysctl once');
    check(typeof s.value === 'string' && s.value.trim() !== '' && !/[\n\r]/.test(s.value), where, `${at}.value`, s.value,
      'a value on one line, e.g. "1024 65535"');
    return { name: s.name, value: s.value };
  });
}

function resolveSeLinux(where: Where, prop: string, o: PodRuntimeOptions): k8s.SeLinuxOptions | undefined {
  const s = o.seLinuxOptions;
  if (s === undefined) {
    return undefined;
  }
  const at = `${prop}.seLinuxOptions`;
  check(s !== null && typeof s === 'object', where, at, s, '{ type, level }');
  const types = Object.values(SeLinuxType) as string[];
  check(s.type === undefined || types.includes(s.type), where, `${at}.type`, s.type,
    `a type the Pod Security Standards allow (check_seLinuxOptions.go): ${types.join(', ')}`);
  // Plain JavaScript can pass them: the standards refuse a user or role, and TypeScript callers cannot give one.
  for (const field of ['user', 'role']) {
    const value = (s as any)[field];
    check(value === undefined || value === '', where, `${at}.${field}`, value, 'no SELinux user or role: the Pod Security Standards refuse both');
  }
  check(s.level === undefined || (typeof s.level === 'string' && MCS_LEVEL.test(s.level)), where, `${at}.level`, s.level,
    'an MCS level such as "s0:c123,c456"');
  check(s.type !== undefined || s.level !== undefined, where, at, s, 'a type or a level');
  return { ...(s.type !== undefined ? { type: s.type } : {}), ...(s.level !== undefined ? { level: s.level } : {}) };
}

/** No runtime options at all. */
export function isEmptyRuntime(r: ResolvedPodRuntime | undefined): boolean {
  return r === undefined || (r.hostAliases.length === 0 && r.terminationGracePeriodSeconds === undefined && r.schedulerName === undefined
    && r.supplementalGroups.length === 0 && r.sysctls.length === 0 && r.seLinuxOptions === undefined && r.hostUsers === undefined);
}

/**
 * Two sets of runtime options for one pod (e.g. a client-mode driver's props
 * and the submit pod's options): lists add up; a field both give, or a
 * sysctl both set, is refused (naming the second), rather than one silently
 * winning.
 */
export function mergeRuntime(where: Where, first: ResolvedPodRuntime | undefined,
  second: ResolvedPodRuntime | undefined): ResolvedPodRuntime | undefined {
  if (first === undefined || second === undefined) {
    return first ?? second;
  }
  const single = <K extends 'terminationGracePeriodSeconds' | 'schedulerName' | 'seLinuxOptions' | 'hostUsers'>(key: K, name: string) => {
    check(first[key] === undefined || second[key] === undefined, where, `${second.prop}.${name}`, second[key],
      `no ${name}: ${first.prop}.${name} gives the pod one already`);
    return first[key] ?? second[key];
  };
  second.sysctls.forEach((s) => check(!first.sysctls.some((f) => f.name === s.name), where, `${second.prop}.sysctls`, s.name,
    `a sysctl ${first.prop}.sysctls does not set already`));
  return {
    prop: second.prop,
    hostAliases: [...first.hostAliases, ...second.hostAliases],
    terminationGracePeriodSeconds: single('terminationGracePeriodSeconds', 'terminationGracePeriod'),
    schedulerName: single('schedulerName', 'schedulerName'),
    supplementalGroups: [...new Set([...first.supplementalGroups, ...second.supplementalGroups])],
    sysctls: [...first.sysctls, ...second.sysctls],
    seLinuxOptions: single('seLinuxOptions', 'seLinuxOptions'),
    hostUsers: single('hostUsers', 'hostUsers'),
  };
}

/**
 * `context` with the runtime options' supplementary groups, sysctls and
 * SELinux labels added; a field `context` sets already (a pod security
 * context the user gave whole) is refused rather than replaced.
 */
export function withRuntimeSecurity(where: Where, context: k8s.PodSecurityContext, r: ResolvedPodRuntime | undefined): k8s.PodSecurityContext {
  if (r === undefined) {
    return context;
  }
  const added: { -readonly [K in typeof SECURITY_FIELDS[number]]?: k8s.PodSecurityContext[K] } = {
    ...(r.supplementalGroups.length > 0 ? { supplementalGroups: [...r.supplementalGroups] } : {}),
    ...(r.sysctls.length > 0 ? { sysctls: r.sysctls.map((s) => ({ ...s })) } : {}),
    ...(r.seLinuxOptions !== undefined ? { seLinuxOptions: { ...r.seLinuxOptions } } : {}),
  };
  for (const field of SECURITY_FIELDS) {
    check(added[field] === undefined || context[field] === undefined, where, `${r.prop}.${field}`, 'set',
      `no ${field}: the pod's security context (podSecurityContext) sets it already; give it in one place`);
  }
  return { ...context, ...added };
}

/** The pod spec fields of the runtime options besides the security context (only those given). */
export function runtimeSpecFields(r: ResolvedPodRuntime | undefined): Partial<k8s.PodSpec> {
  if (r === undefined) {
    return {};
  }
  return {
    ...(r.hostAliases.length > 0 ? { hostAliases: r.hostAliases.map((a) => ({ ip: a.ip, hostnames: [...(a.hostnames ?? [])] })) } : {}),
    ...(r.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: r.terminationGracePeriodSeconds } : {}),
    ...(r.schedulerName !== undefined ? { schedulerName: r.schedulerName } : {}),
    ...(r.hostUsers !== undefined ? { hostUsers: r.hostUsers } : {}),
  };
}
