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
  },
};
