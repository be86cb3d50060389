import type { AdminModel } from '../admin';
import type { Credentials, ProviderContext } from '../context';
import { checkPlanHolds, unlessGone } from '../deletePlan';
import { looksLikeDigest } from '../digest';
import { DistributionProvider } from '../distribution';
import { BadResponseError, ForbiddenError, NotFoundError, UnauthorizedError, isRegistryError, toRegistryError } from '../errors';
import { type HttpTransport, transportFor } from '../http';
import { collectAll } from '../paging';
import type { Capabilities, Cursor, DeletePlan, HealthResult, ImageDetails, Namespace, Page, PageOptions, RegistryProvider, Repository, Tag, TagDetails } from '../provider';
import { ghcrAdminModel } from './admin';
import { t } from '../l10n';
import { GitHubApi, type Owner } from './api';
import { DELETE_SCOPES, GitHubClient, READ_SCOPES, scopeList } from './client';
import { toNamespace, toRepository, toTag, versionTags } from './convert';
import type * as s from './schemas';
import { registryBase, splitRepository } from './urls';

export { splitRepository } from './urls';

export interface GhcrProviderOptions {
  transport?: HttpTransport;
}

/** Version ids remembered per `repository@digest` (a delete is planned, then confirmed). */
const MAX_REMEMBERED = 5000;

/**
 * GitHub Container Registry (ghcr.io) and GitHub Enterprise Server: owners (the signed-in account, its organizations,
 * the settings' `namespaces`) → container packages → versions, from GitHub's REST packages API; tag details through
 * the registry's `/v2/` (Basic with the account and token to its token service, then Bearer); deletes by version id
 * after checking the version's digest and tags.
 */
export class GhcrProvider implements RegistryProvider {
  readonly kind = 'ghcr';
  readonly client: GitHubClient;
  readonly api: GitHubApi;
  readonly admin: AdminModel;
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  private readonly registry: DistributionProvider;
  private readonly host: string;
  private me?: Promise<string>;
  /** Owners by lower-case login, as listed or resolved. */
  private readonly owners = new Map<string, Promise<Owner>>();
  private readonly versionIds = new Map<string, number>();

  constructor(
    readonly ctx: ProviderContext,
    opts: GhcrProviderOptions = {},
  ) {
    this.transport = opts.transport ?? transportFor(ctx);
    this.ownsTransport = !opts.transport;
    this.client = new GitHubClient(ctx, this.transport);
    this.api = new GitHubApi(this.client);
    const registryUrl = registryBase(ctx.connection.url, ctx.connection.registryUrl);
    this.host = new URL(registryUrl).host;
    // The registry's token service is on its own origin (ghcr.io/token): the account's token goes to no other realm,
    // whatever the host would allow for other kinds.
    this.registry = new DistributionProvider(
      { ...ctx, connection: { ...ctx.connection, id: `${ctx.connection.id} (registry)`, url: registryUrl, namespaces: undefined, tokenRealms: [] }, allowTokenRealm: undefined, credentials: () => this.registryCredentials() },
      { transport: this.transport },
    );
    this.admin = ghcrAdminModel(this);
  }

  get capabilities(): Capabilities {
    return { namespaces: true, tagDetails: true, deleteTag: true, scanSummary: false };
  }

  /** `/v2/` credentials: the account's login (or the settings' user name) and the same token. */
  async registryCredentials(): Promise<Credentials | undefined> {
    const c = await this.ctx.credentials();
    if (!c?.secret) return undefined;
    const username = c.username || (await this.login().catch(() => undefined)) || 'token';
    return { username, secret: c.secret };
  }

  /** The signed-in account's login (`GET /user`), read once. */
  login(signal?: AbortSignal): Promise<string> {
    if (!this.me) {
      const me = this.api.user(signal).then((u) => u.login);
      me.catch(() => {
        if (this.me === me) this.me = undefined;
      });
      this.me = me;
    }
    return this.me;
  }

