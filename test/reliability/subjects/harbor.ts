import type { Logger } from '../../../src/registry/context';
import { HarborProvider } from '../../../src/registry/harbor/provider';
import { addArtifact, addRepository, addUser } from '../../servers/harborData';
import { seedHarbor } from '../../servers/harborSeed';
import { startHarborServer } from '../../servers/harborServer';
import { drain } from '../lists';
import { RELIABILITY_HTTP, type ReliabilitySubject } from '../subject';

export const harbor: ReliabilitySubject = {
  name: 'Harbor',
  async startUpstream(user, secret) {
    const s = await startHarborServer();
    await seedHarbor(s);
    addUser(s.state, user, secret, { 'team-a': 1 });
    addRepository(s.state, 'team-a/many');
    for (let i = 0; i < 25; i++) addArtifact(s.state, 'team-a/many', { tags: [`t${i}`] });
    return { url: s.url, close: () => s.close() };
  },
  make: (url: string, logger: Logger, user: string, secret: string, tls?: { caFile: string }) =>
    new HarborProvider({ connection: { id: 'h', kind: 'harbor', url, username: user, ...tls }, credentials: async () => ({ username: user, secret }), logger, http: RELIABILITY_HTTP }),
  targets: {
    health: { path: /^\/api\/v2\.0\/health$/ },
    systeminfo: { path: /^\/api\/v2\.0\/systeminfo$/ },
    projects: { method: 'GET', path: /^\/api\/v2\.0\/projects$/ },
    project: { method: 'GET', path: /^\/api\/v2\.0\/projects\/[^/]+$/ },
    repositories: { method: 'GET', path: /^\/api\/v2\.0\/projects\/[^/]+\/repositories$/ },
    artifacts: { method: 'GET', path: /^\/api\/v2\.0\/projects\/[^/]+\/repositories\/[^/]+\/artifacts$/ },
    artifact: { method: 'GET', path: /^\/api\/v2\.0\/projects\/[^/]+\/repositories\/[^/]+\/artifacts\/[^/]+$/ },
    vulnerabilities: { method: 'GET', path: /\/additions\/vulnerabilities$/ },
    deleteArtifact: { method: 'DELETE', path: /^\/api\/v2\.0\/projects\/[^/]+\/repositories\/[^/]+\/artifacts\/[^/]+$/ },
    token: { path: /^\/service\/token$/ },
    v2: { path: /^\/v2\// },
  },
  operations: [
    { name: 'ping', targets: ['health', 'systeminfo'], run: (p) => (p as HarborProvider).ping() },
    { name: 'projects', targets: ['projects'], run: (p) => drain((c) => (p as HarborProvider).listNamespaces(c, { pageSize: 1 })) },
    { name: 'repositories', targets: ['repositories'], run: (p) => drain((c) => (p as HarborProvider).listRepositories('team-a', c, { pageSize: 1 })) },
    { name: 'filtered repositories', targets: ['repositories'], run: (p) => drain((c) => (p as HarborProvider).listRepositories('team-a', c, { nameFilter: 'app', ordering: 'name' })) },
    { name: 'artifacts', targets: ['artifacts'], run: (p) => drain((c) => (p as HarborProvider).listTags('team-a/app', c, { pageSize: 2 })) },
    { name: 'many artifacts', targets: ['artifacts'], run: (p) => drain((c) => (p as HarborProvider).listTags('team-a/many', c, { pageSize: 10 })) },
    { name: 'nested repository (double encoding)', targets: ['artifacts'], run: (p) => drain((c) => (p as HarborProvider).listTags('team-a/tools/cli', c, {})) },
    { name: 'tag details', targets: ['artifact'], run: (p) => (p as HarborProvider).getTagDetails('team-a/app', 'latest') },
    { name: 'scan report', targets: ['artifact', 'vulnerabilities', 'project'], run: (p) => (p as HarborProvider).getScanReport('team-a/app', '1.1') },
    { name: 'scan report of a platform', targets: ['artifact', 'vulnerabilities', 'project'], run: (p) => (p as HarborProvider).getScanReport('team-a/app', 'latest', undefined, 'linux/arm64') },
    {
      name: 'delete artifact',
      targets: ['artifact', 'deleteArtifact'],
      run: async (p) => {
        const h = p as HarborProvider;
        const plan = await h.planDeleteTag('team-a/many', 't3');
        await h.deleteTag(plan);
        return plan;
      },
    },
    { name: 'image details', targets: ['v2', 'token'], run: (p) => (p as HarborProvider).getImageDetails('team-a/app', 'latest') },
  ],
};
