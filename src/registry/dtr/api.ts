import * as z from 'zod';
import { BadResponseError, ForbiddenError, NotFoundError, isRegistryError } from '../errors';
import { parseJson } from '../http';
import type { Cursor, Page, PageOptions } from '../provider';
import { registerSecret } from '../redact';
import { checkTagName, pathSegment } from '../names';
import { PagingGuard } from '../paging';
import { neutraliseCsv } from './csv';
import { apiPath, checkReference, checkSegment, splitRepository, type DtrClient } from './client';
import * as s from './schemas';
import { remoteBody, type PolicyKind, type RemoteInput, type RepoSettings } from './bodies';

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

/** Every DTR endpoint the provider and its admin model use, typed. Paths are built from checked, encoded segments. */
export class DtrApi {
  /** The API shape detected from the last repository answer (DTR 1.3 or 2.x). */
  apiShape: '1.3' | '2.6' | undefined;

  constructor(readonly client: DtrClient) {}

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

  /** Layer overrides (a CVE marked not applicable in a layer; admins). */
  async layerOverrides(signal?: AbortSignal): Promise<s.DtrVulnOverride[]> {
    return this.client.get(apiPath(':imagescan', ':layeroverride'), z.array(s.vulnOverride), 'the layer overrides', signal);
  }
  async addLayerOverride(layer: string, v: { component: string; componentVersion: string; cve: string; notes: string }, signal?: AbortSignal): Promise<void> {
    await this.client.call('POST', apiPath(':imagescan', ':layeroverride', checkReference(layer)), { json: v, what: `overriding ${v.cve} in layer ${layer}`, signal });
  }
  async deleteLayerOverride(pk: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', apiPath(':imagescan', ':layeroverride', pk), { what: `deleting layer override ${pk}`, signal });
  }

  // ---- policies ----

