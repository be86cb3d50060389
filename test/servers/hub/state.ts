/** Hub fake state: accounts, organizations, repositories, tokens, and the access rules and token signing over them. */
import * as crypto from 'node:crypto';
import type * as http from 'node:http';
import { FaultSlot } from '../kit/faults';
import { RequestLog } from '../kit/log';
import {
  HttpError,
  INDEX_MEDIA_TYPE,
  MANIFEST_MEDIA_TYPE,
  type AuditRec,
  type HubFault,
  type HubRequestLogEntry,
  type HubServerOptions,
  type HubShapes,
  type ImageRec,
  type Json,
  type OatRec,
  type OrgRec,
  type PatRec,
  type Principal,
  type RepoRec,
  type Role,
  type TagRec,
  type TagSeed,
  type UserRec,
} from './types';

export type HubState = ReturnType<typeof createHubState>;

export function createHubState(opts: HubServerOptions) {
  const now = opts.now ?? (() => Date.now());
  const iso = (ms = now()): string => new Date(ms).toISOString();
  const tokenLifetime = opts.tokenLifetimeSeconds ?? 600;
  const signingKey = crypto.randomBytes(32);

  const users = new Map<string, UserRec>();
  const orgs = new Map<string, OrgRec>();
  const repos = new Map<string, RepoRec>();
  const pats = new Map<string, PatRec>();
  const audit: AuditRec[] = [];
  const log = new RequestLog<HubRequestLogEntry>();
  const requests = log.entries;
  const forced429: Array<{ left: number; retryAfter: number; path?: string | RegExp }> = [];
  const faults = new FaultSlot<HubFault>();
  /** What changes after start (switches, counters, the rate-limit window, the server's own URL). */
  const st = {
    shapes: (opts.shapes ?? 'hub') as HubShapes,
    userOrgs: opts.userOrgs ?? true,
    nextTagId: 1,
    nextGroupId: 1,
    rate: { limit: opts.rateLimit ?? 10_000, remaining: opts.rateLimit ?? 10_000, windowMs: (opts.rateLimitWindowSeconds ?? 60) * 1000, resetAt: now() + (opts.rateLimitWindowSeconds ?? 60) * 1000 },
    baseUrl: '',
  };

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
      id: st.nextTagId++,
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

  return { st, opts, now, iso, tokenLifetime, users, orgs, repos, pats, audit, log, requests, forced429, faults, repoKey, digestOf, namespaceExists, isMember, roleIn, scopeAllows, pathCovers, orgTokenAllows, canRead, requireAuth, requireWrite, requireOrg, getRepo, record, sortTags, parsePlatform, makeTag, putTag, ensureRepo, signJwt, issue, verifyJwt, authKind, principalOf };
}
