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
const NO_PROPERTIES: { readonly [name: string]: Field } = {};

function child(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_][\w]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

// Compiled once per pattern: the model is checked for every job.
const patterns = new Map<string, RegExp>();

function patternOf(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(pattern);
    patterns.set(pattern, re);
  }
  return re;
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
  new Visitor(path, out).visit(value, field);
  return out;
}

/**
 * Walks a value along the model. The path of the current value is kept as a
 * stack of keys and only spelled out for a problem: most values have none.
 */
class Visitor {
  private readonly keys: Array<string | number> = [];

  constructor(private readonly root: string, private readonly out: ModelProblem[]) {}

  public visit(value: unknown, field: Field): void {
    switch (field.kind) {
      case 'string':
        if (typeof value !== 'string') return this.problem(value, 'a string');
        if (field.enum && !field.enum.includes(value)) {
          return this.problem(value, `one of ${field.enum.map((e) => JSON.stringify(e)).join(', ')}`);
        }
        if (field.pattern && !patternOf(field.pattern).test(value)) this.problem(value, `a string matching ${field.pattern}`);
        return;
      case 'integer': {
        const limit = field.bits === 32 ? INT32 : Number.MAX_SAFE_INTEGER;
        if (!Number.isInteger(value) || (value as number) >= limit || (value as number) < -limit) {
          return this.problem(value, `an integer (int${field.bits})`);
        }
        if (field.minimum !== undefined && (value as number) < field.minimum) this.problem(value, `an integer of at least ${field.minimum}`);
        return;
      }
      case 'boolean':
        if (typeof value !== 'boolean') this.problem(value, 'a boolean');
        return;
      case 'intOrString':
        if (Number.isInteger(value)) return;
        if (typeof value !== 'string') return this.problem(value, 'an integer or a string');
        if (field.pattern && !patternOf(field.pattern).test(value)) this.problem(value, `a string matching ${field.pattern}`);
        return;
      case 'array':
        if (!Array.isArray(value)) return this.problem(value, 'an array');
        for (let i = 0; i < value.length; i++) {
          if (i in value) {
            this.visitChild(i, value[i], field.items!);
          }
        }
        return;
      case 'map':
        if (!isObject(value)) return this.problem(value, 'an object');
        for (const key of Object.keys(value)) {
          this.visitChild(key, value[key], field.items!);
        }
        return;
      case 'object':
      case 'opaque': {
        if (!isObject(value)) return this.problem(value, 'an object');
        for (const name of field.required ?? []) {
          if (value[name] === undefined) this.problemAt(name, undefined, 'a value; the field is required');
        }
        const properties = field.properties ?? NO_PROPERTIES;
        for (const key of Object.keys(value)) {
          const item = value[key];
          if (item === undefined) continue;
          const declared = properties[key];
          if (declared) {
            this.visitChild(key, item, declared);
          } else if (field.kind === 'object') {
            this.problemAt(key, item, 'no such field in the operator\'s API (the API server would drop it)');
          }
        }
        return;
      }
    }
  }

  private visitChild(key: string | number, value: unknown, field: Field): void {
    this.keys.push(key);
    this.visit(value, field);
    this.keys.pop();
  }

  private problem(value: unknown, message: string): void {
    this.out.push({ path: this.keys.reduce<string>(child, this.root), value, message });
  }

  private problemAt(key: string, value: unknown, message: string): void {
    this.out.push({ path: child(this.keys.reduce<string>(child, this.root), key), value, message });
  }
}
