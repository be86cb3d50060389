import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanSourcesOf, loadScanSource } from '../../src/registry/scanSources';
import { sessionSignatureVerifier, trustKeyForSession } from '../../src/commands/trustedKey';
import { parsePublicKey } from '../../src/registry/verify';

import type { OciServer } from '../servers/ociServer';
import { startQuayServer, type QuayServer } from '../servers/quayServer';
import { disposeQuayProviders, quayProvider } from '../support/quaySetup';
import { closeOciServers, disposeOciProviders, ociProvider, ociServer } from '../support/ociSetup';
import { attachSupplyChain, cosignAttestation, cosignSignature, cosignTagOf, generateSigningKey, MT, push, referrerArtifact, storeSink, type Subject } from '../support/supplyChain';

const fixture = (name: string) => fs.readFileSync(path.resolve(__dirname, '../fixtures/reports', name), 'utf8');
const VULN = 'https://cosign.sigstore.dev/attestation/vuln/v1';

afterEach(async () => {
  disposeOciProviders();
  await closeOciServers();
});

function subjectIn(reg: OciServer): Subject {
  return { mediaType: MT.manifest, digest: reg.addImage('team/app', '1.0'), size: 0 };
}

/** The published cosign vulnerability attestation, its subject pointed at `digest`. */
function vulnStatement(digest: string): unknown {
  const s = JSON.parse(fixture('cosign-vuln-attestation.json')) as { subject: Array<{ digest: Record<string, string> }> };
  s.subject[0]!.digest = { sha256: digest.slice('sha256:'.length) };
  return s;
}

describe('scan summaries from attached reports, and signature verification, on any registry', () => {
  it('lists the attached reports of a tag as scan sources and shows each with its source and time', async () => {
    const reg = await ociServer();
    const subject = subjectIn(reg);
    const key = generateSigningKey();
    await push(storeSink(reg), 'team/app', cosignAttestation(subject.digest, [{ predicateType: VULN, statement: vulnStatement(subject.digest) }], key.privateKey));
    const sarif = referrerArtifact(subject, 'application/sarif+json', [{ mediaType: 'application/sarif+json', body: Buffer.from(fixture('trivy-alpine-310.sarif.json')) }]);
    await push(storeSink(reg), 'team/app', sarif);
    const provider = ociProvider(reg);
    assert.equal(provider.capabilities.scanSummary, false, 'plain OCI has no scanner of its own');

    const found = await scanSourcesOf(provider, 'sandbox', 'team/app', '1.0');
    assert.equal(found.sources.length, 2);
    assert.ok(found.sources.every((s) => s.id.startsWith('attached:')));

    const bySarif = found.sources.find((s) => s.id === `attached:${sarif.digest}`)!;
    const r1 = await loadScanSource(provider, 'team/app', '1.0', found, bySarif.id);
    assert.equal(r1.vulnerabilities.length, 4);
    assert.equal(r1.source?.label, 'Attached SARIF report (Trivy dev)');
    assert.equal(r1.source?.producedAt, '2026-11-01T12:00:00Z', "the artifact's creation time when the report names none");
    assert.equal(r1.sources?.length, 2);

    const other = found.sources.find((s) => s !== bySarif)!;
    const r2 = await loadScanSource(provider, 'team/app', '1.0', found, other.id);
    assert.equal(r2.source?.label, 'Attached cosign vulnerability attestation (trivy 0.19.2)');
    assert.equal(r2.source?.producedAt, '2021-08-06T17:50:50.520Z');
    assert.deepEqual(r2.counts.high, 2);
    assert.equal(r2.message, undefined);
    await assert.rejects(loadScanSource(provider, 'team/app', '1.0', found, 'attached:sha256:' + '0'.repeat(64)), /is not a scan source/);
  });

  it('says clearly when a registry without a scanner has no attached report', async () => {
    const reg = await ociServer();
    subjectIn(reg);
    await assert.rejects(scanSourcesOf(ociProvider(reg), 'sandbox', 'team/app', '1.0'), /sandbox reports no vulnerability scan for team\/app:1.0, and no vulnerability report is attached to it/);
  });

  it('verifies attached cosign signatures and attestations with the given key; wrong key and other digests are said so', async () => {
    const reg = await ociServer({ referrers: false });
    const subject = subjectIn(reg);
    const key = generateSigningKey('P-384');
    await attachSupplyChain(storeSink(reg), 'team/app', `${reg.host}/team/app:1.0`, subject, { tagSchema: true, key });
    const provider = ociProvider(reg);
    const list = await provider.listAttachments('team/app', subject.digest);
    const good = await provider.verifyAttachments('team/app', subject.digest, list.items, key.publicKeyPem);
    const pub = parsePublicKey(key.publicKeyPem);
    assert.deepEqual(
      good.map((v) => v.verdict?.status),
      good.map(() => 'verified'),
      good.map((v) => v.text).join('\n'),
    );
    assert.ok(good.length >= 3, 'the signature, the cosign attestation and the referrer provenance');
    assert.ok(good.every((v) => v.text.startsWith(`Verified by key ${pub.fingerprint}`)));

    const wrong = await provider.verifyAttachments('team/app', subject.digest, list.items, generateSigningKey().publicKeyPem);
    assert.ok(wrong.length >= 3 && wrong.every((v) => v.verdict?.status === 'mismatch'));
    await assert.rejects(provider.verifyAttachments('team/app', subject.digest, list.items, 'not a key'), /not a PEM public key/);

    // A signature for another image stored under this image's .sig tag: signed, but for another digest.
    const other = reg.addImage('team/app', '2.0', { created: '2026-01-02T00:00:00Z' });
    const moved = cosignSignature(`${reg.host}/team/app:2.0`, other, [key.privateKey]);
    await push(storeSink(reg), 'team/app', { ...moved, tag: cosignTagOf(subject.digest, 'sig') });
    const again = await provider.listAttachments('team/app', subject.digest);
    const sig = (await provider.verifyAttachments('team/app', subject.digest, again.items.filter((a) => a.kind === 'signature'), key.publicKeyPem))[0]!;
    assert.equal(sig.verdict?.status, 'wrongDigest');
    assert.match(sig.text, new RegExp(`^Payload is for another digest: it names ${other}`));
  });
});

