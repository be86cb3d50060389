import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../../src/registry/context';
import { UnauthorizedError } from '../../src/registry/errors';
import { OciProvider } from '../../src/registry/oci/provider';
import { startOciServer } from '../servers/ociServer';

async function listen(handler: http.RequestListener): Promise<{ url: string; seen: http.IncomingHttpHeaders[]; close: () => void }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
}

describe('challenges from another origin', () => {
  it('a 401 from a redirect target is not obeyed: no credentials reach the realm it names', async () => {
    const realm = await listen((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'stolen-token-xyz' })));
    const storage = await listen((_req, res) => res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm.url}/token",service="evil"` }).end());
    const reg = await startOciServer({ auth: { type: 'basic', username: 'alice', password: 'alice-secret' } });
    reg.addImage('team/app', '1.0');
    reg.fault({ kind: 'blob', action: 'redirect', location: storage.url });
    const p = new OciProvider({ connection: { id: 't', kind: 'oci', url: reg.url }, credentials: async () => ({ username: 'alice', secret: 'alice-secret' }), logger: silentLogger, http: { maxRetries: 0 } });
    try {
      await assert.rejects(p.getTagDetails('team/app', '1.0'), UnauthorizedError);
      assert.equal(realm.seen.length, 0, 'the realm named by the other origin was never asked');
      assert.ok(storage.seen.every((h) => h.authorization === undefined), 'no Authorization to the redirect target');
    } finally {
      p.dispose();
      await reg.close();
      realm.close();
      storage.close();
    }
  });
});
