import type { NodeRef, ResourceRef, Scope } from '../registry/admin';
import { toRegistryError, type RegistryError } from '../registry/errors';
import type { RegistryProvider } from '../registry/provider';
import { itemsExpand, itemTraits, levelOf, placedTypes, scopeUnder, type PlacedType } from './adminTree';
import type { AdminNode, ContainerNode, MessageNode, TreeNode } from './nodes';

/**
 * The admin nodes of the tree: groups (Account, Policies), list nodes of resource types and their items, placed
 * under core nodes by the provider's admin model. Extras are fetched once per expansion and kept per container id.
 */
export class AdminNodes {
  /** Admin nodes shown first under a container (Account, Policies, a resource type's lists), by container id. */
  private readonly extras = new Map<string, (AdminNode | MessageNode)[]>();

  /**
   * `describe` words an error for the tree (the VS Code side localises it); a singleton that fails to load shows it
   * in its own error node with Retry, and its siblings still show.
   */
  constructor(
    private readonly remember: <T extends TreeNode>(n: T) => T,
    private readonly describe: (err: RegistryError) => string = (err) => err.message,
  ) {}

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
  async extrasOf(node: ContainerNode, provider: RegistryProvider): Promise<(AdminNode | MessageNode)[]> {
    const known = this.extras.get(node.id);
    if (known) return known;
    const model = provider.admin;
    let out: (AdminNode | MessageNode)[] = [];
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

  itemNode(parent: ContainerNode, t: PlacedType, ref: NodeRef | ResourceRef, item: unknown, provider: RegistryProvider, id: string): AdminNode {
    const view = t.view(item);
    return this.remember({ type: 'admin', id, parent, registryName: parent.registryName, role: 'item', name: t.type, scope: ref.scope, ref, view, item, expandable: itemsExpand(provider.admin, t.type), traits: itemTraits(t, item) });
  }

  /**
   * List nodes and singleton items for resource types, under `owner` (a core node, an item or a group). Singletons
   * are read concurrently, each with its own catch: one that fails becomes an error node in its place.
   */
  private async typeNodes(owner: ContainerNode, types: PlacedType[], provider: RegistryProvider): Promise<(AdminNode | MessageNode)[]> {
    const scope = owner.type === 'admin' && owner.role === 'group' ? owner.scope : scopeUnder(owner);
    const read = await Promise.all(types.map((t) => (t.shape === 'singleton' ? settle(t.get({ type: t.type, scope })) : Promise.resolve(undefined))));
    return types.map((t, i) => {
      const ref: NodeRef = { type: t.type, scope };
      if (t.shape === 'list') {
        const traits = ['adminList', ...(t.create ? ['creatable'] : [])];
        return this.remember({ type: 'admin', id: `${owner.id}/lst:${t.type}`, parent: owner, registryName: owner.registryName, role: 'list', name: t.type, scope, ref, view: { label: t.title, icon: t.icon }, expandable: true, traits });
      }
      const id = `${owner.id}/itm:${t.type}`;
      const r = read[i]!;
      if ('error' in r) return this.failedNode(owner, id, t, r.error);
      return this.itemNode(owner, t, ref, r.value, provider, id);
    });
  }

  private failedNode(owner: ContainerNode, id: string, t: PlacedType, err: RegistryError): MessageNode {
    return this.remember({
      type: 'message',
      id: `${id}#error`,
      parent: owner,
      owner,
      registryName: owner.registryName,
      severity: 'error',
      text: `${t.title}: ${this.describe(err)}`,
      ...(err.request ? { detail: err.request } : {}),
      errorKind: err.kind,
      action: err.kind === 'unauthorized' ? 'signIn' : 'retry',
    });
  }
}

async function settle<T>(p: Promise<T>): Promise<{ value: T } | { error: RegistryError }> {
  try {
    return { value: await p };
  } catch (e) {
    return { error: toRegistryError(e) };
  }
}

/** The core level a group node sits at (the nearest core container above it). */
function coreLevelOf(node: TreeNode): 'registry' | 'namespace' | 'repository' | 'tag' {
  let p: TreeNode | undefined = node.parent;
  while (p && p.type !== 'registry' && p.type !== 'namespace' && p.type !== 'repository' && p.type !== 'tag') p = p.parent;
  return p && (p.type === 'registry' || p.type === 'namespace' || p.type === 'repository' || p.type === 'tag') ? p.type : 'registry';
}

async function availableTypes(types: PlacedType[], scope: Scope): Promise<PlacedType[]> {
  const ok = await Promise.all(types.map((t) => (t.available ? t.available(scope).catch(() => false) : Promise.resolve(true))));
  return types.filter((_t, i) => ok[i]);
}
