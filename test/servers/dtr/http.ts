/** DTR fake HTTP: Basic authentication, spec validation of requests and responses, faults, and the registry proxy. */
import * as http from 'node:http';
import { formatIssues } from '../../support/openapiValidator';
import { applies, type Armed } from '../kit/faults';
import { replaceField } from './exports';
import type { Ctx, DtrKit, Reply } from './kit';
import { accountRoutes } from './routes/accounts';
import { adminRoutes } from './routes/admin';
import { metaRoutes } from './routes/meta';
import { repositoryRoutes } from './routes/repositories';
import { tokenAndScanRoutes } from './routes/tokens';
import { HttpError, unauthenticated, type DtrFault, type UserRec } from './types';

export function dtrHttp(k: DtrKit): http.Server {
  const { opts, spec, shape, users, log, violations, answered, now, st, enziTeams } = k;

  function authenticate(header: string | undefined): UserRec | undefined | 'bad' {
    if (!header) return undefined;
    const m = /^Basic\s+(.+)$/i.exec(header);
    if (!m) return 'bad';
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    const user = users.get(decoded.slice(0, i));
    const secret = decoded.slice(i + 1);
    if (!user) return 'bad';
    if (user.password === secret) return user;
    for (const t of user.tokens.values()) {
      if (t.secret === secret && t.isActive) {
        t.lastUsed = now();
        return user;
      }
    }
    return 'bad';
  }

  function matchFault(method: string, path: string): Armed<DtrFault> | undefined {
    return applies(st.fault, method, path, 'exact') ? st.fault : undefined;
  }

  /** The route families in order; the first that answers wins. */
  function route(c: Ctx): Reply {
    for (const family of [metaRoutes, repositoryRoutes, accountRoutes, tokenAndScanRoutes, adminRoutes]) {
      const reply = family(k, c);
      if (reply) return reply;
    }
    throw new HttpError(404, 'NOT_FOUND', 'Not found');
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const method = req.method ?? 'GET';
      if (st.oci && (url.pathname === '/v2' || url.pathname.startsWith('/v2/') || url.pathname === '/token')) {
        proxy(req, res, Buffer.concat(chunks));
        return;
      }
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      let reply: { status: number; body?: unknown; text?: string };
      let user: UserRec | undefined;
      let bodyValue: unknown;
      const f = matchFault(method, url.pathname);
      try {
        const enzi = opts.enzi ? /^\/enzi\/v0\/accounts\/([^/]+)\/teams$/.exec(url.pathname) : null;
        if (!url.pathname.startsWith('/api/v0/') && !enzi) throw new HttpError(404, 'NOT_FOUND', 'Not found');
        const auth = authenticate(req.headers.authorization);
        if (auth === 'bad') throw unauthenticated();
        user = auth;
        if (enzi) reply = enziTeams(decodeURIComponent(enzi[1]!), user);
        else {
          const raw = Buffer.concat(chunks).toString('utf8');
          if (raw) {
            try {
              bodyValue = JSON.parse(raw);
            } catch {
              throw new HttpError(400, 'INVALID_JSON', 'Unable to parse JSON');
            }
          }
          // DTR 1.3 creates a repository from a name alone and patches any subset.
          const legacyRepoForm = shape === '1.3' && /^\/api\/v0\/repositories\/[^/]+(\/[^/]+)?$/.test(url.pathname) && (method === 'POST' || method === 'PATCH');
          if (!legacyRepoForm && spec.operation(method, url.pathname)) {
            const issues = spec.validateRequestBody(method, url.pathname, bodyValue);
            if (issues.length) throw new HttpError(400, 'INVALID_JSON', `The request body does not match the form: ${formatIssues(issues)}`);
          }
          if (f?.kind === 'status') throw new HttpError(f.status ?? 500, 'INJECTED', 'Injected failure');
          const parts = url.pathname.slice('/api/v0/'.length).split('/').filter(Boolean).map(decodeURIComponent);
          reply = route({ method, parts, q: url.searchParams, body: bodyValue, user, headers, accept: req.headers.accept });
        }
      } catch (e) {
        if (!(e instanceof HttpError)) {
          reply = { status: 500, body: { errors: [{ code: 'INTERNAL_ERROR', message: String((e as Error).message) }] } };
        } else reply = { status: e.status, body: { errors: [{ code: e.code, message: e.message }] } };
      }
      if (f) f.left--;
      if (st.fault && st.fault.left <= 0) st.fault = undefined;
      const template = spec.matchPath(url.pathname);
      if (template && reply.status < 300) answered.add(`${method} ${template}`);
      if (reply.text !== undefined) {
        // A file export (CSV): not JSON, so outside the document's schemas; its rows are checked by the tests.
      } else if (opts.validateResponses && reply.status < 300 && url.pathname.startsWith('/api/v0/')) {
        try {
          const v = spec.validateResponse(method, url.pathname, reply.status, reply.body);
          if (v.issues.length) violations.push(`${method} ${url.pathname} ${reply.status}:\n${formatIssues(v.issues)}`);
        } catch (e) {
          violations.push(`${method} ${url.pathname} ${reply.status}: ${(e as Error).message}`);
        }
      }
      log.push({ method, path: url.pathname, query: url.search.slice(1), status: reply.status, user: user?.name, body: bodyValue });
      let text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      if (f?.kind === 'malformed' && reply.status < 300) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      if (f?.kind === 'wrongType' && reply.status < 300 && reply.body !== undefined) text = JSON.stringify(replaceField(reply.body, f.field, f.value ?? 12345));
      if (reply.status === 204) text = '';
      res.writeHead(reply.status, text ? headers : Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'Content-Type')));
      res.end(text);
    });
  });

  function proxy(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const target = new URL(st.oci!.url);
    const headers = { ...req.headers, host: target.host };
    const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      const h = { ...up.headers };
      // The registry advertises its own /token; clients must see DTR's origin (as with DTR's own token service).
      if (typeof h['www-authenticate'] === 'string') h['www-authenticate'] = h['www-authenticate'].replace(st.oci!.url, st.base);
      res.writeHead(up.statusCode ?? 502, h);
      up.pipe(res);
    });
    out.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    out.end(body);
  }

  // ---- seeding API ----

  return server;
}
