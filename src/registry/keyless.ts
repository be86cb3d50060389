import * as crypto from 'node:crypto';
import { DER, DerError, children, oidText, readElement, type DerNode } from './der';
import { t } from './l10n';
import { decodeBase64, verifyBytes, type VerificationKey } from './verify';

/**
 * Keyless (Fulcio / Rekor) cosign signatures, described — not verified. The certificate's identity (SAN e-mail or
 * URI) and the OIDC issuer Fulcio recorded (extension 1.3.6.1.4.1.57264.1.8, or the older .1.1) are read from the
 * certificate; the Rekor bundle's log index and time from the bundle. Checking the certificate chain up to Fulcio's
 * root and the Rekor entry needs Sigstore's trust root, which is not available offline: the result says so.
 */

/** Annotation keys (cosign writes `dev.sigstore.cosign/…`; its spec text also names `dev.cosignproject.cosign/…`). */
export const CERTIFICATE_ANNOTATIONS = ['dev.sigstore.cosign/certificate', 'dev.cosignproject.cosign/certificate'] as const;
export const CHAIN_ANNOTATIONS = ['dev.sigstore.cosign/chain', 'dev.cosignproject.cosign/chain'] as const;
export const BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';

const OID = {
  subjectAltName: '2.5.29.17',
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  issuerV2: '1.3.6.1.4.1.57264.1.8',
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
} as const;

export interface KeylessInfo {
  /** SAN e-mail addresses and URIs (the signer's identity). */
  identities: string[];
  /** The OIDC issuer that vouched for the identity. */
  issuer?: string;
  /** Build facts Fulcio recorded (workflow, repository, commit, ref), when present. */
  details: Record<string, string>;
  notBefore?: string;
  notAfter?: string;
  /** The Rekor bundle's facts, when the signature carries one. */
  rekor?: { logIndex?: number; integratedTime?: string; logId?: string };
  /** True when the signature matches the certificate's own key (that alone proves nothing about who holds it). */
  signatureMatchesCertificateKey?: boolean;
  /** Always "not verified offline": the chain to Fulcio's root and the Rekor entry are not checked. */
  verification: 'notVerifiedOffline';
}

const MAX_CERT_CHARS = 64 * 1024;
const MAX_VALUE_CHARS = 512;

function clip(s: string): string {
  // Certificate text is untrusted: one line, bounded.
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, MAX_VALUE_CHARS);
}

function stringValue(n: DerNode): string {
  return clip(Buffer.from(n.body).toString('utf8'));
}

/** The extensions of a DER certificate, by OID (the contents of each extnValue OCTET STRING). */
function extensions(der: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const cert = readElement(der).node;
  if (cert.tag !== DER.SEQUENCE) throw new DerError('not a certificate');
  const tbs = children(cert.body)[0];
  if (!tbs || tbs.tag !== DER.SEQUENCE) throw new DerError('no TBSCertificate');
  const wrapper = children(tbs.body).find((n) => n.tag === 0xa3);
  if (!wrapper) return out;
  const list = readElement(wrapper.body).node;
  for (const ext of children(list.body)) {
    const parts = children(ext.body);
    const oid = parts[0];
    const value = parts[parts.length - 1];
    if (oid?.tag === DER.OID && value?.tag === DER.OCTET_STRING) out.set(oidText(oid.body), value.body);
  }
  return out;
}

