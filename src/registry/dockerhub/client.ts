import type * as z from 'zod';
import type { Credentials, ProviderContext } from '../context';
import { BadResponseError, CancelledError, NotFoundError, RateLimitedError, UnauthorizedError, isRegistryError, toRegistryError } from '../errors';
import type { Cursor, Page } from '../provider';
import { readHubTokenClaims } from './jwt';
import { readRateLimit, type HubRateLimit } from './model';
import { checkPathSegments } from '../names';
import { pinSecret, unpinSecret } from '../redact';
import { apiUrl, checkRegistryUrl } from '../urls';
import { parseApiBody, type ApiRequest, type ApiResponse, type ApiTransport } from '../jsonApi';
import * as s from './schemas';

/** What the Hub client needs from the shared transport; `hubTransport()` adapts src/registry/http.ts to it. */
export type HubHttpRequest = ApiRequest;
export type HubHttpResponse = ApiResponse;
export type HubTransport = ApiTransport;

export interface HubClientOptions {
  /** Clock (ms since the epoch); tests move it instead of sleeping. */
  now?: () => number;
  /** Access-token lifetime to assume when the token's `exp` cannot be read (Hub documents 10 minutes). */
  fallbackTokenLifetimeMs?: number;
}

type AuthMode = 'optional' | 'required' | 'none';

interface CallOptions<T> {
  schema?: z.ZodType<T>;
  json?: unknown;
  auth?: AuthMode;
  signal?: AbortSignal;
  /** What the request is for, used in error messages ("the tag list of acme/api"). */
  what: string;
}

interface TokenState {
  value: string;
  expiresAt: number;
  issuedAt: number;
  username?: string;
}

const DEFAULT_LIFETIME_MS = 10 * 60_000;
/** A sign-in answer is a small JSON document with a token. */
const TOKEN_BODY_BYTES = 1024 * 1024;
/** Holds up to this long are waited out quietly; longer ones fail at once with RateLimitedError. */
const MAX_QUIET_WAIT_MS = 15_000;

/**
 * Docker Hub API (v2) client: JWT sign-in with refresh before expiry, anonymous access where Hub allows it,
 * rate-limit bookkeeping, and zod-checked bodies. One instance per configured Hub connection.
 */
export class HubClient {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly now: () => number;
  private readonly fallbackLifetime: number;
  private token?: TokenState;
  private signingIn?: Promise<TokenState>;
  private rate?: HubRateLimit;
  /** Requests wait on this while Hub says the window is used up, so concurrent callers do not pile onto a 429. */
  private coolDown?: Promise<void>;
  private coolDownUntil = 0;

  constructor(
    private readonly ctx: ProviderContext,
    private readonly transport: HubTransport,
    opts: HubClientOptions = {},
  ) {
    this.baseUrl = checkRegistryUrl(ctx.connection.url);
    this.origin = new URL(this.baseUrl).origin;
    this.now = opts.now ?? (() => Date.now());
    this.fallbackLifetime = opts.fallbackTokenLifetimeMs ?? DEFAULT_LIFETIME_MS;
    const previous = transport.onResponse;
    transport.onResponse = (res) => {
      previous?.(res);
      this.noteRateLimit(res);
    };
  }

  /** The latest rate-limit figures Hub sent, if any. */
  rateLimit(): HubRateLimit | undefined {
    return this.rate ? { ...this.rate } : undefined;
  }

  /** The signed-in user name from the token's claims (undefined when anonymous or not yet signed in). */
  signedInUser(): string | undefined {
    return this.token?.username;
  }

  resetAuth(): void {
    if (this.token) unpinSecret(this.token.value);
    this.token = undefined;
    this.signingIn = undefined;
  }

  /** Whether credentials are configured (a secret is present). */
  async hasCredentials(): Promise<boolean> {
    return !!(await this.ctx.credentials())?.secret;
  }

  /** Signs in now (or reuses a fresh token) and returns the account name. Throws UnauthorizedError without credentials. */
  async signIn(signal?: AbortSignal): Promise<string> {
    const t = await this.accessToken('required', signal);
    return t?.username ?? (await this.credentialsOrThrow()).username ?? '';
  }

  /**
   * The Hub access token for Docker Scout, which Docker authenticates with the same JWT (src/registry/dockerhub/scout.ts
   * sends it only to the Scout origin it was built for). Undefined when no credentials are set.
   */
  async scoutToken(signal?: AbortSignal): Promise<string | undefined> {
    return (await this.accessToken('optional', signal))?.value;
  }

  /** Drops `token` when Scout refused it, so the next call signs in again (once). */
  dropToken(token: string): void {
    if (this.token?.value === token) this.token = undefined;
  }

  /** An absolute URL for a Hub API path (`/v2/...`). */
  url(path: string, query?: Record<string, string | number | undefined>): string {
    checkPathSegments(path);
    return apiUrl(this.baseUrl, path, query).toString();
  }

