import { PagedList } from '../../src/tree/pagedList';
import * as assert from 'node:assert/strict';
import { BadResponseError, ForbiddenError, NotFoundError, UnauthorizedError } from '../../src/registry/errors';
import { silentLogger } from '../../src/registry/context';
import { descriptor } from '../../src/registry/dtr/descriptor';
import type { DtrProvider } from '../../src/registry/dtr/provider';
import { dtrSeverity, toScanReport } from '../../src/registry/dtr/scanReport';
import { normalizeSeverity } from '../../src/registry/scan';
import { seedDemo, startDtrServer, type DtrServer } from '../servers/dtrServer';
import { dtrProvider } from '../support/dtrFixture';

describe('DTR provider', () => {
  let dtr: DtrServer;
  let alice: DtrProvider;
  before(async () => {
    dtr = await startDtrServer({ validateResponses: true });
    seedDemo(dtr);
    alice = dtrProvider(dtr, 'alice', dtr.createToken('alice', 'tests'));
  });
  after(async () => {
    alice.dispose();
    await dtr.close();
  });
  afterEach(() => {
    dtr.setFault(undefined);
    assert.deepEqual(dtr.violations, []);
  });

  it('is reachable through its descriptor', async () => {
    assert.equal(descriptor.kind, 'dtr');
    assert.equal(descriptor.namespaces, true);
    const create = await descriptor.load();
    const p = create({ connection: { id: 'd', kind: 'dtr', url: dtr.url }, credentials: () => Promise.resolve(undefined), logger: silentLogger });
    assert.equal(p.kind, 'dtr');
    assert.equal(p.capabilities.scanSummary, true);
    assert.ok(p.admin);
    p.dispose();
  });

  it('signs in with HTTP Basic (user name + API token) and pings through meta/features', async () => {
    dtr.clearRequests();
    const h = await alice.ping();
    assert.equal(h.ok, true, h.error?.message);
    assert.equal(h.details?.Scanning, 'enabled');
    assert.equal(dtr.requests[0]!.path, '/api/v0/meta/features');
    assert.equal(dtr.requests[0]!.user, 'alice');
    // alice is no DTR admin: cluster status and alerts answer 403 and are left out (and not asked again).
    assert.equal(h.details?.Replicas, undefined);
    dtr.clearRequests();
    await alice.ping();
    assert.deepEqual(dtr.requests.map((r) => r.path), ['/api/v0/meta/features']);
  });

  it('shows cluster status and alerts to admins', async () => {
    const admin = dtrProvider(dtr, 'admin', 'admin-password');
    try {
      const h = await admin.ping();
      assert.equal(h.details?.Replicas, '2/2 healthy');
      assert.match(h.details?.Alerts ?? '', /license expires/);
    } finally {
      admin.dispose();
    }
  });

  it('lists namespaces from autocomplete, the user and the first repository page', async () => {
    const ns = (await alice.listNamespaces(undefined)).items.map((n) => n.name);
    for (const n of ['alice', 'engineering', 'platform', 'bob', 'admin']) assert.ok(ns.includes(n), n);
    assert.equal(ns[0], 'alice');
  });

  it('pages tags by the X-Next-Page-Start header, always asking for 100', async () => {
    dtr.clearRequests();
    const first = await alice.listTags('engineering/many', undefined);
    assert.equal(first.items.length, 100);
    assert.ok(first.next);
    const second = await alice.listTags('engineering/many', first.next);
    assert.equal(second.items.length, 50);
    assert.equal(second.next, undefined);
    const lists = dtr.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/tags'));
    assert.equal(lists.length, 2);
    for (const r of lists) {
      const q = new URLSearchParams(r.query);
      assert.equal(q.get('pageSize'), '100');
      assert.equal(q.get('includeManifests'), 'true');
      assert.ok(q.get('domain'));
    }
    assert.equal(new URLSearchParams(lists[1]!.query).get('pageStart'), 'v100');
  });

  it('stops when the server repeats the cursor, keeping the page and saying why', async () => {
    const first = await alice.listTags('engineering/many', undefined);
    dtr.setFault({ kind: 'repeatCursor', path: /\/tags$/ });
    const again = await alice.listTags('engineering/many', first.next);
    assert.equal(again.next, undefined);
    assert.equal(again.items.length, 50);
    assert.ok(again.error instanceof BadResponseError);
    assert.match(again.error.message, /already sent \(a paging loop\)/);
  });

  it('stops when the server goes round in a circle (A → B → A) with the shared paging error, pages kept', async () => {
    dtr.setFault({ kind: 'cycleCursor', path: /\/tags$/ });
    const list = new PagedList((c) => alice.listTags('engineering/many', c), 100);
    await list.ensureLoaded();
    for (let i = 0; i < 10 && list.hasMore; i++) await list.loadMore();
    // v0… (next v100), v100… (next v0), v0… (next v100 again: stopped, the third page shown).
    assert.equal(list.requests, 3);
    assert.equal(list.items.length, 250);
    assert.ok(list.error instanceof BadResponseError);
    assert.match(list.error.message, /already sent \(a paging loop\)/);
    // A cursor the server never sent is only DTR's pageStart: DTR refuses it.
    await assert.rejects(alice.listTags('engineering/many', 'not-a-cursor'));
  });

  it('reads digest, platform, size, signature and scan counts of tags (critical/major/minor mapped explicitly)', async () => {
    const tags = (await alice.listTags('engineering/api', undefined)).items;
    const t10 = tags.find((t) => t.name === '1.0')!;
    assert.match(t10.digest!, /^sha256:/);
    assert.deepEqual(t10.platforms?.map((p) => `${p.os}/${p.architecture}`), ['linux/amd64']);
    assert.ok(t10.facts?.includes('signed'));
    assert.equal(t10.size, 1_000_000);
    assert.deepEqual(Object.keys(t10.vulnerabilities ?? {}).sort(), ['critical', 'low', 'medium']);
    const latest = tags.find((t) => t.name === 'latest')!;
    assert.ok(latest.facts?.includes('multi-platform'));
    assert.equal(dtrSeverity.major, 'medium');
    assert.equal(normalizeSeverity('major'), 'unknown', 'the generic mapping would lose DTR major');
  });

  it('leaves scan counts out when scanning is not enabled (no extra request)', async () => {
    dtr.setFeatures({ scanningEnabled: false });
    const p = dtrProvider(dtr, 'alice', 'alice-password');
    try {
      dtr.clearRequests();
      const tags = (await p.listTags('engineering/api', undefined)).items;
      assert.equal(tags[0]!.vulnerabilities, undefined);
      assert.equal(dtr.requests.filter((r) => r.path.includes('imagescan')).length, 0);
    } finally {
      dtr.setFeatures({ scanningEnabled: true });
      p.dispose();
    }
  });

  it('says when scanning is not enabled instead of failing the scan summary', async () => {
    dtr.setFeatures({ scanningEnabled: false });
    const p = dtrProvider(dtr, 'alice', 'alice-password');
    try {
      const r = await p.getScanReport('engineering/api', 'latest');
      assert.equal(r.status, 'unsupported');
      assert.match(r.message ?? '', /turned off/);
    } finally {
      dtr.setFeatures({ scanningEnabled: true });
      p.dispose();
    }
  });

  it('builds the live scan summary per platform: layers → components → CVEs joined by key, licenses, links', async () => {
    const amd = await alice.getScanReport('engineering/api', 'latest');
    assert.equal(amd.status, 'completed');
    assert.deepEqual(amd.platforms, ['linux/amd64', 'linux/arm64']);
    assert.equal(amd.platform, 'linux/amd64');
    assert.equal(amd.vulnerabilities.length, 320);
    const arm = await alice.getScanReport('engineering/api', 'latest', undefined, 'linux/arm64');
    assert.equal(arm.platform, 'linux/arm64');
    assert.notEqual(arm.digest, amd.digest);
    const v = arm.vulnerabilities[0]!;
    assert.match(v.links[0]!, /^https:\/\/nvd\.nist\.gov\/vuln\/detail\/CVE-/);
    assert.ok(v.layer?.startsWith('sha256:'));
    assert.equal(arm.counts.unknown, 0);
    assert.equal(arm.counts.critical + arm.counts.medium + arm.counts.low, 320);
    assert.match(arm.message ?? '', /Licenses: .*MIT/);
    assert.ok(arm.packages.some((p) => p.kind?.includes('GPL-2.0')));
  });

  it('maps a scan summary with totals only, and overrides drop CVEs of a layer', () => {
    const r = toScanReport(
      {
        manifestDigest: 'sha256:a',
        totalVulnCount: { critical: 1, major: 2, minor: 3 },
        licenses: [],
        layers: [{ digest: 'sha256:l1', components: ['c1'] }],
        components: [{ componentPK: 'c1', name: 'openssl', version: '1', filepaths: [], cves: ['CVE-2024-0001', 'CVE-2024-0002'], licenses: [] }],
        cves: [
          { cvePK: 'CVE-2024-0001', summary: 'x', cvss: 9.8 },
          { cvePK: 'CVE-2024-0002', summary: 'y', cvss: 5 },
        ],
        vulnOverrides: [{ pk: 'o', digest: 'sha256:l1', component: 'openssl', cve: 'CVE-2024-0002' }],
      },
      'a/b',
      't',
    );
    assert.deepEqual(r.vulnerabilities.map((v) => [v.id, v.severity]), [['CVE-2024-0001', 'critical']]);
    const totals = toScanReport({ manifestDigest: 'sha256:a', totalVulnCount: { critical: 1, major: 2, minor: 3 }, licenses: [], layers: [], components: [], cves: [] }, 'a/b', 't');
    assert.deepEqual([totals.counts.critical, totals.counts.medium, totals.counts.low], [1, 2, 3]);
  });

  it('plans a tag delete (the tag only) and a manifest delete naming every tag of the digest', async () => {
    const tagPlan = await alice.planDeleteTag('engineering/api', '1.1');
    assert.deepEqual(tagPlan.affectedTags, ['1.1']);
    assert.equal(tagPlan.byDigest, false);
    const manifestPlan = await alice.planDeleteManifest('engineering/api', '1.1');
    assert.deepEqual(manifestPlan.affectedTags, ['1.1', 'stable']);
    assert.equal(manifestPlan.byDigest, true);
  });

  it('deletes a tag by name and a manifest by digest', async () => {
    dtr.addRepository('alice', 'deletes');
    dtr.addTag('alice/deletes', { name: 'a' });
    dtr.addTag('alice/deletes', { name: 'b', digest: dtr.repository('alice/deletes')!.tags[0]!.digest });
    dtr.addTag('alice/deletes', { name: 'c' });
    await alice.deleteTag(await alice.planDeleteTag('alice/deletes', 'c'));
    assert.deepEqual(dtr.repository('alice/deletes')!.tags.map((t) => t.name), ['a', 'b']);
    await alice.deleteTag(await alice.planDeleteManifest('alice/deletes', 'a'));
    assert.deepEqual(dtr.repository('alice/deletes')!.tags.map((t) => t.name), []);
  });

  it('refuses names with . or .. segments before sending anything', async () => {
    dtr.clearRequests();
    await assert.rejects(alice.listTags('engineering/..', undefined), BadResponseError);
    await assert.rejects(alice.listTags('../x', undefined), BadResponseError);
    await assert.rejects(alice.planDeleteTag('engineering/api', '..'), BadResponseError);
    await assert.rejects(alice.getScanReport('engineering/api', '.'), BadResponseError);
    assert.equal(dtr.requests.length, 0);
  });

  it('refuses repository names outside the Distribution grammar before any request, and encodes other segments', async () => {
    dtr.clearRequests();
    await assert.rejects(alice.listTags('engineering/a b', undefined), BadResponseError);
    await assert.rejects(alice.listTags('Engineering/API', undefined), BadResponseError);
    await assert.rejects(alice.listTags('a/b/c', undefined), BadResponseError);
    await assert.rejects(alice.planDeleteTag('engineering/api', 'a b'), BadResponseError);
    assert.equal(dtr.requests.length, 0);
    await assert.rejects(alice.listRepositories('a b', undefined));
    assert.equal(dtr.requests[0]!.path, '/api/v0/repositories/a%20b');
  });

  describe('roles', () => {
    it('401 without credentials and with a wrong token', async () => {
      const anon = dtrProvider(dtr);
      const wrong = dtrProvider(dtr, 'alice', 'not-a-token');
      try {
        await assert.rejects(anon.listRepositories('engineering', undefined), (e: unknown) => e instanceof UnauthorizedError && /requires signing in/.test(e.message));
        await assert.rejects(wrong.listRepositories('engineering', undefined), (e: unknown) => e instanceof UnauthorizedError && /sign in again/.test(e.message));
        assert.equal((await anon.ping()).error?.kind, 'unauthorized');
      } finally {
        anon.dispose();
        wrong.dispose();
      }
    });

    it('403 for a read-write member on admin operations; 404 for what they cannot see', async () => {
      const bob = dtrProvider(dtr, 'bob', 'bob-password');
      try {
        await assert.rejects(bob.api.updateRepository('engineering/api', { shortDescription: 'x', longDescription: '', visibility: 'private', scanOnPush: false, immutableTags: false, enableManifestLists: false, tagLimit: 0 }), ForbiddenError);
        await assert.rejects(bob.api.repoTeamAccess('engineering/api'), ForbiddenError);
        await assert.rejects(bob.listTags('alice/scratch', undefined), NotFoundError);
        // read-write is enough to read tags and to be told the access level.
        assert.equal(await bob.api.myAccess('engineering/api'), 'read-write');
        assert.equal(await bob.api.myAccess('engineering/web'), 'read-write');
        assert.equal(await bob.api.myAccess('platform/base'), 'read-only');
      } finally {
        bob.dispose();
      }
    });

    it('403 for non-admins on administration', async () => {
      await assert.rejects(alice.api.jobs(undefined), ForbiddenError);
      await assert.rejects(alice.api.crons(), ForbiddenError);
    });
  });

  describe('bad server data', () => {
    it('malformed JSON → BadResponseError', async () => {
      dtr.setFault({ kind: 'malformed', path: /\/repositories\/engineering$/ });
      await assert.rejects(alice.listRepositories('engineering', undefined), (e: unknown) => e instanceof BadResponseError && /not JSON/.test(e.message));
    });

    it('a wrong-typed field → BadResponseError naming it', async () => {
      dtr.setFault({ kind: 'wrongType', path: /\/repositories\/engineering$/, field: 'repositories.name', value: 42 });
      await assert.rejects(alice.listRepositories('engineering', undefined), (e: unknown) => e instanceof BadResponseError && /repositories\.0\.name/.test(e.message));
      dtr.setFault({ kind: 'wrongType', path: /\/tags$/, field: 'digest', value: false });
      await assert.rejects(alice.listTags('engineering/api', undefined), (e: unknown) => e instanceof BadResponseError && /0\.digest/.test(e.message));
      dtr.setFault({ kind: 'wrongType', path: '/api/v0/meta/features', field: 'scanningEnabled', value: 'yes' });
      const h = await alice.ping();
      assert.equal(h.ok, false);
      assert.equal(h.error?.kind, 'badResponse');
    });

    it('a 500 → ServerError kind', async () => {
      dtr.setFault({ kind: 'status', status: 500, path: /\/tags$/ });
      await assert.rejects(alice.listTags('engineering/api', undefined), (e: unknown) => (e as { kind?: string }).kind === 'serverError');
    });
  });
});

