import { markdownSummary } from '../plainText';
import type { Repository, Tag } from '../provider';
import { parseQuayTime } from './client';
import type * as s from './schemas';

/** Quay's repositories and tags as the tree shows them. */

const STATE_FACTS: Record<string, string> = {
  READ_ONLY: 'read-only',
  MIRROR: 'mirror',
  ORG_MIRROR: 'organization mirror',
  MARKED_FOR_DELETION: 'marked for deletion',
};

export function toRepository(r: s.QuayRepository): Repository {
  const facts: string[] = [];
  if (r.state && STATE_FACTS[r.state]) facts.push(STATE_FACTS[r.state]);
  if (typeof r.popularity === 'number' && r.popularity > 0) facts.push(`popularity ${Math.round(r.popularity)}`);
  // Usage is shown only where the server reports it (quota management on).
  const used = r.quota_report?.quota_bytes;
  if (typeof used === 'number') facts.push(`${formatBytes(used)} used`);
  const out: Repository = { name: `${r.namespace}/${r.name}`, namespace: r.namespace, isPrivate: !r.is_public, facts };
  // Quay descriptions are Markdown; the tree shows their first line as plain text.
  const summary = r.description ? markdownSummary(r.description) : '';
  if (summary) out.description = summary;
  const when = parseQuayTime(r.last_modified);
  if (when) out.lastUpdated = when;
  return out;
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i ? n.toFixed(1) : n} ${units[i]}`;
}

export function toTag(t: s.QuayTag): Tag {
  const tag: Tag = { name: t.name, digest: t.manifest_digest };
  if (t.is_manifest_list || t.immutable) {
    const facts: string[] = [];
    if (t.is_manifest_list) facts.push(t.child_manifest_count ? `manifest list (${t.child_manifest_count})` : 'manifest list');
    if (t.immutable) facts.push('immutable');
    tag.facts = facts;
  }
  if (typeof t.size === 'number') tag.size = t.size;
  // start_ts (Unix seconds) is the instant last_modified spells in RFC 2822, and cheaper to read.
  const modified = parseQuayTime(t.start_ts) ?? parseQuayTime(t.last_modified);
  if (modified) tag.lastPushed = modified;
  // The end of a live tag's lifetime (`end_ts`, spelled again as `expiration`) is when Quay removes it.
  if (typeof t.end_ts === 'number' ? t.end_ts * 1000 > Date.now() : t.expiration !== undefined && t.expiration !== null) {
    const expires = parseQuayTime(t.end_ts ?? t.expiration);
    if (expires && Date.parse(expires) > Date.now()) tag.expiresAt = expires;
  }
  return tag;
}

