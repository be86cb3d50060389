import type { ZodType } from 'zod';
import { basicAuthorization, releaseBasic } from '../auth/basic';
import { BearerTokenCache, tokenRealmPolicy, type BearerRealm } from '../auth/bearer';
import { parseWwwAuthenticate } from '../auth/challenge';
import type { ProviderContext } from '../context';
import { BadResponseError, UnauthorizedError } from '../errors';
import { BODY_LIMITS, type HttpMethod, type HttpResponse, type HttpTransport, isOk, parseJson, statusError } from '../http';
import { checkRepositoryName } from '../names';
import { redact } from '../redact';
import { checkRegistryUrl } from '../urls';

/**
 * What a request needs access to under token auth. The scope a registry asks for is learned from its challenge;
 * until then the usual one (`repository:<name>:pull`, `registry:catalog:*`, none for `/v2/`) is assumed, so a known
 * token is sent up front instead of after a 401 on every call.
 */
export type AccessKey = { kind: 'ping' } | { kind: 'catalog' } | { kind: 'repository'; name: string; action: 'pull' | 'delete' };

export interface DistributionRequest {
  method: HttpMethod;
  /** Absolute URL on the registry's origin, or a path (`/v2/…`). */
  url: string;
  access: AccessKey;
  /** What is being asked for, for error messages ("the tag list of team/app"). */
  what: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Largest body to read (BODY_LIMITS, or a blob's descriptor size); default BODY_LIMITS.json. */
  maxBodyBytes?: number;
}

type SentAuth = { kind: 'none' } | { kind: 'basic' } | { kind: 'bearer'; realm: BearerRealm; scope: string | undefined; value: string; fresh: boolean };

/**
 * Registry V2 client: sends requests to one registry origin with the authentication it asks for (none, Basic, or
 * Bearer tokens from its token realm), and turns answers into typed errors. Never sends credentials or tokens to
 * another origin: requests are checked here, redirects by the transport.
 */
export class DistributionClient {
  readonly origin: string;
  private scheme: 'unknown' | 'basic' | 'bearer' = 'unknown';
  private realm?: BearerRealm;
  private readonly learnedScopes = new Map<string, string | undefined>();
  private readonly tokens: BearerTokenCache;
  private lastBasic?: { username: string; secret: string };

  constructor(
    private readonly ctx: ProviderContext,
    readonly transport: HttpTransport,
    opts: { now?: () => number } = {},
  ) {
    this.origin = new URL(checkRegistryUrl(ctx.connection.url)).origin;
    this.tokens = new BearerTokenCache({
      transport,
      credentials: () => ctx.credentials(),
      registryOrigin: this.origin,
      allowRealm: tokenRealmPolicy(ctx, this.origin),
      now: opts.now,
      logger: ctx.logger,
    });
  }

  /** Absolute URL for a registry path, or the given URL after checking it is on the registry's origin. */
  resolve(urlOrPath: string): string {
    return this.resolveUrl(urlOrPath).href;
  }

  /** `resolve`, as a URL. */
  resolveUrl(urlOrPath: string): URL {
    let u: URL;
    try {
      u = new URL(urlOrPath, this.origin);
    } catch {
      throw new BadResponseError(`Invalid registry URL ${redact(urlOrPath)}`);
    }
    if (u.origin !== this.origin) throw new BadResponseError(`The registry pointed to another origin (${u.origin}); refusing to follow`);
    return u;
  }

  /** Drops cached tokens and learned auth, so the next request starts over with the current credentials. */
  resetAuth(): void {
    this.tokens.reset();
    if (this.lastBasic) releaseBasic(this.lastBasic.username, this.lastBasic.secret);
    this.lastBasic = undefined;
    this.scheme = 'unknown';
    this.realm = undefined;
    this.learnedScopes.clear();
  }

