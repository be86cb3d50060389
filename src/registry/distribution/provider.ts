import type { ProviderContext } from '../context';
import { BadResponseError, MethodNotAllowedError, NotFoundError, isRegistryError, toRegistryError } from '../errors';
import { BODY_LIMITS, type HttpTransport, statusError, transportFor } from '../http';
import type {
  Capabilities,
  Cursor,
  DeletePlan,
  HealthResult,
  ImageConfigSummary,
  ImageDetails,
  Page,
  PageOptions,
  Platform,
  PlatformImage,
  RegistryProvider,
  Repository,
  Tag,
  TagDetails,
} from '../provider';
import { looksLikeDigest, requireVerifiableDigest, sha256Digest, verifyDigest } from '../digest';
import { checkPlanHolds, unlessGone } from '../deletePlan';
import { checkTagName } from '../names';
import { capPage, collectAll } from '../paging';
import type { Attachment, AttachmentContent, AttachmentList, AttachmentListOptions } from '../attachments';
import { fetchAttachmentContent } from './attachmentContent';
import { parsePublicKey } from '../verify';
import { verifyAttachments, type LayerVerification } from '../verifyAttachment';
import { reportOfContent } from '../reports/attached';
import type { ParsedReport, ReportTarget } from '../reports/types';
import { listAttachments } from './attachments';
import { DistributionClient, nextLink, repoPath } from './client';
import { cached, isAttestation, mapLimit, parseManifest, remember, short, type ManifestDoc } from './manifests';
import * as s from './schemas';

export interface DistributionProviderOptions {
  /** Shared transport (default: one built from the connection settings, disposed with the provider). */
  transport?: HttpTransport;
  /** Clock for token expiry (tests). */
  now?: () => number;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;
/** Tag → digest look-ups in flight at once while planning a delete. */
const RESOLVE_CONCURRENCY = 8;
/** Platforms of an index whose manifests and configs are read for one tag's details; the rest are read on demand. */
export const MAX_PLATFORM_DETAILS = 16;
/** Config blobs larger than this are not read (they are not image configs anyone wants to see). */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;


/** ImageDetails without the request-specific fields. */
type ImageCore = Omit<ImageDetails, 'repository' | 'reference'>;

/**
 * The Distribution API (OCI Distribution / Docker Registry HTTP API V2) as a provider: catalog and tag listing with
 * Link paging, tag details from manifests and configs (cached per digest), delete by digest, `/v2/` health. Every
 * registry kind that serves `/v2/` uses it, for the whole registry or for its registry side (manifests, configs).
 */
export class DistributionProvider implements RegistryProvider {
  /** The connection's kind: a kind using this for its registry side names itself. */
  readonly kind: string;
  private readonly client: DistributionClient;
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  private readonly host: string;
  private readonly images = new Map<string, Promise<ImageCore>>();
  private readonly manifests = new Map<string, Promise<ManifestDoc>>();

  constructor(ctx: ProviderContext, opts: DistributionProviderOptions = {}) {
    this.transport = opts.transport ?? transportFor(ctx);
    this.ownsTransport = !opts.transport;
    this.client = new DistributionClient(ctx, this.transport, { now: opts.now });
    this.host = new URL(ctx.connection.url).host;
    this.kind = ctx.connection.kind;
  }

  get capabilities(): Capabilities {
    return {
      namespaces: false,
      tagDetails: true,
      deleteTag: true,
      scanSummary: false,
    };
  }

  async ping(signal?: AbortSignal): Promise<HealthResult> {
    const started = Date.now();
    try {
      const res = await this.client.send({ method: 'GET', url: '/v2/', access: { kind: 'ping' }, what: 'The registry API (/v2/)', signal });
      const latencyMs = Date.now() - started;
      if (res.status < 200 || res.status >= 300) return { ok: false, latencyMs, checkedAt: Date.now(), error: statusError(res, 'The registry API (/v2/)') };
      const details: Record<string, string> = {};
      const api = res.header('docker-distribution-api-version');
      if (api) details.api = api;
      return { ok: true, latencyMs, checkedAt: Date.now(), details };
    } catch (e) {
      return { ok: false, latencyMs: Date.now() - started, checkedAt: Date.now(), error: toRegistryError(e) };
    }
  }

