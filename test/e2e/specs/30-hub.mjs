// Docker Hub against the seeded fake Hub (test/servers/hubServer.ts startDemoHub / hubSandboxService): the runner
// configures a registry entry `hub` (kind dockerhub, url = sandbox.extra.hub.url, registryUrl =
// sandbox.extra.hub.registryUrl, username demo, namespaces [library]); these specs sign in, browse, page, open tag
// details from the registry behind Hub, edit a description (also in a form restored after a window reload), edit and
// verify an immutable-tag rule, create and revoke a personal access token, and create an organization access token —
// all through the generic admin commands (Create…, Edit…, Delete…, Run Action…) and the generic form panel.
import assert from 'node:assert/strict';
import { waitForPanel, closeTab, collapse, dialogButton, ensureExpanded, menu } from '../lib/steps.mjs';

const HUB = 'hub';

function hubInfo(t) {
  const info = t.sandbox.extra?.hub;
  if (!info?.url) throw new Error('the fake Hub is not running: start the sandbox with hubSandboxService() and configure the "hub" entry');
  return info;
}

export default [
  {
    name: 'hub: signs in with a personal access token; namespaces, Account and repository facts show',
    async run(t) {
      const info = hubInfo(t);
      await t.openRegistriesView();
      await t.treeItem(HUB, { level: 1 }).waitFor();
      // From the registry's context menu, so the command does not have to ask which registry.
      await menu(t, t.treeItem(HUB, { level: 1 }), 'Sign In');
      await t.inputBox(info.username, { expectPrompt: /User name/ });
      await t.inputBox(info.password, { expectPrompt: /Password or access token/ });
      await t.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await t.expandTreeItem(HUB, { level: 1 });
      for (const ns of ['Account', 'demo', 'acme', 'library']) await t.treeItem(ns, { level: 2 }).waitFor();
      await t.expandTreeItem('acme', { level: 2 });
      const api = t.treeItem('acme/api', { level: 3 });
      await api.waitFor();
      const desc = await api.locator('.label-description').innerText();
      assert.match(desc, /ACME API server · public · ★ 12 · 40K pulls · updated/);
      assert.match(await t.treeItem('acme/web', { level: 3 }).locator('.label-description').innerText(), /private/);
      await t.shot('hub-namespaces');
    },
  },
  {
    name: 'hub: tags carry size and platforms from the listing; Load more… fetches the next page',
    async run(t) {
      const { page } = t;
      await t.expandTreeItem('acme/api', { level: 3 });
      await t.treeItem('Policies', { level: 4 }).waitFor();
      const first = t.treeItem(/^v\d+$/, { level: 4 });
      await first.waitFor();
      assert.match(await first.locator('.label-description').innerText(), /sha256:[0-9a-f]{12}/);
      // Selecting a tag opens its details panel, which takes the focus: give it back to the tree before End.
      const label = (await first.locator('.label-name').innerText()).trim();
      await first.click();
      await page.locator('.tabs-container .tab', { hasText: `acme/api:${label}` }).first().waitFor();
      // The panel may take the focus only after it rendered: focus the tree and press End until the end shows.
      const more = t.treeItem('Load more…', { level: 4 });
      for (let i = 0; ; i++) {
        await t.sidebar.locator('.monaco-list[role="tree"]').first().focus();
        await page.keyboard.press('End');
        try {
          await more.waitFor({ timeout: 3_000 });
          break;
        } catch (e) {
          if (i >= 4) throw e;
        }
      }
      const count = async () => (await t.treeRows()).filter((r) => r.level === 4 && /^v\d+$/.test(r.label)).length;
      const tagsBefore = new Set((await t.treeRows()).filter((r) => r.level === 4).map((r) => r.label));
      await more.click();
      await page.keyboard.press('End');
      await page.waitForFunction(
        (before) => {
          const rows = [...document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row[aria-level="4"] .label-name')].map((e) => e.textContent.trim());
          return rows.some((l) => /^v\d+$/.test(l) && !before.includes(l));
        },
        [...tagsBefore],
      );
      t.log(`tag rows visible after Load more: ${await count()}`);
      await t.shot('hub-tags-load-more');
      await page.keyboard.press('Home');
    },
  },
  {
    name: 'hub: tag details come from the registry behind Hub (Bearer challenge, same account)',
    async run(t) {
      assert.ok(hubInfo(t).registryUrl, 'the "hub" entry needs registryUrl = sandbox.extra.hub.registryUrl');
      // A details panel an earlier click opened (a tag row of acme/api) would be a second webview: start without it.
      await t.runCommand('View: Close All Editors');
      await ensureExpanded(t, HUB, 1);
      await t.expandTreeItem('demo', { level: 2 });
      await t.expandTreeItem('demo/app', { level: 3 });
      const latest = t.treeItem('latest', { level: 4 });
      await latest.waitFor();
      assert.match(await latest.locator('.label-description').innerText(), /linux\/amd64, linux\/arm64\/v8/);
      await latest.click();
      const f = await waitForPanel(t, 'demo/app:latest');
      await f.getByText(/index of 2 platforms/).waitFor();
      // The repository overview (Hub's full description) is Markdown: rendered, sanitized, raw HTML kept as text.
      const overview = f.locator('vscode-collapsible[title="Repository overview"]');
      await overview.click();
      await overview.locator('strong', { hasText: 'nightly' }).waitFor();
      await overview.getByText(/<img src=x onerror=/).waitFor();
      assert.equal(await overview.locator('img, script').count(), 0, 'no markup from the description reaches the page');
      assert.equal(await f.locator('body').evaluate(() => window.__xss), undefined);
      await t.shot('hub-tag-details');
      await closeTab(t, 'demo/app:latest');
      await collapse(t, 'demo/app', 3);
    },
  },
  {
    name: 'hub: edits a repository description in the form and the tree shows it',
    async run(t) {
      // Only this form's webview is open, so the frame found is the form's.
      await t.runCommand('View: Close All Editors');
      await ensureExpanded(t, HUB, 1);
      await t.expandTreeItem('demo', { level: 2 });
      await menu(t, t.treeItem('demo/hello', { level: 3 }), 'Edit…');
      const f = t.frame('Edit Repository: demo/hello');
      const field = f.locator('vscode-textfield#field-description');
      await field.waitFor();
      if (t.attempt === 1) assert.equal(await field.evaluate((el) => el.value), 'Hello world image');
      const text = `Edited in e2e ${Date.now()}`;
      await field.locator('input').fill(text);
      await f.locator('vscode-button', { hasText: 'Save' }).click();
      await f.locator('.form-banner.success').getByText(/Saved/).waitFor();
      await t.shot('hub-repository-form-saved');
      await t.treeItem('demo/hello', { level: 3 }).locator('.label-description', { hasText: text }).waitFor();
      await closeTab(t, 'Edit Repository: demo/hello');
    },
  },
  {
    name: 'hub: a repository form restored after a window reload keeps its draft and, saved, refreshes the tree',
    async run(t) {
      const title = 'Edit Repository: demo/hello';
      await t.runCommand('View: Close All Editors');
      await ensureExpanded(t, HUB, 1);
      await ensureExpanded(t, 'demo', 2);
      await menu(t, t.treeItem('demo/hello', { level: 3 }), 'Edit…');
      let f = t.frame(title);
      await f.locator('vscode-textfield#field-description').waitFor();
      const text = `Restored in e2e ${Date.now()}`;
      await f.locator('vscode-textfield#field-description input').fill(text);
      await f.getByText('Unsaved changes').waitFor();
      // Developer: Reload Window shuts the workbench down properly, so the just-opened editor is saved with the layout.
      await t.page.waitForTimeout(500);
      await t.reloadWindow();
      f = t.frame(title);
      await f.getByText('Unsaved changes restored.').waitFor();
      assert.equal(await f.locator('vscode-textfield#field-description').evaluate((el) => el.value), text, 'the draft survives the reload');
      // The restored panel has the repository's reference, not its tree node: show the node, then save.
      await ensureExpanded(t, HUB, 1);
      await ensureExpanded(t, 'demo', 2);
      await t.treeItem('demo/hello', { level: 3 }).waitFor();
      await t.frame(title).locator('vscode-button', { hasText: 'Save' }).click();
      await t.frame(title).locator('.form-banner.success').getByText(/Saved/).waitFor();
      await t.treeItem('demo/hello', { level: 3 }).locator('.label-description', { hasText: text }).waitFor();
      await t.shot('hub-restored-form-saved');
      await closeTab(t, title);
    },
  },
  {
    name: 'hub: verifies an immutable-tag rule, then saves it after seeing the matching tags',
    async run(t) {
      await ensureExpanded(t, HUB, 1);
      await ensureExpanded(t, 'acme', 2);
      await ensureExpanded(t, 'acme/api', 3);
      await ensureExpanded(t, 'Policies', 4);
      const rule = t.treeItem('Immutable tags', { level: 5 });
      await rule.waitFor();
      if (t.attempt === 1) assert.equal(await rule.locator('.label-description').innerText(), 'off');

      await menu(t, rule, 'Run Action…');
      await t.quickPick(/Verify Rule/);
      await t.inputBox('^v24[0-9]$', { expectPrompt: /Regular expression/ });
      await t.page.locator('.quick-input-widget').getByText(/matches 10 tags/).waitFor();
      await t.shot('hub-immutable-verify');
      await t.page.keyboard.press('Escape');

      await t.runCommand('View: Close All Editors');
      await menu(t, rule, 'Edit…');
      const f = t.frame('Edit Immutable-Tag Rules: acme/api');
      const enabled = f.locator('vscode-checkbox#field-enabled');
      await enabled.waitFor();
      if (!(await enabled.evaluate((el) => el.checked))) await enabled.click();
      await f.locator('vscode-textarea#field-rules textarea').fill('^v24[0-9]$');
      await f.locator('vscode-button', { hasText: 'Verify and Save' }).click();
      const dialog = t.dialog();
      await dialog.getByText(/match 10 existing tags: v240, v241/).waitFor();
      await t.shot('hub-immutable-confirm');
      await dialogButton(t, 'Save Rules');
      await f.locator('.form-banner.success').getByText(/Saved\. The rules match 10 existing tags/).waitFor();
      await t.treeItem('Immutable tags', { level: 5 }).locator('.label-description', { hasText: 'on · 1 rule: ^v24[0-9]$' }).waitFor();
      await closeTab(t, 'Edit Immutable-Tag Rules: acme/api');
      await collapse(t, 'acme/api', 3);
    },
  },
  {
    name: 'hub: creates a personal access token (secret shown once, copied) and revokes it',
    async run(t) {
      const { page } = t;
      await ensureExpanded(t, HUB, 1);
      await ensureExpanded(t, 'Account', 2);
      const pats = t.treeItem('Personal access tokens', { level: 3 });
      await pats.waitFor();
      await t.runCommand('View: Close All Editors');
      await menu(t, pats, 'Create…');
      const label = `e2e-${Date.now()}`;
      const f = t.frame('Create Personal Access Token');
      await f.locator('vscode-textfield#field-label').waitFor();
      await f.locator('vscode-textfield#field-label input').fill(label);
      // Access permissions (Read-only) and expiration (30 days) keep their defaults.
      await f.locator('vscode-button', { hasText: 'Create' }).click();
      const dialog = t.dialog();
      await dialog.getByText(/Docker Hub does not show it again/).waitFor();
      const secret = (await dialog.getByText(/^dckr_pat_/).first().innerText()).trim();
      assert.match(secret, /^dckr_pat_/);
      await t.shot('hub-pat-created');
      await dialogButton(t, 'Copy');
      // The copy travels extension host → browser: wait for its status message, then for the clipboard itself.
      await page.locator('#workbench\\.parts\\.statusbar', { hasText: 'Copied the new access token' }).waitFor();
      let copied = '';
      for (let i = 0; i < 50 && copied !== secret; i++) {
        copied = await page.evaluate(() => navigator.clipboard.readText());
        if (copied !== secret) await page.waitForTimeout(100);
      }
      assert.equal(copied, secret, 'the clipboard holds the new token');
      await f.locator('.form-banner.success').getByText(/Created personal access token/).waitFor();
      assert.equal(await f.getByText(secret).count(), 0, 'the secret is not in the form');
      await closeTab(t, 'Create Personal Access Token');

      await t.expandTreeItem('Personal access tokens', { level: 3 });
      const row = t.treeItem(label, { level: 4 });
      await row.waitFor();
      assert.match(await row.locator('.label-description').innerText(), /repo:read · active · expires/);
      await menu(t, row, 'Delete…');
      await t.dialog().getByText(new RegExp(`Revoke personal access token “${label}”`)).waitFor();
      await dialogButton(t, 'Revoke Token');
      await t.waitForNotification(/Revoked personal access token/);
      await t.treeItem(label, { level: 4 }).waitFor({ state: 'detached' });
      await t.shot('hub-pat-revoked');
    },
  },
  {
    name: 'hub: creates an organization access token with Hub scope names (Pull images, Push images)',
    async run(t) {
      await ensureExpanded(t, HUB, 1);
      await ensureExpanded(t, 'Account', 2);
      await ensureExpanded(t, 'Organizations', 3);
      await ensureExpanded(t, 'acme', 4);
      const tokens = t.treeItem('Access tokens', { level: 5 });
      await tokens.waitFor();
      await t.runCommand('View: Close All Editors');
      await menu(t, tokens, 'Create…');
      const label = `e2e-org-${Date.now()}`;
      const f = t.frame('Create Organization Access Token');
      await f.locator('vscode-textfield#field-label').waitFor();
      await f.locator('vscode-textfield#field-label input').fill(label);
      // The scopes are offered with plain labels; the values sent are Hub's names.
      const pull = f.locator('vscode-checkbox#field-scopes-field-scope-image-pull');
      const push = f.locator('vscode-checkbox#field-scopes-field-scope-image-push');
      assert.equal(await pull.getAttribute('label'), 'Pull images');
      assert.equal(await push.getAttribute('label'), 'Push images');
      await pull.click();
      await push.click();
      await f.locator('vscode-button', { hasText: 'Create' }).click();
      const dialog = t.dialog();
      await dialog.getByText(/Docker Hub does not show it again/).waitFor();
      assert.match((await dialog.getByText(/^dckr_oat_/).first().innerText()).trim(), /^dckr_oat_/);
      await dialogButton(t, 'Copy');
      await f.locator('.form-banner.success').waitFor();
      await closeTab(t, 'Create Organization Access Token');
      // The fake Hub refuses any scope but scope-image-pull / scope-image-push, so the token exists only if those were sent.
      await ensureExpanded(t, 'Access tokens', 5);
      const row = t.treeItem(label, { level: 6 });
      await row.waitFor();
      // (Hub's token list carries no resources, so the row shows state and expiry only.)
      assert.match(await row.locator('.label-description').innerText(), /^active · (expires \d{4}-\d{2}-\d{2}|no expiry)$/);
      await t.shot('hub-org-token-created');
    },
  },
];
