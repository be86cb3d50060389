import type { ProviderContext } from '../context';
import { DistributionProvider } from '../distribution';
import type { RegistryProvider } from '../provider';

/** An OCI Distribution / Docker Registry V2 registry: the shared Distribution provider, for the whole registry. */
export class OciProvider extends DistributionProvider {}

/** Builds the provider for one configured registry (the descriptor's loader returns this). */
export function createProvider(ctx: ProviderContext): RegistryProvider {
  return new OciProvider(ctx);
}
