import type * as z from 'zod';
import { basicAuthorization } from '../auth/basic';
import type { ProviderContext } from '../context';
import { requireVerifiableDigest } from '../digest';
import { BadResponseError, ForbiddenError, UnauthorizedError } from '../errors';
import { BODY_LIMITS, type HttpMethod, type HttpResponse, type HttpTransport, isOk, parseJson, serverMessage, statusError } from '../http';
import { nextLink } from '../distribution';
import { checkPathSegments, checkRepositoryName, checkTagName, pathSegment } from '../names';
import { MAX_LIST_PAGES, PagingGuard, capPage } from '../paging';
import type { Cursor, Page } from '../provider';
import { redact } from '../redact';
import { apiUrl, checkRegistryUrl } from '../urls';

/** Harbor's `page_size` maximum (the document's `pageSize` parameter). */
export const HARBOR_PAGE = 100;

export type Query = Record<string, string | number | boolean | undefined>;

export interface HarborCall {
  method: HttpMethod;
  /** Path under `/api/v2.0`, already encoded (build it with `projectPath`, `repositoryPath`, `artifactPath`). */
  path: string;
  query?: Query;
  json?: unknown;
  /** The media types asked for (default `application/json`). */
  accept?: string;
  headers?: Record<string, string>;
  /** What is asked for, for error messages ("the artifacts of team/app"). */
  what: string;
  /** The Harbor permission it needs, named in the message of a 403 ("pull on the project"). */
  needs?: string;
  signal?: AbortSignal;
}

/** `team-a/app/web` → [`team-a`, `app/web`]: the project, then the repository name inside it. */
export function splitRepository(repository: string): [string, string] {
  checkRepositoryName(repository);
  const i = repository.indexOf('/');
  if (i <= 0) throw new BadResponseError(`Invalid Harbor repository "${repository.slice(0, 100)}": expected project/name`);
  return [repository.slice(0, i), repository.slice(i + 1)];
}

/** `/projects/{project_name}`. */
export function projectPath(project: string): string {
  return '/projects/' + pathSegment(project, 'project name');
}

/**
 * `/projects/{project}/repositories/{repository_name}`: the name inside the project URL-encoded twice, as the
 * document says (`a/b` → `a%2Fb` → `a%252Fb`), so that a slash in it never splits the path.
 */
export function repositoryPath(repository: string): string {
  const [project, name] = splitRepository(repository);
  return `${projectPath(project)}/repositories/${encodeURIComponent(encodeURIComponent(name))}`;
}

/** A tag (Distribution grammar) or a digest (sha256 / sha512). */
export function checkReference(ref: string): string {
  return ref.includes(':') ? requireVerifiableDigest(ref, 'The artifact digest') : checkTagName(ref);
}

