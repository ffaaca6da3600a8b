import { Field } from './types';

/** One problem found in a rendered value: where and what. */
export interface ModelProblem {
  /** Where: a spec path such as `spec.driver.cores`, or the prop that set it. */
  readonly path: string;
  /** The offending value. */
  readonly value: unknown;
  /** What is allowed. */
  readonly message: string;
}

const INT32 = 2 ** 31;

function child(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_][\w]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a rendered value against the model: types, enums, bounds, patterns,
 * required fields, and fields the model does not declare (which the API server
 * would prune from a custom resource).
 */
export function validateAgainstModel(value: unknown, field: Field, path: string): ModelProblem[] {
  const out: ModelProblem[] = [];
  visit(value, field, path, out);
  return out;
}

function visit(value: unknown, field: Field, path: string, out: ModelProblem[]): void {
  const problem = (message: string): void => {
    out.push({ path, value, message });
  };
  switch (field.kind) {
    case 'string':
      if (typeof value !== 'string') return problem('a string');
      if (field.enum && !field.enum.includes(value)) {
        return problem(`one of ${field.enum.map((e) => JSON.stringify(e)).join(', ')}`);
      }
      if (field.pattern && !new RegExp(field.pattern).test(value)) problem(`a string matching ${field.pattern}`);
      return;
    case 'integer': {
      const limit = field.bits === 32 ? INT32 : Number.MAX_SAFE_INTEGER;
      if (!Number.isInteger(value) || (value as number) >= limit || (value as number) < -limit) {
        return problem(`an integer (int${field.bits})`);
      }
      if (field.minimum !== undefined && (value as number) < field.minimum) problem(`an integer of at least ${field.minimum}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') problem('a boolean');
      return;
    case 'intOrString':
      if (Number.isInteger(value)) return;
      if (typeof value !== 'string') return problem('an integer or a string');
      if (field.pattern && !new RegExp(field.pattern).test(value)) problem(`a string matching ${field.pattern}`);
      return;
    case 'array':
      if (!Array.isArray(value)) return problem('an array');
      value.forEach((item, i) => visit(item, field.items!, child(path, i), out));
      return;
    case 'map':
      if (!isObject(value)) return problem('an object');
      for (const [key, item] of Object.entries(value)) visit(item, field.items!, child(path, key), out);
      return;
    case 'object':
    case 'opaque': {
      if (!isObject(value)) return problem('an object');
      for (const name of field.required ?? []) {
        if (value[name] === undefined) out.push({ path: child(path, name), value: undefined, message: 'a value; the field is required' });
      }
      const properties = field.properties ?? {};
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue;
        const declared = properties[key];
        if (declared) {
          visit(item, declared, child(path, key), out);
        } else if (field.kind === 'object') {
          out.push({ path: child(path, key), value: item, message: 'no such field in the operator\'s API (the API server would drop it)' });
        }
      }
      return;
    }
  }
}
