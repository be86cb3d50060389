import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod';
import { descriptors } from '../registry/kinds';

/** Reads credentials from the Docker CLI's config.json (`auths`, `credsStore`, `credHelpers`). Pure Node, no 'vscode'. */

const configSchema = z.object({
  auths: z
    .record(
      z.string(),
      z.object({ auth: z.string().optional(), identitytoken: z.string().optional(), username: z.string().optional(), password: z.string().optional() }).passthrough(),
    )
    .optional(),
  credsStore: z.string().optional(),
  credHelpers: z.record(z.string(), z.string()).optional(),
}).passthrough();

export type DockerConfig = z.infer<typeof configSchema>;

export interface DockerCredential {
  /** The key as written in config.json (host, host:port or URL). */
  serverKey: string;
  username: string;
  secret: string;
  /** Where it came from, for the confirmation prompt. */
  source: string;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

export async function readDockerConfig(file = dockerConfigPath()): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Cannot read ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
  const r = configSchema.safeParse(json);
  if (!r.success) throw new Error(`${file} has an unexpected shape at "${r.error.issues[0]?.path.join('.')}"`);
  return r.data;
}

/** Host[:port] of a config key or registry URL, normalised the way the Docker CLI matches them. */
export function normalizeServer(key: string): string {
  let s = key.trim();
  if (!/^[a-z]+:\/\//i.test(s)) s = 'https://' + s;
  try {
    const u = new URL(s);
    const host = u.host.toLowerCase();
    // A service known by several hosts (the Docker CLI stores some under an index URL) is matched as its first one.
    for (const d of descriptors) if (d.dockerConfigHosts?.includes(host)) return d.dockerConfigHosts[0]!;
    return host;
  } catch {
    return key.trim().toLowerCase();
  }
}

function decodeAuth(auth: string): { username: string; secret: string } | undefined {
  let decoded: string;
  try {
    decoded = Buffer.from(auth, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
  const i = decoded.indexOf(':');
  if (i <= 0) return undefined;
  return { username: decoded.slice(0, i), secret: decoded.slice(i + 1) };
}

const helperOutput = z.object({ Username: z.string(), Secret: z.string() });

/** Runs `docker-credential-<helper> get` with the server on stdin, as the Docker CLI does. */
export function runCredentialHelper(helper: string, server: string, timeoutMs = 10_000): Promise<{ username: string; secret: string } | undefined> {
  if (!/^[A-Za-z0-9_.-]+$/.test(helper)) return Promise.reject(new Error(`Invalid credential helper name "${helper}"`));
  return new Promise((resolve, reject) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return reject(new Error(`Credential helper docker-credential-${helper} is not installed`));
        // Helpers exit non-zero with "credentials not found in native keychain" when they have nothing.
        if (/not found/i.test(String(stdout)) || /not found/i.test(err.message)) return resolve(undefined);
        const exit = (err as { code?: unknown }).code;
        return reject(new Error(`docker-credential-${helper} failed (exit ${typeof exit === 'number' || typeof exit === 'string' ? exit : '?'})`));
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(stdout);
      } catch {
        return reject(new Error(`docker-credential-${helper} printed something that is not JSON`));
      }
      const r = helperOutput.safeParse(parsed);
      if (!r.success) return reject(new Error(`docker-credential-${helper} answered without Username/Secret`));
      resolve({ username: r.data.Username, secret: r.data.Secret });
    });
    child.stdin?.end(server);
  });
}

/**
 * Finds credentials for the given registry URLs. Returns one entry per URL that has credentials; helper
 * failures are reported in `errors` instead of aborting the whole import.
 */
export async function findDockerCredentials(
  registryUrls: string[],
  config: DockerConfig,
  helperRunner: typeof runCredentialHelper = runCredentialHelper,
): Promise<{ found: Map<string, DockerCredential>; errors: string[] }> {
  const found = new Map<string, DockerCredential>();
  const errors: string[] = [];
  const auths = config.auths ?? {};
  const byHost = new Map<string, string>();
  for (const key of Object.keys(auths)) byHost.set(normalizeServer(key), key);
  const helpersByHost = new Map<string, string>();
  for (const [key, helper] of Object.entries(config.credHelpers ?? {})) helpersByHost.set(normalizeServer(key), helper);

  for (const url of registryUrls) {
    const host = normalizeServer(url);
    const helper = helpersByHost.get(host) ?? config.credsStore;
    const key = byHost.get(host);
    const entry = key ? auths[key] : undefined;
    // An inline auth wins over the store; this is what the Docker CLI does when both exist.
    if (entry) {
      const decoded = entry.auth ? decodeAuth(entry.auth) : entry.username && entry.password ? { username: entry.username, secret: entry.password } : undefined;
      if (decoded) {
        found.set(url, { serverKey: key!, ...decoded, source: 'config.json auths' });
        continue;
      }
      if (entry.identitytoken) {
        found.set(url, { serverKey: key!, username: '<token>', secret: entry.identitytoken, source: 'config.json identity token' });
        continue;
      }
    }
    if (helper) {
      const server = key ?? (host === 'docker.io' ? 'https://index.docker.io/v1/' : host);
      try {
        const cred = await helperRunner(helper, server);
        if (cred) found.set(url, { serverKey: server, ...cred, source: `docker-credential-${helper}` });
      } catch (e) {
        errors.push(`${host}: ${(e as Error).message}`);
      }
    }
  }
  return { found, errors };
}
