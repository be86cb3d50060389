/**
 * Contract of the fake Quay (test/servers/quayServer.ts) and of the provider's zod schemas against the vendored
 * sources: response shapes read from Quay's source (quay-models-found.json), the two response schemas of Quay's
 * discovery document (quay-api.json: UserView, ApiError), and its request schemas (the fake refuses what they refuse).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ZodType } from 'zod';
import * as s from '../../src/registry/quay/schemas';
import { quaySecuritySchema } from '../../src/registry/quay/scanReport';
import { startQuayServer, type QuayServer } from '../servers/quayServer';
import { OpenApiValidator, formatIssues, type OpenApiDocument } from '../support/openapiValidator';

const SPECS = path.join(__dirname, '..', 'fixtures', 'specs');
const models = JSON.parse(fs.readFileSync(path.join(SPECS, 'quay-models-found.json'), 'utf8')) as { endpoints: Record<string, Record<string, unknown>> };
const api = JSON.parse(fs.readFileSync(path.join(SPECS, 'quay-api.json'), 'utf8')) as OpenApiDocument;
const validator = new OpenApiValidator(api);

function endpoint(prefix: string): Record<string, unknown> {
  const key = Object.keys(models.endpoints).find((k) => k.startsWith(prefix));
  assert.ok(key, `quay-models-found.json has no ${prefix}`);
  return models.endpoints[key];
}

type Shape = { keys: Map<string, unknown[]>; required: Set<string> };

/** Merges the example elements of an array: keys of any element are allowed; keys of all elements are required. */
function shapeOf(examples: unknown[]): Shape {
  const keys = new Map<string, unknown[]>();
  let required: Set<string> | undefined;
  for (const e of examples) {
    const o = e as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) keys.set(k, [...(keys.get(k) ?? []), v]);
    const own = new Set(Object.keys(o));
    required = required ? new Set([...required].filter((k) => own.has(k))) : own;
  }
  return { keys, required: required ?? new Set() };
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Checks `actual` against example values: the same JSON types (an example `null` allows any), no keys the examples
 * lack, every key the examples always have unless listed in `optional`. `open` paths are maps keyed by names.
 */
function conforms(examples: unknown[], actual: unknown, at: string, optional: Set<string>, open: Set<string>, issues: string[]): void {
  if (optional.has(`${at.replace(/\[\d+\]/g, '[]')}!`)) return;
  const known = examples.filter((e) => e !== null);
  if (!known.length) return;
  const kinds = new Set(known.map(kind));
  const k = kind(actual);
  if (k === 'null') {
    if (!optional.has(at.replace(/\[\d+\]/g, '[]'))) issues.push(`${at}: null where the source sends ${[...kinds].join('|')}`);
    return;
  }
  if (!kinds.has(k)) {
    issues.push(`${at}: ${k} where the source sends ${[...kinds].join('|')}`);
    return;
  }
  const generic = at.replace(/\[\d+\]/g, '[]');
  if (k === 'array') {
    const elems = known.flatMap((e) => e as unknown[]);
    (actual as unknown[]).forEach((v, i) => conforms(elems, v, `${at}[${i}]`, optional, open, issues));
  } else if (k === 'object') {
    if (open.has(generic)) {
      const values = known.flatMap((e) => Object.values(e as object) as unknown[]);
      for (const v of Object.values(actual as object) as unknown[]) conforms(values, v, `${at}.*`, optional, open, issues);
      return;
    }
    const shape = shapeOf(known);
    for (const [key, v] of Object.entries(actual as object)) {
      const ex = shape.keys.get(key);
      if (!ex) issues.push(`${at}.${key}: not in the source's shape`);
      else conforms(ex, v, `${at}.${key}`, optional, open, issues);
    }
    for (const key of shape.required) if (!(key in (actual as object)) && !optional.has(`${generic}.${key}`)) issues.push(`${at}.${key}: missing`);
  }
}

