import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasTrait, OP_TRAITS, PlaceWalker, rowsOf, searchesOnServer, type NodeSource, type PaletteOp } from '../../src/commands/placeWalker';
import type { AdminNode, LoadMoreNode, MessageNode, NamespaceNode, RegistryNode, TreeNode } from '../../src/tree/nodes';
import { toTreeItem } from '../../src/tree/treeItems';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** A small Registries tree as the tree provider builds it: registry → Account group → API Tokens list → tokens. */
function sampleTree() {
  const registry: RegistryNode = { type: 'registry', id: 'registry:dtr', registryName: 'dtr', kind: 'dtr', url: 'https://dtr.example', signedIn: true };
  const group: AdminNode = { type: 'admin', id: 'registry:dtr/grp:account', parent: registry, registryName: 'dtr', role: 'group', name: 'account', scope: {}, view: { label: 'Account' }, expandable: true, traits: ['adminGroup'] };
  const tokens: AdminNode = { type: 'admin', id: 'registry:dtr/grp:account/lst:apiToken', parent: group, registryName: 'dtr', role: 'list', name: 'apiToken', scope: {}, ref: { type: 'apiToken', scope: {}, key: '' }, view: { label: 'API Tokens' }, expandable: true, traits: ['adminList', 'creatable'] };
  const token = (key: string, traits: string[]): AdminNode => ({ type: 'admin', id: `${tokens.id}/itm:${key}`, parent: tokens, registryName: 'dtr', role: 'item', name: 'apiToken', scope: {}, ref: { type: 'apiToken', scope: {}, key }, view: { label: key }, item: { key }, expandable: false, traits });
  const ns: NamespaceNode = { type: 'namespace', id: 'registry:dtr/ns:alice', parent: registry, registryName: 'dtr', namespace: { name: 'alice' }, ref: { type: 'namespace', scope: { namespace: 'alice' }, key: 'alice' }, traits: ['creatable'] };
  const more: LoadMoreNode = { type: 'loadMore', id: `${tokens.id}#more`, owner: tokens, parent: tokens };
  const failed: MessageNode = { type: 'message', id: `${ns.id}#error`, parent: ns, owner: ns, registryName: 'dtr', severity: 'error', text: 'Server error', action: 'retry' };
  const children = new Map<string, TreeNode[]>([
    ['', [registry]],
    [registry.id, [group, ns]],
    [group.id, [tokens]],
    [tokens.id, [token('ci', ['editable', 'removable', 'actionable']), token('old', ['editable', 'removable']), more]],
    [ns.id, [failed]],
  ]);
  return { registry, group, tokens, ns, more, failed, children };
}

function source(children: Map<string, TreeNode[]>, calls: string[] = []): NodeSource {
  return {
    getChildren: (n?: TreeNode) => {
      calls.push(n?.id ?? '');
      return children.get(n?.id ?? '') ?? [];
    },
    describe: (n) => toTreeItem(n),
  };
}

const summary = (rows: ReturnType<typeof rowsOf>) => rows.map((r) => `${r.kind}:${r.item.label}`);

