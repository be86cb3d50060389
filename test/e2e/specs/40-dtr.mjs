// DTR / MSR against the seeded fake DTR (test/e2e/lib/dtr.mjs → test/servers/dtrServer.ts startDemoDtr): the runner
// configures a registry entry `dtr` (kind dtr, url = sandbox.extra.dtr.url, username alice, namespaces
// [engineering]); these specs sign in with an API token, browse to the multi-platform tag engineering/api:latest,
// open its live scan summary and switch it from linux/amd64 to linux/arm64 in the panel's platform picker.
import assert from 'node:assert/strict';
import { menu, waitForPanel } from '../lib/steps.mjs';

const DTR = 'dtr';
const SCAN_TITLE = 'Scan: engineering/api:latest';

function dtrInfo(t) {
  const info = t.sandbox.extra?.dtr;
  if (!info?.url) throw new Error('the fake DTR is not running: test/e2e/run.mjs starts it and configures the "dtr" entry');
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

export default [
  {
    name: 'dtr: signs in with an API token; namespaces and repository facts show',
    async run(t) {
      const info = dtrInfo(t);
      await t.openRegistriesView();
      await t.treeItem(DTR, { level: 1 }).waitFor();
      await menu(t, t.treeItem(DTR, { level: 1 }), 'Sign In');
      await t.inputBox(info.username, { expectPrompt: /User name/ });
      await t.inputBox(info.password, { expectPrompt: /Password or access token/ });
      await t.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await t.expandTreeItem(DTR, { level: 1 });
      for (const ns of ['alice', 'engineering', 'platform']) await t.treeItem(ns, { level: 2 }).waitFor();
      await t.expandTreeItem('engineering', { level: 2 });
      const api = t.treeItem('engineering/api', { level: 3 });
      await api.waitFor();
      assert.match(await api.locator('.label-description').innerText(), /The public API · private · 1\.2K pulls · scan on push · immutable tags · tag limit 50/);
      await t.shot('dtr-namespaces');
    },
  },
  {
    name: 'dtr: the multi-platform tag shows digest, scan counts and platforms; its live scan summary switches platform',
    async run(t) {
      const { page } = t;
      await t.setTheme('Dark Modern');
      await t.expandTreeItem('engineering/api', { level: 3 });
      const latest = t.treeItem('latest', { level: 4 });
      await latest.waitFor();
      // Scan counts come with the listing; the platforms with the /v2/ details that fill in lazily.
      await latest.locator('.label-description', { hasText: /linux\/amd64, linux\/arm64/ }).waitFor();
      const desc = await latest.locator('.label-description').innerText();
      assert.match(desc, /^sha256:[0-9a-f]{12} · .*\d+ critical · \d+ medium · \d+ low · linux\/amd64, linux\/arm64$/);
      assert.match(await t.treeItem('1.1', { level: 4 }).locator('.label-description').innerText(), /^sha256:[0-9a-f]{12} · \d+(\.\d)? (B|KB|MB) · .*11 critical · 12 medium · 17 low$/);
      await t.shot('dtr-tags');

      await menu(t, latest, 'Show Scan Summary');
      const f = await waitForPanel(t, SCAN_TITLE);
      const header = f.locator('.page-header p');
      await header.getByText(/linux\/amd64 · scan completed/).waitFor();
      await f.locator('.total .big').getByText('320', { exact: true }).waitFor();
      await f.getByText('Showing 320 of 320').waitFor();
      const amd = await chartCounts(f);
      t.log(`linux/amd64: ${JSON.stringify(amd)}`);
      assert.equal(amd.unknown, 0, 'DTR severities are mapped, none falls back to unknown');
      const picker = f.locator('vscode-single-select#scan-platform');
      await picker.waitFor();
      assert.equal(await picker.evaluate((el) => el.value), 'linux/amd64');
      // The pointer rests where the context menu was, over a tag row: move it off the tree so no hover covers the shot.
      await page.mouse.move(page.viewportSize().width / 2, 8);
      await page.locator('.workbench-hover').waitFor({ state: 'hidden' }).catch(() => {});
      await t.shot('dtr-scan-amd64');

      // The picker's list lives in the element's shadow root; pick the other platform as a user does.
      await picker.click();
      await picker.locator('li[role="option"]', { hasText: 'linux/arm64' }).click();
      await header.getByText(/linux\/arm64 · scan completed/).waitFor();
      await f.getByText('Showing 320 of 320').waitFor();
      const arm = await chartCounts(f);
      t.log(`linux/arm64: ${JSON.stringify(arm)}`);
      assert.notDeepEqual(arm, amd, 'the other platform’s report has other counts');
      assert.equal(await f.locator('vscode-single-select#scan-platform').evaluate((el) => el.value), 'linux/arm64');
      // The rows are the other image's CVEs: the detail of the first one names its layer and links to NVD.
      await f.locator('.vrows .vrow').first().click();
      await f.locator('.vdetail a', { hasText: /^https:\/\/nvd\.nist\.gov\/vuln\/detail\/CVE-/ }).first().waitFor();
      assert.ok(await page.locator('.monaco-workbench.vs-dark').count(), 'dark theme');
      await t.shot('dtr-scan-arm64');

      const tab = page.locator('.tabs-container .tab', { hasText: SCAN_TITLE }).first();
      await tab.locator('.codicon-close, .action-label').first().click();
      await tab.waitFor({ state: 'detached' });
      const row = t.treeItem(DTR, { level: 1 });
      if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
    },
  },
];
