import type * as z from 'zod';
import type { FieldChoices } from './choices';
import type { Cursor, Page, PageOptions } from './paging';

/**
 * The admin model: what a registry can administer, declared by its provider and rendered by one generic VS Code side
 * (a few commands, one form panel). Nothing here names a registry kind, and nothing here imports 'vscode'.
 *
 * Vocabulary:
 * - a *scope* says where in the tree something sits (registry, namespace, repository, tag, or inside another item);
 * - a *reference* names one item: its resource type, its scope and its key (`ResourceRef`); a list or singleton
 *   node has no key (`NodeRef`) — both JSON-safe, so they survive a window reload in a panel's restore state;
 * - an *outcome* is what an operation returns for the UI to show.
 *
 * Namespaces, repositories and tags are resource types too (`shape: 'core'`): the provider lists them itself, and
 * their entry in `AdminModel.types` adds create (of a child: a repository in a namespace), update, remove, actions.
 * Declare types with `defineResource<Item>()` / `defineCore()` so form values are typed from their zod schemas.
 */

/** Where an item or list sits. Every field is plain data (JSON-safe). */
export interface Scope {
  namespace?: string;
  /** Full repository path as in pull references (`team/app`). */
  repository?: string;
  tag?: string;
  /** Digest of the tag's manifest, when known. */
  digest?: string;
  /** The item this list sits inside (e.g. the team whose members are listed). */
  parent?: ResourceRef;
}

/** A list or singleton node of a resource type in a scope (no key). */
export interface NodeRef {
  type: string;
  scope: Scope;
}

/** A typed, JSON-safe reference to one item of a list, or to a core node (`namespace`, `repository`, `tag`). */
export interface ResourceRef extends NodeRef {
  /** Unique among the items of this type in this scope (a token id, a member's name, a repository's full name…). */
  key: string;
}

/** How an item is shown in the tree. */
export interface ItemView {
  label: string;
  description?: string;
  tooltip?: string;
  /** Codicon id. */
  icon?: string;
}

/** Core tree levels a resource type can sit under. */
export type CoreLevel = 'registry' | 'namespace' | 'repository' | 'tag';

/** The core node types the provider lists itself; their model entries add operations. */
export const coreTypes = ['namespace', 'repository', 'tag'] as const;
export type CoreType = (typeof coreTypes)[number];

export function isCoreType(type: string): type is CoreType {
  return (coreTypes as readonly string[]).includes(type);
}

/** A group node (Policies, Access, Account, Administration…) declared once by the model and placed by id. */
export interface GroupDecl {
  id: string;
  title: string;
  icon: string;
}

/**
 * Where a resource type's list node appears: under a core level, or under each item of another resource type
 * (`{ type: 'team' }` puts the list of members under every team), optionally inside a group node.
 */
export interface Placement {
  under: CoreLevel | { type: string };
  /** Id of a `GroupDecl`; the group node is shown only when it has something to show. */
  group?: string;
}

/** A modal confirmation naming the exact objects affected. */
export interface Confirmation {
  message: string;
  detail?: string;
  /** The button that goes ahead (e.g. "Revoke Token"). */
  button: string;
}

/** What the provider says after checking form values before a save (e.g. which tags a rule would affect). */
export interface Verdict {
  /** One sentence for the confirmation. */
  summary: string;
  /** The objects concerned (tags that would be pruned or become immutable…), shown as a list. */
  items?: string[];
  /** False: the values cannot be saved as they are (the summary says why). */
  ok: boolean;
  /** The confirmation before saving; absent: save without asking. */
  confirm?: Confirmation;
}

/** An outcome the UI knows how to show. */
export type Outcome =
  /** Done; `refresh` says which tree nodes changed. */
  | { kind: 'done'; message: string; refresh?: Refresh }
  /** A secret the server shows once (a new token): shown with a Copy button, registered for redaction, never stored. */
  | { kind: 'secret'; message: string; label: string; secret: string; refresh?: Refresh }
  /** A list to review (e.g. tags a policy would prune). */
  | { kind: 'list'; title: string; items: string[]; message?: string; refresh?: Refresh }
  /**
   * A file to save (an export): the UI asks where (default name `fileName`), writes `content` as UTF-8 and shows
   * `message`; cancelling the save dialog writes nothing.
   */
  | { kind: 'file'; message: string; fileName: string; mediaType: string; content: string; refresh?: Refresh }
  /** Open a panel of the generic UI. */
  | { kind: 'panel'; panel: 'scan' | 'tagDetails'; repository: string; reference: string; platform?: string; refresh?: Refresh }
  /** Open the attachment panel on what `digest` is (an SBOM, a signature…), attached to `subject` of tag `reference`. */
  | { kind: 'panel'; panel: 'attachment'; repository: string; reference: string; subject: string; digest: string; attachmentKind: 'signature' | 'sbom' | 'attestation' | 'other'; refresh?: Refresh };

