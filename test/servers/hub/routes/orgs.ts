/** Hub fake routes: Organization settings, members and groups. */
import * as crypto from 'node:crypto';
import { HttpError, type Role, type Json, type GroupRec, type OrgRec } from '../types';
import { readJson, str } from '../request';
import type { HubKit } from '../kit';

export function orgRoutes(k: HubKit): void {
  const { record, requireAuth, requireOrg, users, groupJson, groupMemberJson, memberJson, paginate, route } = k;
  const { st } = k;

  // ---- organization settings, members, groups, access tokens -----------------------------------------------------

  route('GET', '/v2/orgs/{name}/settings', ({ p, m }) => {
    const org = requireOrg(m[0]!, p, 'member');
    return { status: 200, body: { restricted_images: { ...org.settings } } };
  });

  route('PUT', '/v2/orgs/{name}/settings', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const body = await readJson(req);
    const ri = body.restricted_images;
    if (typeof ri === 'object' && ri !== null) {
      const r = ri as Json;
      for (const k of ['enabled', 'allow_official_images', 'allow_verified_publishers'] as const) {
        if (typeof r[k] === 'boolean') org.settings[k] = r[k];
      }
    }
    return { status: 200, body: { restricted_images: { ...org.settings } } };
  });

  route('GET', '/v2/orgs/{org_name}/members', ({ p, path, q, m }) => {
    const org = requireOrg(m[0]!, p, 'member');
    let names = [...org.members.keys()].sort();
    const role = q.get('role');
    if (role) names = names.filter((n) => org.members.get(n) === role);
    const search = q.get('search');
    if (search) names = names.filter((n) => n.includes(search) || (users.get(n)?.fullName ?? '').includes(search));
    const pg = paginate(names, path, q, 10, 'omit');
    const page = { count: pg.count, ...pg.links, results: pg.slice.map((n) => memberJson(org, n)) };
    return { status: 200, body: st.shapes === 'literal' ? [page] : page };
  });

  route('PUT', '/v2/orgs/{org_name}/members/{username}', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const body = await readJson(req);
    const role = str(body, 'role', true)!;
    if (!['owner', 'editor', 'member'].includes(role)) throw new HttpError(400, 'Invalid role', { role: [`"${role}" is not a valid choice.`] });
    if (!org.members.has(m[1]!)) throw new HttpError(404, 'Member not found');
    org.members.set(m[1]!, role as Role);
    return { status: 200, body: memberJson(org, m[1]!) };
  });

  route('DELETE', '/v2/orgs/{org_name}/members/{username}', ({ p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    if (!org.members.delete(m[1]!)) throw new HttpError(404, 'Member not found');
    for (const g of org.groups.values()) g.members.delete(m[1]!);
    return { status: 204 };
  });

  route('GET', '/v2/orgs/{org_name}/groups', ({ p, path, q, m }) => {
    const org = requireOrg(m[0]!, p, 'member');
    let groups = [...org.groups.values()].sort((a, b) => a.name.localeCompare(b.name));
    const username = q.get('username');
    if (username) groups = groups.filter((g) => g.members.has(username));
    const search = q.get('search');
    if (search) groups = groups.filter((g) => g.name.includes(search));
    const pg = paginate(groups, path, q, 10, 'omit');
    return { status: 200, body: { count: pg.count, ...pg.links, results: pg.slice.map(groupJson) } };
  });

  route('POST', '/v2/orgs/{org_name}/groups', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const body = await readJson(req);
    const name = str(body, 'name', true)!;
    if (org.groups.has(name)) throw new HttpError(400, `Group ${name} already exists`, { name: ['A group with this name already exists.'] });
    const g: GroupRec = { id: st.nextGroupId++, uuid: crypto.randomUUID(), name, description: str(body, 'description', false) ?? '', members: new Set() };
    org.groups.set(name, g);
    return { status: 201, body: groupJson(g) };
  });

  function getGroup(org: OrgRec, name: string): GroupRec {
    const g = org.groups.get(name);
    if (!g) throw new HttpError(404, `Group ${name} not found`);
    return g;
  }

  route('GET', '/v2/orgs/{org_name}/groups/{group_name}', ({ p, m }) => ({ status: 200, body: groupJson(getGroup(requireOrg(m[0]!, p, 'member'), m[1]!)) }));

  for (const method of ['PUT', 'PATCH']) {
    route(method, '/v2/orgs/{org_name}/groups/{group_name}', async ({ req, p, m }) => {
      const org = requireOrg(m[0]!, p, 'owner');
      const g = getGroup(org, m[1]!);
      const body = await readJson(req);
      const name = str(body, 'name', method === 'PUT');
      const description = str(body, 'description', false);
      if (name !== undefined && name !== g.name) {
        if (org.groups.has(name)) throw new HttpError(400, `Group ${name} already exists`);
        org.groups.delete(g.name);
        g.name = name;
        org.groups.set(name, g);
      }
      if (description !== undefined) g.description = description;
      return { status: 200, body: groupJson(g) };
    });
  }

  route('DELETE', '/v2/orgs/{org_name}/groups/{group_name}', ({ p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    getGroup(org, m[1]!);
    org.groups.delete(m[1]!);
    return { status: 204 };
  });

  route('GET', '/v2/orgs/{org_name}/groups/{group_name}/members', ({ p, path, q, m }) => {
    const g = getGroup(requireOrg(m[0]!, p, 'member'), m[1]!);
    let names = [...g.members].sort();
    const search = q.get('search');
    if (search) names = names.filter((n) => n.includes(search));
    const pg = paginate(names, path, q, 10, 'omit');
    return { status: 200, body: { count: pg.count, ...pg.links, results: pg.slice.map(groupMemberJson) } };
  });

  route('POST', '/v2/orgs/{org_name}/groups/{group_name}/members', async ({ req, p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const g = getGroup(org, m[1]!);
    const body = await readJson(req);
    const member = str(body, 'member', true)!;
    if (!org.members.has(member)) throw new HttpError(404, `${member} is not a member of ${org.name}`);
    g.members.add(member);
    record(org.name, 'team.member.add', g.name, requireAuth(p).name, { member }, `added ${member} to the team ${g.name}`);
    return { status: 200 };
  });

  route('DELETE', '/v2/orgs/{org_name}/groups/{group_name}/members/{username}', ({ p, m }) => {
    const org = requireOrg(m[0]!, p, 'owner');
    const g = getGroup(org, m[1]!);
    if (!g.members.delete(m[2]!)) throw new HttpError(404, `${m[2]!} is not in ${g.name}`);
    return { status: 204 };
  });
}
