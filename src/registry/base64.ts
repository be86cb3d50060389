/** Strict base64 decoding for signatures, DSSE payloads and envelopes. */

/** Strict base64 (standard or URL-safe alphabet, padding optional); undefined when it is not. */
export function decodeBase64(s: string, max: number): Buffer | undefined {
  const v = s.replace(/\s+/g, '');
  if (!v || v.length > max || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(v) || /[+/]/.test(v) && /[_-]/.test(v)) return undefined;
  if ((v.replace(/=+$/, '').length % 4) === 1) return undefined;
  return Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

