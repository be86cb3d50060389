/** Hub fake routes: Sign-in, the signed-in user, personal access tokens and audit logs. */
import * as crypto from 'node:crypto';
import { HttpError, type PatRec, type Principal } from '../types';
import { expiresAtOf, readJson, str, bool, strArray } from '../request';
import type { HubKit } from '../kit';

export function accountRoutes(k: HubKit): void {
  const { issue, requireAuth, requireOrg, now, iso, tokenLifetime, users, orgs, pats, audit, paginate, patJson, userJson, route } = k;
  const { st } = k;

  route('POST', '/v2/auth/token', async ({ req }) => {
    const body = await readJson(req);
    const identifier = str(body, 'identifier', true)!;
    const secret = str(body, 'secret', true)!;
    const user = users.get(identifier);
    if (user) {
      if (secret === user.password) return { status: 200, body: { access_token: issue('user', user.username, 'all') } };
      const pat = [...pats.values()].find((t) => t.username === user.username && t.secret === secret);
      if (pat && pat.isActive && (!pat.expiresAt || Date.parse(pat.expiresAt) > now())) {
        pat.lastUsed = iso();
        return { status: 200, body: { access_token: issue('user', user.username, pat.scopes) } };
      }
    }
    const org = orgs.get(identifier);
    const oat = org && [...org.oats.values()].find((t) => t.secret === secret);
    if (org && oat && oat.isActive && (!oat.expiresAt || Date.parse(oat.expiresAt) > now())) {
      oat.lastUsedAt = iso();
      return { status: 200, body: { access_token: issue('org', org.name, oat.resources.flatMap((r) => r.scopes), tokenLifetime, oat.resources) } };
    }
    throw new HttpError(401, 'Incorrect authentication credentials');
  });

  // Not in the published spec: hub-tool's account endpoints (pkg/hub/user.go, organizations.go).
  route('GET', '/v2/user/', ({ p }) => {
    const who = requireAuth(p);
    const u = who.kind === 'user' ? users.get(who.name) : undefined;
    if (!u) throw new HttpError(403, 'Organization access tokens have no user');
    return { status: 200, body: { ...userJson(u), is_staff: false, is_admin: false } };
  });

  route('GET', '/v2/user/orgs/', ({ p, path, q }) => {
    if (!st.userOrgs) throw new HttpError(404, 'Not found');
    const who = requireAuth(p);
    const mine = [...orgs.values()].filter((o) => (who.kind === 'user' ? o.members.has(who.name) : o.name === who.name)).sort((a, b) => a.name.localeCompare(b.name));
    const pg = paginate(mine, path, q, 10, 'null');
    return {
      status: 200,
      body: {
        count: pg.count,
        ...pg.links,
        results: pg.slice.map((o) => ({ id: o.id, orgname: o.name, full_name: o.fullName, company: '', location: '', type: 'Org', date_joined: o.dateJoined, gravatar_email: '', gravatar_url: '', profile_url: '' })),
      },
    };
  });

  // ---- personal access tokens ------------------------------------------------------------------------------------

  function ownPat(p: Principal | undefined, uuid: string): PatRec {
    const who = requireAuth(p);
    const pat = pats.get(uuid);
    if (!pat || who.kind !== 'user' || pat.username !== who.name) throw new HttpError(404, 'Token not found');
    return pat;
  }

  route('GET', '/v2/access-tokens', ({ p, path, q }) => {
    const who = requireAuth(p);
    const mine = [...pats.values()].filter((t) => who.kind === 'user' && t.username === who.name).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    const pg = paginate(mine, path, q, 10, 'omit');
    return { status: 200, body: { count: pg.count, ...pg.links, active_count: mine.filter((t) => t.isActive).length, results: pg.slice.map((t) => patJson(t, false)) } };
  });

  route('POST', '/v2/access-tokens', async ({ req, p }) => {
    const who = requireAuth(p);
    if (who.kind !== 'user') throw new HttpError(403, 'Only users have personal access tokens');
    const body = await readJson(req);
    const label = str(body, 'token_label', true)!;
    if (label.length < 1 || label.length > 100) throw new HttpError(400, 'token_label must be 1-100 characters', { token_label: ['Ensure this field has 1 to 100 characters.'] });
    const scopes = strArray(body, 'scopes', true)!;
    const known = ['repo:admin', 'repo:write', 'repo:read', 'repo:public_read'];
    const bad = scopes.find((s) => !known.includes(s));
    if (bad) throw new HttpError(400, `Unknown scope ${bad}`, { scopes: [`"${bad}" is not a valid choice.`] });
    const expiresAt = expiresAtOf(body, now()) ?? undefined;
    const pat: PatRec = { uuid: crypto.randomUUID(), username: who.name, label, scopes, secret: `dckr_pat_${crypto.randomBytes(20).toString('base64url')}`, isActive: true, createdAt: iso(), lastUsed: null, expiresAt };
    pats.set(pat.uuid, pat);
    return { status: 201, body: patJson(pat, true) };
  });

  route('GET', '/v2/access-tokens/{uuid}', ({ p, m }) => ({ status: 200, body: patJson(ownPat(p, m[0]!), false) }));

  route('PATCH', '/v2/access-tokens/{uuid}', async ({ req, p, m }) => {
    const pat = ownPat(p, m[0]!);
    const body = await readJson(req);
    const label = str(body, 'token_label', false);
    const active = bool(body, 'is_active', false);
    if (label !== undefined) {
      if (label.length < 1 || label.length > 100) throw new HttpError(400, 'token_label must be 1-100 characters', { token_label: ['Ensure this field has 1 to 100 characters.'] });
      pat.label = label;
    }
    if (active !== undefined) pat.isActive = active;
    return { status: 200, body: patJson(pat, false) };
  });

  route('DELETE', '/v2/access-tokens/{uuid}', ({ p, m }) => {
    const pat = ownPat(p, m[0]!);
    pats.delete(pat.uuid);
    return { status: 204 };
  });

  // ---- audit logs ------------------------------------------------------------------------------------------------

  function requireAuditAccess(account: string, p: Principal | undefined): void {
    const who = requireAuth(p);
    if (who.kind === 'user' && who.name === account) return;
    requireOrg(account, p, 'owner');
  }

  route('GET', '/v2/auditlogs/{account}', ({ p, q, m }) => {
    const account = m[0]!;
    requireAuditAccess(account, p);
    const page = q.has('page') ? Number(q.get('page')) : 1;
    const size = Math.min(q.has('page_size') ? Number(q.get('page_size')) : 25, 100);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1) throw new HttpError(400, 'Invalid paging parameters');
    const from = q.get('from') ? Date.parse(q.get('from')!) : -Infinity;
    const to = q.get('to') ? Date.parse(q.get('to')!) : Infinity;
    const events = audit
      .filter((e) => e.account === account)
      .filter((e) => !q.get('action') || e.action === q.get('action'))
      .filter((e) => !q.get('name') || e.name === q.get('name'))
      .filter((e) => !q.get('actor') || e.actor === q.get('actor'))
      .filter((e) => Date.parse(e.timestamp) >= from && Date.parse(e.timestamp) <= to)
      .reverse();
    const logs = events.slice((page - 1) * size, page * size).map((e) => ({
      account: e.account,
      action: e.action,
      name: e.name,
      actor: e.actor,
      data: e.data,
      timestamp: e.timestamp,
      action_description: e.description,
    }));
    return { status: 200, body: { logs } };
  });

  route('GET', '/v2/auditlogs/{account}/actions', ({ p, m }) => {
    requireAuditAccess(m[0]!, p);
    return {
      status: 200,
      body: {
        actions: {
          repo: {
            label: 'Repository',
            actions: [
              { name: 'create', label: 'Repository Created' },
              { name: 'delete', label: 'Repository Deleted' },
              { name: 'change_privacy', label: 'Privacy Changed' },
              { name: 'tag.push', label: 'Tag Pushed' },
              { name: 'tag.delete', label: 'Tag Deleted' },
            ],
          },
          org: { label: 'Organization', actions: [{ name: 'member.add', label: 'Member Added' }] },
        },
      },
    };
  });
}
