import type { ProviderDescriptor } from '../descriptor';

/** Docker Hub v1 index (legacy): small enough to load at activation; the provider itself is its own bundle, loaded on first use. */
export const descriptor: ProviderDescriptor = {
  kind: 'dockerhub-v1',
  label: 'Docker Hub v1 index (legacy)',
  shortLabel: 'Hub v1',
  detail: 'v1 index API',
  defaultUrl: 'https://index.docker.io',
  namespaces: true,
  implemented: true,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider bundle loads on first use
  loadSync: () => (require('./provider') as typeof import('./provider')).createProvider,
  load: () => Promise.resolve().then(() => descriptor.loadSync!()),
};
