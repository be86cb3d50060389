/**
 * Builds supply-chain attachments the way cosign and OCI 1.1 clients write them, with no cosign binary: keys come
 * from node:crypto, payloads follow the vendored documents (cosign SIGNATURE_SPEC, ATTESTATION_SPEC, SBOM_SPEC, DSSE,
 * in-toto Statement, SLSA provenance v0.2 / v1, SPDX 2.3, OCI image-spec artifact guidance).
 *
 * - `cosign*`: the `sha256-<hex>.sig|.att|.sbom` tag manifests (one layer per item, signature in the
 *   `dev.cosignproject.cosign/signature` layer annotation);
 * - `referrerArtifact`: an OCI 1.1 artifact manifest with `artifactType` and `subject`;
 * - `referrersIndex`: the referrers tag schema's index (`sha256-<hex>`) for registries without the referrers API;
 * - `attachSupplyChain`: pushes a signature, an SBOM and an attestation (cosign tags) plus an SPDX SBOM and a SLSA v1
 *   provenance as referrers, and optionally a cosign vulnerability attestation (Trivy report), through a sink (the OCI
 *   fake's store, or HTTP to a real registry).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { Agent, request as undiciRequest } from 'undici';
import { SBOM_PACKAGES, VULN_FINDINGS } from './supplyChainData';

export { SBOM_PACKAGES, VULN_FINDINGS } from './supplyChainData';

export const MT = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  empty: 'application/vnd.oci.empty.v1+json',
  simpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  dsse: 'application/vnd.dsse.envelope.v1+json',
  inToto: 'application/vnd.in-toto+json',
  spdxJson: 'application/spdx+json',
  cosignSpdx: 'text/spdx+json',
} as const;

export const COSIGN_SIGNATURE = 'dev.cosignproject.cosign/signature';

export interface Subject {
  mediaType: string;
  digest: string;
  size: number;
}

export interface Blob {
  mediaType: string;
  body: Buffer;
  annotations?: Record<string, string>;
}

/** A manifest to push with its blobs; `tag` when it is pushed under a tag. */
export interface Built {
  blobs: Buffer[];
  manifest: Buffer;
  mediaType: string;
  digest: string;
  tag?: string;
}

export function sha256(b: Buffer | string): string {
  return 'sha256:' + crypto.createHash('sha256').update(b).digest('hex');
}

/** An ECDSA P-256 key pair (cosign's default scheme), PEM-encoded. */
export function generateSigningKey(curve: 'P-256' | 'P-384' = 'P-256'): { privateKey: crypto.KeyObject; publicKeyPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: curve });
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** cosign's simple-signing payload for a manifest digest (critical.identity, critical.image, critical.type). */
export function simpleSigningPayload(reference: string, digest: string, optional: Record<string, unknown> = {}): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: { identity: { 'docker-reference': reference }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' },
      optional: Object.keys(optional).length ? optional : null,
    }),
  );
}

/** Base64 of an ECDSA/RSA/Ed25519 signature of `payload` (SHA-256, DER for ECDSA), as cosign stores it. */
export function signPayload(payload: Buffer, key: crypto.KeyObject): string {
  const alg = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return crypto.sign(alg, payload, key).toString('base64');
}

