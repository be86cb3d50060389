import * as z from 'zod';
import { BadResponseError, NotFoundError } from '../errors';
import { parseJson } from '../http';
import { pathSegment } from '../names';
import type { Cursor, Page } from '../provider';
import type { HarborClient } from './client';

/**
 * Harbor's system administration (`/registries`, `/replication/…`, `/system/gc…`, `/scanners`): every call needs the
 * system administrator role. Shapes from the document's `Registry`, `RegistryUpdate`, `RegistryPing`,
 * `ReplicationPolicy`, `ReplicationExecution`, `ReplicationTask`, `GCHistory`, `Schedule`, `ScannerRegistration` and
 * `ScannerAdapterMetadata`; every property optional as in the document, `null` accepted where Go omits a value.
 */

const optStr = z.string().nullable().optional();
const optInt = z.number().nullable().optional();
const optBool = z.boolean().nullable().optional();
const ADMIN = 'the system administrator role';

export const registry = z.object({
  id: z.number().int(),
  name: z.string(),
  url: optStr,
  type: optStr,
  description: optStr,
  insecure: optBool,
  status: optStr,
  credential: z.object({ type: optStr, access_key: optStr }).nullable().optional(),
  creation_time: optStr,
  update_time: optStr,
});
export type HarborRegistryEndpoint = z.infer<typeof registry>;

export const replicationPolicy = z.object({
  id: z.number().int(),
  name: z.string(),
  description: optStr,
  src_registry: registry.nullable().optional(),
  dest_registry: registry.nullable().optional(),
  dest_namespace: optStr,
  dest_namespace_replace_count: optInt,
  trigger: z.object({ type: optStr, trigger_settings: z.object({ cron: optStr }).nullable().optional() }).nullable().optional(),
  filters: z.array(z.object({ type: optStr, value: z.unknown().optional(), decoration: optStr })).nullable().optional(),
  replicate_deletion: optBool,
  override: optBool,
  enabled: optBool,
  speed: optInt,
  update_time: optStr,
});
export type HarborReplicationPolicy = z.infer<typeof replicationPolicy>;

export const replicationExecution = z.object({
  id: z.number().int(),
  policy_id: optInt,
  status: optStr,
  trigger: optStr,
  start_time: optStr,
  end_time: optStr,
  status_text: optStr,
  total: optInt,
  failed: optInt,
  succeed: optInt,
  in_progress: optInt,
  stopped: optInt,
});
export type HarborReplicationExecution = z.infer<typeof replicationExecution>;

export const replicationTask = z.object({
  id: optInt,
  status: optStr,
  operation: optStr,
  resource_type: optStr,
  src_resource: optStr,
  dst_resource: optStr,
  start_time: optStr,
  end_time: optStr,
});
export type HarborReplicationTask = z.infer<typeof replicationTask>;

export const scheduleObj = z.object({ type: optStr, cron: optStr, next_scheduled_time: optStr });
export const gcHistory = z.object({
  id: optInt,
  job_name: optStr,
  job_kind: optStr,
  /** JSON text (`{"delete_untagged":true,"dry_run":false}`). */
  job_parameters: optStr,
  schedule: scheduleObj.nullable().optional(),
  job_status: optStr,
  creation_time: optStr,
  update_time: optStr,
});
export type HarborGcHistory = z.infer<typeof gcHistory>;
export type HarborGcRun = HarborGcHistory & { id: number };

export const scanner = z.object({
  uuid: z.string().min(1),
  name: z.string(),
  description: optStr,
  url: optStr,
  disabled: optBool,
  is_default: optBool,
  adapter: optStr,
  vendor: optStr,
  version: optStr,
  health: optStr,
});
export type HarborScanner = z.infer<typeof scanner>;

export const scannerMetadata = z.object({
  scanner: z.object({ name: optStr, vendor: optStr, version: optStr }).nullable().optional(),
  capabilities: z.array(z.object({ type: optStr, consumes_mime_types: z.array(z.string()).nullable().optional(), produces_mime_types: z.array(z.string()).nullable().optional() })).nullable().optional(),
  properties: z.record(z.string(), z.string()).nullable().optional(),
});
export type HarborScannerMetadata = z.infer<typeof scannerMetadata>;

