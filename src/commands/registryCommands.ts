import * as vscode from 'vscode';
import { registryEntrySchema, registryKinds } from '../config/schema';
import { descriptorOf } from '../registry/kinds';
import type { CommandContext } from './context';
import { resolveRegistry } from './pickers';
import { required } from './runCommand';

function validateUrl(value: string): string | undefined {
  const r = registryEntrySchema.shape.url.safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
}

/** Guided Add Registry: kind, URL, name, username, secret. Settings get everything but the secret. */
export async function addRegistry(ctx: CommandContext): Promise<void> {
  const title = 'Add Registry';
  const kindPick = await vscode.window.showQuickPick(
    registryKinds.map((k) => ({
      label: descriptorOf(k)?.label ?? k,
      description: descriptorOf(k)?.implemented ? undefined : vscode.l10n.t('not supported yet'),
      detail: descriptorOf(k)?.detail,
      registryKind: k,
    })),
    { title: vscode.l10n.t('{0} (1/5): kind', title), placeHolder: vscode.l10n.t('What kind of registry?'), ignoreFocusOut: true },
  );
  const kind = required(kindPick).registryKind;
  const url = required(
    await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} (2/5): URL', title),
      prompt: vscode.l10n.t('Base URL of the registry'),
      placeHolder: vscode.l10n.t('https://registry.example.com:5000'),
      value: descriptorOf(kind)?.defaultUrl,
      ignoreFocusOut: true,
      validateInput: (v) => validateUrl(v.trim()),
    }),
  ).trim().replace(/\/+$/, '');
  const existing = new Set(ctx.manager.registries.map((r) => r.entry.name.toLowerCase()));
  let suggested: string;
  try {
    suggested = new URL(url).host;
  } catch {
    suggested = url;
  }
  const name = required(
    await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} (3/5): name', title),
      prompt: vscode.l10n.t('Display name (unique)'),
      value: existing.has(suggested.toLowerCase()) ? '' : suggested,
      ignoreFocusOut: true,
      validateInput: (v) => (!v.trim() ? 'Enter a name' : existing.has(v.trim().toLowerCase()) ? 'A registry with this name exists already' : undefined),
    }),
  ).trim();
  const username = (
    required(
      await vscode.window.showInputBox({
        title: vscode.l10n.t('{0} (4/5): user name', title),
        prompt: vscode.l10n.t('User name (leave empty for anonymous access or token-only registries)'),
        ignoreFocusOut: true,
      }),
    ) ?? ''
  ).trim();
  const secret = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0} (5/5): password or token', title),
    prompt: vscode.l10n.t('Password or access token — kept in VS Code SecretStorage only. Leave empty to add without credentials.'),
    password: true,
    ignoreFocusOut: true,
  });
  const parsed = registryEntrySchema.safeParse({ name, kind, url, ...(username ? { username } : {}) });
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`Invalid registry: "${i?.path.join('.')}" ${i?.message}`);
  }
  if (secret) await ctx.secrets.store(name, parsed.data, secret);
  await ctx.manager.saveEntry(parsed.data);
  ctx.logger.info(`Added registry ${name} (${kind}, ${parsed.data.url})`);
  if (!descriptorOf(kind)?.implemented) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Added {0}. The {1} kind is not supported yet; it shows as such in the tree.', name, descriptorOf(kind)?.label ?? kind));
    return;
  }
  await checkConnection(ctx, name);
}

/** Pings a registry and reports the result; used after adding one and after signing in. */
export async function checkConnection(ctx: CommandContext, name: string): Promise<boolean> {
  const state = ctx.manager.get(name);
  if (!state?.provider) return false;
  const provider = state.provider;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to {0}…', name) }, () => provider.ping());
  void ctx.health.check(name);
  if (result.ok) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Connected to {0} ({1} ms).', name, result.latencyMs));
    return true;
  }
  const msg = result.error?.message ?? 'check failed';
  if (result.error?.kind === 'unauthorized') {
    const pick = await vscode.window.showWarningMessage(vscode.l10n.t('{0}: {1}', name, msg), 'Sign In');
    if (pick) await vscode.commands.executeCommand('registryExplorer.signIn', name);
  } else {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0}: {1}', name, msg));
  }
  return false;
}

/** Removes a registry from settings and deletes its stored secret, after confirmation naming it. */
export async function removeRegistry(ctx: CommandContext, arg?: unknown): Promise<void> {
  const state = await resolveRegistry(ctx, arg, 'Registry to remove');
  const name = state.entry.name;
  const ok = await vscode.window.showWarningMessage(
    `Remove registry "${name}" (${state.entry.url}) from Registry Explorer?`,
    { modal: true, detail: vscode.l10n.t('Its settings entry and stored credentials are removed. Nothing is deleted on the registry.') },
    'Remove',
  );
  if (ok !== 'Remove') return;
  await ctx.secrets.forget(name);
  await ctx.manager.removeEntry(name);
  ctx.logger.info(`Removed registry ${name}`);
}
