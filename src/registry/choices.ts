/**
 * Choices a form field offers, loaded from the server for the scope the operation runs in (teams, robots, users,
 * namespaces, repositories, scanners…). Nothing here imports 'vscode' or names a registry kind.
 */

/**
 * The scope choices are loaded for: the scope the operation runs in. The same shape as admin's `Scope` (each is
 * assignable to the other, checked by test/unit/choices.test.ts); declared here so that admin.ts can import this file
 * without an import cycle.
 */
export interface Scope {
  namespace?: string;
  repository?: string;
  tag?: string;
  digest?: string;
  parent?: { type: string; scope: Scope; key: string };
}

/** One choice: `value` is what the form field receives, `label` what the list shows (registry-supplied: escaped). */
export interface Choice {
  value: string;
  label: string;
  description?: string;
}

/** How one field loads its choices. */
export interface ChoiceSource {
  /**
   * The choices matching `query` (empty: the first ones) in `scope`; the host bounds the list it shows and cancels
   * `signal` when a newer query for the same field arrives or the form closes. Throws a clear error when loading fails.
   */
  load(scope: Scope, query: string, signal?: AbortSignal): Promise<Choice[]>;
  /** Whether a value outside the choices is accepted (only where the API accepts free text). */
  freeText?: boolean;
  /** Minimum characters before loading (entity searches). */
  minQuery?: number;
  /** What the choices are, plural and lower case ("teams"), for messages; defaults to the field's title. */
  title?: string;
}

/** Choices by field path (e.g. `team`, or `members` for a list of strings). */
export type FieldChoices = Record<string, ChoiceSource>;
