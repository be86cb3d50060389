// The GitHub account of VS Code, for code-server runs against the fake GitHub: an authentication provider with the
// id `github` whose sessions carry the fake's tokens. REGISTRY_GITHUB_SESSIONS names a JSON file (readable by this
// user only) `{ account, signedIn?, sessions: [{ scopes, token }] }`: a session request gets the first entry whose
// scopes cover the requested ones. `signedIn: true` starts with every session created (the account is signed in to
// VS Code, as for a user who uses GitHub there already); otherwise a session exists once it is asked for with
// `createIfNone`. Plain JavaScript, no dependencies: packaged as it is.
const fs = require('node:fs');
const vscode = require('vscode');

function readConfig() {
  const file = process.env.REGISTRY_GITHUB_SESSIONS;
  if (!file) return { account: 'octocat', sessions: [] };
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function covers(have, want) {
  return want.every((s) => have.includes(s));
}

function activate(context) {
  const config = readConfig();
  const emitter = new vscode.EventEmitter();
  const sessions = [];
  let next = 1;
  const make = (entry) => ({ id: `stand-in-${next++}`, accessToken: entry.token, account: { id: config.account, label: config.account }, scopes: [...entry.scopes] });
  if (config.signedIn) for (const entry of config.sessions) sessions.push(make(entry));
  const provider = {
    onDidChangeSessions: emitter.event,
    async getSessions(scopes) {
      return sessions.filter((s) => !scopes || covers(s.scopes, [...scopes]));
    },
    async createSession(scopes) {
      const entry = config.sessions.find((e) => covers(e.scopes, [...scopes]));
      if (!entry) throw new Error(`The stand-in GitHub account has no token with the scopes ${scopes.join(', ')}`);
      const session = make(entry);
      sessions.push(session);
      emitter.fire({ added: [session], removed: [], changed: [] });
      return session;
    },
    async removeSession(id) {
      const i = sessions.findIndex((s) => s.id === id);
      if (i < 0) return;
      const [removed] = sessions.splice(i, 1);
      emitter.fire({ added: [], removed: [removed], changed: [] });
    },
  };
  context.subscriptions.push(emitter, vscode.authentication.registerAuthenticationProvider('github', 'GitHub', provider, { supportsMultipleAccounts: false }));
}

module.exports = { activate, deactivate() {} };
