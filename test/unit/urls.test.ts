import * as assert from 'node:assert/strict';
import { parseRegistries } from '../../src/config/schema';
import { silentLogger } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { RegistryError } from '../../src/registry/errors';
import { apiUrl, checkRegistryUrl, linkTarget } from '../../src/registry/urls';
import { startHubServer } from '../servers/hubServer';

describe('registry URLs', () => {
  it('refuse a query, a fragment (even empty) and a user part', () => {
    assert.equal(checkRegistryUrl('https://hub.docker.com/'), 'https://hub.docker.com');
    assert.equal(checkRegistryUrl('http://127.0.0.1:5000/prefix//'), 'http://127.0.0.1:5000/prefix');
    for (const bad of ['https://hub.docker.com#', 'https://hub.docker.com/?', 'https://h/?a=1', 'https://h/#x', 'https://u:p@h/', 'https://hub.docker.com@evil.example/', 'ftp://h/', 'nope']) {
      assert.throws(() => checkRegistryUrl(bad), (e: unknown) => e instanceof RegistryError && e.kind === 'config', bad);
    }
  });

  it('settings refuse the same', () => {
    const { entries, problems } = parseRegistries([
      { name: 'a', kind: 'dockerhub', url: 'https://hub.docker.com#' },
      { name: 'b', kind: 'dockerhub', url: 'https://hub.docker.com', registryUrl: 'https://registry-1.docker.io/?' },
      { name: 'c', kind: 'oci', url: 'https://r.example/' },
    ]);
    assert.deepEqual(entries.map((e) => e.name), ['c']);
    assert.deepEqual(problems.map((p) => [p.label, p.field]), [['a', 'url'], ['b', 'registryUrl']]);
  });

  it('request URLs are built with new URL(path, base) and keep a path prefix', () => {
    assert.equal(apiUrl('https://h/prefix', '/v2/auth/token').href, 'https://h/prefix/v2/auth/token');
    assert.equal(apiUrl('https://h', '/v2/x', { page: 2, name: 'a b', empty: '' }).href, 'https://h/v2/x?page=2&name=a+b');
  });

  it('a Docker Hub connection whose url ends in # never posts the token anywhere', async () => {
    const hub = await startHubServer();
    hub.addUser('demo', 'demo-password');
    try {
      assert.throws(
        () => new DockerHubProvider({ connection: { id: 'h', kind: 'dockerhub', url: `${hub.url}#` }, credentials: async () => ({ username: 'demo', secret: 'demo-password' }), logger: silentLogger }, { registry: null }),
        (e: unknown) => e instanceof RegistryError && e.kind === 'config',
      );
      assert.equal(hub.requests.length, 0);
    } finally {
      await hub.close();
    }
  });

  it('a link with a user part is not opened; others show their host', () => {
    assert.deepEqual(linkTarget('https://docs.docker.com/x?y#z'), { url: 'https://docs.docker.com/x?y#z', host: 'docs.docker.com' });
    assert.ok('refused' in linkTarget('https://hub.docker.com@evil.example/'));
    assert.match((linkTarget('https://hub.docker.com@evil.example/') as { refused: string }).refused, /evil\.example/);
    assert.ok('refused' in linkTarget('javascript:alert(1)'));
    assert.ok('refused' in linkTarget('not a url'));
  });
});
