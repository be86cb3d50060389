/**
 * A sandbox of real registries on 127.0.0.1 for the registry suite, the end-to-end suite, `npm run demo` and the
 * benchmark: Debian's `docker-registry` (distribution 2.8) with TLS from a CA generated at run time, htpasswd
 * auth (bcrypt cost 4), deletes enabled and filesystem storage in a temp dir; optionally a second instance with
 * token auth (realm = test/support/tokenServer.ts) and a third with deletes disabled, all sharing one storage.
 * It is filled with images built locally (test/support/ociLayout.ts) and pushed with `skopeo copy`; extra tags
 * of the same manifest are PUT over HTTP, which is much faster than a copy per tag.
 *
 * CLI: `npx tsx test/support/sandbox.ts --json <file> [--many-tags N] [--no-token] [--no-delete-instance]
 * [--no-fill] [--keep] [--stdin-lifetime]` starts it, writes the endpoints (no functions; see `sandboxJson`) as JSON
 * to <file> (stdout without --json), prints "[sandbox] ready: …" on stderr, and stays up until SIGTERM/SIGINT (or,
 * with --stdin-lifetime, until its stdin closes, which also covers a parent that dies without signalling), then
 * stops every process and removes the temp dir. Signal the `tsx` process itself (or run node_modules/.bin/tsx):
 * `npm exec`/`npx` does not pass SIGTERM on. In-process users: `startSandbox()`; more services (e.g. the fake Docker
 * Hub) can ride along through `extra` and then appear under `extra.<name>` in the JSON.
 *
 * Timings on the 2-core CI machine: certificates + registries ~0.4 s, filling ~1–2 s (1,500 tags), ~2–3 s (10,000).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Agent, request as undiciRequest } from 'undici';
import { OciLayout, type Descriptor, type ImageSpec } from './ociLayout';
import { attachSupplyChain, httpSink, type SupplyChainSet } from './supplyChain';
import { startTokenServer, type TokenServer } from './tokenServer';

const run = promisify(execFile);

export const REGISTRY_BIN = process.env.DOCKER_REGISTRY_BIN ?? '/usr/bin/docker-registry';
export const SKOPEO_BIN = process.env.SKOPEO_BIN ?? 'skopeo';

/** One line of a registry's access log. */
export interface AccessLogEntry {
  method: string;
  path: string;
  status: number;
}

