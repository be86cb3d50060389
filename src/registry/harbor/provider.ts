import type { ProviderContext } from '../context';
import type { Attachment, AttachmentContent, AttachmentList, AttachmentListOptions } from '../attachments';
import type { LayerVerification } from '../verifyResult';
import type { ParsedReport, ReportTarget } from '../reports/types';
import { checkPlanHolds, unlessGone } from '../deletePlan';
import { BadResponseError, ServerError, UnsupportedError, isRegistryError, toRegistryError } from '../errors';
import { type HttpTransport, transportFor } from '../http';
import { DistributionProvider } from '../distribution';
import { markdownSummary } from '../plainText';
import type { Capabilities, Cursor, DeletePlan, HealthResult, ImageDetails, Namespace, Page, PageOptions, Platform, RegistryProvider, Repository, Tag, TagDetails } from '../provider';
import type { ScanReport } from '../scan';
import { HarborApi, REPOSITORY_SORT, fuzzyName } from './api';
import { HarborArtifactsApi } from './artifactsApi';
import { noteArtifact } from './artifactState';
import { TAG_SORT, fuzzyTag, withBuildHistory } from './rows';
import { HarborClient, isRobot, splitRepository } from './client';
import { activeAllowlist, countsOf, emptyReport, overviewSummary, pickReport, scanStatusOf, toScanReport } from './scanReport';
import type * as s from './schemas';
import { t } from '../l10n';
import type { AdminModel } from '../admin';
import { harborAdminModel } from './admin';

export interface HarborProviderOptions {
  transport?: HttpTransport;
}

/** How long a project's CVE allowlist is kept for the reports of its artifacts. */
const ALLOWLIST_TTL_MS = 60_000;

/** Accessory types as Harbor names them, in the words of a row's facts. */
const ACCESSORY_WORDS: Record<string, string> = {
  'signature.cosign': 'signed (cosign)',
  'signature.notation': 'signed (notation)',
  'harbor.sbom': 'SBOM',
  'subject.sbom': 'SBOM',
  attestation: 'attestation',
};

const ISO_UTC = /^(19[7-9]\d|2\d{3}|0001)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

