// Built-in Kubernetes kinds: the ajv validators kubernetes-models ships check
// types, required fields and enums; they accept any extra property, so the
// object is also walked with the type map (src/imports/k8s/type-map.json,
// generated from kubernetes-models' declarations by scripts/gen-k8s-type-map.ts)
// to find fields the Kubernetes type does not declare.
// Everything heavy (model modules) is loaded lazily and cached.
import * as fs from 'fs';
import * as path from 'path';
import { describeValue, isPlainObject, hasOwn, Problem, Segment, suggestion } from './values';
import TYPE_MAP_JSON from '../../imports/k8s/type-map.json';

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

/** The type map, once checked against the installed kubernetes-models. */
export function typeMap(): TypeMap {
  if (!typeMapCache) {
    const map = TYPE_MAP_JSON as unknown as TypeMap;
    // A map generated from another kubernetes-models version would give wrong
    // "unknown field" verdicts, so refuse to run with it.
    const installed = JSON.parse(fs.readFileSync(path.join(modelsDir(), 'package.json'), 'utf8')).version;
    const generatedFrom = map.sources['kubernetes-models'];
    if (installed !== generatedFrom) {
      throw new Error(`src/imports/k8s/type-map.json was generated from kubernetes-models ${generatedFrom}, `
        + `but ${installed} is installed (${modelsDir()}). Regenerate it with: ${REGENERATE}`);
    }
    typeMapCache = map;
  }
  return typeMapCache;
}

/** The root type and model module of a built-in kind, or undefined when the kind is not built in. */
export function builtInKind(apiVersion: string, kind: string): KindEntry | undefined {
  const versions = typeMap().kinds;
  return hasOwn(versions, apiVersion) && hasOwn(versions[apiVersion], kind) ? versions[apiVersion][kind] : undefined;
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

/** Schema and unknown-field problems of a built-in object. */
export function checkBuiltIn(obj: any, entry: KindEntry): Problem[] {
  const found = validateWithModel(loadModel(entry.module, entry.type), obj, []);
  walkType(typeMap().types, obj, entry.type, [], found);
  return found;
}

/** Full check of an ObjectMeta value (used for custom resources and embedded resources). */
export function checkObjectMeta(meta: unknown, at: Segment[]): Problem[] {
  if (meta === undefined) {
    return [];
  }
  const model = loadModel('@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta', OBJECT_META);
  const problems = validateWithModel(model, meta, at);
  walkType(typeMap().types, meta, OBJECT_META, at, problems);
  return problems;
}

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
      return [{ rule: 'schema', path: prefix, message: `validation failed: ${err?.message ?? err}` }];
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
      problems.push({ rule: 'schema', path: at, message: `must be ${types.join(' or ')} (got ${describeValue(value)})` });
    }
    for (const e of list) {
      const problem = ajvProblem(e, at, value, types.length > 0);
      if (problem) {
        problems.push(problem);
      }
    }
  }
  return problems;
}

function ajvProblem(e: AjvError, at: Segment[], value: unknown, typeReported: boolean): Problem | undefined {
  switch (e.keyword) {
    case 'type':
      return undefined;
    case 'oneOf':
    case 'anyOf':
    case 'format':
      return typeReported ? undefined : { rule: 'schema', path: at, message: `${e.message ?? e.keyword} (got ${describeValue(value)})` };
    case 'required':
      return { rule: 'schema', path: [...at, e.params.missingProperty], message: 'required field is missing' };
    case 'enum':
      return {
        rule: 'schema',
        path: at,
        message: `must be one of ${e.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')} (got ${describeValue(value)})`,
      };
    case 'additionalProperties':
      return { rule: 'unknown-field', path: [...at, e.params.additionalProperty], message: 'unknown field' };
    default:
      return { rule: 'schema', path: at, message: e.message ?? `fails "${e.keyword}" ${JSON.stringify(e.params)}` };
  }
}

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
        rule: 'unknown-field',
        path: [...at, key],
        message: `unknown field (not declared in ${ref}${suggestion(key, Object.keys(props))})`,
      });
    }
  }
}
