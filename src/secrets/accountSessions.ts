import * as vscode from 'vscode';
import type { Credentials, Logger } from '../registry/context';
import { type AccountAuth, accountScopes } from '../registry/descriptor';
import { pinSecret } from '../registry/redact';
import type { SecretBinding, SecretStore } from './secretStore';

/**
 * Editor accounts as registry credentials, for kinds whose descriptor declares `auth` (an authentication provider
 * id and scopes): the session comes from `vscode.authentication`, silently once the user chose the account at Sign
 * In, and its token is handed to the provider for each use — never stored by us (only the choice is, bound to the
 * entry like a secret), pinned for redaction so no log line or message carries it.
 */
export class AccountSessions {
  constructor(
    private readonly secrets: SecretStore,
    private readonly logger: Logger,
  ) {}

  /** The account's credentials when the entry signs in with it and the editor has a session with `auth.scopes`. */
  async credentials(name: string, binding: SecretBinding, auth: AccountAuth): Promise<Credentials | undefined> {
    if ((await this.secrets.account(name, binding)) !== auth.provider) return undefined;
    try {
      return toCredentials(await vscode.authentication.getSession(auth.provider, auth.scopes, { silent: true }));
    } catch (e) {
      this.logger.warn(`${name}: the ${auth.label} account gave no session (${e instanceof Error ? e.message : String(e)})`);
      return undefined;
    }
  }

  /** Sign In with the account: asks the editor for a session with `auth.scopes` (the user consents) and records the choice. */
  async signIn(name: string, binding: SecretBinding, auth: AccountAuth): Promise<Credentials> {
    const session = await vscode.authentication.getSession(auth.provider, auth.scopes, { createIfNone: true });
    await this.secrets.setAccount(name, binding, auth.provider);
    this.logger.info(`${name}: signed in with the ${auth.label} account ${session.account.label}`);
    return toCredentials(session)!;
  }

  /**
   * Credentials with more scopes (only some of `auth.extraScopes`), asking the user for them now when the session
   * lacks them; `reason` is shown in the request. Undefined when the entry does not sign in with the account.
   */
  async elevate(name: string, binding: SecretBinding, auth: AccountAuth, scopes: readonly string[], reason: string): Promise<Credentials | undefined> {
    if ((await this.secrets.account(name, binding)) !== auth.provider) return undefined;
    const all = accountScopes(auth, scopes);
    const session = await vscode.authentication.getSession(auth.provider, all, { createIfNone: { detail: vscode.l10n.t('{0} needs the {1} permission to {2}.', name, scopes.join(', '), reason) } });
    return toCredentials(session);
  }
}

function toCredentials(session: vscode.AuthenticationSession | undefined): Credentials | undefined {
  if (!session?.accessToken) return undefined;
  pinSecret(session.accessToken);
  return { username: session.account.label, secret: session.accessToken };
}
