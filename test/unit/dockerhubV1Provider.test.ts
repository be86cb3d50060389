import * as assert from 'node:assert/strict';
import { silentLogger, type ProviderContext } from '../../src/registry/context';
import { parseEndpoints, parseTokenParams } from '../../src/registry/dockerhubV1/client';
import { DockerHubV1Provider } from '../../src/registry/dockerhubV1/provider';
import { BadResponseError, ForbiddenError, NotFoundError, UnauthorizedError, UnsupportedError } from '../../src/registry/errors';
import { startHubV1Server, type HubV1Server } from '../servers/hubV1Server';
import { hubTransport } from '../../src/registry/dockerhub/transport';
import { HttpTransport } from '../../src/registry/http';

const ID1 = '9e89cc6f0bc3c38722009fe6857087b486531f9a779a0c17e3ed29dae8f12c4f';
const SUM1 = 'b486531f9a779a0c17e3ed29dae8f12c4f9e89cc6f0bc3c38722009fe6857087';
const ID2 = 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12';

function makeProvider(server: HubV1Server, creds?: { username?: string; secret?: string }, namespaces?: string[], onChange?: (r: string[]) => void): DockerHubV1Provider {
  const ctx: ProviderContext = {
    connection: { id: 'v1', kind: 'dockerhub-v1', url: server.url, namespaces },
    credentials: async () => creds,
    logger: silentLogger,
  };
  return new DockerHubV1Provider(ctx, { transport: hubTransport(new HttpTransport({ timeoutMs: 5_000 })), onRepositoriesChanged: onChange });
}

