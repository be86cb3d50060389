import type { ProviderContext } from '../context';
import { DistributionProvider } from '../distribution';
import type { RegistryProvider } from '../provider';

export const DEFAULT_HUB_API_URL = 'https://hub.docker.com';
export const DEFAULT_HUB_REGISTRY = 'https://registry-1.docker.io';
/** Docker Hub's token service, the realm of registry-1.docker.io's challenges (documented by Docker). */
export const DOCKER_HUB_TOKEN_REALM = 'https://auth.docker.io';

/** The registry side of Hub (manifests, configs): a Distribution provider pointed at `registryUrl`. */
export type HubRegistrySide = Pick<RegistryProvider, 'ping' | 'resetAuth' | 'dispose'> & Partial<Pick<RegistryProvider, 'getTagDetails' | 'getImageDetails' | 'listAttachments' | 'getAttachmentContent' | 'verifyAttachments' | 'getAttachedReport'>>;

/** The registry URL of a Hub connection: `registryUrl`, or Docker's registry when `url` is Docker Hub itself. */
export function hubRegistryUrl(ctx: ProviderContext): string | undefined {
  if (ctx.connection.registryUrl) return ctx.connection.registryUrl;
  return new URL(ctx.connection.url).host === new URL(DEFAULT_HUB_API_URL).host ? DEFAULT_HUB_REGISTRY : undefined;
}

/**
 * The Distribution provider for the registry behind a Hub connection. It authenticates with the registry's own Bearer
 * challenge (the realm comes from the registry), with the same user name and token as the Hub API. Docker's own
 * registry names its token service on another origin (auth.docker.io): that documented pair is allowed; any other
 * realm on another origin is the host's to allow.
 */
export function hubRegistrySide(ctx: ProviderContext): HubRegistrySide | undefined {
  const url = hubRegistryUrl(ctx);
  if (!url) return undefined;
  const tokenRealms = hubTokenRealms(url, ctx.connection.tokenRealms);
  return new DistributionProvider({ ...ctx, connection: { ...ctx.connection, id: `${ctx.connection.id} (registry)`, url, namespaces: undefined, tokenRealms } });
}

/** The token realms allowed for the registry at `registryUrl`: the listed ones, and auth.docker.io for Docker's. */
export function hubTokenRealms(registryUrl: string, listed: readonly string[] | undefined): string[] {
  return [...(listed ?? []), ...(new URL(registryUrl).origin === DEFAULT_HUB_REGISTRY ? [DOCKER_HUB_TOKEN_REALM] : [])];
}
