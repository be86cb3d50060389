/**
 * The vendored Harbor documents (test/fixtures/specs/harbor-api-v2.0.json, scanner-adapter-openapi-v1.2.json: JSON
 * conversions of the YAML next to them) with the defects of the Harbor document mended — the one place where the
 * fake Harbor and its tests depart from the published text. Each change names the defect; the same list is in
 * test/fixtures/specs/SOURCES.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OpenApiValidator, type JsonSchema, type OpenApiDocument, type ValidationIssue } from '../support/openapiValidator';
import { Swagger2Validator, type Swagger2Document, type Swagger2Parameter } from '../support/swagger2';

const specs = path.resolve(__dirname, '../fixtures/specs');
export const HARBOR_BASE = '/api/v2.0';
export const VULN_MIME = 'application/vnd.security.vulnerability.report; version=1.1';

export function loadHarborSpec(): Swagger2Document & { parameters: Record<string, Swagger2Parameter> } {
  return JSON.parse(fs.readFileSync(path.join(specs, 'harbor-api-v2.0.json'), 'utf8')) as Swagger2Document & { parameters: Record<string, Swagger2Parameter> };
}

function nullable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(nullable);
  if (!v || typeof v !== 'object') return v;
  const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nullable(x)])) as Record<string, unknown>;
  // Swagger 2.0 spells it `x-nullable` (go-swagger); the validator reads OpenAPI 3.0's `nullable`.
  if (o['x-nullable'] === true && !o.$ref) o.nullable = true;
  return o;
}

/** The mended document. */
export function mendHarborSpec(pristine: ReturnType<typeof loadHarborSpec>): Swagger2Document {
  const doc = nullable(JSON.parse(JSON.stringify(pristine))) as ReturnType<typeof loadHarborSpec>;
  const defs = doc.definitions as Record<string, JsonSchema>;
  // 1. `ExtraAttrs` declares every value an object, yet Harbor's image artifacts carry `architecture`, `os` (strings),
  //    `author` (string or null), `created` (a date-time string) and `config` (an object) in it.
  defs.ExtraAttrs = { type: 'object', additionalProperties: {} };
  // 2. `GET …/additions/vulnerabilities` declares `type: string`; Harbor answers a JSON object keyed by the report's
  //    mime type, each value a HarborVulnerabilityReport (checked against the scanner document separately).
  const vuln = doc.paths['/projects/{project_name}/repositories/{repository_name}/artifacts/{reference}/additions/vulnerabilities']!.get!;
  vuln.responses!['200'] = { description: 'The reports keyed by mime type', schema: { type: 'object', additionalProperties: { type: 'object' } } };
  // 3. `POST /projects` declares no 403, yet Harbor answers 403 when only system administrators may create projects,
  //    to a proxy cache project (`registry_id`) asked by anyone else, and to a project-level robot.
  doc.paths['/projects']!.post!.responses!['403'] = { $ref: '#/responses/403' } as never;
  // 4. `GET /projects/{project_name}/logs` and `…/auditlog-exts` declare no 403 or 404, yet Harbor checks the "list
  //    log" permission on the project (403 for a member without it, e.g. a limited guest) and answers 404 for a
  //    project it does not have.
  for (const which of ['logs', 'auditlog-exts']) {
    const op = doc.paths[`/projects/{project_name}/${which}`]!.get!;
    op.responses!['403'] = { $ref: '#/responses/403' } as never;
    op.responses!['404'] = { $ref: '#/responses/404' } as never;
  }
  // 5. `RetentionRule.params` declares every value an object; Harbor's rule templates read a number (`{"latestPushedK":
  //    10}`, as its portal sends and its API answers), and go-swagger's model of an object without properties is
  //    `interface{}`, so Harbor accepts and returns any value there.
  (defs.RetentionRule!.properties as Record<string, JsonSchema>).params = { type: 'object', additionalProperties: {} };
  // 6. Harbor answers 400 to an invalid policy on `PUT /retentions/{id}` and to an action other than "stop" on
  //    `PATCH /retentions/{id}/executions/{eid}` (as on `POST /retentions`); the document lists no 400 there.
  for (const [p, m] of [['/retentions/{id}', 'put'], ['/retentions/{id}/executions/{eid}', 'patch']] as const) {
    const op = (doc.paths[p] as Record<string, { responses?: Record<string, unknown> }>)[m]!;
    op.responses = { ...op.responses, '400': { $ref: '#/responses/400' } };
  }
  // 7. `GET …/additions/{addition}` declares its 200 body as `type: string`; Harbor answers the addition itself:
  //    JSON for `build_history` (the image config's history entries), `dependencies`, `sbom`; text for the others.
  const addition = doc.paths['/projects/{project_name}/repositories/{repository_name}/artifacts/{reference}/additions/{addition}']!.get!;
  addition.responses!['200'] = { description: 'The addition (JSON or text)', schema: {} };
  // 8. `GET /robots` declares no 401 / 403, yet Harbor checks the caller's "list robot" permission on the project (or
  //    the system) and refuses others as every other listing does.
  const robotList = doc.paths['/robots']!.get!;
  robotList.responses!['401'] ??= { $ref: '#/responses/401' } as never;
  robotList.responses!['403'] ??= { $ref: '#/responses/403' } as never;
  // 9. `Schedule.parameters` declares every value an object, yet Harbor's garbage collection takes and answers
  //    booleans and numbers in it (`delete_untagged`, `dry_run`, `workers`).
  (defs.Schedule!.properties as Record<string, JsonSchema>).parameters = { type: 'object', additionalProperties: {} };
  // Not a defect: parameters and responses given by `$ref` are inlined, so the validator sees them.
  const shared = (doc as unknown as { responses: Record<string, { description?: string; schema?: JsonSchema }> }).responses;
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      for (const [code, r] of Object.entries(op.responses ?? {})) {
        const ref = (r as { $ref?: string }).$ref;
        if (ref) op.responses![code] = shared[ref.replace('#/responses/', '')]!;
      }
      op.parameters = op.parameters?.map((p) => {
        const ref = (p as { $ref?: string }).$ref;
        return ref ? doc.parameters[ref.replace('#/parameters/', '')]! : p;
      });
    }
  }
  return doc;
}

