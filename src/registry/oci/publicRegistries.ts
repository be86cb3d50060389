/**
 * Public registries that do not list their repositories (`/v2/_catalog` is refused, or answers an empty list, to
 * everyone), and the token services on another origin their vendors document. An `oci` entry pointed at one of
 * them shows the repositories of its `repositories` setting without asking for the catalog first.
 */
export interface PublicRegistry {
  /** Who runs it, for the one-line notice. */
  readonly name: string;
  /** Whether a registry host (lower case, without port) is this service. */
  matches(host: string): boolean;
  /**
   * Origins of the token service the vendor documents for this registry when it is not on the registry's own origin:
   * the entry's credentials go there without asking, like Docker's registry-1.docker.io → auth.docker.io.
   */
  readonly tokenRealms?: readonly string[];
}

export const PUBLIC_REGISTRIES: readonly PublicRegistry[] = [
  { name: 'GitHub Container Registry', matches: (h) => h === 'ghcr.io' },
  // GitLab.com's registry sends clients to GitLab's JWT endpoint (https://gitlab.com/jwt/auth).
  { name: 'GitLab Container Registry', matches: (h) => h === 'registry.gitlab.com', tokenRealms: ['https://gitlab.com'] },
  { name: 'Amazon ECR', matches: (h) => /^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(h) },
  { name: 'Google Artifact Registry', matches: (h) => /^[a-z0-9-]+-docker\.pkg\.dev$/.test(h) },
  { name: 'Azure Container Registry', matches: (h) => /^[a-z0-9-]+\.azurecr\.(io|cn|us)$/.test(h) },
  // Docker's registry names its token service on auth.docker.io (documented by Docker).
  { name: 'Docker Hub', matches: (h) => h === 'registry-1.docker.io', tokenRealms: ['https://auth.docker.io'] },
];

/** The public registry at `url`, if it is one of the known services. */
export function publicRegistryOf(url: string): PublicRegistry | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return PUBLIC_REGISTRIES.find((r) => r.matches(host));
}
