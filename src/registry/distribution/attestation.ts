/**
 * Signed statements attached to images: DSSE envelopes (github.com/secure-systems-lab/dsse envelope.md) holding
 * in-toto statements (in-toto/attestation spec v0.1 and v1: `_type`, `subject`, `predicateType`, `predicate`), SLSA
 * provenance predicates (v0.2: `builder.id`, `invocation.configSource`, `invocation.parameters`, `materials`; v1:
 * `buildDefinition`, `runDetails.builder.id`, `resolvedDependencies`), and cosign simple-signing payloads
 * (containers-signature JSON: `critical.identity`, `critical.image`, `critical.type`, `optional`). Reading only:
 * nothing here says whether a signature is valid.
 */
import { X509Certificate } from 'node:crypto';
import { arr, obj, parseBoundedJson, str } from './boundedJson';
import { BadResponseError } from '../errors';

export interface DsseEnvelope {
  payloadType: string;
  payload: Buffer;
  signatures: { keyid?: string; sig: string }[];
}

export interface InTotoStatement {
  type?: string;
  predicateType: string;
  subject: { name?: string; digest: Record<string, string> }[];
  predicate: unknown;
}

/** Reads a DSSE envelope; a payload that is itself an envelope (nesting) is refused. */
export function parseDsse(text: string, what: string): DsseEnvelope {
  const e = obj(parseBoundedJson(text, what));
  const payloadType = str(e?.payloadType, 200);
  const payload = str(e?.payload, 64 * 1024 * 1024);
  if (!e || !payloadType || payload === undefined) throw new BadResponseError(`${what} is not a DSSE envelope (payloadType and payload are required)`);
  const decoded = Buffer.from(payload, 'base64');
  const signatures = arr(e.signatures)
    .map(obj)
    .filter((s): s is Record<string, unknown> => !!s && typeof s.sig === 'string')
    .slice(0, 20)
    .map((s) => ({ keyid: str(s.keyid, 200), sig: str(s.sig, 10_000)! }));
  if (payloadType === 'application/vnd.dsse.envelope.v1+json') throw new BadResponseError(`${what}: a DSSE envelope inside a DSSE envelope is not read`);
  return { payloadType, payload: decoded, signatures };
}

/** Reads an in-toto statement (v0.1 or v1). */
export function parseStatement(text: string, what: string): InTotoStatement {
  const s = obj(parseBoundedJson(text, what));
  const predicateType = str(s?.predicateType, 500);
  if (!s || !predicateType) throw new BadResponseError(`${what} is not an in-toto statement (predicateType is missing)`);
  const subject = arr(s.subject)
    .slice(0, 100)
    .map(obj)
    .filter((x): x is Record<string, unknown> => !!x)
    .map((x) => ({ name: str(x.name, 500), digest: Object.fromEntries(Object.entries(obj(x.digest) ?? {}).filter(([, v]) => typeof v === 'string').map(([k, v]) => [k.slice(0, 20), (v as string).slice(0, 200)])) }));
  return { type: str(s._type, 200), predicateType, subject, predicate: s.predicate };
}

export interface Provenance {
  /** `v0.2` or `v1`. */
  slsaVersion: string;
  builder?: string;
  buildType?: string;
  sourceRepository?: string;
  commit?: string;
  entryPoint?: string;
  /** Build parameters, flattened to `a.b.c` → value (first 100). */
  parameters: [string, string][];
  startedOn?: string;
  finishedOn?: string;
  materials: { uri: string; digest?: string }[];
}

/** Flattens an object to dotted keys and string values (bounded in entries and depth). */
function flatten(v: unknown, prefix: string, out: [string, string][], depth = 0): void {
  if (out.length >= 100) return;
  const o = obj(v);
  if (o && depth < 8) {
    for (const [k, x] of Object.entries(o)) flatten(x, prefix ? `${prefix}.${k}` : k, out, depth + 1);
    return;
  }
  if (v === undefined) return;
  out.push([prefix.slice(0, 200), (typeof v === 'string' ? v : JSON.stringify(v)).slice(0, 1000)]);
}

function firstDigest(d: unknown): string | undefined {
  const o = obj(d);
  if (!o) return undefined;
  for (const k of ['gitCommit', 'sha1', 'sha256', 'sha512']) if (typeof o[k] === 'string') return (o[k] as string).slice(0, 200);
  return undefined;
}

