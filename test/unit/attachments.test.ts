import * as assert from 'node:assert/strict';
import { attachmentBadge } from '../../src/registry/attachments';
import { MAX_ATTACHMENTS, MAX_REFERRER_PAGES, referrersTag } from '../../src/registry/distribution/attachments';
import { classifyReferrer } from '../../src/registry/distribution/attachmentKinds';
import type { OciServer } from '../servers/ociServer';
import { closeOciServers, disposeOciProviders, ociProvider, ociServer } from '../support/ociSetup';
import { attachSupplyChain, MT, push, referrerArtifact, referrersIndex, spdxDocument, storeSink, type Subject } from '../support/supplyChain';

afterEach(async () => {
  disposeOciProviders();
  await closeOciServers();
});

/** An image in `team/app:1.0` and its descriptor. */
function subjectIn(reg: OciServer, repository = 'team/app'): Subject {
  const digest = reg.addImage(repository, '1.0');
  return { mediaType: MT.manifest, digest, size: 0 };
}

describe('attached artifacts: discovery', () => {
  it('lists referrers (API) and cosign tags, classified, with the badge the tree shows', async () => {
    const reg = await ociServer();
    const subject = subjectIn(reg);
    const set = await attachSupplyChain(storeSink(reg), 'team/app', `${reg.host}/team/app:1.0`, subject, { tagSchema: false });
    const list = await ociProvider(reg).listAttachments('team/app', subject.digest);
    assert.equal(list.discovery, 'referrers');
    const byDigest = (d: string) => list.items.filter((a) => a.digest === d);
    assert.deepEqual(byDigest(set.signature.digest).map((a) => [a.kind, a.subtype, a.source, a.tag]), [['signature', 'cosign', 'cosign-tag', set.signature.tag]]);
    assert.deepEqual(byDigest(set.attestation.digest).map((a) => [a.kind, a.predicateType, a.label]), [['attestation', 'https://slsa.dev/provenance/v0.2', 'SLSA provenance v0.2']]);
    assert.deepEqual(byDigest(set.sbom.digest).map((a) => [a.kind, a.subtype]), [['sbom', 'spdx']]);
    assert.deepEqual(byDigest(set.referrers.sbom).map((a) => [a.kind, a.subtype, a.source, a.artifactType, a.created]), [['sbom', 'spdx', 'referrers', MT.spdxJson, '2026-11-01T12:00:00Z']]);
    assert.deepEqual(byDigest(set.referrers.provenance).map((a) => [a.kind, a.label]), [['attestation', 'SLSA provenance v1']]);
    assert.equal(list.items.length, 5);
    assert.equal(attachmentBadge(list), 'signed · 2 SBOMs · 2 attestations');
    // One referrers call, three HEADs for cosign's tags and a GET for each that exists; no tag-schema read.
    assert.equal(reg.count('referrers'), 1);
    assert.equal(reg.count({ kind: 'manifest', method: 'HEAD' }), 3);
    assert.equal(reg.count({ kind: 'manifest', method: 'GET' }), 3);
  });

  it('falls back to the referrers tag schema when the registry has no referrers API (404)', async () => {
    const reg = await ociServer({ referrers: false });
    const subject = subjectIn(reg);
    const set = await attachSupplyChain(storeSink(reg), 'team/app', `${reg.host}/team/app:1.0`, subject, { tagSchema: true });
    const list = await ociProvider(reg).listAttachments('team/app', subject.digest);
    assert.equal(list.discovery, 'tag-schema');
    const ref = list.items.filter((a) => a.source === 'referrers-tag');
    assert.deepEqual(ref.map((a) => a.digest).sort(), [set.referrers.sbom, set.referrers.provenance].sort());
    assert.ok(ref.every((a) => a.tag === referrersTag(subject.digest)));
    assert.equal(list.items.length, 5);
    assert.equal(reg.count({ kind: 'manifest', method: 'GET', path: new RegExp(`/manifests/${referrersTag(subject.digest)}$`) }), 1);
  });

  it('a registry without the API and without a tag schema index: an empty list, not an error', async () => {
    const reg = await ociServer({ referrers: false });
    const subject = subjectIn(reg);
    const list = await ociProvider(reg).listAttachments('team/app', subject.digest);
    assert.deepEqual([list.items, list.discovery, list.more], [[], 'tag-schema', 0]);
    assert.equal(attachmentBadge(list), '');
  });

  it('sends artifactType and trusts OCI-Filters-Applied; filters itself when the registry did not', async () => {
    const reg = await ociServer();
    const subject = subjectIn(reg);
    await attachSupplyChain(storeSink(reg), 'team/app', 'team/app:1.0', subject, { tagSchema: false });
    const p = ociProvider(reg);
    const list = await p.listAttachments('team/app', subject.digest, { artifactType: MT.inToto });
    assert.deepEqual(list.items.map((a) => a.artifactType), [MT.inToto]);
    assert.match(reg.requests.find((r) => r.kind === 'referrers')!.query, /artifactType=application%2Fvnd\.in-toto%2Bjson/);
    // A registry that ignores the filter (no OCI-Filters-Applied): the list is filtered here.
    const plain = await ociServer({ referrers: false });
    const s2 = subjectIn(plain);
    await attachSupplyChain(storeSink(plain), 'team/app', 'team/app:1.0', s2, { tagSchema: true });
    const l2 = await ociProvider(plain).listAttachments('team/app', s2.digest, { artifactType: MT.spdxJson });
    assert.deepEqual(l2.items.map((a) => a.artifactType), [MT.spdxJson]);
  });

  it('filters itself when the referrers API ignores artifactType (no OCI-Filters-Applied)', async () => {
    const reg = await ociServer({ referrersFilter: false });
    const subject = subjectIn(reg);
    await attachSupplyChain(storeSink(reg), 'team/app', 'team/app:1.0', subject, { tagSchema: false });
    const list = await ociProvider(reg).listAttachments('team/app', subject.digest, { artifactType: MT.spdxJson });
    assert.deepEqual(list.items.map((a) => [a.artifactType, a.source]), [[MT.spdxJson, 'referrers']]);
  });

  it('pages referrers by Link, at most MAX_REFERRER_PAGES pages and MAX_ATTACHMENTS items: 10,000 referrers stay bounded', async () => {
    const reg = await ociServer({ referrersPageSize: 100 });
    const subject = subjectIn(reg);
    for (let i = 0; i < 10_000; i++) {
      const a = referrerArtifact(subject, 'application/vnd.example.thing', [], { n: String(i) });
      reg.putManifest('team/app', a.manifest, a.mediaType);
    }
    const started = Date.now();
    const list = await ociProvider(reg).listAttachments('team/app', subject.digest);
    assert.equal(reg.count('referrers'), MAX_REFERRER_PAGES);
    assert.equal(list.items.length, MAX_ATTACHMENTS);
    assert.equal(list.more, MAX_REFERRER_PAGES * 100 - MAX_ATTACHMENTS);
    assert.equal(list.moreUnknown, true);
    assert.match(attachmentBadge(list), /^200 artifacts · 300\+ more$/);
    assert.ok(Date.now() - started < 10_000);
  });

  it('drops a referrer that names the subject itself and duplicates between the API and the tag schema (no loops)', async () => {
    const reg = await ociServer({ referrers: false });
    const subject = subjectIn(reg);
    const sbom = referrerArtifact(subject, MT.spdxJson, [{ mediaType: MT.spdxJson, body: spdxDocument('x', []) }]);
    await push(storeSink(reg), 'team/app', sbom);
    // The tag schema index lists the SBOM twice and the subject itself.
    const idx = referrersIndex(subject, [sbom, sbom]);
    const doc = JSON.parse(idx.manifest.toString('utf8')) as { manifests: unknown[] };
    doc.manifests.push({ mediaType: MT.manifest, digest: subject.digest, size: 10, artifactType: MT.spdxJson });
    reg.putManifest('team/app', JSON.stringify(doc), MT.index, idx.tag);
    const list = await ociProvider(reg).listAttachments('team/app', subject.digest);
    assert.deepEqual(list.items.map((a) => a.digest), [sbom.digest]);
  });

  it('a malformed referrers answer is a clear error; a malformed tag schema index is a note', async () => {
    const reg = await ociServer();
    const subject = subjectIn(reg);
    reg.fault({ kind: 'referrers', action: 'wrongType', field: 'manifests', value: [{ digest: 'nope' }], times: 1 });
    await assert.rejects(ociProvider(reg).listAttachments('team/app', subject.digest), /referrers of team\/app@sha256:[0-9a-f]{12}: manifests\.0/);
    const old = await ociServer({ referrers: false });
    const s2 = subjectIn(old);
    old.putManifest('team/app', JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 12 }] }), MT.index, referrersTag(s2.digest));
    const list = await ociProvider(old).listAttachments('team/app', s2.digest);
    assert.deepEqual(list.items, []);
    assert.equal(list.notes.length, 1);
    assert.match(list.notes[0], /referrers index team\/app:sha256-/);
  });

  it('refuses a digest it cannot verify before any request', async () => {
    const reg = await ociServer();
    await assert.rejects(ociProvider(reg).listAttachments('team/app', 'md5:abc'), /cannot be verified|not a valid/);
    assert.equal(reg.requests.length, 0);
  });
});