/** Which tree nodes to reload after an operation: the item itself, the list it is in, or the list's owner. */
export type Refresh = 'item' | 'list' | 'owner' | 'none';

/**
 * The schema of a form: a zod object whose fields carry `.meta({ title, description, placeholder, multiline,
 * secret })`, or a discriminated union of objects. Supported field shapes: string, number, boolean, enum, array of
 * strings, array of objects (each a small form), discriminated unions, optional/default wrappers.
 */
export type FormSchema = z.ZodType<Record<string, unknown>>;

/** A form on `Target` (a `Scope` for create, the item's reference for update and actions). */
export interface FormDecl<S extends FormSchema = FormSchema, Target = never> {
  schema: S;
  /** Title of the panel; defaults to the operation's title. */
  title?: string;
  description?: string;
  submitLabel?: string;
  /** Fields whose values are picked from what the server offers in the scope. */
  choices?: FieldChoices;
  /** Checked after parsing and before saving; the UI shows the verdict and asks for its confirmation. */
  verify?(target: Target, values: z.output<S>, signal?: AbortSignal): Promise<Verdict>;
}

/** Values of a form, as `run` receives them (parsed once by the pipeline). */
export type ValuesOf<S extends FormSchema | undefined> = S extends FormSchema ? z.output<S> : undefined;

/** Creates an item in a scope (on a core type: a child of the node, e.g. a repository in a namespace). */
export interface CreateDecl<S extends FormSchema = FormSchema> {
  title?: string;
  form: FormDecl<S, Scope>;
  run(scope: Scope, values: z.output<S>, signal?: AbortSignal): Promise<Outcome>;
}

/** Edits an item (`R`: `ResourceRef` for list items and core nodes, `NodeRef` for singletons). */
export interface UpdateDecl<R extends NodeRef, S extends FormSchema = FormSchema> {
  title?: string;
  form: FormDecl<S, R>;
  /** Current values of the form. */
  values(ref: R, signal?: AbortSignal): Promise<z.input<S>>;
  run(ref: R, values: z.output<S>, signal?: AbortSignal): Promise<Outcome>;
}

/** Deletes an item, after a confirmation naming it. */
export interface RemoveDecl<Item, R extends NodeRef> {
  title?: string;
  confirm(item: Item, ref: R, signal?: AbortSignal): Promise<Confirmation>;
  run(ref: R, signal?: AbortSignal): Promise<Outcome>;
}

/** A named operation on an item (on a core node, the item is the node's `ResourceRef`). */
export interface ActionDecl<Item, R extends NodeRef, S extends FormSchema | undefined = FormSchema | undefined> {
  id: string;
  title: string;
  icon?: string;
  /** Offered only when this holds for the item (e.g. "Activate" on an inactive token). */
  when?(item: Item): boolean;
  /** Input asked for before running (a form; single-field forms may be asked in an input box). */
  input?: S extends FormSchema ? FormDecl<S, R> : undefined;
  /** Asked after the input and before running; names the exact objects. */
  confirm?(item: Item, ref: R, input: ValuesOf<S>, signal?: AbortSignal): Promise<Confirmation | undefined>;
  run(ref: R, input: ValuesOf<S>, signal?: AbortSignal): Promise<Outcome>;
}

interface TypeBase<Item> {
  /** Unique within the model (e.g. `pat`, `pruningPolicy`). */
  type: string;
  /** Title of the list node (plural) or of the singleton node. */
  title: string;
  /** One item, lower case, for messages ("personal access token"). */
  itemTitle: string;
  icon: string;
  placement: Placement;
  /** Whether the server offers this in the scope (feature detection); absent: always. Never throws. */
  available?(scope: Scope, signal?: AbortSignal): Promise<boolean>;
  view(item: Item): ItemView;
}

/** A node listing items (tokens, teams, a repository's pruning policies…). */
export interface ListResource<Item = unknown, C extends FormSchema = FormSchema, U extends FormSchema = FormSchema> extends TypeBase<Item> {
  shape: 'list';
  /** The key of an item, for its reference. */
  key(item: Item): string;
  /** One page of items, with the provider's opaque cursors. */
  list(scope: Scope, cursor: Cursor | undefined, opts?: PageOptions): Promise<Page<Item>>;
  /** One item again (the panel has the reference, not the item). */
  get?(ref: ResourceRef, signal?: AbortSignal): Promise<Item>;
  create?: CreateDecl<C>;
  update?: UpdateDecl<ResourceRef, U>;
  remove?: RemoveDecl<Item, ResourceRef>;
  actions?: ActionDecl<Item, ResourceRef>[];
}

