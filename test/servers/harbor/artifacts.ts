/**
 * Artifact and repository operations of the fake Harbor, from the document: an artifact's tags (list, create 201 with
 * `Location`, delete), accessories, Scan Now / Stop Scan (202; the scan goes Pending → Running → Success over
 * `scanTiming`, Stop turns a Pending or Running scan into Stopped), labels (`GET /labels`, add / remove on an
 * artifact), copy (`POST …/artifacts?from=`, 201 with `Location`), the `build_history` addition, and a repository's
 * update (description) and delete.
 */
import { type ArtifactRec, type HarborState, type Principal, type ProjectRec, type RoleId, addRepository, roleIn } from '../harborData';
import { HttpError, ROLE_CAN_DELETE, type HarborFake, type HarborRoute, parsePage, repoName, signedIn } from './kit';
import { labelJson, labelNamed, labelsOf } from './labels';

const REPO = String.raw`^\/projects\/([^/]+)\/repositories\/([^/]+)`;
const ART = REPO + String.raw`\/artifacts\/([^/]+)`;
/** Project admin, developer, maintainer: may push, tag, scan and label. */
const ROLE_CAN_PUSH = new Set<RoleId>([1, 2, 4]);

/** How long a scan stays Pending, then Running, in the fake (tests shorten it). */
export interface ScanTiming {
  pendingMs: number;
  runningMs: number;
}
const timings = new WeakMap<HarborState, ScanTiming>();
const timers = new WeakMap<ArtifactRec, ReturnType<typeof setTimeout>[]>();
const histories = new WeakMap<HarborState, Map<string, { created?: string; created_by?: string; empty_layer?: boolean }[]>>();
const copies = new WeakMap<HarborState, { from: string; to: string }[]>();

export function setScanTiming(state: HarborState, t: ScanTiming): void {
  timings.set(state, t);
}

/** The build history Harbor serves for an image (by digest) in `…/additions/build_history`. */
export function setBuildHistory(state: HarborState, digest: string, steps: { created?: string; created_by?: string; empty_layer?: boolean }[]): void {
  let m = histories.get(state);
  if (!m) histories.set(state, (m = new Map()));
  m.set(digest, steps);
}

/** The copies made (`from` → target repository), for tests. */
export function copiesOf(state: HarborState): { from: string; to: string }[] {
  let c = copies.get(state);
  if (!c) copies.set(state, (c = []));
  return c;
}

/** Harbor's `q` on artifact listings: `tags=~v` (any tag contains v), `tags=v`, `tags=*` (tagged), `tags=nil` (untagged). */
export function matchesTags(a: ArtifactRec, q: string | null): boolean {
  if (!q) return true;
  for (const part of q.split(',')) {
    const m = /^(\w+)=(~?)(.*)$/.exec(part);
    if (!m) throw new HttpError(400, 'BAD_REQUEST', `invalid query ${part}`);
    if (m[1] !== 'tags') continue;
    const names = a.tags.map((t) => t.name);
    if (m[2] ? !names.some((n) => n.includes(m[3]!)) : m[3] === '*' ? !names.length : m[3] === 'nil' ? names.length > 0 : !names.includes(m[3]!)) return false;
  }
  return true;
}

function may(p: ProjectRec, who: Principal | undefined, roles: Set<number>, robotAction: string): void {
  const w = signedIn(who);
  if (w.sysadmin || roles.has(roleIn(p, w) ?? 0) || (w.robotProject === p.name && w.robotActions?.includes(robotAction))) return;
  throw new HttpError(403, 'FORBIDDEN', 'forbidden');
}

function startScan(state: HarborState, a: ArtifactRec): void {
  for (const t of timers.get(a) ?? []) clearTimeout(t);
  const t = timings.get(state) ?? { pendingMs: 500, runningMs: 1500 };
  const vulns = a.scan?.vulnerabilities ?? [];
  const now = new Date().toISOString();
  a.scan = { status: 'Pending', severity: a.scan?.severity ?? 'Unknown', vulnerabilities: vulns, start: now, end: now, percent: 0 };
  const scan = a.scan;
  const running = setTimeout(() => {
    if (a.scan === scan && scan.status === 'Pending') Object.assign(scan, { status: 'Running', percent: 40 });
  }, t.pendingMs);
  const done = setTimeout(() => {
    if (a.scan === scan && scan.status === 'Running') Object.assign(scan, { status: 'Success', percent: 100, end: new Date().toISOString() });
  }, t.pendingMs + t.runningMs);
  running.unref();
  done.unref();
  timers.set(a, [running, done]);
}

