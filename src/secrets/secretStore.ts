import type * as vscode from 'vscode';
import type { CredentialPurpose, Credentials } from '../registry/context';
import { pinSecret, unpinSecret } from '../registry/redact';

const PREFIX = 'registryExplorer.secret:';
/** The second secret of an entry (a registry login for kinds whose management API takes another credential). */
const LOGIN_PREFIX = 'registryExplorer.registryLogin:';
const PURPOSES: readonly CredentialPurpose[] = ['api', 'registry'];
/** Token services on another origin the user allowed to receive the entry's credentials. */
const REALMS_PREFIX = 'registryExplorer.tokenRealms:';
/** The editor account (an authentication provider id) the user chose to sign in with; never its token. */
const ACCOUNT_PREFIX = 'registryExplorer.account:';

interface StoredAccount {
  binding: StoredSecret['binding'];
  provider: string;
}

interface StoredRealms {
  binding: StoredSecret['binding'];
  origins: string[];
}

/**
 * Everything that decides where a secret is sent and over what TLS: a stored secret is handed out only while all of
 * it is unchanged, so a workspace that re-declares a registry (same name, another `registryUrl`, `kind`, `caFile`
 * or `insecureSkipTlsVerify`) gets no secret, and the user is asked to sign in again.
 */
export interface SecretBinding {
  kind: string;
  url: string;
  registryUrl?: string;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
}

interface StoredSecret {
  binding: Required<Omit<SecretBinding, 'url' | 'registryUrl'>> & { origin: string; registryOrigin: string };
  secret: string;
  /** Only for the registry login, which carries its own user name. */
  username?: string;
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** The secret of a stored value, if it has one. */
function secretOf(raw: string | undefined): string | undefined {
  try {
    const parsed = raw === undefined ? undefined : (JSON.parse(raw) as Partial<StoredSecret>);
    return typeof parsed?.secret === 'string' ? parsed.secret : undefined;
  } catch {
    return undefined;
  }
}

/** The binding's canonical form: origins (a path change does not move a secret), unset fields as ''. */
function canonical(b: SecretBinding): StoredSecret['binding'] {
  return {
    kind: b.kind,
    origin: originOf(b.url),
    registryOrigin: b.registryUrl ? originOf(b.registryUrl) : '',
    caFile: b.caFile ?? '',
    insecureSkipTlsVerify: b.insecureSkipTlsVerify === true,
  };
}

/** True when a secret stored for `a` may be used for `b`. */
export function sameBinding(a: SecretBinding, b: SecretBinding): boolean {
  return isSame(canonical(a), canonical(b));
}

/**
 * Registry secrets (passwords / tokens) in VS Code SecretStorage, keyed by registry name. Nothing else stores them.
 * An entry has up to two: `api` (the default; what Sign In stores) and `registry` (an optional registry login that a
 * provider's own action sets). Both are bound to the entry the same way and both go on Sign Out and Remove Registry.
 */
export class SecretStore {
  private readonly listeners = new Set<(registryName: string) => void>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly storage: vscode.SecretStorage) {
    this.subscription = storage.onDidChange((e) => {
      const prefix = [PREFIX, LOGIN_PREFIX, REALMS_PREFIX, ACCOUNT_PREFIX].find((p) => e.key.startsWith(p));
      if (!prefix) return;
      const name = e.key.slice(prefix.length);
      for (const l of this.listeners) l(name);
    });
  }

  static keyFor(registryName: string, purpose: CredentialPurpose = 'api'): string {
    return (purpose === 'registry' ? LOGIN_PREFIX : PREFIX) + registryName;
  }

  /** The secret for this registry, only if it was stored for the same binding (origins, kind, TLS settings). */
  async get(registryName: string, binding: SecretBinding, purpose: CredentialPurpose = 'api'): Promise<string | undefined> {
    return (await this.read(registryName, binding, purpose))?.secret;
  }

  /** The stored credentials (secret and, for the registry login, its user name) under the same binding rule as get(). */
  async getCredentials(registryName: string, binding: SecretBinding, purpose: CredentialPurpose): Promise<Credentials | undefined> {
    const s = await this.read(registryName, binding, purpose);
    return s && { username: s.username, secret: s.secret };
  }

  private async read(registryName: string, binding: SecretBinding, purpose: CredentialPurpose): Promise<StoredSecret | undefined> {
    const raw = await this.storage.get(SecretStore.keyFor(registryName, purpose));
    if (raw === undefined) return undefined;
    let parsed: StoredSecret;
    try {
      parsed = JSON.parse(raw) as StoredSecret;
    } catch {
      return undefined;
    }
    // Secrets stored before bindings existed (origin only) do not match: signing in once more binds them.
    if (typeof parsed?.secret !== 'string' || !parsed.binding || !isSame(parsed.binding, canonical(binding))) return undefined;
    // Every secret in use is pinned for redaction, so no log line or message can carry it.
    pinSecret(parsed.secret);
    return { binding: parsed.binding, secret: parsed.secret, username: typeof parsed.username === 'string' ? parsed.username : undefined };
  }

  async has(registryName: string, binding: SecretBinding, purpose: CredentialPurpose = 'api'): Promise<boolean> {
    return (await this.get(registryName, binding, purpose)) !== undefined;
  }

  /** Stores a secret bound to where it will be sent (`binding`: the registry entry it was entered for). */
  async store(registryName: string, binding: SecretBinding, secret: string, purpose: CredentialPurpose = 'api', username?: string): Promise<void> {
    pinSecret(secret);
    const value: StoredSecret = { binding: canonical(binding), secret, ...(purpose === 'registry' && username !== undefined ? { username } : {}) };
    await this.storage.store(SecretStore.keyFor(registryName, purpose), JSON.stringify(value));
  }

