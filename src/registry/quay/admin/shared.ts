import type { Scope } from '../../admin';
import { namespaceOf } from '../../adminKit';
import { BadResponseError } from '../../errors';
import type { Credentials, ProviderContext } from '../../context';
import type { QuayApi } from '../api';
import { parseQuayTime } from '../client';
import type { QuayClient } from '../client';
import * as s from '../schemas';

// ---- Helpers and item shapes shared by the parts of the Quay admin model ----

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** `30d`, `2w`, `12h`, `0` → seconds. */
export function durationSeconds(value: string): number {
  const m = /^\s*(\d+)\s*([smhdwy]?)\s*$/i.exec(value);
  if (!m) throw new BadResponseError(`"${value}" is not a duration such as 2w, 14d or 12h`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[m[2].toLowerCase()]!;
  return Number(m[1]) * unit;
}

export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  for (const [u, n] of [['w', 604800], ['d', 86400], ['h', 3600], ['m', 60]] as const) if (seconds % n === 0) return `${seconds / n}${u}`;
  return `${seconds}s`;
}

export function when(v: string | number | null | undefined): string | undefined {
  return parseQuayTime(v)?.replace('T', ' ').slice(0, 16);
}

// ---- items ----

export interface HistoryItem extends s.QuayTag {
  repository: string;
}
export interface MirrorItem {
  repository: string;
  config?: s.QuayMirror;
}
export interface OrgSettingsItem {
  org: string;
  tagExpirationSeconds?: number;
}
export interface ProxyCacheItem {
  org: string;
  config?: s.QuayProxyCache;
}
export interface LoginItem {
  username: string;
  own: boolean;
}

/** What the admin model needs of its provider (an interface, so the two modules do not import each other). */
export interface QuayAdminHost {
  readonly ctx: ProviderContext;
  readonly api: QuayApi;
  readonly client: QuayClient;
  namespaceKind(namespace: string, signal?: AbortSignal): Promise<'user' | 'org' | 'unknown'>;
  registryLogin(): Promise<Credentials | undefined>;
  resetAuth(): void;
}

/** What every part of the admin model uses. */
export interface AdminCtx {
  p: QuayAdminHost;
  api: QuayApi;
  has: QuayClient['has'];
  signedIn: () => Promise<boolean>;
  isOrg: (scope: Scope, signal?: AbortSignal) => Promise<boolean>;
}

export function adminCtx(p: QuayAdminHost): AdminCtx {
  return {
    p,
    api: p.api,
    has: p.client.has.bind(p.client),
    signedIn: () => p.client.signedIn().catch(() => false),
    isOrg: async (scope, signal) => (await p.namespaceKind(namespaceOf(scope), signal).catch(() => 'unknown')) === 'org',
  };
}
