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
