import type { PipelineResult } from '../admin/pipeline';
import type { Outcome, Verdict } from '../registry/admin';

/**
 * What the admin form panel replies to its page after a save, from the pipeline's result. No 'vscode' import: the
 * translated texts come in through `text`, so unit tests check every reply. A failed save replies `ok: false` with
 * what failed; the page keeps the input as typed.
 */

export interface FormReply {
  ok: boolean;
  message: string;
  fieldErrors?: Record<string, string>;
  items?: string[];
}

/** The panel's own sentences, translated by the caller (`{0}` is the argument). */
export interface ReplyTexts {
  needsAttention: string;
  /** "Not saved. {0}": the verdict's summary after its confirmation was refused. */
  notSavedVerdict: string;
  cancelledNothingChanged: string;
  cancelled: string;
  /** "Not saved: {0}": what failed. */
  notSavedBecause: string;
  done: string;
}

const fill = (template: string, arg: string): string => template.replace('{0}', () => arg);

function withItems(r: FormReply, items: string[] | undefined): FormReply {
  return items?.length ? { ...r, items } : r;
}

/** The reply to a save that stopped before it was done. */
export function stoppedReply(result: Exclude<PipelineResult, { status: 'done' }>, t: ReplyTexts): FormReply {
  switch (result.status) {
    case 'invalid':
      return { ok: false, message: t.needsAttention, fieldErrors: result.fieldErrors };
    case 'refused':
      return withItems({ ok: false, message: result.verdict.summary }, result.verdict.items);
    case 'declined':
      return result.stage === 'verify' && result.verdict ? withItems({ ok: false, message: fill(t.notSavedVerdict, result.verdict.summary) }, result.verdict.items) : { ok: false, message: t.cancelledNothingChanged };
    case 'failed':
      if (result.error.kind === 'cancelled') return { ok: false, message: t.cancelled };
      return { ok: false, message: result.stage === 'show' ? result.message : fill(t.notSavedBecause, result.message) };
  }
}

/** The reply to a save that was done: the outcome's message, then what the check before saving found. */
export function doneReply(outcome: Outcome, verdict: Verdict | undefined, t: ReplyTexts): FormReply {
  const message = outcome.kind === 'done' || outcome.kind === 'secret' ? outcome.message : outcome.kind === 'list' ? outcome.title : t.done;
  const text = verdict?.summary ? `${/[.!?]$/.test(message) ? message : `${message}.`} ${verdict.summary}` : message;
  return withItems({ ok: true, message: text }, verdict?.items);
}
