import * as z from 'zod';
import { digest, mirroring, optBool, optInt, optStr, promotion, str } from './schemaParts';

/** zod schemas of DTR's administrative endpoints: policies, tag actions, webhooks and events, API tokens, administration. */

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
