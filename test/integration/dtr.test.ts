import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import type { LoadMoreNode, TagNode, TreeNode } from '../../src/tree/nodes';
import type { PanelHost } from '../../src/webviews/panelHost';
import type { HostMessage } from '../../src/webviews/protocol';
import { activate, child, eventually, labelOf, registryNode, sandbox, setRegistries } from './helpers';

// DTR / MSR against the seeded fake DTR (test/servers/dtrServer.ts startDemoDtr, the demo's data set) that the e2e
// runner starts and describes under `extra.dtr` of the endpoints file: user alice with an API token as the secret,
// the organizations engineering (api, web, many with 150 tags) and platform, the configured namespace engineering;
// engineering/api:latest is a manifest list (linux/amd64 + linux/arm64) with a scan summary per platform.
const NAME = 'it-dtr';

type ScanInit = Extract<HostMessage, { type: 'init'; panel: 'scan' }>;

function scanInit(host: PanelHost, platform?: string): ScanInit | undefined {
  const m = host.lastPosted;
  if (m?.type !== 'init' || m.panel !== 'scan') return undefined;
  return !platform || m.data.report.platform === platform ? m : undefined;
}

/** Hands the panel host a message exactly as `webview.onDidReceiveMessage` does (validated there first). */
function fromWebview(host: PanelHost, raw: unknown): Promise<void> {
  return (host as unknown as { receive(raw: unknown): Promise<void> }).receive(raw);
}

