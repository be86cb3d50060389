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
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { ORG_TOKEN_SCOPES } from '../../src/registry/dockerhub/model';
import { OpenApiValidator, formatIssues, type OpenApiDocument } from '../support/openapiValidator';
import { startOciServer } from './ociServer';
import type { AddressInfo } from 'node:net';

/**
 * The Hub OpenAPI document every request is validated against (query and JSON body), with one request-side
 * erratum: `immutable_tags_verify_request.regex` carries the repository-name `pattern`, which its own example
 * (`v.*`) and every useful rule fail; Hub checks that the value is a regular expression (the handler does too).
 */
let requestValidator: OpenApiValidator | undefined;
function hubSpec(): OpenApiValidator {
  if (!requestValidator) {
    // __filename, not __dirname: under tsx's ESM loader (the e2e runner and the demo) __dirname is not this folder.
    const file = path.join(path.dirname(__filename), '..', 'fixtures', 'specs', 'docker-hub-api.validated.json');
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as OpenApiDocument;
    const verify = doc.components?.schemas?.immutable_tags_verify_request?.properties?.regex;
    if (verify) delete verify.pattern;
    requestValidator = new OpenApiValidator(doc);
  }
  return requestValidator;
}

/** Organization access token scopes Hub accepts (the seed's note: `scope-image-pull`, not `repo-pull`). */
const OAT_SCOPES: readonly string[] = ORG_TOKEN_SCOPES.map((s) => s.scope);
/** RFC 3339 date-time, as Hub's `format: date-time` fields require. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

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

export interface HubFault {
  /** Only requests whose path matches. */
  path?: string | RegExp;
  method?: string;
  /** `malformed`: a 200 with a truncated JSON body; `wrongType`: the normal body with one field's type changed; `status`: an error status. */
  kind: 'malformed' | 'wrongType' | 'status';
  /** For `wrongType`: dotted path of the field to replace (default: the first result's `name`, else the first property). */
  field?: string;
  /** For `wrongType`: the replacement value (default 12345). */
  value?: unknown;
  status?: number;
  /** How many matching requests to affect (default: until cleared). */
  times?: number;
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

type Role = 'owner' | 'editor' | 'member';
type Json = Record<string, unknown>;

interface UserRec {
  id: string;
  username: string;
  password: string;
  fullName: string;
  email: string;
  dateJoined: string;
}
interface PatRec {
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
interface GroupRec {
  id: number;
  uuid: string;
  name: string;
  description: string;
  members: Set<string>;
}
interface OatRec {
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
interface AuditRec {
  account: string;
  action: string;
  name: string;
  actor: string;
  data: Record<string, string>;
  timestamp: string;
  description: string;
}
interface OrgRec {
  id: string;
  name: string;
  fullName: string;
  dateJoined: string;
  members: Map<string, Role>;
  groups: Map<string, GroupRec>;
  oats: Map<string, OatRec>;
  settings: { enabled: boolean; allow_official_images: boolean; allow_verified_publishers: boolean };
}
interface ImageRec {
  architecture: string;
  os: string;
  variant?: string;
  digest: string;
  size: number;
  lastPushed: string;
  lastPulled: string | null;
}
interface TagRec {
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
interface RepoRec {
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

interface Principal {
  kind: 'user' | 'org';
  name: string;
  /** `all` for password sign-in; PAT scopes otherwise. */
  scopes: 'all' | string[];
  /** Organization tokens: the resources (repository path globs with their scopes) the token was created with. */
  resources?: OatRec['resources'];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(detail);
  }
}

const INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';
const MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

export async function startHubServer(opts: HubServerOptions = {}): Promise<HubServer> {
  const now = opts.now ?? (() => Date.now());
  const iso = (ms = now()): string => new Date(ms).toISOString();
  const tokenLifetime = opts.tokenLifetimeSeconds ?? 600;
  const signingKey = crypto.randomBytes(32);
  let shapes: HubShapes = opts.shapes ?? 'hub';
  let userOrgs = opts.userOrgs ?? true;

  const users = new Map<string, UserRec>();
  const orgs = new Map<string, OrgRec>();
  const repos = new Map<string, RepoRec>();
  const pats = new Map<string, PatRec>();
  const audit: AuditRec[] = [];
  const requests: HubRequestLogEntry[] = [];
  let nextTagId = 1;
  let nextGroupId = 1;

  let rate = { limit: opts.rateLimit ?? 10_000, remaining: opts.rateLimit ?? 10_000, windowMs: (opts.rateLimitWindowSeconds ?? 60) * 1000, resetAt: now() + (opts.rateLimitWindowSeconds ?? 60) * 1000 };
  const forced429: Array<{ left: number; retryAfter: number; path?: string | RegExp }> = [];
  let fault: (HubFault & { left: number }) | undefined;

  let baseUrl = '';

  // ---- helpers -------------------------------------------------------------------------------------------------

  const repoKey = (ns: string, name: string) => `${ns}/${name}`;
  const digestOf = (s: string) => 'sha256:' + crypto.createHash('sha256').update(s).digest('hex');

  function namespaceExists(ns: string): boolean {
    return users.has(ns) || orgs.has(ns);
  }

  function isMember(ns: string, username: string): boolean {
    return ns === username || (orgs.get(ns)?.members.has(username) ?? false);
  }

  function roleIn(ns: string, username: string): Role | undefined {
    if (ns === username) return 'owner';
    return orgs.get(ns)?.members.get(username);
  }

  function scopeAllows(p: Principal, need: 'read' | 'write' | 'admin'): boolean {
    if (p.scopes === 'all') return true;
    const rank = { 'repo:public_read': 0, 'repo:read': 1, 'repo:write': 2, 'repo:admin': 3 } as Record<string, number>;
    const have = Math.max(-1, ...p.scopes.map((s) => rank[s] ?? (s.includes('push') ? 2 : s.includes('pull') ? 1 : -1)));
    return have >= { read: 1, write: 2, admin: 3 }[need];
  }

  // Whether an organization token's resource path covers a repository: `org/repo`, a glob such as `org/*`, or the
  // literal `*/*/public` (every public repository).
  function pathCovers(pattern: string, repo: RepoRec): boolean {
    if (pattern === '*/*/public') return !repo.isPrivate;
    const [ns, name, ...rest] = pattern.split('/');
    if (rest.length || ns === undefined || name === undefined) return false;
    const seg = (glob: string, v: string) => new RegExp('^' + glob.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*') + '$').test(v);
    return seg(ns, repo.namespace) && seg(name, repo.name);
  }

  /** Organization tokens are authorised by resource path: a repository resource covering it, with the scope. */
  function orgTokenAllows(p: Principal, repo: RepoRec, need: 'read' | 'write' | 'admin'): boolean {
    if (need === 'admin' || p.name !== repo.namespace) return false;
    const scope = need === 'read' ? 'scope-image-pull' : 'scope-image-push';
    return (p.resources ?? []).some((r) => r.scopes.includes(scope) && pathCovers(r.path, repo));
  }

  function canRead(repo: RepoRec, p: Principal | undefined): boolean {
    if (!repo.isPrivate) return true;
    if (!p) return false;
    if (p.kind === 'org') return orgTokenAllows(p, repo, 'read');
    return scopeAllows(p, 'read') && isMember(repo.namespace, p.name);
  }

  function requireAuth(p: Principal | undefined): Principal {
    if (!p) throw new HttpError(401, 'Authentication credentials were not provided.');
    return p;
  }

  function requireWrite(ns: string, p: Principal | undefined, need: 'write' | 'admin', repo?: RepoRec): Principal {
    const who = requireAuth(p);
    if (who.kind === 'org') {
      if (!repo || !orgTokenAllows(who, repo, need)) throw new HttpError(403, 'You do not have permission to perform this action.');
      return who;
    }
    const allowedByRole = ['owner', 'editor'].includes(roleIn(ns, who.name) ?? '');
    if (!allowedByRole || !scopeAllows(who, need)) throw new HttpError(403, 'You do not have permission to perform this action.');
    return who;
  }

  function requireOrg(name: string, p: Principal | undefined, role: 'member' | 'owner'): OrgRec {
    const who = requireAuth(p);
    const org = orgs.get(name);
    if (!org) throw new HttpError(404, `Organization ${name} not found`);
    if (who.kind === 'org') {
      if (who.name !== name) throw new HttpError(403, 'Forbidden');
      return org;
    }
    const r = org.members.get(who.name);
    if (!r || (role === 'owner' && r !== 'owner')) throw new HttpError(403, 'You do not have permission to perform this action.');
    return org;
  }

  function getRepo(ns: string, name: string, p: Principal | undefined): RepoRec {
    const repo = repos.get(repoKey(ns, name));
    // Hub answers 404 for private repositories the caller cannot see, so their existence does not leak.
    if (!repo || !canRead(repo, p)) throw new HttpError(404, 'Object not found');
    return repo;
  }

  function record(account: string, action: string, name: string, actor: string, data: Record<string, string>, description: string): void {
    audit.push({ account, action, name, actor, data, timestamp: iso(), description });
  }

  function sortTags(repo: RepoRec): void {
    if (repo.sorted) return;
    repo.tags.sort((a, b) => (a.lastUpdated < b.lastUpdated ? 1 : a.lastUpdated > b.lastUpdated ? -1 : a.name.localeCompare(b.name)));
    repo.sorted = true;
  }

  function parsePlatform(s: string): { os: string; architecture: string; variant?: string } {
    const [os, architecture, variant] = s.split('/');
    return variant ? { os: os ?? 'linux', architecture: architecture ?? 'amd64', variant } : { os: os ?? 'linux', architecture: architecture ?? 'amd64' };
  }

  function makeTag(ns: string, repo: string, seed: TagSeed): TagRec {
    const platforms = seed.platforms ?? ['linux/amd64'];
    const pushed = seed.lastPushed ?? iso();
    const baseSize = seed.size ?? 7_340_032;
    const images: ImageRec[] = platforms.map((p, i) => ({
      ...parsePlatform(p),
      digest: digestOf(`${ns}/${repo}:${seed.name}#${p}`),
      size: baseSize + i * 1024,
      lastPushed: pushed,
      lastPulled: seed.lastPulled ?? null,
    }));
    const isIndex = images.length > 1;
    return {
      id: nextTagId++,
      name: seed.name,
      digest: seed.digest ?? (isIndex ? digestOf(`${ns}/${repo}:${seed.name}#index`) : images[0]!.digest),
      mediaType: isIndex ? INDEX_MEDIA_TYPE : MANIFEST_MEDIA_TYPE,
      fullSize: images.reduce((n, im) => n + im.size, 0),
      lastUpdated: pushed,
      lastPushed: pushed,
      lastPulled: seed.lastPulled ?? null,
      images,
      updater: ns,
    };
  }

  function putTag(repo: RepoRec, tag: TagRec): void {
    const old = repo.tagIndex.get(tag.name);
    if (old) repo.tags.splice(repo.tags.indexOf(old), 1);
    repo.tags.push(tag);
    repo.tagIndex.set(tag.name, tag);
    repo.sorted = false;
    if (tag.lastUpdated > repo.lastUpdated) repo.lastUpdated = tag.lastUpdated;
  }

  function ensureRepo(ns: string, name: string): RepoRec {
    const r = repos.get(repoKey(ns, name));
    if (!r) throw new Error(`No repository ${ns}/${name}; add it first`);
    return r;
  }

  function signJwt(payload: Json): string {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = enc({ alg: 'HS256', typ: 'JWT' });
    const body = enc(payload);
    const sig = crypto.createHmac('sha256', signingKey).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  }

  function issue(kind: 'user' | 'org', name: string, scopes: 'all' | string[], lifetime = tokenLifetime, resources?: OatRec['resources']): string {
    const iat = Math.floor(now() / 1000);
    const id = kind === 'user' ? users.get(name)?.id : orgs.get(name)?.id;
    return signJwt({
      sub: id ?? name,
      iat,
      exp: iat + lifetime,
      jti: crypto.randomUUID(),
      'https://hub.docker.com': { username: name, uuid: id ?? name, kind, scopes: scopes === 'all' ? ['all'] : scopes, ...(resources ? { resources } : {}) },
    });
  }

  function verifyJwt(token: string): Principal | 'invalid' {
    const parts = token.split('.');
    if (parts.length !== 3) return 'invalid';
    const expect = crypto.createHmac('sha256', signingKey).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2]!, 'base64url');
    if (got.length !== expect.length || !crypto.timingSafeEqual(got, expect)) return 'invalid';
    try {
      const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Json;
      if (typeof payload.exp !== 'number' || payload.exp * 1000 <= now()) return 'invalid';
      const claims = payload['https://hub.docker.com'] as { username: string; kind: 'user' | 'org'; scopes: string[]; resources?: OatRec['resources'] };
      return { kind: claims.kind, name: claims.username, scopes: claims.scopes[0] === 'all' ? 'all' : claims.scopes, ...(claims.resources ? { resources: claims.resources } : {}) };
    } catch {
      return 'invalid';
    }
  }

