// Runs first: signs in to the `sandbox` registry the way a user does, so later specs find it signed in.
export default {
  name: 'signs in to the sandbox registry with the Sign In command',
  async run(t) {
    const { page } = t;
    await t.openRegistriesView();
    await t.treeItem('sandbox', { level: 1 }).waitFor();
    await t.runCommand('Registry Explorer: Sign In');
    await t.quickPick('sandbox'); // two registries are configured: the command asks which one
    await t.inputBox(t.sandbox.oci.username, { expectPrompt: /User name/ });
    await t.inputBox(t.sandbox.oci.password, { expectPrompt: /Password or access token/ });
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await t.expandTreeItem('sandbox', { level: 1 });
    await t.treeItem('sample/hello', { level: 2 }).waitFor();
  },
};
