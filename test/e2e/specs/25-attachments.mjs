// What is attached to an image, in code-server: the sandbox's sample/signed:1.0 (test/support/sandbox.ts, built by
// test/support/supplyChain.ts) carries a cosign signature, an SPDX SBOM and an attestation tag (SLSA provenance v0.2
// and a cosign vulnerability attestation holding a Trivy report) under cosign's tags, and an SPDX SBOM and a SLSA v1
// provenance as OCI 1.1 referrers in the referrers tag schema (distribution 2.8 has no referrers API).
//   1. the tag row's badge and the Attached node listing each item
//   2. an SBOM as a package table with its filter
//   3. Verify Signature… with the sandbox's key (pasted) → "Verified by key …"; with another key (a PEM file) →
//      "Signature does not match", never verified
//   4. Show Scan Summary on a registry without a scanner: the attached report's severity chart and its source
// Relies on 00-signin.mjs having signed in to the `sandbox` registry.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { closeTab, ensureExpanded, waitForPanel } from '../lib/steps.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { SBOM_PACKAGES, VULN_FINDINGS } = await tsImport(pathToFileURL(path.join(here, '../../support/supplyChainData.ts')).href, import.meta.url);

const REPO = 'sample/signed';
const TAG = '1.0';
// One referrers call per row: cosign's .sig, .att and .sbom tags counted from the tag list (one item each), and the
// two referrers of the tag schema index.
const BADGE = 'signed · 2 SBOMs · 2 attestations';
const ITEMS = ['cosign signature', 'SPDX SBOM', 'SPDX SBOM', 'SLSA provenance v0.2', 'SLSA provenance v1', 'vulnerability scan'];
const SIGNATURE_TITLE = `cosign signature: ${REPO}:${TAG}`;
const SBOM_TITLE = `SPDX SBOM: ${REPO}:${TAG}`;
const SCAN_TITLE = `Scan: ${REPO}:${TAG}`;

/** The tag row of sample/signed:1.0 (the tree expanded down to it). */
async function tagRow(t) {
  await t.openRegistriesView();
  await ensureExpanded(t, 'sandbox', 1);
  await ensureExpanded(t, REPO, 2);
  const row = t.treeItem(TAG, { level: 3 });
  await row.waitFor();
  return row;
}

/** The items under Attached (level 5), once every expected one is listed. */
async function attachedItems(t) {
  await tagRow(t);
  await ensureExpanded(t, TAG, 3);
  await ensureExpanded(t, 'Attached', 4);
  await t.treeItem('vulnerability scan', { level: 5 }).waitFor({ timeout: 60_000 });
  return (await t.treeRows()).filter((r) => r.level === 5);
}

/** Opens an attached item's panel by clicking its row, closing a panel of the same title first (it keeps its content). */
async function openItem(t, label, title) {
  if (await t.page.locator('.tabs-container .tab', { hasText: title }).count()) await closeTab(t, title);
  await attachedItems(t);
  await t.treeItem(label, { level: 5 }).click();
  return waitForPanel(t, title, 60_000);
}

/**
 * Right-clicks the row and picks `item`. A right-click that lands while the tree repaints the row (its details or
 * health check refreshing) opens no menu: then the click is repeated until the menu shows.
 */
async function rowMenu(t, row, item) {
  const menu = t.page.locator('.monaco-menu').first();
  const deadline = Date.now() + 30_000;
  for (;;) {
    await row.click({ button: 'right' });
    if (await menu.waitFor({ timeout: 3000 }).then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error(`no context menu on the row within 30 s`);
    await t.page.keyboard.press('Escape');
  }
  const entry = t.page.locator('.monaco-menu .action-item', { has: t.page.locator('.action-label', { hasText: t.exactText(item) }) }).first();
  await entry.waitFor();
  // The menu ignores a click that lands while it is still opening; hover first and fall back to Enter.
  await entry.hover();
  await t.page.waitForTimeout(150);
  await entry.click();
  if (!(await menu.waitFor({ state: 'hidden', timeout: 2000 }).then(() => true, () => false))) {
    await entry.hover();
    await t.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 5000 });
  }
}

