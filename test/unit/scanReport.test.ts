import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fromQuaySecurity } from '../../src/registry/quay/scanReport';
import { countBySeverity, normalizeSeverity, type Vulnerability } from '../../src/registry/scan';
import { scanReportSchema } from '../../src/webviews/protocol';
import { filterVulnerabilities, sortVulnerabilities, toCsv } from '../../src/webviews/scanFilter';

const example = path.resolve(__dirname, '../fixtures/specs/quay-manifest-security-example.json');

describe('scan report model', () => {
  it('maps a real Quay/Clair security report to ScanReport', function () {
    const r = fromQuaySecurity(JSON.parse(fs.readFileSync(example, 'utf8')), 'org/app', 'latest');
    assert.equal(r.status, 'completed');
    assert.equal(r.packages.length, 188);
    assert.equal(r.vulnerabilities.length, 89);
    assert.deepEqual(r.counts, { critical: 0, high: 1, medium: 19, low: 68, negligible: 0, unknown: 1 });
    const curl = r.vulnerabilities.find((v) => v.id === 'CVE-2023-46218')!;
    assert.equal(curl.packageName, 'curl');
    assert.equal(curl.installedVersion, '7.61.1-30.el8_8.3');
    assert.equal(curl.cvss, 6.5);
    assert.deepEqual(curl.links, ['https://access.redhat.com/security/cve/CVE-2023-46218']);
    assert.ok(scanReportSchema.safeParse(r).success, 'the model satisfies the webview protocol schema');
  });

  it('reports non-scanned states and malformed bodies clearly', () => {
    assert.equal(fromQuaySecurity({ status: 'queued', data: null }, 'a', 'b').status, 'queued');
    assert.throws(() => fromQuaySecurity({ status: 'scanned', data: { Layer: { Features: 'x' } } }, 'a', 'b'), /Unexpected security report: "data.Layer.Features"/);
  });

  const vulns: Vulnerability[] = [
    { id: 'CVE-1', severity: 'low', packageName: 'zlib', installedVersion: '1.0', fixedVersion: '1.1', links: [] },
    { id: 'CVE-2', severity: 'critical', packageName: 'openssl', installedVersion: '3.0', links: [], description: 'remote code execution' },
    { id: '=HYPERLINK("http://evil")', severity: 'high', packageName: 'pkg,with"quote', links: ['https://x'] },
  ];

  it('filters by search text, severity and fixability, and sorts by severity rank', () => {
    assert.equal(normalizeSeverity('Moderate'), 'medium');
    assert.deepEqual(countBySeverity(vulns), { critical: 1, high: 1, medium: 0, low: 1, negligible: 0, unknown: 0 });
    assert.deepEqual(filterVulnerabilities(vulns, { search: 'remote', severities: [], fixableOnly: false }).map((v) => v.id), ['CVE-2']);
    assert.deepEqual(filterVulnerabilities(vulns, { search: '', severities: [], fixableOnly: true }).map((v) => v.id), ['CVE-1']);
    assert.deepEqual(filterVulnerabilities(vulns, { search: '', severities: ['critical', 'low'], fixableOnly: false }).map((v) => v.id), ['CVE-1', 'CVE-2']);
    assert.deepEqual(sortVulnerabilities([...vulns], 'severity', false).map((v) => v.severity), ['critical', 'high', 'low']);
    assert.deepEqual(sortVulnerabilities([...vulns], 'packageName', true).map((v) => v.packageName), ['zlib', 'pkg,with"quote', 'openssl']);
  });

  it('exports CSV with quoting and without spreadsheet formula injection', () => {
    const csv = toCsv(vulns);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,severity,package,installed,fixed,cvss,layer,links,description');
    assert.equal(lines.length, 4);
    assert.ok(lines[3]!.startsWith(`"'=HYPERLINK(""http://evil"")",high,"pkg,with""quote"`), lines[3]);
  });
});
