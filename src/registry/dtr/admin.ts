import * as z from 'zod';
import { refKey, type ActionDecl, type AdminModel, type CoreNodeOps, type FormDecl, type Outcome, type Refresh, type ResourceRef, type ResourceType, type Scope, type Verdict } from '../admin';
import { RegistryError, UnsupportedError } from '../errors';
import type { DeletePlan, Page } from '../provider';
import { DtrApi, orUndefinedOn403, type PolicyKind, type RemoteInput, type RepoSettings } from './api';
import { checkSegment, splitRepository } from './client';
import * as s from './schemas';

/*
 * DTR's admin model: repository create / edit / delete, tag actions (promote, push-mirror, scan, scan summary and its export,
 * delete manifest), per-repository policies, team access, webhooks and events, API tokens, and administration for
 * DTR admins. Feature flags (`/api/v0/meta/features`) hide what is not licensed or enabled; the signed-in user's
 * access to a repository hides what they cannot run.
 */

// ---- form schemas ----

const ruleSchema = z
  .object({
    field: s.ruleField.meta({ title: 'Field', description: 'What the rule looks at (tag name, license, component, vulnerability counts, last update)' }),
    operator: s.ruleOperator.meta({
      title: 'Operator',
      description: 'tag: eq, sw (starts with), ew (ends with), c (contains), oo (one of), noo (not one of) · license.name / component.name: oo, noo · vulnerability_*: gte, gt, eq, neq, lte, lt · updated_at / updated_at_duration: bf (before), af (after)',
    }),
    values: z.array(z.string()).meta({ title: 'Values', description: 'One value per line', placeholder: 'v1.*' }),
  })
  .refine((r) => s.operatorsByField[r.field].includes(r.operator), { message: 'This operator does not apply to this field', path: ['operator'] });

const rulesField = z.array(ruleSchema).meta({ title: 'Rules', description: 'A tag matches when it matches every rule', itemTitle: 'Rule', addLabel: 'Add Rule' });
const enabledField = z.boolean().default(true).meta({ title: 'Enabled' });

export const pruningForm = z.object({ enabled: enabledField, rules: rulesField });
export const promotionForm = z.object({
  targetRepository: z.string().trim().min(1).meta({ title: 'Target repository', placeholder: 'namespace/repository' }),
  tagTemplate: z.string().default('%n').meta({ title: 'Tag template', description: '%n is the promoted tag; %Y %m %d %H %M %S and the other symbols of DTR give the date', placeholder: '%n' }),
  enabled: enabledField,
  rules: rulesField,
});

const credentialsCreate = z
  .discriminatedUnion('auth', [
    z.object({ auth: z.literal('password'), password: z.string().min(1).meta({ title: 'Password', secret: true }) }),
    z.object({ auth: z.literal('token'), authToken: z.string().min(1).meta({ title: 'Access token', secret: true }) }),
  ])
  .meta({ title: 'Credentials for the remote registry', description: 'Sent to DTR once; never stored by Registry Explorer' });
const credentialsUpdate = z
  .discriminatedUnion('auth', [
    z.object({ auth: z.literal('keep') }),
    z.object({ auth: z.literal('password'), password: z.string().min(1).meta({ title: 'Password', secret: true }) }),
    z.object({ auth: z.literal('token'), authToken: z.string().min(1).meta({ title: 'Access token', secret: true }) }),
  ])
  .meta({ title: 'Credentials for the remote registry', description: '"keep" leaves the ones DTR has' });

const remoteFields = {
  remoteHost: z.string().trim().min(1).meta({ title: 'Remote registry', placeholder: 'https://registry.example.com' }),
  remoteRepository: z.string().trim().min(1).meta({ title: 'Remote repository', placeholder: 'namespace/repository' }),
  username: z.string().default('').meta({ title: 'Remote user name' }),
  remoteCA: z.string().default('').meta({ title: 'CA certificate of the remote (PEM)', multiline: true }),
  skipTLSVerification: z.boolean().default(false).meta({ title: 'Skip TLS verification' }),
};

export const pollMirroringForm = z.object({ ...remoteFields, enabled: enabledField, credentials: credentialsCreate });
export const pollMirroringUpdateForm = z.object({ ...remoteFields, enabled: enabledField, credentials: credentialsUpdate });
export const pushMirroringForm = z.object({
  ...remoteFields,
  tagTemplate: z.string().default('%n').meta({ title: 'Tag template', placeholder: '%n' }),
  enabled: enabledField,
  rules: rulesField,
  credentials: credentialsCreate,
});
export const pushMirroringUpdateForm = pushMirroringForm.extend({ credentials: credentialsUpdate });

const repoSettingsFields = {
  shortDescription: z.string().default('').meta({ title: 'Short description' }),
  longDescription: z.string().default('').meta({ title: 'Long description', multiline: true }),
  visibility: s.visibility.default('private').meta({ title: 'Visibility' }),
  scanOnPush: z.boolean().default(false).meta({ title: 'Scan on push' }),
  immutableTags: z.boolean().default(false).meta({ title: 'Immutable tags', description: 'Tags cannot be overwritten once pushed' }),
  enableManifestLists: z.boolean().default(false).meta({ title: 'Manifest lists', description: 'Allow pushing multi-platform manifest lists' }),
  tagLimit: z.number().int().min(0).default(0).meta({ title: 'Tag limit', description: '0: no limit; above it, the oldest tags are pruned' }),
};
export const repoCreateForm = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'lower-case letters, digits and . _ - between them')
    .max(255)
    .meta({ title: 'Name', placeholder: 'my-app' }),
  ...repoSettingsFields,
});
export const repoUpdateForm = z.object(repoSettingsFields);

const accessLevelField = s.accessLevel.meta({ title: 'Access', description: 'read-only, read-write or admin' });
export const teamAccessForm = z.object({ team: z.string().trim().min(1).meta({ title: 'Team', placeholder: 'developers' }), accessLevel: accessLevelField });
const setAccessForm = z.object({ accessLevel: accessLevelField });

export const webhookForm = z.object({
  type: s.webhookType.meta({ title: 'Event' }),
  endpoint: z.string().trim().url().meta({ title: 'Endpoint URL', placeholder: 'https://hooks.example.com/dtr' }),
  tlsCert: z.string().default('').meta({ title: 'CA certificate of the endpoint (PEM)', multiline: true }),
  skipTLSVerification: z.boolean().default(false).meta({ title: 'Skip TLS verification' }),
});
const webhookUpdateForm = z.object({
  inactive: z.boolean().default(false).meta({ title: 'Inactive' }),
  tlsCert: z.string().default('').meta({ title: 'CA certificate of the endpoint (PEM)', multiline: true }),
  skipTLSVerification: z.boolean().default(false).meta({ title: 'Skip TLS verification' }),
});

