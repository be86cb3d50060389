/**
 * An in-memory Red Hat Quay (`/api/v1`, `/health/*`, and `/v2` through an embedded OCI registry) for tests, the
 * benchmark and the demo. Response bodies follow the shapes read from Quay's source
 * (test/fixtures/specs/quay-models-found.json; checked by test/unit/quayContract.test.ts); request bodies are checked
 * against the request schemas of test/fixtures/specs/quay-api.json (Quay's discovery document) where it has them, and
 * against the documented keys (test/fixtures/specs/SOURCES.md) for the feature-gated endpoints it lacks. A bad
 * request body is refused with 400, as Quay's `validate_json_request` does.
 *
 * Routing is Quay's: `{repository}` is `namespace/name` with a literal `/`; a `%2F` in the path does not route (404).
 * `/api/v1` takes `Authorization: Bearer <token>`; tokens carry OAuth scopes and a missing scope answers 403
 * `insufficient_scope`. Tag history is kept like Quay's: deleting or moving a tag ends its entry (`end_ts`), an
 * expiration is a future `end_ts`, restore starts a new entry.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { OpenApiValidator, formatIssues, type OpenApiDocument } from '../support/openapiValidator';
import { type OciServer, startOciServer } from './ociServer';

// `__filename` (not `__dirname`) is what both require() and tsx's tsImport() (the demo) define.
const FIXTURES = path.join(path.dirname(__filename), '..', 'fixtures', 'specs');

export type Scope = 'repo:read' | 'repo:write' | 'repo:admin' | 'repo:create' | 'org:admin' | 'user:read' | 'user:admin' | 'super:user';
export const ALL_SCOPES: Scope[] = ['repo:read', 'repo:write', 'repo:admin', 'repo:create', 'org:admin', 'user:read', 'user:admin'];

export type QuayFeature = 'mirror' | 'security' | 'autoPrune' | 'immutability' | 'quota' | 'changeState' | 'proxyCache';
const FEATURE_TEMPLATES: Record<QuayFeature, string[]> = {
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
  setFault(f: { path: RegExp; method?: string; kind: 'malformed' | 'status' | 'repeatCursor' | 'wrongType'; status?: number; body?: unknown; /** Only the next n matching requests. */ times?: number } | undefined): void;
  /** Read-only views for assertions. */
  tags(repository: string): { name: string; digest: string; start: number; end?: number }[];
  repository(repository: string): { description: string; isPublic: boolean; state: string } | undefined;
  mirrorOf(repository: string): Record<string, unknown> | undefined;
  proxyCacheOf(org: string): Record<string, unknown> | undefined;
  registry?: OciServer;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

