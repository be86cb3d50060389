import * as z from 'zod';
import { isVerifiableDigest } from '../digest';

/**
 * Response shapes of Quay's `/api/v1`. Quay's discovery document declares no response schemas, so these follow the
 * shapes read from Quay's source (test/fixtures/specs/quay-models-found.json). Only the keys read here are checked;
 * the others (Quay adds keys by feature flag and version) are dropped, which also keeps parsing on zod's fast path.
 */

const str = z.string();
const optStr = str.nullable().optional();
const optNum = z.number().nullable().optional();
const optBool = z.boolean().nullable().optional();
/**
 * A manifest digest from a listing: `sha256:`/`sha512:` and lower-case hex only. It is shown in tooltips and put in
 * request paths, so anything else (markup, line breaks, other algorithms) is refused where it enters.
 */
const digest = str.refine(isVerifiableDigest, { message: 'is not a sha256 or sha512 digest' });
/** A time in any of Quay's three formats (RFC 2822 string, Unix seconds, ISO 8601); see `parseQuayTime`. */
const time = z.union([z.string(), z.number()]).nullable().optional();

export const repositoryStates = ['NORMAL', 'READ_ONLY', 'MIRROR', 'ORG_MIRROR', 'MARKED_FOR_DELETION'] as const;
export type RepositoryState = (typeof repositoryStates)[number];

export const securityStatuses = ['queued', 'scanned', 'unsupported', 'failed', 'manifest_layer_too_large'] as const;

export const apiError = z.object({
  status: z.number().optional(),
  title: optStr,
  detail: optStr,
  error_message: optStr,
  error_type: optStr,
  type: optStr,
  message: optStr,
});

export const organizationRef = z.object({
  name: str,
  is_org_admin: optBool,
  can_create_repo: optBool,
  public: optBool,
});

export const user = z.object({
  anonymous: z.boolean().optional(),
  username: str.optional(),
  email: optStr,
  can_create_repo: optBool,
  organizations: z.array(organizationRef).optional(),
});
export type QuayUser = z.infer<typeof user>;

export const repository = z.object({
  namespace: str,
  name: str,
  description: optStr,
  is_public: z.boolean(),
  kind: optStr,
  state: z.enum(repositoryStates).nullable().optional(),
  last_modified: time,
  popularity: optNum,
  is_starred: optBool,
  quota_report: z.object({ quota_bytes: optNum, configured_quota: optNum }).nullable().optional(),
});
export type QuayRepository = z.infer<typeof repository>;

export const repositoryList = z.object({
  repositories: z.array(repository),
  next_page: optStr,
});

export const repositoryInfo = z.object({
  namespace: str,
  name: str,
  description: optStr,
  is_public: z.boolean(),
  is_organization: optBool,
  state: z.enum(repositoryStates).nullable().optional(),
  tag_expiration_s: optNum,
  can_write: optBool,
  can_admin: optBool,
});
export type QuayRepositoryInfo = z.infer<typeof repositoryInfo>;

export const tag = z.object({
  name: str,
  reversion: optBool,
  immutable: optBool,
  start_ts: optNum,
  end_ts: optNum,
  manifest_digest: digest,
  is_manifest_list: optBool,
  size: optNum,
  last_modified: time,
  expiration: time,
  child_manifest_count: optNum,
});
export type QuayTag = z.infer<typeof tag>;

export const tagList = z.object({
  tags: z.array(tag),
  page: z.number(),
  has_additional: z.boolean(),
});

const schemaMap = z.record(z.string(), z.object({ properties: z.record(z.string(), z.unknown()).optional() }).loose());
/** `/api/v1/discovery`: Swagger 2.0 (`definitions`) from Quay itself, OpenAPI 3 (`components.schemas`) when converted. */
export const discovery = z.object({
  paths: z.record(z.string(), z.unknown()),
  definitions: schemaMap.optional().catch(undefined),
  components: z.object({ schemas: schemaMap.optional().catch(undefined) }).optional().catch(undefined),
});

export const permission = z.object({
  role: z.enum(['read', 'write', 'admin']),
  name: str,
  is_robot: optBool,
  is_org_member: optBool,
});
/** Permission listings are objects keyed by user or team name, not arrays. */
export const permissionMap = z.object({ permissions: z.record(z.string(), permission) });
export type QuayPermission = z.infer<typeof permission>;

export const robot = z.object({
  name: str,
  description: optStr,
  created: time,
  last_accessed: time,
  teams: z.array(z.object({ name: str })).optional(),
  repositories: z.array(str).optional(),
  token: optStr,
});
export const robotList = z.object({ robots: z.array(robot) });
export const robotWithToken = robot.extend({ token: str });
export type QuayRobot = z.infer<typeof robot>;

export const robotPermissions = z.object({
  permissions: z.array(z.object({ repository: z.object({ name: str }).optional(), role: str })),
});

export const team = z.object({
  name: str,
  description: optStr,
  role: str,
  member_count: optNum,
  repo_count: optNum,
  can_view: optBool,
});
export type QuayTeam = z.infer<typeof team>;

/** `GET /entities/{prefix}` (endpoints/api/search.py EntitySearch): `kind` is user, team or org; robots are users. */
export const entity = z.object({ name: str, kind: str, is_robot: optBool, is_org_member: optBool });
export const entities = z.object({ results: z.array(entity) });
export type QuayEntity = z.infer<typeof entity>;

