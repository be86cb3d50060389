/** Reading manifests (index or image) and small helpers for the Distribution provider's per-digest caches. */
import { BadResponseError } from '../errors';
import * as s from './schemas';

/** Digests whose details are kept. */
const CACHE_LIMIT = 2000;

/** A manifest read by digest: an image index or an image manifest, with the media type it was served as. */
export interface ManifestDoc {
  digest: string;
  mediaType: string;
  index?: s.ImageIndex;
  image?: s.ImageManifest;
}

/** `sha256:0123456789ab`: a digest short enough for messages. */
export function short(digest: string): string {
  const i = digest.indexOf(':');
  return i >= 0 ? digest.slice(0, i + 13) : digest.slice(0, 12);
}

/** An attestation entry of an index (not a platform image). */
export function isAttestation(d: s.Descriptor): boolean {
  return d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || (d.platform?.os === 'unknown' && d.platform.architecture === 'unknown');
}

/** Parses a manifest body into an index or an image manifest; schema 1 and malformed documents are refused. */
export function parseManifest(body: Buffer, contentType: string | undefined, digest: string, what: string): ManifestDoc {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadResponseError(`${what}: the manifest is not JSON`);
  }
  const declared = (json && typeof json === 'object' && typeof (json as { mediaType?: unknown }).mediaType === 'string' ? (json as { mediaType: string }).mediaType : undefined);
  const header = contentType?.split(';')[0].trim();
  let mediaType = declared ?? (header && header !== 'application/json' ? header : undefined);
  if (!mediaType) mediaType = json && typeof json === 'object' && 'manifests' in json ? s.MediaTypes.ociIndex : s.MediaTypes.ociManifest;
  if (mediaType === s.MediaTypes.dockerSchema1 || mediaType === s.MediaTypes.dockerSchema1Signed) {
    throw new BadResponseError(`${what}: Docker schema 1 manifests are not supported`);
  }
  const schema = s.INDEX_TYPES.has(mediaType) ? s.imageIndex : s.imageManifest;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadResponseError(`${what}: ${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message}`);
  }
  return s.INDEX_TYPES.has(mediaType)
    ? { digest, mediaType, index: parsed.data as s.ImageIndex }
    : { digest, mediaType, image: parsed.data as s.ImageManifest };
}

/** The cached promise for `key`, or a new one from `make`; failures are not cached. The map is kept bounded. */
export function cached<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const hit = map.get(key);
  if (hit) return hit;
  const p = make();
  remember(map, key, p);
  p.catch(() => {
    if (map.get(key) === p) map.delete(key);
  });
  return p;
}

export function remember<T>(map: Map<string, Promise<T>>, key: string, p: Promise<T>): void {
  if (map.size >= CACHE_LIMIT) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, p);
}

/** Runs `fn` over `items` with at most `limit` in flight; rejects with the first error. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let i = 0;
  const worker = async (): Promise<void> => {
    while (i < items.length) await fn(items[i++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
