/**
 * The data of the fake Harbor (test/servers/harborServer.ts): projects, principals (users with project roles, robot
 * accounts), repositories, artifacts with tags, references, accessories and scans, and the views `/api/v2.0` answers
 * with (the document's Project, Repository, Artifact definitions).
 */
import * as crypto from 'node:crypto';
import type { ImageSeed, OciServer } from './ociServer';
import { labelJson, labelNamed } from './harbor/labels';

/** Harbor's project roles: 1 project admin, 2 developer, 3 guest, 4 maintainer, 5 limited guest. */
export type RoleId = 1 | 2 | 3 | 4 | 5;

export interface Principal {
  name: string;
  secret: string;
  sysadmin?: boolean;
  roles: Map<string, RoleId>;
  /** A project robot (`robot$project+name`): its project. */
  robotProject?: string;
  /** A robot's granted actions on its project(s) (`pull`, `list`, `delete`…). */
  robotActions?: string[];
  disabled?: boolean;
}

export interface ProjectRec {
  id: number;
  name: string;
  public: boolean;
  registryId?: number;
  metadata: Record<string, string>;
  allowlist: string[];
  allowlistExpires?: number;
  created: string;
}

export interface RepositoryRec {
  id: number;
  project: string;
  name: string;
  description: string;
  pulls: number;
  created: string;
  updated: string;
}

export interface VulnItem {
  id: string;
  package: string;
  version: string;
  fix_version?: string;
  severity: 'Unknown' | 'Negligible' | 'Low' | 'Medium' | 'High' | 'Critical';
  description?: string;
  links?: string[];
  preferred_cvss?: { score_v3?: number; vector_v3?: string };
}

export interface ScanRec {
  status: 'Success' | 'Pending' | 'Running' | 'Error' | 'Stopped';
  severity: VulnItem['severity'];
  vulnerabilities: VulnItem[];
  start: string;
  end: string;
  percent?: number;
}

export interface ArtifactRec {
  id: number;
  digest: string;
  type: string;
  mediaType: string;
  manifestMediaType: string;
  size: number;
  pushed: string;
  pulled?: string;
  tags: { id: number; name: string; immutable?: boolean }[];
  references?: { child_digest: string; child_id: number; platform: { os: string; architecture: string; variant?: string } }[];
  accessories?: { id: number; digest: string; type: string; size: number }[];
  labels?: string[];
  extra?: Record<string, unknown>;
  scan?: ScanRec;
  /** A platform artifact of an index: not listed, readable by digest. */
  child?: boolean;
}

export interface HarborState {
  url: string;
  registry?: OciServer;
  projects: Map<string, ProjectRec>;
  principals: Map<string, Principal>;
  repositories: Map<string, RepositoryRec>;
  artifacts: Map<string, ArtifactRec[]>;
  systemAllowlist: { id: number; project_id: number; items: { cve_id: string }[] };
  nextId: number;
}

export function newState(): HarborState {
  return { url: '', projects: new Map(), principals: new Map(), repositories: new Map(), artifacts: new Map(), systemAllowlist: { id: 1, project_id: 0, items: [] }, nextId: 1 };
}

export const ZERO_TIME = '0001-01-01T00:00:00.000Z';
const iso = (ms: number) => new Date(ms).toISOString();
export const fakeDigest = (seed: string) => 'sha256:' + crypto.createHash('sha256').update(seed).digest('hex');

export function roleIn(p: ProjectRec, who: Principal | undefined): RoleId | undefined {
  if (!who) return undefined;
  if (who.sysadmin) return 1;
  if (who.robotProject) return who.robotProject === p.name ? 3 : undefined;
  return who.roles.get(p.name);
}

export function canRead(p: ProjectRec, who: Principal | undefined): boolean {
  return p.public || !!who?.sysadmin || roleIn(p, who) !== undefined;
}

export function addUser(state: HarborState, name: string, secret: string, roles: Record<string, RoleId> = {}, sysadmin = false): Principal {
  const p: Principal = { name, secret, sysadmin, roles: new Map(Object.entries(roles)) };
  state.principals.set(name, p);
  return p;
}