/** What a client needs to reach one registry instance (serialisable part first). */
export interface RegistryEndpoint {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>`, as used in pull references. */
  host: string;
  /** PEM of the CA that signed the registry certificate. */
  caFile: string;
  username: string;
  password: string;
  deleteEnabled: boolean;
  auth: 'htpasswd' | 'token';
  /** Token realm (token instance only). */
  tokenRealm?: string;
  tokenService?: string;
  /** Requests the registry served so far, from its access log (in-process users only). */
  accessLog(): AccessLogEntry[];
  /** Process id of the registry (in-process users only). */
  pid: number;
}

export interface TokenEndpoint extends RegistryEndpoint {
  tokenRealm: string;
  tokenService: string;
  tokenServer: TokenServer;
}

export interface ExtraService {
  /** Key in the JSON written by the CLI. */
  name: string;
  info: unknown;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  /** Start the token-auth instance too (default true). */
  token?: boolean;
  /** Start an instance with deletes disabled on the same storage (default false). */
  noDelete?: boolean;
  /** Push the sample images (default true). */
  fill?: boolean;
  /** Tags in `sample/many` (default 1500). */
  manyTags?: number;
  /**
   * How the extra tags of `sample/many` are made: `storage` (default) writes the tag links into the registry's
   * filesystem storage exactly as a manifest PUT does (~1 ms per 100 tags); `http` PUTs the manifest under each
   * tag (~4 ms of registry CPU per tag, mostly bcrypt and manifest verification). `sample/shared` always uses PUT.
   */
  manyTagsVia?: 'storage' | 'http';
  username?: string;
  /** Default: random per run. */
  password?: string;
  /**
   * Parent of the temp dir (default: $REGISTRY_SANDBOX_TMPDIR, else /dev/shm when writable, else the OS temp dir).
   * A memory file system makes filling ~10× faster than a busy disk: distribution does many small file writes.
   */
  baseDir?: string;
  /** Keep the temp dir on stop (debugging). */
  keep?: boolean;
  /** More services to start with the sandbox (e.g. the fake Docker Hub); they are stopped with it. */
  extra?: ((sb: Sandbox) => Promise<ExtraService>)[];
  log?: (line: string) => void;
}

export interface Sandbox {
  oci: RegistryEndpoint;
  ociToken?: TokenEndpoint;
  ociNoDelete?: RegistryEndpoint;
  extra: Record<string, unknown>;
  dir: string;
  /** What the sandbox contains, for assertions. */
  content: SandboxContent;
  /** Milliseconds spent: certificates + processes, and filling. */
  timings: { startMs: number; fillMs: number };
  stop(): Promise<void>;
}

export interface SandboxContent {
  repositories: string[];
  hello: { repository: string; tag: string; digest: string; size: number; layers: string[]; config: string };
  multi: { repository: string; tag: string; digest: string; platforms: string[]; sizes: number[] };
  shared: { repository: string; tags: string[]; digest: string };
  many: { repository: string; tags: string[]; digest: string };
  other: { repository: string; tag: string; digest: string };
  /** An image with a cosign signature, SBOM and attestations (SLSA provenance and a vulnerability report, in its cosign
   * tags) and two OCI 1.1 referrers (SPDX SBOM, SLSA v1 provenance) in the tag schema. */
  signed: { repository: string; tag: string; digest: string } & SupplyChainSet;
}

/** JSON form of a sandbox (what the CLI writes). */
export function sandboxJson(sb: Sandbox): Record<string, unknown> {
  const plain = (e: RegistryEndpoint | undefined): Record<string, unknown> | undefined =>
    e && {
      url: e.url,
      host: e.host,
      caFile: e.caFile,
      username: e.username,
      password: e.password,
      deleteEnabled: e.deleteEnabled,
      auth: e.auth,
      ...(e.tokenRealm ? { tokenRealm: e.tokenRealm, tokenService: e.tokenService } : {}),
    };
  return { dir: sb.dir, oci: plain(sb.oci), ociToken: plain(sb.ociToken), ociNoDelete: plain(sb.ociNoDelete), content: sb.content, extra: sb.extra };
}

// ---------------------------------------------------------------------------------------------------------------

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const t0 = Date.now();
  const log = opts.log ?? (() => undefined);
  const baseDir = opts.baseDir ?? defaultBaseDir();
  sweepOrphans(baseDir);
  const dir = fs.mkdtempSync(path.join(baseDir, 'registry-sandbox-'));
  fs.writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  const stops: (() => Promise<void>)[] = [];
  // Registries are killed by their own exit hooks; this removes the temp dir when stop() was never called.
  const removeDir = (): void => {
    if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', removeDir);
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    stops.length = 0;
    process.off('exit', removeDir);
    removeDir();
  };
  try {
    const username = opts.username ?? 'tester';
    const password = opts.password ?? `pw-${crypto.randomBytes(9).toString('base64url')}`;
    const [certs] = await Promise.all([makeCertificates(dir), writeHtpasswd(dir, username, password)]);
    const storage = path.join(dir, 'storage');
    fs.mkdirSync(storage);

    const wantToken = opts.token !== false;
    const tokenService = 'registry-sandbox';
    const tokenServer = wantToken
      ? await startTokenServer({
          signingKeyPem: fs.readFileSync(certs.tokenKey, 'utf8'),
          signingCertPem: fs.readFileSync(certs.tokenCert, 'utf8'),
          issuer: 'registry-sandbox-issuer',
          service: tokenService,
          username,
          password,
          tls: { certPem: fs.readFileSync(certs.serverCert, 'utf8'), keyPem: fs.readFileSync(certs.serverKey, 'utf8') },
        })
      : undefined;
    if (tokenServer) stops.push(() => tokenServer.close());

    const base = { dir, storage, certs, username, password };
    const starts: Promise<RunningRegistry>[] = [startRegistry({ ...base, name: 'oci', deleteEnabled: true, auth: { kind: 'htpasswd' } })];
    if (tokenServer) {
      starts.push(
        startRegistry({
          ...base,
          name: 'oci-token',
          deleteEnabled: true,
          auth: { kind: 'token', realm: tokenServer.realm, service: tokenService, issuer: 'registry-sandbox-issuer', rootCertBundle: certs.tokenCert },
        }),
      );
    }
    if (opts.noDelete) starts.push(startRegistry({ ...base, name: 'oci-nodelete', deleteEnabled: false, auth: { kind: 'htpasswd' } }));
    const settled = await Promise.allSettled(starts);
    for (const s of settled) if (s.status === 'fulfilled') stops.push(() => s.value.stop());
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const regs = settled.map((s) => (s as PromiseFulfilledResult<RunningRegistry>).value);
    const byName = (n: string): RunningRegistry | undefined => regs.find((r) => r.name === n);

    const endpoint = (r: RunningRegistry): RegistryEndpoint => ({
      url: r.url,
      host: r.host,
      caFile: certs.caCert,
      username,
      password,
      deleteEnabled: r.deleteEnabled,
      auth: r.auth,
      accessLog: () => readAccessLog(r.accessLogFile),
      pid: r.pid,
    });
    const oci = endpoint(byName('oci')!);
    const tokenReg = byName('oci-token');
    const ociToken: TokenEndpoint | undefined =
      tokenReg && tokenServer ? { ...endpoint(tokenReg), tokenRealm: tokenServer.realm, tokenService, tokenServer } : undefined;
    const noDel = byName('oci-nodelete');
    const startMs = Date.now() - t0;
    log(`registries up in ${startMs} ms`);

    const t1 = Date.now();
    const content =
      opts.fill === false ? emptyContent() : await fillRegistry(oci, dir, certs.certDir, storage, opts.manyTags ?? 1500, opts.manyTagsVia ?? 'storage');
    const fillMs = Date.now() - t1;
    log(`filled in ${fillMs} ms`);

    const sb: Sandbox = {
      oci,
      ociToken,
      ociNoDelete: noDel && endpoint(noDel),
      extra: {},
      dir,
      content,
      timings: { startMs, fillMs },
      stop,
    };
    for (const start of opts.extra ?? []) {
      const svc = await start(sb);
      stops.push(() => svc.stop());
      sb.extra[svc.name] = svc.info;
    }
    return sb;
  } catch (e) {
    await stop();
    throw e;
  }
}

function defaultBaseDir(): string {
  if (process.env.REGISTRY_SANDBOX_TMPDIR) return process.env.REGISTRY_SANDBOX_TMPDIR;
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes sandboxes whose owning process died without cleaning up (killed with SIGKILL, say): stops their
 * registries — only processes whose command line names that sandbox's config — and deletes the directory.
 */
export function sweepOrphans(baseDir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(baseDir).filter((n) => n.startsWith('registry-sandbox-'));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(baseDir, name);
    try {
      const owner = Number(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
      if (!owner || alive(owner)) continue;
      const pids = fs.existsSync(path.join(dir, 'registry.pids')) ? fs.readFileSync(path.join(dir, 'registry.pids'), 'utf8').split('\n').map(Number).filter(Boolean) : [];
      for (const pid of pids) {
        let cmdline = '';
        try {
          cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          continue;
        }
        if (cmdline.includes(dir)) process.kill(pid, 'SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Not ours (no owner.pid) or being removed concurrently: leave it.
    }
  }
}

// --- certificates and htpasswd -----------------------------------------------------------------------------------

interface Certs {
  caCert: string;
  serverCert: string;
  serverKey: string;
  tokenCert: string;
  tokenKey: string;
  /** Directory with only `ca.crt`, for skopeo's `--dest-cert-dir`. */
  certDir: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await run('openssl', args, { cwd });
}

/** A CA, a server certificate for 127.0.0.1/localhost signed by it, and an RSA certificate that signs tokens. */
async function makeCertificates(dir: string): Promise<Certs> {
  const d = path.join(dir, 'tls');
  fs.mkdirSync(d);
  const certDir = path.join(dir, 'skopeo-certs');
  fs.mkdirSync(certDir);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const ca = openssl(
    ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Registry Explorer Sandbox CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    d,
  );
  const csr = openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], d);
  const token = openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'token.key', '-out', 'token.crt', '-days', '2', '-subj', '/CN=Registry Sandbox Token Signer'],
    d,
  );
  fs.writeFileSync(
    path.join(d, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  await Promise.all([ca, csr]);
  await openssl(
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext'],
    d,
  );
  await token;
  fs.copyFileSync(path.join(d, 'ca.crt'), path.join(certDir, 'ca.crt'));
  return {
    caCert: path.join(d, 'ca.crt'),
    serverCert: path.join(d, 'server.crt'),
    serverKey: path.join(d, 'server.key'),
    tokenCert: path.join(d, 'token.crt'),
    tokenKey: path.join(d, 'token.key'),
    certDir,
  };
}

async function writeHtpasswd(dir: string, username: string, password: string): Promise<void> {
  // Cost 4: at the default cost every authenticated request spends ~250 ms in bcrypt.
  const { stdout } = await run('htpasswd', ['-nbB', '-C', '4', username, password]);
  fs.writeFileSync(path.join(dir, 'htpasswd'), stdout.trim() + '\n');
}

// --- registry processes ------------------------------------------------------------------------------------------

type AuthConfig =
  | { kind: 'htpasswd' }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertBundle: string };

interface RegistryStartOptions {
  name: string;
  dir: string;
  storage: string;
  certs: Certs;
  deleteEnabled: boolean;
  auth: AuthConfig;
}

interface RunningRegistry {
  name: string;
  url: string;
  host: string;
  deleteEnabled: boolean;
  auth: 'htpasswd' | 'token';
  accessLogFile: string;
  pid: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function startRegistry(o: RegistryStartOptions): Promise<RunningRegistry> {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = {
    version: '0.1',
    log: { level: 'warn', formatter: 'text', accesslog: { disabled: false } },
    storage: {
      filesystem: { rootdirectory: o.storage },
      delete: { enabled: o.deleteEnabled },
      cache: { blobdescriptor: 'inmemory' },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: host,
      secret: crypto.randomBytes(16).toString('hex'),
      tls: { certificate: o.certs.serverCert, key: o.certs.serverKey },
      headers: { 'X-Content-Type-Options': ['nosniff'] },
    },
    auth:
      o.auth.kind === 'htpasswd'
        ? { htpasswd: { realm: 'Registry Sandbox', path: path.join(o.dir, 'htpasswd') } }
        : { token: { realm: o.auth.realm, service: o.auth.service, issuer: o.auth.issuer, rootcertbundle: o.auth.rootCertBundle } },
    health: { storagedriver: { enabled: false } },
  };
  // YAML is a superset of JSON.
  const configFile = path.join(o.dir, `${o.name}.yml`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const accessLogFile = path.join(o.dir, `${o.name}.access.log`);
  const errorLogFile = path.join(o.dir, `${o.name}.log`);
  const out = fs.openSync(accessLogFile, 'a');
  const err = fs.openSync(errorLogFile, 'a');
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', configFile], { stdio: ['ignore', out, err] });
  fs.closeSync(out);
  fs.closeSync(err);
  if (child.pid) fs.appendFileSync(path.join(o.dir, 'registry.pids'), `${child.pid}\n`);
  // A registry must not outlive the process that started it, even when that process exits without stop().
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  let exited: string | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = `exited with ${code ?? signal}`;
      process.off('exit', killOnExit);
      resolve();
    });
    child.once('error', (e) => {
      exited = `failed to start: ${e.message}`;
      process.off('exit', killOnExit);
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exitPromise;
    clearTimeout(timer);
  };
  const url = `https://${host}`;
  const agent = new Agent({ connect: { ca: fs.readFileSync(o.certs.caCert, 'utf8') } });
  try {
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (exited) throw new Error(`${o.name}: docker-registry ${exited}: ${tail(errorLogFile)}`);
      try {
        const res = await undiciRequest(`${url}/v2/`, { dispatcher: agent });
        await res.body.dump();
        if (res.statusCode === 401) break;
        throw new Error(`${o.name}: GET /v2/ answered ${res.statusCode}, expected 401`);
      } catch (e) {
        if (e instanceof Error && e.message.startsWith(`${o.name}:`)) throw e;
        if (Date.now() > deadline) throw new Error(`${o.name}: docker-registry did not answer on ${url}: ${String(e)}; ${tail(errorLogFile)}`);
        await new Promise((r) => setTimeout(r, 30));
      }
    }
  } catch (e) {
    await stop();
    throw e;
  } finally {
    await agent.close();
  }
  return { name: o.name, url, host, deleteEnabled: o.deleteEnabled, auth: o.auth.kind, accessLogFile, pid: child.pid!, stop };
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-5).join('\n');
  } catch {
    return '(no log)';
  }
}

