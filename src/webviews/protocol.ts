import * as z from 'zod';
import { severities } from '../registry/scan';

/**
 * Messages between the extension and its webviews. Shared by both bundles (no 'vscode' import); both ends
 * `safeParse` what they receive and ignore (and log) anything that does not match.
 */

export const panelKinds = ['tagDetails', 'scan', 'form'] as const;
export type PanelKind = (typeof panelKinds)[number];

const requestId = z.string().min(1).max(64);

const platform = z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional(), digest: z.string().optional(), size: z.number().optional() });
const stringRecord = z.record(z.string(), z.string());

export const imageDetailsSchema = z.object({
  overview: z.string().optional(),
  repository: z.string(),
  reference: z.string(),
  digest: z.string(),
  mediaType: z.string(),
  isIndex: z.boolean(),
  annotations: stringRecord.optional(),
  images: z.array(
    z.object({
      platform: platform.optional(),
      digest: z.string(),
      mediaType: z.string(),
      totalSize: z.number(),
      annotations: stringRecord.optional(),
      layers: z.array(z.object({ digest: z.string(), mediaType: z.string(), size: z.number(), annotations: stringRecord.optional() })),
      config: z
        .object({
          digest: z.string(),
          size: z.number(),
          created: z.string().optional(),
          author: z.string().optional(),
          os: z.string().optional(),
          architecture: z.string().optional(),
          variant: z.string().optional(),
          user: z.string().optional(),
          workingDir: z.string().optional(),
          env: z.array(z.string()),
          entrypoint: z.array(z.string()),
          cmd: z.array(z.string()),
          labels: stringRecord,
          exposedPorts: z.array(z.string()),
          volumes: z.array(z.string()),
          history: z.array(z.object({ created: z.string().optional(), createdBy: z.string().optional(), comment: z.string().optional(), emptyLayer: z.boolean().optional() })),
        })
        .optional(),
    }),
  ),
});

export const tagDetailsData = z.object({
  registryName: z.string(),
  pullHost: z.string(),
  tag: z.string().optional(),
  details: imageDetailsSchema,
});
export type TagDetailsData = z.infer<typeof tagDetailsData>;

const severity = z.enum(severities);
export const scanReportSchema = z.object({
  status: z.enum(['completed', 'queued', 'scanning', 'failed', 'unsupported', 'notScanned']),
  scanner: z.string().optional(),
  scannedAt: z.string().optional(),
  repository: z.string(),
  reference: z.string(),
  digest: z.string().optional(),
  counts: z.record(severity, z.number().int().nonnegative()),
  packages: z.array(z.object({ name: z.string(), version: z.string().optional(), kind: z.string().optional(), layer: z.string().optional() })),
  vulnerabilities: z.array(
    z.object({
      id: z.string(),
      severity,
      packageName: z.string(),
      installedVersion: z.string().optional(),
      fixedVersion: z.string().optional(),
      description: z.string().optional(),
      links: z.array(z.string()),
      layer: z.string().optional(),
      cvss: z.number().optional(),
    }),
  ),
  message: z.string().optional(),
});

export const scanData = z.object({ registryName: z.string().optional(), report: scanReportSchema });
export type ScanData = z.infer<typeof scanData>;

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
  discriminator?: string;
  variants?: { value: string; label: string; fields: FormFieldMessage[] }[];
}
export const formField: z.ZodType<FormFieldMessage> = z.lazy(() =>
  z.object({
    name: z.string().max(200),
    kind: fieldKind,
    title: z.string().max(500),
    description: z.string().max(4000).optional(),
    placeholder: z.string().max(500).optional(),
    multiline: z.boolean().optional(),
    secret: z.boolean().optional(),
    required: z.boolean(),
    defaultValue: z.unknown().optional(),
    options: z.array(fieldOption).optional(),
    fields: z.array(formField).optional(),
    addLabel: z.string().max(200).optional(),
    discriminator: z.string().optional(),
    variants: z.array(z.object({ value: z.string(), label: z.string(), fields: z.array(formField) })).optional(),
  }),
);

export const formData = z.object({
  formId: z.string(),
  title: z.string(),
  description: z.string().optional(),
  /** The fields to render, described by the extension from the form's schema. */
  form: z.object({ fields: z.array(formField) }),
  /** Current values from the server / settings. */
  values: z.record(z.string(), z.unknown()),
  /** Field names the user may not change (e.g. the key of an existing object). */
  readOnly: z.array(z.string()).optional(),
  submitLabel: z.string().optional(),
  /** Unsaved input to show over `values` (a draft recovered after the panel was closed). */
  draft: z.record(z.string(), z.unknown()).optional(),
  /** Texts of the form's own buttons and messages, translated by the extension. */
  strings: z.record(z.string(), z.string()).optional(),
});
export type FormData = z.infer<typeof formData>;

export const scanFilterSchema = z.object({
  search: z.string().max(200),
  severities: z.array(severity),
  fixableOnly: z.boolean(),
});
export type ScanFilter = z.infer<typeof scanFilterSchema>;

/** What a panel needs to reload itself after a window reload; kept by the webview with setState. */
export const restoreState = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type RestoreState = z.infer<typeof restoreState>;

/** Extension → webview. */
const initMessage = z.discriminatedUnion('panel', [
  z.object({ type: z.literal('init'), panel: z.literal('tagDetails'), data: tagDetailsData, restore: restoreState }),
  z.object({ type: z.literal('init'), panel: z.literal('scan'), data: scanData, restore: restoreState }),
  z.object({ type: z.literal('init'), panel: z.literal('form'), data: formData, restore: restoreState }),
]);

export const hostMessage = z.discriminatedUnion('type', [
  initMessage,
  z.object({ type: z.literal('loading'), message: z.string() }),
  z.object({ type: z.literal('failed'), message: z.string(), retryable: z.boolean() }),
  z.object({
    type: z.literal('reply'),
    requestId,
    ok: z.boolean(),
    message: z.string().optional(),
    /** Server-side field errors, keyed by field path (`rules.2.values`). */
    fieldErrors: z.record(z.string(), z.string()).optional(),
    /** Objects a check before saving found (tags a rule matches…), shown under the message. */
    items: z.array(z.string()).optional(),
  }),
]);
export type HostMessage = z.infer<typeof hostMessage>;

/** Webview → extension. */
export const webviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('retry') }),
  z.object({ type: z.literal('copy'), text: z.string().min(1).max(20_000), what: z.string().max(100).optional() }),
  z.object({ type: z.literal('openLink'), url: z.string().max(4096) }),
  z.object({ type: z.literal('export'), requestId, format: z.enum(['json', 'csv']), filter: scanFilterSchema }),
  z.object({ type: z.literal('save'), requestId, values: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('dirty'), dirty: z.boolean(), values: z.record(z.string(), z.unknown()).optional() }),
]);
export type WebviewMessage = z.infer<typeof webviewMessage>;
