/**
 * An in-memory Harbor 2.x for tests, the bench and the demo, written from Harbor's Swagger 2.0 document
 * (test/fixtures/specs/harbor-api-v2.0.json, mended in harborSpec.ts): `/api/v2.0` with HTTP Basic for users and
 * robot accounts, `page` / `page_size` (≤ 100) paging with `X-Total-Count` and `Link`, `q=name=~…` and `sort`,
 * repository names URL-encoded twice inside the project path, artifacts with tags, index artifacts with references,
 * accessories, scan overviews and vulnerability reports; `/service/token` and a registry `/v2/` on the same origin
 * (an embedded OCI registry behind Harbor's Bearer challenge). Every request and answer of `/api/v2.0` is checked
 * against the document: a request it refuses gets 422 as go-swagger answers, an answer it refuses is a 500 naming
 * the defect of the fake.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type OciServer, startOciServer } from './ociServer';
import { HARBOR_BASE, VULN_MIME, checkVulnerabilityReport, requestIssues, responseIssues } from './harborSpec';
import { type ArtifactRec, type HarborState, type Principal, artifactView, canRead, newState, projectView, repositoryView, roleIn } from './harborData';
import { HttpError, ROLE_CAN_DELETE, type HarborFake, type HarborRoute, matchesQ, parsePage, repoName, sortBy } from './harbor/kit';
import { harborRoutes } from './harbor/routes';
import { matchesTags } from './harbor/artifacts';

export type { ArtifactRec, HarborState } from './harborData';

export interface HarborServerOptions {
  /** Leave `/service/token` and `/v2/` out (default: served). */
  noRegistry?: boolean;
  /** Components reported unhealthy by `/health`. */
  unhealthy?: string[];
}

export interface HarborRequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  authorization?: string;
}

