/** Kubernetes quantity suffixes and their factors (k8s.io/apimachinery pkg/api/resource/quantity.go). */
export const QUANTITY_SUFFIX_FACTORS: { readonly [suffix: string]: number } = {
  '': 1,
  'Ki': 1024,
  'Mi': 1024 ** 2,
  'Gi': 1024 ** 3,
  'Ti': 1024 ** 4,
  'Pi': 1024 ** 5,
  'Ei': 1024 ** 6,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
};
