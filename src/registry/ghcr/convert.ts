import { looksLikeDigest } from '../digest';
import type { Namespace, Repository, Tag } from '../provider';
import type * as s from './schemas';

/** A GitHub time (ISO 8601) as an ISO string, or undefined when it does not parse. */
export function gitHubTime(v: string | null | undefined): string | undefined {
  if (!v) return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

/** The tags a container version carries (`metadata.container.tags`), in GitHub's order. */
export function versionTags(v: s.GitHubPackageVersion): string[] {
  return [...new Set(v.metadata?.container?.tags ?? [])];
}

/** The pull path of a package: `<owner>/<name>`, the owner in lower case as the registry names it. */
export function repositoryName(owner: string, name: string): string {
  return `${owner.toLowerCase()}/${name}`;
}

/** One package as a repository row: visibility, linked repository, versions, last update. */
export function toRepository(p: s.GitHubPackage, owner: string): Repository {
  const out: Repository = { name: repositoryName(owner, p.name), namespace: owner, facts: [] };
  // The row shows private / public itself; another visibility (internal) is a fact of its own.
  out.isPrivate = p.visibility !== 'public';
  if (p.visibility !== 'public' && p.visibility !== 'private') out.facts!.push(p.visibility);
  if (typeof p.version_count === 'number') out.facts!.push(`${p.version_count} version${p.version_count === 1 ? '' : 's'}`);
  if (p.repository?.full_name) out.facts!.push(`repository ${p.repository.full_name}`);
  const downloads = (p as { download_count?: unknown }).download_count;
  if (typeof downloads === 'number' && Number.isSafeInteger(downloads) && downloads >= 0) out.pullCount = downloads;
  const when = gitHubTime(p.updated_at) ?? gitHubTime(p.created_at);
  if (when) out.lastUpdated = when;
  return out;
}

/** One version as a tag row, named by its first tag, else by its digest (an untagged version). */
export function toTag(v: s.GitHubPackageVersion): Tag {
  const tags = versionTags(v);
  const digest = looksLikeDigest(v.name) ? v.name : undefined;
  const tag: Tag = { name: tags[0] ?? v.name };
  if (digest) tag.digest = digest;
  const created = gitHubTime(v.created_at);
  if (created) tag.created = created;
  const updated = gitHubTime(v.updated_at);
  if (updated) tag.lastPushed = updated;
  const facts: string[] = [];
  if (tags.length > 1) facts.push(`tags: ${tags.join(', ')}`);
  if (!tags.length) facts.push('untagged');
  facts.push(`version ${v.id}`);
  const deleted = gitHubTime(v.deleted_at);
  if (deleted) facts.push(`deleted ${deleted.slice(0, 10)}`);
  tag.facts = facts;
  return tag;
}

/** An owner row: the signed-in account, one of its organizations, or one from the settings. */
export function toNamespace(login: string, role: 'self' | 'org' | 'configured', description?: string | null): Namespace {
  const what = role === 'self' ? 'you' : role === 'org' ? 'organization' : 'from the settings';
  const extra = description ? ` · ${description.replace(/\s+/g, ' ').slice(0, 120)}` : '';
  return { name: login, description: what + extra };
}
