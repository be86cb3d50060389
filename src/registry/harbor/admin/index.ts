import type { AdminModel } from '../../admin';
import { t } from '../../l10n';
import { sbomPart } from './sbom';
import type { HarborAdminHost, HarborAdminPart } from './shared';

export type { HarborAdminHost } from './shared';

/**
 * The parts of Harbor's admin model, one file each (projects, artifacts, retention, robots, members, webhooks,
 * system administration…). Add a part with one line.
 */
const parts: HarborAdminPart[] = [
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
