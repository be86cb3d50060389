/** Quay fake state: accounts, organizations, repositories with tag history, tokens; views, scopes and body checks. */
import * as crypto from 'node:crypto';
import type * as http from 'node:http';
import { formatIssues, OpenApiValidator, type OpenApiDocument } from '../../support/openapiValidator';
import { FaultSlot } from '../kit/faults';
import { RequestLog } from '../kit/log';
import { readSpec } from '../kit/validate';
import type { OciServer } from '../oci/types';
import { HttpError, rfc2822, fakeDigest, avatar, type Scope, type QuayFeature, type QuayServerOptions, type QuayRequestLogEntry, type QuayFault, type QuayServer, type Json, type TagEntry, type RepoRec, type TeamRec, type RobotRec, type OrgRec, type UserRec, type TokenRec } from './types';

export type QuayState = ReturnType<typeof createQuayState>;

export function createQuayState(opts: QuayServerOptions) {
  const now = () => Math.floor((opts.now ?? Date.now)() / 1000);
  const features = new Set<QuayFeature>(opts.features ?? ['mirror', 'security', 'autoPrune', 'immutability', 'quota', 'changeState', 'proxyCache']);
  const spec = readSpec<OpenApiDocument & { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Json }> } }>> }>('quay-api.json');
  if (opts.orgTagExpiration ?? true) {
    // Current Quay's UpdateOrg (endpoints/api/organization.py) declares tag_expiration_s; the vendored document predates it.
    const schemas = (spec as unknown as { components: { schemas: Record<string, { properties: Json }> } }).components.schemas;
    schemas.UpdateOrg = { ...schemas.UpdateOrg, properties: { ...schemas.UpdateOrg.properties, tag_expiration_s: { type: 'integer', minimum: 0, description: 'The number of seconds for tag expiration' } } };
  }
  const validator = new OpenApiValidator(spec);
  const clair = readSpec<Json>('quay-manifest-security-example.json');
  const users = new Map<string, UserRec>();
  const orgs = new Map<string, OrgRec>();
  const repos = new Map<string, RepoRec>();
  const tokens = new Map<string, TokenRec>();
  const log = new RequestLog<QuayRequestLogEntry>(20_000, 10_000);
  const requests = log.entries;
  const requestIssues: string[] = [];
  const security = new Map<string, Json>();
  const faults = new FaultSlot<QuayFault>();
  /** What changes after start: the tag id sequence, the failing health services, the registry behind the API. */
  const st = { tagSeq: 1, failing: [] as string[], registry: undefined as OciServer | undefined };
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
    r.tags.push({ id: st.tagSeq++, name, digest, size, list, start: at, reversion });
    r.lastModified = at;
  };
  const addTag: QuayServer['addTag'] = (repository, tag, o = {}) => {
    const r = repoOr404(repository);
    const digest = o.digest ?? fakeDigest(`${repository}:${tag}:${st.tagSeq}`);
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


  function addTags(repository: string, count: number, prefix = 'tag-'): void {
    const r = repoOr404(repository);
    const base = now() - count;
    for (let i = 0; i < count; i++) {
      const name = `${prefix}${i}`;
      // With a registry behind it (demo, e2e), each tag is a real image there, so its details open.
      const digest = st.registry ? st.registry.addImage(repository, name, { salt: `${repository}:${name}` }) : fakeDigest(`${repository}:${name}`);
      r.tags.push({ id: st.tagSeq++, name, digest, size: 1000 + i, start: base + i, reversion: false });
    }
  }

  return { opts, now, features, spec, validator, clair, users, orgs, repos, tokens, log, requests, requestIssues, security, faults, st, salt, addUser, addOrg, issueToken, addRepository, repoOr404, activeOf, startTag, addTag, endTag, addLogs, tagView, repoView, robotView, teamView, authOf, need, canAdminNs, repoAccess, orgAdmin, checkSpecBody, bad, addTags };
}
