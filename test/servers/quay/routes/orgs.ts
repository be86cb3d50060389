/** Quay fake routes: organizations, teams, robots and entity search. */
import * as crypto from 'node:crypto';
import { HttpError, text, avatar, type Scope, type Json, type RobotRec, type TokenRec } from '../types';
import type { QuayKit } from '../kit';

export function orgRoutes(k: QuayKit): void {
  const { opts, now, users, orgs, repos, robotView, teamView, need, orgAdmin, checkSpecBody, route, ok } = k;

  // organizations and teams
  route('GET', '/api/v1/organization/{orgname}', ({ params, who }) => {
    const o = orgs.get(params[0]);
    if (!o) throw new HttpError(404, 'not_found', 'Not Found');
    const w = need(who, 'user:read');
    const member = o.members.has(w.user);
    return ok({
      name: o.name,
      email: member ? o.email : undefined,
      avatar: avatar(o.name, 'org'),
      is_admin: member,
      is_member: member,
      teams: member ? Object.fromEntries([...o.teams.values()].map((t) => [t.name, teamView(o, t)])) : undefined,
      ordered_teams: member ? [...o.teams.keys()] : undefined,
      invoice_email: false,
      invoice_email_address: null,
      tag_expiration_s: o.tagExpiration,
      is_free_account: false,
    });
  });
  route('PUT', '/api/v1/organization/{orgname}', ({ params, body, who }) => {
    checkSpecBody('/api/v1/organization/{orgname}', 'PUT', body);
    const o = orgAdmin(who, params[0]);
    const b = body as Json;
    if ('tag_expiration_s' in b && (opts.orgTagExpiration ?? true)) {
      if (!Number.isInteger(b.tag_expiration_s) || (b.tag_expiration_s as number) < 0) throw new HttpError(400, 'invalid_request', 'Invalid tag expiration');
      if (![0, 86400, 604800, 1209600, 2419200].includes(b.tag_expiration_s as number)) throw new HttpError(400, 'invalid_request', 'Invalid tag expiration option');
      o.tagExpiration = b.tag_expiration_s as number;
    }
    if (typeof b.email === 'string') o.email = b.email;
    return ok({ name: o.name, tag_expiration_s: o.tagExpiration });
  });
  route('PUT', '/api/v1/organization/{orgname}/team/{teamname}', ({ params, body, who }) => {
    checkSpecBody('/api/v1/organization/{orgname}/team/{teamname}', 'PUT', body);
    const o = orgAdmin(who, params[0]);
    const b = body as Json;
    const name = decodeURIComponent(params[1]);
    if (!/^[a-z][a-z0-9]+$/.test(name)) throw new HttpError(400, 'invalid_request', 'Invalid team name');
    const t = o.teams.get(name) ?? { name, role: 'member', description: '', members: new Set<string>(), invited: new Set<string>() };
    t.role = String(b.role);
    if (typeof b.description === 'string') t.description = b.description;
    o.teams.set(name, t);
    return ok(teamView(o, t));
  });
  route('DELETE', '/api/v1/organization/{orgname}/team/{teamname}', ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    if (!o.teams.delete(decodeURIComponent(params[1]))) throw new HttpError(404, 'not_found', 'Not Found');
    return { status: 204 };
  });
  route('GET', '/api/v1/organization/{orgname}/team/{teamname}/members', ({ params, q, who }) => {
    const o = orgAdmin(who, params[0]);
    const t = o.teams.get(decodeURIComponent(params[1]));
    if (!t) throw new HttpError(404, 'not_found', 'Not Found');
    const members: Json[] = [...t.members].map((m) => ({ name: m, kind: 'user', is_robot: m.includes('+'), avatar: avatar(m, 'user'), invited: false }));
    // Quay's invite_view: an invited user as a member marked invited, an e-mail invitation by its address only.
    if (q.get('includePending') === 'true') for (const i of t.invited) members.push(i.includes('@') ? { email: i, kind: 'invite', avatar: avatar(i, 'user'), invited: true } : { name: i, kind: 'user', is_robot: false, avatar: avatar(i, 'user'), invited: true });
    return ok({ name: t.name, members, can_edit: true });
  });
  route('PUT', '/api/v1/organization/{orgname}/team/{teamname}/members/{membername}', ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    const t = o.teams.get(decodeURIComponent(params[1]));
    if (!t) throw new HttpError(404, 'not_found', 'Not Found');
    const m = decodeURIComponent(params[2]);
    if (!users.has(m) && !o.robots.has(m)) throw new HttpError(400, 'invalid_request', 'Unknown user or robot');
    t.members.add(m);
    return ok({ name: m, kind: 'user', is_robot: m.includes('+'), avatar: avatar(m, 'user'), invited: false });
  });
  route('DELETE', '/api/v1/organization/{orgname}/team/{teamname}/members/{membername}', ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    const t = o.teams.get(decodeURIComponent(params[1]));
    const m = decodeURIComponent(params[2]);
    // Deleting an invited user withdraws the invitation.
    if (!t || !(t.members.delete(m) || (!m.includes('@') && t.invited.delete(m)))) throw new HttpError(404, 'not_found', 'Not Found');
    return { status: 204 };
  });
  route('DELETE', '/api/v1/organization/{orgname}/team/{teamname}/invite/{email}', ({ params, who }) => {
    const o = orgAdmin(who, params[0]);
    const t = o.teams.get(decodeURIComponent(params[1]));
    if (!t || !t.invited.delete(decodeURIComponent(params[2]))) throw new HttpError(404, 'not_found', 'Not Found');
    return { status: 204 };
  });

  // robots
  const robotRoutes = (base: string, owner: (params: string[], who?: TokenRec, scope?: Scope) => { ns: string; robots: Map<string, RobotRec> }, offset: number) => {
    route('GET', base, ({ params, q, who }) => {
      const { ns, robots } = owner(params, who);
      const withToken = q.get('token') !== 'false';
      return ok({ robots: [...robots.values()].map((r) => robotView(r, q.get('permissions') === 'true', withToken, ns)) });
    });
    route('PUT', `${base}/{robot_shortname}`, ({ params, body, who }) => {
      checkSpecBody(`${base}/{robot_shortname}`, 'PUT', body ?? {});
      const { ns, robots } = owner(params, who);
      const short = decodeURIComponent(params[offset]);
      if (!/^[a-z][a-z0-9_]{1,254}$/.test(short)) throw new HttpError(400, 'invalid_request', 'Invalid robot name');
      const name = `${ns}+${short}`;
      if (robots.has(name)) throw new HttpError(400, 'invalid_request', 'Existing robot with name');
      const r: RobotRec = { name, description: text((body as Json | undefined)?.description), token: crypto.randomBytes(32).toString('hex').toUpperCase(), created: now(), lastAccessed: null };
      robots.set(name, r);
      return ok({ ...robotView(r, false, true, ns), unstructured_metadata: {} }, 201);
    });
    route('DELETE', `${base}/{robot_shortname}`, ({ params, who }) => {
      const { ns, robots } = owner(params, who);
      if (!robots.delete(`${ns}+${decodeURIComponent(params[offset])}`)) throw new HttpError(404, 'not_found', 'Not Found');
      return { status: 204 };
    });
    route('GET', `${base}/{robot_shortname}/permissions`, ({ params, who }) => {
      // getOrgRobotPermissions and getUserRobotPermissions both declare user:admin.
      need(who, 'user:admin');
      const { ns, robots } = owner(params, who, 'user:admin');
      const name = `${ns}+${decodeURIComponent(params[offset])}`;
      if (!robots.has(name)) throw new HttpError(404, 'not_found', 'Not Found');
      const perms = [...repos.values()].filter((r) => r.namespace === ns && r.userPerms.has(name));
      return ok({ permissions: perms.map((r) => ({ repository: { name: r.name, is_public: r.isPublic }, role: r.userPerms.get(name) })) });
    });
    route('POST', `${base}/{robot_shortname}/regenerate`, ({ params, who }) => {
      const { ns, robots } = owner(params, who);
      const r = robots.get(`${ns}+${decodeURIComponent(params[offset])}`);
      if (!r) throw new HttpError(404, 'not_found', 'Not Found');
      r.token = crypto.randomBytes(32).toString('hex').toUpperCase();
      return ok({ ...robotView(r, false, true, ns), unstructured_metadata: {} });
    });
  };
  robotRoutes('/api/v1/organization/{orgname}/robots', (params, who, scope) => ({ ns: params[0], robots: orgAdmin(who, params[0], scope).robots }), 1);
  robotRoutes('/api/v1/user/robots', (_params, who) => {
    const w = need(who, 'user:admin');
    return { ns: w.user, robots: users.get(w.user)!.robots };
  }, 0);

  // entity search (endpoints/api/search.py EntitySearch): users by prefix, the robots of `namespace` by short name
  // when the caller belongs to it, and its teams with includeTeams; 10 users at most.
  route('GET', '/api/v1/entities/{prefix}', ({ params, q, who }) => {
    const prefix = decodeURIComponent(params[0]).trim();
    const ns = q.get('namespace') ?? '';
    const org = orgs.get(ns);
    const member = !!who && (org ? org.members.has(who.user) : who.user === ns);
    const robots = member ? [...(org ?? users.get(ns))!.robots.keys()].filter((r) => r.startsWith(`${ns}+${prefix}`)) : [];
    const people = [...users.keys()].filter((u) => u.startsWith(prefix));
    const teams = org && member && q.get('includeTeams') === 'true' ? [...org.teams.keys()].filter((t) => t.startsWith(prefix)) : [];
    return ok({
      results: [
        ...teams.map((name) => ({ name, kind: 'team', is_org_member: true, avatar: avatar(name, 'team') })),
        ...[...robots, ...people].slice(0, 10).map((name) => ({ name, kind: 'user', is_robot: name.includes('+'), avatar: avatar(name, 'user'), ...(org ? { is_org_member: name.includes('+') || org.members.has(name) } : {}) })),
      ],
    });
  });
}
