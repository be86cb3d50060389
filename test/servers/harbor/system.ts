/**
 * System administration of the fake Harbor, system administrators only (403 for everyone else): registry endpoints
 * (`/registries`, `/registries/ping`, `/replication/adapters`), replication policies, executions and tasks, garbage
 * collection (`/system/gc…`) and scanners (`/scanners`). The data is seeded on first use and kept per state.
 */
import type { HarborState } from '../harborData';
import { HARBOR_BASE } from '../harborSpec';
import { type HarborFake, type HarborRoute, HttpError, sysAdmin } from './kit';

interface Endpoint {
  id: number;
  name: string;
  url: string;
  type: string;
  description: string;
  insecure: boolean;
  key: string;
  secret: string;
  status: string;
}
interface Execution {
  id: number;
  policy_id: number;
  status: string;
  trigger: string;
  start_time: string;
  end_time?: string;
  tasks: { id: number; status: string; src: string; dst: string }[];
}
interface Gc {
  id: number;
  kind: string;
  type: string;
  parameters: Record<string, unknown>;
  status: string;
  created: string;
}
interface SystemData {
  endpoints: Map<number, Endpoint>;
  policies: Map<number, Record<string, unknown>>;
  executions: Execution[];
  schedule?: { type: string; cron?: string; parameters: Record<string, unknown> };
  gc: Gc[];
  scanners: { uuid: string; name: string; url: string; is_default: boolean; healthy: boolean }[];
  nextId: number;
}

export const ADAPTERS = ['docker-hub', 'docker-registry', 'harbor', 'quay', 'github-ghcr'];
/** A URL the fake's ping cannot reach. */
export const UNREACHABLE = 'unreachable.invalid';
const T0 = '2024-06-01T00:00:00.000Z';
const stores = new WeakMap<HarborState, SystemData>();

export function systemOf(state: HarborState): SystemData {
  let d = stores.get(state);
  if (d) return d;
  d = { endpoints: new Map(), policies: new Map(), executions: [], gc: [], scanners: [], nextId: 100 };
  d.endpoints.set(1, { id: 1, name: 'docker-hub', url: 'https://hub.docker.com', type: 'docker-hub', description: 'Proxy cache upstream', insecure: false, key: '', secret: '', status: 'healthy' });
  d.endpoints.set(2, { id: 2, name: 'backup', url: 'https://backup.example.com', type: 'harbor', description: '', insecure: false, key: 'replicator', secret: 'backup-secret', status: 'healthy' });
  d.policies.set(1, {
    id: 1,
    name: 'mirror-team-a',
    description: 'Copies team-a to the backup Harbor',
    dest_namespace: 'team-a-copy',
    trigger: { type: 'scheduled', trigger_settings: { cron: '0 0 2 * * *' } },
    filters: [
      { type: 'name', value: 'team-a/**', decoration: 'matches' },
      { type: 'tag', value: 'v*', decoration: 'excludes' },
    ],
    replicate_deletion: false,
    override: true,
    enabled: true,
    speed: -1,
    creation_time: T0,
    update_time: T0,
  });
  d.executions.push({ id: 11, policy_id: 1, status: 'Succeed', trigger: 'scheduled', start_time: T0, end_time: '2024-06-01T00:05:00.000Z', tasks: [{ id: 12, status: 'Succeed', src: 'team-a/app:[latest]', dst: 'team-a-copy/app:[latest]' }] });
  d.gc.push({ id: 21, kind: 'SCHEDULE', type: 'Daily', parameters: { delete_untagged: false }, status: 'Success', created: T0 });
  d.schedule = { type: 'Daily', cron: '0 0 0 * * *', parameters: { delete_untagged: false, workers: 1 } };
  d.scanners.push({ uuid: 'trivy-uuid', name: 'Trivy', url: 'http://trivy-adapter:8080', is_default: true, healthy: true }, { uuid: 'clair-uuid', name: 'Clair', url: 'http://clair-adapter:8080', is_default: false, healthy: false });
  stores.set(state, d);
  return d;
}