  /**
   * A `next` link from a Hub page, as a cursor on the configured API. Only its path and query are taken: Hub (and
   * mirrors of it) name `https://hub.docker.com/…` in links while the API may answer elsewhere, and the access
   * token goes only to the configured origin. A link naming another host is logged, then followed here.
   */
  cursorFrom(next: string | undefined, what: string): Cursor | undefined {
    if (!next) return undefined;
    let u: URL;
    try {
      u = new URL(next, this.baseUrl);
    } catch {
      throw new BadResponseError(`Docker Hub sent an invalid next-page link for ${what}`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new BadResponseError(`Docker Hub sent a next-page link with the scheme ${u.protocol} for ${what}`);
    if (u.origin === this.origin) {
      checkPathSegments(u.pathname);
      return u.toString();
    }
    this.ctx.logger.info(`Docker Hub's next-page link for ${what} names ${u.host}; its path is requested from ${new URL(this.origin).host}`);
    const prefix = new URL(this.baseUrl).pathname.replace(/\/+$/, '');
    const path = prefix && !u.pathname.startsWith(prefix + '/') ? prefix + u.pathname : u.pathname;
    checkPathSegments(path);
    return new URL(path + u.search, this.origin).toString();
  }

  /** Checks a cursor handed back by a caller the same way (it may have been stored). */
  pageUrl(cursor: Cursor | undefined, first: string, what: string): string {
    if (cursor === undefined) return first;
    return this.cursorFrom(cursor, what) ?? first;
  }

  async getPage<T, U>(url: string, schema: z.ZodType<{ results: T[]; next?: string }>, map: (t: T) => U, what: string, auth: AuthMode, signal?: AbortSignal): Promise<Page<U>> {
    const body = await this.call('GET', url, { schema, auth, signal, what });
    const page: Page<U> = { items: body.results.map(map) };
    try {
      const next = this.cursorFrom(body.next, what);
      if (next) page.next = next;
    } catch (e) {
      // The page already fetched is shown; only the rest is missing.
      page.error = toRegistryError(e);
    }
    return page;
  }

  async get<T>(url: string, schema: z.ZodType<T>, what: string, auth: AuthMode = 'optional', signal?: AbortSignal): Promise<T> {
    return this.call('GET', url, { schema, auth, signal, what });
  }

  /** Sends a request and parses the body with `schema` (no schema: the body is ignored). */
  async call<T>(method: HubHttpRequest['method'], url: string, o: CallOptions<T>): Promise<T> {
    const res = await this.send(method, url, o);
    if (!o.schema) return undefined as T;
    return parseBody(o.schema, res.text, o.what, `${method} ${redactUrl(url)}`);
  }

  private async send<T>(method: HubHttpRequest['method'], url: string, o: CallOptions<T>): Promise<HubHttpResponse> {
    const target = new URL(url);
    if (target.origin !== this.origin) throw new BadResponseError(`Refusing to send a Docker Hub request to another host (${target.host})`);
    const auth = o.auth ?? 'optional';
    for (let attempt = 0; ; attempt++) {
      await this.waitForWindow(o.signal);
      const token = auth === 'none' ? undefined : await this.accessToken(auth, o.signal);
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (token) headers.Authorization = `Bearer ${token.value}`;
      try {
        const res = await this.transport.send({ method, url, headers, json: o.json, signal: o.signal, what: o.what });
        this.noteRateLimit(res);
        return res;
      } catch (e) {
        if (e instanceof RateLimitedError && !this.coolDown) {
          // The transport already waited and retried; keep everyone else off Hub for the time it asks (unless
          // `onResponse` already did so from the same 429).
          this.holdUntil(this.now() + (e.retryAfterMs ?? 1000));
        }
        if (e instanceof UnauthorizedError && token && attempt === 0) {
          // The token may have been revoked or expired early (clock skew): get a new one once, then give up.
          if (this.token === token) this.token = undefined;
          continue;
        }
        if (e instanceof UnauthorizedError) {
          throw new UnauthorizedError(
            token ? 'Docker Hub no longer accepts the sign-in; sign in again' : `Docker Hub requires signing in to read ${o.what}`,
            { request: e.request, cause: e },
          );
        }
        throw e;
      }
    }
  }

  private async credentialsOrThrow(): Promise<Credentials & { secret: string }> {
    const c = await this.ctx.credentials();
    if (!c?.secret) throw new UnauthorizedError('Sign in to Docker Hub with your user name and a personal access token');
    return c as Credentials & { secret: string };
  }

  /** A valid token, refreshed ahead of expiry; undefined for anonymous access when no credentials are set. */
  private async accessToken(mode: 'optional' | 'required', signal?: AbortSignal): Promise<TokenState | undefined> {
    const t = this.token;
    if (t && !this.expiresSoon(t)) return t;
    const creds = await this.ctx.credentials();
    if (!creds?.secret) {
      if (mode === 'required') throw new UnauthorizedError('Sign in to Docker Hub with your user name and a personal access token');
      return undefined;
    }
    if (!this.signingIn) {
      this.signingIn = this.fetchToken(creds, signal).finally(() => {
        this.signingIn = undefined;
      });
    }
    return this.signingIn;
  }

  private expiresSoon(t: TokenState): boolean {
    const lifetime = Math.max(0, t.expiresAt - t.issuedAt);
    // Refresh with a minute to spare, or a fifth of the lifetime for short-lived tokens.
    const margin = Math.min(60_000, lifetime / 5);
    return this.now() >= t.expiresAt - margin;
  }

  private async fetchToken(creds: Credentials, signal?: AbortSignal): Promise<TokenState> {
    const identifier = creds.username ?? this.ctx.connection.username;
    if (!identifier) throw new UnauthorizedError('Set a Docker Hub user name (or organization name for an organization access token) to sign in');
    const url = this.url('/v2/auth/token');
    let res: HubHttpResponse;
    try {
      await this.waitForWindow(signal);
      res = await this.transport.send({ method: 'POST', url, headers: { Accept: 'application/json' }, json: { identifier, secret: creds.secret }, signal, what: 'Docker Hub sign-in', maxBodyBytes: TOKEN_BODY_BYTES });
    } catch (e) {
      if (e instanceof UnauthorizedError) {
        throw new UnauthorizedError(`Docker Hub rejected the credentials for ${identifier}; sign in again with a valid personal access token`, { request: e.request, cause: e });
      }
      throw e;
    }
    this.noteRateLimit(res);
    const body = parseBody(s.authTokenResponse, res.text, 'the sign-in response', `POST ${url}`);
    // The token is a secret from here on: an error body or log line that echoes it is redacted.
    if (this.token) unpinSecret(this.token.value);
    pinSecret(body.access_token);
    const issuedAt = this.now();
    const claims = readHubTokenClaims(body.access_token);
    const expiresAt = claims.expiresAt !== undefined && claims.expiresAt > issuedAt ? claims.expiresAt : issuedAt + this.fallbackLifetime;
    const state: TokenState = { value: body.access_token, issuedAt, expiresAt, username: claims.username ?? identifier };
    this.token = state;
    this.ctx.logger.debug(`Docker Hub: signed in as ${state.username}; token valid until ${new Date(expiresAt).toISOString()}`);
    return state;
  }

  private noteRateLimit(res: HubHttpResponse): void {
    const r = readRateLimit((n) => res.header(n), this.now());
    if (r) this.rate = r;
    if (res.status === 429) {
      const retry = parseRetryAfter(res.header('retry-after'), this.now());
      this.holdUntil(this.now() + (retry ?? 1000));
    } else if (r?.remaining === 0 && r.resetAt !== undefined && r.resetAt > this.now()) {
      this.holdUntil(r.resetAt);
    }
  }

  private holdUntil(until: number): void {
    const wait = Math.min(until - this.now(), 5 * 60_000);
    if (wait <= 0 || (this.coolDown && this.coolDownUntil >= until)) return;
    this.coolDownUntil = until;
    this.ctx.logger.info(`Docker Hub rate limit reached; holding new requests for ${Math.ceil(wait / 1000)} s`);
    const p = new Promise<void>((resolve) => setTimeout(resolve, wait).unref?.());
    const hold = p.then(() => {
      if (this.coolDown === hold) this.coolDown = undefined;
    });
    this.coolDown = hold;
    this.ctx.onRateLimitWait?.({ waitMs: wait });
  }

  private async waitForWindow(signal?: AbortSignal): Promise<void> {
    const left = this.coolDownUntil - this.now();
    if (this.coolDown && left > MAX_QUIET_WAIT_MS) {
      // A long wait fails now with the time to wait, so a tree node says so instead of spinning for minutes.
      throw new RateLimitedError(`Docker Hub rate limit reached; try again in ${Math.ceil(left / 1000)} s`, { retryAfterMs: left });
    }
    while (this.coolDown) {
      if (signal?.aborted) throw new CancelledError();
      const current = this.coolDown;
      await (signal ? Promise.race([current, abortPromise(signal)]) : current);
      if (this.coolDown === current) break;
    }
  }
}

/** Parses a JSON body with a zod schema; failures become BadResponseError naming the first bad field. */
export function parseBody<T>(schema: z.ZodType<T>, text: string, what: string, request?: string): T {
  return parseApiBody(schema, text, what, 'Docker Hub', request);
}

function parseRetryAfter(v: string | undefined, now: number): number | undefined {
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new CancelledError()), { once: true }));
}

/** URLs in messages keep host and path only (query strings may carry filters, never secrets, but stay short). */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

/** Treats a 404 as "absent" (for optional endpoints such as `/v2/user/orgs/`). */
export async function orUndefinedOn404<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NotFoundError || (isRegistryError(e) && e.status === 404)) return undefined;
    throw e;
  }
}
