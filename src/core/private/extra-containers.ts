import { Size } from 'cdk8s';
import { Cpu, k8s, Protocol } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { envSources, envVars, volumeMounts } from './container-inputs';
import { check } from '../errors';
import type { ExtraContainer, ExtraContainerPort } from '../extra-container';
import { requirePinned } from '../image-name';
import { ImageRegistryOverride } from '../image-registry-override';
import { renderResources } from '../resources';
import { dnsLabel, unprivilegedPort } from '../validate';

/** An {@link ExtraContainer} checked and rendered, with the property it was given as (for messages). */
export interface ResolvedExtraContainer {
  /** Where it was given, e.g. `pod.sidecars[0]`. */
  readonly property: string;
  readonly name: string;
  /** The image as emitted (the ImageRegistryOverride in force applied). */
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env: k8s.EnvVar[];
  readonly envFrom: k8s.EnvFromSource[];
  readonly ports: k8s.ContainerPort[];
  readonly resources: k8s.ResourceRequirements;
  readonly volumeMounts: k8s.VolumeMount[];
  /** The volumes its mounts need. */
  readonly volumes: k8s.Volume[];
  readonly readOnlyRootFilesystem: boolean;
}

/** The extra containers of one pod options object. */
export interface ResolvedExtraContainers {
  readonly initContainers: ResolvedExtraContainer[];
  readonly sidecars: ResolvedExtraContainer[];
}

/** Small: an extra container is a helper next to the workload, not a second workload. */
const DEFAULT_RESOURCES = {
  cpuRequest: Cpu.millis(50),
  cpuLimit: Cpu.millis(500),
  memoryRequest: Size.mebibytes(64),
  memoryLimit: Size.mebibytes(128),
};

const PROTOCOLS: string[] = [Protocol.TCP, Protocol.UDP, Protocol.SCTP];

/**
 * IsValidPortName (kubernetes/apimachinery pkg/util/validation/validation.go):
 * 1-15 of [-a-z0-9], at least one letter, no '-' at either end, no '--'.
 */
function isPortName(name: unknown): boolean {
  return typeof name === 'string' && name.length >= 1 && name.length <= 15 && /^[-a-z0-9]+$/.test(name) && /[a-z]/.test(name)
    && !name.startsWith('-') && !name.endsWith('-') && !name.includes('--');
}

function ports(scope: IConstruct, property: string, given: ExtraContainerPort[] | undefined): k8s.ContainerPort[] {
  check(given === undefined || Array.isArray(given), scope, property, typeof given, 'a list of ExtraContainerPort');
  return (given ?? []).map((p, i) => {
    const at = `${property}[${i}]`;
    check(p !== null && typeof p === 'object', scope, at, p, 'a port, e.g. { name: "metrics", number: 9102 }');
    check(isPortName(p.name), scope, `${at}.name`, p.name,
      'a port name of 1 to 15 lowercase letters, digits and \'-\', with at least one letter, no \'-\' at either end and no \'--\'');
    unprivilegedPort(scope, `${at}.number`, p.number);
    const protocol = p.protocol ?? Protocol.TCP;
    check(PROTOCOLS.includes(protocol), scope, `${at}.protocol`, protocol, PROTOCOLS.join(', '));
    return { name: p.name, containerPort: p.number, protocol };
  });
}

function strings(scope: IConstruct, property: string, list: string[] | undefined): string[] | undefined {
  check(list === undefined || (Array.isArray(list) && list.every((s) => typeof s === 'string')), scope, property, list,
    'a list of strings');
  return list === undefined ? undefined : [...list];
}

/** One extra container, checked; its volumes go into the pod's `volumes` (shared with the pod's other mounts). */
function resolveOne(scope: IConstruct, property: string, c: ExtraContainer, volumes: Map<string, k8s.Volume>): ResolvedExtraContainer {
  check(c !== null && typeof c === 'object', scope, property, c,
    'an ExtraContainer, e.g. { name: "log-shipper", image: "registry.example.com/fluent-bit:3.2.4" }');
  dnsLabel(scope, `${property}.name`, c.name);
  requirePinned(scope, `${property}.image`, c.image);
  check(c.readOnlyRootFilesystem === undefined || typeof c.readOnlyRootFilesystem === 'boolean', scope,
    `${property}.readOnlyRootFilesystem`, c.readOnlyRootFilesystem, 'true or false');
  const mounts = volumeMounts(scope, `${property}.volumeMounts`, c.volumeMounts, volumes);
  return {
    property,
    name: c.name,
    image: ImageRegistryOverride.resolve(scope, c.image),
    command: strings(scope, `${property}.command`, c.command),
    args: strings(scope, `${property}.args`, c.args),
    env: envVars(scope, `${property}.env`, c.env),
    envFrom: envSources(scope, property, c.envFromSecrets, c.envFromConfigMaps),
    ports: ports(scope, `${property}.ports`, c.ports),
    resources: renderResources(scope, `${property}.resources`, c.resources, DEFAULT_RESOURCES),
    volumeMounts: mounts,
    volumes: [...new Set(mounts.map((m) => m.name))].map((name) => volumes.get(name)!),
    readOnlyRootFilesystem: c.readOnlyRootFilesystem ?? true,
  };
}

/**
 * The init containers and sidecars of `prop`, checked: names and ports
 * distinct among them (the workload's own containers are compared when the
 * pod is rendered).
 */
export function resolveExtraContainers(scope: IConstruct, prop: string, initContainers: ExtraContainer[] | undefined,
  sidecars: ExtraContainer[] | undefined, volumes: Map<string, k8s.Volume>): ResolvedExtraContainers {
  const list = (key: string, given: ExtraContainer[] | undefined) => {
    check(given === undefined || Array.isArray(given), scope, `${prop}.${key}`, typeof given, 'a list of ExtraContainer');
    return (given ?? []).map((c, i) => resolveOne(scope, `${prop}.${key}[${i}]`, c, volumes));
  };
  const resolved = { initContainers: list('initContainers', initContainers), sidecars: list('sidecars', sidecars) };
  const all = [...resolved.initContainers, ...resolved.sidecars];
  all.forEach((c, i) => {
    const earlier = all.slice(0, i);
    const sameName = earlier.find((e) => e.name === c.name);
    check(sameName === undefined, scope, `${c.property}.name`, c.name, `a name no other extra container uses (${sameName?.property} does)`);
    c.ports.forEach((p, j) => {
      const clash = clashingPort([...earlier, { name: c.name, ports: c.ports.slice(0, j) }], p);
      check(clash === undefined, scope, `${c.property}.ports[${j}]`, portText(p), `a port not already used in the pod (${clash})`);
    });
  });
  return resolved;
}

/** What in `containers` already uses the name or the number and protocol of `port`, if anything. */
export function clashingPort(containers: ReadonlyArray<{ readonly name: string; readonly ports?: k8s.ContainerPort[] }>,
  port: k8s.ContainerPort): string | undefined {
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (p.name !== undefined && p.name === port.name) {
        return `container ${c.name} names a port ${p.name}; Services and probes find a port by its name`;
      }
      if (p.containerPort === port.containerPort && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) {
        return `container ${c.name} listens on ${portText(p)}; the containers of a pod share one network`;
      }
    }
  }
  return undefined;
}

/** `name 9102/TCP`. */
export function portText(p: k8s.ContainerPort): string {
  return `${p.name ? `${p.name} ` : ''}${p.containerPort}/${p.protocol ?? 'TCP'}`;
}
