import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBoundedJson } from '../../src/registry/distribution/boundedJson';
import { parseDsse, parseSimpleSigning, parseStatement, readProvenance } from '../../src/registry/distribution/attestation';
import { MAX_SBOM_PACKAGES, parseSbom } from '../../src/registry/distribution/sbom';
import { packagesCsv } from '../../src/webviews/attachmentExport';
import { generateSigningKey, dsseEnvelope, simpleSigningPayload, slsaV02Statement, slsaV1Statement } from '../support/supplyChain';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../fixtures/sbom', name), 'utf8');

describe('SBOM parsing (published examples)', () => {
  it('reads the SPDX 2.3 example of the specification as a package table', () => {
    const doc = parseSbom(fixture('SPDXJSONExample-v2.3.spdx.json'));
    assert.equal(doc.format, 'spdx');
    assert.equal(doc.specVersion, 'SPDX-2.3');
    assert.equal(doc.name, 'SPDX-Tools-v2.0');
    assert.deepEqual(doc.packages.map((p) => p.name), ['glibc', 'Apache Commons Lang', 'Jena', 'Saxon']);
    const glibc = doc.packages[0];
    assert.deepEqual([glibc.version, glibc.license, glibc.type, glibc.purl], ['2.11.1', '(LGPL-2.0-only OR LicenseRef-3)', 'source', undefined]);
    // NOASSERTION is no licence.
    assert.equal(doc.packages[1].license, undefined);
    assert.deepEqual([doc.packages[2].purl, doc.packages[2].type], ['pkg:maven/org.apache.jena/apache-jena@3.12.0', 'maven']);
    assert.ok(doc.tools.includes('Tool: LicenseFind-1.0'));
  });

  it('reads the CycloneDX example with nested components, licences and purls', () => {
    const doc = parseSbom(fixture('cyclonedx-cern-lhc-vdm-editor.bom.json'));
    assert.equal(doc.format, 'cyclonedx');
    assert.equal(doc.specVersion, 'CycloneDX 1.2');
    assert.equal(doc.name, 'lhc-vdm-editor');
    assert.equal(doc.packages.length, 43);
    assert.deepEqual(doc.packages[0], { name: 'puppeteer', version: '1.19.0', type: 'npm', license: 'Apache-2.0', purl: 'pkg:npm/puppeteer@1.19.0' });
    assert.deepEqual(doc.tools, ['CycloneDX Node.js module 2.0.0']);
  });

  it('refuses what is neither, and caps the rows of a huge SBOM', () => {
    assert.throws(() => parseSbom('{"hello":1}'), /neither SPDX JSON nor CycloneDX JSON/);
    const many = { spdxVersion: 'SPDX-2.3', packages: Array.from({ length: MAX_SBOM_PACKAGES + 5 }, (_, i) => ({ name: `p${i}` })) };
    const doc = parseSbom(many);
    assert.equal(doc.packages.length, MAX_SBOM_PACKAGES);
    assert.equal(doc.omitted, 5);
  });

  it('exports CSV with quoting and no formula injection', () => {
    const csv = packagesCsv([{ name: '=cmd|calc', version: '1,2', license: 'say "hi"' }]);
    assert.equal(csv, 'name,version,type,license,purl\r\n\'=cmd|calc,"1,2",,"say ""hi""",\r\n');
  });
});

describe('hostile JSON in attachments', () => {
  it('refuses deep nesting before parsing (a million brackets)', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    assert.throws(() => parseBoundedJson(deep, 'The SBOM'), /nests deeper than 100 levels/);
    assert.throws(() => parseSbom(`{"spdxVersion":"SPDX-2.3","packages":${deep}}`), /nests deeper/);
  });

  it('brackets inside strings do not count', () => {
    assert.deepEqual(parseBoundedJson(JSON.stringify({ a: '['.repeat(500) + '\\"{' }), 'x'), { a: '['.repeat(500) + '\\"{' });
  });

  it('refuses a DSSE envelope nested in a DSSE envelope', () => {
    const { privateKey } = generateSigningKey();
    const inner = JSON.parse(dsseEnvelope({ predicateType: 'x' }, privateKey).toString('utf8')) as unknown;
    const outer = dsseEnvelope(inner, privateKey, 'application/vnd.dsse.envelope.v1+json').toString('utf8');
    assert.throws(() => parseDsse(outer, 'The attestation'), /DSSE envelope inside a DSSE envelope/);
  });
});

describe('provenance and signature payloads', () => {
  const { privateKey } = generateSigningKey();
  const digest = 'sha256:' + 'a'.repeat(64);

  it('SLSA v0.2: builder, source repository, commit, entry point, parameters', () => {
    const env = parseDsse(dsseEnvelope(slsaV02Statement('r/app', digest), privateKey).toString('utf8'), 'x');
    const st = parseStatement(env.payload.toString('utf8'), 'x');
    const p = readProvenance(st.predicateType, st.predicate)!;
    assert.equal(p.slsaVersion, 'v0.2');
    assert.equal(p.builder, 'https://github.com/example/builder/.github/workflows/build.yml@refs/heads/main');
    assert.equal(p.sourceRepository, 'https://github.com/example/app');
    assert.equal(p.commit, '4a5b6c7d8e9f00112233445566778899aabbccdd');
    assert.deepEqual(p.parameters, [['target', 'release'], ['platform', 'linux/amd64']]);
    assert.deepEqual(st.subject, [{ name: 'r/app', digest: { sha256: 'a'.repeat(64) } }]);
  });

  it('SLSA v1: builder from runDetails, repository and commit from the build definition', () => {
    const st = parseStatement(JSON.stringify(slsaV1Statement('r/app', digest)), 'x');
    const p = readProvenance(st.predicateType, st.predicate)!;
    assert.deepEqual([p.slsaVersion, p.builder, p.sourceRepository, p.commit, p.entryPoint], ['v1', 'https://github.com/actions/runner/github-hosted', 'https://github.com/example/app', '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c', '.github/workflows/release.yml']);
    assert.ok(p.parameters.some(([k, v]) => k === 'workflow.ref' && v === 'refs/tags/v1.0.0'));
    assert.equal(readProvenance('https://example.com/other', st.predicate), undefined);
  });

  it('simple signing: identity, digest (either spelling of the key), optional claims', () => {
    const s = parseSimpleSigning(simpleSigningPayload('reg/app:1', digest, { creator: 'ci' }).toString('utf8'), 'x');
    assert.deepEqual(s, { dockerReference: 'reg/app:1', manifestDigest: digest, type: 'cosign container image signature', optional: [['creator', 'ci']] });
    const spec = parseSimpleSigning(JSON.stringify({ critical: { image: { 'Docker-manifest-digest': digest } } }), 'x');
    assert.equal(spec.manifestDigest, digest);
  });
});
