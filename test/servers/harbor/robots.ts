/**
 * Robot accounts of the fake Harbor (`/robots`, `/permissions`, `/users/current`), from the document's `Robot`,
 * `RobotCreate`, `RobotCreated` and `RobotSec`: the secret is in the answer of a create or a generated refresh only;
 * a created robot signs in with it (a principal of the state, as `addRobot` makes them), a disabled one is refused.
 * Project robots are managed by the project's admins (maintainers may read them), system robots by system admins.
 */
import * as crypto from 'node:crypto';
import type { HarborState, Principal, ProjectRec } from '../harborData';
import { HARBOR_BASE } from '../harborSpec';
import { type HarborFake, type HarborRoute, HttpError, signedIn, sysAdmin } from './kit';

interface Access {
  resource: string;
  action: string;
  effect?: string;
}
interface Permission {
  kind: string;
  namespace: string;
  access: Access[];
}
export interface RobotRec {
  id: number;
  name: string;
  description: string;
  level: 'project' | 'system';
  duration: number;
  disable: boolean;
  expires: number;
  permissions: Permission[];
  created: string;
  updated: string;
}

/** Harbor's resources and actions for robots (a subset of src/common/rbac/const.go), as `GET /permissions` lists them. */
export const PROJECT_PERMISSIONS: Access[] = [
  ...['pull', 'push', 'list', 'read', 'delete', 'update'].map((action) => ({ resource: 'repository', action })),
  ...['read', 'list', 'create', 'delete'].map((action) => ({ resource: 'artifact', action })),
  ...['create', 'delete', 'list'].map((action) => ({ resource: 'tag', action })),
  ...['create', 'delete'].map((action) => ({ resource: 'artifact-label', action })),
  ...['create', 'stop', 'read'].map((action) => ({ resource: 'scan', action })),
  ...['read', 'list'].map((action) => ({ resource: 'member', action })),
];
export const SYSTEM_PERMISSIONS: Access[] = [
  ...['list', 'create'].map((action) => ({ resource: 'project', action })),
  ...['list', 'read'].map((action) => ({ resource: 'audit-log', action })),
  ...['read', 'list', 'create'].map((action) => ({ resource: 'replication', action })),
  ...['read', 'create', 'stop'].map((action) => ({ resource: 'garbage-collection', action })),
  ...['read', 'list'].map((action) => ({ resource: 'registry', action })),
];

const ROBOT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const DAY = 86_400;
const stores = new WeakMap<HarborState, Map<number, RobotRec>>();

/** A secret like Harbor's: 32 characters with upper- and lower-case letters and digits. */
function newSecret(): string {
  return 'Rb1' + crypto.randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 29);
}

function validSecret(s: string): boolean {
  return s.length >= 8 && s.length <= 128 && /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s);
}

/** The actions a principal gets on a project from a robot's access (the fake checks `delete` and reading). */
function actionsOf(access: Access[]): string[] {
  return [...new Set(access.map((a) => a.action))];
}

/** The robots of the state, seeded robots (`addRobot`) included on first sight. */
export function robotsOf(state: HarborState): Map<number, RobotRec> {
  let m = stores.get(state);
  if (!m) stores.set(state, (m = new Map()));
  const known = new Set([...m.values()].map((r) => r.name));
  for (const p of state.principals.values()) {
    if (!p.name.startsWith('robot$') || known.has(p.name)) continue;
    const id = state.nextId++;
    const now = new Date(Date.UTC(2024, 0, 3)).toISOString();
    const access = (p.robotActions ?? []).map((action) => ({ resource: action === 'read' || action === 'delete' ? 'artifact' : 'repository', action }));
    const permissions = p.robotProject ? [{ kind: 'project', namespace: p.robotProject, access }] : [];
    m.set(id, { id, name: p.name, description: '', level: p.robotProject ? 'project' : 'system', duration: -1, disable: !!p.disabled, expires: -1, permissions, created: now, updated: now });
  }
  return m;
}

function view(r: RobotRec): Record<string, unknown> {
  return { id: r.id, name: r.name, description: r.description, level: r.level, duration: r.duration, editable: true, disable: r.disable, expires_at: r.expires, permissions: r.permissions, creator_type: 'local', creator_ref: 1, creation_time: r.created, update_time: r.updated };
}

function body(b: unknown): Record<string, unknown> {
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw new HttpError(400, 'BAD_REQUEST', 'a JSON object is required');
  return b as Record<string, unknown>;
}

