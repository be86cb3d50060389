// Red Hat Quay against the seeded fake Quay (test/servers/quayServer.ts startDemoQuay): the runner configures a
// registry entry `quay` (kind quay, url = sandbox.extra.quay.url; the OAuth token sandbox.extra.quay.token is typed
// into Sign In). These specs browse to a tag, restore a deleted tag from Tag history, set an expiration, open the
// live security report (the real Clair report of the fixtures), edit a mirror configuration in the form panel, create
// a robot account (its token shown once, with Copy) and create a notification whose method brings its own fields (a
// discriminated union in the form) — through the tree's context menus, quick picks and the generic form panel.
import assert from 'node:assert/strict';
import { closeTab, collapse, dialogButton, ensureExpanded, menu } from '../lib/steps.mjs';

const QUAY = 'quay';

function quayInfo(t) {
  const info = t.sandbox.extra?.quay;
  if (!info?.url) throw new Error('the fake Quay is not running: the runner starts it (test/e2e/lib/quay.mjs) and configures the "quay" entry');
  return info;
}

/** Picks an option of a vscode-single-select in a form: opens its dropdown and clicks the option. */
async function choose(f, id, value) {
  const select = f.locator(`vscode-single-select#${id}`);
  await select.click();
  await select.locator('.option', { hasText: new RegExp(`^\\s*${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).first().click();
  assert.equal(await select.evaluate((el) => el.value), value, `${id} = ${value}`);
}

/** acme/app's row, expanded, with the tree above it expanded too. */
async function openApp(t) {
  await ensureExpanded(t, QUAY, 1);
  await ensureExpanded(t, 'acme', 2);
  await ensureExpanded(t, 'acme/app', 3);
}

export default [
  {
    name: 'quay: signs in with the OAuth token and browses organization → repository → tag',
    async run(t) {
      const info = quayInfo(t);
      await t.openRegistriesView();
      await menu(t, t.treeItem(QUAY, { level: 1 }), 'Sign In');
      await t.inputBox('', { expectPrompt: /User name/ });
      await t.inputBox(info.token, { expectPrompt: /Password or access token/ });
      await t.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await t.expandTreeItem(QUAY, { level: 1 });
      for (const n of ['alice', 'acme', 'beta']) await t.treeItem(n, { level: 2 }).waitFor();
      await t.expandTreeItem('acme', { level: 2 });
      const app = t.treeItem('acme/app', { level: 3 });
      await app.waitFor();
      t.log(`acme/app: ${await app.locator('.label-description').innerText()}`);
      await t.expandTreeItem('acme/app', { level: 3 });
      const latest = t.treeItem('latest', { level: 4 });
      await latest.waitFor();
      assert.match(await latest.locator('.label-description').innerText(), /sha256:[0-9a-f]{12}/);
      await t.treeItem('Tag history', { level: 4 }).waitFor();
      await t.shot('quay-browse-tag');
    },
  },
  {
    name: 'quay: restores a deleted tag from Tag history',
    async run(t) {
      await t.runCommand('View: Close All Editors');
      await openApp(t);
      assert.equal(await t.treeItem('old', { level: 4 }).count(), 0, '"old" is not an active tag');
      await t.expandTreeItem('Tag history', { level: 4 });
      const old = t.treeItem('old', { level: 5 });
      await old.waitFor();
      assert.match(await old.locator('.label-description').innerText(), /ended/);
      await menu(t, old, 'Run Action…');
      await t.quickPick(/Restore Tag/);
      await t.dialog().getByText(/Restore tag old of acme\/app to sha256:/).waitFor();
      await t.shot('quay-restore-confirm');
      await dialogButton(t, 'Restore Tag');
      await t.waitForNotification(/Restored acme\/app:old/);
      await t.treeItem('old', { level: 4 }).waitFor();
      await collapse(t, 'Tag history', 4);
      await t.shot('quay-restored');
    },
  },
  {
    name: 'quay: sets an expiration on a tag',
    async run(t) {
      await openApp(t);
      const one = t.treeItem('1.0', { level: 4 });
      await menu(t, one, 'Run Action…');
      await t.quickPick(/Set Expiration/);
      const at = new Date(Date.now() + 5 * 86400_000).toISOString().slice(0, 16) + 'Z';
      await t.inputBox(at);
      await t.waitForNotification(/acme\/app:1\.0 expires/);
      await t.treeItem('1.0', { level: 4 }).locator('.label-description', { hasText: /expires/ }).waitFor();
      await t.shot('quay-expiration');
    },
  },
  {
    name: 'quay: opens the live security report of a multi-platform tag (the real Clair report)',
    async run(t) {
      await t.runCommand('View: Close All Editors');
      await openApp(t);
      await menu(t, t.treeItem('latest', { level: 4 }), 'Run Action…');
      await t.quickPick(/Open Security Report/);
      const f = t.frame('acme/app:latest');
      await f.locator('.total .big', { hasText: '89' }).waitFor();
      for (const [sev, n] of [['high', '1'], ['medium', '19'], ['low', '68'], ['unknown', '1']]) {
        assert.equal((await f.locator('.sev-row', { has: f.locator('.sev-name', { hasText: t.exactText(sev) }) }).locator('.sev-count').innerText()).trim(), n, sev);
      }
      await f.getByText(/188 packages/).waitFor();
      await t.shot('quay-security-report');
      await t.runCommand('View: Close All Editors');
      await collapse(t, 'acme/app', 3);
    },
  },
  {
    name: 'quay: edits the mirror configuration of acme/alpine in the form panel',
    async run(t) {
      await t.runCommand('View: Close All Editors');
      await ensureExpanded(t, QUAY, 1);
      await ensureExpanded(t, 'acme', 2);
      await ensureExpanded(t, 'acme/alpine', 3);
      await ensureExpanded(t, 'Policies', 4);
      const mirror = t.treeItem('Mirroring', { level: 5 });
      await mirror.waitFor();
      if (t.attempt === 1) assert.match(await mirror.locator('.label-description').innerText(), /docker\.io\/library\/alpine/);
      await menu(t, mirror, 'Edit…');
      const title = 'Edit Mirroring: acme/alpine';
      const f = t.frame(title);
      const ref = f.locator('vscode-textfield#field-externalReference');
      await ref.waitFor();
      if (t.attempt === 1) assert.equal(await ref.evaluate((el) => el.value), 'docker.io/library/alpine');
      await ref.locator('input').fill('quay.io/acme/alpine-upstream');
      await t.shot('quay-mirror-form');
      await f.locator('vscode-button', { hasText: 'Save' }).click();
      await f.locator('.form-banner.success').getByText(/Saved the mirror configuration of acme\/alpine/).waitFor();
      await t.treeItem('Mirroring', { level: 5 }).locator('.label-description', { hasText: 'quay.io/acme/alpine-upstream' }).waitFor();
      await t.shot('quay-mirror-saved');
      await closeTab(t, title);
      await collapse(t, 'acme/alpine', 3);
    },
  },
  {
    name: 'quay: creates a robot account and shows its token once, with Copy',
    async run(t) {
      const { page } = t;
      await t.runCommand('View: Close All Editors');
      await ensureExpanded(t, QUAY, 1);
      await ensureExpanded(t, 'acme', 2);
      await ensureExpanded(t, 'Access', 3);
      const robots = t.treeItem('Robot accounts', { level: 4 });
      await menu(t, robots, 'Create…');
      const f = t.frame('Create Robot Account');
      const short = `e2e${Date.now() % 1_000_000}`;
      await f.locator('vscode-textfield#field-shortname').waitFor();
      await f.locator('vscode-textfield#field-shortname input').fill(short);
      await f.locator('vscode-textfield#field-description input').fill('made in the e2e run');
      await f.locator('vscode-button', { hasText: 'Create' }).click();
      const dialog = t.dialog();
      await dialog.getByText(new RegExp(`Created robot acme\\+${short}\\. Copy its token now`)).waitFor();
      const token = (await dialog.getByText(/^[A-Z0-9]{32,}$/).first().innerText()).trim();
      await t.shot('quay-robot-token');
      await dialogButton(t, 'Copy');
      await page.locator('#workbench\\.parts\\.statusbar', { hasText: `Copied the new Token of acme+${short}` }).waitFor();
      let copied = '';
      for (let i = 0; i < 50 && copied !== token; i++) {
        copied = await page.evaluate(() => navigator.clipboard.readText());
        if (copied !== token) await page.waitForTimeout(100);
      }
      assert.equal(copied, token, 'the clipboard holds the robot token');
      await f.locator('.form-banner.success').waitFor();
      assert.equal(await f.getByText(token).count(), 0, 'the token is not in the form');
      await closeTab(t, 'Create Robot Account');
      await ensureExpanded(t, 'Robot accounts', 4);
      await t.treeItem(`acme+${short}`, { level: 5 }).waitFor();
      await collapse(t, 'Robot accounts', 4);
      await collapse(t, 'Access', 3);
    },
  },
  {
    name: 'quay: creates a notification; choosing the method shows that method’s own fields',
    async run(t) {
      await t.runCommand('View: Close All Editors');
      await openApp(t);
      await ensureExpanded(t, 'Policies', 4);
      const list = t.treeItem('Notifications', { level: 5 });
      await menu(t, list, 'Create…');
      const f = t.frame('Add Notification');
      await f.locator('vscode-single-select#field-delivery-method').waitFor();
      await f.locator('vscode-textfield#field-title input').fill('tell the team');
      await choose(f, 'field-event', 'vulnerability_found');
      // The webhook variant (the first) asks for a URL; Quay notifications ask whom to notify instead.
      await choose(f, 'field-delivery-method', 'quay_notification');
      await f.locator('#field-delivery-target').waitFor();
      assert.equal(await f.locator('#field-delivery-url').count(), 0, 'the webhook URL field is gone');
      await choose(f, 'field-delivery-targetKind', 'team');
      await f.locator('vscode-textfield#field-delivery-target input').fill('developers');
      await t.shot('quay-notification-form');
      await f.locator('vscode-button', { hasText: 'Create' }).click();
      await f.locator('.form-banner.success').getByText(/Added the vulnerability_found notification/).waitFor();
      await ensureExpanded(t, 'Notifications', 5);
      const row = t.treeItem('tell the team', { level: 6 });
      await row.waitFor();
      assert.match(await row.locator('.label-description').innerText(), /vulnerability_found → quay_notification/);
      await t.shot('quay-notification-created');
      await closeTab(t, 'Add Notification');
    },
  },
];
