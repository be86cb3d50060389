/** The fake GitHub's REST routes (`/api/v3` on the fake's origin, as on GitHub Enterprise Server): packages, versions, `/user`, `/user/orgs`. */
import { Router } from '../kit/router';
import { type SpecOperation, errorObject, operations, organizationObject, packageObject, queryIssues, userObject, valueIssues, versionObject } from './spec';
import { type GhPackage, type GhState, type GhToken, type GhVersion, canAdmin, canRead, canonicalOwner, hasScope, isOrg } from './state';

export const API_PREFIX = '/api/v3';
const DOCS = 'https://docs.github.com/rest/packages/packages';

export class GhError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface GhAnswer {
  status: number;
  body?: unknown;
  headers: Record<string, string>;
}

export interface GhRequest {
  op: SpecOperation;
  params: Record<string, string>;
  q: URLSearchParams;
  token: GhToken | undefined;
  /** The fake's origin (`http://127.0.0.1:port`). */
  origin: string;
  /** Called when a registry tag must follow a version (deleted, restored). */
  onTags(p: GhPackage, v: GhVersion, present: boolean): void;
}

type Handler = (s: GhState, r: GhRequest) => GhAnswer;

/** Scopes an operation needs from a classic token: what its document names (`repo` is for other package types). */
export function requiredScopes(op: SpecOperation): string[] {
  if (op.template === '/user') return [];
  if (op.template === '/user/orgs') return ['read:org|user'];
  const named = op.scopes.filter((x) => x !== 'repo');
  return named.length ? named : ['read:packages'];
}

function userView(s: GhState, login: string, origin: string) {
  const org = isOrg(s, login);
  const id = (org ? s.orgs.get(login)?.id : s.users.get(login)?.id) ?? 0;
  return userObject.parse({ login, id, node_id: `U_${id}`, type: org ? 'Organization' : 'User', url: `${origin}${API_PREFIX}/users/${login}`, html_url: `${origin}/${login}`, site_admin: false });
}

function pkgUrl(s: GhState, origin: string, p: GhPackage): string {
  return `${origin}${API_PREFIX}/${isOrg(s, p.owner) ? 'orgs' : 'users'}/${p.owner}/packages/container/${encodeURIComponent(p.name)}`;
}

function active(p: GhPackage): GhVersion[] {
  return p.versions.filter((v) => !v.deletedAt);
}

export function packageView(s: GhState, p: GhPackage, origin: string) {
  const repo = p.repository ? { id: 1, name: p.repository.split('/')[1]!, full_name: p.repository, private: p.visibility === 'private', html_url: `${origin}/${p.repository}`, owner: userView(s, p.owner, origin) } : undefined;
  return packageObject.parse({
    id: p.id,
    name: p.name,
    package_type: 'container',
    url: pkgUrl(s, origin, p),
    html_url: `${origin}/${p.owner}/${p.repository ? p.repository.split('/')[1] + '/' : ''}pkgs/container/${encodeURIComponent(p.name)}`,
    version_count: active(p).length,
    visibility: p.visibility,
    owner: userView(s, p.owner, origin),
    ...(repo ? { repository: repo } : {}),
    created_at: p.created,
    updated_at: p.updated,
  });
}

export function versionView(s: GhState, p: GhPackage, v: GhVersion, origin: string) {
  return versionObject.parse({
    id: v.id,
    name: v.digest,
    url: `${pkgUrl(s, origin, p)}/versions/${v.id}`,
    package_html_url: `${origin}/${p.owner}/pkgs/container/${encodeURIComponent(p.name)}`,
    html_url: `${origin}/${p.owner}/pkgs/container/${encodeURIComponent(p.name)}/${v.id}`,
    created_at: v.created,
    updated_at: v.updated,
    ...(v.deletedAt ? { deleted_at: v.deletedAt } : {}),
    metadata: { package_type: 'container', container: { tags: v.tags } },
  });
}