export function robotsRoutes(fake: HarborFake): HarborRoute[] {
  const { state } = fake;
  const projectById = (id: number): ProjectRec => {
    const p = [...state.projects.values()].find((x) => x.id === id);
    if (!p) throw new HttpError(404, 'NOT_FOUND', `project ${id} not found`);
    return p;
  };
  const projectOf = (r: RobotRec) => state.projects.get(r.permissions[0]?.namespace ?? '');
  /** Project admins manage a project's robots, maintainers may read them; system robots are the system admins'. */
  const may = (who: Principal | undefined, p: ProjectRec | undefined, write: boolean): Principal => {
    const u = signedIn(who);
    if (u.sysadmin) return u;
    const role = p && !u.robotProject ? u.roles.get(p.name) : undefined;
    if (role === 1 || (!write && role === 4)) return u;
    throw new HttpError(403, 'FORBIDDEN', 'forbidden');
  };
  const find = (id: string, who: Principal | undefined, write: boolean): RobotRec => {
    signedIn(who);
    const r = robotsOf(state).get(Number(id));
    if (!r) throw new HttpError(404, 'NOT_FOUND', `robot ${id} not found`);
    if (r.level === 'system') sysAdmin(who);
    else may(who, projectOf(r), write);
    return r;
  };
  /** -1 (never) or days; 0 takes the system's default (30 days), as Harbor's `robot_token_duration`. */
  const checkDuration = (d: unknown): number => {
    if (d === 0) return 30;
    if (d === -1 || (typeof d === 'number' && Number.isInteger(d) && d > 0 && d < 2 ** 31 - 1)) return d;
    throw new HttpError(400, 'BAD_REQUEST', 'duration must be either -1(Never) or a positive integer');
  };
  const checkPermissions = (level: string, perms: unknown): Permission[] => {
    if (!Array.isArray(perms) || !perms.length) throw new HttpError(400, 'BAD_REQUEST', 'permissions are required');
    const list = perms as Permission[];
    const allowed = (kind: string) => (kind === 'system' ? SYSTEM_PERMISSIONS : PROJECT_PERMISSIONS);
    for (const p of list) {
      if (p.kind !== 'project' && p.kind !== 'system') throw new HttpError(400, 'BAD_REQUEST', `bad permission kind ${String(p.kind)}`);
      if (level === 'project' && (p.kind !== 'project' || list.length !== 1)) throw new HttpError(400, 'BAD_REQUEST', 'a project robot has the permissions of one project');
      if (p.kind === 'system' && p.namespace !== '/') throw new HttpError(400, 'BAD_REQUEST', 'system permissions have the namespace /');
      if (p.kind === 'project' && p.namespace !== '*' && !state.projects.has(p.namespace)) throw new HttpError(404, 'NOT_FOUND', `project ${p.namespace} not found`);
      if (!Array.isArray(p.access) || !p.access.length) throw new HttpError(400, 'BAD_REQUEST', 'access is required');
      for (const a of p.access) if (!allowed(p.kind).some((x) => x.resource === a.resource && x.action === a.action)) throw new HttpError(400, 'BAD_REQUEST', `unsupported ${p.kind} permission ${a.resource}:${a.action}`);
    }
    return list.map((p) => ({ kind: p.kind, namespace: p.namespace, access: p.access.map((a) => ({ resource: a.resource, action: a.action, effect: a.effect ?? 'allow' })) }));
  };
  const principalOf = (r: RobotRec, secret: string): Principal => {
    const projectPerm = r.permissions.filter((p) => p.kind === 'project');
    const roles = new Map<string, 3>();
    if (r.level === 'system') for (const p of projectPerm) for (const name of p.namespace === '*' ? state.projects.keys() : [p.namespace]) roles.set(name, 3);
    return { name: r.name, secret, roles, robotProject: r.level === 'project' ? r.permissions[0]!.namespace : undefined, robotActions: actionsOf(projectPerm.flatMap((p) => p.access)), disabled: r.disable };
  };

  return [
    {
      method: 'GET',
      path: /^\/users\/current$/,
      handle: (_m, { who }) => {
        const u = signedIn(who);
        if (u.name.startsWith('robot$')) throw new HttpError(412, 'PRECONDITION', 'the caller is a robot account, not a user');
        return { user_id: [...state.principals.keys()].indexOf(u.name) + 1, username: u.name, sysadmin_flag: !!u.sysadmin, admin_role_in_auth: false, creation_time: '2024-01-01T00:00:00.000Z' };
      },
    },
    {
      method: 'GET',
      path: /^\/users\/current\/permissions$/,
      handle: (_m, { q, who }) => {
        const u = signedIn(who);
        const m = /^\/project\/(\d+)$/.exec(q.get('scope') ?? '');
        if (!m) return [];
        const p = projectById(Number(m[1]));
        const role = u.sysadmin ? 1 : u.robotProject ? undefined : u.roles.get(p.name);
        const robot = role === 1 ? ['create', 'read', 'update', 'delete', 'list'] : role === 4 ? ['read', 'list'] : [];
        const prefix = q.get('relative') === 'true' ? '' : `/project/${p.id}/`;
        return [...(role ? [{ resource: `${prefix}repository`, action: 'pull' }] : []), ...robot.map((action) => ({ resource: `${prefix}robot`, action }))];
      },
    },
    {
      method: 'GET',
      path: /^\/permissions$/,
      handle: (_m, { who }) => {
        const u = signedIn(who);
        if (!u.sysadmin && ![...u.roles.values()].includes(1)) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
        return { system: SYSTEM_PERMISSIONS, project: PROJECT_PERMISSIONS };
      },
    },
    {
      method: 'GET',
      path: /^\/robots$/,
      handle: (_m, { q, who, out }) => {
        const filter = Object.fromEntries((q.get('q') ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
        let list = [...robotsOf(state).values()];
        if (filter.Level === 'project') {
          const p = projectById(Number(filter.ProjectID));
          may(who, p, false);
          list = list.filter((r) => r.level === 'project' && r.permissions[0]?.namespace === p.name);
        } else {
          sysAdmin(who);
          if (filter.Level) list = list.filter((r) => r.level === filter.Level);
        }
        return fake.page(out, HARBOR_BASE + '/robots', q, list).map(view);
      },
    },
    {
      method: 'POST',
      path: /^\/robots$/,
      handle: (_m, { who, body: raw, out }) => {
        const b = body(raw);
        const level = b.level;
        if (level !== 'project' && level !== 'system') throw new HttpError(400, 'BAD_REQUEST', 'level must be project or system');
        const name = typeof b.name === 'string' ? b.name : '';
        if (!ROBOT_NAME.test(name)) throw new HttpError(400, 'BAD_REQUEST', `invalid robot name ${name}`);
        const duration = checkDuration(b.duration);
        const permissions = checkPermissions(level, b.permissions);
        if (level === 'system') sysAdmin(who);
        else may(who, state.projects.get(permissions[0]!.namespace), true);
        const full = level === 'project' ? `robot$${permissions[0]!.namespace}+${name}` : `robot$${name}`;
        if (state.principals.has(full)) throw new HttpError(400, 'BAD_REQUEST', `robot ${full} already exists`);
        const id = state.nextId++;
        const now = new Date().toISOString();
        const r: RobotRec = { id, name: full, description: typeof b.description === 'string' ? b.description : '', level, duration, disable: b.disable === true, expires: duration === -1 ? -1 : Math.floor(Date.now() / 1000) + duration * DAY, permissions, created: now, updated: now };
        robotsOf(state).set(id, r);
        const secret = newSecret();
        state.principals.set(full, principalOf(r, secret));
        out.status = 201;
        out.headers.Location = `${HARBOR_BASE}/robots/${id}`;
        return { id, name: full, secret, creation_time: now, expires_at: r.expires };
      },
    },
    { method: 'GET', path: /^\/robots\/(\d+)$/, handle: (m, { who }) => view(find(m[1]!, who, false)) },
    {
      method: 'PUT',
      path: /^\/robots\/(\d+)$/,
      handle: (m, { who, body: raw }) => {
        const r = find(m[1]!, who, true);
        const b = body(raw);
        // Harbor reads the whole robot: its name, level and project must be those it has.
        if (b.name !== r.name || b.level !== r.level) throw new HttpError(400, 'BAD_REQUEST', 'the name and level of a robot cannot change');
        const permissions = checkPermissions(r.level, b.permissions);
        if (r.level === 'project' && permissions[0]!.namespace !== r.permissions[0]!.namespace) throw new HttpError(400, 'BAD_REQUEST', 'cannot update the project id of robot');
        const duration = checkDuration(b.duration);
        if (duration !== r.duration) r.expires = duration === -1 ? -1 : Math.floor(Date.now() / 1000) + duration * DAY;
        Object.assign(r, { duration, permissions, description: typeof b.description === 'string' ? b.description : '', disable: b.disable === true, updated: new Date().toISOString() });
        const p = state.principals.get(r.name);
        if (p) state.principals.set(r.name, principalOf(r, p.secret));
        return undefined;
      },
    },
    {
      method: 'PATCH',
      path: /^\/robots\/(\d+)$/,
      handle: (m, { who, body: raw }) => {
        const r = find(m[1]!, who, true);
        const given = body(raw).secret;
        if (given !== undefined && given !== '' && (typeof given !== 'string' || !validSecret(given))) {
          throw new HttpError(400, 'BAD_REQUEST', 'the secret must longer than 8 chars with at least 1 uppercase letter, 1 lowercase letter and 1 number');
        }
        const secret = typeof given === 'string' && given ? given : newSecret();
        state.principals.set(r.name, principalOf(r, secret));
        return given ? {} : { secret };
      },
    },
    {
      method: 'DELETE',
      path: /^\/robots\/(\d+)$/,
      handle: (m, { who }) => {
        const r = find(m[1]!, who, true);
        robotsOf(state).delete(r.id);
        state.principals.delete(r.name);
        return undefined;
      },
    },
  ];
}
