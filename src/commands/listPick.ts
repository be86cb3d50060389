import type { Outcome } from '../registry/admin';

/**
 * The quick pick a `list` outcome is shown in (a dry run's result, a job's log lines…): one row per line, or the
 * outcome's message (else `nothing`) when it has no lines. It stays open until the user closes it: the quick pick of
 * Run Action… that started the operation hands the focus back to the tree as it closes, which may land after this
 * one opened (an operation that answers at once), and a result that vanished then would never be read.
 */
export function listPick(o: Extract<Outcome, { kind: 'list' }>, nothing: string): { items: { label: string }[]; options: { title: string; ignoreFocusOut: true } } {
  return {
    items: o.items.length ? o.items.map((label) => ({ label })) : [{ label: o.message ?? nothing }],
    options: { title: o.title, ignoreFocusOut: true },
  };
}
