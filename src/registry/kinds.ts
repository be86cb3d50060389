import type { ProviderContext } from './context';
import type { ProviderDescriptor } from './descriptor';
import { descriptor as dockerhub } from './dockerhub/descriptor';
import { descriptor as dockerhubV1 } from './dockerhubV1/descriptor';
import { descriptor as dtr } from './dtr/descriptor';
import { descriptor as ghcr } from './ghcr/descriptor';
import { descriptor as harbor } from './harbor/descriptor';
import { UnsupportedError } from './errors';
import { descriptor as oci } from './oci/descriptor';
import { descriptor as quay } from './quay/descriptor';
import type { RegistryProvider } from './provider';

/**
 * Every registry kind, from the descriptors of the provider folders. This module and the descriptors are all that
 * activation loads of src/registry; a provider's bundle loads when a registry of its kind is first used.
 */
export const descriptors: readonly ProviderDescriptor[] = [
  oci,
  dockerhub,
  dockerhubV1,
  dtr,
  quay,
  harbor,
  ghcr,
];

export function descriptorOf(kind: string): ProviderDescriptor | undefined {
  return descriptors.find((d) => d.kind === kind);
}

/** Builds the provider for one configured registry, loading its bundle synchronously. */
export function createProvider(ctx: ProviderContext): RegistryProvider {
  const d = descriptorOf(ctx.connection.kind);
  if (!d?.implemented || !d.loadSync) throw new UnsupportedError(`Registry kind "${ctx.connection.kind}" is not supported yet`);
  return d.loadSync()(ctx);
}
