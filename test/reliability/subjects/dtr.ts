import type { Logger } from '../../../src/registry/context';
import { DtrProvider } from '../../../src/registry/dtr/provider';
import * as z from 'zod';
import { startDtrServer } from '../../servers/dtrServer';
import { drain } from '../lists';
import { TYPED_SECRET, refused, throughPipeline } from '../pipeline';
import { RELIABILITY_HTTP, type ReliabilitySubject } from '../subject';

const zAny = z.unknown();

/** The export as saved: no cell may start a formula (a leading `=`, `+`, `-` or `@` gets a `'`). */
function csvHolds(csv: string): string {
  if (/(^|[\n,])"?(=HYPERLINK|\+HYPERLINK|-2\+3\+cmd|@SUM)/.test(csv)) throw new Error(`a formula cell was saved as sent: ${csv.slice(0, 120)}`);
  return csv;
}

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
    // A scanned tag whose first component is named like a spreadsheet formula: the CSV export must neutralise it.
    s.addTag('team/app', { name: 'scanned', platforms: ['linux/amd64', 'linux/arm64'], cves: 40, component: '=HYPERLINK("https://evil.invalid/c")' });
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
    scan: { method: 'GET', path: /^\/api\/v0\/imagescan\/scansummary\/repositories\/[^/]+\/[^/]+\/[^/]+$/ },
    webhooks: { method: 'POST', path: /^\/api\/v0\/webhooks$/ },
    mirroring: { method: 'POST', path: /\/pollMirroringPolicies$/ },
    csvExport: { method: 'GET', path: /^\/api\/v0\/imagescan\/scansummary\/repositories\/[^/]+\/[^/]+\/[^/]+\/export$/ },
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
    {
      name: 'webhook to a javascript: URL (pipeline)',
      targets: ['webhooks'],
      run: async (p) =>
        refused(
          await throughPipeline((p as DtrProvider).admin, 'create', { type: 'repositoryWebhook', scope: { namespace: 'team', repository: 'team/app' } }, { type: 'TAG_PUSH', endpoint: 'javascript:alert(document.cookie)' }),
          'a javascript: webhook endpoint',
        ),
    },
    {
      name: 'poll mirroring with a typed password (pipeline)',
      targets: ['mirroring'],
      run: (p) =>
        throughPipeline((p as DtrProvider).admin, 'create', { type: 'pollMirroringPolicy', scope: { namespace: 'team', repository: 'team/app' } }, {
          remoteHost: 'https://registry.example.com',
          remoteRepository: 'mirror/app',
          username: 'mirror-user',
          enabled: false,
          credentials: { auth: 'password', password: TYPED_SECRET },
        }),
    },
    { name: 'scan summary', targets: ['scan'], run: (p) => (p as DtrProvider).getScanReport('team/app', 'scanned', undefined, 'linux/arm64') },
    {
      name: 'CSV scan export',
      targets: ['csvExport'],
      run: async (p) => csvHolds(await (p as DtrProvider).api.exportScanSummary('team/app', 'scanned', { os: 'linux', arch: 'amd64' }, 'csv')),
    },
  ],
  // The scan badges of a tag page are read with a POST that changes nothing (one per page of tags).
  repeatableWrites: [/^\/api\/v0\/imagescan\/scansummary\/tags$/],
};

