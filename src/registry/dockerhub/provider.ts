import type { ProviderContext } from '../context';
import { BadResponseError, UnsupportedError, toRegistryError } from '../errors';
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
  RepositoryInput,
  ResourceItem,
  Tag,
  TagDetails,
} from '../provider';
import { HubClient, orUndefinedOn404, type HubClientOptions, type HubTransport } from './client';
import {
  repositoryOrderings,
  toAuditEvent,
  toOrgAccessToken,
  toOrgGroup,
  toOrgMember,
  toPat,
  toRepository,
  toRepositoryInfo,
  toTag,
  type AuditEvent,
  type AuditLogQuery,
  type CreateRepositoryInput,
  type CreatedOrgAccessToken,
  type CreatedPersonalAccessToken,
  type GroupMember,
  type HubRateLimit,
  type HubRepositoryInfo,
  type OrgAccessToken,
  type OrgAccessTokenResource,
  type OrgGroup,
  type OrgMember,
  type PersonalAccessToken,
  type RepositoryOrdering,
  type UpdateRepositoryInput,
} from './model';
import * as s from './schemas';
import { hubRegistrySide, hubRegistryUrl, type HubRegistrySide } from './registrySide';
import { ACCOUNT_ROOT, hubResourceChildren, policiesRoot } from './resources';
import { hubTransportFor } from './transport';
import { splitRepository } from './names';
import { checkTagName } from '../names';

export { splitRepository };

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
}

export interface RepositoryPageOptions extends PageOptions {
  /** Partial-match filter on the repository name. */
  name?: string;
  ordering?: RepositoryOrdering;
}

const MAX_PAGE = 100;

function pageSize(opts?: PageOptions): number {
  const n = opts?.pageSize ?? MAX_PAGE;
  return Math.max(1, Math.min(MAX_PAGE, Math.floor(n)));
}


const seg = encodeURIComponent;

/**
 * Hub-only operations (repository settings, immutable tags, tokens, organizations, audit log), typed for the
 * commands and webview forms. Lists return one page per call with an opaque cursor, like the provider.
 */
export class HubApi {
  constructor(
    private readonly client: HubClient,
    private readonly defaultOrdering?: RepositoryOrdering,
  ) {}

  /** The signed-in account (`GET /v2/user/`, hub-tool; not in the published spec). */
  async whoami(signal?: AbortSignal): Promise<{ username: string; fullName?: string; company?: string; location?: string; dateJoined?: string }> {
    const u = await this.client.get(this.client.url('/v2/user/'), s.hubUser, 'your account', 'required', signal);
    return { username: u.username, fullName: u.full_name ?? undefined, company: u.company || undefined, location: u.location || undefined, dateJoined: u.date_joined ?? undefined };
  }

  // ---- repositories ----

