import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hostMessage, scanReportSchema, tagDetailsData, webviewMessage, type HostMessage } from '../../src/webviews/protocol';
import { readScanReportFile } from '../../src/webviews/scanFile';
import { e2eScanReport, XSS_PAYLOADS, xssScanReport } from '../fixtures/scanReports';

const indexDetails = {
  registryName: 'local',
  pullHost: '127.0.0.1:5000',
  tag: 'latest',
  details: {
    repository: 'sample/multi',
    reference: 'latest',
    digest: 'sha256:' + 'a'.repeat(64),
    mediaType: 'application/vnd.oci.image.index.v1+json',
    isIndex: true,
    images: ['amd64', 'arm64'].map((architecture, i) => ({
      platform: { os: 'linux', architecture },
      digest: `sha256:${String(i).repeat(64)}`,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      totalSize: 1234,
      layers: [{ digest: 'sha256:' + 'b'.repeat(64), mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 1000 }],
      config: {
        digest: 'sha256:' + 'c'.repeat(64),
        size: 234,
        env: ['PATH=/usr/bin'],
        entrypoint: [],
        cmd: ['sh'],
        labels: { evil: XSS_PAYLOADS.img },
        exposedPorts: ['80/tcp'],
        volumes: [],
        history: [{ createdBy: XSS_PAYLOADS.script, emptyLayer: true }],
      },
    })),
  },
};

