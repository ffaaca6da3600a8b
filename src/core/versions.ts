/**
 * Release numbers `major.minor.patch` (a suffix such as `-rc1` or
 * `-scala2.13-java17` is ignored): parsing, ordering and ranges.
 */

// major.minor.patch, or major.minor; then the end or a separator (never more digits).
const RELEASE = /^v?(\d+)\.(\d+)(?:\.(\d+)(?=$|[-+._])|(?=$|[-+_]|\.(?!\d)))/;

/** `[major, minor, patch]` of a release number, or undefined when it is none. */
export function parseRelease(value: unknown): number[] | undefined {
  const m = typeof value === 'string' ? RELEASE.exec(value) : null;
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Orders two release numbers: negative, zero or positive. Both must parse. */
export function compareReleases(a: string, b: string): number {
  const pa = parseRelease(a);
  const pb = parseRelease(b);
  if (!pa || !pb) {
    throw new Error(`not release numbers: "${a}", "${b}"`);
  }
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) {
      return pa[i] - pb[i];
    }
  }
  return 0;
}

/** Whether release `value` is `min` or later. */
export function releaseAtLeast(value: string, min: string): boolean {
  return compareReleases(value, min) >= 0;
}

/**
 * Releases from `min` (included) up to `below` (excluded; open-ended when
 * undefined).
 */
export class ReleaseRange {
  constructor(public readonly min: string, public readonly below?: string) {}

  /** Whether `value` is a release number in the range. */
  public contains(value: string): boolean {
    return parseRelease(value) !== undefined && releaseAtLeast(value, this.min)
      && (this.below === undefined || compareReleases(value, this.below) < 0);
  }

  /** The range in words, e.g. `3.0.0 up to (not including) 5.0.0`. */
  public toString(): string {
    return this.below === undefined ? `${this.min} or later` : `${this.min} up to (not including) ${this.below}`;
  }

  /** The range in a table cell, e.g. `≥ 3.0.0, < 5.0.0`. */
  public toCell(): string {
    return this.below === undefined ? `≥ ${this.min}` : `≥ ${this.min}, < ${this.below}`;
  }
}
