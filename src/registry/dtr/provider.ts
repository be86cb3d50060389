import type { AdminModel } from '../admin';
import type { Attachment, AttachmentContent, AttachmentList, AttachmentListOptions } from '../attachments';
import type { LayerVerification } from '../verifyResult';
import type { ParsedReport, ReportTarget } from '../reports/types';
import type { ProviderContext } from '../context';
import { checkPlanHolds, unlessGone } from '../deletePlan';
import { BadResponseError, NotFoundError, RegistryError, toRegistryError } from '../errors';
import type { HttpTransport } from '../http';
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
  Platform,
  RegistryProvider,
  Repository,
  Tag,
  TagDetails,
} from '../provider';
import type { ScanReport } from '../scan';
import { buildAdminModel } from './admin';
import { DtrApi, orUndefinedOn403 } from './api';
import { DtrClient, checkSegment, splitRepository } from './client';
import { countsFromDtr, toScanReport } from './scanReport';
import * as s from './schemas';
import { t } from '../l10n';

export interface DtrProviderOptions {
  /** Shared transport (default: one built from the connection settings, disposed with the provider). */
  transport?: HttpTransport;
  /** How long feature flags are trusted before asking again (default 60 s). */
  featuresTtlMs?: number;
}

const MANIFEST_LIST_TYPES = new Set(['application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json']);

/**
 * Docker Trusted Registry / Mirantis Secure Registry (`/api/v0`): namespaces, repositories and tags with manifests,
 * Notary signatures and scan counts from the API; image details from DTR's own `/v2/` registry (the OCI client, same
 * credentials, Bearer challenge); policies, access, webhooks, tokens and administration through the admin model.
 */
export class DtrProvider implements RegistryProvider {
  readonly kind = 'dtr';
  readonly api: DtrApi;
  readonly client: DtrClient;
  private readonly registry: DistributionProvider;
  private readonly host: string;
  private readonly featuresTtlMs: number;
  private featuresCache?: { at: number; value: Promise<s.DtrFeatures> };
  /** Admin-only health details answered 403 once: not asked again. */
  private adminDetails = true;
  private model?: AdminModel;

  constructor(
    private readonly ctx: ProviderContext,
    opts: DtrProviderOptions = {},
  ) {
    this.client = new DtrClient(ctx, opts.transport);
    this.api = new DtrApi(this.client);
    this.registry = new DistributionProvider({ ...ctx, connection: { ...ctx.connection, namespaces: undefined } }, { transport: this.client.transport });
    this.host = new URL(ctx.connection.url).host;
    this.featuresTtlMs = opts.featuresTtlMs ?? 60_000;
  }

  get capabilities(): Capabilities {
    return {
      namespaces: true,
      tagDetails: true,
      deleteTag: true,
      // Repository create / edit / delete and policies are declared by the admin model.
      scanSummary: true,
    };
  }

  /** What this DTR administers (built on first use). */
  get admin(): AdminModel {
    return (this.model ??= buildAdminModel(this));
  }

  /** Feature flags (scanning, promotion, mirroring), cached for a minute; failures are not cached. */
  features(signal?: AbortSignal): Promise<s.DtrFeatures> {
    const now = Date.now();
    if (!this.featuresCache || now - this.featuresCache.at > this.featuresTtlMs) {
      const value = this.api.features(signal);
      this.featuresCache = { at: now, value };
      value.catch(() => {
        if (this.featuresCache?.value === value) this.featuresCache = undefined;
      });
    }
    return this.featuresCache.value;
  }

  /** `GET /api/v0/meta/features` (cheap, any user); cluster status and alerts for admins (403: left out). */
  async ping(signal?: AbortSignal): Promise<HealthResult> {
    const started = Date.now();
    try {
      const f = await this.api.features(signal);
      this.featuresCache = { at: Date.now(), value: Promise.resolve(f) };
      const latencyMs = Date.now() - started;
      const details: Record<string, string> = {
        Scanning: f.scanningLicensed ? (f.scanningEnabled ? 'enabled' : 'licensed, disabled') : 'not licensed',
        Promotion: f.promotionLicensed ? 'licensed' : 'not licensed',
        Mirroring: f.mirroringLicensed ? 'licensed' : 'not licensed',
      };
      if (this.adminDetails) {
        const [cluster, alerts] = await Promise.all([orUndefinedOn403(this.api.clusterStatus(signal)).catch(() => undefined), orUndefinedOn403(this.api.alerts(signal)).catch(() => undefined)]);
        if (!cluster && !alerts) this.adminDetails = false;
        if (cluster?.replica_health) {
          const entries = Object.entries(cluster.replica_health);
          const healthy = entries.filter(([, h]) => h.toUpperCase() === 'OK').length;
          details.Replicas = `${healthy}/${entries.length} healthy`;
        }
        if (alerts) details.Alerts = alerts.length ? alerts.map((a) => a.message).slice(0, 3).join('; ') : 'none';
      }
      return { ok: true, latencyMs, checkedAt: Date.now(), details };
    } catch (e) {
      return { ok: false, latencyMs: Date.now() - started, checkedAt: Date.now(), error: toRegistryError(e) };
    }
  }

