import type * as z from 'zod';
import type { Cursor, Page } from '../provider';
import { BadResponseError } from '../errors';
import { registerSecret } from '../redact';
import { type QuayClient, repoPath, seg, tokenPage } from './client';
import * as s from './schemas';

export type TeamRole = 'member' | 'creator' | 'admin';

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

/**
 * Quay's `/api/v1` operations on accounts and organizations (teams, robots, policies, proxy cache, quota, application
 * tokens, usage logs); QuayApi adds repositories, tags and manifests.
 */
export class QuayAccountApi {
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

  // ---- entity search ----

  /**
   * Users (robots marked `is_robot`) and, with `includeTeams`, the teams of `namespace` whose name starts with
   * `prefix` (`getMatchingEntities`); `org+` as the prefix finds the robots of `org`.
   */
  async entities(prefix: string, opts: { namespace?: string; includeTeams?: boolean }, signal?: AbortSignal): Promise<s.QuayEntity[]> {
    const body = await this.client.json(
      { method: 'GET', path: `/entities/${seg(prefix, 'search text')}`, query: { namespace: opts.namespace, includeTeams: opts.includeTeams || undefined }, scope: 'user:read', what: `the users matching ${prefix}`, signal },
      s.entities,
    );
    return body.results;
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
