import { type Credentials, silentLogger } from '../../src/registry/context';
import { GhcrProvider } from '../../src/registry/ghcr/provider';
import { type Page, collectAll } from '../../src/registry/paging';

/** A GHCR provider for the fake GitHub at `g.url` (API at `<url>/api/v3`, registry on the same origin) with `token`. */
export function ghcrProvider(g: { url: string }, token: string | undefined, opts: { namespaces?: string[]; elevate?: (scopes: readonly string[], reason: string) => Promise<Credentials | undefined>; allowTokenRealm?: () => Promise<boolean> } = {}): GhcrProvider {
  return new GhcrProvider({
    connection: { id: 'gh', kind: 'ghcr', url: g.url, registryUrl: g.url, namespaces: opts.namespaces },
    credentials: () => Promise.resolve(token ? { secret: token } : undefined),
    elevate: opts.elevate,
    allowTokenRealm: opts.allowTokenRealm,
    logger: silentLogger,
    http: { maxRetries: 0, timeoutMs: 5000 },
  });
}

/** Every item of a list, page after page (the shared paging guard). */
export function all<T>(f: (c: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  return collectAll(f, 'test list');
}
