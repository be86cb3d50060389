import type * as z from 'zod';
import type { FieldChoices } from './choices';

/**
 * Plain, JSON-safe descriptions of forms, generated from zod 4 schemas and their `.meta()`; the webview renders a
 * description without ever seeing the schema, and the extension validates the submitted values with the real one.
 * Only public schema facts are read: `.meta()` and each schema's definition type (`_zod.def`). No runtime zod import
 * here, so the webview bundle can use the value helpers below without pulling zod in.
 */

/** What a schema's `.meta({...})` may carry for forms. */
export interface FieldMeta {
  title?: string;
  description?: string;
  placeholder?: string;
  /** Render a string as a multi-line text area. */
  multiline?: boolean;
  /** A secret: password input, never echoed back. */
  secret?: boolean;
  /** Labels of enum options, by value ("repo:read" → "Read-only"). */
  labels?: Record<string, string>;
  /** Label of the "add" button of a list of objects. */
  addLabel?: string;
  /** Title of one element of a list of objects, numbered in the form ("Rule" → "Rule 1"). */
  itemTitle?: string;
}

export type FieldKind = 'string' | 'number' | 'boolean' | 'enum' | 'multiEnum' | 'stringList' | 'object' | 'objectList' | 'union';

export interface FieldOption {
  value: string;
  label: string;
}

/** One field of a form. Objects, lists of objects and union variants nest further fields. */
export interface FormField {
  name: string;
  kind: FieldKind;
  title: string;
  description?: string;
  placeholder?: string;
  multiline?: boolean;
  secret?: boolean;
  required: boolean;
  defaultValue?: unknown;
  /** `enum`, `multiEnum`. */
  options?: FieldOption[];
  /** `object`, `objectList` (the fields of one element). */
  fields?: FormField[];
  addLabel?: string;
  itemTitle?: string;
  /** `union`: the property that selects the variant, and the variants with their own fields. */
  discriminator?: string;
  variants?: { value: string; label: string; fields: FormField[] }[];
  /** `string`, `stringList`: values are picked from choices the page loads from the server (see `FieldChoices`). */
  choices?: ChoicesMark;
}

/** A field whose values come from choices loaded from the server. */
export interface ChoicesMark {
  /** The path the choices are declared under (field names joined with dots, no list indexes): sent back to load. */
  key: string;
  /** Whether a value outside the choices is accepted. */
  freeText: boolean;
  /** Characters to type before choices load. */
  minQuery?: number;
}

export interface FormDescription {
  fields: FormField[];
}

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  defaultValue?: unknown;
  entries?: Record<string, string | number>;
  values?: unknown[];
  element?: Schema;
  shape?: Record<string, Schema>;
  options?: Schema[];
  discriminator?: string;
}
interface Schema {
  _zod: { def: Def };
  meta?(): Record<string, unknown> | undefined;
}

function defOf(s: Schema): Def {
  return s._zod.def;
}

function metaOf(s: Schema): FieldMeta | undefined {
  const m = typeof s.meta === 'function' ? s.meta() : undefined;
  return m && typeof m === 'object' ? (m as FieldMeta) : undefined;
}

interface Unwrapped {
  inner: Schema;
  required: boolean;
  defaultValue?: unknown;
  meta: FieldMeta;
}

/** Strips optional / nullable / default / pipe / readonly wrappers, collecting their meta (outer wins). */
function unwrap(s: Schema): Unwrapped {
  let cur = s;
  let required = true;
  let defaultValue: unknown;
  const metas: FieldMeta[] = [];
  for (let i = 0; i < 12; i++) {
    const m = metaOf(cur);
    if (m) metas.push(m);
    const def = defOf(cur);
    if (def.type === 'optional' || def.type === 'nullable') {
      required = false;
      cur = def.innerType!;
    } else if (def.type === 'default' || def.type === 'prefault') {
      required = false;
      defaultValue = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
      cur = def.innerType!;
    } else if (def.type === 'pipe') {
      cur = def.in!;
    } else if (def.type === 'readonly' || def.type === 'catch') {
      cur = def.innerType!;
    } else break;
  }
  return { inner: cur, required, defaultValue, meta: Object.assign({}, ...metas.reverse()) as FieldMeta };
}

function optionsOf(values: unknown[], labels?: Record<string, string>): FieldOption[] {
  return values.map((v) => ({ value: String(v), label: labels?.[String(v)] ?? String(v) }));
}

function enumValues(def: Def): unknown[] | undefined {
  if (def.type === 'enum') return Object.values(def.entries ?? {});
  if (def.type === 'literal') return def.values ?? [];
  return undefined;
}

