import { isRegistered, registerSecret } from '../redact';

/** Recent header values by user and secret: a listing sends the same one on every page. */
const recent = new Map<string, { header: string; encoded: string; uses: number }>();

/**
 * The `Authorization` value for HTTP Basic auth; registers the secret and the header value for redaction. Both are
 * registered on first use, again every 100 uses (so a secret in use stays the newest on the bounded redaction list)
 * and whenever either is no longer on it; in between, the value is reused rather than encoded and registered again
 * per request.
 */
export function basicAuthorization(username: string, secret: string): string {
  const key = `${username}\u0000${secret}`;
  const hit = recent.get(key);
  if (hit && ++hit.uses < 100 && isRegistered(secret) && isRegistered(hit.encoded)) return hit.header;
  registerSecret(secret);
  const encoded = Buffer.from(`${username}:${secret}`, 'utf8').toString('base64');
  registerSecret(encoded);
  if (!hit && recent.size >= 16) recent.clear();
  const header = `Basic ${encoded}`;
  recent.set(key, { header, encoded, uses: 0 });
  return header;
}
