/**
 * Redaction of secrets from text that may reach a log line, an error message or the UI. Applied by the transport,
 * the logger and the command wrapper, so a secret is stripped even when one layer forgets.
 */

const MASK = '***';
/**
 * Forms of secrets seen in answers (robot tokens in a list, tokens just created): bounded, oldest dropped first. A
 * Set iterates in insertion order, so re-registering a form moves it to the fresh end.
 */
const seen = new Set<string>();
/** Forms of the credentials in use (passwords, API and OAuth tokens, bearer tokens), by how many pinned secrets have them: never dropped. */
const pinnedForms = new Map<string, number>();
const pinned = new Set<string>();
const MIN_SECRET_LENGTH = 4;
/** Shortest derived form worth stripping: shorter fragments would mangle ordinary text. */
const MIN_FORM_LENGTH = 6;
/** Most forms on the bounded list of secrets seen in answers. */
export const MAX_SEEN_FORMS = 4000;

/**
 * The forms a secret takes on its way into a message: itself, URL-encoded, JSON-escaped, and base64 / base64url at
 * each of the three byte alignments (inside `user:secret` of a Basic header the secret starts at any offset), cut to
 * the characters that depend on the secret alone. HTML character references (`&#101;`, `&#x65;`, `&amp;`, in any mix)
 * and partial percent-encoding are decoded by `redact` itself, so they need no form of their own.
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

/**
 * Remembers a secret seen in an answer (a robot token in a list, a token just created) so every later `redact()`
 * call strips it in all its forms. The list is bounded: registering a secret again moves it to the fresh end, and the
 * oldest are dropped first. Credentials in use are pinned instead (`pinSecret`). Short values are ignored (they would
 * mangle text).
 */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH || pinned.has(secret)) return;
  for (const form of secretForms(secret)) addSeen(form);
}

function addSeen(form: string): void {
  seen.delete(form);
  if (seen.size >= MAX_SEEN_FORMS) {
    const first = seen.values().next().value;
    if (first !== undefined) seen.delete(first);
  }
  seen.add(form);
}

/**
 * Pins a credential in use (a password, an API or OAuth token, a bearer token, a Basic header value): it is stripped
 * by every `redact()` call until `unpinSecret` or `forgetSecret`, however many other secrets are registered meanwhile.
 */
export function pinSecret(secret: string | undefined): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH || pinned.has(secret)) return;
  pinned.add(secret);
  for (const form of secretForms(secret)) {
    seen.delete(form);
    pinnedForms.set(form, (pinnedForms.get(form) ?? 0) + 1);
  }
}

/**
 * A credential no longer in use (replaced, expired, its connection closed): it moves to the fresh end of the bounded
 * list, so a message that still echoes it is stripped for a while.
 */
export function unpinSecret(secret: string | undefined): void {
  if (!secret || !unpinForms(secret)) return;
  for (const form of secretForms(secret)) if (!pinnedForms.has(form)) addSeen(form);
}

function unpinForms(secret: string): boolean {
  if (!pinned.delete(secret)) return false;
  for (const form of secretForms(secret)) {
    const n = pinnedForms.get(form) ?? 0;
    if (n <= 1) pinnedForms.delete(form);
    else pinnedForms.set(form, n - 1);
  }
  return true;
}

/** Whether a credential is pinned (see `pinSecret`). */
export function isPinned(secret: string): boolean {
  return pinned.has(secret);
}

/**
 * Whether `registerSecret(secret)` would change nothing now: the secret is pinned or on the redaction list (it may
 * have been forgotten, or dropped as the oldest), or too short to be registered at all.
 */
export function isRegistered(secret: string): boolean {
  return secret.length < MIN_SECRET_LENGTH || pinned.has(secret) || seen.has(secret);
}

/** Forgets a secret and its forms, pinned or not (sign-out). */
export function forgetSecret(secret: string | undefined): void {
  if (!secret) return;
  unpinForms(secret);
  for (const form of secretForms(secret)) if (!pinnedForms.has(form)) seen.delete(form);
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
  let out = maskSecrets(text);
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}

