// Signs Registry Explorer in to the demo's sandbox registries once per browser profile, through the product's own
// `registryExplorer.signIn` command (secrets go to SecretStorage only). The secrets file is named by a setting and
// read here; its content is never logged or written anywhere else.
const fs = require('node:fs');
const vscode = require('vscode');

async function activate(context) {
  const file = vscode.workspace.getConfiguration('registryExplorerSandbox').get('signInFile');
  if (!file || !fs.existsSync(file)) return;
  let secrets;
  try {
    secrets = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  const done = new Set(JSON.parse((await context.secrets.get('signedIn')) ?? '[]'));
  for (const [name, secret] of Object.entries(secrets)) {
    // A secret, or `{ "account": true }` for a kind that signs in with VS Code's account (the stand-in GitHub one).
    if (done.has(name) || !secret || (typeof secret !== 'string' && secret.account !== true)) continue;
    try {
      if (await vscode.commands.executeCommand('registryExplorer.signIn', name, secret)) done.add(name);
    } catch (e) {
      console.error(`sandbox sign-in of ${name} failed: ${e && e.message}`);
    }
  }
  await context.secrets.store('signedIn', JSON.stringify([...done]));
}

module.exports = { activate, deactivate() {} };
