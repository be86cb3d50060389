import type { ZodType } from 'zod';
import type { ProviderContext } from '../context';
import { BadResponseError, ForbiddenError, UnauthorizedError, isRegistryError } from '../errors';
import { BODY_LIMITS, type HttpMethod, type HttpResponse, type HttpTransport, isOk, parseJson, serverMessage, statusError } from '../http';
import { checkPathSegments, pathSegment } from '../names';
import { MAX_LIST_PAGES, PagingGuard } from '../paging';
import type { Page } from '../provider';
import { apiUrl, checkRegistryUrl } from '../urls';
import { pinSecret, redact, unpinSecret } from '../redact';
import * as s from './schemas';

export { isoFromSeconds, parseQuayTime } from './time';

/** OAuth scopes of Quay's API (`securitySchemes.oauth2_implicit` of its discovery document). */
export type QuayScope = 'repo:read' | 'repo:write' | 'repo:admin' | 'repo:create' | 'org:admin' | 'user:read' | 'user:admin' | 'super:user';

export interface QuayCall {
  method: HttpMethod;
  /** Path under `/api/v1`, already encoded (build it with `repoPath`, `seg`). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  /** The scope the operation needs; named in the message of a 403. */
  scope: QuayScope;
  /** What is asked for, for error messages ("the tags of acme/app"). */
  what: string;
  signal?: AbortSignal;
}

/** Endpoints (discovery path templates) that tell whether a server has a feature; they vary by version and config. */
export const FEATURE_PATHS = {
  mirror: '/api/v1/repository/{repository}/mirror',
  security: '/api/v1/repository/{repository}/manifest/{manifestref}/security',
  repoAutoPrune: '/api/v1/repository/{repository}/autoprunepolicy/',
  orgAutoPrune: '/api/v1/organization/{orgname}/autoprunepolicy/',
  repoImmutability: '/api/v1/repository/{repository}/immutabilitypolicy/',
  orgImmutability: '/api/v1/organization/{orgname}/immutabilitypolicy/',
  quota: '/api/v1/organization/{orgname}/quota',
  proxyCache: '/api/v1/organization/{orgname}/proxycache',
  proxyCacheValidate: '/api/v1/organization/{orgname}/validateproxycache',
  changeState: '/api/v1/repository/{repository}/changestate',
  appTokens: '/api/v1/user/apptoken',
  labels: '/api/v1/repository/{repository}/manifest/{manifestref}/labels',
  repoLogs: '/api/v1/repository/{repository}/logs',
  orgLogs: '/api/v1/organization/{orgname}/logs',
  notifications: '/api/v1/repository/{repository}/notification/',
  robots: '/api/v1/organization/{orgname}/robots',
} as const;
export type QuayFeature = keyof typeof FEATURE_PATHS;

const DISCOVERY_RETRY_MS = 60_000;

/** What the discovery document says: its path templates, and the properties of each request body schema. */
interface Discovered {
  paths: Set<string>;
  properties: Map<string, Set<string>>;
}

/** Largest page of repositories Quay sends (REPOS_PER_PAGE); tags take `limit` up to this. */
export const QUAY_PAGE = 100;
/**
 * One path segment, encoded: the shared `pathSegment` rule (no empty, `.`, `..` or slash), and no white space, which
 * no Quay name (namespace, repository, robot, team, id) has.
 */
export function seg(value: string, what = 'name'): string {
  if (/\s/.test(value)) throw new BadResponseError(`Invalid ${what} "${value.slice(0, 100)}"`);
  return pathSegment(value, what);
}

/**
 * `/repository/{namespace}/{name}`: Quay's `{repository}` parameter is `namespace/name` with a literal `/` (the
 * OpenAPI cannot say so, and `%2F` does not route). Each segment is encoded, never the slash.
 */
