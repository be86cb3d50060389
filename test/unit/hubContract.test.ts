import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as z from 'zod';
import * as hub from '../../src/registry/dockerhub/schemas';
import { startHubServer, type HubServer, type HubShapes } from '../servers/hubServer';
import { formatIssues, OpenApiValidator, type OpenApiDocument } from '../support/openapiValidator';

/**
 * Contract test: drives every endpoint the fake Hub implements and validates each response body against the
 * response schema for that path, method and status in docker-hub-api.validated.json. Endpoints the published spec
 * lacks (hub-tool / web-UI endpoints) are validated against the client's zod schemas instead (listed in `extras`).
 */
const specPath = process.env.HUB_SPEC ?? path.resolve(__dirname, '../fixtures/specs/docker-hub-api.validated.json');
const pristine = JSON.parse(fs.readFileSync(specPath, 'utf8')) as OpenApiDocument;

/**
 * Where Hub and the published text disagree (see test/servers/hubServer.ts). `shapes: 'hub'` is checked against the
 * spec with these two schemas replaced; `shapes: 'literal'` against the spec as published.
 */
function withErrata(doc: OpenApiDocument): OpenApiDocument {
  const copy = JSON.parse(JSON.stringify(doc)) as OpenApiDocument & { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: unknown }> }> }>> };
  const tagSchema = copy.components!.schemas!.tag as { properties: Record<string, unknown> };
  tagSchema.properties.images = { type: 'array', items: { $ref: '#/components/schemas/image' } };
  copy.paths['/v2/orgs/{org_name}/members']!.get!.responses['200']!.content['application/json']!.schema = { $ref: '#/components/schemas/org_member_paginated' };
  return copy;
}

/** Endpoints outside the spec, with the zod schema of their success body (undefined: no body). */
const extras: Array<{ method: string; re: RegExp; template: string; schema?: z.ZodType }> = [
  { method: 'GET', re: /^\/v2\/user\/?$/, template: '/v2/user/', schema: hub.hubUser },
  { method: 'GET', re: /^\/v2\/user\/orgs\/?$/, template: '/v2/user/orgs/', schema: hub.userOrgsPage },
  { method: 'PATCH', re: /^\/v2\/repositories\/[^/]+\/[^/]+\/?$/, template: '/v2/repositories/{namespace}/{repository}/', schema: hub.repositoryInfo },
  { method: 'POST', re: /^\/v2\/repositories\/[^/]+\/[^/]+\/privacy\/?$/, template: '/v2/repositories/{namespace}/{repository}/privacy/', schema: hub.privacyResponse },
  { method: 'DELETE', re: /^\/v2\/repositories\/[^/]+\/[^/]+\/?$/, template: '/v2/repositories/{namespace}/{repository}/' },
  { method: 'DELETE', re: /^\/v2\/repositories\/[^/]+\/[^/]+\/tags\/[^/]+\/?$/, template: '/v2/repositories/{namespace}/{repository}/tags/{tag}/' },
];

