import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import { activate, entryFor, EXTENSION_ID, eventually, registryNode, sandbox, setRegistries } from './helpers';

describe('Registry Explorer in the extension host', () => {
  let api: RegistryExplorerApi;
  let original: unknown[] | undefined;

  before(async () => {
    api = await activate();
    original = vscode.workspace.getConfiguration('registryExplorer').inspect<unknown[]>('registries')?.globalValue;
  });

  after(async () => {
    for (const name of ['it-secrets']) await vscode.commands.executeCommand('registryExplorer.signOut', name).then(undefined, () => undefined);
    await vscode.workspace.getConfiguration('registryExplorer').update('registries', original, vscode.ConfigurationTarget.Global);
  });

  it('activates and exports its API', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(ext.isActive, true);
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    assert.equal(typeof api.tree.getChildren, 'function');
    assert.equal(typeof api.tree.whenDetailsSettled, 'function');
    assert.equal(typeof api.getSecret, 'function');
    assert.equal(typeof api.healthSnapshot, 'function');
    assert.equal(typeof api.health.check, 'function');
    assert.ok(api.webviews, 'webviews host');
    assert.ok(Array.isArray(api.commandIds) && api.commandIds.length > 0);
  });

  it('registers exactly the commands package.json contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = ext.packageJSON as { contributes: { commands: Array<{ command: string; title: string; category?: string }> } };
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual([...api.commandIds].sort(), declared);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'every contributed command is registered');
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Registry Explorer', `${c.command} has the Registry Explorer category`);
  });

  it('stores, reads and removes a secret through Sign In / Sign Out (SecretStorage round trip)', async () => {
    const roots = await setRegistries(api, [entryFor('it-secrets')]);
    registryNode(roots, 'it-secrets');
    const secret = `s3cret-${Date.now()}`;
    assert.equal(await api.getSecret('it-secrets'), undefined, 'no secret before signing in');
    const ok = await vscode.commands.executeCommand<boolean>('registryExplorer.signIn', 'it-secrets', secret);
    assert.equal(ok, true);
    assert.equal(await api.getSecret('it-secrets'), secret);
    const node = await eventually(async () => {
      const n = registryNode(await api.tree.getChildren(), 'it-secrets');
      return n.type === 'registry' && n.signedIn ? n : undefined;
    }, 'the registry node to show it is signed in');
    assert.match(api.tree.describe(node).contextValue, /(^|;)signedIn(;|$)/);
    await vscode.commands.executeCommand('registryExplorer.signOut', 'it-secrets');
    assert.equal(await api.getSecret('it-secrets'), undefined, 'the secret is gone after signing out');
    // The password is never written to settings.
    const raw = JSON.stringify(vscode.workspace.getConfiguration('registryExplorer').get('registries'));
    assert.ok(!raw.includes(secret));
  });

  it('reports health for the sandbox registry', async () => {
    const sb = sandbox();
    await setRegistries(api, [entryFor('it-health', sb)]);
    await vscode.commands.executeCommand('registryExplorer.signIn', 'it-health', sb.oci.password ?? '');
    try {
      // Adding the entry starts a check of its own, which may end after the sign-in with the 401 it met before it;
      // a check after the sign-in must find the registry healthy.
      let last: ReturnType<typeof api.healthSnapshot>[number] | undefined;
      const h = await eventually(async () => {
        await api.health.check('it-health');
        last = api.healthSnapshot().find((x) => x.name === 'it-health');
        return last?.ok === true ? last : undefined;
      }, 'a healthy result after signing in').catch((e: unknown) => {
        throw new Error(`${String(e)}; last result: ${last?.error ?? 'none'}`);
      });
      assert.equal(h.ok, true);
      assert.equal(typeof h.latencyMs, 'number');
    } finally {
      await vscode.commands.executeCommand('registryExplorer.signOut', 'it-health');
    }
  });
});
