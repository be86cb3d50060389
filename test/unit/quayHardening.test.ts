import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { coreType } from '../../src/registry/admin';
import { silentLogger } from '../../src/registry/context';
import { BadResponseError, RegistryError } from '../../src/registry/errors';
import { HttpTransport } from '../../src/registry/http';
import { QuayClient } from '../../src/registry/quay/client';
import { redact } from '../../src/registry/redact';
import { startQuayServer, type QuayServer } from '../servers/quayServer';
import { drive } from '../support/adminDriver';
import { disposeQuayProviders, quayProvider } from '../support/quaySetup';

describe('Quay hardening (shared rules)', () => {
  let quay: QuayServer;
  beforeEach(async () => {
    quay = await startQuayServer();
  });
  afterEach(async () => {
    disposeQuayProviders();
    await quay.close();
  });

  it('registers robot tokens (new and regenerated) and application tokens as soon as Quay sends them', async () => {
    const { provider } = quayProvider(quay);
    const robot = await provider.api.createRobot('acme', 'fresh', 'x');
    assert.equal(redact(`echo ${robot.token}`).includes(robot.token), false);
    const again = await provider.api.regenerateRobot('acme', 'ci');
    assert.equal(redact(`echo ${again.token}`).includes(again.token), false);
    const app = await provider.api.createAppToken('laptop');
    assert.equal(redact(`echo ${app.secret}`).includes(app.secret), false);
  });

  it('refuses a registry URL with a query, fragment or user part', () => {
    for (const url of ['https://quay.example.com/#', 'https://quay.example.com/?x=1', 'https://u:p@quay.example.com']) {
      const ctx = { connection: { id: 'q', kind: 'quay' as const, url }, credentials: async () => undefined, logger: silentLogger };
      assert.throws(() => new QuayClient(ctx, new HttpTransport({})), (e: unknown) => e instanceof RegistryError && e.kind === 'config', url);
    }
  });

  it('refuses digests it cannot verify and tags outside the grammar before any request', async () => {
    const { provider } = quayProvider(quay);
    quay.clearRequests();
    await assert.rejects(provider.api.security('acme/app', 'md5:' + 'a'.repeat(32)), /cannot be verified/);
    await assert.rejects(provider.api.manifest('acme/app', 'x:y'), BadResponseError);
    await assert.rejects(provider.api.deleteTag('acme/app', '-rf'), BadResponseError);
    await assert.rejects(provider.api.deleteTag('acme/app', '..'), BadResponseError);
    assert.equal(quay.requests.length, 0);
  });

  it('ends a usage-log read on a repeated next_page with the shared paging error, lines kept', async () => {
    const { provider } = quayProvider(quay);
    quay.setFault({ path: /\/logs$/, kind: 'repeatCursor' });
    const today = new Date().toISOString().slice(0, 10);
    const action = drive(coreType(provider.admin, 'repository')!).actions.find((a) => a.id === 'usageLogs')!;
    const o = (await action.run({ type: 'repository', scope: { namespace: 'acme', repository: 'acme/app' }, key: 'acme/app' }, { from: '2000-01-01', to: today })) as { items: string[]; message?: string };
    assert.equal(o.items.length, 40);
    assert.match(o.message ?? '', /already sent \(a paging loop\)/);
  });

  it('limits a JSON answer to BODY_LIMITS.json and aborts past it', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"username":"');
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let n = 0;
      const pump = (): void => {
        while (n < 12 && res.write(chunk)) n++;
        if (n < 12) res.once('drain', () => (n++, pump()));
        else res.end('"}');
      };
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { provider } = quayProvider({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 't' } as QuayServer);
      await assert.rejects(provider.api.user(), (e: unknown) => e instanceof RegistryError && /too large|limit|MiB|bytes/i.test(e.message));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
