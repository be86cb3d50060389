import type { ProviderContext } from './context';
import type { RegistryProvider } from './provider';

/**
 * How a registry kind describes itself: one `descriptor.ts` per provider folder, small enough to load at activation.
 * The provider itself (client, schemas, admin model) is loaded on first use through `load()`.
 */
export interface ProviderDescriptor {
  /** The `kind` value of `registryExplorer.registries` entries. */
  kind: string;
  /** Shown in pickers and the registry node's description (e.g. "Docker Hub"). */
  label: string;
  /** One line for the Add Registry picker. */
  detail: string;
  /** Default `url` for new entries, when the kind has a public service. */
  defaultUrl?: string;
  /** Repositories are grouped under namespaces; the settings form offers `namespaces`. */
  namespaces: boolean;
  /** False: entries show a "not supported yet" node. */
  implemented: boolean;
  /** Loads the provider bundle and builds a provider for one configured registry. */
  load(): Promise<(ctx: ProviderContext) => RegistryProvider>;
}
