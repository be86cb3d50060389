/**
 * What the attachment panel shows for one attachment's content: an SBOM's package table, a provenance's builder,
 * source and parameters, a signature's payload and identity, or the raw text of anything else. Plain data (it is
 * posted to the webview as is); registry-supplied strings are bounded here and escaped by the webview.
 */
import type { AttachmentBody, AttachmentContent, AttachmentView, SignatureView } from '../attachments';
import { certificateIdentity, parseDsse, parseSimpleSigning, parseStatement, readProvenance, type InTotoStatement } from './attestation';
import { obj, parseBoundedJson } from './boundedJson';
import { isRegistryError } from '../errors';
import { parseSbom } from './sbom';

const RAW_LIMIT = 64 * 1024;

const SIG_ANNOTATION = 'dev.cosignproject.cosign/signature';
const CERT_ANNOTATIONS = ['dev.sigstore.cosign/certificate', 'dev.cosignproject.cosign/certificate'];

function annotationsOf(...sets: (Record<string, string> | undefined)[]): [string, string][] {
  const out: [string, string][] = [];
  for (const s of sets) for (const [k, v] of Object.entries(s ?? {})) if (out.length < 100) out.push([k.slice(0, 200), v.slice(0, 2000)]);
  return out;
}

/** The statement in a blob: a DSSE envelope's payload, or a bare in-toto statement (as buildx stores them). */
function statementOf(text: string, what: string): InTotoStatement {
  const json = obj(parseBoundedJson(text, what));
  if (json && typeof json.payloadType === 'string') {
    const env = parseDsse(text, what);
    return parseStatement(env.payload.toString('utf8'), `${what} (DSSE payload)`);
  }
  return parseStatement(text, what);
}

function signatureView(content: Omit<AttachmentContent, 'view'>, text: string | undefined, annotations: Record<string, string> | undefined): SignatureView {
  const scheme = content.attachment.subtype ?? 'signature';
  const certPem = CERT_ANNOTATIONS.map((k) => annotations?.[k]).find(Boolean);
  const certificate = certificateIdentity(certPem);
  const sig = annotations?.[SIG_ANNOTATION];
  const view: SignatureView = {
    type: 'signature',
    scheme,
    signature: sig ? (sig.length > 120 ? `${sig.slice(0, 120)}…` : sig) : undefined,
    certificate,
    keyless: !!certPem,
    verification: certPem
      ? { status: 'not-verified-offline', detail: `Keyless signature${certificate?.subjectAltName ? ` issued to ${certificate.subjectAltName}` : ''}: not verified offline` }
      : { status: 'unchecked', detail: 'Not verified' },
  };
  if (text !== undefined && scheme === 'cosign') {
    view.payload = parseSimpleSigning(text, 'The signature payload');
    view.payloadText = text.slice(0, RAW_LIMIT);
  }
  return view;
}

function bodyOf(content: Omit<AttachmentContent, 'view'>): AttachmentBody {
  const a = content.attachment;
  const blob = content.blobs[0];
  const text = blob?.body.toString('utf8');
  const what = `The ${a.label}`;
  if (a.kind === 'signature') return signatureView(content, text, blob?.annotations);
  if (!blob || text === undefined) return { type: 'raw', mediaType: a.mediaType };
  const mt = blob.mediaType.toLowerCase();
  const enveloped = mt.includes('dsse') || mt.includes('in-toto') || a.source === 'cosign-tag' && a.kind === 'attestation';
  if (a.kind === 'sbom') {
    if (enveloped) {
      const st = statementOf(text, what);
      return { type: 'sbom', sbom: parseSbom(st.predicate, what), viaAttestation: true };
    }
    return { type: 'sbom', sbom: parseSbom(text, what), viaAttestation: false };
  }
  if (a.kind === 'attestation') {
    const st = statementOf(text, what);
    const provenance = readProvenance(st.predicateType, st.predicate);
    if (provenance) return { type: 'provenance', predicateType: st.predicateType, provenance, subject: st.subject };
    const predicate = JSON.stringify(st.predicate ?? null, null, 2) ?? 'null';
    return { type: 'attestation', predicateType: st.predicateType, subject: st.subject, predicate: predicate.length > RAW_LIMIT ? `${predicate.slice(0, RAW_LIMIT)}\n…` : predicate };
  }
  return { type: 'raw', mediaType: blob.mediaType, text: text.length > RAW_LIMIT ? `${text.slice(0, RAW_LIMIT)}\n…` : text };
}

/** Builds the panel's view of an attachment; unreadable content becomes a note and the raw text. */
export function attachmentView(content: Omit<AttachmentContent, 'view'>): AttachmentView {
  const a = content.attachment;
  const notes: string[] = [];
  if (content.skippedLayers) notes.push(`${content.skippedLayers} more layers were not read`);
  let body: AttachmentBody;
  try {
    body = bodyOf(content);
  } catch (e) {
    if (!isRegistryError(e)) throw e;
    notes.push(e.message);
    const blob = content.blobs[0];
    const text = blob?.body.toString('utf8');
    body = { type: 'raw', mediaType: blob?.mediaType ?? a.mediaType, text: text && text.length > RAW_LIMIT ? `${text.slice(0, RAW_LIMIT)}\n…` : text };
  }
  return {
    kind: a.kind,
    label: a.label,
    digest: a.digest,
    artifactType: content.artifactType ?? a.artifactType,
    mediaType: a.mediaType,
    source: a.source,
    tag: a.tag,
    created: a.created,
    subject: content.subject,
    annotations: annotationsOf(content.annotations, a.layer?.annotations).filter(([k]) => k !== SIG_ANNOTATION && !CERT_ANNOTATIONS.includes(k)),
    body,
    notes,
  };
}
