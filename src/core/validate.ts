import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu, ISecret } from 'cdk8s-plus-28';
import { check, Where } from './errors';

// The one validation toolkit: every check of a user-given value that more than
// one construct makes lives here, so the rule and its message exist once. Each
// function throws through `check` (path, property, value, what is allowed) and
// returns the value in the form the caller emits.
//
// Kubernetes rules follow k8s.io/apimachinery pkg/util/validation/validation.go
// and pkg/api/validate/content/{dns,kube}.go (IsDNS1123Label,
// IsDNS1123Subdomain, IsDNS1035Label, IsValidPortNum, IsConfigMapKey,
// IsLabelKey, IsLabelValue, httpPathFmt).

/** The largest value of an int32 field (seconds, counts) in the Kubernetes API. */
export const INT32_MAX = 2 ** 31 - 1;

// ---------------------------------------------------------------- durations

/** Bounds for {@link wholeSeconds}. */
export interface SecondsBounds {
  /** @default 1 */
  readonly min?: number;
  /** @default INT32_MAX (Kubernetes stores seconds as int32) */
  readonly max?: number;
}

/**
 * Whole seconds of `value`, from `min` to `max`: Kubernetes, Spark and most
 * controllers read these durations as integer seconds, so a fraction would be
 * cut off or refused downstream.
 */
export function wholeSeconds(where: Where, property: string, value: Duration, bounds: SecondsBounds = {}): number {
  const min = bounds.min ?? 1;
  const max = bounds.max ?? INT32_MAX;
  check(value instanceof Duration, where, property, typeof value, 'a cdk8s Duration, e.g. Duration.seconds(30)');
  const ms = value.toMilliseconds();
  const allowed = max === INT32_MAX
    ? `a whole number of seconds, at least ${min}`
    : `a whole number of seconds, at least ${min} and at most ${max}`;
  check(ms % 1000 === 0 && ms / 1000 >= min && ms / 1000 <= max, where, property, `${ms} ms`, allowed);
  return ms / 1000;
}

// -------------------------------------------------------------------- numbers

/** Bounds for {@link integer}. */
export interface IntegerBounds {
  /** @default 0 */
  readonly min?: number;
  /** @default INT32_MAX */
  readonly max?: number;
}

