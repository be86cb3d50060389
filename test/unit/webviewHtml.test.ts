import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildHtml, contentSecurityPolicy, escapeHtml, newNonce } from '../../src/webviews/html';
import { hostMessage, webviewMessage } from '../../src/webviews/protocol';

describe('webview HTML and CSP', () => {
  const opts = {
    cspSource: 'https://ext.vscode-cdn.net',
    nonce: 'abc123+/=',
    panel: 'scan' as const,
    title: 'Scan: <img src=x onerror=alert(1)>',
    scriptUri: 'https://ext.vscode-cdn.net/dist/webview-ui.js',
    styleUri: 'https://ext.vscode-cdn.net/media/webview.css',
    codiconsUri: 'https://ext.vscode-cdn.net/dist/codicons/codicon.css',
  };

  it('uses a fresh, unguessable nonce per load', () => {
    const a = newNonce();
    const b = newNonce();
    assert.notEqual(a, b);
    assert.ok(a.length >= 24);
  });

  it('allows nothing by default, scripts only by nonce, styles and fonts only from the extension', () => {
    const csp = contentSecurityPolicy(opts.cspSource, 'N');
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /script-src 'nonce-N'(;|$)/);
    assert.match(csp, /style-src https:\/\/ext\.vscode-cdn\.net(;|$)/);
    assert.match(csp, /img-src https:\/\/ext\.vscode-cdn\.net https:(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|unsafe-hashes|data:|blob:|\*/);
    assert.doesNotMatch(csp, /connect-src|frame-src|worker-src/, 'no fetch, frames or workers beyond default-src none');
  });

  it('puts the CSP first, one nonce-tagged script, no inline handlers, and escapes the title', () => {
    const html = buildHtml(opts);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<script'), 'CSP before any script');
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script type="module" nonce="abc123\+\/=" src="https:\/\/ext\.vscode-cdn\.net\/dist\/webview-ui\.js"><\/script>/);
    assert.doesNotMatch(html, /<[^>]*\son[a-z]+=/i, 'no inline event handler attribute');
    assert.ok(html.includes('Scan: &lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(!html.includes('<img'));
    assert.equal(escapeHtml(`"'<>&`), '&quot;&#39;&lt;&gt;&amp;');
  });
});

describe('webview message protocol', () => {
  it('accepts well-formed messages in both directions', () => {
    assert.ok(webviewMessage.safeParse({ type: 'ready' }).success);
    assert.ok(webviewMessage.safeParse({ type: 'save', requestId: 'r1', values: { name: 'x' } }).success);
    assert.ok(webviewMessage.safeParse({ type: 'export', requestId: 'r2', format: 'csv', filter: { search: '', severities: ['high'], fixableOnly: true } }).success);
    assert.ok(hostMessage.safeParse({ type: 'reply', requestId: 'r1', ok: false, message: 'nope', fieldErrors: { url: 'bad' } }).success);
    assert.ok(hostMessage.safeParse({ type: 'failed', message: 'x', retryable: true }).success);
    const init = { type: 'init', panel: 'form', data: { formId: 'registry', title: 't', form: { fields: [] }, values: {} }, restore: { formId: 'registry', target: 'x' } };
    assert.ok(hostMessage.safeParse(init).success);
  });

  it('rejects unknown types, missing request ids and wrong shapes', () => {
    assert.ok(!webviewMessage.safeParse({ type: 'eval', code: 'x' }).success);
    assert.ok(!webviewMessage.safeParse({ type: 'save', values: {} }).success, 'save needs a requestId');
    assert.ok(!webviewMessage.safeParse({ type: 'export', requestId: 'r', format: 'xml', filter: { search: '', severities: [], fixableOnly: false } }).success);
    assert.ok(!webviewMessage.safeParse({ type: 'copy', text: '' }).success);
    assert.ok(!webviewMessage.safeParse('ready').success);
    assert.ok(!hostMessage.safeParse({ type: 'init', panel: 'scan', data: { report: { status: 'weird' } }, restore: {} }).success);
    assert.ok(!hostMessage.safeParse({ type: 'init', panel: 'nope', data: {}, restore: {} }).success);
  });
});

describe('webview UI sources', () => {
  const root = path.resolve(__dirname, '../..');
  const uiDir = path.join(root, 'src/webview-ui');
  const uiFiles = fs.readdirSync(uiDir).filter((f) => f.endsWith('.ts')).map((f) => [f, fs.readFileSync(path.join(uiDir, f), 'utf8')] as const);

  it('never turns strings into markup or code', () => {
    for (const [file, src] of uiFiles) {
      assert.doesNotMatch(src, /\b(innerHTML|outerHTML|srcdoc)\b|insertAdjacentHTML|document\.write|createContextualFragment|\beval\(|new Function\(|setAttribute\(\s*['"]on/i, file);
    }
  });

  it('configures zod without eval before any message is parsed', () => {
    const index = uiFiles.find(([f]) => f === 'index.ts')![1];
    const config = index.indexOf('z.config({ jitless: true })');
    assert.ok(config > 0, 'z.config({ jitless: true }) in the webview entry point');
    assert.ok(config < index.indexOf('safeParse'), 'before the first safeParse');
  });

  it('takes every colour from the theme (--vscode-* variables), with no data: or remote resources', () => {
    const css = fs.readFileSync(path.join(root, 'media/webview.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    assert.doesNotMatch(css, /#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i, 'no literal colours');
    assert.doesNotMatch(css, /url\(|@import/i, 'no resources the CSP would block');
    for (const m of css.matchAll(/var\((--[\w-]+)/g)) assert.match(m[1]!, /^--vscode-/, m[1]);
  });
});
