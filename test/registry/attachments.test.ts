import * as assert from 'node:assert/strict';
import { attachmentBadge } from '../../src/registry/attachments';
import type { RegistryProvider } from '../../src/registry/provider';
import { providerFor, requestsDuring, sharedSandbox } from '../support/registryFixture';
import type { Sandbox } from '../support/sandbox';
import { VULN_FINDINGS } from '../support/supplyChain';
import { loadScanSource, scanSourcesOf } from '../../src/registry/scanSources';

describe('attached artifacts against distribution 2.8 (no referrers API: tag schema and cosign tags)', () => {
  let sb: Sandbox;
  let provider: RegistryProvider;

  before(async () => {
    sb = await sharedSandbox();
    provider = providerFor(sb.oci);
  });
  after(() => provider?.dispose());

  it('lists the signature, SBOM and attestation under cosign tags and the referrers from the tag schema index', async () => {
    const s = sb.content.signed;
    const { result: list, requests } = await requestsDuring(sb.oci, () => provider.listAttachments!(s.repository, s.digest));
    assert.equal(list.discovery, 'tag-schema');
    const seen = list.items.map((a) => [a.kind, a.source, a.digest]).sort();
    assert.deepEqual(
      seen,
      [
        // One item per layer of the .att manifest: the SLSA provenance and the vulnerability report.
        ['attestation', 'cosign-tag', s.attestation.digest],
        ['attestation', 'cosign-tag', s.attestation.digest],
        ['attestation', 'referrers-tag', s.referrers.provenance],
        ['sbom', 'cosign-tag', s.sbom.digest],
        ['sbom', 'referrers-tag', s.referrers.sbom],
        ['signature', 'cosign-tag', s.signature.digest],
      ].sort(),
    );
    assert.equal(attachmentBadge(list), 'signed · 2 SBOMs · 3 attestations');
    // The registry answered 404 to the referrers API, once.
    const referrerCalls = requests.filter((r) => r.path.includes('/referrers/'));
    assert.deepEqual(referrerCalls.map((r) => r.status), [404]);
  });

  it('reads a signature payload and an SBOM blob, checked against their digests', async () => {
    const s = sb.content.signed;
    const list = await provider.listAttachments!(s.repository, s.digest);
    const sig = list.items.find((a) => a.kind === 'signature')!;
    const content = await provider.getAttachmentContent!(s.repository, sig);
    assert.equal(content.blobs.length, 1);
    assert.equal(content.blobs[0].body.toString('utf8'), s.signature.payload);
    assert.equal(content.blobs[0].annotations?.['dev.cosignproject.cosign/signature'], s.signature.signature);
    const sbom = list.items.find((a) => a.source === 'referrers-tag' && a.kind === 'sbom')!;
    const sbomContent = await provider.getAttachmentContent!(s.repository, sbom);
    assert.equal(sbomContent.subject, s.digest);
    assert.match(sbomContent.blobs[0].body.toString('utf8'), /"spdxVersion":"SPDX-2.3"/);
  });

  it('the vulnerability attestation of the .att tag is a scan source: Show Scan Summary reads its Trivy report', async () => {
    const s = sb.content.signed;
    const found = await scanSourcesOf(provider, 'sandbox', s.repository, s.tag);
    assert.equal(found.sources.length, 1, 'no registry scanner, one attached report');
    const report = await loadScanSource(provider, s.repository, s.tag, found, found.sources[0].id);
    assert.equal(report.source?.label, 'Attached cosign vulnerability attestation (trivy 0.57.0)');
    assert.deepEqual(report.vulnerabilities.map((v) => v.id).sort(), VULN_FINDINGS.map((v) => v.id).sort());
  });

  it('an image without attachments: an empty list', async () => {
    const list = await provider.listAttachments!(sb.content.hello.repository, sb.content.hello.digest);
    assert.deepEqual(list.items, []);
  });
});