/** An integer from `min` to `max`. */
export function integer(where: Where, property: string, value: number, bounds: IntegerBounds = {}): number {
  const min = bounds.min ?? 0;
  const max = bounds.max ?? INT32_MAX;
  check(Number.isInteger(value) && value >= min && value <= max, where, property, value,
    max === INT32_MAX ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`);
  return value;
}

// ---------------------------------------------------------------------- ports

/** True when `value` is a TCP/UDP port from 1 to 65535 (IsValidPortNum), e.g. the port part of a URL. */
export function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** IsValidPortNum: a TCP/UDP port from 1 to 65535. */
export function port(where: Where, property: string, value: number): number {
  check(isPort(value), where, property, value, 'a port number from 1 to 65535');
  return value;
}

/**
 * A port a process without privileges can bind (1024-65535): the library's
 * pods run as non-root with every capability dropped, so no NET_BIND_SERVICE.
 */
export function unprivilegedPort(where: Where, property: string, value: number): number {
  check(Number.isInteger(value) && value >= 1024 && value <= 65535, where, property, value,
    'a port from 1024 to 65535 (the pods run as non-root without capabilities, so they cannot bind lower ports)');
  return value;
}

/** The API server's default `--service-node-port-range` (kube-apiserver options: 30000-32767). */
export const NODE_PORT_RANGE: NodePortRange = { min: 30000, max: 32767 };

/** A NodePort range, inclusive. */
export interface NodePortRange {
  readonly min: number;
  readonly max: number;
}

/**
 * A NodePort inside `range`: the API server refuses a Service whose
 * `nodePort` lies outside its `--service-node-port-range`.
 */
export function nodePort(where: Where, property: string, value: number, range: NodePortRange = NODE_PORT_RANGE): number {
  check(Number.isInteger(value) && value >= range.min && value <= range.max, where, property, value,
    `a NodePort from ${range.min} to ${range.max} (the API server's --service-node-port-range refuses other ports)`);
  return value;
}

// ------------------------------------------------------------ CPU and memory

/**
 * Whole millicores of `cpu`, at least 1: Kubernetes keeps CPU to the
 * millicore (quantity.go rounds finer amounts up), so anything finer is a
 * mistake rather than a request.
 */
export function millicores(where: Where, property: string, cpu: Cpu): number {
  // By shape, not `instanceof`: a Cpu of the user's own cdk8s-plus line (e.g. cdk8s-plus-33) is as good.
  check(cpu !== null && typeof cpu === 'object' && typeof cpu.amount === 'string', where, property, typeof cpu,
    'a cdk8s-plus Cpu (any 2.x line), e.g. Cpu.millis(500)');
  const amount = cpu.amount;
  const exact = amount.endsWith('m') ? Number(amount.slice(0, -1)) : Number(amount) * 1000;
  // Values such as 1.1 cores do not convert exactly in binary floating point.
  const millis = Math.abs(exact - Math.round(exact)) < 1e-6 ? Math.round(exact) : exact;
  check(Number.isInteger(millis) && millis >= 1, where, property, amount, 'at least 1 millicore, in whole millicores');
  return millis;
}

/** Whole KiB of `size`, at least 1 (memory quantities are emitted in Ki/Mi/Gi). */
export function kibibytes(where: Where, property: string, size: Size): number {
  check(size instanceof Size, where, property, typeof size, 'a cdk8s Size, e.g. Size.gibibytes(2)');
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  check(Number.isInteger(kib) && kib >= 1, where, property, `${kib} KiB`, 'at least 1 KiB, in whole KiB');
  return kib;
}

/** Whole MiB of `size`, at least 1 (what Spark's memory settings take). */
export function mebibytes(where: Where, property: string, size: Size): number {
  check(size instanceof Size, where, property, typeof size, 'a cdk8s Size, e.g. Size.gibibytes(2)');
  const mib = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  check(Number.isInteger(mib) && mib >= 1, where, property, `${mib} MiB`, 'at least 1 MiB, in whole MiB');
  return mib;
}

// ---------------------------------------------------------------- DNS names

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** DNS1123LabelMaxLength, DNS1035LabelMaxLength. */
export const DNS_LABEL_MAX = 63;
/** DNS1123SubdomainMaxLength. */
export const DNS_SUBDOMAIN_MAX = 253;

/** True when `value` is an RFC 1123 label (IsDNS1123Label). */
export function isDnsLabel(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= DNS_LABEL_MAX && DNS1123_LABEL.test(value);
}

/** True when `value` is an RFC 1035 label (IsDNS1035Label). */
export function isDns1035Label(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= DNS_LABEL_MAX && DNS1035_LABEL.test(value);
}

/**
 * True when `value` is an RFC 1123 subdomain as Kubernetes checks it
 * (IsDNS1123Subdomain): at most 253 characters of dot-separated labels. Like
 * the API server, it does not limit each label to 63 characters.
 */
export function isDnsSubdomain(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= DNS_SUBDOMAIN_MAX && subdomainParts(value);
}

function subdomainParts(value: string): boolean {
  return value.split('.').every((part) => DNS1123_LABEL.test(part));
}

function nameLength(where: Where, property: string, value: string, maxLength: number, grammar: string): void {
  check(typeof value === 'string' && value.length > 0 && value.length <= maxLength, where, property, value,
    `a ${grammar} of 1 to ${maxLength} characters is required`);
}

/** A DNS-1123 label (most object names, namespaces), at most `maxLength` characters. */
export function dnsLabel(where: Where, property: string, value: string, maxLength: number = DNS_LABEL_MAX): string {
  nameLength(where, property, value, maxLength, 'DNS-1123 label');
  check(DNS1123_LABEL.test(value), where, property, value,
    'a DNS-1123 label consists of lowercase letters, digits and \'-\', and starts and ends with a letter or digit');
  return value;
}

/** A DNS-1035 label (Service names and anything that must start with a letter). */
export function dns1035Label(where: Where, property: string, value: string, maxLength: number = DNS_LABEL_MAX): string {
  nameLength(where, property, value, maxLength, 'DNS-1035 label');
  check(DNS1035_LABEL.test(value), where, property, value,
    'a DNS-1035 label consists of lowercase letters, digits and \'-\', starts with a letter and ends with a letter or digit');
  return value;
}

/** A DNS-1123 subdomain (ConfigMap/Secret names, StorageClass names, issuer names, host names). */
export function dnsSubdomain(where: Where, property: string, value: string, maxLength: number = DNS_SUBDOMAIN_MAX): string {
  nameLength(where, property, value, maxLength, 'DNS-1123 subdomain');
  check(subdomainParts(value), where, property, value,
    'a DNS-1123 subdomain consists of dot-separated parts of lowercase letters, digits and \'-\', each starting and ending with a letter or digit');
  return value;
}

// ------------------------------------------------------------------- labels

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** True when `key` is a label key (IsLabelKey): `[prefix/]name`, prefix a DNS subdomain, name at most 63 characters. */
export function isLabelKey(key: unknown): key is string {
  if (typeof key !== 'string') {
    return false;
  }
  const parts = key.split('/');
  if (parts.length > 2) {
    return false;
  }
  const name = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || isDnsSubdomain(parts[0]);
  return prefixOk && name.length <= DNS_LABEL_MAX && LABEL_NAME.test(name);
}

/** True when `value` is a label value (IsLabelValue): empty, or at most 63 characters. */
export function isLabelValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= DNS_LABEL_MAX && LABEL_VALUE.test(value);
}

/** A label (or annotation) key. */
export function labelKey(where: Where, property: string, key: string): string {
  check(isLabelKey(key), where, property, key,
    'a label key: an optional DNS subdomain prefix and \'/\', then at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit');
  return key;
}

/** A label value. */
export function labelValue(where: Where, property: string, value: string): string {
  check(isLabelValue(value), where, property, value,
    'a label value has at most 63 characters: letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit');
  return value;
}

/** Every key and value of `labels`; the value is reported as `property["key"]`. */
export function labels(where: Where, property: string, map: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(map ?? {})) {
    labelKey(where, `${property} key`, key);
    labelValue(where, `${property}["${key}"]`, value);
  }
}

