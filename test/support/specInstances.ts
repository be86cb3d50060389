import type { JsonSchema } from './openapiValidator';

/**
 * Instances a response schema of a vendored document allows, built from the schema alone: `all` fills every
 * declared property, `required` only the required ones (what a terse server may send). The provider's zod schemas
 * must accept both, so a response the vendor's document allows never fails as "unexpected data".
 */
export function specInstance(schema: JsonSchema, doc: object, mode: 'all' | 'required'): unknown {
  return build(schema, doc, mode, 0);
}

function resolve(ref: string, doc: object): JsonSchema {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], doc) as JsonSchema;
}

function build(schema: JsonSchema, doc: object, mode: 'all' | 'required', depth: number): unknown {
  if (schema.$ref) return build(resolve(schema.$ref, doc), doc, mode, depth + 1);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => build(s, doc, mode, depth + 1)));
  const alt = schema.oneOf ?? schema.anyOf;
  if (alt?.[0]) return build(alt[0], doc, mode, depth + 1);
  if (schema.enum?.length) return schema.enum[0];
  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : 'string');
  switch (type) {
    case 'string':
      return schema.format === 'date-time' ? '2024-01-02T03:04:05Z' : 'x';
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'array':
      return depth > 8 || !schema.items ? [] : [build(schema.items, doc, mode, depth + 1)];
    default: {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(schema.properties ?? {})) {
        if (mode === 'required' && !(schema.required ?? []).includes(k)) continue;
        out[k] = build(v, doc, mode, depth + 1);
      }
      return out;
    }
  }
}
