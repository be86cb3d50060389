import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RegistryExplorerApi } from '../../src/extension';
import { tooltipLine } from '../../src/health/statusBar';
import type { TagNode, TreeNode } from '../../src/tree/nodes';
import type { PanelHost } from '../../src/webviews/panelHost';
import type { HostMessage } from '../../src/webviews/protocol';
import { activate, child, confirming, eventually, labelOf, registryNode, sandbox, setRegistries } from './helpers';

// Harbor 2.x against the seeded fake (test/servers/harborSeed.ts startDemoHarbor) that the e2e runner starts and
// describes under `extra.harbor`: the project robot robot$team-a+ci (pull, list, read: Harbor lists it the public
// projects only and refuses it its own project), the admin; projects team-a (private, CVE allowlist CVE-2024-0003),
// library and dockerhub-proxy (public); team-a/app has the index latest + 2.0 (linux/amd64 + linux/arm64, one scan
// per platform), 1.1 (signed, an SBOM, 1 critical · 1 high · 1 medium · 1 low), 1.0 (a scan running) and an
// untagged artifact.
const ROBOT = 'it-harbor';
const ADMIN = 'it-harbor-admin';

type Init<P extends string> = Extract<HostMessage, { type: 'init'; panel: P }>;

function initOf<P extends 'scan' | 'tagDetails'>(host: PanelHost, panel: P, platform?: string): Init<P> | undefined {
  const m = host.lastPosted;
  if (m?.type !== 'init' || m.panel !== panel) return undefined;
  if (platform && m.panel === 'scan' && m.data.report.platform !== platform) return undefined;
  return m as Init<P>;
}

/** Hands the panel host a message exactly as `webview.onDidReceiveMessage` does (validated there first). */
function fromWebview(host: PanelHost, raw: unknown): Promise<void> {
  return (host as unknown as { receive(raw: unknown): Promise<void> }).receive(raw);
}