  /**
   * DTR has no documented endpoint listing users and organizations; the namespaces are the accounts autocomplete
   * offers, the signed-in user, the configured ones, and those seen on the first repository page. One page.
   */
  async listNamespaces(_cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Namespace>> {
    const items: Namespace[] = [];
    const seen = new Set<string>();
    const add = (name: string, description: string) => {
      if (seen.has(name)) return;
      try {
        checkSegment(name, 'namespace');
      } catch {
        return;
      }
      seen.add(name);
      items.push({ name, description });
    };
    const user = await this.client.username();
    let error: RegistryError | undefined;
    const [accounts, first] = await Promise.all([
      this.api.accounts(opts.signal).catch((e: unknown) => {
        error = accountsError(e);
        return undefined;
      }),
      this.api.repositories(undefined, undefined, { signal: opts.signal }),
    ]);
    if (user && (await this.client.hasCredentials())) add(user, 'Your account');
    for (const n of this.ctx.connection.namespaces ?? []) add(n, 'Configured namespace');
    for (const a of accounts?.accountResults ?? []) add(a.name, a.isOrg ? `Organization${a.fullName ? ` · ${a.fullName}` : ''}` : `User${a.fullName ? ` · ${a.fullName}` : ''}`);
    for (const r of first.items) add(r.namespace, r.namespaceType === 'organization' ? 'Organization' : 'Namespace');
    // The namespaces found elsewhere are shown, followed by what could not be listed.
    return error ? { items, error } : { items };
  }

  async listRepositories(namespace: string | undefined, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Repository>> {
    const page = await this.api.repositories(namespace, cursor, opts);
    return { ...page, items: page.items.map(toRepository) };
  }

  /** One page of tags with their manifests, signatures and scan counts (a second request per page for the counts when scanning is on). */
  async listTags(repository: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Tag>> {
    const page = await this.api.tags(repository, cursor, opts);
    const entries = byTag(page.items);
    const tags = entries.map(toTag);
    const missing = entries.flatMap((e) => (!e[0]!.vuln_summary && e[0]!.digest ? [{ name: e[0]!.name, digest: e[0]!.digest }] : []));
    if (missing.length) {
      const f = await this.features(opts.signal).catch(() => undefined);
      if (f?.scanningLicensed && f.scanningEnabled) {
        const counts = await this.api.scanBadges(missing, opts.signal).catch((e: unknown) => {
          this.ctx.logger.debug(`DTR: no scan counts for a page of ${repository}: ${toRegistryError(e).message}`);
          return undefined;
        });
        if (counts) for (const t of tags) if (t.digest && counts[t.digest]) t.vulnerabilities = countsFromDtr(counts[t.digest]!);
      }
    }
    return { ...page, items: tags };
  }

  getTagDetails(repository: string, tag: string, signal?: AbortSignal): Promise<TagDetails> {
    splitRepository(repository);
    return this.registry.getTagDetails(repository, checkSegment(tag, 'tag'), signal);
  }

  getImageDetails(repository: string, reference: string, signal?: AbortSignal): Promise<ImageDetails> {
    splitRepository(repository);
    return this.registry.getImageDetails(repository, checkSegment(reference, 'reference'), signal);
  }

  listAttachments(repository: string, digest: string, opts?: AttachmentListOptions): Promise<AttachmentList> {
    splitRepository(repository);
    return this.registry.listAttachments(repository, digest, opts);
  }

  getAttachmentContent(repository: string, attachment: Attachment, signal?: AbortSignal): Promise<AttachmentContent> {
    splitRepository(repository);
    return this.registry.getAttachmentContent(repository, attachment, signal);
  }

  getAttachedReport(repository: string, attachment: Attachment, target: ReportTarget, signal?: AbortSignal): Promise<ParsedReport> {
    splitRepository(repository);
    return this.registry.getAttachedReport(repository, attachment, target, signal);
  }

  verifyAttachments(repository: string, digest: string, attachments: readonly Attachment[], publicKeyPem: string, signal?: AbortSignal): Promise<LayerVerification[]> {
    splitRepository(repository);
    return this.registry.verifyAttachments(repository, digest, attachments, publicKeyPem, signal);
  }

  /** DTR deletes a tag by name (`DELETE …/tags/{tag}`): only that tag goes. */
  async planDeleteTag(repository: string, tag: string, signal?: AbortSignal): Promise<DeletePlan> {
    const digest = await this.tagDigest(repository, tag, signal);
    return { repository, tag, digest, affectedTags: [tag], byDigest: false };
  }

  /** Deleting the manifest (`DELETE …/manifests/{digest}`) removes every tag of the digest; the plan names them all. */
  async planDeleteManifest(repository: string, tag: string, signal?: AbortSignal): Promise<DeletePlan> {
    const digest = await this.tagDigest(repository, tag, signal);
    const sharing = await this.api.tag(repository, digest, signal);
    const affectedTags = [...new Set([tag, ...sharing.map((t) => t.name)])].sort();
    return { repository, tag, digest, affectedTags, byDigest: true };
  }

  /**
   * Runs the confirmed plan: right before deleting, the plan is made again, and a tag that moved or a different set
   * of tags sharing the digest stops it with nothing deleted. The manifest goes by the confirmed digest.
   */
  async deleteTag(plan: DeletePlan, signal?: AbortSignal): Promise<void> {
    const again = plan.byDigest ? this.planDeleteManifest(plan.repository, plan.tag, signal) : this.planDeleteTag(plan.repository, plan.tag, signal);
    const now = await unlessGone(again);
    checkPlanHolds(plan, { digest: now?.digest, affectedTags: now?.affectedTags });
    if (plan.byDigest) await this.api.deleteManifest(plan.repository, plan.digest, signal);
    else await this.api.deleteTag(plan.repository, plan.tag, signal);
  }

  /** The digest a tag points at (for a multi-platform tag: its manifest list's). */
  private async tagDigest(repository: string, tag: string, signal?: AbortSignal): Promise<string> {
    const entries = await this.api.tag(repository, checkSegment(tag, 'tag'), signal);
    if (!entries.length) throw new NotFoundError(`Tag ${repository}:${tag} not found`);
    const digest = entries[0]!.digest;
    if (!digest) throw new BadResponseError(`Tag ${repository}:${tag}: DTR sent no valid sha256 or sha512 digest for it`);
    return digest;
  }

  /**
   * The live scan summary of one platform of a tag (`os/arch`, default the first), with the tag's other platforms
   * listed for switching.
   */
  async getScanReport(repository: string, tag: string, signal?: AbortSignal, platform?: string): Promise<ScanReport> {
    const f = await this.features(signal).catch(() => undefined);
    if (f && !(f.scanningLicensed && f.scanningEnabled)) {
      splitRepository(repository);
      return { status: 'unsupported', repository, reference: tag, counts: emptyCounts(), packages: [], vulnerabilities: [], message: f.scanningLicensed ? 'Image scanning is turned off on this DTR' : 'Image scanning is not licensed on this DTR' };
    }
    const entries = await this.api.tag(repository, tag, signal);
    const platforms = [...new Set(entries.map((e) => s.platformOf(e.manifest)).filter((p): p is string => !!p))];
    const chosen = platform && platforms.includes(platform) ? platform : platforms[0];
    const [os, arch] = chosen ? chosen.split('/') : [undefined, undefined];
    const summaries = await this.api.scanSummaries(repository, tag, { os, arch }, signal);
    const wanted = chosen ? entries.find((e) => s.platformOf(e.manifest) === chosen)?.manifest?.digest : undefined;
    const summary = summaries.find((x) => x.scannedImage.manifestDigest === wanted) ?? summaries[0];
    if (!summary) {
      return {
        status: 'notScanned',
        repository,
        reference: tag,
        digest: entries[0]?.digest,
        counts: emptyCounts(),
        packages: [],
        vulnerabilities: [],
        message: t('This tag has not been scanned yet'),
        ...(platforms.length ? { platforms } : {}),
        ...(chosen ? { platform: chosen } : {}),
      };
    }
    return toScanReport(summary.scannedImage, repository, tag, { platform: chosen, platforms: platforms.length > 1 ? platforms : undefined, scanStatus: summary.scanStatus });
  }

  pullHost(): string {
    return this.host;
  }

  resetAuth(): void {
    this.registry.resetAuth();
    // What the model learned about the user (access levels, admin) belongs to the old credentials.
    this.model = undefined;
    this.featuresCache = undefined;
    this.adminDetails = true;
  }

  dispose(): void {
    this.registry.dispose();
    this.client.dispose();
  }
}

function emptyCounts(): ScanReport['counts'] {
  return { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 };
}

/**
 * Autocomplete refused or failed: the namespaces from repositories and settings still list, followed by this error
 * naming what is missing (sign-in and cancellation fail the whole listing).
 */
function accountsError(e: unknown): RegistryError {
  const err = toRegistryError(e);
  if (err.kind === 'unauthorized' || err.kind === 'cancelled') throw err;
  return new RegistryError(err.kind, `Users and organizations could not be listed (DTR account autocomplete): ${err.message}`, { status: err.status, request: err.request, cause: err });
}

/**
 * DTR lists a multi-platform tag once per platform (one entry per manifest of the list, in a row): the entries of
 * one tag, grouped by name in the order of the listing.
 */
export function byTag(items: readonly s.DtrListTag[]): s.DtrListTag[][] {
  const groups = new Map<string, s.DtrListTag[]>();
  for (const t of items) {
    const g = groups.get(t.name);
    if (g) g.push(t);
    else groups.set(t.name, [t]);
  }
  return [...groups.values()];
}


export function toRepository(r: s.DtrRepository): Repository {
  const facts: string[] = [];
  if (r.visibility) facts.push(r.visibility);
  if (r.scanOnPush) facts.push('scan on push');
  if (r.immutableTags) facts.push('immutable tags');
  if (r.tagLimit) facts.push(`tag limit ${r.tagLimit}`);
  if (r.pushes !== undefined) facts.push(`${r.pushes} push${r.pushes === 1 ? '' : 'es'}`);
  return {
    name: `${r.namespace}/${r.name}`,
    namespace: r.namespace,
    description: r.shortDescription || undefined,
    isPrivate: r.visibility === undefined ? undefined : r.visibility === 'private',
    pullCount: r.pulls,
    facts,
  };
}

/** One tag from its listing entries (one per platform of a manifest list; a plain image has one). */
export function toTag(entries: s.DtrListTag | readonly s.DtrListTag[]): Tag {
  const all = Array.isArray(entries) ? (entries as readonly s.DtrListTag[]) : [entries as s.DtrListTag];
  const t = all[0]!;
  const facts: string[] = [];
  if (t.inNotary) facts.push(t.hashMismatch ? 'signature mismatch' : 'signed');
  const m = t.manifest;
  const isList = all.length > 1 || (!!m?.mediaType && MANIFEST_LIST_TYPES.has(m.mediaType));
  if (isList) facts.push('multi-platform');
  if (t.author) facts.push(`by ${t.author}`);
  if (t.promotion?.sourceRepository) facts.push(`promoted from ${t.promotion.sourceRepository}${t.promotion.sourceTag ? `:${t.promotion.sourceTag}` : ''}`);
  if (t.mirroring?.remoteRepository) facts.push(`mirrored to ${t.mirroring.remoteRepository}`);
  const tag: Tag = { name: t.name, digest: t.digest, created: t.createdAt, lastPushed: t.updatedAt, facts };
  const platforms: Platform[] = [];
  const seen = new Set<string>();
  for (const e of all) {
    const pm = e.manifest;
    if (!pm || !s.platformOf(pm)) continue;
    const key = `${s.platformOf(pm)}@${pm.digest}`;
    if (seen.has(key)) continue;
    seen.add(key);
    platforms.push({ os: pm.os!, architecture: pm.architecture!, digest: pm.digest, size: pm.size });
  }
  if (platforms.length) tag.platforms = platforms;
  if (!isList && m?.size !== undefined) tag.size = m.size;
  else if (isList && platforms.length > 1 && platforms.every((p) => p.size !== undefined)) tag.size = platforms.reduce((n, p) => n + p.size!, 0);
  if (t.vuln_summary) tag.vulnerabilities = countsFromDtr(t.vuln_summary);
  return tag;
}

export function createProvider(ctx: ProviderContext): RegistryProvider {
  return new DtrProvider(ctx);
}
