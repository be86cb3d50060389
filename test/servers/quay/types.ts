/** Types, constants and helpers of the Quay fake (see index.ts). */
import * as crypto from 'node:crypto';
import type { FaultFilter } from '../kit/faults';
import type { OciServer } from '../oci/types';

export type Scope = 'repo:read' | 'repo:write' | 'repo:admin' | 'repo:create' | 'org:admin' | 'user:read' | 'user:admin' | 'super:user';
export const ALL_SCOPES: Scope[] = ['repo:read', 'repo:write', 'repo:admin', 'repo:create', 'org:admin', 'user:read', 'user:admin'];

export type QuayFeature = 'mirror' | 'security' | 'autoPrune' | 'immutability' | 'quota' | 'changeState' | 'proxyCache';
export const FEATURE_TEMPLATES: Record<QuayFeature, string[]> = {
  mirror: ['/api/v1/repository/{repository}/mirror', '/api/v1/repository/{repository}/mirror/sync-now', '/api/v1/repository/{repository}/mirror/sync-cancel'],
  security: ['/api/v1/repository/{repository}/manifest/{manifestref}/security'],
  autoPrune: [
    '/api/v1/organization/{orgname}/autoprunepolicy/',
    '/api/v1/organization/{orgname}/autoprunepolicy/{policy_uuid}',
    '/api/v1/repository/{repository}/autoprunepolicy/',
    '/api/v1/repository/{repository}/autoprunepolicy/{policy_uuid}',
  ],
  immutability: [
    '/api/v1/organization/{orgname}/immutabilitypolicy/',
    '/api/v1/organization/{orgname}/immutabilitypolicy/{policy_uuid}',
    '/api/v1/repository/{repository}/immutabilitypolicy/',
    '/api/v1/repository/{repository}/immutabilitypolicy/{policy_uuid}',
  ],
  quota: ['/api/v1/organization/{orgname}/quota'],
  changeState: ['/api/v1/repository/{repository}/changestate'],
  proxyCache: ['/api/v1/organization/{orgname}/proxycache', '/api/v1/organization/{orgname}/validateproxycache'],
};

export interface QuayServerOptions {
  port?: number;
  /** Feature-gated endpoints this server has (default: all). Missing ones are absent from discovery and answer 404. */
  features?: QuayFeature[];
  /** Start the embedded `/v2` registry (default false). */
  registry?: boolean;
  /** Seed the demo data set (two organizations, a user namespace, robots, teams, policies, history…). Default true. */
  seed?: boolean;
  /** Clock in ms. */
  now?: () => number;
  /**
   * Whether `UpdateOrg` (PUT /organization/{orgname}) takes `tag_expiration_s`, as current Quay does (default true).
   * False: an older Quay, as the vendored discovery document describes: UpdateOrg declares only name and email, and
   * the key is ignored (200, nothing changes).
   */
  orgTagExpiration?: boolean;
}

export interface QuayRequestLogEntry {
  method: string;
  /** Raw path (still encoded) without the query. */
  path: string;
  query: string;
  status: number;
  auth: 'none' | 'bearer' | 'other';
}

/** `path` is tested against the raw path; `wrongType` answers `body` instead of the normal body. */
export interface QuayFault extends FaultFilter {
  path: RegExp;
  kind: 'malformed' | 'status' | 'repeatCursor' | 'wrongType';
  status?: number;
  body?: unknown;
}

export interface QuayServer {
  readonly url: string;
  readonly requests: QuayRequestLogEntry[];
  /** Request bodies refused (400) because they broke the request schema: tests assert it stays empty. */
  readonly requestIssues: string[];
  /** The API token of the demo user (all scopes). */
  readonly token: string;
  readonly username: string;
  clearRequests(): void;
  /** Issues a token for a user with the given scopes (`value`: that token text rather than a random one). */
  issueToken(user: string, scopes: Scope[], value?: string): string;
  addUser(name: string): void;
  addOrg(name: string, members?: string[]): void;
  /** A pending invitation to a team (a user name, or an e-mail address), listed only with `includePending=true`. */
  inviteToTeam(org: string, team: string, who: string): void;
  addRepository(namespace: string, name: string, opts?: { description?: string; isPublic?: boolean; state?: string; lastModified?: number; popularity?: number }): void;
  /** Adds an active tag (a new history entry); returns its digest. */
  addTag(repository: string, tag: string, opts?: { digest?: string; size?: number; list?: string[]; startTs?: number; expiration?: number }): string;
  addTags(repository: string, count: number, prefix?: string): void;
  /** Ends the active entry of a tag (as a delete would). */
  endTag(repository: string, tag: string, at?: number): void;
  addLogs(target: string, count: number): void;
  /** Fails health services (instance and end-to-end) until cleared. */
  setFailingServices(services: string[]): void;
  /** Answers matching requests with a malformed body or a status. */
  setFault(f: QuayFault | undefined): void;
  /** Read-only views for assertions. */
  tags(repository: string): { name: string; digest: string; start: number; end?: number }[];
  repository(repository: string): { description: string; isPublic: boolean; state: string } | undefined;
  mirrorOf(repository: string): Record<string, unknown> | undefined;
  proxyCacheOf(org: string): Record<string, unknown> | undefined;
  registry?: OciServer;
  close(): Promise<void>;
}

