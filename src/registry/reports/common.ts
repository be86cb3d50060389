import { BadResponseError } from '../errors';
import { countBySeverity, normalizeSeverity, type ScanPackage, type ScanReport, type Severity, type Vulnerability } from '../scan';

/** The formats of vulnerability reports found attached to images (or next to them). */
export type ReportFormat = 'cosign-vuln' | 'trivy' | 'sarif' | 'harbor';

export const FORMAT_LABELS: Record<ReportFormat, string> = {
  'cosign-vuln': 'cosign vulnerability attestation',
  trivy: 'Trivy JSON report',
  sarif: 'SARIF report',
  harbor: 'scanner report (Harbor format)',
};

/** One finding as a parser reads it, before it becomes a panel row (links unchecked, the package's ecosystem). */
export type ReportRow = Omit<Vulnerability, 'links' | 'allowlisted'> & { links?: readonly unknown[]; kind?: string };

export interface ReportMeta {
  format: ReportFormat;
  /** Scanner name and version ("Trivy 0.19.2"). */
  scanner?: string;
  /** When the report was produced (ISO). */
  producedAt?: string;
}

/** Where the report belongs (the tag it is shown for). */
export interface ReportTarget {
  repository: string;
  reference: string;
  digest?: string;
}

/** More rows than this in one report is refused rather than held (the panel shows 5,000; export writes all). */
export const MAX_REPORT_ROWS = 200_000;
const MAX_TEXT = 4_000;

/** A report that is not what it claims: the message names the format and the first bad part. */
export function badReport(format: ReportFormat, what: string): BadResponseError {
  return new BadResponseError(`The attached ${FORMAT_LABELS[format]} is malformed: ${what}`);
}

/** A string field, trimmed and bounded; undefined for anything else or empty. */
export function str(v: unknown, max = MAX_TEXT): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s ? s.slice(0, max) : undefined;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export function arrayOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** A CVSS base score (0–10) or undefined. */
export function score(v: unknown): number | undefined {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 10 ? n : undefined;
}

/** The CVSS v3 qualitative rating of a base score. */
export function severityOfScore(s: number | undefined): Severity {
  if (s === undefined) return 'unknown';
  if (s >= 9) return 'critical';
  if (s >= 7) return 'high';
  if (s >= 4) return 'medium';
  if (s > 0) return 'low';
  return 'negligible';
}

export { normalizeSeverity };

/** Only http(s) links without a user part (the panel opens them after a confirmation naming the host). */
export function safeLinks(links: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const l of links ?? []) {
    if (typeof l !== 'string' || l.length > 2_000) continue;
    try {
      const u = new URL(l);
      if ((u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && !out.includes(u.toString())) out.push(u.toString());
    } catch {
      // Not a URL: left out.
    }
    if (out.length >= 20) break;
  }
  return out;
}

/** A valid ISO time from a report field, else undefined. */
export function isoTime(v: unknown): string | undefined {
  const s = str(v, 64);
  if (!s) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The panel's report from parsed rows; one package entry per name and version. */
export function assemble(rows: readonly ReportRow[], meta: ReportMeta, target: ReportTarget): ScanReport {
  if (rows.length > MAX_REPORT_ROWS) throw badReport(meta.format, `it lists more than ${MAX_REPORT_ROWS} findings`);
  const packages = new Map<string, ScanPackage>();
  const vulnerabilities: Vulnerability[] = [];
  for (const r of rows) {
    const key = `${r.packageName}\u0000${r.installedVersion ?? ''}`;
    if (!packages.has(key)) packages.set(key, { name: r.packageName, ...(r.installedVersion ? { version: r.installedVersion } : {}), ...(r.kind ? { kind: r.kind } : {}) });
    const v: Vulnerability = { id: r.id, severity: r.severity, packageName: r.packageName, links: safeLinks(r.links) };
    if (r.installedVersion) v.installedVersion = r.installedVersion;
    if (r.fixedVersion) v.fixedVersion = r.fixedVersion;
    if (r.description) v.description = r.description;
    if (r.cvss !== undefined) v.cvss = r.cvss;
    if (r.layer) v.layer = r.layer;
    vulnerabilities.push(v);
  }
  const out: ScanReport = {
    status: 'completed',
    repository: target.repository,
    reference: target.reference,
    counts: countBySeverity(vulnerabilities),
    packages: [...packages.values()],
    vulnerabilities,
  };
  if (target.digest) out.digest = target.digest;
  if (meta.scanner) out.scanner = meta.scanner;
  if (meta.producedAt) out.scannedAt = meta.producedAt;
  return out;
}
