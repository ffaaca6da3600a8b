import { Size } from 'cdk8s';
import { brand, isBranded } from './brand';
import { check, Where } from './errors';
import { QUANTITY_SUFFIX_FACTORS } from './quantity-suffixes';
import { mebibytes as wholeMebibytes } from './validate';

const MIB = 1024 * 1024;
// Spark's byte-string suffixes (JavaUtils.byteStringAs*): binary multiples, case-insensitive.
const SPARK_UNITS: { [suffix: string]: number } = {
  b: 1 / MIB,
  k: 1 / 1024,
  kb: 1 / 1024,
  m: 1,
  mb: 1,
  g: 1024,
  gb: 1024,
  t: 1024 ** 2,
  tb: 1024 ** 2,
  p: 1024 ** 3,
  pb: 1024 ** 3,
};
const SPARK_MEMORY = /^(\d+)([a-zA-Z]*)$/;
const QUANTITY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Spark's minimum memory overhead. */
export const MIN_MEMORY_OVERHEAD_MIB = 384;
/** Spark's default memory overhead factor for JVM workloads. */
export const DEFAULT_MEMORY_OVERHEAD_FACTOR = 0.1;

/**
 * Options for {@link SparkMemory.overheadFor} and {@link SparkMemory.containerMemoryFor}.
 */
export interface MemoryOverheadOptions {
  /**
   * Explicit overhead (`spark.driver/executor.memoryOverhead`); wins over the factor.
   * @default - computed from the factor
   */
  readonly overhead?: SparkMemory;

  /**
   * Overhead as a fraction of the heap (`spark.driver/executor.memoryOverheadFactor`).
   * @default 0.1
   */
  readonly factor?: number;

  /**
   * The least overhead Spark allocates (`spark.driver/executor.minMemoryOverhead` in Spark 4).
   * @default 384 MiB
   */
  readonly minimum?: SparkMemory;

  /**
   * Memory used outside the JVM and its overhead, e.g. `spark.executor.pyspark.memory`.
   * @default - none
   */
  readonly additional?: SparkMemory;
}

/**
 * An amount of memory in Spark's terms: a whole number of mebibytes.
 *
 * Converts between Spark's notation (`512m`, `4g`; binary units, MiB when no
 * unit is given), Kubernetes quantities (`512Mi`, `4Gi`) and cdk8s `Size`, and
 * applies Spark's overhead rule so container limits match what the JVM asks for.
 */
export class SparkMemory {
  /** True when `x` is a SparkMemory (of any copy of this library). */
  public static isSparkMemory(x: any): x is SparkMemory {
    return isBranded(x, 'SparkMemory');
  }

  /**
   * Parses Spark notation: a whole number with an optional unit
   * (`b`, `k`, `m`, `g`, `t`, `p`, optionally followed by `b`; case-insensitive).
   * A number without a unit means MiB, as in `spark.executor.memory`.
   */
  public static parse(value: string, where: string = 'SparkMemory.parse'): SparkMemory {
    const allowed = 'a positive whole number with an optional unit k, m, g, t or p (binary), e.g. "512m" or "4g", amounting to whole MiB';
    const match = typeof value === 'string' ? SPARK_MEMORY.exec(value.trim()) : null;
    check(match !== null, where, 'memory', value, allowed);
    const unit = SPARK_UNITS[match![2].toLowerCase() || 'm'];
    check(unit !== undefined, where, 'memory', value, allowed);
    return SparkMemory.fromMebibytes(parseInt(match![1], 10) * unit, where, value, allowed);
  }

  /** Parses a Kubernetes quantity such as `512Mi`, `4Gi` or `1000M` (must be whole MiB). */
  public static fromQuantity(quantity: string, where: string = 'SparkMemory.fromQuantity'): SparkMemory {
    const allowed = 'a positive Kubernetes memory quantity that is a whole number of MiB, e.g. "512Mi" or "4Gi"';
    const match = typeof quantity === 'string' ? QUANTITY.exec(quantity) : null;
    check(match !== null, where, 'quantity', quantity, allowed);
    const bytes = parseFloat(match![1]) * QUANTITY_SUFFIX_FACTORS[match![2] ?? ''];
    return SparkMemory.fromMebibytes(bytes / MIB, where, quantity, allowed, 'quantity');
  }

  /** From a cdk8s `Size` (must be whole MiB). */
  public static fromSize(size: Size): SparkMemory {
    return new SparkMemory(wholeMebibytes('SparkMemory.fromSize', 'memory', size));
  }

  /** `n` mebibytes. */
  public static mebibytes(n: number): SparkMemory {
    return SparkMemory.fromMebibytes(n, 'SparkMemory.mebibytes', n, 'a positive whole number of MiB');
  }

  /** `n` gibibytes. */
  public static gibibytes(n: number): SparkMemory {
    return SparkMemory.fromMebibytes(n * 1024, 'SparkMemory.gibibytes', n, 'a positive amount that is a whole number of MiB');
  }

  /**
   * The memory overhead Spark adds to a heap of `memory`:
   * the explicit overhead, or `max(factor x memory, minimum)`.
   */
  public static overheadFor(memory: SparkMemory, options: MemoryOverheadOptions = {}): SparkMemory {
    if (options.overhead) {
      return options.overhead;
    }
    const factor = options.factor ?? DEFAULT_MEMORY_OVERHEAD_FACTOR;
    check(typeof factor === 'number' && factor > 0 && factor < 1, 'SparkMemory.overheadFor', 'factor', factor,
      'a number greater than 0 and less than 1, e.g. 0.1');
    const minimum = options.minimum?.mib ?? MIN_MEMORY_OVERHEAD_MIB;
    // Spark truncates factor x heap to whole MiB before taking the maximum.
    return new SparkMemory(Math.max(Math.floor(factor * memory.mib), minimum));
  }

  /**
   * The container memory (request and limit) for a Spark driver or executor:
   * heap + overhead + any additional memory.
   */
  public static containerMemoryFor(memory: SparkMemory, options: MemoryOverheadOptions = {}): SparkMemory {
    const overhead = SparkMemory.overheadFor(memory, options);
    return new SparkMemory(memory.mib + overhead.mib + (options.additional?.mib ?? 0));
  }

  private static fromMebibytes(mib: number, where: Where, value: unknown, allowed: string, property = 'memory'): SparkMemory {
    check(Number.isFinite(mib) && mib > 0 && Number.isInteger(mib), where, property, value, allowed);
    return new SparkMemory(mib);
  }

  private readonly mib: number;

  private constructor(mebibytes: number) {
    brand(this, 'SparkMemory');
    this.mib = mebibytes;
  }

  /** The amount in MiB. */
  public toMebibytes(): number {
    return this.mib;
  }

  /** Spark notation: `4g` when a whole number of GiB, otherwise `512m`. */
  public toSparkString(): string {
    return this.mib % 1024 === 0 ? `${this.mib / 1024}g` : `${this.mib}m`;
  }

  /** Kubernetes quantity: `4Gi` when a whole number of GiB, otherwise `512Mi`. */
  public toQuantity(): string {
    return this.mib % 1024 === 0 ? `${this.mib / 1024}Gi` : `${this.mib}Mi`;
  }

  /** As a cdk8s `Size`. */
  public toSize(): Size {
    return Size.mebibytes(this.mib);
  }

  /** The sum of this and `other`. */
  public plus(other: SparkMemory): SparkMemory {
    return new SparkMemory(this.mib + other.mib);
  }

  /** True when this is more than `other`. */
  public isGreaterThan(other: SparkMemory): boolean {
    return this.mib > other.mib;
  }
}
