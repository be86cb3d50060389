import * as assert from 'node:assert/strict';
import * as z from 'zod';
import type { Outcome, ResourceRef, Scope } from '../../src/registry/admin';
import { BadResponseError, UnauthorizedError } from '../../src/registry/errors';
import { durationSeconds, formatDuration } from '../../src/registry/quay/admin';
import type { QuayProvider } from '../../src/registry/quay/provider';
import { ALL_SCOPES, startQuayServer, type QuayServer } from '../servers/quayServer';
import { drive, type Driven, type DrivenAction, type Item } from '../support/adminDriver';
import { disposeQuayProviders, quayProvider } from '../support/quaySetup';

function typeOf(p: QuayProvider, type: string): Driven {
  const t = p.admin.types.find((x) => x.type === type);
  assert.ok(t, `no resource type ${type}`);
  return drive(t);
}

async function items(p: QuayProvider, type: string, scope: Scope): Promise<Item[]> {
  return (await typeOf(p, type).list(scope, undefined)).items;
}

function ref(type: string, scope: Scope, key: string): ResourceRef {
  return { type, scope, key };
}

function action(list: DrivenAction[] | undefined, id: string): DrivenAction {
  const a = list?.find((x) => x.id === id);
  assert.ok(a, `no action ${id}`);
  return a;
}

function secretOf(o: Outcome): string {
  assert.equal(o.kind, 'secret');
  return (o as Extract<Outcome, { kind: 'secret' }>).secret;
}