/**
 * Annotations: label keys with string values (any text). Returns a copy
 * sorted by key, so that a rendering of it (a JSON flag) reads the same on
 * every synthesis.
 */
export function annotations(where: Where, property: string, map: { [key: string]: string } | undefined): { [key: string]: string } {
  check(map === undefined || (typeof map === 'object' && map !== null && !Array.isArray(map)), where, property, map,
    'a map of annotation keys to string values');
  const out: { [key: string]: string } = {};
  for (const key of Object.keys(map ?? {}).sort()) {
    labelKey(where, `${property} key`, key);
    const value = map![key];
    check(typeof value === 'string', where, `${property}["${key}"]`, value, 'a string');
    out[key] = value;
  }
  return out;
}

// ------------------------------------------------------------ Ingress TLS

/** One TLS entry of an Ingress. */
export interface IngressTlsEntry {
  readonly hosts: string[];
  readonly secretName?: string;
}

/**
 * The TLS entries of an Ingress as networking/v1 IngressTLS JSON (`hosts`,
 * `secretName`): host names, a wildcard covering one level (`*.example.com`)
 * allowed, and an optional Secret name.
 */
export function ingressTls(where: Where, property: string, entries: ReadonlyArray<IngressTlsEntry> | undefined): IngressTlsEntry[] {
  check(entries === undefined || Array.isArray(entries), where, property, entries, 'a list of TLS entries, each with hosts and a Secret name');
  return (entries ?? []).map((entry, i) => {
    const hosts = entry?.hosts;
    check(Array.isArray(hosts) && hosts.length > 0, where, `${property}[${i}].hosts`, hosts, 'at least one host name');
    for (const host of hosts) {
      check(typeof host === 'string' && isDnsSubdomain(host.startsWith('*.') ? host.slice(2) : host), where, `${property}[${i}].hosts`, host,
        'a host name (lowercase letters, digits, \'-\' and \'.\'), or a wildcard such as "*.spark.example.com"');
    }
    const secretName = entry.secretName === undefined ? undefined : dnsSubdomain(where, `${property}[${i}].secretName`, entry.secretName);
    return { hosts: [...hosts], ...(secretName !== undefined ? { secretName } : {}) };
  });
}

