/**
 * Tag retention of the fake Harbor (`/retentions…`), from the document's Retention operations and Harbor's behaviour:
 * one policy per project (its id in the project's `metadata.retention_id`), rules from the templates of
 * `GET /retentions/metadatas` evaluated for real against the project's artifacts ("or": an artifact any enabled rule
 * retains is kept, the others of the repositories the rules select are deleted), executions with one task per
 * repository and a task log in the table Harbor's retention job writes; a dry run deletes nothing. Roles: the
 * "tag-retention" permission, which project admins, maintainers and developers hold (403 otherwise).
 */
import type { ArtifactRec, HarborState, Principal, ProjectRec } from '../harborData';
import { ZERO_TIME, roleIn } from '../harborData';
import { HARBOR_BASE } from '../harborSpec';
import { HttpError, type HarborFake, type HarborRoute, signedIn } from './kit';

export const RETENTION_TEMPLATES = [
  { rule_template: 'latestPushedK', display_text: 'the most recently pushed # artifacts', action: 'retain', params: [{ type: 'int', unit: 'COUNT', required: true }] },
  { rule_template: 'latestPulledN', display_text: 'the most recently pulled # artifacts', action: 'retain', params: [{ type: 'int', unit: 'COUNT', required: true }] },
  { rule_template: 'nDaysSinceLastPush', display_text: 'pushed within the last # days', action: 'retain', params: [{ type: 'int', unit: 'DAYS', required: true }] },
  { rule_template: 'nDaysSinceLastPull', display_text: 'pulled within the last # days', action: 'retain', params: [{ type: 'int', unit: 'DAYS', required: true }] },
  { rule_template: 'always', display_text: 'always', action: 'retain', params: [] },
];

interface Selector {
  kind?: string;
  decoration?: string;
  pattern?: string;
  extras?: string;
}
interface Rule {
  id?: number;
  priority?: number;
  disabled?: boolean;
  action?: string;
  template?: string;
  params?: Record<string, unknown>;
  tag_selectors?: Selector[];
  scope_selectors?: Record<string, Selector[]>;
}
interface Policy {
  id: number;
  algorithm: string;
  rules: Rule[];
  trigger: { kind: string; settings: { cron: string }; references: Record<string, unknown> };
  scope: { level: string; ref: number };
}
interface Task {
  id: number;
  execution_id: number;
  repository: string;
  job_id: string;
  status: string;
  status_code: number;
  start_time: string;
  end_time: string;
  total: number;
  retained: number;
  log: string;
  deletes: ArtifactRec[];
}
interface Execution {
  id: number;
  policy_id: number;
  start_time: string;
  end_time?: string;
  status: string;
  trigger: string;
  dry_run: boolean;
  tasks: Task[];
}

/** The fake's retention state, and switches for tests. */
export interface RetentionControl {
  policies: Map<number, Policy>;
  executions: Execution[];
  /** While true, new executions stay `Running` (nothing deleted) until stopped. */
  hold: boolean;
  /** The bodies Harbor received (`POST /retentions`, `PUT /retentions/{id}`, executions), in order. */
  received: { method: string; path: string; body: unknown }[];
}
const controls = new WeakMap<HarborState, RetentionControl>();
export function retentionControl(state: HarborState): RetentionControl {
  let c = controls.get(state);
  if (!c) controls.set(state, (c = { policies: new Map(), executions: [], hold: false, received: [] }));
  return c;
}