/** `…/artifacts/{reference}`. */
export function artifactPath(repository: string, reference: string): string {
  return `${repositoryPath(repository)}/artifacts/${encodeURIComponent(checkReference(reference))}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Whether a user name is a Harbor robot account (`robot$project+name` or `robot$name`; the prefix is configurable). */
export function isRobot(username: string | undefined): boolean {
  return !!username && /^[a-z0-9_-]*\$/i.test(username);
}

/**
 * Client of Harbor's `/api/v2.0` for one configured registry: HTTP Basic with a user and password, a robot account
 * and its secret, or an OIDC user's CLI secret on every request; zod-checked bodies; typed errors; page-number paging
 * (`page` / `page_size`, `X-Total-Count`, `Link: <…>; rel="next"`).
 */
export class HarborClient {
  readonly base: string;

  constructor(
    private readonly ctx: ProviderContext,
    readonly transport: HttpTransport,
  ) {
    this.base = checkRegistryUrl(ctx.connection.url);
  }

  url(path: string, query?: Query): URL {
    checkPathSegments(path);
    const q: Record<string, string | undefined> = {};
    for (const k in query ?? {}) q[k] = query![k] === undefined ? undefined : String(query![k]);
    return apiUrl(this.base, '/api/v2.0' + path, q);
  }

  /** The user name and secret in use (the settings' `username` when the secret store has none). */
  async login(): Promise<{ username?: string; secret?: string }> {
    const c = await this.ctx.credentials();
    return { username: c?.username ?? this.ctx.connection.username, secret: c?.secret || undefined };
  }

  async signedIn(): Promise<boolean> {
    const l = await this.login();
    return !!(l.username && l.secret);
  }

  async send(call: HarborCall): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: call.accept ?? 'application/json', ...call.headers };
    const { username, secret } = await this.login();
    if (username && secret) headers.authorization = basicAuthorization(username, secret);
    const res = await this.transport.request({ method: call.method, url: this.url(call.path, call.query), headers, json: call.json, signal: call.signal, maxBodyBytes: BODY_LIMITS.json });
    if (!isOk(res)) throw this.error(res, call, username, !!secret);
    return res;
  }

  async json<T>(call: HarborCall, schema: z.ZodType<T>): Promise<T> {
    return parseJson(await this.send(call), schema, capital(call.what));
  }

  /** `send` for calls whose answer has no body worth reading (DELETE). */
  async call(call: HarborCall): Promise<void> {
    await this.send(call);
  }

  private error(res: HttpResponse, call: HarborCall, username: string | undefined, hadSecret: boolean): Error {
    const what = capital(call.what);
    const opts = { status: res.status, request: `${call.method} ${redact(res.url)}` };
    const said = serverMessage(res);
    const detail = said ? `: ${redact(said)}` : '';
    if (res.status === 401) {
      if (!hadSecret) return new UnauthorizedError(`${what}: Harbor requires signing in (a user and password, a robot account and its secret, or an OIDC CLI secret) (401)${detail}`, opts);
      const who = isRobot(username)
        ? `the robot account ${username} and its secret (expired, disabled or refreshed robots are refused)`
        : `the user name and password (OIDC users sign in with their CLI secret, not their password)`;
      return new UnauthorizedError(`${what}: Harbor rejected ${who} (401)${detail}`, opts);
    }
    if (res.status === 403) {
      const need = call.needs ? `. This needs ${call.needs}` : '';
      const robot = isRobot(username) && call.needs ? ' (a robot account needs that permission in its permission list)' : '';
      return new ForbiddenError(`${what}: Harbor refused it (403)${detail}${need}${robot}`, opts);
    }
    return statusError(res, what, call.method);
  }

  /**
   * One page of a page-numbered listing; the cursor is the next page number. A next page comes from the `Link`
   * header's `rel="next"` (its `page` parameter), else from `X-Total-Count` when the page was full.
   */
  async page<T>(call: Omit<HarborCall, 'method'>, schema: z.ZodType<T[]>, cursor: Cursor | undefined, pageSize?: number): Promise<Page<T>> {
    const page = pageNumber(cursor);
    const size = Math.max(1, Math.min(HARBOR_PAGE, Math.floor(pageSize ?? HARBOR_PAGE)));
    const res = await this.send({ ...call, method: 'GET', query: { ...call.query, page, page_size: size } });
    const items = parseJson(res, schema, capital(call.what));
    const capped = capPage({ items }, capital(call.what));
    if (capped.error) return capped;
    const next = nextPage(res, page, size, items.length, capital(call.what));
    if (next instanceof BadResponseError) return { items, error: next };
    if (next === undefined) return { items };
    const guard = new PagingGuard(capital(call.what));
    guard.request(cursor);
    const stop = guard.check(String(next));
    return stop ? { items, error: stop } : { items, next: String(next) };
  }
}

/** The page number a cursor stands for (1 when absent). */
export function pageNumber(cursor: string | undefined): number {
  if (cursor === undefined) return 1;
  const n = Number(cursor);
  if (!/^\d+$/.test(cursor) || n < 1 || n > MAX_LIST_PAGES) throw new BadResponseError('Invalid page cursor');
  return n;
}

/** The next page number, undefined on the last page, or an error when the server's paging cannot be followed. */
function nextPage(res: HttpResponse, page: number, size: number, received: number, what: string): number | undefined | BadResponseError {
  const link = nextLink(res.header('link'));
  if (link !== undefined) {
    let n: number;
    try {
      n = Number(new URL(link, 'http://harbor.invalid').searchParams.get('page'));
    } catch {
      return new BadResponseError(`${what}: the registry sent a next-page link that is not a URL; the list stops here`);
    }
    if (!Number.isInteger(n) || n <= page) return new BadResponseError(`${what}: the registry sent a next-page link that does not go forward (page ${page} → ${String(n)}); the list stops here`);
    return received ? n : undefined;
  }
  const total = Number(res.header('x-total-count'));
  if (res.header('x-total-count') !== undefined && Number.isSafeInteger(total) && total > page * size && received === size) return page + 1;
  return undefined;
}
