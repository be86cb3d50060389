import * as vscode from 'vscode';
import type { Logger } from '../registry/context';
import { toRegistryError } from '../registry/errors';
import { redact } from '../registry/redact';
import { linkTarget } from '../registry/urls';
import { buildHtml, newNonce } from './html';
import { hostMessageProblem, parseWebviewMessage } from './messageCheck';
import type { HostMessage, PanelKind, RestoreState, WebviewMessage } from './protocol';

export type InitMessage = Extract<HostMessage, { type: 'init' }>;

/** What one open panel shows and how it answers the webview. */
export interface PanelSpec {
  kind: PanelKind;
  /** Identity of the content; opening the same key again reveals the existing panel. */
  key: string;
  title: string;
  restore: RestoreState;
  /**
   * Keep the loaded content for the panel's lifetime: a hidden panel's webview is rebuilt when shown again and
   * says `ready` anew, which then gets the same content without another request. Only `retry` loads again.
   */
  cacheContent?: boolean;
  load(signal: AbortSignal): Promise<InitMessage>;
  /**
   * Panel-specific messages (save, export…); common ones (ready, retry, copy, openLink) are handled here.
   * `reload` loads the content anew (replacing any kept copy) and resolves whether it loaded.
   */
  onMessage?(msg: WebviewMessage, post: (m: HostMessage) => void, reload: () => Promise<boolean>): Promise<void>;
  /** A form's unsaved input without its secret fields: what may be kept as a draft. Absent: kept as sent. */
  scrubDraft?(values: Record<string, unknown>): Record<string, unknown>;
  /** A form's unsaved input as it changes (undefined once saved, reset or discarded). */
  onDraft?(draft: Record<string, unknown> | undefined): void;
  /** Called when the panel closes; `draft` is the unsaved input of a form, if any. */
  dispose?(draft: Record<string, unknown> | undefined): void;
}

export const viewTypes: Record<PanelKind, string> = {
  tagDetails: 'registryExplorer.tagDetails',
  scan: 'registryExplorer.scan',
  form: 'registryExplorer.form',
  compare: 'registryExplorer.compare',
  attachment: 'registryExplorer.attachment',
};

/** Hosts one webview panel: CSP page, ready handshake, validated messages both ways. */
export class PanelHost implements vscode.Disposable {
  private static readonly open = new Map<string, PanelHost>();
  private readonly disposables: vscode.Disposable[] = [];
  private abort = new AbortController();
  private dirty = false;
  /** Last unsaved input reported by a form, so closing the panel does not lose it. */
  private draft: Record<string, unknown> | undefined;
  private content: InitMessage | undefined;
  /** Last message sent, for tests and diagnostics. */
  lastPosted: HostMessage | undefined;

