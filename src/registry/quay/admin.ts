import * as z from 'zod';
import type { ActionDecl, AdminModel, Confirmation, Outcome, Refresh, ResourceRef, ResourceType, Scope, Verdict } from '../admin';
import { basicAuthorization } from '../auth/basic';
import { BadResponseError, RegistryError, toRegistryError, UnauthorizedError, UnsupportedError } from '../errors';
import { BODY_LIMITS, serverMessage } from '../http';
import type { Page } from '../provider';
import { PagingGuard } from '../paging';
import { filterByPattern, PatternError } from '../patterns';
import { registerSecret } from '../redact';
import type { Credentials, ProviderContext } from '../context';
import type { ProxyCacheConfig, QuayApi, RepoPermission, Role, TeamRole } from './api';
import { isActive, logDate, OAUTH_TOKEN_USER } from './api';
import { parseQuayTime, splitRepository, type QuayClient } from './client';
import * as s from './schemas';
import {
  createRepositoryForm,
  editRepositoryForm,
  tagForm,
  expirationForm,
  labelForm,
  mirrorForm,
  notificationForm,
  autoPruneForm,
  immutabilityForm,
  permissionForm,
  roleForm,
  teamForm,
  teamEditForm,
  memberForm,
  robotForm,
  appTokenForm,
  orgSettingsForm,
  logRangeForm,
  registryLoginForm,
  proxyCacheForm,
} from './forms';

/**
 * What a Quay connection administers, declared for the generic UI: repositories (create, edit, state, delete), tags
 * (add/move, expiration, history with restore, labels), policies (mirroring, notifications, auto-prune, immutability,
 * default tag expiration), access (permissions, teams, robots) and account items (application tokens, quota, usage
 * logs, the optional `/v2` credential). Types the server lacks (by its discovery document) are not available.
 */

// ---- small helpers ----

function done(message: string, refresh: Refresh = 'list'): Outcome {
  return { kind: 'done', message, refresh };
}

function repositoryOf(scope: Scope | undefined, key?: string): string {
  const r = scope?.repository ?? key;
  if (!r) throw new BadResponseError('No repository in this place of the tree');
  splitRepository(r);
  return r;
}

function namespaceOf(scope: Scope): string {
  const n = scope.namespace ?? (scope.repository ? splitRepository(scope.repository)[0] : undefined);
  if (!n) throw new BadResponseError('No namespace in this place of the tree');
  return n;
}

function tagOf(ref: ResourceRef): string {
  const t = ref.scope.tag ?? ref.key;
  if (!t) throw new BadResponseError('No tag in this place of the tree');
  return t;
}

