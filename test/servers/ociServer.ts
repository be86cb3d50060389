/**
 * An in-memory OCI Distribution (Docker Registry HTTP API V2) server on 127.0.0.1 for tests, the benchmark and the
 * demo. It follows the OCI Distribution Specification (github.com/opencontainers/distribution-spec, spec.md) for what the client reads:
 * - `GET /v2/` ping; `GET /v2/_catalog?n=&last=` and `GET /v2/<name>/tags/list?n=&last=` with server-side paging,
 *   names in ASCIIbetical order (Go's `sort.Strings`), a relative `Link: <…>; rel="next"` header when more remain,
 *   `n=0` → empty list without Link;
 * - manifests `GET`/`HEAD`/`PUT`/`DELETE` with `Docker-Content-Digest`, content negotiation by `Accept`;
 * - blobs `GET` (configs; layers are descriptors only);
 * - error bodies `{"errors":[{"code","message","detail"}]}`.
 *
 * As strict as distribution where a client could get it wrong: a manifest GET/HEAD whose `Accept` does not name the
 * manifest's media type is 404 (no `Accept`, no manifest); a token is accepted only by the registry whose realm issued
 * it for its `service`; `/token` refuses another `service`, a malformed `scope` and a non-Basic `Authorization` (401).
 *
 * Optional extras: Basic auth, or the Bearer token challenge with its own token endpoint (`/token`), distribution 2.8's
 * habit of ignoring `n`/`last` on tags/list (`tagPaging: false`), deletion switched off (405), per-kind request
 * counters and fault injection (malformed JSON, wrong types, status overrides, redirects, connection reset, stall).
 *
 * ```ts
 * const reg = await startOciServer({ auth: { type: 'bearer', username: 'alice', password: 'pw' } });
 * reg.addImage('team/app', ['1.0', 'latest'], { platforms: ['linux/amd64', 'linux/arm64'] });
 * // … reg.url, reg.count('tags'), reg.fault({ kind: 'tags', action: 'status', status: 500, times: 1 }) …
 * await reg.close();
 * ```
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** What a request was for; counters and faults are keyed by it. */
export type OciRequestKind = 'ping' | 'catalog' | 'tags' | 'manifest' | 'blob' | 'token' | 'other';

/** Basic auth on every `/v2/` endpoint. */
export interface OciBasicAuth {
  type: 'basic';
  username: string;
  password: string;
}

/** The Docker token flow: 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…`, tokens from `/token`. */
export interface OciBearerAuth {
  type: 'bearer';
  /** Account accepted by the token endpoint (Basic auth on the token request). */
  username?: string;
  password?: string;
  /** Anonymous token requests get pull (and catalog) access. Default false: they get a token without access. */
  anonymousPull?: boolean;
  /** `expires_in` of issued tokens (default 300). `null` leaves the field out (clients assume 60 s). */
  tokenLifetimeSeconds?: number | null;
  /** Which field carries the token (default `both`, like distribution's token servers). */
  tokenField?: 'token' | 'access_token' | 'both';
  /** Realm to advertise instead of this server's `/token` (e.g. another instance's, which shares the token store). */
  realm?: string;
  /** `service` of the challenge (default `oci-test-registry`). */
  service?: string;
}

export type OciAuth = OciBasicAuth | OciBearerAuth;

export interface OciServerOptions {
  /** Default 0 (random). Always bound to 127.0.0.1. */
  port?: number;
  auth?: OciAuth;
  /** Page tags/list with `n`/`last` + Link (default true). False returns every tag in one response, like distribution 2.8. */
  tagPaging?: boolean;
  /** Accept manifest DELETE (`storage.delete.enabled`, default true). False answers 405 UNSUPPORTED. */
  deleteEnabled?: boolean;
  /**
   * Send `Docker-Content-Digest` on manifest responses (default true); `'get'`: on GET only, as registries do that
   * leave it off HEAD answers.
   */
  digestHeader?: boolean | 'get';
  /** Clock in ms since the epoch (token expiry), so tests can move time instead of sleeping. */
  now?: () => number;
  /** Delay before every answer (ms), to simulate a remote registry and make concurrency observable. */
  delayMs?: number;
}

