/**
 * The fake Harbor's project administration (from the document and Harbor's handlers): create (proxy cache projects
 * and storage limits for system administrators only), settings and CVE allowlist (`PUT /projects/{p}`, project
 * admins), delete (412 while repositories remain) with `_deletable`, the summary with its quota, `/quotas` (system
 * administrators), the system CVE allowlist, `/users/current`, registry endpoints, and repository deletes.
 */
import { type HarborState, type Principal, type ProjectRec, addProject, roleIn } from '../harborData';
import { HARBOR_BASE } from '../harborSpec';
import { HttpError, type HarborFake, type HarborRoute, signedIn, sysAdmin } from './kit';
import { systemOf } from './system';

interface ProjectExtra {
  /** Quota records by project name: id and storage limit (-1: none). */
  quotas: Map<string, { id: number; hard: number }>;
  /** Only system administrators may create projects (Harbor's `project_creation_restriction: adminonly`). */
  adminOnlyCreation: boolean;
}

const extras = new WeakMap<HarborState, ProjectExtra>();

/** The fake's project administration state (created on first use). */
export function projectExtra(state: HarborState): ProjectExtra {
  let x = extras.get(state);
  if (!x) extras.set(state, (x = { quotas: new Map(), adminOnlyCreation: false }));
  return x;
}

export function quotaOf(state: HarborState, project: ProjectRec): { id: number; hard: number } {
  const x = projectExtra(state);
  let q = x.quotas.get(project.name);
  if (!q) x.quotas.set(project.name, (q = { id: state.nextId++, hard: -1 }));
  return q;
}

/** Bytes stored in a project: the sizes of its artifacts. */
export function usedBytes(state: HarborState, project: string): number {
  let n = 0;
  for (const [repo, list] of state.artifacts) if (repo.startsWith(`${project}/`)) for (const a of list) n += a.size;
  return n;
}

const BOOL_KEYS = ['public', 'enable_content_trust', 'enable_content_trust_cosign', 'prevent_vul', 'auto_scan', 'auto_sbom_generation', 'reuse_sys_cve_allowlist'];
const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'];

function checkMetadata(m: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) {
    if (typeof v !== 'string') throw new HttpError(400, 'BAD_REQUEST', `metadata ${k} must be a string`);
    if (BOOL_KEYS.includes(k) && v !== 'true' && v !== 'false') throw new HttpError(400, 'BAD_REQUEST', `invalid value of ${k}: ${v}`);
    if (k === 'severity' && !SEVERITIES.includes(v)) throw new HttpError(400, 'BAD_REQUEST', `invalid severity ${v}`);
    out[k] = v;
  }
  return out;
}

type CveBody = { project_id?: number; items?: { cve_id?: string }[]; expires_at?: number | null };

function checkCves(list: CveBody): string[] {
  const ids = (list.items ?? []).map((i) => i.cve_id ?? '');
  for (const id of ids) if (!/^CVE-\d{4}-\d{4,}$/.test(id)) throw new HttpError(400, 'BAD_REQUEST', `invalid CVE id ${id}`);
  return ids;
}

/** Project admins (and system administrators) only; robots and other roles get 403. */
export function projectAdmin(p: ProjectRec, who: Principal | undefined): Principal {
  const me = signedIn(who);
  if (roleIn(p, me) !== 1 || me.robotProject) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
  return me;
}

