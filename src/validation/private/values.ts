// Small helpers shared by the manifest checks: JSON paths, value descriptions
// for messages, "did you mean" suggestions.

/** A JSON path as a list of object keys and array indices. */
export type Segment = string | number;

/** What a check found wrong with a value, before it is tied to an object. */
export type ProblemRule = 'schema' | 'unknown-field' | 'crd-schema' | 'crd-pruned-field';

/** One problem at a path inside an object. */
export interface Problem {
  readonly rule: ProblemRule;
  readonly path: readonly Segment[];
  readonly message: string;
}

export function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** Formats a path as `spec.containers[0].name` / `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') {
      out += `[${seg}]`;
    } else if (IDENTIFIER.test(seg)) {
      out += out ? `.${seg}` : seg;
    } else {
      out += `[${JSON.stringify(seg)}]`;
    }
  }
  return out || '(root)';
}

/** Short description of a value for messages, e.g. `string "3"`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'object') {
    return 'an object';
  }
  let text = JSON.stringify(value) ?? String(value);
  if (text.length > 60) {
    text = text.slice(0, 57) + '...';
  }
  return `${typeof value} ${text}`;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = above;
    }
  }
  return prev[b.length];
}

/** `; did you mean "x"?` when a declared name is close to the unknown one. */
export function suggestion(unknown: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === unknown.toLowerCase() ? 0.5 : editDistance(unknown, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(unknown.length / 4));
  return best !== undefined && bestDistance <= limit ? `; did you mean "${best}"?` : '';
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
