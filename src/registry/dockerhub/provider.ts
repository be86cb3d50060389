import type { AdminModel } from '../admin';
import type { Attachment, AttachmentContent, AttachmentList, AttachmentListOptions } from '../attachments';
import type { LayerVerification } from '../verifyResult';
import type { ParsedReport, ReportTarget } from '../reports/types';
import { checkPlanHolds, unlessGone } from '../deletePlan';
import type { ProviderContext } from '../context';
import { UnsupportedError, toRegistryError } from '../errors';
import type { Capabilities, Cursor, DeletePlan, HealthResult, ImageDetails, Namespace, Page, PageOptions, RegistryProvider, Repository, Tag, TagDetails } from '../provider';
import { HubClient, orUndefinedOn404, type HubClientOptions, type HubTransport } from './client';
import { repositoryOrderings, toTag, type HubRateLimit, type RepositoryOrdering } from './model';
import * as s from './schemas';
import { hubRegistrySide, hubRegistryUrl, type HubRegistrySide } from './registrySide';
import { hubAdmin } from './admin';
import { HubApi, MAX_PAGE, pageSize, seg, type RepositoryPageOptions } from './api';
import { hubTransportFor } from './transport';
import { splitRepository } from './names';
import { checkTagName } from '../names';
import type { ScanReport } from '../scan';
import { ScoutClient, scoutEndpoint, type ScoutOptions } from './scout';
import { ScoutScans } from './scoutReport';

export { splitRepository };
export { HubApi, type RepositoryPageOptions } from './api';

export type { HubRegistrySide } from './registrySide';

export { DEFAULT_HUB_API_URL, DEFAULT_HUB_REGISTRY } from './registrySide';


export interface DockerHubProviderOptions extends HubClientOptions {
  /** Transport for the Hub API (default: the shared transport of src/registry/http.ts, built from the connection). */
  transport?: HubTransport;
  /**
   * Registry side for tag details and health (default: an OCI provider on `registryUrl`, which authenticates with
   * the registry's own Bearer challenge); `null`: none, no tag details.
   */
  registry?: HubRegistrySide | null;
  /** Default order of repository lists (a setting); Hub's own default applies when absent. */
  repositoryOrdering?: RepositoryOrdering;
  /**
   * Docker Scout (vulnerability analysis): by default Docker's Scout for a connection to Docker's own Hub, none
   * otherwise; an explicit endpoint (tests) or null (none). Never from settings: the Hub token goes there.
   */
  scout?: ScoutOptions | null;
}



/** Docker Hub (Hub API v2 + the registry behind it). */
export class DockerHubProvider implements RegistryProvider {
  readonly kind = 'dockerhub';
  readonly capabilities: Capabilities;
  readonly hub: HubApi;
  readonly admin: AdminModel;
  private readonly client: HubClient;
  private readonly registry?: HubRegistrySide;
  private readonly ownTransport?: { http: { dispose(): void } };
  private readonly scoutTransport?: { http: { dispose(): void } };
  private readonly scout?: ScoutScans;

  constructor(
    private readonly ctx: ProviderContext,
    opts: DockerHubProviderOptions = {},
  ) {
    let transport = opts.transport;
    if (!transport) {
      const own = hubTransportFor(ctx);
      this.ownTransport = own;
      transport = own;
    }
    this.client = new HubClient(ctx, transport, opts);
    this.registry = opts.registry === null ? undefined : (opts.registry ?? hubRegistrySide(ctx));
    this.hub = new HubApi(this.client, opts.repositoryOrdering);
    const scoutUrl = scoutEndpoint(this.client.baseUrl, opts.scout);
    if (scoutUrl) {
      let st = opts.scout?.transport;
      if (!st) {
        const own = hubTransportFor(ctx);
        this.scoutTransport = own;
        st = own;
      }
      const client = new ScoutClient(scoutUrl, st, (signal) => this.client.scoutToken(signal), (token) => this.client.dropToken(token));
      this.scout = new ScoutScans(client, ctx.logger);
    }
    this.capabilities = {
      namespaces: true,
      tagDetails: !!this.registry?.getTagDetails,
      deleteTag: true,
      scanSummary: !!this.scout,
      serverRepositoryFilter: true,
      repositoryOrderings: repositoryOrderings,
    };
    this.admin = hubAdmin({ api: this.hub, organizations: (signal) => this.organizations(signal), signedIn: () => this.client.hasCredentials() });
  }

