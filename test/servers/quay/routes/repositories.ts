/** Quay fake routes: discovery, the user, repositories and tags. */
import { FEATURE_TEMPLATES, HttpError, TAG_RE, DIGEST_RE, text, rfc2822, avatar, opaqueToken, readToken, type QuayFeature, type Json } from '../types';
import type { QuayKit } from '../kit';

export function repositoryRoutes(k: QuayKit): void {
  const { now, features, spec, orgs, repos, salt, addRepository, repoOr404, activeOf, startTag, tagView, repoView, need, canAdminNs, repoAccess, checkSpecBody, bad, route, ok } = k;

  route('GET', '/api/v1/discovery', () => {
    const paths: Json = {};
    for (const [k, v] of Object.entries(spec.paths)) paths[k] = v;
    for (const f of features) for (const t of FEATURE_TEMPLATES[f]) paths[t] ??= { get: { operationId: t } };
    for (const f of Object.keys(FEATURE_TEMPLATES) as QuayFeature[]) if (!features.has(f)) for (const t of FEATURE_TEMPLATES[f]) delete paths[t];
    return ok({ openapi: spec.openapi, info: (spec as unknown as Json).info, paths, components: (spec as unknown as Json).components });
  });

  route('GET', '/api/v1/user/', ({ who }) => {
    const w = need(who, 'user:read');
    const orgList = [...orgs.values()].filter((o) => o.members.has(w.user));
    return ok({
      anonymous: false,
      username: w.user,
      avatar: avatar(w.user, 'user'),
      can_create_repo: true,
      is_me: true,
      verified: true,
      email: `${w.user}@example.com`,
      logins: [],
      invoice_email: false,
      invoice_email_address: null,
      preferred_namespace: false,
      tag_expiration_s: 1209600,
      prompts: [],
      super_user: false,
      organizations: orgList.map((o) => ({ name: o.name, avatar: avatar(o.name, 'org'), can_create_repo: true, public: false, is_org_admin: [...o.teams.values()].some((t) => t.role === 'admin' && t.members.has(w.user)), preferred_namespace: false })),
    });
  });

  // repositories
  route('GET', '/api/v1/repository', ({ q, who }) => {
    const ns = q.get('namespace');
    if (!ns && q.get('public') !== 'true' && q.get('starred') !== 'true') throw new HttpError(400, 'invalid_request', 'Namespace, public or starred must be specified');
    const visible = [...repos.values()]
      .filter((r) => (!ns || r.namespace === ns) && (r.isPublic || (who && canAdminNs(who, r.namespace)) || (who && r.userPerms.has(who.user))))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (who && !who.scopes.has('repo:read')) throw new HttpError(403, 'insufficient_scope', 'Requires the repo:read scope');
    const token = q.get('next_page');
    const offset = token ? readToken(token, salt) : 0;
    const page = visible.slice(offset, offset + 100);
    const body: Json = { repositories: page.map((r) => repoView(r, q)) };
    if (offset + 100 < visible.length) body.next_page = opaqueToken(offset + 100, salt);
    return ok(body);
  });
  route('POST', '/api/v1/repository', ({ body, who }) => {
    checkSpecBody('/api/v1/repository', 'POST', body);
    const b = body as Json;
    const w = need(who, 'repo:create');
    const ns = (b.namespace as string | undefined) ?? w.user;
    if (!canAdminNs(w, ns)) throw new HttpError(403, 'insufficient_scope', 'Unauthorized');
    const name = String(b.repository);
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new HttpError(400, 'invalid_request', 'Invalid repository name');
    if (repos.has(`${ns}/${name}`)) throw new HttpError(400, 'invalid_request', 'Repository already exists');
    addRepository(ns, name, { description: text(b.description), isPublic: b.visibility === 'public' });
    return ok({ namespace: ns, name, kind: 'image' }, 201);
  });
  route('GET', '/api/v1/repository/{repository}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:read');
    const active = r.tags.filter((t) => t.end === undefined || t.end > now());
    return ok({
      namespace: r.namespace,
      name: r.name,
      kind: 'image',
      description: r.description,
      is_public: r.isPublic,
      is_organization: orgs.has(r.namespace),
      is_starred: false,
      status_token: '',
      trust_enabled: false,
      tag_expiration_s: orgs.get(r.namespace)?.tagExpiration ?? 1209600,
      is_free_account: false,
      state: r.state,
      tags: Object.fromEntries(active.slice(0, 5).map((t) => [t.name, { name: t.name, size: t.size, last_modified: rfc2822(t.start), manifest_digest: t.digest }])),
    });
  });
  route('PUT', '/api/v1/repository/{repository}', ({ params, body, who }) => {
    checkSpecBody('/api/v1/repository/{repository}', 'PUT', body);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    r.description = String((body as Json).description);
    return ok({ success: true });
  });
  route('DELETE', '/api/v1/repository/{repository}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    repos.delete(params[0]);
    return { status: 204 };
  });
  route('POST', '/api/v1/repository/{repository}/changevisibility', ({ params, body, who }) => {
    checkSpecBody('/api/v1/repository/{repository}/changevisibility', 'POST', body);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    r.isPublic = (body as Json).visibility === 'public';
    return ok({ success: true });
  });
  route('PUT', '/api/v1/repository/{repository}/changestate', ({ params, body, who }) => {
    const b = body as Json;
    if (!b || typeof b !== 'object' || !['NORMAL', 'READ_ONLY', 'MIRROR'].includes(String(b.state)) || Object.keys(b).some((k) => k !== 'state')) bad('/api/v1/repository/{repository}/changestate', 'PUT', 'state must be NORMAL, READ_ONLY or MIRROR');
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    r.state = String(b.state);
    return ok({ success: true });
  });

  // tags
  route('GET', '/api/v1/repository/{repository}/tag/', ({ params, q, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:read');
    const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
    const limit = Math.min(100, Math.max(1, Number(q.get('limit') ?? 50) || 50));
    const onlyActive = q.get('onlyActiveTags') === 'true';
    const specific = q.get('specificTag');
    let list = [...r.tags];
    if (onlyActive) list = list.filter((t) => t.end === undefined || t.end > now());
    if (specific) list = list.filter((t) => t.name === specific);
    list.sort((a, b) => b.start - a.start || b.id - a.id);
    const slice = list.slice((page - 1) * limit, page * limit + 1);
    return ok({ tags: slice.slice(0, limit).map(tagView), page, has_additional: slice.length > limit });
  });
  route('PUT', '/api/v1/repository/{repository}/tag/{tag}', ({ params, body, who }) => {
    const tpl = '/api/v1/repository/{repository}/tag/{tag}';
    checkSpecBody(tpl, 'PUT', body);
    const b = (body ?? {}) as Json;
    if (Object.keys(b).some((k) => k !== 'manifest_digest' && k !== 'expiration')) bad(tpl, 'PUT', 'only manifest_digest and expiration');
    if ('manifest_digest' in b && (typeof b.manifest_digest !== 'string' || !DIGEST_RE.test(b.manifest_digest))) bad(tpl, 'PUT', 'manifest_digest must be a digest');
    if ('expiration' in b && b.expiration !== null && !Number.isInteger(b.expiration)) bad(tpl, 'PUT', 'expiration must be an integer or null');
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    const name = decodeURIComponent(params[1]);
    if (!TAG_RE.test(name)) throw new HttpError(400, 'invalid_request', 'Invalid tag name');
    if (typeof b.manifest_digest === 'string') {
      const src = r.tags.find((t) => t.digest === b.manifest_digest);
      if (!src) throw new HttpError(404, 'not_found', 'Manifest not found');
      startTag(r, name, src.digest, src.size, src.list, now());
    }
    if ('expiration' in b) {
      const t = activeOf(r, name);
      if (!t) throw new HttpError(404, 'not_found', 'Tag not found');
      if (b.expiration === null) delete t.end;
      else {
        if ((b.expiration as number) <= now()) throw new HttpError(400, 'invalid_request', 'Expiration must be in the future');
        t.end = b.expiration as number;
      }
    }
    return ok('Updated', 201);
  });
  route('DELETE', '/api/v1/repository/{repository}/tag/{tag}', ({ params, who }) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    const t = activeOf(r, decodeURIComponent(params[1]));
    if (!t) throw new HttpError(404, 'not_found', 'Not Found');
    t.end = now();
    return { status: 204 };
  });
  route('POST', '/api/v1/repository/{repository}/tag/{tag}/restore', ({ params, body, who }) => {
    checkSpecBody('/api/v1/repository/{repository}/tag/{tag}/restore', 'POST', body);
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:write');
    const name = decodeURIComponent(params[1]);
    const digest = (body as Json).manifest_digest;
    const old = r.tags.find((t) => t.name === name && t.digest === digest && t.end !== undefined && t.end <= now());
    if (!old) throw new HttpError(404, 'not_found', 'Cannot restore: no such tag in the history');
    startTag(r, name, old.digest, old.size, old.list, now(), true);
    return ok({});
  });
}
