import * as assert from 'node:assert/strict';
import type { ResourceRef } from '../../src/registry/admin';
import type { HarborProvider } from '../../src/registry/harbor/provider';
import type { Tag } from '../../src/registry/provider';
import { BY_TAG_SETTING, createList } from '../../src/tree/childLists';
import type { RepositoryNode, RegistryNode } from '../../src/tree/nodes';
import { RowRefresher, type ChangingRow } from '../../src/tree/rowRefresh';
import { setScanTiming } from '../servers/harbor/artifacts';
import { HARBOR_ADMIN, seedHarbor } from '../servers/harborSeed';
import { type HarborServer, startHarborServer } from '../servers/harborServer';
import { harborProvider } from './harborProvider.test';

/**
 * The tree side of rows that change on the server (a scan running: read again until it settles) and of registries
 * that order and filter tags themselves (their order is kept; the filter goes to the server).
 */
describe('tree: changing rows and server-ordered tag lists', () => {
  let h: HarborServer;
  let p: HarborProvider;
  const registry: RegistryNode = { type: 'registry', id: 'registry:h', registryName: 'h', kind: 'harbor', url: 'http://x', signedIn: true };
  const repoNode: RepositoryNode = {
    type: 'repository',
    id: 'registry:h/ns:team-a/repo:team-a/app',
    parent: registry,
    registryName: 'h',
    repository: { name: 'team-a/app', namespace: 'team-a' },
    ref: { type: 'repository', scope: { namespace: 'team-a', repository: 'team-a/app' }, key: 'team-a/app' },
  };

  beforeEach(async () => {
    h = await startHarborServer();
    await seedHarbor(h);
    setScanTiming(h.state, { pendingMs: 100, runningMs: 100 });
    p = harborProvider(h, HARBOR_ADMIN);
  });
  afterEach(async () => {
    p.dispose();
    await h.close();
  });

  it('reads a row whose scan runs again until the scan ends, then stops', async () => {
    const rows = (await p.listTags('team-a/app', undefined)).items;
    const target = rows.find((r) => r.name === '1.1')!;
    const scanNow = p.admin.types.find((t) => t.type === 'tag')!;
    assert.equal(scanNow.shape, 'core');
    const ref: ResourceRef = { type: 'tag', scope: { repository: 'team-a/app', tag: '1.1', digest: target.digest! }, key: '1.1' };
    await scanNow.actions!.find((a) => a.id === 'scanNow')!.run(ref, undefined as never);
    const queued = (await p.listTags('team-a/app', undefined)).items.find((r) => r.name === '1.1')!;
    assert.ok(queued.refreshAfterMs);
    const row: ChangingRow = { id: 'r/tag:1.1', repository: 'team-a/app', tag: queued };
    const still: ChangingRow = { id: 'r/tag:2.0', repository: 'team-a/app', tag: { name: '2.0', refreshAfterMs: 10 } };
    const changed: Tag[] = [];
    let shown = new Set([row, still]);
    const refresher = new RowRefresher<ChangingRow>({ current: (r) => shown.has(r), changed: (r) => changed.push(r.tag), failed: (_r, e) => assert.fail(String(e)) });
    refresher.watch([row, { id: 'r/tag:1.0-done', repository: 'team-a/app', tag: { name: 'x' } }], p);
    assert.equal(refresher.watching, 1, 'only rows that ask for it are followed');
    refresher.watch([row], p);
    assert.equal(refresher.watching, 1, 'a row is followed once');
    const reads = () => h.requests.filter((r) => r.method === 'GET' && /\/artifacts\/1\.1$/.test(r.path)).length;
    for (let i = 0; i < 80 && refresher.watching; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(refresher.watching, 0, 'the row settled');
    assert.ok(reads() >= 1);
    assert.deepEqual(row.tag.vulnerabilities, { critical: 1, high: 1, medium: 1, low: 1 });
    assert.equal(row.tag.refreshAfterMs, undefined);
    assert.ok(changed.length >= 1);
    // A row no longer shown (the list was reloaded) is not read again; forget() drops timers.
    shown = new Set();
    refresher.watch([still], p);
    refresher.forget('r');
    assert.equal(refresher.watching, 0);
  });

  it("keeps the registry's order of a tag list unless the setting's order is chosen, and sends the filter to the server", async () => {
    h.state.artifacts.get('team-a/app')!.find((a) => a.tags.some((t) => t.name === '1.0'))!.pushed = '2030-01-01T00:00:00.000Z';
    const server = createList(repoNode, p, { pageSize: 50, tagOrder: 'natural' });
    await server.ensureLoaded();
    assert.equal((server.items[0] as Tag).name, '1.0', 'newest push first, as Harbor listed it (not re-sorted by name)');
    const bySetting = createList(repoNode, p, { pageSize: 50, tagOrder: 'natural', ordering: BY_TAG_SETTING });
    await bySetting.ensureLoaded();
    assert.deepEqual((bySetting.items as Tag[]).slice(0, 3).map((t) => t.name), ['latest', '1.0', '1.1'], 'the setting (natural) order when chosen');
    assert.equal(new URLSearchParams(h.requests.at(-1)!.query).get('sort'), '-push_time');
    const oldest = createList(repoNode, p, { pageSize: 50, tagOrder: 'natural', ordering: 'pushed' });
    await oldest.ensureLoaded();
    assert.equal(new URLSearchParams(h.requests.at(-1)!.query).get('sort'), 'push_time');
    const filtered = createList(repoNode, p, { pageSize: 50, tagOrder: 'natural', nameFilter: '2.0' });
    await filtered.ensureLoaded();
    assert.equal(new URLSearchParams(h.requests.at(-1)!.query).get('q'), 'tags=~2.0');
    assert.deepEqual((filtered.items as Tag[]).map((t) => t.name), ['latest']);
  });
});