const ACCESS_RE = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3})/;

export function readAccessLog(file: string): AccessLogEntry[] {
  const out: AccessLogEntry[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = ACCESS_RE.exec(line);
    if (m) out.push({ method: m[1], path: m[2], status: Number(m[3]) });
  }
  return out;
}

// --- content -----------------------------------------------------------------------------------------------------

function emptyContent(): SandboxContent {
  const none = { repository: '', tag: '', digest: '' };
  return { repositories: [], hello: { ...none, size: 0, layers: [], config: '' }, multi: { ...none, platforms: [], sizes: [] }, shared: { repository: '', tags: [], digest: '' }, many: { repository: '', tags: [], digest: '' }, other: none, signed: { ...none, publicKeyPem: '', signature: { tag: '', digest: '', payload: '', signature: '' }, attestation: { tag: '', digest: '', predicateType: '' }, sbom: { tag: '', digest: '' }, referrers: { sbom: '', provenance: '' } } };
}

/** Tag names of `sample/many`: `1.<minor>.<patch>`, 100 patches per minor, so natural order has work to do. */
export function manyTagNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `1.${Math.floor(i / 100)}.${i % 100}`);
}

const CREATED = '2024-05-01T12:00:00Z';

function image(name: string, arch: string, extra: Partial<ImageSpec> = {}): ImageSpec {
  return {
    os: 'linux',
    architecture: arch,
    created: CREATED,
    author: 'Registry Explorer sandbox',
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `IMAGE_NAME=${name}`],
    cmd: [`/bin/${name}`],
    workingDir: '/srv',
    exposedPorts: ['8080/tcp'],
    labels: { 'org.opencontainers.image.title': name, 'org.opencontainers.image.version': '1.0' },
    layers: [
      { files: [{ path: `etc/${name}-release`, content: `${name} ${arch}\n` }], createdBy: `/bin/sh -c #(nop) ADD file:${name}-base in /` },
      { files: [{ path: `bin/${name}`, content: `#!/bin/sh\necho ${name} on ${arch}\n`, mode: 0o755 }], createdBy: `COPY ${name} /bin/${name} # buildkit` },
    ],
    emptyHistory: [`ENV IMAGE_NAME=${name}`, `CMD ["/bin/${name}"]`],
    ...extra,
  };
}

