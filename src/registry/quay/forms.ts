import * as z from 'zod';
import { urlField } from '../formFields';

/** The forms of the Quay admin model (src/registry/quay/admin.ts): zod objects whose fields carry `.meta()` for the generic form panel. */

const ROLES = ['read', 'write', 'admin'] as const;
const TEAM_ROLES = ['member', 'creator', 'admin'] as const;
const EVENTS = [
  'repo_push',
  'vulnerability_found',
  'repo_image_expiry',
  'repo_mirror_sync_started',
  'repo_mirror_sync_success',
  'repo_mirror_sync_failed',
  'build_queued',
  'build_start',
  'build_success',
  'build_failure',
  'build_cancelled',
] as const;

export const createRepositoryForm = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" and "-"').meta({ title: 'Name', placeholder: 'app' }),
  description: z.string().default('').meta({ title: 'Description', description: 'Markdown', multiline: true }),
  visibility: z.enum(['private', 'public']).default('private').meta({ title: 'Visibility' }),
});

export const editRepositoryForm = z.object({
  description: z.string().default('').meta({ title: 'Description', description: 'Markdown', multiline: true }),
  visibility: z.enum(['private', 'public']).meta({ title: 'Visibility' }),
  state: z.enum(['NORMAL', 'READ_ONLY', 'MIRROR']).meta({ title: 'State', description: 'READ_ONLY refuses pushes; MIRROR lets the mirror configuration push' }),
});

export const tagForm = z.object({
  tag: z.string().regex(/^[\w][\w.-]{0,127}$/, 'is not a valid tag name').meta({ title: 'Tag', placeholder: 'stable', description: 'Created, or moved here when it exists' }),
  digest: z.string().optional().meta({ title: 'Manifest digest', placeholder: 'sha256:…', description: 'Empty: the digest of this tag' }),
});

export const expirationForm = z.object({
  expiresAt: z.string().min(1).meta({ title: 'Expires at', placeholder: '2026-12-31 or 2026-12-31T18:00:00Z', description: 'Quay removes the tag at this time (UTC)' }),
});

export const labelForm = z.object({
  key: z.string().min(1).meta({ title: 'Key', placeholder: 'com.example.team' }),
  value: z.string().meta({ title: 'Value' }),
});

export const mirrorForm = z.object({
  isEnabled: z.boolean().default(true).meta({ title: 'Enabled' }),
  externalReference: z.string().min(1).meta({ title: 'External repository', placeholder: 'docker.io/library/alpine' }),
  tags: z.array(z.string().min(1)).min(1).meta({ title: 'Tags to mirror', description: 'Glob patterns such as latest or 3.*' }),
  robot: z.string().regex(/^[^+\s]+\+[^+\s]+$/, 'must be a robot account (namespace+name)').meta({ title: 'Robot account', placeholder: 'acme+mirror', description: 'Pushes the mirrored images' }),
  syncIntervalSeconds: z.number().int().min(60).default(86400).meta({ title: 'Sync interval (seconds)' }),
  syncStartDate: z.string().min(1).meta({ title: 'First sync', placeholder: '2026-01-01T00:00:00Z' }),
  username: z.string().optional().meta({ title: 'External registry user' }),
  password: z.string().optional().meta({ title: 'External registry password', secret: true, description: 'Empty keeps the stored one' }),
  verifyTls: z.boolean().default(true).meta({ title: 'Verify TLS' }),
  unsignedImages: z.boolean().default(false).meta({ title: 'Accept unsigned images' }),
  architectures: z.array(z.string().min(1)).default([]).meta({ title: 'Architectures', description: 'Empty: all' }),
});

export const notificationForm = z.object({
  title: z.string().optional().meta({ title: 'Title' }),
  event: z.enum(EVENTS).meta({ title: 'Event' }),
  days: z.number().int().min(1).optional().meta({ title: 'Days before expiry', description: 'For repo_image_expiry' }),
  delivery: z
    .discriminatedUnion('method', [
      z.object({
        method: z.literal('webhook'),
        url: urlField({ allowHttp: true, description: 'Quay posts the event there.' }).meta({ title: 'Webhook URL', placeholder: 'https://example.com/hook' }),
        template: z.string().optional().meta({ title: 'Body template (JSON)', multiline: true }),
      }),
      z.object({ method: z.literal('email'), email: z.email().meta({ title: 'E-mail address' }) }),
      z.object({ method: z.literal('slack'), url: urlField().meta({ title: 'Slack webhook URL', secret: true }) }),
      z.object({ method: z.literal('flowdock'), flowApiToken: z.string().min(1).meta({ title: 'Flow API token', secret: true }) }),
      z.object({
        method: z.literal('hipchat'),
        roomId: z.string().min(1).meta({ title: 'Room id' }),
        notificationToken: z.string().min(1).meta({ title: 'Notification token', secret: true }),
      }),
      z.object({
        method: z.literal('quay_notification'),
        targetKind: z.enum(['user', 'team', 'org']).meta({ title: 'Notify' }),
        target: z.string().min(1).meta({ title: 'User, team or organization name' }),
      }),
    ])
    .meta({ title: 'Method' }),
});

