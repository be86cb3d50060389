import * as z from 'zod';
import type { Credentials, Logger, ProviderContext } from '../context';
import { silentLogger } from '../context';
import { BadResponseError, CancelledError, UnauthorizedError, isRegistryError } from '../errors';
import { BODY_LIMITS, type HttpTransport, parseJson, statusError } from '../http';
import { pinSecret, unpinSecret } from '../redact';
import { basicAuthorization } from './basic';

/** Where and for what to ask for a token, from a `WWW-Authenticate: Bearer …` challenge. */
export interface BearerRealm {
  realm: string;
  service?: string;
}

/** A token handed out by `BearerTokenCache.token`. `fresh` is true when this call fetched it. */
export interface BearerToken {
  value: string;
  fresh: boolean;
}

/**
 * Token response of the Docker token protocol: `token` and/or `access_token` (the OAuth2 name), optional
 * `expires_in` (seconds, default 60) and `issued_at`.
 */
export const tokenResponse = z
  .object({
    token: z.string().optional(),
    access_token: z.string().optional(),
    expires_in: z.number({ error: 'must be a number of seconds' }).nonnegative().optional(),
    issued_at: z.string().optional(),
  })
  .refine((t) => !!(t.token || t.access_token), { error: 'neither token nor access_token is present' });

export interface BearerTokenCacheOptions {
  transport: HttpTransport;
  /** Read on every token request, so a changed secret is used at once. */
  credentials: () => Promise<Credentials | undefined>;
  /**
   * Origin of the registry: credentials go to a realm on this origin; never to a plain-http realm of an https
   * registry.
   */
  registryOrigin: string;
  /**
   * Whether credentials may go to a realm on another origin (asked once per origin until `reset`). Absent: never.
   * `tokenRealmPolicy` builds it from a provider context.
   */
  allowRealm?: (realmOrigin: string) => Promise<boolean>;
  now?: () => number;
  logger?: Logger;
}

/** Lifetime the token protocol prescribes when `expires_in` is absent. */
export const DEFAULT_TOKEN_LIFETIME_S = 60;

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * Tokens of the Docker/OCI token protocol, cached per (realm, service, scope) until shortly before they expire.
 * Concurrent callers for the same scope share one in-flight token request. Credentials go only to the realm (as Basic
 * auth on the token request); the token itself is the caller's to send, and only to the registry.
 */
export class BearerTokenCache {
  private readonly tokens = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<Entry>>();
  /** Per realm origin on another origin than the registry: whether credentials may go there (until reset). */
  private readonly realmAnswers = new Map<string, Promise<boolean>>();
  private readonly now: () => number;
  private readonly logger: Logger;
  private generation = 0;

  constructor(private readonly opts: BearerTokenCacheOptions) {
    this.now = opts.now ?? (() => Date.now());
    this.logger = opts.logger ?? silentLogger;
  }

  /** A valid token for the scope (undefined: no scope, as for `GET /v2/`), from the cache or the realm. */
  async token(realm: BearerRealm, scope: string | undefined, signal?: AbortSignal): Promise<BearerToken> {
    const key = cacheKey(realm, scope);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return { value: cached.value, fresh: false };
    let pending = this.inFlight.get(key);
    if (!pending) {
      const gen = this.generation;
      pending = this.fetch(realm, scope).then((entry) => {
        if (gen === this.generation) {
          const old = this.tokens.get(key);
          if (old && old.value !== entry.value) unpinSecret(old.value);
          this.tokens.set(key, entry);
        } else unpinSecret(entry.value);
        return entry;
      });
      const p = pending;
      // Not tied to one caller's signal: others may be waiting on the same request.
      void p.then(
        () => this.inFlight.get(key) === p && this.inFlight.delete(key),
        () => this.inFlight.get(key) === p && this.inFlight.delete(key),
      );
      this.inFlight.set(key, p);
    }
    const entry = await abortable(pending, signal);
    // Joining another caller's request still yields a token nobody has tried yet.
    return { value: entry.value, fresh: true };
  }

  /** Forgets a token the registry rejected (only if it is still the cached one). */
  invalidate(realm: BearerRealm, scope: string | undefined, value: string): void {
    const key = cacheKey(realm, scope);
    if (this.tokens.get(key)?.value !== value) return;
    this.tokens.delete(key);
    unpinSecret(value);
  }

  /** Drops every cached token (sign-out, changed credentials). */
  reset(): void {
    this.generation++;
    for (const t of this.tokens.values()) unpinSecret(t.value);
    this.tokens.clear();
    this.inFlight.clear();
    this.realmAnswers.clear();
  }

