import * as assert from 'node:assert/strict';
import { resolveOperation } from '../../src/admin/operation';
import { silentLogger } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { hubTransport } from '../../src/registry/dockerhub/transport';
import { DockerHubV1Provider } from '../../src/registry/dockerhubV1/provider';
import { BadResponseError } from '../../src/registry/errors';
import { HttpTransport } from '../../src/registry/http';
import { checkPathSegments, checkRepositoryName, checkTagName, pathSegment } from '../../src/registry/names';
import { OciProvider } from '../../src/registry/oci/provider';
import { startHubServer } from '../servers/hubServer';
import { startHubV1Server } from '../servers/hubV1Server';
import { startOciServer } from '../servers/ociServer';

const bad = (e: unknown) => e instanceof BadResponseError;

describe('repository and tag names', () => {
  it('follow the Distribution grammar', () => {
    for (const ok of ['a', 'team/app', 'a.b/c__d/e--f', 'x/y/z']) assert.equal(checkRepositoryName(ok), ok);
    for (const no of ['', '..', '.', 'victim/../../v2/other', 'a//b', 'A/b', '/a', 'a/', 'a/.', 'a b', 'a%2fb']) assert.throws(() => checkRepositoryName(no), BadResponseError, no);
    for (const ok of ['latest', '1.0', '_x', 'v1.2-rc.3', 'A'.repeat(128)]) assert.equal(checkTagName(ok), ok);
    for (const no of ['', '.', '..', '.x', '-x', 'a/b', 'a b', 'A'.repeat(129), '%2e%2e']) assert.throws(() => checkTagName(no), BadResponseError, no);
    for (const no of ['', '.', '..', 'a/b']) assert.throws(() => pathSegment(no), BadResponseError, no);
    assert.equal(pathSegment('a b'), 'a%20b');
    for (const no of ['/v2/a/../b', '/v2/%2e%2e/b', '/v2/a/./b', '/v2/a%2Fb']) assert.throws(() => checkPathSegments(no), BadResponseError, no);
  });

  it('OCI: a name with `..` is refused before any request', async () => {
    const reg = await startOciServer();
    reg.addImage('v2/other', 'latest');
    const p = new OciProvider({ connection: { id: 't', kind: 'oci', url: reg.url }, credentials: async () => undefined, logger: silentLogger, http: { maxRetries: 0 } });
    try {
      await assert.rejects(p.listTags('victim/../../v2/other', undefined), bad);
      await assert.rejects(p.getTagDetails('team/app', '..'), bad);
      await assert.rejects(p.planDeleteTag('team/app', '../../x'), bad);
      assert.equal(reg.requests.length, 0, reg.requests.map((r) => `${r.method} ${r.path}`).join(', '));
    } finally {
      p.dispose();
      await reg.close();
    }
  });

  it('Docker Hub: deleting tag `..` never sends DELETE for the repository', async () => {
    const hub = await startHubServer();
    hub.addUser('alice', 'alice-password');
    hub.addRepository('alice', 'app', {});
    const p = new DockerHubProvider({ connection: { id: 'h', kind: 'dockerhub', url: hub.url }, credentials: async () => ({ username: 'alice', secret: 'alice-password' }), logger: silentLogger }, { registry: null });
    try {
      const before = hub.requests.length;
      await assert.rejects(p.planDeleteTag('alice/app', '..'), bad);
      await assert.rejects(p.deleteTag({ repository: 'alice/app', tag: '..', digest: '', affectedTags: ['..'], byDigest: false }), bad);
      await assert.rejects(resolveOperation(p.admin, 'remove', { type: 'repository', scope: { namespace: 'alice', repository: 'alice/..' }, key: 'alice/..' }).run(undefined), bad);
      await assert.rejects(p.hub.deleteRepository('alice', '..'), bad);
      assert.equal(hub.requests.length, before);
    } finally {
      p.dispose();
      await hub.close();
    }
  });

  it('v1 index: deleteRepository("..", "..") sends nothing', async () => {
    const v1 = await startHubV1Server();
    v1.addUser('admin', 'admin-pass', { admin: true });
    const p = new DockerHubV1Provider(
      { connection: { id: 'v', kind: 'dockerhub-v1', url: v1.url }, credentials: async () => ({ username: 'admin', secret: 'admin-pass' }), logger: silentLogger },
      { transport: hubTransport(new HttpTransport({ timeoutMs: 5000 })) },
    );
    try {
      await assert.rejects(p.deleteIndexRepository('..', '..'), bad);
      await assert.rejects(p.deleteIndexRepository(undefined, '.'), bad);
      assert.equal(v1.requests.filter((r) => r.method === 'DELETE').length, 0);
    } finally {
      p.dispose();
      await v1.close();
    }
  });
});
