import type * as z from 'zod';
import { defineAction, defineResource, type NodeRef } from '../../admin';
import { done, refreshed, whole } from '../../adminKit';
import { checkSegment } from '../client';
import type * as s from '../schemas';
import type { AdminContext } from './context';
import { overrideForm, tokenCreateForm } from './forms';
import { t } from '../../l10n';

/** Your API tokens, and for DTR admins: jobs, crons, the security scanner and layer overrides. */
export function administrationTypes(c: AdminContext) {
  const { api, loadFeatures, scanning, adminOnly } = c;

  const tokenToggle = (isActive: boolean) =>
    defineAction<s.DtrApiToken>()({
      id: isActive ? 'activate' : 'deactivate',
      title: isActive ? t('Activate') : t('Deactivate'),
      icon: isActive ? 'play' : 'debug-pause',
      when: (t) => t.isActive !== isActive,
      confirm: isActive ? undefined : (tok) => Promise.resolve({ message: t('Deactivate API token "{0}"? Clients using it stop working.', tok.tokenLabel), button: t('Deactivate Token') }),
      run: async (ref, _input, signal) => {
        const t = await api.updateApiToken(checkSegment(ref.key, 'token id'), { isActive }, signal);
        return refreshed(`API token "${t.tokenLabel}" ${isActive ? 'activated' : 'deactivated'}`);
      },
    });

  const apiTokens = defineResource<s.DtrApiToken>()({
    type: 'apiToken',
    title: t('API Tokens'),
    itemTitle: t('API token'),
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
      title: t('New API Token'),
      form: { schema: tokenCreateForm, title: t('New API token'), submitLabel: t('Create Token') },
      run: async (_scope, v, signal) => {
        const tok = await api.createApiToken(v.tokenLabel, signal);
        return { kind: 'secret', message: t('API token "{0}" created. Copy it now: DTR shows it only once.', tok.tokenLabel), label: tok.tokenLabel, secret: tok.token, refresh: 'list' };
      },
    },
    update: {
      title: t('Rename API Token'),
      form: { schema: tokenCreateForm, title: t('Rename API token') },
      values: async (ref, signal) => ({ tokenLabel: (await api.apiToken(checkSegment(ref.key, 'token id'), signal)).tokenLabel }),
      run: async (ref, v, signal) => {
        await api.updateApiToken(checkSegment(ref.key, 'token id'), { tokenLabel: v.tokenLabel }, signal);
        return refreshed(`API token renamed to "${v.tokenLabel}"`);
      },
    },
    remove: {
      title: t('Delete API Token'),
      confirm: (tok) => Promise.resolve({ message: t('Delete API token "{0}"? Clients using it stop working.', tok.tokenLabel), button: t('Delete Token') }),
      run: async (ref, signal) => {
        const id = checkSegment(ref.key, 'token id');
        // The label names what was deleted in the message (a second delete would otherwise repeat the first's words).
        const label = (await api.apiToken(id, signal).catch(() => undefined))?.tokenLabel || id.slice(0, 12);
        await api.deleteApiToken(id, signal);
        return done(t('API token "{0}" deleted', label));
      },
    },
    actions: [tokenToggle(true), tokenToggle(false)],
  });

  // ---- administration ----

  const jobsType = defineResource<s.DtrJob>()({
    type: 'job',
    title: t('Jobs'),
    itemTitle: t('job'),
    icon: 'tasklist',
    placement: { under: 'registry', group: 'administration' },
    shape: 'list',
    available: (_scope, signal) => adminOnly(signal),
    key: (j) => j.id,
    view: (j) => ({ label: j.action, description: `${j.status}${j.scheduledAt ? ` · ${j.scheduledAt}` : ''}`, tooltip: `Job ${j.id}${j.workerID ? ` on worker ${j.workerID}` : ''}`, icon: j.status === 'errored' ? 'error' : j.status === 'running' ? 'sync' : 'tasklist' }),
    list: (_scope, cursor, opts) => api.jobs(cursor, opts),
    actions: [
      defineAction<s.DtrJob>()({
        id: 'logs',
        title: t('Show Logs'),
        icon: 'output',
        run: async (ref, _input, signal) => ({ kind: 'list', title: t('Logs of job {0}', ref.key), items: await api.jobLogs(checkSegment(ref.key, 'job id'), signal), refresh: 'none' }),
      }),
      defineAction<s.DtrJob>()({
        id: 'cancel',
        title: t('Cancel Job'),
        icon: 'stop-circle',
        when: (j) => j.status === 'running' || j.status === 'waiting',
        confirm: (j) => Promise.resolve({ message: t('Cancel the {0} job {1}?', j.action, j.id), button: t('Cancel Job') }),
        run: async (ref, _input, signal) => {
          await api.cancelJob(checkSegment(ref.key, 'job id'), signal);
          return refreshed(`Job ${ref.key} cancelled`);
        },
      }),
    ],
  });

  const cronsType = defineResource<s.DtrCron>()({
    type: 'cron',
    title: t('Crons'),
    itemTitle: t('cron'),
    icon: 'watch',
    placement: { under: 'registry', group: 'administration' },
    shape: 'list',
    available: (_scope, signal) => adminOnly(signal),
    key: (c) => c.action,
    view: (c) => ({ label: c.action, description: c.schedule, tooltip: c.nextRun ? `Next run ${c.nextRun}` : undefined, icon: 'watch' }),
    list: async (_scope, _cursor, opts) => whole(await api.crons(opts?.signal)),
  });

  type ScannerItem = z.infer<typeof s.scannerStatus>;
  const scannerType = defineResource<ScannerItem>()({
    type: 'scanner',
    title: t('Security Scanner'),
    itemTitle: t('security scanner'),
    icon: 'shield',
    placement: { under: 'registry', group: 'administration' },
    shape: 'singleton',
    available: async (_scope, signal) => (await adminOnly(signal)) && (await loadFeatures(signal), scanning()),
    view: (st) => ({
      label: t('Security scanner'),
      description: `${st.lastDBUpdateFailed ? 'database update failed' : 'ok'}${st.db_updated_at ? ` · database ${st.db_updated_at}` : ''}`,
      tooltip: t('Scanner version {0} · database version {1}', st.scanner_version ?? '?', st.db_version ?? '?'),
      icon: st.lastDBUpdateFailed ? 'warning' : 'shield',
    }),
    get: (_ref, signal) => api.scannerStatus(signal),
    actions: [true, false].map((on) =>
      defineAction<ScannerItem, NodeRef>()({
        id: on ? 'scanOnPushAll' : 'noScanOnPushAll',
        title: on ? t('Turn On Scan on Push for All Repositories') : t('Turn Off Scan on Push for All Repositories'),
        icon: on ? 'shield' : 'circle-slash',
        confirm: () => Promise.resolve({ message: t('Turn scan on push {0} for every repository of this DTR?', on ? 'on' : 'off'), button: on ? t('Turn On') : t('Turn Off') }),
        run: async (_ref, _input, signal) => {
          await api.toggleScanOnPush(on, signal);
          return done(t('Scan on push is {0} for all repositories', on ? 'on' : 'off'), 'none');
        },
      }),
    ),
  });

  const overrides = defineResource<s.DtrVulnOverride>()({
    type: 'layerOverride',
    title: t('Layer Overrides'),
    itemTitle: t('layer override'),
    icon: 'pass',
    placement: { under: 'registry', group: 'administration' },
    shape: 'list',
    available: async (_scope, signal) => (await adminOnly(signal)) && (await loadFeatures(signal), scanning()),
    key: (o) => o.pk,
    view: (o) => ({ label: `${o.cve} in ${o.component}${o.componentVersion ? ` ${o.componentVersion}` : ''}`, description: (o.digest ?? 'unknown layer').slice(0, 19), tooltip: o.notes || undefined, icon: 'pass' }),
    list: async (_scope, _cursor, opts) => whole(await api.layerOverrides(opts?.signal)),
    create: {
      title: t('New Layer Override'),
      form: { schema: overrideForm, title: t('Mark a vulnerability as not applicable in a layer') },
      run: async (_scope, v, signal) => {
        await api.addLayerOverride(v.layer, { component: v.component, componentVersion: v.componentVersion, cve: v.cve, notes: v.notes }, signal);
        return done(t('{0} no longer counts in {1} of layer {2}', v.cve, v.component, v.layer.slice(0, 19)));
      },
    },
    remove: {
      title: t('Delete Layer Override'),
      confirm: (o) => Promise.resolve({ message: t('Count {0} in {1} of layer {2} again?', o.cve, o.component, (o.digest ?? 'unknown layer').slice(0, 19)), button: t('Delete Override') }),
      run: async (ref, signal) => {
        await api.deleteLayerOverride(checkSegment(ref.key, 'override id'), signal);
        return done(t('Layer override deleted'));
      },
    },
  });

  return [apiTokens, jobsType, cronsType, scannerType, overrides];
}
