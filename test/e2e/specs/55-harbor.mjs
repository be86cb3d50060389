// Harbor against the seeded fake Harbor (test/e2e/lib/harbor.mjs → test/servers/harborSeed.ts startDemoHarbor): the
// runner configures a registry entry `harbor` (kind harbor, url = sandbox.extra.harbor.url, username the project
// robot robot$team-a+ci). These specs sign in with the robot's secret, browse project → repository → artifact (the
// private project team-a that Harbor does not list to its robot, the scan badge of team-a/app:1.1) and open the
// artifact's live vulnerability report in the scan panel. Nothing here changes the fake's data: a second try finds
// what the first found.
import assert from 'node:assert/strict';
import { closeTab, collapse, ensureExpanded, menu, waitForPanel } from '../lib/steps.mjs';

const HARBOR = 'harbor';
const SCAN_TITLE = 'Scan: team-a/app:1.1';
const BADGE = /1 critical · 1 high · 1 medium · 1 low/;

function harborInfo(t) {
  const info = t.sandbox.extra?.harbor;
  if (!info?.url) throw new Error('the fake Harbor is not running: test/e2e/run.mjs starts it (test/e2e/lib/harbor.mjs) and configures the "harbor" entry');
  return info;
}

/** Severity → count as the panel's chart shows them. */
async function chartCounts(f) {
  const rows = f.locator('button.sev-row');
  const out = {};
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    out[((await row.locator('.sev-name').textContent()) ?? '').trim()] = Number((await row.locator('.sev-count').innerText()).replace(/,/g, ''));
  }
  return out;
}

/** team-a/app expanded, with the rows above it expanded too; returns the row of the artifact 1.1. */
async function openApp(t) {
  await ensureExpanded(t, HARBOR, 1);
  await ensureExpanded(t, 'team-a', 2);
  await ensureExpanded(t, 'team-a/app', 3);
  const row = t.treeItem('1.1', { level: 4 });
  await row.waitFor();
  return row;
}

/** Moves the pointer off the tree so no hover covers a screenshot. */
async function restPointer(t) {
  await t.page.mouse.move(t.page.viewportSize().width / 2, 8);
  await t.page.locator('.workbench-hover').waitFor({ state: 'hidden' }).catch(() => {});
}

export default [
  {
    name: 'harbor: signs in with a robot account and browses project → repository → artifact with its scan badge',
    async run(t) {
      const info = harborInfo(t);
      await t.openRegistriesView();
      await t.setTheme('Dark Modern');
      await collapse(t, HARBOR, 1);
      await menu(t, t.treeItem(HARBOR, { level: 1 }), 'Sign In');
      await t.inputBox(info.robot, { expectPrompt: /User name/ });
      await t.inputBox(info.robotSecret, { expectPrompt: /Password or access token/ });
      await t.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await t.expandTreeItem(HARBOR, { level: 1 });
      for (const p of ['team-a', 'library', 'dockerhub-proxy']) await t.treeItem(p, { level: 2 }).waitFor();
      // Harbor lists a project robot the public projects only: its own private project comes from its name.
      assert.match(await t.treeItem('team-a', { level: 2 }).locator('.label-description').innerText(), /from the robot account/);
      await t.expandTreeItem('team-a', { level: 2 });
      const app = t.treeItem('team-a/app', { level: 3 });
      await app.waitFor();
      assert.match(await app.locator('.label-description').innerText(), /The app service .*42 pulls.*artifacts/);
      await t.treeItem('team-a/tools/cli', { level: 3 }).waitFor();
      await t.expandTreeItem('team-a/app', { level: 3 });
      const signed = t.treeItem('1.1', { level: 4 });
      await signed.locator('.label-description', { hasText: BADGE }).waitFor();
      const desc = await signed.locator('.label-description').innerText();
      t.log(`team-a/app:1.1: ${desc}`);
      assert.match(desc, /^sha256:[0-9a-f]{12} · /, 'the short digest first');
      await t.treeItem('1.0', { level: 4 }).waitFor();
      await restPointer(t);
      assert.ok(await t.page.locator('.monaco-workbench.vs-dark').count(), 'dark theme');
      await t.shot('harbor-browse-artifact');
    },
  },
  {
    name: 'harbor: Show Scan Summary on an artifact opens its live vulnerability report with the seeded counts',
    async run(t) {
      await t.runCommand('View: Close All Editors');
      const row = await openApp(t);
      await row.locator('.label-description', { hasText: BADGE }).waitFor();
      await menu(t, row, 'Show Scan Summary');
      const f = await waitForPanel(t, SCAN_TITLE);
      await f.locator('.page-header p').getByText(/scan completed · Trivy v0\.50\.0/).waitFor();
      await f.locator('.total .big').getByText('4', { exact: true }).waitFor();
      await f.getByText('Showing 4 of 4').waitFor();
      const counts = await chartCounts(f);
      t.log(`team-a/app:1.1: ${JSON.stringify(counts)}`);
      assert.deepEqual(counts, { critical: 1, high: 1, medium: 1, low: 1, negligible: 0, unknown: 0 });
      // Harbor refuses a robot its own project, so the allowlist: the report says so instead of failing.
      await f.locator('.notice').getByText(/CVE allowlist could not be read/).waitFor();
      // The critical CVE's detail: package, versions, link.
      await f.locator('.vrows .vrow', { hasText: 'CVE-2024-0001' }).click();
      await f.locator('.vdetail').getByText(/openssl 3\.0\.1 → fixed in 3\.0\.13/).waitFor();
      await f.locator('.vdetail a', { hasText: 'https://avd.aquasec.com/nvd/cve-2024-0001' }).waitFor();
      await restPointer(t);
      await t.shot('harbor-scan-summary');
      await closeTab(t, SCAN_TITLE);
      await collapse(t, 'team-a/app', 3);
      await collapse(t, HARBOR, 1);
    },
  },
];
