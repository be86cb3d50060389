import { type Scope, defineAction, defineResource } from '../../admin';
import { done, parentKey, plural } from '../../adminKit';
import { t } from '../../l10n';
import { type HarborRegistryEndpoint, type HarborReplicationExecution, type HarborReplicationPolicy, HarborSystemApi } from '../systemApi';
import type { HarborAdminHost, HarborAdminPart } from './shared';
import { numericKey } from './ids';
import { isSysAdmin } from './sysadmin';

/**
 * Replication (system administrators only): the policies, read with their source, destination, filters and trigger;
 * *Replicate Now*; under each policy its executions, each with *Stop* while it runs and its tasks.
 */

/** `Local` for this Harbor (no registry, or its own entry with id 0), else the endpoint's name and URL. */
function endpoint(r: HarborRegistryEndpoint | null | undefined): string {
  if (!r || r.id === 0) return t('this Harbor');
  return r.url ? `${r.name} (${r.url})` : r.name;
}

function filterText(f: { type?: string | null; value?: unknown; decoration?: string | null }): string {
  const value = Array.isArray(f.value) ? f.value.map(String).join(', ') : typeof f.value === 'string' || typeof f.value === 'number' || typeof f.value === 'boolean' ? String(f.value) : '';
  return `${f.type ?? '?'} ${f.decoration === 'excludes' ? t('excludes') : t('matches')} ${value || '""'}`;
}

function trigger(p: HarborReplicationPolicy): string {
  const type = p.trigger?.type ?? 'manual';
  const cron = p.trigger?.trigger_settings?.cron;
  return type === 'scheduled' && cron ? t('scheduled ({0})', cron) : type === 'event_based' ? t('on push and delete') : type;
}

/** The lines of a policy's details, as the list outcome shows them. */
export function policyDetails(p: HarborReplicationPolicy): string[] {
  const lines = [
    t('Source: {0}', endpoint(p.src_registry)),
    t('Destination: {0}', endpoint(p.dest_registry)),
    t('Destination namespace: {0}', p.dest_namespace || t('same as the source')),
    t('Trigger: {0}', trigger(p)),
    ...(p.filters ?? []).map((f) => t('Filter: {0}', filterText(f))),
    t('Replicate deletions: {0}', p.replicate_deletion ? t('yes') : t('no')),
    t('Override existing artifacts: {0}', p.override ? t('yes') : t('no')),
    t('Enabled: {0}', p.enabled === false ? t('no') : t('yes')),
  ];
  if (typeof p.speed === 'number' && p.speed > 0) lines.push(t('Bandwidth: {0} KiB/s per task', p.speed));
  if (p.description) lines.unshift(p.description);
  return lines;
}

function counts(e: HarborReplicationExecution): string {
  const parts = [
    e.succeed ? t('{0} succeeded', e.succeed) : undefined,
    e.failed ? t('{0} failed', e.failed) : undefined,
    e.in_progress ? t('{0} in progress', e.in_progress) : undefined,
    e.stopped ? t('{0} stopped', e.stopped) : undefined,
  ].filter(Boolean);
  return typeof e.total === 'number' ? [plural(e.total, 'task'), ...parts].join(', ') : parts.join(', ');
}

const RUNNING = new Set(['InProgress', 'Running', 'Pending']);

