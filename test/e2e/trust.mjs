#!/usr/bin/env node
// `npm run test:e2e:trust`: a workspace cannot send a stored secret to a host of its choosing. code-server runs
// with workspace trust ON (the main e2e run turns it off), the fake Docker Hub is configured in the user settings
// and signed in to, and the workspace's .vscode/settings.json re-declares the same registry (same name and url)
// with its own `registryUrl`: an "evil" registry on 127.0.0.1 that asks for Basic credentials.
//   1. untrusted folder: the workspace entry is ignored; the evil registry hears nothing
//   2. the folder trusted: the workspace entry is used (the evil registry is asked), but the stored secret is bound
//      to the user's registryUrl, so nothing sent there carries a credential
// Prints "UI: N passed, M failed"; artefacts in .test-artifacts/e2e-trust/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startCodeServer } from './lib/codeServer.mjs';
import { hubEntry, startHub } from './lib/hub.mjs';
import { createHelpers, launchBrowser, openWorkbench } from './lib/workbench.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
process.chdir(root);
const ARTIFACTS = path.join(root, '.test-artifacts', 'e2e-trust');
const VSIX = path.join(root, 'dist', 'registry-explorer.vsix');
const t0 = Date.now();
const log = (m) => console.log(`[trust ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${m}`);
fs.mkdirSync(ARTIFACTS, { recursive: true });
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-explorer-trust-'));

// The evil registry: records every request and asks for Basic credentials, as a credential harvester would.
const evilLog = [];
const evil = http.createServer((req, res) => {
  evilLog.push({ method: req.method, url: req.url, headers: req.headers });
  res.writeHead(401, { 'www-authenticate': 'Basic realm="evil"', 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' }).end('{"errors":[{"code":"UNAUTHORIZED","message":"auth"}]}');
});
await new Promise((r) => evil.listen(0, '127.0.0.1', r));
const evilUrl = `http://127.0.0.1:${evil.address().port}`;

let hub, server, ctx;
let passed = 0;
let failed = 0;
try {
  if (!fs.existsSync(VSIX)) {
    for (const [cmd, args] of [['node', ['esbuild.mjs']], ['npm', ['run', '--silent', 'package']]]) {
      if (spawnSync(cmd, args, { stdio: 'inherit' }).status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
    }
  }
  hub = await startHub({ log });
  if (!hub) throw new Error('the fake Docker Hub did not start');
  const user = hubEntry(hub.info);
  server = await startCodeServer({ runDir: path.join(runDir, 'code-server'), vsix: VSIX, settings: { 'registryExplorer.registries': [user], 'registryExplorer.healthCheckInterval': 5 }, log, trust: true });
  // The workspace re-declares the user's registry, pointing its registry side at the evil host.
  const vscodeDir = path.join(server.dirs.workspace, '.vscode');
  fs.mkdirSync(vscodeDir, { recursive: true });
  fs.writeFileSync(path.join(vscodeDir, 'settings.json'), JSON.stringify({ 'registryExplorer.registries': [{ ...user, registryUrl: evilUrl }] }, null, 2));

  ctx = await launchBrowser(path.join(runDir, 'chromium'), { headless: !process.env.E2E_HEADED });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.setDefaultTimeout(30_000);
  const t = createHelpers({ page, shotsDir: ARTIFACTS, sandbox: {}, workspace: server.dirs.workspace, base: server.base, log: (m) => console.log(`      ${m}`), counter: { n: 0 } });
  await openWorkbench(page, server.base, server.dirs.workspace);
  // The Restricted Mode banner sits where the command helper clicks to focus the window: close it.
  await page.locator('.part.banner .action-label').last().click({ timeout: 5000 }).catch(() => undefined);
  await page.locator('.part.banner').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);

  const secretForms = () => {
    const pw = hub.info.password;
    return [pw, Buffer.from(`${hub.info.username}:${pw}`).toString('base64').replace(/=+$/, '')];
  };
  const leaked = () => evilLog.filter((r) => r.headers.authorization || secretForms().some((f) => JSON.stringify(r).includes(f)));
  const exercise = async () => {
    // Health checks run every 5 s; expanding the tree and opening details reach the registry side too.
    await t.openRegistriesView();
    await t.runCommand('Registry Explorer: Refresh');
    await t.expandTreeItem('hub', { level: 1 }).catch(() => undefined);
    await page.waitForTimeout(7000);
  };
  const spec = async (name, fn) => {
    try {
      await fn();
      passed++;
      console.log(`  ✔ trust: ${name}`);
    } catch (e) {
      failed++;
      console.log(`  ✖ trust: ${name}\n      ${String(e?.message ?? e).split('\n').join('\n      ')}`);
      await t.shot(`FAIL-${name}`).catch(() => {});
    }
  };

  await spec('an untrusted folder cannot re-declare a registry; the secret stays with the user settings', async () => {
    await t.openRegistriesView();
    await t.treeItem('hub', { level: 1 }).waitFor();
    await t.runCommand('Registry Explorer: Sign In');
    await t.inputBox(hub.info.username, { expectPrompt: /User name/ });
    await t.inputBox(hub.info.password, { expectPrompt: /Password or access token/ });
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await exercise();
    await t.shot('untrusted');
    assert.deepEqual(evilLog.map((r) => `${r.method} ${r.url}`), [], 'the workspace entry is ignored in an untrusted folder');
  });

  await spec('a trusted folder that re-declares the registry with its own registryUrl gets no credentials', async () => {
    await t.runCommand('Workspaces: Manage Workspace Trust');
    const trustButton = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust/ }).first();
    await trustButton.waitFor();
    await trustButton.click();
    await page.waitForTimeout(1000);
    await exercise();
    await t.shot('trusted');
    log(`evil registry saw: ${evilLog.map((r) => `${r.method} ${r.url} ${r.headers.authorization ? '(with Authorization)' : ''}`).join(', ') || 'nothing'}`);
    assert.ok(evilLog.length > 0, 'the trusted workspace entry is in use (its registry was asked)');
    assert.deepEqual(leaked().map((r) => `${r.method} ${r.url}`), [], 'no credentials reached the workspace-chosen host');
  });
} catch (e) {
  failed++;
  console.log(`  ✖ trust: the run could not start: ${e?.message ?? e}`);
} finally {
  await ctx?.close().catch(() => {});
  if (server) {
    await server.stop();
    fs.copyFileSync(server.logFile, path.join(ARTIFACTS, 'code-server.log'));
  }
  await hub?.stop().catch(() => {});
  evil.close();
  fs.rmSync(runDir, { recursive: true, force: true });
}
console.log(`UI: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
