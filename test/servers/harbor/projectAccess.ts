/**
 * The fake Harbor's project members (users and groups; project admins manage them), user and group searches, tag
 * immutability rules (project admins and maintainers change them) and audit logs (`auditlog-exts`, and the older
 * `logs`), from the document and Harbor's role table. An older Harbor without `auditlog-exts` is a test's fault (404).
 */
import type { HarborState, Principal, ProjectRec, RoleId } from '../harborData';
import { roleIn } from '../harborData';
import { HARBOR_BASE } from '../harborSpec';
import { projectAdmin } from './projects';
import { HttpError, type HarborFake, type HarborRoute, signedIn } from './kit';

export interface GroupRec {
  id: number;
  name: string;
  type: 1 | 2 | 3;
}

interface MemberRec {
  id: number;
  kind: 'u' | 'g';
  name: string;
  entityId: number;
  role: RoleId;
}

export interface AuditRec {
  id: number;
  username: string;
  resource: string;
  resource_type: string;
  operation: string;
  op_time: string;
}

interface RuleRec {
  id: number;
  priority: number;
  disabled: boolean;
  tag: { decoration: string; pattern: string };
  repo: { decoration: string; pattern: string };
}

interface AccessExtra {
  groups: GroupRec[];
  members: Map<string, MemberRec[]>;
  rules: Map<string, RuleRec[]>;
  logs: Map<string, AuditRec[]>;
}

const extras = new WeakMap<HarborState, AccessExtra>();

export function accessExtra(state: HarborState): AccessExtra {
  let x = extras.get(state);
  if (!x) extras.set(state, (x = { groups: [{ id: 7, name: 'developers', type: 1 }, { id: 8, name: 'release-managers', type: 3 }], members: new Map(), rules: new Map(), logs: new Map() }));
  return x;
}

/** An audit log entry of a project. */
export function addAuditLog(state: HarborState, project: string, e: Omit<AuditRec, 'id'>): void {
  const x = accessExtra(state);
  const list = x.logs.get(project) ?? [];
  list.push({ id: state.nextId++, ...e });
  x.logs.set(project, list);
}

const userId = (state: HarborState, name: string) => [...state.principals.keys()].indexOf(name) + 1;

/** The members of a project: on first use, the users with a role in it (as seeded). */
function membersOf(state: HarborState, p: ProjectRec): MemberRec[] {
  const x = accessExtra(state);
  let list = x.members.get(p.name);
  if (!list) {
    list = [...state.principals.values()].filter((u) => !u.robotProject && u.roles.has(p.name)).map((u) => ({ id: state.nextId++, kind: 'u' as const, name: u.name, entityId: userId(state, u.name), role: u.roles.get(p.name)! }));
    x.members.set(p.name, list);
  }
  return list;
}

const memberView = (p: ProjectRec, m: MemberRec) => ({ id: m.id, project_id: p.id, entity_name: m.name, role_name: ['', 'projectAdmin', 'developer', 'guest', 'maintainer', 'limitedGuest'][m.role], role_id: m.role, entity_id: m.entityId, entity_type: m.kind });

const ruleView = (r: RuleRec) => ({
  id: r.id,
  priority: r.priority,
  disabled: r.disabled,
  action: 'immutable',
  template: 'immutable_template',
  params: {},
  tag_selectors: [{ kind: 'doublestar', decoration: r.tag.decoration, pattern: r.tag.pattern }],
  scope_selectors: { repository: [{ kind: 'doublestar', decoration: r.repo.decoration, pattern: r.repo.pattern }] },
});

type RuleBody = { id?: number; priority?: number; disabled?: boolean; action?: string; template?: string; tag_selectors?: { kind?: string; decoration?: string; pattern?: string }[]; scope_selectors?: Record<string, { kind?: string; decoration?: string; pattern?: string }[]> };

function ruleOf(id: number, b: RuleBody): RuleRec {
  const tag = b.tag_selectors?.[0];
  const repo = b.scope_selectors?.repository?.[0];
  if (b.action !== 'immutable' || b.template !== 'immutable_template') throw new HttpError(400, 'BAD_REQUEST', 'invalid action or template');
  if (!tag?.pattern || !['matches', 'excludes'].includes(tag.decoration ?? '') || tag.kind !== 'doublestar') throw new HttpError(400, 'BAD_REQUEST', 'invalid tag selector');
  if (!repo?.pattern || !['repoMatches', 'repoExcludes'].includes(repo.decoration ?? '') || repo.kind !== 'doublestar') throw new HttpError(400, 'BAD_REQUEST', 'invalid repository selector');
  return { id, priority: b.priority ?? 0, disabled: b.disabled === true, tag: { decoration: tag.decoration!, pattern: tag.pattern }, repo: { decoration: repo.decoration!, pattern: repo.pattern } };
}