interface TagEntry {
  id: number;
  name: string;
  digest: string;
  size: number | null;
  list?: string[];
  start: number;
  end?: number;
  reversion: boolean;
}
interface RepoRec {
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
interface TeamRec {
  name: string;
  role: string;
  description: string;
  members: Set<string>;
  invited: Set<string>;
}
interface RobotRec {
  name: string;
  description: string;
  token: string;
  created: number;
  lastAccessed: number | null;
}
interface OrgRec {
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
interface UserRec {
  name: string;
  robots: Map<string, RobotRec>;
  appTokens: Json[];
  logs: Json[];
}
interface TokenRec {
  user: string;
  scopes: Set<string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const EVENTS = new Set(['repo_push', 'build_queued', 'build_start', 'build_success', 'build_failure', 'build_cancelled', 'vulnerability_found', 'repo_mirror_sync_started', 'repo_mirror_sync_success', 'repo_mirror_sync_failed', 'repo_image_expiry']);
const METHOD_KEYS: Record<string, string[]> = {
  webhook: ['url'],
  email: ['email'],
  slack: ['url'],
  flowdock: ['flow_api_token'],
  hipchat: ['room_id', 'notification_token'],
  quay_notification: ['target'],
};
const MIRROR_KEYS = new Set(['is_enabled', 'external_reference', 'external_registry_username', 'external_registry_password', 'sync_start_date', 'sync_interval', 'robot_username', 'root_rule', 'external_registry_config', 'architecture_filter', 'skopeo_timeout_interval']);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function rfc2822(sec: number): string {
  // Quay's format_date: "Tue, 14 Nov 2023 22:13:20 -0000".
  return new Date(sec * 1000).toUTCString().replace('GMT', '-0000');
}
function iso(sec: number): string {
  return new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
function fakeDigest(seed: string): string {
  return 'sha256:' + crypto.createHash('sha256').update(seed).digest('hex');
}
function avatar(name: string, kind: string): Json {
  return { name, hash: crypto.createHash('sha256').update(name).digest('hex'), color: '#1f77b4', kind };
}
function opaqueToken(offset: number, salt: string): string {
  return 'gAAAAAB' + Buffer.from(JSON.stringify({ o: offset, s: salt })).toString('base64url');
}
function readToken(token: string, salt: string): number {
  try {
    const v = JSON.parse(Buffer.from(token.slice(7), 'base64url').toString('utf8')) as { o?: unknown; s?: unknown };
    if (!token.startsWith('gAAAAAB') || v.s !== salt || typeof v.o !== 'number') throw new Error('bad');
    return v.o;
  } catch {
    throw new HttpError(400, 'invalid_request', 'Invalid page token');
  }
}

/** Starts a fake Quay on 127.0.0.1. */
export async function startQuayServer(opts: QuayServerOptions = {}): Promise<QuayServer> {
  const now = () => Math.floor((opts.now ?? Date.now)() / 1000);
  const features = new Set<QuayFeature>(opts.features ?? ['mirror', 'security', 'autoPrune', 'immutability', 'quota', 'changeState', 'proxyCache']);
  const spec = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'quay-api.json'), 'utf8')) as OpenApiDocument & { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Json }> } }>> };
  if (opts.orgTagExpiration ?? true) {
    // Current Quay's UpdateOrg (endpoints/api/organization.py) declares tag_expiration_s; the vendored document predates it.
    const schemas = (spec as unknown as { components: { schemas: Record<string, { properties: Json }> } }).components.schemas;
    schemas.UpdateOrg = { ...schemas.UpdateOrg, properties: { ...schemas.UpdateOrg.properties, tag_expiration_s: { type: 'integer', minimum: 0, description: 'The number of seconds for tag expiration' } } };
  }
  const validator = new OpenApiValidator(spec);
  const clair = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'quay-manifest-security-example.json'), 'utf8')) as Json;

  const users = new Map<string, UserRec>();
  const orgs = new Map<string, OrgRec>();
  const repos = new Map<string, RepoRec>();
  const tokens = new Map<string, TokenRec>();
  const requests: QuayRequestLogEntry[] = [];
  const requestIssues: string[] = [];
  const security = new Map<string, Json>();
  let failing: string[] = [];
  let fault: Parameters<QuayServer['setFault']>[0];
  let tagSeq = 1;
  const salt = crypto.randomBytes(4).toString('hex');

  const addUser = (name: string) => {
    if (!users.has(name)) users.set(name, { name, robots: new Map(), appTokens: [], logs: [] });
  };
  const addOrg = (name: string, members: string[] = []) => {
    orgs.set(name, {
      name,
      email: `${name}@example.com`,
      members: new Set(members),
      teams: new Map([['owners', { name: 'owners', role: 'admin', description: 'Administrators', members: new Set(members.slice(0, 1)), invited: new Set<string>() }]]),
      robots: new Map(),
      tagExpiration: 1209600,
      autoprune: [],
      immutability: [],
      quota: [],
      logs: [],
    });
  };
  const issueToken = (user: string, scopes: Scope[], value?: string) => {
    const t = value ?? crypto.randomBytes(20).toString('base64url');
    tokens.set(t, { user, scopes: new Set(scopes) });
    return t;
  };
  const addRepository: QuayServer['addRepository'] = (namespace, name, o = {}) => {
    repos.set(`${namespace}/${name}`, {
      namespace,
      name,
      description: o.description ?? '',
      isPublic: o.isPublic ?? false,
      state: o.state ?? 'NORMAL',
      lastModified: o.lastModified ?? now(),
      popularity: o.popularity ?? 0,
      tags: [],
      userPerms: new Map(),
      teamPerms: new Map(),
      notifications: [],
      autoprune: [],
      immutability: [],
      labels: new Map(),
      logs: [],
      manifests: new Map(),
    });
  };
  const repoOr404 = (full: string): RepoRec => {
    const r = repos.get(full);
    if (!r) throw new HttpError(404, 'not_found', 'Not Found');
    return r;
  };
  const activeOf = (r: RepoRec, name: string) => r.tags.find((t) => t.name === name && (t.end === undefined || t.end > now()));
  const startTag = (r: RepoRec, name: string, digest: string, size: number | null, list: string[] | undefined, at: number, reversion = false) => {
    const cur = activeOf(r, name);
    if (cur) cur.end = at;
    r.tags.push({ id: tagSeq++, name, digest, size, list, start: at, reversion });
    r.lastModified = at;
  };
  const addTag: QuayServer['addTag'] = (repository, tag, o = {}) => {
    const r = repoOr404(repository);
    const digest = o.digest ?? fakeDigest(`${repository}:${tag}:${tagSeq}`);
    startTag(r, tag, digest, o.list ? null : (o.size ?? 2797612), o.list, o.startTs ?? now());
    if (o.expiration) activeOf(r, tag)!.end = o.expiration;
    return digest;
  };
  const endTag = (repository: string, tag: string, at = now()) => {
    const t = activeOf(repoOr404(repository), tag);
    if (t) t.end = at;
  };
  const addLogs = (target: string, count: number) => {
    const list = repos.get(target)?.logs ?? orgs.get(target)?.logs ?? users.get(target)?.logs;
    if (!list) throw new Error(`no ${target}`);
    const base = now() - count * 60;
    for (let i = 0; i < count; i++) {
      list.push({ kind: i % 3 === 0 ? 'push_repo' : i % 3 === 1 ? 'pull_repo' : 'create_tag', metadata: { repo: target.split('/')[1] ?? 'app', namespace: target.split('/')[0], tag: `v${i}` }, ip: '10.0.0.1', datetime: rfc2822(base + i * 60), performer: { kind: 'user', name: 'alice', is_robot: false, avatar: avatar('alice', 'user') }, namespace: { kind: 'org', name: target.split('/')[0], avatar: avatar(target.split('/')[0], 'org') } });
    }
  };

  // ---- views ----
  const tagView = (t: TagEntry): Json => {
    const v: Json = { name: t.name, reversion: t.reversion, start_ts: t.start, manifest_digest: t.digest, is_manifest_list: !!t.list, size: t.size, last_modified: rfc2822(t.start) };
    if (t.end !== undefined) {
      v.end_ts = t.end;
      v.expiration = rfc2822(t.end);
    }
    if (features.has('immutability')) v.immutable = false;
    if (t.list) {
      v.is_sparse = false;
      v.child_manifest_count = t.list.length;
      v.present_child_count = t.list.length;
      v.child_manifests_presence = Object.fromEntries(t.list.map((d) => [d, true]));
    }
    return v;
  };
  const repoView = (r: RepoRec, q: URLSearchParams): Json => {
    const v: Json = { namespace: r.namespace, name: r.name, description: r.description, is_public: r.isPublic, kind: 'image', state: r.state, is_starred: false };
    if (q.get('last_modified') === 'true') v.last_modified = r.lastModified;
    if (q.get('popularity') === 'true') v.popularity = r.popularity;
    return v;
  };
  const robotView = (r: RobotRec, withPerms: boolean, withToken: boolean, owner: string): Json => {
    const v: Json = { name: r.name, created: rfc2822(r.created), last_accessed: r.lastAccessed ? rfc2822(r.lastAccessed) : null, description: r.description };
    if (withToken) v.token = r.token;
    if (withPerms) {
      const org = orgs.get(owner);
      v.teams = org ? [...org.teams.values()].filter((t) => t.members.has(r.name)).map((t) => ({ name: t.name, avatar: avatar(t.name, 'team') })) : [];
      v.repositories = [...repos.values()].filter((x) => x.namespace === owner && x.userPerms.has(r.name)).map((x) => x.name);
    }
    return v;
  };
  const teamView = (o: OrgRec, t: TeamRec): Json => ({
    name: t.name,
    description: t.description,
    role: t.role,
    avatar: avatar(t.name, 'team'),
    can_view: true,
    repo_count: [...repos.values()].filter((r) => r.namespace === o.name && r.teamPerms.has(t.name)).length,
    member_count: t.members.size,
    is_synced: false,
  });

  // ---- auth ----
  const authOf = (req: http.IncomingMessage): TokenRec | undefined => {
    const h = req.headers.authorization;
    if (!h) return undefined;
    if (!/^Bearer /i.test(h)) throw new HttpError(401, 'invalid_token', 'Invalid authorization header');
    const t = tokens.get(h.slice(7).trim());
    if (!t) throw new HttpError(401, 'invalid_token', 'Invalid token');
    return t;
  };
  const need = (who: TokenRec | undefined, scope: Scope): TokenRec => {
    if (!who) throw new HttpError(401, 'invalid_token', 'Requires authentication');
    if (!who.scopes.has(scope)) throw new HttpError(403, 'insufficient_scope', `Requires the ${scope} scope`);
    return who;
  };
  const canAdminNs = (who: TokenRec, ns: string) => who.user === ns || !!orgs.get(ns)?.members.has(who.user);
  const repoAccess = (who: TokenRec | undefined, r: RepoRec, scope: Scope): void => {
    if (scope === 'repo:read' && r.isPublic && (!who || who.scopes.has('repo:read'))) return;
    const w = need(who, scope);
    if (!canAdminNs(w, r.namespace) && !r.userPerms.has(w.user)) throw new HttpError(403, 'insufficient_scope', 'Unauthorized');
  };
  const orgAdmin = (who: TokenRec | undefined, org: string, scope: Scope = 'org:admin'): OrgRec => {
    const w = need(who, scope);
    const o = orgs.get(org);
    if (!o) throw new HttpError(404, 'not_found', 'Not Found');
    if (!o.members.has(w.user)) throw new HttpError(403, 'insufficient_scope', 'Unauthorized');
    return o;
  };

  // ---- request body checks ----
  const checkSpecBody = (template: string, method: string, body: unknown) => {
    const op = spec.paths[template]?.[method.toLowerCase()];
    const schema = op?.requestBody?.content?.['*/*']?.schema ?? op?.requestBody?.content?.['application/json']?.schema;
    if (!schema) return;
    const issues = validator.validate(schema as never, body);
    if (issues.length) {
      const msg = `${method} ${template}: ${formatIssues(issues)}`;
      requestIssues.push(msg);
      throw new HttpError(400, 'invalid_request', msg);
    }
  };
  const bad = (template: string, method: string, why: string): never => {
    const msg = `${method} ${template}: ${why}`;
    requestIssues.push(msg);
    throw new HttpError(400, 'invalid_request', msg);
  };

  // ---- routes ----
  type Handler = (m: { method: string; params: string[]; q: URLSearchParams; body: unknown; who?: TokenRec }) => { status?: number; body?: unknown } | void;
  const routes: { method: string; template: string; re: RegExp; feature?: QuayFeature; handler: Handler }[] = [];
  const route = (method: string, template: string, handler: Handler) => {
    // {repository} is namespace/name with a literal slash; other parameters are one segment.
    const re = new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{repository\}/g, '([^/]+/[^/]+)').replace(/\{[^}]+\}/g, '([^/]+)') + '$');
    const feature = (Object.keys(FEATURE_TEMPLATES) as QuayFeature[]).find((f) => FEATURE_TEMPLATES[f].includes(template));
    routes.push({ method, template, re, feature, handler });
  };
  const ok = (body: unknown, status = 200) => ({ status, body });

  route('GET', '/api/v1/discovery', () => {
    const paths: Json = {};
    for (const [k, v] of Object.entries(spec.paths)) paths[k] = v;
    for (const f of features) for (const t of FEATURE_TEMPLATES[f]) paths[t] ??= { get: { operationId: t } };
    for (const f of Object.keys(FEATURE_TEMPLATES) as QuayFeature[]) if (!features.has(f)) for (const t of FEATURE_TEMPLATES[f]) delete paths[t];
    return ok({ openapi: spec.openapi, info: (spec as unknown as Json).info, paths, components: (spec as unknown as Json).components });
  });

  route('GET', '/api/v1/user/', ({ who }) => {
    const w = need(who, 'user:read');
    const orgList = [...orgs.values()].filter((o) => o.members.has(w.user));
    return ok({
      anonymous: false,
      username: w.user,
      avatar: avatar(w.user, 'user'),
      can_create_repo: true,
      is_me: true,
      verified: true,
      email: `${w.user}@example.com`,
      logins: [],
      invoice_email: false,
      invoice_email_address: null,
      preferred_namespace: false,
      tag_expiration_s: 1209600,
      prompts: [],
      super_user: false,
      organizations: orgList.map((o) => ({ name: o.name, avatar: avatar(o.name, 'org'), can_create_repo: true, public: false, is_org_admin: [...o.teams.values()].some((t) => t.role === 'admin' && t.members.has(w.user)), preferred_namespace: false })),
    });
  });

  // repositories
  route('GET', '/api/v1/repository', ({ q, who }) => {
    const ns = q.get('namespace');
    if (!ns && q.get('public') !== 'true' && q.get('starred') !== 'true') throw new HttpError(400, 'invalid_request', 'Namespace, public or starred must be specified');
    const visible = [...repos.values()]
      .filter((r) => (!ns || r.namespace === ns) && (r.isPublic || (who && canAdminNs(who, r.namespace)) || (who && r.userPerms.has(who.user))))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (who && !who.scopes.has('repo:read')) throw new HttpError(403, 'insufficient_scope', 'Requires the repo:read scope');
    const token = q.get('next_page');
    const offset = token ? readToken(token, salt) : 0;
    const page = visible.slice(offset, offset + 100);
    const body: Json = { repositories: page.map((r) => repoView(r, q)) };
    if (offset + 100 < visible.length) body.next_page = opaqueToken(offset + 100, salt);
    return ok(body);
  });
  route('POST', '/api/v1/repository', ({ body, who }) => {
    checkSpecBody('/api/v1/repository', 'POST', body);
    const b = body as Json;
    const w = need(who, 'repo:create');
    const ns = (b.namespace as string | undefined) ?? w.user;
    if (!canAdminNs(w, ns)) throw new HttpError(403, 'insufficient_scope', 'Unauthorized');
    const name = String(b.repository);
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new HttpError(400, 'invalid_request', 'Invalid repository name');
    if (repos.has(`${ns}/${name}`)) throw new HttpError(400, 'invalid_request', 'Repository already exists');
    addRepository(ns, name, { description: text(b.description), isPublic: b.visibility === 'public' });
    return ok({ namespace: ns, name, kind: 'image' }, 201);
  });
  route('GET', '/api/v1/repository/{repository}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:read');
    const active = r.tags.filter((t) => t.end === undefined || t.end > now());
    return ok({
      namespace: r.namespace,
      name: r.name,
      kind: 'image',
      description: r.description,
      is_public: r.isPublic,
      is_organization: orgs.has(r.namespace),
      is_starred: false,
      status_token: '',
      trust_enabled: false,
      tag_expiration_s: orgs.get(r.namespace)?.tagExpiration ?? 1209600,
      is_free_account: false,
      state: r.state,
      tags: Object.fromEntries(active.slice(0, 5).map((t) => [t.name, { name: t.name, size: t.size, last_modified: rfc2822(t.start), manifest_digest: t.digest }])),
    });
  });
  route('PUT', '/api/v1/repository/{repository}', ({ params, body, who }) => {
    checkSpecBody('/api/v1/repository/{repository}', 'PUT', body);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    r.description = String((body as Json).description);
    return ok({ success: true });
  });
  route('DELETE', '/api/v1/repository/{repository}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    repos.delete(params[0]);
    return { status: 204 };
  });
  route('POST', '/api/v1/repository/{repository}/changevisibility', ({ params, body, who }) => {
    checkSpecBody('/api/v1/repository/{repository}/changevisibility', 'POST', body);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    r.isPublic = (body as Json).visibility === 'public';
    return ok({ success: true });
  });
  route('PUT', '/api/v1/repository/{repository}/changestate', ({ params, body, who }) => {
    const b = body as Json;
    if (!b || typeof b !== 'object' || !['NORMAL', 'READ_ONLY', 'MIRROR'].includes(String(b.state)) || Object.keys(b).some((k) => k !== 'state')) bad('/api/v1/repository/{repository}/changestate', 'PUT', 'state must be NORMAL, READ_ONLY or MIRROR');
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    r.state = String(b.state);
    return ok({ success: true });
  });

  // tags
  route('GET', '/api/v1/repository/{repository}/tag/', ({ params, q, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:read');
    const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
    const limit = Math.min(100, Math.max(1, Number(q.get('limit') ?? 50) || 50));
    const onlyActive = q.get('onlyActiveTags') === 'true';
    const specific = q.get('specificTag');
    let list = [...r.tags];
    if (onlyActive) list = list.filter((t) => t.end === undefined || t.end > now());
    if (specific) list = list.filter((t) => t.name === specific);
    list.sort((a, b) => b.start - a.start || b.id - a.id);
    const slice = list.slice((page - 1) * limit, page * limit + 1);
    return ok({ tags: slice.slice(0, limit).map(tagView), page, has_additional: slice.length > limit });
  });
  route('PUT', '/api/v1/repository/{repository}/tag/{tag}', ({ params, body, who }) => {
    const tpl = '/api/v1/repository/{repository}/tag/{tag}';
    checkSpecBody(tpl, 'PUT', body);
    const b = (body ?? {}) as Json;
    if (Object.keys(b).some((k) => k !== 'manifest_digest' && k !== 'expiration')) bad(tpl, 'PUT', 'only manifest_digest and expiration');
    if ('manifest_digest' in b && (typeof b.manifest_digest !== 'string' || !DIGEST_RE.test(b.manifest_digest))) bad(tpl, 'PUT', 'manifest_digest must be a digest');
    if ('expiration' in b && b.expiration !== null && !Number.isInteger(b.expiration)) bad(tpl, 'PUT', 'expiration must be an integer or null');
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    const name = decodeURIComponent(params[1]);
    if (!TAG_RE.test(name)) throw new HttpError(400, 'invalid_request', 'Invalid tag name');
    if (typeof b.manifest_digest === 'string') {
      const src = r.tags.find((t) => t.digest === b.manifest_digest);
      if (!src) throw new HttpError(404, 'not_found', 'Manifest not found');
      startTag(r, name, src.digest, src.size, src.list, now());
    }
    if ('expiration' in b) {
      const t = activeOf(r, name);
      if (!t) throw new HttpError(404, 'not_found', 'Tag not found');
      if (b.expiration === null) delete t.end;
      else {
        if ((b.expiration as number) <= now()) throw new HttpError(400, 'invalid_request', 'Expiration must be in the future');
        t.end = b.expiration as number;
      }
    }
    return ok('Updated', 201);
  });
  route('DELETE', '/api/v1/repository/{repository}/tag/{tag}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    const t = activeOf(r, decodeURIComponent(params[1]));
    if (!t) throw new HttpError(404, 'not_found', 'Not Found');
    t.end = now();
    return { status: 204 };
  });
  route('POST', '/api/v1/repository/{repository}/tag/{tag}/restore', ({ params, body, who }) => {
    checkSpecBody('/api/v1/repository/{repository}/tag/{tag}/restore', 'POST', body);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    const name = decodeURIComponent(params[1]);
    const digest = (body as Json).manifest_digest;
    const old = r.tags.find((t) => t.name === name && t.digest === digest && t.end !== undefined && t.end <= now());
    if (!old) throw new HttpError(404, 'not_found', 'Cannot restore: no such tag in the history');
    startTag(r, name, old.digest, old.size, old.list, now(), true);
    return ok({});
  });

  // manifests, security, labels
  const tagByDigest = (r: RepoRec, digest: string) => r.tags.find((t) => t.digest === digest) ?? r.tags.find((t) => t.list?.includes(digest));
  route('GET', '/api/v1/repository/{repository}/manifest/{manifestref}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:read');
    const digest = decodeURIComponent(params[1]);
    const t = tagByDigest(r, digest);
    if (!t) throw new HttpError(404, 'not_found', 'Not Found');
    const isList = t.digest === digest && !!t.list;
    const data = r.manifests.get(digest) ?? (isList ? JSON.stringify(syntheticIndex(t.list!)) : JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', layers: [] }));
    return ok({ digest, is_manifest_list: isList, manifest_data: data, config_media_type: isList ? null : 'application/vnd.oci.image.config.v1+json', layers_compressed_size: isList ? null : t.size, layers: null });
  });
  route('GET', '/api/v1/repository/{repository}/manifest/{manifestref}/security', ({ params, q, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:read');
    const digest = decodeURIComponent(params[1]);
    if (!tagByDigest(r, digest)) throw new HttpError(404, 'not_found', 'Not Found');
    const report = security.get(digest) ?? { status: 'queued', data: null };
    if (q.get('vulnerabilities') !== 'true' && report.data) {
      const copy = JSON.parse(JSON.stringify(report)) as { data: { Layer: { Features: Json[] } } };
      for (const f of copy.data.Layer.Features) delete f.Vulnerabilities;
      return ok(copy);
    }
    return ok(report);
  });
  route('GET', '/api/v1/repository/{repository}/manifest/{manifestref}/labels', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:read');
    return ok({ labels: r.labels.get(decodeURIComponent(params[1])) ?? [] });
  });
  route('POST', '/api/v1/repository/{repository}/manifest/{manifestref}/labels', ({ params, body, who }) => {
    checkSpecBody('/api/v1/repository/{repository}/manifest/{manifestref}/labels', 'POST', body);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    const b = body as Json;
    if (!/^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/i.test(String(b.key))) throw new HttpError(400, 'invalid_request', 'Invalid label key');
    const digest = decodeURIComponent(params[1]);
    if (!tagByDigest(r, digest)) throw new HttpError(404, 'not_found', 'Not Found');
    const label = { id: crypto.randomUUID(), key: b.key, value: b.value, source_type: 'api', media_type: 'text/plain' };
    r.labels.set(digest, [...(r.labels.get(digest) ?? []), label]);
    return ok({ label }, 201);
  });
  route('DELETE', '/api/v1/repository/{repository}/manifest/{manifestref}/labels/{labelid}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    const digest = decodeURIComponent(params[1]);
    const list = r.labels.get(digest) ?? [];
    if (!list.some((l) => l.id === params[2])) throw new HttpError(404, 'not_found', 'Not Found');
    r.labels.set(digest, list.filter((l) => l.id !== params[2]));
    return { status: 204 };
  });

  // permissions
  for (const kind of ['user', 'team'] as const) {
    route('GET', `/api/v1/repository/{repository}/permissions/${kind}/`, ({ params, who }) => {
      const r = repoOr404(params[0]);
      repoAccess(who, r, 'repo:admin');
      if (kind === 'team' && !orgs.has(r.namespace)) throw new HttpError(400, 'invalid_request', 'Not an organization repository');
      const map = kind === 'user' ? r.userPerms : r.teamPerms;
      return ok({
        permissions: Object.fromEntries(
          [...map].map(([name, role]) => [name, kind === 'user' ? { role, name, is_robot: name.includes('+'), avatar: avatar(name, name.includes('+') ? 'robot' : 'user'), is_org_member: !!orgs.get(r.namespace)?.members.has(name) || name.startsWith(`${r.namespace}+`) } : { role, name, avatar: avatar(name, 'team') }]),
        ),
      });
    });
    route('PUT', `/api/v1/repository/{repository}/permissions/${kind}/{name}`, ({ params, body, who }) => {
      checkSpecBody(`/api/v1/repository/{repository}/permissions/${kind}/${kind === 'user' ? '{username}' : '{teamname}'}`, 'PUT', body);
      const r = repoOr404(params[0]);
      repoAccess(who, r, 'repo:admin');
      const name = decodeURIComponent(params[1]);
      if (kind === 'team' && !orgs.get(r.namespace)?.teams.has(name)) throw new HttpError(400, 'invalid_request', 'Unknown team');
      if (kind === 'user' && !users.has(name) && !name.includes('+')) throw new HttpError(400, 'invalid_request', 'Unknown user');
      const role = String((body as Json).role);
      (kind === 'user' ? r.userPerms : r.teamPerms).set(name, role);
      return ok({ role, name, avatar: avatar(name, kind) });
    });
    route('DELETE', `/api/v1/repository/{repository}/permissions/${kind}/{name}`, ({ params, who }) => {
      const r = repoOr404(params[0]);
      repoAccess(who, r, 'repo:admin');
      const map = kind === 'user' ? r.userPerms : r.teamPerms;
      if (!map.delete(decodeURIComponent(params[1]))) throw new HttpError(400, 'invalid_request', 'No permission');
      return { status: 204 };
    });
  }

  // organizations and teams
  route('GET', '/api/v1/organization/{orgname}', ({ params, who }) => {
    const o = orgs.get(params[0]);
    if (!o) throw new HttpError(404, 'not_found', 'Not Found');
    const w = need(who, 'user:read');
    const member = o.members.has(w.user);
    return ok({
      name: o.name,
      email: member ? o.email : undefined,
      avatar: avatar(o.name, 'org'),
      is_admin: member,
      is_member: member,
      teams: member ? Object.fromEntries([...o.teams.values()].map((t) => [t.name, teamView(o, t)])) : undefined,
      ordered_teams: member ? [...o.teams.keys()] : undefined,
      invoice_email: false,
      invoice_email_address: null,
      tag_expiration_s: o.tagExpiration,
      is_free_account: false,
    });
  });
  route('PUT', '/api/v1/organization/{orgname}', ({ params, body, who }) => {
    checkSpecBody('/api/v1/organization/{orgname}', 'PUT', body);
    const o = orgAdmin(who, params[0]);
    const b = body as Json;
    if ('tag_expiration_s' in b && (opts.orgTagExpiration ?? true)) {
      if (!Number.isInteger(b.tag_expiration_s) || (b.tag_expiration_s as number) < 0) throw new HttpError(400, 'invalid_request', 'Invalid tag expiration');
      if (![0, 86400, 604800, 1209600, 2419200].includes(b.tag_expiration_s as number)) throw new HttpError(400, 'invalid_request', 'Invalid tag expiration option');
      o.tagExpiration = b.tag_expiration_s as number;
    }
    if (typeof b.email === 'string') o.email = b.email;
    return ok({ name: o.name, tag_expiration_s: o.tagExpiration });
  });
  route('PUT', '/api/v1/organization/{orgname}/team/{teamname}', ({ params, body, who }) => {
    checkSpecBody('/api/v1/organization/{orgname}/team/{teamname}', 'PUT', body);
    const o = orgAdmin(who, params[0]);
    const b = body as Json;
    const name = decodeURIComponent(params[1]);
    if (!/^[a-z][a-z0-9]+$/.test(name)) throw new HttpError(400, 'invalid_request', 'Invalid team name');
    const t = o.teams.get(name) ?? { name, role: 'member', description: '', members: new Set<string>(), invited: new Set<string>() };
    t.role = String(b.role);
    if (typeof b.description === 'string') t.description = b.description;
    o.teams.set(name, t);
    return ok(teamView(o, t));
  });
  route('DELETE', '/api/v1/organization/{orgname}/team/{teamname}', ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    if (!o.teams.delete(decodeURIComponent(params[1]))) throw new HttpError(404, 'not_found', 'Not Found');
    return { status: 204 };
  });
  route('GET', '/api/v1/organization/{orgname}/team/{teamname}/members', ({ params, q, who }) => {
    const o = orgAdmin(who, params[0]);
    const t = o.teams.get(decodeURIComponent(params[1]));
    if (!t) throw new HttpError(404, 'not_found', 'Not Found');
    const members: Json[] = [...t.members].map((m) => ({ name: m, kind: 'user', is_robot: m.includes('+'), avatar: avatar(m, 'user'), invited: false }));
    // Quay's invite_view: an invited user as a member marked invited, an e-mail invitation by its address only.
    if (q.get('includePending') === 'true') for (const i of t.invited) members.push(i.includes('@') ? { email: i, kind: 'invite', avatar: avatar(i, 'user'), invited: true } : { name: i, kind: 'user', is_robot: false, avatar: avatar(i, 'user'), invited: true });
    return ok({ name: t.name, members, can_edit: true });
  });
  route('PUT', '/api/v1/organization/{orgname}/team/{teamname}/members/{membername}', ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    const t = o.teams.get(decodeURIComponent(params[1]));
    if (!t) throw new HttpError(404, 'not_found', 'Not Found');
    const m = decodeURIComponent(params[2]);
    if (!users.has(m) && !o.robots.has(m)) throw new HttpError(400, 'invalid_request', 'Unknown user or robot');
    t.members.add(m);
    return ok({ name: m, kind: 'user', is_robot: m.includes('+'), avatar: avatar(m, 'user'), invited: false });
  });
  route('DELETE', '/api/v1/organization/{orgname}/team/{teamname}/members/{membername}', ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    const t = o.teams.get(decodeURIComponent(params[1]));
    const m = decodeURIComponent(params[2]);
    // Deleting an invited user withdraws the invitation.
    if (!t || !(t.members.delete(m) || (!m.includes('@') && t.invited.delete(m)))) throw new HttpError(404, 'not_found', 'Not Found');
    return { status: 204 };
  });
  route('DELETE', '/api/v1/organization/{orgname}/team/{teamname}/invite/{email}', ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    const t = o.teams.get(decodeURIComponent(params[1]));
    if (!t || !t.invited.delete(decodeURIComponent(params[2]))) throw new HttpError(404, 'not_found', 'Not Found');
    return { status: 204 };
  });

  // robots
  const robotRoutes = (base: string, owner: (params: string[], who?: TokenRec, scope?: Scope) => { ns: string; robots: Map<string, RobotRec> }, offset: number) => {
    route('GET', base, ({ params, q, who }) => {
      const { ns, robots } = owner(params, who);
      const withToken = q.get('token') !== 'false';
      return ok({ robots: [...robots.values()].map((r) => robotView(r, q.get('permissions') === 'true', withToken, ns)) });
    });
    route('PUT', `${base}/{robot_shortname}`, ({ params, body, who }) => {
      checkSpecBody(`${base}/{robot_shortname}`, 'PUT', body ?? {});
      const { ns, robots } = owner(params, who);
      const short = decodeURIComponent(params[offset]);
      if (!/^[a-z][a-z0-9_]{1,254}$/.test(short)) throw new HttpError(400, 'invalid_request', 'Invalid robot name');
      const name = `${ns}+${short}`;
      if (robots.has(name)) throw new HttpError(400, 'invalid_request', 'Existing robot with name');
      const r: RobotRec = { name, description: text((body as Json | undefined)?.description), token: crypto.randomBytes(32).toString('hex').toUpperCase(), created: now(), lastAccessed: null };
      robots.set(name, r);
      return ok({ ...robotView(r, false, true, ns), unstructured_metadata: {} }, 201);
    });
    route('DELETE', `${base}/{robot_shortname}`, ({ params, who }) => {
      const { ns, robots } = owner(params, who);
      if (!robots.delete(`${ns}+${decodeURIComponent(params[offset])}`)) throw new HttpError(404, 'not_found', 'Not Found');
      return { status: 204 };
    });
    route('GET', `${base}/{robot_shortname}/permissions`, ({ params, who }) => {
      // getOrgRobotPermissions and getUserRobotPermissions both declare user:admin.
      need(who, 'user:admin');
      const { ns, robots } = owner(params, who, 'user:admin');
      const name = `${ns}+${decodeURIComponent(params[offset])}`;
      if (!robots.has(name)) throw new HttpError(404, 'not_found', 'Not Found');
      const perms = [...repos.values()].filter((r) => r.namespace === ns && r.userPerms.has(name));
      return ok({ permissions: perms.map((r) => ({ repository: { name: r.name, is_public: r.isPublic }, role: r.userPerms.get(name) })) });
    });
    route('POST', `${base}/{robot_shortname}/regenerate`, ({ params, who }) => {
      const { ns, robots } = owner(params, who);
      const r = robots.get(`${ns}+${decodeURIComponent(params[offset])}`);
      if (!r) throw new HttpError(404, 'not_found', 'Not Found');
      r.token = crypto.randomBytes(32).toString('hex').toUpperCase();
      return ok({ ...robotView(r, false, true, ns), unstructured_metadata: {} });
    });
  };
  robotRoutes('/api/v1/organization/{orgname}/robots', (params, who, scope) => ({ ns: params[0], robots: orgAdmin(who, params[0], scope).robots }), 1);
  robotRoutes('/api/v1/user/robots', (_params, who) => {
    const w = need(who, 'user:admin');
    return { ns: w.user, robots: users.get(w.user)!.robots };
  }, 0);

  // entity search (endpoints/api/search.py EntitySearch): users by prefix, the robots of `namespace` by short name
  // when the caller belongs to it, and its teams with includeTeams; 10 users at most.
  route('GET', '/api/v1/entities/{prefix}', ({ params, q, who }) => {
    const prefix = decodeURIComponent(params[0]).trim();
    const ns = q.get('namespace') ?? '';
    const org = orgs.get(ns);
    const member = !!who && (org ? org.members.has(who.user) : who.user === ns);
    const robots = member ? [...(org ?? users.get(ns))!.robots.keys()].filter((r) => r.startsWith(`${ns}+${prefix}`)) : [];
    const people = [...users.keys()].filter((u) => u.startsWith(prefix));
    const teams = org && member && q.get('includeTeams') === 'true' ? [...org.teams.keys()].filter((t) => t.startsWith(prefix)) : [];
    return ok({
      results: [
        ...teams.map((name) => ({ name, kind: 'team', is_org_member: true, avatar: avatar(name, 'team') })),
        ...[...robots, ...people].slice(0, 10).map((name) => ({ name, kind: 'user', is_robot: name.includes('+'), avatar: avatar(name, 'user'), ...(org ? { is_org_member: name.includes('+') || org.members.has(name) } : {}) })),
      ],
    });
  });

  // notifications
  route('GET', '/api/v1/repository/{repository}/notification/', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    return ok({ notifications: r.notifications });
  });
  route('POST', '/api/v1/repository/{repository}/notification/', ({ params, body, who }) => {
    const tpl = '/api/v1/repository/{repository}/notification/';
    checkSpecBody(tpl, 'POST', body);
    const b = body as { event: string; method: string; config: Json; eventConfig: Json; title?: string };
    if (!EVENTS.has(b.event)) bad(tpl, 'POST', `unknown event ${b.event}`);
    const keys = METHOD_KEYS[b.method];
    if (!keys) bad(tpl, 'POST', `unknown method ${b.method}`);
    for (const k of keys) if (b.config[k] === undefined || b.config[k] === '') throw new HttpError(400, 'invalid_request', `Missing ${k} for ${b.method}`);
    if (b.method === 'quay_notification') {
      const t = b.config.target as Json;
      if (!t || typeof t !== 'object' || !['user', 'team', 'org'].includes(String(t.kind)) || typeof t.name !== 'string') throw new HttpError(400, 'invalid_request', 'Invalid target');
    }
    if (b.event === 'repo_image_expiry' && !Number.isInteger(b.eventConfig.days)) throw new HttpError(400, 'invalid_request', 'days is required for repo_image_expiry');
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    const n = { uuid: crypto.randomUUID(), title: b.title ?? null, event: b.event, method: b.method, config: b.config, event_config: b.eventConfig, number_of_failures: 0 };
    r.notifications.push(n);
    return ok(n, 201);
  });
  route('DELETE', '/api/v1/repository/{repository}/notification/{uuid}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    const before = r.notifications.length;
    r.notifications = r.notifications.filter((n) => n.uuid !== params[1]);
    if (r.notifications.length === before) throw new HttpError(404, 'not_found', 'Not Found');
    return { status: 204 };
  });
  route('POST', '/api/v1/repository/{repository}/notification/{uuid}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    const n = r.notifications.find((x) => x.uuid === params[1]);
    if (!n) throw new HttpError(404, 'not_found', 'Not Found');
    n.number_of_failures = 0;
    return { status: 204 };
  });
  route('POST', '/api/v1/repository/{repository}/notification/{uuid}/test', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    if (!r.notifications.some((x) => x.uuid === params[1])) throw new HttpError(400, 'invalid_request', 'No such notification');
    return ok({});
  });

  // mirror
  const mirrorTpl = '/api/v1/repository/{repository}/mirror';
  const checkMirror = (method: string, b: unknown, full: boolean): Json => {
    if (!b || typeof b !== 'object' || Array.isArray(b)) bad(mirrorTpl, method, 'body must be an object');
    const o = b as Json;
    for (const k of Object.keys(o)) if (!MIRROR_KEYS.has(k)) bad(mirrorTpl, method, `unknown key ${k}`);
    if (full) for (const k of ['external_reference', 'sync_interval', 'sync_start_date', 'root_rule', 'robot_username']) if (o[k] === undefined) bad(mirrorTpl, method, `${k} is required`);
    if (o.sync_start_date !== undefined && (typeof o.sync_start_date !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(o.sync_start_date))) bad(mirrorTpl, method, 'sync_start_date must be YYYY-MM-DDTHH:MM:SSZ');
    if (o.sync_interval !== undefined && !Number.isInteger(o.sync_interval)) bad(mirrorTpl, method, 'sync_interval must be an integer');
    if (o.root_rule !== undefined) {
      const rr = o.root_rule as Json;
      if (!rr || rr.rule_kind !== 'tag_glob_csv' || !Array.isArray(rr.rule_value)) bad(mirrorTpl, method, 'root_rule must be {rule_kind: tag_glob_csv, rule_value: [...]}');
    }
    return o;
  };
  const mirrorView = (m: Json): Json => {
    const rest = { ...m };
    delete rest.external_registry_password;
    return rest;
  };
  route('GET', mirrorTpl, ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    if (!r.mirror) throw new HttpError(404, 'not_found', 'Not Found');
    return ok(mirrorView(r.mirror));
  });
  route('POST', mirrorTpl, ({ params, body, who }) => {
    const b = checkMirror('POST', body, true);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    if (r.mirror) throw new HttpError(409, 'invalid_request', 'Mirror configuration already exists');
    const robot = String(b.robot_username);
    if (!orgs.get(r.namespace)?.robots.has(robot)) throw new HttpError(400, 'invalid_request', 'Invalid robot');
    r.mirror = { is_enabled: true, mirror_type: 'PULL', external_registry_username: null, external_registry_config: {}, sync_expiration_date: null, sync_retries_remaining: 3, sync_status: 'NEVER_RUN', skopeo_timeout_interval: 300, architecture_filter: [], ...b };
    return ok('', 201);
  });
  route('PUT', mirrorTpl, ({ params, body, who }) => {
    const b = checkMirror('PUT', body, false);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    if (!r.mirror) throw new HttpError(404, 'not_found', 'Not Found');
    if (b.robot_username !== undefined && !orgs.get(r.namespace)?.robots.has(text(b.robot_username))) throw new HttpError(400, 'invalid_request', 'Invalid robot');
    Object.assign(r.mirror, b);
    return ok('', 201);
  });
  for (const action of ['sync-now', 'sync-cancel'] as const) {
    route('POST', `${mirrorTpl}/${action}`, ({ params, who }) => {
      const r = repoOr404(params[0]);
      repoAccess(who, r, 'repo:admin');
      if (!r.mirror) throw new HttpError(404, 'not_found', 'Not Found');
      if (action === 'sync-now') {
        if (r.mirror.sync_status === 'SYNCING') throw new HttpError(404, 'not_found', 'Sync in progress');
        r.mirror.sync_status = 'SYNC_NOW';
      } else {
        if (r.mirror.sync_status !== 'SYNCING' && r.mirror.sync_status !== 'SYNC_NOW') throw new HttpError(404, 'not_found', 'No sync to cancel');
        r.mirror.sync_status = 'CANCEL';
      }
      return { status: 204 };
    });
  }

  // policies
  const policyRoutes = (kind: 'autoprunepolicy' | 'immutabilitypolicy', level: 'organization' | 'repository') => {
    const base = level === 'organization' ? `/api/v1/organization/{orgname}/${kind}/` : `/api/v1/repository/{repository}/${kind}/`;
    const list = (params: string[], who?: TokenRec): Json[] => {
      if (level === 'organization') {
        const o = orgAdmin(who, params[0]);
        return kind === 'autoprunepolicy' ? o.autoprune : o.immutability;
      }
      const r = repoOr404(params[0]);
      repoAccess(who, r, 'repo:admin');
      return kind === 'autoprunepolicy' ? r.autoprune : r.immutability;
    };
    const check = (method: string, b: unknown): Json => {
      const o = (b ?? {}) as Json;
      if (typeof b !== 'object' || b === null) bad(base, method, 'body must be an object');
      if (kind === 'autoprunepolicy') {
        for (const k of Object.keys(o)) if (!['method', 'value', 'tagPattern', 'tagPatternMatches'].includes(k)) bad(base, method, `unknown key ${k}`);
        if (o.method === 'number_of_tags') {
          if (!Number.isInteger(o.value) || (o.value as number) < 1) bad(base, method, 'value must be a positive integer for number_of_tags');
        } else if (o.method === 'creation_date') {
          if (typeof o.value !== 'string' || !/^\d+[smhdwy]$/.test(o.value)) bad(base, method, 'value must be a duration such as 7d for creation_date');
        } else bad(base, method, 'method must be number_of_tags or creation_date');
      } else {
        for (const k of Object.keys(o)) if (!['tagPattern', 'tagPatternMatches'].includes(k)) bad(base, method, `unknown key ${k}`);
        if (typeof o.tagPattern !== 'string' || !o.tagPattern) bad(base, method, 'tagPattern is required');
      }
      if (o.tagPattern !== undefined) {
        try {
          new RegExp(text(o.tagPattern));
        } catch {
          throw new HttpError(400, 'invalid_request', 'Invalid tagPattern');
        }
      }
      if (o.tagPatternMatches !== undefined && typeof o.tagPatternMatches !== 'boolean') bad(base, method, 'tagPatternMatches must be a boolean');
      return o;
    };
    route('GET', base, ({ params, who }) => ok({ policies: list(params, who) }));
    route('POST', base, ({ params, body, who }) => {
      const b = check('POST', body);
      const l = list(params, who);
      const uuid = crypto.randomUUID();
      l.push(kind === 'autoprunepolicy' ? { uuid, method: b.method, value: b.value, tagPattern: b.tagPattern ?? null, tagPatternMatches: b.tagPatternMatches ?? true } : { uuid, tagPattern: b.tagPattern, tagPatternMatches: b.tagPatternMatches ?? true });
      return ok({ uuid }, 201);
    });
    route('GET', `${base}{policy_uuid}`, ({ params, who }) => {
      const p = list(params, who).find((x) => x.uuid === params[1]);
      if (!p) throw new HttpError(404, 'not_found', 'Not Found');
      return ok(p);
    });
    route('PUT', `${base}{policy_uuid}`, ({ params, body, who }) => {
      const b = check('PUT', body);
      const p = list(params, who).find((x) => x.uuid === params[1]);
      if (!p) throw new HttpError(404, 'not_found', 'Not Found');
      Object.assign(p, b, { tagPattern: b.tagPattern ?? null });
      return ok({ uuid: p.uuid });
    });
    route('DELETE', `${base}{policy_uuid}`, ({ params, who }) => {
      const l = list(params, who);
      const i = l.findIndex((x) => x.uuid === params[1]);
      if (i < 0) throw new HttpError(404, 'not_found', 'Not Found');
      l.splice(i, 1);
      return ok({ uuid: params[1] });
    });
  };
  for (const kind of ['autoprunepolicy', 'immutabilitypolicy'] as const) for (const level of ['organization', 'repository'] as const) policyRoutes(kind, level);

  // proxy cache (Quay's proxy_cache_view; an empty upstream when none is configured)
  const proxyTpl = '/api/v1/organization/{orgname}/proxycache';
  const PROXY_KEYS = ['upstream_registry', 'upstream_registry_username', 'upstream_registry_password', 'expiration_s', 'insecure'];
  route('GET', proxyTpl, ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    const c = o.proxyCache;
    return ok({ upstream_registry: c ? c.upstream_registry : '', expiration_s: c ? c.expiration_s : null, insecure: c ? c.insecure : false });
  });
  route('POST', proxyTpl, ({ params, body, who }) => {
    const b = (body ?? {}) as Json;
    if (typeof body !== 'object' || body === null || Object.keys(b).some((k) => !PROXY_KEYS.includes(k))) bad(proxyTpl, 'POST', 'unknown key');
    if (typeof b.upstream_registry !== 'string' || !b.upstream_registry) bad(proxyTpl, 'POST', 'upstream_registry is required');
    if (b.expiration_s !== undefined && !Number.isInteger(b.expiration_s)) bad(proxyTpl, 'POST', 'expiration_s must be an integer');
    const o = orgAdmin(who, params[0]);
    if (o.proxyCache) throw new HttpError(400, 'invalid_request', 'Proxy cache configuration already exists');
    o.proxyCache = { upstream_registry: b.upstream_registry, expiration_s: b.expiration_s ?? 86400, insecure: b.insecure ?? false, upstream_registry_username: b.upstream_registry_username ?? null };
    return ok('Created', 201);
  });
  // Quay's ProxyCacheConfigValidation: it logs in to the upstream with the given credentials; 202 "Valid" (or
  // "Anonymous" without credentials), 400 when the upstream cannot be reached or refuses them. Here an upstream on
  // the reserved `.invalid` domain cannot be reached, and `badpass` is a password every upstream refuses.
  const validateTpl = '/api/v1/organization/{orgname}/validateproxycache';
  route('POST', validateTpl, ({ params, body, who }) => {
    const b = (body ?? {}) as Json;
    if (typeof body !== 'object' || body === null || Object.keys(b).some((k) => !PROXY_KEYS.includes(k))) bad(validateTpl, 'POST', 'unknown key');
    if (typeof b.upstream_registry !== 'string' || !b.upstream_registry) bad(validateTpl, 'POST', 'upstream_registry is required');
    orgAdmin(who, params[0]);
    const host = String(b.upstream_registry).split('/')[0];
    if (/\.invalid(:\d+)?$/i.test(host) || b.upstream_registry_password === 'badpass') throw new HttpError(400, 'invalid_request', 'Failed to validate Proxy cache configuration');
    return ok(b.upstream_registry_username ? 'Valid' : 'Anonymous', 202);
  });
  route('DELETE', proxyTpl, ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    if (!o.proxyCache) throw new HttpError(404, 'not_found', 'Not Found');
    delete o.proxyCache;
    return { status: 204 };
  });

  // quota
  route('GET', '/api/v1/organization/{orgname}/quota', ({ params, who }) => ok(orgAdmin(who, params[0], 'user:read').quota));

  // app tokens
  const appTokenView = (t: Json, code: boolean): Json => {
    const { token_code, ...rest } = t;
    return code ? { ...rest, token_code } : rest;
  };
  route('GET', '/api/v1/user/apptoken', ({ who }) => {
    const w = need(who, 'user:admin');
    return ok({ tokens: users.get(w.user)!.appTokens.map((t) => appTokenView(t, false)), only_expiring: null });
  });
  route('POST', '/api/v1/user/apptoken', ({ body, who }) => {
    checkSpecBody('/api/v1/user/apptoken', 'POST', body);
    const w = need(who, 'user:admin');
    const t = { uuid: crypto.randomUUID(), title: String((body as Json).friendlyName), last_accessed: null, created: rfc2822(now()), expiration: null, token_code: crypto.randomBytes(30).toString('base64url') };
    users.get(w.user)!.appTokens.push(t);
    return ok({ token: appTokenView(t, true) });
  });
  route('DELETE', '/api/v1/user/apptoken/{token_uuid}', ({ params, who }) => {
    const w = need(who, 'user:admin');
    const u = users.get(w.user)!;
    const before = u.appTokens.length;
    u.appTokens = u.appTokens.filter((t) => t.uuid !== params[0]);
    if (u.appTokens.length === before) throw new HttpError(404, 'not_found', 'Not Found');
    return { status: 204 };
  });

  // logs (20 per page, like Quay's LOGS_PER_PAGE)
  const logRoute = (tpl: string, pick: (params: string[], who?: TokenRec) => Json[]) =>
    route('GET', tpl, ({ params, q, who }) => {
      const all = pick(params, who);
      const parse = (v: string | null, fallback: number) => {
        if (v === null) return fallback;
        const m = /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(v);
        if (!m) throw new HttpError(400, 'invalid_request', `Invalid date ${v}: expected MM/DD/YYYY`);
        return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2])) / 1000;
      };
      const end = parse(q.get('endtime'), now()) + (q.get('endtime') ? 86400 : 0);
      const start = parse(q.get('starttime'), end - 30 * 86400);
      const inRange = all.filter((e) => {
        const t = Date.parse(String(e.datetime)) / 1000;
        return t >= start && t < end;
      });
      inRange.sort((a, b) => Date.parse(String(b.datetime)) - Date.parse(String(a.datetime)));
      const token = q.get('next_page');
      const offset = token ? readToken(token, salt) : 0;
      const body: Json = { start_time: rfc2822(start), end_time: rfc2822(end), logs: inRange.slice(offset, offset + 20) };
      if (offset + 20 < inRange.length) body.next_page = opaqueToken(offset + 20, salt);
      return ok(body);
    });
  logRoute('/api/v1/repository/{repository}/logs', (params, who) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    return r.logs;
  });
  logRoute('/api/v1/organization/{orgname}/logs', (params, who) => orgAdmin(who, params[0]).logs);
  logRoute('/api/v1/user/logs', (_params, who) => users.get(need(who, 'user:admin').user)!.logs);

  // ---- server ----
  let registry: OciServer | undefined;
  const healthBody = (services: string[]) => {
    const data = Object.fromEntries(services.map((sv) => [sv, !failing.includes(sv)]));
    const healthy = Object.values(data).every(Boolean);
    return { status: healthy ? 200 : 503, body: { data: { services: data }, status_code: healthy ? 200 : 503 } };
  };

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    if (status === 204 || body === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    const text = typeof body === 'string' && status === 201 && body === '' ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = req.url ?? '/';
      const qi = raw.indexOf('?');
      const rawPath = qi >= 0 ? raw.slice(0, qi) : raw;
      const query = qi >= 0 ? raw.slice(qi + 1) : '';
      const log: QuayRequestLogEntry = { method: req.method ?? 'GET', path: rawPath, query, status: 0, auth: !req.headers.authorization ? 'none' : /^bearer /i.test(req.headers.authorization) ? 'bearer' : 'other' };
      requests.push(log);
      if (requests.length > 20000) requests.splice(0, 10000);
      const finish = (status: number, body: unknown) => {
        log.status = status;
        send(res, status, body);
      };
      try {
        if (rawPath.startsWith('/v2')) {
          if (!registry) return finish(404, { errors: [{ code: 'NOT_FOUND', message: 'no registry' }] });
          log.status = -1;
          const target = rawPath === '/v2/auth' ? `/token${qi >= 0 ? raw.slice(qi) : ''}` : raw;
          const up = http.request(`${registry.url}${target}`, { method: req.method, headers: { ...req.headers, host: new URL(registry.url).host } }, (ur) => {
            log.status = ur.statusCode ?? 0;
            res.writeHead(ur.statusCode ?? 502, ur.headers);
            ur.pipe(res);
          });
          up.on('error', () => finish(502, { errors: [{ code: 'UNAVAILABLE', message: 'registry down' }] }));
          up.end(Buffer.concat(chunks));
          return;
        }
        if (rawPath === '/health/instance' || rawPath === '/health') {
          const h = healthBody(['registry_gunicorn', 'web_gunicorn', 'service_key', 'disk_space']);
          return finish(h.status, h.body);
        }
        if (rawPath === '/health/endtoend' || rawPath === '/status') {
          const h = healthBody(['registry_gunicorn', 'web_gunicorn', 'service_key', 'disk_space', 'database', 'redis', 'auth', 'storage']);
          return finish(h.status, h.body);
        }
        // Quay's routes match the decoded path, but an encoded slash never splits a segment: it does not route.
        if (/%2f/i.test(rawPath)) throw new HttpError(404, 'not_found', 'Not Found');
        const method = req.method ?? 'GET';
        let matched: { route: (typeof routes)[number]; params: string[] } | undefined;
        let pathMatched = false;
        for (const r of routes) {
          const m = r.re.exec(rawPath);
          if (!m) continue;
          if (r.feature && !features.has(r.feature)) continue;
          pathMatched = true;
          if (r.method !== method) continue;
          matched = { route: r, params: m.slice(1).map((p) => (r.template.includes('{repository}') ? p : decodeURIComponent(p))) };
          break;
        }
        if (!matched) throw new HttpError(pathMatched ? 405 : 404, pathMatched ? 'invalid_request' : 'not_found', pathMatched ? 'Method Not Allowed' : 'Not Found');
        if (matched.route.template.includes('{repository}')) {
          const [ns, name] = matched.params[0].split('/').map(decodeURIComponent);
          matched.params[0] = `${ns}/${name}`;
        }
        const f = fault && fault.path.test(rawPath) && (!fault.method || fault.method === method) ? fault : undefined;
        if (f?.times !== undefined && --f.times <= 0) fault = undefined;
        if (f) {
          if (f.kind === 'malformed') {
            log.status = 200;
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end('{"truncated": [');
            return;
          }
          if (f.kind === 'status') throw new HttpError(f.status ?? 500, 'downstream_issue', 'Injected failure');
        }
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        if (text) {
          try {
            body = JSON.parse(text);
          } catch {
            throw new HttpError(400, 'invalid_request', 'Invalid JSON');
          }
        }
        const who = authOf(req);
        const out = matched.route.handler({ method, params: matched.params, q: new URLSearchParams(query), body, who }) ?? { status: 200, body: {} };
        let outBody = out.body;
        if (f) {
          if (f.kind === 'repeatCursor' && outBody && typeof outBody === 'object' && 'next_page' in outBody) {
            const q = new URLSearchParams(query);
            if (q.get('next_page')) (outBody as Json).next_page = q.get('next_page');
          }
          if (f.kind === 'wrongType') outBody = f.body;
        }
        finish(out.status ?? 200, outBody);
      } catch (e) {
        if (e instanceof HttpError) {
          const host = `http://${req.headers.host ?? 'localhost'}`;
          return finish(e.status, { type: `${host}/api/v1/error/${e.title}`, title: e.title, detail: e.detail, error_message: e.detail, error_type: e.title, status: e.status });
        }
        finish(500, { type: 'about:blank', title: 'internal_error', detail: String((e as Error).message), status: 500 });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  addUser('alice');
  const token = issueToken('alice', ALL_SCOPES);
  if (opts.registry) {
    registry = await startOciServer({ auth: { type: 'bearer', username: '$oauthtoken', password: token, realm: `${url}/v2/auth`, service: new URL(url).host } });
  }

  if (opts.seed ?? true) await seedDemo();

  async function seedDemo(): Promise<void> {
    addUser('bob');
    addOrg('acme', ['alice', 'bob']);
    addOrg('beta', ['alice']);
    const acme = orgs.get('acme')!;
    orgs.get('beta')!.proxyCache = { upstream_registry: 'docker.io', expiration_s: 86400, insecure: false, upstream_registry_username: null };
    acme.teams.set('developers', { name: 'developers', role: 'member', description: 'App developers', members: new Set(['bob']), invited: new Set<string>() });
    acme.robots.set('acme+ci', { name: 'acme+ci', description: 'CI pusher', token: crypto.randomBytes(32).toString('hex').toUpperCase(), created: now() - 86400 * 30, lastAccessed: now() - 3600 });
    acme.robots.set('acme+mirror', { name: 'acme+mirror', description: 'Mirror pusher', token: crypto.randomBytes(32).toString('hex').toUpperCase(), created: now() - 86400 * 30, lastAccessed: null });
    acme.teams.get('developers')!.members.add('acme+ci');
    acme.quota.push({ id: 1, limit_bytes: 10737418240, limit: '10.0 GiB', default_config: false, limits: [{ id: 1, type: 'Warning', limit_percent: 80 }, { id: 2, type: 'Reject', limit_percent: 100 }], default_config_exists: false });
    acme.autoprune.push({ uuid: crypto.randomUUID(), method: 'number_of_tags', value: 50, tagPattern: '^dev-', tagPatternMatches: true });
    acme.immutability.push({ uuid: crypto.randomUUID(), tagPattern: '^v[0-9]+', tagPatternMatches: true });
    users.get('alice')!.robots.set('alice+laptop', { name: 'alice+laptop', description: 'Personal pushes', token: crypto.randomBytes(32).toString('hex').toUpperCase(), created: now() - 86400, lastAccessed: null });
    users.get('alice')!.appTokens.push({ uuid: crypto.randomUUID(), title: 'workstation', last_accessed: null, created: rfc2822(now() - 86400 * 3), expiration: null, token_code: crypto.randomBytes(30).toString('base64url') });

    const t0 = now() - 86400 * 10;
    addRepository('acme', 'app', { description: 'The **app** image\n\nBuilt from main.', lastModified: t0, popularity: 42 });
    addRepository('acme', 'web', { description: 'Web front end', isPublic: true, lastModified: t0 - 500, popularity: 7 });
    addRepository('acme', 'alpine', { description: 'Mirror of docker.io/library/alpine', state: 'MIRROR', lastModified: t0 - 1000 });
    addRepository('acme', 'legacy', { description: 'Frozen', state: 'READ_ONLY', lastModified: t0 - 2000 });
    addRepository('acme', 'many', { description: 'More than 100 tags', lastModified: t0 - 3000 });
    addRepository('beta', 'tools', { description: 'Beta tools', lastModified: t0 - 4000 });
    addRepository('alice', 'scratch', { description: 'Personal', isPublic: false, lastModified: t0 - 5000 });

    const app = repos.get('acme/app')!;
    app.userPerms.set('alice', 'admin');
    app.userPerms.set('acme+ci', 'write');
    app.teamPerms.set('owners', 'admin');
    app.teamPerms.set('developers', 'write');
    app.notifications.push({ uuid: crypto.randomUUID(), title: 'push hook', event: 'repo_push', method: 'webhook', config: { url: 'https://hooks.example.com/quay' }, event_config: {}, number_of_failures: 2 });
    app.autoprune.push({ uuid: crypto.randomUUID(), method: 'creation_date', value: '30d', tagPattern: '^pr-', tagPatternMatches: true });
    app.immutability.push({ uuid: crypto.randomUUID(), tagPattern: '^release-', tagPatternMatches: true });
    addLogs('acme/app', 45);
    addLogs('acme', 30);
    addLogs('alice', 7);

    // Tags of acme/app: a multi-platform tag with the real Clair report per platform, plain tags, history.
    let multi: { digest: string; children: string[]; data?: string };
    if (registry) {
      const digest = registry.addImage('acme/app', ['latest'], { platforms: ['linux/amd64', 'linux/arm64'] });
      registry.addImage('acme/app', ['1.0'], { salt: '1.0' });
      registry.addImage('acme/app', ['0.9'], { salt: '0.9' });
      const data = await fetchManifest(registry, 'acme/app', digest, token);
      const children = (JSON.parse(data) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest);
      multi = { digest, children, data };
      app.manifests.set(digest, data);
    } else {
      const children = [fakeDigest('amd64'), fakeDigest('arm64')];
      multi = { digest: fakeDigest('index'), children };
    }
    for (const c of multi.children) security.set(c, clair);
    addTag('acme/app', 'latest', { digest: multi.digest, list: multi.children, startTs: t0 });
    const d10 = addTag('acme/app', '1.0', { digest: registry?.digestOf('acme/app', '1.0') ?? fakeDigest('1.0'), startTs: t0 - 300, size: 3100000 });
    security.set(d10, { status: 'scanned', data: { Layer: { Name: d10, ParentName: '', NamespaceName: '', IndexedByVersion: 4, Features: [] } } });
    addTag('acme/app', '0.9', { digest: registry?.digestOf('acme/app', '0.9') ?? fakeDigest('0.9'), startTs: t0 - 600, size: 2900000, expiration: now() + 86400 * 7 });
    // With the registry, the tags users see (and `old` once restored) have their manifests there, as in Quay.
    addTag('acme/app', 'old', { digest: registry?.addImage('acme/app', ['old'], { salt: 'old' }) ?? fakeDigest('old'), startTs: t0 - 900 });
    endTag('acme/app', 'old', t0 - 100);
    addTag('acme/app', 'dev', { digest: fakeDigest('dev-1'), startTs: t0 - 800 });
    addTag('acme/app', 'dev', { digest: registry?.addImage('acme/app', ['dev'], { salt: 'dev' }) ?? fakeDigest('dev-2'), startTs: t0 - 200 });
    app.labels.set(d10, [{ id: crypto.randomUUID(), key: 'org.opencontainers.image.source', value: 'https://git.example.com/app', source_type: 'manifest', media_type: 'text/plain' }]);

    addTags('acme/many', 130, 'build-');
    for (let i = 0; i < 5; i++) endTag('acme/many', `build-${i}`, now() - 3600 - i);

    addTag('acme/web', 'latest', { digest: registry?.addImage('acme/web', ['latest'], { salt: 'acme/web' }), startTs: t0 });
    addTag('beta/tools', 'stable', { digest: registry?.addImage('beta/tools', ['stable'], { salt: 'beta/tools' }), startTs: t0 });
    addTag('alice/scratch', 'wip', { digest: registry?.addImage('alice/scratch', ['wip'], { salt: 'alice/scratch' }), startTs: t0 });

    repos.get('acme/alpine')!.mirror = {
      is_enabled: true,
      mirror_type: 'PULL',
      external_reference: 'docker.io/library/alpine',
      external_registry_username: null,
      external_registry_config: { verify_tls: true, unsigned_images: false, proxy: { http_proxy: null, https_proxy: null, no_proxy: null } },
      sync_interval: 86400,
      sync_start_date: iso(now() + 3600),
      sync_expiration_date: null,
      sync_retries_remaining: 3,
      sync_status: 'SUCCESS',
      root_rule: { rule_kind: 'tag_glob_csv', rule_value: ['latest', '3.*'] },
      robot_username: 'acme+mirror',
      skopeo_timeout_interval: 300,
      architecture_filter: [],
    };
    addTag('acme/alpine', 'latest', { digest: registry?.addImage('acme/alpine', ['latest'], { salt: 'acme/alpine' }), startTs: t0 });
  }

  function addTags(repository: string, count: number, prefix = 'tag-'): void {
    const r = repoOr404(repository);
    const base = now() - count;
    for (let i = 0; i < count; i++) {
      const name = `${prefix}${i}`;
      // With a registry behind it (demo, e2e), each tag is a real image there, so its details open.
      const digest = registry ? registry.addImage(repository, name, { salt: `${repository}:${name}` }) : fakeDigest(`${repository}:${name}`);
      r.tags.push({ id: tagSeq++, name, digest, size: 1000 + i, start: base + i, reversion: false });
    }
  }

  return {
    url,
    requests,
    requestIssues,
    token,
    username: 'alice',
    registry,
    clearRequests: () => void requests.splice(0),
    issueToken,
    addUser,
    addOrg,
    inviteToTeam: (org, team, who) => {
      const t = orgs.get(org)?.teams.get(team);
      if (!t) throw new Error(`no team ${org}/${team}`);
      t.invited.add(who);
    },
    addRepository,
    addTag,
    addTags,
    endTag,
    addLogs,
    setFailingServices: (s) => void (failing = s),
    setFault: (f) => void (fault = f),
    tags: (repository) => repoOr404(repository).tags.map((t) => ({ name: t.name, digest: t.digest, start: t.start, end: t.end })),
    repository: (repository) => {
      const r = repos.get(repository);
      return r && { description: r.description, isPublic: r.isPublic, state: r.state };
    },
    mirrorOf: (repository) => repos.get(repository)?.mirror,
    proxyCacheOf: (org) => orgs.get(org)?.proxyCache,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await registry?.close();
    },
  };
}

