import * as z from 'zod';
import { type ItemView, type Outcome, type Scope, defineAction, defineResource } from '../../admin';
import { done, namespaceOf } from '../../adminKit';
import type { Choice, FieldChoices } from '../../choices';
import { BadResponseError, NotFoundError } from '../../errors';
import { t } from '../../l10n';
import { registerSecret } from '../../redact';
import { isRobot } from '../client';
import { type HarborAccess, type HarborPermissions, type HarborRobot, HarborRobotApi, type RobotCreate } from '../robotApi';
import type { HarborAdminHost, HarborAdminPart } from './shared';
import { numericKey } from './ids';
import { isSysAdmin } from './sysadmin';

/** Harbor's rule for a robot's name (the part after `robot$project+`). */
const ROBOT_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** One permission as the form holds it: `resource:action` (`repository:pull`, `artifact-label:create`). */
const PERMISSION = /^[a-z0-9*][a-z0-9*_-]*:[a-z0-9*][a-z0-9*_-]*$/;

/**
 * What robots may be granted when Harbor has no `GET /permissions` (before 2.9): the project permissions its portal
 * offered robots then.
 */
export const LEGACY_PROJECT_PERMISSIONS = ['repository:pull', 'repository:push', 'artifact:delete', 'helm-chart:read', 'helm-chart-version:create', 'helm-chart-version:delete', 'tag:create', 'tag:delete', 'artifact-label:create', 'scan:create'];

const permissionValues = z.array(z.string().trim().regex(PERMISSION, t('is not a resource:action pair')));
const permissionList = (title: string, description: string) => permissionValues.default([]).meta({ title, description });

const common = {
  name: z
    .string()
    .trim()
    .max(255)
    .regex(ROBOT_NAME, t('lower-case letters and digits, separated by one . _ or -'))
    .meta({ title: t('Name'), description: t('Lower-case letters, digits and . _ -; Harbor prefixes it (robot$project+name, robot$name)') }),
  description: z.string().max(1024).optional().meta({ title: t('Description') }),
  duration: z
    .number()
    .int()
    .refine((d) => d === -1 || (d >= 1 && d <= 36500), t('-1 (never) or a number of days'))
    .default(30)
    .meta({ title: t('Expires after (days)'), description: t('-1: never expires') }),
};

export const projectRobotForm = z.object({
  ...common,
  permissions: permissionValues.min(1, t('Pick at least one permission')).meta({ title: t('Permissions'), description: t('The resources and actions the robot may use in this project, as Harbor lists them') }),
});

export const systemRobotForm = z
  .object({
    ...common,
    systemPermissions: permissionList(t('System permissions'), t('Registry-wide resources and actions (audit logs, projects, replication…)')),
    projects: z
      .array(z.string().trim().min(1))
      .default([])
      .meta({ title: t('Projects'), description: t('The projects the project permissions apply to; * for every project, present and future') }),
    projectPermissions: permissionList(t('Project permissions'), t('The resources and actions the robot may use in each of those projects')),
  })
  .refine((v) => v.systemPermissions.length + v.projectPermissions.length > 0, { message: t('Pick at least one permission'), path: ['systemPermissions'] })
  .refine((v) => !v.projectPermissions.length || v.projects.length > 0, { message: t('Pick the projects the project permissions apply to'), path: ['projects'] });

export const refreshForm = z.object({
  secret: z
    .string()
    .min(8, t('at least 8 characters'))
    .max(128)
    .refine((s) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s), t('needs an upper-case letter, a lower-case letter and a digit'))
    .optional()
    .meta({ title: t('New secret'), secret: true, description: t('Empty: Harbor generates one, shown once. Your own: 8 to 128 characters with an upper-case letter, a lower-case letter and a digit') }),
});

/** `repository:pull` → `{ resource: 'repository', action: 'pull' }`. */
export function toAccess(values: readonly string[]): { resource: string; action: string }[] {
  const seen = new Set<string>();
  const out: { resource: string; action: string }[] = [];
  for (const v of values) {
    if (!PERMISSION.test(v) || seen.has(v)) continue;
    seen.add(v);
    const i = v.indexOf(':');
    out.push({ resource: v.slice(0, i), action: v.slice(i + 1) });
  }
  return out;
}

/** `repository: pull, push · artifact: read`: a robot's access grouped by resource. */
export function accessSummary(access: readonly HarborAccess[]): string {
  const by = new Map<string, string[]>();
  for (const a of access) {
    const r = a.resource ?? '?';
    by.set(r, [...(by.get(r) ?? []), a.action ?? '?']);
  }
  return [...by].map(([r, actions]) => `${r}: ${actions.join(', ')}`).join(' · ');
}

/** When a robot expires, in words. */
export function expiry(r: HarborRobot, now = Date.now()): string {
  if (r.expires_at === -1 || r.duration === -1) return t('never expires');
  if (typeof r.expires_at !== 'number' || r.expires_at <= 0) return t('expiry unknown');
  const date = new Date(r.expires_at * 1000).toISOString().slice(0, 10);
  return r.expires_at * 1000 < now ? t('expired {0}', date) : t('expires {0}', date);
}

