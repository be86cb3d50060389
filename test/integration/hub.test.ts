import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import type { LoadMoreNode, TagNode, TreeNode } from '../../src/tree/nodes';
import { activate, child, eventually, labelOf, registryNode, sandbox, setRegistries } from './helpers';

// Docker Hub against the seeded fake Hub (test/servers/hubServer.ts startDemoHub) that the e2e runner starts and
// describes under `extra.hub` of the endpoints file: user `demo` (a personal access token as the secret), the
// organization `acme` (acme/api has 250 tags), the configured namespace `library`.
const NAME = 'it-hub';

describe('the Registries tree against the fake Docker Hub', () => {
  let api: RegistryExplorerApi;
  let original: unknown[] | undefined;
  let registry: TreeNode;
  let configured = false;

  before(async function () {
    const hub = sandbox().extra?.hub;
    // The e2e runner starts the fake Hub; a run without it is a failed run, not a skipped suite.
    assert.ok(hub, 'the fake Hub is not running (extra.hub missing from the sandbox endpoints): start the suite with test/e2e/run.mjs');
    api = await activate();
    original = vscode.workspace.getConfiguration('registryExplorer').inspect<unknown[]>('registries')?.globalValue;
    configured = true;
    const entry = { name: NAME, kind: 'dockerhub', url: hub.url, ...(hub.registryUrl ? { registryUrl: hub.registryUrl } : {}), username: hub.username, namespaces: hub.namespaces };
    await setRegistries(api, [entry]);
    assert.equal(await vscode.commands.executeCommand('registryExplorer.signIn', NAME, hub.password), true);
    registry = await eventually(async () => {
      const n = registryNode(await api.tree.getChildren(), NAME);
      return n.type === 'registry' && n.signedIn ? n : undefined;
    }, `${NAME} to be signed in`);
  });

  after(async () => {
    if (!configured) return;
    await vscode.commands.executeCommand('registryExplorer.signOut', NAME);
    assert.equal(await api.getSecret(NAME), undefined, 'signed out');
    await vscode.workspace.getConfiguration('registryExplorer').update('registries', original, vscode.ConfigurationTarget.Global);
  });

  it('lists the own namespace, the organization, the configured namespace and the Account node', async () => {
    const kids = await api.tree.getChildren(registry);
    const namespaces = kids.filter((k) => k.type === 'namespace').map((k) => labelOf(api, k));
    for (const ns of ['demo', 'acme', 'library']) assert.ok(namespaces.includes(ns), `namespace ${ns} in ${namespaces.join(', ')}`);
    assert.ok(!kids.some((k) => k.type === 'message'), `no message node: ${kids.map((k) => labelOf(api, k)).join(', ')}`);
    const account = kids.find((k) => k.type === 'admin' && labelOf(api, k) === 'Account');
    assert.ok(account, 'an Account node');
    const under = (await api.tree.getChildren(account)).map((k) => labelOf(api, k));
    assert.deepEqual(under, ['Personal access tokens', 'Organizations']);
    const orgs = await child(api, account, 'Organizations');
    const acme = await child(api, orgs, 'acme');
    const lists = (await api.tree.getChildren(acme)).map((k) => labelOf(api, k));
    assert.deepEqual(lists, ['Members', 'Groups', 'Access tokens', 'Audit log']);
  });

  it('lists repositories of a namespace with the facts of the listing', async () => {
    const acme = await child(api, registry, 'acme');
    const repos = await api.tree.getChildren(acme);
    const labels = repos.map((r) => labelOf(api, r));
    assert.deepEqual(labels.filter((l) => l.startsWith('acme/')).sort(), ['acme/api', 'acme/web']);
    const apiRepo = await child(api, acme, 'acme/api');
    assert.match(api.tree.describe(apiRepo).description ?? '', /ACME API server · public · ★ 12 · 40K pulls/);
    const library = await child(api, registry, 'library');
    assert.ok((await api.tree.getChildren(library)).some((r) => labelOf(api, r) === 'library/alpine'), 'library/alpine listed');
  });

  it('takes digest, size and platforms of tags from the listing, with no manifest requests', async () => {
    const demo = await child(api, registry, 'demo');
    const hello = await child(api, demo, 'demo/hello');
    const latest = (await child(api, hello, 'latest')) as TagNode;
    const one = (await child(api, hello, '1.0')) as TagNode;
    await api.tree.whenDetailsSettled();
    for (const t of [latest, one]) {
      assert.equal(t.type, 'tag');
      assert.match(t.tag.digest ?? '', /^sha256:[0-9a-f]{64}$/, `${t.tag.name}: digest from the listing`);
      assert.ok((t.tag.size ?? 0) > 0, `${t.tag.name}: size from the listing`);
      assert.ok(t.tag.platforms?.length, `${t.tag.name}: platforms from the listing`);
      // Nothing was fetched per tag: the details stay empty and nothing failed.
      assert.equal(t.details, undefined, `${t.tag.name}: no details request`);
      assert.equal(t.detailsError, undefined);
      const desc = api.tree.describe(t).description ?? '';
      assert.ok(desc.includes(t.tag.digest!.slice(0, 'sha256:'.length + 12)), `short digest in "${desc}"`);
      assert.match(desc, /\d+(\.\d)? (B|KB|MB)/, `size in "${desc}"`);
    }
    const platforms = latest.tag.platforms!.map((p) => `${p.os}/${p.architecture}`);
    assert.deepEqual(platforms.sort(), ['linux/amd64', 'linux/arm64']);
    assert.match(api.tree.describe(latest).description ?? '', /linux\/amd64.*linux\/arm64|linux\/arm64.*linux\/amd64/);
  });

  it('pages the 250 tags of acme/api with Load more… and shows Policies', async () => {
    const acme = await child(api, registry, 'acme');
    const repo = await child(api, acme, 'acme/api');
    const pageSize = vscode.workspace.getConfiguration('registryExplorer').get<number>('pageSize', 100);
    let kids = await api.tree.getChildren(repo);
    const policies = kids.find((k) => k.type === 'admin' && labelOf(api, k) === 'Policies');
    assert.ok(policies, `a Policies node under acme/api: ${kids.slice(0, 3).map((k) => labelOf(api, k)).join(', ')}…`);
    const rules = (await api.tree.getChildren(policies)).map((k) => labelOf(api, k));
    assert.ok(rules.includes('Immutable tags'), `Immutable tags under Policies: ${rules.join(', ')}`);

    const tags = (nodes: TreeNode[]) => nodes.filter((k): k is TagNode => k.type === 'tag').map((k) => k.tag.name);
    const first = tags(kids);
    assert.equal(first.length, pageSize, 'one page of tags');
    for (const n of first) assert.match(n, /^v\d+$/);
    const more = kids.at(-1)!;
    assert.equal(more.type, 'loadMore', 'the last child is Load more…');
    assert.equal(labelOf(api, more), 'Load more…');

    await api.tree.loadMore(more as LoadMoreNode);
    kids = await api.tree.getChildren(repo);
    const two = tags(kids);
    assert.equal(two.length, 2 * pageSize, 'Load more adds one page');
    assert.deepEqual(two.slice(0, pageSize), first, 'the first page stays in place');
    assert.equal(new Set(two).size, two.length, 'no tag twice');
    assert.equal(kids.at(-1)!.type, 'loadMore', `${250 - 2 * pageSize} tags are still to come`);
    await api.tree.whenDetailsSettled();
    const last = kids.filter((k): k is TagNode => k.type === 'tag').at(-1)!;
    assert.equal(last.details, undefined, 'tags of the second page need no details request either');
    assert.match(api.tree.describe(last).description ?? '', /sha256:[0-9a-f]{12}/);
  });

  it('creates a repository with Create… on a namespace and runs an action, refreshing the tree', async () => {
    // Modal dialogs are refused in the test host, so this sticks to outcomes without one (done, a list).
    const demo = await child(api, registry, 'demo');
    assert.match(api.tree.describe(demo).contextValue, /(^|;)creatable(;|$)/);
    const name = `it-${Date.now()}`;
    const created = await vscode.commands.executeCommand<{ kind: string; message?: string }>('registryExplorer.item.create', demo, { name, description: 'made in-host', isPrivate: true });
    assert.deepEqual(created, { kind: 'done', message: `Created private repository demo/${name}.` });
    const repo = await eventually(async () => (await api.tree.getChildren(demo)).find((k) => labelOf(api, k) === `demo/${name}`), `demo/${name} listed`);
    assert.match(api.tree.describe(repo).description ?? '', /made in-host · private/);

    // Edit… with values saves at once and refreshes the namespace listing; the node is found by its reference.
    const ref = { type: 'repository', scope: { namespace: 'demo', repository: `demo/${name}` }, key: `demo/${name}` };
    assert.equal(api.tree.findRef(NAME, ref)?.id, repo.id);
    const edited = await vscode.commands.executeCommand<{ kind: string }>('registryExplorer.item.edit', repo, { description: 'edited in-host', fullDescription: '# Notes', isPrivate: false });
    assert.equal(edited?.kind, 'done');
    await eventually(async () => {
      const n = (await api.tree.getChildren(demo)).find((k) => labelOf(api, k) === `demo/${name}`);
      return n && /edited in-host · public/.test(api.tree.describe(n).description ?? '');
    }, 'the new description in the tree');

    const acme = await child(api, registry, 'acme');
    const apiRepo = await child(api, acme, 'acme/api');
    const policies = await child(api, apiRepo, 'Policies');
    const rule = await child(api, policies, 'Immutable tags');
    assert.match(api.tree.describe(rule).contextValue, /actionable/);
    const listed = await vscode.commands.executeCommand<{ kind: string; items?: string[] }>('registryExplorer.item.runAction', rule, 'verifyRule', { rule: '^v24[0-9]$' });
    assert.equal(listed?.kind, 'list');
    assert.equal(listed?.items?.length, 10);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

});
