// Typed CPU and memory amounts converted to exact integers (millicores, KiB)
// so that they can be compared, and back to canonical quantities.

export { kibibytes, millicores } from './validate';

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
