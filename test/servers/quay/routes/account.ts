/** Quay fake routes: application tokens and logs. */
import * as crypto from 'node:crypto';
import { HttpError, rfc2822, opaqueToken, readToken, type Json, type TokenRec } from '../types';
import type { QuayKit } from '../kit';

export function accountRoutes(k: QuayKit): void {
  const { now, users, salt, repoOr404, need, repoAccess, orgAdmin, checkSpecBody, route, ok } = k;

  // app tokens
  const appTokenView = (t: Json, code: boolean): Json => {
    const { token_code, ...rest } = t;
    return code ? { ...rest, token_code } : rest;
  };
  route('GET', '/api/v1/user/apptoken', ({ who }) => {
    const w = need(who, 'user:admin');
    return ok({ tokens: users.get(w.user)!.appTokens.map((t) => appTokenView(t, false)), only_expiring: null });
  });
  route('POST', '/api/v1/user/apptoken', ({ body, who }) => {
    checkSpecBody('/api/v1/user/apptoken', 'POST', body);
    const w = need(who, 'user:admin');
    const t = { uuid: crypto.randomUUID(), title: String((body as Json).friendlyName), last_accessed: null, created: rfc2822(now()), expiration: null, token_code: crypto.randomBytes(30).toString('base64url') };
    users.get(w.user)!.appTokens.push(t);
    return ok({ token: appTokenView(t, true) });
  });
  route('DELETE', '/api/v1/user/apptoken/{token_uuid}', ({ params, who }) => {
    const w = need(who, 'user:admin');
    const u = users.get(w.user)!;
    const before = u.appTokens.length;
    u.appTokens = u.appTokens.filter((t) => t.uuid !== params[0]);
    if (u.appTokens.length === before) throw new HttpError(404, 'not_found', 'Not Found');
    return { status: 204 };
  });

  // logs (20 per page, like Quay's LOGS_PER_PAGE)
  const logRoute = (tpl: string, pick: (params: string[], who?: TokenRec) => Json[]) =>
    route('GET', tpl, ({ params, q, who }) => {
      const all = pick(params, who);
      const parse = (v: string | null, fallback: number) => {
        if (v === null) return fallback;
        const m = /^(\d\d)\/(\d\d)\/(\d{4})$/.exec(v);
        if (!m) throw new HttpError(400, 'invalid_request', `Invalid date ${v}: expected MM/DD/YYYY`);
        return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2])) / 1000;
      };
      const end = parse(q.get('endtime'), now()) + (q.get('endtime') ? 86400 : 0);
      const start = parse(q.get('starttime'), end - 30 * 86400);
      const inRange = all.filter((e) => {
        const t = Date.parse(String(e.datetime)) / 1000;
        return t >= start && t < end;
      });
      inRange.sort((a, b) => Date.parse(String(b.datetime)) - Date.parse(String(a.datetime)));
      const token = q.get('next_page');
      const offset = token ? readToken(token, salt) : 0;
      const body: Json = { start_time: rfc2822(start), end_time: rfc2822(end), logs: inRange.slice(offset, offset + 20) };
      if (offset + 20 < inRange.length) body.next_page = opaqueToken(offset + 20, salt);
      return ok(body);
    });
  logRoute('/api/v1/repository/{repository}/logs', (params, who) => {
    const r = repoOr404(params[0]);
    repoAccess(who, r, 'repo:admin');
    return r.logs;
  });
  logRoute('/api/v1/organization/{orgname}/logs', (params, who) => orgAdmin(who, params[0]).logs);
  logRoute('/api/v1/user/logs', (_params, who) => users.get(need(who, 'user:admin').user)!.logs);
}
