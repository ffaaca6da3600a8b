/**
 * Manifest validation harness used by every construct test: a thin wrapper
 * over the checks the library ships as a cdk8s validation plugin
 * (src/validation/manifest-checks.ts; see there for what is checked).
 */
import { Chart, Testing } from 'cdk8s';
import { checkManifests, formatFinding } from '../../src/validation/manifest-checks';

export interface ValidateManifestsOptions {
  /**
   * CustomResourceDefinition objects (parsed JSON/YAML) describing custom
   * resources that appear in the manifests. CRDs that are themselves part of
   * the manifests are picked up automatically. `null`/`undefined` entries (empty
   * YAML documents) are ignored.
   */
  readonly crds?: any[];
}

/**
 * Validates synthesized manifests. Returns human-readable problems of the form
 * `Kind/namespace/name: json.path: message`; an empty list means all is well.
 */
export function validateManifests(manifests: any[], options: ValidateManifestsOptions = {}): string[] {
  if (!Array.isArray(manifests)) {
    throw new Error('validateManifests expects an array of manifest objects');
  }
  return checkManifests(manifests, options).map(formatFinding);
}

/** Throws an Error listing every problem (for use in jest tests). */
export function expectValidManifests(manifests: any[], options?: ValidateManifestsOptions): void {
  const problems = validateManifests(manifests, options);
  if (problems.length > 0) {
    throw new Error(`${problems.length} problem(s) in ${manifests.length} manifest(s):\n`
      + problems.map((p) => `  - ${p}`).join('\n'));
  }
}

/** Synthesizes a chart, validates the result and returns the manifests. */
export function synthValid(chart: Chart, options?: ValidateManifestsOptions): any[] {
  const manifests = Testing.synth(chart);
  expectValidManifests(manifests, options);
  return manifests;
}
