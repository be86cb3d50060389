import type { Logger } from '../registry/context';
import { toRegistryError } from '../registry/errors';
import type { RegistryProvider } from '../registry/provider';
import { describeAttachments } from './attachedNodes';
import type { DetailsScheduler } from './detailsScheduler';
import type { TagNode } from './nodes';

/**
 * Schedules the description of a list's tag rows (digest, size, platforms, and the attachment badge) on the tree's
 * details scheduler. `current(t)`: the row is still shown (not replaced by a refresh); `known`: the names of the
 * tags already loaded in that list (cosign's tags are found there, so the badge costs one referrers call per row).
 */
export function describeRows(o: { details: DetailsScheduler<TagNode>; listId: string; tags: TagNode[]; provider: RegistryProvider; known: Set<string>; current: (t: TagNode) => boolean; logger: Logger }): void {
  const { provider, current } = o;
  if (!provider.capabilities.tagDetails || !provider.getTagDetails) return;
  // Listings that already carry digest, size and platforms (some registries' listings) need no extra request.
  const described = (t: TagNode) => !!t.details || !!t.detailsError || !!(t.tag.digest && t.tag.size !== undefined && t.tag.platforms);
  const wanted = o.tags.filter((t) => !described(t) || (t.attachable && !t.attachments));
  o.details.schedule(o.listId, wanted, async (t) => {
    if (!current(t)) return false;
    try {
      if (!described(t)) t.details = await provider.getTagDetails!(t.repository, t.tag.name);
    } catch (e) {
      const err = toRegistryError(e);
      t.detailsError = err.message;
      o.logger.warn(`Details of ${t.repository}:${t.tag.name}: ${err.message}`);
    }
    if (t.attachable && current(t)) await describeAttachments(t, provider, o.known, (m) => o.logger.warn(m));
    return current(t);
  });
}
