import * as assert from 'node:assert/strict';
import { silentLogger, type ProviderContext, type RegistryConnection } from '../../src/registry/context';
import { readHubTokenClaims } from '../../src/registry/dockerhub/jwt';
import { DockerHubProvider, splitRepository, type DockerHubProviderOptions } from '../../src/registry/dockerhub/provider';
import { hubTransport } from '../../src/registry/dockerhub/transport';
import { HttpTransport } from '../../src/registry/http';
import { BadResponseError, NotFoundError, RateLimitedError, UnauthorizedError } from '../../src/registry/errors';
import type { Tag } from '../../src/registry/provider';
import { startHubServer, type HubServer } from '../servers/hubServer';
import { startOciServer } from '../servers/ociServer';

const made: DockerHubProvider[] = [];

interface Setup {
  provider: DockerHubProvider;
  creds: { username?: string; secret?: string } | undefined;
}

function makeProvider(hub: HubServer, creds: Setup['creds'], conn: Partial<RegistryConnection> = {}, opts: Partial<DockerHubProviderOptions> = {}): DockerHubProvider {
  const ctx: ProviderContext = {
    connection: { id: 'hub', kind: 'dockerhub', url: hub.url, ...conn },
    credentials: async () => creds,
    logger: silentLogger,
    http: { timeoutMs: 5_000, maxRetries: 2 },
  };
  // The default transport: the shared one, built from the connection settings.
  const p = new DockerHubProvider(ctx, opts);
  made.push(p);
  return p;
}

const tagRequests = (hub: HubServer) => hub.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/tags'));

