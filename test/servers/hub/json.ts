/** Hub fake responses: Django-style pages and the JSON shapes of users, repositories, tags, tokens, members, groups. */
import { HttpError, MANIFEST_MEDIA_TYPE, type Json, type UserRec, type RepoRec, type Principal, type ImageRec, type TagRec, type PatRec, type OatRec, type OrgRec, type GroupRec } from './types';
import type { HubState } from './state';

export type HubJson = ReturnType<typeof hubJson>;

export function hubJson(k: HubState) {
  const { canRead, digestOf, roleIn, users, st } = k;

  function pageParams(q: URLSearchParams, defaultSize: number): { page: number; size: number } {
    const page = q.has('page') ? Number(q.get('page')) : 1;
    const size = q.has('page_size') ? Number(q.get('page_size')) : defaultSize;
    if (!Number.isInteger(page) || page < 1) throw new HttpError(400, 'Invalid page', { page: ['A valid integer is required.'] });
    if (!Number.isInteger(size) || size < 1) throw new HttpError(400, 'Invalid page_size', { page_size: ['A valid integer is required.'] });
    // Hub refuses more than 100 per page instead of capping.
    if (size > 100) throw new HttpError(400, 'page_size must be at most 100', { page_size: ['Ensure this value is less than or equal to 100.'] });
    return { page, size };
  }

  function pageUrl(path: string, q: URLSearchParams, page: number, size: number): string {
    const u = new URL(path, k.opts.linkOrigin ?? st.baseUrl);
    for (const [k, v] of q) if (k !== 'page' && k !== 'page_size') u.searchParams.append(k, v);
    u.searchParams.set('page', String(page));
    u.searchParams.set('page_size', String(size));
    return u.toString();
  }

  /** Django-style paging: `count`, `next`, `previous`, and 404 past the last page. */
  function paginate<T>(items: T[], path: string, q: URLSearchParams, defaultSize: number, emptyNext: 'null' | 'omit') {
    const { page, size } = pageParams(q, defaultSize);
    const start = (page - 1) * size;
    if (page > 1 && start >= items.length) throw new HttpError(404, 'Invalid page.');
    const slice = items.slice(start, start + size);
    const next = start + size < items.length ? pageUrl(path, q, page + 1, size) : null;
    const previous = page > 1 ? pageUrl(path, q, page - 1, size) : null;
    const links: Json = {};
    // Some schemas declare `next`/`previous` as plain (non-nullable) strings: there, an absent link is left out.
    if (next !== null || emptyNext === 'null') links.next = next;
    if (previous !== null || emptyNext === 'null') links.previous = previous;
    return { count: items.length, slice, links };
  }

  // ---- JSON shapes ------------------------------------------------------------------------------------------------

  const userJson = (u: UserRec): Json => ({
    id: u.id,
    company: '',
    date_joined: u.dateJoined,
    full_name: u.fullName,
    gravatar_email: '',
    gravatar_url: '',
    location: '',
    profile_url: '',
    type: 'User',
    username: u.username,
  });

  function repoListEntry(r: RepoRec): Json {
    return {
      name: r.name,
      namespace: r.namespace,
      repository_type: 'image',
      status: 1,
      status_description: 'active',
      description: r.description,
      is_private: r.isPrivate,
      star_count: r.starCount,
      pull_count: r.pullCount,
      last_updated: r.lastUpdated,
      last_modified: r.lastUpdated,
      date_registered: r.dateRegistered,
      affiliation: '',
      media_types: [MANIFEST_MEDIA_TYPE],
      content_types: ['image'],
      categories: [],
      storage_size: r.tags.reduce((n, t) => n + t.fullSize, 0),
    };
  }

  function repoInfo(r: RepoRec, p: Principal | undefined): Json {
    const role = p && p.kind === 'user' ? roleIn(r.namespace, p.name) : p?.name === r.namespace ? 'owner' : undefined;
    return {
      user: r.namespace,
      name: r.name,
      namespace: r.namespace,
      repository_type: 'image',
      status: 1,
      status_description: 'active',
      description: r.description,
      is_private: r.isPrivate,
      is_automated: false,
      star_count: r.starCount,
      pull_count: r.pullCount,
      last_updated: r.lastUpdated,
      last_modified: r.lastUpdated,
      date_registered: r.dateRegistered,
      collaborator_count: 0,
      affiliation: null,
      hub_user: r.namespace,
      has_starred: false,
      full_description: r.fullDescription,
      permissions: { read: canRead(r, p), write: role === 'owner' || role === 'editor', admin: role === 'owner' },
      media_types: [MANIFEST_MEDIA_TYPE],
      content_types: ['image'],
      categories: [],
      immutable_tags_settings: { enabled: r.immutable.enabled, rules: [...r.immutable.rules] },
      storage_size: r.tags.reduce((n, t) => n + t.fullSize, 0),
      source: null,
    };
  }

  function imageJson(im: ImageRec): Json {
    const o: Json = {
      architecture: im.architecture,
      features: '',
      digest: im.digest,
      layers: [
        { digest: digestOf(im.digest + '#l0'), size: Math.floor(im.size * 0.7), instruction: 'ADD file:rootfs in /' },
        { digest: null, size: 0, instruction: 'CMD ["sh"]' },
      ],
      os: im.os,
      os_features: '',
      os_version: '',
      size: im.size,
      status: 'active',
      last_pulled: im.lastPulled,
      last_pushed: im.lastPushed,
    };
    if (im.variant) o.variant = im.variant;
    return o;
  }

  function tagJson(t: TagRec, repoId: number): Json {
    const images = t.images.map(imageJson);
    return {
      id: t.id,
      images: st.shapes === 'literal' ? images[0] : images,
      creator: 1,
      last_updated: t.lastUpdated,
      last_updater: 1,
      last_updater_username: t.updater,
      name: t.name,
      repository: repoId,
      full_size: t.fullSize,
      v2: 'true',
      status: 'active',
      tag_last_pulled: t.lastPulled,
      tag_last_pushed: t.lastPushed,
      // Not in the published schema but sent by Hub: the digest and media type of what the tag points at.
      digest: t.digest,
      media_type: t.mediaType,
    };
  }

  function patJson(p: PatRec, withSecret: boolean): Json {
    const o: Json = {
      uuid: p.uuid,
      client_id: 'HUB',
      creator_ip: '127.0.0.1',
      creator_ua: 'registry-explorer-tests',
      created_at: p.createdAt,
      last_used: p.lastUsed,
      generated_by: 'manual',
      is_active: p.isActive,
      token: withSecret ? p.secret : '',
      token_label: p.label,
      scopes: [...p.scopes],
    };
    if (p.expiresAt) o.expires_at = p.expiresAt;
    return o;
  }

  function oatJson(o: OatRec, extra: { token?: boolean; resources?: boolean }): Json {
    const j: Json = {
      id: o.id,
      label: o.label,
      created_by: o.createdBy,
      is_active: o.isActive,
      created_at: o.createdAt,
      expires_at: o.expiresAt,
      last_used_at: o.lastUsedAt,
    };
    if (extra.resources) j.resources = o.resources.map((r) => ({ ...r, scopes: [...r.scopes] }));
    if (extra.token) j.token = o.secret;
    return j;
  }

  function memberJson(org: OrgRec, username: string): Json {
    const u = users.get(username);
    const role = org.members.get(username);
    const groups = [...org.groups.values()].filter((g) => g.members.has(username)).map((g) => g.name);
    return {
      ...(u ? userJson(u) : { username, type: 'User' }),
      email: u?.email ?? '',
      role: role === 'owner' ? 'Owner' : 'Member',
      groups,
      is_guest: false,
    };
  }

  const groupJson = (g: GroupRec): Json => ({ id: g.id, uuid: g.uuid, name: g.name, member_count: g.members.size });

  function groupMemberJson(username: string): Json {
    const u = users.get(username);
    return u ? { ...userJson(u), email: u.email } : { username, type: 'User' };
  }

  // ---- request plumbing -----------------------------------------------------------------------------------------

  return { pageParams, pageUrl, paginate, userJson, repoListEntry, repoInfo, imageJson, tagJson, patJson, oatJson, memberJson, groupJson, groupMemberJson };
}
