import type { Attachment } from './attachments';
import { isRegistryError, NotFoundError, UnsupportedError } from './errors';
import { t } from './l10n';
import type { RegistryProvider } from './provider';
import type { ScanReport, ScanSourceRef } from './scan';

/**
 * The scan sources of a tag, for every registry: the registry's own scanner (DTR, Quay, Harbor, Docker Scout), and the
 * vulnerability reports attached to the tag's digest (cosign vulnerability attestations, Trivy JSON, SARIF, scanner
 * reports in the Harbor format) found through the provider's attachment listing — one bounded call.
 */

export const REGISTRY_SOURCE = 'registry';
const VULN_PREDICATE = 'https://cosign.sigstore.dev/attestation/vuln/v1';
const MAX_ATTACHED_SOURCES = 20;

/** Whether an attachment is (or may hold) a vulnerability report, from what the listing says about it. */
export function isReportAttachment(a: Attachment): boolean {
  if (a.predicateType?.replace(/\/+$/, '') === VULN_PREDICATE) return true;
  if (a.kind === 'other' && (a.subtype === 'sarif' || a.subtype === 'trivy')) return true;
  const type = (a.artifactType ?? a.layer?.mediaType ?? '').toLowerCase();
  return type.startsWith('application/vnd.security.vulnerability.report');
}

/**
 * Whether an item of a badge listing is, or may be, a vulnerability report: a cosign `.att` tag counted without being
 * read (its layers, and so their predicate types, are unknown) may hold a vulnerability attestation
 * (`cosign attest --type vuln` adds it to that tag), so Show Scan Summary is offered and the full listing decides.
 */
export function mayHoldReport(a: Attachment): boolean {
  return isReportAttachment(a) || (a.source === 'cosign-tag' && a.kind === 'attestation' && !a.digest && !a.predicateType);
}

const sourceId = (a: Attachment) => `attached:${a.digest}${a.layer ? `#${a.layer.index}` : ''}`;

export interface TagScanSources {
  sources: ScanSourceRef[];
  attached: Map<string, Attachment>;
  digest?: string;
  /** Why the attached reports could not be listed (shown in the panel), when they could not. */
  note?: string;
}

/** Lists the sources of `repository:tag` (the registry's scanner first). Throws when there is none at all. */
export async function scanSourcesOf(provider: RegistryProvider, registryName: string, repository: string, tag: string, signal?: AbortSignal): Promise<TagScanSources> {
  const out: TagScanSources = { sources: [], attached: new Map() };
  if (provider.capabilities.scanSummary && provider.getScanReport) out.sources.push({ id: REGISTRY_SOURCE, label: t('Registry scanner') });
  if (provider.listAttachments && provider.getTagDetails && provider.getAttachedReport) {
    try {
      const details = await provider.getTagDetails(repository, tag, signal);
      out.digest = details.digest;
      const list = await provider.listAttachments(repository, details.digest, { signal });
      for (const a of list.items.filter(isReportAttachment).slice(0, MAX_ATTACHED_SOURCES)) {
        const id = sourceId(a);
        out.attached.set(id, a);
        out.sources.push({ id, label: t('Attached {0}', a.label), ...(a.created ? { producedAt: a.created } : {}) });
      }
    } catch (e) {
      if (!out.sources.length) throw e;
      // A registry that cannot list attachments for this image (no Distribution API, no such manifest) is no news
      // next to its own scanner; anything else is said with the report.
      if (!isRegistryError(e) || (e.kind !== 'unsupported' && e.kind !== 'notFound' && e.kind !== 'cancelled')) {
        out.note = t('Attached reports could not be listed: {0}', isRegistryError(e) ? e.message : String(e).slice(0, 200));
      }
    }
  }
  if (!out.sources.length) throw new UnsupportedError(t('{0} reports no vulnerability scan for {1}:{2}, and no vulnerability report is attached to it', registryName, repository, tag));
  return out;
}

/** The report of one source (`platform` applies to the registry's scanner). */
export async function loadScanSource(provider: RegistryProvider, repository: string, tag: string, found: TagScanSources, id: string, signal?: AbortSignal, platform?: string): Promise<ScanReport> {
  const ref = found.sources.find((s) => s.id === id);
  if (!ref) throw new NotFoundError(t('{0} is not a scan source of {1}:{2}', id.slice(0, 100), repository, tag));
  let report: ScanReport;
  if (id === REGISTRY_SOURCE) {
    report = await provider.getScanReport!(repository, tag, signal, platform);
    report.source = { ...ref, label: report.scanner ? t('Registry scanner ({0})', report.scanner) : ref.label, ...(report.scannedAt ? { producedAt: report.scannedAt } : {}) };
  } else {
    const attachment = found.attached.get(id)!;
    const target = { repository, reference: tag, ...(found.digest ? { digest: found.digest } : {}) };
    const parsed = await provider.getAttachedReport!(repository, attachment, target, signal);
    report = parsed.report;
    const producedAt = report.scannedAt ?? ref.producedAt;
    report.source = { id, label: t('Attached {0}', parsed.label), ...(producedAt ? { producedAt } : {}) };
  }
  report.sources = found.sources.map((s) => (s.id === id ? report.source! : s));
  if (found.note) report.message = report.message ? `${report.message}. ${found.note}` : found.note;
  return report;
}
