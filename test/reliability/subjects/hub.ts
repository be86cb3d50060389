import type { Logger } from '../../../src/registry/context';
import { DockerHubProvider } from '../../../src/registry/dockerhub/provider';
import { startHubServer } from '../../servers/hubServer';
import { drain } from '../lists';
import { RELIABILITY_HTTP, type ReliabilitySubject } from '../subject';

export const hub: ReliabilitySubject = {
  name: 'Docker Hub',
  async startUpstream(user, secret) {
    const s = await startHubServer();
    s.addUser(user, secret);
    s.addUser('bob', 'bob-password');
    s.addUser('carol', 'carol-password');
    s.addOrg('acme', { [user]: 'owner', bob: 'member', carol: 'member' });
    for (const r of ['app', 'api', 'web']) s.addRepository(user, r, { description: r });
    s.addRepository('library', 'alpine', {});
    s.addTags(user, 'app', 5);
    return { url: s.url, close: () => s.close() };
  },
  make: (url: string, logger: Logger, user: string, secret: string, tls?: { caFile: string }) =>
    new DockerHubProvider({ connection: { id: 'h', kind: 'dockerhub', url, username: user, ...tls }, credentials: async () => ({ username: user, secret }), logger, http: RELIABILITY_HTTP }, { registry: null }),
  targets: {
    token: { method: 'POST', path: /^\/v2\/auth\/token$/ },
    repositories: { method: 'GET', path: /^\/v2\/namespaces\/[^/]+\/repositories$/ },
    repository: { method: 'GET', path: /^\/v2\/namespaces\/[^/]+\/repositories\/[^/]+$/ },
    tags: { method: 'GET', path: /\/tags$/ },
    tag: { method: 'GET', path: /\/tags\/[^/]+$/ },
    deleteTag: { method: 'DELETE', path: /^\/v2\/repositories\/.+\/tags\// },
    orgs: { path: /^\/v2\/user\/orgs\/$/ },
    members: { path: /^\/v2\/orgs\/[^/]+\/members$/ },
    create: { method: 'POST', path: /^\/v2\/namespaces\/[^/]+\/repositories$/ },
    update: { method: 'PATCH', path: /^\/v2\/repositories\// },
  },
  operations: [
    { name: 'ping', targets: ['repositories'], run: (p) => (p as DockerHubProvider).ping() },
    { name: 'namespaces', targets: ['token', 'orgs'], run: (p) => drain((c) => (p as DockerHubProvider).listNamespaces(c, { pageSize: 1 })) },
    { name: 'repositories', targets: ['token', 'repositories'], run: (p) => drain((c) => (p as DockerHubProvider).listRepositories('alice', c, { pageSize: 1 })) },
    { name: 'tags', targets: ['token', 'tags'], run: (p) => drain((c) => (p as DockerHubProvider).listTags('alice/app', c, { pageSize: 2 })) },
    { name: 'org members', targets: ['token', 'members'], run: (p) => drain((c) => (p as DockerHubProvider).hub.listOrgMembers('acme', c, { pageSize: 1 })) },
    {
      name: 'delete tag',
      targets: ['token', 'tag', 'deleteTag'],
      run: async (p) => {
        const h = p as DockerHubProvider;
        const plan = await h.planDeleteTag('alice/app', 'tag1');
        await h.deleteTag(plan);
        return plan;
      },
    },
    { name: 'create repository', targets: ['token', 'create'], run: (p) => (p as DockerHubProvider).hub.createRepository({ namespace: 'alice', name: 'created', description: 'x' }) },
    { name: 'update repository', targets: ['token', 'update', 'repository'], run: (p) => (p as DockerHubProvider).hub.updateRepository('alice', 'app', { description: 'changed' }) },
  ],
  repeatableWrites: [/^\/v2\/auth\/token$/],
};
