import * as assert from 'node:assert/strict';
import { NotFoundError, UnauthorizedError } from '../../src/registry/errors';
import type { RegistryProvider } from '../../src/registry/provider';
import { providerFor, requestsDuring, sharedSandbox } from '../support/registryFixture';
import type { Sandbox, TokenEndpoint } from '../support/sandbox';

describe('OCI provider against distribution 2.8 with token auth', () => {
  let sb: Sandbox;
  let ep: TokenEndpoint;
  let provider: RegistryProvider;

  before(async () => {
    sb = await sharedSandbox();
    ep = sb.ociToken!;
    provider = providerFor(ep);
  });
  after(() => provider?.dispose());

  /** Token requests that asked for a scope on this repository. */
  const tokenRequestsFor = (repository: string): number =>
    ep.tokenServer.requests.filter((r) => r.scopes.some((s) => s.startsWith(`repository:${repository}:`))).length;

  it('follows the Bearer challenge: ping and listing work', async () => {
    const health = await provider.ping();
    assert.equal(health.error, undefined);
    assert.equal(health.ok, true);
    const page = await provider.listRepositories(undefined, undefined, { pageSize: 100 });
    assert.deepEqual(
      page.items.map((r) => r.name),
      sb.content.repositories,
    );
    const catalogTokens = ep.tokenServer.requests.filter((r) => r.scopes.includes('registry:catalog:*'));
    assert.equal(catalogTokens.length, 1);
    assert.equal(catalogTokens[0].status, 200);
    assert.equal(catalogTokens[0].service, ep.tokenService);
    assert.equal(catalogTokens[0].user, ep.username);
  });

  it('asks the token server once per scope across many calls', async () => {
    const before = ep.tokenServer.requests.length;
    const { requests } = await requestsDuring(ep, async () => {
      for (let i = 0; i < 5; i++) assert.equal((await provider.listTags('sample/hello', undefined)).items.length, 1);
      await Promise.all([provider.getTagDetails!('sample/hello', '1.0'), provider.getImageDetails!('sample/hello', '1.0'), provider.listTags('sample/hello', undefined)]);
      for (let i = 0; i < 3; i++) await provider.listTags('sample/multi', undefined);
      await provider.getTagDetails!('sample/multi', 'latest');
    });
    // The registry really served those calls with tokens…
    const served = requests.filter((r) => r.status === 200 && /^\/v2\/sample\/(hello|multi)\//.test(r.path));
    assert.ok(served.length >= 12, JSON.stringify(requests));
    // …fetched once per repository scope.
    assert.equal(tokenRequestsFor('sample/hello'), 1, JSON.stringify(ep.tokenServer.requests));
    assert.equal(tokenRequestsFor('sample/multi'), 1, JSON.stringify(ep.tokenServer.requests));
    assert.equal(ep.tokenServer.requests.length - before, 2);
    const last = ep.tokenServer.requests.at(-1)!;
    assert.deepEqual(last.scopes, ['repository:sample/multi:pull']);
  });

  it('reports UnauthorizedError when the token server rejects the password', async () => {
    const p = providerFor(ep, { credentials: { username: ep.username, secret: 'wrong-password' } });
    try {
      const before = ep.tokenServer.requests.length;
      await assert.rejects(p.listTags('sample/hello', undefined), UnauthorizedError);
      const asked = ep.tokenServer.requests.slice(before);
      assert.ok(asked.length >= 1 && asked.every((r) => r.status === 401), JSON.stringify(asked));
    } finally {
      p.dispose();
    }
  });

  it('reports UnauthorizedError without credentials', async () => {
    const p = providerFor(ep, { credentials: null });
    try {
      await assert.rejects(p.listRepositories(undefined, undefined), UnauthorizedError);
    } finally {
      p.dispose();
    }
  });

  it('deletes with a token scoped for delete', async () => {
    const plan = await provider.planDeleteTag!('other/app', '2.0');
    assert.deepEqual(plan.affectedTags, ['2.0']);
    await provider.deleteTag!(plan);
    assert.ok(
      ep.tokenServer.requests.some((r) => r.status === 200 && r.scopes.some((s) => s.startsWith('repository:other/app:') && s.includes('delete'))),
      JSON.stringify(ep.tokenServer.requests),
    );
    await assert.rejects(provider.getTagDetails!('other/app', '2.0'), NotFoundError);
  });
});
