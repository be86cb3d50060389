import * as z from 'zod';
import type { Attachment, AttachmentContent, AttachmentList, AttachmentListOptions } from '../attachments';
import type { LayerVerification } from '../verifyResult';
import type { ParsedReport, ReportTarget } from '../reports/types';
import type { AdminModel } from '../admin';
import { checkPlanHolds, unlessGone } from '../deletePlan';
import type { Credentials, ProviderContext } from '../context';
import { isVerifiableDigest } from '../digest';
import { BadResponseError, UnauthorizedError } from '../errors';
import { type HttpTransport, transportFor } from '../http';
import { DistributionProvider } from '../distribution';
import type {
  Capabilities,
  Cursor,
  DeletePlan,
  HealthResult,
  ImageDetails,
  Namespace,
  Page,
  PageOptions,
  RegistryProvider,
  Repository,
  Tag,
  TagDetails,
} from '../provider';
import { type ScanReport, type Severity } from '../scan';
import { quayAdminModel } from './admin';
import { QuayApi } from './api';
import { QuayClient } from './client';
import * as s from './schemas';
import { fromQuaySecurity } from './scanReport';
import { toRepository, toTag } from './convert';
import { quayHealth } from './health';

import { OAUTH_TOKEN_USER } from './api';
import { t } from '../l10n';

export { OAUTH_TOKEN_USER, toRepository };

/** Digests whose security summary is kept. */
const CACHE_LIMIT = 2000;

export interface QuayProviderOptions {
  transport?: HttpTransport;
}