  static show(extensionUri: vscode.Uri, logger: Logger, spec: PanelSpec, column = vscode.ViewColumn.Active): PanelHost {
    const id = `${spec.kind}:${spec.key}`;
    const existing = PanelHost.open.get(id);
    if (existing) {
      existing.panel.reveal(column);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(viewTypes[spec.kind], spec.title, column, webviewOptions(extensionUri));
    return new PanelHost(panel, extensionUri, logger, spec);
  }

  /** Re-attaches a panel VS Code restored after a reload. */
  static restore(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, logger: Logger, spec: PanelSpec): PanelHost {
    panel.webview.options = webviewOptions(extensionUri);
    return new PanelHost(panel, extensionUri, logger, spec);
  }

  static find(kind: PanelKind, key: string): PanelHost | undefined {
    return PanelHost.open.get(`${kind}:${key}`);
  }

  static all(): PanelHost[] {
    return [...PanelHost.open.values()];
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly logger: Logger,
    readonly spec: PanelSpec,
  ) {
    PanelHost.open.set(`${spec.kind}:${spec.key}`, this);
    panel.title = spec.title;
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
    panel.webview.html = this.html();
  }

  /** Loads the content anew (a kept copy is dropped): for content that depends on something that changed. */
  reload(): Promise<boolean> {
    this.content = undefined;
    return this.load();
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  post(m: HostMessage): void {
    this.lastPosted = m;
    void this.panel.webview.postMessage(m);
  }

  private html(): string {
    const w = this.panel.webview;
    const uri = (...p: string[]) => w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...p)).toString();
    return buildHtml({
      cspSource: w.cspSource,
      nonce: newNonce(),
      panel: this.spec.kind,
      title: this.spec.title,
      scriptUri: uri('dist', `webview-ui-${this.spec.kind}.js`),
      styleUri: uri('media', 'webview.css'),
      codiconsUri: uri('dist', 'codicons', 'codicon.css'),
    });
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.logger.warn(`Ignored an invalid message from the ${this.spec.kind} panel: ${parsed.reason}`);
      return;
    }
    const msg = parsed.value;
    try {
      switch (msg.type) {
        case 'ready':
          if (this.content) this.post(this.content);
          else await this.load();
          return;
        case 'retry':
          this.content = undefined;
          await this.load();
          return;
        case 'copy':
          await vscode.env.clipboard.writeText(msg.text);
          vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', msg.what ?? 'to the clipboard'), 3000);
          return;
        case 'openLink':
          await openLinkAfterConfirmation(msg.url);
          return;
        case 'dirty':
          this.dirty = msg.dirty;
          this.draft = msg.dirty && msg.values ? (this.spec.scrubDraft?.(msg.values) ?? msg.values) : undefined;
          this.spec.onDraft?.(this.draft);
          return;
        case 'cancel':
          // The page asked first when there were changes; cancelling discards them.
          this.dirty = false;
          this.draft = undefined;
          this.spec.onDraft?.(undefined);
          this.panel.dispose();
          return;
        default:
          await this.spec.onMessage?.(
            msg,
            (m) => this.post(m),
            () => {
              this.content = undefined;
              return this.load();
            },
          );
      }
    } catch (e) {
      const err = toRegistryError(e);
      const message = redact(err.message);
      this.logger.error(`${this.spec.kind} panel: ${message}`);
      if ('requestId' in msg) this.post({ type: 'reply', requestId: msg.requestId, ok: false, message });
      else void vscode.window.showErrorMessage(message);
    }
  }

  private async load(): Promise<boolean> {
    this.abort.abort();
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.post({ type: 'loading', message: `Loading ${this.spec.title}…` });
    try {
      const init = await this.spec.load(signal);
      if (signal.aborted) return false;
      // The page checks with the same schema and drops what does not fit: say so here rather than load forever.
      const problem = hostMessageProblem(init);
      if (problem) {
        this.logger.warn(`${this.spec.title}: content the panel cannot show (${problem})`);
        this.post({ type: 'failed', message: vscode.l10n.t('{0} cannot be shown: {1}', this.spec.title, problem), retryable: false });
        return false;
      }
      if (this.spec.cacheContent) this.content = init;
      this.post(init);
      return true;
    } catch (e) {
      if (signal.aborted) return false;
      const err = toRegistryError(e);
      this.logger.warn(`${this.spec.title}: ${err.message}`);
      this.post({ type: 'failed', message: err.message, retryable: err.kind !== 'unsupported' && err.kind !== 'notFound' });
      return false;
    }
  }

  dispose(): void {
    this.abort.abort();
    PanelHost.open.delete(`${this.spec.kind}:${this.spec.key}`);
    this.spec.dispose?.(this.dirty ? this.draft : undefined);
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    // Hidden panels are torn down and rebuilt from setState, which is also what keeps unsaved input.
    retainContextWhenHidden: false,
    enableFindWidget: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Links from registry data open only after the user sees the exact URL and its host, only http(s), never with a user part. */
export async function openLinkAfterConfirmation(url: string): Promise<boolean> {
  const target = linkTarget(url);
  if ('refused' in target) {
    void vscode.window.showWarningMessage(target.refused);
    return false;
  }
  const ok = await vscode.window.showWarningMessage(vscode.l10n.t('Open this external link?'), { modal: true, detail: vscode.l10n.t('Host: {0}\n\n{1}', target.host, target.url) }, 'Open');
  if (ok !== 'Open') return false;
  return vscode.env.openExternal(vscode.Uri.parse(target.url));
}
