import * as z from 'zod/mini';
import { PANEL_LIMITS, severities } from '../registry/scan';
import { attachmentData, attachmentMessages } from './attachmentProtocol';
import { CHOICE_LIMITS, commonHostMessages, fieldKey, formData, requestId, restoreState } from './formProtocol';

/**
 * Messages between the extension and its webviews. Shared by both bundles (no 'vscode' import); both ends
 * `safeParse` what they receive and ignore (and log) anything that does not match.
 */

export const panelKinds = ['tagDetails', 'scan', 'form', 'compare', 'attachment'] as const;
export type PanelKind = (typeof panelKinds)[number];

export { CHOICE_LIMITS, formData, formField, restoreState, type FormData, type FormFieldMessage, type RestoreState } from './formProtocol';

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
/** A scan source id: `registry` or `attached:<digest>[#<layer>]`; the host accepts only one the report listed. */
const scanSourceId = z.string().check(z.minLength(1), z.maxLength(300));
const scanSourceRef = z.object({ id: scanSourceId, label: z.string().check(z.maxLength(500)), producedAt: z.optional(z.string().check(z.maxLength(64))) });
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
  /** Which source this report is from, and the tag's other sources (registry scanner, attached reports). */
  source: z.optional(scanSourceRef),
  sources: z.optional(z.array(scanSourceRef).check(z.maxLength(32))),
});

export const scanData = z.object({ registryName: z.optional(z.string()), report: scanReportSchema });
export type ScanData = z.infer<typeof scanData>;

export const scanFilterSchema = z.object({
  search: z.string().check(z.maxLength(200)),
  severities: z.array(severity),
  fixableOnly: z.boolean(),
});
export type ScanFilter = z.infer<typeof scanFilterSchema>;

const compareSide = z.object({ registryName: z.string(), repository: z.string(), reference: z.string(), digest: z.string() });
const text = z.string().check(z.maxLength(4_100));
/** Two images compared per platform (src/registry/compare.ts), computed in the extension. */
export const compareData = z.object({
  left: compareSide,
  right: compareSide,
  platforms: z.array(
    z.object({
      platform: text,
      leftDigest: z.optional(z.string()),
      rightDigest: z.optional(z.string()),
      identical: z.boolean(),
      leftSize: z.optional(z.number()),
      rightSize: z.optional(z.number()),
      sizeDelta: z.optional(z.number()),
      layers: z.array(z.object({ state: z.enum(['added', 'removed', 'shared']), digest: z.string(), size: z.number(), createdBy: z.optional(text) })).check(z.maxLength(1_000)),
      config: z.array(z.object({ field: text, before: z.optional(text), after: z.optional(text) })).check(z.maxLength(1_000)),
      vulnerabilities: z.optional(
        z.object({
          fixed: z.array(z.object({ id: text, severity, packageName: text, installedVersion: z.optional(text), fixedVersion: z.optional(text) })).check(z.maxLength(5_000)),
          introduced: z.array(z.object({ id: text, severity, packageName: text, installedVersion: z.optional(text), fixedVersion: z.optional(text) })).check(z.maxLength(5_000)),
          left: text,
          right: text,
        }),
      ),
      notes: z.array(text),
    }),
  ).check(z.maxLength(64)),
  notes: z.array(text),
});
export type CompareData = z.infer<typeof compareData>;

/** Extension → webview. */
const initMessage = z.discriminatedUnion('panel', [
  z.object({ type: z.literal('init'), panel: z.literal('tagDetails'), data: tagDetailsData, restore: restoreState }),
  z.object({ type: z.literal('init'), panel: z.literal('scan'), data: scanData, restore: restoreState }),
  z.object({ type: z.literal('init'), panel: z.literal('form'), data: formData, restore: restoreState }),
  z.object({ type: z.literal('init'), panel: z.literal('compare'), data: compareData, restore: restoreState }),
  z.object({ type: z.literal('init'), panel: z.literal('attachment'), data: attachmentData, restore: restoreState }),
]);

export const hostMessage = z.discriminatedUnion('type', [initMessage, ...commonHostMessages]);
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
  /** Scan panel: show another source's report (the registry's scanner or an attached report the current one lists). */
  z.object({ type: z.literal('selectSource'), source: scanSourceId }),
  /** Tag details: read one platform of a large index that was listed but not read (`detailsOmitted`). */
  z.object({ type: z.literal('loadPlatform'), digest: z.string().check(z.regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{16,256}$/)) }),
  z.object({ type: z.literal('save'), requestId, values: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('cancel') }),
  /** Form: the choices of the field declared under `field` (a `FormField.choices.key`) matching `query`. */
  z.object({ type: z.literal('choices'), requestId, field: fieldKey, query: z.string().check(z.maxLength(CHOICE_LIMITS.query)) }),
  z.object({ type: z.literal('dirty'), dirty: z.boolean(), values: z.optional(z.record(z.string(), z.unknown())) }),
  ...attachmentMessages,
]);
export type WebviewMessage = z.infer<typeof webviewMessage>;
