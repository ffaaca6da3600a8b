// Canonical Kubernetes quantities from exact integers (millicores, KiB);
// core/validate turns typed amounts into those integers.

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
