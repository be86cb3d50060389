import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import {
  BadResponseError,
  CancelledError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  UnreachableError,
} from '../../src/registry/errors';
import { HttpTransport, parseJson, retryAfterMs, statusError, type HttpResponse } from '../../src/registry/http';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

interface TestServer {
  url: string;
  seen: Seen[];
  /** Called for every TCP connection the server accepts (before any TLS handshake). */
  onConnection(fn: () => void): void;
  close(): Promise<void>;
}

const closers: Array<() => Promise<void> | void> = [];

/** A plain local HTTP(S) server whose every request goes to `handler`. */
async function serve(handler: Handler, tlsOpts?: { key: string; cert: string }): Promise<TestServer> {
  const seen: Seen[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
      handler(req, res, body);
    });
  };
  const server = tlsOpts ? https.createServer(tlsOpts, listener) : http.createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  closers.push(close);
  return { url: `${tlsOpts ? 'https' : 'http'}://127.0.0.1:${port}`, seen, close, onConnection: (fn) => void server.on('connection', fn) };
}

function transport(opts: ConstructorParameters<typeof HttpTransport>[0] = {}): HttpTransport {
  const t = new HttpTransport({ timeoutMs: 3000, ...opts });
  closers.push(() => t.dispose());
  return t;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('HttpTransport', () => {
  it('returns every status without throwing, with lower-case headers and the body', async () => {
    const s = await serve((_req, res) => json(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known' }] }, { 'X-Thing': 'a' }));
    const res = await transport().request({ method: 'GET', url: `${s.url}/v2/x/tags/list` });
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-thing'], 'a');
    assert.equal(res.header('X-Thing'), 'a');
    assert.equal(res.url, `${s.url}/v2/x/tags/list`);
    assert.deepEqual(res.json(), { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known' }] });
  });

  it('sends JSON bodies with a content type and a user agent', async () => {
    let ua: string | undefined;
    const s = await serve((req, res) => {
      ua = req.headers['user-agent'];
      json(res, 201, {});
    });
    const res = await transport({ userAgent: 'test-agent/1' }).request({ method: 'POST', url: s.url, json: { a: 1 } });
    assert.equal(res.status, 201);
    assert.equal(s.seen[0].contentType, 'application/json');
    assert.equal(s.seen[0].body, '{"a":1}');
    assert.equal(ua, 'test-agent/1');
  });

  it('res.json() on a non-JSON body → BadResponseError', async () => {
    const s = await serve((_req, res) => res.end('<html>'));
    const res = await transport().request({ method: 'GET', url: s.url });
    assert.throws(() => res.json(), BadResponseError);
  });

  describe('redirects', () => {
    it('keeps Authorization on the same origin', async () => {
      const s = await serve((req, res) => {
        if (req.url === '/a') {
          res.writeHead(307, { location: '/b' });
          res.end();
        } else json(res, 200, { ok: true });
      });
      const res = await transport().request({ method: 'GET', url: `${s.url}/a`, headers: { Authorization: 'Bearer same-origin-token' } });
      assert.equal(res.status, 200);
      assert.equal(res.url, `${s.url}/b`);
      assert.deepEqual(
        s.seen.map((x) => x.authorization),
        ['Bearer same-origin-token', 'Bearer same-origin-token'],
      );
    });

    it('drops Authorization when the origin changes (another port)', async () => {
      const other = await serve((_req, res) => json(res, 200, { ok: true }));
      const s = await serve((_req, res) => {
        res.writeHead(302, { location: `${other.url}/blob` });
        res.end();
      });
      const res = await transport().request({ method: 'GET', url: `${s.url}/v2/a/blobs/sha256:1`, headers: { authorization: 'Basic c2VjcmV0OnB3' } });
      assert.equal(res.status, 200);
      assert.equal(s.seen[0].authorization, 'Basic c2VjcmV0OnB3');
      assert.equal(other.seen.length, 1);
      assert.equal(other.seen[0].authorization, undefined);
    });

    it('does not restore Authorization when a redirect chain comes back to the first origin', async () => {
      const back = { url: '' };
      const other = await serve((_req, res) => {
        res.writeHead(307, { location: `${back.url}/back` });
        res.end();
      });
      const first = await serve((req, res) => {
        if (req.url === '/start') {
          res.writeHead(307, { location: `${other.url}/hop` });
          res.end();
        } else json(res, 200, {});
      });
      back.url = first.url;
      await transport().request({ method: 'GET', url: `${first.url}/start`, headers: { authorization: 'Bearer t0ken-value' } });
      assert.deepEqual(
        first.seen.map((x) => x.authorization),
        ['Bearer t0ken-value', undefined],
      );
    });

    it('maxRedirects 0 returns the 3xx itself; a redirect loop ends', async () => {
      const s = await serve((_req, res) => {
        res.writeHead(301, { location: '/again' });
        res.end();
      });
      const t = transport();
      assert.equal((await t.request({ method: 'GET', url: s.url, maxRedirects: 0 })).status, 301);
      assert.equal(s.seen.length, 1);
      const looped = await t.request({ method: 'GET', url: s.url });
      assert.equal(looped.status, 301);
      assert.equal(s.seen.length, 1 + 6);
    });

    it('303 turns into a GET without the body; other schemes are refused', async () => {
      const s = await serve((req, res) => {
        if (req.url === '/post') {
          res.writeHead(303, { location: '/result' });
          res.end();
        } else if (req.url === '/ftp') {
          res.writeHead(302, { location: 'ftp://example.com/x' });
          res.end();
        } else json(res, 200, {});
      });
      const t = transport();
      const res = await t.request({ method: 'POST', url: `${s.url}/post`, json: { x: 1 } });
      assert.equal(res.status, 200);
      assert.deepEqual(
        s.seen.map((x) => [x.method, x.url, x.body]),
        [
          ['POST', '/post', '{"x":1}'],
          ['GET', '/result', ''],
        ],
      );
      await assert.rejects(t.request({ method: 'GET', url: `${s.url}/ftp` }), BadResponseError);
    });
  });

  describe('retries', () => {
    it('retries GET on 503 up to maxRetries, then returns the 503', async () => {
      const s = await serve((_req, res) => json(res, 503, {}));
      const res = await transport({ maxRetries: 2 }).request({ method: 'GET', url: s.url });
      assert.equal(res.status, 503);
      assert.equal(s.seen.length, 3);
    });

    it('recovers when a retry succeeds', async () => {
      let n = 0;
      const s = await serve((_req, res) => (n++ === 0 ? json(res, 502, {}) : json(res, 200, { ok: 1 })));
      const res = await transport({ maxRetries: 2 }).request({ method: 'HEAD', url: s.url });
      assert.equal(res.status, 200);
      assert.equal(s.seen.length, 2);
    });

    it('never retries POST, PUT or DELETE', async () => {
      const s = await serve((_req, res) => json(res, 503, {}));
      const t = transport({ maxRetries: 3 });
      for (const method of ['POST', 'PUT', 'DELETE'] as const) assert.equal((await t.request({ method, url: s.url })).status, 503);
      assert.equal(s.seen.length, 3);
    });

    it('waits out a short 429 Retry-After, and returns a long one at once', async () => {
      let n = 0;
      const s = await serve((req, res) => {
        if (req.url === '/long') return json(res, 429, {}, { 'retry-after': '3600' });
        if (n++ === 0) return json(res, 429, {}, { 'retry-after': '1' });
        json(res, 200, {});
      });
      const t = transport({ maxRetries: 2 });
      let started = Date.now();
      assert.equal((await t.request({ method: 'GET', url: `${s.url}/short` })).status, 200);
      assert.ok(Date.now() - started >= 900, 'waited about a second');
      started = Date.now();
      const long = await t.request({ method: 'GET', url: `${s.url}/long` });
      assert.equal(long.status, 429);
      assert.ok(Date.now() - started < 900, 'did not wait an hour');
    });

    it('connection reset → retried, then UnreachableError', async () => {
      const s = await serve((req) => req.socket.destroy());
      await assert.rejects(transport({ maxRetries: 2 }).request({ method: 'GET', url: s.url }), (e: unknown) => e instanceof UnreachableError && /reset|reach/i.test(e.message));
      assert.equal(s.seen.length, 3);
    });

    it('connection refused → UnreachableError naming the host', async () => {
      const s = await serve(() => undefined);
      const url = s.url;
      await s.close();
      await assert.rejects(transport({ maxRetries: 0 }).request({ method: 'GET', url }), (e: unknown) => e instanceof UnreachableError && /refused/.test(e.message));
    });
  });

  describe('time-outs and cancellation', () => {
    it('a stalled server → TimeoutError after timeoutMs', async () => {
      const s = await serve(() => undefined);
      const started = Date.now();
      await assert.rejects(transport({ timeoutMs: 300, maxRetries: 2 }).request({ method: 'GET', url: s.url }), TimeoutError);
      const took = Date.now() - started;
      assert.ok(took >= 250 && took < 2500, `took ${took} ms`);
      assert.equal(s.seen.length, 1, 'time-outs are not retried');
    });

    it('a body that stops half-way → TimeoutError', async () => {
      const s = await serve((_req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('{"partial":');
      });
      await assert.rejects(transport({ timeoutMs: 300 }).request({ method: 'GET', url: s.url }), TimeoutError);
    });

    it('a body that trickles in without ever pausing for timeoutMs → TimeoutError once the whole exchange takes that long', async () => {
      const timers: NodeJS.Timeout[] = [];
      const s = await serve((_req, res) => {
        res.writeHead(200, { 'content-length': '100000' });
        timers.push(setInterval(() => res.write(' '), 50));
      });
      const started = Date.now();
      try {
        await assert.rejects(transport({ timeoutMs: 400 }).request({ method: 'GET', url: s.url }), TimeoutError);
      } finally {
        for (const t of timers) clearInterval(t);
      }
      const took = Date.now() - started;
      assert.ok(took >= 350 && took < 2000, `took ${took} ms`);
    });

    it('abort → CancelledError; an already aborted signal sends nothing', async () => {
      const s = await serve(() => undefined);
      const ac = new AbortController();
      const p = transport().request({ method: 'GET', url: s.url, signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(p, CancelledError);
      const before = s.seen.length;
      await assert.rejects(transport().request({ method: 'GET', url: s.url, signal: AbortSignal.abort() }), CancelledError);
      assert.equal(s.seen.length, before);
    });

    it('abort during a Retry-After wait → CancelledError', async () => {
      const s = await serve((_req, res) => json(res, 429, {}, { 'retry-after': '5' }));
      const ac = new AbortController();
      const started = Date.now();
      setTimeout(() => ac.abort(), 100);
      await assert.rejects(transport({ maxRetries: 2 }).request({ method: 'GET', url: s.url, signal: ac.signal }), CancelledError);
      assert.ok(Date.now() - started < 2000);
    });
  });

  it('refuses bodies over maxBodyBytes', async () => {
    const s = await serve((_req, res) => res.end('x'.repeat(5000)));
    await assert.rejects(transport({ maxBodyBytes: 1000 }).request({ method: 'GET', url: s.url }), BadResponseError);
  });

  it('keeps credentials in URLs out of error messages', async () => {
    const s = await serve(() => undefined);
    const url = s.url.replace('http://', 'http://alice:hunter2-pw@');
    await s.close();
    const err = await transport({ maxRetries: 0 })
      .request({ method: 'GET', url })
      .then(
        () => assert.fail('resolved'),
        (e: unknown) => e as UnreachableError,
      );
    assert.ok(!`${err.message} ${err.request}`.includes('hunter2-pw'), `${err.message} ${err.request}`);
  });

  describe('TLS', function () {
    let dir: string;
    let cert: { key: string; cert: string };
    before(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'http-test-'));
      // openssl is installed by scripts/setup-test-tools.sh; a missing openssl fails the suite instead of skipping.
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')],
        { stdio: 'ignore' },
      );
      cert = { key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('an untrusted certificate → UnreachableError suggesting caFile, not retried', async () => {
      const s = await serve((_req, res) => json(res, 200, {}), cert);
      await assert.rejects(transport({ maxRetries: 2 }).request({ method: 'GET', url: s.url }), (e: unknown) => e instanceof UnreachableError && /caFile/.test(e.message));
      assert.equal(s.seen.length, 0);
    });

    it('caFile trusts the registry CA; insecureSkipTlsVerify accepts any certificate', async () => {
      const s = await serve((_req, res) => json(res, 200, { ok: true }), cert);
      assert.equal((await transport({ caFile: path.join(dir, 'cert.pem') }).request({ method: 'GET', url: s.url })).status, 200);
      assert.equal((await transport({ insecureSkipTlsVerify: true }).request({ method: 'GET', url: s.url })).status, 200);
    });

    it('an https answer redirecting to plain http is refused: nothing reaches the http URL, credentials least of all', async () => {
      const plain = await serve((_req, res) => json(res, 200, { genuine: false }));
      const secure = await serve((req, res) => {
        res.writeHead(req.url === '/same-host' ? 301 : 307, { location: req.url === '/same-host' ? `${plain.url}/v2/` : `${plain.url}/elsewhere` });
        res.end();
      }, cert);
      const t = transport({ caFile: path.join(dir, 'cert.pem') });
      for (const p of ['/same-host', '/v2/team/app/manifests/1.0']) {
        await assert.rejects(
          t.request({ method: 'GET', url: `${secure.url}${p}`, headers: { authorization: 'Bearer downgrade-token-1' } }),
          (e: unknown) => e instanceof BadResponseError && /redirected an https request to plain http/.test(e.message) && /downgrade is refused/.test(e.message),
        );
      }
      assert.equal(plain.seen.length, 0);
      assert.equal(secure.seen.length, 2);
    });

    it('a TLS failure is not retried: one handshake, however many retries are allowed', async () => {
      const s = await serve((_req, res) => json(res, 200, {}), cert);
      let handshakes = 0;
      s.onConnection(() => handshakes++);
      await assert.rejects(transport({ maxRetries: 3 }).request({ method: 'GET', url: s.url }), UnreachableError);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(handshakes, 1);
    });

    it('builds the secure context of a caFile once per transport, however many connections it opens', async () => {
      const s = await serve((_req, res) => setTimeout(() => json(res, 200, {}), 20), cert);
      let connections = 0;
      s.onConnection(() => connections++);
      // The module itself (the namespace import's bindings are read-only), which tls.connect calls into.
      const tlsModule = (await import('node:tls')).default;
      const original = tlsModule.createSecureContext;
      let built = 0;
      tlsModule.createSecureContext = (o) => {
        built++;
        return original(o);
      };
      try {
        const t = transport({ caFile: path.join(dir, 'cert.pem') });
        // Eight at once need eight connections.
        const results = await Promise.all(Array.from({ length: 8 }, () => t.request({ method: 'GET', url: s.url })));
        assert.ok(results.every((r) => r.status === 200));
        assert.equal(connections, 8);
        assert.equal(built, 1);
      } finally {
        tlsModule.createSecureContext = original;
      }
    });

    it('HEAD requests over TLS reuse one connection', async () => {
      const manifest = JSON.stringify({ schemaVersion: 2, layers: [] });
      const s = await serve((req, res) => {
        // As a registry answers a manifest HEAD: the GET's headers (Content-Length included), no body.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(manifest)), 'docker-content-digest': 'sha256:' + 'a'.repeat(64) });
        res.end(req.method === 'HEAD' ? undefined : manifest);
      }, cert);
      let connections = 0;
      s.onConnection(() => connections++);
      const t = transport({ caFile: path.join(dir, 'cert.pem') });
      for (let i = 0; i < 20; i++) {
        assert.equal((await t.request({ method: 'HEAD', url: `${s.url}/v2/team/app/manifests/${i}` })).status, 200);
        // undici hands a connection out again one event-loop turn after its answer; sooner, it opens another.
        await new Promise((r) => setImmediate(r));
      }
      const get = await t.request({ method: 'GET', url: `${s.url}/v2/team/app/manifests/1.0` });
      assert.equal(get.text(), manifest);
      assert.equal(s.seen.length, 21);
      assert.equal(connections, 1);
    });

    it('an unreadable caFile is a config error', () => {
      assert.throws(
        () => new HttpTransport({ caFile: path.join(dir, 'missing.pem') }),
        (e: unknown) => (e as { kind?: string }).kind === 'config',
      );
    });
  });

  describe('proxy', () => {
    /** A CONNECT proxy that tunnels every host name to 127.0.0.1, so fake names resolve only through it. */
    async function connectProxy(): Promise<{ url: string; connects: string[] }> {
      const connects: string[] = [];
      const proxy = http.createServer((_req, res) => {
        res.writeHead(405);
        res.end();
      });
      proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
        connects.push(req.url!);
        const port = Number(req.url!.split(':').pop());
        const upstream = net.connect(port, '127.0.0.1', () => {
          socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.write(head);
          upstream.pipe(socket);
          socket.pipe(upstream);
        });
        upstream.on('error', () => socket.destroy());
        socket.on('error', () => upstream.destroy());
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      closers.push(async () => {
        proxy.closeAllConnections();
        await new Promise<void>((r) => proxy.close(() => r()));
      });
      return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, connects };
    }

    it('sends requests through the proxy, except loopback and NO_PROXY hosts', async () => {
      const s = await serve((_req, res) => json(res, 200, { via: 'x' }));
      const port = new URL(s.url).port;
      const proxy = await connectProxy();
      const t = transport({ proxy: { url: proxy.url, noProxy: ['bypass.test'] }, maxRetries: 0 });
      const res = await t.request({ method: 'GET', url: `http://registry.test:${port}/v2/` });
      assert.equal(res.status, 200);
      assert.deepEqual(proxy.connects, [`registry.test:${port}`]);
      assert.equal((await t.request({ method: 'GET', url: `${s.url}/v2/` })).status, 200);
      assert.equal(proxy.connects.length, 1, 'loopback goes direct');
      await assert.rejects(t.request({ method: 'GET', url: `http://bypass.test:${port}/` }), UnreachableError);
      assert.equal(proxy.connects.length, 1, 'NO_PROXY goes direct');
    });
  });
});

describe('statusError', () => {
  async function responseWith(status: number, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const s = await serve((_req, res) => json(res, status, body, headers));
    return transport({ maxRetries: 0 }).request({ method: 'GET', url: `${s.url}/v2/team/app/tags/list` });
  }

  const cases: Array<[number, new (...a: never[]) => Error]> = [
    [401, UnauthorizedError],
    [403, ForbiddenError],
    [404, NotFoundError],
    [405, MethodNotAllowedError],
    [429, RateLimitedError],
    [500, ServerError],
    [504, ServerError],
    [418, BadResponseError],
  ];
  for (const [status, type] of cases) {
    it(`${status} → ${type.name}`, async () => {
      const res = await responseWith(status, { errors: [{ code: 'SOME_CODE', message: 'what the server said' }] });
      const err = statusError(res, 'The tag list of team/app');
      assert.ok(err instanceof type, err.constructor.name);
      assert.equal(err.status, status);
      assert.match(err.message, /^The tag list of team\/app: /);
      assert.match(err.message, /SOME_CODE: what the server said/);
      assert.match(err.request ?? '', /^GET http:\/\/127\.0\.0\.1:\d+\/v2\/team\/app\/tags\/list$/);
    });
  }

  it('429 carries Retry-After in ms', async () => {
    const err = statusError(await responseWith(429, {}, { 'retry-after': '42' }), 'x');
    assert.equal(err.retryAfterMs, 42_000);
    assert.match(err.message, /retry in 42 s/);
  });

  it('redacts secrets the server echoes', async () => {
    const err = statusError(await responseWith(400, { message: 'bad header Authorization: Bearer abcdefghijklmnopqrstuvwxyz' }), 'x');
    assert.ok(!err.message.includes('abcdefghijklmnopqrstuvwxyz'), err.message);
  });
});

describe('parseJson', () => {
  const schema = z.object({ name: z.string(), tags: z.array(z.string()) });

  async function responseText(text: string): Promise<HttpResponse> {
    const s = await serve((_req, res) => res.end(text));
    return transport().request({ method: 'GET', url: s.url });
  }

  it('returns the parsed value', async () => {
    assert.deepEqual(parseJson(await responseText('{"name":"a","tags":["1"],"extra":1}'), schema, 'x'), { name: 'a', tags: ['1'] });
  });

  it('not JSON → BadResponseError naming what', async () => {
    const res = await responseText('{"name":');
    assert.throws(() => parseJson(res, schema, 'The tag list of team/app'), (e: unknown) => e instanceof BadResponseError && /^The tag list of team\/app: .*not JSON/.test(e.message));
  });

  it('wrong types → BadResponseError naming the field', async () => {
    const res = await responseText('{"name":"a","tags":"1.0"}');
    assert.throws(() => parseJson(res, schema, 'The tag list of team/app'), (e: unknown) => e instanceof BadResponseError && /The tag list of team\/app: .*tags: /.test(e.message));
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(retryAfterMs('7'), 7000);
    assert.equal(retryAfterMs(undefined), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
    const ms = retryAfterMs(new Date(Date.now() + 10_000).toUTCString())!;
    assert.ok(ms > 8000 && ms <= 10_000, String(ms));
    assert.equal(retryAfterMs(new Date(Date.now() - 10_000).toUTCString()), 0);
  });
});

describe('HttpTransport: writes are not redirected', () => {
  it('a POST answered with 307 to another origin is not re-sent there (its body may hold credentials)', async () => {
    const http = await import('node:http');
    const seen: string[] = [];
    const other = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200).end('{}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as import('node:net').AddressInfo).port}`;
    let posts = 0;
    const origin = http.createServer((req, res) => {
      posts++;
      res.writeHead(307, { location: req.url === '/loop' ? '/loop' : `${otherUrl}/v2/auth/token` }).end();
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(origin.address() as import('node:net').AddressInfo).port}`;
    const t = new HttpTransport({ maxRetries: 2 });
    try {
      const res = await t.request({ method: 'POST', url: `${base}/v2/auth/token`, json: { identifier: 'a', secret: 'pw-secret-123' } });
      assert.equal(res.status, 307);
      assert.deepEqual(seen, []);
      const loop = await t.request({ method: 'DELETE', url: `${base}/loop` });
      assert.equal(loop.status, 307);
      assert.equal(posts, 2, 'each write sent exactly once');
    } finally {
      t.dispose();
      other.close();
      origin.close();
    }
  });
});