describe('DTR 1.3 repository shapes', () => {
  let dtr: DtrServer;
  let p: DtrProvider;
  before(async () => {
    dtr = await startDtrServer({ apiShape: '1.3' });
    dtr.addUser('don', 'pw');
    dtr.addRepository('don', 'public-app', { shortDescription: 'An Open-Source Retro Turboencabulator', visibility: 'public' });
    p = dtrProvider(dtr, 'don', 'pw');
  });
  after(async () => {
    p.dispose();
    await dtr.close();
  });

  it('lists, reads, creates and updates with integer ids and status envelopes', async () => {
    const repos = await p.listRepositories('don', undefined);
    assert.deepEqual(repos.items.map((r) => r.name), ['don/public-app']);
    assert.equal(repos.items[0]!.isPrivate, false);
    assert.equal(p.api.apiShape, '1.3');
    const r = await p.api.repository('don/public-app');
    assert.equal(typeof r.id, 'string');
    assert.equal(r.apiShape, '1.3');
    dtr.clearRequests();
    await p.api.createRepository('don', 'my-app', { shortDescription: 's', longDescription: 'l', visibility: 'private', scanOnPush: true, immutableTags: false, enableManifestLists: false, tagLimit: 0 });
    assert.deepEqual(Object.keys(dtr.requests[0]!.body as object).sort(), ['longDescription', 'name', 'shortDescription', 'visibility']);
    await p.api.updateRepository('don/my-app', { shortDescription: 'new', longDescription: 'l', visibility: 'public', scanOnPush: false, immutableTags: false, enableManifestLists: false, tagLimit: 0 });
    assert.equal(dtr.repository('don/my-app')!.shortDescription, 'new');
    assert.equal(dtr.repository('don/my-app')!.visibility, 'public');
  });
});

