/**
 * What is attached to an image: signatures, SBOMs, attestations and other artifacts that refer to a manifest digest,
 * found through the OCI referrers API (`GET /v2/<name>/referrers/<digest>`), the referrers tag schema
 * (`sha256-<hex>`) or cosign's tags (`sha256-<hex>.sig|.att|.sbom`). Kind-independent types: the Distribution
 * library fills them, the tree and the panels show them.
 */
import type { CertificateIdentity, InTotoStatement, Provenance, SimpleSigning } from './distribution/attestation';
import type { SbomDocument } from './distribution/sbom';
import { t } from './l10n';

export type AttachmentKind = 'signature' | 'sbom' | 'attestation' | 'other';

/** How an attachment was found. */
export type AttachmentSource = 'referrers' | 'referrers-tag' | 'cosign-tag';

/** One layer of a cosign tag's manifest: cosign keeps one signature, attestation or SBOM per layer. */
export interface AttachmentLayer {
  index: number;
  digest: string;
  mediaType: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface Attachment {
  kind: AttachmentKind;
  /**
   * What exactly: `cosign` / `notation` / `sigstore-bundle` for signatures, `spdx` / `cyclonedx` / `syft` for SBOMs,
   * the in-toto predicate type for attestations (when the registry says it), `sarif` / `trivy` for reports.
   */
  subtype?: string;
  /** The in-toto predicate type, when the descriptor or layer names it. */
  predicateType?: string;
  /** Short English label ("cosign signature", "SPDX SBOM", "SLSA provenance v1"). */
  label: string;
  /** The artifact type the registry reported (or the manifest's config media type, per the referrers API). */
  artifactType?: string;
  /** Media type of the referring manifest. */
  mediaType: string;
  /** Digest of the referring manifest. */
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  /** `org.opencontainers.image.created` of the artifact, when given. */
  created?: string;
  source: AttachmentSource;
  /** The tag it was found under (tag schema or cosign). */
  tag?: string;
  /** For cosign tags: the layer that holds this item. */
  layer?: AttachmentLayer;
}

export interface AttachmentList {
  /** The digest the attachments refer to. */
  subject: string;
  items: Attachment[];
  /** Attachments found but not listed (over the cap); with `moreUnknown`, at least this many. */
  more: number;
  /** True when the registry had further pages that were not read. */
  moreUnknown: boolean;
  /** `referrers` when the registry answered the referrers API; `tag-schema` when it has none. */
  discovery: 'referrers' | 'tag-schema';
  /** Problems met that did not stop the listing (a malformed fallback index, a cosign tag that could not be read). */
  notes: string[];
}

export interface AttachmentListOptions {
  signal?: AbortSignal;
  /** Only artifacts of this type (sent to the registry as `artifactType`; applied locally when it does not filter). */
  artifactType?: string;
  /**
   * The repository's tags as already listed (the tree's tag list): cosign's tags are then looked up in it instead of
   * asked for, and one present is counted without reading it (its item has no digest; list again for the content).
   * A tree badge costs one referrers call this way.
   */
  knownTags?: ReadonlySet<string>;
  /** Referrers pages to read (default MAX_REFERRER_PAGES). */
  maxPages?: number;
}

/** One blob of an attachment, read within the content limit and checked against its digest. */
export interface AttachmentBlob {
  digest: string;
  mediaType: string;
  size: number;
  annotations?: Record<string, string>;
  body: Buffer;
}

/** An attachment's manifest and the blob(s) that hold its content. */
export interface AttachmentContent {
  attachment: Attachment;
  /** The referring manifest's `subject` digest, when it has one. */
  subject?: string;
  artifactType?: string;
  annotations?: Record<string, string>;
  /** The layer(s) read: the cosign layer of a cosign-tag item, else the manifest's layers (at most a few). */
  blobs: AttachmentBlob[];
  /** Layers left unread (more than the cap). */
  skippedLayers: number;
  /** What the attachment panel shows (package table, provenance, signature payload, raw text). */
  view: AttachmentView;
}

// ---- what the attachment panel shows (built by distribution/attachmentView.ts) ----------------------------------

/**
 * The result of checking a signature, filled by signature verification (a key the user gives) — never guessed:
 * `unchecked` until someone checks.
 */
export interface SignatureVerification {
  status: 'verified' | 'mismatch' | 'not-verified-offline' | 'unchecked';
  /** "verified by key SHA256:…", "signature does not match", the certificate identity of a keyless signature. */
  detail: string;
}

export interface SignatureView {
  type: 'signature';
  scheme: string;
  payload?: SimpleSigning;
  /** The base64 signature, shortened for display. */
  signature?: string;
  certificate?: CertificateIdentity;
  /** True when a certificate is attached (keyless signing): it cannot be verified offline. */
  keyless: boolean;
  verification: SignatureVerification;
  payloadText?: string;
}

export type AttachmentBody =
  | { type: 'sbom'; sbom: SbomDocument; viaAttestation: boolean }
  | { type: 'provenance'; predicateType: string; provenance: Provenance; subject: InTotoStatement['subject'] }
  | { type: 'attestation'; predicateType: string; subject: InTotoStatement['subject']; predicate: string }
  | SignatureView
  | { type: 'raw'; mediaType: string; text?: string };

export interface AttachmentView {
  kind: AttachmentKind;
  label: string;
  digest: string;
  artifactType?: string;
  mediaType: string;
  source: string;
  tag?: string;
  created?: string;
  subject?: string;
  annotations: [string, string][];
  body: AttachmentBody;
  /** Problems reading the content (shown above the body, which then is `raw`). */
  notes: string[];
}

/** Tree badge text for a list: "signed · SBOM · 2 attestations"; empty when nothing is attached. */
export function attachmentBadge(list: Pick<AttachmentList, 'items' | 'more' | 'moreUnknown'>): string {
  const count = (k: AttachmentKind): number => list.items.filter((a) => a.kind === k).length;
  const parts: string[] = [];
  if (count('signature')) parts.push(t('signed'));
  const sboms = count('sbom');
  if (sboms) parts.push(sboms === 1 ? t('SBOM') : t('{0} SBOMs', sboms));
  const att = count('attestation');
  if (att) parts.push(att === 1 ? t('1 attestation') : t('{0} attestations', att));
  const other = count('other');
  if (other) parts.push(other === 1 ? t('1 artifact') : t('{0} artifacts', other));
  if (list.more > 0 || list.moreUnknown) parts.push(list.moreUnknown ? t('{0}+ more', list.more) : t('{0} more', list.more));
  return parts.join(' · ');
}
