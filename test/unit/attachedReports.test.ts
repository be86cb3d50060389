import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COSIGN_VULN_PREDICATE, parseAttachedReport } from '../../src/registry/reports';
import { scanReportSchema } from '../../src/webviews/protocol';

const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../fixtures/reports', name), 'utf8');
const target = { repository: 'library/alpine', reference: '3.10', digest: 'sha256:d9459083f962de6bd980ae6a05be2a4cf670df6a1d898157bceb420342bec280' };

describe('attached vulnerability reports (published examples)', () => {
  it('reads Trivy JSON: every finding with package, versions, CVSS, layer and links', () => {
    const { report, format, label } = parseAttachedReport(fixture('trivy-alpine-310.json'), target);
    assert.equal(format, 'trivy');
    assert.equal(label, 'Trivy JSON report (Trivy dev)');
    assert.equal(report.scannedAt, '2021-08-25T12:20:30.000Z');
    assert.equal(report.vulnerabilities.length, 4);
    assert.deepEqual(report.counts, { critical: 0, high: 0, medium: 4, low: 0, negligible: 0, unknown: 0 });
    assert.deepEqual(report.packages.map((p) => `${p.name}@${p.version}`), ['libcrypto1.1@1.1.1c-r0', 'libssl1.1@1.1.1c-r0']);
    const v = report.vulnerabilities.find((x) => x.id === 'CVE-2019-1551' && x.packageName === 'libssl1.1')!;
    assert.equal(v.fixedVersion, '1.1.1d-r2');
    assert.equal(v.cvss, 5.3);
    assert.ok(v.links.includes('https://avd.aquasec.com/nvd/cve-2019-1551'));
    assert.ok(scanReportSchema.safeParse(report).success);
  });

  it('reads Trivy SARIF: the same findings, package and versions from the result message', () => {
    const { report, format } = parseAttachedReport(fixture('trivy-alpine-310.sarif.json'), target);
    assert.equal(format, 'sarif');
    assert.equal(report.scanner, 'Trivy dev');
    assert.deepEqual(
      report.vulnerabilities.map((v) => `${v.id} ${v.packageName} ${v.installedVersion} → ${v.fixedVersion} ${v.severity} ${v.cvss}`),
      [
        'CVE-2019-1549 libcrypto1.1 1.1.1c-r0 → 1.1.1d-r0 medium 5.3',
        'CVE-2019-1551 libcrypto1.1 1.1.1c-r0 → 1.1.1d-r2 medium 5.3',
        'CVE-2019-1549 libssl1.1 1.1.1c-r0 → 1.1.1d-r0 medium 5.3',
        'CVE-2019-1551 libssl1.1 1.1.1c-r0 → 1.1.1d-r2 medium 5.3',
      ],
    );
    assert.ok(scanReportSchema.safeParse(report).success);
  });

  it('reads the cosign vulnerability attestation: scanner and time from the predicate, findings from its Trivy result', () => {
    const { report, format, label } = parseAttachedReport(fixture('cosign-vuln-attestation.json'), target);
    assert.equal(format, 'cosign-vuln');
    assert.equal(label, 'cosign vulnerability attestation (trivy 0.19.2)');
    assert.equal(report.scannedAt, '2021-08-06T17:50:50.520Z');
    assert.deepEqual(report.vulnerabilities.map((v) => `${v.id} ${v.packageName} ${v.severity}`), ['CVE-2021-28831 busybox high', 'CVE-2021-28831 ssl_client high']);
    assert.equal(report.message, undefined, 'the subject names the image');
    const other = parseAttachedReport(fixture('cosign-vuln-attestation.json'), { ...target, digest: 'sha256:' + '0'.repeat(64) });
    assert.match(other.report.message ?? '', /subject names another digest/);
  });

  it('reads the attestation inside a DSSE envelope', () => {
    const statement = fixture('cosign-vuln-attestation.json');
    const envelope = JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: Buffer.from(statement).toString('base64'), signatures: [{ keyid: '', sig: 'AA==' }] });
    assert.equal(parseAttachedReport(envelope, target).report.vulnerabilities.length, 2);
  });

  it('reads a scanner report in the Harbor format (v1.1), with cvss or preferred_cvss', () => {
    const { report, format, label } = parseAttachedReport(fixture('harbor-report-v1.1.json'), target);
    assert.equal(format, 'harbor');
    assert.equal(label, 'scanner report (Harbor format) (Trivy v0.9.1)');
    assert.equal(report.scannedAt, '2020-08-01T18:28:49.072Z');
    const [v] = report.vulnerabilities;
    assert.equal(v!.id, 'CVE-2019-18276');
    assert.equal(v!.severity, 'low');
    assert.equal(v!.cvss, 3.2);
    assert.equal(v!.layer, 'sha256:4739cd2f4f486596c583c79f6033f1a9dee019389d512603609494678c8ccd53');
    assert.equal(v!.links.length, 5);
  });

  it('refuses what is not a report, naming it, and drops unsafe links', () => {
    assert.throws(() => parseAttachedReport('not json', target, 'application/json'), /is not JSON/);
    assert.throws(() => parseAttachedReport('{"spdxVersion":"SPDX-2.3"}', target), /not a vulnerability report this extension reads/);
    assert.throws(() => parseAttachedReport(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: 'https://slsa.dev/provenance/v1', predicate: {} }), target), /not a vulnerability report/);
    assert.throws(() => parseAttachedReport(JSON.stringify({ _type: 'x', predicateType: COSIGN_VULN_PREDICATE, predicate: { scanner: { result: { foo: 1 } } } }), target), /predicate.scanner.result is not a Trivy, SARIF or scanner report/);
    assert.throws(() => parseAttachedReport(JSON.stringify({ SchemaVersion: 2, Results: [{ Vulnerabilities: [{ PkgName: 'x' }] }] }), target), /Results\[0\].Vulnerabilities\[0\] has no VulnerabilityID/);
    const hostile = { SchemaVersion: 2, Results: [{ Vulnerabilities: [{ VulnerabilityID: 'CVE-1', PkgName: 'p', Severity: 'HIGH', PrimaryURL: 'javascript:alert(1)', References: ['https://user:pw@evil.example/', 'https://ok.example/a'] }] }] };
    assert.deepEqual(parseAttachedReport(JSON.stringify(hostile), target).report.vulnerabilities[0]!.links, ['https://ok.example/a']);
  });
});
