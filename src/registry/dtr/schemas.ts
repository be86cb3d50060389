import * as z from 'zod';
import { isVerifiableDigest } from '../digest';

/**
 * zod schemas of the DTR / MSR API (`/api/v0`, Swagger 2.0 document of DTR 2.6, plus the DTR 1.3 repository shapes).
 * Response schemas require what the product reads and tolerate the rest; form schemas are what the client sends.
 * Where the published document is wrong, the comment says so (see test/fixtures/specs/SOURCES.md).
 */

const str = z.string();
/**
 * A content digest as DTR sends it, checked where it enters: only sha256 / sha512 in the OCI grammar is kept, and
 * anything else (a digest carrying Markdown, a link, a line break) reads as absent, so it never reaches a tooltip, a
 * request path or a confirmation.
 */
export const digest = z
  .string()
  .optional()
  .transform((v) => (v !== undefined && isVerifiableDigest(v) ? v : undefined));
const optStr = z.string().optional();
const optBool = z.boolean().optional();
const optInt = z.number().int().optional();

// ---- repositories (2.6 and 1.3) ----

export const visibility = z.enum(['public', 'private']);
export type Visibility = z.infer<typeof visibility>;

/**
 * One repository in either shape: DTR 2.x (`id` a string, scanOnPush, immutableTags, tagLimit, pulls…) or DTR 1.3
 * (`id` an integer and `status: "ok"`, only descriptions and visibility). The shape is told by the response itself.
 */
export const repository = z.object({
  id: z.union([z.string(), z.number().int()]),
  namespace: str,
  namespaceType: z.enum(['user', 'organization']).optional(),
  name: str,
  shortDescription: optStr,
  longDescription: optStr,
  visibility: visibility.optional(),
  scanOnPush: optBool,
  immutableTags: optBool,
  enableManifestLists: optBool,
  pulls: optInt,
  pushes: optInt,
  tagLimit: optInt,
  status: optStr,
});
export type DtrRepository = Omit<z.output<typeof repository>, 'id'> & { id: string; apiShape: '1.3' | '2.6' };

/**
 * A parsed repository with its shape told apart. Done after parsing rather than in a zod transform: a transform
 * makes zod parse a page of repositories several times slower.
 */
export function toDtrRepository(r: z.output<typeof repository>): DtrRepository {
  // zod hands back a fresh object, so it is completed in place rather than copied (a page has 100 of them).
  const apiShape: DtrRepository['apiShape'] = typeof r.id === 'number' || r.status !== undefined ? '1.3' : '2.6';
  return Object.assign(r, { id: String(r.id), apiShape });
}

export const repositories = z.object({ repositories: z.array(repository) });

// ---- tags and manifests ----

/** `responses.Manifest`: the fields the tree shows (the rest — config, Dockerfile lines — come with tag details). */
export const manifest = z.object({
  digest,
  mediaType: optStr,
  size: z.number().optional(),
  os: optStr,
  architecture: optStr,
});
export type DtrManifest = z.infer<typeof manifest>;

/** `responses.OldScanSummary`: the scan counts a tag may carry as `vuln_summary`. */
export const vulnSummary = z.object({
  critical: z.number().int(),
  major: z.number().int(),
  minor: z.number().int(),
  last_scan_status: optInt,
  check_completed_at: optStr,
  should_rescan: optBool,
});

/**
 * `responses.Promotion`. The document requires a property literally named "string" (a generator slip); DTR does not
 * send it, so it is not read.
 */
export const promotion = z.object({ promotionPolicyID: optStr, sourceRepository: optStr, sourceTag: optStr });
export const mirroring = z.object({ mirroringPolicyID: optStr, digest, remoteRepository: optStr, remoteTag: optStr });

/** `responses.ListTag` (and `responses.Tag`, which adds scan data). */
export const listTag = z.object({
  name: str,
  digest,
  author: optStr,
  createdAt: optStr,
  updatedAt: optStr,
  hashMismatch: optBool,
  inNotary: optBool,
  manifest: manifest.optional(),
  promotion: promotion.optional(),
  mirroring: mirroring.optional(),
  /** Not in ListTag by the document; read when present. */
  vuln_summary: vulnSummary.optional(),
});
export type DtrListTag = z.infer<typeof listTag>;
export const listTags = z.array(listTag);

