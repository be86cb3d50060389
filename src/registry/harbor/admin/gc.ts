import * as z from 'zod';
import { type NodeRef, defineAction, defineResource } from '../../admin';
import { done, refreshed } from '../../adminKit';
import { t } from '../../l10n';
import { type GcParameters, type HarborGcHistory, type HarborGcRun, HarborSystemApi } from '../systemApi';
import type { HarborAdminHost, HarborAdminPart } from './shared';
import { numericKey } from './ids';
import { isSysAdmin } from './sysadmin';

/**
 * Garbage collection (system administrators only): the schedule (edit, *Run Now*, *Dry Run*) and, under it, the
 * history of runs with the log of each.
 */

/** Harbor's crons have six fields (seconds first); the presets are the ones its portal sets. */
const PRESET_CRON: Record<string, string> = { Hourly: '0 0 * * * *', Daily: '0 0 0 * * *', Weekly: '0 0 0 * * 0' };
const CRON6 = /^\S+(\s+\S+){5}$/;
const RUNNING = /^(running|pending|scheduled)$/i;

export const gcScheduleForm = z
  .object({
    type: z
      .enum(['None', 'Hourly', 'Daily', 'Weekly', 'Custom'])
      .meta({ title: t('Schedule'), labels: { None: t('None (manual runs only)'), Hourly: t('Hourly'), Daily: t('Daily (midnight)'), Weekly: t('Weekly (Sunday midnight)'), Custom: t('Custom cron') } }),
    cron: z.string().trim().optional().meta({ title: t('Cron'), description: t('Custom only: six fields, seconds first (0 0 3 * * *: every day at 3:00)') }),
    deleteUntagged: z.boolean().default(false).meta({ title: t('Delete untagged artifacts'), description: t('Untagged artifacts are deleted too, not only unreferenced blobs') }),
    workers: z.number().int().min(1).max(5).default(1).meta({ title: t('Workers'), description: t('1 to 5 workers delete blobs in parallel') }),
  })
  .refine((v) => v.type !== 'Custom' || CRON6.test(v.cron ?? ''), { message: t('a cron of six fields, seconds first'), path: ['cron'] });

export const gcRunForm = z.object({
  deleteUntagged: z.boolean().default(false).meta({ title: t('Delete untagged artifacts') }),
  dryRun: z.boolean().default(false).meta({ title: t('Dry run'), description: t('Only report what would be deleted') }),
});

/** `{"delete_untagged":true}` (Harbor's `job_parameters`, JSON text), read leniently. */
function parameters(text: string | null | undefined): GcParameters {
  try {
    const v = JSON.parse(text ?? '{}') as unknown;
    return v && typeof v === 'object' ? (v as GcParameters) : {};
  } catch {
    return {};
  }
}

function scheduleText(h: HarborGcHistory): string {
  const s = h.schedule;
  if (!s?.type || s.type === 'None') return t('not scheduled');
  const next = s.next_scheduled_time ? t('next {0}', s.next_scheduled_time) : undefined;
  return [s.type === 'Custom' || s.type === 'Schedule' ? t('cron {0}', s.cron ?? '?') : s.type, next].filter(Boolean).join(' · ');
}

function scheduleType(h: HarborGcHistory): z.input<typeof gcScheduleForm>['type'] {
  const type = h.schedule?.type ?? 'None';
  if (type === 'Hourly' || type === 'Daily' || type === 'Weekly') return PRESET_CRON[type] === h.schedule?.cron || !h.schedule?.cron ? type : 'Custom';
  return type === 'None' || type === 'Manual' ? 'None' : 'Custom';
}

