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
