/** DTR fake state: accounts, repositories, webhooks, jobs, and the access rules, JSON shapes and paging over them. */
import * as crypto from 'node:crypto';
import { MANIFEST, sha, maxLevel, atLeast, HttpError, unauthenticated, forbidden, noRepo, type AccessLevel, type Json, type DtrServerOptions, type DtrEvaluation, type Features, type DtrRequestLogEntry, type DtrFault, type UserRec, type OrgRec, type PlatformRec, type TagRec, type RepoRec } from './types';
import type { OciServer } from '../oci/types';
import { RequestLog } from '../kit/log';
import type { Armed } from '../kit/faults';
import { dtrValidator } from '../dtrSpec';

export type DtrState = ReturnType<typeof createDtrState>;

export function createDtrState(opts: DtrServerOptions) {
  const spec = dtrValidator();
  const shape = opts.apiShape ?? '2.6';
  const users = new Map<string, UserRec>();
  const orgs = new Map<string, OrgRec>();
  const repos = new Map<string, RepoRec>();
  const webhooks = new Map<string, Json>();
  const overrides = new Map<string, Json>();
  const jobs = new Map<string, { job: Json; logs: string[] }>();
  const log = new RequestLog<DtrRequestLogEntry>(Number.POSITIVE_INFINITY);
  const requests = log.entries;
  const evaluations: DtrEvaluation[] = [];
  const violations: string[] = [];
  const answered = new Set<string>();
  /** What changes after start: licensed features, the current fault, the id sequence, the server's URL, the registry behind it. */
  const st = {
    features: { scanningEnabled: true, scanningLicensed: true, promotionLicensed: true, mirroringLicensed: true, ...opts.features } as Features,
    fault: undefined as Armed<DtrFault> | undefined,
    seq: 1000,
    base: '',
    oci: undefined as OciServer | undefined,
  };
  const uuid = () => crypto.randomUUID();
  const now = () => new Date().toISOString();

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
    if (st.fault?.kind === 'cycleCursor' && startKey && start > 0) headers['X-Next-Page-Start'] = key(items[0]!);
    else if (st.fault?.kind === 'repeatCursor' && startKey) headers['X-Next-Page-Start'] = startKey;
    else if (st.fault?.kind === 'repeatCursor' && next) headers['X-Next-Page-Start'] = key(next);
    else if (next) headers['X-Next-Page-Start'] = key(next);
    // DTR sends the header on every page, empty on the last one.
    else headers['X-Next-Page-Start'] = '';
    if (q.get('count') === 'true') headers['X-Resource-Count'] = String(items.length);
    return slice;
  }

  // ---- policies ----

  return { spec, shape, users, orgs, repos, webhooks, overrides, jobs, log, requests, evaluations, violations, answered, uuid, now, opts, st, accessOf, nsAdmin, repoOr404, need, requireUser, requireAdmin, repoJson, accountJson, manifestJson, tagJson, enziTeams, teamJson, event, scannedImage, cvssOf, countsOf, page };
}
