import * as z from 'zod';
import { urlField } from '../formFields';
import { t } from '../l10n';

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
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, t('lower-case letters, digits, ".", "_" and "-"')).meta({ title: t('Name'), placeholder: t('app') }),
  description: z.string().default('').meta({ title: t('Description'), description: t('Markdown'), multiline: true }),
  visibility: z.enum(['private', 'public']).default('private').meta({ title: t('Visibility') }),
});

export const editRepositoryForm = z.object({
  description: z.string().default('').meta({ title: t('Description'), description: t('Markdown'), multiline: true }),
  visibility: z.enum(['private', 'public']).meta({ title: t('Visibility') }),
  state: z.enum(['NORMAL', 'READ_ONLY', 'MIRROR']).meta({ title: t('State'), description: t('READ_ONLY refuses pushes; MIRROR lets the mirror configuration push') }),
});

export const tagForm = z.object({
  tag: z.string().regex(/^[\w][\w.-]{0,127}$/, t('is not a valid tag name')).meta({ title: t('Tag'), placeholder: t('stable'), description: t('Created, or moved here when it exists') }),
  digest: z.string().optional().meta({ title: t('Manifest digest'), placeholder: t('sha256:…'), description: t('Empty: the digest of this tag') }),
});

export const expirationForm = z.object({
  expiresAt: z.string().min(1).meta({ title: t('Expires at'), placeholder: t('2026-12-31 or 2026-12-31T18:00:00Z'), description: t('Quay removes the tag at this time (UTC)') }),
});

export const labelForm = z.object({
  key: z.string().min(1).meta({ title: t('Key'), placeholder: t('com.example.team') }),
  value: z.string().meta({ title: t('Value') }),
});

export const mirrorForm = z.object({
  isEnabled: z.boolean().default(true).meta({ title: t('Enabled') }),
  externalReference: z.string().min(1).meta({ title: t('External repository'), placeholder: t('docker.io/library/alpine') }),
  tags: z.array(z.string().min(1)).min(1).meta({ title: t('Tags to mirror'), description: t('Glob patterns such as latest or 3.*') }),
  robot: z.string().regex(/^[^+\s]+\+[^+\s]+$/, t('must be a robot account (namespace+name)')).meta({ title: t('Robot account'), placeholder: t('acme+mirror'), description: t('Pushes the mirrored images') }),
  syncIntervalSeconds: z.number().int().min(60).default(86400).meta({ title: t('Sync interval (seconds)') }),
  syncStartDate: z.string().min(1).meta({ title: t('First sync'), placeholder: t('2026-01-01T00:00:00Z') }),
  username: z.string().optional().meta({ title: t('External registry user') }),
  password: z.string().optional().meta({ title: t('External registry password'), secret: true, description: t('Empty keeps the stored one') }),
  verifyTls: z.boolean().default(true).meta({ title: t('Verify TLS') }),
  unsignedImages: z.boolean().default(false).meta({ title: t('Accept unsigned images') }),
  architectures: z.array(z.string().min(1)).default([]).meta({ title: t('Architectures'), description: t('Empty: all') }),
});

export const notificationForm = z.object({
  title: z.string().optional().meta({ title: t('Title') }),
  event: z.enum(EVENTS).meta({ title: t('Event') }),
  days: z.number().int().min(1).optional().meta({ title: t('Days before expiry'), description: t('For repo_image_expiry') }),
  delivery: z
    .discriminatedUnion('method', [
      z.object({
        method: z.literal('webhook'),
        url: urlField({ allowHttp: true, description: t('Quay posts the event there.') }).meta({ title: t('Webhook URL'), placeholder: t('https://example.com/hook') }),
        template: z.string().optional().meta({ title: t('Body template (JSON)'), multiline: true }),
      }),
      z.object({ method: z.literal('email'), email: z.email().meta({ title: t('E-mail address') }) }),
      z.object({ method: z.literal('slack'), url: urlField().meta({ title: t('Slack webhook URL'), secret: true }) }),
      z.object({ method: z.literal('flowdock'), flowApiToken: z.string().min(1).meta({ title: t('Flow API token'), secret: true }) }),
      z.object({
        method: z.literal('hipchat'),
        roomId: z.string().min(1).meta({ title: t('Room id') }),
        notificationToken: z.string().min(1).meta({ title: t('Notification token'), secret: true }),
      }),
      z.object({
        method: z.literal('quay_notification'),
        targetKind: z.enum(['user', 'team', 'org']).meta({ title: t('Notify') }),
        target: z.string().min(1).meta({ title: t('User, team or organization name') }),
      }),
    ])
    .meta({ title: t('Method') }),
});

