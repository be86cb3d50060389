// Chromium check of the form panel's renderer (dist/webview-ui-form.js) on the shapes no Docker Hub form has yet:
// a list of objects (add / remove items, errors at `rules.1.values`), a multi-choice list, a discriminated union
// (switching variants). The page stands in for the webview host: `acquireVsCodeApi` records what the form posts
// and answers a save with field errors. Run after a build: `node test/e2e/formShapes.mjs`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CHROMIUM } from './lib/workbench.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/** describeForm() of a policy schema like DTR's (src/registry/formSpec.ts; the unit test checks the same shapes). */
const form = {"fields":[{"name":"name","kind":"string","title":"Name","required":true},{"name":"rules","kind":"objectList","title":"Rules","required":true,"addLabel":"Add Rule","fields":[{"name":"field","kind":"enum","title":"Field","required":true,"options":[{"value":"tag","label":"tag"},{"value":"label","label":"label"}]},{"name":"operator","kind":"enum","title":"Operator","required":true,"options":[{"value":"eq","label":"eq"},{"value":"matches","label":"matches"}]},{"name":"values","kind":"stringList","title":"Values","required":true}]},{"name":"scopes","kind":"multiEnum","title":"Scopes","required":false,"options":[{"value":"pull","label":"Pull images"},{"value":"push","label":"Push images"}]},{"name":"notify","kind":"union","title":"Notify by","required":true,"discriminator":"method","variants":[{"value":"email","label":"E-mail","fields":[{"name":"address","kind":"string","title":"Address","required":true}]},{"value":"webhook","label":"Webhook","fields":[{"name":"url","kind":"string","title":"URL","required":true}]}]}]};

const page = `<!doctype html><html><head><link rel="stylesheet" href="/media/webview.css"></head><body data-panel="form"><div id="app"></div>
<script>
window.__posted = []; window.__state = {};
window.acquireVsCodeApi = () => ({
  postMessage: (m) => {
    window.__posted.push(m);
    if (m.type === 'save') setTimeout(() => window.postMessage({ type: 'reply', requestId: m.requestId, ok: false, message: 'Some fields need attention.', fieldErrors: { 'rules.1.values': 'Give at least one value', 'notify.url': 'Not a URL' } }, '*'), 10);
  },
  getState: () => window.__state,
  setState: (s) => { window.__state = s; },
});
</script>
<script type="module" src="/dist/webview-ui-form.js"></script></body></html>`;

const server = http.createServer((req, res) => {
  if (req.url === '/') return res.end(page);
  const file = path.join(root, path.normalize(req.url ?? '').replace(/^([/\\])+/, ''));
  if (!file.startsWith(root) || !fs.existsSync(file)) return res.writeHead(404).end();
  res.setHeader('content-type', file.endsWith('.js') ? 'text/javascript' : 'text/css');
  res.end(fs.readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
try {
  const p = await browser.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(`http://127.0.0.1:${server.address().port}/`);
  const values = { name: 'p1', rules: [{ field: 'tag', operator: 'matches', values: ['v1', 'v2'] }, { field: 'label', operator: 'eq', values: [] }], scopes: ['push'], notify: { method: 'webhook', url: 'x' } };
  await p.evaluate(([f, v]) => window.postMessage({ type: 'init', panel: 'form', restore: { formId: 'admin' }, data: { formId: 'admin', title: 'Policy', form: f, values: v } }, '*'), [form, values]);
  const items = p.locator('fieldset.object-item');
  await items.first().waitFor();
  assert.equal(await items.count(), 2);
  await p.locator('vscode-button', { hasText: 'Add Rule' }).click();
  assert.equal(await items.count(), 3);
  await items.nth(2).locator('.remove-item').click();
  assert.equal(await items.count(), 2);
  await p.locator('vscode-button', { hasText: 'Save' }).click();
  await p.locator('.form-banner', { hasText: 'Some fields need attention.' }).waitFor();
  const saved = (await p.evaluate(() => window.__posted)).filter((m) => m.type === 'save').pop();
  assert.deepEqual(saved.values, values, 'nested values as the schema expects them');
  assert.deepEqual(await p.locator('[data-field="rules.1"] .field-error:not([hidden]), [data-field="rules.1.values"] .field-error:not([hidden])').allInnerTexts(), ['Give at least one value']);
  assert.deepEqual(await p.locator('[data-field="notify.url"] .field-error:not([hidden])').allInnerTexts(), ['Not a URL']);
  await p.evaluate(() => {
    const s = document.getElementById('field-notify-method');
    s.value = 'email';
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await p.locator('[data-field="notify.address"]').waitFor();
  assert.equal(await p.locator('[data-field="notify.url"]').count(), 0, 'the other variant\'s fields are gone');
  assert.deepEqual(errors, []);
  console.log('form shapes: ok');
} finally {
  await browser.close();
  server.close();
}
