// IPv4 address and CIDR arithmetic, kept to what the cluster layer needs.

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
  readonly text: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function parseIpv4(text: string): number | undefined {
  if (typeof text !== 'string' || !IPV4.test(text)) {
    return undefined;
  }
  return text.split('.').reduce((acc, part) => acc * 256 + parseInt(part, 10), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Parses `a.b.c.d/n`; undefined unless valid with no host bits set. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const [ip, prefixText, ...rest] = typeof text === 'string' ? text.split('/') : [];
  // No leading zeros: Go's parsers (kubeadm, flannel) reject `/08`.
  if (rest.length || prefixText === undefined || !/^(0|[1-9]\d?)$/.test(prefixText)) {
    return undefined;
  }
  const prefix = parseInt(prefixText, 10);
  const network = parseIpv4(ip);
  if (network === undefined || prefix > 32 || network % size(prefix) !== 0) {
    return undefined;
  }
  return { network, prefix, text };
}

/** Number of addresses in a block of this prefix length. */
export function size(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function contains(cidr: Ipv4Cidr, ip: number): boolean {
  return ip >= cidr.network && ip < cidr.network + size(cidr.prefix);
}

export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return contains(a, b.network) || contains(b, a.network);
}

/**
 * Ranges no cluster address may come from: "this network", loopback,
 * link-local, and multicast plus the reserved class E (up to broadcast).
 */
export const SPECIAL_PURPOSE: Ipv4Cidr[] = ['0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/3']
  .map((text) => parseCidr(text)!);
