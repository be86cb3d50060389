import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import type { AdminNode, LoadMoreNode, TagNode, TreeNode } from '../../src/tree/nodes';
import { activate, child, eventually, labelOf, registryNode, sandbox, setRegistries } from './helpers';

// Red Hat Quay against the seeded fake (test/servers/quayServer.ts startDemoQuay) that the e2e runner starts and
// describes under `extra.quay`: user `alice` (an OAuth API token as the secret), the organizations acme and beta,
// acme/app (a multi-platform `latest` with the real Clair report, an ended tag `old`), acme/many (130 tags, some
// ended), acme/alpine (a mirror), robots, notifications.
const NAME = 'it-quay';

type Summary = { kind: string; message?: string; items?: string[] } | false | undefined;

/**
 * Answers the modal dialogs the extension shows while `run` runs (the test host refuses modal dialogs): the extension
 * and this suite share one `vscode` API object, so its `showWarningMessage` / `showInformationMessage` can be stood
 * in for. Warnings (confirmations) are answered with `button`; information (a secret shown once) is dismissed.
 */
async function answering<T>(button: string | undefined, run: () => Thenable<T> | Promise<T>): Promise<{ result: T; asked: string[]; shown: { message: string; detail?: string }[] }> {
  const asked: string[] = [];
  const shown: { message: string; detail?: string }[] = [];
  type Show = (...a: unknown[]) => Thenable<unknown>;
  const window = vscode.window as unknown as { showWarningMessage: Show; showInformationMessage: Show };
  const { showWarningMessage, showInformationMessage } = window;
  window.showWarningMessage = (message: unknown, ...rest: unknown[]) => {
    asked.push(String(message));
    return Promise.resolve(rest.find((r) => r === button));
  };
  window.showInformationMessage = (message: unknown, ...rest: unknown[]) => {
    const options = rest[0] as { modal?: boolean; detail?: string } | undefined;
    if (!options?.modal) return showInformationMessage(message, ...rest);
    shown.push({ message: String(message), detail: options.detail });
    return Promise.resolve(undefined);
  };
  try {
    return { result: await run(), asked, shown };
  } finally {
    window.showWarningMessage = showWarningMessage;
    window.showInformationMessage = showInformationMessage;
  }
}

