import * as z from 'zod';
import { BadResponseError, NotFoundError } from '../errors';
import type { Cursor, Page } from '../provider';
import type { HarborClient } from './client';

/**
 * Robot accounts of Harbor's `/api/v2.0` (`/robots`, `/permissions`, `/users/current`) and their shapes, from the
 * document's `Robot`, `RobotCreate`, `RobotCreated`, `RobotSec`, `RobotPermission`, `Access`, `Permissions` and
 * `UserResp` definitions. Every property is optional as in the document; `null` is accepted where Go omits a value.
 */

const optStr = z.string().nullable().optional();
const optInt = z.number().nullable().optional();
const optBool = z.boolean().nullable().optional();

export const access = z.object({ resource: optStr, action: optStr, effect: optStr });
export type HarborAccess = z.infer<typeof access>;

/** RobotPermission: what a robot may do in one namespace (`kind` project + a project name or `*`, or system + `/`). */
export const robotPermission = z.object({ kind: optStr, namespace: optStr, access: z.array(access).nullable().optional() });
export type HarborRobotPermission = z.infer<typeof robotPermission>;

export const robot = z.object({
  id: z.number().int(),
  /** The full name (`robot$team-a+ci`, `robot$ci`). */
  name: z.string(),
  description: optStr,
  level: optStr,
  /** Days; -1: never expires. */
  duration: optInt,
  editable: optBool,
  disable: optBool,
  /** Unix seconds; -1: never. */
  expires_at: optInt,
  permissions: z.array(robotPermission).nullable().optional(),
  creation_time: optStr,
  update_time: optStr,
});
export type HarborRobot = z.infer<typeof robot>;
export const robots = z.array(robot);

export const robotCreated = z.object({ id: optInt, name: z.string(), secret: optStr, expires_at: optInt, creation_time: optStr });

export const robotSec = z.object({ secret: optStr });

export const permission = z.object({ resource: z.string(), action: z.string() });
export const permissions = z.object({ system: z.array(permission).nullable().optional(), project: z.array(permission).nullable().optional() });
export type HarborPermissions = z.infer<typeof permissions>;

export const currentUser = z.object({ user_id: optInt, username: optStr, sysadmin_flag: optBool, admin_role_in_auth: optBool });
export type HarborCurrentUser = z.infer<typeof currentUser>;

/** What `POST /robots` takes (RobotCreate). */
export interface RobotCreate {
  name: string;
  description?: string;
  level: 'project' | 'system';
  duration: number;
  disable: boolean;
  permissions: { kind: 'project' | 'system'; namespace: string; access: { resource: string; action: string }[] }[];
}

function robotPath(id: number): string {
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError(`Invalid robot id ${String(id)}`);
  return `/robots/${id}`;
}

/** The calls about robot accounts, each naming what it needs when Harbor refuses it. */
export class HarborRobotApi {
  constructor(readonly client: HarborClient) {}

  /** A project's robots (`q=Level=project,ProjectID=<id>`) or the system robots (`q=Level=system`). */
  list(filter: { level: 'project'; projectId: number; project: string } | { level: 'system' }, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<HarborRobot>> {
    const project = filter.level === 'project';
    return this.client.page(
      {
        path: '/robots',
        query: { q: project ? `Level=project,ProjectID=${filter.projectId}` : 'Level=system' },
        what: project ? `the robot accounts of ${filter.project}` : 'the system robot accounts',
        needs: project ? 'the "list robot" permission on the project (project admin or maintainer)' : 'the system administrator role',
        signal,
      },
      robots,
      cursor,
      pageSize,
    );
  }

  get(id: number, signal?: AbortSignal): Promise<HarborRobot> {
    return this.client.json({ method: 'GET', path: robotPath(id), what: `robot account ${id}`, needs: 'the "read robot" permission', signal }, robot);
  }

  /** Creates a robot; the answer carries its secret, the one time Harbor shows it. */
  async create(body: RobotCreate, signal?: AbortSignal): Promise<{ name: string; secret: string }> {
    const needs = body.level === 'project' ? 'the "create robot" permission on the project (project admin)' : 'the system administrator role';
    const r = await this.client.json({ method: 'POST', path: '/robots', json: body, what: `robot account ${body.name}`, needs, signal }, robotCreated);
    if (!r.secret) throw new BadResponseError(`Harbor created robot account ${r.name} but sent no secret: use Refresh Secret on it to get one`);
    return { name: r.name, secret: r.secret };
  }

  /** Replaces a robot (`PUT` takes the whole robot: enabling or disabling sends it back with `disable` changed). */
  update(r: HarborRobot, signal?: AbortSignal): Promise<void> {
    const body = {
      id: r.id,
      name: r.name,
      description: r.description ?? '',
      level: r.level ?? undefined,
      duration: r.duration ?? undefined,
      editable: r.editable ?? undefined,
      disable: !!r.disable,
      expires_at: r.expires_at ?? undefined,
      permissions: r.permissions ?? [],
    };
    return this.client.call({ method: 'PUT', path: robotPath(r.id), json: body, what: `robot account ${r.name}`, needs: 'the "update robot" permission', signal });
  }

  /**
   * A new secret: Harbor generates one when `secret` is absent and answers it (the one time it is shown); a given
   * secret (8–128 characters with an upper-case letter, a lower-case letter and a digit) is not echoed back.
   */
  async refresh(id: number, name: string, secret?: string, signal?: AbortSignal): Promise<string | undefined> {
    const r = await this.client.json({ method: 'PATCH', path: robotPath(id), json: secret ? { secret } : {}, what: `the secret of robot account ${name}`, needs: 'the "update robot" permission', signal }, robotSec);
    return r.secret || undefined;
  }

  delete(id: number, name: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'DELETE', path: robotPath(id), what: `robot account ${name}`, needs: 'the "delete robot" permission', signal });
  }

  /** The resources and actions a robot may be granted, system and project scopes (Harbor 2.9 and later). */
  permissions(signal?: AbortSignal): Promise<HarborPermissions> {
    return this.client.json({ method: 'GET', path: '/permissions', what: 'the permissions robot accounts may have', needs: 'the system administrator or project administrator role', signal }, permissions);
  }

  /** What the signed-in user may do in a project (`robot` `list`…), relative to it. */
  projectPermissions(projectId: number, signal?: AbortSignal): Promise<{ resource: string; action: string }[]> {
    return this.client.json({ method: 'GET', path: '/users/current/permissions', query: { scope: `/project/${projectId}`, relative: true }, what: 'your permissions in the project', signal }, z.array(permission));
  }

  /** The signed-in user (robot accounts get 412: they are no user). */
  currentUser(signal?: AbortSignal): Promise<HarborCurrentUser> {
    return this.client.json({ method: 'GET', path: '/users/current', what: 'the signed-in user', signal }, currentUser);
  }
}
