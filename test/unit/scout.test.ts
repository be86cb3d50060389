import * as assert from 'node:assert/strict';
import { silentLogger, type ProviderContext } from '../../src/registry/context';
import { readHubTokenClaims } from '../../src/registry/dockerhub/jwt';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { NotFoundError } from '../../src/registry/errors';
import { DOCKER_SCOUT_API, SCOUT_NO_DATA, SCOUT_NO_ENTITLEMENT, SCOUT_SIGN_IN, scoutEndpoint } from '../../src/registry/dockerhub/scout';
import type { Tag } from '../../src/registry/provider';
import { startHubServer, type HubServer } from '../servers/hubServer';
import { startScoutServer, type ScoutServer } from '../servers/scout/index';

const made: DockerHubProvider[] = [];

function provider(hub: HubServer, scout: ScoutServer | null, creds?: { username: string; secret: string }): DockerHubProvider {
  const ctx: ProviderContext = { connection: { id: 'hub', kind: 'dockerhub', url: hub.url }, credentials: async () => creds, logger: silentLogger, http: { timeoutMs: 5_000, maxRetries: 1 } };
  const p = new DockerHubProvider(ctx, { registry: null, ...(scout ? { scout: { url: scout.endpoint } } : {}) });
  made.push(p);
  return p;
}

const pkg = (name: string, version: string, vulns: Array<{ id: string; severity: string; score?: number; fixedBy?: string; excepted?: boolean }>) => ({
  package: {
    name,
    purl: `pkg:apk/alpine/${name}@${version}`,
    purlFields: { type: 'apk', name, version },
    type: 'apk',
    version,
    licenses: ['MIT'],
    vulnerabilities: vulns.map((v) => ({
      sourceId: v.id,
      source: 'nist',
      description: `${v.id} in ${name}`,
      cwes: [],
      cvss: { severity: v.severity, score: v.score ?? null },
      fixedBy: v.fixedBy ?? null,
      vulnerableRange: '<9',
      url: `https://scout.docker.com/v/${v.id}`,
      cisaExploited: false,
      isExcepted: !!v.excepted,
      vulnerabilityExceptions: [],
      vexStatements: [],
    })),
  },
  locations: [{ path: '/lib/apk/db/installed', diffId: 'sha256:' + '1'.repeat(64) }],
});

const summary = (digest: string, c: number, h: number) => ({ digest, sbomState: 'INDEXED', vulnerabilityReport: { critical: c, high: h, medium: 0, low: 1, unspecified: 0, total: c + h + 1 } });