  async listRepositories(namespace: string, cursor: Cursor | undefined, opts: RepositoryPageOptions = {}): Promise<Page<Repository>> {
    const ordering = opts.ordering ?? this.defaultOrdering;
    if (ordering !== undefined && !(repositoryOrderings as readonly string[]).includes(ordering)) {
      throw new UnsupportedError(`Docker Hub cannot order repositories by "${String(ordering)}"`);
    }
    const what = `the repositories of ${namespace}`;
    const first = this.client.url(`/v2/namespaces/${seg(namespace)}/repositories`, { page_size: pageSize(opts), name: opts.name, ordering });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.repositoryListPage, toRepository, what, 'optional', opts.signal);
  }

  async getRepository(namespace: string, name: string, signal?: AbortSignal): Promise<HubRepositoryInfo> {
    const body = await this.client.get(this.client.url(`/v2/namespaces/${seg(namespace)}/repositories/${seg(name)}`), s.repositoryInfo, `repository ${namespace}/${name}`, 'optional', signal);
    return toRepositoryInfo(body);
  }

  async createRepository(input: CreateRepositoryInput, signal?: AbortSignal): Promise<HubRepositoryInfo> {
    const json: Record<string, unknown> = { name: input.name, namespace: input.namespace, is_private: input.isPrivate ?? false };
    if (input.description !== undefined) json.description = input.description;
    if (input.fullDescription !== undefined) json.full_description = input.fullDescription;
    const body = await this.client.call('POST', this.client.url(`/v2/namespaces/${seg(input.namespace)}/repositories`), { schema: s.repositoryInfo, json, auth: 'required', signal, what: `the new repository ${input.namespace}/${input.name}` });
    return toRepositoryInfo(body);
  }

  /**
   * Edits the descriptions (`PATCH /v2/repositories/{ns}/{repo}/`) and, when asked, the visibility
   * (`POST …/privacy/`). Neither is in the published spec; both are what Hub's own UI and hub-tool use.
   */
  async updateRepository(namespace: string, name: string, input: UpdateRepositoryInput, signal?: AbortSignal): Promise<HubRepositoryInfo> {
    const base = `/v2/repositories/${seg(namespace)}/${seg(name)}`;
    const json: Record<string, unknown> = {};
    if (input.description !== undefined) json.description = input.description;
    if (input.fullDescription !== undefined) json.full_description = input.fullDescription;
    let info: HubRepositoryInfo | undefined;
    if (Object.keys(json).length > 0) {
      info = toRepositoryInfo(await this.client.call('PATCH', this.client.url(`${base}/`), { schema: s.repositoryInfo, json, auth: 'required', signal, what: `the updated repository ${namespace}/${name}` }));
    }
    if (input.isPrivate !== undefined && info?.isPrivate !== input.isPrivate) {
      await this.client.call('POST', this.client.url(`${base}/privacy/`), { schema: s.privacyResponse, json: { is_private: input.isPrivate }, auth: 'required', signal, what: `the visibility of ${namespace}/${name}` });
      info = undefined;
    }
    return info ?? this.getRepository(namespace, name, signal);
  }

  /** Deletes a repository and all its tags (`DELETE /v2/repositories/{ns}/{repo}/`, outside the published spec). */
  async deleteRepository(namespace: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', this.client.url(`/v2/repositories/${seg(namespace)}/${seg(name)}/`), { auth: 'required', signal, what: `repository ${namespace}/${name}` });
  }

  // ---- immutable tags ----

  async getImmutableTags(namespace: string, name: string, signal?: AbortSignal): Promise<{ enabled: boolean; rules: string[] }> {
    return (await this.getRepository(namespace, name, signal)).immutableTags;
  }

  async setImmutableTags(namespace: string, name: string, settings: { enabled: boolean; rules: string[] }, signal?: AbortSignal): Promise<{ enabled: boolean; rules: string[] }> {
    const body = await this.client.call('PATCH', this.client.url(`/v2/namespaces/${seg(namespace)}/repositories/${seg(name)}/immutabletags`), {
      schema: s.repositoryInfo,
      json: { immutable_tags: settings.enabled, immutable_tags_rules: settings.rules },
      auth: 'required',
      signal,
      what: `the immutable-tag settings of ${namespace}/${name}`,
    });
    return toRepositoryInfo(body).immutableTags;
  }

  /** The tags of the repository a rule (regular expression) would make immutable, before saving it. */
  async verifyImmutableTags(namespace: string, name: string, regex: string, signal?: AbortSignal): Promise<string[]> {
    const body = await this.client.call('POST', this.client.url(`/v2/namespaces/${seg(namespace)}/repositories/${seg(name)}/immutabletags/verify`), {
      schema: s.immutableTagsVerifyResponse,
      json: { regex },
      auth: 'required',
      signal,
      what: `the immutable-tag check for ${namespace}/${name}`,
    });
    return body.tags;
  }

  // ---- personal access tokens ----

  async listPersonalAccessTokens(cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<PersonalAccessToken>> {
    const what = 'the personal access tokens';
    const first = this.client.url('/v2/access-tokens', { page: 1, page_size: pageSize(opts) });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.accessTokenPage, toPat, what, 'required', opts.signal);
  }

  /** Creates a token; the returned `secret` is the only time Hub reveals it. */
  async createPersonalAccessToken(input: { label: string; scopes: string[]; expiresAt?: string }, signal?: AbortSignal): Promise<CreatedPersonalAccessToken> {
    const json: Record<string, unknown> = { token_label: input.label, scopes: input.scopes };
    if (input.expiresAt) json.expires_at = input.expiresAt;
    const body = await this.client.call('POST', this.client.url('/v2/access-tokens'), { schema: s.accessToken, json, auth: 'required', signal, what: 'the new personal access token' });
    if (!body.token) throw new BadResponseError('Docker Hub created the token but did not return its secret');
    return { ...toPat(body), secret: body.token };
  }

  async setPersonalAccessTokenActive(uuid: string, active: boolean, signal?: AbortSignal): Promise<PersonalAccessToken> {
    const body = await this.client.call('PATCH', this.client.url(`/v2/access-tokens/${seg(uuid)}`), { schema: s.accessToken, json: { is_active: active }, auth: 'required', signal, what: 'the updated personal access token' });
    return toPat(body);
  }

  async deletePersonalAccessToken(uuid: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', this.client.url(`/v2/access-tokens/${seg(uuid)}`), { auth: 'required', signal, what: 'the personal access token' });
  }

  // ---- organizations ----

  async listOrgMembers(org: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<OrgMember>> {
    const what = `the members of ${org}`;
    const first = this.client.url(`/v2/orgs/${seg(org)}/members`, { page: 1, page_size: pageSize(opts) });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.orgMembersResponse, toOrgMember, what, 'required', opts.signal);
  }

  async listGroups(org: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<OrgGroup>> {
    const what = `the groups of ${org}`;
    const first = this.client.url(`/v2/orgs/${seg(org)}/groups`, { page: 1, page_size: pageSize(opts) });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.orgGroupPage, toOrgGroup, what, 'required', opts.signal);
  }

  async listGroupMembers(org: string, group: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<GroupMember>> {
    const what = `the members of group ${group} in ${org}`;
    const first = this.client.url(`/v2/orgs/${seg(org)}/groups/${seg(group)}/members`, { page: 1, page_size: pageSize(opts) });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.groupMemberPage, (m) => ({ username: m.username, fullName: m.full_name ?? undefined, email: m.email || undefined }), what, 'required', opts.signal);
  }

  async addGroupMember(org: string, group: string, username: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('POST', this.client.url(`/v2/orgs/${seg(org)}/groups/${seg(group)}/members`), { json: { member: username }, auth: 'required', signal, what: `group ${group} in ${org}` });
  }

  async removeGroupMember(org: string, group: string, username: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', this.client.url(`/v2/orgs/${seg(org)}/groups/${seg(group)}/members/${seg(username)}`), { auth: 'required', signal, what: `${username} in group ${group} of ${org}` });
  }

  async listOrgAccessTokens(org: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<OrgAccessToken>> {
    const what = `the access tokens of ${org}`;
    const first = this.client.url(`/v2/orgs/${seg(org)}/access-tokens`, { page: 1, page_size: pageSize(opts) });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.orgAccessTokenPage, toOrgAccessToken, what, 'required', opts.signal);
  }

  async createOrgAccessToken(org: string, input: { label: string; resources: OrgAccessTokenResource[]; expiresAt?: string }, signal?: AbortSignal): Promise<CreatedOrgAccessToken> {
    const json: Record<string, unknown> = { label: input.label, resources: input.resources, expires_at: input.expiresAt ?? null };
    const body = await this.client.call('POST', this.client.url(`/v2/orgs/${seg(org)}/access-tokens`), { schema: s.orgAccessToken, json, auth: 'required', signal, what: `the new access token of ${org}` });
    if (!body.token) throw new BadResponseError('Docker Hub created the token but did not return its secret');
    return { ...toOrgAccessToken(body), secret: body.token };
  }

  async setOrgAccessTokenActive(org: string, id: string, active: boolean, signal?: AbortSignal): Promise<OrgAccessToken> {
    const body = await this.client.call('PATCH', this.client.url(`/v2/orgs/${seg(org)}/access-tokens/${seg(id)}`), { schema: s.orgAccessToken, json: { is_active: active }, auth: 'required', signal, what: `the access token of ${org}` });
    return toOrgAccessToken(body);
  }

  /** Revokes (deletes) an organization access token. */
  async revokeOrgAccessToken(org: string, id: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', this.client.url(`/v2/orgs/${seg(org)}/access-tokens/${seg(id)}`), { auth: 'required', signal, what: `the access token of ${org}` });
  }

  /**
   * One page of an account's audit log, newest first. Hub's response has no `next` link, so the cursor is the next
   * page number, offered while a page comes back full.
   */
  async listAuditLog(account: string, cursor: Cursor | undefined, opts: PageOptions & AuditLogQuery = {}): Promise<Page<AuditEvent>> {
    const size = pageSize(opts);
    const page = cursor === undefined ? 1 : Number(cursor);
    if (!Number.isInteger(page) || page < 1) throw new UnsupportedError(`Invalid audit log cursor ${cursor ?? ''}`);
    const url = this.client.url(`/v2/auditlogs/${seg(account)}`, { page, page_size: size, action: opts.action, name: opts.name, actor: opts.actor, from: opts.from, to: opts.to });
    const body = await this.client.get(url, s.auditLogsResponse, `the audit log of ${account}`, 'required', opts.signal);
    const result: Page<AuditEvent> = { items: body.logs.map(toAuditEvent) };
    if (body.logs.length >= size) result.next = String(page + 1);
    return result;
  }
}

