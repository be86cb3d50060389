import type * as vscode from 'vscode';
import { registerSecret } from '../registry/redact';

const PREFIX = 'registryExplorer.secret:';

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
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
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

/** Registry secrets (passwords / tokens) in VS Code SecretStorage, keyed by registry name. Nothing else stores them. */
export class SecretStore {
  private readonly listeners = new Set<(registryName: string) => void>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly storage: vscode.SecretStorage) {
    this.subscription = storage.onDidChange((e) => {
      if (!e.key.startsWith(PREFIX)) return;
      const name = e.key.slice(PREFIX.length);
      for (const l of this.listeners) l(name);
    });
  }

  static keyFor(registryName: string): string {
    return PREFIX + registryName;
  }

  /** The secret for this registry, only if it was stored for the same binding (origins, kind, TLS settings). */
  async get(registryName: string, binding: SecretBinding): Promise<string | undefined> {
    const raw = await this.storage.get(SecretStore.keyFor(registryName));
    if (raw === undefined) return undefined;
    let parsed: StoredSecret;
    try {
      parsed = JSON.parse(raw) as StoredSecret;
    } catch {
      return undefined;
    }
    // Secrets stored before bindings existed (origin only) do not match: signing in once more binds them.
    if (typeof parsed?.secret !== 'string' || !parsed.binding || !isSame(parsed.binding, canonical(binding))) return undefined;
    // Every secret in use is known to the redactor, so no log line or message can carry it.
    registerSecret(parsed.secret);
    return parsed.secret;
  }

  async has(registryName: string, binding: SecretBinding): Promise<boolean> {
    return (await this.get(registryName, binding)) !== undefined;
  }

  /** Stores a secret bound to where it will be sent (`binding`: the registry entry it was entered for). */
  async store(registryName: string, binding: SecretBinding, secret: string): Promise<void> {
    registerSecret(secret);
    const value: StoredSecret = { binding: canonical(binding), secret };
    await this.storage.store(SecretStore.keyFor(registryName), JSON.stringify(value));
  }

  async delete(registryName: string): Promise<void> {
    await this.storage.delete(SecretStore.keyFor(registryName));
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

function isSame(a: StoredSecret['binding'], b: StoredSecret['binding']): boolean {
  return a.kind === b.kind && a.origin === b.origin && a.registryOrigin === b.registryOrigin && a.caFile === b.caFile && a.insecureSkipTlsVerify === b.insecureSkipTlsVerify;
}
