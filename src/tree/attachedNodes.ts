/**
 * The Attached node under a tag: what refers to the tag's digest (signatures, SBOMs, attestations, other artifacts),
 * one row each, grouped by kind; for an index, one Attached node per platform below it. Rows open the attachment
 * panel. The badge on a tag row comes from one referrers call (cosign's tags are found in the loaded tag list).
 */
import { attachmentBadge, type AttachmentKind } from '../registry/attachments';
import { toRegistryError } from '../registry/errors';
import type { RegistryProvider } from '../registry/provider';
import type { AttachedNode, AttachmentNode, TagNode, TreeNode } from './nodes';

type T = (message: string, ...args: (string | number | boolean)[]) => string;

const ORDER: AttachmentKind[] = ['signature', 'sbom', 'attestation', 'other'];

/** The Attached node of a tag (the tag's own digest; its details are read first when the row has none yet). */
export async function attachedNode(tag: TagNode, provider: RegistryProvider | undefined): Promise<AttachedNode | undefined> {
  if (!tag.details && !tag.tag.digest && provider?.getTagDetails) tag.details = await provider.getTagDetails(tag.repository, tag.tag.name);
  const digest = tag.details?.digest ?? tag.tag.digest;
  if (!digest) return undefined;
  return { type: 'attached', id: `${tag.id}/attached`, parent: tag, registryName: tag.registryName, tagNode: tag, digest };
}

/** Lists an Attached node: the full discovery (cosign tags read), then per-platform nodes for an index. */
export async function attachedChildren(node: AttachedNode, provider: RegistryProvider, t: T): Promise<TreeNode[]> {
  if (!provider.listAttachments) return [];
  const tag = node.tagNode;
  const list = await provider.listAttachments(tag.repository, node.digest);
  const items = [...list.items].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.label.localeCompare(b.label));
  const out: TreeNode[] = items.map(
    (attachment, i): AttachmentNode => ({
      type: 'attachment',
      id: `${node.id}/${attachment.digest}#${attachment.layer?.index ?? i}`,
      parent: node,
      registryName: node.registryName,
      tagNode: tag,
      subject: node.digest,
      platform: node.platform,
      attachment,
    }),
  );
  // Per platform for an index: the platforms' own attachments, each listed when expanded.
  if (!node.platform && tag.details?.isIndex) {
    for (const p of tag.details.platforms) {
      if (!p.digest) continue;
      const platform = [p.os, p.architecture, p.variant].filter(Boolean).join('/');
      out.push({ type: 'attached', id: `${node.id}/${p.digest}`, parent: node, registryName: node.registryName, tagNode: tag, digest: p.digest, platform });
    }
  }
  const note = (text: string, i: number): TreeNode => ({ type: 'message', id: `${node.id}#note${i}`, parent: node, registryName: node.registryName, severity: 'info', text, action: 'none' });
  const more = list.more || list.moreUnknown ? [note(list.moreUnknown ? t('and {0}+ more (the registry has more pages)', list.more) : t('and {0} more', list.more), 0)] : [];
  const notes = list.notes.slice(0, 5).map((n, i) => note(n, i + 1));
  if (!out.length && !more.length) return [note(t('Nothing attached'), 0), ...notes];
  return [...out, ...more, ...notes];
}

/**
 * The badge listing of a tag row: one referrers call (one page), cosign's tags looked up in `knownTags`. Failures
 * leave the row without a badge (logged), never an error row.
 */
export async function describeAttachments(tag: TagNode, provider: RegistryProvider, knownTags: ReadonlySet<string>, warn: (m: string) => void): Promise<void> {
  const digest = tag.details?.digest ?? tag.tag.digest;
  if (!digest || !provider.listAttachments || tag.attachments) return;
  try {
    tag.attachments = await provider.listAttachments(tag.repository, digest, { knownTags, maxPages: 1 });
  } catch (e) {
    const err = toRegistryError(e);
    // A connection that cannot list attachments (no registry behind it) says so once, on the Attached node.
    if (err.kind !== 'unsupported') warn(`Attachments of ${tag.repository}:${tag.tag.name}: ${err.message}`);
  }
}

/** The badge text for a tag row ('' when nothing is attached or not known yet). */
export function tagBadge(tag: TagNode): string {
  return tag.attachments ? attachmentBadge(tag.attachments) : '';
}
