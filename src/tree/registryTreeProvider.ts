import * as vscode from 'vscode';
import type { RegistryManager, RegistryState } from '../config/registryManager';
import type { Logger } from '../registry/context';
import { toRegistryError, type RegistryError } from '../registry/errors';
import { descriptorOf } from '../registry/kinds';
import { refKey, type Refresh, type ResourceRef, type ResourceType } from '../registry/admin';
import type { Namespace, RegistryProvider, Repository, Tag } from '../registry/provider';
import { sortTags, type TagOrder } from '../registry/tagOrder';
import type { SecretStore } from '../secrets/secretStore';
import { Limiter } from './limiter';
import { coreTraits, itemsExpand, itemTraits, levelOf, placedTypes, scopeUnder, typeOf } from './adminTree';
import { isContainer, refOf, type AdminNode, type ContainerNode, type LoadMoreNode, type MessageNode, type NamespaceNode, type RegistryNode, type RepositoryNode, type TagNode, type TreeNode } from './nodes';
import { PagedList } from './pagedList';
import { toTreeItem, type TreeItemData } from './treeItems';

export interface TreeSettings {
  pageSize(): number;
  tagOrder(): TagOrder;
}

/** Namespaces, repositories, tags, or items of an admin list (whatever the provider's resource type lists). */
type ChildData = unknown;

/** What an operation was run on, for choosing what to refresh after it. */
export type OperationKind = 'create' | 'update' | 'remove' | 'action';

/** Tag details load with at most this many requests in flight, across the whole tree. */
export const DETAILS_CONCURRENCY = 8;
/** Longest wait before details that arrived are shown while others of the batch are still loading. */
const DETAILS_FLUSH_MS = 1500;
/** Wait after listing children before their details are requested, so the view gets the rows first. */
const DETAILS_START_MS = 10;

