import { hostMessage, restoreState, webviewMessage, type HostMessage, type RestoreState, type WebviewMessage } from './protocol';

/**
 * The checks on what crosses between the extension and a webview, with no 'vscode' import so unit tests run them on
 * hostile input. A message is first measured without recursion (depth, number of values, characters), so a
 * 20,000-deep or 100 MB value is refused cleanly before any schema walks it; then its zod schema decides.
 */

export interface ShapeLimits {
  /** Deepest nesting of objects and arrays. */
  depth: number;
  /** Objects, arrays and scalars counted together. */
  values: number;
  /** Characters of all strings and keys together. */
  chars: number;
}

/** What a webview may send: a form of a few dozen fields, a copied text of 20,000 characters. */
export const WEBVIEW_MESSAGE_LIMITS: ShapeLimits = { depth: 24, values: 20_000, chars: 1_000_000 };
/** What a panel keeps to be restored: a few strings (a typed reference, JSON-encoded). */
export const RESTORE_LIMITS: ShapeLimits = { depth: 8, values: 200, chars: 64_000 };

/** Why `value` exceeds the limits or is not plain JSON data, or undefined when it fits. Never recurses. */
export function shapeProblem(value: unknown, limits: ShapeLimits): string | undefined {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  let values = 0;
  let chars = 0;
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (++values > limits.values) return `more than ${limits.values} values`;
    if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number') continue;
    if (typeof v === 'string') {
      chars += v.length;
      if (chars > limits.chars) return `more than ${limits.chars} characters`;
      continue;
    }
    if (typeof v !== 'object') return `a value of type ${typeof v}`;
    if (depth >= limits.depth) return `nested deeper than ${limits.depth} levels`;
    if (Array.isArray(v)) {
      if (values + v.length > limits.values) return `more than ${limits.values} values`;
      for (const x of v) stack.push({ v: x, depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return 'an object that is not plain data';
    const keys = Object.keys(v);
    if (values + keys.length > limits.values) return `more than ${limits.values} values`;
    for (const k of keys) {
      chars += k.length;
      stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1 });
    }
    if (chars > limits.chars) return `more than ${limits.chars} characters`;
  }
  return undefined;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseWith<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } }, raw: unknown, limits: ShapeLimits): Checked<T> {
  const problem = shapeProblem(raw, limits);
  if (problem) return { ok: false, reason: problem };
  try {
    const r = schema.safeParse(raw);
    if (r.success) return { ok: true, value: r.data };
    const issue = r.error.issues[0];
    return { ok: false, reason: issue ? `${issue.path.map(String).join('.') || 'message'}: ${issue.message}` : 'unknown shape' };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.name : 'unreadable' };
  }
}

/** A message from a webview, checked; `reason` says what was wrong (for the log: never the message's content). */
export function parseWebviewMessage(raw: unknown): Checked<WebviewMessage> {
  return parseWith(webviewMessage, raw, WEBVIEW_MESSAGE_LIMITS);
}

/** The restore state VS Code hands back for a panel after a reload (`{ restore: … }` of the webview's state). */
export function parseRestoreState(state: unknown): RestoreState | undefined {
  const restore = state && typeof state === 'object' && !Array.isArray(state) ? (state as { restore?: unknown }).restore : undefined;
  const r = parseWith(restoreState, restore, RESTORE_LIMITS);
  return r.ok ? r.value : undefined;
}

/**
 * Whether a message the extension is about to send is one the page accepts (it checks with the same schema):
 * undefined when it is, else why not — the panel then shows that failure instead of waiting forever.
 */
export function hostMessageProblem(m: HostMessage): string | undefined {
  try {
    const r = hostMessage.safeParse(m);
    if (r.success) return undefined;
    const issue = r.error.issues[0];
    return issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : 'unknown shape';
  } catch (e) {
    return e instanceof Error ? e.name : 'unreadable';
  }
}
