/**
 * Operations of the admin model run the way a user runs them: through the one pipeline (`runOperation`), with a
 * port that says yes to every confirmation. Used by the subjects for hostile input typed into forms (URL fields with
 * other schemes, catastrophic patterns, secrets a server echoes back).
 */
import { resolveOperation, type OperationKind } from '../../src/admin/operation';
import { runOperation, type AdminPort, type PipelineResult } from '../../src/admin/pipeline';
import type { AdminModel, NodeRef, ResourceRef } from '../../src/registry/admin';

/** A secret a user types into a form field declared secret; the suite checks it never shows (like the password). */
export const TYPED_SECRET = 'Typed-Pa55/word+for=forms';

const port: AdminPort = {
  confirm: () => Promise.resolve(true),
  progress: (_stage, _title, task) => task(new AbortController().signal),
  log: () => {},
  refresh: () => {},
  showOutcome: () => Promise.resolve(),
};

/** Runs one operation with raw form values; a failed step rejects with its error, as the UI would show it. */
export async function throughPipeline(model: AdminModel | undefined, op: OperationKind, ref: NodeRef | ResourceRef, raw: Record<string, unknown>, actionId?: string): Promise<PipelineResult> {
  const r = await runOperation(resolveOperation(model, op, ref, actionId), raw, port);
  if (r.status === 'failed') throw r.error;
  return r;
}

/** The result, when the pipeline refused the values (field errors, or a verdict that is not ok); an Error otherwise. */
export function refused(r: PipelineResult, what: string): PipelineResult {
  if (r.status !== 'invalid' && r.status !== 'refused') throw new Error(`${what} was accepted (${r.status})`);
  return r;
}
