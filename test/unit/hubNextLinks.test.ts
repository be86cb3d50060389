import * as assert from 'node:assert/strict';
import type { Logger } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import { hubTransport } from '../../src/registry/dockerhub/transport';
import { BadResponseError } from '../../src/registry/errors';
import { HttpTransport } from '../../src/registry/http';
import { PagedList } from '../../src/tree/pagedList';
import { startHubServer, type HubServer } from '../servers/hubServer';

function capture(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (m: string) => void lines.push(m);
  return { lines, trace: add, debug: add, info: add, warn: add, error: add };
}

describe("Docker Hub next links naming hub.docker.com (the OpenAPI examples' habit)", () => {
  let hub: HubServer;
  beforeEach(async () => {
    hub = await startHubServer({ linkOrigin: 'https://hub.docker.com' });
    hub.addUser('demo', 'demo-password');
    hub.addUser('alice', 'alice-password');
    hub.addUser('bob', 'bob-password');
    hub.addOrg('acme', { demo: 'owner', alice: 'member', bob: 'member' });
    for (let i = 0; i < 5; i++) hub.addRepository('acme', `app${i}`, {});
  });
  afterEach(() => hub.close());

  it('repositories and organization members page on through the configured origin; the host change is logged', async () => {
    const logger = capture();
    const p = new DockerHubProvider({ connection: { id: 'h', kind: 'dockerhub', url: hub.url }, credentials: async () => ({ username: 'demo', secret: 'demo-password' }), logger }, { registry: null });
    try {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await p.listRepositories('acme', cursor, { pageSize: 2 });
        assert.equal(page.error, undefined);
        names.push(...page.items.map((r) => r.name));
        cursor = page.next;
        if (cursor) assert.equal(new URL(cursor).origin, new URL(hub.url).origin);
      } while (cursor);
      assert.equal(names.length, 5);
      assert.ok(logger.lines.some((l) => /names hub\.docker\.com; its path is requested from 127\.0\.0\.1/.test(l)), logger.lines.join('\n'));
      const members = await p.hub.listOrgMembers('acme', undefined, { pageSize: 2 });
      assert.ok(members.next);
      const rest = await p.hub.listOrgMembers('acme', members.next, { pageSize: 2 });
      assert.equal(members.items.length + rest.items.length, 3);
    } finally {
      p.dispose();
    }
  });

  it('a next link that cannot be followed keeps the page already fetched, and the tree shows it with an error', async () => {
    const inner = hubTransport(new HttpTransport({ timeoutMs: 5000 }));
    const transport = {
      async send(req: Parameters<typeof inner.send>[0]) {
        const res = await inner.send(req);
        if (!req.url.includes('/repositories')) return res;
        const body = JSON.parse(res.text) as { next?: string };
        body.next = 'ftp://hub.docker.com/v2/x';
        return { ...res, text: JSON.stringify(body) };
      },
    };
    const p = new DockerHubProvider({ connection: { id: 'h', kind: 'dockerhub', url: hub.url }, credentials: async () => ({ username: 'demo', secret: 'demo-password' }), logger: capture() }, { registry: null, transport });
    try {
      const page = await p.listRepositories('acme', undefined, { pageSize: 2 });
      assert.equal(page.items.length, 2);
      assert.ok(page.error instanceof BadResponseError);
      const list = new PagedList((c) => p.listRepositories('acme', c, { pageSize: 2 }), 2);
      await list.ensureLoaded();
      assert.equal(list.items.length, 2);
      assert.match(list.error?.message ?? '', /next-page link/);
      assert.equal(list.hasMore, false);
    } finally {
      p.dispose();
    }
  });
});
