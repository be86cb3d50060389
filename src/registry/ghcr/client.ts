import type * as z from 'zod';
import type { Credentials, ProviderContext } from '../context';
import { BadResponseError, ForbiddenError, NotFoundError, RateLimitedError, UnauthorizedError } from '../errors';
import { BODY_LIMITS, type HttpMethod, type HttpResponse, type HttpTransport, isOk, parseJson, serverMessage, statusError } from '../http';
import { nextLink } from '../distribution';
import { MAX_LIST_PAGES, capPage } from '../paging';
import type { Cursor, Page } from '../provider';
import { redact } from '../redact';
import { apiUrl } from '../urls';
import { apiBase } from './urls';

/** GitHub's `per_page` maximum. */
export const GITHUB_PAGE = 100;
/** The REST API version every request names. */
export const API_VERSION = '2022-11-28';
/** What reading needs; what deleting needs on top; what restoring needs on top. */
export const READ_SCOPES = ['read:packages'] as const;
export const DELETE_SCOPES = ['delete:packages'] as const;
export const WRITE_SCOPES = ['write:packages'] as const;

export interface GitHubCall {
  method: HttpMethod;
  /** Path under the API base, already encoded (segments from `ownerSegment`, `packageSegment`). */
  path: string;
  query?: Record<string, string | number | undefined>;
  /** What is asked for, for error messages ("the packages of octo-org"). */
  what: string;
  /** Credentials with more scopes (a delete or a restore); default the entry's own. */
  credentials?: Credentials;
  signal?: AbortSignal;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Client of GitHub's REST API (api.github.com, or `<url>/api/v3` on GitHub Enterprise Server) for one configured
 * entry: the token (a personal access token, or the session of the editor's GitHub account) as a Bearer token,
 * `X-GitHub-Api-Version`, zod-checked bodies, typed errors that name a missing OAuth scope, page-number paging
 * (`per_page` ≤ 100, `page`, `Link: <…>; rel="next"`).
 */
export class GitHubClient {
  readonly base: string;

  constructor(
    private readonly ctx: ProviderContext,
    readonly transport: HttpTransport,
  ) {
    this.base = apiBase(ctx.connection.url);
  }

  async send(call: GitHubCall): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'x-github-api-version': API_VERSION };
    const creds = call.credentials ?? (await this.ctx.credentials());
    const secret = creds?.secret || undefined;
    if (secret) headers.authorization = `Bearer ${secret}`;
    const url = apiUrl(this.base, call.path, call.query);
    const res = await this.transport.request({ method: call.method, url, headers, signal: call.signal, maxBodyBytes: BODY_LIMITS.json });
    if (!isOk(res)) throw gitHubError(res, capital(call.what), call.method, !!secret);
    return res;
  }

  async json<T>(call: Omit<GitHubCall, 'method'>, schema: z.ZodType<T>): Promise<T> {
    return parseJson(await this.send({ ...call, method: 'GET' }), schema, capital(call.what));
  }

  /** One page of a listing; the cursor is the next page number, taken from the `Link` header's `rel="next"`. */
  async page<T>(call: Omit<GitHubCall, 'method'> & { unpaged?: boolean }, schema: z.ZodType<T[]>, cursor: Cursor | undefined, pageSize?: number): Promise<Page<T>> {
    const page = pageNumber(cursor);
    const size = Math.max(1, Math.min(GITHUB_PAGE, Math.floor(pageSize ?? GITHUB_PAGE)));
    // An operation documented without `per_page` / `page` gets neither; a later page only when GitHub linked to one.
    const paging = call.unpaged ? (page > 1 ? { page } : {}) : { per_page: size, page };
    const res = await this.send({ ...call, method: 'GET', query: { ...call.query, ...paging } });
    const what = capital(call.what);
    const items = parseJson(res, schema, what);
    const capped = capPage({ items }, what);
    if (capped.error) return capped;
    const next = nextPage(res.header('link'), page, what);
    if (next instanceof BadResponseError) return { items, error: next };
    if (next === undefined || !items.length) return { items };
    return { items, next: String(next) };
  }
}

/** The page number a cursor stands for (1 when absent). */
export function pageNumber(cursor: string | undefined): number {
  if (cursor === undefined) return 1;
  const n = Number(cursor);
  if (!/^\d+$/.test(cursor) || n < 1 || n > MAX_LIST_PAGES) throw new BadResponseError('Invalid page cursor');
  return n;
}

/** The next page number from a `Link` header, undefined on the last page, an error when it does not go forward. */
function nextPage(link: string | undefined, page: number, what: string): number | undefined | BadResponseError {
  const next = nextLink(link);
  if (next === undefined) return undefined;
  let n: number;
  try {
    n = Number(new URL(next, 'https://api.github.invalid').searchParams.get('page'));
  } catch {
    return new BadResponseError(`${what}: GitHub sent a next-page link that is not a URL; the list stops here`);
  }
  if (!Number.isInteger(n) || n <= page || n > MAX_LIST_PAGES) return new BadResponseError(`${what}: GitHub sent a next-page link that does not go forward (page ${page} → ${String(n)}); the list stops here`);
  return n;
}

/** Scope lists of GitHub's headers (`X-Accepted-OAuth-Scopes`, `X-OAuth-Scopes`): comma-separated names. */
export function scopeList(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^[a-z:_]{1,40}$/.test(s));
}

/** A typed error for GitHub's answer: sign-in, a missing scope (named), a rate limit, or what GitHub said. */
export function gitHubError(res: HttpResponse, what: string, method: string, hadToken: boolean): Error {
  const said = serverMessage(res);
  const detail = said ? `: ${redact(said).slice(0, 300).replace(/\.+$/, '')}` : '';
  const opts = { status: res.status, request: `${method} ${redact(res.url)}` };
  if (res.status === 401) {
    return new UnauthorizedError(hadToken ? `${what}: GitHub rejected the token (401)${detail}; sign in again` : `${what}: GitHub requires signing in (401)${detail}`, opts);
  }
  if (res.status === 403 || res.status === 429) {
    if (res.header('x-ratelimit-remaining') === '0' || res.status === 429) {
      const reset = Number(res.header('x-ratelimit-reset'));
      const wait = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined;
      return new RateLimitedError(`${what}: GitHub's rate limit is used up (${res.status})${wait !== undefined ? `; it resets in ${Math.ceil(wait / 60_000)} min` : ''}`, { ...opts, retryAfterMs: wait });
    }
    const accepted = scopeList(res.header('x-accepted-oauth-scopes'));
    const has = scopeList(res.header('x-oauth-scopes'));
    const missing = accepted.filter((s) => !has.includes(s));
    const which = missing.length === 1 ? `the scope ${missing[0]}` : `one of the scopes ${missing.join(', ')}`;
    const need = missing.length ? `. This needs ${which}${res.header('x-oauth-scopes') !== undefined ? ` (the token has ${has.join(', ') || 'none'})` : ''}` : '';
    return new ForbiddenError(`${what}: GitHub refused it (403)${detail}${need}`, opts);
  }
  if (res.status === 404) return new NotFoundError(`${what}: not found, or not visible to this account (404)${detail}`, opts);
  return statusError(res, what, method);
}