describe('Docker Hub v1 index provider', () => {
  let v1: HubV1Server;

  beforeEach(async () => {
    v1 = await startHubV1Server({ endpoints: ['registry-1.example.test', 'registry-2.example.test'] });
    v1.addUser('foobar', 'toto42');
    v1.addUser('admin', 'admin-pass', { admin: true });
    v1.addUser('sleepy', 'sleepy-pass', { active: false });
    v1.addRepository('foo', 'bar', [{ id: ID1, checksum: SUM1 }, { id: ID2 }]);
    v1.addRepository('library', 'busybox', [{ id: ID2, checksum: SUM1 }]);
  });
  afterEach(async () => v1.close());

  it('checks a login with Basic credentials (GET /v1/users/)', async () => {
    await makeProvider(v1, { username: 'foobar', secret: 'toto42' }).signIn();
    const req = v1.requests.at(-1)!;
    assert.deepEqual([req.method, req.path, req.auth, req.status], ['GET', '/v1/users/', 'basic', 200]);
    await assert.rejects(makeProvider(v1, { username: 'foobar', secret: 'wrong' }).signIn(), (e: unknown) => e instanceof UnauthorizedError && /sign in again/.test(e.message) && !/wrong/.test(e.message));
    await assert.rejects(makeProvider(v1, { username: 'sleepy', secret: 'sleepy-pass' }).signIn(), (e: unknown) => e instanceof ForbiddenError && /not be active/.test(e.message));
    await assert.rejects(makeProvider(v1, undefined).signIn(), UnauthorizedError);
  });

  it('pings: reachable signed in, reachable (not signed in) anonymously, unreachable when down', async () => {
    const ok = await makeProvider(v1, { username: 'foobar', secret: 'toto42' }).ping();
    assert.deepEqual([ok.ok, ok.details!.Login], [true, 'accepted']);
    const anon = await makeProvider(v1, undefined).ping();
    assert.deepEqual([anon.ok, anon.details!.Login], [true, 'not signed in']);
    const bad = await makeProvider(v1, { username: 'foobar', secret: 'nope' }).ping();
    assert.equal(bad.ok, false);
    assert.equal(bad.error?.kind, 'unauthorized');
  });

  it('lists the images of a user repository and of a library repository', async () => {
    const p = makeProvider(v1, undefined, ['foo/bar', 'library/busybox']);
    const { images } = await p.listImages('foo/bar');
    assert.deepEqual(images, [{ id: ID1, checksum: SUM1 }, { id: ID2 }]);
    assert.equal(v1.requests.at(-1)!.path, '/v1/repositories/foo/bar/images');
    const lib = await p.listTags('library/busybox', undefined);
    assert.deepEqual(lib.items, [{ name: ID2 }]);
    assert.equal(v1.requests.at(-1)!.path, '/v1/repositories/busybox/images', 'library form without a namespace');
    assert.equal(lib.next, undefined, 'everything in one page');
    await assert.rejects(p.listTags('foo/missing', undefined), NotFoundError);
  });

  it('shows namespaces and repositories from the settings, since the index cannot list them', async () => {
    const p = makeProvider(v1, { username: 'foobar', secret: 'toto42' }, ['foo/bar', 'library/busybox', 'team']);
    assert.deepEqual((await p.listNamespaces(undefined)).items.map((n) => n.name), ['foobar', 'foo', 'library', 'team']);
    assert.deepEqual((await p.listRepositories('foo', undefined)).items, [{ name: 'foo/bar', namespace: 'foo' }]);
    assert.deepEqual((await p.listRepositories('team', undefined)).items, []);
    assert.equal(v1.requests.length, 0, 'no listing requests exist to make');
  });

  it('creates and deletes a user repository with the X-Docker-Token handshake', async () => {
    const changes: string[][] = [];
    const p = makeProvider(v1, { username: 'foobar', secret: 'toto42' }, [], (r) => changes.push(r));
    const created = await p.createIndexRepository('foobar', 'app', [{ id: ID1 }]);
    const put = v1.requests.at(-1)!;
    assert.deepEqual([put.method, put.path, put.auth, put.wantedToken, put.status], ['PUT', '/v1/repositories/foobar/app/', 'basic', true, 200]);
    assert.equal(created.token, v1.issuedTokens.at(-1));
    assert.equal(created.repository, 'foobar/app');
    assert.equal(created.access, 'write');
    assert.deepEqual(created.endpoints, ['registry-1.example.test', 'registry-2.example.test']);
    assert.equal(p.pullHost(), 'registry-1.example.test', 'pull host from X-Docker-Endpoints');
    assert.ok(v1.hasRepository('foobar', 'app'));
    assert.deepEqual((await p.listRepositories('foobar', undefined)).items.map((r) => r.name), ['foobar/app']);

    const deleted = await p.deleteIndexRepository('foobar', 'app');
    const del = v1.requests.at(-1)!;
    assert.deepEqual([del.method, del.path, del.wantedToken, del.status], ['DELETE', '/v1/repositories/foobar/app/', true, 202]);
    assert.equal(deleted.access, 'delete');
    assert.equal(v1.hasRepository('foobar', 'app'), false);
    assert.deepEqual(changes, [['foobar/app'], []]);
  });

  it('creates and deletes library repositories as an admin, and explains the refusal otherwise', async () => {
    const admin = makeProvider(v1, { username: 'admin', secret: 'admin-pass' });
    const g = await admin.createIndexRepository(undefined, 'foobar');
    assert.equal(v1.requests.at(-1)!.path, '/v1/repositories/foobar/');
    assert.equal(g.repository, 'library/foobar', 'WWW-Authenticate names the library repository');
    await admin.deleteIndexRepository('library', 'foobar');
    assert.equal(v1.hasRepository(undefined, 'foobar'), false);
    const user = makeProvider(v1, { username: 'foobar', secret: 'toto42' });
    await assert.rejects(user.createIndexRepository(undefined, 'nope'), (e: unknown) => e instanceof ForbiddenError && /administrators/.test(e.message));
    await assert.rejects(user.createIndexRepository('someone-else', 'nope'), ForbiddenError);
  });

  it('requires credentials for repository changes without sending a request', async () => {
    const p = makeProvider(v1, undefined);
    await assert.rejects(p.createIndexRepository('foo', 'x'), UnauthorizedError);
    assert.equal(v1.requests.length, 0);
  });

  it('says clearly what v1 cannot do', async () => {
    const p = makeProvider(v1, undefined);
    await assert.rejects(p.getTagDetails(), (e: unknown) => e instanceof UnsupportedError && /no manifests/.test(e.message));
    await assert.rejects(p.planDeleteTag(), (e: unknown) => e instanceof UnsupportedError && /delete the repository instead/.test(e.message));
    assert.equal(p.capabilities.deleteTag, false);
    assert.equal(p.capabilities.tagDetails, false);
  });

  it('rejects malformed or wrongly typed image lists with BadResponseError naming the field', async () => {
    const p = makeProvider(v1, undefined);
    v1.setFault({ kind: 'wrongType', path: '/v1/repositories/foo/bar/images' });
    await assert.rejects(p.listImages('foo/bar'), (e: unknown) => e instanceof BadResponseError && /field \[0\]\.id/.test(e.message));
    v1.setFault({ kind: 'malformed' });
    await assert.rejects(p.listImages('foo/bar'), (e: unknown) => e instanceof BadResponseError && /malformed JSON/.test(e.message));
    v1.setFault(undefined);
    await assert.rejects(p.listImages('foo/too/deep'), UnsupportedError);
  });

  it('updates images through PUT …/images only with valid JSON, as the document says', async () => {
    const auth = { Authorization: `Basic ${Buffer.from('foobar:toto42').toString('base64')}`, 'Content-Type': 'application/json' };
    v1.addRepository('foobar', 'imgs');
    assert.equal((await fetch(`${v1.url}/v1/repositories/foobar/imgs/images`, { method: 'PUT', headers: auth, body: JSON.stringify([{ id: ID2, checksum: 5 }]) })).status, 400);
    assert.equal((await fetch(`${v1.url}/v1/repositories/foobar/imgs/images`, { method: 'PUT', headers: auth, body: JSON.stringify([{ id: ID2, checksum: SUM1 }]) })).status, 204);
    assert.deepEqual((await makeProvider(v1, undefined).listImages('foobar/imgs')).images, [{ id: ID2, checksum: SUM1 }]);
  });

  it('parses X-Docker-Token parameters and X-Docker-Endpoints lists', () => {
    assert.deepEqual(parseTokenParams('signature=123abc,repository="foo/bar",access=write'), { signature: '123abc', repository: 'foo/bar', access: 'write' });
    assert.deepEqual(parseEndpoints('registry-1.docker.io [, registry-2.docker.io]'), ['registry-1.docker.io', 'registry-2.docker.io']);
    assert.deepEqual(parseEndpoints(undefined), []);
  });
  it('the fake index authorises only a write token for its repository (PUT …/auth checks the access kind)', async () => {
    const basic = `Basic ${Buffer.from('foobar:toto42').toString('base64')}`;
    const tokenFrom = async (method: string, path: string): Promise<string> => {
      const res = await fetch(`${v1.url}${path}`, { method, headers: { Authorization: basic, 'X-Docker-Token': 'true', 'Content-Type': 'application/json' }, body: method === 'PUT' ? '[]' : undefined });
      const t = res.headers.get('x-docker-token');
      assert.ok(t, `${method} ${path} issued a token`);
      return t;
    };
    const authorize = async (path: string, token: string) => (await fetch(`${v1.url}${path}`, { method: 'PUT', headers: { Authorization: `Token ${token}` } })).status;
    const read = await tokenFrom('GET', '/v1/repositories/foo/bar/images');
    assert.match(read, /access=read/);
    assert.equal(await authorize('/v1/repositories/foo/bar/auth', read), 403, 'a read token authorises nothing');
    const write = await tokenFrom('PUT', '/v1/repositories/foobar/app/');
    assert.match(write, /access=write/);
    assert.equal(await authorize('/v1/repositories/foobar/app/auth', write), 200);
    assert.equal(await authorize('/v1/repositories/foo/bar/auth', write), 403, 'a token for another repository');
    assert.equal(await authorize('/v1/repositories/foobar/app/auth', 'signature=forged,repository="foobar/app",access=write'), 403);
  });
});
