import {
  isCoreType,
  resourceType,
  type ActionDecl,
  type AdminModel,
  type Confirmation,
  type CreateDecl,
  type FormDecl,
  type NodeRef,
  type Outcome,
  type RemoveDecl,
  type ResourceRef,
  type ResourceType,
  type UpdateDecl,
  type Verdict,
} from '../registry/admin';
import { UnsupportedError } from '../registry/errors';

/**
 * What one admin operation on one reference is, resolved from a provider's admin model. Shared by the commands and
 * the form panel; nothing here imports 'vscode' (unit tests load it under plain Node).
 */

/** The four operations of the admin UI. */
export type OperationKind = 'create' | 'update' | 'remove' | 'action';

export { coreTypes } from '../registry/admin';

/** What the UI shows of a form (its checks are the operation's `verify`). */
export type FormView = Omit<FormDecl, 'verify'>;

/** A reference as the UI holds it: an item's or a core node's (with a key), a list's or a singleton's (without). */
export type AnyRef = NodeRef | ResourceRef;

export function hasKey(ref: AnyRef): ref is ResourceRef {
  return typeof (ref as Partial<ResourceRef>).key === 'string';
}

/** What one operation on one reference needs: its form (if any), how to read current values, how to run it. */
export interface Operation {
  op: OperationKind;
  /** Title for the panel or prompt ("Create Personal Access Token"). */
  title: string;
  form?: FormView;
  values?(signal?: AbortSignal): Promise<Record<string, unknown>>;
  /** The provider's check of parsed values before saving (with its own confirmation in the verdict). */
  verify?(values: Record<string, unknown>, signal?: AbortSignal): Promise<Verdict>;
  /** The confirmation for these input values (an action's, a delete's), asked after verify and before running. */
  confirm?(values: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Confirmation | undefined>;
  /** Runs with the parsed values (`create`, `update`, an action's input). */
  run(values: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Outcome>;
}

/** A resource type's operations with their reference types erased to the node reference they run on. */
interface Erased {
  title: string;
  itemTitle: string;
  /** What update, remove and actions run on: the item's reference, or the singleton's node reference. */
  target?: NodeRef;
  create?: CreateDecl;
  update?: UpdateDecl<NodeRef>;
  remove?: RemoveDecl<unknown, NodeRef>;
  actions: ActionDecl<unknown, NodeRef>[];
  /** Reads the item again when the caller has only its reference. */
  read?(signal?: AbortSignal): Promise<unknown>;
}

function erase(t: ResourceType, ref: AnyRef): Erased {
  switch (t.shape) {
    case 'core': {
      const target = hasKey(ref) ? ref : undefined;
      return { title: ref.type, itemTitle: ref.type, target, create: t.create, update: t.update, remove: t.remove, actions: t.actions ?? [], ...(target ? { read: () => Promise.resolve(target) } : {}) };
    }
    case 'singleton': {
      const target: NodeRef = { type: ref.type, scope: ref.scope };
      return { title: t.title, itemTitle: t.itemTitle, target, update: t.update, remove: t.remove, actions: t.actions ?? [], read: (s) => t.get(target, s) };
    }
    case 'list': {
      const target = hasKey(ref) ? ref : undefined;
      const get = t.get?.bind(t);
      return { title: t.title, itemTitle: t.itemTitle, target, create: t.create, update: t.update, remove: t.remove, actions: t.actions ?? [], ...(target && get ? { read: (s?: AbortSignal) => get(target, s) } : {}) };
    }
  }
}

function declared(model: AdminModel | undefined, ref: AnyRef): Erased {
  const t = resourceType(model, ref.type);
  if (!t) throw new UnsupportedError(isCoreType(ref.type) ? `This ${ref.type} offers no such operation` : `Unknown resource type "${ref.type}"`);
  return erase(t, ref);
}

/** Whether `when` holds for the item (a `when` that throws offers nothing). */
export function offered(a: Pick<ActionDecl<unknown, NodeRef>, 'when'>, item: unknown): boolean {
  try {
    return !a.when || a.when(item);
  } catch {
    return false;
  }
}

/** The actions offered on an item (`item`: as the tree listed it; a core node's item is its reference). */
export function actionsFor(model: AdminModel | undefined, ref: AnyRef, item: unknown): ActionDecl<unknown, NodeRef>[] {
  const t = resourceType(model, ref.type);
  if (!t) return [];
  return erase(t, ref).actions.filter((a) => offered(a, t.shape === 'core' ? ref : item));
}

/**
 * The operation `op` on `ref` (for `create`: the list's reference or the core node's), resolved from the provider's
 * model each time, so a panel restored after a reload finds it again. `item` is the item when the caller has it (a
 * tree node); otherwise confirmations read it again where the type can.
 */
export function resolveOperation(model: AdminModel | undefined, op: OperationKind, ref: AnyRef, actionId?: string, item?: unknown): Operation {
  const e = declared(model, ref);
  const none = (): never => {
    throw new UnsupportedError(`A ${e.itemTitle} offers no such operation`);
  };
  if (op === 'create') {
    const c = e.create ?? none();
    const form = c.form;
    const verify = form.verify?.bind(form);
    return { op, title: c.title ?? `Create ${e.itemTitle}`, form, ...(verify ? { verify: (v, s) => verify(ref.scope, v, s) } : {}), run: (v, s) => c.run(ref.scope, v ?? {}, s) };
  }
  const target = e.target ?? none();
  const subject = async (signal?: AbortSignal): Promise<{ item: unknown } | undefined> => {
    if (item !== undefined) return { item };
    try {
      return e.read ? { item: await e.read(signal) } : undefined;
    } catch {
      return undefined;
    }
  };
  if (op === 'update') {
    const u = e.update ?? none();
    const form = u.form;
    const verify = form.verify?.bind(form);
    const values = async (s?: AbortSignal): Promise<Record<string, unknown>> => {
      const current: unknown = await u.values(target, s);
      return current && typeof current === 'object' ? { ...current } : {};
    };
    return { op, title: u.title ?? `Edit ${e.itemTitle}`, form, values, ...(verify ? { verify: (v, s) => verify(target, v, s) } : {}), run: (v, s) => u.run(target, v ?? {}, s) };
  }
  if (op === 'remove') {
    const r = e.remove ?? none();
    const title = r.title ?? `Delete ${e.itemTitle}`;
    const confirm = async (_v: unknown, signal?: AbortSignal): Promise<Confirmation> => {
      const s = await subject(signal);
      return s ? r.confirm(s.item, target, signal) : fallback(title, target, e);
    };
    return { op, title, confirm, run: (_v, s) => r.run(target, s) };
  }
  const a = e.actions.find((x) => x.id === actionId) ?? none();
  const form = a.input;
  const verify = form?.verify?.bind(form);
  const confirm = a.confirm?.bind(a);
  return {
    op,
    title: a.title,
    ...(form ? { form } : {}),
    ...(verify ? { verify: (v, s) => verify(target, v, s) } : {}),
    // The panel has the reference, not the item: read it again when the type can, for the confirmation.
    ...(confirm
      ? {
          confirm: async (v, signal) => {
            const s = await subject(signal);
            return s ? confirm(s.item, target, v, signal) : fallback(a.title, target, e);
          },
        }
      : {}),
    run: (v, s) => a.run(target, v, s),
  };
}

/** A confirmation naming the object when the item itself cannot be read again. */
function fallback(title: string, target: NodeRef, e: Erased): Confirmation {
  return { message: `${title.replace(/…$/, '')}: ${hasKey(target) ? target.key : e.title}?`, button: title.replace(/…$/, '') };
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
