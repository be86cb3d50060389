// UI checks of the webview panels in code-server: scan summary (5,000 vulnerabilities from a saved file),
// tag details (an image whose labels, history and description carry XSS payloads, and a multi-platform index),
// a comparison of that image with another,
// and the registry form editor (inline validation, a failed save that keeps the input), then a window reload.
// Relies on 00-signin.mjs having signed in to the `sandbox` registry.
import assert from 'node:assert/strict';
import { waitForPanel } from '../lib/steps.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { pushImage } from '../../fixtures/pushImage.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = await tsImport(pathToFileURL(path.join(here, '../../fixtures/scanReports.ts')).href, import.meta.url);
const { e2eScanReport, XSS_PAYLOADS } = fixtures;

const XSS_REPO = 'e2e/xss';
const MULTI = { repository: 'sample/multi', tag: 'latest' };
const SCAN_FILE = 'scan-e2e.json';
const SCAN_TITLE = `Scan: ${SCAN_FILE}`;
// Labels of the built-in themes in VS Code 1.100's theme picker.
const DARK = 'Dark Modern';
const LIGHT = 'Light Modern';

/** Console lines of the page (webview frames included) that speak of a CSP violation or an uncaught error. */
const problems = [];
let listening = false;
function watchConsole(t) {
  if (listening) return;
  listening = true;
  t.page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to (execute|load|apply)|EvalError|webview-ui/i.test(text)) problems.push(text);
  });
  t.page.on('pageerror', (e) => {
    if (/webview-ui|__xss/.test(String(e.stack ?? e.message))) problems.push(`pageerror: ${e.message}`);
  });
}

function registryName(t) {
  return t.registryName ?? 'sandbox';
}

/** Nothing from the payloads ran or became markup inside the webview. */
async function assertNoXss(frame, what) {
  const ran = await frame.locator('body').evaluate(() => window.__xss ?? null);
  assert.equal(ran, null, `${what}: a payload ran (${ran})`);
  assert.equal(await frame.locator('img[src="x"], img:not([src^="https:"]):not([src^="vscode"])').count(), 0, `${what}: an <img> from the data was created`);
  const scripts = await frame.locator('script').evaluateAll((els) => els.map((e) => e.getAttribute('src') ?? e.textContent?.slice(0, 200)));
  // Ours (by src) and the one VS Code injects to provide acquireVsCodeApi; nothing from the data.
  assert.ok(scripts.every((s) => s && (/webview-ui-\w+\.js$/.test(s) || s.includes('acquireVsCodeApi'))), `${what}: unexpected scripts ${JSON.stringify(scripts)}`);
  assert.equal(await frame.locator('a[href^="javascript:"]').count(), 0, `${what}: a javascript: link`);
}

/** The webview body's colours come from the workbench theme (the --vscode-* variables VS Code injects). */
async function themeColors(frame) {
  return frame.locator('body').evaluate((b) => {
    const root = getComputedStyle(document.documentElement);
    const body = getComputedStyle(b);
    const probe = document.createElement('div');
    probe.style.color = root.getPropertyValue('--vscode-editor-background').trim();
    document.body.appendChild(probe);
    const editorBg = getComputedStyle(probe).color;
    probe.style.color = root.getPropertyValue('--vscode-foreground').trim();
    const fg = getComputedStyle(probe).color;
    probe.remove();
    return { background: body.backgroundColor, color: body.color, editorBg, fg, kind: document.body.className };
  });
}

async function openScanFile(t, file) {
  await t.runCommand('Registry Explorer: Open Scan Report…');
  // code-server's file dialog is a quick input that takes a path. It fills in its start folder asynchronously
  // and may overwrite what was typed before that, so type, check, and only then accept.
  const input = t.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await t.page.waitForFunction(() => /\/$/.test(document.querySelector('.quick-input-widget input.input')?.value ?? ''));
  for (let i = 0; ; i++) {
    await input.fill(file);
    await t.page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(file) }).first().waitFor();
    if ((await input.inputValue()) === file) {
      await input.press('Enter');
      try {
        await t.page.locator('.tabs-container .tab', { hasText: `Scan: ${path.basename(file)}` }).first().waitFor({ timeout: 5000 });
        return;
      } catch (e) {
        if (i === 3 || !(await input.isVisible())) throw e;
      }
    }
    await t.page.waitForTimeout(300);
  }
}