export const tokenCreateForm = z.object({ tokenLabel: z.string().trim().min(1).max(100).meta({ title: 'Label', placeholder: 'laptop' }) });

const promoteForm = z.object({
  targetRepository: z.string().trim().min(1).meta({ title: 'Target repository', placeholder: 'namespace/repository' }),
  targetTag: z.string().trim().min(1).meta({ title: 'Target tag' }),
});
const pushMirrorForm = z.object({
  remoteHost: remoteFields.remoteHost,
  remoteRepository: remoteFields.remoteRepository,
  remoteTag: z.string().trim().min(1).meta({ title: 'Remote tag' }),
  username: remoteFields.username,
  credentials: credentialsCreate,
  remoteCA: remoteFields.remoteCA,
  skipTLSVerification: remoteFields.skipTLSVerification,
});
const emptyForm = z.object({});
export const exportScanForm = z.object({
  format: z.enum(['csv', 'json']).default('csv').meta({ title: 'Format', description: 'csv: one row per component and vulnerability · json: the scan summary as DTR returns it' }),
  platform: z.string().trim().default('').meta({ title: 'Platform', description: 'os/arch; may be left empty when the tag has one platform', placeholder: 'linux/amd64' }),
});

// ---- helpers ----

function repoOf(scope: Scope): string {
  if (!scope.repository) throw new UnsupportedError('This needs a repository');
  splitRepository(scope.repository);
  return scope.repository;
}
function namespaceOf(scope: Scope): string {
  const ns = scope.namespace ?? (scope.repository ? splitRepository(scope.repository)[0] : undefined);
  if (!ns) throw new UnsupportedError('This needs a namespace');
  return checkSegment(ns, 'namespace');
}
function tagOf(ref: ResourceRef): string {
  return checkSegment(ref.scope.tag ?? ref.key, 'tag');
}
function repoOfRef(ref: ResourceRef): string {
  return repoOf(ref.scope.repository ? ref.scope : { ...ref.scope, repository: ref.key });
}

type Creds = { auth: 'keep' } | { auth: 'password'; password: string } | { auth: 'token'; authToken: string };

/** Remote fields and credentials for the API; credentials go into the request body and nowhere else. */
function remote(v: { remoteHost: string; remoteRepository: string; username: string; remoteCA: string; skipTLSVerification: boolean; credentials: Creds }): RemoteInput {
  const r: RemoteInput = { remoteHost: v.remoteHost, remoteRepository: v.remoteRepository, username: v.username, remoteCA: v.remoteCA, skipTLSVerification: v.skipTLSVerification };
  if (v.credentials.auth === 'password') r.password = v.credentials.password;
  if (v.credentials.auth === 'token') r.authToken = v.credentials.authToken;
  return r;
}

function parse<T>(schema: z.ZodType<T>, values: Record<string, unknown> | undefined): T {
  const r = schema.safeParse(values ?? {});
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new RegistryError('config', `${i.path.join('.') || 'form'}: ${i.message}`);
  }
  return r.data;
}

function ruleText(r: s.DtrRule): string {
  return `${r.field} ${r.operator} ${r.values.join(', ')}`;
}

function rulesToInput(rules: s.DtrRule[]): s.RuleInput[] {
  return rules.filter((r): r is s.RuleInput => s.ruleInput.safeParse(r).success);
}

const done = (message: string, refresh: Refresh = 'list'): Outcome => ({ kind: 'done', message, refresh });

const levelRank: Record<s.AccessLevel, number> = { 'read-only': 1, 'read-write': 2, admin: 3 };

/** Whole-page listing for small lists that DTR does not page (or that come whole). */
function whole<T>(items: T[]): Page<T> {
  return { items };
}

// ---- the model ----

/**
 * Builds the admin model of one DTR connection. What it learns (feature flags, the user's access levels, whether
 * they are an admin) is kept in the model; the provider builds a new one when the credentials change.
 */
/** What the admin model needs of its provider (an interface, so the two modules do not import each other). */
export interface DtrAdminHost {
  readonly api: DtrApi;
  features(signal?: AbortSignal): Promise<s.DtrFeatures>;
  planDeleteManifest(repository: string, tag: string, signal?: AbortSignal): Promise<DeletePlan>;
  deleteTag(plan: DeletePlan, signal?: AbortSignal): Promise<void>;
}

