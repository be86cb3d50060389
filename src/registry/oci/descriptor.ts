import type { ProviderDescriptor } from '../descriptor';

/** OCI / Docker Registry V2 registries: small enough to load at activation; the provider itself is its own bundle, loaded on first use. */
export const descriptor: ProviderDescriptor = {
  kind: 'oci',
  label: 'OCI / Docker Registry V2',
  shortLabel: 'OCI',
  detail: 'distribution, Harbor, GHCR, GitLab, Zot, Artifactory, ECR, ACR …',
  namespaces: false,
  repositories: true,
  implemented: true,
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider bundle loads on first use
  loadSync: () => (require('./provider') as typeof import('./provider')).createProvider,
  load: () => Promise.resolve().then(() => descriptor.loadSync!()),
};
