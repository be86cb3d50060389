import type { SignatureVerification } from '../registry/attachments';
import type { SignatureVerifier } from '../webviews/attachmentPanel';

/**
 * The public key the user gave to Verify Signature… in this window, kept in memory only (never in settings or
 * storage), so the attachment panel can check the signatures it shows with it. Until one is given, the panel shows
 * them as not verified.
 */
let trustedPem: string | undefined;

export function trustKeyForSession(pem: string | undefined): void {
  trustedPem = pem;
}

/** The attachment panel's verifier: the signature layer it shows, checked with the session's key in the provider's bundle. */
export const sessionSignatureVerifier: SignatureVerifier = async (_view, content, signal, where) => {
  if (!trustedPem || !where?.provider.verifyAttachments) return undefined;
  let lines;
  try {
    lines = await where.provider.verifyAttachments(where.repository, where.subject, [content.attachment], trustedPem, signal);
  } catch (e) {
    // The panel still shows the signature; the check is said to have failed, never guessed.
    return { status: 'unchecked', detail: e instanceof Error ? e.message : String(e) };
  }
  const line = lines.find((l) => content.blobs.some((b) => b.digest === l.layerDigest)) ?? lines[0];
  if (!line) return undefined;
  const status = line.verdict?.status;
  let out: SignatureVerification;
  if (status === 'verified') out = { status: 'verified', detail: line.text };
  else if (line.keyless) out = { status: 'not-verified-offline', detail: line.text };
  else if (status === 'mismatch' || status === 'wrongDigest') out = { status: 'mismatch', detail: line.text };
  else out = { status: 'unchecked', detail: line.text };
  return out;
};
