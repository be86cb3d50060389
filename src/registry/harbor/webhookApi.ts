import * as z from 'zod';
import type { Cursor, Page } from '../provider';
import { type HarborClient, projectPath } from './client';
import { positiveId } from './retentionApi';

/**
 * Webhooks of a project in Harbor's `/api/v2.0` (`/projects/{project_name_or_id}/webhook/…`): the policies
 * (`WebhookPolicy` with its `WebhookTargetObject` targets), the event and notify types the server supports
 * (`SupportedWebhookEventTypes`) and the executions of a policy (`Execution`). Harbor's "notification-policy"
 * permission: project admins may do everything, maintainers may read and list.
 *
 * Harbor answers a target's `auth_header` in the clear; listings drop it here (`hasAuthHeader` says whether one is
 * set) so that it never reaches a tree item, a tooltip or a form. Only `rawPolicy` keeps it, to send it back
 * unchanged when a policy is saved without a new header.
 */

const optStr = z.string().nullable().optional();

export const webhookTarget = z.object({
  type: optStr,
  address: optStr,
  auth_header: optStr,
  skip_cert_verify: z.boolean().nullable().optional(),
  payload_format: optStr,
});

export const webhookPolicy = z.object({
  id: z.number().int(),
  name: optStr,
  description: optStr,
  project_id: z.number().int().nullable().optional(),
  targets: z.array(webhookTarget).nullable().optional(),
  event_types: z.array(z.string()).nullable().optional(),
  creator: optStr,
  creation_time: optStr,
  update_time: optStr,
  enabled: z.boolean().nullable().optional(),
});
export type RawWebhookPolicy = z.infer<typeof webhookPolicy>;

/** A target without its auth header. */
export type SafeTarget = Omit<z.infer<typeof webhookTarget>, 'auth_header'> & { hasAuthHeader: boolean };
export type WebhookPolicy = Omit<RawWebhookPolicy, 'targets'> & { targets: SafeTarget[] };

export function withoutSecrets(p: RawWebhookPolicy): WebhookPolicy {
  return { ...p, targets: (p.targets ?? []).map(({ auth_header, ...rest }) => ({ ...rest, hasAuthHeader: !!auth_header })) };
}

export const webhookEvents = z.object({
  event_type: z.array(z.string()).nullable().optional(),
  notify_type: z.array(z.string()).nullable().optional(),
  payload_formats: z.array(z.object({ notify_type: optStr, formats: z.array(z.string()).nullable().optional() })).nullable().optional(),
});
export type WebhookEvents = z.infer<typeof webhookEvents>;

export const webhookExecution = z.object({
  id: z.number().int(),
  vendor_type: optStr,
  vendor_id: z.number().nullable().optional(),
  status: optStr,
  status_message: optStr,
  trigger: optStr,
  extra_attrs: z.record(z.string(), z.unknown()).nullable().optional(),
  start_time: optStr,
  end_time: optStr,
});
export type WebhookExecution = z.infer<typeof webhookExecution>;

/** The body of `POST` / `PUT …/webhook/policies` (the document's `WebhookPolicy`). */
export interface WebhookPolicyBody {
  id?: number;
  name: string;
  description: string;
  enabled: boolean;
  event_types: string[];
  targets: { type: string; address: string; auth_header?: string; skip_cert_verify: boolean; payload_format?: string }[];
}

const READ = 'the "notification-policy" read permission on the project (project admin or maintainer)';
const WRITE = 'the "notification-policy" permission to change webhooks (project admin)';
const NAMED = { 'X-Is-Resource-Name': 'true' };

export class HarborWebhookApi {
  constructor(readonly client: HarborClient) {}

  private base(project: string): string {
    return `${projectPath(project)}/webhook`;
  }

  async policies(project: string, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<WebhookPolicy>> {
    const page = await this.client.page({ path: `${this.base(project)}/policies`, headers: NAMED, what: `the webhooks of ${project}`, needs: READ, signal }, z.array(webhookPolicy), cursor, pageSize);
    return { ...page, items: page.items.map(withoutSecrets) };
  }

  /** A policy as Harbor has it, auth header included: only to send it back when saving. */
  rawPolicy(project: string, id: number, signal?: AbortSignal): Promise<RawWebhookPolicy> {
    return this.client.json({ method: 'GET', path: `${this.base(project)}/policies/${positiveId(id, 'webhook policy id')}`, headers: NAMED, what: `webhook ${id} of ${project}`, needs: READ, signal }, webhookPolicy);
  }

  async policy(project: string, id: number, signal?: AbortSignal): Promise<WebhookPolicy> {
    return withoutSecrets(await this.rawPolicy(project, id, signal));
  }

  events(project: string, signal?: AbortSignal): Promise<WebhookEvents> {
    return this.client.json({ method: 'GET', path: `${this.base(project)}/events`, headers: NAMED, what: `the webhook event types of ${project}`, needs: READ, signal }, webhookEvents);
  }

  async create(project: string, body: WebhookPolicyBody, signal?: AbortSignal): Promise<void> {
    await this.client.call({ method: 'POST', path: `${this.base(project)}/policies`, headers: NAMED, json: body, what: `the new webhook of ${project}`, needs: WRITE, signal });
  }

  async update(project: string, id: number, body: WebhookPolicyBody, signal?: AbortSignal): Promise<void> {
    const path = `${this.base(project)}/policies/${positiveId(id, 'webhook policy id')}`;
    await this.client.call({ method: 'PUT', path, headers: NAMED, json: { ...body, id }, what: `webhook ${id} of ${project}`, needs: WRITE, signal });
  }

  async remove(project: string, id: number, signal?: AbortSignal): Promise<void> {
    await this.client.call({ method: 'DELETE', path: `${this.base(project)}/policies/${positiveId(id, 'webhook policy id')}`, headers: NAMED, what: `webhook ${id} of ${project}`, needs: WRITE, signal });
  }

  executions(project: string, id: number, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<WebhookExecution>> {
    return this.client.page(
      { path: `${this.base(project)}/policies/${positiveId(id, 'webhook policy id')}/executions`, headers: NAMED, what: `the executions of webhook ${id} of ${project}`, needs: READ, signal },
      z.array(webhookExecution),
      cursor,
      pageSize,
    );
  }
}
