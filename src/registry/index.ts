import type { ProviderContext } from './context';
import { DockerHubProvider } from './dockerhub/provider';
import { DockerHubV1Provider } from './dockerhubV1/provider';
import { DtrProvider } from './dtr/provider';
import { UnsupportedError } from './errors';
import { OciProvider } from './oci/provider';
import type { RegistryProvider } from './provider';
import { QuayProvider } from './quay/provider';

/** Builds the provider for one configured registry. Kinds without a provider yet throw UnsupportedError. */
export function createProvider(ctx: ProviderContext): RegistryProvider {
  switch (ctx.connection.kind) {
    case 'oci':
      return new OciProvider(ctx);
    case 'dockerhub':
      return new DockerHubProvider(ctx);
    case 'dockerhub-v1':
      return new DockerHubV1Provider(ctx);
    case 'dtr':
      return new DtrProvider(ctx);
    case 'quay':
      return new QuayProvider(ctx);
    default:
      throw new UnsupportedError(`Registry kind "${String(ctx.connection.kind)}" is not supported yet`);
  }
}
