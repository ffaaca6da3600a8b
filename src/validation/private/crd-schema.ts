// Custom resources against the structural schemas (openAPIV3Schema) of their
// CustomResourceDefinitions, including the fields the API server would
// silently prune because the schema does not declare them.
import { checkObjectMeta } from './kubernetes-models';
import { deepEqual, describeValue, hasOwn, isPlainObject, Problem, Segment, suggestion } from './values';

export interface CrdVersionSchema {
  readonly crdName: string;
  readonly served: boolean;
  readonly schema: any;
  /** v1beta1 CRDs without `preserveUnknownFields: false` keep every field. */
  readonly preserveAll: boolean;
}

export interface CrdEntry {
  readonly crdName: string;
  readonly versions: Map<string, CrdVersionSchema>;
}

export function isCrd(obj: any): boolean {
  return isPlainObject(obj) && obj.kind === 'CustomResourceDefinition'
    && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('apiextensions.k8s.io/');
}

/** Indexes CRDs by `group/kind`. */
export function indexCrds(crds: readonly any[]): Map<string, CrdEntry> {
  const index = new Map<string, CrdEntry>();
  for (const crd of crds) {
    const spec = crd.spec ?? {};
    const group = spec.group;
    const kind = spec.names?.kind;
    if (typeof group !== 'string' || typeof kind !== 'string') {
      continue; // the CRD itself is reported by the built-in validation
    }
    const crdName = crd.metadata?.name ?? `${spec.names?.plural}.${group}`;
    const legacy = crd.apiVersion === 'apiextensions.k8s.io/v1beta1';
    const preserveAll = legacy && spec.preserveUnknownFields !== false;
    const versions = new Map<string, CrdVersionSchema>();
    const list: any[] = Array.isArray(spec.versions) && spec.versions.length > 0
      ? spec.versions
      : [{ name: spec.version, served: true }];
    for (const v of list) {
      if (typeof v?.name !== 'string') {
        continue;
      }
      versions.set(v.name, {
        crdName,
        served: v.served !== false,
        schema: v.schema?.openAPIV3Schema ?? spec.validation?.openAPIV3Schema,
        preserveAll,
      });
    }
    index.set(`${group}/${kind}`, { crdName, versions });
  }
  return index;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

const IMPLICIT_RESOURCE_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * A small validator for Kubernetes structural schemas (the subset of OpenAPI v3
 * that CRDs use). `prune` is false inside allOf/anyOf/oneOf/not branches:
 * those only constrain values, while field pruning follows the main schema.
 */
export class SchemaValidator {
  private readonly patterns = new Map<string, RegExp>();

  /**
   * @param crdName used in messages
   * @param preserveAll keep unknown fields everywhere (legacy v1beta1 CRDs
   *   without `preserveUnknownFields: false`)
   */
  constructor(private readonly crdName: string, private readonly preserveAll: boolean) {}

  /** Validates a whole custom resource (its metadata is checked as ObjectMeta). */
  validateResource(obj: any, schema: any): Problem[] {
    const out: Problem[] = [];
    this.validate(obj, schema ?? {}, [], out, true, true);
    return out;
  }

  private validate(value: any, schema: any, at: Segment[], out: Problem[], prune: boolean, resource = false): void {
    if (!isPlainObject(schema)) {
      return;
    }
    if (value === null) {
      if (schema.nullable !== true && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
        out.push({ rule: 'crd-schema', path: at, message: `must be ${schema.type ?? 'a value'} (got null; the schema is not nullable)` });
      }
      return;
    }
    if (!this.checkType(value, schema, at, out)) {
      return;
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => deepEqual(e, value))) {
      const allowed = schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ');
      out.push({ rule: 'crd-schema', path: at, message: `must be one of ${allowed} (got ${describeValue(value)})` });
    }
    if (typeof value === 'string') {
      this.checkString(value, schema, at, out);
    } else if (typeof value === 'number') {
      this.checkNumber(value, schema, at, out);
    } else if (Array.isArray(value)) {
      this.checkArray(value, schema, at, out, prune);
    } else if (isPlainObject(value)) {
      this.checkObject(value, schema, at, out, prune, resource);
    }
    this.checkCombinators(value, schema, at, out);
  }

  /** Returns false when the value has the wrong type (nothing else is checked then). */
  private checkType(value: any, schema: any, at: Segment[], out: Problem[]): boolean {
    if (schema['x-kubernetes-int-or-string'] === true) {
      if (typeof value === 'string' || Number.isInteger(value)) {
        return true;
      }
      out.push({ rule: 'crd-schema', path: at, message: `must be integer or string (got ${describeValue(value)})` });
      return false;
    }
    const type = schema.type;
    if (typeof type !== 'string' || type === '') {
      return true;
    }
    let ok: boolean;
    switch (type) {
      case 'object': ok = isPlainObject(value); break;
      case 'array': ok = Array.isArray(value); break;
      case 'string': ok = typeof value === 'string'; break;
      case 'integer': ok = Number.isInteger(value); break;
      case 'number': ok = typeof value === 'number' && Number.isFinite(value); break;
      case 'boolean': ok = typeof value === 'boolean'; break;
      default: ok = true; // unknown type keyword: the CRD would be rejected; not our concern here
    }
    if (!ok) {
      out.push({ rule: 'crd-schema', path: at, message: `must be ${type} (got ${describeValue(value)})` });
    }
    return ok;
  }

  private checkString(value: string, schema: any, at: Segment[], out: Problem[]): void {
    // Kubernetes counts characters (runes), not UTF-16 code units.
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) {
      out.push({ rule: 'crd-schema', path: at, message: `must be at least ${schema.minLength} characters long (got ${length})` });
    }
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
      out.push({ rule: 'crd-schema', path: at, message: `must be at most ${schema.maxLength} characters long (got ${length})` });
    }
    if (typeof schema.pattern === 'string') {
      let re = this.patterns.get(schema.pattern);
      if (!re) {
        // Kubernetes uses Go (RE2) syntax; the common subset is the same in JS.
        re = new RegExp(schema.pattern, 'u');
        this.patterns.set(schema.pattern, re);
      }
      if (!re.test(value)) {
        out.push({ rule: 'crd-schema', path: at, message: `must match pattern ${JSON.stringify(schema.pattern)} (got ${describeValue(value)})` });
      }
    }
  }

  private checkNumber(value: number, schema: any, at: Segment[], out: Problem[]): void {
    if (typeof schema.minimum === 'number') {
      const bad = schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum;
      if (bad) {
        const op = schema.exclusiveMinimum === true ? '>' : '>=';
        out.push({ rule: 'crd-schema', path: at, message: `must be ${op} ${schema.minimum} (got ${value})` });
      }
    }
    if (typeof schema.maximum === 'number') {
      const bad = schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum;
      if (bad) {
        const op = schema.exclusiveMaximum === true ? '<' : '<=';
        out.push({ rule: 'crd-schema', path: at, message: `must be ${op} ${schema.maximum} (got ${value})` });
      }
    }
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
      const q = value / schema.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) {
        out.push({ rule: 'crd-schema', path: at, message: `must be a multiple of ${schema.multipleOf} (got ${value})` });
      }
    }
  }

  private checkArray(value: any[], schema: any, at: Segment[], out: Problem[], prune: boolean): void {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      out.push({ rule: 'crd-schema', path: at, message: `must have at least ${schema.minItems} items (got ${value.length})` });
    }
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      out.push({ rule: 'crd-schema', path: at, message: `must have at most ${schema.maxItems} items (got ${value.length})` });
    }
    const listType = schema['x-kubernetes-list-type'];
    if (schema.uniqueItems === true || listType === 'set') {
      this.checkUnique(value, (item) => item, 'duplicate item', at, out);
    } else if (listType === 'map' && Array.isArray(schema['x-kubernetes-list-map-keys'])) {
      const keys: string[] = schema['x-kubernetes-list-map-keys'];
      this.checkUnique(value, (item) => keys.map((k) => item?.[k]), `duplicate entry for key (${keys.join(', ')})`, at, out);
    }
    if (isPlainObject(schema.items)) {
      value.forEach((item, i) => this.validate(item, schema.items, [...at, i], out, prune));
    }
  }

  private checkUnique(value: any[], key: (item: any) => unknown, message: string, at: Segment[], out: Problem[]): void {
    for (let i = 1; i < value.length; i++) {
      for (let j = 0; j < i; j++) {
        if (deepEqual(key(value[i]), key(value[j]))) {
          out.push({ rule: 'crd-schema', path: [...at, i], message: `${message} (same as [${j}])` });
          break;
        }
      }
    }
  }

  private checkObject(value: Record<string, any>, schema: any, at: Segment[], out: Problem[], prune: boolean,
    resource: boolean): void {
    const embedded = schema['x-kubernetes-embedded-resource'] === true;
    const preserve = this.preserveAll || schema['x-kubernetes-preserve-unknown-fields'] === true;
    const properties: Record<string, any> = isPlainObject(schema.properties) ? schema.properties : {};
    const additional = schema.additionalProperties;

    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (!hasOwn(value, name) || value[name] === undefined) {
          out.push({ rule: 'crd-schema', path: [...at, name], message: 'required field is missing' });
        }
      }
    }
    const count = Object.keys(value).length;
    if (typeof schema.minProperties === 'number' && count < schema.minProperties) {
      out.push({ rule: 'crd-schema', path: at, message: `must have at least ${schema.minProperties} properties (got ${count})` });
    }
    if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) {
      out.push({ rule: 'crd-schema', path: at, message: `must have at most ${schema.maxProperties} properties (got ${count})` });
    }
    if (embedded && prune) {
      // An embedded resource must say what it is; its metadata is ObjectMeta.
      for (const name of ['apiVersion', 'kind']) {
        if (typeof value[name] !== 'string' || value[name] === '') {
          out.push({ rule: 'crd-schema', path: [...at, name], message: 'required field of an embedded resource is missing' });
        }
      }
    }
    // Resource metadata is validated as ObjectMeta instead of by the CRD schema
    // (the API server does the same).
    if ((resource || embedded) && prune) {
      out.push(...checkObjectMeta(value.metadata, [...at, 'metadata']));
    }

    for (const key of Object.keys(value)) {
      const child = [...at, key];
      if ((resource || embedded) && IMPLICIT_RESOURCE_FIELDS.has(key)) {
        if (key !== 'metadata' && hasOwn(properties, key)) {
          this.validate(value[key], properties[key], child, out, prune);
        }
      } else if (hasOwn(properties, key)) {
        this.validate(value[key], properties[key], child, out, prune);
      } else if (isPlainObject(additional)) {
        this.validate(value[key], additional, child, out, prune);
      } else if (additional === true || preserve || !prune) {
        // Kept by the API server (or only a value-constraint branch): nothing to check.
      } else {
        out.push({
          rule: 'crd-pruned-field',
          path: child,
          message: `unknown field (not declared in the schema of CRD ${this.crdName}; `
            + `the API server would silently prune it${suggestion(key, Object.keys(properties))})`,
        });
      }
    }
  }

  /** allOf/anyOf/oneOf/not: value constraints only (see `prune`). */
  private checkCombinators(value: any, schema: any, at: Segment[], out: Problem[]): void {
    const passes = (branch: any): boolean => {
      const trial: Problem[] = [];
      this.validate(value, branch, at, trial, false);
      return trial.length === 0;
    };
    if (Array.isArray(schema.allOf)) {
      for (const branch of schema.allOf) {
        this.validate(value, branch, at, out, false);
      }
    }
    // x-kubernetes-int-or-string is conventionally paired with
    // anyOf [integer, string]; the type check above already covers it.
    if (Array.isArray(schema.anyOf) && !schema.anyOf.some(passes)) {
      out.push({ rule: 'crd-schema', path: at, message: `must match at least one of the anyOf schemas (got ${describeValue(value)})` });
    }
    if (Array.isArray(schema.oneOf)) {
      const matches = schema.oneOf.filter(passes).length;
      if (matches !== 1) {
        out.push({ rule: 'crd-schema', path: at, message: `must match exactly one of the oneOf schemas (matches ${matches})` });
      }
    }
    if (isPlainObject(schema.not) && passes(schema.not)) {
      out.push({ rule: 'crd-schema', path: at, message: 'must not match the "not" schema' });
    }
  }
}

