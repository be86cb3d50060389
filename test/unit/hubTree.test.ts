import * as assert from 'node:assert/strict';
import { silentLogger, type ProviderContext } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { DockerHubV1Provider } from '../../src/registry/dockerhubV1/provider';
import { coreType, resourceType, type ListResource, type NodeRef, type ResourceRef, type Scope, type SingletonResource } from '../../src/registry/admin';
import { resolveOperation } from '../../src/admin/operation';
import { editRepositoryForm, immutableTagsForm } from '../../src/registry/dockerhub/admin';
import { coerceFormValues, describeForm, fieldErrors } from '../../src/registry/formSpec';
import type { RegistryProvider } from '../../src/registry/provider';
import { coreTraits, itemTraits, placedTypes } from '../../src/tree/adminTree';
import type { AdminNode, RegistryNode, RepositoryNode } from '../../src/tree/nodes';
import { toTreeItem } from '../../src/tree/treeItems';
import { startHubServer, type HubServer } from '../servers/hubServer';

/** The Account and Policies subtrees a Hub provider offers the tree, and how the tree renders them. */
describe('Docker Hub account and policy nodes', () => {
  let hub: HubServer;
  const made: DockerHubProvider[] = [];

  function provider(creds?: { username: string; secret: string }): DockerHubProvider {
    const ctx: ProviderContext = { connection: { id: 'hub', kind: 'dockerhub', url: hub.url }, credentials: async () => creds, logger: silentLogger };
    const p = new DockerHubProvider(ctx);
    made.push(p);
    return p;
  }

  const ref = (type: string, key: string, scope: Scope = {}): ResourceRef => ({ type, scope, key });
  function typeNamed(p: DockerHubProvider, type: string): ListResource<unknown> {
    const t = resourceType(p.admin, type);
    assert.ok(t?.shape === 'list', type);
    return t;
  }
  function singletonNamed(p: DockerHubProvider, type: string): SingletonResource<unknown> {
    const t = resourceType(p.admin, type);
    assert.ok(t?.shape === 'singleton', type);
    return t;
  }
  async function list(p: DockerHubProvider, type: string, scope: Scope = {}, cursor?: string, pageSize = 100): Promise<{ items: unknown[]; next?: string }> {
    return typeNamed(p, type).list(scope, cursor, { pageSize });
  }
  const under = (parent: ResourceRef): Scope => ({ parent });

  beforeEach(async () => {
    hub = await startHubServer();
    hub.addUser('demo', 'demo-password');
    hub.addUser('alice', 'alice-password');
    hub.addUser('bob', 'bob-password');
    hub.addOrg('acme', { demo: 'owner', alice: 'member', bob: 'member' });
    hub.addGroup('acme', 'developers', ['alice']);
    hub.addRepository('acme', 'api');
    hub.addTags('acme', 'api', 3);
    hub.addAuditEvents('acme', 30);
  });
  afterEach(async () => {
    for (const p of made.splice(0)) p.dispose();
    await hub.close();
  });

  it('places the account types in an Account group, available only with credentials, at no request', async () => {
    const p = provider();
    const account = placedTypes(p.admin, 'registry');
    assert.deepEqual(account.map((t) => [t.type, t.placement.group]), [['pat', 'account'], ['org', 'account']]);
    assert.deepEqual(await Promise.all(account.map((t) => t.available!({}))), [false, false]);
    const signed = provider({ username: 'demo', secret: 'demo-password' });
    assert.deepEqual(await Promise.all(placedTypes(signed.admin, 'registry').map((t) => t.available!({}))), [true, true]);
    assert.equal(hub.requests.length, 0);
    assert.deepEqual(p.admin.groups.map((g) => g.title), ['Account', 'Policies']);
  });

  it('walks tokens, organization → members, groups, group members, access tokens, audit log', async () => {
    hub.createPat('demo', { label: 'laptop', scopes: ['repo:read'] });
    hub.createOat('acme', { label: 'ci' });
    const p = provider({ username: 'demo', secret: 'demo-password' });
    const pats = await list(p, 'pat');
    assert.equal(pats.items.length, 1);
    const patType = typeNamed(p, 'pat');
    const pat = pats.items[0]!;
    assert.equal(patType.view(pat).label, 'laptop');
    assert.match(patType.view(pat).description!, /repo:read · active · no expiry/);
    assert.deepEqual(itemTraits(patType, pat), ['removable', 'actionable']);
    assert.deepEqual(patType.actions!.filter((a) => !a.when || a.when(pat)).map((a) => a.id), ['deactivate']);

    const orgs = await list(p, 'org');
    assert.deepEqual(orgs.items, ['acme']);
    const acme = ref('org', 'acme');
    assert.deepEqual(placedTypes(p.admin, { type: 'org' }).map((t) => t.title), ['Members', 'Groups', 'Access tokens', 'Audit log']);
    const members = await list(p, 'member', under(acme));
    assert.deepEqual(members.items.map((m) => typeNamed(p, 'member').view(m).label).sort(), ['alice', 'bob', 'demo']);
    const groups = await list(p, 'group', under(acme));
    assert.deepEqual(groups.items.map((g) => [typeNamed(p, 'group').view(g).label, typeNamed(p, 'group').view(g).description]), [['developers', '1 member']]);
    const developers = ref('group', 'developers', under(acme));
    const groupMembers = await list(p, 'groupMember', under(developers));
    assert.deepEqual(groupMembers.items.map((m) => typeNamed(p, 'groupMember').key(m)), ['alice']);
    const tokens = await list(p, 'orgToken', under(acme));
    assert.deepEqual(tokens.items.map((t) => typeNamed(p, 'orgToken').view(t).label), ['ci']);

    const audit = await list(p, 'auditEvent', under(acme), undefined, 25);
    assert.equal(audit.items.length, 25);
    assert.equal(audit.next, '2');
    const rest = await list(p, 'auditEvent', under(acme), audit.next, 25);
    assert.equal(rest.items.length, 5);
    assert.equal(rest.next, undefined);
  });

  it('lists no organization when Hub has no /v2/user/orgs/', async () => {
    hub.setUserOrgs(false);
    const p = provider({ username: 'demo', secret: 'demo-password' });
    assert.deepEqual((await list(p, 'org')).items, []);
  });

  it('runs create, actions and remove of tokens and group members through the model', async () => {
    const p = provider({ username: 'demo', secret: 'demo-password' });
    const pat = typeNamed(p, 'pat');
    const created = await pat.create!.run({}, { label: 'ci', scope: 'repo:write', expires: '30' });
    assert.equal(created.kind, 'secret');
    assert.match(created.kind === 'secret' ? created.secret : '', /^dckr_pat_/);
    const [item] = (await list(p, 'pat')).items;
    const r = ref('pat', pat.key(item));
    assert.equal((await pat.actions!.find((a) => a.id === 'deactivate')!.run(r, undefined)).kind, 'done');
    assert.equal(hub.patActive('demo', 'ci'), false);
    assert.match((await pat.remove!.confirm(item, r)).message, /Revoke personal access token “ci”/);
    await pat.remove!.run(r);
    assert.equal(hub.patActive('demo', 'ci'), undefined);

    const acme = ref('org', 'acme');
    const oat = typeNamed(p, 'orgToken');
    const made = await oat.create!.run(under(acme), { label: 'push', scopes: ['scope-image-pull', 'scope-image-push'], expires: '0' });
    assert.equal(made.kind, 'secret');
    const [token] = (await list(p, 'orgToken', under(acme))).items;
    assert.equal(oat.view(token).label, 'push');

    const developers = ref('group', 'developers', under(acme));
    const gm = typeNamed(p, 'groupMember');
    await gm.create!.run(under(developers), { username: 'bob' });
    assert.deepEqual((await list(p, 'groupMember', under(developers))).items.map((m) => gm.key(m)).sort(), ['alice', 'bob']);
    await gm.remove!.run(ref('groupMember', 'bob', under(developers)));
    assert.deepEqual((await list(p, 'groupMember', under(developers))).items.map((m) => gm.key(m)), ['alice']);
  });

  it('shows the immutable-tag policy of a repository, verifies rules and saves them', async () => {
    const p = provider({ username: 'demo', secret: 'demo-password' });
    const t = singletonNamed(p, 'immutableTags');
    assert.deepEqual([t.shape, t.placement.under, t.placement.group], ['singleton', 'repository', 'policies']);
    const r: NodeRef = { type: 'immutableTags', scope: { namespace: 'acme', repository: 'acme/api' } };
    assert.equal(t.view(await t.get(r)).description, 'off');
    const verdict = await t.update!.form.verify!(r, { enabled: true, rules: ['v[0-9]+'] });
    assert.equal(verdict.ok, true);
    assert.match(verdict.summary, /The rules match 3 existing tags/);
    assert.equal(verdict.confirm?.button, 'Save Rules');
    await t.update!.run(r, { enabled: true, rules: ['v[0-9]+'] });
    assert.equal(t.view(await t.get(r)).description, 'on · 1 rule: v[0-9]+');
    const listed = await t.actions![0]!.run(r, { rule: '^v1$' });
    assert.deepEqual(listed.kind === 'list' ? listed.items : [], ['v1']);
    const bad = immutableTagsForm.safeParse({ enabled: true, rules: [] });
    assert.ok(!bad.success);
    assert.deepEqual(fieldErrors(bad.error), { rules: 'Add at least one rule, or turn immutable tags off.' });
  });

  it('creates, edits and deletes repositories through the namespace and repository core types of the model', async () => {
    const p = provider({ username: 'demo', secret: 'demo-password' });
    const created = await resolveOperation(p.admin, 'create', ref('namespace', 'acme', { namespace: 'acme' })).run({ name: 'tool', description: 'A tool', isPrivate: true });
    assert.deepEqual(created, { kind: 'done', message: 'Created private repository acme/tool.', refresh: 'item' });
    const tool = ref('repository', 'acme/tool', { namespace: 'acme', repository: 'acme/tool' });
    const edit = resolveOperation(p.admin, 'update', tool);
    assert.equal(edit.title, 'Edit Repository');
    assert.deepEqual(await edit.values!(), { description: 'A tool', fullDescription: '', isPrivate: true });
    await edit.run({ description: 'Better tool', fullDescription: '# Tool', isPrivate: false });
    assert.deepEqual(hub.repository('acme', 'tool'), { isPrivate: false, description: 'Better tool', fullDescription: '# Tool', tags: [], immutable: { enabled: false, rules: [] } });
    const remove = resolveOperation(p.admin, 'remove', tool, undefined, tool);
    assert.equal((await remove.confirm!(undefined))?.message, 'Delete repository acme/tool and all its tags?');
    await remove.run(undefined);
    assert.equal(hub.repository('acme', 'tool'), undefined);
  });

  it('filters repositories by name on the server and orders them, through the generic page options', async () => {
    for (const [n, pulls] of [['svc-a', 5], ['svc-b', 50], ['web', 500]] as const) hub.addRepository('acme', n, { pullCount: pulls });
    const p = provider();
    assert.equal(p.capabilities.serverRepositoryFilter, true);
    assert.ok(p.capabilities.repositoryOrderings!.includes('-pull_count'));
    const page = await p.listRepositories('acme', undefined, { nameFilter: 'svc', ordering: '-pull_count' });
    assert.deepEqual(page.items.map((r) => r.name), ['acme/svc-b', 'acme/svc-a']);
    const q = new URLSearchParams(hub.requests.at(-1)!.query);
    assert.deepEqual([q.get('name'), q.get('ordering')], ['svc', '-pull_count']);
    const generic: RegistryProvider = p;
    await assert.rejects(generic.listRepositories('acme', undefined, { ordering: 'stars' }), /cannot order repositories by "stars"/);
  });

  it('v1: creates and deletes through the core types and has no editor', () => {
    const v1 = new DockerHubV1Provider({ connection: { id: 'v1', kind: 'dockerhub-v1', url: 'http://127.0.0.1:9' }, credentials: async () => undefined, logger: silentLogger });
    // Create… asks the name alone (an input box); Delete… is offered, Edit… is not.
    assert.deepEqual(describeForm(coreType(v1.admin, 'namespace')!.create!.form.schema).fields.map((f) => f.name), ['name']);
    assert.ok(coreType(v1.admin, 'repository')!.remove);
    assert.equal(coreType(v1.admin, 'repository')!.update, undefined);
    v1.dispose();
  });

  describe('rendering', () => {
    const registry: RegistryNode = { type: 'registry', id: 'registry:hub', registryName: 'hub', kind: 'dockerhub', url: 'https://hub.docker.com', signedIn: true };
    const now = Date.parse('2024-06-10T00:00:00Z');

    it('shows visibility, stars, pulls and last update of Hub repositories, and the generic edit traits', () => {
      const p = provider();
      const r: ResourceRef = { type: 'repository', scope: { namespace: 'acme', repository: 'acme/api' }, key: 'acme/api' };
      const node: RepositoryNode = {
        type: 'repository',
        id: 'r',
        parent: registry,
        registryName: 'hub',
        repository: { name: 'acme/api', description: 'API', isPrivate: true, starCount: 12, pullCount: 40_000, lastUpdated: '2024-06-07T00:00:00Z' },
        ref: r,
        traits: coreTraits(p.admin, 'repository', r),
      };
      const item = toTreeItem(node, { now });
      assert.equal(item.description, 'API · private · ★ 12 · 40K pulls · updated 3 days ago');
      assert.equal(item.contextValue, 'editable;filterable;refreshable;removable;repository');
      assert.equal(item.icon, 'lock');
    });

    it('offers Sort Repositories and Create… on namespaces of providers that can', () => {
      const p = provider();
      const r: ResourceRef = { type: 'namespace', scope: { namespace: 'acme' }, key: 'acme' };
      const ns = toTreeItem({ type: 'namespace', id: 'n', parent: registry, registryName: 'hub', namespace: { name: 'acme' }, ref: r, traits: coreTraits(p.admin, 'namespace', r), repositoryOrderings: ['name'] });
      assert.equal(ns.contextValue, 'creatable;filterable;namespace;refreshable;sortableRepositories');
      const plain = toTreeItem({ type: 'namespace', id: 'n', parent: registry, registryName: 'oci', namespace: { name: 'x' }, ref: r });
      assert.equal(plain.contextValue, 'filterable;namespace;refreshable');
    });

    it('renders admin lists as filterable containers, items with their generic traits', () => {
      const list: AdminNode = { type: 'admin', id: 'l', parent: registry, registryName: 'hub', role: 'list', name: 'pat', scope: {}, view: { label: 'Personal access tokens', icon: 'key' }, expandable: true, traits: ['adminList', 'creatable'] };
      const l = toTreeItem(list);
      assert.equal(l.collapsible, 'collapsed');
      assert.equal(l.contextValue, 'admin;adminList;creatable;filterable;refreshable');
      const token: AdminNode = { type: 'admin', id: 't', parent: list, registryName: 'hub', role: 'item', name: 'pat', scope: {}, ref: { type: 'pat', scope: {}, key: '1' }, view: { label: 'ci', icon: 'key' }, expandable: false, traits: ['removable', 'actionable'] };
      const t = toTreeItem(token);
      assert.equal(t.collapsible, 'none');
      assert.equal(t.contextValue, 'actionable;admin;removable');
    });
  });

  describe('forms', () => {
    it('describes the repository form and clears an emptied description', () => {
      const { fields } = describeForm(editRepositoryForm);
      assert.deepEqual(fields.map((f) => [f.name, f.kind]), [['description', 'string'], ['fullDescription', 'string'], ['isPrivate', 'boolean']]);
      assert.equal(fields[1]!.multiline, true);
      const v = coerceFormValues(fields, { description: '  ', fullDescription: '# x', isPrivate: 'true' });
      assert.deepEqual(editRepositoryForm.parse(v), { fullDescription: '# x', isPrivate: true });
      const long = editRepositoryForm.safeParse({ description: 'x'.repeat(101) });
      assert.ok(!long.success);
      assert.deepEqual(fieldErrors(long.error), { description: 'At most 100 characters' });
    });

    it('rejects an invalid regular expression in immutable-tag rules, naming the list item', () => {
      const form = describeForm(immutableTagsForm);
      const v = coerceFormValues(form, { enabled: true, rules: '^v[0-9]+$\n(unclosed' });
      assert.deepEqual(v, { enabled: true, rules: ['^v[0-9]+$', '(unclosed'] });
      const r = immutableTagsForm.safeParse(v);
      assert.ok(!r.success);
      assert.deepEqual(fieldErrors(r.error), { 'rules.1': 'Not a valid regular expression' });
    });
  });
});
