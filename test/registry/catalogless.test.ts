import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { UnauthorizedError } from '../../src/registry/errors';
import { createProvider } from '../../src/registry/kinds';
import type { RegistryProvider } from '../../src/registry/provider';
import { startCatalogRefuser, type CatalogRefuser } from '../support/catalogRefuser';
import { sharedSandbox } from '../support/registryFixture';
import type { Sandbox } from '../support/sandbox';

describe('a registry that refuses /v2/_catalog (distribution 2.8 behind a proxy)', () => {
  let sb: Sandbox;
  const proxies: CatalogRefuser[] = [];
  const providers: RegistryProvider[] = [];

  before(async () => {
    sb = await sharedSandbox();
  });
  after(async () => {
    for (const p of providers.splice(0)) p.dispose();
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });

  async function setup(status: 401 | 403 | 404, signedIn = true, repositories = ['sample/hello', 'sample/multi']) {
    const proxy = await startCatalogRefuser({ upstream: sb.oci.url, caFile: sb.oci.caFile, status });
    proxies.push(proxy);
    const creds = signedIn ? { username: sb.oci.username, secret: sb.oci.password } : undefined;
    const provider = createProvider({
      connection: { id: 'no-catalog', kind: 'oci', url: proxy.url, username: creds?.username, repositories },
      credentials: async () => creds,
      logger: silentLogger,
      http: { timeoutMs: 15_000, maxRetries: 0 },
    });
    providers.push(provider);
    return { proxy, provider };
  }

  for (const status of [401, 403, 404] as const) {
    it(`shows the configured repositories with one notice when the catalog answers ${status}, and browses them like listed ones`, async () => {
      const { proxy, provider } = await setup(status);
      const page = await provider.listRepositories(undefined, undefined);
      assert.deepEqual(page.items.map((r) => r.name), ['sample/hello', 'sample/multi']);
      assert.equal(page.error, undefined);
      assert.match(page.notice ?? '', new RegExp(`does not list its repositories \\(${status}\\)`));
      assert.equal(provider.capabilities.repositoryList, 'configured');
      await provider.listRepositories(undefined, undefined);
      assert.equal(proxy.refused(), 1, 'asked once');
      // Tags and details come from the real registry behind the proxy.
      assert.deepEqual((await provider.listTags('sample/hello', undefined)).items.map((t) => t.name), ['1.0']);
      const d = await provider.getTagDetails!('sample/hello', '1.0');
      assert.equal(d.digest, sb.content.hello.digest);
      const multi = await provider.getTagDetails!('sample/multi', 'latest');
      assert.ok(multi.isIndex && multi.platforms.length >= 2);
      assert.equal((await provider.ping()).ok, true, 'health');
    });
  }

  it('without credentials a 401 still asks to sign in', async () => {
    const { provider } = await setup(401, false);
    await assert.rejects(provider.listRepositories(undefined, undefined), UnauthorizedError);
  });
});
