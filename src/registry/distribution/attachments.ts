/**
 * Discovery of what refers to a manifest (OCI distribution-spec "Listing Referrers", cosign SIGNATURE_SPEC
 * "Tag-based Discovery"), bounded so a registry with thousands of referrers cannot hang the tree:
 * - `GET /v2/<name>/referrers/<digest>` (optionally `?artifactType=`; `OCI-Filters-Applied` says whether the
 *   registry filtered, else the list is filtered here), following `Link: rel="next"` for at most MAX_REFERRER_PAGES
 *   pages and keeping at most MAX_ATTACHMENTS items ("and N more");
 * - when the registry has no referrers API (404, 405, 501, or an answer that is not an image index), the referrers
 *   tag schema: the image index tagged `<alg>-<hex>`;
 * - always cosign's tags `<alg>-<hex>.sig|.att|.sbom` (cosign writes these even on registries with the referrers
 *   API): a HEAD each, and a GET of the manifest only for the tags that exist. Each layer is one item.
 * A referrer that names the subject itself, or one listed twice, is dropped (no loops, no duplicates).
 */
import type { Attachment, AttachmentList, AttachmentListOptions } from '../attachments';
import { requireVerifiableDigest, sha256Digest, verifyDigest } from '../digest';
import { BadResponseError } from '../errors';
import { BODY_LIMITS, type HttpResponse, isOk, statusError } from '../http';
import { classifyCosignLayer, classifyReferrer, SupplyChainTypes, type CosignTagKind } from './attachmentKinds';
import { type DistributionClient, nextLink, repoPath } from './client';
import { parseManifest, short } from './manifests';
import * as s from './schemas';

/** Items listed for one digest; the rest is counted. */
export const MAX_ATTACHMENTS = 200;
/** Referrers pages read for one digest. */
export const MAX_REFERRER_PAGES = 5;
/** Layers of one cosign tag listed as items. */
const MAX_COSIGN_LAYERS = 50;
const COSIGN_TAGS: readonly CosignTagKind[] = ['sig', 'att', 'sbom'];
const CREATED = 'org.opencontainers.image.created';

/** The referrers tag schema's tag for a digest: algorithm (≤ 32 chars) `-` encoded (≤ 64 chars), other characters `-`. */
export function referrersTag(digest: string): string {
  const i = digest.indexOf(':');
  const alg = digest.slice(0, i).slice(0, 32);
  const enc = digest.slice(i + 1).slice(0, 64);
  return `${alg}-${enc}`.replace(/[^\w.-]/g, '-');
}

/** cosign's tag for a digest and kind: `sha256-<hex>.sig`. */
export function cosignTag(digest: string, kind: CosignTagKind): string {
  return `${digest.replace(':', '-')}.${kind}`;
}

const pull = (name: string) => ({ kind: 'repository', name, action: 'pull' }) as const;

/** Collects items, dropping loops and duplicates and counting what is over the cap. */
class Collector {
  readonly items: Attachment[] = [];
  readonly seen = new Set<string>();
  more = 0;
  moreUnknown = false;
  readonly notes: string[] = [];
  constructor(readonly subject: string) {}

