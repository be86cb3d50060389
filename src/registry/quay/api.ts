import type * as z from 'zod';
import { BadResponseError, NotFoundError, isRegistryError } from '../errors';
import type { Cursor, Page, PageOptions } from '../provider';
import { requireVerifiableDigest } from '../digest';
import { checkTagName } from '../names';
import { MAX_LIST_PAGES } from '../paging';
import { QUAY_PAGE, pageNumber, repoPath, seg, tokenPage } from './client';
import * as s from './schemas';
import { QuayAccountApi } from './accountApi';

export { logDate, type LogRange, type ProxyCacheConfig, type TeamRole } from './accountApi';

export type Role = 'read' | 'write' | 'admin';
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

/** Quay's `/api/v1` operations, typed; lists return one page per call with an opaque cursor. */
export class QuayApi extends QuayAccountApi {
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
