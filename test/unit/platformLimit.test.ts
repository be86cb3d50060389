import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { MAX_PLATFORM_DETAILS, OciProvider } from '../../src/registry/oci/provider';
import { startOciServer } from '../servers/ociServer';

describe('multi-platform images', () => {
  it(`an index of 60 platforms costs requests for ${MAX_PLATFORM_DETAILS} of them; the rest are read on demand`, async () => {
    const reg = await startOciServer();
    const platforms = Array.from({ length: 60 }, (_, i) => `linux/arch${i}`);
    reg.addImage('team/multi', '1.0', { platforms });
    const p = new OciProvider({ connection: { id: 't', kind: 'oci', url: reg.url }, credentials: async () => undefined, logger: silentLogger, http: { maxRetries: 0 } });
    try {
      const before = reg.requests.length;
      const d = await p.getTagDetails('team/multi', '1.0');
      const used = reg.requests.length - before;
      assert.equal(d.platforms.length, 60, 'every platform is listed from the index');
      assert.equal(d.size, undefined, 'no size summed over some platforms only');
      assert.ok(used <= 2 + 2 * MAX_PLATFORM_DETAILS, `${used} requests`);
      const img = await p.getImageDetails('team/multi', '1.0');
      assert.equal(img.images.filter((i) => i.detailsOmitted).length, 60 - MAX_PLATFORM_DETAILS);
      const last = img.images.at(-1)!;
      const onDemand = await p.getImageDetails('team/multi', last.digest);
      assert.equal(onDemand.images.length, 1);
      assert.ok(onDemand.images[0]!.config, 'the omitted platform reads in full by its digest');
    } finally {
      p.dispose();
      await reg.close();
    }
  });
});
