import type { Platform } from '../registry/provider';
import { severities, type Severity } from '../registry/scan';

/** `sha256:0123456789ab` — the algorithm plus 12 hex characters, like `docker images`. */
export function shortDigest(digest: string): string {
  const i = digest.indexOf(':');
  return i < 0 ? digest.slice(0, 12) : digest.slice(0, i + 1 + 12);
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** "3 days ago" style age; empty for missing or unparsable dates. */
export function formatAge(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t) || t <= 0) return '';
  const s = Math.round((now - t) / 1000);
  if (s < 0) return 'just now';
  const steps: [number, string][] = [
    [60, 'second'],
    [60, 'minute'],
    [24, 'hour'],
    [30, 'day'],
    [12, 'month'],
    [Number.POSITIVE_INFINITY, 'year'],
  ];
  let v = s;
  for (const [size, name] of steps) {
    if (v < size) {
      if (name === 'second') return 'just now';
      return `${v} ${name}${v === 1 ? '' : 's'} ago`;
    }
    v = Math.floor(v / size);
  }
  return '';
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

export function formatPlatforms(ps: Platform[] | undefined): string {
  if (!ps || ps.length === 0) return '';
  return ps.map(formatPlatform).join(', ');
}

/** "3 critical · 12 low" — the severities found, most severe first; "no vulnerabilities" for a clean scan. */
export function formatScanCounts(counts: Partial<Record<Severity, number>> | undefined): string {
  if (!counts) return '';
  const found = severities.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
  return found.length ? found.join(' · ') : 'no vulnerabilities';
}

/** Sorted `;`-joined traits, matched with `=~` in package.json menus. */
export function contextValue(...traits: (string | false | undefined)[]): string {
  return [...new Set(traits.filter((t): t is string => !!t))].sort().join(';');
}