  async listRepositories(_namespace: string | undefined, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Repository>> {
    const url = cursor ? this.checkCursor(cursor, '/v2/_catalog') : `/v2/_catalog?n=${pageSize(opts)}`;
    const what = 'The repository list';
    const { res, body } = await this.client.getJson({ url, access: { kind: 'catalog' }, what, signal: opts.signal, maxBodyBytes: BODY_LIMITS.list }, s.catalog);
    const page = capPage({ items: body.repositories, next: this.next(res.header('link'), what) }, what);
    return { ...page, items: page.items.map((name) => ({ name })) };
  }

  async listTags(repository: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Tag>> {
    const base = `${repoPath(repository)}/tags/list`;
    const n = pageSize(opts);
    const url = cursor ? this.checkCursor(cursor, base) : `${base}?n=${n}`;
    const what = `The tag list of ${repository}`;
    const { res, body } = await this.client.getJson({ url, access: pull(repository), what, signal: opts.signal, maxBodyBytes: BODY_LIMITS.list }, s.tagList);
    const next = this.next(res.header('link'), what);
    // A server that ignores n sends the whole list without a next link: it is handed over in one page and the tree
    // pages it locally.
    // Cut before building objects: a million names cost far less than a million tags.
    const page = capPage({ items: body.tags, next }, what);
    return { ...page, items: page.items.map((name) => ({ name })) };
  }

  async getTagDetails(repository: string, tag: string, signal?: AbortSignal): Promise<TagDetails> {
    const digest = await this.resolveDigest(repository, tag, signal);
    const img = await this.image(repository, digest, signal);
    const platforms: Platform[] = [];
    for (const i of img.images) {
      if (i.platform) platforms.push({ ...i.platform, digest: img.isIndex ? i.digest : undefined, size: i.totalSize });
    }
    const createds = img.images.map((i) => i.config?.created).filter((c): c is string => !!c && !Number.isNaN(Date.parse(c)));
    const created = createds.sort((a, b) => Date.parse(b) - Date.parse(a))[0];
    // A size over some platforms only would mislead: none is given while platforms are left unread.
    const sized = img.images.some((i) => i.detailsOmitted) ? [] : img.images.filter((i) => i.layers.length > 0 || i.config);
    return {
      repository,
      tag,
      digest: img.digest,
      mediaType: img.mediaType,
      size: sized.length ? sized.reduce((sum, i) => sum + i.totalSize, 0) : undefined,
      created,
      platforms,
      isIndex: img.isIndex,
    };
  }

  async getImageDetails(repository: string, reference: string, signal?: AbortSignal): Promise<ImageDetails> {
    const digest = isDigest(reference) ? requireVerifiableDigest(reference, `${repository}@${reference.slice(0, 80)}`) : await this.resolveDigest(repository, reference, signal);
    const img = await this.image(repository, digest, signal);
    return { repository, reference, ...img };
  }

  async planDeleteTag(repository: string, tag: string, signal?: AbortSignal): Promise<DeletePlan> {
    const digest = await this.resolveDigest(repository, tag, signal);
    const all = (await collectAll((cursor) => this.listTags(repository, cursor, { pageSize: MAX_PAGE, signal }), `The tag list of ${repository}`)).map((t) => t.name);
    const others = [...new Set(all)].filter((t) => t !== tag);
    const affected = [tag];
    await mapLimit(others, RESOLVE_CONCURRENCY, async (other) => {
      try {
        if ((await this.resolveDigest(repository, other, signal)) === digest) affected.push(other);
      } catch (e) {
        // A tag removed meanwhile does not share the digest any more.
        if (!(e instanceof NotFoundError)) throw e;
      }
    });
    const rest = affected.slice(1).sort();
    return { repository, tag, digest, affectedTags: [tag, ...rest], byDigest: true };
  }

  /**
   * Deletes the confirmed plan's digest. Right before, the plan is made again: the tag must still point at the
   * confirmed digest and the same tags must share it, or nothing is deleted (the error says what changed).
   */
  async deleteTag(plan: DeletePlan, signal?: AbortSignal): Promise<void> {
    requireVerifiableDigest(plan.digest, `${plan.repository}:${plan.tag}`);
    const now = await unlessGone(this.planDeleteTag(plan.repository, plan.tag, signal));
    checkPlanHolds(plan, { digest: now?.digest, affectedTags: now?.affectedTags });
    const what = `Deleting ${plan.repository}@${short(plan.digest)}`;
    const res = await this.client.send({
      method: 'DELETE',
      url: `${repoPath(plan.repository)}/manifests/${plan.digest}`,
      access: { kind: 'repository', name: plan.repository, action: 'delete' },
      what,
      signal,
    });
    if (res.status === 405) {
      throw new MethodNotAllowedError(
        `${what}: deletion is disabled on this registry (storage.delete.enabled is false in its configuration) (405)`,
        { request: `DELETE ${res.url}` },
      );
    }
    if (res.status < 200 || res.status >= 300) throw statusError(res, what, 'DELETE');
    this.images.delete(plan.digest);
    this.manifests.delete(plan.digest);
  }

  /** What refers to `digest` (signatures, SBOMs, attestations): see attachments.ts. */
  listAttachments(repository: string, digest: string, opts?: AttachmentListOptions): Promise<AttachmentList> {
    return listAttachments(this.client, repository, digest, opts);
  }

  /** An attachment's manifest and content blobs, bounded: see attachmentContent.ts. */
  getAttachmentContent(repository: string, attachment: Attachment, signal?: AbortSignal): Promise<AttachmentContent> {
    return fetchAttachmentContent(this.client, repository, attachment, signal);
  }

  /** An attached vulnerability report: see src/registry/reports/. */
  async getAttachedReport(repository: string, attachment: Attachment, target: ReportTarget, signal?: AbortSignal): Promise<ParsedReport> {
    return reportOfContent(await this.getAttachmentContent(repository, attachment, signal), attachment, target);
  }

  /** Signature verification with a user's key: see src/registry/verifyAttachment.ts. */
  async verifyAttachments(repository: string, digest: string, attachments: readonly Attachment[], publicKeyPem: string, signal?: AbortSignal): Promise<LayerVerification[]> {
    return verifyAttachments(this, repository, digest, attachments, parsePublicKey(publicKeyPem), signal);
  }

  pullHost(): string {
    return this.host;
  }

  resetAuth(): void {
    this.client.resetAuth();
  }

  dispose(): void {
    this.images.clear();
    this.manifests.clear();
    if (this.ownsTransport) this.transport.dispose();
  }

  // ---- manifests and images -----------------------------------------------------------------------------------------

  /** Tag → digest with one HEAD (GET when the registry omits Docker-Content-Digest). */
  private async resolveDigest(repository: string, tag: string, signal?: AbortSignal): Promise<string> {
    const what = `The manifest of ${repository}:${tag}`;
    const url = `${repoPath(repository)}/manifests/${checkTagName(tag)}`;
    const head = await this.client.sendOk({ method: 'HEAD', url, access: pull(repository), what, headers: { accept: s.MANIFEST_ACCEPT }, signal, maxBodyBytes: BODY_LIMITS.manifest });
    const d = head.header('docker-content-digest')?.trim();
    // Only a digest that can be checked is taken: the manifest fetched by it is verified against it later.
    if (d) return requireVerifiableDigest(d, what);
    const res = await this.client.sendOk({ method: 'GET', url, access: pull(repository), what, headers: { accept: s.MANIFEST_ACCEPT }, signal, maxBodyBytes: BODY_LIMITS.manifest });
    const stated = res.header('docker-content-digest')?.trim();
    if (stated) verifyDigest(res.body, stated, what);
    const digest = stated ?? sha256Digest(res.body);
    remember(this.manifests, digest, Promise.resolve(parseManifest(res.body, res.header('content-type'), digest, what)));
    return digest;
  }

  private image(repository: string, digest: string, signal?: AbortSignal): Promise<ImageCore> {
    return cached(this.images, digest, () => this.buildImage(repository, digest, signal));
  }

  private manifest(repository: string, digest: string, signal?: AbortSignal): Promise<ManifestDoc> {
    return cached(this.manifests, digest, async () => {
      const what = `The manifest ${repository}@${short(digest)}`;
      const res = await this.client.sendOk({
        method: 'GET',
        url: `${repoPath(repository)}/manifests/${digest}`,
        access: pull(repository),
        what,
        headers: { accept: s.MANIFEST_ACCEPT },
        signal,
        maxBodyBytes: BODY_LIMITS.manifest,
      });
      verifyDigest(res.body, digest, what);
      return parseManifest(res.body, res.header('content-type'), digest, what);
    });
  }

  private async buildImage(repository: string, digest: string, signal?: AbortSignal): Promise<ImageCore> {
    const top = await this.manifest(repository, digest, signal);
    if (top.image) {
      return { digest, mediaType: top.mediaType, isIndex: false, annotations: top.image.annotations, images: [await this.platformImage(repository, top, undefined, signal)] };
    }
    const entries = top.index!.manifests.filter((m) => !isAttestation(m));
    const images: PlatformImage[] = new Array<PlatformImage>(entries.length);
    const platformOf = (entry: s.Descriptor): Platform | undefined =>
      entry.platform ? { os: entry.platform.os, architecture: entry.platform.architecture, variant: entry.platform.variant, digest: entry.digest } : undefined;
    // Each platform costs two requests (and counts against pull quotas): the first few are read, the rest are
    // listed from the index and read on demand (getImageDetails with the platform's digest).
    for (let i = MAX_PLATFORM_DETAILS; i < entries.length; i++) {
      const entry = entries[i]!;
      images[i] = { platform: platformOf(entry), digest: entry.digest, mediaType: entry.mediaType, layers: [], totalSize: 0, annotations: entry.annotations, detailsOmitted: true };
    }
    await mapLimit(entries.slice(0, MAX_PLATFORM_DETAILS).map((e, i) => [e, i] as const), 4, async ([entry, i]) => {
      const platform = platformOf(entry);
      let child: ManifestDoc | undefined;
      try {
        child = await this.manifest(repository, entry.digest, signal);
      } catch (e) {
        // Partial mirrors keep an index but not every platform's manifest: show the platform without details.
        if (!(e instanceof NotFoundError)) throw e;
      }
      images[i] =
        child?.image
          ? await this.platformImage(repository, child, platform, signal)
          : { platform, digest: entry.digest, mediaType: entry.mediaType, layers: [], totalSize: 0, annotations: entry.annotations };
    });
    return { digest, mediaType: top.mediaType, isIndex: true, annotations: top.index!.annotations, images };
  }

  private async platformImage(repository: string, doc: ManifestDoc, platform: Platform | undefined, signal?: AbortSignal): Promise<PlatformImage> {
    const m = doc.image!;
    const layers = m.layers.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size, annotations: l.annotations }));
    const totalSize = m.config.size + layers.reduce((sum, l) => sum + l.size, 0);
    let config: ImageConfigSummary | undefined;
    if (s.CONFIG_TYPES.has(m.config.mediaType) && m.config.size <= MAX_CONFIG_BYTES) {
      config = await this.config(repository, m.config.digest, m.config.size, signal);
    }
    let p = platform;
    if (!p && config?.os && config.architecture) p = { os: config.os, architecture: config.architecture, variant: config.variant };
    return { platform: p, digest: doc.digest, mediaType: doc.mediaType, layers, config, totalSize, annotations: m.annotations };
  }