/** Docker Hub (Hub API v2 + the registry behind it). */
export class DockerHubProvider implements RegistryProvider {
  readonly kind = 'dockerhub';
  readonly capabilities: Capabilities;
  readonly hub: HubApi;
  private readonly client: HubClient;
  private readonly registry?: HubRegistrySide;
  private readonly ownTransport?: { http: { dispose(): void } };

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
    this.capabilities = {
      namespaces: true,
      listRepositories: true,
      tags: true,
      serverTagPaging: true,
      tagDetails: !!this.registry?.getTagDetails,
      deleteTag: true,
      editRepository: true,
      policies: true,
      scanSummary: false,
      health: true,
      account: true,
      serverRepositoryFilter: true,
      repositoryOrderings: repositoryOrderings,
    };
  }

  // ---- Account and Policies nodes ----

  /** The Account node, shown when credentials are set (every call under it needs a sign-in). */
  async accountItems(): Promise<ResourceItem[]> {
    return (await this.client.hasCredentials()) ? [ACCOUNT_ROOT] : [];
  }

  async policyItems(repository: string): Promise<ResourceItem[]> {
    return Promise.resolve([policiesRoot(splitRepository(repository).join('/'))]);
  }

  listResourceChildren(item: ResourceItem, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<ResourceItem>> {
    return hubResourceChildren(this.hub, (signal) => this.organizations(signal), item, cursor, opts);
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

  // ---- repository editing ----

  async createRepository(input: RepositoryInput, signal?: AbortSignal): Promise<void> {
    await this.hub.createRepository(input, signal);
  }

  async getRepositorySettings(repository: string, signal?: AbortSignal): Promise<RepositoryInput> {
    const [ns, name] = splitRepository(repository);
    const r = await this.hub.getRepository(ns, name, signal);
    return { namespace: ns, name, description: r.description ?? '', fullDescription: r.fullDescription ?? '', isPrivate: r.isPrivate ?? false };
  }

  async updateRepository(repository: string, input: Omit<RepositoryInput, 'namespace' | 'name'>, signal?: AbortSignal): Promise<void> {
    const [ns, name] = splitRepository(repository);
    await this.hub.updateRepository(ns, name, input, signal);
  }

  async deleteRepository(repository: string, signal?: AbortSignal): Promise<void> {
    const [ns, name] = splitRepository(repository);
    await this.hub.deleteRepository(ns, name, signal);
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
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.tagPage, toTag, what, 'optional', opts.signal);
  }

  async getTagDetails(repository: string, tag: string, signal?: AbortSignal): Promise<TagDetails> {
    if (!this.registry?.getTagDetails) throw new UnsupportedError('Tag details need "registryUrl" (the registry behind this Docker Hub connection) in its settings');
    const [ns, name] = splitRepository(repository);
    return this.registry.getTagDetails(`${ns}/${name}`, tag, signal);
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
    this.registry?.resetAuth();
  }

  dispose(): void {
    this.registry?.dispose();
    this.ownTransport?.http.dispose();
  }
}
