/** Provider-neutral vulnerability scan model; DTR, Quay and any other scanner map into it. */

export const severities = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'] as const;
export type Severity = (typeof severities)[number];

export type ScanStatus = 'completed' | 'queued' | 'scanning' | 'failed' | 'unsupported' | 'notScanned';

export interface ScanPackage {
  name: string;
  version?: string;
  /** Package ecosystem / format (deb, apk, npm…). */
  kind?: string;
  layer?: string;
}

export interface Vulnerability {
  id: string;
  severity: Severity;
  packageName: string;
  installedVersion?: string;
  fixedVersion?: string;
  description?: string;
  links: string[];
  layer?: string;
  cvss?: number;
  /** In the CVE allowlist that applies (Harbor's project or system allowlist): still listed, marked as accepted. */
  allowlisted?: boolean;
}

/** Where a report comes from: the registry's own scanner, Docker Scout, or a report attached to the image. */
export interface ScanSourceRef {
  /** `registry`, or `attached:<manifest digest>[#<layer>]`. */
  id: string;
  /** "Registry scanner", "cosign vulnerability attestation (trivy 0.19.2)". */
  label: string;
  /** When the report was produced (attached reports: the artifact's creation time), ISO. */
  producedAt?: string;
}

export interface ScanReport {
  status: ScanStatus;
  /** Scanner name/version, e.g. "Clair 4". */
  scanner?: string;
  scannedAt?: string;
  repository: string;
  reference: string;
  digest?: string;
  counts: Record<Severity, number>;
  packages: ScanPackage[];
  vulnerabilities: Vulnerability[];
  /** Human-readable reason when status is failed/unsupported. */
  message?: string;
  /** Platforms (`os/arch[/variant]`) of a multi-platform tag that have their own report; `platform` is the one shown. */
  platforms?: string[];
  platform?: string;
  /**
   * Set only on the copy a panel is sent (`reportForPanel`), when it lists part of the report: how many
   * vulnerabilities, packages and platforms the whole report has. The whole report stays with the extension (export).
   */
  totalVulnerabilities?: number;
  totalPackages?: number;
  totalPlatforms?: number;
  /** The source this report is from, and every source the tag has (the panel switches between them). */
  source?: ScanSourceRef;
  sources?: ScanSourceRef[];
}

/** What one scan panel message carries at most; the rest stays with the extension and is exported on request. */
export const PANEL_LIMITS = { vulnerabilities: 5_000, packages: 5_000, platforms: 64 } as const;

const severityRank = Object.fromEntries(severities.map((s, i) => [s, i])) as Record<Severity, number>;

/** Most severe first (then the highest CVSS), the order in which a capped panel keeps rows. */
export function bySeverity(a: Vulnerability, b: Vulnerability): number {
  return severityRank[a.severity] - severityRank[b.severity] || (b.cvss ?? -1) - (a.cvss ?? -1);
}

/**
 * The copy of a report a panel is sent: at most `PANEL_LIMITS` rows — the most severe vulnerabilities, the first
 * packages, the first platforms (always with the one shown) — with the totals of what it leaves out. The counts
 * are the whole report's.
 */
export function reportForPanel(report: ScanReport, limits: { vulnerabilities: number; packages: number; platforms: number } = PANEL_LIMITS): ScanReport {
  const out: ScanReport = { ...report };
  if (report.vulnerabilities.length > limits.vulnerabilities) {
    out.vulnerabilities = [...report.vulnerabilities].sort(bySeverity).slice(0, limits.vulnerabilities);
    out.totalVulnerabilities = report.vulnerabilities.length;
  }
  if (report.packages.length > limits.packages) {
    out.packages = report.packages.slice(0, limits.packages);
    out.totalPackages = report.packages.length;
  }
  if (report.platforms && report.platforms.length > limits.platforms) {
    const first = report.platforms.slice(0, limits.platforms);
    if (report.platform && !first.includes(report.platform)) first[first.length - 1] = report.platform;
    out.platforms = first;
    out.totalPlatforms = report.platforms.length;
  }
  return out;
}

export function normalizeSeverity(s: string | undefined): Severity {
  const v = (s ?? '').toLowerCase();
  if (v === 'critical' || v === 'defcon1') return 'critical';
  if (v === 'high' || v === 'important') return 'high';
  if (v === 'medium' || v === 'moderate') return 'medium';
  if (v === 'low') return 'low';
  if (v === 'negligible' || v === 'minor' || v === 'informational' || v === 'info') return 'negligible';
  return 'unknown';
}

export function countBySeverity(vulns: readonly Vulnerability[]): Record<Severity, number> {
  const counts = Object.fromEntries(severities.map((s) => [s, 0])) as Record<Severity, number>;
  for (const v of vulns) counts[v.severity]++;
  return counts;
}