/** One page of `all` (`per_page` default 30, `page` from 1) and GitHub's `Link` header with absolute URLs. */
function paged<T>(all: T[], r: GhRequest, path: string): GhAnswer {
  const paging = r.op.queryParams.some((p) => p.name === 'per_page');
  if (!paging) return { status: 200, body: all, headers: {} };
  const per = Number(r.q.get('per_page') ?? 30);
  const page = Number(r.q.get('page') ?? 1);
  const items = all.slice((page - 1) * per, page * per);
  const last = Math.max(1, Math.ceil(all.length / per));
  const link = (n: number, rel: string) => {
    const q = new URLSearchParams(r.q);
    q.set('page', String(n));
    return `<${r.origin}${API_PREFIX}${path}?${q.toString()}>; rel="${rel}"`;
  };
  const links = [page < last ? link(page + 1, 'next') : '', page < last ? link(last, 'last') : '', page > 1 ? link(1, 'first') : '', page > 1 ? link(page - 1, 'prev') : ''].filter(Boolean);
  return { status: 200, body: items, headers: links.length ? { Link: links.join(', ') } : {} };
}

function ownerOf(s: GhState, r: GhRequest): string {
  if (r.op.template.startsWith('/user/')) return r.token!.login;
  const login = r.params.org ?? r.params.username ?? '';
  const found = canonicalOwner(s, login);
  if (!found || (r.params.org !== undefined && !isOrg(s, found)) || (r.params.username !== undefined && isOrg(s, found))) throw new GhError(404, 'Not Found');
  return found;
}

function findPackage(s: GhState, r: GhRequest, opts: { deleted?: boolean } = {}): GhPackage {
  const owner = ownerOf(s, r);
  if (r.params.package_type !== 'container') throw new GhError(404, 'Package not found.');
  const p = s.packages.find((x) => x.owner === owner && x.name === r.params.package_name && !!x.deletedAt === !!opts.deleted);
  if (!p || !canRead(s, p, r.token?.login)) throw new GhError(404, 'Package not found.');
  return p;
}

function admin(s: GhState, p: GhPackage, r: GhRequest): void {
  if (!r.token || !canAdmin(s, p, r.token.login)) throw new GhError(403, 'You must have admin permissions on the package to do this.');
}

function findVersion(p: GhPackage, r: GhRequest, deleted: boolean): GhVersion {
  const v = p.versions.find((x) => String(x.id) === r.params.package_version_id && !!x.deletedAt === deleted);
  if (!v) throw new GhError(404, 'Package version not found.');
  return v;
}

const handlers: Record<string, Handler> = {
  'GET /user': (s, r) => ({ status: 200, body: userView(s, r.token!.login, r.origin), headers: {} }),
  'GET /user/orgs': (s, r) => {
    const orgs = [...s.orgs].filter(([, o]) => o.members.has(r.token!.login)).map(([login, o]) => organizationObject.parse({ login, id: o.id, node_id: `O_${o.id}`, url: `${r.origin}${API_PREFIX}/orgs/${login}`, description: o.description }));
    return paged(orgs, r, '/user/orgs');
  },
  'GET {owner}/packages': (s, r) => {
    const owner = ownerOf(s, r);
    const type = r.q.get('package_type');
    const vis = r.q.get('visibility');
    const list = s.packages.filter((p) => type === 'container' && p.owner === owner && !p.deletedAt && canRead(s, p, r.token?.login) && (!vis || p.visibility === (vis === 'internal' ? 'private' : vis)));
    const path = r.op.template.replace('{org}', owner).replace('{username}', owner);
    return paged(list.map((p) => packageView(s, p, r.origin)), r, path);
  },
  'GET {owner}/packages/{package_type}/{package_name}': (s, r) => ({ status: 200, body: packageView(s, findPackage(s, r), r.origin), headers: {} }),
  'DELETE {owner}/packages/{package_type}/{package_name}': (s, r) => {
    const p = findPackage(s, r);
    admin(s, p, r);
    p.deletedAt = new Date().toISOString();
    for (const v of active(p)) r.onTags(p, v, false);
    return { status: 204, headers: {} };
  },
  'POST {owner}/packages/{package_type}/{package_name}/restore': (s, r) => {
    const p = findPackage(s, r, { deleted: true });
    admin(s, p, r);
    if (s.packages.some((x) => x !== p && x.owner === p.owner && x.name === p.name && !x.deletedAt)) throw new GhError(400, 'A package with this name exists; delete it before restoring.');
    delete p.deletedAt;
    for (const v of active(p)) r.onTags(p, v, true);
    return { status: 204, headers: {} };
  },
  'GET {owner}/packages/{package_type}/{package_name}/versions': (s, r) => {
    const p = findPackage(s, r);
    const deleted = r.q.get('state') === 'deleted';
    if (deleted) admin(s, p, r);
    const list = p.versions.filter((v) => !!v.deletedAt === deleted).map((v) => versionView(s, p, v, r.origin));
    return paged(list, r, r.op.template.replace('{org}', p.owner).replace('{username}', p.owner).replace('{package_type}', 'container').replace('{package_name}', encodeURIComponent(p.name)));
  },
  'GET {owner}/packages/{package_type}/{package_name}/versions/{package_version_id}': (s, r) => {
    const p = findPackage(s, r);
    return { status: 200, body: versionView(s, p, findVersion(p, r, false), r.origin), headers: {} };
  },
  'DELETE {owner}/packages/{package_type}/{package_name}/versions/{package_version_id}': (s, r) => {
    const p = findPackage(s, r);
    admin(s, p, r);
    const v = findVersion(p, r, false);
    if (active(p).length === 1) throw new GhError(400, 'You cannot delete the last tagged version of a package. You must delete the package instead.');
    v.deletedAt = new Date().toISOString();
    r.onTags(p, v, false);
    return { status: 204, headers: {} };
  },
  'POST {owner}/packages/{package_type}/{package_name}/versions/{package_version_id}/restore': (s, r) => {
    const p = findPackage(s, r);
    admin(s, p, r);
    const v = findVersion(p, r, true);
    delete v.deletedAt;
    const taken = new Set(active(p).filter((x) => x !== v).flatMap((x) => x.tags));
    v.tags = v.tags.filter((t) => !taken.has(t));
    r.onTags(p, v, true);
    return { status: 204, headers: {} };
  },
};

