import type { ScanFilter } from './protocol';
import type { ScanReport, Vulnerability } from '../registry/scan';
import { severities } from '../registry/scan';

/** One filter used by the scan table and by export, so an export contains exactly what the table shows. */
export function filterVulnerabilities(vulns: readonly Vulnerability[], f: ScanFilter): Vulnerability[] {
  const q = f.search.trim().toLowerCase();
  const sev = new Set(f.severities.length ? f.severities : severities);
  return vulns.filter(
    (v) =>
      sev.has(v.severity) &&
      (!f.fixableOnly || !!v.fixedVersion) &&
      (!q ||
        v.id.toLowerCase().includes(q) ||
        v.packageName.toLowerCase().includes(q) ||
        (v.description ?? '').toLowerCase().includes(q) ||
        (v.installedVersion ?? '').toLowerCase().includes(q)),
  );
}

const severityRank = Object.fromEntries(severities.map((s, i) => [s, i])) as Record<string, number>;

export type ScanSortKey = 'severity' | 'id' | 'packageName' | 'installedVersion' | 'fixedVersion' | 'cvss';

export function sortVulnerabilities(vulns: Vulnerability[], key: ScanSortKey, descending: boolean): Vulnerability[] {
  const dir = descending ? -1 : 1;
  const cmp = (a: Vulnerability, b: Vulnerability): number => {
    switch (key) {
      case 'severity':
        return severityRank[a.severity]! - severityRank[b.severity]! || a.id.localeCompare(b.id);
      case 'cvss':
        return (b.cvss ?? -1) - (a.cvss ?? -1);
      default:
        return (a[key] ?? '').localeCompare(b[key] ?? '', 'en', { numeric: true });
    }
  };
  return vulns.sort((a, b) => dir * cmp(a, b));
}

export function csvCell(s: string | number | undefined): string {
  const v = s === undefined ? '' : String(s);
  // A leading =,+,-,@ would run as a formula in spreadsheet apps; quote-prefix it.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(vulns: readonly Vulnerability[]): string {
  const header = ['id', 'severity', 'package', 'installed', 'fixed', 'cvss', 'layer', 'links', 'description'];
  const rows = vulns.map((v) =>
    [v.id, v.severity, v.packageName, v.installedVersion, v.fixedVersion, v.cvss, v.layer, v.links.join(' '), v.description].map(csvCell).join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}

export function toExportJson(report: ScanReport, vulns: readonly Vulnerability[]): string {
  return JSON.stringify({ ...report, vulnerabilities: vulns }, null, 2) + '\n';
}
