import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/nodes';
import { activate, entryFor, labelOf, registryNode, sandbox, setRegistries } from './helpers';

describe('settings validation in the tree', () => {
  let api: RegistryExplorerApi;
  let original: unknown[] | undefined;

  before(async () => {
    api = await activate();
    original = vscode.workspace.getConfiguration('registryExplorer').inspect<unknown[]>('registries')?.globalValue;
    await setRegistries(api, [entryFor('it-valid')]);
    assert.equal(await vscode.commands.executeCommand('registryExplorer.signIn', 'it-valid', sandbox().oci.password ?? ''), true);
  });

  after(async () => {
    await vscode.commands.executeCommand('registryExplorer.signOut', 'it-valid');
    await vscode.workspace.getConfiguration('registryExplorer').update('registries', original, vscode.ConfigurationTarget.Global);
  });

  it('shows malformed entries as error nodes naming the field while the good registry keeps working', async () => {
    const roots = await setRegistries(api, [
      entryFor('it-valid'),
      { name: 'it-bad-url', kind: 'oci', url: 'ftp://example.invalid' },
      { name: 'it-no-kind', url: 'https://example.invalid' },
      { name: 'it-creds-in-url', kind: 'oci', url: 'https://user:pw@example.invalid' },
    ]);
    const problems = roots.filter((r): r is Extract<TreeNode, { type: 'configError' }> => r.type === 'configError');
    const byLabel = new Map(problems.map((p) => [p.problem.label, p]));
    assert.deepEqual([...byLabel.keys()].sort(), ['it-bad-url', 'it-creds-in-url', 'it-no-kind']);
    assert.equal(byLabel.get('it-bad-url')!.problem.field, 'url');
    assert.equal(byLabel.get('it-no-kind')!.problem.field, 'kind');
    assert.equal(byLabel.get('it-creds-in-url')!.problem.field, 'url');
    const item = api.tree.describe(byLabel.get('it-bad-url')!);
    assert.match(item.description ?? '', /"url"/);
    assert.match(item.contextValue, /configError/);

    const good = registryNode(roots, 'it-valid');
    const repos = await api.tree.getChildren(good);
    assert.ok(
      repos.some((r) => labelOf(api, r) === 'sample/hello'),
      `the valid registry still lists repositories: ${repos.map((r) => labelOf(api, r)).join(', ')}`,
    );
  });

  it('turns the error node into a registry node once the entry is fixed', async () => {
    let roots = await setRegistries(api, [entryFor('it-valid'), { name: 'it-later', kind: 'oci', url: '' }]);
    assert.ok(roots.some((r) => r.type === 'configError' && r.problem.label === 'it-later'));
    roots = await setRegistries(api, [entryFor('it-valid'), entryFor('it-later')]);
    assert.equal(roots.filter((r) => r.type === 'configError').length, 0);
    registryNode(roots, 'it-later');
  });
});
