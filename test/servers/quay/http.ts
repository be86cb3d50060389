/** Quay fake HTTP: health, the `/v2` registry proxy, routing (feature-gated), faults, tokens, and Quay's error body. */
import * as http from 'node:http';
import type { Router } from '../kit/router';
import type { Handler } from './kit';
import type { QuayState } from './state';
import { HttpError, type Json, type QuayFeature, type QuayRequestLogEntry } from './types';

export type QuayRoute = { h: Handler; feature?: QuayFeature };

export function quayHttp(k: QuayState, router: Router<QuayRoute>): http.Server {
  const { features, log, faults, st, authOf } = k;

  const healthBody = (services: string[]) => {
    const data = Object.fromEntries(services.map((sv) => [sv, !st.failing.includes(sv)]));
    const healthy = Object.values(data).every(Boolean);
    return { status: healthy ? 200 : 503, body: { data: { services: data }, status_code: healthy ? 200 : 503 } };
  };

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    if (status === 204 || body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    const text = typeof body === 'string' && status === 201 && body === '' ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = req.url ?? '/';
      const qi = raw.indexOf('?');
      const rawPath = qi >= 0 ? raw.slice(0, qi) : raw;
      const query = qi >= 0 ? raw.slice(qi + 1) : '';
      const entry: QuayRequestLogEntry = { method: req.method ?? 'GET', path: rawPath, query, status: 0, auth: !req.headers.authorization ? 'none' : /^bearer /i.test(req.headers.authorization) ? 'bearer' : 'other' };
      log.push(entry);
      const finish = (status: number, body: unknown) => {
        entry.status = status;
        send(res, status, body);
      };
      try {
        if (rawPath.startsWith('/v2')) {
          if (!st.registry) return finish(404, { errors: [{ code: 'NOT_FOUND', message: 'no registry' }] });
          entry.status = -1;
          const target = rawPath === '/v2/auth' ? `/token${qi >= 0 ? raw.slice(qi) : ''}` : raw;
          const up = http.request(`${st.registry.url}${target}`, { method: req.method, headers: { ...req.headers, host: new URL(st.registry.url).host } }, (ur) => {
            entry.status = ur.statusCode ?? 0;
            res.writeHead(ur.statusCode ?? 502, ur.headers);
            ur.pipe(res);
          });
          up.on('error', () => finish(502, { errors: [{ code: 'UNAVAILABLE', message: 'registry down' }] }));
          up.end(Buffer.concat(chunks));
          return;
        }
        if (rawPath === '/health/instance' || rawPath === '/health') {
          const h = healthBody(['registry_gunicorn', 'web_gunicorn', 'service_key', 'disk_space']);
          return finish(h.status, h.body);
        }
        if (rawPath === '/health/endtoend' || rawPath === '/status') {
          const h = healthBody(['registry_gunicorn', 'web_gunicorn', 'service_key', 'disk_space', 'database', 'redis', 'auth', 'storage']);
          return finish(h.status, h.body);
        }
        // Quay's routes match the decoded path, but an encoded slash never splits a segment: it does not route.
        if (/%2f/i.test(rawPath)) throw new HttpError(404, 'not_found', 'Not Found');
        const method = req.method ?? 'GET';
        const matched = router.find(method, rawPath, (r) => !r.handler.feature || features.has(r.handler.feature));
        if (!matched.route) throw new HttpError(matched.pathKnown ? 405 : 404, matched.pathKnown ? 'invalid_request' : 'not_found', matched.pathKnown ? 'Method Not Allowed' : 'Not Found');
        const f = faults.take(method, rawPath);
        if (f) {
          if (f.kind === 'malformed') {
            entry.status = 200;
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"truncated": [');
            return;
          }
          if (f.kind === 'status') throw new HttpError(f.status ?? 500, 'downstream_issue', 'Injected failure');
        }
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        if (text) {
          try {
            body = JSON.parse(text);
          } catch {
            throw new HttpError(400, 'invalid_request', 'Invalid JSON');
          }
        }
        const who = authOf(req);
        const out = matched.route.handler.h({ method, params: matched.params, q: new URLSearchParams(query), body, who }) ?? { status: 200, body: {} };
        let outBody = out.body;
        if (f) {
          if (f.kind === 'repeatCursor' && outBody && typeof outBody === 'object' && 'next_page' in outBody) {
            const q = new URLSearchParams(query);
            if (q.get('next_page')) (outBody as Json).next_page = q.get('next_page');
          }
          if (f.kind === 'wrongType') outBody = f.body;
        }
        finish(out.status ?? 200, outBody);
      } catch (e) {
        if (e instanceof HttpError) {
          const host = `http://${req.headers.host ?? 'localhost'}`;
          return finish(e.status, { type: `${host}/api/v1/error/${e.title}`, title: e.title, detail: e.detail, error_message: e.detail, error_type: e.title, status: e.status });
        }
        finish(500, { type: 'about:blank', title: 'internal_error', detail: String((e as Error).message), status: 500 });
      }
    });
  });

  return server;
}
