/**
 * A small OpenAPI 3.0 response validator for contract tests: finds the operation for a concrete request
 * (path template + method), picks the response by status code, and checks a JSON body against its schema.
 *
 * It covers the keywords the Docker Hub spec uses (type, properties, required, additionalProperties, items, enum,
 * nullable, allOf/oneOf/anyOf, $ref to components, minimum/maximum, minLength/maxLength, pattern, minItems/maxItems);
 * `format` is ignored. Any other keyword throws, so a spec that grows a new constraint cannot pass silently.
 */

export interface JsonSchema {
  type?: string;
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  nullable?: boolean;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  [annotation: string]: unknown;
}

interface MediaType {
  schema?: JsonSchema;
}
interface ResponseObject {
  $ref?: string;
  description?: string;
  content?: Record<string, MediaType>;
}
interface ParameterObject {
  $ref?: string;
  name?: string;
  in?: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface RequestBodyObject {
  $ref?: string;
  required?: boolean;
  content?: Record<string, MediaType>;
}
interface Operation {
  parameters?: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses?: Record<string, ResponseObject>;
}
type PathItem = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, PathItem>;
  components?: {
    schemas?: Record<string, JsonSchema>;
    responses?: Record<string, ResponseObject>;
    parameters?: Record<string, ParameterObject>;
    requestBodies?: Record<string, RequestBodyObject>;
  };
}

export interface ValidationIssue {
  /** JSON path of the offending value, e.g. `$.results[3].images`. */
  at: string;
  message: string;
}

export interface RequestValidation {
  /** The matched path template. */
  template: string;
  issues: ValidationIssue[];
}

export interface ResponseValidation {
  /** The matched path template, e.g. `/v2/namespaces/{namespace}/repositories`. */
  template: string;
  /** Which response entry was used (`200`, `2XX`, `default`). */
  responseKey: string;
  /** False when the spec declares no body for this response (e.g. 204). */
  hasSchema: boolean;
  issues: ValidationIssue[];
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const validationKeywords = new Set([
  'type', '$ref', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'nullable', 'allOf', 'oneOf',
  'anyOf', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems',
]);
// Annotations carry no constraint on a response body.
const annotationKeywords = new Set([
  'description', 'example', 'examples', 'format', 'default', 'deprecated', 'title', 'readOnly', 'writeOnly',
  'externalDocs', 'xml',
]);

interface CompiledPath {
  template: string;
  regex: RegExp;
  params: number;
  item: PathItem;
}

export class OpenApiValidator {
  private readonly paths: CompiledPath[];