  /** Number of cached tokens (tests). */
  get size(): number {
    return this.tokens.size;
  }

  /** Asks `allowRealm` once per origin (concurrent requests share the answer); a failure to answer is a no. */
  private mayReceiveCredentials(realmOrigin: string): Promise<boolean> {
    const ask = this.opts.allowRealm;
    if (!ask) return Promise.resolve(false);
    let answer = this.realmAnswers.get(realmOrigin);
    if (!answer) {
      answer = ask(realmOrigin).then(
        (ok) => ok === true,
        () => {
          this.realmAnswers.delete(realmOrigin);
          return false;
        },
      );
      this.realmAnswers.set(realmOrigin, answer);
    }
    return answer;
  }

  private async fetch(realm: BearerRealm, scope: string | undefined): Promise<Entry> {
    let url: URL;
    try {
      url = new URL(realm.realm);
    } catch {
      throw new BadResponseError(`The registry named an invalid token realm`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BadResponseError(`The token realm uses an unsupported scheme (${url.protocol})`);
    if (realm.service) url.searchParams.set('service', realm.service);
    // Several scopes in one challenge are space-separated; the protocol sends each as its own parameter.
    for (const s of (scope ?? '').split(' ').filter(Boolean)) url.searchParams.append('scope', s);

    const headers: Record<string, string> = { accept: 'application/json' };
    const creds = await this.opts.credentials();
    const registryIsHttps = this.opts.registryOrigin.startsWith('https:');
    if (creds?.secret && creds.username !== undefined) {
      if (url.protocol === 'http:' && registryIsHttps) {
        throw new UnauthorizedError(`The token service ${url.origin} is plain http; credentials are not sent there`);
      }
      if (url.origin !== originOf(this.opts.registryOrigin) && !(await this.mayReceiveCredentials(url.origin))) {
        throw new UnauthorizedError(
          `The registry's token service ${url.origin} is on another origin than the registry (${originOf(this.opts.registryOrigin)}); ` +
            `credentials are sent there only when allowed for this registry: sign in again and allow ${url.origin} when asked, or sign out to use the registry anonymously`,
        );
      }
      headers.authorization = basicAuthorization(creds.username, creds.secret);
    }
    const what = `Token for ${scope ?? 'the registry'} from ${url.origin}`;
    const started = this.now();
    let res;
    try {
      res = await this.opts.transport.request({ method: 'GET', url: url.href, headers, maxBodyBytes: BODY_LIMITS.token });
    } catch (e) {
      if (isRegistryError(e)) throw e;
      throw new BadResponseError(`${what}: ${(e as Error).message}`);
    }
    if (res.status === 401 || res.status === 403) {
      throw new UnauthorizedError(
        headers.authorization
          ? `The token service ${url.origin} rejected the credentials (${res.status})`
          : `The token service ${url.origin} requires credentials (${res.status}); sign in`,
        { status: 401, request: `GET ${url.origin}${url.pathname}` },
      );
    }
    if (res.status < 200 || res.status >= 300) throw statusError(res, what);
    const body = parseJson(res, tokenResponse, what);
    const value = (body.access_token || body.token)!;
    // A token in use is pinned for redaction until it is replaced, rejected or dropped.
    pinSecret(value);
    const lifetimeMs = (body.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000;
    // Renew a little early so a token does not expire between the check and the request.
    const margin = Math.min(5000, lifetimeMs / 10);
    this.logger.debug(`Obtained a token for ${scope ?? 'the registry'} (valid ${Math.round(lifetimeMs / 1000)} s)`);
    return { value, expiresAt: started + lifetimeMs - margin };
  }
}

/**
 * The allowance of a token realm on another origin, from a provider context: the origins the connection lists
 * (`tokenRealms`), else the host's answer (`allowTokenRealm`), else none.
 */
export function tokenRealmPolicy(
  ctx: Pick<ProviderContext, 'connection' | 'allowTokenRealm'>,
  registryOrigin: string,
): (realmOrigin: string) => Promise<boolean> {
  const listed = new Set((ctx.connection.tokenRealms ?? []).map(originOf));
  return async (realmOrigin) => {
    if (listed.has(realmOrigin)) return true;
    return ctx.allowTokenRealm ? (await ctx.allowTokenRealm({ realmOrigin, registryOrigin })) === true : false;
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function cacheKey(realm: BearerRealm, scope: string | undefined): string {
  return `${realm.realm}\n${realm.service ?? ''}\n${scope ?? ''}`;
}

/** The promise, or a CancelledError as soon as `signal` aborts (the promise itself keeps running for others). */
function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
