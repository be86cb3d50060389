import type { ProviderContext } from './context';
import type { RegistryProvider } from './provider';
import type { ScanReport } from './scan';

/**
 * How a registry kind describes itself: one `descriptor.ts` per provider folder, small enough to load at activation.
 * The provider itself (client, schemas, admin model) is loaded on first use through `load()`.
 */
export interface ProviderDescriptor {
  /** The `kind` value of `registryExplorer.registries` entries. */
  kind: string;
  /** Shown in pickers and the registry node's description (e.g. "Docker Hub"). */
  label: string;
  /** Short name in the registry node's description (e.g. "OCI"); defaults to `kind`. */
  shortLabel?: string;
  /** One line for the Add Registry picker. */
  detail: string;
  /**
   * The kind reads the registry (Distribution API, `/v2`) at the entry's `registryUrl` when it is not at `url`;
   * `note` (optional) says what happens when it is left empty. The setting's help is built from these.
   */
  registryUrl?: { note?: string };
  /** Default `url` for new entries, when the kind has a public service. */
  defaultUrl?: string;
  /** Repositories are grouped under namespaces; the settings form offers `namespaces`. */
  namespaces: boolean;
  /**
   * Entries take a `repositories` setting (repositories shown although the registry does not list them): the
   * registry node offers Add Repository….
   */
  repositories?: boolean;
  /** False: entries show a "not supported yet" node. */
  implemented: boolean;
  /** Loads the provider bundle and returns its `createProvider`. */
  load(): Promise<(ctx: ProviderContext) => RegistryProvider>;
  /**
   * The same, synchronously (Node `require` of the provider bundle), for callers that cannot wait; `load()` wraps
   * it. The build maps `require('./provider')` in a descriptor to the provider's own bundle.
   */
  loadSync?(): (ctx: ProviderContext) => RegistryProvider;
  /**
   * A saved scan report format of this registry kind that *Open Scan Report…* reads (e.g. Quay's manifest security
   * response): `read` returns undefined for JSON of another shape and throws a typed error for a malformed one.
   */
  /**
   * Host names under which the Docker CLI's config.json may keep this service's credentials (the first is the one
   * they are matched as), e.g. a public service known by several hosts.
   */
  dockerConfigHosts?: readonly string[];
  /**
   * The kind can use an account the editor is signed in to (VS Code's authentication provider `provider`) instead of
   * a stored token: the host asks for a session with `scopes` when the user chooses that account at Sign In, then
   * silently on each use, and hands its token as the entry's credentials (never stored, never logged). `extraScopes`
   * are the only further scopes a provider may ask for, through `ProviderContext.elevate`, when the user does what
   * needs them (e.g. deleting). A token in SecretStorage stays the alternative.
   */
  auth?: AccountAuth;
  scanReportFile?: { name: string; read(json: unknown, fileName: string): ScanReport | undefined };
}

/** An editor account a kind signs in with (see `ProviderDescriptor.auth`). */
export interface AccountAuth {
  /** The id of VS Code's authentication provider (e.g. the built-in GitHub account). */
  provider: string;
  /** Shown in Sign In's choices ("GitHub"). */
  label: string;
  /** Scopes every use needs. */
  scopes: readonly string[];
  /** Scopes asked for only when the user does what needs them. */
  extraScopes?: readonly string[];
}

/**
 * The scopes to ask an account for when a provider needs `extra` on top of reading: the kind's own scopes and the
 * extra ones, each of which must be among the kind's `extraScopes` (a provider cannot widen what the user is asked).
 */
export function accountScopes(auth: AccountAuth, extra: readonly string[]): string[] {
  const unknown = extra.filter((s) => !auth.extraScopes?.includes(s));
  if (unknown.length) throw new Error(`The scopes ${unknown.join(', ')} are not among those this registry kind may ask for`);
  return [...new Set([...auth.scopes, ...extra])];
}

