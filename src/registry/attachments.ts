/**
 * What is attached to an image: signatures, SBOMs, attestations and other artifacts that refer to a manifest digest,
 * found through the OCI referrers API (`GET /v2/<name>/referrers/<digest>`), the referrers tag schema
 * (`sha256-<hex>`) or cosign's tags (`sha256-<hex>.sig|.att|.sbom`). Kind-independent types: the Distribution
 * library fills them, the tree and the panels show them.
 */
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