  function authKind(h: string | undefined): HubRequestLogEntry['auth'] {
    if (!h) return 'none';
    const scheme = h.split(' ')[0]!.toLowerCase();
    return scheme === 'bearer' || scheme === 'jwt' || scheme === 'basic' ? scheme : 'other';
  }

  function principalOf(req: http.IncomingMessage): Principal | undefined {
    const h = req.headers.authorization;
    if (!h) return undefined;
    const m = /^(Bearer|JWT)\s+(\S+)$/i.exec(h);
    if (!m) throw new HttpError(401, 'Unsupported authorization scheme');
    const p = verifyJwt(m[2]!);
    if (p === 'invalid') throw new HttpError(401, 'Token is invalid or expired');
    return p;
  }

  function pageParams(q: URLSearchParams, defaultSize: number): { page: number; size: number } {
    const page = q.has('page') ? Number(q.get('page')) : 1;
    const size = q.has('page_size') ? Number(q.get('page_size')) : defaultSize;
    if (!Number.isInteger(page) || page < 1) throw new HttpError(400, 'Invalid page', { page: ['A valid integer is required.'] });
    if (!Number.isInteger(size) || size < 1) throw new HttpError(400, 'Invalid page_size', { page_size: ['A valid integer is required.'] });
    // Hub refuses more than 100 per page instead of capping.
    if (size > 100) throw new HttpError(400, 'page_size must be at most 100', { page_size: ['Ensure this value is less than or equal to 100.'] });
    return { page, size };
  }

  function pageUrl(path: string, q: URLSearchParams, page: number, size: number): string {
    const u = new URL(path, opts.linkOrigin ?? baseUrl);
    for (const [k, v] of q) if (k !== 'page' && k !== 'page_size') u.searchParams.append(k, v);
    u.searchParams.set('page', String(page));
    u.searchParams.set('page_size', String(size));
    return u.toString();
  }

  /** Django-style paging: `count`, `next`, `previous`, and 404 past the last page. */
  function paginate<T>(items: T[], path: string, q: URLSearchParams, defaultSize: number, emptyNext: 'null' | 'omit') {
    const { page, size } = pageParams(q, defaultSize);
    const start = (page - 1) * size;
    if (page > 1 && start >= items.length) throw new HttpError(404, 'Invalid page.');
    const slice = items.slice(start, start + size);
    const next = start + size < items.length ? pageUrl(path, q, page + 1, size) : null;
    const previous = page > 1 ? pageUrl(path, q, page - 1, size) : null;
    const links: Json = {};
    // Some schemas declare `next`/`previous` as plain (non-nullable) strings: there, an absent link is left out.
    if (next !== null || emptyNext === 'null') links.next = next;
    if (previous !== null || emptyNext === 'null') links.previous = previous;
    return { count: items.length, slice, links };
  }

  // ---- JSON shapes ---------------------------------------------------------------------------------------------

  const userJson = (u: UserRec): Json => ({
    id: u.id,
    company: '',
    date_joined: u.dateJoined,
    full_name: u.fullName,
    gravatar_email: '',
    gravatar_url: '',
    location: '',
    profile_url: '',
    type: 'User',
    username: u.username,
  });

  function repoListEntry(r: RepoRec): Json {
    return {
      name: r.name,
      namespace: r.namespace,
      repository_type: 'image',
      status: 1,
      status_description: 'active',
      description: r.description,
      is_private: r.isPrivate,
      star_count: r.starCount,
      pull_count: r.pullCount,
      last_updated: r.lastUpdated,
      last_modified: r.lastUpdated,
      date_registered: r.dateRegistered,
      affiliation: '',
      media_types: [MANIFEST_MEDIA_TYPE],
      content_types: ['image'],
      categories: [],
      storage_size: r.tags.reduce((n, t) => n + t.fullSize, 0),
    };
  }

