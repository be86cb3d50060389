/**
 * An in-memory DTR / MSR API (`/api/v0`, DTR 2.6) for tests, the benchmark and the demo. It follows the vendored
 * Swagger document (test/fixtures/specs/dtr-api.json, mended in test/servers/dtrSpec.ts): every request body is
 * validated against the operation's form and refused with 400 when it does not match, and with
 * `validateResponses` every response body is checked against the spec (violations collected in `violations`).
 * What the document leaves out and DTR does is built in: HTTP Basic with a password or an API token, paging with
 * `pageStart`/`pageSize` and the `X-Next-Page-Start` header (`X-Resource-Count` with `count=true`), roles from each
 * operation's description (401 without credentials, 403 without the access level, 404 for what the user cannot see),
 * and the error envelope `{"errors":[{"code","message"}]}`.
 *
 * `apiShape: '1.3'` answers repository calls in the DTR 1.3 shapes (integer ids, `status: "ok"`, create needs only
 * a name). `registry: true` also serves DTR's `/v2/` registry (test/servers/ociServer.ts behind the same origin,
 * Bearer challenge with `/token`) for tag details.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatIssues } from '../support/openapiValidator';
import { dtrValidator } from './dtrSpec';
import { startOciServer, type OciServer } from './ociServer';

export type AccessLevel = 'read-only' | 'read-write' | 'admin';
type Json = Record<string, unknown>;

export interface DtrServerOptions {
  port?: number;
  apiShape?: '2.6' | '1.3';
  /** Check every response body against the spec and collect violations (tests); off by default (bench). */
  validateResponses?: boolean;
  features?: Partial<Features>;
  /** Serve `/v2/` (and `/token`) through an embedded OCI registry with Bearer auth for this user. */
  registry?: { username: string; password: string };
  /**
   * Teams in team access carry `name` (DTR does; default) or only what the document's `responses.Team` has (`id`,
   * `clientUserIsMember`) when false.
   */
  teamNames?: boolean;
  /** Serve the account service's team listing (`GET /enzi/v0/accounts/{org}/teams`), which names teams by id. */
  enzi?: boolean;
}

/** What a policy did when it was evaluated on save (`initialEvaluation`, true unless sent false). */
export interface DtrEvaluation {
  kind: PolicyKind;
  repository: string;
  /** Tags the evaluation promoted, mirrored or pruned. */
  tags: string[];
}

export interface Features {
  scanningEnabled: boolean;
  scanningLicensed: boolean;
  promotionLicensed: boolean;
  mirroringLicensed: boolean;
}

export interface DtrRequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  user?: string;
  body?: unknown;
}

export interface DtrFault {
  path?: string | RegExp;
  method?: string;
  /** `malformed`: 200 with truncated JSON; `wrongType`: the normal body with `field` replaced; `repeatCursor`: X-Next-Page-Start = the requested start; `cycleCursor`: pages after the first point back to the first; `status`. */
  kind: 'malformed' | 'wrongType' | 'repeatCursor' | 'cycleCursor' | 'status';
  field?: string;
  value?: unknown;
  status?: number;
  times?: number;
}

export interface TagSeed {
  name: string;
  platforms?: string[];
  digest?: string;
  size?: number;
  author?: string;
  signed?: boolean;
  updatedAt?: string;
  /** Number of CVEs per platform in its scan (generated), or no scan. */
  cves?: number;
  /** The name of the first component of its scan (default `component-0`). */
  component?: string;
}

export interface RepositorySeed {
  shortDescription?: string;
  longDescription?: string;
  visibility?: 'public' | 'private';
  scanOnPush?: boolean;
  immutableTags?: boolean;
  tagLimit?: number;
  pulls?: number;
}

interface UserRec {
  name: string;
  id: string;
  password: string;
  admin: boolean;
  fullName: string;
  tokens: Map<string, TokenRec>;
}
interface TokenRec {
  hashedToken: string;
  secret: string;
  tokenLabel: string;
  isActive: boolean;
  lastUsed: string;
  createdAt: string;
}
interface TeamRec {
  id: string;
  name: string;
  members: Set<string>;
}
interface OrgRec {
  name: string;
  id: string;
  owners: Set<string>;
  members: Set<string>;
  teams: Map<string, TeamRec>;
  access: Map<string, AccessLevel>;
}
interface PlatformRec {
  os: string;
  arch: string;
  digest: string;
  size: number;
  cves?: number;
}
interface TagRec {
  name: string;
  digest: string;
  mediaType: string;
  author: string;
  createdAt: string;
  updatedAt: string;
  signed: boolean;
  platforms: PlatformRec[];
  component?: string;
  promotion?: { promotionPolicyID: string; sourceRepository: string; sourceTag: string };
}
interface RepoRec {
  id: string;
  intId: number;
  namespace: string;
  name: string;
  shortDescription: string;
  longDescription: string;
  visibility: 'public' | 'private';
  scanOnPush: boolean;
  immutableTags: boolean;
  enableManifestLists: boolean;
  tagLimit: number;
  pulls: number;
  pushes: number;
  tags: TagRec[];
  teamAccess: Map<string, AccessLevel>;
  policies: Record<PolicyKind, Map<string, Json>>;
  events: Json[];
}
export type PolicyKind = 'pruningPolicies' | 'promotionPolicies' | 'pollMirroringPolicies' | 'pushMirroringPolicies';

export interface DtrServer {
  readonly url: string;
  readonly requests: DtrRequestLogEntry[];
  /** Response bodies that did not match the spec (with `validateResponses`). */
  readonly violations: string[];
  /** Operations answered (method + path template), for the contract test's coverage check. */
  readonly answered: Set<string>;
  clearRequests(): void;
  close(): Promise<void>;
  addUser(name: string, password: string, opts?: { admin?: boolean; fullName?: string }): void;
  addOrg(name: string, opts?: { owners?: string[]; members?: string[] }): void;
  addTeam(org: string, team: string, members: string[]): void;
  /** The id of a team (DTR's `responses.Team.id`). */
  teamId(org: string, team: string): string | undefined;
  setNamespaceAccess(org: string, team: string, level: AccessLevel): void;
  setRepositoryAccess(repository: string, team: string, level: AccessLevel): void;
  addRepository(namespace: string, name: string, seed?: RepositorySeed): void;
  addTag(repository: string, seed: TagSeed): void;
  addTags(repository: string, count: number, opts?: { prefix?: string }): void;
  addEvents(repository: string, count: number): void;
  addJob(action: string, status: 'waiting' | 'running' | 'done' | 'canceled' | 'errored', logs?: string[]): string;
  createToken(user: string, label: string): string;
  /** Adds a policy as the API would store it (`kind`: pruningPolicies, promotionPolicies, pollMirroringPolicies, pushMirroringPolicies); returns its id. */
  addPolicy(repository: string, kind: PolicyKind, policy: Json): string;
  addWebhook(key: string, type: string, endpoint: string, author?: string): string;
  setFeatures(f: Partial<Features>): void;
  setFault(f: DtrFault | undefined): void;
  repository(repository: string): RepoRec | undefined;
  webhookCount(): number;
  /** The embedded registry (with `registry`). */
  readonly oci?: OciServer;
  /** Policies evaluated on save, in order (promotions and push mirrors they ran, tags they pruned). */
  readonly evaluations: DtrEvaluation[];
}

const NAME_RE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const LEVELS: AccessLevel[] = ['read-only', 'read-write', 'admin'];
const MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