  /** The signed-in user's organizations (empty when Hub has no `/v2/user/orgs/`). */
  async organizations(signal?: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    let cursor: Cursor | undefined;
    const what = 'your organizations';
    const first = this.client.url('/v2/user/orgs/', { page: 1, page_size: MAX_PAGE });
    // Bounded: an account in more than 1,000 organizations sees the first 1,000 here.
    for (let i = 0; i < 10; i++) {
      const orgs = await orUndefinedOn404(this.client.get(this.client.pageUrl(cursor, first, what), s.userOrgsPage, what, 'required', signal));
      for (const o of orgs?.results ?? []) out.push(o.orgname);
      cursor = this.client.cursorFrom(orgs?.next, what);
      if (!cursor) break;
    }
    return out;
  }

  /** The latest Hub API rate-limit figures. */
  rateLimit(): HubRateLimit | undefined {
    return this.client.rateLimit();
  }

  /** Signs in (checking the credentials) and returns the account name. */
  signIn(signal?: AbortSignal): Promise<string> {
    return this.client.signIn(signal);
  }

  async ping(signal?: AbortSignal): Promise<HealthResult> {
    const started = Date.now();
    const details: Record<string, string> = {};
    let error;
    try {
      // Any Hub answer proves reachability; a 404 for the namespace is still an answer.
      const ns = this.ctx.connection.namespaces?.[0] ?? 'library';
      await orUndefinedOn404(this.client.get(this.client.url(`/v2/namespaces/${seg(ns)}/repositories`, { page_size: 1 }), s.repositoryListPage, `the repositories of ${ns}`, 'optional', signal));
      details['Hub API'] = 'reachable';
    } catch (e) {
      error = toRegistryError(e);
      details['Hub API'] = error.message;
    }
    if (this.registry) {
      const r = await this.registry.ping(signal);
      details.Registry = r.ok ? 'reachable' : (r.error?.message ?? 'unreachable');
      error ??= r.error;
    }
    const rate = this.client.rateLimit();
    if (rate) {
      if (rate.remaining !== undefined && rate.limit !== undefined) details['Rate limit'] = `${rate.remaining}/${rate.limit} remaining`;
      else if (rate.remaining !== undefined) details['Rate limit'] = `${rate.remaining} remaining`;
      if (rate.resetAt !== undefined) details['Rate limit resets'] = new Date(rate.resetAt).toISOString();
    }
    const result: HealthResult = { ok: !error, latencyMs: Date.now() - started, checkedAt: Date.now(), details };
    if (error) result.error = error;
    return result;
  }