/** One served request, as recorded by the server. */
export interface OciRequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  kind: OciRequestKind;
  status: number;
  /** Scheme of the Authorization header sent. */
  auth: 'none' | 'basic' | 'bearer' | 'other';
  /** The raw Authorization header (test-only server: lets tests prove what was or was not sent). */
  authorization?: string;
  at: number;
}

export interface OciFault {
  /** Only requests of this kind. */
  kind?: OciRequestKind;
  /** Only requests whose path (without query) matches. */
  path?: string | RegExp;
  method?: string;
  /**
   * - `malformed`: 200 with a truncated JSON body;
   * - `wrongType`: the normal JSON body with `field` (default: the first array-valued property) set to `value` (default 12345);
   * - `status`: `status` with an error body (and `Retry-After: retryAfter` when given);
   * - `redirect`: 307 to `location` + the original path and query;
   * - `reset`: the connection is destroyed without an answer;
   * - `stall`: no answer until the client gives up or the server closes;
   * - `tamper`: the normal answer with its last digit changed (same length, still JSON, same headers), as a
   *   registry or a proxy that alters content would send it: it no longer matches its digest.
   */
  action: 'malformed' | 'wrongType' | 'status' | 'redirect' | 'reset' | 'stall' | 'tamper';
  status?: number;
  retryAfter?: string | number;
  field?: string;
  value?: unknown;
  /** For `redirect`: origin (or base URL) to redirect to. */
  location?: string;
  /** How many matching requests to affect (default: until cleared). */
  times?: number;
}

export interface ImageSeed {
  /** `os/arch[/variant]` per platform; more than one makes an index (default `linux/amd64`, a plain image). */
  platforms?: string[];
  /** Force an index even for one platform. */
  index?: boolean;
  /** `oci` (default) or `docker` media types. */
  format?: 'oci' | 'docker';
  /** Image config `created` (one value for all platforms, or one per platform). */
  created?: string | string[];
  /** Layer sizes per platform image (default [1000, 2000]). */
  layerSizes?: number[];
  /** Extra image config fields (`Env`, `Cmd`, `Labels`, …) merged into `config`. */
  config?: Record<string, unknown>;
  /** Manifest annotations (of the index for several platforms). */
  annotations?: Record<string, string>;
  /** Distinguishes otherwise identical images (changes every digest). */
  salt?: string;
}

interface StoredManifest {
  mediaType: string;
  body: Buffer;
}

interface TokenGrant {
  access: Set<string>;
  expiresAt: number;
  /** The token endpoint that issued it and the `service` it was issued for: a registry accepts only its own. */
  realm: string;
  service: string;
}

