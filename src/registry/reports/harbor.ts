import { arrayOf, badReport, isObject, isoTime, normalizeSeverity, score, str, type ReportMeta, type ReportRow } from './common';

/** The pluggable scanner API's report (`application/vnd.security.vulnerability.report; version=1.1`). */
export const SCANNER_REPORT_MIME = 'application/vnd.security.vulnerability.report; version=1.1';

/** Whether a JSON document is a scanner report in that format. */
export function isScannerReport(doc: unknown): boolean {
  return isObject(doc) && Array.isArray(doc.vulnerabilities) && ('generated_at' in doc || 'scanner' in doc) && !('SchemaVersion' in doc);
}

/** Rows of a scanner report (v1.1): `vulnerabilities[]` with package, version, fix_version, cvss / preferred_cvss. */
export function scannerReportRows(doc: unknown): { rows: ReportRow[]; meta: ReportMeta } {
  if (!isScannerReport(doc) || !isObject(doc)) throw badReport('harbor', 'it has no vulnerabilities list');
  const rows: ReportRow[] = [];
  for (const [i, v] of arrayOf(doc.vulnerabilities).entries()) {
    if (!isObject(v)) throw badReport('harbor', `vulnerabilities[${i}] is not an object`);
    const id = str(v.id, 200);
    if (!id) throw badReport('harbor', `vulnerabilities[${i}] has no id`);
    const cvss = isObject(v.preferred_cvss) ? v.preferred_cvss : isObject(v.cvss) ? v.cvss : {};
    const layer = isObject(v.layer) ? str(v.layer.digest, 200) : undefined;
    rows.push({
      id,
      severity: normalizeSeverity(str(v.severity, 20)),
      packageName: str(v.package, 300) ?? 'unknown package',
      installedVersion: str(v.version, 200),
      fixedVersion: str(v.fix_version, 200),
      description: str(v.description),
      links: arrayOf(v.links),
      cvss: score(cvss.score_v3) ?? score(cvss.score_v2),
      ...(layer ? { layer } : {}),
    });
  }
  const s = isObject(doc.scanner) ? doc.scanner : {};
  const scanner = [str(s.name, 80), str(s.version, 40)].filter(Boolean).join(' ') || undefined;
  return { rows, meta: { format: 'harbor', ...(scanner ? { scanner } : {}), ...(isoTime(doc.generated_at) ? { producedAt: isoTime(doc.generated_at) } : {}) } };
}
