import { BadResponseError, UnsupportedError } from '../errors';
import type { Cursor, Page, PageOptions, Repository } from '../provider';
import type { HubClient } from './client';
import {
  repositoryOrderings,
  toAuditEvent,
  toOrgAccessToken,
  toOrgGroup,
  toOrgMember,
  toPat,
  toRepository,
  toRepositoryInfo,
  type AuditEvent,
  type AuditLogQuery,
  type CreateRepositoryInput,
  type CreatedOrgAccessToken,
  type CreatedPersonalAccessToken,
  type GroupMember,
  type HubRepositoryInfo,
  type OrgAccessToken,
  type OrgAccessTokenResource,
  type OrgGroup,
  type OrgMember,
  type PersonalAccessToken,
  type RepositoryOrdering,
  type UpdateRepositoryInput,
} from './model';
import * as s from './schemas';

export interface RepositoryPageOptions extends PageOptions {
  /** Partial-match filter on the repository name. */
  name?: string;
  ordering?: RepositoryOrdering;
}

export const MAX_PAGE = 100;

export function pageSize(opts?: PageOptions): number {
  const n = opts?.pageSize ?? MAX_PAGE;
  return Math.max(1, Math.min(MAX_PAGE, Math.floor(n)));
}

export const seg = encodeURIComponent;

/**
 * Hub-only operations (repository settings, immutable tags, tokens, organizations, audit log), typed for the
 * commands and webview forms. Lists return one page per call with an opaque cursor, like the provider.
 */
export class HubApi {
  constructor(
    private readonly client: HubClient,
    private readonly defaultOrdering?: RepositoryOrdering,
  ) {}

  /** The signed-in account (`GET /v2/user/`, hub-tool; not in the published spec). */
  async whoami(signal?: AbortSignal): Promise<{ username: string; fullName?: string; company?: string; location?: string; dateJoined?: string }> {
    const u = await this.client.get(this.client.url('/v2/user/'), s.hubUser, 'your account', 'required', signal);
    return { username: u.username, fullName: u.full_name ?? undefined, company: u.company || undefined, location: u.location || undefined, dateJoined: u.date_joined ?? undefined };
  }

  // ---- repositories ----