const DEFAULT_SERVICE = 'oci-test-registry';
/** Scope grammar of the token specification: `repository:<name>[:<tag>]:<actions>` or `registry:catalog:*`. */
const SCOPE_RE = /^(?:repository(?:\([a-z0-9]+\))?:[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?:(?:pull|push|delete|\*)(?:,(?:pull|push|delete|\*))*|registry:catalog:\*)$/;

/** Shared by every instance, so one instance can be the token realm of another. */
const tokenStore = new Map<string, TokenGrant>();

export interface OciServer {
  url: string;
  /** host:port, as in pull references. */
  host: string;
  /** Every request so far, oldest first. */
  readonly requests: OciRequestLogEntry[];
  /** Most requests handled at the same time since the start or the last `resetCounters()`. */
  readonly peakInFlight: number;
  /** Number of requests matching a kind, or a filter (kind, method, path substring / RegExp, status). */
  count(filter?: OciRequestKind | { kind?: OciRequestKind; method?: string; path?: string | RegExp; status?: number }): number;
  resetCounters(): void;
  /** Adds a fault; faults are checked in order before normal handling. */
  fault(f: OciFault): void;
  clearFaults(): void;
  /** Stores an image (or index) and points the tags at it; returns the top-level manifest digest. */
  addImage(repository: string, tags: string | string[], seed?: ImageSeed): string;
  /** Points tags at an existing manifest digest of the repository. */
  tag(repository: string, tags: string | string[], digest: string): void;
  untag(repository: string, tag: string): void;
  /** Digest a tag points at (undefined when absent). */
  digestOf(repository: string, tag: string): string | undefined;
  tagsOf(repository: string): string[];
  repositories(): string[];
  /** Current options; tests may flip `tagPaging`, `deleteEnabled`, `digestHeader` at run time. */
  readonly options: OciServerOptions;
  /** Invalidates every token this server issued. */
  revokeTokens(): void;
  close(): Promise<void>;
}

class Repo {
  tags = new Map<string, string>();
  manifests = new Map<string, StoredManifest>();
  blobs = new Map<string, Buffer>();
}

const NAME_RE = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

function sha256(b: Buffer | string): string {
  return 'sha256:' + crypto.createHash('sha256').update(b).digest('hex');
}

/** Go's sort.Strings order (byte-wise; the same as code-unit order for the ASCII names the spec allows). */
function asciiCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function errorBody(code: string, message: string, detail?: unknown): string {
  return JSON.stringify({ errors: [{ code, message, detail: detail ?? null }] });
}

/** Starts the server; resolves once it listens. */
export async function startOciServer(opts: OciServerOptions = {}): Promise<OciServer> {
  const options: OciServerOptions = { tagPaging: true, deleteEnabled: true, digestHeader: true, ...opts };
  const now = opts.now ?? (() => Date.now());
  const repos = new Map<string, Repo>();
  const requests: OciRequestLogEntry[] = [];
  let faults: Array<OciFault & { left: number }> = [];
  const issued = new Set<string>();
  const sockets = new Set<Socket>();
  const stalled = new Set<http.ServerResponse>();
  let baseUrl = '';
  let inFlight = 0;
  let peakInFlight = 0;

  const repo = (name: string, create = false): Repo | undefined => {
    let r = repos.get(name);
    if (!r && create) {
      r = new Repo();
      repos.set(name, r);
    }
    return r;
  };

  // ---- seeding --------------------------------------------------------------------------------------------------

  function putBlob(r: Repo, body: Buffer): string {
    const d = sha256(body);
    r.blobs.set(d, body);
    return d;
  }

  function putManifest(r: Repo, mediaType: string, obj: unknown): { digest: string; size: number } {
    const body = Buffer.from(JSON.stringify(obj, null, 2));
    const digest = sha256(body);
    r.manifests.set(digest, { mediaType, body });
    return { digest, size: body.length };
  }

  function addImage(repository: string, tags: string | string[], seed: ImageSeed = {}): string {
    if (!NAME_RE.test(repository)) throw new Error(`invalid repository name ${repository}`);
    const r = repo(repository, true)!;
    const docker = seed.format === 'docker';
    const platforms = seed.platforms ?? ['linux/amd64'];
    const sizes = seed.layerSizes ?? [1000, 2000];
    const salt = seed.salt ?? '';
    const children: Array<{ digest: string; size: number; platform: string }> = [];
    platforms.forEach((p, i) => {
      const [os, architecture, variant] = p.split('/');
      const created = Array.isArray(seed.created) ? seed.created[i] : (seed.created ?? '2024-01-01T00:00:00Z');
      const layers = sizes.map((size, j) => ({
        mediaType: docker ? MEDIA_TYPES.dockerLayer : MEDIA_TYPES.ociLayer,
        digest: sha256(`${repository}|${p}|${j}|${size}|${salt}`),
        size,
      }));
      const config = {
        created,
        architecture,
        os,
        ...(variant ? { variant } : {}),
        config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'], Cmd: ['/bin/sh'], ...(seed.config ?? {}) },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
        history: layers.map((_, j) => ({ created, created_by: `/bin/sh -c step-${j + 1}` })),
      };
      const configBody = Buffer.from(JSON.stringify(config));
      const configDigest = putBlob(r, configBody);
      const single = platforms.length === 1 && !seed.index;
      const m = putManifest(r, docker ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest, {
        schemaVersion: 2,
        mediaType: docker ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest,
        config: { mediaType: docker ? MEDIA_TYPES.dockerConfig : MEDIA_TYPES.ociConfig, digest: configDigest, size: configBody.length },
        layers,
        ...(single && seed.annotations ? { annotations: seed.annotations } : {}),
      });
      children.push({ ...m, platform: p });
    });
    let top: string;
    if (platforms.length === 1 && !seed.index) {
      top = children[0].digest;
    } else {
      const mediaType = docker ? MEDIA_TYPES.dockerList : MEDIA_TYPES.ociIndex;
      top = putManifest(r, mediaType, {
        schemaVersion: 2,
        mediaType,
        manifests: children.map((c) => {
          const [os, architecture, variant] = c.platform.split('/');
          return {
            mediaType: docker ? MEDIA_TYPES.dockerManifest : MEDIA_TYPES.ociManifest,
            digest: c.digest,
            size: c.size,
            platform: { architecture, os, ...(variant ? { variant } : {}) },
          };
        }),
        ...(seed.annotations ? { annotations: seed.annotations } : {}),
      }).digest;
    }
    tag(repository, tags, top);
    return top;
  }

  function tag(repository: string, tags: string | string[], digest: string): void {
    const r = repo(repository, true)!;
    if (!r.manifests.has(digest)) throw new Error(`unknown manifest ${digest} in ${repository}`);
    for (const t of Array.isArray(tags) ? tags : [tags]) {
      if (!TAG_RE.test(t)) throw new Error(`invalid tag ${t}`);
      r.tags.set(t, digest);
    }
  }

  // ---- auth -----------------------------------------------------------------------------------------------------

  function authKind(h: string | undefined): OciRequestLogEntry['auth'] {
    if (!h) return 'none';
    if (/^basic /i.test(h)) return 'basic';
    if (/^bearer /i.test(h)) return 'bearer';
    return 'other';
  }

  function basicOk(h: string | undefined, username?: string, password?: string): boolean | undefined {
    if (!h || !/^basic /i.test(h)) return undefined;
    const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return false;
    return decoded.slice(0, i) === username && decoded.slice(i + 1) === password;
  }

  /** Scope a request needs under token auth (undefined: any valid token, as for `/v2/`). */
  function requiredScope(kind: OciRequestKind, method: string, name?: string): string | undefined {
    if (kind === 'catalog') return 'registry:catalog:*';
    if (!name) return undefined;
    if (method === 'DELETE') return `repository:${name}:delete`;
    if (method === 'PUT' || method === 'POST' || method === 'PATCH') return `repository:${name}:push`;
    return `repository:${name}:pull`;
  }

  /** Returns true when the request may proceed; otherwise answers 401 itself. */
  function checkAuth(req: http.IncomingMessage, res: http.ServerResponse, kind: OciRequestKind, name?: string): boolean {
    const auth = options.auth;
    if (!auth) return true;
    const h = req.headers.authorization;
    if (auth.type === 'basic') {
      if (basicOk(h, auth.username, auth.password)) return true;
      send(res, 401, errorBody('UNAUTHORIZED', 'authentication required'), {
        'WWW-Authenticate': 'Basic realm="Registry Realm"',
      });
      return false;
    }
    const scope = requiredScope(kind, req.method ?? 'GET', name);
    let insufficient = false;
    const realm = auth.realm ?? `${baseUrl}/token`;
    const service = auth.service ?? DEFAULT_SERVICE;
    if (h && /^bearer /i.test(h)) {
      const grant = tokenStore.get(h.slice(7).trim());
      // A token is bound to the realm that issued it and the service it names: registry B refuses registry A's.
      if (grant && grant.expiresAt > now() && grant.realm === realm && grant.service === service) {
        if (!scope || grant.access.has(scope)) return true;
        insufficient = true;
      }
    }
    const parts = [`realm="${realm}"`, `service="${service}"`];
    if (scope) parts.push(`scope="${scope}"`);
    if (insufficient) parts.push('error="insufficient_scope"');
    send(res, 401, errorBody('UNAUTHORIZED', 'authentication required'), { 'WWW-Authenticate': `Bearer ${parts.join(',')}` });
    return false;
  }

  function serveToken(req: http.IncomingMessage, res: http.ServerResponse, q: URLSearchParams, fault?: OciFault): void {
    const auth = options.auth;
    if (!auth || auth.type !== 'bearer') return send(res, 404, errorBody('NOT_FOUND', 'no token service here'));
    const h = req.headers.authorization;
    // Another scheme is not "anonymous": token servers answer 401.
    if (h !== undefined && !/^basic /i.test(h)) return send(res, 401, JSON.stringify({ details: 'unsupported authorization scheme' }));
    const ok = basicOk(h, auth.username, auth.password);
    if (ok === false) return send(res, 401, JSON.stringify({ details: 'invalid credentials' }));
    const service = auth.service ?? DEFAULT_SERVICE;
    if (q.get('service') !== service) return send(res, 400, JSON.stringify({ details: `unknown service ${JSON.stringify(q.get('service'))}` }));
    const scopes = q.getAll('scope').flatMap((v) => v.split(' ')).filter(Boolean);
    const bad = scopes.find((s) => !SCOPE_RE.test(s));
    if (bad !== undefined) return send(res, 400, JSON.stringify({ details: `invalid scope ${JSON.stringify(bad)}` }));
    const access = new Set<string>();
    for (const s of scopes) {
      const [type, ...rest] = s.split(':');
      const actions = (rest.pop() ?? '').split(',');
      const resource = rest.join(':');
      for (const a of actions) {
        const allowed = ok === true || (auth.anonymousPull && (a === 'pull' || (type === 'registry' && a === '*')));
        if (allowed) access.add(`${type}:${resource}:${a}`);
      }
    }
    const token = 'tok-' + crypto.randomBytes(18).toString('hex');
    const lifetime = auth.tokenLifetimeSeconds === undefined ? 300 : auth.tokenLifetimeSeconds;
    // Bound to the realm this registry's challenges name (its own /token, or a front end such as Quay's /v2/auth that
    // forwards here).
    tokenStore.set(token, { access, expiresAt: now() + (lifetime ?? 60) * 1000, realm: auth.realm ?? `${baseUrl}/token`, service });
    issued.add(token);
    const field = auth.tokenField ?? 'both';
    const body: Record<string, unknown> = { issued_at: new Date(now()).toISOString() };
    if (field !== 'access_token') body.token = token;
    if (field !== 'token') body.access_token = token;
    if (lifetime !== null) body.expires_in = lifetime;
    let text = JSON.stringify(body);
    if (fault?.action === 'malformed') text = text.slice(0, Math.floor(text.length / 2));
    else if (fault?.action === 'wrongType') text = corrupt(text, fault);
    send(res, 200, text);
  }

  // ---- responses ------------------------------------------------------------------------------------------------

  function send(res: http.ServerResponse, status: number, body: string | Buffer | undefined, headers: Record<string, string> = {}): void {
    const buf = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const h: Record<string, string | number> = {
      'Docker-Distribution-API-Version': 'registry/2.0',
      'Content-Length': buf.length,
      ...headers,
    };
    if (!('Content-Type' in headers) && body !== undefined) h['Content-Type'] = 'application/json; charset=utf-8';
    res.writeHead(status, h);
    res.end(res.req.method === 'HEAD' ? undefined : buf);
  }

  function matchFault(kind: OciRequestKind, method: string, path: string): (OciFault & { left: number }) | undefined {
    for (const f of faults) {
      if (f.left <= 0) continue;
      if (f.kind && f.kind !== kind) continue;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.path !== undefined && !(typeof f.path === 'string' ? path.includes(f.path) : f.path.test(path))) continue;
      f.left--;
      return f;
    }
    return undefined;
  }

  /** JSON body with one field replaced, for `wrongType` faults. */
  function corrupt(body: string, f: OciFault): string {
    const obj = JSON.parse(body) as Record<string, unknown>;
    const field = f.field ?? Object.keys(obj).find((k) => Array.isArray(obj[k])) ?? Object.keys(obj)[0];
    obj[field] = f.value === undefined ? 12345 : f.value;
    return JSON.stringify(obj);
  }

  function list(all: string[], q: URLSearchParams, paging: boolean, linkPath: string): { items: string[]; link?: string } | { error: string } {
    const sorted = [...all].sort(asciiCompare);
    if (!paging) return { items: sorted };
    const nRaw = q.get('n');
    const last = q.get('last');
    let items = last !== null ? sorted.filter((t) => asciiCompare(t, last) > 0) : sorted;
    if (nRaw === null) return { items };
    if (!/^\d+$/.test(nRaw)) return { error: 'n' };
    const n = Number(nRaw);
    if (n === 0) return { items: [] };
    const more = items.length > n;
    items = items.slice(0, n);
    if (!more) return { items };
    const next = new URLSearchParams({ last: items[items.length - 1], n: String(n) });
    return { items, link: `<${linkPath}?${next.toString()}>; rel="next"` };
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, entry: OciRequestLogEntry, q: URLSearchParams): void {
    const method = req.method ?? 'GET';
    const path = entry.path;
    let body: string | undefined;
    const status = 200;
    let headers: Record<string, string> = {};
    let name: string | undefined;

    const fault = matchFault(entry.kind, method, path);
    if (fault) {
      switch (fault.action) {
        case 'reset':
          req.socket.destroy();
          return;
        case 'stall':
          stalled.add(res);
          return;
        case 'status': {
          const st = fault.status ?? 500;
          const h: Record<string, string> = {};
          if (fault.retryAfter !== undefined) h['Retry-After'] = String(fault.retryAfter);
          if (st === 401 && options.auth?.type === 'basic') h['WWW-Authenticate'] = 'Basic realm="Registry Realm"';
          const code = st === 401 ? 'UNAUTHORIZED' : st === 403 ? 'DENIED' : st === 404 ? 'NAME_UNKNOWN' : st === 405 ? 'UNSUPPORTED' : st === 429 ? 'TOOMANYREQUESTS' : 'UNKNOWN';
          return send(res, st, errorBody(code, `injected ${st}`), h);
        }
        case 'redirect': {
          const target = (fault.location ?? '').replace(/\/+$/, '') + path + (entry.query ? `?${entry.query}` : '');
          return send(res, 307, undefined, { Location: target });
        }
        default:
          break; // malformed / wrongType alter the normal answer below
      }
    }

    const m = /^\/v2\/(.+)\/(tags\/list|manifests\/([^/]+)|blobs\/([^/]+))$/.exec(path);
    if (m) name = m[1];

    if (entry.kind === 'token') return serveToken(req, res, q, fault);
    if (entry.kind === 'other') return send(res, 404, errorBody('NOT_FOUND', 'not found'));
    if (!checkAuth(req, res, entry.kind, name)) return;

    const finish = (): void => {
      if (fault && body !== undefined && status === 200) {
        if (fault.action === 'malformed') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
        else if (fault.action === 'wrongType') body = corrupt(body, fault);
        else if (fault.action === 'tamper') body = body.replace(/(\d)(\D*)$/, (_, d: string, rest: string) => String((Number(d) + 1) % 10) + rest);
      }
      send(res, status, body, headers);
    };

    if (entry.kind === 'ping') {
      body = '{}';
      return finish();
    }
    if (entry.kind === 'catalog') {
      if (method !== 'GET') return send(res, 405, errorBody('UNSUPPORTED', 'method not allowed'));
      const r = list([...repos.keys()].filter((n) => repos.get(n)!.tags.size > 0), q, true, '/v2/_catalog');
      if ('error' in r) return send(res, 400, errorBody('PAGINATION_NUMBER_INVALID', 'invalid number of results requested'));
      body = JSON.stringify({ repositories: r.items });
      if (r.link) headers.Link = r.link;
      return finish();
    }
    if (!name || !NAME_RE.test(name)) return send(res, 400, errorBody('NAME_INVALID', 'invalid repository name'));
    const r = repo(name);
    if (!r) return send(res, 404, errorBody('NAME_UNKNOWN', 'repository name not known to registry', { name }));

    if (entry.kind === 'tags') {
      const l = list([...r.tags.keys()], q, options.tagPaging !== false, `/v2/${name}/tags/list`);
      if ('error' in l) return send(res, 400, errorBody('PAGINATION_NUMBER_INVALID', 'invalid number of results requested'));
      body = JSON.stringify({ name, tags: l.items });
      if (l.link) headers.Link = l.link;
      return finish();
    }

    if (entry.kind === 'blob') {
      const digest = decodeURIComponent(m![4]);
      const b = r.blobs.get(digest);
      if (!b) return send(res, 404, errorBody('BLOB_UNKNOWN', 'blob unknown to registry', { digest }));
      body = b.toString('utf8');
      headers = { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': digest };
      return finish();
    }

    // manifests
    const ref = decodeURIComponent(m![3]);
    const isDigest = DIGEST_RE.test(ref);
    if (method === 'DELETE') {
      if (!options.deleteEnabled) return send(res, 405, errorBody('UNSUPPORTED', 'The operation is unsupported.'));
      if (!isDigest) return send(res, 400, errorBody('DIGEST_INVALID', 'provided digest did not match uploaded content'));
      if (!r.manifests.has(ref)) return send(res, 404, errorBody('MANIFEST_UNKNOWN', 'manifest unknown', { digest: ref }));
      r.manifests.delete(ref);
      for (const [t, d] of [...r.tags]) if (d === ref) r.tags.delete(t);
      return send(res, 202, undefined);
    }
    if (method === 'PUT') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const buf = Buffer.concat(chunks);
        let mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim();
        try {
          const parsed = JSON.parse(buf.toString('utf8')) as { mediaType?: string };
          mediaType = mediaType || parsed.mediaType || MEDIA_TYPES.ociManifest;
        } catch {
          return send(res, 400, errorBody('MANIFEST_INVALID', 'manifest invalid'));
        }
        const digest = sha256(buf);
        if (isDigest && ref !== digest) return send(res, 400, errorBody('DIGEST_INVALID', 'provided digest did not match uploaded content'));
        r.manifests.set(digest, { mediaType, body: buf });
        if (!isDigest) {
          if (!TAG_RE.test(ref)) return send(res, 400, errorBody('TAG_INVALID', 'manifest tag did not match URI'));
          r.tags.set(ref, digest);
        }
        send(res, 201, undefined, { Location: `/v2/${name}/manifests/${digest}`, 'Docker-Content-Digest': digest });
      });
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, errorBody('UNSUPPORTED', 'method not allowed'));
    const digest = isDigest ? ref : r.tags.get(ref);
    const man = digest ? r.manifests.get(digest) : undefined;
    if (!digest || !man) return send(res, 404, errorBody('MANIFEST_UNKNOWN', 'manifest unknown', { tag: ref }));
    const accept = (req.headers.accept ?? '')
      .split(',')
      .map((s) => s.split(';')[0].trim())
      .filter(Boolean);
    // Content negotiation as distribution does it: the manifest's media type must be named; no Accept (or only
    // `*/*`) gets no OCI or schema-2 manifest, so a client that forgets Accept sees 404, not the manifest.
    if (!accept.includes(man.mediaType)) {
      return send(res, 404, errorBody('MANIFEST_UNKNOWN', 'manifest unknown (not acceptable)', { tag: ref }));
    }
    body = man.body.toString('utf8');
    headers = { 'Content-Type': man.mediaType };
    if (options.digestHeader !== false && !(options.digestHeader === 'get' && method === 'HEAD')) headers['Docker-Content-Digest'] = digest;
    return finish();
  }

  function kindOf(path: string): OciRequestKind {
    if (path === '/v2/' || path === '/v2') return 'ping';
    if (path === '/v2/_catalog') return 'catalog';
    if (path === '/token') return 'token';
    if (/^\/v2\/.+\/tags\/list$/.test(path)) return 'tags';
    if (/^\/v2\/.+\/manifests\/[^/]+$/.test(path)) return 'manifest';
    if (/^\/v2\/.+\/blobs\/[^/]+$/.test(path)) return 'blob';
    return 'other';
  }

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const entry: OciRequestLogEntry = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: u.search.replace(/^\?/, ''),
      kind: kindOf(u.pathname),
      status: 0,
      auth: authKind(req.headers.authorization),
      authorization: req.headers.authorization,
      at: Date.now(),
    };
    requests.push(entry);
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    let done = false;
    const finished = (): void => {
      if (done) return;
      done = true;
      inFlight--;
    };
    res.on('finish', () => {
      entry.status = res.statusCode;
      finished();
    });
    res.on('close', finished);
    const run = (): void => {
      try {
        handle(req, res, entry, u.searchParams);
      } catch (e) {
        send(res, 500, errorBody('UNKNOWN', e instanceof Error ? e.message : String(e)));
      }
    };
    if (options.delayMs) setTimeout(run, options.delayMs);
    else run();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  const countMatching = (filter?: Parameters<OciServer['count']>[0]): number => {
    if (filter === undefined) return requests.length;
    const f = typeof filter === 'string' ? { kind: filter } : filter;
    return requests.filter(
      (r) =>
        (!f.kind || r.kind === f.kind) &&
        (!f.method || r.method === f.method.toUpperCase()) &&
        (f.status === undefined || r.status === f.status) &&
        (f.path === undefined || (typeof f.path === 'string' ? r.path.includes(f.path) : f.path.test(r.path))),
    ).length;
  };

  return {
    url: baseUrl,
    host: `127.0.0.1:${port}`,
    requests,
    options,
    count: countMatching,
    get peakInFlight() {
      return peakInFlight;
    },
    resetCounters: () => {
      requests.length = 0;
      peakInFlight = inFlight;
    },
    fault: (f) => {
      faults.push({ ...f, left: f.times ?? Number.POSITIVE_INFINITY });
    },
    clearFaults: () => {
      faults = [];
    },
    addImage,
    tag,
    untag: (repository, t) => {
      repo(repository)?.tags.delete(t);
    },
    digestOf: (repository, t) => repo(repository)?.tags.get(t),
    tagsOf: (repository) => [...(repo(repository)?.tags.keys() ?? [])].sort(asciiCompare),
    repositories: () => [...repos.keys()].sort(asciiCompare),
    revokeTokens: () => {
      for (const t of issued) tokenStore.delete(t);
      issued.clear();
    },
    close: async () => {
      for (const t of issued) tokenStore.delete(t);
      for (const r of stalled) r.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
