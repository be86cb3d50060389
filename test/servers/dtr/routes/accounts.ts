/** DTR fake routes: namespace team access, accounts and webhooks. */
import { HttpError, forbidden, noRepo, type AccessLevel } from '../types';
import { tools, type Ctx, type DtrKit, type Reply } from '../kit';

export function accountRoutes(k: DtrKit, c: Ctx): Reply | undefined {
  const { users, orgs, webhooks, uuid, now, accessOf, nsAdmin, repoOr404, need, requireUser, repoJson, accountJson, teamJson, page } = k;
  const { m, p, q, b, u, ok, is } = tools(c);

  // namespace team access
  if (p[0] === 'repositoryNamespaces' && p[2] === 'teamAccess') {
    const user = requireUser(u);
    const org = orgs.get(p[1]!);
    if (!org) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
    const entry = (team: string, accessLevel: AccessLevel) => ({ accessLevel, team: teamJson(org, team, user) });
    if (p.length === 3 && m === 'GET') {
      if (!user.admin && !org.members.has(user.name) && !org.owners.has(user.name)) throw forbidden();
      return ok({ namespace: org.name, teamAccessList: page([...org.access].map(([t, l]) => entry(t, l)), (x) => String(x.team.id), q, c.headers) });
    }
    if (p.length === 4) {
      if (!org.teams.has(p[3]!)) throw new HttpError(404, 'NO_SUCH_TEAM', 'A team with the given name does not exist in the organization.');
      if (m === 'GET') return ok({ ...entry(p[3]!, org.access.get(p[3]!) ?? 'read-only'), namespace: org.name });
      if (!nsAdmin(user, org.name)) throw forbidden();
      if (m === 'PUT') {
        org.access.set(p[3]!, b.accessLevel as AccessLevel);
        return ok({ ...entry(p[3]!, b.accessLevel as AccessLevel), namespace: org.name });
      }
      if (m === 'DELETE') {
        org.access.delete(p[3]!);
        return ok(undefined, 204);
      }
    }
  }

  // accounts
  if (is('GET', 'accounts', '*', 'repositoryAccess', '*', '*')) {
    const user = requireUser(u);
    if (user.name !== p[1] && !user.admin) throw forbidden();
    const who = users.get(p[1]!);
    if (!who) throw new HttpError(404, 'NO_SUCH_ACCOUNT', 'An account with the given name does not exist.');
    const repo = repoOr404(p[3]!, p[4]!);
    const level = accessOf(who, repo);
    if (!level) throw noRepo();
    return ok({ accessLevel: level, user: accountJson(who.name), repository: repoJson(repo) });
  }
  if (is('GET', 'accounts', '*', 'webhooks')) {
    const user = requireUser(u);
    if (!nsAdmin(user, p[1]!)) throw forbidden();
    return ok([...webhooks.values()].filter((w) => w.key === p[1]));
  }

  // webhooks
  if (is('GET', 'webhooks')) {
    const user = requireUser(u);
    return ok([...webhooks.values()].filter((w) => user.admin || w.authorID === user.id));
  }
  if (is('POST', 'webhooks')) {
    const user = requireUser(u);
    const key = typeof b.key === 'string' ? b.key : '';
    const [ns, name] = key.split('/');
    if (name !== undefined) need(user, ns!, name, 'admin');
    else if (!nsAdmin(user, ns!)) throw forbidden();
    const w = { id: uuid(), type: b.type ?? 'TAG_PUSH', key, endpoint: b.endpoint, authorID: user.id, createdAt: now(), inactive: false, tlsCert: b.tlsCert, skipTLSVerification: b.skipTLSVerification, lastSuccessfulAt: '' };
    webhooks.set(w.id, w);
    return ok([w]);
  }
  if (is('POST', 'webhooks', 'test')) {
    requireUser(u);
    if (!/^https?:\/\//.test(String(b.endpoint))) throw new HttpError(400, 'INVALID_ENDPOINT', 'The endpoint is not a URL');
    return ok();
  }
  if (is('POST', 'webhooks', 'update')) {
    const user = requireUser(u);
    const w = webhooks.get(String(b.id));
    if (!w) throw new HttpError(404, 'NO_SUCH_WEBHOOK', 'No such webhook');
    if (!user.admin && w.authorID !== user.id) throw forbidden();
    Object.assign(w, { inactive: b.inactive, tlsCert: b.tlsCert, skipTLSVerification: b.skipTLSVerification });
    return ok([w]);
  }
  if (is('DELETE', 'webhooks', '*')) {
    const user = requireUser(u);
    const w = webhooks.get(p[1]!);
    if (!w) throw new HttpError(404, 'NO_SUCH_WEBHOOK', 'No such webhook');
    if (!user.admin && w.authorID !== user.id) throw forbidden();
    webhooks.delete(p[1]!);
    return ok();
  }
  return undefined;
}
