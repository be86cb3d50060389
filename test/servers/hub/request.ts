/** Hub fake request plumbing: the spec every request is validated against, bodies, field readers, handler types. */
import type * as http from 'node:http';
import { readBody } from '../kit/body';
import { issueFields, once, readSpec } from '../kit/validate';
import { OpenApiValidator, formatIssues, type OpenApiDocument } from '../../support/openapiValidator';
import { DATE_TIME, HttpError, type Json, type Principal } from './types';

/**
 * The Hub OpenAPI document every request is validated against (query and JSON body), with one request-side
 * erratum: `immutable_tags_verify_request.regex` carries the repository-name `pattern`, which its own example
 * (`v.*`) and every useful rule fail; Hub checks that the value is a regular expression (the handler does too).
 */
const hubSpec = once(() => {
  const doc = readSpec<OpenApiDocument>('docker-hub-api.validated.json');
  const verify = doc.components?.schemas?.immutable_tags_verify_request?.properties?.regex;
  if (verify) delete verify.pattern;
  return new OpenApiValidator(doc);
});

export interface Ctx {
  req: http.IncomingMessage;
  path: string;
  q: URLSearchParams;
  p: Principal | undefined;
  m: string[];
}
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export type Handler = (c: Ctx) => Promise<Reply> | Reply;

/** Request bodies, read (and validated) by the dispatcher before the route's handler runs. */
export const bodies = new WeakMap<http.IncomingMessage, string>();

export async function readRequestBody(req: http.IncomingMessage): Promise<string> {
  return (await readBody(req, 1_000_000, () => new HttpError(413, 'Request body too large'))).toString('utf8');
}

/**
 * Checks a request against the OpenAPI document as Hub's request parsing does: query parameter types, enums and
 * bounds, required and well-typed JSON body fields. Endpoints outside the document are checked by their handlers.
 */
export function validateRequest(method: string, path: string, q: URLSearchParams, text: string): void {
  let body: unknown;
  if (text) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      throw new HttpError(400, 'Malformed JSON body', { body: ['Invalid JSON.'] });
    }
  }
  const v = hubSpec().validateRequest(method, path, q, body);
  if (!v || v.issues.length === 0) return;
  throw new HttpError(400, `Invalid request: ${formatIssues(v.issues).replace(/\n/g, '; ')}`, issueFields(v.issues));
}

export async function readJson(req: http.IncomingMessage): Promise<Json> {
  const text = bodies.get(req) ?? '';
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Json;
  } catch {
    throw new HttpError(400, 'Malformed JSON body', { body: ['Invalid JSON.'] });
  }
}

export function str(body: Json, key: string, required: boolean): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (required) throw new HttpError(400, `${key} is required`, { [key]: ['This field is required.'] });
    return undefined;
  }
  if (typeof v !== 'string') throw new HttpError(400, `${key} must be a string`, { [key]: ['Not a valid string.'] });
  return v;
}

export function bool(body: Json, key: string, required: boolean): boolean | undefined {
  const v = body[key];
  if (v === undefined) {
    if (required) throw new HttpError(400, `${key} is required`, { [key]: ['This field is required.'] });
    return undefined;
  }
  if (typeof v !== 'boolean') throw new HttpError(400, `${key} must be a boolean`, { [key]: ['Must be a valid boolean.'] });
  return v;
}

export function strArray(body: Json, key: string, required: boolean): string[] | undefined {
  const v = body[key];
  if (v === undefined) {
    if (required) throw new HttpError(400, `${key} is required`, { [key]: ['This field is required.'] });
    return undefined;
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new HttpError(400, `${key} must be a list of strings`, { [key]: ['Expected a list of strings.'] });
  return v as string[];
}

export function compileRule(rule: string): RegExp {
  try {
    // Rules name whole tags: `v.*` must not match `dev`.
    return new RegExp(`^(?:${rule})$`);
  } catch {
    throw new HttpError(400, `Invalid regular expression: ${rule}`, { regex: ['Invalid regular expression.'] });
  }
}

/** `expires_at`: absent or null (never), or an RFC 3339 date-time in the future. */
export function expiresAtOf(body: Json, nowMs: number): string | null | undefined {
  const v = body.expires_at;
  if (v === undefined || v === null) return v;
  if (typeof v !== 'string' || !DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) throw new HttpError(400, 'expires_at must be a date-time', { expires_at: ['Datetime has wrong format. Use RFC 3339 (2025-01-31T00:00:00Z).'] });
  if (Date.parse(v) <= nowMs) throw new HttpError(400, 'expires_at must be in the future', { expires_at: ['The expiration date must be in the future.'] });
  return v;
}