describe('scan sources next to a registry scanner', () => {
  afterEach(async () => {
    disposeQuayProviders();
    await quay?.close();
  });
  let quay: QuayServer | undefined;

  it('offers the registry scanner first and the attached report second, each named with its source', async () => {
    quay = await startQuayServer({ registry: true });
    const { provider } = quayProvider(quay);
    const details = await provider.getTagDetails('acme/app', '1.0');
    const subject: Subject = { mediaType: details.mediaType, digest: details.digest, size: 0 };
    const trivy = referrerArtifact(subject, 'application/vnd.aquasec.trivy.report.json', [{ mediaType: 'application/json', body: Buffer.from(fixture('trivy-alpine-310.json')) }]);
    await push(storeSink(quay.registry!), 'acme/app', trivy);
    const found = await scanSourcesOf(provider, 'quay', 'acme/app', '1.0');
    assert.deepEqual(found.sources.map((s) => s.id), ['registry', `attached:${trivy.digest}`]);
    const own = await loadScanSource(provider, 'acme/app', '1.0', found, 'registry');
    assert.match(own.source!.label, /^Registry scanner/);
    assert.equal(own.sources?.length, 2);
    const attached = await loadScanSource(provider, 'acme/app', '1.0', found, `attached:${trivy.digest}`);
    assert.equal(attached.source!.label, 'Attached Trivy JSON report (Trivy dev)');
    assert.equal(attached.source!.producedAt, '2021-08-25T12:20:30.000Z');
    assert.equal(attached.vulnerabilities.length, 4);
  });
});

describe('the attachment panel checks signatures with the key given in this session', () => {
  afterEach(async () => {
    disposeOciProviders();
    await closeOciServers();
  });

  it('shows a signature as not verified until a key is given, then verified or not matching, never guessed', async () => {
    const reg = await ociServer();
    const subject = subjectIn(reg);
    const key = generateSigningKey();
    await push(storeSink(reg), 'team/app', cosignSignature('team/app:1.0', subject.digest, [key.privateKey]));
    const provider = ociProvider(reg);
    const sig = (await provider.listAttachments('team/app', subject.digest)).items.find((a) => a.kind === 'signature')!;
    const content = await provider.getAttachmentContent('team/app', sig);
    const view = content.view.body;
    assert.equal(view.type, 'signature');
    const where = { provider, repository: 'team/app', subject: subject.digest };
    const signal = new AbortController().signal;
    trustKeyForSession(undefined);
    assert.equal(await sessionSignatureVerifier(view as never, content, signal, where), undefined, 'no key given: the panel keeps "not verified"');
    trustKeyForSession(key.publicKeyPem);
    const ok = await sessionSignatureVerifier(view as never, content, signal, where);
    assert.equal(ok?.status, 'verified');
    assert.match(ok!.detail, /^Verified by key sha256:[0-9a-f]{64}/);
    trustKeyForSession(generateSigningKey().publicKeyPem);
    assert.equal((await sessionSignatureVerifier(view as never, content, signal, where))?.status, 'mismatch');
    trustKeyForSession('garbage');
    assert.deepEqual(await sessionSignatureVerifier(view as never, content, signal, where), { status: 'unchecked', detail: 'The text is not a PEM public key (-----BEGIN PUBLIC KEY-----)' });
    trustKeyForSession(undefined);
  });
});