/** Builds the layout, pushes it with skopeo, then adds tags by PUTting manifests. */
async function fillRegistry(
  oci: RegistryEndpoint,
  dir: string,
  certDir: string,
  storage: string,
  manyTags: number,
  manyTagsVia: 'storage' | 'http',
): Promise<SandboxContent> {
  const layout = new OciLayout(path.join(dir, 'layout'));
  const hello = layout.addImage(image('hello', 'amd64'));
  const other = layout.addImage(image('app', 'amd64', { created: '2023-11-20T08:30:00Z' }));
  const amd = layout.addImage(image('multi', 'amd64'));
  const arm = layout.addImage(image('multi', 'arm64', { variant: 'v8', created: '2024-05-02T12:00:00Z' }));
  const multi = layout.addIndex([amd, arm]);
  const shared = layout.addImage(image('shared', 'amd64', { created: '2024-03-10T09:00:00Z' }));
  const many = layout.addImage(image('many', 'amd64', { created: '2024-01-01T00:00:00Z' }));
  const signed = layout.addImage(image('signed', 'amd64', { created: '2026-11-01T12:00:00Z' }));
  layout.ref('hello', hello);
  layout.ref('other', other);
  layout.ref('multi', multi);
  layout.ref('shared', shared);
  layout.ref('many', many);
  layout.ref('signed', signed);
  layout.write();

  const manyNames = manyTagNames(manyTags);
  const sharedTags = ['a', 'b', 'c'];
  const copy = async (ref: string, dest: string, all = false): Promise<void> => {
    const args = ['copy', '--quiet', '--dest-cert-dir', certDir, '--dest-creds', `${oci.username}:${oci.password}`];
    if (all) args.push('--all');
    args.push(`oci:${layout.dir}:${ref}`, `docker://${oci.host}/${dest}`);
    try {
      await run(SKOPEO_BIN, args, { maxBuffer: 1 << 20 });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`skopeo copy ${ref} → ${dest} failed: ${(err.stderr ?? err.message).replaceAll(oci.password, '***')}`);
    }
  };
  await Promise.all([
    copy('hello', 'sample/hello:1.0'),
    copy('other', 'other/app:2.0'),
    copy('multi', 'sample/multi:latest', true),
    copy('shared', `sample/shared:${sharedTags[0]}`),
    manyNames.length ? copy('many', `sample/many:${manyNames[0]}`) : Promise.resolve(),
    copy('signed', 'sample/signed:1.0'),
  ]);
  // distribution 2.8 has no referrers API: the OCI 1.1 artifacts are listed in the referrers tag schema's index.
  const sink = httpSink(oci);
  let supplyChain: SupplyChainSet;
  try {
    supplyChain = await attachSupplyChain(sink, 'sample/signed', `${oci.host}/sample/signed:1.0`, signed, { tagSchema: true, vulnerabilityReport: true });
  } finally {
    await sink.close();
  }
  const pusher = new ManifestPusher(oci);
  try {
    await pusher.putTags('sample/shared', layout.readBlob(shared.digest), shared.mediaType, sharedTags.slice(1));
    if (manyTagsVia === 'http') await pusher.putTags('sample/many', layout.readBlob(many.digest), many.mediaType, manyNames.slice(1));
    else writeTagLinks(storage, 'sample/many', many.digest, manyNames.slice(1));
  } finally {
    await pusher.close();
  }
  const helloManifest = JSON.parse(layout.readBlob(hello.digest).toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
  return {
    repositories: ['other/app', 'sample/hello', 'sample/many', 'sample/multi', 'sample/shared', 'sample/signed'].filter((r) => r !== 'sample/many' || manyNames.length > 0),
    hello: { repository: 'sample/hello', tag: '1.0', digest: hello.digest, size: layout.imageSize(hello), layers: helloManifest.layers.map((l) => l.digest), config: helloManifest.config.digest },
    other: { repository: 'other/app', tag: '2.0', digest: other.digest },
    multi: { repository: 'sample/multi', tag: 'latest', digest: multi.digest, platforms: ['linux/amd64', 'linux/arm64/v8'], sizes: [layout.imageSize(amd), layout.imageSize(arm)] },
    shared: { repository: 'sample/shared', tags: sharedTags, digest: shared.digest },
    many: { repository: 'sample/many', tags: manyNames, digest: many.digest },
    signed: { repository: 'sample/signed', tag: '1.0', digest: signed.digest, ...supplyChain },
  };
}