/** `GET …/tags/{reference}`: one entry per platform of a manifest list. */
export const tagEntries = z.array(listTag);

/** `responses.ThinScanSummaries`: counts per image digest. */
export const vulnCount = z.object({ critical: z.number().int(), major: z.number().int(), minor: z.number().int() });
export const thinScanSummaries = z.object({ images: z.record(z.string(), vulnCount) });

// ---- meta ----

export const features = z.object({
  scanningEnabled: z.boolean(),
  scanningLicensed: z.boolean(),
  promotionLicensed: z.boolean(),
  mirroringLicensed: z.boolean(),
  onlineGCEnabled: optBool,
  metadataStoreOptedIn: optBool,
  db_version: z.number().optional(),
  ucpHost: optStr,
});
export type DtrFeatures = z.infer<typeof features>;

export const clusterStatus = z.object({
  replica_health: z.record(z.string(), z.string()).optional(),
  replica_readonly: z.record(z.string(), z.boolean()).optional(),
  gc_lock_holder: optStr,
});
export const alerts = z.array(z.object({ id: optStr, message: str, class: optStr, url: optStr }));

// ---- accounts and namespaces ----

export const account = z.object({ name: str, id: optStr, fullName: optStr, isOrg: optBool, isAdmin: optBool, isActive: optBool });
export const autocomplete = z.object({ accountResults: z.array(account).optional(), repositoryResults: z.array(repository).optional() });

export const accessLevel = z.enum(['read-only', 'read-write', 'admin']);
export type AccessLevel = z.infer<typeof accessLevel>;

/** `responses.RepoUserAccess`: the signed-in user's effective access to a repository. */
export const repoUserAccess = z.object({ accessLevel, user: account.optional(), repository: z.unknown().optional() });

/** `responses.Team` has only `id` and `clientUserIsMember` in the document; DTR also sends `name`, read when present. */
export const team = z.object({ id: str, name: optStr, clientUserIsMember: optBool });
export const teamAccess = z.object({ accessLevel, team });
/** The account service's teams of an organization (`/enzi/v0/accounts/{org}/teams`): ids with their names. */
export const enziTeams = z.object({ teams: z.array(z.object({ id: z.union([str, z.number()]), name: str })) });
export type DtrTeamAccess = z.infer<typeof teamAccess>;
export const repoTeamAccessList = z.object({ teamAccessList: z.array(teamAccess) });
export const namespaceTeamAccessList = z.object({ namespace: optStr, teamAccessList: z.array(teamAccess) });
export const namespaceTeamAccess = z.object({ accessLevel, team, namespace: optStr });

// ---- policies ----

/**
 * Rule fields and operators. The document types them as free strings and lists the sets only in prose (the
 * descriptions of the policy endpoints); here they are encoded once.
 */
export const ruleFields = [
  'tag',
  'license.name',
  'component.name',
  'vulnerability_all',
  'vulnerability_critical',
  'vulnerability_major',
  'vulnerability_minor',
  'updated_at',
  'updated_at_duration',
] as const;
export const ruleField = z.enum(ruleFields);
export type RuleField = z.infer<typeof ruleField>;
export const ruleOperators = ['eq', 'sw', 'ew', 'c', 'oo', 'noo', 'gte', 'gt', 'neq', 'lte', 'lt', 'bf', 'af'] as const;
export const ruleOperator = z.enum(ruleOperators);
export type RuleOperator = z.infer<typeof ruleOperator>;

/** Which operators each field accepts (from the prose of the document). */
export const operatorsByField: Record<RuleField, readonly RuleOperator[]> = {
  tag: ['eq', 'sw', 'ew', 'c', 'oo', 'noo'],
  'license.name': ['oo', 'noo'],
  'component.name': ['oo', 'noo'],
  vulnerability_all: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
  vulnerability_critical: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
  vulnerability_major: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
  vulnerability_minor: ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'],
  updated_at: ['bf', 'af'],
  updated_at_duration: ['bf', 'af'],
};