/** DSSE pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(body)> <body>`. */
export function pae(payloadType: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(payloadType)} ${payloadType} ${body.length} `), body]);
}

/** A DSSE envelope of an in-toto statement, signed with `key`. */
export function dsseEnvelope(statement: unknown, key: crypto.KeyObject, payloadType: string = MT.inToto): Buffer {
  const body = Buffer.from(JSON.stringify(statement));
  return Buffer.from(JSON.stringify({ payloadType, payload: body.toString('base64'), signatures: [{ keyid: '', sig: signPayload(pae(payloadType, body), key) }] }));
}

function subjectOf(name: string, digest: string): { name: string; digest: Record<string, string> }[] {
  const [alg, hex] = digest.split(':');
  return [{ name, digest: { [alg]: hex } }];
}

/** An in-toto v0.1 statement with a SLSA v0.2 provenance predicate (what `cosign attest --type slsaprovenance` writes). */
export function slsaV02Statement(name: string, digest: string): unknown {
  return {
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://slsa.dev/provenance/v0.2',
    subject: subjectOf(name, digest),
    predicate: {
      builder: { id: 'https://github.com/example/builder/.github/workflows/build.yml@refs/heads/main' },
      buildType: 'https://github.com/Attestations/GitHubActionsWorkflow@v1',
      invocation: {
        configSource: { uri: 'git+https://github.com/example/app@refs/heads/main', digest: { sha1: '4a5b6c7d8e9f00112233445566778899aabbccdd' }, entryPoint: '.github/workflows/build.yml' },
        parameters: { target: 'release', platform: 'linux/amd64' },
      },
      metadata: { buildStartedOn: '2026-11-01T11:58:00Z', buildFinishedOn: '2026-11-01T12:00:00Z' },
      materials: [{ uri: 'git+https://github.com/example/app@refs/heads/main', digest: { sha1: '4a5b6c7d8e9f00112233445566778899aabbccdd' } }],
    },
  };
}

/** An in-toto v1 statement with a SLSA v1 provenance predicate (buildDefinition / runDetails). */
export function slsaV1Statement(name: string, digest: string): unknown {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    predicateType: 'https://slsa.dev/provenance/v1',
    subject: subjectOf(name, digest),
    predicate: {
      buildDefinition: {
        buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        externalParameters: { workflow: { ref: 'refs/tags/v1.0.0', repository: 'https://github.com/example/app', path: '.github/workflows/release.yml' } },
        internalParameters: { github: { event_name: 'push' } },
        resolvedDependencies: [{ uri: 'git+https://github.com/example/app@refs/tags/v1.0.0', digest: { gitCommit: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c' } }],
      },
      runDetails: { builder: { id: 'https://github.com/actions/runner/github-hosted' }, metadata: { invocationId: 'https://github.com/example/app/actions/runs/1/attempts/1', startedOn: '2026-11-01T12:00:00Z' } },
    },
  };
}


/**
 * An in-toto v0.1 statement with cosign's vulnerability predicate (`cosign attest --type vuln`, cosign
 * COSIGN_VULN_ATTESTATION_SPEC): scanner Trivy, `scanner.result` a Trivy JSON report (SchemaVersion 2) of VULN_FINDINGS.
 */
export function cosignVulnStatement(name: string, digest: string): unknown {
  return {
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1',
    subject: subjectOf(name, digest),
    predicate: {
      invocation: { parameters: ['--format=json'], uri: 'https://github.com/example/app/actions/runs/1', event_id: '1', 'builder.id': 'GitHub Actions' },
      scanner: {
        uri: 'pkg:github/aquasecurity/trivy@0.57.0',
        version: '0.57.0',
        db: { uri: 'pkg:github/aquasecurity/trivy-db/commit/4c76bb580b2736d67751410fa4ab66d2b6b9b27d', version: 'v2-2026110106' },
        result: {
          SchemaVersion: 2,
          CreatedAt: '2026-11-01T12:05:00Z',
          ArtifactName: name,
          ArtifactType: 'container_image',
          Metadata: { OS: { Family: 'alpine', Name: '3.20.3' }, RepoDigests: [`${name.replace(/:[^:/]+$/, '')}@${digest}`] },
          Results: [
            {
              Target: `${name} (alpine 3.20.3)`,
              Class: 'os-pkgs',
              Type: 'alpine',
              Vulnerabilities: VULN_FINDINGS.map((v) => ({
                VulnerabilityID: v.id,
                PkgName: v.pkg,
                InstalledVersion: v.installed,
                ...(v.fixed ? { FixedVersion: v.fixed } : {}),
                Severity: v.severity,
                Title: v.title,
                PrimaryURL: `https://avd.aquasec.com/nvd/${v.id.toLowerCase()}`,
                CVSS: { nvd: { V3Score: v.score } },
              })),
            },
          ],
        },
      },
      metadata: { scanStartedOn: '2026-11-01T12:04:00Z', scanFinishedOn: '2026-11-01T12:05:00Z' },
    },
  };
}

