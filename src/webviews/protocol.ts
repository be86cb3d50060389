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
      detailsOmitted: z.boolean().optional(),
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
/** A platform as a scan report names it (`os/arch[/variant]`); the host accepts only one the report listed. */
const platformName = z.string().min(1).max(200);
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
  /** The platforms of a multi-platform tag that have their own report, and the one this report is for. */
  platforms: z.array(platformName).max(64).optional(),
  platform: platformName.optional(),
});

export const scanData = z.object({ registryName: z.string().optional(), report: scanReportSchema });
export type ScanData = z.infer<typeof scanData>;

export const formData = z.object({
  formId: z.string(),
  title: z.string(),
  description: z.string().optional(),
  /** Current values from the server / settings. */
  values: z.record(z.string(), z.unknown()),
  /** Field names the user may not change (e.g. the key of an existing object). */
  readOnly: z.array(z.string()).optional(),
  submitLabel: z.string().optional(),
  /** Unsaved input to show over `values` (a draft recovered after the panel was closed). */
  draft: z.record(z.string(), z.unknown()).optional(),
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
    /** Server-side field errors, keyed by field name. */
    fieldErrors: z.record(z.string(), z.string()).optional(),
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
  /** Scan panel: show the report of another platform of the same tag (one the current report lists). */
  z.object({ type: z.literal('selectPlatform'), platform: platformName }),
  z.object({ type: z.literal('save'), requestId, values: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('dirty'), dirty: z.boolean(), values: z.record(z.string(), z.unknown()).optional() }),
]);
export type WebviewMessage = z.infer<typeof webviewMessage>;