describe('Command Palette: the way to a node', () => {
  it('requires, for each admin command, the same contextValue trait as its context-menu entry', () => {
    const entries = pkg.contributes.menus['view/item/context'] as { command: string; when: string; group?: string }[];
    for (const [op, { command, trait }] of Object.entries(OP_TRAITS)) {
      // The context menu's entry (not the inline button) is the one the palette matches.
      const menu = entries.filter((e) => e.command === command && !e.group?.startsWith('inline'));
      assert.equal(menu.length, 1, `${op}: one context-menu entry`);
      const traits = [...menu[0]!.when.matchAll(/viewItem =~ \/\(\^\|;\)(\w+)\(;\|\$\)\//g)].map((m) => m[1]);
      assert.deepEqual(traits, [trait], `${op}: the palette and the menu require the same trait`);
    }
  });

  it('shows Create…, Edit…, Delete…, Run Action… and Go to… in the Command Palette', () => {
    const hidden = new Set((pkg.contributes.menus.commandPalette as { command: string; when?: string }[]).filter((e) => e.when === 'false').map((e) => e.command));
    for (const id of [...Object.values(OP_TRAITS).map((o) => o.command), 'registryExplorer.goTo']) assert.ok(!hidden.has(id), `${id} is in the palette`);
    assert.ok((pkg.contributes.commands as { command: string }[]).some((c) => c.command === 'registryExplorer.goTo'));
  });

  it('reads traits as the menus do: whole words of the contextValue', () => {
    assert.ok(hasTrait('admin;editable;removable', 'removable'));
    assert.ok(!hasTrait('admin;unremovable', 'removable'));
    assert.ok(!hasTrait('admin;removableX', 'removable'));
  });

  it('offers at each level the nodes the command runs on, then the places to look inside, then paging and errors', () => {
    const t = sampleTree();
    const d = (n: TreeNode) => toTreeItem(n);
    assert.deepEqual(summary(rowsOf(t.children.get(t.registry.id)!, 'create', d)), ['run:alice', 'open:Account', 'open:alice']);
    assert.deepEqual(summary(rowsOf(t.children.get(t.registry.id)!, 'runAction', d)), ['open:Account', 'open:alice']);
    assert.deepEqual(summary(rowsOf(t.children.get(t.group.id)!, 'create', d)), ['run:API Tokens', 'open:API Tokens']);
    const items = t.children.get(t.tokens.id)!;
    assert.deepEqual(summary(rowsOf(items, 'runAction', d)), ['run:ci', 'more:Load more…']);
    assert.deepEqual(summary(rowsOf(items, 'delete', d)), ['run:ci', 'run:old', 'more:Load more…']);
    assert.deepEqual(summary(rowsOf(items, 'create', d)), ['more:Load more…']);
    assert.deepEqual(summary(rowsOf(t.children.get(t.ns.id)!, 'edit', d)), ['retry:Server error']);
  });

  it('walks down level by level with Back, pages and retries through the tree, and ends on the chosen node', async () => {
    const t = sampleTree();
    const paged: string[] = [];
    const listed: string[] = [];
    const w = new PlaceWalker(source(t.children), 'runAction', { loadMore: async (n) => void paged.push(`more ${n.owner.id}`), retry: async (n) => void paged.push(`retry ${n.id}`) }, (n) => listed.push(n.id));
    const pickRow = async (op: PaletteOp, label: string, kind: string) => {
      const rows = await w.rows();
      const row = rows.find((r) => r.item.label === label && r.kind === kind);
      assert.ok(row, `${op}: a ${kind} row ${label} in ${summary(rows).join(', ')}`);
      return w.pick(row);
    };
    assert.equal(w.back(), false, 'nothing above the registries');
    assert.deepEqual(await pickRow('runAction', 'dtr', 'open'), { reload: true });
    assert.deepEqual(await pickRow('runAction', 'alice', 'open'), { reload: true });
    assert.deepEqual(await pickRow('runAction', 'Server error', 'retry'), { reload: true });
    assert.deepEqual(paged, [`retry ${t.failed.id}`]);
    assert.deepEqual(w.path, ['dtr', 'alice']);
    assert.ok(w.back());
    assert.deepEqual(await pickRow('runAction', 'Account', 'open'), { reload: true });
    assert.deepEqual(await pickRow('runAction', 'API Tokens', 'open'), { reload: true });
    assert.deepEqual(await pickRow('runAction', 'Load more…', 'more'), { reload: true });
    assert.deepEqual(paged.at(-1), `more ${t.tokens.id}`);
    const done = await pickRow('runAction', 'ci', 'run');
    assert.ok('done' in done && done.done.id === `${t.tokens.id}/itm:ci`);
    assert.deepEqual(w.path, ['dtr', 'Account', 'API Tokens']);
    assert.deepEqual(listed, [t.registry.id, t.ns.id, t.registry.id, t.group.id, t.tokens.id, t.tokens.id]);
  });

  it('searches on the server as the user types only at a namespace whose provider filters repositories there', () => {
    const t = sampleTree();
    assert.ok(searchesOnServer(t.ns, { serverRepositoryFilter: true }));
    assert.ok(!searchesOnServer(t.ns, { serverRepositoryFilter: false }));
    assert.ok(!searchesOnServer(t.ns, undefined));
    assert.ok(!searchesOnServer(t.registry, { serverRepositoryFilter: true }), 'a registry lists namespaces, not filtered by name');
    assert.ok(!searchesOnServer(t.tokens, { serverRepositoryFilter: true }));
  });
});