  /**
   * Sends a request with authentication; answers 401 by following the challenge (at most twice). Returns every
   * other status; a 401 that survives a fresh token or the configured credentials becomes UnauthorizedError.
   */
  async send(req: DistributionRequest): Promise<HttpResponse> {
    const url = this.resolve(req.url);
    for (let attempt = 0; ; attempt++) {
      const sent = await this.authorization(req.access, req.signal);
      const headers: Record<string, string> = { ...(req.headers ?? {}) };
      if (sent.kind === 'basic') headers.authorization = await this.basicHeader();
      if (sent.kind === 'bearer') headers.authorization = `Bearer ${sent.value}`;
      const res = await this.transport.request({ method: req.method, url, headers, signal: req.signal, maxBodyBytes: req.maxBodyBytes ?? BODY_LIMITS.json });
      if (res.status !== 401) return res;
      if (attempt >= 2) throw statusError(res, req.what, req.method);
      // A challenge is obeyed only from the registry itself: blob storage a redirect led to does not get to name a
      // token realm that credentials would be sent to.
      if (originOf(res.url) !== this.origin) throw statusError(res, req.what, req.method);

      const challenges = parseWwwAuthenticate(res.header('www-authenticate'));
      const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
      const basic = challenges.find((c) => c.scheme === 'basic');
      if (bearer) {
        const realm: BearerRealm = { realm: bearer.params.realm, service: bearer.params.service };
        const scope = bearer.params.scope || undefined;
        if (sent.kind === 'bearer') {
          const sameScope = sameRealm(sent.realm, realm) && sent.scope === scope;
          if (sent.fresh && sameScope) throw this.rejected(res, req, 'the registry refused a freshly issued token');
          this.tokens.invalidate(sent.realm, sent.scope, sent.value);
        }
        this.scheme = 'bearer';
        this.realm = realm;
        this.learnedScopes.set(keyOf(req.access), scope);
        continue;
      }
      if (basic) {
        if (sent.kind === 'basic') throw this.rejected(res, req, 'the registry rejected the credentials');
        const creds = await this.ctx.credentials();
        if (!creds?.secret) throw this.rejected(res, req, 'the registry requires credentials; sign in');
        this.scheme = 'basic';
        continue;
      }
      throw statusError(res, req.what, req.method);
    }
  }

  /** `send` that also requires a 2xx answer. */
  async sendOk(req: DistributionRequest): Promise<HttpResponse> {
    const res = await this.send(req);
    if (!isOk(res)) throw statusError(res, req.what, req.method);
    return res;
  }

  /** GET, expect 2xx and a JSON body matching `schema`. */
  async getJson<T>(req: Omit<DistributionRequest, 'method'>, schema: ZodType<T>): Promise<{ res: HttpResponse; body: T }> {
    const res = await this.sendOk({ ...req, method: 'GET', headers: { accept: 'application/json', ...(req.headers ?? {}) } });
    return { res, body: parseJson(res, schema, req.what) };
  }

  private rejected(res: HttpResponse, req: DistributionRequest, why: string): UnauthorizedError {
    return new UnauthorizedError(`${req.what}: ${why} (401)`, { status: 401, request: `${req.method} ${redact(res.url)}` });
  }

  private async authorization(access: AccessKey, signal?: AbortSignal): Promise<SentAuth> {
    if (this.scheme === 'basic') return { kind: 'basic' };
    if (this.scheme === 'bearer' && this.realm) {
      const key = keyOf(access);
      const scope = this.learnedScopes.has(key) ? this.learnedScopes.get(key) : defaultScope(access);
      const realm = this.realm;
      const t = await this.tokens.token(realm, scope, signal);
      return { kind: 'bearer', realm, scope, value: t.value, fresh: t.fresh };
    }
    return { kind: 'none' };
  }

  /**
   * The Basic header for the current credentials (read on every request); the credentials are pinned for redaction
   * while in use, and released when they change.
   */
  private async basicHeader(): Promise<string> {
    const creds = await this.ctx.credentials();
    if (!creds?.secret) throw new UnauthorizedError('The registry requires credentials; sign in');
    const username = creds.username ?? '';
    const last = this.lastBasic;
    if (last && (last.username !== username || last.secret !== creds.secret)) releaseBasic(last.username, last.secret);
    const header = basicAuthorization(username, creds.secret);
    this.lastBasic = { username, secret: creds.secret };
    return header;
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function keyOf(a: AccessKey): string {
  return a.kind === 'repository' ? `${a.action}:${a.name}` : a.kind;
}

function defaultScope(a: AccessKey): string | undefined {
  switch (a.kind) {
    case 'ping':
      return undefined;
    case 'catalog':
      return 'registry:catalog:*';
    case 'repository':
      return `repository:${a.name}:${a.action}`;
  }
}

function sameRealm(a: BearerRealm, b: BearerRealm): boolean {
  return a.realm === b.realm && (a.service ?? '') === (b.service ?? '');
}

/** `/v2/<name>`; a name outside the Distribution grammar (`..`, upper case, empty parts) is refused. */
export function repoPath(name: string): string {
  return '/v2/' + checkRepositoryName(name);
}

/** The `rel="next"` target of a `Link` header (RFC 5988), or undefined. */
export function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (!m) continue;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2]);
    if (rel && rel[1].split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}
