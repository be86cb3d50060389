import * as z from 'zod';
import { NotFoundError, isRegistryError } from '../errors';
import { parseJson } from '../http';
import type { Cursor, Page, PageOptions } from '../provider';
import { registerSecret } from '../redact';
import { pathSegment } from '../names';
import { PagingGuard } from '../paging';
import { apiPath, checkReference, checkSegment, splitRepository, type DtrClient } from './client';
import * as s from './schemas';
import type { PolicyKind } from './bodies';

/**
 * DTR's administrative endpoints: layer overrides, per-repository policies, access, webhooks and events, API tokens
 * and administration (jobs, crons, scanner). `DtrApi` adds the namespaces, repositories, tags and scans.
 */
export class DtrAdminApi {
  constructor(readonly client: DtrClient) {}

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
      const stop = guard.check(next, names.length);
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
    try {
      return new Map((await this.teams(org, signal)).map((t) => [String(t.id), t.name]));
    } catch (e) {
      if (isRegistryError(e) && e.kind === 'cancelled') throw e;
      return undefined;
    }
  }
  /** The teams of an organization (`GET /enzi/v0/accounts/{org}/teams`, the account service DTR's UI reads). */
  async teams(org: string, signal?: AbortSignal): Promise<Array<{ id: string | number; name: string }>> {
    const path = `/enzi/v0/accounts/${pathSegment(checkSegment(org, 'organization'), 'organization')}/teams`;
    return (await this.client.get(path, s.enziTeams, `the teams of ${org}`, signal, { limit: 100 })).teams;
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