// ----------------------------------------------------- Secret keys and paths

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * A key of a Secret or ConfigMap (IsConfigMapKey): at most 253 letters,
 * digits, '-', '_' and '.', and not `.`, `..` or starting with `..` (the
 * kubelet writes each key as a file name in the volume).
 */
export function secretKey(where: Where, property: string, key: string): string {
  check(typeof key === 'string' && key.length <= DNS_SUBDOMAIN_MAX && CONFIG_KEY.test(key) && !key.startsWith('..') && key !== '.',
    where, property, key,
    'a Secret key: 1 to 253 letters, digits, \'-\', \'_\' and \'.\', not "." and not starting with ".."');
  return key;
}

// Unreserved characters of RFC 3986 plus '/': a subset of apimachinery's
// httpPathFmt without percent-encoding and sub-delims, so a path can go into
// Spark conf, shell scripts and YAML unquoted.
const HTTP_PATH = /^\/[A-Za-z0-9._~\/-]*$/;

/** True when `path` is an absolute HTTP path of the characters {@link httpPath} allows. */
export function isHttpPath(path: unknown): path is string {
  return typeof path === 'string' && HTTP_PATH.test(path);
}

/** An absolute HTTP path such as `/spark` or `/api/v1`. */
export function httpPath(where: Where, property: string, path: string): string {
  check(isHttpPath(path), where, property, path, HTTP_PATH_ALLOWED);
  return path;
}

const HTTP_PATH_ALLOWED = 'an absolute HTTP path: \'/\' followed by letters, digits, \'-\', \'.\', \'_\', \'~\' and \'/\'';

// --------------------------------------------------------------------- enums

/**
 * A member of a TypeScript string enum: from JavaScript (or jsii languages)
 * any string can arrive where an enum is typed.
 */
export function enumValue<T extends string>(where: Where, property: string, value: T, values: { [key: string]: T }): T {
  const allowed = Object.values(values);
  check(allowed.includes(value), where, property, value, `one of ${allowed.join(', ')}`);
  return value;
}

/**
 * Throws unless `secret` is a Secret reference with a name (a cdk8s-plus
 * `ISecret`): from plain JavaScript a string or an object without a name
 * would otherwise render a `secretKeyRef` without a name.
 */
export function secretRef(where: Where, property: string, secret: ISecret): ISecret {
  check(secret !== undefined && secret !== null && typeof secret === 'object' && typeof secret.name === 'string' && secret.name.length > 0,
    where, property, secret === undefined || secret === null ? secret : typeof secret, 'an ISecret, e.g. Secret.fromSecretName(scope, "Id", "name")');
  return secret;
}

/**
 * Throws unless `value` (when given) is an object of the library type that
 * `isKind` recognizes: callers from plain JavaScript, without the compiler's
 * checks, get the usual refusal instead of a TypeError from deep inside.
 * @param expected what to give, e.g. "a SparkMemory, e.g. SparkMemory.gibibytes(2)"
 */
export function typed<T>(where: Where, property: string, value: T | undefined, isKind: (x: any) => boolean, expected: string): T | undefined {
  check(value === undefined || isKind(value), where, property, value === null || typeof value !== 'object' ? value : '(another object)', expected);
  return value;
}