export type Json = Record<string, unknown>;

export interface TagEntry {
  id: number;
  name: string;
  digest: string;
  size: number | null;
  list?: string[];
  start: number;
  end?: number;
  reversion: boolean;
}
export interface RepoRec {
  namespace: string;
  name: string;
  description: string;
  isPublic: boolean;
  state: string;
  lastModified: number;
  popularity: number;
  tags: TagEntry[];
  userPerms: Map<string, string>;
  teamPerms: Map<string, string>;
  notifications: Json[];
  mirror?: Json;
  autoprune: Json[];
  immutability: Json[];
  labels: Map<string, Json[]>;
  logs: Json[];
  manifests: Map<string, string>;
}
export interface TeamRec {
  name: string;
  role: string;
  description: string;
  members: Set<string>;
  invited: Set<string>;
}
export interface RobotRec {
  name: string;
  description: string;
  token: string;
  created: number;
  lastAccessed: number | null;
}
export interface OrgRec {
  name: string;
  email: string;
  members: Set<string>;
  teams: Map<string, TeamRec>;
  robots: Map<string, RobotRec>;
  tagExpiration: number;
  autoprune: Json[];
  immutability: Json[];
  quota: Json[];
  logs: Json[];
  proxyCache?: Json;
}
export interface UserRec {
  name: string;
  robots: Map<string, RobotRec>;
  appTokens: Json[];
  logs: Json[];
}
export interface TokenRec {
  user: string;
  scopes: Set<string>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export const EVENTS = new Set(['repo_push', 'build_queued', 'build_start', 'build_success', 'build_failure', 'build_cancelled', 'vulnerability_found', 'repo_mirror_sync_started', 'repo_mirror_sync_success', 'repo_mirror_sync_failed', 'repo_image_expiry']);
export const METHOD_KEYS: Record<string, string[]> = {
  webhook: ['url'],
  email: ['email'],
  slack: ['url'],
  flowdock: ['flow_api_token'],
  hipchat: ['room_id', 'notification_token'],
  quay_notification: ['target'],
};
export const MIRROR_KEYS = new Set(['is_enabled', 'external_reference', 'external_registry_username', 'external_registry_password', 'sync_start_date', 'sync_interval', 'robot_username', 'root_rule', 'external_registry_config', 'architecture_filter', 'skopeo_timeout_interval']);
export const TAG_RE = /^[\w][\w.-]{0,127}$/;
export const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
export function rfc2822(sec: number): string {
  // Quay's format_date: "Tue, 14 Nov 2023 22:13:20 -0000".
  return new Date(sec * 1000).toUTCString().replace('GMT', '-0000');
}
export function iso(sec: number): string {
  return new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
export function fakeDigest(seed: string): string {
  return 'sha256:' + crypto.createHash('sha256').update(seed).digest('hex');
}
export function avatar(name: string, kind: string): Json {
  return { name, hash: crypto.createHash('sha256').update(name).digest('hex'), color: '#1f77b4', kind };
}
export function opaqueToken(offset: number, salt: string): string {
  return 'gAAAAAB' + Buffer.from(JSON.stringify({ o: offset, s: salt })).toString('base64url');
}
export function readToken(token: string, salt: string): number {
  try {
    const v = JSON.parse(Buffer.from(token.slice(7), 'base64url').toString('utf8')) as { o?: unknown; s?: unknown };
    if (!token.startsWith('gAAAAAB') || v.s !== salt || typeof v.o !== 'number') throw new Error('bad');
    return v.o;
  } catch {
    throw new HttpError(400, 'invalid_request', 'Invalid page token');
  }
}

/** A synthetic OCI index over `children` (platforms cycle through amd64, arm64/v8, s390x). */
export function syntheticIndex(children: string[]): Json {
  const platforms = [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
    { os: 'linux', architecture: 's390x' },
  ];
  return {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: children.map((digest, i) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 1000, platform: platforms[i % platforms.length] })),
  };
}
