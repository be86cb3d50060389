import * as http from 'node:http';
import type { Logger } from '../../../src/registry/context';
import type { AttachmentContent } from '../../../src/registry/attachments';
import { RegistryError } from '../../../src/registry/errors';
import { OciProvider } from '../../../src/registry/oci/provider';
import { closeServer, listen } from '../../servers/kit/listen';
import { startOciServer, type OciServer } from '../../servers/ociServer';
import { attachSupplyChain, generateSigningKey, MT, push, referrerArtifact, sha256, storeSink, type Built, type Subject } from '../../support/supplyChain';
import { RELIABILITY_HTTP, type ReliabilitySubject } from '../subject';

/**
 * Attached artifacts (signatures, SBOMs, attestations) listed and read behind the fault proxy: the OCI fake with the
 * referrers API (paged by 1,000) holds a signed, attested image with SBOMs (`team/app:1.0`) and hostile attachments
 * of its own — an SBOM of about 6 MiB, one declared larger than what is read, JSON nested 100,000 deep, DSSE nested
 * in DSSE twenty times, a chain of referrers of referrers, a referrers list that names its subject, repeats itself and
 * links back to itself, and an image with 10,000 referrers. Every operation must
 * end in a typed error or a bounded result, under every generic hostile behaviour (Link loops included).
 */
const KEY = generateSigningKey();
const TITLE = 'org.opencontainers.image.title';
const empty = { mediaType: MT.empty, body: Buffer.from('{}') };

/** An SPDX 2.3 document of `n` packages (about 6 MiB for 40,000). */
function hugeSbom(n: number): Buffer {
  const packages = Array.from({ length: n }, (_, i) => ({ SPDXID: `SPDXRef-p${i}`, name: `package-${i}`, versionInfo: `1.${i}.0`, licenseConcluded: 'MIT', downloadLocation: 'NOASSERTION', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:npm/package-${i}@1.${i}.0` }] }));
  return Buffer.from(JSON.stringify({ spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', SPDXID: 'SPDXRef-DOCUMENT', name: 'huge', documentNamespace: 'https://example.invalid/huge', creationInfo: { created: '2026-11-01T12:00:00Z', creators: ['Tool: test'] }, packages }));
}

/** A DSSE envelope whose payload is a DSSE envelope, `depth` times (unsigned: the reader must stay bounded, not verify). */
function nestedDsse(depth: number): Buffer {
  let body = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} }));
  for (let i = 0; i < depth; i++) body = Buffer.from(JSON.stringify({ payloadType: i === 0 ? MT.inToto : MT.dsse, payload: body.toString('base64'), signatures: [{ keyid: '', sig: 'AAAA' }] }));
  return body;
}

const HUGE_SBOM = hugeSbom(40_000);
const DEEP_JSON = Buffer.from('['.repeat(100_000) + ']'.repeat(100_000));
const DEEP_STATEMENT = Buffer.from(JSON.stringify({ payloadType: MT.inToto, payload: Buffer.from(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","predicate":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`).toString('base64'), signatures: [] }));
const NESTED_DSSE = nestedDsse(20);

/** An artifact whose layer declares `size` bytes but whose blob is small (the reader must refuse before downloading). */
function oversized(subject: Subject): Built {
  const body = Buffer.from('{"spdxVersion":"SPDX-2.3"}');
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.manifest, artifactType: MT.spdxJson, config: { mediaType: MT.empty, digest: sha256(empty.body), size: 2 }, layers: [{ mediaType: MT.spdxJson, digest: sha256(body), size: 40 * 1024 * 1024 }], subject }));
  return { blobs: [empty.body, body], manifest, mediaType: MT.manifest, digest: sha256(manifest) };
}

/** 10,000 referrers of one image: small artifacts built once, stored in every case's fake. */
let many: { subject: Subject; built: Built[] } | undefined;
function manyReferrers(image: Subject): Built[] {
  if (many?.subject.digest === image.digest) return many.built;
  const built = Array.from({ length: 10_000 }, (_, i) => referrerArtifact(image, i % 2 ? MT.spdxJson : MT.inToto, [], { [TITLE]: `referrer ${i}` }));
  many = { subject: image, built };
  return built;
}

function subjectOf(reg: OciServer, repository: string): Subject {
  const digest = reg.digestOf(repository, '1.0')!;
  return { mediaType: MT.manifest, digest, size: 0 };
}