  function repoInfo(r: RepoRec, p: Principal | undefined): Json {
    const role = p && p.kind === 'user' ? roleIn(r.namespace, p.name) : p?.name === r.namespace ? 'owner' : undefined;
    return {
      user: r.namespace,
      name: r.name,
      namespace: r.namespace,
      repository_type: 'image',
      status: 1,
      status_description: 'active',
      description: r.description,
      is_private: r.isPrivate,
      is_automated: false,
      star_count: r.starCount,
      pull_count: r.pullCount,
      last_updated: r.lastUpdated,
      last_modified: r.lastUpdated,
      date_registered: r.dateRegistered,
      collaborator_count: 0,
      affiliation: null,
      hub_user: r.namespace,
      has_starred: false,
      full_description: r.fullDescription,
      permissions: { read: canRead(r, p), write: role === 'owner' || role === 'editor', admin: role === 'owner' },
      media_types: [MANIFEST_MEDIA_TYPE],
      content_types: ['image'],
      categories: [],
      immutable_tags_settings: { enabled: r.immutable.enabled, rules: [...r.immutable.rules] },
      storage_size: r.tags.reduce((n, t) => n + t.fullSize, 0),
      source: null,
    };
  }

  function imageJson(im: ImageRec): Json {
    const o: Json = {
      architecture: im.architecture,
      features: '',
      digest: im.digest,
      layers: [
        { digest: digestOf(im.digest + '#l0'), size: Math.floor(im.size * 0.7), instruction: 'ADD file:rootfs in /' },
        { digest: null, size: 0, instruction: 'CMD ["sh"]' },
      ],
      os: im.os,
      os_features: '',
      os_version: '',
      size: im.size,
      status: 'active',
      last_pulled: im.lastPulled,
      last_pushed: im.lastPushed,
    };
    if (im.variant) o.variant = im.variant;
    return o;
  }

  function tagJson(t: TagRec, repoId: number): Json {
    const images = t.images.map(imageJson);
    return {
      id: t.id,
      images: shapes === 'literal' ? images[0] : images,
      creator: 1,
      last_updated: t.lastUpdated,
      last_updater: 1,
      last_updater_username: t.updater,
      name: t.name,
      repository: repoId,
      full_size: t.fullSize,
      v2: 'true',
      status: 'active',
      tag_last_pulled: t.lastPulled,
      tag_last_pushed: t.lastPushed,
      // Not in the published schema but sent by Hub: the digest and media type of what the tag points at.
      digest: t.digest,
      media_type: t.mediaType,
    };
  }

  function patJson(p: PatRec, withSecret: boolean): Json {
    const o: Json = {
      uuid: p.uuid,
      client_id: 'HUB',
      creator_ip: '127.0.0.1',
      creator_ua: 'registry-explorer-tests',
      created_at: p.createdAt,
      last_used: p.lastUsed,
      generated_by: 'manual',
      is_active: p.isActive,
      token: withSecret ? p.secret : '',
      token_label: p.label,
      scopes: [...p.scopes],
    };
    if (p.expiresAt) o.expires_at = p.expiresAt;
    return o;
  }

  function oatJson(o: OatRec, extra: { token?: boolean; resources?: boolean }): Json {
    const j: Json = {
      id: o.id,
      label: o.label,
      created_by: o.createdBy,
      is_active: o.isActive,
      created_at: o.createdAt,
      expires_at: o.expiresAt,
      last_used_at: o.lastUsedAt,
    };
    if (extra.resources) j.resources = o.resources.map((r) => ({ ...r, scopes: [...r.scopes] }));
    if (extra.token) j.token = o.secret;
    return j;
  }

  function memberJson(org: OrgRec, username: string): Json {
    const u = users.get(username);
    const role = org.members.get(username);
    const groups = [...org.groups.values()].filter((g) => g.members.has(username)).map((g) => g.name);
    return {
      ...(u ? userJson(u) : { username, type: 'User' }),
      email: u?.email ?? '',
      role: role === 'owner' ? 'Owner' : 'Member',
      groups,
      is_guest: false,
    };
  }

  const groupJson = (g: GroupRec): Json => ({ id: g.id, uuid: g.uuid, name: g.name, member_count: g.members.size });

  function groupMemberJson(username: string): Json {
    const u = users.get(username);
    return u ? { ...userJson(u), email: u.email } : { username, type: 'User' };
  }

  // ---- request plumbing -----------------------------------------------------------------------------------------

  /** Request bodies, read (and validated) by `handle` before the route's handler runs. */
  const bodies = new WeakMap<http.IncomingMessage, string>();

  async function readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 1_000_000) throw new HttpError(413, 'Request body too large');
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /**
   * Checks a request against the OpenAPI document as Hub's request parsing does: query parameter types, enums and
   * bounds, required and well-typed JSON body fields. Endpoints outside the document are checked by their handlers.
   */
  function validateRequest(method: string, path: string, q: URLSearchParams, text: string): void {
    let body: unknown;
    if (text) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        throw new HttpError(400, 'Malformed JSON body', { body: ['Invalid JSON.'] });
      }
    }
    const v = hubSpec().validateRequest(method, path, q, body);
    if (!v || v.issues.length === 0) return;
    const fields: Record<string, string[]> = {};
    for (const i of v.issues) {
      const key = i.at.replace(/^query\./, '').replace(/^\$\.?/, '').split(/[.[]/)[0] || 'body';
      (fields[key] ??= []).push(i.message);
    }
    throw new HttpError(400, `Invalid request: ${formatIssues(v.issues).replace(/\n/g, '; ')}`, fields);
  }

  async function readJson(req: http.IncomingMessage): Promise<Json> {
    const text = bodies.get(req) ?? '';
    if (!text) return {};
    try {
      const v = JSON.parse(text) as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      return v as Json;
    } catch {
      throw new HttpError(400, 'Malformed JSON body', { body: ['Invalid JSON.'] });
    }
  }

  function str(body: Json, key: string, required: boolean): string | undefined {
    const v = body[key];
    if (v === undefined || v === null) {
      if (required) throw new HttpError(400, `${key} is required`, { [key]: ['This field is required.'] });
      return undefined;
    }
    if (typeof v !== 'string') throw new HttpError(400, `${key} must be a string`, { [key]: ['Not a valid string.'] });
    return v;
  }

  function bool(body: Json, key: string, required: boolean): boolean | undefined {
    const v = body[key];
    if (v === undefined) {
      if (required) throw new HttpError(400, `${key} is required`, { [key]: ['This field is required.'] });
      return undefined;
    }
    if (typeof v !== 'boolean') throw new HttpError(400, `${key} must be a boolean`, { [key]: ['Must be a valid boolean.'] });
    return v;
  }

  function strArray(body: Json, key: string, required: boolean): string[] | undefined {
    const v = body[key];
    if (v === undefined) {
      if (required) throw new HttpError(400, `${key} is required`, { [key]: ['This field is required.'] });
      return undefined;
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new HttpError(400, `${key} must be a list of strings`, { [key]: ['Expected a list of strings.'] });
    return v as string[];
  }

  function compileRule(rule: string): RegExp {
    try {
      // Rules name whole tags: `v.*` must not match `dev`.
      return new RegExp(`^(?:${rule})$`);
    } catch {
      throw new HttpError(400, `Invalid regular expression: ${rule}`, { regex: ['Invalid regular expression.'] });
    }
  }

  interface Ctx {
    req: http.IncomingMessage;
    path: string;
    q: URLSearchParams;
    p: Principal | undefined;
    m: string[];
  }
  interface Reply {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
  }
  type Handler = (c: Ctx) => Promise<Reply> | Reply;
  const routes: Array<{ method: string; re: RegExp; h: Handler }> = [];
  const seg = '([^/]+)';
  function route(method: string, pattern: string, h: Handler): void {
    // Paths are matched as sent: `/v2/user/` and `/v2/user` are different paths, as on Hub.
    routes.push({ method, re: new RegExp('^' + pattern.replace(/\{[^}]+\}/g, seg) + '$'), h });
  }

  // ---- authentication --------------------------------------------------------------------------------------------

