import { decodeBase64 } from '../base64';
import { assemble, badReport, FORMAT_LABELS, isObject, isoTime, str, type ReportMeta, type ReportRow, type ReportTarget } from './common';
import { isScannerReport, scannerReportRows, SCANNER_REPORT_MIME } from './harbor';
import { isSarif, sarifRows } from './sarif';
import { isTrivyReport, trivyRows } from './trivy';
import { BadResponseError } from '../errors';
import type { ParsedReport } from './types';

export { FORMAT_LABELS, type ReportFormat, type ReportTarget } from './common';
export { SCANNER_REPORT_MIME } from './harbor';

/**
 * Vulnerability reports attached to an image, in any of the formats registries and CI pipelines attach: a cosign
 * vulnerability attestation (an in-toto statement with predicate type `https://cosign.sigstore.dev/attestation/vuln/v1`,
 * bare or in a DSSE envelope) whose `scanner.result` is a Trivy, SARIF or scanner (Harbor-format) report; or one of
 * those reports attached directly. Parsed by content, since artifact types for them are not standardised.
 */

export const COSIGN_VULN_PREDICATE = 'https://cosign.sigstore.dev/attestation/vuln/v1';
const MAX_REPORT_CHARS = 64 * 1024 * 1024;

export type { ParsedReport } from './types';

function rowsOf(doc: unknown): { rows: ReportRow[]; meta: ReportMeta } | undefined {
  if (isTrivyReport(doc)) return trivyRows(doc);
  if (isSarif(doc)) return sarifRows(doc);
  if (isScannerReport(doc)) return scannerReportRows(doc);
  return undefined;
}

/** `pkg:github/aquasecurity/trivy@244fd…` → `trivy`; anything else as given (bounded). */
function scannerName(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const m = /^pkg:[^/]+\/(?:[^/@]+\/)*([^/@]+)(?:@|$)/.exec(uri);
  return (m?.[1] ?? uri).slice(0, 80);
}

/** The statement inside a DSSE envelope, or the document itself. */
function unwrapEnvelope(doc: unknown): unknown {
  if (!isObject(doc) || typeof doc.payloadType !== 'string' || typeof doc.payload !== 'string' || !Array.isArray(doc.signatures)) return doc;
  const body = decodeBase64(doc.payload, MAX_REPORT_CHARS);
  if (!body) throw badReport('cosign-vuln', 'the envelope payload is not base64');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw badReport('cosign-vuln', 'the envelope payload is not JSON');
  }
}

function fromStatement(statement: Record<string, unknown>, target: ReportTarget): ParsedReport {
  const type = str(statement.predicateType, 200);
  if (type !== COSIGN_VULN_PREDICATE) throw new BadResponseError(`The attestation's predicate type ${JSON.stringify(type ?? null)} is not a vulnerability report`);
  const predicate = isObject(statement.predicate) ? statement.predicate : undefined;
  const scanner = predicate && isObject(predicate.scanner) ? predicate.scanner : undefined;
  if (!scanner) throw badReport('cosign-vuln', 'predicate.scanner is missing');
  const inner = rowsOf(scanner.result);
  if (!inner) throw badReport('cosign-vuln', 'predicate.scanner.result is not a Trivy, SARIF or scanner report');
  const metadata = predicate && isObject(predicate.metadata) ? predicate.metadata : {};
  const name = scannerName(str(scanner.uri, 300));
  const version = str(scanner.version, 40);
  const meta: ReportMeta = {
    format: 'cosign-vuln',
    scanner: name ? [name, version].filter(Boolean).join(' ') : inner.meta.scanner,
    producedAt: isoTime(metadata.scanFinishedOn) ?? isoTime(metadata.scanStartedOn) ?? inner.meta.producedAt,
  };
  const report = assemble(inner.rows, meta, target);
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  if (target.digest && subjects.length) {
    const [alg, hex] = target.digest.split(':');
    const names = subjects.some((s) => isObject(s) && isObject(s.digest) && alg !== undefined && s.digest[alg] === hex);
    if (!names) report.message = `The attestation's subject names another digest than ${target.digest}`;
  }
  return { report, format: 'cosign-vuln', label: labelOf(meta) };
}

function labelOf(meta: ReportMeta): string {
  return meta.scanner ? `${FORMAT_LABELS[meta.format]} (${meta.scanner})` : FORMAT_LABELS[meta.format];
}

/**
 * Parses an attached report (the bytes of its layer or blob). `mediaType` is a hint only; the content decides.
 * Anything else is a BadResponseError saying what the document is not.
 */
export function parseAttachedReport(content: Uint8Array | string, target: ReportTarget, mediaType?: string): ParsedReport {
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  if (text.length > MAX_REPORT_CHARS) throw new BadResponseError('The attached report is larger than 64 MiB');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new BadResponseError(`The attached report${mediaType ? ` (${mediaType.slice(0, 100)})` : ''} is not JSON`);
  }
  doc = unwrapEnvelope(doc);
  if (isObject(doc) && typeof doc._type === 'string' && 'predicateType' in doc) return fromStatement(doc, target);
  const parsed = rowsOf(doc);
  if (!parsed) throw new BadResponseError(`The attached document${mediaType ? ` (${mediaType.slice(0, 100)})` : ''} is not a vulnerability report this extension reads (cosign vulnerability attestation, Trivy JSON, SARIF, or ${SCANNER_REPORT_MIME})`);
  return { report: assemble(parsed.rows, parsed.meta, target), format: parsed.meta.format, label: labelOf(parsed.meta) };
}
