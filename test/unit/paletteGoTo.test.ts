import * as assert from 'node:assert/strict';
import { LoadedSet, loadedTargets, locate, nameOf, NotInTree, parseQuery, searchRegistry, type Target } from '../../src/commands/goToSearch';
import { silentLogger, type ProviderContext } from '../../src/registry/context';
import { DockerHubProvider } from '../../src/registry/dockerhub/provider';
import type { DtrProvider } from '../../src/registry/dtr/provider';
import type { LoadMoreNode, MessageNode, NamespaceNode, RegistryNode, RepositoryNode, TagNode, TreeNode } from '../../src/tree/nodes';
import { startDemoDtr, type DtrServer } from '../servers/dtrServer';
import { startHubServer, type HubServer } from '../servers/hubServer';
import { dtrProvider } from '../support/dtrFixture';

const registry = (name: string): RegistryNode => ({ type: 'registry', id: `registry:${name}`, registryName: name, kind: 'x', url: 'https://x.example', signedIn: true });
const ns = (parent: RegistryNode, name: string): NamespaceNode => ({ type: 'namespace', id: `${parent.id}/ns:${name}`, parent, registryName: parent.registryName, namespace: { name }, ref: { type: 'namespace', scope: { namespace: name }, key: name } });
const repo = (parent: TreeNode & { registryName: string; id: string }, name: string): RepositoryNode => ({ type: 'repository', id: `${parent.id}/repo:${name}`, parent, registryName: parent.registryName, repository: { name }, ref: { type: 'repository', scope: { repository: name }, key: name } });
const tag = (parent: RepositoryNode, name: string): TagNode => ({ type: 'tag', id: `${parent.id}/tag:${name}`, parent, registryName: parent.registryName, repository: parent.repository.name, tag: { name }, ref: { type: 'tag', scope: { repository: parent.repository.name, tag: name }, key: name }, pullHost: 'x.example', deletable: false });

