import * as assert from 'node:assert/strict';
import { silentLogger } from '../../src/registry/context';
import { MAX_PLATFORM_DETAILS } from '../../src/registry/distribution';
import { OciProvider } from '../../src/registry/oci/provider';
import type { RegistryManager } from '../../src/config/registryManager';
import { tagDetailsSpec } from '../../src/webviews/tagDetailsPanel';
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

describe('tag details panel: platforms read on demand', () => {
  it('reads one unread platform when the page asks for it, and refuses a digest the page was not shown as unread', async () => {
    const reg = await startOciServer();
    reg.addImage('team/multi', '1.0', { platforms: Array.from({ length: 24 }, (_, i) => `linux/arch${i}`) });
    const provider = new OciProvider({ connection: { id: 't', kind: 'oci', url: reg.url }, credentials: async () => undefined, logger: silentLogger, http: { maxRetries: 0 } });
    const manager = { get: () => ({ provider }) } as unknown as RegistryManager;
    const spec = tagDetailsSpec(manager, { registryName: 't', repository: 'team/multi', reference: '1.0' });
    try {
      const imagesOf = (init: Awaited<ReturnType<typeof spec.load>>) => (init.panel === 'tagDetails' ? init.data.details.images : []);
      const first = imagesOf(await spec.load(new AbortController().signal));
      const unread = first.filter((i) => i.detailsOmitted);
      assert.equal(unread.length, 24 - MAX_PLATFORM_DETAILS);
      const wanted = unread[3]!;
      let reloads = 0;
      const reload = async (): Promise<boolean> => {
        reloads++;
        const again = imagesOf(await spec.load(new AbortController().signal));
        const read = again.find((i) => i.digest === wanted.digest)!;
        assert.equal(read.detailsOmitted, undefined, 'the asked-for platform is read');
        assert.ok(read.config && read.layers.length > 0);
        assert.deepEqual(read.platform, wanted.platform);
        assert.equal(again.filter((i) => i.detailsOmitted).length, unread.length - 1, 'the others stay unread');
        return true;
      };
      await spec.onMessage!({ type: 'loadPlatform', digest: wanted.digest }, () => {}, reload);
      assert.equal(reloads, 1);
      // A read platform, or any other digest, is not an unread platform of this page.
      await assert.rejects(spec.onMessage!({ type: 'loadPlatform', digest: first[0]!.digest }, () => {}, reload), /not an unread platform/);
      await assert.rejects(spec.onMessage!({ type: 'loadPlatform', digest: `sha256:${'0'.repeat(64)}` }, () => {}, reload), /not an unread platform/);
      assert.equal(reloads, 1);
    } finally {
      provider.dispose();
      await reg.close();
    }
  });
});
