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
import * as http from 'node:http';
import { closeServer, listen } from '../kit/listen';
import { Router } from '../kit/router';
import { seedDemo } from './seed';
import { hubHandler } from './dispatch';
import { hubJson } from './json';
import type { Handler } from './request';
import { accountRoutes } from './routes/account';
import { orgRoutes } from './routes/orgs';
import { orgTokenRoutes } from './routes/orgTokens';
import { repositoryRoutes } from './routes/repositories';
import { createHubState } from './state';
import type { HubServer, HubServerOptions, OatRec, PatRec } from './types';

export async function startHubServer(opts: HubServerOptions = {}): Promise<HubServer> {
  const state = createHubState(opts);
  const { digestOf, ensureRepo, issue, makeTag, namespaceExists, putTag, repoKey, sortTags, now, iso, users, orgs, repos, pats, audit, log, requests, forced429, faults, st } = state;
  // Paths are matched as sent: `/v2/user/` and `/v2/user` are different paths, as on Hub.
  const router = new Router<Handler>();
  const kit = { ...state, ...hubJson(state), route: (method: string, template: string, h: Handler) => void router.add(method, template, h) };
  accountRoutes(kit);
  orgRoutes(kit);
  orgTokenRoutes(kit);
  repositoryRoutes(kit);
  const handle = hubHandler(state, router);

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
  st.baseUrl = await listen(server, opts.port ?? 0);

  // ---- seeding API -----------------------------------------------------------------------------------------------

  const api: HubServer = {
    url: st.baseUrl,
    registryUrl: opts.registryUrl,
    requests,
    clearRequests: () => log.clear(),
    close: () => closeServer(server),

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
      o.groups.set(name, { id: st.nextGroupId++, uuid: crypto.randomUUID(), name, description, members: new Set(members) });
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
    setRateLimit(limit, remaining = limit, windowSeconds = st.rate.windowMs / 1000) {
      st.rate = { limit, remaining, windowMs: windowSeconds * 1000, resetAt: now() + windowSeconds * 1000 };
    },
    rateLimitNext(count, retryAfterSeconds, path) {
      forced429.push({ left: count, retryAfter: retryAfterSeconds, path });
    },
    setFault(f) {
      faults.set(f);
    },
    setShapes(s) {
      st.shapes = s;
    },
    setUserOrgs(enabled) {
      st.userOrgs = enabled;
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
