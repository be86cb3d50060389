import * as assert from 'node:assert/strict';
import type { AttachmentData } from '../../src/webviews/attachmentProtocol';
import type { PanelContext, Reply } from '../../src/webview-ui/context';
import { hostMessage, webviewMessage, type WebviewMessage } from '../../src/webviews/protocol';
import { filterPackages } from '../../src/webviews/attachmentExport';
import { attachmentRestore, parseAttachmentRestore } from '../../src/webviews/attachmentTarget';
import { hostMessageProblem } from '../../src/webviews/messageCheck';
import { installFakeDom } from '../support/fakeDom';

// Loaded at run time: the page's code is typed against the DOM, which the test project does not include.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderAttachment } = require('../../src/webview-ui/attachment') as { renderAttachment: (app: unknown, data: AttachmentData, ctx: PanelContext) => void };

const EVIL = '<img src=x onerror=alert(1)>';

function sbomData(): AttachmentData {
  return {
    registryName: 'local',
    repository: 'team/app',
    tag: '1.0',
    choices: [
      { label: 'index', current: true },
      { label: 'linux/amd64', current: false },
    ],
    view: {
      kind: 'sbom',
      label: 'SPDX SBOM',
      digest: 'sha256:' + 'a'.repeat(64),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      source: 'referrers',
      annotations: [[EVIL, EVIL]],
      notes: [EVIL],
      body: {
        type: 'sbom',
        viaAttestation: false,
        sbom: { format: 'spdx', tools: [EVIL], omitted: 0, packages: [{ name: EVIL, version: '1' }, { name: 'zlib', version: '1.3', license: 'Zlib', purl: 'pkg:apk/alpine/zlib@1.3' }] },
      },
    },
  };
}

function page(data: AttachmentData, replies: Reply[] = []) {
  const app = installFakeDom();
  const posted: WebviewMessage[] = [];
  const sent: unknown[] = [];
  const state = new Map<string, unknown>();
  const ctx: PanelContext = {
    post: (m) => posted.push(m),
    request: async (m) => {
      sent.push(m);
      return replies.shift() ?? { ok: true, message: 'Exported' };
    },
    getUiState: <T>(k: string) => state.get(k) as T | undefined,
    setUiState: (k, v) => state.set(k, v),
  };
  renderAttachment(app, data, ctx);
  return { app, posted, sent };
}

describe('attachment panel (webview)', () => {
  it('shows registry text as text: no element comes from an SBOM, an annotation or a note', () => {
    const { app } = page(sbomData());
    assert.equal(app.find((e) => e.tagName === 'img' || e.tagName === 'script'), undefined);
    assert.ok(app.all().filter((e) => e.tagName === 'td' && e.textContent === EVIL).length >= 2);
    assert.ok(app.find((e) => e.tagName === 'p' && e.textContent === EVIL));
  });

  it('filters the package table and asks the extension to export what is filtered', async () => {
    const { app, sent } = page(sbomData());
    const search = app.find((e) => e.tagName === 'vscode-textfield')!;
    search.value = 'zlib';
    search.fire('input');
    const rows = app.all().filter((e) => e.tagName === 'tr' && e.parentNode?.tagName === 'tbody' && e.parentNode.parentNode?.getAttribute('class') === 'grid packages');
    assert.deepEqual(rows.map((r) => (r.children[0] as { textContent: string }).textContent), ['zlib']);
    app.find((e) => e.tagName === 'vscode-button' && e.textContent === 'Export CSV')!.fire('click');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(sent, [{ type: 'exportPackages', format: 'csv', search: 'zlib' }]);
  });

  it('switches platform by index only, through a validated message', () => {
    const { app, posted } = page(sbomData());
    const select = app.find((e) => e.tagName === 'vscode-single-select')!;
    select.value = '1';
    select.fire('change');
    assert.deepEqual(posted, [{ type: 'selectChoice', index: 1 }]);
    assert.equal(webviewMessage.safeParse({ type: 'selectChoice', index: -1 }).success, false);
    assert.equal(webviewMessage.safeParse({ type: 'exportPackages', requestId: 'r1', format: 'xml', search: '' }).success, false);
  });

  it('a signature says what the host determined about it, and nothing else', () => {
    const data = sbomData();
    data.view = { ...data.view, kind: 'signature', label: 'cosign signature', body: { type: 'signature', scheme: 'cosign', keyless: false, verification: { status: 'unchecked', detail: 'Not verified' }, payload: { dockerReference: 'r/app:1', manifestDigest: 'sha256:' + 'b'.repeat(64), type: 'cosign container image signature', optional: [] } } };
    const { app } = page(data);
    const status = app.find((e) => e.getAttribute('role') === 'status')!;
    assert.match(status.textContent, /^ Not verified — Not verified$/);
    assert.doesNotMatch(app.textContent, /Verified —/);
  });

  it('the init message is checked: a malformed view is refused', () => {
    const ok = hostMessage.safeParse({ type: 'init', panel: 'attachment', data: sbomData(), restore: {} });
    assert.equal(ok.success, true);
    const bad = sbomData() as unknown as { view: { body: { type: string } } };
    bad.view.body.type = 'script';
    assert.equal(hostMessage.safeParse({ type: 'init', panel: 'attachment', data: bad, restore: {} }).success, false);
  });

  it('the host filters packages the same way for export', () => {
    const d = sbomData().view.body;
    if (d.type !== 'sbom') return;
    assert.deepEqual(filterPackages(d.sbom, 'ZLIB').map((p) => p.name), ['zlib']);
    assert.equal(filterPackages(d.sbom, '  ').length, 2);
  });

  it('a referrer of a single-platform image (no cosign layer, no platform) opens: the state kept for a reload leaves unset fields out', () => {
    // What Show Attachment passes for an OCI 1.1 referrer row: layer and platform undefined.
    const target = { registryName: 'local', repository: 'team/app', tag: '1.0', subject: 'sha256:' + 'b'.repeat(64), digest: 'sha256:' + 'c'.repeat(64), layer: undefined, kind: 'sbom' as const, platform: undefined };
    const restore = attachmentRestore(target);
    assert.equal(hostMessageProblem({ type: 'init', panel: 'attachment', data: sbomData(), restore }), undefined, 'the page accepts the init message');
    assert.deepEqual(parseAttachmentRestore(restore), { registryName: 'local', repository: 'team/app', tag: '1.0', subject: target.subject, digest: target.digest, kind: 'sbom' });
    assert.deepEqual(parseAttachmentRestore(attachmentRestore({ ...target, layer: 1, platform: 'linux/arm64' })), { ...parseAttachmentRestore(restore), layer: 1, platform: 'linux/arm64' });
  });
});