function all<T>(items: T[]): Page<T> {
  return { items };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** `30d`, `2w`, `12h`, `0` → seconds. */
export function durationSeconds(value: string): number {
  const m = /^\s*(\d+)\s*([smhdwy]?)\s*$/i.exec(value);
  if (!m) throw new BadResponseError(`"${value}" is not a duration such as 2w, 14d or 12h`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[m[2].toLowerCase()]!;
  return Number(m[1]) * unit;
}

export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  for (const [u, n] of [['w', 604800], ['d', 86400], ['h', 3600], ['m', 60]] as const) if (seconds % n === 0) return `${seconds / n}${u}`;
  return `${seconds}s`;
}

function when(v: string | number | null | undefined): string | undefined {
  return parseQuayTime(v)?.replace('T', ' ').slice(0, 16);
}

// ---- items ----

interface HistoryItem extends s.QuayTag {
  repository: string;
}
interface MirrorItem {
  repository: string;
  config?: s.QuayMirror;
}
interface OrgSettingsItem {
  org: string;
  tagExpirationSeconds?: number;
}
interface ProxyCacheItem {
  org: string;
  config?: s.QuayProxyCache;
}
interface LoginItem {
  username: string;
  own: boolean;
}

/** Builds the admin model of one Quay connection. */
/** What the admin model needs of its provider (an interface, so the two modules do not import each other). */
export interface QuayAdminHost {
  readonly ctx: ProviderContext;
  readonly api: QuayApi;
  readonly client: QuayClient;
  namespaceKind(namespace: string, signal?: AbortSignal): Promise<'user' | 'org' | 'unknown'>;
  registryLogin(): Promise<Credentials | undefined>;
  resetAuth(): void;
}

export function quayAdminModel(p: QuayAdminHost): AdminModel {
  const api = p.api;
  const has = p.client.has.bind(p.client);
  const signedIn = () => p.client.signedIn().catch(() => false);
  const isOrg = async (scope: Scope, signal?: AbortSignal) => (await p.namespaceKind(namespaceOf(scope), signal).catch(() => 'unknown')) === 'org';

  // ---- Tag history ----
  const tagHistory: ResourceType<HistoryItem> = {
    type: 'tagHistory',
    title: 'Tag history',
    itemTitle: 'inactive tag',
    icon: 'history',
    placement: { under: 'repository' },
    shape: 'list',
    key: (t) => `${t.name}@${t.manifest_digest}@${t.end_ts ?? ''}`,
    view: (t) => ({
      label: t.name,
      description: [t.manifest_digest.slice(0, 19), t.end_ts ? `ended ${when(t.end_ts)}` : undefined, t.reversion ? 'reverted' : undefined].filter(Boolean).join(' · '),
      tooltip: [`${t.name} → ${t.manifest_digest}`, t.start_ts ? `From ${when(t.start_ts)}` : '', t.end_ts ? `Until ${when(t.end_ts)}` : ''].filter(Boolean).join('\n'),
      icon: 'history',
    }),
    async list(scope, cursor, opts) {
      const repository = repositoryOf(scope);
      const page = await api.listTags(repository, cursor, { ...opts, onlyActive: false });
      const items = page.items.filter((t) => !isActive(t)).map((t) => ({ ...t, repository }));
      return { items, ...(page.next ? { next: page.next } : {}), ...(page.error ? { error: page.error } : {}) };
    },
    actions: [
      {
        id: 'restore',
        title: 'Restore Tag',
        icon: 'discard',
        confirm: (t) => ({ message: `Restore tag ${t.name} of ${t.repository} to ${t.manifest_digest}?`, detail: 'If the tag exists now, it moves to this digest.', button: 'Restore Tag' }),
        async run(ref, _input, signal) {
          const [name, digest] = ref.key.split('@');
          const repository = repositoryOf(ref.scope);
          await api.restoreTag(repository, name, digest, signal);
          return done(`Restored ${repository}:${name} to ${digest.slice(0, 19)}`, 'owner');
        },
      },
    ],
  };

  // ---- Manifest labels ----
  const digestOf = async (scope: Scope, signal?: AbortSignal): Promise<string> => {
    if (scope.digest) return scope.digest;
    if (!scope.tag) throw new BadResponseError('No tag in this place of the tree');
    return (await api.tag(repositoryOf(scope), scope.tag, signal)).manifest_digest;
  };
  const labels: ResourceType<s.QuayLabel> = {
    type: 'manifestLabel',
    title: 'Labels',
    itemTitle: 'label',
    icon: 'tag',
    placement: { under: 'tag' },
    shape: 'list',
    available: (_scope, signal) => has('labels', signal),
    key: (l) => l.id,
    view: (l) => ({ label: `${l.key}=${l.value}`, description: l.source_type ?? undefined, icon: 'symbol-key' }),
    async list(scope, _cursor, opts) {
      return all(await api.labels(repositoryOf(scope), await digestOf(scope, opts?.signal), opts?.signal));
    },
    create: {
      title: 'Add Label',
      form: { schema: labelForm },
      async run(scope, values, signal) {
        const v = labelForm.parse(values);
        await api.addLabel(repositoryOf(scope), await digestOf(scope, signal), v.key, v.value, signal);
        return done(`Added label ${v.key}`);
      },
    },
    remove: {
      title: 'Delete Label',
      confirm: (l, ref) => ({ message: `Delete label ${l.key}=${l.value} from ${ref.scope.repository ?? ''}:${ref.scope.tag ?? ''}?`, button: 'Delete Label' }),
      async run(ref, signal) {
        await api.deleteLabel(repositoryOf(ref.scope), await digestOf(ref.scope, signal), ref.key, signal);
        return done('Deleted the label');
      },
    },
  };

  // ---- Mirroring ----
  const mirrorBody = (v: z.infer<typeof mirrorForm>): Record<string, unknown> => ({
    is_enabled: v.isEnabled,
    external_reference: v.externalReference,
    external_registry_username: v.username ?? null,
    ...(v.password ? { external_registry_password: v.password } : {}),
    sync_interval: v.syncIntervalSeconds,
    sync_start_date: new Date(Date.parse(v.syncStartDate)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    root_rule: { rule_kind: 'tag_glob_csv', rule_value: v.tags },
    robot_username: v.robot,
    external_registry_config: { verify_tls: v.verifyTls, unsigned_images: v.unsignedImages, proxy: { http_proxy: null, https_proxy: null, no_proxy: null } },
    architecture_filter: v.architectures,
  });
  const mirror: ResourceType<MirrorItem> = {
    type: 'mirror',
    title: 'Mirroring',
    itemTitle: 'mirror configuration',
    icon: 'mirror',
    placement: { under: 'repository', group: 'policies' },
    shape: 'singleton',
    available: (_scope, signal) => has('mirror', signal),
    key: () => '',
    view: (m) =>
      m.config
        ? {
            label: 'Mirroring',
            description: [m.config.is_enabled ? 'enabled' : 'disabled', m.config.sync_status, m.config.external_reference].join(' · '),
            tooltip: [
              `From ${m.config.external_reference}`,
              `Tags: ${m.config.root_rule?.rule_value.join(', ') ?? '—'}`,
              `Every ${formatDuration(m.config.sync_interval)}, next ${when(m.config.sync_start_date) ?? '—'}`,
              `Status ${m.config.sync_status}${m.config.sync_retries_remaining != null ? `, ${m.config.sync_retries_remaining} retries left` : ''}`,
              `Robot ${m.config.robot_username ?? '—'}`,
            ].join('\n'),
            icon: m.config.sync_status === 'FAIL' ? 'error' : m.config.sync_status === 'SYNCING' || m.config.sync_status === 'SYNC_NOW' ? 'sync' : 'mirror',
          }
        : { label: 'Mirroring', description: 'not configured', icon: 'mirror' },
    async get(ref, signal) {
      const repository = repositoryOf(ref.scope);
      return { repository, config: await api.mirror(repository, signal) };
    },
    update: {
      title: 'Edit Mirroring',
      form: { schema: mirrorForm, description: 'The repository must be in the MIRROR state for Quay to sync it.' },
      async values(ref, signal) {
        const c = await api.mirror(repositoryOf(ref.scope), signal);
        if (!c) return { isEnabled: true, tags: ['latest'], syncIntervalSeconds: 86400, syncStartDate: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), verifyTls: true, unsignedImages: false, architectures: [] };
        return {
          isEnabled: c.is_enabled,
          externalReference: c.external_reference,
          tags: c.root_rule?.rule_value ?? [],
          robot: c.robot_username ?? '',
          syncIntervalSeconds: c.sync_interval,
          syncStartDate: parseQuayTime(c.sync_start_date) ?? '',
          username: c.external_registry_username ?? undefined,
          verifyTls: c.external_registry_config?.verify_tls ?? true,
          unsignedImages: c.external_registry_config?.unsigned_images ?? false,
          architectures: c.architecture_filter ?? [],
        };
      },
      async run(ref, values, signal) {
        const repository = repositoryOf(ref.scope);
        const v = mirrorForm.parse(values);
        const exists = (await api.mirror(repository, signal)) !== undefined;
        await api.saveMirror(repository, mirrorBody(v), exists, signal);
        return done(`Saved the mirror configuration of ${repository}`, 'item');
      },
    },
    actions: [
      {
        id: 'syncNow',
        title: 'Sync Now',
        icon: 'sync',
        when: (m) => !!m.config && m.config.sync_status !== 'SYNCING' && m.config.sync_status !== 'SYNC_NOW',
        async run(ref, _input, signal) {
          const repository = repositoryOf(ref.scope);
          await api.mirrorSync(repository, 'sync-now', signal);
          return done(`Mirroring of ${repository} will sync now`, 'item');
        },
      },
      {
        id: 'cancelSync',
        title: 'Cancel Sync',
        icon: 'debug-stop',
        when: (m) => !!m.config && (m.config.sync_status === 'SYNCING' || m.config.sync_status === 'SYNC_NOW'),
        confirm: (m) => ({ message: `Cancel the running sync of ${m.repository}?`, button: 'Cancel Sync' }),
        async run(ref, _input, signal) {
          const repository = repositoryOf(ref.scope);
          await api.mirrorSync(repository, 'sync-cancel', signal);
          return done(`Cancelled the sync of ${repository}`, 'item');
        },
      },
    ],
  };

  // ---- Notifications ----
  const notificationConfig = (d: z.infer<typeof notificationForm>['delivery']): Record<string, unknown> => {
    switch (d.method) {
      case 'webhook':
        return d.template ? { url: d.url, template: d.template } : { url: d.url };
      case 'email':
        return { email: d.email };
      case 'slack':
        return { url: d.url };
      case 'flowdock':
        return { flow_api_token: d.flowApiToken };
      case 'hipchat':
        return { room_id: d.roomId, notification_token: d.notificationToken };
      case 'quay_notification':
        return { target: { kind: d.targetKind, name: d.target } };
    }
  };
  const notifications: ResourceType<s.QuayNotification & { repository: string }> = {
    type: 'notification',
    title: 'Notifications',
    itemTitle: 'notification',
    icon: 'bell',
    placement: { under: 'repository', group: 'policies' },
    shape: 'list',
    available: (_scope, signal) => has('notifications', signal),
    key: (n) => n.uuid,
    view: (n) => ({
      label: n.title || n.event,
      description: [`${n.event} → ${n.method}`, n.number_of_failures ? `${n.number_of_failures} failures` : undefined].filter(Boolean).join(' · '),
      tooltip: Object.entries(n.config ?? {})
        .filter(([k]) => !/token|password|secret/i.test(k))
        .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join('\n'),
      icon: n.number_of_failures ? 'bell-slash' : 'bell',
    }),
    async list(scope, _cursor, opts) {
      const repository = repositoryOf(scope);
      return all((await api.notifications(repository, opts?.signal)).map((n) => ({ ...n, repository })));
    },
    create: {
      title: 'Add Notification',
      form: { schema: notificationForm },
      async run(scope, values, signal) {
        const v = notificationForm.parse(values);
        if (v.event === 'repo_image_expiry' && !v.days) throw new BadResponseError('repo_image_expiry needs "Days before expiry"');
        await api.createNotification(
          repositoryOf(scope),
          { event: v.event, method: v.delivery.method, config: notificationConfig(v.delivery), eventConfig: v.event === 'repo_image_expiry' ? { days: v.days } : {}, ...(v.title ? { title: v.title } : {}) },
          signal,
        );
        return done(`Added the ${v.event} notification`);
      },
    },
    remove: {
      title: 'Delete Notification',
      confirm: (n) => ({ message: `Delete notification "${n.title || n.event}" (${n.event} → ${n.method}) of ${n.repository}?`, button: 'Delete Notification' }),
      async run(ref, signal) {
        await api.deleteNotification(repositoryOf(ref.scope), ref.key, signal);
        return done('Deleted the notification');
      },
    },
    actions: [
      {
        id: 'test',
        title: 'Send Test Notification',
        icon: 'debug-start',
        async run(ref, _input, signal) {
          await api.testNotification(repositoryOf(ref.scope), ref.key, signal);
          return done('Quay queued a test notification', 'none');
        },
      },
      {
        id: 'resetFailures',
        title: 'Reset Failures',
        icon: 'refresh',
        when: (n) => (n.number_of_failures ?? 0) > 0,
        async run(ref, _input, signal) {
          await api.resetNotification(repositoryOf(ref.scope), ref.key, signal);
          return done('Reset the failure count', 'item');
        },
      },
    ],
  };

  // ---- Previews of what a repository policy would do, from the repository's live tags ----
  const PREVIEW_PAGES = 10;
  const liveTags = async (repository: string, signal?: AbortSignal): Promise<{ tags: s.QuayTag[]; complete: boolean }> => {
    const tags: s.QuayTag[] = [];
    let cursor: string | undefined;
    let stopped = false;
    let pages = 0;
    do {
      const page = await api.listTags(repository, cursor, { signal });
      tags.push(...page.items);
      cursor = page.next;
      // A list that stopped short (a paging loop, a page the server would not send) is not the whole list.
      stopped ||= !!page.error;
    } while (cursor && ++pages < PREVIEW_PAGES);
    return { tags, complete: !cursor && !stopped };
  };
  /** The tags the pattern selects, evaluated off the extension host with a deadline; a pattern it refuses is a form error. */
  const tagsMatching = async (tags: s.QuayTag[], pattern: string | undefined, matches: boolean, signal?: AbortSignal): Promise<s.QuayTag[] | Verdict> => {
    try {
      return await filterByPattern(tags, (t) => t.name, pattern, matches, { signal });
    } catch (e) {
      if (e instanceof PatternError) return { ok: false, summary: `Tag pattern: ${e.message}` };
      throw e;
    }
  };
  const scopeOfTarget = (target: Scope | ResourceRef): Scope => ('key' in target && 'type' in target ? (target as ResourceRef).scope : (target as Scope));
  const pruneVerdict = async (target: Scope | ResourceRef, input: Record<string, unknown>, signal?: AbortSignal): Promise<Verdict> => {
    const values = autoPruneForm.parse(input);
    const repository = repositoryOf(scopeOfTarget(target));
    const { tags, complete } = await liveTags(repository, signal);
    const applies = await tagsMatching(tags, values.tagPattern, values.tagPatternMatches, signal);
    if (!Array.isArray(applies)) return applies;
    const candidates = applies.sort((a, b) => (b.start_ts ?? 0) - (a.start_ts ?? 0));
    const pruned =
      values.method === 'number_of_tags'
        ? candidates.slice(Number(values.value))
        : candidates.filter((t) => (t.start_ts ?? Infinity) < Date.now() / 1000 - durationSeconds(values.value.replace(/\s+/g, '')));
    const of = complete ? `${tags.length}` : `the first ${tags.length}`;
    const summary = `${pruned.length} of ${of} tags of ${repository} would be pruned at the next run`;
    return {
      ok: true,
      summary,
      items: pruned.map((t) => t.name),
      confirm: pruned.length ? { message: `Save the policy? ${summary}.`, detail: 'Pruned tags stay in the tag history until the expiration window ends.', button: 'Save Policy' } : undefined,
    };
  };
  const immutableVerdict = async (target: Scope | ResourceRef, input: Record<string, unknown>, signal?: AbortSignal): Promise<Verdict> => {
    const values = immutabilityForm.parse(input);
    const repository = repositoryOf(scopeOfTarget(target));
    const { tags, complete } = await liveTags(repository, signal);
    const applies = await tagsMatching(tags, values.tagPattern, values.tagPatternMatches, signal);
    if (!Array.isArray(applies)) return applies;
    const hit = applies.map((t) => t.name);
    return { ok: true, summary: `${hit.length} of ${complete ? '' : 'the first '}${tags.length} tags of ${repository} would become immutable`, items: hit };
  };

  // ---- Auto-prune and immutability policies (repository and organization) ----
  type Target = { org: string } | { repository: string };
  const autoPrune = (level: 'repository' | 'namespace'): ResourceType<s.QuayAutoPrunePolicy & { target: Target }> => {
    const target = (scope: Scope): Target => (level === 'repository' ? { repository: repositoryOf(scope) } : { org: namespaceOf(scope) });
    const body = (v: z.infer<typeof autoPruneForm>) => ({
      method: v.method,
      value: v.method === 'number_of_tags' ? Number(v.value) : v.value.replace(/\s+/g, ''),
      ...(v.tagPattern ? { tagPattern: v.tagPattern, tagPatternMatches: v.tagPatternMatches } : {}),
    });
    return {
      type: level === 'repository' ? 'autoPrunePolicy' : 'orgAutoPrunePolicy',
      title: 'Auto-prune policies',
      itemTitle: 'auto-prune policy',
      icon: 'trash',
      placement: { under: level, group: 'policies' },
      shape: 'list',
      available: async (scope, signal) => (level === 'repository' ? has('repoAutoPrune', signal) : (await has('orgAutoPrune', signal)) && isOrg(scope, signal)),
      key: (x) => x.uuid,
      view: (x) => ({
        label: x.method === 'number_of_tags' ? `Keep ${x.value} tags` : `Remove tags older than ${x.value}`,
        description: x.tagPattern ? `${x.tagPatternMatches === false ? 'not matching' : 'matching'} ${x.tagPattern}` : 'all tags',
        icon: 'trash',
      }),
      async list(scope, _cursor, opts) {
        const t = target(scope);
        return all((await api.autoPrunePolicies(t, opts?.signal)).map((x) => ({ ...x, target: t })));
      },
      create: {
        title: 'Add Auto-prune Policy',
        form: { schema: autoPruneForm, ...(level === 'repository' ? { verify: pruneVerdict } : {}) },
        async run(scope, values, signal) {
          await api.savePolicy(target(scope), 'autoprunepolicy', undefined, body(autoPruneForm.parse(values)), signal);
          return done('Added the auto-prune policy');
        },
      },
      update: {
        title: 'Edit Auto-prune Policy',
        form: { schema: autoPruneForm, ...(level === 'repository' ? { verify: pruneVerdict } : {}) },
        async values(ref, signal) {
          const x = (await api.autoPrunePolicies(target(ref.scope), signal)).find((y) => y.uuid === ref.key);
          if (!x) throw new BadResponseError('The policy no longer exists');
          return { method: x.method, value: String(x.value), tagPattern: x.tagPattern ?? undefined, tagPatternMatches: x.tagPatternMatches ?? true };
        },
        async run(ref, values, signal) {
          await api.savePolicy(target(ref.scope), 'autoprunepolicy', ref.key, body(autoPruneForm.parse(values)), signal);
          return done('Saved the auto-prune policy');
        },
      },
      remove: {
        title: 'Delete Auto-prune Policy',
        confirm: (x) => ({ message: `Delete the auto-prune policy "${x.method} ${x.value}" of ${'org' in x.target ? x.target.org : x.target.repository}?`, button: 'Delete Policy' }),
        async run(ref, signal) {
          await api.deletePolicy(target(ref.scope), 'autoprunepolicy', ref.key, signal);
          return done('Deleted the auto-prune policy');
        },
      },
    };
  };

  const immutability = (level: 'repository' | 'namespace'): ResourceType<s.QuayImmutabilityPolicy & { target: Target }> => {
    const target = (scope: Scope): Target => (level === 'repository' ? { repository: repositoryOf(scope) } : { org: namespaceOf(scope) });
    return {
      type: level === 'repository' ? 'immutabilityPolicy' : 'orgImmutabilityPolicy',
      title: 'Immutability policies',
      itemTitle: 'immutability policy',
      icon: 'lock',
      placement: { under: level, group: 'policies' },
      shape: 'list',
      available: async (scope, signal) => (level === 'repository' ? has('repoImmutability', signal) : (await has('orgImmutability', signal)) && isOrg(scope, signal)),
      key: (x) => x.uuid,
      view: (x) => ({ label: x.tagPattern, description: x.tagPatternMatches === false ? 'tags not matching' : 'tags matching', icon: 'lock' }),
      async list(scope, _cursor, opts) {
        const t = target(scope);
        return all((await api.immutabilityPolicies(t, opts?.signal)).map((x) => ({ ...x, target: t })));
      },
      create: {
        title: 'Add Immutability Policy',
        form: { schema: immutabilityForm, ...(level === 'repository' ? { verify: immutableVerdict } : {}) },
        async run(scope, values, signal) {
          await api.savePolicy(target(scope), 'immutabilitypolicy', undefined, immutabilityForm.parse(values), signal);
          return done('Added the immutability policy');
        },
      },
      update: {
        title: 'Edit Immutability Policy',
        form: { schema: immutabilityForm, ...(level === 'repository' ? { verify: immutableVerdict } : {}) },
        async values(ref, signal) {
          const x = (await api.immutabilityPolicies(target(ref.scope), signal)).find((y) => y.uuid === ref.key);
          if (!x) throw new BadResponseError('The policy no longer exists');
          return { tagPattern: x.tagPattern, tagPatternMatches: x.tagPatternMatches ?? true };
        },
        async run(ref, values, signal) {
          await api.savePolicy(target(ref.scope), 'immutabilitypolicy', ref.key, immutabilityForm.parse(values), signal);
          return done('Saved the immutability policy');
        },
      },
      remove: {
        title: 'Delete Immutability Policy',
        confirm: (x) => ({ message: `Delete the immutability policy ${x.tagPattern} of ${'org' in x.target ? x.target.org : x.target.repository}?`, detail: 'Matching tags become mutable again.', button: 'Delete Policy' }),
        async run(ref, signal) {
          await api.deletePolicy(target(ref.scope), 'immutabilitypolicy', ref.key, signal);
          return done('Deleted the immutability policy');
        },
      },
    };
  };

  // ---- Organization settings: default tag expiration ----
  const orgSettings: ResourceType<OrgSettingsItem> = {
    type: 'orgTagExpiration',
    title: 'Default tag expiration',
    itemTitle: 'organization setting',
    icon: 'watch',
    placement: { under: 'namespace', group: 'policies' },
    shape: 'singleton',
    available: (scope, signal) => isOrg(scope, signal),
    key: () => '',
    view: (o) => ({
      label: 'Default tag expiration',
      description: o.tagExpirationSeconds !== undefined ? formatDuration(o.tagExpirationSeconds) : 'server default',
      tooltip: 'How long deleted or expired tags of this organization stay in the tag history, restorable',
      icon: 'watch',
    }),
    async get(ref, signal) {
      const org = namespaceOf(ref.scope);
      const o = await api.organization(org, signal);
      return { org, tagExpirationSeconds: o.tag_expiration_s ?? undefined };
    },
    update: {
      title: 'Set Default Tag Expiration',
      form: { schema: orgSettingsForm },
      async values(ref, signal) {
        const o = await api.organization(namespaceOf(ref.scope), signal);
        return { tagExpiration: o.tag_expiration_s != null ? formatDuration(o.tag_expiration_s) : '' };
      },
      async run(ref, values, signal) {
        const v = orgSettingsForm.parse(values);
        const org = namespaceOf(ref.scope);
        const seconds = durationSeconds(v.tagExpiration);
        // An older Quay's UpdateOrg has no tag_expiration_s: it answers 200 and ignores the key.
        if (!(await p.client.accepts('UpdateOrg', 'tag_expiration_s', signal))) throw new UnsupportedError(`This Quay cannot change the default tag expiration of an organization (its API does not take tag_expiration_s); nothing was saved`);
        await api.setOrgTagExpiration(org, seconds, signal);
        // Read back: a server that answered the save without taking the value is reported, not trusted.
        const now = (await api.organization(org, signal)).tag_expiration_s;
        if (now !== seconds) throw new BadResponseError(`Quay answered the save but did not take the default tag expiration of ${org}: it is ${now != null ? formatDuration(now) : 'not set'}, not ${formatDuration(seconds)}`);
        return done(`Deleted tags of ${org} now stay restorable for ${v.tagExpiration}`, 'item');
      },
    },
  };

  // ---- Organization proxy cache ----
  const proxyBody = (v: z.infer<typeof proxyCacheForm>): ProxyCacheConfig => ({
    upstream_registry: v.upstreamRegistry,
    expiration_s: durationSeconds(v.expiration),
    insecure: v.insecure,
    ...(v.username ? { upstream_registry_username: v.username } : {}),
    ...(v.password ? { upstream_registry_password: v.password } : {}),
  });
  /** Quay's check of a configuration against its upstream; the reason it refuses, or undefined when it takes it. */
  const proxyProblem = async (org: string, config: ProxyCacheConfig, signal?: AbortSignal): Promise<string | undefined> => {
    if (!(await has('proxyCacheValidate', signal))) return undefined;
    try {
      await api.validateProxyCache(org, config, signal);
      return undefined;
    } catch (e) {
      const err = toRegistryError(e);
      if (err.status === 400) return `Quay could not use ${config.upstream_registry} as the upstream: ${err.message}`;
      throw e;
    }
  };
  /** Replaces the configuration (Quay has no update): validated first; the old one is put back when the create fails. */
  const replaceProxyCache = async (org: string, config: ProxyCacheConfig, signal?: AbortSignal): Promise<void> => {
    const problem = await proxyProblem(org, config, signal);
    if (problem) throw new BadResponseError(`${problem}. The proxy cache of ${org} was not changed`);
    const old = await api.proxyCache(org, signal);
    if (old) await api.deleteProxyCache(org, signal);
    try {
      await api.createProxyCache(org, config, signal);
    } catch (e) {
      if (!old?.upstream_registry) throw e;
      const err = toRegistryError(e);
      const restore: ProxyCacheConfig = { upstream_registry: old.upstream_registry, ...(old.expiration_s != null ? { expiration_s: old.expiration_s } : {}), ...(old.insecure != null ? { insecure: old.insecure } : {}) };
      // Not cancelled with the save: the organization is not left without its configuration.
      const restored = await api.createProxyCache(org, restore).then(
        () => `the previous configuration (${old.upstream_registry}) was restored; Quay does not return upstream credentials, so enter them again if it needs them`,
        (r: unknown) => `restoring the previous configuration (${old.upstream_registry}) failed too (${toRegistryError(r).message}); ${org} has no proxy cache now`,
      );
      throw new RegistryError(err.kind, `Quay refused the new proxy cache configuration of ${org}: ${err.message}. ${restored[0]!.toUpperCase()}${restored.slice(1)}`, { status: err.status, request: err.request, cause: e });
    }
  };
  const proxyCache: ResourceType<ProxyCacheItem> = {
    type: 'proxyCache',
    title: 'Proxy cache',
    itemTitle: 'proxy cache configuration',
    icon: 'cloud-download',
    placement: { under: 'namespace', group: 'policies' },
    shape: 'singleton',
    available: async (scope, signal) => (await has('proxyCache', signal)) && isOrg(scope, signal),
    key: () => '',
    view: (x) => ({
      label: 'Proxy cache',
      description: x.config ? [x.config.upstream_registry, x.config.expiration_s != null ? `expires after ${formatDuration(x.config.expiration_s)}` : undefined, x.config.insecure ? 'insecure' : undefined].filter(Boolean).join(' · ') : 'not configured',
      tooltip: x.config ? `Pulls of ${x.org}/<image> fetch ${x.config.upstream_registry}/<image> and cache it` : 'This organization is not a pull-through cache',
      icon: 'cloud-download',
    }),
    async get(ref, signal) {
      const org = namespaceOf(ref.scope);
      return { org, config: await api.proxyCache(org, signal) };
    },
    update: {
      title: 'Configure Proxy Cache',
      form: {
        schema: proxyCacheForm,
        description: 'Quay keeps one proxy cache configuration per organization; saving replaces the current one.',
        async verify(target, values, signal) {
          const org = namespaceOf(scopeOfTarget(target));
          const v = proxyCacheForm.parse(values);
          const problem = await proxyProblem(org, proxyBody(v), signal);
          if (problem) return { ok: false, summary: problem };
          const current = await api.proxyCache(org, signal);
          if (!current) return { ok: true, summary: `${org} will cache pulls from ${v.upstreamRegistry}` };
          return {
            ok: true,
            summary: `${org} caches ${current.upstream_registry ?? ''} now`,
            confirm: { message: `Replace the proxy cache of ${org} (${current.upstream_registry ?? ''}) with ${v.upstreamRegistry}?`, button: 'Replace' },
          };
        },
      },
      async values(ref, signal) {
        const c = await api.proxyCache(namespaceOf(ref.scope), signal);
        return { upstreamRegistry: c?.upstream_registry ?? '', expiration: c?.expiration_s != null ? formatDuration(c.expiration_s) : '1d', insecure: c?.insecure ?? false };
      },
      async run(ref, values, signal) {
        const org = namespaceOf(ref.scope);
        const v = proxyCacheForm.parse(values);
        await replaceProxyCache(org, proxyBody(v), signal);
        return done(`${org} now caches pulls from ${v.upstreamRegistry}`, 'item');
      },
    },
    actions: [
      {
        id: 'removeProxyCache',
        title: 'Remove Proxy Cache',
        icon: 'trash',
        when: (x) => !!x.config,
        confirm: (x) => ({ message: `Remove the proxy cache of ${x.org} (${x.config?.upstream_registry ?? ''})?`, detail: 'Cached images stay; new pulls no longer reach the upstream.', button: 'Remove' }),
        async run(ref, _input, signal) {
          const org = namespaceOf(ref.scope);
          await api.deleteProxyCache(org, signal);
          return done(`Removed the proxy cache of ${org}`, 'item');
        },
      },
    ],
  };

  // ---- Access: repository permissions ----
  const permissionKey = (x: RepoPermission) => `${x.kind}:${x.name}`;
  const parsePermissionKey = (key: string): { kind: 'user' | 'team'; name: string } => {
    const i = key.indexOf(':');
    const kind = key.slice(0, i);
    if (kind !== 'user' && kind !== 'team') throw new BadResponseError(`Invalid permission reference ${key}`);
    return { kind, name: key.slice(i + 1) };
  };
  const permissions: ResourceType<RepoPermission & { repository: string }> = {
    type: 'repositoryPermission',
    title: 'Permissions',
    itemTitle: 'permission',
    icon: 'key',
    placement: { under: 'repository', group: 'access' },
    shape: 'list',
    key: permissionKey,
    view: (x) => ({ label: x.name, description: `${x.kind === 'team' ? 'team' : x.isRobot ? 'robot' : 'user'} · ${x.role}`, icon: x.kind === 'team' ? 'organization' : x.isRobot ? 'robot' : 'person' }),
    async list(scope, _cursor, opts) {
      const repository = repositoryOf(scope);
      return all((await api.permissions(repository, opts?.signal)).map((x) => ({ ...x, repository })));
    },
    create: {
      title: 'Grant Permission',
      form: { schema: permissionForm },
      async run(scope, values, signal) {
        const v = permissionForm.parse(values);
        await api.setPermission(repositoryOf(scope), v.kind, v.name, v.role, signal);
        return done(`Granted ${v.role} to ${v.kind} ${v.name}`);
      },
    },
    update: {
      title: 'Change Role',
      form: { schema: roleForm },
      async values(ref, signal) {
        const { kind, name } = parsePermissionKey(ref.key);
        const x = (await api.permissions(repositoryOf(ref.scope), signal)).find((y) => y.kind === kind && y.name === name);
        return { role: x?.role ?? 'read' };
      },
      async run(ref, values, signal) {
        const { kind, name } = parsePermissionKey(ref.key);
        const v = roleForm.parse(values);
        await api.setPermission(repositoryOf(ref.scope), kind, name, v.role as Role, signal);
        return done(`${name} now has ${v.role}`);
      },
    },
    remove: {
      title: 'Remove Permission',
      confirm: (x) => ({ message: `Remove the ${x.role} permission of ${x.kind} ${x.name} on ${x.repository}?`, button: 'Remove Permission' }),
      async run(ref, signal) {
        const { kind, name } = parsePermissionKey(ref.key);
        await api.removePermission(repositoryOf(ref.scope), kind, name, signal);
        return done(`Removed the permission of ${name}`);
      },
    },
  };

  // ---- Access: teams and members ----
  const teams: ResourceType<s.QuayTeam & { org: string }> = {
    type: 'team',
    title: 'Teams',
    itemTitle: 'team',
    icon: 'organization',
    placement: { under: 'namespace', group: 'access' },
    shape: 'list',
    available: (scope, signal) => isOrg(scope, signal),
    key: (t) => t.name,
    view: (t) => ({
      label: t.name,
      description: [t.role, t.member_count != null ? `${t.member_count} member${t.member_count === 1 ? '' : 's'}` : undefined, t.description ?? undefined].filter(Boolean).join(' · '),
      icon: 'organization',
    }),
    async list(scope, _cursor, opts) {
      const org = namespaceOf(scope);
      return all((await api.teams(org, opts?.signal)).map((t) => ({ ...t, org })));
    },
    create: {
      title: 'Create Team',
      form: { schema: teamForm },
      async run(scope, values, signal) {
        const v = teamForm.parse(values);
        await api.putTeam(namespaceOf(scope), v.name, v.role, v.description, signal);
        return done(`Created team ${v.name}`);
      },
    },
    update: {
      title: 'Edit Team',
      form: { schema: teamEditForm },
      async values(ref, signal) {
        const t = (await api.teams(namespaceOf(ref.scope), signal)).find((x) => x.name === ref.key);
        return { role: t?.role ?? 'member', description: t?.description ?? undefined };
      },
      async run(ref, values, signal) {
        const v = teamEditForm.parse(values);
        await api.putTeam(namespaceOf(ref.scope), ref.key, v.role as TeamRole, v.description, signal);
        return done(`Saved team ${ref.key}`);
      },
    },
    remove: {
      title: 'Delete Team',
      confirm: (t) => ({ message: `Delete team ${t.name} of ${t.org}?`, detail: 'Its members lose the permissions the team gives.', button: 'Delete Team' }),
      async run(ref, signal) {
        await api.deleteTeam(namespaceOf(ref.scope), ref.key, signal);
        return done(`Deleted team ${ref.key}`);
      },
    },
  };

  const teamOf = (scope: Scope): { org: string; team: string } => {
    if (!scope.parent || scope.parent.type !== 'team') throw new BadResponseError('No team in this place of the tree');
    return { org: namespaceOf(scope.parent.scope), team: scope.parent.key };
  };
  const members: ResourceType<z.infer<typeof s.teamMember> & { team: string }> = {
    type: 'teamMember',
    title: 'Members',
    itemTitle: 'team member',
    icon: 'person',
    placement: { under: { type: 'team' } },
    shape: 'list',
    key: (m) => m.name,
    view: (m) => ({ label: m.name, description: [m.is_robot ? 'robot' : undefined, m.invited ? 'invited' : undefined].filter(Boolean).join(' · ') || undefined, icon: m.is_robot ? 'robot' : 'person' }),
    async list(scope, _cursor, opts) {
      const { org, team } = teamOf(scope);
      return all((await api.teamMembers(org, team, opts?.signal)).map((m) => ({ ...m, team })));
    },
    create: {
      title: 'Add Member',
      form: { schema: memberForm },
      async run(scope, values, signal) {
        const { org, team } = teamOf(scope);
        const v = memberForm.parse(values);
        await api.addTeamMember(org, team, v.name, signal);
        return done(`Added ${v.name} to ${team}`);
      },
    },
    remove: {
      title: 'Remove Member',
      confirm: (m) => ({ message: `Remove ${m.name} from team ${m.team}?`, button: 'Remove Member' }),
      async run(ref, signal) {
        const { org, team } = teamOf(ref.scope);
        await api.removeTeamMember(org, team, ref.key, signal);
        return done(`Removed ${ref.key} from ${team}`);
      },
    },
  };

  // ---- Access: robot accounts (organization, or the user's own namespace) ----
  const robotOwner = async (scope: Scope, signal?: AbortSignal): Promise<string | undefined> => {
    const ns = namespaceOf(scope);
    const kind = await p.namespaceKind(ns, signal);
    if (kind === 'unknown') throw new UnsupportedError(`Robot accounts of ${ns} are not yours to manage`);
    return kind === 'org' ? ns : undefined;
  };
  const shortname = (full: string) => {
    const i = full.indexOf('+');
    return i >= 0 ? full.slice(i + 1) : full;
  };
  const robots: ResourceType<s.QuayRobot> = {
    type: 'robot',
    title: 'Robot accounts',
    itemTitle: 'robot account',
    icon: 'robot',
    placement: { under: 'namespace', group: 'access' },
    shape: 'list',
    available: async (scope, signal) => (await p.namespaceKind(namespaceOf(scope), signal).catch(() => 'unknown')) !== 'unknown',
    key: (r) => r.name,
    view: (r) => ({
      label: r.name,
      description: [r.description ?? undefined, r.teams?.length ? `teams ${r.teams.map((t) => t.name).join(', ')}` : undefined, r.repositories?.length ? `${r.repositories.length} repositories` : undefined]
        .filter(Boolean)
        .join(' · '),
      tooltip: [`Created ${when(r.created) ?? '?'}`, `Last used ${when(r.last_accessed) ?? 'never'}`, r.repositories?.length ? `Repositories: ${r.repositories.join(', ')}` : ''].filter(Boolean).join('\n'),
      icon: 'robot',
    }),
    async list(scope, _cursor, opts) {
      return all(await api.robots(await robotOwner(scope, opts?.signal), opts?.signal));
    },
    create: {
      title: 'Create Robot Account',
      form: { schema: robotForm },
      async run(scope, values, signal) {
        const v = robotForm.parse(values);
        const r = await api.createRobot(await robotOwner(scope, signal), v.shortname, v.description, signal);
        registerSecret(r.token);
        return { kind: 'secret', message: `Created robot ${r.name}. Copy its token now: Quay shows it to administrators only.`, label: `Token of ${r.name}`, secret: r.token, refresh: 'list' };
      },
    },
    remove: {
      title: 'Delete Robot Account',
      confirm: (r) => ({ message: `Delete robot account ${r.name}?`, detail: 'Anything logged in with its token stops working.', button: 'Delete Robot' }),
      async run(ref, signal) {
        await api.deleteRobot(await robotOwner(ref.scope, signal), shortname(ref.key), signal);
        return done(`Deleted robot ${ref.key}`);
      },
    },
    actions: [
      {
        id: 'regenerate',
        title: 'Regenerate Token',
        icon: 'refresh',
        confirm: (r) => ({ message: `Regenerate the token of ${r.name}?`, detail: 'The current token stops working at once.', button: 'Regenerate Token' }),
        async run(ref, _input, signal) {
          const r = await api.regenerateRobot(await robotOwner(ref.scope, signal), shortname(ref.key), signal);
          registerSecret(r.token);
          return { kind: 'secret', message: `New token of ${r.name}`, label: `Token of ${r.name}`, secret: r.token, refresh: 'none' };
        },
      },
    ],
  };

  const robotPermissions: ResourceType<{ repository: string; role: string }> = {
    type: 'robotPermission',
    title: 'Permissions',
    itemTitle: 'robot permission',
    icon: 'key',
    placement: { under: { type: 'robot' } },
    shape: 'list',
    key: (x) => x.repository,
    view: (x) => ({ label: x.repository, description: x.role, icon: 'repo' }),
    async list(scope, _cursor, opts) {
      if (!scope.parent || scope.parent.type !== 'robot') throw new BadResponseError('No robot account in this place of the tree');
      const owner = await robotOwner(scope.parent.scope, opts?.signal);
      return all(await api.robotPermissions(owner, shortname(scope.parent.key), opts?.signal));
    },
  };

  // ---- Account: application tokens ----
  const appTokens: ResourceType<s.QuayAppToken> = {
    type: 'appToken',
    title: 'Application tokens',
    itemTitle: 'application token',
    icon: 'key',
    placement: { under: 'registry', group: 'account' },
    shape: 'list',
    available: async (_scope, signal) => (await signedIn()) && has('appTokens', signal),
    key: (t) => t.uuid,
    view: (t) => ({
      label: t.title,
      description: [t.expiration ? `expires ${when(t.expiration)}` : 'no expiry', `last used ${when(t.last_accessed) ?? 'never'}`].join(' · '),
      tooltip: `Created ${when(t.created) ?? '?'}`,
      icon: 'key',
    }),
    async list(_scope, _cursor, opts) {
      return all(await api.appTokens(opts?.signal));
    },
    create: {
      title: 'Create Application Token',
      form: { schema: appTokenForm, description: 'For docker login and the registry API, in place of your password.' },
      async run(_scope, values, signal) {
        const v = appTokenForm.parse(values);
        const t = await api.createAppToken(v.title, signal);
        registerSecret(t.secret);
        return { kind: 'secret', message: `Created application token ${t.title}. Copy it now: Quay does not show it again.`, label: `Application token ${t.title}`, secret: t.secret, refresh: 'list' };
      },
    },
    remove: {
      title: 'Revoke Application Token',
      confirm: (t) => ({ message: `Revoke application token ${t.title}?`, detail: 'Logins using it stop working.', button: 'Revoke Token' }),
      async run(ref, signal) {
        await api.revokeAppToken(ref.key, signal);
        return done('Revoked the application token');
      },
    },
  };

  // ---- Account: quota ----
  const quotas: ResourceType<s.QuayQuota> = {
    type: 'quota',
    title: 'Quota',
    itemTitle: 'quota',
    icon: 'dashboard',
    placement: { under: 'namespace', group: 'account' },
    shape: 'list',
    available: async (scope, signal) => (await has('quota', signal)) && isOrg(scope, signal),
    key: (q) => String(q.id),
    view: (q) => ({
      label: q.limit ?? `${q.limit_bytes} bytes`,
      description: [(q.limits ?? []).map((l) => `${l.type} at ${l.limit_percent}%`).join(', ') || 'no limits', q.default_config ? 'default' : undefined].filter(Boolean).join(' · '),
      icon: 'dashboard',
    }),
    async list(scope, _cursor, opts) {
      return all(await api.quotas(namespaceOf(scope), opts?.signal));
    },
  };

  // ---- Account: usage logs ----
  const logView = (e: s.QuayLogEntry) => ({
    label: e.kind,
    description: [e.performer?.name, when(e.datetime), e.ip ?? undefined].filter(Boolean).join(' · '),
    tooltip: Object.entries(e.metadata ?? {})
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join('\n'),
    icon: 'history',
  });
  const logKey = (e: s.QuayLogEntry) => `${String(e.datetime)}|${e.kind}|${e.performer?.name ?? ''}|${JSON.stringify(e.metadata ?? {}).slice(0, 80)}`;
  const logs = (level: 'repository' | 'namespace'): ResourceType<s.QuayLogEntry> => ({
    type: level === 'repository' ? 'repositoryLogs' : 'organizationLogs',
    title: 'Usage logs',
    itemTitle: 'log entry',
    icon: 'history',
    placement: { under: level, group: 'account' },
    shape: 'list',
    available: async (scope, signal) => (level === 'repository' ? has('repoLogs', signal) : (await has('orgLogs', signal)) && isOrg(scope, signal)),
    key: logKey,
    view: logView,
    async list(scope, cursor, opts) {
      const target = level === 'repository' ? { repository: repositoryOf(scope) } : { org: namespaceOf(scope) };
      return api.logs(target, {}, cursor, opts?.signal);
    },
  });
  const LOG_PAGES = 10;
  const logsInRange = (level: 'repository' | 'namespace'): ActionDecl<ResourceRef> => ({
    id: 'usageLogs',
    title: 'Show Usage Logs…',
    icon: 'history',
    input: { schema: logRangeForm as unknown as z.ZodType<Record<string, unknown>>, title: 'Usage logs', submitLabel: 'Show' },
    async run(ref, input, signal) {
      const v = logRangeForm.parse(input);
      const ns = ref.scope.namespace ?? ref.key;
      const target = level === 'repository' ? { repository: repositoryOf(ref.scope, ref.key) } : (await p.namespaceKind(ns, signal)) === 'user' ? { user: true as const } : { org: ns };
      const range = { start: logDate(v.from), end: logDate(v.to) };
      const lines: string[] = [];
      const guard = new PagingGuard('The usage logs');
      let cursor: string | undefined;
      let stopped: string | undefined;
      let pages = 0;
      do {
        guard.request(cursor);
        const page = await api.logs(target, range, cursor, signal);
        for (const e of page.items) {
          const view = logView(e);
          lines.push(`${view.label} · ${view.description}`);
        }
        cursor = page.next;
        const stop = page.error ?? guard.check(cursor);
        if (stop) [stopped, cursor] = [stop.message, undefined];
      } while (cursor && ++pages < LOG_PAGES);
      const name = 'org' in target ? target.org : 'repository' in target ? target.repository : ns;
      const message = stopped ?? (cursor ? `The first ${LOG_PAGES} pages; narrow the range to see the rest` : undefined);
      return { kind: 'list', title: `Usage logs of ${name}, ${v.from} – ${v.to}`, items: lines, message };
    },
  });

  // ---- Account: the optional /v2 credential ----
  const registryLogin: ResourceType<LoginItem> = {
    type: 'registryLogin',
    title: 'Registry login (/v2)',
    itemTitle: 'registry login',
    icon: 'plug',
    placement: { under: 'registry', group: 'account' },
    shape: 'singleton',
    key: () => '',
    view: (l) => ({
      label: 'Registry login (/v2)',
      description: l.own ? l.username : `${OAUTH_TOKEN_USER} with the API token`,
      tooltip: 'Credentials for pulls and tag details through the registry API. By default Quay accepts $oauthtoken with the OAuth token; set a robot or a user with an application token when the OAuth token lacks repo:read for the registry.',
      icon: 'plug',
    }),
    async get() {
      const own = await p.registryLogin();
      return own?.secret ? { username: own.username ?? '', own: true } : { username: OAUTH_TOKEN_USER, own: false };
    },
    update: {
      title: 'Set Registry Login',
      form: { schema: registryLoginForm, description: 'Checked against the registry’s token endpoint (/v2/auth) before it is stored.' },
      async values() {
        const own = await p.registryLogin();
        return { username: own?.username ?? '', password: '' };
      },
      async run(_ref, values, signal) {
        const v = registryLoginForm.parse(values);
        if (!p.ctx.setCredentials) throw new UnsupportedError('This host cannot store a second credential');
        registerSecret(v.password);
        await checkRegistryLogin(p, v.username, v.password, signal);
        await p.ctx.setCredentials('registry', { username: v.username, secret: v.password });
        p.resetAuth();
        return done(`The registry API now uses ${v.username}`, 'item');
      },
    },
    actions: [
      {
        id: 'clear',
        title: 'Use the API Token for /v2',
        icon: 'clear-all',
        when: (l) => l.own,
        confirm: (l) => ({ message: `Forget the registry login ${l.username}?`, detail: `Pulls and tag details then use ${OAUTH_TOKEN_USER} with the API token.`, button: 'Forget Login' }),
        async run() {
          if (!p.ctx.setCredentials) throw new UnsupportedError('This host cannot store a second credential');
          await p.ctx.setCredentials('registry', undefined);
          p.resetAuth();
          return done(`The registry API uses ${OAUTH_TOKEN_USER} with the API token again`, 'item');
        },
      },
    ],
  };

  // ---- Core nodes ----
  const repositoryNode = {
    update: {
      title: 'Edit Repository',
      form: { schema: editRepositoryForm as unknown as z.ZodType<Record<string, unknown>> },
      async values(ref: ResourceRef, signal?: AbortSignal) {
        const r = await api.repository(repositoryOf(ref.scope, ref.key), signal);
        return { description: r.description ?? '', visibility: r.is_public ? 'public' : 'private', state: r.state === 'READ_ONLY' || r.state === 'MIRROR' ? r.state : 'NORMAL' };
      },
      async run(ref: ResourceRef, values: Record<string, unknown>, signal?: AbortSignal) {
        const repository = repositoryOf(ref.scope, ref.key);
        const v = editRepositoryForm.parse(values);
        const r = await api.repository(repository, signal);
        // Each part is its own call: what the server cannot do is found out before anything is saved.
        const steps: { part: string; save: () => Promise<void> }[] = [];
        if ((r.description ?? '') !== v.description) steps.push({ part: 'description', save: () => api.setDescription(repository, v.description, signal) });
        if (r.is_public !== (v.visibility === 'public')) steps.push({ part: `visibility ${v.visibility}`, save: () => api.setVisibility(repository, v.visibility, signal) });
        if ((r.state ?? 'NORMAL') !== v.state) {
          if (!(await has('changeState', signal))) throw new UnsupportedError(`This Quay cannot change repository states (it has no /changestate); nothing of ${repository} was saved`);
          steps.push({ part: `state ${v.state}`, save: () => api.setState(repository, v.state, signal) });
        }
        const changed = await saveInSteps(repository, steps);
        if (changed.length) {
          const after = await api.repository(repository, signal);
          const missed = [
            (after.description ?? '') !== v.description ? 'description' : undefined,
            after.is_public !== (v.visibility === 'public') ? `visibility (still ${after.is_public ? 'public' : 'private'})` : undefined,
            (after.state ?? 'NORMAL') !== v.state ? `state (still ${after.state ?? 'NORMAL'})` : undefined,
          ].filter((x): x is string => !!x);
          if (missed.length) throw new BadResponseError(`Quay answered the save of ${repository} but did not take: ${missed.join(', ')}`);
        }
        return done(changed.length ? `Saved ${repository}: ${changed.join(', ')}` : `Nothing changed in ${repository}`, 'item');
      },
    },
    remove: {
      title: 'Delete Repository',
      async confirm(ref: ResourceRef): Promise<Confirmation> {
        const repository = repositoryOf(ref.scope, ref.key);
        return { message: `Delete repository ${repository} with all its tags?`, detail: 'Quay cannot restore a deleted repository.', button: 'Delete Repository' };
      },
      async run(ref: ResourceRef, signal?: AbortSignal) {
        const repository = repositoryOf(ref.scope, ref.key);
        await api.deleteRepository(repository, signal);
        return done(`Deleted ${repository}`, 'owner');
      },
    },
    actions: [logsInRange('repository')],
  };

  const tagActions: ActionDecl<ResourceRef>[] = [
    {
      id: 'addTag',
      title: 'Add or Move Tag…',
      icon: 'tag',
      input: { schema: tagForm as unknown as z.ZodType<Record<string, unknown>>, submitLabel: 'Save Tag' },
      confirm: (ref, input) => {
        const v = tagForm.safeParse(input);
        if (!v.success) return undefined;
        return { message: `Point tag ${v.data.tag} of ${repositoryOf(ref.scope)} at ${v.data.digest ?? `the manifest of ${tagOf(ref)}`}?`, detail: 'If the tag exists, it moves; its old manifest stays in the tag history.', button: 'Save Tag' };
      },
      async run(ref, input, signal) {
        const repository = repositoryOf(ref.scope);
        const v = tagForm.parse(input);
        const digest = str(v.digest) ?? ref.scope.digest ?? (await api.tag(repository, tagOf(ref), signal)).manifest_digest;
        if (!/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(digest)) throw new BadResponseError(`"${digest}" is not a digest`);
        await api.putTag(repository, v.tag, { manifest_digest: digest }, signal);
        return done(`${repository}:${v.tag} → ${digest.slice(0, 19)}`, 'owner');
      },
    },
    {
      id: 'setExpiration',
      title: 'Set Expiration…',
      icon: 'watch',
      input: { schema: expirationForm as unknown as z.ZodType<Record<string, unknown>>, submitLabel: 'Set Expiration' },
      async run(ref, input, signal) {
        const repository = repositoryOf(ref.scope);
        const tag = tagOf(ref);
        const v = expirationForm.parse(input);
        const ms = Date.parse(v.expiresAt);
        if (!Number.isFinite(ms)) throw new BadResponseError(`"${v.expiresAt}" is not a date`);
        if (ms <= Date.now()) throw new BadResponseError('The expiration must be in the future');
        await api.putTag(repository, tag, { expiration: Math.floor(ms / 1000) }, signal);
        return done(`${repository}:${tag} expires ${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`, 'list');
      },
    },
    {
      id: 'clearExpiration',
      title: 'Clear Expiration',
      icon: 'close',
      async run(ref, _input, signal) {
        const repository = repositoryOf(ref.scope);
        const tag = tagOf(ref);
        await api.putTag(repository, tag, { expiration: null }, signal);
        return done(`${repository}:${tag} no longer expires`, 'list');
      },
    },
    {
      id: 'securityReport',
      title: 'Open Security Report',
      icon: 'shield',
      async run(ref) {
        return { kind: 'panel', panel: 'scan', repository: repositoryOf(ref.scope), reference: tagOf(ref) };
      },
    },
  ];

  return {
    groups: [
      { id: 'policies', title: 'Policies', icon: 'shield' },
      { id: 'access', title: 'Access', icon: 'lock' },
      { id: 'account', title: 'Account', icon: 'account' },
    ],
    types: [
      tagHistory,
      labels,
      mirror,
      notifications,
      autoPrune('repository'),
      autoPrune('namespace'),
      immutability('repository'),
      immutability('namespace'),
      orgSettings,
      proxyCache,
      permissions,
      teams,
      members,
      robots,
      robotPermissions,
      appTokens,
      quotas,
      logs('repository'),
      logs('namespace'),
      registryLogin,
    ],
    nodes: {
      namespace: {
        create: {
          title: 'Create Repository',
          form: { schema: createRepositoryForm as unknown as z.ZodType<Record<string, unknown>> },
          async run(scope, values, signal) {
            const ns = namespaceOf(scope);
            const v = createRepositoryForm.parse(values);
            await api.createRepository(ns, v.name, { description: v.description, visibility: v.visibility }, signal);
            return done(`Created ${ns}/${v.name}`, 'item');
          },
        },
        actions: [logsInRange('namespace')],
      },
      repository: repositoryNode,
      tag: { actions: tagActions },
    },
  };
}

/**
 * Runs the saves of a multi-call edit in order; the parts saved. When one fails, the error (of the same kind) says
 * which parts were saved before it and which were not.
 */
async function saveInSteps(what: string, steps: { part: string; save: () => Promise<void> }[]): Promise<string[]> {
  const saved: string[] = [];
  for (const [i, step] of steps.entries()) {
    try {
      await step.save();
    } catch (e) {
      if (!saved.length) throw e;
      const err = toRegistryError(e);
      const notSaved = steps.slice(i).map((x) => x.part).join(', ');
      throw new RegistryError(err.kind, `Saved ${saved.join(', ')} of ${what}; not saved: ${notSaved}. ${err.message}`, { status: err.status, request: err.request, cause: e });
    }
    saved.push(step.part);
  }
  return saved;
}

/**
 * Checks a `/v2` login against the registry's token endpoint, so a wrong one is never stored. Redirects are not
 * followed (a 3xx fails the check: another origin's 200 says nothing about this registry) and the answer is read up
 * to the token body limit.
 */
async function checkRegistryLogin(p: QuayAdminHost, username: string, password: string, signal?: AbortSignal): Promise<void> {
  const base = new URL(p.ctx.connection.registryUrl ?? p.ctx.connection.url);
  const url = new URL('/v2/auth', base.origin);
  url.searchParams.set('service', base.host);
  const res = await p.client.transport.request({ method: 'GET', url: url.href, headers: { authorization: basicAuthorization(username, password) }, signal, maxRedirects: 0, maxBodyBytes: BODY_LIMITS.token });
  if (res.status === 401 || res.status === 403) throw new UnauthorizedError(`The registry rejected ${username} (${res.status})`);
  if (res.status >= 300 && res.status < 400) throw new BadResponseError(`The registry token endpoint redirected (${res.status}) instead of answering; the login was not checked and is not stored`);
  if (res.status < 200 || res.status >= 300) throw new BadResponseError(`The registry token endpoint answered ${res.status}${serverMessage(res) ? `: ${serverMessage(res)}` : ''}`);
}
