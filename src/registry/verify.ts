import * as crypto from 'node:crypto';
import { isVerifiableDigest, sha256Digest } from './digest';
import { decodeBase64 as decodeB64 } from './base64';
import { t } from './l10n';

/**
 * Offline verification of cosign signatures and DSSE attestations with a public key the user gives (cosign's
 * SIGNATURE_SPEC and ATTESTATION_SPEC). The outcome is one of: verified by the key, the signature does not match,
 * the payload names another digest, or the input is malformed — never a guess. Keyless (certificate) signatures are
 * described by src/registry/keyless.ts and are not verified here.
 */

export type KeyType = 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'rsa' | 'rsa-pss' | 'ed25519';

export interface VerificationKey {
  key: crypto.KeyObject;
  type: KeyType;
  /** `sha256:` + hex SHA-256 of the key's SubjectPublicKeyInfo (DER): the same for the key in any encoding. */
  fingerprint: string;
}

/** A key the user gave could not be used; the message never quotes the key text. */
export class KeyError extends Error {}

/** cosign's simple-signing payload media type and its signature annotation (SIGNATURE_SPEC). */
export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

const MAX_KEY_CHARS = 64 * 1024;
const MAX_PAYLOAD_BYTES = 1024 * 1024;
const MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;
const MAX_DSSE_SIGNATURES = 32;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * A PEM pasted into a one-line input arrives with its line breaks turned into spaces (or none): the base64 between
 * the markers is put back on lines of 64 characters. Text that already has line breaks is left as it is.
 */