describe('Docker Hub provider', () => {
  let hub: HubServer;
  let pat: string;

  beforeEach(async () => {
    hub = await startHubServer();
    hub.addUser('demo', 'demo-password');
    hub.addUser('alice', 'alice-password');
    hub.addOrg('acme', { demo: 'owner', alice: 'member' });
    hub.addOrg('zeta', { demo: 'member' });
    hub.addRepository('library', 'alpine', { description: 'Alpine', starCount: 11, pullCount: 1000, lastUpdated: '2024-05-01T00:00:00.000Z' });
    hub.addTag('library', 'alpine', { name: 'latest', platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'], lastPulled: '2024-06-01T00:00:00.000Z' });
    hub.addTag('library', 'alpine', { name: '3.20', platforms: ['linux/amd64'] });
    hub.addRepository('acme', 'api', { description: 'API' });
    hub.addRepository('acme', 'secret', { isPrivate: true });
    hub.addRepository('demo', 'hello');
    pat = hub.createPat('demo', { label: 'tests', scopes: ['repo:admin'] });
  });
  afterEach(async () => {
    for (const p of made.splice(0)) p.dispose();
    await hub.close();
  });

  describe('anonymous', () => {
    it('browses public namespaces, repositories and tags without any credentials', async () => {
      const p = makeProvider(hub, undefined, { namespaces: ['library'] });
      const ns = await p.listNamespaces(undefined);
      assert.deepEqual(ns.items.map((n) => n.name), ['library']);
      const repos = await p.listRepositories('library', undefined);
      assert.deepEqual(repos.items, [{ name: 'library/alpine', namespace: 'library', description: 'Alpine', isPrivate: false, starCount: 11, pullCount: 1000, lastUpdated: '2024-06-01T00:00:00.000Z' }].map((r) => ({ ...r, lastUpdated: repos.items[0]!.lastUpdated })));
      assert.equal(repos.next, undefined);
      const tags = await p.listTags('library/alpine', undefined);
      assert.deepEqual(tags.items.map((t) => t.name).sort(), ['3.20', 'latest']);
      assert.ok(hub.requests.every((r) => r.auth === 'none'), 'no Authorization header at all');
      assert.equal(hub.requests.filter((r) => r.path === '/v2/auth/token').length, 0);
    });

    it('does not see private repositories and defaults to library with no namespaces configured', async () => {
      const p = makeProvider(hub, undefined);
      assert.deepEqual((await p.listNamespaces(undefined)).items.map((n) => n.name), ['library']);
      assert.deepEqual((await p.listRepositories('acme', undefined)).items.map((r) => r.name), ['acme/api']);
    });

    it('asks to sign in for account operations without sending a request', async () => {
      const p = makeProvider(hub, undefined);
      await assert.rejects(p.hub.listPersonalAccessTokens(undefined), (e: unknown) => e instanceof UnauthorizedError && /Sign in to Docker Hub/.test(e.message));
      assert.equal(hub.requests.length, 0);
    });
  });

  describe('sign-in', () => {
    it('signs in with a personal access token once and lists user, organizations and configured namespaces', async () => {
      const p = makeProvider(hub, { username: 'demo', secret: pat }, { namespaces: ['library', 'acme'] });
      const ns = await p.listNamespaces(undefined);
      assert.deepEqual(ns.items.map((n) => n.name), ['demo', 'acme', 'zeta', 'library']);
      assert.equal(ns.items[0]!.description, 'Your account');
      assert.match(ns.items[1]!.description!, /Organization/);
      await p.listRepositories('acme', undefined);
      await p.listTags('library/alpine', undefined);
      assert.equal(hub.requests.filter((r) => r.path === '/v2/auth/token').length, 1, 'the token is reused');
      assert.ok(hub.requests.filter((r) => r.path !== '/v2/auth/token').every((r) => r.auth === 'bearer'));
      const repos = await p.listRepositories('acme', undefined);
      assert.deepEqual(repos.items.map((r) => [r.name, r.isPrivate]), [['acme/api', false], ['acme/secret', true]]);
    });

    it('tolerates a Hub without /v2/user/orgs/', async () => {
      hub.setUserOrgs(false);
      const p = makeProvider(hub, { username: 'demo', secret: pat }, { namespaces: ['library'] });
      assert.deepEqual((await p.listNamespaces(undefined)).items.map((n) => n.name), ['demo', 'library']);
      assert.ok(hub.requests.some((r) => r.path === '/v2/user/orgs/' && r.status === 404));
    });

    it('refreshes the token before it expires, never waiting for a 401', async () => {
      let clock = Date.now();
      await hub.close();
      hub = await startHubServer({ now: () => clock, tokenLifetimeSeconds: 600 });
      hub.addUser('demo', 'demo-password');
      hub.addRepository('demo', 'hello');
      const p = makeProvider(hub, { username: 'demo', secret: 'demo-password' }, {}, { now: () => clock });
      await p.listRepositories('demo', undefined);
      clock += 500_000; // 100 s left: still fine
      await p.listRepositories('demo', undefined);
      assert.equal(hub.requests.filter((r) => r.path === '/v2/auth/token').length, 1);
      clock += 45_000; // 55 s left: inside the refresh margin
      await p.listRepositories('demo', undefined);
      assert.equal(hub.requests.filter((r) => r.path === '/v2/auth/token').length, 2);
      assert.equal(hub.requests.filter((r) => r.status === 401).length, 0);
    });

    it('gets a new token once when Hub rejects the current one, then succeeds', async () => {
      let serverClock = Date.now();
      await hub.close();
      hub = await startHubServer({ now: () => serverClock });
      hub.addUser('demo', 'demo-password');
      hub.addRepository('demo', 'hello');
      const p = makeProvider(hub, { username: 'demo', secret: 'demo-password' });
      await p.listRepositories('demo', undefined);
      serverClock += 3_600_000; // the server thinks the token expired long ago; the client's clock disagrees
      const r = await p.listRepositories('demo', undefined);
      assert.equal(r.items.length, 1);
      assert.deepEqual(hub.requests.map((x) => `${x.method} ${x.path} ${x.status}`), [
        'POST /v2/auth/token 200',
        'GET /v2/namespaces/demo/repositories 200',
        'GET /v2/namespaces/demo/repositories 401',
        'POST /v2/auth/token 200',
        'GET /v2/namespaces/demo/repositories 200',
      ]);
    });

    it('turns rejected credentials into UnauthorizedError asking to sign in again, without the secret', async () => {
      const p = makeProvider(hub, { username: 'demo', secret: 'dckr_pat_wrong-secret' });
      await assert.rejects(p.listRepositories('demo', undefined), (e: unknown) => {
        assert.ok(e instanceof UnauthorizedError);
        assert.match(e.message, /sign in again/);
        assert.doesNotMatch(e.message + String(e.request), /wrong-secret/);
        return true;
      });
      const ping = await p.ping();
      assert.equal(ping.ok, false);
      assert.equal(ping.error?.kind, 'unauthorized');
    });

    it('reads expiry and user name from the token without verifying it', () => {
      const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      assert.deepEqual(readHubTokenClaims(`${enc({ alg: 'none' })}.${enc({ exp: 100, 'https://hub.docker.com': { username: 'x' } })}.sig`), { expiresAt: 100_000, username: 'x' });
      assert.deepEqual(readHubTokenClaims('not-a-jwt'), {});
      assert.deepEqual(readHubTokenClaims(`a.${enc('str')}.c`), {});
    });
  });

  describe('paging', () => {
    it('pages repositories with one request per page, passing name filter and ordering', async () => {
      for (let i = 0; i < 250; i++) hub.addRepository('acme', `svc-${String(i).padStart(3, '0')}`, { pullCount: i });
      const p = makeProvider(hub, undefined);
      hub.clearRequests();
      const first = await p.listRepositories('acme', undefined);
      assert.equal(first.items.length, 100);
      assert.ok(first.next);
      const second = await p.listRepositories('acme', first.next);
      const third = await p.listRepositories('acme', second.next);
      assert.equal(second.items.length, 100);
      assert.equal(third.items.length, 51, '250 + acme/api');
      assert.equal(third.next, undefined);
      assert.equal(hub.requests.length, 3);

      const filtered = await p.hub.listRepositories('acme', undefined, { name: 'svc-24', ordering: '-pull_count' });
      assert.deepEqual(filtered.items.map((r) => r.name), ['acme/svc-249', 'acme/svc-248', 'acme/svc-247', 'acme/svc-246', 'acme/svc-245', 'acme/svc-244', 'acme/svc-243', 'acme/svc-242', 'acme/svc-241', 'acme/svc-240']);
      const q = new URLSearchParams(hub.requests.at(-1)!.query);
      assert.equal(q.get('name'), 'svc-24');
      assert.equal(q.get('ordering'), '-pull_count');
      assert.equal(q.get('page_size'), '100');
    });

    it('uses the configured default ordering', async () => {
      const p = makeProvider(hub, undefined, {}, { repositoryOrdering: '-last_updated' });
      await p.listRepositories('acme', undefined);
      assert.equal(new URLSearchParams(hub.requests.at(-1)!.query).get('ordering'), '-last_updated');
    });

    it('lists 5,000 tags in exactly 50 requests of 100 (Load more: one request per page)', async function () {
      this.timeout(30_000);
      hub.addRepository('acme', 'big');
      hub.addTags('acme', 'big', 5000);
      const p = makeProvider(hub, undefined);
      hub.clearRequests();
      const names = new Set<string>();
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await p.listTags('acme/big', cursor);
        pages++;
        assert.equal(tagRequests(hub).length, pages, 'one request per page, nothing fetched ahead');
        for (const t of page.items) names.add(t.name);
        cursor = page.next;
      } while (cursor);
      assert.equal(pages, 50);
      assert.equal(names.size, 5000);
      assert.equal(hub.requests.length, 50);
      assert.ok(tagRequests(hub).every((r) => new URLSearchParams(r.query).get('page_size') === '100'));
    });

    it('takes only the path and query of a next link that names another host, and asks the configured origin', async () => {
      hub.addTags('demo', 'hello', 3);
      hub.setFault({ kind: 'wrongType', path: '/v2/namespaces/demo/repositories/hello/tags', field: 'next', value: 'http://127.0.0.2:9/v2/namespaces/demo/repositories/hello/tags?page=2&page_size=1' });
      const p = makeProvider(hub, { username: 'demo', secret: pat });
      const first = await p.listTags('demo/hello', undefined, { pageSize: 1 });
      assert.equal(first.next, `${hub.url}/v2/namespaces/demo/repositories/hello/tags?page=2&page_size=1`);
      hub.setFault(undefined);
      const second = await p.listTags('demo/hello', first.next);
      assert.equal(second.items.length, 1);
      // A stored cursor naming another host is asked of the configured origin too (nothing listens on 127.0.0.2:9).
      const third = await p.listTags('demo/hello', 'http://127.0.0.2:9/v2/namespaces/demo/repositories/hello/tags?page=3&page_size=1');
      assert.equal(third.items.length, 1);
    });
  });

  describe('tags', () => {
    it('maps size, digest, push/pull times and platforms from images[] with no request per tag', async () => {
      const p = makeProvider(hub, undefined);
      const page = await p.listTags('library/alpine', undefined);
      assert.equal(hub.requests.length, 1);
      const latest = page.items.find((t) => t.name === 'latest')!;
      assert.match(latest.digest!, /^sha256:[0-9a-f]{64}$/);
      assert.equal(latest.lastPulled, '2024-06-01T00:00:00.000Z');
      assert.ok(latest.lastPushed);
      assert.deepEqual(latest.platforms!.map((x) => [x.os, x.architecture, x.variant]), [['linux', 'amd64', undefined], ['linux', 'arm64', 'v8'], ['linux', 'arm', 'v7']]);
      assert.ok(latest.platforms!.every((x) => /^sha256:/.test(x.digest!) && typeof x.size === 'number'));
      assert.equal(latest.size, latest.platforms!.reduce((n, x) => n + x.size!, 0));
      const single = page.items.find((t) => t.name === '3.20')!;
      assert.equal(single.digest, single.platforms![0]!.digest, 'a single image: its digest is the tag digest');
    });

    it('reads the spec-literal single image object too', async () => {
      hub.setShapes('literal');
      const p = makeProvider(hub, undefined);
      const latest = (await p.listTags('library/alpine', undefined)).items.find((t) => t.name === 'latest') as Tag;
      assert.equal(latest.platforms!.length, 1);
      assert.equal(latest.platforms![0]!.architecture, 'amd64');
    });

    it('plans and deletes a tag (Hub deletes the tag only)', async () => {
      hub.addTags('demo', 'hello', 3);
      const p = makeProvider(hub, { username: 'demo', secret: pat });
      const plan = await p.planDeleteTag('demo/hello', 'v1');
      assert.deepEqual(plan.affectedTags, ['v1']);
      assert.equal(plan.byDigest, false, 'Hub removes only the tag');
      assert.match(plan.digest, /^sha256:/);
      await p.deleteTag(plan);
      assert.deepEqual(hub.repository('demo', 'hello')!.tags.sort(), ['v0', 'v2']);
      assert.ok(hub.requests.some((r) => r.method === 'DELETE' && r.path === '/v2/repositories/demo/hello/tags/v1/' && r.status === 204));
    });

    it('splits repository names, with library for official images', () => {
      assert.deepEqual(splitRepository('alpine'), ['library', 'alpine']);
      assert.deepEqual(splitRepository('acme/api'), ['acme', 'api']);
    });
  });

  describe('registry side', () => {
    it('reads tag details from the registry with its Bearer challenge, using the same account', async () => {
      const reg = await startOciServer({ auth: { type: 'bearer', username: 'demo', password: pat } });
      try {
        const digest = reg.addImage('demo/hello', ['v1'], { platforms: ['linux/amd64', 'linux/arm64'] });
        const p = makeProvider(hub, { username: 'demo', secret: pat }, { registryUrl: reg.url });
        assert.equal(p.capabilities.tagDetails, true);
        assert.equal(p.pullHost(), reg.host);
        const d = await p.getTagDetails('demo/hello', 'v1');
        assert.equal(d.digest, digest);
        assert.equal(d.isIndex, true);
        assert.deepEqual(d.platforms.map((x) => x.architecture).sort(), ['amd64', 'arm64']);
        assert.ok(reg.count('token') >= 1, 'the token came from the realm the registry named');
        assert.equal(hub.requests.length, 0, 'the Hub API is not involved');

        const health = await p.ping();
        assert.equal(health.ok, true);
        assert.equal(health.details!.Registry, 'reachable');
        assert.equal(health.details!['Hub API'], 'reachable');
      } finally {
        await reg.close();
      }
    });

    it('image details carry the repository overview (full description) for the panel; without one, none', async () => {
      const reg = await startOciServer({ auth: { type: 'bearer', username: 'demo', password: pat } });
      try {
        reg.addImage('demo/hello', ['v1'], {});
        reg.addImage('acme/api', ['v1'], {});
        const p = makeProvider(hub, { username: 'demo', secret: pat }, { registryUrl: reg.url });
        await p.hub.updateRepository('demo', 'hello', { fullDescription: '# hello\n\nA **tiny** image.' });
        const d = await p.getImageDetails('demo/hello', 'v1');
        assert.equal(d.overview, '# hello\n\nA **tiny** image.');
        assert.equal(d.images.length, 1);
        const none = await p.getImageDetails('acme/api', 'v1');
        assert.equal(none.overview, undefined);
      } finally {
        await reg.close();
      }
    });

    it('has no registry side (no tag details, no registry ping) for a local Hub without registryUrl', async () => {
      const p = makeProvider(hub, undefined);
      assert.equal(p.capabilities.tagDetails, false);
      assert.equal(p.pullHost(), new URL(hub.url).host);
      const health = await p.ping();
      assert.equal(health.details!.Registry, undefined);
    });

    it('reports an unreachable registry in health while the Hub API is fine', async () => {
      const p = makeProvider(hub, undefined, { registryUrl: 'http://127.0.0.1:9' });
      const health = await p.ping();
      assert.equal(health.ok, false);
      assert.equal(health.details!['Hub API'], 'reachable');
      assert.notEqual(health.details!.Registry, 'reachable');
    });
  });

  describe('rate limits', () => {
    it('reads X-RateLimit-* on every response and reports them in ping()', async () => {
      hub.setRateLimit(180, 42, 60);
      const p = makeProvider(hub, undefined);
      await p.listRepositories('acme', undefined);
      const r = p.rateLimit()!;
      assert.equal(r.limit, 180);
      assert.equal(r.remaining, 41);
      assert.ok(r.resetAt! > Date.now() && r.resetAt! <= Date.now() + 61_000);
      const ping = await p.ping();
      assert.equal(ping.ok, true);
      assert.equal(ping.details!['Rate limit'], '40/180 remaining');
      assert.equal(ping.details!['Hub API'], 'reachable');
    });

    it('reads the figures from error responses too, and names what was asked for in the typed error', async () => {
      hub.setRateLimit(50, 10, 60);
      const p = makeProvider(hub, undefined);
      await assert.rejects(p.listTags('acme/missing', undefined), (e: unknown) => e instanceof NotFoundError && /The tags of acme\/missing: not found \(404\)/.test(e.message));
      assert.equal(hub.requests.at(-1)!.status, 404);
      assert.equal(p.rateLimit()!.remaining, 9);
    });

    it('returns a long Retry-After as RateLimitedError, and later requests fail at once without being sent', async () => {
      const p = makeProvider(hub, undefined);
      hub.rateLimitNext(1, 3600);
      await assert.rejects(p.listTags('library/alpine', undefined), (e: unknown) => e instanceof RateLimitedError && e.retryAfterMs === 3_600_000);
      await assert.rejects(p.listRepositories('acme', undefined), (e: unknown) => e instanceof RateLimitedError && /try again in 3[56]\d\d s/.test(e.message));
      assert.equal(hub.requests.length, 1, 'nothing sent while Hub asked to wait');
    });

    it('waits per Retry-After on 429 and then succeeds', async function () {
      this.timeout(10_000);
      const p = makeProvider(hub, undefined);
      hub.rateLimitNext(1, 1);
      const started = Date.now();
      const page = await p.listTags('library/alpine', undefined);
      assert.equal(page.items.length, 2);
      assert.ok(Date.now() - started >= 950, 'waited about a second');
      assert.deepEqual(hub.requests.map((r) => r.status), [429, 200]);
    });

    it('shows a retried 429 (Retry-After: 1): one retry, the rate-limit headers of the 429 read, the wait reported', async function () {
      this.timeout(10_000);
      hub.setRateLimit(100, 50, 60);
      const seen: Array<{ status: number; remaining?: string }> = [];
      const waits: number[] = [];
      const transport = hubTransport(new HttpTransport({ timeoutMs: 5_000, maxRetries: 2 }));
      transport.onResponse = (res) => seen.push({ status: res.status, remaining: res.header('x-ratelimit-remaining') });
      const ctx: ProviderContext = {
        connection: { id: 'hub', kind: 'dockerhub', url: hub.url },
        credentials: async () => undefined,
        logger: silentLogger,
        onRateLimitWait: ({ waitMs }) => waits.push(waitMs),
      };
      const p = new DockerHubProvider(ctx, { transport, registry: null });
      made.push(p);
      try {
        hub.rateLimitNext(1, 1);
        const page = await p.listTags('library/alpine', undefined);
        assert.equal(page.items.length, 2);
        assert.deepEqual(hub.requests.map((r) => r.status), [429, 200], 'one retry');
        assert.deepEqual(seen, [{ status: 429, remaining: '0' }, { status: 200, remaining: '49' }]);
        assert.equal(waits.length, 1, 'the wait was reported once');
        assert.ok(waits[0]! >= 900 && waits[0]! <= 1000, `reported wait ${waits[0]} ms`);
        assert.equal(p.rateLimit()!.remaining, 49);
      } finally {
        transport.http.dispose();
      }
    });

    it('keeps other requests off Hub while a 429 is waited out', async function () {
      this.timeout(10_000);
      const p = makeProvider(hub, undefined);
      hub.rateLimitNext(1, 1);
      const first = p.listTags('library/alpine', undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await Promise.all([first, p.listRepositories('acme', undefined)]);
      const limited = hub.requests.filter((r) => r.status === 429);
      assert.equal(limited.length, 1);
      assert.equal(hub.requests.length, 3);
      assert.ok(hub.requests.filter((r) => r.status === 200).every((r) => r.at >= limited[0]!.at + 950), 'nothing sent before Retry-After');
    });

    it('holds requests once Hub says the window is used up, instead of running into 429s', async function () {
      this.timeout(10_000);
      const p = makeProvider(hub, undefined);
      hub.setRateLimit(100, 1, 1);
      await p.listRepositories('acme', undefined); // the last allowed request: remaining 0
      assert.equal(p.rateLimit()!.remaining, 0);
      const started = Date.now();
      const results = await Promise.all([p.listRepositories('acme', undefined), p.listRepositories('library', undefined), p.listTags('library/alpine', undefined)]);
      assert.equal(results.length, 3);
      assert.equal(hub.requests.filter((r) => r.status === 429).length, 0, 'no request met the exhausted window');
      assert.ok(Date.now() - started >= 500, 'waited for the reset');
    });

    it('retries requests that met a 429 only after Retry-After', async function () {
      this.timeout(10_000);
      const p = makeProvider(hub, undefined);
      hub.rateLimitNext(3, 1);
      await Promise.all([p.listRepositories('acme', undefined), p.listRepositories('library', undefined), p.listTags('library/alpine', undefined)]);
      const limited = hub.requests.filter((r) => r.status === 429);
      const retried = hub.requests.filter((r) => r.status === 200);
      assert.equal(limited.length, 3);
      assert.equal(retried.length, 3);
      const firstLimit = Math.min(...limited.map((r) => r.at));
      assert.ok(retried.every((r) => r.at >= firstLimit + 950), 'no retry before Retry-After');
    });
  });

  describe('bad responses', () => {
    it('reports malformed JSON as BadResponseError', async () => {
      hub.setFault({ kind: 'malformed', path: '/v2/namespaces/library/repositories/alpine/tags' });
      const p = makeProvider(hub, undefined);
      await assert.rejects(p.listTags('library/alpine', undefined), (e: unknown) => e instanceof BadResponseError && /malformed JSON/.test(e.message));
    });

    it('names the field of a wrong type', async () => {
      hub.setFault({ kind: 'wrongType', path: '/v2/namespaces/library/repositories/alpine/tags', field: 'results.1.full_size', value: '7 MB' });
      const p = makeProvider(hub, undefined);
      await assert.rejects(p.listTags('library/alpine', undefined), (e: unknown) => e instanceof BadResponseError && /field results\[1\]\.full_size/.test(e.message));
      hub.setFault({ kind: 'wrongType', path: '/v2/namespaces/acme/repositories', field: 'results.0.is_private', value: 'yes' });
      await assert.rejects(p.listRepositories('acme', undefined), /field results\[0\]\.is_private/);
      hub.setFault({ kind: 'wrongType', path: '/v2/namespaces/library/repositories/alpine/tags', field: 'results.0.images.0.architecture', value: 64 });
      await assert.rejects(p.listTags('library/alpine', undefined), /field results\[0\]\.images/);
    });

    it('reports a missing access_token in the sign-in response', async () => {
      hub.setFault({ kind: 'wrongType', path: '/v2/auth/token', field: 'access_token', value: null });
      const p = makeProvider(hub, { username: 'demo', secret: pat });
      await assert.rejects(p.listRepositories('demo', undefined), /sign-in response: field access_token/);
    });
  });

  describe('repository editing and immutable tags', () => {
    it('creates, updates (descriptions and visibility) and deletes a repository', async () => {
      const p = makeProvider(hub, { username: 'demo', secret: pat });
      const created = await p.hub.createRepository({ namespace: 'acme', name: 'new-app', description: 'New', fullDescription: '# New', isPrivate: true });
      assert.equal(created.name, 'acme/new-app');
      assert.equal(created.isPrivate, true);
      assert.equal(created.fullDescription, '# New');
      const updated = await p.hub.updateRepository('acme', 'new-app', { description: 'Renamed', fullDescription: '# Renamed', isPrivate: false });
      assert.equal(updated.description, 'Renamed');
      assert.equal(updated.isPrivate, false);
      assert.deepEqual(hub.repository('acme', 'new-app'), { isPrivate: false, description: 'Renamed', fullDescription: '# Renamed', tags: [], immutable: { enabled: false, rules: [] } });
      await p.hub.deleteRepository('acme', 'new-app');
      assert.equal(hub.repository('acme', 'new-app'), undefined);
    });

    it('sets, reads and verifies immutable-tag rules', async () => {
      hub.addTags('acme', 'api', 12);
      hub.addTag('acme', 'api', { name: 'latest' });
      const p = makeProvider(hub, { username: 'demo', secret: pat });
      assert.deepEqual(await p.hub.getImmutableTags('acme', 'api'), { enabled: false, rules: [] });
      assert.deepEqual((await p.hub.verifyImmutableTags('acme', 'api', 'v1[0-9]*')).sort(), ['v1', 'v10', 'v11']);
      const saved = await p.hub.setImmutableTags('acme', 'api', { enabled: true, rules: ['v1[0-9]*', 'latest'] });
      assert.deepEqual(saved, { enabled: true, rules: ['v1[0-9]*', 'latest'] });
      assert.deepEqual(await p.hub.getImmutableTags('acme', 'api'), saved);
    });

    it('surfaces a read-only token as a forbidden error', async () => {
      const readOnly = hub.createPat('demo', { label: 'ro', scopes: ['repo:read'] });
      const p = makeProvider(hub, { username: 'demo', secret: readOnly });
      await assert.rejects(p.hub.createRepository({ namespace: 'demo', name: 'nope' }), (e: unknown) => (e as { kind?: string }).kind === 'forbidden');
    });
  });
});
