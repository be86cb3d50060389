import type { Platform, Repository, Tag } from '../provider';
import type * as s from './schemas';

/** Hub API rate-limit figures from the latest response (`X-RateLimit-Limit/Remaining/Reset`). */
export interface HubRateLimit {
  limit?: number;
  remaining?: number;
  /** When the window resets, ms since the epoch. */
  resetAt?: number;
  /** When these figures were read, ms since the epoch. */
  observedAt: number;
}

/** A repository as Hub describes it (`repository_info`). */
export interface HubRepositoryInfo extends Repository {
  namespace: string;
  fullDescription?: string;
  immutableTags: { enabled: boolean; rules: string[] };
  permissions?: { read: boolean; write: boolean; admin: boolean };
  dateRegistered?: string;
  storageSize?: number;
}

export interface CreateRepositoryInput {
  namespace: string;
  name: string;
  description?: string;
  fullDescription?: string;
  isPrivate?: boolean;
}

export interface UpdateRepositoryInput {
  description?: string;
  fullDescription?: string;
  /** Changing visibility is a separate call on Hub. */
  isPrivate?: boolean;
}

export type PatScope = 'repo:admin' | 'repo:write' | 'repo:read' | 'repo:public_read';

/**
 * Scopes of an organization access token's repository resources, by Hub's names (Hub refuses others such as
 * `repo:pull` or `repo-pull`), with the labels to offer.
 */
export const ORG_TOKEN_SCOPES = [
  { scope: 'scope-image-pull', label: 'Pull images' },
  { scope: 'scope-image-push', label: 'Push images' },
] as const;

export type OrgTokenScope = (typeof ORG_TOKEN_SCOPES)[number]['scope'];

export interface PersonalAccessToken {
  uuid: string;
  label: string;
  scopes: string[];
  isActive: boolean;
  createdAt?: string;
  lastUsed?: string;
  expiresAt?: string;
  generatedBy?: string;
}

/** A just-created token: `secret` is shown once and cannot be read again. */
export interface CreatedPersonalAccessToken extends PersonalAccessToken {
  secret: string;
}

export interface OrgMember {
  username: string;
  fullName?: string;
  email?: string;
  role?: string;
  groups: string[];
}

export interface OrgGroup {
  id: number;
  uuid?: string;
  name: string;
  memberCount?: number;
  description?: string;
}

export interface GroupMember {
  username: string;
  fullName?: string;
  email?: string;
}

export interface OrgAccessTokenResource {
  type: string;
  path: string;
  scopes: string[];
}

export interface OrgAccessToken {
  id: string;
  label: string;
  createdBy?: string;
  isActive: boolean;
  createdAt?: string;
  expiresAt?: string;
  lastUsedAt?: string;
  resources?: OrgAccessTokenResource[];
}

export interface CreatedOrgAccessToken extends OrgAccessToken {
  secret: string;
}

export interface AuditEvent {
  account?: string;
  action: string;
  name?: string;
  actor?: string;
  data: Record<string, string>;
  timestamp: string;
  description?: string;
}

export interface AuditLogQuery {
  action?: string;
  name?: string;
  actor?: string;
  from?: string;
  to?: string;
}

/** Repository list orderings Hub accepts. */
export const repositoryOrderings = ['name', '-name', 'last_updated', '-last_updated', 'pull_count', '-pull_count'] as const;
export type RepositoryOrdering = (typeof repositoryOrderings)[number];

