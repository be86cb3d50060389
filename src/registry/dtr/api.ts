import * as z from 'zod';
import { BadResponseError, ForbiddenError, NotFoundError, isRegistryError } from '../errors';
import { parseJson } from '../http';
import type { Cursor, Page, PageOptions } from '../provider';
import { checkTagName } from '../names';
import { neutraliseCsv } from './csv';
import { apiPath, checkReference, checkSegment, splitRepository, type DtrClient } from './client';
import * as s from './schemas';
import { DtrAdminApi } from './adminApi';
import { remoteBody, type RemoteInput, type RepoSettings } from './bodies';

export type { PolicyInput, PolicyKind, PollMirroringPolicyInput, PromotionPolicyInput, PushMirroringPolicyInput, RemoteInput, RepoSettings } from './bodies';

/** Treats 403 as "not for you" (admin-only endpoints in a tooltip). */
export async function orUndefinedOn403<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ForbiddenError || (isRegistryError(e) && e.status === 403)) return undefined;
    throw e;
  }
}

export async function orUndefinedOn404<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NotFoundError || (isRegistryError(e) && e.status === 404)) return undefined;
    throw e;
  }
}

/**
 * Every DTR endpoint the provider and its admin model use, typed: namespaces, repositories, tags and scans here, the
 * administrative endpoints in `DtrAdminApi`. Paths are built from checked, encoded segments.
 */
export class DtrApi extends DtrAdminApi {
  /** The API shape detected from the last repository answer (DTR 1.3 or 2.x). */
  apiShape: '1.3' | '2.6' | undefined;

  constructor(client: DtrClient) {
    super(client);
  }

  private noteShape(raw: z.output<typeof s.repository>): s.DtrRepository {
    const r = s.toDtrRepository(raw);
    this.apiShape = r.apiShape;
    return r;
  }

  // ---- meta ----

  features(signal?: AbortSignal): Promise<s.DtrFeatures> {
    return this.client.get(apiPath(':meta', ':features'), s.features, 'the DTR features', signal);
  }
  clusterStatus(signal?: AbortSignal) {
    return this.client.get(apiPath(':meta', ':cluster_status'), s.clusterStatus, 'the DTR cluster status', signal);
  }
  alerts(signal?: AbortSignal) {
    return this.client.get(apiPath(':meta', ':alerts'), s.alerts, 'the DTR alerts', signal);
  }

  // ---- namespaces and repositories ----

  accounts(signal?: AbortSignal) {
    // `query` is required: sent empty, it matches every account.
    return this.client.get(apiPath(':index', ':autocomplete'), s.autocomplete, 'the DTR accounts', signal, { query: '', includeAccounts: true, includeRepositories: false, limit: 100 });
  }

