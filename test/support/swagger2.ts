/**
 * Swagger 2.0 for the OpenAPI 3.0 validator (test/support/openapiValidator.ts): converts the document (definitions →
 * components.schemas, `schema` on responses → `content['application/json'].schema`) and adds what Swagger 2.0 has
 * and the validator lacks — the body parameter of an operation, for validating request bodies.
 */
import { OpenApiValidator, type JsonSchema, type OpenApiDocument, type ValidationIssue } from './openapiValidator';

export interface Swagger2Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  required?: boolean;
  type?: string;
  schema?: JsonSchema;
}
interface Swagger2Response {
  description?: string;
  schema?: JsonSchema;
}
interface Swagger2Operation {
  parameters?: Swagger2Parameter[];
  responses?: Record<string, Swagger2Response>;
  description?: string;
}
export interface Swagger2Document {
  swagger: string;
  paths: Record<string, Record<string, Swagger2Operation>>;
  definitions?: Record<string, JsonSchema>;
}

function rewriteRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/"#\/definitions\//g, '"#/components/schemas/')) as T;
}

/** The same API as an OpenAPI 3.0 document (only what the validator reads). */
export function toOpenApi3(doc: Swagger2Document): OpenApiDocument {
  if (doc.swagger !== '2.0') throw new Error(`Not a Swagger 2.0 document (swagger: ${String(doc.swagger)})`);
  const paths: OpenApiDocument['paths'] = {};
  // Templates that differ only in parameter names (`/tags/{reference}` GET, `/tags/{tag}` DELETE) are one path:
  // their operations are merged under the first spelling, so a concrete path finds every method.
  const first = new Map<string, string>();
  for (const [template, item] of Object.entries(doc.paths)) {
    const shape = template.replace(/\{[^}]+\}/g, '{}');
    const target = first.get(shape) ?? template;
    first.set(shape, target);
    const out = (paths[target] ??= {}) as Record<string, unknown>;
    for (const [method, op] of Object.entries(item)) {
      const responses: Record<string, unknown> = {};
      for (const [code, r] of Object.entries(op.responses ?? {})) {
        responses[code] = r.schema ? { description: r.description, content: { 'application/json': { schema: rewriteRefs(r.schema) } } } : { description: r.description };
      }
      out[method] = { responses };
    }
  }
  return { openapi: '3.0.0', paths, components: { schemas: rewriteRefs(doc.definitions ?? {}) } };
}

/** Validates responses (via the OpenAPI 3.0 validator) and request bodies of a Swagger 2.0 document. */
export class Swagger2Validator {
  readonly openapi: OpenApiValidator;
  private readonly converted: OpenApiDocument;

  constructor(readonly doc: Swagger2Document) {
    this.converted = toOpenApi3(doc);
    this.openapi = new OpenApiValidator(this.converted);
  }

  matchPath(urlPath: string): string | undefined {
    return this.openapi.matchPath(urlPath);
  }

  operation(method: string, urlPath: string): { template: string; op: Swagger2Operation } | undefined {
    const template = this.openapi.matchPath(urlPath);
    if (!template) return undefined;
    const shape = template.replace(/\{[^}]+\}/g, '{}');
    for (const [t, item] of Object.entries(this.doc.paths)) {
      const op = t.replace(/\{[^}]+\}/g, '{}') === shape ? item[method.toLowerCase()] : undefined;
      if (op) return { template: t, op };
    }
    return undefined;
  }

  validateResponse(method: string, urlPath: string, status: number, body: unknown) {
    return this.openapi.validateResponse(method, urlPath, status, body);
  }

  /**
   * Issues of a request's query parameters against the operation's (Swagger 2.0 `in: query`, typed inline): values
   * read by their type, enums apply, required ones present; unknown parameters are ignored.
   */
  validateQuery(method: string, urlPath: string, query: URLSearchParams): ValidationIssue[] {
    const found = this.operation(method, urlPath);
    if (!found) return [{ at: '$', message: `no ${method} ${urlPath} in the spec` }];
    const issues: ValidationIssue[] = [];
    for (const prm of found.op.parameters ?? []) {
      if (prm.in !== 'query' || !prm.name) continue;
      const raw = query.getAll(prm.name);
      if (!raw.length && prm.required) issues.push({ at: `query.${prm.name}`, message: 'required query parameter is missing' });
      const p = prm as { type?: string; enum?: unknown[] };
      for (const v of raw) {
        const value = p.type === 'boolean' ? (v === 'true' ? true : v === 'false' ? false : undefined) : p.type === 'integer' ? (/^-?\d+$/.test(v) ? Number(v) : undefined) : p.type === 'number' ? (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined) : v;
        if (value === undefined) issues.push({ at: `query.${prm.name}`, message: `${JSON.stringify(v)} is not a valid ${p.type}` });
        else if (p.enum && !p.enum.includes(value)) issues.push({ at: `query.${prm.name}`, message: `${JSON.stringify(v)} is not one of ${p.enum.map((x) => JSON.stringify(x)).join(', ')}` });
      }
    }
    return issues;
  }

  /**
   * Issues of a request body against the operation's body parameter; a body where the operation takes none, or a
   * missing required body, is an issue too.
   */
  validateRequestBody(method: string, urlPath: string, body: unknown): ValidationIssue[] {
    const found = this.operation(method, urlPath);
    if (!found) return [{ at: '$', message: `no ${method} ${urlPath} in the spec` }];
    const param = found.op.parameters?.find((p) => p.in === 'body');
    if (!param) return body === undefined ? [] : [{ at: '$', message: `${method} ${found.template} takes no body` }];
    if (body === undefined) return param.required ? [{ at: '$', message: 'the request body is missing' }] : [];
    return this.openapi.validate(rewriteRefs(param.schema ?? {}), body);
  }
}
