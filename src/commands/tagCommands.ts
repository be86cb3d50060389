import * as vscode from 'vscode';
import type { RegistryProvider } from '../registry/provider';
import { digestReference, tagReference, type TagNode } from '../tree/nodes';
import type { CommandContext } from './context';
import { isTagNode, pickTag, usableProvider } from './pickers';
import { required } from './runCommand';

export interface TagTarget {
  provider: RegistryProvider;
  registryName: string;
  repository: string;
  tag: string;
  pullHost: string;
  node?: TagNode;
  digest?: string;
}

export async function resolveTarget(ctx: CommandContext, arg: unknown): Promise<TagTarget> {
  if (isTagNode(arg)) {
    const state = ctx.manager.get(arg.registryName);
    if (!state) throw new Error(`No registry named "${arg.registryName}" is configured`);
    const provider = usableProvider(state);
    return { provider, registryName: arg.registryName, repository: arg.repository, tag: arg.tag.name, pullHost: arg.pullHost, node: arg, digest: arg.details?.digest ?? arg.tag.digest };
  }
  const { state, repository, tag } = await pickTag(ctx);
  const provider = usableProvider(state);
  return { provider, registryName: state.entry.name, repository, tag: tag.name, pullHost: provider.pullHost(), digest: tag.digest };
}

async function digestOf(t: TagTarget): Promise<string> {
  if (t.digest) return t.digest;
  if (!t.provider.getTagDetails) throw new Error('This registry cannot resolve tag digests');
  const provider = t.provider;
  const d = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Resolving {0}:{1}…', t.repository, t.tag) }, () =>
    provider.getTagDetails!(t.repository, t.tag),
  );
  return d.digest;
}

/** Copies `host/repo:tag` or `host/repo@digest`, the user's choice. */
export async function copyPullReference(ctx: CommandContext, arg?: unknown): Promise<string | undefined> {
  const t = await resolveTarget(ctx, arg);
  const byTag = `${t.pullHost}/${t.repository}:${t.tag}`;
  let byDigest: string | undefined;
  try {
    byDigest = `${t.pullHost}/${t.repository}@${await digestOf(t)}`;
  } catch (e) {
    ctx.logger.warn(`Could not resolve the digest of ${byTag}: ${(e as Error).message}`);
  }
  const pick = byDigest
    ? await vscode.window.showQuickPick(
        [
          { label: byTag, description: vscode.l10n.t('by tag') },
          { label: byDigest, description: vscode.l10n.t('by digest (immutable)') },
        ],
        { title: vscode.l10n.t('Copy pull reference') },
      )
    : { label: byTag };
  const ref = required(pick).label;
  await vscode.env.clipboard.writeText(ref);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', ref), 3000);
  return ref;
}

export async function copyDigestReference(ctx: CommandContext, arg?: unknown): Promise<string> {
  const t = await resolveTarget(ctx, arg);
  const ref = t.node ? digestReference(t.node, await digestOf(t)) : `${t.pullHost}/${t.repository}@${await digestOf(t)}`;
  await vscode.env.clipboard.writeText(ref);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', ref), 3000);
  return ref;
}

/**
 * Deletes a tag. Registries delete manifests by digest, which removes every tag pointing at it, so the
 * confirmation names all of them.
 */
export async function deleteTag(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const t = await resolveTarget(ctx, arg);
  const provider = t.provider;
  if (!provider.capabilities.deleteTag || !provider.planDeleteTag || !provider.deleteTag) throw new Error(`${t.registryName} does not support deleting tags`);
  const plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking which tags share {0}:{1}…', t.repository, t.tag), cancellable: true },
    (_p, token) => {
      const ac = new AbortController();
      token.onCancellationRequested(() => ac.abort());
      return provider.planDeleteTag!(t.repository, t.tag, ac.signal);
    },
  );
  const others = plan.affectedTags.filter((x) => x !== plan.tag);
  const message = others.length
    ? `Delete ${plan.repository}:${plan.tag} and ${others.length} other tag${others.length === 1 ? '' : 's'} sharing its digest?`
    : `Delete tag ${plan.repository}:${plan.tag}?`;
  const detail = plan.byDigest
    ? [
        `The registry deletes by digest ${plan.digest}.`,
        others.length ? `These tags are deleted too: ${others.join(', ')}.` : 'No other tag points at this digest.',
        plan.undo ?? 'This cannot be undone.',
      ].join('\n')
    : [`Only the tag is removed${plan.digest ? `; the image ${plan.digest} stays under any other tag that points at it` : ''}.`, plan.undo ?? 'This cannot be undone.'].join('\n');
  const button = others.length ? `Delete ${plan.affectedTags.length} Tags` : 'Delete Tag';
  const ok = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
  if (ok !== button) return false;
  const what = plan.byDigest ? `${plan.repository}@${plan.digest}` : `${plan.repository}:${plan.tag}`;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting ${plan.byDigest ? `${plan.repository}@${plan.digest.slice(0, 19)}` : what}…` }, () => provider.deleteTag!(plan));
  ctx.logger.info(`Deleted ${what} (tags: ${plan.affectedTags.join(', ')}) from ${t.registryName}`);
  // The listing that showed the tag reloads (a tag with children of its own is a container, but it is gone).
  ctx.tree.refresh(t.node ? ctx.tree.ownerOf(t.node) : undefined);
  void vscode.window.showInformationMessage(`Deleted ${plan.affectedTags.map((x) => `${plan.repository}:${x}`).join(', ')}.`);
  return true;
}

export { tagReference };