  repositories(namespace: string | undefined, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<s.DtrRepository>> {
    const path = namespace === undefined ? apiPath(':repositories') : apiPath(':repositories', namespace);
    const what = namespace === undefined ? 'the repositories' : `the repositories of ${namespace}`;
    return this.client.page(path, s.repositories, (b) => b.repositories.map((r) => this.noteShape(r)), what, cursor, opts);
  }

  async repository(repository: string, signal?: AbortSignal): Promise<s.DtrRepository> {
    const [ns, name] = splitRepository(repository);
    return this.noteShape(await this.client.get(apiPath(':repositories', ns, name), s.repository, `repository ${ns}/${name}`, signal));
  }

  /** Creates a repository; DTR 2.x gets every CreateRepo field, DTR 1.3 the fields it knows. */
  async createRepository(namespace: string, name: string, v: RepoSettings, signal?: AbortSignal): Promise<s.DtrRepository> {
    checkSegment(name, 'repository name');
    const body: Record<string, unknown> =
      this.apiShape === '1.3'
        ? { name, shortDescription: v.shortDescription, longDescription: v.longDescription, visibility: v.visibility }
        : { name, ...v };
    return this.noteShape(await this.client.call('POST', apiPath(':repositories', namespace), { json: body, schema: s.repository, what: `creating repository ${namespace}/${name}`, signal }));
  }

  async updateRepository(repository: string, v: RepoSettings, signal?: AbortSignal): Promise<s.DtrRepository> {
    const [ns, name] = splitRepository(repository);
    const body: Record<string, unknown> =
      this.apiShape === '1.3' ? { shortDescription: v.shortDescription, longDescription: v.longDescription, visibility: v.visibility } : { ...v };
    return this.noteShape(await this.client.call('PATCH', apiPath(':repositories', ns, name), { json: body, schema: s.repository, what: `repository ${ns}/${name}`, signal }));
  }

  async deleteRepository(repository: string, signal?: AbortSignal): Promise<void> {
    const [ns, name] = splitRepository(repository);
    await this.client.call('DELETE', apiPath(':repositories', ns, name), { what: `deleting repository ${ns}/${name}`, signal, query: { domain: this.client.domain } });
  }

  async toggleScanOnPush(scanOnPush: boolean, signal?: AbortSignal): Promise<void> {
    await this.client.call('POST', apiPath(':repositories', ':scan', ':toggle'), { json: { scanOnPush }, what: 'scan on push for all repositories', signal });
  }

  // ---- tags ----

  /** One page of tags, one entry per platform of a multi-platform tag (`includeManifests`), Notary facts included. */
  tags(repository: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<s.DtrListTag>> {
    const [ns, name] = splitRepository(repository);
    return this.client.page(apiPath(':repositories', ns, name, ':tags'), s.listTags, (b) => b, `the tags of ${ns}/${name}`, cursor, {
      ...opts,
      query: { includeManifests: true, domain: this.client.domain },
    });
  }

  /** A tag (one entry per platform of a manifest list) or every tag of a digest. */
  async tag(repository: string, reference: string, signal?: AbortSignal, query?: { os?: string; arch?: string }): Promise<s.DtrListTag[]> {
    const [ns, name] = splitRepository(repository);
    return this.client.get(apiPath(':repositories', ns, name, ':tags', checkReference(reference)), s.tagEntries, `tag ${ns}/${name}:${reference}`, signal, { domain: this.client.domain, ...query });
  }

  async deleteTag(repository: string, tag: string, signal?: AbortSignal): Promise<void> {
    const [ns, name] = splitRepository(repository);
    // `domain`: DTR needs it to remove the tag's Notary data along with the tag.
    await this.client.call('DELETE', apiPath(':repositories', ns, name, ':tags', checkTagName(tag)), { what: `deleting tag ${ns}/${name}:${tag}`, signal, query: { domain: this.client.domain } });
  }

  async deleteManifest(repository: string, digest: string, signal?: AbortSignal): Promise<void> {
    const [ns, name] = splitRepository(repository);
    await this.client.call('DELETE', apiPath(':repositories', ns, name, ':manifests', checkReference(digest)), { what: `deleting manifest ${ns}/${name}@${digest}`, signal });
  }

  async scanBadges(images: Array<{ name: string; digest: string }>, signal?: AbortSignal): Promise<Record<string, { critical: number; major: number; minor: number }>> {
    const body = await this.client.call('POST', apiPath(':imagescan', ':scansummary', ':tags'), { json: { images }, schema: s.thinScanSummaries, what: 'the scan summaries of the tags', signal });
    return body.images;
  }

  async promote(repository: string, tag: string, targetRepository: string, targetTag: string, signal?: AbortSignal) {
    const [ns, name] = splitRepository(repository);
    splitRepository(targetRepository);
    checkTagName(targetTag);
    return this.client.call('POST', apiPath(':repositories', ns, name, ':tags', checkTagName(tag), ':promotion'), { json: { targetRepository, targetTag }, schema: s.promotionResult, what: `promoting ${ns}/${name}:${tag}`, signal });
  }

  async pushMirror(repository: string, tag: string, remote: RemoteInput & { remoteTag: string }, signal?: AbortSignal) {
    const [ns, name] = splitRepository(repository);
    return this.client.call('POST', apiPath(':repositories', ns, name, ':tags', checkTagName(tag), ':pushMirroring'), {
      json: { ...remoteBody(remote), remoteTag: remote.remoteTag },
      schema: s.mirroringResult,
      what: `mirroring ${ns}/${name}:${tag} to ${remote.remoteHost}`,
      signal,
    });
  }

  async scan(repository: string, tag: string, os: string, arch: string, signal?: AbortSignal): Promise<void> {
    const [ns, name] = splitRepository(repository);
    await this.client.call('POST', apiPath(':imagescan', ':scan', ns, name, checkTagName(tag), os, arch), { what: `scanning ${ns}/${name}:${tag} (${os}/${arch})`, signal });
  }

  async scanSummaries(repository: string, reference: string, platform: { os?: string; arch?: string }, signal?: AbortSignal) {
    const [ns, name] = splitRepository(repository);
    return this.client.get(apiPath(':imagescan', ':scansummary', ':repositories', ns, name, checkReference(reference)), s.scanSummaries, `the scan summary of ${ns}/${name}:${reference}`, signal, {
      scanstatus: true,
      os: platform.os,
      arch: platform.arch,
    });
  }

  /**
   * The scan summary of one platform of a tag as a file (`…/export`), CSV or JSON by `Accept`. A CSV must come back
   * as CSV, and a JSON export must be the scan summaries DTR describes (checked, then returned as sent).
   */
  async exportScanSummary(repository: string, tag: string, platform: { os: string; arch: string }, format: 'csv' | 'json', signal?: AbortSignal): Promise<string> {
    const [ns, name] = splitRepository(repository);
    const what = `The scan summary export of ${ns}/${name}:${tag} (${platform.os}/${platform.arch})`;
    const accept = format === 'csv' ? 'text/csv' : 'application/json';
    const res = await this.client.send('GET', apiPath(':imagescan', ':scansummary', ':repositories', ns, name, checkTagName(tag), ':export'), {
      query: { os: checkSegment(platform.os, 'operating system'), arch: checkSegment(platform.arch, 'architecture') },
      accept,
      what,
      signal,
    });
    const type = (res.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== accept) throw new BadResponseError(`${what}: expected ${accept}, got ${type || 'no content type'}`);
    if (format === 'json') {
      parseJson(res, s.scanSummaries, what);
      return res.text();
    }
    // Cells a spreadsheet would run as formulas are neutralised before the file is saved.
    return neutraliseCsv(res.text());
  }
}