export function buildAdminModel(p: DtrAdminHost): AdminModel {
  const api = p.api;
  const access = new Map<string, s.AccessLevel>();
  let features: s.DtrFeatures | undefined;
  let isAdmin: Promise<boolean> | undefined;

  const loadFeatures = async (signal?: AbortSignal): Promise<s.DtrFeatures | undefined> => {
    try {
      features = await p.features(signal);
    } catch {
      // Unknown: nothing is hidden, the server has the last word.
    }
    return features;
  };
  const scanning = () => !features || (features.scanningLicensed && features.scanningEnabled);
  const promotion = () => !features || features.promotionLicensed;
  const mirroring = () => !features || features.mirroringLicensed;

  /** The signed-in user's access to a repository (cached; unknown when DTR will not say). */
  const myAccess = async (repository: string, signal?: AbortSignal): Promise<s.AccessLevel | undefined> => {
    const known = access.get(repository);
    if (known) return known;
    try {
      const level = await api.myAccess(repository, signal);
      if (level) access.set(repository, level);
      return level;
    } catch {
      return undefined;
    }
  };
  const atLeast = (repository: string | undefined, level: s.AccessLevel): boolean => {
    if (!repository) return true;
    const l = access.get(repository);
    return l === undefined || levelRank[l] >= levelRank[level];
  };
  // Shared probes are not tied to one caller's signal: a cancelled expansion must not answer "no" for the others.
  const adminOnly = (_signal?: AbortSignal): Promise<boolean> => {
    isAdmin ??= orUndefinedOn403(api.clusterStatus()).then(
      (r) => r !== undefined,
      () => {
        isAdmin = undefined;
        return false;
      },
    );
    return isAdmin;
  };
  /** Whether the user may administer a namespace: probed once per namespace with a cheap admin-only read (403: no). */
  const namespaceProbe = new Map<string, Promise<boolean>>();
  const namespaceAdmin = (namespace: string, _signal?: AbortSignal): Promise<boolean> => {
    let probe = namespaceProbe.get(namespace);
    if (!probe) {
      probe = orUndefinedOn403(api.webhooks({ namespace })).then(
        (r) => r !== undefined,
        () => {
          namespaceProbe.delete(namespace);
          return false;
        },
      );
      namespaceProbe.set(namespace, probe);
    }
    return probe;
  };
  const repoAdmin = async (scope: Scope, signal?: AbortSignal) => {
    if (!scope.repository) return false;
    const l = await myAccess(scope.repository, signal);
    return l === undefined || l === 'admin';
  };

  // ---- policies ----

  function policyType<T extends { id: string; enabled: boolean; rules?: s.DtrRule[] }, F extends Record<string, unknown>>(o: {
    type: string;
    kind: PolicyKind;
    title: string;
    itemTitle: string;
    icon: string;
    schema: z.ZodType<T>;
    createForm: z.ZodType<F>;
    updateForm?: z.ZodType<Record<string, unknown>>;
    available?: () => boolean;
    body(v: F): Record<string, unknown>;
    updateBody?(v: Record<string, unknown>): Record<string, unknown>;
    values(item: T): Record<string, unknown>;
    describe(item: T): string;
    verify?: FormDecl['verify'];
  }): ResourceType<T> {
    // Saving an enabled pruning policy prunes the matching tags at once: the repository's tags change too.
    const prunes = (v: unknown): boolean => o.kind === 'pruningPolicies' && (v as { enabled?: unknown }).enabled === true;
    const form = (schema: z.ZodType<Record<string, unknown>>, title: string): FormDecl => ({ schema, title, ...(o.verify ? { verify: o.verify } : {}) });
    return {
      type: o.type,
      title: o.title,
      itemTitle: o.itemTitle,
      icon: o.icon,
      placement: { under: 'repository', group: 'policies' },
      shape: 'list',
      available: async (scope, signal) => {
        await loadFeatures(signal);
        return !!scope.repository && (o.available?.() ?? true);
      },
      key: (item) => item.id,
      view: (item) => ({
        label: o.describe(item),
        description: item.enabled ? 'enabled' : 'disabled',
        tooltip: (item.rules ?? []).map(ruleText).join('\n') || undefined,
        icon: o.icon,
      }),
      list: async (scope, _cursor, opts) => whole(await api.listPolicies(repoOf(scope), o.kind, o.schema, opts?.signal)),
      get: (ref, signal) => api.getPolicy(repoOf(ref.scope), o.kind, ref.key, o.schema, signal),
      create: {
        title: `New ${o.itemTitle}`,
        form: form(o.createForm as z.ZodType<Record<string, unknown>>, `New ${o.itemTitle}`),
        run: async (scope, values, signal) => {
          const v = parse(o.createForm, values);
          const created = await api.savePolicy(repoOf(scope), o.kind, undefined, o.body(v), o.schema, signal);
          return done(`Created ${o.itemTitle} ${created.id}`, prunes(v) ? 'owner' : 'list');
        },
      },
      update: {
        title: `Edit ${o.itemTitle}`,
        form: form(o.updateForm ?? (o.createForm as z.ZodType<Record<string, unknown>>), `Edit ${o.itemTitle}`),
        values: async (ref, signal) => o.values(await api.getPolicy(repoOf(ref.scope), o.kind, ref.key, o.schema, signal)),
        run: async (ref, values, signal) => {
          const body = o.updateBody ? o.updateBody(parse(o.updateForm ?? o.createForm, values) as Record<string, unknown>) : o.body(parse(o.createForm, values));
          await api.savePolicy(repoOf(ref.scope), o.kind, ref.key, body, o.schema, signal);
          return done(`Saved ${o.itemTitle} ${ref.key}`, prunes(body) ? 'owner' : 'item');
        },
      },
      remove: {
        title: `Delete ${o.itemTitle}`,
        confirm: (item, ref) => ({ message: `Delete the ${o.itemTitle} "${o.describe(item)}" of ${ref.scope.repository ?? ''}?`, detail: `Policy id ${item.id}`, button: 'Delete Policy' }),
        run: async (ref, signal) => {
          await api.deletePolicy(repoOf(ref.scope), o.kind, ref.key, signal);
          return done(`Deleted ${o.itemTitle} ${ref.key}`);
        },
      },
    };
  }

  const verifyPruning: FormDecl['verify'] = async (target, values, signal) => {
    const scope = 'scope' in target && 'type' in target ? (target as ResourceRef).scope : (target as Scope);
    const v = parse(pruningForm, values);
    const tags = await api.testPruning(repoOf(scope), v.rules, signal);
    const verdict: Verdict = {
      ok: true,
      summary: tags.length ? `The rules match ${tags.length} tag${tags.length === 1 ? '' : 's'} of ${scope.repository}.` : `The rules match no tag of ${scope.repository}.`,
      items: tags,
    };
    if (tags.length && v.enabled) {
      verdict.confirm = { message: `Saving prunes ${tags.length} tag${tags.length === 1 ? '' : 's'} of ${scope.repository} now. Save the pruning policy?`, detail: tags.slice(0, 20).join(', ') + (tags.length > 20 ? ', …' : ''), button: 'Save and Prune' };
    }
    return verdict;
  };

  const pruning = policyType({
    type: 'pruningPolicy',
    kind: 'pruningPolicies',
    title: 'Pruning Policies',
    itemTitle: 'pruning policy',
    icon: 'trash',
    schema: s.pruningPolicy,
    createForm: pruningForm,
    body: (v) => DtrApi.pruningBody(v),
    values: (item) => ({ enabled: item.enabled, rules: rulesToInput(item.rules) }),
    describe: (item) => item.rules.map(ruleText).join(' and ') || `policy ${item.id}`,
    verify: verifyPruning,
  });

  const promotionPolicies = policyType({
    type: 'promotionPolicy',
    kind: 'promotionPolicies',
    title: 'Promotion Policies',
    itemTitle: 'promotion policy',
    icon: 'arrow-up',
    schema: s.promotionPolicy,
    createForm: promotionForm,
    available: promotion,
    body: (v) => {
      splitRepository(v.targetRepository);
      return DtrApi.promotionBody(v);
    },
    values: (item) => ({ targetRepository: item.targetRepository, tagTemplate: item.tagTemplate, enabled: item.enabled, rules: rulesToInput(item.rules) }),
    describe: (item) => `→ ${item.targetRepository}:${item.tagTemplate || '%n'}`,
  });

  const pollMirroring = policyType({
    type: 'pollMirroringPolicy',
    kind: 'pollMirroringPolicies',
    title: 'Poll Mirroring Policies',
    itemTitle: 'poll mirroring policy',
    icon: 'cloud-download',
    schema: s.pollMirroringPolicy,
    createForm: pollMirroringForm,
    updateForm: pollMirroringUpdateForm as z.ZodType<Record<string, unknown>>,
    available: mirroring,
    body: (v) => DtrApi.pollMirroringBody({ ...remote(v), enabled: v.enabled }),
    updateBody: (raw) => {
      const v = raw as z.infer<typeof pollMirroringUpdateForm>;
      return stripEmptyCredentials(DtrApi.pollMirroringBody({ ...remote(v), enabled: v.enabled }));
    },
    values: (item) => ({ remoteHost: item.remoteHost, remoteRepository: item.remoteRepository, username: item.username, remoteCA: item.remoteCA, skipTLSVerification: item.skipTLSVerification, enabled: item.enabled, credentials: { auth: 'keep' } }),
    describe: (item) => `← ${hostOf(item.remoteHost)}/${item.remoteRepository}`,
  });

  const pushMirroring = policyType({
    type: 'pushMirroringPolicy',
    kind: 'pushMirroringPolicies',
    title: 'Push Mirroring Policies',
    itemTitle: 'push mirroring policy',
    icon: 'cloud-upload',
    schema: s.pushMirroringPolicy,
    createForm: pushMirroringForm,
    updateForm: pushMirroringUpdateForm as z.ZodType<Record<string, unknown>>,
    available: mirroring,
    body: (v) => DtrApi.pushMirroringBody({ ...remote(v), enabled: v.enabled, rules: v.rules, tagTemplate: v.tagTemplate }),
    updateBody: (raw) => {
      const v = raw as z.infer<typeof pushMirroringUpdateForm>;
      return stripEmptyCredentials(DtrApi.pushMirroringBody({ ...remote(v), enabled: v.enabled, rules: v.rules, tagTemplate: v.tagTemplate }));
    },
    values: (item) => ({
      remoteHost: item.remoteHost,
      remoteRepository: item.remoteRepository,
      username: item.username,
      remoteCA: item.remoteCA,
      skipTLSVerification: item.skipTLSVerification,
      tagTemplate: item.tagTemplate,
      enabled: item.enabled,
      rules: rulesToInput(item.rules),
      credentials: { auth: 'keep' },
    }),
    describe: (item) => `→ ${hostOf(item.remoteHost)}/${item.remoteRepository}:${item.tagTemplate || '%n'}`,
  });

  // ---- access ----

  function teamAccessType(o: { type: string; under: 'repository' | 'namespace'; list(scope: Scope, signal?: AbortSignal): Promise<s.DtrTeamAccess[]>; set(scope: Scope, team: string, level: s.AccessLevel, signal?: AbortSignal): Promise<void>; revoke(scope: Scope, team: string, signal?: AbortSignal): Promise<void>; where(scope: Scope): string; available(scope: Scope, signal?: AbortSignal): Promise<boolean> }): ResourceType<s.DtrTeamAccess> {
    const setAction: ActionDecl<s.DtrTeamAccess> = {
      id: 'setAccess',
      title: 'Set Access…',
      icon: 'key',
      input: { schema: setAccessForm as z.ZodType<Record<string, unknown>>, title: 'Team access' },
      run: async (ref, input, signal) => {
        const v = parse(setAccessForm, input);
        const team = await teamName(ref, signal);
        await o.set(ref.scope, team, v.accessLevel, signal);
        return done(`Team ${team} now has ${v.accessLevel} access to ${o.where(ref.scope)}`, 'list');
      },
    };
    /** The name of the team an item stands for (its key is the name, or the id when DTR did not name it). */
    const teamName = async (ref: ResourceRef, signal?: AbortSignal): Promise<string> => {
      const entry = (await o.list(ref.scope, signal)).find((x) => (x.team.name ?? x.team.id) === ref.key);
      if (!entry) throw new RegistryError('notFound', `Team ${ref.key} has no access to ${o.where(ref.scope)} any more`);
      if (!entry.team.name) throw new UnsupportedError(`DTR did not say the name of team ${entry.team.id}, and team access is changed by team name; nothing was changed`);
      return checkSegment(entry.team.name, 'team');
    };
    return {
      type: o.type,
      title: 'Team Access',
      itemTitle: 'team access',
      icon: 'organization',
      placement: { under: o.under, group: 'access' },
      shape: 'list',
      available: (scope, signal) => o.available(scope, signal),
      key: (item) => item.team.name ?? item.team.id,
      view: (item) => ({ label: item.team.name ?? `team ${item.team.id}`, description: item.accessLevel, tooltip: item.team.name ? undefined : 'DTR did not say the name of this team', icon: 'organization' }),
      list: async (scope, _cursor, opts) => whole(await o.list(scope, opts?.signal)),
      create: {
        title: 'Grant Team Access',
        form: { schema: teamAccessForm as z.ZodType<Record<string, unknown>>, title: 'Grant team access' },
        run: async (scope, values, signal) => {
          const v = parse(teamAccessForm, values);
          await o.set(scope, checkSegment(v.team, 'team'), v.accessLevel, signal);
          return done(`Team ${v.team} now has ${v.accessLevel} access to ${o.where(scope)}`);
        },
      },
      remove: {
        title: 'Revoke Team Access',
        confirm: (item, ref) => ({ message: `Revoke the ${item.accessLevel} access of team ${item.team.name ?? item.team.id} to ${o.where(ref.scope)}?`, button: 'Revoke Access' }),
        run: async (ref, signal) => {
          const team = await teamName(ref, signal);
          await o.revoke(ref.scope, team, signal);
          return done(`Revoked the access of team ${team} to ${o.where(ref.scope)}`);
        },
      },
      actions: [setAction],
    };
  }

  const repoTeamAccess = teamAccessType({
    type: 'repositoryTeamAccess',
    under: 'repository',
    list: (scope, signal) => api.repoTeamAccess(repoOf(scope), signal),
    set: (scope, team, level, signal) => api.setRepoTeamAccess(repoOf(scope), team, level, signal),
    revoke: (scope, team, signal) => api.revokeRepoTeamAccess(repoOf(scope), team, signal),
    where: (scope) => scope.repository ?? '',
    // Team access exists on organization repositories, for their admins.
    available: (scope, signal) => repoAdmin(scope, signal),
  });

  const namespaceTeamAccess = teamAccessType({
    type: 'namespaceTeamAccess',
    under: 'namespace',
    list: (scope, signal) => api.namespaceTeamAccess(namespaceOf(scope), signal),
    set: (scope, team, level, signal) => api.setNamespaceTeamAccess(namespaceOf(scope), team, level, signal),
    revoke: (scope, team, signal) => api.revokeNamespaceTeamAccess(namespaceOf(scope), team, signal),
    where: (scope) => `namespace ${scope.namespace ?? ''}`,
    available: async (scope, signal) => {
      if (!scope.namespace) return false;
      // A user's own namespace has no teams; an organization's team access is for its admins.
      if (scope.namespace === (await api.client.username())) return false;
      return namespaceAdmin(scope.namespace, signal);
    },
  });

  const myAccessType: ResourceType<{ level: s.AccessLevel | 'unknown'; repository: string }> = {
    type: 'myRepositoryAccess',
    title: 'Your Access',
    itemTitle: 'your access',
    icon: 'person',
    placement: { under: 'repository', group: 'access' },
    shape: 'singleton',
    available: async (scope) => !!scope.repository && (await api.client.hasCredentials()),
    key: () => '',
    view: (item) => ({ label: 'Your access', description: item.level, tooltip: `Your effective access to ${item.repository}`, icon: 'person' }),
    get: async (ref, signal) => {
      const repository = repoOf(ref.scope);
      access.delete(repository);
      return { level: (await myAccess(repository, signal)) ?? 'unknown', repository };
    },
  };

  // ---- webhooks and events ----

  function webhookType(under: 'repository' | 'namespace'): ResourceType<s.DtrWebhook> {
    const keyOf = (scope: Scope) => (under === 'repository' ? repoOf(scope) : namespaceOf(scope));
    const toggle = (inactive: boolean): ActionDecl<s.DtrWebhook> => ({
      id: inactive ? 'deactivate' : 'activate',
      title: inactive ? 'Deactivate' : 'Activate',
      icon: inactive ? 'debug-pause' : 'play',
      when: (item) => item.inactive !== inactive,
      run: async (ref, _input, signal) => {
        const item = await findWebhook(ref, signal);
        await api.updateWebhook({ id: item.id, inactive, tlsCert: item.tlsCert, skipTLSVerification: item.skipTLSVerification }, signal);
        return done(`Webhook ${item.endpoint} ${inactive ? 'deactivated' : 'activated'}`, 'item');
      },
    });
    const findWebhook = async (ref: ResourceRef, signal?: AbortSignal): Promise<s.DtrWebhook> => {
      const all = await api.webhooks(under === 'repository' ? { namespace: '', repository: repoOf(ref.scope) } : { namespace: namespaceOf(ref.scope) }, signal);
      const w = all.find((x) => x.id === ref.key);
      if (!w) throw new RegistryError('notFound', `Webhook ${ref.key} no longer exists`);
      return w;
    };
    return {
      type: under === 'repository' ? 'repositoryWebhook' : 'namespaceWebhook',
      title: 'Webhooks',
      itemTitle: 'webhook',
      icon: 'plug',
      placement: { under },
      shape: 'list',
      available: async (scope, signal) => (under === 'repository' ? repoAdmin(scope, signal) : !!scope.namespace && namespaceAdmin(scope.namespace, signal)),
      key: (item) => item.id,
      view: (item) => ({ label: item.type, description: `${item.endpoint}${item.inactive ? ' (inactive)' : ''}`, tooltip: item.lastSuccessfulAt ? `Last delivered ${item.lastSuccessfulAt}` : undefined, icon: 'plug' }),
      list: async (scope, _cursor, opts) => whole(await api.webhooks(under === 'repository' ? { namespace: '', repository: repoOf(scope) } : { namespace: namespaceOf(scope) }, opts?.signal)),
      get: findWebhook,
      create: {
        title: 'New Webhook',
        form: { schema: webhookForm as z.ZodType<Record<string, unknown>>, title: 'New webhook' },
        run: async (scope, values, signal) => {
          const v = parse(webhookForm, values);
          await api.createWebhook({ ...v, key: keyOf(scope) }, signal);
          return done(`Created a ${v.type} webhook for ${keyOf(scope)}`);
        },
      },
      update: {
        title: 'Edit Webhook',
        form: { schema: webhookUpdateForm as z.ZodType<Record<string, unknown>>, title: 'Edit webhook' },
        values: async (ref, signal) => {
          const w = await findWebhook(ref, signal);
          return { inactive: w.inactive, tlsCert: w.tlsCert, skipTLSVerification: w.skipTLSVerification };
        },
        run: async (ref, values, signal) => {
          const v = parse(webhookUpdateForm, values);
          await api.updateWebhook({ id: checkSegment(ref.key, 'webhook id'), ...v }, signal);
          return done('Webhook saved', 'item');
        },
      },
      remove: {
        title: 'Delete Webhook',
        confirm: (item) => ({ message: `Delete the ${item.type} webhook to ${item.endpoint}?`, button: 'Delete Webhook' }),
        run: async (ref, signal) => {
          await api.deleteWebhook(ref.key, signal);
          return done('Webhook deleted');
        },
      },
      actions: [
        {
          id: 'test',
          title: 'Send Test Event',
          icon: 'debug-start',
          run: async (ref, _input, signal) => {
            const w = await findWebhook(ref, signal);
            await api.testWebhook({ type: w.type, endpoint: w.endpoint, tlsCert: w.tlsCert, skipTLSVerification: w.skipTLSVerification }, signal);
            return done(`Sent a test ${w.type} event to ${w.endpoint}`, 'none');
          },
        },
        toggle(true),
        toggle(false),
      ],
    };
  }

  const events: ResourceType<s.DtrEvent> = {
    type: 'repositoryEvent',
    title: 'Events',
    itemTitle: 'event',
    icon: 'history',
    placement: { under: 'repository' },
    shape: 'list',
    key: (e) => e.id,
    view: (e) => ({
      label: `${e.type}${e.object?.name ? ` ${e.object.name}` : ''}`,
      description: `${e.actor} · ${e.publishedAt}`,
      tooltip: e.target?.name ? `Target: ${e.target.name}` : undefined,
      icon: 'history',
    }),
    list: (scope, cursor, opts) => api.events(repoOf(scope), cursor, opts),
  };

  // ---- account ----

  const tokenToggle = (isActive: boolean): ActionDecl<s.DtrApiToken> => ({
    id: isActive ? 'activate' : 'deactivate',
    title: isActive ? 'Activate' : 'Deactivate',
    icon: isActive ? 'play' : 'debug-pause',
    when: (t) => t.isActive !== isActive,
    confirm: isActive ? undefined : (t) => ({ message: `Deactivate API token "${t.tokenLabel}"? Clients using it stop working.`, button: 'Deactivate Token' }),
    run: async (ref, _input, signal) => {
      const t = await api.updateApiToken(checkSegment(ref.key, 'token id'), { isActive }, signal);
      return done(`API token "${t.tokenLabel}" ${isActive ? 'activated' : 'deactivated'}`, 'item');
    },
  });

  const apiTokens: ResourceType<s.DtrApiToken> = {
    type: 'apiToken',
    title: 'API Tokens',
    itemTitle: 'API token',
    icon: 'key',
    placement: { under: 'registry', group: 'account' },
    shape: 'list',
    available: () => api.client.hasCredentials(),
    key: (t) => t.hashedToken,
    view: (t) => ({
      label: t.tokenLabel || t.hashedToken.slice(0, 12),
      description: `${t.isActive ? 'active' : 'inactive'}${t.lastUsed ? ` · last used ${t.lastUsed}` : ''}`,
      tooltip: [t.createdAt ? `Created ${t.createdAt}` : '', t.generatedBy ? `by ${t.generatedBy}` : ''].filter(Boolean).join(' '),
      icon: t.isActive ? 'key' : 'circle-slash',
    }),
    list: (_scope, cursor, opts) => api.apiTokens(cursor, opts),
    get: (ref, signal) => api.apiToken(checkSegment(ref.key, 'token id'), signal),
    create: {
      title: 'New API Token',
      form: { schema: tokenCreateForm as z.ZodType<Record<string, unknown>>, title: 'New API token', submitLabel: 'Create Token' },
      run: async (_scope, values, signal) => {
        const v = parse(tokenCreateForm, values);
        const t = await api.createApiToken(v.tokenLabel, signal);
        return { kind: 'secret', message: `API token "${t.tokenLabel}" created. Copy it now: DTR shows it only once.`, label: t.tokenLabel, secret: t.token, refresh: 'list' };
      },
    },
    update: {
      title: 'Rename API Token',
      form: { schema: tokenCreateForm as z.ZodType<Record<string, unknown>>, title: 'Rename API token' },
      values: async (ref, signal) => ({ tokenLabel: (await api.apiToken(checkSegment(ref.key, 'token id'), signal)).tokenLabel }),
      run: async (ref, values, signal) => {
        const v = parse(tokenCreateForm, values);
        await api.updateApiToken(checkSegment(ref.key, 'token id'), { tokenLabel: v.tokenLabel }, signal);
        return done(`API token renamed to "${v.tokenLabel}"`, 'item');
      },
    },
    remove: {
      title: 'Delete API Token',
      confirm: (t) => ({ message: `Delete API token "${t.tokenLabel}"? Clients using it stop working.`, button: 'Delete Token' }),
      run: async (ref, signal) => {
        await api.deleteApiToken(checkSegment(ref.key, 'token id'), signal);
        return done('API token deleted');
      },
    },
    actions: [tokenToggle(true), tokenToggle(false)],
  };

  // ---- administration ----

  const jobsType: ResourceType<s.DtrJob> = {
    type: 'job',
    title: 'Jobs',
    itemTitle: 'job',
    icon: 'tasklist',
    placement: { under: 'registry', group: 'administration' },
    shape: 'list',
    available: (_scope, signal) => adminOnly(signal),
    key: (j) => j.id,
    view: (j) => ({ label: j.action, description: `${j.status}${j.scheduledAt ? ` · ${j.scheduledAt}` : ''}`, tooltip: `Job ${j.id}${j.workerID ? ` on worker ${j.workerID}` : ''}`, icon: j.status === 'errored' ? 'error' : j.status === 'running' ? 'sync' : 'tasklist' }),
    list: (_scope, cursor, opts) => api.jobs(cursor, opts),
    actions: [
      {
        id: 'logs',
        title: 'Show Logs',
        icon: 'output',
        run: async (ref, _input, signal) => ({ kind: 'list', title: `Logs of job ${ref.key}`, items: await api.jobLogs(checkSegment(ref.key, 'job id'), signal), refresh: 'none' }),
      },
      {
        id: 'cancel',
        title: 'Cancel Job',
        icon: 'stop-circle',
        when: (j) => j.status === 'running' || j.status === 'waiting',
        confirm: (j) => ({ message: `Cancel the ${j.action} job ${j.id}?`, button: 'Cancel Job' }),
        run: async (ref, _input, signal) => {
          await api.cancelJob(checkSegment(ref.key, 'job id'), signal);
          return done(`Job ${ref.key} cancelled`, 'item');
        },
      },
    ],
  };

  const cronsType: ResourceType<s.DtrCron> = {
    type: 'cron',
    title: 'Crons',
    itemTitle: 'cron',
    icon: 'watch',
    placement: { under: 'registry', group: 'administration' },
    shape: 'list',
    available: (_scope, signal) => adminOnly(signal),
    key: (c) => c.action,
    view: (c) => ({ label: c.action, description: c.schedule, tooltip: c.nextRun ? `Next run ${c.nextRun}` : undefined, icon: 'watch' }),
    list: async (_scope, _cursor, opts) => whole(await api.crons(opts?.signal)),
  };

  type ScannerItem = z.infer<typeof s.scannerStatus>;
  const scannerType: ResourceType<ScannerItem> = {
    type: 'scanner',
    title: 'Security Scanner',
    itemTitle: 'security scanner',
    icon: 'shield',
    placement: { under: 'registry', group: 'administration' },
    shape: 'singleton',
    available: async (_scope, signal) => (await adminOnly(signal)) && (await loadFeatures(signal), scanning()),
    key: () => '',
    view: (st) => ({
      label: 'Security scanner',
      description: `${st.lastDBUpdateFailed ? 'database update failed' : 'ok'}${st.db_updated_at ? ` · database ${st.db_updated_at}` : ''}`,
      tooltip: `Scanner version ${st.scanner_version ?? '?'} · database version ${st.db_version ?? '?'}`,
      icon: st.lastDBUpdateFailed ? 'warning' : 'shield',
    }),
    get: (_ref, signal) => api.scannerStatus(signal),
    actions: [true, false].map(
      (on): ActionDecl<ScannerItem> => ({
        id: on ? 'scanOnPushAll' : 'noScanOnPushAll',
        title: on ? 'Turn On Scan on Push for All Repositories' : 'Turn Off Scan on Push for All Repositories',
        icon: on ? 'shield' : 'circle-slash',
        confirm: () => ({ message: `Turn scan on push ${on ? 'on' : 'off'} for every repository of this DTR?`, button: on ? 'Turn On' : 'Turn Off' }),
        run: async (_ref, _input, signal) => {
          await api.toggleScanOnPush(on, signal);
          return done(`Scan on push is ${on ? 'on' : 'off'} for all repositories`, 'none');
        },
      }),
    ),
  };

  const overrideForm = z.object({
    layer: z.string().trim().regex(/^sha256:[a-f0-9]{64}$/, 'a layer digest (sha256:…)').meta({ title: 'Layer digest', placeholder: 'sha256:…' }),
    component: z.string().trim().min(1).meta({ title: 'Component', placeholder: 'openssl' }),
    componentVersion: z.string().trim().default('').meta({ title: 'Component version' }),
    cve: z.string().trim().min(1).meta({ title: 'Vulnerability', placeholder: 'CVE-2024-0001' }),
    notes: z.string().default('').meta({ title: 'Why it does not apply', multiline: true }),
  });
  const overrides: ResourceType<s.DtrVulnOverride> = {
    type: 'layerOverride',
    title: 'Layer Overrides',
    itemTitle: 'layer override',
    icon: 'pass',
    placement: { under: 'registry', group: 'administration' },
    shape: 'list',
    available: async (_scope, signal) => (await adminOnly(signal)) && (await loadFeatures(signal), scanning()),
    key: (o) => o.pk,
    view: (o) => ({ label: `${o.cve} in ${o.component}${o.componentVersion ? ` ${o.componentVersion}` : ''}`, description: (o.digest ?? 'unknown layer').slice(0, 19), tooltip: o.notes || undefined, icon: 'pass' }),
    list: async (_scope, _cursor, opts) => whole(await api.layerOverrides(opts?.signal)),
    create: {
      title: 'New Layer Override',
      form: { schema: overrideForm as z.ZodType<Record<string, unknown>>, title: 'Mark a vulnerability as not applicable in a layer' },
      run: async (_scope, values, signal) => {
        const v = parse(overrideForm, values);
        await api.addLayerOverride(v.layer, { component: v.component, componentVersion: v.componentVersion, cve: v.cve, notes: v.notes }, signal);
        return done(`${v.cve} no longer counts in ${v.component} of layer ${v.layer.slice(0, 19)}`);
      },
    },
    remove: {
      title: 'Delete Layer Override',
      confirm: (o) => ({ message: `Count ${o.cve} in ${o.component} of layer ${(o.digest ?? 'unknown layer').slice(0, 19)} again?`, button: 'Delete Override' }),
      run: async (ref, signal) => {
        await api.deleteLayerOverride(checkSegment(ref.key, 'override id'), signal);
        return done('Layer override deleted');
      },
    },
  };

  // ---- core nodes ----

  const namespaceOps: CoreNodeOps = {
    create: {
      title: 'New Repository',
      form: { schema: repoCreateForm as z.ZodType<Record<string, unknown>>, title: 'New repository', submitLabel: 'Create Repository' },
      run: async (scope, values, signal) => {
        const v = parse(repoCreateForm, values);
        const ns = namespaceOf(scope);
        const { name, ...settings } = v;
        await api.createRepository(ns, name, settings, signal);
        return done(`Created repository ${ns}/${name}`);
      },
    },
  };

  const repositoryOps: CoreNodeOps = {
    update: {
      title: 'Edit Repository',
      form: { schema: repoUpdateForm as z.ZodType<Record<string, unknown>>, title: 'Repository settings', description: 'DTR 1.3 keeps only the descriptions and the visibility; later versions keep every setting' },
      values: async (ref, signal) => {
        const r = await api.repository(repoOfRef(ref), signal);
        const v: RepoSettings = {
          shortDescription: r.shortDescription ?? '',
          longDescription: r.longDescription ?? '',
          visibility: r.visibility ?? 'private',
          scanOnPush: r.scanOnPush ?? false,
          immutableTags: r.immutableTags ?? false,
          enableManifestLists: r.enableManifestLists ?? false,
          tagLimit: r.tagLimit ?? 0,
        };
        return { ...v };
      },
      run: async (ref, values, signal) => {
        const v = parse(repoUpdateForm, values);
        await api.updateRepository(repoOfRef(ref), v, signal);
        // The repository's description and visibility are shown by the namespace's listing: reload that.
        return done(`Saved repository ${repoOfRef(ref)}`, 'list');
      },
    },
    remove: {
      title: 'Delete Repository',
      confirm: async (ref) => {
        const repository = repoOfRef(ref);
        return Promise.resolve({ message: `Delete repository ${repository} with all its tags?`, detail: 'DTR removes the repository, its tags, policies and webhooks. This cannot be undone.', button: 'Delete Repository' });
      },
      run: async (ref, signal) => {
        const repository = repoOfRef(ref);
        await api.deleteRepository(repository, signal);
        access.delete(repository);
        return done(`Deleted repository ${repository}`, 'owner');
      },
    },
  };

  /** Manifest deletes as confirmed (by the reference of the tag), until they run. */
  const confirmedPlans = new Map<string, DeletePlan>();

  const platformsOf = async (ref: ResourceRef, signal?: AbortSignal): Promise<string[]> => {
    const entries = await api.tag(repoOf(ref.scope), tagOf(ref), signal);
    return [...new Set(entries.map((e) => s.platformOf(e.manifest)).filter((x): x is string => !!x))];
  };

  /** The platform to export: the one named (it must be one of the tag's), or the tag's only platform. */
  const exportPlatform = async (ref: ResourceRef, named: string, signal?: AbortSignal): Promise<{ os: string; arch: string }> => {
    const platforms = await platformsOf(ref, signal);
    const subject = `${ref.scope.repository}:${tagOf(ref)}`;
    if (!platforms.length) throw new UnsupportedError(`DTR names no platform for ${subject}; there is no scan summary to export`);
    let chosen = named;
    if (!chosen) {
      if (platforms.length > 1) throw new UnsupportedError(`${subject} has several platforms; choose one of ${platforms.join(', ')}`);
      chosen = platforms[0]!;
    }
    if (!platforms.includes(chosen)) throw new UnsupportedError(`${subject} has no platform ${chosen}; choose one of ${platforms.join(', ')}`);
    const [os, arch] = chosen.split('/');
    return { os: os!, arch: arch! };
  };

  const tagOps: CoreNodeOps = {
    actions: [
      {
        id: 'promote',
        title: 'Promote…',
        icon: 'arrow-up',
        when: () => promotion(),
        input: { schema: promoteForm as z.ZodType<Record<string, unknown>>, title: 'Promote tag', submitLabel: 'Promote' },
        confirm: (ref, input) => ({ message: `Promote ${ref.scope.repository}:${ref.scope.tag ?? ref.key} to ${String(input?.targetRepository)}:${String(input?.targetTag)}?`, button: 'Promote' }),
        run: async (ref, input, signal) => {
          const v = parse(promoteForm, input);
          await api.promote(repoOf(ref.scope), tagOf(ref), v.targetRepository, v.targetTag, signal);
          return done(`Promoted ${ref.scope.repository}:${tagOf(ref)} to ${v.targetRepository}:${v.targetTag}`, 'none');
        },
      },
      {
        id: 'pushMirror',
        title: 'Push to Remote Registry…',
        icon: 'cloud-upload',
        when: () => mirroring(),
        input: { schema: pushMirrorForm as z.ZodType<Record<string, unknown>>, title: 'Push mirror', submitLabel: 'Push', description: 'The credentials go to DTR with this request only; they are not stored' },
        confirm: (ref, input) => ({ message: `Push ${ref.scope.repository}:${ref.scope.tag ?? ref.key} to ${String(input?.remoteHost)}/${String(input?.remoteRepository)}:${String(input?.remoteTag)}?`, button: 'Push' }),
        run: async (ref, input, signal) => {
          const v = parse(pushMirrorForm, input);
          await api.pushMirror(repoOf(ref.scope), tagOf(ref), { ...remote(v), remoteTag: v.remoteTag }, signal);
          return done(`Pushed ${ref.scope.repository}:${tagOf(ref)} to ${hostOf(v.remoteHost)}/${v.remoteRepository}:${v.remoteTag}`, 'none');
        },
      },
      {
        id: 'scan',
        title: 'Scan Now',
        icon: 'shield',
        when: (ref) => scanning() && atLeast(ref.scope.repository, 'read-write'),
        run: async (ref, _input, signal) => {
          const platforms = await platformsOf(ref, signal);
          if (!platforms.length) throw new UnsupportedError(`DTR names no platform for ${ref.scope.repository}:${tagOf(ref)}; it cannot be scanned`);
          for (const pl of platforms) {
            const [os, arch] = pl.split('/');
            await api.scan(repoOf(ref.scope), tagOf(ref), os!, arch!, signal);
          }
          return done(`Scan started for ${ref.scope.repository}:${tagOf(ref)} (${platforms.join(', ')})`, 'item');
        },
      },
      {
        id: 'scanSummary',
        title: 'Show Scan Summary',
        icon: 'report',
        when: () => scanning(),
        run: async (ref) => Promise.resolve({ kind: 'panel', panel: 'scan', repository: repoOf(ref.scope), reference: tagOf(ref) } satisfies Outcome),
      },
      {
        id: 'exportScanSummary',
        title: 'Export Scan Summary…',
        icon: 'desktop-download',
        when: () => scanning(),
        input: {
          schema: exportScanForm as z.ZodType<Record<string, unknown>>,
          title: 'Export scan summary',
          submitLabel: 'Export',
          verify: async (target, values, signal) => {
            try {
              const pl = await exportPlatform(target as ResourceRef, parse(exportScanForm, values).platform, signal);
              return { ok: true, summary: `Platform ${pl.os}/${pl.arch}` };
            } catch (e) {
              if (e instanceof UnsupportedError) return { ok: false, summary: e.message };
              throw e;
            }
          },
        },
        run: async (ref, input, signal) => {
          const v = parse(exportScanForm, input);
          const pl = await exportPlatform(ref, v.platform, signal);
          const repository = repoOf(ref.scope);
          const content = await api.exportScanSummary(repository, tagOf(ref), pl, v.format, signal);
          const fileName = `${[...splitRepository(repository), tagOf(ref), pl.os, pl.arch].join('-')}-scan.${v.format}`;
          return {
            kind: 'file',
            message: `Exported the scan summary of ${repository}:${tagOf(ref)} (${pl.os}/${pl.arch}) as ${v.format.toUpperCase()}`,
            fileName,
            mediaType: v.format === 'csv' ? 'text/csv' : 'application/json',
            content,
            refresh: 'none',
          } satisfies Outcome;
        },
      },
      {
        id: 'deleteManifest',
        title: 'Delete Manifest…',
        icon: 'trash',
        when: (ref) => atLeast(ref.scope.repository, 'read-write'),
        input: {
          schema: emptyForm as z.ZodType<Record<string, unknown>>,
          title: 'Delete manifest',
          description: 'Deleting the manifest removes every tag that points at it.',
          submitLabel: 'Delete Manifest',
          verify: async (target, _values, signal) => {
            const ref = target as ResourceRef;
            const plan = await p.planDeleteManifest(repoOf(ref.scope), tagOf(ref), signal);
            // Pinned: the run deletes this digest and these tags, or nothing.
            confirmedPlans.set(refKey(ref), plan);
            return {
              ok: true,
              summary: `Deleting ${plan.digest} removes ${plan.affectedTags.length} tag${plan.affectedTags.length === 1 ? '' : 's'}`,
              items: plan.affectedTags,
              confirm: { message: `Delete manifest ${plan.digest} of ${plan.repository} and its tags ${plan.affectedTags.join(', ')}?`, button: 'Delete Manifest' },
            };
          },
        },
        run: async (ref, _input, signal) => {
          const key = refKey(ref);
          const plan = confirmedPlans.get(key);
          if (!plan) throw new UnsupportedError(`Nothing was deleted: the deletion of the manifest of ${ref.scope.repository ?? ''}:${tagOf(ref)} was not confirmed`);
          confirmedPlans.delete(key);
          // Re-checked right before deleting: a moved tag or another set of tags stops it, naming what changed.
          await p.deleteTag(plan, signal);
          return done(`Deleted manifest ${plan.digest} (tags ${plan.affectedTags.join(', ')})`, 'owner');
        },
      },
    ],
  };

  return {
    groups: [
      { id: 'policies', title: 'Policies', icon: 'law' },
      { id: 'access', title: 'Access', icon: 'shield' },
      { id: 'account', title: 'Account', icon: 'account' },
      { id: 'administration', title: 'Administration', icon: 'server' },
    ],
    types: [pruning, promotionPolicies, pollMirroring, pushMirroring, myAccessType, repoTeamAccess, namespaceTeamAccess, webhookType('repository'), webhookType('namespace'), events, apiTokens, jobsType, cronsType, scannerType, overrides],
    nodes: { namespace: namespaceOps, repository: repositoryOps, tag: tagOps },
  };
}

/** On update, credentials left as "keep" are not sent (the update forms have no required fields). */
function stripEmptyCredentials(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body };
  if (out.password === '') delete out.password;
  if (out.authToken === '') delete out.authToken;
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

