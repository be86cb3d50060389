import * as vscode from 'vscode';
import type { AttachmentNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { isTagNode, pickTag, resolveRegistry } from './pickers';
import { required } from './runCommand';

export async function tagTarget(ctx: CommandContext, arg: unknown): Promise<{ registryName: string; repository: string; tag: string }> {
  if (isTagNode(arg)) return { registryName: arg.registryName, repository: arg.repository, tag: arg.tag.name };
  const { state, repository, tag } = await pickTag(ctx);
  return { registryName: state.entry.name, repository, tag: tag.name };
}

export async function showTagDetails(ctx: CommandContext, arg?: unknown): Promise<void> {
  const t = await tagTarget(ctx, arg);
  ctx.webviews.showTagDetails({ registryName: t.registryName, repository: t.repository, reference: t.tag });
}

export async function showScan(ctx: CommandContext, arg?: unknown): Promise<void> {
  const t = await tagTarget(ctx, arg);
  const provider = ctx.manager.get(t.registryName)?.provider;
  // The registry's own scanner, or reports attached to the image (any registry that lists attachments).
  if (!provider?.capabilities.scanSummary && !provider?.listAttachments) throw new Error(`${t.registryName} does not report vulnerability scans`);
  ctx.webviews.showScan(t);
}

/** Opens a saved scan report (our JSON export, or a registry's own report format) in the scan panel. */
export async function openScanFile(ctx: CommandContext, arg?: unknown): Promise<void> {
  let file: string;
  if (typeof arg === 'string') file = arg;
  else if (arg instanceof vscode.Uri) file = arg.fsPath;
  else {
    const picked = await vscode.window.showOpenDialog({ title: vscode.l10n.t('Open scan report'), canSelectMany: false, filters: { 'Scan reports': ['json'] } });
    file = required(picked?.[0]).fsPath;
  }
  ctx.webviews.showScan({ file });
}

/** Opens an attachment row of the tree (Attached under a tag) in the attachment panel. */
export function showAttachment(ctx: CommandContext, arg?: unknown): Promise<void> {
  if (!isAttachmentNode(arg)) throw new Error(vscode.l10n.t('Choose a signature, SBOM or attestation under a tag\'s Attached node'));
  const a = arg.attachment;
  ctx.webviews.showAttachment(
    { registryName: arg.registryName, repository: arg.tagNode.repository, tag: arg.tagNode.tag.name, subject: arg.subject, digest: a.digest, layer: a.layer?.index, kind: a.kind, platform: arg.platform },
    a.digest ? a : undefined,
  );
  return Promise.resolve();
}

function isAttachmentNode(v: unknown): v is AttachmentNode {
  return !!v && typeof v === 'object' && (v as { type?: unknown }).type === 'attachment';
}

export async function editRegistry(ctx: CommandContext, arg?: unknown): Promise<void> {
  const state = await resolveRegistry(ctx, arg, 'Registry to edit');
  ctx.webviews.editRegistry(state.entry.name);
}
