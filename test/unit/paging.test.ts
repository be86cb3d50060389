import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { BadResponseError } from '../../src/registry/errors';
import { OciProvider } from '../../src/registry/oci/provider';
import { MAX_LIST_ITEMS } from '../../src/registry/paging';
import type { Tag } from '../../src/registry/provider';
import { sortTags } from '../../src/registry/tagOrder';
import { PagedList } from '../../src/tree/pagedList';
import { startOciServer, type OciServer } from '../servers/ociServer';

let reg: OciServer | undefined;
afterEach(async () => {
  await reg?.close();
  reg = undefined;
});

function oci(url: string): OciProvider {
  return new OciProvider({ connection: { id: 't', kind: 'oci', url }, credentials: async () => undefined, logger: silentLogger, http: { timeoutMs: 10_000, maxRetries: 0 } });
}

describe('paging limits', () => {
  it('a whole tag list larger than the limit is cut, and the tree shows the kept tags and an error', async () => {
    reg = await startOciServer({ tagPaging: false });
    const digest = reg.addImage('big/repo', 'latest');
    reg.tag('big/repo', Array.from({ length: MAX_LIST_ITEMS + 50 }, (_, i) => `1.${i}`), digest);
    const p = oci(reg.url);
    try {
      const page = await p.listTags('big/repo', undefined, { pageSize: 100 });
      assert.equal(page.items.length, MAX_LIST_ITEMS);
      assert.ok(page.error instanceof BadResponseError);
      assert.match(page.error.message, /100,051 entries; only the first 100,000 are kept/);
      const list = new PagedList<Tag>(async () => page, 100, (items, whole) => (whole ? sortTags(items, 'natural') : items));
      await list.ensureLoaded();
      assert.equal(list.items.length, 100);
      assert.equal(list.all.length, MAX_LIST_ITEMS);
      assert.equal(list.error, page.error);
      assert.equal(list.canResume, false, 'Retry starts the list over');
    } finally {
      p.dispose();
    }
  });
});

describe('paging loops', () => {
  it('planDeleteTag stops on a Link that points at itself', async () => {
    const http = await import('node:http');
    // A registry whose tag list links to itself: the provider must stop, not loop.
    const loop = http.createServer((req, res) => {
      if (req.method === 'HEAD' || req.url?.includes('/manifests/')) {
        res.writeHead(200, { 'docker-content-digest': 'sha256:' + 'a'.repeat(64), 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', link: `<${req.url}>; rel="next"` }).end(JSON.stringify({ name: 'team/app', tags: ['1.0', '2.0'] }));
    });
    await new Promise<void>((r) => loop.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(loop.address() as import('node:net').AddressInfo).port}`;
    const p = oci(url);
    let requests = 0;
    loop.on('request', () => requests++);
    try {
      await assert.rejects(p.planDeleteTag('team/app', '1.0'), (e: Error) => e instanceof BadResponseError && /paging loop/.test(e.message));
      assert.ok(requests < 10, `${requests} requests`);
    } finally {
      p.dispose();
      loop.close();
    }
  });

  it('the tree stops an A → B → A cursor cycle with an error instead of offering Load more forever', async () => {
    const calls: (string | undefined)[] = [];
    const list = new PagedList<{ name: string }>(async (c) => {
      calls.push(c);
      return { items: [{ name: `x${calls.length}` }], next: c === 'B' ? 'A' : c === 'A' ? 'B' : 'A' };
    }, 100);
    await list.ensureLoaded();
    for (let i = 0; i < 5 && list.hasMore; i++) await list.loadMore();
    assert.deepEqual(calls, [undefined, 'A', 'B']);
    assert.equal(list.hasMore, false);
    assert.match(list.error?.message ?? '', /paging loop/);
    assert.equal(list.items.length, 3, 'items fetched before the loop stay');
  });

  it('a failed page can be retried with the same cursor', async () => {
    let fail = true;
    const list = new PagedList<{ name: string }>(async (c) => {
      if (c === 'B' && fail) {
        fail = false;
        throw new Error('flaky');
      }
      return { items: [{ name: c ?? 'first' }], next: c === undefined ? 'B' : undefined };
    }, 100);
    await list.ensureLoaded();
    await list.loadMore();
    assert.match(list.error?.message ?? '', /flaky/);
    await list.loadMore();
    assert.equal(list.error, undefined);
    assert.deepEqual(list.items.map((i) => i.name), ['first', 'B']);
  });
});