/**
 * Tags a manifest that is already in the repository by writing the links distribution's filesystem storage keeps
 * for a tag (`_manifests/tags/<tag>/current/link` and the tag's index entry), the same files a manifest PUT writes.
 * The registry reads tags from these files on every request, so it serves them at once.
 */
export function writeTagLinks(storage: string, repository: string, digest: string, tags: string[]): void {
  const [algo, hex] = digest.split(':');
  const tagsDir = path.join(storage, 'docker', 'registry', 'v2', 'repositories', repository, '_manifests', 'tags');
  if (!fs.existsSync(path.join(tagsDir, '..', 'revisions', algo, hex, 'link'))) {
    throw new Error(`${repository}@${digest} is not in the registry; push it before tagging it`);
  }
  for (const tag of tags) {
    const indexDir = path.join(tagsDir, tag, 'index', algo, hex);
    fs.mkdirSync(indexDir, { recursive: true });
    fs.mkdirSync(path.join(tagsDir, tag, 'current'), { recursive: true });
    fs.writeFileSync(path.join(indexDir, 'link'), digest);
    fs.writeFileSync(path.join(tagsDir, tag, 'current', 'link'), digest);
  }
}

/** PUTs one manifest under many tags with bounded concurrency (the blobs are already in the repository). */
export class ManifestPusher {
  private readonly agent: Agent;
  private readonly auth: string;

