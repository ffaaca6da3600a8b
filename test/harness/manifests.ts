/**
 * Manifest validation harness used by every construct test.
 *
 * `validateManifests` reports, for each object:
 *  - missing apiVersion / kind / metadata.name;
 *  - for built-in kinds: schema violations found by the ajv validator that
 *    kubernetes-models ships (types, required fields, enums), and fields that
 *    the Kubernetes type does not declare (found by walking the object with
 *    k8s-type-map.json, because those validators accept unknown properties);
 *  - for custom resources: violations of the openAPIV3Schema of the matching
 *    CustomResourceDefinition (taken from `options.crds` and from CRDs among
 *    the manifests), including fields the schema does not declare, which the
 *    API server would silently prune;
 *  - objects with no known schema at all.
 *
 * Everything heavy (the type map, model modules) is loaded lazily and cached.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';

export interface ValidateManifestsOptions {
  /**
   * CustomResourceDefinition objects (parsed JSON/YAML) describing custom
   * resources that appear in the manifests. CRDs that are themselves part of
   * the manifests are picked up automatically. `null`/`undefined` entries (empty
   * YAML documents) are ignored.
   */
  readonly crds?: any[];
}

/** A JSON path as a list of object keys and array indices. */
type Segment = string | number;

interface Problem {
  readonly path: readonly Segment[];
  readonly message: string;
}

// ---------------------------------------------------------------------------
// Type map and model loading
// ---------------------------------------------------------------------------

interface KindEntry {
  readonly type: string;
  readonly module: string;
}

interface TypeMap {
  readonly kinds: Record<string, Record<string, KindEntry>>;
  readonly sources: Record<string, string>;
  readonly types: Record<string, Record<string, string>>;
}

/** Minimal view of the ajv errors attached to kubernetes-models' ValidationError. */
interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, any>;
  readonly message?: string;
}

type ModelClass = new (data: any) => { validate(): void };

const OBJECT_META = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';
const REGENERATE = 'npx tsx scripts/gen-k8s-type-map.ts';

let modelsDirCache: string | undefined;
let typeMapCache: TypeMap | undefined;
const modelCache = new Map<string, ModelClass>();

function modelsDir(): string {
  modelsDirCache ??= path.dirname(require.resolve('kubernetes-models'));
  return modelsDirCache;
}

function typeMap(): TypeMap {
  if (!typeMapCache) {
    const map: TypeMap = JSON.parse(fs.readFileSync(path.join(__dirname, 'k8s-type-map.json'), 'utf8'));
    // A map generated from another kubernetes-models version would give wrong
    // "unknown field" verdicts, so refuse to run with it.
    const installed = JSON.parse(fs.readFileSync(path.join(modelsDir(), 'package.json'), 'utf8')).version;
    const generatedFrom = map.sources['kubernetes-models'];
    if (installed !== generatedFrom) {
      throw new Error(`test/harness/k8s-type-map.json was generated from kubernetes-models ${generatedFrom}, `
        + `but ${installed} is installed. Regenerate it with: ${REGENERATE}`);
    }
    typeMapCache = map;
  }
  return typeMapCache;
}

/** Loads a model class by module path and export name (resolved from kubernetes-models). */
function loadModel(module: string, exportName: string): ModelClass {
  const key = `${module}#${exportName}`;
  let model = modelCache.get(key);
  if (!model) {
    // Resolve from kubernetes-models' own directory so that its dependency
    // @kubernetes-models/apimachinery is found even if it is not hoisted. A
    // plain require() keeps the load lazy: only the kinds in use are loaded.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(require.resolve(module, { paths: [modelsDir()] }));
    model = mod[exportName] as ModelClass;
    if (typeof model !== 'function') {
      throw new Error(`${module} has no export ${exportName}; regenerate the type map with: ${REGENERATE}`);
    }
    modelCache.set(key, model);
  }
  return model;
}

function objectMetaModel(): ModelClass {
  return loadModel('@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta', OBJECT_META);
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** Formats a path as `spec.containers[0].name` / `metadata.labels["app.kubernetes.io/name"]`. */
function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') {
      out += `[${seg}]`;
    } else if (IDENTIFIER.test(seg)) {
      out += out ? `.${seg}` : seg;
    } else {
      out += `[${JSON.stringify(seg)}]`;
    }
  }
  return out || '(root)';
}

/** Short description of a value for messages, e.g. `string "3"`. */
function describe(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'object') {
    return 'an object';
  }
  let text = JSON.stringify(value) ?? String(value);
  if (text.length > 60) {
    text = text.slice(0, 57) + '...';
  }
  return `${typeof value} ${text}`;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = above;
    }
  }
  return prev[b.length];
}