/** A project robot `robot$<project>+<name>` with the given actions. */
export function addRobot(state: HarborState, project: string, name: string, secret: string, actions: string[] = ['pull', 'list']): Principal {
  const p: Principal = { name: `robot$${project}+${name}`, secret, roles: new Map(), robotProject: project, robotActions: actions };
  state.principals.set(p.name, p);
  return p;
}

export function addProject(state: HarborState, name: string, o: Partial<Omit<ProjectRec, 'id' | 'name'>> = {}): ProjectRec {
  const p: ProjectRec = { id: state.nextId++, name, public: false, metadata: {}, allowlist: [], created: iso(Date.UTC(2024, 0, 1)), ...o };
  state.projects.set(name, p);
  return p;
}

export function addRepository(state: HarborState, full: string, o: Partial<Pick<RepositoryRec, 'description' | 'pulls' | 'updated'>> = {}): RepositoryRec {
  const project = full.split('/')[0]!;
  if (!state.projects.has(project)) throw new Error(`no project ${project}`);
  const r: RepositoryRec = { id: state.nextId++, project, name: full, description: '', pulls: 0, created: iso(Date.UTC(2024, 0, 2)), updated: iso(Date.UTC(2024, 5, 1)), ...o };
  state.repositories.set(full, r);
  state.artifacts.set(full, state.artifacts.get(full) ?? []);
  return r;
}

/** An artifact from given facts (no registry content: for listings, paging and the bench). */
export function addArtifact(state: HarborState, repo: string, o: Partial<Omit<ArtifactRec, 'tags'>> & { tags?: string[] } = {}): ArtifactRec {
  const { tags, ...rest } = o;
  const n = state.nextId++;
  const a: ArtifactRec = {
    id: n,
    digest: fakeDigest(`${repo}#${n}`),
    type: 'IMAGE',
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: 1000 + n,
    pushed: iso(Date.UTC(2024, 5, 1) + n * 60_000),
    extra: { os: 'linux', architecture: 'amd64', created: iso(Date.UTC(2024, 4, 1)), author: null },
    ...rest,
    tags: (tags ?? []).map((name) => ({ id: state.nextId++, name })),
  };
  state.artifacts.get(repo)!.push(a);
  return a;
}