/** What the quick input and the notifications show: for the message of a pick that did not happen. */
async function quickInputState(t) {
  return t.page.evaluate(() => {
    const w = document.querySelector('.quick-input-widget');
    const shown = !!w && getComputedStyle(w).display !== 'none';
    const rows = shown ? [...w.querySelectorAll('.monaco-list-row .label-name')].map((e) => e.textContent.trim()) : [];
    const input = w?.querySelector('input.input');
    const toasts = [...document.querySelectorAll('.notifications-toasts .notification-toast')].map((e) => e.textContent.trim());
    return JSON.stringify({ quickInput: shown ? { placeholder: input?.getAttribute('placeholder'), value: input?.value, rows } : 'hidden', notifications: toasts });
  });
}

/**
 * Picks a row of the open quick pick the way a user does in a long list: when the row is not in view, types its
 * label into the filter. Retries while the list is still being (re)built.
 */
async function pick(t, label, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  const widget = t.page.locator('.quick-input-widget');
  const row = widget.locator('.monaco-list-row', { has: t.page.locator('.label-name', { hasText: t.exactText(label) }) }).first();
  const input = widget.locator('input.input');
  for (;;) {
    try {
      await row.click({ timeout: 1000 });
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`could not pick "${label}" within ${timeout / 1000} s: ${await quickInputState(t)}`, { cause: e });
    }
    if ((await input.isVisible()) && (await input.inputValue().catch(() => label)) !== label) await input.fill(label).catch(() => {});
  }
}

/** Runs a command that may first ask for the registry (only when several are configured), then picks the rest. */
async function runWithPicks(t, command, ...labels) {
  await t.runCommand(command);
  const row = (label) => t.page.locator('.quick-input-widget .monaco-list-row', { has: t.page.locator('.label-name', { hasText: t.exactText(label) }) }).first();
  const placeholder = (text) => t.page.locator(`.quick-input-widget input.input[placeholder="${text}"]`);
  const repositoryPick = t.page.locator('.quick-input-widget input.input[placeholder^="Repository"]');
  const widget = t.page.locator('.quick-input-widget');
  const deadline = Date.now() + 30_000;
  let hiddenSince;
  for (;;) {
    if ((await row(registryName(t)).isVisible()) || (await placeholder('Registry').isVisible()) || (await placeholder('Registry to edit').isVisible())) {
      await pick(t, registryName(t));
      break;
    }
    if (labels.length && ((await row(labels[0]).isVisible()) || (await repositoryPick.isVisible()))) break;
    // With a single registry configured nothing is asked: the quick input stays closed.
    if (await widget.isVisible()) hiddenSince = undefined;
    else if ((hiddenSince ??= Date.now()) < Date.now() - 3000) break;
    if (Date.now() > deadline) throw new Error(`"${command}" showed no pick within 30 s: ${await quickInputState(t)}`);
    await t.page.waitForTimeout(200);
  }
  for (const l of labels) await pick(t, l);
}

/** Opens the scan panel of the saved report unless its tab is open already. */
async function ensureScanPanel(t) {
  if (await t.page.locator('.tabs-container .tab', { hasText: SCAN_TITLE }).count()) return;
  const file = path.join(t.workspace, SCAN_FILE);
  if (!fs.existsSync(file)) fs.writeFileSync(file, JSON.stringify(e2eScanReport(5000)));
  await openScanFile(t, file);
  await waitForPanel(t, SCAN_TITLE);
}

/** Opens the tag details panel of repository:tag unless its tab is open already. */
async function ensureTagPanel(t, repository, tag) {
  if (await t.page.locator('.tabs-container .tab', { hasText: `${repository}:${tag}` }).count()) return;
  await runWithPicks(t, 'Registry Explorer: Show Tag Details', repository, tag);
  await waitForPanel(t, `${repository}:${tag}`);
}

/** Types into a vscode-textfield like a user (its inner <input>) and checks the element took the value. */
async function setField(frame, id, value) {
  const field = frame.locator(`vscode-textfield#${id}`);
  for (let i = 0; ; i++) {
    await field.locator('input').fill(value);
    if ((await field.evaluate((el) => el.value)) === value) return field;
    if (i === 4) throw new Error(`${id} does not take the value ${value}`);
    await frame.locator('body').evaluate(() => new Promise((r) => setTimeout(r, 200)));
  }
}

