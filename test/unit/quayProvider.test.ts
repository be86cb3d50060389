import * as assert from 'node:assert/strict';
import { BadResponseError, ForbiddenError, UnauthorizedError } from '../../src/registry/errors';
import { isoFromSeconds, pageNumber, parseQuayTime, repoPath, seg, tokenPage } from '../../src/registry/quay/client';
import { MAX_LIST_PAGES } from '../../src/registry/paging';
import { startQuayServer, type QuayFeature, type QuayServer } from '../servers/quayServer';
import { drive } from '../support/adminDriver';
import { disposeQuayProviders, quayProvider } from '../support/quaySetup';
import { toRepository } from '../../src/registry/quay/provider';

const apiRequests = (quay: QuayServer, re: RegExp) => quay.requests.filter((r) => r.path.startsWith('/api/v1') && re.test(r.path));

describe('Quay client helpers', () => {
  it('encodes each segment of {repository} and keeps the slash literal', () => {
    assert.equal(repoPath('acme/app'), '/repository/acme/app');
    assert.equal(repoPath('acme/my-app#1'), '/repository/acme/my-app%231');
    assert.equal(seg('v1.0+build'), 'v1.0%2Bbuild');
  });

  it('refuses empty, "." and ".." segments and names without a namespace', () => {
    for (const bad of ['acme/..', './app', 'acme//app', 'app', 'acme/.']) assert.throws(() => repoPath(bad), BadResponseError, bad);
    assert.throws(() => seg('a/b'), BadResponseError);
    assert.throws(() => seg('..'), BadResponseError);
  });

  it('parses the three time formats Quay sends', () => {
    assert.equal(parseQuayTime('Tue, 14 Nov 2023 22:13:20 -0000'), '2023-11-14T22:13:20.000Z');
    assert.equal(parseQuayTime(1700000000), '2023-11-14T22:13:20.000Z');
    assert.equal(parseQuayTime('1700000000'), '2023-11-14T22:13:20.000Z');
    assert.equal(parseQuayTime('2023-11-14T22:13:20Z'), '2023-11-14T22:13:20.000Z');
    assert.equal(parseQuayTime(null), undefined);
    assert.equal(parseQuayTime('not a date'), undefined);
    assert.equal(parseQuayTime(1e20), undefined);
    for (const t of [0, 951782400, 1700000000, 4102444799, 253402300799, 68256000, 1709251199]) {
      assert.equal(isoFromSeconds(t), new Date(t * 1000).toISOString(), String(t));
    }
    for (let i = 0; i < 2000; i++) {
      const t = Math.floor(Math.random() * 253402300799);
      assert.equal(isoFromSeconds(t), new Date(t * 1000).toISOString(), String(t));
    }
  });

  it('pages by token with the shared paging rule: a token sent back ends the list after its items', () => {
    assert.deepEqual(tokenPage([1], undefined, 'A', 'the logs'), { items: [1], next: 'A' });
    assert.deepEqual(tokenPage([2], 'A', 'B', 'the logs'), { items: [2], next: 'B' });
    assert.deepEqual(tokenPage([3], 'B', null, 'the logs'), { items: [3] });
    const loop = tokenPage([4], 'B', 'B', 'the logs');
    assert.deepEqual(loop.items, [4]);
    assert.equal(loop.next, undefined);
    assert.ok(loop.error instanceof BadResponseError);
    assert.match(loop.error.message, /^The logs: the registry sent a next-page link it had already sent \(a paging loop\)/);
    assert.throws(() => pageNumber('0'), BadResponseError);
    assert.throws(() => pageNumber('1e2'), BadResponseError);
    assert.throws(() => pageNumber(String(MAX_LIST_PAGES + 1)), BadResponseError);
  });
});