export function artifactRoutes(fake: HarborFake): HarborRoute[] {
  const { state } = fake;
  const repoOf = (m: RegExpExecArray, who: Principal | undefined) => {
    const p = fake.project(decodeURIComponent(m[1]!), who);
    const repo = `${p.name}/${repoName(m[2]!)}`;
    if (!state.repositories.has(repo)) throw new HttpError(404, 'NOT_FOUND', `repository ${repo} not found`);
    return { p, repo };
  };
  const artifactOf = (m: RegExpExecArray, who: Principal | undefined) => {
    const { p, repo } = repoOf(m, who);
    return { p, repo, a: fake.findArtifact(repo, decodeURIComponent(m[3]!)) };
  };
  const location = (m: RegExpExecArray, tail: string) => `/api/v2.0/projects/${m[1]}/repositories/${m[2]}${tail}`;
  const paged = <T>(out: { headers: Record<string, string> }, path: string, q: URLSearchParams, all: T[]) => {
    parsePage(q);
    return fake.page(out, `/api/v2.0${path}`, q, all);
  };

  return [
    {
      method: 'GET',
      path: new RegExp(ART + String.raw`\/tags$`),
      handle(m, { q, who, out }) {
        const { repo, a } = artifactOf(m, who);
        const r = state.repositories.get(repo)!;
        const tags = a.tags.map((t) => ({ id: t.id, repository_id: r.id, artifact_id: a.id, name: t.name, push_time: a.pushed, pull_time: a.pulled ?? '0001-01-01T00:00:00.000Z', immutable: !!t.immutable }));
        return paged(out, m[0], q, tags);
      },
    },
    {
      method: 'POST',
      path: new RegExp(ART + String.raw`\/tags$`),
      handle(m, { who, body, out }) {
        const { p, repo, a } = artifactOf(m, who);
        may(p, who, ROLE_CAN_PUSH, 'create-tag');
        const name = (body as { name: string }).name;
        if (!/^[\w][\w.-]{0,127}$/.test(name)) throw new HttpError(400, 'BAD_REQUEST', `invalid tag name ${name}`);
        if ((state.artifacts.get(repo) ?? []).some((x) => x.tags.some((t) => t.name === name))) throw new HttpError(409, 'CONFLICT', `tag ${name} already exists`);
        a.tags.push({ id: state.nextId++, name });
        out.status = 201;
        out.headers.Location = location(m, `/artifacts/${a.digest}/tags/${name}`);
        return undefined;
      },
    },
    {
      method: 'DELETE',
      path: new RegExp(ART + String.raw`\/tags\/([^/]+)$`),
      handle(m, { who }) {
        const { p, a } = artifactOf(m, who);
        may(p, who, ROLE_CAN_DELETE, 'delete');
        const name = decodeURIComponent(m[4]!);
        if (!a.tags.some((t) => t.name === name)) throw new HttpError(404, 'NOT_FOUND', `tag ${name} not found`);
        a.tags = a.tags.filter((t) => t.name !== name);
        return undefined;
      },
    },
    {
      method: 'GET',
      path: new RegExp(ART + String.raw`\/accessories$`),
      handle(m, { q, who, out }) {
        const { repo, a } = artifactOf(m, who);
        const list = (a.accessories ?? []).map((x) => ({ id: x.id, artifact_id: x.id, subject_artifact_id: a.id, subject_artifact_digest: a.digest, subject_artifact_repo: repo, size: x.size, digest: x.digest, type: x.type, icon: '', creation_time: a.pushed }));
        return paged(out, m[0], q, list);
      },
    },
    {
      method: 'POST',
      path: new RegExp(ART + String.raw`\/scan$`),
      handle(m, { who, out }) {
        const { p, a } = artifactOf(m, who);
        may(p, who, ROLE_CAN_PUSH, 'scan');
        startScan(state, a);
        for (const r of a.references ?? []) startScan(state, fake.findArtifact(artifactOf(m, who).repo, r.child_digest));
        out.status = 202;
        return undefined;
      },
    },
    {
      method: 'POST',
      path: new RegExp(ART + String.raw`\/scan\/stop$`),
      handle(m, { who, out }) {
        const { p, a } = artifactOf(m, who);
        may(p, who, ROLE_CAN_PUSH, 'scan');
        if (a.scan?.status !== 'Pending' && a.scan?.status !== 'Running') throw new HttpError(400, 'BAD_REQUEST', 'no scan of this artifact is running');
        for (const t of timers.get(a) ?? []) clearTimeout(t);
        a.scan.status = 'Stopped';
        out.status = 202;
        return undefined;
      },
    },
    {
      method: 'GET',
      path: /^\/labels$/,
      handle(_m, { q, who, out }) {
        signedIn(who);
        const scope = q.get('scope') ?? 'g';
        const projectId = Number(q.get('project_id'));
        if (scope === 'p' && !Number.isInteger(projectId)) throw new HttpError(400, 'BAD_REQUEST', 'project_id is required for scope p');
        const list = labelsOf(state).filter((l) => l.scope === scope && (scope === 'g' || l.projectId === projectId));
        return paged(out, '/labels', q, list).map(labelJson);
      },
    },
    {
      method: 'POST',
      path: new RegExp(ART + String.raw`\/labels$`),
      handle(m, { who, body }) {
        const { p, a } = artifactOf(m, who);
        may(p, who, ROLE_CAN_PUSH, 'create-label');
        const id = (body as { id?: number }).id;
        const label = labelsOf(state).find((l) => l.id === id && (l.scope === 'g' || l.projectId === p.id));
        if (!label) throw new HttpError(404, 'NOT_FOUND', `label ${String(id)} not found`);
        if ((a.labels ?? []).includes(label.name)) throw new HttpError(409, 'CONFLICT', `label ${label.name} is already added`);
        a.labels = [...(a.labels ?? []), label.name];
        return undefined;
      },
    },
    {
      method: 'DELETE',
      path: new RegExp(ART + String.raw`\/labels\/(\d+)$`),
      handle(m, { who }) {
        const { p, a } = artifactOf(m, who);
        may(p, who, ROLE_CAN_PUSH, 'delete-label');
        const name = (a.labels ?? []).find((n) => labelNamed(state, n).id === Number(m[4]));
        if (!name) throw new HttpError(404, 'NOT_FOUND', `label ${m[4]} is not on the artifact`);
        a.labels = (a.labels ?? []).filter((n) => n !== name);
        return undefined;
      },
    },
    {
      method: 'GET',
      path: new RegExp(ART + String.raw`\/additions\/build_history$`),
      handle(m, { who }) {
        const { a } = artifactOf(m, who);
        if (a.references?.length || a.type !== 'IMAGE') throw new HttpError(404, 'NOT_FOUND', 'no build history for this artifact');
        return histories.get(state)?.get(a.digest) ?? [];
      },
    },
    {
      method: 'POST',
      path: new RegExp(REPO + String.raw`\/artifacts$`),
      handle(m, { q, who, out }) {
        const target = fake.project(decodeURIComponent(m[1]!), who);
        may(target, who, ROLE_CAN_PUSH, 'push');
        const from = q.get('from') ?? '';
        const f = /^([^/@:]+)\/(.+?)(?:@(sha256:[0-9a-f]{64})|:([\w][\w.-]{0,127}))$/.exec(from);
        if (!f) throw new HttpError(400, 'BAD_REQUEST', `invalid from ${from}`);
        const source = fake.project(f[1]!, who);
        const src = fake.findArtifact(`${source.name}/${f[2]}`, f[3] ?? f[4]!);
        const repo = `${target.name}/${repoName(m[2]!)}`;
        if (!state.repositories.has(repo)) addRepository(state, repo);
        const list = state.artifacts.get(repo)!;
        const have = list.find((x) => x.digest === src.digest);
        const taken = new Set(list.flatMap((x) => x.tags.map((t) => t.name)));
        const tags = src.tags.filter((t) => !taken.has(t.name)).map((t) => ({ id: state.nextId++, name: t.name }));
        if (have) have.tags.push(...tags);
        else list.push({ ...src, id: state.nextId++, tags, labels: [], scan: undefined, pushed: new Date().toISOString() });
        copiesOf(state).push({ from, to: repo });
        out.status = 201;
        out.headers.Location = location(m, `/artifacts/${src.digest}`);
        return undefined;
      },
    },
    {
      method: 'PUT',
      path: new RegExp(REPO + '$'),
      handle(m, { who, body }) {
        const { p, repo } = repoOf(m, who);
        may(p, who, ROLE_CAN_DELETE, 'update');
        state.repositories.get(repo)!.description = (body as { description?: string }).description ?? '';
        return undefined;
      },
    },
    {
      method: 'DELETE',
      path: new RegExp(REPO + '$'),
      handle(m, { who }) {
        const { p, repo } = repoOf(m, who);
        may(p, who, ROLE_CAN_DELETE, 'delete');
        for (const a of state.artifacts.get(repo) ?? []) for (const t of a.tags) state.registry?.untag(repo, t.name);
        state.repositories.delete(repo);
        state.artifacts.delete(repo);
        return undefined;
      },
    },
  ];
}
