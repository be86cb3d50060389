import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { PlanChangedError } from '../../src/registry/deletePlan';
import { BadResponseError, ForbiddenError, UnauthorizedError } from '../../src/registry/errors';
import { accountScopes } from '../../src/registry/descriptor';
import { descriptor } from '../../src/registry/ghcr/descriptor';
import type { GhcrProvider } from '../../src/registry/ghcr/provider';
import { all, ghcrProvider } from '../support/ghcrSetup';
import { apiBase, packageSegment, registryBase } from '../../src/registry/ghcr/urls';
import { descriptors } from '../../src/registry/kinds';
import { type GhcrSeed, seedGhcr } from '../servers/ghcr/seed';
import { closeServer, listen } from '../servers/kit/listen';
import { type GhcrServer, startGhcrServer } from '../servers/ghcrServer';

describe('GitHub Container Registry provider', () => {
  let g: GhcrServer;
  let seed: GhcrSeed;
  let p: GhcrProvider;
  beforeEach(async () => {
    g = await startGhcrServer();
    seed = seedGhcr(g);
    p = ghcrProvider(g, seed.read, { namespaces: ['hubot'] });
  });
  afterEach(async () => {
    p.dispose();
    assert.deepEqual(g.violations, []);
    await g.close();
  });

  it('is a registered kind that signs in with the GitHub account (read:packages; delete:packages only on demand)', () => {
    assert.ok(descriptors.includes(descriptor));
    assert.equal(descriptor.auth?.provider, 'github');
    assert.deepEqual(descriptor.auth?.scopes, ['read:packages']);
    assert.ok(descriptor.auth?.extraScopes?.includes('delete:packages'));
    assert.deepEqual(accountScopes(descriptor.auth!, ['delete:packages']), ['read:packages', 'delete:packages']);
    assert.throws(() => accountScopes(descriptor.auth!, ['repo']), /repo/, 'a provider cannot ask the account for scopes its kind does not declare');
  });

  it('finds the API and the registry of github.com and of GitHub Enterprise Server', () => {
    assert.equal(apiBase('https://github.com'), 'https://api.github.com');
    assert.equal(registryBase('https://github.com'), 'https://ghcr.io');
    assert.equal(apiBase('https://ghe.example.com/'), 'https://ghe.example.com/api/v3');
    assert.equal(apiBase('https://ghe.example.com/api/v3'), 'https://ghe.example.com/api/v3');
    assert.equal(apiBase('https://api.github.com'), 'https://api.github.com');
    assert.equal(registryBase('https://ghe.example.com'), 'https://containers.ghe.example.com');
    assert.equal(registryBase('https://ghe.example.com:8443'), 'https://containers.ghe.example.com:8443');
    assert.equal(registryBase('https://ghe.example.com', 'https://registry.ghe.example.com'), 'https://registry.ghe.example.com');
    assert.equal(packageSegment('tools/cli'), 'tools%2Fcli');
    assert.throws(() => packageSegment('../x'), BadResponseError);
  });

  it('lists you, your organizations and the configured owners, with the API version header and the token as Bearer', async () => {
    const page = await p.listNamespaces(undefined);
    assert.deepEqual(
      page.items.map((n) => [n.name, n.description]),
      [
        ['octocat', 'you'],
        ['octo-org', 'organization · The Octo organization'],
        ['hubot', 'from the settings'],
      ],
    );
    const orgs = g.requests.find((r) => r.path === '/api/v3/user/orgs')!;
    assert.equal(orgs.authorization, `Bearer ${seed.read}`);
    assert.ok(g.requests.filter((r) => r.path.startsWith('/api/v3/')).every((r) => r.apiVersion === '2022-11-28'));
    assert.match(orgs.query, /per_page=100/);
  });

  it('says that organizations need read:org when the token lacks it, and still lists you and the configured owners', async () => {
    const q = ghcrProvider(g, seed.packagesOnly, { namespaces: ['octo-org'] });
    const page = await q.listNamespaces(undefined);
    q.dispose();
    assert.deepEqual(page.items.map((n) => n.name), ['octocat', 'octo-org']);
    // One informative line, not an error: nothing failed, the token only may not list organizations.
    assert.equal(page.error, undefined);
    assert.match(page.notice ?? '', /read:org/);
    assert.match(page.notice ?? '', /namespaces/);
  });

  it('lists the packages of you, an organization and another user, with visibility and the linked repository', async () => {
    await p.listNamespaces(undefined);
    const mine = await all((c) => p.listRepositories('octocat', c, { pageSize: 1 }));
    assert.deepEqual(mine.map((r) => r.name), ['octocat/app', 'octocat/tools/cli']);
    assert.equal(mine[0]!.isPrivate, true);
    assert.ok(mine[0]!.facts!.includes('3 versions'));
    assert.ok(mine[0]!.facts!.includes('repository octocat/app'));
    const org = await all((c) => p.listRepositories('octo-org', c));
    assert.deepEqual(org.map((r) => [r.name, r.isPrivate, r.facts]), [['octo-org/service', false, ['1 version', 'repository octo-org/service']]]);
    const other = await all((c) => p.listRepositories('hubot', c));
    assert.deepEqual(other.map((r) => r.name), ['hubot/public-img']);
    assert.ok(g.requests.some((r) => r.path === '/api/v3/user/packages' && /package_type=container/.test(r.query) && /per_page=1/.test(r.query) && /page=2/.test(r.query)));
    assert.ok(g.requests.some((r) => r.path === '/api/v3/users/hubot/packages' && r.status === 200));
    // Another user's versions: documented without paging parameters, so none are sent.
    assert.deepEqual((await all((c) => p.listTags('hubot/public-img', c))).map((t) => t.name), ['latest']);
    assert.ok(g.requests.some((r) => r.path === '/api/v3/users/hubot/packages/container/public-img/versions' && r.query === '' && r.status === 200));
  });

  it('lists versions: several tags on one row, untagged versions by digest, names with a slash encoded as one segment', async () => {
    const tags = await all((c) => p.listTags('octocat/app', c));
    assert.deepEqual(tags.map((t) => t.name.startsWith('sha256:') ? 'digest' : t.name), ['2.0', 'digest', '1.0']);
    assert.ok(tags[0]!.facts!.includes('tags: 2.0, latest'));
    assert.ok(tags[1]!.facts!.includes('untagged'));
    assert.equal(tags[1]!.name, tags[1]!.digest);
    const cli = await all((c) => p.listTags('octocat/tools/cli', c));
    assert.deepEqual(cli.map((t) => t.name), ['v1']);
    assert.ok(g.requests.some((r) => r.path === '/api/v3/user/packages/container/tools%2Fcli/versions'));
  });

  it('reads tag details from the registry: Basic with the account and token to its token service, then Bearer', async () => {
    const d = await p.getTagDetails('octocat/app', 'latest');
    assert.equal(d.isIndex, true);
    assert.deepEqual(d.platforms.map((x) => x.architecture), ['amd64', 'arm64']);
    const token = g.requests.find((r) => r.path === '/token')!;
    assert.equal(token.authorization, `Basic ${Buffer.from(`octocat:${seed.read}`).toString('base64')}`);
    const v2 = g.requests.filter((r) => r.path.startsWith('/v2/'));
    assert.ok(v2.length > 0);
    assert.ok(v2.every((r) => !r.authorization || (/^Bearer /.test(r.authorization) && !r.authorization.includes(seed.read))));
  });

  it('never sends the token to a token service on another origin that a registry challenge names, even one the host would allow', async () => {
    p.dispose();
    p = ghcrProvider(g, seed.read, { allowTokenRealm: () => Promise.resolve(true) });
    const seen: string[] = [];
    const evil = http.createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"x"}');
    });
    const evilUrl = await listen(evil);
    try {
      g.fault({ path: /^\/v2\//, status: 401, body: '{"errors":[]}', headers: { 'Www-Authenticate': `Bearer realm="${evilUrl}/token",service="ghcr-fake"` } });
      await assert.rejects(p.getTagDetails('octocat/app', 'latest'));
      assert.ok(seen.every((h) => !h.includes(Buffer.from(`octocat:${seed.read}`).toString('base64')) && !h.includes(seed.read)), JSON.stringify(seen));
    } finally {
      await closeServer(evil);
    }
  });

  it('deletes a version by id after naming every tag on it, asking for delete:packages only then', async () => {
    const asked: string[][] = [];
    const q = ghcrProvider(g, seed.read, { elevate: (scopes) => (asked.push([...scopes]), Promise.resolve({ secret: seed.admin })) });
    const plan = await q.planDeleteTag('octocat/app', 'latest');
    assert.deepEqual([...plan.affectedTags].sort(), ['2.0', 'latest']);
    assert.equal(plan.byDigest, true);
    assert.match(plan.undo ?? '', /30 days/, 'the confirmation says GitHub can restore it');
    assert.deepEqual(asked, []);
    await q.deleteTag(plan);
    q.dispose();
    assert.deepEqual(asked, [['delete:packages']]);
    const del = g.requests.find((r) => r.method === 'DELETE')!;
    assert.match(del.path, /^\/api\/v3\/user\/packages\/container\/app\/versions\/\d+$/);
    assert.equal(del.authorization, `Bearer ${seed.admin}`);
    assert.equal(g.registry.digestOf('octocat/app', 'latest'), undefined);
    assert.ok(g.requests.filter((r) => r.method === 'GET' && /\/versions\/\d+$/.test(r.path)).length >= 1, 'the version is read again before the delete');
  });

  it('refuses a delete whose version changed tags since the confirmation', async () => {
    const plan = await p.planDeleteTag('octocat/app', '1.0');
    const v = g.state.packages.find((x) => x.name === 'app')!.versions.find((x) => x.tags.includes('1.0'))!;
    v.tags.push('stable');
    await assert.rejects(p.deleteTag(plan), (e: Error) => e instanceof PlanChangedError && /stable/.test(e.message));
    assert.ok(!g.requests.some((r) => r.method === 'DELETE'));
  });

  it('names the missing scope when the token cannot delete', async () => {
    const plan = await p.planDeleteTag('octocat/app', '1.0');
    await assert.rejects(p.deleteTag(plan), (e: Error) => e instanceof ForbiddenError && /delete:packages/.test(e.message));
  });

  it('restores a deleted version and a deleted package through the admin model', async () => {
    const q = ghcrProvider(g, seed.admin);
    const plan = await q.planDeleteTag('octocat/app', '1.0');
    await q.deleteTag(plan);
    const list = q.admin.types.find((x) => x.type === 'deletedVersion');
    assert.ok(list && list.shape === 'list');
    const deleted = await list.list({ repository: 'octocat/app' }, undefined);
    assert.equal(deleted.items.length, 1);
    const key = list.key(deleted.items[0]);
    const restore = list.actions!.find((a) => a.id === 'restore')!;
    const confirm = await restore.confirm!(deleted.items[0], { type: 'deletedVersion', scope: { repository: 'octocat/app' }, key }, undefined);
    assert.match(confirm!.message, /1\.0/);
    await restore.run({ type: 'deletedVersion', scope: { repository: 'octocat/app' }, key }, undefined);
    assert.ok(g.registry.digestOf('octocat/app', '1.0'));
    const repo = q.admin.types.find((x) => x.type === 'repository');
    assert.ok(repo?.shape === 'core' && repo.remove);
    const ref = { type: 'repository', scope: { namespace: 'octocat' }, key: 'octocat/tools/cli' };
    const c = await repo.remove.confirm(ref, ref);
    assert.match(c.message, /octocat\/tools\/cli \(private, 1 version\)/);
    await repo.remove.run(ref);
    assert.deepEqual((await all((cur) => q.listRepositories('octocat', cur))).map((r) => r.name), ['octocat/app']);
    const ns = q.admin.types.find((x) => x.type === 'namespace');
    assert.ok(ns?.shape === 'core');
    const action = ns.actions!.find((a) => a.id === 'restorePackage')!;
    const nsRef = { type: 'namespace', scope: {}, key: 'octocat' };
    await action.run(nsRef, { name: 'tools/cli' } as never);
    assert.deepEqual((await all((cur) => q.listRepositories('octocat', cur))).map((r) => r.name), ['octocat/app', 'octocat/tools/cli']);
    assert.ok(g.requests.some((r) => r.method === 'POST' && r.path === '/api/v3/user/packages/container/tools%2Fcli/restore'));
    q.dispose();
  });

  it('turns a rejected token into a sign-in error and a token without read:packages into a failed health check naming it', async () => {
    const bad = ghcrProvider(g, 'ghp_not-a-real-token-000000');
    await assert.rejects(bad.listNamespaces(undefined), UnauthorizedError);
    bad.dispose();
    const weak = ghcrProvider(g, seed.noPackages);
    const h = await weak.ping();
    weak.dispose();
    assert.equal(h.ok, false);
    assert.match(h.error!.message, /read:packages/);
    const ok = await p.ping();
    assert.equal(ok.ok, true);
    assert.equal(ok.details!.account, 'octocat');
  });

  it('shows a malformed answer as a clear error, never an empty list', async () => {
    g.fault({ path: /\/user\/packages$/, status: 200, body: '[{"id":"x"}]' });
    await assert.rejects(p.listRepositories('octocat', undefined), BadResponseError);
  });
});
