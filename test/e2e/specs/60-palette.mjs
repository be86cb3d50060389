// The Command Palette alone, against the seeded fake DTR (test/e2e/lib/dtr.mjs): sign in, create an API token
// (Create… → dtr → Account → API Tokens), deactivate it (Run Action… → … → the token → Deactivate), delete it
// (Delete…), then Go to… engineering/api and see it selected in the Registries view. No spec here clicks the tree.
import assert from 'node:assert/strict';
import { closeTab, dialogButton } from '../lib/steps.mjs';

const DTR = 'dtr';
const LABEL = `palette-${Date.now()}`;

function dtrInfo(t) {
  const info = t.sandbox.extra?.dtr;
  if (!info?.url) throw new Error('the fake DTR is not running: test/e2e/run.mjs starts it (test/e2e/lib/dtr.mjs) and configures the "dtr" entry');
  return info;
}

/** Waits until DTR no longer lists an API token labelled `label` (its own API, with the same credentials). */
async function tokenGone(info, label, timeoutMs = 30_000) {
  const authorization = `Basic ${Buffer.from(`${info.username}:${info.password}`).toString('base64')}`;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${info.url}/api/v0/api_tokens?pageSize=100`, { headers: { authorization, accept: 'application/json' } });
    const tokens = res.ok ? await res.json() : undefined;
    if (Array.isArray(tokens) && !tokens.some((x) => x.tokenLabel === label)) return;
    if (Date.now() > end) throw new Error(`DTR still lists the API token ${label} (${res.status})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a palette command and picks the rows of each level in turn (registry → place → … → item). */
async function walk(t, command, rows) {
  await t.runCommand(command);
  for (const row of rows) await t.quickPick(row);
}

/** Picks the row that opens a place (a node can also be offered to run on, in the section above). */
async function open(t, label) {
  const row = t.page
    .locator('.quick-input-widget .monaco-list-row', { has: t.page.locator('.label-name', { hasText: t.exactText(label) }) })
    .filter({ has: t.page.locator('.codicon-chevron-right') })
    .first();
  await row.waitFor();
  await row.click();
}

export default [
  {
    name: 'palette: creates, deactivates and deletes an API token from the Command Palette alone',
    async run(t) {
      const info = dtrInfo(t);
      const quickInput = t.page.locator('.quick-input-widget');
      await t.runCommand('Registry Explorer: Sign In');
      await t.quickPick(DTR);
      await t.inputBox(info.username, { expectPrompt: /User name/ });
      await t.inputBox(info.password, { expectPrompt: /Password or access token/ });
      await quickInput.waitFor({ state: 'hidden' });

      // Create…: the list itself is what Create… runs on (first row); a single-field form is an input box.
      await walk(t, 'Registry Explorer: Create…', [DTR, 'Account', 'API Tokens']);
      // The input box replaces the last pick: type only once it shows the form's title, or the text goes to the pick.
      await t.inputBox(LABEL, { expectPrompt: /New API token/ });
      const dialog = t.dialog();
      await dialog.getByText(/DTR shows it only once/).waitFor();
      await t.shot('palette-token-created');
      await dialogButton(t, 'Copy');

      // Run Action…: down to the new token, then its action.
      await walk(t, 'Registry Explorer: Run Action…', [DTR, 'Account', 'API Tokens', LABEL]);
      await t.quickPick(/Deactivate/);
      await dialog.getByText(`Deactivate API token "${LABEL}"? Clients using it stop working.`).waitFor();
      await dialogButton(t, 'Deactivate Token');
      await t.waitForNotification(new RegExp(`API token "${LABEL}" deactivated`));
      await t.shot('palette-token-deactivated');

      // Delete…: the same way down; the confirmation names the token.
      await walk(t, 'Registry Explorer: Delete…', [DTR, 'Account', 'API Tokens', LABEL]);
      await dialog.getByText(`Delete API token "${LABEL}"? Clients using it stop working.`).waitFor();
      await dialogButton(t, 'Delete Token');
      // The token is gone from DTR itself (asked through its API, as the user would check it).
      await tokenGone(info, LABEL);
    },
  },
  {
    name: 'palette: Go to… finds a repository by name and reveals it selected in the tree',
    async run(t) {
      await t.runCommand('Registry Explorer: Go to…');
      const input = t.page.locator('.quick-input-widget input.input');
      await input.fill('engineering/api');
      await t.quickPick('engineering/api');
      const row = t.treeItem('engineering/api', { level: 3 });
      await row.waitFor();
      await t.page.waitForFunction(
        () => [...document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row[role="treeitem"][aria-selected="true"]')].some((r) => r.querySelector('.label-name')?.textContent?.trim() === 'engineering/api'),
        undefined,
        { timeout: 30_000 },
      );
      assert.equal(await t.treeItem(DTR, { level: 1 }).getAttribute('aria-expanded'), 'true');
      await t.shot('palette-goto-revealed');
    },
  },
  {
    name: 'palette: Edit… searches a Hub namespace on the server as the user types and opens the form of the found repository',
    async run(t) {
      const info = t.sandbox.extra?.hub;
      if (!info?.url) throw new Error('the fake Docker Hub is not running: test/e2e/run.mjs starts it and configures the "hub" entry');
      const quickInput = t.page.locator('.quick-input-widget');
      await t.runCommand('Registry Explorer: Sign In');
      await t.quickPick('hub');
      await t.inputBox(info.username, { expectPrompt: /User name/ });
      await t.inputBox(info.password, { expectPrompt: /Password or access token/ });
      await quickInput.waitFor({ state: 'hidden' });

      await walk(t, 'Registry Explorer: Edit…', []);
      await open(t, 'hub');
      await open(t, 'acme');
      // The namespace's first page is listed; then the typed text is searched on the server.
      await quickInput.locator('.monaco-list-row', { has: t.page.locator('.label-name', { hasText: t.exactText('acme/api') }) }).first().waitFor();
      await quickInput.locator('input.input').fill('web');
      await t.quickPick('Search “web” on the server');
      await quickInput.getByText('Search “web” on the server').waitFor({ state: 'detached' });
      // The namespace is listed again with Hub's name filter; the typed text stays and the repository shows.
      await t.quickPick('acme/web');
      const f = t.frame('Edit Repository: acme/web');
      await f.locator('vscode-textfield#field-description').waitFor();
      await t.shot('palette-hub-edit');
      await closeTab(t, 'Edit Repository: acme/web');
    },
  },
];
