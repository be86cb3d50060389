import * as assert from 'node:assert/strict';
import { BadResponseError, ForbiddenError, RateLimitedError, UnauthorizedError } from '../../src/registry/errors';
import { operations, queryIssues } from '../servers/ghcr/spec';
import { seedGhcr } from '../servers/ghcr/seed';
import { type GhcrServer, startGhcrServer } from '../servers/ghcrServer';
import { ghcrProvider } from '../support/ghcrSetup';

/**
 * GitHub's answers a client meets besides the happy path, and the fake's own contract: every documented operation
 * (test/fixtures/specs/github-packages) is served, and requests the documents refuse are refused.
 */
describe('GitHub packages API: errors, paging and the documents', () => {
  let g: GhcrServer;
  let read: string;
  beforeEach(async () => {
    g = await startGhcrServer();
    read = seedGhcr(g).read;
  });
  afterEach(async () => {
    await g.close();
  });

  it('reads every operation of the vendored documents, with the scopes they name', () => {
    const ops = operations();
    assert.equal(ops.length, 26);
    const del = ops.find((o) => o.method === 'DELETE' && o.template === '/user/packages/{package_type}/{package_name}/versions/{package_version_id}')!;
    assert.deepEqual(del.scopes, ['read:packages', 'delete:packages']);
    const list = ops.find((o) => o.method === 'GET' && o.template === '/user/packages')!;
    assert.deepEqual(queryIssues(list, new URLSearchParams('package_type=container&per_page=101')), ['query parameter "per_page" is at most 100, got 101']);
    assert.deepEqual(queryIssues(list, new URLSearchParams('per_page=10')), ['query parameter "package_type" is required']);
  });

  it('without a token: a sign-in error, not an empty list', async () => {
    const p = ghcrProvider(g, undefined);
    await assert.rejects(p.listRepositories('octocat', undefined), (e: Error) => e instanceof UnauthorizedError && /requires signing in/.test(e.message));
    p.dispose();
  });

  it("GitHub's used-up rate limit (403 with X-RateLimit-Remaining: 0) is a rate-limit error, not a permission error", async () => {
    const p = ghcrProvider(g, read);
    g.fault({ path: /\/user\/packages$/, status: 403, body: '{"message":"API rate limit exceeded"}', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 120) }, times: 1 });
    await assert.rejects(p.listRepositories('octocat', undefined), (e: Error) => e instanceof RateLimitedError && /resets in 2 min/.test(e.message));
    g.fault({ path: /\/user\/packages$/, status: 403, body: '{"message":"Must have admin rights"}', times: 1 });
    await assert.rejects(p.listRepositories('octocat', undefined), ForbiddenError);
    p.dispose();
  });

  it('a next-page link that does not go forward stops the list with an error after the items', async () => {
    const p = ghcrProvider(g, read);
    const page = await p.listRepositories('octocat', undefined, { pageSize: 1 });
    assert.equal(page.next, '2');
    const loop = `<${g.url}/api/v3/user/packages?package_type=container&per_page=1&page=1>; rel="next"`;
    g.fault({ path: /\/user\/packages$/, status: 200, body: JSON.stringify([{ id: 1, name: 'x', package_type: 'container', visibility: 'public' }]), headers: { link: loop }, times: 1 });
    const looped = await p.listRepositories('octocat', '2', { pageSize: 1 });
    assert.deepEqual(looped.items.map((r) => r.name), ['octocat/x']);
    assert.ok(looped.error instanceof BadResponseError);
    assert.equal(looped.next, undefined);
    p.dispose();
  });

  it('the fake refuses what the documents refuse (422) and what the token may not do (403 naming the scopes)', async () => {
    const res = await fetch(`${g.url}/api/v3/user/packages?per_page=5`, { headers: { authorization: `Bearer ${read}` } });
    assert.equal(res.status, 422);
    assert.equal(g.violations.length, 1);
    g.violations.length = 0;
    const del = await fetch(`${g.url}/api/v3/user/packages/container/app`, { method: 'DELETE', headers: { authorization: `Bearer ${read}` } });
    assert.equal(del.status, 403);
    assert.equal(del.headers.get('x-accepted-oauth-scopes'), 'read:packages, delete:packages');
    assert.equal(del.headers.get('x-oauth-scopes'), 'read:packages, read:org');
  });
});
