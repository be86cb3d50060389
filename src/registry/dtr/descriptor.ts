import type { ProviderDescriptor } from '../descriptor';

/** Docker Trusted Registry / Mirantis Secure Registry (`/api/v0`); the provider module loads on first use. */
export const descriptor: ProviderDescriptor = {
  kind: 'dtr',
  label: 'DTR / MSR',
  detail: 'Docker Trusted Registry or Mirantis Secure Registry: repositories, policies, team access, webhooks, scans',
  shortLabel: 'DTR',
  namespaces: true,
  implemented: true,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider bundle loads on first use
  loadSync: () => (require('./provider') as typeof import('./provider')).createProvider,
  load: () => Promise.resolve().then(() => descriptor.loadSync!()),
};