function gcTypes(host: HarborAdminHost, api: HarborSystemApi) {
  const action = defineAction<HarborGcHistory, NodeRef>();
  const schedule = defineResource<HarborGcHistory>()({
    type: 'gcSchedule',
    title: t('Garbage Collection'),
    itemTitle: t('garbage collection schedule'),
    icon: 'trash',
    placement: { under: 'registry', group: 'administration' },
    shape: 'singleton',
    available: (_scope, signal) => isSysAdmin(host, signal),
    view: (h) => ({ label: t('Garbage Collection'), description: scheduleText(h), icon: 'trash' }),
    get: (_ref, signal) => api.gcSchedule(signal),
    update: {
      title: t('Edit Garbage Collection Schedule'),
      form: { schema: gcScheduleForm },
      async values(_ref, signal) {
        const h = await api.gcSchedule(signal);
        const p = parameters(h.job_parameters);
        const type = scheduleType(h);
        return { type, cron: type === 'Custom' ? (h.schedule?.cron ?? undefined) : undefined, deleteUntagged: !!p.delete_untagged, workers: typeof p.workers === 'number' && p.workers >= 1 && p.workers <= 5 ? p.workers : 1 };
      },
      async run(_ref, v, signal) {
        const cron = v.type === 'Custom' ? v.cron : PRESET_CRON[v.type];
        await api.setGcSchedule(v.type === 'None' ? { type: 'None' } : { type: v.type, cron }, { delete_untagged: v.deleteUntagged, workers: v.workers }, signal);
        return refreshed(v.type === 'None' ? t('Garbage collection is no longer scheduled') : t('Garbage collection runs {0}', v.type === 'Custom' ? t('on cron {0}', cron ?? '') : v.type.toLowerCase()));
      },
    },
    actions: [
      action({
        id: 'runNow',
        title: t('Run Garbage Collection Now'),
        icon: 'play',
        input: { schema: gcRunForm, submitLabel: t('Run') },
        confirm: async (_h, _ref, v) =>
          v.dryRun
            ? undefined
            : {
                message: t('Run garbage collection on {0} now?', host.client.base),
                detail: v.deleteUntagged ? t('Blobs no longer referenced and every untagged artifact are deleted. This cannot be undone.') : t('Blobs no longer referenced by any artifact are deleted. This cannot be undone.'),
                button: t('Run Garbage Collection'),
              },
        async run(_ref, v, signal) {
          await api.runGc({ delete_untagged: v.deleteUntagged, dry_run: v.dryRun }, signal);
          return refreshed(v.dryRun ? t('Started a garbage collection dry run: its log in History says what would be deleted') : t('Started garbage collection'));
        },
      }),
    ],
  });

  const runAction = defineAction<HarborGcRun>();
  const history = defineResource<HarborGcRun>()({
    type: 'gcRun',
    title: t('History'),
    itemTitle: t('garbage collection run'),
    icon: 'history',
    placement: { under: { type: 'gcSchedule' } },
    shape: 'list',
    key: (h) => String(h.id),
    view: (h) => {
      const p = parameters(h.job_parameters);
      return {
        label: `#${h.id} ${h.job_status ?? ''}`.trim(),
        description: [h.schedule?.type ?? h.job_kind, h.creation_time, p.dry_run ? t('dry run') : undefined, p.delete_untagged ? t('untagged deleted') : undefined].filter(Boolean).join(' · '),
        icon: /error|fail/i.test(h.job_status ?? '') ? 'error' : RUNNING.test(h.job_status ?? '') ? 'loading~spin' : 'history',
      };
    },
    list: (_scope, cursor, opts) => api.gcHistory(cursor, opts?.signal),
    actions: [
      runAction({
        id: 'log',
        title: t('Show Log'),
        icon: 'output',
        async run(ref, _v, signal) {
          const id = numericKey(ref.key, 'garbage collection');
          const log = await api.gcLog(id, signal);
          return { kind: 'file', message: t('Log of garbage collection {0}', id), fileName: `gc-${id}.log`, mediaType: 'text/plain', content: log, refresh: 'none' };
        },
      }),
      runAction({
        id: 'stop',
        title: t('Stop'),
        icon: 'debug-stop',
        when: (h) => RUNNING.test(h.job_status ?? ''),
        confirm: async (h) => ({ message: t('Stop garbage collection {0}?', h.id), detail: t('What it deleted stays deleted.'), button: t('Stop') }),
        async run(ref, _v, signal) {
          const id = numericKey(ref.key, 'garbage collection');
          await api.stopGc(id, signal);
          return done(t('Stopping garbage collection {0}', id));
        },
      }),
    ],
  });
  return [schedule, history];
}

export const gcPart: HarborAdminPart = (host) => gcTypes(host, new HarborSystemApi(host.client));
