import * as z from 'zod';
import { isVerifiableDigest } from '../digest';

/**
 * Response shapes of Harbor's `/api/v2.0` (the `definitions` of its Swagger 2.0 document) and of the vulnerability
 * report it serves (`HarborVulnerabilityReport` of the pluggable scanner specification). Only the keys read here are
 * checked; every property is optional as in the document, and `null` is accepted where Harbor's Go models omit or
 * null a value.
 */

const str = z.string();
const optStr = str.nullable().optional();
const optInt = z.number().nullable().optional();
const optBool = z.boolean().nullable().optional();
/** A digest that is shown and put in request paths: sha256 / sha512 in lower-case hex only. */
export const digest = str.refine(isVerifiableDigest, { message: 'is not a sha256 or sha512 digest' });

export const errors = z.object({ errors: z.array(z.object({ code: optStr, message: optStr })).nullable().optional() });

/** CVEAllowlist: the CVE ids a project (or the system) accepts, until `expires_at` (Unix seconds) when set. */
export const cveAllowlist = z.object({
  id: optInt,
  project_id: optInt,
  expires_at: optInt,
  items: z.array(z.object({ cve_id: optStr })).nullable().optional(),
});
export type CveAllowlist = z.infer<typeof cveAllowlist>;

/** ProjectMetadata: every value is a string ("true" / "false", a severity, an id). */
export const projectMetadata = z.record(z.string(), z.string().nullable());

export const project = z.object({
  project_id: optInt,
  name: str,
  registry_id: optInt,
  owner_name: optStr,
  repo_count: optInt,
  update_time: optStr,
  metadata: projectMetadata.nullable().optional(),
  cve_allowlist: cveAllowlist.nullable().optional(),
});
export type HarborProject = z.infer<typeof project>;
export const projects = z.array(project);

export const repository = z.object({
  id: optInt,
  project_id: optInt,
  /** The full name, project included (`team-a/app`). */
  name: str,
  description: optStr,
  artifact_count: optInt,
  pull_count: optInt,
  creation_time: optStr,
  update_time: optStr,
});
export type HarborRepository = z.infer<typeof repository>;
export const repositories = z.array(repository);

export const tag = z.object({ id: optInt, name: str, push_time: optStr, pull_time: optStr, immutable: optBool });

export const platform = z.object({ architecture: optStr, os: optStr, variant: optStr });

export const reference = z.object({
  child_digest: digest,
  platform: platform.nullable().optional(),
  annotations: z.record(z.string(), z.string()).nullable().optional(),
});

export const accessory = z.object({
  id: optInt,
  digest: digest.nullable().optional(),
  /** `signature.cosign`, `signature.notation`, `harbor.sbom`, `attestation` (or what a newer Harbor adds). */
  type: optStr,
  size: optInt,
  subject_artifact_digest: optStr,
  creation_time: optStr,
});
export type HarborAccessory = z.infer<typeof accessory>;
export const accessories = z.array(accessory);

export const vulnerabilitySummary = z.object({
  total: optInt,
  fixable: optInt,
  /** Counts keyed by Harbor's severity names (`Critical`, `High`, …). */
  summary: z.record(z.string(), z.number()).nullable().optional(),
});

/** NativeReportSummary: one scan of the artifact, keyed in `scan_overview` by the report's mime type. */
export const nativeReportSummary = z.object({
  report_id: optStr,
  /** `Success`, `Pending`, `Running`, `Error`, `Stopped`, `Not Scanned`… */
  scan_status: optStr,
  severity: optStr,
  complete_percent: optInt,
  start_time: optStr,
  end_time: optStr,
  summary: vulnerabilitySummary.nullable().optional(),
  scanner: z.object({ name: optStr, vendor: optStr, version: optStr }).nullable().optional(),
});
export type NativeReportSummary = z.infer<typeof nativeReportSummary>;

export const label = z.object({ id: optInt, name: optStr });

export const artifact = z.object({
  id: optInt,
  type: optStr,
  media_type: optStr,
  manifest_media_type: optStr,
  digest,
  size: optInt,
  push_time: optStr,
  pull_time: optStr,
  /** Image artifacts carry `os` / `architecture` / `created`…; their values are any JSON (the document says objects). */
  extra_attrs: z.record(z.string(), z.unknown()).nullable().optional(),
  references: z.array(reference).nullable().optional(),
  tags: z.array(tag).nullable().optional(),
  labels: z.array(label).nullable().optional(),
  scan_overview: z.record(z.string(), nativeReportSummary).nullable().optional(),
  accessories: accessories.nullable().optional(),
  addition_links: z.record(z.string(), z.object({ href: optStr, absolute: optBool })).nullable().optional(),
});
export type HarborArtifact = z.infer<typeof artifact>;
export const artifacts = z.array(artifact);

export const health = z.object({
  status: optStr,
  components: z.array(z.object({ name: str, status: optStr, error: optStr })).nullable().optional(),
});

export const systemInfo = z.object({
  harbor_version: optStr,
  auth_mode: optStr,
  registry_url: optStr,
  external_url: optStr,
  read_only: optBool,
});
export type HarborSystemInfo = z.infer<typeof systemInfo>;

/** The mime type of the vulnerability report Harbor serves (`X-Accept-Vulnerabilities`) and keys it by. */
export const VULN_REPORT_MIME = 'application/vnd.security.vulnerability.report; version=1.1';
/** The older native report, same shape for the fields read here. */
export const VULN_REPORT_MIME_V1 = 'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0';

export const vulnerabilityItem = z.object({
  id: str,
  package: optStr,
  version: optStr,
  fix_version: optStr,
  severity: optStr,
  description: optStr,
  links: z.array(z.string()).nullable().optional(),
  preferred_cvss: z.object({ score_v3: optInt, score_v2: optInt }).nullable().optional(),
  cwe_ids: z.array(z.string()).nullable().optional(),
});
export type HarborVulnerability = z.infer<typeof vulnerabilityItem>;

export const vulnerabilityReport = z.object({
  generated_at: optStr,
  scanner: z.object({ name: optStr, vendor: optStr, version: optStr }).nullable().optional(),
  severity: optStr,
  vulnerabilities: z.array(vulnerabilityItem).nullable().optional(),
});
export type HarborVulnerabilityReport = z.infer<typeof vulnerabilityReport>;

/** `GET …/additions/vulnerabilities`: the reports keyed by mime type (none when the artifact was never scanned). */
export const vulnerabilitiesAddition = z.record(z.string(), vulnerabilityReport.nullable());
