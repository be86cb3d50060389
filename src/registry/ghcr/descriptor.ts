import type { ProviderDescriptor } from '../descriptor';

/**
 * GitHub Container Registry (ghcr.io) and GitHub Enterprise Server: GitHub's REST packages API with the editor's
 * GitHub account or a personal access token; the registry `/v2/` at ghcr.io or `containers.<host>`.
 */
export const descriptor: ProviderDescriptor = {
  kind: 'ghcr',
  label: 'GitHub Container Registry',
  shortLabel: 'GHCR',
  detail: 'GitHub Packages: your, your organizations’ and other owners’ container packages and versions; sign in with your GitHub account',
  defaultUrl: 'https://github.com',
  registryUrl: { note: 'default ghcr.io, or containers.<host> for GitHub Enterprise Server' },
  namespaces: true,
  implemented: true,
  auth: { provider: 'github', label: 'GitHub', scopes: ['read:packages'], extraScopes: ['delete:packages', 'write:packages'] },
  // `docker login ghcr.io` keeps the token under ghcr.io; an entry's url is github.com.
  dockerConfigHosts: ['ghcr.io', 'github.com'],
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider bundle loads on first use
  loadSync: () => (require('./provider') as typeof import('./provider')).createProvider,
  load: () => Promise.resolve().then(() => descriptor.loadSync!()),
};
