import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { request } from 'undici';
import type { ZodType } from 'zod';
import { ALLOWLIST_MARK, activeAllowlist, scanStatusOf, toScanReport } from '../../src/registry/harbor/scanReport';
import * as s from '../../src/registry/harbor/schemas';
import { loadHarborSpec, mendHarborSpec } from '../servers/harborSpec';
import { type HarborServer, startHarborServer } from '../servers/harborServer';
import { HARBOR_ADMIN, seedHarbor } from '../servers/harborSeed';
import type { JsonSchema } from '../support/openapiValidator';
import { specInstance } from '../support/specInstances';

const DIGEST = 'sha256:' + 'a'.repeat(64);

/** Every string field named like a digest gets a real digest (the document types them as plain strings). */
function withDigests(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withDigests);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, /digest$/.test(k) && typeof x === 'string' ? DIGEST : withDigests(x)]));
}

describe('Harbor contract (the vendored documents against the zod schemas and the fake)', () => {
  const doc = mendHarborSpec(loadHarborSpec()) as unknown as { definitions: Record<string, JsonSchema> };
  const scanner = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/specs/scanner-adapter-openapi-v1.2.json'), 'utf8')) as object;

  const read: [string, ZodType][] = [
    ['Project', s.project],
    ['Repository', s.repository],
    ['Artifact', s.artifact],
    ['Accessory', s.accessory],
    ['OverallHealthStatus', s.health],
    ['GeneralInfo', s.systemInfo],
    ['CVEAllowlist', s.cveAllowlist],
  ];
  for (const [name, schema] of read) {
    it(`accepts a ${name} with every property the document declares`, () => {
      const instance = withDigests(specInstance({ $ref: `#/definitions/${name}` }, doc, 'all'));
      const r = schema.safeParse(instance);
      assert.ok(r.success, `${name}: ${JSON.stringify(r.error?.issues.slice(0, 3))}`);
    });
  }

  it('accepts the terse definitions, and requires only what a row cannot do without (name, digest)', () => {
    for (const [name, schema] of read) {
      const r = schema.safeParse(specInstance({ $ref: `#/definitions/${name}` }, doc, 'required'));
      if (name === 'Project' || name === 'Repository') assert.match(JSON.stringify(r.error?.issues), /name/, name);
      else if (name === 'Artifact') assert.match(JSON.stringify(r.error?.issues), /digest/, name);
      else assert.ok(r.success, name);
    }
  });

  it('accepts a HarborVulnerabilityReport with every property of the scanner document', () => {
    const instance = specInstance({ $ref: '#/components/schemas/HarborVulnerabilityReport' }, scanner, 'all');
    const r = s.vulnerabilityReport.safeParse(instance);
    assert.ok(r.success, JSON.stringify(r.error?.issues.slice(0, 3)));
  });

  it('maps scan statuses, applies an allowlist only until it expires, keeps only http(s) links and sane CVSS', () => {
    assert.deepEqual(['Success', 'Pending', 'Running', 'Error', 'Stopped', 'Not Scanned', undefined].map((x) => scanStatusOf(x)), ['completed', 'queued', 'scanning', 'failed', 'failed', 'notScanned', 'notScanned']);
    const list = { items: [{ cve_id: 'cve-2024-1' }] };
    assert.deepEqual([...activeAllowlist(list)], ['CVE-2024-1']);
    assert.equal(activeAllowlist({ ...list, expires_at: 1 }).size, 0, 'expired');
    assert.equal(activeAllowlist({ ...list, expires_at: Math.floor(Date.now() / 1000) + 3600 }).size, 1);
    const report = toScanReport(
      {
        vulnerabilities: [
          { id: 'CVE-2024-1', package: 'p', version: '1', severity: 'High', links: ['javascript:alert(1)', 'https://x.example/a', 'https://u:p@x.example/'], preferred_cvss: { score_v3: 99 } },
          { id: 'CVE-2024-2', severity: 'Critical', description: 'd', preferred_cvss: { score_v2: 5 } },
        ],
      },
      'team-a/app',
      'v1',
      { allowlist: activeAllowlist(list) },
    );
    const [a, b] = report.vulnerabilities;
    assert.deepEqual(a!.links, ['https://x.example/a']);
    assert.equal(a!.cvss, undefined);
    assert.equal(a!.allowlisted, true);
    assert.equal(a!.description, ALLOWLIST_MARK);
    assert.equal(b!.packageName, 'unknown package');
    assert.equal(b!.cvss, 5);
    assert.deepEqual([report.counts.critical, report.counts.high], [1, 1], 'allowlisted CVEs are still counted');
  });

  describe('the fake Harbor', () => {
    let h: HarborServer;
    const auth = { authorization: `Basic ${Buffer.from(`${HARBOR_ADMIN.username}:${HARBOR_ADMIN.password}`).toString('base64')}` };
    before(async () => {
      h = await startHarborServer();
      await seedHarbor(h);
    });
    after(() => h.close());

    it('routes a nested repository only when encoded twice, as Harbor does', async () => {
      const twice = await request(`${h.url}/api/v2.0/projects/team-a/repositories/tools%252Fcli/artifacts`, { headers: auth });
      assert.equal(twice.statusCode, 200);
      await twice.body.dump();
      const once = await request(`${h.url}/api/v2.0/projects/team-a/repositories/tools%2Fcli/artifacts`, { headers: auth });
      assert.equal(once.statusCode, 404);
      await once.body.dump();
    });

    it('refuses page_size above the document maximum (422) and answers Link and X-Total-Count', async () => {
      const big = await request(`${h.url}/api/v2.0/projects?page_size=101`, { headers: auth });
      assert.equal(big.statusCode, 422);
      await big.body.dump();
      const ok = await request(`${h.url}/api/v2.0/projects?page=1&page_size=1`, { headers: auth });
      assert.equal(ok.headers['x-total-count'], '3');
      assert.match(String(ok.headers.link), /<\/api\/v2\.0\/projects\?page=2&page_size=1>; rel="next"/);
      await ok.body.dump();
      h.violations.length = 0;
    });

    it('challenges /v2/ with Harbor\'s token realm on its own origin', async () => {
      const res = await request(`${h.url}/v2/`);
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers['www-authenticate'], `Bearer realm="${h.url}/service/token",service="harbor-registry"`);
      await res.body.dump();
    });
  });
});
