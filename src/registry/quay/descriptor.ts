import type { ProviderDescriptor } from '../descriptor';

/** Red Hat Quay (quay.io or self-hosted): API `/api/v1` with an OAuth token, registry `/v2` on the same host. */
export const descriptor: ProviderDescriptor = {
  kind: 'quay',
  label: 'Red Hat Quay',
  detail: 'Quay API v1: organizations, robots, teams, tag history, mirroring, security scans',
  defaultUrl: 'https://quay.io',
  namespaces: true,
  implemented: true,
  async load() {
    const m = await import('./provider');
    return m.createProvider;
  },
};