describe('webview protocol', () => {
  it('carries every host message kind, including an index with one image per platform', () => {
    const msgs: HostMessage[] = [
      { type: 'init', panel: 'tagDetails', data: indexDetails, restore: { registryName: 'local', repository: 'sample/multi', reference: 'latest' } },
      { type: 'init', panel: 'scan', data: { report: xssScanReport() }, restore: { file: '/tmp/r.json' } },
      { type: 'init', panel: 'form', data: { formId: 'registry', form: { fields: [] }, title: 'Registry', values: { name: 'x' }, draft: { name: 'y' } }, restore: { formId: 'registry', target: 'x' } },
      { type: 'loading', message: 'Loading…' },
      { type: 'failed', message: 'unreachable', retryable: true },
      { type: 'reply', requestId: 'r7', ok: false, message: 'Connection test failed', fieldErrors: { url: 'bad' } },
    ];
    for (const m of msgs) {
      const r = hostMessage.safeParse(JSON.parse(JSON.stringify(m)));
      assert.ok(r.success, `${m.type}: ${r.success ? '' : r.error.message}`);
      assert.deepEqual(r.data, m, 'nothing is added or dropped on the way');
    }
  });

  it('keeps registry text as data: payloads survive unchanged, to be inserted as text', () => {
    const r = tagDetailsData.parse(indexDetails);
    assert.equal(r.details.images[0]!.config!.labels.evil, XSS_PAYLOADS.img);
    assert.equal(r.details.images[1]!.config!.history[0]!.createdBy, XSS_PAYLOADS.script);
  });

  it('requires request ids on requests and replies, and bounds them', () => {
    assert.ok(!hostMessage.safeParse({ type: 'reply', ok: true }).success, 'a reply without requestId');
    assert.ok(!webviewMessage.safeParse({ type: 'export', format: 'json', filter: { search: '', severities: [], fixableOnly: false } }).success);
    assert.ok(!webviewMessage.safeParse({ type: 'save', requestId: '', values: {} }).success, 'empty requestId');
    assert.ok(!webviewMessage.safeParse({ type: 'save', requestId: 'x'.repeat(65), values: {} }).success, 'overlong requestId');
    assert.ok(webviewMessage.safeParse({ type: 'save', requestId: 'r1', values: {} }).success);
  });

  it('rejects what a compromised or buggy page might send', () => {
    const bad: unknown[] = [
      null,
      42,
      'ready',
      {},
      { type: 'READY' },
      { type: 'openLink' },
      { type: 'openLink', url: 'x'.repeat(5000) },
      { type: 'copy', text: 'x'.repeat(20_001) },
      { type: 'export', requestId: 'r', format: 'csv', filter: { search: '', severities: ['catastrophic'], fixableOnly: false } },
      { type: 'export', requestId: 'r', format: 'csv', filter: { search: 'x'.repeat(201), severities: [], fixableOnly: false } },
      { type: 'dirty', dirty: 'yes' },
      { type: 'save', requestId: 'r', values: 'name=x' },
    ];
    for (const m of bad) assert.ok(!webviewMessage.safeParse(m).success, JSON.stringify(m)?.slice(0, 80));
    assert.ok(!hostMessage.safeParse({ type: 'init', panel: 'tagDetails', data: { ...indexDetails, details: { ...indexDetails.details, images: 'none' } }, restore: {} }).success);
    assert.ok(!hostMessage.safeParse({ type: 'init', panel: 'form', data: { formId: 'registry', form: { fields: [] }, title: 't', values: {} }, restore: { nested: { a: 1 } } }).success, 'restore state is flat');
  });

  it('carries the platforms of a multi-platform report to the page, and the page asks for another one', () => {
    const report = { ...xssScanReport(), platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'], platform: 'linux/arm64' };
    const init: HostMessage = { type: 'init', panel: 'scan', data: { registryName: 'dtr', report }, restore: { registryName: 'dtr', repository: 'engineering/api', tag: 'latest', platform: 'linux/arm64' } };
    const r = hostMessage.safeParse(JSON.parse(JSON.stringify(init)));
    assert.ok(r.success, r.success ? '' : r.error.message);
    assert.deepEqual(r.data, init, 'platforms and the chosen platform reach the page unchanged');
    const single = hostMessage.parse({ type: 'init', panel: 'scan', data: { report: xssScanReport() }, restore: {} });
    assert.ok(single.type === 'init' && single.panel === 'scan' && single.data.report.platforms === undefined, 'a single-platform report has no platform list');

    assert.deepEqual(webviewMessage.parse({ type: 'selectPlatform', platform: 'linux/arm/v7' }), { type: 'selectPlatform', platform: 'linux/arm/v7' });
    const bad: unknown[] = [
      { type: 'selectPlatform' },
      { type: 'selectPlatform', platform: '' },
      { type: 'selectPlatform', platform: 42 },
      { type: 'selectPlatform', platform: ['linux/amd64'] },
      { type: 'selectPlatform', platform: 'x'.repeat(201) },
      { type: 'SelectPlatform', platform: 'linux/amd64' },
    ];
    for (const m of bad) assert.ok(!webviewMessage.safeParse(m).success, JSON.stringify(m)?.slice(0, 80));
    assert.ok(!scanReportSchema.safeParse({ ...report, platforms: 'linux/amd64' }).success, 'platforms is a list');
    assert.ok(!scanReportSchema.safeParse({ ...report, platforms: [''] }).success, 'no empty platform');
    assert.ok(!scanReportSchema.safeParse({ ...report, platform: 7 }).success, 'the platform is text');
  });

  it('carries the scan sources (registry scanner, attached reports) to the page, and the page asks for another one', () => {
    const sources = [
      { id: 'registry', label: 'Registry scanner (Clair 4)', producedAt: '2026-11-01T12:00:00Z' },
      { id: 'attached:sha256:' + 'a'.repeat(64) + '#0', label: 'Attached cosign vulnerability attestation (trivy 0.19.2)' },
    ];
    const report = { ...xssScanReport(), source: sources[0]!, sources };
    const init: HostMessage = { type: 'init', panel: 'scan', data: { registryName: 'r', report }, restore: { registryName: 'r', repository: 'a/b', tag: '1', source: sources[1]!.id } };
    const r = hostMessage.safeParse(JSON.parse(JSON.stringify(init)));
    assert.ok(r.success, r.success ? '' : r.error.message);
    assert.deepEqual(r.data, init);
    assert.deepEqual(webviewMessage.parse({ type: 'selectSource', source: sources[1]!.id }), { type: 'selectSource', source: sources[1]!.id });
    for (const m of [{ type: 'selectSource' }, { type: 'selectSource', source: '' }, { type: 'selectSource', source: 'x'.repeat(301) }, { type: 'selectSource', source: 3 }]) {
      assert.ok(!webviewMessage.safeParse(m).success, JSON.stringify(m).slice(0, 80));
    }
    assert.ok(!scanReportSchema.safeParse({ ...report, sources: Array.from({ length: 33 }, () => sources[0]) }).success, 'at most 32 sources');
    assert.ok(!scanReportSchema.safeParse({ ...report, source: { id: 'registry', label: 'x'.repeat(501) } }).success, 'a bounded label');
  });

  it('validates a 5,000-vulnerability report quickly enough for the panel', () => {
    const report = e2eScanReport(5000);
    assert.equal(report.vulnerabilities.length, 5000);
    assert.equal(report.vulnerabilities[0]!.id, XSS_PAYLOADS.img);
    const t0 = performance.now();
    const r = scanReportSchema.safeParse(JSON.parse(JSON.stringify(report)));
    const ms = performance.now() - t0;
    assert.ok(r.success);
    assert.ok(ms < 1000, `parse took ${ms.toFixed(0)} ms`);
  });
});

describe('scan report files', () => {
  let dir: string;
  before(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scan-file-'))));
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('reads our own export format back', async () => {
    const file = path.join(dir, 'own.json');
    const report = e2eScanReport(300);
    await fs.writeFile(file, JSON.stringify(report));
    assert.deepEqual(await readScanReportFile(file), JSON.parse(JSON.stringify(report)));
  });

  it('reads a Quay security response', async () => {
    const file = path.join(dir, 'quay.json');
    await fs.writeFile(file, JSON.stringify({ status: 'queued', data: null }));
    const r = await readScanReportFile(file);
    assert.equal(r.status, 'queued');
    assert.equal(r.repository, 'quay.json');
  });

  it('names the problem of a broken file', async () => {
    const notJson = path.join(dir, 'broken.json');
    await fs.writeFile(notJson, '{"status":');
    await assert.rejects(readScanReportFile(notJson), /broken\.json is not a readable JSON file/);
    const badSeverity = path.join(dir, 'bad.json');
    const report = xssScanReport();
    await fs.writeFile(badSeverity, JSON.stringify({ ...report, vulnerabilities: [{ ...report.vulnerabilities[0], severity: 'catastrophic' }] }));
    await assert.rejects(readScanReportFile(badSeverity), /bad\.json is not a valid scan report: "vulnerabilities\.0\.severity"/);
    const other = path.join(dir, 'other.json');
    await fs.writeFile(other, '{"hello":"world"}');
    await assert.rejects(readScanReportFile(other), /neither a Registry Explorer scan export nor a Quay security report/);
    await assert.rejects(readScanReportFile(path.join(dir, 'missing.json')), /missing\.json is not a readable JSON file/);
  });
});