/** A small SPDX 2.3 JSON document listing `packages` (name, version, license, purl). */
export function spdxDocument(name: string, packages: { name: string; version: string; license?: string; purl?: string }[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name,
      documentNamespace: `https://example.com/spdx/${encodeURIComponent(name)}`,
      creationInfo: { created: '2026-11-01T12:00:00Z', creators: ['Tool: registry-explorer-tests'] },
      packages: packages.map((p, i) => ({
        SPDXID: `SPDXRef-Package-${i}`,
        name: p.name,
        versionInfo: p.version,
        downloadLocation: 'NOASSERTION',
        licenseConcluded: p.license ?? 'NOASSERTION',
        licenseDeclared: p.license ?? 'NOASSERTION',
        ...(p.purl ? { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl }] } : {}),
      })),
    }),
  );
}

/** An image manifest whose layers are `blobs` (cosign's layout: an image config naming the layers as diff_ids). */
function cosignManifest(blobs: Blob[], tag: string): Built {
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      config: {},
      created: '0001-01-01T00:00:00Z',
      history: [{ created: '0001-01-01T00:00:00Z' }],
      os: '',
      rootfs: { type: 'layers', diff_ids: blobs.map((b) => sha256(b.body)) },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MT.manifest,
      config: { mediaType: MT.config, size: config.length, digest: sha256(config) },
      layers: blobs.map((b) => ({ mediaType: b.mediaType, size: b.body.length, digest: sha256(b.body), ...(b.annotations ? { annotations: b.annotations } : {}) })),
    }),
  );
  return { blobs: [config, ...blobs.map((b) => b.body)], manifest, mediaType: MT.manifest, digest: sha256(manifest), tag };
}

/** cosign's tag for a digest: `sha256-<hex>.<suffix>`. */
export function cosignTagOf(digest: string, suffix: 'sig' | 'att' | 'sbom'): string {
  return `${digest.replace(':', '-')}.${suffix}`;
}

/** The `.sig` manifest: one simple-signing payload per signature, signed with each key. */
export function cosignSignature(reference: string, digest: string, keys: crypto.KeyObject[], optional: Record<string, unknown> = {}): Built & { payload: Buffer; signatures: string[] } {
  const payload = simpleSigningPayload(reference, digest, optional);
  const signatures = keys.map((k) => signPayload(payload, k));
  const built = cosignManifest(
    signatures.map((sig) => ({ mediaType: MT.simpleSigning, body: payload, annotations: { [COSIGN_SIGNATURE]: sig } })),
    cosignTagOf(digest, 'sig'),
  );
  return { ...built, payload, signatures };
}

/** The `.att` manifest: DSSE envelopes, with cosign's `predicateType` layer annotation. */
export function cosignAttestation(digest: string, statements: { predicateType: string; statement: unknown }[], key: crypto.KeyObject): Built {
  return cosignManifest(
    statements.map((s) => ({ mediaType: MT.dsse, body: dsseEnvelope(s.statement, key), annotations: { [COSIGN_SIGNATURE]: '', predicateType: s.predicateType } })),
    cosignTagOf(digest, 'att'),
  );
}

/** The `.sbom` manifest (cosign attach sbom): one SBOM layer. */
export function cosignSbom(digest: string, sbom: Buffer, mediaType: string = MT.cosignSpdx): Built {
  return cosignManifest([{ mediaType, body: sbom }], cosignTagOf(digest, 'sbom'));
}

