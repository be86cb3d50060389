import type * as vscode from 'vscode';
import { registerSecret } from '../registry/redact';

const PREFIX = 'registryExplorer.secret:';

interface StoredSecret {
  /** Origin the secret was entered for; a secret is never handed to a registry entry that now points elsewhere. */
  origin: string;
  secret: string;
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
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

  /** The secret for this registry, only if it was stored for the same origin as `url`. */
  async get(registryName: string, url: string): Promise<string | undefined> {
    const raw = await this.storage.get(SecretStore.keyFor(registryName));
    if (raw === undefined) return undefined;
    let parsed: StoredSecret;
    try {
      parsed = JSON.parse(raw) as StoredSecret;
    } catch {
      return undefined;
    }
    if (typeof parsed?.secret !== 'string' || parsed.origin !== originOf(url)) return undefined;
    // Every secret in use is known to the redactor, so no log line or message can carry it.
    registerSecret(parsed.secret);
    return parsed.secret;
  }

  async has(registryName: string, url: string): Promise<boolean> {
    return (await this.get(registryName, url)) !== undefined;
  }

  async store(registryName: string, url: string, secret: string): Promise<void> {
    registerSecret(secret);
    const value: StoredSecret = { origin: originOf(url), secret };
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
