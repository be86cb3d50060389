import * as vscode from 'vscode';
import type { RegistryManager } from '../config/registryManager';
import { NotFoundError, UnsupportedError } from '../registry/errors';
import { reportForPanel, type ScanReport } from '../registry/scan';
import { loadScanSource, scanSourcesOf, type TagScanSources } from '../registry/scanSources';
import type { PanelSpec } from './panelHost';
import type { RestoreState } from './protocol';
import { readScanReportFile } from './scanFile';
import { filterVulnerabilities, toCsv, toExportJson } from './scanFilter';

/**
 * A tag's report (`platform`: which one of a multi-platform tag; the provider's default when absent; `source`: the
 * registry's scanner or an attached report, the first when absent) or a saved file.
 */
export type ScanSource = { registryName: string; repository: string; tag: string; platform?: string; source?: string } | { file: string };

export function parseScanRestore(s: RestoreState | undefined): ScanSource | undefined {
  if (!s) return undefined;
  if (typeof s.file === 'string') return { file: s.file };
  if (typeof s.registryName === 'string' && typeof s.repository === 'string' && typeof s.tag === 'string') {
    return { registryName: s.registryName, repository: s.repository, tag: s.tag, ...(typeof s.platform === 'string' ? { platform: s.platform } : {}), ...(typeof s.source === 'string' ? { source: s.source } : {}) };
  }
  return undefined;
}

/** Vulnerability scan summary of one tag (or of a saved report). */
export function scanSpec(manager: RegistryManager, source: ScanSource): PanelSpec {
  let report: ScanReport | undefined;
  // The platform picked in the panel; it stays with the panel (restore state) but not in its key, so Show Scan
  // Summary on the same tag reveals this panel whichever platform it shows.
  let platform = 'file' in source ? undefined : source.platform;
  // The scan source picked in the panel (registry scanner or an attached report), kept like the platform.
  let chosenSource = 'file' in source ? undefined : source.source;
  let sources: TagScanSources | undefined;
  const restore = (): RestoreState =>
    'file' in source ? { ...source } : { registryName: source.registryName, repository: source.repository, tag: source.tag, ...(platform ? { platform } : {}), ...(chosenSource ? { source: chosenSource } : {}) };
  const key = 'file' in source ? `file:${source.file}` : `${source.registryName}/${source.repository}:${source.tag}`;
  const title = 'file' in source ? `Scan: ${source.file.split(/[\\/]/).pop()}` : `Scan: ${source.repository}:${source.tag}`;
  return {
    kind: 'scan',
    key,
    title,
    restore: restore(),
    cacheContent: true,
    async load(signal) {
      if ('file' in source) {
        report = await readScanReportFile(source.file);
        return { type: 'init', panel: 'scan', data: { report: reportForPanel(report) }, restore: restore() };
      }
      const state = manager.get(source.registryName);
      if (!state) throw new NotFoundError(`No registry named "${source.registryName}" is configured any more`);
      const provider = state.provider;
      if (!provider) throw new UnsupportedError(`${source.registryName} is not available`);
      // The sources are listed once per panel (one attachment listing); Retry after a failure lists them again.
      sources ??= await scanSourcesOf(provider, source.registryName, source.repository, source.tag, signal);
      const id = chosenSource && sources.sources.some((x) => x.id === chosenSource) ? chosenSource : sources.sources[0]!.id;
      report = await loadScanSource(provider, source.repository, source.tag, sources, id, signal, platform);
      // The panel gets a bounded copy; the whole report stays here for export and for checking a chosen platform.
      return { type: 'init', panel: 'scan', data: { registryName: source.registryName, report: reportForPanel(report) }, restore: restore() };
    },
    async onMessage(msg, post, reload) {
      if (msg.type === 'selectSource') {
        // Only a source the shown report listed: the page is untrusted.
        if ('file' in source || !report?.sources?.some((x) => x.id === msg.source)) throw new Error(`${msg.source} is not a scan source of this tag`);
        chosenSource = msg.source;
        platform = undefined;
        await reload();
        return;
      }
      if (msg.type === 'selectPlatform') {
        // Only a platform the shown report offered: the page is untrusted and the value goes into a request.
        if ('file' in source || !report?.platforms?.includes(msg.platform)) throw new Error(`${msg.platform} is not a platform of this report`);
        // A failed load shows Retry, which tries the chosen platform again.
        platform = msg.platform;
        await reload();
        return;
      }
      if (msg.type !== 'export') return;
      if (!report) throw new Error('Nothing to export yet');
      const rows = filterVulnerabilities(report.vulnerabilities, msg.filter);
      const base = `${report.repository.replace(/[^\w.-]+/g, '_')}-${report.reference.replace(/[^\w.-]+/g, '_')}-vulnerabilities.${msg.format}`;
      const target = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export {0} vulnerabilities', rows.length),
        defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? '/'), base),
        filters: msg.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      });
      if (!target) {
        post({ type: 'reply', requestId: msg.requestId, ok: false, message: 'Export cancelled' });
        return;
      }
      const text = msg.format === 'csv' ? toCsv(rows) : toExportJson(report, rows);
      await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
      post({ type: 'reply', requestId: msg.requestId, ok: true, message: `Exported ${rows.length} vulnerabilities to ${target.fsPath}` });
    },
  };
}
