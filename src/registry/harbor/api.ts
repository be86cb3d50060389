import type { Cursor, Page } from '../provider';
import { type HarborClient, artifactPath, projectPath, repositoryPath } from './client';
import * as s from './schemas';

/** Repository orders the tree offers (the names of the other kinds), as Harbor's `sort` spells them. */
export const REPOSITORY_SORT: Readonly<Record<string, string>> = {
  name: 'name',
  '-name': '-name',
  '-last_updated': '-update_time',
  last_updated: 'update_time',
  '-pull_count': '-pull_count',
  pull_count: 'pull_count',
};

/** What every artifact listing asks Harbor to include, so one request per page fills a row. */
const ARTIFACT_EXTRAS = { with_tag: true, with_scan_overview: true, with_accessory: true, with_label: true } as const;
const ACCEPT_VULN = `${s.VULN_REPORT_MIME}, ${s.VULN_REPORT_MIME_V1}`;

/**
 * A `q` value for a fuzzy name match (`name=~app`). Harbor splits `q` at commas and reads `=`, `~`, quotes, braces,
 * brackets and parentheses as syntax, so those are left out of the filter rather than sent.
 */
export function fuzzyName(filter: string): string | undefined {
  const v = filter.replace(/[,=~"'{}()[\]\s\\]/g, '').slice(0, 128);
  return v ? `name=~${v}` : undefined;
}

/** The calls of Harbor's `/api/v2.0` the provider makes, each with what it is for and the permission it needs. */
export class HarborApi {
  constructor(readonly client: HarborClient) {}

  listProjects(cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<s.HarborProject>> {
    return this.client.page({ path: '/projects', query: { with_detail: true }, what: 'the projects', signal }, s.projects, cursor, pageSize);
  }

  project(name: string, signal?: AbortSignal): Promise<s.HarborProject> {
    return this.client.json({ method: 'GET', path: projectPath(name), headers: { 'X-Is-Resource-Name': 'true' }, what: `project ${name}`, needs: 'read access to the project', signal }, s.project);
  }

  /** The system CVE allowlist, for projects that reuse it ("all authenticated users" may read it). */
  systemAllowlist(signal?: AbortSignal): Promise<s.CveAllowlist> {
    return this.client.json({ method: 'GET', path: '/system/CVEAllowlist', what: 'the system CVE allowlist', signal }, s.cveAllowlist);
  }

  listRepositories(project: string, cursor: Cursor | undefined, opts: { pageSize?: number; q?: string; sort?: string; signal?: AbortSignal } = {}): Promise<Page<s.HarborRepository>> {
    return this.client.page(
      { path: `${projectPath(project)}/repositories`, query: { q: opts.q, sort: opts.sort }, what: `the repositories of ${project}`, needs: 'the "list repository" permission on the project', signal: opts.signal },
      s.repositories,
      cursor,
      opts.pageSize,
    );
  }

  listArtifacts(repository: string, cursor: Cursor | undefined, opts: { pageSize?: number; sort?: string; q?: string; signal?: AbortSignal } = {}): Promise<Page<s.HarborArtifact>> {
    return this.client.page(
      {
        path: `${repositoryPath(repository)}/artifacts`,
        query: { ...ARTIFACT_EXTRAS, sort: opts.sort, q: opts.q },
        headers: { 'X-Accept-Vulnerabilities': ACCEPT_VULN },
        what: `the artifacts of ${repository}`,
        needs: 'the "list artifact" permission on the project',
        signal: opts.signal,
      },
      s.artifacts,
      cursor,
      opts.pageSize,
    );
  }

  artifact(repository: string, reference: string, signal?: AbortSignal): Promise<s.HarborArtifact> {
    return this.client.json(
      {
        method: 'GET',
        path: artifactPath(repository, reference),
        query: ARTIFACT_EXTRAS,
        headers: { 'X-Accept-Vulnerabilities': ACCEPT_VULN },
        what: `artifact ${repository}:${reference}`,
        needs: 'the "read artifact" permission on the project',
        signal,
      },
      s.artifact,
    );
  }

  vulnerabilities(repository: string, reference: string, signal?: AbortSignal): Promise<Record<string, s.HarborVulnerabilityReport | null>> {
    return this.client.json(
      {
        method: 'GET',
        path: `${artifactPath(repository, reference)}/additions/vulnerabilities`,
        headers: { 'X-Accept-Vulnerabilities': ACCEPT_VULN },
        what: `the vulnerability report of ${repository}@${reference}`,
        needs: 'the "read artifact-addition" permission on the project',
        signal,
      },
      s.vulnerabilitiesAddition,
    );
  }

  deleteArtifact(repository: string, digest: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'DELETE', path: artifactPath(repository, digest), what: `artifact ${repository}@${digest}`, needs: 'the "delete artifact" permission (project admin or maintainer)', signal });
  }

  health(signal?: AbortSignal) {
    return this.client.json({ method: 'GET', path: '/health', what: 'the health of Harbor', signal }, s.health);
  }

  systemInfo(signal?: AbortSignal): Promise<s.HarborSystemInfo> {
    return this.client.json({ method: 'GET', path: '/systeminfo', what: 'the system information of Harbor', signal }, s.systemInfo);
  }
}
