import { check, Where } from './errors';
import { isPort } from './validate';

const LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

/** A parsed `host[:port]`. */
export interface HostPort {
  readonly host: string;
  readonly port?: number;
  readonly isIpv4: boolean;
}

/** True when `value` is a dotted-quad IPv4 address. */
export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** True when `value` is a DNS host name (RFC 1123 labels, at most 253 characters). */
export function isHostName(value: string): boolean {
  if (value.length === 0 || value.length > 253) {
    return false;
  }
  const labels = value.split('.');
  // All-numeric dotted names are addresses, and must then be valid ones.
  if (labels.every((l) => /^[0-9]+$/.test(l))) {
    return false;
  }
  return labels.every((l) => l.length <= 63 && LABEL.test(l));
}

/** Parses `host[:port]` without throwing; undefined when it is malformed. */
export function parseHostPort(value: string): HostPort | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = /^([^:/\s]+)(?::([0-9]{1,5}))?$/.exec(value);
  if (!match) {
    return undefined;
  }
  const host = match[1];
  const ipv4 = isIpv4(host);
  if (!ipv4 && !isHostName(host)) {
    return undefined;
  }
  const port = match[2] === undefined ? undefined : parseInt(match[2], 10);
  if (port !== undefined && !isPort(port)) {
    return undefined;
  }
  return { host, port, isIpv4: ipv4 };
}

/**
 * Throws unless `value` is `host[:port]`: a DNS name or an IPv4 address, and
 * a port from 1 to 65535 when given (required when `requirePort`).
 */
export function validateHostPort(where: Where, property: string, value: string, requirePort = false): HostPort {
  const parsed = parseHostPort(value);
  const allowed = requirePort
    ? 'HOST:PORT, where HOST is a DNS name or an IPv4 address and PORT is from 1 to 65535, e.g. "10.96.0.50:5000", without scheme or path'
    : 'HOST[:PORT], where HOST is a DNS name or an IPv4 address and PORT is from 1 to 65535, e.g. "registry.example.com:5000", without scheme or path';
  check(parsed !== undefined && (!requirePort || parsed.port !== undefined), where, property, value, allowed);
  return parsed!;
}

/**
 * TCP ports on every kubeadm node that belong to Kubernetes itself: a
 * host-network daemon binding one of them fails to start, or takes it from
 * the component. From the Kubernetes documentation, "Ports and Protocols"
 * (kubernetes.io/docs/reference/networking/ports-and-protocols/) and the
 * components' default flags.
 */
export const NODE_RESERVED_TCP_PORTS: ReadonlyArray<{ readonly from: number; readonly to: number; readonly owner: string }> = [
  { from: 2379, to: 2380, owner: 'etcd (client and peer)' },
  { from: 6443, to: 6443, owner: 'the API server' },
  { from: 10248, to: 10248, owner: 'the kubelet\'s health endpoint' },
  { from: 10249, to: 10249, owner: 'kube-proxy\'s metrics' },
  { from: 10250, to: 10250, owner: 'the kubelet API' },
  { from: 10256, to: 10256, owner: 'kube-proxy\'s health endpoint' },
  { from: 10257, to: 10257, owner: 'kube-controller-manager' },
  { from: 10259, to: 10259, owner: 'kube-scheduler' },
  { from: 30000, to: 32767, owner: 'the NodePort range, which kube-proxy serves on every node' },
];

/** Who owns TCP `port` on a kubeadm node, or undefined when Kubernetes does not use it. */
export function reservedNodePort(port: number): string | undefined {
  return NODE_RESERVED_TCP_PORTS.find((r) => port >= r.from && port <= r.to)?.owner;
}