  private async config(repository: string, digest: string, size: number, signal?: AbortSignal): Promise<ImageConfigSummary> {
    const what = `The image config ${repository}@${short(digest)}`;
    // A blob is read up to the size its descriptor declares, not to whatever the server keeps sending.
    const { res, body } = await this.client.getJson({ url: `${repoPath(repository)}/blobs/${digest}`, access: pull(repository), what, signal, maxBodyBytes: size }, s.imageConfig);
    verifyDigest(res.body, digest, what);
    const c = body.config;
    return {
      digest,
      size,
      created: body.created,
      author: body.author,
      os: body.os,
      architecture: body.architecture,
      variant: body.variant,
      user: c?.User || undefined,
      workingDir: c?.WorkingDir || undefined,
      env: c?.Env ?? [],
      entrypoint: c?.Entrypoint ?? [],
      cmd: c?.Cmd ?? [],
      labels: c?.Labels ?? {},
      exposedPorts: c?.ExposedPorts ?? [],
      volumes: c?.Volumes ?? [],
      history: body.history.map((h) => ({ created: h.created, createdBy: h.created_by, comment: h.comment, emptyLayer: h.empty_layer })),
    };
  }

  // ---- paging -------------------------------------------------------------------------------------------------------

  private next(link: string | undefined, what: string): Cursor | undefined {
    const target = nextLink(link);
    if (!target) return undefined;
    try {
      return this.client.resolve(target);
    } catch (e) {
      throw new BadResponseError(`${what}: the next-page link is not on the registry (${isRegistryError(e) ? e.message : 'invalid URL'})`);
    }
  }

  /** A cursor is a next-page URL this provider produced; anything else (another origin, another path) is refused. */
  private checkCursor(cursor: Cursor, path: string): string {
    const url = this.client.resolveUrl(cursor);
    if (url.pathname !== path) throw new BadResponseError('The paging cursor does not belong to this list');
    return url.href;
  }
}

function pull(name: string) {
  return { kind: 'repository', name, action: 'pull' } as const;
}

function pageSize(opts: PageOptions): number {
  const n = Math.floor(opts.pageSize ?? DEFAULT_PAGE);
  return Math.min(MAX_PAGE, Math.max(1, Number.isFinite(n) ? n : DEFAULT_PAGE));
}

function isDigest(ref: string): boolean {
  return looksLikeDigest(ref);
}

