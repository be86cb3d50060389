import type { Choice, FieldChoices, Scope } from '../registry/choices';
import { toRegistryError } from '../registry/errors';
import type { FormField } from '../registry/formSpec';
import { redact } from '../registry/redact';
import { CHOICE_LIMITS, type HostMessage, type WebviewMessage } from './protocol';

/**
 * The form panel's answers to `choices` requests: loads a field's declared choices from the provider for the scope
 * the operation runs in. No 'vscode' import (translated texts come in), so unit tests drive it directly.
 * - A newer query for the same field cancels the one still loading (its result is never sent); closing the form
 *   cancels everything.
 * - At most `CHOICE_LIMITS.items` choices are sent (`more` says the list was cut); malformed entries are dropped and
 *   long labels shortened, so the page's own check always accepts the reply.
 * - A failure is sent as a message naming what could not be loaded, never as an empty list.
 */

export type ChoicesRequest = Extract<WebviewMessage, { type: 'choices' }>;
export type ChoicesResult = Extract<HostMessage, { type: 'choicesResult' }>;

export interface ChoicesTexts {
  /** "Could not load {0}: {1}" — what (the declaration's title, or `choicesOf`) and why. */
  couldNotLoad: string;
  /** "the choices of “{0}”" — the field's title, when the declaration has no title. */
  choicesOf: string;
  /** Why a field has no choices to load (a page asking for a field the form does not declare). */
  noChoices: string;
}

export interface ChoicesContext {
  /** The form's declared choices, resolved on use (the provider may come back after a reload). */
  choices(): FieldChoices | undefined;
  /** The scope the operation runs in (for an update or an action on an item: the item's scope). */
  scope: Scope;
  /** The title of the field the form marks with the choices declared under `key` (undefined: no field has them). */
  fieldTitle(key: string): string | undefined;
}

const fill = (template: string, ...args: string[]): string => template.replace(/\{(\d)\}/g, (m, i: string) => args[Number(i)] ?? m);

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The choices as the page accepts them: valid entries only, each value once, labels bounded, the list cut. */
export function boundChoices(raw: unknown): { items: Choice[]; more?: boolean } {
  if (!Array.isArray(raw)) throw new Error('the answer is not a list');
  const items: Choice[] = [];
  const seen = new Set<string>();
  for (const x of raw as unknown[]) {
    if (!x || typeof x !== 'object') continue;
    const { value, label, description } = x as Record<string, unknown>;
    if (typeof value !== 'string' || !value || value.length > CHOICE_LIMITS.value || seen.has(value)) continue;
    if (items.length === CHOICE_LIMITS.items) return { items, more: true };
    seen.add(value);
    const c: Choice = { value, label: clip(typeof label === 'string' && label ? label : value, CHOICE_LIMITS.label) };
    if (typeof description === 'string' && description) c.description = clip(description, CHOICE_LIMITS.description);
    items.push(c);
  }
  return { items };
}

/** The title of the field whose choices are declared under `key`, if a field has them. */
export function choiceFieldTitle(fields: FormField[], key: string): string | undefined {
  for (const f of fields) {
    if (f.choices?.key === key) return f.title;
    const found = choiceFieldTitle([...(f.fields ?? []), ...(f.variants ?? []).flatMap((v) => v.fields)], key);
    if (found !== undefined) return found;
  }
  return undefined;
}

export class FormChoices {
  /** The load in progress per field. */
  private readonly loading = new Map<string, AbortController>();
  private closed = false;

  constructor(
    private readonly ctx: ChoicesContext,
    private readonly texts: ChoicesTexts,
  ) {}

  /** Answers one request; the result is posted unless a newer request for the field (or closing) cancelled it. */
  async handle(msg: ChoicesRequest, post: (m: ChoicesResult) => void): Promise<void> {
    this.loading.get(msg.field)?.abort();
    if (this.closed) return;
    const ac = new AbortController();
    this.loading.set(msg.field, ac);
    const reply = (r: { items: Choice[]; more?: boolean; error?: string }): void => {
      if (!ac.signal.aborted) post({ type: 'choicesResult', requestId: msg.requestId, field: msg.field, ...r });
    };
    let what = fill(this.texts.choicesOf, msg.field);
    try {
      const choices = this.ctx.choices();
      const source = choices && Object.hasOwn(choices, msg.field) ? choices[msg.field] : undefined;
      const title = this.ctx.fieldTitle(msg.field);
      what = source?.title ?? fill(this.texts.choicesOf, title ?? msg.field);
      // Only a field the form shows with choices loads them (not a secret, not an enum with its own options).
      if (!source || title === undefined) throw new Error(this.texts.noChoices);
      const query = msg.query.trim();
      if (query.length < (source.minQuery ?? 0)) return reply({ items: [] });
      const items = await source.load(this.ctx.scope, query, ac.signal);
      reply(boundChoices(items));
    } catch (e) {
      const err = toRegistryError(e);
      reply({ items: [], error: clip(fill(this.texts.couldNotLoad, what, redact(err.message)), CHOICE_LIMITS.error) });
    } finally {
      if (this.loading.get(msg.field) === ac) this.loading.delete(msg.field);
    }
  }

  /** Cancels every load in progress; later requests are not answered (the form is closed). */
  dispose(): void {
    this.closed = true;
    for (const ac of this.loading.values()) ac.abort();
    this.loading.clear();
  }
}
