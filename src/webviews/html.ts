import { randomBytes } from 'node:crypto';
import type { PanelKind } from './protocol';

/** A fresh nonce per page load; only scripts carrying it may run. */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The Content-Security-Policy of every panel: nothing by default, scripts by nonce, styles/fonts from the extension. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} https:`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export interface HtmlOptions {
  cspSource: string;
  nonce: string;
  panel: PanelKind;
  title: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
}

/** The whole page; data arrives later by message, so nothing registry-supplied is ever in this HTML. */
export function buildHtml(o: HtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.codiconsUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body data-panel="${escapeHtml(o.panel)}">
<main id="app" aria-live="polite"><p class="muted">Loading…</p></main>
<script type="module" nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}
