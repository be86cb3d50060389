import * as crypto from 'node:crypto';
import { BadResponseError } from './errors';

/**
 * Content digests (OCI image-spec "Digests"): only algorithms this extension can check are accepted, so a digest
 * shown as an immutable reference or used in a request has been, or can be, verified against the content.
 */
const VERIFIABLE: Record<string, { hex: number }> = { sha256: { hex: 64 }, sha512: { hex: 128 } };

/** True for `sha256:<64 hex>` and `sha512:<128 hex>` (lower-case hex, as the spec requires). */
export function isVerifiableDigest(value: string): boolean {
  const i = value.indexOf(':');
  if (i <= 0) return false;
  const alg = VERIFIABLE[value.slice(0, i)];
  const hex = value.slice(i + 1);
  return !!alg && hex.length === alg.hex && /^[a-f0-9]+$/.test(hex);
}

/** Any digest in the spec's general grammar (`algorithm:encoded`), checkable or not: a reference looks like one. */
export function looksLikeDigest(value: string): boolean {
  return /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(value);
}

/** The digest as given, or a BadResponseError naming why it cannot be trusted (unknown algorithm, bad length). */
export function requireVerifiableDigest(value: string, what: string): string {
  if (isVerifiableDigest(value)) return value;
  const alg = value.includes(':') ? value.slice(0, value.indexOf(':')) : '';
  const why = alg && !VERIFIABLE[alg] ? `uses the digest algorithm "${alg.slice(0, 20)}", which cannot be verified` : 'is not a valid sha256 or sha512 digest';
  throw new BadResponseError(`${what}: the registry's digest ${why}`);
}

/** `sha256:` + the hex SHA-256 of `body`. */
export function sha256Digest(body: Uint8Array): string {
  return 'sha256:' + crypto.createHash('sha256').update(body).digest('hex');
}

/** Checks `body` against `digest` (sha256 or sha512); anything else, or a mismatch, is a BadResponseError. */
export function verifyDigest(body: Uint8Array, digest: string, what: string): void {
  requireVerifiableDigest(digest, what);
  const alg = digest.slice(0, digest.indexOf(':'));
  const actual = `${alg}:` + crypto.createHash(alg).update(body).digest('hex');
  if (actual !== digest) throw new BadResponseError(`${what}: the content does not match its digest`);
}
