import type { Logger } from '../../../src/registry/context';
import { DtrProvider } from '../../../src/registry/dtr/provider';
import * as z from 'zod';
import { startDtrServer } from '../../servers/dtrServer';
import { drain } from '../lists';
import { RELIABILITY_HTTP, type ReliabilitySubject } from '../subject';

const zAny = z.unknown();

export const dtr: ReliabilitySubject = {
  name: 'DTR',
  async startUpstream(user, secret) {
    const s = await startDtrServer({ registry: { username: user, password: secret } });
    s.addUser(user, secret);
    s.addUser('bob', 'bob-password');
    s.addOrg('team', { owners: [user], members: ['bob'] });
    s.addTeam('team', 'devs', [user, 'bob']);
    s.setNamespaceAccess('team', 'devs', 'read-write');
    for (const r of ['app', 'api', 'web']) s.addRepository('team', r, { shortDescription: r });
    s.setRepositoryAccess('team/app', 'devs', 'read-write');
    for (let i = 1; i <= 5; i++) s.addTag('team/app', { name: `tag${i}` });
    s.addTag('team/app', { name: 'multi', platforms: ['linux/amd64', 'linux/arm64'] });
    s.addEvents('team/app', 5);
    s.addPolicy('team/app', 'pruningPolicies', { rules: [{ field: 'tag', operator: 'sw', values: ['dev-'] }], enabled: false });
    s.createToken(user, 'one');
    s.createToken(user, 'two');
    s.createToken(user, 'three');
    return { url: s.url, close: () => s.close() };
  },
  make: (url: string, logger: Logger, user: string, secret: string, tls?: { caFile: string }) =>
    new DtrProvider({ connection: { id: 'd', kind: 'dtr', url, username: user, ...tls }, credentials: async () => ({ username: user, secret }), logger, http: RELIABILITY_HTTP }),
  targets: {
    features: { path: /^\/api\/v0\/meta\/features$/ },
    autocomplete: { path: /^\/api\/v0\/index\/autocomplete$/ },
    repositories: { method: 'GET', path: /^\/api\/v0\/repositories(\/[^/]+)?$/ },
    tags: { method: 'GET', path: /^\/api\/v0\/repositories\/[^/]+\/[^/]+\/tags$/ },
    tag: { method: 'GET', path: /^\/api\/v0\/repositories\/[^/]+\/[^/]+\/tags\/[^/]+$/ },
    scanBadges: { method: 'POST', path: /^\/api\/v0\/imagescan\/scansummary\/tags$/ },
    deleteTag: { method: 'DELETE', path: /\/tags\/[^/]+$/ },
    deleteManifest: { method: 'DELETE', path: /\/manifests\/[^/]+$/ },
    events: { path: /\/events$/ },
    tokens: { method: 'GET', path: /^\/api\/v0\/api_tokens$/ },
    createToken: { method: 'POST', path: /^\/api\/v0\/api_tokens$/ },
    pruning: { method: 'GET', path: /\/pruningPolicies$/ },
    teamAccess: { method: 'GET', path: /\/teamAccess$/ },
    create: { method: 'POST', path: /^\/api\/v0\/repositories\/[^/]+$/ },
    v2: { path: /^\/v2\// },
  },
  operations: [
    { name: 'ping', targets: ['features'], run: (p) => (p as DtrProvider).ping() },
    { name: 'namespaces', targets: ['autocomplete', 'repositories'], run: (p) => drain((c) => (p as DtrProvider).listNamespaces(c, {})) },
    { name: 'repositories', targets: ['repositories'], run: (p) => drain((c) => (p as DtrProvider).listRepositories('team', c, { pageSize: 1 })) },
    { name: 'tags', targets: ['tags', 'scanBadges'], run: (p) => drain((c) => (p as DtrProvider).listTags('team/app', c, { pageSize: 2 })) },
    { name: 'events', targets: ['events'], run: (p) => drain((c) => (p as DtrProvider).api.events('team/app', c, { pageSize: 2 })) },
    { name: 'API tokens', targets: ['tokens'], run: (p) => drain((c) => (p as DtrProvider).api.apiTokens(c, { pageSize: 1 })) },
    { name: 'pruning policies', targets: ['pruning'], run: (p) => (p as DtrProvider).api.listPolicies('team/app', 'pruningPolicies', zAny) },
    { name: 'team access', targets: ['teamAccess'], run: (p) => (p as DtrProvider).api.repoTeamAccess('team/app') },
    {
      name: 'delete tag',
      targets: ['tag', 'deleteTag'],
      run: async (p) => {
        const d = p as DtrProvider;
        const plan = await d.planDeleteTag('team/app', 'tag1');
        await d.deleteTag(plan);
        return plan;
      },
    },
    {
      name: 'delete manifest',
      targets: ['tag', 'deleteManifest'],
      run: async (p) => {
        const d = p as DtrProvider;
        const plan = await d.planDeleteManifest('team/app', 'tag2');
        await d.deleteTag(plan);
        return plan;
      },
    },
    { name: 'create API token', targets: ['createToken'], run: (p) => (p as DtrProvider).api.createApiToken('laptop') },
    {
      name: 'create API token (admin model, secret shown once)',
      targets: ['createToken'],
      run: (p) => {
        const t = (p as DtrProvider).admin.types.find((x) => x.type === 'apiToken');
        if (t?.shape !== 'list' || !t.create) throw new Error('no API token list');
        return t.create.run({}, t.create.form.schema.parse({ tokenLabel: 'desk' }));
      },
    },
    {
      name: 'create repository',
      targets: ['create'],
      run: (p) =>
        (p as DtrProvider).api.createRepository('team', 'created', { shortDescription: 'x', longDescription: '', visibility: 'private', scanOnPush: false, immutableTags: false, enableManifestLists: false, tagLimit: 0 }),
    },
    { name: 'tag details', targets: ['v2'], run: (p) => (p as DtrProvider).getTagDetails('team/app', 'tag1') },
    { name: 'index details', targets: ['v2'], run: (p) => (p as DtrProvider).getImageDetails('team/app', 'multi') },
  ],
  // The scan badges of a tag page are read with a POST that changes nothing (one per page of tags).
  repeatableWrites: [/^\/api\/v0\/imagescan\/scansummary\/tags$/],
};

