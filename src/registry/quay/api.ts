import type * as z from 'zod';
import { BadResponseError, NotFoundError, isRegistryError } from '../errors';
import type { Cursor, Page, PageOptions } from '../provider';
import { requireVerifiableDigest } from '../digest';
import { checkTagName } from '../names';
import { MAX_LIST_PAGES } from '../paging';
import { registerSecret } from '../redact';
import { QUAY_PAGE, type QuayClient, pageNumber, repoPath, seg, tokenPage } from './client';
import * as s from './schemas';

export type Role = 'read' | 'write' | 'admin';
export type TeamRole = 'member' | 'creator' | 'admin';

export interface RepoPermission {
  kind: 'user' | 'team';
  name: string;
  role: Role;
  isRobot?: boolean;
}

export interface TagPageOptions extends PageOptions {
  /** False: include inactive (deleted, expired, moved) tags (Tag history). */
  onlyActive?: boolean;
  /** One tag by name (`specificTag`). */
  specificTag?: string;
}

export interface LogRange {
  /** `MM/DD/YYYY` in UTC, as Quay's `starttime` / `endtime` take them. */
  start?: string;
  end?: string;
}

/** The body of `createProxyCacheConfig` and `validateProxyCacheConfig`. */
export interface ProxyCacheConfig {
  upstream_registry: string;
  upstream_registry_username?: string;
  upstream_registry_password?: string;
  expiration_s?: number;
  insecure?: boolean;
}

