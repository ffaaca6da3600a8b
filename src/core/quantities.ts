import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from './errors';

// Typed CPU and memory amounts converted to exact integers (millicores, KiB)
// so that they can be compared, and back to canonical quantities.

/** Whole millicores of `cpu` (at least 1). */
export function millicores(scope: IConstruct, property: string, cpu: Cpu): number {
  const amount = cpu.amount;
  const exact = amount.endsWith('m') ? Number(amount.slice(0, -1)) : Number(amount) * 1000;
  // Values such as 1.1 cores do not convert exactly in binary floating point.
  const millis = Math.abs(exact - Math.round(exact)) < 1e-6 ? Math.round(exact) : exact;
  check(Number.isInteger(millis) && millis >= 1, scope, property, amount, 'at least 1 millicore, in whole millicores');
  return millis;
}

/** Whole KiB of `size` (at least 1). */
export function kibibytes(scope: IConstruct, property: string, size: Size): number {
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  check(Number.isInteger(kib) && kib >= 1, scope, property, `${kib} KiB`, 'at least 1 KiB, in whole KiB');
  return kib;
}

/** `2`, `500m`. */
export function cpuQuantity(millis: number): string {
  return millis % 1000 === 0 ? `${millis / 1000}` : `${millis}m`;
}

/** `1Gi`, `512Mi`, `100Ki`. */
export function memoryQuantity(kib: number): string {
  if (kib % (1024 * 1024) === 0) {
    return `${kib / (1024 * 1024)}Gi`;
  }
  return kib % 1024 === 0 ? `${kib / 1024}Mi` : `${kib}Ki`;
}
