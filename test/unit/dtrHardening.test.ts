import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/registry/context';
import { DtrClient } from '../../src/registry/dtr/client';
import { DtrProvider } from '../../src/registry/dtr/provider';
import { BadResponseError, RegistryError } from '../../src/registry/errors';
import { redact } from '../../src/registry/redact';
import { dtrProvider } from '../support/dtrFixture';
import { seedDemo, startDtrServer, type DtrServer } from '../servers/dtrServer';

/** A server on 127.0.0.1 whose every answer `handler` writes (for answers the spec-faithful fake never gives). */
async function rawServer(handler: http.RequestListener): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

function provider(url: string, secret = 'pw'): DtrProvider {
  return new DtrProvider({ connection: { id: 'd', kind: 'dtr', url, username: 'alice' }, credentials: async () => ({ username: 'alice', secret }), logger: silentLogger, http: { maxRetries: 0, timeoutMs: 5_000 } });
}

describe('DTR hardening (shared rules)', () => {
  let dtr: DtrServer;
  before(async () => {
    dtr = await startDtrServer();
    seedDemo(dtr);
  });
  after(() => dtr.close());

  it('registers the password or token it signs in with for redaction', async () => {
    const secret = `pw-${crypto.randomBytes(9).toString('hex')}`;
    dtr.addUser('carol', secret);
    const p = dtrProvider(dtr, 'carol', secret);
    try {
      await p.ping();
      const basic = Buffer.from(`carol:${secret}`).toString('base64');
      assert.equal(redact(`echo ${secret} ${basic}`).includes(secret), false);
      assert.equal(redact(`echo ${basic}`).includes(basic), false);
    } finally {
      p.dispose();
    }
  });

  it('registers a new API token as soon as DTR sends it', async () => {
    const p = dtrProvider(dtr, 'alice', 'alice-password');
    try {
      const t = await p.api.createApiToken('registered');
      assert.ok(t.token.length > 8);
      assert.equal(redact(`the server said ${t.token}`).includes(t.token), false);
    } finally {
      p.dispose();
    }
  });

  it('refuses a registry URL with a query, fragment or user part', () => {
    for (const url of ['https://dtr.example.com/#', 'https://dtr.example.com/?x=1', 'https://u:p@dtr.example.com']) {
      const ctx = { connection: { id: 'd', kind: 'dtr' as const, url }, credentials: async () => undefined, logger: silentLogger };
      assert.throws(() => new DtrClient(ctx), (e: unknown) => e instanceof RegistryError && e.kind === 'config', url);
    }
  });

  it('refuses a digest it cannot verify, and tag names outside the grammar, before any request', async () => {
    const p = dtrProvider(dtr, 'alice', 'alice-password');
    try {
      dtr.clearRequests();
      await assert.rejects(p.api.deleteManifest('engineering/api', 'md5:' + 'a'.repeat(32)), /cannot be verified/);
      await assert.rejects(p.api.deleteManifest('engineering/api', 'sha256:abc'), BadResponseError);
      await assert.rejects(p.api.deleteTag('engineering/api', '-x'), BadResponseError);
      await assert.rejects(p.api.promote('engineering/api', '1.0', 'engineering/web', '..'), BadResponseError);
      assert.equal(dtr.requests.length, 0);
    } finally {
      p.dispose();
    }
  });

  it('limits a JSON answer to BODY_LIMITS.json and aborts past it', async () => {
    const s = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"scanningEnabled":true,"x":"');
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let n = 0;
      const pump = (): void => {
        while (n < 12 && res.write(chunk)) n++;
        if (n < 12) res.once('drain', () => (n++, pump()));
        else res.end('"}');
      };
      pump();
    });
    const p = provider(s.url);
    try {
      await assert.rejects(p.api.features(), (e: unknown) => e instanceof RegistryError && /too large|limit|MiB|bytes/i.test(e.message));
    } finally {
      p.dispose();
      await s.close();
    }
  });

  it('stops a whole-list read on a repeated X-Next-Page-Start with the shared paging error', async () => {
    const s = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-next-page-start': 'same' });
      res.end('[{"name":"a"}]');
    });
    const p = provider(s.url);
    try {
      await assert.rejects(p.api.listPolicies('team/app', 'pruningPolicies', (await import('zod')).unknown()), /already sent \(a paging loop\)/);
      assert.equal(s.requests.length, 2);
      await assert.rejects(p.api.testPruning('team/app', []), /already sent \(a paging loop\)/);
    } finally {
      p.dispose();
      await s.close();
    }
  });
});
