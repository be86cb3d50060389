import type { ProviderDescriptor } from '../descriptor';

/** Docker Hub: small enough to load at activation; the provider itself is its own bundle, loaded on first use. */
export const descriptor: ProviderDescriptor = {
  kind: 'dockerhub',
  label: 'Docker Hub',
  shortLabel: 'Docker Hub',
  detail: 'Hub API v2',
  defaultUrl: 'https://hub.docker.com',
  namespaces: true,
  implemented: true,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider bundle loads on first use
  loadSync: () => (require('./provider') as typeof import('./provider')).createProvider,
  load: () => Promise.resolve().then(() => descriptor.loadSync!()),
};