  route('POST', '/v2/auth/token', async ({ req }) => {
    const body = await readJson(req);
    const identifier = str(body, 'identifier', true)!;
    const secret = str(body, 'secret', true)!;
    const user = users.get(identifier);
    if (user) {
      if (secret === user.password) return { status: 200, body: { access_token: issue('user', user.username, 'all') } };
      const pat = [...pats.values()].find((t) => t.username === user.username && t.secret === secret);
      if (pat && pat.isActive && (!pat.expiresAt || Date.parse(pat.expiresAt) > now())) {
        pat.lastUsed = iso();
        return { status: 200, body: { access_token: issue('user', user.username, pat.scopes) } };
      }
    }
    const org = orgs.get(identifier);
    const oat = org && [...org.oats.values()].find((t) => t.secret === secret);
    if (org && oat && oat.isActive && (!oat.expiresAt || Date.parse(oat.expiresAt) > now())) {
      oat.lastUsedAt = iso();
      return { status: 200, body: { access_token: issue('org', org.name, oat.resources.flatMap((r) => r.scopes), tokenLifetime, oat.resources) } };
    }
    throw new HttpError(401, 'Incorrect authentication credentials');
  });

  // Not in the published spec: hub-tool's account endpoints (pkg/hub/user.go, organizations.go).
  route('GET', '/v2/user/', ({ p }) => {
    const who = requireAuth(p);
    const u = who.kind === 'user' ? users.get(who.name) : undefined;
    if (!u) throw new HttpError(403, 'Organization access tokens have no user');
    return { status: 200, body: { ...userJson(u), is_staff: false, is_admin: false } };
  });

  route('GET', '/v2/user/orgs/', ({ p, path, q }) => {
    if (!userOrgs) throw new HttpError(404, 'Not found');
    const who = requireAuth(p);
    const mine = [...orgs.values()].filter((o) => (who.kind === 'user' ? o.members.has(who.name) : o.name === who.name)).sort((a, b) => a.name.localeCompare(b.name));
    const pg = paginate(mine, path, q, 10, 'null');
    return {
      status: 200,
      body: {
        count: pg.count,
        ...pg.links,
        results: pg.slice.map((o) => ({ id: o.id, orgname: o.name, full_name: o.fullName, company: '', location: '', type: 'Org', date_joined: o.dateJoined, gravatar_email: '', gravatar_url: '', profile_url: '' })),
      },
    };
  });

  // ---- personal access tokens ------------------------------------------------------------------------------------

  function ownPat(p: Principal | undefined, uuid: string): PatRec {
    const who = requireAuth(p);
    const pat = pats.get(uuid);
    if (!pat || who.kind !== 'user' || pat.username !== who.name) throw new HttpError(404, 'Token not found');
    return pat;
  }

  route('GET', '/v2/access-tokens', ({ p, path, q }) => {
    const who = requireAuth(p);
    const mine = [...pats.values()].filter((t) => who.kind === 'user' && t.username === who.name).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    const pg = paginate(mine, path, q, 10, 'omit');
    return { status: 200, body: { count: pg.count, ...pg.links, active_count: mine.filter((t) => t.isActive).length, results: pg.slice.map((t) => patJson(t, false)) } };
  });

  route('POST', '/v2/access-tokens', async ({ req, p }) => {
    const who = requireAuth(p);
    if (who.kind !== 'user') throw new HttpError(403, 'Only users have personal access tokens');
    const body = await readJson(req);
    const label = str(body, 'token_label', true)!;
    if (label.length < 1 || label.length > 100) throw new HttpError(400, 'token_label must be 1-100 characters', { token_label: ['Ensure this field has 1 to 100 characters.'] });
    const scopes = strArray(body, 'scopes', true)!;
    const known = ['repo:admin', 'repo:write', 'repo:read', 'repo:public_read'];
    const bad = scopes.find((s) => !known.includes(s));
    if (bad) throw new HttpError(400, `Unknown scope ${bad}`, { scopes: [`"${bad}" is not a valid choice.`] });
    const expiresAt = expiresAtOf(body) ?? undefined;
    const pat: PatRec = { uuid: crypto.randomUUID(), username: who.name, label, scopes, secret: `dckr_pat_${crypto.randomBytes(20).toString('base64url')}`, isActive: true, createdAt: iso(), lastUsed: null, expiresAt };
    pats.set(pat.uuid, pat);
    return { status: 201, body: patJson(pat, true) };
  });

  route('GET', '/v2/access-tokens/{uuid}', ({ p, m }) => ({ status: 200, body: patJson(ownPat(p, m[0]!), false) }));

  route('PATCH', '/v2/access-tokens/{uuid}', async ({ req, p, m }) => {
    const pat = ownPat(p, m[0]!);
    const body = await readJson(req);
    const label = str(body, 'token_label', false);
    const active = bool(body, 'is_active', false);
    if (label !== undefined) {
      if (label.length < 1 || label.length > 100) throw new HttpError(400, 'token_label must be 1-100 characters', { token_label: ['Ensure this field has 1 to 100 characters.'] });
      pat.label = label;
    }
    if (active !== undefined) pat.isActive = active;
    return { status: 200, body: patJson(pat, false) };
  });

  route('DELETE', '/v2/access-tokens/{uuid}', ({ p, m }) => {
    const pat = ownPat(p, m[0]!);
    pats.delete(pat.uuid);
    return { status: 204 };
  });

  // ---- audit logs ------------------------------------------------------------------------------------------------

  function requireAuditAccess(account: string, p: Principal | undefined): void {
    const who = requireAuth(p);
    if (who.kind === 'user' && who.name === account) return;
    requireOrg(account, p, 'owner');
  }

