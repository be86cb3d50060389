/** Hub fake routes: Organization access tokens. */
import * as crypto from 'node:crypto';
import { HttpError, OAT_SCOPES, type Json, type OatRec, type OrgRec } from '../types';
import { expiresAtOf, readJson, str, bool } from '../request';
import type { HubKit } from '../kit';

export function orgTokenRoutes(k: HubKit): void {
  const { record, repoKey, requireAuth, requireOrg, now, iso, repos, oatJson, paginate, route } = k;

  /**
   * Resources of an organization access token, as Hub checks them: scopes only from Hub's list (`scope-image-pull`,
   * `scope-image-push`; `repo:pull` or `repo-pull` are refused), a TYPE_REPO path that is `org/repo` of an existing
   * repository of this organization, a glob within it (`org/*`) or `*\/*\/public`.
   */
  function parseResources(body: Json, org: OrgRec): OatRec['resources'] | undefined {
    const v = body.resources;
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw new HttpError(400, 'resources must be a list', { resources: ['Expected a list.'] });
    return v.map((r, i) => {
      const o = (r ?? {}) as Json;
      if ((o.type !== 'TYPE_REPO' && o.type !== 'TYPE_ORG') || typeof o.path !== 'string' || !Array.isArray(o.scopes)) {
        throw new HttpError(400, `Invalid resource ${i}`, { resources: [`Item ${i} needs type, path and scopes.`] });
      }
      const scopes = o.scopes as unknown[];
      const bad = scopes.find((s) => typeof s !== 'string' || !OAT_SCOPES.includes(s));
      if (bad !== undefined || scopes.length === 0) {
        throw new HttpError(400, `Invalid scope ${JSON.stringify(bad ?? null)}`, { resources: [`Item ${i}: scopes must be a non-empty list of ${OAT_SCOPES.join(', ')}.`] });
      }
      if (o.type === 'TYPE_REPO' && o.path !== '*/*/public') {
        const [ns, name, ...rest] = o.path.split('/');
        const ok = ns === org.name && !!name && rest.length === 0 && (name.includes('*') || repos.has(repoKey(ns, name)));
        if (!ok) throw new HttpError(400, `Invalid repository path ${o.path}`, { resources: [`Item ${i}: path must be an existing repository of ${org.name}, a glob such as ${org.name}/*, or */*/public.`] });
      }
      return { type: o.type, path: o.path, scopes: scopes as string[] };
    });
  }

  route('GET', '/v2/orgs/{name}/access-tokens', ({ p, path, q, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const all = [...org.oats.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    const pg = paginate(all, path, q, 10, 'omit');
    return { status: 200, body: { total: pg.count, ...pg.links, results: pg.slice.map((o) => oatJson(o, {})) } };
  });

  route('POST', '/v2/orgs/{name}/access-tokens', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const body = await readJson(req);
    const label = str(body, 'label', true)!;
    const expiresAt = expiresAtOf(body, now()) ?? null;
    const oat: OatRec = {
      id: crypto.randomUUID(),
      label,
      createdBy: requireAuth(p).name,
      isActive: true,
      createdAt: iso(),
      expiresAt,
      lastUsedAt: null,
      resources: parseResources(body, org) ?? [],
      secret: `dckr_oat_${crypto.randomBytes(20).toString('base64url')}`,
    };
    org.oats.set(oat.id, oat);
    record(org.name, 'access_token.create', label, oat.createdBy, {}, `created the access token ${label}`);
    return { status: 201, body: oatJson(oat, { token: true, resources: true }) };
  });

  function getOat(org: OrgRec, id: string): OatRec {
    const o = org.oats.get(id);
    if (!o) throw new HttpError(404, 'Access token not found');
    return o;
  }

  route('GET', '/v2/orgs/{org_name}/access-tokens/{access_token_id}', ({ p, m }) => ({ status: 200, body: oatJson(getOat(requireOrg(m[0]!, p, 'owner'), m[1]!), { resources: true }) }));

  route('PATCH', '/v2/orgs/{org_name}/access-tokens/{access_token_id}', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const o = getOat(org, m[1]!);
    const body = await readJson(req);
    const label = str(body, 'label', false);
    const active = bool(body, 'is_active', false);
    const resources = parseResources(body, org);
    if (label !== undefined) o.label = label;
    if (active !== undefined) o.isActive = active;
    if (resources !== undefined) o.resources = resources;
    return { status: 200, body: oatJson(o, { resources: true }) };
  });

  route('DELETE', '/v2/orgs/{org_name}/access-tokens/{access_token_id}', ({ p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    getOat(org, m[1]!);
    org.oats.delete(m[1]!);
    return { status: 204 };
  });
}
