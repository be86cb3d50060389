import { isPinned, pinSecret, unpinSecret } from '../redact';

/** Recent header values by user and secret: a listing sends the same one on every page. */
const recent = new Map<string, { header: string; encoded: string }>();

/**
 * The `Authorization` value for HTTP Basic auth. The secret and the header value are credentials in use: both are
 * pinned for redaction (never dropped from it, however many other secrets are registered) until `releaseBasic`, and
 * pinned again whenever either was released or forgotten meanwhile.
 */
export function basicAuthorization(username: string, secret: string): string {
  const key = `${username}\u0000${secret}`;
  const hit = recent.get(key);
  if (hit && isPinned(secret) && isPinned(hit.encoded)) return hit.header;
  pinSecret(secret);
  const encoded = Buffer.from(`${username}:${secret}`, 'utf8').toString('base64');
  pinSecret(encoded);
  if (!hit && recent.size >= 16) recent.clear();
  const header = `Basic ${encoded}`;
  recent.set(key, { header, encoded });
  return header;
}

/** Credentials no longer in use (sign-out, changed credentials): unpinned, so the bounded redaction list keeps them for a while. */
export function releaseBasic(username: string, secret: string): void {
  recent.delete(`${username}\u0000${secret}`);
  unpinSecret(secret);
  unpinSecret(Buffer.from(`${username}:${secret}`, 'utf8').toString('base64'));
}
