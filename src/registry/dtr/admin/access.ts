import { defineAction, defineResource, type ResourceRef, type Scope } from '../../admin';
import { done, namespaceOf, repositoryOf, whole } from '../../adminKit';
import type { FieldChoices } from '../../choices';
import { RegistryError, UnsupportedError } from '../../errors';
import { checkSegment } from '../client';
import type * as s from '../schemas';
import type { AdminContext } from './context';
import { teamAccessForm, setAccessForm } from './forms';
import { t } from '../../l10n';

interface TeamAccessOps {
  type: string;
  under: 'repository' | 'namespace';
  list(scope: Scope, signal?: AbortSignal): Promise<s.DtrTeamAccess[]>;
  set(scope: Scope, team: string, level: s.AccessLevel, signal?: AbortSignal): Promise<void>;
  revoke(scope: Scope, team: string, signal?: AbortSignal): Promise<void>;
  where(scope: Scope): string;
  available(scope: Scope, signal?: AbortSignal): Promise<boolean>;
}

/** Your access to a repository, and team access to repositories and namespaces. */
export function accessTypes(c: AdminContext) {
  const { api, access, myAccess, namespaceAdmin, repoAdmin } = c;

  /**
   * The teams of the organization the scope belongs to, from the account service: team access is granted by team
   * name, and DTR refuses a name that is not one of its teams, so the field takes one of these only.
   */
  const teamChoices: FieldChoices = {
    team: {
      load: async (scope, query, signal) => {
        const q = query.trim().toLowerCase();
        const teams = await api.teams(namespaceOf(scope), signal);
        return teams.filter((t) => t.name.toLowerCase().includes(q)).map((t) => ({ value: t.name, label: t.name }));
      },
    },
  };

  function teamAccessType(o: TeamAccessOps) {
    /** The name of the team an item stands for (its key is the name, or the id when DTR did not name it). */
    const teamName = async (ref: ResourceRef, signal?: AbortSignal): Promise<string> => {
      const entry = (await o.list(ref.scope, signal)).find((x) => (x.team.name ?? x.team.id) === ref.key);
      if (!entry) throw new RegistryError('notFound', `Team ${ref.key} has no access to ${o.where(ref.scope)} any more`);
      if (!entry.team.name) throw new UnsupportedError(`DTR did not say the name of team ${entry.team.id}, and team access is changed by team name; nothing was changed`);
      return checkSegment(entry.team.name, 'team');
    };
    const setAccess = defineAction<s.DtrTeamAccess>()({
      id: 'setAccess',
      title: t('Set Access…'),
      icon: 'key',
      input: { schema: setAccessForm, title: t('Team access') },
      run: async (ref, v, signal) => {
        const team = await teamName(ref, signal);
        await o.set(ref.scope, team, v.accessLevel, signal);
        return done(t('Team {0} now has {1} access to {2}', team, v.accessLevel, o.where(ref.scope)), 'list');
      },
    });
    return defineResource<s.DtrTeamAccess>()({
      type: o.type,
      title: t('Team Access'),
      itemTitle: t('team access'),
      icon: 'organization',
      placement: { under: o.under, group: 'access' },
      shape: 'list',
      available: (scope, signal) => o.available(scope, signal),
      key: (item) => item.team.name ?? item.team.id,
      view: (item) => ({ label: item.team.name ?? `team ${item.team.id}`, description: item.accessLevel, tooltip: item.team.name ? undefined : 'DTR did not say the name of this team', icon: 'organization' }),
      list: async (scope, _cursor, opts) => whole(await o.list(scope, opts?.signal)),
      create: {
        title: t('Grant Team Access'),
        form: { schema: teamAccessForm, title: t('Grant team access'), choices: teamChoices },
        run: async (scope, v, signal) => {
          await o.set(scope, checkSegment(v.team, 'team'), v.accessLevel, signal);
          return done(t('Team {0} now has {1} access to {2}', v.team, v.accessLevel, o.where(scope)));
        },
      },
      remove: {
        title: t('Revoke Team Access'),
        confirm: (item, ref) => Promise.resolve({ message: t('Revoke the {0} access of team {1} to {2}?', item.accessLevel, item.team.name ?? item.team.id, o.where(ref.scope)), button: t('Revoke Access') }),
        run: async (ref, signal) => {
          const team = await teamName(ref, signal);
          await o.revoke(ref.scope, team, signal);
          return done(t('Revoked the access of team {0} to {1}', team, o.where(ref.scope)));
        },
      },
      actions: [setAccess],
    });
  }

  const repoTeamAccess = teamAccessType({
    type: 'repositoryTeamAccess',
    under: 'repository',
    list: (scope, signal) => api.repoTeamAccess(repositoryOf(scope), signal),
    set: (scope, team, level, signal) => api.setRepoTeamAccess(repositoryOf(scope), team, level, signal),
    revoke: (scope, team, signal) => api.revokeRepoTeamAccess(repositoryOf(scope), team, signal),
    where: (scope) => scope.repository ?? '',
    // Team access exists on organization repositories, for their admins.
    available: (scope, signal) => repoAdmin(scope, signal),
  });

  const namespaceTeamAccess = teamAccessType({
    type: 'namespaceTeamAccess',
    under: 'namespace',
    list: (scope, signal) => api.namespaceTeamAccess(namespaceOf(scope), signal),
    set: (scope, team, level, signal) => api.setNamespaceTeamAccess(namespaceOf(scope), team, level, signal),
    revoke: (scope, team, signal) => api.revokeNamespaceTeamAccess(namespaceOf(scope), team, signal),
    where: (scope) => `namespace ${scope.namespace ?? ''}`,
    available: async (scope, signal) => {
      if (!scope.namespace) return false;
      // A user's own namespace has no teams; an organization's team access is for its admins.
      if (scope.namespace === (await api.client.username())) return false;
      return namespaceAdmin(scope.namespace, signal);
    },
  });

  const myAccessType = defineResource<{ level: s.AccessLevel | 'unknown'; repository: string }>()({
    type: 'myRepositoryAccess',
    title: t('Your Access'),
    itemTitle: t('your access'),
    icon: 'person',
    placement: { under: 'repository', group: 'access' },
    shape: 'singleton',
    available: async (scope) => !!scope.repository && (await api.client.hasCredentials()),
    view: (item) => ({ label: t('Your access'), description: item.level, tooltip: t('Your effective access to {0}', item.repository), icon: 'person' }),
    get: async (ref, signal) => {
      const repository = repositoryOf(ref.scope);
      access.delete(repository);
      return { level: (await myAccess(repository, signal)) ?? 'unknown', repository };
    },
  });

  return [myAccessType, repoTeamAccess, namespaceTeamAccess];
}