describe('Red Hat Quay against the fake Quay', () => {
  let api: RegistryExplorerApi;
  let original: unknown[] | undefined;
  let registry: TreeNode;
  let configured = false;
  const quay = () => sandbox().extra!.quay!;

  const signIn = async (token: string) => {
    assert.equal(await vscode.commands.executeCommand('registryExplorer.signIn', NAME, token), true);
    registry = await eventually(async () => {
      const n = registryNode(await api.tree.getChildren(), NAME);
      return n.type === 'registry' && n.signedIn ? n : undefined;
    }, `${NAME} to be signed in`);
  };
  const repo = async (ns: string, name: string) => child(api, await child(api, registry, ns), name);
  const tags = (nodes: TreeNode[]) => nodes.filter((k): k is TagNode => k.type === 'tag');

  before(async function () {
    const q = sandbox().extra?.quay;
    // The e2e runner starts the fake Quay; a run without it is a failed run, not a skipped suite.
    assert.ok(q, 'the fake Quay is not running (extra.quay missing from the sandbox endpoints): start the suite with test/e2e/run.mjs');
    api = await activate();
    original = vscode.workspace.getConfiguration('registryExplorer').inspect<unknown[]>('registries')?.globalValue;
    configured = true;
    await setRegistries(api, [{ name: NAME, kind: 'quay', url: q.url }]);
    await signIn(q.token);
  });

  after(async () => {
    if (!configured) return;
    await vscode.commands.executeCommand('registryExplorer.signOut', NAME);
    assert.equal(await api.getSecret(NAME), undefined, 'signed out');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('registryExplorer').update('registries', original, vscode.ConfigurationTarget.Global);
  });

  it('browses registry → organization → repository → tag, and pages 130 tags with Load more…', async () => {
    const kids = await api.tree.getChildren(registry);
    const namespaces = kids.filter((k) => k.type === 'namespace').map((k) => labelOf(api, k));
    for (const ns of ['alice', 'acme', 'beta']) assert.ok(namespaces.includes(ns), `namespace ${ns} in ${namespaces.join(', ')}`);
    assert.ok(!kids.some((k) => k.type === 'message'), `no message node: ${kids.map((k) => labelOf(api, k)).join(', ')}`);

    const app = await repo('acme', 'acme/app');
    const latest = (await child(api, app, 'latest')) as TagNode;
    assert.match(latest.tag.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    const zeroNine = (await child(api, app, '0.9')) as TagNode;
    assert.ok(zeroNine.tag.expiresAt, '0.9 carries its expiration from the listing');

    const many = await repo('acme', 'acme/many');
    const pageSize = vscode.workspace.getConfiguration('registryExplorer').get<number>('pageSize', 100);
    let list = await api.tree.getChildren(many);
    const first = tags(list).map((t) => t.tag.name);
    assert.equal(first.length, Math.min(pageSize, 100), 'one page of tags (Quay caps limit at 100)');
    const more = list.at(-1)!;
    assert.equal(more.type, 'loadMore', 'the last child is Load more…');
    await api.tree.loadMore(more as LoadMoreNode);
    list = await api.tree.getChildren(many);
    const all = tags(list).map((t) => t.tag.name);
    assert.equal(all.length, 125, '130 tags, 5 of them ended');
    assert.deepEqual(all.slice(0, first.length), first, 'the first page stays in place');
    assert.equal(new Set(all).size, all.length, 'no tag twice');
    assert.notEqual(list.at(-1)!.type, 'loadMore', 'nothing more to load');
  });

  it('restores an ended tag from Tag history', async () => {
    const app = await repo('acme', 'acme/app');
    assert.ok(!tags(await api.tree.getChildren(app)).some((t) => t.tag.name === 'old'), '"old" is not an active tag');
    const history = await child(api, app, 'Tag history');
    const old = (await api.tree.getChildren(history)).find((k): k is AdminNode => k.type === 'admin' && labelOf(api, k) === 'old');
    assert.ok(old, '"old" in Tag history');
    const { result, asked } = await answering('Restore Tag', () => vscode.commands.executeCommand<Summary>('registryExplorer.item.runAction', old, 'restore'));
    assert.equal(asked.length, 1, 'one confirmation');
    assert.match(asked[0], /^Restore tag old of acme\/app to sha256:/, 'the confirmation names the tag and the digest');
    assert.ok(result && result.kind === 'done', JSON.stringify(result));
    assert.match(result.message ?? '', /Restored acme\/app:old/);
    const restored = await eventually(async () => tags(await api.tree.getChildren(app)).find((t) => t.tag.name === 'old'), '"old" listed as a tag again');
    // Deleted once more (the UI specs restore it too): a new entry in its history.
    const removed = await answering('Delete Tag', () => vscode.commands.executeCommand('registryExplorer.tag.delete', restored));
    assert.match(removed.asked[0] ?? '', /old/, 'the delete confirmation names the tag');
    await eventually(async () => !tags(await api.tree.getChildren(app)).some((t) => t.tag.name === 'old'), '"old" gone again');
  });

  it('sets and clears an expiration', async () => {
    const app = await repo('acme', 'acme/app');
    const one = (await child(api, app, '1.0')) as TagNode;
    assert.equal(one.tag.expiresAt, undefined);
    const at = new Date(Date.now() + 3 * 86400_000);
    at.setUTCSeconds(0, 0);
    const set = await vscode.commands.executeCommand<Summary>('registryExplorer.item.runAction', one, 'setExpiration', { expiresAt: at.toISOString() });
    assert.ok(set && set.kind === 'done', JSON.stringify(set));
    const expiring = await eventually(async () => {
      const t = (await child(api, app, '1.0')) as TagNode;
      return t.tag.expiresAt ? t : undefined;
    }, 'the expiration on 1.0');
    assert.equal(Date.parse(expiring.tag.expiresAt!), at.getTime());
    const cleared = await vscode.commands.executeCommand<Summary>('registryExplorer.item.runAction', expiring, 'clearExpiration');
    assert.ok(cleared && cleared.kind === 'done', JSON.stringify(cleared));
    await eventually(async () => ((await child(api, app, '1.0')) as TagNode).tag.expiresAt === undefined, 'no expiration on 1.0');
  });

  it('opens the live security report with the counts of the real Clair report', async function () {
    this.timeout(120_000);
    const app = await repo('acme', 'acme/app');
    const latest = (await child(api, app, 'latest')) as TagNode;
    const opened = await vscode.commands.executeCommand<Summary>('registryExplorer.item.runAction', latest, 'securityReport');
    assert.deepEqual(opened, { kind: 'panel' });
    // The panel the action opened (the same key: showing it again reveals it).
    const host = api.webviews.showScan({ registryName: NAME, repository: 'acme/app', tag: 'latest' });
    const init = await eventually(() => (host.lastPosted?.type === 'init' ? host.lastPosted : undefined), 'the scan panel to load', 30_000);
    const report = (init as unknown as { data: { report: { status: string; counts: Record<string, number>; vulnerabilities: unknown[]; packages: unknown[]; platforms?: string[] } } }).data.report;
    assert.equal(report.status, 'completed');
    assert.deepEqual(report.counts, { critical: 0, high: 1, medium: 19, low: 68, negligible: 0, unknown: 1 });
    assert.equal(report.vulnerabilities.length, 89);
    assert.equal(report.packages.length, 188);
    assert.deepEqual(report.platforms, ['linux/amd64', 'linux/arm64']);
    // A webview closed while it still loads resources stalls code-server's webview service worker for the next one
    // (see dtr.test.ts): let the page settle, close it, and check that a new panel loads.
    await new Promise((r) => setTimeout(r, 3000));
    host.panel.dispose();
    const probe = api.webviews.showPanel({
      kind: 'form',
      key: 'it-quay-after-scan',
      title: 'After the scan panel',
      restore: {},
      load: () => Promise.resolve({ type: 'init', panel: 'form', data: { formId: 'it-quay-after-scan', title: 'After the scan panel', form: { fields: [] }, values: {} }, restore: {} }),
    });
    await eventually(() => probe.lastPosted?.type === 'init', 'a webview to load after the scan panel closed', 60_000);
    probe.panel.dispose();
  });

  it('edits the mirror configuration of acme/alpine', async () => {
    const alpine = await repo('acme', 'acme/alpine');
    const mirror = await child(api, await child(api, alpine, 'Policies'), 'Mirroring');
    assert.match(api.tree.describe(mirror).description ?? '', /enabled · SUCCESS · docker\.io\/library\/alpine/);
    const saved = await vscode.commands.executeCommand<Summary>('registryExplorer.item.edit', mirror, {
      isEnabled: true,
      externalReference: 'quay.io/acme/alpine-upstream',
      tags: ['latest', '3.*', 'edge'],
      robot: 'acme+mirror',
      syncIntervalSeconds: 3600,
      syncStartDate: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      verifyTls: true,
      unsignedImages: false,
      architectures: [],
    });
    assert.ok(saved && saved.kind === 'done', JSON.stringify(saved));
    await eventually(async () => {
      const m = await child(api, await child(api, await repo('acme', 'acme/alpine'), 'Policies'), 'Mirroring');
      return /quay\.io\/acme\/alpine-upstream/.test(api.tree.describe(m).description ?? '');
    }, 'the new upstream in the tree');
    // Back to the seeded configuration (the UI specs edit it too).
    const back = await vscode.commands.executeCommand<Summary>('registryExplorer.item.edit', mirror, {
      isEnabled: true,
      externalReference: 'docker.io/library/alpine',
      tags: ['latest', '3.*'],
      robot: 'acme+mirror',
      syncIntervalSeconds: 86400,
      syncStartDate: new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      verifyTls: true,
      unsignedImages: false,
      architectures: [],
    });
    assert.ok(back && back.kind === 'done', JSON.stringify(back));
  });

  it('creates a robot account and gets its token once', async () => {
    const robots = await child(api, await child(api, await child(api, registry, 'acme'), 'Access'), 'Robot accounts');
    const name = `it${Date.now() % 1_000_000}`;
    const { result: created, shown } = await answering(undefined, () => vscode.commands.executeCommand<Summary>('registryExplorer.item.create', robots, { shortname: name, description: 'made in-host' }));
    assert.ok(created && created.kind === 'secret', JSON.stringify(created));
    assert.equal(shown.length, 1, 'the token is shown once, in one modal');
    assert.match(shown[0].detail ?? '', /^[A-Z0-9]{32,}$/, 'the modal carries the token');
    assert.match(created.message ?? '', new RegExp(`Created robot acme\\+${name}`));
    assert.equal(JSON.stringify(created).includes('token":'), false, 'the command result carries no token');
    await eventually(async () => (await api.tree.getChildren(robots)).some((k) => labelOf(api, k) === `acme+${name}`), 'the robot listed');
  });

  it('creates a notification whose method needs its own fields', async () => {
    const notifications = await child(api, await child(api, await repo('acme', 'acme/app'), 'Policies'), 'Notifications');
    const before = (await api.tree.getChildren(notifications)).length;
    // A webhook without its URL is refused (a notification, nothing created): the union asks for the method's fields.
    const refused = await vscode.commands.executeCommand<Summary>('registryExplorer.item.create', notifications, { title: 'no url', event: 'repo_push', delivery: { method: 'webhook' } });
    assert.equal(refused, undefined);
    assert.equal((await api.tree.getChildren(notifications)).length, before);
    const created = await vscode.commands.executeCommand<Summary>('registryExplorer.item.create', notifications, {
      title: 'in-host notice',
      event: 'vulnerability_found',
      delivery: { method: 'quay_notification', targetKind: 'team', target: 'developers' },
    });
    assert.ok(created && created.kind === 'done', JSON.stringify(created));
    const n = await eventually(async () => (await api.tree.getChildren(notifications)).find((k) => labelOf(api, k) === 'in-host notice'), 'the notification listed');
    assert.match(api.tree.describe(n).description ?? '', /vulnerability_found → quay_notification/);
    assert.equal((await api.tree.getChildren(notifications)).length, before + 1);
  });

  it('sets the /v2 login as a second secret of the entry; Sign Out clears it', async () => {
    // Signed in with a token the registry does not take, tag details need the /v2 login.
    await signIn(quay().otherToken);
    const account = await child(api, registry, 'Account');
    let login = await child(api, account, 'Registry login (/v2)');
    assert.match(api.tree.describe(login).description ?? '', /\$oauthtoken with the API token/);
    const saved = await vscode.commands.executeCommand<Summary>('registryExplorer.item.edit', login, { username: '$oauthtoken', password: quay().token });
    assert.ok(saved && saved.kind === 'done', JSON.stringify(saved));
    assert.equal(await api.getSecret(NAME), quay().otherToken, 'the API secret stays');
    login = await eventually(async () => {
      const l = await child(api, await child(api, registry, 'Account'), 'Registry login (/v2)');
      return api.tree.describe(l).description === '$oauthtoken' ? l : undefined;
    }, 'the stored login in the tree');
    // A login the registry's token endpoint refuses is not stored.
    const wrong = await vscode.commands.executeCommand<Summary>('registryExplorer.item.edit', login, { username: 'acme+ci', password: 'not-the-token' });
    assert.equal(wrong, undefined, 'refused');
    assert.equal(api.tree.describe(await child(api, await child(api, registry, 'Account'), 'Registry login (/v2)')).description, '$oauthtoken', 'the stored login stays');

    await vscode.commands.executeCommand('registryExplorer.signOut', NAME);
    await signIn(quay().otherToken);
    const after = await child(api, await child(api, registry, 'Account'), 'Registry login (/v2)');
    assert.match(api.tree.describe(after).description ?? '', /\$oauthtoken with the API token/, 'Sign Out forgot the login');
  });
});