let harbor: Swagger2Validator | undefined;
export function harborValidator(): Swagger2Validator {
  return (harbor ??= new Swagger2Validator(mendHarborSpec(loadHarborSpec())));
}

let scanner: OpenApiValidator | undefined;
/** Issues of a body against `HarborVulnerabilityReport` of the scanner adapter document. */
export function checkVulnerabilityReport(report: unknown): ValidationIssue[] {
  scanner ??= new OpenApiValidator(JSON.parse(fs.readFileSync(path.join(specs, 'scanner-adapter-openapi-v1.2.json'), 'utf8')) as OpenApiDocument);
  return scanner.validate({ $ref: '#/components/schemas/HarborVulnerabilityReport' }, report);
}

/** Issues of a request to the fake (`urlPath` under `/api/v2.0`): Harbor (go-swagger) answers them with 422. */
export function requestIssues(method: string, urlPath: string, query: URLSearchParams, body: unknown): ValidationIssue[] {
  const v = harborValidator();
  const p = urlPath.slice(HARBOR_BASE.length) || '/';
  const issues = [...v.validateQuery(method, p, query), ...v.validateRequestBody(method, p, body)];
  for (const [name, max] of [['page_size', 100]] as const) {
    const value = query.get(name);
    if (value !== null && Number(value) > max) issues.push({ at: `query.${name}`, message: `${value} is above the maximum ${max}` });
  }
  return issues;
}

/** Issues of the fake's answer against the mended document: a defect of the fake, never of the client. */
export function responseIssues(method: string, urlPath: string, status: number, answer: unknown): ValidationIssue[] {
  return harborValidator().validateResponse(method, urlPath.slice(HARBOR_BASE.length) || '/', status, answer).issues;
}
