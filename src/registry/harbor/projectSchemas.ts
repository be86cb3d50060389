import * as z from 'zod';

/**
 * Shapes of the project administration calls of Harbor's `/api/v2.0` (the document's `ProjectSummary`, `Quota`,
 * `ImmutableRule`, `ProjectMemberEntity`, `UserSearchRespItem`, `UserGroupSearchItem`, `AuditLog`, `Registry`,
 * `ProjectDeletable`, `UserResp`). Only the keys read are checked; `null` is accepted where Harbor's Go models null a
 * value.
 */

const optStr = z.string().nullable().optional();
const optInt = z.number().nullable().optional();
const optBool = z.boolean().nullable().optional();

/** ResourceList: limits and usage by resource (`storage`, in bytes; -1 is no limit). */
export const resourceList = z.record(z.string(), z.number()).nullable().optional();

export const projectSummary = z.object({
  repo_count: optInt,
  quota: z.object({ hard: resourceList, used: resourceList }).nullable().optional(),
});
export type ProjectSummary = z.infer<typeof projectSummary>;

export const quota = z.object({
  id: z.number(),
  ref: z.record(z.string(), z.unknown()).nullable().optional(),
  hard: resourceList,
  used: resourceList,
});
export type Quota = z.infer<typeof quota>;
export const quotas = z.array(quota);

export const deletable = z.object({ deletable: optBool, message: optStr });

export const currentUser = z.object({ username: optStr, sysadmin_flag: optBool, admin_role_in_auth: optBool });

export const registryEndpoint = z.object({ id: z.number(), name: optStr, url: optStr, type: optStr, status: optStr, description: optStr });
export type RegistryEndpoint = z.infer<typeof registryEndpoint>;
export const registryEndpoints = z.array(registryEndpoint);

export const immutableSelector = z.object({ kind: optStr, decoration: optStr, pattern: optStr, extras: optStr });
export type ImmutableSelector = z.infer<typeof immutableSelector>;

export const immutableRule = z.object({
  id: z.number(),
  priority: optInt,
  disabled: optBool,
  action: optStr,
  template: optStr,
  tag_selectors: z.array(immutableSelector).nullable().optional(),
  scope_selectors: z.record(z.string(), z.array(immutableSelector).nullable()).nullable().optional(),
});
export type ImmutableRule = z.infer<typeof immutableRule>;
export const immutableRules = z.array(immutableRule);

export const member = z.object({
  id: z.number(),
  project_id: optInt,
  entity_name: optStr,
  role_name: optStr,
  role_id: optInt,
  entity_id: optInt,
  /** `u` for a user, `g` for a group. */
  entity_type: optStr,
});
export type ProjectMember = z.infer<typeof member>;
export const members = z.array(member);

export const userSearch = z.array(z.object({ user_id: optInt, username: optStr }));
export const groupSearch = z.array(z.object({ id: optInt, group_name: optStr, group_type: optInt }));

export const auditLog = z.object({ id: z.number(), username: optStr, resource: optStr, resource_type: optStr, operation: optStr, op_time: optStr });
export type AuditLog = z.infer<typeof auditLog>;
export const auditLogs = z.array(auditLog);
