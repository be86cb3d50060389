import * as crypto from 'node:crypto';

/** A minimal DER encoder and X.509 builder for tests: Fulcio-like certificates without an external tool. */

export function tlv(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [a! * 40 + b!];
  for (const v of rest) {
    const stack = [v & 0x7f];
    for (let x = v >>> 7; x > 0; x >>>= 7) stack.unshift((x & 0x7f) | 0x80);
    bytes.push(...stack);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const seq = (...p: Buffer[]) => tlv(0x30, ...p);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const name = (org: string) => seq(tlv(0x31, seq(oid('2.5.4.10'), utf8(org))));

export interface CertOptions {
  emails?: string[];
  uris?: string[];
  /** Fulcio issuer: V2 extension (.1.8, a UTF8String) unless `issuerV1` is set (.1.1, raw bytes). */
  issuer?: string;
  issuerV1?: boolean;
  sourceRepository?: string;
  /** Raw extra extensions (OID → extnValue contents). */
  extra?: Record<string, Buffer>;
}

/** A certificate for `publicKey`, signed by a throwaway P-256 key (its chain is not meant to verify). */
export function makeCertificate(publicKey: crypto.KeyObject, o: CertOptions): string {
  const exts: Buffer[] = [];
  const san = [...(o.emails ?? []).map((e) => tlv(0x81, Buffer.from(e))), ...(o.uris ?? []).map((u) => tlv(0x86, Buffer.from(u)))];
  if (san.length) exts.push(seq(oid('2.5.29.17'), tlv(0x01, Buffer.from([0xff])), tlv(0x04, seq(...san))));
  if (o.issuer !== undefined) {
    exts.push(o.issuerV1 ? seq(oid('1.3.6.1.4.1.57264.1.1'), tlv(0x04, Buffer.from(o.issuer))) : seq(oid('1.3.6.1.4.1.57264.1.8'), tlv(0x04, utf8(o.issuer))));
  }
  if (o.sourceRepository) exts.push(seq(oid('1.3.6.1.4.1.57264.1.12'), tlv(0x04, utf8(o.sourceRepository))));
  for (const [k, v] of Object.entries(o.extra ?? {})) exts.push(seq(oid(k), tlv(0x04, v)));
  const sigAlg = seq(oid('1.2.840.10045.4.3.2'));
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, Buffer.from([0x01, 0x23])),
    sigAlg,
    name('sigstore.dev'),
    seq(tlv(0x17, Buffer.from('250101000000Z')), tlv(0x17, Buffer.from('250101001000Z'))),
    seq(),
    publicKey.export({ type: 'spki', format: 'der' }),
    ...(exts.length ? [tlv(0xa3, seq(...exts))] : []),
  );
  const ca = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const sig = crypto.sign('sha256', tbs, ca.privateKey);
  const der = seq(tbs, sigAlg, tlv(0x03, Buffer.from([0]), sig));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trim()}\n-----END CERTIFICATE-----\n`;
}