export default [
  {
    name: 'scan summary: 5,000 vulnerabilities from a file, virtualised, filters, XSS as text, dark and light',
    async run(t) {
      watchConsole(t);
      const file = path.join(t.workspace, SCAN_FILE);
      const report = e2eScanReport(5000);
      fs.writeFileSync(file, JSON.stringify(report));
      await t.setTheme(DARK);
      await openScanFile(t, file);
      const f = await waitForPanel(t, SCAN_TITLE);

      await f.locator('.total .big').getByText('5,000', { exact: true }).waitFor();
      await f.getByText('Showing 5,000 of 5,000').waitFor();
      const domRows = await f.locator('.vrows .vrow').count();
      assert.ok(domRows > 10 && domRows < 120, `only the rows in view exist in the DOM (got ${domRows})`);

      // Registry text is shown literally: the first (critical) rows carry the payloads.
      const first = f.locator('.vrows .vrow').first();
      assert.equal((await first.locator('.c-id').innerText()).trim(), XSS_PAYLOADS.img);
      assert.equal((await first.locator('.c-pkg').innerText()).trim(), XSS_PAYLOADS.script);
      await first.click();
      const detail = f.locator('.vdetail');
      await detail.getByText(XSS_PAYLOADS.script, { exact: false }).first().waitFor();
      assert.ok((await detail.locator('.vuln-description').innerText()).includes(XSS_PAYLOADS.img));
      assert.equal(await detail.locator('a').count(), 1, 'only the https link is a link; the javascript: one is text');
      await detail.getByText('javascript:window.__xss="href"').waitFor();
      await assertNoXss(f, 'scan');

      // A message that does not match the protocol is logged and ignored; the page stays as it is.
      const warned = t.page.waitForEvent('console', { predicate: (m) => /ignored an invalid message/.test(m.text()), timeout: 10_000 });
      await f.locator('body').evaluate(() => window.postMessage({ type: 'init', panel: 'scan', data: { report: { status: 'pwned' } }, restore: {} }, '*'));
      await warned;
      await f.getByText('Showing 5,000 of 5,000').waitFor();

      // Filters: fixable only, a severity bar, search; the counts follow the fixture.
      const fixable = report.vulnerabilities.filter((v) => v.fixedVersion).length;
      await f.locator('vscode-checkbox', { hasText: 'Fixable only' }).click();
      await f.getByText(`Showing ${fixable.toLocaleString('en-US')} of 5,000`).waitFor();

      // Export writes exactly what the table shows (through the save dialog, a quick input in code-server).
      await f.locator('vscode-button', { hasText: 'Export CSV' }).click();
      const saveInput = t.page.locator('.quick-input-widget input.input');
      await saveInput.waitFor({ state: 'visible' });
      await t.page.waitForFunction(() => /\.csv$/.test(document.querySelector('.quick-input-widget input.input')?.value ?? ''));
      const csvPath = await saveInput.inputValue();
      await saveInput.press('Enter');
      await f.locator('.export-status', { hasText: `Exported ${fixable} vulnerabilities` }).waitFor();
      const csv = fs.readFileSync(csvPath, 'utf8').trimEnd().split('\r\n');
      assert.equal(csv.length, fixable + 1, 'header + one line per shown vulnerability');
      assert.equal(csv[0], 'id,severity,package,installed,fixed,cvss,layer,links,description');
      await f.locator('vscode-checkbox', { hasText: 'Fixable only' }).click();
      const highs = report.vulnerabilities.filter((v) => v.severity === 'high').length;
      await f.locator('button.sev-row', { hasText: 'high' }).click();
      await f.getByText(`Showing ${highs.toLocaleString('en-US')} of 5,000`).waitFor();
      await f.locator('button.sev-row', { hasText: 'high' }).click();
      const search = f.locator('vscode-textfield.search');
      await search.click();
      await t.page.keyboard.type('pkg-42');
      const matching = report.vulnerabilities.filter((v) => [v.id, v.packageName, v.description ?? '', v.installedVersion ?? ''].some((s) => s.toLowerCase().includes('pkg-42'))).length;
      await f.getByText(`Showing ${matching.toLocaleString('en-US')} of 5,000`).waitFor();
      for (let i = 0; i < 6; i++) await t.page.keyboard.press('Backspace');
      await f.getByText('Showing 5,000 of 5,000').waitFor();

      // Sorting by CVSS puts the highest score first.
      await f.locator('button.vcell', { hasText: 'CVSS' }).click();
      const top = Math.max(...report.vulnerabilities.map((v) => v.cvss ?? -1));
      await f.locator('.vrows .vrow').first().locator('.c-cvss', { hasText: top.toFixed(1) }).waitFor();

      // Scrolling to the end renders the last row quickly (virtualised, not 5,000 nodes).
      const t0 = Date.now();
      await f.locator('.vviewport').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await f.locator('.vrows .vrow[data-index="4999"]').waitFor({ timeout: 5000 });
      t.log(`last of 5,000 rows rendered ${Date.now() - t0} ms after scrolling to the end`);
      await f.locator('button.vcell', { hasText: 'Severity' }).click();
      await f.locator('.vviewport').evaluate((el) => (el.scrollTop = 0));

      const dark = await themeColors(f);
      assert.equal(dark.background, dark.editorBg, 'the page background is the editor background variable');
      assert.equal(dark.color, dark.fg, 'the text colour is the foreground variable');
      await t.shot('webview-scan-dark');

      await t.setTheme(LIGHT);
      const light = await themeColors(t.frame(SCAN_TITLE));
      assert.equal(light.background, light.editorBg);
      assert.notEqual(light.background, dark.background, 'the panel follows the theme change');
      await t.frame(SCAN_TITLE).getByText('Showing 5,000 of 5,000').waitFor();
      await t.shot('webview-scan-light');
      await t.setTheme(DARK);
      assert.deepEqual(problems, [], 'no CSP violation or error in the webview');
    },
  },
  {
    name: 'tag details: labels, history and description with XSS payloads render as text; index shows one tab per platform',
    async run(t) {
      watchConsole(t);
      const oci = t.sandbox.oci;
      await pushImage(oci, {
        repository: XSS_REPO,
        tag: 'latest',
        labels: {
          'org.opencontainers.image.title': XSS_PAYLOADS.img,
          'org.opencontainers.image.description': `**Bold** text ${XSS_PAYLOADS.script} ${XSS_PAYLOADS.link} [advisory](https://example.com/advisory)`,
          [XSS_PAYLOADS.img]: XSS_PAYLOADS.script,
        },
        env: ['PATH=/usr/bin:/bin', `EVIL=${XSS_PAYLOADS.img}`],
        cmd: ['/bin/sh', '-c', XSS_PAYLOADS.script],
        exposedPorts: ['8080/tcp'],
        history: ['/bin/sh -c #(nop) ADD file:hello.txt in /', `/bin/sh -c echo '${XSS_PAYLOADS.img}'`],
        annotations: { 'org.opencontainers.image.source': XSS_PAYLOADS.img },
      });

      await runWithPicks(t, 'Registry Explorer: Show Tag Details', XSS_REPO, 'latest');
      const title = `${XSS_REPO}:latest`;
      const f = await waitForPanel(t, title);
      await f.locator('h1', { hasText: title }).waitFor();
      await f.getByText('Pull', { exact: true }).waitFor();
      await f.locator('code', { hasText: `docker pull ` }).first().waitFor();

      // Labels table: key and value exactly as pushed, as text.
      const labels = f.locator('table.labels');
      await labels.getByText(XSS_PAYLOADS.img, { exact: true }).first().waitFor();
      await labels.getByText(XSS_PAYLOADS.script, { exact: true }).first().waitFor();
      // History shows the commands that built each layer.
      await f.locator('vscode-collapsible[title^="History"]').click();
      await f.locator('table.history').getByText(`/bin/sh -c echo '${XSS_PAYLOADS.img}'`).waitFor();
      // The description is Markdown: bold becomes <strong>, raw HTML stays text, only the https link is a link.
      const desc = f.locator('.description');
      await desc.locator('strong', { hasText: 'Bold' }).waitFor();
      assert.ok((await desc.innerText()).includes(XSS_PAYLOADS.script));
      assert.equal(await desc.locator('a').count(), 1);
      await assertNoXss(f, 'tag details');

      // Copy buttons go through the extension's clipboard.
      await f.locator('vscode-toolbar-button[label="Copy pull command"]').click();
      await t.page.locator('#workbench\\.parts\\.statusbar', { hasText: 'Copied pull command' }).waitFor();

      // A link opens only through the extension, after a confirmation naming the URL.
      await desc.locator('a', { hasText: 'advisory' }).click();
      await t.dialog().getByText('https://example.com/advisory').waitFor();
      await t.page.keyboard.press('Escape');
      await t.shot('webview-tag-details-dark');

      // A multi-platform index: one tab per platform, each with its own layers.
      await runWithPicks(t, 'Registry Explorer: Show Tag Details', MULTI.repository, MULTI.tag);
      const mf = await waitForPanel(t, `${MULTI.repository}:${MULTI.tag}`);
      await mf.getByText(/index of \d+ platforms/).waitFor();
      const tabs = await mf.locator('vscode-tab-header').allInnerTexts();
      assert.ok(tabs.length >= 2, `one tab per platform: ${JSON.stringify(tabs)}`);
      assert.ok(tabs.every((s) => /^\w+\/\w+/.test(s.trim())), `tabs are os/arch: ${JSON.stringify(tabs)}`);
      await mf.locator('vscode-tab-header').nth(1).click();
      await mf.locator('vscode-tab-panel:visible table.layers').first().waitFor();
      await t.setTheme(LIGHT);
      await t.frame(`${MULTI.repository}:${MULTI.tag}`).getByText(/index of \d+ platforms/).waitFor();
      await t.shot('webview-tag-details-index-light');
      await t.setTheme(DARK);
      assert.deepEqual(problems, [], 'no CSP violation or error in the webview');
    },
  },
  {
    name: 'compare with: two images side by side, layers added and removed, configuration changes with XSS payloads as text',
    async run(t) {
      watchConsole(t);
      // The image 'tag details' pushed (labels, env and history carrying payloads) against sample/hello:1.0.
      await runWithPicks(t, 'Registry Explorer: Compare With…', XSS_REPO, 'latest');
      await pick(t, 'Another repository or registry…');
      // With more than one registry configured, the registry of the other image is asked for.
      const registryPick = t.page.locator('.quick-input-widget .monaco-list-row', { has: t.page.locator('.label-name', { hasText: t.exactText(registryName(t)) }) }).first();
      if (await registryPick.waitFor({ timeout: 10_000 }).then(() => true, () => false)) await pick(t, registryName(t));
      await t.inputBox('sample/hello:1.0', { expectPrompt: /repository:tag/ });
      const title = `Compare: ${XSS_REPO}:latest ⇄ sample/hello:1.0`;
      const f = await waitForPanel(t, title);
      await f.locator('h1', { hasText: `${XSS_REPO}:latest ⇄ sample/hello:1.0` }).waitFor();
      // Layers: what the right image adds and what only the left had, each with its state.
      const layers = f.locator('table.layers');
      await layers.waitFor();
      assert.ok((await layers.locator('.change-added').count()) >= 1, 'a layer only the right image has');
      assert.ok((await layers.locator('.change-removed').count()) >= 1, 'a layer only the left image has');
      // The history command that made the layer only the left image has.
      await layers.locator('tr.layer-removed').getByText('/bin/sh -c #(nop) ADD file:hello.txt in /').waitFor();
      // Configuration changes: the left's labels and env with payloads are gone on the right, shown as text.
      const config = f.locator('table.config-changes');
      await config.getByText('env EVIL', { exact: true }).waitFor();
      await config.getByText(XSS_PAYLOADS.img, { exact: true }).first().waitFor();
      await config.getByText(`label ${XSS_PAYLOADS.img}`, { exact: true }).waitFor();
      await f.locator('.size-delta').waitFor();
      await assertNoXss(f, 'compare');
      await t.shot('webview-compare-dark');
      assert.deepEqual(problems, [], 'no CSP violation or error in the webview');
    },
  },
  {
    name: 'form editor: inline validation, a failed save keeps the input and shows the error next to the form',
    async run(t) {
      watchConsole(t);
      const title = `Edit Registry: ${registryName(t)}`;
      // The scan panel (left open by the scan spec above, or opened here) is the tab that hides the form below.
      await ensureScanPanel(t);
      await runWithPicks(t, 'Registry Explorer: Edit Registry');
      const f = await waitForPanel(t, title);
      const url = f.locator('vscode-textfield#field-url');
      await url.waitFor();
      assert.equal(await url.evaluate((el) => el.value), t.sandbox.oci.url);
      assert.equal(await f.locator('vscode-single-select#field-kind').evaluate((el) => el.value), 'oci');

      // Inline validation: nothing is sent, the field says what is wrong.
      await url.evaluate((el) => {
        el.value = 'ftp://nowhere';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await f.locator('vscode-button', { hasText: 'Save' }).click();
      await f.locator('#field-url-error').getByText(/http\(s\) URL/).waitFor();
      await f.locator('.form-banner.error').getByText('Some fields need attention.').waitFor();

      // A wrong address: the connection test fails, the error shows above the form, the input stays.
      const wrong = 'https://127.0.0.1:9';
      await setField(f, 'field-url', wrong);
      await f.locator('vscode-button', { hasText: 'Save' }).click();
      await f.locator('.form-banner.error').getByText(/Connection test failed/).waitFor({ timeout: 60_000 });
      assert.equal(await url.evaluate((el) => el.value), wrong, 'the input is kept after a failed save');
      await f.getByText('Not saved').waitFor();
      await t.shot('webview-form-failed-save-dark');

      // Hidden and shown again (the webview is rebuilt): the unsaved input is still there.
      // Switching to the scan panel hides the form.
      await t.page.locator('.tabs-container .tab', { hasText: SCAN_TITLE }).first().click();
      await t.page.waitForTimeout(500);
      const again = await waitForPanel(t, title);
      await again.locator('vscode-textfield#field-url').waitFor();
      assert.equal(await again.locator('vscode-textfield#field-url').evaluate((el) => el.value), wrong, 'unsaved input survives hiding the panel');

      // Reset asks first, then restores the saved values.
      const g = t.frame(title);
      await g.locator('vscode-button', { hasText: 'Reset' }).click();
      await g.locator('.confirm-bar vscode-button', { hasText: 'Discard changes' }).click();
      assert.equal(await g.locator('vscode-textfield#field-url').evaluate((el) => el.value), t.sandbox.oci.url);

      await t.setTheme(LIGHT);
      await t.frame(title).locator('vscode-textfield#field-url').waitFor();
      await t.shot('webview-form-light');
      await t.setTheme(DARK);
      assert.deepEqual(problems, [], 'no CSP violation or error in the webview');
    },
  },
  {
    name: 'panels come back after a window reload, unsaved form input included; closing a dirty form offers to reopen it',
    async run(t) {
      watchConsole(t);
      const title = `Edit Registry: ${registryName(t)}`;
      // The three panels the specs above leave open (opened here when a retry closed them).
      await ensureScanPanel(t);
      await ensureTagPanel(t, MULTI.repository, MULTI.tag);
      if (!(await t.page.locator('.tabs-container .tab', { hasText: title }).count())) await runWithPicks(t, 'Registry Explorer: Edit Registry');
      const f = await waitForPanel(t, title);
      const username = () => t.frame(title).locator('vscode-textfield#field-username');
      await setField(f, 'field-username', 'someone-else');
      await f.getByText('Unsaved changes').waitFor();

      // Reloaded the way a user does (Developer: Reload Window): the workbench saves its layout first.
      await t.reloadWindow();
      const restored = await waitForPanel(t, title);
      await restored.getByText('Unsaved changes restored.').waitFor();
      assert.equal(await username().evaluate((el) => el.value), 'someone-else', 'the draft survives the reload');
      const scan = await waitForPanel(t, SCAN_TITLE);
      await scan.getByText('Showing 5,000 of 5,000').waitFor();
      await waitForPanel(t, `${MULTI.repository}:${MULTI.tag}`).then((m) => m.getByText(/index of \d+ platforms/).waitFor());

      // Closing the dirty form: a warning offers to reopen it with the changes.
      await waitForPanel(t, title);
      await t.runCommand('View: Close Editor');
      await t.page.locator('.tabs-container .tab', { hasText: title }).waitFor({ state: 'detached' });
      await t.waitForNotification(/were not saved/);
      await t.page.locator('.notification-toast .monaco-button', { hasText: 'Reopen with My Changes' }).first().click();
      const reopened = await waitForPanel(t, title);
      await reopened.locator('vscode-textfield#field-username').waitFor();
      assert.equal(await username().evaluate((el) => el.value), 'someone-else');

      // Leave a clean workbench for the specs that follow.
      await reopened.locator('vscode-button', { hasText: 'Reset' }).click();
      await reopened.locator('.confirm-bar vscode-button', { hasText: 'Discard changes' }).click();
      await t.page.waitForTimeout(300);
      await t.runCommand('View: Close All Editors');
      await t.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached' });
      assert.deepEqual(problems, [], 'no CSP violation or error in the webview');
    },
  },
];
