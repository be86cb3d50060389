import type * as z from 'zod';
import type { ProviderContext } from '../context';
import { BadResponseError, UnauthorizedError } from '../errors';
import { basicAuthorization } from '../auth/basic';
import { requireVerifiableDigest } from '../digest';
import { BODY_LIMITS, HttpTransport, isOk, parseJson, statusError, transportFor, type HttpMethod, type HttpResponse } from '../http';
import { checkPathSegments, checkRepositoryName, checkTagName, pathSegment } from '../names';
import { PagingGuard, capPage, collectAll } from '../paging';
import type { Cursor, Page, PageOptions } from '../provider';
import { apiUrl, checkRegistryUrl } from '../urls';

/** DTR pages hold at most this many records; the client always asks for this many (the server's default is 10). */
export const DTR_PAGE_SIZE = 100;

export type Query = Record<string, string | number | boolean | undefined>;

export interface DtrCall<T> {
  query?: Query;
  json?: unknown;
  schema?: z.ZodType<T>;
  /** What the request is for, in error messages ("the tags of team/app"). */
  what: string;
  /** The media type asked for (default `application/json`). */
  accept?: string;
  signal?: AbortSignal;
}

/**
 * A checked path value (a namespace, a team, an id): the shared `pathSegment` rule (non-empty, no slash, not `.` or
 * `..`) plus no control characters. Returned as given; `apiPath` encodes it.
 */