/** Verify Signature… on the tag row, answering the key question with `how` ('paste' | 'file'). */
async function verifyWith(t, how, value) {
  const row = await tagRow(t);
  await t.runCommand('Notifications: Clear All Notifications');
  await rowMenu(t, row, 'Verify Signature…');
  if (how === 'paste') {
    await t.quickPick('Paste a PEM public key…');
    // A one-line input: the PEM's line breaks are lost on the way, as when a user pastes it.
    await t.inputBox(value, { expectPrompt: /Paste the PEM public key/ });
    return;
  }
  await t.quickPick('Choose a PEM file…');
  // code-server's open dialog is a quick input taking a path; it fills in its start folder first.
  const input = t.page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await t.page.waitForFunction(() => /\/$/.test(document.querySelector('.quick-input-widget input.input')?.value ?? ''));
  const deadline = Date.now() + 30_000;
  for (;;) {
    await input.fill(value);
    await t.page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(value) }).first().waitFor();
    if ((await input.inputValue()) === value) {
      await input.press('Enter');
      if (await t.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).then(() => true, () => false)) return;
    }
    if (Date.now() > deadline) throw new Error(`the open dialog did not take ${value}`);
    await t.page.waitForTimeout(300);
  }
}

export default [
  {
    name: 'attached artifacts: sample/signed:1.0 shows its badge and lists the signature, SBOMs and attestations',
    async run(t) {
      const row = await tagRow(t);
      const desc = row.locator('.label-description');
      await desc.filter({ hasText: BADGE }).waitFor({ timeout: 60_000 });
      t.log(`1.0: ${await desc.innerText()}`);
      assert.match(await desc.innerText(), /^sha256:[0-9a-f]{12} · /, 'the badge follows the digest and the other facts');

      const items = await attachedItems(t);
      const attached = t.treeItem('Attached', { level: 4 });
      assert.equal((await attached.locator('.label-description').innerText()).trim(), BADGE, 'the Attached node repeats the badge');
      // Grouped: signatures first, then SBOMs, then attestations (by label).
      assert.deepEqual(items.map((r) => r.label), ITEMS);
      // Items read from a manifest show its short digest.
      for (const r of items) assert.match(r.description, /sha256:[0-9a-f]{12}/, `${r.label}: ${r.description}`);
      const icons = await t.sidebar.locator('.monaco-list-row[aria-level="5"]').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('.codicon')].map((c) => [...c.classList].find((k) => /^codicon-(verified|package|shield|file-binary)$/.test(k))).find(Boolean)));
      assert.deepEqual(icons, ['codicon-verified', 'codicon-package', 'codicon-package', 'codicon-shield', 'codicon-shield', 'codicon-shield']);
      await t.page.mouse.move(1000, 600);
      await t.shot('attached-tree');
    },
  },
  {
    name: 'an SBOM opens as a package table: names, versions, licenses and PURLs of the SPDX document; the filter narrows it',
    async run(t) {
      const f = await openItem(t, 'SPDX SBOM', SBOM_TITLE);
      const table = f.locator('table.packages');
      await table.waitFor();
      const rows = () => table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
      const want = SBOM_PACKAGES.map((p) => [p.name, p.version, p.license, p.purl]);
      const got = (await rows()).map(([name, version, , license, purl]) => [name, version, license, purl]);
      assert.deepEqual([...got].sort(), [...want].sort());
      await f.locator('.shown-count', { hasText: `${SBOM_PACKAGES.length} of ${SBOM_PACKAGES.length}` }).waitFor();
      await f.locator('dl.facts').getByText('SPDX-2.3', { exact: true }).waitFor();

      // The filter matches any column: a PURL fragment leaves one package.
      await f.locator('vscode-textfield.search').click();
      await t.page.keyboard.type('busybox@');
      await f.locator('.shown-count', { hasText: `1 of ${SBOM_PACKAGES.length}` }).waitFor();
      assert.deepEqual((await rows()).map((r) => r[0]), ['busybox']);
      await t.shot('attached-sbom-filtered');
      for (let i = 0; i < 'busybox@'.length; i++) await t.page.keyboard.press('Backspace');
      await f.locator('.shown-count', { hasText: `${SBOM_PACKAGES.length} of ${SBOM_PACKAGES.length}` }).waitFor();
      await closeTab(t, SBOM_TITLE);
    },
  },
  {
    name: "a signature: not verified without a key; Verify Signature… with the sandbox's key says verified, with another key that it does not match",
    async run(t) {
      const signed = t.sandbox.content.signed;
      // Before any key: the panel shows the payload and says it is not verified.
      let f = await openItem(t, 'cosign signature', SIGNATURE_TITLE);
      await f.locator('dl.facts').getByText(signed.digest, { exact: true }).first().waitFor();
      await f.locator('.verification-unchecked').waitFor();
      assert.equal(await f.locator('.verification-verified').count(), 0);

      // The sandbox's public key, pasted. The open panel checks its signature again with it.
      await verifyWith(t, 'paste', signed.publicKeyPem);
      const ok = await t.waitForNotification(/signatures verified by key/, 60_000);
      t.log(ok.replace(/\s+/g, ' '));
      assert.match(ok, new RegExp(`${REPO}:${TAG}: all \\d+ signatures verified by key sha256:`));
      f = await waitForPanel(t, SIGNATURE_TITLE);
      const verified = f.locator('.verification-verified');
      await verified.waitFor();
      assert.match(await verified.innerText(), /Verified by key sha256:[0-9a-f]{64}/);
      assert.equal(await f.locator('.verification-mismatch').count(), 0);
      await t.shot('attached-signature-verified');

      // Another key (from a file in the workspace): nothing verifies, in the open panel and in one opened anew.
      const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const wrongFile = path.join(t.workspace, 'other-cosign.pub');
      fs.writeFileSync(wrongFile, publicKey.export({ type: 'spki', format: 'pem' }));
      await verifyWith(t, 'file', wrongFile);
      const bad = await t.waitForNotification(/of \d+ signatures verified by key/, 60_000);
      t.log(bad.replace(/\s+/g, ' '));
      assert.match(bad, new RegExp(`${REPO}:${TAG}: 0 of \\d+ signatures verified by key sha256:`));
      f = await waitForPanel(t, SIGNATURE_TITLE);
      await f.locator('.verification-mismatch').waitFor();
      assert.equal(await f.locator('.verification-verified').count(), 0, 'the verified state is gone with the other key');
      f = await openItem(t, 'cosign signature', SIGNATURE_TITLE);
      const mismatch = f.locator('.verification-mismatch');
      await mismatch.waitFor();
      assert.match(await mismatch.innerText(), /signature does not match/i);
      assert.equal(await f.locator('.verification-verified').count(), 0, 'never verified with the wrong key');
      await t.shot('attached-signature-mismatch');
      await closeTab(t, SIGNATURE_TITLE);
    },
  },
  {
    name: 'Show Scan Summary on a registry without a scanner: the attached vulnerability attestation, its chart and its source',
    async run(t) {
      const row = await tagRow(t);
      // Offered because the badge listing holds an attestation tag that may carry a vulnerability report.
      await row.locator('.label-description').filter({ hasText: BADGE }).waitFor({ timeout: 60_000 });
      await rowMenu(t, row, 'Show Scan Summary');
      const f = await waitForPanel(t, SCAN_TITLE, 60_000);
      await f.locator('h1', { hasText: `${REPO}:${TAG}` }).waitFor();
      await f.locator('.total .big').getByText(String(VULN_FINDINGS.length), { exact: true }).waitFor();
      // One bar per severity with the report's counts.
      const count = (sev) => VULN_FINDINGS.filter((v) => v.severity === sev.toUpperCase()).length;
      for (const sev of ['critical', 'high', 'medium']) {
        const bar = f.locator('button.sev-row', { hasText: sev });
        await bar.waitFor();
        assert.match(await bar.innerText(), new RegExp(`\\b${count(sev)}\\b`), `${sev}: ${await bar.innerText()}`);
      }
      // The source: which report, and when it was produced.
      const source = f.locator('.source-bar .source-info');
      await source.waitFor();
      const text = await source.innerText();
      t.log(`source: ${text}`);
      assert.match(text, /Attached cosign vulnerability attestation \(trivy 0\.57\.0\)/);
      assert.match(text, /produced 2026-11-01T12:05:00/);
      for (const v of VULN_FINDINGS) await f.locator('.vrows .vrow .c-id', { hasText: v.id }).first().waitFor();
      // Fixable only: the findings with a fixed version.
      await f.locator('vscode-checkbox', { hasText: 'Fixable only' }).click();
      const fixable = VULN_FINDINGS.filter((v) => v.fixed).length;
      await f.getByText(`Showing ${fixable} of ${VULN_FINDINGS.length}`).waitFor();
      await f.locator('vscode-checkbox', { hasText: 'Fixable only' }).click();
      await f.getByText(`Showing ${VULN_FINDINGS.length} of ${VULN_FINDINGS.length}`).waitFor();
      await t.shot('attached-scan-summary');
      await closeTab(t, SCAN_TITLE);
    },
  },
];
