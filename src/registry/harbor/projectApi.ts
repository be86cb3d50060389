import { BadResponseError, isRegistryError } from '../errors';
import { checkRepositoryName } from '../names';
import type { Cursor, Page } from '../provider';
import { type HarborClient, projectPath, repositoryPath } from './client';
import * as p from './projectSchemas';
import * as s from './schemas';

/** The body of `POST /projects` and `PUT /projects/{p}` (the document's `ProjectReq`). */
export interface ProjectReq {
  project_name?: string;
  public?: boolean;
  metadata?: Record<string, string>;
  cve_allowlist?: { project_id?: number; items: { cve_id: string }[]; expires_at?: number | null };
  storage_limit?: number;
  registry_id?: number;
}

/** The body of an immutability rule (the document's `ImmutableRule`), as Harbor's own portal sends it. */
export interface ImmutableRuleReq {
  id?: number;
  priority: number;
  disabled: boolean;
  action: 'immutable';
  template: 'immutable_template';
  tag_selectors: { kind: 'doublestar'; decoration: string; pattern: string }[];
  scope_selectors: { repository: { kind: 'doublestar'; decoration: string; pattern: string }[] };
}

/** What a member is added as: a user by name, or a group by id. */
export type MemberReq = { role_id: number; member_user: { username: string } } | { role_id: number; member_group: { id: number } };

/** How long the caller's system administrator flag is kept. */
const ADMIN_TTL_MS = 60_000;

const NAME = { 'X-Is-Resource-Name': 'true' };

/**
 * The project administration calls of Harbor's `/api/v2.0`: projects, quotas, CVE allowlists, immutability rules,
 * members and audit logs, each with what it is for and the permission it needs. Project paths carry the name, with
 * `X-Is-Resource-Name: true` so that a project named with digits is never read as an id.
 */
export class HarborProjectApi {
  private admin?: { at: number; who: string; flag: Promise<boolean> };
  /** Which audit log listing this Harbor has (`auditlog-exts` since 2.13, `logs` before). */
  private logsPath?: 'auditlog-exts' | 'logs';

  constructor(readonly client: HarborClient) {}

  /** Whether the caller is a Harbor system administrator (`GET /users/current`); robots and anonymous callers are not. */
  async isSysAdmin(signal?: AbortSignal): Promise<boolean> {
    const { username, secret } = await this.client.login();
    if (!username || !secret) return false;
    // Kept per user name: signing in as someone else asks again.
    if (this.admin && this.admin.who === username && Date.now() - this.admin.at < ADMIN_TTL_MS) return this.admin.flag;
    const flag = (async () => {
      try {
        const u = await this.client.json({ method: 'GET', path: '/users/current', what: 'the signed-in user', signal }, p.currentUser);
        return u.sysadmin_flag === true;
      } catch (e) {
        // Robot accounts have no user record (401 / 412 / 403); they are never system administrators here.
        if (isRegistryError(e) && e.kind !== 'cancelled' && e.kind !== 'unreachable' && e.kind !== 'timeout') return false;
        throw e;
      }
    })();
    flag.catch(() => (this.admin = undefined));
    this.admin = { at: Date.now(), who: username, flag };
    return flag;
  }

