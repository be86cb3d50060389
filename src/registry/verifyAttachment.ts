import type { Attachment, AttachmentContent } from './attachments';
import type { LayerVerification } from './verifyResult';
import { describeKeyless, keylessText, type KeylessInfo } from './keyless';
import { t } from './l10n';
import type { RegistryProvider } from './provider';
export type { LayerVerification } from './verifyResult';
import { DSSE_MEDIA_TYPE, SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE, verdictText, verifyDsse, verifySimpleSigning, type Verdict, type VerificationKey } from './verify';

/**
 * Verifies what is attached to an image: each cosign signature layer (simple signing) and each DSSE attestation layer
 * of the given attachments, with the user's key, against the image digest. A layer carrying a Fulcio certificate is
 * also described (identity, issuer) and marked not verified offline. One line per layer, never a guess.
 */


export function isVerifiable(a: Attachment): boolean {
  return (a.kind === 'signature' && (a.subtype === 'cosign' || a.layer?.mediaType === SIMPLE_SIGNING_MEDIA_TYPE)) || a.kind === 'attestation' || (a.kind === 'sbom' && !!a.predicateType);
}

function verifyContent(content: AttachmentContent, key: VerificationKey, imageDigest: string): LayerVerification[] {
  const out: LayerVerification[] = [];
  for (const blob of content.blobs) {
    const annotations = blob.annotations ?? {};
    let verdict: Verdict | undefined;
    if (blob.mediaType === SIMPLE_SIGNING_MEDIA_TYPE) {
      const signature = annotations[SIGNATURE_ANNOTATION];
      verdict = signature ? verifySimpleSigning(key, { payload: blob.body, signature, manifestDigest: imageDigest, layerDigest: blob.digest }) : { status: 'malformed', reason: t('the layer carries no {0} annotation', SIGNATURE_ANNOTATION) };
    } else if (blob.mediaType === DSSE_MEDIA_TYPE || blob.mediaType.startsWith('application/vnd.in-toto')) {
      verdict = verifyDsse(key, blob.body, imageDigest);
    }
    let keyless: KeylessInfo | undefined;
    try {
      keyless = describeKeyless(annotations, blob.mediaType === SIMPLE_SIGNING_MEDIA_TYPE ? blob.body : undefined);
    } catch (e) {
      out.push({ attachment: content.attachment, layerDigest: blob.digest, ...(verdict ? { verdict } : {}), text: `${verdict ? verdictText(verdict) + '; ' : ''}${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    if (!verdict && !keyless) continue;
    const lines = [verdict && verdictText(verdict), keyless && keylessText(keyless)].filter(Boolean);
    out.push({ attachment: content.attachment, layerDigest: blob.digest, ...(verdict ? { verdict } : {}), ...(keyless ? { keyless } : {}), text: lines.join('; ') });
  }
  return out;
}

/** Reads each attachment's content (bounded by the provider) and verifies its signature layers with `key`. */
export async function verifyAttachments(provider: RegistryProvider, repository: string, imageDigest: string, attachments: readonly Attachment[], key: VerificationKey, signal?: AbortSignal): Promise<LayerVerification[]> {
  if (!provider.getAttachmentContent) throw new Error(t('This registry cannot read attached artifacts'));
  const out: LayerVerification[] = [];
  for (const a of attachments.filter(isVerifiable).slice(0, 50)) {
    const content = await provider.getAttachmentContent(repository, a, signal);
    out.push(...verifyContent(content, key, imageDigest));
  }
  return out;
}
