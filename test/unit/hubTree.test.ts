import * as assert from 'node:assert/strict';
import { silentLogger, type ProviderContext } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { DockerHubV1Provider } from '../../src/registry/dockerhubV1/provider';
import type { RegistryProvider, ResourceItem } from '../../src/registry/provider';
import type { RegistryNode, RepositoryNode, ResourceNode } from '../../src/tree/nodes';
import { toTreeItem } from '../../src/tree/treeItems';
import { coerceFormValues, describeForm, fieldErrors, forms } from '../../src/webviews/forms';
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

  async function children(p: DockerHubProvider, item: ResourceItem, cursor?: string): Promise<{ items: ResourceItem[]; next?: string }> {
    return p.listResourceChildren(item, cursor, { pageSize: 100 });
  }

  beforeEach(async () => {
    hub = await startHubServer();
    hub.addUser('demo', 'demo-password');
    hub.addUser('alice', 'alice-password');
    hub.addOrg('acme', { demo: 'owner', alice: 'member' });
    hub.addGroup('acme', 'developers', ['alice']);
    hub.addRepository('acme', 'api');
    hub.addTags('acme', 'api', 3);
    hub.addAuditEvents('acme', 30);
  });
  afterEach(async () => {
    for (const p of made.splice(0)) p.dispose();
    await hub.close();
  });

  it('offers an Account node only with credentials, and no request for it', async () => {
    assert.deepEqual(await provider().accountItems(), []);
    const items = await provider({ username: 'demo', secret: 'demo-password' }).accountItems();
    assert.deepEqual(items.map((i) => i.label), ['Account']);
    assert.equal(hub.requests.length, 0);
  });

  it('walks Account → tokens, organization → members, groups, group members, access tokens, audit log', async () => {
    const pat = hub.createPat('demo', { label: 'laptop', scopes: ['repo:read'] });
    assert.ok(pat);
    hub.createOat('acme', { label: 'ci' });
    const p = provider({ username: 'demo', secret: 'demo-password' });
    const [account] = await p.accountItems();
    const top = await children(p, account!);
    assert.deepEqual(top.items.map((i) => i.id), ['pats', 'org:acme']);

    const pats = await children(p, top.items[0]!);
    assert.equal(pats.items.length, 1);
    assert.equal(pats.items[0]!.label, 'laptop');
    assert.match(pats.items[0]!.description!, /repo:read · active · no expiry/);
    assert.deepEqual(pats.items[0]!.traits, ['personalAccessToken', 'active']);
    assert.ok(pats.items[0]!.data!.uuid);

    const org = await children(p, top.items[1]!);
    assert.deepEqual(org.items.map((i) => i.label), ['Members', 'Groups', 'Access tokens', 'Audit log']);
    const members = await children(p, org.items[0]!);
    assert.deepEqual(members.items.map((i) => i.label).sort(), ['alice', 'demo']);
    const groups = await children(p, org.items[1]!);
    assert.deepEqual(groups.items.map((i) => [i.label, i.description]), [['developers', '1 member']]);
    const groupMembers = await children(p, groups.items[0]!);
    assert.deepEqual(groupMembers.items.map((i) => i.data), [{ org: 'acme', group: 'developers', username: 'alice' }]);
    const tokens = await children(p, org.items[2]!);
    assert.deepEqual(tokens.items.map((i) => i.label), ['ci']);
    assert.ok(tokens.items[0]!.traits.includes('orgAccessToken'));

    const audit = await p.listResourceChildren(org.items[3]!, undefined, { pageSize: 25 });
    assert.equal(audit.items.length, 25);
    assert.equal(audit.next, '2');
    const rest = await p.listResourceChildren(org.items[3]!, audit.next, { pageSize: 25 });
    assert.equal(rest.items.length, 5);
    assert.equal(rest.next, undefined);
  });

  it('shows an Account without organizations when Hub has no /v2/user/orgs/', async () => {
    hub.setUserOrgs(false);
    const p = provider({ username: 'demo', secret: 'demo-password' });
    const [account] = await p.accountItems();
    assert.deepEqual((await children(p, account!)).items.map((i) => i.id), ['pats']);
  });

  it('lists the immutable-tag policy of a repository and reflects saved rules', async () => {
    const p = provider({ username: 'demo', secret: 'demo-password' });
    const [policies] = await p.policyItems('acme/api');
    assert.equal(policies!.label, 'Policies');
    assert.equal(hub.requests.length, 0, 'the Policies node itself costs nothing');
    let rule = (await children(p, policies!)).items[0]!;
    assert.equal(rule.label, 'Immutable tags');
    assert.equal(rule.description, 'off');
    await p.hub.setImmutableTags('acme', 'api', { enabled: true, rules: ['v[0-9]+'] });
    rule = (await children(p, policies!)).items[0]!;
    assert.equal(rule.description, 'on · 1 rule: v[0-9]+');
    assert.deepEqual(rule.data, { repository: 'acme/api' });
  });

  it('edits repositories through the generic provider methods', async () => {
    const p = provider({ username: 'demo', secret: 'demo-password' });
    await p.createRepository({ namespace: 'acme', name: 'tool', description: 'A tool', isPrivate: true });
    assert.deepEqual(await p.getRepositorySettings('acme/tool'), { namespace: 'acme', name: 'tool', description: 'A tool', fullDescription: '', isPrivate: true });
    await p.updateRepository('acme/tool', { description: 'Better tool', fullDescription: '# Tool', isPrivate: false });
    assert.deepEqual(hub.repository('acme', 'tool'), { isPrivate: false, description: 'Better tool', fullDescription: '# Tool', tags: [], immutable: { enabled: false, rules: [] } });
    await p.deleteRepository('acme/tool');
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

  it('v1: creates and deletes through the generic methods and has no editor', () => {
    const v1 = new DockerHubV1Provider({ connection: { id: 'v1', kind: 'dockerhub-v1', url: 'http://127.0.0.1:9' }, credentials: async () => undefined, logger: silentLogger });
    assert.equal(typeof v1.createRepository, 'function');
    assert.equal(typeof v1.deleteRepository, 'function');
    assert.equal((v1 as { getRepositorySettings?: unknown }).getRepositorySettings, undefined);
    v1.dispose();
  });

  describe('rendering', () => {
    const registry: RegistryNode = { type: 'registry', id: 'registry:hub', registryName: 'hub', kind: 'dockerhub', url: 'https://hub.docker.com', signedIn: true };
    const now = Date.parse('2024-06-10T00:00:00Z');

    it('shows visibility, stars, pulls and last update of Hub repositories, and edit traits', () => {
      const node: RepositoryNode = {
        type: 'repository',
        id: 'r',
        parent: registry,
        registryName: 'hub',
        repository: { name: 'acme/api', description: 'API', isPrivate: true, starCount: 12, pullCount: 40_000, lastUpdated: '2024-06-07T00:00:00Z' },
        editable: true,
        removable: true,
      };
      const item = toTreeItem(node, { now });
      assert.equal(item.description, 'API · private · ★ 12 · 40K pulls · updated 3 days ago');
      assert.equal(item.contextValue, 'editable;filterable;refreshable;removable;repository');
      assert.equal(item.icon, 'lock');
    });

    it('offers Sort Repositories and Create Repository on namespaces of providers that can', () => {
      const ns = toTreeItem({ type: 'namespace', id: 'n', parent: registry, registryName: 'hub', namespace: { name: 'acme' }, canCreateRepository: true, repositoryOrderings: ['name'] });
      assert.equal(ns.contextValue, 'filterable;namespace;refreshable;repositoryCreatable;sortableRepositories');
      const plain = toTreeItem({ type: 'namespace', id: 'n', parent: registry, registryName: 'oci', namespace: { name: 'x' } });
      assert.equal(plain.contextValue, 'filterable;namespace;refreshable');
    });

    it('renders resource items with their traits, expandable ones as refreshable containers', () => {
      const group: ResourceNode = { type: 'resource', id: 'g', parent: registry, registryName: 'hub', item: { id: 'group:acme:dev', label: 'dev', description: '1 member', icon: 'organization', expandable: true, traits: ['orgGroup'] } };
      const g = toTreeItem(group);
      assert.equal(g.collapsible, 'collapsed');
      assert.equal(g.contextValue, 'filterable;orgGroup;refreshable;resource');
      const token: ResourceNode = { type: 'resource', id: 't', parent: registry, registryName: 'hub', item: { id: 'pat:1', label: 'ci', expandable: false, traits: ['personalAccessToken', 'active'] } };
      const t = toTreeItem(token);
      assert.equal(t.collapsible, 'none');
      assert.equal(t.contextValue, 'active;personalAccessToken;resource');
    });
  });

  describe('forms', () => {
    it('describes the repository form and clears an emptied description', () => {
      const fields = describeForm(forms.hubRepository);
      assert.deepEqual(fields.map((f) => [f.name, f.kind]), [['description', 'string'], ['fullDescription', 'string'], ['isPrivate', 'boolean']]);
      assert.equal(fields[1]!.multiline, true);
      const v = coerceFormValues(fields, { description: '  ', fullDescription: '# x', isPrivate: 'true' });
      assert.deepEqual(forms.hubRepository.parse(v), { fullDescription: '# x', isPrivate: true });
      const long = forms.hubRepository.safeParse({ description: 'x'.repeat(101) });
      assert.ok(!long.success);
      assert.deepEqual(fieldErrors(long.error), { description: 'At most 100 characters' });
    });

    it('rejects an invalid regular expression in immutable-tag rules, naming the field', () => {
      const fields = describeForm(forms.hubImmutableTags);
      const v = coerceFormValues(fields, { enabled: true, rules: '^v[0-9]+$\n(unclosed' });
      assert.deepEqual(v, { enabled: true, rules: ['^v[0-9]+$', '(unclosed'] });
      const r = forms.hubImmutableTags.safeParse(v);
      assert.ok(!r.success);
      assert.deepEqual(fieldErrors(r.error), { rules: 'Not a valid regular expression' });
    });
  });
});
