import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/nodes';
import { activate, child, eventually, labelOf, registryNode, sandbox, setRegistries } from './helpers';

// DTR's admin flows through the generic commands (item.create / .edit / .delete / .runAction with values) against
// the seeded fake DTR (test/servers/dtrServer.ts startDemoDtr) that the e2e runner starts and describes under
// `extra.dtr`: user `alice` (an API token as the secret), owner of the organization `engineering`
// (engineering/api has the tags 1.0, 1.1, latest, dev-1, stable), with her own repository alice/scratch.
// What the commands saved is read back from DTR's API directly. Modal dialogs are refused in the test host, so a
// delete or a promotion stops at its confirmation here (and must change nothing), and a new token's secret modal
// ends the command; the Chromium spec 45-dtr-admin.mjs confirms, deletes, promotes and copies through the UI.
// Invalid values never reach DTR: the command ends with an error notification and no outcome.
const NAME = 'it-dtr';

type Info = NonNullable<NonNullable<ReturnType<typeof sandbox>['extra']>['dtr']>;

describe('DTR administration through the generic commands', () => {
  let api: RegistryExplorerApi;
  let dtr: Info;
  let original: unknown[] | undefined;
  let registry: TreeNode;
  let configured = false;
  const cleanups: Array<() => Promise<unknown>> = [];

  /** DTR's API with alice's credentials, to read back what the commands saved (and to clean up). */
  async function dtrApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, dtr.url), {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${dtr.username}:${dtr.password}`).toString('base64')}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    assert.ok(res.ok, `${method} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Runs a command that must stop at a modal dialog: the test host refuses modal dialogs, so the command ends like a
   * failed one (no outcome; the commands never throw) and whatever came after the dialog did not happen.
   */
  async function stopsAtDialog(command: string, ...args: unknown[]): Promise<void> {
    assert.equal(await vscode.commands.executeCommand(command, ...args), undefined, `${command} ends at its modal dialog`);
  }

  const listNode = async (parent: TreeNode, group: string, list: string) => child(api, await child(api, parent, group), list);
  const itemsOf = async (list: TreeNode) => (await api.tree.getChildren(list)).map((k) => labelOf(api, k));

  before(async function () {
    const info = sandbox().extra?.dtr;
    // The e2e runner starts the fake DTR; a run without it is a failed run, not a skipped suite.
    assert.ok(info, 'the fake DTR is not running (extra.dtr missing from the sandbox endpoints): start the suite with test/e2e/run.mjs');
    dtr = info;
    api = await activate();
    original = vscode.workspace.getConfiguration('registryExplorer').inspect<unknown[]>('registries')?.globalValue;
    configured = true;
    await setRegistries(api, [{ name: NAME, kind: 'dtr', url: dtr.url, username: dtr.username, namespaces: dtr.namespaces }]);
    assert.equal(await vscode.commands.executeCommand('registryExplorer.signIn', NAME, dtr.password), true);
    registry = await eventually(async () => {
      const n = registryNode(await api.tree.getChildren(), NAME);
      return n.type === 'registry' && n.signedIn ? n : undefined;
    }, `${NAME} to be signed in`);
  });

  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    if (!configured) return;
    await vscode.commands.executeCommand('registryExplorer.signOut', NAME);
    await vscode.workspace.getConfiguration('registryExplorer').update('registries', original, vscode.ConfigurationTarget.Global);
  });

  it('edits a repository with Edit… and DTR keeps every setting', async () => {
    const before = await dtrApi<Record<string, unknown>>('GET', '/api/v0/repositories/alice/scratch');
    cleanups.push(() =>
      dtrApi('PATCH', '/api/v0/repositories/alice/scratch', {
        shortDescription: before.shortDescription,
        longDescription: before.longDescription,
        visibility: before.visibility,
        scanOnPush: before.scanOnPush,
        immutableTags: before.immutableTags,
        enableManifestLists: before.enableManifestLists,
        tagLimit: before.tagLimit,
      }),
    );
    const alice = await child(api, registry, 'alice');
    const repo = await child(api, alice, 'alice/scratch');
    assert.match(api.tree.describe(repo).contextValue, /(^|;)editable(;|$)/);
    const values = { shortDescription: 'edited in-host', longDescription: '# Scratch\nNotes', visibility: 'public', scanOnPush: true, immutableTags: true, enableManifestLists: true, tagLimit: 25 };
    const saved = await vscode.commands.executeCommand<{ kind: string; message?: string }>('registryExplorer.item.edit', repo, values);
    assert.deepEqual(saved, { kind: 'done', message: 'Saved repository alice/scratch' });
    const after = await dtrApi<Record<string, unknown>>('GET', '/api/v0/repositories/alice/scratch');
    for (const [k, v] of Object.entries(values)) assert.deepEqual(after[k], v, `${k} saved`);
    await eventually(async () => {
      const n = await child(api, await child(api, registry, 'alice'), 'alice/scratch');
      return (api.tree.describe(n).description ?? '').includes('edited in-host');
    }, 'the new description in the tree');

    // A value the form refuses never reaches DTR.
    assert.equal(await vscode.commands.executeCommand('registryExplorer.item.edit', repo, { ...values, tagLimit: -1 }), undefined);
    assert.equal((await dtrApi<{ tagLimit: number }>('GET', '/api/v0/repositories/alice/scratch')).tagLimit, 25);
  });

  it('creates a pruning policy with rules after its test, edits it, and asks before deleting it', async () => {
    const eng = await child(api, registry, 'engineering');
    const repo = await child(api, eng, 'engineering/api');
    const list = await listNode(repo, 'Policies', 'Pruning Policies');
    assert.match(api.tree.describe(list).contextValue, /(^|;)creatable(;|$)/);
    const known = new Set((await dtrApi<Array<{ id: string }>>('GET', '/api/v0/repositories/engineering/api/pruningPolicies')).map((p) => p.id));
    cleanups.push(async () => {
      for (const p of await dtrApi<Array<{ id: string }>>('GET', '/api/v0/repositories/engineering/api/pruningPolicies')) {
        if (!known.has(p.id)) await dtrApi('DELETE', `/api/v0/repositories/engineering/api/pruningPolicies/${p.id}`);
      }
    });

    // The rule refinement: an operator that does not apply to the field is refused before DTR is asked.
    assert.equal(await vscode.commands.executeCommand('registryExplorer.item.create', list, { enabled: false, rules: [{ field: 'vulnerability_critical', operator: 'sw', values: ['1'] }] }), undefined);
    assert.equal((await dtrApi<unknown[]>('GET', '/api/v0/repositories/engineering/api/pruningPolicies')).length, known.size, 'nothing created');

    // The verify step is DTR's test of the rules: the tags that would be pruned.
    const rules = [
      { field: 'tag', operator: 'oo', values: ['1.0', 'dev-1', 'latest'] },
      { field: 'tag', operator: 'noo', values: ['latest'] },
    ];
    const tested = await dtrApi<Array<{ name: string }>>('POST', '/api/v0/repositories/engineering/api/pruningPolicies/test', { rules, enabled: true });
    assert.deepEqual(tested.map((t) => t.name).sort(), ['1.0', 'dev-1']);
    // Disabled, so saving prunes nothing (the fake prunes at once when an enabled policy is saved).
    const created = await vscode.commands.executeCommand<{ kind: string; message?: string }>('registryExplorer.item.create', list, { enabled: false, rules });
    assert.equal(created?.kind, 'done');
    assert.match(created?.message ?? '', /^Created pruning policy \S+$/);
    const stored = (await dtrApi<Array<{ id: string; enabled: boolean; rules: unknown[] }>>('GET', '/api/v0/repositories/engineering/api/pruningPolicies')).filter((p) => !known.has(p.id));
    assert.equal(stored.length, 1, 'one new policy');
    assert.equal(stored[0]!.enabled, false);
    assert.deepEqual(stored[0]!.rules, rules);
    const id = stored[0]!.id;
    const label = 'tag oo 1.0, dev-1, latest and tag noo latest';
    const node = await eventually(async () => (await api.tree.getChildren(list)).find((k) => labelOf(api, k) === label), `"${label}" listed`);
    assert.equal(api.tree.describe(node).description, 'disabled');
    assert.match(api.tree.describe(node).contextValue, /editable/);
    assert.match(api.tree.describe(node).contextValue, /removable/);
    for (const t of ['1.0', 'dev-1', 'latest', 'stable']) assert.ok((await itemsOf(repo)).includes(t), `tag ${t} still there`);

    // Edit…: one rule left, a value changed.
    const edited = await vscode.commands.executeCommand<{ kind: string; message?: string }>('registryExplorer.item.edit', node, { enabled: false, rules: [{ field: 'tag', operator: 'ew', values: ['-1'] }] });
    assert.deepEqual(edited, { kind: 'done', message: `Saved pruning policy ${id}` });
    const back = await dtrApi<{ rules: unknown[]; enabled: boolean }>('GET', `/api/v0/repositories/engineering/api/pruningPolicies/${id}`);
    assert.deepEqual(back.rules, [{ field: 'tag', operator: 'ew', values: ['-1'] }]);
    const renamed = await eventually(async () => (await api.tree.getChildren(list)).find((k) => labelOf(api, k) === 'tag ew -1'), 'the edited policy listed');

    // Delete… asks in a modal confirmation first; without it nothing is deleted.
    await stopsAtDialog('registryExplorer.item.delete', renamed);
    await dtrApi('GET', `/api/v0/repositories/engineering/api/pruningPolicies/${id}`);
  });

  it('asks before promoting a tag with Run Action…, and promotes nothing unconfirmed', async () => {
    const eng = await child(api, registry, 'engineering');
    const source = await child(api, await child(api, eng, 'engineering/api'), '1.0');
    const target = `it-promoted-${Date.now()}`;
    cleanups.push(() => dtrApi('DELETE', `/api/v0/repositories/alice/scratch/tags/${target}`));
    // A promotion asks first.
    assert.match(api.tree.describe(source).contextValue, /actionable/);
    await stopsAtDialog('registryExplorer.item.runAction', source, 'promote', { targetRepository: 'alice/scratch', targetTag: target });
    const tags = await dtrApi<Array<{ name: string }>>('GET', '/api/v0/repositories/alice/scratch/tags');
    assert.ok(!tags.some((t) => t.name === target), 'nothing promoted without the confirmation');
  });

  it('creates an API token (its secret in a modal), lists it, and asks before deleting it', async () => {
    const account = await child(api, registry, 'Account');
    const list = await child(api, account, 'API Tokens');
    const label = `it-token-${Date.now()}`;
    cleanups.push(async () => {
      for (const t of await dtrApi<Array<{ hashedToken: string; tokenLabel: string }>>('GET', '/api/v0/api_tokens?pageSize=100')) {
        if (t.tokenLabel === label) await dtrApi('DELETE', `/api/v0/api_tokens/${t.hashedToken}`);
      }
    });
    // The secret outcome is a modal with Copy (refused here, so the command ends there, after DTR made the token).
    await stopsAtDialog('registryExplorer.item.create', list, { tokenLabel: label });
    const tokens = await dtrApi<Array<{ hashedToken: string; tokenLabel: string; isActive: boolean }>>('GET', '/api/v0/api_tokens?pageSize=100');
    const token = tokens.find((t) => t.tokenLabel === label);
    assert.ok(token?.isActive, 'the new token is active in DTR');
    const node = await eventually(async () => (await api.tree.getChildren(list)).find((k) => labelOf(api, k) === label), `${label} listed`);
    assert.match(api.tree.describe(node).description ?? '', /^active/);
    assert.match(api.tree.describe(node).contextValue, /removable/);
    await stopsAtDialog('registryExplorer.item.delete', node);
    assert.ok((await dtrApi<Array<{ tokenLabel: string }>>('GET', '/api/v0/api_tokens?pageSize=100')).some((t) => t.tokenLabel === label), 'not deleted without the confirmation');
  });
});
