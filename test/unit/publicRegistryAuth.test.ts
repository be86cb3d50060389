import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger, type Credentials } from '../../src/registry/context';
import { UnauthorizedError } from '../../src/registry/errors';
import { OciProvider } from '../../src/registry/oci/provider';

/**
 * The public registries' own host names, served on 127.0.0.1: a CONNECT proxy tunnels every name to one TLS server
 * whose certificate names them all, and which answers each registry the way its vendor documents it (ECR: Basic;
 * GitLab: Bearer with its token service on gitlab.com; Artifact Registry, ACR, GHCR: Bearer on their own origin).
 */
interface Flow {
  host: string;
  username: string;
  /** Basic on the registry itself, or the token service's URL. */
  auth: 'basic' | { realm: string; service: string };
}

const SECRET = 'registry-Secret-5b2e9d';
const FLOWS: Flow[] = [
  { host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', username: 'AWS', auth: 'basic' },
  { host: 'registry.gitlab.com', username: 'gitlab-user', auth: { realm: 'https://gitlab.com/jwt/auth', service: 'container_registry' } },
  { host: 'europe-west1-docker.pkg.dev', username: 'oauth2accesstoken', auth: { realm: 'https://europe-west1-docker.pkg.dev/v2/token', service: 'europe-west1-docker.pkg.dev' } },
  { host: 'acme.azurecr.io', username: 'acme-token', auth: { realm: 'https://acme.azurecr.io/oauth2/token', service: 'acme.azurecr.io' } },
  { host: 'ghcr.io', username: 'octocat', auth: { realm: 'https://ghcr.io/token', service: 'ghcr.io' } },
];
const EVIL_REALM = 'https://evil-realm.example/jwt/auth';

let dir: string;
let server: https.Server;
let proxy: http.Server;
let proxyUrl: string;
const seen: Array<{ host: string; path: string; authorization?: string }> = [];
let realmOverride: string | undefined;

before(async function () {
  this.timeout(30_000);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'public-registries-'));
  const names = [...FLOWS.map((f) => f.host), 'gitlab.com', 'evil-realm.example'].map((h) => `DNS:${h}`).join(',');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=public-registries', '-addext', `subjectAltName=${names}`, '-addext', 'basicConstraints=critical,CA:TRUE'], { cwd: dir, stdio: 'ignore' });
  server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  proxy = http.createServer((_q, s) => s.writeHead(405).end());
  proxy.on('connect', (_req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const up = net.connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

after(async () => {
  for (const s of [server, proxy]) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const url = new URL(req.url ?? '/', `https://${host}`);
  seen.push({ host, path: url.pathname, authorization: req.headers.authorization });
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  // Token services (on the registry's origin, or gitlab.com / the evil one).
  const tokenFor = FLOWS.find((f) => f.auth !== 'basic' && new URL(f.auth.realm).host === host && new URL(f.auth.realm).pathname === url.pathname);
  if (tokenFor || host === 'evil-realm.example') {
    if (!tokenFor || req.headers.authorization !== basic(tokenFor.username, SECRET)) return send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
    return send(200, { token: `token-for-${tokenFor.host}`, expires_in: 300 });
  }
  const flow = FLOWS.find((f) => f.host === host);
  if (!flow) return send(404, {});
  const ok = flow.auth === 'basic' ? req.headers.authorization === basic(flow.username, SECRET) : req.headers.authorization === `Bearer token-for-${flow.host}`;
  if (!ok) {
    const challenge = flow.auth === 'basic' ? `Basic realm="https://${flow.host}/",service="ecr.amazonaws.com"` : `Bearer realm="${realmOverride ?? flow.auth.realm}",service="${flow.auth.service}",scope="repository:group/app:pull"`;
    return send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }, { 'www-authenticate': challenge });
  }
  if (url.pathname === '/v2/group/app/tags/list') return send(200, { name: 'group/app', tags: ['1.0'] });
  return send(404, { errors: [{ code: 'NAME_UNKNOWN', message: 'unknown' }] });
}

function provider(host: string, creds: Credentials | undefined): OciProvider {
  return new OciProvider({
    connection: { id: host, kind: 'oci', url: `https://${host}`, username: creds?.username, caFile: path.join(dir, 'cert.pem'), repositories: ['group/app'] },
    credentials: async () => creds,
    logger: silentLogger,
    proxy: { url: proxyUrl },
    http: { timeoutMs: 5_000, maxRetries: 0 },
  });
}

describe('the token flows of the public registries, with the secret the user gives', () => {
  afterEach(() => {
    realmOverride = undefined;
  });

  for (const flow of FLOWS) {
    it(`${flow.host}: user ${flow.username} and the secret list the configured repository's tags, without a catalog request`, async () => {
      seen.length = 0;
      const p = provider(flow.host, { username: flow.username, secret: SECRET });
      try {
        const repos = await p.listRepositories(undefined, undefined);
        assert.deepEqual(repos.items.map((r) => r.name), ['group/app']);
        assert.deepEqual((await p.listTags('group/app', undefined)).items.map((t) => t.name), ['1.0']);
      } finally {
        p.dispose();
      }
      assert.ok(!seen.some((s) => s.path === '/v2/_catalog'), 'no catalog request');
      // The credentials went only to the registry and its documented token service.
      const allowed = new Set([flow.host, ...(flow.auth === 'basic' ? [] : [new URL(flow.auth.realm).host])]);
      for (const s of seen.filter((x) => x.authorization?.startsWith('Basic'))) assert.ok(allowed.has(s.host), `credentials sent to ${s.host}`);
    });
  }

  it('a token service on any other origin gets no credentials without the user’s allowance', async () => {
    seen.length = 0;
    realmOverride = EVIL_REALM;
    const p = provider('registry.gitlab.com', { username: 'gitlab-user', secret: SECRET });
    try {
      await assert.rejects(p.listTags('group/app', undefined), (e: unknown) => e instanceof UnauthorizedError && /evil-realm\.example/.test(e.message));
    } finally {
      p.dispose();
    }
    assert.ok(!seen.some((s) => s.host === 'evil-realm.example'), 'nothing was sent to the other origin');
  });
});
