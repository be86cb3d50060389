import * as assert from 'node:assert/strict';
import { countConnections, loadDetailsPage, TREE_DETAILS_CONCURRENCY } from '../support/detailsPage';
import { providerFor, requestsDuring, sharedSandbox } from '../support/registryFixture';
import type { Sandbox } from '../support/sandbox';

describe('a page of tag details over TLS with a private CA (distribution 2.8)', () => {
  let sb: Sandbox;
  before(async () => {
    sb = await sharedSandbox();
  });

  it('100 details, eight at once, reuse the connections instead of opening one per HEAD', async () => {
    const counter = await countConnections(sb.oci.host);
    const p = providerFor({ ...sb.oci, url: `https://${counter.host}` }, { trustCa: true });
    try {
      const tags = sb.content.many.tags.slice(0, 100);
      const { result: details, requests } = await requestsDuring(sb.oci, () => loadDetailsPage(p, sb.content.many.repository, tags));
      assert.equal(details.length, 100);
      assert.ok(details.every((d) => d.digest === sb.content.many.digest));
      const heads = requests.filter((r) => r.method === 'HEAD');
      assert.ok(heads.length >= 100, `${heads.length} HEADs`);
      // At most two per worker (undici opens a second one when asked again in the turn an answer came in): without
      // keep-alive after HEAD it is one connection, and one TLS handshake, per tag.
      assert.ok(counter.connections <= 2 * TREE_DETAILS_CONCURRENCY, `${counter.connections} connections for ${requests.length} requests`);
    } finally {
      p.dispose();
      await counter.close();
    }
  });
});