export function rewrapPem(text: string): string {
  if (/\n/.test(text.trim())) return text;
  return text.replace(/-----BEGIN ([A-Z0-9 ]+)-----\s*([A-Za-z0-9+/=\s]*?)\s*-----END \1-----/g, (_m, label: string, body: string) => {
    const b64 = body.replace(/\s+/g, '');
    return `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
  });
}

/** Parses one PEM public key (SPKI `PUBLIC KEY`, `RSA PUBLIC KEY`, or the key of a `CERTIFICATE`). */
export function parsePublicKey(pem: string): VerificationKey {
  if (typeof pem !== 'string' || !pem.trim()) throw new KeyError(t('No public key was given'));
  if (pem.length > MAX_KEY_CHARS) throw new KeyError(t('The key text is too long to be a public key'));
  const blocks = [...rewrapPem(pem).matchAll(PEM_BLOCK)];
  if (blocks.some((b) => b[1]!.includes('PRIVATE KEY'))) throw new KeyError(t('This is a private key; give the public key (cosign.pub) instead'));
  if (!blocks.length) throw new KeyError(t('The text is not a PEM public key (-----BEGIN PUBLIC KEY-----)'));
  if (blocks.length > 1) throw new KeyError(t('The text holds {0} PEM blocks; give one public key', blocks.length));
  const [block, label] = [blocks[0]![0], blocks[0]![1]!];
  let key: crypto.KeyObject;
  try {
    key = label === 'CERTIFICATE' ? new crypto.X509Certificate(block).publicKey : crypto.createPublicKey({ key: block, format: 'pem' });
  } catch {
    throw new KeyError(t('The PEM block "{0}" is not a readable public key', label.slice(0, 40)));
  }
  const type = keyTypeOf(key);
  const der = key.export({ type: 'spki', format: 'der' });
  return { key, type, fingerprint: 'sha256:' + crypto.createHash('sha256').update(der).digest('hex') };
}

function keyTypeOf(key: crypto.KeyObject): KeyType {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec':
      if (details.namedCurve === 'prime256v1') return 'ecdsa-p256';
      if (details.namedCurve === 'secp384r1') return 'ecdsa-p384';
      if (details.namedCurve === 'secp521r1') return 'ecdsa-p521';
      throw new KeyError(t('ECDSA keys on the curve {0} are not supported (P-256, P-384, P-521 are)', String(details.namedCurve ?? 'unknown')));
    case 'rsa':
      if ((details.modulusLength ?? 0) < 2048) throw new KeyError(t('RSA keys shorter than 2048 bits are not accepted'));
      return 'rsa';
    case 'rsa-pss':
      if ((details.modulusLength ?? 0) < 2048) throw new KeyError(t('RSA keys shorter than 2048 bits are not accepted'));
      return 'rsa-pss';
    case 'ed25519':
      return 'ed25519';
    default:
      throw new KeyError(t('{0} keys are not supported (ECDSA, RSA and Ed25519 are)', String(key.asymmetricKeyType ?? 'Unknown')));
  }
}

/**
 * Checks `signature` over `data` with the key. ECDSA: the curve's hash (SHA-256 / 384 / 512), then SHA-256 (what
 * cosign uses for every key by default); DER or IEEE P1363 signatures. RSA: SHA-256 with PKCS#1 v1.5, then PSS.
 * Returns the scheme that matched, or undefined.
 */
export function verifyBytes(k: VerificationKey, data: Uint8Array, signature: Uint8Array): string | undefined {
  const attempts: Array<{ scheme: string; hash: string | null; opts: Omit<crypto.VerifyKeyObjectInput, 'key'> }> = [];
  const ecdsa = (hash: string) => {
    attempts.push({ scheme: `ECDSA ${hash.toUpperCase()}`, hash, opts: { dsaEncoding: 'der' } });
    attempts.push({ scheme: `ECDSA ${hash.toUpperCase()}`, hash, opts: { dsaEncoding: 'ieee-p1363' } });
  };
  const pss = { padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_AUTO };
  switch (k.type) {
    case 'ecdsa-p256':
      ecdsa('sha256');
      break;
    case 'ecdsa-p384':
      ecdsa('sha384');
      ecdsa('sha256');
      break;
    case 'ecdsa-p521':
      ecdsa('sha512');
      ecdsa('sha256');
      break;
    case 'rsa':
      attempts.push({ scheme: 'RSA PKCS#1 v1.5 SHA-256', hash: 'sha256', opts: { padding: crypto.constants.RSA_PKCS1_PADDING } });
      attempts.push({ scheme: 'RSA-PSS SHA-256', hash: 'sha256', opts: pss });
      break;
    case 'rsa-pss':
      attempts.push({ scheme: 'RSA-PSS SHA-256', hash: 'sha256', opts: pss });
      break;
    case 'ed25519':
      attempts.push({ scheme: 'Ed25519', hash: null, opts: {} });
      break;
  }
  for (const a of attempts) {
    try {
      if (crypto.verify(a.hash, data, { key: k.key, ...a.opts }, signature)) return a.scheme;
    } catch {
      // A signature that does not even parse for this scheme is a non-match for it.
    }
  }
  return undefined;
}

export type Verdict =
  | { status: 'verified'; fingerprint: string; scheme: string; digest: string; predicateType?: string }
  | { status: 'mismatch'; fingerprint: string }
  | { status: 'wrongDigest'; fingerprint: string; scheme: string; digest: string; signedDigests: string[] }
  | { status: 'malformed'; reason: string };

/** Strict base64 of a signature (at most 16 Ki characters); undefined when it is not. */
export function decodeBase64(s: string, max = 16 * 1024): Buffer | undefined {
  return decodeB64(s, max);
}

function malformed(reason: string): Verdict {
  return { status: 'malformed', reason };
}

/** Value of `key` in `obj`, matched without case (cosign's Go decoder matches JSON keys that way). */
function field(obj: unknown, key: string): unknown {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const hits = Object.entries(obj).filter(([k]) => k.toLowerCase() === key.toLowerCase());
  if (hits.length > 1) throw new Error(t('the payload names "{0}" more than once', key));
  return hits[0]?.[1];
}

/**
 * Verifies a cosign simple-signing signature: `signature` (the `dev.cosignproject.cosign/signature` annotation,
 * base64) over the payload bytes, then the payload's `critical.image.docker-manifest-digest` against
 * `manifestDigest`. `layerDigest`, when given, is the descriptor's digest the payload must match.
 */
export function verifySimpleSigning(k: VerificationKey, input: { payload: Uint8Array; signature: string; manifestDigest: string; layerDigest?: string }): Verdict {
  if (!isVerifiableDigest(input.manifestDigest)) return malformed(t('the image digest {0} is not a sha256 or sha512 digest', input.manifestDigest.slice(0, 80)));
  if (input.payload.length > MAX_PAYLOAD_BYTES) return malformed(t('the signed payload is larger than {0} bytes', MAX_PAYLOAD_BYTES));
  if (input.layerDigest !== undefined && sha256Digest(input.payload) !== input.layerDigest) return malformed(t('the payload does not match the digest of its layer'));
  const sig = decodeBase64(input.signature ?? '');
  if (!sig) return malformed(t('the signature annotation is not base64'));
  const scheme = verifyBytes(k, input.payload, sig);
  if (!scheme) return { status: 'mismatch', fingerprint: k.fingerprint };
  let signed: unknown;
  try {
    const doc: unknown = JSON.parse(Buffer.from(input.payload).toString('utf8'));
    const critical = field(doc, 'critical');
    const type = field(critical, 'type');
    if (type !== COSIGN_SIGNATURE_TYPE) return malformed(t('the payload is not a cosign container image signature (critical.type is {0})', JSON.stringify(type ?? null).slice(0, 80)));
    signed = field(field(critical, 'image'), 'docker-manifest-digest');
  } catch (e) {
    return malformed(t('the signed payload is not a simple-signing document: {0}', e instanceof Error ? e.message.slice(0, 120) : 'unreadable'));
  }
  if (typeof signed !== 'string' || !signed) return malformed(t('the payload names no critical.image.docker-manifest-digest'));
  if (signed !== input.manifestDigest) return { status: 'wrongDigest', fingerprint: k.fingerprint, scheme, digest: input.manifestDigest, signedDigests: [signed.slice(0, 140)] };
  return { status: 'verified', fingerprint: k.fingerprint, scheme, digest: input.manifestDigest };
}

/** DSSE's pre-authentication encoding: `DSSEv1 <len> <type> <len> <body>` (lengths in bytes). */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

/**
 * Verifies a DSSE envelope (an attestation layer): one of its signatures over PAE(payloadType, payload) with the
 * key, then an in-toto statement whose `subject` names `manifestDigest`.
 */
export function verifyDsse(k: VerificationKey, envelopeBytes: Uint8Array | string, manifestDigest: string): Verdict {
  if (!isVerifiableDigest(manifestDigest)) return malformed(t('the image digest {0} is not a sha256 or sha512 digest', manifestDigest.slice(0, 80)));
  const text = typeof envelopeBytes === 'string' ? envelopeBytes : Buffer.from(envelopeBytes).toString('utf8');
  if (text.length > MAX_ENVELOPE_BYTES) return malformed(t('the envelope is larger than {0} bytes', MAX_ENVELOPE_BYTES));
  let env: unknown;
  try {
    env = JSON.parse(text);
  } catch {
    return malformed(t('the envelope is not JSON'));
  }
  const e = env as { payloadType?: unknown; payload?: unknown; signatures?: unknown };
  if (!env || typeof env !== 'object' || typeof e.payloadType !== 'string' || typeof e.payload !== 'string' || !Array.isArray(e.signatures)) {
    return malformed(t('the envelope lacks payloadType, payload or signatures'));
  }
  if (!e.signatures.length) return malformed(t('the envelope carries no signature'));
  if (e.signatures.length > MAX_DSSE_SIGNATURES) return malformed(t('the envelope carries more than {0} signatures', MAX_DSSE_SIGNATURES));
  const body = e.payload === '' ? Buffer.alloc(0) : decodeBase64(e.payload, MAX_ENVELOPE_BYTES);
  if (!body) return malformed(t('the envelope payload is not base64'));
  const message = pae(e.payloadType, body);
  let scheme: string | undefined;
  for (const s of e.signatures as unknown[]) {
    const raw = s && typeof s === 'object' ? (s as { sig?: unknown }).sig : undefined;
    const sig = typeof raw === 'string' ? decodeBase64(raw) : undefined;
    if (sig) scheme ??= verifyBytes(k, message, sig);
  }
  if (!scheme) return { status: 'mismatch', fingerprint: k.fingerprint };
  let statement: { subject?: unknown; predicateType?: unknown };
  try {
    statement = JSON.parse(body.toString('utf8')) as typeof statement;
  } catch {
    return malformed(t('the signed statement is not JSON'));
  }
  if (!statement || typeof statement !== 'object' || !Array.isArray(statement.subject)) return malformed(t('the signed statement has no subject list'));
  const [alg, hex] = [manifestDigest.slice(0, manifestDigest.indexOf(':')), manifestDigest.slice(manifestDigest.indexOf(':') + 1)];
  const signedDigests: string[] = [];
  for (const s of statement.subject.slice(0, 1000) as unknown[]) {
    const d = s && typeof s === 'object' ? (s as { digest?: unknown }).digest : undefined;
    if (!d || typeof d !== 'object') continue;
    for (const [a, v] of Object.entries(d)) if (typeof v === 'string') signedDigests.push(`${a}:${v}`.slice(0, 140));
  }
  const predicateType = typeof statement.predicateType === 'string' ? statement.predicateType.slice(0, 200) : undefined;
  if (!signedDigests.includes(`${alg}:${hex}`)) return { status: 'wrongDigest', fingerprint: k.fingerprint, scheme, digest: manifestDigest, signedDigests: signedDigests.slice(0, 10) };
  return { status: 'verified', fingerprint: k.fingerprint, scheme, digest: manifestDigest, ...(predicateType ? { predicateType } : {}) };
}

/** The one line a verdict is shown as. */
export function verdictText(v: Verdict): string {
  switch (v.status) {
    case 'verified':
      return t('Verified by key {0} ({1})', v.fingerprint, v.scheme);
    case 'mismatch':
      return t('Signature does not match key {0}', v.fingerprint);
    case 'wrongDigest':
      return t('Payload is for another digest: it names {0}, not {1} (signature by key {2})', v.signedDigests.join(', ') || t('none'), v.digest, v.fingerprint);
    case 'malformed':
      return t('Cannot verify: {0}', v.reason);
  }
}
