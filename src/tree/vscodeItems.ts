import * as vscode from 'vscode';
import type { RegistryError } from '../registry/errors';
import type { ContainerNode } from './nodes';
import type { TreeItemData } from './treeItems';

/** The text of the info node of an empty container. */
export function emptyText(node: ContainerNode): string {
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

/** A tooltip as VS Code takes it: Markdown (never trusted, no HTML, no theme icons) or plain text. */
export function tooltipOf(d: TreeItemData): string | vscode.MarkdownString | undefined {
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