export function projectRoutes(fake: HarborFake): HarborRoute[] {
  const { state } = fake;
  /** A project by name, or by id when the path holds digits and no project has that name. */
  const find = (raw: string, who: Principal | undefined): ProjectRec => {
    const name = decodeURIComponent(raw);
    if (!state.projects.has(name) && /^\d+$/.test(name)) {
      const byId = [...state.projects.values()].find((p) => p.id === Number(name));
      if (byId) return fake.project(byId.name, who);
    }
    return fake.project(name, who);
  };
  return [
    {
      method: 'POST',
      path: /^\/projects$/,
      handle(_m, { who, body, out }) {
        const me = signedIn(who);
        const req = body as { project_name?: string; public?: boolean | null; metadata?: Record<string, unknown>; storage_limit?: number | null; registry_id?: number | null };
        const x = projectExtra(state);
        if (me.robotProject) throw new HttpError(403, 'FORBIDDEN', 'Only system level robot can create project');
        if (x.adminOnlyCreation && !me.sysadmin) throw new HttpError(403, 'FORBIDDEN', 'Only system admin can create project');
        if (req.registry_id != null && !me.sysadmin) throw new HttpError(403, 'FORBIDDEN', 'Only system admin can create proxy cache project');
        const name = req.project_name ?? '';
        if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(name) || name.length > 255) throw new HttpError(400, 'BAD_REQUEST', `invalid project name ${name}`);
        if (state.projects.has(name)) throw new HttpError(409, 'CONFLICT', `The project named ${name} already exists`);
        if (req.registry_id != null && !systemOf(state).endpoints.has(req.registry_id)) throw new HttpError(400, 'BAD_REQUEST', `registry ${req.registry_id} not found`);
        const metadata = checkMetadata(req.metadata);
        const isPublic = metadata.public !== undefined ? metadata.public === 'true' : req.public === true;
        delete metadata.public;
        const p = addProject(state, name, { public: isPublic, metadata, ...(req.registry_id != null ? { registryId: req.registry_id } : {}) });
        // Harbor keeps a storage limit only from a system administrator; others get the default per project.
        const limit = me.sysadmin && req.storage_limit != null && req.storage_limit !== 0 ? req.storage_limit : -1;
        if (limit < -1) throw new HttpError(400, 'BAD_REQUEST', 'invalid storage limit');
        quotaOf(state, p).hard = limit;
        if (!me.sysadmin) me.roles.set(name, 1);
        out.status = 201;
        out.headers.Location = `${HARBOR_BASE}/projects/${p.id}`;
        return undefined;
      },
    },
    {
      method: 'PUT',
      path: /^\/projects\/([^/]+)$/,
      handle(m, { who, body }) {
        const p = find(m[1]!, who);
        projectAdmin(p, who);
        const req = body as { metadata?: Record<string, unknown>; cve_allowlist?: CveBody };
        const metadata = checkMetadata(req.metadata);
        if (req.cve_allowlist) {
          const list = req.cve_allowlist;
          if (list.project_id && list.project_id !== p.id) throw new HttpError(400, 'BAD_REQUEST', 'project_id in cve_allowlist must match the project');
          p.allowlist = checkCves(list);
          if (typeof list.expires_at === 'number') p.allowlistExpires = list.expires_at;
          else delete p.allowlistExpires;
        }
        if (metadata.public !== undefined) p.public = metadata.public === 'true';
        delete metadata.public;
        Object.assign(p.metadata, metadata);
        return undefined;
      },
    },
    {
      method: 'GET',
      path: /^\/projects\/([^/]+)\/_deletable$/,
      handle(m, { who }) {
        const p = find(m[1]!, who);
        projectAdmin(p, who);
        const repos = [...state.repositories.values()].filter((r) => r.project === p.name).length;
        return repos ? { deletable: false, message: 'the project contains repositories, can not be deleted' } : { deletable: true };
      },
    },
    {
      method: 'DELETE',
      path: /^\/projects\/([^/]+)$/,
      handle(m, { who }) {
        const p = find(m[1]!, who);
        projectAdmin(p, who);
        if ([...state.repositories.values()].some((r) => r.project === p.name)) throw new HttpError(412, 'PRECONDITION', 'the project contains repositories, can not be deleted');
        state.projects.delete(p.name);
        projectExtra(state).quotas.delete(p.name);
        for (const who of state.principals.values()) who.roles.delete(p.name);
        return undefined;
      },
    },
    {
      method: 'GET',
      path: /^\/projects\/([^/]+)\/summary$/,
      handle(m, { who }) {
        const p = find(m[1]!, who);
        const repoCount = [...state.repositories.values()].filter((r) => r.project === p.name).length;
        const out: Record<string, unknown> = { repo_count: repoCount };
        // The quota is shown to those with a role in the project (and system administrators), not to passers-by of a public one.
        if (roleIn(p, who) !== undefined) out.quota = { hard: { storage: quotaOf(state, p).hard }, used: { storage: usedBytes(state, p.name) } };
        return out;
      },
    },
    {
      method: 'GET',
      path: /^\/quotas$/,
      handle(_m, { who, q, out }) {
        sysAdmin(who);
        if (q.get('reference') && q.get('reference') !== 'project') return [];
        const id = q.get('reference_id');
        const projects = [...state.projects.values()].filter((p) => !id || String(p.id) === id);
        const all = projects.map((p) => ({ id: quotaOf(state, p).id, ref: { id: p.id, name: p.name, owner_name: 'admin' }, hard: { storage: quotaOf(state, p).hard }, used: { storage: usedBytes(state, p.name) } }));
        return fake.page(out, `${HARBOR_BASE}/quotas`, q, all);
      },
    },
    {
      method: 'PUT',
      path: /^\/quotas\/(\d+)$/,
      handle(m, { who, body }) {
        sysAdmin(who);
        const entry = [...projectExtra(state).quotas.values()].find((x) => x.id === Number(m[1]));
        if (!entry) throw new HttpError(404, 'NOT_FOUND', `quota ${m[1]} not found`);
        const storage = (body as { hard?: Record<string, number> }).hard?.storage;
        if (typeof storage !== 'number' || !Number.isInteger(storage) || storage < -1 || storage === 0) throw new HttpError(400, 'BAD_REQUEST', 'invalid storage limit');
        entry.hard = storage;
        return undefined;
      },
    },
    {
      method: 'PUT',
      path: /^\/system\/CVEAllowlist$/,
      handle(_m, { who, body }) {
        sysAdmin(who);
        const list = (body ?? {}) as CveBody;
        const ids = checkCves(list);
        const next: HarborState['systemAllowlist'] & { expires_at?: number } = { id: state.systemAllowlist.id, project_id: 0, items: ids.map((cve_id) => ({ cve_id })) };
        if (typeof list.expires_at === 'number') next.expires_at = list.expires_at;
        state.systemAllowlist = next;
        return undefined;
      },
    },
    {
      method: 'GET',
      path: /^\/users\/current$/,
      handle(_m, { who }) {
        const me = signedIn(who);
        // Robot accounts have no user record.
        if (me.robotProject || me.name.includes('$')) throw new HttpError(401, 'UNAUTHORIZED', 'unauthorized');
        return { user_id: [...state.principals.keys()].indexOf(me.name) + 1, username: me.name, email: `${me.name}@example.com`, realname: me.name, comment: '', sysadmin_flag: !!me.sysadmin, admin_role_in_auth: false, creation_time: '2024-01-01T00:00:00.000Z', update_time: '2024-01-01T00:00:00.000Z' };
      },
    },
  ];
}
