import * as vscode from 'vscode';
import type { TreeNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { PlaceWalker, searchesOnServer, type PaletteOp, type Row } from './placeWalker';
import { UserCancelled } from './runCommand';

/**
 * Create…, Edit…, Delete… and Run Action… from the Command Palette: one quick pick that walks the Registries view's
 * nodes (registry → namespace / repository / tag / group → list → item), offering at each level the nodes the
 * context menu would offer the command on, and the nodes to look inside. Picking one returns it; the command then
 * runs exactly as from the context menu.
 */

type RowItem = vscode.QuickPickItem & { row?: Row; search?: string };

const opTitle = (op: PaletteOp): string => {
  switch (op) {
    case 'create':
      return vscode.l10n.t('Create…');
    case 'edit':
      return vscode.l10n.t('Edit…');
    case 'delete':
      return vscode.l10n.t('Delete…');
    case 'runAction':
      return vscode.l10n.t('Run Action…');
  }
};

function itemOf(row: Row): RowItem {
  const icon = row.item.icon.split('|')[0];
  switch (row.kind) {
    case 'run':
      return { label: `$(${icon}) ${row.item.label}`, description: row.item.description, row };
    case 'open':
      return { label: `$(chevron-right) ${row.item.label}`, description: row.item.description, row };
    case 'more':
      return { label: `$(ellipsis) ${vscode.l10n.t('Load more…')}`, description: row.node.remaining !== undefined ? vscode.l10n.t('{0} more', row.node.remaining) : undefined, alwaysShow: true, row };
    case 'retry':
      return { label: `$(error) ${row.item.label}`, description: vscode.l10n.t('Retry'), detail: row.node.detail, alwaysShow: true, row };
    case 'note':
      return { label: `$(${icon}) ${row.item.label}`, alwaysShow: true, row };
  }
}

/** The quick pick's items for a level: a section of nodes to run on, a section of places to open, then the rest. */
function itemsOf(op: PaletteOp, rows: Row[]): RowItem[] {
  const out: RowItem[] = [];
  const run = rows.filter((r) => r.kind === 'run');
  const open = rows.filter((r) => r.kind === 'open');
  const rest = rows.filter((r) => r.kind !== 'run' && r.kind !== 'open');
  if (run.length) out.push({ label: vscode.l10n.t('{0} on', opTitle(op).replace(/…$/, '')), kind: vscode.QuickPickItemKind.Separator }, ...run.map(itemOf));
  if (open.length) out.push({ label: vscode.l10n.t('Look inside'), kind: vscode.QuickPickItemKind.Separator }, ...open.map(itemOf));
  out.push(...rest.map(itemOf));
  if (!run.length && !open.length && !rest.some((r) => r.kind !== 'note')) out.push({ label: `$(info) ${vscode.l10n.t('Nothing here offers {0}', opTitle(op))}`, alwaysShow: true });
  return out;
}

/**
 * Asks for the node an admin command runs on, level by level, with Back; rejects with UserCancelled when the quick
 * pick is dismissed. `listed` hears of every container the walk listed.
 */
export function pickNode(ctx: CommandContext, op: PaletteOp, listed?: (node: TreeNode) => void): Promise<TreeNode> {
  const walker = new PlaceWalker(ctx.tree, op, { loadMore: (n) => ctx.tree.loadMore(n), retry: (n) => ctx.tree.retry(n) }, listed);
  const qp = vscode.window.createQuickPick<RowItem>();
  qp.matchOnDescription = true;
  let settled = false;
  let loading = 0;
  let rowsShown: RowItem[] = [];
  /** At a place searched on the server, a row that filters it by the typed text. */
  const withSearch = () => {
    const place = walker.place;
    const text = qp.value.trim();
    const search: RowItem[] =
      text && place && searchesOnServer(place, ctx.tree.providerFor(place)?.capabilities) && ctx.tree.getFilter(place) !== text
        ? [{ label: `$(search) ${vscode.l10n.t('Search “{0}” on the server', text)}`, alwaysShow: true, search: text }]
        : [];
    qp.items = [...rowsShown, ...search];
  };
  qp.onDidChangeValue(() => {
    if (qp.enabled) withSearch();
  });

  /** Lists the current place; `stayAt` (after Load more… or Retry) keeps the typed text and the row position. */
  const show = async (autoOpen: boolean, stayAt?: number): Promise<void> => {
    const mine = ++loading;
    qp.busy = true;
    qp.enabled = false;
    qp.title = [vscode.l10n.t('Registry Explorer: {0}', opTitle(op)), ...walker.path].join(' › ');
    qp.placeholder = walker.depth === 0 ? vscode.l10n.t('Registry') : vscode.l10n.t('Pick a place to look inside, or what to run {0} on', opTitle(op));
    qp.buttons = walker.depth > 0 ? [vscode.QuickInputButtons.Back] : [];
    if (stayAt === undefined) qp.items = rowsShown = [];
    try {
      const rows = await walker.rows();
      if (mine !== loading || settled) return;
      // One registry: nothing to ask at the first level.
      if (autoOpen && walker.depth === 0 && rows.length === 1 && rows[0]!.kind === 'open') {
        await walker.pick(rows[0]!);
        return show(false);
      }
      if (stayAt === undefined) qp.value = '';
      rowsShown = itemsOf(op, rows);
      withSearch();
      // After Load more…, the first of the new rows is where the old Load more… row was.
      const next = stayAt !== undefined ? qp.items.slice(stayAt).find((i) => i.row) : undefined;
      if (next) qp.activeItems = [next];
    } catch (e) {
      if (mine !== loading) return;
      qp.items = rowsShown = [{ label: `$(error) ${e instanceof Error ? e.message : String(e)}`, alwaysShow: true }];
    } finally {
      if (mine === loading) {
        qp.busy = false;
        qp.enabled = true;
      }
    }
  };

  return new Promise<TreeNode>((resolve, reject) => {
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      qp.dispose();
    };
    qp.onDidAccept(async () => {
      const selected = qp.selectedItems[0];
      const place = walker.place;
      if (selected?.search && place?.type === 'namespace' && qp.enabled) {
        // The tree's own filter: the namespace is listed again from the server with the name filter.
        ctx.tree.setFilter(place, selected.search);
        return void show(false, 0);
      }
      const row = selected?.row;
      if (!row || !qp.enabled) return;
      const at = qp.items.indexOf(selected);
      qp.busy = true;
      try {
        const step = await walker.pick(row);
        if ('done' in step) finish(() => resolve(step.done));
        else if ('reload' in step) await show(false, row.kind === 'more' || row.kind === 'retry' ? at : undefined);
        else qp.busy = false;
      } catch (e) {
        finish(() => reject(e instanceof Error ? e : new Error(String(e))));
      }
    });
    qp.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back && walker.back()) void show(false);
    });
    qp.onDidHide(() => finish(() => reject(new UserCancelled())));
    qp.show();
    void show(true);
  });
}

/** A command that runs on a tree node, asking for the node from the palette when it was called without one. */
export function orFromPalette<A extends unknown[], R>(op: PaletteOp, handler: (ctx: CommandContext, node?: unknown, ...rest: A) => Promise<R>) {
  return async (ctx: CommandContext, node?: unknown, ...rest: A): Promise<R> => {
    if (node !== undefined && node !== null) return handler(ctx, node, ...rest);
    return handler(ctx, await pickNode(ctx, op, ctx.listed), ...rest);
  };
}
