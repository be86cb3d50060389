import type { ProviderDescriptor } from '../descriptor';

/** Docker Trusted Registry / Mirantis Secure Registry (`/api/v0`); the provider bundle loads on first use. */
export const descriptor: ProviderDescriptor = {
  kind: 'dtr',
  label: 'DTR / MSR',
  detail: 'Docker Trusted Registry or Mirantis Secure Registry: repositories, policies, team access, webhooks, scans',
  namespaces: true,
  implemented: true,
  load: async () => (await import('./provider')).createProvider,
};