export interface HarborServer {
  url: string;
  host: string;
  state: HarborState;
  registry?: OciServer;
  readonly requests: HarborRequestLogEntry[];
  /** Requests the document refuses (answered 422) and answers of the fake it refuses (answered 500). */
  readonly violations: string[];
  /** Answers the next `times` matching requests with a status, or with a malformed / odd body. */
  fault(f: { path: RegExp; method?: string; status?: number; body?: unknown; headers?: Record<string, string>; times?: number }): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export async function startHarborServer(opts: HarborServerOptions = {}): Promise<HarborServer> {
  const state = newState();
  const requests: HarborRequestLogEntry[] = [];
  const violations: string[] = [];
  let faults: { path: RegExp; method?: string; status?: number; body?: unknown; headers?: Record<string, string>; left: number }[] = [];
  const tokens = new Map<string, { who: Principal | undefined; expires: number }>();
  const registry = opts.noRegistry ? undefined : await startOciServer({});
  state.registry = registry;
  let url = '';

  const principal = (h: string | undefined): Principal | undefined => {
    if (!h) return undefined;
    if (!/^basic /i.test(h)) throw new HttpError(401, 'UNAUTHORIZED', 'unauthorized');
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    const p = state.principals.get(decoded.slice(0, i));
    if (!p || p.secret !== decoded.slice(i + 1) || p.disabled) throw new HttpError(401, 'UNAUTHORIZED', 'unauthorized');
    return p;
  };

  const page = <T>(res: { headers: Record<string, string> }, path: string, q: URLSearchParams, all: T[]): T[] => {
    const { page: n, size } = parsePage(q);
    res.headers['X-Total-Count'] = String(all.length);
    const link = (p: number) => {
      const next = new URLSearchParams(q);
      next.set('page', String(p));
      next.set('page_size', String(size));
      return `<${path}?${next.toString()}>`;
    };
    const links: string[] = [];
    if (n > 1) links.push(`${link(n - 1)}; rel="prev"`);
    if (n * size < all.length) links.push(`${link(n + 1)}; rel="next"`);
    if (links.length) res.headers.Link = links.join(' , ');
    return all.slice((n - 1) * size, n * size);
  };

  const project = (name: string, who: Principal | undefined) => {
    const p = state.projects.get(name);
    if (!p) throw new HttpError(404, 'NOT_FOUND', `project ${name} not found`);
    if (!canRead(p, who)) throw new HttpError(who ? 403 : 401, who ? 'FORBIDDEN' : 'UNAUTHORIZED', who ? 'forbidden' : 'unauthorized');
    return p;
  };
  const findArtifact = (repo: string, ref: string): ArtifactRec => {
    const list = state.artifacts.get(repo);
    const a = ref.includes(':') ? list?.find((x) => x.digest === ref) : list?.find((x) => x.tags.some((t) => t.name === ref));
    if (!a) throw new HttpError(404, 'NOT_FOUND', `artifact ${repo}:${ref} not found`);
    return a;
  };

  /** `/api/v2.0` routes: [method, pattern of the path under the base, handler]. */
  type Out = { status: number; body?: unknown; headers: Record<string, string> };
  const fake: HarborFake = { state, registry, url: () => url, page, project, findArtifact };
  const routes: HarborRoute[] = harborRoutes.flatMap((part) => part(fake));
  const api = (method: string, path: string, q: URLSearchParams, who: Principal | undefined, out: Out, body: unknown): unknown => {
    let m: RegExpExecArray | null;
    for (const r of routes) if (r.method === method && (m = r.path.exec(path))) return r.handle(m, { q, who, body, out });
    if (method === 'GET' && path === '/health') {
      const components = ['core', 'database', 'jobservice', 'portal', 'redis', 'registry', 'registryctl', 'trivy'].map((name) =>
        opts.unhealthy?.includes(name) ? { name, status: 'unhealthy', error: `${name} is down` } : { name, status: 'healthy' },
      );
      return { status: components.some((c) => c.status !== 'healthy') ? 'unhealthy' : 'healthy', components };
    }
    if (method === 'GET' && path === '/systeminfo') {
      return who ? { harbor_version: 'v2.11.0-fake', auth_mode: 'db_auth', registry_url: new URL(url).host, external_url: url, read_only: false, self_registration: false } : { harbor_version: 'v2.11.0-fake', auth_mode: 'db_auth' };
    }
    if (method === 'GET' && path === '/system/CVEAllowlist') {
      if (!who) throw new HttpError(401, 'UNAUTHORIZED', 'unauthorized');
      return state.systemAllowlist;
    }
    if (method === 'GET' && path === '/projects') {
      // A project robot's listing is the public projects: its own private project is not listed (goharbor/harbor#14314).
      const visible = [...state.projects.values()].filter((p) => (who?.robotProject ? p.public : canRead(p, who)) && matchesQ(p.name, q.get('q')));
      return page(out, HARBOR_BASE + path, q, sortBy(visible, q.get('sort'), { name: (p) => p.name })).map((p) => projectView(state, p));
    }
    if (method === 'GET' && (m = /^\/projects\/([^/]+)$/.exec(path))) {
      // Robot accounts are refused the project itself (goharbor/harbor#14512, #21800), whatever they may do inside it.
      if (who?.robotProject) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
      return projectView(state, project(decodeURIComponent(m[1]!), who));
    }
    if (method === 'GET' && (m = /^\/projects\/([^/]+)\/repositories$/.exec(path))) {
      const p = project(decodeURIComponent(m[1]!), who);
      const repos = [...state.repositories.values()].filter((r) => r.project === p.name && matchesQ(r.name, q.get('q')));
      const sorted = sortBy(repos, q.get('sort'), { name: (r) => r.name, update_time: (r) => r.updated, creation_time: (r) => r.created, pull_count: (r) => r.pulls });
      return page(out, HARBOR_BASE + path, q, sorted).map((r) => repositoryView(state, r));
    }
    m = /^\/projects\/([^/]+)\/repositories\/([^/]+)(\/artifacts(?:\/([^/]+)(\/additions\/vulnerabilities)?)?)?$/.exec(path);
    if (!m) throw new HttpError(404, 'NOT_FOUND', `no route ${method} ${path}`);
    const p = project(decodeURIComponent(m[1]!), who);
    const repo = `${p.name}/${repoName(m[2]!)}`;
    const r = state.repositories.get(repo);
    if (!r) throw new HttpError(404, 'NOT_FOUND', `repository ${repo} not found`);
    if (!m[3] && method === 'GET') return repositoryView(state, r);
    const view = (a: ArtifactRec) =>
      artifactView(state, a, { tags: q.get('with_tag') !== 'false', scan: q.get('with_scan_overview') === 'true', accessories: q.get('with_accessory') === 'true', labels: q.get('with_label') === 'true' });
    if (!m[4] && method === 'GET' && m[3]) {
      const listed = (state.artifacts.get(repo) ?? []).filter((x) => !x.child && matchesTags(x, q.get('q')));
      const sorted = sortBy(listed, q.get('sort'), { push_time: (a) => a.pushed, pull_time: (a) => a.pulled ?? '', name: (a) => a.tags[0]?.name ?? a.digest });
      return page(out, HARBOR_BASE + path, q, sorted).map(view);
    }
    const ref = decodeURIComponent(m[4] ?? '');
    const a = findArtifact(repo, ref);
    if (m[5] && method === 'GET') {
      if (!a.scan || a.scan.status !== 'Success') return {};
      const report = { generated_at: a.scan.end, artifact: { repository: repo, digest: a.digest, mime_type: a.manifestMediaType }, scanner: { name: 'Trivy', vendor: 'Aqua Security', version: 'v0.50.0' }, severity: a.scan.severity, vulnerabilities: a.scan.vulnerabilities };
      const issues = checkVulnerabilityReport(report);
      if (issues.length) throw new Error(`fake Harbor vulnerability report breaks the scanner document: ${JSON.stringify(issues.slice(0, 3))}`);
      return { [VULN_MIME]: report };
    }
    if (method === 'GET' && !m[5]) return view(a);
    if (method === 'DELETE' && !m[5]) {
      if (!who) throw new HttpError(401, 'UNAUTHORIZED', 'unauthorized');
      if (!ROLE_CAN_DELETE.has(roleIn(p, who) ?? 0) && !who.robotActions?.includes('delete')) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
      state.artifacts.set(repo, state.artifacts.get(repo)!.filter((x) => x !== a));
      for (const t of a.tags) registry?.untag(repo, t.name);
      out.body = undefined;
      return undefined;
    }
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} not allowed`);
  };

  /** Harbor's token service: Basic credentials of a user or robot → a registry token for the scopes it may pull. */
  const token = (q: URLSearchParams, who: Principal | undefined) => {
    const t = crypto.randomBytes(24).toString('base64url');
    tokens.set(t, { who, expires: Date.now() + 1800_000 });
    void q;
    return { token: t, access_token: t, expires_in: 1800, issued_at: new Date().toISOString() };
  };

  const registryAllowed = (path: string, who: Principal | undefined): boolean => {
    const m = /^\/v2\/(.+?)\/(manifests|blobs|tags)\//.exec(path);
    if (!m) return true;
    const p = state.projects.get(m[1]!.split('/')[0]!);
    return !!p && canRead(p, who);
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
      const log: HarborRequestLogEntry = { method, path, query: q.toString(), status: 0, authorization: req.headers.authorization };
      requests.push(log);
      if (requests.length > 20000) requests.splice(0, 10000);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        log.status = status;
        if (status === 422 || (status === 500 && (body as { errors?: { code?: string }[] } | undefined)?.errors?.[0]?.code === 'FAKE_DEFECT')) violations.push(`${method} ${path}: ${JSON.stringify(body)}`);
        // An operation that `produces: text/plain` (a task log) sets that Content-Type: its string goes out as it is.
        const plain = typeof body === 'string' && /^text\/plain/.test(headers['Content-Type'] ?? '');
        const text = body === undefined ? '' : plain ? (body as string) : JSON.stringify(body);
        res.writeHead(status, { ...(text && !plain ? { 'Content-Type': 'application/json' } : {}), 'X-Request-Id': crypto.randomUUID(), ...headers });
        res.end(text);
      };
      const fault = faults.find((f) => f.path.test(path) && (!f.method || f.method === method) && f.left > 0);
      if (fault) {
        fault.left--;
        if (typeof fault.body === 'string') {
          log.status = fault.status ?? 200;
          res.writeHead(log.status, { 'Content-Type': 'application/json', ...fault.headers });
          return res.end(fault.body);
        }
        return send(fault.status ?? 200, fault.body ?? { errors: [{ code: 'FAULT', message: 'injected fault' }] }, fault.headers);
      }
      try {
        if (path === '/service/token') return send(200, token(q, principal(req.headers.authorization)));
        if (path === '/v2' || path.startsWith('/v2/')) {
          if (!registry) return send(404, { errors: [{ code: 'NOT_FOUND', message: 'no registry' }] });
          const bearer = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
          const grant = bearer ? tokens.get(bearer) : undefined;
          if (!grant || grant.expires < Date.now() || !registryAllowed(path, grant.who)) {
            return send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized to access repository' }] }, { 'Www-Authenticate': `Bearer realm="${url}/service/token",service="harbor-registry"` });
          }
          const up = http.request(`${registry.url}${raw}`, { method, headers: { ...req.headers, authorization: '', host: new URL(registry.url).host } }, (ur) => {
            log.status = ur.statusCode ?? 0;
            res.writeHead(ur.statusCode ?? 502, ur.headers);
            ur.pipe(res);
          });
          up.on('error', () => send(502, { errors: [{ code: 'UNAVAILABLE', message: 'registry down' }] }));
          return up.end(Buffer.concat(chunks));
        }
        if (!path.startsWith(HARBOR_BASE + '/') && path !== HARBOR_BASE) throw new HttpError(404, 'NOT_FOUND', 'not found');
        const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown) : undefined;
        const issues = requestIssues(method, path, q, body);
        if (issues.length) throw new HttpError(422, 'UNPROCESSABLE_ENTITY', issues.map((i) => `${i.at}: ${i.message}`).join('; '));
        const who = path === `${HARBOR_BASE}/health` ? undefined : principal(req.headers.authorization);
        const out: { status: number; headers: Record<string, string> } = { status: 200, headers: {} };
        const answer = api(method, path.slice(HARBOR_BASE.length), q, who, out, body);
        const bad = responseIssues(method, path, out.status, answer);
        if (bad.length) throw new Error(`fake Harbor answer breaks the document: ${JSON.stringify(bad.slice(0, 3))}`);
        return send(out.status, answer, out.headers);
      } catch (e) {
        if (e instanceof HttpError) {
          if (path.startsWith(HARBOR_BASE + '/')) {
            let defect: string | undefined;
            try {
              const bad = responseIssues(method, path, e.status, { errors: [{ code: e.code, message: e.message }] });
              if (bad.length) defect = JSON.stringify(bad.slice(0, 3));
            } catch (err) {
              // A path the document has no template for is a plain 404; a status it does not declare is a defect.
              if (!/No path in the spec/.test((err as Error).message)) defect = (err as Error).message;
            }
            if (defect) return send(500, { errors: [{ code: 'FAKE_DEFECT', message: defect }] });
          }
          const h: Record<string, string> = e.status === 401 ? { 'Www-Authenticate': 'Basic realm="harbor"' } : {};
          return send(e.status, { errors: [{ code: e.code, message: e.message }] }, h);
        }
        return send(500, { errors: [{ code: 'FAKE_DEFECT', message: (e as Error).message }] });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.url = url;
  return {
    url,
    host: new URL(url).host,
    state,
    registry,
    requests,
    violations,
    fault: (f) => faults.push({ ...f, left: f.times ?? Infinity }),
    clearFaults: () => (faults = []),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await registry?.close();
    },
  };
}