describe('Quay provider', () => {
  let quay: QuayServer;

  beforeEach(async () => {
    quay = await startQuayServer();
  });
  afterEach(async () => {
    disposeQuayProviders();
    await quay.close();
  });

  describe('routing of {repository}', () => {
    it('sends namespace/name with a literal slash, and the fake refuses %2F as Quay does', async () => {
      const { provider } = quayProvider(quay);
      await provider.listTags('acme/app', undefined);
      assert.ok(apiRequests(quay, /^\/api\/v1\/repository\/acme\/app\/tag\/$/).length === 1);
      const res = await fetch(`${quay.url}/api/v1/repository/acme%2Fapp/tag/`, { headers: { authorization: `Bearer ${quay.token}` } });
      assert.equal(res.status, 404);
    });

    it('refuses repository and tag names that would change the path', async () => {
      const { provider } = quayProvider(quay);
      await assert.rejects(provider.listTags('acme/..', undefined), BadResponseError);
      await assert.rejects(provider.planDeleteTag('acme/app', '..'), BadResponseError);
      assert.equal(apiRequests(quay, /\.\./).length, 0);
    });
  });

  describe('namespaces and repositories', () => {
    it('lists the user and their organizations, then the configured namespaces', async () => {
      const { provider } = quayProvider(quay, quay.token, { namespaces: ['public-stuff', 'acme'] });
      const ns = await provider.listNamespaces(undefined);
      assert.deepEqual(
        ns.items.map((n) => n.name),
        ['alice', 'acme', 'beta', 'public-stuff'],
      );
    });

    it('asks anonymous users to sign in unless namespaces are configured', async () => {
      await assert.rejects(quayProvider(quay, null).provider.listNamespaces(undefined), UnauthorizedError);
      const ns = await quayProvider(quay, null, { namespaces: ['acme'] }).provider.listNamespaces(undefined);
      assert.deepEqual(ns.items.map((n) => n.name), ['acme']);
      const repos = await quayProvider(quay, null, { namespaces: ['acme'] }).provider.listRepositories('acme', undefined);
      assert.deepEqual(repos.items.map((r) => r.name), ['acme/web'], 'anonymous users see public repositories only');
    });

    it('maps description, visibility, state, last modified and popularity', async () => {
      const { provider } = quayProvider(quay);
      const page = await provider.listRepositories('acme', undefined);
      const app = page.items.find((r) => r.name === 'acme/app')!;
      assert.equal(app.description, 'The app image', 'the Markdown description shows as plain text');
      assert.equal(app.isPrivate, true);
      assert.ok(app.lastUpdated && !Number.isNaN(Date.parse(app.lastUpdated)));
      assert.deepEqual(app.facts, ['popularity 42']);
      assert.deepEqual(page.items.find((r) => r.name === 'acme/legacy')!.facts, ['read-only']);
      assert.deepEqual(page.items.find((r) => r.name === 'acme/alpine')!.facts, ['mirror']);
      const q = new URLSearchParams(apiRequests(quay, /^\/api\/v1\/repository$/)[0].query);
      assert.equal(q.get('last_modified'), 'true');
      assert.equal(q.get('popularity'), 'true');
      assert.equal(q.get('namespace'), 'acme');
    });

    it('shows quota usage only where the listing reports it', () => {
      const base = { namespace: 'acme', name: 'app', is_public: true, state: 'NORMAL' as const };
      assert.deepEqual(toRepository({ ...base, quota_report: { quota_bytes: 3 * 1024 * 1024 * 1024, configured_quota: null } }).facts, ['3.0 GiB used']);
      assert.deepEqual(toRepository(base).facts, []);
    });

    it('follows next_page: one request per page of 100', async () => {
      for (let i = 0; i < 250; i++) quay.addRepository('beta', `r${String(i).padStart(3, '0')}`);
      const { provider } = quayProvider(quay);
      quay.clearRequests();
      const names: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const p = await provider.listRepositories('beta', cursor);
        names.push(...p.items.map((r) => r.name));
        cursor = p.next;
        pages++;
      } while (cursor);
      assert.equal(pages, 3);
      assert.equal(names.length, 251);
      assert.equal(new Set(names).size, 251);
      assert.equal(quay.requests.length, 3);
    });

    it('stops when the server repeats a next_page token', async () => {
      for (let i = 0; i < 250; i++) quay.addRepository('beta', `r${i}`);
      const { provider } = quayProvider(quay);
      const first = await provider.listRepositories('beta', undefined);
      quay.setFault({ path: /^\/api\/v1\/repository$/, kind: 'repeatCursor' });
      const second = await provider.listRepositories('beta', first.next);
      assert.equal(second.next, undefined);
      // The page is kept and shown, followed by the shared paging error (not a silent end).
      assert.equal(second.items.length, 100);
      assert.match(second.error?.message ?? '', /already sent \(a paging loop\)/);
    });
  });

  describe('tags', () => {
    it('pages with page + limit (at most 100) and has_additional', async () => {
      const { provider } = quayProvider(quay);
      quay.clearRequests();
      const p1 = await provider.listTags('acme/many', undefined, { pageSize: 500 });
      assert.equal(p1.items.length, 100);
      assert.ok(p1.next);
      const p2 = await provider.listTags('acme/many', p1.next, { pageSize: 500 });
      assert.equal(p2.items.length, 25, '130 tags, 5 of them deleted');
      assert.equal(p2.next, undefined);
      const qs = quay.requests.map((r) => new URLSearchParams(r.query));
      assert.deepEqual(qs.map((q) => [q.get('page'), q.get('limit'), q.get('onlyActiveTags')]), [['1', '100', 'true'], ['2', '100', 'true']]);
    });

    it('ends the listing when the server answers another page than asked', async () => {
      const { provider } = quayProvider(quay);
      quay.setFault({ path: /\/tag\/$/, kind: 'wrongType', body: { tags: [], page: 1, has_additional: true } });
      const p = await provider.listTags('acme/many', '3');
      assert.equal(p.next, undefined);
      assert.match(p.error?.message ?? '', /answered page 1 when asked for page 3/);
    });

    it('maps digest, size, last modified, expiration and the manifest-list flag', async () => {
      const { provider } = quayProvider(quay);
      const tags = (await provider.listTags('acme/app', undefined)).items;
      assert.deepEqual(tags.map((t) => t.name), ['latest', 'dev', '1.0', '0.9']);
      const latest = tags[0];
      assert.deepEqual(latest.facts, ['manifest list (2)']);
      assert.equal(latest.size, undefined);
      assert.match(latest.digest!, /^sha256:/);
      const v09 = tags.find((t) => t.name === '0.9')!;
      assert.ok(v09.expiresAt && Date.parse(v09.expiresAt) > Date.now());
      assert.equal(tags.find((t) => t.name === '1.0')!.size, 3100000);
      assert.ok(tags.every((t) => t.lastPushed));
    });

    it('deletes just the tag; it then shows in the tag history', async () => {
      const { provider } = quayProvider(quay);
      const plan = await provider.planDeleteTag('acme/app', '1.0');
      assert.equal(plan.byDigest, false);
      assert.deepEqual(plan.affectedTags, ['1.0']);
      await provider.deleteTag(plan);
      const names = (await provider.listTags('acme/app', undefined)).items.map((t) => t.name);
      assert.ok(!names.includes('1.0'));
      const history = drive(provider.admin.types.find((t) => t.type === 'tagHistory')!);
      const items = (await history.list({ repository: 'acme/app' }, undefined)).items as { name: string }[];
      assert.ok(items.some((t) => t.name === '1.0'));
    });
  });

  describe('errors', () => {
    it('names the scope an action needs when the token lacks it', async () => {
      const readOnly = quay.issueToken('alice', ['repo:read', 'user:read']);
      const { provider } = quayProvider(quay, readOnly);
      const plan = await provider.planDeleteTag('acme/app', '1.0');
      await assert.rejects(provider.deleteTag(plan), (e: unknown) => e instanceof ForbiddenError && /"repo:write" scope/.test(e.message) && !e.message.includes(readOnly));
    });

    it('names the scope and the permission when the user lacks access', async () => {
      const bob = quay.issueToken('bob', ['repo:read', 'repo:write', 'repo:admin', 'user:read']);
      const { provider } = quayProvider(quay, bob);
      await assert.rejects(provider.listTags('beta/tools', undefined), (e: unknown) => e instanceof ForbiddenError && /"repo:read" scope/.test(e.message) && /permission/.test(e.message));
    });

    it('says the token was rejected on a 401', async () => {
      const { provider } = quayProvider(quay, 'not-a-token');
      await assert.rejects(provider.listTags('acme/app', undefined), (e: unknown) => e instanceof UnauthorizedError && /rejected the OAuth token/.test(e.message));
    });

    it('turns malformed and mistyped bodies into typed errors', async () => {
      const { provider } = quayProvider(quay);
      quay.setFault({ path: /\/tag\/$/, kind: 'malformed' });
      await assert.rejects(provider.listTags('acme/app', undefined), BadResponseError);
      quay.setFault({ path: /\/tag\/$/, kind: 'wrongType', body: { tags: [{ name: 5 }], page: 1, has_additional: false } });
      await assert.rejects(provider.listTags('acme/app', undefined), (e: unknown) => e instanceof BadResponseError && /tags\.0\.name/.test(e.message));
      quay.setFault({ path: /^\/api\/v1\/repository$/, kind: 'wrongType', body: { repositories: 'nope' } });
      await assert.rejects(provider.listRepositories('acme', undefined), BadResponseError);
    });
  });

  describe('discovery', () => {
    it('hides what the server lacks without probing for 404s', async () => {
      await quay.close();
      quay = await startQuayServer({ features: [] as QuayFeature[] });
      const { provider } = quayProvider(quay);
      const types = provider.admin.types;
      const scope = { namespace: 'acme', repository: 'acme/app' };
      for (const t of ['mirror', 'autoPrunePolicy', 'immutabilityPolicy', 'orgAutoPrunePolicy', 'orgImmutabilityPolicy', 'quota', 'proxyCache']) {
        assert.equal(await drive(types.find((x) => x.type === t)!).available!(scope), false, t);
      }
      assert.equal(await drive(types.find((x) => x.type === 'notification')!).available!(scope), true);
      const report = await provider.getScanReport('acme/app', 'latest');
      assert.equal(report.status, 'unsupported');
      assert.equal(apiRequests(quay, /mirror|autoprune|immutability|security|quota|proxycache/).length, 0);
      assert.equal(apiRequests(quay, /discovery/).length, 1, 'discovery is read once');
    });

    it('assumes features present when discovery fails, and does not ask again at every check', async () => {
      quay.setFault({ path: /discovery/, kind: 'status', status: 500 });
      const { provider, warnings } = quayProvider(quay);
      const mirror = drive(provider.admin.types.find((x) => x.type === 'mirror')!);
      assert.equal(await mirror.available!({ repository: 'acme/app' }), true);
      assert.equal(await mirror.available!({ repository: 'acme/app' }), true);
      assert.equal(apiRequests(quay, /discovery/).length, 1);
      assert.match(warnings.join('\n'), /discovery failed/);
    });

    it('shows what the server has', async () => {
      const { provider } = quayProvider(quay);
      for (const t of ['mirror', 'autoPrunePolicy', 'immutabilityPolicy', 'orgAutoPrunePolicy', 'quota', 'team']) {
        assert.equal(await drive(provider.admin.types.find((x) => x.type === t)!).available!({ namespace: 'acme', repository: 'acme/app' }), true, t);
      }
      assert.equal(await drive(provider.admin.types.find((x) => x.type === 'team')!).available!({ namespace: 'alice' }), false, 'no teams in a user namespace');
    });
  });

  describe('security', () => {
    it('reads the live Clair report per platform of a multi-platform tag', async () => {
      const { provider } = quayProvider(quay);
      const report = await provider.getScanReport('acme/app', 'latest');
      assert.equal(report.status, 'completed');
      assert.deepEqual(report.platforms, ['linux/amd64', 'linux/arm64/v8']);
      assert.equal(report.platform, 'linux/amd64');
      assert.ok(report.vulnerabilities.length > 0);
      assert.ok(report.packages.length > 100);
      const v = report.vulnerabilities.find((x) => x.fixedVersion && x.links.length && x.layer);
      assert.ok(v, 'fixed-in versions, links and the introducing layer are kept');
      const arm = await provider.getScanReport('acme/app', 'latest', undefined, 'linux/arm64/v8');
      assert.equal(arm.platform, 'linux/arm64/v8');
      const q = new URLSearchParams(apiRequests(quay, /\/security$/)[0].query);
      assert.equal(q.get('vulnerabilities'), 'true');
    });

    it('reports queued scans as queued', async () => {
      const { provider } = quayProvider(quay);
      const r = await provider.getScanReport('acme/app', 'dev');
      assert.equal(r.status, 'queued');
      assert.match(r.message ?? '', /queued/);
    });
  });

  describe('health', () => {
    it('is healthy with /health/instance and puts /health/endtoend in the details', async () => {
      const { provider } = quayProvider(quay);
      const h = await provider.ping();
      assert.equal(h.ok, true);
      assert.equal(h.details?.['end-to-end'], 'healthy');
      assert.ok(quay.requests.filter((r) => r.path.startsWith('/health')).every((r) => r.auth === 'none'), 'health needs no credentials');
    });

    it('names the failing services of a 503', async () => {
      quay.setFailingServices(['disk_space', 'database']);
      const { provider } = quayProvider(quay);
      const h = await provider.ping();
      assert.equal(h.ok, false);
      assert.match(h.error!.message, /failing services disk_space/);
      assert.equal(h.details?.['end-to-end'], 'failing: disk_space, database');
    });
  });

  describe('the /v2 side', () => {
    it('reads tag details through /v2 with $oauthtoken and the API token, and adds the security badge', async () => {
      await quay.close();
      quay = await startQuayServer({ registry: true });
      const { provider } = quayProvider(quay);
      const d = await provider.getTagDetails('acme/app', 'latest');
      assert.equal(d.isIndex, true);
      assert.equal(d.platforms.length, 2);
      const d10 = await provider.getTagDetails('acme/app', '1.0');
      assert.deepEqual(d10.vulnerabilities, { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 });
      const tags = (await provider.listTags('acme/app', undefined)).items;
      assert.ok(tags.find((t) => t.name === '1.0')!.vulnerabilities, 'the badge is cached per digest and shown in later listings');
      assert.ok(quay.requests.some((r) => r.path === '/v2/auth'));
    });

    it('uses $oauthtoken when the host answers every purpose with the one API secret', async () => {
      await quay.close();
      quay = await startQuayServer({ registry: true });
      const setup = quayProvider(quay, quay.token, { username: 'alice' });
      setup.secrets.registry = { username: 'alice', secret: quay.token };
      assert.deepEqual(await setup.provider.registryCredentials(), { username: '$oauthtoken', secret: quay.token });
      assert.equal((await setup.provider.getTagDetails('acme/app', '1.0')).isIndex, false);
    });
  });
});
