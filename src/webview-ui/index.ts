import * as z from 'zod/mini';
// The CSP forbids eval; zod must not try to compile its validators at run time.
z.config({ jitless: true });

import type { HostMessage, WebviewMessage } from '../webviews/protocol';
import { clear, h } from './dom';
import type { AttachmentData } from '../webviews/attachmentProtocol';
import type { FormData, ScanData, TagDetailsData } from '../webviews/protocol';
import type { ChoicesReply, PanelContext, Reply } from './context';

/** The renderers a panel's entry point brings (each panel kind has its own, smaller bundle). */
export interface Renderers {
  form?(app: HTMLElement, data: FormData, ctx: PanelContext): void;
  scan?(app: HTMLElement, data: ScanData, ctx: PanelContext): void;
  tagDetails?(app: HTMLElement, data: TagDetailsData, ctx: PanelContext): void;
  attachment?(app: HTMLElement, data: AttachmentData, ctx: PanelContext): void;
}

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The schema a panel checks what it receives with (each bundle brings only its own panel's). */
export interface HostSchema {
  safeParse(v: unknown): { success: true; data: HostMessage } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Starts a panel: the `ready` handshake, validated messages, replies by request id. */
export function boot(renderers: Renderers, hostMessage: HostSchema): void {
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const pending = new Map<string, (r: Reply) => void>();
const pendingChoices = new Map<string, (r: ChoicesReply) => void>();
let nextId = 1;

function state(): Record<string, unknown> {
  const s = vscode.getState();
  return s && typeof s === 'object' ? (s as Record<string, unknown>) : {};
}

const ctx: PanelContext = {
  post: (m: WebviewMessage) => vscode.postMessage(m),
  request(m) {
    const requestId = `r${nextId++}`;
    return new Promise<Reply>((resolve) => {
      pending.set(requestId, resolve);
      vscode.postMessage({ ...m, requestId });
    });
  },
  choices(field, query) {
    const requestId = `c${nextId++}`;
    return new Promise<ChoicesReply>((resolve) => {
      pendingChoices.set(requestId, resolve);
      vscode.postMessage({ type: 'choices', requestId, field, query });
    });
  },
  getUiState: <T>(key: string) => state()[key] as T | undefined,
  setUiState(key, value) {
    vscode.setState({ ...state(), [key]: value });
  },
};

function showLoading(message: string): void {
  clear(app);
  app.appendChild(h('div', { class: 'loading' }, h('vscode-progress-ring'), h('span', null, message)));
}

function showFailure(message: string, retryable: boolean): void {
  clear(app);
  const retry = h('vscode-button', { appearance: 'secondary' }, 'Retry');
  retry.addEventListener('click', () => ctx.post({ type: 'retry' }));
  app.appendChild(h('div', { class: 'failure', role: 'alert' }, h('span', { class: 'codicon codicon-error' }), h('span', { class: 'failure-text' }, message), retryable ? retry : null));
}

function handle(m: HostMessage): void {
  switch (m.type) {
    case 'loading':
      // Keep what is on screen (e.g. a form being edited); only an empty page shows the spinner.
      if (!app.dataset.rendered) showLoading(m.message);
      return;
    case 'failed':
      if (app.dataset.rendered && document.body.dataset.panel === 'form') return;
      showFailure(m.message, m.retryable);
      return;
    case 'reply':
      pending.get(m.requestId)?.({ ok: m.ok, message: m.message, fieldErrors: m.fieldErrors, items: m.items });
      pending.delete(m.requestId);
      return;
    case 'choicesResult':
      pendingChoices.get(m.requestId)?.(m);
      pendingChoices.delete(m.requestId);
      return;
    case 'init':
      ctx.setUiState('restore', m.restore);
      clear(app);
      app.dataset.rendered = '1';
      if (m.panel === 'tagDetails') renderers.tagDetails?.(app, m.data, ctx);
      else if (m.panel === 'scan') renderers.scan?.(app, m.data, ctx);
      else if (m.panel === 'attachment') renderers.attachment?.(app, m.data, ctx);
      else renderers.form?.(app, m.data, ctx);
      return;
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const r = hostMessage.safeParse(event.data);
  if (!r.success) {
    console.warn('Registry Explorer: ignored an invalid message', r.error.issues[0]?.path.map(String).join('.'), r.error.issues[0]?.message);
    return;
  }
  handle(r.data);
});

ctx.post({ type: 'ready' });
}
