/**
 * An in-memory legacy Docker Hub v1 index API (Docker's "Docker Hub and Registry API" v1 index documentation) for tests and the demo.
 *
 * What it implements, per that document: login check and registration (`/v1/users/`), user update, create / delete
 * user and library repositories (with `X-Docker-Token: true` → `X-Docker-Token`, `WWW-Authenticate: Token …` and
 * `X-Docker-Endpoints`), list / update repository images, and token authorization (`PUT …/auth`).
 * Library repositories are restricted to admins, as the document says. The index has no endpoint that lists
 * repositories; neither does this server.
 */
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { FaultSlot, type FaultFilter } from './kit/faults';
import { closeServer, listen } from './kit/listen';
import { RequestLog } from './kit/log';

export interface HubV1ServerOptions {
  port?: number;
  /** Value of `X-Docker-Endpoints` (default: this server's host:port). */
  endpoints?: string[];
}

export interface HubV1RequestLogEntry {
  method: string;
  path: string;
  status: number;
  auth: 'none' | 'basic' | 'token' | 'other';
  /** The request carried `X-Docker-Token: true`. */
  wantedToken: boolean;
}

export interface V1Image {
  id: string;
  checksum?: string;
}

/** `malformed`: a truncated JSON body; `wrongType`: the first entry's `id` becomes a number. */
export interface HubV1Fault extends FaultFilter {
  kind: 'malformed' | 'wrongType';
}

export interface HubV1Server {
  readonly url: string;
  readonly requests: HubV1RequestLogEntry[];
  clearRequests(): void;
  close(): Promise<void>;
  addUser(username: string, password: string, opts?: { admin?: boolean; active?: boolean; email?: string }): void;
  /** `namespace` undefined or `library` for a library repository. */
  addRepository(namespace: string | undefined, name: string, images?: V1Image[]): void;
  hasRepository(namespace: string | undefined, name: string): boolean;
  images(namespace: string | undefined, name: string): V1Image[] | undefined;
  /** Tokens issued so far (the header values), newest last. */
  readonly issuedTokens: string[];
  user(username: string): { email: string; password: string } | undefined;
  /** Breaks successful JSON answers: `malformed` truncates the body, `wrongType` puts a number where the first item's `id` is. */
  setFault(fault: HubV1Fault | undefined): void;
}

