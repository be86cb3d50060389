/**
 * Webhooks of the fake Harbor (`/projects/{project_name_or_id}/webhook/…`), from the document's webhook operations:
 * policies (names unique in the project, at least one target with an http(s) address, event types and notify types
 * from `…/webhook/events`, payload formats per notify type), answered with the auth header as Harbor does, and the
 * executions of a policy. Roles, Harbor's "notification-policy" permission: project admins do everything,
 * maintainers read and list (403 otherwise).
 */
import type { HarborState, Principal, ProjectRec } from '../harborData';
import { roleIn } from '../harborData';
import { HARBOR_BASE } from '../harborSpec';
import { HttpError, type HarborFake, type HarborRoute, matchesQ, signedIn } from './kit';

export const WEBHOOK_EVENTS = {
  event_type: ['DELETE_ARTIFACT', 'PULL_ARTIFACT', 'PUSH_ARTIFACT', 'QUOTA_EXCEED', 'QUOTA_WARNING', 'REPLICATION', 'SCANNING_FAILED', 'SCANNING_STOPPED', 'SCANNING_COMPLETED', 'TAG_RETENTION'],
  notify_type: ['http', 'slack'],
  payload_formats: [
    { notify_type: 'http', formats: ['Default', 'CloudEvents'] },
    { notify_type: 'slack', formats: ['Default'] },
  ],
};

interface Target {
  type: string;
  address: string;
  auth_header?: string;
  skip_cert_verify: boolean;
  payload_format?: string;
}
export interface WebhookRec {
  id: number;
  project: string;
  name: string;
  description: string;
  enabled: boolean;
  event_types: string[];
  targets: Target[];
  created: string;
  updated: string;
}
export interface WebhookExecutionRec {
  id: number;
  policy: number;
  status: string;
  event_type: string;
  start: string;
  end: string;
}

export interface WebhookControl {
  policies: WebhookRec[];
  executions: WebhookExecutionRec[];
  /** The bodies of POST and PUT, in order. */
  received: unknown[];
}
const controls = new WeakMap<HarborState, WebhookControl>();
export function webhookControl(state: HarborState): WebhookControl {
  let c = controls.get(state);
  if (!c) controls.set(state, (c = { policies: [], executions: [], received: [] }));
  return c;
}

/** Records an execution of a policy (what Harbor's job service would after an event). */
export function addWebhookExecution(state: HarborState, policy: number, event_type: string, status = 'Success', at = new Date().toISOString()): WebhookExecutionRec {
  const e = { id: state.nextId++, policy, status, event_type, start: at, end: at };
  webhookControl(state).executions.push(e);
  return e;
}

const bad = (message: string) => new HttpError(400, 'BAD_REQUEST', message);

