// GitHub Container Registry with the GitHub account of VS Code: the stand-in account (test/e2e/githubAuth, serving
// the fake GitHub's tokens) plays VS Code's GitHub sign-in. Sign In offers the account; VS Code asks the user to let
// the extension use it (the dialog is clicked here); the tree then lists the account's owners and packages, and no
// token is stored by the extension.
export default {
  name: 'signs in to GitHub Container Registry with the GitHub account of VS Code',
  async run(t) {
    const { page } = t;
    await t.openRegistriesView();
    await t.treeItem('github', { level: 1 }).waitFor();
    await t.runCommand('Registry Explorer: Sign In');
    await t.quickPick('github');
    await t.quickPick(/Sign in with your GitHub account/);
    const dialog = t.dialog();
    await dialog.waitFor();
    await t.shot('ghcr-consent');
    await dialog.locator('.monaco-button', { hasText: /^Allow$/ }).first().click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await t.expandTreeItem('github', { level: 1 });
    await t.treeItem('octo-org', { level: 2 }).waitFor();
    await t.expandTreeItem('octocat', { level: 2 });
    await t.treeItem('octocat/app', { level: 3 }).waitFor();
    await t.shot('ghcr-signed-in');

    // Deleting names every tag of the version; only then does VS Code ask for the delete:packages permission.
    await t.expandTreeItem('octocat/app', { level: 3 });
    await t.treeItem('2.0', { level: 4 }).waitFor();
    await t.contextMenu(t.treeItem('2.0', { level: 4 }), 'Delete Tag');
    const confirm = t.dialog();
    await confirm.waitFor();
    const text = await confirm.innerText();
    t.log(text.replace(/\s+/g, ' '));
    if (!/octocat\/app:2\.0 and 1 other tag/.test(text) || !/latest/.test(text)) throw new Error(`the confirmation does not name the version's tags: ${text}`);
    if (!/30 days/.test(text) || /cannot be undone/.test(text)) throw new Error(`the confirmation does not say GitHub can restore the version: ${text}`);
    await confirm.getByRole('button', { name: 'Delete 2 Tags' }).click();
    // VS Code's own request for the extra permission of the GitHub account.
    await page.locator('.monaco-dialog-box', { hasText: /GitHub/ }).waitFor();
    await t.shot('ghcr-delete-permission');
    await t.dialog().locator('.monaco-button', { hasText: /^Allow$/ }).first().click();
    await t.waitForNotification(/Deleted octocat\/app:(2\.0|latest), octocat\/app:(2\.0|latest)/);
    await page.waitForFunction(() => {
      const labels = [...document.querySelectorAll('#workbench\\.parts\\.sidebar .monaco-list-row[aria-level="4"] .label-name')].map((e) => e.textContent.trim());
      return !labels.includes('2.0') && labels.includes('1.0');
    });
    // Later specs find the tree as they expect it: collapsed.
    await t.collapseTree();
  },
};
