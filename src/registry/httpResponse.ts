import type { ZodError, ZodType } from 'zod';
import {
  BadResponseError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  RateLimitedError,
  RegistryError,
  ServerError,
  UnauthorizedError,
} from './errors';
import { redact } from './redact';

/** Responses of the transport (read in full) and what callers make of them: typed errors, parsed bodies. */

export interface HttpResponse {
  status: number;
  /** The URL that answered (after redirects). */
  url: string;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  header(name: string): string | undefined;
  body: Buffer;
  text(): string;
  /** Parsed body; throws BadResponseError when it is not JSON. */
  json(): unknown;
}

export function makeResponse(status: number, url: string, headers: Record<string, string>, body: Buffer): HttpResponse {
  return new BufferedResponse(status, url, headers, body);
}

/** A response read in full; its methods live on the prototype, so a listing does not build closures per page. */
class BufferedResponse implements HttpResponse {
  private decoded: string | undefined;

  constructor(
    readonly status: number,
    readonly url: string,
    readonly headers: Record<string, string>,
    readonly body: Buffer,
  ) {}

  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  text(): string {
    return (this.decoded ??= this.body.toString('utf8'));
  }

  json(): unknown {
    try {
      return JSON.parse(this.text()) as unknown;
    } catch {
      throw new BadResponseError(`The response of ${redact(this.url)} is not valid JSON`, { status: this.status });
    }
  }
}

/** Milliseconds from a Retry-After header (seconds or HTTP date). */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const secs = Number(value.trim());
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** The server's own words from an OCI / Docker error body (`{"errors":[{"code","message"}]}`) or `{message|detail}`. */
export function serverMessage(res: HttpResponse): string | undefined {
  const text = res.text().trim();
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object') {
      const errors = (body as { errors?: unknown }).errors;
      if (Array.isArray(errors) && errors.length) {
        return errors
          .map((x: unknown) => {
            const o = (x ?? {}) as { code?: unknown; message?: unknown };
            return [typeof o.code === 'string' ? o.code : '', typeof o.message === 'string' ? o.message : ''].filter(Boolean).join(': ');
          })
          .filter(Boolean)
          .join('; ')
          .slice(0, 300);
      }
      for (const k of ['message', 'detail', 'error_description', 'error']) {
        const v = (body as Record<string, unknown>)[k];
        if (typeof v === 'string' && v) return v.slice(0, 300);
      }
    }
  } catch {
    // Not JSON: a short plain-text body is still worth showing.
  }
  return text.length <= 200 && !/<html/i.test(text) ? text : undefined;
}

/** The typed error for a non-2xx response. `what` says what was asked for ("the tag list of team/app"). */
export function statusError(res: HttpResponse, what: string, method = 'GET'): RegistryError {
  const said = serverMessage(res);
  const detail = said ? `: ${redact(said)}` : '';
  const opts = { status: res.status, request: `${method} ${redact(res.url)}` };
  switch (res.status) {
    case 401:
      return new UnauthorizedError(`${what}: sign-in required or credentials rejected (401)${detail}`, opts);
    case 403:
      return new ForbiddenError(`${what}: access denied (403)${detail}`, opts);
    case 404:
      return new NotFoundError(`${what}: not found (404)${detail}`, opts);
    case 405:
      return new MethodNotAllowedError(`${what}: the registry does not allow this operation (405)${detail}`, opts);
    case 429: {
      const wait = retryAfterMs(res.header('retry-after'));
      const when = wait !== undefined ? `; retry in ${Math.ceil(wait / 1000)} s` : '';
      return new RateLimitedError(`${what}: rate limited (429)${when}${detail}`, { ...opts, retryAfterMs: wait });
    }
    default:
      if (res.status >= 500) return new ServerError(`${what}: server error (${res.status})${detail}`, opts);
      return new BadResponseError(`${what}: unexpected status ${res.status}${detail}`, opts);
  }
}

/** Parses a JSON body with a zod schema; anything else is a BadResponseError that says what was wrong. */
export function parseJson<T>(res: HttpResponse, schema: ZodType<T>, what: string): T {
  let body: unknown;
  try {
    body = JSON.parse(res.text());
  } catch {
    throw new BadResponseError(`${what}: the registry answered with something that is not JSON`, { status: res.status, request: redact(res.url) });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BadResponseError(`${what}: unexpected response: ${describeIssues(parsed.error)}`, { status: res.status, request: redact(res.url), cause: parsed.error });
  return parsed.data;
}

/** "tags: expected array, received string; name: …" — the first few zod issues, short. */
export function describeIssues(error: ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
}

export function isOk(res: HttpResponse): boolean {
  return res.status >= 200 && res.status < 300;
}
