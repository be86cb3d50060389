/**
 * An in-memory Docker Hub API (v2) for tests, the benchmark and the demo. Every response body follows the schemas in
 * test/fixtures/specs/docker-hub-api.validated.json (checked by test/unit/hubContract.test.ts); endpoints the published
 * spec lacks follow docker/hub-tool (pkg/hub) and are checked against the zod schemas of src/registry/dockerhub.
 *
 * Two places where the published spec and Hub disagree are switchable with `shapes`:
 * - `tag.images` is declared as one `image` object; Hub (and hub-tool) send an array of images.
 * - `GET /v2/orgs/{org}/members` is declared as an array of paginated objects; Hub sends one paginated object.
 * `shapes: 'hub'` (default) sends what Hub sends; `shapes: 'literal'` sends exactly what the spec text says.
 */
import type { FaultFilter, FaultPayload } from '../kit/faults';
import { ORG_TOKEN_SCOPES } from '../../../src/registry/dockerhub/model';


/** Organization access token scopes Hub accepts (the seed's note: `scope-image-pull`, not `repo-pull`). */
export const OAT_SCOPES: readonly string[] = ORG_TOKEN_SCOPES.map((s) => s.scope);
/** RFC 3339 date-time, as Hub's `format: date-time` fields require. */
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export type HubShapes = 'hub' | 'literal';

export interface HubServerOptions {
  /** Origin named in `next` / `previous` links (Hub's own examples name https://hub.docker.com); default the server's. */
  linkOrigin?: string;
  /** Default 0 (random). Always bound to 127.0.0.1. */
  port?: number;
  /** Lifetime of issued access tokens; Hub's is 10 minutes. */
  tokenLifetimeSeconds?: number;
  /** Requests allowed per rate-limit window (default 10,000 so tests never hit it by accident). */
  rateLimit?: number;
  rateLimitWindowSeconds?: number;
  /** Serve `/v2/user/orgs/` (default true). False answers 404, like a Hub without the endpoint. */
  userOrgs?: boolean;
  shapes?: HubShapes;
  /** Clock in ms since the epoch, so tests can move time instead of sleeping. */
  now?: () => number;
  /** Seed a small demo data set (users, org, repositories, tags). */
  seedDemo?: boolean;
  /** Base URL of a registry serving the images behind the tags (for tag details); reported as `registryUrl`. */
  registryUrl?: string;
}

export interface HubRequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  status: number;
  /** Kind of credentials sent; never the credentials themselves. */
  auth: 'none' | 'bearer' | 'jwt' | 'basic' | 'other';
  at: number;
}

export interface HubFault extends FaultFilter, FaultPayload {
  /**
   * `malformed`: a 200 with a truncated JSON body; `wrongType`: the normal body with `field` (default: the first
   * result's `name`, else the first property) set to `value`; `status`: an error status.
   */
  kind: 'malformed' | 'wrongType' | 'status';
}

export interface TagSeed {
  name: string;
  /** Platforms as `os/arch[/variant]`; default one linux/amd64 image. */
  platforms?: string[];
  size?: number;
  lastPushed?: string;
  lastPulled?: string | null;
  /** Digest of the tag (the index for several platforms); generated when absent. */
  digest?: string;
}

export interface RepositorySeed {
  description?: string;
  fullDescription?: string;
  isPrivate?: boolean;
  starCount?: number;
  pullCount?: number;
  lastUpdated?: string;
}

export interface HubServer {
  readonly url: string;
  readonly registryUrl?: string;
  readonly requests: HubRequestLogEntry[];
  clearRequests(): void;
  close(): Promise<void>;

