import type { AdminModel } from '../../admin';
import type { QuayAdminHost } from './shared';
import { adminCtx } from './shared';
import { accessTypes } from './access';
import { accountTypes } from './account';
import { organizationTypes } from './organization';
import { policyTypes } from './policies';
import { repositoryTypes } from './repository';
import { mirrorTypes } from './mirroring';
import { tagTypes } from './tags';
import { t } from '../../l10n';

export { durationSeconds, formatDuration, type QuayAdminHost } from './shared';

/**
 * What a Quay connection administers, declared for the generic UI: repositories (create, edit, state, delete), tags
 * (add/move, expiration, history with restore, labels), policies (mirroring, notifications, auto-prune, immutability,
 * default tag expiration), access (permissions, teams, robots) and account items (application tokens, quota, usage
 * logs, the optional `/v2` credential). Types the server lacks (by its discovery document) are not available.
 */
export function quayAdminModel(p: QuayAdminHost): AdminModel {
  const c = adminCtx(p);
  const { tagHistory, labels, tagNode } = tagTypes(c);
  const { mirror, notifications } = mirrorTypes(c);
  const { autoPrune, immutability } = policyTypes(c);
  const { orgSettings, proxyCache } = organizationTypes(c);
  const { permissions, teams, members, robots, robotPermissions } = accessTypes(c);
  const { appTokens, quotas, logs, logsInRange, registryLogin } = accountTypes(c);
  const { namespaceNode, repositoryNode } = repositoryTypes(c, { namespace: [logsInRange('namespace')], repository: [logsInRange('repository')] });

  return {
    groups: [
      { id: 'policies', title: t('Policies'), icon: 'shield' },
      { id: 'access', title: t('Access'), icon: 'lock' },
      { id: 'account', title: t('Account'), icon: 'account' },
    ],
    types: [
      namespaceNode,
      repositoryNode,
      tagNode,
      tagHistory,
      labels,
      mirror,
      notifications,
      autoPrune('repository'),
      autoPrune('namespace'),
      immutability('repository'),
      immutability('namespace'),
      orgSettings,
      proxyCache,
      permissions,
      teams,
      members,
      robots,
      robotPermissions,
      appTokens,
      quotas,
      logs('repository'),
      logs('namespace'),
      registryLogin,
    ],
  };
}