  async listRepositories(namespace: string, cursor: Cursor | undefined, opts: RepositoryPageOptions = {}): Promise<Page<Repository>> {
    const ordering = opts.ordering ?? this.defaultOrdering;
    if (ordering !== undefined && !(repositoryOrderings as readonly string[]).includes(ordering)) {
      throw new UnsupportedError(`Docker Hub cannot order repositories by "${String(ordering)}"`);
    }
    const what = `the repositories of ${namespace}`;
    const first = this.client.url(`/v2/namespaces/${seg(namespace)}/repositories`, { page_size: pageSize(opts), name: opts.name, ordering });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.repositoryListPage, toRepository, what, 'optional', opts.signal);
  }

  async getRepository(namespace: string, name: string, signal?: AbortSignal): Promise<HubRepositoryInfo> {
    const body = await this.client.get(this.client.url(`/v2/namespaces/${seg(namespace)}/repositories/${seg(name)}`), s.repositoryInfo, `repository ${namespace}/${name}`, 'optional', signal);
    return toRepositoryInfo(body);
  }

  async createRepository(input: CreateRepositoryInput, signal?: AbortSignal): Promise<HubRepositoryInfo> {
    const json: Record<string, unknown> = { name: input.name, namespace: input.namespace, is_private: input.isPrivate ?? false };
    if (input.description !== undefined) json.description = input.description;
    if (input.fullDescription !== undefined) json.full_description = input.fullDescription;
    const body = await this.client.call('POST', this.client.url(`/v2/namespaces/${seg(input.namespace)}/repositories`), { schema: s.repositoryInfo, json, auth: 'required', signal, what: `the new repository ${input.namespace}/${input.name}` });
    return toRepositoryInfo(body);
  }

  /**
   * Edits the descriptions (`PATCH /v2/repositories/{ns}/{repo}/`) and, when asked, the visibility
   * (`POST …/privacy/`). Neither is in the published spec; both are what Hub's own UI and hub-tool use.
   */
  async updateRepository(namespace: string, name: string, input: UpdateRepositoryInput, signal?: AbortSignal): Promise<HubRepositoryInfo> {
    const base = `/v2/repositories/${seg(namespace)}/${seg(name)}`;
    const json: Record<string, unknown> = {};
    if (input.description !== undefined) json.description = input.description;
    if (input.fullDescription !== undefined) json.full_description = input.fullDescription;
    let info: HubRepositoryInfo | undefined;
    if (Object.keys(json).length > 0) {
      info = toRepositoryInfo(await this.client.call('PATCH', this.client.url(`${base}/`), { schema: s.repositoryInfo, json, auth: 'required', signal, what: `the updated repository ${namespace}/${name}` }));
    }
    if (input.isPrivate !== undefined && info?.isPrivate !== input.isPrivate) {
      await this.client.call('POST', this.client.url(`${base}/privacy/`), { schema: s.privacyResponse, json: { is_private: input.isPrivate }, auth: 'required', signal, what: `the visibility of ${namespace}/${name}` });
      info = undefined;
    }
    return info ?? this.getRepository(namespace, name, signal);
  }

  /** Deletes a repository and all its tags (`DELETE /v2/repositories/{ns}/{repo}/`, outside the published spec). */
  async deleteRepository(namespace: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', this.client.url(`/v2/repositories/${seg(namespace)}/${seg(name)}/`), { auth: 'required', signal, what: `repository ${namespace}/${name}` });
  }

  // ---- immutable tags ----

  async getImmutableTags(namespace: string, name: string, signal?: AbortSignal): Promise<{ enabled: boolean; rules: string[] }> {
    return (await this.getRepository(namespace, name, signal)).immutableTags;
  }

  async setImmutableTags(namespace: string, name: string, settings: { enabled: boolean; rules: string[] }, signal?: AbortSignal): Promise<{ enabled: boolean; rules: string[] }> {
    const body = await this.client.call('PATCH', this.client.url(`/v2/namespaces/${seg(namespace)}/repositories/${seg(name)}/immutabletags`), {
      schema: s.repositoryInfo,
      json: { immutable_tags: settings.enabled, immutable_tags_rules: settings.rules },
      auth: 'required',
      signal,
      what: `the immutable-tag settings of ${namespace}/${name}`,
    });
    return toRepositoryInfo(body).immutableTags;
  }

  /** The tags of the repository a rule (regular expression) would make immutable, before saving it. */
  async verifyImmutableTags(namespace: string, name: string, regex: string, signal?: AbortSignal): Promise<string[]> {
    const body = await this.client.call('POST', this.client.url(`/v2/namespaces/${seg(namespace)}/repositories/${seg(name)}/immutabletags/verify`), {
      schema: s.immutableTagsVerifyResponse,
      json: { regex },
      auth: 'required',
      signal,
      what: `the immutable-tag check for ${namespace}/${name}`,
    });
    return body.tags;
  }

  // ---- personal access tokens ----

  async listPersonalAccessTokens(cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<PersonalAccessToken>> {
    const what = 'the personal access tokens';
    const first = this.client.url('/v2/access-tokens', { page: 1, page_size: pageSize(opts) });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.accessTokenPage, toPat, what, 'required', opts.signal);
  }

  /** Creates a token; the returned `secret` is the only time Hub reveals it. */
  async createPersonalAccessToken(input: { label: string; scopes: string[]; expiresAt?: string }, signal?: AbortSignal): Promise<CreatedPersonalAccessToken> {
    const json: Record<string, unknown> = { token_label: input.label, scopes: input.scopes };
    if (input.expiresAt) json.expires_at = input.expiresAt;
    const body = await this.client.call('POST', this.client.url('/v2/access-tokens'), { schema: s.accessToken, json, auth: 'required', signal, what: 'the new personal access token' });
    if (!body.token) throw new BadResponseError('Docker Hub created the token but did not return its secret');
    return { ...toPat(body), secret: body.token };
  }

  async setPersonalAccessTokenActive(uuid: string, active: boolean, signal?: AbortSignal): Promise<PersonalAccessToken> {
    const body = await this.client.call('PATCH', this.client.url(`/v2/access-tokens/${seg(uuid)}`), { schema: s.accessToken, json: { is_active: active }, auth: 'required', signal, what: 'the updated personal access token' });
    return toPat(body);
  }

  async deletePersonalAccessToken(uuid: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', this.client.url(`/v2/access-tokens/${seg(uuid)}`), { auth: 'required', signal, what: 'the personal access token' });
  }

  // ---- organizations ----

  async listOrgMembers(org: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<OrgMember>> {
    const what = `the members of ${org}`;
    const first = this.client.url(`/v2/orgs/${seg(org)}/members`, { page: 1, page_size: pageSize(opts) });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.orgMembersResponse, toOrgMember, what, 'required', opts.signal);
  }

  async listGroups(org: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<OrgGroup>> {
    const what = `the groups of ${org}`;
    const first = this.client.url(`/v2/orgs/${seg(org)}/groups`, { page: 1, page_size: pageSize(opts) });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.orgGroupPage, toOrgGroup, what, 'required', opts.signal);
  }

  async listGroupMembers(org: string, group: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<GroupMember>> {
    const what = `the members of group ${group} in ${org}`;
    const first = this.client.url(`/v2/orgs/${seg(org)}/groups/${seg(group)}/members`, { page: 1, page_size: pageSize(opts) });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.groupMemberPage, (m) => ({ username: m.username, fullName: m.full_name ?? undefined, email: m.email || undefined }), what, 'required', opts.signal);
  }

  async addGroupMember(org: string, group: string, username: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('POST', this.client.url(`/v2/orgs/${seg(org)}/groups/${seg(group)}/members`), { json: { member: username }, auth: 'required', signal, what: `group ${group} in ${org}` });
  }

  async removeGroupMember(org: string, group: string, username: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', this.client.url(`/v2/orgs/${seg(org)}/groups/${seg(group)}/members/${seg(username)}`), { auth: 'required', signal, what: `member ${username} of group ${group} in ${org}` });
  }

  async listOrgAccessTokens(org: string, cursor: Cursor | undefined, opts: PageOptions = {}): Promise<Page<OrgAccessToken>> {
    const what = `the access tokens of ${org}`;
    const first = this.client.url(`/v2/orgs/${seg(org)}/access-tokens`, { page: 1, page_size: pageSize(opts) });
    return this.client.getPage(this.client.pageUrl(cursor, first, what), s.orgAccessTokenPage, toOrgAccessToken, what, 'required', opts.signal);
  }

  async createOrgAccessToken(org: string, input: { label: string; resources: OrgAccessTokenResource[]; expiresAt?: string }, signal?: AbortSignal): Promise<CreatedOrgAccessToken> {
    const json: Record<string, unknown> = { label: input.label, resources: input.resources, expires_at: input.expiresAt ?? null };
    const body = await this.client.call('POST', this.client.url(`/v2/orgs/${seg(org)}/access-tokens`), { schema: s.orgAccessToken, json, auth: 'required', signal, what: `the new access token of ${org}` });
    if (!body.token) throw new BadResponseError('Docker Hub created the token but did not return its secret');
    return { ...toOrgAccessToken(body), secret: body.token };
  }

  async setOrgAccessTokenActive(org: string, id: string, active: boolean, signal?: AbortSignal): Promise<OrgAccessToken> {
    const body = await this.client.call('PATCH', this.client.url(`/v2/orgs/${seg(org)}/access-tokens/${seg(id)}`), { schema: s.orgAccessToken, json: { is_active: active }, auth: 'required', signal, what: `the access token of ${org}` });
    return toOrgAccessToken(body);
  }

  /** Revokes (deletes) an organization access token. */
  async revokeOrgAccessToken(org: string, id: string, signal?: AbortSignal): Promise<void> {
    await this.client.call('DELETE', this.client.url(`/v2/orgs/${seg(org)}/access-tokens/${seg(id)}`), { auth: 'required', signal, what: `the access token of ${org}` });
  }

  /**
   * One page of an account's audit log, newest first. Hub's response has no `next` link, so the cursor is the next
   * page number, offered while a page comes back full.
   */
  async listAuditLog(account: string, cursor: Cursor | undefined, opts: PageOptions & AuditLogQuery = {}): Promise<Page<AuditEvent>> {
    const size = pageSize(opts);
    const page = cursor === undefined ? 1 : Number(cursor);
    if (!Number.isInteger(page) || page < 1) throw new UnsupportedError(`Invalid audit log cursor ${cursor ?? ''}`);
    const url = this.client.url(`/v2/auditlogs/${seg(account)}`, { page, page_size: size, action: opts.action, name: opts.name, actor: opts.actor, from: opts.from, to: opts.to });
    const body = await this.client.get(url, s.auditLogsResponse, `the audit log of ${account}`, 'required', opts.signal);
    const result: Page<AuditEvent> = { items: body.logs.map(toAuditEvent) };
    if (body.logs.length >= size) result.next = String(page + 1);
    return result;
  }
}