/** An OCI 1.1 artifact manifest (image-spec "Guidelines for Artifact Usage"): empty config, `artifactType`, `subject`. */
export function referrerArtifact(subject: Subject, artifactType: string, layers: Blob[], annotations: Record<string, string> = {}): Built {
  const empty = Buffer.from('{}');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MT.manifest,
      artifactType,
      config: { mediaType: MT.empty, digest: sha256(empty), size: empty.length, data: empty.toString('base64') },
      layers: layers.map((b) => ({ mediaType: b.mediaType, digest: sha256(b.body), size: b.body.length, ...(b.annotations ? { annotations: b.annotations } : {}) })),
      subject,
      annotations: { 'org.opencontainers.image.created': '2026-11-01T12:00:00Z', ...annotations },
    }),
  );
  return { blobs: [empty, ...layers.map((b) => b.body)], manifest, mediaType: MT.manifest, digest: sha256(manifest) };
}

/** The referrers tag schema's index for `subject` listing `artifacts` (what a client pushes when the API is absent). */
export function referrersIndex(subject: Subject, artifacts: Built[]): Built {
  const manifests = artifacts.map((a) => {
    const doc = JSON.parse(a.manifest.toString('utf8')) as { artifactType?: string; annotations?: Record<string, string> };
    return { mediaType: a.mediaType, digest: a.digest, size: a.manifest.length, ...(doc.artifactType ? { artifactType: doc.artifactType } : {}), ...(doc.annotations ? { annotations: doc.annotations } : {}) };
  });
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.index, manifests }));
  return { blobs: [], manifest, mediaType: MT.index, digest: sha256(manifest), tag: subject.digest.replace(':', '-') };
}

/** Where built manifests go. */
export interface ArtifactSink {
  putBlob(repository: string, body: Buffer): Promise<void>;
  putManifest(repository: string, reference: string, body: Buffer, mediaType: string): Promise<void>;
}

/** Pushes blobs, then the manifest (by tag, else by digest). */
export async function push(sink: ArtifactSink, repository: string, built: Built): Promise<void> {
  for (const b of built.blobs) await sink.putBlob(repository, b);
  await sink.putManifest(repository, built.tag ?? built.digest, built.manifest, built.mediaType);
}

/** A sink for the OCI fake's store. */
export function storeSink(server: { putBlob(r: string, b: Buffer): string; putManifest(r: string, b: Buffer, mt: string, tag?: string): string }): ArtifactSink {
  return {
    putBlob: async (r, b) => {
      server.putBlob(r, b);
    },
    putManifest: async (r, ref, body, mt) => {
      server.putManifest(r, body, mt, ref.startsWith('sha256:') ? undefined : ref);
    },
  };
}

/** A sink over HTTP (monolithic blob upload, manifest PUT) with Basic auth, for the real registry. */
export function httpSink(reg: { url: string; caFile?: string; username?: string; password?: string }): ArtifactSink & { close(): Promise<void> } {
  const agent = new Agent({ connect: reg.caFile ? { ca: fs.readFileSync(reg.caFile, 'utf8') } : {} });
  const auth: Record<string, string> = reg.username ? { authorization: `Basic ${Buffer.from(`${reg.username}:${reg.password ?? ''}`).toString('base64')}` } : {};
  const call = async (method: 'HEAD' | 'POST' | 'PUT', url: string, body?: Buffer, headers: Record<string, string> = {}) => {
    const res = await undiciRequest(new URL(url, reg.url), { method, dispatcher: agent, headers: { ...auth, ...headers }, body });
    const text = await res.body.text();
    return { status: res.statusCode, text, location: res.headers.location as string | undefined };
  };
  return {
    putBlob: async (r, b) => {
      const digest = sha256(b);
      if ((await call('HEAD', `/v2/${r}/blobs/${digest}`)).status === 200) return;
      const start = await call('POST', `/v2/${r}/blobs/uploads/`);
      if (start.status !== 202 || !start.location) throw new Error(`blob upload start: ${start.status} ${start.text.slice(0, 200)}`);
      const loc = new URL(start.location, reg.url);
      loc.searchParams.set('digest', digest);
      const put = await call('PUT', loc.href, b, { 'content-type': 'application/octet-stream' });
      if (put.status !== 201) throw new Error(`blob upload: ${put.status} ${put.text.slice(0, 200)}`);
    },
    putManifest: async (r, ref, body, mt) => {
      const put = await call('PUT', `/v2/${r}/manifests/${ref}`, body, { 'content-type': mt });
      if (put.status !== 201) throw new Error(`PUT ${r}:${ref} answered ${put.status}: ${put.text.slice(0, 300)}`);
    },
    close: () => agent.close(),
  };
}