export function webhookRoutes(fake: HarborFake): HarborRoute[] {
  const { state } = fake;
  const c = webhookControl(state);
  const projectFor = (raw: string, who: Principal | undefined, write: boolean): ProjectRec => {
    const me = signedIn(who);
    const name = decodeURIComponent(raw);
    const p = /^\d+$/.test(name) ? [...state.projects.values()].find((x) => x.id === Number(name)) : state.projects.get(name);
    if (!p) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
    const role = roleIn(p, me);
    if (!me.sysadmin && !(write ? role === 1 : role === 1 || role === 4)) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
    return p;
  };
  const find = (p: ProjectRec, raw: string) => {
    const w = c.policies.find((x) => x.project === p.name && x.id === Number(raw));
    if (!w) throw new HttpError(404, 'NOT_FOUND', `webhook policy ${raw} not found`);
    return w;
  };
  const view = (w: WebhookRec) => ({
    id: w.id,
    name: w.name,
    description: w.description,
    project_id: state.projects.get(w.project)!.id,
    targets: w.targets,
    event_types: w.event_types,
    creator: 'admin',
    creation_time: w.created,
    update_time: w.updated,
    enabled: w.enabled,
  });
  const check = (p: ProjectRec, body: unknown, id?: number): Omit<WebhookRec, 'id' | 'project' | 'created' | 'updated'> => {
    const b = body as { name?: string; description?: string; enabled?: boolean; event_types?: string[]; targets?: Partial<Target>[] };
    if (!b.name?.trim()) throw bad('name is required');
    if (c.policies.some((x) => x.project === p.name && x.name === b.name && x.id !== id)) throw bad(`webhook policy ${b.name} already exists`);
    if (!b.event_types?.length || b.event_types.some((e) => !WEBHOOK_EVENTS.event_type.includes(e))) throw bad('invalid event types');
    if (!b.targets?.length) throw bad('at least one target');
    const targets = b.targets.map((t) => {
      if (!WEBHOOK_EVENTS.notify_type.includes(t.type ?? '')) throw bad(`invalid notify type ${String(t.type)}`);
      let u: URL;
      try {
        u = new URL(t.address ?? '');
      } catch {
        throw bad(`invalid address ${String(t.address)}`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw bad('address must be http or https');
      const formats = WEBHOOK_EVENTS.payload_formats.find((f) => f.notify_type === t.type)!.formats;
      if (t.payload_format !== undefined && !formats.includes(t.payload_format)) throw bad(`invalid payload format ${t.payload_format}`);
      return { type: t.type!, address: t.address!, ...(t.auth_header ? { auth_header: t.auth_header } : {}), skip_cert_verify: !!t.skip_cert_verify, ...(t.payload_format ? { payload_format: t.payload_format } : {}) };
    });
    return { name: b.name, description: b.description ?? '', enabled: b.enabled !== false, event_types: b.event_types, targets };
  };
  const base = /^\/projects\/([^/]+)\/webhook/;
  const path = (tail: string) => new RegExp(base.source + tail);
  return [
    { method: 'GET', path: path('/events$'), handle: (m, { who }) => (projectFor(m[1]!, who, false), WEBHOOK_EVENTS) },
    {
      method: 'GET',
      path: path('/policies$'),
      handle: (m, { who, q, out }) => {
        const p = projectFor(m[1]!, who, false);
        const list = c.policies.filter((x) => x.project === p.name && matchesQ(x.name, q.get('q')));
        return fake.page(out, `${HARBOR_BASE}/projects/${m[1]!}/webhook/policies`, q, list).map(view);
      },
    },
    {
      method: 'POST',
      path: path('/policies$'),
      handle: (m, { who, body, out }) => {
        c.received.push(body);
        const p = projectFor(m[1]!, who, true);
        const now = new Date().toISOString();
        const w: WebhookRec = { id: state.nextId++, project: p.name, ...check(p, body), created: now, updated: now };
        c.policies.push(w);
        out.status = 201;
        out.headers.Location = `${HARBOR_BASE}/projects/${m[1]!}/webhook/policies/${w.id}`;
        return undefined;
      },
    },
    { method: 'GET', path: path('/policies/(\\d+)$'), handle: (m, { who }) => view(find(projectFor(m[1]!, who, false), m[2]!)) },
    {
      method: 'PUT',
      path: path('/policies/(\\d+)$'),
      handle: (m, { who, body }) => {
        c.received.push(body);
        const p = projectFor(m[1]!, who, true);
        const w = find(p, m[2]!);
        Object.assign(w, check(p, body, w.id), { updated: new Date().toISOString() });
        return undefined;
      },
    },
    {
      method: 'DELETE',
      path: path('/policies/(\\d+)$'),
      handle: (m, { who }) => {
        const w = find(projectFor(m[1]!, who, true), m[2]!);
        c.policies = c.policies.filter((x) => x !== w);
        return undefined;
      },
    },
    {
      method: 'GET',
      path: path('/policies/(\\d+)/executions$'),
      handle: (m, { who, q, out }) => {
        const w = find(projectFor(m[1]!, who, false), m[2]!);
        const list = c.executions.filter((e) => e.policy === w.id).sort((a, b) => b.id - a.id);
        return fake.page(out, `${HARBOR_BASE}/projects/${m[1]!}/webhook/policies/${w.id}/executions`, q, list).map((e) => ({
          id: e.id,
          vendor_type: 'WEBHOOK',
          vendor_id: w.id,
          status: e.status,
          status_message: e.status === 'Error' ? 'endpoint answered 500' : '',
          trigger: 'EVENT',
          extra_attrs: { event_type: e.event_type },
          start_time: e.start,
          end_time: e.end,
        }));
      },
    },
  ];
}