export const autoPruneForm = z
  .object({
    method: z.enum(['number_of_tags', 'creation_date']).meta({ title: 'Prune by', description: 'number_of_tags keeps the newest N; creation_date removes tags older than a duration' }),
    value: z.string().min(1).meta({ title: 'Value', placeholder: '10 or 7d' }),
    tagPattern: z.string().optional().meta({ title: 'Tag pattern (regular expression)', placeholder: '^dev-' }),
    tagPatternMatches: z.boolean().default(true).meta({ title: 'Apply to tags matching the pattern', description: 'Off: to tags not matching it' }),
  })
  .refine((v) => (v.method === 'number_of_tags' ? /^\d+$/.test(v.value) : /^\d+\s*[smhdwy]$/i.test(v.value)), { message: 'number_of_tags takes a count (10), creation_date a duration (7d, 2w)', path: ['value'] });

export const immutabilityForm = z.object({
  tagPattern: z.string().min(1).meta({ title: 'Tag pattern (regular expression)', placeholder: '^v[0-9]+' }),
  tagPatternMatches: z.boolean().default(true).meta({ title: 'Tags matching the pattern become immutable', description: 'Off: tags not matching it' }),
});

export const permissionForm = z.object({
  kind: z.enum(['user', 'team']).meta({ title: 'Grant to' }),
  name: z.string().min(1).meta({ title: 'User, robot (namespace+name) or team' }),
  role: z.enum(ROLES).meta({ title: 'Role' }),
});
export const roleForm = z.object({ role: z.enum(ROLES).meta({ title: 'Role' }) });

export const teamForm = z.object({
  name: z.string().regex(/^[a-z][a-z0-9]+$/, 'lower-case letters and digits, starting with a letter').meta({ title: 'Team name' }),
  role: z.enum(TEAM_ROLES).default('member').meta({ title: 'Organization role', description: 'creator: may create repositories; admin: administers the organization' }),
  description: z.string().optional().meta({ title: 'Description', multiline: true }),
});
export const teamEditForm = z.object({ role: z.enum(TEAM_ROLES).meta({ title: 'Organization role' }), description: z.string().optional().meta({ title: 'Description', multiline: true }) });
export const memberForm = z.object({ name: z.string().min(1).meta({ title: 'User or robot', placeholder: 'alice or acme+ci' }) });

export const robotForm = z.object({
  shortname: z.string().regex(/^[a-z][a-z0-9_]{1,254}$/, 'lower-case letters, digits and "_", starting with a letter').meta({ title: 'Robot name', description: 'Its full name is namespace+name' }),
  description: z.string().max(255).optional().meta({ title: 'Description' }),
});

export const appTokenForm = z.object({ title: z.string().min(1).max(255).meta({ title: 'Token title', placeholder: 'laptop' }) });

export const orgSettingsForm = z.object({
  tagExpiration: z.string().min(1).meta({ title: 'Default expiration of deleted tags', placeholder: '2w', description: 'How long deleted tags stay restorable (must be one of the server’s options, e.g. 0s, 1d, 1w, 2w, 4w)' }),
});

export const logRangeForm = z.object({
  from: z.string().min(1).meta({ title: 'From (UTC date)', placeholder: '2026-11-01' }),
  to: z.string().min(1).meta({ title: 'To (UTC date)', placeholder: '2026-11-27' }),
});

export const registryLoginForm = z.object({
  username: z.string().min(1).meta({ title: 'User name', placeholder: 'acme+ci or a user', description: 'A robot account, or a user with an application token' }),
  password: z.string().min(1).meta({ title: 'Token or password', secret: true }),
});

export const proxyCacheForm = z.object({
  upstreamRegistry: z.string().min(1).meta({ title: 'Upstream registry', placeholder: 'docker.io or quay.io/some-org', description: 'Pulls through this organization fetch from here and cache the result' }),
  expiration: z.string().regex(/^\d+\s*[smhdw]?$/i, 'a duration such as 1d or 12h').default('1d').meta({ title: 'Cache expiration', placeholder: '1d' }),
  username: z.string().optional().meta({ title: 'Upstream user' }),
  password: z.string().optional().meta({ title: 'Upstream password or token', secret: true }),
  insecure: z.boolean().default(false).meta({ title: 'Skip TLS verification of the upstream' }),
});
