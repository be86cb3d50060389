import type { ScanReport } from '../scan';
import type { ReportFormat } from './common';

export type { ReportFormat, ReportTarget } from './common';

/** An attached report, parsed: the panel's report, its format, and the label the panel names the source by. */
export interface ParsedReport {
  report: ScanReport;
  format: ReportFormat;
  /** "cosign vulnerability attestation (trivy 0.19.2)". */
  label: string;
}
