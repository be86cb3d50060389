import * as vscode from 'vscode';
import { commandTable, registerCommands } from './commands';
import { LoadedSet } from './commands/goToSearch';
import { askTokenRealm } from './commands/authCommands';
import type { CommandContext } from './commands/context';
import { RegistryManager, SECTION } from './config/registryManager';
import { HealthMonitor, type RegistryHealth } from './health/healthMonitor';
import { HealthStatusBar } from './health/statusBar';
import { createLogger } from './log';
import { setTranslator } from './registry/l10n';
import type { TagOrder } from './registry/tagOrder';
import { SecretStore } from './secrets/secretStore';
import type { TreeNode } from './tree/nodes';
import { RegistryTreeProvider } from './tree/registryTreeProvider';
import { Webviews } from './webviews';
import { sessionSignatureVerifier } from './commands/trustedKey';

/** What activate() returns: a small API for integration tests and other extensions. */
export interface RegistryExplorerApi {
  tree: RegistryTreeProvider;
  getSecret(registryName: string): Promise<string | undefined>;
  commandIds: string[];
  healthSnapshot(): Array<{ name: string; ok: boolean | undefined; latencyMs?: number; error?: string }>;
  health: HealthMonitor;
  webviews: Webviews;
}

export function activate(context: vscode.ExtensionContext): RegistryExplorerApi {
  // Provider text (titles, help, confirmations, messages) is English source translated by the host.
  setTranslator((message, ...args) => vscode.l10n.t(message, ...args));
  const channel = vscode.window.createOutputChannel('Registry Explorer', { log: true });
  const logger = createLogger(channel);
  const secrets = new SecretStore(context.secrets);
  const manager = new RegistryManager(secrets, logger, askTokenRealm);
  const config = () => vscode.workspace.getConfiguration(SECTION);
  const tree = new RegistryTreeProvider(manager, secrets, logger, {
    pageSize: () => clamp(config().get<number>('pageSize', 100), 10, 1000),
    tagOrder: () => (config().get<string>('tags.sortOrder') === 'newest' ? 'newest' : 'natural') as TagOrder,
  });
  const view = vscode.window.createTreeView<TreeNode>('registryExplorer.registries', { treeDataProvider: tree, showCollapseAll: true });

  const intervalMs = () => Math.max(0, config().get<number>('healthCheckInterval', 60)) * 1000;
  const health = new HealthMonitor({ intervalMs: intervalMs() });
  // Getters, so a provider is built when its first health check runs rather than during activation.
  const healthTargets = () =>
    manager.registries.map((s) => ({
      name: s.entry.name,
      get provider() {
        return s.provider;
      },
      get unavailableReason() {
        return s.unavailable?.message;
      },
      hasCredentials: () => secrets.has(s.entry.name, s.entry),
    }));
  health.setFocused(vscode.window.state.focused);
  health.setTargets(healthTargets());
  const statusBar = new HealthStatusBar(health);

  const webviews = new Webviews(context.extensionUri, { manager, secrets, tree, logger }, context.workspaceState);
  webviews.signatureVerifier = sessionSignatureVerifier;
  // What the view has expanded (and the palette listed) is what Go to… searches without asking the registries.
  const loaded = new LoadedSet();
  const reveal = (node: TreeNode) => view.reveal(node, { select: true, focus: true, expand: false });
  const ctx: CommandContext = { manager, secrets, tree, health, logger, channel, webviews, loaded, listed: (n) => loaded.add(n), reveal };
  context.subscriptions.push(
    channel,
    secrets,
    manager,
    tree,
    view,
    view.onDidExpandElement((e) => loaded.add(e.element)),
    statusBar,
    { dispose: () => health.dispose() },
    ...registerCommands(ctx),
    ...webviews.register(),
    manager.onDidChange(() => health.setTargets(healthTargets())),
    vscode.window.onDidChangeWindowState((s) => health.setFocused(s.focused)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.healthCheckInterval`)) health.setInterval(intervalMs());
      if (e.affectsConfiguration(`${SECTION}.tags.sortOrder`) || e.affectsConfiguration(`${SECTION}.pageSize`)) tree.resortTags();
    }),
  );

  return {
    tree,
    health,
    webviews,
    commandIds: Object.keys(commandTable),
    getSecret: async (name) => {
      const s = manager.get(name);
      return s ? secrets.get(name, s.entry) : undefined;
    },
    healthSnapshot: () => health.snapshot().map((h: RegistryHealth) => ({ name: h.name, ok: h.ok, latencyMs: h.latencyMs, error: h.lastError })),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}
