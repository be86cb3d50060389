import type { ProviderDescriptor } from '../descriptor';

/** Docker Trusted Registry / Mirantis Secure Registry (`/api/v0`); the provider module loads on first use. */
export const descriptor: ProviderDescriptor = {
  kind: 'dtr',
  label: 'DTR / MSR',
  detail: 'Docker Trusted Registry or Mirantis Secure Registry: repositories, policies, team access, webhooks, scans',
  namespaces: true,
  implemented: true,
  // A lazy require (not import()): it resolves the same way under esbuild, tsc's CommonJS output and the tests.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => Promise.resolve((require('./provider') as typeof import('./provider')).createProvider),
};