function check(example: unknown, actual: unknown, optional: string[] = [], open: string[] = []): void {
  const issues: string[] = [];
  conforms([example], actual, '$', new Set(optional), new Set(open), issues);
  assert.deepEqual(issues, []);
}

/**
 * The examples' values are illustrative: digests are written `sha256:...` or `sha256:aaaa...`. The schemas accept only
 * real digests, so each placeholder becomes one (keys and nesting, which the examples are for, stay as they are).
 */
function concrete(value: unknown): unknown {
  const placeholder = typeof value === 'string' ? /^sha256:([0-9a-f]?)[0-9a-f]*\.\.\.$/.exec(value) : null;
  if (placeholder) return `sha256:${(placeholder[1] || '0').repeat(64)}`;
  if (Array.isArray(value)) return value.map(concrete);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, concrete(v)]));
  return value;
}

function parses(schema: ZodType, value: unknown, what: string): void {
  const r = schema.safeParse(concrete(value));
  assert.ok(r.success, `${what}: ${r.success ? '' : r.error.message}`);
}

describe('Quay contract', () => {
  let quay: QuayServer;
  const get = async (p: string, token: string | null = quay.token) => {
    const res = await fetch(quay.url + p, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as unknown };
  };
  const send = async (method: string, p: string, body: unknown) => {
    const res = await fetch(quay.url + p, { method, headers: { authorization: `Bearer ${quay.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.text()) || undefined };
  };

  before(async () => {
    quay = await startQuayServer();
  });
  after(async () => {
    await quay.close();
  });

  describe('the provider schemas accept the shapes from Quay’s source', () => {
    const cases: [string, string, ZodType][] = [
      ['GET /api/v1/user/', 'example', s.user],
      ['GET /api/v1/repository?', 'example', s.repositoryList],
      ['GET /api/v1/repository/{namespace}/{repo}', 'example', s.repositoryInfo],
      ['GET /api/v1/repository/{namespace}/{repo}/tag/', 'example', s.tagList],
      ['GET /api/v1/repository/{namespace}/{repo}/manifest/{manifestref}/security', 'example', quaySecuritySchema],
      ['GET|PUT|POST /api/v1/repository/{namespace}/{repo}/mirror', 'example', s.mirror],
      ['GET|POST /api/v1/repository/{namespace}/{repo}/notification/', 'example', s.notificationList],
      ['GET /api/v1/repository/{namespace}/{repo}/permissions/', 'example_users', s.permissionMap],
      ['GET /api/v1/repository/{namespace}/{repo}/permissions/', 'example_teams', s.permissionMap],
      ['GET /api/v1/organization/{orgname}/quota', 'example', s.quotaList],
      ['GET /api/v1/organization/{orgname}/robots', 'example', s.robotList],
      ['GET|POST /api/v1/organization/{orgname}/autoprunepolicy/', 'example', s.autoPrunePolicies],
      ['GET|POST /api/v1/organization/{orgname}/immutabilitypolicy/', 'example', s.immutabilityPolicies],
      ['GET /health/instance', 'example', s.health],
      ['error body', 'example', s.apiError],
    ];
    for (const [prefix, key, schema] of cases) {
      it(`${prefix} (${key})`, () => parses(schema, endpoint(prefix)[key], prefix));
    }
    it('the real Clair report', () => parses(quaySecuritySchema, JSON.parse(fs.readFileSync(path.join(SPECS, 'quay-manifest-security-example.json'), 'utf8')), 'security'));
  });

  describe('the fake answers with the shapes from Quay’s source', () => {
    it('GET /api/v1/user/ (and quay-api.json UserView)', async () => {
      const { body } = await get('/api/v1/user/');
      const v = validator.validateResponse('GET', '/api/v1/user/', 200, body, '*/*');
      assert.ok(v.hasSchema);
      assert.equal(formatIssues(v.issues), formatIssues([]));
      const example = endpoint('GET /api/v1/user/').example as { organizations: unknown[] };
      check(example.organizations, (body as { organizations: unknown }).organizations);
      assert.equal((body as { username: string }).username, 'alice');
    });

    it('GET /api/v1/repository (next_page, last_modified, popularity)', async () => {
      const { body } = await get('/api/v1/repository?namespace=acme&last_modified=true&popularity=true');
      check(endpoint('GET /api/v1/repository?').example, body, ['$.repositories[].quota_report', '$.next_page']);
    });

    it('GET /api/v1/repository/{repository}', async () => {
      const { body } = await get('/api/v1/repository/acme/app');
      check(endpoint('GET /api/v1/repository/{namespace}/{repo}').example, body, ['$.tags.*.size'], ['$.tags']);
    });

    it('GET …/tag/ with history, lists and expirations', async () => {
      const { body } = await get('/api/v1/repository/acme/app/tag/?onlyActiveTags=false&limit=100');
      const optional = ['end_ts', 'expiration', 'immutable', 'is_sparse', 'child_manifest_count', 'present_child_count', 'child_manifests_presence', 'size'].map((k) => `$.tags[].${k}`);
      check(endpoint('GET /api/v1/repository/{namespace}/{repo}/tag/').example, body, optional, ['$.tags[].child_manifests_presence']);
    });

    it('GET …/manifest/{digest}/security', async () => {
      const tags = (await get('/api/v1/repository/acme/app/tag/?specificTag=latest')).body as { tags: { manifest_digest: string; child_manifests_presence: Record<string, boolean> }[] };
      const child = Object.keys(tags.tags[0].child_manifests_presence)[0];
      const { body } = await get(`/api/v1/repository/acme/app/manifest/${child}/security?vulnerabilities=true`);
      // Metadata is the scanner's own (the real report sends CVSS scores as numbers and as strings): not checked ("!").
      const optional = ['$.data.Layer.Features[].Vulnerabilities[].Metadata!', '$.data.Layer.Features[].BaseScores', '$.data.Layer.Features[].CVEIds'];
      check(endpoint('GET /api/v1/repository/{namespace}/{repo}/manifest/{manifestref}/security').example, body, optional);
    });

    it('GET …/mirror', async () => {
      const { body } = await get('/api/v1/repository/acme/alpine/mirror');
      check(endpoint('GET|PUT|POST /api/v1/repository/{namespace}/{repo}/mirror').example, body, ['$.external_registry_config.proxy.http_proxy', '$.external_registry_config.proxy.https_proxy', '$.external_registry_config.proxy.no_proxy']);
    });

    it('GET …/notification/', async () => {
      const { body } = await get('/api/v1/repository/acme/app/notification/');
      check(endpoint('GET|POST /api/v1/repository/{namespace}/{repo}/notification/').example, body, [], ['$.notifications[].config', '$.notifications[].event_config']);
    });

    it('GET …/permissions/user/ and …/permissions/team/ are objects keyed by name', async () => {
      const e = endpoint('GET /api/v1/repository/{namespace}/{repo}/permissions/');
      const users = (await get('/api/v1/repository/acme/app/permissions/user/')).body;
      check(e.example_users, users, ['$.permissions.*.avatar'], ['$.permissions', '$.permissions.*.avatar']);
      const teams = (await get('/api/v1/repository/acme/app/permissions/team/')).body;
      check(e.example_teams, teams, ['$.permissions.*.avatar'], ['$.permissions', '$.permissions.*.avatar']);
      assert.ok(!Array.isArray((users as { permissions: unknown }).permissions));
    });

    it('GET /api/v1/organization/{org}/quota', async () => {
      check(endpoint('GET /api/v1/organization/{orgname}/quota').example, (await get('/api/v1/organization/acme/quota')).body);
    });

    it('GET /api/v1/organization/{org}/robots (token=false leaves tokens out)', async () => {
      const e = endpoint('GET /api/v1/organization/{orgname}/robots').example;
      const { body } = await get('/api/v1/organization/acme/robots?permissions=true&token=false');
      check(e, body, [], ['$.robots[].teams[].avatar']);
      assert.ok((body as { robots: Record<string, unknown>[] }).robots.every((r) => !('token' in r)));
      const withTokens = (await get('/api/v1/organization/acme/robots')).body as { robots: Record<string, unknown>[] };
      assert.ok(withTokens.robots.every((r) => typeof r.token === 'string'), 'Quay includes tokens unless token=false');
    });

    it('GET auto-prune and immutability policies', async () => {
      // The notes: value is a tag count for number_of_tags and a duration string for creation_date.
      const example = endpoint('GET|POST /api/v1/organization/{orgname}/autoprunepolicy/').example as { policies: Record<string, unknown>[] };
      const both = { policies: [...example.policies, { ...example.policies[0], method: 'creation_date', value: '7d' }] };
      check(both, (await get('/api/v1/organization/acme/autoprunepolicy/')).body);
      check(both, (await get('/api/v1/repository/acme/app/autoprunepolicy/')).body);
      check(endpoint('GET|POST /api/v1/organization/{orgname}/immutabilitypolicy/').example, (await get('/api/v1/repository/acme/app/immutabilitypolicy/')).body);
    });

    it('GET /health/instance and /health/endtoend', async () => {
      const e = endpoint('GET /health/instance').example;
      check(e, (await get('/health/instance', null)).body, [], ['$.data.services']);
      check(e, (await get('/health/endtoend', null)).body, [], ['$.data.services']);
    });

    it('error bodies (and quay-api.json ApiError)', async () => {
      const { status, body } = await get('/api/v1/repository/acme/nope');
      assert.equal(status, 404);
      check(endpoint('error body').example, body);
      assert.deepEqual(validator.validate(validator.schema('ApiError'), body), []);
      const scope = await get('/api/v1/user/apptoken', quay.issueToken('alice', ['repo:read']));
      assert.equal(scope.status, 403);
      assert.equal((scope.body as { title: string }).title, 'insufficient_scope');
      assert.deepEqual(validator.validateResponse('GET', '/api/v1/user/apptoken', 403, scope.body, '*/*').issues, []);
    });
  });

  describe('the fake refuses request bodies the schemas refuse', () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/api/v1/repository', { repository: 'x', description: '' }],
      ['POST', '/api/v1/repository/acme/app/changevisibility', { visibility: 'secret' }],
      ['PUT', '/api/v1/repository/acme/app', {}],
      ['PUT', '/api/v1/repository/acme/app/permissions/user/bob', { role: 'owner' }],
      ['PUT', '/api/v1/organization/acme/team/qa', { description: 'no role' }],
      ['POST', '/api/v1/repository/acme/app/notification/', { event: 'repo_push', method: 'webhook', config: {} }],
      ['POST', '/api/v1/user/apptoken', {}],
      ['POST', '/api/v1/repository/acme/app/manifest/sha256:00/labels', { key: 'k' }],
      ['PUT', '/api/v1/repository/acme/app/tag/x', { manifest_digest: 'sha256:abc', unknown: 1 }],
      ['PUT', '/api/v1/repository/acme/app/changestate', { state: 'ORG_MIRROR' }],
      ['PUT', '/api/v1/repository/acme/alpine/mirror', { sync_start_date: '2026-01-01' }],
      ['POST', '/api/v1/repository/acme/app/autoprunepolicy/', { method: 'number_of_tags', value: '7d' }],
      ['POST', '/api/v1/repository/acme/app/immutabilitypolicy/', { tagPatternMatches: true }],
    ];
    for (const [method, p, body] of cases) {
      it(`${method} ${p} ${JSON.stringify(body)}`, async () => {
        const before = quay.requestIssues.length;
        const res = await send(method, p, body);
        assert.equal(res.status, 400, res.body);
        assert.equal(quay.requestIssues.length, before + 1);
      });
    }
  });
});