export function repoPath(repository: string): string {
  const parts = repository.split('/');
  if (parts.length < 2) throw new BadResponseError(`Invalid repository "${repository.slice(0, 100)}": expected namespace/name`);
  return '/repository/' + parts.map((p) => seg(p, 'repository name')).join('/');
}

/** `namespace/name` → [namespace, name]. */
export function splitRepository(repository: string): [string, string] {
  const i = repository.indexOf('/');
  if (i <= 0) throw new BadResponseError(`Invalid repository "${repository.slice(0, 100)}": expected namespace/name`);
  return [repository.slice(0, i), repository.slice(i + 1)];
}

/**
 * Client of Quay's `/api/v1` for one configured registry: Bearer auth with the OAuth access token, typed errors
 * (a 403 names the scope the operation needs), discovery-based feature detection.
 */
export class QuayClient {
  readonly origin: string;
  private discovered?: Promise<Discovered | undefined>;
  private retryDiscoveryAt?: number;
  private registered?: string;

  constructor(
    private readonly ctx: ProviderContext,
    readonly transport: HttpTransport,
  ) {
    this.origin = new URL(checkRegistryUrl(ctx.connection.url)).origin;
  }

  /** The absolute URL of an `/api/v1` path with its query. */
  url(path: string, query?: QuayCall['query']): URL {
    checkPathSegments(path);
    const u = apiUrl(this.origin, '/api/v1' + path);
    // Every parameter as given (an empty string too: Quay reads `?q=` as "no filter").
    if (query) {
      const params = new URLSearchParams();
      for (const k in query) if (query[k] !== undefined) params.append(k, String(query[k]));
      // Set once: each change through u.searchParams serialises the whole URL again.
      if (params.size) u.search = params.toString();
    }
    return u;
  }

  private async token(): Promise<string | undefined> {
    const secret = (await this.ctx.credentials('api'))?.secret || undefined;
    // The token in use is pinned for redaction (never dropped, however many robot tokens a list registers); the one
    // it replaces is unpinned.
    if (secret && secret !== this.registered) {
      unpinSecret(this.registered);
      pinSecret(secret);
      this.registered = secret;
    }
    return secret;
  }

  /** Whether an API token is configured. */
  async signedIn(): Promise<boolean> {
    return !!(await this.token());
  }

