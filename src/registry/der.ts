/**
 * A small, bounded DER reader: enough to walk an X.509 certificate's extensions (src/registry/keyless.ts). Every
 * length is checked against the bytes there are; nothing recurses deeper than the caller walks.
 */

export interface DerNode {
  /** The identifier octet (class, constructed bit, tag number < 31). */
  tag: number;
  /** The contents (without tag and length). */
  body: Uint8Array;
}

export class DerError extends Error {}

/** The element at `offset` and the offset after it. */
export function readElement(buf: Uint8Array, offset = 0): { node: DerNode; next: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated DER element');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not supported');
  let len = buf[offset + 1]!;
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('unsupported DER length');
    if (pos + n > buf.length) throw new DerError('truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i]!;
    pos += n;
  }
  if (pos + len > buf.length) throw new DerError('DER element longer than its container');
  return { node: { tag, body: buf.subarray(pos, pos + len) }, next: pos + len };
}

/** The elements inside a constructed element's contents. */
export function children(body: Uint8Array): DerNode[] {
  const out: DerNode[] = [];
  for (let pos = 0; pos < body.length; ) {
    const { node, next } = readElement(body, pos);
    out.push(node);
    pos = next;
  }
  return out;
}

/** The dotted form of an OBJECT IDENTIFIER's contents. */
export function oidText(body: Uint8Array): string {
  if (!body.length) throw new DerError('empty OID');
  const parts: number[] = [];
  let v = 0;
  for (const b of body) {
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift()!;
  const a = first < 40 ? 0 : first < 80 ? 1 : 2;
  return [a, first - a * 40, ...parts].join('.');
}

export const DER = { SEQUENCE: 0x30, OID: 0x06, OCTET_STRING: 0x04, BOOLEAN: 0x01, UTF8_STRING: 0x0c, IA5_STRING: 0x16, PRINTABLE_STRING: 0x13 } as const;
