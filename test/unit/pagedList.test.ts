import * as assert from 'node:assert/strict';
import { NotFoundError } from '../../src/registry/errors';
import type { Cursor, Page } from '../../src/registry/provider';
import { PagedList } from '../../src/tree/pagedList';

function serverPaged(total: number, size: number) {
  const calls: (Cursor | undefined)[] = [];
  const loader = async (c: Cursor | undefined): Promise<Page<{ name: string }>> => {
    calls.push(c);
    const start = c ? Number(c) : 0;
    const items = Array.from({ length: Math.min(size, total - start) }, (_, i) => ({ name: `t${start + i}` }));
    return { items, next: start + size < total ? String(start + size) : undefined };
  };
  return { calls, loader };
}

describe('PagedList (tree paging state)', () => {
  it('fetches one page per expansion and one per Load more', async () => {
    const { calls, loader } = serverPaged(250, 100);
    const list = new PagedList(loader, 100);
    await Promise.all([list.ensureLoaded(), list.ensureLoaded()]);
    assert.equal(calls.length, 1, 'concurrent expansions share one request');
    assert.equal(list.items.length, 100);
    assert.ok(list.hasMore);
    await list.loadMore();
    await list.loadMore();
    assert.equal(list.items.length, 250);
    assert.equal(list.hasMore, false);
    assert.deepEqual(calls, [undefined, '100', '200']);
  });

  it('pages locally when the server returns everything at once, sorting the whole list', async () => {
    let calls = 0;
    const all = Array.from({ length: 1500 }, (_, i) => ({ name: `v${1499 - i}` }));
    const list = new PagedList(
      async () => {
        calls++;
        return { items: all };
      },
      100,
      (items, whole) => (whole ? [...items].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })) : items),
    );
    await list.ensureLoaded();
    assert.equal(list.items.length, 100);
    assert.equal(list.items[0]!.name, 'v0');
    assert.equal(list.remaining, 1400);
    assert.equal(list.all.length, 1500, 'filters search the whole list');
    for (let i = 0; i < 14; i++) await list.loadMore();
    assert.equal(list.items.length, 1500);
    assert.equal(list.items[1499]!.name, 'v1499');
    assert.equal(list.hasMore, false);
    assert.equal(calls, 1, 'one request for all 1,500 tags');
  });

  it('keeps loaded items and reports the error of a failed next page; retry continues', async () => {
    let fail = false;
    const { loader } = serverPaged(300, 100);
    const list = new PagedList(async (c) => {
      if (fail) throw new NotFoundError('gone');
      return loader(c);
    }, 100);
    await list.ensureLoaded();
    fail = true;
    await list.loadMore();
    assert.equal(list.items.length, 100);
    assert.equal(list.error?.kind, 'notFound');
    fail = false;
    await list.loadMore();
    assert.equal(list.error, undefined);
    assert.equal(list.items.length, 200);
  });

  it('turns any thrown value into a typed error instead of throwing', async () => {
    const list = new PagedList<{ name: string }>(async () => {
      throw new TypeError('boom');
    }, 10);
    await list.ensureLoaded();
    assert.equal(list.items.length, 0);
    assert.equal(list.error?.message, 'boom');
    assert.equal(list.hasMore, false);
  });
});