function objectFields(shape: Record<string, Schema>, skip?: string): FormField[] {
  return Object.entries(shape)
    .filter(([name]) => name !== skip)
    .map(([name, s]) => describeField(name, s));
}

function describeField(name: string, s: Schema): FormField {
  const u = unwrap(s);
  const def = defOf(u.inner);
  const m = u.meta;
  const f: FormField = { name, kind: 'string', title: m.title ?? name, required: u.required };
  if (m.description) f.description = m.description;
  if (m.placeholder) f.placeholder = m.placeholder;
  if (m.multiline) f.multiline = true;
  if (m.secret) f.secret = true;
  if (m.addLabel) f.addLabel = m.addLabel;
  if (m.itemTitle) f.itemTitle = m.itemTitle;
  if (u.defaultValue !== undefined) f.defaultValue = u.defaultValue;
  const values = enumValues(def);
  if (values) {
    f.kind = 'enum';
    f.options = optionsOf(values, m.labels);
    return f;
  }
  switch (def.type) {
    case 'boolean':
      f.kind = 'boolean';
      return f;
    case 'number':
    case 'int':
    case 'bigint':
      f.kind = 'number';
      return f;
    case 'object':
      f.kind = 'object';
      f.fields = objectFields(def.shape ?? {});
      return f;
    case 'array': {
      const el = unwrap(def.element!);
      const elDef = defOf(el.inner);
      const ev = enumValues(elDef);
      if (ev) {
        f.kind = 'multiEnum';
        f.options = optionsOf(ev, m.labels ?? el.meta.labels);
      } else if (elDef.type === 'object') {
        f.kind = 'objectList';
        f.fields = objectFields(elDef.shape ?? {});
      } else if (elDef.type === 'union' && elDef.discriminator) {
        f.kind = 'objectList';
        f.fields = [describeField('', el.inner)];
      } else {
        f.kind = 'stringList';
      }
      return f;
    }
    case 'union':
      if (def.discriminator) {
        const disc = def.discriminator;
        f.kind = 'union';
        f.discriminator = disc;
        f.variants = (def.options ?? []).map((o) => {
          const od = defOf(unwrap(o).inner);
          const discSchema = unwrap(od.shape![disc]!);
          const first = enumValues(defOf(discSchema.inner))?.[0];
          const value = typeof first === 'string' || typeof first === 'number' || typeof first === 'boolean' ? String(first) : '';
          return { value, label: discSchema.meta.title ?? metaOf(o)?.title ?? m.labels?.[value] ?? value, fields: objectFields(od.shape ?? {}, disc) };
        });
        return f;
      }
      return f;
    default:
      return f;
  }
}

/** Marks the text and list-of-text fields that `choices` declares, by path of names (`team`, `rules.values`). */
function markChoices(list: FormField[], choices: FieldChoices, prefix: string): void {
  for (const f of list) {
    const key = f.name === '' ? prefix : prefix ? `${prefix}.${f.name}` : f.name;
    const c = Object.hasOwn(choices, key) ? choices[key] : undefined;
    if (c && (f.kind === 'string' || f.kind === 'stringList') && !f.secret) {
      f.choices = { key, freeText: c.freeText === true };
      if (c.minQuery !== undefined && c.minQuery > 0) f.choices.minQuery = Math.min(Math.floor(c.minQuery), 100);
    }
    markChoices(f.fields ?? [], choices, key);
    for (const v of f.variants ?? []) markChoices(v.fields, choices, key);
  }
}

/**
 * The description of an object schema's form, in declaration order. A discriminated union at the top describes as
 * a single union field named `''` whose value is the whole form. `choices` (the form declaration's) marks the fields
 * whose values are picked from choices loaded from the server.
 */