export const organization = z.object({
  name: str,
  email: optStr,
  is_admin: optBool,
  is_member: optBool,
  tag_expiration_s: optNum,
  teams: z.record(z.string(), team).nullable().optional(),
});

/**
 * A team member; with `includePending`, also invitations: an invited user (`invited: true`) or an e-mail invitation
 * (`kind: "invite"`, an `email` and no `name`), named here by its address.
 */
export const teamMember = z
  .object({ name: str.optional(), email: str.optional(), kind: optStr, is_robot: optBool, invited: optBool })
  .refine((m) => !!(m.name ?? m.email), { message: 'a member needs a name or an e-mail address' })
  .transform((m) => ({ name: (m.name ?? m.email)!, email: m.email, kind: m.kind, is_robot: m.is_robot, invited: m.invited ?? (m.kind === 'invite' || undefined) }));
export const teamMembers = z.object({ members: z.array(teamMember), name: optStr, can_edit: optBool });

export const notification = z.object({
  uuid: str,
  title: optStr,
  event: str,
  method: str,
  config: z.record(z.string(), z.unknown()).nullable().optional(),
  event_config: z.record(z.string(), z.unknown()).nullable().optional(),
  number_of_failures: optNum,
});
export const notificationList = z.object({ notifications: z.array(notification) });
export type QuayNotification = z.infer<typeof notification>;

export const mirrorSyncStatuses = ['CANCEL', 'FAIL', 'NEVER_RUN', 'SUCCESS', 'SYNCING', 'SYNC_NOW'] as const;

export const mirror = z.object({
  is_enabled: z.boolean(),
  mirror_type: optStr,
  external_reference: str,
  external_registry_username: optStr,
  external_registry_config: z
    .looseObject({
      verify_tls: optBool,
      unsigned_images: optBool,
      proxy: z.object({ http_proxy: optStr, https_proxy: optStr, no_proxy: optStr }).nullable().optional(),
    })
    .nullable()
    .optional(),
  sync_interval: z.number(),
  sync_start_date: time,
  sync_expiration_date: time,
  sync_retries_remaining: optNum,
  sync_status: z.enum(mirrorSyncStatuses),
  root_rule: z.object({ rule_kind: str, rule_value: z.array(str) }).nullable().optional(),
  robot_username: optStr,
  skopeo_timeout_interval: optNum,
  architecture_filter: z.array(str).nullable().optional(),
});
export type QuayMirror = z.infer<typeof mirror>;

export const autoPrunePolicy = z.object({
  uuid: str,
  method: z.enum(['number_of_tags', 'creation_date']),
  value: z.union([z.number(), z.string()]),
  tagPattern: optStr,
  tagPatternMatches: optBool,
});
export const autoPrunePolicies = z.object({ policies: z.array(autoPrunePolicy) });
export type QuayAutoPrunePolicy = z.infer<typeof autoPrunePolicy>;

export const immutabilityPolicy = z.object({ uuid: str, tagPattern: str, tagPatternMatches: optBool });
export const immutabilityPolicies = z.object({ policies: z.array(immutabilityPolicy) });
export type QuayImmutabilityPolicy = z.infer<typeof immutabilityPolicy>;

export const created = z.object({ uuid: str });

export const quotaLimit = z.object({ id: z.union([z.number(), z.string()]), type: str, limit_percent: z.number() });
export const quota = z.object({
  id: z.union([z.number(), z.string()]),
  limit_bytes: z.number(),
  limit: optStr,
  default_config: optBool,
  limits: z.array(quotaLimit).optional(),
});
export const quotaList = z.array(quota);
export type QuayQuota = z.infer<typeof quota>;

export const appToken = z.object({
  uuid: str,
  title: str,
  last_accessed: time,
  created: time,
  expiration: time,
  token_code: optStr,
});
export const appTokenList = z.object({ tokens: z.array(appToken) });
export const appTokenCreated = z.object({ token: appToken.extend({ token_code: str }) });
export type QuayAppToken = z.infer<typeof appToken>;

export const label = z.object({ id: str, key: str, value: str, source_type: optStr, media_type: optStr });
export const labelList = z.object({ labels: z.array(label) });
export const labelCreated = z.object({ label });
export type QuayLabel = z.infer<typeof label>;

export const logEntry = z.object({
  kind: str,
  datetime: time,
  ip: optStr,
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  performer: z.object({ name: str, kind: optStr }).nullable().optional(),
});
export const logList = z.object({
  logs: z.array(logEntry),
  next_page: optStr,
  start_time: time,
  end_time: time,
});
export type QuayLogEntry = z.infer<typeof logEntry>;

export const manifest = z.object({
  digest: digest,
  is_manifest_list: optBool,
  manifest_data: optStr,
  config_media_type: optStr,
  layers_compressed_size: optNum,
});

export const proxyCache = z.object({
  upstream_registry: optStr,
  expiration_s: optNum,
  insecure: optBool,
});
export type QuayProxyCache = z.infer<typeof proxyCache>;

export const health = z.object({
  data: z.object({ services: z.record(z.string(), z.boolean()) }).optional(),
  status_code: z.number().optional(),
});
