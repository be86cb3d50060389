/**
 * A small Docker registry token server (the `auth.token` realm of distribution): checks Basic credentials and
 * grants exactly the requested scopes in an RS256 JWT. distribution 2.8 finds the verification key through the
 * JWT header `kid`, which must equal the libtrust key ID of a certificate in the registry's `rootcertbundle`
 * (see `libtrustKeyId`). Every request is recorded so tests can count token fetches per scope.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TokenRequestRecord {
  method: string;
  /** Requested scopes, as sent (`repository:sample/hello:pull`). */
  scopes: string[];
  service?: string;
  /** User name from the Basic header (never the password). */
  user?: string;
  /** HTTP status answered. */
  status: number;
}

export interface TokenServerOptions {
  /** PEM private key that signs the tokens. */
  signingKeyPem: string;
  /** PEM of the certificate the registry trusts (`rootcertbundle`); its public key gives the `kid`. */
  signingCertPem: string;
  issuer: string;
  service: string;
  username: string;
  password: string;
  /** TLS for the token endpoint itself; plain HTTP when absent. */
  tls?: { certPem: string; keyPem: string };
  /** Token lifetime in seconds (default 300). */
  expiresIn?: number;
  host?: string;
}

export interface TokenServer {
  /** Realm URL, e.g. `https://127.0.0.1:4321/token`. */
  realm: string;
  readonly requests: TokenRequestRecord[];
  /** Number of token requests (any status) that asked for this scope. */
  countFor(scope: string): number;
  close(): Promise<void>;
}

/** libtrust's key ID: SHA-256 of the DER SubjectPublicKeyInfo, first 240 bits, base32, in 12 groups of 4. */
export function libtrustKeyId(publicKey: crypto.KeyObject | string): string {
  const key = typeof publicKey === 'string' ? crypto.createPublicKey(publicKey) : publicKey;
  const der = key.export({ type: 'spki', format: 'der' });
  const hash = crypto.createHash('sha256').update(der).digest().subarray(0, 30);
  const b32 = base32(hash);
  return b32.match(/.{4}/g)!.join(':');
}

function base32(buf: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Parses `type:name:actions` where the name itself may contain colons (`repository:host:5000/x:pull`). */
export function parseScope(scope: string): { type: string; name: string; actions: string[] } | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last <= first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

export function signJwt(claims: Record<string, unknown>, keyPem: string, kid: string): string {
  const header = { alg: 'RS256', typ: 'JWT', kid };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = crypto.sign('sha256', Buffer.from(input), keyPem);
  return `${input}.${b64url(sig)}`;
}

export async function startTokenServer(opts: TokenServerOptions): Promise<TokenServer> {
  const kid = libtrustKeyId(crypto.createPublicKey(opts.signingCertPem));
  const requests: TokenRequestRecord[] = [];
  const expiresIn = opts.expiresIn ?? 300;

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://token.local');
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname !== '/token') {
        send(404, { errors: [{ code: 'NOT_FOUND', message: 'not found' }] });
        return;
      }
      let scopes = url.searchParams.getAll('scope');
      let service = url.searchParams.get('service') ?? undefined;
      let user: string | undefined;
      let password: string | undefined;
      const auth = req.headers.authorization;
      if (auth?.toLowerCase().startsWith('basic ')) {
        const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        user = i >= 0 ? decoded.slice(0, i) : decoded;
        password = i >= 0 ? decoded.slice(i + 1) : '';
      }
      if (req.method === 'POST') {
        // OAuth2 password grant, as `docker login` uses when the realm supports it.
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        if (form.get('grant_type') === 'password') {
          user = form.get('username') ?? user;
          password = form.get('password') ?? password;
        }
        scopes = scopes.concat((form.get('scope') ?? '').split(' ').filter(Boolean));
        service = form.get('service') ?? service;
      } else if (req.method !== 'GET') {
        send(405, { errors: [{ code: 'UNSUPPORTED', message: 'method not allowed' }] });
        return;
      }
      // Split space-separated scope lists too.
      scopes = scopes.flatMap((s) => s.split(' ')).filter(Boolean);
      const record: TokenRequestRecord = { method: req.method, scopes, service, user, status: 0 };
      requests.push(record);

      const ok =
        user !== undefined &&
        password !== undefined &&
        safeEqual(user, opts.username) &&
        safeEqual(password, opts.password);
      if (!ok) {
        record.status = 401;
        send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'invalid username or password' }] }, { 'www-authenticate': 'Basic realm="token"' });
        return;
      }
      if (service !== undefined && service !== opts.service) {
        record.status = 400;
        send(400, { errors: [{ code: 'INVALID_SERVICE', message: `unknown service ${service}` }] });
        return;
      }
      const access = scopes.map(parseScope).filter((s): s is NonNullable<typeof s> => s !== undefined);
      const now = Math.floor(Date.now() / 1000);
      const token = signJwt(
        {
          iss: opts.issuer,
          sub: opts.username,
          aud: opts.service,
          exp: now + expiresIn,
          nbf: now - 10,
          iat: now,
          jti: crypto.randomUUID(),
          access,
        },
        opts.signingKeyPem,
        kid,
      );
      record.status = 200;
      send(200, { token, access_token: token, expires_in: expiresIn, issued_at: new Date(now * 1000).toISOString() });
    });
  };

  const server: http.Server = opts.tls ? https.createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, handler) : http.createServer(handler);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    realm: `${opts.tls ? 'https' : 'http'}://${host}:${port}/token`,
    requests,
    countFor: (scope) => requests.filter((r) => r.scopes.includes(scope)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
