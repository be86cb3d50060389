import * as assert from 'node:assert/strict';
import type { NodeRef, ResourceRef } from '../../src/registry/admin';
import { addRepository } from '../servers/harborData';
import type { HarborServer } from '../servers/harborServer';
import { projectExtra, quotaOf } from '../servers/harbor/projects';
import { type HarborAdminFixture, harborProvider, startHarborAdmin, typeOf } from '../support/harborAdmin';
import type { HarborProvider } from '../../src/registry/harbor/provider';

const GiB = 1024 ** 3;

const ns = (name: string): ResourceRef => ({ type: 'namespace', scope: { namespace: name }, key: name });
const registryNode: NodeRef = { type: 'newProject', scope: {} };

describe('Harbor projects: create, settings, delete, quota', () => {
  let f: HarborAdminFixture;
  let h: HarborServer, admin: HarborProvider, pa: HarborProvider, alice: HarborProvider, robot: HarborProvider;
  const sent = (method: string, path: RegExp) => f.sent(method, path);

  beforeEach(async () => {
    f = await startHarborAdmin();
    ({ h, admin, pa, alice, robot } = f);
  });
  afterEach(async () => {
    assert.deepEqual(h.violations, []);
    await f.close();
  });

  it('offers New project at the registry to signed-in users; proxy cache projects only to system administrators', async () => {
    const forAlice = typeOf(alice, 'newProject');
    assert.deepEqual(forAlice.placement, { under: 'registry' });
    assert.equal(await forAlice.available!({}), true);
    assert.equal(await typeOf(harborProvider(h), 'newProject').available!({}), false, 'anonymous callers create nothing');
    const aliceItem = await forAlice.get(registryNode);
    const proxyAction = forAlice.actions.find((a) => a.id === 'createProxyProject')!;
    assert.equal(proxyAction.when!(aliceItem), false, 'hidden from a user who is no system administrator');
    assert.match(forAlice.view(aliceItem).tooltip!, /Proxy cache projects need a Harbor system administrator/);
    assert.equal(forAlice.actions.find((a) => a.id === 'createProject')!.when!(aliceItem), true);
    const adminItem = await typeOf(admin, 'newProject').get(registryNode);
    assert.equal(proxyAction.when!(adminItem), true);
    assert.equal(forAlice.actions.find((a) => a.id === 'createProject')!.when!(adminItem), false, 'admins get the form with the quota');
    // The registry endpoints are listed for admins, and explained (not an empty list) to anyone else.
    const choices = typeOf(admin, 'newProject').actions.find((a) => a.id === 'createProxyProject')!.input!.choices!.registry!;
    assert.deepEqual(await choices.load({}, ''), [
      { value: '1', label: 'docker-hub', description: 'docker-hub · https://hub.docker.com' },
      { value: '2', label: 'backup', description: 'harbor · https://backup.example.com' },
    ]);
    assert.deepEqual((await choices.load({}, 'dock')).map((c) => c.label), ['docker-hub'], 'searched on the server');
    const aliceChoices = forAlice.actions.find((a) => a.id === 'createProxyProject')!.input!.choices!.registry!;
    await assert.rejects(aliceChoices.load({}, ''), /Only Harbor system administrators can list registry endpoints/);
  });

  it('creates a project as a user (Harbor default quota) and as an admin with a storage quota and a proxy cache', async () => {
    const create = typeOf(alice, 'newProject').actions.find((a) => a.id === 'createProject')!;
    assert.ok(!('storageLimit' in (create.input!.schema as unknown as { shape: object }).shape), 'no quota field where Harbor ignores it');
    const out = await create.run(registryNode, { name: 'team-b', public: true });
    assert.deepEqual(out, { kind: 'done', message: 'Created project team-b', refresh: 'owner' });
    const b = h.state.projects.get('team-b')!;
    assert.equal(b.public, true);
    assert.equal(h.state.principals.get('alice')!.roles.get('team-b'), 1, 'the creator is its project admin');
    assert.throws(() => create.input!.schema.parse({ name: 'Team B' }), /lower-case/);

    const adminCreate = typeOf(admin, 'newProject').actions.find((a) => a.id === 'createAdminProject')!;
    assert.throws(() => adminCreate.input!.schema.parse({ name: 'x', storageLimit: '10 parsecs' }), /size with its unit/);
    await adminCreate.run(registryNode, { name: 'big', storageLimit: '10 GB' });
    assert.equal(quotaOf(h.state, h.state.projects.get('big')!).hard, 10 * GiB);
    await adminCreate.run(registryNode, { name: 'nolimit', storageLimit: '-1' });
    assert.equal(quotaOf(h.state, h.state.projects.get('nolimit')!).hard, -1);

    const proxy = typeOf(admin, 'newProject').actions.find((a) => a.id === 'createProxyProject')!;
    assert.equal((await proxy.run(registryNode, { name: 'hub-cache', registry: '1', storageLimit: '500 MB' })).kind, 'done');
    assert.equal(h.state.projects.get('hub-cache')!.registryId, 1);
    assert.equal(quotaOf(h.state, h.state.projects.get('hub-cache')!).hard, 500 * 1024 ** 2);
    assert.throws(() => proxy.input!.schema.parse({ name: 'c2', registry: '' }), /registry endpoint/);
    // Harbor refuses a proxy cache project to anyone else, and the message says why.
    await assert.rejects(typeOf(alice, 'newProject').actions.find((a) => a.id === 'createProxyProject')!.run(registryNode, { name: 'sneaky', registry: '1' }), /403.*Only system admin can create proxy cache project/);
    projectExtra(h.state).adminOnlyCreation = true;
    await assert.rejects(create.run(registryNode, { name: 'team-c' }), /Harbor refused it \(403\)/);
    await assert.rejects(create.run(registryNode, { name: 'team-b' }), /40[39]/);
  });

  it('edits the project settings as Harbor stores them: strings "true" / "false" and a severity', async () => {
    const core = typeOf(pa, 'namespace');
    const values = await core.update!.values(ns('team-a'));
    assert.deepEqual(values, { public: false, autoScan: true, preventVulnerable: false, severity: 'low', contentTrust: false, cosign: false, autoSbom: false, reuseSystemAllowlist: false });
    const out = await core.update!.run(ns('team-a'), { ...values, preventVulnerable: true, severity: 'high', cosign: true, autoSbom: true, reuseSystemAllowlist: true, public: true });
    assert.equal(out.kind, 'done');
    const p = h.state.projects.get('team-a')!;
    assert.equal(p.public, true);
    assert.deepEqual({ ...p.metadata }, { auto_scan: 'true', reuse_sys_cve_allowlist: 'true', prevent_vul: 'true', severity: 'high', enable_content_trust: 'false', enable_content_trust_cosign: 'true', auto_sbom_generation: 'true' });
    assert.equal(sent('PUT', /\/projects\/team-a$/).length, 1);
    assert.throws(() => core.update!.form.schema.parse({ ...values, severity: 'extreme' }));
    // A developer may not: Harbor's 403 names the role it needs.
    await assert.rejects(typeOf(alice, 'namespace').update!.run(ns('team-a'), values), /403[\s\S]*project admin role/);
  });

  it("reports a setting Harbor answered for but did not keep", async () => {
    h.fault({ path: /\/projects\/team-a$/, method: 'PUT', status: 200, body: '', times: 1 });
    const core = typeOf(pa, 'namespace');
    const values = await core.update!.values(ns('team-a'));
    await assert.rejects(core.update!.run(ns('team-a'), { ...values, cosign: true }), /did not keep: severity, enable_content_trust_cosign$/);
  });

  it('deletes a project with its repositories, after a confirmation naming them', async () => {
    const core = typeOf(pa, 'namespace');
    const c = await core.remove!.confirm(ns('team-a'), ns('team-a'));
    assert.equal(c.message, 'Delete project team-a and its 2 repositories?');
    assert.match(c.detail!, /team-a\/app, team-a\/tools\/cli\. This cannot be undone/);
    assert.equal(c.button, 'Delete Project');
    assert.equal(sent('GET', /\/projects\/team-a\/_deletable$/).length, 1);
    const out = await core.remove!.run(ns('team-a'));
    assert.deepEqual(out, { kind: 'done', message: 'Deleted project team-a and 2 repositories', refresh: 'owner' });
    assert.equal(h.state.projects.has('team-a'), false);
    assert.ok(sent('DELETE', /\/repositories\/tools%252Fcli$/).length, 'a nested name is encoded twice');
    const lastRepoDelete = h.requests.map((r) => r.method === 'DELETE' && r.path.includes('/repositories/')).lastIndexOf(true);
    assert.ok(lastRepoDelete < h.requests.findIndex((r) => r.method === 'DELETE' && /\/projects\/team-a$/.test(r.path)), 'repositories first');
  });

  it('names ten repositories and how many more; an empty project is said to be empty', async () => {
    for (let i = 0; i < 12; i++) addRepository(h.state, `library/r${String(i).padStart(2, '0')}`);
    const c = await typeOf(admin, 'namespace').remove!.confirm(ns('library'), ns('library'));
    assert.equal(c.message, 'Delete project library and its 13 repositories?');
    assert.match(c.detail!, /library\/hello, library\/r00, .*library\/r08 and 3 more\./);
    await typeOf(admin, 'newProject').actions.find((a) => a.id === 'createAdminProject')!.run(registryNode, { name: 'empty' });
    const e = await typeOf(admin, 'namespace').remove!.confirm(ns('empty'), ns('empty'));
    assert.equal(e.message, 'Delete project empty?');
    assert.match(e.detail!, /The project is empty/);
  });

  it('deletes nothing when a repository appeared after the confirmation, or Harbor refuses for another reason', async () => {
    const core = typeOf(pa, 'namespace');
    await core.remove!.confirm(ns('team-a'), ns('team-a'));
    addRepository(h.state, 'team-a/late');
    await assert.rejects(core.remove!.run(ns('team-a')), /repositories the confirmation did not name \(team-a\/late\); nothing was deleted/);
    assert.equal(sent('DELETE', /./).length, 0);
    assert.equal(h.state.repositories.has('team-a/app'), true);
    // Without a confirmation first, the repositories are not deleted either.
    await assert.rejects(core.remove!.run(ns('team-a')), /did not name/);
    h.fault({ path: /_deletable$/, body: { deletable: false, message: 'the project is referenced by replication policies' }, times: 1 });
    await assert.rejects(core.remove!.confirm(ns('team-a'), ns('team-a')), /Harbor cannot delete project team-a: the project is referenced by replication policies/);
    // A developer is refused by Harbor before anything is deleted.
    await assert.rejects(typeOf(alice, 'namespace').remove!.confirm(ns('team-a'), ns('team-a')), /403/);
  });

  it('refuses a listing that names a repository outside the project', async () => {
    h.fault({ path: /\/projects\/team-a\/repositories$/, body: [{ id: 1, name: 'library/hello' }], headers: { 'X-Total-Count': '1' }, times: 1 });
    await assert.rejects(typeOf(pa, 'namespace').remove!.confirm(ns('team-a'), ns('team-a')), /listed "library\/hello" among the repositories of team-a/);
  });

  it("shows a project's quota to its members and lets system administrators change it", async () => {
    quotaOf(h.state, h.state.projects.get('team-a')!).hard = 10 * GiB;
    const quota = typeOf(alice, 'projectQuota');
    assert.deepEqual(quota.placement, { under: 'namespace' });
    const node: NodeRef = { type: 'projectQuota', scope: { namespace: 'team-a' } };
    const item = await quota.get(node);
    assert.match(quota.view(item).description!, /^\d+(\.\d)? (KB|MB) of 10 GB \(0%\)$/);
    assert.ok(sent('GET', /\/projects\/team-a\/summary$/).length);
    const forAdmin = typeOf(admin, 'projectQuota');
    assert.deepEqual(await forAdmin.update!.values(node), { storageLimit: '10 GB' });
    const out = await forAdmin.update!.run(node, { storageLimit: '1.5 TB' });
    assert.equal(out.kind === 'done' && out.message, 'The storage quota of team-a is now 1.5 TB');
    assert.equal(quotaOf(h.state, h.state.projects.get('team-a')!).hard, 1.5 * 1024 ** 4);
    await forAdmin.update!.run(node, { storageLimit: '-1' });
    assert.match(quota.view(await quota.get(node)).description!, /no limit$/);
    await assert.rejects(quota.update!.run(node, { storageLimit: '1 GB' }), /403[\s\S]*system administrator/);
    const pub = await typeOf(robot, 'projectQuota').get({ type: 'projectQuota', scope: { namespace: 'library' } });
    assert.equal(typeOf(robot, 'projectQuota').view(pub).description, 'not shown to you');
  });
});
