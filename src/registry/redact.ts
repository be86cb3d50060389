/**
 * Redaction of secrets from text that may reach a log line, an error message or the UI. Applied by the transport,
 * the logger and the command wrapper, so a secret is stripped even when one layer forgets.
 */

const MASK = '***';
/** Secrets in use (passwords, tokens) and every form they take on the wire; removed wherever they appear. */
const secrets = new Set<string>();
const MIN_SECRET_LENGTH = 4;
/** Shortest derived form worth stripping: shorter fragments would mangle ordinary text. */
const MIN_FORM_LENGTH = 6;
const MAX_SECRETS = 4000;

/**
 * The forms a secret takes on its way into a message: itself, URL-encoded, JSON-escaped, and base64 / base64url at
 * each of the three byte alignments (inside `user:secret` of a Basic header the secret starts at any offset), cut to
 * the characters that depend on the secret alone.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(encodeURIComponent(secret));
  forms.add(JSON.stringify(secret).slice(1, -1));
  forms.add(encodeURIComponent(JSON.stringify(secret).slice(1, -1)));
  if (secret.length < 4096) {
    const bytes = Buffer.from(secret, 'utf8');
    for (let k = 0; k < 3; k++) {
      const padded = Buffer.concat([Buffer.alloc(k), bytes]);
      const b64 = padded.toString('base64');
      const start = k === 0 ? 0 : 4;
      const end = Math.floor(padded.length / 3) * 4;
      const middle = k === 0 ? b64.replace(/=+$/, '') : b64.slice(start, end);
      for (const form of [middle, middle.replace(/\+/g, '-').replace(/\//g, '_')]) if (form.length >= MIN_FORM_LENGTH) forms.add(form);
    }
  }
  return [...forms].filter((f) => f === secret || f.length >= MIN_FORM_LENGTH);
}

/** Remembers a secret so every later `redact()` call strips it in all its forms. Short values are ignored (they would mangle text). */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return;
  for (const form of secretForms(secret)) {
    // Re-adding moves a form to the newest end, so a secret in use is never the one evicted.
    secrets.delete(form);
    if (secrets.size >= MAX_SECRETS) {
      // Oldest first: a Set iterates in insertion order.
      const first = secrets.values().next().value;
      if (first !== undefined) secrets.delete(first);
    }
    secrets.add(form);
  }
}

/**
 * Whether `registerSecret(secret)` would change nothing now: the secret is on the redaction list (it may have been
 * forgotten, or dropped as the oldest), or too short to be registered at all.
 */
export function isRegistered(secret: string): boolean {
  return secret.length < MIN_SECRET_LENGTH || secrets.has(secret);
}

/** Forgets a secret and its forms (sign-out). */
export function forgetSecret(secret: string | undefined): void {
  if (!secret) return;
  for (const form of secretForms(secret)) secrets.delete(form);
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
