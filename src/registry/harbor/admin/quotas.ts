import * as z from 'zod';
import { defineResource } from '../../admin';
import { namespaceOf, refreshed } from '../../adminKit';
import { BadResponseError, NotFoundError } from '../../errors';
import { t } from '../../l10n';
import { projectApiOf } from '../projectApi';
import { formatSize, parseSize, sizeField } from './projectKit';
import { type HarborAdminPart, signedInPerson } from './shared';

interface QuotaItem {
  project: string;
  /** Bytes stored, when Harbor shows the quota to the caller. */
  used?: number;
  /** The storage limit in bytes; -1: no limit. */
  hard?: number;
}

const quotaForm = z.object({
  storageLimit: sizeField({ optional: false }).meta({ title: t('Storage quota'), placeholder: t('10 GB'), description: t('A size with its unit (MB, GB, TB; 1024-based as in Harbor) or -1 for no limit') }),
});

/** `1.2 GB of 10 GB (12%)`, `1.2 GB, no limit`. */
export function quotaText(used: number | undefined, hard: number | undefined): string {
  if (hard === undefined) return used === undefined ? t('not shown to you') : t('{0} used', formatSize(used));
  if (hard < 0) return t('{0}, no limit', formatSize(used ?? 0));
  const pct = hard > 0 && used !== undefined ? ` (${Math.round((used / hard) * 100)}%)` : '';
  return t('{0} of {1}', formatSize(used ?? 0), formatSize(hard)) + pct;
}

/** A project's storage quota: shown to its members, changed by system administrators (`PUT /quotas/{id}`). */
export const quotasPart: HarborAdminPart = (host) => {
  const api = projectApiOf(host.client);

  /** The quota record of a project, through its id (system administrators only). */
  const quotaOf = async (project: string, signal?: AbortSignal) => {
    const p = await host.api.project(project, signal);
    if (typeof p.project_id !== 'number') throw new BadResponseError(`Harbor sent project ${project} without its id`);
    const q = await api.projectQuota(p.project_id, signal);
    if (!q) throw new NotFoundError(`Harbor has no quota for project ${project} (quotas may be turned off)`);
    return q;
  };

  const quota = defineResource<QuotaItem>()({
    type: 'projectQuota',
    title: t('Quota'),
    itemTitle: t('project quota'),
    icon: 'database',
    placement: { under: 'namespace' },
    available: () => signedInPerson(host),
    shape: 'singleton',
    view: (q) => ({
      label: t('Quota'),
      description: quotaText(q.used, q.hard),
      tooltip: t('Storage of project {0}. System administrators change the limit.', q.project),
      icon: q.hard !== undefined && q.hard > 0 && (q.used ?? 0) >= q.hard * 0.9 ? 'warning' : 'database',
    }),
    async get(ref, signal) {
      const project = namespaceOf(ref.scope);
      const s = await api.summary(project, signal);
      const used = s.quota?.used?.storage;
      const hard = s.quota?.hard?.storage;
      return { project, ...(typeof used === 'number' ? { used } : {}), ...(typeof hard === 'number' ? { hard } : {}) };
    },
    update: {
      title: t('Edit Quota'),
      form: { schema: quotaForm, title: t('Project quota'), description: t('Needs the Harbor system administrator role') },
      async values(ref, signal) {
        const q = await quotaOf(namespaceOf(ref.scope), signal);
        const hard = q.hard?.storage;
        return { storageLimit: typeof hard === 'number' ? (hard < 0 ? '-1' : formatSize(hard)) : '' };
      },
      async run(ref, v, signal) {
        const project = namespaceOf(ref.scope);
        const bytes = parseSize(v.storageLimit) ?? -1;
        const q = await quotaOf(project, signal);
        await api.updateQuota(q.id, bytes, signal);
        const now = (await api.summary(project, signal)).quota?.hard?.storage;
        if (typeof now === 'number' && now !== bytes) throw new BadResponseError(`Harbor answered the save but the quota of ${project} is ${formatSize(now)}, not ${formatSize(bytes)}`);
        return refreshed(t('The storage quota of {0} is now {1}', project, bytes < 0 ? t('unlimited') : formatSize(bytes)));
      },
    },
  });

  return [quota];
};
