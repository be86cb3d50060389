import type { RegistryManager } from '../config/registryManager';
import { NotFoundError, UnsupportedError } from '../registry/errors';
import type { PanelSpec } from './panelHost';
import type { RestoreState } from './protocol';
import type { ImageDetails } from '../registry/provider';

/** Content behind a digest never changes, so details opened by digest are fetched once per window. */
const byDigest = new Map<string, ImageDetails>();
const MAX_CACHED = 50;

function remember(key: string, d: ImageDetails): void {
  byDigest.delete(key);
  byDigest.set(key, d);
  if (byDigest.size > MAX_CACHED) byDigest.delete(byDigest.keys().next().value!);
}

export interface TagDetailsTarget {
  registryName: string;
  repository: string;
  /** Tag or digest. */
  reference: string;
}

export function parseTagDetailsRestore(s: RestoreState | undefined): TagDetailsTarget | undefined {
  if (s && typeof s.registryName === 'string' && typeof s.repository === 'string' && typeof s.reference === 'string') {
    return { registryName: s.registryName, repository: s.repository, reference: s.reference };
  }
  return undefined;
}

/** Tag details: manifest(s), layers, config and history of one tag, per platform. */
export function tagDetailsSpec(manager: RegistryManager, t: TagDetailsTarget): PanelSpec {
  const isDigest = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(t.reference) && t.reference.includes(':');
  /** What the page shows now, and the platforms of a large index the user asked to read (by digest). */
  let shown: ImageDetails | undefined;
  const requested = new Set<string>();
  return {
    kind: 'tagDetails',
    key: `${t.registryName}/${t.repository}${isDigest ? '@' : ':'}${t.reference}`,
    title: `${t.repository}${isDigest ? '@' + t.reference.slice(0, 19) : ':' + t.reference}`,
    restore: { ...t },
    cacheContent: true,
    async load(signal) {
      const state = manager.get(t.registryName);
      if (!state) throw new NotFoundError(`No registry named "${t.registryName}" is configured any more`);
      const provider = state.provider;
      if (!provider) throw state.unavailable ?? new UnsupportedError(`${t.registryName} is not available`);
      if (!provider.getImageDetails) throw new UnsupportedError(`${t.registryName} cannot show image details`);
      const cacheKey = (digest: string) => `${t.registryName}/${t.repository}@${digest}`;
      const fetched = (isDigest ? byDigest.get(cacheKey(t.reference)) : undefined) ?? (await provider.getImageDetails(t.repository, t.reference, signal));
      remember(cacheKey(fetched.digest), { ...fetched, reference: fetched.digest });
      // Platforms of a large index are read on demand, one request set per platform asked for (each counts against
      // pull quotas); each comes from the cache after the first time.
      const images = await Promise.all(
        fetched.images.map(async (img) => {
          if (!img.detailsOmitted || !requested.has(img.digest)) return img;
          const one = byDigest.get(cacheKey(img.digest)) ?? (await provider.getImageDetails!(t.repository, img.digest, signal));
          remember(cacheKey(img.digest), one);
          const read = one.images[0];
          return read ? { ...read, platform: img.platform ?? read.platform, digest: img.digest } : img;
        }),
      );
      const details = (shown = { ...fetched, images });
      return {
        type: 'init',
        panel: 'tagDetails',
        data: { registryName: t.registryName, pullHost: provider.pullHost(), tag: isDigest ? undefined : t.reference, details },
        restore: { ...t },
      };
    },
    async onMessage(msg, _post, reload) {
      if (msg.type !== 'loadPlatform') return;
      // Only a platform the page was shown as not read: the page is untrusted and the digest goes into a request.
      if (!shown?.images.some((i) => i.detailsOmitted && i.digest === msg.digest)) throw new Error(`${msg.digest} is not an unread platform of this image`);
      requested.add(msg.digest);
      await reload();
    },
  };
}
