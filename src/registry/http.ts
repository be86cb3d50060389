import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import type { Logger, ProviderContext, ProxySettings } from './context';
import { silentLogger } from './context';
import { BadResponseError, CancelledError, RegistryError, TimeoutError } from './errors';
import { isTimeoutCode, isTlsError, networkError, tlsFor } from './httpNetwork';
import { makeResponse, retryAfterMs, type HttpResponse } from './httpResponse';
import { redact } from './redact';

export { describeIssues, isOk, parseJson, retryAfterMs, serverMessage, statusError, type HttpResponse } from './httpResponse';

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

function backoff(attempt: number): number {
  return Math.min(2000, 150 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 50);
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
