import * as fs from 'node:fs';
import * as tls from 'node:tls';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { ZodError, ZodType } from 'zod';
import type { Logger, ProviderContext, ProxySettings } from './context';
import { silentLogger } from './context';
import {
  BadResponseError,
  CancelledError,
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  RateLimitedError,
  RegistryError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  UnreachableError,
} from './errors';
import { redact } from './redact';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** A URL object is used as given (not parsed again); it must not change while the request runs. */
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Serialized as the JSON body, with `Content-Type: application/json`. */
  json?: unknown;
  signal?: AbortSignal;
  /** Redirects to follow (default 5; a write follows only a 303); 0 returns the 3xx response itself. */
  maxRedirects?: number;
  /**
   * Largest body to read for this request (see BODY_LIMITS); the read is aborted past it. The transport's own limit
   * still applies when it is lower.
   */
  maxBodyBytes?: number;
  /** Called before each retry wait (network failure, 502/503/504, 429 with Retry-After), so callers can show the wait and read the retried response. */
  onRetry?: (info: RetryInfo) => void;
}

/** One retry the transport is about to wait for. */
export interface RetryInfo {
  /** Status of the retried response; undefined after a network failure. */
  status?: number;
  waitMs: number;
  /** The request URL, redacted. */
  url: string;
  attempt: number;
  /** The response being retried (a 429 carries the rate-limit headers); undefined after a network failure. */
  response?: HttpResponse;
}

export interface HttpResponse {
  status: number;
  /** The URL that answered (after redirects). */
  url: string;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  header(name: string): string | undefined;
  body: Buffer;
  text(): string;
  /** Parsed body; throws BadResponseError when it is not JSON. */
  json(): unknown;
}

export interface HttpTransportOptions {
  timeoutMs?: number;
  /** Retries of GET/HEAD after network failures, 502/503/504 and short 429 waits. */
  maxRetries?: number;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
  proxy?: ProxySettings;
  logger?: Logger;
  userAgent?: string;
  /** A 429 whose Retry-After is longer than this is returned to the caller instead of waited out. */
  maxRetryAfterMs?: number;
  /** Largest body read into memory. */
  maxBodyBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_MAX_RETRY_AFTER_MS = 10_000;
const DEFAULT_MAX_BODY = 64 * 1024 * 1024;

/** Body limits by what a request reads; providers pass one as `maxBodyBytes` (a blob: its descriptor's size). */
export const BODY_LIMITS = {
  /** Token responses of a token realm or sign-in endpoint. */
  token: 1024 * 1024,
  /** Manifests and indexes (the distribution registry itself refuses manifests over 4 MiB). */
  manifest: 4 * 1024 * 1024,
  /** One JSON document of an API (a page, a repository, an error). */
  json: 8 * 1024 * 1024,
  /** A whole list sent at once (a tag list of a million names is about 20 MiB). */
  list: 32 * 1024 * 1024,
} as const;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const RETRY_STATUSES = new Set([502, 503, 504]);
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
 * The one HTTP transport every provider uses (undici). It never throws for an HTTP status: callers turn non-2xx
 * answers into typed errors with `statusError`. It throws typed errors for network failures, time-outs and aborts.
 */
export class HttpTransport {
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxBodyBytes: number;
  private readonly logger: Logger;
  private readonly userAgent: string;
  private readonly direct: Dispatcher;
  private readonly proxied?: Dispatcher;
  private readonly noProxy: string[];
  /** Requests sent (including retries and redirects); tests and the benchmark read it. */
  requestCount = 0;

