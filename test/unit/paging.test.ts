import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { BadResponseError } from '../../src/registry/errors';
import { OciProvider } from '../../src/registry/oci/provider';
import { MAX_LIST_ITEMS, PagingGuard, capPage, collectAll, type Page } from '../../src/registry/paging';
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

describe('paging caps: 100,000 items and 1,000 pages', () => {
  /** A list of `pages` pages of `perPage` numbered items, counting the pages fetched. */
  function list(pages: number, perPage: number, lastExtra = 0): { fetch: (c: string | undefined) => Promise<Page<number>>; fetched: () => number } {
    let fetched = 0;
    return {
      fetched: () => fetched,
      fetch: async (cursor) => {
        fetched++;
        const n = cursor === undefined ? 0 : Number(cursor);
        const size = perPage + (n === pages - 1 ? lastExtra : 0);
        return { items: Array.from({ length: size }, (_, i) => n * perPage + i), next: n + 1 < pages ? String(n + 1) : undefined };
      },
    };
  }

  it('follows exactly 1,000 pages, and stops before requesting the 1,001st', async () => {
    const ok = list(1000, 1);
    assert.equal((await collectAll(ok.fetch, 'The list')).length, 1000);
    assert.equal(ok.fetched(), 1000);
    const over = list(1001, 1);
    await assert.rejects(collectAll(over.fetch, 'The list'), (e: Error) => e instanceof BadResponseError && /The list: more than 1,000 pages/.test(e.message));
    assert.equal(over.fetched(), 1000);
  });

  it('holds exactly 100,000 items, and refuses the 100,001st', async () => {
    assert.equal((await collectAll(list(100, 1000).fetch, 'The list')).length, 100_000);
    await assert.rejects(collectAll(list(100, 1000, 1).fetch, 'The list'), (e: Error) => e instanceof BadResponseError && /The list: more than 100,000 entries/.test(e.message));
  });

  it('the guard says the 1,001st page cannot be followed, and the 1,000th can', () => {
    const guard = new PagingGuard('The list');
    for (let i = 0; i < 999; i++) guard.request(i === 0 ? undefined : `c${i}`);
    assert.equal(guard.check('c999'), undefined);
    guard.request('c999');
    assert.match(guard.check('c1000')?.message ?? '', /more than 1,000 pages/);
    assert.throws(() => guard.request('c1000'), /more than 1,000 pages/);
    const items = new PagingGuard('The list');
    items.received(100_000);
    assert.throws(() => items.received(1), /more than 100,000 entries/);
  });

  it('a whole list of exactly 100,000 is kept whole; one more is cut to 100,000', () => {
    const exact = capPage({ items: new Array<number>(100_000).fill(0) }, 'The list');
    assert.equal(exact.error, undefined);
    const over = capPage({ items: new Array<number>(100_001).fill(0) }, 'The list');
    assert.equal(over.items.length, 100_000);
    assert.match(over.error?.message ?? '', /100,001 entries; only the first 100,000 are kept/);
  });
});

describe('an empty page that claims more', () => {
  it('ends a whole-list read with a paging error instead of fetching empty pages up to the page cap', async () => {
    let requests = 0;
    const pages: Record<string, Page<string>> = { start: { items: ['a', 'b'], next: 'p2' }, p2: { items: [], next: 'p3' }, p3: { items: ['never'] } };
    await assert.rejects(
      collectAll((c) => (requests++, Promise.resolve(pages[c ?? 'start']!)), 'The tags of a/b'),
      (e: unknown) => e instanceof BadResponseError && /empty page that claims more/.test(e.message),
    );
    assert.equal(requests, 2, 'the page after the empty one is not requested');
  });

  it('the tree keeps the items fetched before it and offers no Load more', async () => {
    const pages: Record<string, Page<string>> = { start: { items: ['a', 'b'], next: 'p2' }, p2: { items: [], next: 'p3' } };
    const list = new PagedList<string>((c) => Promise.resolve(pages[c ?? 'start']!), 2);
    await list.ensureLoaded();
    await list.loadMore();
    assert.deepEqual(list.items, ['a', 'b']);
    assert.equal(list.hasMore, false);
    assert.match(list.error?.message ?? '', /empty page that claims more/);
  });

  it('an empty last page (no next) is simply the end', async () => {
    assert.deepEqual(await collectAll((c) => Promise.resolve(c ? { items: [] } : { items: ['a'], next: 'p2' }), 'The tags of a/b'), ['a']);
  });
});
