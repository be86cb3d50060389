import * as z from 'zod';
import { looksLikeDigest } from '../digest';

/**
 * zod schemas for every Docker Hub API (v2) response the client reads. They follow docker-hub-api.yaml (OpenAPI
 * 3.0.3, "2-beta") and accept what Hub actually sends where the two differ:
 * - `tag.images` is one object in the spec but an array on Hub; both are accepted and normalised to an array.
 * - `GET /v2/orgs/{org}/members` is an array of pages in the spec but one page on Hub; both are accepted.
 * - `next`/`previous` are non-nullable strings in some schemas, yet Hub sends null: null, absent and "" all mean "none".
 * Fields the client does not use are left out (zod drops unknown keys), so harmless additions never break parsing.
 *
 * Endpoints outside the published spec (from docker/hub-tool and Hub's web UI) are marked "not in the spec"; the
 * contract test validates the fake server's bodies for those against these schemas.
 */

const opt = <T extends z.ZodType>(t: T) => t.nullish();
/**
 * A display-only counter or size (`count`, `total`, `active_count`, `star_count`, `pull_count`, sizes). The spec
 * types several as a plain `number` (or an `integer` without a minimum), so a negative or fractional value is valid
 * there: it becomes NaN ("unknown", shown as "—") instead of failing the whole response. Only a non-number is refused.
 */
const count = z.number().transform((v) => (Number.isSafeInteger(v) && v >= 0 ? v : Number.NaN));
/**
 * A content digest as Hub reports it (not in the spec's schema, or a plain string there). Only the `algorithm:encoded`
 * grammar is taken: anything else (a line break, Markdown, a URL) is dropped so it is never shown, copied into a pull
 * reference or used in a request; the tag itself is still listed.
 */
const digest = z.string().transform((v) => (looksLikeDigest(v) ? v : undefined));
/** A paging link: absent, null or empty mean "no more pages". */
const link = z.string().nullish().transform((v) => (v ? v : undefined));

function page<T extends z.ZodType>(item: T) {
  return z.object({
    count: count.optional(),
    next: link,
    previous: link,
    results: z.array(item),
  });
}

// ---- authentication -----------------------------------------------------------------------------------------------

/** `POST /v2/auth/token` → AuthCreateTokenResponse. */
export const authTokenResponse = z.object({ access_token: z.string().min(1) });

/** Not in the spec: `GET /v2/user/` (hub-tool pkg/hub/user.go), the signed-in account. */
export const hubUser = z.object({
  id: opt(z.string()),
  username: z.string().min(1),
  full_name: opt(z.string()),
  company: opt(z.string()),
  location: opt(z.string()),
  date_joined: opt(z.string()),
  type: opt(z.string()),
});

/** Not in the spec: `GET /v2/user/orgs/` (hub-tool pkg/hub/organizations.go), the signed-in user's organizations. */
export const userOrgsPage = page(
  z.object({
    orgname: z.string().min(1),
    full_name: opt(z.string()),
    id: opt(z.string()),
  }),
);

// ---- repositories -------------------------------------------------------------------------------------------------

/** `repository_list_entry` of `GET /v2/namespaces/{namespace}/repositories`. */
export const repositoryListEntry = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  description: opt(z.string()),
  is_private: z.boolean(),
  star_count: opt(count),
  pull_count: opt(count),
  last_updated: opt(z.string()),
  status_description: opt(z.string()),
  repository_type: opt(z.string()),
  storage_size: opt(count),
});
export const repositoryListPage = page(repositoryListEntry);

export const immutableTagsSettings = z.object({
  enabled: z.boolean(),
  rules: z.array(z.string()),
});

/** `repository_info`: `GET`/`POST` repository, `PATCH …/immutabletags`, and (not in the spec) `PATCH /v2/repositories/{ns}/{repo}/`. */
export const repositoryInfo = z.object({
  name: z.string().min(1),
  namespace: z.string().min(1),
  description: opt(z.string()),
  full_description: opt(z.string()),
  is_private: z.boolean(),
  star_count: opt(count),
  pull_count: opt(count),
  last_updated: opt(z.string()),
  date_registered: opt(z.string()),
  status_description: opt(z.string()),
  permissions: opt(z.object({ read: z.boolean(), write: z.boolean(), admin: z.boolean() })),
  immutable_tags_settings: opt(immutableTagsSettings),
  storage_size: opt(count),
});

/** Not in the spec: `POST /v2/repositories/{ns}/{repo}/privacy/` (Hub web UI). */
export const privacyResponse = z.object({ is_private: z.boolean() }).partial();

/** `immutable_tags_verify_response`. */
export const immutableTagsVerifyResponse = z.object({ tags: z.array(z.string()) });

// ---- tags ---------------------------------------------------------------------------------------------------------

/** `image` of a tag: one platform's manifest as Hub summarises it. */
export const tagImage = z.object({
  architecture: opt(z.string()),
  os: opt(z.string()),
  variant: opt(z.string()),
  digest: opt(digest),
  size: opt(count),
  status: opt(z.string()),
  last_pulled: opt(z.string()),
  last_pushed: opt(z.string()),
});

