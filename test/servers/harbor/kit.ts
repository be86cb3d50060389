/**
 * What the parts of the fake Harbor share: its error, its paging and query helpers, and the route shape each part
 * (test/servers/harbor/*.ts) declares; test/servers/harbor/routes.ts lists the parts.
 */
import type { OciServer } from '../ociServer';
import type { ArtifactRec, HarborState, Principal, ProjectRec } from '../harborData';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const ROLE_CAN_DELETE = new Set([1, 4]); // project admin, maintainer

/** `a%252Fb` → `a/b`; an encoded slash that arrives decoded once (`a%2Fb`) splits the path in Harbor: no route. */
export function repoName(raw: string): string {
  const once = decodeURIComponent(raw);
  if (raw.toLowerCase().includes('%2f')) throw new HttpError(404, 'NOT_FOUND', 'path not found');
  return decodeURIComponent(once);
}

export function parsePage(q: URLSearchParams): { page: number; size: number } {
  const page = Number(q.get('page') ?? 1);
  const size = Number(q.get('page_size') ?? 10);
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1) throw new HttpError(400, 'BAD_REQUEST', 'invalid page or page_size');
  return { page, size };
}

/** Harbor's `q`: comma-separated `k=v` (exact) or `k=~v` (fuzzy); only `name` is read here. */
export function matchesQ(name: string, q: string | null): boolean {
  if (!q) return true;
  for (const part of q.split(',')) {
    const m = /^(\w+)=(~?)(.*)$/.exec(part);
    if (!m) throw new HttpError(400, 'BAD_REQUEST', `invalid query ${part}`);
    if (m[1] !== 'name') continue;
    if (m[2] ? !name.includes(m[3]!) : name !== m[3]) return false;
  }
  return true;
}

export function sortBy<T>(items: T[], sort: string | null, fields: Record<string, (t: T) => string | number>): T[] {
  if (!sort) return items;
  const desc = sort.startsWith('-');
  const get = fields[sort.replace(/^-/, '')];
  if (!get) throw new HttpError(400, 'BAD_REQUEST', `cannot sort by ${sort}`);
  return [...items].sort((a, b) => (get(a) < get(b) ? -1 : get(a) > get(b) ? 1 : 0) * (desc ? -1 : 1));
}


/** What a request handler gets: the query, the caller (undefined: anonymous), the parsed JSON body, and the answer's
 * status and headers to set (`out.status = 201`, `out.headers.Location = …`). */
export interface RouteRequest {
  q: URLSearchParams;
  who: Principal | undefined;
  body: unknown;
  out: { status: number; headers: Record<string, string> };
}

/** One `/api/v2.0` route: a method and a pattern of the path under the base; the handler's return value is the body. */
export interface HarborRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  path: RegExp;
  handle(m: RegExpExecArray, req: RouteRequest): unknown;
}

/** What the fake hands its parts. */
export interface HarborFake {
  state: HarborState;
  registry?: OciServer;
  /** The fake's base URL (`http://127.0.0.1:port`), known once it listens. */
  url(): string;
  /** One page of `all` by `page` / `page_size`, setting `X-Total-Count` and `Link` on `out`. */
  page<T>(out: { headers: Record<string, string> }, path: string, q: URLSearchParams, all: T[]): T[];
  /** A project the caller may read (404 / 401 / 403 otherwise). */
  project(name: string, who: Principal | undefined): ProjectRec;
  findArtifact(repo: string, ref: string): ArtifactRec;
}

/** 401 for anonymous callers. */
export function signedIn(who: Principal | undefined): Principal {
  if (!who) throw new HttpError(401, 'UNAUTHORIZED', 'unauthorized');
  return who;
}

/** 403 unless the caller is a system admin. */
export function sysAdmin(who: Principal | undefined): Principal {
  const p = signedIn(who);
  if (!p.sysadmin) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
  return p;
}
