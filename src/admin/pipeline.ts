import type { Confirmation, Outcome, Refresh, Verdict } from '../registry/admin';
import { CancelledError, toRegistryError, type RegistryError } from '../registry/errors';
import { coerceFormValues, describeForm, fieldErrors, secretValues } from '../registry/formSpec';
import { redact, registerSecret } from '../registry/redact';
import { outcomeLogText, type Operation } from './operation';

/**
 * The one save pipeline of the admin UI, used by the commands (Create…, Edit…, Delete…, Run Action…) and by the form
 * panel alike: parse → verify (and its confirmation) → the operation's confirmation → run with a cancellation signal
 * → register a secret shown once → log (redacted) → refresh → show the outcome. It talks to the editor only through
 * `AdminPort`, and never imports 'vscode', so every step is unit-tested under plain Node.
 */

/** How the pipeline asks, shows and reports; the VS Code side implements it for commands and for the form panel. */
export interface AdminPort {
  /**
   * A modal confirmation; resolves true only when the user pressed its button. `verify`: the provider's verdict
   * before saving (what a rule would affect); `action`: the operation's own confirmation naming the exact objects.
   */
  confirm(c: Confirmation, purpose: 'verify' | 'action'): Promise<boolean>;
  /** Runs a step that talks to the server, showing progress; the task's signal aborts when the user cancels. */
  progress<T>(stage: 'verify' | 'run', title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** One log line (already redacted). */
  log(line: string): void;
  /** Reloads the tree nodes the outcome says changed. */
  refresh(refresh: Refresh | undefined): void;
  /** Shows the outcome; `verdict` is what the check before saving found (it stays in view after saving). */
  showOutcome(outcome: Outcome, verdict: Verdict | undefined): Promise<void>;
}

/** Where the pipeline stopped, and why. Nothing in it holds a secret the user typed. */
export type PipelineResult =
  | { status: 'done'; outcome: Outcome; verdict?: Verdict }
  /** The values do not parse: field errors by path (`rules.2.values`), and the first one as a sentence. */
  | { status: 'invalid'; message: string; fieldErrors: Record<string, string> }
  /** The provider's check said the values cannot be saved as they are (`verdict.summary` says why). */
  | { status: 'refused'; verdict: Verdict }
  /** The user said no at the verdict's confirmation (`verify`) or the operation's (`action`). */
  | { status: 'declined'; stage: 'verify' | 'action'; verdict?: Verdict }
  /** A step failed (or was cancelled: `error.kind === 'cancelled'`); `message` is redacted. */
  | { status: 'failed'; stage: 'verify' | 'confirm' | 'run' | 'show'; error: RegistryError; message: string; verdict?: Verdict };

export interface PipelineOptions {
  /** Aborts verify and run from outside (a panel closed mid-save). */
  signal?: AbortSignal;
}

function combined(a: AbortSignal, b: AbortSignal | undefined): AbortSignal {
  return b ? AbortSignal.any([a, b]) : a;
}

/**
 * Runs `op` with the raw values of its form (undefined when it has none). Secret fields are registered for
 * redaction before anything else reads them; a verdict that is not ok, or a confirmation the user refuses, means
 * `run` is never called. Never throws for a failed step: the result says what failed, so callers keep the input.
 */
export async function runOperation(op: Operation, raw: Record<string, unknown> | undefined, port: AdminPort, opts: PipelineOptions = {}): Promise<PipelineResult> {
  let values: Record<string, unknown> | undefined;
  const form = op.form;
  if (form) {
    const fields = describeForm(form.schema);
    const input = raw ?? {};
    for (const s of secretValues(fields, input)) registerSecret(s);
    const parsed = form.schema.safeParse(coerceFormValues(fields, input));
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error);
      const [path, message] = Object.entries(errors)[0] ?? ['', 'Invalid input'];
      return { status: 'invalid', message: path && path !== '_form' ? `${path}: ${message}` : message, fieldErrors: errors };
    }
    values = parsed.data;
  }
  const failed = (stage: 'verify' | 'confirm' | 'run' | 'show', e: unknown, verdict?: Verdict): PipelineResult => {
    const error = e instanceof Error && e.name === 'AbortError' ? new CancelledError() : toRegistryError(e);
    const message = redact(error.message);
    port.log(redact(`${op.title}: ${error.kind === 'cancelled' ? 'cancelled' : `failed: ${message}`}`));
    return { status: 'failed', stage, error, message, ...(verdict ? { verdict } : {}) };
  };

  let verdict: Verdict | undefined;
  if (op.verify) {
    const verify = op.verify.bind(op);
    const checked = values ?? {};
    try {
      const v = await port.progress('verify', op.title, (signal) => verify(checked, combined(signal, opts.signal)));
      verdict = v;
      if (!v.ok) return { status: 'refused', verdict: v };
      if (v.confirm && !(await port.confirm(v.confirm, 'verify'))) return { status: 'declined', stage: 'verify', verdict: v };
    } catch (e) {
      return failed('verify', e, verdict);
    }
  }

  try {
    const confirmation = await op.confirm?.(values, opts.signal);
    if (confirmation && !(await port.confirm(confirmation, 'action'))) return { status: 'declined', stage: 'action', ...(verdict ? { verdict } : {}) };
  } catch (e) {
    return failed('confirm', e, verdict);
  }

  let outcome: Outcome;
  try {
    const input = values;
    outcome = await port.progress('run', op.title, (signal) => {
      const s = combined(signal, opts.signal);
      s.throwIfAborted();
      return op.run(input, s);
    });
  } catch (e) {
    return failed('run', e, verdict);
  }
  // A secret the server shows once is stripped from every log line and message before anything shows it.
  if (outcome.kind === 'secret') registerSecret(outcome.secret);
  port.log(redact(`${op.title}: ${outcomeLogText(outcome)}`));
  port.refresh(outcome.refresh);
  try {
    await port.showOutcome(outcome, verdict);
  } catch (e) {
    return failed('show', e, verdict);
  }
  return { status: 'done', outcome, ...(verdict ? { verdict } : {}) };
}
