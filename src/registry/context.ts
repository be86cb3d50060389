/** What the host (VS Code extension, tests, bench) hands to the registry layer. No 'vscode' types here. */

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export interface Credentials {
  username?: string;
  /** Password or token. Never logged, never put in an error message, never sent to another origin. */
  secret?: string;
}

/** Which secret of a registry entry: the management API token (default) or the registry (`/v2`) login. */
export type CredentialPurpose = 'api' | 'registry';

export interface ProxySettings {
  /** `http.proxy` setting or HTTPS_PROXY / HTTP_PROXY from the environment. */
  url?: string;
  /** `http.proxyStrictSSL`. */
  strictSSL?: boolean;
  /** NO_PROXY style list of hosts that bypass the proxy. */
  noProxy?: string[];
}

/** Connection settings of one configured registry, already validated by src/config. */
export interface RegistryConnection {
  /** Stable id (the configured name). */
  id: string;
  /** A descriptor's `kind` (src/registry/kinds.ts). */
  kind: string;
  /** Base URL, e.g. `https://registry.example.com:5000`. */
  url: string;
  /**
   * Registry (Distribution API) base URL for kinds whose management API lives elsewhere (Docker Hub: `url` is the Hub
   * API, default https://hub.docker.com; this is the registry, default https://registry-1.docker.io).
   */
  registryUrl?: string;
  username?: string;
  /** Namespaces to show for kinds that have them. */
  namespaces?: string[];
  /** Repositories to show for registries that do not list them (`/v2/_catalog` refused), or in addition to the list. */
  repositories?: string[];
  /** PEM file with extra CA certificates for this registry. */
  caFile?: string;
  /** Accept any TLS certificate (explicit opt-in, per registry). */
  insecureSkipTlsVerify?: boolean;
  /**
   * Origins of token services (the `realm` of a registry's Bearer challenge) on another origin than the registry that
   * may receive this entry's credentials without asking: a provider's documented pair (Docker Hub's
   * registry-1.docker.io → auth.docker.io), the entry's own API origin, or what the host was told. A realm on the
   * registry's own origin needs no allowance.
   */
  tokenRealms?: string[];
}

export interface ProviderContext {
  connection: RegistryConnection;
  /**
   * Reads the current credentials (SecretStorage in the extension); called lazily, may change between calls.
   * `purpose` picks one of two secrets of the same entry for kinds whose management API and registry take different
   * credentials (Quay: `api`, the default, is the OAuth token; `registry` is the optional `/v2` login). Hosts that keep
   * one secret answer `registry` with undefined.
   */
  credentials(purpose?: CredentialPurpose): Promise<Credentials | undefined>;
  /**
   * Stores (or, with undefined, removes) one secret of this entry: only `registry`, the optional `/v2` login that a
   * provider's own action sets. Absent in hosts that cannot store secrets (tests without it, the bench).
   */
  setCredentials?(purpose: CredentialPurpose, credentials: Credentials | undefined): Promise<void>;
  /**
   * Asked when a registry's Bearer challenge names a token realm on another origin (`realmOrigin`) than the registry
   * (`registryOrigin`) and `connection.tokenRealms` does not list it: true lets this entry's credentials go there.
   * The extension asks the user once and remembers the answer with the entry's secret. Absent (tests, the bench):
   * credentials never go to such a realm.
   */
  allowTokenRealm?(request: { realmOrigin: string; registryOrigin: string }): Promise<boolean>;
  /**
   * For kinds that sign in with an editor account (descriptor `auth`): the credentials with more scopes (some of the
   * descriptor's `extraScopes`), asking the user to grant them when the account's session lacks them; `reason` says
   * why, in the user's words. A stored token is returned as it is (its scopes are what its owner gave it). Absent
   * (tests, the bench) or undefined: use `credentials()`.
   */
  elevate?(scopes: readonly string[], reason: string): Promise<Credentials | undefined>;
  logger: Logger;
  /**
   * Translates provider text (English source, `{0}` placeholders); set by the host to the same translator it installs
   * with `setTranslator` (src/registry/l10n.ts). Absent: the English source.
   */
  t?: (message: string, ...args: Array<string | number | boolean>) => string;
  proxy?: ProxySettings;
  /**
   * Called when requests to this registry pause for a rate limit (a 429 with Retry-After, or a used-up window), so
   * the host can show the wait instead of a silent stall.
   */
  onRateLimitWait?(info: { waitMs: number }): void;
  /** Overrides for tests/bench. */
  http?: {
    timeoutMs?: number;
    maxRetries?: number;
    userAgent?: string;
  };
}