export function robotView(r: HarborRobot): ItemView {
  const perms = r.permissions ?? [];
  const count = perms.reduce((n, p) => n + (p.access?.length ?? 0), 0);
  const namespaces = perms.map((p) => (p.kind === 'system' ? t('system') : p.namespace === '*' ? t('every project') : (p.namespace ?? '?')));
  const summary = perms.length === 1 && count <= 4 ? accessSummary(perms[0]!.access ?? []) : t('{0} permissions on {1}', count, namespaces.join(', '));
  return {
    label: r.name,
    description: [r.disable ? t('disabled') : undefined, expiry(r), summary, r.description || undefined].filter(Boolean).join(' · '),
    tooltip: [r.name, r.description || '', ...perms.map((p) => `${p.kind === 'system' ? t('system') : (p.namespace ?? '?')}: ${accessSummary(p.access ?? [])}`)].filter(Boolean).join('\n'),
    icon: r.disable ? 'circle-slash' : 'robot',
  };
}

const permissionCache = new WeakMap<HarborAdminHost, { at: number; value: Promise<HarborPermissions> }>();

/** What Harbor lets robots be granted (cached five minutes); the legacy project list when Harbor has no `/permissions`. */
function grantable(host: HarborAdminHost, signal?: AbortSignal): Promise<HarborPermissions> {
  const hit = permissionCache.get(host);
  if (hit && Date.now() - hit.at < 300_000) return hit.value;
  const value = new HarborRobotApi(host.client).permissions(signal).catch((e: unknown) => {
    permissionCache.delete(host);
    if (e instanceof NotFoundError) return { project: LEGACY_PROJECT_PERMISSIONS.map((p) => ({ resource: p.split(':')[0]!, action: p.split(':')[1]! })), system: [] };
    throw e;
  });
  permissionCache.set(host, { at: Date.now(), value });
  return value;
}

function permissionChoices(host: HarborAdminHost, scope: 'project' | 'system'): FieldChoices[string] {
  return {
    title: t('permissions'),
    async load(_s, query, signal) {
      const all = (await grantable(host, signal))[scope] ?? [];
      const q = query.trim().toLowerCase();
      return all
        .map((p) => `${p.resource}:${p.action}`)
        .filter((v) => PERMISSION.test(v) && (!q || v.includes(q)))
        .map((v): Choice => ({ value: v, label: v.replace(':', ' · ') }));
    },
  };
}

function projectChoices(host: HarborAdminHost): FieldChoices[string] {
  return {
    title: t('projects'),
    async load(_s, query, signal) {
      const q = query.trim().toLowerCase();
      const page = await host.api.listProjects(undefined, 100, signal);
      const all: Choice[] = [{ value: '*', label: '*', description: t('every project, present and future') }, ...page.items.map((p) => ({ value: p.name, label: p.name }))];
      return all.filter((c) => !q || c.value.includes(q));
    },
  };
}

async function projectId(host: HarborAdminHost, project: string, signal?: AbortSignal): Promise<number> {
  const p = await host.api.project(project, signal);
  if (typeof p.project_id !== 'number') throw new BadResponseError(`Harbor sent project ${project} without its id`);
  return p.project_id;
}

/**
 * Whether the project's robots are shown: to users whose permissions in the project (`GET /users/current/permissions`)
 * include listing robots (project admins and maintainers), system administrators, and — when Harbor cannot say — to
 * any signed-in user, the list then saying what it needs. Not to robot accounts or anonymous callers.
 */
async function mayListRobots(host: HarborAdminHost, project: string, signal?: AbortSignal): Promise<boolean> {
  const { username, secret } = await host.client.login();
  if (!username || !secret || isRobot(username)) return false;
  if (await isSysAdmin(host, signal)) return true;
  try {
    const perms = await new HarborRobotApi(host.client).projectPermissions(await projectId(host, project, signal), signal);
    return perms.some((p) => (p.resource === 'robot' || p.resource === '*') && (p.action === 'list' || p.action === '*'));
  } catch {
    return true;
  }
}

function robotId(key: string): number {
  return numericKey(key, 'robot account');
}

function created(name: string, secret: string): Outcome {
  registerSecret(secret);
  return { kind: 'secret', message: t('Created robot account {0}. Copy its secret now: Harbor shows it only once.', name), label: t('secret of {0}', name), secret, refresh: 'list' };
}