interface UserRec {
  username: string;
  password: string;
  email: string;
  admin: boolean;
  active: boolean;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function startHubV1Server(opts: HubV1ServerOptions = {}): Promise<HubV1Server> {
  const users = new Map<string, UserRec>();
  const repos = new Map<string, V1Image[]>();
  // Token header value → what it grants.
  const tokens = new Map<string, { repository: string; access: 'read' | 'write' | 'delete' }>();
  const issuedTokens: string[] = [];
  const log = new RequestLog<HubV1RequestLogEntry>();
  const requests = log.entries;
  let baseUrl = '';
  let host = '';
  const faults = new FaultSlot<HubV1Fault>();

  function applyFault(method: string, path: string, reply: Reply): string | undefined {
    if (reply.status >= 300 || reply.body === undefined) return undefined;
    const f = faults.take(method, path);
    if (!f) return undefined;
    if (f.kind === 'malformed') return '[{"id": "trunc';
    const body = JSON.parse(JSON.stringify(reply.body)) as unknown;
    if (Array.isArray(body) && body.length > 0 && typeof body[0] === 'object') (body[0] as Record<string, unknown>).id = 12345;
    else return JSON.stringify({ unexpected: true });
    return JSON.stringify(body);
  }

  const key = (ns: string | undefined, name: string) => `${ns ?? 'library'}/${name}`;

  function basicUser(req: http.IncomingMessage): UserRec | 'missing' | 'bad' {
    const h = req.headers.authorization;
    if (!h || !/^Basic\s/i.test(h)) return 'missing';
    const decoded = Buffer.from(h.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i < 0) return 'bad';
    const u = users.get(decoded.slice(0, i));
    if (!u || u.password !== decoded.slice(i + 1)) return 'bad';
    return u;
  }

  /** Basic credentials, checked the way the document lists status codes: 401 unauthorized, 403 inactive. */
  function requireUser(req: http.IncomingMessage): UserRec | Reply {
    const u = basicUser(req);
    if (u === 'missing' || u === 'bad') return { status: 401, body: { error: 'Unauthorized' }, headers: { 'WWW-Authenticate': 'Basic realm="Docker Hub"' } };
    if (!u.active) return { status: 403, body: { error: 'Account is not Active' } };
    return u;
  }

  function tokenHeaders(req: http.IncomingMessage, repository: string, access: 'read' | 'write' | 'delete'): Record<string, string> {
    const h: Record<string, string> = { 'X-Docker-Endpoints': (opts.endpoints ?? [host]).join(', ') };
    if (String(req.headers['x-docker-token'] ?? '').toLowerCase() === 'true') {
      const value = `signature=${crypto.randomBytes(12).toString('hex')},repository="${repository}",access=${access}`;
      tokens.set(value, { repository, access });
      issuedTokens.push(value);
      h['X-Docker-Token'] = value;
      h['WWW-Authenticate'] = `Token ${value}`;
    }
    return h;
  }

  async function readBody(req: http.IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > 1_000_000) throw new Error('too large');
      chunks.push(c as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8').trim();
    if (!text) return undefined;
    return JSON.parse(text) as unknown;
  }

  function imageList(body: unknown): V1Image[] | undefined {
    if (body === undefined || body === '') return [];
    if (!Array.isArray(body)) return undefined;
    const out: V1Image[] = [];
    for (const x of body) {
      if (typeof x !== 'object' || x === null || typeof (x as V1Image).id !== 'string') return undefined;
      const { id, checksum } = x as V1Image;
      if (checksum !== undefined && typeof checksum !== 'string') return undefined;
      out.push(checksum === undefined ? { id } : { id, checksum });
    }
    return out;
  }

  /** Splits `/v1/repositories/<ns>/<name>/<rest>` or the library form `/v1/repositories/<name>/<rest>`. */
  function repoPath(parts: string[]): { ns: string | undefined; name: string; rest: string } | undefined {
    // parts after 'repositories'
    const last = parts[parts.length - 1];
    const hasRest = last === 'images' || last === 'auth';
    const names = hasRest ? parts.slice(0, -1) : parts;
    if (names.length === 1) return { ns: undefined, name: names[0]!, rest: hasRest ? last! : '' };
    if (names.length === 2) return { ns: names[0] === 'library' ? undefined : names[0], name: names[1]!, rest: hasRest ? last! : '' };
    return undefined;
  }

  async function route(req: http.IncomingMessage, method: string, path: string): Promise<Reply> {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v1') return { status: 404, body: { error: 'Not found' } };

    if (parts[1] === 'users' && parts.length === 2) {
      if (method === 'GET') {
        const u = requireUser(req);
        if ('status' in u) return u;
        return { status: 200, body: 'OK' };
      }
      if (method === 'POST') {
        const body = (await readBody(req)) as Record<string, unknown> | undefined;
        const username = body?.username;
        const password = body?.password;
        const email = body?.email;
        if (typeof username !== 'string' || !/^[a-z0-9_]{4,30}$/.test(username)) return { status: 400, body: { error: 'Invalid username' } };
        if (typeof password !== 'string' || password.length < 5) return { status: 400, body: { error: 'Invalid password' } };
        if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) return { status: 400, body: { error: 'Invalid email' } };
        if (users.has(username)) return { status: 400, body: { error: 'Username already exists' } };
        users.set(username, { username, password, email, admin: false, active: true });
        return { status: 201, body: 'User Created' };
      }
      return { status: 405, body: { error: 'Method not allowed' } };
    }

    if (parts[1] === 'users' && parts.length === 3) {
      if (method !== 'PUT') return { status: 405, body: { error: 'Method not allowed' } };
      const u = requireUser(req);
      if ('status' in u) return u;
      const target = users.get(parts[2]!);
      if (!target) return { status: 404, body: { error: 'User not found' } };
      if (target.username !== u.username && !u.admin) return { status: 401, body: { error: 'Unauthorized' } };
      const body = (await readBody(req)) as Record<string, unknown> | undefined;
      if (body?.password !== undefined) {
        if (typeof body.password !== 'string' || body.password.length < 5) return { status: 400, body: { error: 'Invalid password' } };
        target.password = body.password;
      }
      if (body?.email !== undefined) {
        if (typeof body.email !== 'string' || !body.email.includes('@')) return { status: 400, body: { error: 'Invalid email' } };
        target.email = body.email;
      }
      return { status: 204 };
    }

    if (parts[1] !== 'repositories' || parts.length < 3) return { status: 404, body: { error: 'Not found' } };
    const rp = repoPath(parts.slice(2));
    if (!rp) return { status: 404, body: { error: 'Not found' } };
    const k = key(rp.ns, rp.name);

    if (rp.rest === 'images') {
      if (method === 'GET') {
        const imgs = repos.get(k);
        if (!imgs) return { status: 404, body: { error: 'Not found' } };
        return { status: 200, body: imgs, headers: tokenHeaders(req, k, 'read') };
      }
      if (method === 'PUT') {
        const u = requireUser(req);
        if ('status' in u) return u;
        if (!repos.has(k)) return { status: 404, body: { error: 'Not found' } };
        if (!canWrite(u, rp.ns)) return { status: 403, body: { error: 'Permission denied' } };
        let list: V1Image[] | undefined;
        try {
          list = imageList(await readBody(req));
        } catch {
          list = undefined;
        }
        if (!list) return { status: 400, body: { error: 'Invalid JSON' } };
        const current = repos.get(k)!;
        for (const im of list) {
          const i = current.findIndex((c) => c.id === im.id);
          if (i >= 0) current[i] = im;
          else current.push(im);
        }
        return { status: 204 };
      }
      return { status: 405, body: { error: 'Method not allowed' } };
    }

    if (rp.rest === 'auth') {
      if (method !== 'PUT') return { status: 405, body: { error: 'Method not allowed' } };
      const h = req.headers.authorization ?? '';
      const m = /^Token\s+(.+)$/i.exec(h);
      const grant = m ? tokens.get(m[1]!.trim()) : undefined;
      // The token must be for this repository and of the access kind authorised here: `write` (a push), as in the
      // document's examples; a read token (from listing images) or a delete token authorises nothing.
      if (!grant || grant.repository !== k || grant.access !== 'write') return { status: 403, body: { error: 'Permission denied' } };
      if (!repos.has(k)) return { status: 404, body: { error: 'Not found' } };
      return { status: 200, body: 'OK' };
    }

    // The repository itself.
    if (method !== 'PUT' && method !== 'DELETE') return { status: 405, body: { error: 'Method not allowed' } };
    const u = requireUser(req);
    if ('status' in u) return u;
    if (!canWrite(u, rp.ns)) return { status: 403, body: { error: rp.ns === undefined ? 'Library repositories are restricted to admins' : 'Permission denied' } };
    if (method === 'PUT') {
      let list: V1Image[] | undefined;
      try {
        list = imageList(await readBody(req));
      } catch {
        list = undefined;
      }
      if (!list) return { status: 400, body: { error: 'Invalid JSON' } };
      const current = repos.get(k) ?? [];
      for (const im of list) if (!current.some((c) => c.id === im.id)) current.push(im);
      repos.set(k, current);
      return { status: 200, body: '', headers: tokenHeaders(req, k, 'write') };
    }
    if (!repos.has(k)) return { status: 404, body: { error: 'Not found' } };
    repos.delete(k);
    return { status: 202, body: '', headers: tokenHeaders(req, k, 'delete') };
  }

