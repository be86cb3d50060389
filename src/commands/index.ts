import * as vscode from 'vscode';
import { showHealthPick } from '../health/statusBar';
import { importDockerConfig, signIn, signOut } from './authCommands';
import type { CommandContext } from './context';
import { createItem, deleteItem, editItem, runAction } from './adminCommands';
import { compareWith } from './compareCommand';
import { goTo } from './goTo';
import { orFromPalette } from './palette';
import { editRegistry, openScanFile, showAttachment, showScan, showTagDetails } from './panelCommands';
import { addRegistry, removeRegistry } from './registryCommands';
import { loginEngine, pullDigest, pullImage, runImage } from './engineCommands';
import { addRepository, removeRepositoryFromList } from './repositoryCommands';
import { wrapCommand } from './runCommand';
import { copyDigestReference, copyPullReference, deleteTag } from './tagCommands';
import { verifySignature } from './verifyCommands';
import { chooseTagOrder, clearFilter, filter, loadMore, refreshAll, refreshNode, retry, sortRepositories } from './treeCommands';

type Handler = (ctx: CommandContext, ...args: never[]) => unknown;

/** Every command of package.json `contributes.commands`, and nothing else; a test checks they agree. */
export const commandTable: Record<string, Handler> = {
  'registryExplorer.registry.add': addRegistry,
  'registryExplorer.registry.remove': removeRegistry,
  'registryExplorer.registry.edit': editRegistry,
  'registryExplorer.signIn': signIn,
  'registryExplorer.signOut': signOut,
  'registryExplorer.importDockerConfig': importDockerConfig,
  'registryExplorer.refresh': refreshAll,
  'registryExplorer.node.refresh': refreshNode,
  'registryExplorer.retry': retry,
  'registryExplorer.loadMore': loadMore,
  'registryExplorer.filter': filter,
  'registryExplorer.filter.clear': clearFilter,
  'registryExplorer.tags.sortOrder': chooseTagOrder as Handler,
  'registryExplorer.tag.copyPullReference': copyPullReference,
  'registryExplorer.tag.copyDigestReference': copyDigestReference,
  'registryExplorer.tag.delete': deleteTag,
  'registryExplorer.tag.showDetails': showTagDetails,
  'registryExplorer.tag.showScan': showScan,
  'registryExplorer.tag.compare': compareWith,
  'registryExplorer.tag.verifySignature': verifySignature,
  'registryExplorer.attachment.show': showAttachment,
  'registryExplorer.scan.openFile': openScanFile,
  'registryExplorer.health.show': (ctx) => showHealthPick(ctx.health),
  'registryExplorer.showLog': (ctx) => ctx.channel.show(true),
  // Without a node (the Command Palette), each asks for one: registry → place → item.
  'registryExplorer.item.create': orFromPalette('create', createItem),
  'registryExplorer.item.edit': orFromPalette('edit', editItem),
  'registryExplorer.item.delete': orFromPalette('delete', deleteItem),
  'registryExplorer.item.runAction': orFromPalette('runAction', runAction),
  'registryExplorer.goTo': goTo,
  'registryExplorer.repositories.sortOrder': sortRepositories,
  'registryExplorer.repository.add': addRepository,
  'registryExplorer.tag.pull': pullImage,
  'registryExplorer.tag.pullDigest': pullDigest,
  'registryExplorer.tag.run': runImage,
  'registryExplorer.engine.login': (ctx, arg?: unknown) => loginEngine(ctx, arg),
  'registryExplorer.repository.removeFromList': removeRepositoryFromList,
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(commandTable).map(([id, handler]) =>
    vscode.commands.registerCommand(id, wrapCommand(id, ctx.logger, (...args: unknown[]) => (handler as (c: CommandContext, ...a: unknown[]) => unknown)(ctx, ...args))),
  );
}
