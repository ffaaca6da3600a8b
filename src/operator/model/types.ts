/**
 * A small declarative language for the fields of the Spark operator's
 * custom resources. One description yields the CRD's openAPIV3Schema
 * (./schema.ts) and the synth-time validator (./validate.ts).
 */

/** What a field holds. */
export type FieldKind =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'intOrString'
  | 'object'
  | 'array'
  | 'map'
  // An object whose fields the model does not describe (Kubernetes core
  // types such as Affinity or Volume): kept as given, never pruned.
  | 'opaque';

export interface Field {
  readonly kind: FieldKind;
  /** Our own one-line description, emitted into the CRD. */
  readonly description: string;
  /** For strings: the allowed values. */
  readonly enum?: readonly string[];
  /** For strings and int-or-string: a regular expression (RE2 and JS compatible). */
  readonly pattern?: string;
  /** For strings: an OpenAPI format, e.g. `date-time`. */
  readonly format?: 'date-time';
  /** For integers: `int32` or `int64`. */
  readonly bits?: 32 | 64;
  /** For integers: the least value. */
  readonly minimum?: number;
  /** For objects: the fields. */
  readonly properties?: { readonly [name: string]: Field };
  /** For objects (and opaque objects): the fields that must be present. */
  readonly required?: readonly string[];
  /** For arrays: the items; for maps: the values. */
  readonly items?: Field;
  /**
   * Why the typed constructs do not set this field (it stays reachable
   * through the `apiObject` escape hatch). Absent = some prop sets it.
   */
  readonly notExposed?: string;
}

type Options = Omit<Partial<Field>, 'kind' | 'description'>;

export function str(description: string, options: Options = {}): Field {
  return { kind: 'string', description, ...options };
}

export function int32(description: string, options: Options = {}): Field {
  return { kind: 'integer', description, bits: 32, ...options };
}

export function int64(description: string, options: Options = {}): Field {
  return { kind: 'integer', description, bits: 64, ...options };
}

export function bool(description: string, options: Options = {}): Field {
  return { kind: 'boolean', description, ...options };
}

export function obj(description: string, properties: { [name: string]: Field }, options: Options = {}): Field {
  return { kind: 'object', description, properties, ...options };
}

export function arrayOf(description: string, items: Field, options: Options = {}): Field {
  return { kind: 'array', description, items, ...options };
}

export function mapOf(description: string, values: Field, options: Options = {}): Field {
  return { kind: 'map', description, items: values, ...options };
}

export function stringMap(description: string, options: Options = {}): Field {
  return mapOf(description, str('A value.'), options);
}

export function stringList(description: string, options: Options = {}): Field {
  return arrayOf(description, str('An item.'), options);
}

/** A Kubernetes type kept as given (x-kubernetes-preserve-unknown-fields). */
export function opaque(description: string, options: Options = {}): Field {
  return { kind: 'opaque', description, ...options };
}

/** A Kubernetes resource quantity (integer or string such as `500m`, `1Gi`). */
export function quantity(description: string, options: Options = {}): Field {
  return {
    kind: 'intOrString',
    description,
    pattern: '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$',
    ...options,
  };
}

/** Visits every field of the model with its path (`spec.driver.cores`; `[]` for array items, `{}` for map values). */
export function walkFields(field: Field, path: string, visit: (path: string, field: Field) => void): void {
  visit(path, field);
  if (field.kind === 'object') {
    for (const [name, child] of Object.entries(field.properties ?? {})) {
      walkFields(child, path ? `${path}.${name}` : name, visit);
    }
  } else if (field.kind === 'array' && field.items) {
    walkFields(field.items, `${path}[]`, visit);
  } else if (field.kind === 'map' && field.items) {
    walkFields(field.items, `${path}{}`, visit);
  }
}
