import * as assert from 'node:assert/strict';
import * as z from 'zod';
import type { ListResource, ResourceRef, Scope } from '../../src/registry/admin';
import type { Logger } from '../../src/registry/context';
import { ForbiddenError, RegistryError } from '../../src/registry/errors';
import type { DtrProvider } from '../../src/registry/dtr/provider';
import { seedDemo, startDtrServer, type DtrServer } from '../servers/dtrServer';
import { dtrProvider } from '../support/dtrFixture';
import { action, core, create, listType as type, run, singletonType, tagAction, update, valuesOf, verifyAction, verifyCreate } from './dtrModel';

async function items(t: ListResource<unknown>, scope: Scope): Promise<unknown[]> {
  return (await t.list(scope, undefined)).items;
}

describe('DTR admin model', () => {
  let dtr: DtrServer;
  let alice: DtrProvider;
  let admin: DtrProvider;
  const lines: string[] = [];
  const logger: Logger = { trace: (m) => lines.push(m), debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const repo: Scope = { namespace: 'engineering', repository: 'engineering/api' };

  before(async () => {
    dtr = await startDtrServer({ validateResponses: true });
    seedDemo(dtr);
    alice = dtrProvider(dtr, 'alice', 'alice-password', logger);
    admin = dtrProvider(dtr, 'admin', 'admin-password');
  });
  after(async () => {
    alice.dispose();
    admin.dispose();
    await dtr.close();
  });
  afterEach(() => {
    dtr.setFault(undefined);
    assert.deepEqual(dtr.violations, []);
  });

  it('declares groups and placements the generic UI can render', () => {
    const m = alice.admin;
    const groups = new Set(m.groups.map((g) => g.id));
    for (const t of m.types) {
      if (t.shape === 'core') continue;
      if (t.placement.group) assert.ok(groups.has(t.placement.group), `${t.type}: unknown group ${t.placement.group}`);
      assert.ok(t.shape === 'singleton' ? t.get !== undefined : t.list !== undefined, `${t.type} cannot be read`);
    }
    assert.ok(core(m, 'namespace').create && core(m, 'repository').update && core(m, 'repository').remove && core(m, 'tag').actions?.length);
  });

  describe('repositories (core node operations)', () => {
    it('creates with every CreateRepo field, edits with immutableTags always sent, deletes', async () => {
      const repository = core(alice.admin, 'repository');
      dtr.clearRequests();
      const created = await create(core(alice.admin, 'namespace'), { namespace: 'engineering' }, { name: 'jobs', shortDescription: 'Batch jobs' });
      assert.equal(created.kind, 'done');
      const body = dtr.requests.find((r) => r.method === 'POST')!.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['enableManifestLists', 'immutableTags', 'longDescription', 'name', 'scanOnPush', 'shortDescription', 'tagLimit', 'visibility']);
      const ref: ResourceRef = { type: 'repository', scope: { namespace: 'engineering', repository: 'engineering/jobs' }, key: 'engineering/jobs' };
      const values = await valuesOf(repository, ref);
      assert.equal(values.shortDescription, 'Batch jobs');
      dtr.clearRequests();
      await update(repository, ref, { ...values, tagLimit: 10, scanOnPush: true });
      const patch = dtr.requests.find((r) => r.method === 'PATCH')!.body as Record<string, unknown>;
      assert.equal(patch.immutableTags, false);
      assert.equal(dtr.repository('engineering/jobs')!.tagLimit, 10);
      const confirm = await repository.remove!.confirm(ref, ref);
      assert.match(confirm.message, /engineering\/jobs/);
      await repository.remove!.run(ref);
      assert.equal(dtr.repository('engineering/jobs'), undefined);
    });

    it('rejects an invalid repository name in the form', async () => {
      // The form's schema refuses it: the pipeline parses the values before anything runs.
      assert.throws(() => create(core(alice.admin, 'namespace'), { namespace: 'engineering' }, { name: '../x' }), /lower-case letters/);
      await assert.rejects(alice.api.createRepository('engineering', '../x', { shortDescription: '', longDescription: '', visibility: 'private', scanOnPush: false, immutableTags: false, enableManifestLists: false, tagLimit: 0 }), RegistryError);
    });
  });

  describe('policies: a round trip of each kind through create / list / values / update / remove', () => {
    const rules = [{ field: 'tag', operator: 'sw', values: ['dev-'] }];
    const creds = { auth: 'password', password: 'remote-sekret' };
    const remote = { remoteHost: 'https://mirror.example.com', remoteRepository: 'mirror/api', username: 'robot', remoteCA: '', skipTLSVerification: false };
    const cases: Array<{ type: string; create: Record<string, unknown>; edit: Record<string, unknown>; check(p: Record<string, unknown>): void }> = [
      { type: 'pruningPolicy', create: { enabled: true, rules: [{ field: 'tag', operator: 'eq', values: ['no-such-tag'] }] }, edit: { enabled: false }, check: (p) => assert.equal(p.enabled, false) },
      {
        type: 'promotionPolicy',
        create: { targetRepository: 'engineering/web', tagTemplate: '%n-promoted', enabled: true, rules: [{ field: 'vulnerability_critical', operator: 'eq', values: ['0'] }] },
        edit: { tagTemplate: 'prod-%n' },
        check: (p) => assert.equal(p.tagTemplate, 'prod-%n'),
      },
      { type: 'pollMirroringPolicy', create: { ...remote, enabled: true, credentials: creds }, edit: { remoteRepository: 'mirror/api2', credentials: { auth: 'keep' } }, check: (p) => assert.equal(p.remoteRepository, 'mirror/api2') },
      {
        type: 'pushMirroringPolicy',
        create: { ...remote, tagTemplate: '%n', enabled: true, rules, credentials: { auth: 'token', authToken: 'remote-token-sekret' } },
        edit: { username: 'robot2', credentials: { auth: 'password', password: 'new-sekret' } },
        check: (p) => assert.equal(p.username, 'robot2'),
      },
    ];
    for (const c of cases) {
      it(c.type, async () => {
        const t = type(alice.admin, c.type);
        assert.equal(await t.available!(repo), true);
        const before = (await items(t, repo)).length;
        const out = await create(t, repo, c.create);
        assert.equal(out.kind, 'done');
        const list = await items(t, repo);
        assert.equal(list.length, before + 1);
        const item = list[list.length - 1]!;
        const ref: ResourceRef = { type: c.type, scope: repo, key: t.key(item) };
        assert.ok(t.view(item).label);
        const values = await valuesOf(t, ref);
        assert.equal(JSON.stringify(values).includes('sekret'), false, 'stored credentials never come back');
        await update(t, ref, { ...values, ...c.edit });
        c.check((await t.get!(ref)) as Record<string, unknown>);
        const confirm = await t.remove!.confirm(await t.get!(ref), ref);
        assert.match(confirm.message, /engineering\/api/);
        await t.remove!.run(ref);
        assert.equal((await items(t, repo)).length, before);
      });
    }

    it('rules are checked against the operators of their field', async () => {
      const t = type(alice.admin, 'pruningPolicy');
      assert.throws(() => create(t, repo, { enabled: true, rules: [{ field: 'license.name', operator: 'sw', values: ['GPL'] }] }), /operator does not apply/);
    });

    it('verify lists the tags a pruning policy would prune before saving', async () => {
      const t = type(alice.admin, 'pruningPolicy');
      const verdict = await verifyCreate(t, repo, { enabled: true, rules: [{ field: 'tag', operator: 'oo', values: ['1.0', 'dev-1', 'nope'] }] });
      assert.equal(verdict.ok, true);
      assert.deepEqual(verdict.items, ['1.0', 'dev-1']);
      assert.match(verdict.confirm?.message ?? '', /prunes 2 tags of engineering\/api now/);
    });

    it('saving an enabled pruning policy prunes what its test listed', async () => {
      dtr.addRepository('alice', 'prune-me');
      for (const name of ['keep', 'tmp-1', 'tmp-2']) dtr.addTag('alice/prune-me', { name });
      const scope: Scope = { namespace: 'alice', repository: 'alice/prune-me' };
      const t = type(alice.admin, 'pruningPolicy');
      const values = { enabled: true, rules: [{ field: 'tag', operator: 'sw', values: ['tmp-'] }] };
      assert.deepEqual((await verifyCreate(t, scope, values)).items, ['tmp-1', 'tmp-2']);
      await create(t, scope, values);
      assert.deepEqual(dtr.repository('alice/prune-me')!.tags.map((x) => x.name), ['keep']);
    });

    it('mirroring and promotion policies hide when not licensed', async () => {
      dtr.setFeatures({ mirroringLicensed: false, promotionLicensed: false });
      const p = dtrProvider(dtr, 'alice', 'alice-password');
      try {
        assert.equal(await type(p.admin, 'pushMirroringPolicy').available!(repo), false);
        assert.equal(await type(p.admin, 'pollMirroringPolicy').available!(repo), false);
        assert.equal(await type(p.admin, 'promotionPolicy').available!(repo), false);
        assert.equal(await type(p.admin, 'pruningPolicy').available!(repo), true);
        const tag: ResourceRef = { type: 'tag', scope: { ...repo, tag: 'latest' }, key: 'latest' };
        assert.equal(tagAction(p.admin, 'promote').when!(tag), false);
        assert.equal(tagAction(p.admin, 'pushMirror').when!(tag), false);
      } finally {
        dtr.setFeatures({ mirroringLicensed: true, promotionLicensed: true });
        p.dispose();
      }
    });
  });

  describe('tag actions', () => {
    const tag: ResourceRef = { type: 'tag', scope: { namespace: 'engineering', repository: 'engineering/api', tag: '1.0' }, key: '1.0' };

    it('promotes a tag to another repository', async () => {
      const a = tagAction(alice.admin, 'promote');
      assert.match((await a.confirm!(tag, tag, { targetRepository: 'engineering/web', targetTag: 'from-api' }))!.message, /engineering\/api:1\.0 to engineering\/web:from-api/);
      await run(a, tag, { targetRepository: 'engineering/web', targetTag: 'from-api' });
      const t = dtr.repository('engineering/web')!.tags.find((x) => x.name === 'from-api');
      assert.equal(t?.promotion?.sourceRepository, 'engineering/api');
      // Read on the source is enough; the target needs write.
      const bob = dtrProvider(dtr, 'bob', 'bob-password');
      try {
        await run(tagAction(bob.admin, 'promote'), tag, { targetRepository: 'engineering/web', targetTag: 'by-bob' });
        await assert.rejects(run(tagAction(bob.admin, 'promote'), tag, { targetRepository: 'platform/base', targetTag: 'x' }), ForbiddenError);
      } finally {
        bob.dispose();
      }
    });

    it('push-mirrors with credentials that reach DTR only', async () => {
      lines.length = 0;
      const a = tagAction(alice.admin, 'pushMirror');
      const out = await run(a, tag, { remoteHost: 'https://hub.example.com', remoteRepository: 'acme/api', remoteTag: '1.0', username: 'robot', credentials: { auth: 'password', password: 'sekret-pass' } });
      assert.equal(out.kind, 'done');
      assert.equal(JSON.stringify(out).includes('sekret-pass'), false);
      assert.equal(lines.some((l) => l.includes('sekret-pass')), false);
      await assert.rejects(run(a, tag, { remoteHost: 'https://hub.example.com', remoteRepository: 'acme/api', remoteTag: '1.0', username: 'robot', credentials: { auth: 'password', password: 'wrong' } }), (e: unknown) => e instanceof RegistryError && !e.message.includes('wrong"'));
    });

    it('scans every platform and opens the scan panel', async () => {
      dtr.clearRequests();
      const latest: ResourceRef = { ...tag, scope: { ...tag.scope, tag: 'latest' }, key: 'latest' };
      await run(tagAction(alice.admin, 'scan'), latest);
      assert.deepEqual(dtr.requests.filter((r) => r.method === 'POST').map((r) => r.path), ['/api/v0/imagescan/scan/engineering/api/latest/linux/amd64', '/api/v0/imagescan/scan/engineering/api/latest/linux/arm64']);
      const out = await run(tagAction(alice.admin, 'scanSummary'), latest);
      assert.deepEqual(out, { kind: 'panel', panel: 'scan', repository: 'engineering/api', reference: 'latest' });
    });

    it('exports the scan summary of one platform as CSV and as JSON (a file to save)', async () => {
      const latest: ResourceRef = { ...tag, scope: { ...tag.scope, tag: 'latest' }, key: 'latest' };
      const a = tagAction(alice.admin, 'exportScanSummary');
      assert.equal(a.when!(latest), true);
      // A multi-platform tag needs its platform: the verify step says which there are, before anything runs.
      const verdict = await verifyAction(a, latest, { format: 'csv', platform: '' });
      assert.equal(verdict.ok, false);
      assert.match(verdict.summary, /linux\/amd64, linux\/arm64/);
      await assert.rejects(run(a, latest, { format: 'csv', platform: 'windows/amd64' }), /no platform windows\/amd64/);

      dtr.clearRequests();
      const csv = await run(a, latest, { format: 'csv', platform: 'linux/arm64' });
      assert.ok(csv.kind === 'file');
      assert.equal(csv.fileName, 'engineering-api-latest-linux-arm64-scan.csv');
      assert.equal(csv.mediaType, 'text/csv');
      const exported = dtr.requests.find((r) => r.path.endsWith('/export'))!;
      assert.equal(exported.path, '/api/v0/imagescan/scansummary/repositories/engineering/api/latest/export');
      assert.equal(exported.query, 'os=linux&arch=arm64');
      assert.equal(exported.user, 'alice');
      const rows = csv.content.trimEnd().split('\r\n');
      assert.equal(rows[0], 'os,architecture,manifest digest,layer,component,version,source,licenses,cve,cvss,severity,summary');
      // One row per component and CVE: the summary's 320 CVEs of linux/arm64, every row of that platform.
      assert.equal(rows.length, 1 + 320);
      assert.ok(rows.slice(1).every((r) => r.startsWith('linux,arm64,sha256:')));
      // Registry text is quoted as CSV, never altered.
      assert.ok(rows.some((r) => r.includes(',"Flaw 0 in component-0 <script>alert(0)</script>"') || r.endsWith(',Flaw 0 in component-0 <script>alert(0)</script>')));
      const summary = await admin.getScanReport('engineering/api', 'latest', undefined, 'linux/arm64');
      const ids = new Set(summary.vulnerabilities.map((v) => v.id));
      assert.deepEqual(new Set(rows.slice(1).map((r) => r.split(',')[8])), ids);

      const json = await run(a, latest, { format: 'json', platform: 'linux/amd64' });
      assert.ok(json.kind === 'file');
      assert.equal(json.fileName, 'engineering-api-latest-linux-amd64-scan.json');
      assert.equal(json.mediaType, 'application/json');
      const body = JSON.parse(json.content) as Array<{ scannedImage: { tag: string; cves: unknown[]; manifestDigest: string } }>;
      assert.equal(body.length, 1);
      assert.equal(body[0]!.scannedImage.tag, 'latest');
      assert.equal(body[0]!.scannedImage.cves.length, 320);

      // A single-platform tag needs no platform.
      const one = await run(a, tag, { format: 'csv', platform: '' });
      assert.ok(one.kind === 'file');
      assert.equal(one.fileName, 'engineering-api-1.0-linux-amd64-scan.csv');
      assert.equal(one.content.trimEnd().split('\r\n').length, 1 + 12);
    });

    it('the fake export honours Accept (406), its query parameters (400) and the scan summary role', async () => {
      const url = `${dtr.url}/api/v0/imagescan/scansummary/repositories/engineering/api/latest/export?os=linux&arch=amd64`;
      const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
      const get = (accept: string, u = url, who = basic('alice', 'alice-password')) => fetch(u, { headers: { accept, authorization: who } });
      assert.equal((await get('application/xml')).status, 406);
      assert.equal((await get('text/csv;q=0, application/json;q=0')).status, 406);
      const csv = await get('text/csv');
      assert.equal(csv.status, 200);
      assert.equal(csv.headers.get('content-type'), 'text/csv');
      const json = await get('application/json');
      assert.equal(json.headers.get('content-type'), 'application/json');
      assert.ok(Array.isArray(await json.json()));
      assert.equal((await get('text/csv', `${url}&scanstatus=maybe`)).status, 400);
      assert.equal((await fetch(url, { headers: { accept: 'text/csv' } })).status, 401);
      dtr.addUser('erin', 'erin-password');
      // Erin cannot see the private repository: 404, as for its scan summary.
      assert.equal((await get('text/csv', url, basic('erin', 'erin-password'))).status, 404);
      assert.equal((await fetch(url.replace('/export', ''), { headers: { accept: 'application/json', authorization: basic('erin', 'erin-password') } })).status, 404);
    });

    it('delete manifest: verify names every tag of the digest, run removes them', async () => {
      dtr.addTag('engineering/api', { name: 'gone-a' });
      dtr.addTag('engineering/api', { name: 'gone-b', digest: dtr.repository('engineering/api')!.tags.find((t) => t.name === 'gone-a')!.digest });
      const ref: ResourceRef = { type: 'tag', scope: { ...repo, tag: 'gone-a' }, key: 'gone-a' };
      const a = tagAction(alice.admin, 'deleteManifest');
      const verdict = await verifyAction(a, ref, {});
      assert.deepEqual(verdict.items, ['gone-a', 'gone-b']);
      assert.match(verdict.confirm!.message, /gone-a, gone-b/);
      await run(a, ref, {});
      assert.equal(dtr.repository('engineering/api')!.tags.some((t) => t.name.startsWith('gone-')), false);
    });

    it('forgets what it learned about the user when the credentials change', async () => {
      const before = alice.admin;
      alice.resetAuth();
      assert.notEqual(alice.admin, before);
      assert.equal(alice.admin, alice.admin);
    });

    it('hides write actions from a read-only user once their access is known', async () => {
      dtr.addUser('carol', 'pw');
      dtr.addTeam('engineering', 'readers', ['carol']);
      dtr.setNamespaceAccess('engineering', 'readers', 'read-only');
      const carol = dtrProvider(dtr, 'carol', 'pw');
      try {
        const mine = singletonType(carol.admin, 'myRepositoryAccess');
        assert.deepEqual(await mine.get({ type: 'myRepositoryAccess', scope: repo }), { level: 'read-only', repository: 'engineering/api' });
        assert.equal(await type(carol.admin, 'repositoryTeamAccess').available!(repo), false);
        assert.equal(await type(carol.admin, 'repositoryWebhook').available!(repo), false);
        assert.equal(tagAction(carol.admin, 'scan').when!(tag), false);
        assert.equal(tagAction(carol.admin, 'deleteManifest').when!(tag), false);
        assert.equal(tagAction(carol.admin, 'promote').when!(tag), true);
      } finally {
        carol.dispose();
      }
    });
  });

  describe('access', () => {
    it('team access offers the teams of the organization (from the account service), searched by name, and no free text', async () => {
      const d = await startDtrServer({ validateResponses: true, enzi: true });
      seedDemo(d);
      d.addTeam('engineering', 'release-managers', ['alice']);
      const p = dtrProvider(d, 'alice', 'alice-password');
      try {
        for (const [t, scope] of [
          ['repositoryTeamAccess', repo],
          ['namespaceTeamAccess', { namespace: 'engineering' }],
        ] as const) {
          const team = type(p.admin, t).create!.form.choices?.team;
          assert.ok(team, `${t}: the team field has choices`);
          assert.notEqual(team.freeText, true, 'DTR grants access to its teams only');
          assert.deepEqual((await team.load(scope, '', undefined)).map((c) => c.value).sort(), ['developers', 'qa', 'release-managers']);
          assert.deepEqual(await team.load(scope, 'REL', undefined), [{ value: 'release-managers', label: 'release-managers' }]);
        }
        assert.ok(d.requests.some((r) => r.path === '/enzi/v0/accounts/engineering/teams' && r.user === 'alice'));
        // When the account service does not answer, loading says so (no silent empty list).
        const bare = await startDtrServer({ validateResponses: true });
        seedDemo(bare);
        const q = dtrProvider(bare, 'alice', 'alice-password');
        try {
          await assert.rejects(type(q.admin, 'repositoryTeamAccess').create!.form.choices!.team!.load(repo, '', undefined), /teams of engineering/);
        } finally {
          q.dispose();
          await bare.close();
        }
      } finally {
        p.dispose();
        await d.close();
      }
    });

    it('team access per repository: grant, set, revoke', async () => {
      const t = type(alice.admin, 'repositoryTeamAccess');
      assert.equal(await t.available!(repo), true);
      await create(t, repo, { team: 'developers', accessLevel: 'read-only' });
      let list = (await items(t, repo)) as Array<{ accessLevel: string; team: { name?: string } }>;
      assert.equal(list.find((x) => x.team.name === 'developers')?.accessLevel, 'read-only');
      const ref: ResourceRef = { type: t.type, scope: repo, key: 'developers' };
      await run(action(t.actions, 'setAccess'), ref, { accessLevel: 'admin' });
      list = (await items(t, repo)) as typeof list;
      assert.equal(list.find((x) => x.team.name === 'developers')?.accessLevel, 'admin');
      await t.remove!.run(ref);
      list = (await items(t, repo)) as typeof list;
      assert.equal(list.some((x) => x.team.name === 'developers'), false);
    });

    it('team access per namespace', async () => {
      const t = type(alice.admin, 'namespaceTeamAccess');
      const ns: Scope = { namespace: 'engineering' };
      assert.equal(await t.available!(ns), true);
      assert.equal(await t.available!({ namespace: 'alice' }), false);
      const bob = dtrProvider(dtr, 'bob', 'bob-password');
      try {
        assert.equal(await type(bob.admin, 'namespaceTeamAccess').available!(ns), false);
        assert.equal(await type(bob.admin, 'namespaceWebhook').available!(ns), false);
        assert.equal(await type(bob.admin, 'namespaceWebhook').available!({ namespace: 'bob' }), true);
      } finally {
        bob.dispose();
      }
      await run(action(t.actions, 'setAccess'), { type: t.type, scope: ns, key: 'qa' }, { accessLevel: 'read-write' });
      const list = (await items(t, ns)) as Array<{ accessLevel: string; team: { name?: string } }>;
      assert.equal(list.find((x) => x.team.name === 'qa')?.accessLevel, 'read-write');
      await t.remove!.run({ type: t.type, scope: ns, key: 'qa' });
      assert.equal(((await items(t, ns)) as typeof list).some((x) => x.team.name === 'qa'), false);
    });
  });

  describe('webhooks and events', () => {
    it('creates, tests, deactivates, edits and deletes a repository webhook', async () => {
      const t = type(alice.admin, 'repositoryWebhook');
      const before = (await items(t, repo)).length;
      await create(t, repo, { type: 'TAG_PUSH', endpoint: 'https://hooks.example.com/new' });
      const w = ((await items(t, repo)) as Array<{ id: string; inactive: boolean; endpoint: string }>).find((x) => x.endpoint === 'https://hooks.example.com/new');
      const ref: ResourceRef = { type: t.type, scope: repo, key: w!.id };
      assert.equal((await run(action(t.actions, 'test'), ref)).kind, 'done');
      const deactivate = action(t.actions, 'deactivate');
      assert.equal(deactivate.when!(w), true);
      await run(deactivate, ref);
      assert.equal(((await t.get!(ref)) as { inactive: boolean }).inactive, true);
      await update(t, ref, { ...(await valuesOf(t, ref)), skipTLSVerification: true });
      assert.equal(((await t.get!(ref)) as { skipTLSVerification: boolean }).skipTLSVerification, true);
      await t.remove!.run(ref);
      assert.equal((await items(t, repo)).length, before);
    });

    it('namespace webhooks', async () => {
      const t = type(alice.admin, 'namespaceWebhook');
      const before = (await items(t, { namespace: 'engineering' })).length;
      await create(t, { namespace: 'engineering' }, { type: 'REPO_EVENT', endpoint: 'https://hooks.example.com/ns' });
      assert.equal((await items(t, { namespace: 'engineering' })).length, before + 1);
    });

    it('pages a repository event log by header', async () => {
      const t = type(alice.admin, 'repositoryEvent');
      const first = await t.list(repo, undefined);
      assert.equal(first.items.length, 100);
      const second = await t.list(repo, first.next);
      assert.ok(second.items.length > 0);
      assert.ok(t.view(second.items[0]).label);
    });
  });

  describe('account: API tokens', () => {
    it('creates (secret shown once), renames, deactivates, activates and deletes', async () => {
      const t = type(alice.admin, 'apiToken');
      assert.equal(await t.available!({}), true);
      const out = await create(t, {}, { tokenLabel: 'new-one' });
      assert.equal(out.kind, 'secret');
      const secret = out.kind === 'secret' ? out.secret : '';
      assert.ok(secret.length > 10);
      // The token signs in.
      const viaToken = dtrProvider(dtr, 'alice', secret);
      assert.equal((await viaToken.ping()).ok, true);
      const list = (await items(t, {})) as Array<{ hashedToken: string; tokenLabel: string; isActive: boolean }>;
      const tok = list.find((x) => x.tokenLabel === 'new-one')!;
      assert.equal(JSON.stringify(list).includes(secret), false);
      const ref: ResourceRef = { type: 'apiToken', scope: {}, key: tok.hashedToken };
      await update(t, ref, { tokenLabel: 'renamed' });
      assert.equal(((await t.get!(ref)) as { tokenLabel: string }).tokenLabel, 'renamed');
      const off = action(t.actions, 'deactivate');
      assert.match((await off.confirm!(tok, ref, undefined))!.message, /new-one/);
      await run(off, ref);
      assert.equal((await viaToken.ping()).error?.kind, 'unauthorized');
      await run(action(t.actions, 'activate'), ref);
      assert.equal((await viaToken.ping()).ok, true);
      await t.remove!.run(ref);
      assert.equal((await viaToken.ping()).error?.kind, 'unauthorized');
      viaToken.dispose();
    });
  });

  describe('administration', () => {
    it('is hidden from non-admins', async () => {
      for (const id of ['job', 'cron']) assert.equal(await type(alice.admin, id).available!({}), false, id);
      assert.equal(await singletonType(alice.admin, 'scanner').available!({}), false, 'scanner');
    });

    it('jobs (list, logs, cancel), crons, scanner status and scan on push for all repositories', async () => {
      const jobs = type(admin.admin, 'job');
      assert.equal(await jobs.available!({}), true);
      const list = (await items(jobs, {})) as Array<{ id: string; status: string; action: string }>;
      const running = list.find((j) => j.status === 'running')!;
      const logs = await run(action(jobs.actions, 'logs'), { type: 'job', scope: {}, key: list[0]!.id });
      assert.equal(logs.kind, 'list');
      const cancel = action(jobs.actions, 'cancel');
      assert.equal(cancel.when!(running), true);
      assert.equal(cancel.when!(list.find((j) => j.status === 'done')), false);
      await run(cancel, { type: 'job', scope: {}, key: running.id });
      assert.equal(((await items(jobs, {})) as typeof list).find((j) => j.id === running.id)?.status, 'canceled');
      assert.ok((await items(type(admin.admin, 'cron'), {})).length >= 1);
      const scanner = singletonType(admin.admin, 'scanner');
      assert.equal(await scanner.available!({}), true);
      assert.ok(scanner.view(await scanner.get({ type: 'scanner', scope: {} })).description);
      await run(action(scanner.actions, 'scanOnPushAll'), { type: 'scanner', scope: {} });
      assert.equal(dtr.repository('platform/base')!.scanOnPush, true);
      await assert.rejects(alice.api.toggleScanOnPush(false), ForbiddenError);
    });

    it('layer overrides: a CVE marked not applicable in a layer leaves the scan summary', async () => {
      const t = type(admin.admin, 'layerOverride');
      assert.equal(await t.available!({}), true);
      assert.equal(await type(alice.admin, 'layerOverride').available!({}), false);
      const before = await admin.getScanReport('engineering/web', 'stable');
      const v = before.vulnerabilities[0]!;
      await create(t, {}, { layer: v.layer, component: v.packageName, componentVersion: v.installedVersion, cve: v.id, notes: 'not reachable' });
      const [o] = (await items(t, {})) as Array<{ pk: string }>;
      const after = await admin.getScanReport('engineering/web', 'stable');
      assert.equal(after.vulnerabilities.length, before.vulnerabilities.length - 1);
      assert.equal(after.vulnerabilities.some((x) => x.id === v.id && x.layer === v.layer), false);
      await t.remove!.run({ type: t.type, scope: {}, key: o!.pk });
      assert.equal((await admin.getScanReport('engineering/web', 'stable')).vulnerabilities.length, before.vulnerabilities.length);
    });
  });
});