/**
 * Every occurrence of a known secret form masked: in the text as it is and, when it holds HTML character references
 * or percent-escapes, in the text they decode to (a match there masks the references it was decoded from). One pass per form over the
 * text, plus one decoding pass: linear in the text's length.
 */
function maskSecrets(text: string): string {
  if (pinnedForms.size === 0 && seen.size === 0) return text;
  const ranges: number[] = [];
  find(text, undefined, ranges);
  const decoded = text.includes('&') || text.includes('%') ? decodeReferences(text) : undefined;
  if (decoded) find(decoded.text, decoded.at, ranges);
  return ranges.length ? applyMask(text, ranges) : text;
}

/** Pushes [start, end) in the original text of every occurrence of a secret form in `view`. */
function find(view: string, at: Uint32Array | undefined, ranges: number[]): void {
  const scan = (form: string): void => {
    for (let i = view.indexOf(form); i >= 0; i = view.indexOf(form, i + form.length)) {
      ranges.push(at ? at[i]! : i, at ? at[i + form.length]! : i + form.length);
    }
  };
  for (const form of pinnedForms.keys()) scan(form);
  for (const form of seen) scan(form);
}

/** The text with the (possibly overlapping) ranges replaced by one mask each. */
function applyMask(text: string, ranges: number[]): string {
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i]!, ranges[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  let out = '';
  let pos = 0;
  for (let i = 0; i < pairs.length; ) {
    const start = pairs[i]![0];
    let end = pairs[i]![1];
    for (i++; i < pairs.length && pairs[i]![0] <= end; i++) end = Math.max(end, pairs[i]![1]);
    out += text.slice(pos, start) + MASK;
    pos = end;
  }
  return out + text.slice(pos);
}

/** Named references for the ASCII characters a secret may hold (HTML's own names). */
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", sol: '/', bsol: '\\', colon: ':', semi: ';', equals: '=', plus: '+',
  num: '#', percnt: '%', excl: '!', quest: '?', lpar: '(', rpar: ')', comma: ',', period: '.', lowbar: '_', dollar: '$',
  ast: '*', commat: '@', lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']', lcub: '{', rcub: '}', lbrace: '{', rbrace: '}',
  verbar: '|', vert: '|', grave: '`', Hat: '^', nbsp: '\u00a0', Tab: '\t', NewLine: '\n',
};
const REFERENCE = /&(?:#(?:([0-9]{1,8})|[xX]([0-9a-fA-F]{1,8}));?|([A-Za-z]{2,8});)|%([0-7][0-9A-Fa-f])/g;

/**
 * The text with its HTML character references (`&#101;`, `&#x65;`, `&#101` without `;`, `&amp;`…) and its
 * percent-escapes of ASCII characters (`%65`, as any URL encoder writes them, whatever it leaves plain) decoded, and for
 * each decoded code unit the offset in `text` it came from (`at[length]` is `text.length`); undefined when there are
 * none. One pass, no backtracking.
 */
function decodeReferences(text: string): { text: string; at: Uint32Array } | undefined {
  REFERENCE.lastIndex = 0;
  let m = REFERENCE.exec(text);
  if (!m) return undefined;
  const at = new Uint32Array(text.length + 1);
  let out = '';
  let pos = 0;
  const copy = (to: number): void => {
    for (let i = pos; i < to; i++) at[out.length + i - pos] = i;
    out += text.slice(pos, to);
  };
  for (; m; m = REFERENCE.exec(text)) {
    const char =
      m[4] !== undefined ? String.fromCharCode(parseInt(m[4], 16)) : m[3] !== undefined ? (Object.hasOwn(NAMED, m[3]) ? NAMED[m[3]] : undefined) : codePoint(m[1] !== undefined ? parseInt(m[1], 10) : parseInt(m[2]!, 16));
    if (char === undefined) continue;
    copy(m.index);
    for (let k = 0; k < char.length; k++) at[out.length + k] = m.index;
    out += char;
    pos = m.index + m[0].length;
  }
  copy(text.length);
  at[out.length] = text.length;
  return { text: out, at };
}

function codePoint(n: number): string | undefined {
  return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : undefined;
}
