import { silentLogger, type Credentials, type CredentialPurpose, type Logger, type ProviderContext, type RegistryConnection } from '../../src/registry/context';
import { QuayProvider } from '../../src/registry/quay/provider';
import type { QuayServer } from '../servers/quayServer';

/** Quay providers for tests against the fake Quay, with an in-memory pair of secrets (API token, /v2 login). */
const made: QuayProvider[] = [];

export interface QuaySetup {
  provider: QuayProvider;
  secrets: Partial<Record<CredentialPurpose, Credentials | undefined>>;
  warnings: string[];
}

export function quayProvider(quay: QuayServer, token: string | null = quay.token, conn: Partial<RegistryConnection> = {}): QuaySetup {
  const secrets: QuaySetup['secrets'] = { api: token ? { secret: token } : undefined };
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
  const ctx: ProviderContext = {
    connection: { id: 'quay', kind: 'quay', url: quay.url, ...conn },
    credentials: async (purpose = 'api') => secrets[purpose],
    setCredentials: async (purpose, c) => {
      secrets[purpose] = c;
    },
    logger,
    http: { timeoutMs: 5_000, maxRetries: 0 },
  };
  const provider = new QuayProvider(ctx);
  made.push(provider);
  return { provider, secrets, warnings };
}

export function disposeQuayProviders(): void {
  for (const p of made.splice(0)) p.dispose();
}