/** Every endpoint the fake implements; the last test checks each one was exercised. */
const implemented = [
  'POST /v2/auth/token',
  'GET /v2/access-tokens',
  'POST /v2/access-tokens',
  'GET /v2/access-tokens/{uuid}',
  'PATCH /v2/access-tokens/{uuid}',
  'DELETE /v2/access-tokens/{uuid}',
  'GET /v2/auditlogs/{account}',
  'GET /v2/auditlogs/{account}/actions',
  'GET /v2/orgs/{name}/settings',
  'PUT /v2/orgs/{name}/settings',
  'GET /v2/orgs/{org_name}/members',
  'PUT /v2/orgs/{org_name}/members/{username}',
  'DELETE /v2/orgs/{org_name}/members/{username}',
  'GET /v2/orgs/{org_name}/groups',
  'POST /v2/orgs/{org_name}/groups',
  'GET /v2/orgs/{org_name}/groups/{group_name}',
  'PUT /v2/orgs/{org_name}/groups/{group_name}',
  'PATCH /v2/orgs/{org_name}/groups/{group_name}',
  'DELETE /v2/orgs/{org_name}/groups/{group_name}',
  'GET /v2/orgs/{org_name}/groups/{group_name}/members',
  'POST /v2/orgs/{org_name}/groups/{group_name}/members',
  'DELETE /v2/orgs/{org_name}/groups/{group_name}/members/{username}',
  'GET /v2/orgs/{name}/access-tokens',
  'POST /v2/orgs/{name}/access-tokens',
  'GET /v2/orgs/{org_name}/access-tokens/{access_token_id}',
  'PATCH /v2/orgs/{org_name}/access-tokens/{access_token_id}',
  'DELETE /v2/orgs/{org_name}/access-tokens/{access_token_id}',
  'GET /v2/namespaces/{namespace}/repositories',
  'POST /v2/namespaces/{namespace}/repositories',
  'GET /v2/namespaces/{namespace}/repositories/{repository}',
  'HEAD /v2/namespaces/{namespace}/repositories/{repository}',
  'PATCH /v2/namespaces/{namespace}/repositories/{repository}/immutabletags',
  'POST /v2/namespaces/{namespace}/repositories/{repository}/immutabletags/verify',
  'GET /v2/namespaces/{namespace}/repositories/{repository}/tags',
  'HEAD /v2/namespaces/{namespace}/repositories/{repository}/tags',
  'GET /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}',
  'HEAD /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}',
  'POST /v2/repositories/{namespace}/{repository}/groups',
  ...extras.map((e) => `${e.method} ${e.template}`),
];

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

class ContractClient {
  readonly covered = new Set<string>();
  token?: string;

  constructor(
    private readonly server: HubServer,
    private readonly validator: OpenApiValidator,
  ) {}