  /** Sends a call; any non-2xx answer becomes a typed error. */
  async send(call: QuayCall): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = await this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await this.transport.request({ method: call.method, url: this.url(call.path, call.query), headers, json: call.json, signal: call.signal, maxBodyBytes: BODY_LIMITS.json });
    if (!isOk(res)) throw this.error(res, call, !!token);
    return res;
  }

  /** `send`, then parse the JSON body with `schema`. */
  async json<T>(call: QuayCall, schema: ZodType<T>): Promise<T> {
    const res = await this.send(call);
    return parseJson(res, schema, capital(call.what));
  }

  private error(res: HttpResponse, call: QuayCall, hadToken: boolean): Error {
    const what = capital(call.what);
    const opts = { status: res.status, request: `${call.method} ${redact(res.url)}` };
    const said = serverMessage(res);
    const detail = said ? `: ${redact(said)}` : '';
    if (res.status === 401) {
      return new UnauthorizedError(
        hadToken ? `${what}: Quay rejected the OAuth token (401)${detail}` : `${what}: sign in with a Quay OAuth access token (401)${detail}`,
        opts,
      );
    }
    if (res.status === 403) {
      // Quay answers a token without the scope and a user without the permission alike (insufficient_scope).
      const title = errorTitle(res);
      return new ForbiddenError(
        `${what}: Quay refused it (403${title ? ` ${title}` : ''})${detail}. This needs the "${call.scope}" scope on the OAuth token ` +
          `(Organization → Applications → Generate Token) and the matching permission for its user`,
        opts,
      );
    }
    return statusError(res, what, call.method);
  }

  /** Endpoint templates of this server (`GET /api/v1/discovery`), fetched once; undefined when it cannot be read. */
  private endpoints(signal?: AbortSignal): Promise<Discovered | undefined> {
    if (this.retryDiscoveryAt !== undefined && Date.now() >= this.retryDiscoveryAt) {
      this.retryDiscoveryAt = undefined;
      this.discovered = undefined;
    }
    this.discovered ??= (async () => {
      try {
        const doc = await this.json({ method: 'GET', path: '/discovery', scope: 'repo:read', what: 'the API discovery document', signal }, s.discovery);
        const schemas = doc.definitions ?? doc.components?.schemas ?? {};
        return { paths: new Set(Object.keys(doc.paths)), properties: new Map(Object.entries(schemas).map(([k, v]) => [k, new Set(Object.keys(v.properties ?? {}))])) };
      } catch (e) {
        if (isRegistryError(e) && e.kind === 'cancelled') {
          this.discovered = undefined;
          throw e;
        }
        // Asked again after a minute, not on every availability check in between.
        this.retryDiscoveryAt = Date.now() + DISCOVERY_RETRY_MS;
        this.ctx.logger.warn(`Quay discovery failed; features are assumed present: ${(e as Error).message}`);
        return undefined;
      }
    })();
    return this.discovered;
  }

  /** Whether the server has a feature, from its discovery document; assumed present when discovery fails. */
  async has(feature: QuayFeature, signal?: AbortSignal): Promise<boolean> {
    try {
      const found = await this.endpoints(signal);
      return found ? found.paths.has(FEATURE_PATHS[feature]) : true;
    } catch {
      return true;
    }
  }

  /**
   * Whether a request body schema of the discovery document (`UpdateOrg`) declares a property: false only when the
   * schema is there without it (an older Quay ignores the key); true when discovery or the schema is unavailable.
   */
  async accepts(schema: string, property: string, signal?: AbortSignal): Promise<boolean> {
    try {
      const props = (await this.endpoints(signal))?.properties.get(schema);
      return props ? props.has(property) : true;
    } catch {
      return true;
    }
  }

  /** Forgets the discovery document (credential change). */
  reset(): void {
    this.discovered = undefined;
    this.retryDiscoveryAt = undefined;
  }

  /** GET without credentials (health endpoints live outside `/api/v1`). */
  async unauthenticated(path: string, signal?: AbortSignal): Promise<HttpResponse> {
    checkPathSegments(path);
    return this.transport.request({ method: 'GET', url: apiUrl(this.origin, path).toString(), headers: { accept: 'application/json' }, signal, maxBodyBytes: BODY_LIMITS.json });
  }
}

function errorTitle(res: HttpResponse): string | undefined {
  try {
    const r = s.apiError.safeParse(JSON.parse(res.text()));
    if (!r.success) return undefined;
    return r.data.title ?? r.data.error_type ?? undefined;
  } catch {
    return undefined;
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A page of a listing paged by opaque `next_page` tokens (repositories, logs); the cursor is the token as Quay sent
 * it. A token equal to the one just sent ends the list with the shared paging error after this page's items;
 * longer loops and runaway lists are stopped by the caller's PagingGuard (the tree's list, `collectAll`).
 */
export function tokenPage<T>(items: T[], sent: string | undefined, received: string | null | undefined, what: string): Page<T> {
  if (!received) return { items };
  const guard = new PagingGuard(capital(what));
  guard.request(sent);
  const stop = guard.check(received);
  return stop ? { items, error: stop } : { items, next: received };
}

/** Page-number paging (tags): the cursor is the next page number, at most MAX_LIST_PAGES. */
export function pageNumber(cursor: string | undefined): number {
  if (cursor === undefined) return 1;
  const n = Number(cursor);
  if (!/^\d+$/.test(cursor) || !Number.isInteger(n) || n < 1 || n > MAX_LIST_PAGES) throw new BadResponseError('Invalid page cursor');
  return n;
}
