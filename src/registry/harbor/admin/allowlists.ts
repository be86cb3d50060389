import * as z from 'zod';
import { defineResource, type ItemView } from '../../admin';
import { namespaceOf, refreshed } from '../../adminKit';
import { BadResponseError } from '../../errors';
import { t } from '../../l10n';
import { projectApiOf } from '../projectApi';
import type { CveAllowlist } from '../schemas';
import { capped, cveIdField, expiryField, expirySeconds, formatExpiry } from './projectKit';
import { type HarborAdminPart, signedInPerson } from './shared';

interface AllowlistItem {
  /** The project; absent for the system allowlist. */
  project?: string;
  ids: string[];
  /** Unix seconds; absent: never expires. */
  expiresAt?: number;
  /** The project uses the system allowlist instead of its own. */
  reusesSystem?: boolean;
}

const allowlistForm = z.object({
  items: z.array(cveIdField).default([]).meta({ title: t('CVE ids'), description: t('Vulnerabilities accepted: they do not block pulls and are marked in reports'), placeholder: t('CVE-2024-12345') }),
  expiresAt: expiryField.meta({ title: t('Expires'), placeholder: t('2026-12-31'), description: t('After this date (UTC) the allowlist no longer applies. Empty: never') }),
});

function itemOf(list: CveAllowlist | null | undefined): Pick<AllowlistItem, 'ids' | 'expiresAt'> {
  const ids = (list?.items ?? []).map((i) => i.cve_id).filter((id): id is string => !!id);
  return { ids, ...(typeof list?.expires_at === 'number' && list.expires_at > 0 ? { expiresAt: list.expires_at } : {}) };
}

function view(a: AllowlistItem, title: string): ItemView {
  const expired = a.expiresAt !== undefined && a.expiresAt * 1000 < Date.now();
  const count = a.ids.length === 1 ? t('1 CVE') : t('{0} CVEs', a.ids.length);
  const until = a.expiresAt === undefined ? t('never expires') : expired ? t('expired {0}', formatExpiry(a.expiresAt)) : t('until {0}', formatExpiry(a.expiresAt));
  return {
    label: title,
    description: a.reusesSystem ? t('uses the system allowlist') : `${count} · ${until}`,
    tooltip: a.reusesSystem ? t('Project {0} uses the system CVE allowlist; its own list ({1}) is ignored', a.project ?? '', a.ids.length ? capped(a.ids) : t('empty')) : a.ids.length ? capped(a.ids, 20) : t('No CVE is allowlisted'),
    icon: expired ? 'warning' : 'checklist',
  };
}

const valuesOf = (a: Pick<AllowlistItem, 'ids' | 'expiresAt'>) => ({ items: a.ids, expiresAt: a.expiresAt !== undefined ? formatExpiry(a.expiresAt) : '' });

/** Compares what Harbor keeps after a save with what was sent. */
function checkSaved(what: string, sent: { ids: string[]; expiresAt?: number }, now: Pick<AllowlistItem, 'ids' | 'expiresAt'>): void {
  const same = now.ids.length === sent.ids.length && sent.ids.every((id) => now.ids.includes(id)) && now.expiresAt === sent.expiresAt;
  if (!same) throw new BadResponseError(`Harbor answered the save but ${what} is now ${now.ids.length ? now.ids.join(', ') : 'empty'}${now.expiresAt ? ` until ${formatExpiry(now.expiresAt)}` : ''}`);
}

/** The CVE allowlist of each project (project admins edit it) and the system allowlist (system administrators). */
export const allowlistsPart: HarborAdminPart = (host) => {
  const api = projectApiOf(host.client);

  const projectAllowlist = defineResource<AllowlistItem>()({
    type: 'projectCveAllowlist',
    title: t('CVE allowlist'),
    itemTitle: t('CVE allowlist'),
    icon: 'checklist',
    placement: { under: 'namespace', group: 'policies' },
    available: () => signedInPerson(host),
    shape: 'singleton',
    view: (a) => view(a, t('CVE allowlist')),
    async get(ref, signal) {
      const project = namespaceOf(ref.scope);
      const p = await host.api.project(project, signal);
      return { project, ...itemOf(p.cve_allowlist), reusesSystem: p.metadata?.reuse_sys_cve_allowlist === 'true' };
    },
    update: {
      title: t('Edit CVE Allowlist'),
      form: { schema: allowlistForm, title: t('Project CVE allowlist'), description: t("Needs the project admin role. While the project uses the system allowlist (its settings), this list is kept but ignored.") },
      values: async (ref, signal) => valuesOf(itemOf((await host.api.project(namespaceOf(ref.scope), signal)).cve_allowlist)),
      async run(ref, v, signal) {
        const project = namespaceOf(ref.scope);
        const p = await host.api.project(project, signal);
        const ids = [...new Set(v.items)];
        const expiresAt = expirySeconds(v.expiresAt);
        await api.updateProject(project, { cve_allowlist: { ...(typeof p.project_id === 'number' ? { project_id: p.project_id } : {}), items: ids.map((cve_id) => ({ cve_id })), expires_at: expiresAt ?? null } }, signal);
        checkSaved(`the CVE allowlist of ${project}`, { ids, expiresAt }, itemOf((await host.api.project(project, signal)).cve_allowlist));
        return refreshed(t('Saved the CVE allowlist of {0} ({1})', project, ids.length === 1 ? t('1 CVE') : t('{0} CVEs', ids.length)));
      },
    },
  });

  const systemAllowlist = defineResource<AllowlistItem>()({
    type: 'systemCveAllowlist',
    title: t('System CVE allowlist'),
    itemTitle: t('system CVE allowlist'),
    icon: 'checklist',
    placement: { under: 'registry', group: 'administration' },
    shape: 'singleton',
    available: (_scope, signal) => api.isSysAdmin(signal),
    view: (a) => view(a, t('System CVE allowlist')),
    get: async (_ref, signal) => itemOf(await host.api.systemAllowlist(signal)),
    update: {
      title: t('Edit System CVE Allowlist'),
      form: { schema: allowlistForm, title: t('System CVE allowlist'), description: t('Applies to every project that uses the system allowlist. Needs the Harbor system administrator role.') },
      values: async (_ref, signal) => valuesOf(itemOf(await host.api.systemAllowlist(signal))),
      async run(_ref, v, signal) {
        const ids = [...new Set(v.items)];
        const expiresAt = expirySeconds(v.expiresAt);
        await api.setSystemAllowlist(ids, expiresAt, signal);
        checkSaved('the system CVE allowlist', { ids, expiresAt }, itemOf(await host.api.systemAllowlist(signal)));
        return refreshed(t('Saved the system CVE allowlist ({0})', ids.length === 1 ? t('1 CVE') : t('{0} CVEs', ids.length)));
      },
    },
  });

  return [projectAllowlist, systemAllowlist];
};
