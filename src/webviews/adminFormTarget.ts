import * as z from 'zod';
import type { AnyRef } from '../admin/operation';
import { refKey, type ResourceRef, type Scope } from '../registry/admin';
import { shapeProblem } from './messageCheck';
import type { RestoreState } from './protocol';

/** What an admin form panel edits: all it keeps to be restored after a window reload. */
export interface AdminFormTarget {
  registry: string;
  op: 'create' | 'update' | 'action';
  /** The list's or singleton's reference (no key), or the item's or core node's. */
  ref: AnyRef;
  actionId?: string;
}

const scope: z.ZodType<Scope> = z.lazy(() =>
  z.object({
    namespace: z.string().optional(),
    repository: z.string().optional(),
    tag: z.string().optional(),
    digest: z.string().optional(),
    parent: resourceRef.optional(),
  }),
);
const resourceRef: z.ZodType<ResourceRef> = z.lazy(() => z.object({ type: z.string().min(1).max(100), scope, key: z.string().max(1000) }));
/** A panel's reference; an empty key (kept by earlier versions for lists and singletons) means none. */
const anyRef: z.ZodType<AnyRef> = z
  .object({ type: z.string().min(1).max(100), scope, key: z.string().max(1000).optional() })
  .transform(({ key, ...node }): AnyRef => (key ? { ...node, key } : node));

/** A reference nests a scope and a parent reference per level: 16 levels of items inside items at most. */
const REF_LIMITS = { depth: 40, values: 2_000, chars: 32_000 };

/** Reads an admin form's restore state (undefined for any other form or a malformed state). */
export function parseAdminFormRestore(s: RestoreState | undefined): AdminFormTarget | undefined {
  if (!s || s.formId !== 'admin' || typeof s.registry !== 'string' || !s.registry || typeof s.ref !== 'string') return undefined;
  if (s.op !== 'create' && s.op !== 'update' && s.op !== 'action') return undefined;
  if (s.ref.length > REF_LIMITS.chars) return undefined;
  let ref: unknown;
  try {
    ref = JSON.parse(s.ref);
  } catch {
    return undefined;
  }
  // Measured without recursion first: the schema below recurses once per parent.
  if (shapeProblem(ref, REF_LIMITS)) return undefined;
  const parsed = anyRef.safeParse(ref);
  if (!parsed.success) return undefined;
  const t: AdminFormTarget = { registry: s.registry, op: s.op, ref: parsed.data };
  if (typeof s.actionId === 'string' && s.actionId) t.actionId = s.actionId;
  else if (s.op === 'action') return undefined;
  return t;
}

export function restoreOf(t: AdminFormTarget): RestoreState {
  return { formId: 'admin', registry: t.registry, op: t.op, ref: JSON.stringify(t.ref), ...(t.actionId ? { actionId: t.actionId } : {}) };
}

/** Identity of the panel (opening the same form again reveals it). */
export function adminFormKey(t: AdminFormTarget): string {
  return `admin:${t.registry}:${t.op}:${t.actionId ?? ''}:${refKey(t.ref)}`;
}