/** `tag` of `GET …/tags` and `GET …/tags/{tag}`. `digest`/`media_type` are sent by Hub but not in the spec. */
export const tag = z.object({
  name: z.string().min(1),
  images: z
    .union([z.array(tagImage), tagImage])
    .nullish()
    .transform((v) => (v == null ? [] : Array.isArray(v) ? v : [v])),
  full_size: opt(count),
  digest: opt(digest),
  media_type: opt(z.string()),
  last_updated: opt(z.string()),
  last_updater_username: opt(z.string()),
  status: opt(z.string()),
  tag_last_pulled: opt(z.string()),
  tag_last_pushed: opt(z.string()),
});
export const tagPage = page(tag);

// ---- personal access tokens ---------------------------------------------------------------------------------------

/** `accessToken`: list entries (no secret), create response (with the one-time `token`), patch/get responses. */
export const accessToken = z.object({
  uuid: z.string().min(1),
  token_label: opt(z.string()),
  scopes: opt(z.array(z.string())),
  is_active: z.boolean(),
  created_at: opt(z.string()),
  last_used: opt(z.string()),
  expires_at: opt(z.string()),
  generated_by: opt(z.string()),
  token: opt(z.string()),
});
export const accessTokenPage = page(accessToken).extend({ active_count: opt(count) });

// ---- organizations ------------------------------------------------------------------------------------------------

/** `org_member`. */
export const orgMember = z.object({
  username: z.string().min(1),
  full_name: opt(z.string()),
  email: opt(z.string()),
  role: opt(z.string()),
  groups: opt(z.array(z.string())),
  type: opt(z.string()),
  is_guest: opt(z.boolean()),
});
const orgMemberPage = page(orgMember);
/** `GET /v2/orgs/{org}/members`: one page (Hub) or an array of pages (the spec's text); normalised to one page. */
export const orgMembersResponse = z.union([orgMemberPage, z.array(orgMemberPage)]).transform((v) => {
  if (!Array.isArray(v)) return v;
  return { count: v.reduce((n, p) => n + (p.count ?? p.results.length), 0), next: v[v.length - 1]?.next, previous: v[0]?.previous, results: v.flatMap((p) => p.results) };
});

/** `org_group`. */
export const orgGroup = z.object({
  id: z.number(),
  uuid: opt(z.string()),
  name: z.string().min(1),
  member_count: opt(count),
  description: opt(z.string()),
});
export const orgGroupPage = page(orgGroup);

/** `group_member`. */
export const groupMember = z.object({
  username: z.string().min(1),
  full_name: opt(z.string()),
  email: opt(z.string()),
});
export const groupMemberPage = page(groupMember);

export const orgAccessTokenResource = z.object({
  type: z.string(),
  path: z.string(),
  scopes: z.array(z.string()),
});

/** `orgAccessToken` (+ `resources`, + the one-time `token` on create). */
export const orgAccessToken = z.object({
  id: z.string().min(1),
  label: opt(z.string()),
  created_by: opt(z.string()),
  is_active: z.boolean(),
  created_at: opt(z.string()),
  expires_at: opt(z.string()),
  last_used_at: opt(z.string()),
  resources: opt(z.array(orgAccessTokenResource)),
  token: opt(z.string()),
});
/** `getOrgAccessTokensResponse` counts with `total`, not `count`. */
export const orgAccessTokenPage = z.object({
  total: opt(count),
  next: link,
  previous: link,
  results: z.array(orgAccessToken),
});

// ---- audit log ----------------------------------------------------------------------------------------------------

/** `AuditLog`. */
export const auditLog = z.object({
  account: opt(z.string()),
  action: z.string(),
  name: opt(z.string()),
  actor: opt(z.string()),
  data: opt(z.record(z.string(), z.string())),
  timestamp: z.string(),
  action_description: opt(z.string()),
});
/** `GetAuditLogsResponse`: a protobuf-JSON body, which leaves out an empty `logs`. */
export const auditLogsResponse = z.object({ logs: z.array(auditLog).nullish().transform((v) => v ?? []) });

// ---- errors -------------------------------------------------------------------------------------------------------

/** `Error`, `error` and `ValueError` bodies: read only to show the server's own words. */
export const errorBody = z
  .object({
    detail: opt(z.string()),
    message: opt(z.string()),
    text: opt(z.string()),
    fields: opt(z.record(z.string(), z.unknown())),
  })
  .partial();

export type RepositoryListEntry = z.infer<typeof repositoryListEntry>;
export type RepositoryInfo = z.infer<typeof repositoryInfo>;
export type HubTagJson = z.infer<typeof tag>;
export type AccessTokenJson = z.infer<typeof accessToken>;
export type OrgMemberJson = z.infer<typeof orgMember>;
export type OrgGroupJson = z.infer<typeof orgGroup>;
export type OrgAccessTokenJson = z.infer<typeof orgAccessToken>;
export type AuditLogJson = z.infer<typeof auditLog>;
