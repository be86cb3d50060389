import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { silentLogger, type ProviderContext } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { toTreeItem } from '../../src/tree/treeItems';
import type { RepositoryNode, TagNode } from '../../src/tree/nodes';
import { startHubServer, type HubServer } from '../servers/hubServer';
import { OpenApiValidator, formatIssues, type OpenApiDocument } from '../support/openapiValidator';

/**
 * Docker Hub's spec types several counters and sizes as a plain `number`, or an `integer` without a minimum, so a
 * negative or fractional value is a valid answer. Each case below injects one such value (checked against the spec
 * first) and the operation must still succeed, showing the value as unknown. Digests, which end up in pull references
 * and tooltips, are strict: one that is not `algorithm:encoded` is dropped, never shown.
 */
const spec = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/specs/docker-hub-api.validated.json'), 'utf8')) as OpenApiDocument & {
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
};
// Hub sends `images` as an array (see hubServer.ts); everything else is checked against the spec as published.
spec.components.schemas.tag!.properties.images = { type: 'array', items: { $ref: '#/components/schemas/image' } };
const validator = new OpenApiValidator(spec);

describe('Docker Hub: odd numbers the spec allows', () => {
  let hub: HubServer;
  let pat: string;
  let provider: DockerHubProvider;

  beforeEach(async () => {
    hub = await startHubServer();
    hub.addUser('demo', 'demo-password');
    hub.addOrg('acme', { demo: 'owner' });
    hub.addRepository('acme', 'api', { description: 'API', starCount: 3, pullCount: 10 });
    hub.addTag('acme', 'api', { name: '1.0', platforms: ['linux/amd64'] });
    hub.addTag('acme', 'api', { name: '2.0', platforms: ['linux/amd64', 'linux/arm64'] });
    hub.addGroup('acme', 'devs', ['demo']);
    pat = hub.createPat('demo', { label: 'tests', scopes: ['repo:admin'] });
    hub.createOat('acme', { label: 'ci' });
    const ctx: ProviderContext = {
      connection: { id: 'hub', kind: 'dockerhub', url: hub.url, namespaces: ['acme'] },
      credentials: async () => ({ username: 'demo', secret: pat }),
      logger: silentLogger,
      http: { timeoutMs: 5_000, maxRetries: 0 },
    };
    provider = new DockerHubProvider(ctx, { registry: null });
  });
  afterEach(async () => {
    provider.dispose();
    await hub.close();
  });

  /** Injects `value` at `field` of every answer on `route`, after checking the spec allows the changed body. */
  async function inject(route: string, field: string, value: unknown, method = 'GET'): Promise<void> {
    hub.setFault({ kind: 'wrongType', path: route, method, field, value });
    if (method !== 'GET') return;
    const res = await fetch(hub.url + route, { headers: { Authorization: `Bearer ${hub.issueToken('demo')}` } });
    const body = (await res.json()) as unknown;
    const issues = validator.validateResponse('GET', route, res.status, body).issues;
    assert.deepEqual(issues, [], `the injected body must be valid per the spec: ${formatIssues(issues)}`);
  }

  it('lists repositories whose page count is negative', async () => {
    await inject('/v2/namespaces/acme/repositories', 'count', -2);
    const page = await provider.listRepositories('acme', undefined);
    assert.deepEqual(
      page.items.map((r) => r.name),
      ['acme/api'],
    );
  });

  it('keeps Hub healthy when the health check reads an odd count', async () => {
    await inject('/v2/namespaces/acme/repositories', 'count', -1);
    const health = await provider.ping();
    assert.equal(health.error?.message, undefined);
    assert.equal(health.ok, true);
  });

  it('reads repository settings with negative star and pull counts, shown as "—"', async () => {
    await inject('/v2/namespaces/acme/repositories/api', 'star_count', -1);
    const info = await provider.hub.getRepository('acme', 'api');
    assert.ok(Number.isNaN(info.starCount));
    const node: RepositoryNode = { type: 'repository', id: 'r', registryName: 'hub', repository: { ...info, pullCount: -7.5 }, ref: { type: 'repository', scope: { repository: 'acme/api' }, key: 'acme/api' } };
    const item = toTreeItem(node);
    assert.match(item.description!, /★ — · — pulls/);
  });

  it('reports a successful immutable-tags save as saved when the answer carries an odd pull count', async () => {
    hub.setFault({ kind: 'wrongType', path: '/v2/namespaces/acme/repositories/api/immutabletags', method: 'PATCH', field: 'pull_count', value: -4 });
    const saved = await provider.hub.setImmutableTags('acme', 'api', { enabled: true, rules: ['latest'] });
    assert.deepEqual(saved, { enabled: true, rules: ['latest'] });
    assert.deepEqual(hub.repository('acme', 'api')!.immutable, { enabled: true, rules: ['latest'] });
  });

  it('lists tags whose sizes are negative, the size then unknown or summed from the images', async () => {
    await inject('/v2/namespaces/acme/repositories/api/tags', 'results.0.full_size', -1);
    let page = await provider.listTags('acme/api', undefined);
    assert.equal(page.items.length, 2);
    assert.equal(page.items[0]!.size, page.items[0]!.platforms![0]!.size);
    assert.ok(page.items[0]!.size! > 0);
    await inject('/v2/namespaces/acme/repositories/api/tags', 'results.1.images.0.size', -3);
    page = await provider.listTags('acme/api', undefined);
    assert.equal(page.items[1]!.platforms![0]!.size, undefined);
    assert.equal(typeof page.items[1]!.platforms![1]!.size, 'number');
  });

  it('lists personal access tokens with a fractional active_count and organization tokens with a negative total', async () => {
    await inject('/v2/access-tokens', 'count', 0.5);
    assert.equal((await provider.hub.listPersonalAccessTokens(undefined)).items.length, 1);
    await inject('/v2/access-tokens', 'active_count', 1.5);
    assert.equal((await provider.hub.listPersonalAccessTokens(undefined)).items.length, 1);
    await inject('/v2/orgs/acme/access-tokens', 'total', -1);
    assert.equal((await provider.hub.listOrgAccessTokens('acme', undefined)).items.length, 1);
  });

  it('lists groups with a fractional member_count, the count left unknown', async () => {
    await inject('/v2/orgs/acme/groups', 'results.0.member_count', 2.5);
    const groups = await provider.hub.listGroups('acme', undefined);
    assert.equal(groups.items[0]!.name, 'devs');
    assert.equal(groups.items[0]!.memberCount, undefined);
  });

  it('still refuses a count that is not a number', async () => {
    hub.setFault({ kind: 'wrongType', path: '/v2/namespaces/acme/repositories', field: 'count', value: 'many' });
    await assert.rejects(provider.listRepositories('acme', undefined), /field count/);
  });

  it('drops a digest that is not algorithm:encoded (Markdown, line breaks) instead of showing or using it', async () => {
    const hostile = 'sha256:abc\n\n[link](https://evil.example) ![x](https://evil.example/i.png)';
    await inject('/v2/namespaces/acme/repositories/api/tags', 'results.0.digest', hostile);
    const page = await provider.listTags('acme/api', undefined);
    const tag = page.items[0]!;
    assert.notEqual(tag.digest, hostile);
    assert.ok(tag.digest === undefined || /^sha256:[a-f0-9]{64}$/.test(tag.digest), tag.digest);
    await inject('/v2/namespaces/acme/repositories/api/tags', 'results.1.images.0.digest', hostile);
    const other = (await provider.listTags('acme/api', undefined)).items[1]!;
    assert.equal(other.platforms![0]!.digest, undefined);
    const node: TagNode = { type: 'tag', id: 't', registryName: 'hub', repository: 'acme/api', tag, ref: { type: 'tag', scope: { repository: 'acme/api', tag: tag.name }, key: tag.name }, pullHost: 'docker.io', deletable: false };
    assert.doesNotMatch(toTreeItem(node).tooltip!, /evil/);
  });
});
