import * as z from 'zod/mini';

/**
 * The form panel's part of the webview protocol (protocol.ts has all of it): what the form page validates, kept
 * apart so the form's bundle does not carry the other panels' schemas.
 */

export const requestId = z.string().check(z.minLength(1), z.maxLength(64));

/** A form description (src/registry/formSpec.ts), validated like any other message. */
const fieldKind = z.enum(['string', 'number', 'boolean', 'enum', 'multiEnum', 'stringList', 'object', 'objectList', 'union']);
const fieldOption = z.object({ value: z.string(), label: z.string() });
export interface FormFieldMessage {
  name: string;
  kind: z.infer<typeof fieldKind>;
  title: string;
  description?: string;
  placeholder?: string;
  multiline?: boolean;
  secret?: boolean;
  required: boolean;
  defaultValue?: unknown;
  options?: { value: string; label: string }[];
  fields?: FormFieldMessage[];
  addLabel?: string;
  itemTitle?: string;
  discriminator?: string;
  variants?: { value: string; label: string; fields: FormFieldMessage[] }[];
  choices?: { key: string; freeText: boolean; minQuery?: number };
}

/** Bounds of choices loaded from the server for a form field (src/registry/choices.ts), on both sides. */
export const CHOICE_LIMITS = { items: 200, query: 200, value: 1000, label: 500, description: 1000, error: 2000 } as const;
export const fieldKey = z.string().check(z.minLength(1), z.maxLength(200));
const choice = z.object({
  value: z.string().check(z.minLength(1), z.maxLength(CHOICE_LIMITS.value)),
  label: z.string().check(z.maxLength(CHOICE_LIMITS.label)),
  description: z.optional(z.string().check(z.maxLength(CHOICE_LIMITS.description))),
});
export const formField: z.ZodMiniType<FormFieldMessage> = z.lazy(() =>
  z.object({
    name: z.string().check(z.maxLength(200)),
    kind: fieldKind,
    title: z.string().check(z.maxLength(500)),
    description: z.optional(z.string().check(z.maxLength(4000))),
    placeholder: z.optional(z.string().check(z.maxLength(500))),
    multiline: z.optional(z.boolean()),
    secret: z.optional(z.boolean()),
    required: z.boolean(),
    defaultValue: z.optional(z.unknown()),
    options: z.optional(z.array(fieldOption)),
    fields: z.optional(z.array(formField)),
    addLabel: z.optional(z.string().check(z.maxLength(200))),
    itemTitle: z.optional(z.string().check(z.maxLength(200))),
    discriminator: z.optional(z.string()),
    variants: z.optional(z.array(z.object({ value: z.string(), label: z.string(), fields: z.array(formField) }))),
    choices: z.optional(z.object({ key: fieldKey, freeText: z.boolean(), minQuery: z.optional(z.int().check(z.nonnegative(), z.lte(100))) })),
  }),
);

export const formData = z.object({
  formId: z.string(),
  title: z.string(),
  description: z.optional(z.string()),
  /** The fields to render, described by the extension from the form's schema. */
  form: z.object({ fields: z.array(formField) }),
  /** Current values from the server / settings. */
  values: z.record(z.string(), z.unknown()),
  /** Field names the user may not change (e.g. the key of an existing object). */
  readOnly: z.optional(z.array(z.string())),
  submitLabel: z.optional(z.string()),
  /** Unsaved input to show over `values` (a draft recovered after the panel was closed). */
  draft: z.optional(z.record(z.string(), z.unknown())),
  /** Texts of the form's own buttons and messages, translated by the extension. */
  strings: z.optional(z.record(z.string(), z.string())),
});
export type FormData = z.infer<typeof formData>;

/** What a panel needs to reload itself after a window reload; kept by the webview with setState. */
export const restoreState = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type RestoreState = z.infer<typeof restoreState>;

/** Extension → webview messages every panel takes besides its `init`. */
export const commonHostMessages = [
  z.object({ type: z.literal('loading'), message: z.string() }),
  z.object({ type: z.literal('failed'), message: z.string(), retryable: z.boolean() }),
  z.object({
    type: z.literal('reply'),
    requestId,
    ok: z.boolean(),
    message: z.optional(z.string()),
    /** Server-side field errors, keyed by field path (`rules.2.values`). */
    fieldErrors: z.optional(z.record(z.string(), z.string())),
    /** Objects a check before saving found (tags a rule matches…), shown under the message. */
    items: z.optional(z.array(z.string())),
  }),
  /**
   * The choices of a form field for the page's query (`choices`); `more`: the list was cut at its bound; `error`:
   * why they could not be loaded (shown at the field, never an empty list in its place).
   */
  z.object({
    type: z.literal('choicesResult'),
    requestId,
    field: fieldKey,
    items: z.array(choice).check(z.maxLength(CHOICE_LIMITS.items)),
    more: z.optional(z.boolean()),
    error: z.optional(z.string().check(z.maxLength(CHOICE_LIMITS.error))),
  }),
] as const;

/** Extension → the form page. */
export const formHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), panel: z.literal('form'), data: formData, restore: restoreState }),
  ...commonHostMessages,
]);
