import type * as z from 'zod';
import type { FieldChoices } from './choices';
import type { Cursor, Page, PageOptions } from './paging';

/**
 * The admin model: what a registry can administer, declared by its provider and rendered by one generic VS Code side
 * (a few commands, one form panel). Nothing here names a registry kind, and nothing here imports 'vscode'.
 *
 * Vocabulary:
 * - a *scope* says where in the tree something sits (registry, namespace, repository, tag, or inside another item);
 * - a *reference* names one item: its resource type, its scope and its key — JSON-safe, so it survives a window
 *   reload in a panel's restore state, and never parsed out of a string id;
 * - an *outcome* is what an operation returns for the UI to show.
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

/** A typed, JSON-safe reference to one item. */
export interface ResourceRef {
  /** The resource type (`ResourceType.type`), or one of the core node types `namespace`, `repository`, `tag`. */
  type: string;
  scope: Scope;
  /** Unique among the items of this type in this scope (a token id, a policy id, a member's name…). */
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

/**
 * A form: a zod object schema whose fields carry `.meta({ title, description, placeholder, multiline, secret })`.
 * Supported field shapes: string, number, boolean, enum, array of strings, array of objects (each a small form),
 * discriminated unions of objects (the discriminator chooses which extra fields show), optional/default wrappers.
 */
export interface FormDecl<V = Record<string, unknown>> {
  schema: z.ZodType<V>;
  /** Title of the panel; defaults to the operation's title. */
  title?: string;
  description?: string;
  submitLabel?: string;
  /** Fields whose values are picked from choices loaded from the server, by field path. */
  choices?: FieldChoices;
  /** Checked after parsing and before saving; the UI shows the verdict and asks for confirmation. */
  verify?(target: Scope | ResourceRef, values: V, signal?: AbortSignal): Promise<Verdict>;
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
  | { kind: 'panel'; panel: 'scan' | 'tagDetails'; repository: string; reference: string; platform?: string; refresh?: Refresh };

/** Which tree nodes to reload after an operation: the item itself, the list it is in, or the list's owner. */
export type Refresh = 'item' | 'list' | 'owner' | 'none';

/** A named operation on an item (or on a core node: see `AdminModel.nodeActions`). */
export interface ActionDecl<T = unknown> {
  id: string;
  title: string;
  icon?: string;
  /** Offered only when this holds for the item (e.g. "Activate" on an inactive token). */
  when?(item: T): boolean;
  /** Input asked for before running (a form; single-field forms may be asked in an input box). */
  input?: FormDecl;
  /** Asked after the input and before running; names the exact objects. */
  confirm?(item: T, input: Record<string, unknown> | undefined): Confirmation | undefined;
  run(ref: ResourceRef, input: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<Outcome>;
}

/** One kind of thing a registry administers (tokens, teams, a repository's pruning policies…). */
export interface ResourceType<T = unknown> {
  /** Unique within the model (e.g. `pat`, `pruningPolicy`). */
  type: string;
  /** Title of the list node (plural) or of the singleton node. */
  title: string;
  /** One item, lower case, for messages ("personal access token"). */
  itemTitle: string;
  icon: string;
  placement: Placement;
  /** `list`: a node listing items; `singleton`: one node that is the item (a repository's settings). */
  shape: 'list' | 'singleton';
  /** Whether the server offers this in the scope (feature detection); absent: always. Never throws. */
  available?(scope: Scope, signal?: AbortSignal): Promise<boolean>;
  /** The key of an item, for its reference. */
  key(item: T): string;
  view(item: T): ItemView;
  /** One page of items (shape `list`), with the provider's opaque cursors. */
  list?(scope: Scope, cursor: Cursor | undefined, opts?: PageOptions): Promise<Page<T>>;
  /** One item (shape `singleton` reads its item with `key` `''`). */
  get?(ref: ResourceRef, signal?: AbortSignal): Promise<T>;
  /** Items of this type can be expanded (something is placed under them). Derived by the UI from placements. */
  create?: { title?: string; form: FormDecl; run(scope: Scope, values: Record<string, unknown>, signal?: AbortSignal): Promise<Outcome> };
  update?: {
    title?: string;
    form: FormDecl;
    /** Current values of the form. */
    values(ref: ResourceRef, signal?: AbortSignal): Promise<Record<string, unknown>>;
    run(ref: ResourceRef, values: Record<string, unknown>, signal?: AbortSignal): Promise<Outcome>;
  };
  remove?: { title?: string; confirm(item: T, ref: ResourceRef): Confirmation; run(ref: ResourceRef, signal?: AbortSignal): Promise<Outcome> };
  actions?: ActionDecl<T>[];
}

/** Create / edit / delete / actions on the core nodes (namespace, repository, tag) the provider lists itself. */
export interface CoreNodeOps {
  /** Creates a child of the node (a repository in a namespace). */
  create?: { title: string; form: FormDecl; run(scope: Scope, values: Record<string, unknown>, signal?: AbortSignal): Promise<Outcome> };
  update?: {
    title: string;
    form: FormDecl;
    values(ref: ResourceRef, signal?: AbortSignal): Promise<Record<string, unknown>>;
    run(ref: ResourceRef, values: Record<string, unknown>, signal?: AbortSignal): Promise<Outcome>;
  };
  remove?: { title: string; confirm(ref: ResourceRef, signal?: AbortSignal): Promise<Confirmation>; run(ref: ResourceRef, signal?: AbortSignal): Promise<Outcome> };
  /** `when` receives the reference of the node. */
  actions?: ActionDecl<ResourceRef>[];
}

/** Everything a provider can administer. */
export interface AdminModel {
  groups: GroupDecl[];
  types: ResourceType<any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- each type has its own item shape
  nodes?: Partial<Record<'namespace' | 'repository' | 'tag', CoreNodeOps>>;
}

/** A resource type of the model by its `type`. */
export function resourceType(model: AdminModel, type: string): ResourceType<unknown> | undefined {
  return model.types.find((t) => t.type === type) as ResourceType<unknown> | undefined;
}

/** A canonical string for a reference (sorted keys), to compare references or key maps by them. */
export function refKey(ref: ResourceRef | Scope): string {
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
