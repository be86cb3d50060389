import * as vscode from 'vscode';
import type { RegistryManager } from '../config/registryManager';
import type { Logger } from '../registry/context';
import { toRegistryError } from '../registry/errors';
import { descriptorOf } from '../registry/kinds';
import { refKey, type NodeRef, type Refresh } from '../registry/admin';
import type { RegistryProvider } from '../registry/provider';
import type { TagOrder } from '../registry/tagOrder';
import type { SecretStore } from '../secrets/secretStore';
import { AdminNodes } from './adminNodes';
import { attachedChildren, attachedNode } from './attachedNodes';
import { describeRows } from './describeRows';
import { errorText } from './vscodeItems';
import { typeOf } from './adminTree';
import { ChildNodes, infoNode, messageFor, noticeNode, unavailableNode, type ChildData } from './childNodes';
import { DetailsScheduler } from './detailsScheduler';
import { RowRefresher } from './rowRefresh';
import { isContainer, refOf, type ContainerNode, type LoadMoreNode, type MessageNode, type NamespaceNode, type RegistryNode, type RepositoryNode, type TagNode, type TreeNode } from './nodes';
import { createList } from './childLists';
import type { PagedList } from './pagedList';
import { RegistrySet } from './registrySet';
import { toTreeItem, type TreeItemData } from './treeItems';
import { UniqueChildren } from './uniqueIds';
import { emptyText, tooltipOf, toVscodeItem } from './vscodeItems';

export { errorText, toVscodeItem } from './vscodeItems';

export interface TreeSettings {
  pageSize(): number;
  tagOrder(): TagOrder;
}

/** What an operation was run on, for choosing what to refresh after it. */
export type OperationKind = 'create' | 'update' | 'remove' | 'action';

/** Tag details load with at most this many requests in flight, across the whole tree. */
export const DETAILS_CONCURRENCY = 8;
/** Rows described as soon as a list is shown: about one screen of the view. */
export const DETAILS_SCREENFUL = 30;

