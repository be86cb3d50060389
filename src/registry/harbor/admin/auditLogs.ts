import { defineResource } from '../../admin';
import { namespaceOf } from '../../adminKit';
import { t } from '../../l10n';
import { projectApiOf } from '../projectApi';
import type { AuditLog } from '../projectSchemas';
import { type HarborAdminPart, signedInPerson } from './shared';

/** `2024-06-01T10:20:30Z` → `2024-06-01 10:20:30 UTC`; other text as sent (bounded). */
function when(v: string | null | undefined): string {
  if (!v) return '?';
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : v.slice(0, 40);
}

/** The audit log of a project, newest first, paged as Harbor pages it (project admins and maintainers). */
export const auditLogsPart: HarborAdminPart = (host) => {
  const api = projectApiOf(host.client);
  const logs = defineResource<AuditLog>()({
    type: 'auditLog',
    title: t('Audit log'),
    itemTitle: t('audit log entry'),
    icon: 'history',
    placement: { under: 'namespace' },
    available: () => signedInPerson(host),
    shape: 'list',
    key: (l) => String(l.id),
    view: (l) => ({
      label: `${l.operation ?? '?'} ${l.resource ?? ''}`.trim(),
      description: `${l.username ?? '?'} · ${when(l.op_time)}`,
      tooltip: t('{0} by {1} at {2} on {3} {4}', l.operation ?? '?', l.username ?? '?', when(l.op_time), l.resource_type ?? '', l.resource ?? ''),
      icon: 'history',
    }),
    list: (scope, cursor, opts) => api.auditLogs(namespaceOf(scope), cursor, opts?.pageSize, opts?.signal),
  });
  return [logs];
};