/** An ISO time, or undefined for Harbor's zero time (`0001-01-01T00:00:00Z`: never pulled) and unparsable text. */
export function harborTime(v: string | null | undefined): string | undefined {
  if (!v) return undefined;
  // Harbor's own UTC form (every time of a listing) is kept as sent: no Date per row.
  if (ISO_UTC.test(v)) return v.startsWith('0001-') ? undefined : v;
  const ms = Date.parse(v);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

/** The platforms of an index artifact (its `references`), attestation manifests and unknown platforms left out. */
export function referencePlatforms(a: s.HarborArtifact): Platform[] {
  const out: Platform[] = [];
  for (const r of a.references ?? []) {
    const p = r.platform;
    if (!p?.os || !p.architecture || p.os === 'unknown' || r.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') continue;
    out.push({ os: p.os, architecture: p.architecture, ...(p.variant ? { variant: p.variant } : {}), digest: r.child_digest });
  }
  return out;
}

function platformName(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** A plain image's platform from `extra_attrs` (`os`, `architecture`, `variant`), when Harbor sends it. */
function imagePlatform(a: s.HarborArtifact): Platform[] {
  const x = a.extra_attrs;
  const os = typeof x?.os === 'string' ? x.os : undefined;
  const architecture = typeof x?.architecture === 'string' ? x.architecture : undefined;
  if (!os || !architecture) return [];
  return [{ os, architecture, ...(typeof x?.variant === 'string' && x.variant ? { variant: x.variant } : {}), digest: a.digest }];
}

function isIndex(a: s.HarborArtifact): boolean {
  return !!a.references?.length || /index|manifest\.list/.test(a.manifest_media_type ?? a.media_type ?? '');
}

export function tagNames(a: s.HarborArtifact): string[] {
  return (a.tags ?? []).map((t) => t.name);
}

/** How long a row whose scan runs or waits is shown before it is read again. */
export const SCAN_POLL_MS = 3_000;

/** One artifact as one row: named by its first tag, else by its digest (unique and a valid reference). */
export function toTag(a: s.HarborArtifact): Tag {
  const names = tagNames(a);
  const tag: Tag = { name: names[0] ?? a.digest, digest: a.digest, platforms: isIndex(a) ? referencePlatforms(a) : imagePlatform(a) };
  if (typeof a.size === 'number' && a.size >= 0) tag.size = a.size;
  const pushed = harborTime(a.push_time);
  if (pushed) tag.lastPushed = pushed;
  const pulled = harborTime(a.pull_time);
  if (pulled) tag.lastPulled = pulled;
  const facts: string[] = [];
  if (names.length > 1) facts.push(`tags: ${names.join(', ')}`);
  if (!names.length) facts.push('untagged');
  if (a.type && a.type.toUpperCase() !== 'IMAGE') facts.push(a.type.toLowerCase());
  if (isIndex(a)) facts.push(`index (${tag.platforms!.length} platform${tag.platforms!.length === 1 ? '' : 's'})`);
  if ((a.tags ?? []).some((t) => t.immutable)) facts.push('immutable');
  const kinds = [...new Set((a.accessories ?? []).map((x) => ACCESSORY_WORDS[x.type ?? ''] ?? x.type ?? 'accessory'))];
  facts.push(...kinds);
  const labels = (a.labels ?? []).map((l) => l.name).filter(Boolean);
  if (labels.length) facts.push(`labels: ${labels.join(', ')}`);
  const summary = overviewSummary(a.scan_overview);
  if (summary) {
    const status = scanStatusOf(summary.scan_status);
    if (status === 'completed') tag.vulnerabilities = countsOf(summary) ?? {};
    else if (status === 'scanning') facts.push(`scanning${typeof summary.complete_percent === 'number' ? ` ${summary.complete_percent}%` : ''}`);
    else if (status === 'queued') facts.push('scan queued');
    if (status === 'scanning' || status === 'queued') tag.refreshAfterMs = SCAN_POLL_MS;
    else if (status === 'failed') facts.push(`scan ${String(summary.scan_status).toLowerCase()}`);
    else facts.push('not scanned');
  }
  if (facts.length) tag.facts = facts;
  return tag;
}

export function toRepository(r: s.HarborRepository, project: string, isPublic: boolean | undefined): Repository {
  const out: Repository = { name: r.name, namespace: project, facts: [] };
  if (isPublic !== undefined) out.isPrivate = !isPublic;
  if (typeof r.artifact_count === 'number') out.facts!.push(`${r.artifact_count} artifact${r.artifact_count === 1 ? '' : 's'}`);
  if (typeof r.pull_count === 'number') out.pullCount = r.pull_count;
  const summary = r.description ? markdownSummary(r.description) : '';
  if (summary) out.description = summary;
  const when = harborTime(r.update_time) ?? harborTime(r.creation_time);
  if (when) out.lastUpdated = when;
  return out;
}

export function toNamespace(p: s.HarborProject): Namespace {
  const parts = [p.metadata?.public === 'true' ? 'public' : 'private'];
  if (typeof p.repo_count === 'number') parts.push(`${p.repo_count} repositor${p.repo_count === 1 ? 'y' : 'ies'}`);
  if (typeof p.registry_id === 'number' && p.registry_id > 0) parts.push('proxy cache');
  return { name: p.name, description: parts.join(' · ') };
}

/**
 * Harbor 2.x: projects → repositories → artifacts from `/api/v2.0` (HTTP Basic: a user, a robot account, or an OIDC
 * CLI secret), image details through the registry `/v2/` on the same origin (Bearer tokens from Harbor's
 * `/service/token` with the same credentials), vulnerability reports with the project's CVE allowlist marked, and
 * deletes by artifact digest.
 */
export class HarborProvider implements RegistryProvider {
  readonly kind = 'harbor';
  readonly client: HarborClient;
  readonly api: HarborApi;
  readonly artifacts: HarborArtifactsApi;
  readonly admin: AdminModel;
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  private readonly registry: DistributionProvider;
  private readonly host: string;
  /** Public status of the projects listed, for the repositories' private flag. */
  private readonly publicProjects = new Map<string, boolean>();
  private readonly allowlists = new Map<string, { at: number; ids: Promise<Set<string>> }>();

  constructor(
    readonly ctx: ProviderContext,
    opts: HarborProviderOptions = {},
  ) {
    this.transport = opts.transport ?? transportFor(ctx);
    this.ownsTransport = !opts.transport;
    this.client = new HarborClient(ctx, this.transport);
    this.api = new HarborApi(this.client);
    this.artifacts = new HarborArtifactsApi(this.client);
    this.admin = harborAdminModel(this);
    const registryUrl = ctx.connection.registryUrl ?? ctx.connection.url;
    this.host = new URL(registryUrl).host;
    // Harbor's token service (`/service/token`) is on the registry's own origin: no other realm is allowed here.
    this.registry = new DistributionProvider({ ...ctx, connection: { ...ctx.connection, id: `${ctx.connection.id} (registry)`, url: registryUrl, namespaces: undefined } }, { transport: this.transport });
  }

  get capabilities(): Capabilities {
    return {
      namespaces: true,
      tagDetails: true,
      deleteTag: true,
      scanSummary: true,
      serverRepositoryFilter: true,
      repositoryOrderings: Object.keys(REPOSITORY_SORT),
      serverTagFilter: true,
      tagOrderings: Object.keys(TAG_SORT),
    };
  }

  /** `/health` (every component's status) and `/systeminfo` (version, auth mode); both answer anonymous callers. */
  async ping(signal?: AbortSignal): Promise<HealthResult> {
    const started = Date.now();
    try {
      const [health, info] = await Promise.all([this.api.health(signal), this.api.systemInfo(signal).catch((e: unknown) => (isRegistryError(e) && e.kind === 'cancelled' ? Promise.reject(e) : undefined))]);
      const latencyMs = Date.now() - started;
      const details: Record<string, string> = {};
      if (info?.harbor_version) details.version = info.harbor_version;
      if (info?.auth_mode) details['auth mode'] = info.auth_mode;
      if (info?.read_only) details['read-only'] = 'yes';
      const failing: string[] = [];
      for (const c of health.components ?? []) {
        details[c.name] = c.status === 'healthy' ? 'healthy' : `${c.status ?? 'unknown'}${c.error ? `: ${c.error.slice(0, 200)}` : ''}`;
        if (c.status !== 'healthy') failing.push(c.name);
      }
      if (health.status === 'healthy' && !failing.length) return { ok: true, latencyMs, checkedAt: Date.now(), details };
      const which = failing.length ? `: ${failing.join(', ')} ${failing.length === 1 ? 'is' : 'are'} not healthy` : '';
      return { ok: false, latencyMs, checkedAt: Date.now(), details, error: new ServerError(`Harbor reports itself ${health.status ?? 'unhealthy'}${which}`, { request: 'GET /api/v2.0/health' }) };
    } catch (e) {
      const err = isRegistryError(e) && e.kind === 'notFound' ? new UnsupportedError(`No Harbor 2.x API at this URL (${e.message}); for Harbor 1.x or another registry use the kind "oci"`, { status: 404, request: e.request }) : toRegistryError(e);
      return { ok: false, latencyMs: Date.now() - started, checkedAt: Date.now(), error: err };
    }
  }

  /**
   * The projects the credentials see (public ones for anonymous callers). A robot account that may not list projects
   * still sees its own project (`robot$project+name`) and the settings' `namespaces`.
   */
  async listNamespaces(cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Namespace>> {
    let page: Page<s.HarborProject>;
    try {
      page = await this.api.listProjects(cursor, opts.pageSize, opts.signal);
    } catch (e) {
      const fallback = await this.knownProjects();
      // Only a refusal (403) falls back: rejected credentials (401) stay an error the tree offers to sign in again for.
      if (cursor !== undefined || !fallback.length || !isRegistryError(e) || e.kind !== 'forbidden') throw e;
      return { items: fallback.map((name) => ({ name, description: t('from the robot account or the settings') })) };
    }
    for (const p of page.items) this.publicProjects.set(p.name, p.metadata?.public === 'true');
    const items = page.items.map(toNamespace);
    if (page.next === undefined && !page.error) {
      const listed = new Set(items.map((n) => n.name));
      for (const name of await this.knownProjects()) if (!listed.has(name)) items.push({ name, description: t('from the robot account or the settings') });
    }
    return { ...page, items };
  }

  private async knownProjects(): Promise<string[]> {
    const out = [...(this.ctx.connection.namespaces ?? [])];
    const { username } = await this.client.login();
    const m = username && isRobot(username) ? /\$([^+]+)\+/.exec(username) : null;
    if (m && !out.includes(m[1]!)) out.unshift(m[1]!);
    return out;
  }

  async listRepositories(namespace: string | undefined, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Repository>> {
    if (!namespace) throw new BadResponseError('Harbor lists repositories per project');
    if (opts.ordering !== undefined && !(opts.ordering in REPOSITORY_SORT)) throw new BadResponseError(`Harbor cannot order repositories by "${opts.ordering}"`);
    const page = await this.api.listRepositories(namespace, cursor, {
      pageSize: opts.pageSize,
      q: opts.nameFilter ? fuzzyName(opts.nameFilter) : undefined,
      sort: opts.ordering ? REPOSITORY_SORT[opts.ordering] : undefined,
      signal: opts.signal,
    });
    return { ...page, items: page.items.map((r) => toRepository(r, namespace, this.publicProjects.get(namespace))) };
  }

  /**
   * Artifacts (newest push first, or the order chosen), each with its tags, scan overview, accessories and labels, one
   * request a page; a filter matches any of an artifact's tags on the server (`q=tags=~…`).
   */
  async listTags(repository: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Tag>> {
    if (opts.ordering !== undefined && !(opts.ordering in TAG_SORT)) throw new BadResponseError(`Harbor cannot order artifacts by "${opts.ordering}"`);
    const q = opts.nameFilter ? fuzzyTag(opts.nameFilter) : undefined;
    const page = await this.api.listArtifacts(repository, cursor, { pageSize: opts.pageSize, sort: TAG_SORT[opts.ordering ?? '-pushed'], q, signal: opts.signal });
    return { ...page, items: page.items.map((a) => this.row(repository, a)) };
  }

  /** One artifact's row again (a row whose scan runs is read until it settles). */
  async readTag(repository: string, tag: string, signal?: AbortSignal): Promise<Tag> {
    return this.row(repository, await this.api.artifact(repository, tag, signal));
  }

  private row(repository: string, a: s.HarborArtifact): Tag {
    const tag = toTag(a);
    const summary = overviewSummary(a.scan_overview);
    noteArtifact(this.client, repository, a.digest, { scan: summary ? scanStatusOf(summary.scan_status) : undefined, isIndex: isIndex(a), accessories: a.accessories?.length ?? 0, labels: a.labels?.length ?? 0 });
    return tag;
  }

  async getTagDetails(repository: string, tag: string, signal?: AbortSignal): Promise<TagDetails> {
    const a = await this.api.artifact(repository, tag, signal);
    const row = toTag(a);
    const out: TagDetails = { repository, tag, digest: a.digest, mediaType: a.manifest_media_type ?? a.media_type ?? '', platforms: row.platforms ?? [], isIndex: isIndex(a) };
    if (row.size !== undefined) out.size = row.size;
    const created = typeof a.extra_attrs?.created === 'string' ? harborTime(a.extra_attrs.created) : undefined;
    if (created) out.created = created;
    if (row.vulnerabilities) out.vulnerabilities = row.vulnerabilities;
    return out;
  }

  /** From the registry `/v2/`; an image config without history gets Harbor's `build_history` addition instead. */
  async getImageDetails(repository: string, reference: string, signal?: AbortSignal): Promise<ImageDetails> {
    return withBuildHistory(await this.registry.getImageDetails(repository, reference, signal), (digest) => this.artifacts.buildHistory(repository, digest, signal));
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

  /** The CVE ids accepted for a project's artifacts: its own allowlist, or the system's when it reuses that. */
  allowlistOf(project: string, signal?: AbortSignal): Promise<Set<string>> {
    const hit = this.allowlists.get(project);
    if (hit && Date.now() - hit.at < ALLOWLIST_TTL_MS) return hit.ids;
    const ids = (async () => {
      const p = await this.api.project(project, signal);
      if (p.metadata?.reuse_sys_cve_allowlist === 'true') return activeAllowlist(await this.api.systemAllowlist(signal));
      return activeAllowlist(p.cve_allowlist);
    })();
    ids.catch(() => this.allowlists.delete(project));
    if (this.allowlists.size >= 200) this.allowlists.clear();
    this.allowlists.set(project, { at: Date.now(), ids });
    return ids;
  }

  /** The report of an artifact, or of one platform of an index (`os/arch[/variant]`, default the first). */
  async getScanReport(repository: string, tag: string, signal?: AbortSignal, platform?: string): Promise<ScanReport> {
    const [project] = splitRepository(repository);
    const a = await this.api.artifact(repository, tag, signal);
    let target = a;
    let extra: Pick<ScanReport, 'platforms' | 'platform'> = {};
    if (isIndex(a)) {
      const platforms = referencePlatforms(a);
      if (!platforms.length) throw new BadResponseError(`${repository}:${tag} is an index without platform artifacts`);
      const names = platforms.map(platformName);
      const i = platform ? Math.max(0, names.indexOf(platform)) : 0;
      target = await this.api.artifact(repository, platforms[i]!.digest!, signal);
      extra = { platforms: names, platform: names[i] };
    }
    const summary = overviewSummary(target.scan_overview);
    const status = scanStatusOf(summary?.scan_status);
    if (status !== 'completed') {
      const why = !summary
        ? 'Not scanned: Harbor has no scan for this artifact (or no scanner is installed)'
        : status === 'failed'
          ? `The scan ended with status "${summary.scan_status}"`
          : `The scan is ${status === 'scanning' ? 'running' : 'queued'}; open the report again when it finishes`;
      return { ...emptyReport(status, repository, tag, why), digest: target.digest, ...extra };
    }
    const [addition, allowlist] = await Promise.all([this.api.vulnerabilities(repository, target.digest, signal), this.allowlistOf(project, signal).catch(unreadable)]);
    const report = pickReport(addition);
    if (!report) return { ...emptyReport('notScanned', repository, tag, 'Harbor has no vulnerability report for this artifact'), digest: target.digest, ...extra };
    const out = { ...toScanReport(report, repository, tag, { allowlist: allowlist instanceof Set ? allowlist : undefined, digest: target.digest }), ...extra };
    if (!(allowlist instanceof Set)) out.message = [out.message, `The project's CVE allowlist could not be read (${allowlist.message}); allowlisted CVEs are not marked`].filter(Boolean).join('. ');
    return out;
  }

  /** Harbor deletes artifacts by digest: the plan names every tag the artifact carries. */
  async planDeleteTag(repository: string, tag: string, signal?: AbortSignal): Promise<DeletePlan> {
    const a = await this.api.artifact(repository, tag, signal);
    return { repository, tag, digest: a.digest, affectedTags: tagNames(a), byDigest: true };
  }

  async deleteTag(plan: DeletePlan, signal?: AbortSignal): Promise<void> {
    const now = await unlessGone(this.api.artifact(plan.repository, plan.tag, signal));
    checkPlanHolds(plan, { digest: now?.digest, affectedTags: now ? tagNames(now) : undefined });
    await this.api.deleteArtifact(plan.repository, plan.digest, signal);
  }

  pullHost(): string {
    return this.host;
  }

  resetAuth(): void {
    this.allowlists.clear();
    this.registry.resetAuth();
  }

  dispose(): void {
    this.registry.dispose();
    if (this.ownsTransport) this.transport.dispose();
  }
}

/** A refused read of the allowlist (robots may not read their project: 401 / 403) becomes a note, not a failed report. */
function unreadable(e: unknown): Error {
  if (isRegistryError(e) && (e.kind === 'forbidden' || e.kind === 'unauthorized' || e.kind === 'notFound')) return e;
  throw e;
}

export function createProvider(ctx: ProviderContext): RegistryProvider {
  return new HarborProvider(ctx);
}
