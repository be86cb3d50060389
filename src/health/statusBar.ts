import * as vscode from 'vscode';
import { escapeMarkdown } from '../tree/treeItems';
import { formatAge } from '../tree/format';
import { summarize, type HealthMonitor, type RegistryHealth } from './healthMonitor';

export const HEALTH_COMMAND = 'registryExplorer.health.show';

/** The "$(server) 2/3" status-bar item with a per-registry tooltip. */
export class HealthStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly sub: { dispose(): void };

  constructor(private readonly monitor: HealthMonitor) {
    this.item = vscode.window.createStatusBarItem('registryExplorer.health', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Registry Health';
    this.item.command = HEALTH_COMMAND;
    this.sub = monitor.onDidChange(() => this.render());
    this.render();
  }

  render(): void {
    const health = this.monitor.snapshot();
    if (health.length === 0) {
      this.item.hide();
      return;
    }
    const s = summarize(health);
    const failing = s.failing;
    // Registries waiting for a first sign-in are counted apart (key icon): they are not failing.
    this.item.text = `$(${failing > 0 ? 'warning' : 'server'}) ${s.text}${s.signIn ? ` $(key) ${s.signIn}` : ''}`;
    this.item.backgroundColor = failing > 0 && s.reachable === 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const waiting = s.signIn ? vscode.l10n.t(', {0} waiting for sign-in', s.signIn) : '';
    this.item.accessibilityInformation = { label: vscode.l10n.t('Registries reachable: {0} of {1}', s.reachable, s.total) + waiting };
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Registries: ${s.reachable} of ${s.total} reachable${waiting}**${this.monitor.isPaused ? ' (checks paused while the window is unfocused)' : ''}\n\n`);
    for (const h of health) md.appendMarkdown(`- ${tooltipLine(h)}\n`);
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}

export function tooltipLine(h: RegistryHealth, now = Date.now()): string {
  const name = `**${escapeMarkdown(h.name)}**`;
  if (h.ok === undefined) return `$(loading~spin) ${name}: checking…`;
  const extra = Object.entries(h.details ?? {})
    .filter(([k]) => k !== 'error')
    .map(([k, v]) => `${escapeMarkdown(k)}: ${escapeMarkdown(v)}`)
    .join(', ');
  const when = h.checkedAt ? ` (checked ${formatAge(new Date(h.checkedAt).toISOString(), now) || 'just now'})` : '';
  if (h.ok) return `$(pass) ${name}: ${h.latencyMs ?? '?'} ms${extra ? `, ${extra}` : ''}${when}`;
  if (h.needsSignIn) return `$(key) ${name}: not signed in yet (Sign In from its context menu)${when}`;
  return `$(error) ${name}: ${escapeMarkdown(h.lastError ?? 'unreachable')}${h.consecutiveFailures > 1 ? ` (${h.consecutiveFailures} failures in a row)` : ''}${when}`;
}

/** Quick pick with one row per registry; picking one checks it again. */
export async function showHealthPick(monitor: HealthMonitor): Promise<void> {
  const health = monitor.snapshot();
  if (health.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No registry is configured.'));
    return;
  }
  const items = health.map((h) => ({
    label: vscode.l10n.t('{0} {1}', h.ok === undefined ? '$(loading~spin)' : h.ok ? '$(pass)' : h.needsSignIn ? '$(key)' : '$(error)', h.name),
    description: h.ok ? `${h.latencyMs ?? '?'} ms` : h.needsSignIn ? vscode.l10n.t('not signed in yet') : h.ok === false ? 'unreachable' : 'checking…',
    detail: [h.ok === false ? h.lastError : undefined, ...Object.entries(h.details ?? {}).filter(([k]) => k !== 'error').map(([k, v]) => `${k}: ${v}`), h.checkedAt ? `checked ${new Date(h.checkedAt).toLocaleTimeString()}` : undefined]
      .filter(Boolean)
      .join(' · '),
    name: h.name,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Registry health — pick one to check it again'), matchOnDetail: true });
  if (picked) {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking {0}…', picked.name) }, () => monitor.check(picked.name));
    const h = monitor.snapshot().find((x) => x.name === picked.name);
    if (h?.ok) void vscode.window.showInformationMessage(vscode.l10n.t('{0} is reachable ({1} ms).', picked.name, h.latencyMs ?? '?'));
    else if (h) void vscode.window.showWarningMessage(vscode.l10n.t('{0}: {1}', picked.name, h.lastError ?? 'unreachable'));
  }
}
