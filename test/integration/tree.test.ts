import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import type { TagNode, TreeNode } from '../../src/tree/nodes';
import { activate, child, entryFor, labelOf, registryNode, sandbox, setRegistries } from './helpers';

const collator = new Intl.Collator('en', { numeric: true });

describe('the Registries tree against the sandbox registry', () => {
  let api: RegistryExplorerApi;
  let original: unknown[] | undefined;
  let registry: TreeNode;

  before(async () => {
    api = await activate();
    const cfg = vscode.workspace.getConfiguration('registryExplorer');
    original = cfg.inspect<unknown[]>('registries')?.globalValue;
    const sb = sandbox();
    const roots = await setRegistries(api, [entryFor('it-tree', sb), entryFor('it-wrong', sb), entryFor('it-anonymous', sb)]);
    assert.equal(await vscode.commands.executeCommand('registryExplorer.signIn', 'it-tree', sb.oci.password ?? ''), true);
    await vscode.commands.executeCommand('registryExplorer.signIn', 'it-wrong', 'not-the-password');
    registry = registryNode(await api.tree.getChildren(), 'it-tree');
    assert.ok(roots.length === 3);
  });

  after(async () => {
    for (const n of ['it-tree', 'it-wrong']) await vscode.commands.executeCommand('registryExplorer.signOut', n);
    await vscode.workspace.getConfiguration('registryExplorer').update('registries', original, vscode.ConfigurationTarget.Global);
  });

  it('lists the sample repositories under the registry', async () => {
    const repos = (await api.tree.getChildren(registry)).map((n) => labelOf(api, n));
    for (const r of ['sample/hello', 'sample/many', 'sample/multi', 'sample/shared']) assert.ok(repos.includes(r), `${r} in ${repos.join(', ')}`);
  });

  it('pages 1,500 tags in natural order with a Load more… node', async () => {
    const many = await child(api, registry, 'sample/many');
    const pageSize = vscode.workspace.getConfiguration('registryExplorer').get<number>('pageSize', 100);
    let kids = await api.tree.getChildren(many);
    let tags = kids.filter((k): k is TagNode => k.type === 'tag').map((k) => k.tag.name);
    assert.equal(tags.length, pageSize, 'one page of tags');
    assert.equal(kids.at(-1)!.type, 'loadMore', 'the last child is Load more…');
    assert.equal(labelOf(api, kids.at(-1)!), 'Load more…');
    const named = tags.filter((n) => n !== 'latest');
    assert.deepEqual(named, [...named].sort(collator.compare), 'natural order (2 before 10)');

    await api.tree.loadMore(kids.at(-1) as Extract<TreeNode, { type: 'loadMore' }>);
    kids = await api.tree.getChildren(many);
    const more = kids.filter((k): k is TagNode => k.type === 'tag').map((k) => k.tag.name);
    assert.equal(more.length, 2 * pageSize, 'Load more adds one page');
    assert.deepEqual(more.slice(0, pageSize), tags, 'the first page stays in place');
    tags = more.filter((n) => n !== 'latest');
    assert.deepEqual(tags, [...tags].sort(collator.compare));
    assert.equal(new Set(more).size, more.length, 'no tag twice');
  });

  it('fills in tag details lazily (digest, size, age)', async () => {
    const hello = await child(api, registry, 'sample/hello');
    const tag = (await child(api, hello, '1.0')) as TagNode;
    await api.tree.whenDetailsSettled();
    assert.equal(tag.detailsError, undefined);
    assert.ok(tag.details, 'details loaded');
    assert.match(tag.details.digest, /^sha256:[0-9a-f]{64}$/);
    assert.ok((tag.details.size ?? 0) > 0, 'size known');
    const desc = api.tree.describe(tag).description ?? '';
    assert.ok(desc.includes(tag.details.digest.slice(0, 'sha256:'.length + 12)), `short digest in "${desc}"`);
    assert.match(desc, /\d+(\.\d)? (B|KB|MB)/, `size in "${desc}"`);
  });

  it('shows the platforms of a multi-arch index', async () => {
    const multi = await child(api, registry, 'sample/multi');
    const tag = (await child(api, multi, 'latest')) as TagNode;
    await api.tree.whenDetailsSettled();
    assert.ok(tag.details?.isIndex, 'an image index');
    const platforms = (tag.details.platforms ?? []).map((p) => `${p.os}/${p.architecture}`);
    assert.ok(platforms.includes('linux/amd64') && platforms.includes('linux/arm64'), platforms.join(', '));
    assert.match(api.tree.describe(tag).description ?? '', /linux\/amd64.*linux\/arm64|linux\/arm64.*linux\/amd64/);
  });

  it('offers Sign In for a wrong password and for missing credentials', async () => {
    for (const name of ['it-wrong', 'it-anonymous']) {
      const node = registryNode(await api.tree.getChildren(), name);
      const kids = await api.tree.getChildren(node);
      assert.equal(kids.length, 1, `${name}: one message node`);
      const msg = kids[0]!;
      assert.equal(msg.type, 'message');
      assert.equal(msg.type === 'message' && msg.errorKind, 'unauthorized', `${name}: unauthorized`);
      const item = api.tree.describe(msg);
      assert.equal(item.command?.command, 'registryExplorer.signIn');
      assert.match(item.label, /sign in/i);
      assert.ok(!item.label.includes('not-the-password') && !(item.tooltip ?? '').includes('not-the-password'), 'the secret is not echoed');
    }
  });

  it('copies pull references by tag and by digest', async () => {
    const hello = await child(api, registry, 'sample/hello');
    const tag = (await child(api, hello, '1.0')) as TagNode;
    await api.tree.whenDetailsSettled();
    const host = new URL(sandbox().oci.url).host;
    const ref = await vscode.commands.executeCommand<string>('registryExplorer.tag.copyDigestReference', tag);
    assert.equal(ref, `${host}/sample/hello@${tag.details!.digest}`);
    assert.equal(await vscode.env.clipboard.readText(), ref);
  });
});
