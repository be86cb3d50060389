import type { AdminModel } from '../../admin';
import { t } from '../../l10n';
import { retentionPart } from './retention';
import { sbomPart } from './sbom';
import type { HarborAdminHost, HarborAdminPart } from './shared';
import { allowlistsPart } from './allowlists';
import { auditLogsPart } from './auditLogs';
import { immutabilityPart } from './immutability';
import { membersPart } from './members';
import { projectsPart } from './projects';
import { quotasPart } from './quotas';
import { webhooksPart } from './webhooks';
import { artifactsPart } from './artifacts';
import { robotsPart } from './robots';
import { systemPart } from './system';
import { replicationPart } from './replication';
import { gcPart } from './gc';

export type { HarborAdminHost } from './shared';

/**
 * The parts of Harbor's admin model, one file each (projects, artifacts, retention, robots, members, webhooks,
 * system administration…). Add a part with one line.
 */
const parts: HarborAdminPart[] = [
  projectsPart,
  quotasPart,
  allowlistsPart,
  immutabilityPart,
  membersPart,
  auditLogsPart,
  retentionPart,
  webhooksPart,
  artifactsPart,
  robotsPart,
  systemPart,
  replicationPart,
  gcPart,
  sbomPart,
];

/**
 * What a Harbor connection administers, declared for the generic UI. Types the server or the caller lacks (older
 * Harbor, no scanner, no admin role) say so through `available` and are not shown.
 */
export function harborAdminModel(host: HarborAdminHost): AdminModel {
  return {
    groups: [
      { id: 'policies', title: t('Policies'), icon: 'shield' },
      { id: 'access', title: t('Access'), icon: 'lock' },
      { id: 'administration', title: t('Administration'), icon: 'server' },
    ],
    types: parts.flatMap((part) => part(host)),
  };
}