  add(a: Attachment): void {
    if (a.digest === this.subject) return;
    const key = a.layer ? `${a.digest}#${a.layer.index}` : a.digest || `tag:${a.tag ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (this.items.length >= MAX_ATTACHMENTS) this.more++;
    else this.items.push(a);
  }
}

function fromDescriptor(d: s.Descriptor, source: Attachment['source'], tag?: string): Attachment {
  const c = classifyReferrer(d.artifactType, d.annotations);
  return {
    ...c,
    artifactType: d.artifactType,
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    annotations: d.annotations,
    created: d.annotations?.[CREATED],
    source,
    tag,
  };
}

/**
 * Lists what refers to `digest` in `repository`. Never throws for a registry without the referrers API or without
 * attachments (an empty list); throws for authentication failures, a refused request or a malformed referrers answer.
 */
export async function listAttachments(client: DistributionClient, repository: string, digest: string, opts: AttachmentListOptions = {}): Promise<AttachmentList> {
  requireVerifiableDigest(digest, `${repository}@${digest.slice(0, 80)}`);
  const out = new Collector(digest);
  const wanted = opts.artifactType;
  const [referrers, cosign] = await Promise.all([readReferrers(client, repository, digest, out, opts), readCosignTags(client, repository, digest, opts)]);
  let discovery: AttachmentList['discovery'] = 'referrers';
  if (!referrers) {
    discovery = 'tag-schema';
    // The tag list already loaded says whether the tag schema's index exists.
    if (!opts.knownTags || opts.knownTags.has(referrersTag(digest))) await readReferrersTag(client, repository, digest, out, opts);
  }
  for (const c of cosign) {
    if (c.note) out.notes.push(c.note);
    for (const a of c.items) if (!wanted || a.artifactType === wanted) out.add(a);
  }
  return { subject: digest, items: out.items, more: out.more, moreUnknown: out.moreUnknown, discovery, notes: out.notes };
}

/** The referrers API; false when the registry has none. */
async function readReferrers(client: DistributionClient, repository: string, digest: string, out: Collector, opts: AttachmentListOptions): Promise<boolean> {
  const base = `${repoPath(repository)}/referrers/${digest}`;
  let url: string | undefined = opts.artifactType ? `${base}?artifactType=${encodeURIComponent(opts.artifactType)}` : base;
  const what = `The referrers of ${repository}@${short(digest)}`;
  for (let page = 0; url; page++) {
    if (page >= (opts.maxPages ?? MAX_REFERRER_PAGES)) {
      out.moreUnknown = true;
      return true;
    }
    const res: HttpResponse = await client.send({ method: 'GET', url, access: pull(repository), what, headers: { accept: s.MediaTypes.ociIndex }, signal: opts.signal, maxBodyBytes: BODY_LIMITS.json });
    if (page === 0 && (res.status === 404 || res.status === 405 || res.status === 501)) return false;
    if (!isOk(res)) throw statusError(res, what, 'GET');
    const index = asIndex(res, what);
    if (!index) {
      if (page === 0) return false;
      throw new BadResponseError(`${what}: a further page is not an image index`);
    }
    // Without OCI-Filters-Applied naming artifactType, the registry ignored the filter: it is applied here.
    const filtered = (res.header('oci-filters-applied') ?? '').split(',').some((f) => f.trim() === 'artifactType');
    for (const d of index.manifests) {
      if (opts.artifactType && !filtered && d.artifactType !== opts.artifactType) continue;
      out.add(fromDescriptor(d, 'referrers'));
    }
    const next = nextLink(res.header('link'));
    if (next) {
      const u = client.resolveUrl(next);
      if (u.pathname !== base) throw new BadResponseError(`${what}: the next-page link points elsewhere`);
      url = u.href;
    } else url = undefined;
  }
  return true;
}

/** An image index body, or undefined when the answer is not one (not JSON, not an index). */
function asIndex(res: HttpResponse, what: string): s.ImageIndex | undefined {
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object' || !('manifests' in json)) return undefined;
  const parsed = s.imageIndex.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadResponseError(`${what}: ${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message}`);
  }
  return parsed.data;
}

/** The referrers tag schema (`sha256-<hex>` holding an index); nothing when the tag is absent or not an index. */
async function readReferrersTag(client: DistributionClient, repository: string, digest: string, out: Collector, opts: AttachmentListOptions): Promise<void> {
  const tag = referrersTag(digest);
  const what = `The referrers index ${repository}:${tag}`;
  const res = await client.send({ method: 'GET', url: `${repoPath(repository)}/manifests/${tag}`, access: pull(repository), what, headers: { accept: s.MANIFEST_ACCEPT }, signal: opts.signal, maxBodyBytes: BODY_LIMITS.manifest });
  if (res.status === 404) return;
  if (!isOk(res)) throw statusError(res, what, 'GET');
  let index: s.ImageIndex | undefined;
  try {
    index = asIndex(res, what);
  } catch (e) {
    out.notes.push(e instanceof Error ? e.message : String(e));
    return;
  }
  if (!index) {
    out.notes.push(`${what} is not an image index; it was ignored`);
    return;
  }
  const stated = res.header('docker-content-digest')?.trim();
  if (stated) verifyDigest(res.body, stated, what);
  for (const d of index.manifests) {
    if (opts.artifactType && d.artifactType !== opts.artifactType) continue;
    out.add(fromDescriptor(d, 'referrers-tag', tag));
  }
}

interface CosignResult {
  items: Attachment[];
  note?: string;
}

/** cosign's `.sig`, `.att` and `.sbom` tags, read in parallel; one item per layer (or per tag, from `knownTags`). */
async function readCosignTags(client: DistributionClient, repository: string, digest: string, opts: AttachmentListOptions): Promise<CosignResult[]> {
  if (!digest.startsWith('sha256:')) return [];
  const known = opts.knownTags;
  if (known) return COSIGN_TAGS.filter((kind) => known.has(cosignTag(digest, kind))).map((kind) => ({ items: [counted(digest, kind)] }));
  return Promise.all(COSIGN_TAGS.map((kind) => readCosignTag(client, repository, digest, kind, opts.signal)));
}

/** A cosign tag known to exist but not read: counted as one item of its kind. */
function counted(digest: string, kind: CosignTagKind): Attachment {
  const c = classifyCosignLayer(kind, kind === 'sig' ? SupplyChainTypes.cosignSimpleSigning : kind === 'att' ? SupplyChainTypes.dsse : SupplyChainTypes.spdxJson, undefined);
  return { ...c, mediaType: s.MediaTypes.ociManifest, digest: '', size: 0, source: 'cosign-tag', tag: cosignTag(digest, kind) };
}

async function readCosignTag(client: DistributionClient, repository: string, digest: string, kind: CosignTagKind, signal?: AbortSignal): Promise<CosignResult> {
  const tag = cosignTag(digest, kind);
  const url = `${repoPath(repository)}/manifests/${tag}`;
  const what = `The cosign manifest ${repository}:${tag}`;
  const headers = { accept: s.MANIFEST_ACCEPT };
  // HEAD first: it costs no pull quota, and most images have no such tag.
  const head = await client.send({ method: 'HEAD', url, access: pull(repository), what, headers, signal, maxBodyBytes: BODY_LIMITS.manifest });
  if (head.status === 404) return { items: [] };
  if (!isOk(head)) throw statusError(head, what, 'HEAD');
  const res = await client.send({ method: 'GET', url, access: pull(repository), what, headers, signal, maxBodyBytes: BODY_LIMITS.manifest });
  if (res.status === 404) return { items: [] };
  if (!isOk(res)) throw statusError(res, what, 'GET');
  const stated = res.header('docker-content-digest')?.trim();
  let doc;
  try {
    const manifestDigest = stated ? requireVerifiableDigest(stated, what) : sha256Digest(res.body);
    verifyDigest(res.body, manifestDigest, what);
    doc = parseManifest(res.body, res.header('content-type'), manifestDigest, what);
  } catch (e) {
    return { items: [], note: e instanceof Error ? e.message : String(e) };
  }
  if (!doc.image) return { items: [], note: `${what} is not an image manifest; it was ignored` };
  const layers = doc.image.layers;
  const items = layers.slice(0, MAX_COSIGN_LAYERS).map((l, index): Attachment => {
    const c = classifyCosignLayer(kind, l.mediaType, l.annotations);
    return {
      ...c,
      artifactType: l.mediaType,
      mediaType: doc.mediaType,
      digest: doc.digest,
      size: res.body.length,
      annotations: doc.image?.annotations,
      created: doc.image?.annotations?.[CREATED] ?? l.annotations?.[CREATED],
      source: 'cosign-tag',
      tag,
      layer: { index, digest: l.digest, mediaType: l.mediaType, size: l.size, annotations: l.annotations },
    };
  });
  const note = layers.length > MAX_COSIGN_LAYERS ? `${what}: ${layers.length - MAX_COSIGN_LAYERS} more layers were not listed` : undefined;
  return { items, note };
}
