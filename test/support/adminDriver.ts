import type { Confirmation, FormDecl, ItemView, NodeRef, Outcome, Placement, ResourceRef, ResourceType, Scope, Verdict } from '../../src/registry/admin';
import type { Cursor, Page } from '../../src/registry/paging';

/**
 * Drives a provider's admin declarations from tests the way the operation pipeline does: raw form values are parsed
 * by the operation's own schema before `run` (or `verify`, `confirm`) sees them, so a test passes the values a user
 * would type and an invalid one fails with the schema's ZodError.
 */

export type Item = Record<string, unknown>;
type Raw = Record<string, unknown> | undefined;
type Values = Record<string, unknown>;
/** A node (key-less: list, singleton) or an item's reference. */
type Ref = NodeRef | ResourceRef;

export interface DrivenAction {
  id: string;
  title: string;
  when?(item: Item): boolean;
  input?: FormDecl;
  confirm?(item: Item | Ref, ref: Ref, raw?: Raw): Promise<Confirmation | undefined>;
  run(ref: Ref, raw?: Raw): Promise<Outcome>;
}

export interface Driven {
  type: string;
  shape: ResourceType['shape'];
  placement?: Placement;
  available?(scope: Scope): Promise<boolean>;
  key(item: Item): string;
  view(item: Item): ItemView;
  list(scope: Scope, cursor?: Cursor): Promise<Page<Item>>;
  get(ref: Ref): Promise<Item>;
  create?: { title?: string; form: FormDecl; verify?(scope: Scope, raw: Raw): Promise<Verdict>; run(scope: Scope, raw: Raw): Promise<Outcome> };
  update?: { title?: string; form: FormDecl; values(ref: Ref): Promise<Item>; verify?(ref: Ref, raw: Raw): Promise<Verdict>; run(ref: Ref, raw: Raw): Promise<Outcome> };
  remove?: { title?: string; confirm(item: Item | Ref, ref: Ref): Promise<Confirmation>; run(ref: Ref): Promise<Outcome> };
  actions: DrivenAction[];
}

/** The declarations of every shape, seen loosely (each member present on some shapes only). */
interface Loose {
  type: string;
  shape: ResourceType['shape'];
  placement?: Placement;
  available?(scope: Scope): Promise<boolean>;
  key?(item: Item): string;
  view?(item: Item): ItemView;
  list?(scope: Scope, cursor: Cursor | undefined): Promise<Page<Item>>;
  get?(ref: Ref): Promise<Item>;
  create?: { title?: string; form: FormDecl; run(scope: Scope, values: Values): Promise<Outcome> };
  update?: { title?: string; form: FormDecl; values(ref: Ref): Promise<Item>; run(ref: Ref, values: Values): Promise<Outcome> };
  remove?: { title?: string; confirm(item: Item | Ref, ref: Ref): Promise<Confirmation>; run(ref: Ref): Promise<Outcome> };
  actions?: { id: string; title: string; when?(item: Item): boolean; input?: FormDecl; confirm?(item: Item | Ref, ref: Ref, input: Values | undefined): Promise<Confirmation | undefined>; run(ref: Ref, input: Values | undefined): Promise<Outcome> }[];
}

function missing(type: string, what: string): never {
  throw new Error(`${type} has no ${what}`);
}

/** A resource type (list, singleton or core) with its operations taking raw values. */
export function drive(declared: ResourceType): Driven {
  const t = declared as unknown as Loose;
  const parse = (form: FormDecl | undefined, raw: Raw): Values | undefined => (form ? form.schema.parse(raw ?? {}) : undefined);
  const verify = <T>(form: FormDecl, target: T, raw: Raw) => (form.verify ?? missing(t.type, 'verify'))(target as never, parse(form, raw)!);
  return {
    type: t.type,
    shape: t.shape,
    placement: t.placement,
    available: t.available && ((scope) => t.available!(scope)),
    key: (item) => (t.key ?? missing(t.type, 'key'))(item),
    view: (item) => (t.view ?? missing(t.type, 'view'))(item),
    list: (scope, cursor) => (t.list ?? missing(t.type, 'list'))(scope, cursor),
    get: (ref) => (t.get ?? missing(t.type, 'get'))(ref),
    create: t.create && { ...t.create, verify: async (scope, raw) => verify(t.create!.form, scope, raw), run: async (scope, raw) => t.create!.run(scope, parse(t.create!.form, raw)!) },
    update: t.update && {
      ...t.update,
      verify: async (ref, raw) => verify(t.update!.form, ref, raw),
      run: async (ref, raw) => t.update!.run(ref, parse(t.update!.form, raw)!),
    },
    remove: t.remove,
    actions: (t.actions ?? []).map((a) => ({
      ...a,
      confirm: a.confirm && (async (item, ref, raw) => a.confirm!(item, ref, parse(a.input, raw))),
      run: async (ref, raw) => a.run(ref, parse(a.input, raw)),
    })),
  };
}
