import * as assert from 'node:assert/strict';
import { toScanReport } from '../../src/registry/dtr/scanReport';
import type { DtrScannedImage } from '../../src/registry/dtr/schemas';
import { PANEL_LIMITS, reportForPanel, type ScanReport, type Vulnerability } from '../../src/registry/scan';
import { hostMessageProblem } from '../../src/webviews/messageCheck';
import { hostMessage } from '../../src/webviews/protocol';
import { filterVulnerabilities } from '../../src/webviews/scanFilter';

/** A DTR summary of `layers` layers each naming the same `components` components of `cves` CVEs each. */
function hugeSummary(layers: number, components: number, cves: number): DtrScannedImage {
  const cveList = Array.from({ length: components * cves }, (_, i) => ({ cvePK: `CVE-2024-${String(10000 + i)}`, summary: `flaw ${i}`, cvss: (i % 100) / 10 }));
  const comps = Array.from({ length: components }, (_, c) => ({ componentPK: `pk-${c}`, name: `component-${c}`, version: `1.${c}`, filepaths: [], licenses: [], cves: cveList.slice(c * cves, (c + 1) * cves).map((x) => x.cvePK) }));
  return {
    manifestDigest: `sha256:${'a'.repeat(64)}`,
    licenses: [],
    layers: Array.from({ length: layers }, (_, l) => ({ digest: `sha256:${String(l).padStart(64, '0')}`, components: comps.map((c) => c.componentPK) })),
    components: comps,
    cves: cveList,
  };
}

function scanInit(report: ScanReport) {
  return { type: 'init' as const, panel: 'scan' as const, data: { registryName: 'dtr', report }, restore: { registryName: 'dtr', repository: 'a/b', tag: 't' } };
}

describe('scan summaries of any size', () => {
  it('a DTR summary of 200 layers × 1,000 components × 10 CVEs becomes one row per CVE and package, fast and small', () => {
    const image = hugeSummary(200, 1000, 10);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const report = toScanReport(image, 'a/b', 't');
    const ms = performance.now() - t0;
    const grown = process.memoryUsage().heapUsed - before;
    assert.equal(report.vulnerabilities.length, 10_000, 'not 2,000,000 rows');
    assert.equal(report.packages.length, 1000, 'one package per component, not one per layer');
    assert.equal(new Set(report.vulnerabilities.map((v) => `${v.id}|${v.packageName}`)).size, report.vulnerabilities.length);
    assert.equal(report.vulnerabilities[0]!.layer, image.layers[0]!.digest, 'a row names the first layer that has it');
    // The row and package counts above are what keep it fast; the time is printed for whoever reads the run.
    if (ms > 1500) console.log(`      (building the report took ${ms.toFixed(0)} ms on a busy machine)`);
    assert.ok(grown < 80 * 1024 * 1024, `${(grown / 1048576).toFixed(0)} MB`);
  });

  it('a CVE overridden in one layer still shows from another layer that has it', () => {
    const image = hugeSummary(2, 1, 2);
    image.vulnOverrides = [{ pk: 'o', digest: image.layers[0]!.digest, component: 'component-0', cve: 'CVE-2024-10000' }];
    const r = toScanReport(image, 'a/b', 't');
    assert.deepEqual(r.vulnerabilities.map((v) => [v.id, v.layer]), [
      ['CVE-2024-10001', image.layers[0]!.digest],
      ['CVE-2024-10000', image.layers[1]!.digest],
    ]);
  });

  it('the panel gets the most severe rows with the totals; the whole report stays for export', () => {
    const report = toScanReport(hugeSummary(1, 2000, 10), 'a/b', 't');
    const shown = reportForPanel(report);
    assert.equal(shown.vulnerabilities.length, PANEL_LIMITS.vulnerabilities);
    assert.equal(shown.totalVulnerabilities, 20_000);
    assert.equal(shown.totalPackages, undefined, '2,000 packages fit');
    const minShown = Math.min(...shown.vulnerabilities.map((v) => v.cvss ?? 0));
    assert.ok(report.vulnerabilities.filter((v) => (v.cvss ?? 0) > minShown).every((v) => shown.vulnerabilities.includes(v)), 'no more severe row is left out');
    assert.deepEqual(shown.counts, report.counts, 'the chart counts the whole report');
    assert.equal(report.vulnerabilities.length, 20_000, 'the report kept for export is untouched');
    const all: Vulnerability[] = filterVulnerabilities(report.vulnerabilities, { search: '', severities: [], fixableOnly: false });
    assert.equal(all.length, 20_000);

    const t0 = performance.now();
    assert.equal(hostMessageProblem(scanInit(shown)), undefined);
    const ms = performance.now() - t0;
    assert.ok(ms < 1500, `checking one panel message took ${ms.toFixed(0)} ms (2,000,000 rows took 3.2 s)`);
  });

  it('a tag with more than 64 platforms still makes a message the page accepts, with the shown platform listed', () => {
    const platforms = Array.from({ length: 100 }, (_, i) => `linux/arch${i}`);
    const report: ScanReport = { status: 'completed', repository: 'a/b', reference: 't', counts: { critical: 0, high: 0, medium: 0, low: 0, negligible: 0, unknown: 0 }, packages: [], vulnerabilities: [], platforms, platform: 'linux/arch90' };
    assert.ok(!hostMessage.safeParse(scanInit(report)).success, 'the whole list is more than the page takes');
    assert.match(hostMessageProblem(scanInit(report)) ?? '', /platforms/, 'and the host would say so instead of loading forever');
    const shown = reportForPanel(report);
    assert.ok(hostMessage.safeParse(scanInit(shown)).success);
    assert.equal(shown.platforms!.length, PANEL_LIMITS.platforms);
    assert.ok(shown.platforms!.includes('linux/arch90'));
    assert.equal(shown.totalPlatforms, 100);
  });
});
