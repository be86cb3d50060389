import * as z from 'zod';
import { urlField } from '../../formFields';
import * as s from '../schemas';
import { t } from '../../l10n';

/** The forms of DTR's admin model (zod schemas with the field metadata the generic form panel renders). */
export const ruleSchema = z
  .object({
    field: s.ruleField.meta({ title: t('Field'), description: t('What the rule looks at (tag name, license, component, vulnerability counts, last update)') }),
    operator: s.ruleOperator.meta({
      title: t('Operator'),
      description: t('tag: eq, sw (starts with), ew (ends with), c (contains), oo (one of), noo (not one of) · license.name / component.name: oo, noo · vulnerability_*: gte, gt, eq, neq, lte, lt · updated_at / updated_at_duration: bf (before), af (after)'),
    }),
    values: z.array(z.string()).meta({ title: t('Values'), description: t('One value per line'), placeholder: t('v1.*') }),
  })
  .refine((r) => s.operatorsByField[r.field].includes(r.operator), { message: t('This operator does not apply to this field'), path: ['operator'] });

export const rulesField = z.array(ruleSchema).meta({ title: t('Rules'), description: t('A tag matches when it matches every rule'), itemTitle: t('Rule'), addLabel: t('Add Rule') });
export const enabledField = z.boolean().default(true).meta({ title: t('Enabled') });

export const pruningForm = z.object({ enabled: enabledField, rules: rulesField });
export const promotionForm = z.object({
  targetRepository: z.string().trim().min(1).meta({ title: t('Target repository'), placeholder: t('namespace/repository') }),
  tagTemplate: z.string().default('%n').meta({ title: t('Tag template'), description: t('%n is the promoted tag; %Y %m %d %H %M %S and the other symbols of DTR give the date'), placeholder: t('%n') }),
  enabled: enabledField,
  rules: rulesField,
});

export const credentialsCreate = z
  .discriminatedUnion('auth', [
    z.object({ auth: z.literal('password'), password: z.string().min(1).meta({ title: t('Password'), secret: true }) }),
    z.object({ auth: z.literal('token'), authToken: z.string().min(1).meta({ title: t('Access token'), secret: true }) }),
  ])
  .meta({ title: t('Credentials for the remote registry'), description: t('Sent to DTR once; never stored by Registry Explorer') });
export const credentialsUpdate = z
  .discriminatedUnion('auth', [
    z.object({ auth: z.literal('keep') }),
    z.object({ auth: z.literal('password'), password: z.string().min(1).meta({ title: t('Password'), secret: true }) }),
    z.object({ auth: z.literal('token'), authToken: z.string().min(1).meta({ title: t('Access token'), secret: true }) }),
  ])
  .meta({ title: t('Credentials for the remote registry'), description: t('"keep" leaves the ones DTR has') });

export const remoteFields = {
  remoteHost: urlField({ allowHttp: true, description: t('Address of the remote registry.') }).meta({ title: t('Remote registry'), placeholder: t('https://registry.example.com') }),
  remoteRepository: z.string().trim().min(1).meta({ title: t('Remote repository'), placeholder: t('namespace/repository') }),
  username: z.string().default('').meta({ title: t('Remote user name') }),
  remoteCA: z.string().default('').meta({ title: t('CA certificate of the remote (PEM)'), multiline: true }),
  skipTLSVerification: z.boolean().default(false).meta({ title: t('Skip TLS verification') }),
};

export const pollMirroringForm = z.object({ ...remoteFields, enabled: enabledField, credentials: credentialsCreate });
export const pollMirroringUpdateForm = z.object({ ...remoteFields, enabled: enabledField, credentials: credentialsUpdate });
export const pushMirroringForm = z.object({
  ...remoteFields,
  tagTemplate: z.string().default('%n').meta({ title: t('Tag template'), placeholder: t('%n') }),
  enabled: enabledField,
  rules: rulesField,
  credentials: credentialsCreate,
});
export const pushMirroringUpdateForm = pushMirroringForm.extend({ credentials: credentialsUpdate });