function materials(list: unknown): Provenance['materials'] {
  return arr(list)
    .slice(0, 100)
    .map(obj)
    .filter((m): m is Record<string, unknown> => !!m && typeof m.uri === 'string')
    .map((m) => ({ uri: str(m.uri, 1000)!, digest: firstDigest(m.digest) }));
}

/** `git+https://github.com/a/b@refs/heads/main` → `https://github.com/a/b`. */
function repoOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  return uri.replace(/^git\+/, '').replace(/@[^@/]*(?:\/[^@]*)?$/, '');
}

/** The provenance facts a reviewer looks at, from a SLSA v0.2 or v1 predicate; undefined for other predicates. */
export function readProvenance(predicateType: string, predicate: unknown): Provenance | undefined {
  const p = obj(predicate);
  if (!p) return undefined;
  if (/^https:\/\/slsa\.dev\/provenance\/v0\.[12]\/?$/.test(predicateType)) {
    const inv = obj(p.invocation);
    const src = obj(inv?.configSource);
    const meta = obj(p.metadata);
    const parameters: [string, string][] = [];
    flatten(inv?.parameters, '', parameters);
    const mats = materials(p.materials);
    const uri = str(src?.uri, 1000) ?? mats[0]?.uri;
    return {
      slsaVersion: predicateType.replace(/\/$/, '').slice(predicateType.lastIndexOf('/v') + 1),
      builder: str(obj(p.builder)?.id, 1000),
      buildType: str(p.buildType, 1000),
      sourceRepository: repoOf(uri),
      commit: firstDigest(src?.digest) ?? mats[0]?.digest,
      entryPoint: str(src?.entryPoint, 1000),
      parameters,
      startedOn: str(meta?.buildStartedOn, 40),
      finishedOn: str(meta?.buildFinishedOn, 40),
      materials: mats,
    };
  }
  if (/^https:\/\/slsa\.dev\/provenance\/v1(?:\.\d+)?\/?$/.test(predicateType)) {
    const def = obj(p.buildDefinition);
    const run = obj(p.runDetails);
    const meta = obj(run?.metadata);
    const parameters: [string, string][] = [];
    flatten(def?.externalParameters, '', parameters);
    const deps = materials(def?.resolvedDependencies);
    const wf = obj(obj(def?.externalParameters)?.workflow);
    return {
      slsaVersion: 'v1',
      builder: str(obj(run?.builder)?.id, 1000),
      buildType: str(def?.buildType, 1000),
      sourceRepository: str(wf?.repository, 1000) ?? repoOf(deps[0]?.uri),
      commit: deps[0]?.digest,
      entryPoint: str(wf?.path, 1000),
      parameters,
      startedOn: str(meta?.startedOn, 40),
      finishedOn: str(meta?.finishedOn, 40),
      materials: deps,
    };
  }
  return undefined;
}

export interface SimpleSigning {
  dockerReference?: string;
  manifestDigest?: string;
  type?: string;
  optional: [string, string][];
}

/** Reads a cosign simple-signing payload. */
export function parseSimpleSigning(text: string, what: string): SimpleSigning {
  const p = obj(parseBoundedJson(text, what));
  const critical = obj(p?.critical);
  if (!p || !critical) throw new BadResponseError(`${what} is not a simple-signing payload (critical is missing)`);
  const image = obj(critical.image);
  // The spec's example writes `Docker-manifest-digest`; cosign writes `docker-manifest-digest`.
  const digest = image ? Object.entries(image).find(([k]) => k.toLowerCase() === 'docker-manifest-digest')?.[1] : undefined;
  const optional: [string, string][] = [];
  flatten(p.optional ?? undefined, '', optional);
  return { dockerReference: str(obj(critical.identity)?.['docker-reference'], 1000), manifestDigest: str(digest, 200), type: str(critical.type, 200), optional: optional.filter(([k]) => k) };
}

export interface CertificateIdentity {
  /** Subject alternative names (`email:…`, `URI:…`): the identity a keyless signature was issued to. */
  subjectAltName?: string;
  issuer?: string;
  subject?: string;
  validFrom?: string;
  validTo?: string;
}

/** The identity in a signing certificate (PEM), or undefined when it cannot be read. */
export function certificateIdentity(pem: string | undefined): CertificateIdentity | undefined {
  if (!pem || pem.length > 64 * 1024) return undefined;
  try {
    const c = new X509Certificate(pem);
    return { subjectAltName: c.subjectAltName?.slice(0, 1000), issuer: c.issuer.slice(0, 1000), subject: c.subject.slice(0, 1000), validFrom: c.validFrom, validTo: c.validTo };
  } catch {
    return undefined;
  }
}
