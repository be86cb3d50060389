import type { ResourceRef, ResourceType } from '../registry/admin';
import type { RegistryProvider } from '../registry/provider';
import { itemsExpand, itemTraits, levelOf, placedTypes, scopeUnder } from './adminTree';
import type { AdminNode, ContainerNode, TreeNode } from './nodes';

/**
 * The admin nodes of the tree: groups (Account, Policies), list nodes of resource types and their items, placed
 * under core nodes by the provider's admin model. Extras are fetched once per expansion and kept per container id.
 */
export class AdminNodes {
  /** Admin nodes shown first under a container (Account, Policies, a resource type's lists), by container id. */
  private readonly extras = new Map<string, AdminNode[]>();

  constructor(private readonly remember: <T extends TreeNode>(n: T) => T) {}

  /** Forgets the extras of `id` and of everything under it. */
  reset(id: string): void {
    const prefix = id + '/';
    for (const k of [...this.extras.keys()]) if (k === id || k.startsWith(prefix)) this.extras.delete(k);
  }

  clear(): void {
    this.extras.clear();
  }

  /**
   * Admin nodes a provider's model places under a container, first among its children: group nodes (Account,
   * Policies) holding list and singleton nodes, then ungrouped ones. Types whose `available()` says no are left out.
   */
  async extrasOf(node: ContainerNode, provider: RegistryProvider): Promise<AdminNode[]> {
    const known = this.extras.get(node.id);
    if (known) return known;
    const model = provider.admin;
    let out: AdminNode[] = [];
    if (model && node.type === 'admin' && node.role === 'group') {
      const types = placedTypes(model, node.scope.parent ? { type: node.scope.parent.type } : coreLevelOf(node)).filter((t) => t.placement.group === node.name);
      out = await this.typeNodes(node, await availableTypes(types, node.scope), provider);
    } else if (model) {
      const level = levelOf(node);
      const types = level ? await availableTypes(placedTypes(model, level), scopeUnder(node)) : [];
      for (const g of model.groups) {
        if (!types.some((t) => t.placement.group === g.id)) continue;
        const id = `${node.id}/grp:${g.id}`;
        out.push(this.remember({ type: 'admin', id, parent: node, registryName: node.registryName, role: 'group', name: g.id, scope: scopeUnder(node), view: { label: g.title, icon: g.icon }, expandable: true, traits: ['adminGroup'] }));
      }
      out.push(...(await this.typeNodes(node, types.filter((t) => !t.placement.group || !model.groups.some((g) => g.id === t.placement.group)), provider)));
    }
    this.extras.set(node.id, out);
    return out;
  }

  itemNode(parent: ContainerNode, t: ResourceType<unknown>, ref: ResourceRef, item: unknown, provider: RegistryProvider, id: string): AdminNode {
    const view = t.view(item);
    return this.remember({ type: 'admin', id, parent, registryName: parent.registryName, role: 'item', name: t.type, scope: ref.scope, ref, view, item, expandable: itemsExpand(provider.admin, t.type), traits: itemTraits(t, item) });
  }

  /** List nodes and singleton items for resource types, under `owner` (a core node, an item or a group). */
  private async typeNodes(owner: ContainerNode, types: ResourceType<unknown>[], provider: RegistryProvider): Promise<AdminNode[]> {
    const scope = owner.type === 'admin' && owner.role === 'group' ? owner.scope : scopeUnder(owner);
    const out: AdminNode[] = [];
    for (const t of types) {
      if (t.shape === 'singleton') {
        const ref: ResourceRef = { type: t.type, scope, key: '' };
        const item = t.get ? await t.get(ref) : undefined;
        out.push(this.itemNode(owner, t, ref, item, provider, `${owner.id}/itm:${t.type}`));
      } else {
        const traits = ['adminList', ...(t.create ? ['creatable'] : [])];
        out.push(this.remember({ type: 'admin', id: `${owner.id}/lst:${t.type}`, parent: owner, registryName: owner.registryName, role: 'list', name: t.type, scope, ref: { type: t.type, scope, key: '' }, view: { label: t.title, icon: t.icon }, expandable: true, traits }));
      }
    }
    return out;
  }
}

/** The core level a group node sits at (the nearest core container above it). */
function coreLevelOf(node: TreeNode): 'registry' | 'namespace' | 'repository' | 'tag' {
  let p: TreeNode | undefined = node.parent;
  while (p && p.type !== 'registry' && p.type !== 'namespace' && p.type !== 'repository' && p.type !== 'tag') p = p.parent;
  return p && (p.type === 'registry' || p.type === 'namespace' || p.type === 'repository' || p.type === 'tag') ? p.type : 'registry';
}

async function availableTypes(types: ResourceType<unknown>[], scope: ResourceRef['scope']): Promise<ResourceType<unknown>[]> {
  const ok = await Promise.all(types.map((t) => (t.available ? t.available(scope).catch(() => false) : Promise.resolve(true))));
  return types.filter((_t, i) => ok[i]);
}
