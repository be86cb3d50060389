import { silentLogger, type Credentials, type ProviderContext } from '../../src/registry/context';
import { OciProvider } from '../../src/registry/oci/provider';
import { startOciServer, type OciServer, type OciServerOptions } from '../servers/ociServer';

/** OCI providers for tests against the fake registry (or any URL), with short timeouts and no retries by default. */
const made: OciProvider[] = [];

export interface OciSetup {
  creds?: Credentials;
  /** The provider's clock (token lifetimes), shared with the server's when a test moves time. */
  now?: () => number;
  tokenRealms?: string[];
  http?: { timeoutMs?: number; maxRetries?: number };
  /** Any other context field (e.g. `allowTokenRealm`), applied last. */
  context?: Partial<ProviderContext>;
}

export function ociProvider(reg: OciServer | string, o: OciSetup = {}): OciProvider {
  const ctx: ProviderContext = {
    connection: { id: 'test', kind: 'oci', url: typeof reg === 'string' ? reg : reg.url, ...(o.tokenRealms ? { tokenRealms: o.tokenRealms } : {}) },
    credentials: async () => o.creds,
    logger: silentLogger,
    http: { timeoutMs: 5_000, maxRetries: 0, ...o.http },
    ...o.context,
  };
  const p = new OciProvider(ctx, { now: o.now });
  made.push(p);
  return p;
}

export function disposeOciProviders(): void {
  for (const p of made.splice(0)) p.dispose();
}

const servers: OciServer[] = [];

/** Starts a fake registry that `closeOciServers()` closes (after each test). */
export async function ociServer(opts: OciServerOptions = {}): Promise<OciServer> {
  const s = await startOciServer(opts);
  servers.push(s);
  return s;
}

export async function closeOciServers(): Promise<void> {
  await Promise.all(servers.splice(0).map((s) => s.close()));
}