  constructor(
    private readonly reg: Pick<RegistryEndpoint, 'url' | 'caFile' | 'username' | 'password'>,
    private readonly concurrency = 8,
  ) {
    this.agent = new Agent({ connect: { ca: fs.readFileSync(reg.caFile, 'utf8') }, connections: concurrency });
    this.auth = `Basic ${Buffer.from(`${reg.username}:${reg.password}`).toString('base64')}`;
  }

  async putTags(repository: string, manifest: Buffer, mediaType: string, tags: string[]): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tags.length) {
        const tag = tags[next++];
        const res = await undiciRequest(`${this.reg.url}/v2/${repository}/manifests/${encodeURIComponent(tag)}`, {
          method: 'PUT',
          dispatcher: this.agent,
          headers: { authorization: this.auth, 'content-type': mediaType },
          body: manifest,
        });
        const text = await res.body.text();
        if (res.statusCode !== 201) throw new Error(`PUT ${repository}:${tag} answered ${res.statusCode}: ${text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, tags.length) }, worker));
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

// --- CLI ---------------------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const jsonFile = arg('--json');
  const many = arg('--many-tags');
  const sb = await startSandbox({
    token: !argv.includes('--no-token'),
    noDelete: argv.includes('--no-delete-instance'),
    fill: !argv.includes('--no-fill'),
    manyTags: many === undefined ? undefined : Number(many),
    keep: argv.includes('--keep'),
    log: (l) => process.stderr.write(`[sandbox] ${l}\n`),
  });
  const json = JSON.stringify(sandboxJson(sb), null, 2);
  if (jsonFile) fs.writeFileSync(jsonFile, json + '\n', { mode: 0o600 });
  else process.stdout.write(json + '\n');
  process.stderr.write(`[sandbox] ready: ${sb.oci.url}${sb.ociToken ? ` and ${sb.ociToken.url} (token)` : ''}\n`);
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    void sb.stop().then(() => {
      process.exit(0);
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  // Also stop when the parent closes our stdin (e.g. it died without signalling).
  if (argv.includes('--stdin-lifetime')) process.stdin.on('end', shutdown).resume();
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`[sandbox] ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
