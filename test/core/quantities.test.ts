import { cpuQuantity, memoryQuantity } from '../../src/core/quantities';
import { QUANTITY_SUFFIX_FACTORS } from '../../src/core/quantity-suffixes';

// Canonical forms as the API server writes them back (k8s.io/apimachinery
// pkg/api/resource/quantity.go: CanonicalizeBytes keeps the largest binary
// suffix that divides the amount; CPU in whole cores or millicores).

describe('cpuQuantity', () => {
  test.each<[number, string]>([[1, '1m'], [250, '250m'], [1000, '1'], [1500, '1500m'], [2000, '2'], [64000, '64']])('%d millicores: %s', (millis, text) => {
    expect(cpuQuantity(millis)).toBe(text);
  });
});

describe('memoryQuantity', () => {
  test.each<[number, string]>([
    [1, '1Ki'], [1000, '1000Ki'], [1024, '1Mi'], [1536, '1536Ki'], [512 * 1024, '512Mi'], [1024 * 1024, '1Gi'],
    [1536 * 1024, '1536Mi'], [64 * 1024 * 1024, '64Gi'], [1024 ** 3, '1024Gi'],
  ])('%d KiB: %s', (kib, text) => {
    expect(memoryQuantity(kib)).toBe(text);
  });
});

describe('QUANTITY_SUFFIX_FACTORS (quantity.go suffixes)', () => {
  test.each<[string, number]>([
    ['', 1], ['Ki', 2 ** 10], ['Mi', 2 ** 20], ['Gi', 2 ** 30], ['Ti', 2 ** 40], ['Pi', 2 ** 50], ['Ei', 2 ** 60],
    ['k', 1e3], ['M', 1e6], ['G', 1e9], ['T', 1e12], ['P', 1e15], ['E', 1e18],
  ])('%j is %d', (suffix, factor) => {
    expect(QUANTITY_SUFFIX_FACTORS[suffix]).toBe(factor);
  });

  test('no other suffixes: "K", "KB" and "m" (milli, CPU only) are not memory suffixes', () => {
    expect(Object.keys(QUANTITY_SUFFIX_FACTORS).sort()).toEqual(['', 'E', 'Ei', 'G', 'Gi', 'Ki', 'M', 'Mi', 'P', 'Pi', 'T', 'Ti', 'k'].sort());
  });
});