/** The Registries view: registry → (namespaces) → repositories → tags, one request per expansion. */
export class RegistryTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  private roots: TreeNode[] | undefined;
  private readonly lists = new Map<string, PagedList<ChildData>>();
  /** Admin nodes shown first under a container (Account, Policies, a resource type's lists), by container id. */
  private readonly extras = new Map<string, AdminNode[]>();
  private readonly nodes = new Map<string, TreeNode>();
  private readonly filters = new Map<string, string>();
  /** Repository order chosen per namespace (providers with repositoryOrderings). */
  private readonly orderings = new Map<string, string>();
  private readonly detailsLimiter = new Limiter(DETAILS_CONCURRENCY);
  private readonly detailsPending = new Set<string>();
  private detailsBatch = 0;
  private pendingChanges = new Set<TreeNode>();
  private changeTimer: NodeJS.Timeout | undefined;
  /** Bumped on every reset so results of requests started before it are dropped. */
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly manager: RegistryManager,
    private readonly secrets: SecretStore,
    private readonly logger: Logger,
    private readonly settings: TreeSettings,
  ) {
    this.disposables.push(manager.onDidChange(() => this.refresh()));
  }

  // ---- TreeDataProvider ------------------------------------------------------------------------------------------

  getTreeItem(node: TreeNode): vscode.TreeItem {
    // Tooltips are filled in on hover (resolveTreeItem): every item of a list is sent to the view on each refresh
    // of its parent, and a tag's Markdown tooltip is most of an item's size.
    return toVscodeItem(toTreeItem(node, { filter: this.filters.get(node.id), t: vscode.l10n.t }), { tooltip: false });
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    item.tooltip = tooltipOf(toTreeItem(node, { filter: this.filters.get(node.id), t: vscode.l10n.t }));
    return item;
  }

  /** Plain rendering of a node (tests and the status bar use it). */
  describe(node: TreeNode): TreeItemData {
    return toTreeItem(node, { filter: this.filters.get(node.id) });
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (!node) return await this.rootChildren();
      switch (node.type) {
        case 'registry':
        case 'namespace':
        case 'repository':
          return await this.containerChildren(node);
        case 'admin':
        case 'tag':
          return node.expandable ? await this.containerChildren(node) : [];
        default:
          return [];
      }
    } catch (e) {
      // Nothing may throw into VS Code: an unexpected failure becomes a message node too.
      const err = toRegistryError(e);
      this.logger.error(`Tree: ${err.message}`);
      return [this.messageFor(err, node && isContainer(node) ? (node as ContainerNode) : undefined, node)];
    }
  }

  // ---- actions used by commands ------------------------------------------------------------------------------------

  /** Refreshes one container (its listing is fetched again) or, without a node, the whole tree. */
  refresh(node?: TreeNode): void {
    if (!node || node.type === 'configError') {
      this.generation++;
      this.detailsLimiter.clear();
      this.detailsPending.clear();
      this.lists.clear();
      this.extras.clear();
      this.nodes.clear();
      this.roots = undefined;
      this.changeEmitter.fire(undefined);
      return;
    }
    const target = isContainer(node) ? node : this.ownerOf(node);
    if (!target) return this.refresh();
    this.resetSubtree(target);
    this.changeEmitter.fire(target);
  }

  async loadMore(node: LoadMoreNode): Promise<void> {
    const list = this.lists.get(node.owner.id);
    if (!list) return;
    await list.loadMore();
    this.changeEmitter.fire(node.owner);
  }

  /** Retry after an error: reloads the failed listing (or the next page when earlier pages are shown). */
  async retry(node: MessageNode): Promise<void> {
    if (!node.owner) return this.refresh();
    const list = this.lists.get(node.owner.id);
    if (list && list.items.length > 0 && list.canResume) {
      await list.loadMore();
      this.changeEmitter.fire(node.owner);
    } else {
      this.refresh(node.owner);
    }
  }

  setFilter(node: ContainerNode, text: string | undefined): void {
    const t = text?.trim();
    if (t) this.filters.set(node.id, t);
    else this.filters.delete(node.id);
    // A server-side filter reaches repositories not loaded yet: list again from the first page.
    if (node.type === 'namespace' && this.providerFor(node)?.capabilities.serverRepositoryFilter) this.resetSubtree(node);
    this.changeEmitter.fire(node);
  }

  getFilter(node: TreeNode): string | undefined {
    return this.filters.get(node.id);
  }

  /** Lists a namespace's repositories again in another order (one of the provider's repositoryOrderings). */
  setOrdering(node: NamespaceNode, ordering: string | undefined): void {
    if (ordering) this.orderings.set(node.id, ordering);
    else this.orderings.delete(node.id);
    this.resetSubtree(node);
    this.changeEmitter.fire(node);
  }

  getOrdering(node: TreeNode): string | undefined {
    return this.orderings.get(node.id);
  }

  /** Re-sorts tag lists (setting change): cheap, lists are rebuilt from the next fetch. */
  resortTags(): void {
    for (const [id, node] of this.nodes) {
      if (node.type !== 'repository') continue;
      this.resetSubtree(node);
      this.lists.delete(id);
    }
    this.changeEmitter.fire(undefined);
  }

  providerFor(node: TreeNode): RegistryProvider | undefined {
    const name = 'registryName' in node ? node.registryName : node.type === 'loadMore' ? node.owner.registryName : undefined;
    return name ? this.manager.get(name)?.provider : undefined;
  }

  /** The repository node above a tag, for refreshing after a delete. */
  ownerOf(node: TreeNode): ContainerNode | undefined {
    if (node.type === 'loadMore') return node.owner;
    if (node.type === 'message') return node.owner;
    let p = node.parent;
    while (p && !isContainer(p)) p = p.parent;
    return p as ContainerNode | undefined;
  }

  /**
   * Refreshes what an operation changed. `node` is what the operation ran on (for `create`: the list or core node
   * the item is created in). `item` reloads the node itself (or the list showing it), `list` the list it is in,
   * `owner` the node above that list.
   */
  refreshAfter(node: TreeNode, op: OperationKind, refresh: Refresh | undefined): void {
    if (refresh === 'none') return;
    const r = refresh ?? (op === 'create' ? 'item' : 'list');
    // A list's owner is the node the list belongs to: groups (Policies, Access…) only arrange lists under it.
    const owner = (n: TreeNode | undefined): TreeNode | undefined => (n?.type === 'admin' && n.role === 'group' ? owner(n.parent) : n);
    let target: TreeNode | undefined;
    if (op === 'create') target = r === 'owner' ? (owner(node.parent) ?? node.parent) : node;
    else if (r === 'item' && op !== 'remove' && isContainer(node)) target = node;
    else if (r === 'owner') target = owner(node.parent?.parent) ?? node.parent;
    else target = node.parent;
    // A singleton or a list's item is shown by its container: reload that container.
    this.refresh(target ?? undefined);
  }

  /**
   * Refreshes, after an operation, the nodes of a registry that show the object `ref` names (a panel restored after
   * a reload has the reference, not the node). Nothing happens when no such node is loaded.
   */
  refreshRef(registryName: string, ref: ResourceRef, op: OperationKind, refresh: Refresh | undefined): void {
    const key = refKey(ref);
    for (const n of [...this.nodes.values()]) {
      if (!('registryName' in n) || n.registryName !== registryName) continue;
      const r = refOf(n);
      if (r && refKey(r) === key) this.refreshAfter(n, op, refresh);
    }
  }

  /** A loaded node showing `ref` in a registry, if any (tests use it). */
  findRef(registryName: string, ref: ResourceRef): TreeNode | undefined {
    const key = refKey(ref);
    for (const n of this.nodes.values()) {
      const r = refOf(n);
      if (r && 'registryName' in n && n.registryName === registryName && refKey(r) === key) return n;
    }
    return undefined;
  }

  // ---- children ----------------------------------------------------------------------------------------------------

  private async rootChildren(): Promise<TreeNode[]> {
    if (this.roots) return this.roots;
    const out: TreeNode[] = [];
    for (const state of this.manager.registries) {
      const node: RegistryNode = {
        type: 'registry',
        id: `registry:${state.entry.name}`,
        registryName: state.entry.name,
        kind: state.entry.kind,
        kindLabel: descriptorOf(state.entry.kind)?.shortLabel,
        url: state.entry.url,
        signedIn: await this.secrets.has(state.entry.name, state.entry),
      };
      this.nodes.set(node.id, node);
      out.push(node);
    }
    for (const problem of this.manager.problems) {
      out.push({ type: 'configError', id: `configError:${problem.index}`, problem });
    }
    this.roots = out;
    return out;
  }

  private async containerChildren(node: ContainerNode): Promise<TreeNode[]> {
    const state = this.manager.get(node.registryName);
    if (!state) return [];
    if (state.unavailable || !state.provider) {
      return [this.unavailableNode(node, state)];
    }
    const provider = state.provider;
    let list = this.lists.get(node.id);
    if (!list) {
      list = this.createList(node, provider);
      this.lists.set(node.id, list);
    }
    const extras = await this.extrasOf(node, provider);
    await list.ensureLoaded();

    const filter = this.filters.get(node.id)?.toLowerCase();
    const source = filter ? list.all : list.items;
    const shown = filter ? source.filter((d) => this.nameOf(node, d, provider).toLowerCase().includes(filter)) : source;
    const children: TreeNode[] = [...extras, ...shown.map((d) => this.childNode(node, d, provider))];

    const err = list.error;
    if (err) {
      children.push(this.messageFor(err, node, node));
    } else if (list.hasMore && !(filter && list.remaining !== undefined)) {
      const more: LoadMoreNode = { type: 'loadMore', id: `${node.id}#more`, owner: node, parent: node, remaining: list.remaining };
      children.push(more);
    }
    // Under an admin group or item, the placed lists are the content: no "None" after them.
    if (children.length === extras.length && !(extras.length && (node.type === 'admin' || node.type === 'tag'))) {
      children.push(this.infoNode(node, filter ? vscode.l10n.t('No match for “{0}”', this.filters.get(node.id) ?? '') : emptyText(node)));
    }
    const tags = children.filter((c): c is TagNode => c.type === 'tag');
    if (tags.length) this.scheduleDetails(tags, provider);
    return children;
  }

  private createList(node: ContainerNode, provider: RegistryProvider): PagedList<ChildData> {
    const pageSize = this.settings.pageSize();
    switch (node.type) {
      case 'registry':
        if (provider.capabilities.namespaces && provider.listNamespaces) {
          return new PagedList<ChildData>((c) => provider.listNamespaces!(c, { pageSize }), pageSize);
        }
        return new PagedList<ChildData>((c) => provider.listRepositories(undefined, c, { pageSize }), pageSize);
      case 'namespace': {
        const nameFilter = provider.capabilities.serverRepositoryFilter ? this.filters.get(node.id) : undefined;
        const ordering = this.orderings.get(node.id);
        return new PagedList<ChildData>((c) => provider.listRepositories(node.namespace.name, c, { pageSize, ...(nameFilter ? { nameFilter } : {}), ...(ordering ? { ordering } : {}) }), pageSize);
      }
      case 'admin': {
        const t = node.role === 'list' ? typeOf(provider.admin, node) : undefined;
        const list = t?.list?.bind(t);
        if (!list) return new PagedList<ChildData>(() => Promise.resolve({ items: [] }), pageSize);
        const scope = node.scope;
        return new PagedList<ChildData>((c) => list(scope, c, { pageSize }), pageSize);
      }
      case 'tag':
        return new PagedList<ChildData>(() => Promise.resolve({ items: [] }), pageSize);
      case 'repository': {
        const order = this.settings.tagOrder();
        return new PagedList<ChildData>(
          (c) => provider.listTags(node.repository.name, c, { pageSize }),
          pageSize,
          // Sorting only makes sense when the server handed over the whole list; server pages keep server order.
          (items, whole) => (whole ? sortTags(items as Tag[], order) : items),
        );
      }
    }
  }

  /**
   * Admin nodes a provider's model places under a container, first among its children: group nodes (Account,
   * Policies) holding list and singleton nodes, then ungrouped ones. Types whose `available()` says no are left out.
   * Fetched once per expansion.
   */
  private async extrasOf(node: ContainerNode, provider: RegistryProvider): Promise<AdminNode[]> {
    const known = this.extras.get(node.id);
    if (known) return known;
    const model = provider.admin;
    let out: AdminNode[] = [];
    if (model && node.type === 'admin' && node.role === 'group') {
      const types = placedTypes(model, node.scope.parent ? { type: node.scope.parent.type } : this.coreLevelOf(node)).filter((t) => t.placement.group === node.name);
      out = await this.typeNodes(node, await this.availableTypes(types, node.scope), provider);
    } else if (model) {
      const level = levelOf(node);
      const types = level ? await this.availableTypes(placedTypes(model, level), scopeUnder(node)) : [];
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

  /** The core level a group node sits at (the nearest core container above it). */
  private coreLevelOf(node: TreeNode): 'registry' | 'namespace' | 'repository' | 'tag' {
    let p: TreeNode | undefined = node.parent;
    while (p && p.type !== 'registry' && p.type !== 'namespace' && p.type !== 'repository' && p.type !== 'tag') p = p.parent;
    return p && (p.type === 'registry' || p.type === 'namespace' || p.type === 'repository' || p.type === 'tag') ? p.type : 'registry';
  }

  private async availableTypes(types: ResourceType<unknown>[], scope: ResourceRef['scope']): Promise<ResourceType<unknown>[]> {
    const ok = await Promise.all(types.map((t) => (t.available ? t.available(scope).catch(() => false) : Promise.resolve(true))));
    return types.filter((_t, i) => ok[i]);
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

  private itemNode(parent: ContainerNode, t: ResourceType<unknown>, ref: ResourceRef, item: unknown, provider: RegistryProvider, id: string): AdminNode {
    const view = t.view(item);
    return this.remember({ type: 'admin', id, parent, registryName: parent.registryName, role: 'item', name: t.type, scope: ref.scope, ref, view, item, expandable: itemsExpand(provider.admin, t.type), traits: itemTraits(t, item) });
  }

  /** Keeps a node (replacing an older one with the same id, whose data may be stale). */
  private remember<T extends TreeNode>(n: T): T {
    this.nodes.set(n.id, n);
    return n;
  }

  private nameOf(node: ContainerNode, d: ChildData, provider: RegistryProvider): string {
    if (node.type === 'admin') {
      const t = typeOf(provider.admin, node);
      return t ? t.view(d).label : '';
    }
    const x = d as { name?: string; label?: string };
    return x.label ?? x.name ?? '';
  }

  private repositoryNode(parent: ContainerNode, id: string, d: Repository, provider: RegistryProvider): RepositoryNode {
    const namespace = d.namespace ?? (parent.type === 'namespace' ? parent.namespace.name : undefined);
    const ref: ResourceRef = { type: 'repository', scope: { ...(namespace ? { namespace } : {}), repository: d.name }, key: d.name };
    return { type: 'repository', id, parent, registryName: parent.registryName, repository: d, ref, traits: coreTraits(provider.admin, 'repository', ref) };
  }

  private childNode(parent: ContainerNode, d: ChildData, provider: RegistryProvider): TreeNode {
    let id: string;
    let make: () => TreeNode;
    switch (parent.type) {
      case 'registry':
        if (provider.capabilities.namespaces && provider.listNamespaces) {
          const ns = d as Namespace;
          id = `${parent.id}/ns:${ns.name}`;
          const repositoryOrderings = provider.capabilities.repositoryOrderings;
          const ref: ResourceRef = { type: 'namespace', scope: { namespace: ns.name }, key: ns.name };
          make = (): NamespaceNode => ({ type: 'namespace', id, parent, registryName: parent.registryName, namespace: ns, ref, traits: coreTraits(provider.admin, 'namespace', ref), repositoryOrderings });
        } else {
          id = `${parent.id}/repo:${(d as Repository).name}`;
          make = () => this.repositoryNode(parent, id, d as Repository, provider);
        }
        break;
      case 'namespace':
        id = `${parent.id}/repo:${(d as Repository).name}`;
        make = () => this.repositoryNode(parent, id, d as Repository, provider);
        break;
      case 'admin': {
        const t = typeOf(provider.admin, parent)!;
        const key = t.key(d);
        return this.itemNode(parent, t, { type: t.type, scope: parent.scope, key }, d, provider, `${parent.id}/itm:${key}`);
      }
      case 'tag':
        return this.infoNode(parent, vscode.l10n.t('None'));
      case 'repository': {
        const tag = d as Tag;
        id = `${parent.id}/tag:${tag.name}`;
        const ref: ResourceRef = { type: 'tag', scope: { ...parent.ref.scope, tag: tag.name, ...(tag.digest ? { digest: tag.digest } : {}) }, key: tag.name };
        make = (): TagNode => ({
          type: 'tag',
          id,
          parent,
          registryName: parent.registryName,
          repository: parent.repository.name,
          tag,
          ref,
          traits: coreTraits(provider.admin, 'tag', ref),
          expandable: placedTypes(provider.admin, 'tag').length > 0,
          pullHost: provider.pullHost(),
          deletable: provider.capabilities.deleteTag && !!provider.deleteTag,
          scannable: provider.capabilities.scanSummary && !!provider.getScanReport,
        });
        break;
      }
    }
    let n = this.nodes.get(id);
    if (!n) {
      n = make();
      this.nodes.set(id, n);
    }
    return n;
  }

  private unavailableNode(owner: ContainerNode, state: RegistryState): MessageNode {
    const err = state.unavailable!;
    return {
      type: 'message',
      id: `${owner.id}#unavailable`,
      parent: owner,
      owner,
      registryName: owner.registryName,
      severity: err.kind === 'unsupported' ? 'info' : 'error',
      text: err.message,
      errorKind: err.kind,
      action: err.kind === 'unsupported' ? 'none' : 'retry',
    };
  }

  private infoNode(owner: ContainerNode, text: string): MessageNode {
    return { type: 'message', id: `${owner.id}#info`, parent: owner, owner, registryName: owner.registryName, severity: 'info', text, action: 'none' };
  }

  private messageFor(err: RegistryError, owner: ContainerNode | undefined, parent: TreeNode | undefined): MessageNode {
    const signIn = err.kind === 'unauthorized';
    return {
      type: 'message',
      id: `${owner?.id ?? 'root'}#error`,
      parent,
      owner,
      registryName: owner?.registryName,
      severity: 'error',
      text: errorText(err),
      detail: err.request,
      errorKind: err.kind,
      action: signIn ? 'signIn' : 'retry',
    };
  }

  private resetSubtree(node: TreeNode): void {
    const prefix = node.id + '/';
    for (const id of [...this.lists.keys()]) if (id === node.id || id.startsWith(prefix)) this.lists.delete(id);
    for (const id of [...this.extras.keys()]) if (id === node.id || id.startsWith(prefix)) this.extras.delete(id);
    for (const id of [...this.nodes.keys()]) if (id.startsWith(prefix)) this.nodes.delete(id);
    for (const id of [...this.detailsPending]) if (id.startsWith(prefix)) this.detailsPending.delete(id);
    if (node.type === 'registry') this.roots = undefined;
  }

  // ---- lazy tag details ----------------------------------------------------------------------------------------------

  private scheduleDetails(tags: TagNode[], provider: RegistryProvider): void {
    if (!provider.capabilities.tagDetails || !provider.getTagDetails) return;
    const gen = this.generation;
    // The batch shown last is served first: expanding a small repository while a big one is still filling in
    // should not make it wait behind the big one.
    const batch = ++this.detailsBatch;
    const wanted: TagNode[] = [];
    for (const t of tags) {
      if (t.details || t.detailsError || this.detailsPending.has(t.id)) continue;
      // Listings that already carry digest, size and platforms (some registries' listings) need no extra request.
      if (t.tag.digest && t.tag.size !== undefined && t.tag.platforms) continue;
      this.detailsPending.add(t.id);
      wanted.push(t);
    }
    // Requests start once the children have been handed to the view: the rows come first, their details after.
    if (wanted.length) setTimeout(() => this.fetchDetails(wanted, provider, gen, batch), DETAILS_START_MS);
  }

  private fetchDetails(tags: TagNode[], provider: RegistryProvider, gen: number, batch: number): void {
    for (const t of tags) {
      void this.detailsLimiter
        .run(async () => {
          if (gen !== this.generation || this.nodes.get(t.id) !== t) return;
          try {
            t.details = await provider.getTagDetails!(t.repository, t.tag.name);
          } catch (e) {
            const err = toRegistryError(e);
            t.detailsError = err.message;
            this.logger.warn(`Details of ${t.repository}:${t.tag.name}: ${err.message}`);
          }
          if (gen === this.generation && this.nodes.get(t.id) === t) this.queueChange(t);
        }, batch)
        .finally(() => {
          this.detailsPending.delete(t.id);
          if (this.detailsPending.size === 0 && this.pendingChanges.size > 0) this.flushChanges();
        });
    }
  }

  /**
   * Batches node updates: details that fill in are shown together once every pending detail has arrived (or after
   * DETAILS_FLUSH_MS while a slow batch is still loading). VS Code debounces change events and restarts the wait
   * on every new one, so a stream of small updates would hold back a Load more… or an expansion behind it.
   */
  private queueChange(node: TreeNode): void {
    this.pendingChanges.add(node);
    if (!this.changeTimer) this.changeTimer = setTimeout(() => this.flushChanges(), DETAILS_FLUSH_MS);
  }

  private flushChanges(): void {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.changeTimer = undefined;
    const nodes = [...this.pendingChanges];
    this.pendingChanges.clear();
    if (nodes.length) this.changeEmitter.fire(nodes);
  }

  /** Resolves when no tag details are pending (tests use it). */
  async whenDetailsSettled(timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while ((this.detailsPending.size > 0 || this.changeTimer) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  }

  dispose(): void {
    this.generation++;
    this.detailsLimiter.clear();
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.changeEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function emptyText(node: ContainerNode): string {
  switch (node.type) {
    case 'registry':
      return vscode.l10n.t('No repositories');
    case 'namespace':
      return vscode.l10n.t('No repositories in this namespace');
    case 'repository':
      return vscode.l10n.t('No tags');
    case 'admin':
    case 'tag':
      return vscode.l10n.t('None');
  }
}

/** A short, actionable line for an error node. */
export function errorText(err: RegistryError): string {
  switch (err.kind) {
    case 'unauthorized':
      return vscode.l10n.t('Sign in required: {0}', err.message);
    case 'forbidden':
      return vscode.l10n.t('Access denied: {0}', err.message);
    case 'notFound':
      return vscode.l10n.t('Not found: {0}', err.message);
    case 'rateLimited':
      return vscode.l10n.t('Rate limited: {0}', err.message);
    case 'unreachable':
    case 'timeout':
      return vscode.l10n.t('Unreachable: {0}', err.message);
    default:
      return err.message;
  }
}

function tooltipOf(d: TreeItemData): string | vscode.MarkdownString | undefined {
  return d.tooltip === undefined ? undefined : d.markdownTooltip ? new vscode.MarkdownString(d.tooltip) : d.tooltip;
}

/** A VS Code TreeItem; `tooltip: false` leaves the tooltip out (the view asks resolveTreeItem on hover). */
export function toVscodeItem(d: TreeItemData, opts: { tooltip?: boolean } = {}): vscode.TreeItem {
  const item = new vscode.TreeItem(d.label, d.collapsible === 'collapsed' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = d.id;
  item.description = d.description;
  if (opts.tooltip !== false) item.tooltip = tooltipOf(d);
  item.contextValue = d.contextValue;
  const [icon, color] = d.icon.split('|');
  item.iconPath = new vscode.ThemeIcon(icon!, color ? new vscode.ThemeColor(color) : undefined);
  if (d.command) item.command = d.command;
  return item;
}
