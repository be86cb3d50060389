import * as vscode from 'vscode';
import type { AdminModel } from '../registry/admin';
import { UnsupportedError } from '../registry/errors';
import type { RegistryProvider } from '../registry/provider';
import type { AdminNode, NamespaceNode, RepositoryNode, TagNode, TreeNode } from '../tree/nodes';
import { actionsFor, type AnyRef, type OperationKind } from '../admin/operation';
import { runOperation as runPipeline, type PipelineResult } from '../admin/pipeline';
import { askSingleField, commandPort, modelOf, providerNamed, resolveOperation, showOutcome, singleField, summarize, type Operation, type OutcomeSummary } from './adminOps';
import type { CommandContext } from './context';
import { required } from './runCommand';

/**
 * Create…, Edit…, Delete… and Run Action…: four commands that run any provider's admin model on the node they are
 * invoked on (an admin list or item, or a namespace / repository / tag with core-node operations). Forms of more
 * than one field open in the form panel; single-field ones are asked in an input box.
 */

type Target = AdminNode | NamespaceNode | RepositoryNode | TagNode;

interface Resolved {
  node: Target;
  ref: AnyRef;
  /** The item as the tree listed it (a core node's item is its reference). */
  item: unknown;
  provider: RegistryProvider;
  model: AdminModel;
}

function resolve(ctx: CommandContext, arg: unknown): Resolved {
  const n = arg as Partial<TreeNode> | undefined;
  if (!n || typeof n !== 'object' || !('ref' in n) || !n.ref || (n.type !== 'admin' && n.type !== 'namespace' && n.type !== 'repository' && n.type !== 'tag')) {
    throw new UnsupportedError(vscode.l10n.t('Run this command on an item in the Registries view'));
  }
  const node = n as Target;
  const provider = providerNamed(ctx.manager, node.registryName);
  const ref = node.ref!;
  return { node, ref, item: node.type === 'admin' ? node.item : ref, provider, model: modelOf(provider, node.registryName) };
}

/** What the command returns: a summary of the outcome, false when cancelled at a confirmation, or undefined. */
type Result = OutcomeSummary | false | undefined;

/** Runs an operation through the admin pipeline (verify, confirmations, progress, outcome) with raw form values. */
async function runOperation(ctx: CommandContext, r: Resolved, op: Operation, raw: Record<string, unknown> | undefined): Promise<Result> {
  const port = commandPort(adminServices(ctx), r.node.registryName, (refresh) => ctx.tree.refreshAfter(r.node, op.op, refresh));
  return commandResult(await runPipeline(op, raw, port));
}

/** A pipeline result as the command's: false when declined, a thrown error (shown by the command wrapper) when it failed. */
export function commandResult(result: PipelineResult): Result {
  switch (result.status) {
    case 'done':
      return summarize(result.outcome);
    case 'declined':
      return false;
    case 'invalid':
      throw new UnsupportedError(result.message);
    case 'refused':
      throw new UnsupportedError(result.verdict.summary);
    case 'failed':
      throw result.error;
  }
}

export function adminServices(ctx: CommandContext): Parameters<typeof showOutcome>[0] {
  return {
    manager: ctx.manager,
    tree: ctx.tree,
    logger: ctx.logger,
    openPanel: (registry, o) => {
      if (o.panel === 'scan') ctx.webviews.showScan({ registryName: registry, repository: o.repository, tag: o.reference });
      else if (o.panel === 'attachment') ctx.webviews.showAttachment({ registryName: registry, repository: o.repository, tag: o.reference, subject: o.subject, digest: o.digest, kind: o.attachmentKind });
      else ctx.webviews.showTagDetails({ registryName: registry, repository: o.repository, reference: o.reference });
    },
  };
}

/**
 * Runs an operation with a form: `values` given (tests, other extensions) runs at once after parsing; a single-field
 * form is asked in an input box; anything larger opens the form panel, which saves on its own.
 */
async function withForm(ctx: CommandContext, r: Resolved, op: Exclude<OperationKind, 'remove'>, values: Record<string, unknown> | undefined, actionId?: string): Promise<Result> {
  // The command has the item itself: confirmations are asked with it.
  const operation = resolveOperation(r.model, op, r.ref, actionId, r.item);
  const form = operation.form;
  if (!form || values) return runOperation(ctx, r, operation, values);
  const single = op !== 'update' && !operation.verify ? singleField(form) : undefined;
  if (single) return runOperation(ctx, r, operation, await askSingleField(form, single, form.title ?? operation.title, r.ref.scope));
  ctx.webviews.showAdminForm({ registry: r.node.registryName, op, ref: r.ref, ...(actionId ? { actionId } : {}) });
  return undefined;
}

/** Create… on an admin list or a core node that can hold new children (a namespace: a new repository). */
export async function createItem(ctx: CommandContext, arg?: unknown, values?: Record<string, unknown>): Promise<Result> {
  const r = resolve(ctx, arg);
  if (r.node.type === 'admin' && r.node.role !== 'list') throw new UnsupportedError(vscode.l10n.t('Run Create… on a list in the Registries view'));
  return withForm(ctx, r, 'create', values);
}

/** Edit… on an item (or a singleton, or a core node) whose type can be updated: opens the form panel. */
export async function editItem(ctx: CommandContext, arg?: unknown, values?: Record<string, unknown>): Promise<Result> {
  const r = resolve(ctx, arg);
  return withForm(ctx, r, 'update', values);
}

/** Delete… on an item or core node: a modal confirmation naming the object, then the delete. */
export async function deleteItem(ctx: CommandContext, arg?: unknown): Promise<Result> {
  const r = resolve(ctx, arg);
  let op: Operation;
  try {
    if (r.node.type === 'admin' && r.node.role !== 'item') throw new UnsupportedError('not an item');
    op = resolveOperation(r.model, 'remove', r.ref, undefined, r.item);
  } catch {
    throw new UnsupportedError(vscode.l10n.t('This item cannot be deleted'));
  }
  return runOperation(ctx, r, op, undefined);
}

/** Run Action…: a quick pick of the actions whose `when` holds for the item (or `actionId`), its input, its confirmation. */
export async function runAction(ctx: CommandContext, arg?: unknown, actionId?: string, input?: Record<string, unknown>): Promise<Result> {
  const r = resolve(ctx, arg);
  const offered = actionsFor(r.model, r.ref, r.item);
  let action = actionId ? offered.find((a) => a.id === actionId) : undefined;
  if (actionId && !action) throw new UnsupportedError(vscode.l10n.t('The action "{0}" is not offered here', actionId));
  if (!action) {
    if (offered.length === 0) throw new UnsupportedError(vscode.l10n.t('No action is offered here'));
    const label = r.node.type === 'admin' ? r.node.view.label : 'key' in r.ref ? r.ref.key : '';
    const pick = await vscode.window.showQuickPick(
      offered.map((a) => ({ label: a.icon ? `$(${a.icon}) ${a.title}` : a.title, action: a })),
      { title: vscode.l10n.t('Run Action on {0}', label) },
    );
    action = required(pick).action;
  }
  return withForm(ctx, r, 'action', input, action.id);
}