describe('Docker Scout for Docker Hub repositories', () => {
  let hub: HubServer;
  let scout: ScoutServer;
  let pat: string;
  let amd64: string;
  let arm64: string;

  beforeEach(async () => {
    hub = await startHubServer();
    hub.addUser('demo', 'demo-password');
    hub.addOrg('acme', { demo: 'owner' });
    hub.addRepository('acme', 'api');
    hub.addTag('acme', 'api', { name: 'latest', platforms: ['linux/amd64', 'linux/arm64/v8'] });
    pat = hub.createPat('demo', { label: 'tests', scopes: ['repo:admin'] });
    scout = await startScoutServer({ acceptToken: (t) => readHubTokenClaims(t).username === 'demo' });
    const tags = await provider(hub, null).listTags('acme/api', undefined);
    const platforms = tags.items[0]!.platforms!;
    amd64 = platforms.find((p) => p.architecture === 'amd64')!.digest!;
    arm64 = platforms.find((p) => p.architecture === 'arm64')!.digest!;
  });
  afterEach(async () => {
    for (const p of made.splice(0)) p.dispose();
    await hub.close();
    await scout.close();
  });

  it('shows the packages and vulnerabilities of one platform, sending the Hub token to Scout only, with queries the schema accepts', async () => {
    scout.images.set(amd64, {
      packages: { digest: amd64, sbomState: 'INDEXED', imagePackages: { packages: [pkg('busybox', '1.36.1-r2', [{ id: 'CVE-2023-42363', severity: 'MEDIUM', score: 5.5, fixedBy: '1.36.1-r6' }, { id: 'CVE-2023-42366', severity: 'LOW', excepted: true }]), pkg('zlib', '1.3', [])] }, imageLayers: { layers: [] } },
    });
    const p = provider(hub, scout, { username: 'demo', secret: pat });
    assert.equal(p.capabilities.scanSummary, true);
    const r = await p.getScanReport('acme/api', 'latest');
    assert.equal(r.status, 'completed');
    assert.equal(r.scanner, 'Docker Scout');
    assert.equal(r.digest, amd64);
    assert.deepEqual(r.platforms, ['linux/amd64', 'linux/arm64/v8']);
    assert.equal(r.platform, 'linux/amd64');
    assert.deepEqual(r.counts, { critical: 0, high: 0, medium: 1, low: 1, negligible: 0, unknown: 0 });
    assert.deepEqual(r.packages.map((x) => `${x.name}@${x.version}`), ['busybox@1.36.1-r2', 'zlib@1.3']);
    const v = r.vulnerabilities[0]!;
    assert.deepEqual([v.id, v.fixedVersion, v.cvss, v.links[0]], ['CVE-2023-42363', '1.36.1-r6', 5.5, 'https://scout.docker.com/v/CVE-2023-42363']);
    assert.equal(r.vulnerabilities[1]!.allowlisted, true, 'an excepted vulnerability stays listed, marked');
    const [req] = scout.requests;
    assert.equal(req!.status, 200, JSON.stringify(req!.errors));
    assert.deepEqual(req!.rootFields, ['imagePackagesByDigest']);
    assert.deepEqual(req!.variables, { context: { organization: 'acme' }, digest: amd64 });
    assert.equal(readHubTokenClaims(req!.authorization!.replace('Bearer ', '')).username, 'demo');
    // Another platform: its own digest.
    const arm = await p.getScanReport('acme/api', 'latest', undefined, 'linux/arm64/v8');
    assert.equal(arm.status, 'unsupported');
    assert.equal(arm.message, SCOUT_NO_DATA);
    await assert.rejects(p.getScanReport('acme/api', 'latest', undefined, 'windows/amd64'), (e: unknown) => e instanceof NotFoundError && /not a platform/.test(e.message));
  });

  it('puts the worst counts across platforms on the tag, with one Scout request per page', async () => {
    scout.images.set(amd64, { summary: summary(amd64, 1, 2) });
    scout.images.set(arm64, { summary: summary(arm64, 0, 5) });
    const page = await provider(hub, scout, { username: 'demo', secret: pat }).listTags('acme/api', undefined);
    const tag = page.items[0] as Tag;
    assert.deepEqual(tag.vulnerabilities, { critical: 1, high: 5, low: 1 });
    assert.ok(tag.facts?.includes('Docker Scout'));
    assert.equal(scout.requests.length, 1);
    assert.deepEqual(scout.requests[0]!.rootFields, ['imageSummariesByDigest']);
    assert.equal(scout.requests[0]!.status, 200, JSON.stringify(scout.requests[0]!.errors));
    assert.deepEqual(new Set(scout.requests[0]!.variables.digests as string[]), new Set([amd64, arm64]));
  });

  for (const fault of ['graphql402', 'graphql403', 'http402', 'http403'] as const) {
    it(`says once that the account has no entitlement (${fault}) and asks Scout no more for the repository`, async () => {
      scout.entitlement = fault;
      const p = provider(hub, scout, { username: 'demo', secret: pat });
      const r = await p.getScanReport('acme/api', 'latest');
      assert.equal(r.status, 'unsupported');
      assert.equal(r.message, SCOUT_NO_ENTITLEMENT);
      const asked = scout.requests.length;
      assert.equal(asked, 1);
      const page = await p.listTags('acme/api', undefined);
      assert.equal(page.items[0]!.vulnerabilities, undefined);
      assert.equal((await p.getScanReport('acme/api', 'latest', undefined, 'linux/arm64/v8')).message, SCOUT_NO_ENTITLEMENT);
      assert.equal(scout.requests.length, asked, 'no error storm: the answer is remembered for the repository');
      p.resetAuth();
      await p.getScanReport('acme/api', 'latest');
      assert.equal(scout.requests.length, asked + 1, 'a new sign-in asks again');
    });
  }

  it('sends nothing to Scout without a sign-in, and says so', async () => {
    const p = provider(hub, scout);
    const r = await p.getScanReport('acme/api', 'latest');
    assert.equal(r.message, SCOUT_SIGN_IN);
    await p.listTags('acme/api', undefined);
    assert.equal(scout.requests.length, 0);
  });

  it('sends the Hub token to Docker Scout only for Docker Hub itself, or to an endpoint given in code', async () => {
    assert.equal(scoutEndpoint('https://hub.docker.com', undefined), DOCKER_SCOUT_API);
    assert.equal(scoutEndpoint('https://hub.docker.com/', undefined), DOCKER_SCOUT_API);
    assert.equal(scoutEndpoint('https://hub.example.com', undefined), undefined);
    assert.equal(scoutEndpoint('https://hub.docker.com', null), undefined);
    assert.throws(() => scoutEndpoint('https://hub.docker.com', { url: 'http://scout.example.com/v1/graphql' }), /https URL/);
    assert.throws(() => scoutEndpoint('https://hub.docker.com', { url: 'https://u:p@scout.example.com/v1/graphql' }), /without credentials/);
    // A Hub connection elsewhere (here the fake's origin) gets no Scout and asks nothing.
    const p = provider(hub, null, { username: 'demo', secret: pat });
    assert.equal(p.capabilities.scanSummary, false);
    await assert.rejects(p.getScanReport('acme/api', 'latest'), /Docker Scout is available for Docker Hub itself/);
    await p.listTags('acme/api', undefined);
    assert.equal(scout.requests.length, 0);
  });

  it('the fake refuses queries the vendored schema refuses', async () => {
    const post = (query: string, variables: unknown) =>
      fetch(scout.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' }, body: JSON.stringify({ query, variables }) });
    scout.requests.length = 0;
    const good = await startScoutServer();
    try {
      const send = (query: string, variables: unknown) => fetch(good.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' }, body: JSON.stringify({ query, variables }) });
      assert.equal((await send('query Q($c: Context!, $d: String!) { imagePackagesByDigest(context: $c, digest: $d) { digest nope } }', { c: {}, d: 'x' })).status, 400);
      assert.equal((await send('query Q($c: Context!) { imagePackagesByDigest(context: $c) { digest } }', { c: {} })).status, 400);
      assert.equal((await send('query Q($c: Context!, $d: String!) { imagePackagesByDigest(context: $c, digest: $d) { digest } }', { c: { org: 'x' }, d: 'x' })).status, 400);
      assert.equal((await send('query Q($c: Context!, $d: String!) { imagePackagesByDigest(context: $c, digest: $d) { imagePackages } }', { c: {}, d: 'x' })).status, 400);
      const ok = await send('query Q($c: Context!, $d: String!) { imagePackagesByDigest(context: $c, digest: $d) { digest } }', { c: {}, d: 'x' });
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { data: { imagePackagesByDigest: null } });
    } finally {
      await good.close();
    }
    assert.equal((await post('{ imagePackagesByDigest { digest } }', {})).status, 401, 'a token the fake did not issue is refused');
  });
});
