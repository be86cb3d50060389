import type * as z from 'zod';
import { defineResource } from '../../admin';
import type { Scope } from '../../admin';
import { BadResponseError, UnsupportedError } from '../../errors';
import { registerSecret } from '../../redact';
import type { RepoPermission } from '../api';
import { permissionForm, roleForm, teamForm, teamEditForm, memberForm, robotForm } from '../forms';
import { done, namespaceOf, plural, repositoryOf, whole } from '../../adminKit';
import { when } from './shared';
import type { AdminCtx } from './shared';
import { entityChoices } from './entities';
import * as s from '../schemas';
import { t } from '../../l10n';

/** Access: repository permissions, teams and their members, robot accounts. */
export function accessTypes(c: AdminCtx) {
  const { p, api, isOrg } = c;
  const choices = entityChoices(c);

  // ---- Access: repository permissions ----
  const permissionKey = (x: RepoPermission) => `${x.kind}:${x.name}`;
  const parsePermissionKey = (key: string): { kind: 'user' | 'team'; name: string } => {
    const i = key.indexOf(':');
    const kind = key.slice(0, i);
    if (kind !== 'user' && kind !== 'team') throw new BadResponseError(`Invalid permission reference ${key}`);
    return { kind, name: key.slice(i + 1) };
  };
  const permissions = defineResource<RepoPermission & { repository: string }>()({
    type: 'repositoryPermission',
    title: t('Permissions'),
    itemTitle: t('permission'),
    icon: 'key',
    placement: { under: 'repository', group: 'access' },
    shape: 'list',
    key: permissionKey,
    view: (x) => ({ label: x.name, description: t('{0} · {1}', x.kind === 'team' ? 'team' : x.isRobot ? 'robot' : 'user', x.role), icon: x.kind === 'team' ? 'organization' : x.isRobot ? 'robot' : 'person' }),
    async list(scope, _cursor, opts) {
      const repository = repositoryOf(scope);
      return whole((await api.permissions(repository, opts?.signal)).map((x) => ({ ...x, repository })));
    },
    create: {
      title: t('Grant Permission'),
      form: { schema: permissionForm, choices: choices.grantee },
      async run(scope, v, signal) {
        await api.setPermission(repositoryOf(scope), v.kind, v.name, v.role, signal);
        return done(t('Granted {0} to {1} {2}', v.role, v.kind, v.name));
      },
    },
    update: {
      title: t('Change Role'),
      form: { schema: roleForm },
      async values(ref, signal) {
        const { kind, name } = parsePermissionKey(ref.key);
        const x = (await api.permissions(repositoryOf(ref.scope), signal)).find((y) => y.kind === kind && y.name === name);
        return { role: x?.role ?? 'read' };
      },
      async run(ref, v, signal) {
        const { kind, name } = parsePermissionKey(ref.key);
        await api.setPermission(repositoryOf(ref.scope), kind, name, v.role, signal);
        return done(t('{0} now has {1}', name, v.role));
      },
    },
    remove: {
      title: t('Remove Permission'),
      confirm: async (x) => ({ message: t('Remove the {0} permission of {1} {2} on {3}?', x.role, x.kind, x.name, x.repository), button: t('Remove Permission') }),
      async run(ref, signal) {
        const { kind, name } = parsePermissionKey(ref.key);
        await api.removePermission(repositoryOf(ref.scope), kind, name, signal);
        return done(t('Removed the permission of {0}', name));
      },
    },
  });

  // ---- Access: teams and members ----
  const teams = defineResource<s.QuayTeam & { org: string }>()({
    type: 'team',
    title: t('Teams'),
    itemTitle: t('team'),
    icon: 'organization',
    placement: { under: 'namespace', group: 'access' },
    shape: 'list',
    available: (scope, signal) => isOrg(scope, signal),
    key: (t) => t.name,
    view: (t) => ({
      label: t.name,
      description: [t.role, t.member_count != null ? plural(t.member_count, 'member') : undefined, t.description ?? undefined].filter(Boolean).join(' · '),
      icon: 'organization',
    }),
    async list(scope, _cursor, opts) {
      const org = namespaceOf(scope);
      return whole((await api.teams(org, opts?.signal)).map((t) => ({ ...t, org })));
    },
    create: {
      title: t('Create Team'),
      form: { schema: teamForm },
      async run(scope, v, signal) {
        await api.putTeam(namespaceOf(scope), v.name, v.role, v.description, signal);
        return done(t('Created team {0}', v.name));
      },
    },
    update: {
      title: t('Edit Team'),
      form: { schema: teamEditForm },
      async values(ref, signal) {
        const t = (await api.teams(namespaceOf(ref.scope), signal)).find((x) => x.name === ref.key);
        return { role: teamEditForm.shape.role.options.find((r) => r === t?.role) ?? 'member', description: t?.description ?? undefined };
      },
      async run(ref, v, signal) {
        await api.putTeam(namespaceOf(ref.scope), ref.key, v.role, v.description, signal);
        return done(t('Saved team {0}', ref.key));
      },
    },
    remove: {
      title: t('Delete Team'),
      confirm: async (tok) => ({ message: t('Delete team {0} of {1}?', tok.name, tok.org), detail: t('Its members lose the permissions the team gives.'), button: t('Delete Team') }),
      async run(ref, signal) {
        await api.deleteTeam(namespaceOf(ref.scope), ref.key, signal);
        return done(t('Deleted team {0}', ref.key));
      },
    },
  });

  const teamOf = (scope: Scope): { org: string; team: string } => {
    if (!scope.parent || scope.parent.type !== 'team') throw new BadResponseError('No team in this place of the tree');
    return { org: namespaceOf(scope.parent.scope), team: scope.parent.key };
  };
  const members = defineResource<z.infer<typeof s.teamMember> & { team: string }>()({
    type: 'teamMember',
    title: t('Members'),
    itemTitle: t('team member'),
    icon: 'person',
    placement: { under: { type: 'team' } },
    shape: 'list',
    key: (m) => m.name,
    view: (m) => ({ label: m.name, description: [m.is_robot ? 'robot' : undefined, m.invited ? 'invited' : undefined].filter(Boolean).join(' · ') || undefined, icon: m.is_robot ? 'robot' : 'person' }),
    async list(scope, _cursor, opts) {
      const { org, team } = teamOf(scope);
      return whole((await api.teamMembers(org, team, opts?.signal)).map((m) => ({ ...m, team })));
    },
    create: {
      title: t('Add Member'),
      form: { schema: memberForm, choices: choices.member },
      async run(scope, v, signal) {
        const { org, team } = teamOf(scope);
        await api.addTeamMember(org, team, v.name, signal);
        return done(t('Added {0} to {1}', v.name, team));
      },
    },
    remove: {
      title: t('Remove Member'),
      confirm: async (m) => ({ message: t('Remove {0} from team {1}?', m.name, m.team), button: t('Remove Member') }),
      async run(ref, signal) {
        const { org, team } = teamOf(ref.scope);
        await api.removeTeamMember(org, team, ref.key, signal);
        return done(t('Removed {0} from {1}', ref.key, team));
      },
    },
  });

  // ---- Access: robot accounts (organization, or the user's own namespace) ----
  const robotOwner = async (scope: Scope, signal?: AbortSignal): Promise<string | undefined> => {
    const ns = namespaceOf(scope);
    const kind = await p.namespaceKind(ns, signal);
    if (kind === 'unknown') throw new UnsupportedError(`Robot accounts of ${ns} are not yours to manage`);
    return kind === 'org' ? ns : undefined;
  };
  const shortname = (full: string) => {
    const i = full.indexOf('+');
    return i >= 0 ? full.slice(i + 1) : full;
  };
  const robots = defineResource<s.QuayRobot>()({
    type: 'robot',
    title: t('Robot accounts'),
    itemTitle: t('robot account'),
    icon: 'robot',
    placement: { under: 'namespace', group: 'access' },
    shape: 'list',
    available: async (scope, signal) => (await p.namespaceKind(namespaceOf(scope), signal).catch(() => 'unknown')) !== 'unknown',
    key: (r) => r.name,
    view: (r) => ({
      label: r.name,
      description: [r.description ?? undefined, r.teams?.length ? `teams ${r.teams.map((t) => t.name).join(', ')}` : undefined, r.repositories?.length ? `${r.repositories.length} repositories` : undefined]
        .filter(Boolean)
        .join(' · '),
      tooltip: [`Created ${when(r.created) ?? '?'}`, `Last used ${when(r.last_accessed) ?? 'never'}`, r.repositories?.length ? `Repositories: ${r.repositories.join(', ')}` : ''].filter(Boolean).join('\n'),
      icon: 'robot',
    }),
    async list(scope, _cursor, opts) {
      return whole(await api.robots(await robotOwner(scope, opts?.signal), opts?.signal));
    },
    create: {
      title: t('Create Robot Account'),
      form: { schema: robotForm },
      async run(scope, v, signal) {
        const r = await api.createRobot(await robotOwner(scope, signal), v.shortname, v.description, signal);
        registerSecret(r.token);
        return { kind: 'secret', message: t('Created robot {0}. Copy its token now: Quay shows it to administrators only.', r.name), label: t('Token of {0}', r.name), secret: r.token, refresh: 'list' };
      },
    },
    remove: {
      title: t('Delete Robot Account'),
      confirm: async (r) => ({ message: t('Delete robot account {0}?', r.name), detail: t('Anything logged in with its token stops working.'), button: t('Delete Robot') }),
      async run(ref, signal) {
        await api.deleteRobot(await robotOwner(ref.scope, signal), shortname(ref.key), signal);
        return done(t('Deleted robot {0}', ref.key));
      },
    },
    actions: [
      {
        id: 'regenerate',
        title: t('Regenerate Token'),
        icon: 'refresh',
        confirm: async (r) => ({ message: t('Regenerate the token of {0}?', r.name), detail: t('The current token stops working at once.'), button: t('Regenerate Token') }),
        async run(ref, _input, signal) {
          const r = await api.regenerateRobot(await robotOwner(ref.scope, signal), shortname(ref.key), signal);
          registerSecret(r.token);
          return { kind: 'secret', message: t('New token of {0}', r.name), label: t('Token of {0}', r.name), secret: r.token, refresh: 'none' };
        },
      },
    ],
  });

  const robotPermissions = defineResource<{ repository: string; role: string }>()({
    type: 'robotPermission',
    title: t('Permissions'),
    itemTitle: t('robot permission'),
    icon: 'key',
    placement: { under: { type: 'robot' } },
    shape: 'list',
    key: (x) => x.repository,
    view: (x) => ({ label: x.repository, description: x.role, icon: 'repo' }),
    async list(scope, _cursor, opts) {
      if (!scope.parent || scope.parent.type !== 'robot') throw new BadResponseError('No robot account in this place of the tree');
      const owner = await robotOwner(scope.parent.scope, opts?.signal);
      return whole(await api.robotPermissions(owner, shortname(scope.parent.key), opts?.signal));
    },
  });

  return { permissions, teams, members, robots, robotPermissions, choices };
}
