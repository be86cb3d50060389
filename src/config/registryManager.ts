import * as vscode from 'vscode';
import type { Logger, ProviderContext, ProxySettings } from '../registry/context';
import { createProvider as createFromDescriptor, descriptorOf } from '../registry/kinds';
import { toRegistryError, UnsupportedError, type RegistryError } from '../registry/errors';
import { t } from '../registry/l10n';
import type { RegistryProvider } from '../registry/provider';
import { AccountSessions } from '../secrets/accountSessions';
import { originOf, type SecretBinding, type SecretStore } from '../secrets/secretStore';
import { editRepositories } from './repositoriesSetting';
import { mergeEntry, parseRegistries, toConnection, type ConfigProblem, type RegistryEntry } from './schema';

/** A registry's Bearer challenge named a token service on another origin; asks the user whether to send credentials there. */
export type AskTokenRealm = (question: { registry: string; realmOrigin: string; registryOrigin: string }) => Promise<boolean>;

/** Where a provider context reads its secrets: an entry's name and the binding they were stored for. */
export interface SecretSource {
  name: string;
  binding: SecretBinding;
}

export const SECTION = 'registryExplorer';

/**
 * Builds a provider through its kind's descriptor. Each provider (undici, client, schemas, admin model) is its own
 * bundle, loaded when the first registry of its kind is used, not at activation: activation stays cheap, and a
 * window that never opens the view never pays for it.
 */
export function createProvider(ctx: ProviderContext): RegistryProvider {
  return createFromDescriptor(ctx);
}

/** One configured, valid registry and the provider built for it (or why there is none). */
export interface RegistryState {
  readonly entry: RegistryEntry;
  /** Built on first read. */
  readonly provider?: RegistryProvider;
  /** Set when the kind has no provider yet or the provider could not be built. */
  readonly unavailable?: RegistryError;
}

/** Reads `registryExplorer.registries`, builds one provider per entry, and rebuilds them when settings or secrets change. */
export class RegistryManager implements vscode.Disposable {
  private states = new Map<string, RegistryState>();
  /** Disposes a registry's provider if it was built. */
  private readonly release = new Map<string, () => void>();
  /** The providers built so far, by registry name. */
  private readonly built = new Map<string, RegistryProvider>();
  private problemList: ConfigProblem[] = [];
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the registry list or any registry's settings/credentials changed. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Per registry: when the rate-limit pause shown in the status bar ends. */
  private readonly pausedUntil = new Map<string, number>();

  /** Open questions about token services, per entry and origin: concurrent requests share one question. */
  private readonly realmQuestions = new Map<string, Promise<boolean>>();
  /** Token services the user said no to, per entry and origin, until the entry's secrets change (Sign In). */
  private readonly declinedRealms = new Set<string>();

  /** Editor accounts (VS Code's authentication providers) of kinds that sign in with one. */
  readonly accounts: AccountSessions;