export const autoPruneForm = z
  .object({
    method: z.enum(['number_of_tags', 'creation_date']).meta({ title: t('Prune by'), description: t('number_of_tags keeps the newest N; creation_date removes tags older than a duration') }),
    value: z.string().min(1).meta({ title: t('Value'), placeholder: t('10 or 7d') }),
    tagPattern: z.string().optional().meta({ title: t('Tag pattern (regular expression)'), placeholder: t('^dev-') }),
    tagPatternMatches: z.boolean().default(true).meta({ title: t('Apply to tags matching the pattern'), description: t('Off: to tags not matching it') }),
  })
  .refine((v) => (v.method === 'number_of_tags' ? /^\d+$/.test(v.value) : /^\d+\s*[smhdwy]$/i.test(v.value)), { message: t('number_of_tags takes a count (10), creation_date a duration (7d, 2w)'), path: ['value'] });

export const immutabilityForm = z.object({
  tagPattern: z.string().min(1).meta({ title: t('Tag pattern (regular expression)'), placeholder: t('^v[0-9]+') }),
  tagPatternMatches: z.boolean().default(true).meta({ title: t('Tags matching the pattern become immutable'), description: t('Off: tags not matching it') }),
});

export const permissionForm = z.object({
  kind: z.enum(['user', 'team']).meta({ title: t('Grant to') }),
  name: z.string().min(1).meta({ title: t('User, robot (namespace+name) or team') }),
  role: z.enum(ROLES).meta({ title: t('Role') }),
});
export const roleForm = z.object({ role: z.enum(ROLES).meta({ title: t('Role') }) });

export const teamForm = z.object({
  name: z.string().regex(/^[a-z][a-z0-9]+$/, t('lower-case letters and digits, starting with a letter')).meta({ title: t('Team name') }),
  role: z.enum(TEAM_ROLES).default('member').meta({ title: t('Organization role'), description: t('creator: may create repositories; admin: administers the organization') }),
  description: z.string().optional().meta({ title: t('Description'), multiline: true }),
});
export const teamEditForm = z.object({ role: z.enum(TEAM_ROLES).meta({ title: t('Organization role') }), description: z.string().optional().meta({ title: t('Description'), multiline: true }) });
export const memberForm = z.object({ name: z.string().min(1).meta({ title: t('User or robot'), placeholder: t('alice or acme+ci') }) });

export const robotForm = z.object({
  shortname: z.string().regex(/^[a-z][a-z0-9_]{1,254}$/, t('lower-case letters, digits and "_", starting with a letter')).meta({ title: t('Robot name'), description: t('Its full name is namespace+name') }),
  description: z.string().max(255).optional().meta({ title: t('Description') }),
});

export const appTokenForm = z.object({ title: z.string().min(1).max(255).meta({ title: t('Token title'), placeholder: t('laptop') }) });

export const orgSettingsForm = z.object({
  tagExpiration: z.string().min(1).meta({ title: t('Default expiration of deleted tags'), placeholder: t('2w'), description: t('How long deleted tags stay restorable (must be one of the server’s options, e.g. 0s, 1d, 1w, 2w, 4w)') }),
});

export const logRangeForm = z.object({
  from: z.string().min(1).meta({ title: t('From (UTC date)'), placeholder: t('2026-11-01') }),
  to: z.string().min(1).meta({ title: t('To (UTC date)'), placeholder: t('2026-11-27') }),
});

export const registryLoginForm = z.object({
  username: z.string().min(1).meta({ title: t('User name'), placeholder: t('acme+ci or a user'), description: t('A robot account, or a user with an application token') }),
  password: z.string().min(1).meta({ title: t('Token or password'), secret: true }),
});

export const proxyCacheForm = z.object({
  upstreamRegistry: z.string().min(1).meta({ title: t('Upstream registry'), placeholder: t('docker.io or quay.io/some-org'), description: t('Pulls through this organization fetch from here and cache the result') }),
  expiration: z.string().regex(/^\d+\s*[smhdw]?$/i, t('a duration such as 1d or 12h')).default('1d').meta({ title: t('Cache expiration'), placeholder: t('1d') }),
  username: z.string().optional().meta({ title: t('Upstream user') }),
  password: z.string().optional().meta({ title: t('Upstream password or token'), secret: true }),
  insecure: z.boolean().default(false).meta({ title: t('Skip TLS verification of the upstream') }),
});
