import * as z from 'zod';
import { defineResource } from '../../admin';
import { done, namespaceOf } from '../../adminKit';
import type { Choice, ChoiceSource } from '../../choices';
import { BadResponseError } from '../../errors';
import { t } from '../../l10n';
import { type MemberReq, projectApiOf } from '../projectApi';
import type { ProjectMember } from '../projectSchemas';
import { ROLES, roleField, roleNameOf, roleTitle } from './projectKit';
import { type HarborAdminPart, signedInPerson } from './shared';

const GROUP_TYPES: Record<number, string> = { 1: 'LDAP group', 2: 'HTTP group', 3: 'OIDC group' };

const addForm = z
  .object({
    user: z.string().trim().default('').meta({ title: t('User'), description: t('A Harbor user, searched by name') }),
    group: z.string().trim().regex(/^(\d+)?$/, t('Pick a group from the list')).default('').meta({ title: t('Group'), description: t('A user group (LDAP, HTTP or OIDC), searched by name; instead of a user') }),
    role: roleField.default('developer'),
  })
  .refine((v) => !!v.user !== !!v.group, { message: t('Pick a user or a group (one of them)'), path: ['user'] });

const roleForm = z.object({ role: roleField });

function memberName(m: ProjectMember): string {
  return m.entity_name || `#${m.id}`;
}

function isGroup(m: ProjectMember): boolean {
  return m.entity_type === 'g';
}

function memberId(key: string): number {
  if (!/^\d{1,15}$/.test(key)) throw new BadResponseError(`"${key.slice(0, 40)}" is not a member id`);
  return Number(key);
}

/** Members of a project (users and groups with a role): list, add picked from the server, change role, remove. */
export const membersPart: HarborAdminPart = (host) => {
  const api = projectApiOf(host.client);

  const users: ChoiceSource = {
    title: t('users'),
    minQuery: 1,
    async load(_scope, query, signal): Promise<Choice[]> {
      const found = await api.searchUsers(query.trim(), signal);
      return found.filter((u) => !!u.username).map((u) => ({ value: u.username!, label: u.username! }));
    },
  };
  const groups: ChoiceSource = {
    title: t('user groups'),
    minQuery: 1,
    async load(_scope, query, signal): Promise<Choice[]> {
      const found = await api.searchGroups(query.trim(), signal);
      return found
        .filter((g) => typeof g.id === 'number' && !!g.group_name)
        .map((g) => ({ value: String(g.id), label: g.group_name!, ...(g.group_type && GROUP_TYPES[g.group_type] ? { description: GROUP_TYPES[g.group_type] } : {}) }));
    },
  };

  const members = defineResource<ProjectMember>()({
    type: 'projectMember',
    title: t('Members'),
    itemTitle: t('member'),
    icon: 'person',
    placement: { under: 'namespace', group: 'access' },
    available: () => signedInPerson(host),
    shape: 'list',
    key: (m) => String(m.id),
    view: (m) => ({
      label: memberName(m),
      description: `${roleTitle(m.role_id)}${isGroup(m) ? ` · ${t('group')}` : ''}`,
      tooltip: isGroup(m) ? t('Group {0}: {1}', memberName(m), roleTitle(m.role_id)) : t('User {0}: {1}', memberName(m), roleTitle(m.role_id)),
      icon: isGroup(m) ? 'organization' : 'person',
    }),
    list: (scope, cursor, opts) => api.members(namespaceOf(scope), cursor, opts?.pageSize, opts?.signal),
    get: (ref, signal) => api.member(namespaceOf(ref.scope), memberId(ref.key), signal),
    create: {
      title: t('Add Member'),
      form: { schema: addForm, title: t('New member'), description: t('Needs the project admin role'), submitLabel: t('Add Member'), choices: { user: users, group: groups } },
      async run(scope, v, signal) {
        const project = namespaceOf(scope);
        const role_id = ROLES[v.role];
        const req: MemberReq = v.user ? { role_id, member_user: { username: v.user } } : { role_id, member_group: { id: Number(v.group) } };
        await api.addMember(project, req, signal);
        return done(v.user ? t('Added user {0} to {1} as {2}', v.user, project, roleTitle(role_id)) : t('Added the group to {0} as {1}', project, roleTitle(role_id)), 'item');
      },
    },
    update: {
      title: t('Change Role'),
      form: { schema: roleForm, title: t('Member role'), description: t('Needs the project admin role') },
      async values(ref, signal) {
        const m = await api.member(namespaceOf(ref.scope), memberId(ref.key), signal);
        return { role: roleNameOf(m.role_id) ?? 'guest' };
      },
      async run(ref, v, signal) {
        const project = namespaceOf(ref.scope);
        const id = memberId(ref.key);
        await api.setMemberRole(project, id, ROLES[v.role], signal);
        const m = await api.member(project, id, signal);
        if (m.role_id !== ROLES[v.role]) throw new BadResponseError(`Harbor answered the save but ${memberName(m)} is still ${roleTitle(m.role_id)} in ${project}`);
        return done(t('{0} is now {1} in {2}', memberName(m), roleTitle(m.role_id), project));
      },
    },
    remove: {
      title: t('Remove Member'),
      confirm: (m, ref) =>
        Promise.resolve({
          message: isGroup(m) ? t('Remove group {0} ({1}) from project {2}?', memberName(m), roleTitle(m.role_id), namespaceOf(ref.scope)) : t('Remove user {0} ({1}) from project {2}?', memberName(m), roleTitle(m.role_id), namespaceOf(ref.scope)),
          detail: t('They lose the access the role gave them in this project.'),
          button: t('Remove Member'),
        }),
      async run(ref, signal) {
        const project = namespaceOf(ref.scope);
        await api.removeMember(project, memberId(ref.key), signal);
        return done(t('Removed the member from {0}', project));
      },
    },
  });

  return [members];
};
