import type { Logger } from '../../../src/registry/context';
import { GhcrProvider } from '../../../src/registry/ghcr/provider';
import { addGhOrg, addGhUser, startGhcrServer } from '../../servers/ghcrServer';
import { drain } from '../lists';
import { RELIABILITY_HTTP, type ReliabilitySubject } from '../subject';

const ALL = ['read:packages', 'read:org', 'delete:packages', 'write:packages'];

export const ghcr: ReliabilitySubject = {
  name: 'GHCR',
  async startUpstream(user, secret) {
    const g = await startGhcrServer();
    // The suite's secret is the account's token (a personal access token or the editor's GitHub session).
    addGhUser(g.state, user, ALL, secret);
    addGhOrg(g.state, 'acme', [user], 'Acme');
    g.push(user, 'app', ['1.0']);
    g.push(user, 'app', ['2.0', 'latest'], { seed: { platforms: ['linux/amd64', 'linux/arm64'] } });
    g.push(user, 'tools/cli', ['v1']);
    for (let i = 0; i < 25; i++) g.push(user, 'many', [`t${i}`]);
    g.push('acme', 'service', ['main'], { visibility: 'public' });
    return { url: g.url, close: () => g.close() };
  },
  make: (url: string, logger: Logger, _user: string, secret: string, tls?: { caFile: string }) =>
    new GhcrProvider({
      connection: { id: 'g', kind: 'ghcr', url, registryUrl: url, ...tls },
      credentials: async () => ({ secret }),
      elevate: async () => ({ secret }),
      logger,
      http: RELIABILITY_HTTP,
    }),
  targets: {
    user: { method: 'GET', path: /^\/api\/v3\/user$/ },
    orgs: { method: 'GET', path: /^\/api\/v3\/user\/orgs$/ },
    packages: { method: 'GET', path: /^\/api\/v3\/(user|orgs\/[^/]+|users\/[^/]+)\/packages$/ },
    package: { method: 'GET', path: /^\/api\/v3\/(user|orgs\/[^/]+)\/packages\/container\/[^/]+$/ },
    versions: { method: 'GET', path: /\/packages\/container\/[^/]+\/versions$/ },
    version: { method: 'GET', path: /\/packages\/container\/[^/]+\/versions\/\d+$/ },
    deleteVersion: { method: 'DELETE', path: /\/packages\/container\/[^/]+\/versions\/\d+$/ },
    restore: { method: 'POST', path: /\/restore$/ },
    token: { path: /^\/token$/ },
    v2: { path: /^\/v2\// },
  },
  operations: [
    { name: 'ping', targets: ['user'], run: (p) => (p as GhcrProvider).ping() },
    { name: 'owners', targets: ['user', 'orgs'], run: (p) => drain((c) => (p as GhcrProvider).listNamespaces(c, { pageSize: 1 })) },
    { name: 'your packages', targets: ['user', 'packages'], run: (p) => drain((c) => (p as GhcrProvider).listRepositories('alice', c, { pageSize: 1 })) },
    { name: 'organization packages', targets: ['user', 'packages'], run: (p) => drain((c) => (p as GhcrProvider).listRepositories('acme', c, {})) },
    { name: 'versions', targets: ['user', 'versions'], run: (p) => drain((c) => (p as GhcrProvider).listTags('alice/app', c, { pageSize: 1 })) },
    { name: 'many versions', targets: ['user', 'versions'], run: (p) => drain((c) => (p as GhcrProvider).listTags('alice/many', c, { pageSize: 10 })) },
    { name: 'package with a slash', targets: ['user', 'versions'], run: (p) => drain((c) => (p as GhcrProvider).listTags('alice/tools/cli', c, {})) },
    { name: 'tag details', targets: ['v2', 'token'], run: (p) => (p as GhcrProvider).getTagDetails('alice/app', 'latest') },
    { name: 'image details', targets: ['v2', 'token'], run: (p) => (p as GhcrProvider).getImageDetails('alice/app', '1.0') },
    {
      name: 'delete version',
      targets: ['user', 'versions', 'version', 'deleteVersion'],
      run: async (p) => {
        const g = p as GhcrProvider;
        const plan = await g.planDeleteTag('alice/many', 't3');
        await g.deleteTag(plan);
        return plan;
      },
    },
    {
      name: 'restore package',
      targets: ['user', 'restore'],
      run: async (p) => {
        const g = p as GhcrProvider;
        const ns = g.admin.types.find((t) => t.type === 'namespace');
        const action = ns?.shape === 'core' ? ns.actions?.find((a) => a.id === 'restorePackage') : undefined;
        return action!.run({ type: 'namespace', scope: {}, key: 'alice' }, { name: 'app' } as never);
      },
    },
  ],
};
