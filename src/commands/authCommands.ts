import * as vscode from 'vscode';
import { dockerConfigPath, findDockerCredentials, readDockerConfig } from '../secrets/dockerConfig';
import { registryEntrySchema } from '../config/schema';
import { descriptorOf } from '../registry/kinds';
import type { CommandContext } from './context';
import { checkConnection } from './registryCommands';
import { resolveRegistry } from './pickers';
import { required } from './runCommand';

/**
 * Sign In. From the UI it asks for the user name (when the registry has none) and the secret — or, for kinds that
 * declare an editor account, first whether to use that account; called programmatically as `(registryName, secret)`
 * it stores the secret without prompting, and as `(registryName, { account: true })` it signs in with the account.
 * Returns whether the registry accepted the credentials.
 */
export async function signIn(ctx: CommandContext, arg?: unknown, secretArg?: unknown): Promise<boolean> {
  const state = await resolveRegistry(ctx, arg, 'Registry to sign in to');
  const name = state.entry.name;
  if (typeof secretArg === 'string') {
    if (!secretArg) throw new Error('The secret is empty');
    await ctx.secrets.store(name, state.entry, secretArg);
    ctx.logger.info(`Stored credentials for ${name}`);
    await ctx.tree.refreshRegistry(name);
    void ctx.health.check(name);
    return true;
  }
  const auth = descriptorOf(state.entry.kind)?.auth;
  const accountArg = !!secretArg && typeof secretArg === 'object' && (secretArg as { account?: unknown }).account === true;
  if (accountArg && !auth) throw new Error(`${name} cannot sign in with an editor account`);
  if (auth && (accountArg || (await pickAccount(auth.label, auth.scopes)))) {
    const creds = await ctx.manager.accounts.signIn(name, state.entry, auth);
    // The account replaces a stored token: one way of signing in at a time.
    await ctx.secrets.delete(name, 'api');
    ctx.logger.info(`${name}: signed in with the ${auth.label} account ${creds.username ?? ''}`.trim());
    state.provider?.resetAuth();
    await ctx.tree.refreshRegistry(name);
    return checkConnection(ctx, name);
  }
  let username = state.entry.username;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Sign in to {0}', name),
    prompt: vscode.l10n.t('User name (leave empty for token-only registries)'),
    value: username ?? '',
    ignoreFocusOut: true,
  });
  username = required(typed).trim() || undefined;
  const secret = required(
    await vscode.window.showInputBox({
      title: vscode.l10n.t('Sign in to {0}', name),
      prompt: vscode.l10n.t('Password or access token for {0} — kept in VS Code SecretStorage only', state.entry.url),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v ? undefined : 'Enter a password or token'),
    }),
  );
  if (username !== state.entry.username) {
    await ctx.manager.saveEntry({ ...state.entry, username }, state.entry.name, ['username']);
  }
  // A token replaces the account choice: one way of signing in at a time.
  if (auth) await ctx.secrets.setAccount(name, state.entry, undefined);
  await ctx.secrets.store(name, state.entry, secret);
  ctx.logger.info(`Stored credentials for ${name}`);
  await ctx.tree.refreshRegistry(name);
  return checkConnection(ctx, name);
}

/**
 * For kinds that can sign in with an editor account: the account (no token to copy; VS Code asks for consent to the
 * scopes) or a token kept in SecretStorage. True for the account.
 */
async function pickAccount(label: string, scopes: readonly string[]): Promise<boolean> {
  const account = { label: vscode.l10n.t('$(account) Sign in with your {0} account', label), detail: vscode.l10n.t('Uses the {0} account of VS Code; asks once for the {1} permission. Nothing is stored by this extension.', label, scopes.join(', ')), account: true };
  const token = { label: vscode.l10n.t('$(key) Use a personal access token'), detail: vscode.l10n.t('For GitHub Enterprise Server or by choice; kept in VS Code SecretStorage only.'), account: false };
  return required(await vscode.window.showQuickPick([account, token], { title: vscode.l10n.t('Sign in'), ignoreFocusOut: true })).account;
}

/**
 * Asked when a registry's Bearer challenge names a token service on another origin: a modal naming both origins.
 * A yes is remembered with the entry's secret (and shown in Edit Registry); a no sends nothing there.
 */