/**
 * A rule as the server sends it (tolerant: unknown fields still list; `ruleengine.Rule` requires none of its
 * properties, so a missing one reads as empty rather than failing the whole policy list).
 */
export const rule = z.object({ field: z.string().default(''), operator: z.string().default(''), values: z.array(z.string()).nullish().transform((v) => v ?? []) });
export type DtrRule = z.infer<typeof rule>;

/** A rule the client sends: field and operator from the sets above, the operator allowed for the field. */
export const ruleInput = z
  .object({ field: ruleField, operator: ruleOperator, values: z.array(z.string()) })
  .refine((r) => operatorsByField[r.field].includes(r.operator), { message: 'operator not allowed for this field', path: ['operator'] });
export type RuleInput = z.infer<typeof ruleInput>;

export const mirroringStatus = z.object({ code: optStr, detail: optStr, timestamp: optStr });

export const pruningPolicy = z.object({ id: str, rules: z.array(rule), repository: optStr, enabled: z.boolean(), lastPrunedAt: optStr });
export type DtrPruningPolicy = z.infer<typeof pruningPolicy>;
export const promotionPolicy = z.object({
  id: str,
  rules: z.array(rule),
  sourceRepository: optStr,
  targetRepository: str,
  tagTemplate: z.string().default(''),
  enabled: z.boolean(),
  lastPromotedAt: optStr,
});
export type DtrPromotionPolicy = z.infer<typeof promotionPolicy>;
export const pollMirroringPolicy = z.object({
  id: str,
  username: z.string().default(''),
  localRepository: optStr,
  remoteHost: str,
  remoteRepository: str,
  remoteCA: z.string().default(''),
  skipTLSVerification: z.boolean().default(false),
  enabled: z.boolean(),
  lastMirroredAt: optStr,
  lastStatus: mirroringStatus.optional(),
});
export type DtrPollMirroringPolicy = z.infer<typeof pollMirroringPolicy>;
export const pushMirroringPolicy = pollMirroringPolicy.extend({ rules: z.array(rule), tagTemplate: z.string().default('') });
export type DtrPushMirroringPolicy = z.infer<typeof pushMirroringPolicy>;
export const thinTags = z.array(z.object({ name: str, digest: digest.optional() }));

// ---- tag actions ----

export const promotionResult = promotion;
export const mirroringResult = mirroring;

// ---- webhooks and events ----

export const webhookTypes = [
  'TAG_PUSH',
  'TAG_PULL',
  'TAG_DELETE',
  'PROMOTION',
  'PUSH_MIRRORING',
  'POLL_MIRRORING',
  'MANIFEST_PUSH',
  'MANIFEST_PULL',
  'MANIFEST_DELETE',
  'REPO_EVENT',
  'SCAN_COMPLETED',
  'SCAN_FAILED',
  'SCANNER_UPDATE_COMPLETED',
] as const;
export const webhookType = z.enum(webhookTypes);
export const webhook = z.object({
  id: str,
  type: str,
  key: z.string().default(''),
  endpoint: str,
  authorID: optStr,
  createdAt: optStr,
  inactive: z.boolean().default(false),
  tlsCert: z.string().default(''),
  skipTLSVerification: z.boolean().default(false),
  lastSuccessfulAt: optStr,
});
export type DtrWebhook = z.infer<typeof webhook>;
export const webhooks = z.array(webhook);

const eventObject = z.object({ id: str, type: str, name: optStr, content: optStr });
export const event = z.object({ id: str, publishedAt: str, actor: str, actorType: optStr, type: str, object: eventObject.optional(), target: eventObject.optional(), repository: optStr });
export type DtrEvent = z.infer<typeof event>;
export const events = z.object({ events: z.array(event) });

// ---- API tokens ----