/** What creating, editing or pinging a registry endpoint sends (`access_secret` only when one is given). */
export interface EndpointInput {
  name?: string;
  type?: string;
  url?: string;
  description?: string;
  accessKey?: string;
  accessSecret?: string;
  insecure?: boolean;
}

export interface GcParameters {
  delete_untagged?: boolean;
  dry_run?: boolean;
  workers?: number;
}

function idPath(prefix: string, id: number): string {
  if (!Number.isSafeInteger(id) || id < 1) throw new NotFoundError(`Invalid id ${String(id)}`);
  return `${prefix}/${id}`;
}

/** The log of a job: Harbor answers `text/plain`; a JSON string (some proxies re-encode it) is read as its text. */
function logText(type: string | undefined, text: string): string {
  if (!/json/i.test(type ?? '')) return text;
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'string') return v;
  } catch {
    /* not JSON after all: the text as sent */
  }
  if (text.trimStart().startsWith('{')) throw new BadResponseError('Harbor answered a JSON object where a log was expected');
  return text;
}

export class HarborSystemApi {
  constructor(readonly client: HarborClient) {}

  private page<T>(path: string, what: string, schema: z.ZodType<T[]>, cursor: Cursor | undefined, query: Record<string, string | number | undefined> = {}, signal?: AbortSignal): Promise<Page<T>> {
    return this.client.page({ path, query, what, needs: ADMIN, signal }, schema, cursor);
  }

  // ---- registry endpoints ----
  registries(cursor: Cursor | undefined, signal?: AbortSignal): Promise<Page<HarborRegistryEndpoint>> {
    return this.page('/registries', 'the registry endpoints', z.array(registry), cursor, {}, signal);
  }

  registry(id: number, signal?: AbortSignal): Promise<HarborRegistryEndpoint> {
    return this.client.json({ method: 'GET', path: idPath('/registries', id), what: `registry endpoint ${id}`, needs: ADMIN, signal }, registry);
  }

  /** The endpoint types this Harbor can replicate with (`harbor`, `docker-hub`, `docker-registry`…). */
  adapters(signal?: AbortSignal): Promise<string[]> {
    return this.client.json({ method: 'GET', path: '/replication/adapters', what: 'the registry endpoint types', needs: ADMIN, signal }, z.array(z.string()));
  }

  createRegistry(v: EndpointInput, signal?: AbortSignal): Promise<void> {
    const credential = v.accessKey || v.accessSecret ? { type: 'basic', access_key: v.accessKey ?? '', access_secret: v.accessSecret ?? '' } : undefined;
    const json = { name: v.name, type: v.type, url: v.url, description: v.description ?? '', insecure: !!v.insecure, credential };
    return this.client.call({ method: 'POST', path: '/registries', json, what: `registry endpoint ${v.name ?? ''}`, needs: ADMIN, signal });
  }

  /** `PUT /registries/{id}` with RegistryUpdate; the access secret is sent only when a new one is given (empty keeps it). */
  updateRegistry(id: number, v: EndpointInput, signal?: AbortSignal): Promise<void> {
    const json: Record<string, unknown> = { name: v.name, description: v.description ?? '', url: v.url, insecure: !!v.insecure, credential_type: 'basic', access_key: v.accessKey ?? '' };
    if (v.accessSecret) json.access_secret = v.accessSecret;
    return this.client.call({ method: 'PUT', path: idPath('/registries', id), json, what: `registry endpoint ${v.name ?? id}`, needs: ADMIN, signal });
  }

