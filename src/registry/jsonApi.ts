import type * as z from 'zod';
import type { ProviderContext } from './context';
import { BadResponseError } from './errors';
import { BODY_LIMITS, HttpTransport, isOk, statusError, transportFor, type HttpResponse } from './http';

/**
 * A JSON web API over the shared transport (src/registry/http.ts), for registry kinds whose API is plain JSON
 * requests: requests, answers, and the adapter that turns non-2xx answers into the typed errors of errors.ts.
 */
export interface ApiRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** JSON request body. */
  json?: unknown;
  signal?: AbortSignal;
  /** What the request is for, in error messages ("the tags of acme/api"). */
  what?: string;
  /** Largest body to read (default: BODY_LIMITS.json of src/registry/http.ts). */
  maxBodyBytes?: number;
}

export interface ApiResponse {
  status: number;
  header(name: string): string | undefined;
  /** Raw body text ('' when none). */
  text: string;
}

/** Sends one request. Non-2xx statuses reject with the typed errors of errors.ts; 429 waits are its business. */
export interface ApiTransport {
  send(req: ApiRequest): Promise<ApiResponse>;
  /** Called with every response the transport sees, including the 429s it retries, so rate-limit headers are never missed. */
  onResponse?: (res: ApiResponse) => void;
}

/**
 * Adapts the shared transport to `ApiTransport`: a non-2xx answer rejects with the typed error for its status, and
 * every answer is shown to `onResponse` first so rate-limit headers are read even from the error responses and from
 * the 429s the shared transport waits out and retries (GET with a short Retry-After), so their figures and waits are
 * never missed.
 */
export function apiTransport(http: HttpTransport): ApiTransport & { readonly http: HttpTransport } {
  const adapter: ApiTransport & { readonly http: HttpTransport } = {
    http,
    async send(req: ApiRequest): Promise<ApiResponse> {
      const res = await http.request({
        method: req.method,
        url: req.url,
        headers: req.headers,
        // Some APIs send an empty JSON string on DELETE; anything else is a JSON document.
        json: req.json,
        signal: req.signal,
        maxBodyBytes: req.maxBodyBytes ?? BODY_LIMITS.json,
        onRetry: (info) => {
          if (info.response) adapter.onResponse?.(toApi(info.response));
        },
      });
      const out = toApi(res);
      adapter.onResponse?.(out);
      if (!isOk(res)) throw statusError(res, req.what ? capital(req.what) : describe(req), req.method);
      return out;
    },
  };
  return adapter;
}

/** An API transport for one connection, built from its settings (timeouts, CA, proxy). */
export function apiTransportFor(ctx: ProviderContext): ApiTransport & { readonly http: HttpTransport } {
  return apiTransport(transportFor(ctx));
}

/**
 * Parses a JSON body with a zod schema; failures become BadResponseError naming the first bad field and the
 * service that sent it (`sender`, e.g. the kind's label).
 */
export function parseApiBody<T>(schema: z.ZodType<T>, text: string, what: string, sender: string, request?: string): T {
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch (e) {
    throw new BadResponseError(`${sender} sent malformed JSON for ${what}`, { request, cause: e });
  }
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(body)';
  throw new BadResponseError(`${sender} sent an unexpected answer for ${what}: field ${field}: ${issue.message}`, { request, cause: r.error });
}

function toApi(res: HttpResponse): ApiResponse {
  return { status: res.status, header: (n) => res.header(n), text: res.text() };
}

/** "The tags of acme/api: not found (404)": `what` starts the message. */
function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function describe(req: ApiRequest): string {
  try {
    const u = new URL(req.url);
    return `${req.method} ${u.pathname}`;
  } catch {
    return req.method;
  }
}