  /**
   * The signed-in user, their organizations (`/v2/user/orgs/`, tolerated when absent) and the configured namespaces.
   * The first page carries all of them; further pages (cursor = Hub's next link) carry more organizations.
   */
  async listNamespaces(cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Namespace>> {
    const configured = this.ctx.connection.namespaces ?? [];
    const signedIn = await this.client.hasCredentials();
    const items: Namespace[] = [];
    const seen = new Set<string>();
    const add = (name: string, description: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      items.push({ name, description });
    };

    let next: Cursor | undefined;
    if (signedIn) {
      if (cursor === undefined) add(await this.client.signIn(opts.signal), 'Your account');
      const what = 'your organizations';
      const first = this.client.url('/v2/user/orgs/', { page: 1, page_size: MAX_PAGE });
      const orgs = await orUndefinedOn404(this.client.get(this.client.pageUrl(cursor, first, what), s.userOrgsPage, what, 'required', opts.signal));
      for (const o of orgs?.results ?? []) add(o.orgname, o.full_name && o.full_name !== o.orgname ? `Organization · ${o.full_name}` : 'Organization');
      next = this.client.cursorFrom(orgs?.next, what);
    }
    if (cursor === undefined) {
      for (const n of configured) add(n, 'Configured namespace');
      if (!signedIn && configured.length === 0) add('library', 'Docker Official Images');
    }
    const page: Page<Namespace> = { items };
    if (next) page.next = next;
    return page;
  }

  async listRepositories(namespace: string | undefined, cursor: Cursor | undefined, opts: RepositoryPageOptions = {}): Promise<Page<Repository>> {
    const ns = namespace ?? (await this.client.hasCredentials() ? await this.client.signIn(opts.signal) : 'library');
    const ordering = opts.ordering as RepositoryOrdering | undefined;
    return this.hub.listRepositories(ns, cursor, { ...opts, name: opts.name ?? opts.nameFilter, ordering });
  }

  /** Tags with size, digest, push/pull times and platforms from the listing itself: one request per page. */
  async listTags(repository: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Tag>> {
    const [ns, name] = splitRepository(repository);
    const what = `the tags of ${ns}/${name}`;
    const first = this.client.url(`/v2/namespaces/${seg(ns)}/repositories/${seg(name)}/tags`, { page_size: pageSize(opts) });
    const page = await this.client.getPage(this.client.pageUrl(cursor, first, what), s.tagPage, toTag, what, 'optional', opts.signal);
    // Scout's counts for the page's platforms: one request per page, nothing when Scout has nothing.
    await this.scout?.annotateTags(`${ns}/${name}`, page.items, opts.signal);
    return page;
  }

  /** Docker Scout's analysis of one platform of a tag (the platform's digest from Hub's tag listing). */
  async getScanReport(repository: string, tag: string, signal?: AbortSignal, platform?: string): Promise<ScanReport> {
    if (!this.scout) throw new UnsupportedError('Docker Scout is available for Docker Hub itself (https://hub.docker.com)');
    const [ns, name] = splitRepository(repository);
    checkTagName(tag);
    const body = await this.client.get(this.client.url(`/v2/namespaces/${seg(ns)}/repositories/${seg(name)}/tags/${seg(tag)}`), s.tag, `tag ${ns}/${name}:${tag}`, 'optional', signal);
    return this.scout.report(`${ns}/${name}`, toTag(body), platform, signal);
  }

  async getTagDetails(repository: string, tag: string, signal?: AbortSignal): Promise<TagDetails> {
    if (!this.registry?.getTagDetails) throw new UnsupportedError('Tag details need "registryUrl" (the registry behind this Docker Hub connection) in its settings');
    const [ns, name] = splitRepository(repository);
    return this.registry.getTagDetails(`${ns}/${name}`, tag, signal);
  }

  async listAttachments(repository: string, digest: string, opts?: AttachmentListOptions): Promise<AttachmentList> {
    if (!this.registry?.listAttachments) throw new UnsupportedError('Attached artifacts need "registryUrl" (the registry behind this Docker Hub connection) in its settings');
    const [ns, name] = splitRepository(repository);
    return this.registry.listAttachments(`${ns}/${name}`, digest, opts);
  }

  async getAttachmentContent(repository: string, attachment: Attachment, signal?: AbortSignal): Promise<AttachmentContent> {
    if (!this.registry?.getAttachmentContent) throw new UnsupportedError('Attached artifacts need "registryUrl" (the registry behind this Docker Hub connection) in its settings');
    const [ns, name] = splitRepository(repository);
    return this.registry.getAttachmentContent(`${ns}/${name}`, attachment, signal);
  }

  async getAttachedReport(repository: string, attachment: Attachment, target: ReportTarget, signal?: AbortSignal): Promise<ParsedReport> {
    if (!this.registry?.getAttachedReport) throw new UnsupportedError('Attached artifacts need "registryUrl" (the registry behind this Docker Hub connection) in its settings');
    const [ns, name] = splitRepository(repository);
    return this.registry.getAttachedReport(`${ns}/${name}`, attachment, target, signal);
  }

  async verifyAttachments(repository: string, digest: string, attachments: readonly Attachment[], publicKeyPem: string, signal?: AbortSignal): Promise<LayerVerification[]> {
    if (!this.registry?.verifyAttachments) throw new UnsupportedError('Attached artifacts need "registryUrl" (the registry behind this Docker Hub connection) in its settings');
    const [ns, name] = splitRepository(repository);
    return this.registry.verifyAttachments(`${ns}/${name}`, digest, attachments, publicKeyPem, signal);
  }

  async getImageDetails(repository: string, reference: string, signal?: AbortSignal): Promise<ImageDetails> {
    if (!this.registry?.getImageDetails) throw new UnsupportedError('Image details need "registryUrl" (the registry behind this Docker Hub connection) in its settings');
    const [ns, name] = splitRepository(repository);
    // The repository's overview (its full description) rides along; without it the details still show.
    const [details, overview] = await Promise.all([
      this.registry.getImageDetails(`${ns}/${name}`, reference, signal),
      this.hub.getRepository(ns, name, signal).then(
        (r) => r.fullDescription?.trim() || undefined,
        () => undefined,
      ),
    ]);
    return overview ? { ...details, overview } : details;
  }

  /** Hub deletes a tag, not the manifest, so only the tag itself is affected. */
  async planDeleteTag(repository: string, tag: string, signal?: AbortSignal): Promise<DeletePlan> {
    const [ns, name] = splitRepository(repository);
    checkTagName(tag);
    const body = await this.client.get(this.client.url(`/v2/namespaces/${seg(ns)}/repositories/${seg(name)}/tags/${seg(tag)}`), s.tag, `tag ${ns}/${name}:${tag}`, 'optional', signal);
    const t = toTag(body);
    return { repository: `${ns}/${name}`, tag, digest: t.digest ?? '', affectedTags: [tag], byDigest: false };
  }

  /** `DELETE /v2/repositories/{ns}/{repo}/tags/{tag}/` (hub-tool; not in the published spec). */
  async deleteTag(plan: DeletePlan, signal?: AbortSignal): Promise<void> {
    const [ns, name] = splitRepository(plan.repository);
    checkTagName(plan.tag);
    // The confirmed plan: the tag must still point at the digest the confirmation named.
    const now = await unlessGone(this.planDeleteTag(plan.repository, plan.tag, signal));
    checkPlanHolds(plan, { digest: now?.digest });
    await this.client.call('DELETE', this.client.url(`/v2/repositories/${seg(ns)}/${seg(name)}/tags/${seg(plan.tag)}/`), { auth: 'required', signal, what: `tag ${ns}/${name}:${plan.tag}` });
  }

  pullHost(): string {
    const registry = hubRegistryUrl(this.ctx);
    if (!registry) return new URL(this.ctx.connection.url).host;
    const host = new URL(registry).host;
    // Docker's own registry is referred to as docker.io in image references.
    return host === 'registry-1.docker.io' || host === 'index.docker.io' ? 'docker.io' : host;
  }

  resetAuth(): void {
    this.client.resetAuth();
    this.scout?.reset();
    this.registry?.resetAuth();
  }

  dispose(): void {
    this.registry?.dispose();
    this.ownTransport?.http.dispose();
    this.scoutTransport?.http.dispose();
  }
}

/** Builds the provider for one configured registry (the descriptor's loader returns this). */
export function createProvider(ctx: ProviderContext): RegistryProvider {
  return new DockerHubProvider(ctx);
}