/** Project admins and maintainers change immutability rules. */
function ruleEditor(p: ProjectRec, who: Principal | undefined): void {
  const me = signedIn(who);
  const role = roleIn(p, me);
  if ((role !== 1 && role !== 4) || me.robotProject) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
}

/** A member of the project other than a limited guest (robots included, as their permissions allow reads). */
function reader(p: ProjectRec, who: Principal | undefined): void {
  const me = signedIn(who);
  const role = roleIn(p, me);
  if (role === undefined || role === 5) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
}

export function projectAccessRoutes(fake: HarborFake): HarborRoute[] {
  const { state } = fake;
  const project = (raw: string, who: Principal | undefined) => fake.project(decodeURIComponent(raw), who);
  const member = (p: ProjectRec, mid: string) => {
    const m = membersOf(state, p).find((x) => x.id === Number(mid));
    if (!m) throw new HttpError(404, 'NOT_FOUND', `member ${mid} not found`);
    return m;
  };
  const setRole = (p: ProjectRec, m: MemberRec, role: RoleId | undefined) => {
    if (m.kind === 'u') {
      const u = state.principals.get(m.name);
      if (role) u?.roles.set(p.name, role);
      else u?.roles.delete(p.name);
    }
  };
  const role = (v: unknown): RoleId => {
    if (v !== 1 && v !== 2 && v !== 3 && v !== 4 && v !== 5) throw new HttpError(400, 'BAD_REQUEST', `invalid role id ${String(v)}`);
    return v;
  };
  const rules = (p: ProjectRec) => {
    const x = accessExtra(state);
    const list = x.rules.get(p.name) ?? [];
    x.rules.set(p.name, list);
    return list;
  };
  const logs = (which: string) => (m: RegExpExecArray, { who, q, out }: Parameters<HarborRoute['handle']>[1]) => {
    const p = project(m[1]!, who);
    reader(p, who);
    const list = [...(accessExtra(state).logs.get(p.name) ?? [])];
    const sort = q.get('sort');
    if (sort && sort !== '-op_time' && sort !== 'op_time') throw new HttpError(400, 'BAD_REQUEST', `cannot sort by ${sort}`);
    list.sort((a, b) => (a.op_time < b.op_time ? -1 : a.op_time > b.op_time ? 1 : 0) * (sort === 'op_time' ? 1 : -1));
    const rows = which === 'logs' ? list : list.map((l) => ({ ...l, operation_description: `${l.operation} ${l.resource}`, operation_result: true }));
    return fake.page(out, `${HARBOR_BASE}/projects/${p.name}/${which}`, q, rows);
  };
  return [
    {
      method: 'GET',
      path: /^\/projects\/([^/]+)\/members$/,
      handle(m, { who, q, out }) {
        const p = project(m[1]!, who);
        reader(p, who);
        const name = q.get('entityname');
        const list = membersOf(state, p).filter((x) => !name || x.name.includes(name));
        return fake.page(out, `${HARBOR_BASE}/projects/${p.name}/members`, q, list).map((x) => memberView(p, x));
      },
    },
    {
      method: 'GET',
      path: /^\/projects\/([^/]+)\/members\/(\d+)$/,
      handle(m, { who }) {
        const p = project(m[1]!, who);
        reader(p, who);
        return memberView(p, member(p, m[2]!));
      },
    },
    {
      method: 'POST',
      path: /^\/projects\/([^/]+)\/members$/,
      handle(m, { who, body, out }) {
        const p = project(m[1]!, who);
        projectAdmin(p, who);
        const b = body as { role_id?: number; member_user?: { username?: string; user_id?: number }; member_group?: { id?: number; group_name?: string } };
        const r = role(b.role_id);
        const list = membersOf(state, p);
        let rec: MemberRec;
        if (b.member_user) {
          const u = state.principals.get(b.member_user.username ?? '');
          if (!u || u.robotProject || u.name.includes('$')) throw new HttpError(404, 'NOT_FOUND', `user ${b.member_user.username ?? ''} not found`);
          rec = { id: state.nextId++, kind: 'u', name: u.name, entityId: userId(state, u.name), role: r };
        } else if (b.member_group) {
          const g = accessExtra(state).groups.find((x) => x.id === b.member_group!.id);
          if (!g) throw new HttpError(404, 'NOT_FOUND', `group ${String(b.member_group.id)} not found`);
          rec = { id: state.nextId++, kind: 'g', name: g.name, entityId: g.id, role: r };
        } else throw new HttpError(400, 'BAD_REQUEST', 'member_user or member_group is required');
        if (list.some((x) => x.kind === rec.kind && x.entityId === rec.entityId)) throw new HttpError(409, 'CONFLICT', `${rec.name} is already a member`);
        list.push(rec);
        setRole(p, rec, r);
        out.status = 201;
        out.headers.Location = `${HARBOR_BASE}/projects/${p.id}/members/${rec.id}`;
        return undefined;
      },
    },
    {
      method: 'PUT',
      path: /^\/projects\/([^/]+)\/members\/(\d+)$/,
      handle(m, { who, body }) {
        const p = project(m[1]!, who);
        projectAdmin(p, who);
        const rec = member(p, m[2]!);
        rec.role = role((body as { role_id?: number } | undefined)?.role_id);
        setRole(p, rec, rec.role);
        return undefined;
      },
    },
    {
      method: 'DELETE',
      path: /^\/projects\/([^/]+)\/members\/(\d+)$/,
      handle(m, { who }) {
        const p = project(m[1]!, who);
        projectAdmin(p, who);
        const rec = member(p, m[2]!);
        accessExtra(state).members.set(p.name, membersOf(state, p).filter((x) => x !== rec));
        setRole(p, rec, undefined);
        return undefined;
      },
    },
    {
      method: 'GET',
      path: /^\/users\/search$/,
      handle(_m, { who, q, out }) {
        signedIn(who);
        const name = q.get('username') ?? '';
        const users = [...state.principals.values()].filter((u) => !u.robotProject && !u.name.includes('$') && u.name.includes(name));
        return fake.page(out, `${HARBOR_BASE}/users/search`, q, users.map((u) => ({ user_id: userId(state, u.name), username: u.name })));
      },
    },
    {
      method: 'GET',
      path: /^\/usergroups\/search$/,
      handle(_m, { who, q, out }) {
        signedIn(who);
        const name = q.get('groupname') ?? '';
        const groups = accessExtra(state).groups.filter((g) => g.name.includes(name));
        return fake.page(out, `${HARBOR_BASE}/usergroups/search`, q, groups.map((g) => ({ id: g.id, group_name: g.name, group_type: g.type })));
      },
    },
    {
      method: 'GET',
      path: /^\/projects\/([^/]+)\/immutabletagrules$/,
      handle(m, { who, q, out }) {
        const p = project(m[1]!, who);
        reader(p, who);
        return fake.page(out, `${HARBOR_BASE}/projects/${p.name}/immutabletagrules`, q, rules(p).map(ruleView));
      },
    },
    {
      method: 'POST',
      path: /^\/projects\/([^/]+)\/immutabletagrules$/,
      handle(m, { who, body, out }) {
        const p = project(m[1]!, who);
        ruleEditor(p, who);
        if (rules(p).length >= 15) throw new HttpError(400, 'BAD_REQUEST', 'a project has at most 15 immutable rules');
        const r = ruleOf(state.nextId++, body as RuleBody);
        rules(p).push(r);
        out.status = 201;
        out.headers.Location = `${HARBOR_BASE}/projects/${p.id}/immutabletagrules/${r.id}`;
        return undefined;
      },
    },
    {
      method: 'PUT',
      path: /^\/projects\/([^/]+)\/immutabletagrules\/(\d+)$/,
      handle(m, { who, body }) {
        const p = project(m[1]!, who);
        ruleEditor(p, who);
        const list = rules(p);
        const i = list.findIndex((r) => r.id === Number(m[2]));
        if (i < 0) throw new HttpError(404, 'NOT_FOUND', `rule ${m[2]} not found`);
        list[i] = ruleOf(list[i]!.id, body as RuleBody);
        return undefined;
      },
    },
    {
      method: 'DELETE',
      path: /^\/projects\/([^/]+)\/immutabletagrules\/(\d+)$/,
      handle(m, { who }) {
        const p = project(m[1]!, who);
        ruleEditor(p, who);
        const list = rules(p);
        if (!list.some((r) => r.id === Number(m[2]))) throw new HttpError(404, 'NOT_FOUND', `rule ${m[2]} not found`);
        accessExtra(state).rules.set(p.name, list.filter((r) => r.id !== Number(m[2])));
        return undefined;
      },
    },
    { method: 'GET', path: /^\/projects\/([^/]+)\/logs$/, handle: logs('logs') },
    { method: 'GET', path: /^\/projects\/([^/]+)\/auditlog-exts$/, handle: logs('auditlog-exts') },
  ];
}
