import * as assert from 'node:assert/strict';
import { silentLogger, type ProviderContext } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { ForbiddenError, UnauthorizedError } from '../../src/registry/errors';
import { startHubServer, type HubServer } from '../servers/hubServer';
import { hubTransport } from '../../src/registry/dockerhub/transport';
import { HttpTransport } from '../../src/registry/http';

function makeProvider(hub: HubServer, username: string, secret: string): DockerHubProvider {
  const ctx: ProviderContext = {
    connection: { id: 'hub', kind: 'dockerhub', url: hub.url },
    credentials: async () => ({ username, secret }),
    logger: silentLogger,
  };
  return new DockerHubProvider(ctx, { transport: hubTransport(new HttpTransport({ timeoutMs: 5_000 })) });
}

describe('Docker Hub account API (tokens, organizations, audit log)', () => {
  let hub: HubServer;

  beforeEach(async () => {
    hub = await startHubServer();
    hub.addUser('demo', 'demo-password', { fullName: 'Demo User' });
    hub.addUser('alice', 'alice-password', { fullName: 'Alice' });
    hub.addUser('bob', 'bob-password');
    hub.addOrg('acme', { demo: 'owner', alice: 'member', bob: 'member' });
    hub.addRepository('acme', 'api');
    hub.addGroup('acme', 'owners', ['demo']);
    hub.addGroup('acme', 'developers', ['alice']);
  });
  afterEach(async () => hub.close());

  describe('personal access tokens', () => {
    it('creates a token (secret shown once), lists it without the secret, deactivates and deletes it', async () => {
      const p = makeProvider(hub, 'demo', 'demo-password');
      const created = await p.hub.createPersonalAccessToken({ label: 'ci', scopes: ['repo:read'], expiresAt: '2099-01-01T00:00:00.000Z' });
      assert.match(created.secret, /^dckr_pat_/);
      assert.equal(created.label, 'ci');
      assert.deepEqual(created.scopes, ['repo:read']);
      assert.equal(created.isActive, true);
      assert.equal(created.expiresAt, '2099-01-01T00:00:00.000Z');

      const list = await p.hub.listPersonalAccessTokens(undefined);
      assert.equal(list.items.length, 1);
      assert.deepEqual(Object.keys(list.items[0]!).includes('secret'), false, 'lists never carry the secret');

      // The new token signs in.
      const viaPat = makeProvider(hub, 'demo', created.secret);
      assert.equal(await viaPat.signIn(), 'demo');

      const off = await p.hub.setPersonalAccessTokenActive(created.uuid, false);
      assert.equal(off.isActive, false);
      assert.equal(hub.patActive('demo', 'ci'), false);
      await assert.rejects(makeProvider(hub, 'demo', created.secret).signIn(), UnauthorizedError);
      assert.equal((await p.hub.setPersonalAccessTokenActive(created.uuid, true)).isActive, true);

      await p.hub.deletePersonalAccessToken(created.uuid);
      assert.equal(hub.patActive('demo', 'ci'), undefined);
      assert.equal((await p.hub.listPersonalAccessTokens(undefined)).items.length, 0);
    });

    it('pages token lists with the next link as cursor', async () => {
      for (let i = 0; i < 12; i++) hub.createPat('demo', { label: `t${i}` });
      const p = makeProvider(hub, 'demo', 'demo-password');
      const first = await p.hub.listPersonalAccessTokens(undefined, { pageSize: 5 });
      const second = await p.hub.listPersonalAccessTokens(first.next);
      const third = await p.hub.listPersonalAccessTokens(second.next);
      assert.deepEqual([first.items.length, second.items.length, third.items.length], [5, 5, 2]);
      assert.equal(third.next, undefined);
    });

    it('reports a rejected scope with the server message kind', async () => {
      const p = makeProvider(hub, 'demo', 'demo-password');
      await assert.rejects(p.hub.createPersonalAccessToken({ label: 'x', scopes: ['repo:everything'] }), (e: unknown) => (e as { status?: number }).status === 400);
    });
  });

  it('reads the signed-in account (GET /v2/user/)', async () => {
    const me = await makeProvider(hub, 'demo', 'demo-password').hub.whoami();
    assert.deepEqual([me.username, me.fullName], ['demo', 'Demo User']);
  });

  describe('organizations', () => {
    it('lists members with roles and groups', async () => {
      const p = makeProvider(hub, 'demo', 'demo-password');
      const members = await p.hub.listOrgMembers('acme', undefined);
      assert.deepEqual(
        members.items.map((m) => [m.username, m.role, m.groups]),
        [
          ['alice', 'Member', ['developers']],
          ['bob', 'Member', []],
          ['demo', 'Owner', ['owners']],
        ],
      );
      assert.equal(members.items[2]!.fullName, 'Demo User');
    });

    it('reads the spec-literal member list (an array of pages) too', async () => {
      hub.setShapes('literal');
      const p = makeProvider(hub, 'demo', 'demo-password');
      assert.equal((await p.hub.listOrgMembers('acme', undefined)).items.length, 3);
    });

    it('lists groups and adds / removes a group member', async () => {
      const p = makeProvider(hub, 'demo', 'demo-password');
      const groups = await p.hub.listGroups('acme', undefined);
      assert.deepEqual(groups.items.map((g) => [g.name, g.memberCount]), [['developers', 1], ['owners', 1]]);
      await p.hub.addGroupMember('acme', 'developers', 'bob');
      assert.deepEqual((await p.hub.listGroupMembers('acme', 'developers', undefined)).items.map((m) => m.username), ['alice', 'bob']);
      await p.hub.removeGroupMember('acme', 'developers', 'alice');
      assert.deepEqual((await p.hub.listGroupMembers('acme', 'developers', undefined)).items.map((m) => m.username), ['bob']);
    });

    it('forbids group changes to plain members', async () => {
      const p = makeProvider(hub, 'alice', 'alice-password');
      await assert.rejects(p.hub.addGroupMember('acme', 'developers', 'bob'), ForbiddenError);
    });

    it('lists, creates (secret once) and revokes organization access tokens', async () => {
      const p = makeProvider(hub, 'demo', 'demo-password');
      const created = await p.hub.createOrgAccessToken('acme', { label: 'deploy', resources: [{ type: 'TYPE_REPO', path: 'acme/api', scopes: ['scope-image-pull'] }] });
      assert.match(created.secret, /^dckr_oat_/);
      assert.deepEqual(created.resources, [{ type: 'TYPE_REPO', path: 'acme/api', scopes: ['scope-image-pull'] }]);
      const list = await p.hub.listOrgAccessTokens('acme', undefined);
      assert.deepEqual(list.items.map((t) => [t.label, t.isActive, t.createdBy]), [['deploy', true, 'demo']]);
      // An organization access token signs in with the organization name as identifier.
      const asOrg = makeProvider(hub, 'acme', created.secret);
      assert.equal(await asOrg.signIn(), 'acme');
      assert.equal((await p.hub.setOrgAccessTokenActive('acme', created.id, false)).isActive, false);
      await p.hub.revokeOrgAccessToken('acme', created.id);
      assert.equal((await p.hub.listOrgAccessTokens('acme', undefined)).items.length, 0);
    });
  });

  describe('audit log', () => {
    it('pages the audit log newest first, one request per page, ending on a short page', async () => {
      hub.addAuditEvents('acme', 60);
      const p = makeProvider(hub, 'demo', 'demo-password');
      hub.clearRequests();
      const sizes: number[] = [];
      let cursor: string | undefined;
      let newest: string | undefined;
      do {
        const page = await p.hub.listAuditLog('acme', cursor, { pageSize: 25 });
        newest ??= page.items[0]?.timestamp;
        sizes.push(page.items.length);
        cursor = page.next;
      } while (cursor);
      assert.deepEqual(sizes, [25, 25, 10]);
      assert.equal(hub.requests.filter((r) => r.path === '/v2/auditlogs/acme').length, 3);
      const first = await p.hub.listAuditLog('acme', undefined, { pageSize: 2 });
      assert.ok(first.items[0]!.timestamp >= first.items[1]!.timestamp);
      assert.equal(first.items[0]!.action, 'repo.tag.push');
      assert.equal(first.items[0]!.data.tag, 'v59');
    });

    it('filters by action and forbids non-owners', async () => {
      hub.addAuditEvents('acme', 5);
      hub.addAuditEvents('acme', 2, 'repo.create');
      const p = makeProvider(hub, 'demo', 'demo-password');
      assert.equal((await p.hub.listAuditLog('acme', undefined, { action: 'repo.create' })).items.length, 2);
      await assert.rejects(makeProvider(hub, 'alice', 'alice-password').hub.listAuditLog('acme', undefined), ForbiddenError);
    });
  });
});