function syntheticIndex(children: string[]): Json {
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

/** The index body from the embedded registry, through its token flow. */
async function fetchManifest(registry: OciServer, repository: string, digest: string, password: string): Promise<string> {
  const basic = Buffer.from(`$oauthtoken:${password}`).toString('base64');
  // Tokens are bound to the service the registry's challenge names.
  const challenge = (await fetch(`${registry.url}/v2/`)).headers.get('www-authenticate') ?? '';
  const service = /service="([^"]*)"/.exec(challenge)?.[1] ?? '';
  const t = await fetch(`${registry.url}/token?service=${encodeURIComponent(service)}&scope=repository:${repository}:pull`, { headers: { authorization: `Basic ${basic}` } });
  const { token } = (await t.json()) as { token: string };
  const m = await fetch(`${registry.url}/v2/${repository}/manifests/${digest}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json' },
  });
  return m.text();
}

/**
 * The seeded fake Quay with its registry, for the demo and in-host tests. `otherToken` is a second API token of the
 * same user that the embedded `/v2` registry does not accept (it takes `$oauthtoken` with `token` only): signed in
 * with it, tag details need the registry login.
 */
export async function startDemoQuay(): Promise<{ info: { url: string; token: string; otherToken: string; username: string; namespaces: string[] }; stop: () => Promise<void> }> {
  const s = await startQuayServer({ registry: true });
  return { info: { url: s.url, token: s.token, otherToken: s.issueToken(s.username, ALL_SCOPES), username: s.username, namespaces: [] }, stop: () => s.close() };
}
