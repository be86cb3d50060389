import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import type { PanelHost, PanelSpec } from '../../src/webviews/panelHost';
import type { WebviewMessage } from '../../src/webviews/protocol';
import { activate, eventually } from './helpers';

/**
 * A webview is untrusted input: the extension host validates every message it receives before acting on it.
 * This opens a real form panel through the extension and hands its host malformed messages exactly as
 * `webview.onDidReceiveMessage` does; none may reach the panel's handler, write the clipboard or close the panel,
 * and a well-formed message afterwards still works.
 */
describe('the extension host validates webview messages', () => {
  let api: RegistryExplorerApi;
  let host: PanelHost;
  const handled: WebviewMessage[] = [];

  before(async function () {
    // code-server holds a new webview back for about 30 s when an earlier one was closed while still loading.
    this.timeout(90_000);
    api = await activate();
    const spec: PanelSpec = {
      kind: 'form',
      key: 'it-malformed-messages',
      title: 'Message validation',
      restore: {},
      load: () => Promise.resolve({ type: 'init', panel: 'form', data: { formId: 'it-messages', title: 'Message validation', form: { fields: [] }, values: { name: 'x' } }, restore: {} }),
      onMessage: (msg) => {
        handled.push(msg);
        return Promise.resolve();
      },
    };
    host = api.webviews.showPanel(spec);
    await eventually(() => host.lastPosted?.type === 'init', 'the form panel to load', 60_000);
  });

  after(() => {
    host?.panel.dispose();
  });

  it('ignores malformed messages: nothing runs', async () => {
    const receive = (raw: unknown) => (host as unknown as { receive(raw: unknown): Promise<void> }).receive(raw);
    let disposed = false;
    const sub = host.panel.onDidDispose(() => (disposed = true));
    await vscode.env.clipboard.writeText('clipboard-before');
    const malformed: unknown[] = [
      null,
      'save',
      42,
      [],
      {},
      { type: 'runCommand', command: 'workbench.action.closeWindow' },
      { type: 'save', requestId: 'r1', values: 'not an object' },
      { type: 'save', values: { name: 'no request id' } },
      { type: 'export', requestId: 'r2', format: 'exe', filter: {} },
      { type: 'copy', text: { toString: 'x' } },
      { type: 'copy', text: 'x'.repeat(20_001) },
      { type: 'copy', text: '' },
      { type: 'openLink', url: 42 },
      { type: 'dirty', dirty: 'yes' },
      { type: 'Cancel' },
    ];
    for (const raw of malformed) await receive(raw);
    assert.deepEqual(handled, [], 'no malformed message reached the panel handler');
    assert.equal(await vscode.env.clipboard.readText(), 'clipboard-before', 'no malformed copy wrote the clipboard');
    assert.equal(host.isDirty, false, 'a malformed dirty message changed nothing');
    assert.equal(disposed, false, 'the panel is still open');
    sub.dispose();

    // The same channel still accepts a well-formed message.
    await receive({ type: 'save', requestId: 'r3', values: { name: 'y' } });
    assert.deepEqual(handled, [{ type: 'save', requestId: 'r3', values: { name: 'y' } }]);
  });
});
