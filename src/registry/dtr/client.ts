import type * as z from 'zod';
import type { ProviderContext } from '../context';
import { BadResponseError, UnauthorizedError } from '../errors';
import { HttpTransport, isOk, parseJson, statusError, transportFor, type HttpMethod, type HttpResponse } from '../http';
import type { Cursor, Page, PageOptions } from '../provider';

/** DTR pages hold at most this many records; the client always asks for this many (the server's default is 10). */
export const DTR_PAGE_SIZE = 100;
/** A listing longer than this many pages is cut off (a server that never stops would otherwise loop forever). */
export const MAX_PAGES = 10_000;

export type Query = Record<string, string | number | boolean | undefined>;

export interface DtrCall<T> {
  query?: Query;
  json?: unknown;
  schema?: z.ZodType<T>;
  /** What the request is for, in error messages ("the tags of team/app"). */
  what: string;
  signal?: AbortSignal;
}

/**
 * A checked namespace, repository or tag name: non-empty, no `/` (except where a caller joins two checked parts),
 * not `.` or `..`, no control characters. Names come from the tree, the settings and server answers; none of them may
 * reshape a request path.
 */
export function checkSegment(value: string, what: string): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..' || value.includes('/') || hasControl(value)) {
    throw new BadResponseError(`Invalid ${what} "${String(value).slice(0, 80)}"`);
  }
  return value;
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** `team/app` → [`team`, `app`], both checked. DTR repositories always have exactly one namespace. */
export function splitRepository(repository: string): [string, string] {
  const i = repository.indexOf('/');
  if (i <= 0) throw new BadResponseError(`Invalid DTR repository "${repository.slice(0, 80)}": expected namespace/name`);
  return [checkSegment(repository.slice(0, i), 'namespace'), checkSegment(repository.slice(i + 1), 'repository name')];
}

/** A path from segments, each checked and encoded; literal parts start with `:` (`[':repositories', ns, name]`). */
export function apiPath(...parts: string[]): string {
  return (
    '/api/v0/' +
    parts
      .map((p) => (p.startsWith(':') ? p.slice(1) : encodeURIComponent(checkSegment(p, 'path segment'))))
      .join('/')
  );
}

/** The opaque paging cursor: which page this is (to cap runaway listings), DTR's `pageStart`, and the one before. */
interface CursorState {
  n: number;
  start: string;
  prev: string;
}

function encodeCursor(c: CursorState): Cursor {
  return `${c.n}:${encodeURIComponent(c.prev)}:${encodeURIComponent(c.start)}`;
}

function decodeCursor(cursor: Cursor | undefined): CursorState | undefined {
  if (cursor === undefined) return undefined;
  const [count, prev, start, ...rest] = cursor.split(':');
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1 || prev === undefined || !start || rest.length) throw new BadResponseError('Invalid DTR page cursor');
  try {
    return { n, prev: decodeURIComponent(prev), start: decodeURIComponent(start) };
  } catch {
    throw new BadResponseError('Invalid DTR page cursor');
  }
}

/**
 * DTR API client (`/api/v0`): HTTP Basic with the user name and an access token (or password) on every request,
 * zod-checked bodies, typed errors, and DTR's header paging (`pageStart` + `pageSize`; the next start in
 * `X-Next-Page-Start`).
 */
export class DtrClient {
  readonly base: string;
  readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  /** The user name the last request signed in with. */
  private user?: string;

  constructor(
    private readonly ctx: ProviderContext,
    transport?: HttpTransport,
  ) {
    this.base = ctx.connection.url.replace(/\/+$/, '');
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

  url(path: string, query?: Query): string {
    const u = new URL(this.base + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
    return u.toString();
  }

  private async headers(): Promise<Record<string, string>> {
    const h: Record<string, string> = { accept: 'application/json' };
    const c = await this.ctx.credentials();
    const user = c?.username ?? this.ctx.connection.username;
    if (c?.secret && user) {
      this.user = user;
      h.authorization = `Basic ${Buffer.from(`${user}:${c.secret}`).toString('base64')}`;
    }
    return h;
  }

  /** Sends a request; a non-2xx status becomes the typed error for it. */
  async send(method: HttpMethod, path: string, o: Omit<DtrCall<unknown>, 'schema'>): Promise<HttpResponse> {
    const res = await this.transport.request({ method, url: this.url(path, o.query), headers: await this.headers(), json: o.json, signal: o.signal });
    if (!isOk(res)) {
      const err = statusError(res, o.what, method);
      if (res.status === 401) {
        const hint = (await this.hasCredentials()) ? 'DTR rejected the user name and token; sign in again' : 'DTR requires signing in (user name and access token)';
        throw new UnauthorizedError(`${o.what}: ${hint}`, { request: err.request, cause: err });
      }
      throw err;
    }
    return res;
  }

  /** Sends a request and parses the body with the schema (no schema: the body is ignored). */
  async call<T>(method: HttpMethod, path: string, o: DtrCall<T>): Promise<T> {
    const res = await this.send(method, path, o);
    if (!o.schema) return undefined as T;
    return parseJson(res, o.schema, o.what);
  }

  get<T>(path: string, schema: z.ZodType<T>, what: string, signal?: AbortSignal, query?: Query): Promise<T> {
    return this.call('GET', path, { schema, what, signal, query });
  }

  /**
   * One page of a header-paged listing. The cursor is opaque to callers; a next start equal to the one just asked
   * for or the one before (a server that repeats itself), or more than MAX_PAGES pages, end the listing.
   */
  async page<R, T>(path: string, schema: z.ZodType<R>, items: (body: R) => T[], what: string, cursor: Cursor | undefined, opts: PageOptions & { query?: Query } = {}): Promise<Page<T>> {
    const state = decodeCursor(cursor);
    const pageSize = Math.max(1, Math.min(DTR_PAGE_SIZE, Math.floor(opts.pageSize ?? DTR_PAGE_SIZE)));
    const res = await this.send('GET', path, { query: { ...opts.query, pageStart: state?.start, pageSize }, what, signal: opts.signal });
    const body = parseJson(res, schema, what);
    const page: Page<T> = { items: items(body) };
    const next = res.header('x-next-page-start')?.trim();
    const n = (state?.n ?? 0) + 1;
    // A next start equal to this page's or the previous page's is a server going round in circles: the list ends.
    if (next && next !== state?.start && next !== state?.prev && n < MAX_PAGES) page.next = encodeCursor({ n, start: next, prev: state?.start ?? '' });
    return page;
  }

  /** Every item of a paged listing, for small lists (policies, teams); stops on a repeated cursor. */
  async all<R, T>(path: string, schema: z.ZodType<R>, items: (body: R) => T[], what: string, signal?: AbortSignal, query?: Query): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let cursor: Cursor | undefined;
    do {
      const p = await this.page(path, schema, items, what, cursor, { signal, query });
      out.push(...p.items);
      cursor = p.next;
      if (cursor !== undefined) {
        const start = decodeCursor(cursor)!.start;
        if (seen.has(start)) break;
        seen.add(start);
      }
    } while (cursor !== undefined);
    return out;
  }

  dispose(): void {
    if (this.ownsTransport) this.transport.dispose();
  }
}
