import type { ProviderDescriptor } from '../descriptor';

/** Red Hat Quay (quay.io or self-hosted): API `/api/v1` with an OAuth token, registry `/v2` on the same host. */
export const descriptor: ProviderDescriptor = {
  kind: 'quay',
  label: 'Red Hat Quay',
  detail: 'Quay API v1: organizations, robots, teams, tag history, mirroring, security scans',
  defaultUrl: 'https://quay.io',
  registryUrl: {},
  shortLabel: 'Quay',
  namespaces: true,
  implemented: true,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider bundle loads on first use
  loadSync: () => (require('./provider') as typeof import('./provider')).createProvider,
  load: () => Promise.resolve().then(() => descriptor.loadSync!()),
  scanReportFile: {
    name: 'Quay security report',
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider bundle loads on first use
    read: (json, fileName) => (require('./provider') as typeof import('./provider')).readSecurityFile(json, fileName),
  },
};
