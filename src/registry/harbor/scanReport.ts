import { BadResponseError } from '../errors';
import { countBySeverity, normalizeSeverity, type ScanPackage, type ScanReport, type ScanStatus, type Severity, type Vulnerability } from '../scan';
import { type CveAllowlist, type HarborVulnerabilityReport, type NativeReportSummary, VULN_REPORT_MIME, VULN_REPORT_MIME_V1 } from './schemas';

/** The mark a vulnerability in the CVE allowlist carries in its description (the row stays listed). */
export const ALLOWLIST_MARK = '[Allowlisted: in the CVE allowlist that applies to this project]';

/** The scan summary of an artifact's `scan_overview`: the v1.1 report's, else the older native report's. */
export function overviewSummary(overview: Record<string, NativeReportSummary> | null | undefined): NativeReportSummary | undefined {
  if (!overview) return undefined;
  return overview[VULN_REPORT_MIME] ?? overview[VULN_REPORT_MIME_V1] ?? Object.values(overview)[0];
}

/** Harbor's `scan_status` (`Success`, `Pending`, `Running`, `Error`, `Stopped`, `Not Scanned`…) on the panel's scale. */
export function scanStatusOf(status: string | null | undefined): ScanStatus {
  switch ((status ?? '').toLowerCase().replace(/[\s_-]/g, '')) {
    case 'success':
      return 'completed';
    case 'pending':
    case 'scheduled':
      return 'queued';
    case 'running':
      return 'scanning';
    case 'error':
    case 'stopped':
      return 'failed';
    case 'unsupported':
      return 'unsupported';
    default:
      return 'notScanned';
  }
}

/** Counts by severity of a summary (`{"Critical": 3, "High": 12}`), on the panel's scale; empty severities left out. */
export function countsOf(summary: NativeReportSummary | undefined): Partial<Record<Severity, number>> | undefined {
  const by = summary?.summary?.summary;
  if (!by) return undefined;
  const out: Partial<Record<Severity, number>> = {};
  for (const [k, n] of Object.entries(by)) {
    if (!Number.isSafeInteger(n) || n <= 0) continue;
    const s = normalizeSeverity(k);
    out[s] = (out[s] ?? 0) + n;
  }
  return out;
}

/** The CVE ids of an allowlist that apply now (`expires_at` in Unix seconds; absent or null: no expiry). */
export function activeAllowlist(list: CveAllowlist | null | undefined, now = Date.now()): Set<string> {
  const out = new Set<string>();
  if (!list?.items?.length) return out;
  if (typeof list.expires_at === 'number' && list.expires_at > 0 && list.expires_at * 1000 <= now) return out;
  for (const i of list.items) if (i.cve_id) out.add(i.cve_id.trim().toUpperCase());
  return out;
}

/** Only http(s) links from the report (the panel opens them after a confirmation naming the host). */
function safeLinks(links: readonly string[] | null | undefined): string[] {
  const out: string[] = [];
  for (const l of links ?? []) {
    try {
      const u = new URL(l);
      if ((u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password) out.push(u.toString());
    } catch {
      // Not a URL: left out.
    }
  }
  return out;
}

/**
 * A HarborVulnerabilityReport (`application/vnd.security.vulnerability.report; version=1.1`) as the panel's report.
 * Vulnerabilities in the allowlist stay listed, marked (`allowlisted` and a mark in the description).
 */
export function toScanReport(report: HarborVulnerabilityReport, repository: string, reference: string, opts: { allowlist?: Set<string>; digest?: string } = {}): ScanReport {
  const allow = opts.allowlist ?? new Set<string>();
  const vulnerabilities: Vulnerability[] = [];
  const packages = new Map<string, ScanPackage>();
  let allowlisted = 0;
  for (const v of report.vulnerabilities ?? []) {
    const pkg = v.package || 'unknown package';
    const key = `${pkg}\u0000${v.version ?? ''}`;
    if (!packages.has(key)) packages.set(key, { name: pkg, version: v.version || undefined });
    const out: Vulnerability = { id: v.id, severity: normalizeSeverity(v.severity ?? undefined), packageName: pkg, links: safeLinks(v.links) };
    if (v.version) out.installedVersion = v.version;
    if (v.fix_version) out.fixedVersion = v.fix_version;
    const cvss = v.preferred_cvss?.score_v3 ?? v.preferred_cvss?.score_v2;
    if (typeof cvss === 'number' && Number.isFinite(cvss) && cvss >= 0 && cvss <= 10) out.cvss = cvss;
    const description = v.description?.trim();
    if (allow.has(v.id.trim().toUpperCase())) {
      out.allowlisted = true;
      out.description = description ? `${ALLOWLIST_MARK} ${description}` : ALLOWLIST_MARK;
      allowlisted++;
    } else if (description) {
      out.description = description;
    }
    vulnerabilities.push(out);
  }
  const scanner = [report.scanner?.name, report.scanner?.version].filter(Boolean).join(' ') || undefined;
  const result: ScanReport = {
    status: 'completed',
    repository,
    reference,
    counts: countBySeverity(vulnerabilities),
    packages: [...packages.values()],
    vulnerabilities,
  };
  if (scanner) result.scanner = scanner;
  if (report.generated_at) result.scannedAt = report.generated_at;
  if (opts.digest) result.digest = opts.digest;
  if (allowlisted) result.message = `${allowlisted} of ${vulnerabilities.length} vulnerabilities are in the project's CVE allowlist (marked "Allowlisted"; counted above)`;
  return result;
}

/** The v1.1 report (else the older native one) of a `GET …/additions/vulnerabilities` body; undefined when none. */
export function pickReport(addition: Record<string, HarborVulnerabilityReport | null>): HarborVulnerabilityReport | undefined {
  const r = addition[VULN_REPORT_MIME] ?? addition[VULN_REPORT_MIME_V1];
  if (r) return r;
  const keys = Object.keys(addition);
  if (keys.length && !keys.some((k) => k.startsWith('application/vnd.'))) throw new BadResponseError(`The vulnerability report is keyed by ${keys.slice(0, 3).join(', ')}, not by a report mime type`);
  return undefined;
}

/** An empty report with a status and a reason (not scanned, scanning, no scanner). */
export function emptyReport(status: ScanStatus, repository: string, reference: string, message?: string): ScanReport {
  const out: ScanReport = { status, repository, reference, counts: countBySeverity([]), packages: [], vulnerabilities: [] };
  if (message) out.message = message;
  return out;
}
