// Kubernetes resource quantities as plain numbers, for comparisons the API
// server makes (k8s.io/apimachinery/pkg/api/resource/quantity.go: decimal
// suffixes k M G T P E, binary Ki..Ei, "m" for milli, and e-notation).

const SUFFIX: { readonly [suffix: string]: number } = {
  '': 1,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};
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
export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? `${millis / 1000}` : `${millis}m`;
}

/** `896Mi`, `1Gi`, or bytes when not a whole MiB. */
export function formatMemory(bytes: number): string {
  if (bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30}Gi`;
  if (bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20}Mi`;
  if (bytes % 2 ** 10 === 0) return `${bytes / 2 ** 10}Ki`;
  return `${bytes}`;
}
