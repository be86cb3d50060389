import type { Logger } from '../../src/registry/context';
import { silentLogger } from '../../src/registry/context';
import { DtrProvider } from '../../src/registry/dtr/provider';
import type { DtrServer } from '../servers/dtrServer';

/** A DTR provider for the fake DTR, signed in as `user` with a password or an API token (none: anonymous). */
export function dtrProvider(server: DtrServer, user?: string, secret?: string, logger: Logger = silentLogger): DtrProvider {
  return new DtrProvider({
    connection: { id: 'dtr', kind: 'dtr', url: server.url, username: user },
    credentials: () => Promise.resolve(user && secret ? { username: user, secret } : undefined),
    logger,
    http: { maxRetries: 0 },
  });
}