  route('GET', '/v2/auditlogs/{account}', ({ p, q, m }) => {
    const account = m[0]!;
    requireAuditAccess(account, p);
    const page = q.has('page') ? Number(q.get('page')) : 1;
    const size = Math.min(q.has('page_size') ? Number(q.get('page_size')) : 25, 100);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1) throw new HttpError(400, 'Invalid paging parameters');
    const from = q.get('from') ? Date.parse(q.get('from')!) : -Infinity;
    const to = q.get('to') ? Date.parse(q.get('to')!) : Infinity;
    const events = audit
      .filter((e) => e.account === account)
      .filter((e) => !q.get('action') || e.action === q.get('action'))
      .filter((e) => !q.get('name') || e.name === q.get('name'))
      .filter((e) => !q.get('actor') || e.actor === q.get('actor'))
      .filter((e) => Date.parse(e.timestamp) >= from && Date.parse(e.timestamp) <= to)
      .reverse();
    const logs = events.slice((page - 1) * size, page * size).map((e) => ({
      account: e.account,
      action: e.action,
      name: e.name,
      actor: e.actor,
      data: e.data,
      timestamp: e.timestamp,
      action_description: e.description,
    }));
    return { status: 200, body: { logs } };
  });

  route('GET', '/v2/auditlogs/{account}/actions', ({ p, m }) => {
    requireAuditAccess(m[0]!, p);
    return {
      status: 200,
      body: {
        actions: {
          repo: {
            label: 'Repository',
            actions: [
              { name: 'create', label: 'Repository Created' },
              { name: 'delete', label: 'Repository Deleted' },
              { name: 'change_privacy', label: 'Privacy Changed' },
              { name: 'tag.push', label: 'Tag Pushed' },
              { name: 'tag.delete', label: 'Tag Deleted' },
            ],
          },
          org: { label: 'Organization', actions: [{ name: 'member.add', label: 'Member Added' }] },
        },
      },
    };
  });

  // ---- organization settings, members, groups, access tokens -----------------------------------------------------

  route('GET', '/v2/orgs/{name}/settings', ({ p, m }) => {
    const org = requireOrg(m[0]!, p, 'member');
    return { status: 200, body: { restricted_images: { ...org.settings } } };
  });

  route('PUT', '/v2/orgs/{name}/settings', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const body = await readJson(req);
    const ri = body.restricted_images;
    if (typeof ri === 'object' && ri !== null) {
      const r = ri as Json;
      for (const k of ['enabled', 'allow_official_images', 'allow_verified_publishers'] as const) {
        if (typeof r[k] === 'boolean') org.settings[k] = r[k];
      }
    }
    return { status: 200, body: { restricted_images: { ...org.settings } } };
  });

  route('GET', '/v2/orgs/{org_name}/members', ({ p, path, q, m }) => {
    const org = requireOrg(m[0]!, p, 'member');
    let names = [...org.members.keys()].sort();
    const role = q.get('role');
    if (role) names = names.filter((n) => org.members.get(n) === role);
    const search = q.get('search');
    if (search) names = names.filter((n) => n.includes(search) || (users.get(n)?.fullName ?? '').includes(search));
    const pg = paginate(names, path, q, 10, 'omit');
    const page = { count: pg.count, ...pg.links, results: pg.slice.map((n) => memberJson(org, n)) };
    return { status: 200, body: shapes === 'literal' ? [page] : page };
  });

  route('PUT', '/v2/orgs/{org_name}/members/{username}', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const body = await readJson(req);
    const role = str(body, 'role', true)!;
    if (!['owner', 'editor', 'member'].includes(role)) throw new HttpError(400, 'Invalid role', { role: [`"${role}" is not a valid choice.`] });
    if (!org.members.has(m[1]!)) throw new HttpError(404, 'Member not found');
    org.members.set(m[1]!, role as Role);
    return { status: 200, body: memberJson(org, m[1]!) };
  });

  route('DELETE', '/v2/orgs/{org_name}/members/{username}', ({ p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    if (!org.members.delete(m[1]!)) throw new HttpError(404, 'Member not found');
    for (const g of org.groups.values()) g.members.delete(m[1]!);
    return { status: 204 };
  });

  route('GET', '/v2/orgs/{org_name}/groups', ({ p, path, q, m }) => {
    const org = requireOrg(m[0]!, p, 'member');
    let groups = [...org.groups.values()].sort((a, b) => a.name.localeCompare(b.name));
    const username = q.get('username');
    if (username) groups = groups.filter((g) => g.members.has(username));
    const search = q.get('search');
    if (search) groups = groups.filter((g) => g.name.includes(search));
    const pg = paginate(groups, path, q, 10, 'omit');
    return { status: 200, body: { count: pg.count, ...pg.links, results: pg.slice.map(groupJson) } };
  });

  route('POST', '/v2/orgs/{org_name}/groups', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const body = await readJson(req);
    const name = str(body, 'name', true)!;
    if (org.groups.has(name)) throw new HttpError(400, `Group ${name} already exists`, { name: ['A group with this name already exists.'] });
    const g: GroupRec = { id: nextGroupId++, uuid: crypto.randomUUID(), name, description: str(body, 'description', false) ?? '', members: new Set() };
    org.groups.set(name, g);
    return { status: 201, body: groupJson(g) };
  });

  function getGroup(org: OrgRec, name: string): GroupRec {
    const g = org.groups.get(name);
    if (!g) throw new HttpError(404, `Group ${name} not found`);
    return g;
  }

  route('GET', '/v2/orgs/{org_name}/groups/{group_name}', ({ p, m }) => ({ status: 200, body: groupJson(getGroup(requireOrg(m[0]!, p, 'member'), m[1]!)) }));

  for (const method of ['PUT', 'PATCH']) {
    route(method, '/v2/orgs/{org_name}/groups/{group_name}', async ({ req, p, m }) => {
      const org = requireOrg(m[0]!, p, 'owner');
      const g = getGroup(org, m[1]!);
      const body = await readJson(req);
      const name = str(body, 'name', method === 'PUT');
      const description = str(body, 'description', false);
      if (name !== undefined && name !== g.name) {
        if (org.groups.has(name)) throw new HttpError(400, `Group ${name} already exists`);
        org.groups.delete(g.name);
        g.name = name;
        org.groups.set(name, g);
      }
      if (description !== undefined) g.description = description;
      return { status: 200, body: groupJson(g) };
    });
  }

  route('DELETE', '/v2/orgs/{org_name}/groups/{group_name}', ({ p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    getGroup(org, m[1]!);
    org.groups.delete(m[1]!);
    return { status: 204 };
  });

  route('GET', '/v2/orgs/{org_name}/groups/{group_name}/members', ({ p, path, q, m }) => {
    const g = getGroup(requireOrg(m[0]!, p, 'member'), m[1]!);
    let names = [...g.members].sort();
    const search = q.get('search');
    if (search) names = names.filter((n) => n.includes(search));
    const pg = paginate(names, path, q, 10, 'omit');
    return { status: 200, body: { count: pg.count, ...pg.links, results: pg.slice.map(groupMemberJson) } };
  });

  route('POST', '/v2/orgs/{org_name}/groups/{group_name}/members', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const g = getGroup(org, m[1]!);
    const body = await readJson(req);
    const member = str(body, 'member', true)!;
    if (!org.members.has(member)) throw new HttpError(404, `${member} is not a member of ${org.name}`);
    g.members.add(member);
    record(org.name, 'team.member.add', g.name, requireAuth(p).name, { member }, `added ${member} to the team ${g.name}`);
    return { status: 200 };
  });

  route('DELETE', '/v2/orgs/{org_name}/groups/{group_name}/members/{username}', ({ p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const g = getGroup(org, m[1]!);
    if (!g.members.delete(m[2]!)) throw new HttpError(404, `${m[2]!} is not in ${g.name}`);
    return { status: 204 };
  });

  /**
   * Resources of an organization access token, as Hub checks them: scopes only from Hub's list (`scope-image-pull`,
   * `scope-image-push`; `repo:pull` or `repo-pull` are refused), a TYPE_REPO path that is `org/repo` of an existing
   * repository of this organization, a glob within it (`org/*`) or `*\/*\/public`.
   */
  function parseResources(body: Json, org: OrgRec): OatRec['resources'] | undefined {
    const v = body.resources;
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw new HttpError(400, 'resources must be a list', { resources: ['Expected a list.'] });
    return v.map((r, i) => {
      const o = (r ?? {}) as Json;
      if ((o.type !== 'TYPE_REPO' && o.type !== 'TYPE_ORG') || typeof o.path !== 'string' || !Array.isArray(o.scopes)) {
        throw new HttpError(400, `Invalid resource ${i}`, { resources: [`Item ${i} needs type, path and scopes.`] });
      }
      const scopes = o.scopes as unknown[];
      const bad = scopes.find((s) => typeof s !== 'string' || !OAT_SCOPES.includes(s));
      if (bad !== undefined || scopes.length === 0) {
        throw new HttpError(400, `Invalid scope ${JSON.stringify(bad ?? null)}`, { resources: [`Item ${i}: scopes must be a non-empty list of ${OAT_SCOPES.join(', ')}.`] });
      }
      if (o.type === 'TYPE_REPO' && o.path !== '*/*/public') {
        const [ns, name, ...rest] = o.path.split('/');
        const ok = ns === org.name && !!name && rest.length === 0 && (name.includes('*') || repos.has(repoKey(ns, name)));
        if (!ok) throw new HttpError(400, `Invalid repository path ${o.path}`, { resources: [`Item ${i}: path must be an existing repository of ${org.name}, a glob such as ${org.name}/*, or */*/public.`] });
      }
      return { type: o.type, path: o.path, scopes: scopes as string[] };
    });
  }

  /** `expires_at`: absent or null (never), or an RFC 3339 date-time in the future. */
  function expiresAtOf(body: Json): string | null | undefined {
    const v = body.expires_at;
    if (v === undefined || v === null) return v;
    if (typeof v !== 'string' || !DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) throw new HttpError(400, 'expires_at must be a date-time', { expires_at: ['Datetime has wrong format. Use RFC 3339 (2025-01-31T00:00:00Z).'] });
    if (Date.parse(v) <= now()) throw new HttpError(400, 'expires_at must be in the future', { expires_at: ['The expiration date must be in the future.'] });
    return v;
  }

  route('GET', '/v2/orgs/{name}/access-tokens', ({ p, path, q, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const all = [...org.oats.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    const pg = paginate(all, path, q, 10, 'omit');
    return { status: 200, body: { total: pg.count, ...pg.links, results: pg.slice.map((o) => oatJson(o, {})) } };
  });

  route('POST', '/v2/orgs/{name}/access-tokens', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const body = await readJson(req);
    const label = str(body, 'label', true)!;
    const expiresAt = expiresAtOf(body) ?? null;
    const oat: OatRec = {
      id: crypto.randomUUID(),
      label,
      createdBy: requireAuth(p).name,
      isActive: true,
      createdAt: iso(),
      expiresAt,
      lastUsedAt: null,
      resources: parseResources(body, org) ?? [],
      secret: `dckr_oat_${crypto.randomBytes(20).toString('base64url')}`,
    };
    org.oats.set(oat.id, oat);
    record(org.name, 'access_token.create', label, oat.createdBy, {}, `created the access token ${label}`);
    return { status: 201, body: oatJson(oat, { token: true, resources: true }) };
  });

  function getOat(org: OrgRec, id: string): OatRec {
    const o = org.oats.get(id);
    if (!o) throw new HttpError(404, 'Access token not found');
    return o;
  }

  route('GET', '/v2/orgs/{org_name}/access-tokens/{access_token_id}', ({ p, m }) => ({ status: 200, body: oatJson(getOat(requireOrg(m[0]!, p, 'owner'), m[1]!), { resources: true }) }));

  route('PATCH', '/v2/orgs/{org_name}/access-tokens/{access_token_id}', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const o = getOat(org, m[1]!);
    const body = await readJson(req);
    const label = str(body, 'label', false);
    const active = bool(body, 'is_active', false);
    const resources = parseResources(body, org);
    if (label !== undefined) o.label = label;
    if (active !== undefined) o.isActive = active;
    if (resources !== undefined) o.resources = resources;
    return { status: 200, body: oatJson(o, { resources: true }) };
  });

  route('DELETE', '/v2/orgs/{org_name}/access-tokens/{access_token_id}', ({ p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    getOat(org, m[1]!);
    org.oats.delete(m[1]!);
    return { status: 204 };
  });

  // ---- repositories ----------------------------------------------------------------------------------------------

  route('GET', '/v2/namespaces/{namespace}/repositories', ({ p, path, q, m }) => {
    const ns = m[0]!;
    if (!namespaceExists(ns)) throw new HttpError(404, 'Namespace not found');
    let list = [...repos.values()].filter((r) => r.namespace === ns && canRead(r, p));
    const name = q.get('name');
    if (name) list = list.filter((r) => r.name.includes(name));
    const ordering = q.get('ordering');
    const orderings = ['name', '-name', 'last_updated', '-last_updated', 'pull_count', '-pull_count'];
    if (ordering && !orderings.includes(ordering)) {
      throw new HttpError(400, 'Invalid ordering value', { ordering: [`Invalid ordering value. Must be one of: ${orderings.join(', ')}`] });
    }
    const key = (ordering ?? 'name').replace(/^-/, '') as 'name' | 'last_updated' | 'pull_count';
    const dir = ordering?.startsWith('-') ? -1 : 1;
    const val = (r: RepoRec) => (key === 'name' ? r.name : key === 'last_updated' ? r.lastUpdated : r.pullCount);
    list.sort((a, b) => (val(a) < val(b) ? -dir : val(a) > val(b) ? dir : a.name.localeCompare(b.name)));
    const pg = paginate(list, path, q, 10, 'null');
    return { status: 200, body: { count: pg.count, ...pg.links, results: pg.slice.map(repoListEntry) } };
  });

  route('POST', '/v2/namespaces/{namespace}/repositories', async ({ req, p, m }) => {
    const ns = m[0]!;
    const who = requireWrite(ns, p, 'write');
    const body = await readJson(req);
    const name = str(body, 'name', true)!;
    const bodyNs = str(body, 'namespace', true)!;
    if (bodyNs !== ns) throw new HttpError(400, 'namespace does not match the path', { namespace: ['Must match the namespace in the path.'] });
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name) || name.length < 2 || name.length > 255) {
      throw new HttpError(400, 'Invalid repository name', { name: ['Use 2-255 lowercase letters, digits and separators.'] });
    }
    const fullDescription = str(body, 'full_description', false) ?? '';
    if (fullDescription.length > 25_000) throw new HttpError(400, 'full_description is too long', { full_description: ['Ensure this field has no more than 25000 characters.'] });
    if (repos.has(repoKey(ns, name))) throw new HttpError(400, `Repository ${ns}/${name} already exists`, { name: ['Repository with this Name and Namespace already exists.'] });
    const r: RepoRec = {
      namespace: ns,
      name,
      description: str(body, 'description', false) ?? '',
      fullDescription,
      isPrivate: bool(body, 'is_private', false) ?? false,
      starCount: 0,
      pullCount: 0,
      lastUpdated: iso(),
      dateRegistered: iso(),
      immutable: { enabled: false, rules: [] },
      tags: [],
      tagIndex: new Map(),
      sorted: true,
    };
    repos.set(repoKey(ns, name), r);
    record(ns, 'repo.create', `${ns}/${name}`, who.name, {}, `created the repository ${ns}/${name}`);
    return { status: 201, body: repoInfo(r, p) };
  });

  route('GET', '/v2/namespaces/{namespace}/repositories/{repository}', ({ p, m }) => ({ status: 200, body: repoInfo(getRepo(m[0]!, m[1]!, p), p) }));

  route('PATCH', '/v2/namespaces/{namespace}/repositories/{repository}/immutabletags', async ({ req, p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    const who = requireWrite(repo.namespace, p, 'admin', repo);
    const body = await readJson(req);
    const enabled = bool(body, 'immutable_tags', true)!;
    const rules = strArray(body, 'immutable_tags_rules', true)!;
    rules.forEach(compileRule);
    repo.immutable = { enabled, rules: [...rules] };
    record(repo.namespace, 'repo.immutable_tags.update', `${repo.namespace}/${repo.name}`, who.name, { enabled: String(enabled) }, `updated the immutable tags of ${repo.namespace}/${repo.name}`);
    return { status: 200, body: repoInfo(repo, p) };
  });

  route('POST', '/v2/namespaces/{namespace}/repositories/{repository}/immutabletags/verify', async ({ req, p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    requireAuth(p);
    const body = await readJson(req);
    const re = compileRule(str(body, 'regex', true)!);
    sortTags(repo);
    return { status: 200, body: { tags: repo.tags.filter((t) => re.test(t.name)).map((t) => t.name) } };
  });

  route('GET', '/v2/namespaces/{namespace}/repositories/{repository}/tags', ({ p, path, q, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    sortTags(repo);
    let tags = repo.tags;
    const ordering = q.get('ordering');
    if (ordering === 'name' || ordering === '-name') {
      const dir = ordering === 'name' ? 1 : -1;
      tags = [...tags].sort((a, b) => dir * a.name.localeCompare(b.name));
    }
    const name = q.get('name');
    if (name) tags = tags.filter((t) => t.name.includes(name));
    const pg = paginate(tags, path, q, 10, 'null');
    const repoId = Math.abs(hash32(repoKey(repo.namespace, repo.name)));
    return { status: 200, body: { count: pg.count, ...pg.links, results: pg.slice.map((t) => tagJson(t, repoId)) } };
  });

  route('GET', '/v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}', ({ p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    const t = repo.tagIndex.get(m[2]!);
    if (!t) throw new HttpError(404, 'Tag not found');
    return { status: 200, body: tagJson(t, Math.abs(hash32(repoKey(repo.namespace, repo.name)))) };
  });

  route('POST', '/v2/repositories/{namespace}/{repository}/groups', async ({ req, p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    requireWrite(repo.namespace, p, 'admin', repo);
    const body = await readJson(req);
    const groupId = body.group_id;
    const permission = str(body, 'permission', true)!;
    if (typeof groupId !== 'number' || !Number.isInteger(groupId)) throw new HttpError(400, 'group_id must be an integer');
    if (!['read', 'write', 'admin'].includes(permission)) throw new HttpError(400, 'Invalid permission');
    const g = [...(orgs.get(repo.namespace)?.groups.values() ?? [])].find((x) => x.id === groupId);
    if (!g) throw new HttpError(404, 'Group not found');
    return { status: 200, body: { group_name: g.name, permission, group_id: g.id } };
  });

  // Not in the published spec: the repository endpoints Hub's web UI and hub-tool (pkg/hub/repositories.go, tags.go) use.
  route('PATCH', '/v2/repositories/{namespace}/{repository}/', async ({ req, p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    requireWrite(repo.namespace, p, 'write', repo);
    const body = await readJson(req);
    const description = str(body, 'description', false);
    const fullDescription = str(body, 'full_description', false);
    if (description !== undefined) {
      if (description.length > 100) throw new HttpError(400, 'description is too long', { description: ['Ensure this field has no more than 100 characters.'] });
      repo.description = description;
    }
    if (fullDescription !== undefined) {
      if (fullDescription.length > 25_000) throw new HttpError(400, 'full_description is too long', { full_description: ['Ensure this field has no more than 25000 characters.'] });
      repo.fullDescription = fullDescription;
    }
    repo.lastUpdated = iso();
    return { status: 200, body: repoInfo(repo, p) };
  });

  route('POST', '/v2/repositories/{namespace}/{repository}/privacy/', async ({ req, p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    const who = requireWrite(repo.namespace, p, 'admin', repo);
    const body = await readJson(req);
    repo.isPrivate = bool(body, 'is_private', true)!;
    record(repo.namespace, 'repo.change_privacy', `${repo.namespace}/${repo.name}`, who.name, { is_private: String(repo.isPrivate) }, `made ${repo.namespace}/${repo.name} ${repo.isPrivate ? 'private' : 'public'}`);
    return { status: 200, body: { is_private: repo.isPrivate } };
  });

  route('DELETE', '/v2/repositories/{namespace}/{repository}/', ({ p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    const who = requireWrite(repo.namespace, p, 'admin', repo);
    repos.delete(repoKey(repo.namespace, repo.name));
    record(repo.namespace, 'repo.delete', `${repo.namespace}/${repo.name}`, who.name, {}, `deleted the repository ${repo.namespace}/${repo.name}`);
    return { status: 202 };
  });

  route('DELETE', '/v2/repositories/{namespace}/{repository}/tags/{tag}/', ({ p, m }) => {
    const repo = getRepo(m[0]!, m[1]!, p);
    const who = requireWrite(repo.namespace, p, 'admin', repo);
    const t = repo.tagIndex.get(m[2]!);
    if (!t) throw new HttpError(404, 'Tag not found');
    repo.tagIndex.delete(t.name);
    repo.tags.splice(repo.tags.indexOf(t), 1);
    record(repo.namespace, 'repo.tag.delete', `${repo.namespace}/${repo.name}`, who.name, { tag: t.name, digest: t.digest }, `deleted the tag ${t.name} from the repository ${repo.namespace}/${repo.name}`);
    return { status: 204 };
  });

  // ---- dispatch --------------------------------------------------------------------------------------------------

  function rateHeaders(): Record<string, string> {
    if (now() >= rate.resetAt) {
      rate = { ...rate, remaining: rate.limit, resetAt: now() + rate.windowMs };
    }
    return {
      'X-RateLimit-Limit': String(rate.limit),
      'X-RateLimit-Remaining': String(Math.max(0, rate.remaining)),
      'X-RateLimit-Reset': String(Math.ceil(rate.resetAt / 1000)),
    };
  }

  function matches(filter: string | RegExp | undefined, path: string): boolean {
    if (filter === undefined) return true;
    return typeof filter === 'string' ? path.startsWith(filter) : filter.test(path);
  }

  function send(res: http.ServerResponse, method: string, reply: Reply, headers: Record<string, string>, rawBody?: string): void {
    const h: Record<string, string> = { ...headers, ...reply.headers };
    let payload: string | undefined = rawBody;
    if (payload === undefined && reply.body !== undefined) payload = JSON.stringify(reply.body);
    if (payload !== undefined) {
      h['Content-Type'] = 'application/json';
      h['Content-Length'] = String(Buffer.byteLength(payload));
    } else if (reply.status !== 204) {
      h['Content-Length'] = '0';
    }
    res.writeHead(reply.status, h);
    res.end(method === 'HEAD' ? undefined : payload);
  }

  function errorBody(e: HttpError): Json {
    const b: Json = { detail: e.detail, message: e.detail };
    // 400 bodies are `ValueError` ({fields, text}) on some endpoints and `error` on others; both shapes together satisfy both.
    if (e.status === 400) {
      b.text = e.detail;
      b.fields = e.fields ?? {};
      b.errinfo = {};
    }
    return b;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', baseUrl);
    const path = u.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: HubRequestLogEntry = { method, path, query: u.search.replace(/^\?/, ''), status: 0, auth: authKind(req.headers.authorization), at: now() };
    requests.push(entry);
    if (requests.length > 50_000) requests.splice(0, requests.length - 50_000);

    const headers = rateHeaders();
    const forced = forced429.find((f) => f.left > 0 && matches(f.path, path));
    if (forced || rate.remaining <= 0) {
      const retryAfter = forced ? forced.retryAfter : Math.max(1, Math.ceil((rate.resetAt - now()) / 1000));
      if (forced) forced.left--;
      entry.status = 429;
      req.resume();
      send(res, method, { status: 429, body: { detail: 'Rate limit exceeded', error: false }, headers: { 'Retry-After': String(retryAfter), 'X-RateLimit-Remaining': '0' } }, headers);
      return;
    }
    rate.remaining--;
    headers['X-RateLimit-Remaining'] = String(rate.remaining);

    const lookupMethod = method === 'HEAD' ? 'GET' : method;
    let found: { h: Handler; m: string[] } | undefined;
    let pathKnown = false;
    for (const r of routes) {
      const mm = r.re.exec(path);
      if (!mm) continue;
      pathKnown = true;
      if (r.method === lookupMethod) {
        found = { h: r.h, m: mm.slice(1).map(decodeURIComponent) };
        break;
      }
    }

    let reply: Reply;
    try {
      if (!found) throw new HttpError(pathKnown ? 405 : 404, pathKnown ? `Method ${method} not allowed` : 'Not found');
      const text = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
      bodies.set(req, text);
      const p = principalOf(req);
      validateRequest(method, path, u.searchParams, text);
      reply = await found.h({ req, path, q: u.searchParams, p, m: found.m });
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      reply = { status: e.status, body: errorBody(e) };
      if (e.status === 401) reply.headers = { 'WWW-Authenticate': `Bearer realm="${baseUrl}/v2/auth/token"` };
    }
    req.resume();

    const f = fault;
    if (f && f.left > 0 && matches(f.path, path) && (!f.method || f.method.toUpperCase() === method) && reply.status < 400) {
      f.left--;
      if (f.kind === 'malformed') {
        entry.status = 200;
        send(res, method, { status: 200 }, headers, '{"count": 3, "results": [{"name": "trunc');
        return;
      }
      if (f.kind === 'status') {
        reply = { status: f.status ?? 500, body: { detail: 'Injected failure', message: 'Injected failure' } };
      } else if (reply.body !== undefined) {
        reply = { ...reply, body: mutate(reply.body, f.field, f.value === undefined ? 12345 : f.value) };
      }
    }
    entry.status = reply.status;
    send(res, method, reply, headers);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ detail: 'Internal error', message: e instanceof Error ? e.message : String(e) }));
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // ---- seeding API -----------------------------------------------------------------------------------------------

  const api: HubServer = {
    url: baseUrl,
    registryUrl: opts.registryUrl,
    requests,
    clearRequests: () => void requests.splice(0, requests.length),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),

    addUser(username, password, o = {}) {
      users.set(username, { id: crypto.randomUUID(), username, password, fullName: o.fullName ?? username, email: o.email ?? `${username}@example.test`, dateJoined: iso() });
    },
    addOrg(name, members = {}) {
      const org = orgs.get(name) ?? { id: crypto.randomUUID(), name, fullName: name, dateJoined: iso(), members: new Map(), groups: new Map(), oats: new Map(), settings: { enabled: false, allow_official_images: true, allow_verified_publishers: true } };
      for (const [u, r] of Object.entries(members)) org.members.set(u, r);
      orgs.set(name, org);
    },
    addNamespace(name) {
      if (!namespaceExists(name)) api.addOrg(name);
    },
    addRepository(namespace, name, seed = {}) {
      api.addNamespace(namespace);
      const when = seed.lastUpdated ?? iso();
      repos.set(repoKey(namespace, name), {
        namespace,
        name,
        description: seed.description ?? '',
        fullDescription: seed.fullDescription ?? '',
        isPrivate: seed.isPrivate ?? false,
        starCount: seed.starCount ?? 0,
        pullCount: seed.pullCount ?? 0,
        lastUpdated: when,
        dateRegistered: when,
        immutable: { enabled: false, rules: [] },
        tags: [],
        tagIndex: new Map(),
        sorted: true,
      });
    },
    addTag(namespace, repository, tag) {
      const repo = ensureRepo(namespace, repository);
      putTag(repo, makeTag(namespace, repository, tag));
    },
    addTags(namespace, repository, count, o = {}) {
      const repo = ensureRepo(namespace, repository);
      const base = now();
      const prefix = o.prefix ?? 'v';
      for (let i = 0; i < count; i++) {
        // Newer tags have higher numbers, so Hub's newest-first order lists `v{count-1}` first.
        putTag(repo, makeTag(namespace, repository, { name: `${prefix}${i}`, platforms: o.platforms, lastPushed: new Date(base - (count - i) * 1000).toISOString() }));
      }
    },
    addGroup(org, name, members = [], description = '') {
      const o = orgs.get(org);
      if (!o) throw new Error(`No organization ${org}`);
      o.groups.set(name, { id: nextGroupId++, uuid: crypto.randomUUID(), name, description, members: new Set(members) });
    },
    addAuditEvents(account, count, action = 'repo.tag.push') {
      const base = now() - count * 1000;
      for (let i = 0; i < count; i++) {
        audit.push({ account, action, name: `${account}/app`, actor: account, data: { tag: `v${i}`, digest: digestOf(`audit${i}`) }, timestamp: new Date(base + i * 1000).toISOString(), description: `pushed the tag v${i} to the repository ${account}/app` });
      }
    },
    createPat(username, o = {}) {
      if (!users.has(username)) throw new Error(`No user ${username}`);
      const pat: PatRec = { uuid: crypto.randomUUID(), username, label: o.label ?? 'seeded', scopes: o.scopes ?? ['repo:admin'], secret: `dckr_pat_${crypto.randomBytes(20).toString('base64url')}`, isActive: true, createdAt: iso(), lastUsed: null, expiresAt: o.expiresAt };
      pats.set(pat.uuid, pat);
      return pat.secret;
    },
    createOat(org, o = {}) {
      const rec = orgs.get(org);
      if (!rec) throw new Error(`No organization ${org}`);
      const oat: OatRec = { id: crypto.randomUUID(), label: o.label ?? 'seeded', createdBy: 'seed', isActive: true, createdAt: iso(), expiresAt: null, lastUsedAt: null, resources: [{ type: 'TYPE_REPO', path: `${org}/*`, scopes: o.scopes ?? ['scope-image-pull'] }], secret: `dckr_oat_${crypto.randomBytes(20).toString('base64url')}` };
      rec.oats.set(oat.id, oat);
      return oat.secret;
    },
    issueToken(username, lifetimeSeconds) {
      return issue('user', username, 'all', lifetimeSeconds);
    },
    setRateLimit(limit, remaining = limit, windowSeconds = rate.windowMs / 1000) {
      rate = { limit, remaining, windowMs: windowSeconds * 1000, resetAt: now() + windowSeconds * 1000 };
    },
    rateLimitNext(count, retryAfterSeconds, path) {
      forced429.push({ left: count, retryAfter: retryAfterSeconds, path });
    },
    setFault(f) {
      fault = f ? { ...f, left: f.times ?? Number.POSITIVE_INFINITY } : undefined;
    },
    setShapes(s) {
      shapes = s;
    },
    setUserOrgs(enabled) {
      userOrgs = enabled;
    },
    repository(namespace, name) {
      const r = repos.get(repoKey(namespace, name));
      if (!r) return undefined;
      sortTags(r);
      return { isPrivate: r.isPrivate, description: r.description, fullDescription: r.fullDescription, tags: r.tags.map((t) => t.name), immutable: { enabled: r.immutable.enabled, rules: [...r.immutable.rules] } };
    },
    patActive(username, label) {
      return [...pats.values()].find((t) => t.username === username && t.label === label)?.isActive;
    },
  };

  if (opts.seedDemo) seedDemo(api);
  return api;
}

/** A small data set for the demo and manual runs: user `demo` / `demo-password`, org `acme`, `library`. */
export function seedDemo(hub: HubServer): void {
  hub.addUser('demo', 'demo-password', { fullName: 'Demo User' });
  hub.addUser('alice', 'alice-password', { fullName: 'Alice Example' });
  hub.addOrg('acme', { demo: 'owner', alice: 'member' });
  hub.addGroup('acme', 'owners', ['demo']);
  hub.addGroup('acme', 'developers', ['alice']);
  hub.addRepository('demo', 'hello', { description: 'Hello world image', fullDescription: '# hello\n\nA tiny image.', starCount: 3, pullCount: 120 });
  hub.addTag('demo', 'hello', { name: 'latest', platforms: ['linux/amd64', 'linux/arm64/v8'] });
  hub.addTag('demo', 'hello', { name: '1.0', platforms: ['linux/amd64'] });
  hub.addRepository('demo', 'secret-app', { description: 'Private application', isPrivate: true });
  hub.addTag('demo', 'secret-app', { name: 'main' });
  hub.addRepository('acme', 'api', { description: 'ACME API server', starCount: 12, pullCount: 40_000 });
  hub.addTags('acme', 'api', 250);
  hub.addRepository('acme', 'web', { description: 'ACME web front end', isPrivate: true });
  hub.addTag('acme', 'web', { name: 'stable', platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'] });
  hub.addRepository('library', 'alpine', { description: 'A minimal Docker image based on Alpine Linux', starCount: 11_000, pullCount: 1_000_000_000 });
  hub.addTag('library', 'alpine', { name: 'latest', platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/386'] });
  hub.addTag('library', 'alpine', { name: '3.20', platforms: ['linux/amd64', 'linux/arm64/v8'] });
  hub.addAuditEvents('acme', 60);
}

/** What the demo / e2e runner needs to configure a `dockerhub` registry entry against the seeded fake Hub. */
export interface DemoHubInfo {
  /** Hub API base URL (the entry's `url`). */
  url: string;
  username: string;
  /** A personal access token of `username` with repo:admin (a secret: SecretStorage only). */
  password: string;
  namespaces: string[];
  /** The registry behind it (the entry's `registryUrl`), when started with one. */
  registryUrl?: string;
}

/**
 * Starts the fake Hub with the demo data set (`seedDemo`) and a personal access token for `demo`.
 * `npm run demo` and the e2e runner use it; a sandbox takes it as an extra service via `hubSandboxService()`.
 */
export async function startDemoHub(opts: { port?: number; withRegistry?: boolean } = {}): Promise<{ hub: HubServer; info: DemoHubInfo; stop: () => Promise<void> }> {
  // The registry behind the Hub (tag details): the OCI test server with the Docker token flow, accepting the same
  // user name and token as the Hub API, like registry-1.docker.io does.
  const registry = opts.withRegistry === false ? undefined : await startOciServer({ auth: { type: 'bearer', username: 'demo', password: 'pending', anonymousPull: true, service: 'registry.docker.io' } });
  const hub = await startHubServer({ port: opts.port, registryUrl: registry?.url, seedDemo: true });
  const password = hub.createPat('demo', { label: 'registry-explorer demo', scopes: ['repo:admin'] });
  if (registry) {
    (registry.options.auth as { password?: string }).password = password;
    // demo/app exists on both sides with the same digests, so its tags open in the details panel.
    hub.addRepository('demo', 'app', {
      description: 'Image with details from the registry',
      fullDescription: '# demo/app\n\nBuilt **nightly** from `main`. See [the changelog](https://example.com/changelog).\n\n<img src=x onerror="window.__xss=\'overview\'"> <script>window.__xss="overview"</script>',
      starCount: 1,
      pullCount: 7,
    });
    for (const [tag, platforms] of [['1.0', ['linux/amd64']], ['latest', ['linux/amd64', 'linux/arm64/v8']]] as const) {
      const digest = registry.addImage('demo/app', tag, { platforms: [...platforms], config: { Env: ['PATH=/usr/bin'], Labels: { 'org.opencontainers.image.title': 'app' } } });
      hub.addTag('demo', 'app', { name: tag, platforms: [...platforms], digest });
    }
  }
  const info: DemoHubInfo = { url: hub.url, username: 'demo', password, namespaces: ['library'] };
  if (registry) info.registryUrl = registry.url;
  return { hub, info, stop: async () => void (await Promise.all([hub.close(), registry?.close()])) };
}

/**
 * The seeded fake Hub as an extra service of test/support/sandbox.ts: `startSandbox({ extra: [hubSandboxService()] })`
 * puts `DemoHubInfo` at `sandbox.extra.hub` (and in the sandbox JSON under `extra.hub`).
 */
export function hubSandboxService(opts: { port?: number } = {}): () => Promise<{ name: string; info: DemoHubInfo; stop: () => Promise<void> }> {
  return async () => {
    const { info, stop } = await startDemoHub(opts);
    return { name: 'hub', info, stop };
  };
}

function hash32(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Replaces one field (dotted path, numeric segments index arrays) in a copy of `body`. */
function mutate(body: unknown, field: string | undefined, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as unknown;
  let path = field;
  if (!path) {
    const o = copy as Record<string, unknown>;
    if (Array.isArray(o.results) && o.results.length > 0) path = 'results.0.name';
    else path = Object.keys(o)[0] ?? '';
  }
  const parts = path.split('.');
  let cur: unknown = copy;
  for (const part of parts.slice(0, -1)) cur = (cur as Record<string, unknown>)[part];
  (cur as Record<string, unknown>)[parts[parts.length - 1]!] = value;
  return copy;
}

if (require.main === module) {
  const port = Number(process.env.HUB_PORT ?? 0);
  void startDemoHub({ port }).then(({ info, stop: close }) => {
    process.stdout.write(`Docker Hub fake listening on ${info.url}, registry ${info.registryUrl ?? '-'} (user demo, password demo-password or token ${info.password})\n`);
    const stop = () => void close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