describe('DTR admin forms', () => {
  /** Field shapes the generic form panel renders (src/registry/admin.ts FormDecl), each with a title. */
  function check(schema: z.ZodType, at: string, problems: string[], nested = false): void {
    const def = (schema as unknown as { _zod: { def: { type: string; shape?: Record<string, z.ZodType> } } })._zod.def;
    if (def.type !== 'object') {
      problems.push(`${at}: a form is an object, got ${def.type}`);
      return;
    }
    for (const [name, field] of Object.entries(def.shape ?? {})) {
      const where = `${at}.${name}`;
      if (!nested && !z.globalRegistry.get(field)?.title && name !== 'auth') problems.push(`${where}: no title`);
      let inner = field as unknown as { _zod: { def: { type: string; innerType?: unknown; element?: unknown; options?: unknown[]; discriminator?: string } } };
      while (inner._zod.def.type === 'optional' || inner._zod.def.type === 'default') inner = inner._zod.def.innerType as typeof inner;
      const d = inner._zod.def;
      if (['string', 'number', 'boolean', 'enum', 'literal'].includes(d.type)) continue;
      if (d.type === 'array') {
        const el = (d.element as typeof inner)._zod.def.type;
        if (el === 'object') check(d.element as z.ZodType, `${where}[]`, problems, true);
        else if (el !== 'string') problems.push(`${where}: array of ${el}`);
        continue;
      }
      if (d.type === 'union' && d.discriminator) {
        for (const o of d.options ?? []) check(o as z.ZodType, `${where}|`, problems, true);
        continue;
      }
      problems.push(`${where}: unsupported ${d.type}`);
    }
  }

  it('every form of the model uses the shapes the generic panel renders, with titles', async () => {
    const dtr = await startDtrServer();
    const p = dtrProvider(dtr, 'x', 'y');
    try {
      const m = p.admin;
      const forms: Array<[string, z.ZodType]> = [];
      for (const t of m.types) {
        if (t.shape !== 'singleton' && t.create) forms.push([`${t.type}.create`, t.create.form.schema]);
        if (t.update) forms.push([`${t.type}.update`, t.update.form.schema]);
        for (const a of t.actions ?? []) if (a.input) forms.push([`${t.type}.${a.id}`, a.input.schema]);
      }
      assert.ok(forms.length >= 15);
      const problems: string[] = [];
      for (const [at, schema] of forms) check(schema, at, problems);
      assert.deepEqual(problems, []);
      // Secrets are marked so the panel never keeps them in its restore state.
      const push = forms.find(([at]) => at === 'tag.pushMirror')![1] as unknown as { shape: { credentials: { options: Array<{ shape: Record<string, z.ZodType> }> } } };
      const secretFields = push.shape.credentials.options.flatMap((o) => Object.values(o.shape)).filter((f) => z.globalRegistry.get(f)?.secret === true);
      assert.equal(secretFields.length, 2);
    } finally {
      p.dispose();
      await dtr.close();
    }
  });
});
