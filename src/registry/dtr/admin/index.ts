import type { AdminModel } from '../../admin';
import { accessTypes } from './access';
import { administrationTypes } from './administration';
import { adminContext, type DtrAdminHost } from './context';
import { coreNodeOps } from './nodes';
import { policiesTypes } from './policies';
import { webhooksTypes } from './webhooks';
import { t } from '../../l10n';

export type { DtrAdminHost } from './context';

/*
 * DTR's admin model: repository create / edit / delete, tag actions (promote, push-mirror, scan, scan summary and its export,
 * delete manifest), per-repository policies, team access, webhooks and events, API tokens, and administration for
 * DTR admins. Feature flags (`/api/v0/meta/features`) hide what is not licensed or enabled; the signed-in user's
 * access to a repository hides what they cannot run.
 */

/**
 * Builds the admin model of one DTR connection. What it learns (feature flags, the user's access levels, whether
 * they are an admin) is kept in the model; the provider builds a new one when the credentials change.
 */
export function buildAdminModel(p: DtrAdminHost): AdminModel {
  const c = adminContext(p);
  return {
    groups: [
      { id: 'policies', title: t('Policies'), icon: 'law' },
      { id: 'access', title: t('Access'), icon: 'shield' },
      { id: 'account', title: t('Account'), icon: 'account' },
      { id: 'administration', title: t('Administration'), icon: 'server' },
    ],
    types: [...coreNodeOps(c), ...policiesTypes(c), ...accessTypes(c), ...webhooksTypes(c), ...administrationTypes(c)],
  };
}
