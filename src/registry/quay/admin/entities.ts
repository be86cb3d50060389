import type { Scope } from '../../admin';
import type { FieldChoices } from '../../choices';
import { BadResponseError } from '../../errors';
import { namespaceOf } from '../../adminKit';
import type { AdminCtx } from './shared';

/**
 * Choices for the fields that name a Quay entity (a user, a robot account, a team): they come from the server, and
 * only entities Quay has are offered, since every one of these calls refuses a name it does not know.
 */
type Choice = Awaited<ReturnType<FieldChoices[string]['load']>>[number];

export function entityChoices(c: AdminCtx) {
  const { p, api, isOrg } = c;

  /** The robots of a namespace (an organization's, or the signed-in user's own), as choices. */
  const robotsOf = async (ns: string, signal?: AbortSignal): Promise<Choice[]> => {
    const kind = await p.namespaceKind(ns, signal);
    if (kind === 'unknown') return [];
    const robots = await api.robots(kind === 'org' ? ns : undefined, signal);
    return robots.map((r) => ({ value: r.name, label: r.name, description: r.description ? `robot · ${r.description}` : 'robot' }));
  };
  const teamsOf = async (org: string, signal?: AbortSignal): Promise<Choice[]> =>
    (await api.teams(org, signal)).map((t) => ({ value: t.name, label: t.name, description: t.role ? `team · ${t.role}` : 'team' }));

  /**
   * Entities of `ns` matching `query`: Quay's entity search (`GET /entities/{prefix}`) finds users by name, the
   * namespace's robots by short name and, with `teams`, its teams. Before anything is typed, the namespace's robots
   * (and teams) are listed, since the search needs a prefix.
   */
  const search = async (ns: string, query: string, teams: boolean, signal?: AbortSignal): Promise<Choice[]> => {
    // `acme+ci` is searched as `ci`: Quay matches robots of the namespace by the part after the `+`.
    const prefix = (query.includes('+') ? query.slice(query.indexOf('+') + 1) : query).trim();
    if (!prefix) {
      const [robots, teamList] = await Promise.all([robotsOf(ns, signal), teams ? teamsOf(ns, signal) : []]);
      return [...teamList, ...robots].filter((x) => x.value.startsWith(query.trim()));
    }
    const found = await api.entities(prefix, { namespace: ns, includeTeams: teams }, signal);
    return found
      .filter((e) => e.kind === 'user' || (teams && e.kind === 'team'))
      .map((e) => ({ value: e.name, label: e.name, description: e.kind === 'team' ? 'team' : e.is_robot ? 'robot' : 'user' }));
  };

  /** Who a repository permission is granted to: users, robots and (in an organization) teams. */
  const grantee: FieldChoices = {
    name: {
      async load(scope: Scope, query: string, signal?: AbortSignal) {
        const ns = namespaceOf(scope);
        return search(ns, query, await isOrg(scope, signal), signal);
      },
    },
  };

  /** Who can join a team: users and the organization's robots. */
  const member: FieldChoices = {
    name: {
      async load(scope: Scope, query: string, signal?: AbortSignal) {
        if (!scope.parent || scope.parent.type !== 'team') throw new BadResponseError('No team in this place of the tree');
        return search(namespaceOf(scope.parent.scope), query, false, signal);
      },
    },
  };

  /** The robot a mirror pushes with: one of the namespace's robot accounts. */
  const mirrorRobot: FieldChoices = {
    robot: {
      async load(scope: Scope, query: string, signal?: AbortSignal) {
        return (await robotsOf(namespaceOf(scope), signal)).filter((r) => r.value.includes(query.trim()));
      },
    },
  };

  return { grantee, member, mirrorRobot };
}