  /** `GET /user`: the token works and carries `read:packages` (when GitHub names the token's scopes). */
  async ping(signal?: AbortSignal): Promise<HealthResult> {
    const started = Date.now();
    try {
      const res = await this.client.send({ method: 'GET', path: '/user', what: 'your GitHub account', signal });
      const latencyMs = Date.now() - started;
      const details: Record<string, string> = {};
      const login = (res.json() as { login?: unknown } | null)?.login;
      if (typeof login === 'string') details.account = login.slice(0, 100);
      const scopes = res.header('x-oauth-scopes');
      if (scopes !== undefined) {
        const has = scopeList(scopes);
        details.scopes = has.join(', ') || 'none';
        const missing = READ_SCOPES.filter((r) => !has.includes(r) && !has.includes(r.replace('read:', 'write:')));
        if (missing.length) return { ok: false, latencyMs, checkedAt: Date.now(), details, error: new ForbiddenError(`The token lacks the scope ${missing.join(', ')}, which listing container packages needs`, { status: 403, request: 'GET /user' }) };
      }
      return { ok: true, latencyMs, checkedAt: Date.now(), details };
    } catch (e) {
      return { ok: false, latencyMs: Date.now() - started, checkedAt: Date.now(), error: toRegistryError(e) };
    }
  }

