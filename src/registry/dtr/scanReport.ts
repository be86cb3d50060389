import { countBySeverity, severities, type ScanPackage, type ScanReport, type Severity, type Vulnerability } from '../scan';
import type { DtrScannedImage } from './schemas';

/**
 * DTR's three severities onto the panel's scale, said once and explicitly: `major` is DTR's middle band (CVSS 4–6.9),
 * which is `medium` here — not `unknown`, as the generic name-based mapping would make it.
 */
export const dtrSeverity: Record<'critical' | 'major' | 'minor', Severity> = { critical: 'critical', major: 'medium', minor: 'low' };

/** DTR's band of a CVSS score (DTR: critical ≥ 7, major ≥ 4, else minor). */
export function severityOfCvss(cvss: number): Severity {
  if (cvss >= 7) return dtrSeverity.critical;
  if (cvss >= 4) return dtrSeverity.major;
  return dtrSeverity.minor;
}

/** Counts from DTR's `{critical, major, minor}` on the panel's scale. */
export function countsFromDtr(c: { critical: number; major: number; minor: number }): Partial<Record<Severity, number>> {
  const out: Partial<Record<Severity, number>> = {};
  for (const k of ['critical', 'major', 'minor'] as const) {
    if (c[k] > 0) out[dtrSeverity[k]] = (out[dtrSeverity[k]] ?? 0) + c[k];
  }
  return out;
}

/** A link to read about a vulnerability, built from its id (never from server text). */
export function cveLinks(id: string): string[] {
  if (/^CVE-\d{4}-\d{4,}$/i.test(id)) return [`https://nvd.nist.gov/vuln/detail/${id.toUpperCase()}`];
  if (/^GHSA(-[23456789cfghjmpqrvwx]{4}){3}$/i.test(id)) return [`https://github.com/advisories/${id}`];
  return [];
}

/**
 * One platform's scan of a tag as the panel's report: layers → components (by componentPK) → CVEs (by cvePK) joined
 * by key; a component's licenses become package facts; overridden CVEs (layer overrides) are left out.
 */
export function toScanReport(image: DtrScannedImage, repository: string, reference: string, opts: { platform?: string; platforms?: string[]; scanStatus?: number } = {}): ScanReport {
  const components = new Map(image.components.map((c) => [c.componentPK, c]));
  const cves = new Map(image.cves.map((c) => [c.cvePK, c]));
  const overridden = new Set((image.vulnOverrides ?? []).map((o) => `${o.digest}|${o.component}|${o.cve}`));
  const packages: ScanPackage[] = [];
  const vulnerabilities: Vulnerability[] = [];
  const placed = new Set<string>();
  /** One row per CVE × component, from the first layer that has it: a component in 200 layers is not 200 rows. */
  const listed = new Map<string, Set<string>>();
  const visit = (componentPK: string, layer?: string) => {
    const c = components.get(componentPK);
    if (!c) return;
    let seen = listed.get(c.componentPK);
    if (!seen) {
      listed.set(c.componentPK, (seen = new Set()));
      placed.add(c.componentPK);
      const kind = c.licenses.length ? `${c.source ?? 'package'} · ${c.licenses.join(', ')}` : c.source;
      packages.push({ name: c.name, version: c.version || undefined, kind, layer });
    }
    for (const pk of c.cves) {
      const cve = cves.get(pk);
      if (!cve || seen.has(cve.cvePK)) continue;
      if (layer && overridden.has(`${layer}|${c.name}|${cve.cvePK}`)) continue;
      seen.add(cve.cvePK);
      vulnerabilities.push({
        id: cve.cvePK,
        severity: severityOfCvss(cve.cvss),
        packageName: c.name,
        installedVersion: c.version || undefined,
        description: cve.summary || undefined,
        links: cveLinks(cve.cvePK),
        layer,
        cvss: cve.cvss,
      });
    }
  };
  for (const l of image.layers) for (const pk of l.components) visit(pk, l.digest);
  // Components no layer names (older scanners) still count.
  for (const c of image.components) if (!placed.has(c.componentPK)) visit(c.componentPK);

  const counts = countBySeverity(vulnerabilities);
  const total = image.totalVulnCount;
  if (vulnerabilities.length === 0 && total && total.critical + total.major + total.minor > 0) {
    // A summary without component detail: the totals are all there is.
    for (const s of severities) counts[s] = 0;
    Object.assign(counts, countsFromDtr(total));
  }
  const licenses = image.licenses.map((l) => l.name).filter(Boolean);
  const version = image.scannerFingerprint?.version?.join('.') ?? '';
  const report: ScanReport = {
    status: opts.scanStatus !== undefined && opts.scanStatus !== 0 && image.layers.length === 0 ? scanStatusOf(opts.scanStatus) : 'completed',
    scanner: `Docker Security Scanner${version ? ` ${version}` : ''}`,
    repository,
    reference,
    digest: image.manifestDigest,
    counts,
    packages,
    vulnerabilities,
  };
  if (licenses.length) report.message = `Licenses: ${[...new Set(licenses)].sort().join(', ')}`;
  if (opts.platforms?.length) report.platforms = opts.platforms;
  if (opts.platform) report.platform = opts.platform;
  return report;
}

/**
 * DTR's `scanStatus` codes (from DTR's UI: 0 completed, 1 pending/queued, 2 scanning, 3 failed, 4 unsupported) as
 * the panel's status.
 */
export function scanStatusOf(code: number | undefined): ScanReport['status'] {
  switch (code) {
    case undefined:
    case 0:
      return 'completed';
    case 1:
      return 'queued';
    case 2:
      return 'scanning';
    case 3:
      return 'failed';
    case 4:
      return 'unsupported';
    default:
      return 'completed';
  }
}