async function seed(reg: OciServer): Promise<void> {
  const sink = storeSink(reg);
  reg.addImage('team/app', '1.0');
  await attachSupplyChain(sink, 'team/app', 'team/app:1.0', subjectOf(reg, 'team/app'), { tagSchema: false, key: KEY, vulnerabilityReport: true });
  reg.addImage('hostile/blobs', '1.0');
  const h = subjectOf(reg, 'hostile/blobs');
  const sbom = referrerArtifact(h, MT.spdxJson, [{ mediaType: MT.spdxJson, body: HUGE_SBOM }]);
  const deep = referrerArtifact(h, MT.spdxJson, [{ mediaType: MT.spdxJson, body: DEEP_JSON }]);
  const predicate = { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v1' };
  const dsse = referrerArtifact(h, MT.inToto, [{ mediaType: MT.dsse, body: NESTED_DSSE }], predicate);
  const deepStatement = referrerArtifact(h, MT.inToto, [{ mediaType: MT.dsse, body: DEEP_STATEMENT }], predicate);
  for (const b of [sbom, deep, dsse, deepStatement, oversized(h)]) await push(sink, 'hostile/blobs', b);
  // A chain: an SBOM of the image, a signature of the SBOM, an attestation of that signature.
  let prev = h;
  for (let i = 0; i < 3; i++) {
    const b = referrerArtifact(prev, i % 2 ? MT.inToto : MT.spdxJson, [{ mediaType: MT.spdxJson, body: Buffer.from(`{"spdxVersion":"SPDX-2.3","name":"link ${i}"}`) }], { [TITLE]: `chain ${i}` });
    await push(sink, 'hostile/blobs', b);
    prev = { mediaType: MT.manifest, digest: b.digest, size: b.manifest.length };
  }
  reg.addImage('hostile/loop', '1.0');
  await push(sink, 'hostile/loop', referrerArtifact(subjectOf(reg, 'hostile/loop'), MT.spdxJson, [{ mediaType: MT.spdxJson, body: Buffer.from('{"spdxVersion":"SPDX-2.3","name":"loop"}') }]));
  reg.addImage('hostile/many', '1.0');
  for (const b of manyReferrers(subjectOf(reg, 'hostile/many'))) reg.putManifest('hostile/many', b.manifest, b.mediaType);
  for (const b of many!.built[0]!.blobs) reg.putBlob('hostile/many', b);
}

/** Lists what is attached to `repository:1.0` and reads every listed item, as the panel does one by one. */
async function readAll(p: OciProvider, repository: string, follow = 0): Promise<{ listed: number; more: number; read: number; failed: number; contents: AttachmentContent[] }> {
  const digest = (await p.getTagDetails(repository, '1.0')).digest;
  let list = await p.listAttachments(repository, digest);
  if (list.items.length > 200) throw new Error(`${list.items.length} items listed, more than the cap`);
  const contents: AttachmentContent[] = [];
  let failed = 0;
  // Referrers of referrers (the chain), a few hops at most.
  for (let hop = 0; hop <= follow; hop++) {
    for (const a of list.items.slice(0, 12)) {
      try {
        // What the panel shows: the view and the blobs' descriptors (not the bytes, which the suite's checks would walk).
        const c = await p.getAttachmentContent(repository, a);
        contents.push({ ...c, blobs: c.blobs.map((b) => ({ ...b, body: Buffer.alloc(0) })) });
      } catch (e) {
        // One item that cannot be read is shown as an error in its panel; it must be a typed one.
        failed++;
        if (!(e instanceof RegistryError)) throw e;
      }
    }
    const next = list.items.find((a) => a.annotations?.[TITLE]?.startsWith('chain')) ?? list.items.find((a) => a.source === 'referrers');
    if (!next || hop === follow) break;
    list = await p.listAttachments(repository, next.digest);
  }
  return { listed: list.items.length, more: list.more, read: contents.length, failed, contents };
}

const LOOP = /^\/v2\/hostile\/loop\/referrers\/(sha256:[0-9a-f]{64})/;

/**
 * A registry whose referrers of `hostile/loop` list the subject itself and every referrer twice, with a next-page
 * Link back to the same list: a loop the listing must cut (no self, no duplicates, a bounded number of pages).
 */
function loopingFront(upstream: string): http.Server {
  return http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', upstream);
    const loop = req.method === 'GET' ? LOOP.exec(target.pathname) : null;
    const up = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
      if (!loop || r.statusCode !== 200) {
        res.writeHead(r.statusCode ?? 502, r.headers);
        return void r.pipe(res);
      }
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => {
        const index = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { manifests: unknown[] };
        const self = { mediaType: MT.manifest, digest: loop[1], size: 500, artifactType: MT.spdxJson };
        const body = JSON.stringify({ ...index, manifests: [self, ...index.manifests, ...index.manifests, self] });
        const headers = { ...r.headers, 'content-length': String(Buffer.byteLength(body)), link: `<${target.pathname}?again=${Date.now()}>; rel="next"` };
        res.writeHead(200, headers).end(body);
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
}

/** The listing of `hostile/loop`, which must not name the subject nor any item twice. */
async function loopListing(p: OciProvider): Promise<unknown> {
  const digest = (await p.getTagDetails('hostile/loop', '1.0')).digest;
  const list = await p.listAttachments('hostile/loop', digest);
  if (list.items.some((a) => a.digest === digest)) throw new Error('the subject is listed as its own referrer');
  const keys = list.items.map((a) => `${a.digest}#${a.layer?.index ?? ''}`);
  if (new Set(keys).size !== keys.length) throw new Error('a referrer is listed twice');
  return list;
}

const VULN = 'https://cosign.sigstore.dev/attestation/vuln/v1';

/** Verifies the signatures with the signing key and reads the attached vulnerability report, as the scan panel does. */
async function verifyAndReport(p: OciProvider): Promise<unknown> {
  const digest = (await p.getTagDetails('team/app', '1.0')).digest;
  const list = await p.listAttachments('team/app', digest);
  const verified = await p.verifyAttachments('team/app', digest, list.items, KEY.publicKeyPem);
  const vuln = list.items.find((a) => a.predicateType === VULN);
  const report = vuln ? await p.getAttachedReport('team/app', vuln, { repository: 'team/app', reference: '1.0', digest }) : undefined;
  return { verified, report };
}

export const attachments: ReliabilitySubject = {
  name: 'Attachments',
  async startUpstream(username, password) {
    const s = await startOciServer({ auth: { type: 'basic', username, password }, referrersPageSize: 1000 });
    await seed(s);
    const front = loopingFront(s.url);
    const url = await listen(front);
    return {
      url,
      close: async () => {
        await closeServer(front);
        await s.close();
      },
    };
  },
  make: (url: string, logger: Logger, user: string, secret: string, tls?: { caFile: string }) =>
    new OciProvider({ connection: { id: 'r', kind: 'oci', url, username: user, ...tls }, credentials: async () => ({ username: user, secret }), logger, http: RELIABILITY_HTTP }),
  targets: {
    referrers: { path: /\/referrers\// },
    cosignTag: { path: /\/manifests\/sha256-[0-9a-f]{64}\.(sig|att|sbom)$/ },
    manifest: { method: /^(GET|HEAD)$/, path: /\/manifests\/(1\.0|sha256:)/ },
    blob: { path: /\/blobs\// },
  },
  operations: [
    { name: 'list attachments', targets: ['referrers', 'cosignTag', 'manifest'], run: async (p) => (p as OciProvider).listAttachments('team/app', (await (p as OciProvider).getTagDetails('team/app', '1.0')).digest) },
    { name: 'read attachments', targets: ['referrers', 'cosignTag', 'manifest', 'blob'], run: (p) => readAll(p as OciProvider, 'team/app') },
    { name: 'hostile blobs (huge SBOM, deep JSON, nested DSSE, oversized)', targets: ['referrers', 'manifest', 'blob'], run: (p) => readAll(p as OciProvider, 'hostile/blobs') },
    { name: 'referrers of referrers', targets: ['referrers', 'manifest', 'blob'], run: (p) => readAll(p as OciProvider, 'hostile/blobs', 3) },
    { name: 'verify and read the attached report', targets: ['referrers', 'cosignTag', 'manifest', 'blob'], run: (p) => verifyAndReport(p as OciProvider) },
    { name: 'referrer loop', targets: ['referrers', 'manifest'], run: (p) => loopListing(p as OciProvider) },
    { name: '10,000 referrers', targets: ['referrers', 'manifest'], run: (p) => readAll(p as OciProvider, 'hostile/many') },
  ],
};