/** `; did you mean "x"?` when a declared name is close to the unknown one. */
function suggestion(unknown: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = candidate.toLowerCase() === unknown.toLowerCase() ? 0.5 : editDistance(unknown, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(2, Math.floor(unknown.length / 4));
  return best !== undefined && bestDistance <= limit ? `; did you mean "${best}"?` : '';
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Object identity for messages: `Kind/namespace/name`, or `Kind/name` when there is no namespace. */
function objectId(obj: any, index: number): string {
  const kind = typeof obj?.kind === 'string' && obj.kind ? obj.kind : '<no kind>';
  const meta = isPlainObject(obj?.metadata) ? obj.metadata : {};
  const name = typeof meta.name === 'string' && meta.name ? meta.name : `<unnamed #${index}>`;
  return typeof meta.namespace === 'string' && meta.namespace ? `${kind}/${meta.namespace}/${name}` : `${kind}/${name}`;
}

// ---------------------------------------------------------------------------
// (a) ajv validation with kubernetes-models
// ---------------------------------------------------------------------------

/** Converts an ajv JSON pointer into path segments, using the data to tell array indices from keys. */
function pointerToPath(data: unknown, pointer: string): Segment[] {
  const segments: Segment[] = [];
  if (!pointer) {
    return segments;
  }
  let current: any = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      segments.push(Number(key));
      current = current[Number(key)];
    } else {
      segments.push(key);
      current = isPlainObject(current) ? current[key] : undefined;
    }
  }
  return segments;
}

function valueAt(data: unknown, segments: readonly Segment[]): unknown {
  let current: any = data;
  for (const seg of segments) {
    current = current !== null && typeof current === 'object' ? current[seg] : undefined;
  }
  return current;
}

/**
 * Runs a kubernetes-models validator and converts its ajv errors to problems.
 * Errors of the alternatives of a oneOf/anyOf (e.g. IntOrString, Quantity)
 * are folded into one message per path.
 */
function validateWithModel(model: ModelClass, data: any, prefix: readonly Segment[]): Problem[] {
  try {
    new model(data).validate();
    return [];
  } catch (err: any) {
    const errors: AjvError[] | undefined = err?.errors;
    if (!Array.isArray(errors)) {
      return [{ path: prefix, message: `validation failed: ${err?.message ?? err}` }];
    }
    return convertAjvErrors(errors, data, prefix);
  }
}