const und = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
/** A size or count that was absent or unreadable (NaN from the schema) is unknown. */
const known = (v: number | null | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function toRepository(e: s.RepositoryListEntry): Repository {
  return {
    name: `${e.namespace}/${e.name}`,
    namespace: e.namespace,
    description: und(e.description) || undefined,
    isPrivate: e.is_private,
    starCount: und(e.star_count),
    pullCount: und(e.pull_count),
    lastUpdated: und(e.last_updated),
  };
}

export function toRepositoryInfo(r: s.RepositoryInfo): HubRepositoryInfo {
  return {
    name: `${r.namespace}/${r.name}`,
    namespace: r.namespace,
    description: und(r.description) || undefined,
    fullDescription: und(r.full_description) ?? undefined,
    isPrivate: r.is_private,
    starCount: und(r.star_count),
    pullCount: und(r.pull_count),
    lastUpdated: und(r.last_updated),
    dateRegistered: und(r.date_registered),
    storageSize: known(r.storage_size),
    immutableTags: r.immutable_tags_settings ? { enabled: r.immutable_tags_settings.enabled, rules: [...r.immutable_tags_settings.rules] } : { enabled: false, rules: [] },
    permissions: und(r.permissions),
  };
}

export function toTag(t: s.HubTagJson): Tag {
  const platforms: Platform[] = t.images
    .filter((im) => im.os || im.architecture)
    .map((im) => {
      const p: Platform = { os: im.os ?? 'unknown', architecture: im.architecture ?? 'unknown' };
      if (im.variant) p.variant = im.variant;
      if (im.digest) p.digest = im.digest;
      const size = known(im.size);
      if (size !== undefined) p.size = size;
      return p;
    });
  const tag: Tag = { name: t.name, platforms };
  // A tag pointing at an index has its own digest; Hub omits it on some old tags, and then a single image's digest is the tag's.
  const digest = und(t.digest) ?? (t.images.length === 1 ? und(t.images[0]!.digest) : undefined);
  if (digest) tag.digest = digest;
  const size = known(t.full_size) ?? (t.images.length > 0 && t.images.every((im) => known(im.size) !== undefined) ? t.images.reduce((n, im) => n + (im.size ?? 0), 0) : undefined);
  if (size !== undefined) tag.size = size;
  const pushed = und(t.tag_last_pushed) ?? und(t.last_updated);
  if (pushed) tag.lastPushed = pushed;
  const pulled = und(t.tag_last_pulled);
  if (pulled) tag.lastPulled = pulled;
  return tag;
}

export function toPat(t: s.AccessTokenJson): PersonalAccessToken {
  return {
    uuid: t.uuid,
    label: und(t.token_label) ?? '',
    scopes: und(t.scopes) ?? [],
    isActive: t.is_active,
    createdAt: und(t.created_at),
    lastUsed: und(t.last_used),
    expiresAt: und(t.expires_at),
    generatedBy: und(t.generated_by),
  };
}

export function toOrgMember(m: s.OrgMemberJson): OrgMember {
  return { username: m.username, fullName: und(m.full_name), email: und(m.email) || undefined, role: und(m.role), groups: und(m.groups) ?? [] };
}

export function toOrgGroup(g: s.OrgGroupJson): OrgGroup {
  return { id: g.id, uuid: und(g.uuid), name: g.name, memberCount: known(g.member_count), description: und(g.description) };
}

export function toOrgAccessToken(t: s.OrgAccessTokenJson): OrgAccessToken {
  return {
    id: t.id,
    label: und(t.label) ?? '',
    createdBy: und(t.created_by),
    isActive: t.is_active,
    createdAt: und(t.created_at),
    expiresAt: und(t.expires_at),
    lastUsedAt: und(t.last_used_at),
    resources: und(t.resources)?.map((r) => ({ type: r.type, path: r.path, scopes: [...r.scopes] })),
  };
}

export function toAuditEvent(e: s.AuditLogJson): AuditEvent {
  return { account: und(e.account), action: e.action, name: und(e.name), actor: und(e.actor), data: und(e.data) ?? {}, timestamp: e.timestamp, description: und(e.action_description) };
}

/** Parses Hub's rate-limit headers; undefined when the response carries none. */
export function readRateLimit(get: (name: string) => string | undefined, now: number): HubRateLimit | undefined {
  const num = (name: string): number | undefined => {
    const v = get(name);
    if (v === undefined || v.trim() === '') return undefined;
    const n = Number(v.split(';')[0]);
    return Number.isFinite(n) ? n : undefined;
  };
  const limit = num('x-ratelimit-limit');
  const remaining = num('x-ratelimit-remaining');
  const reset = num('x-ratelimit-reset');
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  const r: HubRateLimit = { observedAt: now };
  if (limit !== undefined) r.limit = limit;
  if (remaining !== undefined) r.remaining = remaining;
  // Hub sends a unix timestamp in seconds; a small number is a delta in seconds from some servers.
  if (reset !== undefined) r.resetAt = reset > 1e9 ? reset * 1000 : now + reset * 1000;
  return r;
}