/** An image (or index) pushed to the embedded registry, and its artifact(s) as Harbor records them. */
export async function pushImage(state: HarborState, repo: string, tags: string[], seed: ImageSeed = {}): Promise<ArtifactRec> {
  const reg = state.registry;
  if (!reg) throw new Error('no registry');
  const digest = reg.addImage(repo, tags, seed);
  const res = await fetch(`${reg.url}/v2/${repo}/manifests/${digest}`, { headers: { accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json' } });
  const body = (await res.json()) as { mediaType?: string; manifests?: { digest: string; size: number; platform?: { os: string; architecture: string; variant?: string } }[]; config?: { size: number }; layers?: { size: number }[] };
  const mediaType = res.headers.get('content-type') ?? body.mediaType ?? '';
  const sizeOf = (m: typeof body) => (m.config?.size ?? 0) + (m.layers ?? []).reduce((s, l) => s + l.size, 0);
  if (!body.manifests) return addArtifact(state, repo, { digest, tags, mediaType, manifestMediaType: mediaType, size: sizeOf(body) });
  const references: NonNullable<ArtifactRec['references']> = [];
  let size = 0;
  for (const m of body.manifests) {
    const plat = m.platform ?? { os: 'unknown', architecture: 'unknown' };
    const child = addArtifact(state, repo, { digest: m.digest, size: m.size, child: true, extra: { os: plat.os, architecture: plat.architecture, created: iso(Date.UTC(2024, 4, 1)) } });
    size += child.size;
    references.push({ child_digest: m.digest, child_id: child.id, platform: plat });
  }
  return addArtifact(state, repo, { digest, tags, mediaType, manifestMediaType: mediaType, size, references, extra: {} });
}

export function scanOf(vulns: VulnItem[], status: ScanRec['status'] = 'Success'): ScanRec {
  const order = ['Unknown', 'Negligible', 'Low', 'Medium', 'High', 'Critical'] as const;
  const severity = vulns.reduce<VulnItem['severity']>((s, v) => (order.indexOf(v.severity) > order.indexOf(s) ? v.severity : s), 'Unknown');
  return { status, severity, vulnerabilities: vulns, start: iso(Date.UTC(2024, 5, 2)), end: iso(Date.UTC(2024, 5, 2, 0, 1)), ...(status === 'Running' ? { percent: 40 } : {}) };
}

export function projectView(state: HarborState, p: ProjectRec): Record<string, unknown> {
  const repoCount = [...state.repositories.values()].filter((r) => r.project === p.name).length;
  const cve: Record<string, unknown> = { id: p.id, project_id: p.id, items: p.allowlist.map((cve_id) => ({ cve_id })), creation_time: p.created, update_time: p.created };
  if (p.allowlistExpires !== undefined) cve.expires_at = p.allowlistExpires;
  const out: Record<string, unknown> = { project_id: p.id, owner_id: 1, name: p.name, owner_name: 'admin', creation_time: p.created, update_time: p.created, deleted: false, repo_count: repoCount, metadata: { public: String(p.public), ...p.metadata }, cve_allowlist: cve };
  if (p.registryId) out.registry_id = p.registryId;
  return out;
}

export function repositoryView(state: HarborState, r: RepositoryRec): Record<string, unknown> {
  const count = (state.artifacts.get(r.name) ?? []).filter((a) => !a.child).length;
  return { id: r.id, project_id: state.projects.get(r.project)!.id, name: r.name, description: r.description, artifact_count: count, pull_count: r.pulls, creation_time: r.created, update_time: r.updated };
}

export function artifactView(state: HarborState, a: ArtifactRec, w: { tags: boolean; scan: boolean; accessories: boolean; labels: boolean }): Record<string, unknown> {
  const repo = [...state.artifacts.entries()].find(([, list]) => list.includes(a))![0];
  const r = state.repositories.get(repo)!;
  const out: Record<string, unknown> = {
    id: a.id,
    type: a.type,
    media_type: a.mediaType,
    manifest_media_type: a.manifestMediaType,
    project_id: state.projects.get(r.project)!.id,
    repository_id: r.id,
    repository_name: repo,
    digest: a.digest,
    size: a.size,
    push_time: a.pushed,
    pull_time: a.pulled ?? ZERO_TIME,
    extra_attrs: a.extra ?? {},
    addition_links: { vulnerabilities: { href: `/api/v2.0/projects/${r.project}/repositories/${encodeURIComponent(encodeURIComponent(repo.slice(r.project.length + 1)))}/artifacts/${a.digest}/additions/vulnerabilities`, absolute: false } },
  };
  if (a.references) out.references = a.references.map((x) => ({ parent_id: a.id, ...x }));
  if (w.tags) out.tags = a.tags.map((t) => ({ id: t.id, repository_id: r.id, artifact_id: a.id, name: t.name, push_time: a.pushed, pull_time: ZERO_TIME, immutable: !!t.immutable }));
  if (w.accessories) out.accessories = (a.accessories ?? []).map((x) => ({ ...x, artifact_id: x.id, subject_artifact_digest: a.digest, subject_artifact_repo: repo, icon: '', creation_time: a.pushed }));
  if (w.labels) out.labels = (a.labels ?? []).map((name) => labelJson(labelNamed(state, name)));
  if (w.scan && a.scan) {
    const summary: Record<string, number> = {};
    for (const v of a.scan.vulnerabilities) summary[v.severity] = (summary[v.severity] ?? 0) + 1;
    const s = a.scan.status === 'Success' ? { summary: { total: a.scan.vulnerabilities.length, fixable: a.scan.vulnerabilities.filter((v) => v.fix_version).length, summary } } : {};
    out.scan_overview = {
      'application/vnd.security.vulnerability.report; version=1.1': { report_id: `r-${a.id}`, scan_status: a.scan.status, severity: a.scan.severity, duration: 60, start_time: a.scan.start, end_time: a.scan.end, complete_percent: a.scan.percent ?? 100, scanner: { name: 'Trivy', vendor: 'Aqua Security', version: 'v0.50.0' }, ...s },
    };
  }
  return out;
}