  /** `token`: omitted → the signed-in token; null → anonymous. */
  async call(method: string, urlPath: string, body?: unknown, token?: string | null): Promise<Answer> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const t = token === undefined ? this.token : token;
    if (t) headers.Authorization = `Bearer ${t}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(this.server.url + urlPath, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    this.check(method, urlPath, res.status, parsed);
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** Throws (an assertion error) when the body does not match the contract for this request. */
  check(method: string, urlPath: string, status: number, body: unknown): void {
    const template = this.validator.matchPath(urlPath);
    const specOp = template ? (pristine.paths[template] as Record<string, unknown> | undefined)?.[method.toLowerCase()] : undefined;
    if (template && specOp) {
      if (method === 'HEAD') {
        // HEAD has no body; the status must still be one the spec declares.
        this.validator.validateResponse(method, urlPath, status, undefined);
      } else {
        const r = this.validator.validateResponse(method, urlPath, status, body);
        assert.deepEqual(r.issues, [], `${method} ${urlPath} → ${status} drifts from ${r.template} (${r.responseKey}):\n${formatIssues(r.issues)}`);
      }
      this.covered.add(`${method} ${template}`);
      return;
    }
    const extra = extras.find((e) => e.method === method && e.re.test(urlPath.split('?')[0]!));
    assert.ok(extra, `${method} ${urlPath} is neither in the spec nor a known extra endpoint`);
    if (status < 300 && extra.schema) {
      const r = extra.schema.safeParse(body);
      assert.ok(r.success, `${method} ${urlPath} → ${status} does not match the zod schema: ${r.success ? '' : JSON.stringify(r.error.issues)}`);
    }
    if (status < 300 && !extra.schema) assert.equal(body, undefined, `${method} ${urlPath} should have no body`);
    this.covered.add(`${method} ${extra.template}`);
  }
}

async function seeded(shapes: HubShapes): Promise<HubServer> {
  const server = await startHubServer({ shapes });
  server.addUser('owner', 'owner-pass');
  server.addUser('dev', 'dev-pass');
  server.addUser('outsider', 'outsider-pass');
  server.addOrg('acme', { owner: 'owner', dev: 'member' });
  server.addGroup('acme', 'developers', ['dev']);
  server.addRepository('acme', 'api', { description: 'API', starCount: 2, pullCount: 10 });
  server.addTags('acme', 'api', 23, { platforms: ['linux/amd64', 'linux/arm64/v8'] });
  server.addTag('acme', 'api', { name: 'latest', platforms: ['linux/amd64'], lastPulled: new Date().toISOString() });
  server.addRepository('acme', 'private', { isPrivate: true });
  server.addRepository('owner', 'mine', { description: 'personal' });
  server.addAuditEvents('acme', 7);
  return server;
}

for (const shapes of ['literal', 'hub'] as const) {
  describe(`Hub fake server contract (${shapes} shapes)`, () => {
    let server: HubServer;
    let c: ContractClient;
    const validator = new OpenApiValidator(shapes === 'literal' ? pristine : withErrata(pristine));

    before(async () => {
      server = await seeded(shapes);
      c = new ContractClient(server, validator);
    });
    after(async () => server.close());

    it('auth: token for a password and a PAT; 401 for a wrong secret', async () => {
      const bad = await c.call('POST', '/v2/auth/token', { identifier: 'owner', secret: 'nope' });
      assert.equal(bad.status, 401);
      const ok = await c.call('POST', '/v2/auth/token', { identifier: 'owner', secret: 'owner-pass' });
      assert.equal(ok.status, 200);
      c.token = (ok.body as { access_token: string }).access_token;
      const pat = server.createPat('dev', { scopes: ['repo:read'] });
      const viaPat = await c.call('POST', '/v2/auth/token', { identifier: 'dev', secret: pat }, null);
      assert.equal(viaPat.status, 200);
    });

    it('account endpoints outside the spec: /v2/user/ and /v2/user/orgs/', async () => {
      assert.equal((await c.call('GET', '/v2/user/')).status, 200);
      assert.equal((await c.call('GET', '/v2/user/orgs/?page_size=100')).status, 200);
      assert.equal((await c.call('GET', '/v2/user/', undefined, null)).status, 401);
    });

    it('repositories: list with paging, filter and ordering; 400 for a bad ordering; 404 past the end', async () => {
      const first = await c.call('GET', '/v2/namespaces/acme/repositories?page_size=1&ordering=-last_updated');
      assert.equal(first.status, 200);
      const next = (first.body as { next: string }).next;
      assert.ok(next.startsWith(server.url));
      assert.equal((await c.call('GET', next.slice(server.url.length))).status, 200);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories?name=ap')).status, 200);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories?ordering=stars')).status, 400);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories?page=9&page_size=100')).status, 404);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories', undefined, null)).status, 200, 'anonymous');
    });

    it('repositories: create, get, head, 403 for an outsider, 404 for a hidden private one', async () => {
      assert.equal((await c.call('POST', '/v2/namespaces/acme/repositories', { name: 'new-repo', namespace: 'acme', description: 'd', full_description: 'f', is_private: true })).status, 201);
      assert.equal((await c.call('POST', '/v2/namespaces/acme/repositories', { name: 'new-repo', namespace: 'acme' })).status, 400);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories/new-repo')).status, 200);
      assert.equal((await c.call('HEAD', '/v2/namespaces/acme/repositories/new-repo')).status, 200);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories/private', undefined, null)).status, 404);
      const outsider = await c.call('POST', '/v2/auth/token', { identifier: 'outsider', secret: 'outsider-pass' }, null);
      const t = (outsider.body as { access_token: string }).access_token;
      assert.equal((await c.call('POST', '/v2/namespaces/acme/repositories', { name: 'x1', namespace: 'acme' }, t)).status, 403);
    });

    it('repositories: update description and visibility, delete (endpoints outside the spec)', async () => {
      assert.equal((await c.call('PATCH', '/v2/repositories/acme/new-repo/', { description: 'short', full_description: '# long' })).status, 200);
      assert.equal((await c.call('POST', '/v2/repositories/acme/new-repo/privacy/', { is_private: false })).status, 200);
      assert.equal((await c.call('DELETE', '/v2/repositories/acme/new-repo/')).status, 202);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories/new-repo')).status, 404);
    });

    it('tags: list pages, one tag, head, delete (outside the spec)', async () => {
      const list = await c.call('GET', '/v2/namespaces/acme/repositories/api/tags?page_size=10');
      assert.equal(list.status, 200);
      assert.equal((list.body as { count: number }).count, 24);
      const p3 = await c.call('GET', '/v2/namespaces/acme/repositories/api/tags?page=3&page_size=10');
      assert.equal((p3.body as { next: unknown }).next, null);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories/api/tags?page=4&page_size=10')).status, 404);
      assert.equal((await c.call('HEAD', '/v2/namespaces/acme/repositories/api/tags')).status, 200);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories/api/tags/latest')).status, 200);
      assert.equal((await c.call('HEAD', '/v2/namespaces/acme/repositories/api/tags/latest')).status, 200);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories/api/tags/nope')).status, 404);
      assert.equal((await c.call('DELETE', '/v2/repositories/acme/api/tags/v0/')).status, 204);
      assert.equal((await c.call('GET', '/v2/namespaces/acme/repositories/nope/tags')).status, 404);
    });

    it('immutable tags: patch rules, verify a regex, 400 for an invalid one', async () => {
      assert.equal((await c.call('PATCH', '/v2/namespaces/acme/repositories/api/immutabletags', { immutable_tags: true, immutable_tags_rules: ['v1.*', 'latest'] })).status, 200);
      const v = await c.call('POST', '/v2/namespaces/acme/repositories/api/immutabletags/verify', { regex: 'v2.*' });
      assert.deepEqual([...(v.body as { tags: string[] }).tags].sort(), ['v2', 'v20', 'v21', 'v22']);
      assert.equal((await c.call('POST', '/v2/namespaces/acme/repositories/api/immutabletags/verify', { regex: '(' })).status, 400);
    });

    it('repository groups', async () => {
      const groups = await c.call('GET', '/v2/orgs/acme/groups');
      const id = (groups.body as { results: Array<{ id: number }> }).results[0]!.id;
      assert.equal((await c.call('POST', '/v2/repositories/acme/api/groups', { group_id: id, permission: 'write' })).status, 200);
    });

    it('personal access tokens: create (secret once), list, get, patch, delete', async () => {
      const created = await c.call('POST', '/v2/access-tokens', { token_label: 'ci', scopes: ['repo:read'], expires_at: '2099-01-01T00:00:00Z' });
      assert.equal(created.status, 201);
      const uuid = (created.body as { uuid: string }).uuid;
      assert.match((created.body as { token: string }).token, /^dckr_pat_/);
      assert.equal((await c.call('POST', '/v2/access-tokens', { token_label: '', scopes: [] })).status, 400);
      const list = await c.call('GET', '/v2/access-tokens?page=1&page_size=10');
      assert.equal((list.body as { results: Array<{ token: string }> }).results[0]!.token, '');
      assert.equal((await c.call('GET', `/v2/access-tokens/${uuid}`)).status, 200);
      assert.equal((await c.call('PATCH', `/v2/access-tokens/${uuid}`, { is_active: false })).status, 200);
      assert.equal((await c.call('DELETE', `/v2/access-tokens/${uuid}`)).status, 204);
      assert.equal((await c.call('GET', `/v2/access-tokens/${uuid}`)).status, 404);
      assert.equal((await c.call('GET', '/v2/access-tokens', undefined, null)).status, 401);
    });

    it('org settings', async () => {
      assert.equal((await c.call('GET', '/v2/orgs/acme/settings')).status, 200);
      assert.equal((await c.call('PUT', '/v2/orgs/acme/settings', { restricted_images: { enabled: true, allow_official_images: true, allow_verified_publishers: false } })).status, 200);
      assert.equal((await c.call('GET', '/v2/orgs/nope/settings')).status, 404);
    });

    it('org members: list, change role, remove', async () => {
      const m = await c.call('GET', '/v2/orgs/acme/members?page_size=1');
      assert.equal(m.status, 200);
      server.addUser('temp', 'temp-pass');
      server.addOrg('acme', { temp: 'member' });
      assert.equal((await c.call('PUT', '/v2/orgs/acme/members/temp', { role: 'editor' })).status, 200);
      assert.equal((await c.call('DELETE', '/v2/orgs/acme/members/temp')).status, 204);
      assert.equal((await c.call('DELETE', '/v2/orgs/acme/members/temp')).status, 404);
    });

    it('groups: create, get, put, patch, members add/list/remove, delete', async () => {
      assert.equal((await c.call('POST', '/v2/orgs/acme/groups', { name: 'ops', description: 'Ops' })).status, 201);
      assert.equal((await c.call('GET', '/v2/orgs/acme/groups/ops')).status, 200);
      assert.equal((await c.call('PUT', '/v2/orgs/acme/groups/ops', { name: 'ops', description: 'Operations' })).status, 200);
      assert.equal((await c.call('PATCH', '/v2/orgs/acme/groups/ops', { description: 'Ops team' })).status, 200);
      assert.equal((await c.call('POST', '/v2/orgs/acme/groups/ops/members', { member: 'dev' })).status, 200);
      const members = await c.call('GET', '/v2/orgs/acme/groups/ops/members');
      assert.deepEqual((members.body as { results: Array<{ username: string }> }).results.map((r) => r.username), ['dev']);
      assert.equal((await c.call('DELETE', '/v2/orgs/acme/groups/ops/members/dev')).status, 204);
      assert.equal((await c.call('DELETE', '/v2/orgs/acme/groups/ops')).status, 204);
      assert.equal((await c.call('GET', '/v2/orgs/acme/groups/ops')).status, 404);
    });

    it('organization access tokens: create (secret once), list, get, patch, delete', async () => {
      const created = await c.call('POST', '/v2/orgs/acme/access-tokens', { label: 'ci', resources: [{ type: 'TYPE_REPO', path: 'acme/api', scopes: ['scope-image-pull'] }], expires_at: null });
      assert.equal(created.status, 201);
      const id = (created.body as { id: string }).id;
      assert.equal((await c.call('GET', '/v2/orgs/acme/access-tokens?page_size=5')).status, 200);
      assert.equal((await c.call('GET', `/v2/orgs/acme/access-tokens/${id}`)).status, 200);
      assert.equal((await c.call('PATCH', `/v2/orgs/acme/access-tokens/${id}`, { is_active: false })).status, 200);
      assert.equal((await c.call('DELETE', `/v2/orgs/acme/access-tokens/${id}`)).status, 204);
      assert.equal((await c.call('GET', `/v2/orgs/acme/access-tokens/${id}`)).status, 404);
    });

    it('audit logs: pages and actions; 429 with Retry-After is a declared response', async () => {
      const p1 = await c.call('GET', '/v2/auditlogs/acme?page=1&page_size=5');
      assert.equal((p1.body as { logs: unknown[] }).logs.length, 5);
      assert.equal((await c.call('GET', '/v2/auditlogs/acme/actions')).status, 200);
      server.rateLimitNext(1, 1, '/v2/auditlogs');
      const limited = await c.call('GET', '/v2/auditlogs/acme');
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '1');
    });

    it('every response carries the rate-limit headers', async () => {
      const r = await c.call('GET', '/v2/namespaces/acme/repositories');
      for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) assert.match(r.headers.get(h) ?? '', /^\d+$/, h);
    });

    it('exercised every endpoint the fake implements', () => {
      const missing = implemented.filter((e) => !c.covered.has(e));
      assert.deepEqual(missing, []);
    });
  });
}

describe('Hub contract checks catch drift', () => {
  let server: HubServer;
  before(async () => {
    server = await seeded('hub');
  });
  after(async () => server.close());

  it('the validator rejects a wrong type and names the field', async () => {
    const validator = new OpenApiValidator(withErrata(pristine));
    const res = await fetch(`${server.url}/v2/namespaces/acme/repositories/api/tags?page_size=2`);
    const body = (await res.json()) as { results: Array<Record<string, unknown>> };
    assert.deepEqual(validator.validateResponse('GET', '/v2/namespaces/acme/repositories/api/tags', 200, body).issues, []);
    body.results[1]!.full_size = '12 MB';
    const issues = validator.validateResponse('GET', '/v2/namespaces/acme/repositories/api/tags', 200, body).issues;
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.at, '$.results[1].full_size');
    assert.match(issues[0]!.message, /expected integer/);
  });

  it('a fake that sends a wrong type fails the contract check', async () => {
    const c = new ContractClient(server, new OpenApiValidator(withErrata(pristine)));
    server.setFault({ kind: 'wrongType', path: '/v2/namespaces/acme/repositories', field: 'results.0.is_private', value: 'no', times: 1 });
    await assert.rejects(c.call('GET', '/v2/namespaces/acme/repositories'), /results\[0\]\.is_private: expected boolean/);
    server.setFault(undefined);
  });

  it('the errata are still needed: the published text rejects what Hub sends for exactly these two shapes', async () => {
    const literal = new OpenApiValidator(pristine);
    const owner = (await (await fetch(`${server.url}/v2/auth/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ identifier: 'owner', secret: 'owner-pass' }) })).json()) as { access_token: string };
    const auth = { Authorization: `Bearer ${owner.access_token}` };
    const tags = await (await fetch(`${server.url}/v2/namespaces/acme/repositories/api/tags?page_size=1`)).json();
    assert.match(formatIssues(literal.validateResponse('GET', '/v2/namespaces/acme/repositories/api/tags', 200, tags).issues), /images: expected object, got array/);
    const members = await (await fetch(`${server.url}/v2/orgs/acme/members`, { headers: auth })).json();
    assert.match(formatIssues(literal.validateResponse('GET', '/v2/orgs/acme/members', 200, members).issues), /^\$: expected array/);
  });

  it('the validator understands the subset: nullable, enum with null, allOf, oneOf, anyOf, $ref, required', () => {
    const v = new OpenApiValidator({
      openapi: '3.0.3',
      paths: {},
      components: {
        schemas: {
          base: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
          thing: {
            allOf: [{ $ref: '#/components/schemas/base' }, { type: 'object', properties: { kind: { type: 'string', enum: ['a', 'b', null], nullable: true } } }],
          },
          either: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
          any: { anyOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string' } }] },
        },
      },
    });
    assert.deepEqual(v.validate(v.schema('thing'), { id: 1, kind: null }), []);
    assert.deepEqual(v.validate(v.schema('thing'), { id: 1, kind: 'a' }), []);
    assert.equal(v.validate(v.schema('thing'), { kind: 'c' }).length, 2, 'missing id and bad enum');
    assert.equal(v.validate(v.schema('thing'), { id: 1.5 })[0]!.message, 'expected integer, got number');
    assert.deepEqual(v.validate(v.schema('either'), 3), []);
    assert.equal(v.validate(v.schema('either'), true).length, 1);
    assert.deepEqual(v.validate(v.schema('any'), ['x']), []);
    assert.equal(v.validate(v.schema('any'), [1]).length, 1);
    assert.equal(v.validate({ type: 'string' }, null)[0]!.message, 'null is not allowed (schema is not nullable)');
    assert.throws(() => v.validate({ type: 'string', const: 'x' } as never, 'x'), /Unsupported schema keyword "const"/);
  });
});
