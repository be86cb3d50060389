// DTR administration through the generic commands and the generic form panel, against the seeded fake DTR
// (test/servers/dtrServer.ts startDemoDtr): the runner configures `dtr` (kind dtr, url = sandbox.extra.dtr.url,
// username alice, namespaces [engineering]). These specs sign in with alice's API token, edit the repository
// alice/scratch, promote engineering/api:1.0 into it, create a pruning policy with two rules there (verified: the
// promoted tag is the one it prunes), delete it, and create an API token shown once with Copy. Everything they
// change stays in alice/scratch or alice's own tokens, so the DTR specs that browse engineering/* see the seed.
import assert from 'node:assert/strict';
import { closeTab, dialogButton, ensureExpanded, menu } from '../lib/steps.mjs';

const DTR = 'dtr';
const STAMP = Date.now();
const PROMOTED = `e2e-promoted-${STAMP}`;

function dtrInfo(t) {
  const info = t.sandbox.extra?.dtr;
  if (!info?.url) throw new Error('the fake DTR is not running: test/e2e/run.mjs starts it (test/e2e/lib/dtr.mjs) and configures the "dtr" entry');
  return info;
}

/** Sets a vscode-single-select to one of its options' values and fires `change`, as picking the option does. */
async function choose(select, value) {
  await select.waitFor();
  assert.equal(await select.locator(`vscode-option[value="${value}"]`).count(), 1, `an option ${value}`);
  await select.evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
  assert.equal(await select.evaluate((el) => el.value), value);
}

async function fill(f, id, text) {
  const field = f.locator(`#${id}`);
  await field.waitFor();
  await field.locator('input, textarea').first().fill(text);
}