  constructor(opts: HttpTransportOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = Math.max(0, opts.maxRetries ?? DEFAULT_RETRIES);
    this.maxRetryAfterMs = opts.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
    this.logger = opts.logger ?? silentLogger;
    this.userAgent = opts.userAgent ?? 'registry-explorer/0.1';
    const tlsOptions = tlsFor(opts);
    this.direct = new Agent({ connect: tlsOptions, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs, connections: 16, keepAliveTimeout: 30_000 });
    this.noProxy = (opts.proxy?.noProxy ?? []).map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (opts.proxy?.url) {
      this.proxied = new ProxyAgent({
        uri: opts.proxy.url,
        requestTls: tlsOptions,
        proxyTls: { rejectUnauthorized: opts.proxy.strictSSL !== false },
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    }
  }

  /** Sends a request, following redirects (dropping `Authorization` when the origin changes) and retrying GET/HEAD. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const idempotent = req.method === 'GET' || req.method === 'HEAD';
    let headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (req.headers) for (const k in req.headers) headers[k.toLowerCase()] = req.headers[k]!;
    let body: string | Uint8Array | undefined = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    }
    let method: HttpMethod = req.method;
    let url = typeof req.url === 'string' ? new URL(req.url) : req.url;
    let redirectsLeft = req.maxRedirects ?? 5;
    let attempt = 0;
    for (;;) {
      let res: HttpResponse;
      try {
        res = await this.once(method, url, headers, body, req.signal, req.maxBodyBytes);
      } catch (e) {
        const err = e as RegistryError;
        if (idempotent && attempt < this.maxRetries && err.kind === 'unreachable' && !isTlsError(err)) {
          attempt++;
          this.logger.debug(`${method} ${redact(url.href)}: ${err.message}; retry ${attempt}/${this.maxRetries}`);
          const waitMs = backoff(attempt);
          req.onRetry?.({ waitMs, url: redact(url.href), attempt });
          await sleep(waitMs, req.signal);
          continue;
        }
        throw err;
      }
      // A write is sent once, to the URL named: following a 307/308 (or 301/302) would re-send its body, which may
      // hold credentials, to wherever the server points, and a redirect loop would repeat it. Only a 303 ("see
      // other", fetched with GET and no body) is followed.
      const mayFollow = method === 'GET' || method === 'HEAD' || res.status === 303;
      if (REDIRECTS.has(res.status) && redirectsLeft > 0 && mayFollow) {
        const location = res.header('location');
        if (location) {
          redirectsLeft--;
          const next = new URL(location, url);
          if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new BadResponseError(`Redirect to an unsupported URL scheme (${next.protocol})`, { request: describe(method, url) });
          // An answer over https is trusted because of its certificate: one that sends the client on to plain http
          // (where anyone on the path can read the request and forge the answer) is refused before anything is sent.
          if (url.protocol === 'https:' && next.protocol === 'http:') {
            throw new BadResponseError(`${url.host} redirected an https request to plain http (${redact(next.origin)}); the downgrade is refused`, { request: describe(method, url), status: res.status });
          }
          if (next.origin !== url.origin) {
            // Credentials belong to the origin that asked for them: blob storage and other hosts never see them.
            headers = dropAuth(headers);
          }
          if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
            headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'content-type' && k !== 'content-length'));
          }
          url = next;
          continue;
        }
      }
      if (idempotent && attempt < this.maxRetries) {
        if (RETRY_STATUSES.has(res.status)) {
          attempt++;
          const waitMs = backoff(attempt);
          req.onRetry?.({ status: res.status, waitMs, url: redact(url.href), attempt, response: res });
          await sleep(waitMs, req.signal);
          continue;
        }
        if (res.status === 429) {
          const wait = retryAfterMs(res.header('retry-after'));
          if (wait !== undefined && wait <= this.maxRetryAfterMs) {
            attempt++;
            this.logger.info(`${method} ${redact(url.href)}: rate limited, waiting ${Math.ceil(wait / 1000)} s (Retry-After)`);
            req.onRetry?.({ status: 429, waitMs: wait, url: redact(url.href), attempt, response: res });
            await sleep(wait, req.signal);
            continue;
          }
        }
      }
      return res;
    }
  }

  private async once(method: HttpMethod, url: URL, headers: Record<string, string>, body: string | Uint8Array | undefined, signal?: AbortSignal, maxBody?: number): Promise<HttpResponse> {
    if (signal?.aborted) throw new CancelledError(undefined, { request: describe(method, url) });
    // The dispatcher's headersTimeout and bodyTimeout (both timeoutMs) end a server that stops answering; this timer
    // bounds the whole exchange, so a body that trickles in without ever pausing that long still ends. It destroys
    // the body being read rather than aborting through an AbortController, which costs more per request.
    let timedOut = false;
    let reading: Dispatcher.ResponseData['body'] | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      reading?.destroy(new Error('The operation timed out.'));
    }, this.timeoutMs);
    const started = Date.now();
    this.requestCount++;
    try {
      const res = await this.dispatcherFor(url).request({
        origin: url.origin,
        path: url.pathname + url.search,
        method,
        headers,
        body,
        signal,
        // undici closes the connection after every HEAD unless told otherwise (for servers that send a body anyway):
        // tag details send one HEAD per tag, and a new connection each would be a TLS handshake each. Bytes that
        // arrive with no request pending end that connection in undici, so a stray body is not read as an answer.
        reset: method === 'HEAD' ? false : undefined,
      });
      if (timedOut) throw discard(res.body) ?? new Error('The operation timed out.');
      reading = res.body;
      const limit = Math.min(this.maxBodyBytes, maxBody ?? Infinity);
      const declared = Number(res.headers['content-length']);
      // A declared length past the limit is refused before a byte is read.
      const bytes = Number.isFinite(declared) && declared > limit ? discard(res.body) : await readBody(res.body, limit);
      if (!bytes) throw new BadResponseError(`The response is larger than ${sizeText(limit)}, the most read for this request`, { request: describe(method, url), status: res.statusCode });
      const flat = flattenHeaders(res.headers);
      // The line is built (and redacted) only for a logger that writes it somewhere.
      if (this.logger !== silentLogger) this.logger.debug(`${method} ${redact(url.href)} → ${res.statusCode} (${Date.now() - started} ms)`);
      return makeResponse(res.statusCode, url.href, flat, bytes);
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      const request = describe(method, url);
      if (signal?.aborted) throw new CancelledError(undefined, { request, cause: e });
      if (timedOut || isTimeoutCode(e)) {
        throw new TimeoutError(`${url.host} did not answer within ${Math.round(this.timeoutMs / 1000)} s`, { request, cause: e });
      }
      throw networkError(e, url, request);
    } finally {
      clearTimeout(timer);
    }
  }

  private dispatcherFor(url: URL): Dispatcher {
    if (!this.proxied) return this.direct;
    const host = url.hostname.toLowerCase();
    if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1') return this.direct;
    for (const entry of this.noProxy) {
      if (entry === '*') return this.direct;
      const e = entry.replace(/^\*?\./, '');
      if (host === e || host.endsWith('.' + e) || `${host}:${url.port}` === entry) return this.direct;
    }
    return this.proxied;
  }

  dispose(): void {
    void this.direct.close().catch(() => undefined);
    void this.proxied?.close().catch(() => undefined);
  }
}

/**
 * TLS options for every connection of one transport. With a caFile the secure context (the CA and Node's ~145 public
 * roots, parsed) is built here, once: left to `tls.connect`, it would be built again for every new connection, tens
 * of milliseconds of the host's CPU each time.
 */
function tlsFor(opts: HttpTransportOptions): { secureContext?: tls.SecureContext; rejectUnauthorized: boolean } {
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

/**
 * The whole body, or undefined (and the stream destroyed) once it grows past `max` bytes. Listens for `data`
 * events rather than iterating the stream: a registry answer is usually one or two chunks, and the async iterator's
 * per-response set-up costs more than reading them.
 */
function readBody(body: Dispatcher.ResponseData['body'], max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        body.removeAllListeners('data');
        body.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    body.once('error', reject);
  });
}

/** Drops a body unread (its abort error is expected and ignored). */
function discard(body: Dispatcher.ResponseData['body']): undefined {
  body.on('error', () => undefined);
  body.destroy();
  return undefined;
}

function sizeText(bytes: number): string {
  return bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MiB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

function makeResponse(status: number, url: string, headers: Record<string, string>, body: Buffer): HttpResponse {
  return new BufferedResponse(status, url, headers, body);
}

/** A response read in full; its methods live on the prototype, so a listing does not build closures per page. */
class BufferedResponse implements HttpResponse {
  private decoded: string | undefined;

  constructor(
    readonly status: number,
    readonly url: string,
    readonly headers: Record<string, string>,
    readonly body: Buffer,
  ) {}

  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }

  text(): string {
    return (this.decoded ??= this.body.toString('utf8'));
  }

  json(): unknown {
    try {
      return JSON.parse(this.text()) as unknown;
    } catch {
      throw new BadResponseError(`The response of ${redact(this.url)} is not valid JSON`, { status: this.status });
    }
  }
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function dropAuth(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).filter(([k]) => k !== 'authorization' && k !== 'cookie'));
}

function describe(method: string, url: URL): string {
  return `${method} ${redact(url.href)}`;
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

function isTimeoutCode(e: unknown): boolean {
  const code = errCode(e);
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

function isTlsError(e: RegistryError): boolean {
  const code = errCode(e.cause);
  return code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'));
}

function networkError(e: unknown, url: URL, request: string): UnreachableError {
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

function backoff(attempt: number): number {
  return Math.min(2000, 150 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 50);
}

/** Milliseconds from a Retry-After header (seconds or HTTP date). */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const secs = Number(value.trim());
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Resolves after `ms`, or rejects with CancelledError when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The server's own words from an OCI / Docker error body (`{"errors":[{"code","message"}]}`) or `{message|detail}`. */
export function serverMessage(res: HttpResponse): string | undefined {
  const text = res.text().trim();
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object') {
      const errors = (body as { errors?: unknown }).errors;
      if (Array.isArray(errors) && errors.length) {
        return errors
          .map((x: unknown) => {
            const o = (x ?? {}) as { code?: unknown; message?: unknown };
            return [typeof o.code === 'string' ? o.code : '', typeof o.message === 'string' ? o.message : ''].filter(Boolean).join(': ');
          })
          .filter(Boolean)
          .join('; ')
          .slice(0, 300);
      }
      for (const k of ['message', 'detail', 'error_description', 'error']) {
        const v = (body as Record<string, unknown>)[k];
        if (typeof v === 'string' && v) return v.slice(0, 300);
      }
    }
  } catch {
    // Not JSON: a short plain-text body is still worth showing.
  }
  return text.length <= 200 && !/<html/i.test(text) ? text : undefined;
}

/** The typed error for a non-2xx response. `what` says what was asked for ("the tag list of team/app"). */
export function statusError(res: HttpResponse, what: string, method = 'GET'): RegistryError {
  const said = serverMessage(res);
  const detail = said ? `: ${redact(said)}` : '';
  const opts = { status: res.status, request: `${method} ${redact(res.url)}` };
  switch (res.status) {
    case 401:
      return new UnauthorizedError(`${what}: sign-in required or credentials rejected (401)${detail}`, opts);
    case 403:
      return new ForbiddenError(`${what}: access denied (403)${detail}`, opts);
    case 404:
      return new NotFoundError(`${what}: not found (404)${detail}`, opts);
    case 405:
      return new MethodNotAllowedError(`${what}: the registry does not allow this operation (405)${detail}`, opts);
    case 429: {
      const wait = retryAfterMs(res.header('retry-after'));
      const when = wait !== undefined ? `; retry in ${Math.ceil(wait / 1000)} s` : '';
      return new RateLimitedError(`${what}: rate limited (429)${when}${detail}`, { ...opts, retryAfterMs: wait });
    }
    default:
      if (res.status >= 500) return new ServerError(`${what}: server error (${res.status})${detail}`, opts);
      return new BadResponseError(`${what}: unexpected status ${res.status}${detail}`, opts);
  }
}

/** Parses a JSON body with a zod schema; anything else is a BadResponseError that says what was wrong. */
export function parseJson<T>(res: HttpResponse, schema: ZodType<T>, what: string): T {
  let body: unknown;
  try {
    body = JSON.parse(res.text());
  } catch {
    throw new BadResponseError(`${what}: the registry answered with something that is not JSON`, { status: res.status, request: redact(res.url) });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BadResponseError(`${what}: unexpected response: ${describeIssues(parsed.error)}`, { status: res.status, request: redact(res.url), cause: parsed.error });
  return parsed.data;
}

/** "tags: expected array, received string; name: …" — the first few zod issues, short. */
export function describeIssues(error: ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
}

export function isOk(res: HttpResponse): boolean {
  return res.status >= 200 && res.status < 300;
}

/** The transport for one configured registry, from its connection settings. */
export function transportFor(ctx: ProviderContext): HttpTransport {
  return new HttpTransport({
    timeoutMs: ctx.http?.timeoutMs,
    maxRetries: ctx.http?.maxRetries,
    userAgent: ctx.http?.userAgent,
    caFile: ctx.connection.caFile,
    insecureSkipTlsVerify: ctx.connection.insecureSkipTlsVerify,
    proxy: ctx.proxy,
    logger: ctx.logger,
  });
}
