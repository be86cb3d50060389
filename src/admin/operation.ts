import { resourceType, type ActionDecl, type AdminModel, type Confirmation, type FormDecl, type Outcome, type ResourceRef, type Scope } from '../registry/admin';
import { UnsupportedError } from '../registry/errors';

/**
 * What one admin operation on one reference is, resolved from a provider's admin model. Shared by the commands and
 * the form panel; nothing here imports 'vscode' (unit tests load it under plain Node).
 */

/** The four operations of the admin UI. */
export type OperationKind = 'create' | 'update' | 'remove' | 'action';

export const coreTypes = ['namespace', 'repository', 'tag'] as const;
type CoreType = (typeof coreTypes)[number];

function isCore(type: string): type is CoreType {
  return (coreTypes as readonly string[]).includes(type);
}

/** What one operation on one reference needs: its form (if any), how to read current values, how to run it. */
export interface Operation {
  op: OperationKind;
  /** Title for the panel or prompt ("Create Personal Access Token"). */
  title: string;
  form?: FormDecl;
  values?(signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** Runs with the parsed values (`create`, `update`, an action's input). */
  run(values: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Outcome>;
  /** The target passed to a form's `verify`. */
  verifyTarget: Scope | ResourceRef;
  /** The confirmation for these input values (an action's, a delete's), asked after verify and before running. */
  confirm?(values: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Confirmation | undefined>;
}

/**
 * The operation `op` on `ref` (for `create`: the list's reference `{type, scope, key: ''}` or the core node's),
 * resolved from the provider's model each time, so a panel restored after a reload finds it again.
 */
export function resolveOperation(model: AdminModel, op: OperationKind, ref: ResourceRef, actionId?: string): Operation {
  if (isCore(ref.type)) {
    const ops = model.nodes?.[ref.type];
    if (op === 'create' && ops?.create) {
      const c = ops.create;
      return { op, title: c.title, form: c.form, run: (v, s) => c.run(ref.scope, v ?? {}, s), verifyTarget: ref.scope };
    }
    if (op === 'update' && ops?.update) {
      const u = ops.update;
      return { op, title: u.title, form: u.form, values: (s) => u.values(ref, s), run: (v, s) => u.run(ref, v ?? {}, s), verifyTarget: ref };
    }
    if (op === 'action') {
      const a = ops?.actions?.find((x) => x.id === actionId);
      if (a) return { ...actionOperation(a, ref), confirm: (v) => Promise.resolve(a.confirm?.(ref, v)) };
    }
    throw new UnsupportedError(`This ${ref.type} offers no such operation`);
  }
  const t = resourceType(model, ref.type);
  if (!t) throw new UnsupportedError(`Unknown resource type "${ref.type}"`);
  if (op === 'create' && t.create) {
    const c = t.create;
    return { op, title: c.title ?? `Create ${t.itemTitle}`, form: c.form, run: (v, s) => c.run(ref.scope, v ?? {}, s), verifyTarget: ref.scope };
  }
  if (op === 'update' && t.update) {
    const u = t.update;
    return { op, title: u.title ?? `Edit ${t.itemTitle}`, form: u.form, values: (s) => u.values(ref, s), run: (v, s) => u.run(ref, v ?? {}, s), verifyTarget: ref };
  }
  if (op === 'action') {
    const a = t.actions?.find((x) => x.id === actionId) as ActionDecl<unknown> | undefined;
    if (a) {
      const get = t.get?.bind(t);
      // The panel has the reference, not the item: read it again when the type can, for the confirmation.
      const confirm = async (v: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Confirmation | undefined> => {
        if (!a.confirm) return undefined;
        try {
          return a.confirm(get ? await get(ref, signal) : undefined, v);
        } catch {
          return { message: `${a.title}: ${ref.key || t.title}?`, button: a.title };
        }
      };
      return { ...actionOperation(a, ref), confirm };
    }
  }
  throw new UnsupportedError(`A ${t.itemTitle} offers no such operation`);
}

function actionOperation(a: ActionDecl<never>, ref: ResourceRef): Operation {
  return { op: 'action', title: a.title, form: a.input, run: (v, s) => a.run(ref, v, s), verifyTarget: ref };
}

/** What a command returns about an outcome (never the secret). */
export interface OutcomeSummary {
  kind: Outcome['kind'];
  message?: string;
  items?: string[];
}

export function summarize(o: Outcome): OutcomeSummary {
  switch (o.kind) {
    case 'done':
    case 'secret':
    case 'file':
      return { kind: o.kind, message: o.message };
    case 'list':
      return { kind: 'list', message: o.message ?? o.title, items: o.items };
    case 'panel':
      return { kind: 'panel' };
  }
}

/** The log line of an outcome (messages only; a secret outcome's secret never reaches it). */
export function outcomeLogText(o: Outcome): string {
  return o.kind === 'list' ? o.title : o.kind === 'panel' ? `open ${o.panel}` : o.kind === 'file' ? `${o.message} (${o.fileName}, ${o.content.length} characters)` : o.message;
}
