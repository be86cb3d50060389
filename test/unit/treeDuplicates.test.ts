import * as assert from 'node:assert/strict';
import { silentLogger, type Logger } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import type { Tag } from '../../src/registry/provider';
import { PagedList } from '../../src/tree/pagedList';
import { UniqueChildren, dropDuplicateIds } from '../../src/tree/uniqueIds';
import { startHubServer, type HubServer } from '../servers/hubServer';

/**
 * A registry that lists a tag twice (here Docker Hub, on one page and again on the next) must not break the tree:
 * VS Code refuses a second element with the same id and leaves the repository expanded with no children. The tree
 * keeps the first of each id, in place, and logs once per list.
 */
describe('tree child lists with duplicate ids', () => {
  let hub: HubServer;
  let provider: DockerHubProvider;

  beforeEach(async () => {
    hub = await startHubServer();
    hub.addRepository('acme', 'api');
    // Pushed one second apart, 1.0.0 last: Hub's newest-first order is 1.0.0 … 6.0.0 whatever the clock does meanwhile.
    const base = Date.now();
    ['1.0.0', '2.0.0', '3.0.0', '4.0.0', '5.0.0', '6.0.0'].forEach((name, i) => hub.addTag('acme', 'api', { name, lastPushed: new Date(base - i * 1000).toISOString() }));
    provider = new DockerHubProvider({ connection: { id: 'hub', kind: 'dockerhub', url: hub.url }, credentials: async () => undefined, logger: silentLogger }, { registry: null });
  });
  afterEach(async () => {
    provider.dispose();
    await hub.close();
  });

  it('drops a tag listed twice on one page and again on a later page, logging once', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
    const unique = new UniqueChildren(logger);
    const list = new PagedList<Tag>((c) => provider.listTags('acme/api', c, { pageSize: 3 }), 3);
    const children = () => unique.filter('repo', 'hub: acme/api', list.items.map((t) => ({ id: `repo/tag:${t.name}`, tag: t })));

    // The first page names 2.0.0 twice; the second page names it again.
    const tags = '/v2/namespaces/acme/repositories/api/tags';
    hub.setFault({ kind: 'wrongType', path: tags, field: 'results.2.name', value: '2.0.0', times: 1 });
    await list.ensureLoaded();
    hub.setFault({ kind: 'wrongType', path: tags, field: 'results.0.name', value: '2.0.0', times: 1 });
    const raw = list.items.map((t) => t.name);
    assert.equal(new Set(raw).size < raw.length, true, `the first page repeats a tag: ${raw.join(', ')}`);
    let shown = children();
    assert.equal(new Set(shown.map((c) => c.id)).size, shown.length, 'no id twice');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /hub: acme\/api listed 1 entry a second time; only the first of each is shown \(repo\/tag:2\.0\.0\)/);

    await list.loadMore();
    assert.ok(list.items.length >= 6, 'the next page arrived');
    shown = children();
    assert.deepEqual(
      shown.map((c) => c.tag.name),
      [...new Set(list.items.map((t) => t.name))],
      'first occurrences, in order',
    );
    assert.equal(warnings.length, 1, 'logged once per list, not once per page or repaint');
    unique.forget('repo');
    children();
    assert.equal(warnings.length, 2, 'a reloaded list logs again');
  });

  it('keeps unique lists as they are', () => {
    const nodes = [{ id: 'a' }, { id: 'b' }];
    assert.deepEqual(dropDuplicateIds(nodes), { unique: nodes, dropped: [] });
  });
});
