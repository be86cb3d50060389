import * as z from 'zod';
import type { ActionDecl, AdminModel, Outcome, ResourceRef, ResourceType, Scope, Verdict } from '../admin';
import { parentRef } from '../admin';
import { UnsupportedError } from '../errors';
import type { Page, RegistryProvider } from '../provider';
import { repositoryNodeOps } from '../repositoryOps';
import type { HubApi } from './api';
import type { AuditEvent, GroupMember, OrgAccessToken, OrgGroup, OrgMember, PersonalAccessToken } from './model';
import { splitRepository } from './names';

/**
 * What a Docker Hub connection administers, for the generic UI: under the registry an Account group (personal
 * access tokens; organizations with their members, groups, group members, access tokens and audit log), under each
 * repository a Policies group (immutable tags), and create / edit / delete of repositories.
 */
export interface HubAdminDeps {
  api: HubApi;
  organizations(signal?: AbortSignal): Promise<string[]>;
  signedIn(): Promise<boolean>;
  repositories: Pick<RegistryProvider, 'createRepository' | 'getRepositorySettings' | 'updateRepository' | 'deleteRepository'>;
}

type Values = Record<string, unknown>;

function when(s: string | undefined): string | undefined {
  return s ? s.slice(0, 10) : undefined;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** The organization a list sits in (`scope.parent` is the organization, or a group inside it). */
function orgOf(scope: Scope): string {
  const p = scope.parent;
  const org = p?.type === 'org' ? p.key : p?.type === 'group' ? parentRef(p.scope)?.key : undefined;
  if (!org) throw new UnsupportedError('This list belongs to no organization');
  return org;
}

function groupOf(scope: Scope): string {
  const p = scope.parent;
  if (p?.type !== 'group') throw new UnsupportedError('This list belongs to no group');
  return p.key;
}

function repoOf(scope: Scope): [string, string] {
  if (!scope.repository) throw new UnsupportedError('This policy belongs to no repository');
  return splitRepository(scope.repository);
}

const expiryDays = { '30': '30 days', '90': '90 days', '365': '1 year', '0': 'No expiry' } as const;
const expiry = z
  .enum(['30', '90', '365', '0'])
  .default('30')
  .meta({ title: 'Expiration', labels: expiryDays });

function expiresAt(days: string): string | undefined {
  const n = Number(days);
  return n > 0 ? new Date(Date.now() + n * 86_400_000).toISOString() : undefined;
}

const label = z.string().trim().min(1, 'Enter a description').max(100, 'At most 100 characters').meta({ title: 'Description', description: 'What the token is for (shown in lists).' });

export const patForm = z.object({
  label,
  scope: z
    .enum(['repo:read', 'repo:write', 'repo:admin', 'repo:public_read'])
    .default('repo:read')
    .meta({
      title: 'Access permissions',
      labels: { 'repo:read': 'Read-only', 'repo:write': 'Read & write', 'repo:admin': 'Read, write & delete', 'repo:public_read': 'Public repositories, read-only' },
    }),
  expires: expiry,
});

export const orgTokenForm = z.object({
  label,
  scopes: z
    .array(z.enum(['scope-image-pull', 'scope-image-push']))
    .min(1, 'Pick at least one scope')
    .meta({ title: 'Scopes on the repositories of the organization', labels: { 'scope-image-pull': 'Pull images', 'scope-image-push': 'Push images' } }),
  expires: expiry,
});

export const groupMemberForm = z.object({
  username: z.string().trim().min(1, 'Enter a Docker ID').meta({ title: 'Docker ID', description: 'An organization member to add to the group.' }),
});

/** A rule is a regular expression matched against tag names. */
const rule = z
  .string()
  .min(1)
  .max(255, 'At most 255 characters')
  .refine((s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  }, 'Not a valid regular expression');

export const immutableTagsForm = z
  .object({
    enabled: z.boolean().default(false).meta({ title: 'Immutable tags', description: 'Tags matching a rule cannot be overwritten or deleted.' }),
    rules: z
      .array(rule)
      .max(20, 'At most 20 rules')
      .optional()
      .meta({ title: 'Rules', description: 'One regular expression per line (e.g. ^v[0-9]+\\. or ^latest$). Saving first shows which existing tags the rules match.', multiline: true }),
  })
  .refine((v) => !v.enabled || (v.rules?.length ?? 0) > 0, { path: ['rules'], message: 'Add at least one rule, or turn immutable tags off.' });

export const verifyRuleForm = z.object({
  rule: rule.meta({ title: 'Rule', description: 'Regular expression matched against tag names', placeholder: '^v[0-9]+$' }),
});

function listText(tags: string[], max = 20): string {
  if (tags.length === 0) return 'no existing tag';
  const shown = tags.slice(0, max).join(', ');
  return tags.length > max ? `${shown} and ${tags.length - max} more` : shown;
}

interface ImmutableTags {
  repository: string;
  enabled: boolean;
  rules: string[];
}

/** Activate / Deactivate actions of a token kind; `set` switches the token the reference names. */
function activeToggle(what: string, set: (ref: ResourceRef, active: boolean, signal?: AbortSignal) => Promise<unknown>): ActionDecl<{ isActive: boolean }>[] {
  const toggle = (active: boolean): ActionDecl<{ isActive: boolean }> => ({
    id: active ? 'activate' : 'deactivate',
    title: active ? 'Activate' : 'Deactivate',
    icon: active ? 'pass' : 'circle-slash',
    when: (t) => t.isActive !== active,
    async run(ref, _input, signal) {
      await set(ref, active, signal);
      return { kind: 'done', message: `${active ? 'Activated' : 'Deactivated'} the ${what}.`, refresh: 'list' };
    },
  });
  return [toggle(true), toggle(false)];
}

function pageOf<T>(items: T[]): Page<T> {
  return { items };
}

export function hubAdmin(deps: HubAdminDeps): AdminModel {
  const { api } = deps;
  const signedIn = () => deps.signedIn().catch(() => false);

  async function matchingTags(ns: string, name: string, rules: string[], signal?: AbortSignal): Promise<string[]> {
    const all = new Set<string>();
    for (const r of rules) for (const t of await api.verifyImmutableTags(ns, name, r, signal)) all.add(t);
    return [...all].sort();
  }

  const pat: ResourceType<PersonalAccessToken> = {
    type: 'pat',
    title: 'Personal access tokens',
    itemTitle: 'personal access token',
    icon: 'key',
    placement: { under: 'registry', group: 'account' },
    shape: 'list',
    available: signedIn,
    key: (t) => t.uuid,
    view: (t) => ({
      label: t.label || t.uuid,
      description: [t.scopes.join(', '), t.isActive ? 'active' : 'inactive', t.expiresAt ? `expires ${when(t.expiresAt)}` : 'no expiry'].join(' · '),
      tooltip: [`Created ${t.createdAt ?? '?'}`, `Last used ${t.lastUsed ?? 'never'}`, t.generatedBy ? `Generated by ${t.generatedBy}` : ''].filter(Boolean).join('\n'),
      icon: t.isActive ? 'key' : 'circle-slash',
    }),
    list: (_scope, cursor, opts) => api.listPersonalAccessTokens(cursor, opts),
    create: {
      title: 'Create Personal Access Token',
      form: { schema: patForm as z.ZodType<Values>, title: 'New personal access token', description: 'The token is shown once, right after it is created.', submitLabel: 'Create' },
      async run(_scope, values, signal): Promise<Outcome> {
        const v = patForm.parse(values);
        const created = await api.createPersonalAccessToken({ label: v.label, scopes: [v.scope], expiresAt: expiresAt(v.expires) }, signal);
        return { kind: 'secret', message: `Created personal access token “${v.label}”. Copy it now: Docker Hub does not show it again.`, label: 'access token', secret: created.secret, refresh: 'list' };
      },
    },
    remove: {
      title: 'Revoke Token',
      confirm: (t) => ({ message: `Revoke personal access token “${t.label || t.uuid}”?`, detail: 'Anything still using it loses access at once. This cannot be undone.', button: 'Revoke Token' }),
      async run(ref, signal) {
        await api.deletePersonalAccessToken(ref.key, signal);
        return { kind: 'done', message: 'Revoked personal access token.', refresh: 'list' };
      },
    },
    actions: activeToggle('personal access token', (ref, active, signal) => api.setPersonalAccessTokenActive(ref.key, active, signal)),
  };

  const org: ResourceType<string> = {
    type: 'org',
    title: 'Organizations',
    itemTitle: 'organization',
    icon: 'organization',
    placement: { under: 'registry', group: 'account' },
    shape: 'list',
    available: signedIn,
    key: (o) => o,
    view: (o) => ({ label: o, description: 'organization', icon: 'organization' }),
    list: async (_scope, _cursor, opts) => pageOf(await deps.organizations(opts?.signal)),
  };

  const member: ResourceType<OrgMember> = {
    type: 'member',
    title: 'Members',
    itemTitle: 'member',
    icon: 'person',
    placement: { under: { type: 'org' } },
    shape: 'list',
    key: (m) => m.username,
    view: (m) => ({ label: m.username, description: [m.fullName, m.role, m.groups.length ? m.groups.join(', ') : undefined].filter(Boolean).join(' · '), icon: 'person' }),
    list: (scope, cursor, opts) => api.listOrgMembers(orgOf(scope), cursor, opts),
  };

  const group: ResourceType<OrgGroup> = {
    type: 'group',
    title: 'Groups',
    itemTitle: 'group',
    icon: 'organization',
    placement: { under: { type: 'org' } },
    shape: 'list',
    key: (g) => g.name,
    view: (g) => ({ label: g.name, description: [g.memberCount !== undefined ? plural(g.memberCount, 'member') : undefined, g.description].filter(Boolean).join(' · '), icon: 'organization' }),
    list: (scope, cursor, opts) => api.listGroups(orgOf(scope), cursor, opts),
  };

  const groupMember: ResourceType<GroupMember> = {
    type: 'groupMember',
    title: 'Members',
    itemTitle: 'group member',
    icon: 'person',
    placement: { under: { type: 'group' } },
    shape: 'list',
    key: (m) => m.username,
    view: (m) => ({ label: m.username, description: m.fullName, icon: 'person' }),
    list: (scope, cursor, opts) => api.listGroupMembers(orgOf(scope), groupOf(scope), cursor, opts),
    create: {
      title: 'Add Group Member',
      form: { schema: groupMemberForm as z.ZodType<Values>, submitLabel: 'Add' },
      async run(scope, values, signal) {
        const { username } = groupMemberForm.parse(values);
        const o = orgOf(scope);
        const g = groupOf(scope);
        await api.addGroupMember(o, g, username, signal);
        return { kind: 'done', message: `Added ${username} to group ${g} of ${o}.`, refresh: 'list' };
      },
    },
    remove: {
      title: 'Remove Member',
      confirm: (m, ref) => ({ message: `Remove ${m.username} from group ${groupOf(ref.scope)} of ${orgOf(ref.scope)}?`, button: 'Remove Member' }),
      async run(ref, signal) {
        const o = orgOf(ref.scope);
        const g = groupOf(ref.scope);
        await api.removeGroupMember(o, g, ref.key, signal);
        return { kind: 'done', message: `Removed ${ref.key} from group ${g} of ${o}.`, refresh: 'list' };
      },
    },
  };

  const orgToken: ResourceType<OrgAccessToken> = {
    type: 'orgToken',
    title: 'Access tokens',
    itemTitle: 'organization access token',
    icon: 'key',
    placement: { under: { type: 'org' } },
    shape: 'list',
    key: (t) => t.id,
    view: (t) => ({
      label: t.label || t.id,
      description: [t.resources?.map((r) => `${r.path} (${r.scopes.join(', ')})`).join('; '), t.isActive ? 'active' : 'inactive', t.expiresAt ? `expires ${when(t.expiresAt)}` : 'no expiry'].filter(Boolean).join(' · '),
      tooltip: [`Created ${t.createdAt ?? '?'}${t.createdBy ? ` by ${t.createdBy}` : ''}`, `Last used ${t.lastUsedAt ?? 'never'}`].join('\n'),
      icon: t.isActive ? 'key' : 'circle-slash',
    }),
    list: (scope, cursor, opts) => api.listOrgAccessTokens(orgOf(scope), cursor, opts),
    create: {
      title: 'Create Organization Access Token',
      form: { schema: orgTokenForm as z.ZodType<Values>, title: 'New organization access token', description: 'The token is shown once, right after it is created.', submitLabel: 'Create' },
      async run(scope, values, signal) {
        const v = orgTokenForm.parse(values);
        const o = orgOf(scope);
        const created = await api.createOrgAccessToken(o, { label: v.label, resources: [{ type: 'TYPE_REPO', path: `${o}/*`, scopes: v.scopes }], expiresAt: expiresAt(v.expires) }, signal);
        return { kind: 'secret', message: `Created access token “${v.label}” of ${o}. Copy it now: Docker Hub does not show it again.`, label: 'access token', secret: created.secret, refresh: 'list' };
      },
    },
    remove: {
      title: 'Revoke Token',
      confirm: (t, ref) => ({ message: `Revoke access token “${t.label || t.id}” of ${orgOf(ref.scope)}?`, detail: 'Anything still using it loses access at once. This cannot be undone.', button: 'Revoke Token' }),
      async run(ref, signal) {
        const o = orgOf(ref.scope);
        await api.revokeOrgAccessToken(o, ref.key, signal);
        return { kind: 'done', message: `Revoked the access token of ${o}.`, refresh: 'list' };
      },
    },
    actions: activeToggle('access token', (ref, active, signal) => api.setOrgAccessTokenActive(orgOf(ref.scope), ref.key, active, signal)),
  };

  const audit: ResourceType<AuditEvent> = {
    type: 'auditEvent',
    title: 'Audit log',
    itemTitle: 'audit event',
    icon: 'history',
    placement: { under: { type: 'org' } },
    shape: 'list',
    key: (e) => `${e.timestamp}:${e.action}:${e.name ?? ''}:${e.actor ?? ''}`,
    view: (e) => ({
      label: e.description ?? e.action,
      description: [e.actor, e.name, e.timestamp.replace('T', ' ').slice(0, 19)].filter(Boolean).join(' · '),
      tooltip: [e.action, ...Object.entries(e.data).map(([k, v]) => `${k}: ${v}`)].join('\n'),
      icon: 'history',
    }),
    list: (scope, cursor, opts) => api.listAuditLog(orgOf(scope), cursor, opts),
  };

  const immutableTags: ResourceType<ImmutableTags> = {
    type: 'immutableTags',
    title: 'Immutable tags',
    itemTitle: 'immutable-tag rules',
    icon: 'lock',
    placement: { under: 'repository', group: 'policies' },
    shape: 'singleton',
    key: () => '',
    view: (s) => ({
      label: 'Immutable tags',
      description: s.enabled ? `on · ${plural(s.rules.length, 'rule')}${s.rules.length ? `: ${s.rules.join(', ')}` : ''}` : 'off',
      tooltip: s.rules.length ? `Rules (regular expressions):\n${s.rules.join('\n')}` : 'No rules',
      icon: s.enabled ? 'lock' : 'unlock',
    }),
    async get(ref, signal) {
      const [ns, name] = repoOf(ref.scope);
      const s = await api.getImmutableTags(ns, name, signal);
      return { repository: `${ns}/${name}`, ...s };
    },
    update: {
      title: 'Edit Immutable-Tag Rules',
      form: {
        schema: immutableTagsForm as unknown as z.ZodType<Values>,
        description: 'Saving verifies the rules first and shows which existing tags they match.',
        submitLabel: 'Verify and Save',
        async verify(target, values, signal): Promise<Verdict> {
          const scope = 'key' in target ? (target as ResourceRef).scope : target;
          const [ns, name] = repoOf(scope);
          const v = immutableTagsForm.parse(values);
          const rules = v.rules ?? [];
          const matched = rules.length ? await matchingTags(ns, name, rules, signal) : [];
          const summary = `The rules match ${plural(matched.length, 'existing tag')}: ${listText(matched)}.`;
          return {
            ok: true,
            summary,
            items: matched,
            confirm: {
              message: v.enabled ? `Make matching tags of ${ns}/${name} immutable?` : `Turn immutable tags off for ${ns}/${name}?`,
              detail: `${summary}${v.enabled ? ' They can no longer be overwritten or deleted.' : ''}`,
              button: 'Save Rules',
            },
          };
        },
      },
      async values(ref, signal) {
        const [ns, name] = repoOf(ref.scope);
        const s = await api.getImmutableTags(ns, name, signal);
        return { enabled: s.enabled, rules: s.rules };
      },
      async run(ref, values, signal) {
        const [ns, name] = repoOf(ref.scope);
        const v = immutableTagsForm.parse(values);
        await api.setImmutableTags(ns, name, { enabled: v.enabled, rules: v.rules ?? [] }, signal);
        return { kind: 'done', message: 'Saved.', refresh: 'item' };
      },
    },
    actions: [
      {
        id: 'verifyRule',
        title: 'Verify Rule',
        icon: 'check-all',
        input: { schema: verifyRuleForm as z.ZodType<Values>, title: 'Verify an immutable-tag rule' },
        async run(ref, input, signal) {
          const [ns, name] = repoOf(ref.scope);
          const { rule: regex } = verifyRuleForm.parse(input ?? {});
          const tags = await api.verifyImmutableTags(ns, name, regex, signal);
          return { kind: 'list', title: `“${regex}” matches ${plural(tags.length, 'tag')} of ${ns}/${name}`, items: tags, message: tags.length ? undefined : 'No existing tag matches' };
        },
      },
    ],
  };

  return {
    groups: [
      { id: 'account', title: 'Account', icon: 'account' },
      { id: 'policies', title: 'Policies', icon: 'shield' },
    ],
    types: [pat, org, member, group, groupMember, orgToken, audit, immutableTags],
    nodes: repositoryNodeOps(deps.repositories),
  };
}
