/**
 * The fault server of the reliability suite: a proxy on 127.0.0.1 in front of a spec-faithful fake (the
 * "upstream"), which answers every request normally except the ones a case targets, whose answer it replaces with
 * a hostile or malformed one. Next to it, an "evil" server on another origin (a mirror of the upstream that records
 * everything it receives) is where cross-origin redirects and links point: no secret may ever reach it.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  /** Path and query, as requested. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Upstream {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What a behaviour may use: where the servers are, and the normal answer (fetched on demand). */
export interface FaultContext {
  /** Origin of this proxy (the registry as configured). */
  self: string;
  /** Origin of the evil mirror. */
  evil: string;
  /** The upstream's answer to this request. */
  upstream(): Promise<Upstream>;
  /** Deterministic randomness for this case. */
  random(): number;
}

/** Writes the answer to one targeted request (or leaves the socket hanging / destroys it). */
export type Behaviour = (ex: Exchange, res: http.ServerResponse, ctx: FaultContext) => Promise<void> | void;

/** One request as the proxy (or the evil server) saw it, and how it was answered. */
export interface LoggedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Status sent, or 'reset' / 'hang' / 'none' when no complete answer went out. */
  outcome: number | 'reset' | 'hang' | 'none';
}

export interface Target {
  method?: string | RegExp;
  path: RegExp;
}

export interface FaultPlan {
  target: Target;
  behaviour: Behaviour;
  /** 'first': only the first matching request; 'all': every one. */
  occurrence: 'first' | 'all';
}

export interface FaultServers {
  self: string;
  evil: string;
  /** Requests the proxy received. */
  log: LoggedRequest[];
  /** Requests the evil origin received. */
  evilLog: LoggedRequest[];
  /** Token values that passed through (from JSON `token` / `access_token` fields): secrets like the password. */
  tokens: Set<string>;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.concat(chunks)));
  });
}

/** Sends a request to the upstream fake and buffers its answer. */
function forward(upstream: string, ex: Exchange): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const u = new URL(ex.url, upstream);
    const headers = { ...ex.headers, host: u.host };
    delete headers['content-length'];
    const req = http.request(u, { method: ex.method, headers: { ...headers, ...(ex.body.length ? { 'content-length': String(ex.body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(ex.body.length ? ex.body : undefined);
  });
}

/** Writes an upstream answer as is (minus hop-by-hop headers). */
export function send(res: http.ServerResponse, up: Upstream): void {
  const headers = { ...up.headers };
  for (const h of ['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']) delete headers[h];
  res.writeHead(up.status, { ...headers, 'content-length': String(up.body.length) });
  res.end(up.body);
}

function noteTokens(body: Buffer, tokens: Set<string>): void {
  if (body.length > 1 << 20) return;
  try {
    const j = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    for (const k of ['token', 'access_token', 'refresh_token']) if (typeof j?.[k] === 'string' && (j[k] as string).length >= 4) tokens.add(j[k] as string);
    // Quay's application tokens: `{ token: { token_code } }`.
    const code = (j?.token as Record<string, unknown> | undefined)?.token_code;
    if (typeof code === 'string' && code.length >= 4) tokens.add(code);
  } catch {
    // Not JSON: no token.
  }
}

function matches(t: Target, method: string, url: string): boolean {
  const path = url.split('?')[0]!;
  if (!t.path.test(path)) return false;
  if (t.method === undefined) return true;
  return typeof t.method === 'string' ? t.method === method : t.method.test(method);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function listen(handler: http.RequestListener, tls?: { key: Buffer; cert: Buffer }): Promise<{ server: http.Server; origin: string }> {
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Starts the proxy (applying `plan`) and the evil mirror in front of `upstream`. With `tls` the proxy serves https
 * with that certificate while the evil mirror stays plain http (so a redirect or link there is a downgrade).
 */
export async function startFaultServers(upstream: string, plan: FaultPlan | undefined, seed: number, tls?: { key: Buffer; cert: Buffer }): Promise<FaultServers> {
  const log: LoggedRequest[] = [];
  const evilLog: LoggedRequest[] = [];
  const tokens = new Set<string>();
  const sockets = new Set<import('node:net').Socket>();
  let fired = 0;
  const random = mulberry32(seed);
  let selfOrigin = '';
  let evilOrigin = '';

  const handle = (isEvil: boolean): http.RequestListener => async (req, res) => {
    const body = await readBody(req);
    const ex: Exchange = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
    const entry: LoggedRequest = { method: ex.method, url: ex.url, headers: req.headers, body: body.toString('utf8'), outcome: 'hang' };
    (isEvil ? evilLog : log).push(entry);
    res.on('finish', () => (entry.outcome = res.statusCode));
    res.on('close', () => {
      if (!res.writableFinished && entry.outcome === 'hang') entry.outcome = res.headersSent ? 'reset' : 'none';
    });
    let up: Promise<Upstream> | undefined;
    const ctx: FaultContext = {
      self: selfOrigin,
      evil: evilOrigin,
      upstream: () => (up ??= forward(upstream, ex).then((u) => (noteTokens(u.body, tokens), u))),
      random,
    };
    try {
      if (isEvil) {
        // The evil origin mirrors the registry (a redirect there "works"), and offers a token endpoint.
        if (ex.url.startsWith('/challenge')) {
          res.writeHead(401, { 'www-authenticate': `Bearer realm="${evilOrigin}/evil-token",service="evil"`, 'content-type': 'application/json' }).end('{}');
          return;
        }
        if (ex.url.startsWith('/evil-token')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'evil-issued-token', access_token: 'evil-issued-token' }));
          return;
        }
        send(res, await ctx.upstream());
        return;
      }
      if (plan && matches(plan.target, ex.method, ex.url) && (plan.occurrence === 'all' || fired === 0)) {
        fired++;
        await plan.behaviour(ex, res, ctx);
        return;
      }
      send(res, await ctx.upstream());
    } catch {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    }
  };

  const proxy = await listen(handle(false), tls);
  const evil = await listen(handle(true));
  selfOrigin = proxy.origin;
  evilOrigin = evil.origin;
  for (const s of [proxy.server, evil.server]) s.on('connection', (sock) => (sockets.add(sock), sock.on('close', () => sockets.delete(sock))));
  return {
    self: proxy.origin,
    evil: evil.origin,
    log,
    evilLog,
    tokens,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([proxy.server, evil.server].map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
