import * as vscode from 'vscode';
import type { RegistryState } from '../config/registryManager';
import type { RegistryProvider, Tag } from '../registry/provider';
import type { TagNode, TreeNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { required } from './runCommand';

/** The registry a node belongs to, or the one the user picks when the command came from the palette. */
export async function resolveRegistry(ctx: CommandContext, arg: unknown, placeHolder: string): Promise<RegistryState> {
  const name = registryNameFromArg(arg);
  if (name) {
    const s = ctx.manager.get(name);
    if (!s) throw new Error(`No registry named "${name}" is configured`);
    return s;
  }
  const all = ctx.manager.registries;
  if (all.length === 0) throw new Error('No registry is configured. Run "Registry Explorer: Add Registry" first.');
  if (all.length === 1) return all[0]!;
  const pick = await vscode.window.showQuickPick(
    all.map((s) => ({ label: s.entry.name, description: vscode.l10n.t('{0} · {1}', s.entry.kind, s.entry.url), state: s })),
    { placeHolder },
  );
  return required(pick).state;
}

export function registryNameFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const n = arg as Partial<TreeNode> & { registryName?: unknown; owner?: { registryName?: unknown } };
    if (typeof n.registryName === 'string') return n.registryName;
    if (n.owner && typeof n.owner.registryName === 'string') return n.owner.registryName;
  }
  return undefined;
}

export function usableProvider(state: RegistryState): RegistryProvider {
  if (!state.provider) throw state.unavailable ?? new Error(`${state.entry.name} is not available`);
  return state.provider;
}

/** A tag chosen from the palette: registry → repository → tag, one listing request per step. */
export async function pickTag(ctx: CommandContext): Promise<{ state: RegistryState; repository: string; tag: Tag }> {
  const state = await resolveRegistry(ctx, undefined, 'Registry');
  const provider = usableProvider(state);
  const repos = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing repositories…') }, () =>
    provider.listRepositories(undefined, undefined, { pageSize: 1000 }),
  );
  const repoPick = await vscode.window.showQuickPick(
    repos.items.map((r) => r.name),
    { placeHolder: repos.next ? 'Repository (first 1,000 shown; type to filter)' : 'Repository' },
  );
  const repository = required(repoPick);
  const tags = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing tags…') }, () =>
    provider.listTags(repository, undefined, { pageSize: 1000 }),
  );
  const tagPick = await vscode.window.showQuickPick(
    tags.items.map((t) => ({ label: t.name, tag: t })),
    { placeHolder: vscode.l10n.t('Tag of {0}', repository) },
  );
  return { state, repository, tag: required(tagPick).tag };
}

export function isTagNode(arg: unknown): arg is TagNode {
  return !!arg && typeof arg === 'object' && (arg as TreeNode).type === 'tag';
}
