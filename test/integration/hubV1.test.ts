import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import type { RegistryHealth } from '../../src/health/healthMonitor';
import type { TagNode, TreeNode } from '../../src/tree/nodes';
import { activate, child, eventually, labelOf, registryNode, sandbox, setRegistries } from './helpers';

// The legacy Docker Hub v1 index against the fake of test/servers/hubV1Server.ts that the e2e runner starts
// (test/e2e/lib/hubV1.mjs) and describes under `extra.hubV1` of the endpoints file: user `demo`, repositories
// demo/hello and library/busybox named in the entry's `namespaces` (the index cannot list them).
const NAME = 'it-hub-v1';

describe('the Registries tree against the fake Docker Hub v1 index', () => {
  let api: RegistryExplorerApi;
  let original: unknown[] | undefined;
  let info: NonNullable<NonNullable<ReturnType<typeof sandbox>['extra']>['hubV1']>;
  let configured = false;

  /** Runs health checks until one reports what `accept` wants (sign-in triggers a check that may still run). */
  async function healthUntil(accept: (h: RegistryHealth) => boolean, what: string) {
    return eventually(async () => {
      await api.health.check(NAME);
      const h = api.health.snapshot().find((x) => x.name === NAME);
      return h && accept(h) ? h : undefined;
    }, what);
  }

  before(async function () {
    const v1 = sandbox().extra?.hubV1;
    // The e2e runner starts the fake v1 index; a run without it is a failed run, not a skipped suite.
    assert.ok(v1, 'the fake v1 index is not running (extra.hubV1 missing from the sandbox endpoints): start the suite with test/e2e/run.mjs');
    info = v1;
    api = await activate();
    original = vscode.workspace.getConfiguration('registryExplorer').inspect<unknown[]>('registries')?.globalValue;
    configured = true;
    await setRegistries(api, [{ name: NAME, kind: 'dockerhub-v1', url: info.url, username: info.username, namespaces: info.namespaces }]);
  });

  after(async () => {
    if (!configured) return;
    await vscode.commands.executeCommand('registryExplorer.signOut', NAME);
    await vscode.workspace.getConfiguration('registryExplorer').update('registries', original, vscode.ConfigurationTarget.Global);
  });

  it('checks the login: a wrong password fails, the right one is accepted', async () => {
    assert.equal(await vscode.commands.executeCommand('registryExplorer.signIn', NAME, 'not-the-password'), true);
    const bad = await healthUntil((h) => h.ok === false, 'the login check to fail');
    assert.match(bad.lastError ?? '', /unauthori[sz]ed|sign in|credentials|401/i);
    assert.ok(!(bad.lastError ?? '').includes('not-the-password'), 'the secret is not echoed');

    assert.equal(await vscode.commands.executeCommand('registryExplorer.signIn', NAME, info.password), true);
    const good = await healthUntil((h) => h.ok === true && h.details?.Login === 'accepted', 'the login check to pass');
    assert.equal(good.lastError, undefined);
  });

  it('shows the own namespace and the configured repositories', async () => {
    const registry = await eventually(async () => {
      const n = registryNode(await api.tree.getChildren(), NAME);
      return n.type === 'registry' && n.signedIn ? n : undefined;
    }, `${NAME} to be signed in`);
    const kids = await api.tree.getChildren(registry);
    const namespaces = kids.filter((k) => k.type === 'namespace');
    assert.deepEqual(namespaces.map((k) => labelOf(api, k)).sort(), ['demo', 'library']);
    const demo = namespaces.find((k) => labelOf(api, k) === 'demo')!;
    assert.match(api.tree.describe(demo).description ?? '', /Your account/);
    assert.deepEqual(
      (await api.tree.getChildren(demo)).map((r) => labelOf(api, r)),
      ['demo/hello'],
    );
    const library = await child(api, registry, 'library');
    assert.deepEqual(
      (await api.tree.getChildren(library)).map((r) => labelOf(api, r)),
      ['library/busybox'],
    );
  });

  it('lists the images of a repository in place of tags', async () => {
    const registry = registryNode(await api.tree.getChildren(), NAME);
    for (const repo of Object.keys(info.images)) {
      const ns = await child(api, registry, repo.split('/')[0]!);
      const node = await child(api, ns, repo);
      const kids: TreeNode[] = await api.tree.getChildren(node);
      assert.ok(!kids.some((k) => k.type === 'message'), `${repo}: no message node: ${kids.map((k) => labelOf(api, k)).join(', ')}`);
      const images = kids.filter((k): k is TagNode => k.type === 'tag').map((k) => k.tag.name);
      assert.deepEqual(images.sort(), [...info.images[repo]!].sort(), `${repo}: the image ids of the index`);
    }
  });
});
