import * as vscode from 'vscode';
import { toRegistryError } from '../registry/errors';
import { descriptorOf } from '../registry/kinds';
import { isRepositoryName } from '../registry/names';
import type { RepositoryNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { resolveRegistry, usableProvider } from './pickers';
import { required } from './runCommand';
import { repositoryInput } from '../config/repositoriesSetting';

/**
 * Add Repository…: for registries that do not list their repositories (or to show one their list leaves out). The
 * name goes into the entry's `repositories` setting, where the entry is defined; the registry is asked for its tags
 * first, and a repository it does not know (or does not show to these credentials) is added only when the user says so.
 */
export async function addRepository(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  const state = await resolveRegistry(ctx, arg, vscode.l10n.t('Registry to add a repository to'));
  if (!descriptorOf(state.entry.kind)?.repositories) throw new Error(vscode.l10n.t('{0} lists its repositories itself; it takes no list of repositories', state.entry.name));
  const provider = usableProvider(state);
  const host = provider.pullHost();
  const have = new Set(state.entry.repositories ?? []);
  const typed = required(
    await vscode.window.showInputBox({
      title: vscode.l10n.t('Add Repository to {0}', state.entry.name),
      prompt: vscode.l10n.t('Repository name as in a pull reference after the host, e.g. team/app'),
      placeHolder: 'team/app',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const name = repositoryInput(v, host);
        if (!isRepositoryName(name)) return vscode.l10n.t('Not a repository name: lower-case letters, digits and separators (. _ -), parts separated by /');
        return have.has(name) ? vscode.l10n.t('{0} is in the list already', name) : undefined;
      },
    }),
  );
  const name = repositoryInput(typed, host);
  if (!isRepositoryName(name) || have.has(name)) return undefined;
  let problem: string | undefined;
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking {0}…', name) }, () => provider.listTags(name, undefined, { pageSize: 1 }));
  } catch (e) {
    problem = toRegistryError(e).message;
  }
  if (problem) {
    const add = vscode.l10n.t('Add Anyway');
    const pick = await vscode.window.showWarningMessage(vscode.l10n.t('{0} could not be read on {1}. Add it anyway?', name, state.entry.name), { modal: true, detail: problem }, add);
    if (pick !== add) return undefined;
  }
  await ctx.manager.editRepositories(state.entry.name, (current) => (current.includes(name) ? [...current] : [...current, name]));
  ctx.logger.info(`${state.entry.name}: added ${name} to the repositories shown`);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Added {0} to {1}', name, state.entry.name), 3000);
  return name;
}

/** Remove Repository from the List: takes a configured repository off the entry's `repositories` (nothing is deleted on the registry). */
export async function removeRepositoryFromList(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const node = arg as RepositoryNode | undefined;
  if (node?.type !== 'repository') throw new Error(vscode.l10n.t('Run this on a repository in the Registries view'));
  const name = node.repository.name;
  const state = ctx.manager.get(node.registryName);
  if (!state?.entry.repositories?.includes(name)) throw new Error(vscode.l10n.t('{0} is not in the repositories of {1}', name, node.registryName));
  await ctx.manager.editRepositories(node.registryName, (current) => current.filter((r) => r !== name));
  ctx.logger.info(`${node.registryName}: removed ${name} from the repositories shown`);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Removed {0} from the list of {1}; the repository itself stays on the registry', name, node.registryName), 4000);
  return true;
}
