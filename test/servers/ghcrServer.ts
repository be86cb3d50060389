/**
 * A fake GitHub (Enterprise Server layout: the REST API under `/api/v3`) with its Container registry on the same
 * origin, for the unit, reliability and in-host tests and the demo. The API serves the operations of the vendored
 * documents (test/fixtures/specs/github-packages): every request is checked against its document (unknown, missing
 * or mistyped parameters, `per_page` over 100 → 422, recorded in `violations`), classic OAuth scopes are enforced
 * (`read:packages` to read, with `delete:packages` to delete, with `write:packages` to restore; 403 naming them in
 * `X-Accepted-OAuth-Scopes` otherwise), and every answer object is checked by GitHub's schemas. The registry
 * answers `/v2/` with a Bearer challenge whose realm is its `/token` (HTTP Basic with a user name and a token that
 * has `read:packages`; anonymous callers get public packages only), then serves an embedded OCI registry.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { closeServer, listen } from './kit/listen';
import { type ImageSeed, type OciServer, startOciServer } from './ociServer';
import { API_PREFIX, GhError, answer, errorBody } from './ghcr/api';
import { type GhPackage, type GhState, type GhToken, type GhVersion, addGhPackage, addGhVersion, canRead, hasScope, newGhState } from './ghcr/state';

export * from './ghcr/state';

export interface GhcrRequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  authorization?: string;
  /** The `X-GitHub-Api-Version` header sent. */
  apiVersion?: string;
}

export interface GhcrServer {
  /** The fake's origin: an entry's `url` (API at `<url>/api/v3`) and `registryUrl`. */
  url: string;
  host: string;
  state: GhState;
  registry: OciServer;
  requests: GhcrRequestLogEntry[];
  /** Requests the documents refuse (422s). */
  violations: string[];
  /** Adds a package version with an image pushed to the registry; returns the version. */
  push(owner: string, pkg: string, tags: string[], opts?: { visibility?: 'public' | 'private'; repository?: string; seed?: ImageSeed }): GhVersion;
  /** Makes the next `times` requests whose path matches answer `status` with `body` (default a GitHub error). */
  fault(f: { path: RegExp; method?: string; status?: number; body?: string; headers?: Record<string, string>; times?: number }): void;
  close(): Promise<void>;
}

export const GHCR_SERVICE = 'ghcr-fake';