/** Doublestar as Harbor's selectors read it: `**` anything, `*` and `?` within a path segment, `{a,b}` either. */
export function doublestar(pattern: string, value: string): boolean {
  let re = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      re += '(?:';
      depth++;
    } else if (c === '}' && depth) {
      re += ')';
      depth--;
    } else if (c === ',' && depth) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}${')'.repeat(depth)}$`).test(value);
}

const bad = (message: string) => new HttpError(400, 'BAD_REQUEST', message);

function checkPolicy(fake: HarborFake, body: unknown): Omit<Policy, 'id'> & { project: ProjectRec } {
  const p = body as Partial<Policy>;
  if (p.algorithm !== 'or') throw bad('algorithm must be "or"');
  if (p.scope?.level !== 'project') throw bad('scope.level must be "project"');
  const project = [...fake.state.projects.values()].find((x) => x.id === p.scope!.ref);
  if (!project) throw bad(`no project ${String(p.scope.ref)}`);
  if (p.trigger?.kind !== 'Schedule') throw bad('trigger.kind must be "Schedule"');
  const cron = p.trigger.settings?.cron;
  if (typeof cron !== 'string' || (cron !== '' && cron.trim().split(/\s+/).length !== 6)) throw bad(`invalid cron "${String(cron)}"`);
  const rules = p.rules ?? [];
  if (rules.length > 15) throw bad('at most 15 rules');
  for (const r of rules) {
    const tmpl = RETENTION_TEMPLATES.find((x) => x.rule_template === r.template);
    if (!tmpl) throw bad(`unknown template ${String(r.template)}`);
    if (r.action !== 'retain') throw bad('action must be "retain"');
    const param = r.params?.[tmpl.rule_template];
    if (tmpl.params.length && (typeof param !== 'number' || !Number.isInteger(param) || param < 0)) throw bad(`rule ${tmpl.rule_template} needs a non-negative integer parameter ${tmpl.rule_template}`);
    const tag = r.tag_selectors ?? [];
    if (tag.length !== 1 || tag[0]!.kind !== 'doublestar' || !['matches', 'excludes'].includes(tag[0]!.decoration ?? '') || !tag[0]!.pattern) throw bad('one doublestar tag selector (matches / excludes) with a pattern');
    const repo = r.scope_selectors?.repository ?? [];
    if (repo.length !== 1 || repo[0]!.kind !== 'doublestar' || !['repoMatches', 'repoExcludes'].includes(repo[0]!.decoration ?? '') || !repo[0]!.pattern) throw bad('one doublestar repository selector (repoMatches / repoExcludes) with a pattern');
  }
  return { algorithm: p.algorithm, rules, trigger: { kind: 'Schedule', settings: { cron }, references: {} }, scope: { level: 'project', ref: project.id }, project };
}

const untagged = (s: Selector) => {
  try {
    return (JSON.parse(s.extras || '{}') as { untagged?: boolean }).untagged === true;
  } catch {
    return false;
  }
};

/** The artifacts each selected repository keeps and loses under the policy's rules. */
function evaluate(state: HarborState, project: ProjectRec, policy: Policy): { repo: string; all: ArtifactRec[]; keep: Set<ArtifactRec> }[] {
  const now = Date.now();
  const out: { repo: string; all: ArtifactRec[]; keep: Set<ArtifactRec> }[] = [];
  for (const r of state.repositories.values()) {
    if (r.project !== project.name) continue;
    const inside = r.name.slice(project.name.length + 1);
    const rules = policy.rules.filter((x) => {
      const s = x.scope_selectors!.repository![0]!;
      return !x.disabled && doublestar(s.pattern!, inside) === (s.decoration === 'repoMatches');
    });
    if (!rules.length) continue;
    const all = (state.artifacts.get(r.name) ?? []).filter((a) => !a.child);
    const keep = new Set<ArtifactRec>();
    for (const rule of rules) {
      const sel = rule.tag_selectors![0]!;
      const chosen = all.filter((a) => (a.tags.length ? a.tags.some((t) => doublestar(sel.pattern!, t.name)) === (sel.decoration === 'matches') : untagged(sel)));
      const n = Number(rule.params?.[rule.template!] ?? 0);
      const pulled = (a: ArtifactRec) => (a.pulled ? Date.parse(a.pulled) : 0);
      const kept =
        rule.template === 'latestPushedK'
          ? [...chosen].sort((a, b) => Date.parse(b.pushed) - Date.parse(a.pushed)).slice(0, n)
          : rule.template === 'latestPulledN'
            ? [...chosen].sort((a, b) => pulled(b) - pulled(a)).slice(0, n)
            : rule.template === 'nDaysSinceLastPush'
              ? chosen.filter((a) => Date.parse(a.pushed) >= now - n * 86_400_000)
              : rule.template === 'nDaysSinceLastPull'
                ? chosen.filter((a) => pulled(a) >= now - n * 86_400_000)
                : chosen;
      for (const a of kept) keep.add(a);
    }
    out.push({ repo: r.name, all, keep });
  }
  return out;
}

const stamp = (iso: string | undefined) => (!iso || iso === ZERO_TIME ? '' : iso.slice(0, 19).replace('T', ' ').replace(/-/g, '/'));

/** The log of a task, as Harbor's retention job writes it (its table, with the empty rows it starts with). */
function taskLog(repo: string, rows: { a: ArtifactRec; mark: string }[], dryRun: boolean): string {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const header = ['DIGEST', 'TAG', 'KIND', 'LABELS', 'PUSHEDTIME', 'PULLEDTIME', 'CREATEDTIME', 'RETENTION'];
  const cells = [
    ...rows.map(() => header.map(() => '')),
    ...rows.map(({ a, mark }) => [a.digest, a.tags.map((t) => t.name).join(','), 'image', (a.labels ?? []).join(','), stamp(a.pushed), stamp(a.pulled), stamp(a.pushed), mark]),
  ];
  const width = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(width[i]!)).join(' | ')} |`;
  return [
    `${now} [INFO] [/pkg/retention/job.go:85]: Run retention process.`,
    ` Repository : ${repo}`,
    ` Rule Algorithm: or`,
    ` Dry Run: ${String(dryRun)}`,
    `${now} [INFO] [/pkg/retention/job.go:113]: `,
    line(header),
    `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map(line),
    '',
  ].join('\n');
}

export function retentionRoutes(fake: HarborFake): HarborRoute[] {
  const { state } = fake;
  const c = retentionControl(state);
  const now = () => new Date().toISOString();
  /** The caller's tag-retention permission on the project: project admin, maintainer or developer (or admin). */
  const allowed = (p: ProjectRec, who: Principal | undefined) => {
    const me = signedIn(who);
    if (!me.sysadmin && ![1, 2, 4].includes(roleIn(p, me) ?? 0)) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
  };
  const policyOf = (raw: string, who: Principal | undefined) => {
    signedIn(who);
    const p = c.policies.get(Number(raw));
    if (!p) throw new HttpError(403, 'FORBIDDEN', 'forbidden'); // Harbor checks the permission on the policy's project first.
    const project = [...state.projects.values()].find((x) => x.id === p.scope.ref)!;
    allowed(project, who);
    return { p, project };
  };
  const execOf = (p: Policy, raw: string) => {
    const e = c.executions.find((x) => x.policy_id === p.id && x.id === Number(raw));
    if (!e) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
    return e;
  };
  const view = ({ tasks: _t, ...e }: Execution) => e;
  const taskView = ({ log: _l, deletes: _d, ...t }: Task) => t;
  const remove = (repo: string, a: ArtifactRec) => {
    const children = new Set((a.references ?? []).map((r) => r.child_digest));
    state.artifacts.set(repo, (state.artifacts.get(repo) ?? []).filter((x) => x !== a && !(x.child && children.has(x.digest))));
    for (const t of a.tags) state.registry?.untag(repo, t.name);
  };
  const finish = (e: Execution) => {
    for (const t of e.tasks) {
      if (!e.dry_run) for (const a of t.deletes) remove(t.repository, a);
      Object.assign(t, { status: 'Success', end_time: now() });
    }
    Object.assign(e, { status: 'Success', end_time: now() });
  };
  return [
    {
      method: 'GET',
      path: /^\/retentions\/metadatas$/,
      handle: (_m, { who }) => {
        signedIn(who);
        return {
          templates: RETENTION_TEMPLATES,
          scope_selectors: [{ display_text: 'Repositories', kind: 'doublestar', decorations: ['repoMatches', 'repoExcludes'] }],
          tag_selectors: [{ display_text: 'Artifacts', kind: 'doublestar', decorations: ['matches', 'excludes'] }],
        };
      },
    },
    {
      method: 'POST',
      path: /^\/retentions$/,
      handle: (_m, { who, body, out }) => {
        c.received.push({ method: 'POST', path: '/retentions', body });
        const { project, ...rest } = checkPolicy(fake, body);
        allowed(project, who);
        if (project.metadata.retention_id) throw bad(`project: ${project.id} already has retention policy: ${project.metadata.retention_id}`);
        const id = state.nextId++;
        c.policies.set(id, { id, ...rest });
        project.metadata.retention_id = String(id);
        out.status = 201;
        out.headers.Location = `${HARBOR_BASE}/retentions/${id}`;
        return undefined;
      },
    },
    { method: 'GET', path: /^\/retentions\/(\d+)$/, handle: (m, { who }) => policyOf(m[1]!, who).p },
    {
      method: 'PUT',
      path: /^\/retentions\/(\d+)$/,
      handle: (m, { who, body }) => {
        c.received.push({ method: 'PUT', path: `/retentions/${m[1]!}`, body });
        const { p } = policyOf(m[1]!, who);
        const next = checkPolicy(fake, body);
        if (next.scope.ref !== p.scope.ref) throw bad('the scope of a policy cannot change');
        c.policies.set(p.id, { id: p.id, algorithm: next.algorithm, rules: next.rules, trigger: next.trigger, scope: next.scope });
        return undefined;
      },
    },
    {
      method: 'POST',
      path: /^\/retentions\/(\d+)\/executions$/,
      handle: (m, { who, body, out }) => {
        c.received.push({ method: 'POST', path: `/retentions/${m[1]!}/executions`, body });
        const { p, project } = policyOf(m[1]!, who);
        const dry = (body as { dry_run?: boolean }).dry_run === true;
        const e: Execution = { id: state.nextId++, policy_id: p.id, start_time: now(), status: 'Running', trigger: 'MANUAL', dry_run: dry, tasks: [] };
        for (const r of evaluate(state, project, p)) {
          const rows = r.all.map((a) => ({ a, mark: r.keep.has(a) ? 'RETAIN' : a.tags.some((t) => t.immutable) ? 'IMMUTABLE' : 'DEL' }));
          const deletes = rows.filter((x) => x.mark === 'DEL').map((x) => x.a);
          e.tasks.push({ id: state.nextId++, execution_id: e.id, repository: r.repo, job_id: `job-${e.id}-${r.repo}`, status: 'Running', status_code: 2, start_time: now(), end_time: '', total: r.all.length, retained: r.all.length - deletes.length, log: taskLog(r.repo, rows, dry), deletes });
        }
        c.executions.push(e);
        if (!c.hold) finish(e);
        out.status = 201;
        out.headers.Location = `${HARBOR_BASE}/retentions/${p.id}/executions/${e.id}`;
        return undefined;
      },
    },
    {
      method: 'GET',
      path: /^\/retentions\/(\d+)\/executions$/,
      handle: (m, { who, q, out }) => {
        const { p } = policyOf(m[1]!, who);
        const list = c.executions.filter((e) => e.policy_id === p.id).sort((a, b) => b.id - a.id);
        return fake.page(out, `${HARBOR_BASE}/retentions/${p.id}/executions`, q, list).map(view);
      },
    },
    {
      method: 'PATCH',
      path: /^\/retentions\/(\d+)\/executions\/(\d+)$/,
      handle: (m, { who, body }) => {
        const { p } = policyOf(m[1]!, who);
        const e = execOf(p, m[2]!);
        if ((body as { action?: string }).action !== 'stop') throw bad('only the "stop" action is supported');
        if (e.status === 'Running') {
          Object.assign(e, { status: 'Stopped', end_time: now() });
          for (const t of e.tasks) Object.assign(t, { status: 'Stopped', end_time: now() });
        }
        return undefined;
      },
    },
    {
      method: 'GET',
      path: /^\/retentions\/(\d+)\/executions\/(\d+)\/tasks$/,
      handle: (m, { who, q, out }) => {
        const { p } = policyOf(m[1]!, who);
        const e = execOf(p, m[2]!);
        return fake.page(out, `${HARBOR_BASE}/retentions/${p.id}/executions/${e.id}/tasks`, q, e.tasks).map(taskView);
      },
    },
    {
      method: 'GET',
      path: /^\/retentions\/(\d+)\/executions\/(\d+)\/tasks\/(\d+)$/,
      handle: (m, { who, out }) => {
        const { p } = policyOf(m[1]!, who);
        const task = execOf(p, m[2]!).tasks.find((x) => x.id === Number(m[3]));
        if (!task) throw new HttpError(403, 'FORBIDDEN', 'forbidden');
        out.headers['Content-Type'] = 'text/plain; charset=utf-8';
        return task.status === 'Running' ? '' : task.log;
      },
    },
  ];
}
