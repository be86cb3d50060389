/**
 * Redaction of secrets from text that may reach a log line, an error message or the UI. Applied by the transport,
 * the logger and the command wrapper, so a secret is stripped even when one layer forgets.
 */

const MASK = '***';
/** Secrets in use (passwords, tokens); removed wherever they appear. */
const secrets = new Set<string>();
const MIN_SECRET_LENGTH = 4;
const MAX_SECRETS = 500;

/** Remembers a secret so every later `redact()` call strips it. Short values are ignored (they would mangle text). */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return;
  if (secrets.size >= MAX_SECRETS) {
    // Oldest first: a Set iterates in insertion order.
    const first = secrets.values().next().value;
    if (first !== undefined) secrets.delete(first);
  }
  secrets.add(secret);
  // The base64 form appears in Basic headers.
  if (secret.length < 4096) secrets.add(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
}

/** Forgets a secret (sign-out). */
export function forgetSecret(secret: string | undefined): void {
  if (!secret) return;
  secrets.delete(secret);
  secrets.delete(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
}

const PATTERNS: Array<[RegExp, string]> = [
  // user:password@ in URLs
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+(?::[^\s/@]*)?@/gi, `$1${MASK}@`],
  // Authorization / Proxy-Authorization header values (JSON, header dumps, messages)
  [/\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(basic|bearer|token|jwt)\s+)?[^\s"',;}]+/gi, `$1$2 ${MASK}`],
  // Standalone scheme + credential
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${MASK}`],
  // token-ish JSON fields and query parameters
  [
    /(["']?\b(?:token|access_token|refresh_token|id_token|password|passwd|secret|client_secret|identitytoken|registrytoken|auth)\b["']?\s*[:=]\s*["']?)[^"'&\s,;}]+/gi,
    `$1${MASK}`,
  ],
];

/** The text with every known secret and credential-looking value replaced by `***`. */
export function redact(text: string): string {
  if (!text) return text;
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join(MASK);
  }
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}
