import * as assert from 'node:assert/strict';
import type { ResourceRef, Scope } from '../../src/registry/admin';
import { collectAll } from '../../src/registry/paging';
import { neutraliseCsv, parseCsv } from '../../src/registry/dtr/csv';
import type { DtrProvider } from '../../src/registry/dtr/provider';
import { seedDemo, startDtrServer, type DtrServer } from '../servers/dtrServer';
import { dtrProvider } from '../support/dtrFixture';
import { action, core, create, listType, run, tagAction, update, valuesOf, verifyAction, verifyCreate } from './dtrModel';

const type = (p: DtrProvider, t: string) => listType(p.admin, t);
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

describe('DTR: what is confirmed is what runs, and what DTR sends is checked', () => {
  let dtr: DtrServer;
  let alice: DtrProvider;
  const repo: Scope = { namespace: 'engineering', repository: 'engineering/api' };
  const digestOf = (repository: string, tag: string) => dtr.repository(repository)!.tags.find((t) => t.name === tag)?.digest;

  before(async () => {
    dtr = await startDtrServer({ validateResponses: true });
    seedDemo(dtr);
    alice = dtrProvider(dtr, 'alice', 'alice-password');
  });
  after(async () => {
    alice.dispose();
    await dtr.close();
  });
  afterEach(() => {
    dtr.setFault(undefined);
    assert.deepEqual(dtr.violations, []);
  });

  describe('confirmation pinning', () => {
    it('Delete Manifest deletes nothing when the tag moved after the confirmation, naming both digests', async () => {
      dtr.addTag('engineering/api', { name: 'pin-a' });
      const d1 = digestOf('engineering/api', 'pin-a')!;
      const ref: ResourceRef = { type: 'tag', scope: { ...repo, tag: 'pin-a' }, key: 'pin-a' };
      const a = tagAction(alice.admin, 'deleteManifest');
      const verdict = await verifyAction(a, ref, {});
      assert.match(verdict.confirm!.message, new RegExp(d1));
      // The tag moves to another image (with a tag the confirmation never showed) before the run.
      dtr.addTag('engineering/api', { name: 'pin-other' });
      const d2 = digestOf('engineering/api', 'pin-other')!;
      dtr.addTag('engineering/api', { name: 'pin-a', digest: d2 });
      dtr.clearRequests();
      await assert.rejects(run(a, ref, {}), (e: unknown) => {
        const m = (e as Error).message;
        return m.includes(`engineering/api:pin-a now points at ${d2} (was ${d1})`) && /nothing was deleted/.test(m);
      });
      assert.equal(dtr.requests.some((r) => r.method === 'DELETE'), false);
      assert.deepEqual(['pin-a', 'pin-other'].map((t) => !!digestOf('engineering/api', t)), [true, true]);
    });

    it('Delete Manifest deletes nothing when another tag came to share the digest', async () => {
      dtr.addTag('engineering/api', { name: 'share-a' });
      const d = digestOf('engineering/api', 'share-a')!;
      const ref: ResourceRef = { type: 'tag', scope: { ...repo, tag: 'share-a' }, key: 'share-a' };
      const a = tagAction(alice.admin, 'deleteManifest');
      assert.deepEqual((await verifyAction(a, ref, {})).items, ['share-a']);
      dtr.addTag('engineering/api', { name: 'share-b', digest: d });
      await assert.rejects(run(a, ref, {}), /now also share-b.*nothing was deleted/);
      assert.ok(digestOf('engineering/api', 'share-a') && digestOf('engineering/api', 'share-b'));
      // Confirmed again, it deletes the manifest by the confirmed digest.
      await verifyAction(a, ref, {});
      dtr.clearRequests();
      await run(a, ref, {});
      assert.equal(decodeURIComponent(dtr.requests.find((r) => r.method === 'DELETE')!.path), `/api/v0/repositories/engineering/api/manifests/${d}`);
      assert.equal(digestOf('engineering/api', 'share-b'), undefined);
    });

    it('Delete Manifest without a confirmed plan deletes nothing', async () => {
      dtr.addTag('engineering/api', { name: 'unconfirmed' });
      const ref: ResourceRef = { type: 'tag', scope: { ...repo, tag: 'unconfirmed' }, key: 'unconfirmed' };
      await assert.rejects(run(tagAction(alice.admin, 'deleteManifest'), ref, {}), /not confirmed/);
      assert.ok(digestOf('engineering/api', 'unconfirmed'));
    });

    it('the tag delete command runs the plan it confirmed: a moved tag stops it', async () => {
      dtr.addTag('engineering/api', { name: 'cmd-a' });
      const plan = await alice.planDeleteTag('engineering/api', 'cmd-a');
      dtr.addTag('engineering/api', { name: 'cmd-b' });
      const d2 = digestOf('engineering/api', 'cmd-b')!;
      dtr.addTag('engineering/api', { name: 'cmd-a', digest: d2 });
      await assert.rejects(alice.deleteTag(plan), new RegExp(`cmd-a now points at ${d2} \\(was ${plan.digest}\\); nothing was deleted`));
      assert.ok(digestOf('engineering/api', 'cmd-a'));
      const gone = await alice.planDeleteTag('engineering/api', 'cmd-b');
      dtr.repository('engineering/api')!.tags = dtr.repository('engineering/api')!.tags.filter((t) => t.name !== 'cmd-b');
      await assert.rejects(alice.deleteTag(gone), /cmd-b no longer exists/);
    });
  });

  it('deletes tags and repositories with `domain`, which signed tags need', async () => {
    dtr.addRepository('engineering', 'signed');
    dtr.addTag('engineering/signed', { name: 's1', signed: true });
    dtr.addTag('engineering/signed', { name: 's2', signed: true });
    const url = new URL(dtr.url);
    // The fake refuses, as DTR does, to delete Notary data without the push domain.
    const bare = await fetch(`${dtr.url}/api/v0/repositories/engineering/signed/tags/s1`, { method: 'DELETE', headers: { authorization: basic('alice', 'alice-password') } });
    assert.equal(bare.status, 400);
    dtr.clearRequests();
    await alice.deleteTag(await alice.planDeleteTag('engineering/signed', 's1'));
    const del = dtr.requests.find((r) => r.method === 'DELETE')!;
    assert.equal(new URLSearchParams(del.query).get('domain'), url.host);
    dtr.clearRequests();
    await core(alice.admin, 'repository').remove!.run({ type: 'repository', scope: { namespace: 'engineering', repository: 'engineering/signed' }, key: 'engineering/signed' });
    assert.equal(new URLSearchParams(dtr.requests.find((r) => r.method === 'DELETE')!.query).get('domain'), url.host);
    assert.equal(dtr.repository('engineering/signed'), undefined);
  });

  describe('namespaces', () => {
    it('sends the autocomplete its required `query` (the fake refuses it without)', async () => {
      const res = await fetch(`${dtr.url}/api/v0/index/autocomplete?includeAccounts=true`, { headers: { authorization: basic('alice', 'alice-password') } });
      assert.equal(res.status, 400);
      dtr.clearRequests();
      const page = await alice.listNamespaces(undefined);
      const ac = dtr.requests.find((r) => r.path === '/api/v0/index/autocomplete')!;
      assert.equal(ac.status, 200);
      assert.equal(new URLSearchParams(ac.query).get('query'), '');
      assert.equal(page.error, undefined);
      assert.ok(page.items.some((n) => n.name === 'bob' && /User/.test(n.description ?? '')));
      assert.ok(page.items.some((n) => n.name === 'platform' && /Organization/.test(n.description ?? '')));
    });

    it('says which accounts could not be listed when autocomplete fails, keeping the others', async () => {
      dtr.setFault({ kind: 'status', status: 500, path: '/api/v0/index/autocomplete' });
      const page = await alice.listNamespaces(undefined);
      assert.ok(page.items.some((n) => n.name === 'engineering'));
      assert.match(page.error?.message ?? '', /Users and organizations could not be listed/);
    });
  });

  describe('team access by team name', () => {
    it('encodes team names in paths (ops#1 stays one segment)', async () => {
      dtr.addTeam('engineering', 'ops#1', ['alice']);
      dtr.clearRequests();
      await alice.api.setRepoTeamAccess('engineering/api', 'ops#1', 'read-only');
      assert.equal(dtr.requests[0]!.path, '/api/v0/repositories/engineering/api/teamAccess/ops%231');
      assert.equal(dtr.requests[0]!.status, 200);
      assert.equal(dtr.repository('engineering/api')!.teamAccess.get('ops#1'), 'read-only');
    });

    for (const enzi of [false, true]) {
      it(`never sends a team id where DTR wants the name (names ${enzi ? 'from the account service' : 'unknown'})`, async () => {
        const d = await startDtrServer({ validateResponses: true, teamNames: false, enzi });
        seedDemo(d);
        const p = dtrProvider(d, 'alice', 'alice-password');
        try {
          const t = type(p, 'repositoryTeamAccess');
          await create(t, repo, { team: 'developers', accessLevel: 'read-only' });
          const listed = (await t.list(repo, undefined)).items as Array<{ team: { id: string; name?: string } }>;
          const item = enzi ? listed.find((x) => x.team.name === 'developers') : listed.find((x) => x.team.id === d.teamId('engineering', 'developers'));
          const ref: ResourceRef = { type: t.type, scope: repo, key: t.key(item) };
          d.clearRequests();
          if (!enzi) {
            assert.equal(item!.team.name, undefined);
            assert.match(t.view(item).label, /^team /);
            await assert.rejects(run(action(t.actions, 'setAccess'), ref, { accessLevel: 'admin' }), /did not say the name of team/);
            await assert.rejects(t.remove!.run(ref), /did not say the name of team/);
            assert.equal(d.requests.some((r) => r.method !== 'GET'), false);
            return;
          }
          assert.equal(item!.team.name, 'developers');
          await run(action(t.actions, 'setAccess'), ref, { accessLevel: 'admin' });
          assert.equal(d.requests.find((r) => r.method === 'PUT')!.path, '/api/v0/repositories/engineering/api/teamAccess/developers');
          assert.equal(d.repository('engineering/api')!.teamAccess.get('developers'), 'admin');
          const ns = type(p, 'namespaceTeamAccess');
          const entries = (await ns.list({ namespace: 'engineering' }, undefined)).items as Array<{ team: { name?: string } }>;
          assert.deepEqual(entries.map((x) => x.team.name).sort(), ['developers', 'qa']);
          await ns.remove!.run({ type: ns.type, scope: { namespace: 'engineering' }, key: 'qa' });
          assert.equal(d.requests.find((r) => r.method === 'DELETE')!.path, '/api/v0/repositoryNamespaces/engineering/teamAccess/qa');
        } finally {
          p.dispose();
          await d.close();
        }
      });
    }
  });

  describe('tags as DTR lists them', () => {
    it('keeps digests that are not sha256/sha512 out of tags and platforms', async () => {
      dtr.addRepository('engineering', 'evil');
      dtr.addTag('engineering/evil', { name: 'x', digest: 'sha256:abc\n\n[link](https://evil.example)![img](https://evil.example/i.png)' });
      dtr.addTag('engineering/evil', { name: 'ok' });
      const { items } = await alice.listTags('engineering/evil', undefined);
      const x = items.find((t) => t.name === 'x')!;
      assert.equal(x.digest, undefined);
      assert.equal(JSON.stringify(items).includes('evil.example'), false);
      assert.match(items.find((t) => t.name === 'ok')!.digest ?? '', /^sha256:[a-f0-9]{64}$/);
      await assert.rejects(alice.planDeleteTag('engineering/evil', 'x'), /no valid sha256 or sha512 digest/);
    });

    it('merges the per-platform entries of a multi-platform tag into one tag with its platforms', async () => {
      const raw = (await (await fetch(`${dtr.url}/api/v0/repositories/engineering/api/tags?includeManifests=true&pageSize=100`, { headers: { authorization: basic('alice', 'alice-password') } })).json()) as Array<{ name: string }>;
      assert.equal(raw.filter((t) => t.name === 'latest').length, 2, 'DTR lists a multi-platform tag once per platform');
      const { items } = await alice.listTags('engineering/api', undefined);
      const latest = items.filter((t) => t.name === 'latest');
      assert.equal(latest.length, 1);
      assert.deepEqual(latest[0]!.platforms!.map((p) => `${p.os}/${p.architecture}`), ['linux/amd64', 'linux/arm64']);
      assert.equal(latest[0]!.digest, digestOf('engineering/api', 'latest'));
      assert.ok(latest[0]!.facts?.includes('multi-platform'));
      assert.equal(new Set(items.map((t) => t.name)).size, items.length);
    });

    it('stops at an empty X-Next-Page-Start (DTR sends it empty on the last page)', async () => {
      const res = await fetch(`${dtr.url}/api/v0/repositories/engineering/many/tags?pageSize=100&pageStart=v50`, { headers: { authorization: basic('alice', 'alice-password') } });
      assert.equal(res.headers.get('x-next-page-start'), '');
      const first = await alice.listTags('engineering/many', undefined);
      assert.equal(first.next, 'v100');
      const last = await alice.listTags('engineering/many', first.next);
      assert.equal(last.next, undefined);
      assert.equal(last.error, undefined);
      const all = await collectAll((c) => alice.listTags('engineering/many', c), 'tags');
      assert.equal(all.length, 150);
    });
  });

  describe('policies', () => {
    const rules = [{ field: 'tag', operator: 'sw', values: ['1.'] }];
    const remote = { remoteHost: 'https://mirror.example.com', remoteRepository: 'mirror/api', username: 'robot', remoteCA: '', skipTLSVerification: false };
    const evaluation = (kind: string) => dtr.evaluations.filter((e) => e.kind === kind);
    const queryOf = (method: string, kind: string) => new URLSearchParams(dtr.requests.find((r) => r.method === method && (r.path.endsWith(`/${kind}`) || r.path.includes(`/${kind}/`)) && !r.path.endsWith('/test'))!.query);

    it('promotion and push mirroring policies never run on save (initialEvaluation=false); pruning previews then prunes', async () => {
      dtr.clearRequests();
      const promo = type(alice, 'promotionPolicy');
      await create(promo, repo, { targetRepository: 'engineering/web', tagTemplate: '%n', enabled: true, rules });
      assert.equal(queryOf('POST', 'promotionPolicies').get('initialEvaluation'), 'false');
      const [pp] = (await promo.list(repo, undefined)).items;
      const promoRef: ResourceRef = { type: promo.type, scope: repo, key: promo.key(pp) };
      await update(promo, promoRef, { ...(await valuesOf(promo, promoRef)), tagTemplate: 'p-%n' });
      assert.equal(queryOf('PUT', 'promotionPolicies').get('initialEvaluation'), 'false');
      assert.deepEqual(evaluation('promotionPolicies'), []);
      assert.equal(dtr.repository('engineering/web')!.tags.some((t) => t.name.startsWith('1.')), false);

      const push = type(alice, 'pushMirroringPolicy');
      await create(push, repo, { ...remote, tagTemplate: '%n', enabled: true, rules, credentials: { auth: 'password', password: 'remote-pass' } });
      assert.equal(queryOf('POST', 'pushMirroringPolicies').get('initialEvaluation'), 'false');
      assert.deepEqual(evaluation('pushMirroringPolicies'), []);

      const poll = type(alice, 'pollMirroringPolicy');
      await create(poll, repo, { ...remote, enabled: true, credentials: { auth: 'token', authToken: 'remote-token' } });
      assert.equal(queryOf('POST', 'pollMirroringPolicies').get('initialEvaluation'), 'false');

      dtr.addTag('engineering/api', { name: 'prune-me-1' });
      const pruning = type(alice, 'pruningPolicy');
      const values = { enabled: true, rules: [{ field: 'tag', operator: 'sw', values: ['prune-me'] }] };
      const verdict = await verifyCreate(pruning, repo, values);
      assert.deepEqual(verdict.items, ['prune-me-1']);
      await create(pruning, repo, values);
      assert.equal(queryOf('POST', 'pruningPolicies').get('initialEvaluation'), 'true');
      assert.deepEqual(evaluation('pruningPolicies').at(-1)?.tags, ['prune-me-1']);
    });

    it('editing a mirroring policy with "keep" credentials sends no password or token field', async () => {
      const push = type(alice, 'pushMirroringPolicy');
      await create(push, repo, { ...remote, remoteRepository: 'mirror/keep', tagTemplate: '%n', enabled: false, rules, credentials: { auth: 'token', authToken: 'remote-token' } });
      const item = ((await push.list(repo, undefined)).items as Array<{ id: string; remoteRepository: string }>).find((x) => x.remoteRepository === 'mirror/keep')!;
      const ref: ResourceRef = { type: push.type, scope: repo, key: item.id };
      dtr.clearRequests();
      await update(push, ref, { ...(await valuesOf(push, ref)), username: 'robot-2' });
      const put = dtr.requests.find((r) => r.method === 'PUT')!;
      assert.equal(put.status, 200);
      const body = put.body as Record<string, unknown>;
      assert.equal('password' in body || 'authToken' in body, false, JSON.stringify(body));
      // Sent empty, DTR would replace the stored credentials with nothing (the fake refuses that).
      const res = await fetch(`${dtr.url}/api/v0/repositories/engineering/api/pushMirroringPolicies/${item.id}?initialEvaluation=false`, {
        method: 'PUT',
        headers: { authorization: basic('alice', 'alice-password'), 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, password: '', authToken: '' }),
      });
      assert.equal(res.status, 400);
    });
  });

  describe('scan export', () => {
    it('neutralises CSV cells a spreadsheet would run as formulas', async () => {
      dtr.addTag('engineering/api', { name: 'formula', cves: 2, component: '=HYPERLINK("https://evil.example","x")' });
      const a = tagAction(alice.admin, 'exportScanSummary');
      const out = await run(a, { type: 'tag', scope: { ...repo, tag: 'formula' }, key: 'formula' }, { format: 'csv', platform: '' });
      assert.ok(out.kind === 'file');
      const rows = parseCsv(out.content);
      const cells = rows.slice(1).map((r) => r[4]);
      assert.ok(cells.includes(`'=HYPERLINK("https://evil.example","x")`), JSON.stringify(cells));
      assert.equal(rows.flat().some((c) => /^[=+\-@]/.test(c)), false);
    });

    it('keeps every other cell as sent, quoting what needs quotes', () => {
      const csv = 'a,b,c\r\n"=1+2","x, ""y""",-3\r\n@sum,"multi\nline",+x\r\n';
      assert.equal(neutraliseCsv(csv), `a,b,c\r\n'=1+2,"x, ""y""",'-3\r\n'@sum,"multi\nline",'+x\r\n`);
      assert.deepEqual(parseCsv('only'), [['only']]);
      assert.equal(neutraliseCsv(''), '');
    });
  });
});
