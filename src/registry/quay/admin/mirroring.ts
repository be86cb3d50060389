import type * as z from 'zod';
import { defineResource } from '../../admin';
import { BadResponseError } from '../../errors';
import { parseQuayTime } from '../client';
import { mirrorForm, notificationForm } from '../forms';
import { done, repositoryOf, whole } from '../../adminKit';
import { formatDuration, when } from './shared';
import type { AdminCtx, MirrorItem } from './shared';
import { entityChoices } from './entities';
import * as s from '../schemas';
import { t } from '../../l10n';

/** Repository mirroring and notifications. */
export function mirrorTypes(c: AdminCtx) {
  const { api, has } = c;
  const choices = entityChoices(c);

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
  const mirror = defineResource<MirrorItem>()({
    type: 'mirror',
    title: t('Mirroring'),
    itemTitle: t('mirror configuration'),
    icon: 'mirror',
    placement: { under: 'repository', group: 'policies' },
    shape: 'singleton',
    available: (_scope, signal) => has('mirror', signal),
    view: (m) =>
      m.config
        ? {
            label: t('Mirroring'),
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
        : { label: t('Mirroring'), description: t('not configured'), icon: 'mirror' },
    async get(ref, signal) {
      const repository = repositoryOf(ref.scope);
      return { repository, config: await api.mirror(repository, signal) };
    },
    update: {
      title: t('Edit Mirroring'),
      form: { schema: mirrorForm, choices: choices.mirrorRobot, description: t('The repository must be in the MIRROR state for Quay to sync it.') },
      async values(ref, signal): Promise<z.input<typeof mirrorForm>> {
        const c = await api.mirror(repositoryOf(ref.scope), signal);
        if (!c) return { isEnabled: true, externalReference: '', robot: '', tags: ['latest'], syncIntervalSeconds: 86400, syncStartDate: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), verifyTls: true, unsignedImages: false, architectures: [] };
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
      async run(ref, v, signal) {
        const repository = repositoryOf(ref.scope);
        const exists = (await api.mirror(repository, signal)) !== undefined;
        await api.saveMirror(repository, mirrorBody(v), exists, signal);
        return done(t('Saved the mirror configuration of {0}', repository), 'item');
      },
    },
    actions: [
      {
        id: 'syncNow',
        title: t('Sync Now'),
        icon: 'sync',
        when: (m) => !!m.config && m.config.sync_status !== 'SYNCING' && m.config.sync_status !== 'SYNC_NOW',
        async run(ref, _input, signal) {
          const repository = repositoryOf(ref.scope);
          await api.mirrorSync(repository, 'sync-now', signal);
          return done(t('Mirroring of {0} will sync now', repository), 'item');
        },
      },
      {
        id: 'cancelSync',
        title: t('Cancel Sync'),
        icon: 'debug-stop',
        when: (m) => !!m.config && (m.config.sync_status === 'SYNCING' || m.config.sync_status === 'SYNC_NOW'),
        confirm: async (m) => ({ message: t('Cancel the running sync of {0}?', m.repository), button: t('Cancel Sync') }),
        async run(ref, _input, signal) {
          const repository = repositoryOf(ref.scope);
          await api.mirrorSync(repository, 'sync-cancel', signal);
          return done(t('Cancelled the sync of {0}', repository), 'item');
        },
      },
    ],
  });

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
  const notifications = defineResource<s.QuayNotification & { repository: string }>()({
    type: 'notification',
    title: t('Notifications'),
    itemTitle: t('notification'),
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
      return whole((await api.notifications(repository, opts?.signal)).map((n) => ({ ...n, repository })));
    },
    create: {
      title: t('Add Notification'),
      form: { schema: notificationForm },
      async run(scope, v, signal) {
        if (v.event === 'repo_image_expiry' && !v.days) throw new BadResponseError('repo_image_expiry needs "Days before expiry"');
        await api.createNotification(
          repositoryOf(scope),
          { event: v.event, method: v.delivery.method, config: notificationConfig(v.delivery), eventConfig: v.event === 'repo_image_expiry' ? { days: v.days } : {}, ...(v.title ? { title: v.title } : {}) },
          signal,
        );
        return done(t('Added the {0} notification', v.event));
      },
    },
    remove: {
      title: t('Delete Notification'),
      confirm: async (n) => ({ message: t('Delete notification "{0}" ({1} → {2}) of {3}?', n.title || n.event, n.event, n.method, n.repository), button: t('Delete Notification') }),
      async run(ref, signal) {
        await api.deleteNotification(repositoryOf(ref.scope), ref.key, signal);
        return done(t('Deleted the notification'));
      },
    },
    actions: [
      {
        id: 'test',
        title: t('Send Test Notification'),
        icon: 'debug-start',
        async run(ref, _input, signal) {
          await api.testNotification(repositoryOf(ref.scope), ref.key, signal);
          return done(t('Quay queued a test notification'), 'none');
        },
      },
      {
        id: 'resetFailures',
        title: t('Reset Failures'),
        icon: 'refresh',
        when: (n) => (n.number_of_failures ?? 0) > 0,
        async run(ref, _input, signal) {
          await api.resetNotification(repositoryOf(ref.scope), ref.key, signal);
          return done(t('Reset the failure count'), 'item');
        },
      },
    ],
  });

  return { mirror, notifications };
}
