import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { brand, isBranded } from './brand';
import { isCredentialConfKey } from './credentials';
import { check, invalidInput, Where } from './errors';
import { SparkMemory } from './spark-memory';

// Spark keys are free-form (`spark.metrics.conf.*.sink.x`, `...annotation.prometheus.io/scrape`),
// but `--conf` splits at the first '=' and properties files at blanks.
const KEY = /^[A-Za-z][^\s=:#!]*$/;

interface Entry {
  readonly value: string;
  readonly source: string;
}

/**
 * Spark configuration: ordered `key = value` pairs, each remembering who set it.
 *
 * Merging two confs that set a key to different values is an error naming both
 * sources, so a job's conf can never silently override what the platform set
 * (or the other way round). It renders to `--conf key=value` arguments and to
 * `spark-defaults.conf` content.
 */
export class SparkConf {
  /**
   * A conf holding `entries`, in their insertion order.
   * @param entries key/value pairs
   * @param source who sets them, named in conflict errors
   */
  public static of(entries: { [key: string]: string } = {}, source: string = 'SparkConf'): SparkConf {
    const conf = new SparkConf();
    for (const [key, value] of Object.entries(entries)) {
      conf.set(key, value, source);
    }
    return conf;
  }

  /** True when `x` is a SparkConf of this library (any loaded copy of it): use it instead of `instanceof`. */
  public static isSparkConf(x: any): x is SparkConf {
    return isBranded(x, 'SparkConf');
  }

  private readonly entries = new Map<string, Entry>();
  /** Who rendered this conf, when it is read-only (see _seal). */
  private sealedBy?: string;
  /** How many times the entries changed. */
  private revision = 0;

  constructor() {
    brand(this, 'SparkConf');
  }

  /**
   * Sets `key` to `value`. Setting a key again to the same value is a no-op;
   * to another value, an error naming both sources.
   * @param source who sets it, named in conflict errors
   */
  public set(key: string, value: string, source: string = 'SparkConf'): SparkConf {
    const where = `SparkConf (${source})`;
    check(this.sealedBy === undefined, where, 'conf key', key,
      `no change here: this conf is what ${this.sealedBy} rendered, read-only (a change would not reach its output); `
      + 'set the key in the SparkConf passed as its sparkConf prop, or with its addSparkConf method where it has one');
    check(typeof key === 'string' && KEY.test(key), where, 'conf key', key,
      'a Spark configuration key such as "spark.executor.memory": starts with a letter, no blanks and none of = : # !');
    check(typeof value === 'string' && !/[\r\n\0]/.test(value), where, `value of ${key}`, value,
      'a single-line string');
    const existing = this.entries.get(key);
    if (existing && existing.value !== value) {
      throw conflict(where, key, existing, { value, source });
    }
    if (!existing) {
      this.entries.set(key, { value, source });
      this.revision++;
    }
    return this;
  }

  /** Sets a boolean key (`true`/`false`). */
  public setBoolean(key: string, value: boolean, source?: string): SparkConf {
    return this.set(key, value ? 'true' : 'false', source);
  }

  /** Sets an integer key. */
  public setInteger(key: string, value: number, source?: string): SparkConf {
    check(Number.isInteger(value), `SparkConf (${source ?? 'SparkConf'})`, `value of ${key}`, value, 'an integer');
    return this.set(key, String(value), source);
  }

  /** Sets a memory key in Spark's notation (`512m`, `4g`). */
  public setMemory(key: string, value: SparkMemory, source?: string): SparkConf {
    return this.set(key, value.toSparkString(), source);
  }

  /** Sets a time key in Spark's notation (`30s`, `5min`, `2h`). */
  public setDuration(key: string, value: Duration, source?: string): SparkConf {
    return this.set(key, sparkDuration(value), source);
  }

  /** The value of `key`, if set. */
  public get(key: string): string | undefined {
    return this.entries.get(key)?.value;
  }

  /** Who set `key`, if set. */
  public sourceOf(key: string): string | undefined {
    return this.entries.get(key)?.source;
  }

  /** True when `key` is set. */
  public has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The keys, in order. */
  public get keys(): string[] {
    return [...this.entries.keys()];
  }

  /** True when nothing is set. */
  public get isEmpty(): boolean {
    return this.entries.size === 0;
  }

  /**
   * A new conf with this conf's entries followed by `other`'s.
   * @param scope construct named in the error when the two disagree on a key
   */
  public merge(other: SparkConf, scope?: IConstruct): SparkConf {
    const merged = new SparkConf();
    for (const conf of [this, other]) {
      for (const [key, entry] of conf.entries) {
        const existing = merged.entries.get(key);
        if (existing && existing.value !== entry.value) {
          throw conflict(scope ?? 'SparkConf.merge', key, existing, entry);
        }
        if (!existing) {
          merged.entries.set(key, entry);
        }
      }
    }
    return merged;
  }

  /**
   * Changes with every entry added (set() is the only way to change a conf:
   * a key keeps its value), so a construct that copied the conf tells a
   * later change from this number alone instead of comparing every entry.
   * @internal
   */
  public get _revision(): number {
    return this.revision;
  }

  /**
   * Makes this conf read-only: constructs expose what they rendered through
   * it, and a later set() would otherwise be silently ignored.
   * @param by the construct (path) that rendered it, named in the refusal
   * @internal
   */
  public _seal(by: string): SparkConf {
    this.sealedBy = by;
    return this;
  }

  /** The entries as a plain object, in order (e.g. for a SparkApplication's `sparkConf`). */
  public toRecord(): { [key: string]: string } {
    const out: { [key: string]: string } = {};
    for (const [key, { value }] of this.entries) {
      out[key] = value;
    }
    return out;
  }

  /** `spark-submit` arguments: `['--conf', 'key=value', ...]`. */
  public toArgs(): string[] {
    const out: string[] = [];
    for (const [key, { value }] of this.entries) {
      out.push('--conf', `${key}=${value}`);
    }
    return out;
  }

  /**
   * `spark-defaults.conf` content. Spark reads that file as Java properties,
   * so backslashes are escaped and leading blanks of a value protected.
   */
  public toDefaultsFile(): string {
    const lines: string[] = [];
    for (const [key, { value }] of this.entries) {
      let escaped = value.replace(/\\/g, '\\\\');
      if (/^[ \t\f]/.test(escaped)) {
        escaped = `\\${escaped}`;
      }
      lines.push(`${key} ${escaped}`);
    }
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
}

function conflict(where: Where, key: string, a: Entry, b: Entry): Error {
  // The values of a credential key never reach a message (nor CI logs).
  const shown = (value: string) => (isCredentialConfKey(key) ? '***' : value);
  return invalidInput(where, `Spark conf key "${key}"`, shown(b.value),
    `it is set to "${shown(a.value)}" by ${a.source} and to "${shown(b.value)}" by ${b.source}; set it in one place only`);
}

/**
 * Spark time notation: the largest unit that represents the duration exactly.
 * (cdk8s's Duration already refuses negative and fractional milliseconds.)
 */
function sparkDuration(value: Duration): string {
  const ms = value.toMilliseconds();
  const units: Array<[string, number]> = [['d', 86_400_000], ['h', 3_600_000], ['min', 60_000], ['s', 1000]];
  for (const [unit, size] of units) {
    if (ms > 0 && ms % size === 0) {
      return `${ms / size}${unit}`;
    }
  }
  return `${ms}ms`;
}