/** One node that is the item (a repository's settings); read on its own, so its failure stays on its node. */
export interface SingletonResource<Item = unknown, U extends FormSchema = FormSchema> extends TypeBase<Item> {
  shape: 'singleton';
  get(ref: NodeRef, signal?: AbortSignal): Promise<Item>;
  update?: UpdateDecl<NodeRef, U>;
  remove?: RemoveDecl<Item, NodeRef>;
  actions?: ActionDecl<Item, NodeRef>[];
}

/** Operations on the namespaces, repositories or tags the provider lists itself; the item is the node's reference. */
export interface CoreResource<C extends FormSchema = FormSchema, U extends FormSchema = FormSchema> {
  type: CoreType;
  shape: 'core';
  /** Creates a child of the node (a repository in a namespace). */
  create?: CreateDecl<C> & { title: string };
  update?: UpdateDecl<ResourceRef, U> & { title: string };
  remove?: RemoveDecl<ResourceRef, ResourceRef> & { title: string };
  actions?: ActionDecl<ResourceRef, ResourceRef>[];
}

/** One kind of thing a registry administers. */
export type ResourceType<Item = unknown> = ListResource<Item> | SingletonResource<Item> | CoreResource;

/** Everything a provider can administer. */
export interface AdminModel {
  groups: GroupDecl[];
  types: ResourceType<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- each type has its own item shape
}

/** An action whose input values are typed from its schema (or `undefined` without input). */
export function defineAction<Item, R extends NodeRef = ResourceRef>(): <S extends FormSchema | undefined = undefined>(a: ActionDecl<Item, R, S>) => ActionDecl<Item, R> {
  return (a) => a;
}

/**
 * Declares a list or singleton resource type with items of type `Item`; `create`/`update` values are typed from
 * their schemas: `defineResource<Token>()({ shape: 'list', …, create: { form: { schema }, run(scope, values) {…} } })`.
 */
export function defineResource<Item>(): {
  <C extends FormSchema = FormSchema, U extends FormSchema = FormSchema>(decl: ListResource<Item, C, U>): ListResource<Item>;
  <U extends FormSchema = FormSchema>(decl: SingletonResource<Item, U>): SingletonResource<Item>;
} {
  function define<C extends FormSchema, U extends FormSchema>(decl: ListResource<Item, C, U>): ListResource<Item>;
  function define<U extends FormSchema>(decl: SingletonResource<Item, U>): SingletonResource<Item>;
  function define(decl: ListResource<Item> | SingletonResource<Item>): ListResource<Item> | SingletonResource<Item> {
    return decl;
  }
  return define;
}

/** Declares the operations of a core type (`namespace`, `repository`, `tag`), values typed from their schemas. */
export function defineCore<C extends FormSchema = FormSchema, U extends FormSchema = FormSchema>(decl: CoreResource<C, U>): CoreResource {
  return decl;
}

/** A resource type of the model by its `type`. */
export function resourceType(model: AdminModel | undefined, type: string): ResourceType | undefined {
  const all = model?.types.filter((t) => t.type === type) ?? [];
  const first = all[0] as ResourceType | undefined;
  if (all.length < 2 || first?.shape !== 'core') return first;
  // Several parts of a model may each add operations to a core type (a tag's actions from different areas): they
  // are one entry, their actions in declaration order, create/update/remove from the first part declaring them.
  const cores = all.filter((t): t is CoreResource => t.shape === 'core');
  return {
    type: first.type,
    shape: 'core',
    create: cores.find((c) => c.create)?.create,
    update: cores.find((c) => c.update)?.update,
    remove: cores.find((c) => c.remove)?.remove,
    actions: cores.flatMap((c) => c.actions ?? []),
  };
}

/** The core entry of the model for a core type. */
export function coreType(model: AdminModel | undefined, type: CoreType): CoreResource | undefined {
  const t = resourceType(model, type);
  return t?.shape === 'core' ? t : undefined;
}

/** A canonical string for a reference (sorted keys), to compare references or key maps by them. */
export function refKey(ref: NodeRef | Scope): string {
  return JSON.stringify(ref, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** The item a scope sits inside, `levels` up (1: `scope.parent`, 2: its parent…). */
export function parentRef(scope: Scope, levels = 1): ResourceRef | undefined {
  let ref = scope.parent;
  for (let i = 1; i < levels && ref; i++) ref = ref.scope.parent;
  return ref;
}