export default [
  {
    name: 'dtr: signs in with an API token and edits a repository in the form panel',
    async run(t) {
      const info = dtrInfo(t);
      await t.runCommand('View: Close All Editors');
      await t.openRegistriesView();
      await menu(t, t.treeItem(DTR, { level: 1 }), 'Sign In');
      await t.inputBox(info.username, { expectPrompt: /User name/ });
      await t.inputBox(info.password, { expectPrompt: /Password or access token/ });
      await t.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await ensureExpanded(t, DTR, 1);
      for (const ns of ['Account', 'alice', 'engineering']) await t.treeItem(ns, { level: 2 }).waitFor();
      await t.expandTreeItem('alice', { level: 2 });

      await menu(t, t.treeItem('alice/scratch', { level: 3 }), 'Edit…');
      const title = 'Edit Repository: alice/scratch';
      const f = t.frame(title);
      const short = f.locator('vscode-textfield#field-shortDescription');
      await short.waitFor();
      if (t.attempt === 1) assert.equal(await short.evaluate((el) => el.value), 'Experiments');
      const text = `Edited in e2e ${STAMP}`;
      await fill(f, 'field-shortDescription', text);
      await fill(f, 'field-longDescription', '# Scratch\n\nNotes from the e2e run.');
      await choose(f.locator('vscode-single-select#field-visibility'), 'public');
      const scanOnPush = f.locator('vscode-checkbox#field-scanOnPush');
      if (!(await scanOnPush.evaluate((el) => el.checked))) await scanOnPush.click();
      await fill(f, 'field-tagLimit', '20');
      await t.shot('dtr-repository-form');
      await f.locator('vscode-button', { hasText: 'Save' }).click();
      await f.locator('.form-banner.success').getByText('Saved repository alice/scratch').waitFor();
      await t.treeItem('alice/scratch', { level: 3 }).locator('.label-description', { hasText: text }).waitFor();
      await t.shot('dtr-repository-saved');
      // Opened again, the form shows what DTR saved.
      await closeTab(t, title);
      await menu(t, t.treeItem('alice/scratch', { level: 3 }), 'Edit…');
      const again = t.frame(title);
      await again.locator('vscode-textfield#field-shortDescription').waitFor();
      assert.equal(await again.locator('vscode-textfield#field-shortDescription').evaluate((el) => el.value), text);
      assert.equal(await again.locator('vscode-single-select#field-visibility').evaluate((el) => el.value), 'public');
      assert.equal(await again.locator('vscode-checkbox#field-scanOnPush').evaluate((el) => el.checked), true);
      assert.equal(await again.locator('vscode-textfield#field-tagLimit').evaluate((el) => el.value), '20');
      await closeTab(t, title);
    },
  },
  {
    name: 'dtr: promotes a tag to another repository through the action input form',
    async run(t) {
      await t.runCommand('View: Close All Editors');
      await ensureExpanded(t, DTR, 1);
      await ensureExpanded(t, 'engineering', 2);
      await ensureExpanded(t, 'engineering/api', 3);
      await menu(t, t.treeItem('1.0', { level: 4 }), 'Run Action…');
      await t.quickPick(/Promote/);
      // The panel is named after the action without the menu's ellipsis.
      await t.page.locator('.tabs-container .tab', { hasText: t.exactText('Promote: 1.0') }).waitFor();
      const f = t.frame('Promote: 1.0');
      await fill(f, 'field-targetRepository', 'alice/scratch');
      await fill(f, 'field-targetTag', PROMOTED);
      await t.shot('dtr-promote-form');
      await f.locator('vscode-button', { hasText: 'Promote' }).click();
      await t.dialog().getByText(`Promote engineering/api:1.0 to alice/scratch:${PROMOTED}?`).waitFor();
      await dialogButton(t, 'Promote');
      await f.locator('.form-banner.success').getByText(`Promoted engineering/api:1.0 to alice/scratch:${PROMOTED}`).waitFor();
      await t.shot('dtr-promoted');
      await closeTab(t, 'Promote: 1.0');
      await t.treeItem('engineering/api', { level: 3 }).locator('.monaco-tl-twistie').click();
      await ensureExpanded(t, 'alice', 2);
      await ensureExpanded(t, 'alice/scratch', 3);
      await t.treeItem(PROMOTED, { level: 4 }).waitFor();
    },
  },
  {
    name: 'dtr: creates a pruning policy with two rules, sees what it prunes, saves, and deletes it',
    async run(t) {
      await t.runCommand('View: Close All Editors');
      await ensureExpanded(t, DTR, 1);
      await ensureExpanded(t, 'alice', 2);
      await ensureExpanded(t, 'alice/scratch', 3);
      await ensureExpanded(t, 'Policies', 4);
      const list = t.treeItem('Pruning Policies', { level: 5 });
      await menu(t, list, 'Create…');
      const f = t.frame('New pruning policy');
      const add = f.locator('vscode-button', { hasText: 'Add Rule' });
      await add.waitFor();
      await add.click();
      await add.click();
      await f.locator('#field-rules-1-field').waitFor();
      assert.deepEqual(await f.locator('fieldset.object-item > legend').allInnerTexts(), ['Rule 1', 'Rule 2']);
      await choose(f.locator('vscode-single-select#field-rules-0-field'), 'tag');
      await choose(f.locator('vscode-single-select#field-rules-0-operator'), 'sw');
      await fill(f, 'field-rules-0-values', 'e2e-');
      await choose(f.locator('vscode-single-select#field-rules-1-field'), 'tag');
      await choose(f.locator('vscode-single-select#field-rules-1-operator'), 'noo');
      await fill(f, 'field-rules-1-values', 'keep\nlatest');
      await t.shot('dtr-pruning-form');
      await f.locator('vscode-button', { hasText: /Create/ }).click();
      // The verify step: DTR's test of the rules names the tags saving would prune, in a confirmation.
      const dialog = t.dialog();
      await dialog.getByText(/Saving prunes 1 tag of alice\/scratch now/).waitFor();
      await dialog.getByText(PROMOTED).waitFor();
      await t.shot('dtr-pruning-confirm');
      await dialogButton(t, 'Save and Prune');
      const banner = f.locator('.form-banner.success');
      await banner.getByText(/Created pruning policy \S+\. The rules match 1 tag of alice\/scratch\./).waitFor();
      assert.deepEqual(await banner.locator('.verdict-items li').allInnerTexts(), [PROMOTED]);
      await t.shot('dtr-pruning-saved');
      await closeTab(t, 'New pruning policy');
      // Saving the enabled policy pruned the promoted tag, and the repository was reloaded with it.
      await t.treeItem(PROMOTED, { level: 4 }).waitFor({ state: 'detached' });

      const label = 'tag sw e2e- and tag noo keep, latest';
      await ensureExpanded(t, 'Pruning Policies', 5);
      const row = t.treeItem(label, { level: 6 });
      await row.waitFor();
      assert.equal(await row.locator('.label-description').innerText(), 'enabled');
      await menu(t, row, 'Delete…');
      await t.dialog().getByText(`Delete the pruning policy "${label}" of alice/scratch?`).waitFor();
      await t.shot('dtr-pruning-delete-confirm');
      await dialogButton(t, 'Delete Policy');
      await t.treeItem(label, { level: 6 }).waitFor({ state: 'detached' });
      await t.treeItem('alice', { level: 2 }).locator('.monaco-tl-twistie').click();
    },
  },
  {
    name: 'dtr: creates an API token shown once with Copy, then deletes it',
    async run(t) {
      const { page } = t;
      await t.runCommand('View: Close All Editors');
      await ensureExpanded(t, DTR, 1);
      await ensureExpanded(t, 'Account', 2);
      const tokens = t.treeItem('API Tokens', { level: 3 });
      await tokens.waitFor();
      const label = `e2e-${STAMP}`;
      // A single-field form: asked in an input box.
      await menu(t, tokens, 'Create…');
      await t.inputBox(label);
      const dialog = t.dialog();
      await dialog.getByText(/DTR shows it only once/).waitFor();
      const secret = (await dialog.locator('.dialog-message-detail').innerText()).trim();
      assert.match(secret, /^[A-Za-z0-9-]{20,}$/, `a token in the dialog: ${secret.slice(0, 4)}…`);
      await t.shot('dtr-token-created');
      await dialogButton(t, 'Copy');
      let copied = '';
      for (let i = 0; i < 50 && copied !== secret; i++) {
        copied = await page.evaluate(() => navigator.clipboard.readText());
        if (copied !== secret) await page.waitForTimeout(100);
      }
      assert.equal(copied, secret, 'the clipboard holds the new token');

      await ensureExpanded(t, 'API Tokens', 3);
      const row = t.treeItem(label, { level: 4 });
      await row.waitFor();
      assert.match(await row.locator('.label-description').innerText(), /^active/);
      // Shown once: nothing in the tree or its tooltip carries the secret.
      assert.equal(await t.sidebar.getByText(secret).count(), 0);
      await menu(t, row, 'Delete…');
      await t.dialog().getByText(`Delete API token "${label}"? Clients using it stop working.`).waitFor();
      await dialogButton(t, 'Delete Token');
      await t.treeItem(label, { level: 4 }).waitFor({ state: 'detached' });
      await t.shot('dtr-token-deleted');
    },
  },
];
