import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { describeKeyless, describeCertificate, keylessText } from '../../src/registry/keyless';
import { KeyError, pae, parsePublicKey, verdictText, verifyDsse, verifySimpleSigning } from '../../src/registry/verify';
import { sha256Digest } from '../../src/registry/digest';
import { makeCertificate } from '../support/x509';

const DIGEST = 'sha256:' + 'ab'.repeat(32);
const OTHER = 'sha256:' + 'cd'.repeat(32);

function payloadFor(digest: string, extra: Record<string, unknown> = {}): Buffer {
  return Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': 'registry.test/app' }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' }, optional: extra }));
}

type Pair = { publicKey: crypto.KeyObject; privateKey: crypto.KeyObject };
const keys: Record<string, { pair: Pair; sign: (data: Buffer) => Buffer }> = {
  'ECDSA P-256': (() => {
    const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    return { pair, sign: (d) => crypto.sign('sha256', d, pair.privateKey) };
  })(),
  'ECDSA P-384': (() => {
    const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    return { pair, sign: (d) => crypto.sign('sha384', d, pair.privateKey) };
  })(),
  'RSA PKCS#1 v1.5': (() => {
    const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { pair, sign: (d) => crypto.sign('sha256', d, pair.privateKey) };
  })(),
  'RSA-PSS': (() => {
    const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { pair, sign: (d) => crypto.sign('sha256', d, { key: pair.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }) };
  })(),
  Ed25519: (() => {
    const pair = crypto.generateKeyPairSync('ed25519');
    return { pair, sign: (d) => crypto.sign(null, d, pair.privateKey) };
  })(),
};