/** The routes of every documented operation (`{owner}` stands for `/user`, `/orgs/{org}`, `/users/{username}`). */
export const router = (() => {
  const rt = new Router<{ op: SpecOperation; handler: Handler; names: string[] }>();
  for (const op of operations()) {
    const key = `${op.method} ${op.template.replace(/^\/(user|orgs\/\{org\}|users\/\{username\})\/packages/, '{owner}/packages')}`;
    const handler = handlers[key];
    if (!handler) throw new Error(`no handler for ${key} (${op.file})`);
    rt.add(op.method, op.template, { op, handler, names: [...op.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!) });
  }
  return rt;
})();

/** Answers one API request (path under `/api/v3`); request issues are 422s, which the server records as violations. */
export function answer(s: GhState, method: string, path: string, q: URLSearchParams, token: GhToken | undefined, r: Omit<GhRequest, 'op' | 'params' | 'q' | 'token'>): GhAnswer {
  const m = router.find(method, path);
  if (!m.route) throw new GhError(m.pathKnown ? 405 : 404, 'Not Found');
  const { op, handler, names } = m.route.handler;
  const params = Object.fromEntries(names.map((n, i) => [n, m.params[i]!]));
  const issues = [...queryIssues(op, q), ...op.pathParams.flatMap((p) => valueIssues(p, params[p.name] ?? '', 'path'))];
  if (issues.length) throw new GhError(422, `Validation Failed: ${issues.join('; ')}`);
  if (!token) throw new GhError(401, 'Requires authentication');
  const need = requiredScopes(op);
  const scopeHeaders = { 'X-OAuth-Scopes': token.scopes.join(', '), 'X-Accepted-OAuth-Scopes': need.flatMap((x) => x.split('|')).join(', ') };
  const missing = need.filter((x) => !x.split('|').some((one) => hasScope(token, one)));
  if (missing.length) throw new GhError(403, `You need at least ${missing.map((x) => x.replace('|', ' or ')).join(' and ')} scope to use this endpoint.`, scopeHeaders);
  const out = handler(s, { ...r, op, params, q, token });
  return { ...out, headers: { ...scopeHeaders, ...out.headers } };
}

export function errorBody(message: string): unknown {
  return errorObject.parse({ message, documentation_url: DOCS });
}
