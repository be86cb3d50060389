import type { ProviderDescriptor } from '../descriptor';

/** Docker Hub: small enough to load at activation; the provider itself is its own bundle, loaded on first use. */
export const descriptor: ProviderDescriptor = {
  kind: 'dockerhub',
  label: 'Docker Hub',
  shortLabel: 'Docker Hub',
  detail: 'Hub API v2',
  defaultUrl: 'https://hub.docker.com',
  registryUrl: { note: 'the default is https://registry-1.docker.io when the URL is https://hub.docker.com' },
  namespaces: true,
  implemented: true,
  // The Docker CLI keeps Hub credentials under its v1 index URL; any of these hosts means Docker Hub.
  dockerConfigHosts: ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'hub.docker.com'],
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider bundle loads on first use
  loadSync: () => (require('./provider') as typeof import('./provider')).createProvider,
  load: () => Promise.resolve().then(() => descriptor.loadSync!()),
};
