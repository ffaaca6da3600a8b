/**
 * The manifest checks behind the cdk8s validation plugin (./plugin.ts) and the
 * test harness (test/harness/manifests.ts). For each object:
 *  - missing apiVersion / kind / metadata.name;
 *  - built-in kinds: violations of the Kubernetes OpenAPI schema found by the
 *    ajv validators kubernetes-models ships (types, required fields, enums),
 *    and fields the Kubernetes type does not declare (found with the type map,
 *    because those validators accept unknown properties);
 *  - custom resources: violations of the openAPIV3Schema of the matching
 *    CustomResourceDefinition (given, or among the manifests), including
 *    fields the schema does not declare, which the API server would silently
 *    prune;
 *  - objects with no known schema at all.
 *
 * Not part of the jsii API (src/index.ts does not export it).
 */
import { indexCrds, isCrd, SchemaValidator, splitApiVersion } from './private/crd-schema';
import { builtInKind, checkBuiltIn } from './private/kubernetes-models';
import { describeValue, formatPath, isPlainObject, Problem, ProblemRule } from './private/values';

/**
 * What a finding is about:
 * - `schema`: a built-in object (or any object's apiVersion, kind, name or
 *   metadata) breaks the Kubernetes OpenAPI schema;
 * - `unknown-field`: a field the built-in Kubernetes type does not declare;
 * - `crd-schema`: a custom resource breaks its CRD's schema (or uses a version
 *   the CRD does not serve);
 * - `crd-pruned-field`: a field the CRD's schema does not declare, which the
 *   API server silently drops;
 * - `unknown-kind`: no schema at all (not built in, no CRD for it).
 */
export type ManifestRule = ProblemRule | 'unknown-kind';

/** One problem of one manifest object. */
export interface ManifestFinding {
  readonly rule: ManifestRule;
  /** Position of the object in the list given to {@link checkManifests}. */
  readonly index: number;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** `Kind/namespace/name`, `Kind/name`, or `manifest #i` for a value that is not an object. */
  readonly id: string;
  /** JSON path inside the object, e.g. `spec.template.spec.containers[0].image`; absent for the whole object. */
  readonly path?: string;
  readonly message: string;
}

export interface CheckManifestsOptions {
  /**
   * CustomResourceDefinition objects describing custom resources in the
   * manifests. CRDs among the manifests are picked up too and win over these.
   * `null`/`undefined` entries (empty YAML documents) are ignored.
   * @default - none
   */
  readonly crds?: readonly any[];
}

/** `Kind/namespace/name: path: message` (or without the path), as the test harness reports a finding. */
export function formatFinding(f: ManifestFinding): string {
  return f.path === undefined ? `${f.id}: ${f.message}` : `${f.id}: ${f.path}: ${f.message}`;
}

/** Object identity for messages: `Kind/namespace/name`, or `Kind/name` when there is no namespace. */
function objectId(obj: any, index: number): string {
  const kind = typeof obj?.kind === 'string' && obj.kind ? obj.kind : '<no kind>';
  const meta = isPlainObject(obj?.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' && meta.name ? meta.name : `<unnamed #${index}>`;
  return typeof meta.namespace === 'string' && meta.namespace ? `${kind}/${meta.namespace}/${name}` : `${kind}/${name}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Checks every object of `manifests`; an empty list means all is well. */
export function checkManifests(manifests: readonly any[], options: CheckManifestsOptions = {}): ManifestFinding[] {
  if (!Array.isArray(manifests)) {
    throw new Error('checkManifests expects an array of manifest objects');
  }
  const extraCrds = (options.crds ?? []).filter((c) => c !== null && c !== undefined);
  extraCrds.forEach((crd, i) => {
    if (!isCrd(crd)) {
      throw new Error(`options.crds must only contain CustomResourceDefinition objects, got ${objectId(crd, i)}`);
    }
  });
  const crds = indexCrds([...extraCrds, ...manifests.filter(isCrd)]);
  const findings: ManifestFinding[] = [];
  manifests.forEach((obj, index) => {
    if (!isPlainObject(obj)) {
      findings.push({ rule: 'schema', index, id: `manifest #${index}`, message: `expected an object, got ${describeValue(obj)}` });
      return;
    }
    const identity = {
      index,
      id: objectId(obj, index),
      kind: text(obj.kind),
      namespace: text(obj.metadata?.namespace),
      name: text(obj.metadata?.name),
    };
    const seen = new Set<string>();
    const report = (rule: ManifestRule, message: string, path?: string) => {
      const finding: ManifestFinding = { ...identity, rule, path, message };
      const line = formatFinding(finding);
      if (!seen.has(line)) {
        seen.add(line);
        findings.push(finding);
      }
    };
    for (const p of checkObject(obj, crds)) {
      if ('path' in p) {
        report(p.rule, p.message, formatPath(p.path));
      } else {
        report(p.rule, p.message);
      }
    }
  });
  return findings;
}

type ObjectProblem = Problem | { readonly rule: ManifestRule; readonly message: string };

function checkObject(obj: Record<string, any>, crds: ReturnType<typeof indexCrds>): ObjectProblem[] {
  const missing = (value: unknown) => typeof value !== 'string' || value === '';
  const out: ObjectProblem[] = [];
  for (const field of ['apiVersion', 'kind']) {
    if (missing(obj[field])) {
      out.push({ rule: 'schema', path: [field], message: 'required field is missing' });
    }
  }
  if (missing(obj.metadata?.name)) {
    out.push({ rule: 'schema', path: ['metadata', 'name'], message: 'required field is missing' });
  }
  if (missing(obj.apiVersion) || missing(obj.kind)) {
    return out; // no schema to pick without both
  }

  const builtIn = builtInKind(obj.apiVersion, obj.kind);
  if (builtIn) {
    return [...out, ...checkBuiltIn(obj, builtIn)];
  }

  const { group, version } = splitApiVersion(obj.apiVersion);
  const crd = crds.get(`${group}/${obj.kind}`);
  const served = crd?.versions.get(version);
  if (!crd || !served) {
    const detail = crd
      ? `CRD ${crd.crdName} has no version ${JSON.stringify(version)} (it has ${[...crd.versions.keys()].join(', ')})`
      : 'it is not a built-in Kubernetes kind and no CustomResourceDefinition for it was given or synthesized';
    return [...out, {
      rule: 'unknown-kind',
      message: `no schema for apiVersion ${JSON.stringify(obj.apiVersion)} kind ${JSON.stringify(obj.kind)}: ${detail}`,
    }];
  }
  if (!served.served) {
    out.push({ rule: 'crd-schema', message: `version ${JSON.stringify(version)} of CRD ${served.crdName} is not served` });
  }
  return [...out, ...new SchemaValidator(served.crdName, served.preserveAll).validateResource(obj, served.schema)];
}