  deleteRegistry(id: number, name: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'DELETE', path: idPath('/registries', id), what: `registry endpoint ${name}`, needs: ADMIN, signal });
  }

  /** Whether Harbor reaches an endpoint: a saved one by id, or the values of a form. Throws Harbor's refusal. */
  ping(target: { id: number } | EndpointInput, signal?: AbortSignal): Promise<void> {
    const json =
      'id' in target
        ? { id: target.id }
        : { type: target.type, url: target.url, insecure: !!target.insecure, ...(target.accessKey || target.accessSecret ? { credential_type: 'basic', access_key: target.accessKey ?? '', access_secret: target.accessSecret ?? '' } : {}) };
    return this.client.call({ method: 'POST', path: '/registries/ping', json, what: 'the registry endpoint check', needs: ADMIN, signal });
  }

  // ---- replication ----
  policies(cursor: Cursor | undefined, signal?: AbortSignal): Promise<Page<HarborReplicationPolicy>> {
    return this.page('/replication/policies', 'the replication policies', z.array(replicationPolicy), cursor, {}, signal);
  }

  policy(id: number, signal?: AbortSignal): Promise<HarborReplicationPolicy> {
    return this.client.json({ method: 'GET', path: idPath('/replication/policies', id), what: `replication policy ${id}`, needs: ADMIN, signal }, replicationPolicy);
  }

  executions(policyId: number, cursor: Cursor | undefined, signal?: AbortSignal): Promise<Page<HarborReplicationExecution>> {
    return this.page('/replication/executions', `the executions of replication policy ${policyId}`, z.array(replicationExecution), cursor, { policy_id: policyId, sort: '-start_time' }, signal);
  }

  execution(id: number, signal?: AbortSignal): Promise<HarborReplicationExecution> {
    return this.client.json({ method: 'GET', path: idPath('/replication/executions', id), what: `replication execution ${id}`, needs: ADMIN, signal }, replicationExecution);
  }

  startExecution(policyId: number, name: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'POST', path: '/replication/executions', json: { policy_id: policyId }, what: `a replication of ${name}`, needs: ADMIN, signal });
  }

  stopExecution(id: number, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'PUT', path: idPath('/replication/executions', id), what: `replication execution ${id}`, needs: ADMIN, signal });
  }

  tasks(executionId: number, cursor: Cursor | undefined, signal?: AbortSignal): Promise<Page<HarborReplicationTask>> {
    return this.page(`${idPath('/replication/executions', executionId)}/tasks`, `the tasks of replication execution ${executionId}`, z.array(replicationTask), cursor, {}, signal);
  }

  // ---- garbage collection ----
  /** The schedule; Harbor answers 200 with no body when there is none (read as no schedule). */
  async gcSchedule(signal?: AbortSignal): Promise<HarborGcHistory> {
    const res = await this.client.send({ method: 'GET', path: '/system/gc/schedule', what: 'the garbage collection schedule', needs: ADMIN, signal });
    if (!res.text().trim()) return {};
    return parseJson(res, gcHistory, 'The garbage collection schedule');
  }

  /** Sets the periodic schedule (`PUT`; type `None` removes it). */
  setGcSchedule(schedule: { type: string; cron?: string }, parameters: GcParameters, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'PUT', path: '/system/gc/schedule', json: { schedule, parameters }, what: 'the garbage collection schedule', needs: ADMIN, signal });
  }

  /** Runs garbage collection now (`POST` with a `Manual` schedule). */
  runGc(parameters: GcParameters, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'POST', path: '/system/gc/schedule', json: { schedule: { type: 'Manual' }, parameters }, what: 'a garbage collection run', needs: ADMIN, signal });
  }

  gcHistory(cursor: Cursor | undefined, signal?: AbortSignal): Promise<Page<HarborGcRun>> {
    return this.page('/system/gc', 'the garbage collection history', z.array(gcHistory.extend({ id: z.number().int() })), cursor, { sort: '-creation_time' }, signal);
  }

  stopGc(id: number, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'PUT', path: idPath('/system/gc', id), what: `garbage collection ${id}`, needs: ADMIN, signal });
  }

  async gcLog(id: number, signal?: AbortSignal): Promise<string> {
    const res = await this.client.send({ method: 'GET', path: `${idPath('/system/gc', id)}/log`, accept: 'text/plain', what: `the log of garbage collection ${id}`, needs: ADMIN, signal });
    return logText(res.header('content-type'), res.text());
  }

  // ---- scanners ----
  scanners(cursor: Cursor | undefined, signal?: AbortSignal): Promise<Page<HarborScanner>> {
    return this.page('/scanners', 'the scanners', z.array(scanner), cursor, {}, signal);
  }

  scannerMetadata(uuid: string, name: string, signal?: AbortSignal): Promise<HarborScannerMetadata> {
    return this.client.json({ method: 'GET', path: `/scanners/${pathSegment(uuid, 'scanner id')}/metadata`, what: `the metadata of scanner ${name}`, needs: ADMIN, signal }, scannerMetadata);
  }

  setDefaultScanner(uuid: string, name: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'PATCH', path: `/scanners/${pathSegment(uuid, 'scanner id')}`, json: { is_default: true }, what: `scanner ${name}`, needs: ADMIN, signal });
  }
}
