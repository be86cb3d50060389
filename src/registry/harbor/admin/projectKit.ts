import * as z from 'zod';
import { t } from '../../l10n';

/**
 * What the project parts of the Harbor admin model share: sizes with units (Harbor's portal counts a GB as 1024³
 * bytes), expiry dates as Unix seconds, CVE ids and the project roles.
 */

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };
const SIZE = /^(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)$/i;

/** `10 GB` → bytes (1024-based, as Harbor's portal); `-1` or `unlimited` → -1. Undefined for text that is neither. */
export function parseSize(text: string): number | undefined {
  const v = text.trim();
  if (v === '-1' || /^unlimited$/i.test(v)) return -1;
  const m = SIZE.exec(v);
  if (!m) return undefined;
  const bytes = Math.round(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/** Bytes as `1.2 GB` (1024-based); -1 (or any negative) is `unlimited`. */
export function formatSize(bytes: number | null | undefined): string {
  if (bytes === undefined || bytes === null) return '?';
  if (bytes < 0) return t('unlimited');
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 || v >= 100 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** A storage quota field: a size with its unit, or -1 for no limit. */
export function sizeField(opts: { optional: boolean }) {
  const check = (v: string) => parseSize(v) !== undefined;
  const message = t('Use a size with its unit (500 MB, 10 GB, 1 TB) or -1 for no limit');
  return opts.optional ? z.string().trim().refine((v) => v === '' || check(v), message) : z.string().trim().refine(check, message);
}

/** Harbor's CVE id form (`CVE-2024-12345`), upper-cased as Harbor stores it. */
export const cveIdField = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^CVE-\d{4}-\d{4,}$/, t('is not a CVE id such as CVE-2024-12345'));

/** A date (`2026-12-31`, end of that day UTC) or a date-time with its zone → Unix seconds; undefined for empty text. */
export function expirySeconds(text: string): number | undefined {
  const v = text.trim();
  if (!v) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T23:59:59Z`) : /(Z|[+-]\d{2}:\d{2})$/.test(v) ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** An optional expiry field: empty (never) or a date understood by `expirySeconds`. */
export const expiryField = z
  .string()
  .trim()
  .refine((v) => v === '' || expirySeconds(v) !== undefined, t('Use a date such as 2026-12-31 (UTC) or 2026-12-31T18:00:00Z, or leave it empty'))
  .default('');

/** Unix seconds as a UTC date (`2026-12-31`), or a date-time when not at the end of a day. */
export function formatExpiry(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return iso.endsWith('T23:59:59.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/** Harbor's project roles by id (1 project admin, 2 developer, 3 guest, 4 maintainer, 5 limited guest). */
export const ROLES = { projectAdmin: 1, maintainer: 4, developer: 2, guest: 3, limitedGuest: 5 } as const;
export type RoleName = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export function roleTitle(id: number | null | undefined): string {
  switch (id) {
    case 1:
      return t('project admin');
    case 2:
      return t('developer');
    case 3:
      return t('guest');
    case 4:
      return t('maintainer');
    case 5:
      return t('limited guest');
    default:
      return t('role {0}', String(id ?? '?'));
  }
}

export function roleNameOf(id: number | null | undefined): RoleName | undefined {
  return ROLE_NAMES.find((n) => ROLES[n] === id);
}

export const roleField = z.enum(ROLE_NAMES).meta({
  title: t('Role'),
  description: t('projectAdmin: everything in the project; maintainer: also deletes and scans; developer: pushes; guest: pulls; limitedGuest: pulls, sees no logs or members'),
});

/** A list shown in a confirmation: the first `cap` names, then "and N more". */
export function capped(names: string[], cap = 10): string {
  const shown = names.slice(0, cap).join(', ');
  return names.length > cap ? t('{0} and {1} more', shown, names.length - cap) : shown;
}
