import type { Tag } from './provider';

/** `natural`: `latest` first, then version-aware ascending (`1.9` before `1.10`). `newest`: newest push/creation first. */
export type TagOrder = 'natural' | 'newest';

const chunkRe = /(\d+)|(\D+)/g;

function chunks(s: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of s.matchAll(chunkRe)) out.push(m[1] !== undefined ? Number(m[1]) : m[2]!.toLowerCase());
  return out;
}

/**
 * Compares two tag names the way people read versions: digit runs as numbers, `latest` before everything, and a
 * pre-release (`1.0.0-rc1`) before its release (`1.0.0`).
 */
export function compareTagNames(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'latest') return -1;
  if (b === 'latest') return 1;
  const ca = chunks(a.replace(/^v(?=\d)/i, ''));
  const cb = chunks(b.replace(/^v(?=\d)/i, ''));
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    // "-rc" style suffix sorts before the end of a version ("1.0.0-rc1" < "1.0.0" is decided below).
    return x < y ? -1 : 1;
  }
  if (ca.length !== cb.length) {
    const longer = ca.length > cb.length ? ca : cb;
    const next = longer[n];
    const preRelease = typeof next === 'string' && next.startsWith('-');
    const aLonger = ca.length > cb.length;
    if (preRelease) return aLonger ? -1 : 1;
    return aLonger ? 1 : -1;
  }
  // Same chunks, different raw text (case, a leading "v"): keep a stable, deterministic order.
  return a < b ? -1 : 1;
}

function dateOf(t: Tag): number | undefined {
  const s = t.lastPushed ?? t.created;
  if (!s) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Sorts a whole tag list (a new array). `newest` puts dated tags first, newest first; tags whose date is not known
 * yet (plain registries only tell it from each image's config) follow with the highest version first.
 */
export function sortTags<T extends Tag>(tags: readonly T[], order: TagOrder): T[] {
  const out = [...tags];
  if (order === 'natural') return out.sort((a, b) => compareTagNames(a.name, b.name));
  return out.sort((a, b) => {
    const da = dateOf(a);
    const db = dateOf(b);
    if (da !== undefined && db !== undefined && da !== db) return db - da;
    if (da !== undefined && db === undefined) return -1;
    if (da === undefined && db !== undefined) return 1;
    if (a.name === 'latest' || b.name === 'latest') return compareTagNames(a.name, b.name);
    return compareTagNames(b.name, a.name);
  });
}