describe("DTR tag details from DTR's /v2/ registry", () => {
  let dtr: DtrServer;
  let p: DtrProvider;
  before(async () => {
    dtr = await startDtrServer({ registry: { username: 'alice', password: 'alice-password' } });
    dtr.addUser('alice', 'alice-password');
    dtr.addRepository('alice', 'app');
    dtr.addTag('alice/app', { name: 'multi', platforms: ['linux/amd64', 'linux/arm64'] });
    dtr.addTag('alice/app', { name: 'single' });
    p = dtrProvider(dtr, 'alice', 'alice-password');
  });
  after(async () => {
    p.dispose();
    await dtr.close();
  });

  it('reads manifests with the same credentials through the Bearer challenge on the DTR origin', async () => {
    const listed = (await p.listTags('alice/app', undefined)).items;
    const multi = await p.getTagDetails('alice/app', 'multi');
    assert.equal(multi.isIndex, true);
    assert.deepEqual(multi.platforms.map((x) => `${x.os}/${x.architecture}`), ['linux/amd64', 'linux/arm64']);
    assert.equal(multi.digest, listed.find((t) => t.name === 'multi')!.digest);
    const image = await p.getImageDetails('alice/app', 'single');
    assert.equal(image.images.length, 1);
    assert.ok(dtr.oci!.requests.some((r) => r.kind === 'token'), 'a token was fetched from the realm on the DTR origin');
  });
});