describe('Quay admin model', () => {
  let quay: QuayServer;
  let p: QuayProvider;
  const app: Scope = { namespace: 'acme', repository: 'acme/app' };

  beforeEach(async () => {
    quay = await startQuayServer();
    p = quayProvider(quay).provider;
  });
  afterEach(async () => {
    assert.deepEqual(quay.requestIssues, [], 'every request body matched the request schema');
    disposeQuayProviders();
    await quay.close();
  });

  it('declares forms whose fields all carry a title', () => {
    const forms: z.ZodType[] = [];
    for (const t of p.admin.types.map(drive)) {
      if (t.create) forms.push(t.create.form.schema);
      if (t.update) forms.push(t.update.form.schema);
      for (const a of t.actions) if (a.input) forms.push(a.input.schema);
    }
    assert.ok(forms.length >= 15);
    for (const f of forms) {
      assert.ok(f instanceof z.ZodObject, 'forms are objects');
      for (const [k, field] of Object.entries((f as z.ZodObject).shape)) {
        assert.ok((field as z.ZodType).meta()?.title, `field ${k} has a title`);
      }
    }
    const groups = new Set(p.admin.groups.map((g) => g.id));
    for (const t of p.admin.types) if (t.shape !== 'core' && t.placement.group) assert.ok(groups.has(t.placement.group), t.type);
  });

  it('parses and formats durations', () => {
    assert.equal(durationSeconds('2w'), 1209600);
    assert.equal(durationSeconds('14d'), 1209600);
    assert.equal(durationSeconds('0'), 0);
    assert.equal(formatDuration(1209600), '2w');
    assert.throws(() => durationSeconds('soon'), BadResponseError);
  });

  describe('repositories (core node operations)', () => {
    it('creates, edits description / visibility / state, and deletes', async () => {
      const ns = typeOf(p, 'namespace');
      await ns.create!.run({ namespace: 'beta' }, { name: 'newrepo', description: 'Hello', visibility: 'private' });
      assert.deepEqual(quay.repository('beta/newrepo'), { description: 'Hello', isPublic: false, state: 'NORMAL' });
      const repo = typeOf(p, 'repository');
      const r = ref('repository', { namespace: 'beta', repository: 'beta/newrepo' }, 'beta/newrepo');
      const values = await repo.update!.values(r);
      assert.deepEqual(values, { description: 'Hello', visibility: 'private', state: 'NORMAL' });
      const out = await repo.update!.run(r, { description: 'Changed', visibility: 'public', state: 'READ_ONLY' });
      assert.match((out as { message: string }).message, /description, visibility public, state READ_ONLY/);
      assert.deepEqual(quay.repository('beta/newrepo'), { description: 'Changed', isPublic: true, state: 'READ_ONLY' });
      const c = await repo.remove!.confirm(r, r);
      assert.match(c.message, /beta\/newrepo/);
      await repo.remove!.run(r);
      assert.equal(quay.repository('beta/newrepo'), undefined);
    });
  });

  describe('tags', () => {
    const tagRef = (tag: string) => ref('tag', { ...app, tag }, tag);
    const tagActions = () => typeOf(p, 'tag').actions;

    it('adds a tag at this digest and moves an existing one', async () => {
      const digest10 = (await p.api.tag('acme/app', '1.0')).manifest_digest;
      const add = action(tagActions(), 'addTag');
      assert.match((await add.confirm!(tagRef('1.0'), tagRef('1.0'), { tag: 'stable' }))!.message, /stable/);
      await add.run(tagRef('1.0'), { tag: 'stable' });
      assert.equal((await p.api.tag('acme/app', 'stable')).manifest_digest, digest10);
      await add.run(tagRef('1.0'), { tag: 'dev' });
      assert.equal((await p.api.tag('acme/app', 'dev')).manifest_digest, digest10);
      const ended = quay.tags('acme/app').filter((t) => t.name === 'dev' && t.end !== undefined);
      assert.equal(ended.length, 2, 'the moved tag left its old entry in the history');
    });

    it('sets and clears an expiration', async () => {
      const at = new Date(Date.now() + 3 * 86400_000).toISOString();
      await action(tagActions(), 'setExpiration').run(tagRef('1.0'), { expiresAt: at });
      let t = (await p.listTags('acme/app', undefined)).items.find((x) => x.name === '1.0')!;
      assert.equal(Math.floor(Date.parse(t.expiresAt!) / 1000), Math.floor(Date.parse(at) / 1000));
      await assert.rejects(action(tagActions(), 'setExpiration').run(tagRef('1.0'), { expiresAt: '2001-01-01' }), /future/);
      await action(tagActions(), 'clearExpiration').run(tagRef('1.0'), undefined);
      t = (await p.listTags('acme/app', undefined)).items.find((x) => x.name === '1.0')!;
      assert.equal(t.expiresAt, undefined);
    });

    it('opens the security panel', async () => {
      const o = await action(tagActions(), 'securityReport').run(tagRef('latest'), undefined);
      assert.deepEqual(o, { kind: 'panel', panel: 'scan', repository: 'acme/app', reference: 'latest' });
    });

    it('lists inactive tags in the tag history and restores one', async () => {
      const history = typeOf(p, 'tagHistory');
      const list = await items(p, 'tagHistory', app);
      assert.deepEqual(list.map((t) => t.name).sort(), ['dev', 'old']);
      const old = list.find((t) => t.name === 'old')!;
      const key = history.key(old);
      const restore = action(history.actions, 'restore');
      assert.match((await restore.confirm!(old, ref('tagHistory', app, key)))!.message, /old of acme\/app/);
      const o = await restore.run(ref('tagHistory', app, key), undefined);
      assert.equal((o as { refresh?: string }).refresh, 'owner');
      assert.ok((await p.listTags('acme/app', undefined)).items.some((t) => t.name === 'old'));
      const q = new URLSearchParams(quay.requests.find((r) => r.path.endsWith('/tag/') && r.query.includes('onlyActiveTags=false'))!.query);
      assert.equal(q.get('onlyActiveTags'), 'false');
    });

    it('lists, adds and deletes manifest labels', async () => {
      const scope = { ...app, tag: '1.0' };
      assert.equal((await items(p, 'manifestLabel', scope)).length, 1);
      const labels = typeOf(p, 'manifestLabel');
      await labels.create!.run(scope, { key: 'team', value: 'core' });
      const list = await items(p, 'manifestLabel', scope);
      assert.equal(list.length, 2);
      const team = list.find((l) => l.key === 'team')!;
      assert.match((await labels.remove!.confirm(team, ref('manifestLabel', scope, String(team.id)))).message, /team=core/);
      await labels.remove!.run(ref('manifestLabel', scope, String(team.id)));
      assert.equal((await items(p, 'manifestLabel', scope)).length, 1);
    });
  });

  describe('policies', () => {
    it('shows, edits, syncs and cancels repository mirroring', async () => {
      const mirror = typeOf(p, 'mirror');
      const scope = { namespace: 'acme', repository: 'acme/alpine' };
      const r = ref('mirror', scope, '');
      const m = await mirror.get(r);
      assert.match(mirror.view(m).description!, /enabled · SUCCESS · docker.io\/library\/alpine/);
      const values = await mirror.update!.values(r);
      assert.deepEqual(values.tags, ['latest', '3.*']);
      assert.equal(values.password, undefined, 'the stored password is never read back');
      await mirror.update!.run(r, { ...values, tags: ['3.20', 'edge'], password: 'hunter2' });
      assert.deepEqual((quay.mirrorOf('acme/alpine')!.root_rule as { rule_value: string[] }).rule_value, ['3.20', 'edge']);
      assert.equal(quay.mirrorOf('acme/alpine')!.external_registry_password, 'hunter2');
      const m2 = await mirror.get(r);
      assert.equal(action(mirror.actions, 'syncNow').when!(m2), true);
      await action(mirror.actions, 'syncNow').run(r, undefined);
      const m3 = await mirror.get(r);
      assert.equal(action(mirror.actions, 'cancelSync').when!(m3), true);
      await action(mirror.actions, 'cancelSync').run(r, undefined);
      assert.equal(quay.mirrorOf('acme/alpine')!.sync_status, 'CANCEL');
    });

    it('creates a mirror configuration where none exists', async () => {
      const mirror = typeOf(p, 'mirror');
      const r = ref('mirror', app, '');
      assert.equal(mirror.view(await mirror.get(r)).description, 'not configured');
      const values = await mirror.update!.values(r);
      await mirror.update!.run(r, { ...values, externalReference: 'quay.io/acme/upstream', robot: 'acme+mirror' });
      assert.equal(quay.mirrorOf('acme/app')!.external_reference, 'quay.io/acme/upstream');
    });

    it('lists, creates (method config as a discriminated union), tests, resets and deletes notifications', async () => {
      const n = typeOf(p, 'notification');
      let list = await items(p, 'notification', app);
      assert.equal(list.length, 1);
      const reset = action(n.actions, 'resetFailures');
      assert.equal(reset.when!(list[0]), true);
      await reset.run(ref('notification', app, String(list[0].uuid)), undefined);
      assert.equal((await items(p, 'notification', app))[0].number_of_failures, 0);
      await n.create!.run(app, { event: 'repo_push', delivery: { method: 'slack', url: 'https://hooks.slack.example/x' } });
      await n.create!.run(app, { title: 'tell the team', event: 'vulnerability_found', delivery: { method: 'quay_notification', targetKind: 'team', target: 'developers' } });
      await n.create!.run(app, { event: 'repo_image_expiry', days: 3, delivery: { method: 'email', email: 'ops@example.com' } });
      await assert.rejects(n.create!.run(app, { event: 'repo_image_expiry', delivery: { method: 'email', email: 'ops@example.com' } }), /Days before expiry/);
      await assert.rejects(n.create!.run(app, { event: 'repo_push', delivery: { method: 'webhook' } }), z.ZodError);
      list = await items(p, 'notification', app);
      assert.equal(list.length, 4);
      const team = list.find((x) => x.title === 'tell the team')!;
      assert.deepEqual(team.config, { target: { kind: 'team', name: 'developers' } });
      await action(n.actions, 'test').run(ref('notification', app, String(team.uuid)), undefined);
      assert.match((await n.remove!.confirm(team, ref('notification', app, String(team.uuid)))).message, /tell the team/);
      await n.remove!.run(ref('notification', app, String(team.uuid)));
      assert.equal((await items(p, 'notification', app)).length, 3);
    });

    it('manages repository and organization auto-prune policies', async () => {
      const t = typeOf(p, 'autoPrunePolicy');
      assert.equal((await items(p, 'autoPrunePolicy', app)).length, 1);
      await t.create!.run(app, { method: 'number_of_tags', value: '5', tagPatternMatches: true });
      await assert.rejects(t.create!.run(app, { method: 'number_of_tags', value: '7d' }), z.ZodError);
      const created = (await items(p, 'autoPrunePolicy', app)).find((x) => x.method === 'number_of_tags')!;
      assert.equal(created.value, 5);
      const r = ref('autoPrunePolicy', app, String(created.uuid));
      assert.deepEqual(await t.update!.values(r), { method: 'number_of_tags', value: '5', tagPattern: undefined, tagPatternMatches: true });
      await t.update!.run(r, { method: 'creation_date', value: '7d', tagPattern: '^tmp-', tagPatternMatches: false });
      const updated = (await items(p, 'autoPrunePolicy', app)).find((x) => x.uuid === created.uuid)!;
      assert.deepEqual([updated.method, updated.value, updated.tagPattern, updated.tagPatternMatches], ['creation_date', '7d', '^tmp-', false]);
      await t.remove!.run(r);
      assert.equal((await items(p, 'autoPrunePolicy', app)).length, 1);
      const org = { namespace: 'acme' };
      assert.equal((await items(p, 'orgAutoPrunePolicy', org)).length, 1);
      await typeOf(p, 'orgAutoPrunePolicy').create!.run(org, { method: 'creation_date', value: '30d' });
      assert.equal((await items(p, 'orgAutoPrunePolicy', org)).length, 2);
    });

    it('previews which tags a repository policy would prune or make immutable', async () => {
      const many = { namespace: 'acme', repository: 'acme/many' };
      const prune = (target: Scope, values: Record<string, unknown>) => typeOf(p, 'autoPrunePolicy').create!.verify!(target, values);
      const keep = await prune(many, { method: 'number_of_tags', value: '100', tagPatternMatches: true });
      assert.equal(keep.ok, true);
      assert.equal(keep.items!.length, 25, '125 live tags, the newest 100 kept');
      assert.ok(keep.items!.includes('build-5'), 'the oldest go');
      assert.match(keep.confirm!.message, /25 of 125 tags of acme\/many/);
      const none = await prune(many, { method: 'creation_date', value: '30d', tagPattern: '^build-1', tagPatternMatches: true });
      assert.deepEqual(none.items, []);
      assert.equal(none.confirm, undefined);
      const bad = await prune(many, { method: 'number_of_tags', value: '1', tagPattern: '(', tagPatternMatches: true });
      assert.equal(bad.ok, false);
      const imm = await typeOf(p, 'immutabilityPolicy').update!.verify!(ref('immutabilityPolicy', many, 'x'), { tagPattern: '^build-12[0-9]$', tagPatternMatches: true });
      assert.deepEqual([...imm.items!].sort(), ['build-120', 'build-121', 'build-122', 'build-123', 'build-124', 'build-125', 'build-126', 'build-127', 'build-128', 'build-129']);
      assert.equal(typeof typeOf(p, 'orgAutoPrunePolicy').create!.form.verify, 'undefined', 'no preview across an organization');
    });

    it('manages immutability policies', async () => {
      const t = typeOf(p, 'immutabilityPolicy');
      await t.create!.run(app, { tagPattern: '^v[0-9.]+$' });
      const list = await items(p, 'immutabilityPolicy', app);
      assert.equal(list.length, 2);
      const r = ref('immutabilityPolicy', app, String(list[1].uuid));
      await t.update!.run(r, { tagPattern: '^stable$', tagPatternMatches: true });
      assert.equal((await items(p, 'immutabilityPolicy', app))[1].tagPattern, '^stable$');
      await t.remove!.run(r);
      assert.equal((await items(p, 'orgImmutabilityPolicy', { namespace: 'acme' })).length, 1);
    });

    it("sets the organization's default tag expiration", async () => {
      const t = typeOf(p, 'orgTagExpiration');
      const r = ref('orgTagExpiration', { namespace: 'acme' }, '');
      assert.equal(t.view(await t.get(r)).description, '2w');
      await t.update!.run(r, { tagExpiration: '1w' });
      assert.equal(t.view(await t.get(r)).description, '1w');
      await assert.rejects(t.update!.run(r, { tagExpiration: '3d' }), /invalid|400/i);
    });
  });

  describe('proxy cache', () => {
    it('shows, replaces (after confirming) and removes an organization proxy cache', async () => {
      const t = typeOf(p, 'proxyCache');
      const beta = ref('proxyCache', { namespace: 'beta' }, '');
      assert.equal(await t.available!({ namespace: 'beta' }), true);
      assert.equal(await t.available!({ namespace: 'alice' }), false, 'organizations only');
      assert.equal(t.view(await t.get(beta)).description, 'docker.io · expires after 1d');
      const verdict = await t.update!.verify!(beta, { upstreamRegistry: 'quay.io', expiration: '12h', insecure: false });
      assert.match(verdict.confirm!.message, /Replace the proxy cache of beta \(docker.io\) with quay.io/);
      await t.update!.run(beta, { upstreamRegistry: 'quay.io', expiration: '12h', username: 'puller', password: 'pw', insecure: false });
      assert.deepEqual(quay.proxyCacheOf('beta'), { upstream_registry: 'quay.io', expiration_s: 43200, insecure: false, upstream_registry_username: 'puller' });
      const acme = ref('proxyCache', { namespace: 'acme' }, '');
      assert.equal(t.view(await t.get(acme)).description, 'not configured');
      const remove = action(t.actions, 'removeProxyCache');
      assert.equal(remove.when!(await t.get(acme)), false);
      await remove.run(beta, undefined);
      assert.equal(quay.proxyCacheOf('beta'), undefined);
    });
  });

  describe('access', () => {
    it('lists permission objects keyed by name and sets / changes / removes them', async () => {
      const t = typeOf(p, 'repositoryPermission');
      const list = await items(p, 'repositoryPermission', app);
      assert.deepEqual(list.map((x) => `${String(x.kind)}:${String(x.name)}:${String(x.role)}`).sort(), ['team:developers:write', 'team:owners:admin', 'user:acme+ci:write', 'user:alice:admin']);
      assert.equal(t.view(list.find((x) => x.name === 'acme+ci')!).description, 'robot · write');
      await t.create!.run(app, { kind: 'user', name: 'bob', role: 'read' });
      const r = ref('repositoryPermission', app, 'user:bob');
      assert.deepEqual(await t.update!.values(r), { role: 'read' });
      await t.update!.run(r, { role: 'write' });
      assert.equal((await items(p, 'repositoryPermission', app)).find((x) => x.name === 'bob')!.role, 'write');
      await t.remove!.run(r);
      assert.ok(!(await items(p, 'repositoryPermission', app)).some((x) => x.name === 'bob'));
      // A user namespace has no teams: the list holds the user permissions only.
      assert.ok((await items(p, 'repositoryPermission', { namespace: 'alice', repository: 'alice/scratch' })).every((x) => x.kind === 'user'));
    });

    it('creates teams with a role, adds and removes members, deletes teams', async () => {
      const teams = typeOf(p, 'team');
      const org = { namespace: 'acme' };
      assert.deepEqual((await items(p, 'team', org)).map((t) => t.name), ['owners', 'developers']);
      await teams.create!.run(org, { name: 'qa', role: 'creator', description: 'Testers' });
      const qa = (await items(p, 'team', org)).find((t) => t.name === 'qa')!;
      assert.equal(qa.role, 'creator');
      const members = typeOf(p, 'teamMember');
      const scope = { parent: ref('team', org, 'qa') };
      await members.create!.run(scope, { name: 'bob' });
      await members.create!.run(scope, { name: 'acme+ci' });
      assert.deepEqual((await items(p, 'teamMember', scope)).map((m) => m.name).sort(), ['acme+ci', 'bob']);
      await members.remove!.run(ref('teamMember', scope, 'bob'));
      assert.deepEqual((await items(p, 'teamMember', scope)).map((m) => m.name), ['acme+ci']);
      await teams.update!.run(ref('team', org, 'qa'), { role: 'member' });
      await teams.remove!.run(ref('team', org, 'qa'));
      assert.ok(!(await items(p, 'team', org)).some((t) => t.name === 'qa'));
    });

    it('lists robots without tokens (token=false), creates one and regenerates its token (secret outcomes), deletes it', async () => {
      const robots = typeOf(p, 'robot');
      const org = { namespace: 'acme' };
      const list = await items(p, 'robot', org);
      assert.deepEqual(list.map((r) => r.name), ['acme+ci', 'acme+mirror']);
      assert.ok(list.every((r) => r.token === undefined));
      assert.match(robots.view(list[0]).description!, /teams developers/);
      const q = new URLSearchParams(quay.requests.find((r) => r.path.endsWith('/robots'))!.query);
      assert.equal(q.get('token'), 'false');
      assert.equal(q.get('permissions'), 'true');
      const perms = await items(p, 'robotPermission', { parent: ref('robot', org, 'acme+ci') });
      assert.deepEqual(perms, [{ repository: 'app', role: 'write' }]);
      const first = secretOf(await robots.create!.run(org, { shortname: 'deploy', description: 'Deploys' }));
      assert.match(first, /^[0-9A-F]{64}$/);
      const regen = action(robots.actions, 'regenerate');
      assert.match((await regen.confirm!({ name: 'acme+deploy' }, ref('robot', org, 'acme+deploy')))!.message, /acme\+deploy/);
      const second = secretOf(await regen.run(ref('robot', org, 'acme+deploy'), undefined));
      assert.notEqual(second, first);
      await robots.remove!.run(ref('robot', org, 'acme+deploy'));
      assert.equal((await items(p, 'robot', org)).length, 2);
      // The user's own robots live under /user/robots.
      assert.deepEqual((await items(p, 'robot', { namespace: 'alice' })).map((r) => r.name), ['alice+laptop']);
      secretOf(await robots.create!.run({ namespace: 'alice' }, { shortname: 'builder' }));
      assert.equal(await robots.available!({ namespace: 'stranger' }), false);
    });
  });

  describe('account', () => {
    it('lists, creates (shown once) and revokes application tokens', async () => {
      const t = typeOf(p, 'appToken');
      assert.equal(await t.available!({}), true);
      assert.equal((await items(p, 'appToken', {})).length, 1);
      const secret = secretOf(await t.create!.run({}, { title: 'ci' }));
      assert.ok(secret.length >= 30);
      const list = await items(p, 'appToken', {});
      assert.ok(list.every((x) => x.token_code === undefined || x.token_code === null));
      const ci = list.find((x) => x.title === 'ci')!;
      assert.match((await t.remove!.confirm(ci, ref('appToken', {}, String(ci.uuid)))).message, /ci/);
      await t.remove!.run(ref('appToken', {}, String(ci.uuid)));
      assert.equal((await items(p, 'appToken', {})).length, 1);
    });

    it('shows the organization quota and its limits', async () => {
      const q = typeOf(p, 'quota');
      const list = await items(p, 'quota', { namespace: 'acme' });
      assert.equal(list.length, 1);
      assert.deepEqual(q.view(list[0]), { label: '10.0 GiB', description: 'Warning at 80%, Reject at 100%', icon: 'dashboard' });
    });

    it('pages usage logs with next_page and shows a time range', async () => {
      const logs = typeOf(p, 'repositoryLogs');
      const p1 = await logs.list(app, undefined);
      assert.equal(p1.items.length, 20);
      const p2 = await logs.list(app, p1.next);
      const p3 = await logs.list(app, p2.next);
      assert.equal(p3.items.length, 5);
      assert.equal(p3.next, undefined);
      const today = new Date().toISOString().slice(0, 10);
      const o = await action(typeOf(p, 'repository').actions, 'usageLogs').run(ref('repository', app, 'acme/app'), { from: '2000-01-01', to: today });
      assert.equal(o.kind, 'list');
      assert.equal((o as { items: string[] }).items.length, 45);
      const q = new URLSearchParams(quay.requests.filter((r) => r.path.endsWith('/logs')).at(-1)!.query);
      assert.equal(q.get('starttime'), '01/01/2000');
      const org = await action(typeOf(p, 'namespace').actions, 'usageLogs').run(ref('namespace', { namespace: 'acme' }, 'acme'), { from: '2000-01-01', to: today });
      assert.equal((org as { items: string[] }).items.length, 30);
      const own = await action(typeOf(p, 'namespace').actions, 'usageLogs').run(ref('namespace', { namespace: 'alice' }, 'alice'), { from: '2000-01-01', to: today });
      assert.equal((own as { items: string[] }).items.length, 7);
      assert.ok(quay.requests.some((r) => r.path === '/api/v1/user/logs'));
    });
  });

  describe('the /v2 credential', () => {
    it('checks a login against /v2/auth before storing it, and forgets it', async () => {
      await quay.close();
      quay = await startQuayServer({ registry: true });
      // A second API token: the embedded registry accepts only $oauthtoken with the first one, so tag details work
      // only once that login is stored.
      const setup = quayProvider(quay, quay.issueToken('alice', ALL_SCOPES));
      p = setup.provider;
      const login = typeOf(p, 'registryLogin');
      const r = ref('registryLogin', {}, '');
      assert.match(login.view(await login.get(r)).description!, /\$oauthtoken/);
      await assert.rejects(login.update!.run(r, { username: 'acme+ci', password: 'wrong' }), UnauthorizedError);
      assert.equal(setup.secrets.registry, undefined, 'a rejected login is not stored');
      await login.update!.run(r, { username: '$oauthtoken', password: quay.token });
      assert.deepEqual(setup.secrets.registry, { username: '$oauthtoken', secret: quay.token });
      assert.match((await p.getTagDetails('acme/app', '1.0')).digest, /^sha256:/);
      const item = await login.get(r);
      assert.equal(action(login.actions, 'clear').when!(item), true);
      await action(login.actions, 'clear').run(r, undefined);
      assert.equal(setup.secrets.registry, undefined);
    });
  });
});
