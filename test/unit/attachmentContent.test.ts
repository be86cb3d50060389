import * as assert from 'node:assert/strict';
import { attachmentView } from '../../src/registry/distribution/attachmentView';
import type { Attachment } from '../../src/registry/attachments';
import { UnsupportedError } from '../../src/registry/errors';
import { closeOciServers, disposeOciProviders, ociProvider, ociServer } from '../support/ociSetup';
import { attachSupplyChain, MT, referrerArtifact, sha256, storeSink, type Subject } from '../support/supplyChain';

afterEach(async () => {
  disposeOciProviders();
  await closeOciServers();
});

async function signedImage(opts: { referrers?: boolean } = {}) {
  const reg = await ociServer({ referrers: opts.referrers ?? true });
  const digest = reg.addImage('team/app', '1.0');
  const subject: Subject = { mediaType: MT.manifest, digest, size: 0 };
  const set = await attachSupplyChain(storeSink(reg), 'team/app', 'reg.example/team/app:1.0', subject, { tagSchema: !(opts.referrers ?? true) });
  const p = ociProvider(reg);
  const list = await p.listAttachments('team/app', digest);
  return { reg, p, set, list, subject };
}

describe('attached artifacts: content and panel views', () => {
  it('a cosign signature: payload identity and digest, signature, and "not verified" until a key checks it', async () => {
    const { p, set, list, subject } = await signedImage();
    const sig = list.items.find((a) => a.kind === 'signature')!;
    const view = attachmentView(await p.getAttachmentContent('team/app', sig));
    assert.equal(view.body.type, 'signature');
    if (view.body.type !== 'signature') return;
    assert.deepEqual([view.body.scheme, view.body.payload?.dockerReference, view.body.payload?.manifestDigest], ['cosign', 'reg.example/team/app:1.0', subject.digest]);
    assert.equal(view.body.signature, set.signature.signature.length > 120 ? `${set.signature.signature.slice(0, 120)}…` : set.signature.signature);
    assert.deepEqual(view.body.verification, { status: 'unchecked', detail: 'Not verified' });
    assert.equal(view.body.keyless, false);
  });

  it('an SBOM (cosign tag) as a package table, a provenance (referrer, DSSE) as builder, source and commit', async () => {
    const { p, list } = await signedImage();
    const sbom = attachmentView(await p.getAttachmentContent('team/app', list.items.find((a) => a.kind === 'sbom' && a.source === 'cosign-tag')!));
    assert.equal(sbom.body.type, 'sbom');
    if (sbom.body.type === 'sbom') assert.deepEqual(sbom.body.sbom.packages.map((x) => x.name), ['musl', 'busybox', 'zlib']);
    const prov = attachmentView(await p.getAttachmentContent('team/app', list.items.find((a) => a.label === 'SLSA provenance v1')!));
    assert.equal(prov.body.type, 'provenance');
    if (prov.body.type === 'provenance') assert.deepEqual([prov.body.provenance.builder, prov.body.provenance.commit], ['https://github.com/actions/runner/github-hosted', '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c']);
    const v02 = attachmentView(await p.getAttachmentContent('team/app', list.items.find((a) => a.label === 'SLSA provenance v0.2')!));
    assert.equal(v02.body.type, 'provenance');
    assert.equal(v02.subject, undefined);
  });

  it('a huge SBOM is refused with a clear message before anything is downloaded', async () => {
    const reg = await ociServer();
    const digest = reg.addImage('team/app', '1.0');
    const subject: Subject = { mediaType: MT.manifest, digest, size: 0 };
    const art = referrerArtifact(subject, MT.spdxJson, [{ mediaType: MT.spdxJson, body: Buffer.from('{}') }]);
    // The layer descriptor claims 100 MiB.
    const doc = JSON.parse(art.manifest.toString('utf8')) as { layers: { size: number }[] };
    doc.layers[0].size = 100 * 1024 * 1024;
    reg.putManifest('team/app', JSON.stringify(doc), MT.manifest);
    const p = ociProvider(reg);
    const list = await p.listAttachments('team/app', digest);
    reg.resetCounters();
    const err = await p.getAttachmentContent('team/app', list.items[0]).then(() => assert.fail('should refuse'), (e: unknown) => e);
    assert.ok(err instanceof UnsupportedError);
    assert.match(err.message, /is 100\.0 MiB, larger than the 32\.0 MiB that are read; it was not downloaded/);
    assert.equal(reg.count('blob'), 0);
  });

  it('content that does not match its digest is refused', async () => {
    const { reg, p, list } = await signedImage();
    const sbom = list.items.find((a) => a.kind === 'sbom' && a.source === 'referrers')!;
    reg.fault({ kind: 'blob', action: 'tamper', path: '/blobs/', times: 5 });
    await assert.rejects(p.getAttachmentContent('team/app', sbom), /does not match its digest/);
  });

  it('an unreadable SBOM is shown raw with a note, not an error', async () => {
    const reg = await ociServer();
    const digest = reg.addImage('team/app', '1.0');
    const art = referrerArtifact({ mediaType: MT.manifest, digest, size: 0 }, MT.spdxJson, [{ mediaType: MT.spdxJson, body: Buffer.from('<xml/>') }]);
    for (const b of art.blobs) reg.putBlob('team/app', b);
    reg.putManifest('team/app', art.manifest, MT.manifest);
    const p = ociProvider(reg);
    const [item] = (await p.listAttachments('team/app', digest)).items;
    const view = attachmentView(await p.getAttachmentContent('team/app', item));
    assert.deepEqual(view.body, { type: 'raw', mediaType: MT.spdxJson, text: '<xml/>' });
    assert.match(view.notes[0], /not valid JSON/);
  });

  it('a cosign layer that changed since the listing is refused rather than shown as the wrong item', async () => {
    const { p, list } = await signedImage();
    const sig = list.items.find((a) => a.kind === 'signature')!;
    const moved: Attachment = { ...sig, layer: { ...sig.layer!, digest: sha256('other') } };
    await assert.rejects(p.getAttachmentContent('team/app', moved), /changed since it was listed/);
  });
});