describe('Harbor against the fake Harbor, signed in with a robot account', () => {
  let api: RegistryExplorerApi;
  let original: unknown[] | undefined;
  let configured = false;
  const hosts: PanelHost[] = [];
  const harbor = () => sandbox().extra!.harbor!;

  const signedIn = (name: string) =>
    eventually(async () => {
      const n = registryNode(await api.tree.getChildren(), name);
      return n.type === 'registry' && n.signedIn ? n : undefined;
    }, `${name} to be signed in`);
  const app = async (name: string) => child(api, await child(api, await signedIn(name), 'team-a'), 'team-a/app');
  const tags = (nodes: TreeNode[]) => nodes.filter((k): k is TagNode => k.type === 'tag');
  const scanOf = async (name: string, repository: string, tag: string, platform?: string) => {
    const host = api.webviews.showScan({ registryName: name, repository, tag });
    hosts.push(host);
    return { host, init: await eventually(() => initOf(host, 'scan', platform), `the scan panel of ${repository}:${tag}`, 60_000) };
  };
  /**
   * One panel at a time: a webview closed (or another opened) while one still loads its resources stalls
   * code-server's webview service worker for the next one (see dtr.test.ts). Let the page settle, then close it.
   */
  const closeSettled = async (host: PanelHost) => {
    await new Promise((r) => setTimeout(r, 3000));
    host.panel.dispose();
    hosts.splice(hosts.indexOf(host), 1);
  };

  before(async function () {
    const h = sandbox().extra?.harbor;
    // The e2e runner starts the fake Harbor; a run without it is a failed run, not a skipped suite.
    assert.ok(h, 'the fake Harbor is not running (extra.harbor missing from the sandbox endpoints): start the suite with test/e2e/run.mjs');
    assert.match(h.robot, /^robot\$team-a\+/);
    api = await activate();
    original = vscode.workspace.getConfiguration('registryExplorer').inspect<unknown[]>('registries')?.globalValue;
    configured = true;
    // No `namespaces`: the robot's own project comes from its name.
    await setRegistries(api, [
      { name: ROBOT, kind: 'harbor', url: h.url, username: h.robot },
      { name: ADMIN, kind: 'harbor', url: h.url, username: h.username },
    ]);
    assert.equal(await vscode.commands.executeCommand('registryExplorer.signIn', ROBOT, h.robotSecret), true);
    assert.equal(await vscode.commands.executeCommand('registryExplorer.signIn', ADMIN, h.password), true);
    await signedIn(ROBOT);
    await signedIn(ADMIN);
  });

  after(async function () {
    this.timeout(90_000);
    if (!configured) return;
    // Panels a failed test left open close after settling; then a new panel must still load (see closeSettled).
    await new Promise((r) => setTimeout(r, 3000));
    for (const h of hosts) h.panel.dispose();
    try {
      const probe = api.webviews.showPanel({
        kind: 'form',
        key: 'it-harbor-after-panels',
        title: 'After the Harbor panels',
        restore: {},
        load: () => Promise.resolve({ type: 'init', panel: 'form', data: { formId: 'it-harbor-after-panels', title: 'After the Harbor panels', form: { fields: [] }, values: {} }, restore: {} }),
      });
      await eventually(() => probe.lastPosted?.type === 'init', 'a webview to load after the Harbor panels closed', 60_000);
      probe.panel.dispose();
    } finally {
      for (const name of [ROBOT, ADMIN]) await vscode.commands.executeCommand('registryExplorer.signOut', name);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.getConfiguration('registryExplorer').update('registries', original, vscode.ConfigurationTarget.Global);
    }
    for (const name of [ROBOT, ADMIN]) assert.equal(await api.getSecret(name), undefined, `signed out of ${name}`);
  });

  it('browses registry → project → repository → artifact; the robot sees its own private project', async () => {
    const registry = await signedIn(ROBOT);
    const kids = await api.tree.getChildren(registry);
    assert.ok(!kids.some((k) => k.type === 'message'), `no message node: ${kids.map((k) => labelOf(api, k)).join(', ')}`);
    const projects = kids.filter((k) => k.type === 'namespace').map((k) => labelOf(api, k));
    assert.deepEqual([...projects].sort(), ['dockerhub-proxy', 'library', 'team-a']);
    assert.match(api.tree.describe(await child(api, registry, 'team-a')).description ?? '', /from the robot account/);
    assert.match(api.tree.describe(await child(api, registry, 'dockerhub-proxy')).description ?? '', /public · 0 repositories · proxy cache/);

    const teamA = await child(api, registry, 'team-a');
    assert.deepEqual((await api.tree.getChildren(teamA)).map((r) => labelOf(api, r)).sort(), ['team-a/app', 'team-a/tools/cli']);
    const repo = await child(api, teamA, 'team-a/app');
    const facts = api.tree.describe(repo).description ?? '';
    for (const f of [/^The app service · /, / 42 pulls · /, / 4 artifacts$/]) assert.match(facts, f);
    // The nested repository (double-encoded in Harbor's paths) lists its artifact too.
    const cli = (await child(api, await child(api, teamA, 'team-a/tools/cli'), 'v1')) as TagNode;
    assert.match(cli.tag.digest ?? '', /^sha256:[0-9a-f]{64}$/);

    const rows = tags(await api.tree.getChildren(repo));
    assert.deepEqual(
      rows.map((r) => r.tag.name).filter((n) => !n.startsWith('sha256:')).sort(),
      ['1.0', '1.1', 'latest'],
      'each artifact named by its first tag',
    );
    assert.ok(rows.some((r) => /^sha256:/.test(r.tag.name) && r.tag.facts?.includes('untagged')), 'the untagged artifact by its digest');
    const signed = rows.find((r) => r.tag.name === '1.1')!;
    assert.deepEqual(signed.tag.vulnerabilities, { critical: 1, high: 1, medium: 1, low: 1 });
    await api.tree.whenDetailsSettled();
    const d = api.tree.describe(signed);
    assert.match(d.description ?? '', /^sha256:[0-9a-f]{12} · .*1 critical · 1 high · 1 medium · 1 low/, `the scan badge in "${d.description}"`);
    assert.match(d.tooltip ?? '', /Vulnerabilities: 1 critical · 1 high · 1 medium · 1 low/);
    assert.match(d.tooltip ?? '', /signed \\\(cosign\\\) · SBOM · labels\\: release/, 'the facts, escaped for Markdown');
    assert.match(d.contextValue, /(^|;)scannable(;|$)/, 'Show Scan Summary is offered');
    const index = rows.find((r) => r.tag.name === 'latest')!;
    assert.ok(index.tag.facts?.includes('tags: latest, 2.0'), JSON.stringify(index.tag.facts));
    assert.ok(index.tag.facts?.includes('index (2 platforms)'), JSON.stringify(index.tag.facts));
    assert.ok(rows.find((r) => r.tag.name === '1.0')!.tag.facts?.includes('scanning 40%'), 'the running scan');
  });

  it('opens the tag details of the index through /v2/ with the robot’s token', async function () {
    this.timeout(120_000);
    const latest = (await child(api, await app(ROBOT), 'latest')) as TagNode;
    await vscode.commands.executeCommand('registryExplorer.tag.showDetails', latest);
    // The command opened the panel; showing the same tag again reveals it.
    const host = api.webviews.showTagDetails({ registryName: ROBOT, repository: 'team-a/app', reference: 'latest' });
    hosts.push(host);
    const init = await eventually(() => initOf(host, 'tagDetails'), 'the tag details of team-a/app:latest', 60_000);
    const details = init.data.details;
    assert.equal(details.isIndex, true);
    assert.equal(details.digest, latest.tag.digest);
    assert.deepEqual(
      details.images.map((i) => `${i.platform?.os}/${i.platform?.architecture}`).sort(),
      ['linux/amd64', 'linux/arm64'],
    );
    assert.equal(init.data.pullHost, new URL(harbor().url).host);
    await closeSettled(host);
  });

  it('Show Scan Summary: the live report of each platform of the index', async function () {
    this.timeout(180_000);
    const latest = (await child(api, await app(ROBOT), 'latest')) as TagNode;
    await vscode.commands.executeCommand('registryExplorer.tag.showScan', latest);
    const { host, init } = await scanOf(ROBOT, 'team-a/app', 'latest');
    const a = init.data.report;
    assert.equal(a.status, 'completed');
    assert.deepEqual(a.platforms, ['linux/amd64', 'linux/arm64']);
    assert.equal(a.platform, 'linux/amd64');
    assert.deepEqual(
      a.vulnerabilities.map((v) => v.id),
      ['CVE-2024-0001', 'CVE-2024-0002', 'CVE-2024-0003', 'CVE-2024-0004'],
    );
    await fromWebview(host, { type: 'selectPlatform', platform: 'linux/arm64' });
    const b = (await eventually(() => initOf(host, 'scan', 'linux/arm64'), 'the linux/arm64 report', 60_000)).data.report;
    assert.equal(b.counts.critical, 0, 'the arm64 image has no critical CVE');
    assert.equal(b.vulnerabilities.length, 3);
    assert.notEqual(b.digest, a.digest, 'the report of the other platform’s artifact');
    await closeSettled(host);
  });

  it('the robot’s report of 1.1: the seeded counts, and a note that its project’s allowlist is not readable to it', async function () {
    this.timeout(120_000);
    const { host, init } = await scanOf(ROBOT, 'team-a/app', '1.1');
    const r = init.data.report;
    assert.equal(r.status, 'completed');
    assert.deepEqual(r.counts, { critical: 1, high: 1, medium: 1, low: 1, negligible: 0, unknown: 0 });
    assert.equal(r.scanner, 'Trivy v0.50.0');
    const openssl = r.vulnerabilities.find((v) => v.id === 'CVE-2024-0001')!;
    assert.deepEqual([openssl.packageName, openssl.installedVersion, openssl.fixedVersion, openssl.cvss], ['openssl', '3.0.1', '3.0.13', 9.8]);
    // Harbor refuses a robot its own project (and so its CVE allowlist): the report says so rather than failing.
    assert.match(r.message ?? '', /CVE allowlist could not be read .*allowlisted CVEs are not marked/);
    assert.ok(!r.vulnerabilities.some((v) => (v.description ?? '').startsWith('[Allowlisted')), 'nothing marked without the allowlist');
    await closeSettled(host);
  });

  it('an admin’s report of 1.1 marks the project’s allowlisted CVE and keeps it listed and counted', async function () {
    this.timeout(120_000);
    const { host, init } = await scanOf(ADMIN, 'team-a/app', '1.1');
    const r = init.data.report;
    assert.deepEqual(r.counts, { critical: 1, high: 1, medium: 1, low: 1, negligible: 0, unknown: 0 }, 'allowlisted CVEs are still counted');
    const marked = r.vulnerabilities.filter((v) => (v.description ?? '').startsWith('[Allowlisted'));
    assert.deepEqual(
      marked.map((v) => v.id),
      ['CVE-2024-0003'],
      'the project allowlist (not the system one: team-a does not reuse it) applies',
    );
    assert.match(marked[0]!.description!, /Allowlisted issue in busybox/, 'the description stays after the mark');
    assert.match(r.message ?? '', /1 of 4 vulnerabilities are in the project's CVE allowlist/);
    await closeSettled(host);
  });

  it('shows Harbor’s components and version in the status bar tooltip', async () => {
    const h = await eventually(async () => {
      await api.health.check(ROBOT);
      const x = api.health.snapshot().find((s) => s.name === ROBOT);
      return x?.ok === true ? x : undefined;
    }, 'a healthy check of the robot’s registry');
    assert.equal(h.details?.version, 'v2.11.0-fake');
    assert.equal(h.details?.['auth mode'], 'db_auth');
    for (const c of ['core', 'database', 'jobservice', 'registry', 'trivy']) assert.equal(h.details?.[c], 'healthy', c);
    const line = tooltipLine(h);
    assert.match(line, /^\$\(pass\) \*\*it\\-harbor\*\*: \d+ ms, version: v2\\\.11\\\.0\\-fake, auth mode: db\\_auth, core: healthy/, line);
    assert.match(line, /trivy: healthy/);
  });

  it('deletes an artifact by digest as the admin; the confirmation names every tag it takes', async function () {
    this.timeout(60_000);
    const repo = await app(ADMIN);
    const latest = (await child(api, repo, 'latest')) as TagNode;
    // Declined first: nothing is deleted.
    const declined = await confirming(undefined, () => vscode.commands.executeCommand<boolean>('registryExplorer.tag.delete', latest));
    assert.equal(declined.asked.length, 1);
    assert.ok(tags(await api.tree.getChildren(repo)).some((t) => t.tag.name === 'latest'), 'still listed after No');

    const { result, asked } = await confirming('Delete 2 Tags', () => vscode.commands.executeCommand<boolean>('registryExplorer.tag.delete', latest));
    assert.equal(asked.length, 1, 'one confirmation');
    assert.equal(asked[0]!.message, 'Delete team-a/app:latest and 1 other tag sharing its digest?');
    assert.match(asked[0]!.detail ?? '', new RegExp(`deletes by digest ${latest.tag.digest}`));
    assert.match(asked[0]!.detail ?? '', /These tags are deleted too: 2\.0\./);
    assert.deepEqual(asked[0]!.buttons, ['Delete 2 Tags']);
    assert.equal(result, true);
    await eventually(async () => {
      const left = tags(await api.tree.getChildren(await app(ADMIN)));
      return !left.some((t) => t.tag.name === 'latest' || t.tag.digest === latest.tag.digest) && left.some((t) => t.tag.name === '1.1');
    }, 'the index gone, the other artifacts still listed');
  });
});