const pemOf = (k: crypto.KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();

describe('signature verification (cosign simple signing, DSSE)', () => {
  for (const [name, { pair, sign }] of Object.entries(keys)) {
    it(`verifies a good ${name} signature and names the key`, () => {
      const key = parsePublicKey(pemOf(pair.publicKey));
      const payload = payloadFor(DIGEST);
      const v = verifySimpleSigning(key, { payload, signature: sign(payload).toString('base64'), manifestDigest: DIGEST, layerDigest: sha256Digest(payload) });
      assert.equal(v.status, 'verified', verdictText(v));
      assert.match(verdictText(v), new RegExp(`^Verified by key ${key.fingerprint}`));
    });

    it(`refuses a tampered payload and a wrong key (${name})`, () => {
      const key = parsePublicKey(pemOf(pair.publicKey));
      const payload = payloadFor(DIGEST);
      const signature = sign(payload).toString('base64');
      const tampered = payloadFor(DIGEST, { creator: 'someone else' });
      assert.equal(verifySimpleSigning(key, { payload: tampered, signature, manifestDigest: DIGEST }).status, 'mismatch');
      const other = parsePublicKey(pemOf(crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey));
      const v = verifySimpleSigning(other, { payload, signature, manifestDigest: DIGEST });
      assert.equal(v.status, 'mismatch');
      assert.equal(verdictText(v), `Signature does not match key ${other.fingerprint}`);
    });
  }

  it('says the payload is for another digest when a good signature names another image', () => {
    const { pair, sign } = keys['ECDSA P-256']!;
    const key = parsePublicKey(pemOf(pair.publicKey));
    const payload = payloadFor(OTHER);
    const v = verifySimpleSigning(key, { payload, signature: sign(payload).toString('base64'), manifestDigest: DIGEST });
    assert.equal(v.status, 'wrongDigest');
    assert.match(verdictText(v), /^Payload is for another digest: it names sha256:cdcd.*, not sha256:abab/);
  });

  it('reads the digest key without case, as cosign does (the spec example writes "Docker-manifest-digest")', () => {
    const { pair, sign } = keys.Ed25519!;
    const payload = Buffer.from(JSON.stringify({ critical: { image: { 'Docker-manifest-digest': DIGEST }, type: 'cosign container image signature' } }));
    assert.equal(verifySimpleSigning(parsePublicKey(pemOf(pair.publicKey)), { payload, signature: sign(payload).toString('base64'), manifestDigest: DIGEST }).status, 'verified');
  });

  it('reports malformed inputs instead of guessing', () => {
    const { pair, sign } = keys['ECDSA P-256']!;
    const key = parsePublicKey(pemOf(pair.publicKey));
    const payload = payloadFor(DIGEST);
    const signature = sign(payload).toString('base64');
    const reason = (v: ReturnType<typeof verifySimpleSigning>) => (v.status === 'malformed' ? v.reason : v.status);
    assert.match(reason(verifySimpleSigning(key, { payload, signature: 'not base64 !!', manifestDigest: DIGEST })), /not base64/);
    assert.match(reason(verifySimpleSigning(key, { payload, signature, manifestDigest: 'md5:abc' })), /not a sha256 or sha512 digest/);
    assert.match(reason(verifySimpleSigning(key, { payload, signature, manifestDigest: DIGEST, layerDigest: OTHER })), /does not match the digest of its layer/);
    const notJson = Buffer.from('not json');
    assert.match(reason(verifySimpleSigning(key, { payload: notJson, signature: sign(notJson).toString('base64'), manifestDigest: DIGEST })), /not a simple-signing document/);
    const noDigest = Buffer.from(JSON.stringify({ critical: { type: 'cosign container image signature', image: {} } }));
    assert.match(reason(verifySimpleSigning(key, { payload: noDigest, signature: sign(noDigest).toString('base64'), manifestDigest: DIGEST })), /names no critical.image.docker-manifest-digest/);
    const otherType = Buffer.from(JSON.stringify({ critical: { type: 'atomic', image: { 'docker-manifest-digest': DIGEST } } }));
    assert.match(reason(verifySimpleSigning(key, { payload: otherType, signature: sign(otherType).toString('base64'), manifestDigest: DIGEST })), /not a cosign container image signature/);
  });

  it('takes only one public key: a private key, garbage, weak RSA and several blocks are refused without quoting them', () => {
    const { pair } = keys['ECDSA P-256']!;
    const priv = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => parsePublicKey(priv), (e: unknown) => e instanceof KeyError && /private key/.test(e.message) && !e.message.includes('BEGIN'));
    assert.throws(() => parsePublicKey('hello'), /not a PEM public key/);
    assert.throws(() => parsePublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'), /not a readable public key/);
    assert.throws(() => parsePublicKey(pemOf(pair.publicKey) + pemOf(pair.publicKey)), /2 PEM blocks/);
    assert.throws(() => parsePublicKey(pemOf(crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)), /shorter than 2048/);
    assert.throws(() => parsePublicKey(pemOf(crypto.generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey)), /curve secp256k1 are not supported/);
    // A PEM pasted into a one-line input (line breaks turned into spaces) is the same key.
    const oneLine = pemOf(pair.publicKey).replace(/\n/g, ' ');
    assert.equal(parsePublicKey(oneLine).fingerprint, parsePublicKey(pemOf(pair.publicKey)).fingerprint);
    // The fingerprint is the key's, whatever its encoding: SPKI PEM and PKCS#1 PEM of one RSA key agree.
    const rsa = keys['RSA PKCS#1 v1.5']!.pair.publicKey;
    assert.equal(parsePublicKey(rsa.export({ type: 'pkcs1', format: 'pem' }).toString()).fingerprint, parsePublicKey(pemOf(rsa)).fingerprint);
  });

  describe('DSSE attestations', () => {
    const statement = (digest: string) => Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v0.1', subject: [{ name: 'registry.test/app', digest: { sha256: digest.slice(7) } }], predicateType: 'https://slsa.dev/provenance/v0.2', predicate: {} }));
    const envelope = (body: Buffer, sign: (d: Buffer) => Buffer, type = 'application/vnd.in-toto+json') =>
      JSON.stringify({ payloadType: type, payload: body.toString('base64'), signatures: [{ keyid: '', sig: sign(pae(type, body)).toString('base64') }] });

    it('verifies the envelope over PAE and the subject digest', () => {
      const { pair, sign } = keys['ECDSA P-256']!;
      const key = parsePublicKey(pemOf(pair.publicKey));
      const v = verifyDsse(key, envelope(statement(DIGEST), sign), DIGEST);
      assert.equal(v.status, 'verified');
      assert.equal(v.status === 'verified' && v.predicateType, 'https://slsa.dev/provenance/v0.2');
      assert.equal(pae('t', Buffer.from('ab')).toString(), 'DSSEv1 1 t 2 ab');
    });

    it('refuses a changed payload type, a statement for another digest, a wrong key and malformed envelopes', () => {
      const { pair, sign } = keys['RSA PKCS#1 v1.5']!;
      const key = parsePublicKey(pemOf(pair.publicKey));
      const good = JSON.parse(envelope(statement(DIGEST), sign)) as { payloadType: string };
      assert.equal(verifyDsse(key, JSON.stringify({ ...good, payloadType: 'text/plain' }), DIGEST).status, 'mismatch');
      assert.equal(verifyDsse(key, envelope(statement(OTHER), sign), DIGEST).status, 'wrongDigest');
      const other = parsePublicKey(pemOf(keys.Ed25519!.pair.publicKey));
      assert.equal(verifyDsse(other, JSON.stringify(good), DIGEST).status, 'mismatch');
      for (const bad of ['{', '[]', '{"payloadType":"x","payload":"e30=","signatures":[]}', '{"payloadType":"x","payload":"%%%","signatures":[{"sig":"AA=="}]}']) {
        assert.equal(verifyDsse(key, bad, DIGEST).status, 'malformed', bad);
      }
    });
  });

  describe('keyless signatures', () => {
    it('shows the certificate identity and the Fulcio issuer, marked not verified offline', () => {
      const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const cert = makeCertificate(pair.publicKey, { emails: ['dev@example.com'], issuer: 'https://accounts.google.com', sourceRepository: 'https://github.com/acme/app' });
      const payload = payloadFor(DIGEST);
      const annotations = {
        'dev.cosignproject.cosign/signature': crypto.sign('sha256', payload, pair.privateKey).toString('base64'),
        'dev.sigstore.cosign/certificate': cert,
        'dev.sigstore.cosign/bundle': JSON.stringify({ SignedEntryTimestamp: 'AA==', Payload: { body: 'e30=', integratedTime: 1624396085, logIndex: 5179, logID: 'c0d23d6ad406973f9559f3ba2d1ca01f84147d8ffc5b8445c224f98b9591801d' } }),
      };
      const info = describeKeyless(annotations, payload)!;
      assert.deepEqual(info.identities, ['dev@example.com']);
      assert.equal(info.issuer, 'https://accounts.google.com');
      assert.equal(info.details['Source repository'], 'https://github.com/acme/app');
      assert.equal(info.rekor?.logIndex, 5179);
      assert.equal(info.signatureMatchesCertificateKey, true);
      assert.equal(info.verification, 'notVerifiedOffline');
      assert.equal(keylessText(info), 'Keyless signature by dev@example.com (issuer https://accounts.google.com) — not verified offline');
    });

    it('reads the older issuer extension (.1.1) and URI identities; strips control characters', () => {
      const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const info = describeCertificate(makeCertificate(pair.publicKey, { uris: ['https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main\n[x](javascript:1)'], issuer: 'https://token.actions.githubusercontent.com', issuerV1: true }));
      assert.deepEqual(info.identities, ['https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main [x](javascript:1)']);
      assert.equal(info.issuer, 'https://token.actions.githubusercontent.com');
      assert.equal(describeKeyless({}), undefined);
      assert.throws(() => describeKeyless({ 'dev.sigstore.cosign/certificate': 'garbage' }), /not a readable X.509 certificate/);
    });
  });
});