function obj(b: unknown): Record<string, unknown> {
  if (!b || typeof b !== 'object' || Array.isArray(b)) throw new HttpError(400, 'BAD_REQUEST', 'a JSON object is required');
  return b as Record<string, unknown>;
}
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function systemRoutes(fake: HarborFake): HarborRoute[] {
  const d = () => systemOf(fake.state);
  const endpointView = (e: Endpoint) => ({
    id: e.id,
    name: e.name,
    url: e.url,
    type: e.type,
    description: e.description,
    insecure: e.insecure,
    status: e.status,
    // Harbor never answers the access secret: it masks it.
    credential: { type: 'basic', access_key: e.key, access_secret: e.secret ? '*****' : '' },
    creation_time: T0,
    update_time: T0,
  });
  const endpoint = (id: string): Endpoint => {
    const e = d().endpoints.get(Number(id));
    if (!e) throw new HttpError(404, 'NOT_FOUND', `registry ${id} not found`);
    return e;
  };
  const policyView = (p: Record<string, unknown>) => ({ ...p, src_registry: { id: 0, name: 'Local', url: fake.url(), type: 'harbor', status: 'healthy' }, dest_registry: endpointView(endpoint('2')) });
  const checkUrl = (u: unknown): string => {
    if (typeof u !== 'string' || !/^https?:\/\/[^/\s]+/.test(u)) throw new HttpError(400, 'BAD_REQUEST', 'invalid url');
    return u;
  };
  const execView = (e: Execution) => {
    const count = (s: string) => e.tasks.filter((t) => t.status === s).length;
    return { id: e.id, policy_id: e.policy_id, status: e.status, trigger: e.trigger, start_time: e.start_time, ...(e.end_time ? { end_time: e.end_time } : {}), status_text: '', total: e.tasks.length, failed: count('Failed'), succeed: count('Succeed'), in_progress: count('InProgress'), stopped: count('Stopped') };
  };
  const gcView = (g: Gc) => ({ id: g.id, job_name: 'GARBAGE_COLLECTION', job_kind: g.kind, job_parameters: JSON.stringify(g.parameters), schedule: { type: g.type }, job_status: g.status, deleted: false, creation_time: g.created, update_time: g.created });
  const schedule = (b: unknown) => {
    const body = obj(b);
    const s = obj(body.schedule);
    const type = str(s.type);
    if (type !== 'None' && type !== 'Manual' && !/^\S+(\s+\S+){5}$/.test(str(s.cron))) throw new HttpError(400, 'BAD_REQUEST', `invalid cron ${str(s.cron)}`);
    const parameters = body.parameters === undefined ? {} : obj(body.parameters);
    const workers = parameters.workers;
    if (workers !== undefined && (typeof workers !== 'number' || workers < 1 || workers > 5)) throw new HttpError(400, 'BAD_REQUEST', 'workers must be 1 to 5');
    return { type, cron: str(s.cron) || undefined, parameters };
  };
  const route = (method: HarborRoute['method'], path: RegExp, handle: HarborRoute['handle']): HarborRoute => ({
    method,
    path,
    handle: (m, req) => {
      sysAdmin(req.who);
      return handle(m, req);
    },
  });

  return [
    route('GET', /^\/replication\/adapters$/, () => ADAPTERS),
    route('GET', /^\/registries$/, (_m, { q, out }) => {
      // `q=name=~…` filters by name (the proxy cache choice of a new project searches with it).
      const f = /^name=~(.*)$/.exec(q.get('q') ?? '')?.[1];
      return fake.page(out, HARBOR_BASE + '/registries', q, [...d().endpoints.values()].filter((e) => !f || e.name.includes(f))).map(endpointView);
    }),
    route('GET', /^\/registries\/(\d+)$/, (m) => endpointView(endpoint(m[1]!))),
    route('POST', /^\/registries$/, (_m, { body, out }) => {
      const b = obj(body);
      const name = str(b.name).trim();
      if (!name) throw new HttpError(400, 'BAD_REQUEST', 'name is required');
      if (!ADAPTERS.includes(str(b.type))) throw new HttpError(400, 'BAD_REQUEST', `unsupported registry type ${str(b.type)}`);
      if ([...d().endpoints.values()].some((e) => e.name === name)) throw new HttpError(409, 'CONFLICT', `registry ${name} already exists`);
      const c = b.credential === undefined ? {} : obj(b.credential);
      const id = d().nextId++;
      d().endpoints.set(id, { id, name, url: checkUrl(b.url), type: str(b.type), description: str(b.description), insecure: b.insecure === true, key: str(c.access_key), secret: str(c.access_secret), status: 'healthy' });
      out.status = 201;
      out.headers.Location = `${HARBOR_BASE}/registries/${id}`;
      return undefined;
    }),
    route('PUT', /^\/registries\/(\d+)$/, (m, { body }) => {
      const e = endpoint(m[1]!);
      const b = obj(body);
      if (typeof b.name === 'string') e.name = b.name;
      if (typeof b.description === 'string') e.description = b.description;
      if (b.url !== undefined && b.url !== null) e.url = checkUrl(b.url);
      if (typeof b.insecure === 'boolean') e.insecure = b.insecure;
      if (typeof b.access_key === 'string') e.key = b.access_key;
      if (typeof b.access_secret === 'string') e.secret = b.access_secret;
      return undefined;
    }),
    route('DELETE', /^\/registries\/(\d+)$/, (m) => {
      const e = endpoint(m[1]!);
      const used = e.id === 2 ? [...d().policies.values()].some(() => true) : [...fake.state.projects.values()].some((p) => p.registryId === e.id);
      if (used) throw new HttpError(412, 'PRECONDITION', `the registry ${e.name} is used by a replication policy or a proxy cache project`);
      d().endpoints.delete(e.id);
      return undefined;
    }),
    route('POST', /^\/registries\/ping$/, (_m, { body }) => {
      const b = obj(body);
      const url = typeof b.id === 'number' ? endpoint(String(b.id)).url : checkUrl(b.url);
      if (url.includes(UNREACHABLE)) throw new HttpError(400, 'BAD_REQUEST', `failed to ping endpoint ${url}`);
      return undefined;
    }),
    route('GET', /^\/replication\/policies$/, (_m, { q, out }) => fake.page(out, HARBOR_BASE + '/replication/policies', q, [...d().policies.values()]).map(policyView)),
    route('GET', /^\/replication\/policies\/(\d+)$/, (m) => {
      const p = d().policies.get(Number(m[1]));
      if (!p) throw new HttpError(403, 'FORBIDDEN', 'policy not found'); // the document declares no 404 here
      return policyView(p);
    }),
    route('GET', /^\/replication\/executions$/, (_m, { q, out }) => {
      const policy = q.get('policy_id');
      const list = d().executions.filter((e) => !policy || e.policy_id === Number(policy));
      const sorted = q.get('sort') === '-start_time' ? [...list].sort((a, b) => (a.start_time < b.start_time ? 1 : a.start_time > b.start_time ? -1 : b.id - a.id)) : list;
      return fake.page(out, HARBOR_BASE + '/replication/executions', q, sorted).map(execView);
    }),
    route('POST', /^\/replication\/executions$/, (_m, { body, out }) => {
      const id = Number(obj(body).policy_id);
      if (!d().policies.has(id)) throw new HttpError(400, 'BAD_REQUEST', `policy ${id} not found`);
      const e: Execution = { id: d().nextId++, policy_id: id, status: 'InProgress', trigger: 'manual', start_time: new Date().toISOString(), tasks: [{ id: d().nextId++, status: 'InProgress', src: 'team-a/app:[latest]', dst: 'team-a-copy/app:[latest]' }] };
      d().executions.push(e);
      out.status = 201;
      out.headers.Location = `${HARBOR_BASE}/replication/executions/${e.id}`;
      return undefined;
    }),
    route('GET', /^\/replication\/executions\/(\d+)$/, (m) => {
      const e = d().executions.find((x) => x.id === Number(m[1]));
      if (!e) throw new HttpError(404, 'NOT_FOUND', `execution ${m[1]!} not found`);
      return execView(e);
    }),
    route('PUT', /^\/replication\/executions\/(\d+)$/, (m) => {
      const e = d().executions.find((x) => x.id === Number(m[1]));
      if (!e) throw new HttpError(404, 'NOT_FOUND', `execution ${m[1]!} not found`);
      e.status = 'Stopped';
      e.end_time = new Date().toISOString();
      for (const t of e.tasks) if (t.status === 'InProgress') t.status = 'Stopped';
      return undefined;
    }),
    route('GET', /^\/replication\/executions\/(\d+)\/tasks$/, (m, { q, out }) => {
      const e = d().executions.find((x) => x.id === Number(m[1]));
      const tasks = (e?.tasks ?? []).map((t) => ({ id: t.id, execution_id: e!.id, status: t.status, job_id: `job-${t.id}`, operation: 'copy', resource_type: 'image', src_resource: t.src, dst_resource: t.dst, start_time: e!.start_time }));
      return fake.page(out, `${HARBOR_BASE}/replication/executions/${m[1]!}/tasks`, q, tasks);
    }),
    route('GET', /^\/system\/gc\/schedule$/, () => {
      const s = d().schedule;
      // Without a schedule Harbor answers 200 with no body at all; the document wants a GCHistory: `{}` here, the empty
      // body through a fault in the tests.
      return s ? { schedule: { type: s.type, ...(s.cron ? { cron: s.cron } : {}), next_scheduled_time: '2030-01-01T00:00:00.000Z' }, job_parameters: JSON.stringify(s.parameters), creation_time: T0, update_time: T0 } : {};
    }),
    route('PUT', /^\/system\/gc\/schedule$/, (_m, { body }) => {
      const s = schedule(body);
      if (s.type === 'Manual') throw new HttpError(400, 'BAD_REQUEST', 'a manual run is created with POST');
      d().schedule = s.type === 'None' ? undefined : s;
      return undefined;
    }),
    route('POST', /^\/system\/gc\/schedule$/, (_m, { body, out }) => {
      const s = schedule(body);
      if (s.type === 'Manual') {
        if (d().gc.some((g) => g.status === 'Running')) throw new HttpError(409, 'CONFLICT', 'a garbage collection is running');
        const id = d().nextId++;
        d().gc.push({ id, kind: 'MANUAL', type: 'Manual', parameters: s.parameters, status: 'Running', created: new Date().toISOString() });
        out.headers.Location = `${HARBOR_BASE}/system/gc/${id}`;
      } else {
        // Harbor replaces the schedule (deletes it, then creates it again), as PUT does.
        d().schedule = s.type === 'None' ? undefined : s;
      }
      out.status = 201;
      return undefined;
    }),
    route('GET', /^\/system\/gc$/, (_m, { q, out }) => fake.page(out, HARBOR_BASE + '/system/gc', q, [...d().gc].reverse()).map(gcView)),
    route('PUT', /^\/system\/gc\/(\d+)$/, (m) => {
      const g = d().gc.find((x) => x.id === Number(m[1]));
      if (!g) throw new HttpError(404, 'NOT_FOUND', `gc ${m[1]!} not found`);
      if (g.status === 'Running') g.status = 'Stopped';
      return undefined;
    }),
    route('GET', /^\/system\/gc\/(\d+)\/log$/, (m) => {
      const g = d().gc.find((x) => x.id === Number(m[1]));
      if (!g) throw new HttpError(404, 'NOT_FOUND', `gc ${m[1]!} not found`);
      return `garbage collection ${g.id}: ${g.parameters.dry_run ? 'dry run, ' : ''}3 blobs eligible for deletion\n<script>not html</script>\n`;
    }),
    route('GET', /^\/scanners$/, (_m, { q, out }) =>
      fake.page(out, HARBOR_BASE + '/scanners', q, d().scanners).map((s) => ({ uuid: s.uuid, name: s.name, description: '', url: s.url, disabled: false, is_default: s.is_default, auth: '', access_credential: '', skip_certVerify: false, use_internal_addr: true, create_time: T0, update_time: T0 })),
    ),
    route('GET', /^\/scanners\/([^/]+)\/metadata$/, (m) => {
      const s = d().scanners.find((x) => x.uuid === decodeURIComponent(m[1]!));
      if (!s) throw new HttpError(403, 'FORBIDDEN', 'scanner not found'); // the document declares no 404 here
      if (!s.healthy) throw new HttpError(500, 'INTERNAL_SERVER_ERROR', `scanner ${s.name}: connection refused`);
      return { scanner: { name: s.name, vendor: 'Aqua Security', version: 'v0.50.0' }, capabilities: [{ type: 'vulnerability', consumes_mime_types: ['application/vnd.oci.image.manifest.v1+json'], produces_mime_types: ['application/vnd.security.vulnerability.report; version=1.1'] }], properties: {} };
    }),
    route('PATCH', /^\/scanners\/([^/]+)$/, (m, { body }) => {
      const s = d().scanners.find((x) => x.uuid === decodeURIComponent(m[1]!));
      if (!s) throw new HttpError(403, 'FORBIDDEN', 'scanner not found');
      if (obj(body).is_default === true) for (const x of d().scanners) x.is_default = x === s;
      return undefined;
    }),
  ];
}
