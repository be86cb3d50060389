import * as assert from 'node:assert/strict';
import { ORG_TOKEN_SCOPES } from '../../src/registry/dockerhub/model';
import { startHubServer, type HubServer } from '../servers/hubServer';

/**
 * The fake Hub refuses what Hub refuses: requests are validated against the OpenAPI document (query types and
 * bounds, body types, enums and required fields) and against the facts the seed states in prose (organization token
 * scope names, repository paths, RFC 3339 expiry dates, at most 100 per page). A fake that accepts a request Hub
 * refuses would let a client bug pass.
 */
describe('the fake Hub refuses malformed requests as Hub does', () => {
  let hub: HubServer;
  let token: string;

  async function call(method: string, path: string, body?: unknown, auth: string | null = `Bearer ${token}`): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (auth) headers.Authorization = auth;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(hub.url + path, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async function signIn(identifier: string, secret: string): Promise<string> {
    const r = await call('POST', '/v2/auth/token', { identifier, secret }, null);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.access_token as string;
  }

  /** Hub's 400 body: `detail`/`message` plus `fields` naming the offending field. */
  function assertRefused(r: { status: number; body: Record<string, unknown> }, field: string): void {
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(typeof r.body.detail, 'string');
    assert.equal(typeof r.body.message, 'string');
    assert.ok(Object.keys(r.body.fields as object).includes(field), `fields name ${field}: ${JSON.stringify(r.body.fields)}`);
  }

  beforeEach(async () => {
    hub = await startHubServer();
    hub.addUser('demo', 'demo-password');
    hub.addOrg('acme', { demo: 'owner' });
    hub.addRepository('acme', 'api', { isPrivate: true });
    hub.addRepository('acme', 'secret', { isPrivate: true });
    token = await signIn('demo', 'demo-password');
  });
  afterEach(async () => hub.close());

  it('a body field of the wrong type, a missing required field and a wrong enum value → 400', async () => {
    assertRefused(await call('POST', '/v2/namespaces/acme/repositories', { namespace: 'acme', name: 'x1', is_private: 'yes' }), 'is_private');
    assertRefused(await call('POST', '/v2/access-tokens', { scopes: ['repo:read'] }), 'token_label');
    assertRefused(await call('PUT', '/v2/orgs/acme/settings', { restricted_images: { enabled: true } }), 'restricted_images');
    assertRefused(await call('POST', '/v2/auth/token', '{"identifier": "demo", ', null), 'body');
  });

  it('query values of the wrong type or out of bounds → 400; page_size > 100 is refused, not capped', async () => {
    assertRefused(await call('GET', '/v2/namespaces/acme/repositories?ordering=size'), 'ordering');
    assertRefused(await call('GET', '/v2/namespaces/acme/repositories?page_size=abc'), 'page_size');
    assertRefused(await call('GET', '/v2/namespaces/acme/repositories?page_size=101'), 'page_size');
    assertRefused(await call('GET', '/v2/namespaces/acme/repositories/api/tags?page_size=500'), 'page_size');
    assertRefused(await call('GET', '/v2/access-tokens?page_size=1000'), 'page_size');
    assert.equal((await call('GET', '/v2/namespaces/acme/repositories?page_size=100')).status, 200);
  });

  it('organization access tokens take only Hub scope names (scope-image-pull / scope-image-push)', async () => {
    const create = (scopes: unknown[], path = 'acme/*') => call('POST', '/v2/orgs/acme/access-tokens', { label: 'ci', resources: [{ type: 'TYPE_REPO', path, scopes }], expires_at: null });
    for (const bad of [['repo:pull'], ['repo:push'], ['repo-pull'], ['scope-image-pull', 'admin'], []]) assertRefused(await create(bad), 'resources');
    assert.deepEqual(
      ORG_TOKEN_SCOPES.map((s) => s.scope),
      ['scope-image-pull', 'scope-image-push'],
    );
    assert.equal((await create(ORG_TOKEN_SCOPES.map((s) => s.scope))).status, 201);
    assertRefused(await create(['scope-image-pull'], 'other/api'), 'resources');
    assertRefused(await create(['scope-image-pull'], 'acme/missing'), 'resources');
    assert.equal((await create(['scope-image-pull'], 'acme/api')).status, 201);
    assert.equal((await create(['scope-image-pull'], '*/*/public')).status, 201);
  });

  it('expires_at must be an RFC 3339 date-time in the future', async () => {
    const pat = (expires_at: unknown) => call('POST', '/v2/access-tokens', { token_label: 'ci', scopes: ['repo:read'], expires_at });
    const oat = (expires_at: unknown) => call('POST', '/v2/orgs/acme/access-tokens', { label: 'ci', resources: [{ type: 'TYPE_REPO', path: 'acme/*', scopes: ['scope-image-pull'] }], expires_at });
    for (const create of [pat, oat]) {
      assertRefused(await create('next week'), 'expires_at');
      assertRefused(await create('2099-01-01'), 'expires_at');
      assertRefused(await create('2001-01-01T00:00:00Z'), 'expires_at');
      assert.equal((await create('2099-01-01T00:00:00.000Z')).status, 201);
    }
  });

  it('keeps paths as sent: no trailing-slash normalisation', async () => {
    assert.equal((await call('GET', '/v2/user/')).status, 200);
    assert.equal((await call('GET', '/v2/user')).status, 404);
    assert.equal((await call('GET', '/v2/namespaces/acme/repositories/')).status, 404);
    assert.equal((await call('DELETE', '/v2/repositories/acme/api')).status, 404);
  });

  it('authorises organization tokens by resource path and scope', async () => {
    const created = await call('POST', '/v2/orgs/acme/access-tokens', { label: 'pull-api', resources: [{ type: 'TYPE_REPO', path: 'acme/api', scopes: ['scope-image-pull'] }], expires_at: null });
    assert.equal(created.status, 201);
    const oat = await signIn('acme', created.body.token as string);
    const asOrg = (method: string, path: string, body?: unknown) => call(method, path, body, `Bearer ${oat}`);
    assert.equal((await asOrg('GET', '/v2/namespaces/acme/repositories/api')).status, 200);
    assert.equal((await asOrg('GET', '/v2/namespaces/acme/repositories/secret')).status, 404, 'a private repository outside the token paths stays hidden');
    assert.equal((await asOrg('PATCH', '/v2/repositories/acme/api/', { description: 'x' })).status, 403, 'pull scope cannot write');
  });
});
