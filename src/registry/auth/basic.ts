import { registerSecret } from '../redact';

/** The `Authorization` value for HTTP Basic auth; registers the secret and the header value for redaction. */
export function basicAuthorization(username: string, secret: string): string {
  registerSecret(secret);
  const encoded = Buffer.from(`${username}:${secret}`, 'utf8').toString('base64');
  registerSecret(encoded);
  return `Basic ${encoded}`;
}
