/**
 * Hostile and malformed answers, each a Behaviour of the fault proxy. Generic: they transform whatever the
 * upstream fake would have answered (JSON bodies, `Link` headers, `next` fields), so every provider gets the same
 * set. The fuzzer picks among them with a seeded random source; `name` says what each one sends.
 */
import type * as http from 'node:http';
import { send, type Behaviour, type Upstream } from './faultProxy';
import { hostileBehaviours } from './hostile';

export interface NamedBehaviour {
  name: string;
  behaviour: Behaviour;
  /** Slow behaviours (stalls, drips) are sampled less often to keep the run short. */
  slow?: boolean;
  /** Served over TLS (the provider trusts the proxy's certificate through `caFile`), with the evil mirror on plain http. */
  tls?: boolean;
  /** Names of subject targets (`Target` keys) this behaviour is also tried on, each once, besides a random one. */
  prefer?: RegExp;
  /** A check of the operation's result particular to this behaviour (what it injected must not come through). */
  check?(result: unknown): string | undefined;
}

const ODD_BODIES: Record<string, (auth: string) => { type: string; body: string }> = {
  empty: () => ({ type: 'application/json', body: '' }),
  html: () => ({ type: 'text/html', body: '<html><body><h1>Error</h1><script>alert(1)</script></body></html>' }),
  errors: () => ({ type: 'application/json', body: JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }] }) }),
  weirdErrors: () => ({ type: 'application/json', body: JSON.stringify({ errors: 'nope', message: 42, detail: { x: [1] } }) }),
  // A server that echoes the credentials it was sent: they must not reach an error message or a log line.
  echo: (auth) => ({ type: 'application/json', body: JSON.stringify({ message: `bad credentials: ${auth}`, detail: `you sent ${auth}` }) }),
  echoPlain: (auth) => ({ type: 'text/plain', body: `denied for ${auth} ${Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString('utf8')}` }),
  long: () => ({ type: 'text/plain', body: 'x'.repeat(256 * 1024) }),
  binary: () => ({ type: 'application/json', body: '\u0000\uFFFD\u0001{"errors":[' }),
};

const WWW_AUTH: ((self: string, evil: string) => string)[] = [
  (self: string) => `Bearer realm="${self}/token",service="registry",scope="repository:a:pull"`,
  () => 'Basic realm="registry"',
  () => 'Bearer',
  () => 'Bearer realm="javascript:alert(1)"',
  () => 'Bearer realm="file:///etc/passwd"',
  () => 'Negotiate, NTLM',
  () => ',,,=,="',
  (self: string) => `Bearer realm="${self}/token", Basic realm="x"`,
  // A token realm on another origin: credentials go there only when the user allowed that origin.
  (_self: string, evil: string) => `Bearer realm="${evil}/evil-token",service="registry",scope="repository:team/app:pull"`,
  (_self: string, evil: string) => `Bearer realm="${evil.replace('127.0.0.1', 'localhost')}/evil-token",service="registry"`,
];

const RETRY_AFTER = ['1', '0', '99999', 'soon', new Date(Date.now() + 3_600_000).toUTCString(), '-5'];

function writeJson(res: http.ServerResponse, status: number, up: Upstream, body: string | Buffer, extra: Record<string, string> = {}): void {
  const headers = { ...up.headers, ...extra };
  send(res, { status, headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body) });
}

