import type { Logger } from '../../../src/registry/context';
import { QuayProvider } from '../../../src/registry/quay/provider';
import { ALL_SCOPES, startQuayServer } from '../../servers/quayServer';
import { drive } from '../../support/adminDriver';
import { drain } from '../lists';
import { TYPED_SECRET, refused, throughPipeline } from '../pipeline';
import { RELIABILITY_HTTP, type ReliabilitySubject } from '../subject';

export const quay: ReliabilitySubject = {
  name: 'Quay',
  async startUpstream(user, secret) {
    const s = await startQuayServer();
    // The suite's secret is the user's OAuth access token (alice is the demo data's own user).
    s.issueToken(user, ALL_SCOPES, secret);
    // Tags that make `^(a+)+$` backtrack for minutes: a pattern preview must end at its deadline, off the host thread.
    for (let i = 0; i < 3; i++) s.addTag('acme/app', `${'a'.repeat(27 + i)}b`);
    return { url: s.url, close: () => s.close() };
  },
  make: (url: string, logger: Logger, _user: string, secret: string, tls?: { caFile: string }) =>
    new QuayProvider({ connection: { id: 'q', kind: 'quay', url, ...tls }, credentials: async (purpose = 'api') => (purpose === 'api' ? { secret } : undefined), logger, http: RELIABILITY_HTTP }),
  targets: {
    user: { path: /^\/api\/v1\/user\/$/ },
    discovery: { path: /^\/api\/v1\/discovery$/ },
    health: { path: /^\/health\// },
    repositories: { method: 'GET', path: /^\/api\/v1\/repository$/ },
    tags: { method: 'GET', path: /^\/api\/v1\/repository\/[^/]+\/[^/]+\/tag\/$/ },
    deleteTag: { method: 'DELETE', path: /^\/api\/v1\/repository\/[^/]+\/[^/]+\/tag\/[^/]+$/ },
    logs: { path: /\/logs$/ },
    robots: { method: 'GET', path: /\/robots$/ },
    createRobot: { method: 'PUT', path: /\/robots\/[^/]+$/ },
    regenerate: { method: 'POST', path: /\/regenerate$/ },
    appTokens: { method: 'GET', path: /^\/api\/v1\/user\/apptoken$/ },
    createAppToken: { method: 'POST', path: /^\/api\/v1\/user\/apptoken$/ },
    create: { method: 'POST', path: /^\/api\/v1\/repository$/ },
    security: { path: /\/security$/ },
    notifications: { method: 'POST', path: /\/notification\/$/ },
  },
  operations: [
    { name: 'ping', targets: ['health'], run: (p) => (p as QuayProvider).ping() },
    { name: 'namespaces', targets: ['user'], run: (p) => drain((c) => (p as QuayProvider).listNamespaces(c, {})) },
    { name: 'repositories', targets: ['repositories'], run: (p) => drain((c) => (p as QuayProvider).listRepositories('acme', c, { pageSize: 2 })) },
    { name: 'tags', targets: ['tags'], run: (p) => drain((c) => (p as QuayProvider).listTags('acme/app', c, { pageSize: 2 })) },
    { name: 'many tags', targets: ['tags'], run: (p) => drain((c) => (p as QuayProvider).listTags('acme/many', c, { pageSize: 20 })) },
    { name: 'scan report', targets: ['tags', 'security'], run: (p) => (p as QuayProvider).getScanReport('acme/app', '1.0') },
    { name: 'logs', targets: ['logs'], run: (p) => drain((c) => (p as QuayProvider).api.logs({ repository: 'acme/app' }, {}, c)) },
    { name: 'robots', targets: ['robots'], run: (p) => (p as QuayProvider).api.robots('acme') },
    { name: 'create robot', targets: ['createRobot'], run: (p) => (p as QuayProvider).api.createRobot('acme', 'builder', 'x') },
    {
      name: 'create robot (admin model, secret shown once)',
      targets: ['user', 'createRobot'],
      run: (p) => drive((p as QuayProvider).admin.types.find((t) => t.type === 'robot')!).create!.run({ namespace: 'acme' }, { shortname: 'deployer', description: 'x' }),
    },
    { name: 'regenerate robot token', targets: ['regenerate'], run: (p) => (p as QuayProvider).api.regenerateRobot('acme', 'ci') },
    { name: 'application tokens', targets: ['appTokens'], run: (p) => (p as QuayProvider).api.appTokens() },
    { name: 'create application token', targets: ['createAppToken'], run: (p) => (p as QuayProvider).api.createAppToken('laptop') },
    {
      name: 'delete tag',
      targets: ['tags', 'deleteTag'],
      run: async (p) => {
        const q = p as QuayProvider;
        const plan = await q.planDeleteTag('acme/app', '1.0');
        await q.deleteTag(plan);
        return plan;
      },
    },
    {
      // Faults go to discovery, not the tag list: with its tags listed, the preview must stop the pattern in time.
      name: 'auto-prune preview of a catastrophic pattern (pipeline)',
      targets: ['discovery'],
      run: async (p) =>
        refused(
          await throughPipeline((p as QuayProvider).admin, 'create', { type: 'autoPrunePolicy', scope: { namespace: 'acme', repository: 'acme/app' } }, { method: 'number_of_tags', value: '5', tagPattern: '^(a+)+$' }),
          'a pattern that backtracks for minutes',
        ),
    },
    {
      name: 'notification to a javascript: URL (pipeline)',
      targets: ['user'],
      run: async (p) =>
        refused(
          await throughPipeline((p as QuayProvider).admin, 'create', { type: 'notification', scope: { namespace: 'acme', repository: 'acme/app' } }, { event: 'repo_push', delivery: { method: 'webhook', url: 'javascript:alert(1)' } }),
          'a javascript: webhook URL',
        ),
    },
    {
      name: 'notification with a typed secret (pipeline)',
      targets: ['notifications'],
      run: (p) =>
        throughPipeline((p as QuayProvider).admin, 'create', { type: 'notification', scope: { namespace: 'acme', repository: 'acme/app' } }, { event: 'repo_push', delivery: { method: 'flowdock', flowApiToken: TYPED_SECRET } }),
    },
    { name: 'create repository', targets: ['create'], run: (p) => (p as QuayProvider).api.createRepository('acme', 'created', { description: 'x', visibility: 'private' }) },
  ],
};