/** A date (ISO or `YYYY-MM-DD`) as Quay's log range format `MM/DD/YYYY` (UTC). */
export function logDate(value: string): string {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new BadResponseError(`"${value}" is not a date`);
  const d = new Date(ms);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

/** Quay's `/api/v1` operations, typed; lists return one page per call with an opaque cursor. */
export class QuayApi {
  constructor(readonly client: QuayClient) {}

  // ---- account and namespaces ----

  user(signal?: AbortSignal): Promise<s.QuayUser> {
    return this.client.json({ method: 'GET', path: '/user/', scope: 'user:read', what: 'your Quay account', signal }, s.user);
  }

  organization(org: string, signal?: AbortSignal): Promise<z.infer<typeof s.organization>> {
    return this.client.json({ method: 'GET', path: `/organization/${seg(org, 'organization')}`, scope: 'user:read', what: `organization ${org}`, signal }, s.organization);
  }

  async setOrgTagExpiration(org: string, seconds: number, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'PUT', path: `/organization/${seg(org, 'organization')}`, json: { tag_expiration_s: seconds }, scope: 'org:admin', what: `the settings of organization ${org}`, signal });
  }

  // ---- repositories ----

  async listRepositories(namespace: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<s.QuayRepository>> {
    const body = await this.client.json(
      {
        method: 'GET',
        path: '/repository',
        query: { namespace, last_modified: true, popularity: true, next_page: cursor },
        scope: 'repo:read',
        what: `the repositories of ${namespace}`,
        signal: opts.signal,
      },
      s.repositoryList,
    );
    return tokenPage(body.repositories, cursor, body.next_page, `the repositories of ${namespace}`);
  }

  repository(repository: string, signal?: AbortSignal): Promise<s.QuayRepositoryInfo> {
    return this.client.json({ method: 'GET', path: repoPath(repository), scope: 'repo:read', what: `repository ${repository}`, signal }, s.repositoryInfo);
  }

  async createRepository(namespace: string, name: string, input: { description: string; visibility: 'public' | 'private' }, signal?: AbortSignal): Promise<void> {
    seg(namespace, 'namespace');
    seg(name, 'repository name');
    await this.client.send({
      method: 'POST',
      path: '/repository',
      json: { namespace, repository: name, description: input.description, visibility: input.visibility, repo_kind: 'image' },
      scope: 'repo:create',
      what: `repository ${namespace}/${name}`,
      signal,
    });
  }

  async setDescription(repository: string, description: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'PUT', path: repoPath(repository), json: { description }, scope: 'repo:write', what: `the description of ${repository}`, signal });
  }

  async setVisibility(repository: string, visibility: 'public' | 'private', signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `${repoPath(repository)}/changevisibility`, json: { visibility }, scope: 'repo:admin', what: `the visibility of ${repository}`, signal });
  }

  async setState(repository: string, state: s.RepositoryState, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'PUT', path: `${repoPath(repository)}/changestate`, json: { state }, scope: 'repo:admin', what: `the state of ${repository}`, signal });
  }

  async deleteRepository(repository: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: repoPath(repository), scope: 'repo:admin', what: `repository ${repository}`, signal });
  }

  // ---- tags ----

  async listTags(repository: string, cursor: Cursor | undefined, opts: TagPageOptions = {}): Promise<Page<s.QuayTag>> {
    const page = pageNumber(cursor);
    const limit = Math.max(1, Math.min(QUAY_PAGE, Math.floor(opts.pageSize ?? QUAY_PAGE)));
    const body = await this.client.json(
      {
        method: 'GET',
        path: `${repoPath(repository)}/tag/`,
        query: { page, limit, onlyActiveTags: opts.onlyActive ?? true, specificTag: opts.specificTag },
        scope: 'repo:read',
        what: `the tags of ${repository}`,
        signal: opts.signal,
      },
      s.tagList,
    );
    if (!body.has_additional) return { items: body.tags };
    // A server that answers another page than asked would loop; one that always has more stops at the shared cap.
    const what = `The tags of ${repository}`;
    if (body.page !== page) return { items: body.tags, error: new BadResponseError(`${what}: the registry answered page ${body.page} when asked for page ${page}; the list stops here`) };
    // An empty page that claims more would be offered again and again ("Load more" loading nothing).
    if (body.tags.length === 0) return { items: [], error: new BadResponseError(`${what}: the registry sent an empty page ${page} that claims more tags; the list stops here`) };
    if (page >= MAX_LIST_PAGES) return { items: body.tags, error: new BadResponseError(`${what}: more than ${MAX_LIST_PAGES.toLocaleString('en')} pages; the list stops here`) };
    return { items: body.tags, next: String(page + 1) };
  }

  /** The active tag of that name, or NotFoundError. */
  async tag(repository: string, tag: string, signal?: AbortSignal): Promise<s.QuayTag> {
    checkTagName(tag);
    const page = await this.listTags(repository, undefined, { specificTag: tag, signal, pageSize: QUAY_PAGE });
    const hit = page.items.find((t) => t.name === tag && isActive(t));
    if (!hit) throw new NotFoundError(`Tag ${tag} of ${repository}: not found`);
    return hit;
  }

  async putTag(repository: string, tag: string, body: { manifest_digest?: string; expiration?: number | null }, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'PUT', path: `${repoPath(repository)}/tag/${checkTagName(tag)}`, json: body, scope: 'repo:write', what: `tag ${tag} of ${repository}`, signal });
  }

  async deleteTag(repository: string, tag: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: `${repoPath(repository)}/tag/${checkTagName(tag)}`, scope: 'repo:write', what: `tag ${tag} of ${repository}`, signal });
  }

  async restoreTag(repository: string, tag: string, digest: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `${repoPath(repository)}/tag/${checkTagName(tag)}/restore`, json: { manifest_digest: digest }, scope: 'repo:write', what: `tag ${tag} of ${repository}`, signal });
  }

  // ---- manifests ----

  async manifest(repository: string, digest: string, signal?: AbortSignal): Promise<z.infer<typeof s.manifest>> {
    return this.client.json({ method: 'GET', path: `${repoPath(repository)}/manifest/${seg(requireVerifiableDigest(digest, `Manifest ${digest.slice(0, 80)} of ${repository}`), 'digest')}`, scope: 'repo:read', what: `manifest ${digest} of ${repository}`, signal }, s.manifest);
  }

  async security(repository: string, digest: string, signal?: AbortSignal): Promise<unknown> {
    const res = await this.client.send({
      method: 'GET',
      path: `${repoPath(repository)}/manifest/${seg(requireVerifiableDigest(digest, `Manifest ${digest.slice(0, 80)} of ${repository}`), 'digest')}/security`,
      query: { vulnerabilities: true },
      scope: 'repo:read',
      what: `the security report of ${repository}@${digest}`,
      signal,
    });
    return res.json();
  }

  async labels(repository: string, digest: string, signal?: AbortSignal): Promise<s.QuayLabel[]> {
    const body = await this.client.json({ method: 'GET', path: `${repoPath(repository)}/manifest/${seg(requireVerifiableDigest(digest, `Manifest ${digest.slice(0, 80)} of ${repository}`), 'digest')}/labels`, scope: 'repo:read', what: `the labels of ${repository}@${digest}`, signal }, s.labelList);
    return body.labels;
  }

  async addLabel(repository: string, digest: string, key: string, value: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `${repoPath(repository)}/manifest/${seg(requireVerifiableDigest(digest, `Manifest ${digest.slice(0, 80)} of ${repository}`), 'digest')}/labels`, json: { key, value }, scope: 'repo:write', what: `label ${key} on ${repository}@${digest}`, signal });
  }

  async deleteLabel(repository: string, digest: string, id: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: `${repoPath(repository)}/manifest/${seg(requireVerifiableDigest(digest, `Manifest ${digest.slice(0, 80)} of ${repository}`), 'digest')}/labels/${seg(id, 'label id')}`, scope: 'repo:write', what: `a label of ${repository}@${digest}`, signal });
  }

  // ---- permissions ----

  async permissions(repository: string, signal?: AbortSignal): Promise<RepoPermission[]> {
    const [users, teams] = await Promise.all([
      this.client.json({ method: 'GET', path: `${repoPath(repository)}/permissions/user/`, scope: 'repo:admin', what: `the user permissions of ${repository}`, signal }, s.permissionMap),
      this.client
        .json({ method: 'GET', path: `${repoPath(repository)}/permissions/team/`, scope: 'repo:admin', what: `the team permissions of ${repository}`, signal }, s.permissionMap)
        .catch((e: unknown) => {
          // User namespaces have no teams: Quay answers 404 (or 400) there.
          if (isRegistryError(e) && (e.status === 404 || e.status === 400)) return { permissions: {} };
          throw e;
        }),
    ]);
    const out: RepoPermission[] = [];
    for (const [name, p] of Object.entries(users.permissions)) out.push({ kind: 'user', name, role: p.role, isRobot: p.is_robot ?? undefined });
    for (const [name, p] of Object.entries(teams.permissions)) out.push({ kind: 'team', name, role: p.role });
    return out;
  }

  async setPermission(repository: string, kind: 'user' | 'team', name: string, role: Role, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'PUT', path: `${repoPath(repository)}/permissions/${kind}/${seg(name, kind)}`, json: { role }, scope: 'repo:admin', what: `the permission of ${kind} ${name} on ${repository}`, signal });
  }

  async removePermission(repository: string, kind: 'user' | 'team', name: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: `${repoPath(repository)}/permissions/${kind}/${seg(name, kind)}`, scope: 'repo:admin', what: `the permission of ${kind} ${name} on ${repository}`, signal });
  }

  // ---- teams ----

  async teams(org: string, signal?: AbortSignal): Promise<s.QuayTeam[]> {
    const o = await this.organization(org, signal);
    return Object.values(o.teams ?? {});
  }

  async putTeam(org: string, team: string, role: TeamRole, description: string | undefined, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'PUT', path: `/organization/${seg(org, 'organization')}/team/${seg(team, 'team')}`, json: { role, ...(description ? { description } : {}) }, scope: 'org:admin', what: `team ${team} of ${org}`, signal });
  }

  async deleteTeam(org: string, team: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: `/organization/${seg(org, 'organization')}/team/${seg(team, 'team')}`, scope: 'org:admin', what: `team ${team} of ${org}`, signal });
  }

  async teamMembers(org: string, team: string, signal?: AbortSignal): Promise<z.infer<typeof s.teamMember>[]> {
    // includePending: invited users (and e-mail invitations) are listed too, marked `invited`.
    const body = await this.client.json(
      { method: 'GET', path: `/organization/${seg(org, 'organization')}/team/${seg(team, 'team')}/members`, query: { includePending: true }, scope: 'org:admin', what: `the members of team ${team}`, signal },
      s.teamMembers,
    );
    return body.members;
  }

  async addTeamMember(org: string, team: string, member: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'PUT', path: `/organization/${seg(org, 'organization')}/team/${seg(team, 'team')}/members/${seg(member, 'member')}`, scope: 'org:admin', what: `${member} in team ${team}`, signal });
  }

  /** Removes a member or a pending invitation of a user; an e-mail invitation (`email`) is withdrawn through `/invite/`. */
  async removeTeamMember(org: string, team: string, member: string, signal?: AbortSignal): Promise<void> {
    const which = member.includes('@') ? `invite/${seg(member, 'e-mail address')}` : `members/${seg(member, 'member')}`;
    await this.client.send({ method: 'DELETE', path: `/organization/${seg(org, 'organization')}/team/${seg(team, 'team')}/${which}`, scope: 'org:admin', what: `${member} in team ${team}`, signal });
  }

  // ---- robots (organization, or the signed-in user's when `org` is undefined) ----

  private robotsBase(org: string | undefined): string {
    return org === undefined ? '/user/robots' : `/organization/${seg(org, 'organization')}/robots`;
  }

  private robotScope(org: string | undefined): 'org:admin' | 'user:admin' {
    return org === undefined ? 'user:admin' : 'org:admin';
  }

  async robots(org: string | undefined, signal?: AbortSignal): Promise<s.QuayRobot[]> {
    // token=false always: Quay includes every robot's token in the listing otherwise.
    const body = await this.client.json(
      { method: 'GET', path: this.robotsBase(org), query: { permissions: true, token: false }, scope: this.robotScope(org), what: `the robot accounts of ${org ?? 'your account'}`, signal },
      s.robotList,
    );
    // A server that sends the tokens anyway: they are dropped, and registered so no message can show them.
    for (const r of body.robots) if (r.token) registerSecret(r.token);
    return body.robots.map((r) => ({ ...r, token: undefined }));
  }

  /** The repositories a robot may use, with its role on each. */
  async robotPermissions(org: string | undefined, shortname: string, signal?: AbortSignal): Promise<{ repository: string; role: string }[]> {
    // The discovery document declares user:admin for both getUserRobotPermissions and getOrgRobotPermissions.
    const body = await this.client.json(
      { method: 'GET', path: `${this.robotsBase(org)}/${seg(shortname, 'robot name')}/permissions`, scope: 'user:admin', what: `the permissions of robot ${shortname}`, signal },
      s.robotPermissions,
    );
    return body.permissions.map((p) => ({ repository: p.repository?.name ?? '?', role: p.role }));
  }

  async createRobot(org: string | undefined, shortname: string, description: string | undefined, signal?: AbortSignal): Promise<{ name: string; token: string }> {
    const body = await this.client.json(
      { method: 'PUT', path: `${this.robotsBase(org)}/${seg(shortname, 'robot name')}`, json: description ? { description } : {}, scope: this.robotScope(org), what: `robot ${shortname}`, signal },
      s.robotWithToken,
    );
    registerSecret(body.token);
    return { name: body.name, token: body.token };
  }

  async regenerateRobot(org: string | undefined, shortname: string, signal?: AbortSignal): Promise<{ name: string; token: string }> {
    const body = await this.client.json(
      { method: 'POST', path: `${this.robotsBase(org)}/${seg(shortname, 'robot name')}/regenerate`, scope: this.robotScope(org), what: `the token of robot ${shortname}`, signal },
      s.robotWithToken,
    );
    registerSecret(body.token);
    return { name: body.name, token: body.token };
  }

  async deleteRobot(org: string | undefined, shortname: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: `${this.robotsBase(org)}/${seg(shortname, 'robot name')}`, scope: this.robotScope(org), what: `robot ${shortname}`, signal });
  }

  // ---- notifications ----

  async notifications(repository: string, signal?: AbortSignal): Promise<s.QuayNotification[]> {
    const body = await this.client.json({ method: 'GET', path: `${repoPath(repository)}/notification/`, scope: 'repo:admin', what: `the notifications of ${repository}`, signal }, s.notificationList);
    return body.notifications;
  }

  async createNotification(repository: string, input: { event: string; method: string; config: Record<string, unknown>; eventConfig: Record<string, unknown>; title?: string }, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `${repoPath(repository)}/notification/`, json: input, scope: 'repo:admin', what: `a notification of ${repository}`, signal });
  }

  async testNotification(repository: string, uuid: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `${repoPath(repository)}/notification/${seg(uuid, 'id')}/test`, scope: 'repo:admin', what: `notification ${uuid}`, signal });
  }

  async resetNotification(repository: string, uuid: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `${repoPath(repository)}/notification/${seg(uuid, 'id')}`, scope: 'repo:admin', what: `notification ${uuid}`, signal });
  }

  async deleteNotification(repository: string, uuid: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: `${repoPath(repository)}/notification/${seg(uuid, 'id')}`, scope: 'repo:admin', what: `notification ${uuid}`, signal });
  }

  // ---- mirroring ----

  /** The mirror configuration, or undefined when none is configured (404). */
  async mirror(repository: string, signal?: AbortSignal): Promise<s.QuayMirror | undefined> {
    try {
      return await this.client.json({ method: 'GET', path: `${repoPath(repository)}/mirror`, scope: 'repo:admin', what: `the mirror configuration of ${repository}`, signal }, s.mirror);
    } catch (e) {
      if (isRegistryError(e) && e.kind === 'notFound') return undefined;
      throw e;
    }
  }

  async saveMirror(repository: string, config: Record<string, unknown>, exists: boolean, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: exists ? 'PUT' : 'POST', path: `${repoPath(repository)}/mirror`, json: config, scope: 'repo:admin', what: `the mirror configuration of ${repository}`, signal });
  }

  async mirrorSync(repository: string, action: 'sync-now' | 'sync-cancel', signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `${repoPath(repository)}/mirror/${action}`, scope: 'repo:admin', what: `mirroring of ${repository}`, signal });
  }

  // ---- auto-prune and immutability policies (organization or repository) ----

  private policyBase(target: { org: string } | { repository: string }, kind: 'autoprunepolicy' | 'immutabilitypolicy'): string {
    return 'org' in target ? `/organization/${seg(target.org, 'organization')}/${kind}/` : `${repoPath(target.repository)}/${kind}/`;
  }

  private policyScope(target: { org: string } | { repository: string }): 'org:admin' | 'repo:admin' {
    return 'org' in target ? 'org:admin' : 'repo:admin';
  }

  private policyWhat(target: { org: string } | { repository: string }, kind: string): string {
    return `the ${kind} policies of ${'org' in target ? target.org : target.repository}`;
  }

  async autoPrunePolicies(target: { org: string } | { repository: string }, signal?: AbortSignal): Promise<s.QuayAutoPrunePolicy[]> {
    const body = await this.client.json({ method: 'GET', path: this.policyBase(target, 'autoprunepolicy'), scope: this.policyScope(target), what: this.policyWhat(target, 'auto-prune'), signal }, s.autoPrunePolicies);
    return body.policies;
  }

  async immutabilityPolicies(target: { org: string } | { repository: string }, signal?: AbortSignal): Promise<s.QuayImmutabilityPolicy[]> {
    const body = await this.client.json({ method: 'GET', path: this.policyBase(target, 'immutabilitypolicy'), scope: this.policyScope(target), what: this.policyWhat(target, 'immutability'), signal }, s.immutabilityPolicies);
    return body.policies;
  }

  async savePolicy(
    target: { org: string } | { repository: string },
    kind: 'autoprunepolicy' | 'immutabilitypolicy',
    uuid: string | undefined,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<void> {
    const base = this.policyBase(target, kind);
    await this.client.send({
      method: uuid ? 'PUT' : 'POST',
      path: uuid ? `${base}${seg(uuid, 'policy id')}` : base,
      json: body,
      scope: this.policyScope(target),
      what: this.policyWhat(target, kind === 'autoprunepolicy' ? 'auto-prune' : 'immutability'),
      signal,
    });
  }

  async deletePolicy(target: { org: string } | { repository: string }, kind: 'autoprunepolicy' | 'immutabilitypolicy', uuid: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: `${this.policyBase(target, kind)}${seg(uuid, 'policy id')}`, scope: this.policyScope(target), what: `policy ${uuid}`, signal });
  }

  // ---- proxy cache (organization) ----

  /** The organization's proxy cache configuration; undefined when none is set (Quay answers an empty upstream). */
  async proxyCache(org: string, signal?: AbortSignal): Promise<s.QuayProxyCache | undefined> {
    const body = await this.client.json({ method: 'GET', path: `/organization/${seg(org, 'organization')}/proxycache`, scope: 'org:admin', what: `the proxy cache of ${org}`, signal }, s.proxyCache);
    return body.upstream_registry ? body : undefined;
  }

  async createProxyCache(org: string, config: ProxyCacheConfig, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `/organization/${seg(org, 'organization')}/proxycache`, json: config, scope: 'org:admin', what: `the proxy cache of ${org}`, signal });
  }

  /**
   * Asks Quay to try a proxy cache configuration against its upstream before it is saved
   * (`validateProxyCacheConfig`); a configuration it cannot use is refused (400) with Quay's reason.
   */
  async validateProxyCache(org: string, config: ProxyCacheConfig, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'POST', path: `/organization/${seg(org, 'organization')}/validateproxycache`, json: config, scope: 'org:admin', what: `checking the proxy cache configuration of ${org}`, signal });
  }

  async deleteProxyCache(org: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: `/organization/${seg(org, 'organization')}/proxycache`, scope: 'org:admin', what: `the proxy cache of ${org}`, signal });
  }

  // ---- quota ----

  async quotas(org: string, signal?: AbortSignal): Promise<s.QuayQuota[]> {
    return this.client.json({ method: 'GET', path: `/organization/${seg(org, 'organization')}/quota`, scope: 'org:admin', what: `the quota of ${org}`, signal }, s.quotaList);
  }

  // ---- app-specific tokens ----

  async appTokens(signal?: AbortSignal): Promise<s.QuayAppToken[]> {
    const body = await this.client.json({ method: 'GET', path: '/user/apptoken', scope: 'user:admin', what: 'your application tokens', signal }, s.appTokenList);
    return body.tokens;
  }

  async createAppToken(title: string, signal?: AbortSignal): Promise<{ uuid: string; title: string; secret: string }> {
    const body = await this.client.json({ method: 'POST', path: '/user/apptoken', json: { friendlyName: title }, scope: 'user:admin', what: `application token ${title}`, signal }, s.appTokenCreated);
    // Registered as soon as it arrives: no later message or log line may show it (the outcome shows it once).
    registerSecret(body.token.token_code);
    return { uuid: body.token.uuid, title: body.token.title, secret: body.token.token_code };
  }

  async revokeAppToken(uuid: string, signal?: AbortSignal): Promise<void> {
    await this.client.send({ method: 'DELETE', path: `/user/apptoken/${seg(uuid, 'token id')}`, scope: 'user:admin', what: `application token ${uuid}`, signal });
  }

  // ---- usage logs ----

  /** Usage logs of an organization, a repository, or (`{ user: true }`) the signed-in user's namespace. */
  async logs(target: { org: string } | { repository: string } | { user: true }, range: LogRange, cursor: Cursor | undefined, signal?: AbortSignal): Promise<Page<s.QuayLogEntry>> {
    const name = 'org' in target ? target.org : 'repository' in target ? target.repository : 'your namespace';
    const path = 'org' in target ? `/organization/${seg(target.org, 'organization')}/logs` : 'repository' in target ? `${repoPath(target.repository)}/logs` : '/user/logs';
    const scope = 'org' in target ? 'org:admin' : 'repository' in target ? 'repo:admin' : 'user:admin';
    const body = await this.client.json({ method: 'GET', path, query: { starttime: range.start, endtime: range.end, next_page: cursor }, scope, what: `the usage logs of ${name}`, signal }, s.logList);
    return tokenPage(body.logs, cursor, body.next_page, `the usage logs of ${name}`);
  }
}

/**
 * Whether a tag entry is live. Quay's `end_ts` is the end of the entry's lifetime: in the past for deleted, moved
 * and expired tags; in the future for a tag with an expiration (then `expiration` says the same time).
 */
export function isActive(t: { end_ts?: number | null }, nowMs = Date.now()): boolean {
  return t.end_ts === undefined || t.end_ts === null || t.end_ts * 1000 > nowMs;
}

/** User name Quay accepts on `/v2` (docker login) with an OAuth access token as the password. */
export const OAUTH_TOKEN_USER = '$oauthtoken';
