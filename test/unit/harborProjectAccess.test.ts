import * as assert from 'node:assert/strict';
import type { NodeRef, ResourceRef } from '../../src/registry/admin';
import type { HarborProvider } from '../../src/registry/harbor/provider';
import type { HarborServer } from '../servers/harborServer';
import { accessExtra, addAuditLog } from '../servers/harbor/projectAccess';
import { type HarborAdminFixture, harborProvider, startHarborAdmin, typeOf } from '../support/harborAdmin';

const teamA = { namespace: 'team-a' };

describe('Harbor project policies and access: CVE allowlists, immutability, members, audit log', () => {
  let f: HarborAdminFixture;
  let h: HarborServer, admin: HarborProvider, pa: HarborProvider, alice: HarborProvider, robot: HarborProvider;
  const sent = (method: string, path: RegExp) => f.sent(method, path);

  before(async () => {
    f = await startHarborAdmin();
    ({ h, admin, pa, alice, robot } = f);
  });
  after(() => f.close());
  afterEach(() => {
    h.clearFaults();
    assert.deepEqual(h.violations, []);
  });

  it("shows a project's CVE allowlist and saves it with its expiry through PUT /projects/{p}", async () => {
    const list = typeOf(alice, 'projectCveAllowlist');
    assert.deepEqual(list.placement, { under: 'namespace', group: 'policies' });
    const node: NodeRef = { type: 'projectCveAllowlist', scope: teamA };
    assert.deepEqual(list.view(await list.get(node)), { label: 'CVE allowlist', description: '1 CVE · never expires', tooltip: 'CVE-2024-0003', icon: 'checklist' });
    const edit = typeOf(pa, 'projectCveAllowlist').update!;
    assert.deepEqual(await edit.values(node), { items: ['CVE-2024-0003'], expiresAt: '' });
    assert.throws(() => edit.form.schema.parse({ items: ['not-a-cve'] }), /not a CVE id/);
    assert.throws(() => edit.form.schema.parse({ items: [], expiresAt: 'tomorrow' }), /Use a date/);
    const out = await edit.run(node, { items: ['cve-2024-1111', 'CVE-2024-0003', 'CVE-2024-1111'], expiresAt: '2099-12-31' });
    assert.equal(out.kind === 'done' && out.message, 'Saved the CVE allowlist of team-a (2 CVEs)');
    const p = h.state.projects.get('team-a')!;
    assert.deepEqual(p.allowlist, ['CVE-2024-1111', 'CVE-2024-0003']);
    assert.equal(p.allowlistExpires, Date.UTC(2099, 11, 31, 23, 59, 59) / 1000);
    assert.equal(list.view(await list.get(node)).description, '2 CVEs · until 2099-12-31');
    await assert.rejects(typeOf(alice, 'projectCveAllowlist').update!.run(node, { items: [] }), /403[\s\S]*project admin role/);
    p.metadata.reuse_sys_cve_allowlist = 'true';
    assert.equal(list.view(await list.get(node)).description, 'uses the system allowlist');
    p.metadata.reuse_sys_cve_allowlist = 'false';
  });

  it('offers project administration to people, not to robot accounts (Harbor refuses robots the project itself)', async () => {
    const scope = { namespace: 'team-a' };
    for (const type of ['projectQuota', 'projectMember', 'auditLog', 'immutableRule', 'projectCveAllowlist', 'harborWebhook', 'harborRetention']) {
      assert.equal(await typeOf(robot, type).available!(scope), false, `${type}: not for the robot`);
      assert.equal(await typeOf(pa, type).available!(scope), true, `${type}: for the project admin`);
    }
  });

  it('shows the system CVE allowlist to system administrators only, and saves it', async () => {
    assert.equal(await typeOf(alice, 'systemCveAllowlist').available!({}), false);
    assert.equal(await typeOf(robot, 'systemCveAllowlist').available!({}), false);
    const sys = typeOf(admin, 'systemCveAllowlist');
    assert.deepEqual(sys.placement, { under: 'registry', group: 'administration' });
    assert.equal(await sys.available!({}), true);
    const node: NodeRef = { type: 'systemCveAllowlist', scope: {} };
    assert.equal(sys.view(await sys.get(node)).description, '1 CVE · never expires');
    await sys.update!.run(node, { items: ['CVE-2023-0001', 'CVE-2023-0002'], expiresAt: '2000-01-01T00:00:00Z' });
    assert.deepEqual(h.state.systemAllowlist.items, [{ cve_id: 'CVE-2023-0001' }, { cve_id: 'CVE-2023-0002' }]);
    const v = sys.view(await sys.get(node));
    assert.equal(v.description, '2 CVEs · expired 2000-01-01T00:00:00Z');
    assert.equal(v.icon, 'warning');
    await assert.rejects(typeOf(alice, 'systemCveAllowlist').update!.run(node, { items: [] }), /403[\s\S]*system administrator/);
  });

  it('adds, edits, disables and deletes tag immutability rules in the shape Harbor takes', async () => {
    const rules = typeOf(pa, 'immutableRule');
    const out = await rules.create!.run(teamA, { repositoryPattern: 'app/**', tagPattern: 'v*' });
    assert.equal(out.kind, 'done');
    const page = await rules.list(teamA);
    assert.equal(page.items.length, 1);
    const rule = page.items[0]!;
    assert.deepEqual(rules.view(rule).label, 'repositories matching app/** · tags matching v*');
    const stored = accessExtra(h.state).rules.get('team-a')![0]!;
    assert.deepEqual(stored.tag, { decoration: 'matches', pattern: 'v*' });
    const ref: ResourceRef = { type: 'immutableRule', scope: teamA, key: rules.key(rule) };
    const disable = rules.actions.find((a) => a.id === 'disable')!;
    assert.equal(disable.when!(rule), true);
    assert.equal(rules.actions.find((a) => a.id === 'enable')!.when!(rule), false);
    await disable.run(ref);
    assert.equal(accessExtra(h.state).rules.get('team-a')![0]!.disabled, true);
    assert.deepEqual(await rules.update!.values(ref), { repositories: 'repoMatches', repositoryPattern: 'app/**', tags: 'matches', tagPattern: 'v*', disabled: true });
    await rules.update!.run(ref, { repositories: 'repoExcludes', repositoryPattern: 'tmp/**', tags: 'excludes', tagPattern: 'dev-*', disabled: false });
    const edited = (await rules.list(teamA)).items[0]!;
    assert.equal(rules.view(edited).label, 'repositories excluding tmp/** · tags excluding dev-*');
    assert.equal(edited.disabled, false);
    const c = await rules.remove!.confirm(edited, ref);
    assert.equal(c.message, 'Delete the tag immutability rule "repositories excluding tmp/** · tags excluding dev-*" of project team-a?');
    await assert.rejects(typeOf(alice, 'immutableRule').remove!.run(ref), /403/);
    await rules.remove!.run(ref);
    assert.deepEqual((await rules.list(teamA)).items, []);
    assert.ok(sent('PUT', /\/immutabletagrules\/\d+$/).length >= 2);
  });

  it('lists members with their roles and adds users and groups picked from the server', async () => {
    const members = typeOf(pa, 'projectMember');
    assert.deepEqual(members.placement, { under: 'namespace', group: 'access' });
    const views = (await members.list(teamA)).items.map((m) => members.view(m));
    assert.deepEqual(views.map((v) => `${v.label} (${v.description})`), ['alice (developer)', 'guest (guest)', 'pa (project admin)']);
    const form = members.create!.form;
    assert.equal(form.choices!.user!.minQuery, 1);
    assert.deepEqual(await form.choices!.user!.load(teamA, 'bo'), [{ value: 'bob', label: 'bob' }]);
    assert.equal(new URLSearchParams(sent('GET', /\/users\/search$/).at(-1)!.query).get('username'), 'bo');
    assert.deepEqual(await form.choices!.group!.load(teamA, 'dev'), [{ value: '7', label: 'developers', description: 'LDAP group' }]);
    assert.throws(() => form.schema.parse({ user: 'bob', group: '7', role: 'guest' }), /Pick a user or a group/);
    assert.throws(() => form.schema.parse({ role: 'guest' }), /Pick a user or a group/);
    const added = await members.create!.run(teamA, { user: 'bob', role: 'maintainer' });
    assert.equal(added.kind === 'done' && added.message, 'Added user bob to team-a as maintainer');
    assert.equal(h.state.principals.get('bob')!.roles.get('team-a'), 4);
    await members.create!.run(teamA, { group: '7', role: 'limitedGuest' });
    const all = (await members.list(teamA)).items;
    const group = all.find((m) => m.entity_name === 'developers')!;
    assert.equal(members.view(group).description, 'limited guest · group');
    await assert.rejects(typeOf(alice, 'projectMember').create!.run(teamA, { user: 'bob', role: 'guest' }), /403[\s\S]*project admin role/);
  });

  it('changes a role and removes a member after a confirmation naming the member and the project', async () => {
    const members = typeOf(pa, 'projectMember');
    const bob = (await members.list(teamA)).items.find((m) => m.entity_name === 'bob')!;
    const ref: ResourceRef = { type: 'projectMember', scope: teamA, key: members.key(bob) };
    assert.deepEqual(await members.update!.values(ref), { role: 'maintainer' });
    const out = await members.update!.run(ref, { role: 'developer' });
    assert.equal(out.kind === 'done' && out.message, 'bob is now developer in team-a');
    const c = await members.remove!.confirm(await members.get(ref), ref);
    assert.equal(c.message, 'Remove user bob (developer) from project team-a?');
    assert.equal(c.button, 'Remove Member');
    await members.remove!.run(ref);
    assert.equal(h.state.principals.get('bob')!.roles.has('team-a'), false);
    const group = (await members.list(teamA)).items.find((m) => m.entity_name === 'developers')!;
    const gref: ResourceRef = { type: 'projectMember', scope: teamA, key: members.key(group) };
    assert.equal((await members.remove!.confirm(group, gref)).message, 'Remove group developers (limited guest) from project team-a?');
  });

  it('pages the audit log newest first, from auditlog-exts, or logs on a Harbor without it', async () => {
    for (let i = 0; i < 120; i++) addAuditLog(h.state, 'team-a', { username: i % 2 ? 'alice' : 'admin', resource: `team-a/app:v${i}`, resource_type: 'artifact', operation: 'create', op_time: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() });
    const logs = typeOf(pa, 'auditLog');
    const first = await logs.list(teamA);
    assert.equal(first.items.length, 100);
    assert.ok(first.next);
    assert.deepEqual(logs.view(first.items[0]!), { label: 'create team-a/app:v119', description: 'alice · 2024-01-01 01:59:00 UTC', tooltip: 'create by alice at 2024-01-01 01:59:00 UTC on artifact team-a/app:v119', icon: 'history' });
    const second = await logs.list(teamA, first.next);
    assert.equal(second.items.length, 20);
    assert.equal(second.next, undefined);
    const q = new URLSearchParams(sent('GET', /\/auditlog-exts$/).at(-1)!.query);
    assert.equal(q.get('sort'), '-op_time');
    assert.equal(q.get('page'), '2');
    // An older Harbor has no auditlog-exts: the listing falls back to logs.
    h.fault({ path: /\/auditlog-exts$/, status: 404, body: { errors: [{ code: 'NOT_FOUND', message: 'not found' }] } });
    const old = harborProvider(h, { username: 'pa', password: 'pa-password' });
    const page = await typeOf(old, 'auditLog').list(teamA);
    assert.equal(page.items.length, 100);
    assert.equal(sent('GET', /\/projects\/team-a\/logs$/).length, 1);
    old.dispose();
    const guest = harborProvider(h, { username: 'guest', password: 'guest-password' });
    await assert.rejects(typeOf(guest, 'auditLog').list({ namespace: 'library' }), /403/);
    guest.dispose();
  });
});