const indexSchema = z.looseObject({
  manifests: z.array(
    z.looseObject({
      // Shown and put in request paths: a digest the extension can verify, nothing else.
      digest: z.string().refine(isVerifiableDigest, { message: 'is not a sha256 or sha512 digest' }),
      platform: z.looseObject({ os: z.string(), architecture: z.string(), variant: z.string().optional() }).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

/**
 * Red Hat Quay: namespaces, repositories and tags from `/api/v1` (Bearer OAuth token), tag details and pulls through
 * `/v2` (Docker token auth with `$oauthtoken` + the OAuth token, or the optional registry credential), live Clair
 * reports, and the admin model of src/registry/quay/admin/.
 */
export class QuayProvider implements RegistryProvider {
  readonly kind = 'quay';
  readonly api: QuayApi;
  readonly client: QuayClient;
  readonly admin: AdminModel;
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  private readonly registry: DistributionProvider;
  private readonly host: string;
  private readonly badges = new Map<string, Promise<Partial<Record<Severity, number>> | undefined>>();
  /** Settled badges, read synchronously by tag listings. */
  private readonly knownBadges = new Map<string, Partial<Record<Severity, number>>>();

  constructor(
    readonly ctx: ProviderContext,
    opts: QuayProviderOptions = {},
  ) {
    this.transport = opts.transport ?? transportFor(ctx);
    this.ownsTransport = !opts.transport;
    this.client = new QuayClient(ctx, this.transport);
    this.api = new QuayApi(this.client);
    const registryUrl = ctx.connection.registryUrl ?? ctx.connection.url;
    this.host = new URL(registryUrl).host;
    this.registry = new DistributionProvider(
      // Quay's token service is its API (`/v2/auth`), the origin the OAuth token belongs to: allowed as a token realm.
      { ...ctx, connection: { ...ctx.connection, id: `${ctx.connection.id} (registry)`, url: registryUrl, namespaces: undefined, tokenRealms: [...(ctx.connection.tokenRealms ?? []), new URL(ctx.connection.url).origin] }, credentials: () => this.registryCredentials() },
      { transport: this.transport },
    );
    this.admin = quayAdminModel(this);
  }

  get capabilities(): Capabilities {
    // Repository create/edit/delete are declared in the admin model (its namespace and repository core types).
    return { namespaces: true, tagDetails: true, deleteTag: true, scanSummary: true };
  }

  /** `/v2` credentials: the registry secret of the entry, else `$oauthtoken` with the API token. */
  async registryCredentials(): Promise<Credentials | undefined> {
    const [own, api] = await Promise.all([this.ctx.credentials('registry'), this.ctx.credentials('api')]);
    // A host that keeps one secret per entry answers every purpose with the API token: that is no registry login.
    if (own?.secret && own.secret !== api?.secret) return own;
    return api?.secret ? { username: OAUTH_TOKEN_USER, secret: api.secret } : undefined;
  }

  /** The `/v2` login stored for this entry, apart from the API token; undefined when there is none. */
  async registryLogin(): Promise<Credentials | undefined> {
    const [own, api] = await Promise.all([this.ctx.credentials('registry'), this.ctx.credentials('api')]);
    return own?.secret && own.secret !== api?.secret ? own : undefined;
  }

  ping(signal?: AbortSignal): Promise<HealthResult> {
    return quayHealth(this.client, signal);
  }

  /** The signed-in user and their organizations, then the namespaces from the settings. */
  async listNamespaces(_cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Namespace>> {
    const out: Namespace[] = [];
    const seen = new Set<string>();
    const add = (n: Namespace) => {
      if (!seen.has(n.name)) {
        seen.add(n.name);
        out.push(n);
      }
    };
    const configured = this.ctx.connection.namespaces ?? [];
    if (await this.client.signedIn()) {
      // A listing refreshes what namespaceKind() knows.
      this.userPromise = this.api.user(opts.signal);
      this.userPromise.catch(() => (this.userPromise = undefined));
      const u = await this.userPromise;
      if (u.username) add({ name: u.username, description: t('your namespace') });
      for (const o of u.organizations ?? []) add({ name: o.name, description: o.is_org_admin ? 'organization · admin' : 'organization' });
    } else if (!configured.length) {
      throw new UnauthorizedError('Sign in with a Quay OAuth access token, or list namespaces in the settings ("namespaces")');
    }
    for (const n of configured) add({ name: n, description: t('from settings') });
    return { items: out };
  }

  /** The kind of a namespace: the signed-in user's own, an organization, or unknown (anonymous). */
  async namespaceKind(namespace: string, signal?: AbortSignal): Promise<'user' | 'org' | 'unknown'> {
    if (!(await this.client.signedIn())) return 'unknown';
    const u = await this.userInfo(signal);
    if (u.username === namespace) return 'user';
    return (u.organizations ?? []).some((o) => o.name === namespace) ? 'org' : 'unknown';
  }

  private userPromise?: Promise<s.QuayUser>;
  private userInfo(signal?: AbortSignal): Promise<s.QuayUser> {
    this.userPromise ??= this.api.user(signal).catch((e: unknown) => {
      this.userPromise = undefined;
      throw e;
    });
    return this.userPromise;
  }

  async listRepositories(namespace: string | undefined, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Repository>> {
    if (!namespace) throw new BadResponseError('Quay lists repositories per namespace');
    const page = await this.api.listRepositories(namespace, cursor, opts);
    return { ...page, items: page.items.map(toRepository) };
  }

  async listTags(repository: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Tag>> {
    const page = await this.api.listTags(repository, cursor, opts);
    return { ...page, items: page.items.map((t) => this.toTag(t)) };
  }

  private toTag(t: s.QuayTag): Tag {
    const tag = toTag(t);
    // A badge already known for the digest is shown at once; unknown ones fill in with the details.
    const known = this.knownBadges.get(t.manifest_digest);
    if (known) tag.vulnerabilities = known;
    return tag;
  }

  async getTagDetails(repository: string, tag: string, signal?: AbortSignal): Promise<TagDetails> {
    const details = await this.registry.getTagDetails(repository, tag, signal);
    const v = await this.badge(repository, details.digest, signal);
    return v ? { ...details, vulnerabilities: v } : details;
  }

  getImageDetails(repository: string, reference: string, signal?: AbortSignal): Promise<ImageDetails> {
    return this.registry.getImageDetails(repository, reference, signal);
  }

  listAttachments(repository: string, digest: string, opts?: AttachmentListOptions): Promise<AttachmentList> {
    return this.registry.listAttachments(repository, digest, opts);
  }

  getAttachmentContent(repository: string, attachment: Attachment, signal?: AbortSignal): Promise<AttachmentContent> {
    return this.registry.getAttachmentContent(repository, attachment, signal);
  }

  getAttachedReport(repository: string, attachment: Attachment, target: ReportTarget, signal?: AbortSignal): Promise<ParsedReport> {
    return this.registry.getAttachedReport(repository, attachment, target, signal);
  }

  verifyAttachments(repository: string, digest: string, attachments: readonly Attachment[], publicKeyPem: string, signal?: AbortSignal): Promise<LayerVerification[]> {
    return this.registry.verifyAttachments(repository, digest, attachments, publicKeyPem, signal);
  }

  /** Vulnerability counts of a digest (cached), or undefined when not scanned / no scanner. Never throws. */
  private badge(repository: string, digest: string, signal?: AbortSignal): Promise<Partial<Record<Severity, number>> | undefined> {
    let p = this.badges.get(digest);
    if (!p) {
      p = (async () => {
        if (!(await this.client.has('security', signal))) return undefined;
        const report = fromQuaySecurity(await this.api.security(repository, digest, signal), repository, digest);
        if (report.status === 'queued') {
          // Queued scans finish later: ask again next time.
          this.badges.delete(digest);
          return undefined;
        }
        // Unsupported, failed, too large: nothing to show, and no reason to ask again.
        if (report.status !== 'completed') return undefined;
        if (this.knownBadges.size >= CACHE_LIMIT) this.knownBadges.delete(this.knownBadges.keys().next().value as string);
        this.knownBadges.set(digest, report.counts);
        return report.counts;
      })().catch(() => {
        this.badges.delete(digest);
        return undefined;
      });
      if (this.badges.size >= CACHE_LIMIT) this.badges.delete(this.badges.keys().next().value as string);
      this.badges.set(digest, p);
    }
    return p;
  }

  async getScanReport(repository: string, tag: string, signal?: AbortSignal, platform?: string): Promise<ScanReport> {
    const found = await this.api.tag(repository, tag, signal);
    if (!(await this.client.has('security', signal))) {
      return { ...fromQuaySecurity({ status: 'unsupported', data: null }, repository, tag), message: t('This Quay has no security scanner (the security endpoint is not in its API)') };
    }
    if (!found.is_manifest_list) {
      const report = fromQuaySecurity(await this.api.security(repository, found.manifest_digest, signal), repository, tag);
      return { ...report, digest: found.manifest_digest };
    }
    const platforms = await this.platformsOf(repository, found.manifest_digest, signal);
    if (!platforms.length) throw new BadResponseError(`Tag ${tag} of ${repository} is a manifest list without platform images`);
    const chosen = (platform && platforms.find((p) => p.name === platform)) || platforms[0];
    const report = fromQuaySecurity(await this.api.security(repository, chosen.digest, signal), repository, tag);
    return { ...report, digest: chosen.digest, platforms: platforms.map((p) => p.name), platform: chosen.name };
  }

  /** Platforms of a manifest list, from Quay's manifest endpoint (`manifest_data`), attestations left out. */
  async platformsOf(repository: string, digest: string, signal?: AbortSignal): Promise<{ name: string; digest: string }[]> {
    const m = await this.api.manifest(repository, digest, signal);
    let json: unknown;
    try {
      json = JSON.parse(m.manifest_data ?? '');
    } catch {
      throw new BadResponseError(`Manifest ${digest} of ${repository}: manifest_data is not JSON`);
    }
    const parsed = indexSchema.safeParse(json);
    if (!parsed.success) throw new BadResponseError(`Manifest ${digest} of ${repository}: not a manifest list`);
    return parsed.data.manifests
      .filter((d) => d.platform && d.platform.os !== 'unknown' && d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest')
      .map((d) => ({ name: [d.platform!.os, d.platform!.architecture, d.platform!.variant].filter(Boolean).join('/'), digest: d.digest }));
  }

  /** Quay deletes just the tag; its manifest stays for the other tags and the time machine. */
  async planDeleteTag(repository: string, tag: string, signal?: AbortSignal): Promise<DeletePlan> {
    const t = await this.api.tag(repository, tag, signal);
    return { repository, tag, digest: t.manifest_digest, affectedTags: [tag], byDigest: false };
  }

  async deleteTag(plan: DeletePlan, signal?: AbortSignal): Promise<void> {
    // The confirmed plan: the tag must still point at the digest the confirmation named.
    const now = await unlessGone(this.api.tag(plan.repository, plan.tag, signal));
    checkPlanHolds(plan, { digest: now?.manifest_digest });
    await this.api.deleteTag(plan.repository, plan.tag, signal);
  }

  pullHost(): string {
    return this.host;
  }

  resetAuth(): void {
    this.client.reset();
    this.registry.resetAuth();
    this.userPromise = undefined;
  }

  dispose(): void {
    this.registry.dispose();
    if (this.ownsTransport) this.transport.dispose();
  }
}

/** A saved `GET …/manifest/{digest}/security` response as a scan report; undefined for JSON of another shape. */
export function readSecurityFile(json: unknown, fileName: string): ScanReport | undefined {
  if (!json || typeof json !== 'object' || !('status' in json) || !('data' in json)) return undefined;
  return fromQuaySecurity(json, fileName, 'file');
}

export function createProvider(ctx: ProviderContext): RegistryProvider {
  return new QuayProvider(ctx);
}