/** Reads the identity, issuer and build facts of a Fulcio certificate (PEM). Throws a plain Error on a bad one. */
export function describeCertificate(pem: string): Omit<KeylessInfo, 'verification' | 'rekor' | 'signatureMatchesCertificateKey'> {
  if (pem.length > MAX_CERT_CHARS) throw new Error(t('The certificate is too large'));
  let cert: crypto.X509Certificate;
  try {
    cert = new crypto.X509Certificate(pem);
  } catch {
    throw new Error(t('The certificate annotation is not a readable X.509 certificate'));
  }
  const identities: string[] = [];
  const details: Record<string, string> = {};
  let issuer: string | undefined;
  try {
    const ext = extensions(cert.raw);
    const san = ext.get(OID.subjectAltName);
    if (san) {
      for (const name of children(readElement(san).node.body)) {
        // [1] rfc822Name, [6] uniformResourceIdentifier, [2] dNSName.
        if (name.tag === 0x81 || name.tag === 0x86 || name.tag === 0x82) identities.push(stringValue(name));
        if (identities.length >= 20) break;
      }
    }
    const v2 = ext.get(OID.issuerV2);
    if (v2) {
      const n = readElement(v2).node;
      if (n.tag === DER.UTF8_STRING || n.tag === DER.IA5_STRING || n.tag === DER.PRINTABLE_STRING) issuer = stringValue(n);
    }
    const v1 = ext.get(OID.issuerV1);
    if (!issuer && v1) issuer = clip(Buffer.from(v1).toString('utf8'));
    const named: Array<[string, string]> = [
      [OID.buildSignerUri, 'Build signer'],
      [OID.sourceRepositoryUri, 'Source repository'],
      [OID.sourceRepositoryDigest, 'Source commit'],
      [OID.sourceRepositoryRef, 'Source ref'],
    ];
    for (const [oid, label] of named) {
      const v = ext.get(oid);
      if (!v) continue;
      const n = readElement(v).node;
      if (n.tag === DER.UTF8_STRING || n.tag === DER.IA5_STRING) details[label] = stringValue(n);
    }
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
    throw new Error(t('The certificate extensions cannot be read: {0}', e.message));
  }
  return { identities, ...(issuer ? { issuer } : {}), details, notBefore: new Date(cert.validFrom).toISOString(), notAfter: new Date(cert.validTo).toISOString() };
}

function rekorOf(bundle: string | undefined): KeylessInfo['rekor'] {
  if (!bundle || bundle.length > 1024 * 1024) return undefined;
  try {
    const b = JSON.parse(bundle) as { Payload?: { logIndex?: unknown; integratedTime?: unknown; logID?: unknown } };
    const p = b?.Payload;
    if (!p || typeof p !== 'object') return undefined;
    const out: NonNullable<KeylessInfo['rekor']> = {};
    if (typeof p.logIndex === 'number' && Number.isSafeInteger(p.logIndex) && p.logIndex >= 0) out.logIndex = p.logIndex;
    if (typeof p.integratedTime === 'number' && Number.isFinite(p.integratedTime) && p.integratedTime > 0 && p.integratedTime < 1e11) out.integratedTime = new Date(p.integratedTime * 1000).toISOString();
    if (typeof p.logID === 'string' && /^[0-9a-f]{16,128}$/.test(p.logID)) out.logId = p.logID;
    return out;
  } catch {
    return undefined;
  }
}

/** The first value of any of `keys` in the layer's annotations. */
export function annotation(annotations: Record<string, string> | undefined, keys: readonly string[]): string | undefined {
  for (const k of keys) if (typeof annotations?.[k] === 'string') return annotations[k];
  return undefined;
}

/**
 * Describes a keyless signature layer from its annotations; undefined when it carries no certificate. `payload`,
 * when given, is checked against the certificate's own key (reported, never called verified).
 */
export function describeKeyless(annotations: Record<string, string> | undefined, payload?: Uint8Array): KeylessInfo | undefined {
  const pem = annotation(annotations, CERTIFICATE_ANNOTATIONS);
  if (!pem) return undefined;
  const info: KeylessInfo = { ...describeCertificate(pem), verification: 'notVerifiedOffline' };
  const rekor = rekorOf(annotations?.[BUNDLE_ANNOTATION]);
  if (rekor) info.rekor = rekor;
  const sig = annotations?.['dev.cosignproject.cosign/signature'];
  if (payload && sig) {
    const raw = decodeBase64(sig);
    try {
      const key = new crypto.X509Certificate(pem).publicKey;
      const type = key.asymmetricKeyType === 'ec' ? (key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'ecdsa-p384' : 'ecdsa-p256') : key.asymmetricKeyType === 'ed25519' ? 'ed25519' : 'rsa';
      const k: VerificationKey = { key, type, fingerprint: '' };
      info.signatureMatchesCertificateKey = !!raw && !!verifyBytes(k, payload, raw);
    } catch {
      info.signatureMatchesCertificateKey = false;
    }
  }
  return info;
}

/** The one line a keyless signature is shown as. */
export function keylessText(info: KeylessInfo): string {
  const who = info.identities.join(', ') || t('no identity in the certificate');
  return t('Keyless signature by {0} (issuer {1}) — not verified offline', who, info.issuer ?? t('unknown'));
}
