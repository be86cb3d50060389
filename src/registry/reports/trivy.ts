import { arrayOf, isObject, isoTime, normalizeSeverity, score, str, badReport, type ReportMeta, type ReportRow } from './common';

/** Whether a JSON document is Trivy's JSON report (`trivy image --format json`, SchemaVersion 2). */
export function isTrivyReport(doc: unknown): boolean {
  return isObject(doc) && typeof doc.SchemaVersion === 'number' && (Array.isArray(doc.Results) || doc.Results === undefined || doc.Results === null) && ('ArtifactName' in doc || 'Results' in doc);
}

/** The highest CVSS v3 (else v2) score any source gives. */
function trivyScore(cvss: unknown): number | undefined {
  if (!isObject(cvss)) return undefined;
  let best: number | undefined;
  for (const src of Object.values(cvss)) {
    if (!isObject(src)) continue;
    const s = score(src.V3Score) ?? score(src.V2Score);
    if (s !== undefined && (best === undefined || s > best)) best = s;
  }
  return best;
}

/** Rows of a Trivy report: every `Results[].Vulnerabilities[]`. */
export function trivyRows(doc: unknown): { rows: ReportRow[]; meta: ReportMeta } {
  if (!isTrivyReport(doc) || !isObject(doc)) throw badReport('trivy', 'it has no SchemaVersion and Results');
  const rows: ReportRow[] = [];
  for (const [ri, result] of arrayOf(doc.Results).entries()) {
    if (!isObject(result)) throw badReport('trivy', `Results[${ri}] is not an object`);
    const kind = str(result.Type, 40);
    for (const [vi, v] of arrayOf(result.Vulnerabilities).entries()) {
      if (!isObject(v)) throw badReport('trivy', `Results[${ri}].Vulnerabilities[${vi}] is not an object`);
      const id = str(v.VulnerabilityID, 200);
      if (!id) throw badReport('trivy', `Results[${ri}].Vulnerabilities[${vi}] has no VulnerabilityID`);
      const layer = isObject(v.Layer) ? str(v.Layer.Digest, 200) : undefined;
      const row: ReportRow = {
        id,
        severity: normalizeSeverity(str(v.Severity, 20)),
        packageName: str(v.PkgName, 300) ?? str(v.PkgID, 300) ?? 'unknown package',
        installedVersion: str(v.InstalledVersion, 200),
        fixedVersion: str(v.FixedVersion, 200),
        description: str(v.Title, 500) && str(v.Description) ? `${str(v.Title, 500)}: ${str(v.Description)}` : (str(v.Description) ?? str(v.Title, 500)),
        links: [v.PrimaryURL, ...arrayOf(v.References)],
        cvss: trivyScore(v.CVSS),
      };
      if (layer) row.layer = layer;
      if (kind) row.kind = kind;
      rows.push(row);
    }
  }
  const version = isObject(doc.Trivy) ? str(doc.Trivy.Version, 40) : undefined;
  return { rows, meta: { format: 'trivy', scanner: version ? `Trivy ${version}` : 'Trivy', producedAt: isoTime(doc.CreatedAt) } };
}