  /** Deletes one secret of the entry, or with no purpose all of them and the account choice (Sign Out, Remove Registry). */
  async delete(registryName: string, purpose?: CredentialPurpose): Promise<void> {
    for (const p of purpose ? [purpose] : PURPOSES) {
      const key = SecretStore.keyFor(registryName, p);
      unpinSecret(secretOf(await this.storage.get(key)));
      await this.storage.delete(key);
    }
    if (!purpose && (await this.storage.get(ACCOUNT_PREFIX + registryName)) !== undefined) await this.storage.delete(ACCOUNT_PREFIX + registryName);
  }

  /**
   * The editor account (authentication provider id) the user chose at Sign In for this entry, under the same binding
   * rule as secrets: an entry re-declared with other origins, kind or TLS settings (a workspace's) has none, so the
   * account's token never goes where the user did not sign in.
   */
  async account(registryName: string, binding: SecretBinding): Promise<string | undefined> {
    const raw = await this.storage.get(ACCOUNT_PREFIX + registryName);
    if (raw === undefined) return undefined;
    try {
      const parsed = JSON.parse(raw) as StoredAccount;
      return parsed?.binding && isSame(parsed.binding, canonical(binding)) && typeof parsed.provider === 'string' ? parsed.provider : undefined;
    } catch {
      return undefined;
    }
  }

  /** Records (or, with undefined, forgets) that the entry signs in with an editor account; no token is stored. */
  async setAccount(registryName: string, binding: SecretBinding, provider: string | undefined): Promise<void> {
    if (provider === undefined) return this.storage.delete(ACCOUNT_PREFIX + registryName);
    const value: StoredAccount = { binding: canonical(binding), provider };
    await this.storage.store(ACCOUNT_PREFIX + registryName, JSON.stringify(value));
  }

  /**
   * Origins of token services on another origin than the registry that the user allowed to receive this entry's
   * credentials. Kept in SecretStorage with the binding, like the secret: settings (which a workspace can declare)
   * cannot grant it, and an entry re-declared with other origins, kind or TLS settings has none.
   */
  async tokenRealms(registryName: string, binding: SecretBinding): Promise<string[]> {
    const raw = await this.storage.get(REALMS_PREFIX + registryName);
    if (raw === undefined) return [];
    try {
      const parsed = JSON.parse(raw) as StoredRealms;
      if (!parsed?.binding || !isSame(parsed.binding, canonical(binding)) || !Array.isArray(parsed.origins)) return [];
      return parsed.origins.filter((o): o is string => typeof o === 'string');
    } catch {
      return [];
    }
  }

  /** Replaces the allowed token services of the entry (origins; an empty list removes them). */
  async setTokenRealms(registryName: string, binding: SecretBinding, origins: readonly string[]): Promise<void> {
    const clean = [...new Set(origins.map(realmOrigin).filter((o): o is string => !!o))];
    const before = await this.tokenRealms(registryName, binding);
    // Unchanged: no write, so no change event resets the registry's sign-in state.
    if (before.length === clean.length && before.every((o, i) => o === clean[i]) && (clean.length > 0 || (await this.storage.get(REALMS_PREFIX + registryName)) === undefined)) return;
    if (clean.length === 0) return this.storage.delete(REALMS_PREFIX + registryName);
    const value: StoredRealms = { binding: canonical(binding), origins: clean };
    await this.storage.store(REALMS_PREFIX + registryName, JSON.stringify(value));
  }

  /** Adds one allowed token service (the user said yes when the registry named it). */
  async allowTokenRealm(registryName: string, binding: SecretBinding, origin: string): Promise<void> {
    await this.setTokenRealms(registryName, binding, [...(await this.tokenRealms(registryName, binding)), origin]);
  }

  /** Remove Registry: its secrets and its allowed token services. */
  async forget(registryName: string): Promise<void> {
    await this.delete(registryName);
    await this.storage.delete(REALMS_PREFIX + registryName);
  }

  /**
   * Moves every secret of an entry, and its allowed token services, to a new name (a rename), only while where they
   * are sent stays the same.
   */
  async rename(from: SecretBinding & { name: string }, to: SecretBinding & { name: string }): Promise<void> {
    const keep = sameBinding(from, to);
    for (const p of PURPOSES) {
      const c = await this.getCredentials(from.name, from, p);
      if (c?.secret && keep) await this.store(to.name, to, c.secret, p, c.username);
    }
    const realms = keep ? await this.tokenRealms(from.name, from) : [];
    const account = keep ? await this.account(from.name, from) : undefined;
    await this.forget(from.name);
    if (realms.length) await this.setTokenRealms(to.name, to, realms);
    if (account) await this.setAccount(to.name, to, account);
  }

  /** Fires with the registry name when its secret changes (also from another window). */
  onDidChange(listener: (registryName: string) => void): vscode.Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }
}

/** The origin of an http(s) URL, or undefined for anything else. */
export function realmOrigin(url: string): string | undefined {
  try {
    const u = new URL(url.trim());
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname && !u.username && !u.password ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

function isSame(a: StoredSecret['binding'], b: StoredSecret['binding']): boolean {
  return a.kind === b.kind && a.origin === b.origin && a.registryOrigin === b.registryOrigin && a.caFile === b.caFile && a.insecureSkipTlsVerify === b.insecureSkipTlsVerify;
}