function sha(s: string): string {
  return 'sha256:' + crypto.createHash('sha256').update(s).digest('hex');
}
function maxLevel(a: AccessLevel | undefined, b: AccessLevel | undefined): AccessLevel | undefined {
  if (!a) return b;
  if (!b) return a;
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
}
function atLeast(have: AccessLevel | undefined, need: AccessLevel): boolean {
  return !!have && LEVELS.indexOf(have) >= LEVELS.indexOf(need);
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
const unauthenticated = () => new HttpError(401, 'NOT_AUTHENTICATED', 'The client is not authenticated.');
const forbidden = () => new HttpError(403, 'NOT_AUTHORIZED', 'The client is not authorized.');
const noRepo = () => new HttpError(404, 'NO_SUCH_REPOSITORY', 'A repository with the given name does not exist.');

/** Starts the fake DTR on 127.0.0.1; resolves once it listens. */
export async function startDtrServer(opts: DtrServerOptions = {}): Promise<DtrServer> {
  const spec = dtrValidator();
  const shape = opts.apiShape ?? '2.6';
  const users = new Map<string, UserRec>();
  const orgs = new Map<string, OrgRec>();
  const repos = new Map<string, RepoRec>();
  const webhooks = new Map<string, Json>();
  const overrides = new Map<string, Json>();
  const jobs = new Map<string, { job: Json; logs: string[] }>();
  const requests: DtrRequestLogEntry[] = [];
  const evaluations: DtrEvaluation[] = [];
  const violations: string[] = [];
  const answered = new Set<string>();
  let features: Features = { scanningEnabled: true, scanningLicensed: true, promotionLicensed: true, mirroringLicensed: true, ...opts.features };
  let fault: (DtrFault & { left: number }) | undefined;
  let seq = 1000;
  const uuid = () => crypto.randomUUID();
  const now = () => new Date().toISOString();
  let base = '';
  let oci: OciServer | undefined;

  // ---- model helpers ----

  function accessOf(user: UserRec | undefined, r: RepoRec): AccessLevel | undefined {
    let level: AccessLevel | undefined = r.visibility === 'public' && user ? 'read-only' : undefined;
    if (!user) return r.visibility === 'public' ? 'read-only' : undefined;
    if (user.admin || r.namespace === user.name) return 'admin';
    const org = orgs.get(r.namespace);
    if (org) {
      if (org.owners.has(user.name)) return 'admin';
      for (const team of org.teams.values()) {
        if (!team.members.has(user.name)) continue;
        level = maxLevel(level, org.access.get(team.name));
        level = maxLevel(level, r.teamAccess.get(team.name));
      }
    }
    return level;
  }
  function nsAdmin(user: UserRec, ns: string): boolean {
    if (user.admin || user.name === ns) return true;
    const org = orgs.get(ns);
    if (!org) return false;
    if (org.owners.has(user.name)) return true;
    return [...org.teams.values()].some((t) => t.members.has(user.name) && org.access.get(t.name) === 'admin');
  }
  function repoOr404(ns: string, name: string): RepoRec {
    const r = repos.get(`${ns}/${name}`);
    if (!r) throw noRepo();
    return r;
  }
  /** The repository when the user has `need` on it: invisible → 404, visible but less → 403. */
  function need(user: UserRec | undefined, ns: string, name: string, level: AccessLevel): RepoRec {
    const r = repoOr404(ns, name);
    const have = accessOf(user, r);
    if (!have) throw user ? noRepo() : unauthenticated();
    if (!user) throw unauthenticated();
    if (!atLeast(have, level)) throw forbidden();
    return r;
  }
  function requireUser(user: UserRec | undefined): UserRec {
    if (!user) throw unauthenticated();
    return user;
  }
  function requireAdmin(user: UserRec | undefined): UserRec {
    const u = requireUser(user);
    if (!u.admin) throw forbidden();
    return u;
  }

  function repoJson(r: RepoRec): Json {
    if (shape === '1.3') return { id: r.intId, namespace: r.namespace, name: r.name, shortDescription: r.shortDescription, longDescription: r.longDescription, visibility: r.visibility, status: 'ok' };
    return {
      id: r.id,
      namespace: r.namespace,
      namespaceType: orgs.has(r.namespace) ? 'organization' : 'user',
      name: r.name,
      shortDescription: r.shortDescription,
      longDescription: r.longDescription,
      visibility: r.visibility,
      scanOnPush: r.scanOnPush,
      immutableTags: r.immutableTags,
      enableManifestLists: r.enableManifestLists,
      pulls: r.pulls,
      pushes: r.pushes,
      tagLimit: r.tagLimit,
    };
  }
  function accountJson(name: string): Json {
    const u = users.get(name);
    if (u) return { name: u.name, id: u.id, fullName: u.fullName, isOrg: false, isAdmin: u.admin, isActive: true };
    const o = orgs.get(name)!;
    return { name: o.name, id: o.id, fullName: '', isOrg: true, membersCount: o.members.size, teamsCount: o.teams.size };
  }
  function manifestJson(t: TagRec, p?: PlatformRec): Json {
    if (!p) return { digest: t.digest, mediaType: t.mediaType, size: t.platforms.reduce((n, x) => n + x.size, 0), author: t.author, createdAt: t.createdAt };
    return { digest: p.digest, mediaType: MANIFEST, configMediaType: 'application/vnd.docker.container.image.v1+json', configDigest: sha(`config|${p.digest}`), size: p.size, os: p.os, architecture: p.arch, author: t.author, createdAt: t.createdAt };
  }
  function tagJson(r: RepoRec, t: TagRec, domain: string | undefined, includeManifest: boolean, p?: PlatformRec): Json {
    const out: Json = {
      name: t.name,
      digest: t.digest,
      author: t.author,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
      hashMismatch: false,
      // Notary facts need the push domain (the spec's `domain` parameter).
      inNotary: !!domain && t.signed,
      manifest: includeManifest ? manifestJson(t, p ?? (t.platforms.length === 1 ? t.platforms[0] : undefined)) : { digest: t.digest },
    };
    if (t.promotion) out.promotion = { ...t.promotion };
    void r;
    return out;
  }
  /** The account service's teams of an organization (id and name), as DTR's UI reads them. */
  function enziTeams(orgName: string, user: UserRec | undefined): { status: number; body: unknown } {
    requireUser(user);
    const org = orgs.get(orgName);
    if (!org) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
    return { status: 200, body: { teams: [...org.teams.values()].map((t) => ({ id: t.id, orgID: org.id, name: t.name, membersCount: t.members.size })), nextPageStart: '' } };
  }
  function teamJson(org: OrgRec, team: string, user: UserRec): Json {
    const t = org.teams.get(team)!;
    return opts.teamNames === false ? { id: t.id, clientUserIsMember: t.members.has(user.name) } : { id: t.id, name: team, clientUserIsMember: t.members.has(user.name) };
  }
  function event(r: RepoRec, type: string, actor: string, name: string): void {
    r.events.unshift({ id: uuid(), publishedAt: now(), actor, actorType: 'user', type, object: { id: uuid(), type: 'TAG', name }, repository: `${r.namespace}/${r.name}` });
  }

  // ---- scan data (deterministic) ----

  function scannedImage(r: RepoRec, t: TagRec, p: PlatformRec): Json {
    const n = p.cves ?? 0;
    const cves: Json[] = [];
    const components: Json[] = [];
    const layers: Json[] = [];
    const compCount = Math.max(1, Math.ceil(n / 8));
    const licenses = ['MIT', 'GPL-2.0', 'Apache-2.0', 'BSD-3-Clause'];
    for (let c = 0; c < compCount; c++) {
      const own: string[] = [];
      const counts = { critical: 0, major: 0, minor: 0 };
      for (let k = c; k < n; k += compCount) {
        const cvss = cvssOf(k, p.arch);
        const id = `CVE-20${10 + (k % 14)}-${String(10000 + k * 7 + (p.arch === 'arm64' ? 3 : 0)).padStart(5, '0')}`;
        cves.push({ cvePK: id, summary: `Flaw ${k} in component-${c} <script>alert(${k})</script>`, cvss, notes: '' });
        own.push(id);
        if (cvss >= 7) counts.critical++;
        else if (cvss >= 4) counts.major++;
        else counts.minor++;
      }
      components.push({ componentPK: `pk-${p.digest.slice(7, 15)}-${c}`, name: c === 0 && t.component ? t.component : `component-${c}`, version: `1.${c}.0`, source: c % 2 ? 'deb' : 'npm', filepaths: [`/usr/lib/component-${c}`], cves: own, licenses: [licenses[c % licenses.length]!], vulnCount: counts });
    }
    for (let l = 0; l < 4; l++) {
      layers.push({ digest: sha(`layer|${p.digest}|${l}`), mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', author: t.author, size: 1000 * (l + 1), components: components.filter((_, i) => i % 4 === l).map((c) => c.componentPK) });
    }
    const total = { critical: 0, major: 0, minor: 0 };
    for (const c of components) for (const k of ['critical', 'major', 'minor'] as const) total[k] += (c.vulnCount as typeof total)[k];
    return {
      pk: `scan-${p.digest.slice(7, 19)}`,
      namespace: r.namespace,
      repository: r.name,
      tag: t.name,
      manifestDigest: p.digest,
      totalVulnCount: total,
      licenses: licenses.map((name) => ({ name, type: 'license', url: `https://spdx.org/licenses/${name}.html` })),
      layers,
      components,
      cves,
      maxCVSSValue: cves.reduce((m, c) => Math.max(m, c.cvss as number), 0),
      scannerFingerprint: { scannerType: 1, version: ['2', '6', '0'] },
      vulnOverrides: [...overrides.values()].filter((o) => layers.some((l) => l.digest === o.digest)),
    };
  }
  // Each architecture gets its own scores (amd64 and arm64 have the same length, so not from that), hence its
  // own severity counts: switching platform in the scan summary shows a different report.
  function cvssOf(k: number, arch: string): number {
    const salt = [...arch].reduce((a, c) => a + c.charCodeAt(0), 0) * 11;
    return ((k * 37 + salt) % 100) / 10;
  }
  function countsOf(p: PlatformRec): { critical: number; major: number; minor: number } | undefined {
    if (p.cves === undefined) return undefined;
    const out = { critical: 0, major: 0, minor: 0 };
    for (let k = 0; k < p.cves; k++) {
      const cvss = cvssOf(k, p.arch);
      if (cvss >= 7) out.critical++;
      else if (cvss >= 4) out.major++;
      else out.minor++;
    }
    return out;
  }

  // ---- paging ----

  function page<T>(items: T[], key: (t: T) => string, q: URLSearchParams, headers: Record<string, string>): T[] {
    const size = q.has('pageSize') ? Number(q.get('pageSize')) : 10;
    if (!Number.isInteger(size) || size < 1) throw new HttpError(400, 'INVALID_PARAMETERS', 'Unable to parse query parameters');
    const startKey = q.get('pageStart');
    let start = 0;
    if (startKey) {
      start = items.findIndex((t) => key(t) === startKey);
      if (start < 0) throw new HttpError(400, 'INVALID_PARAMETERS', `pageStart ${startKey} is not a record`);
    }
    const slice = items.slice(start, start + size);
    const next = items[start + size];
    if (fault?.kind === 'cycleCursor' && startKey && start > 0) headers['X-Next-Page-Start'] = key(items[0]!);
    else if (fault?.kind === 'repeatCursor' && startKey) headers['X-Next-Page-Start'] = startKey;
    else if (fault?.kind === 'repeatCursor' && next) headers['X-Next-Page-Start'] = key(next);
    else if (next) headers['X-Next-Page-Start'] = key(next);
    // DTR sends the header on every page, empty on the last one.
    else headers['X-Next-Page-Start'] = '';
    if (q.get('count') === 'true') headers['X-Resource-Count'] = String(items.length);
    return slice;
  }

  // ---- policies ----

  function policyJson(kind: PolicyKind, r: RepoRec, p: Json): Json {
    const repo = `${r.namespace}/${r.name}`;
    const status = { code: 'OK', detail: '', timestamp: '0001-01-01T00:00:00Z' };
    switch (kind) {
      case 'pruningPolicies':
        return { id: p.id, rules: p.rules, repository: repo, enabled: p.enabled, lastPrunedAt: '0001-01-01T00:00:00Z' };
      case 'promotionPolicies':
        return { id: p.id, rules: p.rules, sourceRepository: repo, targetRepository: p.targetRepository, tagTemplate: p.tagTemplate, enabled: p.enabled, lastPromotedAt: '0001-01-01T00:00:00Z' };
      case 'pollMirroringPolicies':
        return { id: p.id, username: p.username, localRepository: repo, remoteHost: p.remoteHost, remoteRepository: p.remoteRepository, remoteCA: p.remoteCA, skipTLSVerification: p.skipTLSVerification, enabled: p.enabled, lastMirroredAt: '0001-01-01T00:00:00Z', lastStatus: status };
      case 'pushMirroringPolicies':
        return { id: p.id, rules: p.rules, username: p.username, localRepository: repo, remoteHost: p.remoteHost, remoteRepository: p.remoteRepository, remoteCA: p.remoteCA, skipTLSVerification: p.skipTLSVerification, tagTemplate: p.tagTemplate, enabled: p.enabled, lastMirroredAt: '0001-01-01T00:00:00Z', lastStatus: status };
    }
  }
  const OPS: Record<string, string[]> = {
    tag: ['eq', 'sw', 'ew', 'c', 'oo', 'noo'],
    'license.name': ['oo', 'noo'],
    'component.name': ['oo', 'noo'],
    vulnerability_all: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
    vulnerability_critical: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
    vulnerability_major: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
    vulnerability_minor: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
    updated_at: ['bf', 'af'],
    updated_at_duration: ['bf', 'af'],
  };
  function checkRules(rules: unknown): Array<{ field: string; operator: string; values: string[] }> {
    const list = (rules ?? []) as Array<{ field: string; operator: string; values?: string[] }>;
    for (const r of list) {
      if (!OPS[r.field]?.includes(r.operator)) throw new HttpError(400, 'INVALID_RULE', `Operator ${r.operator} is not valid for field ${r.field}`);
    }
    return list.map((r) => ({ field: r.field, operator: r.operator, values: r.values ?? [] }));
  }
  function matches(t: TagRec, rules: Array<{ field: string; operator: string; values: string[] }>): boolean {
    return rules.every((r) => {
      const v = r.values;
      if (r.field === 'tag') {
        switch (r.operator) {
          case 'eq':
            return t.name === v[0];
          case 'sw':
            return t.name.startsWith(v[0] ?? '');
          case 'ew':
            return t.name.endsWith(v[0] ?? '');
          case 'c':
            return t.name.includes(v[0] ?? '');
          case 'oo':
            return v.includes(t.name);
          case 'noo':
            return !v.includes(t.name);
        }
      }
      if (r.field.startsWith('vulnerability_')) {
        const c = t.platforms.map(countsOf).reduce((s, x) => s + (x ? (r.field === 'vulnerability_all' ? x.critical + x.major + x.minor : x[r.field.slice(14) as 'critical']) : 0), 0);
        const n = Number(v[0]);
        return { gte: c >= n, gt: c > n, eq: c === n, neq: c !== n, lte: c <= n, lt: c < n }[r.operator as 'eq'] ?? false;
      }
      if (r.field === 'updated_at') return r.operator === 'bf' ? t.updatedAt < (v[0] ?? '') : t.updatedAt > (v[0] ?? '');
      return false;
    });
  }
  /**
   * `initialEvaluation` (default true): an enabled policy runs on save — a pruning policy prunes the matching tags,
   * a promotion policy promotes them all, a push mirroring policy pushes them all (recorded in `evaluations`).
   */
  function evaluate(kind: PolicyKind, repo: RepoRec, rec: Json, q: URLSearchParams): void {
    if (kind === 'pollMirroringPolicies' || q.get('initialEvaluation') === 'false' || rec.enabled !== true) return;
    const rules = rec.rules as Array<{ field: string; operator: string; values: string[] }>;
    const hit = repo.tags.filter((t) => matches(t, rules));
    evaluations.push({ kind, repository: `${repo.namespace}/${repo.name}`, tags: hit.map((t) => t.name) });
    if (kind === 'pruningPolicies') repo.tags = repo.tags.filter((t) => !hit.includes(t));
    if (kind === 'promotionPolicies') {
      const target = repos.get(String(rec.targetRepository));
      if (target) for (const t of hit) target.tags = target.tags.filter((x) => x.name !== t.name).concat({ ...t, promotion: { promotionPolicyID: String(rec.id), sourceRepository: `${repo.namespace}/${repo.name}`, sourceTag: t.name } });
    }
  }
  /** Signed tags have Notary data, which DTR reaches only through the push domain (`domain`). */
  function notaryDomain(q: URLSearchParams, tags: TagRec[]): void {
    if (tags.some((t) => t.signed) && !q.get('domain')) throw new HttpError(400, 'INVALID_PARAMETERS', 'domain must be set to delete signed tags (Notary data)');
  }
  function requireCredential(b: Json): void {
    if (!b.password && !b.authToken) throw new HttpError(400, 'INVALID_JSON', 'password or authToken is required');
  }

  // ---- routing ----

  /** `accept`: the request's Accept header; `headers`: the response headers being built. */
  type Ctx = { method: string; parts: string[]; q: URLSearchParams; body: unknown; user?: UserRec; headers: Record<string, string>; accept?: string };
  /** `text`: a body sent as is (the CSV export) with the Content-Type set in `headers`. */
  type Reply = { status: number; body?: unknown; text?: string };

  function route(c: Ctx): Reply {
    const { method: m, parts: p, q } = c;
    const b = (c.body ?? {}) as Json;
    const u = c.user;
    const ok = (body?: unknown, status = 200): Reply => ({ status, body });
    const is = (method: string, ...pattern: string[]) => m === method && p.length === pattern.length && pattern.every((x, i) => x === '*' || x === p[i]);

    // meta
    if (is('GET', 'meta', 'features')) return ok({ ...features, metadataStoreOptedIn: false, onlineGCEnabled: true, db_version: 42, ucpHost: 'ucp.example.com' }, requireUser(u) ? 200 : 401);
    if (is('GET', 'meta', 'cluster_status')) {
      requireAdmin(u);
      return ok({ rethink_system_tables: {}, replica_health: { '0a1b2c3d4e5f': 'OK', '1a2b3c4d5e6f': 'OK' }, replica_timestamp: { '0a1b2c3d4e5f': now() }, replica_readonly: { '0a1b2c3d4e5f': false }, gc_lock_holder: '' });
    }
    if (is('GET', 'meta', 'alerts')) {
      requireAdmin(u);
      return ok([{ id: 'license', message: 'Your license expires in 20 days', class: 'warning', url: 'https://example.com/license', img: '' }]);
    }
    if (is('GET', 'index', 'autocomplete')) {
      requireUser(u);
      // `query` is required by the document; DTR refuses the request without it.
      if (!q.has('query')) throw new HttpError(400, 'INVALID_PARAMETERS', 'query is required');
      const query = q.get('query') ?? '';
      const limit = Number(q.get('limit') ?? 25);
      const accountResults = q.get('includeAccounts') === 'false' ? [] : [...users.keys(), ...orgs.keys()].filter((n) => n.includes(query)).slice(0, limit).map(accountJson);
      const repositoryResults = q.get('includeRepositories') === 'false' ? [] : [...repos.values()].filter((r) => accessOf(u, r) && `${r.namespace}/${r.name}`.includes(query)).slice(0, limit).map(repoJson);
      return ok({ accountResults, repositoryResults });
    }

    // repositories
    if (is('GET', 'repositories')) {
      requireUser(u);
      return ok({ repositories: page([...repos.values()].filter((r) => accessOf(u, r)), (r) => r.id, q, c.headers).map(repoJson) });
    }
    if (is('POST', 'repositories', 'scan', 'toggle')) {
      requireAdmin(u);
      for (const r of repos.values()) r.scanOnPush = b.scanOnPush === true;
      return ok();
    }
    if (is('GET', 'repositories', '*')) {
      requireUser(u);
      if (!users.has(p[1]!) && !orgs.has(p[1]!)) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
      return ok({ repositories: page([...repos.values()].filter((r) => r.namespace === p[1] && accessOf(u, r)), (r) => r.id, q, c.headers).map(repoJson) });
    }
    if (is('POST', 'repositories', '*')) {
      const user = requireUser(u);
      const ns = p[1]!;
      if (!users.has(ns) && !orgs.has(ns)) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
      if (!nsAdmin(user, ns)) throw forbidden();
      const name = typeof b.name === 'string' ? b.name : '';
      if (!NAME_RE.test(name)) throw new HttpError(400, 'INVALID_REPOSITORY_NAME', 'Invalid repository name');
      if (repos.has(`${ns}/${name}`)) throw new HttpError(400, 'REPOSITORY_EXISTS', 'A repository with the same name already exists.');
      addRepository(ns, name, b as RepositorySeed);
      return ok(repoJson(repos.get(`${ns}/${name}`)!), 201);
    }
    if (p[0] === 'repositories' && p.length >= 3) {
      const [ns, name] = [p[1]!, p[2]!];
      const rest = p.slice(3);
      if (rest.length === 0) {
        if (m === 'GET') return ok(repoJson(need(u, ns, name, 'read-only')));
        if (m === 'PATCH') {
          const r = need(u, ns, name, 'admin');
          for (const k of ['shortDescription', 'longDescription', 'visibility', 'scanOnPush', 'immutableTags', 'enableManifestLists', 'tagLimit'] as const) {
            if (b[k] !== undefined) (r as unknown as Json)[k] = b[k];
          }
          return ok(repoJson(r));
        }
        if (m === 'DELETE') {
          const r = need(u, ns, name, 'admin');
          notaryDomain(q, r.tags);
          repos.delete(`${r.namespace}/${r.name}`);
          return ok(undefined, 204);
        }
      }
      const r = (level: AccessLevel) => need(u, ns, name, level);
      const sub = rest[0];
      if (sub === 'tags' && rest.length === 1 && m === 'GET') {
        const repo = r('read-only');
        const domain = q.get('domain') ?? undefined;
        const inc = q.get('includeManifests') === 'true';
        // With manifests, a multi-platform tag is listed once per platform (one entry per manifest of its list).
        return ok(page(repo.tags, (t) => t.name, q, c.headers).flatMap((t) => (inc && t.platforms.length > 1 ? t.platforms.map((pl) => tagJson(repo, t, domain, true, pl)) : [tagJson(repo, t, domain, inc)])));
      }
      if (sub === 'tags' && rest.length === 2 && m === 'GET') {
        const repo = r('read-only');
        const ref = rest[1]!;
        const domain = q.get('domain') ?? undefined;
        const found = ref.startsWith('sha256:') ? repo.tags.filter((t) => t.digest === ref || t.platforms.some((x) => x.digest === ref)) : repo.tags.filter((t) => t.name === ref);
        if (!found.length) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
        const out: Json[] = [];
        for (const t of found) {
          const platforms = t.platforms.filter((x) => (!q.get('os') || x.os === q.get('os')) && (!q.get('arch') || x.arch === q.get('arch')));
          for (const pl of ref.startsWith('sha256:') ? [undefined] : platforms) {
            const j = tagJson(repo, t, domain, true, pl);
            const counts = pl ? countsOf(pl) : undefined;
            if (counts) j.vuln_summary = { namespace: ns, reponame: name, tag: t.name, ...counts, last_scan_status: 0, check_completed_at: t.updatedAt, should_rescan: false, has_foreign_layers: false };
            out.push(j);
          }
        }
        return ok(out);
      }
      if (sub === 'tags' && rest.length === 2 && m === 'DELETE') {
        const repo = r('read-write');
        const i = repo.tags.findIndex((t) => t.name === rest[1]);
        if (i < 0) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
        notaryDomain(q, [repo.tags[i]!]);
        event(repo, 'DELETE', u!.name, repo.tags[i]!.name);
        repo.tags.splice(i, 1);
        return ok(undefined, 204);
      }
      if (sub === 'manifests' && rest.length === 2 && m === 'DELETE') {
        const repo = r('read-write');
        const before = repo.tags.length;
        repo.tags = repo.tags.filter((t) => t.digest !== rest[1]);
        if (repo.tags.length === before) throw new HttpError(404, 'NO_SUCH_MANIFEST', 'A manifest with the given digest does not exist.');
        return ok(undefined, 204);
      }
      if (sub === 'manifests' && rest.length === 1 && m === 'GET') {
        const repo = r('read-only');
        return ok(page(repo.tags, (t) => t.digest, q, c.headers).map((t) => manifestJson(t)));
      }
      if (sub === 'tags' && rest.length === 3 && rest[2] === 'promotion' && m === 'POST') {
        const repo = r('read-only');
        if (!features.promotionLicensed) throw new HttpError(403, 'NOT_LICENSED', 'Promotion is not licensed');
        const t = repo.tags.find((x) => x.name === rest[1]);
        if (!t) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
        const [tns, tname] = String(b.targetRepository).split('/');
        const target = need(u, tns ?? '', tname ?? '', 'read-write');
        const copy: TagRec = { ...t, name: String(b.targetTag), updatedAt: now(), promotion: { promotionPolicyID: '', sourceRepository: `${ns}/${name}`, sourceTag: t.name } };
        target.tags = target.tags.filter((x) => x.name !== copy.name).concat(copy);
        event(target, 'PROMOTION', u!.name, copy.name);
        return ok({ promotionPolicyID: '', sourceRepository: `${ns}/${name}`, sourceTag: t.name }, 201);
      }
      if (sub === 'tags' && rest.length === 3 && rest[2] === 'pushMirroring' && m === 'POST') {
        const repo = r('read-only');
        if (!features.mirroringLicensed) throw new HttpError(403, 'NOT_LICENSED', 'Mirroring is not licensed');
        requireCredential(b);
        const t = repo.tags.find((x) => x.name === rest[1]);
        if (!t) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
        if (b.password === 'wrong' || b.authToken === 'wrong') throw new HttpError(400, 'REMOTE_AUTH', 'The remote registry refused the credentials');
        return ok({ mirroringPolicyID: '', digest: t.digest, remoteRepository: b.remoteRepository, remoteTag: b.remoteTag }, 201);
      }
      if (sub === 'events' && rest.length === 1 && m === 'GET') {
        const repo = r('read-only');
        return ok({ events: page(repo.events, (e) => String(e.id), q, c.headers) });
      }
      if (sub === 'webhooks' && rest.length === 1 && m === 'GET') {
        r('admin');
        return ok([...webhooks.values()].filter((w) => w.key === `${ns}/${name}`));
      }
      if (sub === 'teamAccess') {
        const repo = r('admin');
        if (!orgs.has(ns)) throw new HttpError(400, 'NOT_ORG_REPOSITORY', 'Team access applies to organization repositories');
        const org = orgs.get(ns)!;
        const list = () => ({ repository: repoJson(repo), teamAccessList: [...repo.teamAccess].map(([team, accessLevel]) => ({ accessLevel, team: teamJson(org, team, u!) })) });
        if (rest.length === 1 && m === 'GET') {
          const l = list();
          return ok({ ...l, teamAccessList: page(l.teamAccessList, (x) => String(x.team.id), q, c.headers) });
        }
        if (rest.length === 2) {
          if (!org.teams.has(rest[1]!)) throw new HttpError(404, 'NO_SUCH_TEAM', 'A team with the given name does not exist in the organization.');
          if (m === 'PUT') {
            repo.teamAccess.set(rest[1]!, b.accessLevel as AccessLevel);
            return ok(list());
          }
          if (m === 'DELETE') {
            repo.teamAccess.delete(rest[1]!);
            return ok(undefined, 204);
          }
        }
      }
      const kinds: PolicyKind[] = ['pruningPolicies', 'promotionPolicies', 'pollMirroringPolicies', 'pushMirroringPolicies'];
      if (kinds.includes(sub as PolicyKind)) {
        const kind = sub as PolicyKind;
        if (kind !== 'pruningPolicies' && !(kind === 'promotionPolicies' ? features.promotionLicensed : features.mirroringLicensed)) throw new HttpError(403, 'NOT_LICENSED', 'This feature is not licensed');
        if (rest.length === 1 && m === 'GET') {
          const repo = r('read-only');
          const all = [...repo.policies[kind].values()].map((x) => policyJson(kind, repo, x));
          return ok(kind === 'pruningPolicies' ? page(all, (x) => String(x.id), q, c.headers) : all);
        }
        if (rest.length === 2 && rest[1] === 'test' && m === 'POST' && kind === 'pruningPolicies') {
          const repo = r('admin');
          const rules = checkRules(b.rules);
          const hits = repo.tags.filter((t) => matches(t, rules)).map((t) => ({ name: t.name, digest: t.digest }));
          return ok(page(hits, (x) => x.name, q, c.headers));
        }
        if (rest.length === 1 && m === 'POST') {
          const repo = r('admin');
          if (kind.endsWith('MirroringPolicies')) requireCredential(b);
          if (kind === 'promotionPolicies') {
            const [tns, tname] = String(b.targetRepository).split('/');
            need(u, tns ?? '', tname ?? '', 'admin');
          }
          const rec: Json = { ...b, id: uuid() };
          if (kind !== 'pollMirroringPolicies') rec.rules = checkRules(b.rules);
          delete rec.password;
          delete rec.authToken;
          repo.policies[kind].set(rec.id as string, rec);
          evaluate(kind, repo, rec, q);
          return ok(policyJson(kind, repo, rec), 201);
        }
        if (rest.length === 2) {
          const repo = r(m === 'GET' ? 'read-only' : 'admin');
          const rec = repo.policies[kind].get(rest[1]!);
          if (!rec) throw new HttpError(404, 'NO_SUCH_POLICY', 'A policy with the given id does not exist.');
          if (m === 'GET') return ok(policyJson(kind, repo, rec));
          if (m === 'PUT') {
            // Credentials sent replace the stored ones: sent empty, they would leave the policy unable to sign in.
            if ('password' in b || 'authToken' in b) requireCredential(b);
            for (const [k, v] of Object.entries(b)) if (k !== 'password' && k !== 'authToken') rec[k] = k === 'rules' ? checkRules(v) : v;
            evaluate(kind, repo, rec, q);
            return ok(policyJson(kind, repo, rec));
          }
          if (m === 'DELETE') {
            repo.policies[kind].delete(rest[1]!);
            return ok(undefined, 204);
          }
        }
      }
    }

    // namespace team access
    if (p[0] === 'repositoryNamespaces' && p[2] === 'teamAccess') {
      const user = requireUser(u);
      const org = orgs.get(p[1]!);
      if (!org) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
      const entry = (team: string, accessLevel: AccessLevel) => ({ accessLevel, team: teamJson(org, team, user) });
      if (p.length === 3 && m === 'GET') {
        if (!user.admin && !org.members.has(user.name) && !org.owners.has(user.name)) throw forbidden();
        return ok({ namespace: org.name, teamAccessList: page([...org.access].map(([t, l]) => entry(t, l)), (x) => String(x.team.id), q, c.headers) });
      }
      if (p.length === 4) {
        if (!org.teams.has(p[3]!)) throw new HttpError(404, 'NO_SUCH_TEAM', 'A team with the given name does not exist in the organization.');
        if (m === 'GET') return ok({ ...entry(p[3]!, org.access.get(p[3]!) ?? 'read-only'), namespace: org.name });
        if (!nsAdmin(user, org.name)) throw forbidden();
        if (m === 'PUT') {
          org.access.set(p[3]!, b.accessLevel as AccessLevel);
          return ok({ ...entry(p[3]!, b.accessLevel as AccessLevel), namespace: org.name });
        }
        if (m === 'DELETE') {
          org.access.delete(p[3]!);
          return ok(undefined, 204);
        }
      }
    }

    // accounts
    if (is('GET', 'accounts', '*', 'repositoryAccess', '*', '*')) {
      const user = requireUser(u);
      if (user.name !== p[1] && !user.admin) throw forbidden();
      const who = users.get(p[1]!);
      if (!who) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
      const repo = repoOr404(p[3]!, p[4]!);
      const level = accessOf(who, repo);
      if (!level) throw noRepo();
      return ok({ accessLevel: level, user: accountJson(who.name), repository: repoJson(repo) });
    }
    if (is('GET', 'accounts', '*', 'webhooks')) {
      const user = requireUser(u);
      if (!nsAdmin(user, p[1]!)) throw forbidden();
      return ok([...webhooks.values()].filter((w) => w.key === p[1]));
    }

    // webhooks
    if (is('GET', 'webhooks')) {
      const user = requireUser(u);
      return ok([...webhooks.values()].filter((w) => user.admin || w.authorID === user.id));
    }
    if (is('POST', 'webhooks')) {
      const user = requireUser(u);
      const key = typeof b.key === 'string' ? b.key : '';
      const [ns, name] = key.split('/');
      if (name !== undefined) need(user, ns!, name, 'admin');
      else if (!nsAdmin(user, ns!)) throw forbidden();
      const w = { id: uuid(), type: b.type ?? 'TAG_PUSH', key, endpoint: b.endpoint, authorID: user.id, createdAt: now(), inactive: false, tlsCert: b.tlsCert, skipTLSVerification: b.skipTLSVerification, lastSuccessfulAt: '' };
      webhooks.set(w.id, w);
      return ok([w]);
    }
    if (is('POST', 'webhooks', 'test')) {
      requireUser(u);
      if (!/^https?:\/\//.test(String(b.endpoint))) throw new HttpError(400, 'INVALID_ENDPOINT', 'The endpoint is not a URL');
      return ok();
    }
    if (is('POST', 'webhooks', 'update')) {
      const user = requireUser(u);
      const w = webhooks.get(String(b.id));
      if (!w) throw new HttpError(404, 'NO_SUCH_WEBHOOK', 'No such webhook');
      if (!user.admin && w.authorID !== user.id) throw forbidden();
      Object.assign(w, { inactive: b.inactive, tlsCert: b.tlsCert, skipTLSVerification: b.skipTLSVerification });
      return ok([w]);
    }
    if (is('DELETE', 'webhooks', '*')) {
      const user = requireUser(u);
      const w = webhooks.get(p[1]!);
      if (!w) throw new HttpError(404, 'NO_SUCH_WEBHOOK', 'No such webhook');
      if (!user.admin && w.authorID !== user.id) throw forbidden();
      webhooks.delete(p[1]!);
      return ok();
    }

    // API tokens
    const tokenJson = (t: TokenRec) => ({ hashedToken: t.hashedToken, tokenLabel: t.tokenLabel, isActive: t.isActive, lastUsed: t.lastUsed, createdAt: t.createdAt, generatedBy: 'user', creatorUa: 'registry-explorer' });
    const tokenOwner = (user: UserRec): UserRec => {
      const name = q.get('username');
      if (!name || name === user.name) return user;
      if (!user.admin) throw forbidden();
      const other = users.get(name);
      if (!other) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
      return other;
    };
    if (is('GET', 'api_tokens')) {
      const owner = tokenOwner(requireUser(u));
      return ok(page([...owner.tokens.values()], (t) => t.hashedToken, q, c.headers).map(tokenJson));
    }
    if (is('POST', 'api_tokens')) {
      const owner = tokenOwner(requireUser(u));
      const secret = createToken(owner.name, typeof b.tokenLabel === 'string' ? b.tokenLabel : '');
      const t = [...owner.tokens.values()].find((x) => x.secret === secret)!;
      return ok({ ...tokenJson(t), token: secret });
    }
    if (p[0] === 'api_tokens' && p.length === 2) {
      const user = requireUser(u);
      const owner = [...users.values()].find((x) => x.tokens.has(p[1]!));
      if (!owner || (owner !== user && !user.admin)) throw new HttpError(404, 'NO_SUCH_TOKEN', 'No such API token');
      const t = owner.tokens.get(p[1]!)!;
      if (m === 'GET') return ok(tokenJson(t));
      if (m === 'PATCH') {
        if (typeof b.tokenLabel === 'string') t.tokenLabel = b.tokenLabel;
        if (typeof b.isActive === 'boolean') t.isActive = b.isActive;
        return ok(tokenJson(t));
      }
      if (m === 'DELETE') {
        owner.tokens.delete(p[1]!);
        return ok();
      }
    }

    // scanning
    if (p[0] === 'imagescan') {
      requireUser(u);
      if (!features.scanningLicensed || !features.scanningEnabled) throw new HttpError(403, 'SCANNING_DISABLED', 'Scanning is not enabled');
      if (p[1] === 'layeroverride') {
        requireAdmin(u);
        if (is('GET', 'imagescan', 'layeroverride')) return ok([...overrides.values()]);
        if (is('POST', 'imagescan', 'layeroverride', '*')) {
          const o = { pk: uuid(), digest: p[2]!, component: b.component, componentVersion: b.componentVersion, cve: b.cve, notes: b.notes };
          overrides.set(o.pk, o);
          return ok();
        }
        if (is('DELETE', 'imagescan', 'layeroverride', '*')) {
          if (!overrides.delete(p[2]!)) throw new HttpError(404, 'NO_SUCH_OVERRIDE', 'No such layer override');
          return ok();
        }
      }
      if (is('GET', 'imagescan', 'status')) return ok({ state: 0, scanner_version: 3, scannerUpdatedAt: '2026-11-01T00:00:00Z', db_version: 412, db_updated_at: '2026-11-26T03:00:00Z', lastDBUpdateFailed: false, lastVulnOverridesDBUpdateFailed: false, replicas: {} });
      if (is('POST', 'imagescan', 'scansummary', 'tags')) {
        const images: Json = {};
        for (const img of (b.images ?? []) as Array<{ name: string; digest: string }>) {
          for (const r of repos.values()) {
            if (!accessOf(u, r)) continue;
            const t = r.tags.find((x) => x.digest === img.digest);
            if (!t) continue;
            const sum = t.platforms.map(countsOf).reduce<{ critical: number; major: number; minor: number } | undefined>((acc, x) => (x ? { critical: (acc?.critical ?? 0) + x.critical, major: (acc?.major ?? 0) + x.major, minor: (acc?.minor ?? 0) + x.minor } : acc), undefined);
            if (sum) images[img.digest] = sum;
            break;
          }
        }
        return ok({ images });
      }
      if (m === 'GET' && p[1] === 'scansummary' && p[2] === 'repositories' && p.length === 7 && p[6] === 'export') {
        // The same role as the scan summary; the file type by Accept (text/csv or application/json, else 406).
        const issues = spec.validateQuery(m, `/api/v0/${p.map(encodeURIComponent).join('/')}`, q);
        if (issues.length) throw new HttpError(400, 'INVALID_PARAMETERS', `Unable to parse query parameters: ${formatIssues(issues)}`);
        const repo = need(u, p[3]!, p[4]!, 'read-only');
        const type = exportType(c.accept);
        if (!type) throw new HttpError(406, 'NOT_ACCEPTABLE', 'Not Acceptable');
        const t = repo.tags.find((x) => x.name === p[5]);
        if (!t) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
        const platforms = t.platforms.filter((x) => x.cves !== undefined && (!q.get('os') || x.os === q.get('os')) && (!q.get('arch') || x.arch === q.get('arch')));
        const summaries = platforms.map((x) => ({ scanStatus: 0, shouldRescan: false, scannedImage: scannedImage(repo, t, x) }));
        c.headers['Content-Type'] = type;
        if (type === 'application/json') return ok(summaries);
        return { status: 200, text: scanCsv(platforms.map((x, i) => ({ os: x.os, arch: x.arch, image: summaries[i]!.scannedImage }))) };
      }
      if (m === 'GET' && p[1] === 'scansummary' && p[2] === 'repositories' && p.length === 6) {
        const repo = need(u, p[3]!, p[4]!, 'read-only');
        const ref = p[5]!;
        const t = repo.tags.find((x) => x.name === ref || x.digest === ref);
        if (!t) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
        const platforms = t.platforms.filter((x) => x.cves !== undefined && (!q.get('os') || x.os === q.get('os')) && (!q.get('arch') || x.arch === q.get('arch')));
        return ok(platforms.map((x) => ({ scanStatus: 0, shouldRescan: false, scannedImage: scannedImage(repo, t, x) })));
      }
      if (m === 'POST' && p[1] === 'scan' && p.length === 7) {
        const repo = need(u, p[2]!, p[3]!, 'read-write');
        const t = repo.tags.find((x) => x.name === p[4]);
        const pl = t?.platforms.find((x) => x.os === p[5] && x.arch === p[6]);
        if (!t || !pl) throw new HttpError(404, 'NO_SUCH_TAG', 'A tag with the given name does not exist for the given repository.');
        pl.cves ??= 0;
        return ok();
      }
    }

    // administration
    if (is('GET', 'jobs')) {
      requireAdmin(u);
      const start = Number(q.get('start') ?? 0);
      const limit = Number(q.get('limit') ?? 10);
      return ok({ jobs: [...jobs.values()].map((j) => j.job).slice(start, start + limit) });
    }
    if (is('GET', 'jobs', '*', 'logs')) {
      requireAdmin(u);
      const j = jobs.get(p[1]!);
      if (!j) throw new HttpError(404, 'NO_SUCH_JOB', 'No such job');
      return ok(j.logs.map((data, lineNum) => ({ lineNum, data })));
    }
    if (is('POST', 'jobs', '*', 'cancel')) {
      requireAdmin(u);
      const j = jobs.get(p[1]!);
      if (!j) throw new HttpError(404, 'NO_SUCH_JOB', 'No such job');
      j.job.status = 'canceled';
      return ok(undefined, 204);
    }
    if (is('GET', 'crons')) {
      requireAdmin(u);
      const cron = (action: string, schedule: string) => ({ id: action, action, schedule, retries: 0, capacityMap: {}, parameters: {}, deadline: '', stopTimeout: '', nextRun: '2026-11-28T00:00:00Z' });
      return ok({ crons: [cron('onlinegc', '0 0 1 * * 6'), cron('update_vuln_db', '0 0 3 * * *'), cron('poll_mirror', '0 */15 * * * *')] });
    }
    throw new HttpError(404, 'NOT_FOUND', 'Not found');
  }

  // ---- HTTP ----

  function authenticate(header: string | undefined): UserRec | undefined | 'bad' {
    if (!header) return undefined;
    const m = /^Basic\s+(.+)$/i.exec(header);
    if (!m) return 'bad';
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    const user = users.get(decoded.slice(0, i));
    const secret = decoded.slice(i + 1);
    if (!user) return 'bad';
    if (user.password === secret) return user;
    for (const t of user.tokens.values()) {
      if (t.secret === secret && t.isActive) {
        t.lastUsed = now();
        return user;
      }
    }
    return 'bad';
  }

  function matchFault(method: string, path: string): (DtrFault & { left: number }) | undefined {
    if (!fault || fault.left <= 0) return undefined;
    if (fault.method && fault.method !== method) return undefined;
    if (fault.path && !(typeof fault.path === 'string' ? path === fault.path : fault.path.test(path))) return undefined;
    return fault;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const method = req.method ?? 'GET';
      if (oci && (url.pathname === '/v2' || url.pathname.startsWith('/v2/') || url.pathname === '/token')) {
        proxy(req, res, Buffer.concat(chunks));
        return;
      }
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      let reply: { status: number; body?: unknown; text?: string };
      let user: UserRec | undefined;
      let bodyValue: unknown;
      const f = matchFault(method, url.pathname);
      try {
        const enzi = opts.enzi ? /^\/enzi\/v0\/accounts\/([^/]+)\/teams$/.exec(url.pathname) : null;
        if (!url.pathname.startsWith('/api/v0/') && !enzi) throw new HttpError(404, 'NOT_FOUND', 'Not found');
        const auth = authenticate(req.headers.authorization);
        if (auth === 'bad') throw unauthenticated();
        user = auth;
        if (enzi) reply = enziTeams(decodeURIComponent(enzi[1]!), user);
        else {
          const raw = Buffer.concat(chunks).toString('utf8');
          if (raw) {
            try {
              bodyValue = JSON.parse(raw);
            } catch {
              throw new HttpError(400, 'INVALID_JSON', 'Unable to parse JSON');
            }
          }
          // DTR 1.3 creates a repository from a name alone and patches any subset.
          const legacyRepoForm = shape === '1.3' && /^\/api\/v0\/repositories\/[^/]+(\/[^/]+)?$/.test(url.pathname) && (method === 'POST' || method === 'PATCH');
          if (!legacyRepoForm && spec.operation(method, url.pathname)) {
            const issues = spec.validateRequestBody(method, url.pathname, bodyValue);
            if (issues.length) throw new HttpError(400, 'INVALID_JSON', `The request body does not match the form: ${formatIssues(issues)}`);
          }
          if (f?.kind === 'status') throw new HttpError(f.status ?? 500, 'INJECTED', 'Injected failure');
          const parts = url.pathname.slice('/api/v0/'.length).split('/').filter(Boolean).map(decodeURIComponent);
          reply = route({ method, parts, q: url.searchParams, body: bodyValue, user, headers, accept: req.headers.accept });
        }
      } catch (e) {
        if (!(e instanceof HttpError)) {
          reply = { status: 500, body: { errors: [{ code: 'INTERNAL_ERROR', message: String((e as Error).message) }] } };
        } else reply = { status: e.status, body: { errors: [{ code: e.code, message: e.message }] } };
      }
      if (f) f.left--;
      if (fault && fault.left <= 0) fault = undefined;
      const template = spec.matchPath(url.pathname);
      if (template && reply.status < 300) answered.add(`${method} ${template}`);
      if (reply.text !== undefined) {
        // A file export (CSV): not JSON, so outside the document's schemas; its rows are checked by the tests.
      } else if (opts.validateResponses && reply.status < 300 && url.pathname.startsWith('/api/v0/')) {
        try {
          const v = spec.validateResponse(method, url.pathname, reply.status, reply.body);
          if (v.issues.length) violations.push(`${method} ${url.pathname} ${reply.status}:\n${formatIssues(v.issues)}`);
        } catch (e) {
          violations.push(`${method} ${url.pathname} ${reply.status}: ${(e as Error).message}`);
        }
      }
      requests.push({ method, path: url.pathname, query: url.search.slice(1), status: reply.status, user: user?.name, body: bodyValue });
      let text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      if (f?.kind === 'malformed' && reply.status < 300) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      if (f?.kind === 'wrongType' && reply.status < 300 && reply.body !== undefined) text = JSON.stringify(replaceField(reply.body, f.field, f.value ?? 12345));
      if (reply.status === 204) text = '';
      res.writeHead(reply.status, text ? headers : Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'Content-Type')));
      res.end(text);
    });
  });

  function proxy(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
    const target = new URL(oci!.url);
    const headers = { ...req.headers, host: target.host };
    const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      const h = { ...up.headers };
      // The registry advertises its own /token; clients must see DTR's origin (as with DTR's own token service).
      if (typeof h['www-authenticate'] === 'string') h['www-authenticate'] = h['www-authenticate'].replace(oci!.url, base);
      res.writeHead(up.statusCode ?? 502, h);
      up.pipe(res);
    });
    out.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    out.end(body);
  }

  // ---- seeding API ----

  function addUser(name: string, password: string, o: { admin?: boolean; fullName?: string } = {}): void {
    users.set(name, { name, id: uuid(), password, admin: !!o.admin, fullName: o.fullName ?? name, tokens: new Map() });
  }
  function addOrg(name: string, o: { owners?: string[]; members?: string[] } = {}): void {
    orgs.set(name, { name, id: uuid(), owners: new Set(o.owners ?? []), members: new Set([...(o.owners ?? []), ...(o.members ?? [])]), teams: new Map(), access: new Map() });
  }
  function addRepository(namespace: string, name: string, seed: RepositorySeed = {}): void {
    if (!NAME_RE.test(name)) throw new Error(`invalid repository name ${name}`);
    const id = uuid();
    repos.set(`${namespace}/${name}`, {
      id,
      intId: ++seq,
      namespace,
      name,
      shortDescription: seed.shortDescription ?? '',
      longDescription: seed.longDescription ?? '',
      visibility: seed.visibility ?? 'private',
      scanOnPush: seed.scanOnPush ?? false,
      immutableTags: seed.immutableTags ?? false,
      enableManifestLists: false,
      tagLimit: seed.tagLimit ?? 0,
      pulls: seed.pulls ?? 0,
      pushes: 0,
      tags: [],
      teamAccess: new Map(),
      policies: { pruningPolicies: new Map(), promotionPolicies: new Map(), pollMirroringPolicies: new Map(), pushMirroringPolicies: new Map() },
      events: [],
    });
  }
  function addTag(repository: string, seed: TagSeed): void {
    const r = repos.get(repository);
    if (!r) throw new Error(`no repository ${repository}`);
    const platforms = (seed.platforms ?? ['linux/amd64']).map((pl, i) => {
      const [os, arch] = pl.split('/');
      return { os: os!, arch: arch!, digest: sha(`${repository}|${seed.name}|${pl}|${seed.digest ?? ''}`), size: seed.size ?? 1_000_000 + i * 1000, cves: seed.cves };
    });
    let digest = seed.digest;
    if (!digest && oci) digest = oci.addImage(repository, seed.name, { platforms: seed.platforms ?? ['linux/amd64'], format: 'docker', salt: seed.name });
    else if (digest && oci && oci.digestOf(repository, r.tags.find((t) => t.digest === digest)?.name ?? '') === digest) oci.tag(repository, seed.name, digest);
    digest ??= platforms.length > 1 ? sha(`${repository}|${seed.name}|list`) : platforms[0]!.digest;
    if (platforms.length === 1) platforms[0]!.digest = digest;
    const at = seed.updatedAt ?? '2026-11-01T10:00:00Z';
    r.tags = r.tags.filter((t) => t.name !== seed.name);
    r.tags.push({ name: seed.name, digest, mediaType: platforms.length > 1 ? MANIFEST_LIST : MANIFEST, author: seed.author ?? 'alice', createdAt: at, updatedAt: at, signed: !!seed.signed, platforms, ...(seed.component ? { component: seed.component } : {}) });
    r.pushes++;
    event(r, 'CREATE', seed.author ?? 'alice', seed.name);
  }
  function createToken(user: string, label: string): string {
    const u = users.get(user);
    if (!u) throw new Error(`no user ${user}`);
    const secret = crypto.randomBytes(18).toString('hex');
    const hashedToken = crypto.createHash('sha256').update(secret).digest('hex').slice(0, 32);
    u.tokens.set(hashedToken, { hashedToken, secret, tokenLabel: label, isActive: true, lastUsed: '', createdAt: now() });
    return secret;
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (opts.registry) {
    oci = await startOciServer({ auth: { type: 'bearer', username: opts.registry.username, password: opts.registry.password, service: 'dtr' } });
  }

  return {
    url: base,
    requests,
    violations,
    answered,
    evaluations,
    oci,
    clearRequests: () => {
      requests.length = 0;
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await oci?.close();
    },
    addUser,
    addOrg,
    addTeam: (org, team, members) => {
      const o = orgs.get(org);
      if (!o) throw new Error(`no org ${org}`);
      o.teams.set(team, { id: uuid(), name: team, members: new Set(members) });
      for (const m of members) o.members.add(m);
    },
    teamId: (org, team) => orgs.get(org)?.teams.get(team)?.id,
    setNamespaceAccess: (org, team, level) => orgs.get(org)!.access.set(team, level),
    setRepositoryAccess: (repository, team, level) => repos.get(repository)!.teamAccess.set(team, level),
    addRepository,
    addTag,
    addTags: (repository, count, o = {}) => {
      const r = repos.get(repository);
      if (!r) throw new Error(`no repository ${repository}`);
      const prefix = o.prefix ?? 'v';
      for (let i = 0; i < count; i++) {
        const name = `${prefix}${i}`;
        const d = sha(`${repository}|${name}`);
        r.tags.push({ name, digest: d, mediaType: MANIFEST, author: 'ci', createdAt: '2026-10-01T00:00:00Z', updatedAt: '2026-10-01T00:00:00Z', signed: false, platforms: [{ os: 'linux', arch: 'amd64', digest: d, size: 1000 + i }] });
      }
    },
    addEvents: (repository, count) => {
      const r = repos.get(repository)!;
      for (let i = 0; i < count; i++) event(r, i % 3 ? 'PULL' : 'PUSH', 'ci', `v${i}`);
    },
    addJob: (action, status, logs = []) => {
      const id = uuid();
      jobs.set(id, { job: { id, retryFromID: '', workerID: 'worker-1', status, scheduledAt: now(), lastUpdated: now(), action, retriesLeft: 0, retriesTotal: 0, capacityMap: {}, parameters: {}, deadline: '', stopTimeout: '' }, logs });
      return id;
    },
    createToken,
    addPolicy: (repository, kind, policy) => {
      const id = uuid();
      repos.get(repository)!.policies[kind].set(id, { enabled: true, rules: [], ...policy, id });
      return id;
    },
    addWebhook: (key, type, endpoint, author = 'admin') => {
      const id = uuid();
      webhooks.set(id, { id, type, key, endpoint, authorID: users.get(author)?.id ?? author, createdAt: now(), inactive: false, tlsCert: '', skipTLSVerification: false, lastSuccessfulAt: '' });
      return id;
    },
    setFeatures: (f) => {
      features = { ...features, ...f };
    },
    setFault: (f) => {
      fault = f ? { ...f, left: f.times ?? Number.POSITIVE_INFINITY } : undefined;
    },
    repository: (repository) => repos.get(repository),
    webhookCount: () => webhooks.size,
  };
}