export async function askTokenRealm(q: { registry: string; realmOrigin: string; registryOrigin: string }): Promise<boolean> {
  const allow = vscode.l10n.t('Allow');
  const pick = await vscode.window.showWarningMessage(
    vscode.l10n.t('Send the credentials of “{0}” to {1}?', q.registry, q.realmOrigin),
    {
      modal: true,
      detail: vscode.l10n.t(
        'The registry\n{0}\nasks for access tokens from a token service on another origin:\n{1}\n\nAllow sends this registry’s user name and password or token to {1} to get them, now and later (listed, and removable, in Edit Registry). Otherwise the credentials are not sent there, and what needs them fails with a message saying so.',
        q.registryOrigin,
        q.realmOrigin,
      ),
    },
    allow,
  );
  return pick === allow;
}

export async function signOut(ctx: CommandContext, arg?: unknown): Promise<void> {
  const state = await resolveRegistry(ctx, arg, 'Registry to sign out of');
  const account = await ctx.secrets.account(state.entry.name, state.entry);
  await ctx.secrets.delete(state.entry.name);
  state.provider?.resetAuth();
  ctx.logger.info(`Removed stored credentials of ${state.entry.name}`);
  await ctx.tree.refreshRegistry(state.entry.name);
  void ctx.health.check(state.entry.name);
  const label = account ? descriptorOf(state.entry.kind)?.auth?.label : undefined;
  void vscode.window.showInformationMessage(
    label ? vscode.l10n.t('Signed out of {0}; it no longer uses your {1} account (which stays signed in to VS Code: Accounts menu).', state.entry.name, label) : vscode.l10n.t('Signed out of {0}.', state.entry.name),
  );
}

/** Copies credentials from ~/.docker/config.json (auths or credential helpers) into SecretStorage, after confirmation. */
export async function importDockerConfig(ctx: CommandContext): Promise<void> {
  const registries = ctx.manager.registries;
  if (registries.length === 0) throw new Error('Add a registry first; credentials are imported for configured registries only.');
  const file = dockerConfigPath();
  const config = await readDockerConfig(file);
  if (!config) throw new Error(`No Docker config found at ${file}`);
  const { found, errors } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading Docker credentials…') }, () =>
    findDockerCredentials(registries.map((r) => r.entry.url), config),
  );
  for (const e of errors) ctx.logger.warn(`Docker credential import: ${e}`);
  const candidates = registries.flatMap((r) => {
    const c = found.get(r.entry.url);
    return c ? [{ state: r, cred: c }] : [];
  });
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`${file} has no credentials for the configured registries.${errors.length ? ` (${errors.length} credential helper errors, see the log)` : ''}`);
    return;
  }
  const picks = await vscode.window.showQuickPick(
    candidates.map((c) => ({ label: c.state.entry.name, description: vscode.l10n.t('user {0}', c.cred.username), detail: vscode.l10n.t('from {0} ({1})', c.cred.source, c.cred.serverKey), picked: true, c })),
    { canPickMany: true, title: vscode.l10n.t('Import credentials from Docker config'), placeHolder: vscode.l10n.t('Copy these credentials into VS Code SecretStorage?') },
  );
  const chosen = required(picks);
  if (chosen.length === 0) return;
  const names = chosen.map((p) => p.c.state.entry.name).join(', ');
  const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Copy credentials for {0} into VS Code SecretStorage?', names), { modal: true, detail: vscode.l10n.t('Existing stored credentials of these registries are replaced.') }, 'Import');
  if (ok !== 'Import') return;
  for (const { c } of chosen) {
    const entry = c.state.entry;
    const username = c.cred.username === '<token>' ? entry.username : c.cred.username;
    if (username !== entry.username) await ctx.manager.saveEntry(registryEntrySchema.parse({ ...entry, username }), entry.name, ['username']);
    await ctx.secrets.store(entry.name, entry, c.cred.secret);
    ctx.logger.info(`Imported credentials for ${entry.name} from ${c.cred.source}`);
  }
  ctx.tree.refresh();
  void ctx.health.checkAll();
  void vscode.window.showInformationMessage(vscode.l10n.t('Imported credentials for {0}.', names));
}
