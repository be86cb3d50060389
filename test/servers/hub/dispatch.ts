/** Hub fake dispatch: rate limiting, routing, authentication, spec validation, faults, and the reply. */
import type * as http from 'node:http';
import { pathMatches, replaceAt } from '../kit/faults';
import type { Router } from '../kit/router';
import { bodies, readRequestBody, validateRequest, type Handler, type Reply } from './request';
import type { HubState } from './state';
import { HttpError, type HubRequestLogEntry, type Json } from './types';

function send(res: http.ServerResponse, method: string, reply: Reply, headers: Record<string, string>, rawBody?: string): void {
  const h: Record<string, string> = { ...headers, ...reply.headers };
  let payload: string | undefined = rawBody;
  if (payload === undefined && reply.body !== undefined) payload = JSON.stringify(reply.body);
  if (payload !== undefined) {
    h['Content-Type'] = 'application/json';
    h['Content-Length'] = String(Buffer.byteLength(payload));
  } else if (reply.status !== 204) {
    h['Content-Length'] = '0';
  }
  res.writeHead(reply.status, h);
  res.end(method === 'HEAD' ? undefined : payload);
}

function errorBody(e: HttpError): Json {
  const b: Json = { detail: e.detail, message: e.detail };
  // 400 bodies are `ValueError` ({fields, text}) on some endpoints and `error` on others; both shapes together satisfy both.
  if (e.status === 400) {
    b.text = e.detail;
    b.fields = e.fields ?? {};
    b.errinfo = {};
  }
  return b;
}

/** Replaces one field of a copy of `body`; by default the first result's `name`, else the first property. */
function mutate(body: unknown, field: string | undefined, value: unknown): unknown {
  let path = field;
  if (!path) {
    const o = body as Record<string, unknown>;
    if (Array.isArray(o.results) && o.results.length > 0) path = 'results.0.name';
    else path = Object.keys(o)[0] ?? '';
  }
  return replaceAt(body, path, value);
}

export function hubHandler(k: HubState, router: Router<Handler>): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  const { st, now, log, forced429, faults, authKind, principalOf } = k;

  function rateHeaders(): Record<string, string> {
    if (now() >= st.rate.resetAt) {
      st.rate = { ...st.rate, remaining: st.rate.limit, resetAt: now() + st.rate.windowMs };
    }
    return {
      'X-RateLimit-Limit': String(st.rate.limit),
      'X-RateLimit-Remaining': String(Math.max(0, st.rate.remaining)),
      'X-RateLimit-Reset': String(Math.ceil(st.rate.resetAt / 1000)),
    };
  }

  return async function handle(req, res) {
    const u = new URL(req.url ?? '/', st.baseUrl);
    const path = u.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const entry = log.push({ method, path, query: u.search.replace(/^\?/, ''), status: 0, auth: authKind(req.headers.authorization), at: now() } satisfies HubRequestLogEntry);

    const headers = rateHeaders();
    const forced = forced429.find((f) => f.left > 0 && pathMatches(f.path, path));
    if (forced || st.rate.remaining <= 0) {
      const retryAfter = forced ? forced.retryAfter : Math.max(1, Math.ceil((st.rate.resetAt - now()) / 1000));
      if (forced) forced.left--;
      entry.status = 429;
      req.resume();
      send(res, method, { status: 429, body: { detail: 'Rate limit exceeded', error: false }, headers: { 'Retry-After': String(retryAfter), 'X-RateLimit-Remaining': '0' } }, headers);
      return;
    }
    st.rate.remaining--;
    headers['X-RateLimit-Remaining'] = String(st.rate.remaining);

    const found = router.find(method === 'HEAD' ? 'GET' : method, path);
    let reply: Reply;
    try {
      if (!found.route) throw new HttpError(found.pathKnown ? 405 : 404, found.pathKnown ? `Method ${method} not allowed` : 'Not found');
      const text = method === 'GET' || method === 'HEAD' ? '' : await readRequestBody(req);
      bodies.set(req, text);
      const p = principalOf(req);
      validateRequest(method, path, u.searchParams, text);
      reply = await found.route.handler({ req, path, q: u.searchParams, p, m: found.params });
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      reply = { status: e.status, body: errorBody(e) };
      if (e.status === 401) reply.headers = { 'WWW-Authenticate': `Bearer realm="${st.baseUrl}/v2/auth/token"` };
    }
    req.resume();

    const f = reply.status < 400 ? faults.take(method, path) : undefined;
    if (f) {
      if (f.kind === 'malformed') {
        entry.status = 200;
        send(res, method, { status: 200 }, headers, '{"count": 3, "results": [{"name": "trunc');
        return;
      }
      if (f.kind === 'status') {
        reply = { status: f.status ?? 500, body: { detail: 'Injected failure', message: 'Injected failure' } };
      } else if (reply.body !== undefined) {
        reply = { ...reply, body: mutate(reply.body, f.field, f.value === undefined ? 12345 : f.value) };
      }
    }
    entry.status = reply.status;
    send(res, method, reply, headers);
  };
}
