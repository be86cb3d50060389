import type { Tag } from './provider';

/** `natural`: `latest` first, then version-aware ascending (`1.9` before `1.10`). `newest`: newest push/creation first. */
export type TagOrder = 'natural' | 'newest';

// Markers below every printable character, so a shorter chunk sorts before a longer one it prefixes. Their order
// encodes the rules: a pre-release suffix ("-rc1") < end of name < a digit run < any other text.
const PRE = '\u0001';
const END = '\u0002';
const NUM = '\u0003';
const TXT = '\u0004';

/**
 * The sort key of a tag name, computed once per tag: comparing two keys as plain strings gives the natural order
 * (digit runs as numbers, `latest` first, `1.0.0-rc1` before `1.0.0`, a leading `v` ignored, case ignored). A
 * million tags sort in well under a second this way; re-splitting both names on every comparison took seconds.
 */
export function tagSortKey(name: string): string {
  if (name === 'latest') return '';
  const s = (name.length > 1 && (name[0] === 'v' || name[0] === 'V') && isDigit(name.charCodeAt(1)) ? name.slice(1) : name).toLowerCase();
  let key = '';
  let i = 0;
  while (i < s.length) {
    const start = i;
    if (isDigit(s.charCodeAt(i))) {
      while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      let z = start;
      while (z < i - 1 && s.charCodeAt(z) === 48) z++;
      // Length first, so 10 > 9 as strings; leading zeros do not count (Number('01') === 1).
      key += NUM + String.fromCharCode(48 + Math.min(i - z, 0xffff - 48)) + s.slice(z, i);
    } else {
      while (i < s.length && !isDigit(s.charCodeAt(i))) i++;
      key += (s[start] === '-' ? PRE : TXT) + s.slice(start, i);
    }
  }
  return key + END;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function compareKeyed(ka: string, a: string, kb: string, b: string): number {
  if (ka !== kb) return ka < kb ? -1 : 1;
  // Same key, different raw text (case, a leading "v", leading zeros): keep a stable, deterministic order.
  return a === b ? 0 : a < b ? -1 : 1;
}

/**
 * Compares two tag names the way people read versions: digit runs as numbers, `latest` before everything, and a
 * pre-release (`1.0.0-rc1`) before its release (`1.0.0`). For sorting many names use `sortTags`, which computes
 * each key once.
 */
export function compareTagNames(a: string, b: string): number {
  if (a === b) return 0;
  return compareKeyed(tagSortKey(a), a, tagSortKey(b), b);
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
  const n = tags.length;
  // Names and keys are read once per tag, not once per comparison.
  const names = new Array<string>(n);
  const keys = new Array<string>(n);
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    names[i] = tags[i]!.name;
    keys[i] = tagSortKey(names[i]);
    idx[i] = i;
  }
  if (order === 'natural') {
    idx.sort((x, y) => compareKeyed(keys[x]!, names[x]!, keys[y]!, names[y]!));
  } else {
    const dates = tags.map(dateOf);
    idx.sort((x, y) => {
      const da = dates[x];
      const db = dates[y];
      if (da !== undefined && db !== undefined && da !== db) return db - da;
      if (da !== undefined && db === undefined) return -1;
      if (da === undefined && db !== undefined) return 1;
      const a = names[x]!;
      const b = names[y]!;
      if (a === 'latest' || b === 'latest') return compareKeyed(keys[x]!, a, keys[y]!, b);
      return compareKeyed(keys[y]!, b, keys[x]!, a);
    });
  }
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = tags[idx[i]!]!;
  return out;
}
