import type { HistoryEntry, ImageDetails } from '../provider';
import type { BuildStep } from './artifactsApi';

/** Artifact orders the tree offers (generic names), as Harbor's `sort` spells them; the first is the default. */
export const TAG_SORT: Readonly<Record<string, string>> = {
  '-pushed': '-push_time',
  pushed: 'push_time',
  '-pulled': '-pull_time',
  pulled: 'pull_time',
};

/**
 * A `q` value matching artifacts that carry a tag containing `filter` (`tags=~v`). Harbor splits `q` at commas and
 * reads `=`, `~`, quotes, braces, brackets and parentheses as syntax, so those are left out rather than sent.
 */
export function fuzzyTag(filter: string): string | undefined {
  const v = filter.replace(/[,=~"'{}()[\]\s\\*%]/g, '').slice(0, 128);
  return v ? `tags=~${v}` : undefined;
}

/** Most build steps shown (an image has tens; a hostile server could send millions). */
const MAX_STEPS = 1_000;

function toHistory(steps: BuildStep[]): HistoryEntry[] {
  return steps.slice(0, MAX_STEPS).map((h) => ({
    ...(h.created ? { created: h.created } : {}),
    ...(h.created_by ? { createdBy: h.created_by } : {}),
    ...(h.comment ? { comment: h.comment } : {}),
    ...(h.empty_layer ? { emptyLayer: true } : {}),
  }));
}

/**
 * Details whose images have a config without history get Harbor's `build_history` of that image (by its digest);
 * Harbor answering 404 (not an image, an older Harbor) or failing leaves the details as they were.
 */
export async function withBuildHistory(details: ImageDetails, read: (digest: string) => Promise<BuildStep[] | undefined>): Promise<ImageDetails> {
  const missing = details.images.filter((i) => i.config && !i.config.history.length && !i.detailsOmitted);
  if (!missing.length) return details;
  const found = await Promise.all(missing.slice(0, 16).map((i) => read(i.digest).catch(() => undefined)));
  const by = new Map(missing.slice(0, 16).map((i, n) => [i.digest, found[n]]));
  return {
    ...details,
    images: details.images.map((i) => {
      const steps = by.get(i.digest);
      return steps?.length && i.config ? { ...i, config: { ...i.config, history: toHistory(steps) } } : i;
    }),
  };
}
