import * as vscode from 'vscode';
import { registryEntrySchema, registryKinds, implementedKinds, type RegistryKind } from '../config/schema';
import type { CommandContext } from './context';
import { resolveRegistry } from './pickers';
import { required } from './runCommand';

const kindLabels: Record<RegistryKind, { label: string; detail: string; defaultUrl?: string }> = {
  oci: { label: 'OCI / Docker Registry V2', detail: 'distribution, Harbor, GHCR, GitLab, Zot, Artifactory, ECR, ACR …' },
  dockerhub: { label: 'Docker Hub', detail: 'Hub API v2', defaultUrl: 'https://hub.docker.com' },
  'dockerhub-v1': { label: 'Docker Hub v1 index (legacy)', detail: 'v1 index API', defaultUrl: 'https://index.docker.io' },
  dtr: { label: 'Docker Trusted Registry / Mirantis Secure Registry', detail: 'DTR 2.x API' },
  quay: { label: 'Red Hat Quay', detail: 'Quay API v1', defaultUrl: 'https://quay.io' },
};

function validateUrl(value: string): string | undefined {
  const r = registryEntrySchema.shape.url.safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
}

/** Guided Add Registry: kind, URL, name, username, secret. Settings get everything but the secret. */
export async function addRegistry(ctx: CommandContext): Promise<void> {
  const title = 'Add Registry';
  const kindPick = await vscode.window.showQuickPick(
    registryKinds.map((k) => ({
      label: kindLabels[k].label,
      description: implementedKinds.has(k) ? undefined : 'not supported yet',
      detail: kindLabels[k].detail,
      registryKind: k,
    })),
    { title: `${title} (1/5): kind`, placeHolder: 'What kind of registry?', ignoreFocusOut: true },
  );
  const kind = required(kindPick).registryKind;
  const url = required(
    await vscode.window.showInputBox({
      title: `${title} (2/5): URL`,
      prompt: 'Base URL of the registry',
      placeHolder: 'https://registry.example.com:5000',
      value: kindLabels[kind].defaultUrl,
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
      title: `${title} (3/5): name`,
      prompt: 'Display name (unique)',
      value: existing.has(suggested.toLowerCase()) ? '' : suggested,
      ignoreFocusOut: true,
      validateInput: (v) => (!v.trim() ? 'Enter a name' : existing.has(v.trim().toLowerCase()) ? 'A registry with this name exists already' : undefined),
    }),
  ).trim();
  const username = (
    required(
      await vscode.window.showInputBox({
        title: `${title} (4/5): user name`,
        prompt: 'User name (leave empty for anonymous access or token-only registries)',
        ignoreFocusOut: true,
      }),
    ) ?? ''
  ).trim();
  const secret = await vscode.window.showInputBox({
    title: `${title} (5/5): password or token`,
    prompt: 'Password or access token — kept in VS Code SecretStorage only. Leave empty to add without credentials.',
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
  if (!implementedKinds.has(kind)) {
    void vscode.window.showInformationMessage(`Added ${name}. The ${kindLabels[kind].label} kind is not supported yet; it shows as such in the tree.`);
    return;
  }
  await checkConnection(ctx, name);
}

/** Pings a registry and reports the result; used after adding one and after signing in. */
export async function checkConnection(ctx: CommandContext, name: string): Promise<boolean> {
  const state = ctx.manager.get(name);
  if (!state?.provider) return false;
  const provider = state.provider;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${name}…` }, () => provider.ping());
  void ctx.health.check(name);
  if (result.ok) {
    void vscode.window.showInformationMessage(`Connected to ${name} (${result.latencyMs} ms).`);
    return true;
  }
  const msg = result.error?.message ?? 'check failed';
  if (result.error?.kind === 'unauthorized') {
    const pick = await vscode.window.showWarningMessage(`${name}: ${msg}`, 'Sign In');
    if (pick) await vscode.commands.executeCommand('registryExplorer.signIn', name);
  } else {
    void vscode.window.showWarningMessage(`${name}: ${msg}`);
  }
  return false;
}

/** Removes a registry from settings and deletes its stored secret, after confirmation naming it. */
export async function removeRegistry(ctx: CommandContext, arg?: unknown): Promise<void> {
  const state = await resolveRegistry(ctx, arg, 'Registry to remove');
  const name = state.entry.name;
  const ok = await vscode.window.showWarningMessage(
    `Remove registry "${name}" (${state.entry.url}) from Registry Explorer?`,
    { modal: true, detail: 'Its settings entry and stored credentials are removed. Nothing is deleted on the registry.' },
    'Remove',
  );
  if (ok !== 'Remove') return;
  await ctx.secrets.delete(name);
  await ctx.manager.removeEntry(name);
  ctx.logger.info(`Removed registry ${name}`);
}
