import type { ProviderDescriptor } from '../descriptor';

/** Harbor 2.x (`/api/v2.0`, registry `/v2/` on the same origin); the provider module loads on first use. */
export const descriptor: ProviderDescriptor = {
  kind: 'harbor',
  label: 'Harbor',
  shortLabel: 'Harbor',
  detail: 'Harbor API v2.0: projects, repositories, artifacts with their tags, signatures and SBOMs, vulnerability reports',
  namespaces: true,
  implemented: true,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider bundle loads on first use
  loadSync: () => (require('./provider') as typeof import('./provider')).createProvider,
  load: () => Promise.resolve().then(() => descriptor.loadSync!()),
};