export interface SupplyChainSet {
  publicKeyPem: string;
  signature: { tag: string; digest: string; payload: string; signature: string };
  attestation: { tag: string; digest: string; predicateType: string };
  sbom: { tag: string; digest: string };
  /** OCI 1.1 artifacts with `subject` (found through the referrers API, or the tag schema index). */
  referrers: { sbom: string; provenance: string };
  /** The referrers tag schema index, when pushed (registries without the referrers API). */
  referrersTag?: string;
}

/**
 * Pushes to `repository` what a signed, attested image carries: a cosign signature, a SLSA v0.2 attestation and an
 * SPDX SBOM under cosign's tags; an SPDX SBOM and a SLSA v1 provenance as OCI 1.1 referrers, plus their tag schema
 * index when `tagSchema` (the registry has no referrers API).
 */
export async function attachSupplyChain(sink: ArtifactSink, repository: string, reference: string, subject: Subject, opts: { tagSchema: boolean; key?: ReturnType<typeof generateSigningKey>; vulnerabilityReport?: boolean }): Promise<SupplyChainSet> {
  const key = opts.key ?? generateSigningKey();
  const sig = cosignSignature(reference, subject.digest, [key.privateKey], { creator: 'registry-explorer-tests' });
  const statements = [{ predicateType: 'https://slsa.dev/provenance/v0.2', statement: slsaV02Statement(reference, subject.digest) }];
  // `cosign attest --type vuln` adds a layer to the same .att manifest.
  if (opts.vulnerabilityReport) statements.push({ predicateType: 'https://cosign.sigstore.dev/attestation/vuln/v1', statement: cosignVulnStatement(reference, subject.digest) });
  const att = cosignAttestation(subject.digest, statements, key.privateKey);
  const sbom = cosignSbom(subject.digest, spdxDocument(reference, SBOM_PACKAGES));
  const refSbom = referrerArtifact(subject, MT.spdxJson, [{ mediaType: MT.spdxJson, body: spdxDocument(`${reference} (referrer)`, SBOM_PACKAGES) }]);
  const refProv = referrerArtifact(subject, MT.inToto, [{ mediaType: MT.dsse, body: dsseEnvelope(slsaV1Statement(reference, subject.digest), key.privateKey) }], { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v1' });
  for (const b of [sig, att, sbom, refSbom, refProv]) await push(sink, repository, b);
  let referrersTag: string | undefined;
  if (opts.tagSchema) {
    const idx = referrersIndex(subject, [refSbom, refProv]);
    await push(sink, repository, idx);
    referrersTag = idx.tag;
  }
  return {
    publicKeyPem: key.publicKeyPem,
    signature: { tag: sig.tag!, digest: sig.digest, payload: sig.payload.toString('utf8'), signature: sig.signatures[0] },
    attestation: { tag: att.tag!, digest: att.digest, predicateType: 'https://slsa.dev/provenance/v0.2' },
    sbom: { tag: sbom.tag!, digest: sbom.digest },
    referrers: { sbom: refSbom.digest, provenance: refProv.digest },
    referrersTag,
  };
}
