import * as z from 'zod';
import { BadResponseError } from '../errors';
import type { Cursor, Page } from '../provider';
import type { HarborClient } from './client';

/**
 * Tag retention of Harbor's `/api/v2.0` (`/retentions…`): the policy of a project (its id is the project's
 * `metadata.retention_id`), the rule templates Harbor offers, executions (dry runs and real runs), their tasks (one
 * per repository) and each task's log, the table of what was retained and deleted. Shapes from the document's
 * `RetentionPolicy`, `RetentionRule`, `RetentionMetadata`, `RetentionExecution`, `RetentionExecutionTask`.
 * Harbor checks the "tag-retention" permission of the project: project admins, maintainers and developers have it.
 */

const optStr = z.string().nullable().optional();
const optInt = z.number().int().nullable().optional();

export const retentionSelector = z.object({ kind: optStr, decoration: optStr, pattern: optStr, extras: optStr });
export type RetentionSelector = z.infer<typeof retentionSelector>;

export const retentionRule = z.object({
  id: optInt,
  priority: optInt,
  disabled: z.boolean().nullable().optional(),
  action: optStr,
  template: optStr,
  params: z.record(z.string(), z.unknown()).nullable().optional(),
  tag_selectors: z.array(retentionSelector).nullable().optional(),
  scope_selectors: z.record(z.string(), z.array(retentionSelector).nullable()).nullable().optional(),
});
export type RetentionRule = z.infer<typeof retentionRule>;

export const retentionTrigger = z.object({ kind: optStr, settings: z.record(z.string(), z.unknown()).nullable().optional(), references: z.unknown().optional() });
export type RetentionTrigger = z.infer<typeof retentionTrigger>;

export const retentionPolicy = z.object({
  id: optInt,
  algorithm: optStr,
  rules: z.array(retentionRule).nullable().optional(),
  trigger: retentionTrigger.nullable().optional(),
  scope: z.object({ level: optStr, ref: optInt }).nullable().optional(),
});
export type RetentionPolicy = z.infer<typeof retentionPolicy>;