  constructor(
    private readonly secrets: SecretStore,
    private readonly logger: Logger,
    private readonly askTokenRealm?: AskTokenRealm,
  ) {
    this.accounts = new AccountSessions(secrets, logger);
    this.reload();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SECTION}.registries`) || e.affectsConfiguration(`${SECTION}.requestTimeout`) || e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.proxyStrictSSL')) {
          this.reload();
          this.emitter.fire();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.reload();
        this.emitter.fire();
      }),
      // An account's sessions changed (signed out, scopes granted): providers of kinds using it read it again.
      vscode.authentication.onDidChangeSessions((e) => {
        let changed = false;
        for (const s of this.states.values()) {
          if (descriptorOf(s.entry.kind)?.auth?.provider !== e.provider.id) continue;
          this.built.get(s.entry.name)?.resetAuth();
          changed = true;
        }
        if (changed) this.emitter.fire();
      }),
      secrets.onDidChange((name) => {
        for (const k of this.declinedRealms) if (k.startsWith(`${name}\n`)) this.declinedRealms.delete(k);
        const s = this.states.get(name);
        if (s?.provider) {
          s.provider.resetAuth();
          this.emitter.fire();
        }
      }),
    );
  }

  get registries(): RegistryState[] {
    return [...this.states.values()];
  }

  get problems(): ConfigProblem[] {
    return this.problemList;
  }

  get(name: string): RegistryState | undefined {
    return this.states.get(name);
  }

  /** Raw setting value; in an untrusted workspace only the user-level value counts, so a repository can't redirect secrets. */
  readRaw(): unknown[] {
    const cfg = vscode.workspace.getConfiguration(SECTION);
    if (!vscode.workspace.isTrusted) {
      const inspected = cfg.inspect<unknown[]>('registries');
      return inspected?.globalValue ?? [];
    }
    return cfg.get<unknown[]>('registries') ?? [];
  }

  reload(): void {
    for (const release of this.release.values()) release();
    this.release.clear();
    this.built.clear();
    this.states.clear();
    const { entries, problems } = parseRegistries(this.readRaw());
    this.problemList = problems;
    for (const p of problems) this.logger.warn(`Setting registryExplorer.registries: ${p.label}: ${p.field ? `"${p.field}" ` : ''}${p.message}`);
    for (const entry of entries) this.states.set(entry.name, this.build(entry));
    void vscode.commands.executeCommand('setContext', 'registryExplorer.registryCount', entries.length + problems.length);
  }

  private build(entry: RegistryEntry): RegistryState {
    if (!descriptorOf(entry.kind)?.implemented) {
      return { entry, unavailable: new UnsupportedError(`Registry kind "${entry.kind}" is not supported yet`) };
    }
    // Built on first use (tree expansion, health check, command), so activation creates no provider.
    let built = false;
    let provider: RegistryProvider | undefined;
    let failure: RegistryError | undefined;
    const make = () => {
      if (built) return;
      built = true;
      try {
        provider = createProvider(this.providerContext(entry));
        this.built.set(entry.name, provider);
      } catch (e) {
        failure = toRegistryError(e);
      }
    };
    this.release.set(entry.name, () => {
      if (built) provider?.dispose();
    });
    return {
      entry,
      get provider() {
        make();
        return provider;
      },
      get unavailable() {
        make();
        return failure;
      },
    };
  }

  /**
   * The context a provider for `entry` gets: its connection, secrets (read from `from`, default the entry itself;
   * none when undefined), proxy, timeout, rate-limit display and token-service allowance. The Edit Registry form's
   * connection test builds its provider from the same context as the tree does.
   */
  providerContext(entry: RegistryEntry, from: SecretSource | undefined = { name: entry.name, binding: entry }): ProviderContext {
    const secrets = this.secrets;
    const auth = descriptorOf(entry.kind)?.auth;
    return {
      connection: toConnection(entry),
      credentials: async (purpose = 'api') => {
        if (!from) return undefined;
        // The registry login is the entry's second secret, with its own user name; none stored → undefined.
        if (purpose === 'registry') return secrets.getCredentials(from.name, from.binding, 'registry');
        const secret = await secrets.get(from.name, from.binding);
        // No stored token: the editor account the user signed in with, for kinds that declare one.
        if (!secret && auth) return (await this.accounts.credentials(from.name, from.binding, auth)) ?? { username: entry.username, secret };
        return { username: entry.username, secret };
      },
      elevate: async (scopes, reason) => {
        if (!from || !auth || (await secrets.get(from.name, from.binding))) return undefined;
        return this.accounts.elevate(from.name, from.binding, auth, scopes, reason);
      },
      setCredentials: async (purpose, credentials) => {
        // Sign In alone stores the API secret; a provider's action may set only the registry login.
        if (purpose !== 'registry' || !from) throw new Error('Only the registry login can be set by a registry action');
        if (credentials?.secret) await secrets.store(from.name, from.binding, credentials.secret, 'registry', credentials.username ?? '');
        else await secrets.delete(from.name, 'registry');
      },
      allowTokenRealm: (r) => (from ? this.allowTokenRealm(entry, from, r) : Promise.resolve(false)),
      logger: this.logger,
      t,
      onRateLimitWait: ({ waitMs }) => this.showRateLimitWait(entry.name, waitMs),
      proxy: proxySettings(),
      http: { timeoutMs: Math.max(1, vscode.workspace.getConfiguration(SECTION).get<number>('requestTimeout', 30)) * 1000 },
    };
  }

  /**
   * Whether the entry's credentials may go to a token service on another origin: yes for the entry's own origins
   * (`url`, `registryUrl`, where its secret is bound anyway) and for services the user allowed before (kept with the
   * secret's binding); otherwise the user is asked once, and a yes is remembered.
   */
  private async allowTokenRealm(entry: RegistryEntry, from: SecretSource, r: { realmOrigin: string; registryOrigin: string }): Promise<boolean> {
    if ([entry.url, entry.registryUrl].some((u) => u && originOf(u) === r.realmOrigin)) return true;
    if ((await this.secrets.tokenRealms(from.name, from.binding)).includes(r.realmOrigin)) return true;
    const ask = this.askTokenRealm;
    if (!ask) return false;
    const key = `${from.name}\n${r.realmOrigin}`;
    if (this.declinedRealms.has(key)) return false;
    let answer = this.realmQuestions.get(key);
    if (!answer) {
      answer = ask({ registry: entry.name, ...r }).then(async (yes) => {
        if (yes) await this.secrets.allowTokenRealm(from.name, from.binding, r.realmOrigin);
        else this.declinedRealms.add(key);
        this.logger.info(`${entry.name}: token service ${r.realmOrigin} ${yes ? 'allowed' : 'not allowed'} to receive the registry's credentials`);
        return yes;
      });
      this.realmQuestions.set(key, answer);
      void answer.finally(() => this.realmQuestions.delete(key)).catch(() => undefined);
    }
    return answer;
  }

  /** Shows a rate-limit pause as window progress (status bar) until it ends; a notice inside a shown pause adds nothing. */
  private showRateLimitWait(name: string, waitMs: number): void {
    const until = Date.now() + waitMs;
    if ((this.pausedUntil.get(name) ?? 0) >= until - 500) return;
    this.pausedUntil.set(name, until);
    const title = `${name}: rate limited, requests paused for ${Math.max(1, Math.ceil(waitMs / 1000))} s`;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => new Promise<void>((resolve) => setTimeout(resolve, waitMs)));
  }

  /**
   * Adds an entry to the user settings, or updates the entry named `replacing` (default: the entry's own name) in
   * place, keeping the order of the list. Only the `edited` fields (default: every field of the settings schema) are
   * set, or removed when the entry has none; every other field of the stored entry stays as it was.
   */
  async saveEntry(entry: RegistryEntry, replacing: string = entry.name, edited?: readonly string[]): Promise<void> {
    const cfg = vscode.workspace.getConfiguration(SECTION);
    const inspected = cfg.inspect<unknown[]>('registries');
    const has = (list: unknown[] | undefined) => !!list?.some((r) => !!r && typeof r === 'object' && (r as { name?: unknown }).name === replacing);
    // Edit the entry where it is defined; new entries go to the user settings.
    const inWorkspace = vscode.workspace.isTrusted && has(inspected?.workspaceValue) && !has(inspected?.globalValue);
    const target = inWorkspace ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    const current = [...((inWorkspace ? inspected?.workspaceValue : inspected?.globalValue) ?? [])];
    const at = current.findIndex((r) => !!r && typeof r === 'object' && (r as { name?: unknown }).name === replacing);
    if (at >= 0) current[at] = mergeEntry(current[at], entry, edited);
    else current.push(mergeEntry(undefined, entry));
    await cfg.update('registries', current, target);
  }

  /**
   * Changes the `repositories` list of an entry in the settings level it comes from (folder, workspace or user),
   * leaving the rest of the setting as it is.
   */
  async editRepositories(name: string, change: (current: readonly string[]) => string[]): Promise<void> {
    const cfg = vscode.workspace.getConfiguration(SECTION);
    const { level, value } = editRepositories(cfg.inspect<unknown[]>('registries'), vscode.workspace.isTrusted, name, change);
    const targets = { global: vscode.ConfigurationTarget.Global, workspace: vscode.ConfigurationTarget.Workspace, workspaceFolder: vscode.ConfigurationTarget.WorkspaceFolder } as const;
    await cfg.update('registries', value, targets[level]);
  }

  /** Removes an entry by name from every settings level that has it. */
  async removeEntry(name: string): Promise<void> {
    const cfg = vscode.workspace.getConfiguration(SECTION);
    const inspected = cfg.inspect<unknown[]>('registries');
    const drop = (list: unknown[] | undefined) => list?.filter((r) => !(r && typeof r === 'object' && (r as { name?: unknown }).name === name));
    if (inspected?.globalValue) await cfg.update('registries', drop(inspected.globalValue), vscode.ConfigurationTarget.Global);
    if (inspected?.workspaceValue) await cfg.update('registries', drop(inspected.workspaceValue), vscode.ConfigurationTarget.Workspace);
    if (inspected?.workspaceFolderValue) await cfg.update('registries', drop(inspected.workspaceFolderValue), vscode.ConfigurationTarget.WorkspaceFolder);
  }

  dispose(): void {
    for (const release of this.release.values()) release();
    this.release.clear();
    this.states.clear();
    this.emitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** VS Code's proxy settings, falling back to the environment like VS Code itself does. */
export function proxySettings(): ProxySettings {
  const http = vscode.workspace.getConfiguration('http');
  const url = http.get<string>('proxy') || process.env.HTTPS_PROXY || process.env.https_proxy || process.env.HTTP_PROXY || process.env.http_proxy || undefined;
  const noProxy = (process.env.NO_PROXY || process.env.no_proxy || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { url: url || undefined, strictSSL: http.get<boolean>('proxyStrictSSL', true), noProxy: [...noProxy, ...(http.get<string[]>('noProxy') ?? [])] };
}