describe('attached artifacts: classification', () => {
  const cases: [string | undefined, Record<string, string> | undefined, string, string | undefined][] = [
    ['application/vnd.cncf.notary.signature', undefined, 'signature', 'notation'],
    ['application/vnd.dev.cosign.artifact.sig.v1+json', undefined, 'signature', 'cosign'],
    ['application/vnd.dev.sigstore.bundle.v0.3+json', undefined, 'signature', 'sigstore-bundle'],
    ['application/vnd.dev.sigstore.bundle.v0.3+json', { 'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1' }, 'attestation', 'https://slsa.dev/provenance/v1'],
    ['application/vnd.cyclonedx+json', undefined, 'sbom', 'cyclonedx'],
    ['application/spdx+json', undefined, 'sbom', 'spdx'],
    ['text/spdx', undefined, 'sbom', 'spdx'],
    ['application/vnd.in-toto+json', { 'in-toto.io/predicate-type': 'https://cosign.sigstore.dev/attestation/vuln/v1' }, 'attestation', 'https://cosign.sigstore.dev/attestation/vuln/v1'],
    ['application/vnd.in-toto+json', { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' }, 'sbom', 'spdx'],
    ['application/sarif+json', undefined, 'other', 'sarif'],
    ['application/vnd.example.thing', undefined, 'other', undefined],
  ];
  for (const [type, ann, kind, subtype] of cases) {
    it(`${type} ${ann ? JSON.stringify(ann) : ''} → ${kind} ${subtype ?? ''}`, () => {
      const c = classifyReferrer(type, ann);
      assert.deepEqual([c.kind, c.subtype], [kind, subtype]);
    });
  }
});

describe('attached artifacts: the tree badge', () => {
  it('costs one referrers call per tag: cosign tags come from the tag list already loaded', async () => {
    const reg = await ociServer();
    const subject = subjectIn(reg);
    await attachSupplyChain(storeSink(reg), 'team/app', 'team/app:1.0', subject, { tagSchema: false });
    reg.resetCounters();
    const list = await ociProvider(reg).listAttachments('team/app', subject.digest, { knownTags: new Set(reg.tagsOf('team/app')), maxPages: 1 });
    assert.equal(reg.requests.length, 1);
    assert.equal(reg.count('referrers'), 1);
    assert.equal(attachmentBadge(list), 'signed · 2 SBOMs · 2 attestations');
    // Without cosign tags in the list, nothing is counted for them.
    const none = await ociProvider(reg).listAttachments('team/app', subject.digest, { knownTags: new Set(['1.0']), maxPages: 1 });
    assert.equal(attachmentBadge(none), 'SBOM · 1 attestation');
  });
});

describe('attached artifacts: the tree badge on a registry without the referrers API', () => {
  it('reads the tag schema index only when the loaded tag list has it', async () => {
    const reg = await ociServer({ referrers: false });
    const subject = subjectIn(reg);
    const other = reg.addImage('team/app', '2.0', { salt: 'other' });
    await attachSupplyChain(storeSink(reg), 'team/app', 'team/app:1.0', subject, { tagSchema: true });
    const known = new Set(reg.tagsOf('team/app'));
    const p = ociProvider(reg);
    reg.resetCounters();
    const signed = await p.listAttachments('team/app', subject.digest, { knownTags: known, maxPages: 1 });
    assert.equal(attachmentBadge(signed), 'signed · 2 SBOMs · 2 attestations');
    assert.equal(reg.requests.length, 2, 'the referrers call (404) and the index');
    reg.resetCounters();
    const plain = await p.listAttachments('team/app', other, { knownTags: known, maxPages: 1 });
    assert.equal(attachmentBadge(plain), '');
    assert.equal(reg.requests.length, 1, 'only the referrers call');
  });
});