  async listPolicies<T>(repository: string, kind: PolicyKind, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T[]> {
    const [ns, name] = splitRepository(repository);
    const path = apiPath(':repositories', ns, name, `:${kind}`);
    const what = `the ${policyWords[kind]} of ${ns}/${name}`;
    // Pruning policies are paged; the other lists are not (the parameters are ignored there).
    if (kind === 'pruningPolicies') return this.client.all(path, z.array(schema), (b) => b, what, signal);
    return this.client.get(path, z.array(schema), what, signal);
  }

  async getPolicy<T>(repository: string, kind: PolicyKind, id: string, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    const [ns, name] = splitRepository(repository);
    return this.client.get(apiPath(':repositories', ns, name, `:${kind}`, id), schema, `${policyWords[kind].replace(/ies$/, 'y')} ${id}`, signal);
  }

  async savePolicy<T>(repository: string, kind: PolicyKind, id: string | undefined, body: Record<string, unknown>, schema: z.ZodType<T>, signal?: AbortSignal): Promise<T> {
    const [ns, name] = splitRepository(repository);
    const what = `${id ? 'updating' : 'creating'} a ${policyWords[kind].replace(/ies$/, 'y')} of ${ns}/${name}`;
    // A pruning policy applies on save (what its Test showed and the confirmation said); promotion and mirroring
    // policies wait for the next push or poll rather than promoting or mirroring every matching tag at once.
    const initialEvaluation = kind === 'pruningPolicies';
    if (id) return this.client.call('PUT', apiPath(':repositories', ns, name, `:${kind}`, id), { json: body, schema, what, signal, query: kind === 'pollMirroringPolicies' ? undefined : { initialEvaluation } });
    return this.client.call('POST', apiPath(':repositories', ns, name, `:${kind}`), { json: body, schema, what, signal, query: { initialEvaluation } });
  }

  async deletePolicy(repository: string, kind: PolicyKind, id: string, signal?: AbortSignal): Promise<void> {
    const [ns, name] = splitRepository(repository);
    await this.client.call('DELETE', apiPath(':repositories', ns, name, `:${kind}`, id), { what: `deleting ${policyWords[kind].replace(/ies$/, 'y')} ${id}`, signal });
  }

  /** Tags a pruning policy with these rules would prune now (every page). */
  async testPruning(repository: string, rules: s.RuleInput[], signal?: AbortSignal): Promise<string[]> {
    const [ns, name] = splitRepository(repository);
    const out: string[] = [];
    const what = `Testing a pruning policy of ${ns}/${name}`;
    const guard = new PagingGuard(what);
    let start: string | undefined;
    for (;;) {
      guard.request(start);
      const res = await this.client.send('POST', apiPath(':repositories', ns, name, ':pruningPolicies', ':test'), {
        json: { rules, enabled: true },
        query: { pageStart: start, pageSize: 100 },
        what: `testing a pruning policy of ${ns}/${name}`,
        signal,
      });
      const names = parseJson(res, s.thinTags, 'The tags the policy would prune').map((t) => t.name);
      guard.received(names.length);
      for (const n of names) out.push(n);
      const next = res.header('x-next-page-start')?.trim();
      if (!next) break;
      const stop = guard.check(next);
      if (stop) throw stop;
      start = next;
    }
    return out;
  }

  // ---- access ----

  async myAccess(repository: string, signal?: AbortSignal): Promise<s.AccessLevel | undefined> {
    const user = await this.client.username();
    if (!user) return undefined;
    const [ns, name] = splitRepository(repository);
    const r = await this.client.get(apiPath(':accounts', user, ':repositoryAccess', ns, name), s.repoUserAccess, `your access to ${ns}/${name}`, signal);
    return r.accessLevel;
  }

  async repoTeamAccess(repository: string, signal?: AbortSignal): Promise<s.DtrTeamAccess[]> {
    const [ns, name] = splitRepository(repository);
    return this.withTeamNames(ns, await this.client.all(apiPath(':repositories', ns, name, ':teamAccess'), s.repoTeamAccessList, (b) => b.teamAccessList, `the team access of ${ns}/${name}`, signal), signal);
  }

  /**
   * Team access addresses a team by name (`{teamname}`), but the document's `responses.Team` has only its id: names
   * DTR leaves out are looked up in the account service's team list of the organization. A team still without a
   * name is listed by id and cannot be changed here (its id is never sent where a name belongs).
   */
  private async withTeamNames(org: string, list: s.DtrTeamAccess[], signal?: AbortSignal): Promise<s.DtrTeamAccess[]> {
    if (list.every((x) => x.team.name)) return list;
    const names = await this.teamNames(org, signal);
    return list.map((x) => (x.team.name || !names?.has(x.team.id) ? x : { ...x, team: { ...x.team, name: names.get(x.team.id)! } }));
  }

  /** Team names by id from `GET /enzi/v0/accounts/{org}/teams`; undefined when the service does not answer. */
  async teamNames(org: string, signal?: AbortSignal): Promise<Map<string, string> | undefined> {
    const path = `/enzi/v0/accounts/${pathSegment(checkSegment(org, 'organization'), 'organization')}/teams`;
    try {
      const body = await this.client.get(path, s.enziTeams, `the teams of ${org}`, signal, { limit: 100 });
      return new Map(body.teams.map((t) => [String(t.id), t.name]));
    } catch (e) {
      if (isRegistryError(e) && e.kind === 'cancelled') throw e;
      return undefined;
    }
  }
  async setRepoTeamAccess(repository: string, team: string, accessLevel: s.AccessLevel, signal?: AbortSignal): Promise<void> {
    const [ns, name] = splitRepository(repository);
    await this.client.call('PUT', apiPath(':repositories', ns, name, ':teamAccess', team), { json: { accessLevel }, schema: s.repoTeamAccessList, what: `access of team ${team} to ${ns}/${name}`, signal });
  }
  async revokeRepoTeamAccess(repository: string, team: string, signal?: AbortSignal): Promise<void> {
    const [ns, name] = splitRepository(repository);
    await this.client.call('DELETE', apiPath(':repositories', ns, name, ':teamAccess', team), { what: `revoking access of team ${team} to ${ns}/${name}`, signal });
  }
  async namespaceTeamAccess(namespace: string, signal?: AbortSignal): Promise<s.DtrTeamAccess[]> {
    return this.withTeamNames(namespace, await this.client.all(apiPath(':repositoryNamespaces', namespace, ':teamAccess'), s.namespaceTeamAccessList, (b) => b.teamAccessList, `the team access of namespace ${namespace}`, signal), signal);
  }
  async setNamespaceTeamAccess(namespace: string, team: string, accessLevel: s.AccessLevel, signal?: AbortSignal): Promise<void> {
    await this.client.call('PUT', apiPath(':repositoryNamespaces', namespace, ':teamAccess', team), { json: { accessLevel }, schema: s.namespaceTeamAccess, what: `access of team ${team} to namespace ${namespace}`, signal });
  }
  async revokeNamespaceTeamAccess(namespace: string, team: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', apiPath(':repositoryNamespaces', namespace, ':teamAccess', team), { what: `revoking access of team ${team} to namespace ${namespace}`, signal });
  }

  // ---- webhooks and events ----

  async webhooks(scope: { namespace: string; repository?: string }, signal?: AbortSignal): Promise<s.DtrWebhook[]> {
    if (scope.repository) {
      const [ns, name] = splitRepository(scope.repository);
      return this.client.get(apiPath(':repositories', ns, name, ':webhooks'), s.webhooks, `the webhooks of ${ns}/${name}`, signal);
    }
    return this.client.get(apiPath(':accounts', scope.namespace, ':webhooks'), s.webhooks, `the webhooks of ${scope.namespace}`, signal);
  }
  async createWebhook(v: { type: string; key: string; endpoint: string; tlsCert: string; skipTLSVerification: boolean }, signal?: AbortSignal): Promise<s.DtrWebhook[]> {
    return this.client.call('POST', apiPath(':webhooks'), { json: v, schema: s.webhooks, what: `creating a ${v.type} webhook for ${v.key}`, signal });
  }
  async testWebhook(v: { type: string; endpoint: string; tlsCert: string; skipTLSVerification: boolean }, signal?: AbortSignal): Promise<void> {
    await this.client.call('POST', apiPath(':webhooks', ':test'), { json: v, what: `testing the webhook ${v.endpoint}`, signal });
  }
  async updateWebhook(v: { id: string; inactive: boolean; tlsCert: string; skipTLSVerification: boolean }, signal?: AbortSignal): Promise<void> {
    await this.client.call('POST', apiPath(':webhooks', ':update'), { json: v, schema: s.webhooks, what: `updating webhook ${v.id}`, signal });
  }
  async deleteWebhook(id: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', apiPath(':webhooks', id), { what: `deleting webhook ${id}`, signal });
  }

  events(repository: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<s.DtrEvent>> {
    const [ns, name] = splitRepository(repository);
    return this.client.page(apiPath(':repositories', ns, name, ':events'), s.events, (b) => b.events, `the events of ${ns}/${name}`, cursor, opts);
  }

  // ---- API tokens ----

  async apiTokens(cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<s.DtrApiToken>> {
    const username = await this.client.username();
    return this.client.page(apiPath(':api_tokens'), s.apiTokens, (b) => b, 'your API tokens', cursor, { ...opts, query: { username } });
  }
  async apiToken(id: string, signal?: AbortSignal): Promise<s.DtrApiToken> {
    return this.client.get(apiPath(':api_tokens', id), s.apiToken, `API token ${id}`, signal);
  }
  async createApiToken(tokenLabel: string, signal?: AbortSignal) {
    const username = await this.client.username();
    const t = await this.client.call('POST', apiPath(':api_tokens'), { json: { tokenLabel }, query: { username }, schema: s.newApiToken, what: `creating API token "${tokenLabel}"`, signal });
    // Registered as soon as it arrives: no later message or log line may show it (the outcome shows it once).
    registerSecret(t.token);
    return t;
  }
  async updateApiToken(id: string, v: { tokenLabel?: string; isActive?: boolean }, signal?: AbortSignal) {
    return this.client.call('PATCH', apiPath(':api_tokens', id), { json: v, schema: s.apiToken, what: `API token ${id}`, signal });
  }
  async deleteApiToken(id: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', apiPath(':api_tokens', id), { what: `deleting API token ${id}`, signal });
  }

  // ---- administration ----

  async jobs(cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<s.DtrJob>> {
    // Jobs page with start/limit (not the header cursor).
    const start = cursor === undefined ? 0 : Number(cursor);
    if (!Number.isInteger(start) || start < 0 || start > 1_000_000) throw new NotFoundError('Invalid page of jobs');
    const limit = Math.max(1, Math.min(100, opts.pageSize ?? 100));
    const body = await this.client.get(apiPath(':jobs'), s.jobs, 'the DTR jobs', opts.signal, { start, limit });
    const page: Page<s.DtrJob> = { items: body.jobs };
    if (body.jobs.length >= limit) page.next = String(start + limit);
    return page;
  }
  async jobLogs(id: string, signal?: AbortSignal): Promise<string[]> {
    const lines = await this.client.get(apiPath(':jobs', id, ':logs'), s.jobLogs, `the logs of job ${id}`, signal);
    return lines.sort((a, b) => a.lineNum - b.lineNum).map((l) => l.data);
  }
  async cancelJob(id: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('POST', apiPath(':jobs', id, ':cancel'), { what: `cancelling job ${id}`, signal });
  }
  async crons(signal?: AbortSignal): Promise<s.DtrCron[]> {
    return (await this.client.get(apiPath(':crons'), s.crons, 'the DTR crons', signal)).crons;
  }
  scannerStatus(signal?: AbortSignal) {
    return this.client.get(apiPath(':imagescan', ':status'), s.scannerStatus, 'the scanner status', signal);
  }
}

const policyWords: Record<PolicyKind, string> = {
  pruningPolicies: 'pruning policies',
  promotionPolicies: 'promotion policies',
  pollMirroringPolicies: 'poll mirroring policies',
  pushMirroringPolicies: 'push mirroring policies',
};
