import * as z from 'zod/mini';
import { PANEL_LIMITS, severities } from '../registry/scan';

/**
 * Messages between the extension and its webviews. Shared by both bundles (no 'vscode' import); both ends
 * `safeParse` what they receive and ignore (and log) anything that does not match.
 */

export const panelKinds = ['tagDetails', 'scan', 'form'] as const;
export type PanelKind = (typeof panelKinds)[number];

const requestId = z.string().check(z.minLength(1), z.maxLength(64));

const platform = z.object({ os: z.string(), architecture: z.string(), variant: z.optional(z.string()), digest: z.optional(z.string()), size: z.optional(z.number()) });
const stringRecord = z.record(z.string(), z.string());

export const imageDetailsSchema = z.object({
  overview: z.optional(z.string()),
  repository: z.string(),
  reference: z.string(),
  digest: z.string(),
  mediaType: z.string(),
  isIndex: z.boolean(),
  annotations: z.optional(stringRecord),
  images: z.array(
    z.object({
      platform: z.optional(platform),
      digest: z.string(),
      mediaType: z.string(),
      totalSize: z.number(),
      annotations: z.optional(stringRecord),
      detailsOmitted: z.optional(z.boolean()),
      layers: z.array(z.object({ digest: z.string(), mediaType: z.string(), size: z.number(), annotations: z.optional(stringRecord) })),
      config: z.optional(
        z.object({
          digest: z.string(),
          size: z.number(),
          created: z.optional(z.string()),
          author: z.optional(z.string()),
          os: z.optional(z.string()),
          architecture: z.optional(z.string()),
          variant: z.optional(z.string()),
          user: z.optional(z.string()),
          workingDir: z.optional(z.string()),
          env: z.array(z.string()),
          entrypoint: z.array(z.string()),
          cmd: z.array(z.string()),
          labels: stringRecord,
          exposedPorts: z.array(z.string()),
          volumes: z.array(z.string()),
          history: z.array(z.object({ created: z.optional(z.string()), createdBy: z.optional(z.string()), comment: z.optional(z.string()), emptyLayer: z.optional(z.boolean()) })),
        }),
      ),
    }),
  ),
});

export const tagDetailsData = z.object({
  registryName: z.string(),
  pullHost: z.string(),
  tag: z.optional(z.string()),
  details: imageDetailsSchema,
});
export type TagDetailsData = z.infer<typeof tagDetailsData>;

const severity = z.enum(severities);
/** A platform as a scan report names it (`os/arch[/variant]`); the host accepts only one the report listed. */
const platformName = z.string().check(z.minLength(1), z.maxLength(200));
export const scanReportSchema = z.object({
  status: z.enum(['completed', 'queued', 'scanning', 'failed', 'unsupported', 'notScanned']),
  scanner: z.optional(z.string()),
  scannedAt: z.optional(z.string()),
  repository: z.string(),
  reference: z.string(),
  digest: z.optional(z.string()),
  counts: z.record(severity, z.int().check(z.nonnegative())),
  packages: z.array(z.object({ name: z.string(), version: z.optional(z.string()), kind: z.optional(z.string()), layer: z.optional(z.string()) })),
  vulnerabilities: z.array(
    z.object({
      id: z.string(),
      severity,
      packageName: z.string(),
      installedVersion: z.optional(z.string()),
      fixedVersion: z.optional(z.string()),
      description: z.optional(z.string()),
      links: z.array(z.string()),
      layer: z.optional(z.string()),
      cvss: z.optional(z.number()),
    }),
  ),
  message: z.optional(z.string()),
  /** The platforms of a multi-platform tag that have their own report, and the one this report is for. */
  platforms: z.optional(z.array(platformName).check(z.maxLength(PANEL_LIMITS.platforms))),
  platform: z.optional(platformName),
  /** A panel's copy lists part of the report: the whole report's numbers (the extension exports all). */
  totalVulnerabilities: z.optional(z.int().check(z.nonnegative())),
  totalPackages: z.optional(z.int().check(z.nonnegative())),
  totalPlatforms: z.optional(z.int().check(z.nonnegative())),
});

export const scanData = z.object({ registryName: z.optional(z.string()), report: scanReportSchema });
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
  itemTitle?: string;
  discriminator?: string;
  variants?: { value: string; label: string; fields: FormFieldMessage[] }[];
}
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

export const scanFilterSchema = z.object({
  search: z.string().check(z.maxLength(200)),
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
    message: z.optional(z.string()),
    /** Server-side field errors, keyed by field path (`rules.2.values`). */
    fieldErrors: z.optional(z.record(z.string(), z.string())),
    /** Objects a check before saving found (tags a rule matches…), shown under the message. */
    items: z.optional(z.array(z.string())),
  }),
]);
export type HostMessage = z.infer<typeof hostMessage>;

/** Webview → extension. */
export const webviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('retry') }),
  z.object({ type: z.literal('copy'), text: z.string().check(z.minLength(1), z.maxLength(20_000)), what: z.optional(z.string().check(z.maxLength(100))) }),
  z.object({ type: z.literal('openLink'), url: z.string().check(z.maxLength(4096)) }),
  z.object({ type: z.literal('export'), requestId, format: z.enum(['json', 'csv']), filter: scanFilterSchema }),
  /** Scan panel: show the report of another platform of the same tag (one the current report lists). */
  z.object({ type: z.literal('selectPlatform'), platform: platformName }),
  /** Tag details: read one platform of a large index that was listed but not read (`detailsOmitted`). */
  z.object({ type: z.literal('loadPlatform'), digest: z.string().check(z.regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{16,256}$/)) }),
  z.object({ type: z.literal('save'), requestId, values: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('dirty'), dirty: z.boolean(), values: z.optional(z.record(z.string(), z.unknown())) }),
]);
export type WebviewMessage = z.infer<typeof webviewMessage>;