  addUser(username: string, password: string, opts?: { fullName?: string; email?: string }): void;
  /** Creates an organization (a namespace) with members; the first owner defaults to none. */
  addOrg(name: string, members?: Record<string, 'owner' | 'editor' | 'member'>): void;
  /** A namespace with no members (e.g. `library`), created as an organization when unknown. */
  addNamespace(name: string): void;
  addRepository(namespace: string, name: string, seed?: RepositorySeed): void;
  addTag(namespace: string, repository: string, tag: TagSeed): void;
  /** Adds `count` tags named `${prefix}${i}` quickly (5,000 in a few milliseconds). */
  addTags(namespace: string, repository: string, count: number, opts?: { prefix?: string; platforms?: string[] }): void;
  addGroup(org: string, name: string, members?: string[], description?: string): void;
  addAuditEvents(account: string, count: number, action?: string): void;
  /** Creates a personal access token and returns its secret (for signing in with it). */
  createPat(username: string, opts?: { label?: string; scopes?: string[]; expiresAt?: string }): string;
  /** Creates an organization access token and returns its secret. */
  createOat(org: string, opts?: { label?: string; scopes?: string[] }): string;
  /** Issues an access token directly, as `POST /v2/auth/token` would. */
  issueToken(username: string, lifetimeSeconds?: number): string;

  /** Sets the current rate-limit figures (a new window starts now). */
  setRateLimit(limit: number, remaining?: number, windowSeconds?: number): void;
  /** Answers the next `count` matching requests with 429 and `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number, path?: string | RegExp): void;
  setFault(fault: HubFault | undefined): void;
  setShapes(shapes: HubShapes): void;
  setUserOrgs(enabled: boolean): void;
  /** Read-only view for assertions. */
  repository(namespace: string, name: string): { isPrivate: boolean; description: string; fullDescription: string; tags: string[]; immutable: { enabled: boolean; rules: string[] } } | undefined;
  patActive(username: string, label: string): boolean | undefined;
}

export type Role = 'owner' | 'editor' | 'member';
export type Json = Record<string, unknown>;

export interface UserRec {
  id: string;
  username: string;
  password: string;
  fullName: string;
  email: string;
  dateJoined: string;
}
export interface PatRec {
  uuid: string;
  username: string;
  label: string;
  scopes: string[];
  secret: string;
  isActive: boolean;
  createdAt: string;
  lastUsed: string | null;
  expiresAt?: string;
}
export interface GroupRec {
  id: number;
  uuid: string;
  name: string;
  description: string;
  members: Set<string>;
}
export interface OatRec {
  id: string;
  label: string;
  createdBy: string;
  isActive: boolean;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  resources: Array<{ type: 'TYPE_REPO' | 'TYPE_ORG'; path: string; scopes: string[] }>;
  secret: string;
}
export interface AuditRec {
  account: string;
  action: string;
  name: string;
  actor: string;
  data: Record<string, string>;
  timestamp: string;
  description: string;
}
export interface OrgRec {
  id: string;
  name: string;
  fullName: string;
  dateJoined: string;
  members: Map<string, Role>;
  groups: Map<string, GroupRec>;
  oats: Map<string, OatRec>;
  settings: { enabled: boolean; allow_official_images: boolean; allow_verified_publishers: boolean };
}
export interface ImageRec {
  architecture: string;
  os: string;
  variant?: string;
  digest: string;
  size: number;
  lastPushed: string;
  lastPulled: string | null;
}
export interface TagRec {
  id: number;
  name: string;
  digest: string;
  mediaType: string;
  fullSize: number;
  lastUpdated: string;
  lastPushed: string;
  lastPulled: string | null;
  images: ImageRec[];
  updater: string;
}
export interface RepoRec {
  namespace: string;
  name: string;
  description: string;
  fullDescription: string;
  isPrivate: boolean;
  starCount: number;
  pullCount: number;
  lastUpdated: string;
  dateRegistered: string;
  immutable: { enabled: boolean; rules: string[] };
  tags: TagRec[];
  tagIndex: Map<string, TagRec>;
  sorted: boolean;
}

export interface Principal {
  kind: 'user' | 'org';
  name: string;
  /** `all` for password sign-in; PAT scopes otherwise. */
  scopes: 'all' | string[];
  /** Organization tokens: the resources (repository path globs with their scopes) the token was created with. */
  resources?: OatRec['resources'];
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(detail);
  }
}

export const INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
export const MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/** A stable 32-bit hash (numeric ids derived from names). */
export function hash32(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
