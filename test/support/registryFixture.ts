/**
 * One sandbox for the whole registry suite: started by the first test that asks for it, stopped by a root-level
 * `after` hook once every file has run. Also builds providers for its endpoints and counts registry requests.
 */
import { silentLogger, type Credentials, type ProviderContext } from '../../src/registry/context';
import { createProvider } from '../../src/registry/kinds';
import type { RegistryProvider } from '../../src/registry/provider';
import { startSandbox, type AccessLogEntry, type RegistryEndpoint, type Sandbox } from './sandbox';

let sandbox: Promise<Sandbox> | undefined;

/** The suite's sandbox (htpasswd, token and delete-disabled instances, filled). */
export function sharedSandbox(): Promise<Sandbox> {
  sandbox ??= startSandbox({ token: true, noDelete: true, manyTags: 1500 }).then((sb) => {
    if (process.env.SANDBOX_TIMINGS) process.stderr.write(`sandbox: start ${sb.timings.startMs} ms, fill ${sb.timings.fillMs} ms\n`);
    return sb;
  });
  return sandbox;
}

// Root-level hook: runs once after all files.
after(async function () {
  this.timeout(20_000);
  if (sandbox) await (await sandbox).stop();
  sandbox = undefined;
});

export interface ProviderOptions {
  /** Credentials to present; default the endpoint's; `null` for none. */
  credentials?: Credentials | null;
  /** Trust the sandbox CA (default true). */
  trustCa?: boolean;
  insecureSkipTlsVerify?: boolean;
}

export function providerFor(ep: RegistryEndpoint, opts: ProviderOptions = {}): RegistryProvider {
  const creds = opts.credentials === undefined ? { username: ep.username, secret: ep.password } : (opts.credentials ?? undefined);
  const ctx: ProviderContext = {
    connection: {
      id: `sandbox-${ep.auth}`,
      kind: 'oci',
      url: ep.url,
      username: creds?.username,
      caFile: opts.trustCa === false ? undefined : ep.caFile,
      insecureSkipTlsVerify: opts.insecureSkipTlsVerify,
      // The standalone token server is another origin: a user allows it once; the suite allows it explicitly.
      ...(ep.tokenRealm ? { tokenRealms: [new URL(ep.tokenRealm).origin] } : {}),
    },
    credentials: async () => creds,
    logger: silentLogger,
    http: { timeoutMs: 15_000, maxRetries: 0 },
  };
  return createProvider(ctx);
}

/** Runs `fn` and returns the requests the registry logged meanwhile (its access log is written after each response). */
export async function requestsDuring<T>(ep: RegistryEndpoint, fn: () => Promise<T>): Promise<{ result: T; requests: AccessLogEntry[] }> {
  const before = ep.accessLog().length;
  const result = await fn();
  // Wait at least 100 ms and until the log stops growing (at most 2 s).
  let seen = -1;
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const n = ep.accessLog().length;
    if (n === seen && i >= 1) break;
    seen = n;
  }
  return { result, requests: ep.accessLog().slice(before) };
}