export const apiToken = z.object({
  hashedToken: str,
  tokenLabel: z.string().default(''),
  isActive: z.boolean(),
  lastUsed: optStr,
  createdAt: optStr,
  generatedBy: optStr,
  creatorUa: optStr,
});
export type DtrApiToken = z.infer<typeof apiToken>;
export const apiTokens = z.array(apiToken);
export const newApiToken = apiToken.extend({ token: z.string().min(1) });

// ---- administration ----

export const jobStatus = z.enum(['waiting', 'running', 'done', 'canceled', 'errored']);
export const job = z.object({
  id: str,
  action: str,
  status: z.union([jobStatus, z.string()]),
  workerID: optStr,
  scheduledAt: optStr,
  lastUpdated: optStr,
  parameters: z.record(z.string(), z.string()).optional(),
});
export type DtrJob = z.infer<typeof job>;
export const jobs = z.object({ jobs: z.array(job) });
export const jobLogs = z.array(z.object({ lineNum: z.number().int(), data: str }));
export const cron = z.object({ id: str, action: str, schedule: str, nextRun: optStr, retries: optInt });
export type DtrCron = z.infer<typeof cron>;
export const crons = z.object({ crons: z.array(cron) });
export const scannerStatus = z.object({
  state: z.number().int(),
  scanner_version: z.number().int().optional(),
  scannerUpdatedAt: optStr,
  db_version: z.number().int().optional(),
  db_updated_at: optStr,
  lastDBUpdateFailed: optBool,
  lastVulnOverridesDBUpdateFailed: optBool,
});

// ---- scan summaries ----

export const scannerVulnCount = vulnCount;
export const scannerLayer = z.object({ digest, mediaType: optStr, author: optStr, size: z.number().optional(), components: z.array(z.string()).default([]) });
export const scannerComponent = z.object({
  componentPK: str,
  name: str,
  version: z.string().default(''),
  source: optStr,
  filepaths: z.array(z.string()).default([]),
  cves: z.array(z.string()).default([]),
  licenses: z.array(z.string()).default([]),
  vulnCount: vulnCount.optional(),
});
export const scannerCve = z.object({ cvePK: str, summary: z.string().default(''), cvss: z.number().default(0), notes: optStr });
export const scannerLicense = z.object({ name: str, type: optStr, url: optStr });
export const vulnOverride = z.object({ pk: str, digest, component: str, componentVersion: optStr, cve: str, notes: optStr });
export type DtrVulnOverride = z.infer<typeof vulnOverride>;
export const scannedImage = z.object({
  pk: optStr,
  namespace: optStr,
  repository: optStr,
  tag: optStr,
  manifestDigest: digest,
  totalVulnCount: vulnCount.optional(),
  licenses: z.array(scannerLicense).default([]),
  layers: z.array(scannerLayer).default([]),
  components: z.array(scannerComponent).default([]),
  cves: z.array(scannerCve).default([]),
  maxCVSSValue: z.number().optional(),
  scannerFingerprint: z.object({ scannerType: z.number().optional(), version: z.array(z.string()).optional() }).optional(),
  vulnOverrides: z.array(vulnOverride).nullish(),
});
export type DtrScannedImage = z.infer<typeof scannedImage>;
/**
 * `responses.ScanSummary`, one per platform. The document has no os/architecture on it; DTR names the platform in
 * `scannedImage` only through the manifest, so the client asks one platform at a time (`?os=&arch=`).
 */
export const scanSummary = z.object({ scanStatus: optInt, shouldRescan: optBool, scannedImage });
export const scanSummaries = z.array(scanSummary);

/** The error envelope DTR sends with 4xx/5xx: `{"errors":[{"code","message","detail"}]}`. */
export const errorEnvelope = z.object({ errors: z.array(z.object({ code: optStr, message: optStr })) });

/** `os/arch` of a manifest DTR lists with a tag, when it names both. */
export function platformOf(m: DtrManifest | undefined): string | undefined {
  if (!m?.os || !m.architecture) return undefined;
  return `${m.os}/${m.architecture}`;
}