export async function startGhcrServer(): Promise<GhcrServer> {
  const state = newGhState();
  const registry = await startOciServer({});
  const requests: GhcrRequestLogEntry[] = [];
  const violations: string[] = [];
  const faults: Array<{ path: RegExp; method?: string; status?: number; body?: string; headers?: Record<string, string>; left: number }> = [];
  /** Registry tokens: who they were issued to (undefined: anonymous). */
  const grants = new Map<string, { login?: string; expires: number }>();
  let origin = '';

  const repoOf = (p: GhPackage) => `${p.owner.toLowerCase()}/${p.name}`;
  const onTags = (p: GhPackage, v: GhVersion, present: boolean) => {
    for (const t of v.tags) {
      if (present) registry.tag(repoOf(p), t, v.digest);
      else if (registry.digestOf(repoOf(p), t) === v.digest) registry.untag(repoOf(p), t);
    }
  };

  const tokenOf = (h: string | undefined): GhToken | undefined => {
    const m = /^(?:bearer|token) (\S+)$/i.exec(h ?? '');
    return m ? state.tokens.get(m[1]!) : undefined;
  };

  const registryToken = (h: string | undefined): { login?: string } | 'refused' => {
    if (!h) return {};
    const m = /^basic (\S+)$/i.exec(h);
    if (!m) return 'refused';
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    const t = i > 0 ? state.tokens.get(decoded.slice(i + 1)) : undefined;
    return t && hasScope(t, 'read:packages') ? { login: t.login } : 'refused';
  };

  const registryAllowed = (path: string, login: string | undefined): boolean => {
    const m = /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(path);
    if (!m) return true;
    const p = state.packages.find((x) => repoOf(x) === m[1] && !x.deletedAt);
    return !!p && canRead(state, p, login);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = req.url ?? '/';
      const qi = raw.indexOf('?');
      const path = qi >= 0 ? raw.slice(0, qi) : raw;
      const q = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
      const method = req.method ?? 'GET';
      const apiVersion = req.headers['x-github-api-version'] as string | undefined;
      const log: GhcrRequestLogEntry = { method, path, query: q.toString(), status: 0, authorization: req.headers.authorization, apiVersion };
      requests.push(log);
      if (requests.length > 20000) requests.splice(0, 10000);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        log.status = status;
        const text = body === undefined ? '' : JSON.stringify(body);
        res.writeHead(status, { ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}), 'X-GitHub-Request-Id': crypto.randomUUID(), ...headers });
        res.end(text);
      };
      const fault = faults.find((f) => f.path.test(path) && (!f.method || f.method === method) && f.left > 0);
      if (fault) {
        fault.left--;
        log.status = fault.status ?? 500;
        res.writeHead(log.status, { 'Content-Type': 'application/json', ...fault.headers });
        return res.end(fault.body ?? JSON.stringify(errorBody('injected fault')));
      }
      try {
        if (path === '/token') {
          const who = registryToken(req.headers.authorization);
          if (who === 'refused') return send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'Www-Authenticate': `Basic realm="${origin}/token"` });
          const t = crypto.randomBytes(24).toString('base64url');
          grants.set(t, { login: who.login, expires: Date.now() + 300_000 });
          return send(200, { token: t });
        }
        if (path === '/v2' || path.startsWith('/v2/')) {
          const bearer = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
          const grant = bearer ? grants.get(bearer) : undefined;
          if (!grant || grant.expires < Date.now() || !registryAllowed(path, grant.login)) {
            const repo = /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(path)?.[1];
            const scope = repo ? `,scope="repository:${repo}:pull"` : '';
            return send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'Www-Authenticate': `Bearer realm="${origin}/token",service="${GHCR_SERVICE}"${scope}` });
          }
          const up = http.request(`${registry.url}${raw}`, { method, headers: { ...req.headers, authorization: '', host: new URL(registry.url).host } }, (ur) => {
            log.status = ur.statusCode ?? 0;
            res.writeHead(ur.statusCode ?? 502, ur.headers);
            ur.pipe(res);
          });
          up.on('error', () => send(502, { errors: [{ code: 'UNAVAILABLE', message: 'registry down' }] }));
          return up.end(Buffer.concat(chunks));
        }
        if (!path.startsWith(API_PREFIX + '/')) throw new GhError(404, 'Not Found');
        // GitHub answers an unsupported API version with 400; without the header it uses 2022-11-28.
        if (apiVersion !== undefined && apiVersion !== '2022-11-28') throw new GhError(400, `API version ${apiVersion} is not supported.`);
        const out = answer(state, method, path.slice(API_PREFIX.length), q, tokenOf(req.headers.authorization), { origin, onTags });
        return send(out.status, out.body, out.headers);
      } catch (e) {
        if (e instanceof GhError) {
          if (e.status === 422) violations.push(`${method} ${path}?${q.toString()}: ${e.message}`);
          return send(e.status, errorBody(e.message), e.headers);
        }
        return send(500, errorBody(`fake defect: ${(e as Error).message}`));
      }
    });
  });
  origin = await listen(server);

  return {
    url: origin,
    host: new URL(origin).host,
    state,
    registry,
    requests,
    violations,
    push(owner, pkg, tags, opts = {}) {
      const p = state.packages.find((x) => x.owner === owner && x.name === pkg && !x.deletedAt) ?? addGhPackage(state, owner, pkg, opts);
      const digest = registry.addImage(repoOf(p), tags, { salt: `${repoOf(p)}#${p.versions.length}`, ...opts.seed });
      return addGhVersion(state, p, digest, tags);
    },
    fault(f) {
      faults.push({ ...f, left: f.times ?? Number.POSITIVE_INFINITY });
    },
    async close() {
      await closeServer(server);
      await registry.close();
    },
  };
}
