import type { AttachmentKind } from '../registry/attachments';
import type { RestoreState } from './protocol';

/** Which attachment a panel shows: found again by digest (and cosign layer) among what refers to `subject`. */
export interface AttachmentTarget {
  registryName: string;
  repository: string;
  /** The tag it was opened from (offers the platforms of an index). */
  tag?: string;
  subject: string;
  /** The attachment's manifest digest; empty: the first attachment of `kind` (after switching platform). */
  digest: string;
  layer?: number;
  kind: AttachmentKind;
  platform?: string;
}

export function parseAttachmentRestore(s: RestoreState | undefined): AttachmentTarget | undefined {
  if (!s || typeof s.registryName !== 'string' || typeof s.repository !== 'string' || typeof s.subject !== 'string' || typeof s.digest !== 'string') return undefined;
  const kind = s.kind === 'signature' || s.kind === 'sbom' || s.kind === 'attestation' ? s.kind : 'other';
  return {
    registryName: s.registryName,
    repository: s.repository,
    subject: s.subject,
    digest: s.digest,
    kind,
    ...(typeof s.tag === 'string' ? { tag: s.tag } : {}),
    ...(typeof s.layer === 'number' ? { layer: s.layer } : {}),
    ...(typeof s.platform === 'string' ? { platform: s.platform } : {}),
  };
}

/**
 * What the panel keeps to come back after a reload: the target's fields that are set. A field left undefined (the
 * layer of a referrer, which has no cosign layer; the platform of a single-platform image) is left out, since the
 * page accepts only strings, numbers and booleans.
 */
export function attachmentRestore(t: AttachmentTarget): RestoreState {
  const out: RestoreState = {};
  for (const [k, v] of Object.entries(t)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}