describe('the Registries tree and the scan summary against the fake DTR', () => {
  let api: RegistryExplorerApi;
  let original: unknown[] | undefined;
  let registry: TreeNode;
  let configured = false;
  let scanHost: PanelHost | undefined;

  before(async function () {
    const dtr = sandbox().extra?.dtr;
    // The e2e runner starts the fake DTR; a run without it is a failed run, not a skipped suite.
    assert.ok(dtr, 'the fake DTR is not running (extra.dtr missing from the sandbox endpoints): start the suite with test/e2e/run.mjs');
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

  after(async function () {
    this.timeout(90_000);
    if (scanHost) {
      // A webview closed while it still loads resources (the codicon font, after the first render) leaves
      // code-server's webview service worker waiting 30 s for an answer sent to the closed frame, and the next
      // webview to open waits as long. Let the page settle, close it, and check that a new panel loads.
      await new Promise((r) => setTimeout(r, 3000));
      scanHost.panel.dispose();
      const probe = api.webviews.showPanel({
        kind: 'form',
        key: 'it-dtr-after-scan',
        title: 'After the scan panel',
        restore: {},
        load: () => Promise.resolve({ type: 'init', panel: 'form', data: { formId: 'it-dtr-after-scan', title: 'After the scan panel', form: { fields: [] }, values: {} }, restore: {} }),
      });
      await eventually(() => probe.lastPosted?.type === 'init', 'a webview to load after the scan panel closed', 60_000);
      probe.panel.dispose();
    }
    if (!configured) return;
    await vscode.commands.executeCommand('registryExplorer.signOut', NAME);
    assert.equal(await api.getSecret(NAME), undefined, 'signed out');
    await vscode.workspace.getConfiguration('registryExplorer').update('registries', original, vscode.ConfigurationTarget.Global);
  });

  it('lists the own namespace, the configured one and the organizations', async () => {
    const kids = await api.tree.getChildren(registry);
    assert.ok(!kids.some((k) => k.type === 'message'), `no message node: ${kids.map((k) => labelOf(api, k)).join(', ')}`);
    const namespaces = kids.filter((k) => k.type === 'namespace').map((k) => labelOf(api, k));
    for (const ns of ['alice', 'engineering', 'platform']) assert.ok(namespaces.includes(ns), `namespace ${ns} in ${namespaces.join(', ')}`);
  });

  it('lists the repositories of a namespace with the facts of the listing', async () => {
    const engineering = await child(api, registry, 'engineering');
    const labels = (await api.tree.getChildren(engineering)).map((r) => labelOf(api, r));
    assert.deepEqual(labels.filter((l) => l.startsWith('engineering/')).sort(), ['engineering/api', 'engineering/many', 'engineering/web']);
    const repo = await child(api, engineering, 'engineering/api');
    assert.match(api.tree.describe(repo).description ?? '', /The public API · private · 1\.2K pulls · scan on push · immutable tags · tag limit 50/);
  });

  it('pages the 150 tags of engineering/many with Load more…', async () => {
    const engineering = await child(api, registry, 'engineering');
    const repo = await child(api, engineering, 'engineering/many');
    const pageSize = vscode.workspace.getConfiguration('registryExplorer').get<number>('pageSize', 100);
    const tags = (nodes: TreeNode[]) => nodes.filter((k): k is TagNode => k.type === 'tag').map((k) => k.tag.name);
    let kids = await api.tree.getChildren(repo);
    const first = tags(kids);
    assert.equal(first.length, pageSize, 'one page of tags');
    const more = kids.at(-1)!;
    assert.equal(more.type, 'loadMore', 'the last child is Load more…');
    assert.equal(labelOf(api, more), 'Load more…');
    await api.tree.loadMore(more as LoadMoreNode);
    kids = await api.tree.getChildren(repo);
    const all = tags(kids);
    assert.equal(all.length, 150, 'Load more brings the rest');
    assert.deepEqual(all.slice(0, pageSize), first, 'the first page stays in place');
    assert.equal(new Set(all).size, 150, 'no tag twice');
    assert.notEqual(kids.at(-1)!.type, 'loadMore', 'nothing more to load');
  });

  it('describes tags with digest, size and scan counts; the multi-platform tag with its platforms', async () => {
    const engineering = await child(api, registry, 'engineering');
    const repo = await child(api, engineering, 'engineering/api');
    const one = (await child(api, repo, '1.1')) as TagNode;
    const latest = (await child(api, repo, 'latest')) as TagNode;
    await api.tree.whenDetailsSettled();
    const d1 = api.tree.describe(one);
    assert.match(one.tag.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.ok(d1.description?.includes(one.tag.digest!.slice(0, 'sha256:'.length + 12)), `short digest in "${d1.description}"`);
    assert.match(d1.description ?? '', /\d+(\.\d)? (B|KB|MB)/, `size in "${d1.description}"`);
    assert.match(d1.description ?? '', /\b11 critical · 12 medium · 17 low\b/, `scan counts in "${d1.description}"`);
    assert.match(d1.tooltip ?? '', /Vulnerabilities: 11 critical · 12 medium · 17 low/);

    const dl = api.tree.describe(latest);
    assert.equal(latest.detailsError, undefined, 'the /v2/ details of the manifest list loaded');
    assert.match(dl.description ?? '', /\d+ critical · \d+ medium · \d+ low/, `scan counts in "${dl.description}"`);
    assert.match(dl.description ?? '', /linux\/amd64, linux\/arm64/, `platforms in "${dl.description}"`);
    assert.match(dl.contextValue, /(^|;)scannable(;|$)/, 'Show Scan Summary is offered on the tag');
    assert.match(dl.tooltip ?? '', /signed · multi\\-platform · by alice/, 'the listing’s facts, escaped for Markdown');
  });

  it('Show Scan Summary of the multi-platform tag: one platform’s live report, then the other platform’s, which differs', async () => {
    const engineering = await child(api, registry, 'engineering');
    const repo = await child(api, engineering, 'engineering/api');
    const latest = (await child(api, repo, 'latest')) as TagNode;
    await vscode.commands.executeCommand('registryExplorer.tag.showScan', latest);
    // The command opened the panel; showing the same tag again reveals it rather than opening another.
    const host = (scanHost = api.webviews.showScan({ registryName: NAME, repository: 'engineering/api', tag: 'latest' }));
    const first = await eventually(() => scanInit(host), 'the scan summary of engineering/api:latest', 30_000);
    const a = first.data.report;
    assert.equal(a.status, 'completed');
    assert.deepEqual(a.platforms, ['linux/amd64', 'linux/arm64']);
    assert.equal(a.platform, 'linux/amd64', 'the first platform by default');
    assert.equal(a.vulnerabilities.length, 320);
    assert.equal(Object.values(a.counts).reduce((x, y) => x + y, 0), 320);
    assert.equal(a.counts.unknown, 0, 'critical / major / minor mapped explicitly');

    await fromWebview(host, { type: 'selectPlatform', platform: 'linux/arm64' });
    const second = await eventually(() => scanInit(host, 'linux/arm64'), 'the linux/arm64 report', 30_000);
    const b = second.data.report;
    assert.deepEqual(b.platforms, a.platforms, 'the same platforms to switch between');
    assert.notEqual(b.digest, a.digest, 'the report of another image');
    assert.notDeepEqual(b.counts, a.counts, 'other counts');
    assert.notDeepEqual(
      b.vulnerabilities.map((v) => v.id),
      a.vulnerabilities.map((v) => v.id),
      'other CVEs',
    );
    assert.equal(second.restore.platform, 'linux/arm64', 'the chosen platform is kept for a window reload');

    // A page that is shown again gets the chosen platform's report, not the first one.
    await fromWebview(host, { type: 'ready' });
    assert.equal(scanInit(host)?.data.report.platform, 'linux/arm64');
    // A platform the report did not offer is refused; nothing is loaded.
    const before = host.lastPosted;
    await fromWebview(host, { type: 'selectPlatform', platform: 'windows/amd64' });
    assert.equal(host.lastPosted, before, 'nothing posted for a platform the report does not list');
  });
});
