import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResourceRef, Scope } from '../../src/registry/admin';
import { isRegistryError } from '../../src/registry/errors';
import { stopPatternWorker } from '../../src/registry/patterns';
import type { QuayProvider } from '../../src/registry/quay/provider';
import { ALL_SCOPES, startQuayServer, type QuayServer, type QuayServerOptions } from '../servers/quayServer';
import { drive, type Driven, type Item } from '../support/adminDriver';
import { disposeQuayProviders, quayProvider } from '../support/quaySetup';

function typeOf(p: QuayProvider, type: string): Driven {
  const t = p.admin.types.find((x) => x.type === type);
  assert.ok(t, `no resource type ${type}`);
  return drive(t);
}

const ref = (type: string, scope: Scope, key = ''): ResourceRef => ({ type, scope, key });
const acme: Scope = { namespace: 'acme' };
const beta: Scope = { namespace: 'beta' };
const app: Scope = { namespace: 'acme', repository: 'acme/app' };

/** A server on 127.0.0.1 answering every request with `answer`; it records the paths it was asked for. */
async function plainServer(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, paths, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('Quay: trusting server answers and user input (second round)', () => {
  let quay: QuayServer;
  let p: QuayProvider;
  const start = async (opts: QuayServerOptions = {}) => {
    quay = await startQuayServer(opts);
    p = quayProvider(quay).provider;
  };
  afterEach(async () => {
    assert.deepEqual(quay.requestIssues, [], 'every request body matched the request schema');
    disposeQuayProviders();
    await quay.close();
  });
  after(() => stopPatternWorker());

  describe('tag patterns (item 3)', () => {
    it('stops a catastrophic auto-prune or immutability pattern with a form error, off the extension host thread', async () => {
      await start();
      quay.addRepository('acme', 'redos');
      for (const c of ['b', 'c', 'd']) quay.addTag('acme/redos', 'a'.repeat(27) + c);
      const scope: Scope = { namespace: 'acme', repository: 'acme/redos' };
      let ticks = 0;
      const probe = setInterval(() => ticks++, 20);
      const started = Date.now();
      try {
        const prune = await typeOf(p, 'autoPrunePolicy').create!.verify!(scope, { method: 'number_of_tags', value: '1', tagPattern: '^(a+)+$', tagPatternMatches: true });
        assert.equal(prune.ok, false);
        assert.match(prune.summary, /took too long \(over \d+ ms\); simplify it/);
        // A pattern from the server, as an Edit form shows it.
        const imm = await typeOf(p, 'immutabilityPolicy').update!.verify!(ref('immutabilityPolicy', scope, 'x'), { tagPattern: '^(a+)+$', tagPatternMatches: true });
        assert.equal(imm.ok, false);
        assert.match(imm.summary, /took too long/);
      } finally {
        clearInterval(probe);
      }
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 5000, `both previews answered within ${elapsed} ms`);
      assert.ok(ticks >= elapsed / 20 / 3, `the event loop kept ticking (${ticks} ticks in ${elapsed} ms)`);
    });
  });

  describe('proxy cache (item 7)', () => {
    const save = (values: Item) => typeOf(p, 'proxyCache').update!.run(ref('proxyCache', beta), values);

    it('validates the new configuration with Quay first and changes nothing when Quay refuses it', async () => {
      await start();
      const values = { upstreamRegistry: 'registry.invalid', expiration: '1d', insecure: false };
      const verdict = await typeOf(p, 'proxyCache').update!.verify!(ref('proxyCache', beta), values);
      assert.equal(verdict.ok, false);
      assert.match(verdict.summary, /could not use registry\.invalid/);
      quay.clearRequests();
      await assert.rejects(save(values), /could not use registry\.invalid.*was not changed/s);
      assert.equal(quay.proxyCacheOf('beta')?.upstream_registry, 'docker.io');
      assert.ok(!quay.requests.some((r) => r.method === 'DELETE'), 'the old configuration was not deleted');
      assert.ok(quay.requests.some((r) => r.method === 'POST' && r.path.endsWith('/validateproxycache')));
    });

    it('restores the old configuration when Quay refuses the create after the delete', async () => {
      await start();
      quay.setFault({ path: /\/organization\/beta\/proxycache$/, method: 'POST', kind: 'status', status: 400, times: 1 });
      await assert.rejects(save({ upstreamRegistry: 'quay.io', expiration: '1d', insecure: false }), (e: unknown) => {
        assert.ok(isRegistryError(e));
        assert.match(e.message, /refused the new proxy cache configuration of beta.*The previous configuration \(docker\.io\) was restored/s);
        return true;
      });
      assert.equal(quay.proxyCacheOf('beta')?.upstream_registry, 'docker.io');
    });

    it('reads the configuration back and reports one the server did not take', async () => {
      await start();
      quay.setFault({ path: /\/organization\/beta\/proxycache$/, method: 'GET', kind: 'wrongType', body: { upstream_registry: 'docker.io', expiration_s: 86400, insecure: false } });
      await assert.rejects(save({ upstreamRegistry: 'quay.io', expiration: '2d', insecure: false }), /did not take the proxy cache configuration of beta: it now has upstream docker\.io, expiration 1d/);
    });

    it('replaces a configuration Quay validates', async () => {
      await start();
      const out = await save({ upstreamRegistry: 'quay.io', expiration: '2d', insecure: false, username: 'me', password: 'pw' });
      assert.equal(out.kind, 'done');
      assert.equal(quay.proxyCacheOf('beta')?.upstream_registry, 'quay.io');
      assert.equal(quay.proxyCacheOf('beta')?.expiration_s, 172800);
    });
  });

  describe('Edit Repository (item 8)', () => {
    const edit = (values: Item) => typeOf(p, 'repository').update!.run(ref('repository', app, 'acme/app'), values);

    it('saves nothing when a part needs an endpoint the server lacks', async () => {
      await start({ features: ['mirror', 'security', 'autoPrune', 'immutability', 'quota', 'proxyCache'] });
      await assert.rejects(edit({ description: 'changed', visibility: 'public', state: 'READ_ONLY' }), /cannot change repository states.*nothing of acme\/app was saved/s);
      const r = quay.repository('acme/app')!;
      assert.notEqual(r.description, 'changed');
      assert.equal(r.isPublic, false);
    });

    it('names the parts saved and not saved when a step fails halfway', async () => {
      await start();
      quay.setFault({ path: /\/changevisibility$/, kind: 'status', status: 403 });
      await assert.rejects(edit({ description: 'changed', visibility: 'public', state: 'READ_ONLY' }), (e: unknown) => {
        assert.ok(isRegistryError(e));
        assert.equal(e.kind, 'forbidden');
        assert.match(e.message, /^Saved description of acme\/app; not saved: visibility public, state READ_ONLY\./);
        return true;
      });
      assert.equal(quay.repository('acme/app')!.description, 'changed');
    });

    it('passes on the error as it is when the first part fails (nothing saved)', async () => {
      await start();
      quay.setFault({ path: /^\/api\/v1\/repository\/acme\/app$/, method: 'PUT', kind: 'status', status: 403 });
      await assert.rejects(edit({ description: 'changed', visibility: 'public', state: 'NORMAL' }), (e: unknown) => {
        assert.ok(isRegistryError(e));
        assert.equal(e.kind, 'forbidden');
        assert.doesNotMatch(e.message, /Saved/);
        return true;
      });
      assert.equal(quay.repository('acme/app')!.isPublic, false);
    });

    it('reads the repository back and reports what the server did not take', async () => {
      await start();
      const stale = { namespace: 'acme', name: 'app', description: 'old', is_public: false, state: 'NORMAL' };
      quay.setFault({ path: /^\/api\/v1\/repository\/acme\/app$/, method: 'GET', kind: 'wrongType', body: stale });
      await assert.rejects(edit({ description: 'changed', visibility: 'public', state: 'NORMAL' }), /did not take: description, visibility \(still private\)/);
    });
  });

  describe('default tag expiration (item 9)', () => {
    const set = (tagExpiration: string) => typeOf(p, 'orgTagExpiration').update!.run(ref('orgTagExpiration', acme), { tagExpiration });

    it('refuses before saving when the discovery document says UpdateOrg has no tag_expiration_s', async () => {
      await start({ orgTagExpiration: false });
      quay.clearRequests();
      await assert.rejects(set('1w'), /cannot change the default tag expiration.*nothing was saved/s);
      assert.ok(!quay.requests.some((r) => r.method === 'PUT'), 'nothing was sent');
    });

    it('reads the value back and reports one the server did not take', async () => {
      await start({ orgTagExpiration: false });
      // Without discovery the feature is assumed; the read-back finds the value ignored.
      quay.setFault({ path: /\/discovery$/, kind: 'status', status: 500 });
      await assert.rejects(set('1w'), /did not take the default tag expiration of acme: it is 2w, not 1w/);
    });

    it('saves it where the server takes it', async () => {
      await start();
      const out = await set('1w');
      assert.equal(out.kind, 'done');
      assert.equal((await p.api.organization('acme')).tag_expiration_s, 604800);
    });
  });

  describe('team members (item 13)', () => {
    it('lists pending invitations (includePending), marked invited, and withdraws an e-mail invitation', async () => {
      await start();
      quay.inviteToTeam('acme', 'developers', 'carol');
      quay.inviteToTeam('acme', 'developers', 'dana@example.com');
      const members = typeOf(p, 'teamMember');
      const scope: Scope = { namespace: 'acme', parent: ref('team', acme, 'developers') };
      const list = (await members.list(scope, undefined)).items;
      const invited = list.filter((m) => members.view(m).description?.includes('invited')).map((m) => m.name);
      assert.deepEqual(invited.sort(), ['carol', 'dana@example.com']);
      await members.remove!.run(ref('teamMember', scope, 'dana@example.com'));
      assert.deepEqual((await members.list(scope, undefined)).items.map((m) => m.name).sort(), ['acme+ci', 'bob', 'carol']);
    });
  });

  describe('robot permissions (item 14)', () => {
    it('names the user:admin scope the discovery document declares in a 403', async () => {
      await start();
      const token = quay.issueToken('alice', ALL_SCOPES.filter((s) => s !== 'user:admin'));
      const q = quayProvider(quay, token).provider;
      const scope: Scope = { namespace: 'acme', parent: ref('robot', acme, 'acme+ci') };
      await assert.rejects(typeOf(q, 'robotPermission').list(scope, undefined), /"user:admin" scope/);
    });
  });

  describe('Set Registry Login (item 19)', () => {
    const login = (q: QuayProvider) => typeOf(q, 'registryLogin').update!.run(ref('registryLogin', {}), { username: 'acme+ci', password: 'robot-token' });

    it('does not follow a redirect to another origin, and does not store the login', async () => {
      await start();
      const elsewhere = await plainServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"x"}'));
      const registry = await plainServer((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/v2/auth` }).end());
      try {
        const s = quayProvider(quay, quay.token, { registryUrl: registry.url });
        await assert.rejects(login(s.provider), /redirected \(302\)/);
        assert.equal(s.secrets.registry, undefined);
        assert.deepEqual(elsewhere.paths, [], 'the other origin was never asked');
      } finally {
        await elsewhere.close();
        await registry.close();
      }
    });

    it('reads the answer only up to the token body limit', async () => {
      await start();
      const big = Buffer.alloc(3 * 1024 * 1024, 0x20);
      const registry = await plainServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(big));
      try {
        const s = quayProvider(quay, quay.token, { registryUrl: registry.url });
        await assert.rejects(login(s.provider));
        assert.equal(s.secrets.registry, undefined);
      } finally {
        await registry.close();
      }
    });
  });

  describe('tag listings (items 21, 24)', () => {
    it('refuses a tag digest that is not a sha256/sha512 digest (no markup reaches a tooltip)', async () => {
      await start();
      const evil = `sha256:${'a'.repeat(64)}\n\n[link](https://evil.example/x.png)`;
      quay.setFault({ path: /\/tag\/$/, kind: 'wrongType', body: { tags: [{ name: 'v1', manifest_digest: evil, start_ts: 1 }], page: 1, has_additional: false } });
      await assert.rejects(p.api.listTags('acme/app', undefined), /is not a sha256 or sha512 digest/);
      await assert.rejects(typeOf(p, 'tagHistory').list(app, undefined), /is not a sha256 or sha512 digest/);
    });

    it('refuses a child digest of a manifest list that is not a sha256/sha512 digest', async () => {
      await start();
      const digest = quay.tags('acme/app')[0].digest;
      const child = `sha256:${'b'.repeat(64)}\n\n![x](https://evil.example/x.png)`;
      const manifestData = JSON.stringify({ schemaVersion: 2, manifests: [{ digest: child, platform: { os: 'linux', architecture: 'amd64' } }] });
      quay.setFault({ path: /\/manifest\/[^/]+$/, kind: 'wrongType', body: { digest, is_manifest_list: true, manifest_data: manifestData } });
      await assert.rejects(p.platformsOf('acme/app', digest), /not a manifest list/);
    });

    it('ends the list with a paging error at an empty page that claims more', async () => {
      await start();
      quay.setFault({ path: /\/tag\/$/, kind: 'wrongType', body: { tags: [], page: 2, has_additional: true } });
      const page = await p.api.listTags('acme/app', '2');
      assert.deepEqual(page.items, []);
      assert.equal(page.next, undefined);
      assert.match(String(page.error?.message), /empty page 2 that claims more/);
    });
  });

  describe('secrets in listings', () => {
    it('drops robot tokens a server sends despite token=false', async () => {
      await start();
      quay.setFault({ path: /\/organization\/acme\/robots$/, kind: 'wrongType', body: { robots: [{ name: 'acme+ci', description: 'CI', token: 'LEAKEDROBOTTOKEN0123456789' }] } });
      const items = (await typeOf(p, 'robot').list(acme, undefined)).items;
      assert.equal(items.length, 1);
      assert.equal(items[0].token, undefined);
      assert.ok(!JSON.stringify(items).includes('LEAKEDROBOTTOKEN'));
    });

    it('keeps flowdock and hipchat tokens out of notification tooltips', async () => {
      await start();
      quay.setFault({
        path: /\/notification\/$/,
        method: 'GET',
        kind: 'wrongType',
        body: {
          notifications: [
            { uuid: 'n1', title: 'flow', event: 'repo_push', method: 'flowdock', config: { flow_api_token: 'FLOWSECRET0123' }, event_config: {}, number_of_failures: 0 },
            { uuid: 'n2', title: 'chat', event: 'repo_push', method: 'hipchat', config: { room_id: '42', notification_token: 'HIPSECRET0123' }, event_config: {}, number_of_failures: 0 },
          ],
        },
      });
      const t = typeOf(p, 'notification');
      const tooltips = (await t.list(app, undefined)).items.map((n) => String(t.view(n).tooltip ?? ''));
      assert.equal(tooltips.length, 2);
      assert.ok(tooltips[1].includes('room_id: 42'));
      for (const tip of tooltips) assert.ok(!/FLOWSECRET|HIPSECRET/.test(tip), tip);
    });
  });
});