/**
 * The export's file type for an Accept header: `text/csv` or `application/json` (exact types, or `*` wildcards
 * preferring CSV, with q=0 refusing a type); undefined when neither is acceptable (DTR answers 406).
 */
function exportType(accept: string | undefined): 'text/csv' | 'application/json' | undefined {
  const ranges = (accept ?? '*/*')
    .split(',')
    .map((r) => r.trim().split(';').map((x) => x.trim()))
    .filter((r) => r[0])
    .map(([type, ...params]) => ({ type: type!.toLowerCase(), q: Number(params.find((x) => x.startsWith('q='))?.slice(2) ?? 1) }));
  const quality = (t: string) => Math.max(0, ...ranges.filter((r) => r.type === t || r.type === '*/*' || r.type === `${t.split('/')[0]}/*`).map((r) => r.q));
  const csv = quality('text/csv');
  const json = quality('application/json');
  if (csv <= 0 && json <= 0) return undefined;
  return csv >= json ? 'text/csv' : 'application/json';
}

/** One CSV cell (RFC 4180 quoting). */
function csvCell(v: string | number | undefined): string {
  const s = v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The export as CSV: a header row, then one row per component and CVE (a component without CVEs: one row). */
export function scanCsv(images: Array<{ os: string; arch: string; image: Json }>): string {
  const rows: Array<Array<string | number | undefined>> = [['os', 'architecture', 'manifest digest', 'layer', 'component', 'version', 'source', 'licenses', 'cve', 'cvss', 'severity', 'summary']];
  for (const { os, arch, image } of images) {
    const cves = new Map(((image.cves ?? []) as Json[]).map((c) => [c.cvePK as string, c]));
    const layerOf = new Map<string, string>();
    for (const l of (image.layers ?? []) as Json[]) for (const pk of (l.components ?? []) as string[]) layerOf.set(pk, l.digest as string);
    for (const comp of (image.components ?? []) as Json[]) {
      const base = [os, arch, image.manifestDigest as string, layerOf.get(comp.componentPK as string) ?? '', comp.name as string, comp.version as string, comp.source as string, ((comp.licenses ?? []) as string[]).join(' ')];
      const own = (comp.cves ?? []) as string[];
      if (!own.length) rows.push([...base, '', '', '', '']);
      for (const id of own) {
        const cve = cves.get(id) ?? {};
        const cvss = Number(cve.cvss ?? 0);
        rows.push([...base, id, cvss, cvss >= 7 ? 'critical' : cvss >= 4 ? 'major' : 'minor', cve.summary as string | undefined]);
      }
    }
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function replaceField(body: unknown, field: string | undefined, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(body)) as unknown;
  const target = (Array.isArray(copy) ? copy[0] : copy) as Record<string, unknown> | undefined;
  if (!target || typeof target !== 'object') return value;
  let obj: Record<string, unknown> = target;
  const path = (field ?? Object.keys(target)[0] ?? '').split('.');
  for (const k of path.slice(0, -1)) {
    const next = obj[k];
    if (Array.isArray(next)) obj = next[0] as Record<string, unknown>;
    else obj = next as Record<string, unknown>;
  }
  obj[path[path.length - 1]!] = value;
  return copy;
}

/** The demo data set: users with roles, an organization with teams, policies of every kind, webhooks, tokens, scans. */
export function seedDemo(d: DtrServer): void {
  d.addUser('admin', 'admin-password', { admin: true, fullName: 'DTR Admin' });
  d.addUser('alice', 'alice-password', { fullName: 'Alice' });
  d.addUser('bob', 'bob-password', { fullName: 'Bob' });
  d.addOrg('engineering', { owners: ['alice'], members: ['bob'] });
  d.addTeam('engineering', 'developers', ['alice', 'bob']);
  d.addTeam('engineering', 'qa', ['bob']);
  d.setNamespaceAccess('engineering', 'developers', 'read-write');
  d.setNamespaceAccess('engineering', 'qa', 'read-only');
  d.addOrg('platform', { owners: ['admin'] });
  d.addRepository('engineering', 'api', { shortDescription: 'The public API', scanOnPush: true, immutableTags: true, tagLimit: 50, pulls: 1234 });
  d.addRepository('engineering', 'web', { shortDescription: 'Web front end', visibility: 'public' });
  d.addRepository('engineering', 'many', { shortDescription: '150 tags, paged by header' });
  d.addRepository('platform', 'base', { shortDescription: 'Base images', visibility: 'public' });
  d.addRepository('alice', 'scratch', { shortDescription: 'Experiments' });
  d.setRepositoryAccess('engineering/api', 'qa', 'read-write');
  d.addTag('engineering/api', { name: '1.0', signed: true, cves: 12, updatedAt: '2026-10-01T10:00:00Z' });
  d.addTag('engineering/api', { name: '1.1', cves: 40, updatedAt: '2026-11-01T10:00:00Z' });
  d.addTag('engineering/api', { name: 'latest', platforms: ['linux/amd64', 'linux/arm64'], cves: 320, signed: true, updatedAt: '2026-11-20T10:00:00Z' });
  d.addTag('engineering/api', { name: 'dev-1', updatedAt: '2026-09-01T10:00:00Z' });
  // Two tags of one digest: deleting the manifest removes both.
  d.addTag('engineering/api', { name: 'stable', digest: d.repository('engineering/api')!.tags.find((t) => t.name === '1.1')!.digest, cves: 40, updatedAt: '2026-11-01T10:00:00Z' });
  d.addTag('engineering/web', { name: 'stable', cves: 3 });
  d.addTag('platform/base', { name: 'alpine', platforms: ['linux/amd64', 'linux/arm64'], cves: 25 });
  d.addTags('engineering/many', 150);
  d.addEvents('engineering/api', 120);
  d.addPolicy('engineering/api', 'pruningPolicies', { rules: [{ field: 'tag', operator: 'sw', values: ['dev-'] }, { field: 'updated_at_duration', operator: 'bf', values: ['30d'] }], enabled: false });
  d.addPolicy('engineering/api', 'promotionPolicies', { rules: [{ field: 'vulnerability_critical', operator: 'eq', values: ['0'] }], targetRepository: 'engineering/web', tagTemplate: '%n-ok', enabled: true });
  d.addPolicy('engineering/api', 'pollMirroringPolicies', { username: 'robot', remoteHost: 'https://registry.example.com', remoteRepository: 'upstream/api', remoteCA: '', skipTLSVerification: false, enabled: true });
  d.addPolicy('engineering/api', 'pushMirroringPolicies', { rules: [{ field: 'tag', operator: 'oo', values: ['1.0', '1.1'] }], username: 'robot', remoteHost: 'https://mirror.example.com', remoteRepository: 'acme/api', remoteCA: '', skipTLSVerification: false, tagTemplate: '%n', enabled: true });
  d.addWebhook('engineering/api', 'TAG_PUSH', 'https://hooks.example.com/dtr/push', 'alice');
  d.addWebhook('engineering/api', 'SCAN_COMPLETED', 'https://hooks.example.com/dtr/scan', 'alice');
  d.addWebhook('engineering', 'REPO_EVENT', 'https://hooks.example.com/dtr/repos', 'alice');
  d.addJob('onlinegc', 'done', ['starting garbage collection', 'removed 12 blobs', 'done']);
  d.addJob('update_vuln_db', 'running', ['downloading the vulnerability database']);
  d.addJob('poll_mirror', 'errored', ['remote registry unreachable']);
  d.createToken('alice', 'laptop');
  d.createToken('alice', 'ci');
}

export interface DemoDtrInfo {
  url: string;
  username: string;
  password: string;
  namespaces: string[];
}

/** The seeded fake DTR for the demo and the e2e runner (alice with a token; admin-password for the admin). */
export async function startDemoDtr(opts: { port?: number; withRegistry?: boolean } = {}): Promise<{ dtr: DtrServer; info: DemoDtrInfo; stop: () => Promise<void> }> {
  const dtr = await startDtrServer({ port: opts.port, registry: opts.withRegistry === false ? undefined : { username: 'alice', password: 'alice-password' } });
  seedDemo(dtr);
  const token = dtr.createToken('alice', 'registry-explorer demo');
  if (dtr.oci) (dtr.oci.options.auth as { password?: string }).password = token;
  return { dtr, info: { url: dtr.url, username: 'alice', password: token, namespaces: ['engineering'] }, stop: () => dtr.close() };
}

if (require.main === module) {
  const port = process.env.DTR_PORT ? Number(process.env.DTR_PORT) : undefined;
  void startDemoDtr({ port }).then(({ info, stop }) => {
    process.stdout.write(`DTR fake listening on ${info.url} (user alice, password alice-password or token ${info.password}; admin / admin-password)\n`);
    const close = () => void stop().finally(() => process.exit(0));
    process.once('SIGINT', close);
    process.once('SIGTERM', close);
  });
}