  createProject(req: ProjectReq, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'POST', path: '/projects', json: req, what: `the creation of project ${req.project_name ?? ''}`, needs: 'a signed-in user (Harbor may restrict project creation to system administrators; proxy cache projects always need one)', signal });
  }

  updateProject(project: string, req: ProjectReq, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'PUT', path: projectPath(project), headers: NAME, json: req, what: `the settings of project ${project}`, needs: 'the project admin role (or system administrator)', signal });
  }

  deleteProject(project: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'DELETE', path: projectPath(project), headers: NAME, what: `the deletion of project ${project}`, needs: 'the project admin role (or system administrator)', signal });
  }

  /** Whether Harbor would delete the project now (`GET …/_deletable`), and why not. */
  deletable(project: string, signal?: AbortSignal) {
    return this.client.json({ method: 'GET', path: `${projectPath(project)}/_deletable`, headers: NAME, what: `whether project ${project} can be deleted`, needs: 'the project admin role', signal }, p.deletable);
  }

  deleteRepository(repository: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'DELETE', path: repositoryPath(repository), what: `the deletion of repository ${repository}`, needs: 'the "delete repository" permission (project admin)', signal });
  }

  /** The names of a project's repositories, full (`team-a/app`), about `max` at most; `complete` when that is all. */
  async repositoryNames(project: string, max: number, signal?: AbortSignal): Promise<{ names: string[]; complete: boolean }> {
    const names: string[] = [];
    let cursor: Cursor | undefined;
    do {
      const page = await this.client.page({ path: `${projectPath(project)}/repositories`, what: `the repositories of ${project}`, needs: 'the "list repository" permission on the project', signal }, s.repositories, cursor);
      if (page.error) throw page.error;
      for (const r of page.items) {
        // A name outside the project would make a delete of the project reach another one: refused, not followed.
        if (!r.name.startsWith(`${project}/`)) throw new BadResponseError(`Harbor listed "${r.name.slice(0, 100)}" among the repositories of ${project}`);
        names.push(checkRepositoryName(r.name));
      }
      cursor = page.next;
    } while (cursor !== undefined && names.length < max);
    return { names, complete: cursor === undefined };
  }

  summary(project: string, signal?: AbortSignal): Promise<p.ProjectSummary> {
    return this.client.json({ method: 'GET', path: `${projectPath(project)}/summary`, headers: NAME, what: `the summary of project ${project}`, needs: 'read access to the project', signal }, p.projectSummary);
  }

  /** The quota record of a project (`GET /quotas?reference=project&reference_id=…`): system administrators only. */
  async projectQuota(projectId: number, signal?: AbortSignal): Promise<p.Quota | undefined> {
    const list = await this.client.json({ method: 'GET', path: '/quotas', query: { reference: 'project', reference_id: String(projectId) }, what: 'the quota of the project', needs: 'the system administrator role', signal }, p.quotas);
    return list[0];
  }

  updateQuota(id: number, storage: number, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'PUT', path: `/quotas/${id}`, json: { hard: { storage } }, what: 'the project quota', needs: 'the system administrator role', signal });
  }

  registries(query: string, signal?: AbortSignal): Promise<Page<p.RegistryEndpoint>> {
    return this.client.page({ path: '/registries', query: { q: query ? `name=~${query}` : undefined }, what: 'the registry endpoints', needs: 'the system administrator role', signal }, p.registryEndpoints, undefined);
  }

  setSystemAllowlist(items: string[], expiresAt: number | undefined, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'PUT', path: '/system/CVEAllowlist', json: { items: items.map((cve_id) => ({ cve_id })), expires_at: expiresAt ?? null }, what: 'the system CVE allowlist', needs: 'the system administrator role', signal });
  }

  immutableRules(project: string, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<p.ImmutableRule>> {
    return this.client.page({ path: `${projectPath(project)}/immutabletagrules`, headers: NAME, what: `the tag immutability rules of ${project}`, needs: 'read access to the project', signal }, p.immutableRules, cursor, pageSize);
  }

  createImmutableRule(project: string, rule: ImmutableRuleReq, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'POST', path: `${projectPath(project)}/immutabletagrules`, headers: NAME, json: rule, what: `a tag immutability rule of ${project}`, needs: 'the project admin role (or maintainer)', signal });
  }

  updateImmutableRule(project: string, id: number, rule: ImmutableRuleReq, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'PUT', path: `${projectPath(project)}/immutabletagrules/${id}`, headers: NAME, json: { ...rule, id }, what: `tag immutability rule ${id} of ${project}`, needs: 'the project admin role (or maintainer)', signal });
  }

  deleteImmutableRule(project: string, id: number, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'DELETE', path: `${projectPath(project)}/immutabletagrules/${id}`, headers: NAME, what: `tag immutability rule ${id} of ${project}`, needs: 'the project admin role (or maintainer)', signal });
  }

  members(project: string, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<p.ProjectMember>> {
    return this.client.page({ path: `${projectPath(project)}/members`, headers: NAME, what: `the members of ${project}`, needs: 'membership of the project', signal }, p.members, cursor, pageSize);
  }

  member(project: string, id: number, signal?: AbortSignal): Promise<p.ProjectMember> {
    return this.client.json({ method: 'GET', path: `${projectPath(project)}/members/${id}`, headers: NAME, what: `member ${id} of ${project}`, needs: 'membership of the project', signal }, p.member);
  }

  addMember(project: string, req: MemberReq, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'POST', path: `${projectPath(project)}/members`, headers: NAME, json: req, what: `the new member of ${project}`, needs: 'the project admin role', signal });
  }

  setMemberRole(project: string, id: number, roleId: number, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'PUT', path: `${projectPath(project)}/members/${id}`, headers: NAME, json: { role_id: roleId }, what: `the role of member ${id} of ${project}`, needs: 'the project admin role', signal });
  }

  removeMember(project: string, id: number, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'DELETE', path: `${projectPath(project)}/members/${id}`, headers: NAME, what: `member ${id} of ${project}`, needs: 'the project admin role', signal });
  }

  /** Users whose name contains `name` (open to every signed-in user). */
  searchUsers(name: string, signal?: AbortSignal) {
    return this.client.json({ method: 'GET', path: '/users/search', query: { username: name, page: 1, page_size: 20 }, what: `the users matching ${name}`, signal }, p.userSearch);
  }

  /** User groups whose name contains `name` (open to every signed-in user). */
  searchGroups(name: string, signal?: AbortSignal) {
    return this.client.json({ method: 'GET', path: '/usergroups/search', query: { groupname: name, page: 1, page_size: 20 }, what: `the user groups matching ${name}`, signal }, p.groupSearch);
  }

  /**
   * The audit log of a project, newest first: `auditlog-exts` (Harbor 2.13 and later, where `logs` keeps only the
   * entries of earlier versions), else `logs`.
   */
  async auditLogs(project: string, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<p.AuditLog>> {
    const call = (which: 'auditlog-exts' | 'logs') =>
      this.client.page({ path: `${projectPath(project)}/${which}`, query: { sort: '-op_time' }, what: `the audit log of ${project}`, needs: 'the project admin role (or maintainer)', signal }, p.auditLogs, cursor, pageSize);
    if (this.logsPath) return call(this.logsPath);
    try {
      const page = await call('auditlog-exts');
      this.logsPath = 'auditlog-exts';
      return page;
    } catch (e) {
      if (!isRegistryError(e) || e.kind !== 'notFound') throw e;
      const page = await call('logs');
      this.logsPath = 'logs';
      return page;
    }
  }
}

const apis = new WeakMap<HarborClient, HarborProjectApi>();

/** The project calls of a connection (one per client, so the administrator flag is asked once). */
export function projectApiOf(client: HarborClient): HarborProjectApi {
  let api = apis.get(client);
  if (!api) apis.set(client, (api = new HarborProjectApi(client)));
  return api;
}