export function describeForm(schema: z.ZodType, choices?: FieldChoices): FormDescription {
  const u = unwrap(schema);
  const def = defOf(u.inner);
  const fields = def.type === 'object' ? objectFields(def.shape ?? {}) : [describeField('', u.inner)];
  if (choices) markChoices(fields, choices, '');
  return { fields };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function coerceField(f: FormField, v: unknown): { set: boolean; value?: unknown } {
  switch (f.kind) {
    case 'boolean':
      return { set: true, value: v === true || v === 'true' };
    case 'stringList': {
      // One item per line: commas are data in some lists (an immutable-tag rule such as `v\d{1,3}`).
      const list = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x ?? ''))) : typeof v === 'string' ? v.split(/\r?\n/) : [];
      const clean = list.map((s) => s.trim()).filter(Boolean);
      return clean.length || f.required ? { set: true, value: clean } : { set: false };
    }
    case 'multiEnum': {
      const list = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
      return list.length || f.required ? { set: true, value: list } : { set: false };
    }
    case 'object':
      return { set: true, value: coerceObject(f.fields ?? [], isRecord(v) ? v : {}) };
    case 'objectList': {
      const list = Array.isArray(v) ? v : [];
      const items = list.map((x) => coerceObject(f.fields ?? [], isRecord(x) ? x : {}));
      return items.length || f.required ? { set: true, value: items } : { set: false };
    }
    case 'union': {
      const obj = isRecord(v) ? v : {};
      const disc = f.discriminator ?? '';
      const variant = f.variants?.find((x) => x.value === obj[disc]) ?? (f.required ? f.variants?.[0] : undefined);
      if (!variant) return { set: false };
      return { set: true, value: { [disc]: variant.value, ...coerceObject(variant.fields, obj) } };
    }
    default:
      break;
  }
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return f.required && f.defaultValue === undefined ? { set: true, value: '' } : { set: false };
  if (f.kind === 'number') {
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v.trim()) : NaN;
    return { set: true, value: Number.isNaN(n) ? v : n };
  }
  if (f.kind === 'string' && f.secret) return { set: true, value: v };
  return { set: true, value: typeof v === 'string' ? v.trim() : v };
}

function coerceObject(fields: FormField[], raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.name === '') {
      // A union standing for the whole object.
      const r = coerceField(f, raw);
      if (r.set && isRecord(r.value)) Object.assign(out, r.value);
      continue;
    }
    const r = coerceField(f, raw[f.name]);
    if (r.set) out[f.name] = r.value;
  }
  return out;
}

/**
 * Converts raw input (text of text fields, lines of lists) into the shapes the schema expects; empty optional fields
 * vanish. Runs in the webview (to compare drafts) and in the extension (before the schema parses).
 */
export function coerceFormValues(form: FormDescription | FormField[], raw: Record<string, unknown>): Record<string, unknown> {
  return coerceObject(Array.isArray(form) ? form : form.fields, isRecord(raw) ? raw : {});
}

/** Path of a field as used in field errors: names and list indexes joined with dots (`rules.2.values`). */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.') || '_form';
}

/** Field errors from a failed parse, one message per path (the first). */
export function fieldErrors(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) out[fieldPath(issue.path)] ??= issue.message;
  return out;
}

/**
 * The values with `replace`'s result in place of each secret field's value (undefined: the field is left out),
 * inside objects, lists of objects and union variants. Walks the description, not the values, so a hostile value
 * cannot make it recurse deeper than the form.
 */
function mapSecrets(list: FormField[], values: Record<string, unknown>, replace: (v: unknown) => unknown): Record<string, unknown> {
  let out: Record<string, unknown> = { ...values };
  for (const f of list) {
    if (f.name === '') {
      // A union standing for the whole object; a secret field of any variant is secret whichever is chosen.
      out = mapSecrets(variantFields(f), out, replace);
      continue;
    }
    if (!(f.name in out)) continue;
    const v = out[f.name];
    if (f.secret) {
      const r = replace(v);
      if (r === undefined) delete out[f.name];
      else out[f.name] = r;
    } else if (f.kind === 'object' && isRecord(v)) out[f.name] = mapSecrets(f.fields ?? [], v, replace);
    else if (f.kind === 'objectList' && Array.isArray(v)) out[f.name] = (v as unknown[]).map((x) => (isRecord(x) ? mapSecrets(f.fields ?? [], x, replace) : x));
    else if (f.kind === 'union' && isRecord(v)) out[f.name] = mapSecrets(variantFields(f), v, replace);
  }
  return out;
}

function variantFields(f: FormField): FormField[] {
  return (f.variants ?? []).flatMap((x) => x.fields);
}

/** The values with every secret field left out: what may be kept in a draft, a panel's state or a log. */
export function withoutSecrets(form: FormDescription | FormField[], values: Record<string, unknown>): Record<string, unknown> {
  return mapSecrets(Array.isArray(form) ? form : form.fields, isRecord(values) ? values : {}, () => undefined);
}

/** The text of every secret field in `values` (to register for redaction the moment they arrive). */
export function secretValues(form: FormDescription | FormField[], values: Record<string, unknown>): string[] {
  const found: string[] = [];
  mapSecrets(Array.isArray(form) ? form : form.fields, isRecord(values) ? values : {}, (v) => {
    if (typeof v === 'string' && v) found.push(v);
    return v;
  });
  return found;
}
