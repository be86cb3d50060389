import * as vscode from 'vscode';
import type { RegistryManager } from '../config/registryManager';
import { NotFoundError, UnsupportedError } from '../registry/errors';
import type { ScanReport } from '../registry/scan';
import type { PanelSpec } from './panelHost';
import type { RestoreState } from './protocol';
import { readScanReportFile } from './scanFile';
import { filterVulnerabilities, toCsv, toExportJson } from './scanFilter';

export type ScanSource = { registryName: string; repository: string; tag: string } | { file: string };

export function parseScanRestore(s: RestoreState | undefined): ScanSource | undefined {
  if (!s) return undefined;
  if (typeof s.file === 'string') return { file: s.file };
  if (typeof s.registryName === 'string' && typeof s.repository === 'string' && typeof s.tag === 'string') return { registryName: s.registryName, repository: s.repository, tag: s.tag };
  return undefined;
}

/** Vulnerability scan summary of one tag (or of a saved report). */
export function scanSpec(manager: RegistryManager, source: ScanSource): PanelSpec {
  let report: ScanReport | undefined;
  const key = 'file' in source ? `file:${source.file}` : `${source.registryName}/${source.repository}:${source.tag}`;
  const title = 'file' in source ? `Scan: ${source.file.split(/[\\/]/).pop()}` : `Scan: ${source.repository}:${source.tag}`;
  return {
    kind: 'scan',
    key,
    title,
    restore: { ...source },
    cacheContent: true,
    async load(signal) {
      if ('file' in source) {
        report = await readScanReportFile(source.file);
        return { type: 'init', panel: 'scan', data: { report }, restore: { ...source } };
      }
      const state = manager.get(source.registryName);
      if (!state) throw new NotFoundError(`No registry named "${source.registryName}" is configured any more`);
      const provider = state.provider;
      if (!provider?.getScanReport || !provider.capabilities.scanSummary) throw new UnsupportedError(`${source.registryName} does not report vulnerability scans`);
      report = await provider.getScanReport(source.repository, source.tag, signal);
      return { type: 'init', panel: 'scan', data: { registryName: source.registryName, report }, restore: { ...source } };
    },
    async onMessage(msg, post) {
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
