import * as fs from 'node:fs';
import * as tls from 'node:tls';
import { RegistryError, UnreachableError } from './errors';
import { redact } from './redact';

/** The transport's TLS set-up and how it names network failures. */

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * TLS options for every connection of one transport. With a caFile the secure context (the CA and Node's ~145 public
 * roots, parsed) is built here, once: left to `tls.connect`, it would be built again for every new connection, tens
 * of milliseconds of the host's CPU each time.
 */
export function tlsFor(opts: { caFile?: string; insecureSkipTlsVerify?: boolean }): { secureContext?: tls.SecureContext; rejectUnauthorized: boolean } {
  const out: { secureContext?: tls.SecureContext; rejectUnauthorized: boolean } = { rejectUnauthorized: !opts.insecureSkipTlsVerify };
  if (opts.caFile) {
    let pem: string;
    try {
      pem = fs.readFileSync(opts.caFile, 'utf8');
    } catch (e) {
      throw new RegistryError('config', `Cannot read caFile ${opts.caFile}: ${(e as Error).message}`);
    }
    try {
      // `ca` replaces Node's default list, so keep the public roots next to the extra CA.
      out.secureContext = tls.createSecureContext({ ca: [...tls.rootCertificates, pem] });
    } catch (e) {
      throw new RegistryError('config', `caFile ${opts.caFile} holds no usable certificate: ${(e as Error).message}`);
    }
  }
  return out;
}

function errCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function isTimeoutCode(e: unknown): boolean {
  const code = errCode(e);
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

export function isTlsError(e: RegistryError): boolean {
  const code = errCode(e.cause);
  return code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'));
}

export function networkError(e: unknown, url: URL, request: string): UnreachableError {
  const code = errCode(e);
  const raw = e instanceof Error ? e.message : String(e);
  let why: string;
  if (code && (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))) {
    why = `the TLS certificate of ${url.host} is not trusted (${code}); set "caFile" for this registry, or "insecureSkipTlsVerify" if you accept the risk`;
  } else if (code === 'ECONNREFUSED') why = `connection refused by ${url.host}`;
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') why = `host ${url.hostname} not found`;
  else if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') why = `connection to ${url.host} was reset`;
  else why = `cannot reach ${url.host}: ${redact(raw)}`;
  return new UnreachableError(why.charAt(0).toUpperCase() + why.slice(1), { request, cause: e });
}