/** The Registries view: registry → (namespaces) → repositories → tags, one request per expansion. */
export class RegistryTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  private roots: TreeNode[] | undefined;
  private readonly lists = new Map<string, PagedList<ChildData>>();
  private readonly nodes = new Map<string, TreeNode>();
  private readonly admin = new AdminNodes((n) => this.remember(n), errorText);
  private readonly children = new ChildNodes(this.nodes, this.admin);
  private readonly filters = new Map<string, string>();
  /** Order chosen per namespace (repositoryOrderings) or repository (tagOrderings). */
  private readonly orderings = new Map<string, string>();
  /** A registry that lists an entry twice gets it shown once (VS Code refuses duplicate ids). */
  private readonly unique: UniqueChildren;
  /** The first screen of a tag list is described at once and shown; the rest of the page once the tree is idle. */
  private readonly details = new DetailsScheduler<TagNode>({ show: (tags) => this.changeEmitter.fire(tags), concurrency: DETAILS_CONCURRENCY, screenful: DETAILS_SCREENFUL });
  /** Rows the provider marked as changing (a scan running) are read again until they settle. */
  private readonly rows = new RowRefresher<TagNode>({
    current: (t) => this.nodes.get(t.id) === t,
    changed: (t) => this.changeEmitter.fire(t),
    failed: (t, e) => this.logger.warn(`Reading ${t.repository}:${t.tag.name} again: ${toRegistryError(e).message}`),
  });
  /** The registries the nodes were built from: settings changes reload everything, credentials one registry. */
  private readonly registrySet = new RegistrySet();
  /** Bumped on every reset so results of requests started before it are dropped. */
  private generation = 0;
  private tagListed = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly manager: RegistryManager,
    private readonly secrets: SecretStore,
    private readonly logger: Logger,
    private readonly settings: TreeSettings,
  ) {
    this.unique = new UniqueChildren(logger);
    this.registrySet.changed(manager.registries, manager.problems);
    // Any change of the registries (settings, credentials) lists the tree again, once: a partial reload left a
    // registry signed in to again expanded with no children.
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
          return node.expandable ? await this.containerChildren(node) : [];
        case 'tag': {
          const attached = node.attachable ? await attachedNode(node, this.providerFor(node)) : undefined;
          return [...(attached ? [this.remember(attached)] : []), ...(node.expandable ? await this.containerChildren(node) : [])];
        }
        case 'attached': {
          const provider = this.providerFor(node);
          return provider ? (await attachedChildren(node, provider, vscode.l10n.t)).map((c) => this.remember(c)) : [];
        }
        default:
          return [];
      }
    } catch (e) {
      // Nothing may throw into VS Code: an unexpected failure becomes a message node too.
      const err = toRegistryError(e);
      this.logger.error(`Tree: ${err.message}`);
      return [messageFor(err, node && isContainer(node) ? (node as ContainerNode) : undefined, node)];
    }
  }

  // ---- actions used by commands ------------------------------------------------------------------------------------

  /** Refreshes one container (its listing is fetched again) or, without a node, the whole tree. */
  refresh(node?: TreeNode): void {
    if (!node || node.type === 'configError') {
      this.generation++;
      this.details.clear();
      this.rows.forget();
      this.lists.clear();
      this.admin.clear();
      this.nodes.clear();
      this.unique.forget();
      this.roots = undefined;
      this.changeEmitter.fire(undefined);
      return;
    }
    const target = isContainer(node) ? node : this.ownerOf(node);
    if (!target) return this.refresh();
    this.resetSubtree(target);
    this.changeEmitter.fire(target);
  }

  /**
   * After a registry's credentials changed: the whole tree is listed again. Reloading only that registry's subtree
   * left it expanded with no children after a second sign-in (VS Code kept the ids of its old, collapsed children
   * registered and met the new children's ids as duplicates).
   */
  refreshRegistry(_name: string): Promise<void> {
    this.refresh();
    return Promise.resolve();
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
    // A server-side filter reaches repositories (tags) not loaded yet: list again from the first page.
    const caps = this.providerFor(node)?.capabilities;
    if ((node.type === 'namespace' && caps?.serverRepositoryFilter) || (node.type === 'repository' && caps?.serverTagFilter)) this.resetSubtree(node);
    this.changeEmitter.fire(node);
  }

  getFilter(node: TreeNode): string | undefined {
    return this.filters.get(node.id);
  }

  /** Lists a namespace's repositories (a repository's tags) again in another order the provider offers. */
  setOrdering(node: NamespaceNode | RepositoryNode, ordering: string | undefined): void {
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
  refreshRef(registryName: string, ref: NodeRef, op: OperationKind, refresh: Refresh | undefined): void {
    const key = refKey(ref);
    for (const n of [...this.nodes.values()]) {
      if (!('registryName' in n) || n.registryName !== registryName) continue;
      const r = refOf(n);
      if (r && refKey(r) === key) this.refreshAfter(n, op, refresh);
    }
  }

  /** A loaded node showing `ref` in a registry, if any (tests use it). */
  findRef(registryName: string, ref: NodeRef): TreeNode | undefined {
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
        addsRepositories: descriptorOf(state.entry.kind)?.repositories === true,
        url: state.entry.url,
        signedIn: await this.secrets.has(state.entry.name, state.entry),
      };
      this.nodes.set(node.id, node);
      out.push(node);
    }
    for (const problem of this.manager.problems) {
      out.push({ type: 'configError', id: `configError:${problem.index}`, problem });
    }
    void vscode.commands.executeCommand('setContext', 'registryExplorer.signedInCount', out.filter((n) => n.type === 'registry' && n.signedIn).length);
    this.roots = out;
    return out;
  }

  private async containerChildren(node: ContainerNode): Promise<TreeNode[]> {
    const state = this.manager.get(node.registryName);
    if (!state) return [];
    if (state.unavailable || !state.provider) {
      return [unavailableNode(node, state)];
    }
    const provider = state.provider;
    let list = this.lists.get(node.id);
    if (!list) {
      list = createList(node, provider, { pageSize: this.settings.pageSize(), tagOrder: this.settings.tagOrder(), nameFilter: this.filters.get(node.id), ordering: this.orderings.get(node.id) });
      this.lists.set(node.id, list);
    }
    const extras = await this.admin.extrasOf(node, provider);
    await list.ensureLoaded();

    // Tags filtered on the server match on any of an artifact's names, not only the one the row shows.
    const filter = node.type === 'repository' && provider.capabilities.serverTagFilter ? undefined : this.filters.get(node.id)?.toLowerCase();
    const source = filter ? list.all : list.items;
    const shown = filter ? source.filter((d) => this.nameOf(node, d, provider).toLowerCase().includes(filter)) : source;
    const children: TreeNode[] = this.unique.filter(node.id, `${node.registryName}: ${toTreeItem(node).label}`, [...extras, ...shown.map((d) => this.children.childNode(node, d, provider))]);

    const err = list.error;
    // A registry that does not list its repositories says so in one line, which offers Add Repository….
    if (list.notice) children.push(noticeNode(node, list.notice, node.type === 'registry' && provider.capabilities.repositoryList ? 'addRepository' : 'none'));
    if (err) {
      children.push(messageFor(err, node, node));
    } else if (list.hasMore && !(filter && list.remaining !== undefined)) {
      const more: LoadMoreNode = { type: 'loadMore', id: `${node.id}#more`, owner: node, parent: node, remaining: list.remaining };
      children.push(more);
    }
    // Under an admin group or item, the placed lists are the content: no "None" after them.
    if (children.length === extras.length && !list.notice && !(extras.length && (node.type === 'admin' || node.type === 'tag'))) {
      children.push(infoNode(node, this.filters.has(node.id) ? vscode.l10n.t('No match for “{0}”', this.filters.get(node.id) ?? '') : emptyText(node)));
    }
    const tags = children.filter((c): c is TagNode => c.type === 'tag');
    if (tags.length) {
      this.scheduleDetails(node, tags, provider);
      // The walkthrough's "Browse to a tag" step completes on this context key.
      if (!this.tagListed) void vscode.commands.executeCommand('setContext', 'registryExplorer.tagListed', (this.tagListed = true));
      this.rows.watch(tags, provider);
    }
    return children;
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

  private resetSubtree(node: TreeNode): void {
    const prefix = node.id + '/';
    for (const id of [...this.lists.keys()]) if (id === node.id || id.startsWith(prefix)) this.lists.delete(id);
    for (const id of [...this.nodes.keys()]) if (id.startsWith(prefix)) this.nodes.delete(id);
    this.unique.forget(node.id);
    this.admin.reset(node.id);
    this.details.forget(node.id);
    this.rows.forget(node.id);
    if (node.type === 'registry') this.roots = undefined;
  }

  // ---- lazy tag details ----------------------------------------------------------------------------------------------

  private scheduleDetails(list: ContainerNode, tags: TagNode[], provider: RegistryProvider): void {
    const gen = this.generation;
    const known = new Set((this.lists.get(list.id)?.all ?? []).map((d) => (d as { name?: string }).name ?? ''));
    describeRows({ details: this.details, listId: list.id, tags, provider, known, logger: this.logger, current: (t) => gen === this.generation && this.nodes.get(t.id) === t });
  }

  /** Resolves when no tag details are pending (tests use it). */
  async whenDetailsSettled(timeoutMs = 30_000): Promise<void> {
    await this.details.whenSettled(timeoutMs);
  }

  dispose(): void {
    this.generation++;
    this.details.dispose();
    this.rows.forget();
    this.changeEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
