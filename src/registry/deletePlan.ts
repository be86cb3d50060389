import { NotFoundError, RegistryError } from './errors';
import type { DeletePlan } from './provider';

/**
 * Confirmation pinning: a delete runs on the plan the user confirmed (its digest and every tag it takes), never on
 * a plan made again at run time. Right before deleting, the provider reads the registry again and hands what it
 * found here; anything different stops the delete with a message saying what changed.
 */
export class PlanChangedError extends RegistryError {
  constructor(message: string) {
    super('badResponse', message, { status: 409 });
    this.name = 'PlanChangedError';
  }
}

/** What the registry says now about the tag of a confirmed plan. */
export interface PlanState {
  /** The digest the tag points at now; undefined when the tag no longer exists. */
  digest: string | undefined;
  /** For a delete by digest: every tag pointing at the digest now. */
  affectedTags?: readonly string[];
}

/** Throws a PlanChangedError naming what changed since `plan` was confirmed; returns when nothing did. */
export function checkPlanHolds(plan: DeletePlan, now: PlanState): void {
  const ref = `${plan.repository}:${plan.tag}`;
  if (now.digest === undefined) throw new PlanChangedError(`${ref} no longer exists (it pointed at ${plan.digest || 'an unknown digest'}); nothing was deleted`);
  if (plan.digest && now.digest !== plan.digest) throw new PlanChangedError(`${ref} now points at ${now.digest} (was ${plan.digest}); nothing was deleted`);
  if (!plan.byDigest || !now.affectedTags) return;
  const was = [...new Set(plan.affectedTags)].sort();
  const is = [...new Set(now.affectedTags)].sort();
  if (was.length === is.length && was.every((t, i) => t === is[i])) return;
  const added = is.filter((t) => !was.includes(t));
  const gone = was.filter((t) => !is.includes(t));
  const parts = [added.length ? `now also ${added.join(', ')}` : '', gone.length ? `no longer ${gone.join(', ')}` : ''].filter(Boolean).join('; ');
  throw new PlanChangedError(`The tags of ${plan.repository}@${plan.digest} changed since the confirmation (${parts}); nothing was deleted`);
}

/** What a read of the tag's current plan resolves to, undefined when the tag is gone (404). */
export async function unlessGone<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}
