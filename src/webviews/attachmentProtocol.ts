import * as z from 'zod/mini';
import { requestId } from './formProtocol';

/**
 * The attachment panel's data (src/registry/attachmentView.ts `AttachmentView`, plus where it comes from): an SBOM's
 * package table, a provenance, a signature and its verification result, or raw text. Shared by both bundles.
 */

const pairs = z.array(z.tuple([z.string(), z.string()]));
const subject = z.array(z.object({ name: z.optional(z.string()), digest: z.record(z.string(), z.string()) }));

export const sbomSchema = z.object({
  format: z.enum(['spdx', 'cyclonedx']),
  specVersion: z.optional(z.string()),
  name: z.optional(z.string()),
  created: z.optional(z.string()),
  tools: z.array(z.string()),
  packages: z.array(z.object({ name: z.string(), version: z.optional(z.string()), type: z.optional(z.string()), license: z.optional(z.string()), purl: z.optional(z.string()) })),
  omitted: z.int().check(z.nonnegative()),
});

const provenance = z.object({
  slsaVersion: z.string(),
  builder: z.optional(z.string()),
  buildType: z.optional(z.string()),
  sourceRepository: z.optional(z.string()),
  commit: z.optional(z.string()),
  entryPoint: z.optional(z.string()),
  parameters: pairs,
  startedOn: z.optional(z.string()),
  finishedOn: z.optional(z.string()),
  materials: z.array(z.object({ uri: z.string(), digest: z.optional(z.string()) })),
});

/** The result of checking a signature: `unchecked` until a key checks it; never guessed. */
export const verificationSchema = z.object({ status: z.enum(['verified', 'mismatch', 'not-verified-offline', 'unchecked']), detail: z.string() });

const body = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sbom'), sbom: sbomSchema, viaAttestation: z.boolean() }),
  z.object({ type: z.literal('provenance'), predicateType: z.string(), provenance, subject }),
  z.object({ type: z.literal('attestation'), predicateType: z.string(), subject, predicate: z.string() }),
  z.object({
    type: z.literal('signature'),
    scheme: z.string(),
    payload: z.optional(z.object({ dockerReference: z.optional(z.string()), manifestDigest: z.optional(z.string()), type: z.optional(z.string()), optional: pairs })),
    signature: z.optional(z.string()),
    certificate: z.optional(z.object({ subjectAltName: z.optional(z.string()), issuer: z.optional(z.string()), subject: z.optional(z.string()), validFrom: z.optional(z.string()), validTo: z.optional(z.string()) })),
    keyless: z.boolean(),
    verification: verificationSchema,
    payloadText: z.optional(z.string()),
  }),
  z.object({ type: z.literal('raw'), mediaType: z.string(), text: z.optional(z.string()) }),
]);

export const attachmentViewSchema = z.object({
  kind: z.enum(['signature', 'sbom', 'attestation', 'other']),
  label: z.string(),
  digest: z.string(),
  artifactType: z.optional(z.string()),
  mediaType: z.string(),
  source: z.string(),
  tag: z.optional(z.string()),
  created: z.optional(z.string()),
  subject: z.optional(z.string()),
  annotations: pairs,
  body,
  notes: z.array(z.string()),
});

export const attachmentData = z.object({
  registryName: z.string(),
  repository: z.string(),
  /** The tag the attachment was opened from, and the platform (of an index) it belongs to. */
  tag: z.optional(z.string()),
  platform: z.optional(z.string()),
  /** Other attachments of the same kind, one per platform of an index, to switch to (by index). */
  choices: z.array(z.object({ label: z.string(), current: z.boolean() })),
  view: attachmentViewSchema,
});
export type AttachmentData = z.infer<typeof attachmentData>;

/** Webview → extension: export the package table (filtered by `search`), or switch to another choice. */
export const attachmentMessages = [
  z.object({ type: z.literal('exportPackages'), requestId, format: z.enum(['json', 'csv']), search: z.string().check(z.maxLength(200)) }),
  z.object({ type: z.literal('selectChoice'), index: z.int().check(z.nonnegative(), z.maximum(1000)) }),
] as const;