export const retentionMetadata = z.object({
  templates: z
    .array(
      z.object({
        rule_template: optStr,
        display_text: optStr,
        action: optStr,
        params: z.array(z.object({ type: optStr, unit: optStr, required: z.boolean().nullable().optional() })).nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
});
export type RetentionMetadata = z.infer<typeof retentionMetadata>;

export const retentionExecution = z.object({
  id: z.number().int(),
  policy_id: optInt,
  start_time: optStr,
  end_time: optStr,
  status: optStr,
  trigger: optStr,
  dry_run: z.boolean().nullable().optional(),
});
export type RetentionExecution = z.infer<typeof retentionExecution>;

export const retentionTask = z.object({
  id: z.number().int(),
  execution_id: optInt,
  repository: optStr,
  job_id: optStr,
  status: optStr,
  status_code: optInt,
  start_time: optStr,
  end_time: optStr,
  total: optInt,
  retained: optInt,
});
export type RetentionTask = z.infer<typeof retentionTask>;

/** The body `POST /retentions` and `PUT /retentions/{id}` take (the document's `RetentionPolicy`). */
export interface RetentionPolicyBody {
  id?: number;
  algorithm: 'or';
  rules: RetentionRule[];
  trigger: { kind: 'Schedule'; settings: { cron: string }; references: Record<string, unknown> };
  scope: { level: 'project'; ref: number };
}

/** A task log is a table; beyond this much text it is cut (a repository with very many artifacts). */
const MAX_LOG_CHARS = 2_000_000;

/** An id Harbor gave (an integer path segment), checked before it goes into a path. */
export function positiveId(value: string | number, what = 'id'): number {
  const n = typeof value === 'number' ? value : /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new BadResponseError(`Invalid ${what} "${String(value).slice(0, 40)}"`);
  return n;
}

/** The id at the end of a `Location` header (`/api/v2.0/retentions/7` → 7), or undefined. */
export function locationId(location: string | undefined): number | undefined {
  const m = /\/(\d{1,15})\/?$/.exec(location?.split('?')[0] ?? '');
  return m ? Number(m[1]) : undefined;
}

const NEEDS = 'the "tag-retention" permission on the project (project admin, maintainer or developer)';

export class HarborRetentionApi {
  constructor(readonly client: HarborClient) {}

  /** The rule templates and selectors Harbor offers (`GET /retentions/metadatas`, any signed-in user). */
  metadatas(signal?: AbortSignal): Promise<RetentionMetadata> {
    return this.client.json({ method: 'GET', path: '/retentions/metadatas', what: 'the tag retention templates', signal }, retentionMetadata);
  }

  policy(id: number, signal?: AbortSignal): Promise<RetentionPolicy> {
    return this.client.json({ method: 'GET', path: `/retentions/${positiveId(id, 'retention id')}`, what: `retention policy ${id}`, needs: NEEDS, signal }, retentionPolicy);
  }

  /** Creates a project's policy; its id from the answer's `Location`, undefined when Harbor sent none. */
  async create(body: RetentionPolicyBody, signal?: AbortSignal): Promise<number | undefined> {
    const res = await this.client.send({ method: 'POST', path: '/retentions', json: body, what: 'the new retention policy', needs: NEEDS, signal });
    return locationId(res.header('location'));
  }

  async update(id: number, body: RetentionPolicyBody, signal?: AbortSignal): Promise<void> {
    await this.client.call({ method: 'PUT', path: `/retentions/${positiveId(id, 'retention id')}`, json: { ...body, id }, what: `retention policy ${id}`, needs: NEEDS, signal });
  }

  /** Starts an execution (a dry run deletes nothing); its id from `Location`, undefined when Harbor sent none. */
  async trigger(id: number, dryRun: boolean, signal?: AbortSignal): Promise<number | undefined> {
    const res = await this.client.send({ method: 'POST', path: `/retentions/${positiveId(id, 'retention id')}/executions`, json: { dry_run: dryRun }, what: `a ${dryRun ? 'dry run' : 'run'} of retention policy ${id}`, needs: NEEDS, signal });
    return locationId(res.header('location'));
  }

  executions(id: number, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<RetentionExecution>> {
    return this.client.page({ path: `/retentions/${positiveId(id, 'retention id')}/executions`, what: `the executions of retention policy ${id}`, needs: NEEDS, signal }, z.array(retentionExecution), cursor, pageSize);
  }

  async stop(id: number, eid: number, signal?: AbortSignal): Promise<void> {
    await this.client.call({ method: 'PATCH', path: `/retentions/${positiveId(id, 'retention id')}/executions/${positiveId(eid, 'execution id')}`, json: { action: 'stop' }, what: `execution ${eid} of retention policy ${id}`, needs: NEEDS, signal });
  }

  tasks(id: number, eid: number, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<RetentionTask>> {
    return this.client.page(
      { path: `/retentions/${positiveId(id, 'retention id')}/executions/${positiveId(eid, 'execution id')}/tasks`, what: `the tasks of retention execution ${eid}`, needs: NEEDS, signal },
      z.array(retentionTask),
      cursor,
      pageSize,
    );
  }

  /** A task's log (text/plain): the table of artifacts retained and deleted. */
  async taskLog(id: number, eid: number, tid: number, signal?: AbortSignal): Promise<string> {
    const res = await this.client.send({
      method: 'GET',
      path: `/retentions/${positiveId(id, 'retention id')}/executions/${positiveId(eid, 'execution id')}/tasks/${positiveId(tid, 'task id')}`,
      accept: 'text/plain, application/json;q=0.5',
      what: `the log of retention task ${tid}`,
      needs: NEEDS,
      signal,
    });
    const text = res.text();
    // A server that wraps the text in JSON (a string) is read too.
    const body = /^\s*"/.test(text) ? z.string().safeParse(safeJson(text)) : undefined;
    return (body?.success ? body.data : text).slice(0, MAX_LOG_CHARS);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