  constructor(private readonly doc: OpenApiDocument) {
    if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.0')) {
      throw new Error(`Only OpenAPI 3.0 documents are supported (got ${String(doc.openapi)})`);
    }
    this.paths = Object.entries(doc.paths).map(([template, item]) => {
      const parts = template.split(/\{[^}]+\}/);
      const regex = new RegExp('^' + parts.map(escapeRegex).join('([^/]+)') + '/?$');
      return { template, regex, params: parts.length - 1, item };
    });
    // Literal segments beat parameters: `/members/export` must win over `/members/{username}`.
    this.paths.sort((a, b) => a.params - b.params);
  }

  /** The path template matching a concrete path (query string ignored), or undefined. */
  matchPath(urlPath: string): string | undefined {
    return this.findPath(urlPath)?.template;
  }

  /** Validates one response body. Throws when the spec has no such operation or status: that is drift too. */
  validateResponse(method: string, urlPath: string, status: number, body: unknown, contentType = 'application/json'): ResponseValidation {
    const path = this.findPath(urlPath);
    if (!path) throw new Error(`No path in the spec matches ${urlPath}`);
    const m = method.toLowerCase();
    if (!(methods as readonly string[]).includes(m) || !(m in path.item)) {
      throw new Error(`The spec has no ${method.toUpperCase()} on ${path.template}`);
    }
    const op = path.item[m] as Operation;
    const responses = op.responses ?? {};
    const code = String(status);
    const wildcard = `${code[0]}XX`;
    const responseKey = code in responses ? code : wildcard in responses ? wildcard : 'default' in responses ? 'default' : undefined;
    if (!responseKey) {
      throw new Error(`The spec declares no ${code} response for ${method.toUpperCase()} ${path.template}`);
    }
    const response = this.resolveResponse(responses[responseKey]);
    const media = response.content?.[contentType];
    if (!media || !media.schema) {
      const issues: ValidationIssue[] = [];
      if (body !== undefined && body !== '' && response.content === undefined) {
        issues.push({ at: '$', message: `the spec declares no body for ${code} but one was sent` });
      } else if (response.content !== undefined && !media) {
        issues.push({ at: '$', message: `the spec has no ${contentType} content for ${code}` });
      }
      return { template: path.template, responseKey, hasSchema: false, issues };
    }
    return { template: path.template, responseKey, hasSchema: true, issues: this.validate(media.schema, body) };
  }

  /**
   * Validates a request's query parameters and JSON body against its operation, as a server does: query values are
   * read by their schema's type (integer, number, boolean, string), enums and bounds apply, required parameters and
   * required bodies must be present. Unknown query parameters are ignored (Hub ignores them too). `body` is the
   * parsed JSON body, or undefined when the request had none. Returns undefined when the spec has no such operation
   * (endpoints outside the published document).
   */
  validateRequest(method: string, urlPath: string, query: URLSearchParams, body: unknown): RequestValidation | undefined {
    const path = this.paths.find((p) => p.regex.test(urlPath) && !urlPath.endsWith('/'));
    const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
    if (!path || !(m in path.item)) return undefined;
    const op = path.item[m] as Operation;
    const issues: ValidationIssue[] = [];
    const params = [...((path.item.parameters as ParameterObject[] | undefined) ?? []), ...(op.parameters ?? [])].map((x) => this.resolveParameter(x));
    for (const prm of params) {
      if (prm.in !== 'query' || !prm.name) continue;
      const raw = query.getAll(prm.name);
      if (raw.length === 0) {
        if (prm.required) issues.push({ at: `query.${prm.name}`, message: 'required query parameter is missing' });
        continue;
      }
      const schema = prm.schema ? this.resolve(prm.schema) : {};
      for (const v of raw) {
        const value = queryValue(v, schema.type);
        if (value === undefined) issues.push({ at: `query.${prm.name}`, message: `${JSON.stringify(v)} is not a valid ${schema.type}` });
        else this.check(schema, value, `query.${prm.name}`, issues, 0);
      }
    }
    const rb = op.requestBody && this.resolveRequestBody(op.requestBody);
    if (rb) {
      const schema = rb.content?.['application/json']?.schema;
      if (body === undefined) {
        if (rb.required) issues.push({ at: '$', message: 'a request body is required' });
      } else if (schema) {
        this.check(schema, body, '$', issues, 0);
      }
    } else if (body !== undefined && m !== 'delete') {
      issues.push({ at: '$', message: `the spec declares no request body for ${method.toUpperCase()} ${path.template}` });
    }
    return { template: path.template, issues };
  }

  /** Validates a value against a schema (may be a `$ref` to `#/components/schemas/...`). */
  validate(schema: JsonSchema, value: unknown, at = '$'): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    this.check(schema, value, at, issues, 0);
    return issues;
  }

  /** A component schema by name, for validating bodies against a named schema directly. */
  schema(name: string): JsonSchema {
    const s = this.doc.components?.schemas?.[name];
    if (!s) throw new Error(`No component schema ${name}`);
    return s;
  }

  private findPath(urlPath: string): CompiledPath | undefined {
    const pathOnly = urlPath.split('?')[0];
    return this.paths.find((p) => p.regex.test(pathOnly));
  }

  private resolveParameter(p: ParameterObject): ParameterObject {
    if (!p.$ref) return p;
    const next = this.doc.components?.parameters?.[refName(p.$ref, '#/components/parameters/')];
    if (!next) throw new Error(`Unresolvable parameter reference ${p.$ref}`);
    return next;
  }

  private resolveRequestBody(b: RequestBodyObject): RequestBodyObject {
    if (!b.$ref) return b;
    const next = this.doc.components?.requestBodies?.[refName(b.$ref, '#/components/requestBodies/')];
    if (!next) throw new Error(`Unresolvable request body reference ${b.$ref}`);
    return next;
  }

  private resolveResponse(r: ResponseObject): ResponseObject {
    let cur = r;
    for (let i = 0; cur.$ref && i < 10; i++) {
      const name = refName(cur.$ref, '#/components/responses/');
      const next = this.doc.components?.responses?.[name];
      if (!next) throw new Error(`Unresolvable response reference ${cur.$ref}`);
      cur = next;
    }
    return cur;
  }

  private resolve(schema: JsonSchema): JsonSchema {
    let cur = schema;
    // OpenAPI 3.0: keywords next to `$ref` are ignored, so the referenced schema replaces the whole object.
    for (let i = 0; cur.$ref !== undefined; i++) {
      if (i > 20) throw new Error(`Reference cycle at ${schema.$ref}`);
      const name = refName(cur.$ref, '#/components/schemas/');
      const next = this.doc.components?.schemas?.[name];
      if (!next) throw new Error(`Unresolvable schema reference ${cur.$ref}`);
      cur = next;
    }
    return cur;
  }

  private check(raw: JsonSchema, value: unknown, at: string, issues: ValidationIssue[], depth: number): void {
    if (depth > 64) throw new Error(`Schema nesting too deep at ${at}`);
    const s = this.resolve(raw);
    for (const k of Object.keys(s)) {
      if (!validationKeywords.has(k) && !annotationKeywords.has(k) && !k.startsWith('x-')) {
        throw new Error(`Unsupported schema keyword "${k}" at ${at}`);
      }
    }

    if (value === null) {
      if (s.nullable === true) return;
      if (isEmptySchema(s)) return;
      issues.push({ at, message: 'null is not allowed (schema is not nullable)' });
      return;
    }
    if (value === undefined) {
      issues.push({ at, message: 'value is missing' });
      return;
    }

    const type = s.type ?? (s.properties || s.required || s.additionalProperties !== undefined ? 'object' : undefined);
    if (type !== undefined && !hasType(value, type)) {
      issues.push({ at, message: `expected ${type}, got ${describe(value)}` });
      return;
    }

    if (s.enum !== undefined && !s.enum.some((e) => e === value)) {
      issues.push({ at, message: `${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}` });
    }

    if (typeof value === 'string') {
      if (s.minLength !== undefined && value.length < s.minLength) issues.push({ at, message: `shorter than ${s.minLength}` });
      if (s.maxLength !== undefined && value.length > s.maxLength) issues.push({ at, message: `longer than ${s.maxLength}` });
      if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) {
        issues.push({ at, message: `${JSON.stringify(value)} does not match ${s.pattern}` });
      }
    }
    if (typeof value === 'number') {
      if (s.minimum !== undefined && value < s.minimum) issues.push({ at, message: `${value} is below ${s.minimum}` });
      if (s.maximum !== undefined && value > s.maximum) issues.push({ at, message: `${value} is above ${s.maximum}` });
    }

    if (Array.isArray(value)) {
      if (s.minItems !== undefined && value.length < s.minItems) issues.push({ at, message: `fewer than ${s.minItems} items` });
      if (s.maxItems !== undefined && value.length > s.maxItems) issues.push({ at, message: `more than ${s.maxItems} items` });
      if (s.items) value.forEach((v, i) => this.check(s.items as JsonSchema, v, `${at}[${i}]`, issues, depth + 1));
    } else if (isPlainObject(value)) {
      for (const name of s.required ?? []) {
        if (value[name] === undefined) issues.push({ at: `${at}.${name}`, message: 'required property is missing' });
      }
      const props = s.properties ?? {};
      for (const [name, v] of Object.entries(value)) {
        const ps = props[name];
        if (ps) {
          this.check(ps, v, `${at}.${name}`, issues, depth + 1);
        } else if (s.additionalProperties === false) {
          issues.push({ at: `${at}.${name}`, message: 'additional property is not allowed' });
        } else if (typeof s.additionalProperties === 'object') {
          this.check(s.additionalProperties, v, `${at}.${name}`, issues, depth + 1);
        }
      }
    }

    if (s.allOf) for (const sub of s.allOf) this.check(sub, value, at, issues, depth + 1);
    if (s.anyOf) {
      const ok = s.anyOf.some((sub) => this.validateAt(sub, value, at, depth).length === 0);
      if (!ok) issues.push({ at, message: 'matches none of anyOf' });
    }
    if (s.oneOf) {
      const n = s.oneOf.filter((sub) => this.validateAt(sub, value, at, depth).length === 0).length;
      if (n !== 1) issues.push({ at, message: `matches ${n} of oneOf (exactly one required)` });
    }
  }

  private validateAt(schema: JsonSchema, value: unknown, at: string, depth: number): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    this.check(schema, value, at, issues, depth + 1);
    return issues;
  }
}

/** Formats issues for an assertion message. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${i.at}: ${i.message}`).join('\n');
}

function refName(ref: string, prefix: string): string {
  if (!ref.startsWith(prefix)) throw new Error(`Only local references under ${prefix} are supported (got ${ref})`);
  return decodeURIComponent(ref.slice(prefix.length)).replace(/~1/g, '/').replace(/~0/g, '~');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptySchema(s: JsonSchema): boolean {
  return !Object.keys(s).some((k) => validationKeywords.has(k));
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    default:
      throw new Error(`Unknown schema type "${type}"`);
  }
}

/** A query value read as its schema type, or undefined when it is not one. */
function queryValue(v: string, type: string | undefined): unknown {
  switch (type) {
    case 'integer':
      return /^-?\d+$/.test(v) ? Number(v) : undefined;
    case 'number':
      return v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
    case 'boolean':
      return v === 'true' ? true : v === 'false' ? false : undefined;
    default:
      return v;
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return `integer ${String(v)}`;
  return typeof v === 'string' ? `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}` : typeof v;
}