/** The robot accounts of a project (Access under each project) or of the system (Administration, admins only). */
function robotType(host: HarborAdminHost, level: 'project' | 'system') {
  const api = new HarborRobotApi(host.client);
  const action = defineAction<HarborRobot>();
  const setDisabled = async (key: string, disable: boolean, signal?: AbortSignal): Promise<Outcome> => {
    const r = await api.get(robotId(key), signal);
    await api.update({ ...r, disable }, signal);
    return done(disable ? t('Disabled robot account {0}', r.name) : t('Enabled robot account {0}', r.name));
  };
  const shared = {
    shape: 'list' as const,
    itemTitle: t('robot account'),
    icon: 'robot',
    key: (r: HarborRobot) => String(r.id),
    view: robotView,
    get: (ref: { key: string }, signal?: AbortSignal) => api.get(robotId(ref.key), signal),
    remove: {
      title: t('Delete Robot Account'),
      confirm: async (r: HarborRobot) => ({
        message: t('Delete robot account {0}?', r.name),
        detail: t('Anything signing in as {0} is refused from now on. This cannot be undone.', r.name),
        button: t('Delete Robot Account'),
      }),
      async run(ref: { key: string }, signal?: AbortSignal) {
        const r = await api.get(robotId(ref.key), signal);
        await api.delete(r.id, r.name, signal);
        return done(t('Deleted robot account {0}', r.name));
      },
    },
    actions: [
      action({
        id: 'refreshSecret',
        title: t('Refresh Secret'),
        icon: 'refresh',
        input: { schema: refreshForm, title: t('Refresh Secret'), submitLabel: t('Refresh Secret') },
        confirm: async (r) => ({
          message: t('Refresh the secret of {0}?', r.name),
          detail: t('Its current secret stops working at once: update every place that signs in as {0}.', r.name),
          button: t('Refresh Secret'),
        }),
        async run(ref, v, signal) {
          registerSecret(v.secret);
          const r = await api.get(robotId(ref.key), signal);
          const secret = await api.refresh(r.id, r.name, v.secret, signal);
          if (!secret) return done(t('{0} now signs in with the secret you gave', r.name), 'none');
          registerSecret(secret);
          return { kind: 'secret', message: t('New secret of {0}. Copy it now: Harbor shows it only once.', r.name), label: t('secret of {0}', r.name), secret, refresh: 'none' };
        },
      }),
      action({
        id: 'disable',
        title: t('Disable'),
        icon: 'circle-slash',
        when: (r) => !r.disable,
        confirm: async (r) => ({ message: t('Disable robot account {0}?', r.name), detail: t('It can no longer sign in until it is enabled again.'), button: t('Disable') }),
        run: (ref, _v, signal) => setDisabled(ref.key, true, signal),
      }),
      action({ id: 'enable', title: t('Enable'), icon: 'pass', when: (r) => !!r.disable, run: (ref, _v, signal) => setDisabled(ref.key, false, signal) }),
    ],
  };

  if (level === 'project') {
    return defineResource<HarborRobot>()({
      ...shared,
      type: 'projectRobot',
      title: t('Robot Accounts'),
      placement: { under: 'namespace', group: 'access' },
      available: (scope, signal) => mayListRobots(host, namespaceOf(scope), signal),
      async list(scope: Scope, cursor, opts) {
        const project = namespaceOf(scope);
        return api.list({ level: 'project', project, projectId: await projectId(host, project, opts?.signal) }, cursor, opts?.pageSize, opts?.signal);
      },
      create: {
        title: t('Create Robot Account'),
        form: { schema: projectRobotForm, choices: { permissions: permissionChoices(host, 'project') }, submitLabel: t('Create') },
        async run(scope, v, signal) {
          const project = namespaceOf(scope);
          const body: RobotCreate = { name: v.name, description: v.description, level: 'project', duration: v.duration, disable: false, permissions: [{ kind: 'project', namespace: project, access: toAccess(v.permissions) }] };
          const r = await api.create(body, signal);
          return created(r.name, r.secret);
        },
      },
    });
  }
  return defineResource<HarborRobot>()({
    ...shared,
    type: 'systemRobot',
    title: t('System Robot Accounts'),
    placement: { under: 'registry', group: 'administration' },
    available: (_scope, signal) => isSysAdmin(host, signal),
    list: (_scope, cursor, opts) => api.list({ level: 'system' }, cursor, opts?.pageSize, opts?.signal),
    create: {
      title: t('Create System Robot Account'),
      form: {
        schema: systemRobotForm,
        choices: { systemPermissions: permissionChoices(host, 'system'), projectPermissions: permissionChoices(host, 'project'), projects: projectChoices(host) },
        submitLabel: t('Create'),
      },
      async run(_scope, v, signal) {
        const permissions: RobotCreate['permissions'] = [];
        if (v.systemPermissions.length) permissions.push({ kind: 'system', namespace: '/', access: toAccess(v.systemPermissions) });
        const projects = v.projects.includes('*') ? ['*'] : [...new Set(v.projects)];
        if (v.projectPermissions.length) for (const namespace of projects) permissions.push({ kind: 'project', namespace, access: toAccess(v.projectPermissions) });
        const r = await api.create({ name: v.name, description: v.description, level: 'system', duration: v.duration, disable: false, permissions }, signal);
        return created(r.name, r.secret);
      },
    },
  });
}

export const robotsPart: HarborAdminPart = (host) => [robotType(host, 'project'), robotType(host, 'system')];
