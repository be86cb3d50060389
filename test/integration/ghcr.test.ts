import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import type { TagNode, TreeNode } from '../../src/tree/nodes';
import { activate, child, confirming, eventually, labelOf, registryNode, sandbox, setRegistries } from './helpers';

// GitHub Container Registry against the seeded fake GitHub (test/servers/ghcr/seed.ts startDemoGhcr) that the e2e
// runner starts and describes under `extra.ghcr`, laid out like GitHub Enterprise Server (API at <url>/api/v3,
// registry on the same origin): octocat (member of octo-org) owns app (1.0; 2.0 + latest on linux/amd64 + arm64; an
// untagged version) and tools/cli; octo-org owns the public service; hubot (configured) owns the public public-img.
// Signed in with a personal access token here: the GitHub account's consent dialog (which the test host refuses)
// is clicked by the UI spec test/e2e/specs/57-ghcr.mjs.
const NAME = 'it-ghcr';

describe('GitHub Container Registry against the fake GitHub, signed in with a personal access token', () => {
  let api: RegistryExplorerApi;
  let original: unknown[] | undefined;
  let configured = false;

  const signedIn = () =>
    eventually(async () => {
      const n = registryNode(await api.tree.getChildren(), NAME);
      return n.type === 'registry' && n.signedIn ? n : undefined;
    }, `${NAME} to be signed in`);
  const app = async () => child(api, await child(api, await signedIn(), 'octocat'), 'octocat/app');
  const tags = (nodes: TreeNode[]) => nodes.filter((k): k is TagNode => k.type === 'tag');

  before(async () => {
    const g = sandbox().extra?.ghcr;
    assert.ok(g, 'the fake GitHub is not running (extra.ghcr missing from the sandbox endpoints): start the suite with test/e2e/run.mjs');
    api = await activate();
    original = vscode.workspace.getConfiguration('registryExplorer').inspect<unknown[]>('registries')?.globalValue;
    configured = true;
    await setRegistries(api, [{ name: NAME, kind: 'ghcr', url: g.url, registryUrl: g.url, namespaces: g.namespaces }]);
    assert.equal(await vscode.commands.executeCommand('registryExplorer.signIn', NAME, g.adminToken), true);
    await signedIn();
  });

  after(async () => {
    if (!configured) return;
    await vscode.commands.executeCommand('registryExplorer.signOut', NAME);
    await vscode.workspace.getConfiguration('registryExplorer').update('registries', original, vscode.ConfigurationTarget.Global);
    assert.equal(await api.getSecret(NAME), undefined);
  });

  it('browses owners → packages → versions: several tags on one row, untagged versions by digest', async () => {
    const registry = await signedIn();
    const owners = (await api.tree.getChildren(registry)).filter((k) => k.type === 'namespace').map((k) => labelOf(api, k));
    assert.deepEqual(owners, ['octocat', 'octo-org', 'hubot']);
    assert.match(api.tree.describe(await child(api, registry, 'octocat')).description ?? '', /you/);
    const mine = await child(api, registry, 'octocat');
    assert.deepEqual((await api.tree.getChildren(mine)).map((r) => labelOf(api, r)), ['octocat/app', 'octocat/tools/cli']);
    const service = await child(api, await child(api, registry, 'octo-org'), 'octo-org/service');
    assert.match(api.tree.describe(service).description ?? '', /^public · .*repository octo-org\/service/);
    const rows = tags(await api.tree.getChildren(await app()));
    assert.deepEqual(rows.map((r) => (r.tag.name.startsWith('sha256:') ? 'digest' : r.tag.name)).sort(), ['1.0', '2.0', 'digest']);
    const two = rows.find((r) => r.tag.name === '2.0')!;
    assert.ok(two.tag.facts?.includes('tags: 2.0, latest'));
    assert.ok(rows.some((r) => r.tag.name.startsWith('sha256:') && r.tag.facts?.includes('untagged')));
    await api.tree.whenDetailsSettled();
    assert.match(api.tree.describe(two).description ?? '', /^sha256:[0-9a-f]{12}/, 'tag details from the registry');
  });

  it('deletes an untagged version by its digest, saying GitHub keeps it 30 days', async () => {
    // The UI spec 57-ghcr deletes 2.0 (with latest) afterwards; this one takes the untagged version.
    const row = tags(await api.tree.getChildren(await app())).find((r) => r.tag.name.startsWith('sha256:'))!;
    const { result, asked } = await confirming('Delete Tag', () => vscode.commands.executeCommand('registryExplorer.tag.delete', row));
    assert.equal(result, true);
    assert.match(asked[0]!.message, /octocat\/app:sha256:[0-9a-f]{64}/);
    assert.match(asked[0]!.detail ?? '', /No other tag points at this digest/);
    assert.match(asked[0]!.detail ?? '', /30 days/);
    await eventually(async () => !tags(await api.tree.getChildren(await app())).some((r) => r.tag.name === row.tag.name), 'the version to be gone');
  });
});
