import { silentLogger } from '../../src/registry/context';
import { HarborProvider } from '../../src/registry/harbor/provider';

/** A Harbor provider on a fake Harbor, signed in as `user` (anonymous without one), with no retries. */
export function harborProvider(s: { url: string }, user?: { username: string; password: string }): HarborProvider {
  return new HarborProvider({
    connection: { id: 'h', kind: 'harbor', url: s.url, username: user?.username },
    credentials: () => Promise.resolve(user ? { username: user.username, secret: user.password } : undefined),
    logger: silentLogger,
    http: { maxRetries: 0, timeoutMs: 5000 },
  });
}
