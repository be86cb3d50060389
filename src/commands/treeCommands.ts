import * as vscode from 'vscode';
import { SECTION } from '../config/registryManager';
import { UnsupportedError } from '../registry/errors';
import { BY_TAG_SETTING } from '../tree/childLists';
import { isContainer, type LoadMoreNode, type MessageNode, type NamespaceNode, type RepositoryNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { required } from './runCommand';

export function refreshAll(ctx: CommandContext): void {
  ctx.tree.refresh();
  void ctx.health.checkAll();
}

export function refreshNode(ctx: CommandContext, node?: TreeNode): void {
  ctx.tree.refresh(node);
}

export async function loadMore(ctx: CommandContext, node?: LoadMoreNode): Promise<void> {
  if (node?.type !== 'loadMore') return;
  await ctx.tree.loadMore(node);
}

export async function retry(ctx: CommandContext, node?: MessageNode): Promise<void> {
  if (node?.type !== 'message') return ctx.tree.refresh();
  await ctx.tree.retry(node);
}

/** Filter the children of one tree level by substring; an empty value clears it. */
export async function filter(ctx: CommandContext, node?: TreeNode): Promise<void> {
  if (!node || !isContainer(node)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Use Filter on a registry, namespace or repository in the Registries view.'));
    return;
  }
  const level = node.type === 'repository' ? 'tags' : node.type === 'namespace' ? 'repositories' : 'entries';
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Filter {0} of {1}', level, node.type === 'repository' ? node.repository.name : node.type === 'namespace' ? node.namespace.name : node.registryName),
    prompt: vscode.l10n.t('Show only names containing this text (empty shows all)'),
    value: ctx.tree.getFilter(node) ?? '',
  });
  if (value === undefined) return;
  ctx.tree.setFilter(node, value);
}

export function clearFilter(ctx: CommandContext, node?: TreeNode): void {
  if (node && isContainer(node)) ctx.tree.setFilter(node, undefined);
}

const TAG_ORDER_LABELS: Record<string, string> = {
  '-pushed': 'Newest push first',
  pushed: 'Oldest push first',
  '-pulled': 'Most recently pulled first',
  pulled: 'Least recently pulled first',
  name: 'Name (A–Z)',
  '-name': 'Name (Z–A)',
};

/**
 * On a repository whose registry orders tags itself (capabilities.tagOrderings): lists its tags again in an order the
 * registry offers, or in the tag sort order setting's. Elsewhere: the tag sort order setting.
 */
export async function chooseTagOrder(ctx?: CommandContext, arg?: unknown): Promise<void> {
  const node = arg as Partial<RepositoryNode> | undefined;
  const orderings = ctx && node?.type === 'repository' ? ctx.tree.providerFor(node as RepositoryNode)?.capabilities.tagOrderings : undefined;
  if (ctx && orderings?.length) {
    const repo = node as RepositoryNode;
    const current = ctx.tree.getOrdering(repo);
    const pick = await vscode.window.showQuickPick(
      [
        ...orderings.map((o, i) => ({ label: vscode.l10n.t(TAG_ORDER_LABELS[o] ?? o), description: (i === 0 ? current === undefined : o === current) ? vscode.l10n.t('current') : i === 0 ? vscode.l10n.t('registry default') : undefined, value: i === 0 ? '' : o })),
        { label: vscode.l10n.t('Tag sort order setting'), description: current === BY_TAG_SETTING ? vscode.l10n.t('current') : undefined, detail: vscode.l10n.t('natural (latest, then versions) or newest first, for the tags loaded'), value: BY_TAG_SETTING },
      ],
      { title: vscode.l10n.t('Order of the tags in {0}', repo.repository.name) },
    );
    if (pick) ctx.tree.setOrdering(repo, pick.value || undefined);
    return;
  }
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const current = cfg.get<string>('tags.sortOrder', 'natural');
  const pick = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Natural / semantic version'), description: current === 'natural' ? 'current' : undefined, detail: vscode.l10n.t('latest first, then 1.10 after 1.9'), value: 'natural' },
      { label: vscode.l10n.t('Newest first'), description: current === 'newest' ? 'current' : undefined, detail: vscode.l10n.t('by image creation date where known'), value: 'newest' },
    ],
    { title: vscode.l10n.t('Tag sort order') },
  );
  if (pick && pick.value !== current) await cfg.update('tags.sortOrder', pick.value, vscode.ConfigurationTarget.Global);
}

const ORDER_LABELS: Record<string, string> = {
  name: 'Name (A–Z)',
  '-name': 'Name (Z–A)',
  last_updated: 'Least recently updated',
  '-last_updated': 'Recently updated',
  pull_count: 'Fewest pulls',
  '-pull_count': 'Most pulls',
};

/** Lists a namespace's repositories in another order the registry supports (capabilities.repositoryOrderings). */
export async function sortRepositories(ctx: CommandContext, arg?: unknown, ordering?: string): Promise<void> {
  const node = arg as Partial<NamespaceNode> | undefined;
  if (!node || node.type !== 'namespace' || !node.repositoryOrderings?.length) throw new UnsupportedError(vscode.l10n.t('Run "Sort Repositories" on a namespace in the Registries view'));
  const ns = node as NamespaceNode;
  const orderings = ns.repositoryOrderings!;
  const current = ctx.tree.getOrdering(ns);
  const picked =
    ordering ??
    required(
      await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('Registry default'), value: '', description: current === undefined ? vscode.l10n.t('current') : undefined },
          ...orderings.map((o) => ({ label: ORDER_LABELS[o] ?? o, value: o, description: o === current ? vscode.l10n.t('current') : o })),
        ],
        { title: vscode.l10n.t('Order of the repositories in {0}', ns.namespace.name) },
      ),
    ).value;
  if (picked && !orderings.includes(picked)) throw new UnsupportedError(vscode.l10n.t('The registry cannot order repositories by "{0}"', picked));
  ctx.tree.setOrdering(ns, picked || undefined);
}