export function checkSegment(value: string, what: string): string {
  if (typeof value !== 'string' || hasControl(value)) throw new BadResponseError(`Invalid ${what} "${String(value).slice(0, 80)}"`);
  pathSegment(value, what);
  return value;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * `team/app` → [`team`, `app`]. DTR repositories always have exactly one namespace, and both parts follow the
 * Distribution grammar (`checkRepositoryName`).
 */
export function splitRepository(repository: string): [string, string] {
  const i = repository.indexOf('/');
  if (i <= 0 || repository.indexOf('/', i + 1) !== -1) throw new BadResponseError(`Invalid DTR repository "${repository.slice(0, 80)}": expected namespace/name`);
  checkRepositoryName(repository);
  return [repository.slice(0, i), repository.slice(i + 1)];
}

/** A tag (Distribution tag grammar) or a digest DTR names a manifest by (sha256 / sha512 only). */
export function checkReference(ref: string): string {
  return ref.includes(':') ? requireVerifiableDigest(ref, 'The manifest') : checkTagName(ref);
}

/** A path from segments, each checked and encoded; literal parts start with `:` (`[':repositories', ns, name]`). */
export function apiPath(...parts: string[]): string {
  return '/api/v0/' + parts.map((p) => (p.startsWith(':') ? p.slice(1) : pathSegment(checkSegment(p, 'path segment'), 'path segment'))).join('/');
}

/**
 * DTR API client (`/api/v0`): HTTP Basic with the user name and an access token (or password) on every request,
 * zod-checked bodies, typed errors, and DTR's header paging (`pageStart` + `pageSize`; the next start in
 * `X-Next-Page-Start`).
 */
export class DtrClient {
  readonly base: string;
  /** The host (and port) tags are pushed to: DTR's `domain` parameter, which Notary data needs. */
  readonly domain: string;
  readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  /** The user name the last request signed in with. */
  private user?: string;

  constructor(
    private readonly ctx: ProviderContext,
    transport?: HttpTransport,
  ) {
    this.base = checkRegistryUrl(ctx.connection.url);
    this.domain = new URL(this.base).host;
    this.transport = transport ?? transportFor(ctx);
    this.ownsTransport = !transport;
  }

  /** The user name the credentials carry (settings `username` when the secret store has none). */
  async username(): Promise<string | undefined> {
    const c = await this.ctx.credentials();
    return c?.username ?? this.ctx.connection.username ?? this.user;
  }

  async hasCredentials(): Promise<boolean> {
    return !!(await this.ctx.credentials())?.secret;
  }

  /** The request URL; a query value `''` is sent empty (`query=`), as parameters the document requires must be. */
  url(path: string, query?: Query): URL {
    checkPathSegments(path);
    let q: Record<string, string | undefined> | undefined;
    const empty: string[] = [];
    if (query) {
      q = {};
      for (const k in query) {
        const v = query[k];
        if (v === '') empty.push(k);
        q[k] = v === undefined ? undefined : String(v);
      }
    }
    const u = apiUrl(this.base, path, q);
    if (empty.length) u.search = [u.search.slice(1), ...empty.map((k) => `${encodeURIComponent(k)}=`)].filter(Boolean).join('&');
    return u;
  }

  private async headers(): Promise<Record<string, string>> {
    const h: Record<string, string> = { accept: 'application/json' };
    const c = await this.ctx.credentials();
    const user = c?.username ?? this.ctx.connection.username;
    if (c?.secret && user) {
      this.user = user;
      h.authorization = basicAuthorization(user, c.secret);
    }
    return h;
  }

  /** Sends a request; a non-2xx status becomes the typed error for it. */
  async send(method: HttpMethod, path: string, o: Omit<DtrCall<unknown>, 'schema'>): Promise<HttpResponse> {
    const headers = await this.headers();
    if (o.accept) headers.accept = o.accept;
    const res = await this.transport.request({ method, url: this.url(path, o.query), headers, json: o.json, signal: o.signal, maxBodyBytes: BODY_LIMITS.json });
    if (!isOk(res)) {
      const err = statusError(res, capital(o.what), method);
      if (res.status === 401) {
        const hint = (await this.hasCredentials()) ? 'DTR rejected the user name and token; sign in again' : 'DTR requires signing in (user name and access token)';
        throw new UnauthorizedError(`${capital(o.what)}: ${hint}`, { request: err.request, cause: err });
      }
      throw err;
    }
    return res;
  }

  /** Sends a request and parses the body with the schema (no schema: the body is ignored). */
  async call<T>(method: HttpMethod, path: string, o: DtrCall<T>): Promise<T> {
    const res = await this.send(method, path, o);
    if (!o.schema) return undefined as T;
    return parseJson(res, o.schema, capital(o.what));
  }

  get<T>(path: string, schema: z.ZodType<T>, what: string, signal?: AbortSignal, query?: Query): Promise<T> {
    return this.call('GET', path, { schema, what, signal, query });
  }

  /**
   * One page of a header-paged listing; the cursor is DTR's next start (`X-Next-Page-Start`) as sent. A next start
   * equal to the one just asked for ends the list with an error after this page's items; longer loops (A → B → A)
   * and runaway lists are stopped by the caller's PagingGuard (the tree's list, `collectAll`).
   */
  async page<R, T>(path: string, schema: z.ZodType<R>, items: (body: R) => T[], what: string, cursor: Cursor | undefined, opts: PageOptions & { query?: Query } = {}): Promise<Page<T>> {
    const pageSize = Math.max(1, Math.min(DTR_PAGE_SIZE, Math.floor(opts.pageSize ?? DTR_PAGE_SIZE)));
    const res = await this.send('GET', path, { query: { ...opts.query, pageStart: cursor, pageSize }, what, signal: opts.signal });
    const page: Page<T> = capPage({ items: items(parseJson(res, schema, capital(what))) }, capital(what));
    if (page.error) return page;
    const next = res.header('x-next-page-start')?.trim();
    if (!next) return page;
    const guard = new PagingGuard(capital(what));
    guard.request(cursor);
    const stop = guard.check(next);
    return stop ? { items: page.items, error: stop } : { items: page.items, next };
  }

  /** Every item of a paged listing, for small lists (policies, teams), under the shared paging limits. */
  all<R, T>(path: string, schema: z.ZodType<R>, items: (body: R) => T[], what: string, signal?: AbortSignal, query?: Query): Promise<T[]> {
    return collectAll((cursor) => this.page(path, schema, items, what, cursor, { signal, query }), capital(what));
  }

  dispose(): void {
    if (this.ownsTransport) this.transport.dispose();
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
