import * as vscode from 'vscode';
import { SECTION } from '../config/registryManager';
import { isContainer, type LoadMoreNode, type MessageNode, type TreeNode } from '../tree/nodes';
import type { CommandContext } from './context';

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
    void vscode.window.showInformationMessage('Use Filter on a registry, namespace or repository in the Registries view.');
    return;
  }
  const level = node.type === 'repository' ? 'tags' : node.type === 'namespace' ? 'repositories' : 'entries';
  const value = await vscode.window.showInputBox({
    title: `Filter ${level} of ${node.type === 'repository' ? node.repository.name : node.type === 'namespace' ? node.namespace.name : node.registryName}`,
    prompt: 'Show only names containing this text (empty shows all)',
    value: ctx.tree.getFilter(node) ?? '',
  });
  if (value === undefined) return;
  ctx.tree.setFilter(node, value);
}

export function clearFilter(ctx: CommandContext, node?: TreeNode): void {
  if (node && isContainer(node)) ctx.tree.setFilter(node, undefined);
}

export async function chooseTagOrder(): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const current = cfg.get<string>('tags.sortOrder', 'natural');
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Natural / semantic version', description: current === 'natural' ? 'current' : undefined, detail: 'latest first, then 1.10 after 1.9', value: 'natural' },
      { label: 'Newest first', description: current === 'newest' ? 'current' : undefined, detail: 'by image creation date where known', value: 'newest' },
    ],
    { title: 'Tag sort order' },
  );
  if (pick && pick.value !== current) await cfg.update('tags.sortOrder', pick.value, vscode.ConfigurationTarget.Global);
}
