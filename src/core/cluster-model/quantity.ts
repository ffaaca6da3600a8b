// Kubernetes resource quantities as plain numbers, for comparisons the API
// server makes (k8s.io/apimachinery/pkg/api/resource/quantity.go: decimal
// suffixes k M G T P E, binary Ki..Ei, "m" for milli, and e-notation).

import { cpuQuantity, memoryQuantity } from '../quantities';
import { QUANTITY_SUFFIX_FACTORS } from '../quantity-suffixes';

// The suffixes of memory quantities, plus "m" (milli), which CPU quantities use.
const SUFFIX: { readonly [suffix: string]: number } = { ...QUANTITY_SUFFIX_FACTORS, m: 1e-3 };
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?)$/;

/** The quantity in base units (cores, bytes), or undefined when it does not parse. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const match = QUANTITY.exec(value.trim());
  if (!match) {
    return undefined;
  }
  const base = Number(match[1]);
  return match[2] !== undefined ? base * 10 ** Number(match[2].slice(1)) : base * SUFFIX[match[3] ?? ''];
}

/** Millicores of a CPU quantity, rounded up as the API server does for sub-milli values. */
export function cpuMillis(value: unknown): number | undefined {
  const cores = parseQuantity(value);
  return cores === undefined ? undefined : Math.ceil(Math.round(cores * 1e9) / 1e6);
}

/** Bytes of a memory quantity. */
export function memoryBytes(value: unknown): number | undefined {
  const bytes = parseQuantity(value);
  return bytes === undefined ? undefined : Math.ceil(bytes);
}

/** `1500m`, `2` */
export const formatCpu: (millis: number) => string = cpuQuantity;

/** `896Mi`, `1Gi`, or bytes when not a whole KiB. */
export function formatMemory(bytes: number): string {
  return bytes % 1024 === 0 ? memoryQuantity(bytes / 1024) : `${bytes}`;
}