  function canWrite(u: UserRec, ns: string | undefined): boolean {
    return u.admin || (ns !== undefined && ns === u.username);
  }

  function authKind(h: string | undefined): HubV1RequestLogEntry['auth'] {
    if (!h) return 'none';
    const s = h.split(' ')[0]!.toLowerCase();
    return s === 'basic' || s === 'token' ? s : 'other';
  }

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', baseUrl);
    const path = u.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const entry: HubV1RequestLogEntry = { method, path, status: 0, auth: authKind(req.headers.authorization), wantedToken: String(req.headers['x-docker-token'] ?? '').toLowerCase() === 'true' };
    log.push(entry);
    route(req, method, path)
      .catch((): Reply => ({ status: 400, body: { error: 'Invalid request' } }))
      .then((reply) => {
        req.resume();
        entry.status = reply.status;
        const payload = applyFault(method, path, reply) ?? (reply.body === undefined ? undefined : JSON.stringify(reply.body));
        const headers: Record<string, string> = { Vary: 'Accept', 'Content-Type': 'application/json', ...reply.headers };
        headers['Content-Length'] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
        res.writeHead(reply.status, headers);
        res.end(method === 'HEAD' || reply.status === 204 ? undefined : payload);
      })
      .catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;
  baseUrl = await listen(server, opts.port ?? 0);
  host = new URL(baseUrl).host;

  return {
    url: baseUrl,
    requests,
    issuedTokens,
    clearRequests: () => log.clear(),
    close: () => closeServer(server),
    addUser(username, password, o = {}) {
      users.set(username, { username, password, email: o.email ?? `${username}@example.test`, admin: o.admin ?? false, active: o.active ?? true });
    },
    addRepository(namespace, name, images = []) {
      repos.set(key(namespace === 'library' ? undefined : namespace, name), [...images]);
    },
    hasRepository: (namespace, name) => repos.has(key(namespace === 'library' ? undefined : namespace, name)),
    images: (namespace, name) => repos.get(key(namespace === 'library' ? undefined : namespace, name))?.map((i) => ({ ...i })),
    user(username) {
      const u = users.get(username);
      return u ? { email: u.email, password: u.password } : undefined;
    },
    setFault(f) {
      faults.set(f);
    },
  };
}

if (require.main === module) {
  void startHubV1Server({ port: Number(process.env.HUB_V1_PORT ?? 0) }).then((s) => {
    s.addUser('demo', 'demo-password');
    s.addUser('admin', 'admin-password', { admin: true });
    s.addRepository('demo', 'hello', [{ id: 'a'.repeat(64), checksum: 'b'.repeat(64) }]);
    s.addRepository(undefined, 'busybox', [{ id: 'c'.repeat(64), checksum: 'd'.repeat(64) }]);
    process.stdout.write(`Docker Hub v1 index fake listening on ${s.url} (user demo / demo-password)\n`);
    const stop = () => void s.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