function policiesType(host: HarborAdminHost, api: HarborSystemApi) {
  const action = defineAction<HarborReplicationPolicy>();
  return defineResource<HarborReplicationPolicy>()({
    type: 'replicationPolicy',
    title: t('Replication'),
    itemTitle: t('replication policy'),
    icon: 'sync',
    placement: { under: 'registry', group: 'administration' },
    shape: 'list',
    available: (_scope, signal) => isSysAdmin(host, signal),
    key: (p) => String(p.id),
    view: (p) => ({
      label: p.name,
      description: [p.enabled === false ? t('disabled') : undefined, `${endpoint(p.src_registry)} → ${endpoint(p.dest_registry)}`, trigger(p)].filter(Boolean).join(' · '),
      tooltip: policyDetails(p).join('\n'),
      icon: p.enabled === false ? 'circle-slash' : 'sync',
    }),
    list: (_scope, cursor, opts) => api.policies(cursor, opts?.signal),
    get: (ref, signal) => api.policy(numericKey(ref.key, 'replication policy'), signal),
    actions: [
      action({
        id: 'details',
        title: t('Show Details'),
        icon: 'info',
        async run(ref, _v, signal) {
          const p = await api.policy(numericKey(ref.key, 'replication policy'), signal);
          return { kind: 'list', title: t('Replication policy {0}', p.name), items: policyDetails(p), refresh: 'none' };
        },
      }),
      action({
        id: 'execute',
        title: t('Replicate Now'),
        icon: 'play',
        confirm: async (p) => ({ message: t('Run replication policy {0} now?', p.name), detail: t('From {0} to {1}.', endpoint(p.src_registry), endpoint(p.dest_registry)), button: t('Replicate Now') }),
        async run(ref, _v, signal) {
          const p = await api.policy(numericKey(ref.key, 'replication policy'), signal);
          await api.startExecution(p.id, p.name, signal);
          return done(t('Started replication policy {0}', p.name), 'item');
        },
      }),
    ],
  });
}

function executionsType(api: HarborSystemApi) {
  const action = defineAction<HarborReplicationExecution>();
  const policyOf = (scope: Scope) => numericKey(parentKey(scope, 'replicationPolicy'), 'replication policy');
  return defineResource<HarborReplicationExecution>()({
    type: 'replicationExecution',
    title: t('Executions'),
    itemTitle: t('replication execution'),
    icon: 'history',
    placement: { under: { type: 'replicationPolicy' } },
    shape: 'list',
    key: (e) => String(e.id),
    view: (e) => ({
      label: `#${e.id} ${e.status ?? ''}`.trim(),
      description: [e.trigger, e.start_time, counts(e)].filter(Boolean).join(' · '),
      tooltip: [e.status_text ?? '', e.end_time ? t('Ended {0}', e.end_time) : ''].filter(Boolean).join('\n') || undefined,
      icon: e.status === 'Failed' ? 'error' : RUNNING.has(e.status ?? '') ? 'loading~spin' : 'history',
    }),
    list: (scope, cursor, opts) => api.executions(policyOf(scope), cursor, opts?.signal),
    get: (ref, signal) => api.execution(numericKey(ref.key, 'replication execution'), signal),
    actions: [
      action({
        id: 'tasks',
        title: t('Show Tasks'),
        icon: 'checklist',
        async run(ref, _v, signal) {
          const id = numericKey(ref.key, 'replication execution');
          const page = await api.tasks(id, undefined, signal);
          if (page.error) throw page.error;
          const items = page.items.map((x) => `${x.status ?? '?'} · ${x.operation ?? ''} ${x.resource_type ?? ''} ${x.src_resource ?? ''} → ${x.dst_resource ?? ''}`.replace(/\s+/g, ' ').trim());
          const more = page.next ? t('The first {0} tasks are shown.', page.items.length) : undefined;
          return { kind: 'list', title: t('Tasks of replication execution {0}', id), items, message: more ?? t('This execution has no tasks'), refresh: 'none' };
        },
      }),
      action({
        id: 'stop',
        title: t('Stop'),
        icon: 'debug-stop',
        when: (e) => RUNNING.has(e.status ?? ''),
        confirm: async (e) => ({ message: t('Stop replication execution {0}?', e.id), detail: t('Tasks not yet done are stopped; what was copied stays.'), button: t('Stop') }),
        async run(ref, _v, signal) {
          const id = numericKey(ref.key, 'replication execution');
          await api.stopExecution(id, signal);
          return done(t('Stopping replication execution {0}', id));
        },
      }),
    ],
  });
}

export const replicationPart: HarborAdminPart = (host) => {
  const api = new HarborSystemApi(host.client);
  return [policiesType(host, api), executionsType(api)];
};
