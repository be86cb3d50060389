import type { LoadMoreNode, MessageNode, TreeNode } from '../tree/nodes';
import type { TreeItemData } from '../tree/treeItems';

/**
 * The Command Palette's way to a node: the same nodes the Registries view shows, one level at a time (registries,
 * then namespaces, repositories, tags, groups, admin lists and items), and the same contextValue traits the context
 * menu reads, so the palette offers an operation exactly where the menu does. No `vscode` here: the host renders
 * the rows in a quick pick.
 */

/** The four admin commands the palette reaches. */
export type PaletteOp = 'create' | 'edit' | 'delete' | 'runAction';

/**
 * The contextValue trait each admin command's context-menu entry requires (package.json `view/item/context`;
 * a unit test checks they agree).
 */
export const OP_TRAITS: Readonly<Record<PaletteOp, { command: string; trait: string }>> = {
  create: { command: 'registryExplorer.item.create', trait: 'creatable' },
  edit: { command: 'registryExplorer.item.edit', trait: 'editable' },
  delete: { command: 'registryExplorer.item.delete', trait: 'removable' },
  runAction: { command: 'registryExplorer.item.runAction', trait: 'actionable' },
};

/** Whether a contextValue (`a;b;c`) carries a trait, as the menus' `viewItem =~ /(^|;)trait(;|$)/` test it. */
export function hasTrait(contextValue: string, trait: string): boolean {
  return contextValue.split(';').includes(trait);
}

/** The tree's view of nodes the walker needs: their children and their rendering (label, traits, expandability). */
export interface NodeSource {
  getChildren(node?: TreeNode): Promise<TreeNode[]> | TreeNode[];
  describe(node: TreeNode): TreeItemData;
}

/** One row of a level. */
export type Row =
  /** A node the operation runs on (the context menu would offer it there). */
  | { kind: 'run'; node: TreeNode; item: TreeItemData }
  /** A node with children: picking it shows its children. */
  | { kind: 'open'; node: TreeNode; item: TreeItemData }
  /** The list goes on: picking it loads the next page. */
  | { kind: 'more'; node: LoadMoreNode; item: TreeItemData }
  /** The listing failed: picking it retries. */
  | { kind: 'retry'; node: MessageNode; item: TreeItemData }
  /** A note of the tree (an empty list, an unavailable registry, an error with no retry). */
  | { kind: 'note'; node: MessageNode; item: TreeItemData };

/** Sorts a level's children into rows: operable nodes first, then the containers to look inside, then paging and notes. */
export function rowsOf(children: readonly TreeNode[], op: PaletteOp, describe: NodeSource['describe']): Row[] {
  const run: Row[] = [];
  const open: Row[] = [];
  const tail: Row[] = [];
  const trait = OP_TRAITS[op].trait;
  for (const node of children) {
    if (node.type === 'configError') continue;
    const item = describe(node);
    if (node.type === 'loadMore') tail.push({ kind: 'more', node, item });
    else if (node.type === 'message') tail.push({ kind: node.action === 'retry' ? 'retry' : 'note', node, item });
    else {
      if (hasTrait(item.contextValue, trait)) run.push({ kind: 'run', node, item });
      if (item.collapsible === 'collapsed') open.push({ kind: 'open', node, item });
    }
  }
  return [...run, ...open, ...tail];
}

/**
 * Whether a place's children can be searched on the server as the user types (a namespace of a provider that
 * filters repositories by name on the server): the tree's filter then reaches repositories not loaded yet.
 */
export function searchesOnServer(place: TreeNode | undefined, capabilities: { serverRepositoryFilter?: boolean } | undefined): boolean {
  return place?.type === 'namespace' && !!capabilities?.serverRepositoryFilter;
}

/** What picking a row asks for next. */
export type Step = { done: TreeNode } | { reload: true } | { stay: true };

/**
 * The walk's state: a stack of places from the registries down. `rows()` lists the current place's children;
 * `pick(row)` goes into a container, runs paging or retry through the tree, or ends with the node to run on.
 */
export class PlaceWalker {
  private readonly stack: (TreeNode | undefined)[] = [undefined];

  constructor(
    private readonly source: NodeSource,
    readonly op: PaletteOp,
    private readonly paging: { loadMore(node: LoadMoreNode): Promise<void>; retry(node: MessageNode): Promise<void> },
    /** Called for every container whose children the walk listed (Go to… searches what is loaded). */
    private readonly listed?: (node: TreeNode) => void,
  ) {}

  /** The place whose children are shown (undefined: the registries). */
  get place(): TreeNode | undefined {
    return this.stack[this.stack.length - 1];
  }

  get depth(): number {
    return this.stack.length - 1;
  }

  /** The labels from the registry down to the current place. */
  get path(): string[] {
    return this.stack.filter((n): n is TreeNode => !!n).map((n) => this.source.describe(n).label);
  }

  async rows(): Promise<Row[]> {
    const place = this.place;
    const children = await this.source.getChildren(place);
    if (place) this.listed?.(place);
    return rowsOf(children, this.op, (n) => this.source.describe(n));
  }

  async pick(row: Row): Promise<Step> {
    switch (row.kind) {
      case 'run':
        return { done: row.node };
      case 'open':
        this.stack.push(row.node);
        return { reload: true };
      case 'more':
        await this.paging.loadMore(row.node);
        return { reload: true };
      case 'retry':
        await this.paging.retry(row.node);
        return { reload: true };
      case 'note':
        return { stay: true };
    }
  }

  /** Goes up one level; false at the registries. */
  back(): boolean {
    if (this.stack.length <= 1) return false;
    this.stack.pop();
    return true;
  }
}
