import * as assert from 'node:assert/strict';
import { defineResource, type AdminModel } from '../../src/registry/admin';
import { whole } from '../../src/registry/adminKit';
import { ForbiddenError } from '../../src/registry/errors';
import type { RegistryProvider } from '../../src/registry/provider';
import { AdminNodes } from '../../src/tree/adminNodes';
import type { AdminNode, MessageNode, RepositoryNode, TreeNode } from '../../src/tree/nodes';

/** A repository's Policies group holding two singletons and a list, one singleton refused by the server (403). */
function model(reads: string[]): AdminModel {
  const setting = (type: string, title: string, fail: boolean) =>
    defineResource<{ on: boolean }>()({
      type,
      title,
      itemTitle: title.toLowerCase(),
      icon: 'gear',
      placement: { under: 'repository', group: 'policies' },
      shape: 'singleton',
      view: (s) => ({ label: `${title}: ${s.on ? 'on' : 'off'}` }),
      async get(ref) {
        reads.push(`start ${ref.type}`);
        await new Promise((r) => setTimeout(r, 20));
        reads.push(`end ${ref.type}`);
        if (fail) throw new ForbiddenError('You may not read the scan settings');
        return { on: true };
      },
    });
  const rules = defineResource<{ id: string }>()({
    type: 'rule',
    title: 'Rules',
    itemTitle: 'rule',
    icon: 'list-flat',
    placement: { under: 'repository', group: 'policies' },
    shape: 'list',
    key: (r) => r.id,
    view: (r) => ({ label: r.id }),
    list: async () => whole([{ id: 'r1' }]),
  });
  return { groups: [{ id: 'policies', title: 'Policies', icon: 'law' }], types: [setting('scanning', 'Scanning', true), setting('immutability', 'Immutability', false), rules] };
}

describe('admin nodes: failures stay local', () => {
  const repo: RepositoryNode = {
    type: 'repository',
    id: 'registry:r/repo:acme/app',
    registryName: 'r',
    repository: { name: 'acme/app' },
    ref: { type: 'repository', scope: { namespace: 'acme', repository: 'acme/app' }, key: 'acme/app' },
  };

  it('shows a singleton that fails (403) as its own error node with Retry, its siblings still shown', async () => {
    const reads: string[] = [];
    const provider = { admin: model(reads) } as Partial<RegistryProvider> as RegistryProvider;
    const nodes = new AdminNodes(<T extends TreeNode>(n: T) => n, (e) => `Access denied: ${e.message}`);
    const [group] = await nodes.extrasOf(repo, provider);
    assert.equal(group?.type, 'admin');
    const children = await nodes.extrasOf(group as AdminNode, provider);
    assert.deepEqual(
      children.map((c) => (c.type === 'message' ? `error ${c.text}` : `${c.role} ${c.view.label}`)),
      ['error Scanning: Access denied: You may not read the scan settings', 'item Immutability: on', 'list Rules'],
    );
    const failed = children[0] as MessageNode;
    assert.equal(failed.action, 'retry');
    assert.equal(failed.errorKind, 'forbidden');
    assert.equal(failed.owner, group, 'Retry reloads the group the singleton sits in');
    // Read concurrently: both reads started before either ended.
    assert.deepEqual(reads.slice(0, 2).sort(), ['start immutability', 'start scanning']);
  });

  it('gives singletons a reference without a key, and list nodes too', async () => {
    const provider = { admin: model([]) } as Partial<RegistryProvider> as RegistryProvider;
    const nodes = new AdminNodes(<T extends TreeNode>(n: T) => n);
    const [group] = await nodes.extrasOf(repo, provider);
    const children = (await nodes.extrasOf(group as AdminNode, provider)).filter((c): c is AdminNode => c.type === 'admin');
    for (const c of children) assert.deepEqual(c.ref, { type: c.name, scope: { namespace: 'acme', repository: 'acme/app' } });
  });
});