function json(up: Upstream): unknown {
  try {
    return JSON.parse(up.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const WRONG_VALUES: unknown[] = [12345, null, 'a string', { an: 'object' }, [1, 2, 3], true, -1, '', [{}], 1e308];

/** Replaces one value in the JSON tree (picked at random at `depth` ≤ 3) with a value of another type. */
function mutateJson(value: unknown, rnd: () => number, depth = 0): unknown {
  const replacement = WRONG_VALUES[Math.floor(rnd() * WRONG_VALUES.length)];
  if (Array.isArray(value)) {
    if (value.length === 0 || depth >= 3 || rnd() < 0.3) return replacement;
    const copy = [...value];
    const i = Math.floor(rnd() * copy.length);
    copy[i] = mutateJson(copy[i], rnd, depth + 1);
    return copy;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0 || depth >= 3 || rnd() < 0.2) return replacement;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const k = keys[Math.floor(rnd() * keys.length)]!;
    copy[k] = mutateJson(copy[k], rnd, depth + 1);
    return copy;
  }
  return replacement;
}

function stall(res: http.ServerResponse): Promise<void> {
  // Nothing more is written; the client's time-out (or the case's end) closes the socket.
  return new Promise((resolve) => res.on('close', () => resolve()));
}

function endless(res: http.ServerResponse, chunk: Buffer, delayMs = 0): Promise<void> {
  return new Promise((resolve) => {
    let open = true;
    res.on('close', () => {
      open = false;
      resolve();
    });
    // A HEAD answer has no body: node drops what is written, so there is nothing to stream.
    if (res.req.method === 'HEAD') return void res.end();
    const pump = (): void => {
      if (!open) return;
      // One chunk per turn (or per drain), so the server never loops without yielding.
      const more = res.write(chunk);
      if (delayMs) setTimeout(pump, delayMs);
      else if (more) setImmediate(pump);
      else res.once('drain', pump);
    };
    pump();
  });
}

/** The list of behaviours; statuses × odd bodies first, then body, transport, redirect and cursor faults. */
export function behaviours(): NamedBehaviour[] {
  const out: NamedBehaviour[] = [];
  for (const status of [400, 401, 403, 404, 405, 409, 429, 500, 502, 503, 504]) {
    for (const [kind, make] of Object.entries(ODD_BODIES)) {
      out.push({
        name: `status ${status} with ${kind} body`,
        behaviour: async (ex, res, ctx) => {
          const { type, body } = make(String(ex.headers.authorization ?? 'none'));
          const headers: Record<string, string> = { 'content-type': type };
          if (status === 401) headers['www-authenticate'] = WWW_AUTH[Math.floor(ctx.random() * WWW_AUTH.length)]!(ctx.self, ctx.evil);
          if (status === 429 || status === 503) headers['retry-after'] = RETRY_AFTER[Math.floor(ctx.random() * RETRY_AFTER.length)]!;
          res.writeHead(status, headers).end(body);
        },
      });
    }
  }
  for (const [i, make] of WWW_AUTH.entries()) {
    out.push({ name: `401 challenge #${i}`, behaviour: (_ex, res, ctx) => void res.writeHead(401, { 'www-authenticate': make(ctx.self, ctx.evil), 'content-type': 'application/json' }).end('{}') });
  }
  for (const ra of RETRY_AFTER) {
    out.push({ name: `429 Retry-After: ${ra}`, behaviour: (_ex, res) => void res.writeHead(429, { 'retry-after': ra, 'content-type': 'application/json' }).end('{"message":"slow down"}') });
  }
  for (const frac of [0, 0.1, 0.5, 0.9, 0.999]) {
    out.push({
      name: `200 with JSON truncated at ${frac * 100}%`,
      behaviour: async (_ex, res, ctx) => {
        const up = await ctx.upstream();
        writeJson(res, up.status, up, up.body.subarray(0, Math.floor(up.body.length * frac)));
      },
    });
  }
  for (let k = 0; k < 12; k++) {
    out.push({
      name: `JSON with a value of the wrong type (#${k})`,
      behaviour: async (_ex, res, ctx) => {
        const up = await ctx.upstream();
        const j = json(up);
        writeJson(res, up.status, up, j === undefined ? up.body : JSON.stringify(mutateJson(j, () => ctx.random())));
      },
    });
  }
  out.push(
    { name: 'JSON of another shape (array)', behaviour: async (_ex, res, ctx) => writeJson(res, 200, await ctx.upstream(), '[1,2,3]') },
    { name: 'JSON null', behaviour: async (_ex, res, ctx) => writeJson(res, 200, await ctx.upstream(), 'null') },
    { name: 'JSON string', behaviour: async (_ex, res, ctx) => writeJson(res, 200, await ctx.upstream(), '"tags"') },
    { name: 'deeply nested JSON', behaviour: async (_ex, res, ctx) => writeJson(res, 200, await ctx.upstream(), '['.repeat(100_000) + ']'.repeat(100_000)) },
    { name: 'JSON with a byte-order mark', behaviour: async (_ex, res, ctx) => { const up = await ctx.upstream(); writeJson(res, up.status, up, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), up.body])); } },
    { name: 'random bytes', behaviour: async (_ex, res, ctx) => writeJson(res, 200, await ctx.upstream(), Buffer.from(Array.from({ length: 4096 }, () => Math.floor(ctx.random() * 256)))) },
    { name: 'empty 200', behaviour: async (_ex, res, ctx) => writeJson(res, 200, await ctx.upstream(), '') },
    { name: 'HTML 200', behaviour: (_ex, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>') },
    { name: 'gzip declared, plain sent', behaviour: async (_ex, res, ctx) => { const up = await ctx.upstream(); writeJson(res, up.status, up, up.body, { 'content-encoding': 'gzip' }); } },
    { name: 'content-type lie', behaviour: async (_ex, res, ctx) => { const up = await ctx.upstream(); writeJson(res, up.status, up, up.body, { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }); } },
    { name: 'digest header md5', behaviour: async (_ex, res, ctx) => { const up = await ctx.upstream(); writeJson(res, up.status, up, up.body, { 'docker-content-digest': 'md5:' + 'a'.repeat(32) }); } },
    { name: 'digest header wrong sha256', behaviour: async (_ex, res, ctx) => { const up = await ctx.upstream(); writeJson(res, up.status, up, up.body, { 'docker-content-digest': 'sha256:' + 'b'.repeat(64) }); } },
    { name: 'digest header x:y', behaviour: async (_ex, res, ctx) => { const up = await ctx.upstream(); writeJson(res, up.status, up, up.body, { 'docker-content-digest': 'x:y' }); } },
    { name: 'huge declared Content-Length (80 MiB)', behaviour: (_ex, res) => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(80 * 1024 * 1024) }); res.write('{"tags":['); return stall(res); } },
    { name: 'endless JSON body', behaviour: (_ex, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"tags":['); return endless(res, Buffer.from('"x",'.repeat(16 * 1024))); } },
    { name: 'endless body of spaces', behaviour: (_ex, res) => { res.writeHead(200, { 'content-type': 'application/json' }); return endless(res, Buffer.alloc(64 * 1024, 0x20)); } },
    { name: 'stall before headers', slow: true, behaviour: (_ex, res) => stall(res) },
    { name: 'stall mid-body', slow: true, behaviour: async (_ex, res, ctx) => { const up = await ctx.upstream(); res.writeHead(up.status, { 'content-type': 'application/json', 'content-length': String(up.body.length + 10) }); res.write(up.body.subarray(0, Math.floor(up.body.length / 2))); return stall(res); } },
    { name: 'drip feed, one byte per 50 ms', slow: true, behaviour: (_ex, res) => { res.writeHead(200, { 'content-type': 'application/json' }); return endless(res, Buffer.from(' '), 50); } },
    { name: 'reset before headers', behaviour: (_ex, res) => void res.socket?.destroy() },
    { name: 'reset mid-body', behaviour: async (_ex, res, ctx) => { const up = await ctx.upstream(); res.writeHead(up.status, { 'content-type': 'application/json', 'content-length': String(up.body.length + 100) }); res.write(up.body.subarray(0, Math.floor(up.body.length / 2))); setTimeout(() => res.socket?.destroy(), 5); } },
    { name: 'redirect to itself', behaviour: (ex, res) => void res.writeHead(302, { location: ex.url }).end() },
    { name: 'redirect ping-pong', behaviour: (ex, res) => void res.writeHead(307, { location: ex.url.includes('pong=1') ? ex.url.replace(/[?&]pong=1/, '') : ex.url + (ex.url.includes('?') ? '&' : '?') + 'pong=1' }).end() },
    { name: 'redirect to another origin (a working mirror)', behaviour: (ex, res, ctx) => void res.writeHead(307, { location: ctx.evil + ex.url }).end() },
    { name: 'redirect to another origin that challenges', behaviour: (_ex, res, ctx) => void res.writeHead(307, { location: `${ctx.evil}/challenge` }).end() },
    { name: 'redirect to file:', behaviour: (_ex, res) => void res.writeHead(302, { location: 'file:///etc/passwd' }).end() },
    { name: 'redirect to javascript:', behaviour: (_ex, res) => void res.writeHead(302, { location: 'javascript:alert(1)' }).end() },
    { name: 'redirect without Location', behaviour: (_ex, res) => void res.writeHead(302).end() },
    { name: '303 after a POST', behaviour: (ex, res) => void res.writeHead(303, { location: ex.url }).end() },
    { name: 'cursor pointing at itself', behaviour: async (ex, res, ctx) => cursor(res, await ctx.upstream(), ex.url) },
    { name: 'cursor to another origin', behaviour: async (ex, res, ctx) => cursor(res, await ctx.upstream(), ctx.evil + ex.url) },
    { name: 'cursor with a user part', behaviour: async (ex, res, ctx) => cursor(res, await ctx.upstream(), ctx.self.replace('://', '://user:pass@') + ex.url) },
    { name: 'cursor to a javascript: URL', behaviour: async (_ex, res, ctx) => cursor(res, await ctx.upstream(), 'javascript:alert(1)') },
    { name: 'cursor with dot segments', behaviour: async (ex, res, ctx) => cursor(res, await ctx.upstream(), ex.url.split('?')[0] + '/../../v2/_catalog?n=1') },
    { name: 'cursor ping-pong', behaviour: async (ex, res, ctx) => cursor(res, await ctx.upstream(), ex.url.includes('ping=1') ? ex.url.replace(/[?&]ping=1/, '') : ex.url + (ex.url.includes('?') ? '&' : '?') + 'ping=1') },
    // Header and token cursors (DTR's X-Next-Page-Start, Quay's next_page / has_additional): the same value forever,
    // two values in turn, or "there is more" on every page.
    { name: 'next-page token repeating', behaviour: async (ex, res, ctx) => tokenCursor(res, await ctx.upstream(), param(ex.url, 'pageStart') ?? param(ex.url, 'next_page') ?? 'loop') },
    { name: 'next-page token ping-pong', behaviour: async (ex, res, ctx) => tokenCursor(res, await ctx.upstream(), (param(ex.url, 'pageStart') ?? param(ex.url, 'next_page')) === 'A' ? 'B' : 'A') },
    { name: 'next-page token with dot segments', behaviour: async (_ex, res, ctx) => tokenCursor(res, await ctx.upstream(), '../../v2/_catalog') },
    { name: 'more pages forever', behaviour: async (ex, res, ctx) => tokenCursor(res, await ctx.upstream(), `p${Number(param(ex.url, 'page') ?? 0) + 1}-${Math.floor(ctx.random() * 1e9)}`) },
  );
  out.push(...hostileBehaviours());
  return out;
}

/** The upstream answer with its `Link` header and any `next` field pointing at `target`. */
function cursor(res: http.ServerResponse, up: Upstream, target: string): void {
  const j = json(up);
  let body: string | Buffer = up.body;
  if (j && typeof j === 'object' && !Array.isArray(j)) body = JSON.stringify({ ...(j as object), next: target });
  send(res, { status: up.status, headers: { ...up.headers, link: `<${target}>; rel="next"` }, body: Buffer.isBuffer(body) ? body : Buffer.from(body) });
}

function param(url: string, name: string): string | undefined {
  return new URL(url, 'http://x').searchParams.get(name) ?? undefined;
}

/** The upstream answer with `X-Next-Page-Start`, `next_page` and `has_additional: true` set to continue at `token`. */
function tokenCursor(res: http.ServerResponse, up: Upstream, token: string): void {
  const j = json(up);
  let body: string | Buffer = up.body;
  if (j && typeof j === 'object' && !Array.isArray(j)) body = JSON.stringify({ ...(j as object), next_page: token, has_additional: true });
  send(res, { status: up.status, headers: { ...up.headers, 'x-next-page-start': token }, body: Buffer.isBuffer(body) ? body : Buffer.from(body) });
}