export const repoSettingsFields = {
  shortDescription: z.string().default('').meta({ title: t('Short description') }),
  longDescription: z.string().default('').meta({ title: t('Long description'), multiline: true }),
  visibility: s.visibility.default('private').meta({ title: t('Visibility') }),
  scanOnPush: z.boolean().default(false).meta({ title: t('Scan on push') }),
  immutableTags: z.boolean().default(false).meta({ title: t('Immutable tags'), description: t('Tags cannot be overwritten once pushed') }),
  enableManifestLists: z.boolean().default(false).meta({ title: t('Manifest lists'), description: t('Allow pushing multi-platform manifest lists') }),
  tagLimit: z.number().int().min(0).default(0).meta({ title: t('Tag limit'), description: t('0: no limit; above it, the oldest tags are pruned') }),
};
export const repoCreateForm = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, t('lower-case letters, digits and . _ - between them'))
    .max(255)
    .meta({ title: t('Name'), placeholder: t('my-app') }),
  ...repoSettingsFields,
});
export const repoUpdateForm = z.object(repoSettingsFields);

export const accessLevelField = s.accessLevel.meta({ title: t('Access'), description: t('read-only, read-write or admin') });
export const teamAccessForm = z.object({ team: z.string().trim().min(1).meta({ title: t('Team'), placeholder: t('developers') }), accessLevel: accessLevelField });
export const setAccessForm = z.object({ accessLevel: accessLevelField });

export const webhookForm = z.object({
  type: s.webhookType.meta({ title: t('Event') }),
  endpoint: urlField({ allowHttp: true, description: t('DTR sends the event there.') }).meta({ title: t('Endpoint URL'), placeholder: t('https://hooks.example.com/dtr') }),
  tlsCert: z.string().default('').meta({ title: t('CA certificate of the endpoint (PEM)'), multiline: true }),
  skipTLSVerification: z.boolean().default(false).meta({ title: t('Skip TLS verification') }),
});
export const webhookUpdateForm = z.object({
  inactive: z.boolean().default(false).meta({ title: t('Inactive') }),
  tlsCert: z.string().default('').meta({ title: t('CA certificate of the endpoint (PEM)'), multiline: true }),
  skipTLSVerification: z.boolean().default(false).meta({ title: t('Skip TLS verification') }),
});

export const tokenCreateForm = z.object({ tokenLabel: z.string().trim().min(1).max(100).meta({ title: t('Label'), placeholder: t('laptop') }) });

export const promoteForm = z.object({
  targetRepository: z.string().trim().min(1).meta({ title: t('Target repository'), placeholder: t('namespace/repository') }),
  targetTag: z.string().trim().min(1).meta({ title: t('Target tag') }),
});
export const pushMirrorForm = z.object({
  remoteHost: remoteFields.remoteHost,
  remoteRepository: remoteFields.remoteRepository,
  remoteTag: z.string().trim().min(1).meta({ title: t('Remote tag') }),
  username: remoteFields.username,
  credentials: credentialsCreate,
  remoteCA: remoteFields.remoteCA,
  skipTLSVerification: remoteFields.skipTLSVerification,
});
export const emptyForm = z.object({});
export const exportScanForm = z.object({
  format: z.enum(['csv', 'json']).default('csv').meta({ title: t('Format'), description: t('csv: one row per component and vulnerability · json: the scan summary as DTR returns it') }),
  platform: z.string().trim().default('').meta({ title: t('Platform'), description: t('os/arch; may be left empty when the tag has one platform'), placeholder: t('linux/amd64') }),
});
export const overrideForm = z.object({
  layer: z.string().trim().regex(/^sha256:[a-f0-9]{64}$/, t('a layer digest (sha256:…)')).meta({ title: t('Layer digest'), placeholder: t('sha256:…') }),
  component: z.string().trim().min(1).meta({ title: t('Component'), placeholder: t('openssl') }),
  componentVersion: z.string().trim().default('').meta({ title: t('Component version') }),
  cve: z.string().trim().min(1).meta({ title: t('Vulnerability'), placeholder: t('CVE-2024-0001') }),
  notes: z.string().default('').meta({ title: t('Why it does not apply'), multiline: true }),
});