describe('Go to…: finding a registry, namespace, repository or tag', () => {
  it('reads repo:tag as a tag (the colon after the last slash) and anything else as a name', () => {
    assert.deepEqual(parseQuery(' engineering/api:1.0 '), { text: 'engineering/api:1.0', repository: 'engineering/api', tag: '1.0' });
    assert.deepEqual(parseQuery('localhost:5000/app'), { text: 'localhost:5000/app' });
    assert.deepEqual(parseQuery('api:'), { text: 'api:' });
    assert.deepEqual(parseQuery(':latest'), { text: ':latest' });
  });

  it('lists what the tree has loaded, asking for the children of loaded containers only', async () => {
    const hub = registry('hub');
    const oci = registry('oci');
    const acme = ns(hub, 'acme');
    const other = ns(hub, 'other');
    const api = repo(acme, 'acme/api');
    const children = new Map<string, TreeNode[]>([
      ['', [hub, oci]],
      [hub.id, [acme, other]],
      [acme.id, [api]],
      [api.id, [tag(api, 'v1'), { type: 'loadMore', id: `${api.id}#more`, owner: api, parent: api }]],
    ]);
    const asked: string[] = [];
    const loaded = new LoadedSet();
    for (const n of [hub, acme, api]) loaded.add(n);
    const found = await loadedTargets((n) => {
      asked.push(n?.id ?? 'root');
      return children.get(n?.id ?? '') ?? [];
    }, loaded);
    assert.deepEqual(found.map((f) => `${f.target.type} ${nameOf(f.target)}`), ['registry hub', 'registry oci', 'namespace acme', 'namespace other', 'repository acme/api', 'tag acme/api:v1']);
    assert.deepEqual(asked, ['root', hub.id, acme.id, api.id], 'no listing of oci or other, which were never expanded');
    assert.deepEqual(found.at(-1)!.target, { type: 'tag', registryName: 'hub', repository: 'acme/api', tag: 'v1', namespace: 'acme' });
  });

  describe('locate', () => {
    /** A tree whose namespace lists `pages` pages of repositories, one Load more at a time. */
    function pagedTree(pages: number, opts: { filter?: boolean } = {}) {
      const r = registry('dtr');
      const n = ns(r, 'engineering');
      let shown = 1;
      let filter: string | undefined;
      const more: LoadMoreNode = { type: 'loadMore', id: `${n.id}#more`, owner: n, parent: n };
      const log: string[] = [];
      const repos = (i: number) => repo(n, `engineering/app${i}`);
      return {
        log,
        tree: {
          getChildren: (p?: TreeNode): TreeNode[] => {
            if (!p) return [r];
            if (p === r) return [n];
            if (p === n) {
              if (filter) return [repos(Number(filter.slice(3)))];
              const items = Array.from({ length: shown }, (_x, i) => repos(i));
              return shown < pages ? [...items, more] : items;
            }
            return [];
          },
          loadMore: async (m: LoadMoreNode) => {
            log.push(`more ${m.owner.id}`);
            shown++;
          },
          ...(opts.filter
            ? {
                filterOnServer: (p: TreeNode, text: string) => {
                  log.push(`filter ${p.id} ${text}`);
                  filter = text;
                  return true;
                },
              }
            : {}),
        },
      };
    }
    const target = (repository: string): Target => ({ type: 'repository', registryName: 'dtr', namespace: 'engineering', repository });

    it('loads further pages of a level until the node shows', async () => {
      const { tree, log } = pagedTree(5);
      const node = await locate(tree, target('engineering/app3'));
      assert.equal(node.id, 'registry:dtr/ns:engineering/repo:engineering/app3');
      assert.equal(log.length, 3);
    });

    it('uses the server-side filter of a namespace instead of paging, where there is one', async () => {
      const { tree, log } = pagedTree(50, { filter: true });
      const node = await locate(tree, target('engineering/app40'));
      assert.equal(node.type === 'repository' && node.repository.name, 'engineering/app40');
      assert.deepEqual(log, ['filter registry:dtr/ns:engineering app40']);
    });

    it('stops after a bounded number of pages with an error naming what is missing', async () => {
      const { tree, log } = pagedTree(100);
      await assert.rejects(locate(tree, target('engineering/nope'), 4), (e: unknown) => e instanceof NotInTree && /engineering\/nope is not listed in dtr/.test(e.message));
      assert.equal(log.length, 4);
    });

    it('reports a level that failed to list instead of searching past it', async () => {
      const r = registry('dtr');
      const failed: MessageNode = { type: 'message', id: `${r.id}#error`, parent: r, owner: r, registryName: 'dtr', severity: 'error', text: 'Sign in to dtr', action: 'signIn' };
      await assert.rejects(locate({ getChildren: (p) => (p ? [failed] : [r]), loadMore: async () => {} }, target('engineering/api')), /Sign in to dtr/);
    });
  });

  describe('server-side lookups', () => {
    let hub: HubServer;
    let dtr: { dtr: DtrServer; info: { username: string; password: string }; stop: () => Promise<void> };
    const made: { dispose(): void }[] = [];

    function hubProvider(url = hub.url): DockerHubProvider {
      const ctx: ProviderContext = { connection: { id: 'hub', kind: 'dockerhub', url, namespaces: ['acme', 'other'] }, credentials: async () => ({ username: 'demo', secret: 'demo-password' }), logger: silentLogger, http: { maxRetries: 0 } };
      const p = new DockerHubProvider(ctx);
      made.push(p);
      return p;
    }

    before(async () => {
      hub = await startHubServer();
      hub.addUser('demo', 'demo-password');
      hub.addOrg('acme', { demo: 'owner' });
      hub.addOrg('other', { demo: 'owner' });
      hub.addRepository('acme', 'api');
      hub.addRepository('acme', 'web');
      hub.addRepository('other', 'api-gateway');
      hub.addTags('acme', 'api', 150);
      dtr = await startDemoDtr();
    });
    after(async () => {
      for (const p of made.splice(0)) p.dispose();
      await hub.close();
      await dtr.stop();
    });

    const names = (r: { targets: Target[] }) => r.targets.map((t) => `${t.type} ${nameOf(t)}${t.namespace ? ` in ${t.namespace}` : ''}`);

    it('finds repositories of every namespace through the server-side name filter', async () => {
      const r = await searchRegistry('hub', hubProvider(), 'api', new AbortController().signal);
      assert.equal(r.error, undefined);
      assert.deepEqual(names(r).sort(), ['repository acme/api in acme', 'repository other/api-gateway in other']);
    });

    it('narrows to the namespace typed before a slash', async () => {
      const r = await searchRegistry('hub', hubProvider(), 'other/api', new AbortController().signal);
      assert.deepEqual(names(r), ['repository other/api-gateway in other']);
    });

    it('looks up a tag typed as repo:tag in that repository, page by page, exact match first', async () => {
      // Hub lists newest first: v149…v50 are the first page, v14 is on the second.
      const r = await searchRegistry('hub', hubProvider(), 'acme/api:v14', new AbortController().signal);
      assert.equal(r.error, undefined);
      assert.deepEqual(names(r), ['tag acme/api:v14 in acme', ...Array.from({ length: 10 }, (_x, i) => `tag acme/api:v14${9 - i} in acme`)]);
      const none = await searchRegistry('hub', hubProvider(), 'acme/api:nothing', new AbortController().signal);
      assert.deepEqual(none, { targets: [] });
    });

    it('looks a tag past the first page up by name', async () => {
      const p: DtrProvider = dtrProvider(dtr.dtr, dtr.info.username, dtr.info.password);
      made.push(p);
      const first = await p.listTags('engineering/many', undefined, { pageSize: 100 });
      const later = ['v0', 'v149'].find((n) => !first.items.some((t) => t.name === n))!;
      const r = await searchRegistry('dtr', p, `engineering/many:${later}`, new AbortController().signal);
      assert.equal(r.error, undefined);
      assert.equal(names(r)[0], `tag engineering/many:${later} in engineering`);
    });

    it('finds a repository by its exact name on a registry without a name filter, and nothing for one that does not exist', async () => {
      const p: DtrProvider = dtrProvider(dtr.dtr, dtr.info.username, dtr.info.password);
      made.push(p);
      const r = await searchRegistry('dtr', p, 'engineering/api', new AbortController().signal);
      assert.equal(r.error, undefined);
      assert.deepEqual(names(r), ['repository engineering/api in engineering']);
      const none = await searchRegistry('dtr', p, 'engineering/nothing-here', new AbortController().signal);
      assert.deepEqual(none, { targets: [] });
    });

    it('reports a registry that cannot be reached instead of an empty result', async () => {
      const r = await searchRegistry('hub', hubProvider('http://127.0.0.1:9'), 'api', new AbortController().signal);
      assert.deepEqual(r.targets, []);
      assert.ok(r.error, 'an error');
      assert.equal(r.error.kind, 'unreachable');
    });
  });
});
