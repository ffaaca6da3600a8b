import { Field } from './types';

/** The OpenAPI v3 (structural) schema of a model field, as a CRD declares it. */
export function toOpenApiSchema(field: Field): { [key: string]: any } {
  const out: { [key: string]: any } = { description: field.description };
  switch (field.kind) {
    case 'string':
      out.type = 'string';
      if (field.enum) out.enum = [...field.enum];
      if (field.format) out.format = field.format;
      if (field.pattern) out.pattern = field.pattern;
      break;
    case 'integer':
      out.type = 'integer';
      out.format = field.bits === 32 ? 'int32' : 'int64';
      if (field.minimum !== undefined) out.minimum = field.minimum;
      break;
    case 'boolean':
      out.type = 'boolean';
      break;
    case 'intOrString':
      out.anyOf = [{ type: 'integer' }, { type: 'string' }];
      if (field.pattern) out.pattern = field.pattern;
      out['x-kubernetes-int-or-string'] = true;
      break;
    case 'object':
    case 'opaque':
      out.type = 'object';
      if (field.properties) {
        out.properties = Object.fromEntries(Object.entries(field.properties).map(([k, v]) => [k, toOpenApiSchema(v)]));
      }
      if (field.required) out.required = [...field.required];
      if (field.kind === 'opaque') out['x-kubernetes-preserve-unknown-fields'] = true;
      break;
    case 'array':
      out.type = 'array';
      out.items = toOpenApiSchema(field.items!);
      break;
    case 'map':
      out.type = 'object';
      out.additionalProperties = toOpenApiSchema(field.items!);
      break;
  }
  return out;
}

/** The whole `openAPIV3Schema` of a custom resource with `spec` and `status`. */
export function resourceSchema(description: string, spec: Field, status: Field): { [key: string]: any } {
  return {
    description,
    type: 'object',
    required: ['metadata', 'spec'],
    properties: {
      apiVersion: { description: 'Versioned schema of this object.', type: 'string' },
      kind: { description: 'Kind of this object.', type: 'string' },
      metadata: { type: 'object' },
      spec: toOpenApiSchema(spec),
      status: toOpenApiSchema(status),
    },
  };
}
