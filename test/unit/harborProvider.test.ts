import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { PlanChangedError } from '../../src/registry/deletePlan';
import { BadResponseError, ForbiddenError, NotFoundError, UnauthorizedError } from '../../src/registry/errors';
import { descriptor } from '../../src/registry/harbor/descriptor';
import { HarborProvider } from '../../src/registry/harbor/provider';
import { descriptors } from '../../src/registry/kinds';
import type { Page } from '../../src/registry/paging';
import { addArtifact, addProject, addRepository } from '../servers/harborData';
import { HARBOR_ADMIN, HARBOR_ROBOT, seedHarbor } from '../servers/harborSeed';
import { type HarborServer, startHarborServer } from '../servers/harborServer';

export function harborProvider(s: { url: string }, user?: { username: string; password: string }, namespaces?: string[]): HarborProvider {
  return new HarborProvider({
    connection: { id: 'h', kind: 'harbor', url: s.url, username: user?.username, namespaces },
    credentials: () => Promise.resolve(user ? { username: user.username, secret: user.password } : undefined),
    logger: silentLogger,
    http: { maxRetries: 0, timeoutMs: 5000 },
  });
}

async function all<T>(f: (c: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let c: string | undefined;
  for (let i = 0; i < 100; i++) {
    const p = await f(c);
    out.push(...p.items);
    if (p.error) throw p.error;
    if (!p.next) return out;
    c = p.next;
  }
  throw new Error('too many pages');
}

describe('Harbor provider', () => {
  let h: HarborServer;
  let admin: HarborProvider;
  let robot: HarborProvider;
  before(async () => {
    h = await startHarborServer();
    await seedHarbor(h);
    admin = harborProvider(h, HARBOR_ADMIN);
    robot = harborProvider(h, HARBOR_ROBOT);
  });
  after(async () => {
    admin.dispose();
    robot.dispose();
    await h.close();
  });
  afterEach(() => {
    h.clearFaults();
    assert.deepEqual(h.violations, []);
  });

  it('is a registered kind with namespaces, loaded through its descriptor', async () => {
    assert.ok(descriptors.includes(descriptor));
    assert.equal(descriptor.label, 'Harbor');
    assert.equal(descriptor.namespaces, true);
    const p = (await descriptor.load())({ connection: { id: 'x', kind: 'harbor', url: h.url }, credentials: () => Promise.resolve(undefined), logger: silentLogger });
    assert.equal(p.kind, 'harbor');
    assert.equal(p.capabilities.serverRepositoryFilter, true);
    p.dispose();
  });

  it('lists projects with public/private, repository count and the proxy-cache badge, over Basic auth', async () => {
    const ns = await all((c) => admin.listNamespaces(c, { pageSize: 2 }));
    const by = Object.fromEntries(ns.map((n) => [n.name, n.description]));
    assert.equal(by['team-a'], 'private · 2 repositories');
    assert.equal(by.library, 'public · 1 repository');
    assert.equal(by['dockerhub-proxy'], 'public · 0 repositories · proxy cache');
    const req = h.requests.find((r) => r.path === '/api/v2.0/projects')!;
    assert.match(req.authorization ?? '', /^Basic /);
    assert.match(req.query, /page_size=2/);
  });

  it('pages with page/page_size, following Link rel="next" (X-Total-Count alone also works)', async () => {
    addProject(h.state, 'paged', { public: true });
    for (let i = 0; i < 7; i++) addRepository(h.state, `paged/r${i}`);
    const first = await admin.listRepositories('paged', undefined, { pageSize: 3 });
    assert.equal(first.items.length, 3);
    assert.equal(first.next, '2');
    const names = (await all((c) => admin.listRepositories('paged', c, { pageSize: 3 }))).map((r) => r.name);
    assert.equal(names.length, 7);
    // A Harbor behind a proxy that drops Link: a full page and X-Total-Count still tell there is more.
    const three = [{ name: 'paged/x' }, { name: 'paged/y' }, { name: 'paged/z' }];
    h.fault({ path: /\/projects\/paged\/repositories$/, status: 200, body: three, headers: { 'X-Total-Count': '7' }, times: 1 });
    assert.equal((await admin.listRepositories('paged', undefined, { pageSize: 3 })).next, '2');
    h.fault({ path: /\/projects\/paged\/repositories$/, status: 200, body: three, times: 1 });
    assert.equal((await admin.listRepositories('paged', undefined, { pageSize: 3 })).next, undefined, 'no Link and no X-Total-Count: the last page');
  });

  it('stops a Link that does not go forward with a clear error after the items', async () => {
    const link = '</api/v2.0/projects?page=1&page_size=100>; rel="next"';
    h.fault({ path: /\/projects$/, status: 200, body: [{ name: 'loop' }], headers: { Link: link }, times: 1 });
    const p = await admin.listNamespaces(undefined, {});
    assert.deepEqual(p.items.map((n) => n.name), ['loop']);
    assert.equal(p.next, undefined);
    assert.match(p.error!.message, /does not go forward/);
  });

  it('filters repositories on the server (q=name=~…) and sorts them (sort=…)', async () => {
    const page = await admin.listRepositories('team-a', undefined, { nameFilter: 'cli', ordering: '-pull_count' });
    assert.deepEqual(page.items.map((r) => r.name), ['team-a/tools/cli']);
    const req = h.requests.filter((r) => r.path === '/api/v2.0/projects/team-a/repositories').at(-1)!;
    const q = new URLSearchParams(req.query);
    assert.equal(q.get('q'), 'name=~cli');
    assert.equal(q.get('sort'), '-pull_count');
    await assert.rejects(admin.listRepositories('team-a', undefined, { ordering: 'stars' }), BadResponseError);
  });

  it('shows repositories with artifact count, pulls, last update and description', async () => {
    const repos = await all((c) => admin.listRepositories('team-a', c, {}));
    const app = repos.find((r) => r.name === 'team-a/app')!;
    assert.equal(app.namespace, 'team-a');
    assert.equal(app.pullCount, 42);
    assert.equal(app.description, 'The app service');
    assert.equal(app.lastUpdated, '2024-06-01T00:00:00.000Z');
    assert.deepEqual(app.facts, ['4 artifacts']);
  });

  it('encodes a repository name inside the project twice (a/b → a%252Fb)', async () => {
    const tags = await all((c) => admin.listTags('team-a/tools/cli', c, {}));
    assert.deepEqual(tags.map((t) => t.name), ['v1']);
    assert.ok(h.requests.some((r) => r.path === '/api/v2.0/projects/team-a/repositories/tools%252Fcli/artifacts'));
  });

  it('lists artifacts as rows: tags, digest, type, size, platforms of an index, accessories, scan badge and status', async () => {
    const rows = await all((c) => admin.listTags('team-a/app', c, {}));
    const q = new URLSearchParams(h.requests.filter((r) => r.path.endsWith('/app/artifacts')).at(-1)!.query);
    for (const k of ['with_tag', 'with_scan_overview', 'with_accessory', 'with_label']) assert.equal(q.get(k), 'true', k);
    assert.equal(q.get('sort'), '-push_time');
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    assert.deepEqual(Object.keys(by).length, 4, 'one row per artifact, the platform artifacts of the index not listed');
    const latest = by.latest!;
    assert.match(latest.digest!, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(latest.platforms!.map((p) => `${p.os}/${p.architecture}`), ['linux/amd64', 'linux/arm64']);
    assert.ok(latest.facts!.includes('tags: latest, 2.0'));
    assert.ok(latest.facts!.includes('index (2 platforms)'));
    const signed = by['1.1']!;
    assert.deepEqual(signed.vulnerabilities, { critical: 1, high: 1, medium: 1, low: 1 });
    assert.ok(signed.facts!.includes('signed (cosign)'));
    assert.ok(signed.facts!.includes('SBOM'));
    assert.ok(signed.facts!.includes('labels: release'));
    assert.deepEqual(signed.platforms!.map((p) => p.architecture), ['amd64']);
    assert.equal(signed.lastPulled, undefined, "Harbor's zero time is 'never pulled'");
    assert.ok(by['1.0']!.facts!.includes('scanning 40%'));
    assert.equal(by['1.0']!.vulnerabilities, undefined);
    const untagged = rows.find((r) => r.facts?.includes('untagged'))!;
    assert.equal(untagged.name, untagged.digest, 'an untagged artifact is named by its digest');
  });

  it('reads tag details from the artifact, and image details through /v2/ with a token from /service/token', async () => {
    const d = await admin.getTagDetails('team-a/app', 'latest');
    assert.equal(d.isIndex, true);
    assert.equal(d.platforms.length, 2);
    assert.deepEqual(d.vulnerabilities, { critical: 1, high: 1, medium: 1, low: 1 });
    const img = await robot.getImageDetails('team-a/app', 'latest');
    assert.equal(img.isIndex, true);
    assert.equal(img.images.length, 2);
    assert.ok(h.requests.some((r) => r.path === '/service/token' && /^Basic /.test(r.authorization ?? '')));
    const cli = await admin.getImageDetails('team-a/tools/cli', 'v1');
    assert.ok(cli.images[0]!.layers.length > 0);
  });

  it('maps the vulnerability report (v1.1) with CVSS, versions, links, and the project allowlist marked, not hidden', async () => {
    const r = await admin.getScanReport('team-a/app', '1.1');
    assert.equal(r.status, 'completed');
    assert.equal(r.scanner, 'Trivy v0.50.0');
    assert.equal(r.vulnerabilities.length, 4);
    assert.equal(r.counts.critical, 1);
    const crit = r.vulnerabilities.find((v) => v.id === 'CVE-2024-0001')!;
    assert.deepEqual([crit.packageName, crit.installedVersion, crit.fixedVersion, crit.cvss], ['openssl', '3.0.1', '3.0.13', 9.8]);
    assert.deepEqual(crit.links, ['https://avd.aquasec.com/nvd/cve-2024-0001']);
    const allowed = r.vulnerabilities.find((v) => v.id === 'CVE-2024-0003')!;
    assert.equal(allowed.allowlisted, true);
    assert.match(allowed.description!, /^\[Allowlisted/);
    assert.equal(crit.allowlisted, undefined);
    assert.match(r.message!, /1 of 4 .*allowlist/);
    const req = h.requests.find((x) => x.path.endsWith('/additions/vulnerabilities'))!;
    assert.ok(req);
  });

  it('uses the system allowlist when the project reuses it', async () => {
    h.state.projects.get('team-a')!.metadata.reuse_sys_cve_allowlist = 'true';
    try {
      const p = harborProvider(h, HARBOR_ADMIN);
      const r = await p.getScanReport('team-a/app', '1.1');
      assert.deepEqual(r.vulnerabilities.filter((v) => v.allowlisted).map((v) => v.id), ['CVE-2024-0002']);
      p.dispose();
    } finally {
      h.state.projects.get('team-a')!.metadata.reuse_sys_cve_allowlist = 'false';
    }
  });

  it('reports each platform of an index, and says when a scan is running or missing', async () => {
    const first = await admin.getScanReport('team-a/app', 'latest');
    assert.deepEqual(first.platforms, ['linux/amd64', 'linux/arm64']);
    assert.equal(first.platform, 'linux/amd64');
    assert.equal(first.vulnerabilities.length, 4);
    const arm = await admin.getScanReport('team-a/app', 'latest', undefined, 'linux/arm64');
    assert.equal(arm.platform, 'linux/arm64');
    assert.equal(arm.vulnerabilities.length, 3);
    const running = await admin.getScanReport('team-a/app', '1.0');
    assert.equal(running.status, 'scanning');
    assert.match(running.message!, /running/);
    const never = await admin.getScanReport('team-a/tools/cli', 'v1');
    assert.equal(never.status, 'notScanned');
    assert.match(never.message!, /no scanner/);
  });

  it('pings /health (components in details) and /systeminfo (version, auth mode)', async () => {
    const r = await admin.ping();
    assert.equal(r.ok, true);
    assert.equal(r.details!.version, 'v2.11.0-fake');
    assert.equal(r.details!['auth mode'], 'db_auth');
    assert.equal(r.details!.trivy, 'healthy');
    const sick = await startHarborServer({ unhealthy: ['redis'], noRegistry: true });
    try {
      const p = harborProvider(sick);
      const bad = await p.ping();
      assert.equal(bad.ok, false);
      assert.match(bad.error!.message, /redis is not healthy/);
      assert.equal(bad.details!.redis, 'unhealthy: redis is down');
      p.dispose();
    } finally {
      await sick.close();
    }
    h.fault({ path: /^\/api\/v2\.0\/health$/, status: 404, body: '404 page not found', times: 1 });
    const old = await admin.ping();
    assert.equal(old.error?.kind, 'unsupported');
    assert.match(old.error!.message, /No Harbor 2\.x API at this URL/);
  });

  it('plans an artifact delete naming every tag, deletes by digest, and refuses when the tags changed', async () => {
    addRepository(h.state, 'team-a/del');
    const a = addArtifact(h.state, 'team-a/del', { tags: ['one', 'two'] });
    const plan = await admin.planDeleteTag('team-a/del', 'one');
    assert.deepEqual(plan, { repository: 'team-a/del', tag: 'one', digest: a.digest, affectedTags: ['one', 'two'], byDigest: true });
    a.tags.push({ id: 99999, name: 'three' });
    await assert.rejects(admin.deleteTag(plan), (e: unknown) => e instanceof PlanChangedError && /now also three/.test(e.message));
    assert.equal(h.state.artifacts.get('team-a/del')!.length, 1);
    const again = await admin.planDeleteTag('team-a/del', 'one');
    await admin.deleteTag(again);
    assert.equal(h.state.artifacts.get('team-a/del')!.length, 0);
    assert.ok(h.requests.some((r) => r.method === 'DELETE' && r.path === `/api/v2.0/projects/team-a/repositories/del/artifacts/${encodeURIComponent(a.digest)}`));
  });

  it('gives clear typed errors: a rejected robot (401), a guest deleting (403), a missing artifact (404)', async () => {
    const wrong = harborProvider(h, { username: HARBOR_ROBOT.username, password: 'nope' });
    await assert.rejects(wrong.listTags('team-a/app', undefined, {}), (e: unknown) => e instanceof UnauthorizedError && /robot account robot\$team-a\+ci/.test(e.message));
    wrong.dispose();
    const guest = harborProvider(h, { username: 'guest', password: 'guest-password' });
    const plan = await guest.planDeleteTag('team-a/app', '1.0');
    await assert.rejects(guest.deleteTag(plan), (e: unknown) => e instanceof ForbiddenError && /delete artifact/.test(e.message));
    guest.dispose();
    const robotPlan = await robot.planDeleteTag('team-a/app', '1.0');
    await assert.rejects(robot.deleteTag(robotPlan), (e: unknown) => e instanceof ForbiddenError && /robot account needs that permission/.test(e.message));
    await assert.rejects(admin.getTagDetails('team-a/app', 'nope'), NotFoundError);
  });

  it("lists a project robot's own project, which Harbor leaves out of its project listing", async () => {
    const ns = await all((c) => robot.listNamespaces(c, {}));
    assert.ok(ns.some((n) => n.name === 'library'), 'the public projects Harbor lists');
    assert.deepEqual(ns.filter((n) => n.name === 'team-a'), [{ name: 'team-a', description: 'from the robot account or the settings' }]);
  });

  it("gives a robot its report when Harbor refuses it the project (no allowlist marks, said so)", async () => {
    const r = await robot.getScanReport('team-a/app', '1.1');
    assert.equal(r.vulnerabilities.length, 4);
    assert.equal(r.vulnerabilities.filter((v) => v.allowlisted).length, 0);
    assert.match(r.message!, /CVE allowlist could not be read .*403/);
  });

  it('lets a project robot see its own project when it may not list projects', async () => {
    h.fault({ path: /^\/api\/v2\.0\/projects$/, status: 403, times: 1 });
    const ns = await robot.listNamespaces(undefined, {});
    assert.deepEqual(ns.items.map((n) => n.name), ['team-a']);
    // Rejected credentials stay an error (the tree offers Sign In), whatever the settings list.
    h.fault({ path: /^\/api\/v2\.0\/projects$/, status: 401, times: 1 });
    await assert.rejects(robot.listNamespaces(undefined, {}), UnauthorizedError);
  });

  it('turns odd data into clear errors', async () => {
    h.fault({ path: /\/app\/artifacts$/, status: 200, body: [{ digest: 'md5:abc' }], times: 1 });
    await assert.rejects(admin.listTags('team-a/app', undefined, {}), (e: unknown) => e instanceof BadResponseError && /digest/.test(e.message));
    h.fault({ path: /\/app\/artifacts$/, status: 200, body: '{"not":"a list"}', times: 1 });
    await assert.rejects(admin.listTags('team-a/app', undefined, {}), BadResponseError);
    h.fault({ path: /additions\/vulnerabilities$/, status: 200, body: '"text"', times: 1 });
    await assert.rejects(admin.getScanReport('team-a/app', '1.1'), BadResponseError);
    await assert.rejects(admin.listTags('team-a/../x', undefined, {}), BadResponseError);
  });
});
