import * as z from 'zod';
import type { Cursor, Page } from '../provider';
import { checkRepositoryName, checkTagName } from '../names';
import { isRegistryError } from '../errors';
import { type HarborClient, artifactPath, projectPath, repositoryPath, splitRepository } from './client';
import * as s from './schemas';

/** A label Harbor attaches to artifacts: global (`g`) or of one project (`p`). */
export const labelView = z.object({ id: z.number(), name: z.string().nullable().optional(), description: z.string().nullable().optional(), scope: z.string().nullable().optional() });
export type HarborLabel = z.infer<typeof labelView>;
const labelList = z.array(labelView);

/** One step of `…/additions/build_history`: the image config's history, as Harbor serves it. */
const buildStep = z.object({ created: z.string().nullable().optional(), created_by: z.string().nullable().optional(), comment: z.string().nullable().optional(), empty_layer: z.boolean().nullable().optional() });
export type BuildStep = z.infer<typeof buildStep>;
const buildHistory = z.array(buildStep).max(10_000);

export type HarborTag = z.infer<typeof s.tag>;
const tagList = z.array(s.tag);

const MAINTAIN = 'project admin or maintainer (a robot: the matching permission in its list)';

/** Artifact operations of Harbor's `/api/v2.0`: tags, accessories, scans, labels, copies, build history, repositories. */
export class HarborArtifactsApi {
  constructor(readonly client: HarborClient) {}

  /** The tags of one artifact, with their immutable status. */
  listTags(repository: string, reference: string, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<HarborTag>> {
    return this.client.page(
      { path: `${artifactPath(repository, reference)}/tags`, query: { with_immutable_status: true }, what: `the tags of ${repository}@${reference}`, needs: 'the "list tag" permission on the project', signal },
      tagList,
      cursor,
      pageSize,
    );
  }

  createTag(repository: string, reference: string, name: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'POST', path: `${artifactPath(repository, reference)}/tags`, json: { name: checkTagName(name) }, what: `tag ${repository}:${name}`, needs: `the "create tag" permission (developer or above)`, signal });
  }

  deleteTag(repository: string, reference: string, name: string, signal?: AbortSignal): Promise<void> {
    const path = `${artifactPath(repository, reference)}/tags/${encodeURIComponent(checkTagName(name))}`;
    return this.client.call({ method: 'DELETE', path, what: `tag ${repository}:${name}`, needs: `the "delete tag" permission (${MAINTAIN})`, signal });
  }

  listAccessories(repository: string, reference: string, cursor: Cursor | undefined, pageSize?: number, signal?: AbortSignal): Promise<Page<s.HarborAccessory>> {
    return this.client.page({ path: `${artifactPath(repository, reference)}/accessories`, what: `the accessories of ${repository}@${reference}`, needs: 'the "list accessory" permission on the project', signal }, s.accessories, cursor, pageSize);
  }

  scan(repository: string, reference: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'POST', path: `${artifactPath(repository, reference)}/scan`, json: { scan_type: 'vulnerability' }, what: `the scan of ${repository}@${reference}`, needs: 'the "create scan" permission (developer or above)', signal });
  }

  stopScan(repository: string, reference: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'POST', path: `${artifactPath(repository, reference)}/scan/stop`, json: { scan_type: 'vulnerability' }, what: `the scan of ${repository}@${reference}`, needs: 'the "stop scan" permission (developer or above)', signal });
  }

  /** Labels of one scope: global (`g`) or a project's (`p`, by project id); every page, bounded. */
  async labels(scope: 'g' | 'p', projectId: number | undefined, signal?: AbortSignal): Promise<HarborLabel[]> {
    const out: HarborLabel[] = [];
    let cursor: Cursor | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await this.client.page({ path: '/labels', query: { scope, project_id: projectId }, what: scope === 'g' ? 'the global labels' : 'the labels of the project', signal }, labelList, cursor);
      out.push(...page.items);
      if (page.error) throw page.error;
      if (!page.next) break;
      cursor = page.next;
    }
    return out;
  }

  addLabel(repository: string, reference: string, id: number, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'POST', path: `${artifactPath(repository, reference)}/labels`, json: { id }, what: `a label of ${repository}@${reference}`, needs: 'the "create artifact-label" permission (developer or above)', signal });
  }

  removeLabel(repository: string, reference: string, id: number, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'DELETE', path: `${artifactPath(repository, reference)}/labels/${id}`, what: `a label of ${repository}@${reference}`, needs: 'the "delete artifact-label" permission (developer or above)', signal });
  }

  /** Copies `from` (`project/repo@digest`) into `repository` (created when it does not exist). */
  copy(repository: string, from: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'POST', path: `${repositoryPath(repository)}/artifacts`, query: { from }, what: `the copy into ${repository}`, needs: 'pull on the source project and push on the target (developer or above)', signal });
  }

  /** The image's build history, or undefined where Harbor has none (404: not an image, an older Harbor). */
  async buildHistory(repository: string, reference: string, signal?: AbortSignal): Promise<BuildStep[] | undefined> {
    try {
      return await this.client.json({ method: 'GET', path: `${artifactPath(repository, reference)}/additions/build_history`, what: `the build history of ${repository}@${reference}`, signal }, buildHistory);
    } catch (e) {
      if (isRegistryError(e) && (e.kind === 'notFound' || e.kind === 'unsupported')) return undefined;
      throw e;
    }
  }

  repository(repository: string, signal?: AbortSignal): Promise<s.HarborRepository> {
    return this.client.json({ method: 'GET', path: repositoryPath(repository), what: `repository ${repository}`, needs: 'the "read repository" permission on the project', signal }, s.repository);
  }

  /** Updates a repository's description (the Repository body; Harbor reads only `description`). */
  updateDescription(repository: string, description: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'PUT', path: repositoryPath(repository), json: { description }, what: `repository ${repository}`, needs: `the "update repository" permission (${MAINTAIN})`, signal });
  }

  deleteRepository(repository: string, signal?: AbortSignal): Promise<void> {
    return this.client.call({ method: 'DELETE', path: repositoryPath(repository), what: `repository ${repository}`, needs: `the "delete repository" permission (${MAINTAIN})`, signal });
  }

  /** The id of a project, for its labels. */
  async projectId(project: string, signal?: AbortSignal): Promise<number | undefined> {
    const p = await this.client.json({ method: 'GET', path: projectPath(project), headers: { 'X-Is-Resource-Name': 'true' }, what: `project ${project}`, signal }, s.project);
    return p.project_id ?? undefined;
  }
}

/** `project/repo@digest` for `from=`, checked. */
export function copySource(repository: string, digest: string): string {
  splitRepository(repository);
  checkRepositoryName(repository);
  return `${repository}@${digest}`;
}