function convertAjvErrors(errors: AjvError[], data: any, prefix: readonly Segment[]): Problem[] {
  const byPointer = new Map<string, AjvError[]>();
  for (const e of errors) {
    const list = byPointer.get(e.instancePath) ?? [];
    list.push(e);
    byPointer.set(e.instancePath, list);
  }
  const problems: Problem[] = [];
  for (const [pointer, list] of byPointer) {
    const segments = pointerToPath(data, pointer);
    const value = valueAt(data, segments);
    const at = [...prefix, ...segments];
    const types = [...new Set(list.filter((e) => e.keyword === 'type').map((e) => String(e.params.type)))];
    if (types.length > 0) {
      // A type mismatch makes format/oneOf errors at the same place redundant.
      problems.push({ path: at, message: `must be ${types.join(' or ')} (got ${describe(value)})` });
    }
    for (const e of list) {
      switch (e.keyword) {
        case 'type':
          break;
        case 'oneOf':
        case 'anyOf':
        case 'format':
          if (types.length === 0) {
            problems.push({ path: at, message: `${e.message ?? e.keyword} (got ${describe(value)})` });
          }
          break;
        case 'required':
          problems.push({ path: [...at, e.params.missingProperty], message: 'required field is missing' });
          break;
        case 'enum':
          problems.push({
            path: at,
            message: `must be one of ${e.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')} (got ${describe(value)})`,
          });
          break;
        case 'additionalProperties':
          problems.push({ path: [...at, e.params.additionalProperty], message: 'unknown field' });
          break;
        default:
          problems.push({ path: at, message: e.message ?? `fails "${e.keyword}" ${JSON.stringify(e.params)}` });
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------
// (b) unknown fields in built-in objects
// ---------------------------------------------------------------------------

/**
 * Walks `value` according to a type-map ref ("" leaf, "Type", "[]ref",
 * "{}ref") and reports properties the type does not declare. Values of the
 * wrong shape are skipped: the ajv validator reports those.
 */
function walkType(types: TypeMap['types'], value: unknown, ref: string, at: Segment[], out: Problem[]): void {
  if (ref === '' || value === null || value === undefined) {
    return;
  }
  if (ref.startsWith('[]')) {
    if (Array.isArray(value)) {
      const inner = ref.slice(2);
      value.forEach((item, i) => walkType(types, item, inner, [...at, i], out));
    }
    return;
  }
  if (ref.startsWith('{}')) {
    if (isPlainObject(value)) {
      const inner = ref.slice(2);
      for (const key of Object.keys(value)) {
        walkType(types, value[key], inner, [...at, key], out);
      }
    }
    return;
  }
  const props = types[ref];
  if (!props) {
    throw new Error(`type map has no entry for ${ref}; regenerate it with: ${REGENERATE}`);
  }
  if (!isPlainObject(value)) {
    return;
  }
  for (const key of Object.keys(value)) {
    if (hasOwn(props, key)) {
      walkType(types, value[key], props[key], [...at, key], out);
    } else {
      out.push({
        path: [...at, key],
        message: `unknown field (not declared in ${ref}${suggestion(key, Object.keys(props))})`,
      });
    }
  }
}

/** Full check of an ObjectMeta value (used for custom resources and embedded resources). */
function checkObjectMeta(meta: unknown, at: Segment[]): Problem[] {
  if (meta === undefined) {
    return [];
  }
  const problems = validateWithModel(objectMetaModel(), meta, at);
  walkType(typeMap().types, meta, OBJECT_META, at, problems);
  return problems;
}

// ---------------------------------------------------------------------------
// (c) custom resources against CRD structural schemas
// ---------------------------------------------------------------------------

interface CrdVersionSchema {
  readonly crdName: string;
  readonly served: boolean;
  readonly schema: any;
  /** v1beta1 CRDs without `preserveUnknownFields: false` keep every field. */
  readonly preserveAll: boolean;
}

interface CrdEntry {
  readonly crdName: string;
  readonly versions: Map<string, CrdVersionSchema>;
}

function isCrd(obj: any): boolean {
  return isPlainObject(obj) && obj.kind === 'CustomResourceDefinition'
    && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('apiextensions.k8s.io/');
}

/** Indexes CRDs by `group/kind`. */
function indexCrds(crds: readonly any[]): Map<string, CrdEntry> {
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

function splitApiVersion(apiVersion: string): { group: string; version: string } {
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
class SchemaValidator {
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
        out.push({ path: at, message: `must be ${schema.type ?? 'a value'} (got null; the schema is not nullable)` });
      }
      return;
    }
    if (!this.checkType(value, schema, at, out)) {
      return;
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => deepEqual(e, value))) {
      const allowed = schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ');
      out.push({ path: at, message: `must be one of ${allowed} (got ${describe(value)})` });
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
      out.push({ path: at, message: `must be integer or string (got ${describe(value)})` });
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
      out.push({ path: at, message: `must be ${type} (got ${describe(value)})` });
    }
    return ok;
  }

  private checkString(value: string, schema: any, at: Segment[], out: Problem[]): void {
    // Kubernetes counts characters (runes), not UTF-16 code units.
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) {
      out.push({ path: at, message: `must be at least ${schema.minLength} characters long (got ${length})` });
    }
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
      out.push({ path: at, message: `must be at most ${schema.maxLength} characters long (got ${length})` });
    }
    if (typeof schema.pattern === 'string') {
      let re = this.patterns.get(schema.pattern);
      if (!re) {
        // Kubernetes uses Go (RE2) syntax; the common subset is the same in JS.
        re = new RegExp(schema.pattern, 'u');
        this.patterns.set(schema.pattern, re);
      }
      if (!re.test(value)) {
        out.push({ path: at, message: `must match pattern ${JSON.stringify(schema.pattern)} (got ${describe(value)})` });
      }
    }
  }

  private checkNumber(value: number, schema: any, at: Segment[], out: Problem[]): void {
    if (typeof schema.minimum === 'number') {
      const bad = schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum;
      if (bad) {
        const op = schema.exclusiveMinimum === true ? '>' : '>=';
        out.push({ path: at, message: `must be ${op} ${schema.minimum} (got ${value})` });
      }
    }
    if (typeof schema.maximum === 'number') {
      const bad = schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum;
      if (bad) {
        const op = schema.exclusiveMaximum === true ? '<' : '<=';
        out.push({ path: at, message: `must be ${op} ${schema.maximum} (got ${value})` });
      }
    }
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
      const q = value / schema.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) {
        out.push({ path: at, message: `must be a multiple of ${schema.multipleOf} (got ${value})` });
      }
    }
  }

  private checkArray(value: any[], schema: any, at: Segment[], out: Problem[], prune: boolean): void {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      out.push({ path: at, message: `must have at least ${schema.minItems} items (got ${value.length})` });
    }
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      out.push({ path: at, message: `must have at most ${schema.maxItems} items (got ${value.length})` });
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
          out.push({ path: [...at, i], message: `${message} (same as [${j}])` });
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
          out.push({ path: [...at, name], message: 'required field is missing' });
        }
      }
    }
    const count = Object.keys(value).length;
    if (typeof schema.minProperties === 'number' && count < schema.minProperties) {
      out.push({ path: at, message: `must have at least ${schema.minProperties} properties (got ${count})` });
    }
    if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) {
      out.push({ path: at, message: `must have at most ${schema.maxProperties} properties (got ${count})` });
    }
    if (embedded && prune) {
      // An embedded resource must say what it is; its metadata is ObjectMeta.
      for (const name of ['apiVersion', 'kind']) {
        if (typeof value[name] !== 'string' || value[name] === '') {
          out.push({ path: [...at, name], message: 'required field of an embedded resource is missing' });
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
      out.push({ path: at, message: `must match at least one of the anyOf schemas (got ${describe(value)})` });
    }
    if (Array.isArray(schema.oneOf)) {
      const matches = schema.oneOf.filter(passes).length;
      if (matches !== 1) {
        out.push({ path: at, message: `must match exactly one of the oneOf schemas (matches ${matches})` });
      }
    }
    if (isPlainObject(schema.not) && passes(schema.not)) {
      out.push({ path: at, message: 'must not match the "not" schema' });
    }
  }
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * Validates synthesized manifests. Returns human-readable problems of the form
 * `Kind/namespace/name: json.path: message`; an empty list means all is well.
 */
export function validateManifests(manifests: any[], options: ValidateManifestsOptions = {}): string[] {
  if (!Array.isArray(manifests)) {
    throw new Error('validateManifests expects an array of manifest objects');
  }
  const extraCrds = (options.crds ?? []).filter((c) => c !== null && c !== undefined);
  extraCrds.forEach((crd, i) => {
    if (!isCrd(crd)) {
      throw new Error(`options.crds must only contain CustomResourceDefinition objects, got ${objectId(crd, i)}`);
    }
  });
  const crds = indexCrds([...extraCrds, ...manifests.filter(isCrd)]);
  const map = typeMap();
  const problems: string[] = [];

  manifests.forEach((obj, index) => {
    const id = objectId(obj, index);
    const seen = new Set<string>();
    const report = (list: Problem[]) => {
      for (const p of list) {
        const line = `${id}: ${formatPath(p.path)}: ${p.message}`;
        if (!seen.has(line)) {
          seen.add(line);
          problems.push(line);
        }
      }
    };
    if (!isPlainObject(obj)) {
      problems.push(`manifest #${index}: expected an object, got ${describe(obj)}`);
      return;
    }
    const missing = (value: unknown) => typeof value !== 'string' || value === '';
    const basics: Problem[] = [];
    for (const field of ['apiVersion', 'kind']) {
      if (missing(obj[field])) {
        basics.push({ path: [field], message: 'required field is missing' });
      }
    }
    if (missing(obj.metadata?.name)) {
      basics.push({ path: ['metadata', 'name'], message: 'required field is missing' });
    }
    report(basics);
    if (missing(obj.apiVersion) || missing(obj.kind)) {
      return; // no schema to pick without both
    }

    const builtIn = map.kinds[obj.apiVersion]?.[obj.kind];
    if (builtIn) {
      const model = loadModel(builtIn.module, builtIn.type);
      const found = validateWithModel(model, obj, []);
      walkType(map.types, obj, builtIn.type, [], found);
      report(found);
      return;
    }

    const { group, version } = splitApiVersion(obj.apiVersion);
    const crd = crds.get(`${group}/${obj.kind}`);
    const served = crd?.versions.get(version);
    if (!crd || !served) {
      const detail = crd
        ? `CRD ${crd.crdName} has no version ${JSON.stringify(version)} (it has ${[...crd.versions.keys()].join(', ')})`
        : 'it is not a built-in Kubernetes kind and no CustomResourceDefinition for it was given (options.crds) or synthesized';
      problems.push(`${id}: no schema for apiVersion ${JSON.stringify(obj.apiVersion)} kind ${JSON.stringify(obj.kind)}: ${detail}`);
      return;
    }
    if (!served.served) {
      problems.push(`${id}: version ${JSON.stringify(version)} of CRD ${served.crdName} is not served`);
    }
    report(new SchemaValidator(served.crdName, served.preserveAll).validateResource(obj, served.schema));
  });
  return problems;
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