  /** You, then your organizations (`/user/orgs`), then the settings' `namespaces` not listed already. */
  async listNamespaces(cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Namespace>> {
    const items: Namespace[] = [];
    if (cursor === undefined) {
      const me = await this.login(opts.signal);
      this.owners.set(me.toLowerCase(), Promise.resolve({ type: 'self', login: me }));
      items.push(toNamespace(me, 'self'));
    }
    let page: Page<s.GitHubOrganization>;
    try {
      page = await this.api.organizations(cursor, opts.pageSize, opts.signal);
    } catch (e) {
      if (!isRegistryError(e) || e.kind !== 'forbidden') throw e;
      // A token without `read:org` may not list organizations: you and the configured owners are still shown.
      page = { items: [], notice: t("Your organizations are not listed: GitHub lists them only with the read:org scope. Add an organization to the entry's namespaces to show its packages") };
    }
    for (const o of page.items) {
      this.owners.set(o.login.toLowerCase(), Promise.resolve({ type: 'org', login: o.login }));
      items.push(toNamespace(o.login, 'org', o.description));
    }
    if (page.next === undefined) {
      const listed = new Set([...this.owners.keys()]);
      for (const name of this.ctx.connection.namespaces ?? []) if (!listed.has(name.toLowerCase())) items.push(toNamespace(name, 'configured'));
    }
    return { ...page, items };
  }

  /** Who `login` is: you, a listed organization, else an organization or user of that name (tried in that order). */
  ownerOf(login: string, signal?: AbortSignal): Promise<Owner> {
    const key = login.toLowerCase();
    let o = this.owners.get(key);
    if (!o) {
      o = (async (): Promise<Owner> => {
        const me = await this.login(signal);
        if (me.toLowerCase() === key) return { type: 'self', login: me };
        try {
          await this.api.packages({ type: 'org', login }, undefined, 1, signal);
          return { type: 'org', login };
        } catch (e) {
          if (e instanceof NotFoundError) return { type: 'user', login };
          throw e;
        }
      })();
      const mine = o;
      mine.catch(() => {
        if (this.owners.get(key) === mine) this.owners.delete(key);
      });
      if (this.owners.size >= 500) this.owners.clear();
      this.owners.set(key, mine);
    }
    return o;
  }

  /** The container packages of an owner (GitHub orders them by name). */
  async listRepositories(namespace: string | undefined, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Repository>> {
    if (!namespace) throw new BadResponseError('GitHub lists packages per owner');
    const owner = await this.ownerOf(namespace, opts.signal);
    const page = await this.api.packages(owner, cursor, opts.pageSize, opts.signal);
    const filter = opts.nameFilter?.toLowerCase();
    const items = page.items.map((p) => toRepository(p, p.owner?.login ?? owner.login)).filter((r) => !filter || r.name.includes(filter));
    return { ...page, items };
  }

  /** The versions of a package, newest first, each with its tags (untagged ones by digest). */
  async listTags(repository: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<Tag>> {
    const [login, name] = splitRepository(repository);
    const owner = await this.ownerOf(login, opts.signal);
    const page = await this.api.versions(owner, name, cursor, { pageSize: opts.pageSize, signal: opts.signal });
    for (const v of page.items) this.remember(repository, v);
    return { ...page, items: page.items.map(toTag) };
  }

  private remember(repository: string, v: s.GitHubPackageVersion): void {
    if (this.versionIds.size >= MAX_REMEMBERED) this.versionIds.clear();
    this.versionIds.set(`${repository}@${v.name}`, v.id);
  }

  getTagDetails(repository: string, tag: string, signal?: AbortSignal): Promise<TagDetails> {
    return this.registry.getTagDetails(repository, tag, signal);
  }

  getImageDetails(repository: string, reference: string, signal?: AbortSignal): Promise<ImageDetails> {
    return this.registry.getImageDetails(repository, reference, signal);
  }

  /** The version that carries `tag` (or whose digest is `tag`), read through every page of versions. */
  async findVersion(repository: string, tag: string, signal?: AbortSignal): Promise<s.GitHubPackageVersion> {
    const [login, name] = splitRepository(repository);
    const owner = await this.ownerOf(login, signal);
    const all = await collectAll((c) => this.api.versions(owner, name, c, { signal }), `The versions of ${repository}`);
    const byDigest = looksLikeDigest(tag);
    const v = all.find((x) => (byDigest ? x.name === tag : versionTags(x).includes(tag)));
    if (!v) throw new NotFoundError(`${repository}: no version ${byDigest ? 'with the digest' : 'carries the tag'} ${tag}`, { status: 404 });
    this.remember(repository, v);
    return v;
  }

  /** A version holds every tag on it: the plan names them all, and the version's digest. */
  async planDeleteTag(repository: string, tag: string, signal?: AbortSignal): Promise<DeletePlan> {
    const v = await this.findVersion(repository, tag, signal);
    return { repository, tag, digest: v.name, affectedTags: versionTags(v), byDigest: true, undo: t('GitHub keeps the deleted version for 30 days: Deleted Versions under the package restores it.') };
  }

  /**
   * Deletes the version of a confirmed plan by its id, after reading that version again: its digest and tags must be
   * what the user confirmed. Deleting asks for `delete:packages` (only now) when the account's session lacks it.
   */
  async deleteTag(plan: DeletePlan, signal?: AbortSignal): Promise<void> {
    const [login, name] = splitRepository(plan.repository);
    const owner = await this.ownerOf(login, signal);
    const id = this.versionIds.get(`${plan.repository}@${plan.digest}`) ?? (await unlessGone(this.findVersion(plan.repository, plan.digest, signal)))?.id;
    const now = id === undefined ? undefined : await unlessGone(this.api.version(owner, name, id, signal));
    checkPlanHolds(plan, { digest: now?.deleted_at ? undefined : now?.name, affectedTags: now ? versionTags(now) : undefined });
    const creds = await this.elevated(DELETE_SCOPES, `delete ${plan.repository}@${plan.digest}`);
    await this.api.deleteVersion(owner, name, now!.id, creds, signal);
    this.versionIds.delete(`${plan.repository}@${plan.digest}`);
  }

  /** Credentials with `scopes` on top of reading (asked for now, when the account's session lacks them). */
  async elevated(scopes: readonly string[], reason: string): Promise<Credentials | undefined> {
    // A host without accounts, or an entry with a stored token, answers undefined: the entry's own credentials.
    const c = (await this.ctx.elevate?.(scopes, reason)) ?? (await this.ctx.credentials());
    if (!c?.secret) throw new UnauthorizedError(`GitHub: sign in with the ${scopes.join(', ')} scope to ${reason}`);
    return c;
  }

  pullHost(): string {
    return this.host;
  }

  resetAuth(): void {
    this.me = undefined;
    this.owners.clear();
    this.registry.resetAuth();
  }

  dispose(): void {
    this.registry.dispose();
    if (this.ownsTransport) this.transport.dispose();
  }
}

export function createProvider(ctx: ProviderContext): RegistryProvider {
  return new GhcrProvider(ctx);
}
